import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatChange, formatRate, rankingNote, rankingRow, rankingTableHtml } from '../src/panels/rankings.js';

// rows as GET /api/areas/stats writes them
const bridgeEnd = {
  code: 'DEMO-W05',
  name: 'Bridge End',
  count: 124,
  population: 6100,
  populationYear: 2021,
  rate: 20.33,
  rateNote: null,
  rank: 1,
  previous: { count: 8, rate: 1.31, rank: 4 },
  change: { count: 116, percent: 1450.0, rate: 19.02, pValue: 8.7e-28, significant: true },
};
const oakridge = {
  code: 'DEMO-W15',
  name: 'Oakridge',
  count: 7,
  population: 6000,
  rate: 1.17,
  rank: 4,
  previous: { count: 8, rate: 1.33, rank: 2 },
  change: { count: -1, percent: -12.5, rate: -0.17, pValue: 0.8026, significant: false },
};
const noPopulation = {
  code: 'X1',
  name: 'Docks <new>',
  count: 5,
  population: null,
  rate: null,
  rateNote: 'no population',
  rank: null,
  previous: { count: 0, rate: null, rank: null },
  change: { count: 5, percent: null, rate: null, pValue: 0.06, significant: false },
};

test('rates have 1 decimal', () => {
  assert.equal(formatRate(20.33), '20.3');
  assert.equal(formatRate(1.25), '1.3');
  assert.equal(formatRate(0), '0.0');
  assert.equal(formatRate(null), null);
});

test('a row: rank, name, count, rate; no population is said, and unranked', () => {
  assert.deepEqual(
    { ...rankingRow(bridgeEnd), change: undefined },
    { code: 'DEMO-W05', rank: '1', name: 'Bridge End', count: '124', rate: '20.3', hasRate: true, change: undefined },
  );
  const none = rankingRow(noPopulation);
  assert.equal(none.rank, '–');
  assert.equal(none.rate, 'no population');
  assert.equal(none.hasRate, false);
});

test('change: arrow, signed percentage, significance marker and a title with the counts and p', () => {
  assert.deepEqual(formatChange(bridgeEnd), {
    direction: 'up',
    arrow: '▲',
    text: '+1450.0%',
    significant: true,
    marker: '*',
    title: '8 → 124; significant change (p < 0.001)',
  });
  const down = formatChange(oakridge);
  assert.equal(down.direction, 'down');
  assert.equal(down.arrow, '▼');
  assert.equal(down.text, '\u221212.5%');
  assert.equal(down.marker, '');
  assert.equal(down.title, '8 → 7; not a significant change (p = 0.803)');
  assert.equal(formatChange(noPopulation).text, 'new', 'none before, some now');
  const flat = formatChange({ count: 0, previous: { count: 0 }, change: { count: 0, percent: null, pValue: 1, significant: false } });
  assert.equal(flat.text, '–');
  assert.equal(flat.direction, 'same');
  assert.equal(formatChange({ count: 3, previous: { count: 3 }, change: { count: 0, percent: 0 } }).text, '0.0%');
});

test('the table: one row per area in the server order, escaped, the change column only when comparing', () => {
  const html = rankingTableHtml([bridgeEnd, oakridge, noPopulation], { compare: true, selected: 'DEMO-W15' });
  const codes = [...html.matchAll(/<tr data-code="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(codes, ['DEMO-W05', 'DEMO-W15', 'X1']);
  assert.match(html, /<th scope="col" class="num">Change<\/th>/);
  assert.match(html, /ranking-up[^>]*>.*▲<\/span> \+1450\.0%<span class="ranking-significant" aria-label="significant">\*<\/span>/);
  assert.match(html, /<tr data-code="DEMO-W15" tabindex="0" class="selected"/);
  assert.match(html, /Docks &lt;new&gt;/);
  assert.ok(!html.includes('<new>'));
  assert.match(html, /ranking-no-rate">no population</);
  const plain = rankingTableHtml([bridgeEnd], { compare: false });
  assert.ok(!plain.includes('Change'));
  assert.ok(!plain.includes('▲'));
});

test('the note names the previous period', () => {
  assert.match(rankingNote({ previousFrom: '2026-04-01', previousTo: '2026-06-30', alpha: 0.05 }, true), /against 2026-04-01 to 2026-06-30\. \* significant \(p < 0.05/);
  assert.ok(!rankingNote({ previousFrom: 'x' }, false).includes('against'));
});
