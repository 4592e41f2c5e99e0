"""
Citizen feedback over HTTP: a request sent by anyone is routed to
the unit its category names, with a deadline in working days from
data/feedback.json; officials in scope handle it through its lifecycle; the
reporter follows it by its tracking code and sees the answer; an overdue
request escalates to the unit above (`thichung feedback escalate --today`
moves the clock).  The reporter's contact is read only by officials in
scope, and that read is audited.  Bad input answers naming the field and
changes nothing.
"""

import datetime
import json
import os

from harness import DATA_DIR, ServerTestCase, cli, main

RULES = json.load(open(os.path.join(DATA_DIR, "feedback.json"), encoding="utf-8"))
CATS = {c["code"]: c for c in RULES["categories"]}


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


CONTACT = {"name": "Canary Phản Ánh", "phone": "0987654321"}


class FeedbackTest(ServerTestCase):
    # Many anonymous requests from one address; the limit has its own class.
    server_args = ("--feedback-anon-limit", "0")

    def submit(self, body=None, as_user=None, **kw):
        b = {"category": "shortage", "description": "Hộ tôi hết gạo từ hôm qua",
             "location_code": "00001"}
        b.update(body or {})
        return self.post("/api/v1/feedback", b, as_user=as_user, **kw)

    def count(self):
        r = self.get("/api/v1/feedback?limit=500", as_user="admin")
        self.assertStatus(r, 200)
        return len(r.json["items"])

    def audit(self, action, entity_id):
        r = self.get("/api/v1/audit?limit=200", as_user="admin")
        self.assertStatus(r, 200)
        return [a for a in r.json["items"]
                if a["action"] == action and a["entity_id"] == str(entity_id)]

    def test_categories_are_public(self):
        r = self.get("/api/v1/feedback/categories")
        self.assertStatus(r, 200)
        got = {c["code"]: c for c in r.json["items"]}
        self.assertEqual(set(got), set(CATS))
        self.assertEqual(got["travel_permit"]["level"], "district")
        self.assertEqual(got["shortage"]["days"], CATS["shortage"]["days"])
        self.assertEqual(got["shortage"]["name"]["vi"], "Thiếu lương thực, thuốc men")

    def test_anonymous_submit_routes_and_tracks(self):
        r = self.submit(dict(CONTACT, address="Số 5 ngõ 12", lat=21.0453, long=105.8466))
        self.assertStatus(r, 201)
        j = r.json
        self.assertEqual(j["unit_code"], "00001")
        self.assertEqual(j["status"], "new")
        self.assertEqual(j["deadline"],
                         deadline(vn_today(), CATS["shortage"]["days"]).isoformat())
        self.assertRegex(j["tracking_code"], r"^[A-HJ-NP-Z2-9]{12}$")
        self.assertEqual(r.headers["location"], "/api/v1/feedback/track/" + j["tracking_code"])
        # A district's category goes to the district of the place.
        r = self.submit({"category": "travel_permit"})
        self.assertStatus(r, 201)
        self.assertEqual(r.json["unit_code"], "001")
        self.assertEqual(r.json["deadline"],
                         deadline(vn_today(), CATS["travel_permit"]["days"]).isoformat())
        # Tracking: anyone with the code, typed in lower case with dashes.
        code = j["tracking_code"]
        t = self.get("/api/v1/feedback/track/%s-%s" % (code[:6].lower(), code[6:]))
        self.assertStatus(t, 200)
        self.assertEqual(t.json["id"], j["id"])
        self.assertEqual(t.json["description"], "Hộ tôi hết gạo từ hôm qua")
        self.assertEqual([h["action"] for h in t.json["history"]], ["create"])
        self.assertNotIn("reporter", t.json)
        self.assertNotIn("Canary", t.raw.decode())
        self.assertNotIn(CONTACT["phone"], t.raw.decode())
        self.assertError(self.get("/api/v1/feedback/track/AAAAAAAAAAAA"), 404, "not_found")
        self.assertError(self.get("/api/v1/feedback/track/x"), 404, "not_found")

    def test_bad_input_names_the_field_and_changes_nothing(self):
        before = self.count()
        cases = [
            ({"description": None}, "description"),
            ({"category": "no_such"}, "category"),
            ({"location_code": "99999"}, "location_code"),
            ({"location_code": "00001-001"}, "location_code"),  # a hamlet: not public
            ({"description": "x" * 4001}, "description"),
            ({"lat": 21.0}, "long"),
            ({"lat": 95.0, "long": 105.0}, "lat"),
            ({"description": 12}, "description"),
            ({"phone": "09\u202e12"}, "phone"),
            ({"phone": "09123"}, "phone"),          # too short to call back
            ({"phone": "0912 abc 678"}, "phone"),
        ]
        for body, field in cases:
            r = self.submit(body)
            self.assertError(r, 422, "unprocessable", field=field, msg=repr(body))
        r = self.post("/api/v1/feedback", None, raw=b'{"category":', headers={
            "Content-Type": "application/json"})
        self.assertError(r, 400, "invalid")
        self.assertEqual(self.count(), before)

    def test_scope_and_contact(self):
        r = self.submit(dict(CONTACT))
        self.assertStatus(r, 201)
        fid = r.json["id"]
        # The commune's officer sees it in the list, without the contact.
        r = self.get("/api/v1/feedback?unit=00001&status=new", as_user="phucxa")
        self.assertStatus(r, 200)
        self.assertIn(fid, [i["id"] for i in r.json["items"]])
        self.assertNotIn("Canary", r.raw.decode())
        # Another commune's officer: not listed, 404 on the request itself.
        r = self.get("/api/v1/feedback", as_user="trucbach")
        self.assertStatus(r, 200)
        self.assertNotIn(fid, [i["id"] for i in r.json["items"]])
        self.assertError(self.get("/api/v1/feedback/%d" % fid, as_user="trucbach"), 404)
        self.assertError(self.get("/api/v1/feedback/%d" % fid, as_user="nguoidan"), 403)
        self.assertError(self.get("/api/v1/feedback/%d" % fid, as_user="ytephucxa"), 403)
        self.assertError(self.get("/api/v1/feedback"), 401)
        self.assertEqual(self.audit("feedback.read", fid), [])
        # The officer of the commune and of the district read the contact, audited.
        for user in ("phucxa", "badinh"):
            r = self.get("/api/v1/feedback/%d" % fid, as_user=user)
            self.assertStatus(r, 200)
            self.assertEqual(r.json["reporter"], CONTACT)
        reads = self.audit("feedback.read", fid)
        self.assertEqual(sorted(a["actor"] for a in reads), ["badinh", "phucxa"])
        self.assertEqual({a["unit_code"] for a in reads}, {"00001"})

    def test_lifecycle(self):
        fid = self.submit().json["id"]
        code = self.submit().json  # another, rejected below
        path = "/api/v1/feedback/%d/" % fid
        r = self.post(path + "answer", {"answer": "Đã chuyển gạo"}, as_user="phucxa")
        self.assertError(r, 409, "conflict")
        self.assertError(self.post(path + "acknowledge", {}, as_user="trucbach"), 404)
        r = self.post(path + "acknowledge", {}, as_user="phucxa")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["status"], "acknowledged")
        r = self.post(path + "assign", {"unit_code": "00004"}, as_user="phucxa")
        self.assertError(r, 422, "unprocessable", field="unit_code")
        r = self.post(path + "assign", {"unit_code": "00001-001"}, as_user="phucxa")
        self.assertStatus(r, 200)
        self.assertEqual((r.json["status"], r.json["assigned_code"]), ("in_progress", "00001-001"))
        r = self.post(path + "answer", {}, as_user="phucxa")
        self.assertError(r, 422, "unprocessable", field="answer")
        r = self.post(path + "answer", {"answer": "Tổ dân phố đã mang 10 kg gạo đến"},
                      as_user="phucxa")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["status"], "answered")
        self.assertTime(r.json["answered_at"])
        r = self.post(path + "close", None, as_user="phucxa")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["status"], "closed")
        self.assertError(self.post(path + "reject", {"reason": "x"}, as_user="phucxa"), 409)
        # The reporter sees the answer and every step.
        t = self.get("/api/v1/feedback/track/" + self.submit_code_of(fid))
        self.assertEqual(t.json["answer"], "Tổ dân phố đã mang 10 kg gạo đến")
        self.assertEqual([h["action"] for h in t.json["history"]],
                         ["create", "acknowledge", "assign", "answer", "close"])
        self.assertEqual(len(self.audit("feedback.answer", fid)), 1)
        # Rejection needs a reason and is shown with it.
        rp = "/api/v1/feedback/%d/reject" % code["id"]
        self.assertError(self.post(rp, {}, as_user="phucxa"), 422, field="reason")
        r = self.post(rp, {"reason": "Trùng phản ánh số %d" % fid}, as_user="phucxa")
        self.assertStatus(r, 200)
        t = self.get("/api/v1/feedback/track/" + code["tracking_code"])
        self.assertEqual((t.json["status"], t.json["reject_reason"]),
                         ("rejected", "Trùng phản ánh số %d" % fid))

    def test_reporter_reopens_within_seven_days(self):
        r = self.submit()
        fid, code = r.json["id"], r.json["tracking_code"]
        reopen = "/api/v1/feedback/track/%s/reopen" % code
        # not answered yet: nothing to reopen
        self.assertError(self.post(reopen, {"reason": "Chưa ai đến"}), 409, "conflict")
        path = "/api/v1/feedback/%d/" % fid
        self.assertStatus(self.post(path + "acknowledge", {}, as_user="phucxa"), 200)
        self.assertStatus(self.post(path + "answer", {"answer": "Đã mang gạo đến"},
                                    as_user="phucxa"), 200)
        self.assertError(self.post(reopen, {}), 422, field="reason")
        self.assertError(self.post(reopen, {"reason": 5}), 422, field="reason")
        self.assertError(self.post("/api/v1/feedback/track/AAAAAAAAAAAA/reopen",
                                   {"reason": "x"}), 404)
        # the code as typed over the phone: lower case, dashes
        typed = (code[:4] + "-" + code[4:8] + "-" + code[8:]).lower()
        r = self.post("/api/v1/feedback/track/%s/reopen" % typed,
                      {"reason": "Gạo chưa đến nhà tôi"})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["status"], "in_progress")
        self.assertNotIn("reporter", r.json)
        self.assertEqual(r.json["history"][-1]["action"], "reopen")
        self.assertEqual(r.json["history"][-1]["note"], "Gạo chưa đến nhà tôi")
        self.assertEqual(len(self.audit("feedback.reopen", fid)), 1)
        # back in the commune's queue, to be answered again
        r = self.post(path + "answer", {"answer": "Đã mang gạo đến tận nhà"}, as_user="phucxa")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["status"], "answered")

    def test_reassign_with_a_reason(self):
        r = self.submit()
        fid, code = r.json["id"], r.json["tracking_code"]
        deadline = r.json["deadline"]
        path = "/api/v1/feedback/%d/" % fid
        self.assertStatus(self.post(path + "acknowledge", {}, as_user="phucxa"), 200)
        self.assertError(self.post(path + "reassign", {"unit_code": "00004"}, as_user="phucxa"),
                         422, field="reason")
        self.assertError(self.post(path + "reassign", {"reason": "x"}, as_user="phucxa"),
                         422, field="unit_code")
        for unit in ("00001", "00001-001", "99999"):   # itself, a hamlet, unknown
            self.assertError(self.post(path + "reassign", {"unit_code": unit, "reason": "x"},
                                       as_user="phucxa"), 422, field="unit_code")
        self.assertError(self.post(path + "reassign", {"unit_code": "00004", "reason": "x"},
                                   as_user="trucbach"), 404)
        self.assertError(self.post(path + "reassign", {"unit_code": "00004", "reason": "x"},
                                   as_user="nguoidan"), 403)
        r = self.post(path + "reassign", {"unit_code": "00004",
                                          "reason": "Địa chỉ thuộc phường Trúc Bạch"},
                      as_user="phucxa")
        self.assertStatus(r, 200)
        self.assertEqual((r.json["status"], r.json["unit_code"]), ("new", "00004"))
        # the sender no longer holds it; the receiver does, with the same deadline
        self.assertError(self.get("/api/v1/feedback/%d" % fid, as_user="phucxa"), 404)
        got = self.get("/api/v1/feedback/%d" % fid, as_user="trucbach")
        self.assertStatus(got, 200)
        self.assertEqual((got.json["unit_code"], got.json["holder_code"], got.json["status"],
                          got.json["deadline"]), ("00004", "00004", "new", deadline))
        t = self.get("/api/v1/feedback/track/" + code)
        self.assertEqual(t.json["history"][-1]["action"], "reassign")
        self.assertEqual(t.json["history"][-1]["note"], "Địa chỉ thuộc phường Trúc Bạch")
        audit = self.audit("feedback.reassign", fid)
        self.assertEqual(len(audit), 1)
        # once answered it stays where it was answered
        self.assertStatus(self.post(path + "acknowledge", {}, as_user="trucbach"), 200)
        self.assertStatus(self.post(path + "answer", {"answer": "Đã xử lý"}, as_user="trucbach"),
                          200)
        self.assertError(self.post(path + "reassign", {"unit_code": "00001", "reason": "x"},
                                   as_user="trucbach"), 409, "conflict")

    codes = {}

    def submit_code_of(self, fid):
        return self.codes[fid]

    def setUp(self):
        # Keep the tracking code of every request this test sends.
        orig = self.submit

        def submit(body=None, as_user=None, **kw):
            r = orig(body, as_user, **kw)
            if r.status == 201:
                self.codes[r.json["id"]] = r.json["tracking_code"]
            return r
        self.submit = submit

    def test_citizen_sees_own_requests(self):
        r = self.submit({"location_code": "00001-001-0001"}, as_user="nguoidan")
        self.assertStatus(r, 201)
        self.assertEqual(r.json["unit_code"], "00001")
        fid = r.json["id"]
        r = self.get("/api/v1/feedback/mine", as_user="nguoidan")
        self.assertStatus(r, 200)
        self.assertIn(fid, [i["id"] for i in r.json["items"]])
        r = self.get("/api/v1/feedback/mine", as_user="doanhnghiep")
        self.assertStatus(r, 200)
        self.assertNotIn(fid, [i["id"] for i in r.json["items"]])
        self.assertError(self.get("/api/v1/feedback", as_user="nguoidan"), 403)

    def test_escalation(self):
        r = self.submit({"category": "shortage"})
        fid, due = r.json["id"], datetime.date.fromisoformat(r.json["deadline"])
        path = "/api/v1/feedback/%d" % fid
        # On the deadline day nothing moves.
        rc, out, err = cli("feedback", "escalate", "--db", self.server.db, "--today",
                           due.isoformat())
        self.assertEqual(rc, 0, err)
        self.assertEqual(self.get(path, as_user="admin").json["holder_code"], "00001")
        # The day after: to the district, with the category's days again.
        day = due + datetime.timedelta(days=1)
        rc, out, err = cli("feedback", "escalate", "--db", self.server.db, "--today",
                           day.isoformat())
        self.assertEqual(rc, 0, err)
        j = self.get(path, as_user="admin").json
        self.assertEqual((j["holder_code"], j["escalations"]), ("001", 1))
        self.assertEqual(j["holder_deadline"], deadline(day, CATS["shortage"]["days"]).isoformat())
        self.assertEqual(j["history"][-1]["action"], "escalate")
        self.assertEqual(j["history"][-1]["unit_code"], "001")
        r = self.get("/api/v1/feedback?escalated=1&unit=001", as_user="badinh")
        self.assertIn(fid, [i["id"] for i in r.json["items"]])
        # Run again the same day: no second step.
        cli("feedback", "escalate", "--db", self.server.db, "--today", day.isoformat())
        self.assertEqual(self.get(path, as_user="admin").json["escalations"], 1)
        # Much later: the province, and no further.
        for later in (60, 120):
            d = (day + datetime.timedelta(days=later)).isoformat()
            rc, out, err = cli("feedback", "escalate", "--db", self.server.db, "--today", d)
            self.assertEqual(rc, 0, err)
        j = self.get(path, as_user="admin").json
        self.assertEqual((j["holder_code"], j["escalations"]), ("01", 2))
        self.assertEqual([a["after"]["holder_code"] for a in
                          sorted(self.audit("feedback.escalate", fid), key=lambda a: a["id"])],
                         ["001", "01"])
        # The tracking page shows it too; an answered request never escalates.
        t = self.get("/api/v1/feedback/track/" + self.codes[fid])
        self.assertEqual(t.json["escalations"], 2)
        rc, out, err = cli("feedback", "escalate", "--db", self.server.db, "--today", "bad")
        self.assertEqual(rc, 2)


class AnonymousLimitTest(ServerTestCase):
    """Anonymous submissions per client address are limited (in memory, a
    fixed table); signed-in callers are not."""

    server_args = ("--feedback-anon-limit", "3")

    def test_limit_per_address(self):
        body = {"category": "shortage", "description": "Hết gạo", "location_code": "00001"}
        before = len(self.get("/api/v1/feedback?limit=500", as_user="admin").json["items"])
        for _ in range(3):
            self.assertStatus(self.post("/api/v1/feedback", body), 201)
        r = self.post("/api/v1/feedback", body)
        self.assertError(r, 429, "too_many_requests")
        self.assertGreaterEqual(int(r.headers["retry-after"]), 1)
        self.assertLessEqual(int(r.headers["retry-after"]), 600)
        self.assertIn("đăng nhập", r.error_message)
        # refused, it changed nothing; a signed-in citizen still sends
        self.assertEqual(len(self.get("/api/v1/feedback?limit=500", as_user="admin")
                             .json["items"]), before + 3)
        r = self.post("/api/v1/feedback", dict(body, location_code="00001-001-0001"),
                      as_user="nguoidan")
        self.assertStatus(r, 201)


if __name__ == "__main__":
    main()
