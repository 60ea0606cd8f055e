#!/usr/bin/env bash
# Bulk ingestion of mentions through the API (POST /api/v1/{ws}/mentions, batches of 1,000, several concurrent
# clients), with everything the portal does to each: validation, de-duplication (one item in twenty is sent again),
# exact repeats (~15 %), language and sentiment, the full-text index. Counts stored and duplicates; reports mentions/s,
# the portal's CPU per mention and its peak resident memory. Release build, demo workspace, SQLite (or --postgres).
# Goal: ≥ 30,000 mentions/s.
# Usage: bench/inbox-ingest.sh [mentions] [clients] [--postgres]   (default 200000 mentions, 4 clients)
#        INBOX_BENCH_WEB=/path/to/CmPortal.Web.dll runs another build of the portal (e.g. a copy of an older Release
#        output, to compare ingest before and after a change) instead of building this one.
#        INBOX_BENCH_WARMUP=N first sends N other mentions to the same portal, unmeasured, so that the figures are those
#        of a portal whose code is compiled (the JIT's tiers) rather than a freshly started one.
#        INBOX_BENCH_PORTAL_ENV="NAME=value ..." starts the portal with these variables (e.g. DOTNET_TieredPGO=0).
#        INBOX_BENCH_PERF=/path/to/perf.data records a CPU profile of the portal during the ingest (perf record -g, the
#        portal started with DOTNET_PerfMapEnabled=1 so that managed frames have names); read it with
#        perf report -i FILE --children --sort symbol --stdio -g none (docs/inbox.md, "Figures"); FILE.txt is its
#        perf script, resolved while the portal's perf map existed, FILE.map that map (JIT-compiled methods and tiers).
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
  env ${INBOX_BENCH_PORTAL_ENV:-} ${INBOX_BENCH_PERF:+DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0} Logging__LogLevel__Default=Warning dotnet "$web" "$@" --data-dir "$data" --urls "http://127.0.0.1:$port" >/dev/null 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/health"; do sleep 0.2; done
}
start_portal --demo
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
token=$(dotnet "$web" token create --email admin@maison-lumen.test --workspace maison-lumen --name bench --data-dir "$data" | tail -n 1)
start_portal
# CPU the portal spent starting (to /health): what a setting that compiles more up front costs once.
echo "portal started: $(awk '{printf "%.1f s of CPU", ($14 + $15) / 100}' "/proc/$pid/stat")"
if [ "${INBOX_BENCH_WARMUP:-0}" -gt 0 ]; then
  echo "warm-up: $INBOX_BENCH_WARMUP other mentions"
  dotnet "$bench" ingest "http://127.0.0.1:$port" maison-lumen "$token" "$INBOX_BENCH_WARMUP" "$clients" "$pid" 1000000 | sed 's/^/  warm-up: /'
fi
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
recorder=
if [ -n "${INBOX_BENCH_PERF:-}" ]; then
  perf record -F 499 -g -p "$pid" -o "$INBOX_BENCH_PERF" >/dev/null 2>&1 &
  recorder=$!
  sleep 1
  kill -0 "$recorder" 2>/dev/null || { echo "perf record did not start (another profile holding perf_event_mlock_kb?): no profile"; recorder=; }
fi
dotnet "$bench" ingest "http://127.0.0.1:$port" maison-lumen "$token" "$mentions" "$clients" "$pid"
if [ -n "$recorder" ]; then
  kill -INT "$recorder"; wait "$recorder" || true
  # The managed frames' names are in /tmp/perf-PID.map while it lasts: resolved now, and the map kept beside the profile.
  cp "/tmp/perf-$pid.map" "$INBOX_BENCH_PERF.map" 2>/dev/null || true
  perf script -i "$INBOX_BENCH_PERF" -F comm,tid,ip,sym,dso > "$INBOX_BENCH_PERF.txt" 2>/dev/null || true
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
[ -z "$postgres" ] && echo "database: $(du -h "$data/cmportal.db" | cut -f1)"
