// Small text helpers shared by layers and panels. Pure: no DOM, no Leaflet.

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for use in HTML content or a quoted attribute. null/undefined -> "". */
export function escapeHtml(value) {
  if (value === null || value === undefined) return '';
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** 12345 -> "12,345"; rounds to a whole number. Not a finite number -> null. */
export function formatInteger(value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  const sign = value < 0 ? '-' : '';
  const digits = String(Math.abs(Math.round(value)));
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 3.14159 -> "3.14" (fixed decimals). Not a finite number -> null. */
export function formatDecimal(value, decimals) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  return value.toFixed(decimals);
}
