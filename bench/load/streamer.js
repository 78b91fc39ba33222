'use strict';
// The close-to-stream reader: like poller.js, a worker thread of the load server, but it reads
// the monitor's live close-event stream (Server-Sent Events) instead of polling the list, and
// reports when each of this run's closes (reason `bench:<run>:<seq>`) arrived on it.
//
// workerData: { streamUrl, run, deadline (ms, wall clock) }
// posts:      { type: 'ready' } once the stream's headers are in (closes may start);
//             { type: 'done', seen: [[seq, seenAt, closedAt], ...], polls, pages, pollErrors,
//               loopDelayP99Ms, loopDelayMaxMs } after 'stop' with every close seen, or the deadline
// receives:   { type: 'stop', sent } when the last close has been sent
const http = require('http');
const { parentPort, workerData } = require('worker_threads');
const { monitorEventLoopDelay } = require('perf_hooks');

const { streamUrl, run, deadline } = workerData;
const wallNow = () => performance.timeOrigin + performance.now();
const reasonPattern = new RegExp(`^bench:${run}:(\\d+)$`);
const seen = [];
let events = 0;
let errors = 0;
let sent = null;
let finished = false;
const loopDelay = monitorEventLoopDelay({ resolution: 1 });

function finish(req) {
  if (finished) return;
  finished = true;
  clearTimeout(timer);
  loopDelay.disable();
  req.destroy();
  parentPort.postMessage({ type: 'done', seen, polls: 1, pages: events, pollErrors: errors,
    loopDelayP99Ms: loopDelay.percentile(99) / 1e6, loopDelayMaxMs: loopDelay.max / 1e6 });
}

const req = http.get(streamUrl, { headers: { accept: 'text/event-stream' } }, (res) => {
  if (res.statusCode !== 200) {
    errors++;
    finish(req);
    return;
  }
  loopDelay.enable();
  parentPort.postMessage({ type: 'ready' });
  res.setEncoding('utf8');
  let buffered = '';
  let data = '';
  res.on('data', (chunk) => {
    const seenAt = wallNow();
    buffered += chunk;
    let nl;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl).replace(/\r$/, '');
      buffered = buffered.slice(nl + 1);
      if (line.startsWith('data:')) {
        data += line.slice(5).replace(/^ /, '');
      } else if (line === '' && data) {
        events++;
        try {
          const item = JSON.parse(data);
          const m = reasonPattern.exec(item.reason || '');
          if (m) seen.push([Number(m[1]), seenAt, Date.parse(item.closedAt)]);
        } catch (e) {
          errors++;
        }
        data = '';
      }
    }
    if (sent !== null && seen.length >= sent) finish(req);
  });
  res.on('error', () => { errors++; finish(req); });
  res.on('end', () => finish(req));
});
req.on('error', () => { errors++; finish(req); });
const timer = setTimeout(() => finish(req), Math.max(0, deadline - wallNow()));

parentPort.on('message', (m) => {
  if (m.type !== 'stop') return;
  sent = m.sent;
  if (seen.length >= sent) finish(req);
});
