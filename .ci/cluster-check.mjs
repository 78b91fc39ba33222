// Three real closewatch processes on one real PostgreSQL against one upstream server (issue 18),
// judged from the upstream server's own connection counts, sampled every 50 ms:
//   1. all upstreams open, each by exactly one replica, for a steady 5 s;
//   2. kill -9 of a replica: its upstreams open again on the others within lease-ttl + 5 s;
//   3. it comes back: the shards rebalance to it, make-before-break (the longest gap is reported);
//   4. SIGTERM of a replica (a rolling deploy): no upstream without a connection for more than 2 s;
//   5. a replica's PostgreSQL connections cut by a proxy: it closes its connections before its
//      leases expire and the others take over, never two connections to one upstream;
//   6. the history read from two replicas is the same list, every close event once.
// Usage: node .ci/cluster-check.mjs --jar <jar> --pg-port <port> --work <dir> [--upstreams 300]
//          [--addresses 1] [--heap 256m] [--report-only true]   (bench/cluster.sh: 30,000 upstreams)
// Writes <work>/cluster-check.json; exits non-zero on any failed check.
import { execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuSeconds, freePort, logger, parseArgs, sleep } from '../bench/cluster-common.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const { WebSocketServer } = createRequire(path.join(here, '..', 'bench', 'package.json'))('ws');

const args = parseArgs(process.argv.slice(2));
const JAR = args.jar;
const PG_PORT = Number(args['pg-port']);
const WORK = args.work;
const UPSTREAMS = Number(args.upstreams || 300);
// the upstream server listens on this many loopback addresses (127.0.0.1, .2, ...): one address's
// ephemeral ports stop short of 30,000 connections
const ADDRESSES = Number(args.addresses || 1);
// a benchmark run (bench/cluster.sh): every figure reported, a failed check listed, exit 0
const REPORT_ONLY = args['report-only'] === 'true';
const HEAP = args.heap || '256m';
const TTL_S = 9;
const RENEW_S = 1.5;
if (!JAR || !PG_PORT || !WORK) {
  console.error('usage: node .ci/cluster-check.mjs --jar <jar> --pg-port <port> --work <dir> [--upstreams N]');
  process.exit(2);
}
fs.mkdirSync(WORK, { recursive: true });

const log = logger('cluster-check');
const failures = [];
const figures = { upstreams: UPSTREAMS, leaseTtlSeconds: TTL_S, renewIntervalSeconds: RENEW_S };
function check(condition, message) {
  if (!condition) {
    failures.push(message);
    log('FAILED:', message);
  }
  return condition;
}

// ---- the upstream server: connections open now per path, gaps without any ----
const names = Array.from({ length: UPSTREAMS }, (_, i) => 'u' + String(i).padStart(4, '0'));
const open = new Map(names.map((name) => [name, 0]));
const downSince = new Map();
// upstream -> when its connections last dropped to none
const lastZeroAt = new Map();
let longestGapMs = 0;
let gapMeasuring = false;
const wss = new WebSocketServer({ noServer: true });
const onUpgrade = (req, socket, head) => {
  const name = req.url.slice(1);
  if (!open.has(name)) {
    socket.destroy();
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => {
    const now = open.get(name) + 1;
    open.set(name, now);
    const down = downSince.get(name);
    if (now === 1 && down !== undefined) {
      downSince.delete(name);
      if (gapMeasuring) longestGapMs = Math.max(longestGapMs, Date.now() - down);
    }
    ws.on('close', () => {
      const left = open.get(name) - 1;
      open.set(name, left);
      if (left === 0) {
        downSince.set(name, Date.now());
        lastZeroAt.set(name, Date.now());
      }
    });
    ws.on('error', () => {});
  });
};
const httpServers = [];
let WS_PORT = 0;
for (let i = 0; i < ADDRESSES; i++) {
  const server = http.createServer((req, res) => res.writeHead(404).end());
  server.on('upgrade', onUpgrade);
  await new Promise((resolve) => server.listen(WS_PORT, `127.0.0.${1 + i}`, resolve));
  WS_PORT = server.address().port;
  httpServers.push(server);
}

// sampled every 50 ms: how many upstreams have two or more connections, and none
const samples = [];
const sampler = setInterval(() => {
  let doubles = 0;
  let zeros = 0;
  for (const count of open.values()) {
    if (count > 1) doubles++;
    else if (count === 0) zeros++;
  }
  samples.push({ t: Date.now(), doubles, zeros });
}, 50);
const window = (from, to = Date.now()) => samples.filter((s) => s.t >= from && s.t <= to);
const converged = () => [...open.values()].every((count) => count === 1);

// every wait stretched by 2 ms per upstream: 0.6 s at 300, a minute at 30,000 (the checks on
// the times themselves are not)
const SLACK_MS = UPSTREAMS * 2;
async function until(condition, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs + SLACK_MS;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await sleep(50);
  }
  const counts = [...open.values()].reduce((m, c) => ({ ...m, [Math.min(c, 2)]: (m[Math.min(c, 2)] || 0) + 1 }), {});
  throw new Error(`${what}: not within ${timeoutMs + SLACK_MS} ms (upstreams by connections, 2 meaning 2 or more: ${JSON.stringify(counts)})`);
}

// ---- a TCP proxy to PostgreSQL for one replica, to cut ----
const proxied = new Set();
let proxy = null;
let proxyPort = 0;
function startProxy(port = 0) {
  return new Promise((resolve) => {
    proxy = net.createServer((client) => {
      const server = net.connect(PG_PORT, '127.0.0.1');
      proxied.add(client).add(server);
      const drop = () => { client.destroy(); server.destroy(); proxied.delete(client); proxied.delete(server); };
      client.on('error', drop).on('close', drop);
      server.on('error', drop).on('close', drop);
      client.pipe(server).pipe(client);
    });
    proxy.listen(port, '127.0.0.1', () => { proxyPort = proxy.address().port; resolve(); });
  });
}
function cutProxy() {
  proxy.close();
  for (const socket of proxied) socket.destroy();
  proxied.clear();
}

// ---- the replicas ----
const yaml = ['closewatch:', '  upstreams:',
  ...names.map((name, i) => `    ${name}: {url: "ws://127.0.0.${1 + (i % ADDRESSES)}:${WS_PORT}/${name}"}`)].join('\n') + '\n';
fs.writeFileSync(path.join(WORK, 'upstreams.yaml'), yaml);
const replicas = {};
async function launch(member, pgPort = PG_PORT) {
  const port = await freePort();
  const out = fs.openSync(path.join(WORK, `${member}.log`), 'a');
  const child = spawn('java', [`-Xmx${HEAP}`, '-XX:TieredStopAtLevel=1', '-jar', JAR,
    `--server.port=${port}`, '--server.address=127.0.0.1',
    '--closewatch.cluster.enabled=true', `--closewatch.cluster.member-id=${member}`,
    `--closewatch.cluster.lease-ttl=${TTL_S}s`, `--closewatch.cluster.renew-interval=${RENEW_S * 1000}ms`,
    '--closewatch.history.store=postgresql', `--spring.datasource.url=jdbc:postgresql://127.0.0.1:${pgPort}/postgres`,
    '--spring.datasource.username=postgres', '--spring.datasource.password=unused',
    '--spring.datasource.hikari.connection-timeout=2000', '--closewatch.startup-spread=0s',
    '--closewatch.reconnect.delay=200ms', '--closewatch.reconnect.max-delay=1s', '--closewatch.cluster.publish-interval=500ms',
    // a fence's closes wait for each server's TCP close up to tcp-close-timeout (2 s by default)
    // within the fence margin of 2 x renew-interval (6 s by default); this check's renew interval
    // is cut to 1.5 s to stay quick, and the wait with it
    '--closewatch.tcp-close-timeout=300ms',
    '--logging.level.dev.closewatch.upstream=warn', '--logging.level.dev.closewatch.upstream.UpstreamConnections=info',
    `--spring.config.additional-location=file:${path.join(WORK, 'upstreams.yaml')}`],
  { stdio: ['ignore', out, out] });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  replicas[member] = { member, port, child, exited };
  return replicas[member];
}
async function get(replica, url) {
  const response = await fetch(`http://127.0.0.1:${replica.port}${url}`, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`${replica.member} ${url}: HTTP ${response.status}`);
  return response.json();
}
async function ready(replica) {
  await until(async () => {
    try {
      return (await get(replica, '/actuator/health')).status !== undefined;
    } catch {
      return false;
    }
  }, 90_000, `${replica.member} ready`);
}
// how many upstreams a replica watches (holds the lease of)
async function share(replica) {
  try {
    return (await get(replica, `/api/v1/upstreams?limit=1&owner=${replica.member}`)).total;
  } catch (error) {
    log(`${replica.member}: ${error.message}`);
    return -1;
  }
}
// a replica's Prometheus scrape, and one series' value in it
async function scrape(replica) {
  return (await fetch(`http://127.0.0.1:${replica.port}/actuator/prometheus`)).text();
}
function value(text, name) {
  return Number((text.match(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm')) || [])[1]);
}
async function everyUpstream(replica, filter = '') {
  const upstreams = [];
  for (let cursor = null, first = true; first || cursor; first = false) {
    const page = await get(replica, '/api/v1/upstreams?limit=1000' + filter + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
    upstreams.push(...page.items);
    cursor = page.next;
  }
  return upstreams;
}
async function history(replica) {
  const events = [];
  let cursor = null;
  do {
    const page = await get(replica, '/api/v1/close-events?limit=1000' + (cursor ? '&cursor=' + cursor : ''));
    events.push(...page.items);
    cursor = page.next;
  } while (cursor);
  return events;
}

// PostgreSQL's committed transactions (every statement of a round is one) and each replica's
// CPU, to compare a steady window's cost with its length
function coordination(members) {
  const commits = Number(execFileSync('psql', ['-h', '127.0.0.1', '-p', String(PG_PORT), '-U', 'postgres', '-d', 'postgres',
    '-Atc', "SELECT xact_commit FROM pg_stat_database WHERE datname = 'postgres'"], { encoding: 'utf8' }).trim());
  return { at: Date.now(), commits, cpu: members.map((r) => cpuSeconds(r.child.pid)) };
}
function coordinationSince(before, members) {
  const after = coordination(members);
  const seconds = (after.at - before.at) / 1000;
  return { seconds, commitsPerSecond: Math.round((after.commits - before.commits) / seconds),
    cpuCoresPerReplica: after.cpu.map((c, i) => Math.round((c - before.cpu[i]) / seconds * 1000) / 1000) };
}

function steady(from, what) {
  const seen = window(from);
  const doubles = seen.filter((s) => s.doubles > 0).length;
  const zeros = seen.filter((s) => s.zeros > 0).length;
  check(doubles === 0 && zeros === 0,
    `${what}: ${doubles} of ${seen.length} samples with an upstream connected twice, ${zeros} with one unconnected`);
  return { samples: seen.length, doubleSamples: doubles, zeroSamples: zeros };
}

try {
  await startProxy();
  // 1. three replicas; every upstream by exactly one, steady for 5 s
  let t0 = Date.now();
  const [r1, r2] = [await launch('r1'), await launch('r2')];
  const r3 = await launch('r3', proxyPort);
  await Promise.all([r1, r2, r3].map(ready));
  await until(converged, REPORT_ONLY ? 600_000 : 60_000, 'every upstream open exactly once');
  figures.allOpenFromLaunchMs = Date.now() - t0;
  // the replicas started within seconds of each other: the first took every shard and hands
  // the others theirs over a few rounds; steady is when the shares stop moving
  let last = '';
  await until(async () => {
    const now = JSON.stringify(await Promise.all([r1, r2, r3].map(share)));
    const settled = now === last && converged();
    last = now;
    if (!settled) await sleep(RENEW_S * 2000);
    return settled;
  }, 60_000, 'shares settled');
  figures.settledFromLaunchMs = Date.now() - t0;
  let from = Date.now();
  const cost0 = coordination([r1, r2, r3]);
  await sleep(5000);
  figures.coordination = coordinationSince(cost0, [r1, r2, r3]);
  figures.steady = steady(from, 'three replicas, steady 5 s');
  const shares = {};
  for (const r of [r1, r2, r3]) shares[r.member] = await share(r);
  figures.shares = shares;
  // any replica lists every upstream, with its owner and the owner's state (published at most a
  // publish-interval ago)
  const listed = await everyUpstream(r2);
  const byOwner = listed.reduce((m, u) => ({ ...m, [u.owner]: (m[u.owner] || 0) + 1 }), {});
  const notOpen = listed.filter((u) => u.state !== 'OPEN').length;
  figures.listedFromOneReplica = { total: listed.length, byOwner, notOpen };
  check(listed.length === UPSTREAMS && notOpen === 0 && JSON.stringify(byOwner) === JSON.stringify(shares),
    `r2 lists ${listed.length} upstreams (${notOpen} not OPEN) by owner ${JSON.stringify(byOwner)}; the replicas watch ${JSON.stringify(shares)}`);
  const mean = UPSTREAMS / 3;
  figures.shareMaxOverMean = Math.round(Math.max(...Object.values(shares)) / mean * 100) / 100;
  check(Object.values(shares).reduce((a, b) => a + b, 0) === UPSTREAMS, `shares ${JSON.stringify(shares)} do not add up to ${UPSTREAMS}`);
  log('coordination in the steady window:', JSON.stringify(figures.coordination));
  log('three replicas:', JSON.stringify(shares), `all open ${figures.allOpenFromLaunchMs} ms after launch, shares settled after ${figures.settledFromLaunchMs} ms; steady`, JSON.stringify(figures.steady));

  // 2. kill -9 r1: the others take over within lease-ttl + 5 s
  const r1Share = shares.r1;
  t0 = Date.now();
  r1.child.kill('SIGKILL');
  await r1.exited;
  await until(converged, (TTL_S + 15) * 1000, 'open again after kill -9');
  figures.killTakeoverMs = Date.now() - t0;
  check(figures.killTakeoverMs <= (TTL_S + 5) * 1000, `kill -9: ${r1Share} upstreams open again after ${figures.killTakeoverMs} ms, more than lease-ttl + 5 s`);
  figures.kill = window(t0).filter((s) => s.doubles > 0).length;
  check(figures.kill === 0, `kill -9: ${figures.kill} samples with an upstream connected twice`);
  log(`kill -9 r1 (${r1Share} upstreams): all open again after ${figures.killTakeoverMs} ms`);

  // 3. r1 back: rebalancing, make-before-break
  longestGapMs = 0;
  gapMeasuring = true;
  t0 = Date.now();
  const r1b = await launch('r1');
  await ready(r1b);
  await until(async () => converged() && (await share(r1b)) > 0, 30_000, 'r1 rejoined');
  await sleep(2 * RENEW_S * 1000);
  await until(converged, 10_000, 'converged after r1 rejoined');
  figures.rejoinLongestGapMs = longestGapMs;
  from = Date.now();
  await sleep(3000);
  figures.afterRejoin = steady(from, 'after r1 rejoined, steady 3 s');
  log(`r1 rejoined: took ${await share(r1b)} upstreams, longest gap ${longestGapMs} ms`);

  // 4. SIGTERM r2: a rolling deploy, no upstream unwatched for more than 2 s
  const r2Names = new Set((await everyUpstream(r2, '&owner=r2')).map((u) => u.name));
  longestGapMs = 0;
  t0 = Date.now();
  r2.child.kill('SIGTERM');
  await r2.exited;
  await until(converged, 20_000, 'open again after SIGTERM');
  await sleep(500);
  figures.sigtermLongestGapMs = longestGapMs + [...downSince.values()].reduce((m, d) => Math.max(m, Date.now() - d), 0);
  figures.sigtermMs = Date.now() - t0;
  check(figures.sigtermLongestGapMs <= 2000, `SIGTERM: an upstream had no connection for ${figures.sigtermLongestGapMs} ms, more than 2 s`);
  log(`SIGTERM r2: longest gap ${figures.sigtermLongestGapMs} ms, exit and handover in ${figures.sigtermMs} ms`);
  const r2Closes = (await history(r1b)).filter((e) => r2Names.has(e.upstream) && e.closedAt >= new Date(t0).toISOString());
  figures.sigtermClosesByError = r2Closes.reduce((m, e) => ({ ...m, [e.error || 'none']: (m[e.error || 'none'] || 0) + 1 }), {});
  check(figures.sigtermClosesByError.handoff === r2Names.size,
    `SIGTERM: r2's ${r2Names.size} upstreams closed ${JSON.stringify(figures.sigtermClosesByError)}, not each once as a handoff`);
  gapMeasuring = false;

  // 5. cut r3 from PostgreSQL: it fences before its leases expire, r1 takes over
  const r3Names = (await everyUpstream(r3, '&owner=r3')).map((u) => u.name);
  const r3Share = r3Names.length;
  // when r3's leases end by PostgreSQL's clock (same machine): at least this, a renewal
  // between this query and the cut can only make it later
  const expiresAt = Number(execFileSync('psql', ['-h', '127.0.0.1', '-p', String(PG_PORT), '-U', 'postgres', '-d', 'postgres',
    '-Atc', "SELECT floor(extract(epoch FROM max(expires_at)) * 1000) FROM cluster_lease WHERE owner = 'r3'"],
  { encoding: 'utf8' }).trim());
  t0 = Date.now();
  cutProxy();
  // r3 closed each of its upstreams when the count dropped to none after the cut (r1 may open
  // it again afterwards, once the lease has expired)
  await until(() => r3Names.every((name) => (lastZeroAt.get(name) ?? 0) >= t0), (TTL_S + 5) * 1000, 'r3 fenced');
  const closedAt = Math.max(...r3Names.map((name) => lastZeroAt.get(name)));
  figures.fencedAfterMs = closedAt - t0;
  figures.fenceMarginMs = expiresAt - closedAt;
  check(figures.fenceMarginMs > 0,
    `cut: r3's connections were all closed ${-figures.fenceMarginMs} ms after its leases could expire`);
  await until(converged, (TTL_S + 10) * 1000, 'open again after the cut');
  figures.cutTakeoverMs = Date.now() - t0;
  figures.cutDoubleSamples = window(t0).filter((s) => s.doubles > 0).length;
  check(figures.cutDoubleSamples === 0, `cut: ${figures.cutDoubleSamples} samples with an upstream connected twice`);
  check(figures.cutTakeoverMs <= (TTL_S + 5) * 1000, `cut: open again after ${figures.cutTakeoverMs} ms, more than lease-ttl + 5 s`);
  log(`cut r3 (${r3Share} upstreams) from PostgreSQL: all its connections closed ${figures.fencedAfterMs} ms after the cut, at least ${figures.fenceMarginMs} ms before its leases could expire; all open on r1 after ${figures.cutTakeoverMs} ms, never twice`);

  // 6. r3 back on PostgreSQL; the history from r1 and r3 is the same, each event once. r3's
  // own list still names it the owner of what it held before the cut until its first round
  // after it, so r3 is back when both replicas' last rounds see two members
  await startProxy(proxyPort);
  await until(async () => converged() && (await share(r3)) > 0
    && (await Promise.all([r1b, r3].map(async (r) => value(await scrape(r), 'closewatch_cluster_members')))).every((m) => m === 2),
  30_000, 'r3 back');
  let same = false;
  let a = [];
  let b = [];
  for (let attempt = 0; attempt < 30 && !same; attempt++) {
    await sleep(500);
    [a, b] = [await history(r1b), await history(r3)];
    same = JSON.stringify(a.map((e) => e.id)) === JSON.stringify(b.map((e) => e.id));
  }
  figures.historyEvents = a.length;
  check(same, `history: r1 lists ${a.length} events, r3 ${b.length}, not the same`);
  check(new Set(a.map((e) => e.id)).size === a.length, 'history: an id appears twice');
  check(new Set(a.map((e) => `${e.upstream}@${e.closedAt}`)).size === a.length, 'history: a close is recorded twice');
  // the cluster's own series, from both members; their names for the Prometheus check of the
  // chart's dashboard and alerts, which scrapes an instance without the cluster
  const scrapes = await Promise.all([r1b, r3].map(scrape));
  figures.clusterSeries = scrapes.map((text) => ({ members: value(text, 'closewatch_cluster_members'),
    shardsOwned: value(text, 'closewatch_cluster_shards_owned'), shards: value(text, 'closewatch_cluster_shards') }));
  check(figures.clusterSeries.every((s) => s.members === 2 && s.shards === 1024),
    `cluster series: ${JSON.stringify(figures.clusterSeries)} (expected 2 members, 1024 shards)`);
  check(figures.clusterSeries.reduce((sum, s) => sum + s.shardsOwned, 0) === 1024,
    `cluster series: the shards owned add up to ${figures.clusterSeries.reduce((sum, s) => sum + s.shardsOwned, 0)}, not 1024`);
  const metricNames = new Set(scrapes.flatMap((text) => text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(/[{ ]/)[0])));
  fs.writeFileSync(path.join(WORK, 'metric-names.txt'), [...metricNames].sort().join('\n') + '\n');
  figures.historyByError = a.reduce((m, e) => ({ ...m, [e.error || 'none']: (m[e.error || 'none'] || 0) + 1 }), {});
  log(`history: ${a.length} events, the same from r1 and r3, each once; by error ${JSON.stringify(figures.historyByError)}`);
} catch (error) {
  failures.push(error.message);
  log('FAILED:', error.message);
} finally {
  clearInterval(sampler);
  for (const replica of Object.values(replicas)) {
    if (replica.child.exitCode === null) replica.child.kill('SIGKILL');
  }
  await Promise.all(Object.values(replicas).map((replica) => replica.exited));
  if (proxy) proxy.close();
  for (const socket of proxied) socket.destroy();
  wss.close();
  for (const server of httpServers) {
    server.close();
    server.closeAllConnections?.();
  }
}
figures.failures = failures;
fs.writeFileSync(path.join(WORK, 'cluster-check.json'), JSON.stringify(figures, null, 2) + '\n');
console.log(JSON.stringify(figures));
process.exit(failures.length && !REPORT_ONLY ? 1 : 0);
