#!/bin/bash
# How much of a node's CPU the JIT takes while it warms up under load, and what the runtime's tiering settings do to the
# load tool's pairs, cold (the first 15 s of fresh nodes, as throughput.sh measures) and warm (45-75 s), alternated in
# one window. For each setting and round: fresh nodes (start-nodes.sh: 1 SQLite node, or N cluster nodes on the private
# PostgreSQL and Redis it expects), pairs, and the CPU of the nodes' tiered-compilation threads sampled every second.
#   usage: DLL=<server build dir> LT_DLL=<load tool dll> jit-share.sh
#   env:   SETTINGS: label=VARIABLE=value pairs, one server environment each ("default=X=1 tiering-off=DOTNET_TieredCompilation=0
#          pgo-off=DOTNET_TieredPGO=0"; X=1 is no setting), ROUNDS (2), NODES (3: the cluster rows; 0 skips them),
#          WARM (1: also the warm rows, measured 45-75 s), WORK (/tmp/jit-share)
#   The cluster rows need PostgreSQL on 127.0.0.1:55432 (user parley, database parley) and Redis on 56379, as
#   start-nodes.sh says; each cluster row's nodes start on a database of their own (created here), a fresh Orleans
#   cluster id and fresh data directories.
set -u
HERE="$(cd "$(dirname "$0")" && pwd)"; WORK=${WORK:-/tmp/jit-share}; mkdir -p "$WORK"
SETTINGS=${SETTINGS:-default=X=1 tiering-off=DOTNET_TieredCompilation=0 pgo-off=DOTNET_TieredPGO=0}; ROUNDS=${ROUNDS:-2}; NODES=${NODES:-3}
LT="dotnet ${LT_DLL:?the load tool dll}"; : "${DLL:?a Release build of src/Parley.Server}"
jit_sampler() { # pids...: prints the JIT threads' share of the nodes' CPU until killed
  exec python3 - "$@" <<'PY'
import os, sys, time, signal
pids = sys.argv[1:]; seen = {}; total = [0, 0]
def ticks(path):
    f = open(path).read().rsplit(')', 1)[1].split(); return int(f[11]) + int(f[12])
def sample():
    proc = jit = 0
    for p in pids:
        try: proc += ticks(f'/proc/{p}/stat'); tasks = os.listdir(f'/proc/{p}/task')
        except OSError: continue
        for tid in tasks:
            try:
                if 'Tiered' in open(f'/proc/{p}/task/{tid}/comm').read(): v = ticks(f'/proc/{p}/task/{tid}/stat'); jit += v - seen.get(tid, 0); seen[tid] = v
            except OSError: pass
    return proc, jit
p0, _ = sample()
def done(*_):
    p1, j = sample(); total[1] += j
    print(f'JIT threads {100 * total[1] / max(p1 - p0, 1):.0f} % of the nodes\' CPU'); sys.exit(0)
signal.signal(signal.SIGTERM, done)
while True:
    time.sleep(1); total[1] += sample()[1]
PY
}
one() { # label mode nodes warmup duration env
  local label=$1 mode=$2 n=$3 w=$4 d=$5 env=$6 sampler file
  file=$(echo "$label" | tr ' ' '-')
  local db="js$(date +%s%N)"
  [ "$mode" = cluster ] && "$(ls -d /usr/lib/postgresql/*/bin | tail -1)/createdb" -h 127.0.0.1 -p 55432 -U parley "$db"
  env "$env" PG="Host=127.0.0.1;Port=55432;Username=parley;Database=$db;MaxPoolSize=50" WORK="$WORK/nodes" DLL="$DLL" \
    RANDOM_ID="js$label$RANDOM" "$HERE/start-nodes.sh" "$n" "$mode" >/dev/null
  jit_sampler $(cat "$WORK"/nodes/node*.pid) > "$WORK/jit-$file.txt" & sampler=$!
  $LT pairs --url http://127.0.0.1:5300 --prefix "j$RANDOM" --users 200 --window 16 --warmup "$w" --duration "$d" \
    --report "$WORK/lt-$file" --timeout 300 > "$WORK/lt-$file.log" 2>&1
  kill -TERM $sampler; wait $sampler 2>/dev/null
  printf '%-28s %s delivered/s, receipt p50 %s ms, %s, level 2: %s, lost/dup/errors %s\n' "$label" \
    "$(awk -F'|' '/delivered per second/ { gsub(/ /, "", $3); print $3 }' "$WORK/lt-$file.md")" \
    "$(awk -F'|' '/send → delivered receipt/ { gsub(/ /, "", $4); print $4 }' "$WORK/lt-$file.md")" "$(cat "$WORK/jit-$file.txt")" \
    "$(cat "$WORK"/nodes/node*.log | grep -c 'rose to 2')" \
    "$(awk -F'|' '/^\| (lost|duplicat|errors)/ { gsub(/ /, "", $3); printf "%s/", $3 }' "$WORK/lt-$file.md")"
  WORK="$WORK/nodes" "$HERE/stop-nodes.sh"; rm -f "$WORK"/nodes/node*.log
}
rounds() { # cold|warm warmup duration: every setting, ROUNDS times, the cluster row then the SQLite row
  for r in $(seq 1 "$ROUNDS"); do
    for s in $SETTINGS; do
      [ "$NODES" -gt 0 ] && one "$1 ${NODES} nodes ${s%%=*} $r" cluster "$NODES" "$2" "$3" "${s#*=}"
      one "$1 1 SQLite ${s%%=*} $r" sqlite 1 "$2" "$3" "${s#*=}"
    done
  done
}
echo "== pairs, 200 users, window 16; load average $(cut -d' ' -f1-3 /proc/loadavg)"
rounds cold 2 15
[ "${WARM:-1}" = 1 ] && rounds warm 45 75
echo "== load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
