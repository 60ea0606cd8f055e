#!/usr/bin/env bash
# Exactly once through crashes: runs of 500 deliveries ("publish now" on 10 posts × 50 channels: 25 webhooks and
# 25 Mastodon accounts on the tests' local Mastodon), the portal (a real process, SQLite) killed with SIGKILL 0.3–3 s
# after each start and started again on the same data until every post reached its test server, then left to settle.
# Duplicates and lost posts are counted from the test servers' own records. Goal: 0 and 0.
# Lease shortened to 5 s (Publishing__LeaseSeconds; default 120 s) so that a run does not wait 2 minutes after each kill
# for the deliveries the killed process held.
# --scheduled: the posts are scheduled at the next whole minute instead (20 to 80 s ahead), so the portal stages them
# before their instant (staging is on by default; Publishing__StageAheadSeconds=0 turns it off); its first kill falls
# between 2 s before the instant and kill-within after it (staged, taken, sending), the next ones as above.
# Usage: bench/crash-publish.sh [--runs N] [--deliveries N] [--webhook-only] [--kill-within S] [--scheduled]   (default 20 runs of
# 500, kills 0.3–3 s after each start; --kill-within 1.5 kills sooner, while a fast portal is still sending; smoke: --runs 2)
runs=20; deliveries=500; mastodon=--mastodon; kill_within=3; scheduled=
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --deliveries) deliveries=$2; shift 2 ;;
    --webhook-only) mastodon=; shift ;;
    --kill-within) kill_within=$2; shift 2 ;;
    --scheduled) scheduled=--scheduled; shift ;;
    *) echo "usage: $0 [--runs N] [--deliveries N] [--webhook-only] [--kill-within S] [--scheduled]" >&2; exit 2 ;;
  esac
done
source "$(dirname "$0")/publish-setup.sh"
export Publishing__LeaseSeconds=${Publishing__LeaseSeconds:-5}
bench_workspace
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet "$bench" crash --web "$web" --data "$data" --ports "$port_base,$((port_base + 2)),$((port_base + 3))" --token "$token" --workspace bench \
  --runs "$runs" --deliveries "$deliveries" --kill-within "$kill_within" $mastodon $scheduled
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
