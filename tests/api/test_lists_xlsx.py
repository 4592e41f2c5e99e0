#!/usr/bin/env python3
"""
The lists the web shows, as Excel files (?format=xlsx), read back with an
independent reader (Debian's python3-openpyxl).

Readings of docs/api.md this file relies on:
- GET /api/v1/isolations, /zones, /cases, /inspections, /emulation/movements,
  /emulation/movements/{id}/rankings, /directives/{id}/progress,
  /units/{code}/inbox, /units/{code}/duty, /units/{code}/levels,
  /units/{code}/weekly, /levels/changes and /public/decisions take
  ?format=json|csv|xlsx (400 naming `format` otherwise).  The file holds
  the rows of the JSON list for the same caller and filters, no more: one
  sheet, the Vietnamese titles in bold in the first row, frozen (A2), dates
  as dates shown dd/mm/yyyy (instants dd/mm/yyyy hh:mm, Vietnam's time),
  numbers as numbers, columns at least as wide as their titles; an
  attachment never kept by the public cache.
- A list that stops at a cap says so in the file, under its rows.
- The same scope as the JSON list: out of scope 404, others 403, anonymous
  401 for lists that are not public.
"""

import datetime
import io
import re
import sys

try:
    import openpyxl
except ImportError:
    sys.path.append("/usr/lib/python3/dist-packages")
    import openpyxl

from harness import ServerTestCase, main

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def vn_now():
    return datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=7)


TODAY = vn_now().date()


def monday(d):
    return d - datetime.timedelta(days=d.weekday())


class ListsXlsxTest(ServerTestCase):

    @classmethod
    def call(cls, method, path, user, body=None, expect=(200, 201)):
        r = cls.server.request(method, path, body=body, token=cls.token(user))
        assert r.status in expect, r.describe()
        return r.json

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        c = cls.call("POST", "/api/v1/cases", "ytephucxa", {
            "person": {"full_name": "Nguyễn Văn Hai", "id_number": "001190000002",
                       "unit_code": "00001-001-0001"},
            "detected_on": "2021-09-10", "source": "community", "test_type": "rt-pcr"})
        c2 = cls.call("POST", "/api/v1/cases", "ytephucxa", {
            "person": {"full_name": "Trần Văn Ba", "unit_code": "00001-001-0001"},
            "detected_on": "2021-09-11", "source": "community", "test_type": "rt-pcr"})
        cls.iso = cls.call("POST", "/api/v1/isolations", "ytephucxa", {
            "person_id": c["person_id"], "kind": "home", "unit_code": "00001-001-0001",
            "started_on": "2021-09-01", "case_id": c["id"]})["id"]
        # A second, started later: a file of one row leaves it out.
        cls.call("POST", "/api/v1/isolations", "ytephucxa", {
            "person_id": c2["person_id"], "kind": "home", "unit_code": "00001-001-0001",
            "started_on": "2021-09-11", "case_id": c2["id"]})
        cls.call("POST", "/api/v1/isolations/%d/checkins" % cls.iso, "ytephucxa",
                 {"spo2": 97, "temperature": 37.5, "symptoms": "ho nhẹ"})
        cls.call("POST", "/api/v1/zones", "admin", {
            "unit_code": "00001-001", "reason": "Ổ dịch ngõ 5", "started_on": "2021-09-12"})
        cls.call("POST", "/api/v1/inspections", "badinh", {
            "title": "Kiểm tra Tổ COVID cộng đồng phường Phúc Xá", "issuer": "001",
            "period_from": "2021-10-01", "period_to": "2021-10-31", "kind": "surprise",
            "template": "commune_team", "target": {"unit_code": "00001"},
            "team": [{"name": "Nguyễn Văn Trưởng", "role": "Trưởng đoàn"}]})
        cls.call("POST", "/api/v1/decisions", "badinh", {
            "kind": "reward", "form": "Giấy khen", "number": "7/QĐ-UBND",
            "person_name": "Bùi Thị Dân", "unit_code": "00001", "reason": "Hoàn thành tốt",
            "decided_on": "2021-10-29", "issuer": "001", "public": True})
        cls.movement = cls.call("POST", "/api/v1/emulation/movements", "badinh", {
            "name": "Thi đua quận Ba Đình", "parent_code": "001",
            "period_from": (TODAY - datetime.timedelta(days=20)).isoformat(),
            "period_to": (TODAY + datetime.timedelta(days=40)).isoformat(),
            "indicators": [{"code": "case_free_days", "weight": 1}]})["id"]
        cls.directive = cls.call("POST", "/api/v1/directives", "hanoi", {
            "number": "05-CT/TU", "issued_on": "2021-10-15", "issuer": "01",
            "title": "Chỉ thị 05-CT/TU", "summary": "Học tập",
            "tasks": [{"title": "Học tập chỉ thị", "deadline": "2021-10-30",
                       "assignees": {"units": ["001", "002"]}}]})["id"]
        cls.week = monday(TODAY).isoformat()
        cls.call("PUT", "/api/v1/units/00001/duty?week_start=" + cls.week, "phucxa", {
            "shifts": [{"date": cls.week, "from": "22:00", "to": "06:00",
                        "name": "Nguyễn Văn Trực", "phone": "0987654321"}]})
        cls.call("POST", "/api/v1/units/001/levels", "admin",
                 {"week_end": "2021-10-10", "level": 3, "reason": "thử Excel"})

    # ---- reading a file back ----

    def sheet(self, path, as_user=None):
        r = self.get(path, as_user=as_user)
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
            self.assertTrue(re.search("[^\x00-\x7f]", title) or title in ("SpO2 (%)",), title)
            letter = openpyxl.utils.get_column_letter(i + 1)
            self.assertGreaterEqual(ws.column_dimensions[letter].width, len(title), title)
        rows = [dict(zip(head, row)) for row in ws.iter_rows(min_row=2)]
        return ws, head, rows

    def json_items(self, path, as_user=None, member="items"):
        r = self.get(path, as_user=as_user)
        self.assertEqual(r.status, 200, r.describe())
        return r.json[member]

    def same_rows(self, path, as_user, member="items", key=None):
        """The file's rows are the JSON list's, in its order; (items, rows)."""
        items = self.json_items(path, as_user, member)
        sep = "&" if "?" in path else "?"
        ws, head, rows = self.sheet(path + sep + "format=xlsx", as_user)
        self.assertEqual(len(rows), len(items), path)
        if key:
            self.assertEqual([r[key[1]].value for r in rows], [i[key[0]] for i in items], path)
        return items, rows

    def assertDate(self, cell, day, fmt="dd/mm/yyyy"):
        self.assertEqual(cell.value, datetime.datetime.combine(day, datetime.time()))
        self.assertEqual(cell.number_format, fmt)
        self.assertEqual(cell.data_type, "d")   # openpyxl: a number shown as a date

    # ---- each list ----

    def test_isolations(self):
        items, rows = self.same_rows("/api/v1/isolations?unit=00001&state=active", "ytephucxa",
                                     key=("id", "Mã theo dõi"))
        row = [r for r in rows if r["Mã theo dõi"].value == self.iso][0]
        self.assertEqual(row["Họ và tên"].value, "Nguyễn Văn Hai")
        self.assertDate(row["Ngày bắt đầu"], datetime.date(2021, 9, 1))
        self.assertEqual(row["Số lần theo dõi"].value, 1)
        self.assertEqual(row["SpO2 (%)"].value, 97)
        self.assertAlmostEqual(row["Nhiệt độ (°C)"].value, 37.5)
        self.assertEqual(row["Nhiệt độ (°C)"].number_format, "#,##0.0")
        at = row["Lần theo dõi gần nhất"]
        self.assertIsInstance(at.value, datetime.datetime)
        self.assertEqual(at.number_format, "dd/mm/yyyy hh:mm")
        self.assertEqual(at.value.date(), vn_now().date())
        self.assertEqual(row["Mã ca bệnh"].data_type, "n")
        # Not the JSON's default of 100: a file asks for all, up to the store's 1000.
        self.assertError(self.get("/api/v1/isolations?unit=00001&format=pdf", as_user="ytephucxa"),
                         400, field="format")
        # Names only where the JSON has them: the hamlet team sees places, no names.
        items, rows = self.same_rows("/api/v1/isolations?unit=00001-001&state=active", "todan1")
        self.assertTrue(rows)
        self.assertFalse(any("person" in i for i in items))
        self.assertTrue(all(r["Họ và tên"].value is None and r["Số CCCD/CMND"].value is None
                            for r in rows))
        self.assertError(self.get("/api/v1/isolations?unit=00001&format=xlsx"), 401)

    def test_isolations_cap_said_in_the_file(self):
        ws, head, rows = self.sheet("/api/v1/isolations?unit=00001&state=active&limit=1"
                                    "&format=xlsx", "ytephucxa")
        # One row, a blank row, and the note.
        self.assertEqual(rows[0]["Mã theo dõi"].value, self.iso)
        self.assertIsNone(rows[1]["Mã theo dõi"].value)
        note = rows[2]["Mã theo dõi"]
        self.assertIn("1 dòng", note.value)
        self.assertTrue(note.font.i)

    def test_zones(self):
        items, rows = self.same_rows("/api/v1/zones?unit=00001&active_on=2021-09-15", "phucxa",
                                     key=("id", "Mã vùng"))
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["Lý do"].value, "Ổ dịch ngõ 5")
        self.assertDate(rows[0]["Ngày bắt đầu"], datetime.date(2021, 9, 12))
        self.assertIsInstance(rows[0]["Ngày tạo"].value, datetime.datetime)

    def test_cases(self):
        items, rows = self.same_rows("/api/v1/cases?unit=00001", "ytephucxa",
                                     key=("id", "Mã ca"))
        self.assertDate(rows[0]["Ngày phát hiện"], datetime.date(2021, 9, 10))
        # A page of one: the file says there is more, and the cursor to get it.
        r = self.get("/api/v1/cases?unit=00001&limit=1&format=xlsx", as_user="ytephucxa")
        nxt = r.headers.get("x-next-cursor")
        self.assertTrue(nxt)
        ws, head, rows = self.sheet("/api/v1/cases?unit=00001&limit=1&format=xlsx", "ytephucxa")
        self.assertEqual(len(rows), 3)
        self.assertIn("cursor=" + nxt, rows[2]["Mã ca"].value)
        self.assertTrue(rows[2]["Mã ca"].font.i)
        # The whole list: no note.
        ws, head, rows = self.sheet("/api/v1/cases?unit=00001&format=xlsx", "ytephucxa")
        self.assertEqual(len(rows), 2)

    def test_inspections(self):
        items, rows = self.same_rows("/api/v1/inspections", "badinh", key=("id", "Mã cuộc kiểm tra"))
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["Đơn vị được kiểm tra"].value, "00001")
        self.assertDate(rows[0]["Kiểm tra từ ngày"], datetime.date(2021, 10, 1))
        self.assertEqual(rows[0]["Công khai"].value, "không")
        # The same scope as the list: the target's commune sees none yet.
        self.assertEqual(self.json_items("/api/v1/inspections", "trucbach"), [])
        ws, head, rows = self.sheet("/api/v1/inspections?format=xlsx", "trucbach")
        self.assertEqual(rows, [])
        self.assertError(self.get("/api/v1/inspections?format=xlsx", as_user="ytephucxa"), 403)

    def test_emulation(self):
        self.same_rows("/api/v1/emulation/movements", "badinh", key=("id", "Mã phong trào"))
        items, rows = self.same_rows("/api/v1/emulation/movements/%d/rankings" % self.movement,
                                     "badinh", key=("unit_code", "Mã đơn vị"))
        self.assertTrue(rows)
        self.assertEqual([r["Hạng"].value for r in rows], [i["rank"] for i in items])
        self.assertEqual(rows[0]["Tổng điểm"].number_format, "#,##0.0")
        self.assertEqual(rows[0]["Tổng điểm"].data_type, "n")
        self.assertError(self.get("/api/v1/emulation/movements/%d/rankings?format=xlsx"
                                  % self.movement, as_user="hcm"), 404)

    def test_directives(self):
        path = "/api/v1/directives/%d/progress?date=2021-10-20" % self.directive
        items, rows = self.same_rows(path, "hanoi", key=("unit_code", "Mã đơn vị"))
        self.assertEqual(len(rows), 2)
        self.assertDate(rows[0]["Hạn"], datetime.date(2021, 10, 30))
        self.assertEqual(rows[0]["Trạng thái"].value, items[0]["status"])
        items, rows = self.same_rows("/api/v1/units/001/inbox?date=2021-10-20", "badinh",
                                     member="tasks", key=("task_id", "Mã nhiệm vụ"))
        self.assertEqual(rows[0]["Văn bản"].value, "Chỉ thị 05-CT/TU")
        self.assertError(self.get(path + "&format=xlsx", as_user="hcm"), 404)

    def test_duty(self):
        items, rows = self.same_rows("/api/v1/units/00001/duty?week_start=" + self.week,
                                     "phucxa", member="shifts", key=("name", "Người trực"))
        self.assertDate(rows[0]["Ngày"], datetime.date.fromisoformat(self.week))
        self.assertEqual(rows[0]["Điện thoại"].value, "0987654321")
        self.assertEqual(rows[0]["Điện thoại"].data_type, "s")
        self.assertError(self.get("/api/v1/units/00001/duty?week_start=%s&format=xlsx"
                                  % self.week), 401)

    def test_levels_and_weekly(self):
        items, rows = self.same_rows("/api/v1/units/001/levels", None)
        self.assertEqual(rows[0]["Cấp độ dịch"].value, 3)
        self.assertDate(rows[0]["Tuần kết thúc"], datetime.date(2021, 10, 10))
        self.assertEqual(rows[0]["Thời điểm"].number_format, "dd/mm/yyyy hh:mm")
        items, rows = self.same_rows("/api/v1/units/00001/weekly?from=2021-09-01&to=2021-09-30",
                                     None)
        self.assertTrue(rows)
        week = [r for r in rows if r["Tuần kết thúc"].value == datetime.datetime(2021, 9, 12)][0]
        self.assertEqual(week["Ca mắc trong tuần"].value, 2)
        self.assertIsInstance(week["Dân số"].value, int)
        self.assertEqual(week["Ca cộng đồng / 100.000 dân"].number_format, "#,##0.0")
        self.same_rows("/api/v1/levels/changes?parent=001&date=2021-10-12", None)

    def test_public_files_never_cached(self):
        path = "/api/v1/units/001/levels"
        for _ in range(2):      # the second would come from the cache if it were kept
            self.sheet(path + "?format=xlsx")
        self.assertEqual(self.get(path).headers.get("content-type").split(";")[0],
                         "application/json")
        for _ in range(2):
            r = self.get(path + "?format=csv")
            self.assertEqual(r.status, 200, r.describe())
            self.assertIn("attachment", r.headers.get("content-disposition") or "")

    def test_public_decisions_carry_only_the_published(self):
        items, rows = self.same_rows("/api/v1/public/decisions", None)
        self.assertEqual(rows[0]["Số quyết định"].value, "7/QĐ-UBND")
        self.assertDate(rows[0]["Ngày quyết định"], datetime.date(2021, 10, 29))
        # The published columns only, no more than the JSON has.
        ws, head, rows = self.sheet("/api/v1/public/decisions?format=xlsx")
        self.assertEqual(head, ["Ngày quyết định", "Số quyết định", "Loại", "Hình thức",
                                "Cá nhân", "Đơn vị", "Lý do"])
        self.assertEqual(set(items[0]), {"name", "unit", "decision", "reason", "date"})


if __name__ == "__main__":
    main()
