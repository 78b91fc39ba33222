#!/usr/bin/env bash
# Starts the built jar with the demo profile on 127.0.0.1 and checks that close events show
# up in the REST history and in /actuator/prometheus within 10 seconds of startup.
# Usage: .ci/demo-smoke.sh [path/to/closewatch.jar]
set -euo pipefail
JAR=${1:-}
if [ -z "$JAR" ]; then
  for candidate in target/closewatch-*.jar; do
    case "$candidate" in *-plain.jar) ;; *) JAR=$candidate; break ;; esac
  done
fi
[ -f "$JAR" ] || { echo "demo: no closewatch jar found; run ./mvnw package first" >&2; exit 1; }
PORT=${PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
LOG=$(mktemp)
java -jar "$JAR" --spring.profiles.active=demo --server.address=127.0.0.1 --server.port="$PORT" >"$LOG" 2>&1 &
PID=$!
trap 'kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -f "$LOG"' EXIT

for _ in $(seq 1 60); do
  curl -fsS -m 2 "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
  kill -0 "$PID" 2>/dev/null || { cat "$LOG"; echo "demo: closewatch exited" >&2; exit 1; }
  sleep 1
done
ready=$(date +%s)
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
    exit 0
  fi
  sleep 1
done
cat "$LOG"; echo "demo: no close event within 20 s" >&2; exit 1
