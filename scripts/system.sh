#!/usr/bin/env bash
# Install the Debian packages the platform needs, once: PostgreSQL 15 + PostGIS 3, GDAL/GEOS/PROJ, gettext,
# and Chromium for the browser tests. Skips everything when they are all there.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

packages=(postgresql-15 postgresql-15-postgis-3 postgresql-15-postgis-3-scripts libgdal32 libgeos-c1v5 libproj25 gettext)
[ "${1:-}" = "--with-browser" ] && packages+=(chromium)
# Debian's own python3 ships venv and ensurepip in a separate package.
python3 -c 'import ensurepip, venv' 2>/dev/null || packages+=(python3-venv)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

command -v apt-get >/dev/null || die "apt-get not found: install ${missing[*]} with your system's package manager"
say "Installing system packages: ${missing[*]}"
as_root apt-get update -qq >/dev/null 2>"$ROOT/.apt.log" \
  || die "apt-get update failed (see .apt.log): check the network or the apt sources, then run the command again"
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$ROOT/.apt.log" 2>&1 \
  || die "apt-get could not install ${missing[*]} (see .apt.log): fix the cause, then run the command again"
# Debian starts its own cluster on 5432 when postgresql is installed; the project runs its own, so leave it be.
rm -f "$ROOT/.apt.log"
