#!/usr/bin/env bash
# The scrape writer's worth (issue 20): N steady upstreams scraped through closewatch's endpoint
# (per-upstream families written by metrics/PrometheusTextWriter) and through Boot's
# PrometheusScrapeEndpoint as is, in one JVM, interleaved, default series and per-upstream timers.
#   bench/scrape-writer.sh [upstreams=10000] [rounds=30]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
./mvnw -q -B -ntp test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt \
  -Dmdep.includeScope=test
exec java -Xmx1g -XX:+UseG1GC -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  dev.closewatch.metrics.ScrapeWriterBenchmark "${1:-10000}" "${2:-30}"
