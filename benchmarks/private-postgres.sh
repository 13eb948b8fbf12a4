#!/bin/bash
# A private PostgreSQL for one benchmark run: its own data directory, port and socket directory, trust authentication
# for the user parley, a database parley, PostgreSQL's default durability (fsync and synchronous_commit on). The
# benchmark scripts that need PostgreSQL start and stop it through this file, so they all measure the same server.
#   usage: private-postgres.sh start <dir> <port> [postgres option ...]   e.g. -c max_connections=300
#          private-postgres.sh stop  <dir> [fast|immediate]               (default: fast)
#   Run as root: PostgreSQL runs as the postgres user. <dir> is created (it must not hold a cluster yet) and
#   left in place on stop (its log is <dir>/log).
set -u
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | tail -1)
[ -n "$pg_bin" ] || { echo "private-postgres.sh: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
command=${1:-}; dir=${2:-}
[ -n "$dir" ] || { echo "usage: private-postgres.sh start <dir> <port> [option ...] | stop <dir> [fast|immediate]" >&2; exit 2; }
case "$command" in
  start)
    port=${3:?the port}; shift 3
    mkdir -p "$dir" && chown postgres:postgres "$dir" && chmod 700 "$dir" || exit 1
    # The parent must be traversable by postgres (a mktemp directory is not).
    chmod o+x "$(dirname "$dir")"
    runuser -u postgres -- "$pg_bin/initdb" -D "$dir" -A trust -U parley --no-sync >/dev/null || exit 1
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$dir" -w -t 60 -l "$dir/log" \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $*" start >/dev/null || { tail -5 "$dir/log" >&2; exit 1; }
    "$pg_bin/psql" -h 127.0.0.1 -p "$port" -U parley -d postgres -qc "CREATE DATABASE parley" || exit 1
    ;;
  stop)
    [ -f "$dir/postmaster.pid" ] || exit 0
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$dir" -m "${3:-fast}" -w stop >/dev/null 2>&1
    ;;
  *)
    echo "private-postgres.sh: unknown command '$command' (start or stop)" >&2; exit 2
    ;;
esac
