#!/usr/bin/env bash
# Benchmark of the unit read endpoints of `thichung serve`, side by side with
# a plain static server (python3 -m http.server) serving the same bodies.
#
#   bench/units_get.sh [path/to/thichung]      (default: <repo>/build/thichung)
#
# Environment:
#   BENCH_SECONDS  duration of each wrk run, seconds (default 10)
#   BENCH_CONN     wrk connections (default 32)
#   BENCH_THREADS  wrk threads (default 2)
#
# Needs wrk (Debian: apt-get install wrk) and python3.  Everything listens on
# 127.0.0.1 only; every server started here is stopped on exit.
# This measures speed only: it asserts nothing about it.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${1:-"$ROOT/build/thichung"}
SECONDS_RUN=${BENCH_SECONDS:-10}
CONN=${BENCH_CONN:-32}
THREADS=${BENCH_THREADS:-2}
HOST=127.0.0.1

die() { printf 'units_get.sh: %s\n' "$*" >&2; exit 1; }

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
			echo "units_get.sh: $name exited before answering $url; its log:" >&2
			sed 's/^/  /' "$log" >&2
			exit 1
		fi
		status=$(http_get "$url" "$TMP/probe")
		[[ $status == 200 ]] && return 0
		sleep 0.1
	done
	echo "units_get.sh: $name did not answer 200 on $url within 20 s (last: $status); its log:" >&2
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

echo "thichung unit read benchmark: ${SECONDS_RUN}s per run, $THREADS threads, $CONN connections"
echo "binary: $BIN"

# ---- thichung: demo database, then serve ----
DB=$TMP/thc.db
if ! "$BIN" demo --db "$DB" >"$TMP/demo.log" 2>&1; then
	echo "units_get.sh: '$BIN demo --db $DB' failed; its output:" >&2
	sed 's/^/  /' "$TMP/demo.log" >&2
	exit 1
fi

THC_PORT=$(free_port)
"$BIN" serve --db "$DB" --listen "$HOST:$THC_PORT" >"$TMP/serve.log" 2>&1 &
THC_PID=$!
PIDS+=("$THC_PID")
THC=http://$HOST:$THC_PORT
wait_http "thichung serve" "$THC_PID" "$THC/healthz" "$TMP/serve.log"

GET_PATH=/api/v1/units/00001
LIST_PATH='/api/v1/units?parent=01&level=district'

# The same bodies, for the static server.
STATIC=$TMP/static
mkdir -p "$STATIC"
fetch "$THC$GET_PATH" "$STATIC/unit_00001.json"
fetch "$THC$LIST_PATH" "$STATIC/units_01_district.json"

STATIC_PORT=$(free_port)
python3 -m http.server "$STATIC_PORT" --bind "$HOST" --directory "$STATIC" \
	>"$TMP/static.log" 2>&1 &
STATIC_PID=$!
PIDS+=("$STATIC_PID")
STATIC_URL=http://$HOST:$STATIC_PORT
wait_http "python3 http.server" "$STATIC_PID" "$STATIC_URL/unit_00001.json" "$TMP/static.log"

printf 'bodies: GET %s = %s bytes, list = %s bytes\n' "$GET_PATH" \
	"$(wc -c <"$STATIC/unit_00001.json")" "$(wc -c <"$STATIC/units_01_district.json")"

bench "thichung GET $GET_PATH" "$THC$GET_PATH"
bench "static   GET $GET_PATH (same body)" "$STATIC_URL/unit_00001.json"
bench "thichung GET $LIST_PATH" "$THC$LIST_PATH"
bench "static   GET $LIST_PATH (same body)" "$STATIC_URL/units_01_district.json"

# Both servers must still be up: a crash under load is worth knowing.
kill -0 "$THC_PID" 2>/dev/null || WARNINGS+=("thichung serve is no longer running (see its log)")
kill -0 "$STATIC_PID" 2>/dev/null || WARNINGS+=("python3 http.server is no longer running")

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
echo "(static = python3 -m http.server on $HOST: a plain Python file server, one process, a thread per connection)"

if ((${#WARNINGS[@]})); then
	echo
	for w in "${WARNINGS[@]}"; do
		echo "warning: $w"
	done
fi
