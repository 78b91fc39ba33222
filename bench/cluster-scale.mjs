// Issue 18's benchmark at scale: replicas of closewatch on one PostgreSQL share N upstreams
// (30,000 by default) of bench/load/server.js (processes of their own, 5,000 upstreams each, on
// ten loopback addresses),
// judged from that server's counts: every figure reported, nothing asserted.
//   1. three replicas start: time until every upstream is open, each exactly once; shares and
//      their balance (max/mean); memory per replica;
//   2. a steady window: coordination cost (PostgreSQL commits/s, CPU per replica);
//   3. kill -9 of one replica: time until all of its upstreams are open again on the others;
//   4. seven more replicas join (ten in all): time until the shares settle, upstreams connected
//      twice meanwhile (make-before-break), then the steady window's cost at ten.
// Usage: node bench/cluster-scale.mjs --jar <jar> --pg-port <port> --work <dir>
//          [--upstreams 30000] [--replicas 3] [--join 7] [--heap 384m]
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuSeconds, freePort, logger, parseArgs, sleep } from './cluster-common.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = parseArgs(process.argv.slice(2));
const JAR = args.jar;
const PG_PORT = Number(args['pg-port']);
const WORK = args.work;
const UPSTREAMS = Number(args.upstreams || 30000);
const REPLICAS = Number(args.replicas || 3);
const JOIN = Number(args.join ?? 7);
const HEAP = args.heap || '384m';
const ADDRESSES = 10;
if (!JAR || !PG_PORT || !WORK) {
  console.error('usage: node bench/cluster-scale.mjs --jar <jar> --pg-port <port> --work <dir> [--upstreams N]');
  process.exit(2);
}
fs.mkdirSync(WORK, { recursive: true });
const log = logger('cluster-scale');
const figures = { upstreams: UPSTREAMS, replicas: REPLICAS, leaseTtl: '15s (default)', renewInterval: '3s (default)' };

async function getJson(url, timeoutMs = 10_000) {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

// ---- the upstream servers: one process holds at most ~20,000 sockets here (the hard limit of
// open files), so 5,000 upstreams per process (room for each to be connected twice during a
// handover), each on the ten addresses ----
const SERVERS = Math.max(1, Math.ceil(UPSTREAMS / 5000));
const addresses = Array.from({ length: ADDRESSES }, (_, i) => `127.0.0.${2 + i}`);
const servers = [];
for (let k = 0; k < SERVERS; k++) {
  const wsPort = await freePort();
  const controlPort = await freePort();
  const out = fs.openSync(path.join(WORK, `load-server-${k}.log`), 'a');
  const child = spawn('node', [path.join(here, 'load', 'server.js'), '--addresses', addresses.join(','),
    '--port', String(wsPort), '--control-port', String(controlPort), '--max-connections', String(15000)],
  { stdio: ['ignore', out, out] });
  servers.push({ wsPort, controlPort, child });
}
async function counts() {
  const each = await Promise.all(servers.map((s) => getJson(`http://127.0.0.1:${s.controlPort}/counts`)));
  return each.reduce((sum, c) => ({ open: sum.open + c.open, connected: sum.connected + c.connected,
    doubles: sum.doubles + c.doubles }), { open: 0, connected: 0, doubles: 0 });
}
for (let i = 0; i < 100; i++) {
  try { await counts(); break; } catch { await sleep(100); }
}
figures.upstreamServers = SERVERS;

// sampled every 500 ms: upstreams connected twice, upstreams with none
const samples = [];
let sampling = true;
(async () => {
  while (sampling) {
    try {
      const c = await counts();
      samples.push({ t: Date.now(), doubles: c.doubles, missing: UPSTREAMS - c.connected, open: c.open });
    } catch { /* the server is busy: the next sample */ }
    await sleep(500);
  }
})();
const window = (from, to = Date.now()) => samples.filter((s) => s.t >= from && s.t <= to);
async function converged() {
  const c = await counts();
  return c.connected === UPSTREAMS && c.doubles === 0 && c.open === UPSTREAMS;
}
async function until(condition, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if (await condition()) return true;
    } catch { /* retried */ }
    await sleep(250);
  }
  const last = samples[samples.length - 1];
  throw new Error(`${what}: not within ${timeoutMs} ms (last sample ${JSON.stringify(last)})`);
}

// ---- the replicas ----
const names = Array.from({ length: UPSTREAMS }, (_, i) => 'u' + String(i).padStart(5, '0'));
const yaml = ['closewatch:', '  upstreams:',
  ...names.map((name, i) => `    ${name}: {url: "ws://${addresses[i % ADDRESSES]}:${servers[i % SERVERS].wsPort}/ws/${name}"}`)].join('\n') + '\n';
fs.writeFileSync(path.join(WORK, 'upstreams.yaml'), yaml);
const replicas = {};
async function launch(member) {
  const port = await freePort();
  const out = fs.openSync(path.join(WORK, `${member}.log`), 'a');
  const child = spawn('java', [`-Xmx${HEAP}`, '-Xss512k', '-XX:TieredStopAtLevel=1', '-jar', JAR,
    `--server.port=${port}`, '--server.address=127.0.0.1',
    '--closewatch.cluster.enabled=true', `--closewatch.cluster.member-id=${member}`,
    '--closewatch.history.store=postgresql', `--spring.datasource.url=jdbc:postgresql://127.0.0.1:${PG_PORT}/postgres`,
    '--spring.datasource.username=postgres', '--spring.datasource.password=unused',
    // ten replicas on one PostgreSQL of 100 connections
    '--spring.datasource.hikari.maximum-pool-size=4',
    '--logging.level.dev.closewatch.upstream=warn', '--logging.level.dev.closewatch.upstream.UpstreamConnections=info',
    `--spring.config.additional-location=file:${path.join(WORK, 'upstreams.yaml')}`],
  { stdio: ['ignore', out, out] });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  replicas[member] = { member, port, child, exited };
  return replicas[member];
}
const api = (replica, url) => getJson(`http://127.0.0.1:${replica.port}${url}`, 30_000);
async function ready(replica) {
  await until(async () => (await api(replica, '/actuator/health')).status !== undefined, 180_000, `${replica.member} ready`);
}
const share = async (replica) => (await api(replica, `/api/v1/upstreams?limit=1&owner=${replica.member}`)).total;
function rssMiB(pid) {
  const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Math.round(Number(line.split(/\s+/)[1]) / 1024);
}
function commits() {
  return Number(execFileSync('psql', ['-h', '127.0.0.1', '-p', String(PG_PORT), '-U', 'postgres', '-d', 'postgres',
    '-Atc', "SELECT xact_commit FROM pg_stat_database WHERE datname = 'postgres'"], { encoding: 'utf8' }).trim());
}
async function steadyCost(members, seconds) {
  const t0 = Date.now();
  const c0 = commits();
  const cpu0 = members.map((r) => cpuSeconds(r.child.pid));
  const pgCpu0 = postgresCpu();
  await sleep(seconds * 1000);
  const elapsed = (Date.now() - t0) / 1000;
  const perReplica = members.map((r, i) => Math.round((cpuSeconds(r.child.pid) - cpu0[i]) / elapsed * 1000) / 1000);
  return { seconds: Math.round(elapsed * 10) / 10, postgresCommitsPerSecond: Math.round((commits() - c0) / elapsed),
    postgresCores: Math.round((postgresCpu() - pgCpu0) / elapsed * 1000) / 1000,
    cpuCoresPerReplica: perReplica, cpuCoresMean: Math.round(perReplica.reduce((a, b) => a + b, 0) / perReplica.length * 1000) / 1000 };
}
// every process of the PostgreSQL server (its postmaster's children)
function postgresCpu() {
  let total = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim().startsWith('postgres')) total += cpuSeconds(pid);
    } catch { /* gone */ }
  }
  return total;
}

try {
  // 1. the replicas start together
  let t0 = Date.now();
  const first = [];
  for (let i = 1; i <= REPLICAS; i++) first.push(await launch(`r${i}`));
  await Promise.all(first.map(ready));
  figures.readyMs = Date.now() - t0;
  await until(converged, 900_000, 'every upstream open exactly once');
  figures.allOpenMs = Date.now() - t0;
  let last = '';
  await until(async () => {
    const now = JSON.stringify(await Promise.all(first.map(share)));
    const settled = now === last && await converged();
    last = now;
    if (!settled) await sleep(3000);
    return settled;
  }, 300_000, 'shares settled');
  figures.settledMs = Date.now() - t0;
  const shares = Object.fromEntries(await Promise.all(first.map(async (r) => [r.member, await share(r)])));
  figures.shares = shares;
  figures.shareMaxOverMean = Math.round(Math.max(...Object.values(shares)) / (UPSTREAMS / REPLICAS) * 100) / 100;
  log(`${REPLICAS} replicas: all ${UPSTREAMS} open ${figures.allOpenMs} ms after launch, shares ${JSON.stringify(shares)} settled after ${figures.settledMs} ms`);

  // 2. steady
  figures.steady = await steadyCost(first, 10);
  figures.steady.rssMiB = first.map((r) => rssMiB(r.child.pid));
  figures.steady.samplesNotExactlyOnce = window(Date.now() - 10_000).filter((s) => s.doubles || s.missing).length;
  log('steady at', REPLICAS, JSON.stringify(figures.steady));

  // 3. kill -9 of r1
  const victim = first[0];
  t0 = Date.now();
  victim.child.kill('SIGKILL');
  await victim.exited;
  await until(converged, 120_000, 'open again after kill -9');
  figures.killTakeoverMs = Date.now() - t0;
  figures.killDoubleSamples = window(t0).filter((s) => s.doubles > 0).length;
  const worst = window(t0).reduce((m, s) => Math.max(m, s.missing), 0);
  log(`kill -9 ${victim.member} (${shares[victim.member]} upstreams): all open again after ${figures.killTakeoverMs} ms; at most ${worst} unconnected at a sample; ${figures.killDoubleSamples} samples with one connected twice`);
  // it comes back, so that the join starts from REPLICAS members
  const back = await launch(victim.member);
  await ready(back);
  await until(async () => (await share(back)) > 0 && await converged(), 120_000, `${victim.member} back`);

  // 4. more replicas join
  if (JOIN > 0) {
    const members = [back, ...first.slice(1)];
    t0 = Date.now();
    for (let i = REPLICAS + 1; i <= REPLICAS + JOIN; i++) members.push(await launch(`r${i}`));
    await Promise.all(members.map(ready));
    last = '';
    await until(async () => {
      const now = JSON.stringify(await Promise.all(members.map(share)));
      const settled = now === last && await converged() && !JSON.parse(now).includes(0);
      last = now;
      if (!settled) await sleep(3000);
      return settled;
    }, 600_000, 'shares settled at ten');
    figures.joinSettledMs = Date.now() - t0;
    const joined = window(t0);
    figures.joinMostDoubles = joined.reduce((m, s) => Math.max(m, s.doubles), 0);
    figures.joinMostMissing = joined.reduce((m, s) => Math.max(m, s.missing), 0);
    const tenShares = Object.fromEntries(await Promise.all(members.map(async (r) => [r.member, await share(r)])));
    figures.sharesAtTen = tenShares;
    figures.shareMaxOverMeanAtTen = Math.round(Math.max(...Object.values(tenShares)) / (UPSTREAMS / members.length) * 100) / 100;
    log(`${members.length} replicas: shares ${JSON.stringify(tenShares)} settled ${figures.joinSettledMs} ms after the launch of the ${JOIN}; at most ${figures.joinMostDoubles} connected twice (make-before-break) and ${figures.joinMostMissing} unconnected at a sample`);
    figures.steadyAtTen = await steadyCost(members, 10);
    figures.steadyAtTen.rssMiB = members.map((r) => rssMiB(r.child.pid));
    log('steady at', members.length, JSON.stringify(figures.steadyAtTen));
  }
} catch (error) {
  figures.error = error.message;
  log('FAILED:', error.message);
} finally {
  sampling = false;
  for (const replica of Object.values(replicas)) {
    if (replica.child.exitCode === null) replica.child.kill('SIGKILL');
  }
  await Promise.all(Object.values(replicas).map((replica) => replica.exited));
  for (const server of servers) server.child.kill('SIGTERM');
}
fs.writeFileSync(path.join(WORK, 'cluster-scale.json'), JSON.stringify(figures, null, 2) + '\n');
console.log(JSON.stringify(figures));
