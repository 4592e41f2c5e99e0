#!/usr/bin/env bash
# Durable case writes over HTTP: `POST /api/v1/cases` by a commune health
# worker, each acknowledged only once it is on disk (SQLite synchronous=FULL,
# PostgreSQL synchronous_commit=on), with group commit on and off, side by
# side with what the disk allows one writer: sqlite3 committing one row per
# transaction with the same settings.
#
#   bench/case_writes.sh [path/to/thichung]      (default: <repo>/build/thichung)
#
# Environment:
#   BENCH_SECONDS  duration of each wrk run, seconds (default 10)
#   BENCH_CONN     wrk connections, the concurrent writers (default 32)
#   BENCH_THREADS  wrk threads (default 2)
#   BENCH_SERVE_THREADS  serve --threads (default 16: a write waits for its commit)
#   BENCH_PG_URL   an empty PostgreSQL database to run the same on (optional)
#   BENCH_SERVE    extra options for `thichung serve`
#
# Needs wrk, sqlite3 and python3 (Debian: apt-get install wrk sqlite3 python3).
# Everything listens on 127.0.0.1 only; every server started here is stopped
# on exit.  This measures speed only: it asserts nothing about it.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${1:-"$ROOT/build/thichung"}
SECONDS_RUN=${BENCH_SECONDS:-10}
CONN=${BENCH_CONN:-32}
THREADS=${BENCH_THREADS:-2}
SERVE_THREADS=${BENCH_SERVE_THREADS:-16}
HOST=127.0.0.1

NAME=case_writes.sh
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

for v in SECONDS_RUN CONN THREADS SERVE_THREADS; do
	is_posint "${!v}" || die "$v must be a positive integer (got '${!v}')"
done
(( CONN >= THREADS )) || die "BENCH_CONN ($CONN) must be >= BENCH_THREADS ($THREADS)"
[[ -f $BIN && -x $BIN ]] || die "not an executable file: $BIN (build it first)"
for tool in wrk sqlite3 python3; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed (Debian: apt-get install -y $tool)"
done

# login URL: the bearer token of the demo health worker of Phúc Xá, once
# one case written with it was answered 201 (else the reason, and failure).
login() {
	python3 - "$1" <<'PY'
import json, sys, urllib.error, urllib.request
def post(path, body, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    req = urllib.request.Request(sys.argv[1] + path, method="POST",
                                 data=json.dumps(body).encode(), headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")
status, r = post("/api/v1/login", {"username": "ytephucxa", "password": "demo2021"})
if status != 200:
    sys.exit("login answered %d: %s" % (status, r))
status, c = post("/api/v1/cases", {
    "person": {"full_name": "Người thử", "birth_year": 1980, "sex": "female",
               "unit_code": "00001-001"},
    "detected_on": "2021-08-10", "source": "community", "test_type": "rt-pcr"}, r["token"])
if status != 201:
    sys.exit("a case answered %d, not 201: %s" % (status, c))
print(r["token"])
PY
}

# The wrk script: a new case each request, a person of its own (the
# connection and a counter make the name unique), in Phúc Xá.
write_lua() {
	cat >"$TMP/cases.lua" <<LUA
local n = 0
local id = 0
function setup(thread)
	id = id + 1
	thread:set("tid", id)
end
function request()
	n = n + 1
	local body = string.format('{"person":{"full_name":"Ng\\\\u01b0\\\\u1eddi %d-%d","birth_year":1980,'
		.. '"sex":"female","unit_code":"00001-001"},"detected_on":"2021-08-10","source":"community","test_type":"rt-pcr"}',
		tid, n)
	return wrk.format("POST", "/api/v1/cases", {
		["Content-Type"] = "application/json",
		["Authorization"] = "Bearer $1",
	}, body)
end
LUA
}

# run_server LABEL DB OPTION...: a fresh demo database served with the
# options, then one wrk run of case writes against it.
run_server() {
	local label=$1 db=$2 token
	shift 2
	serve_demo "$label" "$db" --threads "$SERVE_THREADS" "$@"
	token=$(login "$THC") || die "cannot sign in on $THC"
	write_lua "$token"
	bench "thichung $label" "$THC/api/v1/cases" "$TMP/cases.lua"
	kill "$THC_PID"
	wait "$THC_PID" 2>/dev/null || true
}

# The disk's pace for one writer: sqlite3 commits N single-row transactions
# in WAL with synchronous=FULL, as the server's connections do.
sqlite_floor() {
	local n=2000 db=$TMP/floor.db start end
	{
		echo "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
		echo "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);"
	} | sqlite3 "$db" >/dev/null
	for ((i = 0; i < n; i++)); do
		echo "BEGIN IMMEDIATE; INSERT INTO t (v) VALUES ('row $i'); COMMIT;"
	done >"$TMP/floor.sql"
	start=$(date +%s.%N)
	{ echo "PRAGMA synchronous=FULL;"; cat "$TMP/floor.sql"; } | sqlite3 "$db" >/dev/null
	end=$(date +%s.%N)
	ROWS+=("sqlite3: one row per commit, one writer|$(python3 -c "print('%.0f' % ($n / ($end - $start)))")|-")
}

echo "thichung durable write benchmark: ${SECONDS_RUN}s per run, $THREADS wrk threads," \
	"$CONN connections, serve --threads $SERVE_THREADS"
echo "binary: $BIN"

run_server "sqlite, group commit on " "$TMP/on.db" --group-commit on
run_server "sqlite, group commit off" "$TMP/off.db" --group-commit off
if [[ -n ${BENCH_PG_URL:-} ]]; then
	run_server "postgres" "$BENCH_PG_URL"
fi
sqlite_floor

print_table "(each row is a new case and its audit record, acknowledged after the commit; 201 expected)"
