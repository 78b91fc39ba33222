#!/usr/bin/env bash
# Issue 18's benchmarks, on a throwaway PostgreSQL (bench/pg.sh):
#   bench/cluster.sh [--no-build] [upstreams=30000] [addresses=10]
#     three replicas through the steps of .ci/cluster-check.mjs (start, steady, kill -9, rejoin,
#     SIGTERM, a cut database connection, history) at scale, every figure reported rather than
#     asserted, with the coordination cost (PostgreSQL commits/s, CPU per replica) in the steady
#     window. Results: bench/results/cluster-<stamp>/cluster-check.json and the replicas' logs.
#   bench/cluster.sh --scale [--no-build] [upstreams=30000] [replicas=3] [join=7]
#     (bench/cluster-scale.sh) bench/cluster-scale.mjs: the upstreams on bench/load/server.js, kill -9
#     of a replica, then more joining; results in bench/results/cluster-scale-<stamp>/.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
# shellcheck source=../.ci/lib.sh
. .ci/lib.sh
scale=0
if [[ "${1:-}" == --scale ]]; then scale=1; shift; fi
build=1
if [[ "${1:-}" == --no-build ]]; then build=0; shift; fi
upstreams=${1:-30000}
((build)) && ./mvnw -q -B -ntp -DskipTests package
jar=$(find_jar "")
[[ -n "$jar" ]] || die "bench/cluster.sh: no jar"
jar=$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")
[[ -f bench/node_modules/ws/package.json ]] || (cd bench && npm ci --no-fund --no-audit --loglevel=error)
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
pgdir=$(mktemp -d /tmp/closewatch-bench-pg.XXXXXX)
trap 'bash bench/pg.sh stop "$pgdir" >/dev/null 2>&1 || true; rm -rf "$pgdir" "$pgdir.initdb.log"' EXIT
pg_port=$(free_port 45000 49999)
bash bench/pg.sh start "$pgdir" "$pg_port"
if ((scale)); then
  work=bench/results/cluster-scale-$(date -u +%Y-%m-%dT%H-%M-%S)
  node bench/cluster-scale.mjs --jar "$jar" --pg-port "$pg_port" --work "$work" --upstreams "$upstreams" \
    --replicas "${2:-3}" --join "${3:-7}"
  echo "bench/cluster.sh: $work/cluster-scale.json"
else
  work=bench/results/cluster-$(date -u +%Y-%m-%dT%H-%M-%S)
  node .ci/cluster-check.mjs --jar "$jar" --pg-port "$pg_port" --work "$work" --upstreams "$upstreams" \
    --addresses "${2:-10}" --heap 384m --report-only true
  echo "bench/cluster.sh: $work/cluster-check.json"
fi
