// The status page in headless Chromium against a running closewatch (issue 20): first render,
// a filter change, a page change and an upstream's own view, each timed inside the page from
// the user's action to the DOM showing its result, the best and the median of ROUNDS fresh loads.
// Prints one JSON line; saves screenshots next to <out-prefix>.
//   node bench/status-page.mjs <base-url> <out-prefix> [rounds=5]
// playwright-core comes from .ci/node_modules (bash .ci/browser-check.sh installs it), Chromium
// from Debian ($CHROMIUM to override). Loopback only: any other request fails the run.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [base, out, roundsArg] = process.argv.slice(2);
if (!base || !out) {
  console.error('usage: node bench/status-page.mjs <base-url> <out-prefix> [rounds]');
  process.exit(2);
}
const ROUNDS = Number(roundsArg || 5);
const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', '.ci', 'package.json'));
const { chromium } = require('playwright-core');
const executablePath = process.env.CHROMIUM
  || ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((path) => existsSync(path));
if (!executablePath) {
  console.error('status-page: no Chromium (apt-get install chromium, or set CHROMIUM)');
  process.exit(2);
}

const profile = mkdtempSync(join(tmpdir(), 'closewatch-bench-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath, headless: true, viewport: { width: 1400, height: 1000 }, timeout: 60_000,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync']
});
const outside = [];
const figures = { firstRenderMs: [], filterEmptyMs: [], filterMs: [], searchMs: [], pageMs: [], upstreamViewMs: [], domNodes: [], cards: [] };
try {
  const page = context.pages()[0] ?? await context.newPage();
  page.on('request', (request) => {
    if (!request.url().startsWith(base) && !request.url().startsWith('data:')) outside.push(request.url());
  });
  for (let round = 0; round < ROUNDS; round++) {
    // first render: navigation start to a full page of cards and the summary's total
    // a new document each round: from about:blank, not a fragment change of the last round's page
    await page.goto('about:blank');
    await page.goto(base, { waitUntil: 'commit' });
    await page.waitForFunction(() => document.querySelectorAll('#upstreams .card').length > 0
      && /\d/.test(document.querySelector('#stat-total').textContent)
      && /of/.test(document.querySelector('#page-info').textContent), null, { timeout: 30_000 });
    figures.firstRenderMs.push(await page.evaluate(() => performance.now()));
    figures.domNodes.push(await page.evaluate(() => document.getElementsByTagName('*').length));
    figures.cards.push(await page.evaluate(() => document.querySelectorAll('#upstreams .card').length));

    // filter change: state "not open", then "open"; each until the cards show the server's
    // answer to that filter (#upstreams' data-query is the query of the page it shows)
    figures.filterEmptyMs.push(await timed(page, () => {
      const select = document.querySelector('#filter-state');
      select.value = 'GAVE_UP,WAITING_TO_RECONNECT,CONNECTING,CLOSING';
      select.dispatchEvent(new Event('change'));
      return () => /state=GAVE_UP/.test(document.querySelector('#upstreams').dataset.query);
    }));
    figures.filterMs.push(await timed(page, () => {
      const select = document.querySelector('#filter-state');
      select.value = 'OPEN';
      select.dispatchEvent(new Event('change'));
      return () => /state=OPEN/.test(document.querySelector('#upstreams').dataset.query);
    }));

    // name search: the box's debounce (250 ms) is part of what a person waits for
    figures.searchMs.push(await timed(page, () => {
      const input = document.querySelector('#filter-q');
      input.value = '0042';
      input.dispatchEvent(new Event('input'));
      return () => /q=0042/.test(document.querySelector('#upstreams').dataset.query);
    }));

    // page change: back to no filter, then Next
    await page.evaluate(() => { location.hash = ''; });
    await page.waitForFunction(() => !/state=|q=/.test(document.querySelector('#upstreams').dataset.query)
      && document.querySelector('#page-info').textContent.startsWith('1–'), null, { timeout: 10_000 });
    figures.pageMs.push(await timed(page, () => {
      const first = document.querySelector('#upstreams .card').dataset.upstream;
      document.querySelector('#page-next').click();
      return () => /cursor=/.test(document.querySelector('#upstreams').dataset.query)
        && document.querySelector('#upstreams .card')?.dataset.upstream !== first;
    }));

    // an upstream's own view, from its card: state, availability and timeline drawn
    figures.upstreamViewMs.push(await timed(page, () => {
      document.querySelector('#upstreams .card .card-link').click();
      return () => !document.querySelector('#detail-view').hidden
        && document.querySelector('#detail-url').textContent.length > 0
        && /%|not/.test(document.querySelector('#detail-avail-value').textContent)
        && document.querySelector('#detail-timeline').getAttribute('aria-label') !== 'Timeline not loaded yet';
    }));
    if (round === ROUNDS - 1) {
      await page.screenshot({ path: out + '-upstream.png', fullPage: true });
      await page.goto(base + '#', { waitUntil: 'domcontentloaded' });
      await page.waitForFunction(() => document.querySelectorAll('#upstreams .card').length > 0, null, { timeout: 30_000 });
      await page.screenshot({ path: out + '.png', fullPage: true });
    }
  }
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
if (outside.length > 0) {
  console.error('status-page: requests outside closewatch: ' + outside.slice(0, 3).join(', '));
  process.exit(1);
}
const summary = {};
for (const [name, values] of Object.entries(figures)) {
  const sorted = [...values].sort((a, b) => a - b);
  summary[name] = { best: round1(sorted[0]), median: round1(sorted[Math.floor(sorted.length / 2)]), max: round1(sorted[sorted.length - 1]) };
}
console.log(JSON.stringify({ rounds: ROUNDS, ...summary, screenshots: [out + '.png', out + '-upstream.png'] }));

function round1(value) {
  return Math.round(value * 10) / 10;
}

// runs act() in the page, which returns a condition; resolves with the milliseconds from the
// act to the first animation frame at which the condition holds
async function timed(page, act) {
  return page.evaluate(`new Promise((resolve, reject) => {
    const start = performance.now();
    const done = (${act.toString()})();
    const deadline = start + 20000;
    const poll = () => {
      if (done()) resolve(performance.now() - start);
      else if (performance.now() > deadline) reject(new Error('not done within 20 s: ' + ${JSON.stringify(act.toString().slice(0, 80))}));
      else requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
  })`);
}
