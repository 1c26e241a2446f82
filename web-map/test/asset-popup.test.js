import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addressText, assetPopupHtml, eligibilityText, emailLink, phoneLink, resultLine, urlLink } from '../src/assets/popup.js';

const club = {
  id: 7,
  kind: 'place',
  category: 'youth-club',
  category_label: 'Youth club',
  name: 'Grove Hill Youth Club',
  description: 'Drop-in for 11–18s',
  organisation: { id: 'b7c9…', name: 'Demo Youth Trust' },
  address: { address_1: '1 High Street', city: 'Middlesbrough', postal_code: 'TS1 1AA' },
  phone: '01642 000000',
  email: 'hello@youth.example.org',
  url: 'https://youth.example.org/club',
  schedules: [{ byday: 'MO,WE', opens_at: '16:00', closes_at: '18:00' }],
  eligibility: [{ eligibility: 'Young people', minimum_age: 11, maximum_age: 18 }],
  languages: ['English', 'Urdu'],
  ward: 'E05000001',
  ward_name: 'Grove Hill',
  last_checked: '2023-01-05',
  stale: true,
  distance_m: 1234,
};

test('the popup shows name, category, organisation, contact, opening, last checked and the stale flag', () => {
  const html = assetPopupHtml(club);
  assert.match(html, /<h3 class="asset-name">Grove Hill Youth Club<\/h3>/);
  assert.match(html, /<p class="asset-category">Youth club<\/p>/);
  assert.match(html, /<th>Organisation<\/th><td>Demo Youth Trust<\/td>/);
  assert.match(html, /<th>Address<\/th><td>1 High Street, Middlesbrough TS1 1AA<\/td>/);
  assert.match(html, /href="tel:01642000000"/);
  assert.match(html, /href="mailto:hello@youth.example.org"/);
  assert.match(html, /href="https:\/\/youth.example.org\/club" target="_blank" rel="noopener noreferrer"/);
  assert.match(html, /<th>Opening<\/th><td>Mon, Wed 16:00–18:00<\/td>/);
  assert.match(html, /<th>For<\/th><td>Young people, ages 11–18<\/td>/);
  assert.match(html, /<th>Languages<\/th><td>English, Urdu<\/td>/);
  assert.match(html, /<th>Ward<\/th><td>Grove Hill<\/td>/);
  assert.match(html, /5 Jan 2023<\/span> <strong class="asset-stale">stale — needs checking<\/strong>/);
  assert.match(html, /<th>Distance<\/th><td>1.2 km<\/td>/);
  assert.doesNotMatch(html, /data-asset-action/, 'no edit buttons unless asked');
});

test('a fresh service has no stale flag; its kind is named; planners get Edit and Retire', () => {
  const html = assetPopupHtml({ ...club, kind: 'service', stale: false, distance_m: undefined }, { canEdit: true });
  assert.doesNotMatch(html, /stale/);
  assert.doesNotMatch(html, /Distance/);
  assert.match(html, /<p class="asset-category">Youth club · Service<\/p>/);
  assert.match(html, /data-asset-action="edit" data-asset-id="7"/);
  assert.match(html, /data-asset-action="retire" data-asset-id="7"/);
  // a retired asset has no buttons
  assert.doesNotMatch(assetPopupHtml({ ...club, retired_at: '2024-01-01T00:00:00Z' }, { canEdit: true }), /data-asset-action/);
});

test('every server text is escaped and only safe links are made', () => {
  const evil = '<img src=x onerror=alert(1)>';
  const html = assetPopupHtml({
    id: '"><script>',
    name: evil,
    category_label: evil,
    description: evil,
    organisation: { name: evil },
    address: { address_1: evil },
    phone: evil,
    email: evil,
    url: 'javascript:alert(1)',
    schedules: [{ description: evil }],
    eligibility: [{ eligibility: evil }],
    languages: [evil],
    contacts: [{ name: evil, phones: [evil], email: evil }],
    ward_name: evil,
    last_checked: evil,
    status: evil,
  });
  assert.doesNotMatch(html, /<img|<script/);
  assert.doesNotMatch(html, /href="javascript/);
  assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
  assert.equal(urlLink('javascript:alert(1)'), 'javascript:alert(1)');
  assert.equal(urlLink('https://a.example/"onmouseover="x'), 'https://a.example/&quot;onmouseover=&quot;x');
  assert.equal(emailLink('a@b.c'), '<a href="mailto:a@b.c">a@b.c</a>');
  assert.equal(phoneLink('+44 (0)1642 1'), '<a href="tel:+44016421">+44 (0)1642 1</a>');
  assert.equal(phoneLink('call <me>'), 'call &lt;me&gt;');
});

test('address, eligibility and result lines', () => {
  assert.equal(addressText(null), '');
  assert.equal(addressText({ city: 'Middlesbrough' }), 'Middlesbrough');
  assert.deepEqual(eligibilityText([{ minimum_age: 16 }, { maximum_age: 5 }, {}]), ['ages 16+', 'up to age 5']);
  assert.deepEqual(resultLine({ ...club, distance_m: 350 }), {
    name: 'Grove Hill Youth Club',
    detail: 'Youth club · Demo Youth Trust · Grove Hill',
    distance: '350 m',
    stale: true,
  });
  assert.equal(resultLine({ name: 'X' }).distance, '');
});
