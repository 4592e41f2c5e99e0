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

die() { printf 'public_reads.sh: %s\n' "$*" >&2; exit 1; }

is_posint() { [[ $1 =~ ^[1-9][0-9]*$ ]]; }
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

TMP=$(mktemp -d "${TMPDIR:-/tmp}/thc-bench.XXXXXX")
PIDS=()

cleanup() {
	local pid
	for pid in "${PIDS[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in "${PIDS[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A free TCP port on the loopback address (the kernel picks it).
free_port() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# http_get URL OUTFILE: writes the body to OUTFILE, prints the status code
# (000 when there is no answer).
http_get() {
	python3 - "$1" "$2" <<'PY'
import sys, urllib.request, urllib.error
url, out = sys.argv[1], sys.argv[2]
try:
    with urllib.request.urlopen(url, timeout=2) as r:
        status, body = r.status, r.read()
except urllib.error.HTTPError as e:
    status, body = e.code, e.read()
except Exception:
    status, body = 0, b""
with open(out, "wb") as f:
    f.write(body)
print("%03d" % status)
PY
}

# wait_http NAME PID URL LOG: waits up to 20 s for a 200 from URL while PID lives.
wait_http() {
	local name=$1 pid=$2 url=$3 log=$4 i status
	for ((i = 0; i < 200; i++)); do
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "public_reads.sh: $name exited before answering $url; its log:" >&2
			sed 's/^/  /' "$log" >&2
			exit 1
		fi
		status=$(http_get "$url" "$TMP/probe")
		[[ $status == 200 ]] && return 0
		sleep 0.1
	done
	echo "public_reads.sh: $name did not answer 200 on $url within 20 s (last: $status); its log:" >&2
	sed 's/^/  /' "$log" >&2
	exit 1
}

# fetch URL OUTFILE: the body of a 200 answer, or a clear failure.
fetch() {
	local status
	status=$(http_get "$1" "$2")
	[[ $status == 200 ]] || die "GET $1 answered $status, not 200: $(head -c 300 "$2")"
}

ROWS=()
WARNINGS=()

# bench LABEL URL: one wrk run; appends a table row.
bench() {
	local label=$1 url=$2 out=$TMP/wrk.out rps p99 non2xx sockerr WRK_PID
	printf '\n== %s\n   %s\n' "$label" "$url"
	# In the background, so that a signal stops the run at once (trap above).
	timeout $((SECONDS_RUN + 60)) wrk -t "$THREADS" -c "$CONN" -d "${SECONDS_RUN}s" \
		--timeout 5s --latency "$url" >"$out" 2>&1 &
	WRK_PID=$!
	PIDS+=("$WRK_PID")
	if ! wait "$WRK_PID"; then
		sed 's/^/   /' "$out"
		die "wrk failed for $label"
	fi
	rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
	p99=$(awk '$1 == "99%" { print $2 }' "$out")
	non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")
	sockerr=$(grep -E '^ *Socket errors:' "$out" || true)
	printf '   requests/s: %s   p99 latency: %s\n' "${rps:-?}" "${p99:-?}"
	[[ -n $non2xx ]] && WARNINGS+=("$label: $non2xx non-2xx/3xx responses")
	[[ -n $sockerr ]] && WARNINGS+=("$label:${sockerr#*:}")
	ROWS+=("$label|${rps:-?}|${p99:-?}")
}

echo "thichung public read benchmark: ${SECONDS_RUN}s per run, $THREADS threads, $CONN connections"
echo "binary: $BIN"

MAP_PATH='/api/v1/levels?date=2022-03-10'
GET_PATH=/api/v1/units/00001
LIST_PATH='/api/v1/units?parent=01&level=district'
STATIC=$TMP/static
mkdir -p "$STATIC"
chmod 755 "$TMP" "$STATIC"     # nginx's worker runs as another user

# serve_demo NAME DB: a demo database, then `thichung serve` on it; sets THC.
serve_demo() {
	local name=$1 db=$2 port pid
	if ! "$BIN" demo --db "$db" >"$TMP/demo-$name.log" 2>&1; then
		echo "public_reads.sh: '$BIN demo --db $db' failed; its output:" >&2
		sed 's/^/  /' "$TMP/demo-$name.log" >&2
		exit 1
	fi
	port=$(free_port)
	# shellcheck disable=SC2086
	"$BIN" serve --db "$db" --listen "$HOST:$port" ${BENCH_SERVE:-} >"$TMP/serve-$name.log" 2>&1 &
	pid=$!
	PIDS+=("$pid")
	THC=http://$HOST:$port
	wait_http "thichung serve ($name)" "$pid" "$THC/healthz" "$TMP/serve-$name.log"
}

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

echo
width=6
for row in "${ROWS[@]}"; do
	label=${row%%|*}
	(( ${#label} > width )) && width=${#label}
done
printf '%-*s | %12s | %11s\n' "$width" target requests/s "p99 latency"
printf '%*s-|-%12s-|-%11s\n' "$width" '' '' '' | tr ' ' -
for row in "${ROWS[@]}"; do
	IFS='|' read -r label rps p99 <<<"$row"
	printf '%-*s | %12s | %11s\n' "$width" "$label" "$rps" "$p99"
done
echo "(nginx: one worker process, sendfile, keep-alive; thichung: serve's defaults${BENCH_SERVE:+, $BENCH_SERVE})"

if ((${#WARNINGS[@]})); then
	echo
	for w in "${WARNINGS[@]}"; do
		echo "warning: $w"
	done
fi
