"""
Directives and tasks down the hierarchy, over HTTP, on the Quảng Ninh
example: the province's plan to study Conclusion 20 and Directive 18, its
districts before 30/10, the affiliated committees (modelled by the
communes) before 10/11, Hạ Long's branches at their meeting on 3/11; the 13
districts with their real codes; completion reported by some; the day
after the deadline the overdue ones are listed and a reminder reaches
them; Hạ Long passes its task to its communes with an earlier deadline and
the province sees them rolled up.  A unit sees and reports only its own
tasks; bad input names the field and changes nothing; every change is
audited.  Key tasks: registered by a commune, updated, reviewed by the
district.
"""

from harness import ServerTestCase, cli, main, units_csv

QN = "22"
HALONG, MONGCAI, CAMPHA = "193", "194", "195"
DISTRICTS = sorted(u["code"] for u in units_csv() if u["parent_code"] == QN)
HALONG_COMMUNES = sorted(u["code"] for u in units_csv() if u["parent_code"] == HALONG)
QN_COMMUNES = sorted(u["code"] for u in units_csv() if u["parent_code"] in DISTRICTS)
HAKHANH, HONGHA = "06649", "06697"

USERS = (("qn", "province_officer", QN), ("halong", "district_officer", HALONG),
         ("mongcai", "district_officer", MONGCAI), ("campha", "district_officer", CAMPHA),
         ("hakhanh", "commune_officer", HAKHANH), ("hongha", "commune_officer", HONGHA))


def plan(number="12-KH/TU"):
    return {"number": number, "issued_on": "2021-10-15", "issuer": QN,
            "title": "Kế hoạch học tập, quán triệt Kết luận 20-KL/TW và Chỉ thị 18-CT/TU",
            "summary": "Tổ chức học tập, quán triệt đến cán bộ, đảng viên.",
            "tasks": [
                {"title": "Các huyện, thị xã, thành phố hoàn thành học tập",
                 "assignees": {"children_of": QN, "level": "district"}, "deadline": "2021-10-30"},
                {"title": "Các đảng ủy trực thuộc hoàn thành học tập",
                 "assignees": {"children_of": QN, "level": "commune"}, "deadline": "2021-11-10"},
                {"title": "Các chi bộ học tập tại buổi sinh hoạt",
                 "assignees": {"units": [HAKHANH, HONGHA]}, "deadline": "2021-11-03"},
            ]}


class DirectivesTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for name, role, unit in USERS:
            rc, out, err = cli("user", "add", "--db", cls.server.db, "--username", name,
                               "--role", role, "--unit", unit, "--name", "Cán bộ " + name,
                               input="demo2021\n")
            assert rc == 0, err
        # Signed in up front: a sign-in leaves its own audit row.
        for name in [u[0] for u in USERS] + ["admin", "hanoi", "nguoidan"]:
            cls.token(name)

    def newest_audit(self):
        r = self.get("/api/v1/audit?limit=1", as_user="admin")
        self.assertStatus(r, 200)
        return r.json["items"][0]["id"] if r.json["items"] else 0

    def audit(self, action, entity_id):
        r = self.get("/api/v1/audit?limit=500", as_user="admin")
        self.assertStatus(r, 200)
        return [a for a in r.json["items"]
                if a["action"] == action and a["entity_id"] == str(entity_id)]

    def issue(self, number):
        r = self.post("/api/v1/directives", plan(number), as_user="qn")
        self.assertStatus(r, 201)
        return r.json

    def progress(self, did, date, user="qn"):
        r = self.get("/api/v1/directives/%d/progress?date=%s" % (did, date), as_user=user)
        self.assertStatus(r, 200)
        return r.json["items"]

    def report(self, task, unit, user, done_on, done=True):
        return self.post("/api/v1/tasks/%d/reports" % task,
                         {"unit_code": unit, "note": "Đã tổ chức hội nghị", "done": done,
                          "evidence": "Báo cáo số 45/BC", "done_on": done_on}, as_user=user)

    def test_quang_ninh_end_to_end(self):
        d = self.issue("12-KH/TU")
        t1, t2, t3 = (t["id"] for t in d["tasks"])
        self.assertEqual(len(DISTRICTS), 13)
        self.assertEqual([t["units"] for t in d["tasks"]], [13, len(QN_COMMUNES), 2])
        self.assertEqual(len(self.audit("directive.create", d["id"])), 1)

        items = self.progress(d["id"], "2021-10-20")
        self.assertEqual(len(items), 13 + len(QN_COMMUNES) + 2)
        first = [i for i in items if i["task_id"] == t1]
        self.assertEqual(sorted(i["unit_code"] for i in first), DISTRICTS)
        self.assertTrue(all(i["status"] == "open" and i["deadline"] == "2021-10-30"
                            and i["done_on"] is None for i in first))
        self.assertEqual({i["deadline"] for i in items if i["task_id"] == t2}, {"2021-11-10"})
        self.assertEqual({i["deadline"] for i in items if i["task_id"] == t3}, {"2021-11-03"})

        # Hạ Long passes the task to its communes, earlier than its own deadline.
        r = self.post("/api/v1/tasks/%d/delegate" % t1,
                      {"unit_code": HALONG, "deadline": "2021-10-27",
                       "title": "Các phường, xã hoàn thành học tập",
                       "assignees": {"children_of": HALONG, "level": "commune"}}, as_user="halong")
        self.assertStatus(r, 201)
        sub = r.json["id"]
        self.assertEqual(r.json["units"], len(HALONG_COMMUNES))
        self.assertEqual(len(self.audit("task.delegate", t1)), 1)
        self.assertStatus(self.report(sub, HAKHANH, "hakhanh", "2021-10-26"), 201)

        # Two districts report done; Móng Cái a day after its deadline.
        self.assertStatus(self.report(t1, HALONG, "halong", "2021-10-28"), 201)
        self.assertStatus(self.report(t1, MONGCAI, "mongcai", "2021-10-31"), 201)
        self.assertEqual(len(self.audit("task.done", t1)), 2)

        items = self.progress(d["id"], "2021-10-30")
        by = {i["unit_code"]: i for i in items if i["task_id"] == t1}
        self.assertEqual(by[HALONG]["status"], "done")
        self.assertEqual(by[HALONG]["done_on"], "2021-10-28")
        self.assertEqual(by[MONGCAI]["status"], "open")       # not done yet as of 30/10
        self.assertEqual(by[CAMPHA]["status"], "open")        # the deadline is still today

        items = self.progress(d["id"], "2021-10-31")
        by = {i["unit_code"]: i for i in items if i["task_id"] == t1}
        overdue = sorted(c for c, i in by.items() if i["status"] == "overdue")
        self.assertEqual(overdue, sorted(set(DISTRICTS) - {HALONG, MONGCAI}))
        self.assertEqual(by[MONGCAI]["status"], "done")
        # The communes of Hạ Long, rolled up under it for the province.
        self.assertEqual(by[HALONG]["below"], {"total": len(HALONG_COMMUNES), "done": 1,
                                               "overdue": len(HALONG_COMMUNES) - 1})
        communes = {i["unit_code"]: i for i in items if i["task_id"] == sub}
        self.assertEqual(sorted(communes), HALONG_COMMUNES)
        self.assertEqual(communes[HAKHANH]["status"], "done")
        self.assertEqual(communes[HONGHA]["status"], "overdue")
        self.assertEqual(communes[HONGHA]["assigned_by"], HALONG)
        self.assertEqual(communes[HONGHA]["parent_task_id"], t1)

        # The reminder the day after reaches the overdue units down the chain:
        # the districts, and the communes Hạ Long passed the task to.
        r = self.post("/api/v1/directives/%d/reminders" % d["id"], {"date": "2021-10-31"},
                      as_user="qn")
        self.assertStatus(r, 201)
        late_communes = [c for c in HALONG_COMMUNES if c != HAKHANH]
        self.assertEqual(sorted(r.json["units"]), sorted(overdue + late_communes))
        self.assertEqual(len(self.audit("directive.remind", d["id"])), 1)
        r = self.get("/api/v1/units/%s/inbox?date=2021-10-31" % CAMPHA, as_user="campha")
        self.assertStatus(r, 200)
        mine = [n for n in r.json["notices"] if n["directive_id"] == d["id"]]
        self.assertEqual(len(mine), 1)
        self.assertIn("quá hạn 2021-10-30", mine[0]["message"])
        self.assertEqual(mine[0]["from"], QN)
        task = next(t for t in r.json["tasks"] if t["task_id"] == t1)
        self.assertEqual((task["status"], task["deadline"], task["number"]),
                         ("overdue", "2021-10-30", "12-KH/TU"))
        r = self.get("/api/v1/units/%s/inbox" % HALONG, as_user="halong")
        self.assertEqual([n for n in r.json["notices"] if n["directive_id"] == d["id"]], [])

        r = self.get("/api/v1/units/%s/inbox" % HONGHA, as_user="hongha")
        self.assertEqual(len([n for n in r.json["notices"] if n["task_id"] == sub]), 1)
        # Hạ Long reminds the communes it assigned, and only those.
        r = self.post("/api/v1/directives/%d/reminders" % d["id"], {"date": "2021-10-31"},
                      as_user="halong")
        self.assertStatus(r, 201)
        self.assertEqual(sorted(r.json["units"]), late_communes)
        r = self.get("/api/v1/units/%s/inbox" % HONGHA, as_user="hongha")
        self.assertEqual(len([n for n in r.json["notices"] if n["task_id"] == sub]), 2)
        self.assertEqual(r.json["notices"][0]["from"], HALONG)

    def test_a_unit_sees_and_reports_only_its_own(self):
        d = self.issue("13-KH/TU")
        t1 = d["tasks"][0]["id"]
        # Móng Cái sees its own rows and its communes', not Hạ Long's.
        items = self.progress(d["id"], "2021-10-31", user="mongcai")
        mc = {u["code"] for u in units_csv() if u["parent_code"] == MONGCAI}
        self.assertEqual({i["unit_code"] for i in items}, {MONGCAI} | mc)
        # A commune sees its rows only.
        items = self.progress(d["id"], "2021-10-31", user="hakhanh")
        self.assertEqual({i["unit_code"] for i in items}, {HAKHANH})
        # Outside the province: not found.
        r = self.get("/api/v1/directives/%d/progress" % d["id"], as_user="hanoi")
        self.assertError(r, 404)
        before = self.newest_audit()
        self.assertError(self.report(t1, HALONG, "mongcai", "2021-10-28"), 404)
        self.assertError(self.report(t1, HALONG, "qn", "2021-10-28"), 403)
        self.assertError(self.report(t1, HALONG, "hakhanh", "2021-10-28"), 404)
        r = self.post("/api/v1/tasks/%d/delegate" % t1,
                      {"unit_code": HALONG, "deadline": "2021-10-27",
                       "assignees": {"children_of": HALONG, "level": "commune"}}, as_user="qn")
        self.assertError(r, 403)
        r = self.get("/api/v1/units/%s/inbox" % HALONG, as_user="mongcai")
        self.assertError(r, 404)
        r = self.post("/api/v1/directives/%d/reminders" % d["id"], {}, as_user="mongcai")
        self.assertError(r, 403)
        self.assertEqual(self.newest_audit(), before)
        # Reported twice: a conflict, once only in the trail.
        self.assertStatus(self.report(t1, HALONG, "halong", "2021-10-28"), 201)
        self.assertError(self.report(t1, HALONG, "halong", "2021-10-29"), 409)
        self.assertEqual(len(self.audit("task.done", t1)), 1)
        # A progress note does not complete it.
        t3 = d["tasks"][2]["id"]
        self.assertStatus(self.report(t3, HONGHA, "hongha", None, done=False), 201)
        self.assertEqual(len(self.audit("task.progress", t3)), 1)
        items = self.progress(d["id"], "2021-10-31", user="hongha")
        self.assertEqual({i["status"] for i in items if i["task_id"] == t3}, {"open"})

    def test_bad_input_names_the_field_and_changes_nothing(self):
        cases = [
            ({"number": ""}, "number"),
            ({"issued_on": "2021-13-01"}, "issued_on"),
            ({"issuer": "99999"}, "issuer"),
            ({"tasks": []}, "tasks"),
            ({"tasks": [{"title": "x", "deadline": "30/10/2021",
                         "assignees": {"units": [HALONG]}}]}, "tasks[0].deadline"),
            ({"tasks": [{"title": "x", "deadline": "2021-10-01",
                         "assignees": {"units": [HALONG]}}]}, "tasks[0].deadline"),
            ({"tasks": [{"title": "x", "deadline": "2021-10-30",
                         "assignees": {"units": ["001"]}}]}, "tasks[0].assignees"),
            ({"tasks": [{"title": "x", "deadline": "2021-10-30",
                         "assignees": {"units": ["77777"]}}]}, "tasks[0].assignees"),
            ({"tasks": [{"title": "x", "deadline": "2021-10-30",
                         "assignees": {"units": [HALONG, HALONG]}}]}, "tasks[0].assignees"),
            ({"tasks": [{"title": "x", "deadline": "2021-10-30",
                         "assignees": {"children_of": QN, "level": "hamlet"}}]},
             "tasks[0].assignees.level"),
            ({"tasks": [{"title": "x", "deadline": "2021-10-30",
                         "assignees": {"children_of": "01", "level": "district"}}]},
             "tasks[0].assignees"),
            ({"tasks": [{"title": "x", "deadline": "2021-10-30", "assignees": [HALONG]}]},
             "tasks[0].assignees"),
        ]
        before = self.newest_audit()
        for change, field in cases:
            body = plan("BAD-%s" % field)
            body.update(change)
            r = self.post("/api/v1/directives", body, as_user="qn")
            self.assertError(r, (400, 404, 422), field=field, msg=field)
            self.assertEqual(r.json["error"]["field"], field)
        # Hà Nội's officer may not issue for Quảng Ninh; a citizen not at all.
        self.assertError(self.post("/api/v1/directives", plan("X1"), as_user="hanoi"), 404,
                         field="issuer")
        self.assertError(self.post("/api/v1/directives", plan("X2"), as_user="nguoidan"), 403)
        self.assertEqual(self.newest_audit(), before)
        # The same number twice from one issuer: a conflict on the field.
        self.issue("14-KH/TU")
        before = self.newest_audit()
        r = self.post("/api/v1/directives", plan("14-KH/TU"), as_user="qn")
        self.assertError(r, 409, field="number")
        d = self.issue("15-KH/TU")
        t1 = d["tasks"][0]["id"]
        before = self.newest_audit()
        for body, field, status in [
            ({"unit_code": HALONG, "deadline": "2021-10-30",
              "assignees": {"children_of": HALONG, "level": "commune"}}, "deadline", 422),
            ({"unit_code": HALONG, "deadline": "2021-10-20",
              "assignees": {"units": ["06757"]}}, "assignees", 422),
            ({"unit_code": HALONG, "deadline": "2021-10-20",
              "assignees": {"children_of": QN, "level": "commune"}}, "assignees", 422),
            ({"unit_code": HALONG, "deadline": "2021-10-20"}, "assignees", 422),
        ]:
            r = self.post("/api/v1/tasks/%d/delegate" % t1, body, as_user="halong")
            self.assertError(r, status, field=field)
        for body, field in [({"unit_code": HALONG, "note": "x"}, "done"),
                            ({"unit_code": HALONG, "note": "x", "done": "yes"}, "done"),
                            ({"unit_code": HALONG, "done": True}, "note"),
                            ({"unit_code": HALONG, "note": "x", "done": True,
                              "done_on": "2099-01-01"}, "done_on")]:
            r = self.post("/api/v1/tasks/%d/reports" % t1, body, as_user="halong")
            self.assertError(r, 422, field=field)
        r = self.get("/api/v1/directives/%d/progress?date=31-10-2021" % d["id"], as_user="qn")
        self.assertError(r, 400, field="date")
        self.assertEqual(self.newest_audit(), before)

    def test_key_tasks(self):
        r = self.post("/api/v1/key-tasks", {"unit_code": HAKHANH, "period": "2021-Q4",
                                            "title": "Thăm hỏi hộ gia đình có F0",
                                            "measure": "hộ", "target": 100}, as_user="hakhanh")
        self.assertStatus(r, 201)
        k = r.json
        self.assertEqual((k["period_kind"], k["period_end"]), ("quarter", "2021-12-31"))
        self.assertEqual(len(self.audit("keytask.create", k["id"])), 1)
        before = self.newest_audit()
        for body, field in [({"period": "2021-13"}, "period"), ({"period": "Q4"}, "period"),
                            ({"target": 0}, "target"), ({"target": "nhiều"}, "target"),
                            ({"title": None}, "title")]:
            b = {"unit_code": HAKHANH, "period": "2021-10", "title": "x", "measure": "hộ",
                 "target": 5}
            b.update(body)
            self.assertError(self.post("/api/v1/key-tasks", b, as_user="hakhanh"), 422,
                             field=field)
        # Another commune's official, and the district, do not register for it.
        b = {"unit_code": HAKHANH, "period": "2021", "title": "x", "measure": "hộ", "target": 1}
        self.assertError(self.post("/api/v1/key-tasks", b, as_user="hongha"), 404)
        self.assertError(self.post("/api/v1/key-tasks", b, as_user="halong"), 403)
        self.assertEqual(self.newest_audit(), before)

        r = self.post("/api/v1/key-tasks/%d/progress" % k["id"], {"progress": 120,
                      "note": "Đã thăm 120 hộ"}, as_user="hakhanh")
        self.assertStatus(r, 200)
        # The commune does not review itself; the district does.
        r = self.post("/api/v1/key-tasks/%d/review" % k["id"], {"rating": "met"},
                      as_user="hakhanh")
        self.assertError(r, 403)
        self.assertError(self.post("/api/v1/key-tasks/%d/review" % k["id"], {"rating": "tốt"},
                                   as_user="halong"), 422, field="rating")
        r = self.post("/api/v1/key-tasks/%d/review" % k["id"], {"rating": "exceeded",
                      "note": "Vượt chỉ tiêu"}, as_user="halong")
        self.assertStatus(r, 200)
        self.assertEqual(len(self.audit("keytask.review", k["id"])), 1)
        self.assertError(self.post("/api/v1/key-tasks/%d/review" % k["id"], {"rating": "met"},
                                   as_user="halong"), 409)
        self.assertError(self.post("/api/v1/key-tasks/%d/progress" % k["id"], {"progress": 1},
                                   as_user="hakhanh"), 409)
        r = self.get("/api/v1/key-tasks?unit=%s&period=2021-Q4" % HALONG, as_user="halong")
        self.assertStatus(r, 200)
        got = next(x for x in r.json["items"] if x["id"] == k["id"])
        self.assertEqual((got["progress"], got["rating"], got["suggested"], got["reviewed_by"]),
                         (120, "exceeded", "exceeded", "halong"))
        r = self.get("/api/v1/key-tasks?unit=%s" % HAKHANH, as_user="hongha")
        self.assertError(r, 404)
        # A period that has not ended is not reviewed yet.
        r = self.post("/api/v1/key-tasks", {"unit_code": HAKHANH, "period": "2100",
                                            "title": "Dài hạn", "measure": "%", "target": 90},
                      as_user="hakhanh")
        self.assertStatus(r, 201)
        r = self.post("/api/v1/key-tasks/%d/review" % r.json["id"], {"rating": "met"},
                      as_user="halong")
        self.assertError(r, 422)


if __name__ == "__main__":
    main()
