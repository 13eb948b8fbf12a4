#!/bin/bash
# What PostgreSQL's client backends are doing while a load runs: pg_stat_activity sampled every 50 ms for N seconds
# (one psql session, \watch), each active backend counted by its wait event (CPU when none) and the start of its
# statement. A backend waiting in Lock:* is queued behind another transaction's row lock; Client:ClientRead while
# active is a backend in the middle of a pipelined batch waiting for the rest of it from the node.
#   usage: benchmarks/cluster/pg-waits.sh [seconds (8)]   (the private PostgreSQL start-nodes.sh expects; PGPORT,
#          PGDATABASE override: 55432, parley)
N=${1:-8}
timeout "$N" psql -h 127.0.0.1 -p "${PGPORT:-55432}" -U parley -d "${PGDATABASE:-parley}" -At <<'SQL' 2>/dev/null |
select coalesce(wait_event_type, 'CPU') || ':' || coalesce(wait_event, '-') || '  ' || left(regexp_replace(query, '\s+', ' ', 'g'), 45)
from pg_stat_activity where state = 'active' and pid <> pg_backend_pid() and backend_type = 'client backend' \watch 0.05
SQL
  grep -v '^$' | sort | uniq -c | sort -rn | head -25
