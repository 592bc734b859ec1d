#!/usr/bin/env bash
# Start the project's own PostGIS cluster in .local/pg on 127.0.0.1:$CONECT_PG_PORT (54329 by default),
# creating it on first use. Does nothing when DATABASE_URL is set: that database is used as it is.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

[ -n "${DATABASE_URL:-}" ] && exit 0
[ -x "$PG_BIN/initdb" ] || die "PostgreSQL 15 is not installed: apt-get install postgresql-15 postgresql-15-postgis-3"

pg="$LOCAL/pg"
mkdir -p "$LOCAL"

run_pg() { "$@"; }
if [ "$(id -u)" = 0 ]; then
  # PostgreSQL refuses to run as root: the cluster belongs to the postgres system user.
  run_pg() { (cd / && runuser -u postgres -- "$@"); }
  if [ ! -L "$pg" ] && ! runuser -u postgres -- test -x "$LOCAL"; then
    # A parent folder of the project (e.g. /root) is closed to other users: keep the cluster in the postgres
    # user's home, one folder per project path, and point .local/pg at it.
    home="/var/lib/postgresql/conect/$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)"
    mkdir -p "$home"
    if [ -d "$pg" ] && [ ! -L "$pg" ]; then
      [ -f "$pg/data/PG_VERSION" ] && die "the postgres user cannot reach the cluster in $pg (a parent folder is closed): run the command as the user who made it, or set DATABASE_URL"
      rm -rf "$pg"
    fi
    ln -sfn "$home" "$pg"
  fi
  pg=$(readlink -f "$pg")  # the postgres user may not pass through the project's folders, only the real path
  mkdir -p "$pg"
  chown -R postgres:postgres "$pg"
  runuser -u postgres -- test -w "$pg" || die "the postgres user cannot write to $pg: set DATABASE_URL instead"
else
  mkdir -p "$pg"
fi
data="$pg/data"

if [ ! -f "$data/PG_VERSION" ]; then
  say "Creating the PostGIS cluster in .local/pg"
  rm -rf "$data"
  if ! run_pg "$PG_BIN/initdb" -D "$data" -U conect --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$pg/initdb.log" 2>&1; then
    rm -rf "$data"
    die "initdb failed (see .local/pg/initdb.log)"
  fi
fi

# Settings that fit the machine (README "PostgreSQL settings"): a quarter of the memory for shared buffers (at most
# 4 GB), no JIT (PostGIS's cost estimates made it compile plain map queries), SSD page costs, and
# pg_stat_statements, which the benchmarks read for the database's time per request. A change restarts the cluster.
mem_mb=$(awk '/MemTotal/ { print int($2 / 1024) }' /proc/meminfo)
shared_mb=$(( mem_mb / 4 > 4096 ? 4096 : mem_mb / 4 ))
settings=$(cat <<CONF
# Written by scripts/pg.sh; edit that script, not this file.
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.max = 5000
shared_buffers = ${shared_mb}MB
effective_cache_size = $(( mem_mb / 2 ))MB
work_mem = 32MB
maintenance_work_mem = 512MB
jit = off
max_parallel_workers_per_gather = 0
random_page_cost = 1.1
effective_io_concurrency = 200
max_connections = 200
checkpoint_timeout = 15min
max_wal_size = 4GB
CONF
)
conf="$data/conect.conf"
changed=0
if [ "$(cat "$conf" 2>/dev/null)" != "$settings" ]; then
  printf '%s\n' "$settings" | run_pg tee "$conf" >/dev/null
  grep -q "^include_if_exists = 'conect.conf'" "$data/postgresql.conf" \
    || echo "include_if_exists = 'conect.conf'" | run_pg tee -a "$data/postgresql.conf" >/dev/null
  changed=1
fi

running_port() { [ -f "$data/postmaster.pid" ] && sed -n 4p "$data/postmaster.pid"; }
if run_pg "$PG_BIN/pg_ctl" status -D "$data" >/dev/null 2>&1; then
  [ "$(running_port)" = "$PG_PORT" ] && [ "$changed" = 0 ] && exit 0
  run_pg "$PG_BIN/pg_ctl" stop -D "$data" -m fast >/dev/null
fi
port_busy "$PG_PORT" \
  && die "port $PG_PORT on 127.0.0.1 is taken by another program: stop it, or set CONECT_PG_PORT to a free port"
say "Starting PostgreSQL on 127.0.0.1:$PG_PORT"
run_pg "$PG_BIN/pg_ctl" start -D "$data" -l "$pg/postgres.log" -w -t 60 \
  -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=''" >/dev/null \
  || die "PostgreSQL did not start (see .local/pg/postgres.log)"
if ! psql -h 127.0.0.1 -p "$PG_PORT" -U conect -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'conect'" | grep -q 1; then
  createdb -h 127.0.0.1 -p "$PG_PORT" -U conect conect || die "could not create the conect database (see .local/pg/postgres.log)"
fi
