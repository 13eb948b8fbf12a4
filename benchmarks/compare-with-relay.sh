#!/bin/bash
# Runs the yardstick harness (a copy of shared/bench in $BENCH) against the bare relay (limit) and Parley
# back to back, scenario by scenario, so each ratio comes from two neighbouring runs on the same (shared) machine.
#   usage: BENCH=/tmp/bench PARLEY_REPO=$PWD benchmarks/compare-with-relay.sh [scenario...]
#   scenarios: pairs light group idle (default: all); env DURATION (15), OUT ($BENCH/results/compare.jsonl)
#   BASELINE_REPO: another checkout (an earlier commit) run as a third server, "parley-baseline", right after Parley,
#   so that a change is measured against the code before it in the same session.
# Each run is bounded by the harness's --timeout; servers start fresh for every run.
set -u
: "${BENCH:?copy shared/bench somewhere and set BENCH to it}"
: "${PARLEY_REPO:?set PARLEY_REPO to the checkout}"
REPO=$PARLEY_REPO
H="$BENCH/harness"; DURATION=${DURATION:-15}; OUT=${OUT:-$BENCH/results/compare.jsonl}
mkdir -p "$(dirname "$OUT")"
ulimit -n "$(ulimit -Hn)"

args_for() {
  case $1 in
    pairs) echo "--scenario pairs --users 200 --window 16 --duration $DURATION" ;;
    light) echo "--scenario pairs --users 20 --window 1 --duration $DURATION" ;;
    group) echo "--scenario group --members 200 --group-window 8 --duration $DURATION" ;;
    idle)  echo "--scenario idle --conns 5000 --settle 5" ;;
  esac
}

for s in ${*:-pairs light group idle}; do
  for run in limit parley ${BASELINE_REPO:+parley-baseline}; do
    t=${run%-baseline}
    if [ "$run" = parley-baseline ]; then export PARLEY_REPO=$BASELINE_REPO; else export PARLEY_REPO=$REPO; fi
    "$BENCH/$t/stop.sh" >/dev/null 2>&1
    # idle registers and logs in 5,000 users: PBKDF2 at the default 100,000 iterations would take minutes of CPU.
    # The harness logs every user in from 127.0.0.1: the per-address account limit would refuse most of them, so the
    # rate limits are off (the harness's start.sh already lifts the send limit).
    export PARLEY_ARGS="--Parley:RateLimits:Enabled=false"
    if [ "$s" = idle ] && [ "$t" = parley ]; then PARLEY_ARGS="$PARLEY_ARGS --Parley:Auth:PasswordIterations=1000"; fi
    "$BENCH/$t/start.sh" >/dev/null || { echo "$t did not start"; continue; }
    if [ "$t" = parley ]; then node "$H/bench.js" --target parley --scenario register --register --users 200 --conns "$([ "$s" = idle ] && echo 5000 || echo 200)" --members 200 >/dev/null 2>&1; fi
    tmp=$(mktemp)
    # shellcheck disable=SC2046
    node "$H/bench.js" --target "$t" --json "$tmp" --timeout 400 --wait-quiet 0 $(args_for "$s") >>"$BENCH/results/compare.log" 2>&1
    if [ -s "$tmp" ]; then
      node -e 'const fs=require("fs");const r=JSON.parse(fs.readFileSync(process.argv[1],"utf8").trim().split("\n").pop());delete r.top;r.label=process.argv[2];r.run=process.argv[4];fs.appendFileSync(process.argv[3],JSON.stringify(r)+"\n");
        const f=x=>x?`${x.p50}/${x.p99}`:"-";console.log(`${process.argv[2]} ${process.argv[4]}: cpuUs/msg=${r.serverCpuUsPerMsg??"-"} /delivery=${r.serverCpuUsPerDelivery??"-"} rate=${r.deliveredPerSec??r.deliveriesPerSec??r.connectsPerSec??"-"} deliver p50/p99=${f(r.latencyDeliverMs)} receipt=${f(r.latencyReceiptMs)} lost=${r.lost??r.lostDeliveries??"-"} dup=${r.duplicates??"-"} err=${r.errors} rssPerConnKiB=${r.rssPerConnKiB??"-"} other=${r.cpu?r.cpu.otherCpuPct:"-"}%`)' "$tmp" "$s" "$OUT" "$run"
    else
      echo "$s $run: FAILED (see $BENCH/results/compare.log)"
    fi
    rm -f "$tmp"
    "$BENCH/$t/stop.sh" >/dev/null 2>&1
  done
done
