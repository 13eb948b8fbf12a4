#!/bin/bash
# What the server allocates per message, and the collections that follow: managed bytes allocated per message (per
# delivery in the group), gen0/gen1 collections and GC pause time per second, over 10 s in the middle of a run of the
# shared harness. Each scenario runs against a fresh Release server on a free port with a fresh data directory (the
# durable default configuration, rate limits off, 1,000 PBKDF2 iterations), warmed first by an 8 s `pairs` run so that
# the JIT's tiering is over. The runtime's counters come from dotnet-counters (System.Runtime:
# dotnet.gc.heap.total_allocated, dotnet.gc.collections, dotnet.gc.pause.time), the messages from the server's /metrics
# read at both ends of the same window.
#   light: 20 users, window 1          pairs: 200 users, window 16          group: one 200-member group, 8 in flight
#   usage: BENCH=/tmp/bench [PARLEY_REPO=<checkout>] benchmarks/allocations.sh [light] [pairs] [group]
#   env: NO_BUILD=1 (use the checkout's Release build), PARLEY_ARGS (more server arguments), DOTNET_COUNTERS (the tool;
#        installed into a temporary tool path when missing)
# Prints one Markdown table row per scenario; the harness's JSON, the counters and the metrics stay in $OUT_DIR.
set -u
OUT_DIR=${OUT_DIR:-$(mktemp -d /tmp/allocations.XXXXXX)}
# shellcheck source=benchmarks/fresh-server.sh
. "$(dirname "$0")/fresh-server.sh"

COUNTERS=${DOTNET_COUNTERS:-$(command -v dotnet-counters || echo /tmp/parley-dntools/dotnet-counters)}
if [ ! -x "$COUNTERS" ]; then
  dotnet tool install --tool-path /tmp/parley-dntools dotnet-counters >"$OUT_DIR/tool.log" 2>&1 || { tail -5 "$OUT_DIR/tool.log"; exit 1; }
  COUNTERS=/tmp/parley-dntools/dotnet-counters
fi
# Sum over the window of a rate counter's per-second values (the allocated bytes are a count: allocated in that second), matched by the start of its name and label.
counter() { awk -F, -v n="$1" 'index($3, n) == 1 { s += $5 } END { printf "%.6f", s }' "$2"; }
# How many one-second samples the window holds.
samples() { awk -F, 'index($3, "dotnet.gc.heap.total_allocated") == 1 { k++ } END { print k + 0 }' "$1"; }

PID=""
cleanup() {
  if [ -n "$PID" ]; then kill "$PID" 2>/dev/null; for _ in $(seq 1 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done; kill -9 "$PID" 2>/dev/null; fi
  PID=""
}
trap cleanup EXIT

args_for() {
  case $1 in
    light) echo "--scenario pairs --users 20 --window 1 --duration 18" ;;
    pairs) echo "--scenario pairs --users 200 --window 16 --duration 18" ;;
    group) echo "--scenario group --members 200 --group-window 8 --duration 18" ;;
  esac
}

echo "| run | messages in the window | allocated KiB per message | per delivery | gen0 / gen1 collections per s | GC pause ms per s | harness: delivery p50 / p99 ms |"
echo "| --- | ---: | ---: | ---: | --- | ---: | --- |"
for s in ${*:-light pairs group}; do
  start_server "$s" || { cleanup; continue; }
  node "$H/bench.js" --target parley --url "http://127.0.0.1:$port" --server-pid "$PID" --scenario pairs --users 200 --window 16 --duration 8 \
    --timeout 200 --wait-quiet 5 --top false >/dev/null 2>&1
  # shellcheck disable=SC2046
  node "$H/bench.js" --target parley --url "http://127.0.0.1:$port" --server-pid "$PID" --json "$OUT_DIR/harness-$s.jsonl" \
    --timeout 300 --wait-quiet 3 --top false $(args_for "$s") >"$OUT_DIR/harness-$s.log" 2>&1 &
  run=$!
  sleep 4
  curl -fsS "http://127.0.0.1:$port/metrics" >"$OUT_DIR/metrics-$s-0.txt"
  "$COUNTERS" collect -p "$PID" --counters System.Runtime --format csv -o "$OUT_DIR/counters-$s.csv" --duration 00:00:10 >/dev/null 2>&1
  curl -fsS "http://127.0.0.1:$port/metrics" >"$OUT_DIR/metrics-$s-1.txt"
  wait "$run"
  cleanup
  d() { echo $(( $(metric "$1" "$OUT_DIR/metrics-$s-1.txt") - $(metric "$1" "$OUT_DIR/metrics-$s-0.txt") )); }
  msgs=$(d parley_messages_accepted_total); deliveries=$(d parley_messages_delivered_total)
  c="$OUT_DIR/counters-$s.csv"
  [ "$msgs" -gt 0 ] 2>/dev/null && [ -s "$c" ] || { echo "| $s | no messages or no counters (see $OUT_DIR) |"; continue; }
  node -e '
    const [s, msgs, deliveries, alloc, gen0, gen1, pause, file, secs] = process.argv.slice(1);
    const n = Number, f = (x, d = 1) => Number.isFinite(x) ? x.toFixed(d) : "-";
    const lines = require("fs").readFileSync(file, "utf8").trim().split("\n");
    const r = JSON.parse(lines[lines.length - 1]);
    const lat = r.latencyDeliverMs ?? {};
    console.log(`| ${s} (lost ${r.lost ?? r.lostDeliveries ?? 0}, errors ${r.errors}) | ${msgs} | ${f(n(alloc) / 1024 / n(msgs))} | ${s === "group" ? f(n(alloc) / 1024 / n(deliveries), 2) : "-"} | ${f(n(gen0) / secs)} / ${f(n(gen1) / secs)} | ${f(n(pause) * 1000 / secs, 2)} | ${lat.p50} / ${lat.p99} |`);
  ' "$s" "$msgs" "$deliveries" "$(counter 'dotnet.gc.heap.total_allocated' "$c")" "$(counter 'dotnet.gc.collections ({collection} / 1 sec)[gc.heap.generation=gen0]' "$c")" \
    "$(counter 'dotnet.gc.collections ({collection} / 1 sec)[gc.heap.generation=gen1]' "$c")" "$(counter 'dotnet.gc.pause.time' "$c")" "$OUT_DIR/harness-$s.jsonl" "$(samples "$c")"
done
echo "(output: $OUT_DIR)"
