#!/usr/bin/env bash
# Citizen feedback under load: BENCH_CONN clients at once (default 1,000) on
# the loopback address, each sending feedback requests anonymously
# (`POST /api/v1/feedback`) and polling their status by tracking code
# (`GET /api/v1/feedback/track/{code}`), as a province's hotline day might
# look after an announcement.  Prints requests/s and p99 latency of the mix,
# then how many requests were stored.
#
#   bench/feedback_load.sh [path/to/thichung]      (default: <repo>/build/thichung)
#
# Environment:
#   BENCH_SECONDS  duration of the run, seconds (default 20)
#   BENCH_CONN     concurrent clients (default 1000)
#   BENCH_POSTS    the most feedback requests sent in all (default 20000); past it
#                  the clients only poll
#   BENCH_THREADS  wrk threads (default 2)
#   BENCH_SERVE_THREADS  serve --threads (default 8)
#   BENCH_PG_URL   an empty PostgreSQL database to run the same on (optional)
#   BENCH_SERVE    extra options for `thichung serve`
#
# The server runs with `--feedback-anon-limit 0` (the per-address limit of
# anonymous requests lifted, an explicit option: by default one address may
# send 20 in 10 minutes, and every client here is 127.0.0.1) and with
# connection limits raised for 1,000 clients from one address.  Needs wrk
# and python3 (Debian: apt-get install wrk python3).  Everything listens on
# 127.0.0.1 only; the server started here is stopped on exit.  This
# measures speed only: it asserts nothing about it.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${1:-"$ROOT/build/thichung"}
SECONDS_RUN=${BENCH_SECONDS:-20}
CONN=${BENCH_CONN:-1000}
POSTS=${BENCH_POSTS:-20000}
THREADS=${BENCH_THREADS:-2}
SERVE_THREADS=${BENCH_SERVE_THREADS:-8}
HOST=127.0.0.1

NAME=feedback_load.sh
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

for v in SECONDS_RUN CONN POSTS THREADS SERVE_THREADS; do
	is_posint "${!v}" || die "$v must be a positive integer (got '${!v}')"
done
(( CONN >= THREADS )) || die "BENCH_CONN ($CONN) must be >= BENCH_THREADS ($THREADS)"
(( CONN <= 20000 )) || die "BENCH_CONN ($CONN) must be at most 20000"
[[ -f $BIN && -x $BIN ]] || die "not an executable file: $BIN (build it first)"
for tool in wrk python3; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed (Debian: apt-get install -y $tool)"
done
# Each client is a descriptor here and one in the server.
(( $(ulimit -n) >= CONN * 2 + 256 )) || ulimit -n $((CONN * 2 + 256)) 2>/dev/null ||
	die "open files limit $(ulimit -n) is too low for $CONN clients (ulimit -n $((CONN * 2 + 256)))"

# The wrk script: each thread sends at most its share of POSTS requests,
# keeps the tracking codes the answers give (the last 4,096), and polls
# one of them every other request (only polls once its share is sent).
write_lua() {
	cat >"$TMP/feedback.lua" <<LUA
local share = math.floor($POSTS / $THREADS)
local posts, n, codes, ncodes = 0, 0, {}, 0
local body = '{"category":"other","location_code":"00001","description":"\\\\u0110\\\\u00e8n \\\\u0111\\\\u01b0\\\\u1eddng h\\\\u1ecfng"}'
function request()
	n = n + 1
	if posts < share and (ncodes == 0 or n % 2 == 0) then
		posts = posts + 1
		return wrk.format("POST", "/api/v1/feedback", { ["Content-Type"] = "application/json" }, body)
	end
	if ncodes == 0 then
		return wrk.format("GET", "/api/v1/feedback/categories")
	end
	return wrk.format("GET", "/api/v1/feedback/track/" .. codes[(n % ncodes) + 1])
end
function response(status, headers, b)
	local code = b and string.match(b, '"tracking_code":"(%w+)"')
	if code then
		if ncodes < 4096 then
			ncodes = ncodes + 1
			codes[ncodes] = code
		else
			codes[(n % 4096) + 1] = code
		end
	end
end
LUA
}

# stored URL: how many feedback requests the national administrator sees.
stored() {
	python3 - "$1" <<'PY'
import json, sys, urllib.request
def call(path, body=None, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    req = urllib.request.Request(sys.argv[1] + path, data=json.dumps(body).encode() if body else None,
                                 headers=headers, method="POST" if body else "GET")
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.load(r)
token = call("/api/v1/login", {"username": "admin", "password": "demo2021"})["token"]
n, cursor = 0, None
while True:
    page = call("/api/v1/feedback?limit=500" + ("&cursor=%d" % cursor if cursor else ""), token=token)
    n += len(page["items"])
    cursor = page["next"]
    if not cursor:
        break
print(n)
PY
}

run_server() {
	local label=$1 db=$2
	serve_demo "$label" "$db" --threads "$SERVE_THREADS" --feedback-anon-limit 0 \
		--max-conn $((CONN + 64)) --max-conn-per-ip $((CONN + 64))
	write_lua
	bench "thichung $label" "$THC/api/v1/feedback" "$TMP/feedback.lua"
	echo "   feedback requests stored: $(stored "$THC")"
	kill "$THC_PID"
	wait "$THC_PID" 2>/dev/null || true
}

echo "thichung feedback load: ${SECONDS_RUN}s, $CONN clients, at most $POSTS requests sent," \
	"$THREADS wrk threads, serve --threads $SERVE_THREADS"
echo "binary: $BIN"

run_server "sqlite" "$TMP/feedback.db"
if [[ -n ${BENCH_PG_URL:-} ]]; then
	run_server "postgres" "$BENCH_PG_URL"
fi

print_table "(a mix: POST /api/v1/feedback, 201, and GET /api/v1/feedback/track/{code}, 200)"
