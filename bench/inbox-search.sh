#!/usr/bin/env bash
# The mention inbox's search at a million mentions, through HTTP (GET /api/v1/{ws}/mentions?q=... with a personal
# access token), for seven classes of search (rare term, common term, a word in 7 % of mentions, phrase, prefix,
# term + two filters twice), each next to the raw full-text query of the same search (ranked by bm25 / ts_rank, and sorted newest first). Release build,
# demo workspace. Goals: p99 ≤ 50 ms for every class; the portal's resident memory ≤ 300 MB.
# The mentions are seeded straight into the database while the portal is stopped, with the INSERT the portal's ingest
# sends (so the FTS5 triggers / the PostgreSQL generated column index them for real). Everything lives in /tmp and goes.
# Usage: bench/inbox-search.sh [mentions] [requests] [--postgres]   (default 1000000 mentions, 200 requests a class;
#        INBOX_BENCH_RAW=0: the API only, without the raw full-text queries)
#        --postgres: a database of its own on CMPORTAL_TEST_POSTGRES (default the dev server on 127.0.0.1:55432), dropped after;
#        the same mentions seeded by COPY (an INSERT a row gives 1,600/s on a quiet machine).
#        INBOX_BENCH_KEEP=DIR: the seeded data directory (and, with --postgres, the database named in DIR/database) is
#        kept in DIR and used again by the next run with the same DIR, which then skips the demo start and the seeding.
set -euo pipefail
cd "$(dirname "$0")/.."
postgres=
positional=()
for a in "$@"; do if [ "$a" = --postgres ]; then postgres=1; else positional+=("$a"); fi; done
mentions=${positional[0]:-1000000}
requests=${positional[1]:-200}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
keep=${INBOX_BENCH_KEEP:-}
if [ -n "$keep" ]; then mkdir -p "$keep"; data=$keep; else data=$(mktemp -d /tmp/inbox-bench.XXXXXX); fi
reuse=
[ -n "$keep" ] && [ -f "$keep/seeded" ] && reuse=1
pid=
database=
server=${CMPORTAL_TEST_POSTGRES:-Host=127.0.0.1;Port=55432;Username=postgres;Timeout=30}
psql_admin() { PGPASSWORD=postgres psql "host=127.0.0.1 port=$(tr ';' '\n' <<<"$server" | grep -i '^Port=' | cut -d= -f2) user=postgres dbname=postgres" -q "$@"; }
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  [ -n "$keep" ] && return
  [ -n "$database" ] && psql_admin -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1
  rm -rf "$data"
}
trap cleanup EXIT

dotnet build src/CmPortal.Web -c Release --nologo -v q >/dev/null
dotnet build bench/InboxBench -c Release --nologo -v q >/dev/null
web=src/CmPortal.Web/bin/Release/net10.0/CmPortal.Web.dll
bench=bench/InboxBench/bin/Release/net10.0/InboxBench.dll
if [ -n "$postgres" ]; then
  if [ -n "$reuse" ]; then database=$(cat "$keep/database"); else
    database=inbox_bench_$$
    psql_admin -c "CREATE DATABASE $database" >/dev/null
    [ -n "$keep" ] && echo "$database" >"$keep/database"
  fi
  export Database__Provider=Postgres Database__ConnectionString="$server;Database=$database"
  target=(--postgres "$Database__ConnectionString")
else
  target=("$data/cmportal.db")
fi

start_portal() {
  Logging__LogLevel__Default=Warning dotnet "$web" "$@" --data-dir "$data" --urls "http://127.0.0.1:$port" >/dev/null 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/health"; do sleep 0.2; done
}
# The demo workspace, created by a first start; then the mentions and a token, while the portal is stopped.
if [ -z "$reuse" ]; then
  start_portal --demo
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  echo "load before seeding: $(cut -d' ' -f1-3 /proc/loadavg)"
  dotnet "$bench" seed "${target[@]}" maison-lumen "$mentions"
  [ -n "$keep" ] && touch "$keep/seeded"
fi
[ -z "$postgres" ] && echo "database: $(du -h "$data/cmportal.db" | cut -f1)"
token=$(dotnet "$web" token create --email admin@maison-lumen.test --workspace maison-lumen --name bench --data-dir "$data" | tail -n 1)

start_portal
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet "$bench" search "${target[@]}" "http://127.0.0.1:$port" maison-lumen "$token" "$requests" "$pid"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
