#!/usr/bin/env bash
# Refresh the third-party files in static/vendor/ from the npm registry, at the versions pinned below.
# Run it by hand when a version changes and commit the result: nothing is fetched at run time or in tests.
set -euo pipefail
cd "$(dirname "$0")/.."

AXE_CORE=4.14.1
NOTO_SANS=5.3.0
CHARTJS=4.5.1
CYTOSCAPE=3.34.4
REDOC=2.5.4

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fetch() {  # fetch NAME VERSION -> prints the unpacked folder
  local dir="$work/$(echo "$1" | tr '/@' '__')"
  mkdir -p "$dir"
  (cd "$dir" && npm pack --silent "$1@$2" >/dev/null && tar -xzf ./*.tgz)
  echo "$dir/package"
}

rm -rf static/vendor/axe-core static/vendor/noto-sans static/vendor/chartjs static/vendor/cytoscape static/vendor/redoc
mkdir -p static/vendor/axe-core static/vendor/noto-sans/files static/vendor/chartjs static/vendor/cytoscape static/vendor/redoc

pkg=$(fetch axe-core "$AXE_CORE")
cp "$pkg/axe.min.js" "$pkg/LICENSE" static/vendor/axe-core/

pkg=$(fetch chart.js "$CHARTJS")
cp "$pkg/LICENSE.md" static/vendor/chartjs/LICENSE.md
# Without its source map (not shipped): the reference to it would break the static manifest.
sed '/^\/\/# sourceMappingURL=/d' "$pkg/dist/chart.umd.min.js" >static/vendor/chartjs/chart.umd.min.js

pkg=$(fetch cytoscape "$CYTOSCAPE")
cp "$pkg/LICENSE" static/vendor/cytoscape/
# The minified UMD build (window.cytoscape), without a source map reference, like chart.js's.
sed '/^\/\/# sourceMappingURL=/d' "$pkg/dist/cytoscape.min.js" >static/vendor/cytoscape/cytoscape.min.js

pkg=$(fetch redoc "$REDOC")
cp "$pkg/LICENSE" "$pkg/bundles/redoc.standalone.js.LICENSE.txt" static/vendor/redoc/
# The API reference (/api/docs/). Redoc's sidebar loads its maker's logo from cdn.redoc.ly whatever its options say:
# that one element is taken out (the script fails if it is no longer there), and the source map reference dropped.
python3 - "$pkg/bundles/redoc.standalone.js" static/vendor/redoc/redoc.standalone.js <<'PY'
import sys
text = open(sys.argv[1], encoding="utf-8").read()
logo = 'e?n.createElement("img",{alt:"redocly logo",onError:()=>t(!1),src:"https://cdn.redoc.ly/redoc/logo-mini.svg"}):null'
assert text.count(logo) == 1, "Redoc's logo element changed: update scripts/vendor.sh"
text = text.replace(logo, "null").replace("//# sourceMappingURL=redoc.standalone.js.map", "")
open(sys.argv[2], "w", encoding="utf-8").write(text)
PY

pkg=$(fetch @fontsource/noto-sans "$NOTO_SANS")
cp "$pkg/LICENSE" static/vendor/noto-sans/
# Only the subsets our six languages and the partner cities' names need (Latin, Cyrillic, Greek).
for weight in 400 700; do
  python3 - "$pkg/$weight.css" "static/vendor/noto-sans/noto-sans-$weight.css" <<'PY'
import re, sys
keep = ("latin", "latin-ext", "cyrillic", "cyrillic-ext", "greek", "greek-ext")
text = open(sys.argv[1], encoding="utf-8").read()
blocks = re.findall(r"/\* noto-sans-([a-z-]+)-\d+-normal \*/\s*@font-face \{.*?\}", text, re.S)
faces = re.findall(r"(/\* noto-sans-([a-z-]+)-\d+-normal \*/\s*@font-face \{.*?\})", text, re.S)
out = []
for face, subset in faces:
    if subset in keep:
        # woff2 only: every browser we support reads it, and a missing woff would break the static manifest.
        out.append(re.sub(r",\s*url\(([^)]*)\.woff\) format\('woff'\)", "", face))
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(out) + "\n")
PY
  for subset in latin latin-ext cyrillic cyrillic-ext greek greek-ext; do
    cp "$pkg"/files/noto-sans-$subset-$weight-normal.woff2 static/vendor/noto-sans/files/
  done
done

cat >static/vendor/README.md <<MD
# Vendored third-party files

Copied from the npm registry by \`scripts/vendor.sh\` at the versions below; never edited by hand.
Change a version in the script, run it, and commit the result.

| library | version | licence | files |
|---|---|---|---|
| [axe-core](https://www.npmjs.com/package/axe-core) | $AXE_CORE | MPL-2.0 | axe-core/axe.min.js (used by the browser tests only) |
| [chart.js](https://www.npmjs.com/package/chart.js) | $CHARTJS | MIT | chartjs/chart.umd.min.js (the Labs comparison page's charts; source map left out) |
| [cytoscape](https://www.npmjs.com/package/cytoscape) | $CYTOSCAPE | MIT | cytoscape/cytoscape.min.js (the network graph view; its built-in layouts only) |
| [@fontsource/noto-sans](https://www.npmjs.com/package/@fontsource/noto-sans) | $NOTO_SANS | OFL-1.1 | noto-sans/: weights 400 and 700, Latin, Cyrillic and Greek subsets, woff2 |
| [redoc](https://www.npmjs.com/package/redoc) | $REDOC | MIT | redoc/redoc.standalone.js (the API reference at /api/docs/; its maker's logo from a CDN taken out, source map left out) |

Leaflet is served from the django-leaflet package's own static files (pinned in requirements.txt).
MD
echo "static/vendor refreshed"
