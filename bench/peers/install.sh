#!/usr/bin/env bash
# Install the two peer servers the API benchmark runs beside the platform, each in a virtualenv of its own under
# .local/peers/ (never in .venv): pygeoapi 0.21 with its PostgreSQL provider, and TiPg 1.6.1 with uvicorn.
# Idempotent: a peer already installed at its pinned version is skipped. Called by `python -m bench api`.
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"

PEERS="$LOCAL/peers"
mkdir -p "$PEERS"

install_peer() {  # install_peer NAME CHECK-MODULE VERSION PACKAGE...
  local name=$1 module=$2 version=$3
  shift 3
  local venv="$PEERS/$name"
  if [ -x "$venv/bin/python" ] && [ "$("$venv/bin/python" -c "import $module; print($module.__version__)" 2>/dev/null)" = "$version" ]; then
    return 0
  fi
  say "Installing $name $version into .local/peers/$name"
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv" || die "python3 -m venv failed for $name"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check "$@" \
    || die "pip could not install $name $version from PyPI (see the message above)"
}

# pygeoapi's PostgreSQL provider (pygeoapi.provider.sql.PostgreSQLProvider) needs SQLAlchemy, GeoAlchemy2,
# psycopg2 and pygeofilter's SQLAlchemy backend, which pygeoapi lists as optional (requirements-provider.txt).
install_peer pygeoapi pygeoapi 0.21.0 "pygeoapi==0.21.0" "SQLAlchemy>=2" GeoAlchemy2 psycopg2-binary \
  "pygeofilter[backend-sqlalchemy]" gunicorn
install_peer tipg tipg 1.6.1 "tipg==1.6.1" "uvicorn[standard]"

# Redis, the shared cache our server counts its throttles in during the run, as in production (REDIS_URL): Debian's
# package, when this runs as root with apt; without it the run counts them in the database (one query a request).
if ! command -v redis-server >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  say "Installing redis-server (apt)"
  apt-get install -y -q redis-server >/dev/null || say "redis-server could not be installed: the throttles count in the database"
fi
