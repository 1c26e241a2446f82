import assert from 'node:assert/strict';
import { test } from 'node:test';
import { problemLegend, problemPopupHtml, problemStyle } from '../src/problems/layer.js';
import { STAGES } from '../src/problems/workflow.js';
import { selectionCells, toggleCellKey } from '../src/layers/hotspots.js';

test('a problem place is outlined in its stage colour, dashed while an escalation is pending', () => {
  const style = problemStyle({ stage: 'response', escalation: null });
  assert.equal(style.color, STAGES.find((s) => s.id === 'response').colour);
  assert.equal(style.className, 'aim-problem aim-problem-response');
  assert.equal(style.dashArray, null);
  assert.equal(problemStyle({ stage: 'objective', escalation: 'pending' }).dashArray, '8 6');
  assert.equal(problemStyle({ stage: '"><script>' }).className, 'aim-problem aim-problem-unknown');
});

test('the popup: stage, owner, lead, target, counts (overdue marked) and a Details button; text escaped', () => {
  const html = problemPopupHtml({
    id: 7,
    title: '<b>ASB</b> & co',
    stage: 'analysis',
    owner: 'nap:NH01',
    leadOrganisation: { code: 'police', name: 'Police' },
    placeLabel: 'Central ward',
    target: { percent: -20, months: 3, baseline: 'same-period-last-year', start: '2026-10-01' },
    openActions: 3,
    overdueActions: 1,
    escalation: 'pending',
  }, { ownerNames: { NH01: 'Gresham' } });
  assert.match(html, /&lt;b&gt;ASB&lt;\/b&gt; &amp; co/);
  assert.doesNotMatch(html, /<b>ASB/);
  assert.match(html, /Analysis/);
  assert.match(html, /Owner: NAP Gresham · lead Police/);
  assert.match(html, /Reduce by 20 % over 3 months from Oct 2026/);
  assert.match(html, /class="problem-popup-actions problem-overdue" data-open="3" data-overdue="1">3 open actions, 1 overdue/);
  assert.match(html, /decision pending/);
  assert.match(html, /data-problem-id="7"/);
});

test('the legend has one outline per stage', () => {
  const legend = problemLegend();
  assert.deepEqual(legend.items.map((i) => i.label), STAGES.map((s) => s.label));
  assert.ok(legend.items.every((i) => i.colour === 'transparent' && /^#/.test(i.outline)));
});

test('selecting hot cells toggles them and lists them sorted', () => {
  let selection = new Set();
  selection = toggleCellKey(selection, 5, 2);
  selection = toggleCellKey(selection, 1, 9);
  selection = toggleCellKey(selection, 5, 1);
  const before = selection;
  selection = toggleCellKey(selection, 5, 2);
  assert.ok(before.has('5,2'), 'a new set each time');
  assert.deepEqual(selectionCells(selection), [[1, 9], [5, 1]]);
});
