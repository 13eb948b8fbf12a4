#!/bin/bash
# Profiles a Release server in the harness's group scenario (200 members, 8 in flight): a fresh server on a free port,
# warmed by a 15 s run, then perf record (8 s) and perf stat of the socket and file syscalls (5 s) in the middle of a 25 s
# run, and /metrics before and after that run. Then: python3 benchmarks/perf-classify.py <outdir>/perf.data
#   usage: BENCH=/tmp/bench benchmarks/profile-group.sh <checkout with a Release build> <outdir> [extra server args]
set -u
: "${BENCH:?copy shared/bench somewhere (cp -r ../shared/bench /tmp/bench) and set BENCH to it}"
repo=$1; out=$2; shift 2
mkdir -p "$out"
H=$BENCH/harness
ulimit -n "$(ulimit -Hn)"
dll=$(find "$repo/src/Parley.Server/bin/Release" -name Parley.Server.dll | head -1)
[ -n "$dll" ] || { echo "no Release build in $repo"; exit 1; }
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1]);s.close()')
DATA=$(mktemp -d /tmp/profile-group-data.XXXXXX)
DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 dotnet "$dll" --urls "http://127.0.0.1:$port" --data "$DATA" \
  --Parley:RateLimits:Enabled=false --Parley:Auth:PasswordIterations=1000 "$@" >"$out/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; kill -0 $PID 2>/dev/null || break; sleep 0.5; done
bench() { node "$H/bench.js" --target parley --url "http://127.0.0.1:$port" --server-pid $PID "$@"; }
bench --scenario register --register --users 200 --members 200 >/dev/null 2>&1
bench --json "$out/warm.json" --timeout 300 --wait-quiet 0 --top false --scenario group --members 200 --group-window 8 --duration 15 >/dev/null 2>&1
curl -s "http://127.0.0.1:$port/metrics" >"$out/metrics0.txt"
bench --json "$out/run.json" --timeout 300 --wait-quiet 0 --top false --scenario group --members 200 --group-window 8 --duration 25 >/dev/null 2>&1 &
NODE=$!
sleep 8
perf record -F 999 -g -p $PID -o "$out/perf.data" -- sleep 8 >"$out/perf-record.txt" 2>&1
perf stat -e 'syscalls:sys_enter_sendto,syscalls:sys_enter_recvfrom,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_futex,syscalls:sys_enter_pwrite64,syscalls:sys_enter_fsync,context-switches' \
  -p $PID -o "$out/perfstat.txt" -- sleep 5
wait $NODE
curl -s "http://127.0.0.1:$port/metrics" >"$out/metrics1.txt"
kill $PID; for _ in $(seq 1 100); do kill -0 $PID 2>/dev/null || break; sleep 0.1; done; kill -9 $PID 2>/dev/null
rm -rf "$DATA"
# perf report reads the JIT's symbols from /tmp/perf-<pid>.map, which the runtime leaves behind.
echo "server pid $PID; $out/perf.data, perfstat.txt, metrics0/1.txt, run.json"
