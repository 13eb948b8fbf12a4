#!/bin/bash
# Two server builds against each other on one node, alternated in one window (the machine is shared: only ratios within
# one run mean anything): for each round and each build, a fresh server (its own data directory, a free port) and the
# load tool's pairs with --server-pid, so the report has delivered/s and the server's CPU per message.
#   usage: compare-pairs.sh LABEL_A SERVER_DIR_A LABEL_B SERVER_DIR_B
#   env:   LT_DLL (the load tool's dll), ROUNDS (3), DURATION (15), USERS (200), WINDOW (16), WORK (/tmp/cmp-pairs)
#          MODE=sqlite (default) or postgres: then PG is a connection string; each server gets a database of its own,
#          created through PG_ADMIN (a connection string's psql form, e.g. "-h 127.0.0.1 -p 55432 -U parley").
set -u
LABEL_A=$1; DIR_A=$2; LABEL_B=$3; DIR_B=$4
ROUNDS=${ROUNDS:-3}; DURATION=${DURATION:-15}; USERS=${USERS:-200}; WINDOW=${WINDOW:-16}; MODE=${MODE:-sqlite}
WORK=${WORK:-/tmp/cmp-pairs}; mkdir -p "$WORK"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

run() { # label dir round
  local label=$1 dir=$2 round=$3 port data extra=() pid
  port=$(free_port); data=$WORK/data-$label-$round; rm -rf "$data"; mkdir -p "$data"
  if [ "$MODE" = postgres ]; then
    local db="cmp_${label//[^a-z0-9]/_}_${round}_$$_$RANDOM"
    psql $PG_ADMIN -d postgres -qc "CREATE DATABASE $db" >/dev/null
    extra=(--Parley:Storage:Provider=postgres "--Parley:Storage:Postgres=$PG;Database=$db")
  fi
  dotnet "$dir/Parley.Server.dll" --urls "http://127.0.0.1:$port" --data "$data" --Parley:RateLimits:Enabled=false \
    --Parley:Auth:PasswordIterations=1000 "${extra[@]}" > "$WORK/server-$label-$round.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 240); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.25; done
  dotnet "$LT_DLL" pairs --url "http://127.0.0.1:$port" --prefix "p$round" --users "$USERS" --window "$WINDOW" --duration "$DURATION" \
    --server-pid "$pid" --report "$WORK/lt-$label-$round" --timeout 300 > "$WORK/lt-$label-$round.log" 2>&1
  local status=$?
  curl -s "http://127.0.0.1:$port/metrics" > "$WORK/metrics-$label-$round.txt"
  kill "$pid"; wait "$pid" 2>/dev/null
  printf '%s round %s (exit %s, load %s): ' "$label" "$round" "$status" "$(cut -d' ' -f1 /proc/loadavg)"
  awk -F'|' '/delivered per second/ {d=$3} /CPU per message/ {c=$3} /^\| lost / {l=$3} /^\| duplicates / {u=$3} /^\| errors / {e=$3}
    /receipt/ && NF > 8 && !r {r=$4}
    END {printf "delivered/s %s, server CPU/message %s, receipt p50 %s ms, lost %s, duplicates %s, errors %s\n", d, c, r, l, u, e}' "$WORK/lt-$label-$round.md" | tr -s ' '
}

for round in $(seq 1 "$ROUNDS"); do
  run "$LABEL_A" "$DIR_A" "$round"
  run "$LABEL_B" "$DIR_B" "$round"
done
