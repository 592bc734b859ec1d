#!/usr/bin/env bash
# Container entry point: wait for the database, migrate, load the demo when asked, serve with gunicorn.
set -euo pipefail
for _ in $(seq 30); do python manage.py dbcheck >/dev/null 2>&1 && break; sleep 2; done
python manage.py dbcheck
python manage.py migrate --no-input -v 0
python manage.py createcachetable  # the throttles' counters without Redis (CACHES["shared"])
if [ "${LOAD_DEMO:-false}" = "true" ]; then python manage.py load_demo --force; fi
exec gunicorn conect.wsgi --bind 0.0.0.0:8000 --workers "${WEB_CONCURRENCY:-2}" --access-logfile - --error-logfile -
