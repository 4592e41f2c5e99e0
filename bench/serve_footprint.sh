#!/usr/bin/env bash
# The server's memory and start on a national database: the demo data
# (every real unit, population, accounts), a year of published levels for
# every commune, and BENCH_ROWS cases (default 1,000,000) imported with
# `thichung import cases`.  Then `thichung serve` is started and timed to
# its first answer (GET /healthz, then the level map), and its resident
# memory is read from /proc after a round of public reads.
#
#   bench/serve_footprint.sh [path/to/thichung]   (default: <repo>/build/thichung)
#
# Targets it is compared with: first answer within 200 ms of the start,
# under 100 MB resident.  Measures only; asserts nothing.  Loopback only.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${1:-"$ROOT/build/thichung"}
NCASES=${BENCH_ROWS:-1000000}
HOST=127.0.0.1
SECONDS_RUN=1 CONN=1 THREADS=1
NAME=serve_footprint.sh
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

[[ -x $BIN ]] || die "no thichung binary at $BIN (build first)"
is_posint "$NCASES" || die "BENCH_ROWS must be a positive integer"
DB=$TMP/nation.db

"$BIN" demo --db "$DB" >/dev/null
# A year of levels for every commune (weekly), and the case list.
python3 - "$DB" "$TMP/levels.csv" "$TMP/cases.csv" "$NCASES" <<'PY'
import datetime, sqlite3, sys
db, levels, cases, rows = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
communes = [r[0] for r in sqlite3.connect(db).execute(
    "SELECT code FROM units WHERE level = 'commune' ORDER BY code")]
start = datetime.date(2021, 1, 7)
# A quarter per file: an import takes at most 200,000 rows.
for q in range(4):
    with open("%s.%d" % (levels, q), "w", encoding="utf-8") as f:
        f.write("date,unit_code,level\n")
        for w in range(13 * q, 13 * q + 13):
            d = (start + datetime.timedelta(days=7 * w)).isoformat()
            for i, c in enumerate(communes):
                f.write("%s,%s,%d\n" % (d, c, 1 + (i * 7 + w) % 4))
with open(cases, "w", encoding="utf-8") as f:
    f.write("external_id,full_name,birth_year,sex,unit_code,detected_on,source,test_type\n")
    for n in range(rows):
        c = communes[n * len(communes) // rows]
        d = start + datetime.timedelta(days=n % 360)
        f.write("F%07d,Người bệnh %d,%d,%s,%s,%s,community,rt-pcr\n"
                % (n, n, 1940 + n % 70, "male" if n % 2 else "female", c, d.isoformat()))
PY
t0=$(date +%s.%N)
for q in 0 1 2 3; do
	"$BIN" import levels --db "$DB" "$TMP/levels.csv.$q" >/dev/null
done
t1=$(date +%s.%N)
"$BIN" import cases --db "$DB" "$TMP/cases.csv" >/dev/null
t2=$(date +%s.%N)

PORT=$(free_port)
URL=http://$HOST:$PORT
start=$(date +%s%N)
"$BIN" serve --db "$DB" --listen "$HOST:$PORT" >"$TMP/serve.log" 2>&1 &
PID=$!
PIDS+=("$PID")
# A probe in bash itself (/dev/tcp): a process per probe would blur the ms.
healthy() {
	local line
	exec 3<>"/dev/tcp/$HOST/$PORT" 2>/dev/null || return 1
	printf 'GET /healthz HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' "$HOST" >&3
	IFS= read -r line <&3 || line=""
	exec 3<&- 3>&-
	[[ $line == "HTTP/1.1 200"* ]]
}
first=""
for ((i = 0; i < 200000; i++)); do
	if healthy 2>/dev/null; then
		first=$(( ($(date +%s%N) - start) / 1000000 ))
		break
	fi
	kill -0 "$PID" 2>/dev/null || die "serve exited: $(tail -5 "$TMP/serve.log")"
done
[[ -n $first ]] || die "serve did not answer"
m0=$(date +%s%N)
fetch "$URL/api/v1/levels?date=2021-12-30" "$TMP/map.json"
map_ms=$(( ($(date +%s%N) - m0) / 1000000 ))
for code in 01 79 22 001 760; do
	fetch "$URL/api/v1/units/$code" "$TMP/u.json"
	fetch "$URL/api/v1/units/$code/weekly?from=2021-01-04&to=2021-12-26" "$TMP/w.json"
done
rss=$(awk '/^VmRSS/ {print int($2 / 1024)}' "/proc/$PID/status")
hwm=$(awk '/^VmHWM/ {print int($2 / 1024)}' "/proc/$PID/status")

printf '\n%-56s | %10s | %8s\n' "serve on the nation ($NCASES cases, 52 weeks of levels)" thichung target
printf '%-56s-|-%10s-|-%8s\n' '' '' '' | tr ' ' -
printf '%-56s | %10s | %8s\n' "import levels (every commune x 52 weeks), s" \
	"$(printf '%.1f' "$(echo "$t1 - $t0" | bc -l)")" "-"
printf '%-56s | %10s | %8s\n' "import cases, s" "$(printf '%.1f' "$(echo "$t2 - $t1" | bc -l)")" "< 10"
printf '%-56s | %10s | %8s\n' "start to first answer (GET /healthz), ms" "$first" "< 200"
printf '%-56s | %10s | %8s\n' "then the level map of the country, ms" "$map_ms" "-"
printf '%-56s | %10s | %8s\n' "resident memory after public reads (peak), MB" "$rss ($hwm)" "< 100"
