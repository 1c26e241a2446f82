// One action as a list item, shared by the problem detail and the "My organisation's actions" page:
// title, organisation, due date (overdue highlighted), status, operation dates, and — when the user
// may move it — a button per valid next status (workflow.js nextStatuses) with an optional note.
// li.loop-action[data-action-id][data-status] (.loop-overdue when overdue); buttons
// button.loop-status[data-status=NEXT]; the note input.loop-action-note.

import { el } from '../dom.js';
import { busy, button } from './form-view.js';
import { nextStatuses, statusLabel } from './workflow.js';

/** 'Due 1 Dec 2026' style dates are left ISO (YYYY-MM-DD): sortable and unambiguous across partners. */
export function actionLine(action) {
  const parts = [action.organisation?.name ?? action.organisation?.code ?? '', `due ${action.due}`];
  if (action.startsOn && action.endsOn) parts.push(`operation ${action.startsOn} to ${action.endsOn}`);
  if (action.assignee) parts.push(action.assignee.name ?? action.assignee.username);
  return parts.filter(Boolean).join(' · ');
}

/**
 * The <li> of an action. onChange(action, {status, note}) -> Promise (the caller PATCHes and redraws);
 * a failure's message shows under the buttons.
 */
export function actionItem(action, { user, onChange, showProblem = false, big = false }) {
  const li = el('li', `loop-action${action.overdue ? ' loop-overdue' : ''}`);
  li.dataset.actionId = String(action.id);
  li.dataset.status = action.status;
  const head = el('div', 'loop-action-head');
  head.append(el('strong', 'loop-action-title', action.title));
  const status = el('span', `loop-badge loop-status-${action.status}`, statusLabel(action.status));
  head.append(' ', status);
  if (action.overdue) head.append(' ', el('span', 'loop-badge loop-overdue-badge', 'Overdue'));
  li.append(head);
  if (showProblem && action.problemTitle) li.append(el('div', 'loop-action-problem', action.problemTitle));
  li.append(el('div', 'loop-muted', actionLine(action)));
  const last = (action.history ?? []).filter((h) => h.note).at(-1);
  if (last) li.append(el('div', 'loop-action-lastnote', `Note: ${last.note}`));

  const steps = nextStatuses(action.status, user, action);
  if (steps.length > 0 && onChange) {
    const note = el('input', 'loop-action-note');
    note.type = 'text';
    note.placeholder = 'Note (optional)';
    note.setAttribute('aria-label', `Note for ${action.title}`);
    note.maxLength = 2000;
    const row = el('div', `loop-status-buttons${big ? ' loop-big' : ''}`);
    const failure = el('p', 'loop-form-error aim-error');
    failure.hidden = true;
    for (const next of steps) {
      const b = button(statusLabel(next), `loop-button loop-status loop-status-to-${next}`);
      b.dataset.status = next;
      b.addEventListener('click', () =>
        busy(b, 'Saving…', async () => {
          failure.hidden = true;
          try {
            await onChange(action, { status: next, note: note.value.trim() });
          } catch (error) {
            failure.textContent = error.message;
            failure.hidden = false;
          }
        }),
      );
      row.append(b);
    }
    li.append(note, row, failure);
  }
  return li;
}

/** The PATCH body of a status change: {status, note?}. */
export function statusChangeBody({ status, note }) {
  return note ? { status, note } : { status };
}
