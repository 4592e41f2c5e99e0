"""
Businesses and their safe operation (QĐ 2194) over HTTP: registration by
the business's own account or by an official in scope, the 2194
self-assessment (index = sum / 300 x 100 with one decimal, the band edges
15/16, 30/31, 50/51, 80/81, the required actions from
data/business/risk-2194.json), reassessment reminders, plans, workers on
site, cases among workers, the officials' list and its CSV.

Scope: a business account sees only the businesses it registered (another
business account of the same commune sees none of them); officials only in
their subtree; out of scope reads as 404.  Bad input is refused naming the
field and changes nothing; every write leaves an audit row.
"""

import csv
import datetime
import io
import itertools
import json
import os
import sys

try:
    import openpyxl
except ImportError:
    # Debian's python3-openpyxl, when the tests run under another python3.
    sys.path.append("/usr/lib/python3/dist-packages")
    import openpyxl

from harness import DATA_DIR, ServerTestCase, cli, main

RULES = json.load(open(os.path.join(DATA_DIR, "business", "risk-2194.json"), encoding="utf-8"))
BANDS = {b["code"]: b for b in RULES["bands"]}
_seq = itertools.count(1)


def vn_today():
    return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=7)).date()


def tax_code():
    return "01%08d" % (next(_seq) + os.getpid() % 1000 * 1000)


def scores_for(total):
    out = []
    for _ in range(15):
        out.append(min(20, total))
        total -= out[-1]
    return out


class BusinessTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A second business account in the same commune, and one in Trúc Bạch.
        for name, unit in (("doanhnghiep2", "00001"), ("doanhnghiep4", "00004")):
            rc, out, err = cli("user", "add", "--db", cls.server.db, "--username", name,
                               "--role", "business", "--unit", unit, "--name", "Doanh nghiệp " + name,
                               input="demo2021\n")
            assert rc == 0, err

    def register(self, as_user="doanhnghiep", expect=201, **over):
        body = {"tax_code": tax_code(), "name": "Công ty TNHH May Phúc Xá %d" % next(_seq),
                "sector": "Dệt may", "unit_code": "00001", "address": "Số 5 phố Phúc Xá",
                "workers": 120}
        body.update(over)
        r = self.post("/api/v1/businesses", body, as_user=as_user)
        if expect is not None:
            self.assertStatus(r, expect)
        return r

    def audit(self, action, entity_id):
        r = self.get("/api/v1/audit?limit=200", as_user="admin")
        self.assertStatus(r, 200)
        return [a for a in r.json["items"]
                if a["action"] == action and a["entity_id"] == str(entity_id)]

    def count(self):
        r = self.get("/api/v1/businesses?limit=500", as_user="admin")
        self.assertStatus(r, 200)
        return len(r.json["items"])

    def assess(self, bid, total, as_user="doanhnghiep", on=None):
        return self.post("/api/v1/businesses/%d/risk-assessments" % bid,
                         {"assessed_on": (on or vn_today()).isoformat(),
                          "scores": scores_for(total)}, as_user=as_user)

    # ---- registration and scope ----
    def test_business_account_registers_and_sees_only_its_own(self):
        r = self.register(tax_code="0109876543-002")
        b = r.json
        self.assertEqual(b["tax_code"], "0109876543-002")
        self.assertTrue(b["registered_by_business"])
        self.assertEqual(b["unit_code"], "00001")
        self.assertIsNone(b["latest_assessment"])
        self.assertTrue(b["reassessment_overdue"])     # never assessed
        self.assertEqual(r.headers["location"], "/api/v1/businesses/%d" % b["id"])
        path = "/api/v1/businesses/%d" % b["id"]
        for user in ("doanhnghiep", "phucxa", "badinh", "hanoi", "admin"):
            got = self.get(path, as_user=user)
            self.assertStatus(got, 200, user)
            self.assertEqual(got.json["tax_code"], "0109876543-002")
        for user in ("doanhnghiep2", "doanhnghiep4", "trucbach", "hcm"):
            self.assertError(self.get(path, as_user=user), 404, msg=user)
        # Lists: its own only; the other account of the same commune sees none of it.
        mine = self.get("/api/v1/businesses", as_user="doanhnghiep").json["items"]
        self.assertIn(b["id"], [x["id"] for x in mine])
        other = self.get("/api/v1/businesses?unit=00001", as_user="doanhnghiep2")
        self.assertStatus(other, 200)
        self.assertNotIn(b["id"], [x["id"] for x in other.json["items"]])
        self.assertNotIn(b["id"], [x["id"] for x in
                                   self.get("/api/v1/businesses", as_user="trucbach").json["items"]])
        # Writes by another business account or an official out of scope: 404, nothing written.
        self.assertError(self.assess(b["id"], 10, as_user="doanhnghiep2"), 404)
        self.assertError(self.assess(b["id"], 10, as_user="trucbach"), 404)
        self.assertEqual(self.get(path, as_user="admin").json["assessments"], [])
        # Roles without businesses: 403.
        for user in ("ytephucxa", "todan1", "nguoidan"):
            self.assertError(self.get(path, as_user=user), 403, msg=user)
        self.assertError(self.get(path), 401)
        self.assertEqual(len(self.audit("business.create", b["id"])), 1)

    def test_official_registers_in_scope_only(self):
        r = self.register(as_user="phucxa")
        self.assertFalse(r.json["registered_by_business"])
        # An official registered it: no business account sees it.
        self.assertError(self.get("/api/v1/businesses/%d" % r.json["id"], as_user="doanhnghiep"), 404)
        before = self.count()
        self.assertError(self.register(as_user="trucbach", expect=None), 422, field="unit_code")
        self.assertError(self.register(as_user="doanhnghiep", expect=None, unit_code="00004"),
                         422, field="unit_code")
        self.register(as_user="badinh", unit_code="00004")
        self.assertEqual(self.count(), before + 1)

    def test_field_errors_change_nothing(self):
        before = self.count()
        for bad in ("010987654", "01098765432", "0109876543001", "0109876543-01", "010987654a",
                    "0109876543/001"):
            self.assertError(self.register(expect=None, tax_code=bad), 422, field="tax_code",
                             mentions=("tax code", "mã số thuế"))
        self.assertError(self.register(expect=None, tax_code=109876543), 422, field="tax_code")
        self.assertError(self.register(expect=None, name=""), 422, field="name")
        self.assertError(self.register(expect=None, workers=-1), 422, field="workers")
        self.assertError(self.register(expect=None, workers="nhiều"), 422, field="workers")
        self.assertError(self.register(expect=None, unit_code="001"), 422, field="unit_code")
        self.assertError(self.register(expect=None, unit_code="99999"), 422, field="unit_code")
        r = self.server.request("POST", "/api/v1/businesses", raw=b"{\"tax_code\":",
                                headers={"Content-Type": "application/json"},
                                token=self.token("doanhnghiep"))
        self.assertError(r, 400)
        code = tax_code()
        first = self.register(tax_code=code).json["id"]
        r = self.register(expect=None, tax_code=code)
        self.assertError(r, 409, field="tax_code", mentions=str(first))
        self.assertEqual(self.count(), before + 1)

    def test_tax_code_tells_nothing_out_of_scope(self):
        code = tax_code()
        first = self.register(tax_code=code).json["id"]
        # Another business account, and an official of another commune, are
        # not told that the tax code is taken: the answer is a registration.
        for who, unit in (("doanhnghiep2", "00001"), ("doanhnghiep4", "00004"),
                          ("trucbach", "00004")):
            r = self.register(expect=None, as_user=who, tax_code=code, unit_code=unit)
            if who == "trucbach":
                # doanhnghiep4's business of this tax code lies in his commune.
                self.assertError(r, 409, field="tax_code")
                continue
            self.assertStatus(r, 201, who)
            self.assertNotEqual(r.json["id"], first)
            self.assertNotIn("business %d" % first, r.raw.decode())
        # The commune of the first one sees it, and is told.
        self.assertError(self.register(expect=None, as_user="phucxa", tax_code=code), 409,
                         field="tax_code")

    # ---- the 2194 self-assessment ----
    def test_band_edges_index_and_actions(self):
        bid = self.register().json["id"]
        for total, index, band in ((45, 15.0, "very_low"), (48, 16.0, "low"),
                                   (90, 30.0, "low"), (93, 31.0, "medium"),
                                   (150, 50.0, "medium"), (153, 51.0, "high"),
                                   (240, 80.0, "high"), (243, 81.0, "very_high"),
                                   (35, 11.7, "very_low"), (46, 15.3, "low"), (0, 0.0, "very_low"),
                                   (300, 100.0, "very_high")):
            r = self.assess(bid, total)
            self.assertStatus(r, 201, "total %d" % total)
            self.assertEqual((r.json["index"], r.json["band"]), (index, band), "total %d" % total)
            self.assertEqual(r.json["required_actions"], BANDS[band]["actions"])
            self.assertIsInstance(r.json["id"], int)
        self.assertEqual(len(self.audit("business.assess", bid)), 12)
        got = self.get("/api/v1/businesses/%d" % bid, as_user="phucxa").json
        self.assertEqual(len(got["assessments"]), 12)
        self.assertEqual(got["latest_assessment"]["index"], 100.0)
        self.assertEqual(got["latest_assessment"]["scores"], scores_for(300))

    def test_assessment_errors(self):
        bid = self.register().json["id"]
        path = "/api/v1/businesses/%d/risk-assessments" % bid
        today = vn_today().isoformat()
        cases = [({"assessed_on": today, "scores": [1] * 14}, "scores"),
                 ({"assessed_on": today, "scores": [1] * 16}, "scores"),
                 ({"assessed_on": today, "scores": "1,2,3"}, "scores"),
                 ({"assessed_on": today, "scores": [1, 2, 3, 21] + [0] * 11}, "scores[3]"),
                 ({"assessed_on": today, "scores": [0] * 14 + [-1]}, "scores[14]"),
                 ({"assessed_on": today, "scores": [1.5] + [0] * 14}, "scores[0]"),
                 ({"assessed_on": today, "scores": [None] + [0] * 14}, "scores[0]"),
                 ({"assessed_on": (vn_today() + datetime.timedelta(days=1)).isoformat(),
                   "scores": [0] * 15}, "assessed_on"),
                 ({"assessed_on": "31/12/2021", "scores": [0] * 15}, "assessed_on"),
                 ({"scores": [0] * 15}, "assessed_on")]
        for body, field in cases:
            self.assertError(self.post(path, body, as_user="doanhnghiep"), 422, field=field,
                             msg=json.dumps(body))
        self.assertEqual(self.get("/api/v1/businesses/%d" % bid, as_user="admin").json["assessments"],
                         [])
        self.assertEqual(self.audit("business.assess", bid), [])
        self.assertError(self.post("/api/v1/businesses/999999/risk-assessments",
                                   {"assessed_on": today, "scores": [0] * 15},
                                   as_user="admin"), 404)

    def test_reassessment_reminder_and_list(self):
        days = RULES["reassess_days"]
        old = self.register(as_user="phucxa", name="Cơ sở đánh giá cũ").json["id"]
        fresh = self.register(as_user="phucxa", name="Cơ sở đánh giá mới").json["id"]
        never = self.register(as_user="phucxa", name="Cơ sở chưa đánh giá").json["id"]
        self.assertStatus(self.assess(old, 100, as_user="phucxa",
                                      on=vn_today() - datetime.timedelta(days=days + 1)), 201)
        # Due on the last day of the period: not yet overdue.
        self.assertStatus(self.assess(fresh, 200, as_user="phucxa",
                                      on=vn_today() - datetime.timedelta(days=days)), 201)
        r = self.get("/api/v1/businesses?unit=00001&limit=500", as_user="phucxa")
        self.assertStatus(r, 200)
        items = {x["id"]: x for x in r.json["items"]}
        self.assertTrue(items[old]["reassessment_overdue"])
        self.assertFalse(items[fresh]["reassessment_overdue"])
        self.assertTrue(items[never]["reassessment_overdue"])
        self.assertEqual(items[fresh]["latest_assessment"]["band"], "high")
        self.assertEqual(items[fresh]["latest_assessment"]["due_on"], vn_today().isoformat())
        over = [x["id"] for x in self.get("/api/v1/businesses?unit=00001&overdue=1&limit=500",
                                         as_user="badinh").json["items"]]
        self.assertIn(old, over)
        self.assertIn(never, over)
        self.assertNotIn(fresh, over)
        high = [x["id"] for x in self.get("/api/v1/businesses?unit=00001&band=high&limit=500",
                                         as_user="badinh").json["items"]]
        self.assertEqual([fresh], [i for i in high if i in (old, fresh, never)])
        self.assertError(self.get("/api/v1/businesses?band=moderate", as_user="badinh"), 400,
                         field="band")
        self.assertError(self.get("/api/v1/businesses?unit=00001", as_user="trucbach"), 404)
        # The CSV export: a BOM, the columns, decimal commas.
        r = self.get("/api/v1/businesses?unit=00001&format=csv", as_user="phucxa")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.headers["content-type"].startswith("text/csv"))
        text = r.raw.decode("utf-8")
        self.assertTrue(text.startswith("\ufeff"))
        rows = {row["id"]: row for row in csv.DictReader(io.StringIO(text[1:]))}
        self.assertEqual(rows[str(fresh)]["index"], "66,7")
        self.assertEqual(rows[str(fresh)]["band"], "high")
        self.assertEqual(rows[str(old)]["reassessment_overdue"], "1")
        self.assertEqual(rows[str(never)]["band"], "")
        self.assertEqual(rows[str(never)]["name"], "Cơ sở chưa đánh giá")
        # The same list as an Excel file: numbers as numbers, dates as dates.
        r = self.get("/api/v1/businesses?unit=00001&format=xlsx", as_user="phucxa")
        self.assertEqual(r.status, 200, r.describe())
        self.assertEqual(r.headers["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        self.assertIn("no-store", r.headers["cache-control"])
        ws = openpyxl.load_workbook(io.BytesIO(r.raw)).active
        self.assertEqual(ws.freeze_panes, "A2")
        keys = next(csv.reader(io.StringIO(text[1:])))
        self.assertEqual(ws.max_column, len(keys))
        got = {row[0].value: dict(zip(keys, [c.value for c in row]))
               for row in ws.iter_rows(min_row=2)}
        self.assertEqual(sorted(got), sorted(int(k) for k in rows))
        self.assertEqual(got[fresh]["index"], 66.7)
        self.assertEqual(got[fresh]["band"], "high")
        self.assertIsInstance(got[fresh]["assessed_on"], datetime.datetime)
        self.assertEqual(got[fresh]["assessed_on"].strftime("%Y-%m-%d"),
                         rows[str(fresh)]["assessed_on"])
        self.assertEqual(got[old]["reassessment_overdue"], 1)
        self.assertIsNone(got[never]["band"])
        self.assertEqual(got[never]["workers"], int(rows[str(never)]["workers"]))
        self.assertEqual(got[never]["name"], "Cơ sở chưa đánh giá")
        self.assertError(self.get("/api/v1/businesses?unit=00001&format=xlsx",
                                  as_user="trucbach"), 404)

    # ---- plans, workers on site, cases ----
    def test_plans_and_workers_on_site(self):
        bid = self.register(workers=100).json["id"]
        path = "/api/v1/businesses/%d" % bid
        plan = {"kind": "three_on_site", "starts_on": "2021-08-01", "ends_on": "2021-09-15",
                "workers_on_site": 60, "shifts": 2, "note": "Ăn, nghỉ tại xưởng B"}
        r = self.post(path + "/plans", plan, as_user="doanhnghiep")
        self.assertStatus(r, 201)
        self.assertEqual(r.json["status"], "recorded")
        for body, field in (({"kind": "home"}, "kind"), ({"ends_on": "2021-07-01"}, "ends_on"),
                            ({"workers_on_site": 101}, "workers_on_site"),
                            ({"kind": "one_route"}, "lodging"), ({"shifts": 5}, "shifts"),
                            ({"starts_on": "2021-02-30"}, "starts_on")):
            b = dict(plan, **body)
            self.assertError(self.post(path + "/plans", b, as_user="doanhnghiep"), 422,
                             field=field, msg=json.dumps(body))
        r = self.post(path + "/plans", dict(plan, kind="one_route", lodging="KTX Phúc Xá"),
                      as_user="phucxa")
        self.assertStatus(r, 201)
        day = (vn_today() - datetime.timedelta(days=1)).isoformat()
        self.assertStatus(self.post(path + "/on-site", {"day": day, "on_site": 70},
                                    as_user="doanhnghiep"), 200)
        self.assertStatus(self.post(path + "/on-site", {"day": day, "on_site": 65},
                                    as_user="doanhnghiep"), 200)
        self.assertError(self.post(path + "/on-site", {"day": day, "on_site": 101},
                                   as_user="doanhnghiep"), 422, field="on_site")
        self.assertError(self.post(path + "/on-site", {"day": "2030-01-01", "on_site": 1},
                                   as_user="doanhnghiep"), 422, field="day")
        self.assertError(self.post(path + "/on-site", {"day": day, "on_site": 1},
                                   as_user="doanhnghiep2"), 404)
        got = self.get(path, as_user="doanhnghiep").json
        self.assertEqual(got["on_site"], [{"day": day, "on_site": 65}])
        self.assertEqual(sorted(p["kind"] for p in got["plans"]), ["one_route", "three_on_site"])
        self.assertEqual(len(self.audit("business.plan", bid)), 2)
        audits = self.audit("business.on_site", bid)
        self.assertEqual(len(audits), 2)
        changed = [a for a in audits if a["before"]]
        self.assertEqual(changed[0]["before"]["on_site"], 70)

    def test_cases_among_workers(self):
        bid = self.register().json["id"]
        r = self.post("/api/v1/cases", {"person": {"full_name": "Công Nhân Một",
                                                   "unit_code": "00001-001"},
                                        "detected_on": "2021-10-12", "source": "community",
                                        "test_type": "rt-pcr"}, as_user="admin")
        self.assertStatus(r, 201)
        case = r.json["id"]
        path = "/api/v1/businesses/%d/cases" % bid
        self.assertError(self.post(path, {"case_id": case}, as_user="doanhnghiep"), 403)
        self.assertError(self.post(path, {"case_id": case}, as_user="trucbach"), 404)
        self.assertError(self.post(path, {"case_id": 99999999}, as_user="ytephucxa"), 422,
                         field="case_id")
        r = self.post(path, {"case_id": case}, as_user="ytephucxa")
        self.assertStatus(r, 201)
        self.assertEqual(r.json["cases"], 1)
        self.assertError(self.post(path, {"case_id": case}, as_user="phucxa"), 409, field="case_id")
        # The business sees the count, never the case.
        # One or two cases would point at a worker: the business sees a range.
        got = self.get("/api/v1/businesses/%d" % bid, as_user="doanhnghiep")
        self.assertIsNone(got.json["cases"])
        self.assertEqual(got.json["cases_range"], [1, 4])
        self.assertNotIn("Công Nhân Một", got.raw.decode("utf-8"))
        self.assertEqual(len(self.audit("business.case_link", bid)), 1)
        r = self.get("/api/v1/businesses", as_user="doanhnghiep")
        mine = [b for b in r.json["items"] if b["id"] == bid][0]
        self.assertIsNone(mine["cases"])
        # From five on, the count itself.
        for i in range(4):
            r = self.post("/api/v1/cases", {"person": {"full_name": "Công Nhân %d" % (i + 2),
                                                       "unit_code": "00001-001"},
                                            "detected_on": "2021-10-12", "source": "community",
                                            "test_type": "rt-pcr"}, as_user="admin")
            self.assertStatus(self.post(path, {"case_id": r.json["id"]}, as_user="ytephucxa"), 201)
        got = self.get("/api/v1/businesses/%d" % bid, as_user="doanhnghiep")
        self.assertEqual(got.json["cases"], 5)
        self.assertNotIn("cases_range", got.json)

    def test_case_count_only_in_the_readers_scope(self):
        # A Phúc Xá business whose worker lives (and is a case) in Trúc Bạch.
        bid = self.register(as_user="phucxa").json["id"]
        r = self.post("/api/v1/cases", {"person": {"full_name": "Canary Công Nhân Trúc Bạch",
                                                   "unit_code": "00004"},
                                        "detected_on": "2021-10-12", "source": "community",
                                        "test_type": "rt-pcr"}, as_user="admin")
        self.assertStatus(r, 201)
        case = r.json["id"]
        self.assertStatus(self.post("/api/v1/businesses/%d/cases" % bid,
                                    {"case_id": case}, as_user="admin"), 201)
        # The commune of the business does not see the other commune's case...
        got = self.get("/api/v1/businesses/%d" % bid, as_user="phucxa")
        self.assertStatus(got, 200)
        self.assertEqual(got.json["cases"], 0)
        r = self.get("/api/v1/businesses?format=csv", as_user="phucxa")
        rows = [x for x in csv.DictReader(io.StringIO(r.raw.decode("utf-8-sig")))
                if x["id"] == str(bid)]
        self.assertEqual(rows[0]["cases"], "0")
        # ... the district over both does, and gets the case to open.
        got = self.get("/api/v1/businesses/%d" % bid, as_user="badinh").json
        self.assertEqual(got["cases"], 1)
        self.assertEqual(got["worker_cases"], [case])
        self.assertEqual(self.get("/api/v1/businesses/%d" % bid, as_user="phucxa")
                         .json["worker_cases"], [])

    def test_inspections_of_the_business_by_tax_code(self):
        code = tax_code()
        bid = self.register(tax_code=code).json["id"]
        today = vn_today()
        body = {"title": "Kiểm tra an toàn COVID %s" % code, "issuer": "001",
                "period_from": (today - datetime.timedelta(days=10)).isoformat(),
                "period_to": (today + datetime.timedelta(days=5)).isoformat(),
                "kind": "announced", "template": "business_covid",
                "target": {"unit_code": "00001", "tax_code": code, "business_name": "Công ty May"},
                "team": [{"name": "Nguyễn Văn Trưởng Đoàn", "role": "Trưởng đoàn"}]}
        r = self.post("/api/v1/inspections", body, as_user="badinh")
        self.assertStatus(r, 201)
        iid = r.json["id"]
        got = self.get("/api/v1/businesses/%d" % bid, as_user="phucxa").json
        self.assertEqual([(i["id"], i["status"]) for i in got["inspections"]], [(iid, "planned")])
        # Its own account sees only a public, concluded one: not this planned one.
        got = self.get("/api/v1/businesses/%d" % bid, as_user="doanhnghiep").json
        self.assertEqual(got["inspections"], [])
        self.assertEqual(got["worker_cases"], [])

    def test_criteria_are_public_data(self):
        r = self.get("/api/v1/business/risk-criteria")
        self.assertStatus(r, 200)
        self.assertEqual([c["code"] for c in r.json["criteria"]], ["CS%d" % i for i in range(1, 16)])
        self.assertTrue(all(c["assumption"] and c["max"] == 20 for c in r.json["criteria"]))
        self.assertEqual([(b["code"], b["max"]) for b in r.json["bands"]],
                         [("very_low", 15), ("low", 30), ("medium", 50), ("high", 80),
                          ("very_high", 100)])
        self.assertEqual(r.json["reassess_days"], RULES["reassess_days"])


if __name__ == "__main__":
    main()
