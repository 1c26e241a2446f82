// A problem's detail (GET /api/problems/{id}): stage, owner, place, objective, target and its progress,
// the actions (overdue first and highlighted; status buttons for the valid next statuses), escalations
// and history. For analysts and admins: advance the stage (or send it back), add an action, escalate
// a NAP-owned problem, accept or return a pending escalation. Every change is a request and then a
// reload of the problem (the server's answer is what is shown). Ids: #problem-detail (data-problem-id,
// data-stage), #problem-detail-title, #problem-progress (data-status), #problem-advance
// (data-stage = the next stage), #problem-back + #problem-back-stage, #problem-actions li.loop-action,
// #action-form (#action-title, #action-organisation, #action-due, #action-starts, #action-ends,
// #action-note, #action-add), #problem-escalate-reason + #problem-escalate, #escalation-note +
// #escalation-accept / #escalation-return, #problem-escalations li, #problem-history li, #problem-detail-error.

import { el } from '../dom.js';
import { actionItem, statusChangeBody } from './actions-view.js';
import { actionBody, newKey } from './form.js';
import { addField, addSelect, busy, button, showErrors, showFailure } from './form-view.js';
import {
  canManage,
  earlierStages,
  nextStage,
  ownerText,
  progressText,
  sortActions,
  stageColour,
  stageLabel,
  targetText,
} from './workflow.js';

/** A history entry in words: '2026-11-03 · Ann Smith (police) · changed stage: analysis → response'. */
export function historyText(entry) {
  const who = entry.by ? [entry.by.name, entry.by.organisation ? `(${entry.by.organisation})` : ''].filter(Boolean).join(' ') : '';
  const changes = Object.entries(entry.changes ?? {})
    .map(([field, change]) => `${field}: ${formatValue(change?.from)} → ${formatValue(change?.to)}`)
    .join('; ');
  const what = [entry.kind, changes, entry.note].filter(Boolean).join(' · ');
  return [String(entry.at ?? '').slice(0, 10), who, what].filter(Boolean).join(' · ');
}

function formatValue(value) {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * Fills `root` with the detail of problem `id`. deps: {api, user, organisations, neighbourhoodNames,
 * onChanged() (the list and layer reload), onClose(), onEvaluate(problem, action | null) ("Did it work?":
 * #problem-evaluate for the problem, button.loop-evaluate[data-action-id] on actions with operation dates)}. Returns {load(id), id()}.
 */
export function createProblemDetail(root, deps) {
  const box = el('section', 'loop-detail');
  box.id = 'problem-detail';
  root.append(box);
  let current = null;
  let actionAttempt = null; // {key, json}: retried adds keep their Idempotency-Key
  const manager = canManage(deps.user);

  async function load(id) {
    box.dataset.problemId = String(id);
    box.dataset.ready = 'false';
    box.replaceChildren(el('p', 'loop-muted', 'Loading the problem…'));
    try {
      const problem = await deps.api.getProblem(id);
      if (box.dataset.problemId !== String(id)) return;
      current = problem;
      draw(problem);
    } catch (error) {
      if (box.dataset.problemId !== String(id)) return;
      box.replaceChildren(el('p', 'aim-error', `Problem not loaded: ${error.message}`), button('Back to the list', 'loop-button', deps.onClose));
    } finally {
      box.dataset.ready = 'true';
    }
  }

  const reload = async () => {
    await load(current.id);
    deps.onChanged();
  };

  function draw(p) {
    box.dataset.stage = p.stage;
    const parts = [];
    const back = button('‹ All problems', 'loop-link', deps.onClose);
    const title = el('h3', 'loop-detail-title', p.title);
    title.id = 'problem-detail-title';
    const stage = el('span', 'loop-badge loop-stage', stageLabel(p.stage));
    stage.style.backgroundColor = stageColour(p.stage);
    parts.push(back, title, stage);
    const facts = el('dl', 'loop-facts');
    const fact = (term, value) => value && facts.append(el('dt', '', term), el('dd', '', value));
    fact('Owner', ownerText(p.owner, deps.neighbourhoodNames()));
    fact('Lead', p.leadOrganisation?.name ?? '');
    fact('Place', p.placeLabel ?? '');
    fact('Categories', (p.categories ?? []).join(', '));
    fact('Started', p.startDate);
    fact('Review', p.reviewDate ?? '');
    fact('Closed', p.closedOn ?? '');
    parts.push(facts);
    if (deps.onEvaluate) {
      const evaluate = button('Did it work?', 'loop-button loop-evaluate', () => deps.onEvaluate(p, null));
      evaluate.id = 'problem-evaluate';
      parts.push(evaluate);
    }
    if (p.objective) parts.push(el('h4', '', 'Objective'), el('p', 'loop-objective', p.objective));
    if (p.target) {
      parts.push(el('h4', '', 'Target'), el('p', 'loop-target-text', targetText(p.target)));
      const progress = el('p', `loop-progress loop-progress-${p.progress?.status ?? 'none'}`, progressText(p.progress) || 'No progress figures yet.');
      progress.id = 'problem-progress';
      progress.dataset.status = p.progress?.status ?? '';
      parts.push(progress);
    }
    if (manager) parts.push(stageControls(p));
    parts.push(escalationSection(p));
    parts.push(actionsSection(p));
    parts.push(historySection(p));
    const failure = el('p', 'loop-form-error aim-error');
    failure.id = 'problem-detail-error';
    failure.setAttribute('role', 'alert');
    failure.hidden = true;
    parts.push(failure);
    box.replaceChildren(...parts);
  }

  function fail(error) {
    const failure = box.querySelector('#problem-detail-error');
    failure.textContent = error.message;
    failure.hidden = false;
  }

  function stageControls(p) {
    const section = el('div', 'loop-stage-controls');
    const next = nextStage(p.stage);
    if (next) {
      const advance = button(`Advance to ${stageLabel(next)}`, 'loop-button loop-primary');
      advance.id = 'problem-advance';
      advance.dataset.stage = next;
      advance.addEventListener('click', () => changeStage(advance, next));
      section.append(advance);
    }
    const earlier = earlierStages(p.stage);
    if (earlier.length) {
      const select = el('select');
      select.id = 'problem-back-stage';
      select.setAttribute('aria-label', 'Earlier stage');
      for (const s of earlier) select.add(new Option(stageLabel(s), s));
      select.value = earlier.at(-1);
      const backButton = button('Send back', 'loop-button');
      backButton.id = 'problem-back';
      backButton.addEventListener('click', () => changeStage(backButton, select.value));
      section.append(' ', select, ' ', backButton);
    }
    return section;
  }

  function changeStage(trigger, stage) {
    return busy(trigger, 'Saving…', async () => {
      try {
        await deps.api.updateProblem(current.id, { stage }, current.revision);
        await reload();
      } catch (error) {
        fail(error);
      }
    });
  }

  function escalationSection(p) {
    const section = el('section', 'loop-escalations');
    section.append(el('h4', '', 'Escalations'));
    const list = el('ul', 'loop-list');
    list.id = 'problem-escalations';
    for (const e of p.escalations ?? []) {
      const decided = e.decision ? `${e.decision}${e.decisionNote ? `: ${e.decisionNote}` : ''}` : 'pending';
      const li = el('li', `loop-escalation loop-escalation-${e.decision ?? 'pending'}`, `${String(e.raisedAt ?? '').slice(0, 10)} from ${ownerText(e.fromOwner, deps.neighbourhoodNames())}: ${e.reason} — ${decided}`);
      li.dataset.escalationId = String(e.id);
      list.append(li);
    }
    if (!list.children.length) list.append(el('li', 'loop-muted', 'None.'));
    section.append(list);
    if (!manager) return section;
    const pending = (p.escalations ?? []).find((e) => !e.decision);
    if (pending) {
      const note = addField(section, 'Decision note (required to return)', 'textarea', 'escalation-note', 'note');
      note.rows = 2;
      const general = el('p', 'loop-form-error aim-error');
      general.hidden = true;
      const accept = button('Accept (AIM takes it on)', 'loop-button loop-primary');
      accept.id = 'escalation-accept';
      const giveBack = button('Return to the NAP', 'loop-button');
      giveBack.id = 'escalation-return';
      const decide = (trigger, decision) =>
        busy(trigger, 'Saving…', async () => {
          if (decision === 'returned' && !note.value.trim()) return showErrors(section, { note: 'Say why it is returned.' }, general);
          try {
            await deps.api.decideEscalation(pending.id, { decision, note: note.value.trim() });
            await reload();
          } catch (error) {
            showFailure(section, error, general);
          }
        });
      accept.addEventListener('click', () => decide(accept, 'accepted'));
      giveBack.addEventListener('click', () => decide(giveBack, 'returned'));
      const row = el('div', 'loop-buttons');
      row.append(accept, giveBack);
      section.append(general, row);
    } else if (typeof p.owner === 'string' && p.owner.startsWith('nap:') && p.stage !== 'closed') {
      const reason = addField(section, 'Reason to escalate to the AIM group', 'textarea', 'problem-escalate-reason', 'reason');
      reason.rows = 2;
      const general = el('p', 'loop-form-error aim-error');
      general.hidden = true;
      const escalate = button('Escalate', 'loop-button');
      escalate.id = 'problem-escalate';
      escalate.addEventListener('click', () =>
        busy(escalate, 'Escalating…', async () => {
          if (!reason.value.trim()) return showErrors(section, { reason: 'Give the reason.' }, general);
          try {
            await deps.api.escalate(current.id, reason.value.trim());
            await reload();
          } catch (error) {
            showFailure(section, error, general);
          }
        }),
      );
      section.append(general, escalate);
    }
    return section;
  }

  function actionsSection(p) {
    const section = el('section', 'loop-actions');
    section.append(el('h4', '', 'Actions'));
    const list = el('ul', 'loop-list');
    list.id = 'problem-actions';
    for (const action of sortActions(p.actions)) {
      const item = actionItem(action, { user: deps.user, onChange: changeAction });
      if (deps.onEvaluate && action.startsOn && action.endsOn) {
        const evaluate = button('Did it work?', 'loop-button loop-evaluate', () => deps.onEvaluate(p, action));
        evaluate.dataset.actionId = String(action.id);
        item.append(evaluate);
      }
      list.append(item);
    }
    if (!list.children.length) list.append(el('li', 'loop-muted', manager ? 'No actions yet.' : 'No actions of your organisation.'));
    section.append(list);
    if (manager && p.stage !== 'closed') section.append(actionForm());
    return section;
  }

  async function changeAction(action, change) {
    await deps.api.updateAction(action.id, statusChangeBody(change), action.revision);
    await reload();
  }

  function actionForm() {
    const form = el('form', 'loop-form loop-action-form');
    form.id = 'action-form';
    form.noValidate = true;
    form.append(el('h4', '', 'Add an action'));
    const title = addField(form, 'What is to be done', 'input', 'action-title', 'title');
    const organisation = addSelect(form, 'Organisation', 'action-organisation', 'organisation', [
      ['', 'Choose…'],
      ...deps.organisations.filter((o) => o.active !== false).map((o) => [o.code, o.name]),
    ]);
    const due = addField(form, 'Due', 'input', 'action-due', 'due', { type: 'date' });
    const starts = addField(form, 'Operation starts (optional)', 'input', 'action-starts', 'startsOn', { type: 'date' });
    const ends = addField(form, 'Operation ends', 'input', 'action-ends', 'endsOn', { type: 'date' });
    const note = addField(form, 'Note (optional)', 'input', 'action-note', 'note');
    const general = el('p', 'loop-form-error aim-error');
    general.hidden = true;
    const add = el('button', 'loop-button loop-primary', 'Add action');
    add.type = 'submit';
    add.id = 'action-add';
    form.append(general, add);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const { body, errors } = actionBody({ title: title.value, organisation: organisation.value, due: due.value, startsOn: starts.value, endsOn: ends.value, note: note.value });
      if (showErrors(form, errors, general)) return;
      const json = JSON.stringify([current.id, body]);
      if (!actionAttempt || actionAttempt.json !== json) actionAttempt = { key: newKey(), json };
      await busy(add, 'Adding…', async () => {
        try {
          await deps.api.addAction(current.id, body, actionAttempt.key);
          actionAttempt = null;
          await reload();
        } catch (error) {
          showFailure(form, error, general);
        }
      });
    });
    return form;
  }

  function historySection(p) {
    const details = el('details', 'loop-history');
    details.append(el('summary', '', `History (${(p.history ?? []).length})`));
    const list = el('ol', 'loop-list');
    list.id = 'problem-history';
    for (const entry of p.history ?? []) list.append(el('li', `loop-history-${entry.kind}`, historyText(entry)));
    details.append(list);
    return details;
  }

  return { load, id: () => current?.id ?? null, current: () => current };
}
