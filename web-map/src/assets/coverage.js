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
