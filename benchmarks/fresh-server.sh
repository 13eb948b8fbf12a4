# Sourced by the single-node benchmark scripts (store-writes.sh, allocations.sh): the shared harness made ready, the
# checkout's Release server built (unless NO_BUILD=1) and found as $DLL, and the helpers those scripts use.
# Expects BENCH (the copied kit), OUT_DIR (created here if missing); reads PARLEY_REPO (default: the current directory).
: "${BENCH:?copy shared/bench somewhere (cp -r ../shared/bench /tmp/bench) and set BENCH to it}"
REPO=${PARLEY_REPO:-$PWD}
H="$BENCH/harness"
mkdir -p "$OUT_DIR"
ulimit -n "$(ulimit -Hn)"
[ -d "$H/node_modules" ] || (cd "$H" && npm ci --silent >/dev/null 2>&1)

if [ -z "${NO_BUILD:-}" ]; then
  (cd "$REPO" && dotnet build src/Parley.Server -c Release -nologo -v q >"$OUT_DIR/build.log" 2>&1) || { tail -20 "$OUT_DIR/build.log"; exit 1; }
fi
DLL=$(find "$REPO/src/Parley.Server/bin/Release" -name Parley.Server.dll | head -1)
[ -n "$DLL" ] || { echo "no Release build under $REPO/src/Parley.Server/bin/Release"; exit 1; }

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1]);s.close()'; }
# Sum of a metric's samples over all label sets (0 when absent).
metric() { awk -v n="$1" '$1 == n || index($1, n "{") == 1 { s += $NF } END { printf "%.0f", s }' "$2"; }

# Starts a fresh Release server for scenario $1 on a free port with an empty data directory and registers the harness's
# 200 users (and its 200-member group); sets port, data and PID. Returns 1 (and prints a table row) when it did not start.
start_server() {
  port=$(free_port); data="$OUT_DIR/data-$1"; rm -rf "$data"; mkdir -p "$data"
  # shellcheck disable=SC2086
  dotnet "$DLL" --urls "http://127.0.0.1:$port" --data "$data" --Parley:RateLimits:Enabled=false --Parley:Auth:PasswordIterations=1000 ${PARLEY_ARGS:-} >"$OUT_DIR/server-$1.log" 2>&1 &
  PID=$!
  local up=""
  for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && { up=1; break; }; kill -0 "$PID" 2>/dev/null || break; sleep 0.5; done
  [ -n "$up" ] || { echo "| $1 | server did not start (see $OUT_DIR/server-$1.log) |"; return 1; }
  node "$H/bench.js" --target parley --url "http://127.0.0.1:$port" --server-pid "$PID" --scenario register --register --users 200 --members 200 >/dev/null 2>&1
}
