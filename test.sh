#!/usr/bin/env bash
# Runs every test of CmPortal: unit, integration (real Kestrel port; SQLite and PostgreSQL),
# browser (Playwright in Debian's Chromium) and architecture. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"

say() { printf '== %s\n' "$*" >&2; }

# What the tests need from Debian: Chromium for the browser tests (never a browser downloaded by a
# test tool), Hunspell with the French and English dictionaries for the spelling checks, and Grammalecte for French
# grammar (the tests start a real grammalecte-server through the portal), and Python's icalendar to read our calendar feeds
# back independently.
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
ls /usr/lib/*/libhunspell-1.7.so.0 >/dev/null 2>&1 || need+=(libhunspell-1.7-0)
[ -f /usr/share/hunspell/fr_FR.dic ] || [ -f /usr/share/hunspell/fr.dic ] || need+=(hunspell-fr)
[ -f /usr/share/hunspell/en_US.dic ] || need+=(hunspell-en-us)
[ -x /usr/bin/grammalecte-server ] || need+=(grammalecte-cli)
/usr/bin/python3 -c 'import grammalecte' >/dev/null 2>&1 || need+=(python3-grammalecte)
/usr/bin/python3 -c 'import icalendar' >/dev/null 2>&1 || need+=(python3-icalendar)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    say "installing ${need[*]} (apt)"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null \
      || { echo "error: could not install ${need[*]} with apt-get" >&2; exit 1; }
  else
    echo "error: the tests need Debian packages: sudo apt-get install ${need[*]}" >&2; exit 1
  fi
fi

# A throwaway PostgreSQL cluster for the PostgreSQL tests (the server is on the image).
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$pg_bin" ]; then echo "error: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; fi
pg_dir=$(mktemp -d /tmp/cmportal-pg.XXXXXX)
pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$pg_dir"
as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust -E UTF8 >/dev/null \
  || { echo "error: initdb failed" >&2; exit 1; }
as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
  -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null \
  || { cat "$pg_dir/server.log" >&2; echo "error: PostgreSQL did not start" >&2; exit 1; }
stop_pg() { as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1; rm -rf "$pg_dir"; }
trap stop_pg EXIT
export CMPORTAL_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Timeout=30"
say "PostgreSQL on port $pg_port"

# Bluesky's reference PDS (npm, pinned by tests/bluesky-pds/package-lock.json), which the Bluesky tests start; the
# first install compiles better-sqlite3 (a few minutes), later runs skip it.
tests/bluesky-pds/install.sh || { echo "error: could not install the Bluesky PDS (tests/bluesky-pds/install.sh)" >&2; exit 1; }

log=$(mktemp /tmp/cmportal-test.XXXXXX.log)
dotnet test CmPortal.sln --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Each test project prints "Passed!  - Failed: F, Passed: P, Skipped: S, Total: T"; add them up.
read -r passed failed skipped < <(grep -E '(Passed|Failed)! +- Failed:' "$log" \
  | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/' \
  | awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
projects=$(grep -cE '(Passed|Failed)! +- Failed:' "$log")
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; say "the test run failed before all tests ran (build error?)"; fi
if [ "$projects" -lt 2 ]; then say "expected 2 test projects, saw $projects"; [ "$failed" -eq 0 ] && failed=1; fi
if [ "$skipped" -gt 0 ]; then echo "$passed passed, $failed failed, $skipped skipped"; else echo "$passed passed, $failed failed"; fi
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
