"""
Emulation movements over HTTP: the rankings of the communes of Ba Đình are
recomputed here, independently, from the data this test puts in through
the API (households and the reports on their supervision, feedback
requests and their answers, vaccination figures, community cases, tasks of a
directive and their reports), with
the rules docs/api.md states, and compared with the server's: every
figure, score, total, rank and model unit.  The month-by-month history is
the ranking of each month.  Bad input is refused naming the field;
officials outside the district see nothing.
"""

import datetime
import math

from harness import ServerTestCase, main, units_csv


def vn_today():
    return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=7)).date()


TODAY = vn_today()
FROM = TODAY - datetime.timedelta(days=20)
TO = TODAY + datetime.timedelta(days=40)
WEIGHTS = [("households_visited", 3), ("feedback_on_time", 2), ("vaccination_coverage", 2),
           ("case_free_days", 1), ("tasks_on_time", 1)]
COMMUNES = sorted(u["code"] for u in units_csv() if u["parent_code"] == "001")


def last_sunday(d):
    return d - datetime.timedelta(days=(d.weekday() + 1) % 7)


def round2(x):
    return math.floor(x * 100 + 0.5) / 100


def expected(data, start, end):
    """The ranking by the rules, from what the test recorded (per commune)."""
    last = min(end, TODAY)
    days = (last - start).days + 1 if last >= start else 0
    rows = {}
    for c in COMMUNES:
        d = data[c]
        fb = [f for f in d["feedback"] if start.isoformat() <= f["deadline"] <= end.isoformat()]
        vac = [v for v in d["vaccination"] if start.isoformat() <= v[0] <= end.isoformat()]
        vac = max(vac) if vac else None
        case_days = {x for x in d["community_days"] if start <= x <= last}
        tasks = [t for t in d["tasks"] if start <= t[0] <= end]
        figures = {
            "households_visited": (len({h for h, when in d["visits"] if start <= when <= end}),
                                   d["households"]),
            "feedback_on_time": (sum(1 for f in fb if f["answered_on"] and
                                     f["answered_on"] <= f["deadline"]), len(fb)),
            "vaccination_coverage": (vac[2], vac[1]) if vac else (0, 0),
            "case_free_days": (days - len(case_days), days),
            "tasks_on_time": (sum(1 for due, done in tasks if done and done <= due), len(tasks)),
        }
        scores = {}
        for code, _ in WEIGHTS:
            num, den = figures[code]
            scores[code] = (num, den, round2(100.0 * num / den) if den > 0 else 0.0, den > 0)
        total = 0.0
        for code, w in WEIGHTS:
            total += w * scores[code][2]
        rows[c] = {"scores": scores, "total": round2(total / sum(w for _, w in WEIGHTS))}
    for c in rows:
        rows[c]["rank"] = 1 + sum(1 for o in rows.values() if o["total"] > rows[c]["total"])
    models = {}
    for code, _ in WEIGHTS:
        with_data = [c for c in rows if rows[c]["scores"][code][3]]
        best = max((rows[c]["scores"][code][2] for c in with_data), default=None)
        models[code] = sorted(c for c in with_data if rows[c]["scores"][code][2] == best)
    return rows, models


class EmulationTest(ServerTestCase):

    @classmethod
    def call(cls, method, path, body=None, user="admin", expect=None):
        r = cls.server.request(method, path, body=body, token=cls.token(user))
        if expect is not None and r.status != expect:
            raise AssertionError("fixture: " + r.describe())
        return r

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        data = {c: {"households": 0, "visits": [], "feedback": [], "vaccination": [],
                    "community_days": set(), "tasks": []} for c in COMMUNES}
        cls.data = data
        # Households: those already there (the demo's), and new ones.
        new = {"00001": ("00001-001", 3), "00004": ("00004-001", 1)}
        for c, (hamlet, k) in new.items():
            for i in range(k):
                cls.call("POST", "/api/v1/units", {"parent_code": hamlet, "level": "household",
                                                   "name": "Hộ thi đua %d" % i, "members": 3},
                         expect=201)
        for c in COMMUNES:
            hamlets = cls.call("GET", "/api/v1/units?parent=%s&level=hamlet&limit=500" % c,
                               expect=200).json["items"]
            for h in hamlets:
                hh = cls.call("GET", "/api/v1/units?parent=%s&level=household&limit=500"
                              % h["code"], expect=200).json["items"]
                data[c]["households"] += len(hh)
                data[c].setdefault("hh_codes", []).extend(x["code"] for x in hh)
        # Visits: a report on the household's assignment (twice counts once).
        visits = {"00001": ("phucxa", 3), "00004": ("trucbach", 1)}
        for c, (user, k) in visits.items():
            for code in sorted(data[c]["hh_codes"])[:k]:
                r = cls.call("POST", "/api/v1/assignments", {"username": user, "unit_code": code})
                if r.status == 409:     # the demo's own assignment
                    mine = cls.call("GET", "/api/v1/me/assignments", user=user, expect=200)
                    aid = next(a["id"] for a in mine.json["items"] if a["unit_code"] == code)
                else:
                    assert r.status == 201, r.describe()
                    aid = r.json["id"]
                for _ in range(2):
                    cls.call("POST", "/api/v1/assignments/%d/reports" % aid, {"status": "stable"},
                             user=user, expect=201)
                data[c]["visits"].append((code, TODAY))
        # Feedback: answered, left unanswered, rejected (not counted).
        for c, plan in (("00001", ["answer", "answer", None]), ("00004", [None, "reject"])):
            for step in plan:
                r = cls.server.request("POST", "/api/v1/feedback", body={
                    "category": "shortage", "location_code": c,
                    "description": "Thiếu gạo %s" % step})
                assert r.status == 201, r.describe()
                fid, deadline = r.json["id"], r.json["deadline"]
                answered = None
                if step == "answer":
                    cls.call("POST", "/api/v1/feedback/%d/acknowledge" % fid, {}, expect=200)
                    cls.call("POST", "/api/v1/feedback/%d/answer" % fid, {"answer": "Đã hỗ trợ"},
                             expect=200)
                    answered = TODAY.isoformat()
                elif step == "reject":
                    cls.call("POST", "/api/v1/feedback/%d/reject" % fid, {"reason": "trùng"},
                             expect=200)
                    continue
                data[c]["feedback"].append({"deadline": deadline, "answered_on": answered})
        # Vaccination: the last week in the period counts.
        w = last_sunday(TODAY)
        for c, weeks in (("00001", [(w - datetime.timedelta(days=7), 1000, 500), (w, 1000, 800)]),
                         ("00004", [(w - datetime.timedelta(days=7), 500, 450)])):
            for week, pop, full in weeks:
                cls.call("PUT", "/api/v1/units/%s/vaccination/%s" % (c, week.isoformat()),
                         {"groups": [{"age_group": "all", "population": pop, "dose1": full,
                                      "full_dose": full}]}, expect=200)
                data[c]["vaccination"].append((week.isoformat(), pop, full))
        # Cases: community ones count by distinct day; a quarantine one does not.
        for c, hamlet, back, source in (("00001", "00001-001", 3, "community"),
                                        ("00001", "00001-001", 3, "community"),
                                        ("00001", "00001-002", 5, "community"),
                                        ("00004", "00004-001", 2, "quarantine")):
            when = TODAY - datetime.timedelta(days=back)
            cls.call("POST", "/api/v1/cases", {
                "person": {"full_name": "Ca %s %d" % (c, back), "unit_code": hamlet},
                "detected_on": when.isoformat(), "source": source, "test_type": "antigen"},
                expect=201)
            if source == "community":
                data[c]["community_days"].add(when)
        # Tasks of a directive of the district: Phúc Xá reports one done before its
        # deadline and has another still open; Trúc Bạch reports late.
        due, later = TODAY - datetime.timedelta(days=5), TODAY + datetime.timedelta(days=10)
        r = cls.call("POST", "/api/v1/directives", {
            "number": "7-KH/UBND", "issued_on": FROM.isoformat(), "issuer": "001",
            "title": "Báo cáo công tác phòng, chống dịch",
            "tasks": [{"title": "Báo cáo tuần", "assignees": {"units": ["00001", "00004"]},
                       "deadline": due.isoformat()},
                      {"title": "Rà soát hộ", "assignees": {"units": ["00001"]},
                       "deadline": later.isoformat()}]}, user="badinh", expect=201)
        first = r.json["tasks"][0]["id"]
        for c, user, done in (("00001", "phucxa", due - datetime.timedelta(days=1)),
                              ("00004", "trucbach", due + datetime.timedelta(days=3))):
            cls.call("POST", "/api/v1/tasks/%d/reports" % first, {
                "unit_code": c, "note": "Đã báo cáo", "done": True,
                "done_on": done.isoformat()}, user=user, expect=201)
            data[c]["tasks"].append((due, done))
        data["00001"]["tasks"].append((later, None))
        r = cls.call("POST", "/api/v1/emulation/movements", {
            "name": "Thi đua phòng, chống dịch quận Ba Đình", "parent_code": "001",
            "period_from": FROM.isoformat(), "period_to": TO.isoformat(),
            "indicators": [{"code": c, "weight": w} for c, w in WEIGHTS]}, user="badinh",
            expect=201)
        cls.movement = r.json["id"]

    def check_ranking(self, got, start, end):
        rows, models = expected(self.data, start, end)
        self.assertEqual(got["from"], start.isoformat())
        self.assertEqual(got["to"], end.isoformat())
        self.assertEqual(sorted(i["unit_code"] for i in got["items"]), COMMUNES)
        for item in got["items"]:
            want = rows[item["unit_code"]]
            for code, _ in WEIGHTS:
                num, den, score, has = want["scores"][code]
                s = item["scores"][code]
                self.assertEqual((s["num"], s["den"], s["score"], s["has_data"]),
                                 (num, den, score, has), "%s %s" % (item["unit_code"], code))
            self.assertEqual(item["total"], want["total"], item["unit_code"])
            self.assertEqual(item["rank"], want["rank"], item["unit_code"])
        self.assertEqual({i["code"]: sorted(i["models"]) for i in got["indicators"]}, models)

    def test_rankings_recomputed_independently(self):
        r = self.get("/api/v1/emulation/movements/%d/rankings" % self.movement, as_user="badinh")
        self.assertStatus(r, 200)
        self.check_ranking(r.json, FROM, TO)
        got = {i["unit_code"]: i for i in r.json["items"]}
        # The data make a difference: Phúc Xá and Trúc Bạch differ from the rest.
        self.assertEqual(got["00001"]["scores"]["households_visited"]["score"], 75.0)
        self.assertEqual(got["00004"]["scores"]["households_visited"]["score"], 50.0)
        self.assertEqual(got["00001"]["scores"]["feedback_on_time"]["num"], 2)
        self.assertEqual(got["00001"]["scores"]["feedback_on_time"]["den"], 3)
        self.assertEqual(got["00004"]["scores"]["feedback_on_time"]["den"], 1)
        self.assertEqual(got["00001"]["scores"]["vaccination_coverage"]["score"], 80.0)
        self.assertEqual(got["00004"]["scores"]["vaccination_coverage"]["score"], 90.0)
        self.assertEqual(got["00001"]["scores"]["case_free_days"]["num"], 19)
        self.assertEqual((got["00001"]["scores"]["tasks_on_time"]["num"],
                          got["00001"]["scores"]["tasks_on_time"]["den"]), (1, 2))
        self.assertEqual((got["00004"]["scores"]["tasks_on_time"]["num"],
                          got["00004"]["scores"]["tasks_on_time"]["den"]), (0, 1))
        self.assertEqual(got["00001"]["rank"], 1)
        self.assertEqual(got["00004"]["rank"], 2)
        models = {i["code"]: i["models"] for i in r.json["indicators"]}
        self.assertEqual(models["vaccination_coverage"], ["00004"])
        # A part of the period, seen by a commune of the district too.
        start, end = TODAY - datetime.timedelta(days=4), TODAY
        r = self.get("/api/v1/emulation/movements/%d/rankings?from=%s&to=%s"
                     % (self.movement, start.isoformat(), end.isoformat()), as_user="trucbach")
        self.assertStatus(r, 200)
        self.check_ranking(r.json, start, end)

    def test_history_is_the_ranking_of_each_month(self):
        r = self.get("/api/v1/emulation/movements/%d/history" % self.movement, as_user="hanoi")
        self.assertStatus(r, 200)
        periods = r.json["periods"]
        self.assertEqual(periods[0]["from"], FROM.isoformat())
        self.assertEqual(periods[-1]["to"], TO.isoformat())
        for a, b in zip(periods, periods[1:]):
            self.assertEqual(datetime.date.fromisoformat(a["to"]) + datetime.timedelta(days=1),
                             datetime.date.fromisoformat(b["from"]))
            self.assertEqual(datetime.date.fromisoformat(b["from"]).day, 1)
        for p in periods:
            rows, _ = expected(self.data, datetime.date.fromisoformat(p["from"]),
                               datetime.date.fromisoformat(p["to"]))
            self.assertEqual({i["unit_code"]: (i["total"], i["rank"]) for i in p["items"]},
                             {c: (rows[c]["total"], rows[c]["rank"]) for c in rows})

    def test_indicators_are_listed(self):
        r = self.get("/api/v1/emulation/indicators")
        self.assertStatus(r, 200)
        self.assertEqual([i["code"] for i in r.json["items"]], [c for c, _ in WEIGHTS])
        self.assertTrue(all(i["name"]["vi"] and i["name"]["en"] for i in r.json["items"]))

    def test_scope(self):
        path = "/api/v1/emulation/movements/%d/rankings" % self.movement
        for user in ("hcm", "ytephucxa", "nguoidan"):
            self.assertIn(self.get(path, as_user=user).status, (403, 404), user)
        self.assertError(self.get(path), 401)
        r = self.get("/api/v1/emulation/movements", as_user="phucxa")
        self.assertIn(self.movement, [m["id"] for m in r.json["items"]])
        r = self.get("/api/v1/emulation/movements", as_user="hcm")
        self.assertNotIn(self.movement, [m["id"] for m in r.json["items"]])

    def test_bad_input_changes_nothing(self):
        before = len(self.get("/api/v1/emulation/movements", as_user="admin").json["items"])
        good = {"name": "Thi đua", "parent_code": "001", "period_from": "2021-10-01",
                "period_to": "2021-12-31", "indicators": [{"code": "case_free_days", "weight": 1}]}
        cases = [
            ({"name": ""}, "name"),
            ({"period_to": "2021-09-01"}, "period_to"),
            ({"period_from": "01/10/2021"}, "period_from"),
            ({"indicators": []}, "indicators"),
            ({"indicators": [{"code": "trees_planted", "weight": 1}]}, "indicators[0].code"),
            ({"indicators": [{"code": "case_free_days", "weight": 0}]}, "indicators[0].weight"),
            ({"indicators": [{"code": "case_free_days", "weight": 1},
                             {"code": "case_free_days", "weight": 2}]}, "indicators[1].code"),
        ]
        for change, field in cases:
            body = dict(good, **change)
            self.assertError(self.post("/api/v1/emulation/movements", body, as_user="badinh"),
                             422, field=field, msg=str(change))
        r = self.post("/api/v1/emulation/movements", good, as_user="phucxa")
        self.assertError(r, 404, field="parent_code")
        path = "/api/v1/emulation/movements/%d/rankings" % self.movement
        self.assertError(self.get(path + "?from=2021-13-01", as_user="badinh"), 400, field="from")
        self.assertError(self.get(path + "?from=2021-10-01&to=2021-09-01", as_user="badinh"), 400,
                         field="to")
        self.assertEqual(len(self.get("/api/v1/emulation/movements", as_user="admin").json["items"]),
                         before)


if __name__ == "__main__":
    main()
