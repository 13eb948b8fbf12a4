#!/bin/bash
# Alternates Parley builds on one harness scenario, so that a change is compared with the code before it in one window
# of a shared machine: round after round, each build gets a fresh Release server (a free port, a fresh data directory,
# the durable default configuration, rate limits off) and one harness run.
#   usage: BENCH=/tmp/bench benchmarks/compare-builds.sh <scenario> <label>=<checkout>[,<extra server args>] ...
#   scenario: light (20 users, window 1), group (200 members, 8 in flight), pairs (200 users, window 16)
#   e.g.   benchmarks/compare-builds.sh light before=/tmp/before after=$PWD "nolazy=$PWD,--Parley:Delivery:LazyAckDelay=00:00:00"
#   env: ROUNDS (3), DURATION (10), NO_BUILD=1 (use the checkouts' existing Release builds), OUT (results JSON lines)
# Prints one line per run (server CPU per message or delivery, latency p50/p99, lost/duplicates/errors, load average).
set -u
: "${BENCH:?copy shared/bench somewhere (cp -r ../shared/bench /tmp/bench) and set BENCH to it}"
scenario=$1; shift
H="$BENCH/harness"; ROUNDS=${ROUNDS:-3}; DURATION=${DURATION:-10}; OUT=${OUT:-$(mktemp /tmp/compare-builds.XXXXXX.jsonl)}
ulimit -n "$(ulimit -Hn)"
[ -d "$H/node_modules" ] || (cd "$H" && npm ci --silent >/dev/null 2>&1)
case $scenario in
  light) args="--scenario pairs --users 20 --window 1 --duration $DURATION"; users=20 ;;
  group) args="--scenario group --members 200 --group-window 8 --duration $DURATION"; users=200 ;;
  pairs) args="--scenario pairs --users 200 --window 16 --duration $DURATION"; users=200 ;;
  *) echo "unknown scenario $scenario"; exit 2 ;;
esac

declare -A dll extra
for spec in "$@"; do
  label=${spec%%=*}; rest=${spec#*=}; repo=${rest%%,*}; extra[$label]=""; [ "$rest" != "$repo" ] && extra[$label]=${rest#*,}
  if [ -z "${NO_BUILD:-}" ]; then
    (cd "$repo" && dotnet build src/Parley.Server -c Release -nologo -v q >/tmp/compare-builds-build.log 2>&1) || { tail -20 /tmp/compare-builds-build.log; exit 1; }
  fi
  dll[$label]=$(find "$repo/src/Parley.Server/bin/Release" -name Parley.Server.dll | head -1)
  [ -n "${dll[$label]}" ] || { echo "no Release build in $repo"; exit 1; }
done

PID=""; DATA=""
stop() {
  if [ -n "$PID" ]; then kill "$PID" 2>/dev/null; for _ in $(seq 1 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done; kill -9 "$PID" 2>/dev/null; fi
  [ -n "$DATA" ] && rm -rf "$DATA"
  PID=""; DATA=""
}
trap stop EXIT

for round in $(seq 1 "$ROUNDS"); do
  for spec in "$@"; do
    label=${spec%%=*}
    port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1]);s.close()')
    DATA=$(mktemp -d /tmp/compare-builds-data.XXXXXX)
    # shellcheck disable=SC2086
    dotnet "${dll[$label]}" --urls "http://127.0.0.1:$port" --data "$DATA" --Parley:RateLimits:Enabled=false --Parley:Auth:PasswordIterations=1000 ${extra[$label]} >"$DATA.log" 2>&1 &
    PID=$!
    up=""
    for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && { up=1; break; }; kill -0 "$PID" 2>/dev/null || break; sleep 0.5; done
    [ -n "$up" ] || { echo "$label round $round: server did not start"; tail -5 "$DATA.log"; stop; continue; }
    node "$H/bench.js" --target parley --url "http://127.0.0.1:$port" --server-pid "$PID" --scenario register --register --users $users --members $users >/dev/null 2>&1
    tmp=$(mktemp)
    # shellcheck disable=SC2086
    node "$H/bench.js" --target parley --url "http://127.0.0.1:$port" --server-pid "$PID" --json "$tmp" --timeout 300 --wait-quiet 0 --top false $args >/dev/null 2>&1
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    if [ -s "$tmp" ]; then
      node -e 'const fs=require("fs");const r=JSON.parse(fs.readFileSync(process.argv[1],"utf8").trim().split("\n").pop());delete r.top;r.label=process.argv[2];r.round=+process.argv[4];r.load=process.argv[5];fs.appendFileSync(process.argv[3],JSON.stringify(r)+"\n");
        const f=x=>x?`${x.p50}/${x.p99}`:"-";console.log(`${process.argv[2]} round ${process.argv[4]}: cpuUs/msg=${r.serverCpuUsPerMsg??"-"} /delivery=${r.serverCpuUsPerDelivery??"-"} rate=${r.deliveredPerSec??r.deliveriesPerSec??"-"} deliver p50/p99=${f(r.latencyDeliverMs)} receipt=${f(r.latencyReceiptMs)} lost=${r.lost??r.lostDeliveries??"-"} dup=${r.duplicates??"-"} err=${r.errors} other=${r.cpu?r.cpu.otherCpuPct:"-"}% load ${process.argv[5]}`)' "$tmp" "$label" "$OUT" "$round" "$load"
    else
      echo "$label round $round: harness failed"
    fi
    rm -f "$tmp"; rm -f "$DATA.log"
    stop
  done
done
echo "(results: $OUT)"
