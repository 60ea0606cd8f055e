#!/usr/bin/env bash
# Bulk ingestion of mentions through the API (POST /api/v1/{ws}/mentions, batches of 1,000, several concurrent
# clients), with everything the portal does to each: validation, de-duplication (one item in twenty is sent again),
# exact repeats (~15 %), language and sentiment, the full-text index. Counts stored and duplicates; reports mentions/s,
# the portal's CPU per mention and its peak resident memory. Release build, demo workspace, SQLite (or --postgres).
# Goal: ≥ 30,000 mentions/s.
# Usage: bench/inbox-ingest.sh [mentions] [clients] [--postgres]   (default 200000 mentions, 4 clients)
#        INBOX_BENCH_WEB=/path/to/CmPortal.Web.dll runs another build of the portal (e.g. a copy of an older Release
#        output, to compare ingest before and after a change) instead of building this one.
set -euo pipefail
cd "$(dirname "$0")/.."
postgres=
positional=()
for a in "$@"; do if [ "$a" = --postgres ]; then postgres=1; else positional+=("$a"); fi; done
mentions=${positional[0]:-200000}
clients=${positional[1]:-4}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
data=$(mktemp -d /tmp/inbox-bench.XXXXXX)
pid=
database=
server=${CMPORTAL_TEST_POSTGRES:-Host=127.0.0.1;Port=55432;Username=postgres;Timeout=30}
psql_admin() { psql "host=127.0.0.1 port=$(tr ';' '\n' <<<"$server" | grep -i '^Port=' | cut -d= -f2) user=postgres dbname=postgres" -q "$@"; }
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  [ -n "$database" ] && psql_admin -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1
  rm -rf "$data"
}
trap cleanup EXIT

[ -z "${INBOX_BENCH_WEB:-}" ] && dotnet build src/CmPortal.Web -c Release --nologo -v q >/dev/null
dotnet build bench/InboxBench -c Release --nologo -v q >/dev/null
web=${INBOX_BENCH_WEB:-src/CmPortal.Web/bin/Release/net10.0/CmPortal.Web.dll}
bench=bench/InboxBench/bin/Release/net10.0/InboxBench.dll
if [ -n "$postgres" ]; then
  database=inbox_bench_$$
  psql_admin -c "CREATE DATABASE $database" >/dev/null
  export Database__Provider=Postgres Database__ConnectionString="$server;Database=$database"
fi

start_portal() {
  Logging__LogLevel__Default=Warning dotnet "$web" "$@" --data-dir "$data" --urls "http://127.0.0.1:$port" >/dev/null 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/health"; do sleep 0.2; done
}
start_portal --demo
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
token=$(dotnet "$web" token create --email admin@maison-lumen.test --workspace maison-lumen --name bench --data-dir "$data" | tail -n 1)
start_portal
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet "$bench" ingest "http://127.0.0.1:$port" maison-lumen "$token" "$mentions" "$clients" "$pid"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
[ -z "$postgres" ] && echo "database: $(du -h "$data/cmportal.db" | cut -f1)"
