#!/usr/bin/env bash
# Check and unit-test the chart's alert rules with promtool: the same file the PrometheusRule renders.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"
RULES_DIR="$HERE/../helm/closewatch/rules"

command -v promtool >/dev/null || die "promtool missing (run .ci/install-tools.sh)"
cd "$RULES_DIR"
promtool check rules closewatch.rules.yaml || die "promtool check rules"
promtool test rules closewatch.rules_test.yaml || die "promtool test rules"
log "alert rules: check + unit tests passed"
