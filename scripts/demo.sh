#!/usr/bin/env bash
# Installs what is needed, builds, creates the demo database and serves it
# on http://127.0.0.1:8080 (Ctrl-C stops it).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc 2>/dev/null || echo 2)"
build/thichung demo --db "${THC_DEMO_DB:-demo.db}"
exec build/thichung serve --db "${THC_DEMO_DB:-demo.db}" --listen "${THC_LISTEN:-127.0.0.1:8080}"
