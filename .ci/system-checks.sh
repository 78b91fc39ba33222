#!/usr/bin/env bash
# Entry point for the shipping checks, called by .ci/run after `./mvnw verify` has built
# target/closewatch-0.1.0-SNAPSHOT.jar. Runs, in order:
#   1. install-tools.sh     apt/npm tools, idempotent (buildah, podman, promtool, dockerlinter, ...)
#      (then ShellCheck of these scripts)
#   2. alert-rules.sh       promtool check + unit tests of the chart's alert rules
#   3. chart-checks.sh      helm lint/template of every ci/*-values.yaml + strict manifest validation
#   4. container-smoke.sh   base image (cached), Dockerfile lint, image build, container smoke test
#                           against a demo upstream, then prometheus-checks.sh (real scrape, every
#                           dashboard and alert query)
# Exits non-zero on the first failure, naming the step. Run as root from any directory.
# Env: SKIP_CONTAINER=1 skips step 4 (for machines without podman); other knobs in each script.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

declare -a summary=()
step() {
  local name=$1 t0 rc
  shift
  t0=$(date +%s)
  log "=== $name ==="
  set +e
  "$@"
  rc=$?
  set -e
  summary+=("$(printf '%-16s %-6s %4ss' "$name" "$([[ $rc == 0 ]] && echo ok || echo FAILED)" $(($(date +%s) - t0)))")
  if ((rc != 0)); then
    printf '%s\n' "${summary[@]}" >&2
    die "system check '$name' failed (exit $rc)"
  fi
}

T0=$(date +%s)
step tools "$HERE/install-tools.sh"
# only the scripts this step owns; other .ci scripts belong to the service's own checks
step shellcheck shellcheck -x -P "$HERE" "$HERE"/{lib,install-tools,base-image,alert-rules,chart-checks,container-smoke,prometheus-checks,system-checks,live-config-check,cluster-check,status-page-scale}.sh
step alert-rules "$HERE/alert-rules.sh"
step chart "$HERE/chart-checks.sh"
if [[ "${SKIP_CONTAINER:-0}" != 1 ]]; then
  step container "$HERE/container-smoke.sh"
else
  log "SKIP_CONTAINER=1: container image and Prometheus checks skipped"
fi

echo
echo "system checks: ALL PASSED in $(($(date +%s) - T0))s"
printf '  %s\n' "${summary[@]}"
