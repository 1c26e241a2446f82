// "Add asset" and "Edit asset" (planners and admins): draw a point or a shape on the map
// (assets/draw-layer.js), fill the form — kind, category (from the taxonomy), name, description,
// organisation, contact, last checked — and save (POST /api/assets, or PUT /api/assets/{id} for an
// edit, which may keep the geometry or redraw it). Problems are shown against the field the server
// names (assets/form.js problemFieldErrors), or above the buttons when it names none the form has.
//
// Ids for tests: #asset-editor, #asset-editor-title, #asset-draw-point, #asset-draw-polygon,
// #asset-draw-undo, #asset-draw-finish, #asset-draw-hint, #asset-kind, #asset-category, #asset-name,
// #asset-description, #asset-organisation, #asset-phone, #asset-email, #asset-url,
// #asset-last-checked, #asset-error-FIELD (.asset-field-error), #asset-form-error, #asset-save,
// #asset-cancel, #asset-editor-status.

import { categoryIndex, descendantsOf } from './categories.js';
import { categoryOptions, el, field } from '../dom.js';
import {
  assetBody,
  editBody,
  FORM_FIELDS,
  formFromFeature,
  kindsFor,
  problemFieldErrors,
  validateAssetForm,
} from './form.js';
import { drawHint } from './draw-layer.js';

const KIND_LABELS = { place: 'Place (building, open space)', service: 'Service (what is offered, where)', people: 'People or group (personal data)' };

/** The categories offered for a kind: people assets under "People and groups", the others everything else. */
export function categoriesForKind(categories, flat, kind) {
  const people = categoryIndex(categories).has('people') ? descendantsOf(categoryIndex(categories), 'people') : new Set();
  return flat.filter((c) => (kind === 'people' ? people.has(c.code) : !people.has(c.code)));
}

const idOf = (name) => `asset-${name.replace(/_/g, '-')}`;

/**
 * The editor section in `parent`. onSaved(feature, {created}) after a save; onClose() when the
 * planner cancels an edit. Returns {edit(feature), reset(), shape()}.
 */
export function createAssetEditor(parent, { api, categories, flat, role, draw, today, onSaved = () => {}, onClose = () => {} }) {
  let editing = null; // the feature being edited, or null for a new asset
  let saving = false;

  const section = el('form', 'asset-section asset-editor');
  section.id = 'asset-editor';
  section.noValidate = true;
  const title = el('h3', '', 'Add an asset');
  title.id = 'asset-editor-title';

  const drawBox = el('div', 'asset-draw');
  const drawPoint = el('button', '', 'Draw a point');
  drawPoint.type = 'button';
  drawPoint.id = 'asset-draw-point';
  const drawPolygon = el('button', '', 'Draw a shape');
  drawPolygon.type = 'button';
  drawPolygon.id = 'asset-draw-polygon';
  const undo = el('button', '', 'Undo corner');
  undo.type = 'button';
  undo.id = 'asset-draw-undo';
  const finish = el('button', '', 'Finish shape');
  finish.type = 'button';
  finish.id = 'asset-draw-finish';
  const hint = el('p', 'asset-note');
  hint.id = 'asset-draw-hint';
  hint.setAttribute('aria-live', 'polite');
  drawBox.append(drawPoint, ' ', drawPolygon, ' ', undo, ' ', finish, hint);

  const controls = {};
  const errors = {};
  function add(name, labelText, tag, type) {
    const f = field(labelText, tag, idOf(name), { type });
    const error = el('p', 'asset-field-error');
    error.id = `asset-error-${name.replace(/_/g, '-')}`;
    error.dataset.field = name;
    error.hidden = true;
    f.control.setAttribute('aria-describedby', error.id);
    f.label.append(error);
    controls[name] = f.control;
    errors[name] = error;
    return f;
  }
  const geometryError = el('p', 'asset-field-error');
  geometryError.id = 'asset-error-geometry';
  geometryError.dataset.field = 'geometry';
  geometryError.hidden = true;
  errors.geometry = geometryError;
  drawBox.append(geometryError);

  const kind = add('kind', 'Kind', 'select');
  for (const k of kindsFor(role)) kind.control.add(new Option(KIND_LABELS[k] ?? k, k));
  const category = add('category', 'Category', 'select');
  const name = add('name', 'Name', 'input', 'text');
  name.control.maxLength = 300;
  name.control.required = true;
  const description = add('description', 'Description', 'textarea');
  description.control.rows = 3;
  const organisation = add('organisation', 'Organisation (who runs it)', 'input', 'text');
  const phone = add('phone', 'Phone', 'input', 'tel');
  const email = add('email', 'E-mail', 'input', 'email');
  const url = add('url', 'Website', 'input', 'url');
  url.control.placeholder = 'https://';
  const lastChecked = add('last_checked', 'Last checked', 'input', 'date');
  lastChecked.control.max = today;

  const formError = el('p', 'asset-field-error asset-form-error');
  formError.id = 'asset-form-error';
  formError.setAttribute('role', 'alert');
  formError.hidden = true;
  errors.form = formError;
  const buttons = el('p', 'asset-buttons');
  const save = el('button', 'asset-primary', 'Save');
  save.type = 'submit';
  save.id = 'asset-save';
  const cancel = el('button', '', 'Cancel');
  cancel.type = 'button';
  cancel.id = 'asset-cancel';
  buttons.append(save, ' ', cancel);
  const status = el('p', 'asset-status');
  status.id = 'asset-editor-status';
  status.setAttribute('role', 'status');

  section.append(title, drawBox, kind.label, category.label, name.label, description.label, organisation.label, phone.label,
    email.label, url.label, lastChecked.label, formError, buttons, status);
  parent.append(section);

  function fillCategories(selected) {
    categoryOptions(category.control, categoriesForKind(categories, flat, kind.control.value), { empty: 'Choose a category', selected: '' });
    if (selected && [...category.control.options].some((o) => o.value === selected)) category.control.value = selected;
  }
  kind.control.addEventListener('change', () => fillCategories(category.control.value));

  function showHint() {
    const mode = draw.mode();
    const corners = draw.corners();
    const shape = draw.shape();
    let text = drawHint(mode === 'pick' ? null : mode, corners);
    if (!text && shape?.type === 'point') text = 'Point placed: drag the pin to move it, or draw again.';
    if (!text && shape?.type === 'polygon') text = `Shape with ${corners} corners drawn.`;
    if (!text && editing) text = editing.geometry ? 'Keeps its place on the map unless you draw it again.' : '';
    hint.textContent = text;
    const polygonActive = mode === 'polygon';
    undo.hidden = !polygonActive;
    finish.hidden = !polygonActive;
    finish.disabled = corners < 3;
  }
  const onShape = () => {
    showErrors({});
    showHint();
  };
  drawPoint.addEventListener('click', () => {
    draw.drawPoint(onShape);
    showHint();
  });
  drawPolygon.addEventListener('click', () => {
    draw.drawPolygon(onShape);
    showHint();
  });
  undo.addEventListener('click', () => {
    draw.undo();
    showHint();
  });
  finish.addEventListener('click', () => {
    draw.finish();
    showHint();
  });

  function values() {
    return Object.fromEntries(Object.entries(controls).map(([key, control]) => [key, control.value]));
  }

  function showErrors(map) {
    for (const [key, element] of Object.entries(errors)) {
      const message = map[key];
      element.hidden = !message;
      element.textContent = message ?? '';
      controls[key]?.setAttribute('aria-invalid', String(Boolean(message)));
    }
    const first = FORM_FIELDS.find((key) => map[key] && controls[key]);
    if (first) controls[first].focus();
  }

  function fill(form) {
    kind.control.value = form.kind || kindsFor(role)[0] || '';
    fillCategories(form.category);
    for (const key of ['name', 'description', 'organisation', 'phone', 'email', 'url', 'last_checked']) controls[key].value = form[key] ?? '';
  }

  function reset() {
    editing = null;
    draw.clear();
    title.textContent = 'Add an asset';
    fill({ last_checked: today });
    showErrors({});
    showHint();
  }

  async function submit() {
    if (saving) return;
    const form = values();
    const shape = draw.shape();
    const problems = validateAssetForm(form, shape, { hasGeometry: Boolean(editing?.geometry), today });
    showErrors(problems);
    if (Object.keys(problems).length) return;
    saving = true;
    save.disabled = true;
    status.textContent = 'Saving…';
    try {
      const saved = editing
        ? await api.updateAsset(editing.properties.id, editBody(editing, form, shape))
        : await api.createAsset(assetBody(form, shape));
      const created = !editing;
      status.textContent = `Saved “${saved?.properties?.name ?? form.name}”.`;
      reset();
      onSaved(saved, { created });
    } catch (error) {
      status.textContent = '';
      showErrors(problemFieldErrors(error));
    } finally {
      saving = false;
      save.disabled = false;
    }
  }
  section.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });
  cancel.addEventListener('click', () => {
    const wasEditing = Boolean(editing);
    reset();
    status.textContent = '';
    if (wasEditing) onClose();
  });

  reset();

  return {
    /** Opens the form on an existing asset (from its popup). */
    edit(feature) {
      reset();
      editing = feature;
      title.textContent = `Edit: ${feature?.properties?.name ?? 'asset'}`;
      if (![...kind.control.options].some((o) => o.value === feature?.properties?.kind)) {
        kind.control.add(new Option(KIND_LABELS[feature.properties.kind] ?? feature.properties.kind, feature.properties.kind));
      }
      fill(formFromFeature(feature));
      showHint();
      status.textContent = '';
    },
    reset,
    shape: () => draw.shape(),
    /** The drawing mode changed elsewhere (e.g. a search pick took over): refresh the hint. */
    refresh: showHint,
  };
}
