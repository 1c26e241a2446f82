// The popup of an asset (a feature of GET /api/assets or /api/assets/search) and the lines of the
// directory list. Every value from the server is HTML-escaped; links are made only from http(s)
// URLs, plain e-mail addresses and phone numbers. Pure: no DOM.

import { escapeHtml } from '../html.js';
import { formatDate, formatDistance, formatSchedules } from './format.js';

const KIND_NAMES = { place: 'Place', service: 'Service', people: 'People and groups' };

const present = (value) => value !== null && value !== undefined && String(value).trim() !== '';

const HTTP_URL = /^https?:\/\/[^\s<>"']+$/i;
const EMAIL = /^[^\s@<>"']+@[^\s@<>"']+\.[^\s@<>"']+$/;
const PHONE = /^\+?[\d\s()-]{5,}$/;

/** An <a> for an http(s) URL, else the escaped text. */
export function urlLink(url) {
  if (!present(url)) return '';
  const text = String(url).trim();
  return HTTP_URL.test(text) ? `<a href="${escapeHtml(text)}" target="_blank" rel="noopener noreferrer">${escapeHtml(text)}</a>` : escapeHtml(text);
}

export function emailLink(email) {
  if (!present(email)) return '';
  const text = String(email).trim();
  return EMAIL.test(text) ? `<a href="mailto:${escapeHtml(text)}">${escapeHtml(text)}</a>` : escapeHtml(text);
}

export function phoneLink(phone) {
  if (!present(phone)) return '';
  const text = String(phone).trim();
  return PHONE.test(text) ? `<a href="tel:${escapeHtml(text.replace(/[\s()-]/g, ''))}">${escapeHtml(text)}</a>` : escapeHtml(text);
}

/** "1 High Street, Middlesbrough TS1 1AA" from an Open Referral address; "" if none. */
export function addressText(address) {
  if (!address || typeof address !== 'object') return '';
  const town = [address.city, address.postal_code].filter(present).join(' ');
  return [address.address_1, town].filter(present).join(', ');
}

/** "Young people 11–18", "Middlesbrough residents" … from Open Referral eligibility records. */
export function eligibilityText(eligibility) {
  return (Array.isArray(eligibility) ? eligibility : [])
    .map((e) => {
      const min = Number.isInteger(e?.minimum_age) ? e.minimum_age : null;
      const max = Number.isInteger(e?.maximum_age) ? e.maximum_age : null;
      const ages = min !== null && max !== null ? `ages ${min}–${max}` : min !== null ? `ages ${min}+` : max !== null ? `up to age ${max}` : '';
      return [present(e?.eligibility) ? String(e.eligibility).trim() : '', ages].filter(Boolean).join(', ');
    })
    .filter(Boolean);
}

/** "Name, title, 01642 …, name@…" per contact (people assets: personal data, sent only to roles allowed it). */
function contactLines(contacts) {
  return (Array.isArray(contacts) ? contacts : []).map((c) =>
    [escapeHtml(c?.name), escapeHtml(c?.title), ...(Array.isArray(c?.phones) ? c.phones.map(phoneLink) : []), emailLink(c?.email)]
      .filter(Boolean)
      .join(', '),
  );
}

/**
 * The popup's HTML for an asset's properties. `canEdit` adds Edit and Retire buttons
 * (data-asset-action="edit|retire", data-asset-id); the panel handles their clicks.
 */
export function assetPopupHtml(properties, { canEdit = false } = {}) {
  const p = properties || {};
  const rows = [];
  const row = (label, html) => {
    if (html) rows.push(`<tr><th>${escapeHtml(label)}</th><td>${html}</td></tr>`);
  };
  if (typeof p.distance_m === 'number') row('Distance', escapeHtml(formatDistance(p.distance_m)));
  row('Organisation', escapeHtml(p.organisation?.name));
  row('Address', escapeHtml(addressText(p.address)));
  row('Venue', escapeHtml(p.venue));
  row('Phone', phoneLink(p.phone));
  row('Email', emailLink(p.email));
  row('Website', urlLink(p.url));
  const contacts = contactLines(p.contacts).filter(Boolean);
  row('Contact', contacts.join('<br>'));
  const schedules = formatSchedules(p.schedules);
  row('Opening', schedules.map(escapeHtml).join('<br>'));
  row('For', eligibilityText(p.eligibility).map(escapeHtml).join('<br>'));
  row('Languages', escapeHtml((Array.isArray(p.languages) ? p.languages : []).join(', ')));
  if (present(p.status) && p.status !== 'active') row('Status', escapeHtml(p.status));
  row('Ward', escapeHtml(p.ward_name ?? p.ward));
  if (present(p.last_checked)) {
    const flag = p.stale ? ' <strong class="asset-stale">stale — needs checking</strong>' : '';
    row('Last checked', `<span class="asset-last-checked">${escapeHtml(formatDate(p.last_checked))}</span>${flag}`);
  }
  const kind = KIND_NAMES[p.kind] ?? p.kind;
  const subtitle = [p.category_label ?? p.category, p.kind && p.kind !== 'place' ? kind : null].filter(present).join(' · ');
  const description = present(p.description) ? `<p class="asset-description">${escapeHtml(p.description)}</p>` : '';
  const demo = p.demo ? '<p class="asset-demo">Demo data: not a real place.</p>' : '';
  const retired = present(p.retired_at) ? '<p class="asset-retired aim-error">Retired</p>' : '';
  const actions = canEdit && !present(p.retired_at)
    ? `<p class="asset-actions"><button type="button" class="asset-edit" data-asset-action="edit" data-asset-id="${escapeHtml(p.id)}">Edit</button> ` +
      `<button type="button" class="asset-retire" data-asset-action="retire" data-asset-id="${escapeHtml(p.id)}">Retire</button></p>`
    : '';
  return (
    `<div class="aim-popup aim-asset-popup" data-asset-id="${escapeHtml(p.id)}">` +
    `<h3 class="asset-name">${escapeHtml(p.name ?? 'Asset')}</h3>` +
    `<p class="asset-category">${escapeHtml(subtitle)}</p>` +
    retired +
    description +
    `<table>${rows.join('')}</table>` +
    demo +
    actions +
    '</div>'
  );
}

/** One directory result as {name, detail, distance} (plain text; the list sets textContent). */
export function resultLine(properties) {
  const p = properties || {};
  return {
    name: String(p.name ?? 'Asset'),
    detail: [p.category_label ?? p.category, p.organisation?.name, p.ward_name].filter(present).join(' · '),
    distance: typeof p.distance_m === 'number' ? formatDistance(p.distance_m) : '',
    stale: Boolean(p.stale),
  };
}
