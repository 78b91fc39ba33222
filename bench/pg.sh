#!/usr/bin/env bash
# A throwaway PostgreSQL server for the history benchmarks (bench/README.md, "History stores"):
#   bench/pg.sh start DIR PORT   initdb into DIR (a new cluster), start it on 127.0.0.1:PORT
#                                (user postgres, no password, trust on loopback), wait until it answers
#   bench/pg.sh stop DIR         stop that server (pg_ctl stop -m fast on its own data directory)
# Debian's PostgreSQL binaries (/usr/lib/postgresql/<major>/bin, newest major), installed with
# apt-get when missing and this runs as root. initdb refuses root: as root the server runs as the
# `postgres` user the package creates. Settings are the server's defaults (fsync and
# synchronous_commit on, shared_buffers 128MB) except where it listens.
set -euo pipefail
cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: bench/pg.sh start DIR PORT | stop DIR" >&2; exit 2; }

bindir() {
  local b
  b=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$b" ] && command -v pg_ctl >/dev/null 2>&1; then b=$(dirname "$(readlink -f "$(command -v pg_ctl)")"); fi
  echo "$b"
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

bin=$(bindir)
case "$cmd" in
  start)
    port=${3:?bench/pg.sh start DIR PORT}
    if [ -z "$bin" ]; then
      [ "$(id -u)" = 0 ] || { echo "bench/pg.sh: no PostgreSQL; apt-get install -y postgresql" >&2; exit 2; }
      echo "bench/pg.sh: apt-get install postgresql" >&2
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
      bin=$(bindir)
    fi
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    chmod 700 "$dir"
    if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$dir"; then
      echo "bench/pg.sh: user postgres cannot reach $dir (a parent directory is closed to others): choose another" >&2
      exit 2
    fi
    if [ ! -f "$dir/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$dir" -U postgres -A trust -E UTF8 --no-locale >"$dir.initdb.log" 2>&1 \
        || { cat "$dir.initdb.log" >&2; exit 1; }
    fi
    as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir" start >/dev/null
    "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -t 30
    echo "bench/pg.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, data $dir" >&2
    ;;
  stop)
    [ -f "$dir/postmaster.pid" ] || exit 0
    as_owner "$bin/pg_ctl" -D "$dir" -m fast -w -t 60 stop >/dev/null
    ;;
  *)
    echo "usage: bench/pg.sh start DIR PORT | stop DIR" >&2; exit 2 ;;
esac
