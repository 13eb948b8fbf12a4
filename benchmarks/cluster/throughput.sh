#!/bin/bash
# Cluster throughput with the project's load tool, in one run: pairs on one SQLite node, one cluster node, three
# cluster nodes (through nginx, so most pairs are split across nodes). See the header of start-nodes.sh.
mkdir -p "${WORK:=/tmp/cl}" && cd "$WORK"
export DLL=${DLL:-/tmp/parley-final}; HERE="$(cd "$(dirname "$0")" && pwd)"
LT="dotnet ${LT_DLL:-/tmp/lt/parley-loadtest.dll}"
run() { # label
  $LT pairs --url http://127.0.0.1:5300 --prefix $1$(date +%M%S) --users 200 --window 16 --duration 15 --report $WORK/lt-$1 --timeout 300 > $WORK/lt-$1.log 2>&1
  echo "== $1 (exit $?, load average after: $(cut -d' ' -f1-3 /proc/loadavg))"; grep -iE "messages/s|delivered|lost|duplicat|error|cpu" $WORK/lt-$1.md | head -12
}
"$HERE"/start-nodes.sh 1 sqlite >/dev/null && run s1; "$HERE"/stop-nodes.sh
RANDOM_ID=g1$(date +%s) "$HERE"/start-nodes.sh 1 cluster >/dev/null && run c1; "$HERE"/stop-nodes.sh
RANDOM_ID=g3$(date +%s) "$HERE"/start-nodes.sh 3 cluster >/dev/null && run c3
"$HERE"/stop-nodes.sh
