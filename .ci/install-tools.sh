#!/usr/bin/env bash
# Install everything the system checks need on a fresh Debian 12 host, idempotently: each tool is
# installed only when missing, so a warm CI machine spends about a second here.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"
export DEBIAN_FRONTEND=noninteractive

need=()
for pair in buildah:buildah podman:podman runc:runc debootstrap:debootstrap skopeo:skopeo \
  promtool:prometheus prometheus:prometheus shellcheck:shellcheck jq:jq curl:curl; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || need+=("${pair#*:}")
done
if ((${#need[@]})); then
  log "apt-get install ${need[*]}"
  apt-get update -qq
  # shellcheck disable=SC2046
  apt-get install -y -qq --no-install-recommends $(printf '%s\n' "${need[@]}" | sort -u) >/dev/null
fi

# Host quirks (tooling.md §1.2): crun refuses hybrid cgroup v1 and root lacks CAP_SYS_RESOURCE,
# so podman's default rlimits are refused. runc plus lower ulimits fix both. Only write the file
# when nobody else has one; lib.sh passes the same settings as flags in any case.
if [[ ! -e /etc/containers/containers.conf ]]; then
  mkdir -p /etc/containers
  cat > /etc/containers/containers.conf <<'CONF'
[containers]
default_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]
[engine]
runtime = "runc"
CONF
fi

# Dockerfile linter: npm only (no hadolint on Debian or npm). --ignore-scripts because its
# postinstall downloads ShellCheck from GitHub, which is unreachable; Debian's shellcheck is used.
TOOLS=${CI_TOOLS_DIR:-/var/cache/closewatch-ci/npm}
if [[ ! -x "$TOOLS/node_modules/.bin/dockerlinter" ]]; then
  command -v npm >/dev/null 2>&1 || die "npm is required (Node 20 is expected on the CI machine)"
  log "npm install dockerlinter into $TOOLS"
  mkdir -p "$TOOLS"
  npm install --prefix "$TOOLS" --no-fund --no-audit --ignore-scripts --loglevel=error dockerlinter@2.0.0 >/dev/null 2>&1 \
    || npm install --prefix "$TOOLS" --no-fund --no-audit --ignore-scripts dockerlinter@2.0.0
fi
log "tools ready"
