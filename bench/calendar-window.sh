#!/usr/bin/env bash
# The content calendar's window of one month through HTTP (GET /api/v1/{ws}/calendar with a personal access token)
# in a workspace holding 20,000 posts (500 never-ending weekly rules), next to the same rows read by a plain SQL query,
# in the same run. Release build, demo workspace, SQLite. Goal: p99 ≤ 30 ms.
# Usage: bench/calendar-window.sh [requests]   (default 500)
set -euo pipefail
cd "$(dirname "$0")/.."
requests=${1:-500}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
data=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$data"; }
trap cleanup EXIT

dotnet build src/CmPortal.Web -c Release --nologo -v q >/dev/null
dotnet build bench/CalendarBench -c Release --nologo -v q >/dev/null
web=src/CmPortal.Web/bin/Release/net10.0/CmPortal.Web.dll
bench=bench/CalendarBench/bin/Release/net10.0/CalendarBench.dll

# The demo workspace, created by a first start; then the posts and a token, while the portal is stopped.
Logging__LogLevel__Default=Warning dotnet "$web" --demo --data-dir "$data" --urls "http://127.0.0.1:$port" >/dev/null 2>&1 &
pid=$!
until curl -sf -o /dev/null "http://127.0.0.1:$port/health"; do sleep 0.2; done
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
dotnet "$bench" seed "$data/cmportal.db" maison-lumen
token=$(dotnet "$web" token create --email admin@maison-lumen.test --workspace maison-lumen --name bench --data-dir "$data" | tail -n 1)

Logging__LogLevel__Default=Warning dotnet "$web" --data-dir "$data" --urls "http://127.0.0.1:$port" >/dev/null 2>&1 &
pid=$!
until curl -sf -o /dev/null "http://127.0.0.1:$port/health"; do sleep 0.2; done
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet "$bench" measure "$data/cmportal.db" "http://127.0.0.1:$port" maison-lumen "$token" "$requests" "$pid"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
