#!/bin/bash
# What a message costs PostgreSQL, for docs/operations.md's capacity section: one node on a private PostgreSQL (started
# here, default durability, pg_stat_statements loaded), the load tool's pairs, and then per message delivered: the
# node's CPU, PostgreSQL's CPU (every postgres process, from /proc), WAL bytes, transactions, the writer's round trips
# and statements (the node's /metrics), rows written per table, and the statements that took PostgreSQL's time.
#   usage: DLL=<server build dir> LT_DLL=<load tool dll> postgres-profile.sh     (run as root: PostgreSQL runs as postgres)
#   env:   DURATION (15), USERS (200), WINDOW (16), WORK (/tmp/pg-profile),
#          EXPLAIN=<ms>: log the plan of every statement slower than that (auto_explain, in $WORK/pg/log)
set -u
DURATION=${DURATION:-15}; USERS=${USERS:-200}; WINDOW=${WINDOW:-16}; WORK=${WORK:-/tmp/pg-profile}
rm -rf "$WORK"; mkdir -p "$WORK"; chmod 755 "$WORK"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | tail -1)
pg_port=$(free_port); node_port=$(free_port); node_pid=""
cleanup() {
  [ -n "$node_pid" ] && kill "$node_pid" 2>/dev/null
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$WORK/pg" -m fast -w stop >/dev/null 2>&1
}
trap cleanup EXIT
mkdir "$WORK/pg" && chown postgres:postgres "$WORK/pg"
runuser -u postgres -- "$pg_bin/initdb" -D "$WORK/pg" -A trust -U parley >/dev/null || exit 1
explain=""
[ -n "${EXPLAIN:-}" ] && explain=",auto_explain -c auto_explain.log_min_duration=${EXPLAIN}ms -c auto_explain.log_analyze=on"
runuser -u postgres -- "$pg_bin/pg_ctl" -D "$WORK/pg" -w -l "$WORK/pg/log" -o "-p $pg_port -k $WORK/pg -c listen_addresses=127.0.0.1 \
  -c shared_preload_libraries=pg_stat_statements$explain -c pg_stat_statements.track=all" start >/dev/null || exit 1
psql() { command psql -h 127.0.0.1 -p "$pg_port" -U parley -d parley -qAt "$@"; }
command psql -h 127.0.0.1 -p "$pg_port" -U parley -d postgres -qc "CREATE DATABASE parley"
psql -c "CREATE EXTENSION pg_stat_statements"

dotnet "$DLL/Parley.Server.dll" --urls "http://127.0.0.1:$node_port" --data "$WORK/data" --Parley:RateLimits:Enabled=false \
  --Parley:Auth:PasswordIterations=1000 --Parley:Storage:Provider=postgres \
  "--Parley:Storage:Postgres=Host=127.0.0.1;Port=$pg_port;Username=parley;Database=parley" > "$WORK/node.log" 2>&1 &
node_pid=$!
for _ in $(seq 1 240); do curl -fsS "http://127.0.0.1:$node_port/healthz" >/dev/null 2>&1 && break; sleep 0.25; done

postmaster=$(head -1 "$WORK/pg/postmaster.pid")
pg_cpu_ticks() { # utime+stime (and of exited children) of the postmaster and its children
  local total=0 pid
  for pid in $postmaster $(pgrep -P "$postmaster"); do
    [ -r /proc/$pid/stat ] && total=$((total + $(awk '{ sub(/.*\) /, ""); print $12 + $13 + $14 + $15 }' /proc/$pid/stat)))
  done
  echo $total
}
metric() { curl -s "http://127.0.0.1:$node_port/metrics" | awk -v m="$1" 'index($1, m "{") == 1 || $1 == m { s += $2 } END { printf "%d", s }'; }

# Accounts and sessions first (their writes are not what a message costs), then the measured window.
dotnet "$LT_DLL" pairs --url "http://127.0.0.1:$node_port" --prefix prof --users "$USERS" --window 1 --messages 1 --timeout 300 > "$WORK/warm.log" 2>&1
psql -c "SELECT pg_stat_statements_reset()" >/dev/null; psql -c "SELECT pg_stat_reset()" >/dev/null
wal0=$(psql -c "SELECT pg_current_wal_lsn()"); cpu0=$(pg_cpu_ticks)
rt0=$(metric parley_store_round_trips_total); st0=$(metric parley_store_statements_total)
bs0=$(metric parley_store_commit_batch_size_count); bw0=$(metric parley_store_commit_batch_size_sum)
dotnet "$LT_DLL" pairs --url "http://127.0.0.1:$node_port" --prefix prof --users "$USERS" --window "$WINDOW" --duration "$DURATION" \
  --server-pid "$node_pid" --report "$WORK/lt" --timeout 300 > "$WORK/lt.log" 2>&1
cpu1=$(pg_cpu_ticks); wal1=$(psql -c "SELECT pg_current_wal_lsn()")
rt1=$(metric parley_store_round_trips_total); st1=$(metric parley_store_statements_total)
bs1=$(metric parley_store_commit_batch_size_count); bw1=$(metric parley_store_commit_batch_size_sum)
wal=$(psql -c "SELECT pg_wal_lsn_diff('$wal1', '$wal0')")
commits=$(psql -c "SELECT xact_commit FROM pg_stat_database WHERE datname = 'parley'")
delivered=$(awk -F'|' '/^\| messages delivered / { gsub(/[ ,]/, "", $3); print $3 }' "$WORK/lt.md")
stored=$(awk -F'|' '/^\| messages stored/ { gsub(/[ ,]/, "", $3); print $3 }' "$WORK/lt.md")

echo "== pairs, $USERS users, window $WINDOW, ${DURATION}s, one node on PostgreSQL ($(psql -c 'SHOW server_version')), load $(cut -d' ' -f1 /proc/loadavg)"
grep -E "delivered per second|CPU per message|CPU \||receipt" "$WORK/lt.md" | head -6
awk -v d="$delivered" -v s="$stored" -v cpu=$((cpu1 - cpu0)) -v wal="$wal" -v tx="$commits" -v rt=$((rt1 - rt0)) -v st=$((st1 - st0)) \
  -v b=$((bs1 - bs0)) -v w=$((bw1 - bw0)) 'BEGIN {
  printf "messages stored %d, delivered %d\n", s, d
  printf "per message stored: PostgreSQL CPU %.1f us, WAL %.0f bytes, %.3f transactions, %.3f writer round trips, %.2f writer statements\n",
    cpu * 10000 / s, wal / s, tx / s, rt / s, st / s
  printf "writer: %d transactions of %.1f writes on average\n", b, (b ? w / b : 0) }'
echo "== rows written per table"
psql -F' ' -c "SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del FROM pg_stat_user_tables WHERE n_tup_ins + n_tup_upd + n_tup_del > 0 ORDER BY relname"
echo "== statements by PostgreSQL time (calls, total ms, rows, query)"
psql -F' | ' -c "SELECT calls, round(total_exec_time::numeric, 1), rows, left(regexp_replace(query, '\s+', ' ', 'g'), 110)
  FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 15"
