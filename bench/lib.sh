# What the HTTP benchmarks share (sourced by bench/*.sh): a scratch
# directory and the processes to stop on exit, free loopback ports, probes,
# one wrk run appended to a table, and the table.  The caller sets NAME
# (for messages), BIN, HOST, SECONDS_RUN, CONN and THREADS first.

die() { printf '%s: %s\n' "$NAME" "$*" >&2; exit 1; }

is_posint() { [[ $1 =~ ^[1-9][0-9]*$ ]]; }

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
			echo "$NAME: $name exited before answering $url; its log:" >&2
			sed 's/^/  /' "$log" >&2
			exit 1
		fi
		status=$(http_get "$url" "$TMP/probe")
		[[ $status == 200 ]] && return 0
		sleep 0.1
	done
	echo "$NAME: $name did not answer 200 on $url within 20 s (last: $status); its log:" >&2
	sed 's/^/  /' "$log" >&2
	exit 1
}

# fetch URL OUTFILE: the body of a 200 answer, or a clear failure.
fetch() {
	local status
	status=$(http_get "$1" "$2")
	[[ $status == 200 ]] || die "GET $1 answered $status, not 200: $(head -c 300 "$2")"
}

# serve_demo NAME DB [OPTION...]: a demo database, then `thichung serve` on it
# with the options and $BENCH_SERVE; sets THC and THC_PID.
serve_demo() {
	local name=$1 db=$2 port pid
	if ! "$BIN" demo --db "$db" >"$TMP/demo-$name.log" 2>&1; then
		echo "$NAME: '$BIN demo --db $db' failed; its output:" >&2
		sed 's/^/  /' "$TMP/demo-$name.log" >&2
		exit 1
	fi
	port=$(free_port)
	# shellcheck disable=SC2086
	"$BIN" serve --db "$db" --listen "$HOST:$port" "${@:3}" ${BENCH_SERVE:-} >"$TMP/serve-$name.log" 2>&1 &
	pid=$!
	PIDS+=("$pid")
	THC=http://$HOST:$port
	THC_PID=$pid
	wait_http "thichung serve ($name)" "$pid" "$THC/healthz" "$TMP/serve-$name.log"
}

ROWS=()
WARNINGS=()

# bench LABEL URL [LUA]: one wrk run; appends a table row; with LUA, wrk
# runs that script (the requests it builds).
bench() {
	local label=$1 url=$2 out=$TMP/wrk.out rps p99 non2xx sockerr WRK_PID
	local script=()
	[[ -n ${3:-} ]] && script=(-s "$3")
	printf '\n== %s\n   %s\n' "$label" "$url"
	# In the background, so that a signal stops the run at once (trap above).
	timeout $((SECONDS_RUN + 60)) wrk -t "$THREADS" -c "$CONN" -d "${SECONDS_RUN}s" \
		--timeout 5s --latency "${script[@]}" "$url" >"$out" 2>&1 &
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

# print_table NOTE: the rows side by side, the note under them, then warnings.
print_table() {
	local row label rps p99 width=6 w
	echo
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
	echo "$1"
	if ((${#WARNINGS[@]})); then
		echo
		for w in "${WARNINGS[@]}"; do
			echo "warning: $w"
		done
	fi
}
