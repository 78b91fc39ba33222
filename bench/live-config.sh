#!/usr/bin/env bash
# Live reconfiguration benchmark (docs/performance.md, "Live reconfiguration"):
#   bench/live-config.sh [--no-build] [bench/live-config.py options, e.g. --rounds 5 --java /path/to/java]
# 10,000 upstreams; each round a file change adds 334, removes 333 and changes 333; reports the
# time from the ..data swap to applied and the CPU seconds of the closewatch process.
set -euo pipefail
BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
build=1
if [ "${1:-}" = --no-build ]; then build=0; shift; fi
command -v node >/dev/null || { echo "bench: needs Node.js 18+ and npm" >&2; exit 2; }
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$build" = 1 ]; then
  (cd "$ROOT" && ./mvnw -q -B -ntp -DskipTests package)
fi
(cd "$BENCH" && npm ci --no-audit --no-fund --loglevel=error)
exec python3 "$BENCH/live-config.py" bench "$@"
