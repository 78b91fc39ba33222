#!/usr/bin/env bash
# Checks the status page in real headless Chromium against the built jar running the
# demo profile: the page loads, shows the demo upstreams, and a new close event row
# appears live within 15 s. Saves build-artifacts/status-page.png (and -dark.png).
#
#   bash .ci/browser-check.sh [target/closewatch-<version>.jar]
#
# Installs what it needs when missing (idempotent): Debian's chromium, and npm's
# playwright-core (pinned in .ci/package-lock.json) into .ci/node_modules. Needs java,
# node >= 20 and npm. Exits non-zero on any failure.
set -euo pipefail

cd "$(dirname "$0")/.."
jar="${1:-}"
if [[ -z "$jar" ]]; then
  for candidate in target/closewatch-*.jar; do
    [[ -f "$candidate" && "$candidate" != *-plain.jar && "$candidate" != *-sources.jar ]] && { jar=$candidate; break; }
  done
fi
if [[ -z "$jar" || ! -f "$jar" ]]; then
  echo "browser-check: no jar (give it as \$1 or run ./mvnw package first)" >&2
  exit 2
fi

if [[ -z "${CHROMIUM:-}" ]] && [[ ! -x /usr/lib/chromium/chromium ]] && ! command -v chromium >/dev/null; then
  echo "browser-check: installing chromium"
  if [[ "$(id -u)" -eq 0 ]]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
if [[ ! -f .ci/node_modules/playwright-core/package.json ]]; then
  echo "browser-check: installing playwright-core"
  (cd .ci && npm ci --no-fund --no-audit --loglevel=error)
fi

port="$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
mkdir -p build-artifacts
log=build-artifacts/browser-check-app.log
base="http://127.0.0.1:${port}/"

echo "browser-check: starting $jar (demo profile) on $base"
java -jar "$jar" --spring.profiles.active=demo --server.address=127.0.0.1 --server.port="$port" >"$log" 2>&1 &
app_pid=$!
stop_app() {
  if kill -0 "$app_pid" 2>/dev/null; then
    kill "$app_pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$app_pid" 2>/dev/null || true
  fi
  wait "$app_pid" 2>/dev/null || true
}
trap stop_app EXIT

ready=""
for _ in $(seq 1 120); do
  if ! kill -0 "$app_pid" 2>/dev/null; then
    echo "browser-check: the application exited; its log:" >&2
    tail -n 50 "$log" >&2
    exit 1
  fi
  if curl -fsS "${base}readyz" >/dev/null 2>&1; then ready=yes; break; fi
  sleep 0.5
done
if [[ -z "$ready" ]]; then
  echo "browser-check: not ready after 60 s; its log:" >&2
  tail -n 50 "$log" >&2
  exit 1
fi

if ! node .ci/browser-check.mjs "$base" build-artifacts/status-page.png; then
  echo "browser-check: application log tail:" >&2
  tail -n 30 "$log" >&2
  exit 1
fi
