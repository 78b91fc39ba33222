#!/usr/bin/env bash
# One command for the whole benchmark (see bench/README.md):
#   bench/run.sh [--upstreams 1000,2000,5000,10000] [--quick] [--targets closewatch,baseline] [driver options]
# Builds the closewatch jar unless --no-build, installs the Node packages from the lockfiles,
# then runs bench/driver.js. Results: bench/results/<stamp>.{json,md} and latest.{json,md}.
set -euo pipefail
BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
build=1
args=()
while [ $# -gt 0 ]; do
  # shellcheck disable=SC2054  # --quick's commas are its values' own (lists of sizes and rates)
  case "$1" in
    --no-build) build=0 ;;
    --quick) args+=(--upstreams 500,1000 --close-seconds 5 --warmup-seconds 3 --stream-warmup-seconds 2 --query-repeats 100 --scrapes 3 --warmup-scrapes 1 --sweep-rates 300,1000 --sweep-seconds 3 --sweep-warmup-seconds 2) ;;
    *) args+=("$1") ;;
  esac
  shift
done
command -v node >/dev/null || { echo "bench: needs Node.js 18+ and npm" >&2; exit 2; }
command -v jcmd >/dev/null || { echo "bench: needs a JDK (jcmd) on PATH" >&2; exit 2; }
hard=$(ulimit -Hn)
if [ "$hard" != unlimited ] && [ "$hard" -lt 12000 ]; then
  echo "bench: the hard open-files limit is $hard; 10,000 upstreams need about 10,100" >&2
fi
ulimit -n "$hard" 2>/dev/null || true
if [ "$build" = 1 ]; then
  (cd "$ROOT" && ./mvnw -q -B -ntp -DskipTests package)
fi
(cd "$BENCH" && npm ci --no-audit --no-fund --loglevel=error)
(cd "$BENCH/baseline" && npm ci --no-audit --no-fund --loglevel=error)
# the status page step drives Debian's Chromium with .ci's playwright-core; without Chromium it is skipped
if [ -n "${CHROMIUM:-}" ] || [ -x /usr/lib/chromium/chromium ] || command -v chromium >/dev/null; then
  [ -f "$ROOT/.ci/node_modules/playwright-core/package.json" ] \
    || (cd "$ROOT/.ci" && npm ci --no-audit --no-fund --loglevel=error)
fi
exec node "$BENCH/driver.js" "${args[@]}"
