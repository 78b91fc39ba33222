#!/usr/bin/env bash
# Starts the built jar with the demo profile on 127.0.0.1, as the README says, and checks that
# close events show up in the REST history and in /actuator/prometheus within 10 seconds of
# startup; then stops it (SIGTERM), starts it again in the same working directory and checks that
# the first run's events are still listed from ./data/closewatch.db (the default SQLite store),
# with the new run's ids above them.
# Usage: .ci/demo-smoke.sh [path/to/closewatch.jar]
set -euo pipefail
JAR=${1:-}
if [ -z "$JAR" ]; then
  for candidate in target/closewatch-*.jar; do
    case "$candidate" in *-plain.jar) ;; *) JAR=$candidate; break ;; esac
  done
fi
[ -f "$JAR" ] || { echo "demo: no closewatch jar found; run ./mvnw package first" >&2; exit 1; }
JAR=$(cd "$(dirname "$JAR")" && pwd)/$(basename "$JAR")
PORT=${PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
WORK=$(mktemp -d)
LOG=$WORK/closewatch.log
PID=
stop() {
  if [ -n "$PID" ]; then
    kill "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
    PID=
  fi
}
trap 'stop; rm -rf "$WORK"' EXIT

start() {
  (cd "$WORK" && exec java -jar "$JAR" --spring.profiles.active=demo --server.address=127.0.0.1 --server.port="$PORT") >>"$LOG" 2>&1 &
  PID=$!
  for _ in $(seq 1 60); do
    curl -fsS -m 2 "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && return 0
    kill -0 "$PID" 2>/dev/null || { cat "$LOG"; echo "demo: closewatch exited" >&2; exit 1; }
    sleep 1
  done
  cat "$LOG"; echo "demo: not ready within 60 s" >&2; exit 1
}

ids() {
  curl -fsS -m 2 "http://127.0.0.1:$PORT/api/v1/close-events?limit=1000" \
    | python3 -c 'import json, sys; print(" ".join(str(e["id"]) for e in json.load(sys.stdin)["items"]))'
}

start
ready=$(date +%s)
first=
for _ in $(seq 1 20); do
  events=$(curl -fsS -m 2 "http://127.0.0.1:$PORT/api/v1/close-events?upstream=demo&limit=5" || true)
  if grep -q '"upstream":"demo"' <<<"$events"; then
    elapsed=$(( $(date +%s) - ready ))
    # read the whole scrape first: `curl | grep -q` under pipefail fails whenever grep stops
    # reading at its match before curl has written the rest (curl: (23))
    metrics=$(curl -fsS -m 2 "http://127.0.0.1:$PORT/actuator/prometheus" || true)
    grep -q 'closewatch_upstream_closes_total{.*upstream="demo"' <<<"$metrics" \
      || { echo "demo: no closewatch_upstream_closes_total for the demo upstream" >&2; exit 1; }
    echo "demo: first close event visible ${elapsed}s after ready; metrics OK"
    [ "$elapsed" -le 10 ] || { echo "demo: slower than 10 s" >&2; exit 1; }
    first=$(ids)
    break
  fi
  sleep 1
done
[ -n "$first" ] || { cat "$LOG"; echo "demo: no close event within 20 s" >&2; exit 1; }
[ -s "$WORK/data/closewatch.db" ] || { echo "demo: no ./data/closewatch.db in the working directory" >&2; exit 1; }

stop
start
second=$(ids)
python3 - "$first" "$second" <<'PY'
import sys
first = [int(i) for i in sys.argv[1].split()]
second = [int(i) for i in sys.argv[2].split()]
missing = sorted(set(first) - set(second))
if missing:
    sys.exit(f"demo: after a restart {len(missing)} of the first run's {len(first)} events are missing: {missing[:5]}")
if len(second) != len(set(second)):
    sys.exit("demo: an event is listed twice after the restart")
new = [i for i in second if i not in set(first)]
if any(i <= max(first) for i in new):
    sys.exit("demo: the second run's ids are not above the first run's")
print(f"demo: all {len(first)} events of the first run listed after a restart, with {len(new)} new ones above them")
PY
