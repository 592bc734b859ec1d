#!/usr/bin/env bash
# Create .venv with the pinned dependencies; redo it only when requirements.txt changes.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

stamp="$VENV/.requirements.sha256"
want=$(sha256sum "$ROOT/requirements.txt" | cut -d' ' -f1)
[ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && exit 0

say "Installing Python packages into .venv"
python3 -c 'import sys; sys.exit(sys.version_info[:2] < (3, 11))' || die "Python 3.11 or newer is needed, found $(python3 --version)"
[ -x "$PY" ] || python3 -m venv "$VENV" || { rm -rf "$VENV"; die "python3 -m venv failed: apt-get install python3-venv, then run the command again"; }
"$PY" -m pip install -q --disable-pip-version-check -r "$ROOT/requirements.txt" 2> >(grep -v "^WARNING: Location .file:" >&2) \
  || die "pip could not install requirements.txt: check the network, then run the command again"
echo "$want" >"$stamp"
