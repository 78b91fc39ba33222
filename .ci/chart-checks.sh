#!/usr/bin/env bash
# Lint, render and strictly validate the Helm chart with several value sets (helm-java + the
# Kubernetes OpenAPI models, see .ci/chart-tests), then promtool-check the rendered PrometheusRule.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

cd "$ROOT"
log "chart tests (helm lint/template + strict schema validation)"
# -q keeps the log short; surefire still prints every failure in full.
./mvnw -B -q -f .ci/chart-tests/pom.xml test || die "chart tests failed (see .ci/chart-tests/target/surefire-reports)"

RENDERED=.ci/chart-tests/target/rendered
[[ -s "$RENDERED/prometheusrule-groups.yaml" ]] || die "chart tests did not write the rendered PrometheusRule groups"
promtool check rules "$RENDERED/prometheusrule-groups.yaml" || die "rendered PrometheusRule does not pass promtool"
for f in "$RENDERED"/*.yaml; do log "rendered: $f ($(grep -c "^kind:" "$f" || true) objects)"; done
log "chart checks passed"
