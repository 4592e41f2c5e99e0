"""
A province's own feedback categories (POST /api/v1/feedback/categories):
a province official (or the national administrator) adds one with its
names, answer period in working days, handling level and responsible
department; it takes requests only in that province, routed and given
its deadline like a national one, escalated with its own days; the public
list shows it with ?unit= a unit of the province, never elsewhere.  The
national categories stay.  Bad input names the field and changes nothing.
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
                          if a["actor"] == "hanoi"], ["rac_thai"])

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


if __name__ == "__main__":
    main()
