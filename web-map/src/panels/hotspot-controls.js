// The hotspot panel's controls (DOM only; the rules are in hotspot-state.js): the method picker,
// the cell size and shape (squares or hexagons, for every method), the emerging hot spots' interval and window, the period (preset or dates) and
// "compare with the previous period". Every control reports a change as onChange(patch, what), `what`
// being what changed for reloadsFor().

import { CELL_SIZES } from '../analysis-query.js';
import { el } from '../dom.js';
import { METHODS } from '../layers/hotspots.js';
import { PRESETS } from '../periods.js';
import { emergingText, withDate, withPreset } from './hotspot-state.js';

/** The method picker: radio buttons input[name=hotspot-method] in a fieldset. */
export function createMethodPicker(parent, { method, onChange }) {
  const methods = el('fieldset', 'hotspot-methods');
  methods.append(el('legend', '', 'Method'));
  for (const m of METHODS) {
    const label = el('label', 'hotspot-method');
    const input = el('input');
    input.type = 'radio';
    input.name = 'hotspot-method';
    input.value = m.id;
    input.checked = m.id === method;
    input.addEventListener('change', () => input.checked && onChange({ method: m.id }, 'method'));
    label.append(input, ` ${m.label}`);
    methods.append(label);
  }
  parent.append(methods);
}

/**
 * The controls in `parent`, set from `state` (the panel's state now, a function). Returns
 * {show(state)}: sets what the controls show (period, dates, emerging window) from a state.
 */
export function createHotspotControls(parent, { state, today, onChange }) {
  const initial = state();
  createMethodPicker(parent, { method: initial.method, onChange });

  const cellLabel = el('label', 'hotspot-field', 'Cell size ');
  const cellSelect = el('select');
  cellSelect.id = 'hotspot-cell';
  for (const size of CELL_SIZES) cellSelect.add(new Option(`${size} m`, String(size), size === initial.cell, size === initial.cell));
  cellSelect.addEventListener('change', () => onChange({ cell: Number(cellSelect.value) }, 'cell'));
  cellLabel.append(cellSelect);
  parent.append(cellLabel);

  const gridLabel = el('label', 'hotspot-field', 'Cells ');
  const gridSelect = el('select');
  gridSelect.id = 'hotspot-grid';
  for (const [value, text] of [['square', 'Squares'], ['hex', 'Hexagons']]) {
    gridSelect.add(new Option(text, value, value === initial.grid, value === initial.grid));
  }
  gridSelect.addEventListener('change', () => onChange({ grid: gridSelect.value }, 'grid'));
  gridLabel.append(gridSelect);
  parent.append(gridLabel);

  // emerging hot spots only: the interval of the time slices and what window they cover
  const emerging = el('div', 'hotspot-emerging');
  emerging.id = 'hotspot-emerging';
  const intervalLabel = el('label', 'hotspot-field', 'Interval ');
  const intervalSelect = el('select');
  intervalSelect.id = 'hotspot-interval';
  for (const [value, text] of [['month', 'Month'], ['quarter', 'Quarter']]) {
    intervalSelect.add(new Option(text, value, value === initial.interval, value === initial.interval));
  }
  intervalSelect.addEventListener('change', () => onChange({ interval: intervalSelect.value }, 'interval'));
  intervalLabel.append(intervalSelect);
  const emergingLine = el('p', 'aim-analysis-note');
  emergingLine.id = 'hotspot-emerging-text';
  emerging.append(intervalLabel, emergingLine);
  parent.append(emerging);

  const periodLabel = el('label', 'hotspot-field', 'Period ');
  const periodSelect = el('select');
  periodSelect.id = 'hotspot-period';
  for (const p of PRESETS) periodSelect.add(new Option(p.label, p.id, p.id === initial.preset, p.id === initial.preset));
  periodSelect.addEventListener('change', () => onChange(withPreset(state(), periodSelect.value, today), 'period'));
  periodLabel.append(periodSelect);
  parent.append(periodLabel);

  const dates = el('div', 'hotspot-dates');
  const dateInputs = {};
  for (const [key, text] of [['from', 'From'], ['to', 'To']]) {
    const label = el('label', '', `${text} `);
    const input = el('input');
    input.type = 'date';
    input.id = `hotspot-${key}`;
    input.value = initial[key];
    input.addEventListener('change', () => {
      if (!input.value) return;
      onChange(withDate(state(), key, input.value), 'period');
    });
    label.append(input);
    dates.append(label);
    dateInputs[key] = input;
  }
  parent.append(dates); // the period in words is stated once, on the map (period-label.js)

  const compareLabel = el('label', 'hotspot-field');
  const compare = el('input');
  compare.type = 'checkbox';
  compare.id = 'hotspot-compare';
  compare.checked = initial.compare;
  compare.addEventListener('change', () => onChange({ compare: compare.checked }, 'compare'));
  compareLabel.append(compare, ' Compare with the previous period');
  parent.append(compareLabel);

  return {
    show(current) {
      // method, cell and grid too: a shared map view (view-url.js) sets them before the first show
      for (const input of parent.querySelectorAll('input[name=hotspot-method]')) input.checked = input.value === current.method;
      cellSelect.value = String(current.cell);
      gridSelect.value = current.grid === 'hex' ? 'hex' : 'square';
      periodSelect.value = current.preset;
      dateInputs.from.value = current.from;
      dateInputs.to.value = current.to;
      emerging.hidden = current.method !== 'emerging';
      intervalSelect.value = current.interval;
      emergingLine.textContent = emergingText(current.interval, today);
    },
  };
}
