import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BAR_COLOUR, BAR_OUTSIDE_COLOUR, profileSummary, seriesChartData, topCategoriesHtml } from '../src/panels/ward-profile.js';

const series = {
  meta: { from: '2026-01-15', to: '2026-09-30' },
  periods: [
    { label: 'Q4 25/26', start: '2026-01-01', end: '2026-03-31', from: '2026-01-15', to: '2026-03-31', partial: true, count: 2 },
    { label: 'Q1 26/27', start: '2026-04-01', end: '2026-06-30', from: '2026-04-01', to: '2026-06-30', partial: false, count: 8 },
    { label: 'Q2 26/27', start: '2026-07-01', end: '2026-09-30', from: '2026-07-01', to: '2026-09-30', partial: false, count: 124 },
  ],
  topCategories: [
    { category: 'asb-noise', label: 'ASB: noise', count: 120 },
    { category: 'x', label: '<script>', count: 1234 },
  ],
};

test('chart data: every quarter labelled, partial ones marked with their dates, the analysis period dark', () => {
  const data = seriesChartData(series, { from: '2026-07-01', to: '2026-09-30' });
  assert.deepEqual(data.labels, ['Q4 25/26 (part)', 'Q1 26/27', 'Q2 26/27']);
  assert.deepEqual(data.ticks, [['Q4', '25/26 (part)'], ['Q1', '26/27'], ['Q2', '26/27']]);
  assert.match(data.titles[0], /^Q4 25\/26: part only, 15 Jan/);
  assert.equal(data.titles[1], 'Q1 26/27');
  assert.deepEqual(data.counts, [2, 8, 124]);
  assert.deepEqual(data.colours, [BAR_OUTSIDE_COLOUR, BAR_OUTSIDE_COLOUR, BAR_COLOUR]);
  assert.deepEqual(data.partial, [true, false, false]);
  assert.deepEqual(seriesChartData(null), { labels: [], ticks: [], titles: [], counts: [], colours: [], partial: [] });
});

test('top categories, escaped', () => {
  const html = topCategoriesHtml(series.topCategories);
  assert.match(html, /<li data-category="asb-noise"><span class="profile-category">ASB: noise<\/span> <span class="profile-category-count">120<\/span><\/li>/);
  assert.match(html, /&lt;script&gt;/);
  assert.match(html, /1,234/);
  assert.match(topCategoriesHtml([]), /No incidents/);
});

test('top categories grouped: all anti-social behaviour as one, its parts inside', () => {
  const html = topCategoriesHtml([
    { group: 'asb', category: null, label: 'Anti-social behaviour', count: 150, parts: [
      { category: 'anti-social-behaviour', label: 'Anti-social behaviour', count: 100 },
      { category: 'asb-noise', label: 'ASB: noise', count: 50 },
    ] },
    { group: null, category: 'burglary', label: 'Burglary', count: 20, parts: [{ category: 'burglary', label: 'Burglary', count: 20 }] },
  ]);
  assert.match(html, /^<li data-group="asb"><span class="profile-category">Anti-social behaviour<\/span> <span class="profile-category-count">150<\/span><ul class="profile-category-parts"><li data-category="anti-social-behaviour">/);
  assert.match(html, /<li data-category="asb-noise"><span class="profile-category">ASB: noise<\/span> <span class="profile-category-count">50<\/span><\/li><\/ul><\/li>/);
  assert.match(html, /<li data-category="burglary"><span class="profile-category">Burglary<\/span> <span class="profile-category-count">20<\/span><\/li>$/);
  assert.match(topCategoriesHtml([{ group: '<b>', label: '<i>', count: 1, parts: [] }]), /data-group="&lt;b&gt;".*&lt;i&gt;/);
});

test('summary lines of a ward', () => {
  const row = {
    count: 124,
    population: 6100,
    populationYear: 2021,
    rate: 20.33,
    rank: 1,
    previous: { count: 8, rate: 1.31 },
    change: { count: 116, percent: 1450, pValue: 1e-20, significant: true },
  };
  assert.deepEqual(profileSummary(row, { rankedAmong: 20 }, true), [
    'Rank 1 of 20 by rate',
    '124 incidents, 20.3 per 1,000 residents (population 6,100 in 2021)',
    'Previous period: 8 (1.3 per 1,000) ▲ +1450.0%, a significant change',
  ]);
  assert.equal(profileSummary(row, null, false).length, 2);
  assert.deepEqual(profileSummary({ count: 1, rate: null, rateNote: 'no population' }, null, false), ['1 incident; no population, so no rate']);
  assert.deepEqual(profileSummary(null), []);
});
