"""
The monthly compilation of feedback (Bến Tre Plan 23): for a unit and a
month, GET /api/v1/feedback/compilation groups the requests received in
its subtree by category; an official forwards a category's requests to a
department (POST .../compilation/forwards, once per request and month,
with a date for the answer in working days), records the department's
answer (POST /api/v1/feedback/forwards/{id}/answer, once); the report as
JSON, CSV and a printable HTML page (Vietnamese, dd/mm/yyyy) says what was
asked, who answered, when, and what is overdue (?date= moves the day it is
judged on).  Officials in scope only; never the reporters' contact.
"""

import csv
import datetime
import io
import json
import os

from harness import DATA_DIR, ServerTestCase, main

RULES = json.load(open(os.path.join(DATA_DIR, "feedback.json"), encoding="utf-8"))


def holidays():
    out = set()
    for h in RULES["holidays"]:
        d = datetime.date.fromisoformat(h["from"])
        while d <= datetime.date.fromisoformat(h["to"]):
            out.add(d)
            d += datetime.timedelta(days=1)
    return out


def deadline(from_day, days):
    off, d = holidays(), from_day
    while days:
        d += datetime.timedelta(days=1)
        if d.weekday() < 5 and d not in off:
            days -= 1
    return d


def vn_today():
    return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=7)).date()


CANARY = "Canary Tổng Hợp"


class FeedbackCompileTest(ServerTestCase):
    server_args = ("--feedback-anon-limit", "0")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.month = vn_today().strftime("%Y-%m")
        cls.ids = {}
        for key, cat, place in (("a", "shortage", "00001"), ("b", "shortage", "00001"),
                                ("c", "other", "00001"), ("d", "other", "00004"),
                                ("hcm", "other", "26734")):
            r = cls.server.request("POST", "/api/v1/feedback", body={
                "category": cat, "location_code": place, "description": "Hỏi %s: =1+1" % key,
                "name": CANARY, "phone": "0911222333"})
            assert r.status == 201, r.describe()
            cls.ids[key] = r.json["id"]

    def report(self, user="badinh", unit="001", fmt=None, date=None):
        q = "/api/v1/feedback/compilation?unit=%s&month=%s" % (unit, self.month)
        q += ("&format=" + fmt) if fmt else ""
        q += ("&date=" + date) if date else ""
        return self.get(q, as_user=user)

    def groups(self, **kw):
        r = self.report(**kw)
        self.assertStatus(r, 200)
        self.assertNotIn(CANARY, r.raw.decode())
        self.assertNotIn("0911222333", r.raw.decode())
        return {g["category"]: g for g in r.json["groups"]}

    def forward(self, body, user="badinh"):
        b = {"unit_code": "001", "month": self.month}
        b.update(body)
        return self.post("/api/v1/feedback/compilation/forwards", b, as_user=user)

    def test_grouped_forwarded_answered(self):
        g = self.groups()
        ids = lambda grp: [i["id"] for i in grp["items"]]
        self.assertIn(self.ids["a"], ids(g["shortage"]))
        self.assertIn(self.ids["b"], ids(g["shortage"]))
        self.assertIn(self.ids["d"], ids(g["other"]))
        self.assertNotIn(self.ids["hcm"], ids(g["other"]))
        self.assertEqual(g["shortage"]["category_name"], "Thiếu lương thực, thuốc men")
        # Forward the shortages to a department, the answer due in 5 working days.
        r = self.forward({"category": "shortage", "department": "Sở Công Thương", "days": 5})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["forwarded"], len(g["shortage"]["items"]))
        due = deadline(vn_today(), 5)
        self.assertEqual(r.json["due_on"], due.isoformat())
        self.assertError(self.forward({"category": "shortage", "department": "Sở Công Thương"}),
                         409, field="category")
        g = self.groups()
        self.assertEqual(g["shortage"]["forwarded"], g["shortage"]["received"])
        self.assertEqual(g["other"]["forwarded"], 0)
        fw = next(i["forward"] for i in g["shortage"]["items"] if i["id"] == self.ids["a"])
        self.assertEqual((fw["department"], fw["due_on"], fw["answer"], fw["overdue"]),
                         ("Sở Công Thương", due.isoformat(), None, False))
        # Judged on the day after the due date: overdue.
        late = (due + datetime.timedelta(days=1)).isoformat()
        self.assertEqual(self.groups(date=late)["shortage"]["overdue"], g["shortage"]["received"])
        # The department answers one: recorded once, then no longer overdue.
        path = "/api/v1/feedback/forwards/%d/answer" % fw["id"]
        self.assertError(self.post(path, {"answer": "Đã cấp gạo"}, as_user="badinh"), 422,
                         field="answered_by")
        self.assertError(self.post(path, {"answer": "x", "answered_by": "y"}, as_user="trucbach"),
                         404)
        r = self.post(path, {"answer": "Đã cấp 200 kg gạo", "answered_by": "Sở Công Thương, bà Lan"},
                      as_user="badinh")
        self.assertStatus(r, 200)
        self.assertError(self.post(path, {"answer": "lại", "answered_by": "z"}, as_user="badinh"),
                         409)
        g = self.groups(date=late)
        a = next(i["forward"] for i in g["shortage"]["items"] if i["id"] == self.ids["a"])
        self.assertEqual((a["answer"], a["answered_by"], a["overdue"]),
                         ("Đã cấp 200 kg gạo", "Sở Công Thương, bà Lan", False))
        self.assertTrue(a["answered_at"])
        self.assertEqual(g["shortage"]["overdue"], g["shortage"]["received"] - 1)
        self.assertEqual(g["shortage"]["answered"], 1)
        # CSV: Vietnamese columns, dd/mm/yyyy.
        r = self.report(fmt="csv", date=late)
        self.assertEqual(r.status, 200, r.describe())
        self.assertTrue(r.headers["content-type"].startswith("text/csv"))
        rows = list(csv.reader(io.StringIO(r.raw.decode("utf-8-sig"))))
        self.assertEqual(rows[0][:4], ["Loại phản ánh", "Số phản ánh", "Ngày nhận", "Nội dung"])
        row = next(x for x in rows[1:] if x[1] == str(self.ids["a"]))
        self.assertEqual(row[2], vn_today().strftime("%d/%m/%Y"))
        self.assertEqual(row[5], "Sở Công Thương")
        self.assertEqual(row[7], due.strftime("%d/%m/%Y"))
        self.assertEqual((row[8], row[9], row[11]), ("Đã cấp 200 kg gạo",
                                                     "Sở Công Thương, bà Lan", "Không"))
        other = next(x for x in rows[1:] if x[1] == str(self.ids["b"]))
        self.assertEqual(other[11], "Có")
        self.assertNotIn(CANARY, r.raw.decode("utf-8-sig"))
        # HTML: a printable page in Vietnamese.
        r = self.report(fmt="html", date=late)
        self.assertEqual(r.status, 200, r.describe())
        self.assertTrue(r.headers["content-type"].startswith("text/html"))
        page = r.raw.decode()
        self.assertIn('<html lang="vi">', page)
        self.assertIn("Tổng hợp phản ánh, kiến nghị tháng %s/%s" % (self.month[5:], self.month[:4]),
                      page)
        self.assertIn("Quận Ba Đình", page)
        self.assertIn(due.strftime("%d/%m/%Y"), page)
        self.assertIn("QUÁ HẠN", page)
        self.assertIn("Chưa chuyển", page)
        self.assertNotIn(due.isoformat(), page)
        self.assertNotIn(CANARY, page)

    def test_scope_and_bad_input(self):
        # The commune sees its own requests only; another province's unit: 404.
        g = self.groups(user="phucxa", unit="00001")
        self.assertNotIn(self.ids["d"], [i["id"] for i in g.get("other", {"items": []})["items"]])
        self.assertError(self.report(user="trucbach", unit="00001"), 404)
        self.assertError(self.report(user="hcm", unit="001"), 404)
        self.assertError(self.report(user="nguoidan", unit="001"), 403)
        self.assertError(self.report(user=None, unit="001"), 401)
        self.assertError(self.get("/api/v1/feedback/compilation?unit=001&month=2021-13",
                                  as_user="badinh"), 400, field="month")
        self.assertError(self.get("/api/v1/feedback/compilation?month=2021-10",
                                  as_user="badinh"), 400, field="unit")
        self.assertError(self.report(fmt="pdf"), 400, field="format")
        self.assertError(self.report(date="31/12/2021"), 400, field="date")
        for body, field in (({"category": "other"}, "department"),
                            ({"category": "other", "department": "Sở Y tế", "days": 0}, "days"),
                            ({"category": "other", "department": "Sở Y tế", "month": "10-2021"},
                             "month"),
                            ({"category": "no_such", "department": "Sở Y tế"}, "category")):
            status = 409 if field == "category" else 422
            self.assertError(self.forward(body), status, field=field, msg=repr(body))
        self.assertError(self.forward({"category": "other", "department": "Sở Y tế"},
                                      user="trucbach"), 404)
        self.assertEqual(self.groups()["other"]["forwarded"], 0)


if __name__ == "__main__":
    main()
