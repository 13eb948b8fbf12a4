#!/bin/bash
# 100,000 idle connections on this machine (issue 9, "Scale"), with the project's load tool (scenario `idle`).
#
# One process may hold at most `ulimit -Hn` descriptors (20,000 on the project's machines, and it cannot be raised
# there: no CAP_SYS_RESOURCE), so the connections are spread over NODES server processes and as many load-tool
# processes, one per node, each holding CONNS/NODES connections to its own node. Every node has its own port, so
# no client address runs out of ephemeral ports (~28,000 per destination) either.
#   MODE=sqlite (default): independent single-node servers, each with its own SQLite database (no shared users).
#   MODE=cluster: the nodes form one Parley cluster (PostgreSQL + Redis, both started here, private).
#   CLIENT=loadtest (default): tools/Parley.LoadTest `idle`, USERS users per node sharing the connections' tokens.
#   CLIENT=harness: the shared yardstick harness (BENCH=/tmp/bench, `node harness/bench.js --scenario idle`), one
#   user per connection, each registered and logged in over HTTP first.
# Prints a timeline (connections held, the nodes' RSS) and a summary: RSS at 0 / 10k / 50k / all connections, the
# connect + hello rate, the nodes' CPU while everything is held and idle, the load tools' memory. Bounded: every
# child has a timeout, and everything this script started is stopped on exit.
#
# The idle CPU is read over IDLE_WINDOW s once every connection has been held QUIET s (longer than the server's
# Gateway:KeepAliveInterval, 30 s, so its pings to silent clients are counted).
# Admission (issue 15 item 6): a node past Parley:Gateway:MaxPendingHandshakes sockets awaiting their welcome refuses
# further upgrades with 503 + Retry-After; the load tools try a refused connect again after it, and a failed one after a
# backoff, until CONNECT_BOUND. The timeline shows the nodes' pending handshakes; the summary, the refusals (the nodes'
# parley_gateway_upgrades_refused_total by reason, and what the load tools counted) and the load average.
#   CONCURRENCY: each load tool's connects in flight (--connect-concurrency; a reconnect storm is a large one).
#   SERVER_ARGS: more arguments for every node, e.g. "--Parley:Gateway:MaxPendingHandshakes=200".
# usage: benchmarks/idle-100k.sh      (env: CONNS=100000 NODES=6 MODE=sqlite CLIENT=loadtest USERS=200
#        WORK=/tmp/idle100k BASE_PORT=5600 QUIET=40 IDLE_WINDOW=20 HOLD=120 PG_POOL=20 CONNECT_BOUND=400 CONCURRENCY=50
#        SERVER_ARGS= DLL=<server build dir> LT_DLL=<load tool dll>; without DLL/LT_DLL both are built Release from this checkout)
set -u
REPO="$(cd "$(dirname "$0")/.." && pwd)"
CONNS=${CONNS:-100000}; NODES=${NODES:-6}; MODE=${MODE:-sqlite}; USERS=${USERS:-200}; CLIENT=${CLIENT:-loadtest}
BENCH=${BENCH:-/tmp/bench}
WORK=${WORK:-/tmp/idle100k}; BASE_PORT=${BASE_PORT:-5600}; QUIET=${QUIET:-40}; IDLE_WINDOW=${IDLE_WINDOW:-20}; HOLD=${HOLD:-120}
PG_POOL=${PG_POOL:-20}; CONNECT_BOUND=${CONNECT_BOUND:-400}; CONCURRENCY=${CONCURRENCY:-50}; SERVER_ARGS=${SERVER_ARGS:-}
CLIENT_TIMEOUT=$((CONNECT_BOUND + HOLD + 60))
PG_PORT=$((BASE_PORT + 90)); REDIS_PORT=$((BASE_PORT + 91))
say() { echo "[$(date +%T)] $*" >&2; }

ulimit -n "$(ulimit -Hn)"
PER_NODE=$(( (CONNS + NODES - 1) / NODES ))
if [ $((PER_NODE + 500)) -gt "$(ulimit -n)" ]; then
  echo "CONNS/NODES = $PER_NODE does not fit a process's descriptor limit ($(ulimit -n)): raise NODES" >&2; exit 2
fi

if [ -z "${DLL:-}" ]; then
  say "building Release"
  dotnet build "$REPO/src/Parley.Server" -c Release -v q -nologo >/dev/null || exit 1
  dotnet build "$REPO/tools/Parley.LoadTest" -c Release -v q -nologo >/dev/null || exit 1
  DLL="$REPO/src/Parley.Server/bin/Release/net10.0"
  LT_DLL="$REPO/tools/Parley.LoadTest/bin/Release/net10.0/parley-loadtest.dll"
fi
LT_DLL=${LT_DLL:-$REPO/tools/Parley.LoadTest/bin/Release/net10.0/parley-loadtest.dll}

rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK" || exit 1
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  [ -f "$WORK/redis.pid" ] && kill "$(cat "$WORK/redis.pid")" 2>/dev/null
  "$REPO/benchmarks/private-postgres.sh" stop "$WORK/pg" immediate
  for _ in $(seq 1 20); do alive=0; for p in "${PIDS[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done; [ $alive = 0 ] && break; sleep 0.5; done
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done; wait 2>/dev/null
  rm -rf "$WORK"/data* "$WORK/pg"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

extra=()
if [ "$MODE" = cluster ]; then
  say "starting PostgreSQL :$PG_PORT and Redis :$REDIS_PORT"
  "$REPO/benchmarks/private-postgres.sh" start "$WORK/pg" $PG_PORT -c max_connections=$((NODES * PG_POOL + 20)) || exit 1
  redis-server --port $REDIS_PORT --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --pidfile "$WORK/redis.pid" --logfile "$WORK/redis.log" || exit 1
  extra=(--Parley:Storage:Provider=postgres "--Parley:Storage:Postgres=Host=127.0.0.1;Port=$PG_PORT;Username=parley;Database=parley;MaxPoolSize=$PG_POOL"
    --Parley:Cluster:Provider=redis --Parley:Cluster:Redis=127.0.0.1:$REDIS_PORT --Parley:Cluster:ClusterId=idle$$)
fi

# The load tool's connections share USERS users' tokens (~CONNS/NODES/USERS sockets per device and node, 83 by default):
# under the default per-device and per-user socket caps (8 and 32) each new socket would displace an older one (4429).
SOCKET_CAPS=(--Parley:Gateway:MaxSocketsPerDevice=10000 --Parley:Gateway:MaxSocketsPerUser=10000)
say "starting $NODES $MODE node(s) on ports $((BASE_PORT + 1))..$((BASE_PORT + NODES))"
NODE_PIDS=()
for i in $(seq 1 "$NODES"); do
  node_extra=("${extra[@]}"); [ "$MODE" = cluster ] && node_extra+=(--Parley:Cluster:SiloPort=$((BASE_PORT + 40 + i)))
  dotnet "$DLL/Parley.Server.dll" --urls "http://127.0.0.1:$((BASE_PORT + i))" --data "$WORK/data$i" \
    --Parley:RateLimits:Enabled=false --Parley:Auth:PasswordIterations=1000 "${SOCKET_CAPS[@]}" "${node_extra[@]}" $SERVER_ARGS >"node$i.log" 2>&1 &
  NODE_PIDS+=($!); PIDS+=($!)
done
for i in $(seq 1 "$NODES"); do
  for _ in $(seq 1 240); do curl -fsS "http://127.0.0.1:$((BASE_PORT + i))/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
  curl -fsS "http://127.0.0.1:$((BASE_PORT + i))/healthz" >/dev/null 2>&1 || { say "node $i did not start"; tail -20 "node$i.log" >&2; exit 1; }
done

rss_sum() { local s=0; for p in "$@"; do s=$((s + $(awk '/^VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0))); done; echo $s; }
cpu_sum() { local s=0; for p in "$@"; do s=$((s + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo $s; }
pss_sum() { local s=0; for p in "$@"; do s=$((s + $(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0))); done; echo $s; }
client_rates() {
  if [ "$CLIENT" = harness ]; then cat harness-*.jsonl 2>/dev/null | grep -oE '"connectsPerSec":[0-9.]+' | awk -F: '{s += $2} END {print s}'
  else cat idle-*.md 2>/dev/null | awk -F'|' '/connect \+ hello per second/ {gsub(/[ ,]/, "", $3); s += $3} END {print s}'; fi
}
# The sum over the nodes of one series of their /metrics (all its labels together, or those matching LABEL).
metric_sum() {
  local name=$1 label=${2:-} s=0 v
  for i in $(seq 1 "$NODES"); do
    v=$(curl -fsS -m 2 "http://127.0.0.1:$((BASE_PORT + i))/metrics" 2>/dev/null | awk -v n="$name" -v l="$label" \
      'index($0, n "{") == 1 || index($0, n " ") == 1 { if (l == "" || index($0, l) > 0) s += $2 } END { printf "%d", s }')
    s=$((s + ${v:-0}))
  done
  echo $s
}
held() { ss -Htn state established "( sport >= :$((BASE_PORT + 1)) and sport <= :$((BASE_PORT + NODES)) )" | wc -l; }

sleep 5
c0=$(cpu_sum "${NODE_PIDS[@]}"); sleep "$IDLE_WINDOW"; c1=$(cpu_sum "${NODE_PIDS[@]}")
CPU0=$(echo "scale=1; ($c1 - $c0) / $IDLE_WINDOW" | bc)
RSS0=$(rss_sum "${NODE_PIDS[@]}")
say "nodes up, RSS of all nodes $RSS0 KiB; starting $NODES load-tool processes, $PER_NODE connections each"
LT_PIDS=()
START=$(date +%s.%N)
for i in $(seq 1 "$NODES"); do
  n=$(( i < NODES ? PER_NODE : CONNS - PER_NODE * (NODES - 1) ))
  if [ "$CLIENT" = harness ]; then
    node "$BENCH/harness/bench.js" --target parley --scenario idle --url "http://127.0.0.1:$((BASE_PORT + i))" --conns "$n" \
      --prefix "idle${i}u" --settle "$HOLD" --server-pid "${NODE_PIDS[$((i - 1))]}" --timeout "$CLIENT_TIMEOUT" --wait-quiet 0 --top false \
      --json "$WORK/harness-$i.jsonl" >"lt$i.log" 2>&1 &
  else
    dotnet "$LT_DLL" idle --url "http://127.0.0.1:$((BASE_PORT + i))" --conns "$n" --users "$USERS" --prefix "idle${i}u" \
      --connect-concurrency "$CONCURRENCY" --connect-bound "$CONNECT_BOUND" \
      --settle "$HOLD" --server-pid "${NODE_PIDS[$((i - 1))]}" --report "$WORK/idle-$i" --timeout "$CLIENT_TIMEOUT" >"lt$i.log" 2>&1 &
  fi
  LT_PIDS+=($!); PIDS+=($!)
done

echo -e "seconds\tconnections\tnodes_rss_kib\tpending_handshakes\tload_avg" > timeline.tsv
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A MILESTONE
FULL_AT=""
DEADLINE=$(( $(date +%s) + CONNECT_BOUND ))
while [ "$(date +%s)" -lt "$DEADLINE" ]; do
  sleep 2
  h=$(held); r=$(rss_sum "${NODE_PIDS[@]}"); t=$(echo "$(date +%s.%N) - $START" | bc)
  p=$(metric_sum parley_gateway_pending_handshakes); [ "$p" -gt "${PENDING_PEAK:-0}" ] && PENDING_PEAK=$p
  echo -e "$t\t$h\t$r\t$p\t$(cut -d' ' -f1 /proc/loadavg)" >> timeline.tsv
  for m in 10000 50000 "$CONNS"; do
    [ -z "${MILESTONE[$m]:-}" ] && [ "$h" -ge "$m" ] && MILESTONE[$m]="$t $h $r"
  done
  say "held $h, nodes' RSS $r KiB, pending handshakes $p"
  if [ "$h" -ge "$CONNS" ]; then FULL_AT=$t; break; fi
  alive=0; for p in "${LT_PIDS[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
  [ $alive = 0 ] && break
done

if [ -n "$FULL_AT" ]; then
  say "all $CONNS held after $FULL_AT s; $QUIET s to settle, then $IDLE_WINDOW s of idle CPU"
  sleep "$QUIET"
  c0=$(cpu_sum "${NODE_PIDS[@]}"); l0=$(cpu_sum "${LT_PIDS[@]}")
  sleep "$IDLE_WINDOW"
  c1=$(cpu_sum "${NODE_PIDS[@]}"); l1=$(cpu_sum "${LT_PIDS[@]}")
  HELD_END=$(held); [ "$HELD_END" -gt 0 ] || HELD_END=1; RSS_END=$(rss_sum "${NODE_PIDS[@]}"); LT_RSS=$(rss_sum "${LT_PIDS[@]}")
  EXTRA_RSS=0
  if [ "$MODE" = cluster ]; then
    pm=$(head -1 pg/postmaster.pid)
    EXTRA_RSS=$(pss_sum "$pm" $(pgrep -P "$pm") "$(cat redis.pid)")
  fi
fi

say "waiting for the load tools to finish (they hold for $HOLD s after their last connect)"
for p in "${LT_PIDS[@]}"; do wait "$p"; done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
REFUSED_PENDING=$(metric_sum parley_gateway_upgrades_refused_total 'reason="pending"')
REFUSED_LOAD=$(metric_sum parley_gateway_upgrades_refused_total 'reason="load"')
REFUSED_ADDRESS=$(metric_sum parley_gateway_upgrades_refused_total 'reason="address"')

echo
[ "$CLIENT" = harness ] && who="one user per connection (harness)" || who="$USERS users per node (load tool)"
echo "== idle connections: $CONNS over $NODES $MODE node(s), $who"
rows=$(wc -l < timeline.tsv); awk -v every=$(( rows / 30 + 1 )) 'NR == 1 || NR % every == 0' timeline.tsv | column -t
for m in 10000 50000 "$CONNS"; do
  [ -n "${MILESTONE[$m]:-}" ] && set -- ${MILESTONE[$m]} && \
    echo "at $m: $2 held after $1 s, nodes' RSS $3 KiB ($(( ($3 - RSS0) / $2 )) KiB per connection above the idle nodes)"
done
echo "idle nodes before connecting: RSS $RSS0 KiB, CPU $CPU0 % of one core"
echo "load average (1, 5, 15 min): $LOAD_START at the load tools' start, $LOAD_END at their end"
echo "admission: upgrades refused by the nodes: $REFUSED_PENDING at the pending-handshake cap, $REFUSED_LOAD for the load level, $REFUSED_ADDRESS per address;" \
  "most pending handshakes seen (all nodes, every 2 s): ${PENDING_PEAK:-0}"
if [ "$CLIENT" != harness ]; then
  md_sum() { cat idle-*.md 2>/dev/null | awk -F'|' -v f="$1" 'index($2, f) > 0 {gsub(/[ ,]/, "", $3); s += $3} END {print s + 0}'; }
  echo "load tools: $(md_sum 'upgrades refused') refused upgrades tried again after their Retry-After, $(md_sum 'failed connect attempts') failed attempts tried again"
fi
if [ -n "$FULL_AT" ]; then
  echo "connect + hello rate, all nodes together: $(echo "$CONNS / $FULL_AT" | bc) connections/s from the load tools' start (their logins included) to all held;" \
    "$(client_rates) connections/s as the sum of the clients' connect-phase rates"
  echo "after settling: $HELD_END held, nodes' RSS $RSS_END KiB = $(( (RSS_END - RSS0) / HELD_END )) KiB per connection above the idle nodes"
  echo "nodes' CPU while idle: $(echo "scale=1; ($c1 - $c0) / $IDLE_WINDOW" | bc) % of one core (all nodes together, $IDLE_WINDOW s)"
  echo "load tools: RSS $LT_RSS KiB together ($(( LT_RSS / HELD_END )) KiB per connection), CPU while idle $(echo "scale=1; ($l1 - $l0) / $IDLE_WINDOW" | bc) % of one core"
  [ "$MODE" = cluster ] && echo "PostgreSQL + Redis: $EXTRA_RSS KiB (PSS: shared memory counted once)"
else
  echo "NOT all $CONNS connections were held at once: see $WORK/lt*.log"
fi
for i in $(seq 1 "$NODES"); do
  [ "$CLIENT" = harness ] && { echo "harness $i: $(cat "harness-$i.jsonl" 2>/dev/null || echo "no result (see $WORK/lt$i.log)")"; continue; }
  echo "load tool $i: $(grep -E '^# ' "idle-$i.md" 2>/dev/null || echo "no report (see $WORK/lt$i.log)") $(grep -E 'connect \+ hello per second|still online|upgrades refused|tried again|^\| errors' "idle-$i.md" 2>/dev/null | awk -F'|' '{printf "%s:%s ", $2, $3}')"
done
