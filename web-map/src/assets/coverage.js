// The coverage view's tables in words (GET /api/assets/coverage, /gaps, /nearest). Pure.

import { formatDecimal, formatInteger } from '../html.js';
import { formatDistance, formatShare } from './format.js';

/**
 * The ward rows, least covered first (then by name): [{code, name, assets, perThousand, covered,
 * share}] with per 1,000 residents to 2 decimals ("—" without a population) and the covered share
 * of the ward's land as a percentage.
 */
export function coverageRows(areas) {
  return (Array.isArray(areas) ? areas : [])
    .map((a) => ({
      code: String(a?.code ?? ''),
      name: String(a?.name ?? a?.code ?? ''),
      assets: formatInteger(a?.assets) ?? '0',
      perThousand: formatDecimal(a?.per_1000, 2) ?? '—',
      covered: formatShare(a?.covered_share),
      share: typeof a?.covered_share === 'number' ? a.covered_share : -1,
    }))
    .sort((x, y) => x.share - y.share || x.name.localeCompare(y.name, 'en-GB'));
}

/** How much a gap needs provision: its incidents, then its Gi* z (either may be missing). */
const need = (feature) => [feature?.properties?.incidents, feature?.properties?.z].map((v) => (Number.isFinite(v) ? v : -Infinity));

function byNeed(a, b) {
  const [x, y] = [need(a), need(b)];
  return y[0] - x[0] || y[1] - x[1] || 0;
}

/**
 * The gaps grouped by the ward they lie in (properties.ward from the API; gaps without one are
 * grouped as 'Outside the wards'), neediest first: [{code, name, incidents, gaps: [feature]}], the
 * groups by their gaps' total incidents (then their neediest gap, then name), the gaps in a group by
 * incidents (then Gi* z). The API order is kept among equals.
 */
export function gapGroups(features) {
  const groups = new Map();
  for (const feature of Array.isArray(features) ? features : []) {
    const ward = feature?.properties?.ward;
    const code = ward && typeof ward === 'object' ? String(ward.code ?? ward.name ?? '') : '';
    if (!groups.has(code)) groups.set(code, { code: code || null, name: code ? String(ward.name ?? code) : 'Outside the wards', incidents: 0, gaps: [] });
    const group = groups.get(code);
    group.gaps.push(feature);
    const n = feature?.properties?.incidents;
    if (Number.isFinite(n)) group.incidents += n;
  }
  const list = [...groups.values()];
  for (const group of list) group.gaps.sort(byNeed);
  return list.sort((a, b) => b.incidents - a.incidents || byNeed(a.gaps[0], b.gaps[0]) || a.name.localeCompare(b.name, 'en-GB'));
}

/** A ward group's heading: 'Acklam — 2 gaps, 57 incidents'. */
export function gapGroupTitle(group) {
  const gaps = group?.gaps?.length ?? 0;
  const incidents = formatInteger(group?.incidents ?? 0) ?? '0';
  return `${group?.name ?? ''} — ${gaps} gap${gaps === 1 ? '' : 's'}, ${incidents} incident${group?.incidents === 1 ? '' : 's'}`;
}

/** One line about the hot cells behind the gaps: '4 gaps among 9 hotspot cells (top 5% …)'. */
export function gapSummary(answer) {
  const gaps = answer?.gaps?.features?.length ?? 0;
  const hot = answer?.hotspots?.hot_cells;
  const parts = [`${gaps} gap${gaps === 1 ? '' : 's'}`];
  if (Number.isFinite(hot)) parts.push(`among ${hot} hotspot cell${hot === 1 ? '' : 's'}`);
  const rule = answer?.hotspots?.rule ? ` (${answer.hotspots.rule})` : '';
  return parts.join(' ') + rule;
}

/**
 * The nearest answer in words: {hub: 'Name — 1.2 km' | null, services: ['Name (category) — 350 m', …]}.
 */
export function nearestSummary(answer) {
  const hub = (answer?.nearest ?? [])[0];
  const line = (f) => {
    const p = f?.properties ?? {};
    const category = p.category_label ?? p.category;
    return `${p.name ?? 'Asset'}${category ? ` (${category})` : ''} — ${formatDistance(p.distance_m)}`;
  };
  return {
    hub: hub ? line(hub) : null,
    services: (answer?.services_within_walk?.features ?? []).map(line),
  };
}
