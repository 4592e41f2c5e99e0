#!/usr/bin/env bash
# `thichung assess` on every commune for the 15 weeks of Decision 4800
# (about 159,000 rows, each with its explanation), side by side with sqlite3
# importing the same CSV and computing the same rule (Decision 4800: cases
# per 100,000 over two weeks, vaccination, capacity, no downgrade) as one
# query, writing a level per row.
#
#   bench/assess.sh [path/to/thichung]      (default: <repo>/build/thichung)
#
# Needs python3 (to write the input) and sqlite3.  Measures only; it
# asserts nothing about the figures.  Best of 5 runs each; the last line
# sets the ratio beside the target (thichung 5 times as fast as sqlite3).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${1:-"$ROOT/build/thichung"}
die() { printf 'assess.sh: %s\n' "$*" >&2; exit 1; }
[[ -x $BIN ]] || die "binary not found: $BIN (build it first)"
command -v sqlite3 >/dev/null 2>&1 || die "sqlite3 is not installed (apt-get install -y sqlite3)"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/thc-assess.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

IN=$TMP/inputs.csv
python3 - "$ROOT/data/units.csv" "$IN" <<'PY'
import csv, datetime, random, sys
random.seed(4800)
communes = [r["code"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))
            if r["level"] == "commune"]
start = datetime.date(2021, 10, 17)          # the 15 weeks from Decision 4800 on
with open(sys.argv[2], "w") as f:
    f.write("unit_code,population,week_end,cases_week,cases_prev_week,"
            "vax1_18plus_pct,vaxfull_elderly_pct,capacity_met,previous_level\n")
    for w in range(15):
        day = (start + datetime.timedelta(days=7 * w)).isoformat()
        for c in communes:
            f.write("%s,%d,%s,%d,%d,%.1f,%.1f,%d,%d\n" % (
                c, random.randint(2000, 40000), day, random.randint(0, 60),
                random.randint(0, 60), random.uniform(50, 100), random.uniform(40, 100),
                random.randint(0, 1), random.randint(1, 4)))
PY
ROWS=$(($(wc -l <"$IN") - 1))

# The rule as one query (the same as bench/levels_bench's, per row).
SQL="SELECT unit_code, CASE m WHEN 0 THEN 0
 WHEN 1 THEN CASE WHEN previous_level > 1 THEN CASE capacity_met WHEN 0 THEN previous_level ELSE 1 END ELSE 1 END
 WHEN 2 THEN CASE WHEN previous_level > 2 THEN CASE capacity_met WHEN 0 THEN previous_level ELSE 2 END ELSE 2 END
 WHEN 3 THEN CASE WHEN previous_level > 3 THEN CASE capacity_met WHEN 0 THEN previous_level ELSE 3 END ELSE 3 END
 ELSE 4 END FROM (
SELECT unit_code, capacity_met + 0 AS capacity_met, previous_level + 0 AS previous_level,
 CASE WHEN vacc = 1 THEN CASE band WHEN 1 THEN 1 WHEN 2 THEN 1 WHEN 3 THEN 2 ELSE 3 END
 ELSE CASE band WHEN 1 THEN 2 WHEN 2 THEN 2 WHEN 3 THEN 3 ELSE 4 END END AS m FROM (
SELECT unit_code, capacity_met, previous_level,
 CASE WHEN per100k < 20 THEN 1 WHEN per100k < 50 THEN 2 WHEN per100k < 150 THEN 3 ELSE 4 END AS band,
 CASE WHEN vax1_18plus_pct + 0 >= 70 AND vaxfull_elderly_pct + 0 >= 80 THEN 1 ELSE 0 END AS vacc FROM (
SELECT *, (cases_week + cases_prev_week) * 100000.0 / (2 * population) AS per100k FROM i)));"

best() {   # best of 5 wall-clock seconds of a command (its output discarded)
	local b="" t s e
	for _ in 1 2 3 4 5; do
		s=$(date +%s.%N)
		"$@" >/dev/null
		e=$(date +%s.%N)
		t=$(echo "$e - $s" | bc -l)
		if [[ -z $b ]] || (( $(echo "$t < $b" | bc -l) )); then b=$t; fi
	done
	printf '%.3f' "$b"
}

THC=$(best "$BIN" assess --rules qd4800-2021 "$IN")
SQ=$(best sqlite3 :memory: -cmd ".mode csv" -cmd ".import $IN i" "$SQL")
TARGET=5.0          # thichung at least 5 times as fast as sqlite3
RATIO=$(echo "$SQ / $THC" | bc -l)
MET=$( (( $(echo "$RATIO >= $TARGET" | bc -l) )) && echo met || echo "not met")
printf '\n%-58s | %8s | %10s | %8s\n' "Decision 4800, every commune x 15 weeks ($ROWS rows)" seconds \
	"x thichung" target
printf '%-58s-|-%8s-|-%10s-|-%8s\n' '' '' '' '' | tr ' ' -
printf '%-58s | %8s | %10s | %8s\n' "thichung assess (levels and explanations, CSV out)" "$THC" "1.0" ""
printf '%-58s | %8s | %10.1f | %8s\n' "sqlite3: .import the CSV, the rule as one query" "$SQ" \
	"$RATIO" ">= $TARGET"
printf 'thichung is %.1f times as fast as sqlite3 here; the target (%s times) is %s.\n' \
	"$RATIO" "$TARGET" "$MET"
