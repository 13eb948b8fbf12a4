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
