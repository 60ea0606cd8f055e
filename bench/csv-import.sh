#!/usr/bin/env bash
# Issue 9, "CSV import of 10,000 rows: time and peak memory".
# Starts the portal in Release on a fresh SQLite data directory with the demo workspace (which holds no post yet),
# then bench/CsvImportBench uploads a generated 10,000-line French CSV file, previews it, imports it (one
# transaction, in the background) and follows the progress; it prints the times and the server's memory (VmRSS/VmHWM).
# Usage: bench/csv-import.sh [rows]   (default 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-10000}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
data=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$data"; }
trap cleanup EXIT
dotnet build src/CmPortal.Web -c Release --nologo -v q >/dev/null
dotnet build bench/CsvImportBench -c Release --nologo -v q >/dev/null
Logging__LogLevel__Default=Warning dotnet src/CmPortal.Web/bin/Release/net10.0/CmPortal.Web.dll --demo \
  --data-dir "$data" --urls "http://127.0.0.1:$port" >/dev/null 2>&1 &
pid=$!
until curl -sf -o /dev/null "http://127.0.0.1:$port/health"; do sleep 0.2; done
dotnet bench/CsvImportBench/bin/Release/net10.0/CsvImportBench.dll "http://127.0.0.1:$port" "$pid" "$rows"
