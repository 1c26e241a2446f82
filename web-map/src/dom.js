// The one DOM helper module of the web map: elements are built here, text is always set as text, never as HTML.

/** A new element with an optional class and text. */
export function el(tag, className = '', text = '') {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text) element.textContent = text;
  return element;
}

/** A <label> holding `text` and a new control (input, select, textarea) with this id. */
export function field(labelText, tag, id, { type, className = 'asset-field' } = {}) {
  const label = el('label', className);
  label.htmlFor = id;
  label.append(el('span', 'asset-field-label', labelText));
  const control = el(tag);
  control.id = id;
  if (type) control.type = type;
  label.append(control);
  return { label, control };
}

/** Fills a <select> with the categories as indented options (assets/categories.js flatCategories). */
export function categoryOptions(select, flat, { empty = null, selected = '' } = {}) {
  select.replaceChildren();
  if (empty !== null) select.add(new Option(empty, ''));
  for (const c of flat) {
    const option = new Option(`${'\u00a0\u00a0'.repeat(c.depth)}${c.label}`, c.code);
    select.add(option);
  }
  if (selected || empty !== null) select.value = selected;
}

/** Whether the screen is a phone's (up to 700 px wide): the side panels start folded there. */
export const isNarrow = () => typeof window !== 'undefined' && window.matchMedia?.('(max-width: 700px)').matches;
