#!/usr/bin/env bash
# Measures, on a Release build and a fresh SQLite data folder, how long `recipe apply` takes for a recipe of
# N "keyDates" steps of one key date each (plus a workspace and a modules step): the time the runner reports
# (checking and applying), and the whole process (start, migrations, reading the file included).
# A runner whose cost per step grows with the steps already applied shows here: 10,000 steps should take
# about ten times as long as 1,000, not a hundred times.
# Usage: bench/recipe-steps.sh [steps] [runs]   (defaults 10000 and 3; prints each run and the median)
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-10000}
runs=${2:-3}
dotnet build src/CmPortal.Web -c Release --nologo -v q >/dev/null
dll=src/CmPortal.Web/bin/Release/net10.0/CmPortal.Web.dll
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

recipe=$(mktemp --suffix=.recipe.json)
trap 'rm -f "$recipe"' EXIT
python3 - "$steps" >"$recipe" <<'PY'
import json, sys
n = int(sys.argv[1])
steps = [{"step": "workspace", "key": "bench", "name": "Bench"}, {"step": "modules", "enable": ["KeyDates"]}]
steps += [{"step": "keyDates", "keyDates": [{"id": f"date-{i}", "title": f"Date {i}",
           "start": f"2027-{i % 12 + 1:02}-{i % 28 + 1:02}"}]} for i in range(n)]
json.dump({"name": "bench", "description": f"{n} keyDates steps", "steps": steps}, sys.stdout, indent=1)
PY
echo "recipe: $steps keyDates steps, $(stat -c %s "$recipe") bytes"

apply=(); process=()
for i in $(seq "$runs"); do
  data=$(mktemp -d)
  start=$(date +%s%N)
  out=$(Logging__LogLevel__Default=Warning dotnet "$dll" recipe apply "$recipe" --data-dir "$data" | grep -E '^Applied ')
  process+=("$(ms "$start")")
  apply+=("$(echo "$out" | sed -E 's/.* in ([0-9]+) ms\./\1/')")
  rm -rf "$data"
  echo "run $i: $steps steps applied in ${apply[-1]} ms (whole command ${process[-1]} ms)"
done
echo "median over $runs runs: $steps keyDates steps applied in $(printf '%s\n' "${apply[@]}" | median) ms" \
  "(whole recipe apply command $(printf '%s\n' "${process[@]}" | median) ms)"
