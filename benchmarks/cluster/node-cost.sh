#!/bin/bash
# What a message costs three cluster nodes, for two or more server builds, alternated: each run starts a private
# PostgreSQL (55432) and Redis (56379), three nodes behind nginx (start-nodes.sh) and the load tool's pairs (200 users,
# window 16, 30 s), and measures over 10 s from 5 s after the first message is stored: messages stored, the three
# nodes' CPU and the whole machine's CPU per message, and the bytes and TCP segments the nodes sent each other
# (Orleans' silo-to-silo connections, ports 11111-11113) per message. Prints one line per run.
#   usage: LT_DLL=<load tool dll> ROUNDS=3 benchmarks/cluster/node-cost.sh old=<server build dir> new=<...>
#   (run as root: PostgreSQL runs as the postgres user; WORK: where runs are kept, /tmp/node-cost)
set -u
HERE="$(cd "$(dirname "$0")" && pwd)"; WORK=${WORK:-/tmp/node-cost}; mkdir -p "$WORK"; chmod 755 "$WORK"
: "${LT_DLL:?the load tool dll}"
busy() { awk '/^cpu / { print $2+$3+$4+$7+$8+$9 }' /proc/stat; }
nodes_cpu() { for p in $(cat "$1"/node*.pid); do awk '{ print $14+$15 }' /proc/$p/stat; done | awk '{ s += $1 } END { print s }'; }
stored() { for i in 1 2 3; do curl -s http://127.0.0.1:530$i/metrics | awk '/^parley_messages_accepted_total/ { s += $2 } END { print s + 0 }'; done | awk '{ s += $1 } END { print s }'; }
silo() { ss -tinH state established '( sport >= :11111 and sport <= :11113 ) or ( dport >= :11111 and dport <= :11113 )' |
  awk '{ for (i = 1; i <= NF; i++) { split($i, kv, ":"); if (kv[1] == "bytes_sent") b += kv[2]; if (kv[1] == "data_segs_out") s += kv[2] } } END { print b + 0, s + 0 }'; }
for round in $(seq 1 "${ROUNDS:-3}"); do
  for build in "$@"; do
    label=${build%%=*}; dll=${build#*=}; run=$WORK/$label-$round; rm -rf "$run"; mkdir -p "$run"; chmod 755 "$run"
    "$HERE/../private-postgres.sh" start "$run/pg" 55432 -c max_connections=300 >/dev/null || exit 1
    redis-server --port 56379 --bind 127.0.0.1 --save "" --appendonly no --dir "$run" >/dev/null 2>&1 & redis=$!
    WORK=$run/cl DLL=$dll RANDOM_ID=nc$round$(date +%s) "$HERE/start-nodes.sh" 3 cluster >/dev/null
    dotnet "$LT_DLL" pairs --url http://127.0.0.1:5300 --prefix nc$label$round$(date +%M%S) --users 200 --window 16 --duration 30 \
      --report "$run/lt" --timeout 300 >"$run/lt.log" 2>&1 & lt=$!
    for _ in $(seq 1 600); do [ "$(stored)" -gt 0 ] && break; sleep 0.2; done
    sleep 5
    read -r b0 g0 < <(silo); c0=$(busy); t0=$(nodes_cpu "$run/cl"); m0=$(stored)
    sleep 10
    read -r b1 g1 < <(silo); c1=$(busy); t1=$(nodes_cpu "$run/cl"); m1=$(stored)
    wait $lt
    # /proc ticks are 10 ms: ticks * 10,000 / messages = µs per message.
    awk -v l="$label" -v r="$round" -v m=$((m1 - m0)) -v t=$((t1 - t0)) -v c=$((c1 - c0)) -v b=$((b1 - b0)) -v g=$((g1 - g0)) 'BEGIN {
      printf "%s round %d: %d stored in 10 s, nodes %.0f us/msg, machine %.0f us/msg, between nodes %.0f bytes and %.3f segments per msg\n",
        l, r, m, t * 10000 / m, c * 10000 / m, b / m, g / m }'
    grep -E "^\| (lost|duplicates|errors) " "$run/lt.md" | awk -F'|' '{ printf "  %s %s", $2, $3 } END { print "" }'
    WORK=$run/cl "$HERE/stop-nodes.sh" >/dev/null 2>&1
    pkill -9 -f "$dll/Parley.Server.dll"
    kill $redis; "$HERE/../private-postgres.sh" stop "$run/pg" immediate >/dev/null
  done
done
