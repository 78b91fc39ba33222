'use strict';
// The baseline: what a team would write instead of running closewatch. A small Node.js
// monitor with the `ws` client and `prom-client`: it keeps every upstream open, reconnects
// with exponential back-off and jitter, counts closes by code into a counter with
// closewatch's labels, and keeps a bounded in-memory list of close events served as JSON.
//
//   node --expose-gc monitor.js --config upstreams.json --port 18600
//
// upstreams.json: {"upstreams": {"u00001": "ws://127.0.0.2:18500/ws/u00001", ...},
//                  "reconnect": {"delayMs":250,"multiplier":1.6,"maxDelayMs":5000,"jitter":0.2,"resetAfterMs":500},
//                  "startupSpreadMs": 2000, "historyCapacity": 10000}
//
// HTTP on 127.0.0.1:<port>:
//   GET /metrics                       Prometheus exposition
//   GET /api/v1/close-events?upstream=&code=&wasClean=&since=&limit=&cursor=   {"items":[...],"next"}
//   GET /api/v1/upstreams/summary      counts by state (the benchmark's own helper)
//   GET /debug/gc                      runs a full GC (needs --expose-gc) and answers process.memoryUsage()
const fs = require('fs');
const http = require('http');
const { URL } = require('url');
const WebSocket = require('ws');
const client = require('prom-client');

function arg(name, fallback) {
  const i = process.argv.indexOf('--' + name);
  return i > 0 ? process.argv[i + 1] : fallback;
}

const config = JSON.parse(fs.readFileSync(arg('config'), 'utf8'));
const port = Number(arg('port', '18600'));
const reconnect = Object.assign(
  { delayMs: 1000, multiplier: 1.6, maxDelayMs: 120_000, jitter: 0.2, resetAfterMs: 30_000 }, config.reconnect || {});
const capacity = config.historyCapacity || 10_000;

const register = new client.Registry();
const closes = new client.Counter({
  name: 'closewatch_upstream_closes_total',
  help: 'Ended connection attempts by close code and wasClean',
  labelNames: ['upstream', 'code', 'clean'],
  registers: [register],
});
const connected = new client.Gauge({
  name: 'closewatch_upstream_connected',
  help: 'Whether the upstream is open (1) or not (0)',
  labelNames: ['upstream'],
  registers: [register],
});

// the close-event history: a ring buffer, newest last
const history = new Array(capacity);
let historyStart = 0;
let historySize = 0;
let nextId = Date.now() * 1000;

function record(event) {
  if (historySize === capacity) {
    history[historyStart] = event;
    historyStart = (historyStart + 1) % capacity;
  } else {
    history[(historyStart + historySize) % capacity] = event;
    historySize++;
  }
}

function delayFor(attempt) {
  const base = Math.min(reconnect.maxDelayMs, reconnect.delayMs * Math.pow(reconnect.multiplier, attempt - 1));
  return base * (1 + reconnect.jitter * (2 * Math.random() - 1));
}

class Upstream {
  constructor(name, url) {
    this.name = name;
    this.url = url;
    this.attempt = 0;
    this.state = 'WAITING';
    this.openedAt = null;
    connected.set({ upstream: name }, 0);
  }

  connect() {
    this.attempt++;
    this.state = 'CONNECTING';
    const startedAt = Date.now();
    let opened = false;
    const ws = new WebSocket(this.url, { perMessageDeflate: false, handshakeTimeout: 20_000 });
    ws.on('open', () => {
      opened = true;
      this.state = 'OPEN';
      this.openedAt = Date.now();
      connected.set({ upstream: this.name }, 1);
    });
    ws.on('error', () => {});
    ws.on('close', (code, reasonBuffer) => {
      const closedAt = Date.now();
      const wasClean = opened && code !== 1006;
      const event = {
        id: ++nextId, upstream: this.name, code, reason: reasonBuffer.toString('utf8'), wasClean,
        startedAt: new Date(startedAt).toISOString(),
        openedAt: opened ? new Date(this.openedAt).toISOString() : null,
        closedAt: new Date(closedAt).toISOString(), closedAtMs: closedAt, attempt: this.attempt,
      };
      record(event);
      closes.inc({ upstream: this.name, code: code >= 1000 && code <= 4999 ? String(code) : 'other',
        clean: String(wasClean) });
      connected.set({ upstream: this.name }, 0);
      if (opened && closedAt - this.openedAt >= reconnect.resetAfterMs) this.attempt = 1;
      this.state = 'WAITING';
      setTimeout(() => this.connect(), delayFor(this.attempt));
    });
  }
}

const upstreams = Object.entries(config.upstreams).map(([name, url]) => new Upstream(name, url));
const spread = config.startupSpreadMs || 0;
upstreams.forEach((u, i) => setTimeout(() => u.connect(), (spread * i) / upstreams.length));

function find(q) {
  const limit = Math.max(1, Math.min(1000, Number(q.get('limit') || 100)));
  const upstream = q.get('upstream');
  const code = q.has('code') ? Number(q.get('code')) : null;
  const wasClean = q.has('wasClean') ? q.get('wasClean') === 'true' : null;
  const since = q.has('since') ? Date.parse(q.get('since')) : null;
  const before = q.has('cursor') ? Number(q.get('cursor')) : null;
  const items = [];
  for (let i = historySize - 1; i >= 0 && items.length <= limit; i--) {
    const e = history[(historyStart + i) % capacity];
    if (before !== null && e.id >= before) continue;
    if (upstream !== null && e.upstream !== upstream) continue;
    if (code !== null && e.code !== code) continue;
    if (wasClean !== null && e.wasClean !== wasClean) continue;
    if (since !== null && e.closedAtMs < since) continue;
    items.push(e);
  }
  const next = items.length > limit ? String(items[limit - 1].id) : null;
  return { items: items.slice(0, limit), next };
}

http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  if (url.pathname === '/metrics') {
    const body = await register.metrics();
    res.writeHead(200, { 'content-type': register.contentType });
    return res.end(body);
  }
  if (url.pathname === '/api/v1/close-events') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify(find(url.searchParams)));
  }
  if (url.pathname === '/api/v1/upstreams/summary') {
    const counts = {};
    for (const u of upstreams) counts[u.state] = (counts[u.state] || 0) + 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify(counts));
  }
  if (url.pathname === '/debug/gc') {
    if (global.gc) {
      global.gc();
      global.gc();
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify(process.memoryUsage()));
  }
  res.writeHead(404);
  return res.end();
}).listen({ host: '127.0.0.1', port }, () => console.log(`baseline monitor: ${upstreams.length} upstreams, http on ${port}`));
