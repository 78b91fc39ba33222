#!/usr/bin/env bash
# The durable history's store benchmark (bench/README.md, "History stores"): for SQLite and
# PostgreSQL, the writer's sustained throughput, the list's and an availability query at a million
# stored events, the database size per million, and the writer's commit latency while retention
# prunes a million events. Runs src/test/java/dev/closewatch/history/HistoryStoreBenchmark
# (a program, never run by ./mvnw verify) against a new SQLite file in a temporary directory and
# a throwaway PostgreSQL server (bench/pg.sh) that it stops afterwards. About 6 to 10 minutes.
#   bench/history.sh [--no-build] [--stores sqlite,postgresql] [--pg-port 29950]
#                    [--pg-url jdbc:postgresql://HOST:PORT/  (an existing server, user postgres)]
#                    [benchmark options: --events 1000000 --upstreams 5000 --flapping 20 --days 30
#                     --write-seconds 15 --write-events 500000 --queries 500 --rate 1000
#                     --steady-seconds 20 --retention-batch 200 --prune-timeout-seconds 240
#                     --checkpointer true|false  (SQLite: SqliteCheckpointer beside the writer)
#                     --sqlite-page-size 2048  (SQLite: the new file's pages; closewatch's is 2048)
#                     --synchronous-commit off|on  (PostgreSQL: the writer's synchronous_commit)]
# Prints the figures and a summary table; a copy goes to bench/results/history-<stamp>.txt.
set -euo pipefail
BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
JAVA=${JAVA:-java}
build=1
stores=sqlite,postgresql
pg_port=29950
pg_url=
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0 ;;
    --stores) stores=$2; shift ;;
    --pg-port) pg_port=$2; shift ;;
    --pg-url) pg_url=$2; shift ;;
    *) args+=("$1") ;;
  esac
  shift
done
cd "$ROOT"
if [ "$build" = 1 ]; then
  ./mvnw -q -B -ntp test-compile
fi
cp_file=target/history-bench.classpath
if [ ! -s "$cp_file" ] || [ pom.xml -nt "$cp_file" ]; then
  ./mvnw -q -B -ntp dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
fi
work=$(mktemp -d /tmp/closewatch-history-bench.XXXXXX)
chmod 755 "$work" # the PostgreSQL server runs as user postgres when this runs as root
pg_started=
cleanup() {
  if [ -n "$pg_started" ]; then "$BENCH/pg.sh" stop "$work/pg" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
if [[ ",$stores," == *,postgresql,* ]] && [ -z "$pg_url" ]; then
  "$BENCH/pg.sh" start "$work/pg" "$pg_port"
  pg_started=1
  pg_url="jdbc:postgresql://127.0.0.1:$pg_port/"
fi
mkdir -p "$BENCH/results"
out="$BENCH/results/history-$(date -u +%Y-%m-%dT%H-%M-%S).txt"
# bounded: the benchmark ends by itself (each phase has its own limit); this is the backstop
timeout 1500 "$JAVA" -Xmx1g -XX:+UseG1GC -cp "target/test-classes:target/classes:$(cat "$cp_file")" \
  dev.closewatch.history.HistoryStoreBenchmark --stores "$stores" --dir "$work" \
  ${pg_url:+--pg-url "$pg_url"} "${args[@]}" 2>&1 | tee "$out"
echo "bench/history.sh: $out"
