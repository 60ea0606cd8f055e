#!/usr/bin/env bash
# Measures, on a Release build and a fresh SQLite data folder:
#   1. time from process start to the first 200 on /health (migrations and scheduler included);
#   2. time to apply the demo recipe (as the runner reports it, and the whole `recipe apply` process).
# Usage: bench/startup.sh [runs]   (default 5; prints each run and the median)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
dotnet build src/CmPortal.Web -c Release --nologo -v q >/dev/null
dll=src/CmPortal.Web/bin/Release/net10.0/CmPortal.Web.dll
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

first200=(); apply=(); process=()
for i in $(seq "$runs"); do
  data=$(mktemp -d)
  start=$(date +%s%N)
  dotnet "$dll" --data-dir "$data" --urls "http://127.0.0.1:$port" >/dev/null 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/health"; do sleep 0.01; done
  first200+=("$(ms "$start")")
  kill "$pid"; wait "$pid" 2>/dev/null || true

  start=$(date +%s%N)
  out=$(Logging__LogLevel__Default=Warning dotnet "$dll" recipe apply recipes/demo.recipe.json --data-dir "$data" | grep -E '^Applied ')
  process+=("$(ms "$start")")
  apply+=("$(echo "$out" | sed -E 's/.* in ([0-9]+) ms\./\1/')")
  rm -rf "$data"
  echo "run $i: first 200 after ${first200[-1]} ms; demo recipe applied in ${apply[-1]} ms (whole command ${process[-1]} ms)"
done
echo "median over $runs runs: first 200 $(printf '%s\n' "${first200[@]}" | median) ms;" \
  "demo recipe $(printf '%s\n' "${apply[@]}" | median) ms (whole recipe apply command $(printf '%s\n' "${process[@]}" | median) ms)"
