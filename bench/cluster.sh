#!/usr/bin/env bash
# Three replicas sharing 30,000 upstreams on this machine (issue 18's benchmark): the steps of
# .ci/cluster-check.mjs (start, steady, kill -9, rejoin, SIGTERM, a cut database connection,
# history) at scale, every figure reported rather than asserted, and the coordination cost
# (PostgreSQL commits/s, CPU per replica) in the steady window.
#   bench/cluster.sh [--no-build] [upstreams=30000] [addresses=10]
# Results: bench/results/cluster-<stamp>/cluster-check.json and the replicas' logs.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
# shellcheck source=../.ci/lib.sh
. .ci/lib.sh
build=1
if [[ "${1:-}" == --no-build ]]; then build=0; shift; fi
upstreams=${1:-30000}
addresses=${2:-10}
((build)) && ./mvnw -q -B -ntp -DskipTests package
jar=$(find_jar "")
[[ -n "$jar" ]] || die "bench/cluster.sh: no jar"
jar=$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")
[[ -f bench/node_modules/ws/package.json ]] || (cd bench && npm ci --no-fund --no-audit --loglevel=error)
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
work=bench/results/cluster-$(date -u +%Y-%m-%dT%H-%M-%S)
mkdir -p "$work"
pgdir=$(mktemp -d /tmp/closewatch-bench-pg.XXXXXX)
trap 'bash bench/pg.sh stop "$pgdir" >/dev/null 2>&1 || true; rm -rf "$pgdir" "$pgdir.initdb.log"' EXIT
pg_port=$(free_port 45000 49999)
bash bench/pg.sh start "$pgdir" "$pg_port"
node .ci/cluster-check.mjs --jar "$jar" --pg-port "$pg_port" --work "$work" --upstreams "$upstreams" \
  --addresses "$addresses" --heap 384m --report-only true
echo "bench/cluster.sh: $work/cluster-check.json"
