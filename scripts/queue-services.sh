#!/usr/bin/env bash
# Redis and PostgreSQL for n8n's queue mode, on 127.0.0.1, in a folder of their own, on ports of
# their own: a machine's own services (and other test runs) are never touched.
#
#   scripts/queue-services.sh start DIR   installs Debian's redis-server and postgresql if missing
#                                         (as root), starts both, prints KEY=VALUE lines
#   scripts/queue-services.sh stop DIR    stops what `start DIR` started
#
# REDIS_PORT and PG_PORT pick the ports (default: free ones). Running `start` twice on one DIR
# prints the same values again.
set -euo pipefail
# runuser, apt-get and the PostgreSQL tools live in sbin, which a minimal PATH (env -i, cron) lacks.
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

cmd="${1:-}"
dir="${2:-}"
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|stop DIR" >&2
  exit 2
fi
log() { echo "[queue-services] $*" >&2; }

pg_bin() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  [ -n "$found" ] && [ -x "$found/initdb" ] && echo "$found"
}

# PostgreSQL refuses to run as root: as root, its commands run as the `postgres` user.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

ensure_installed() {
  local missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  pg_bin >/dev/null || missing+=(postgresql)
  [ ${#missing[@]} -eq 0 ] && return
  if [ "$(id -u)" != 0 ]; then
    echo "missing: ${missing[*]}; install them (Debian: apt-get install -y ${missing[*]}) or run as root" >&2
    exit 1
  fi
  log "installing ${missing[*]}"
  # Debian's policy-rc.d in containers keeps the packages' own services from starting; either way
  # this script starts its own instances.
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >&2; then
    apt-get update >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >&2
  fi
}

redis_alive() { [ -f "$dir/redis.pid" ] && kill -0 "$(cat "$dir/redis.pid")" 2>/dev/null; }
pg_alive() { [ -f "$dir/pg/postmaster.pid" ] && as_pg "$(pg_bin)/pg_ctl" -D "$dir/pg" status >/dev/null 2>&1; }

start() {
  ensure_installed
  mkdir -p "$dir"
  # The postgres user must reach its data folder inside DIR.
  chmod 755 "$dir"
  if [ -f "$dir/services.env" ] && redis_alive && pg_alive; then
    cat "$dir/services.env"
    return
  fi
  if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$dir"; then
    echo "the postgres user cannot reach $dir: make DIR a folder of its own directly in /tmp, e.g. DIR=$(mktemp -d)" >&2
    exit 1
  fi
  # A start that fails half-way stops what it started.
  trap 'stop' EXIT
  local redis_port="${REDIS_PORT:-$(free_port)}"
  local pg_port="${PG_PORT:-$(free_port)}"
  local bin
  bin=$(pg_bin)

  mkdir -p "$dir/redis"
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no \
    --dir "$dir/redis" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --daemonize yes >&2
  for _ in $(seq 1 50); do
    redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null | grep -q PONG && break
    sleep 0.2
  done
  redis-cli -h 127.0.0.1 -p "$redis_port" ping | grep -q PONG
  log "redis on 127.0.0.1:$redis_port"

  if [ ! -f "$dir/pg/PG_VERSION" ]; then
    mkdir -p "$dir/pg"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir/pg"
    chmod 700 "$dir/pg"
    # Local socket: trust (only this script uses it); TCP, which n8n uses: password.
    as_pg "$bin/initdb" -D "$dir/pg" -U postgres -E UTF8 --locale=C \
      --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
  fi
  as_pg "$bin/pg_ctl" -D "$dir/pg" -l "$dir/pg/server.log" -w -t 60 \
    -o "-p $pg_port -k $dir/pg -c listen_addresses=127.0.0.1 -c fsync=off" start >&2
  as_pg "$bin/psql" -h "$dir/pg" -p "$pg_port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q >&2 <<'SQL'
SELECT 'CREATE ROLE n8n LOGIN PASSWORD ''n8n-queue-pass''' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'n8n')\gexec
SELECT 'CREATE DATABASE n8n OWNER n8n' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'n8n')\gexec
SQL
  log "postgresql on 127.0.0.1:$pg_port (database n8n, user n8n)"

  cat >"$dir/services.env" <<ENV
REDIS_HOST=127.0.0.1
REDIS_PORT=$redis_port
PG_HOST=127.0.0.1
PG_PORT=$pg_port
PG_DATABASE=n8n
PG_USER=n8n
PG_PASSWORD=n8n-queue-pass
ENV
  trap - EXIT
  cat "$dir/services.env"
}

stop() {
  if redis_alive; then
    local port
    port=$(sed -n 's/^REDIS_PORT=//p' "$dir/services.env" 2>/dev/null || true)
    kill "$(cat "$dir/redis.pid")"
    # Wait until it no longer answers, so a caller that stops and restarts does not race it.
    for _ in $(seq 1 50); do
      [ -n "$port" ] && redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1 || break
      sleep 0.2
    done
    log "redis stopped"
  fi
  if [ -f "$dir/pg/postmaster.pid" ]; then
    as_pg "$(pg_bin)/pg_ctl" -D "$dir/pg" -m fast -w stop >&2 || true
    log "postgresql stopped"
  fi
  rm -f "$dir/services.env"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
