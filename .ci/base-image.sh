#!/usr/bin/env bash
# Build the local Java 25 runtime base image without any image registry (tooling.md §1.3):
# a jlink'd runtime from the host's Temurin 25 JDK on a debootstrap'd Debian minbase rootfs.
# Cached: does nothing when the image already exists in local container storage.
# Usage: .ci/base-image.sh [image-name]    (default localhost/closewatch-jre25:bookworm)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

BASE=${1:-${BASE_IMAGE:-localhost/closewatch-jre25:bookworm}}
JDK=${TEMURIN25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
CACHE=${CI_CACHE_DIR:-/var/cache/closewatch-ci}
# Bump when the recipe changes so cached images from an older recipe are rebuilt.
RECIPE=2

if podman image exists "$BASE" \
  && [[ "$(podman image inspect -f '{{index .Config.Labels "dev.closewatch.base-recipe"}}' "$BASE" 2>/dev/null)" == "$RECIPE" ]]; then
  log "base image $BASE present (cached, recipe $RECIPE)"
  exit 0
fi
previous=$(podman image inspect -f '{{.Id}}' "$BASE" 2>/dev/null || true)   # stale recipe, replaced below
[[ -x "$JDK/bin/jlink" ]] || die "no Temurin 25 JDK at $JDK (set TEMURIN25_HOME)"

WORK=$(mktemp -d /tmp/closewatch-base.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# Modules Spring Boot 4 + Jetty + Micrometer need; jdk.crypto.cryptoki for wss: keystores,
# jdk.management + jdk.jfr for actuator/JFR, jdk.zipfs for the nested jar launcher.
# --generate-cds-archive adds the JDK's base CDS archive, which the image's AppCDS archive builds on.
log "jlink Java runtime from $JDK"
"$JDK/bin/jlink" --add-modules java.base,java.compiler,java.desktop,java.instrument,java.management,java.naming,java.net.http,java.prefs,java.rmi,java.scripting,java.security.jgss,java.sql,jdk.jfr,jdk.unsupported,jdk.management,jdk.crypto.cryptoki,jdk.zipfs,jdk.naming.dns \
  --strip-debug --no-header-files --no-man-pages --compress=zip-6 --generate-cds-archive --output "$WORK/jre"

# The minbase rootfs tarball is cached separately: debootstrap is the slow step (~50 s).
ROOTFS_TAR="$CACHE/bookworm-minbase.tar"
if [[ ! -s "$ROOTFS_TAR" ]]; then
  MIRROR=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  MIRROR=${MIRROR:-http://deb.debian.org/debian}
  log "debootstrap bookworm minbase from $MIRROR"
  mkdir -p "$CACHE"
  debootstrap --variant=minbase bookworm "$WORK/rootfs" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
    || { tail -30 "$WORK/debootstrap.log"; die "debootstrap failed"; }
  rm -rf "$WORK"/rootfs/var/cache/apt/archives/*.deb "$WORK"/rootfs/var/lib/apt/lists/*
  tar --numeric-owner -C "$WORK/rootfs" -cf "$ROOTFS_TAR.tmp" . && mv "$ROOTFS_TAR.tmp" "$ROOTFS_TAR"
  rm -rf "$WORK/rootfs"
fi

log "assemble $BASE"
mkdir -p "$WORK/rootfs"
tar --numeric-owner -C "$WORK/rootfs" -xpf "$ROOTFS_TAR"
cp -a "$WORK/jre" "$WORK/rootfs/opt/java"
tar --numeric-owner -C "$WORK/rootfs" -c . | podman import \
  --change 'ENV JAVA_HOME=/opt/java' \
  --change 'ENV PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change "LABEL dev.closewatch.base-recipe=$RECIPE" \
  - "$BASE" >/dev/null
if [[ -n "$previous" ]]; then podman rmi "$previous" >/dev/null 2>&1 || true; fi
log "base image $BASE built: $(podman image inspect -f '{{.Size}}' "$BASE" | awk '{printf "%.0f MB", $1/1e6}')"
