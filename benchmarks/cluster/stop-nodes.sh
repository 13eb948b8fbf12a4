#!/bin/bash
mkdir -p "${WORK:=/tmp/cl}" && cd "$WORK"; for f in node*.pid; do [ -f $f ] && kill $(cat $f) 2>/dev/null; rm -f $f; done
[ -f ngx/nginx.pid ] && kill $(cat ngx/nginx.pid) 2>/dev/null; sleep 3; true
