#!/usr/bin/env bash
# Serve the site: gunicorn by default, Django's runserver (auto-reload) with SERVER=runserver.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

host="${HOST:-127.0.0.1}"
port="${PORT:-8000}"
[[ "$port" =~ ^[0-9]+$ ]] || die "PORT must be a number, not '$port'"
case "${SERVER:-gunicorn}" in gunicorn|runserver) ;; *) die "SERVER must be gunicorn or runserver, not '${SERVER}'" ;; esac
port_busy "$port" && die "port $port on $host is already in use: stop what is using it, or run PORT=8001 make run"
# gunicorn shows the site as visitors see it (DEBUG off, translated error pages); SERVER=runserver keeps DEBUG for work.
[ "${SERVER:-gunicorn}" = gunicorn ] && visitor_env

case "${SERVER:-gunicorn}" in
  gunicorn)
    say "Serving http://$host:$port/ with gunicorn (Ctrl-C stops it)"
    exec "$VENV/bin/gunicorn" conect.wsgi --bind "$host:$port" --workers "${WEB_CONCURRENCY:-2}" \
      --access-logfile - --error-logfile - ;;
  runserver)
    say "Serving http://$host:$port/ with runserver (Ctrl-C stops it)"
    exec "$PY" manage.py runserver "$host:$port" ;;
esac
