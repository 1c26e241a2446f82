// Forms of the meeting loop -> request bodies (loop contract), pure: the new problem (its place from
// selected hot cells, a ward or a drawn polygon), a new action, a meeting. Each *Body function returns
// {body} or {errors: {field: message}} naming the same fields the server names, so a message shows
// next to its field whichever side found the fault (fieldOfError for the server's).

import { isoDate } from '../view-url.js';

/** The place of selected hotspot cells: {"cell": size, "cells": [[i, j], …]} (no duplicates, sorted). */
export function cellsArea(size, cells) {
  const seen = new Map();
  for (const c of cells ?? []) {
    const [i, j] = Array.isArray(c) ? c : [c?.i, c?.j];
    if (Number.isInteger(i) && Number.isInteger(j)) seen.set(`${i},${j}`, [i, j]);
  }
  const list = [...seen.values()].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return { cell: Number(size), cells: list };
}

/** A ward's place: "ward:CODE". */
export const wardArea = (code) => `ward:${code}`;

/** A drawn polygon (draw-layer.js shape, latlngs) as a GeoJSON Polygon in lon, lat; null under 3 corners. */
export function polygonArea(shape) {
  const corners = (shape?.latlngs ?? []).map((p) => [Number(p.lng.toFixed(6)), Number(p.lat.toFixed(6))]);
  if (corners.length < 3) return null;
  return { type: 'Polygon', coordinates: [[...corners, corners[0]]] };
}

/** What the place is, in words, for the form: '12 cells of 250 m', 'ward Central', 'a drawn shape (5 corners)'. */
export function areaText(area, { wardName = (c) => c } = {}) {
  if (!area) return 'no place chosen yet';
  if (typeof area === 'string' && area.startsWith('ward:')) return `ward ${wardName(area.slice(5))}`;
  if (area.cells) return `${area.cells.length} cell${area.cells.length === 1 ? '' : 's'} of ${area.cell} m`;
  if (area.type === 'Polygon') return `a drawn shape (${area.coordinates[0].length - 1} corners)`;
  return 'a place';
}

/** The 1st of the month of a date: '2026-09-15' -> '2026-09-01'. */
export const firstOfMonth = (date) => `${String(date).slice(0, 7)}-01`;

const trim = (v) => (typeof v === 'string' ? v.trim() : '');

/**
 * The form's values -> POST /api/problems body. values: {title, categories: [codes], area, owner
 * ('aim' | 'nap:CODE'), leadOrganisation (code or ''), objective, targetPercent, targetMonths,
 * targetBaseline, targetStart (YYYY-MM or YYYY-MM-DD; '' = the start date's month), startDate,
 * reviewDate}. A target is sent when a percent is given.
 */
export function problemBody(values) {
  const errors = {};
  const body = {};
  body.title = trim(values.title);
  if (!body.title) errors.title = 'Give the problem a title.';
  body.categories = [...new Set(values.categories ?? [])];
  if (body.categories.length === 0) errors.categories = 'Tick at least one category.';
  if (!values.area) errors.area = 'Choose the place: select hot cells, a ward or draw a shape.';
  else if (values.area.cells && values.area.cells.length === 0) errors.area = 'Select at least one hot cell.';
  body.area = values.area ?? null;
  body.owner = values.owner || 'aim';
  if (trim(values.leadOrganisation)) body.leadOrganisation = trim(values.leadOrganisation);
  body.objective = trim(values.objective);
  if (!body.objective) errors.objective = 'Say what the work on this problem is to achieve.';
  if (trim(values.startDate)) {
    if (!isoDate(trim(values.startDate))) errors.startDate = 'Not a date.';
    else body.startDate = trim(values.startDate);
  }
  if (trim(values.reviewDate)) {
    if (!isoDate(trim(values.reviewDate))) errors.reviewDate = 'Not a date.';
    else body.reviewDate = trim(values.reviewDate);
  }
  const percent = trim(String(values.targetPercent ?? ''));
  if (percent) {
    const target = { percent: Number(percent), months: Number(values.targetMonths || 3), baseline: values.targetBaseline || 'same-period-last-year' };
    if (!Number.isFinite(target.percent) || target.percent === 0) errors.target = 'The target is a change in percent, e.g. -20.';
    if (!Number.isInteger(target.months) || target.months < 1) errors.target = 'The target runs for a whole number of months.';
    const start = trim(values.targetStart);
    if (start) {
      const day = start.length === 7 ? `${start}-01` : start;
      if (!isoDate(day)) errors.target = 'The target starts on a month (YYYY-MM).';
      else target.start = firstOfMonth(day);
    }
    body.target = target;
  }
  return Object.keys(errors).length ? { errors } : { body };
}

/** values {title, organisation, due, startsOn, endsOn, note, meeting} -> POST /api/problems/{id}/actions body. */
export function actionBody(values) {
  const errors = {};
  const body = { title: trim(values.title), organisation: trim(values.organisation), due: trim(values.due) };
  if (!body.title) errors.title = 'Say what is to be done.';
  if (!body.organisation) errors.organisation = 'Choose the organisation that does it.';
  if (!isoDate(body.due)) errors.due = 'Give a due date.';
  const startsOn = trim(values.startsOn);
  const endsOn = trim(values.endsOn);
  if (startsOn || endsOn) {
    if (!isoDate(startsOn)) errors.startsOn = 'An operation needs a start date (or neither date).';
    if (!isoDate(endsOn)) errors.endsOn = 'An operation needs an end date (or neither date).';
    if (isoDate(startsOn) && isoDate(endsOn) && endsOn < startsOn) errors.endsOn = 'The operation ends before it starts.';
    body.startsOn = startsOn;
    body.endsOn = endsOn;
  }
  if (trim(values.note)) body.note = trim(values.note);
  if (values.meeting) body.meeting = Number(values.meeting);
  return Object.keys(errors).length ? { errors } : { body };
}

/** values {heldOn, title, attendees: [codes], agenda: [ids]} -> POST /api/meetings body. */
export function meetingBody(values) {
  const errors = {};
  const body = { heldOn: trim(values.heldOn), title: trim(values.title), attendees: [...new Set(values.attendees ?? [])], agenda: [...new Set((values.agenda ?? []).map(Number))] };
  if (!isoDate(body.heldOn)) errors.heldOn = 'Give the date of the meeting.';
  if (!body.title) errors.title = 'Give the meeting a title.';
  return Object.keys(errors).length ? { errors } : { body };
}

/**
 * Where a server failure belongs: the problem's `field` ('target.percent' -> 'target', 'area' …) when
 * the form has it, else '' (shown above the buttons). `fields` lists the form's field names.
 */
export function fieldOfError(error, fields) {
  const raw = error?.problem?.field;
  if (typeof raw !== 'string' || !raw) return '';
  const head = raw.split(/[.[]/)[0];
  if (fields.includes(raw)) return raw;
  return fields.includes(head) ? head : '';
}

/** A fresh Idempotency-Key for one creating request (kept across its retries). */
export function newKey() {
  if (globalThis.crypto?.randomUUID) return globalThis.crypto.randomUUID();
  return `k-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}
