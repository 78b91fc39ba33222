#!/usr/bin/env bash
# Several replicas sharing the upstreams (issue 18): a real PostgreSQL (Debian's, bench/pg.sh),
# three closewatch processes of the jar and an upstream server with 300 upstreams on 127.0.0.1;
# .ci/cluster-check.mjs kills, stops and cuts replicas and judges from the upstream server's own
# connection counts. Keeps build-artifacts/cluster-check.json and the replicas' logs. About 2 minutes.
#   bash .ci/cluster-check.sh [jar] [upstreams=300]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"
cd "$ROOT"
jar=$(find_jar "${1:-}")
[[ -n "$jar" && -f "$jar" ]] || die "cluster-check: no jar (give it as \$1 or run ./mvnw package first)"
jar=$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")
[[ -f bench/node_modules/ws/package.json ]] || (cd bench && npm ci --no-fund --no-audit --loglevel=error)

pgdir=$(mktemp -d /tmp/closewatch-cluster-pg.XXXXXX)
work=build-artifacts/cluster-check
rm -rf "$work" && mkdir -p "$work"
pg_port=$(free_port 45000 49999)
cleanup() {
  bash bench/pg.sh stop "$pgdir" >/dev/null 2>&1 || true
  rm -rf "$pgdir" "$pgdir.initdb.log"
}
trap cleanup EXIT
bash bench/pg.sh start "$pgdir" "$pg_port"
log "cluster-check: PostgreSQL on 127.0.0.1:$pg_port; three replicas of $(basename "$jar")"
node .ci/cluster-check.mjs --jar "$jar" --pg-port "$pg_port" --work "$work" --upstreams "${2:-300}" \
  || { tail -n 30 "$work"/r*.log >&2 || true; die "cluster check failed (build-artifacts/cluster-check/)"; }
log "cluster-check: passed"
