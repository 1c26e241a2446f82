import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeHtml, formatDecimal, formatInteger } from '../src/html.js';

test('escapeHtml escapes the five HTML special characters', () => {
  assert.equal(escapeHtml(`<a href="x" title='y'>&</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
});

test('escapeHtml turns null and undefined into an empty string and numbers into text', () => {
  assert.equal(escapeHtml(null), '');
  assert.equal(escapeHtml(undefined), '');
  assert.equal(escapeHtml(0), '0');
});

test('formatInteger adds thousands separators', () => {
  assert.equal(formatInteger(0), '0');
  assert.equal(formatInteger(999), '999');
  assert.equal(formatInteger(1000), '1,000');
  assert.equal(formatInteger(12345), '12,345');
  assert.equal(formatInteger(1234567), '1,234,567');
  assert.equal(formatInteger(-12345), '-12,345');
  assert.equal(formatInteger(12345.6), '12,346');
});

test('formatInteger and formatDecimal give null for anything but a finite number', () => {
  for (const value of [null, undefined, '12', NaN, Infinity]) {
    assert.equal(formatInteger(value), null);
    assert.equal(formatDecimal(value, 2), null);
  }
});

test('formatDecimal rounds to the given decimals', () => {
  assert.equal(formatDecimal(3.14159, 2), '3.14');
  assert.equal(formatDecimal(2, 2), '2.00');
  assert.equal(formatDecimal(0.005, 1), '0.0');
});
