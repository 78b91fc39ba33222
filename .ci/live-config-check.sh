#!/usr/bin/env bash
# Live reconfiguration against real processes (issue 19): the built jar with 2,000 upstreams from a
# ConfigMap-style directory, connected to bench/load/server.js, which counts per path what it sees.
# A file change adds 50, removes 50 and changes 50: no other connection is opened or closed, and the
# change is applied within the quiet period + 1 s; invalid files change nothing, set the reload
# metric to 0 and name file and property, and the fix recovers; PUT/DELETE through the API with and
# without the admin token; the label filter and closewatch_upstream_info. About a minute.
# Usage: .ci/live-config-check.sh [path/to/closewatch.jar]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=${1:-}
command -v node >/dev/null 2>&1 || { echo "live-config: needs Node.js 18+ and npm" >&2; exit 2; }
if [ ! -d "$ROOT/bench/node_modules/ws" ]; then
  (cd "$ROOT/bench" && npm ci --no-audit --no-fund --loglevel=error)
fi
# one socket per upstream on each side
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec timeout 240 python3 "$ROOT/bench/live-config.py" check ${JAR:+--jar "$JAR"}
