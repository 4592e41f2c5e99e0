#!/usr/bin/env python3
"""
Excel reports, read back with an independent reader (Debian's
python3-openpyxl): GET /api/v1/levels.xlsx and
GET /api/v1/reports/situation.xlsx.

Readings of docs/api.md this file relies on:
- Both answer an .xlsx attachment (Content-Disposition: attachment), never
  kept in a cache; one sheet, the first row the Vietnamese column titles in
  bold and frozen (the pane starts at A2), numbers written as numbers,
  dates as dates shown dd/mm/yyyy, columns at least as wide as their title.
- /levels.xlsx?date=&parent= (public) lists the units of the level map for
  that day: code, name, administrative level, level (a number, empty when
  none is decided), its name, in force from, the assessed week, the day.
- /reports/situation.xlsx?unit=&week_end= (officials whose scope holds the
  province or district; others 403, anonymous 401, out of scope 404) lists
  each unit below it for the week ending week_end (a Sunday; 400 otherwise):
  level, population, cases, community cases, community cases per 100,000
  (one decimal), last week's cases, full-dose coverage 18+ (%), overdue
  isolations, active zones, the week's end.
"""

import datetime
import io
import sys

try:
    import openpyxl
except ImportError:
    # Debian's python3-openpyxl, when the tests run under another python3.
    sys.path.append("/usr/lib/python3/dist-packages")
    import openpyxl

from harness import ServerTestCase, main

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ReportsXlsxTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        tok = cls.token("admin")
        for day, name in (("2021-10-12", "Ca Một"), ("2021-10-13", "Ca Hai"),
                          ("2021-10-06", "Ca Tuần Trước")):
            r = cls.server.request("POST", "/api/v1/cases", token=tok, body={
                "person": {"full_name": name, "unit_code": "00001-001"}, "detected_on": day,
                "source": "community", "test_type": "rt-pcr"})
            assert r.status == 201, r.describe()
        r = cls.server.request("POST", "/api/v1/units/001/levels", token=tok,
                               body={"week_end": "2021-10-10", "level": 3, "reason": "thử Excel"})
        assert r.status in (200, 201), r.describe()
        r = cls.server.request("POST", "/api/v1/zones", token=tok, body={
            "unit_code": "00001-001", "reason": "ổ dịch", "started_on": "2021-10-12"})
        assert r.status == 201, r.describe()

    def sheet(self, r):
        self.assertEqual(r.status, 200, r.describe())
        self.assertTrue(r.headers.get("content-type").startswith(XLSX), r.headers)
        self.assertIn("attachment", r.headers.get("content-disposition"))
        self.assertIn("no-store", r.headers.get("cache-control"))
        wb = openpyxl.load_workbook(io.BytesIO(r.raw))
        self.assertEqual(len(wb.worksheets), 1)
        ws = wb.worksheets[0]
        self.assertEqual(ws.freeze_panes, "A2")
        head = [c.value for c in ws[1]]
        self.assertTrue(all(c.font.b for c in ws[1]))
        for i, title in enumerate(head):
            letter = openpyxl.utils.get_column_letter(i + 1)
            self.assertGreaterEqual(ws.column_dimensions[letter].width, len(title), title)
        rows = [dict(zip(head, row)) for row in ws.iter_rows(min_row=2, values_only=True)]
        return ws, head, rows

    def test_situation(self):
        r = self.get("/api/v1/reports/situation.xlsx?unit=01&week_end=2021-10-17", as_user="hanoi")
        ws, head, rows = self.sheet(r)
        self.assertEqual(ws.title, "Tình hình tuần")
        self.assertEqual(head[:4], ["Mã đơn vị", "Tên đơn vị", "Cấp hành chính", "Cấp độ dịch"])
        bd = [row for row in ws.iter_rows(min_row=2) if row[0].value == "001"][0]
        cell = dict(zip(head, bd))
        self.assertEqual(cell["Tên đơn vị"].value, "Quận Ba Đình")
        self.assertEqual(cell["Cấp độ dịch"].value, 3)
        self.assertEqual(cell["Ca mắc trong tuần"].value, 2)
        self.assertEqual(cell["Ca cộng đồng"].value, 2)
        self.assertEqual(cell["Ca mắc tuần trước"].value, 1)
        self.assertEqual(cell["Vùng phong tỏa"].value, 1)
        pop = cell["Dân số"].value
        self.assertIsInstance(pop, int)
        self.assertGreater(pop, 100000)
        per = cell["Ca cộng đồng / 100.000 dân"]
        self.assertAlmostEqual(per.value, round(2 * 100000 / pop, 1))
        self.assertEqual(per.number_format, "#,##0.0")
        self.assertEqual(per.data_type, "n")
        day = cell["Tuần kết thúc"]
        self.assertEqual(day.value, datetime.datetime(2021, 10, 17))
        self.assertEqual(day.number_format, "dd/mm/yyyy")
        # Every district of Hà Nội, one row each.
        districts = self.get("/api/v1/units?parent=01", as_user="hanoi")
        self.assertEqual(len(rows), len([u for u in districts.json["items"]
                                         if u["level"] == "district"]))

    def test_situation_who_may(self):
        q = "/api/v1/reports/situation.xlsx?unit=001&week_end=2021-10-17"
        self.sheet(self.get(q, as_user="badinh"))
        self.assertError(self.get(q, as_user="hcm"), 404)
        self.assertError(self.get(q, as_user="ytephucxa"), 403)
        self.assertError(self.get(q), 401)
        self.assertError(self.get("/api/v1/reports/situation.xlsx?unit=001&week_end=2021-10-18",
                                  as_user="admin"), 400, field="week_end")
        self.assertError(self.get("/api/v1/reports/situation.xlsx?week_end=2021-10-17",
                                  as_user="admin"), 400, field="unit")
        self.assertError(self.get("/api/v1/reports/situation.xlsx?unit=00001", as_user="admin"),
                         422, field="unit")

    def test_levels(self):
        ws, head, rows = self.sheet(self.get("/api/v1/levels.xlsx?date=2021-10-20&parent=01"))
        self.assertEqual(ws.title, "Cấp độ dịch")
        json_items = self.get("/api/v1/levels?date=2021-10-20&parent=01").json["items"]
        self.assertEqual([r["Mã đơn vị"] for r in rows], [i["code"] for i in json_items])
        bd = [r for r in rows if r["Mã đơn vị"] == "001"][0]
        self.assertEqual(bd["Cấp độ dịch"], 3)
        self.assertEqual(bd["Tên cấp độ"], "Nguy cơ cao")
        self.assertEqual(bd["Cấp hành chính"], "Quận/Huyện")
        self.assertEqual(bd["Ngày xem"], datetime.datetime(2021, 10, 20))
        self.assertIsInstance(bd["Hiệu lực từ"], datetime.datetime)
        none = [r for r in rows if r["Cấp độ dịch"] is None]
        self.assertTrue(all(r["Tên cấp độ"] == "chưa công bố" for r in none))
        self.assertError(self.get("/api/v1/levels.xlsx?date=20-10-2021"), 400, field="date")


if __name__ == "__main__":
    main()
