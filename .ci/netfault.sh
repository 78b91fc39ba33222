#!/usr/bin/env bash
# Network faults between closewatch and its upstream server, in two network namespaces this script
# creates (root): the built jar runs in one, the server in the other, joined by two veth pairs.
# dev.closewatch.netfault.NetFaultRun applies 300 ms latency, 5 % loss, a 2 Mbit/s cap with 1 MiB
# messages and a blackhole (drop, no RST), and fails unless each ends in the close it should
# (ping-timeout, close-timeout, connect-timeout) within its bound and every upstream reopens by
# itself. Skips, saying why, where namespaces cannot be made. Everything it made is removed on exit.
# Usage: .ci/netfault.sh [--jar path/to/closewatch.jar] [--report file.md]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=.ci/lib.sh
source .ci/lib.sh

JAR=
REPORT=target/netfault-report.md
while [ $# -gt 0 ]; do
  case "$1" in
    --jar) JAR=$2; shift 2 ;;
    --report) REPORT=$2; shift 2 ;;
    *) echo "usage: $0 [--jar closewatch.jar] [--report file.md]" >&2; exit 2 ;;
  esac
done
if [ -z "$JAR" ]; then
  for candidate in target/closewatch-*.jar; do
    case "$candidate" in *-plain.jar) ;; *) JAR=$candidate; break ;; esac
  done
fi
[ -f "$JAR" ] || die "netfault: no closewatch jar found; run ./mvnw package first"
JAR=$(cd "$(dirname "$JAR")" && pwd)/$(basename "$JAR")

if [ "$(id -u)" != 0 ]; then
  echo "netfault: SKIPPED: needs root to create network namespaces (CI runs as root)"
  exit 0
fi
for tool in ip tc iptables; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends iproute2 iptables >/dev/null
    break
  fi
done
if [ ! -f target/test-classes/dev/closewatch/netfault/NetFaultRun.class ]; then
  ./mvnw -q -B -ntp test-compile
fi

ID=$$
CLIENT=cwnf-c$ID
SERVER=cwnf-s$ID
cleanup() {
  for ns in "$CLIENT" "$SERVER"; do
    # only what this run started lives in its namespaces
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
  done
  sleep 1
  for ns in "$CLIENT" "$SERVER"; do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
  done
}
trap cleanup EXIT

if ! ip netns add "$CLIENT" 2>/tmp/netfault-ns.err; then
  echo "netfault: SKIPPED: cannot create a network namespace here: $(cat /tmp/netfault-ns.err)"
  exit 0
fi
ip netns add "$SERVER"
for ns in "$CLIENT" "$SERVER"; do ip -n "$ns" link set lo up; done
# pair 1 carries the feeds, pair 2 the 1 MiB messages (the bandwidth cap is put on it alone)
for pair in 1 2; do
  ip link add "cwc$ID$pair" netns "$CLIENT" type veth peer name "cws$ID$pair" netns "$SERVER"
  ip -n "$CLIENT" addr add "10.77.$pair.1/30" dev "cwc$ID$pair"
  ip -n "$SERVER" addr add "10.77.$pair.2/30" dev "cws$ID$pair"
  ip -n "$CLIENT" link set "cwc$ID$pair" up
  ip -n "$SERVER" link set "cws$ID$pair" up
done
if ip netns exec "$SERVER" tc qdisc add dev "cws${ID}1" root netem delay 1ms 2>/dev/null; then
  ip netns exec "$SERVER" tc qdisc del dev "cws${ID}1" root
  log "netfault: this kernel has sch_netem; the run uses iptables, tbf and a delay relay all the same"
else
  log "netfault: no sch_netem in this kernel; loss and blackhole by iptables, the cap by tbf, latency by a relay"
fi

log "netfault: namespaces $CLIENT and $SERVER"
timeout 600 ip netns exec "$CLIENT" java -cp target/test-classes dev.closewatch.netfault.NetFaultRun \
  --jar "$JAR" --server-ns "$SERVER" --feed-ip 10.77.1.2 --big-ip 10.77.2.2 --big-if "cws${ID}2" \
  --report "$REPORT"
