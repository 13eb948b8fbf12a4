#!/bin/bash
# Memory per idle connection, per component (issue 16): the same N idle WebSockets held against
#   relay    the bench kit's bare Kestrel WebSocket relay ($BENCH/limit): Kestrel + ManagedWebSocket, nothing else
#   accepted Parley with the socket accepted and no hello sent (HelloTimeout raised): Kestrel, ManagedWebSocket,
#            Parley's endpoint and frame reader, no session
#   full     Parley with a hello on every socket (USERS users sharing the connections): the live session
# For each: a fresh server, a full GC forced by `dotnet-gcdump collect` before and after the sockets are opened,
# RSS (VmRSS) and the managed heap (the gcdump's total) read after each, and the difference divided by N.
# The gcdump reports (per type) are kept in $WORK for the "where are the bytes" breakdown.
# usage: benchmarks/idle-memory.sh   (env: CONNS=5000 USERS=200 SETTLE=10 WHICH="relay accepted full" BENCH=/tmp/bench
#        WORK=/tmp/idle-memory DLL=<server build dir>; GCDUMP=<dotnet-gcdump>; without DLL the server is built Release)
# Needs: node and the bench kit (its harness/node_modules for `ws`, its limit/ relay), dotnet-gcdump
# (`dotnet tool install --tool-path /tmp/dntools dotnet-gcdump`). Every process it starts is stopped on exit.
set -u
REPO="$(cd "$(dirname "$0")/.." && pwd)"
CONNS=${CONNS:-5000}; USERS=${USERS:-200}; SETTLE=${SETTLE:-10}; WHICH=${WHICH:-relay accepted full}
BENCH=${BENCH:-/tmp/bench}; WORK=${WORK:-/tmp/idle-memory}
GCDUMP=${GCDUMP:-$(command -v dotnet-gcdump || echo /tmp/dntools/dotnet-gcdump)}
say() { echo "[$(date +%T)] $*" >&2; }
ulimit -n "$(ulimit -Hn)"
[ -x "$GCDUMP" ] || { echo "dotnet-gcdump not found (GCDUMP=$GCDUMP)" >&2; exit 2; }
[ -d "$BENCH/harness/node_modules/ws" ] || { echo "the bench kit is missing: cp -r ../shared/bench $BENCH && (cd $BENCH/harness && npm ci)" >&2; exit 2; }
if [ -z "${DLL:-}" ]; then
  say "building Release"
  dotnet build "$REPO/src/Parley.Server" -c Release -v q -nologo >/dev/null || exit 1
  DLL="$REPO/src/Parley.Server/bin/Release/net10.0"
fi
RELAY="$BENCH/limit/bin/Release/net10.0/Limit.dll"
if [[ " $WHICH " == *" relay "* ]] && [ ! -f "$RELAY" ]; then (cd "$BENCH/limit" && dotnet build -c Release -v q -nologo >/dev/null) || exit 1; fi

rm -rf "$WORK"; mkdir -p "$WORK"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$WORK"/data-*; }
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rss() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
# Forces a full GC (gcdump does), then prints "RSS_KiB HEAP_BYTES"; the report is kept as $2.txt.
measure() {
  "$GCDUMP" collect -p "$1" -o "$WORK/$2.gcdump" >/dev/null 2>&1 || { echo "gcdump of $1 failed" >&2; return 1; }
  local r; r=$(rss "$1")
  "$GCDUMP" report "$WORK/$2.gcdump" > "$WORK/$2.txt" 2>/dev/null
  local heap; heap=$(awk '/GC Heap bytes/ {gsub(/,/, "", $1); print $1; exit}' "$WORK/$2.txt")
  echo "$r ${heap:-0}"
}

printf '| component | connections held | RSS per connection (KiB) | managed heap per connection (bytes) |\n| --- | ---: | ---: | ---: |\n' > "$WORK/table.md"
for which in $WHICH; do
  port=$(free_port)
  case $which in
    relay) LIMIT_PORT=$port dotnet "$RELAY" >"$WORK/$which.log" 2>&1 & ;;
    accepted|full) # USERS users share the sockets (25 each by default): the default socket caps (8 per device) are lifted
      dotnet "$DLL/Parley.Server.dll" --urls "http://127.0.0.1:$port" --data "$WORK/data-$which" --Parley:RateLimits:Enabled=false \
        --Parley:Auth:PasswordIterations=1000 --Parley:Gateway:HelloTimeout=01:00:00 \
        --Parley:Gateway:MaxSocketsPerDevice=10000 --Parley:Gateway:MaxSocketsPerUser=10000 >"$WORK/$which.log" 2>&1 & ;;
  esac
  pid=$!; PIDS+=($pid)
  for _ in $(seq 1 600); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.5; done
  sleep 3
  read -r rss0 heap0 < <(measure "$pid" "$which-before") || exit 1
  case $which in
    relay) hold=(--ws "ws://127.0.0.1:$port/ws" --user-query) ;;
    accepted) hold=(--ws "ws://127.0.0.1:$port/v1/ws") ;;
    full) hold=(--ws "ws://127.0.0.1:$port/v1/ws" --http "http://127.0.0.1:$port" --users "$USERS") ;;
  esac
  NODE_PATH="$BENCH/harness/node_modules" node "$REPO/benchmarks/idle-memory/hold.js" --conns "$CONNS" "${hold[@]}" >"$WORK/$which-hold.out" 2>"$WORK/$which-hold.err" &
  holder=$!; PIDS+=($holder)
  for _ in $(seq 1 600); do grep -q '^held' "$WORK/$which-hold.out" && break; kill -0 $holder 2>/dev/null || break; sleep 1; done
  grep -q '^held' "$WORK/$which-hold.out" || { say "$which: the sockets did not all open: $(cat "$WORK/$which-hold.err" | tail -3)"; kill $holder $pid; continue; }
  sleep "$SETTLE"
  held=$(ss -Htn state established "( sport = :$port )" | wc -l)
  read -r rss1 heap1 < <(measure "$pid" "$which-after") || exit 1
  say "$which: $(cat "$WORK/$which-hold.out"); $held held; RSS $rss0 -> $rss1 KiB; heap $heap0 -> $heap1 bytes"
  printf '| %s | %d | %.1f | %d |\n' "$which" "$held" "$(echo "($rss1 - $rss0) / $held" | bc -l)" $(( (heap1 - heap0) / held )) >> "$WORK/table.md"
  kill $holder; wait $holder 2>/dev/null
  kill $pid; wait $pid 2>/dev/null
done
echo "== idle memory per connection, $CONNS connections, full GC before each reading (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
cat "$WORK/table.md"
echo "per-type reports: $WORK/<component>-before.txt / -after.txt (dotnet-gcdump report)"
