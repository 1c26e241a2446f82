import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

const read = (path) => readFile(new URL(`../src/${path}`, import.meta.url), 'utf8');

test('the log-in page has the form, an alert for errors and its own bundle', async () => {
  const html = await read('login/index.html');
  assert.match(html, /<meta name="viewport" content="width=device-width, initial-scale=1">/);
  assert.match(html, /<script type="module" src="login.js"><\/script>/);
  assert.match(html, /<link rel="stylesheet" href="login.css">/);
  assert.match(html, /id="username"[^>]*autocomplete="username"/);
  assert.match(html, /id="password" name="password" type="password" autocomplete="current-password"/);
  assert.match(html, /id="login-error" class="aim-error" role="alert" hidden/);
});

test('the report page loads its bundle by absolute path (it is also served for /report and from the offline cache)', async () => {
  const html = await read('report/index.html');
  assert.match(html, /<meta name="viewport" content="width=device-width, initial-scale=1">/);
  assert.match(html, /<script type="module" src="\/report\/report.js"><\/script>/);
  assert.match(html, /<link rel="stylesheet" href="\/report\/report.css">/);
  assert.match(html, /<input id="photo-input"[^>]*type="file" accept="image\/\*" capture="environment">/);
  for (const id of ['queue-count', 'categories', 'fly-size', 'fly-waste', 'fly-land', 'report-map', 'description', 'send-report', 'my-reports']) {
    assert.match(html, new RegExp(`id="${id}"`), id);
  }
});

test('the actions and meetings pages load their bundles by absolute path (also served as /actions and /meetings/?id=N)', async () => {
  for (const page of ['actions', 'meetings']) {
    const html = await read(`${page}/index.html`);
    assert.match(html, /<meta name="viewport" content="width=device-width, initial-scale=1">/);
    assert.match(html, new RegExp(`<script type="module" src="/${page}/${page}.js"></script>`));
    assert.match(html, new RegExp(`<link rel="stylesheet" href="/${page}/${page}.css">`));
    assert.doesNotMatch(html, /<script>|\son[a-z]+="/, 'no inline script (CSP script-src self)');
  }
  assert.match(await read('actions/index.html'), /id="my-actions"/);
  assert.match(await read('meetings/index.html'), /id="meeting-list"/);
});
