#!/usr/bin/env bash
# The status page at 10,000 upstreams in headless Chromium (issue 20): the jar monitors N
# upstreams of the benchmark's load server (bench/load/server.js, ten loopback addresses), and
# bench/status-page.mjs loads the page three times, changes the state filter, searches, pages
# and opens an upstream's view. Prints the times (reported, not asserted: the targets are the
# benchmark's, docs/performance.md) and keeps build-artifacts/status-page-10000.png and
# status-page-10000-upstream.png. Fails if any step does not finish, if the page holds more
# than one page of cards, or if a request leaves loopback. About a minute.
#   bash .ci/status-page-scale.sh [jar] [upstreams=10000]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"
cd "$ROOT"
jar=$(find_jar "${1:-}")
n=${2:-10000}
[[ -n "$jar" && -f "$jar" ]] || die "status-page-scale: no jar (give it as \$1 or run ./mvnw package first)"
[[ -f .ci/node_modules/playwright-core/package.json ]] || (cd .ci && npm ci --no-fund --no-audit --loglevel=error)
[[ -f bench/node_modules/ws/package.json ]] || (cd bench && npm ci --no-fund --no-audit --loglevel=error)
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
(( $(ulimit -n) > n + 500 )) || die "status-page-scale: open files limit $(ulimit -n) is too low for $n upstreams"

work=$(mktemp -d)
load_pid=''
app_pid=''
cleanup() {
  local pid
  for pid in "$app_pid" "$load_pid"; do
    if [[ -n "$pid" ]] && kill "$pid" 2>/dev/null; then
      wait "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$work"
}
trap cleanup EXIT

load_port=$(free_port 30000 34999)
control_port=$(free_port 35000 39999)
app_port=$(free_port 40000 44999)
addresses=$(seq -s, -f '127.0.0.%g' 2 11)
node bench/load/server.js --addresses "$addresses" --port "$load_port" --control-port "$control_port" \
  --max-lifetime-s 600 >"$work/load.log" 2>&1 &
load_pid=$!
retry 50 0.2 curl -fs -o /dev/null "http://127.0.0.1:$control_port/stats" || die "load server did not start: $(tail -5 "$work/load.log")"

{
  printf 'server: {address: 127.0.0.1, port: %s}\n' "$app_port"
  printf 'logging.level.dev.closewatch.upstream: warn\n'
  printf 'closewatch:\n  startup-spread: 5s\n  history: {store: memory}\n  upstreams:\n'
  for ((i = 0; i < n; i++)); do
    printf '    u%05d: {url: "ws://127.0.0.%d:%s/ws/u%05d"}\n' "$((i + 1))" "$((2 + i % 10))" "$load_port" "$((i + 1))"
  done
} >"$work/upstreams.yaml"
log "status-page-scale: $jar monitoring $n upstreams on 127.0.0.2-11:$load_port"
java -Xmx512m -jar "$jar" --spring.config.additional-location="file:$work/upstreams.yaml" >"$work/app.log" 2>&1 &
app_pid=$!
curl -fsS -m 130 "http://127.0.0.1:$control_port/watch?target=$n&timeoutMs=120000" >"$work/watch.json" \
  || die "not all $n upstreams opened: $(tail -5 "$work/app.log")"
log "status-page-scale: all $n open ($(cat "$work/watch.json"))"

mkdir -p build-artifacts
figures=$(node bench/status-page.mjs "http://127.0.0.1:$app_port/" "build-artifacts/status-page-$n" 3) \
  || die "status page steps failed at $n upstreams; app log: $(tail -5 "$work/app.log")"
echo "$figures" | tee "build-artifacts/status-page-$n.json"
jq -e '.cards.max <= 24 and .domNodes.max < 5000' <<<"$figures" >/dev/null \
  || die "the page held more than one page of cards at $n upstreams: $figures"
log "status-page-scale: first render median $(jq .firstRenderMs.median <<<"$figures") ms, filter $(jq .filterMs.median <<<"$figures") ms, next page $(jq .pageMs.median <<<"$figures") ms, upstream view $(jq .upstreamViewMs.median <<<"$figures") ms"
