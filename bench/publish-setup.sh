# Sourced by crash-publish.sh, two-node-publish.sh and publish-lateness.sh: Release builds, a fresh data folder with
# one workspace "bench" (recipe blank, time zone UTC, set up by the CLI) and a personal access token for the API.
# Ports: BENCH_PORT_BASE (default 5620) and the next few. Leaves $web, $bench, $data, $token, $port_base.
set -euo pipefail
cd "$(dirname "$0")/.."
port_base=${BENCH_PORT_BASE:-5620}
data=$(mktemp -d /tmp/cmportal-publish-bench.XXXXXX)
cleanup_hooks=()
# Portals still running (the bench program died first) are killed by the pid files it writes; hooks run last added first.
cleanup() {
  for f in "$data"/portal-*.pid; do [ -f "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null || true; done
  for ((i = ${#cleanup_hooks[@]} - 1; i >= 0; i--)); do ${cleanup_hooks[i]}; done
  if [ -n "${BENCH_KEEP:-}" ]; then echo "data kept in $data"; else rm -rf "$data"; fi
}
trap cleanup EXIT

dotnet build src/CmPortal.Web -c Release --nologo -v q >/dev/null
# The bench program goes into the run's own folder: a bench already running keeps its files.
dotnet build bench/PublishBench -c Release --nologo -v q -o "$data/bench" >/dev/null
web=$PWD/src/CmPortal.Web/bin/Release/net10.0/CmPortal.Web.dll
bench=$data/bench/PublishBench.dll
export Logging__LogLevel__Default=Warning

bench_workspace() {
  dotnet "$web" setup --admin-email bench@example.test --admin-password "bench-publish-$(date +%s)" --recipe recipes/blank.recipe.json \
    --param key=bench --param name=Bench --param timeZone=UTC --data-dir "$data" >/dev/null
  token=$(dotnet "$web" token create --email bench@example.test --workspace bench --name bench --data-dir "$data" | tail -n 1)
}
