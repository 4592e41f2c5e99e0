#!/usr/bin/env bash
# Installs the Debian 12 packages thichung needs to build, run and test.
# Idempotent: does nothing when everything is already installed.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config
  ccache  # scripts/test.sh: CI's four builds reuse the objects of the last run
  libmicrohttpd-dev libjansson-dev libsqlite3-dev libsodium-dev
  libexpat1-dev  # ADX (XML) in the DHIS2 import
  libxlsxwriter-dev  # the Excel reports
  zlib1g-dev  # gzip of the API's answers
  libcmocka-dev libpq-dev postgresql-15
  postgresql-client-15  # pg_dump, pg_restore and psql: thichung backup/restore, tests
  python3 curl
  python3-openpyxl  # the tests read the Excel reports back
  python3-shapely  # the tests read the GeoJSON map with a GIS library
  chromium fonts-dejavu-core  # the browser tests (tests/e2e) and their screenshots
  # The fuzz targets (scripts/fuzz.sh): clang, libFuzzer's and the
  # sanitizers' runtime (not pulled in without recommends), llvm-symbolizer
  # for readable reports.
  clang libclang-rt-14-dev llvm-14
)
# The web application's build (esbuild, via npm ci).  A Node.js that is
# already installed (e.g. one that bundles npm) is kept: Debian's npm
# package would conflict with it.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  PACKAGES+=(nodejs npm)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "bootstrap: all packages present"
  exit 0
fi

echo "bootstrap: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "bootstrap: run as root or install sudo" >&2; exit 1; }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
