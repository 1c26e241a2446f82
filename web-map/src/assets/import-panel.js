// Bulk import (planners and admins): a CSV file (a header row; geometry as WKT or easting/northing
// in EPSG:27700, or lon/lat in WGS84) or Open Referral UK JSON, posted to
// POST /api/assets/import; the server keeps the good CSV rows and the report lists each bad one by
// line. Open Referral is all or nothing: a refusal is shown as the problem's detail.
//
// Ids for tests: #asset-import-form, #asset-import-file, #asset-import-format, #asset-import-category,
// #asset-import-submit, #asset-import-status, #asset-import-report (.asset-import-counts, li per issue).

import { categoryOptions, el, field } from '../dom.js';

/** The format of a file from its name: .json / .geojson -> openreferral, anything else csv. */
export function importFormat(fileName) {
  return /\.(json|geojson)$/i.test(String(fileName ?? '')) ? 'openreferral' : 'csv';
}

/**
 * The report in words: {counts: '2 read · 2 imported · 0 rejected', issues: ['line 3 — category: unknown …']}
 * (errors first, then warnings; a kept row's warning says so).
 */
export function importReportLines(report) {
  const r = report || {};
  const parts = [];
  if (Number.isFinite(r.read)) parts.push(`${r.read} read`);
  if (Number.isFinite(r.imported)) parts.push(`${r.imported} imported`);
  if (Number.isFinite(r.inserted) && Number.isFinite(r.updated) && r.updated > 0) parts.push(`${r.inserted} new, ${r.updated} updated`);
  if (Number.isFinite(r.rejected)) parts.push(`${r.rejected} rejected`);
  const issues = (Array.isArray(r.issues) ? r.issues : [])
    .slice()
    .sort((a, b) => (a?.severity === 'error' ? 0 : 1) - (b?.severity === 'error' ? 0 : 1))
    .map((i) => {
      const where = i?.where ? `${i.where} — ` : '';
      const fieldName = i?.field ? `${i.field}: ` : '';
      const kept = i?.severity && i.severity !== 'error' ? ` (${i.severity}; the row was kept)` : '';
      const at = i?.location ? ` at ${i.location}` : '';
      return `${where}${fieldName}${i?.message ?? 'problem'}${at}${kept}`;
    });
  if (Array.isArray(r.ignored) && r.ignored.length) issues.push(`Not kept by AIM: ${r.ignored.join(', ')}`);
  return { counts: parts.join(' · '), issues };
}

/** The import section in `parent`; onImported(report) after a successful import. */
export function createAssetImport(parent, { api, flat, onImported = () => {} }) {
  const form = el('form', 'asset-section asset-import');
  form.id = 'asset-import-form';
  form.append(el('p', 'asset-note', 'A CSV file with a header row: name, category, and WKT (EPSG:27700), easting and northing, or lon and lat; '
    + 'optionally description, organisation, phone, email, url, address, postcode, last_checked, uid. Or Open Referral UK JSON.'));
  const file = field('File', 'input', 'asset-import-file', { type: 'file' });
  file.control.accept = '.csv,text/csv,.json,application/json';
  const format = field('Format', 'select', 'asset-import-format');
  format.control.add(new Option('From the file name', ''));
  format.control.add(new Option('CSV', 'csv'));
  format.control.add(new Option('Open Referral UK (JSON)', 'openreferral'));
  const category = field('Category of rows without one', 'select', 'asset-import-category');
  categoryOptions(category.control, flat, { empty: 'From the file' });
  const submit = el('button', 'asset-primary', 'Import');
  submit.type = 'submit';
  submit.id = 'asset-import-submit';
  const status = el('p', 'asset-status');
  status.id = 'asset-import-status';
  status.setAttribute('role', 'status');
  const report = el('div', 'asset-import-report');
  report.id = 'asset-import-report';
  form.append(file.label, format.label, category.label, submit, status, report);
  parent.append(form);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = file.control.files?.[0];
    report.replaceChildren();
    status.classList.remove('aim-error');
    if (!chosen) {
      status.textContent = 'Choose a file first.';
      status.classList.add('aim-error');
      return;
    }
    submit.disabled = true;
    status.textContent = `Importing ${chosen.name}…`;
    try {
      const answer = await api.importAssets(chosen, {
        format: format.control.value || importFormat(chosen.name),
        category: category.control.value,
      });
      const lines = importReportLines(answer);
      status.textContent = `Imported ${chosen.name}.`;
      const counts = el('p', 'asset-import-counts', lines.counts);
      counts.dataset.imported = String(answer?.imported ?? 0);
      counts.dataset.rejected = String(answer?.rejected ?? 0);
      const list = el('ul', 'asset-list asset-import-issues');
      for (const line of lines.issues) list.append(el('li', '', line));
      report.append(counts, list);
      onImported(answer);
    } catch (error) {
      status.textContent = `Not imported: ${error.message}`;
      status.classList.add('aim-error');
      const issues = Array.isArray(error.problem?.issues) ? importReportLines({ issues: error.problem.issues }).issues : [];
      if (issues.length) {
        const list = el('ul', 'asset-list asset-import-issues');
        for (const line of issues) list.append(el('li', '', line));
        report.append(list);
      }
    } finally {
      submit.disabled = false;
    }
  });
  return {};
}
