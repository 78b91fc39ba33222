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
const net = require('net');
const { parentPort, workerData } = require('worker_threads');
const { monitorEventLoopDelay } = require('perf_hooks');

const { pollUrl, run, intervalMs, deadline } = workerData;
const wallNow = () => performance.timeOrigin + performance.now();
const reasonPattern = new RegExp(`^bench:${run}:(\\d+)$`);
const target = new URL(pollUrl);
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

// One kept-alive connection and a request at a time, written and read by hand: node's http
// client (a ClientRequest, an IncomingMessage, a parser and streams per request) cost this
// thread about a quarter of the load server's CPU at 300-400 polls a second, on the two cores the
// monitor under test shares. The answers it reads are the monitors' own: a status line, headers,
// and a body framed by Content-Length or chunked.
const HEADER_END = Buffer.from('\r\n\r\n');
let socket = null;
let received = [];
let waiting = null; // { resolve, reject, timer } of the request in flight

function fail(error) {
  const w = waiting;
  waiting = null;
  if (socket) socket.destroy();
  socket = null;
  received = [];
  if (w) {
    clearTimeout(w.timer);
    w.reject(error);
  }
}

function connect() {
  const s = net.connect({ host: target.hostname, port: Number(target.port) || 80 });
  s.setNoDelay(true);
  s.on('data', (chunk) => {
    if (s !== socket) return;
    received.push(chunk);
    answer();
  });
  s.on('error', (e) => s === socket && fail(e));
  s.on('close', () => s === socket && fail(new Error('connection closed by the monitor')));
  return s;
}

// the body of the answer in `received` once it is whole, or null
function body(all) {
  const headerEnd = all.indexOf(HEADER_END);
  if (headerEnd < 0) return null;
  const head = all.toString('latin1', 0, headerEnd);
  const status = Number(head.slice(9, 12));
  if (status !== 200) throw new Error(`poll answered ${head.split('\r\n')[0]}`);
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  const closes = /\r\nconnection:\s*close/i.test(head);
  const start = headerEnd + HEADER_END.length;
  if (length) {
    const end = start + Number(length[1]);
    return all.length < end ? null : { body: all.subarray(start, end), closes };
  }
  if (!/\r\ntransfer-encoding:\s*chunked/i.test(head)) throw new Error('poll answered without Content-Length or chunked framing');
  const parts = [];
  for (let at = start; ;) {
    const lineEnd = all.indexOf('\r\n', at, 'latin1');
    if (lineEnd < 0) return null;
    const size = parseInt(all.toString('latin1', at, lineEnd), 16);
    if (size === 0) {
      return all.length < lineEnd + 4 ? null : { body: Buffer.concat(parts), closes };
    }
    if (all.length < lineEnd + 2 + size + 2) return null;
    parts.push(all.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

function answer() {
  if (!waiting) return;
  let whole;
  try {
    const all = received.length === 1 ? received[0] : Buffer.concat(received);
    received = [all];
    whole = body(all);
  } catch (e) {
    fail(e);
    return;
  }
  if (!whole) return;
  const w = waiting;
  waiting = null;
  clearTimeout(w.timer);
  received = [];
  if (whole.closes) {
    socket.destroy();
    socket = null;
  }
  try {
    w.resolve(JSON.parse(whole.body.toString('utf8')));
  } catch (e) {
    w.reject(e);
  }
}

function page(query) {
  return new Promise((resolve, reject) => {
    if (!socket) socket = connect();
    waiting = { resolve, reject, timer: setTimeout(() => fail(new Error('poll timeout')), 5000) };
    const search = target.search ? target.search + '&' + query : '?' + query;
    socket.write(`GET ${target.pathname}${search} HTTP/1.1\r\nHost: ${target.host}\r\nAccept: application/json\r\n\r\n`);
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
  if (socket) socket.destroy();
  parentPort.postMessage({ type: 'done', seen, polls, pages, pollErrors,
    loopDelayP99Ms: loopDelay.percentile(99) / 1e6, loopDelayMaxMs: loopDelay.max / 1e6 });
}

main();
