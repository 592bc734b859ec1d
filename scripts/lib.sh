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
