#!/usr/bin/env bash
# Start a real Prometheus (Debian package, foreground binary, tmp storage, 127.0.0.1 only) that
# scrapes a running closewatch and loads the chart's alert rules, then check that:
#   - closewatch_upstream_closes_total arrives with the upstream, code and clean labels;
#   - every alert rule evaluates without error;
#   - every PromQL expression of the Grafana dashboard and of the alert rules parses and either
#     returns data or references only metric names present in the scrape.
# Usage: .ci/prometheus-checks.sh <host:port of closewatch>   (e.g. 127.0.0.1:22001)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

TARGET=${1:?usage: prometheus-checks.sh <host:port>}
[[ "$TARGET" == 127.* || "$TARGET" == localhost:* ]] || die "target must be on loopback, got $TARGET"
RULES="$ROOT/helm/closewatch/rules/closewatch.rules.yaml"
DASHBOARD="$ROOT/helm/closewatch/dashboards/closewatch.json"
JOB=closewatch   # the job label the rules select on (the chart renders its own job there)

WORK=$(mktemp -d /tmp/closewatch-prom.XXXXXX)
PROM_PID=""
# shellcheck disable=SC2317  # invoked via trap
cleanup() {
  local rc=$?
  ((rc == 0)) || { echo "--- prometheus log (tail) ---" >&2; tail -30 "$WORK/prometheus.log" >&2 2>/dev/null || true; }
  if [[ -n "$PROM_PID" ]]; then kill "$PROM_PID" 2>/dev/null || true; wait "$PROM_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT

PORT=$(free_port 23000 23999) || die "no free port"
API="http://127.0.0.1:$PORT/api/v1"
cat > "$WORK/prometheus.yml" <<YAML
global: {scrape_interval: 2s, evaluation_interval: 2s}
rule_files: ["$RULES"]
scrape_configs:
  - job_name: $JOB
    metrics_path: /actuator/prometheus
    static_configs: [{targets: ["$TARGET"]}]
YAML
promtool check config "$WORK/prometheus.yml" >/dev/null || die "promtool check config"

log "prometheus on 127.0.0.1:$PORT scraping $TARGET"
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/data" \
  --web.listen-address="127.0.0.1:$PORT" >"$WORK/prometheus.log" 2>&1 &
PROM_PID=$!
retry 60 0.5 curl -fsS -m 2 -o /dev/null "http://127.0.0.1:$PORT/-/ready" 2>/dev/null || die "prometheus not ready"

query() { curl -fsS -m 5 --get "$API/query" --data-urlencode "query=$1"; }

# Enough samples for rate(...[1m]) (at least 3 scrapes) and a closes series to exist.
has_closes() {
  local r
  r=$(query "closewatch_upstream_closes_total{job=\"$JOB\"}") || return 1
  jq -e '.data.result | length > 0' <<<"$r" >/dev/null || return 1
  r=$(query "count_over_time(up{job=\"$JOB\"}[1m])") || return 1
  jq -e '.data.result[0].value[1] | tonumber >= 4' <<<"$r" >/dev/null 2>&1
}
retry 60 1 has_closes || die "no closewatch_upstream_closes_total scraped from $TARGET within 60s"

r=$(query "up{job=\"$JOB\"}")
jq -e '.data.result[0].value[1] == "1"' <<<"$r" >/dev/null || die "target not up: $r"
r=$(query "closewatch_upstream_closes_total{job=\"$JOB\"}")
jq -e '.data.result | all(.metric | has("upstream") and has("code") and has("clean"))' <<<"$r" >/dev/null \
  || die "closes_total series without upstream/code/clean: $r"
jq -e '.data.result | all(.metric.clean == "true" or .metric.clean == "false")' <<<"$r" >/dev/null \
  || die "clean label is not true/false: $r"
log "scraped: $(jq -c '[.data.result[] | .metric | {upstream, code, clean}]' <<<"$r")"

# Metric names present in the scrape, for expressions that legitimately return nothing (yet).
curl -fsS -m 5 "$API/label/__name__/values" | jq -r '.data[]' >"$WORK/names"
# The cluster's series (closewatch_cluster_*) exist only on replicas sharing the upstreams, which the
# instance scraped here is not: their names are checked against the scrape of a real cluster that
# .ci/cluster-check.sh keeps (it runs earlier in .ci/run); run on its own, this check names them.
CLUSTER_NAMES="$ROOT/build-artifacts/cluster-check/metric-names.txt"

# Print the metric names an expression references: drop strings, label matchers, ranges,
# grouping clauses, function calls, keywords and numbers; what remains are metric names.
metric_names() {
  perl -0777 -ne '
    s/"(?:[^"\\]|\\.)*"//g; s/\{[^}]*\}//g; s/\[[^\]]*\]//g;
    s/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)//g;
    s/\b[a-zA-Z_:][a-zA-Z0-9_:]*\s*\(/(/g;
    my %kw = map { $_ => 1 } qw(and or unless bool offset by without on ignoring group_left group_right inf nan);
    my %seen;
    for my $t (/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b/g) { next if $kw{lc $t}; next if $seen{$t}++; print "$t\n"; }
  ' <<<"$1"
}

failures=0
check_expr() {   # <origin> <expr>
  local origin=$1 expr=$2 r n missing=() cluster_unchecked=()
  if ! r=$(curl -sS -m 10 --get "$API/query" --data-urlencode "query=$expr"); then
    echo "  FAIL  $origin: query error"; failures=$((failures + 1)); return
  fi
  if [[ "$(jq -r .status <<<"$r")" != success ]]; then
    echo "  FAIL  $origin: $(jq -r .error <<<"$r")"; echo "        $expr"; failures=$((failures + 1)); return
  fi
  n=$(jq '.data.result | if type == "array" then length else 1 end' <<<"$r")
  while read -r name; do
    [[ -z "$name" ]] && continue
    if [[ "$name" == closewatch_cluster_* ]]; then
      if [[ -f "$CLUSTER_NAMES" ]]; then
        grep -qx -- "$name" "$CLUSTER_NAMES" || missing+=("$name")
      else
        cluster_unchecked+=("$name")
      fi
      continue
    fi
    grep -qx -- "$name" "$WORK/names" || missing+=("$name")
  done < <(metric_names "$expr")
  if ((${#missing[@]})); then
    echo "  FAIL  $origin: unknown metric(s) ${missing[*]}"; echo "        $expr"; failures=$((failures + 1))
  elif ((${#cluster_unchecked[@]})); then
    echo "  ok    $origin: parses; cluster-only ${cluster_unchecked[*]} not checked (no $CLUSTER_NAMES)"
  elif ((n > 0)); then
    echo "  ok    $origin: $n series"
  else
    echo "  ok    $origin: no data yet, all metric names exist"
  fi
}

# Grafana's variables as a "select all" dashboard would send them.
# shellcheck disable=SC2016  # the $ signs are Grafana's, not the shell's
grafana_to_promql() {
  sed -e 's/\$__rate_interval/1m/g; s/\$__range/5m/g; s/\$__interval/15s/g' \
      -e 's/\${\{0,1\}job}\{0,1\}/.+/g; s/\${\{0,1\}upstream}\{0,1\}/.+/g'
}

log "checking dashboard queries against the scrape"
while IFS=$'\t' read -r origin expr; do
  check_expr "$origin" "$(grafana_to_promql <<<"$expr")"
done < <(jq -r '
    (.panels[] | .title as $t | .targets[] | ["panel \"" + $t + "\" " + .refId, (.expr | gsub("\n"; " "))])
  , (.templating.list[] | select(.type == "query")
      | ["variable " + .name, (.query.query | capture("label_values\\((?<s>.*),[^,]*\\)$").s)])
  | @tsv' "$DASHBOARD")

log "checking alert rules against the scrape"
retry 30 1 bash -c "curl -fsS -m 5 '$API/rules' | jq -e '[.data.groups[].rules[] | .health] | length > 0 and all(. != \"unknown\")' >/dev/null" \
  || die "alert rules were not evaluated"
rules=$(curl -fsS -m 5 "$API/rules")
expected_rules=$(grep -c -- '- alert:' "$ROOT/helm/closewatch/rules/closewatch.rules.yaml")
jq -e --argjson n "$expected_rules" '[.data.groups[].rules[]] | length == $n' <<<"$rules" >/dev/null \
  || die "expected $expected_rules rules loaded (helm/closewatch/rules/closewatch.rules.yaml): $rules"
bad=$(jq -r '.data.groups[].rules[] | select(.health != "ok") | "\(.name): \(.lastError)"' <<<"$rules")
[[ -z "$bad" ]] || die "rules failing to evaluate: $bad"
while IFS=$'\t' read -r origin expr; do
  check_expr "$origin" "$expr"
done < <(jq -r '.data.groups[].rules[] | ["rule " + .name + " (" + .state + ")", (.query | gsub("\n"; " "))] | @tsv' <<<"$rules")

((failures == 0)) || die "$failures PromQL expression(s) failed"
log "prometheus checks passed"
