"""
thichung backup / restore, on the backend under test (SQLite files, or
PostgreSQL databases with THC_TEST_PG_DIR).

CLI forms:
  thichung backup  --db PATH|URL FILE
  thichung restore --db PATH|URL [--force] FILE

The source database is filled through the API and the CLI with rows in
every table.  The tables are read from the database's own catalogue, so a
table added by a later migration is covered without touching this file, and
an empty one fails the test until the fixture below fills it.

Readings:
- A backup taken while a server keeps writing completes, restores, and is
  one consistent moment: the writer's households in the copy are a prefix
  of those it created, each with its audit entry, and every table's rows
  are among the source's.
- A backup of the idle source restored into a fresh database equals it,
  table by table and row by row (SQLite: Python's sqlite3; PostgreSQL: psql
  COPY ... TO STDOUT), with the same indexes, triggers and sequences; the
  audit trail stays append-only, sessions still sign in, and new rows get
  new ids.
- restore refuses (exit 2, nothing changed) a non-empty target without
  --force, a file that is not a backup, a database without schema_migrations,
  one from a newer schema, and a backup of the other backend (saying so).
- A failed backup leaves an existing FILE as it was and no FILE.tmp.
- SQLite: FILE may not be the database itself (a copy renamed over a live
  WAL database would wreck it).
- PostgreSQL: the password reaches pg_dump / pg_restore in PGPASSWORD, never
  on their command line; pg_dump's failure is reported with its stderr.
"""

import datetime
import os
import shutil
import sqlite3
import subprocess
import tempfile
import threading
import time
import unittest
import uuid

import harness
from harness import BIN, DATA_DIR, PG_CLUSTER, TEST_TMP, Server, cli, main

PG = harness.PG_DIR is not None
WRITER_NAME = "Hộ ghi trong lúc sao lưu"
NOTE = "dòng 1\ndòng 2\t'nháy' \"kép\" \\ gạch"   # escapes survive the round trip

GROUPS = [
    {"age_group": "18+", "population": 1000, "dose1": 900, "full_dose": 600},
    {"age_group": "65+", "population": 200, "dose1": 190, "full_dose": 180, "booster": 10},
]


def person(name, idn, unit="00001-001-0001"):
    return {"full_name": name, "id_number": idn, "birth_year": 1980, "sex": "female",
            "unit_code": unit}


# ---- the backend under test, read directly ----

def new_db(workdir, tag):
    if not PG:
        return os.path.join(workdir, "%s.db" % tag)
    name = "bk_%s_%s" % (tag, uuid.uuid4().hex[:10])
    out = subprocess.run([PG_CLUSTER, "createdb", harness.PG_DIR, name], check=True,
                         capture_output=True, text=True, timeout=60)
    return out.stdout.strip()


# The cluster's own psql: Debian's /usr/bin/psql is a Perl wrapper, 0.1 s a call.
PSQL = os.path.join(os.environ.get("PGBIN", "/usr/lib/postgresql/15/bin"), "psql")
if not os.access(PSQL, os.X_OK):
    PSQL = "psql"


def psql(url, sql, check=True):
    return subprocess.run([PSQL, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url,
                           "-c", sql], check=check, capture_output=True, text=True, timeout=120)


def sqlite_ro(path):
    return sqlite3.connect("file:%s?mode=ro" % path, uri=True, timeout=30)


def tables(db):
    if PG:
        out = psql(db, "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        return sorted(out.stdout.split())
    con = sqlite_ro(db)
    try:
        names = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        # A full-text index (FTS5) keeps its b-trees in tables of its own
        # (name_data, name_idx ...) whose segments merge as writes come: two
        # copies of one index differ there.  Its rows are compared instead.
        virtual = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            " AND sql LIKE 'CREATE VIRTUAL TABLE%'")]
        return sorted(n for n in names if not any(n.startswith(v + "_") for v in virtual))
    finally:
        con.close()


def rows(db, table):
    """The table's rows in a stable order, each as the backend shows it."""
    if PG:
        return sorted(psql(db, 'COPY "%s" TO STDOUT' % table).stdout.splitlines())
    con = sqlite_ro(db)
    try:
        return sorted(con.execute('SELECT * FROM "%s"' % table).fetchall(), key=repr)
    finally:
        con.close()


def schema(db):
    """Everything but the rows: indexes, triggers, functions, sequence positions."""
    if PG:
        return psql(db, "SELECT 'index ' || indexname || ': ' || indexdef FROM pg_indexes"
                        " WHERE schemaname = current_schema()"
                        " UNION ALL SELECT 'trigger ' || tgname || ' on ' || tgrelid::regclass"
                        " FROM pg_trigger WHERE NOT tgisinternal"
                        " UNION ALL SELECT 'function ' || proname FROM pg_proc"
                        " WHERE pronamespace = current_schema()::regnamespace"
                        " UNION ALL SELECT 'sequence ' || sequencename || ' at '"
                        " || coalesce(last_value::text, '-') FROM pg_sequences"
                        " WHERE schemaname = current_schema() ORDER BY 1").stdout.splitlines()
    con = sqlite_ro(db)
    try:
        return con.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"
                           " ORDER BY type, name").fetchall()
    finally:
        con.close()


def run_sql(db, sql):
    if PG:
        psql(db, sql)
        return
    con = sqlite3.connect(db)
    try:
        con.executescript(sql)
    finally:
        con.close()


def cli_env(*args, env):
    p = subprocess.run([BIN] + [str(a) for a in args], capture_output=True, text=True,
                       timeout=300, env=env, stdin=subprocess.DEVNULL)
    return p.returncode, p.stdout, p.stderr


class Writer(threading.Thread):
    """Creates households through the API until stopped, one after another."""

    def __init__(self, srv, token):
        super().__init__(daemon=True)
        self.srv, self.token = srv, token
        self.stop = threading.Event()
        self.created = []        # codes, in order
        self.spans = []          # (start, end) of each request
        self.failures = []
        self.cond = threading.Condition()

    def run(self):
        i = 0
        while not self.stop.is_set():
            i += 1
            t0 = time.monotonic()
            r = self.srv.request("POST", "/api/v1/units", token=self.token,
                                 body={"parent_code": "00001-002", "level": "household",
                                       "name": "%s %d" % (WRITER_NAME, i), "members": 2})
            with self.cond:
                self.spans.append((t0, time.monotonic()))
                if r.status == 201:
                    self.created.append(r.json["code"])
                else:
                    self.failures.append(r.describe())
                self.cond.notify_all()

    def wait_for(self, n, timeout=30):
        deadline = time.monotonic() + timeout
        with self.cond:
            while len(self.created) < n and not self.failures:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError("the writer made %d of %d households in %gs"
                                         % (len(self.created), n, timeout))
                self.cond.wait(left)


class UsageTest(unittest.TestCase):

    def test_help_and_usage(self):
        rc, out, err = cli("--help")
        self.assertEqual(rc, 0)
        for cmd in ("backup", "restore"):
            self.assertIn(cmd, out)
            rc, out2, err = cli(cmd, "--help")
            self.assertEqual(rc, 0, err)
            self.assertIn("--db", out2)
        self.assertIn("--force", cli("restore", "--help")[1])
        for args in (("backup",), ("backup", "--db", "x.db"), ("backup", "--db", "x.db", "a", "b"),
                     ("backup", "--force", "--db", "x.db", "f"), ("restore", "--db", "x.db"),
                     ("restore", "--no-such-option", "--db", "x.db", "f")):
            rc, out, err = cli(*args)
            self.assertEqual(rc, 2, "%s: %s" % (args, err))
            self.assertIn("usage", err)


class BackupRestoreTest(unittest.TestCase):
    maxDiff = 4000

    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="backup-", dir=TEST_TMP)
        cls.srv = Server(name="backup").start()
        try:
            cls.fill()
        except BaseException:
            cls.srv.stop()
            raise
        rc, out, err = cli("migrate", "--db", cls.srv.db)
        cls.latest = int(out.strip().split(":")[-1])

    @classmethod
    def tearDownClass(cls):
        cls.srv.stop()
        shutil.rmtree(cls.work, ignore_errors=True)

    @classmethod
    def call(cls, method, path, user, body=None, raw=None, headers=None, want=(200, 201)):
        r = cls.srv.request(method, path, body=body, raw=raw, headers=headers,
                            token=cls.tokens[user])
        if r.status not in want:
            raise AssertionError("fixture: " + r.describe())
        return r.json

    @classmethod
    def fill(cls):
        """Rows in every table, through the CLI and the API as any client would."""
        srv = cls.srv
        daily = os.path.join(cls.work, "daily.csv")
        with open(daily, "w", encoding="utf-8") as f:
            f.write("date,province_code,new_cases,community_cases\n2021-09-01,01,120,100\n")
        rc, out, err = cli("import", "daily-cases", "--db", srv.db, daily)
        if rc != 0:
            raise AssertionError("fixture: import daily-cases: " + err)
        cls.tokens = {u: srv.login(u) for u in ("hcm", "phucxa", "ytephucxa", "todan1", "hanoi",
                                                "badinh")}
        cls.call("POST", "/api/v1/levels/indicators?week_end=2021-10-21", "hcm",
                 raw="unit_code,population,cases_week,cases_prev_week,vax1_18plus_pct,"
                     "vaxfull_elderly_pct,capacity_met\n79,9145000,6635,6815,99,92,1\n",
                 headers={"Content-Type": "text/csv"})
        cls.call("POST", "/api/v1/levels/assess", "hcm",
                 body={"week_end": "2021-10-21", "unit": "79", "rules": "qd4800-2021"})
        cls.call("POST", "/api/v1/units/79/levels", "hcm", body={"week_end": "2021-10-21"})
        cl = cls.call("POST", "/api/v1/clusters", "phucxa",
                      body={"name": "Ổ dịch chợ Long Biên", "unit_code": "00001",
                            "opened_on": "2021-09-08"})["id"]
        case = cls.call("POST", "/api/v1/cases", "ytephucxa",
                        body={"person": person("Nguyễn Văn Hai", "001190000002"),
                              "detected_on": "2021-09-10", "source": "community",
                              "test_type": "rt-pcr", "cluster_id": cl})
        cls.call("POST", "/api/v1/cases/%d/contacts" % case["id"], "ytephucxa",
                 body={"person": person("Trần Thị Ba", "001190000003"), "degree": 1,
                       "exposure_on": "2021-09-08", "setting": "household"})
        cls.call("POST", "/api/v1/tests", "ytephucxa",
                 body={"person": person("Ngô Văn Bốn", "001190000004"), "taken_on": "2021-09-05",
                       "test_type": "antigen", "result": "negative"})
        # The same ID number tested in Hồ Chí Minh City: a link to Phúc Xá.
        cls.call("POST", "/api/v1/tests", "hcm",
                 body={"person": {"full_name": "Ngô Văn Bốn", "id_number": "001190000004",
                                  "unit_code": "26734", "phone": "0911000111"},
                       "taken_on": "2021-09-06", "test_type": "antigen", "result": "positive"})
        iso = cls.call("POST", "/api/v1/isolations", "ytephucxa",
                       body={"person_id": case["person_id"], "case_id": case["id"],
                             "kind": "home", "unit_code": "00001-001-0001",
                             "started_on": "2021-09-10"})["id"]
        cls.call("POST", "/api/v1/isolations/%d/checkins" % iso, "todan1",
                 body={"spo2": 97, "temperature": 37.3, "symptoms": "ho", "note": NOTE})
        cls.call("POST", "/api/v1/zones", "phucxa",
                 body={"unit_code": "00001-001", "reason": "3 ca cộng đồng trong tổ",
                       "started_on": "2021-09-01", "planned_end": "2021-09-21"},
                 headers={"Idempotency-Key": "backup-fixture-zone-0001"})
        cls.call("PUT", "/api/v1/units/00001/vaccination/2021-10-24", "ytephucxa",
                 body={"groups": GROUPS})
        cls.call("PUT", "/api/v1/units/00001/capacity/2021-10-24", "ytephucxa",
                 body={"capacity_met": True, "capacity": "medium", "beds_free": 12,
                       "icu_beds_free": 1, "oxygen_ready": True, "mobile_teams": 3})
        cls.call("PUT", "/api/v1/units/00001/hotlines", "phucxa",
                 body={"items": [{"kind": "health", "label": "Trạm Y tế phường Phúc Xá",
                                  "phone": "0912 345 678", "always_open": True}]})
        cls.call("PUT", "/api/v1/units/00001/duty?week_start=2021-10-18", "phucxa",
                 body={"shifts": [{"date": "2021-10-18", "from": "22:00", "to": "06:00",
                                   "name": "Nguyễn Văn Trực", "phone": "0987654321"}]})
        cls.call("POST", "/api/v1/feedback/categories", "hanoi",
                 body={"province_code": "01", "code": "rac_thai", "name_vi": "Rác thải",
                       "name_en": "Waste", "days": 4, "department": "Sở Tài nguyên và Môi trường"})
        fb = cls.call("POST", "/api/v1/feedback", "phucxa",
                      body={"category": "shortage", "location_code": "00001",
                            "description": NOTE, "name": "Bùi Thị Dân", "phone": "0912345678",
                            "lat": 21.0453, "long": 105.8466})
        cls.call("POST", "/api/v1/feedback/%d/acknowledge" % fb["id"], "phucxa", body={})
        month = (datetime.datetime.now(datetime.timezone.utc)
                 + datetime.timedelta(hours=7)).strftime("%Y-%m")
        cls.call("POST", "/api/v1/feedback/compilation/forwards", "phucxa",
                 body={"unit_code": "00001", "month": month, "category": "shortage",
                       "department": "Sở Công Thương"})
        comp = cls.call("GET", "/api/v1/feedback/compilation?unit=00001&month=" + month, "phucxa")
        cls.call("POST", "/api/v1/feedback/forwards/%d/answer"
                 % comp["groups"][0]["items"][0]["forward"]["id"], "phucxa",
                 body={"answer": NOTE, "answered_by": "Sở Công Thương"})
        cls.call("POST", "/api/v1/feedback/track/%s/photos" % fb["tracking_code"], "phucxa",
                 raw=b"\x89PNG\r\n\x1a\n" + b"\x00" * 24, headers={"Content-Type": "image/png"})
        sp = cls.call("POST", "/api/v1/support/applications", "phucxa",
                      body={"programme": "nq68-household", "unit_code": "00001-001-0001",
                            "full_name": "Bùi Thị Dân", "id_number": "001090000555",
                            "address": "Số 5 ngõ Phúc Xá", "registered": True, "days": 20,
                            "received_on": "2021-10-01"})
        for who in ("phucxa", "badinh", "badinh"):
            cls.call("POST", "/api/v1/support/applications/%d/approve" % sp["id"], who, body={})
        cls.call("POST", "/api/v1/support/applications/%d/payments" % sp["id"], "phucxa",
                 body={"method": "bank", "amount": 3000000, "reference": "UNC 1"})
        # From the public: an objection to the posted line, a citizen's own
        # application (its tracking code's hash, not yet verified).
        cls.tokens[None] = None
        cls.call("POST", "/api/v1/support/postings/%d/objections" % sp["id"], None,
                 body={"name": "Ngô Văn Hàng Xóm", "contact": "0987654321", "reason": NOTE})
        cls.call("POST", "/api/v1/support/self-applications", None,
                 body={"programme": "canary-open", "unit_code": "00001-001-0001",
                       "full_name": "Bùi Văn Tự Nộp", "id_number": "001090000556",
                       "address": "Số 5 ngõ Phúc Xá", "days": 7, "order_ref": "QĐ 3", "age": 8})
        rc, out, err = cli("apikey", "add", "--db", srv.db, "--name", "Tổng đài 1022",
                           "--scope", "open311", "--unit", "01")
        assert rc == 0, err
        insp = cls.call("POST", "/api/v1/inspections", "phucxa",
                        body={"title": "Kiểm tra Tổ COVID", "issuer": "00001",
                              "period_from": "2021-10-01", "period_to": "2021-10-31",
                              "kind": "surprise", "template": "commune_team",
                              "target": {"unit_code": "00001"},
                              "team": [{"name": "Nguyễn Văn Trưởng", "role": "Trưởng đoàn"}]})
        cls.call("PUT", "/api/v1/inspections/%d/findings" % insp["id"], "phucxa",
                 body={"items": [{"item": "reporting", "result": "fail", "note": NOTE}]})
        done = cls.call("POST", "/api/v1/inspections/%d/conclusion" % insp["id"], "phucxa",
                        body={"conclusion": NOTE, "concluded_on": "2021-10-20",
                              "actions": [{"description": "Khắc phục", "deadline": "2021-10-30"}]})
        cls.call("POST", "/api/v1/inspection-actions/%d/done" % done["actions"][0]["id"], "phucxa",
                 body={"done_on": "2021-10-28", "note": NOTE})
        cls.call("POST", "/api/v1/decisions", "phucxa",
                 body={"kind": "reward", "form": "Giấy khen", "number": "7/QĐ-UBND",
                       "person_name": "Bùi Thị Dân", "unit_code": "00001-001", "reason": NOTE,
                       "decided_on": "2021-10-29", "issuer": "00001",
                       "inspection_id": insp["id"], "public": True})
        cls.call("POST", "/api/v1/emulation/movements", "phucxa",
                 body={"name": "Thi đua phường Phúc Xá", "parent_code": "00001",
                       "period_from": "2021-10-01", "period_to": "2021-12-31",
                       "indicators": [{"code": "case_free_days", "weight": 1}]})
        cls.call("POST", "/api/v1/exchange/dataValueSets", "phucxa",
                 body={"dataSet": "THC_COVID_WEEKLY", "dataValues": [
                     {"dataElement": "THC_CASES", "period": "2021W42", "orgUnit": "00001",
                      "value": "7"}]})
        mine = cls.call("GET", "/api/v1/me/assignments", "phucxa")["items"]
        cls.call("POST", "/api/v1/assignments/%d/reports" % mine[0]["id"], "phucxa",
                 body={"status": "attention", "note": NOTE})
        d = cls.call("POST", "/api/v1/directives", "hanoi", body={
            "number": "05-CT/TU", "issued_on": "2021-10-15", "issuer": "01",
            "title": "Chỉ thị 05-CT/TU", "summary": NOTE,
            "tasks": [{"title": "Học tập 'trích dẫn'", "deadline": "2021-10-30", "assignees": {"units": ["001"]}}]})
        sub = cls.call("POST", "/api/v1/tasks/%d/delegate" % d["tasks"][0]["id"], "badinh",
                       body={"unit_code": "001", "deadline": "2021-10-25",
                             "assignees": {"units": ["00001"]}})
        cls.call("POST", "/api/v1/tasks/%d/reports" % sub["id"], "phucxa",
                 body={"unit_code": "00001", "note": NOTE, "done": False})
        cls.call("POST", "/api/v1/directives/%d/reminders" % d["id"], "hanoi",
                 body={"date": "2021-10-31"})
        d2 = cls.call("POST", "/api/v1/directives", "hanoi", body={
            "number": "06-CT/TU", "issued_on": "2021-10-20", "issuer": "01",
            "title": "Chỉ thị 06-CT/TU thay thế", "tasks": [
                {"title": "Học tập", "deadline": "2021-10-30", "assignees": {"units": ["001"]}}]})
        cls.call("POST", "/api/v1/directives/%d/links" % d2["id"], "hanoi",
                 body={"replaces": d["id"]})
        cls.call("POST", "/api/v1/directives/%d/attachments?filename=%s" % (
            d2["id"], "Ch%E1%BB%89%20th%E1%BB%8B%2006.pdf"), "hanoi",
            raw=b"%PDF-1.4\n" + bytes(range(256)) + b"\n%%EOF\n")
        kt = cls.call("POST", "/api/v1/key-tasks", "phucxa", body={
            "unit_code": "00001", "period": "2021-Q4", "title": "Thăm hộ", "measure": "hộ", "target": 10})
        cls.call("POST", "/api/v1/key-tasks/%d/review" % kt["id"], "badinh", body={"rating": "met"})
        # A business registered by its own account, with a plan, a day on site,
        # a 2194 self-assessment and the case among its workers.
        cls.tokens["doanhnghiep"] = srv.login("doanhnghiep")
        biz = cls.call("POST", "/api/v1/businesses", "doanhnghiep",
                       body={"tax_code": "0101234567-001", "name": "Chi nhánh May Phúc Xá",
                             "sector": "Dệt may", "unit_code": "00001", "address": "Số 7 phố Phúc Xá",
                             "workers": 80})["id"]
        # A household business stopped by an order (the no-one-left-behind report).
        cls.call("POST", "/api/v1/businesses", "phucxa",
                 body={"tax_code": "0101234568", "name": "Hộ kinh doanh Phở Phúc Xá",
                       "sector": "Ăn uống", "unit_code": "00001", "address": "Số 9 phố Phúc Xá",
                       "workers": 3, "household": True, "stop_order": "QĐ 15/UBND",
                       "stopped_from": "2021-07-24", "stopped_until": "2021-09-15"})
        cls.call("POST", "/api/v1/businesses/%d/plans" % biz, "doanhnghiep",
                 body={"kind": "one_route", "starts_on": "2021-08-01", "ends_on": "2021-09-30",
                       "workers_on_site": 40, "shifts": 2, "lodging": "KTX Phúc Xá", "note": NOTE})
        cls.call("POST", "/api/v1/businesses/%d/on-site" % biz, "doanhnghiep",
                 body={"day": "2021-09-02", "on_site": 38})
        cls.call("POST", "/api/v1/businesses/%d/risk-assessments" % biz, "doanhnghiep",
                 body={"assessed_on": "2021-09-01", "scores": [3, 0, 20, 7] + [1] * 11})
        cls.call("POST", "/api/v1/businesses/%d/cases" % biz, "ytephucxa",
                 body={"case_id": case["id"]})

    # ---- helpers ----
    def backup(self, db, name):
        path = os.path.join(self.work, name)
        rc, out, err = cli("backup", "--db", db, path)
        self.assertEqual(rc, 0, "backup: " + err)
        self.assertIn(str(self.latest), out, "backup names the schema version")
        self.assertFalse(os.path.exists(path + ".tmp"), "backup left its .tmp behind")
        return path

    def restore(self, db, path, *opts, want=0):
        rc, out, err = cli("restore", "--db", db, *opts, path)
        self.assertEqual(rc, want, "restore %s: %s%s" % (" ".join(opts), out, err))
        return out + err

    def assert_same(self, want_db, got_db):
        names = tables(want_db)
        self.assertEqual(tables(got_db), names, "the same tables")
        for t in names:
            want = rows(want_db, t)
            self.assertTrue(want, "table %s is empty: fill it in BackupRestoreTest.fill()" % t)
            self.assertEqual(rows(got_db, t), want, "table %s differs after restore" % t)
        self.assertEqual(schema(got_db), schema(want_db), "indexes, triggers, sequences")

    def assert_empty(self, db):
        self.assertEqual(tables(db), [], "a refused restore changed the target")

    # ---- tests ----
    def test_live_backup_is_one_moment(self):
        writer = Writer(self.srv, self.srv.login("phucxa"))
        writer.start()
        try:
            writer.wait_for(3)
            t0 = time.monotonic()
            live = self.backup(self.srv.db, "live.bak")
            t1 = time.monotonic()
            writer.wait_for(len(writer.created) + 2)   # still served after the backup
        finally:
            writer.stop.set()
            writer.join(30)
        self.assertEqual(writer.failures, [], "requests failed while backing up")
        self.assertTrue(any(s < t1 and e > t0 for s, e in writer.spans),
                        "no write was in flight while the backup ran")
        copy = new_db(self.work, "live")
        self.restore(copy, live)
        for t in tables(self.srv.db):
            got, have = rows(copy, t), set(rows(self.srv.db, t))
            self.assertEqual([r for r in got if r not in have], [],
                             "table %s: rows the source never had" % t)
        with Server(demo=False, db=copy, name="backup-live") as srv:
            tok = srv.login("phucxa")
            r = srv.request("GET", "/api/v1/units?parent=00001-002&level=household&limit=1000",
                            token=tok)
            self.assertEqual(r.status, 200, r.describe())
            codes = [u["code"] for u in r.json["items"] if u["name"].startswith(WRITER_NAME)]
            self.assertEqual(codes, writer.created[:len(codes)], "a prefix of the writes")
            self.assertLess(len(codes), len(writer.created), "writes after the backup are not in it")
            r = srv.request("GET", "/api/v1/audit?unit=00001-002&limit=1000", token=tok)
            self.assertEqual(r.status, 200, r.describe())
            audited = {e["entity_id"] for e in r.json["items"] if e["action"] == "unit.create"}
            self.assertEqual(audited & set(writer.created), set(codes),
                             "each household in the copy with its audit entry, and no other")

    def test_restore_equals_source(self):
        path = self.backup(self.srv.db, "idle.bak")
        copy = new_db(self.work, "copy")
        out = self.restore(copy, path)
        self.assertIn(str(self.latest), out)
        self.assert_same(self.srv.db, copy)
        # Not twice without --force; with it, the same again.
        err = self.restore(copy, path, want=2)
        self.assertIn("--force", err)
        self.restore(copy, path, "--force")
        self.assert_same(self.srv.db, copy)
        # The audit trail is still append-only.
        if PG:
            p = psql(copy, "DELETE FROM audit", check=False)
            self.assertNotEqual(p.returncode, 0, "audit rows could be deleted")
            self.assertIn("audit records cannot be", p.stderr)
        else:
            con = sqlite3.connect(copy)
            try:
                with self.assertRaisesRegex(sqlite3.DatabaseError, "audit records cannot be"):
                    con.execute("DELETE FROM audit")
            finally:
                con.close()
        with Server(demo=False, db=copy, name="backup-copy") as srv:
            tok = self.tokens["ytephucxa"]      # a session of the source
            r = srv.request("GET", "/api/v1/me", token=tok)
            self.assertEqual(r.status, 200, r.describe())
            self.assertEqual(r.json["username"], "ytephucxa")
            r = srv.request("POST", "/api/v1/cases", token=tok,
                            body={"person": person("Ca Sau Khôi Phục", "001190000009"),
                                  "detected_on": "2021-09-12", "source": "community",
                                  "test_type": "rt-pcr"})
            self.assertEqual(r.status, 201, "new ids after a restore: " + r.describe())

    def test_force_replaces_everything(self):
        path = self.backup(self.srv.db, "force.bak")
        copy = new_db(self.work, "force")
        self.restore(copy, path)
        run_sql(copy, "CREATE TABLE stray (x INTEGER); INSERT INTO stray VALUES (1);")
        if PG:
            # pg_restore --clean drops only what the backup has: refused, unchanged.
            err = self.restore(copy, path, "--force", want=2)
            self.assertIn("stray", err)
            self.assertEqual(rows(copy, "stray"), ["1"])
        else:
            self.restore(copy, path, "--force")
            self.assert_same(self.srv.db, copy)

    def test_refused_files(self):
        target = new_db(self.work, "target")
        junk = os.path.join(self.work, "junk.bak")
        with open(junk, "wb") as f:
            f.write(b"not a backup at all\n")
        err = self.restore(target, junk, want=2)
        self.assertIn("junk.bak", err)
        self.assertIn("not a thichung backup", err)
        err = self.restore(target, os.path.join(self.work, "missing.bak"), want=2)
        self.assertIn("missing.bak", err)

        # A backup of the other backend: said plainly, not attempted.
        other = os.path.join(self.work, "other.bak")
        if PG:
            sqlite_db = os.path.join(self.work, "other.db")
            self.assertEqual(cli("migrate", "--db", sqlite_db)[0], 0)
            self.assertEqual(cli("backup", "--db", sqlite_db, other)[0], 0)
            kinds = ("SQLite", "PostgreSQL")
        else:
            with open(other, "wb") as f:
                f.write(b"PGDMP\x01\x0e\x00" + b"\x00" * 64)
            kinds = ("PostgreSQL", "SQLite")
        err = self.restore(target, other, want=2)
        self.assertIn("is a %s backup and cannot be restored into a %s database" % kinds, err)
        self.assertIn("là bản sao lưu %s" % kinds[0], err)

        # A database that is not thichung's: no schema_migrations.
        plain = new_db(self.work, "plain")
        run_sql(plain, "CREATE TABLE x (y INTEGER); INSERT INTO x VALUES (1);")
        plain_bak = os.path.join(self.work, "plain.bak")
        if PG:
            subprocess.run(["pg_dump", "--format=custom", "--file", plain_bak, "--dbname", plain],
                           check=True, capture_output=True, timeout=120)
        else:
            shutil.copy(plain, plain_bak)
        rc, out, err = cli("backup", "--db", plain, os.path.join(self.work, "plain2.bak"))
        self.assertEqual(rc, 2, err)
        self.assertIn("no thichung schema", err)
        err = self.restore(target, plain_bak, want=2)
        self.assertIn("not a thichung database", err)

        # From a newer schema than this binary knows.
        newer = new_db(self.work, "newer")
        self.assertEqual(cli("migrate", "--db", newer)[0], 0)
        run_sql(newer, "INSERT INTO schema_migrations (version, name, applied_at)"
                       " VALUES (%d, 'from the future', 0)" % (self.latest + 1))
        newer_bak = self.backup_any(newer, "newer.bak")
        err = self.restore(target, newer_bak, want=2)
        self.assertIn("schema version %d, newer than the %d" % (self.latest + 1, self.latest), err)
        self.assert_empty(target)

    def backup_any(self, db, name):
        path = os.path.join(self.work, name)
        rc, out, err = cli("backup", "--db", db, path)
        self.assertEqual(rc, 0, err)
        return path

    def test_failed_backup_keeps_file(self):
        path = os.path.join(self.work, "kept.bak")
        with open(path, "wb") as f:
            f.write(b"the previous backup")
        if PG:
            env = self.fake_programs(
                'while [ $# -gt 0 ]; do [ "$1" = --file ] && printf PGDMP-half >"$2"; shift; done\n'
                "echo 'pg_dump: error: disk quota exceeded' >&2; exit 1")
            rc, out, err = cli_env("backup", "--db", self.srv.db, path, env=env)
            self.assertIn("disk quota exceeded", err, "pg_dump's stderr is reported")
            self.assertIn("pg_dump", err)
        else:
            os.mkdir(path + ".tmp")     # stands in for a backup that cannot be written
            try:
                rc, out, err = cli("backup", "--db", self.srv.db, path)
            finally:
                os.rmdir(path + ".tmp")
        self.assertEqual(rc, 1, err)
        with open(path, "rb") as f:
            self.assertEqual(f.read(), b"the previous backup")
        self.assertFalse(os.path.exists(path + ".tmp"))

    @unittest.skipIf(PG, "SQLite only: a file path that is the database")
    def test_database_itself_refused(self):
        before = rows(self.srv.db, "units")
        for args in (("backup", "--db", self.srv.db, self.srv.db),
                     ("restore", "--db", self.srv.db, "--force", self.srv.db)):
            rc, out, err = cli(*args)
            self.assertEqual(rc, 2, "%s: %s" % (args[0], err))
            self.assertIn("is the database itself", err)
        self.assertEqual(rows(self.srv.db, "units"), before)
        r = self.srv.request("GET", "/api/v1/units/00001")
        self.assertEqual(r.status, 200, r.describe())

    def fake_programs(self, dump_body):
        """PATH with a fake pg_dump (dump_body) and pg_restore that record their
        argv and PG* environment in self.work/argv and self.work/env."""
        d = tempfile.mkdtemp(prefix="fakebin-", dir=self.work)
        log = os.path.join(self.work, "fake")
        for f in (log + ".argv", log + ".env"):
            if os.path.exists(f):
                os.unlink(f)
        # pg_restore: one schema_migrations row when asked for the data only.
        restore_body = ('case " $* " in *" --data-only "*) printf "COPY public.schema_migrations'
                        ' (version, name, applied_at) FROM stdin;\\n1\\tx\\t0\\n\\\\.\\n";; esac')
        for name, body in (("pg_dump", dump_body), ("pg_restore", restore_body)):
            with open(os.path.join(d, name), "w") as f:
                f.write("#!/bin/sh\nprintf '%%s\\n' \"$@\" >>'%s.argv'\n"
                        "env | grep '^PG' >>'%s.env'\n%s\n" % (log, log, body))
            os.chmod(os.path.join(d, name), 0o755)
        env = dict(os.environ, THC_DATA_DIR=DATA_DIR, PATH=d + ":" + os.environ["PATH"])
        return env

    @unittest.skipUnless(PG, "PostgreSQL only")
    def test_password_not_on_command_line(self):
        secret = "mật-khẩu-%s" % uuid.uuid4().hex[:8]
        url = self.srv.db + "&password=" + secret     # the test cluster trusts local users
        log = os.path.join(self.work, "fake")
        env = self.fake_programs(
            'while [ $# -gt 0 ]; do [ "$1" = --file ] && printf PGDMP >"$2"; shift; done')
        path = os.path.join(self.work, "secret.bak")
        rc, out, err = cli_env("backup", "--db", url, path, env=env)
        self.assertEqual(rc, 0, err)
        with open(log + ".argv", encoding="utf-8") as f:
            argv = f.read()
        with open(log + ".env", encoding="utf-8") as f:
            penv = f.read().splitlines()
        self.assertIn("--format=custom", argv)
        self.assertNotIn(secret, argv, "the password was on pg_dump's command line")
        self.assertIn("PGPASSWORD=" + secret, penv)
        self.assertIn("PGHOST=" + harness.PG_DIR, penv)
        self.assertNotIn(secret, out + err)
        # The same for pg_restore (reading the version, then restoring).
        env = self.fake_programs("exit 0")
        target = new_db(self.work, "secret") + "&password=" + secret
        rc, out, err = cli_env("restore", "--db", target, path, env=env)
        self.assertEqual(rc, 0, err)
        with open(log + ".argv", encoding="utf-8") as f:
            argv = f.read()
        with open(log + ".env", encoding="utf-8") as f:
            penv = f.read().splitlines()
        self.assertIn("--single-transaction", argv)
        self.assertNotIn(secret, argv, "the password was on pg_restore's command line")
        self.assertIn("PGPASSWORD=" + secret, penv)


if __name__ == "__main__":
    main()
