#!/usr/bin/env bash
# The README's first command, `npm ci && npm run demo`, against the runtime cache folder given as $1
# (empty on entry): it must install Node.js 24 and n8n from nothing, run the demo workflow and start
# n8n. Stopped once n8n answers after the workflow's output, as a user would stop it with Ctrl-C.
set -euo pipefail
cache="$1"
log="$(mktemp)"
port="${N8N_PORT:-5678}"
started=$(date +%s)
[ -z "$(ls -A "$cache" 2>/dev/null)" ] || { echo "[fresh-demo] $cache is not empty" >&2; exit 2; }

OAUTH2_GRANTS_CACHE="$cache" setsid bash -c 'npm ci && npm run demo' >"$log" 2>&1 &
demo=$!
stop() { kill -TERM -- "-$demo" 2>/dev/null || true; wait "$demo" 2>/dev/null || true; }
trap stop EXIT

deadline=$(( started + 45 * 60 ))
until grep -q '\[demo\] step 5/5' "$log" && curl -fs "http://127.0.0.1:$port/healthz" >/dev/null; do
  if ! kill -0 "$demo" 2>/dev/null; then
    echo "[fresh-demo] the demo exited before n8n was up:" >&2; tail -40 "$log" >&2; exit 1
  fi
  if [ "$(date +%s)" -gt "$deadline" ]; then
    echo "[fresh-demo] no running n8n after 45 minutes:" >&2; tail -40 "$log" >&2; exit 1
  fi
  sleep 5
done
grep '^\[demo\]\|^\[ensure-n8n\]' "$log"
if ! grep -q '\[demo\] workflow status: success; 3 items' "$log"; then
  echo "[fresh-demo] the demo workflow did not succeed with 3 items:" >&2; tail -60 "$log" >&2; exit 1
fi
echo "[fresh-demo] passed in $(( $(date +%s) - started )) s from an empty cache ($cache)"
