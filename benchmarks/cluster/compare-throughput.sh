#!/bin/bash
# throughput.sh's three rows (one SQLite node, one PostgreSQL node, three nodes on the same database) for two or more
# server builds, alternated, each run on a fresh private PostgreSQL (55432, default durability) and Redis (56379) as
# ../shared/bench/cluster-throughput.sh starts them. Prints per run the delivered/s of the three rows and their receipt
# p50 (ms); the ratios to compare are each run's three-node row against its own SQLite row.
#   usage: LT_DLL=<load tool dll> ROUNDS=3 benchmarks/cluster/compare-throughput.sh old=<server build dir> new=<...>
#   (run as root: PostgreSQL runs as the postgres user; WORK: where runs are kept, /tmp/compare-throughput)
set -u
HERE="$(cd "$(dirname "$0")" && pwd)"; WORK=${WORK:-/tmp/compare-throughput}; mkdir -p "$WORK"; chmod 755 "$WORK"
: "${LT_DLL:?the load tool dll}"
for round in $(seq 1 "${ROUNDS:-3}"); do
  for build in "$@"; do
    label=${build%%=*}; run=$WORK/$label-$round; rm -rf "$run"; mkdir -p "$run"
    "$HERE/../private-postgres.sh" start "$run/pg" 55432 -c max_connections=300 || exit 1
    redis-server --port 56379 --bind 127.0.0.1 --save "" --appendonly no --dir "$run" >/dev/null 2>&1 & redis=$!
    WORK=$run/cl DLL=${build#*=} LT_DLL=$LT_DLL bash "$HERE/throughput.sh" >"$run/out.txt" 2>&1
    kill $redis; "$HERE/../private-postgres.sh" stop "$run/pg" immediate
    echo "$label round $round: delivered/s $(grep 'delivered per second' "$run/out.txt" | grep -oE '[0-9,]+ \| messages' | tr -d ',|a-z ' | xargs)," \
      "receipt p50 $(grep 'delivered receipt' "$run/out.txt" | awk -F'|' '{ printf "%d ", $4 }')"
  done
done
