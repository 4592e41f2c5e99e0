"""
A province's own feedback categories (POST /api/v1/feedback/categories):
a province official (or the national administrator) adds one with its
names, answer period in working days, handling level and responsible
department; it takes requests only in that province, routed and given
its deadline like a national one, escalated with its own days; the public
list shows it with ?unit= a unit of the province, never elsewhere.  The
national categories stay.  Bad input names the field and changes nothing.
The province's officials edit a category's names, days and department
(PUT .../categories/{province}/{code}) and retire it (POST .../retire):
a retired one takes no new request but the old ones keep it; each change
is audited; anyone else gets the scope's answer (404, 403, 401).
"""

import datetime
import json
import os

from harness import DATA_DIR, ServerTestCase, cli, main

RULES = json.load(open(os.path.join(DATA_DIR, "feedback.json"), encoding="utf-8"))
NATIONAL = {c["code"] for c in RULES["categories"]}


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


RAC = {"province_code": "01", "code": "rac_thai", "name_vi": "Rác thải sinh hoạt",
       "name_en": "Household waste", "days": 4, "level": "district",
       "department": "Sở Tài nguyên và Môi trường"}


class FeedbackCatalogTest(ServerTestCase):
    server_args = ("--feedback-anon-limit", "0")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        r = cls.server.request("POST", "/api/v1/feedback/categories", body=RAC,
                               token=cls.token("hanoi"))
        assert r.status == 201, r.describe()
        cls.added = r.json

    def categories(self, query=""):
        r = self.get("/api/v1/feedback/categories" + query)
        self.assertStatus(r, 200)
        return {c["code"]: c for c in r.json["items"]}

    def audit(self, action):
        r = self.get("/api/v1/audit?limit=500", as_user="admin")
        self.assertStatus(r, 200)
        return [a for a in r.json["items"] if a["action"] == action]

    def test_listed_only_for_the_province(self):
        self.assertEqual(self.added["department"], RAC["department"])
        self.assertEqual(set(self.categories()), NATIONAL)
        hanoi = self.categories("?unit=00001")
        self.assertTrue(NATIONAL | {"rac_thai"} <= set(hanoi), hanoi)
        c = hanoi["rac_thai"]
        self.assertEqual((c["name"]["vi"], c["name"]["en"], c["days"], c["level"]),
                         ("Rác thải sinh hoạt", "Household waste", 4, "district"))
        self.assertEqual((c["province_code"], c["department"]), ("01", RAC["department"]))
        self.assertIn("rac_thai", self.categories("?unit=01"))
        self.assertEqual(set(self.categories("?unit=26734")), NATIONAL)
        self.assertEqual(set(self.categories("?unit=nowhere")), NATIONAL)
        self.assertEqual([a["after"]["code"] for a in self.audit("feedback.category.add")
                          if a["actor"] == "hanoi" and a["after"]["code"] == "rac_thai"],
                         ["rac_thai"])

    def test_requests_in_the_province_only(self):
        r = self.post("/api/v1/feedback", {"category": "rac_thai", "location_code": "00001",
                                           "description": "Rác ứ đọng ba ngày"})
        self.assertStatus(r, 201)
        self.assertEqual(r.json["unit_code"], "001", "handled by the district")
        self.assertEqual(r.json["deadline"], deadline(vn_today(), 4).isoformat())
        fid = r.json["id"]
        got = self.get("/api/v1/feedback?category=rac_thai", as_user="badinh")
        self.assertStatus(got, 200)
        item = next(i for i in got.json["items"] if i["id"] == fid)
        self.assertEqual(item["category_name"], "Rác thải sinh hoạt")
        # Hồ Chí Minh City has no such category.
        r = self.post("/api/v1/feedback", {"category": "rac_thai", "location_code": "26734",
                                           "description": "Rác"})
        self.assertError(r, 422, "unprocessable", field="category")
        # Escalated with its own days: the district, then the province.
        due = datetime.date.fromisoformat(self.get("/api/v1/feedback/%d" % fid, as_user="badinh")
                                          .json["deadline"])
        day = due + datetime.timedelta(days=1)
        rc, out, err = cli("feedback", "escalate", "--db", self.server.db, "--today",
                           day.isoformat())
        self.assertEqual(rc, 0, err)
        j = self.get("/api/v1/feedback/%d" % fid, as_user="hanoi").json
        self.assertEqual((j["holder_code"], j["holder_deadline"]),
                         ("01", deadline(day, 4).isoformat()))

    def test_who_may_add(self):
        body = dict(RAC, code="ngap_ung", name_vi="Ngập úng", name_en="Flooding")
        for user, status in (("badinh", 404), ("phucxa", 404), ("hcm", 404), ("nguoidan", 403),
                             (None, 401)):
            self.assertError(self.post("/api/v1/feedback/categories", body, as_user=user), status,
                             msg=str(user))
        self.assertNotIn("ngap_ung", self.categories("?unit=01"))
        r = self.post("/api/v1/feedback/categories", body, as_user="admin")
        self.assertStatus(r, 201)
        self.assertIn("ngap_ung", self.categories("?unit=01"))

    def test_bad_input_changes_nothing(self):
        before = self.categories("?unit=01")
        n = len(self.audit("feedback.category.add"))
        cases = [
            ({"code": "shortage"}, 409, "code"),              # a national code
            ({"code": "rac_thai"}, 409, "code"),              # already the province's
            ({"code": "Rác"}, 422, "code"),
            ({"code": "x" * 40}, 422, "code"),
            ({"days": 0}, 422, "days"),
            ({"days": 61}, 422, "days"),
            ({"level": "hamlet"}, 422, "level"),
            ({"name_vi": None}, 422, "name_vi"),
            ({"department": ""}, 422, "department"),
            ({"province_code": "001"}, 422, "province_code"),  # a district
        ]
        for change, status, field in cases:
            body = dict(RAC, code="moi")
            body.update(change)
            r = self.post("/api/v1/feedback/categories", body, as_user="hanoi")
            self.assertError(r, status, field=field, msg=repr(change))
        self.assertEqual(self.categories("?unit=01"), before)
        self.assertEqual(len(self.audit("feedback.category.add")), n)


    # ---- editing and retiring ----

    def put(self, path, body, as_user):
        return self.request("PUT", path, body, token=self.token(as_user) if as_user else None)

    def add(self, code, **extra):
        body = dict(RAC, code=code)
        body.update(extra)
        r = self.post("/api/v1/feedback/categories", body, as_user="hanoi")
        self.assertStatus(r, 201)
        return r.json

    def test_edit(self):
        self.add("cay_xanh", level="commune")
        path = "/api/v1/feedback/categories/01/cay_xanh"
        new = {"name_vi": "Cây xanh đổ", "name_en": "Fallen trees", "days": 2,
               "department": "Công ty Công viên cây xanh"}
        for user, status in (("badinh", 404), ("hcm", 404), ("nguoidan", 403), (None, 401)):
            self.assertError(self.put(path, new, user), status, msg=str(user))
        self.assertError(self.put("/api/v1/feedback/categories/01/khong_co", new, "hanoi"), 404)
        self.assertError(self.put("/api/v1/feedback/categories/79/cay_xanh", new, "hcm"), 404)
        r = self.put(path, new, "hanoi")
        self.assertStatus(r, 200)
        self.assertEqual((r.json["name"]["vi"], r.json["days"], r.json["department"],
                          r.json["level"], r.json["retired"]),
                         ("Cây xanh đổ", 2, "Công ty Công viên cây xanh", "commune", False))
        c = self.categories("?unit=00001")["cay_xanh"]
        self.assertEqual((c["name"]["en"], c["days"], c["department"]),
                         ("Fallen trees", 2, "Công ty Công viên cây xanh"))
        a = [x for x in self.audit("feedback.category.edit") if x["after"]["code"] == "cay_xanh"]
        self.assertEqual(len(a), 1)
        self.assertEqual((a[0]["actor"], a[0]["before"]["days"], a[0]["after"]["days"],
                          a[0]["before"]["department"]),
                         ("hanoi", 4, 2, RAC["department"]))
        # A new request takes the new days and department.
        r = self.post("/api/v1/feedback", {"category": "cay_xanh", "location_code": "00001",
                                           "description": "Cây đổ chắn đường"})
        self.assertStatus(r, 201)
        self.assertEqual((r.json["deadline"], r.json["department"]),
                         (deadline(vn_today(), 2).isoformat(), "Công ty Công viên cây xanh"))

    def test_edit_bad_input_changes_nothing(self):
        self.add("den_duong")
        path = "/api/v1/feedback/categories/01/den_duong"
        before = self.categories("?unit=01")["den_duong"]
        good = {"name_vi": "Đèn đường", "name_en": "Street lights", "days": 3,
                "department": "Phòng Quản lý đô thị"}
        for change, field in (({"days": 0}, "days"), ({"days": 61}, "days"),
                              ({"days": "ba"}, "days"), ({"name_vi": ""}, "name_vi"),
                              ({"name_en": None}, "name_en"), ({"department": ""}, "department"),
                              ({"department": "x" * 300}, "department")):
            body = dict(good)
            body.update(change)
            self.assertError(self.put(path, body, "hanoi"), 422, field=field, msg=repr(change))
        self.assertEqual(self.categories("?unit=01")["den_duong"], before)

    def test_retire(self):
        self.add("vien_phi")
        r = self.post("/api/v1/feedback", {"category": "vien_phi", "location_code": "00001",
                                           "description": "Viện phí cao"})
        self.assertStatus(r, 201)
        old = r.json["id"]
        path = "/api/v1/feedback/categories/01/vien_phi/retire"
        for user, status in (("badinh", 404), ("hcm", 404), ("nguoidan", 403), (None, 401)):
            self.assertError(self.post(path, {}, as_user=user), status, msg=str(user))
        self.assertIn("vien_phi", self.categories("?unit=01"))
        r = self.post(path, {}, as_user="hanoi")
        self.assertStatus(r, 200)
        self.assertEqual((r.json["code"], r.json["retired"], r.json["retired_on"]),
                         ("vien_phi", True, vn_today().isoformat()))
        # Not offered any more; listed with ?all=1 as retired.
        self.assertNotIn("vien_phi", self.categories("?unit=01"))
        self.assertTrue(self.categories("?unit=01&all=1")["vien_phi"]["retired"])
        self.assertFalse(self.categories("?unit=01&all=1")["rac_thai"]["retired"])
        r = self.post("/api/v1/feedback", {"category": "vien_phi", "location_code": "00001",
                                           "description": "Viện phí"})
        self.assertError(r, 422, field="category")
        # The old request keeps its category.
        j = self.get("/api/v1/feedback/%d" % old, as_user="hanoi").json
        self.assertEqual((j["category"], j["category_name"]), ("vien_phi", RAC["name_vi"]))
        # Retired once: neither edited nor retired again; the code stays taken.
        self.assertError(self.post(path, {}, as_user="hanoi"), 409, field="code")
        self.assertError(self.put("/api/v1/feedback/categories/01/vien_phi",
                                  {"name_vi": "a", "name_en": "b", "days": 1, "department": "c"},
                                  "hanoi"), 409, field="code")
        self.assertError(self.post("/api/v1/feedback/categories", dict(RAC, code="vien_phi"),
                                   as_user="hanoi"), 409, field="code")
        a = [x for x in self.audit("feedback.category.retire") if x["after"]["code"] == "vien_phi"]
        self.assertEqual(len(a), 1)
        self.assertEqual((a[0]["before"]["retired"], a[0]["after"]["retired"]), (False, True))


if __name__ == "__main__":
    main()
