# Shared by the set-up scripts: paths, messages, and the one-line failures the README promises.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOCAL="$ROOT/.local"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
PG_PORT="${CONECT_PG_PORT:-54329}"
PG_BIN=/usr/lib/postgresql/15/bin

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'conect: %s\n' "$*" >&2; exit 1; }

as_root() {  # run a command as root: directly, or through sudo when there is one
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "$1 needs root: run this command as root or install sudo"; fi
}

port_busy() {  # port_busy PORT -> true when something listens on 127.0.0.1:PORT
  python3 - "$1" <<'PY'
import socket, sys
s = socket.socket()
# SO_REUSEADDR: connections of a server that just stopped (TIME_WAIT) do not make the port busy; a listener does.
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(0)
sys.exit(1)
PY
}

visitor_env() {  # make run serves the site as visitors see it in production: DEBUG off, on plain HTTP on loopback
  local secret="$LOCAL/secret_key"
  if [ -z "${DJANGO_SECRET_KEY:-}" ] && [ ! -s "$secret" ]; then
    mkdir -p "$LOCAL"
    (umask 077 && python3 -c 'import secrets; print(secrets.token_urlsafe(50))' >"$secret")
  fi
  export DJANGO_DEBUG="${DJANGO_DEBUG:-false}"
  export DJANGO_SECRET_KEY="${DJANGO_SECRET_KEY:-$(cat "$secret")}"
  export DJANGO_ALLOWED_HOSTS="${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}"
  # E-mails (sign-up confirmations, moderation decisions) are printed in the terminal unless a backend is set.
  export EMAIL_BACKEND="${EMAIL_BACKEND:-django.core.mail.backends.console.EmailBackend}"
  # Plain HTTP on this machine: no redirect to HTTPS, no secure-only cookies, no HSTS.
  export SECURE_SSL_REDIRECT="${SECURE_SSL_REDIRECT:-false}" SESSION_COOKIE_SECURE="${SESSION_COOKIE_SECURE:-false}"
  export CSRF_COOKIE_SECURE="${CSRF_COOKIE_SECURE:-false}" SECURE_HSTS_SECONDS="${SECURE_HSTS_SECONDS:-0}"
}
