"""
What the web's feedback pages read beyond the lifecycle (test_feedback.py):

- the officials' queue as a file: GET /api/v1/feedback?format=xlsx (and
  csv) holds the rows of the list, filtered the same way, in the caller's
  scope, without the reporter's name or phone; dates are dates;
- GET /api/v1/feedback/stats?unit=CODE: per unit directly below, and for
  the unit itself, how many requests, open, overdue, escalated, answered,
  the median days to answer and requests per 10,000 people; officials in
  scope only (another commune's officer: 404, a citizen: 403).

The server's clock cannot move: an overdue request is made by setting its
deadline in the past in the database, as the days passing would.
"""

import csv
import datetime
import io
import subprocess
import sqlite3
import sys

try:
    import openpyxl
except ImportError:
    sys.path.append("/usr/lib/python3/dist-packages")
    import openpyxl

from harness import ServerTestCase, cli, main

CONTACT = {"name": "Canary Bảng Tính", "phone": "0911222333"}


class FeedbackWebTest(ServerTestCase):
    server_args = ("--feedback-anon-limit", "0")

    def submit(self, category="shortage", place="00001", **extra):
        body = {"category": category, "description": "Phản ánh số %s" % place,
                "location_code": place}
        body.update(extra)
        r = self.post("/api/v1/feedback", body)
        self.assertStatus(r, 201)
        return r.json

    def act(self, fid, action, body=None, user="phucxa"):
        r = self.post("/api/v1/feedback/%d/%s" % (fid, action), body or {}, as_user=user)
        self.assertStatus(r, 200)
        return r.json

    def sql(self, statement):
        db = self.server.db
        if db.startswith("postgres"):
            subprocess.run(["psql", "-q", db, "-c", statement], check=True, capture_output=True)
        else:
            con = sqlite3.connect(db)
            con.execute(statement)
            con.commit()
            con.close()

    def stats(self, unit, user):
        r = self.get("/api/v1/feedback/stats?unit=" + unit, as_user=user)
        self.assertStatus(r, 200)
        return r.json

    def test_queue_as_excel_and_csv(self):
        a = self.submit(**CONTACT, address="Số 7 ngõ 3")
        b = self.submit("travel_permit")      # the district's
        c = self.submit(place="00004")         # another commune
        self.act(a["id"], "acknowledge")
        self.act(a["id"], "answer", {"answer": "Đã mang gạo đến"})
        r = self.get("/api/v1/feedback?unit=00001&format=xlsx", as_user="phucxa")
        self.assertEqual(r.status, 200, r.describe())
        self.assertEqual(r.headers["content-type"],
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        self.assertIn("phan-anh.xlsx", r.headers["content-disposition"])
        ws = openpyxl.load_workbook(io.BytesIO(r.raw)).active
        head = [x.value for x in ws[1]]
        self.assertEqual(head[:4], ["Số", "Ngày nhận", "Loại phản ánh", "Nội dung"])
        rows = {row[0].value: dict(zip(head, [x.value for x in row]))
                for row in ws.iter_rows(min_row=2)}
        # The commune's own requests only (not the district's, not 00004's).
        self.assertIn(a["id"], rows)
        self.assertNotIn(c["id"], rows)
        self.assertNotIn(b["id"], rows)
        got = rows[a["id"]]
        self.assertEqual(got["Trạng thái"], "đã trả lời")
        self.assertEqual(got["Trả lời"], "Đã mang gạo đến")
        self.assertEqual(got["Loại phản ánh"], "Thiếu lương thực, thuốc men")
        self.assertEqual(got["Địa chỉ"], "Số 7 ngõ 3")
        self.assertIsInstance(got["Hạn trả lời"], datetime.datetime)
        self.assertEqual(got["Hạn trả lời"].strftime("%Y-%m-%d"), a["deadline"])
        self.assertIsInstance(got["Ngày nhận"], datetime.datetime)
        self.assertEqual(got["Quá hạn"], 0)
        text = "\n".join(str(x.value) for row in ws.iter_rows() for x in row)
        self.assertNotIn("Canary", text)
        self.assertNotIn(CONTACT["phone"], text)
        # Filters hold: the district's officer, status new only.
        r = self.get("/api/v1/feedback?unit=001&status=new&format=csv", as_user="badinh")
        self.assertEqual(r.status, 200, r.describe())
        ids = {int(x["id"]) for x in csv.DictReader(io.StringIO(r.raw.decode("utf-8")[1:]))}
        self.assertIn(b["id"], ids)
        self.assertIn(c["id"], ids)
        self.assertNotIn(a["id"], ids)
        # Paging shows in a header; bad input is refused before any file.
        r = self.get("/api/v1/feedback?unit=001&format=xlsx&limit=1", as_user="badinh")
        self.assertEqual(r.status, 200, r.describe())
        self.assertTrue(r.headers["x-next-cursor"].isdigit())
        self.assertError(self.get("/api/v1/feedback?format=pdf", as_user="badinh"), 400,
                         field="format")
        self.assertError(self.get("/api/v1/feedback?format=xlsx&status=x", as_user="badinh"),
                         400, field="status")
        self.assertError(self.get("/api/v1/feedback?unit=00001&format=xlsx", as_user="trucbach"),
                         404)
        self.assertError(self.get("/api/v1/feedback?format=xlsx", as_user="nguoidan"), 403)
        self.assertError(self.get("/api/v1/feedback?format=xlsx"), 401)

    def test_stats_per_unit_below(self):
        before = {x["code"]: x for x in self.stats("001", "badinh")["items"]}
        own_before = self.stats("001", "badinh")["own"]
        fresh = [self.submit()["id"] for _ in range(3)]
        self.submit(place="00004")
        self.submit("travel_permit")
        # One answered, one overdue (its deadline passed), one escalated.
        self.act(fresh[0], "acknowledge")
        self.act(fresh[0], "answer", {"answer": "Xong"})
        self.sql("UPDATE feedback SET deadline = '2021-09-01', holder_deadline = '2021-09-01'"
                 " WHERE id = %d" % fresh[1])
        rc, out, err = cli("feedback", "escalate", "--db", self.server.db, "--today",
                           datetime.date.today().isoformat())
        self.assertEqual(rc, 0, err)
        s = self.stats("001", "badinh")
        self.assertEqual((s["unit"], s["name"]), ("001", "Quận Ba Đình"))
        got = {x["code"]: x for x in s["items"]}
        self.assertIn("00001", got)
        self.assertEqual(got["00001"]["name"], "Phường Phúc Xá")
        d = {k: got["00001"][k] - before["00001"][k]
             for k in ("total", "open", "overdue", "escalated", "answered")}
        self.assertEqual(d, {"total": 3, "open": 2, "overdue": 1, "escalated": 1, "answered": 1})
        self.assertEqual(got["00004"]["total"] - before["00004"]["total"], 1)
        self.assertEqual(s["own"]["total"] - own_before["total"], 1)
        self.assertEqual(s["own"]["code"], "001")
        # Answered within seconds: a median of 0 days; per 10,000 people.
        self.assertEqual(got["00001"]["median_days"], 0.0)
        pop = got["00001"]["population"]
        self.assertGreater(pop, 0)
        self.assertEqual(got["00001"]["per_10k"], round(got["00001"]["total"] * 10000 / pop, 1))
        # The median days to answer (received earlier, as if): of 2, 5, 4
        # days the middle one, 4; with 1 day more, halfway between 2 and 4.
        def answered(days):
            fid = self.submit(place="00006")["id"]
            self.act(fid, "acknowledge", user="badinh")
            self.act(fid, "answer", {"answer": "Xong"}, user="badinh")
            self.sql("UPDATE feedback SET created_at = answered_at - %d WHERE id = %d"
                     % (days * 86400000, fid))

        def six():
            return {x["code"]: x for x in self.stats("001", "badinh")["items"]}["00006"]
        for days in (2, 5, 4):
            answered(days)
        self.assertEqual((six()["answered"], six()["median_days"]), (3, 4.0))
        answered(1)
        self.assertEqual((six()["answered"], six()["median_days"]), (4, 3.0))
        # Every unit below is listed, zeros included.
        r = self.get("/api/v1/units?parent=001&limit=500", as_user="badinh")
        self.assertStatus(r, 200)
        self.assertEqual(sorted(got), sorted(u["code"] for u in r.json["items"]))
        # The commune sees its hamlets; the province its districts.
        self.assertEqual(self.stats("00001", "phucxa")["own"]["code"], "00001")
        p = {x["code"]: x for x in self.stats("01", "hanoi")["items"]}
        self.assertGreaterEqual(p["001"]["total"], 5)
        self.assertEqual(p["001"]["overdue"], sum(x["overdue"] for x in s["items"]) + s["own"]["overdue"])
        # Nothing of a request, nobody's contact.
        raw = self.get("/api/v1/feedback/stats?unit=001", as_user="badinh").raw.decode()
        self.assertNotIn("description", raw)
        self.assertNotIn("Phản ánh số", raw)

    def test_stats_scope_and_input(self):
        self.assertError(self.get("/api/v1/feedback/stats?unit=001", as_user="phucxa"), 404)
        self.assertError(self.get("/api/v1/feedback/stats?unit=00001", as_user="trucbach"), 404)
        self.assertError(self.get("/api/v1/feedback/stats?unit=99999", as_user="admin"), 404)
        self.assertError(self.get("/api/v1/feedback/stats?unit=00001", as_user="nguoidan"), 403)
        self.assertError(self.get("/api/v1/feedback/stats?unit=00001", as_user="ytephucxa"), 403)
        self.assertError(self.get("/api/v1/feedback/stats?unit=00001"), 401)
        self.assertError(self.get("/api/v1/feedback/stats", as_user="admin"), 400, field="unit")
        # The country: its provinces.
        s = self.stats("VN", "admin")
        self.assertIn("01", [x["code"] for x in s["items"]])
        self.assertEqual(s["own"]["code"], "VN")


if __name__ == "__main__":
    main()
