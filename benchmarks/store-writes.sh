#!/bin/bash
# What the store writes per message, on one SQLite node: statements, rows and WAL pages per message (the server's
# /metrics counters: parley_store_statements, parley_store_rows_written, parley_store_wal_pages), the commits and the
# writes they held, the bytes the server process wrote (/proc/<pid>/io wchar: the WAL, the checkpoints' copies into the
# database file, the log) and how far the WAL and database files grew. Two runs of the shared harness, each against a
# fresh Release server on a free port with a fresh data directory (the durable default configuration, rate limits off,
# 1,000 PBKDF2 iterations so that registering the users takes seconds):
#   light: 20 users, window 1 (a 1:1 message, the recipient's ack, the sender's acks of its own copy and of the receipt)
#   group: one 200-member group, 8 messages in flight (a group message, its 200 inbox rows and 199 acks, the aggregated
#          receipts)
# The counters are read before and after the harness's run (its logins and hellos fall inside: ~1 % of the writes).
#   usage: BENCH=/tmp/bench [PARLEY_REPO=<checkout>] benchmarks/store-writes.sh [light] [group]
#   env: DURATION (10 s of traffic), NO_BUILD=1 (use the checkout's existing Release build), PARLEY_ARGS (more server
#        arguments, e.g. --Parley:Storage:SqlitePageSize=1024),
#        PIN_WAL=1: hold a read transaction open on the database during the run (sqlite3), so no checkpoint can start the
#        WAL over: its growth is then every byte the commits appended, also for builds without the WAL counter
#        (the run then does no checkpoint copies, so its latencies are not comparable).
# Prints one Markdown table row per scenario; the harness's JSON and the metrics scrapes stay in $OUT_DIR.
set -u
OUT_DIR=${OUT_DIR:-$(mktemp -d /tmp/store-writes.XXXXXX)}
# shellcheck source=benchmarks/fresh-server.sh
. "$(dirname "$0")/fresh-server.sh"
DURATION=${DURATION:-10}
size() { stat -c %s "$1" 2>/dev/null || echo 0; }
wchar() { awk '/^wchar:/ { print $2 }' "/proc/$1/io"; }

PID=""; PIN=""
cleanup() {
  [ -n "$PIN" ] && kill "$PIN" 2>/dev/null
  if [ -n "$PID" ]; then kill "$PID" 2>/dev/null; for _ in $(seq 1 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done; kill -9 "$PID" 2>/dev/null; fi
  PID=""; PIN=""
}
trap cleanup EXIT

args_for() {
  case $1 in
    light) echo "--scenario pairs --users 20 --window 1 --duration $DURATION" ;;
    group) echo "--scenario group --members 200 --group-window 8 --duration $DURATION" ;;
  esac
}

echo "| run | messages | commits | writes/commit | statements/msg | rows/msg | WAL pages/msg | WAL file writes/msg | WAL KiB/msg | process wrote KiB/msg | WAL file end MiB | db growth KiB/msg | checkpoints (bg/writer) | per delivery: statements, rows, WAL KiB |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"
for s in ${*:-light group}; do
  start_server "$s" || { cleanup; continue; }
  page=$(sqlite3 "$data/parley.db" 'PRAGMA page_size' 2>/dev/null || echo 4096)
  if [ -n "${PIN_WAL:-}" ]; then
    # The WAL emptied first (the server is idle after the registrations), then pinned: its end size is the run's frames.
    sqlite3 "$data/parley.db" 'PRAGMA busy_timeout=5000; PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
    { echo "BEGIN; SELECT count(*) FROM users;"; sleep $((DURATION + 120)); } | sqlite3 "$data/parley.db" >/dev/null 2>&1 &
    PIN=$!; sleep 1
  fi
  curl -fsS "http://127.0.0.1:$port/metrics" >"$OUT_DIR/metrics-$s-0.txt"
  w0=$(wchar "$PID"); db0=$(size "$data/parley.db"); wal0=$(size "$data/parley.db-wal")
  # shellcheck disable=SC2046
  node "$H/bench.js" --target parley --url "http://127.0.0.1:$port" --server-pid "$PID" --json "$OUT_DIR/harness-$s.jsonl" \
    --timeout 300 --wait-quiet 0 --top false $(args_for "$s") >"$OUT_DIR/harness-$s.log" 2>&1
  sleep 2   # the group grain's receipt aggregation runs after its interval
  curl -fsS "http://127.0.0.1:$port/metrics" >"$OUT_DIR/metrics-$s-1.txt"
  w1=$(wchar "$PID"); db1=$(size "$data/parley.db"); wal1=$(size "$data/parley.db-wal")
  cleanup
  d() { echo $(( $(metric "$1" "$OUT_DIR/metrics-$s-1.txt") - $(metric "$1" "$OUT_DIR/metrics-$s-0.txt") )); }
  msgs=$(d parley_messages_accepted_total); deliveries=$(d parley_messages_delivered_total)
  commits=$(d parley_store_commit_batch_size_count); writes=$(d parley_store_commit_batch_size_sum)
  stmts=$(d parley_store_statements_total); rows=$(d parley_store_rows_written_total); walp=$(d parley_store_wal_pages_total)
  # Counted with the buffered WAL (Parley:Storage:SqliteBufferedWal); without it SQLite writes each page as two writes.
  walw=$(d parley_store_wal_file_writes_total)
  bg=$(awk '/^parley_store_checkpoints_total/ && /by="background"/ { s += $NF } END { printf "%.0f", s }' "$OUT_DIR/metrics-$s-1.txt")
  wr=$(awk '/^parley_store_checkpoints_total/ && /by="writer"/ { s += $NF } END { printf "%.0f", s }' "$OUT_DIR/metrics-$s-1.txt")
  lost=$(node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8").trim().split("\n").pop());console.log(`lost ${r.lost??r.lostDeliveries} dup ${r.duplicates??0} err ${r.errors}`)' "$OUT_DIR/harness-$s.jsonl" 2>/dev/null || echo "harness failed")
  [ "$msgs" -gt 0 ] 2>/dev/null || { echo "| $s | no messages ($lost; see $OUT_DIR/harness-$s.log) |"; continue; }
  [ "$deliveries" -gt 0 ] || deliveries=$msgs
  node -e '
    const [s, msgs, deliveries, commits, writes, stmts, rows, walp, walw, page, w0, w1, db0, db1, wal1, bg, wr, lost, pin] = process.argv.slice(1);
    const n = Number, f = (x, d = 1) => Number.isFinite(x) ? x.toFixed(d) : "-";
    const counted = n(stmts) > 0;   // builds without the counters report none
    const walKiB = n(walp) * (n(page) + 24) / 1024;
    const perMsg = x => x / n(msgs), perDel = x => x / n(deliveries);
    console.log(`| ${s}${pin ? " (WAL pinned)" : ""}, ${lost} | ${msgs} | ${commits} | ${f(n(writes) / n(commits))} | ${counted ? f(perMsg(n(stmts))) : "-"} | ${counted ? f(perMsg(n(rows))) : "-"} | ${counted ? f(perMsg(n(walp))) : "-"} | ${counted ? f(perMsg(n(walw) > 0 ? n(walw) : 2 * n(walp))) : "-"} | ${counted ? f(perMsg(walKiB)) : (pin ? f(perMsg(n(wal1) / 1024)) + " (file)" : "-")} | ${f(perMsg((n(w1) - n(w0)) / 1024))} | ${f(n(wal1) / 1048576)} | ${f(perMsg((n(db1) - n(db0)) / 1024))} | ${bg}/${wr} | ${s === "group" && counted ? `${f(perDel(n(stmts)), 2)}, ${f(perDel(n(rows)), 2)}, ${f(perDel(walKiB), 2)} (${deliveries} deliveries)` : "-"} |`);
  ' "$s" "$msgs" "$deliveries" "$commits" "$writes" "$stmts" "$rows" "$walp" "$walw" "$page" "$w0" "$w1" "$db0" "$db1" "$wal1" "$bg" "$wr" "$lost" "${PIN_WAL:-}"
done
echo "(output: $OUT_DIR)"
