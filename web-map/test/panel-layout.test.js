import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitPadding, nextSheet, panOffset, sheetAfterDrag, visibleArea } from '../src/panels/panel-layout.js';

test('a tap on the handle cycles peek, half, full; steps stop at the ends', () => {
  assert.equal(nextSheet('peek'), 'half');
  assert.equal(nextSheet('half'), 'full');
  assert.equal(nextSheet('full'), 'peek');
  assert.equal(nextSheet('full', 1), 'full');
  assert.equal(nextSheet('peek', -1), 'peek');
  assert.equal(nextSheet('half', -1), 'peek');
  assert.equal(nextSheet('unknown'), 'half', 'anything else counts as peek');
});

test('a drag up makes the sheet taller, down shorter, a short one is a tap', () => {
  assert.equal(sheetAfterDrag('half', -80), 'full');
  assert.equal(sheetAfterDrag('half', 80), 'peek');
  assert.equal(sheetAfterDrag('peek', -200), 'half');
  assert.equal(sheetAfterDrag('half', 5), 'full');
});

const MAP = { top: 30, bottom: 844, left: 0, right: 390 };

test('a bottom sheet across the map lowers the visible bottom to its top', () => {
  assert.deepEqual(visibleArea(MAP, [{ top: 500, bottom: 844, left: 0, right: 390 }]), { ...MAP, bottom: 500 });
});

test('overlays on the left or right edge narrow the visible part; panels beside the map change nothing', () => {
  const map = { top: 30, bottom: 768, left: 0, right: 1024 };
  assert.deepEqual(visibleArea(map, [{ top: 30, bottom: 768, left: 0, right: 360 }]), { ...map, left: 360 });
  assert.deepEqual(visibleArea(map, [{ top: 30, bottom: 768, left: 664, right: 1024 }]), { ...map, right: 664 });
  const beside = { top: 30, bottom: 768, left: 0, right: 640 };
  assert.deepEqual(visibleArea(beside, [{ top: 30, bottom: 768, left: 641, right: 1024 }]), beside);
  assert.deepEqual(visibleArea(beside, [{ top: 0, bottom: 0, left: 0, right: 0 }]), beside, 'a hidden panel has no size');
});

test('panOffset moves a point hidden under a sheet up into the visible part', () => {
  const area = { top: 30, bottom: 500, left: 0, right: 390 };
  assert.deepEqual(panOffset({ x: 200, y: 300 }, area), { dx: 0, dy: 0 }, 'already visible');
  assert.deepEqual(panOffset({ x: 200, y: 700 }, area, { margin: 10 }), { dx: 0, dy: 210 }, 'to 10 px above the sheet');
  assert.deepEqual(panOffset({ x: 200, y: 100 }, area, { above: 200, margin: 10 }), { dx: 0, dy: -140 }, 'room for a popup above');
  assert.deepEqual(panOffset({ x: 200, y: 100 }, area, { above: 600, margin: 10 }), { dx: 0, dy: -390 }, 'too tall: tip above the sheet');
  assert.deepEqual(panOffset({ x: 380, y: 300 }, area, { beside: 100, margin: 10 }), { dx: 100, dy: 0 }, 'room beside');
});

test('fitPadding keeps a fitted area clear of the covered parts', () => {
  const box = { top: 30, bottom: 844, left: 0, right: 390 };
  assert.deepEqual(fitPadding(box, { ...box, bottom: 500 }, 24), { paddingTopLeft: [24, 24], paddingBottomRight: [24, 368] });
  assert.deepEqual(fitPadding(box, box), { paddingTopLeft: [0, 0], paddingBottomRight: [0, 0] });
});
