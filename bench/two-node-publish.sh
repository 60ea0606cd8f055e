#!/usr/bin/env bash
# Two portal nodes (real processes) on one PostgreSQL database dispatching the same outbox: 10,000 deliveries (100
# posts scheduled at the next whole minute on 100 webhook channels), test servers answering after ~50 ms. Counted by
# the test servers: duplicates, lost posts, and each node's share (the process owning the connection each delivery
# came on). Goal: 0 duplicates, 0 lost, both nodes a share.
# PostgreSQL: CMPORTAL_TEST_POSTGRES when set (a throwaway database is made on it and dropped), else a throwaway
# cluster started here (as test.sh does).
# Usage: bench/two-node-publish.sh [--deliveries N] [--channels N] [--answer-ms N]   (smoke: --deliveries 1000)
extra=("$@")
source "$(dirname "$0")/publish-setup.sh"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$pg_bin" ] || { echo "error: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ -z "${CMPORTAL_TEST_POSTGRES:-}" ]; then
  pg_dir=$(mktemp -d /tmp/cmportal-bench-pg.XXXXXX)
  pg_port=$((port_base + 5))
  [ "$(id -u)" = 0 ] && chown postgres "$pg_dir"
  as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust -E UTF8 >/dev/null
  as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
    -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
  stop_pg() { as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1; rm -rf "$pg_dir"; }
  cleanup_hooks+=(stop_pg)
  server="Host=127.0.0.1;Port=$pg_port;Username=postgres;Timeout=30"
  echo "PostgreSQL: a throwaway cluster on port $pg_port"
else
  server=$CMPORTAL_TEST_POSTGRES
  echo "PostgreSQL: CMPORTAL_TEST_POSTGRES, a throwaway database"
fi
database=cmportal_bench_$(date +%s)_$$
setting() { tr ';' '\n' <<<"$server" | grep -i "^$1=" | head -n 1 | cut -d= -f2-; }
psql_admin() { PGPASSWORD=$(setting Password) "$pg_bin/psql" -h "$(setting Host)" -p "$(setting Port)" -U "$(setting Username)" -d postgres -q "$@"; }
drop_db() { psql_admin -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1 || true; }
psql_admin -c "CREATE DATABASE $database" >/dev/null
cleanup_hooks+=(drop_db)
export Database__Provider=Postgres Database__ConnectionString="$server;Database=$database"
bench_workspace
dotnet "$bench" two-node --web "$web" --data "$data" --ports "$port_base,$((port_base + 1)),$((port_base + 2))" --token "$token" --workspace bench "${extra[@]}"
