#!/bin/bash
# The shared harness's `idle` scenario as the kit's goals.sh runs it, against a fresh server started from a given build:
# 5,000 sockets, each its own user (register, login, hello), RSS per connection after 5 s. With GCDUMP=1 the sockets are
# held for 60 s and the server's managed heap is dumped before and while they are up (dotnet-gcdump), then compared by
# type with gcdump-diff.py: bytes per connection of each type.
#   usage: BENCH=/tmp/bench DLL=<.../Parley.Server.dll> benchmarks/idle-harness.sh <label>
#   env: CONNS (5000), GCDUMP=1 (needs dotnet-gcdump: DOTNET_GCDUMP=<path>, default on PATH), OUT_DIR
# Prints "<label> <KiB per connection>" (and the per-type table with GCDUMP=1); the harness JSON stays in $OUT_DIR.
set -u
: "${BENCH:?copy shared/bench somewhere (cp -r ../shared/bench /tmp/bench) and set BENCH to it}"
: "${DLL:?set DLL to a Parley.Server.dll (a Release build)}"
L=${1:?label}; CONNS=${CONNS:-5000}; OUT_DIR=${OUT_DIR:-$(mktemp -d /tmp/idle-harness.XXXXXX)}
H="$BENCH/harness"; GCD=${DOTNET_GCDUMP:-dotnet-gcdump}
ulimit -n "$(ulimit -Hn)"
[ -d "$H/node_modules" ] || (cd "$H" && npm ci --silent >/dev/null 2>&1)
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1]);s.close()')
data="$OUT_DIR/data-$L"; rm -rf "$data"; mkdir -p "$data"
dotnet "$DLL" --urls "http://127.0.0.1:$port" --data "$data" --Parley:RateLimits:Enabled=false \
  --Parley:Auth:PasswordIterations=1000 >"$OUT_DIR/server-$L.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null' EXIT
for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
sleep 3   # as goals.sh: the server settles after its start
settle=5; [ -n "${GCDUMP:-}" ] && settle=60
[ -n "${GCDUMP:-}" ] && "$GCD" collect -p $PID -o "$OUT_DIR/$L-0.gcdump" >/dev/null 2>&1
node "$H/bench.js" --target parley --url "http://127.0.0.1:$port" --server-pid $PID --scenario idle --conns "$CONNS" \
  --settle $settle --timeout 400 --top false --json "$OUT_DIR/harness-$L.json" >/dev/null 2>"$OUT_DIR/harness-$L.err" &
B=$!
if [ -n "${GCDUMP:-}" ]; then
  for _ in $(seq 1 300); do [ "$(ss -Htn state established "( sport = :$port )" | wc -l)" -ge "$CONNS" ] && break; sleep 1; done
  sleep 8
  "$GCD" collect -p $PID -o "$OUT_DIR/$L-1.gcdump" >/dev/null 2>&1
fi
wait $B
node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));console.log(process.argv[2], r.rssPerConnKiB, `(connected ${r.connected} of ${r.conns})`)' "$OUT_DIR/harness-$L.json" "$L"
if [ -n "${GCDUMP:-}" ]; then
  for i in 0 1; do "$GCD" report "$OUT_DIR/$L-$i.gcdump" >"$OUT_DIR/$L-$i.txt"; done
  python3 "$(dirname "$0")/gcdump-diff.py" "$OUT_DIR/$L-0.txt" "$OUT_DIR/$L-1.txt" "$CONNS" 60
fi
echo "(output: $OUT_DIR)"
