'use strict';
// The close-to-visible poller: a worker thread of the load server, with its own event loop and
// V8 heap, so that the server's 10,000 sockets (their I/O and their garbage collection) do not
// delay the polls that time the monitor. It reads the monitor's close-event list, newest page
// first, and reports when each of this run's closes (reason `bench:<run>:<seq>`) was first seen.
//
// workerData: { pollUrl, run, intervalMs, deadline (ms, wall clock) }
// posts:      { type: 'ready' } once the list as it was is marked seen (closes may start);
//             { type: 'done', seen: [[seq, seenAt, closedAt], ...], polls, pages, pollErrors,
//               loopDelayP99Ms, loopDelayMaxMs } after 'stop' with every close seen, or the deadline
// receives:   { type: 'stop', sent } when the last close has been sent
const http = require('http');
const { parentPort, workerData } = require('worker_threads');
const { monitorEventLoopDelay } = require('perf_hooks');

const { pollUrl, run, intervalMs, deadline } = workerData;
const wallNow = () => performance.timeOrigin + performance.now();
const reasonPattern = new RegExp(`^bench:${run}:(\\d+)$`);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const seenIds = new Set();
const seen = [];
let polls = 0;
let pages = 0;
let pollErrors = 0;
let sent = null; // set by 'stop'
const loopDelay = monitorEventLoopDelay({ resolution: 1 });

parentPort.on('message', (m) => {
  if (m.type === 'stop') sent = m.sent;
});

function page(query) {
  const url = pollUrl + (pollUrl.includes('?') ? '&' : '?') + query;
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch (e) {
          reject(e);
        }
      });
    });
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error('poll timeout')));
  });
}

async function main() {
  // everything already in the list is marked seen before the first close is sent, so that the
  // first poll stops at it instead of paging back through the earlier runs' events while this
  // run's first closes wait to be read
  try {
    for (const item of (await page('limit=100')).items || []) seenIds.add(item.id);
  } catch (e) {
    pollErrors++;
  }
  loopDelay.enable();
  parentPort.postMessage({ type: 'ready' });
  while (wallNow() < deadline && !(sent !== null && seen.length >= sent)) {
    // at most one poll per intervalMs, so that a fast single-threaded monitor is not polled
    // into saturation (the resolution this adds is at most that interval)
    const pollStart = wallNow();
    polls++;
    let query = 'limit=20';
    // follow older pages only while a page held nothing seen before
    for (let p = 0; p < 100 && query; p++) {
      let body;
      try {
        body = await page(query);
      } catch (e) {
        pollErrors++;
        await new Promise((r) => setTimeout(r, 10));
        break;
      }
      pages++;
      const seenAt = wallNow();
      let anySeen = false;
      for (const item of body.items || []) {
        if (seenIds.has(item.id)) {
          anySeen = true;
          continue;
        }
        seenIds.add(item.id);
        const m = reasonPattern.exec(item.reason || '');
        if (m) seen.push([Number(m[1]), seenAt, Date.parse(item.closedAt)]);
      }
      query = (anySeen || !body.next) ? null : 'limit=100&cursor=' + encodeURIComponent(body.next);
    }
    const wait = intervalMs - (wallNow() - pollStart);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    // wait for 'stop' (a message) between polls
    else await new Promise((r) => setImmediate(r));
  }
  loopDelay.disable();
  agent.destroy();
  parentPort.postMessage({ type: 'done', seen, polls, pages, pollErrors,
    loopDelayP99Ms: loopDelay.percentile(99) / 1e6, loopDelayMaxMs: loopDelay.max / 1e6 });
}

main();
