#!/usr/bin/env bash
# Sizing from a simulation: two years of an epidemic over the whole country
# (SIZING_CASES cases, default 10,000,000, detected in 2021 and 2022), and
# one province's share of it run as a deployment of its own.  Measures what
# docs/scaling.md §8.8 needs to size a machine: the database's size as it
# grows, each import's time, and then, on the finished database, the
# server's start, memory and the reads its users make.
#
#   bench/sizing.sh [path/to/thichung]        (default: <repo>/build/thichung)
#
# SIZING_CASES=N       cases for the nation (at least 100,000)
# SIZING_PG_URL=URL    an EMPTY PostgreSQL database: the nation there too
# SIZING_PROVINCE=0    leaves the province's own database out
#
# The simulated epidemic: the days of 2021 and 2022 weighted as the two
# waves Vietnam had (a Delta wave peaking in August 2021, mostly in the
# south-east; an Omicron wave peaking in March 2022 everywhere, three
# quarters of all cases) over a low baseline; a case's commune drawn by
# population; Vietnamese names as they are distributed (two fifths
# Nguyễn); half with a 12-digit ID number; 80% community, 15% in
# quarantine, 5% imported; 3% on oxygen; 0.5% died.  Every commune gets a
# published level every week of the two years.  Deterministic (seeded).
# Cases are imported as a province or the ministry would, a file of up to
# 1,000,000 rows at a time in date order (`thichung import cases`).
# Loopback only; measures, asserts nothing.  The nation takes about 5 GB
# of disk and 20 minutes on SQLite on 2 cores, 6.5 GB and 25 minutes more
# on PostgreSQL.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${1:-"$ROOT/build/thichung"}
NCASES=${SIZING_CASES:-10000000}
PG_URL=${SIZING_PG_URL:-}
HOST=127.0.0.1
SECONDS_RUN=1 CONN=1 THREADS=1
NAME=sizing.sh
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

[[ -x $BIN ]] || die "no thichung binary at $BIN (build first)"
is_posint "$NCASES" && ((NCASES >= 100000)) || die "SIZING_CASES must be a number, at least 100000"

# The units and demo accounts; the simulation reads the communes from it.
"$BIN" demo --db "$TMP/base.db" >/dev/null
echo "generating $NCASES cases over 2021-2022 and 104 weeks of levels ..."
PROVINCE=$(python3 - "$TMP/base.db" "$TMP" "$NCASES" <<'PY'
import datetime, itertools, math, random, sqlite3, sys

db, out, total = sys.argv[1], sys.argv[2], int(sys.argv[3])
rnd = random.Random(20211)
communes = sqlite3.connect(db).execute(
    "SELECT code, substr(path, 2, instr(substr(path, 2), '/') - 1), COALESCE(population, 1000)"
    " FROM units WHERE level = 'commune' ORDER BY code").fetchall()
codes = [c[0] for c in communes]
province = [c[1] for c in communes]

# The levels: every commune, every week (Thursdays), a quarter per file
# (an import takes at most 200,000 rows).
start = datetime.date(2021, 1, 7)
for q in range(8):
    with open("%s/levels.%d.csv" % (out, q), "w", encoding="utf-8") as f:
        f.write("date,unit_code,level\n")
        for w in range(13 * q, 13 * q + 13):
            d = (start + datetime.timedelta(days=7 * w)).isoformat()
            for i, c in enumerate(codes):
                f.write("%s,%s,%d\n" % (d, c, 1 + (i * 7 + w * 3) % 4 if w % 5 else 1))

# The days: baseline + Delta (2021-08-20, σ 28 days) + Omicron (2022-03-09, σ 24).
day0 = datetime.date(2021, 1, 1)
days = [day0 + datetime.timedelta(days=k) for k in range(730)]
def bump(d, peak, sigma):
    return math.exp(-(((d - peak).days / sigma) ** 2) / 2)
delta, omicron = datetime.date(2021, 8, 20), datetime.date(2022, 3, 9)
wd = [0.004 + 0.22 * bump(d, delta, 28) / 70 + 0.75 * bump(d, omicron, 24) / 60 for d in days]
scale = total / sum(wd)
counts = [int(w * scale) for w in wd]
for k in range(total - sum(counts)):
    counts[k * 7919 % 730] += 1

# Communes by population; in 2021 the south-east weighs ten times more.
south = {"79", "74", "75", "80", "82", "83", "86", "87", "89", "91", "92", "72", "77"}
pop = [c[2] for c in communes]
w2021 = [p * (10 if pr in south else 1) for p, pr in zip(pop, province)]
cw2021, cw2022 = list(itertools.accumulate(w2021)), list(itertools.accumulate(pop))

family = (["Nguyễn"] * 38 + ["Trần"] * 11 + ["Lê"] * 9 + ["Phạm"] * 7 + ["Hoàng"] * 4 + ["Huỳnh"] * 2
          + ["Phan"] * 4 + ["Vũ"] * 3 + ["Võ"] * 2 + ["Đặng"] * 2 + ["Bùi"] * 2 + ["Đỗ"] + ["Hồ"] + ["Ngô"]
          + ["Dương", "Lý", "Đinh", "Trương", "Lâm", "Mai", "Tạ", "Hà", "Lương", "Cao"])
middle_m = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Thanh", "Xuân", "Công", "Anh", "Tiến", "Ngọc"]
middle_f = ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Hồng", "Phương", "Kim", "Mai"]
given_m = ["An", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Hải", "Hiếu", "Hoàng", "Hùng", "Huy", "Khánh",
           "Khoa", "Long", "Lâm", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Sơn", "Tài", "Thắng",
           "Thành", "Trung", "Tuấn", "Tùng", "Việt", "Vinh"]
given_f = ["Anh", "Châu", "Chi", "Dung", "Giang", "Hà", "Hằng", "Hạnh", "Hoa", "Hương", "Huyền", "Lan",
           "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Nhung", "Oanh", "Phương", "Quỳnh", "Tâm", "Thảo",
           "Thủy", "Trang", "Trinh", "Vân", "Yến", "Xuân"]
serial = {}

FILE_ROWS = 1000000
head = ("external_id,full_name,id_number,birth_year,sex,unit_code,detected_on,source,test_type,"
        "needs_oxygen,outcome,outcome_on\n")
files = {"nation": 0, "province": 0}
def flush(kind, lines):
    with open("%s/%s.%02d.csv" % (out, kind, files[kind]), "w", encoding="utf-8") as f:
        f.write(head)
        f.writelines(lines)
    files[kind] += 1
    lines.clear()

lines, written, per_province = [], 0, {}

for k, d in enumerate(days):
    if counts[k] == 0:
        continue
    iso = d.isoformat()
    for i in rnd.choices(range(len(codes)), cum_weights=cw2021 if d.year == 2021 else cw2022,
                         k=counts[k]):
        written += 1
        male = rnd.random() < 0.5
        name = "%s %s %s" % (rnd.choice(family), rnd.choice(middle_m if male else middle_f),
                             rnd.choice(given_m if male else given_f))
        year = 1935 + int(rnd.random() * 85)
        idn = ""
        if written % 2:
            # Unique: a serial per province, sex and year of birth.
            key = (province[i], male, year)
            serial[key] = serial.get(key, 0) + 1
            idn = "%03d%d%02d%06d" % (int(province[i]), (0 if male else 1) + (2 if year >= 2000 else 0),
                                      year % 100, serial[key] * 7919 % 1000000)
        r = rnd.random()
        source = "community" if r < 0.80 else "quarantine" if r < 0.95 else "imported"
        died = rnd.random() < 0.005
        lines.append("S%08d,%s,%s,%d,%s,%s,%s,%s,%s,%d,%s,%s\n" % (
            written, name, idn, year, "male" if male else "female", codes[i], iso, source,
            "rt-pcr" if r < 0.4 else "antigen", rnd.random() < 0.03, "died" if died else "",
            (d + datetime.timedelta(days=9)).isoformat() if died else ""))
        per_province[province[i]] = per_province.get(province[i], 0) + 1
        if len(lines) == FILE_ROWS:
            flush("nation", lines)
if lines:
    flush("nation", lines)

# The province with the most cases, on its own: its lines in the same order.
top = max(per_province, key=per_province.get)
mine = set(c for c, p in zip(codes, province) if p == top)
for q in range(files["nation"]):
    with open("%s/nation.%02d.csv" % (out, q), encoding="utf-8") as f:
        next(f)
        for l in f:
            if l.split(",", 6)[5] in mine:
                lines.append(l)
                if len(lines) == FILE_ROWS:
                    flush("province", lines)
if lines:
    flush("province", lines)
print(top, per_province[top])
PY
)
read -r PCODE PCASES <<<"$PROVINCE"
echo "the largest province in the simulation: $PCODE with $PCASES cases"

# size DB: bytes of the database (with its WAL) or of the PostgreSQL database.
size_of() {
	if [[ $1 == postgres* ]]; then
		psql -Atq "$1" -c "SELECT pg_database_size(current_database())"
	else
		local f=("$1")
		[[ -f $1-wal ]] && f+=("$1-wal")
		du -cb "${f[@]}" | awk 'END { print $1 }'
	fi
}
mb() { awk -v b="$1" 'BEGIN { printf "%.0f", b / 1048576 }'; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

REPORT=()
# build LABEL DB FILES...: the demo, the levels and the case files into DB,
# a line per file; then the reads.
build() {
	local label=$1 db=$2 f t0 t1 cases=0 n
	shift 2
	printf '\n== %s\n' "$label"
	"$BIN" demo --db "$db" >/dev/null
	t0=$(now)
	for f in "$TMP"/levels.*.csv; do
		"$BIN" import levels --db "$db" "$f" >/dev/null
	done
	t1=$(now)
	printf '%-12s %10s %10s %10s\n' "after" "cases" "import s" "size MB"
	printf '%-12s %10s %10s %10s\n' "levels" 0 "$(secs "$t0" "$t1")" "$(mb "$(size_of "$db")")"
	for f in "$@"; do
		n=$(($(wc -l <"$f") - 1))
		t0=$(now)
		"$BIN" import cases --db "$db" "$f" >/dev/null
		t1=$(now)
		cases=$((cases + n))
		printf '%-12s %10s %10s %10s\n' "$(basename "$f" .csv)" "$cases" "$(secs "$t0" "$t1")" \
			"$(mb "$(size_of "$db")")"
	done
	reads "$label" "$db" "$cases"
}

# reads LABEL DB CASES: serve on DB (public answers not kept, so each read
# is the database's), timed as a user's requests end to end.
reads() {
	local label=$1 db=$2 cases=$3 port pid start first
	port=$(free_port)
	start=$(date +%s%N)
	"$BIN" serve --db "$db" --listen "$HOST:$port" --public-cache-ms 0 >"$TMP/serve.log" 2>&1 &
	pid=$!
	PIDS+=("$pid")
	first=""
	for ((i = 0; i < 100000; i++)); do
		if curl -sf -o /dev/null "http://$HOST:$port/healthz" 2>/dev/null; then
			first=$((($(date +%s%N) - start) / 1000000))
			break
		fi
		kill -0 "$pid" 2>/dev/null || die "serve exited: $(tail -5 "$TMP/serve.log")"
	done
	[[ -n $first ]] || die "serve did not answer"
	python3 - "http://$HOST:$port" "$PCODE" "$label" "$cases" "$(size_of "$db")" "$first" "$pid" \
		>>"$TMP/report" <<'PY'
import json, sys, time, urllib.request

base, prov, label, cases, size, first, pid = sys.argv[1:8]
def get(path, token=None, want=200):
    req = urllib.request.Request(base + path)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    best = None
    for _ in range(3):
        t0 = time.perf_counter()
        with urllib.request.urlopen(req, timeout=120) as r:
            body = r.read()
            assert r.status == want, (path, r.status)
        ms = (time.perf_counter() - t0) * 1000
        best = ms if best is None else min(best, ms)
    return best, body

def login(user):
    req = urllib.request.Request(base + "/api/v1/login", method="POST",
                                 data=json.dumps({"username": user, "password": "demo2021"}).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())["token"]

rows = []
ms, body = get("/api/v1/levels?date=2022-03-10")
rows.append(("the level map of the country (%d KB)" % (len(body) // 1024), ms))
ms, _ = get("/api/v1/units/VN/weekly?from=2022-01-03&to=2022-12-25")
rows.append(("weekly figures of 2022, the country", ms))
ms, _ = get("/api/v1/units/%s/weekly?from=2022-01-03&to=2022-12-25" % prov)
rows.append(("weekly figures of 2022, province %s" % prov, ms))
ms, _ = get("/api/v1/units/%s/children/weekly?week_end=2022-03-13" % prov)
rows.append(("its districts in the week of the peak", ms))
token = login("admin")
ms, _ = get("/api/v1/cases?unit=%s&limit=50" % prov, token)
rows.append(("a page of 50 of the province's cases (admin)", ms))
ms, _ = get("/api/v1/search?q=nguyen%20van%20an&kind=person&limit=20", token)
rows.append(("name search 'nguyen van an' (admin, the country)", ms))
ms, _ = get("/api/v1/search?q=le%20thi%20mai&kind=person&limit=20", token)
rows.append(("name search 'le thi mai'", ms))
rss = hwm = 0
for line in open("/proc/%s/status" % pid):
    if line.startswith("VmRSS"):
        rss = int(line.split()[1]) // 1024
    if line.startswith("VmHWM"):
        hwm = int(line.split()[1]) // 1024
print("%s|cases|%s" % (label, cases))
print("%s|database size, MB|%.0f" % (label, int(size) / 1048576))
print("%s|serve: start to first answer, ms|%s" % (label, first))
for what, ms in rows:
    print("%s|%s, ms|%.0f" % (label, what, ms))
print("%s|resident memory after the reads (peak), MB|%d (%d)" % (label, rss, hwm))
PY
	kill "$pid"
	wait "$pid" 2>/dev/null || true
}

build "nation, SQLite" "$TMP/nation.db" "$TMP"/nation.*.csv
rm -f "$TMP/nation.db" "$TMP/nation.db-wal" "$TMP/nation.db-shm"
if [[ ${SIZING_PROVINCE:-1} != 0 ]]; then
	build "province $PCODE alone, SQLite" "$TMP/province.db" "$TMP"/province.*.csv
	rm -f "$TMP/province.db" "$TMP/province.db-wal" "$TMP/province.db-shm"
fi
if [[ -n $PG_URL ]]; then
	build "nation, PostgreSQL" "$PG_URL" "$TMP"/nation.*.csv
fi

printf '\n%-58s' "sizing (bench/sizing.sh, $NCASES cases over 2021-2022)"
mapfile -t LABELS < <(cut -d'|' -f1 "$TMP/report" | awk '!seen[$0]++')
for l in "${LABELS[@]}"; do printf ' | %-26s' "$l"; done
echo
mapfile -t WHATS < <(cut -d'|' -f2 "$TMP/report" | awk '!seen[$0]++')
for w in "${WHATS[@]}"; do
	printf '%-58s' "$w"
	for l in "${LABELS[@]}"; do
		printf ' | %-26s' "$(awk -F'|' -v l="$l" -v w="$w" '$1 == l && $2 == w { print $3 }' "$TMP/report")"
	done
	echo
done
