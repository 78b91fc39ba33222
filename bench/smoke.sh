#!/usr/bin/env bash
# CI smoke version of the benchmark: 500 upstreams against closewatch and the Node baseline,
# short phases, sanity bounds asserted by the driver (--check); exits non-zero on failure. The close
# phase runs once more on closewatch with the memory and with the SQLite history store (--stores).
# Usage: bash bench/smoke.sh [--no-build]   (expects the jar from `./mvnw package` unless building)
set -euo pipefail
BENCH=$(cd "$(dirname "$0")" && pwd)
extra=()
[ "${1:-}" = --no-build ] && extra+=(--no-build)
exec timeout 600 bash "$BENCH/run.sh" "${extra[@]}" --upstreams 500 --close-rate 300 --close-seconds 3 \
  --warmup-seconds 2 --stream-warmup-seconds 1 --query-repeats 50 --query-warmup 50 --scrapes 2 --warmup-scrapes 1 \
  --sweep-rates 100,300 --sweep-seconds 2 --sweep-warmup-seconds 1 --stores sqlite --port-base 29500 --check
