#!/usr/bin/env bash
# Every performance comparison of thichung in one run, each side by side
# with its reference on the same machine at the same time:
#
#   public reads      thichung (SQLite, PostgreSQL) vs nginx serving the same bytes
#   durable writes    POST /api/v1/cases vs sqlite3 committing one row at a time
#   assess            thichung assess vs sqlite3 importing the CSV and running the rule
#   import, weekly    a CSV of 1,000,000 cases imported end to end as `thichung import cases`
#                     does, on both backends, beside its target; a year of weekly figures
#                     (cases_bench)
#   serve footprint   start to first answer and resident memory on a national database
#   name search       a province of 1,000,000 people: LIKE read row by row vs the trigram indexes
#
#   bench/compare.sh [path/to/thichung]     (default: <repo>/build/thichung)
#
# A throw-away PostgreSQL 15 cluster is started under the scratch directory
# (scripts/pg-cluster.sh, Unix socket only) and removed at the end.  Every
# server listens on 127.0.0.1.  Measures only; it asserts nothing.  Takes
# about ten minutes; BENCH_SECONDS shortens each HTTP run (default 10).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${1:-"$ROOT/build/thichung"}
BENCH_DIR=$(dirname "$BIN")/bench
PGDIR=$(mktemp -d "${TMPDIR:-/tmp}/thc-compare-pg.XXXXXX")
export PGPORT=${BENCH_PGPORT:-5495}

stop_pg() { "$ROOT/scripts/pg-cluster.sh" stop "$PGDIR" >/dev/null 2>&1 || true; }
trap stop_pg EXIT

[[ -x $BIN ]] || { echo "compare.sh: no thichung binary at $BIN (build first)" >&2; exit 1; }
"$ROOT/scripts/pg-cluster.sh" start "$PGDIR" >/dev/null
pgdb() { "$ROOT/scripts/pg-cluster.sh" createdb "$PGDIR" "$1"; }

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')," \
	"$(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo), $(uname -sr)"
echo "== binary: $BIN ($(cd "$ROOT" && git describe --always --dirty 2>/dev/null || echo unknown))"
echo "== $(date -u '+%Y-%m-%d %H:%M UTC')"

echo; echo "######## public reads (nginx: the same bytes as static files)"
BENCH_PG_URL=$(pgdb bench_reads) "$ROOT/bench/public_reads.sh" "$BIN"

echo; echo "######## durable case writes over HTTP"
BENCH_PG_URL=$(pgdb bench_writes) "$ROOT/bench/case_writes.sh" "$BIN"

echo; echo "######## thichung assess vs sqlite3"
"$ROOT/bench/assess.sh" "$BIN"

echo; echo "######## import of 1,000,000 cases (CSV to commit) and a year of weekly figures"
if [[ -x $BENCH_DIR/cases_bench ]]; then
	THC_BENCH_PG_URL=$(pgdb bench_import) "$BENCH_DIR/cases_bench"
else
	echo "(no $BENCH_DIR/cases_bench: build the bench targets first)"
fi

echo; echo "######## name search on a province of a million people (sqlite3, psql)"
BENCH_PG_URL=$(pgdb bench_search) "$ROOT/bench/search.sh" "$BIN"

echo; echo "######## serve on a national database"
"$ROOT/bench/serve_footprint.sh" "$BIN"
