#!/usr/bin/env bash
# Runs a test against PostgreSQL: needs THC_TEST_PG_DIR (a cluster started
# with scripts/pg-cluster.sh); creates a fresh database for the store suite.
# Exits 77 (CTest "skipped") when no cluster is given.
set -euo pipefail
if [ -z "${THC_TEST_PG_DIR:-}" ]; then
	echo "skipped: THC_TEST_PG_DIR is not set (scripts/test.sh starts a cluster)"
	exit 77
fi
here=$(cd "$(dirname "$0")/.." && pwd)
THC_TEST_PG_URL=$("$here/scripts/pg-cluster.sh" createdb "$THC_TEST_PG_DIR" "s_$$_$RANDOM")
export THC_TEST_PG_URL
exec "$@"
