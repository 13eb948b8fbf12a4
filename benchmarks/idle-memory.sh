#!/bin/bash
# Memory per idle connection, per component (issue 16): the same N idle WebSockets held against
#   relay          the bench kit's bare Kestrel WebSocket relay ($BENCH/limit): Kestrel + ManagedWebSocket, nothing else
#   connrelay-ws   benchmarks/idle-memory/ConnRelay --mode ws: the socket taken over at the connection level (a Kestrel
#                  connection handler reads the upgrade itself: no Http1Connection, HttpContext or upgraded-body stream
#                  under the socket), ManagedWebSocket over the transport's pipes
#   connrelay-raw  the same with its own RFC 6455 framing over the transport's PipeReader/PipeWriter (--mode raw)
#   accepted       Parley with the socket accepted and no hello sent (HelloTimeout raised): Kestrel, ManagedWebSocket,
#                  Parley's endpoint and frame reader, no session
#   full           Parley with a hello on every socket (USERS users sharing the connections): the live session
# For each: a fresh server, a full GC forced by `dotnet-gcdump collect` before and after the sockets are opened,
# RSS (VmRSS, and of it RssAnon and RssFile) and the managed heap (the gcdump's total) read after each, and the
# difference divided by N. The ConnRelay variants also report what the GC has committed (GET /stats, the GC's own
# figures for its last collection). The gcdump reports (per type), /proc/PID/smaps and the stats are kept in $WORK.
# WARMUP=n opens and closes n sockets before the first reading, so that one-time costs (JIT and tiering of the connection
# path, thread pool growth) fall before it; 0 (the default) measures as the first runs of this script did.
# usage: benchmarks/idle-memory.sh   (env: CONNS=5000 USERS=200 SETTLE=10 WARMUP=0 BENCH=/tmp/bench WORK=/tmp/idle-memory
#        WHICH="relay connrelay-ws connrelay-raw accepted full" DLL=<server build dir> GCDUMP=<dotnet-gcdump>
#        RELAY_ARGS=<more ConnRelay arguments, e.g. --wait-for-data false>; without DLL the server is built Release)
# Needs: node and the bench kit (its harness/node_modules for `ws`, its limit/ relay), dotnet-gcdump
# (`dotnet tool install --tool-path /tmp/dntools dotnet-gcdump`). Every process it starts is stopped on exit.
set -u
REPO="$(cd "$(dirname "$0")/.." && pwd)"
CONNS=${CONNS:-5000}; USERS=${USERS:-200}; SETTLE=${SETTLE:-10}; WARMUP=${WARMUP:-0}; RELAY_ARGS=${RELAY_ARGS:-}
WHICH=${WHICH:-relay connrelay-ws connrelay-raw accepted full}
BENCH=${BENCH:-/tmp/bench}; WORK=${WORK:-/tmp/idle-memory}
GCDUMP=${GCDUMP:-$(command -v dotnet-gcdump || echo /tmp/dntools/dotnet-gcdump)}
say() { echo "[$(date +%T)] $*" >&2; }
ulimit -n "$(ulimit -Hn)"
[ -x "$GCDUMP" ] || { echo "dotnet-gcdump not found (GCDUMP=$GCDUMP)" >&2; exit 2; }
[ -d "$BENCH/harness/node_modules/ws" ] || { echo "the bench kit is missing: cp -r ../shared/bench $BENCH && (cd $BENCH/harness && npm ci)" >&2; exit 2; }
if [ -z "${DLL:-}" ] && [[ " $WHICH " == *" accepted "* || " $WHICH " == *" full "* ]]; then
  say "building Release"
  dotnet build "$REPO/src/Parley.Server" -c Release -v q -nologo >/dev/null || exit 1
  DLL="$REPO/src/Parley.Server/bin/Release/net10.0"
fi
RELAY="$BENCH/limit/bin/Release/net10.0/Limit.dll"
if [[ " $WHICH " == *" relay "* ]] && [ ! -f "$RELAY" ]; then (cd "$BENCH/limit" && dotnet build -c Release -v q -nologo >/dev/null) || exit 1; fi
CONNRELAY="$REPO/benchmarks/idle-memory/ConnRelay/bin/Release/net10.0/ConnRelay.dll"
if [[ " $WHICH " == *" connrelay-"* ]]; then
  say "building ConnRelay"
  dotnet build "$REPO/benchmarks/idle-memory/ConnRelay" -c Release -v q -nologo >/dev/null || exit 1
fi

rm -rf "$WORK"; mkdir -p "$WORK"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$WORK"/data-*; }
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# "RSS ANON FILE SHMEM" in KiB (VmRSS = RssAnon + RssFile + RssShmem): anonymous is the GC heap, malloc and stacks;
# file the mapped assemblies; shared memory is .NET's executable memory (JIT'd code, stubs: mapped twice for W^X)
rss() { awk '/^VmRSS/ {r=$2} /^RssAnon/ {a=$2} /^RssFile/ {f=$2} /^RssShmem/ {s=$2} END {print r, a, f, s}' "/proc/$1/status"; }
# (after - before) / connections held
per() { echo "($2 - $1) / $held" | bc -l; }
# GET /stats from a ConnRelay: the GC's figures for its last collection (the one gcdump forced), "name value" lines.
relay_stats() { curl -s --max-time 30 "http://127.0.0.1:$1/stats"; }
# Forces a full GC (gcdump does), then prints "RSS ANON FILE SHMEM (KiB) HEAP_BYTES GC_COMMITTED_BYTES" (the last 0 but
# for a ConnRelay); the report is kept as $2.txt, the process's smaps as $2.smaps, a ConnRelay's stats as $2.stats.
measure() {
  "$GCDUMP" collect -p "$1" -o "$WORK/$2.gcdump" >/dev/null 2>&1 || { echo "gcdump of $1 failed" >&2; return 1; }
  local r; r=$(rss "$1")
  cp "/proc/$1/smaps" "$WORK/$2.smaps"
  local committed=0
  if [ -n "${3:-}" ]; then
    relay_stats "$3" > "$WORK/$2.stats"
    committed=$(awk '$1 == "gc_committed_bytes" {print $2}' "$WORK/$2.stats")
  fi
  "$GCDUMP" report "$WORK/$2.gcdump" > "$WORK/$2.txt" 2>/dev/null
  local heap; heap=$(awk '/GC Heap bytes/ {gsub(/,/, "", $1); print $1; exit}' "$WORK/$2.txt")
  echo "$r ${heap:-0} ${committed:-0}"
}

printf '| component | connections held | RSS per connection (KiB) | of it anonymous (KiB) | file-backed (KiB) | shared: code (KiB) | managed heap per connection (bytes) | GC committed per connection (bytes) |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n' > "$WORK/table.md"
for which in $WHICH; do
  port=$(free_port)
  case $which in
    relay) LIMIT_PORT=$port dotnet "$RELAY" >"$WORK/$which.log" 2>&1 & ;;
    # RELAY_ARGS unquoted on purpose: more arguments, split on spaces.
    # shellcheck disable=SC2086
    connrelay-ws|connrelay-raw) dotnet "$CONNRELAY" --port "$port" --mode "${which#connrelay-}" $RELAY_ARGS >"$WORK/$which.log" 2>&1 & ;;
    accepted|full) # USERS users share the sockets (25 each by default): the default socket caps (8 per device) are lifted
      dotnet "$DLL/Parley.Server.dll" --urls "http://127.0.0.1:$port" --data "$WORK/data-$which" --Parley:RateLimits:Enabled=false \
        --Parley:Auth:PasswordIterations=1000 --Parley:Gateway:HelloTimeout=01:00:00 \
        --Parley:Gateway:MaxSocketsPerDevice=10000 --Parley:Gateway:MaxSocketsPerUser=10000 >"$WORK/$which.log" 2>&1 & ;;
  esac
  pid=$!; PIDS+=($pid)
  for _ in $(seq 1 600); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.5; done
  case $which in
    relay|connrelay-*) hold=(--ws "ws://127.0.0.1:$port/ws" --user-query) ;;
    accepted) hold=(--ws "ws://127.0.0.1:$port/v1/ws") ;;
    full) hold=(--ws "ws://127.0.0.1:$port/v1/ws" --http "http://127.0.0.1:$port" --users "$USERS") ;;
  esac
  statsport=""; [[ $which == connrelay-* ]] && statsport=$port
  # The probe itself once first, so that its own first-call costs fall before the first reading too.
  [ -n "$statsport" ] && relay_stats "$port" >/dev/null
  if [ "$WARMUP" -gt 0 ]; then
    NODE_PATH="$BENCH/harness/node_modules" node "$REPO/benchmarks/idle-memory/hold.js" --conns "$WARMUP" "${hold[@]}" >"$WORK/$which-warmup.out" 2>&1 &
    warm=$!; PIDS+=($warm)
    for _ in $(seq 1 300); do grep -q '^held' "$WORK/$which-warmup.out" && break; kill -0 $warm 2>/dev/null || break; sleep 1; done
    say "$which: warm-up: $(head -1 "$WORK/$which-warmup.out")"
    kill $warm; wait $warm 2>/dev/null
    sleep "$SETTLE"  # the warm-up's sockets closed; the tiering compiler catches up
  fi
  sleep 3
  read -r rss0 anon0 file0 shm0 heap0 gc0 < <(measure "$pid" "$which-before" "$statsport") || exit 1
  NODE_PATH="$BENCH/harness/node_modules" node "$REPO/benchmarks/idle-memory/hold.js" --conns "$CONNS" "${hold[@]}" >"$WORK/$which-hold.out" 2>"$WORK/$which-hold.err" &
  holder=$!; PIDS+=($holder)
  for _ in $(seq 1 600); do grep -q '^held' "$WORK/$which-hold.out" && break; kill -0 $holder 2>/dev/null || break; sleep 1; done
  grep -q '^held' "$WORK/$which-hold.out" || { say "$which: the sockets did not all open: $(cat "$WORK/$which-hold.err" | tail -3)"; kill $holder $pid; continue; }
  sleep "$SETTLE"
  held=$(ss -Htn state established "( sport = :$port )" | wc -l)
  read -r rss1 anon1 file1 shm1 heap1 gc1 < <(measure "$pid" "$which-after" "$statsport") || exit 1
  say "$which: $(cat "$WORK/$which-hold.out"); $held held; RSS $rss0 -> $rss1 KiB (anon $anon0 -> $anon1, file $file0 -> $file1, shmem $shm0 -> $shm1); heap $heap0 -> $heap1 bytes; GC committed $gc0 -> $gc1 bytes"
  committed="–"; [ -n "$statsport" ] && committed=$(( (gc1 - gc0) / held ))
  printf '| %s | %d | %.1f | %.1f | %.1f | %.1f | %d | %s |\n' "$which" "$held" "$(per "$rss0" "$rss1")" "$(per "$anon0" "$anon1")" \
    "$(per "$file0" "$file1")" "$(per "$shm0" "$shm1")" $(( (heap1 - heap0) / held )) "$committed" >> "$WORK/table.md"
  kill $holder; wait $holder 2>/dev/null
  kill $pid; wait $pid 2>/dev/null
done
echo "== idle memory per connection, $CONNS connections, warm-up $WARMUP, full GC before each reading (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
cat "$WORK/table.md"
echo "per-type reports: $WORK/<component>-before.txt / -after.txt (dotnet-gcdump report); .smaps, and .stats for ConnRelay"
