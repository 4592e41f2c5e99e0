"""
The responsible department of a feedback request, and the officials'
queue sorted on the server.

Every category names the department that answers for it in a unit of each
level (data/feedback.json for the national ones, one name for a
province's own); a request takes its responsible unit from its category
and place and the department of that unit's level; it is shown on the
request and in the queue, the queue filters by it, a reassignment (with a
reason, audited) changes it, and the stats count per department.  The
queue sorts by deadline, time received or last changed, ascending or
descending, with a cursor that pages through every row exactly once.
"""

import json
import os
import urllib.parse

from harness import DATA_DIR, ServerTestCase, main

RULES = json.load(open(os.path.join(DATA_DIR, "feedback.json"), encoding="utf-8"))
CATS = {c["code"]: c for c in RULES["categories"]}


def dept(code, level):
    return CATS[code]["department"][level]


class FeedbackDepartmentTest(ServerTestCase):
    server_args = ("--feedback-anon-limit", "0")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Requests of categories with different answer periods, so that the
        # deadlines differ, each in Ba Đình (district 001, commune 00001).
        cls.ids = []
        for cat in ("other", "shortage", "travel_permit", "support_payment",
                    "quarantine_complaint", "business_reopening", "shortage"):
            r = cls.server.request("POST", "/api/v1/feedback",
                                   body={"category": cat, "location_code": "00001",
                                         "description": "Phản ánh " + cat})
            assert r.status == 201, r.describe()
            cls.ids.append(r.json["id"])

    def submit(self, category, place, **extra):
        body = {"category": category, "location_code": place, "description": "Cần hỗ trợ"}
        body.update(extra)
        r = self.post("/api/v1/feedback", body)
        self.assertStatus(r, 201)
        return r.json

    def one(self, fid, as_user="admin"):
        r = self.get("/api/v1/feedback/%d" % fid, as_user=as_user)
        self.assertStatus(r, 200)
        return r.json

    def queue(self, query, as_user="admin"):
        r = self.get("/api/v1/feedback" + query, as_user=as_user)
        self.assertStatus(r, 200)
        return r.json

    def audit(self, action, fid):
        r = self.get("/api/v1/audit?limit=500", as_user="admin")
        self.assertStatus(r, 200)
        return [a for a in r.json["items"] if a["action"] == action and
                a["entity_id"] == str(fid)]

    # ---- the department of a request ----

    def test_national_categories_name_departments(self):
        r = self.get("/api/v1/feedback/categories")
        self.assertStatus(r, 200)
        for c in r.json["items"]:
            self.assertEqual(c["departments"], CATS[c["code"]]["department"], c["code"])
        self.assertEqual(dept("quarantine_complaint", "commune"), "Trạm Y tế")
        self.assertEqual(dept("quarantine_complaint", "district"), "Phòng Y tế")

    def test_department_from_category_and_place(self):
        # A commune's category at a commune: the commune's department.
        j = self.submit("quarantine_complaint", "00001")
        self.assertEqual((j["unit_code"], j["department"]), ("00001", "Trạm Y tế"))
        # A district's category: the district's.
        j = self.submit("travel_permit", "00001")
        self.assertEqual((j["unit_code"], j["department"]), ("001", dept("travel_permit", "district")))
        # A commune's category about a whole district stays with the district.
        j = self.submit("quarantine_complaint", "001")
        self.assertEqual((j["unit_code"], j["department"]), ("001", "Phòng Y tế"))
        # Shown on the request and in the queue.
        got = self.one(j["id"], as_user="badinh")
        self.assertEqual(got["department"], "Phòng Y tế")
        items = self.queue("?limit=500", as_user="badinh")["items"]
        self.assertEqual(next(i for i in items if i["id"] == j["id"])["department"], "Phòng Y tế")
        a = self.audit("feedback.create", j["id"])
        self.assertEqual(a[0]["after"]["department"], "Phòng Y tế")

    def test_filter_by_department(self):
        police = dept("travel_permit", "district")
        items = self.queue("?limit=500&department=" + urllib.parse.quote(police))["items"]
        self.assertTrue(items)
        self.assertEqual({i["department"] for i in items}, {police})
        self.assertIn(self.ids[2], [i["id"] for i in items])
        self.assertEqual(self.queue("?department=Kh%C3%B4ng%20c%C3%B3")["items"], [])
        r = self.get("/api/v1/feedback?department=", as_user="admin")
        self.assertError(r, 400, field="department")
        r = self.get("/api/v1/feedback?department=" + "x" * 300, as_user="admin")
        self.assertError(r, 400, field="department")

    def test_reassign_department(self):
        fid = self.submit("other", "00001")["id"]
        before = self.one(fid)
        self.assertEqual(before["department"], dept("other", "commune"))
        self.assertStatus(self.post("/api/v1/feedback/%d/acknowledge" % fid, {},
                                    as_user="phucxa"), 200)
        # Without a reason, or to what it already is: nothing changes.
        r = self.post("/api/v1/feedback/%d/reassign" % fid, {"department": "Trạm Y tế"},
                      as_user="phucxa")
        self.assertError(r, 422, field="reason")
        r = self.post("/api/v1/feedback/%d/reassign" % fid,
                      {"department": before["department"], "reason": "Nhầm"}, as_user="phucxa")
        self.assertError(r, 422, field="department")
        r = self.post("/api/v1/feedback/%d/reassign" % fid,
                      {"department": "Trạm Y tế", "reason": "Nhầm"}, as_user="hcm")
        self.assertError(r, 404)
        self.assertEqual(self.one(fid)["status"], "acknowledged")
        # Another department of the same unit: new there, the unit kept.
        r = self.post("/api/v1/feedback/%d/reassign" % fid,
                      {"department": "Trạm Y tế", "reason": "Việc của y tế"}, as_user="phucxa")
        self.assertStatus(r, 200)
        j = self.one(fid)
        self.assertEqual((j["unit_code"], j["department"], j["status"], j["deadline"]),
                         ("00001", "Trạm Y tế", "new", before["deadline"]))
        a = self.audit("feedback.reassign", fid)
        self.assertEqual(len(a), 1)
        self.assertEqual(a[0]["before"]["department"], dept("other", "commune"))
        self.assertEqual((a[0]["after"]["department"], a[0]["after"]["reason"]),
                         ("Trạm Y tế", "Việc của y tế"))
        # To the district without naming one: the category's there.
        r = self.post("/api/v1/feedback/%d/reassign" % fid,
                      {"unit_code": "001", "reason": "Cấp huyện giải quyết"}, as_user="phucxa")
        self.assertStatus(r, 200)
        j = self.one(fid)
        self.assertEqual((j["unit_code"], j["department"]), ("001", dept("other", "district")))

    # ---- the queue sorted ----

    def pages(self, query, limit):
        seen, cursor = [], None
        for _ in range(100):
            q = query + "&limit=%d" % limit + ("&cursor=%s" % cursor if cursor else "")
            j = self.queue(q)
            self.assertLessEqual(len(j["items"]), limit)
            seen += j["items"]
            cursor = j["next"]
            if cursor is None:
                return seen
            self.assertIsInstance(cursor, str)
        self.fail("the cursor never ended")

    def test_sorted_pages(self):
        for sort, key in (("due", "deadline"), ("created", "created_at"),
                          ("updated", "updated_at")):
            for order in ("asc", "desc"):
                whole = self.queue("?limit=500&sort=%s&order=%s" % (sort, order))["items"]
                keys = [(i[key], i["id"]) for i in whole]
                self.assertEqual(keys, sorted(keys, reverse=order == "desc"), (sort, order))
                paged = self.pages("?sort=%s&order=%s" % (sort, order), 2)
                self.assertEqual([i["id"] for i in paged], [i["id"] for i in whole],
                                 (sort, order))
        # The deadlines differ: sorting by them is not the order of ids.
        due = [i["id"] for i in self.queue("?limit=500&sort=due")["items"]
               if i["id"] in self.ids]
        self.assertNotEqual(due, sorted(due))
        self.assertEqual(due[0], self.ids[1])      # a shortage: one working day

    def test_sorted_pages_with_filters(self):
        whole = self.queue("?limit=500&sort=due&order=desc&category=shortage")["items"]
        self.assertEqual({i["category"] for i in whole}, {"shortage"})
        self.assertGreaterEqual(len(whole), 2)
        paged = self.pages("?sort=due&order=desc&category=shortage", 1)
        self.assertEqual([i["id"] for i in paged], [i["id"] for i in whole])

    def test_default_order_and_cursor_unchanged(self):
        j = self.queue("?limit=2")
        self.assertEqual([i["id"] for i in j["items"]], sorted(i["id"] for i in j["items"]))
        self.assertIsInstance(j["next"], int)

    def test_bad_sort_parameters(self):
        for q, field in (("sort=deadline", "sort"), ("order=up", "order"),
                         ("sort=due&cursor=2026-01-01", "cursor"),
                         ("sort=due&cursor=01/01/2026.5", "cursor"),
                         ("sort=created&cursor=abc.5", "cursor"),
                         ("sort=created&cursor=5.0", "cursor")):
            self.assertError(self.get("/api/v1/feedback?" + q, as_user="admin"), 400,
                             field=field, msg=q)

    # ---- per department in the stats ----

    def test_stats_per_department(self):
        r = self.get("/api/v1/feedback/stats?unit=001", as_user="badinh")
        self.assertStatus(r, 200)
        rows = {d["department"]: d for d in r.json["departments"]}
        items = self.queue("?limit=500&unit=001", as_user="badinh")["items"]
        want = {}
        for i in items:
            want[i["department"]] = want.get(i["department"], 0) + 1
        self.assertEqual({k: v["total"] for k, v in rows.items()}, want)
        for d in rows.values():
            self.assertEqual(set(d), {"department", "total", "open", "overdue", "escalated",
                                      "answered", "median_days"})
        self.assertEqual(sum(d["total"] for d in rows.values()),
                         r.json["own"]["total"] + sum(x["total"] for x in r.json["items"]))
        # Out of scope: not found, no count.
        self.assertError(self.get("/api/v1/feedback/stats?unit=001", as_user="hcm"), 404)


if __name__ == "__main__":
    main()
