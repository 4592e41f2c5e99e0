#!/usr/bin/env bash
# Public reads of `thichung serve`, side by side with nginx serving the same
# bytes as static files: the level map (GET /api/v1/levels?date=...), one
# unit and a list of units, anonymous as the public reads them, on SQLite and
# (with BENCH_PG_URL) on PostgreSQL.
#
#   bench/public_reads.sh [path/to/thichung]      (default: <repo>/build/thichung)
#
# Environment:
#   BENCH_SECONDS  duration of each wrk run, seconds (default 10)
#   BENCH_CONN     wrk connections (default 32)
#   BENCH_THREADS  wrk threads (default 2)
#   BENCH_PG_URL   an empty PostgreSQL database to run the same on (optional)
#   BENCH_SERVE    extra options for `thichung serve` (e.g. "--public-cache-ms 0")
#
# Needs wrk, nginx (Debian: apt-get install wrk nginx-light) and python3.
# Everything listens on 127.0.0.1 only; every server started here is stopped
# on exit.  This measures speed only: it asserts nothing about it.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${1:-"$ROOT/build/thichung"}
SECONDS_RUN=${BENCH_SECONDS:-10}
CONN=${BENCH_CONN:-32}
THREADS=${BENCH_THREADS:-2}
HOST=127.0.0.1

NAME=public_reads.sh
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

is_posint "$SECONDS_RUN" || die "BENCH_SECONDS must be a positive integer (got '$SECONDS_RUN')"
is_posint "$CONN" || die "BENCH_CONN must be a positive integer (got '$CONN')"
is_posint "$THREADS" || die "BENCH_THREADS must be a positive integer (got '$THREADS')"
(( CONN >= THREADS )) || die "BENCH_CONN ($CONN) must be >= BENCH_THREADS ($THREADS)"

if [[ ! -e $BIN ]]; then
	die "binary not found: $BIN (build it first: cmake -S . -B build && cmake --build build)"
fi
[[ -f $BIN && -x $BIN ]] || die "not an executable file: $BIN"
command -v wrk >/dev/null 2>&1 ||
	die "wrk is not installed (Debian/Ubuntu: apt-get install -y wrk)"
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[[ -x $NGINX ]] || die "nginx is not installed (Debian/Ubuntu: apt-get install -y nginx-light)"
command -v python3 >/dev/null 2>&1 ||
	die "python3 is not installed (Debian/Ubuntu: apt-get install -y python3)"

echo "thichung public read benchmark: ${SECONDS_RUN}s per run, $THREADS threads, $CONN connections"
echo "binary: $BIN"

MAP_PATH='/api/v1/levels?date=2022-03-10'
GET_PATH=/api/v1/units/00001
LIST_PATH='/api/v1/units?parent=01&level=district'
STATIC=$TMP/static
mkdir -p "$STATIC"
chmod 755 "$TMP" "$STATIC"     # nginx's worker runs as another user

serve_demo sqlite "$TMP/thc.db"
SQLITE=$THC
# The same bodies, for nginx.
fetch "$SQLITE$MAP_PATH" "$STATIC/levels.json"
fetch "$SQLITE$GET_PATH" "$STATIC/unit.json"
fetch "$SQLITE$LIST_PATH" "$STATIC/units.json"

NGINX_PORT=$(free_port)
cat >"$TMP/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $TMP/nginx.pid;
error_log $TMP/nginx-error.log;
events { worker_connections 1024; }
http {
	access_log off;
	sendfile on;
	keepalive_requests 1000000;
	types { application/json json; }
	server {
		listen $HOST:$NGINX_PORT;
		root $STATIC;
	}
}
CONF
"$NGINX" -c "$TMP/nginx.conf" -p "$TMP" >"$TMP/nginx.log" 2>&1 &
NGINX_PID=$!
PIDS+=("$NGINX_PID")
NGINX_URL=http://$HOST:$NGINX_PORT
wait_http "nginx" "$NGINX_PID" "$NGINX_URL/unit.json" "$TMP/nginx.log"

printf 'bodies: map %s bytes, unit %s bytes, list %s bytes\n' "$(wc -c <"$STATIC/levels.json")" \
	"$(wc -c <"$STATIC/unit.json")" "$(wc -c <"$STATIC/units.json")"

bench "thichung sqlite   GET $MAP_PATH" "$SQLITE$MAP_PATH"
bench "nginx            the same bytes" "$NGINX_URL/levels.json"
bench "thichung sqlite   GET $GET_PATH" "$SQLITE$GET_PATH"
bench "nginx            the same bytes" "$NGINX_URL/unit.json"
bench "thichung sqlite   GET $LIST_PATH" "$SQLITE$LIST_PATH"
bench "nginx            the same bytes" "$NGINX_URL/units.json"
if [[ -n ${BENCH_PG_URL:-} ]]; then
	serve_demo postgres "$BENCH_PG_URL"
	bench "thichung postgres GET $MAP_PATH" "$THC$MAP_PATH"
	bench "thichung postgres GET $GET_PATH" "$THC$GET_PATH"
	bench "thichung postgres GET $LIST_PATH" "$THC$LIST_PATH"
fi

print_table "(nginx: one worker process, sendfile, keep-alive; thichung: serve's defaults${BENCH_SERVE:+, $BENCH_SERVE})"
