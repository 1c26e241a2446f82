// "New problem" (analysts and admins): the place — hot cells selected on the hotspot map, a ward, or a
// polygon drawn on the map (assets/draw-layer.js) — and the form (title, categories, owner, lead
// organisation, objective, target, dates). POST /api/problems with an Idempotency-Key that is kept
// while the same body is retried (a lost answer never makes two problems). Failures show next to the
// field they name. Ids: #problem-form, #problem-place-cells|ward|polygon (radios), #problem-select-cells,
// #problem-cells-text, #problem-ward, #problem-draw, #problem-title, #problem-categories
// (input[name=categories]), #problem-owner, #problem-lead, #problem-objective, #problem-target-percent,
// #problem-target-months, #problem-target-baseline, #problem-target-start, #problem-start-date,
// #problem-review-date, #problem-create, #problem-form-error.

import { el } from '../dom.js';
import { areaText, cellsArea, newKey, polygonArea, problemBody, wardArea } from './form.js';
import { addField, addSelect, busy, button, showErrors, showFailure } from './form-view.js';

const PLACES = [
  { id: 'cells', label: 'Selected hot cells' },
  { id: 'ward', label: 'A ward' },
  { id: 'polygon', label: 'Draw a shape' },
];

/**
 * Fills `root`. deps: {api, taxonomy, organisations, neighbourhoods() [{code, name}], wards() [{code, name}],
 * selection (hotspot select mode, or null), draw (draw tool), currentWard() (the ward profile's code),
 * onCreated(problem), onCancel()}. Returns {open(place?), close(), place()}.
 */
export function createProblemForm(root, deps) {
  const form = el('form', 'loop-form');
  form.id = 'problem-form';
  form.noValidate = true;
  root.append(form);
  form.append(el('h3', '', 'New problem'));

  // --- the place ---
  const placeBox = el('fieldset', 'loop-place');
  placeBox.append(el('legend', '', 'Place'));
  const placeRadios = {};
  for (const place of PLACES) {
    const label = el('label', 'loop-check');
    const radio = el('input');
    radio.type = 'radio';
    radio.name = 'place';
    radio.value = place.id;
    radio.id = `problem-place-${place.id}`;
    radio.addEventListener('change', () => choosePlace(place.id));
    label.append(radio, ` ${place.label}`);
    placeBox.append(label);
    placeRadios[place.id] = radio;
  }
  const cellsBox = el('div', 'loop-place-part');
  const selectButton = button('Select cells on the map', 'loop-button', () => toggleSelecting());
  selectButton.id = 'problem-select-cells';
  const cellsText = el('span', 'loop-muted');
  cellsText.id = 'problem-cells-text';
  cellsBox.append(selectButton, ' ', cellsText);
  const wardBox = el('div', 'loop-place-part');
  const wardSelect = addSelect(wardBox, 'Ward', 'problem-ward', 'ward', []);
  wardSelect.addEventListener('change', updatePlace);
  const polygonBox = el('div', 'loop-place-part');
  const drawButton = button('Draw the shape', 'loop-button', () => startDrawing());
  drawButton.id = 'problem-draw';
  const finishButton = button('Finish shape', 'loop-button', () => deps.draw.finish());
  const undoButton = button('Undo corner', 'loop-button', () => deps.draw.undo());
  const drawText = el('span', 'loop-muted');
  polygonBox.append(drawButton, ' ', finishButton, ' ', undoButton, ' ', drawText);
  const areaError = el('p', 'loop-field-error');
  areaError.dataset.errorFor = 'area';
  areaError.hidden = true;
  const placeText = el('p', 'loop-place-text');
  placeText.id = 'problem-place-text';
  placeBox.append(cellsBox, wardBox, polygonBox, placeText, areaError);
  form.append(placeBox);

  // --- the problem ---
  const title = addField(form, 'Title', 'input', 'problem-title', 'title');
  title.maxLength = 200;
  const categoriesBox = el('fieldset', 'loop-categories');
  categoriesBox.id = 'problem-categories';
  categoriesBox.append(el('legend', '', 'Categories'));
  for (const category of deps.taxonomy?.categories ?? []) {
    const label = el('label', 'loop-check');
    const box = el('input');
    box.type = 'checkbox';
    box.name = 'categories';
    box.value = category.code;
    label.append(box, ` ${category.label ?? category.code}`);
    categoriesBox.append(label);
  }
  const categoriesError = el('p', 'loop-field-error');
  categoriesError.dataset.errorFor = 'categories';
  categoriesError.hidden = true;
  form.append(categoriesBox, categoriesError);
  const owners = [['aim', 'AIM group'], ...deps.neighbourhoods().map((n) => [`nap:${n.code}`, `NAP ${n.name}`])];
  const owner = addSelect(form, 'Owner', 'problem-owner', 'owner', owners, 'aim');
  const lead = addSelect(form, 'Lead organisation', 'problem-lead', 'leadOrganisation', [['', 'None'], ...deps.organisations.filter((o) => o.active !== false).map((o) => [o.code, o.name])]);
  const objective = addField(form, 'Objective', 'textarea', 'problem-objective', 'objective');
  objective.rows = 3;

  const targetBox = el('fieldset', 'loop-target');
  targetBox.append(el('legend', '', 'Target (optional)'));
  const percent = addField(targetBox, 'Change in %, e.g. -20', 'input', 'problem-target-percent', 'targetPercent', { type: 'number' });
  const months = addField(targetBox, 'Over months', 'input', 'problem-target-months', 'targetMonths', { type: 'number' });
  months.min = '1';
  months.value = '3';
  const baseline = addSelect(targetBox, 'Against', 'problem-target-baseline', 'targetBaseline', [
    ['same-period-last-year', 'the same months last year'],
    ['previous-period', 'the months before'],
  ]);
  const start = addField(targetBox, 'Starting month (default: the start date’s)', 'input', 'problem-target-start', 'targetStart', { type: 'month' });
  const targetError = el('p', 'loop-field-error');
  targetError.dataset.errorFor = 'target';
  targetError.hidden = true;
  targetBox.append(targetError);
  form.append(targetBox);
  const startDate = addField(form, 'Start date (default today)', 'input', 'problem-start-date', 'startDate', { type: 'date' });
  const reviewDate = addField(form, 'Review date', 'input', 'problem-review-date', 'reviewDate', { type: 'date' });

  const general = el('p', 'loop-form-error aim-error');
  general.id = 'problem-form-error';
  general.setAttribute('role', 'alert');
  general.hidden = true;
  const buttons = el('div', 'loop-buttons');
  const create = el('button', 'loop-button loop-primary', 'Create problem');
  create.type = 'submit';
  create.id = 'problem-create';
  buttons.append(create, button('Cancel', 'loop-button', () => deps.onCancel()));
  form.append(general, buttons);

  let placeKind = null;
  let area = null;
  let attempt = null; // {key, json}: the key is kept while the same body is retried

  function fillWards() {
    const current = wardSelect.value || deps.currentWard?.() || '';
    wardSelect.replaceChildren(new Option('Choose a ward…', ''), ...deps.wards().map((w) => new Option(w.name, w.code)));
    wardSelect.value = current;
  }

  function choosePlace(kind) {
    placeKind = kind;
    placeRadios[kind].checked = true;
    cellsBox.hidden = kind !== 'cells';
    wardBox.hidden = kind !== 'ward';
    polygonBox.hidden = kind !== 'polygon';
    if (kind !== 'cells') deps.selection?.stop();
    if (kind !== 'polygon') deps.draw.clear();
    if (kind === 'ward') fillWards();
    updatePlace();
  }

  function toggleSelecting() {
    if (!deps.selection) return;
    if (deps.selection.active()) deps.selection.stop();
    else deps.selection.start(() => updatePlace());
    updatePlace();
  }

  function startDrawing() {
    deps.draw.drawPolygon(() => updatePlace());
    updatePlace();
  }

  function updatePlace() {
    if (placeKind === 'cells') {
      const cells = deps.selection?.cells() ?? [];
      area = cells.length ? cellsArea(deps.selection.size(), cells) : null;
      selectButton.textContent = deps.selection?.active() ? 'Done selecting' : 'Select cells on the map';
      cellsText.textContent = deps.selection ? (deps.selection.active() ? 'Click hot cells to tick or untick them.' : '') : 'Turn on the hotspot map first.';
    } else if (placeKind === 'ward') {
      area = wardSelect.value ? wardArea(wardSelect.value) : null;
    } else if (placeKind === 'polygon') {
      area = polygonArea(deps.draw.shape());
      const drawing = deps.draw.mode() === 'polygon';
      finishButton.hidden = !drawing;
      undoButton.hidden = !drawing;
      drawText.textContent = drawing ? `${deps.draw.corners()} corners: click the map to add more.` : '';
    } else {
      area = null;
    }
    const wardName = (code) => deps.wards().find((w) => w.code === code)?.name ?? code;
    placeText.textContent = `Place: ${areaText(area, { wardName })}`;
    placeText.dataset.ready = String(Boolean(area));
  }

  function values() {
    return {
      title: title.value,
      categories: [...categoriesBox.querySelectorAll('input[name=categories]:checked')].map((b) => b.value),
      area,
      owner: owner.value,
      leadOrganisation: lead.value,
      objective: objective.value,
      targetPercent: percent.value,
      targetMonths: months.value,
      targetBaseline: baseline.value,
      targetStart: start.value,
      startDate: startDate.value,
      reviewDate: reviewDate.value,
    };
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const { body, errors } = problemBody(values());
    if (showErrors(form, errors, general)) return;
    const json = JSON.stringify(body);
    if (!attempt || attempt.json !== json) attempt = { key: newKey(), json };
    await busy(create, 'Creating…', async () => {
      try {
        const problem = await deps.api.createProblem(body, attempt.key);
        attempt = null;
        close();
        deps.onCreated(problem);
      } catch (error) {
        showFailure(form, error, general);
      }
    });
  });

  function close() {
    deps.selection?.stop();
    deps.selection?.clear();
    deps.draw.clear();
    form.reset();
    months.value = '3';
    showErrors(form, {}, general);
  }

  return {
    /** Shows the form with a place kind chosen ('cells' | 'ward' | 'polygon'). */
    open(kind = 'cells') {
      choosePlace(kind);
      title.focus();
    },
    close,
    place: () => area,
    refresh: updatePlace,
  };
}
