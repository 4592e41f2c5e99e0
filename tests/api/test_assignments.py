"""
Supervision assignments ("province grasps commune, district grasps hamlet,
commune grasps household") and status reports.

Readings of docs/api.md this file relies on:
- An assignment is one (official, unit); assigning the same unit to the same
  official again is a duplicate: 409 conflict.
- The assigned official is named by username; the unit must lie two levels
  below one of that official's grants and inside it, else 422 (an unknown
  username too: it names no such official).  The caller needs authority over
  the unit, which only officials have: a unit outside the caller's authority,
  or unknown, is 404, and so it is for every role that may not assign
  (citizen, business, team member, health worker), even in its own commune.
- A report on an assignment that is not the caller's -> 404, whoever asks
  (an official above it included); an assignment id that is not a number is
  no assignment either (404).
- `status_at` is the time of the latest report and `status_note` its note,
  null when the report has none.
- A report's note is optional.
"""

from harness import ServerTestCase, main


class AssignmentsTest(ServerTestCase):

    def mine(self, user):
        r = self.get("/api/v1/me/assignments", as_user=user)
        self.assertStatus(r, 200)
        self.assertIsInstance(r.json["items"], list)
        return r.json["items"]

    def one(self, user, unit_code):
        items = [i for i in self.mine(user) if i["unit_code"] == unit_code]
        self.assertEqual(len(items), 1, "%s should follow %s once: %r"
                         % (user, unit_code, self.mine(user)))
        return items[0]

    def check_item(self, item):
        for key in ("id", "unit_code", "unit_name", "unit_level", "assigned_by", "created_at",
                    "note", "status", "status_note", "status_at"):
            self.assertIn(key, item)
        self.assertIsInstance(item["id"], int)
        self.assertTime(item["created_at"], "created_at")

    def assign(self, by, username, unit_code, note="theo dõi", headers=None):
        return self.post("/api/v1/assignments",
                         {"username": username, "unit_code": unit_code, "note": note},
                         as_user=by, headers=headers)

    def report(self, user, assignment_id, status, note=...):
        body = {"status": status}
        if note is not Ellipsis:
            body["note"] = note
        return self.post("/api/v1/assignments/%s/reports" % assignment_id, body, as_user=user)

    # ---- the demo assignments ----
    def test_demo_assignments(self):
        want = {"hanoi": ("00001", "Phường Phúc Xá", "commune"),
                "badinh": ("00001-001", "Tổ dân phố 1", "hamlet"),
                "phucxa": ("00001-001-0001", None, "household")}
        for user, (code, name, level) in want.items():
            item = self.one(user, code)
            self.check_item(item)
            self.assertEqual(item["unit_level"], level, user)
            if name:
                self.assertEqual(item["unit_name"], name)
            else:
                self.assertIsInstance(item["unit_name"], str)
        self.assertEqual(self.mine("nguoidan"), [])
        self.assertEqual(self.mine("trucbach"), [])

    def test_anonymous(self):
        self.assertError(self.get("/api/v1/me/assignments"), 401, "unauthorized")
        r = self.post("/api/v1/assignments", {"username": "badinh", "unit_code": "00001-002"})
        self.assertError(r, 401, "unauthorized")
        r = self.post("/api/v1/assignments/1/reports", {"status": "stable"})
        self.assertError(r, 401, "unauthorized")

    # ---- reports ----
    def test_report_status(self):
        item = self.one("phucxa", "00001-001-0001")
        r = self.report("phucxa", item["id"], "attention", "Có 1 F1 cách ly tại nhà")
        self.assertStatus(r, 201)
        item = self.one("phucxa", "00001-001-0001")
        self.assertEqual(item["status"], "attention")
        self.assertEqual(item["status_note"], "Có 1 F1 cách ly tại nhà")
        self.assertTime(item["status_at"], "status_at")
        r = self.report("phucxa", item["id"], "stable")
        self.assertStatus(r, 201)
        item = self.one("phucxa", "00001-001-0001")
        self.assertEqual(item["status"], "stable", "status is the latest report")
        self.assertIsNone(item["status_note"])
        r = self.report("phucxa", item["id"], "urgent", "F0 mới")
        self.assertStatus(r, 201)
        self.assertEqual(self.one("phucxa", "00001-001-0001")["status"], "urgent")

    def test_report_validation(self):
        item = self.one("badinh", "00001-001")
        before = self.one("badinh", "00001-001")
        for status in ("critical", "", "STABLE", 1, None):
            r = self.report("badinh", item["id"], status)
            self.assertError(r, 422, "unprocessable", mentions="status", msg=repr(status))
        r = self.post("/api/v1/assignments/%d/reports" % item["id"], {"note": "x"},
                      as_user="badinh")
        self.assertError(r, 422, "unprocessable", mentions="status")
        r = self.report("badinh", item["id"], "stable", 5)
        self.assertError(r, 422, "unprocessable", mentions="note")
        r = self.request("POST", "/api/v1/assignments/%d/reports" % item["id"],
                         raw='{"status":', headers={"Content-Type": "application/json"},
                         as_user="badinh")
        self.assertError(r, 400, "invalid")
        self.assertEqual(self.one("badinh", "00001-001"), before, "a refused report changed it")

    def test_report_on_someone_elses_assignment(self):
        hanoi_item = self.one("hanoi", "00001")
        before = self.one("hanoi", "00001")
        r = self.report("phucxa", hanoi_item["id"], "urgent", "not mine")
        self.assertError(r, 404, "not_found")
        r = self.report("trucbach", hanoi_item["id"], "urgent")
        self.assertError(r, 404, "not_found")
        r = self.report("nguoidan", hanoi_item["id"], "urgent")
        self.assertError(r, 404, "not_found")
        phucxa_item = self.one("phucxa", "00001-001-0001")
        r = self.report("hanoi", phucxa_item["id"], "urgent")
        self.assertError(r, 404, "not_found")
        self.assertEqual(self.one("hanoi", "00001"), before)
        for bad in ("999999", "0", "-1"):
            r = self.report("phucxa", bad, "stable")
            self.assertError(r, 404, "not_found", msg=bad)
        r = self.report("phucxa", "abc", "stable")
        self.assertError(r, 404, "not_found")

    # ---- creating assignments ----
    def test_province_assigns_district_officer_a_hamlet(self):
        r = self.assign("hanoi", "badinh", "00001-002", "Theo dõi tổ dân phố 2")
        self.assertStatus(r, 201)
        self.assertIsInstance(r.json["id"], int)
        item = self.one("badinh", "00001-002")
        self.check_item(item)
        self.assertEqual(item["id"], r.json["id"])
        self.assertEqual((item["unit_name"], item["unit_level"], item["assigned_by"], item["note"]),
                         ("Tổ dân phố 2", "hamlet", "hanoi", "Theo dõi tổ dân phố 2"))
        self.assertIsNone(item["status"])
        self.assertIsNone(item["status_at"])
        self.one("badinh", "00001-001")     # the old one is still there
        # the same again is a duplicate
        r = self.assign("hanoi", "badinh", "00001-002")
        self.assertError(r, 409, "conflict")
        self.one("badinh", "00001-002")
        # the new one takes reports
        r = self.report("badinh", item["id"], "attention", "kiểm tra")
        self.assertStatus(r, 201)
        self.assertEqual(self.one("badinh", "00001-002")["status"], "attention")

    def test_district_assigns_commune_officer_a_household(self):
        r = self.post("/api/v1/units", {"parent_code": "00004-001", "level": "household",
                                        "name": "Hộ bà Trần Thị B", "address": "ngõ 1",
                                        "members": 3}, as_user="badinh")
        self.assertStatus(r, 201)
        code = r.json["code"]
        r = self.assign("badinh", "trucbach", code)
        self.assertStatus(r, 201)
        item = self.one("trucbach", code)
        self.assertEqual((item["unit_level"], item["assigned_by"]), ("household", "badinh"))

    def test_wrong_level_or_place(self):
        counts = {u: len(self.mine(u)) for u in ("badinh", "phucxa", "trucbach", "nguoidan")}
        cases = [
            ("hanoi", "badinh", "00004", "a district officer follows hamlets, not communes"),
            ("hanoi", "badinh", "00001-001-0001", "nor households"),
            ("hanoi", "phucxa", "00001-001", "a commune officer follows households"),
            ("hanoi", "phucxa", "00004-001-0001", "a household outside phucxa's commune"),
            ("hanoi", "nguoidan", "00001-001-0001", "a citizen follows nothing"),
            ("hanoi", "ytephucxa", "00001-001-0001", "a health worker follows nothing"),
        ]
        for by, user, unit, what in cases:
            r = self.assign(by, user, unit)
            self.assertError(r, 422, "unprocessable", msg=what)
        for body, field in (({"username": "badinh"}, "unit_code"),
                            ({"unit_code": "00001-002"}, "username"),
                            ({"username": 3, "unit_code": "00001-002"}, "username"),
                            ({"username": "badinh", "unit_code": 1}, "unit_code"),
                            ({"username": "badinh", "unit_code": "00001-002", "note": 2}, "note")):
            r = self.post("/api/v1/assignments", body, as_user="hanoi")
            self.assertError(r, 422, "unprocessable", mentions=field, msg=repr(body))
        r = self.assign("hanoi", "khong-co-ai", "00001-002")
        self.assertError(r, 422, "unprocessable", mentions="username")
        r = self.assign("hanoi", "badinh", "00001-999")
        self.assertError(r, 404, "not_found", mentions="00001-999")
        self.assertEqual({u: len(self.mine(u)) for u in counts}, counts)

    def test_without_authority(self):
        counts = {u: len(self.mine(u)) for u in ("badinh", "phucxa")}
        # hcm has no authority in Hà Nội; trucbach none over Phúc Xá
        r = self.assign("hcm", "badinh", "00001-002")
        self.assertError(r, 404, "not_found")
        r = self.assign("trucbach", "phucxa", "00001-001-0001")
        self.assertError(r, 404, "not_found")
        # roles that do not supervise, the team and the health worker of the
        # household's own hamlet and commune included
        for by in ("nguoidan", "doanhnghiep", "todan1", "ytephucxa"):
            r = self.assign(by, "phucxa", "00001-001-0001")
            self.assertError(r, 404, "not_found", msg=by)
        self.assertEqual({u: len(self.mine(u)) for u in counts}, counts)

    def test_no_one_assigns_upwards(self):
        """A commune or district officer cannot make a higher-level officer
        follow a unit (security finding 6), and the refusal reads the same
        for a user that does not exist."""
        counts = {u: len(self.mine(u)) for u in ("hanoi", "badinh")}
        for by, user, unit in (("phucxa", "hanoi", "00001"), ("badinh", "hanoi", "00001"),
                               ("phucxa", "badinh", "00001-001")):
            r = self.assign(by, user, unit)
            self.assertError(r, 422, "unprocessable", msg="%s assigns %s" % (by, user))
        a = self.assign("phucxa", "hanoi", "00001", headers={"Accept-Language": "en"})
        b = self.assign("phucxa", "khong-co-ai", "00001", headers={"Accept-Language": "en"})
        self.assertEqual(a.error_message.replace("hanoi", "X"),
                         b.error_message.replace("khong-co-ai", "X"))
        self.assertEqual({u: len(self.mine(u)) for u in counts}, counts)


if __name__ == "__main__":
    main()
