#!/usr/bin/env bash
# Issue 18's benchmark at scale (bench/cluster-scale.mjs): three replicas sharing 30,000
# upstreams of bench/load/server.js on ten loopback addresses, kill -9 of one, then seven more
# joining; coordination cost at three and at ten. Figures reported, nothing asserted.
#   bench/cluster-scale.sh [--no-build] [upstreams=30000] [replicas=3] [join=7]
exec "$(dirname "$0")/cluster.sh" --scale "$@"
