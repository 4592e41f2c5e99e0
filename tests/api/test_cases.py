"""
Surveillance over HTTP: F0 cases in a hamlet rolled up into the weekly
figures of its commune, district and province (and no other unit), CSV
import all-or-nothing and idempotent, privacy of personal data by role and
scope, contacts' quarantine under the dated rule, clusters and chains,
tests that open cases, hamlets without F0, CSV export with a BOM.

Demo: hamlet 00001-001 in commune 00001 (Phúc Xá, district 001 Ba Đình,
province 01 Hà Nội); phucxa is its commune officer, ytephucxa its health
worker, trucbach the officer of the neighbouring commune 00004.
"""

import csv
import datetime
import io
import os
import sys
import tempfile
import unittest

try:
    import openpyxl
except ImportError:
    # Debian's python3-openpyxl, when the tests run under another python3.
    sys.path.append("/usr/lib/python3/dist-packages")
    import openpyxl

from harness import DATA_DIR, TEST_TMP, ServerTestCase, cli, main

HW = "ytephucxa"


def person(name, idn=None, unit="00001-001", **kw):
    p = {"full_name": name, "birth_year": 1980, "sex": "female", "unit_code": unit}
    if idn:
        p["id_number"] = idn
    p.update(kw)
    return p


def weekly(t, code, frm, to):
    r = t.get("/api/v1/units/%s/weekly?from=%s&to=%s" % (code, frm, to))
    t.assertStatus(r, 200)
    return r.json["items"]


class CasesTest(ServerTestCase):

    def new_case(self, name, day, idn=None, as_user=HW, **kw):
        body = {"person": person(name, idn), "detected_on": day, "source": "community",
                "test_type": "rt-pcr"}
        body.update(kw)
        r = self.post("/api/v1/cases", body, as_user=as_user)
        self.assertStatus(r, 201)
        self.assertEqual(r.headers.get("location"), "/api/v1/cases/%d" % r.json["id"])
        return r.json

    def test_weekly_roll_up_to_commune_district_province_only(self):
        # 2021-08-10 is a Tuesday: week 2021-08-09 .. 2021-08-15.
        self.new_case("Nguyễn Văn Tuần", "2021-08-10", severity="moderate")
        self.new_case("Lê Thị Nhập", "2021-08-11", source="imported")
        for code in ("00001", "001", "01"):
            items = weekly(self, code, "2021-08-09", "2021-08-22")
            self.assertEqual([i["week_end"] for i in items], ["2021-08-15", "2021-08-22"], code)
            w = items[0]
            self.assertGreaterEqual(w["cases"], 2, code)
            self.assertGreaterEqual(w["community_cases"], 1, code)
            self.assertGreaterEqual(w["imported_cases"], 1, code)
            self.assertGreaterEqual(w["oxygen_cases"], 1, code)   # moderate implies oxygen
            self.assertNotIn("full_name", str(items))
        for code in ("00004", "002", "79"):
            items = weekly(self, code, "2021-08-09", "2021-08-22")
            self.assertEqual(sum(i["cases"] for i in items), 0, code)
        w = weekly(self, "00001", "2021-08-09", "2021-08-15")[0]
        if w["population"]:
            self.assertAlmostEqual(w["cases_per_100k"],
                                   round(w["community_cases"] * 100000 / w["population"], 1), 1)

    def test_deaths_count_in_the_week_of_the_outcome(self):
        c = self.new_case("Trần Văn Mất", "2021-09-01")
        r = self.request("PATCH", "/api/v1/cases/%d" % c["id"],
                         body={"outcome": "died", "outcome_on": "2021-09-08"}, as_user=HW)
        self.assertStatus(r, 200)
        self.assertEqual(r.json["outcome"], "died")
        items = weekly(self, "001", "2021-08-30", "2021-09-12")
        self.assertEqual([i["deaths"] for i in items], [0, 1])
        # The change is audited with before and after.
        r = self.get("/api/v1/audit?unit=00001", as_user="phucxa")
        self.assertStatus(r, 200)
        upd = [e for e in r.json["items"] if e["action"] == "case.update"
               and e["entity_id"] == str(c["id"])]
        self.assertTrue(upd)

    def test_detected_on_checks(self):
        body = {"person": person("Ngày Sai"), "source": "community", "test_type": "antigen"}
        for day, word in (("2019-12-31", "2020-01-01"), ("2099-01-01", "future"),
                          ("31/12/2021", "detected_on")):
            r = self.post("/api/v1/cases", dict(body, detected_on=day), as_user=HW,
                          headers={"Accept-Language": "en"})
            self.assertError(r, 422, mentions=word)
        r = self.post("/api/v1/cases", dict(body, detected_on="2021-08-01", severity="bad"),
                      as_user=HW, headers={"Accept-Language": "en"})
        self.assertError(r, 422, mentions="severity", field="severity")
        # The field of an error is the member of the body, nested ones included.
        r = self.post("/api/v1/cases", dict(body, detected_on="2021-08-01",
                                            person=dict(person("Năm Sai"), birth_year=2999)),
                      as_user=HW)
        self.assertError(r, 422, mentions="birth_year", field="person.birth_year")
        r = self.post("/api/v1/cases", dict(body, detected_on="2021-08-01",
                                            person=dict(person("Mã Ngoài"), unit_code="79")),
                      as_user=HW)
        self.assertError(r, 404, field="person.unit_code")

    def test_same_id_number_is_the_same_person(self):
        a = self.new_case("Phạm Văn Trùng", "2021-07-01", idn="001080000111")
        b = self.new_case("Phạm Văn Trùng", "2021-12-01", idn="001080000111")
        self.assertEqual(a["person_id"], b["person_id"])
        c = self.new_case("Phạm V. Trùng", "2021-07-02")          # no ID number: new person
        self.assertNotEqual(c["person_id"], a["person_id"])
        r = self.post("/api/v1/people/%d/merge" % c["person_id"], {"into": a["person_id"]},
                      as_user="phucxa")
        self.assertStatus(r, 200)
        r = self.get("/api/v1/cases/%d" % c["id"], as_user="phucxa")
        self.assertEqual(r.json["person"]["id"], a["person_id"])

    def test_privacy_by_role_and_scope(self):
        c = self.new_case("Hoàng Thị Riêng", "2021-08-20", idn="001180000222", phone="0912345678")
        r = self.get("/api/v1/cases/%d" % c["id"], as_user="phucxa")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["person"]["full_name"], "Hoàng Thị Riêng")
        self.assertEqual(r.json["person"]["id_number"], "001180000222")
        for user in ("nguoidan", "doanhnghiep", "todan1", "trucbach"):
            r = self.get("/api/v1/cases/%d" % c["id"], as_user=user)
            self.assertError(r, 404, msg=user)
            self.assertNotIn("Riêng", r.raw.decode("utf-8"))
        for user in ("nguoidan", "doanhnghiep", "todan1"):
            r = self.get("/api/v1/cases", as_user=user)
            self.assertError(r, 404, msg=user)
            r = self.get("/api/v1/cases/%d/contacts" % c["id"], as_user=user)
            self.assertError(r, 404, msg=user)
        r = self.get("/api/v1/cases?unit=00001", as_user="trucbach")
        self.assertError(r, 404)
        r = self.get("/api/v1/cases?unit=00004", as_user="trucbach")
        self.assertStatus(r, 200)
        self.assertNotIn("Riêng", r.raw.decode("utf-8"))
        self.assertEqual(self.get("/api/v1/cases/%d" % c["id"]).status, 401)
        # Every read of personal data is audited.
        r = self.get("/api/v1/audit?unit=00001", as_user="phucxa")
        acts = {(e["action"], e["actor"]) for e in r.json["items"]}
        self.assertIn(("person.read", "phucxa"), acts)

    def test_list_and_csv_export(self):
        self.new_case("Đỗ Văn Xuất", "2021-10-05")
        r = self.get("/api/v1/cases?unit=00001&from=2021-10-05&to=2021-10-05", as_user="phucxa")
        self.assertStatus(r, 200)
        self.assertIn("Đỗ Văn Xuất", [i["person"]["full_name"] for i in r.json["items"]])
        r = self.get("/api/v1/cases?unit=00001&from=2021-10-05&to=2021-10-05&format=csv",
                     as_user="phucxa")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.headers.get("content-type").startswith("text/csv"))
        self.assertTrue(r.raw.startswith(b"\xef\xbb\xbf"))
        rows = list(csv.DictReader(io.StringIO(r.raw.decode("utf-8-sig"))))
        csv_rows = list(csv.reader(io.StringIO(r.raw.decode("utf-8-sig"))))
        self.assertIn("Đỗ Văn Xuất", [x["full_name"] for x in rows])
        r = self.get("/api/v1/cases?unit=00001&format=csv", as_user="nguoidan")
        self.assertError(r, 404)
        # The same list as an Excel file: the same columns, typed cells.
        r = self.get("/api/v1/cases?unit=00001&from=2021-10-05&to=2021-10-05&format=xlsx",
                     as_user="phucxa")
        self.assertEqual(r.status, 200, r.describe())
        self.assertEqual(r.headers.get("content-type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        self.assertIn("no-store", r.headers.get("cache-control"))
        self.assertIn('filename="cases.xlsx"', r.headers.get("content-disposition"))
        ws = openpyxl.load_workbook(io.BytesIO(r.raw)).active
        self.assertEqual(ws.freeze_panes, "A2")
        head = [c.value for c in ws[1]]
        self.assertEqual(len(head), len(csv_rows[0]))
        self.assertEqual(head[:3], ["Mã ca", "Mã ngoài", "Họ và tên"])
        got = [dict(zip(csv_rows[0], [c.value for c in row])) for row in ws.iter_rows(min_row=2)]
        self.assertEqual(len(got), len(rows))
        for x, want in zip(got, rows):
            self.assertEqual(x["id"], int(want["id"]))
            self.assertEqual(x["full_name"], want["full_name"])
            self.assertEqual(x["detected_on"], datetime.datetime(2021, 10, 5))
            self.assertEqual(x["needs_oxygen"], int(want["needs_oxygen"]))
        cell = ws.cell(row=2, column=head.index("Ngày phát hiện") + 1)
        self.assertEqual(cell.number_format, "dd/mm/yyyy")
        self.assertGreater(ws.column_dimensions["C"].width, 10)
        r = self.get("/api/v1/cases?unit=00001&format=xlsx", as_user="nguoidan")
        self.assertError(r, 404)
        r = self.get("/api/v1/cases?unit=00001&format=pdf", as_user="phucxa")
        self.assertError(r, 400, field="format")
        # Paging with a cursor.
        r1 = self.get("/api/v1/cases?unit=00001&limit=1", as_user="phucxa")
        self.assertEqual(len(r1.json["items"]), 1)
        r2 = self.get("/api/v1/cases?unit=00001&limit=1&cursor=%d" % r1.json["next"],
                      as_user="phucxa")
        self.assertGreater(r2.json["items"][0]["id"], r1.json["items"][0]["id"])

    def test_csv_export_neutralises_formulas(self):
        """A cell Excel would run as a formula is exported as text, and the
        export imports back to the same values (security finding 5)."""
        c = self.new_case("=HYPERLINK(\"http://x.vn\",\"Xem\")", "2021-10-06",
                          external_id="@SUM(1)")
        r = self.request("PATCH", "/api/v1/cases/%d" % c["id"], body={"severity": "mild"},
                         as_user=HW)
        self.assertStatus(r, 200)
        r = self.get("/api/v1/cases?unit=00001&from=2021-10-06&to=2021-10-06&format=csv",
                     as_user="phucxa")
        self.assertEqual(r.status, 200)
        text = r.raw.decode("utf-8-sig")
        self.assertIn('"\'=HYPERLINK(', text)
        self.assertIn('"\'@SUM(1)"', text)
        for line in text.splitlines():
            for cell in next(csv.reader([line])):
                self.assertFalse(cell[:1] in ("=", "+", "@") and not cell[1:].isdigit(),
                                 "formula cell: %r" % cell)
        rows = [x for x in csv.DictReader(io.StringIO(text)) if x["id"] == str(c["id"])]
        cols = ["external_id", "full_name", "id_number", "birth_year", "sex", "unit_code",
                "detected_on", "source", "test_type", "severity"]
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(cols)
        w.writerow([rows[0][k] for k in cols])
        r = self.request("POST", "/api/v1/cases/import", raw=buf.getvalue(),
                         headers={"Content-Type": "text/csv"}, as_user="phucxa")
        self.assertStatus(r, 200)
        self.assertEqual((r.json["inserted"], r.json["updated"], r.json["skipped"]), (0, 0, 1))

    def test_csv_import_all_or_nothing_and_idempotent(self):
        head = "external_id,full_name,id_number,birth_year,sex,unit_code,detected_on,source,test_type\n"
        good = [
            "IMP-1,Vũ Văn Một,,1970,male,00001-001,2021-11-02,community,rt-pcr\n",
            "IMP-2,Vũ Thị Hai,001170000333,1971,female,00001,2021-11-03,quarantine,antigen\n",
        ]
        bad = good + ["IMP-3,Vũ Văn Ba,,1972,male,00001,2021-13-01,community,rt-pcr\n"]
        h = {"Content-Type": "text/csv"}
        r = self.request("POST", "/api/v1/cases/import", raw=head + "".join(bad), headers=h,
                         as_user="phucxa")
        self.assertError(r, 422, mentions=("dòng 4", "line 4"), field="detected_on")
        self.assertIn("detected_on", r.json["error"]["message"])
        self.assertEqual(sum(i["cases"] for i in weekly(self, "00001", "2021-11-01", "2021-11-07")), 0)
        # Every bad line comes back at once, each with its line and field,
        # in the reader's language; the first is the error itself.
        worse = bad + ["IMP-4,Vũ Văn Bốn,,năm 1973,male,00001,2021-11-04,community,rt-pcr\n",
                       "IMP-5,Vũ Văn Năm,,1974,male,00001,2021-11-05,community,rt-pcr\n",
                       "IMP-6,Vũ Văn Sáu,,1975,robot,00001,2021-11-06,community,rt-pcr\n"]
        for lang, word in (("vi", "dòng"), ("en", "line")):
            r = self.request("POST", "/api/v1/cases/import", raw=head + "".join(worse),
                             headers=dict(h, **{"Accept-Language": lang}), as_user="phucxa")
            self.assertError(r, 422, field="detected_on")
            items = r.json["error"]["errors"]
            self.assertEqual([(i["line"], i["field"]) for i in items],
                             [(4, "detected_on"), (5, "birth_year"), (7, "sex")])
            self.assertEqual(items[0]["message"], r.json["error"]["message"])
            for i in items:
                self.assertTrue(i["message"].startswith("%s %d: " % (word, i["line"])), i)
        self.assertEqual(sum(i["cases"] for i in weekly(self, "00001", "2021-11-01", "2021-11-07")), 0)
        r = self.request("POST", "/api/v1/cases/import", raw=head + "".join(good), headers=h,
                         as_user="phucxa")
        self.assertStatus(r, 200)
        self.assertEqual((r.json["inserted"], r.json["updated"], r.json["skipped"]), (2, 0, 0))
        r = self.request("POST", "/api/v1/cases/import", raw=head + "".join(good), headers=h,
                         as_user="phucxa")
        self.assertEqual((r.json["inserted"], r.json["updated"], r.json["skipped"]), (0, 0, 2))
        self.assertEqual(weekly(self, "00001", "2021-11-01", "2021-11-07")[0]["cases"], 2)
        changed = good[0].replace("community", "imported")
        r = self.request("POST", "/api/v1/cases/import", raw=head + changed, headers=h,
                         as_user="phucxa")
        self.assertEqual((r.json["inserted"], r.json["updated"]), (0, 1))
        self.assertEqual(weekly(self, "00001", "2021-11-01", "2021-11-07")[0]["imported_cases"], 1)
        # Out of scope rows import nothing.
        r = self.request("POST", "/api/v1/cases/import", raw=head + good[0].replace("IMP-1", "IMP-9"),
                         headers=h, as_user="trucbach")
        self.assertError(r, 422, mentions=("dòng 2", "line 2"))
        r = self.request("POST", "/api/v1/cases/import", raw=head + good[0], headers=h,
                         as_user="nguoidan")
        self.assertError(r, 422)

    def count_cases(self, as_user, unit):
        n, cursor = 0, None
        while True:
            r = self.get("/api/v1/cases?unit=%s&limit=1000%s" % (unit, "&cursor=%d" % cursor if cursor else ""),
                         as_user=as_user)
            self.assertStatus(r, 200)
            n += len(r.json["items"])
            if not r.json["next"]:
                return n
            cursor = r.json["next"]

    def test_csv_import_names_every_line_the_database_refuses(self):
        """Unknown units, a unit out of the importer's scope (told as
        unknown: nothing about other communes leaks) and a case twice in the
        file: every such line at once, in line order, and nothing written;
        a line the reader refuses goes in among them."""
        head = "external_id,full_name,unit_code,detected_on,source,test_type\n"
        rows = ["DB-1,Đặng Văn Một,00001,2021-10-11,community,rt-pcr\n",      # line 2
                "DB-2,Đặng Văn Hai,99991,2021-10-11,community,rt-pcr\n",      # 3: unknown
                "DB-3,Đặng Văn Ba,00001-001,2021-10-12,community,rt-pcr\n",   # 4
                "DB-4,Đặng Văn Bốn,00004,2021-10-12,community,rt-pcr\n",      # 5: Trúc Bạch
                "DB-5,Đặng Văn Năm,99992,2021-10-12,community,rt-pcr\n",      # 6: unknown
                "DB-1,Đặng Văn Một,00001,2021-10-13,community,rt-pcr\n",      # 7: twice
                "DB-6,Đặng Văn Sáu,99993,2021-10-13,community,rt-pcr\n"]      # 8: unknown
        h = {"Content-Type": "text/csv", "Accept-Language": "en"}
        before = self.count_cases("phucxa", "00001")
        r = self.request("POST", "/api/v1/cases/import", raw=head + "".join(rows), headers=h,
                         as_user="phucxa")
        self.assertError(r, 422, field="unit_code", mentions="line 3: ")
        items = r.json["error"]["errors"]
        self.assertEqual([(i["line"], i["field"]) for i in items],
                         [(3, "unit_code"), (5, "unit_code"), (6, "unit_code"), (7, "external_id"),
                          (8, "unit_code")])
        self.assertEqual(items[0]["message"], r.json["error"]["message"])
        self.assertIn("'99991'", items[0]["message"])
        # Out of scope reads as unknown, word for word.
        self.assertEqual(items[1]["message"], items[0]["message"].replace("3", "5", 1)
                         .replace("99991", "00004"))
        self.assertIn("DB-1", items[3]["message"])
        self.assertIn("line 2", items[3]["message"][len("line 7: "):])
        self.assertEqual(self.count_cases("phucxa", "00001"), before)
        # With lines the reader refuses too: all of them, merged in line order.
        worse = rows + ["DB-7,Đặng Văn Bảy,00001,2021-13-01,community,rt-pcr\n"]   # 9
        worse.insert(1, "DB-8,Đặng Văn Tám,00001,2021-10-11,community,virus\n")     # 3
        r = self.request("POST", "/api/v1/cases/import", raw=head + "".join(worse),
                         headers=dict(h, **{"Accept-Language": "vi"}), as_user="phucxa")
        self.assertError(r, 422, field="test_type")
        self.assertEqual([(i["line"], i["field"]) for i in r.json["error"]["errors"]],
                         [(3, "test_type"), (4, "unit_code"), (6, "unit_code"), (7, "unit_code"),
                          (8, "external_id"), (9, "unit_code"), (10, "detected_on")])
        for i in r.json["error"]["errors"]:
            self.assertTrue(i["message"].startswith("dòng %d: " % i["line"]), i)
        self.assertEqual(self.count_cases("phucxa", "00001"), before)
        # The lines mended, the file goes in whole.
        good = [rows[0], rows[2], rows[5].replace("DB-1", "DB-7")]
        r = self.request("POST", "/api/v1/cases/import", raw=head + "".join(good), headers=h,
                         as_user="phucxa")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["inserted"], 3)
        self.assertEqual(self.count_cases("phucxa", "00001"), before + 3)

    def test_contacts_follow_the_dated_rule(self):
        c = self.new_case("Ngô Văn Nguồn", "2022-04-02")
        want = {"2021-03-01": (1, "2021-03-15"), "2021-11-01": (1, "2021-11-08"),
                "2022-04-01": (1, "2022-04-01"), "2021-06-01": (2, "2021-06-15")}
        for i, (day, (deg, end)) in enumerate(sorted(want.items())):
            r = self.post("/api/v1/cases/%d/contacts" % c["id"],
                          {"person": person("Tiếp Xúc %d" % i), "degree": deg,
                           "exposure_on": day, "setting": "household"}, as_user=HW)
            self.assertStatus(r, 201)
            self.assertEqual(r.json["quarantine_start"], day)
            self.assertEqual(r.json["quarantine_end"], end, day)
            self.assertIn("quarantine_rule", r.json)
        r = self.get("/api/v1/cases/%d/contacts" % c["id"], as_user="phucxa")
        self.assertStatus(r, 200)
        self.assertEqual(len(r.json["items"]), 4)
        r = self.post("/api/v1/cases/%d/contacts" % c["id"],
                      {"person": person("Sai Bậc"), "degree": 3, "exposure_on": "2021-06-01"},
                      as_user=HW, headers={"Accept-Language": "en"})
        self.assertError(r, 422, mentions="degree")

    def test_clusters_and_chains(self):
        r = self.post("/api/v1/clusters", {"name": "Ổ dịch chợ Long Biên", "unit_code": "00001",
                                            "opened_on": "2021-07-20"}, as_user="phucxa")
        self.assertStatus(r, 201)
        cl = r.json["id"]
        a = self.new_case("Chuỗi Một", "2021-07-20", cluster_id=cl)
        b = self.new_case("Chuỗi Hai", "2021-07-22", cluster_id=cl, infected_by=a["id"])
        c = self.new_case("Chuỗi Ba", "2021-07-24", infected_by=b["id"])
        r = self.get("/api/v1/clusters/%d" % cl, as_user="phucxa")
        self.assertStatus(r, 200)
        ids = {n["id"] for n in r.json["chain"]["nodes"]}
        self.assertEqual(ids, {a["id"], b["id"], c["id"]})
        edges = {(e["from"], e["to"]) for e in r.json["chain"]["edges"]}
        self.assertEqual(edges, {(a["id"], b["id"]), (b["id"], c["id"])})
        self.assertError(self.get("/api/v1/clusters/%d" % cl, as_user="trucbach"), 404)
        self.assertError(self.get("/api/v1/clusters/%d" % cl, as_user="nguoidan"), 404)

    def test_positive_test_opens_a_case(self):
        body = {"person": person("Xét Nghiệm", "001090000444"), "taken_on": "2021-12-06",
                "test_type": "antigen", "result": "positive", "open_case": True}
        r = self.post("/api/v1/tests", body, as_user=HW)
        self.assertStatus(r, 201)
        self.assertIsNotNone(r.json["case_id"])
        r2 = self.get("/api/v1/cases/%d" % r.json["case_id"], as_user=HW)
        self.assertEqual(r2.json["source"], "community")
        self.assertEqual(r2.json["person"]["id"], r.json["person_id"])
        r = self.post("/api/v1/tests", dict(body, result="negative"), as_user=HW)
        self.assertStatus(r, 201)
        self.assertIsNone(r.json["case_id"])

    def test_hamlets_without_f0(self):
        self.new_case("Thôn Có Ca", "2021-06-10")
        r = self.get("/api/v1/units/00001/hamlets/f0-free?date=2021-06-20", as_user="phucxa")
        self.assertStatus(r, 200)
        h = {i["code"]: i for i in r.json["items"]}
        self.assertGreaterEqual(h["00001-001"]["days_since_last_case"], 0)
        self.assertNotIn("full_name", r.raw.decode("utf-8"))
        r = self.get("/api/v1/units/00001/hamlets/f0-free?date=2021-06-12", as_user="todan1")
        self.assertStatus(r, 200)
        self.assertEqual([i["code"] for i in r.json["items"]], ["00001-001"])
        self.assertFalse(r.json["items"][0]["f0_free_14_days"])
        self.assertError(self.get("/api/v1/units/00001/hamlets/f0-free", as_user="trucbach"), 404)
        self.assertError(self.get("/api/v1/units/00001/hamlets/f0-free", as_user="nguoidan"), 404)

    def test_weekly_range_checks(self):
        self.assertError(self.get("/api/v1/units/01/weekly?from=2020-01-01&to=2023-01-01"), 400)
        self.assertError(self.get("/api/v1/units/01/weekly"), 400)
        self.assertError(self.get("/api/v1/units/99999/weekly?from=2021-01-01&to=2021-02-01"), 404)


class CliImportTest(unittest.TestCase):
    """thichung import cases / daily-cases on a SQLite file."""

    def setUp(self):
        os.makedirs(TEST_TMP, exist_ok=True)
        self.dir = tempfile.mkdtemp(prefix="cases-cli-", dir=TEST_TMP)
        self.db = os.path.join(self.dir, "thc.db")
        rc, out, err = cli("import", "units", "--db", self.db, os.path.join(DATA_DIR, "units.csv"))
        self.assertEqual(rc, 0, err)

    def write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def test_cases_all_or_nothing_then_idempotent(self):
        head = "external_id,full_name,unit_code,detected_on,test_type,source\n"
        rows = ["C-%d,Người %d,00001,2021-08-0%d,rt-pcr,community\n" % (i, i, i) for i in range(1, 7)]
        bad = self.write("bad.csv", head + "".join(rows) + "C-7,Người 7,00001,2021-08-99,rt-pcr,community\n")
        rc, out, err = cli("import", "cases", "--db", self.db, bad)
        self.assertNotEqual(rc, 0)
        self.assertIn("8", err)
        self.assertIn("detected_on", err)
        good = self.write("good.csv", head + "".join(rows))
        rc, out, err = cli("import", "cases", "--db", self.db, good)
        self.assertEqual(rc, 0, err)
        self.assertIn("6", out)
        rc, out2, err = cli("import", "cases", "--db", self.db, good)
        self.assertEqual(rc, 0, err)
        self.assertIn("0 mới / new", out2)

    def test_cases_every_bad_line_listed(self):
        head = "external_id,full_name,unit_code,detected_on,test_type,source\n"
        rows = ["L-1,Người 1,00001,2021-08-01,rt-pcr,community\n",
                "L-2,Người 2,99991,2021-08-01,rt-pcr,community\n",     # line 3
                "L-3,Người 3,00001,2021-08-99,rt-pcr,community\n",     # 4
                "L-1,Người 1,00001,2021-08-02,rt-pcr,community\n",     # 5
                "L-4,Người 4,99992,2021-08-01,rt-pcr,community\n"]     # 6
        rc, out, err = cli("import", "cases", "--db", self.db, self.write("bad.csv", head + "".join(rows)))
        self.assertEqual(rc, 2, err)
        listed = [l for l in err.splitlines() if l.startswith("thichung: line ")]
        self.assertEqual([l.split(":")[1].strip() for l in listed],
                         ["line 3", "line 4", "line 5", "line 6"], err)
        self.assertIn("4 bad lines, no line imported", err)
        rc, out, err = cli("import", "cases", "--db", self.db, self.write("one.csv", head + rows[0]))
        self.assertEqual(rc, 0, err)
        self.assertIn("1 mới / new", out)

    def test_cases_same_rows_as_before(self):
        """10,000 rows (people sharing ID numbers within and across communes,
        deaths, every column): the cases, people, links, weekly figures and
        audit actions are those the row-by-row-checked import of commit
        70c69a9 wrote (their checksum, recorded with that binary)."""
        import hashlib
        import sqlite3
        units = []
        with open(os.path.join(DATA_DIR, "units.csv"), encoding="utf-8") as f:
            for r in csv.DictReader(f):
                if r["level"] == "commune" and r["code"][:1] in ("0", "2"):
                    units.append(r["code"])
        units = units[::max(1, len(units) // 40)][:40]
        fam = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"]
        giv = ["Văn An", "Thị Bình", "Minh Châu", "Đức Dũng", "Thu Hà", "Quốc Huy"]
        sev = ["", "asymptomatic", "mild", "moderate", "severe", "critical"]
        lines = ["external_id,full_name,id_number,birth_year,sex,unit_code,phone,detected_on,source,"
                 "test_type,severity,needs_oxygen,care_place,outcome,outcome_on"]
        for i in range(10000):
            died = i % 97 == 0
            lines.append(",".join([
                "G%05d" % i, "%s %s" % (fam[i % 8], giv[(i // 8) % 6]),
                "0010%08d" % (i // 6) if i % 3 == 0 else "", str(1930 + i % 80) if i % 11 else "",
                ("male", "female", "")[i % 3], units[(i // 7) % len(units)],
                "09%08d" % i if i % 5 == 0 else "", "2021-%02d-%02d" % (1 + i % 12, 1 + i % 28),
                ("community", "quarantine", "imported")[i % 3], ("rt-pcr", "antigen")[i % 2],
                sev[i % 6], "1" if i % 13 == 0 else "0", "", "died" if died else "",
                "2022-01-%02d" % (1 + i % 28) if died else ""]))
        rc, out, err = cli("import", "cases", "--db", self.db,
                           self.write("g10k.csv", "\n".join(lines) + "\n"))
        self.assertEqual(rc, 0, err)
        con = sqlite3.connect(self.db)
        h = hashlib.sha256()
        for q in ("SELECT c.external_id, c.unit_code, c.unit_path, c.commune_code, c.province_code,"
                  " c.detected_on, c.detected_week, c.test_type, c.source, c.severity, c.needs_oxygen,"
                  " c.care_place, c.outcome, c.outcome_on, c.outcome_week, c.cluster_id, c.infected_by,"
                  " p.full_name, p.full_name_folded, p.id_number, p.birth_year, p.sex, p.phone, p.unit_code,"
                  " p.commune_code, p.address,"
                  " (SELECT count(*) FROM cases c2 WHERE c2.person_id = c.person_id)"
                  " FROM cases c JOIN people p ON p.id = c.person_id ORDER BY c.commune_code, c.external_id",
                  "SELECT * FROM case_weeks ORDER BY commune_code, week_end",
                  "SELECT p.id_number, p.commune_code, l.record, l.record_commune, l.record_on, l.detail,"
                  " l.status, l.unit_path FROM person_links l JOIN people p ON p.id = l.person_id"
                  " ORDER BY 1, 2, 3, 4, 5, 6",
                  "SELECT action, count(*) FROM audit WHERE action NOT LIKE 'units.%' GROUP BY 1 ORDER BY 1"):
            for row in con.execute(q):
                h.update(repr(tuple(row)).encode())
        people = con.execute("SELECT count(*) FROM people").fetchone()[0]
        con.close()
        self.assertEqual((people, h.hexdigest()),
                         (9047, "8b6f88aaf38cce6991c4949b52039a90bed22851ce9ba48073e69e05dd7c1f8b"))
        rc, out, err = cli("import", "cases", "--db", self.db, os.path.join(self.dir, "g10k.csv"))
        self.assertEqual(rc, 0, err)
        # Again: as that binary, rows whose person another row of the file
        # rewrote (a shared ID number, another name) update it back.
        self.assertIn("0 mới / new, 1213 cập nhật / updated, 8787 không đổi / unchanged", out)

    def test_daily_cases(self):
        f = self.write("daily.csv", "date,province_code,new_cases,community_cases\n"
                       "2021-09-01,01,120,100\n2021-09-02,79,5000,4200\n2021-09-03,79,4800,\n")
        rc, out, err = cli("import", "daily-cases", "--db", self.db, f)
        self.assertEqual(rc, 0, err)
        self.assertIn("3", out)
        bad = self.write("bad.csv", "date,province_code,new_cases\n2021-09-01,001,1\n")
        rc, out, err = cli("import", "daily-cases", "--db", self.db, bad)
        self.assertNotEqual(rc, 0)
        self.assertIn("province_code", err)


class DailyCasesWeeklyTest(ServerTestCase):
    """Published daily counts show in a province's weeks on days without individual cases."""

    def test_daily_counts_in_province_weeks(self):
        path = os.path.join(TEST_TMP, "daily-%d.csv" % os.getpid())
        with open(path, "w", encoding="utf-8") as f:
            f.write("date,province_code,new_cases,community_cases\n"
                    "2021-09-06,79,5000,4000\n2021-09-07,79,4000,\n")
        rc, out, err = self.server.cli("import", "daily-cases", "--db", self.server.db, path)
        self.assertEqual(rc, 0, err)
        w = weekly(self, "79", "2021-09-06", "2021-09-12")[0]
        self.assertEqual((w["cases"], w["community_cases"]), (9000, 8000))
        self.assertEqual(weekly(self, "760", "2021-09-06", "2021-09-12")[0]["cases"], 0)
        self.assertEqual(weekly(self, "VN", "2021-09-06", "2021-09-12")[0]["cases"], 9000)


if __name__ == "__main__":
    main()
