#!/bin/bash
# usage: start-nodes.sh N sqlite|cluster  -> N nodes on ports 5301.., nginx (Debian) in front on 5300.
# cluster: a PostgreSQL database ($PG) and a redis-server ($REDIS) must be running; the defaults are a private pair
# (`../private-postgres.sh start /tmp/pg 55432 -c max_connections=300`; redis-server --port 56379). DLL: a Release build of src/Parley.Server
# (dotnet build src/Parley.Server -c Release -o /tmp/parley-final); LT_DLL: one of tools/Parley.LoadTest.
# The load tool registers its users at once: with the default 600,000 PBKDF2 iterations that takes minutes on 2 cores
# (past the hash queue wait and the load tool timeout), so benchmark nodes hash with 1,000 (logins only; not measured).
# RANDOM_ID: a fresh Orleans cluster id per run. NODE_ARGS: more settings for every node (--Parley:...=...). WORK: where data, logs and pid files go (/tmp/cl).
set -e
N=$1; MODE=$2; mkdir -p "${WORK:=/tmp/cl}" && cd "$WORK"
ulimit -n $(ulimit -Hn) || true
for i in $(seq 1 $N); do
  port=$((5300+i)); rm -rf data$i; mkdir -p data$i media
  if [ "$MODE" = cluster ]; then
    extra="--Parley:Storage:Provider=postgres --Parley:Storage:Postgres=${PG:-Host=127.0.0.1;Port=55432;Username=parley;Database=parley;MaxPoolSize=50} --Parley:Cluster:Provider=redis --Parley:Cluster:Redis=${REDIS:-127.0.0.1:56379} --Parley:Cluster:ClusterId=bench$RANDOM_ID --Parley:Cluster:SiloPort=$((11110+i)) --Parley:Media:Directory=$WORK/media"
  else extra=""; fi
  nohup dotnet ${DLL:-/tmp/parley-final}/Parley.Server.dll --urls http://127.0.0.1:$port --data $WORK/data$i \
    --Parley:RateLimits:Enabled=false --Parley:Auth:HashQueueTimeout=00:05:00 --Parley:Auth:PasswordIterations=1000 --Parley:Cluster:ProbeTimeout=00:00:02 --Parley:Cluster:MissedProbesLimit=2 --Parley:Cluster:AdminToken=admintoken $extra ${NODE_ARGS:-} >node$i.log 2>&1 &
  echo $! > node$i.pid
done
for i in $(seq 1 $N); do
  for t in $(seq 1 120); do curl -fsS http://127.0.0.1:$((5300+i))/healthz >/dev/null 2>&1 && break; sleep 0.5; done
done
servers=""; for i in $(seq 1 $N); do servers="$servers server 127.0.0.1:$((5300+i)) max_fails=1 fail_timeout=2s;"; done
mkdir -p ngx; cat > ngx/nginx.conf <<NG
worker_processes 1; error_log $WORK/ngx/error.log warn; pid $WORK/ngx/nginx.pid;
events { worker_connections 4096; }
http { access_log off; client_body_temp_path $WORK/ngx/body; proxy_temp_path $WORK/ngx/proxy;
 fastcgi_temp_path $WORK/ngx/f; uwsgi_temp_path $WORK/ngx/u; scgi_temp_path $WORK/ngx/s;
 upstream parley { $servers }
 map \$http_upgrade \$connection_upgrade { default upgrade; '' close; }
 server { listen 127.0.0.1:5300; location / { proxy_pass http://parley; proxy_http_version 1.1;
  proxy_set_header Upgrade \$http_upgrade; proxy_set_header Connection \$connection_upgrade; proxy_set_header Host \$host;
  proxy_read_timeout 3600s; proxy_next_upstream error timeout; proxy_connect_timeout 2s; } } }
NG
/usr/sbin/nginx -p $WORK/ngx -c $WORK/ngx/nginx.conf
echo started $N $MODE
