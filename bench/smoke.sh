#!/usr/bin/env bash
# CI smoke version of the benchmark: 500 upstreams against closewatch and the Node baseline,
# short phases, sanity bounds asserted by the driver (--check); exits non-zero on failure. The close
# phase runs once more on closewatch with the memory and with the SQLite history store (--stores),
# then, in a second short run, with the two side by side (--stores-slices), restarted once.
# Usage: bash bench/smoke.sh [--no-build]   (expects the jar from `./mvnw package` unless building)
set -euo pipefail
BENCH=$(cd "$(dirname "$0")" && pwd)
extra=()
[ "${1:-}" = --no-build ] && extra+=(--no-build)
timeout 600 bash "$BENCH/run.sh" "${extra[@]}" --upstreams 500 --close-rate 300 --close-seconds 3 \
  --warmup-seconds 2 --stream-warmup-seconds 1 --query-repeats 50 --query-warmup 50 --scrapes 2 --warmup-scrapes 1 \
  --sweep-rates 100,300 --sweep-seconds 2 --sweep-warmup-seconds 1 --stores sqlite --port-base 29500 --check
exec timeout 300 bash "$BENCH/run.sh" --no-build --targets closewatch --upstreams 300 --close-rate 300 --close-seconds 2 \
  --stores sqlite --stores-only --stores-slices 3 --stores-restart-every 2 --stores-restart-warmup-seconds 1 \
  --stores-warmup-seconds 1 --port-base 29500 --check
