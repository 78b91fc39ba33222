'use strict';
// The benchmark driver: runs every scenario against closewatch and against the Node baseline,
// one after the other, for each upstream count, and writes results/<stamp>.json and .md.
// Started by run.sh / smoke.sh; see README.md. Every wait is bounded; every process it starts
// it stops by PID.
const fs = require('fs');
const path = require('path');
const http = require('http');
const { spawn, execFileSync } = require('child_process');

const args = parseArgs(process.argv.slice(2));
const BENCH = __dirname;
const ROOT = path.resolve(BENCH, '..');
const JAR = args.jar || path.join(ROOT, 'target', 'closewatch-0.1.0-SNAPSHOT.jar');
const COUNTS = (args.upstreams || '1000,2000,5000,10000').split(',').map(Number);
const SWEEP_AT = Number(args['sweep-at'] || Math.max(...COUNTS));
const TARGETS = (args.targets || 'closewatch,baseline').split(',');
const CLOSE_RATE = Number(args['close-rate'] || 1000);
const CLOSE_SECONDS = Number(args['close-seconds'] || 10);
// --poll-interval-ms: the poller's shortest time from one poll of the list to the next (the load
// server's own default, 2). Every poll costs the monitor a REST request and the load server a
// round trip, on the cores the measured closes share: a longer interval gives both back, and
// adds at most itself to each close-to-visible figure
const POLL_INTERVAL_MS = Number(args['poll-interval-ms'] ?? 2);
if (!(POLL_INTERVAL_MS >= 0)) {
  console.error('bench: --poll-interval-ms must be a number of milliseconds, 0 or more');
  process.exit(2);
}
// a monitor runs for weeks: the close phase is measured after WARMUP_SECONDS at the same rate,
// by which time the JIT has compiled the close, reconnect and REST paths (the warm-up's own
// latency is reported too, as the JIT-cold figure). On two busy cores C2 works through its
// queue for about a minute: after 20 s it still took 0.3-0.4 cores (~40 compilations/s) during
// the measured phase, after 60 s 0.1
const WARMUP_SECONDS = Number(args['warmup-seconds'] ?? 60);
// the close-to-stream phase (monitors with a live stream): its own shorter warm-up, the JIT has
// compiled the close path in the poll phase's
const STREAM_WARMUP_SECONDS = Number(args['stream-warmup-seconds'] ?? 10);
// the close-rate sweep: at SWEEP_AT upstreams (default the largest N), SWEEP_SECONDS of closes at
// each rate after a SWEEP_WARMUP_SECONDS warm-up at that rate, read by the poll for both monitors;
// how CPU, latency and the collector's pauses grow with the close rate ('--sweep-rates ""' skips it)
const SWEEP_RATES = (args['sweep-rates'] ?? '100,300,1000,2000').split(',').filter(Boolean).map(Number);
const SWEEP_SECONDS = Number(args['sweep-seconds'] || 10);
const SWEEP_WARMUP_SECONDS = Number(args['sweep-warmup-seconds'] ?? 3);
if (SWEEP_RATES.some((r) => !(r > 0)) || !(SWEEP_SECONDS > 0) || !(SWEEP_WARMUP_SECONDS >= 0)) {
  console.error(`bench: --sweep-rates takes positive closes/s separated by commas (was "${args['sweep-rates']}"), `
    + `--sweep-seconds a positive and --sweep-warmup-seconds a non-negative number`);
  process.exit(2);
}
if (SWEEP_RATES.length && !COUNTS.includes(SWEEP_AT)) {
  console.error(`bench: --sweep-at ${args['sweep-at']} is not one of --upstreams ${COUNTS.join(',')}: the sweep would not run`);
  process.exit(2);
}
// the history stores (issue 17): at STORES_AT upstreams the close phase is run once more per store,
// each closewatch with a history of its own (a new SQLite file, a new PostgreSQL database), memory
// first, for the close-to-visible of each and its ratio to memory. Every other phase runs on the
// memory store, as before the durable history. The default, memory alone, adds nothing to a run.
// sqlite+prune and postgresql+prune: the store seeded with PRUNE_EVENTS events 31 to 60 days old
// (src/test/java/dev/closewatch/history/HistorySeed.java) that closewatch's retention deletes
// (max-age 30 days) while the close phase runs: the close p99 while retention prunes.
// sqlite+linger and postgresql+linger: closewatch.history.writer.linger --linger (default 2ms), the
// writer waiting that long after an event for more to join its batch.
// postgresql+sync: closewatch.history.postgresql.synchronous-commit "on" (each commit waits for
// the WAL flush) instead of the default off
// sqlite+off: closewatch.history.sqlite.synchronous "off" (SQLite never waits for the disk)
// instead of the default normal
// sqlite+noqueue, postgresql+noqueue: closewatch.history.<store>.queue-file false (an event listed
// once committed, as before round 27) instead of the default true (listed once in the queue file)
// memory+twin: a second memory store, the A/A control: how far two lanes of one code apart read
const STORE_NAMES = ['memory', 'sqlite', 'postgresql', 'sqlite+prune', 'postgresql+prune', 'postgresql+sync', 'sqlite+linger',
  'postgresql+linger', 'sqlite+off', 'sqlite+noqueue', 'postgresql+noqueue', 'memory+twin'];
const LINGER = args.linger || '2ms';
const PRUNE_EVENTS = Number(args['prune-events'] || 1_000_000);
const STORES = (args.stores || 'memory').split(',').map((s) => s.trim()).filter(Boolean);
if (!STORES.length || STORES.some((s) => !STORE_NAMES.includes(s))) {
  console.error(`bench: --stores takes ${STORE_NAMES.join(', ')} separated by commas (was "${args.stores}")`);
  process.exit(2);
}
if (!STORES.includes('memory')) STORES.unshift('memory'); // the reference every store is compared with
const STORES_COMPARED = STORES.length > 1;
// --stores-only: only the stores' close phases (no idle, start, scrape, stream, sweep, queries, storm)
const STORES_ONLY = args['stores-only'] === 'true';
const STORES_ROUNDS = Number(args['stores-rounds'] || 1);
const STORES_WARMUP_SECONDS = Number(args['stores-warmup-seconds'] ?? args['warmup-seconds'] ?? 60);
// an existing PostgreSQL server on 127.0.0.1 (user postgres); by default the driver starts its own
// (bench/pg.sh) in the run's log directory and stops it at the end
const PG_EXTERNAL_PORT = args['pg-port'] ? Number(args['pg-port']) : null;
if (STORES_ONLY && !STORES_COMPARED) {
  console.error('bench: --stores-only needs --stores with a store besides memory');
  process.exit(2);
}
if (!(STORES_ROUNDS >= 1) || !(STORES_WARMUP_SECONDS >= 0)) {
  console.error('bench: --stores-rounds must be at least 1 and --stores-warmup-seconds non-negative');
  process.exit(2);
}
// --stores-slices S: the stores side by side instead of in rounds. One closewatch per store, each
// with its own load server, all started once and warmed up, then the close load moves from one to
// the next: S cycles, each one window of --close-seconds per store, every other cycle in the reverse
// order. A store's windows lie seconds from the other stores' windows of the same cycle, not
// minutes, so the host's busy minutes fall on all of them alike, and no round pays for a start
// (the rounds' restarts are where one run's minutes went). 0 (the default): rounds
const STORES_SLICES = Number(args['stores-slices'] || 0);
// --stores-restart-every K: side by side, every lane's processes started anew after each K cycles,
// warmed up for --stores-restart-warmup-seconds (default 20) at the close rate; 0 (the default): never
const STORES_RESTART_EVERY = Number(args['stores-restart-every'] || 0);
const STORES_RESTART_WARMUP_SECONDS = Number(args['stores-restart-warmup-seconds'] ?? 20);
if (!(Number.isInteger(STORES_RESTART_EVERY) && STORES_RESTART_EVERY >= 0) || !(STORES_RESTART_WARMUP_SECONDS >= 0)
  || (STORES_RESTART_EVERY > 0 && !(STORES_SLICES > STORES_RESTART_EVERY))) {
  console.error('bench: --stores-restart-every takes a whole number of cycles fewer than --stores-slices, '
    + '--stores-restart-warmup-seconds a non-negative number');
  process.exit(2);
}
if (!(STORES_SLICES >= 0) || (STORES_SLICES > 0 && args['stores-rounds'])) {
  console.error('bench: --stores-slices takes a number of cycles (0: rounds instead), not together with --stores-rounds');
  process.exit(2);
}
const STORES_AT = Number(args['stores-at'] || SWEEP_AT);
if (STORES_COMPARED && !COUNTS.includes(STORES_AT)) {
  console.error(`bench: --stores-at ${args['stores-at']} is not one of --upstreams ${COUNTS.join(',')}`);
  process.exit(2);
}
const QUERY_REPEATS = Number(args['query-repeats'] || 200);
const QUERY_WARMUP = Number(args['query-warmup'] ?? 400);
const STATUS_PAGE_ROUNDS = Number(args['status-page-rounds'] ?? 5);
const SCRAPES = Number(args.scrapes || 5);
const WARMUP_SCRAPES = Number(args['warmup-scrapes'] || 5);
const ADDRESSES = Number(args.addresses || 10);
const PORT_BASE = Number(args['port-base'] || 28500);
const LOAD_PORT = PORT_BASE;
const CONTROL_PORT = PORT_BASE - 1;
const BASELINE_PORT = PORT_BASE + 100;
const CLOSEWATCH_PORT = PORT_BASE + 200;
const PG_PORT = PG_EXTERNAL_PORT || PORT_BASE + 300;
const HANDSHAKE_CAP = Number(args['handshake-cap'] || 64);
const STARTUP_SPREAD_MS = Number(args['startup-spread-ms'] || 2000);
const STORM_UPGRADE_DELAY_MS = Number(args['storm-upgrade-delay-ms'] || 5);
const RECONNECT = { delayMs: 250, multiplier: 1.6, maxDelayMs: 5000, jitter: 0.2, resetAfterMs: 500 };
const HISTORY = 10_000;
const XMX = args.xmx || '512m';
// extra JVM flags for closewatch, e.g. --jvm-args '-XX:StartFlightRecording=filename=cw.jfr'
const JVM_ARGS = (args['jvm-args'] || '').split(' ').filter(Boolean);
// the heap-sizing flags of the container image's ENTRYPOINT (Dockerfile), so that resident memory
// is measured as shipped
// (G1 by default whatever the machine, as the image makes it: -XX:+AlwaysActAsServerClassMachine)
const IMAGE_HEAP_FLAGS = ['-XX:+AlwaysActAsServerClassMachine', '-XX:MinHeapFreeRatio=20', '-XX:MaxHeapFreeRatio=40',
  '-XX:G1PeriodicGCInterval=300000', '-XX:-ClassUnloadingWithConcurrentMark', '-XX:MetaspaceSize=96m'];
// the java launcher for closewatch: default the one on PATH; --java /path/to/jdk-25/bin/java runs it
// on the JVM the container image ships
const JAVA = args.java || 'java';
const JCMD = (JAVA !== 'java' && fs.existsSync(path.join(path.dirname(JAVA), 'jcmd'))) ? path.join(path.dirname(JAVA), 'jcmd') : 'jcmd';
// how closewatch starts: 'image' (default) the way its container image does, from the jar
// extracted with -Djarmode=tools and what a training run that stops after the context refresh
// leaves: a JDK 25+ AOT cache (JEP 483/515) on Java 25+, else a Class Data Sharing archive;
// 'aot' and 'cds' force one of the two; 'jar' a plain `java -jar`. The training runs once per
// bench run, on --java; if it fails the plain jar runs.
const LAUNCH = args.launch || 'image';
const OUT = path.join(BENCH, 'results');
const JSTAT = (JAVA !== 'java' && fs.existsSync(path.join(path.dirname(JAVA), 'jstat'))) ? path.join(path.dirname(JAVA), 'jstat') : 'jstat';
const STAMP = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
const LOGS = path.join(OUT, 'logs-' + STAMP);
const CLK_TCK = 100;
const started = [];
let loadServerPid = null;
let launch = { mode: 'jar', args: ['-jar', JAR] }; // set by prepareLaunch()

function parseArgs(list) {
  const out = {};
  for (let i = 0; i < list.length; i++) {
    if (list[i].startsWith('--')) {
      const key = list[i].slice(2);
      if (i + 1 < list.length && !list[i + 1].startsWith('--')) out[key] = list[++i];
      else out[key] = 'true';
    }
  }
  return out;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.now();
const round = (x, d = 3) => (x === null || x === undefined || Number.isNaN(x) ? null : Math.round(x * 10 ** d) / 10 ** d);
function log(...m) {
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...m);
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
function request(url, { timeoutMs = 30_000, raw = false, retried = false } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = now();
    const req = http.get(url, { agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const ms = now() - t0;
        if (res.statusCode >= 400) return reject(new Error(`${url}: HTTP ${res.statusCode} ${body.toString().slice(0, 300)}`));
        resolve({ ms, bytes: body.length, body: raw ? body.toString('utf8') : JSON.parse(body.toString('utf8')) });
      });
    });
    req.on('error', (e) => {
      // a kept-alive socket that the server closed as idle (Node's keepAliveTimeout, 5 s) just as
      // this request went out: the server never saw it, so it is sent once more on a new socket
      // (the Node documentation's own remedy, http "request.reusedSocket")
      if (req.reusedSocket && e.code === 'ECONNRESET' && !retried) {
        request(url, { timeoutMs, raw, retried: true }).then(resolve, reject);
      } else {
        reject(e);
      }
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${url}: timeout after ${timeoutMs} ms`)));
  });
}

async function waitFor(fn, timeoutMs, what) {
  const end = now() + timeoutMs;
  while (now() < end) {
    try {
      if (await fn()) return true;
    } catch (e) {
      // not yet
    }
    await sleep(50);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

function start(name, cmd, argv, opts = {}) {
  const logFile = path.join(LOGS, name + '.log');
  const fd = fs.openSync(logFile, 'w');
  const child = spawn(cmd, argv, { stdio: ['ignore', fd, fd], ...opts });
  fs.closeSync(fd);
  child.exited = new Promise((r) => child.on('exit', (code, signal) => r({ code, signal })));
  child.logFile = logFile;
  started.push(child);
  log(`started ${name} pid ${child.pid}`);
  return child;
}

async function stop(child, graceMs = 25_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  process.kill(child.pid, 'SIGTERM');
  const result = await Promise.race([child.exited, sleep(graceMs).then(() => null)]);
  if (result === null) {
    log(`pid ${child.pid} did not stop within ${graceMs} ms: SIGKILL`);
    process.kill(child.pid, 'SIGKILL');
    await child.exited;
  }
}

function procStatus(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (k) => Number((new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(status) || [])[1]);
  return { threads: field('Threads'), rssKiB: field('VmRSS') };
}

// the process's threads by name, trailing numbers dropped: "qtp 5, closewatch-ws 3, GC Thread 2, ..."
function threadNames(pid) {
  const counts = {};
  for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const name = fs.readFileSync(`/proc/${pid}/task/${task}/comm`, 'utf8').trim().replace(/[-#]?\d+$/, '');
      counts[name] = (counts[name] || 0) + 1;
    } catch (e) {
      // the thread ended
    }
  }
  return Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([n, c]) => `${n} ${c}`).join(', ');
}

// the whole machine's busy CPU seconds (all processes, ours and anyone else's) and its I/O wait,
// from /proc/stat: the two cores are shared, and what others take shows in every millisecond
function machineCpu() {
  const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal
  return { busy: (f[0] + f[1] + f[2] + f[5] + f[6] + f[7]) / CLK_TCK, iowait: f[4] / CLK_TCK };
}

// every disk's writes since boot, from /proc/diskstats (whole disks only: vda, sda, nvme0n1,
// not their partitions): MB written and the flushes (fsync, fdatasync) that reached the device
function diskWrites() {
  let sectors = 0;
  let flushes = 0;
  for (const line of fs.readFileSync('/proc/diskstats', 'utf8').split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 14 || !/^(vd[a-z]+|sd[a-z]+|xvd[a-z]+|nvme\d+n\d+)$/.test(f[2])) continue;
    sectors += Number(f[9]);
    flushes += f.length > 18 ? Number(f[18]) : 0;
  }
  return { mb: sectors * 512 / 1e6, flushes };
}

function cpuSeconds(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime + stime
}

// readable names for the JVM's threads (comm is cut at 15 characters)
const THREAD_GROUPS = [[/^qtp\d+/, 'jetty-server'], [/^C2 Compiler/, 'jit-c2'], [/^C1 Compiler/, 'jit-c1'],
  [/^GC Thread/, 'gc'], [/^G1 (Conc|Main|Refine|Service)/, 'gc-concurrent'], [/^closewatch-sch/, 'closewatch-scheduler'],
  // the history's writer, its retention and the pool's housekeeper (named after the pool,
  // closewatch-history): comm keeps 15 characters, "closewatch-hist", of each
  [/^closewatch-hist/, 'closewatch-history']];

// CPU ticks per thread group (thread names without their trailing number), from /proc
function threadTicks(pid) {
  const groups = {};
  for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
    let stat;
    let name;
    try {
      stat = fs.readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
      name = fs.readFileSync(`/proc/${pid}/task/${task}/comm`, 'utf8').trim();
    } catch (e) {
      continue; // the thread ended
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const group = THREAD_GROUPS.find(([re]) => re.test(name))?.[1] ?? (name.replace(/[-# ]?\d+$/, '') || name);
    groups[group] = (groups[group] || 0) + Number(fields[11]) + Number(fields[12]);
  }
  return groups;
}

// where the CPU went between two threadTicks snapshots, in cores, biggest first
function cpuByThread(before, after, wallSeconds, top = 6) {
  return Object.entries(after).map(([g, t]) => [g, (t - (before[g] || 0)) / CLK_TCK / wallSeconds])
    .filter(([, c]) => c >= 0.01).sort((a, b) => b[1] - a[1]).slice(0, top)
    .map(([g, c]) => `${g} ${round(c, 2)}`).join(', ');
}

async function cpuOver(pid, fn) {
  const c0 = cpuSeconds(pid);
  const t0 = now();
  const result = await fn();
  const cpu = cpuSeconds(pid) - c0;
  const wall = (now() - t0) / 1000;
  return { result, cpuSeconds: round(cpu, 2), wallSeconds: round(wall, 2), cpuCores: round(cpu / wall, 2) };
}

function percentile(sorted, p) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const names = (n) => Array.from({ length: n }, (_, i) => 'u' + String(i + 1).padStart(5, '0'));
const address = (i) => `127.0.0.${2 + (i % ADDRESSES)}`;
const upstreamUrl = (name, i, port = LOAD_PORT) => `ws://${address(i)}:${port}/ws/${name}`;

// the load server's close phase: `rate` closes a second for `seconds`, each read back from the
// monitor's list by the poller ('poll') or from its live stream ('stream')
function closesPath(monitor, rate, seconds, readFrom = 'poll') {
  const url = monitor.base + (readFrom === 'stream' ? monitor.stream : monitor.closeEvents);
  return `/closes?rate=${rate}&seconds=${seconds}&codes=1000,4000,4001&timeoutMs=${(seconds + 15) * 1000}`
    + `&${readFrom}=${encodeURIComponent(url)}`;
}

async function closeToStream(monitor, n) {
  const closesQuery = (seconds) => closesPath(monitor, CLOSE_RATE, seconds, 'stream');
  let warmup = null;
  if (STREAM_WARMUP_SECONDS > 0) {
    warmup = await control(closesQuery(STREAM_WARMUP_SECONDS), (STREAM_WARMUP_SECONDS + 30) * 1000);
    await control(`/watch?target=${n}&timeoutMs=30000`, 40_000);
    await sleep(1000);
  }
  const closes = await control(closesQuery(CLOSE_SECONDS), (CLOSE_SECONDS + 30) * 1000);
  const back = await control(`/watch?target=${n}&timeoutMs=30000`, 40_000);
  if (back.timedOut) log(`only ${back.open} of ${n} back after the close-to-stream phase`);
  const { sent, seen, p50Ms, p90Ms, p99Ms, maxMs, toClosedAtP99Ms, closedAtToSeenP99Ms, pollerLoopDelayP99Ms,
    pollerLoopDelayMaxMs, slowestSentAtMs } = closes;
  return { sent, seen, p50Ms, p90Ms, p99Ms, maxMs, toClosedAtP99Ms, closedAtToSeenP99Ms, readerLoopDelayP99Ms: pollerLoopDelayP99Ms,
    readerLoopDelayMaxMs: pollerLoopDelayMaxMs, slowestSentAtMs, sentInAll: sent + (warmup ? warmup.sent : 0),
    warmup: warmup && { seconds: STREAM_WARMUP_SECONDS, sent: warmup.sent, seen: warmup.seen, p99Ms: warmup.p99Ms } };
}

// the collector's stop-the-world pauses so far (jstat, the JVM's own counters): count and total
// time; null for a process that is not a JVM or whose counters cannot be read
function gcPauses(pid) {
  try {
    const [head, values] = execFileSync(JSTAT, ['-gc', String(pid)], { encoding: 'utf8', timeout: 20_000 })
      .trim().split('\n').map((l) => l.trim().split(/\s+/));
    const v = (k) => { const i = head.indexOf(k); return i < 0 || values[i] === '-' ? 0 : Number(values[i]); };
    return { count: v('YGC') + v('FGC') + v('CGC'), ms: v('GCT') * 1000 };
  } catch (e) {
    return null;
  }
}

function gcBetween(before, after, seconds) {
  if (!before || !after) return null;
  const ms = after.ms - before.ms;
  return { pauses: after.count - before.count, pauseMs: round(ms, 0), pausedPercent: round(ms / (seconds * 10), 2) };
}

// 4c. the close-rate sweep: each rate's closes, polled, with the CPU they cost and the pauses
async function closeRateSweep(targetName, child, n) {
  const monitor = monitors[targetName];
  const jvm = targetName === 'closewatch';
  const steps = [];
  const closesQuery = (rate, seconds) => closesPath(monitor, rate, seconds);
  let sentInAll = 0;
  for (const rate of SWEEP_RATES) {
    if (SWEEP_WARMUP_SECONDS > 0) {
      const warmup = await control(closesQuery(rate, SWEEP_WARMUP_SECONDS), (SWEEP_WARMUP_SECONDS + 30) * 1000);
      sentInAll += warmup.sent;
      await control(`/watch?target=${n}&timeoutMs=30000`, 40_000);
      await sleep(1000);
    }
    const loadCpu0 = cpuSeconds(loadServerPid);
    const gc0 = jvm ? gcPauses(child.pid) : null;
    const step = await cpuOver(child.pid, () => control(closesQuery(rate, SWEEP_SECONDS), (SWEEP_SECONDS + 30) * 1000));
    const gc1 = jvm ? gcPauses(child.pid) : null;
    const c = step.result;
    sentInAll += c.sent;
    steps.push({ rate, achievedRate: c.achievedRate, sent: c.sent, seen: c.seen, p50Ms: round(c.p50Ms, 1), p90Ms: round(c.p90Ms, 1),
      p99Ms: round(c.p99Ms, 1), toClosedAtP99Ms: round(c.toClosedAtP99Ms, 1), cpuCores: step.cpuCores,
      cpuMsPerClose: c.sent ? round((step.cpuSeconds * 1000) / c.sent, 3) : null,
      loadServerCpuCores: round((cpuSeconds(loadServerPid) - loadCpu0) / step.wallSeconds, 2),
      gc: gcBetween(gc0, gc1, step.wallSeconds) });
    log(`${targetName} n=${n}: ${rate} closes/s`, JSON.stringify(steps[steps.length - 1]));
    const back = await control(`/watch?target=${n}&timeoutMs=30000`, 40_000);
    if (back.timedOut) log(`only ${back.open} of ${n} back after ${rate} closes/s`);
  }
  return { seconds: SWEEP_SECONDS, warmupSeconds: SWEEP_WARMUP_SECONDS, steps, sentInAll };
}

// 4. the close-to-visible phase: CLOSE_RATE closes a second for CLOSE_SECONDS, read back by the
// poll, after an unmeasured warm-up of the same shape for warmupSeconds; the monitor's CPU (by
// thread), the load server's and the collector's pauses over the measured window
// (options: databaseCpu, a function giving the database server's CPU seconds; samples, whether the
// result keeps every close's figures; counter, an async function read just before and after the
// measured window, whose increase comes back as counterInWindow; lane, a store run side by side
// with others: { monitor, control, load, othersPids }, its own monitor base and load server, and
// the processes of the other stores, idle meanwhile but the benchmark's own all the same)
async function closeToVisible(targetName, child, n, warmupSeconds, { databaseCpu = null, samples = false, counter = null, lane = null } = {}) {
  const monitor = lane ? lane.monitor : monitors[targetName];
  const ctl = lane ? lane.control : control;
  const loadServer = lane ? lane.load.pid : loadServerPid;
  const others = lane ? lane.othersPids() : [];
  const othersCpu = () => others.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  let warmup = null;
  if (warmupSeconds > 0) {
    warmup = await ctl(closesPath(monitor, CLOSE_RATE, warmupSeconds), (warmupSeconds + 30) * 1000);
    await ctl(`/watch?target=${n}&timeoutMs=30000`, 40_000);
    await sleep(1000);
  }
  const loadCpu0 = cpuSeconds(loadServer);
  const othersCpu0 = othersCpu();
  const databaseCpu0 = databaseCpu && databaseCpu();
  const machine0 = machineCpu();
  const disk0 = diskWrites();
  const driver0 = process.cpuUsage();
  const threads0 = threadTicks(child.pid);
  const gc0 = targetName === 'closewatch' ? gcPauses(child.pid) : null;
  const counterBefore = counter && await counter();
  const closes = await cpuOver(child.pid, () => ctl(closesPath(monitor, CLOSE_RATE, CLOSE_SECONDS) + (samples ? '&samples=1' : ''),
    (CLOSE_SECONDS + 30) * 1000));
  // a database server shares the two cores too
  const databaseCpuCores = databaseCpu0 !== null && databaseCpu0 !== undefined
    ? round((databaseCpu() - databaseCpu0) / closes.wallSeconds, 2) : undefined;
  // the machine's busy cores over the window, and what of it was none of the benchmark's own
  // processes (monitor, load server, database, driver): other work on the shared cores
  const machine1 = machineCpu();
  const disk1 = diskWrites();
  // the whole machine's disk writes over the window: a durable store's pages and syncs
  const diskWriteMBps = round((disk1.mb - disk0.mb) / closes.wallSeconds, 1);
  const diskFlushesPerSecond = round((disk1.flushes - disk0.flushes) / closes.wallSeconds, 1);
  const driverCpu = (process.cpuUsage(driver0).user + process.cpuUsage(driver0).system) / 1e6;
  const machineBusyCores = round((machine1.busy - machine0.busy) / closes.wallSeconds, 2);
  const otherCpuCores = round(machineBusyCores - closes.cpuCores - (cpuSeconds(loadServer) - loadCpu0) / closes.wallSeconds
    - (databaseCpuCores || 0) - driverCpu / closes.wallSeconds - (othersCpu() - othersCpu0) / closes.wallSeconds, 2);
  const ioWaitCores = round((machine1.iowait - machine0.iowait) / closes.wallSeconds, 2);
  // CPU over the sending seconds only (the poll may wait longer for the last ones)
  const cpuByThreads = cpuByThread(threads0, threadTicks(child.pid), Math.min(closes.wallSeconds, CLOSE_SECONDS + 1));
  // the load server shares the two cores: its CPU tells how much was left for the monitor
  const loadCpu = round((cpuSeconds(loadServer) - loadCpu0) / closes.wallSeconds, 2);
  const gc = gcBetween(gc0, targetName === 'closewatch' ? gcPauses(child.pid) : null, closes.wallSeconds);
  const counted = counter ? { counterInWindow: await counter() - counterBefore } : {};
  return { ...closes.result, ...counted, cpuSeconds: closes.cpuSeconds, cpuCores: closes.cpuCores, loadServerCpuCores: loadCpu, databaseCpuCores,
    machineBusyCores, otherCpuCores, ioWaitCores, diskWriteMBps, diskFlushesPerSecond,
    cpuByThread: cpuByThreads, gc,
    warmup: warmup && { seconds: warmupSeconds, sent: warmup.sent, seen: warmup.seen, p50Ms: warmup.p50Ms, p99Ms: warmup.p99Ms } };
}

// ---- the history stores ---------------------------------------------------------------

// a fresh PostgreSQL database for one closewatch run, on the driver's own server (bench/pg.sh,
// started on first use) or on --pg-port's
let pgStarted = false;
let databases = 0;
function freshDatabase() {
  if (!PG_EXTERNAL_PORT && !pgStarted) {
    execFileSync('bash', [path.join(BENCH, 'pg.sh'), 'start', path.join(LOGS, 'pg'), String(PG_PORT)],
      { stdio: ['ignore', 'inherit', 'inherit'], timeout: 300_000 });
    pgStarted = true;
  }
  const name = `closewatch_${STAMP.replace(/-/g, '_').toLowerCase()}_${++databases}`;
  execFileSync('psql', ['-h', '127.0.0.1', '-p', String(PG_PORT), '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1',
    '-qc', `CREATE DATABASE ${name}`], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 60_000, env: { ...process.env, PGPASSWORD: 'postgres' } });
  return { name, url: `jdbc:postgresql://127.0.0.1:${PG_PORT}/${name}` };
}

function stopPostgres() {
  if (!pgStarted) return;
  const data = path.join(LOGS, 'pg');
  try {
    execFileSync('bash', [path.join(BENCH, 'pg.sh'), 'stop', data], { stdio: 'inherit', timeout: 120_000 });
    // the server's log stays with the run's logs; its data (~50 MB) goes
    fs.copyFileSync(path.join(data, 'server.log'), path.join(LOGS, 'postgresql.log'));
    fs.rmSync(data, { recursive: true, force: true });
  } catch (e) {
    log(`could not stop the benchmark's PostgreSQL: ${e.message}`);
  }
  pgStarted = false;
}

// CPU seconds of the PostgreSQL server on PG_PORT (its postmaster, found by the `port=` that
// bench/pg.sh puts on its command line, and every process it started: backends, WAL writer,
// checkpointer, autovacuum); null when there is no such server
function postgresCpuSeconds() {
  const stats = [];
  let postmaster = null;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      stats.push({ pid: Number(entry), ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
      if (postmaster === null && stat.includes('(postgres)')
        && fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(`port=${PG_PORT}`)) postmaster = Number(entry);
    } catch (e) {
      // the process ended
    }
  }
  if (postmaster === null) return null;
  return stats.filter((p) => p.pid === postmaster || p.ppid === postmaster).reduce((a, p) => a + p.ticks, 0) / CLK_TCK;
}

// how much the history takes on disk after the phase: the SQLite file and its WAL, or the
// close_event table of the PostgreSQL database with its indexes
function storeBytes(history) {
  try {
    if (history.sqlitePath) {
      return [history.sqlitePath, history.sqlitePath + '-wal'].filter((f) => fs.existsSync(f)).reduce((a, f) => a + fs.statSync(f).size, 0);
    }
    if (history.datasource) {
      return Number(execFileSync('psql', ['-h', '127.0.0.1', '-p', String(PG_PORT), '-U', 'postgres', '-d', history.datasource.name, '-Atc',
        "SELECT pg_total_relation_size('close_event')"], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, PGPASSWORD: 'postgres' } }).trim());
    }
  } catch (e) {
    log(`store size: ${e.message}`);
  }
  return null;
}

// the sum of a Prometheus series' samples (all label sets) in a scrape
function metricSum(body, name) {
  let sum = null;
  for (const line of body.split('\n')) {
    if (line.startsWith(name + ' ') || line.startsWith(name + '{')) sum = (sum || 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

// the history of one store's closewatch: its own SQLite file in dir or its own PostgreSQL
// database, and the variant's setting (+sync, +linger; +prune's seeding is storeRun's)
function storeHistory(store, dir) {
  fs.mkdirSync(dir, { recursive: true });
  const history = { store: store.replace(/\+(prune|sync|linger|off|noqueue|twin)$/, '') };
  if (history.store === 'sqlite') history.sqlitePath = path.join(dir, 'closewatch.db');
  if (history.store === 'postgresql') history.datasource = freshDatabase();
  if (store.endsWith('+sync')) history.synchronousCommit = 'on';
  if (store.endsWith('+linger')) history.linger = LINGER;
  if (store.endsWith('+off')) history.sqliteSynchronous = 'off';
  if (store.endsWith('+noqueue')) history.queueFile = false;
  return history;
}

// what retention deleted so far (the memory store counts its ring's evictions under the same
// name: not retention's, so not reported). Read for every store alike, and only that counter:
// until 2026-12-04 (round 14) the durable stores' rounds scraped all ~72,000 series just before
// the window and memory's did not, and the JIT compiled the scrape path (Jetty, the text
// writer, DoubleToDecimal) in theirs only
async function evictionsOf(monitor) {
  return metricSum((await request(monitor.base + monitor.metrics
    + '?includedNames=closewatch_history_evictions_total,closewatch_history_evictions',
  { raw: true, timeoutMs: 60_000 })).body, 'closewatch_history_evictions_total');
}

// 8. close-to-visible per history store: closewatch started anew at n upstreams with the store
// (its own SQLite file, its own PostgreSQL database), all open, then the close phase of 4 with
// STORES_WARMUP_SECONDS of warm-up; the list the poll reads is the store's, so the figure
// includes the writer's commit. Ratios are to the memory run of the same round.
async function storeRun(store, n, round) {
  const monitor = monitors.closewatch;
  const history = storeHistory(store, path.join(LOGS, `store-${store}-${round}`));
  const base = history.store;
  const seeded = store.endsWith('+prune') ? seedHistory(base, history) : null;
  await control('/config?upgradeDelayMs=0');
  const watching = control(`/watch?target=${n}&timeoutMs=120000`, 130_000);
  const child = monitor.launch(n, { history, tag: `${store}-${round}-` });
  const startup = await watching;
  if (startup.timedOut) throw new Error(`closewatch with the ${store} store: only ${startup.open} of ${n} opened`);
  await waitFor(async () => (await request(monitor.base + monitor.ready, { timeoutMs: 2000 })) !== null, 60_000, 'closewatch ready');
  await sleep(2000);
  const { samples, counterInWindow, ...visible } = await closeToVisible('closewatch', child, n, STORES_WARMUP_SECONDS,
    { databaseCpu: base === 'postgresql' ? postgresCpuSeconds : null, samples: true, counter: () => evictionsOf(monitor) });
  const r = { store, round, upstreams: n, allOpenFromLaunchMs: startup.t100Ms, ...visible,
    prunedInWindow: base === 'memory' ? null : counterInWindow, ...(seeded ? { seeded } : {}) };
  const back = await control(`/watch?target=${n}&timeoutMs=30000`, 40_000);
  if (back.timedOut) log(`${store}: only ${back.open} of ${n} back after the close phase`);
  const metrics = (await request(monitor.base + monitor.metrics, { raw: true, timeoutMs: 60_000 })).body;
  r.sentInAll = r.sent + (r.warmup ? r.warmup.sent : 0);
  r.counted = metricSum(metrics, 'closewatch_upstream_closes_total');
  r.written = metricSum(metrics, 'closewatch_history_written_total');
  r.dropped = metricSum(metrics, 'closewatch_history_dropped_total');
  r.prunedInAll = base === 'memory' ? null : metricSum(metrics, 'closewatch_history_evictions_total');
  await stop(child);
  r.storeBytes = storeBytes(history);
  log(`closewatch n=${n} store ${store} (round ${round}): close-to-visible`, JSON.stringify(r));
  await sleep(1000);
  return { run: r, samples };
}

// fill a new store with PRUNE_EVENTS old events (HistorySeed, on the test classpath) before the
// closewatch that prunes them starts
function seedHistory(store, history) {
  const file = path.join(ROOT, 'target', 'history-bench.classpath');
  if (!fs.existsSync(file)) {
    execFileSync(path.join(ROOT, 'mvnw'), ['-q', '-B', '-ntp', 'dependency:build-classpath', '-Dmdep.includeScope=test',
      `-Dmdep.outputFile=${file}`], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], timeout: 600_000 });
  }
  const classpath = [path.join(ROOT, 'target', 'test-classes'), path.join(ROOT, 'target', 'classes'),
    fs.readFileSync(file, 'utf8').trim()].join(':');
  const t0 = Date.now();
  const output = execFileSync(JAVA, ['-Xmx1g', '-cp', classpath, 'dev.closewatch.history.HistorySeed', store,
    store === 'sqlite' ? history.sqlitePath : history.datasource.url, String(PRUNE_EVENTS)],
  { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 600_000 });
  log(`${store}: ${output.trim()}`);
  return { events: PRUNE_EVENTS, seconds: round((Date.now() - t0) / 1000, 1) };
}

// every round's closes of one store as one sample: a single window's p99 is set by the one or
// two collector pauses that fell in it, so pooled rounds say more than any one of them
function pooled(store, samples) {
  const all = (key) => samples.flatMap((s) => (s ? s[key] : [])).sort((a, b) => a - b);
  const latency = all('latencyMs');
  const toClosedAt = all('toClosedAtMs');
  const closedAtToSeen = all('closedAtToSeenMs');
  const p = (sorted, q) => (sorted.length ? round(percentile(sorted, q), 2) : null);
  return { store, rounds: samples.length, closes: latency.length,
    p50Ms: p(latency, 50), p90Ms: p(latency, 90), p99Ms: p(latency, 99), p999Ms: p(latency, 99.9),
    maxMs: latency.length ? round(latency[latency.length - 1], 2) : null,
    toClosedAtP50Ms: p(toClosedAt, 50), toClosedAtP99Ms: p(toClosedAt, 99),
    closedAtToSeenP50Ms: p(closedAtToSeen, 50), closedAtToSeenP99Ms: p(closedAtToSeen, 99) };
}

// the pooled p99's ratio to memory's, and how far the rounds' own spread lets it move: a paired
// bootstrap over rounds (round numbers drawn with replacement, the same ones for both stores,
// since a round's stores ran minutes apart on the same host), with the pooled p99 of each draw
// taken exactly from each round's slowest closes; seeded, so a report's figures repeat
function ratioSpread(storeSamples, memorySamples, target = 1.2, resamples = 2000) {
  const paired = storeSamples.map((s, i) => [s, memorySamples[i]]).filter(([s, m]) => s && m
    && s.latencyMs.length > 0 && m.latencyMs.length > 0);
  const R = paired.length;
  if (R < 2) return null;
  // a draw's pooled p99 lies among the slowest 1 % of all its closes, so among each round's
  // slowest m, m the most a draw of R rounds can reach into one round's tail
  const tails = (rounds) => {
    const m = Math.ceil(0.01 * R * Math.max(...rounds.map((r) => r.latencyMs.length))) + 2;
    return rounds.map((r) => ({ n: r.latencyMs.length, slowest: [...r.latencyMs].sort((a, b) => b - a).slice(0, m) }));
  };
  const storeTails = tails(paired.map(([s]) => s));
  const memoryTails = tails(paired.map(([, m]) => m));
  // percentile()'s nearest rank, counted from the slowest, of the draw's closes (a round drawn
  // c times counts c times): walk down the rounds' tails at once, each step the slowest close
  // not yet passed, which stands for c of the draw's (not a sort of every draw: 40 rounds of
  // 10,000 closes made that minutes)
  const p99 = (tailsOf, draw) => {
    const counts = new Array(R).fill(0);
    for (const i of draw) counts[i]++;
    const n = draw.reduce((sum, i) => sum + tailsOf[i].n, 0);
    let left = n - Math.ceil(0.99 * n) + 1;
    const next = new Array(R).fill(0);
    for (;;) {
      let slowest = -1;
      for (let i = 0; i < R; i++) {
        if (counts[i] > 0 && next[i] < tailsOf[i].slowest.length
          && (slowest < 0 || tailsOf[i].slowest[next[i]] > tailsOf[slowest].slowest[next[slowest]])) slowest = i;
      }
      const value = tailsOf[slowest].slowest[next[slowest]++];
      left -= counts[slowest];
      if (left <= 0) return value;
    }
  };
  let seed = 0x5eed;
  const random = () => { // mulberry32
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const ratios = [];
  for (let b = 0; b < resamples; b++) {
    const draw = Array.from({ length: R }, () => Math.floor(random() * R));
    ratios.push(p99(storeTails, draw) / p99(memoryTails, draw));
  }
  ratios.sort((a, b) => a - b);
  return { rounds: R, p5: round(percentile(ratios, 5), 2), p95: round(percentile(ratios, 95), 2),
    withinTarget: round(ratios.filter((x) => x <= target).length / resamples, 2) };
}

async function storeComparison(n) {
  const runs = [];
  const samples = new Map(STORES.map((store) => [store, []]));
  for (let round = 1; round <= STORES_ROUNDS; round++) {
    // every other round in the reverse order, so that no store always follows the same one
    // (a PostgreSQL server just stopped, a SQLite file still being written back)
    for (const store of (round % 2 === 1 ? STORES : [...STORES].reverse())) {
      const one = await storeRun(store, n, round);
      runs.push(one.run);
      samples.get(store).push(one.samples);
    }
  }
  return { upstreams: n, rate: CLOSE_RATE, seconds: CLOSE_SECONDS, warmupSeconds: STORES_WARMUP_SECONDS, runs,
    pooled: compareStores(n, runs, samples) };
}

// each window's ratios to memory's window of the same round (or cycle), every store's windows
// pooled, and the pooled p99's ratio to memory's with its spread, bootstrapped over the samples'
// windows or, given units (a store's windows grouped by process), over those
function compareStores(n, runs, samples, units = null) {
  const ratio = (a, b) => (typeof a === 'number' && typeof b === 'number' && b > 0 ? round(a / b, 2) : null);
  for (const r of runs) {
    const memory = runs.find((m) => m.store === 'memory' && m.round === r.round);
    r.p99ToMemory = ratio(r.p99Ms, memory.p99Ms);
    r.p50ToMemory = ratio(r.p50Ms, memory.p50Ms);
  }
  for (const r of runs.filter((x) => x.store.endsWith('+prune'))) {
    const unpruned = runs.find((m) => m.store === r.store.replace(/\+prune$/, '') && m.round === r.round);
    if (unpruned) r.p99ToUnpruned = ratio(r.p99Ms, unpruned.p99Ms);
  }
  const pools = STORES.map((store) => pooled(store, samples.get(store)));
  const memoryPool = pools.find((p) => p.store === 'memory');
  for (const p of pools) {
    p.p99ToMemory = ratio(p.p99Ms, memoryPool.p99Ms);
    p.p50ToMemory = ratio(p.p50Ms, memoryPool.p50Ms);
    const unpruned = pools.find((u) => p.store.endsWith('+prune') && u.store === p.store.replace(/\+prune$/, ''));
    if (unpruned) p.p99ToUnpruned = ratio(p.p99Ms, unpruned.p99Ms);
    const drawn = units || samples;
    if (p.store !== 'memory') p.p99ToMemorySpread = ratioSpread(drawn.get(p.store), drawn.get('memory'));
    log(`closewatch n=${n} store ${p.store}, ${p.rounds} windows pooled: close-to-visible`, JSON.stringify(p));
  }
  return pools;
}

// 8b. the stores side by side (--stores-slices S): one closewatch per store at n upstreams, each
// with its own load server (own ports) and its own history, all started, then each warmed up
// (STORES_WARMUP_SECONDS at the close rate); then S cycles, each a window of CLOSE_SECONDS at
// the close rate on every store in turn (every other cycle in the reverse order) while the others
// idle. The cycle stands for the round: the ratios are to memory's window of the same cycle.
// With --stores-restart-every K every lane's closewatch and load server are stopped after each K
// cycles and started again (the same history: the SQLite file, the PostgreSQL database), warmed
// up for STORES_RESTART_WARMUP_SECONDS: a process settles things at its start that stay for its
// life (round 25: two memory lanes of one run read 1.46x apart), so the bootstrap then draws
// processes, each the windows of its K cycles, and the spread includes the starts' luck; without
// restarts it draws cycles
async function storesSideBySide(n) {
  if (STORES.some((s) => s.endsWith('+prune'))) {
    throw new Error('--stores-slices: a +prune store prunes its seeded history once, in the warm-up; run it in rounds');
  }
  const starts = STORES_RESTART_EVERY > 0 ? Math.ceil(STORES_SLICES / STORES_RESTART_EVERY) : 1;
  const lifetimeSeconds = Math.max(5400, STORES.length * (STORES_SLICES * (CLOSE_SECONDS + 20) + STORES_WARMUP_SECONDS
    + (starts - 1) * (STORES_RESTART_WARMUP_SECONDS + 60) + 180));
  const lanes = STORES.map((store, i) => {
    const loadPort = PORT_BASE + 400 + 2 * i;
    const controlPort = loadPort + 1;
    const port = CLOSEWATCH_PORT + 1 + i;
    const history = storeHistory(store, path.join(LOGS, `store-${store}-side`));
    return { store, loadPort, controlPort, port, history, base: history.store, process: 0,
      monitor: { ...monitors.closewatch, base: `http://127.0.0.1:${port}` },
      control: (p, timeoutMs) => request(`http://127.0.0.1:${controlPort}${p}`, { timeoutMs }).then((r) => r.body),
      databaseCpu: history.store === 'postgresql' ? postgresCpuSeconds : null, sentInAll: 0,
      sums: { counted: 0, written: 0, dropped: 0, pruned: 0 } };
  });
  for (const lane of lanes) lane.othersPids = () => lanes.filter((l) => l !== lane).flatMap((l) => [l.child.pid, l.load.pid]);
  // each start of all lanes begins one lane further on (the first start in the order given), so
  // that no lane is always the first started and warmed up (rounds 26 and 27: the lanes started
  // first read worse in both runs that started them first)
  let startsDone = 0;
  const startAll = async (warmupSeconds) => {
    const first = startsDone++ % lanes.length;
    const order = [...lanes.slice(first), ...lanes.slice(0, first)];
    for (const lane of order) await startLane(lane, n, lifetimeSeconds);
    await sleep(2000);
    for (const lane of order) await warmUpLane(lane, n, warmupSeconds);
  };
  await startAll(STORES_WARMUP_SECONDS);
  const runs = [];
  const samples = new Map(STORES.map((store) => [store, []]));
  for (let cycle = 1; cycle <= STORES_SLICES; cycle++) {
    if (STORES_RESTART_EVERY > 0 && cycle > 1 && (cycle - 1) % STORES_RESTART_EVERY === 0) {
      for (const lane of lanes) await stopLane(lane);
      await startAll(STORES_RESTART_WARMUP_SECONDS);
    }
    for (const lane of (cycle % 2 === 1 ? lanes : [...lanes].reverse())) {
      const { samples: windowSamples, counterInWindow, warmup, ...visible } = await closeToVisible('closewatch', lane.child, n, 0,
        { databaseCpu: lane.databaseCpu, samples: true, counter: () => evictionsOf(lane.monitor), lane });
      lane.sentInAll += visible.sent;
      const r = { store: lane.store, round: cycle, process: lane.process, upstreams: n, ...visible,
        prunedInWindow: lane.base === 'memory' ? null : counterInWindow };
      runs.push(r);
      samples.get(lane.store).push(windowSamples);
      log(`closewatch n=${n} store ${lane.store} side by side (cycle ${cycle}): close-to-visible`, JSON.stringify(r));
      const back = await lane.control(`/watch?target=${n}&timeoutMs=30000`, 40_000);
      if (back.timedOut) log(`${lane.store}: only ${back.open} of ${n} back after cycle ${cycle}`);
      await sleep(1000);
    }
  }
  // every close of a store's whole run, warm-up included, counted and (durable stores) written,
  // over all its processes
  const totals = [];
  for (const lane of lanes) {
    await stopLane(lane);
    const mine = runs.filter((r) => r.store === lane.store);
    const mean = (f) => round(mine.reduce((a, r) => a + (f(r) || 0), 0) / mine.length, 2);
    totals.push({ store: lane.store, upstreams: n, windows: mine.length, processes: lane.process,
      allOpenFromLaunchMs: lane.allOpenFromLaunchMs, warmup: lane.warmup,
      sentInAll: lane.sentInAll, counted: lane.sums.counted,
      written: lane.base === 'memory' ? null : lane.sums.written,
      dropped: lane.base === 'memory' ? null : lane.sums.dropped,
      prunedInAll: lane.base === 'memory' ? null : lane.sums.pruned,
      cpuCores: mean((r) => r.cpuCores), loadServerCpuCores: mean((r) => r.loadServerCpuCores),
      databaseCpuCores: lane.databaseCpu ? mean((r) => r.databaseCpuCores) : null,
      machineBusyCores: mean((r) => r.machineBusyCores), otherCpuCores: mean((r) => r.otherCpuCores), ioWaitCores: mean((r) => r.ioWaitCores),
      diskWriteMBps: mean((r) => r.diskWriteMBps), diskFlushesPerSecond: mean((r) => r.diskFlushesPerSecond),
      gc: { pauses: mine.reduce((a, r) => a + (r.gc ? r.gc.pauses : 0), 0), pauseMs: mine.reduce((a, r) => a + (r.gc ? r.gc.pauseMs : 0), 0),
        pausedPercent: mean((r) => r.gc && r.gc.pausedPercent) } });
    totals[totals.length - 1].storeBytes = storeBytes(lane.history);
    log(`closewatch n=${n} store ${lane.store} side by side: totals`, JSON.stringify(totals[totals.length - 1]));
  }
  // the bootstrap's unit: a process (its cycles' windows as one) when the lanes restarted
  const units = STORES_RESTART_EVERY > 0 ? new Map([...samples].map(([store, windows]) => [store, byProcess(windows)])) : null;
  return { mode: 'side by side', upstreams: n, rate: CLOSE_RATE, seconds: CLOSE_SECONDS, warmupSeconds: STORES_WARMUP_SECONDS,
    cycles: STORES_SLICES, restartEvery: STORES_RESTART_EVERY || null, restartWarmupSeconds: STORES_RESTART_EVERY ? STORES_RESTART_WARMUP_SECONDS : null,
    runs, lanes: totals, pooled: compareStores(n, runs, samples, units) };
}

// a lane's windows grouped by process: the windows of each STORES_RESTART_EVERY cycles as one
// sample
function byProcess(windows) {
  const units = [];
  windows.forEach((w, i) => {
    const u = Math.floor(i / STORES_RESTART_EVERY);
    if (!units[u]) units[u] = { latencyMs: [], toClosedAtMs: [], closedAtToSeenMs: [] };
    if (!w) return;
    for (const key of Object.keys(units[u])) units[u][key].push(...(w[key] || []));
  });
  return units;
}

// a lane's load server and closewatch started (its process count advanced), all its upstreams
// open and closewatch ready
async function startLane(lane, n, lifetimeSeconds) {
  const addresses = Array.from({ length: ADDRESSES }, (_, i) => `127.0.0.${2 + i}`).join(',');
  lane.process += 1;
  const suffix = lane.process > 1 ? `-${lane.process}` : '';
  lane.load = start(`load-server-${lane.store}${suffix}`, 'node', [path.join(BENCH, 'load', 'server.js'), '--addresses', addresses,
    '--port', String(lane.loadPort), '--control-port', String(lane.controlPort), '--max-lifetime-s', String(lifetimeSeconds),
    '--poll-interval-ms', String(POLL_INTERVAL_MS)]);
  await waitFor(() => lane.control('/stats', 1000), 10_000, `the load server of ${lane.store}`);
  const watching = lane.control(`/watch?target=${n}&timeoutMs=120000`, 130_000);
  lane.child = lane.monitor.launch(n, { history: lane.history, tag: `${lane.store}-side${suffix}-`, port: lane.port, loadPort: lane.loadPort });
  const startup = await watching;
  if (startup.timedOut) throw new Error(`closewatch with the ${lane.store} store: only ${startup.open} of ${n} opened`);
  await waitFor(async () => (await request(lane.monitor.base + lane.monitor.ready, { timeoutMs: 2000 })) !== null, 60_000,
    `closewatch (${lane.store}) ready`);
  if (lane.process === 1) lane.allOpenFromLaunchMs = startup.t100Ms;
  log(`closewatch n=${n} store ${lane.store} side by side (process ${lane.process}): all open after ${startup.t100Ms} ms, on port ${lane.port}`);
}

async function warmUpLane(lane, n, seconds) {
  if (!(seconds > 0)) return;
  const w = await lane.control(closesPath(lane.monitor, CLOSE_RATE, seconds), (seconds + 30) * 1000);
  lane.sentInAll += w.sent;
  const warmup = { seconds, sent: w.sent, seen: w.seen, p50Ms: w.p50Ms, p99Ms: w.p99Ms };
  if (lane.process === 1) lane.warmup = warmup;
  log(`closewatch n=${n} store ${lane.store} side by side (process ${lane.process}): warm-up`, JSON.stringify(warmup));
  await lane.control(`/watch?target=${n}&timeoutMs=30000`, 40_000);
  await sleep(1000);
}

// what a lane's closewatch counted, wrote, dropped and pruned so far
async function laneCounters(lane) {
  const metrics = (await request(lane.monitor.base + lane.monitor.metrics, { raw: true, timeoutMs: 60_000 })).body;
  return { counted: metricSum(metrics, 'closewatch_upstream_closes_total'), written: metricSum(metrics, 'closewatch_history_written_total'),
    dropped: metricSum(metrics, 'closewatch_history_dropped_total'), pruned: metricSum(metrics, 'closewatch_history_evictions_total') };
}

// a lane's process retired, before its restart and at the end: its counters added to the lane's
// sums (read after the cycle's windows, every close of them back open, so counted and
// committed), then closewatch and its load server stopped; the closes of closewatch's own
// shutdown are written but in no total
async function stopLane(lane) {
  const counters = await laneCounters(lane);
  for (const k of Object.keys(lane.sums)) lane.sums[k] += counters[k] || 0;
  await stop(lane.child);
  await stop(lane.load);
}

// ---- the two monitors -----------------------------------------------------------------

const monitors = {
  closewatch: {
    port: CLOSEWATCH_PORT,
    base: `http://127.0.0.1:${CLOSEWATCH_PORT}`,
    closeEvents: '/api/v1/close-events',
    // the live stream (Server-Sent Events); the baseline has none
    stream: '/api/v1/close-events/stream',
    metrics: '/actuator/prometheus',
    ready: '/actuator/health',
    // history: { store, sqlitePath, sqliteSynchronous, queueFile, datasource: { url }, synchronousCommit, linger } (default: the memory store); tag: in the
    // names of the configuration and the log; port and loadPort: closewatch's own and the load
    // server's (a store run side by side with others has its own of each)
    launch(n, { history = { store: 'memory' }, tag = '', port = CLOSEWATCH_PORT, loadPort = LOAD_PORT } = {}) {
      const file = path.join(LOGS, `closewatch-${tag}${n}.yaml`);
      const lines = [
        'server:', `  port: ${port}`, '  address: 127.0.0.1',
        ...(history.datasource ? ['spring:', '  datasource:', `    url: ${history.datasource.url}`,
          '    username: postgres', '    password: postgres'] : []),
        'closewatch:', `  startup-spread: ${STARTUP_SPREAD_MS}ms`, `  max-concurrent-handshakes: ${HANDSHAKE_CAP}`,
        '  history:', `    store: ${history.store}`, `    capacity: ${HISTORY}`,
        ...(history.sqlitePath ? ['    sqlite:', `      path: ${history.sqlitePath}`] : []),
        ...(history.sqliteSynchronous ? [`      synchronous: "${history.sqliteSynchronous}"`] : []),
        ...(history.sqlitePath && history.queueFile === false ? ['      queue-file: false'] : []),
        ...(history.datasource && (history.synchronousCommit || history.queueFile === false) ? ['    postgresql:'] : []),
        ...(history.synchronousCommit ? [`      synchronous-commit: "${history.synchronousCommit}"`] : []),
        ...(history.datasource && history.queueFile === false ? ['      queue-file: false'] : []),
        ...(history.linger ? ['    writer:', `      linger: ${history.linger}`] : []),
        '  reconnect:', `    delay: ${RECONNECT.delayMs}ms`, `    multiplier: ${RECONNECT.multiplier}`,
        `    max-delay: ${RECONNECT.maxDelayMs}ms`, `    jitter: ${RECONNECT.jitter}`, `    reset-after: ${RECONNECT.resetAfterMs}ms`,
        n > 0 ? '  upstreams:' : '  upstreams: {}',
      ];
      names(n).forEach((name, i) => lines.push(`    ${name}:`, `      url: ${upstreamUrl(name, i, loadPort)}`));
      fs.writeFileSync(file, lines.join('\n') + '\n');
      return start(`closewatch-${tag}${n}`, JAVA, [...heapArgs(), ...JVM_ARGS, ...launch.args,
        `--spring.config.additional-location=file:${file}`]);
    },
    async heapAfterGc(pid) {
      execFileSync(JCMD, [String(pid), 'GC.run'], { stdio: 'ignore', timeout: 60_000 });
      await sleep(300);
      execFileSync(JCMD, [String(pid), 'GC.run'], { stdio: 'ignore', timeout: 60_000 });
      const info = execFileSync(JCMD, [String(pid), 'GC.heap_info'], { encoding: 'utf8', timeout: 60_000 });
      // G1: one "garbage-first heap ... used NK" line; Serial and Parallel: one per generation; ZGC
      // and Shenandoah print their own (with --jvm-args -XX:+UseZGC and the like)
      let used = null;
      // ("total 1234K, used 56K" up to JDK 21; "total reserved 1234K, committed 99K, used 56K" on 25)
      for (const m of info.matchAll(/(?:heap|generation)\s+total [^\n]*?used (\d+)K/g)) used = (used || 0) + Number(m[1]);
      // ZGC: "ZHeap  used 44M, capacity ..."; Shenandoah: "512M max, ..., 376M committed, 23552K used"
      const other = used === null && (info.match(/ZHeap\s+used (\d+)([KMG])/) || info.match(/committed, (\d+)([KMG]) used/));
      if (other) used = Number(other[1]) * { K: 1, M: 1024, G: 1024 * 1024 }[other[2]];
      return used;
    },
  },
  baseline: {
    port: BASELINE_PORT,
    base: `http://127.0.0.1:${BASELINE_PORT}`,
    closeEvents: '/api/v1/close-events',
    metrics: '/metrics',
    ready: '/api/v1/upstreams/summary',
    launch(n) {
      const file = path.join(LOGS, `baseline-${n}.json`);
      const upstreams = {};
      names(n).forEach((name, i) => (upstreams[name] = upstreamUrl(name, i)));
      fs.writeFileSync(file, JSON.stringify({ upstreams, reconnect: RECONNECT, startupSpreadMs: STARTUP_SPREAD_MS,
        historyCapacity: HISTORY }));
      return start(`baseline-${n}`, 'node', ['--expose-gc', path.join(BENCH, 'baseline', 'monitor.js'),
        '--config', file, '--port', String(BASELINE_PORT)]);
    },
    async heapAfterGc() {
      const { body } = await request(`${this.base}/debug/gc`);
      return Math.round(body.heapUsed / 1024);
    },
  },
};

// heap and GC flags of every closewatch JVM, the training run's too (an AOT cache wants the same GC)
function heapArgs() {
  const gc = JVM_ARGS.filter((a) => /^-XX:\+Use\w+GC$/.test(a));
  return [`-Xmx${XMX}`, ...gc, '-XX:SoftRefLRUPolicyMSPerMB=0', ...IMAGE_HEAP_FLAGS];
}

function javaFeatureVersion() {
  const out = execFileSync('sh', ['-c', `'${JAVA}' -version 2>&1`], { encoding: 'utf8' });
  const m = out.match(/version "(\d+)(?:\.(\d+))?/);
  return m ? (m[1] === '1' ? Number(m[2]) : Number(m[1])) : 0;
}

// extract the jar and run the training once, as the Dockerfile does: the `training` profile (500
// upstreams against the demo upstream on closewatch's own loopback port, the REST API and the
// scrape read, then exit), and should that fail a run that stops after the context refresh
function prepareLaunch() {
  let mode = LAUNCH;
  if (mode === 'jar') return { mode, args: ['-jar', JAR] };
  if (mode === 'image') mode = javaFeatureVersion() >= 25 ? 'aot' : 'cds';
  if (mode === 'aot' && javaFeatureVersion() < 25) {
    log(`--launch aot needs Java 25+ (-XX:AOTCacheOutput); ${JAVA} is older: using cds`);
    mode = 'cds';
  }
  const dir = path.join(LOGS, 'app');
  const archive = path.join(dir, mode === 'aot' ? 'closewatch.aot' : 'closewatch.jsa');
  const logFile = path.join(LOGS, `training-${mode}.log`);
  const t0 = now();
  try {
    execFileSync(JAVA, ['-Djarmode=tools', '-jar', JAR, 'extract', '--destination', dir], { stdio: 'ignore', timeout: 120_000 });
    const jar = path.join(dir, path.basename(JAR));
    const make = mode === 'aot' ? `-XX:AOTCacheOutput=${archive}` : `-XX:ArchiveClassesAtExit=${archive}`;
    const train = (how) => {
      const fd = fs.openSync(logFile, 'w');
      try {
        // the store the image trains with (the default, sqlite), its file with the run's logs
        execFileSync(JAVA, [...heapArgs(), make, how, '-jar', jar,
          `--closewatch.history.sqlite.path=${path.join(dir, 'training-data', 'closewatch.db')}`],
        { stdio: ['ignore', fd, fd], timeout: 300_000 });
      } finally {
        fs.closeSync(fd);
      }
    };
    let trainedBy = 'training run';
    try {
      train('-Dspring.profiles.active=training');
    } catch (e) {
      log(`training run failed (${String(e.message).split('\n')[0]}; see ${logFile}): training on the context refresh only`);
      fs.rmSync(archive, { force: true });
      trainedBy = 'context refresh only';
      train('-Dspring.context.exit=onRefresh');
    }
    if (!fs.existsSync(archive) || fs.statSync(archive).size === 0) throw new Error(`no ${archive}`);
    log(`${mode} training (${trainedBy}) done in ${round((now() - t0) / 1000, 1)} s: ${archive} (${round(fs.statSync(archive).size / 1048576, 1)} MiB)`);
    return { mode: `${mode} (${trainedBy})`, args: [mode === 'aot' ? `-XX:AOTCache=${archive}` : `-XX:SharedArchiveFile=${archive}`, '-jar', jar] };
  } catch (e) {
    log(`${mode} training failed (${String(e.message).split('\n')[0]}; see ${logFile}): launching the plain jar`);
    return { mode: 'jar', args: ['-jar', JAR] };
  }
}

// ---- scenarios --------------------------------------------------------------------------

const control = (p, timeoutMs) => request(`http://127.0.0.1:${CONTROL_PORT}${p}`, { timeoutMs }).then((r) => r.body);

async function memory(monitor, child) {
  await sleep(1500);
  const heapKiB = await monitor.heapAfterGc(child.pid);
  await sleep(500);
  return { heapKiB, ...procStatus(child.pid) };
}

async function idle(targetName) {
  const monitor = monitors[targetName];
  const child = monitor.launch(0);
  await waitFor(async () => (await request(monitor.base + monitor.ready, { timeoutMs: 2000 })) !== null, 90_000, `${targetName} ready`);
  await sleep(2000);
  const mem = await memory(monitor, child);
  await stop(child);
  return mem;
}

async function scrape(monitor) {
  // Prometheus scrapes every 15-30 s for the life of the process: the figure is the steady
  // state, after WARMUP_SCRAPES unmeasured scrapes (the first one, JIT-cold, is reported apart)
  const warmup = [];
  for (let i = 0; i < WARMUP_SCRAPES; i++) {
    warmup.push((await request(monitor.base + monitor.metrics, { raw: true, timeoutMs: 60_000 })).ms);
    await sleep(200);
  }
  const times = [];
  let bytes = 0;
  let lines = 0;
  for (let i = 0; i < SCRAPES; i++) {
    const r = await request(monitor.base + monitor.metrics, { raw: true, timeoutMs: 60_000 });
    times.push(r.ms);
    bytes = r.bytes;
    lines = r.body.split('\n').filter((l) => l && !l.startsWith('#')).length;
    await sleep(200);
  }
  times.sort((a, b) => a - b);
  return { medianMs: round(percentile(times, 50), 1), maxMs: round(times[times.length - 1], 1), bytes, series: lines,
    firstMs: warmup.length ? round(warmup[0], 1) : null };
}

async function historyQueries(monitor, n) {
  const first = await request(`${monitor.base}${monitor.closeEvents}?limit=1000`);
  const items = first.body.items;
  const middle = items.length ? items[Math.floor(items.length / 2)].closedAt : new Date().toISOString();
  const pick = () => 'u' + String(1 + Math.floor(Math.random() * n)).padStart(5, '0');
  const kinds = {
    upstream: () => `upstream=${pick()}`,
    wasClean: () => 'wasClean=false',
    since: () => `since=${encodeURIComponent(middle)}`,
    combined: () => `upstream=${pick()}&wasClean=true&since=${encodeURIComponent(middle)}`,
  };
  const result = {};
  // an unmeasured round first, as for the scrape: the REST paths are JIT-compiled for a service
  // that is polled for weeks; that round's p99 is reported as the JIT-cold figure
  const cold = [];
  for (let i = 0; i < QUERY_WARMUP; i++) {
    const q = Object.values(kinds)[i % 4];
    cold.push((await request(`${monitor.base}${monitor.closeEvents}?${q()}&limit=100`)).ms);
  }
  cold.sort((a, b) => a - b);
  result.cold = { p99Ms: round(percentile(cold, 99), 2), requests: cold.length };
  // the kinds take turns, so that a slower stretch of the run (a GC cycle, the host) does not
  // land on one of them: run in blocks, the third (since=) had the highest p50 in every run,
  // while alternated with the others in one process it took as long as no filter at all
  const all = [];
  const times = Object.fromEntries(Object.keys(kinds).map((kind) => [kind, []]));
  for (let i = 0; i < QUERY_REPEATS; i++) {
    for (const [kind, q] of Object.entries(kinds)) {
      const r = await request(`${monitor.base}${monitor.closeEvents}?${q()}&limit=100`);
      times[kind].push(r.ms);
      all.push(r.ms);
    }
  }
  for (const [kind, t] of Object.entries(times)) {
    t.sort((a, b) => a - b);
    result[kind] = { p50Ms: round(percentile(t, 50), 2), p99Ms: round(percentile(t, 99), 2) };
  }
  all.sort((a, b) => a - b);
  result.all = { p50Ms: round(percentile(all, 50), 2), p99Ms: round(percentile(all, 99), 2), requests: all.length };
  return result;
}

// issue 20: the operator's view, closewatch only (the baseline has neither): a page of 100 of the
// upstream list under its usual filters and orders, a later page by cursor, and the summary;
// a warm-up round first, as for the history queries
async function operatorQueries(monitor, n) {
  const base = `${monitor.base}/api/v1/upstreams`;
  const first = await request(`${base}?limit=100&sort=attention`);
  const cursor = first.body && first.body.next;
  const list = [
    () => `${base}?limit=100`,
    () => `${base}?limit=100&state=OPEN`,
    () => `${base}?limit=100&q=${String(1 + Math.floor(Math.random() * 9))}`,
    () => `${base}?limit=100&sort=attention`,
    () => `${base}?limit=100&sort=attention&cursor=${cursor}`,
  ];
  for (let i = 0; i < QUERY_WARMUP; i++) {
    await request(list[i % list.length]());
    await request(`${base}/summary`);
  }
  const listMs = [];
  const summaryMs = [];
  for (let i = 0; i < QUERY_REPEATS; i++) {
    for (const url of list) listMs.push((await request(url())).ms);
    summaryMs.push((await request(`${base}/summary`)).ms);
  }
  listMs.sort((a, b) => a - b);
  summaryMs.sort((a, b) => a - b);
  const legacy = await request(base);
  return {
    list: { p50Ms: round(percentile(listMs, 50), 2), p99Ms: round(percentile(listMs, 99), 2), requests: listMs.length },
    summary: { p50Ms: round(percentile(summaryMs, 50), 2), p99Ms: round(percentile(summaryMs, 99), 2), requests: summaryMs.length },
    pageBytes: JSON.stringify(first.body).length,
    legacyArrayMs: round(legacy.ms, 1),
  };
}

// the status page in headless Chromium (bench/status-page.mjs): first render, filter, search,
// page change and an upstream's view, median of STATUS_PAGE_ROUNDS loads; screenshots in LOGS.
// Skipped, with the reason, without Chromium or .ci's playwright-core (bash .ci/browser-check.sh
// or bench/run.sh installs it)
function statusPage(monitor, n) {
  if (STATUS_PAGE_ROUNDS === 0) return { skipped: '--status-page-rounds 0' };
  const chromium = process.env.CHROMIUM || ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => fs.existsSync(p));
  if (!chromium) return { skipped: 'no Chromium' };
  if (!fs.existsSync(path.join(BENCH, '..', '.ci', 'node_modules', 'playwright-core'))) return { skipped: 'no .ci/node_modules/playwright-core' };
  try {
    const out = execFileSync('node', [path.join(BENCH, 'status-page.mjs'), monitor.base + '/', path.join(LOGS, `status-page-${n}`),
      String(STATUS_PAGE_ROUNDS)], { encoding: 'utf8', timeout: 300_000, stdio: ['ignore', 'pipe', 'pipe'] });
    return JSON.parse(out.trim().split('\n').pop());
  } catch (error) {
    return { failed: String(error.stderr || error.message).trim().split('\n').slice(0, 3).join(' ') };
  }
}

async function runTarget(targetName, n, idleMem) {
  const monitor = monitors[targetName];
  const r = { target: targetName, upstreams: n };
  await control('/config?upgradeDelayMs=0');
  // 1. start: from launch until all N are open (the load server's own count)
  const t0 = now();
  const loadStartCpu0 = cpuSeconds(loadServerPid);
  const watching = control(`/watch?target=${n}&timeoutMs=120000`, 130_000);
  const child = monitor.launch(n);
  let readyMs = null;
  waitFor(async () => {
    await request(monitor.base + monitor.ready, { timeoutMs: 2000 });
    readyMs = now() - t0;
    return true;
  }, 120_000, 'ready').catch(() => {});
  const startup = await watching;
  const offset = now() - t0; // the watch began with the launch: t100 is from launch
  // where the CPU of the start went: the monitor's threads since launch (CPU seconds), and the
  // load server's, which accepts the N upgrades on the same two cores
  // (over one second from nothing, cores are CPU seconds)
  const startCpu = cpuByThread({}, threadTicks(child.pid), 1, 7);
  r.startup = { allOpenFromLaunchMs: startup.t100Ms, allOpenFromReadyMs: readyMs !== null && startup.t100Ms !== null
    ? round(startup.t100Ms - readyMs, 0) : null, readyMs: round(readyMs, 0), timedOut: startup.timedOut,
  peakConcurrentHandshakes: startup.peakConcurrentHandshakes, cpuSeconds: round(cpuSeconds(child.pid), 2),
  cpuSecondsByThread: startCpu, loadServerCpuSeconds: round(cpuSeconds(loadServerPid) - loadStartCpu0, 2) };
  log(`${targetName} n=${n}: all open ${startup.t100Ms} ms after launch (ready at ${round(readyMs, 0)} ms, ${round(offset, 0)})`);
  if (startup.timedOut) throw new Error(`${targetName}: only ${startup.open} of ${n} opened`);

  // 2. memory and threads at N open
  await sleep(2000);
  const mem = await memory(monitor, child);
  r.memory = {
    ...mem,
    idle: idleMem,
    heapPerUpstreamKiB: n ? round((mem.heapKiB - idleMem.heapKiB) / n, 2) : null,
    rssPerUpstreamKiB: n ? round((mem.rssKiB - idleMem.rssKiB) / n, 2) : null,
  };
  log(`${targetName} n=${n}: memory`, JSON.stringify(r.memory));

  // 3. scrape
  r.scrape = await scrape(monitor);
  log(`${targetName} n=${n}: scrape`, JSON.stringify(r.scrape));

  // 4. close-to-visible latency at CLOSE_RATE for CLOSE_SECONDS, after an unmeasured warm-up of
  // the same shape (the JIT compiles the close, reconnect and REST paths during the first seconds)
  r.closeLatency = await closeToVisible(targetName, child, n, WARMUP_SECONDS);
  log(`${targetName} n=${n}: close-to-visible`, JSON.stringify(r.closeLatency));
  // the closed ones reconnect after the back-off
  const back = await control(`/watch?target=${n}&timeoutMs=30000`, 40_000);
  if (back.timedOut) log(`${targetName}: only ${back.open} of ${n} back after the close phase`);

  // 4b. close-to-stream: the same closes, read from the monitor's live stream instead of polled
  // from its list; no poll interval or round trip in the figure, and the event is in the list
  // and the counter before it is streamed
  if (monitor.stream) {
    r.closeToStream = await closeToStream(monitor, n);
    log(`${targetName} n=${n}: close-to-stream`, JSON.stringify(r.closeToStream));
  }

  if (n === SWEEP_AT && SWEEP_RATES.length) {
    r.sweep = await closeRateSweep(targetName, child, n);
  }

  // the counter saw every close
  const metrics = await request(monitor.base + monitor.metrics, { raw: true, timeoutMs: 60_000 });
  let counted = 0;
  for (const line of metrics.body.split('\n')) {
    const m = /^closewatch_upstream_closes_total\{([^}]*)\} ([0-9.eE+]+)/.exec(line);
    if (m && /code="(1000|4000|4001)"/.test(m[1])) counted += Number(m[2]);
  }
  r.closeLatency.counted = counted;
  // every close sent, in the warm-up too, must be in the counter: a lost close is a defect
  r.closeLatency.sentInAll = r.closeLatency.sent + (r.closeLatency.warmup ? r.closeLatency.warmup.sent : 0) + (r.closeToStream ? r.closeToStream.sentInAll : 0)
    + (r.sweep ? r.sweep.sentInAll : 0);

  // 5. history queries at a full history
  r.history = await historyQueries(monitor, n);
  log(`${targetName} n=${n}: history queries`, JSON.stringify(r.history.all));
  if (targetName === 'closewatch') {
    r.operator = await operatorQueries(monitor, n);
    log(`${targetName} n=${n}: operator view`, JSON.stringify(r.operator));
    r.statusPage = statusPage(monitor, n);
    log(`${targetName} n=${n}: status page in Chromium`, JSON.stringify(r.statusPage));
  }

  // 6. reconnect storm: all dropped at once
  await sleep(1000);
  await control(`/config?upgradeDelayMs=${STORM_UPGRADE_DELAY_MS}`);
  const storm = await cpuOver(child.pid, () => control(`/storm?target=${n}&timeoutMs=60000`, 70_000));
  await control('/config?upgradeDelayMs=0');
  r.storm = { ...storm.result, upgradeDelayMs: STORM_UPGRADE_DELAY_MS, cpuSeconds: storm.cpuSeconds,
    cpuCores: storm.cpuCores, bound: round(RECONNECT.maxDelayMs * (1 + RECONNECT.jitter), 0) };
  log(`${targetName} n=${n}: storm`, JSON.stringify(r.storm));

  r.afterAll = { ...procStatus(child.pid), threadNames: threadNames(child.pid) };
  await stop(child);
  await sleep(1000);
  return r;
}

async function main() {
  fs.mkdirSync(LOGS, { recursive: true });
  if (TARGETS.includes('closewatch') && !fs.existsSync(JAR)) throw new Error(`no jar at ${JAR}: build it first`);
  if (TARGETS.includes('closewatch')) launch = prepareLaunch();
  const addresses = Array.from({ length: ADDRESSES }, (_, i) => `127.0.0.${2 + i}`).join(',');
  const load = start('load-server', 'node', [path.join(BENCH, 'load', 'server.js'), '--addresses', addresses,
    '--port', String(LOAD_PORT), '--control-port', String(CONTROL_PORT), '--max-lifetime-s', '5400',
    '--poll-interval-ms', String(POLL_INTERVAL_MS)]);
  loadServerPid = load.pid;
  await waitFor(() => control('/stats', 1000), 10_000, 'load server');
  const results = { stamp: STAMP, machine: machine(), settings: { COUNTS, TARGETS, CLOSE_RATE, CLOSE_SECONDS, POLL_INTERVAL_MS, WARMUP_SECONDS, STREAM_WARMUP_SECONDS,
    SWEEP_AT, SWEEP_RATES, SWEEP_SECONDS, SWEEP_WARMUP_SECONDS, STORES, STORES_AT, STORES_ONLY, STORES_ROUNDS, STORES_WARMUP_SECONDS,
    QUERY_REPEATS, QUERY_WARMUP, SCRAPES, ADDRESSES, HANDSHAKE_CAP, STARTUP_SPREAD_MS, STORM_UPGRADE_DELAY_MS, RECONNECT, HISTORY, XMX,
    JAVA, JVM_ARGS, IMAGE_HEAP_FLAGS, LAUNCH: launch.mode },
  idle: {}, runs: [] };
  try {
    for (const t of STORES_ONLY ? [] : TARGETS) {
      results.idle[t] = await idle(t);
      log(`${t} idle (0 upstreams)`, JSON.stringify(results.idle[t]));
    }
    for (const n of STORES_ONLY ? [] : COUNTS) {
      for (const t of TARGETS) {
        results.runs.push(await runTarget(t, n, results.idle[t]));
        fs.writeFileSync(path.join(OUT, `${STAMP}.json`), JSON.stringify(results, null, 2));
      }
    }
    if (STORES_COMPARED && TARGETS.includes('closewatch')) {
      results.stores = STORES_SLICES > 0 ? await storesSideBySide(STORES_AT) : await storeComparison(STORES_AT);
    }
  } finally {
    for (const c of started) await stop(c, 25_000).catch(() => {});
    stopPostgres();
  }
  fs.writeFileSync(path.join(OUT, `${STAMP}.json`), JSON.stringify(results, null, 2));
  const md = report(results);
  fs.writeFileSync(path.join(OUT, `${STAMP}.md`), md);
  fs.writeFileSync(path.join(OUT, 'latest.json'), JSON.stringify(results, null, 2));
  fs.writeFileSync(path.join(OUT, 'latest.md'), md);
  console.log('\n' + md);
  log(`results: ${path.join(OUT, STAMP + '.json')}`);
  if (args.check) check(results);
}

function machine() {
  const sh = (c, a) => { try { return execFileSync(c, a, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim(); } catch (e) { return String(e.stderr || e).trim(); } };
  return { nproc: sh('nproc', []), memory: sh('free', ['-h']).split('\n')[1], java: execFileSync(JAVA, ['-version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim()
    || execFileSync('sh', ['-c', `'${JAVA}' -version 2>&1`], { encoding: 'utf8' }).trim(),
    node: process.version, kernel: sh('uname', ['-r']) };
}

// ---- report ------------------------------------------------------------------------------

const FIGURES = [
  ['heap per upstream (KiB)', (r) => r.memory.heapPerUpstreamKiB],
  ['RSS growth per upstream (KiB)', (r) => r.memory.rssPerUpstreamKiB],
  ['heap after GC (KiB)', (r) => r.memory.heapKiB],
  ['RSS (KiB)', (r) => r.memory.rssKiB],
  ['threads', (r) => r.memory.threads],
  ['threads after every phase (pools grown by the REST, stream and storm load)', (r) => r.afterAll && r.afterAll.threads],
  ['RSS after every phase (KiB)', (r) => r.afterAll && r.afterAll.rssKiB],
  ['all open after launch (ms)', (r) => r.startup.allOpenFromLaunchMs],
  ['all open after ready (ms)', (r) => r.startup.allOpenFromReadyMs],
  ['CPU seconds from launch to all open (load server)', (r) => r.startup.cpuSeconds !== undefined
    ? `${r.startup.cpuSeconds} (${r.startup.loadServerCpuSeconds})` : null],
  ['CPU seconds by thread from launch to all open', (r) => r.startup.cpuSecondsByThread],
  ['close-to-visible p50 (ms)', (r) => r.closeLatency.p50Ms],
  ['close-to-visible p99 (ms)', (r) => r.closeLatency.p99Ms],
  ['close-to-visible max (ms)', (r) => r.closeLatency.maxMs],
  ['close-to-visible p99, send to the monitor\'s closedAt stamp (ms)', (r) => r.closeLatency.toClosedAtP99Ms],
  ['close-to-visible p99, closedAt stamp to seen by the poll (ms)', (r) => r.closeLatency.closedAtToSeenP99Ms],
  ['poller event-loop delay p99 / max (ms)', (r) => `${r.closeLatency.pollerLoopDelayP99Ms} / ${r.closeLatency.pollerLoopDelayMaxMs}`],
  ['load server event-loop delay p99 / max (ms)', (r) => `${r.closeLatency.loadServerLoopDelayP99Ms} / ${r.closeLatency.loadServerLoopDelayMaxMs}`],
  ['close handshake p50 at the server (ms)', (r) => r.closeLatency.closeHandshakeP50Ms],
  ['close handshake p99 at the server (ms)', (r) => r.closeLatency.closeHandshakeP99Ms],
  ['close-to-stream p50 / p90 / p99 (ms)', (r) => !r.closeToStream ? 'no stream' : `${r.closeToStream.p50Ms} / ${r.closeToStream.p90Ms} / ${r.closeToStream.p99Ms}`],
  ['close-to-stream p99 split: send to closedAt / closedAt to streamed (ms)', (r) => !r.closeToStream ? 'no stream' : `${r.closeToStream.toClosedAtP99Ms} / ${r.closeToStream.closedAtToSeenP99Ms}`],
  ['close-to-visible p99 in the warm-up, JIT-cold (ms)', (r) => r.closeLatency.warmup && r.closeLatency.warmup.p99Ms],
  ['closes sent / seen', (r) => `${r.closeLatency.sent} / ${r.closeLatency.seen}`],
  ['closes counted / sent, warm-up included', (r) => `${r.closeLatency.counted} / ${r.closeLatency.sentInAll}`],
  ['closes per second achieved', (r) => r.closeLatency.achievedRate],
  ['CPU cores during closes', (r) => r.closeLatency.cpuCores],
  ['load server CPU cores during closes', (r) => r.closeLatency.loadServerCpuCores],
  ['GC pauses during closes: count / total ms / % of the time', (r) => !r.closeLatency.gc ? 'not a JVM'
    : `${r.closeLatency.gc.pauses} / ${r.closeLatency.gc.pauseMs} / ${r.closeLatency.gc.pausedPercent}`],
  ['CPU cores by thread during closes', (r) => r.closeLatency.cpuByThread],
  ['storm: 99 % open (ms)', (r) => r.storm.t99Ms],
  ['storm: 100 % open (ms)', (r) => r.storm.t100Ms],
  ['storm: peak concurrent handshakes', (r) => r.storm.peakConcurrentHandshakes],
  ['storm: peak TCP connections not upgraded', (r) => r.storm.peakUnupgradedConnections],
  ['storm: CPU seconds', (r) => r.storm.cpuSeconds],
  ['first scrape, JIT-cold (ms)', (r) => r.scrape.firstMs],
  ['scrape median (ms)', (r) => r.scrape.medianMs],
  ['scrape max (ms)', (r) => r.scrape.maxMs],
  ['scrape size (bytes)', (r) => r.scrape.bytes],
  ['scrape series', (r) => r.scrape.series],
  ['history query p50 (ms)', (r) => r.history.all.p50Ms],
  ['history query p99 (ms)', (r) => r.history.all.p99Ms],
  ['history query p99 in the warm-up round, JIT-cold (ms)', (r) => r.history.cold && r.history.cold.p99Ms],
  ['history p99 upstream= (ms)', (r) => r.history.upstream.p99Ms],
  ['history p99 wasClean= (ms)', (r) => r.history.wasClean.p99Ms],
  ['history p99 since= (ms)', (r) => r.history.since.p99Ms],
  ['history p99 combined (ms)', (r) => r.history.combined.p99Ms],
  ['upstreams?limit=100 p50 (ms; closewatch only)', (r) => r.operator && r.operator.list.p50Ms],
  ['upstreams?limit=100 p99 (ms; closewatch only)', (r) => r.operator && r.operator.list.p99Ms],
  ['upstreams/summary p50 (ms; closewatch only)', (r) => r.operator && r.operator.summary.p50Ms],
  ['upstreams/summary p99 (ms; closewatch only)', (r) => r.operator && r.operator.summary.p99Ms],
  ['upstreams, the deprecated unpaged array (ms; closewatch only)', (r) => r.operator && r.operator.legacyArrayMs],
  ['status page first render, median (ms; Chromium)', (r) => pageFigure(r, 'firstRenderMs')],
  ['status page state filter change, median (ms)', (r) => pageFigure(r, 'filterMs')],
  ['status page name search incl. 250 ms debounce, median (ms)', (r) => pageFigure(r, 'searchMs')],
  ['status page next page, median (ms)', (r) => pageFigure(r, 'pageMs')],
  ['status page upstream view, median (ms)', (r) => pageFigure(r, 'upstreamViewMs')],
  ['status page DOM elements', (r) => pageFigure(r, 'domNodes')],
];

function pageFigure(r, name) {
  if (!r.statusPage) return undefined;
  if (r.statusPage.skipped || r.statusPage.failed) return r.statusPage.skipped ? 'skipped' : 'failed';
  return r.statusPage[name] && r.statusPage[name].median;
}

function report(results) {
  const out = [`# closewatch benchmark ${results.stamp}`, '', '```', `nproc ${results.machine.nproc}; ${results.machine.memory}`,
    results.machine.java, `node ${results.machine.node}; kernel ${results.machine.kernel}`, '```', '',
    `closewatch launched as: ${results.settings.LAUNCH} (bench/README.md, --launch)`, '',
    `Idle (0 upstreams): ${Object.entries(results.idle).map(([t, m]) => `${t} heap ${m.heapKiB} KiB, RSS ${m.rssKiB} KiB, ${m.threads} threads`).join('; ')}`, ''];
  for (const n of results.settings.COUNTS) {
    const cw = results.runs.find((r) => r.upstreams === n && r.target === 'closewatch');
    const bl = results.runs.find((r) => r.upstreams === n && r.target === 'baseline');
    if (!cw && !bl) continue;
    out.push(`## ${n} upstreams`, '', '| figure | closewatch | baseline | ratio |', '|---|---:|---:|---:|');
    for (const [label, f] of FIGURES) {
      const a = cw ? safe(f, cw) : null;
      const b = bl ? safe(f, bl) : null;
      const ratio = typeof a === 'number' && typeof b === 'number' && b !== 0 ? round(a / b, 2) : '';
      out.push(`| ${label} | ${a ?? ''} | ${b ?? ''} | ${ratio} |`);
    }
    out.push('');
  }
  const swept = results.runs.filter((r) => r.sweep);
  if (swept.length) {
    out.push(`## Close rate (${SWEEP_AT} upstreams, ${results.settings.SWEEP_SECONDS} s at each rate after ${results.settings.SWEEP_WARMUP_SECONDS} s)`, '',
      '| monitor | closes/s asked | achieved | p50 / p90 / p99 ms | send to closedAt p99 ms | CPU cores | CPU ms per close | load server cores | GC pauses / ms / % |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of swept) {
      for (const s of r.sweep.steps) {
        out.push(`| ${r.target} | ${s.rate} | ${s.achievedRate} | ${s.p50Ms} / ${s.p90Ms} / ${s.p99Ms} | ${s.toClosedAtP99Ms} | ${s.cpuCores} | ${s.cpuMsPerClose}`
          + ` | ${s.loadServerCpuCores} | ${s.gc ? `${s.gc.pauses} / ${s.gc.pauseMs} / ${s.gc.pausedPercent}` : 'not a JVM'} |`);
      }
    }
    const cw = swept.find((r) => r.target === 'closewatch');
    const bl = swept.find((r) => r.target === 'baseline');
    if (cw && bl) {
      out.push('', '| closes/s | p99 closewatch / baseline | CPU per close closewatch / baseline |', '|---:|---:|---:|');
      for (const s of cw.sweep.steps) {
        const b = bl.sweep.steps.find((x) => x.rate === s.rate);
        if (!b) continue;
        const ratio = (x, y) => (typeof x === 'number' && typeof y === 'number' && y !== 0 ? round(x / y, 2) : '');
        out.push(`| ${s.rate} | ${ratio(s.p99Ms, b.p99Ms)} | ${ratio(s.cpuMsPerClose, b.cpuMsPerClose)} |`);
      }
    }
    out.push('');
  }
  if (results.stores) {
    const st = results.stores;
    const mib = (b) => (typeof b === 'number' ? `${round(b / 1048576, 1)} MiB` : '');
    if (st.mode === 'side by side') {
      out.push(`## History stores side by side (${st.upstreams} upstreams each, ${st.cycles} cycles of ${st.seconds} s at ${st.rate} closes/s `
        + `on each store in turn, after ${st.warmupSeconds} s at the same rate on each`
        + `${st.restartEvery ? `; every lane's closewatch and load server started anew after each ${st.restartEvery} cycles, `
          + `warmed up for ${st.restartWarmupSeconds} s` : ''})`, '',
      '| store | all open after launch ms | warm-up p99 ms | closes sent in all / counted | written / dropped | on disk '
        + '| mean over its windows: CPU cores / load server / PostgreSQL | machine busy / not ours / I/O wait cores | disk written MB/s / flushes/s '
        + '| GC pauses / ms / mean % |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
      for (const l of st.lanes) {
        out.push(`| ${l.store} | ${l.allOpenFromLaunchMs} | ${l.warmup ? l.warmup.p99Ms : ''} | ${l.sentInAll} / ${l.counted} `
          + `| ${l.store.startsWith('memory') ? '—' : `${l.written} / ${l.dropped}`} | ${mib(l.storeBytes)} `
          + `| ${l.cpuCores} / ${l.loadServerCpuCores} / ${l.databaseCpuCores ?? ''} | ${l.machineBusyCores} / ${l.otherCpuCores} / ${l.ioWaitCores} `
          + `| ${l.diskWriteMBps} / ${l.diskFlushesPerSecond} | ${l.gc.pauses} / ${l.gc.pauseMs} / ${l.gc.pausedPercent} |`);
      }
      const stores = st.lanes.map((l) => l.store);
      out.push('', 'Each window\'s p99 in ms (and its ratio to memory\'s window of the same cycle); the windows of a cycle ran in the order '
        + 'shown on odd cycles and in the reverse order on even ones:', '',
      `| cycle | ${stores.join(' | ')} |`, `|---:|${stores.map(() => '---:').join('|')}|`);
      for (let c = 1; c <= st.cycles; c++) {
        const cell = (store) => {
          const r = st.runs.find((x) => x.store === store && x.round === c);
          return r ? (store === 'memory' ? `${r.p99Ms}` : `${r.p99Ms} (${r.p99ToMemory})`) : '';
        };
        out.push(`| ${c} | ${stores.map(cell).join(' | ')} |`);
      }
      out.push('');
    } else {
      out.push(`## History stores (${st.upstreams} upstreams, ${st.rate} closes/s for ${st.seconds} s after ${st.warmupSeconds} s at the same rate)`, '',
        '| store | round | close-to-visible p50 / p90 / p99 / max ms | p99 / memory | p50 / memory | send to closedAt p99 ms | closedAt to seen p99 ms '
          + '| seen / sent | CPU cores | load server cores | PostgreSQL cores | machine busy / not ours / I/O wait cores | CPU cores by thread | GC pauses / ms / % '
          + '| written / dropped | on disk | pruned in the window / in all | p99 / same store unpruned |',
        '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|');
      for (const r of st.runs) {
        out.push(`| ${r.store} | ${r.round} | ${r.p50Ms} / ${r.p90Ms} / ${r.p99Ms} / ${r.maxMs} | ${r.p99ToMemory} | ${r.p50ToMemory} `
          + `| ${r.toClosedAtP99Ms} | ${r.closedAtToSeenP99Ms} | ${r.seen} / ${r.sent} | ${r.cpuCores} | ${r.loadServerCpuCores} | ${r.databaseCpuCores ?? ''} | ${r.machineBusyCores} / ${r.otherCpuCores} / ${r.ioWaitCores} | ${r.cpuByThread} `
          + `| ${r.gc ? `${r.gc.pauses} / ${r.gc.pauseMs} / ${r.gc.pausedPercent}` : ''} `
          + `| ${r.store.startsWith('memory') ? '—' : `${r.written} / ${r.dropped}`} | ${mib(r.storeBytes)} `
          + `| ${r.store.startsWith('memory') ? '' : `${r.prunedInWindow} / ${r.prunedInAll}`} | ${r.p99ToUnpruned ?? ''} |`);
      }
      out.push('');
    }
    if (st.pooled) {
      const unit = st.mode === 'side by side' ? 'cycle' : 'round';
      const drawn = st.restartEvery ? `processes (each ${st.restartEvery} cycles)` : `${unit}s`;
      out.push(`Every ${unit} of a store pooled (the target's figure: p99 within 1.2× of memory; the spread is a paired `
        + `bootstrap over the ${drawn}, 2,000 draws: the 5th–95th percentile of the ratio and the share of draws within 1.2×):`, '',
        `| store | ${unit}s / closes | p50 / p90 / p99 / p99.9 / max ms | p99 / memory | its spread, 5–95 % / within 1.2× | p50 / memory | send to closedAt p50 / p99 ms | closedAt to seen p50 / p99 ms | p99 / same store unpruned (target ≤ 2×) |`,
        '|---|---:|---:|---:|---:|---:|---:|---:|---:|');
      for (const p of st.pooled) {
        const spread = p.p99ToMemorySpread ? `${p.p99ToMemorySpread.p5}–${p.p99ToMemorySpread.p95} / ${p.p99ToMemorySpread.withinTarget}` : '';
        out.push(`| ${p.store} | ${p.rounds} / ${p.closes} | ${p.p50Ms} / ${p.p90Ms} / ${p.p99Ms} / ${p.p999Ms} / ${p.maxMs} | ${p.p99ToMemory} | ${spread} | ${p.p50ToMemory} `
          + `| ${p.toClosedAtP50Ms} / ${p.toClosedAtP99Ms} | ${p.closedAtToSeenP50Ms} / ${p.closedAtToSeenP99Ms} | ${p.p99ToUnpruned ?? ''} |`);
      }
      out.push('');
    }
  }
  return out.join('\n');
}

function safe(f, r) {
  try {
    return f(r);
  } catch (e) {
    return null;
  }
}

// the smoke test's sanity bounds
function check(results) {
  const failures = [];
  for (const r of results.runs) {
    const t = `${r.target} n=${r.upstreams}`;
    const expect = (ok, what) => { if (!ok) failures.push(`${t}: ${what}`); };
    expect(!r.startup.timedOut && r.startup.allOpenFromLaunchMs < 60_000, `all open after launch: ${r.startup.allOpenFromLaunchMs} ms`);
    expect(r.closeLatency.seen >= 0.99 * r.closeLatency.sent && r.closeLatency.sent > 0, `closes seen ${r.closeLatency.seen} of ${r.closeLatency.sent}`);
    expect(r.closeLatency.counted >= r.closeLatency.sentInAll, `counter ${r.closeLatency.counted} < sent ${r.closeLatency.sentInAll}`);
    expect(r.closeLatency.p99Ms !== null && r.closeLatency.p99Ms < 1000, `close-to-visible p99 ${r.closeLatency.p99Ms} ms`);
    if (r.closeToStream) {
      expect(r.closeToStream.seen === r.closeToStream.sent && r.closeToStream.sent > 0,
        `closes streamed ${r.closeToStream.seen} of ${r.closeToStream.sent}`);
    }
    for (const step of (r.sweep ? r.sweep.steps : [])) {
      expect(step.seen >= 0.99 * step.sent && step.sent > 0, `${step.rate} closes/s: seen ${step.seen} of ${step.sent}`);
    }
    expect(!r.storm.timedOut, `storm: only ${r.storm.open} of ${r.upstreams} back`);
    expect(r.scrape.maxMs < 5000, `scrape ${r.scrape.maxMs} ms`);
    expect(r.history.all.p99Ms < 500, `history query p99 ${r.history.all.p99Ms} ms`);
    if (r.target === 'closewatch') {
      expect(r.storm.peakConcurrentHandshakes <= HANDSHAKE_CAP, `storm peak handshakes ${r.storm.peakConcurrentHandshakes} > cap ${HANDSHAKE_CAP}`);
      expect(r.memory.threads <= 64, `threads ${r.memory.threads}`);
      expect(r.memory.heapPerUpstreamKiB > 0 && r.memory.heapPerUpstreamKiB < 64, `heap per upstream ${r.memory.heapPerUpstreamKiB} KiB`);
    }
  }
  // (side by side, the counters are read once per store, after all its windows: in `lanes`)
  const sideBySide = results.stores && results.stores.mode === 'side by side';
  for (const r of results.stores ? results.stores.runs : []) {
    const expect = (ok, what) => { if (!ok) failures.push(`closewatch ${r.store} store n=${r.upstreams}: ${what}`); };
    expect(r.seen >= 0.99 * r.sent && r.sent > 0, `closes seen ${r.seen} of ${r.sent}`);
    expect(r.p99Ms !== null && r.p99Ms < 1000, `close-to-visible p99 ${r.p99Ms} ms`);
  }
  for (const r of results.stores ? (sideBySide ? results.stores.lanes : results.stores.runs) : []) {
    const expect = (ok, what) => { if (!ok) failures.push(`closewatch ${r.store} store n=${r.upstreams}: ${what}`); };
    expect(r.counted >= r.sentInAll, `counter ${r.counted} < sent ${r.sentInAll}`);
    if (!r.store.startsWith('memory')) {
      // every close, warm-up included, is in the store, and nothing was dropped
      expect(r.written >= r.sentInAll, `history written ${r.written} < sent ${r.sentInAll}`);
      expect(r.dropped === 0, `history dropped ${r.dropped}`);
    }
  }
  const checked = results.runs.length + (results.stores ? results.stores.runs.length : 0);
  if (failures.length) {
    console.error('SMOKE FAILED:\n  ' + failures.join('\n  '));
    process.exitCode = 1;
  } else {
    console.log(`smoke: ${checked} passed, 0 failed`);
  }
}

process.on('SIGINT', () => {
  for (const c of started) { try { process.kill(c.pid, 'SIGKILL'); } catch (e) { /* gone */ } }
  stopPostgres();
  process.exit(130);
});

main().catch(async (e) => {
  console.error(e && e.stack || e);
  for (const c of started) await stop(c, 20_000).catch(() => {});
  process.exit(1);
});
