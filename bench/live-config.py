#!/usr/bin/env python3
"""Live reconfiguration of closewatch against real processes (docs/performance.md, "Live
reconfiguration"; .ci/live-config-check.sh).

The built jar runs as its own process with closewatch.upstream-files naming a directory laid
out as Kubernetes mounts a ConfigMap (upstreams.yaml -> ..data/upstreams.yaml, ..data -> a
generation directory, swapped by an atomic rename as kubelet does). The upstreams are
connections to bench/load/server.js, which counts per path the connections it accepted, those
that closed and the last close code and reason the client sent: the upstream server's own view.

  check  2,000 upstreams; one file change adds 50, removes 50, changes 50 and relabels 20:
         0 closes and 0 new connections on the other 1,850 by the server's counts, the 150
         handled as specified within the quiet period + 1 s; invalid files (bad YAML, a bad URL,
         an unknown key): 0 opens, 0 closes, reload metric 0, the error names file and property,
         and the fix recovers; PUT/DELETE through the API with and without the admin token;
         the label filter and closewatch_upstream_info. Exits non-zero on the first failure.
  bench  10,000 upstreams; --rounds changes of 334 added, 333 removed, 333 changed: time from
         the file write to applied (every close and new connection seen by the server) and the
         CPU seconds of the closewatch process.

Every wait is bounded, everything listens on 127.0.0.0/8, and both processes are stopped at the
end (the load server also stops by itself after --max-lifetime-s).
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOKEN = "live-config-admin"


def log(message):
    print(f"[live-config {time.strftime('%H:%M:%S')}] {message}", flush=True)


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, body=None, headers=None, timeout=30):
    data = body.encode() if isinstance(body, str) else body
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def get_json(url, timeout=30):
    status, body, _ = http("GET", url, timeout=timeout)
    check(status == 200, f"GET {url}: {status} {body[:300]}")
    return json.loads(body)


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_for(what, predicate, timeout, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise Failure(f"timed out after {timeout} s waiting for {what}")


class ConfigMapDirectory:
    """A directory laid out as kubelet mounts a ConfigMap, updated as kubelet updates it."""

    def __init__(self, directory):
        self.directory = directory
        self.generation = 0
        os.makedirs(directory)
        self.file = os.path.join(directory, "upstreams.yaml")

    def write(self, content):
        """Write a new generation and swap ..data to it; return the wall-clock time of the swap."""
        self.generation += 1
        name = f"..{self.generation:04d}_generation"
        os.makedirs(os.path.join(self.directory, name))
        with open(os.path.join(self.directory, name, "upstreams.yaml"), "w") as f:
            f.write(content)
        tmp = os.path.join(self.directory, "..data_tmp")
        os.symlink(name, tmp)
        data = os.path.join(self.directory, "..data")
        previous = os.path.realpath(data) if os.path.islink(data) else None
        os.replace(tmp, os.path.join(self.directory, "..data"))
        swapped = time.time()
        if not os.path.islink(self.file):
            os.symlink(os.path.join("..data", "upstreams.yaml"), self.file)
        if previous is not None and os.path.isdir(previous) and os.path.basename(previous) != name:
            shutil.rmtree(previous)
        return swapped


class Fleet:
    """The upstream definitions and their YAML."""

    def __init__(self, addresses, port):
        self.addresses = addresses
        self.port = port
        self.definitions = {}

    def url(self, name, index, version=0):
        address = self.addresses[index % len(self.addresses)]
        return f"ws://{address}:{self.port}/ws/{name}" + (f"?v={version}" if version else "")

    def yaml(self, definitions=None):
        lines = []
        for name, definition in sorted((definitions or self.definitions).items()):
            lines.append(f"{name}:\n  url: {definition['url']}\n")
            if definition.get("labels"):
                labels = ", ".join(f"{k}: {v}" for k, v in sorted(definition["labels"].items()))
                lines.append(f"  labels: {{{labels}}}\n")
        return "".join(lines) or "{}\n"


class Processes:
    def __init__(self, args, work):
        self.args = args
        self.work = work
        self.server = None
        self.closewatch = None
        self.control = None
        self.api = None

    def start_server(self, addresses, port, control_port, max_connections):
        log(f"load server on {','.join(addresses)}:{port}, control 127.0.0.1:{control_port}")
        self.server_log = open(os.path.join(self.work, "load-server.log"), "w")
        self.server = subprocess.Popen(
            ["node", os.path.join(ROOT, "bench", "load", "server.js"), "--addresses", ",".join(addresses),
             "--port", str(port), "--control-port", str(control_port), "--max-connections", str(max_connections),
             "--max-lifetime-s", str(self.args.max_lifetime_s)],
            stdout=self.server_log, stderr=subprocess.STDOUT)
        self.control = f"http://127.0.0.1:{control_port}"
        wait_for("the load server", lambda: self._answers(self.control + "/stats"), 20, 0.2)

    def start_closewatch(self, port, files, quiet_period):
        self.api = f"http://127.0.0.1:{port}"
        self.closewatch_log_path = os.path.join(self.work, "closewatch.log")
        command = [self.args.java, *self.args.jvm_args.split(), "-jar", self.args.jar,
                   "--server.address=127.0.0.1", f"--server.port={port}",
                   "--closewatch.history.store=sqlite",
                   f"--closewatch.history.sqlite.path={os.path.join(self.work, 'data', 'closewatch.db')}",
                   f"--closewatch.upstream-files={files}",
                   f"--closewatch.upstream-files-quiet-period={int(quiet_period * 1000)}ms",
                   f"--closewatch.api.admin-token={TOKEN}",
                   f"--closewatch.startup-spread={self.args.startup_spread}"]
        log("closewatch: " + " ".join(command))
        self.closewatch_log = open(self.closewatch_log_path, "w")
        self.closewatch = subprocess.Popen(command, cwd=self.work, stdout=self.closewatch_log,
                                           stderr=subprocess.STDOUT)
        log(f"closewatch pid {self.closewatch.pid}")

        def ready():
            check(self.closewatch.poll() is None, "closewatch exited; see " + self.closewatch_log_path)
            return self._answers(self.api + "/readyz")

        wait_for("closewatch /readyz", ready, 90, 0.5)

    @staticmethod
    def _answers(url):
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def log_text(self):
        with open(self.closewatch_log_path, errors="replace") as f:
            return f.read()

    def stop(self):
        if self.closewatch is not None and self.closewatch.poll() is None:
            self.closewatch.send_signal(signal.SIGTERM)
            try:
                self.closewatch.wait(30)
            except subprocess.TimeoutExpired:
                self.closewatch.kill()
                self.closewatch.wait(10)
        if self.server is not None and self.server.poll() is None:
            self.server.terminate()
            try:
                self.server.wait(10)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait(10)


class LiveConfig:
    def __init__(self, args):
        self.args = args
        self.work = tempfile.mkdtemp(prefix="closewatch-live-config-")
        self.processes = Processes(args, self.work)
        self.addresses = [f"127.0.0.{2 + i}" for i in range(args.addresses)]
        self.port = free_port()
        self.fleet = Fleet(self.addresses, self.port)
        self.configmap = ConfigMapDirectory(os.path.join(self.work, "upstreams"))
        self.source = "file:" + self.configmap.file
        self.names_made = 0

    def new_name(self, prefix="u"):
        self.names_made += 1
        return f"{prefix}{self.names_made:05d}"

    def start(self, count, labelled_every=0):
        self.processes.start_server(self.addresses, self.port, free_port(), count + 1000)
        for i in range(count):
            name = self.new_name()
            definition = {"url": self.fleet.url(name, i)}
            if labelled_every:
                definition["labels"] = {"team": "payments" if i % labelled_every == 0 else "search"}
            self.fleet.definitions[name] = definition
        self.configmap.write(self.fleet.yaml())
        started = time.time()
        self.processes.start_closewatch(free_port(), os.path.join(self.configmap.directory, "*.yaml"),
                                        self.args.quiet_period)
        result = get_json(f"{self.processes.control}/until?opened={count}&closed=0&timeoutMs=120000", 130)
        check(not result["timedOut"], f"only {result['opened']} of {count} upstreams opened within 120 s")
        log(f"{count} upstreams open, {result['openedReachedAt'] / 1000 - started:.1f} s after launch")

    def paths(self):
        return get_json(self.processes.control + "/paths")

    def change(self, add, remove, change, relabel=0):
        """One file change; returns what it did and how long it took."""
        names = sorted(self.fleet.definitions)
        removed = names[:remove]
        changed = names[remove:remove + change]
        relabelled = names[remove + change:remove + change + relabel]
        definitions = {name: dict(definition) for name, definition in self.fleet.definitions.items()}
        for name in removed:
            del definitions[name]
        version = self.configmap.generation + 1
        for name in changed:
            definitions[name]["url"] = definitions[name]["url"].split("?")[0] + f"?v={version}"
        for name in relabelled:
            definitions[name]["labels"] = {"team": "relabelled"}
        added = []
        for i in range(add):
            name = self.new_name()
            definitions[name] = {"url": self.fleet.url(name, i), "labels": {"team": "search"}}
            added.append(name)
        content = self.fleet.yaml(definitions)
        before = get_json(self.processes.control + "/paths")
        pid = self.processes.closewatch.pid
        cpu_before = cpu_seconds(pid)
        written = self.configmap.write(content)
        log(f"..data swapped at {time.strftime('%H:%M:%S', time.localtime(written))}.{int(written * 1000) % 1000:03d}")
        result = get_json(f"{self.processes.control}/until?opened={before['totalOpened'] + add + change}"
                          f"&closed={before['totalClosed'] + remove + change}&timeoutMs=60000", 70)
        cpu_applied = cpu_seconds(pid)
        check(not result["timedOut"], f"change not applied within 60 s: {result}")
        applied = max(result["openedReachedAt"], result["closedReachedAt"]) / 1000
        time.sleep(self.args.settle)
        cpu_settled = cpu_seconds(pid)
        self.fleet.definitions = definitions
        return {"added": added, "removed": removed, "changed": changed, "relabelled": relabelled,
                "before": before, "after": get_json(self.processes.control + "/paths"),
                "secondsToApplied": round(applied - written, 3),
                "cpuSecondsToApplied": round(cpu_applied - cpu_before, 2),
                "cpuSecondsToSettled": round(cpu_settled - cpu_before, 2),
                "settleSeconds": self.args.settle}

    def scrape(self):
        status, body, _ = http("GET", self.processes.api + "/actuator/prometheus")
        check(status == 200, f"scrape: {status}")
        return body

    def reload_metric(self, scrape=None):
        text = scrape if scrape is not None else self.scrape()
        match = re.search(r'^closewatch_config_last_reload_successful\{[^}]*source="'
                          + re.escape(self.source) + r'"[^}]*\} ([0-9.eE+-]+)$', text, re.M)
        check(match is not None, f"no closewatch_config_last_reload_successful for {self.source}")
        return float(match.group(1))

    def stop(self):
        self.processes.stop()
        if self.args.keep:
            log(f"kept {self.work}")
        else:
            shutil.rmtree(self.work, ignore_errors=True)


def run_check(live, args):
    live.start(args.upstreams, labelled_every=10)
    quiet = args.quiet_period

    # 1. add 50, remove 50, change 50, relabel 20: the other 1,850 untouched
    result = live.change(args.add, args.remove, args.change, relabel=20)
    before, after = result["before"]["paths"], result["after"]["paths"]

    def delta(name, key):
        path = f"/ws/{name}"
        return after.get(path, {}).get(key, 0) - before.get(path, {}).get(key, 0)

    handled = set(result["added"]) | set(result["removed"]) | set(result["changed"])
    others = [name for name in live.fleet.definitions if name not in handled]
    touched = [name for name in others if delta(name, "opened") or delta(name, "closed")]
    check(not touched, f"{len(touched)} of the other {len(others)} upstreams were touched: {touched[:10]}")
    for name in result["removed"]:
        check(delta(name, "closed") == 1 and delta(name, "opened") == 0, f"removed {name}: {after.get('/ws/' + name)}")
        check(after[f"/ws/{name}"]["lastClose"] == "1000 removed", f"removed {name}: {after['/ws/' + name]}")
    for name in result["changed"]:
        check(delta(name, "closed") == 1 and delta(name, "opened") == 1, f"changed {name}: {after.get('/ws/' + name)}")
        check(after[f"/ws/{name}"]["lastClose"] == "1000 reconfigured", f"changed {name}: {after['/ws/' + name]}")
    for name in result["added"]:
        check(delta(name, "opened") == 1 and delta(name, "closed") == 0, f"added {name}: {after.get('/ws/' + name)}")
    total_opened = result["after"]["totalOpened"] - result["before"]["totalOpened"]
    total_closed = result["after"]["totalClosed"] - result["before"]["totalClosed"]
    check(total_opened == args.add + args.change and total_closed == args.remove + args.change,
          f"server saw {total_opened} opens and {total_closed} closes in all")
    check(result["secondsToApplied"] <= quiet + 1,
          f"applied {result['secondsToApplied']} s after the write, more than the quiet period {quiet} s + 1 s")
    # its history is kept, and still found by name
    removed_events = get_json(
        f"{live.processes.api}/api/v1/close-events?upstream={result['removed'][0]}&limit=5")["items"]
    check(removed_events and removed_events[0]["reason"] == "removed" and removed_events[0]["code"] == 1000
          and removed_events[0]["initiator"] == "CLIENT", f"close event of a removed upstream: {removed_events}")
    log(f"file change: {args.add} added, {args.remove} removed, {args.change} changed, 20 relabelled; "
        f"0 opens and 0 closes on the other {len(others)}; applied {result['secondsToApplied']} s after the "
        f"..data swap (quiet period {quiet} s)")

    # 2. labels: the filter and closewatch_upstream_info, relabelled ones included
    payments = sorted(n for n, d in live.fleet.definitions.items() if d.get("labels", {}).get("team") == "payments")
    listed = get_json(f"{live.processes.api}/api/v1/upstreams?label=team=payments")
    listed = listed if isinstance(listed, list) else listed.get("items", [])
    check(sorted(u["name"] for u in listed) == payments,
          f"?label=team=payments listed {len(listed)}, expected {len(payments)}")
    scrape = live.scrape()
    info = re.findall(r'^closewatch_upstream_info\{([^}]*)\} 1(?:\.0)?$', scrape, re.M)
    check(len(info) == len(live.fleet.definitions),
          f"{len(info)} closewatch_upstream_info series for {len(live.fleet.definitions)} upstreams")
    relabelled = result["relabelled"][0]
    check(any(f'upstream="{relabelled}"' in series and 'team="relabelled"' in series for series in info),
          f"closewatch_upstream_info of relabelled {relabelled} lacks team=relabelled")
    check(any(f'upstream="{payments[0]}"' in series and 'team="payments"' in series for series in info),
          f"closewatch_upstream_info of {payments[0]} lacks team=payments")
    check(live.reload_metric(scrape) == 1, "reload metric is not 1 after a good change")
    log(f"labels: ?label=team=payments lists {len(payments)}; {len(info)} closewatch_upstream_info series, "
        f"one per upstream, relabelled ones with their new labels")

    # 3. invalid files: nothing opens or closes, the metric goes to 0, the error names file and property
    good = live.fleet.yaml()
    cases = [
        ("bad YAML", good + "broken:\n  url: [unclosed\n", "not valid YAML or JSON"),
        ("bad URL", good + "bad-url:\n  url: http://127.0.0.1:1/x\n",
         "closewatch.upstreams.bad-url.url must use ws:// or wss://"),
        ("unknown key", good + "typo:\n  url: ws://127.0.0.1:1/x\n  on-opem: hi\n", "closewatch.upstreams.typo.on-opem"),
    ]
    for case, content, expected in cases:
        totals = live.paths()
        failures = live.processes.log_text().count("Not applied")
        live.configmap.write(content)
        wait_for(f"the {case} file to be refused", lambda: live.processes.log_text().count("Not applied") > failures,
                 quiet + 5)
        line = [l for l in live.processes.log_text().splitlines() if "Not applied" in l][-1]
        check(live.configmap.file in line and expected in line, f"{case}: the log line names not file and property: {line}")
        check(live.reload_metric() == 0, f"{case}: reload metric is not 0")
        status, body, _ = http("POST", live.processes.api + "/api/v1/reload", headers={"Authorization": f"Bearer {TOKEN}"})
        check(status == 422 and live.configmap.file in body and expected in body,
              f"{case}: POST /api/v1/reload answered {status} {body[:400]}")
        time.sleep(1)
        now = live.paths()
        check(now["totalOpened"] == totals["totalOpened"] and now["totalClosed"] == totals["totalClosed"],
              f"{case}: the server saw {now['totalOpened'] - totals['totalOpened']} opens and "
              f"{now['totalClosed'] - totals['totalClosed']} closes")
        log(f"invalid file ({case}): 0 opens, 0 closes, reload metric 0, error: {line.split('keep running: ')[-1][:160]}")
    totals = live.paths()
    fixed = live.new_name("fixed-")
    live.fleet.definitions[fixed] = {"url": live.fleet.url(fixed, 0)}
    written = live.configmap.write(live.fleet.yaml())
    wait_for("the fixed file to apply", lambda: live.paths()["paths"].get(f"/ws/{fixed}", {}).get("opened") == 1,
             quiet + 5)
    recovered = time.time() - written
    now = live.paths()
    check(now["totalOpened"] - totals["totalOpened"] == 1 and now["totalClosed"] == totals["totalClosed"],
          f"fixing the file opened {now['totalOpened'] - totals['totalOpened']} and closed "
          f"{now['totalClosed'] - totals['totalClosed']}")
    check(live.reload_metric() == 1, "reload metric is not 1 after the fix")
    log(f"fixed file: applied in {recovered:.1f} s (1 upstream added, nothing else touched), reload metric 1")

    # 4. the REST API, with and without the admin token
    api = live.processes.api + "/api/v1/upstreams/"
    name = "api-one"
    body = json.dumps({"url": live.fleet.url(name, 1), "headers": {"Authorization": "Bearer api-s3cret"},
                       "labels": {"team": "api"}, "reconnect": {"maxDelay": "10s"}})
    json_type = {"Content-Type": "application/json"}
    status, _, _ = http("PUT", api + name, body, json_type)
    check(status == 401, f"PUT without a token: {status}")
    status, _, _ = http("PUT", api + name, body, {**json_type, "Authorization": "Bearer wrong"})
    check(status == 403, f"PUT with a wrong token: {status}")
    check(f"/ws/{name}" not in live.paths()["paths"], "a refused PUT connected")
    auth = {**json_type, "Authorization": f"Bearer {TOKEN}"}
    status, answer, headers = http("PUT", api + name, body, auth)
    check(status == 201 and "api-s3cret" not in answer and "headers" not in answer, f"PUT: {status} {answer[:300]}")
    wait_for("the PUT upstream to connect", lambda: live.paths()["paths"].get(f"/ws/{name}", {}).get("opened") == 1, 5)
    status, answer, headers = http("PUT", api + "bad-body", json.dumps({"url": "ws://127.0.0.1:1/x",
                                                                         "reconnect": {"maxDelay": "soon"}}), auth)
    check(status == 400 and '"field":"reconnect.max-delay"' in answer
          and headers.get("Content-Type") == "application/problem+json", f"PUT invalid body: {status} {answer[:300]}")
    owned = sorted(live.fleet.definitions)[0]
    status, answer, _ = http("PUT", api + owned, json.dumps({"url": "ws://127.0.0.1:1/x"}), auth)
    check(status == 409 and live.configmap.file in answer, f"PUT of a file's upstream: {status} {answer[:300]}")
    status, _, _ = http("DELETE", api + name)
    check(status == 401, f"DELETE without a token: {status}")
    status, _, _ = http("DELETE", api + name, headers={"Authorization": "Bearer wrong"})
    check(status == 403, f"DELETE with a wrong token: {status}")
    status, _, _ = http("DELETE", api + name, headers={"Authorization": f"Bearer {TOKEN}"})
    check(status == 204, f"DELETE: {status}")
    wait_for("the deleted upstream to close", lambda: live.paths()["paths"][f"/ws/{name}"]["closed"] == 1, 5)
    check(live.paths()["paths"][f"/ws/{name}"]["lastClose"] == "1000 removed", "DELETE did not close with 1000 removed")
    status, _, _ = http("DELETE", api + name, headers={"Authorization": f"Bearer {TOKEN}"})
    check(status == 404, f"DELETE of an unknown upstream: {status}")
    log("API: PUT/DELETE 401 without the token, 403 with a wrong one; PUT 201 (secrets not echoed) connected; "
        "invalid body 400 naming reconnect.max-delay; a file's name 409; DELETE 204 closed with 1000 removed, then 404")
    print("live-config: 5 passed, 0 failed")


def run_bench(live, args):
    live.start(args.upstreams)
    rounds = []
    for n in range(1, args.rounds + 1):
        result = live.change(args.add, args.remove, args.change)
        total_opened = result["after"]["totalOpened"] - result["before"]["totalOpened"]
        total_closed = result["after"]["totalClosed"] - result["before"]["totalClosed"]
        check(total_opened == args.add + args.change and total_closed == args.remove + args.change,
              f"round {n}: the server saw {total_opened} opens and {total_closed} closes")
        summary = {k: result[k] for k in ("secondsToApplied", "cpuSecondsToApplied", "cpuSecondsToSettled")}
        summary["afterQuietPeriod"] = round(result["secondsToApplied"] - args.quiet_period, 3)
        # closewatch's own split of the work: reading the file, then applying the diff
        applied_lines = re.findall(r"Applied file:.*\((\d+) ms to read, (\d+) ms to apply\)",
                                   live.processes.log_text())
        if applied_lines:
            summary["readMs"], summary["applyMs"] = (int(x) for x in applied_lines[-1])
        rounds.append(summary)
        log(f"round {n}: {args.add} added, {args.remove} removed, {args.change} changed of {args.upstreams}: "
            f"applied {summary['secondsToApplied']} s after the write ({summary['afterQuietPeriod']} s after the quiet "
            f"period), closewatch CPU {summary['cpuSecondsToApplied']} s to applied, "
            f"{summary['cpuSecondsToSettled']} s to applied + {args.settle} s; closewatch's split: "
            f"{summary.get('readMs')} ms to read, {summary.get('applyMs')} ms to apply; the server saw exactly "
            f"{args.add + args.change} opens and {args.remove + args.change} closes")
        time.sleep(2)
    applied = [r["afterQuietPeriod"] for r in rounds]
    cpu = [r["cpuSecondsToSettled"] for r in rounds]
    report = {"upstreams": args.upstreams, "added": args.add, "removed": args.remove, "changed": args.change,
              "quietPeriodSeconds": args.quiet_period, "rounds": rounds,
              "medianSecondsAfterQuietPeriod": statistics.median(applied),
              "medianCpuSecondsToSettled": statistics.median(cpu), "java": args.java, "jvmArgs": args.jvm_args}
    out = os.path.join(ROOT, "bench", "results")
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, f"live-config-{time.strftime('%Y%m%d-%H%M%S')}.json")
    with open(path, "w") as f:
        json.dump(report, f, indent=2)
    log(f"results: {path}")
    print(json.dumps(report, indent=2))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=["check", "bench"])
    parser.add_argument("--jar", help="the closewatch jar (default: target/closewatch-*.jar)")
    parser.add_argument("--java", default="java")
    parser.add_argument("--jvm-args", default="-Xmx512m")
    parser.add_argument("--upstreams", type=int)
    parser.add_argument("--add", type=int)
    parser.add_argument("--remove", type=int)
    parser.add_argument("--change", type=int)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quiet-period", type=float, default=2.0, help="closewatch.upstream-files-quiet-period, s")
    parser.add_argument("--startup-spread", default="5s")
    parser.add_argument("--settle", type=float, default=2.0, help="seconds to wait after applied before counting")
    parser.add_argument("--addresses", type=int, help="loopback addresses of the load server, 127.0.0.2 on")
    parser.add_argument("--max-lifetime-s", type=int, default=900)
    parser.add_argument("--keep", action="store_true", help="keep the working directory and logs")
    args = parser.parse_args()
    defaults = {"check": (2000, 50, 50, 50, 2), "bench": (10000, 334, 333, 333, 10)}[args.mode]
    for key, value in zip(("upstreams", "add", "remove", "change", "addresses"), defaults):
        if getattr(args, key) is None:
            setattr(args, key, value)
    if args.jar is None:
        jars = [j for j in sorted(os.listdir(os.path.join(ROOT, "target"))) if j.startswith("closewatch-")
                and j.endswith(".jar") and not j.endswith("-plain.jar")] if os.path.isdir(os.path.join(ROOT, "target")) else []
        if not jars:
            sys.exit("live-config: no target/closewatch-*.jar; run ./mvnw package first")
        args.jar = os.path.join(ROOT, "target", jars[0])
    args.jar = os.path.abspath(args.jar)  # closewatch runs in its own working directory
    live = LiveConfig(args)
    started = time.monotonic()
    try:
        (run_check if args.mode == "check" else run_bench)(live, args)
        log(f"done in {time.monotonic() - started:.0f} s")
    except Failure as failure:
        log(f"FAILED: {failure}")
        log("closewatch log (tail):\n" + "\n".join(live.processes.log_text().splitlines()[-40:])
            if live.processes.closewatch else "")
        print("live-config: 0 passed, 1 failed" if args.mode == "check" else "", flush=True)
        live.args.keep = True
        sys.exit(1)
    finally:
        live.stop()


if __name__ == "__main__":
    main()
