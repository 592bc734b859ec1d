#!/usr/bin/env bash
# Container entry point of the task worker: wait until the web container has migrated the database, then run the
# queue's jobs (imports, e-mails) until stopped. Run as many of these containers as needed: they share the queue.
set -euo pipefail
for _ in $(seq 60); do python manage.py migrate --check >/dev/null 2>&1 && break; sleep 2; done
python manage.py migrate --check
exec python manage.py db_worker --no-reload
