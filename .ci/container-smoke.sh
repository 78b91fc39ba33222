#!/usr/bin/env bash
# Build the closewatch image from ./Dockerfile without any registry, lint the Dockerfile, and
# smoke-test the container on 127.0.0.1: it must record closes of a real upstream in its REST
# history and in /actuator/prometheus. Then (unless SMOKE_PROMETHEUS=0) a real Prometheus scrapes
# it and every dashboard/alert query is checked (.ci/prometheus-checks.sh).
#
# The upstream is the same jar on the host with the `demo` profile, whose built-in WebSocket
# endpoint closes every few seconds with rotating codes. All traffic stays on loopback: the
# container uses --network host, never bridge networking or -p.
#
# Preconditions: the jar built by ./mvnw verify|package in target/ (JAR=... to override), root.
# Env: BASE_IMAGE (default localhost/closewatch-jre25:bookworm), IMAGE (localhost/closewatch:ci),
#      UPSTREAM_PATH (demo endpoint path, default /demo/upstream), SMOKE_PROMETHEUS (1),
#      EVENT_TIMEOUT (seconds to wait for the first close, 90).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

BASE_IMAGE=${BASE_IMAGE:-localhost/closewatch-jre25:bookworm}
IMAGE=${IMAGE:-localhost/closewatch:ci}
UPSTREAM_PATH=${UPSTREAM_PATH:-}   # default: what the demo monitors itself, else /demo/upstream
SMOKE_PROMETHEUS=${SMOKE_PROMETHEUS:-1}
EVENT_TIMEOUT=${EVENT_TIMEOUT:-90}
HOST_JAVA=${HOST_JAVA:-java}
NAME=closewatch-smoke-$$
cd "$ROOT"

# --- preconditions --------------------------------------------------------------------------
if [[ -z "${JAR:-}" ]]; then
  mapfile -t jars < <(find target -maxdepth 1 -name 'closewatch-*.jar' ! -name '*-sources.jar' ! -name '*-javadoc.jar' ! -name '*-plain.jar' 2>/dev/null)
  ((${#jars[@]} == 1)) || die "expected exactly one target/closewatch-*.jar (found ${#jars[@]}); run ./mvnw verify first"
  JAR=${jars[0]}
fi
[[ -s "$JAR" ]] || die "jar $JAR missing"

WORK=$(mktemp -d /tmp/closewatch-smoke.XXXXXX)
UPSTREAM_PID=""
# shellcheck disable=SC2317  # invoked via trap
cleanup() {
  local rc=$?
  if ((rc != 0)); then
    echo "--- container log (tail) ---" >&2; podman logs --tail 80 "$NAME" >&2 2>&1 || true
    echo "--- upstream log (tail) ---" >&2; tail -40 "$WORK/upstream.log" >&2 2>/dev/null || true
  fi
  podman rm -f -v "$NAME" >/dev/null 2>&1 || true   # -v: and its anonymous history volume
  if [[ -n "$UPSTREAM_PID" ]]; then kill "$UPSTREAM_PID" 2>/dev/null || true; wait "$UPSTREAM_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT

"$HERE/install-tools.sh"
"$HERE/base-image.sh" "$BASE_IMAGE"

# --- lint -----------------------------------------------------------------------------------
DOCKERLINTER=${CI_TOOLS_DIR:-/var/cache/closewatch-ci/npm}/node_modules/.bin/dockerlinter
log "dockerlinter (fails on any finding, info level and up)"
"$DOCKERLINTER" -f Dockerfile -e info || die "dockerlinter reported findings in Dockerfile"

# --- build ----------------------------------------------------------------------------------
# Build from a context holding only the Dockerfile and the one jar, so a stray jar cannot match.
mkdir -p "$WORK/ctx/target"
cp Dockerfile .dockerignore "$WORK/ctx/"
ln "$JAR" "$WORK/ctx/target/" 2>/dev/null || cp "$JAR" "$WORK/ctx/target/"
previous=$(podman image inspect -f '{{.Id}}' "$IMAGE" 2>/dev/null || true)
t0=$(date +%s)
buildah bud -q --format oci --build-arg BASE_IMAGE="$BASE_IMAGE" -t "$IMAGE" "$WORK/ctx" >/dev/null \
  || die "buildah bud failed"
BUILD_S=$(($(date +%s) - t0))
IMAGE_MB=$(podman image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%.0f", $1/1e6}')
[[ "$(podman image inspect -f '{{.Config.User}}' "$IMAGE")" == 10001:10001 ]] || die "image must run as 10001:10001"
podman run --rm --network host "${PODMAN_RUN_FLAGS[@]}" --entrypoint sh "$IMAGE" -c \
  'for t in mvn mvnw gradle javac jar; do command -v $t && exit 1; done; exit 0' >/dev/null \
  || die "build tools found in the final image"
# The SQLite history goes to the volume /var/lib/closewatch, owned by the runtime user; the training
# run's database (under /tmp/training) and any ./data must not have made it into the image.
[[ "$(podman image inspect -f '{{json .Config.Volumes}}' "$IMAGE")" == *'"/var/lib/closewatch"'* ]] \
  || die "the image must declare the VOLUME /var/lib/closewatch"
# Read the whole list first: `podman | grep -q` under pipefail fails whenever grep stops at the
# match before podman has finished writing (podman dies of SIGPIPE), as it did in stop 36's CI.
IMAGE_ENV=$(podman image inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$IMAGE") \
  || die "podman image inspect $IMAGE failed"
grep -qx 'CLOSEWATCH_HISTORY_SQLITE_PATH=/var/lib/closewatch/closewatch.db' <<<"$IMAGE_ENV" \
  || die "the image must set CLOSEWATCH_HISTORY_SQLITE_PATH=/var/lib/closewatch/closewatch.db (it sets: $(grep -o '^[A-Z_]*' <<<"$IMAGE_ENV" | tr '\n' ' '))"
podman run --rm --network host "${PODMAN_RUN_FLAGS[@]}" --entrypoint sh "$IMAGE" -c \
  'test "$(stat -c %u:%g /var/lib/closewatch)" = 10001:10001 && test -z "$(ls -A /var/lib/closewatch)" && test ! -e /tmp/training && test ! -e data' \
  || die "/var/lib/closewatch must be empty and owned by 10001, with no training database left in the image"
# The training run's startup cache (AOT cache on Java 25+, else CDS archive) is named in the
# ENTRYPOINT's @argfile and must exist.
STARTUP_CACHE=$(podman run --rm --network host "${PODMAN_RUN_FLAGS[@]}" --entrypoint sh "$IMAGE" -c \
  'o=$(cat application.jvmopts) && f=${o#*=} && test -s "$f" && echo "$o"') \
  || die "application.jvmopts missing or naming no file"
# ... and made by the full training run (upstreams, REST, scrape), not the refresh-only fallback
TRAINING=$(podman run --rm --network host "${PODMAN_RUN_FLAGS[@]}" --entrypoint cat "$IMAGE" application.training) \
  || die "application.training missing"
[[ "$TRAINING" == "Training run done"* ]] || die "the image's startup cache is not from the training run: $TRAINING"
# The previous build of the tag is now dangling; drop it so repeated runs do not pile up images.
if [[ -n "$previous" && "$previous" != "$(podman image inspect -f '{{.Id}}' "$IMAGE")" ]]; then
  podman rmi "$previous" >/dev/null 2>&1 || true
fi
log "image $IMAGE built in ${BUILD_S}s, size ${IMAGE_MB} MB, startup cache: $STARTUP_CACHE ($TRAINING)"

# --- local upstream: the same jar with the demo profile, on the host ---------------------------
P1=$(free_port 21000 21999) || die "no free port"
P2=$(free_port 22000 22999) || die "no free port"
log "upstream: demo profile on 127.0.0.1:$P1 (pid below)"
"$HOST_JAVA" -Xmx256m -jar "$JAR" --spring.profiles.active=demo --server.port="$P1" --server.address=127.0.0.1 \
  >"$WORK/upstream.log" 2>&1 &
UPSTREAM_PID=$!
log "upstream pid $UPSTREAM_PID"
retry 120 1 curl -fsS -m 2 -o /dev/null "http://127.0.0.1:$P1/readyz" 2>/dev/null || die "demo upstream did not become ready"
if [[ -z "$UPSTREAM_PATH" ]]; then
  # The demo monitors its own endpoint, so its upstream list names the path to use.
  own=$(curl -fsS -m 2 "http://127.0.0.1:$P1/api/v1/upstreams" 2>/dev/null \
    | jq -r --arg port ":$P1/" '(if type == "array" then . else (.items // [.]) end)
        | map(.url // empty | select(contains($port))) | .[0] // empty' 2>/dev/null || true)
  if [[ "$own" =~ ^wss?://[^/]+(/.*)$ ]]; then UPSTREAM_PATH=${BASH_REMATCH[1]}; else UPSTREAM_PATH=/demo/upstream; fi
fi
log "demo upstream endpoint: ws://127.0.0.1:$P1$UPSTREAM_PATH"

# --- run the image ---------------------------------------------------------------------------
mkdir -p "$WORK/config"
cat > "$WORK/config/application.yaml" <<YAML
closewatch:
  reconnect:
    delay: 200ms
    max-delay: 2s
  upstreams:
    smoke:
      url: ws://127.0.0.1:${P1}${UPSTREAM_PATH}
YAML
chmod 755 "$WORK/config"; chmod 644 "$WORK/config/application.yaml"   # readable by uid 10001

log "container $NAME on 127.0.0.1:$P2 (read-only rootfs, no capabilities, /tmp tmpfs, anonymous history volume)"
t0=$(date +%s.%N)
podman run -d --name "$NAME" --network host "${PODMAN_RUN_FLAGS[@]}" \
  --read-only --tmpfs /tmp:rw,size=64m --cap-drop ALL --security-opt no-new-privileges \
  --memory 512m \
  -v "$WORK/config:/config:ro" \
  -e SERVER_PORT="$P2" -e SERVER_ADDRESS=127.0.0.1 \
  "$IMAGE" >/dev/null || die "podman run failed"
ready=""
for _ in $(seq 1 240); do
  if curl -fsS -m 2 -o /dev/null "http://127.0.0.1:$P2/readyz" 2>/dev/null; then ready=1; break; fi
  [[ "$(podman inspect -f '{{.State.Running}}' "$NAME" 2>/dev/null)" == true ]] || die "container exited"
  sleep 0.25
done
[[ -n "$ready" ]] || die "container not ready within 60s"
START_S=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
log "container start to first 200 on /readyz: ${START_S}s"
livez=$(curl -fsS -m 2 "http://127.0.0.1:$P2/livez" || true)   # no `curl | grep -q`: see demo-smoke.sh
grep -q '"UP"' <<<"$livez" || die "/livez not UP"
# --memory 512m is below the JVM's server-class threshold (1792 MiB), where it would pick Serial:
# G1 only through the image's -XX:+AlwaysActAsServerClassMachine
scrape=$(curl -fsS -m 5 "http://127.0.0.1:$P2/actuator/prometheus" || true)
grep -q 'id="G1 Eden Space"' <<<"$scrape" \
  || die "the container does not run G1 under --memory 512m: $(grep -o 'id="[^"]*Eden[^"]*"' <<<"$scrape" | head -n 1)"
# a cache the JVM cannot use is only a warning at start: fail on it here
if podman logs "$NAME" 2>&1 | grep -E '\[(warning|error)\]\[(aot|cds)' >&2; then die "the JVM did not take the startup cache"; fi

# --- assertions -------------------------------------------------------------------------------
log "waiting for a close of upstream 'smoke' in the REST history and the metrics (max ${EVENT_TIMEOUT}s)"
events="" metrics=""
for _ in $(seq 1 "$EVENT_TIMEOUT"); do
  events=$(curl -fsS -m 2 "http://127.0.0.1:$P2/api/v1/close-events?upstream=smoke" 2>/dev/null || true)
  metrics=$(curl -fsS -m 2 "http://127.0.0.1:$P2/actuator/prometheus" 2>/dev/null | grep '^closewatch_upstream_closes_total{' || true)
  if [[ -n "$events" ]] && jq -e '(.items | type == "array") and (.items | length > 0) and (has("next"))' <<<"$events" >/dev/null 2>&1 \
    && grep -q 'upstream="smoke"' <<<"$metrics"; then
    break
  fi
  sleep 1
done
[[ -n "$events" ]] || die "GET /api/v1/close-events?upstream=smoke gave no answer"
jq -e '.items | length > 0' <<<"$events" >/dev/null 2>&1 || die "no close event in /api/v1/close-events: ${events:0:400}"
jq -e 'has("next")' <<<"$events" >/dev/null || die "close-events answer lacks \"next\": ${events:0:400}"
jq -e '.items[0] | (.upstream == "smoke") and (.code | type == "number") and (.wasClean | type == "boolean")' \
  <<<"$events" >/dev/null || die "unexpected close event shape: $(jq -c '.items[0]' <<<"$events")"
grep -Eq '^closewatch_upstream_closes_total\{.*upstream="smoke".*\} [0-9.eE+]+$' <<<"$metrics" \
  || die "no closewatch_upstream_closes_total{upstream=\"smoke\"} in /actuator/prometheus"
if ! grep -q 'code="' <<<"$metrics" || ! grep -q 'clean="' <<<"$metrics"; then
  die "closes_total lacks code/clean labels: $metrics"
fi
upstreams=$(curl -fsS -m 2 "http://127.0.0.1:$P2/api/v1/upstreams" 2>/dev/null || true)
if [[ -z "$upstreams" ]] || ! jq -e '(if type == "array" then . else (.items // [.]) end) | any(.name == "smoke")' \
  <<<"$upstreams" >/dev/null 2>&1; then
  die "upstream 'smoke' missing from /api/v1/upstreams: ${upstreams:0:400}"
fi
podman exec "$NAME" test -s /var/lib/closewatch/closewatch.db \
  || die "no SQLite history at /var/lib/closewatch/closewatch.db (the image's volume)"
log "REST history: $(jq -c '[.items[] | {code, wasClean}] | .[0:5]' <<<"$events")"
log "metrics: $(tr '\n' ' ' <<<"$metrics")"
# No upstream credentials or internal errors leak: a bad request is a 400 problem, not a 500.
code=$(curl -s -m 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$P2/api/v1/close-events?limit=0")
[[ "$code" == 400 ]] || log "WARNING: /api/v1/close-events?limit=0 answered $code, expected 400"

if [[ "$SMOKE_PROMETHEUS" == 1 ]]; then
  "$HERE/prometheus-checks.sh" "127.0.0.1:$P2" || die "prometheus checks failed"
fi

echo
echo "container smoke: PASSED  image=$IMAGE size=${IMAGE_MB}MB build=${BUILD_S}s start-to-first-200=${START_S}s"
