#!/usr/bin/env bash
# Throughput of the public community charter page next to a static file of the same size,
# both served by the same host (Release build, demo brand, SQLite), measured with wrk.
# Usage: bench/charter-page.sh [seconds] [connections]   (default 20 s, 32 connections; needs `apt-get install wrk`)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
connections=${2:-32}
command -v wrk >/dev/null || { echo "error: wrk is missing: apt-get install wrk" >&2; exit 1; }
static_dir=src/CmPortal.Web/wwwroot/bench
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
data=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$data" "$static_dir"; }
trap cleanup EXIT

start() {
  dotnet build src/CmPortal.Web -c Release --nologo -v q >/dev/null
  Logging__LogLevel__Default=Warning dotnet src/CmPortal.Web/bin/Release/net10.0/CmPortal.Web.dll --demo \
    --data-dir "$data" --urls "http://127.0.0.1:$port" >/dev/null 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/health"; do sleep 0.1; done
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }

# 1. The charter page as the public sees it, to size the static file like it.
start
page=$(mktemp)
curl -sf "http://127.0.0.1:$port/maison-lumen/charter" -o "$page"
size=$(stat -c %s "$page")
stop
# 2. A static file of the same size (the static assets are listed at build time, hence the rebuild).
mkdir -p "$static_dir"
cp "$page" "$static_dir/charter-copy.html"
rm -f "$page"
start

run() {
  local url=$1
  wrk -t2 -c"$connections" -d5s "$url" >/dev/null   # warm-up: JIT tiers settle (and the charter page fills the output cache)
  wrk -t2 -c"$connections" -d"${seconds}s" --latency "$url" | awk -v name="$2" '
    /Requests\/sec/ { rps = $2 }
    /^ +99%/ { p99 = $2 }
    /Non-2xx/ { errors = $NF }
    END { printf "%-28s %10s req/s   p99 %8s%s\n", name, rps, p99, errors ? "   NON-2XX: " errors : "" }'
}
echo "page size: $size bytes; $connections connections, ${seconds} s each, wrk -t2; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
charter=$(run "http://127.0.0.1:$port/maison-lumen/charter" "charter page (/charter)")
echo "$charter"
static=$(run "http://127.0.0.1:$port/bench/charter-copy.html" "static file, same size")
echo "$static"
rps() { grep -oE '[0-9.]+ req/s' <<<"$1" | cut -d' ' -f1; }
awk -v a="$(rps "$charter")" -v b="$(rps "$static")" \
  'BEGIN { if (b > 0) printf "charter page / static file: %.0f %%\n", 100 * a / b }'
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
