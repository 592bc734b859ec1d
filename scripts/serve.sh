#!/usr/bin/env bash
# Serve the site: gunicorn by default, Django's runserver (auto-reload) with SERVER=runserver; beside it, the task
# queue's worker(s) that run imports and e-mails (TASK_WORKERS, 1 by default). Ctrl-C stops them all.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

host="${HOST:-127.0.0.1}"
port="${PORT:-8000}"
workers="${TASK_WORKERS:-1}"
[[ "$port" =~ ^[0-9]+$ ]] || die "PORT must be a number, not '$port'"
[[ "$workers" =~ ^[0-9]+$ ]] || die "TASK_WORKERS must be a number, not '$workers'"
case "${SERVER:-gunicorn}" in gunicorn|runserver) ;; *) die "SERVER must be gunicorn or runserver, not '${SERVER}'" ;; esac
port_busy "$port" && die "port $port on $host is already in use: stop what is using it, or run PORT=8001 make run"
# gunicorn shows the site as visitors see it (DEBUG off, translated error pages); SERVER=runserver keeps DEBUG for work.
[ "${SERVER:-gunicorn}" = gunicorn ] && visitor_env

# Each process gets a session of its own, so Ctrl-C reaches this script only, and stop() decides the order: the
# server first, then the workers, which finish the job they are running (TERM) before they exit.
pids=()
stop() {
  trap - EXIT INT TERM
  [ "${#pids[@]}" -gt 0 ] || return 0
  say "Stopping the server and the task worker(s); a worker first finishes the job it is running"
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  wait "${pids[@]}" 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

reload=--no-reload
[ "${SERVER:-gunicorn}" = runserver ] && reload=--reload  # like runserver: code changes restart the worker
for _ in $(seq "$workers"); do
  setsid "$PY" manage.py db_worker "$reload" &
  pids+=("$!")
done
((workers)) && say "Started $workers task worker(s) (manage.py db_worker)"

case "${SERVER:-gunicorn}" in
  gunicorn)
    say "Serving http://$host:$port/ with gunicorn (Ctrl-C stops it)"
    setsid "$VENV/bin/gunicorn" conect.wsgi --bind "$host:$port" --workers "${WEB_CONCURRENCY:-2}" \
      --access-logfile - --error-logfile - &
    ;;
  runserver)
    say "Serving http://$host:$port/ with runserver (Ctrl-C stops it)"
    setsid "$PY" manage.py runserver "$host:$port" &
    ;;
esac
pids=("$!" "${pids[@]}")

# Whichever stops first (the server, or a worker that failed), the others are stopped with it.
status=0
wait -n "${pids[@]}" || status=$?
[ "$status" = 0 ] || say "A process stopped (exit status $status): stopping the others"
exit "$status"
