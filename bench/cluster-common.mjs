// What .ci/cluster-check.mjs and bench/cluster-scale.mjs share: their arguments, a log with the
// seconds since start, ports, and a process's CPU time.
import fs from 'node:fs';
import net from 'node:net';

// --name value pairs
export function parseArgs(argv) {
  return Object.fromEntries(argv.reduce((pairs, arg, i, all) =>
    (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []));
}

export function logger(name) {
  const started = Date.now();
  return (...parts) => console.log(`[${name} +${((Date.now() - started) / 1000).toFixed(1)}s]`, ...parts);
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

// user + system seconds of a process, from /proc
export function cpuSeconds(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
