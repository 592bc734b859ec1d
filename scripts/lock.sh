#!/usr/bin/env bash
# Re-resolve requirements.in into the fully pinned requirements.txt, in a throw-away virtualenv.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install -q --upgrade pip
"$tmp/venv/bin/pip" install -q -r requirements.in
{ echo "# Pinned from requirements.in by scripts/lock.sh; edit requirements.in, not this file."; "$tmp/venv/bin/pip" freeze; } >requirements.txt
echo "requirements.txt updated"
