#!/bin/bash
# What a message costs, for docs/operations.md's capacity section: N nodes (1: alone; more: an Orleans cluster on a
# private Redis, nginx in front) on a private PostgreSQL (started here, default durability, pg_stat_statements loaded),
# the load tool's pairs, and then per message stored: every node's CPU, PostgreSQL's CPU (every postgres process, from
# /proc), WAL bytes, transactions, the writers' round trips and statements (the nodes' /metrics), rows written per
# table, and the statements that took PostgreSQL's time.
#   usage: DLL=<server build dir> LT_DLL=<load tool dll> postgres-profile.sh     (run as root: PostgreSQL runs as postgres)
#   env:   NODES (1), DURATION (15), USERS (200), WINDOW (16), WORK (/tmp/pg-profile),
#          EXPLAIN=<ms>: log the plan of every statement slower than that (auto_explain, in $WORK/pg/log)
set -u
NODES=${NODES:-1}; DURATION=${DURATION:-15}; USERS=${USERS:-200}; WINDOW=${WINDOW:-16}; WORK=${WORK:-/tmp/pg-profile}
rm -rf "$WORK"; mkdir -p "$WORK"; chmod 755 "$WORK"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
HERE="$(cd "$(dirname "$0")" && pwd)"
pg_port=$(free_port); node_pids=(); node_ports=(); redis_pid=""; nginx=""
cleanup() {
  for pid in "${node_pids[@]}"; do kill "$pid" 2>/dev/null; done
  [ -n "$redis_pid" ] && kill "$redis_pid" 2>/dev/null
  [ -n "$nginx" ] && kill "$(cat "$WORK/ngx/nginx.pid")" 2>/dev/null
  "$HERE/../private-postgres.sh" stop "$WORK/pg"
}
trap cleanup EXIT
explain=""
[ -n "${EXPLAIN:-}" ] && explain=",auto_explain -c auto_explain.log_min_duration=${EXPLAIN}ms -c auto_explain.log_analyze=on"
"$HERE/../private-postgres.sh" start "$WORK/pg" "$pg_port" -c max_connections=300 \
  -c shared_preload_libraries=pg_stat_statements$explain -c pg_stat_statements.track=all || exit 1
psql() { command psql -h 127.0.0.1 -p "$pg_port" -U parley -d parley -qAt "$@"; }
psql -c "CREATE EXTENSION pg_stat_statements"

cluster=()
if [ "$NODES" -gt 1 ]; then
  redis_port=$(free_port)
  redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" >/dev/null 2>&1 & redis_pid=$!
  cluster=(--Parley:Cluster:Provider=redis "--Parley:Cluster:Redis=127.0.0.1:$redis_port" "--Parley:Cluster:ClusterId=profile$$")
fi
for i in $(seq 1 "$NODES"); do
  port=$(free_port); node_ports+=("$port")
  dotnet "$DLL/Parley.Server.dll" --urls "http://127.0.0.1:$port" --data "$WORK/data$i" --Parley:RateLimits:Enabled=false \
    --Parley:Auth:PasswordIterations=1000 --Parley:Storage:Provider=postgres \
    "--Parley:Storage:Postgres=Host=127.0.0.1;Port=$pg_port;Username=parley;Database=parley" "${cluster[@]}" > "$WORK/node$i.log" 2>&1 &
  node_pids+=($!)
  # One at a time: the first creates the schema.
  for _ in $(seq 1 240); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.25; done
done
url="http://127.0.0.1:${node_ports[0]}"
if [ "$NODES" -gt 1 ]; then
  nginx_port=$(free_port); mkdir -p "$WORK/ngx"; servers=""
  for port in "${node_ports[@]}"; do servers="$servers server 127.0.0.1:$port;"; done
  cat > "$WORK/ngx/nginx.conf" <<NG
worker_processes 1; error_log $WORK/ngx/error.log warn; pid $WORK/ngx/nginx.pid;
events { worker_connections 4096; }
http { access_log off; client_body_temp_path $WORK/ngx/body; proxy_temp_path $WORK/ngx/proxy;
 fastcgi_temp_path $WORK/ngx/f; uwsgi_temp_path $WORK/ngx/u; scgi_temp_path $WORK/ngx/s;
 upstream parley { $servers }
 map \$http_upgrade \$connection_upgrade { default upgrade; '' close; }
 server { listen 127.0.0.1:$nginx_port; location / { proxy_pass http://parley; proxy_http_version 1.1;
  proxy_set_header Upgrade \$http_upgrade; proxy_set_header Connection \$connection_upgrade; proxy_read_timeout 3600s; } } }
NG
  /usr/sbin/nginx -p "$WORK/ngx" -c "$WORK/ngx/nginx.conf" && nginx=1
  url="http://127.0.0.1:$nginx_port"
fi

postmaster=$(head -1 "$WORK/pg/postmaster.pid")
ticks() { # utime+stime, and that of exited children, of the given processes
  local total=0 pid
  for pid in "$@"; do
    [ -r /proc/$pid/stat ] && total=$((total + $(awk '{ sub(/.*\) /, ""); print $12 + $13 + $14 + $15 }' /proc/$pid/stat)))
  done
  echo $total
}
pg_ticks() { ticks "$postmaster" $(pgrep -P "$postmaster"); }
metric() { # summed over the nodes
  local port total=0
  for port in "${node_ports[@]}"; do
    total=$((total + $(curl -s "http://127.0.0.1:$port/metrics" | awk -v m="$1" 'index($1, m "{") == 1 || $1 == m { s += $2 } END { printf "%d", s }')))
  done
  echo $total
}

# Accounts and sessions first (their writes are not what a message costs), then the measured window.
dotnet "$LT_DLL" pairs --url "$url" --prefix prof --users "$USERS" --window 1 --messages 1 --timeout 300 > "$WORK/warm.log" 2>&1
psql -c "SELECT pg_stat_statements_reset()" >/dev/null; psql -c "SELECT pg_stat_reset()" >/dev/null
wal0=$(psql -c "SELECT pg_current_wal_lsn()"); pg0=$(pg_ticks); nodes0=$(ticks "${node_pids[@]}")
rt0=$(metric parley_store_round_trips_total); st0=$(metric parley_store_statements_total)
bs0=$(metric parley_store_commit_batch_size_count); bw0=$(metric parley_store_commit_batch_size_sum)
started=$(date +%s.%N)
dotnet "$LT_DLL" pairs --url "$url" --prefix prof --users "$USERS" --window "$WINDOW" --duration "$DURATION" \
  --server-pid "${node_pids[0]}" --report "$WORK/lt" --timeout 300 > "$WORK/lt.log" 2>&1
elapsed=$(echo "$(date +%s.%N) - $started" | bc)
pg1=$(pg_ticks); nodes1=$(ticks "${node_pids[@]}"); wal1=$(psql -c "SELECT pg_current_wal_lsn()")
rt1=$(metric parley_store_round_trips_total); st1=$(metric parley_store_statements_total)
bs1=$(metric parley_store_commit_batch_size_count); bw1=$(metric parley_store_commit_batch_size_sum)
wal=$(psql -c "SELECT pg_wal_lsn_diff('$wal1', '$wal0')")
commits=$(psql -c "SELECT xact_commit FROM pg_stat_database WHERE datname = 'parley'")
delivered=$(awk -F'|' '/^\| messages delivered / { gsub(/[ ,]/, "", $3); print $3 }' "$WORK/lt.md")
stored=$(awk -F'|' '/^\| messages stored/ { gsub(/[ ,]/, "", $3); print $3 }' "$WORK/lt.md")

echo "== pairs, $USERS users, window $WINDOW, ${DURATION}s, $NODES node(s) on PostgreSQL $(psql -c 'SHOW server_version' | cut -d' ' -f1), load $(cut -d' ' -f1 /proc/loadavg)"
grep -E "delivered per second|receipt" "$WORK/lt.md" | head -3
awk -v d="$delivered" -v s="$stored" -v pg=$((pg1 - pg0)) -v nodes=$((nodes1 - nodes0)) -v n="$NODES" -v secs="$elapsed" -v wal="$wal" -v tx="$commits" \
  -v rt=$((rt1 - rt0)) -v st=$((st1 - st0)) -v b=$((bs1 - bs0)) -v w=$((bw1 - bw0)) 'BEGIN {
  printf "messages stored %d, delivered %d, in %.1f s (load tool and drain included)\n", s, d, secs
  printf "per message stored: CPU of the nodes %.1f us (all %d together, %.0f %% of a core over the run), PostgreSQL CPU %.1f us (%.0f %% of a core)\n",
    nodes * 10000 / s, n, nodes / secs, pg * 10000 / s, pg / secs
  printf "per message stored: WAL %.0f bytes, %.3f transactions, %.4f writer round trips, %.3f writer statements\n", wal / s, tx / s, rt / s, st / s
  printf "writers: %d transactions of %.1f writes on average\n", b, (b ? w / b : 0) }'
echo "== rows written per table (inserted, updated, of which HOT, deleted)"
psql -F' ' -c "SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del FROM pg_stat_user_tables WHERE n_tup_ins + n_tup_upd + n_tup_del > 0 ORDER BY relname"
echo "== statements by PostgreSQL time (calls, total ms, rows, query)"
psql -F' | ' -c "SELECT calls, round(total_exec_time::numeric, 1), rows, left(regexp_replace(query, '\s+', ' ', 'g'), 110)
  FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 15"
