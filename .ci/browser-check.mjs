// Loads the closewatch status page in headless Chromium and checks, as a person would,
// that it shows the demo upstreams, that a new close event row appears without a reload,
// that the upstream list filters by state, name and labels and pages (a page size of one in the
// URL's fragment, as a shared link would give), that the close event table filters by
// upstream, code and wasClean, and that an upstream's own view opens from its card and from
// a shared link. Usage: node .ci/browser-check.mjs <base-url> <screenshot.png>
// Exits non-zero on any failure. Chromium: $CHROMIUM, else Debian's.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [base, screenshot] = process.argv.slice(2);
if (!base || !screenshot) {
  console.error('usage: node browser-check.mjs <base-url> <screenshot.png>');
  process.exit(2);
}
const NEW_ROW_TIMEOUT_MS = 15_000;

const executablePath = process.env.CHROMIUM
  || ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((path) => existsSync(path));
if (!executablePath) {
  console.error('browser-check: no Chromium found (set CHROMIUM or apt-get install chromium)');
  process.exit(2);
}

const profile = mkdtempSync(join(tmpdir(), 'closewatch-chromium-'));
const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const problems = [];
let expectedStatus = null;
let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath, headless: true, args, timeout: 60_000, viewport: { width: 1400, height: 1000 }
  });
  const page = context.pages()[0] ?? await context.newPage();
  page.on('pageerror', (error) => problems.push('page error: ' + error.message));
  page.on('console', (message) => {
    // Chromium reports an API's 4xx as a console error: expected only where a step asks for one
    // (400 for a bad label filter, 404 for an unknown upstream)
    if (message.type() === 'error' && !(expectedStatus && message.text().includes(`status of ${expectedStatus}`))) {
      problems.push('console error: ' + message.text());
    }
  });
  page.on('request', (request) => {
    if (!request.url().startsWith(base) && !request.url().startsWith('data:')) {
      problems.push('request outside closewatch: ' + request.url());
    }
  });

  await page.goto(base, { waitUntil: 'domcontentloaded' });
  const title = await page.title();
  check(title.includes('closewatch'), `title is '${title}'`);

  for (const name of ['demo', 'demo-refused']) {
    await page.locator(`.card[data-upstream="${name}"]`).waitFor({ timeout: 15_000 });
  }
  const states = await page.$$eval('.card', (cards) => cards.map((card) =>
    `${card.dataset.upstream}=${card.dataset.state} (${card.querySelector('.badge').textContent})`));
  console.log('browser-check: upstream cards:', states.join(', '));

  // a marker that a reload would lose
  await page.evaluate(() => { window.__closewatchNoReload = true; });
  const before = await maxRowId(page);
  console.log(`browser-check: newest close event row before waiting: ${before}`);
  await page.waitForFunction((id) => [...document.querySelectorAll('#events tbody tr[data-id]')]
    .some((row) => Number(row.dataset.id) > id), before, { timeout: NEW_ROW_TIMEOUT_MS });
  const after = await maxRowId(page);
  check(await page.evaluate(() => window.__closewatchNoReload === true), 'the page reloaded');
  const newest = await page.locator('#events tbody tr').first().innerText();
  console.log(`browser-check: new close event row ${after} appeared live: ${newest.replace(/\s+/g, ' ')}`);
  await page.waitForFunction(() => document.querySelector('#live-text').textContent === 'Live', null,
    { timeout: 5_000 });

  // filters: by state (the refused upstream is never open; the demo one is down for a moment
  // every three seconds, so it may show too), by name, then pages of one; the list puts the
  // upstreams that are not open first
  await page.selectOption('#filter-state', { label: 'not open' });
  await cardsSatisfy(page, (cards) => cards.some((card) => card.name === 'demo-refused')
    && cards.every((card) => card.state !== 'OPEN'), 'state filter "not open"');
  check(page.url().includes('state='), `the state filter is not in the URL: ${page.url()}`);
  await page.selectOption('#filter-state', { label: 'any' });
  await page.fill('#filter-q', 'REFUSED');
  await cardsSatisfy(page, (cards) => cards.length === 1 && cards[0].name === 'demo-refused', 'name search "REFUSED"');
  await page.fill('#filter-q', '');
  await page.fill('#filter-label', 'kind=refused');
  await cardsSatisfy(page, (cards) => cards.length === 1 && cards[0].name === 'demo-refused', 'label filter kind=refused');
  await page.fill('#filter-label', 'team=demo, kind=rotating');
  await cardsSatisfy(page, (cards) => cards.length === 1 && cards[0].name === 'demo', 'label filters team=demo, kind=rotating');
  expectedStatus = 400;
  await page.fill('#filter-label', 'team');
  await page.waitForFunction(() => /label/.test(document.querySelector('#upstreams .empty')?.textContent || ''), null,
    { timeout: 5_000 }).catch(() => check(false, 'a label without "=" did not show the API\'s words'));
  await page.fill('#filter-label', '');
  await cardsSatisfy(page, (cards) => cards.length === 2, 'label filter cleared');
  expectedStatus = null;
  await page.fill('#filter-q', 'no-such-upstream');
  await page.locator('#upstreams .empty').waitFor({ timeout: 5_000 });
  await page.fill('#filter-q', '');
  await cardsSatisfy(page, (cards) => cards.length === 2
    && cards.every((card, i) => i === 0 || cards[i - 1].state !== 'OPEN' || card.state === 'OPEN'),
  'no filter, the ones not open first');
  let paged = null;
  for (let attempt = 1; attempt <= 3 && !paged; attempt++) {
    await page.evaluate(() => { location.hash = 'size=1'; });
    await cardsSatisfy(page, (cards) => cards.length === 1, 'a page of one');
    await page.waitForFunction(() => document.querySelector('#page-info').textContent.includes('of 2'), null,
      { timeout: 5_000 });
    const first = await shownNames(page);
    await page.click('#page-next');
    try {
      await cardsSatisfy(page, (cards) => cards.length === 1 && cards[0].name !== first[0], 'the second page');
      check(await page.isDisabled('#page-next'), 'Next is enabled on the last page');
      paged = [first[0], (await shownNames(page))[0]];
    } catch (error) {
      // the demo upstream changed places between the two pages; once more
      console.log(`browser-check: paging attempt ${attempt}: ${error.message}`);
      await page.evaluate(() => { location.hash = ''; });
    }
  }
  check(paged !== null, 'paging through pages of one did not show both upstreams in three attempts');
  await page.click('#page-prev');
  await cardsSatisfy(page, (cards) => cards.length === 1, 'back to the first page');
  console.log(`browser-check: filters by state, name and labels work; pages of one showed ${paged.join(', then ')}`);
  await page.evaluate(() => { location.hash = ''; });
  await cardsSatisfy(page, (cards) => cards.length === 2, 'filters cleared');
  check(await page.evaluate(() => window.__closewatchNoReload === true), 'the page reloaded while filtering');

  // the close event table's filters: by upstream, wasClean and code, kept in the URL
  await page.fill('#events-upstream', 'demo-refused');
  await rowsSatisfy(page, (rows) => rows.length > 0 && rows.every((row) => row.upstream === 'demo-refused'),
    'events filtered by upstream demo-refused');
  await page.selectOption('#events-clean', 'false');
  await page.fill('#events-code', '1006');
  await rowsSatisfy(page, (rows) => rows.length > 0 && rows.every((row) => row.upstream === 'demo-refused'
    && row.code === '1006' && row.clean === 'false'), 'events filtered by upstream, code 1006 and unclean');
  await page.waitForFunction(() => /events-upstream=demo-refused/.test(location.hash)
    && /events-code=1006/.test(location.hash), null, { timeout: 5_000 })
    .catch(() => check(false, `the event filters are not in the URL: ${page.url()}`));
  await page.fill('#events-code', '4999');
  await page.locator('#events tbody tr.placeholder').waitFor({ timeout: 5_000 });
  await page.click('#events-clear');
  await rowsSatisfy(page, (rows) => new Set(rows.map((row) => row.upstream)).size === 2, 'event filters cleared');
  console.log('browser-check: the close event table filters by upstream, code and wasClean');

  // one upstream's own view: from its card, then from a shared link in a fresh load
  await page.click('.card[data-upstream="demo"] .card-link');
  await page.locator('#detail-view').waitFor({ state: 'visible', timeout: 5_000 });
  check(page.url().endsWith('#upstream=demo'), `the upstream view's URL is ${page.url()}`);
  check(await page.isHidden('#list-view'), 'the list is still shown in the upstream view');
  check(await page.evaluate(() => document.activeElement?.id === 'detail-heading'), 'focus did not move to the heading');
  await page.waitForFunction(() => /%/.test(document.querySelector('#detail-avail-value').textContent), null,
    { timeout: 10_000 });
  await page.waitForFunction(() => document.querySelectorAll('#detail-timeline .close').length > 0, null,
    { timeout: 10_000 });
  await rowsSatisfy(page, (rows) => rows.length > 0 && rows.every((row) => row.upstream === 'demo'),
    'the upstream view lists only its closes');
  const detailFacts = await page.evaluate(() => ({
    state: document.querySelector('#detail-badge').textContent,
    availability: document.querySelector('#detail-avail-value').textContent,
    timeline: document.querySelector('#detail-timeline').getAttribute('aria-label')
  }));
  console.log(`browser-check: upstream view of demo: ${JSON.stringify(detailFacts)}`);
  await page.waitForTimeout(2_600);
  await page.screenshot({ path: screenshot.replace(/\.png$/, '-upstream.png'), fullPage: true });
  await page.goto(base + '#upstream=demo-refused', { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => document.querySelector('#detail-heading').textContent === 'demo-refused'
    && document.querySelector('#detail-url').textContent.startsWith('ws'), null, { timeout: 10_000 });
  await page.click('#detail-back');
  await cardsSatisfy(page, (cards) => cards.length === 2, 'back to the list from the upstream view');
  expectedStatus = 404;
  await page.goto(base + '#upstream=no-such-upstream', { waitUntil: 'domcontentloaded' });
  await page.locator('#detail-missing').waitFor({ state: 'visible', timeout: 10_000 });
  await page.waitForFunction(() => /not recorded|not monitored/.test(document.querySelector('#detail-avail-value').textContent),
    null, { timeout: 10_000 });
  console.log('browser-check: the upstream view opens from its card and from a shared link; an unknown one says so');
  await page.goto(base, { waitUntil: 'domcontentloaded' });
  expectedStatus = null;
  for (const name of ['demo', 'demo-refused']) {
    await page.locator(`.card[data-upstream="${name}"]`).waitFor({ timeout: 15_000 });
  }

  // let the highlight of the new row fade so the screenshot shows the steady state
  await page.waitForTimeout(2_600);
  await page.screenshot({ path: screenshot, fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: screenshot.replace(/\.png$/, '-dark.png'), fullPage: true });
  console.log(`browser-check: screenshots ${screenshot} and ${screenshot.replace(/\.png$/, '-dark.png')}`);
} catch (error) {
  problems.push(error.message.split('\n')[0]);
} finally {
  await context?.close();
  rmSync(profile, { recursive: true, force: true });
}

if (problems.length > 0) {
  for (const problem of problems) console.error('browser-check: FAILED: ' + problem);
  process.exit(1);
}
console.log('browser-check: passed');

function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function shownNames(page) {
  return page.$$eval('#upstreams .card', (cards) => cards.map((card) => card.dataset.upstream));
}

// polls the cards until the predicate holds for them, for up to 8 s
async function cardsSatisfy(page, predicate, what) {
  const deadline = Date.now() + 8_000;
  let cards = [];
  while (Date.now() < deadline) {
    cards = await page.$$eval('#upstreams .card', (nodes) => nodes.map((card) =>
      ({ name: card.dataset.upstream, state: card.dataset.state })));
    if (predicate(cards)) return;
    await page.waitForTimeout(100);
  }
  throw new Error(`${what}: cards ${JSON.stringify(cards)}`);
}

// polls the close event rows until the predicate holds for them, for up to 8 s
async function rowsSatisfy(page, predicate, what) {
  const deadline = Date.now() + 8_000;
  let rows = [];
  while (Date.now() < deadline) {
    rows = await page.$$eval('#events tbody tr[data-id]', (nodes) => nodes.map((row) => ({
      upstream: row.dataset.upstream,
      code: row.querySelector('.code')?.textContent,
      clean: row.querySelector('.pill')?.textContent
    })));
    if (predicate(rows)) return;
    await page.waitForTimeout(100);
  }
  throw new Error(`${what}: rows ${JSON.stringify(rows.slice(0, 5))} (${rows.length})`);
}

async function maxRowId(page) {
  return page.$$eval('#events tbody tr[data-id]', (rows) => Math.max(0, ...rows.map((row) => Number(row.dataset.id))));
}
