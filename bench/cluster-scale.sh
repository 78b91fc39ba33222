#!/usr/bin/env bash
# Issue 18's benchmark at scale (bench/cluster-scale.mjs): three replicas sharing 30,000
# upstreams of bench/load/server.js on ten loopback addresses, kill -9 of one, then seven more
# joining; coordination cost at three and at ten. Figures reported, nothing asserted.
#   bench/cluster-scale.sh [--no-build] [upstreams=30000] [replicas=3] [join=7]
# Results: bench/results/cluster-scale-<stamp>/cluster-scale.json and the replicas' logs.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
# shellcheck source=../.ci/lib.sh
. .ci/lib.sh
build=1
if [[ "${1:-}" == --no-build ]]; then build=0; shift; fi
upstreams=${1:-30000}
replicas=${2:-3}
join=${3:-7}
((build)) && ./mvnw -q -B -ntp -DskipTests package
jar=$(find_jar "")
[[ -n "$jar" ]] || die "bench/cluster-scale.sh: no jar"
jar=$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")
[[ -f bench/node_modules/ws/package.json ]] || (cd bench && npm ci --no-fund --no-audit --loglevel=error)
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
work=bench/results/cluster-scale-$(date -u +%Y-%m-%dT%H-%M-%S)
mkdir -p "$work"
pgdir=$(mktemp -d /tmp/closewatch-bench-pg.XXXXXX)
trap 'bash bench/pg.sh stop "$pgdir" >/dev/null 2>&1 || true; rm -rf "$pgdir" "$pgdir.initdb.log"' EXIT
pg_port=$(free_port 45000 49999)
bash bench/pg.sh start "$pgdir" "$pg_port"
node bench/cluster-scale.mjs --jar "$jar" --pg-port "$pg_port" --work "$work" --upstreams "$upstreams" \
  --replicas "$replicas" --join "$join"
echo "bench/cluster-scale.sh: $work/cluster-scale.json"
