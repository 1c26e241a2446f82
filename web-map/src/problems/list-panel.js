// The list of problems (the features of GET /api/problems) with a stage filter (#problem-stage-filter:
// all open stages, one stage, or closed). Items: #problem-list li[data-problem-id] with the stage, owner
// and action counts; clicking one opens its detail. Analysts and admins get "New problem"
// (#problem-new). The filter is applied to the list and the map alike (the panel reloads with ?stage=).

import { el } from '../dom.js';
import { button } from './form-view.js';
import { STAGES, actionCountsText, ownerText, stageColour, stageLabel } from './workflow.js';

/** The problems shown for a filter value: '' = every stage but closed, 'all', or one stage. */
export function filterProblems(features, stage) {
  const list = (features ?? []).filter((f) => {
    const s = f.properties?.stage;
    if (stage === 'all') return true;
    if (!stage) return s !== 'closed';
    return s === stage;
  });
  const order = (s) => STAGES.findIndex((x) => x.id === s);
  return list.sort((a, b) => order(a.properties.stage) - order(b.properties.stage) || String(a.properties.title).localeCompare(String(b.properties.title), 'en-GB'));
}

/** Fills `root`; deps {canCreate, onOpen(id), onNew(), onFilter(stage), neighbourhoodNames()}. Returns {show(features), status(text, isError), stage()}. */
export function createProblemList(root, deps) {
  const section = el('section', 'loop-list-section');
  section.id = 'problem-list-section';
  const head = el('div', 'loop-row');
  const label = el('label', 'loop-inline');
  label.append('Stage ');
  const filter = el('select');
  filter.id = 'problem-stage-filter';
  filter.add(new Option('Open (not closed)', ''));
  for (const s of STAGES) filter.add(new Option(s.label, s.id));
  filter.add(new Option('All', 'all'));
  label.append(filter);
  head.append(label);
  if (deps.canCreate) {
    const create = button('New problem', 'loop-button loop-primary', deps.onNew);
    create.id = 'problem-new';
    head.append(create);
  }
  const status = el('p', 'loop-muted');
  status.id = 'problem-list-status';
  status.setAttribute('role', 'status');
  const list = el('ul', 'loop-list loop-problems');
  list.id = 'problem-list';
  section.append(head, status, list);
  root.append(section);
  let features = [];
  filter.addEventListener('change', () => {
    show(features);
    deps.onFilter(filter.value);
  });

  function show(all) {
    features = all ?? [];
    const shown = filterProblems(features, filter.value);
    list.replaceChildren(
      ...shown.map((f) => {
        const p = f.properties;
        const li = el('li', `loop-problem${p.overdueActions > 0 ? ' loop-overdue' : ''}`);
        li.dataset.problemId = String(p.id);
        const open = button(p.title, 'loop-link loop-problem-title', () => deps.onOpen(p.id));
        const dot = el('span', 'problem-stage-dot');
        dot.style.backgroundColor = stageColour(p.stage);
        li.append(dot, open);
        const line = `${stageLabel(p.stage)} · ${ownerText(p.owner, deps.neighbourhoodNames())} · ${actionCountsText(p.openActions, p.overdueActions)}${p.escalation === 'pending' ? ' · escalated' : ''}`;
        li.append(el('div', 'loop-muted', line));
        return li;
      }),
    );
    status.textContent = shown.length ? `${shown.length} problem${shown.length === 1 ? '' : 's'}` : 'No problems at this stage.';
    status.classList.remove('aim-error');
  }

  return {
    show,
    status(text, isError = false) {
      status.textContent = text;
      status.classList.toggle('aim-error', isError);
    },
    stage: () => filter.value,
    element: section,
  };
}
