# Shared helpers for the .ci scripts; sourced, never executed.
# shellcheck shell=bash

# Print a timestamped progress line to stderr so CI logs show where time goes.
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# Fail loudly: every check script stops at the first broken assertion.
die() { printf '\n*** FAILED: %s\n\n' "$*" >&2; exit 1; }

# Poll a command until it succeeds, at most $1 attempts spaced $2 seconds apart.
# Usage: retry 60 1 curl -fsS http://127.0.0.1:8080/livez
retry() {
  local attempts=$1 pause=$2 i
  shift 2
  for ((i = 1; i <= attempts; i++)); do
    if "$@"; then return 0; fi
    sleep "$pause"
  done
  return 1
}

# Pick a free TCP port on 127.0.0.1 within a range, so parallel runs of other engineers' tests
# (which use random ports) and repeated runs of ours do not collide.
free_port() {
  local lo=${1:-20000} hi=${2:-29999} p i
  for ((i = 0; i < 50; i++)); do
    p=$((lo + RANDOM % (hi - lo)))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  return 1
}

# Podman/buildah invocations that work on this machine kind (hybrid cgroup v1, no
# CAP_SYS_RESOURCE) even when /etc/containers/containers.conf belongs to someone else.
PODMAN_RUN_FLAGS=(--runtime runc --ulimit nofile=4096:4096 --ulimit nproc=4096:4096)
export PODMAN_RUN_FLAGS

# The application jar: the argument when given, else the first target/closewatch-*.jar that is not
# the -plain one. Prints nothing when there is none.
# Usage: jar=$(find_jar "${1:-}")
find_jar() {
  local candidate
  if [[ -n "${1:-}" ]]; then echo "$1"; return 0; fi
  for candidate in target/closewatch-*.jar; do
    case "$candidate" in *-plain.jar) ;; *) [[ -f "$candidate" ]] && echo "$candidate" && return 0 ;; esac
  done
}
