#!/bin/sh
# Check, and as root with apt-get install, the system packages the project needs.
#   scripts/system-deps.sh build   what `make` needs: Pango and HarfBuzz for WeasyPrint, python3-venv,
#                                  Culmus (Keter YG: Hebrew with cantillation)
#   scripts/system-deps.sh test    also what `make test` needs: Java (epubcheck), poppler-utils, qpdf,
#                                  chromium and chromium-driver (the preview's browser test), Node with
#                                  npm (DAISY Ace, which runs in Debian's chromium)
# Not root, or no apt-get: print one line naming the exact command, and fail.
set -eu
need=""

has_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }
want_lib() { has_lib "$1" || need="$need $2"; }
want_cmd() { command -v "$1" >/dev/null 2>&1 || need="$need $2"; }
want_file() { [ -f "$1" ] || need="$need $2"; }

want_lib 'libpango-1.0.so.0' libpango-1.0-0
want_lib 'libpangoft2-1.0.so.0' libpangoft2-1.0-0
# Without it WeasyPrint subsets fonts with fontTools, about four times slower.
want_lib 'libharfbuzz-subset.so.0' libharfbuzz-subset0
want_lib 'libfontconfig.so.1' libfontconfig1
# Keter YG, the Hebrew face that draws cantillation (press/engine/fonts.py CANTILLATION_FACES).
want_file /usr/share/fonts/truetype/culmus/KeterYG-Medium.ttf culmus
python3 -c 'import ensurepip, venv' 2>/dev/null || need="$need python3-venv"
# pdf/x-4's CMYK output profile, made once from FOGRA39L's characterisation data (press/preflight.py).
want_cmd colprof argyll
[ -f /usr/share/color/icc/FOGRA39L.ti3 ] || need="$need icc-profiles-free"
if [ "${1:-build}" = test ]; then
  want_cmd java default-jre-headless
  want_cmd pdffonts poppler-utils
  want_cmd qpdf qpdf
  want_cmd chromium chromium  # the preview's browser test and DAISY Ace
  want_cmd chromedriver chromium-driver
  want_cmd npm npm
fi

[ -z "$need" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing system packages:$need"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null
  exit 0
fi
echo "missing system packages; run: sudo apt-get install -y$need" >&2
exit 1
