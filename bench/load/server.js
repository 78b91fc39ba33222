'use strict';
// Load upstream server for the closewatch benchmark. One process, one event loop, no thread
// per connection. It accepts WebSocket upgrades on /ws/<name> on several loopback addresses
// (one address's ephemeral port range is not the limit then) and is driven over a small HTTP
// control API on 127.0.0.1. Everything it does is bounded in count and time.
//
//   node server.js --addresses 127.0.0.2,127.0.0.3 --port 18500 --control-port 18499
//
// Control API (GET, JSON answers):
//   /stats                         open connections, handshakes in flight, peaks, totals
//   /config?upgradeDelayMs=N       delay each 101 answer by N ms (0-1000), to make handshakes overlap
//   /watch?target=N&timeoutMs=T    wait until N are open; times of 99 % and 100 % from the call,
//                                  peak concurrent handshakes in between
//   /storm?target=N&timeoutMs=T    drop every connection at once (TCP reset, no Close frame), then
//                                  as /watch, timed from the drop
//   /closes?rate=R&seconds=S&codes=1000,4000&poll=URL&timeoutMs=T
//                                  close R open connections per second for S seconds with a Close
//                                  frame whose reason is "bench:<run>:<seq>", poll URL (a close-event
//                                  list answering {"items":[{"id","reason","closedAt"}],"next"})
//                                  from a worker thread (poller.js) and report for each close the
//                                  time from sending it to seeing it
//   /closes?...&samples=1          the same, with every close's figures (sorted arrays), so that
//                                  several windows can be pooled
//   /closes?...&stream=URL         the same, but read each close from URL, a live stream of Server-
//                                  Sent Events whose data is the list's item (streamer.js), instead
//                                  of polling the list (then poll= may be left out)
//   /paths                         per path: connections opened, closed, and the last close code and
//                                  reason the client sent ("1000 removed"); totals
//   /counts                        open connections, paths with one or more open, paths with two or
//                                  more (an upstream connected twice)
//   /until?opened=N&closed=M&timeoutMs=T
//                                  wait until N connections were opened and M closed in all since start;
//                                  answers when (epoch ms) each total was reached
//   /quit                          exit
const http = require('http');
const net = require('net');
const path = require('path');
const { Worker } = require('worker_threads');
const { URL } = require('url');
const { monitorEventLoopDelay } = require('perf_hooks');
const websocket = require('./websocket');

function arg(name, fallback) {
  const i = process.argv.indexOf('--' + name);
  return i > 0 ? process.argv[i + 1] : fallback;
}

const addresses = arg('addresses', '127.0.0.2').split(',');
const port = Number(arg('port', '18500'));
const controlPort = Number(arg('control-port', '18499'));
const MAX_CONNECTIONS = Number(arg('max-connections', '10000'));
const POLL_INTERVAL_MS = Number(arg('poll-interval-ms', '2'));

// open connections in an array for O(1) random pick and removal
const open = [];
let inflight = 0; // upgrade requests received and not yet answered
let peakInflight = 0;
let tcpPending = 0; // accepted TCP connections not (yet) upgraded, idle pooled ones included
let peakTcpPending = 0;
let accepted = 0;
let upgrades = 0;
let upgradeDelayMs = 0;
let watchers = [];
// during /closes: for each close, the time until the client's Close answer and the TCP close
let closeDone = null;
let closeRuns = 0;
// per path (without the query): opened, closed, last close "code reason"; and the totals
const paths = new Map();
let totalOpened = 0;
let totalClosed = 0;
let totalsWaiters = [];

function countOpen(path) {
  let counts = paths.get(path);
  if (!counts) {
    counts = { opened: 0, closed: 0, lastClose: '' };
    paths.set(path, counts);
  }
  counts.opened++;
  totalOpened++;
  return counts;
}

function checkTotals() {
  if (totalsWaiters.length) for (const w of [...totalsWaiters]) w.check();
}

// resolves when at least `opened` connections were opened and `closed` closed since start
function until(opened, closed, timeoutMs) {
  return new Promise((resolve) => {
    const w = { openedAt: null, closedAt: null };
    const done = (timedOut) => {
      clearTimeout(timer);
      totalsWaiters = totalsWaiters.filter((x) => x !== w);
      resolve({ opened: totalOpened, closed: totalClosed, openedReachedAt: w.openedAt, closedReachedAt: w.closedAt, timedOut });
    };
    w.check = () => {
      if (w.openedAt === null && totalOpened >= opened) w.openedAt = Date.now();
      if (w.closedAt === null && totalClosed >= closed) w.closedAt = Date.now();
      if (w.openedAt !== null && w.closedAt !== null) done(false);
    };
    const timer = setTimeout(() => done(true), timeoutMs);
    totalsWaiters.push(w);
    w.check();
  });
}

function now() {
  return performance.now();
}

function removeOpen(ws) {
  const i = ws._benchIndex;
  if (i === undefined || i < 0) return;
  const last = open.pop();
  if (last !== ws) {
    open[i] = last;
    last._benchIndex = i;
  }
  ws._benchIndex = -1;
}

function onOpened() {
  for (const w of watchers) w.check();
}

// a new TCP connection on one of the upstream addresses: its request read, then upgraded (after
// upgradeDelayMs) or refused
function onConnection(socket) {
  accepted++;
  tcpPending++;
  if (tcpPending > peakTcpPending) peakTcpPending = tcpPending;
  let pending = true; // accepted and not upgraded
  socket.on('close', () => {
    if (pending) tcpPending--;
  });
  socket.on('error', () => {});
  websocket.readRequest(socket, (request, rest) => {
    if (!request) return;
    if (!websocket.isUpgrade(request)) {
      websocket.refuse(socket, 426, 'Upgrade Required');
      return;
    }
    inflight++;
    if (inflight > peakInflight) peakInflight = inflight;
    let answered = false;
    const answer = () => {
      if (!answered) {
        answered = true;
        inflight--;
      }
    };
    socket.once('close', answer);
    const finish = () => {
      if (socket.destroyed) return answer();
      answer();
      if (!request.target.startsWith('/ws/') || open.length >= MAX_CONNECTIONS) {
        websocket.refuse(socket, 503, 'Service Unavailable');
        return;
      }
      pending = false;
      tcpPending--;
      upgrades++;
      const counts = countOpen(request.target.split('?')[0]);
      const ws = websocket.accept(socket, request, rest, (code, reason) => {
        counts.closed++;
        counts.lastClose = `${code} ${reason}`;
        totalClosed++;
        checkTotals();
        removeOpen(ws);
        if (ws._benchSentAt !== undefined && closeDone) closeDone.push(now() - ws._benchSentAt);
      });
      ws._benchIndex = open.length;
      open.push(ws);
      checkTotals();
      onOpened();
    };
    if (upgradeDelayMs > 0) setTimeout(finish, upgradeDelayMs);
    else finish();
  });
}

for (const address of addresses) {
  const server = net.createServer({ noDelay: true }, onConnection);
  server.maxConnections = MAX_CONNECTIONS + 1000;
  server.listen({ host: address, port, backlog: 4096 });
}

// one watcher waits for `target` open connections, at most timeoutMs
function watch(target, timeoutMs, startedAt) {
  return new Promise((resolve) => {
    const w = { t99: null, t100: null };
    const threshold99 = Math.ceil(target * 0.99);
    peakInflight = inflight;
    peakTcpPending = tcpPending;
    const done = (timedOut) => {
      clearTimeout(timer);
      watchers = watchers.filter((x) => x !== w);
      resolve({ target, open: open.length, t99Ms: w.t99, t100Ms: w.t100, timedOut,
        peakConcurrentHandshakes: peakInflight, peakUnupgradedConnections: peakTcpPending });
    };
    w.check = () => {
      const t = now() - startedAt;
      if (w.t99 === null && open.length >= threshold99) w.t99 = round(t);
      if (w.t100 === null && open.length >= target) {
        w.t100 = round(t);
        done(false);
      }
    };
    const timer = setTimeout(() => done(true), timeoutMs);
    watchers.push(w);
    w.check();
  });
}

function round(x) {
  return Math.round(x * 1000) / 1000;
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]);
}

// close-to-visible: close at `rate`/s for `seconds`, while a worker thread (poller.js) polls the
// monitor's close-event list; the latency of a close is from sending it to the first poll that
// shows it, on the wall clock both threads share
async function closes(rate, seconds, codes, pollUrl, timeoutMs, streamUrl, withSamples = false) {
  // each run tags its reasons: a poll that reads back into an earlier run's closes must not
  // take those for this run's
  const run = ++closeRuns;
  const sentAt = new Map(); // seq -> wall-clock ms
  let seq = 0;
  let skipped = 0;
  closeDone = [];
  const wallNow = () => performance.timeOrigin + performance.now();
  const deadline = wallNow() + Math.min(timeoutMs, seconds * 1000 + 10_000);
  const poller = streamUrl
    ? new Worker(path.join(__dirname, 'streamer.js'), { workerData: { streamUrl, run, deadline } })
    : new Worker(path.join(__dirname, 'poller.js'), { workerData: { pollUrl, run, intervalMs: POLL_INTERVAL_MS, deadline } });
  const report = new Promise((resolve, reject) => {
    poller.on('message', (m) => m.type === 'done' && resolve(m));
    poller.on('error', reject);
    poller.on('exit', (code) => reject(new Error(`poller exited with ${code} before reporting`)));
  });
  report.catch(() => {}); // awaited below; an early failure must not go unhandled meanwhile
  await new Promise((resolve, reject) => {
    poller.on('message', (m) => m.type === 'ready' && resolve());
    poller.on('error', reject);
  });
  // this thread's own event-loop delay over the phase (its GC and the sockets' I/O): it delays
  // sending, not the polls
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  const start = now();
  const endClosing = start + seconds * 1000;
  // closes are sent in small batches on a 2 ms tick, catching up to rate × elapsed
  await new Promise((resolve) => {
    const tick = setInterval(() => {
      const t = now();
      const due = Math.min(Math.floor(((Math.min(t, endClosing) - start) / 1000) * rate), Math.ceil(rate * seconds));
      while (seq + skipped < due) {
        if (open.length === 0) {
          skipped++;
          continue;
        }
        const ws = open[Math.floor(Math.random() * open.length)];
        removeOpen(ws);
        const id = ++seq;
        ws._benchSentAt = now();
        sentAt.set(id, performance.timeOrigin + ws._benchSentAt);
        ws.close(codes[id % codes.length], `bench:${run}:${id}`);
      }
      if (t >= endClosing) {
        clearInterval(tick);
        resolve();
      }
    }, 2);
  });
  poller.postMessage({ type: 'stop', sent: seq });
  const polled = await report;
  loopDelay.disable();
  await poller.terminate();
  const elapsed = (now() - start) / 1000;
  const latencies = [];
  // each latency split at the monitor's own closedAt stamp (wall clock, ms): before it the close
  // travels and is handled, after it the event waits to be read by a poll
  const toStamp = [];
  const stampToSeen = [];
  const timeline = [];
  for (const [id, seenAt, closedAt] of polled.seen) {
    const sent = sentAt.get(id);
    if (sent === undefined) continue;
    sentAt.delete(id);
    latencies.push(seenAt - sent);
    timeline.push([round(sent - (performance.timeOrigin + start)), round(seenAt - sent)]);
    if (!Number.isNaN(closedAt)) {
      toStamp.push(closedAt - sent);
      stampToSeen.push(seenAt - closedAt);
    }
  }
  latencies.sort((a, b) => a - b);
  toStamp.sort((a, b) => a - b);
  stampToSeen.sort((a, b) => a - b);
  // the slowest 1 %, by when they were sent: one stall or many
  const slowest = timeline.sort((a, b) => b[1] - a[1]).slice(0, Math.ceil(timeline.length / 100))
    .sort((a, b) => a[0] - b[0]);
  const done = closeDone.sort((a, b) => a - b);
  closeDone = null;
  return {
    closeHandshakeP50Ms: percentile(done, 50), closeHandshakeP99Ms: percentile(done, 99),
    rate, seconds, sent: seq, skippedNoneOpen: skipped, achievedRate: round(seq / seconds), seen: latencies.length,
    missing: seq - latencies.length, polls: polled.polls, pages: polled.pages, pollErrors: polled.pollErrors,
    pollsPerSecond: round(polled.pages / elapsed),
    p50Ms: percentile(latencies, 50), p90Ms: percentile(latencies, 90), p99Ms: percentile(latencies, 99),
    maxMs: latencies.length ? round(latencies[latencies.length - 1]) : null,
    toClosedAtP50Ms: percentile(toStamp, 50), toClosedAtP99Ms: percentile(toStamp, 99),
    closedAtToSeenP50Ms: percentile(stampToSeen, 50), closedAtToSeenP99Ms: percentile(stampToSeen, 99),
    pollerLoopDelayP99Ms: round(polled.loopDelayP99Ms), pollerLoopDelayMaxMs: round(polled.loopDelayMaxMs),
    loadServerLoopDelayP99Ms: round(loopDelay.percentile(99) / 1e6), loadServerLoopDelayMaxMs: round(loopDelay.max / 1e6),
    startedAt: new Date(performance.timeOrigin + start).toISOString(), slowestSentAtMs: slowest.map((x) => x[0]),
    // every close's figures, sorted, for pooling several windows (samples=1)
    ...(withSamples ? { samples: { latencyMs: latencies.map(round), toClosedAtMs: toStamp.map(round),
      closedAtToSeenMs: stampToSeen.map(round) } } : {}),
  };
}

function json(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const control = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  const q = (k, d) => (url.searchParams.has(k) ? url.searchParams.get(k) : d);
  try {
    switch (url.pathname) {
      case '/stats':
        return json(res, 200, { open: open.length, inflight, peakInflight, tcpPending, peakTcpPending, accepted, upgrades, upgradeDelayMs });
      case '/config':
        upgradeDelayMs = Math.max(0, Math.min(1000, Number(q('upgradeDelayMs', upgradeDelayMs))));
        return json(res, 200, { upgradeDelayMs });
      case '/watch': {
        const target = Math.min(MAX_CONNECTIONS, Number(q('target', '1')));
        const timeoutMs = Math.min(600_000, Number(q('timeoutMs', '60000')));
        return json(res, 200, await watch(target, timeoutMs, now()));
      }
      case '/storm': {
        const target = Math.min(MAX_CONNECTIONS, Number(q('target', String(open.length))));
        const timeoutMs = Math.min(600_000, Number(q('timeoutMs', '60000')));
        const t0 = now();
        const victims = open.splice(0, open.length);
        for (const ws of victims) {
          ws._benchIndex = -1;
          ws.reset();
        }
        const result = await watch(target, timeoutMs, t0);
        result.dropped = victims.length;
        return json(res, 200, result);
      }
      case '/closes': {
        const rate = Math.max(1, Math.min(5000, Number(q('rate', '1000'))));
        const seconds = Math.max(1, Math.min(60, Number(q('seconds', '10'))));
        const codes = q('codes', '1000,4000').split(',').map(Number);
        const timeoutMs = Math.min(120_000, Number(q('timeoutMs', '30000')));
        if (!q('poll') && !q('stream')) return json(res, 400, { error: 'poll=<close-event list URL> or stream=<event stream URL> is required' });
        return json(res, 200, await closes(rate, seconds, codes, q('poll'), timeoutMs, q('stream'), q('samples') === '1'));
      }
      case '/paths':
        return json(res, 200, { totalOpened, totalClosed, open: open.length, paths: Object.fromEntries(paths) });
      case '/counts': {
        let connected = 0;
        let doubles = 0;
        for (const counts of paths.values()) {
          const now = counts.opened - counts.closed;
          if (now > 0) connected++;
          if (now > 1) doubles++;
        }
        return json(res, 200, { open: open.length, connected, doubles });
      }
      case '/until': {
        const timeoutMs = Math.min(600_000, Number(q('timeoutMs', '60000')));
        return json(res, 200, await until(Number(q('opened', '0')), Number(q('closed', '0')), timeoutMs));
      }
      case '/quit':
        json(res, 200, { bye: true });
        setTimeout(() => process.exit(0), 50);
        return undefined;
      default:
        return json(res, 404, { error: 'unknown' });
    }
  } catch (e) {
    return json(res, 500, { error: String(e && e.stack || e) });
  }
});
control.listen({ host: '127.0.0.1', port: controlPort }, () => {
  console.log(`load server: ws on ${addresses.join(',')}:${port}, control on 127.0.0.1:${controlPort}`);
});
// a forgotten server stops by itself
setTimeout(() => process.exit(3), Number(arg('max-lifetime-s', '3600')) * 1000).unref();
