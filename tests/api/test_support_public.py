"""
What the public sends to support, over HTTP: a citizen applies for
himself through the public form (no account, limited per address), gets a
tracking code that shows the status only, and the application waits in the
commune's queue as "sent by the citizen, not verified" until the commune
verifies it; anyone objects to a posted line during the posting, the
objection reaches the commune's queue and is never shown publicly, and the
form is closed after the posting; objections and complaints by officials
change nothing outside their state; programme deadlines; steps past their
limit shown overdue; lists paged with a truncation flag; history capped.
Every public answer is checked for ID numbers, addresses and phones.
"""

import datetime
import json
import re

from harness import ServerTestCase, main

ID_NUMBER = "079301009999"
ADDRESS = "Canary số 9 hẻm Tự Nộp"
PHONE = "0912345678"
SELF = {"programme": "canary-open", "unit_code": "00001-001-0001",
        "full_name": "Canary Người Tự Nộp", "id_number": ID_NUMBER, "address": ADDRESS,
        "days": 10, "order_ref": "QĐ 12", "age": 70}
SECRETS = (ID_NUMBER, ADDRESS, PHONE, "Canary Người Tự Nộp", "Canary Người Phản Đối",
           "001090000777", "Canary Niêm Yết Công Khai số nhà")
# Shapes of personal data in any public answer: a 9- or 12-digit ID number,
# a phone number.
ID_RE = re.compile(r"(?<!\d)(\d{12}|\d{9})(?!\d)")
PHONE_RE = re.compile(r"(?<!\d)0\d{9}(?!\d)")


def vn_today():
    return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=7)).date()


class SupportLimitTest(ServerTestCase):
    server_args = ("--feedback-anon-limit", "3")

    def test_citizen_forms_are_limited_per_address(self):
        statuses = []
        for i in range(6):
            body = dict(SELF, full_name="Canary Giới Hạn %d" % i, id_number="07930100%04d" % i)
            statuses.append(self.request("POST", "/api/v1/support/self-applications", body).status)
        self.assertEqual(statuses[:3], [201] * 3)
        self.assertEqual(statuses[3:], [429] * 3)
        r = self.request("POST", "/api/v1/support/postings/1/objections", {"name": "A", "reason": "B"})
        self.assertError(r, 429)
        # Signed in, no limit.
        self.assertStatus(self.post("/api/v1/support/self-applications",
                                    dict(SELF, full_name="Canary Đăng Nhập", id_number="079301008888"),
                                    as_user="todan1"), 201)


class SupportPublicTest(ServerTestCase):
    # Many anonymous requests from one address: the limit is SupportLimitTest's.
    server_args = ("--feedback-anon-limit", "0")

    public_bodies = []

    def public(self, method, path, body=None):
        r = self.request(method, path, body)
        self.public_bodies.append((path, r.raw.decode("utf-8", "replace")))
        return r

    def audit(self, action, entity_id=None):
        r = self.get("/api/v1/audit?limit=500", as_user="admin")
        self.assertStatus(r, 200)
        return [a for a in r.json["items"] if a["action"] == action and
                (entity_id is None or a["entity_id"] == str(entity_id))]

    def find(self, name, as_user="phucxa", query="unverified=1"):
        r = self.get("/api/v1/support/applications?limit=2000&" + query, as_user=as_user)
        self.assertStatus(r, 200)
        return [x for x in r.json["items"] if x["full_name"] == name]

    # ---- a citizen's own application ----
    def test_citizen_applies_tracks_and_commune_verifies(self):
        r = self.public("POST", "/api/v1/support/self-applications", SELF)
        self.assertStatus(r, 201)
        code = r.json["tracking_code"]
        self.assertEqual(r.json["status"], "pending")
        self.assertFalse(r.json["verified"])
        self.assertEqual(r.json["received_on"], vn_today().isoformat())
        self.assertTrue(r.headers["location"].endswith(code))
        # In the commune's queue, marked as the citizen's and not verified.
        mine = self.find(SELF["full_name"])
        self.assertEqual(len(mine), 1)
        app = mine[0]
        self.assertEqual(app["source"], "citizen")
        self.assertFalse(app["verified"])
        self.assertEqual(app["id_number"], ID_NUMBER)
        self.assertEqual(app["amount"], 10 * 80000 + 1000000)
        self.assertEqual(self.find(SELF["full_name"], as_user="trucbach"), [])
        self.assertEqual(len(self.audit("support.create", app["id"])), 1)
        # The tracking page: the status only.
        r = self.public("GET", "/api/v1/support/track/" + code.lower())
        self.assertStatus(r, 200)
        self.assertEqual(r.json["status"], "pending")
        self.assertFalse(r.json["verified"])
        self.assertEqual(set(r.json), {"programme", "programme_name", "status", "verified", "step",
                                       "step_deadline", "received_on", "overdue", "amount"})
        self.assertError(self.public("GET", "/api/v1/support/track/AAAA-BBBB"), 404)
        # Not approved before the commune verifies it.
        path = "/api/v1/support/applications/%d" % app["id"]
        self.assertError(self.post(path + "/approve", {}, as_user="phucxa"), 409,
                         mentions=("xác minh", "verif"))
        self.assertError(self.post(path + "/verify", {}, as_user="trucbach"), 404)
        self.assertError(self.post(path + "/verify", {}, as_user="todan1"), 403)
        r = self.post(path + "/verify", {"note": "Đã đối chiếu CCCD"}, as_user="phucxa")
        self.assertStatus(r, 200)
        self.assertError(self.post(path + "/verify", {}, as_user="phucxa"), 409)
        self.assertEqual(len(self.audit("support.verify", app["id"])), 1)
        self.assertEqual(self.find(SELF["full_name"]), [])
        r = self.public("GET", "/api/v1/support/track/" + code)
        self.assertTrue(r.json["verified"])
        self.assertStatus(self.post(path + "/approve", {}, as_user="phucxa"), 200)
        r = self.public("GET", "/api/v1/support/track/" + code)
        self.assertEqual(r.json["step"], 1)

    def test_citizen_refusals_name_the_field_and_store_nothing(self):
        before = len(self.find(SELF["full_name"] + " Hai"))
        for over, field in (({"id_number": "12ab"}, "id_number"), ({"id_number": None}, "id_number"),
                            ({"full_name": ""}, "full_name"),
                            ({"unit_code": "99999-999"}, "unit_code"),
                            ({"programme": "nq68-nothing"}, "programme"),
                            ({"order_ref": None}, "facts"),
                            # Every shipped programme has closed: the date as people write it.
                            ({"programme": "nq68-f0f1"}, "received_on")):
            body = dict(SELF, full_name=SELF["full_name"] + " Hai")
            body.update(over)
            body = {k: v for k, v in body.items() if v is not None}
            r = self.public("POST", "/api/v1/support/self-applications", body)
            err = self.assertError(r, 422, field=field)
            if field == "received_on":
                self.assertIn("31/01/2022", err["message"])
        self.assertEqual(len(self.find(SELF["full_name"] + " Hai")), before)

    # ---- objections from the public ----
    def posted(self, name, idn):
        r = self.post("/api/v1/support/applications",
                      {"programme": "nq68-household", "unit_code": "00001-001-0001",
                       "full_name": name, "id_number": idn,
                       "address": "Canary Niêm Yết Công Khai số nhà", "registered": True,
                       "days": 20, "received_on": "2021-10-01"}, as_user="phucxa")
        self.assertStatus(r, 201)
        sid = r.json["id"]
        self.assertStatus(self.post("/api/v1/support/applications/%d/approve" % sid, {},
                                    as_user="phucxa"), 200)
        return sid

    def test_public_objection_during_the_posting(self):
        sid = self.posted("Hộ Canary Bị Phản Đối", "001090000777")
        url = "/api/v1/support/postings?unit=00001&programme=nq68-household"
        r = self.public("GET", url)
        lines = {i["full_name"]: i["line"] for i in r.json["items"]}
        self.assertEqual(lines["Hộ Canary Bị Phản Đối"], sid)
        self.assertIn("truncated", r.json)
        path = "/api/v1/support/postings/%d/objections" % sid
        self.assertError(self.public("POST", path, {"name": "", "reason": "x"}), 422, field="name")
        self.assertError(self.public("POST", path, {"name": "Canary Người Phản Đối"}), 422,
                         field="reason")
        self.assertError(self.public("POST", path, {"name": "A", "reason": "x" * 2001}), 422,
                         field="reason")
        self.assertError(self.public("POST", "/api/v1/support/postings/99999999/objections",
                                     {"name": "A", "reason": "B"}), 404)
        r = self.public("POST", path, {"name": "Canary Người Phản Đối", "contact": PHONE,
                                       "reason": "Hộ này vẫn mở cửa bán hàng"})
        self.assertStatus(r, 201)
        self.assertEqual(set(r.json), {"received", "on"})
        # The commune's queue has it, with who sent it; the public never.
        q = self.get("/api/v1/support/objections?unit=00001", as_user="phucxa")
        self.assertStatus(q, 200)
        mine = [o for o in q.json["items"] if o["application_id"] == sid]
        self.assertEqual([(o["name"], o["contact"]) for o in mine], [("Canary Người Phản Đối", PHONE)])
        self.assertFalse(q.json["truncated"])
        self.assertEqual(self.get("/api/v1/support/objections?unit=00004", as_user="trucbach")
                         .json["items"], [])
        self.assertStatus(self.get("/api/v1/support/objections?unit=00001", as_user="trucbach"), 404)
        self.assertStatus(self.get("/api/v1/support/objections?unit=00001", as_user="todan1"), 403)
        self.assertStatus(self.get("/api/v1/support/objections?unit=00001"), 401)
        self.assertGreaterEqual(len(self.audit("support.objections")), 1)
        self.assertEqual(len(self.audit("support.public_objection", sid)), 1)
        r = self.get("/api/v1/support/applications/%d" % sid, as_user="phucxa")
        self.assertIn("objection", [e["action"] for e in r.json["history"]])
        # Refused by the district: the line is off the posting, the form closed.
        r = self.post("/api/v1/support/applications/%d/reject" % sid, {"reason": "Còn kinh doanh"},
                      as_user="badinh")
        self.assertStatus(r, 200)
        err = self.assertError(self.public("POST", path, {"name": "B", "reason": "C"}), 409,
                               field="line")
        self.assertRegex(err["message"], r"\d\d/\d\d/\d{4}")

    def test_officials_notes_check_the_state(self):
        r = self.post("/api/v1/support/applications",
                      {"programme": "nq68-household", "unit_code": "00001-001-0001",
                       "full_name": "Hộ Canary Trạng Thái", "registered": True, "days": 20,
                       "received_on": "2021-10-01"}, as_user="phucxa")
        sid = r.json["id"]
        notes = "/api/v1/support/applications/%d/notes" % sid
        # Not posted yet: no objection; not decided: no complaint.
        self.assertError(self.post(notes, {"kind": "objection", "text": "a"}, as_user="phucxa"),
                         409, field="kind")
        self.assertError(self.post(notes, {"kind": "complaint", "text": "a"}, as_user="phucxa"),
                         409, field="kind")
        self.assertError(self.post(notes, {"kind": "complaint", "text": "a" * 2001},
                                   as_user="phucxa"), 422, field="text")
        self.assertStatus(self.post("/api/v1/support/applications/%d/reject" % sid,
                                    {"reason": "Không đủ điều kiện"}, as_user="phucxa"), 200)
        self.assertStatus(self.post(notes, {"kind": "complaint", "text": "Tôi có đủ điều kiện"},
                                    as_user="phucxa"), 201)
        # The history is capped, and the cap is said, not silently applied.
        r = self.get("/api/v1/support/applications/%d" % sid, as_user="phucxa")
        have = len(r.json["history"])
        for i in range(200 - have):
            self.assertStatus(self.post(notes, {"kind": "complaint", "text": "lần %d" % i},
                                        as_user="phucxa"), 201)
        err = self.assertError(self.post(notes, {"kind": "complaint", "text": "thêm"},
                                         as_user="phucxa"), 409)
        self.assertIn("200", err["message"])
        r = self.get("/api/v1/support/applications/%d" % sid, as_user="phucxa")
        self.assertEqual(len(r.json["history"]), 200)

    # ---- deadlines, overdue steps, paging ----
    def test_overdue_steps_and_paging(self):
        ids = []
        for i in range(3):
            r = self.post("/api/v1/support/applications",
                          {"programme": "nq68-f0f1", "unit_code": "00001-001",
                           "full_name": "Canary Trang %d" % i, "days": 3, "order_ref": "QĐ 4",
                           "age": 30, "received_on": "2021-10-01"}, as_user="phucxa")
            self.assertStatus(r, 201)
            self.assertTrue(r.json["overdue"])        # its 3 working days passed long ago
            ids.append(r.json["id"])
        r = self.post("/api/v1/support/applications",
                      dict(SELF, programme="canary-open", unit_code="00001-001",
                           full_name="Canary Đúng Hạn", received_on=vn_today().isoformat()),
                      as_user="phucxa")
        self.assertStatus(r, 201)
        self.assertFalse(r.json["overdue"])
        seen, cursor, pages = [], None, 0
        while True:
            q = "/api/v1/support/applications?programme=nq68-f0f1&limit=2"
            r = self.get(q + ("&cursor=%d" % cursor if cursor else ""), as_user="phucxa")
            self.assertStatus(r, 200)
            pages += 1
            seen += [x["id"] for x in r.json["items"]]
            self.assertEqual(r.json["truncated"], r.json["next"] is not None)
            if not r.json["next"]:
                break
            cursor = r.json["next"]
        self.assertGreaterEqual(pages, 2)
        self.assertEqual(seen, sorted(seen))
        self.assertTrue(set(ids) <= set(seen))
        self.assertError(self.get("/api/v1/support/applications?limit=0", as_user="phucxa"), 400,
                         mentions="limit")
        r = self.get("/api/v1/support/left-behind?unit=00001", as_user="phucxa")
        self.assertIn("truncated", r.json)

    # ---- no one left behind: household businesses stopped by an order ----
    def test_household_business_stopped_is_not_left_behind(self):
        body = {"tax_code": "0109990001", "name": "Hộ kinh doanh Canary Phở", "sector": "Ăn uống",
                "unit_code": "00001", "address": "Số 3 phố Phúc Xá", "workers": 2}
        self.assertError(self.post("/api/v1/businesses", dict(body, stop_order="QĐ 1",
                                                              stopped_from="2021-07-24"),
                                   as_user="phucxa"), 422, field="household")
        self.assertError(self.post("/api/v1/businesses", dict(body, household=True,
                                                              stop_order="QĐ 1"),
                                   as_user="phucxa"), 422, field="stopped_from")
        self.assertError(self.post("/api/v1/businesses", dict(
            body, household=True, stop_order="QĐ 1", stopped_from="2021-07-24",
            stopped_until="2021-07-01"), as_user="phucxa"), 422, field="stopped_until")
        r = self.post("/api/v1/businesses", dict(body, household=True, stop_order="QĐ 15/UBND",
                                                 stopped_from="2021-07-24"), as_user="phucxa")
        self.assertStatus(r, 201)
        self.assertEqual(r.json["stop"], {"order": "QĐ 15/UBND", "from": "2021-07-24",
                                          "until": None})
        url = "/api/v1/support/left-behind?unit=00001"
        got = lambda: {(i["kind"], i["reason"], i["name"])
                       for i in self.get(url, as_user="phucxa").json["items"]}
        self.assertIn(("business", "stopped", body["name"]), got())
        # Paid its household support, it leaves the report.
        r = self.post("/api/v1/support/applications",
                      {"programme": "nq68-household", "unit_code": "00001-001-0001",
                       "full_name": body["name"], "registered": True, "days": 30,
                       "received_on": "2021-10-01"}, as_user="phucxa")
        sid = r.json["id"]
        for who in ("phucxa", "badinh", "badinh"):
            self.assertStatus(self.post("/api/v1/support/applications/%d/approve" % sid, {},
                                        as_user=who), 200)
        self.assertIn(("business", "stopped", body["name"]), got())
        self.assertStatus(self.post("/api/v1/support/applications/%d/payments" % sid,
                                    {"method": "cash", "amount": 3000000}, as_user="phucxa"), 201)
        self.assertNotIn(("business", "stopped", body["name"]), got())
        r = self.get(url + "&format=csv", as_user="phucxa")
        self.assertEqual(r.status, 200)

    # ---- an employer's workers ----
    def test_employer_uploads_its_workers_all_or_nothing(self):
        r = self.post("/api/v1/businesses", {"tax_code": "0109990002", "name": "Công ty Canary May",
                                             "sector": "Dệt may", "unit_code": "00001",
                                             "address": "Số 1 phố Phúc Xá", "workers": 100},
                      as_user="doanhnghiep")
        self.assertStatus(r, 201)
        path = "/api/v1/businesses/%d/support-applications" % r.json["id"]
        head = "programme,unit_code,full_name,id_number,days,order_ref,age\n"
        good = ("canary-open,00001-001,Canary Công Nhân Một,079301000101,10,QĐ 5,30\n"
                "canary-open,00004,Canary Công Nhân Hai,079301000102,6,QĐ 5,62\n")
        csv_h = {"Content-Type": "text/csv"}
        send = lambda text, who="doanhnghiep": self.request(
            "POST", path, raw=text.encode(), headers=csv_h, token=self.token(who))
        for bad, col in (("canary-open,00001,Canary Công Nhân Ba,12ab,5,QĐ 5,30\n", "id_number"),
                         ("canary-open,00001,Canary Công Nhân Ba,079301000103,năm,QĐ 5,30\n", "days"),
                         ("nq68-f0f1,00001,Canary Công Nhân Ba,079301000103,5,QĐ 5,30\n",
                          "received_on"),
                         ("canary-open,99999,Canary Công Nhân Ba,079301000103,5,QĐ 5,30\n",
                          "unit_code")):
            err = self.assertError(send(head + good + bad), 422, mentions="dòng 4")
            self.assertTrue(col in err["message"] or err.get("field") == col, err)
        self.assertEqual(self.find("Canary Công Nhân Một"), [])
        self.assertError(send(head + good, "ytephucxa"), 403)
        self.assertError(send(head + good, "trucbach"), 404)
        r = send(head + good)
        self.assertStatus(r, 201)
        self.assertEqual(r.json["stored"], 2)
        self.assertEqual([i["amount"] for i in r.json["items"]], [800000, 6 * 80000 + 1000000])
        # Each in its commune's queue, from the employer, to verify.
        one = self.find("Canary Công Nhân Một")[0]
        self.assertEqual((one["source"], one["employer"], one["verified"]),
                         ("employer", "Công ty Canary May", False))
        self.assertEqual(self.find("Canary Công Nhân Hai"), [])
        self.assertEqual(len(self.find("Canary Công Nhân Hai", as_user="trucbach")), 1)

    # ---- every public answer ----
    def test_zz_public_answers_carry_no_personal_data(self):
        self.assertGreater(len(self.public_bodies), 5)
        for path in ("/api/v1/support/programmes",
                     "/api/v1/support/postings?unit=00001&programme=nq68-household"):
            r = self.public("GET", path)
            self.assertStatus(r, 200)
        for path, body in self.public_bodies:
            for s in SECRETS:
                self.assertNotIn(s, body, path)
            if "/programmes" not in path:
                self.assertIsNone(ID_RE.search(body), (path, body[:300]))
                self.assertIsNone(PHONE_RE.search(body), (path, body[:300]))


if __name__ == "__main__":
    main()
