#!/usr/bin/env bash
# Name search on a province of BENCH_PEOPLE people (default 1,000,000), on
# SQLite and PostgreSQL, each query twice: as before schema step 22 (the
# folded name read row by row with LIKE '%text%') and as store/search.c
# runs it now (the trigram index: FTS5 on SQLite, pg_trgm on PostgreSQL;
# two letters through the folded names in order; an ID number through its
# unique index).  Both are the same SQL shape run in sqlite3 and psql side
# by side, with the province officer's scope as a path prefix.
#
#   bench/search.sh [path/to/thichung]      (default: <repo>/build/thichung)
#
# Needs python3, sqlite3 and PostgreSQL 15 (a throw-away cluster under the
# scratch directory, Unix socket only, or BENCH_PG_URL).  Loading takes a
# minute or two; each query runs 3 times, the best is shown.  Measures only.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${1:-"$ROOT/build/thichung"}
N=${BENCH_PEOPLE:-1000000}
die() { printf 'search.sh: %s\n' "$*" >&2; exit 1; }
[[ -x $BIN ]] || die "binary not found: $BIN (build it first)"
command -v sqlite3 >/dev/null 2>&1 || die "sqlite3 is not installed (apt-get install -y sqlite3)"
[[ $N =~ ^[1-9][0-9]*$ ]] || die "BENCH_PEOPLE must be a positive number"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/thc-search.XXXXXX")
PGDIR=
cleanup() {
	[[ -z $PGDIR ]] || PGPORT=${BENCH_PGPORT:-5496} "$ROOT/scripts/pg-cluster.sh" stop "$PGDIR" >/dev/null 2>&1 || true
	[[ -z $PGDIR ]] || rm -rf "$PGDIR"
	rm -rf "$TMP"
}
trap cleanup EXIT
PG_URL=${BENCH_PG_URL:-}
if [[ -z $PG_URL ]]; then
	PGDIR=$(mktemp -d "${TMPDIR:-/tmp}/thc-search-pg.XXXXXX")
	PG_URL=$(PGPORT=${BENCH_PGPORT:-5496} "$ROOT/scripts/pg-cluster.sh" start "$PGDIR")
fi

# People of Hà Nội (01) in its communes, names drawn as Vietnamese names
# are (a few family names for most people), ID numbers 001 + 9 digits.
python3 - "$ROOT/data/units.csv" "$TMP/people.tsv" "$N" <<'PY'
import csv, random, sys
random.seed(22)
units = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
parent = {u["code"]: u["parent_code"] for u in units}
communes = [u["code"] for u in units if u["level"] == "commune" and parent[parent[u["code"]]] == "01"]
fam = ["nguyen"] * 38 + ["tran"] * 11 + ["le"] * 9 + ["pham"] * 7 + ["hoang"] * 5 + ["vu"] * 4 + \
      ["dang", "bui", "do", "ho", "ngo", "duong", "ly", "khuc", "mac", "quach", "trinh", "dinh"]
mid = ["van", "thi", "duc", "minh", "thu", "ngoc", "quang", "thanh", "huu", "kim"]
given = ["an", "binh", "dung", "hoa", "hung", "lan", "linh", "mai", "nam", "phuong", "son", "tuan",
         "hai", "ha", "huong", "long", "quynh", "trang", "yen", "khoa", "dao", "hanh", "vinh"]
with open(sys.argv[2], "w") as f:
    for i in range(int(sys.argv[3])):
        c = random.choice(communes)
        name = " ".join((random.choice(fam), random.choice(mid), random.choice(given)))
        path = "/01/%s/%s/" % (parent[c], c)
        f.write("%d\t%s\t%s\t001%09d\t%s\t%s\t%s\t01\n" % (i + 1, name.title(), name, i, c, path, c))
PY

DB=$TMP/search.db
"$BIN" migrate --db "sqlite://$DB" >/dev/null
"$BIN" import units --db "sqlite://$DB" "$ROOT/data/units.csv" >/dev/null
"$BIN" migrate --db "$PG_URL" >/dev/null
"$BIN" import units --db "$PG_URL" "$ROOT/data/units.csv" >/dev/null
COLS="id, full_name, full_name_folded, id_number, unit_code, unit_path, commune_code, province_code"
t0=$(date +%s)
sqlite3 "$DB" <<SQL
CREATE TABLE load (id, full_name, full_name_folded, id_number, unit_code, unit_path,
  commune_code, province_code);
.mode tabs
.import $TMP/people.tsv load
INSERT INTO people ($COLS, created_at, updated_at) SELECT $COLS, 0, 0 FROM load;
DROP TABLE load;
ANALYZE;
SQL
t1=$(date +%s)
psql -X -q -v ON_ERROR_STOP=1 "$PG_URL" <<SQL
CREATE TEMP TABLE load (id BIGINT, full_name TEXT, full_name_folded TEXT, id_number TEXT,
  unit_code TEXT, unit_path TEXT, commune_code TEXT, province_code TEXT);
\copy load FROM '$TMP/people.tsv'
INSERT INTO people ($COLS, created_at, updated_at) SELECT $COLS, 0, 0 FROM load;
ANALYZE people;
SQL
t2=$(date +%s)
echo "loaded $N people of Hà Nội: SQLite $((t1 - t0)) s, PostgreSQL $((t2 - t1)) s (with the indexes)"

# The columns and the province officer's scope, as store/search.c reads them.
SEL="SELECT p.id, p.full_name, p.id_number, p.unit_code FROM people p"
SCOPE="p.merged_into IS NULL AND substr(p.unit_path, 1, 4) = '/01/'"
RANK="ORDER BY CASE WHEN substr(p.full_name_folded, 1, length(:q)) = :q THEN 0
 WHEN (' ' || p.full_name_folded) LIKE ('% ' || :q || '%') THEN 1 ELSE 2 END, p.full_name_folded, p.id LIMIT 8"
before() { echo "$SEL WHERE $SCOPE AND p.full_name_folded LIKE ('%' || :q || '%') ORDER BY p.full_name_folded, p.id LIMIT 8"; }
# Now: SQLite asks FTS5 for the phrase, PostgreSQL's LIKE is answered by pg_trgm.
after_sqlite() { echo "$SEL WHERE $SCOPE AND p.id IN (SELECT rowid FROM people_name_fts
 WHERE people_name_fts MATCH ('\"' || :q || '\"')) AND p.full_name_folded LIKE ('%' || :q || '%') $RANK"; }
after_pg() { echo "$SEL WHERE $SCOPE AND p.full_name_folded LIKE ('%' || :q || '%') $RANK"; }
after_short() { echo "$SEL WHERE $SCOPE AND p.full_name_folded >= :q AND p.full_name_folded < :upto
 ORDER BY p.full_name_folded, p.id LIMIT 8"; }
after_id() { echo "$SEL WHERE $SCOPE AND p.id_number = :q ORDER BY p.full_name_folded, p.id LIMIT 8"; }

# best_ms BACKEND SQL Q [UPTO]: the best of 3 runs, in milliseconds.
best_ms() {
	local sql=${2//:q/\'$3\'} t best=
	sql=${sql//:upto/\'${4:-}\'}
	for _ in 1 2 3; do
		if [[ $1 == sqlite ]]; then
			t=$(printf '.timer on\n%s;\n' "$sql" | sqlite3 "$DB" | sed -n 's/^Run Time: real \([0-9.]*\).*/\1/p' | tail -1)
			t=$(python3 -c "print('%.1f' % ($t * 1000))")
		else
			t=$(psql -X -q "$PG_URL" -c '\timing on' -c "$sql" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -1)
		fi
		if [[ -z $best ]] || python3 -c "import sys; sys.exit(0 if $t < $best else 1)"; then best=$t; fi
	done
	echo "$best"
}

row() {   # row LABEL Q BEFORE-FN AFTER-FN(S) [UPTO]: AFTER-FN_sqlite and _pg when they differ
	local a=- b=- as=$4 ap=$4
	[[ $(type -t "${4}_sqlite") == function ]] && as=${4}_sqlite ap=${4}_pg
	[[ $3 == - ]] || a=$(best_ms sqlite "$($3)" "$2" "${5:-}")
	[[ $3 == - ]] || b=$(best_ms pg "$($3)" "$2" "${5:-}")
	printf '%-28s %12s %12s %12s %12s\n' "$1" "$a" "$(best_ms sqlite "$($as)" "$2" "${5:-}")" \
		"$b" "$(best_ms pg "$($ap)" "$2" "${5:-}")"
}

echo
printf '%-28s %12s %12s %12s %12s\n' "query (ms, best of 3)" "SQLite scan" "SQLite now" "PG scan" "PG now"
row "'nguyen van an' (common)" "nguyen van an" before after
row "'khuc minh' (rare)" "khuc minh" before after
row "'quynh' (a given name)" "quynh" before after
row "'zzq' (nowhere)" "zzq" before after
row "'le' (2 letters)" "le" before after_short lf
row "ID number (exact)" "001000000042" - after_id
echo
echo "plans now (SQLite, PostgreSQL) for 'khuc minh':"
sqlite3 "$DB" "EXPLAIN QUERY PLAN $(after_sqlite | sed "s/:q/'khuc minh'/g");" | sed 's/^/  /'
psql -X -q "$PG_URL" -c "EXPLAIN $(after_pg | sed "s/:q/'khuc minh'/g")" | sed 's/^/  /'
