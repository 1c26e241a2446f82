// Form plumbing shared by the loop's panels and pages: a labelled control with its error line
// (p.loop-field-error[data-error-for=NAME]), showing {field: message} next to the fields (the rest,
// and a server failure naming no field of the form, above the buttons), and a busy submit button.

import { el, field } from '../dom.js';
import { fieldOfError } from './form.js';

/** Appends a label + control + error line to `parent`; the control gets name `name`. Returns the control. */
export function addField(parent, labelText, tag, id, name, { type, className = 'loop-field' } = {}) {
  const { label, control } = field(labelText, tag, id, { type, className });
  control.name = name;
  const error = el('p', 'loop-field-error');
  error.dataset.errorFor = name;
  error.hidden = true;
  parent.append(label, error);
  return control;
}

/** Appends a <select> with [value, text] options. */
export function addSelect(parent, labelText, id, name, options, selected = '') {
  const select = addField(parent, labelText, 'select', id, name);
  for (const [value, text] of options) select.add(new Option(text, value));
  select.value = selected;
  return select;
}

/**
 * Shows `errors` ({field: message}) in `root`: each next to its field when the form has it, the rest in
 * `general` (an element above the buttons). Clears earlier messages. Returns whether any was shown.
 */
export function showErrors(root, errors, general) {
  const rest = [];
  for (const line of root.querySelectorAll('.loop-field-error')) {
    line.hidden = true;
    line.textContent = '';
  }
  for (const control of root.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
  for (const [name, message] of Object.entries(errors ?? {})) {
    const line = root.querySelector(`.loop-field-error[data-error-for="${CSS.escape(name)}"]`);
    if (line) {
      line.textContent = message;
      line.hidden = false;
      const control = root.querySelector(`[name="${CSS.escape(name)}"]`);
      control?.setAttribute('aria-invalid', 'true');
    } else {
      rest.push(message);
    }
  }
  if (general) {
    general.textContent = rest.join(' ');
    general.hidden = rest.length === 0;
  }
  return Object.keys(errors ?? {}).length > 0;
}

/** The field names of the error lines in `root` (for fieldOfError). */
export const fieldNames = (root) => [...root.querySelectorAll('.loop-field-error')].map((line) => line.dataset.errorFor);

/** A server failure shown against its field (or above the buttons). */
export function showFailure(root, error, general) {
  const name = fieldOfError(error, fieldNames(root));
  showErrors(root, { [name || '_']: error.message }, general);
}

/** Runs `work` with `button` disabled and saying `busyText`; restores it after. */
export async function busy(button, busyText, work) {
  const text = button.textContent;
  button.disabled = true;
  button.textContent = busyText;
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.textContent = text;
  }
}

/** A button of `className` with text; onClick bound. */
export function button(text, className, onClick) {
  const b = el('button', className, text);
  b.type = 'button';
  if (onClick) b.addEventListener('click', onClick);
  return b;
}
