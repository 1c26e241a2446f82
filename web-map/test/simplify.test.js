import assert from 'node:assert/strict';
import { test } from 'node:test';
import { simplifyForZoom } from '../src/simplify.js';

test('full detail from zoom 14, 10 m at 12-13, 50 m below 12', () => {
  assert.deepEqual(
    [8, 11, 11.9, 12, 13, 13.5, 14, 18].map(simplifyForZoom),
    [50, 50, 50, 10, 10, 10, 0, 0],
  );
});
