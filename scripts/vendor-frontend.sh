#!/usr/bin/env bash
# vendor-frontend.sh — fetch the pinned NHS.UK frontend and axe-core releases from
# the npm registry and copy the few compiled files candour serves or tests with
# into the tree. Node/npm are needed only to run this script; the Go build and the
# running binary never need them. Re-runnable: it replaces the vendored files.
#
# Usage: scripts/vendor-frontend.sh
set -euo pipefail

NHSUK_VERSION="10.6.1"
AXE_VERSION="4.14.1"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
nhsuk_dest="$root/internal/web/static/nhsuk"
axe_dest="$root/internal/e2e/testdata"

command -v npm >/dev/null || { echo "vendor-frontend: npm is required" >&2; exit 1; }
command -v sha256sum >/dev/null || { echo "vendor-frontend: sha256sum is required" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# pack NAME VERSION DIR: download the registry tarball into DIR, unpack it into
# DIR/package and print the "integrity" string npm reports for it.
pack() {
	local name="$1" version="$2" dir="$3"
	mkdir -p "$dir"
	(cd "$dir" && npm pack --silent --json "$name@$version" >pack.json)
	tar -xzf "$dir/$name-$version.tgz" -C "$dir"
	node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[0].integrity)' "$dir/pack.json"
}

sha() { sha256sum "$1" | cut -d' ' -f1; }

# --- NHS.UK frontend -------------------------------------------------------
nhsuk_integrity="$(pack nhsuk-frontend "$NHSUK_VERSION" "$work/nhsuk")"
src="$work/nhsuk/package/dist/nhsuk"
[ -f "$src/nhsuk-frontend.min.css" ] || { echo "vendor-frontend: unexpected nhsuk-frontend layout" >&2; exit 1; }

rm -rf "$nhsuk_dest"
mkdir -p "$nhsuk_dest/assets/images"

# The compiled CSS refers to its images as url(/assets/images/...), i.e. from the
# site root. Make those references relative to the stylesheet so they resolve to
# nhsuk/assets/images/... wherever the static handler is mounted, and drop the
# source map comments (the maps are not vendored).
sed -e 's#url(/assets/images/#url(assets/images/#g' \
	-e 's#/\*\# sourceMappingURL=[^*]*\*/##' \
	"$src/nhsuk-frontend.min.css" >"$nhsuk_dest/nhsuk-frontend.min.css"
sed -e 's#//\# sourceMappingURL=[^ ]*$##' \
	"$src/nhsuk-frontend.min.js" >"$nhsuk_dest/nhsuk-frontend.min.js"

if grep -q 'url(/' "$nhsuk_dest/nhsuk-frontend.min.css"; then
	echo "vendor-frontend: root-relative url() left in CSS; update the rewrite" >&2
	exit 1
fi

# Images: those the CSS references, plus favicons and the web app manifest's icons.
css_images="$(grep -o 'url(assets/images/[^)]*)' "$nhsuk_dest/nhsuk-frontend.min.css" |
	sed -e 's#^url(assets/images/##' -e 's#)$##' | sort -u)"
head_images="favicon.ico favicon.svg nhsuk-icon-mask.svg nhsuk-icon-180.png nhsuk-icon-192.png nhsuk-icon-512.png"
for img in $css_images $head_images; do
	cp "$src/assets/images/$img" "$nhsuk_dest/assets/images/$img"
done
cp "$src/assets/manifest.json" "$nhsuk_dest/assets/manifest.json"

{
	echo "package: nhsuk-frontend"
	echo "version: $NHSUK_VERSION"
	echo "tarball: nhsuk-frontend-$NHSUK_VERSION.tgz"
	echo "tarball-sha256: $(sha "$work/nhsuk/nhsuk-frontend-$NHSUK_VERSION.tgz")"
	echo "integrity: $nhsuk_integrity"
	echo "licence: MIT (code), see https://github.com/nhsuk/nhsuk-frontend"
	echo "vendored-by: scripts/vendor-frontend.sh"
	echo "changes: nhsuk-frontend.min.css url(/assets/images/...) rewritten to url(assets/images/...);"
	echo "         sourceMappingURL comments removed from the CSS and JS"
	echo "upstream-sha256:"
	echo "  $(sha "$src/nhsuk-frontend.min.css")  dist/nhsuk/nhsuk-frontend.min.css"
	echo "  $(sha "$src/nhsuk-frontend.min.js")  dist/nhsuk/nhsuk-frontend.min.js"
	echo "files-sha256:"
	(cd "$nhsuk_dest" && find . -type f ! -name VERSION | sed 's#^\./##' | LC_ALL=C sort | while read -r f; do
		echo "  $(sha "$f")  $f"
	done)
} >"$nhsuk_dest/VERSION"

# --- axe-core (browser accessibility checks in internal/e2e) ----------------
axe_integrity="$(pack axe-core "$AXE_VERSION" "$work/axe")"
mkdir -p "$axe_dest"
cp "$work/axe/package/axe.min.js" "$axe_dest/axe.min.js"
{
	echo "package: axe-core"
	echo "version: $AXE_VERSION"
	echo "tarball: axe-core-$AXE_VERSION.tgz"
	echo "tarball-sha256: $(sha "$work/axe/axe-core-$AXE_VERSION.tgz")"
	echo "integrity: $axe_integrity"
	echo "licence: MPL-2.0, see https://github.com/dequelabs/axe-core"
	echo "vendored-by: scripts/vendor-frontend.sh"
	echo "files-sha256:"
	echo "  $(sha "$axe_dest/axe.min.js")  axe.min.js"
} >"$axe_dest/AXE_VERSION"

echo "vendored nhsuk-frontend $NHSUK_VERSION into ${nhsuk_dest#"$root"/} ($(du -sk "$nhsuk_dest" | cut -f1) KB)"
echo "vendored axe-core $AXE_VERSION into ${axe_dest#"$root"/}/axe.min.js"
