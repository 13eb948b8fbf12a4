#!/bin/bash
# Grain distribution on 3 nodes with 300 idle users (the load tool), then node 3 SIGKILLed: which grains moved.
# See the header of start-nodes.sh.
mkdir -p "${WORK:=/tmp/cl}" && cd "$WORK"
export DLL=${DLL:-/tmp/parley-final}; HERE="$(cd "$(dirname "$0")" && pwd)"
LT="dotnet ${LT_DLL:-/tmp/lt/parley-loadtest.dll}"
dist() { curl -s -H "Authorization: Bearer admintoken" http://127.0.0.1:5301/v1/admin/cluster; echo; }
RANDOM_ID=h5 "$HERE"/start-nodes.sh 3 cluster >/dev/null
P=only$(date +%M%S)
$LT idle --url http://127.0.0.1:5300 --prefix $P --conns 300 --users 300 --settle 50 --report $WORK/lt-idle2 --timeout 300 > $WORK/lt-idle2.log 2>&1 &
LTPID=$!
for i in $(seq 1 200); do n=$(dist | grep -o '"userGrains":[0-9]*' | cut -d: -f2 | paste -sd+ | bc); [ "${n:-0}" -ge 300 ] && break; sleep 1; done
sleep 3; echo "== 300 idle users connected ($(date +%T)):"; dist
kill -9 $(cat node3.pid); rm -f node3.pid; echo "node 3 SIGKILLed at $(date +%T)"
sleep 20; echo "== 20 s later:"; dist
wait $LTPID; echo "idle run exit $?"; grep -iE "still online|came online|errors" $WORK/lt-idle2.md | head
"$HERE"/stop-nodes.sh
