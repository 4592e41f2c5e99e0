"""
Isolation follow-up, zones, vaccination coverage and treatment capacity
over HTTP, with scope: commune officers phucxa (00001) and trucbach (00004),
health worker ytephucxa (00001), team member todan1 (hamlet 00001-001),
citizen nguoidan.  Bad input answers 422 naming the field and changes
nothing; changes and reads of names leave audit entries.

The fixtures (four people, one case, one overdue isolation) are made through
the API once the server is up, like any client would; their ids are kept in
class attributes (p_dan, p_hai, p_ba, p_bon, case_hai, iso_overdue).
"""

import datetime

from harness import ServerTestCase, main


def person(full_name, id_number, unit_code):
    return {"full_name": full_name, "id_number": id_number, "unit_code": unit_code}


class FollowupCase(ServerTestCase):
    @classmethod
    def make_fixture(cls):
        # People without a case: a negative test records the person.
        def negative(full_name, id_number, unit_code, as_user):
            j = cls.fixture_post("/api/v1/tests", {
                "person": person(full_name, id_number, unit_code), "taken_on": "2021-09-05",
                "test_type": "rt-pcr", "result": "negative"}, as_user)
            if j.get("case_id") is not None:
                raise AssertionError("fixture: a negative test opened a case: %r" % j)
            return j["person_id"]

        cls.p_dan = negative("Bùi Thị Dân", "001190000001", "00001-001-0001", "ytephucxa")
        cls.p_ba = negative("Trần Thị Ba", "001190000003", "00001-001", "ytephucxa")
        cls.p_bon = negative("Ngô Văn Bốn", "001190000004", "00004-001-0001", "trucbach")
        # A case in the hamlet's household on 2021-09-10: zones there may end from 2021-09-24.
        j = cls.fixture_post("/api/v1/cases", {
            "person": person("Nguyễn Văn Hai", "001190000002", "00001-001-0001"),
            "detected_on": "2021-09-10", "source": "community", "test_type": "rt-pcr"},
            "ytephucxa")
        cls.p_hai, cls.case_hai = j["person_id"], j["id"]
        # An isolation started long ago with no check-in: overdue.
        j = cls.fixture_post("/api/v1/isolations", {
            "person_id": cls.p_dan, "kind": "home", "unit_code": "00001-001-0001",
            "started_on": "2021-09-01"}, "ytephucxa")
        cls.iso_overdue = j["id"]

    def put(self, path, body, as_user=None, **kw):
        return self.request("PUT", path, body=body, as_user=as_user, **kw)

    def audit_actions(self, unit, as_user="phucxa"):
        r = self.get("/api/v1/audit?unit=%s&limit=500" % unit, as_user=as_user)
        self.assertStatus(r, 200)
        return [(e["action"], e["entity_id"]) for e in r.json["items"]]


class IsolationTest(FollowupCase):

    def open(self, person, unit="00001-001", as_user="ytephucxa", **extra):
        body = {"person_id": person, "kind": "home", "unit_code": unit,
                "started_on": "2021-09-10", "planned_end": "2021-09-24"}
        body.update(extra)
        return self.post("/api/v1/isolations", body, as_user=as_user)

    def items(self, state, unit="00001", as_user="ytephucxa", extra=""):
        r = self.get("/api/v1/isolations?unit=%s&state=%s%s" % (unit, state, extra),
                     as_user=as_user)
        self.assertStatus(r, 200)
        return r.json["items"]

    def test_open_check_in_list_release(self):
        # Bad input: 422 naming the field, and nothing is created.
        before = len(self.items("active"))
        for body, field in [
            ({"kind": "hospital"}, "kind"),
            ({"started_on": "10/09/2021"}, "started_on"),
            ({"planned_end": "2021-09-01"}, "planned_end"),
            ({"person_id": str(self.p_hai)}, "person_id"),
            ({"person_id": self.p_bon}, "person_id"),            # not in the caller's scope
            ({"case_id": 424242}, "case_id"),
        ]:
            b = {"person_id": self.p_hai, "kind": "home", "unit_code": "00001-001",
                 "started_on": "2021-09-10"}
            b.update(body)
            r = self.post("/api/v1/isolations", b, as_user="ytephucxa")
            self.assertError(r, 422, "unprocessable", mentions=field, msg=str(body))
        r = self.request("POST", "/api/v1/isolations", as_user="ytephucxa",
                         body={"kind": "home"}, headers={"Accept-Language": "en"})
        self.assertError(r, 422, "unprocessable", mentions="person_id")
        for user in ("trucbach", "todan1", "nguoidan"):
            self.assertError(self.open(self.p_hai, as_user=user), 404, "not_found", msg=user)
        self.assertError(self.request("POST", "/api/v1/isolations",
                                      body={"person_id": self.p_hai}), 401)
        self.assertEqual(len(self.items("active")), before)

        r = self.open(self.p_hai)
        self.assertStatus(r, 201)
        iso = r.json["id"]
        self.assertEqual(r.headers["location"], "/api/v1/isolations/%d" % iso)
        self.assertError(self.open(self.p_hai), 409, "conflict")

        # Check-ins: the hamlet's team member records them.
        url = "/api/v1/isolations/%d/checkins" % iso
        for body, field in [({}, "spo2"), ({"spo2": 101}, "spo2"), ({"spo2": 49}, "spo2"),
                            ({"temperature": 45}, "temperature"),
                            ({"temperature": "hot"}, "temperature"),
                            ({"spo2": 97, "symptoms": 5}, "symptoms")]:
            self.assertError(self.post(url, body, as_user="todan1"), 422, "unprocessable",
                             mentions=field, msg=str(body))
        for user in ("trucbach", "nguoidan"):
            self.assertError(self.post(url, {"spo2": 97}, as_user=user), 404, msg=user)
        self.assertError(self.post("/api/v1/isolations/999999/checkins", {"spo2": 97},
                                   as_user="todan1"), 404)
        r = self.get(url, as_user="todan1")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["items"], [], "failed check-ins stored nothing")
        r = self.post(url, {"spo2": 95, "temperature": 37.8, "symptoms": "ho, sốt",
                            "note": "gọi điện"}, as_user="todan1")
        self.assertStatus(r, 201)
        self.assertTime(r.json["at"])
        r = self.get(url, as_user="todan1")
        self.assertEqual(len(r.json["items"]), 1)
        self.assertIn(("person.read", str(iso)), self.audit_actions("00001"))
        c = r.json["items"][0]
        self.assertEqual((c["spo2"], c["temperature"], c["symptoms"], c["by"]),
                         (95, 37.8, "ho, sốt", "todan1"))
        self.assertError(self.get(url, as_user="trucbach"), 404)

        # Low SpO2 (default threshold 96): names for the health worker only.
        low = [i for i in self.items("low_spo2") if i["id"] == iso]
        self.assertEqual(len(low), 1)
        self.assertEqual(low[0]["last_checkin"]["spo2"], 95)
        self.assertEqual(low[0]["person"]["full_name"], "Nguyễn Văn Hai")
        self.assertEqual(low[0]["person"]["id_number"], "001190000002")
        self.assertFalse([i for i in self.items("low_spo2", extra="&spo2_below=95")
                          if i["id"] == iso])
        r = self.get("/api/v1/isolations?unit=00001-001&state=low_spo2", as_user="todan1")
        self.assertStatus(r, 200)
        self.assertEqual([i["id"] for i in r.json["items"]], [iso])
        self.assertNotIn("person", r.json["items"][0])
        text = r.raw.decode("utf-8")
        self.assertNotIn("001190000002", text)
        self.assertNotIn("Nguyễn Văn Hai", text)
        self.assertEqual(self.items("active", as_user="trucbach"), [])
        self.assertEqual(self.items("active", as_user="nguoidan"), [])
        self.assertError(self.get("/api/v1/isolations?unit=00001"), 401)
        self.assertError(self.get("/api/v1/isolations?unit=00001-001", as_user="trucbach"), 404)
        self.assertError(self.get("/api/v1/isolations?unit=00001&state=sick",
                                  as_user="phucxa"), 400, "invalid", mentions="state")
        self.assertError(self.get("/api/v1/isolations?unit=00001&hours=0", as_user="phucxa"),
                         400, "invalid", mentions="hours")
        self.assertError(self.get("/api/v1/isolations?unit=00001&spo2_below=120",
                                  as_user="phucxa"), 400, "invalid", mentions="spo2_below")
        self.assertError(self.get("/api/v1/isolations", as_user="phucxa"), 400,
                         mentions="unit")

        # Overdue: the fixture isolation (started 2021-09-01, never checked) is;
        # the one just checked is not, whatever the window.
        over = [i["id"] for i in self.items("overdue", as_user="phucxa")]
        self.assertIn(self.iso_overdue, over)
        self.assertNotIn(iso, over)
        over = [i["id"] for i in self.items("overdue", as_user="phucxa", extra="&hours=1")]
        self.assertNotIn(iso, over)

        # Release: not before the start; health workers and officials only; once.
        rel = "/api/v1/isolations/%d/release" % iso
        self.assertError(self.post(rel, {"released_on": "2021-09-09"}, as_user="ytephucxa"),
                         422, "unprocessable", mentions="released_on")
        self.assertError(self.post(rel, {}, as_user="ytephucxa"), 422, mentions="released_on")
        self.assertError(self.post(rel, {"released_on": "2021-09-24"}, as_user="todan1"), 404)
        self.assertError(self.post(rel, {"released_on": "2021-09-24"}, as_user="trucbach"), 404)
        self.assertIn(iso, [i["id"] for i in self.items("active")])
        r = self.post(rel, {"released_on": "2021-09-24"}, as_user="ytephucxa")
        self.assertStatus(r, 200)
        self.assertError(self.post(rel, {"released_on": "2021-09-25"}, as_user="phucxa"), 409)
        self.assertError(self.post(url, {"spo2": 98}, as_user="todan1"), 409)
        done = [i for i in self.items("released") if i["id"] == iso]
        self.assertEqual(done[0]["released_on"], "2021-09-24")
        self.assertNotIn(iso, [i["id"] for i in self.items("active")])

        # Audit: every change, and the reads of names.
        acts = self.audit_actions("00001")
        for action in ("isolation.create", "isolation.checkin", "isolation.release"):
            self.assertIn((action, str(iso)), acts)
        self.assertIn("person.read", [a for a, _ in acts])


    def test_checkins_sent_late_from_a_phone(self):
        """A check-in kept on a phone without signal carries the time it was
        measured; one that meets a release is a conflict until confirmed."""
        vn = datetime.timezone(datetime.timedelta(hours=7))
        now = datetime.datetime.now(vn).replace(microsecond=0)
        j = self.fixture_post("/api/v1/tests", {
            "person": person("Lê Thị Ngoại Tuyến", "001190000077", "00001-001-0001"),
            "taken_on": "2021-09-05", "test_type": "rt-pcr", "result": "negative"}, "ytephucxa")
        start = (now - datetime.timedelta(days=3)).date().isoformat()
        r = self.post("/api/v1/isolations", {"person_id": j["person_id"], "kind": "home",
                                             "unit_code": "00001-001", "started_on": start},
                      as_user="ytephucxa")
        self.assertStatus(r, 201)
        url = "/api/v1/isolations/%d/checkins" % r.json["id"]
        rel = "/api/v1/isolations/%d/release" % r.json["id"]
        two_h = (now - datetime.timedelta(hours=2)).isoformat()
        for at, status, words in [
                ("2021-10-15", 400, "measured_at"), ("hôm qua", 400, "measured_at"),
                ((now + datetime.timedelta(hours=1)).isoformat(), 422, "tương lai"),
                ((now - datetime.timedelta(days=15)).isoformat(), 422, "14 ngày"),
                ((now - datetime.timedelta(days=4)).isoformat(), 422, "trước ngày bắt đầu")]:
            self.assertError(self.post(url, {"spo2": 97, "measured_at": at}, as_user="todan1"),
                             status, mentions=words, field="measured_at", msg=at)
        self.assertEqual(self.get(url, as_user="todan1").json["items"], [])
        r = self.post(url, {"spo2": 94, "measured_at": two_h}, as_user="todan1")
        self.assertStatus(r, 201)
        self.assertFalse(r.json["after_release"])
        got = self.get(url, as_user="todan1").json["items"]
        self.assertEqual(len(got), 1)
        at = datetime.datetime.fromisoformat(got[0]["at"].replace("Z", "+00:00"))
        self.assertEqual(at, now - datetime.timedelta(hours=2), "the time measured is kept")
        # Released meanwhile: refused as a conflict that says since when; nothing written.
        self.assertStatus(self.post(rel, {"released_on": now.date().isoformat()},
                                    as_user="ytephucxa"), 200)
        late = {"spo2": 96, "measured_at": (now - datetime.timedelta(hours=1)).isoformat()}
        err = self.assertError(self.post(url, late, as_user="todan1"), 409, "conflict",
                               field="isolation", mentions=now.strftime("%d/%m/%Y"))
        self.assertEqual(err["released_on"], now.date().isoformat())
        self.assertEqual(len(self.get(url, as_user="todan1").json["items"]), 1)
        # Confirmed by the person: recorded on the released isolation, once.
        late["after_release"] = True
        r = self.post(url, late, as_user="todan1")
        self.assertStatus(r, 201)
        self.assertTrue(r.json["after_release"])
        self.assertEqual([c["spo2"] for c in self.get(url, as_user="todan1").json["items"]],
                         [96, 94])

    def test_place_for_every_reader_names_for_health_workers(self):
        # The household where the person isolates (its name and address) is
        # what the hamlet's team may read, so it sees whom to visit; the
        # person's own name and ID number stay with officials and health workers.
        place = {"code": "00001-001-0001", "name": "Hộ bà Bùi Thị Dân", "level": "household",
                 "address": "Số 1 ngõ Phúc Xá"}
        r = self.get("/api/v1/isolations?unit=00001-001&state=overdue", as_user="todan1")
        self.assertStatus(r, 200)
        mine = [i for i in r.json["items"] if i["id"] == self.iso_overdue]
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine[0]["place"], place)
        self.assertNotIn("person", mine[0])
        self.assertNotIn("001190000001", r.raw.decode("utf-8"))
        hw = [i for i in self.items("overdue") if i["id"] == self.iso_overdue]
        self.assertEqual(hw[0]["place"], place)
        self.assertEqual(hw[0]["person"], {"full_name": "Bùi Thị Dân", "id_number": "001190000001"})
        # Another commune's officer reads neither the place nor the person.
        self.assertEqual(self.items("active", as_user="trucbach", unit="00004"), [])
        self.assertError(self.get("/api/v1/isolations?unit=00001-001-0001", as_user="trucbach"), 404)


class ZoneTest(FollowupCase):

    def zone(self, as_user="phucxa", **body):
        b = {"unit_code": "00001-001", "reason": "3 ca cộng đồng trong tổ",
             "started_on": "2021-09-01", "planned_end": "2021-09-21"}
        b.update(body)
        return self.post("/api/v1/zones", b, as_user=as_user)

    def active(self, unit="00001", day="2021-09-05", as_user="ytephucxa"):
        r = self.get("/api/v1/zones?unit=%s&active_on=%s" % (unit, day), as_user=as_user)
        self.assertStatus(r, 200)
        return r.json["items"]

    def test_create_list_count_end(self):
        for body, field in [({"unit_code": "001"}, "unit_code"), ({"reason": None}, "reason"),
                            ({"reason": ""}, "reason"), ({"started_on": "2021-9-1"}, "started_on"),
                            ({"planned_end": "2021-08-01"}, "planned_end"),
                            ({"area_name": 7}, "area_name")]:
            user = "badinh" if body.get("unit_code") == "001" else "phucxa"
            self.assertError(self.zone(as_user=user, **body), 422, "unprocessable",
                             mentions=field, msg=str(body))
        for user in ("trucbach", "ytephucxa", "todan1", "nguoidan"):
            self.assertError(self.zone(as_user=user), 404, msg=user)
        self.assertEqual(self.active(), [])

        r = self.zone()
        self.assertStatus(r, 201)
        zid = r.json["id"]
        r = self.zone(unit_code="00001", area_name="Chợ Phúc Xá", started_on="2021-09-07")
        self.assertStatus(r, 201)
        market = r.json["id"]
        items = self.active()
        self.assertEqual([i["id"] for i in items], [zid])
        self.assertEqual(items[0]["unit_name"], "Tổ dân phố 1")
        self.assertEqual(len(self.active(day="2021-09-08")), 2)
        self.assertEqual(len(self.active(as_user="todan1")), 1)
        self.assertEqual(self.active(as_user="trucbach"), [])
        self.assertEqual(self.active(as_user="nguoidan"), [])
        self.assertError(self.get("/api/v1/zones?unit=00001"), 401)
        self.assertError(self.get("/api/v1/zones?unit=00001&active_on=2021-02-30",
                                  as_user="phucxa"), 400, "invalid", mentions="active_on")

        # Public numbers only.
        r = self.get("/api/v1/units/00001/zones/count?active_on=2021-09-08")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["active"], 2)
        self.assertNotIn("cộng đồng", r.raw.decode("utf-8"))
        r = self.get("/api/v1/units/001/zones/count?active_on=2021-09-08")
        self.assertEqual({c["code"]: c["active"] for c in r.json["children"]}["00001"], 2)
        self.assertEqual(r.json["active"], 2)
        self.assertError(self.get("/api/v1/units/00001-001/zones/count"), 404)

        # End rule: the fixture case of 2021-09-10 holds the hamlet until 2021-09-24.
        end = "/api/v1/zones/%d/end" % zid
        r = self.request("POST", end, body={"ended_on": "2021-09-20"}, as_user="phucxa",
                         headers={"Accept-Language": "en"})
        self.assertError(r, 422, "unprocessable", mentions="14 days")
        self.assertIn("2021-09-24", r.error_message)
        self.assertIn("override_reason", r.error_message)
        r = self.post(end, {"ended_on": "2021-09-20"}, as_user="phucxa")
        self.assertError(r, 422, mentions="14 ngày")
        self.assertError(self.post(end, {"ended_on": "2021-08-30", "override_reason": "x"},
                                   as_user="phucxa"), 422, mentions="ended_on")
        self.assertError(self.post(end, {}, as_user="phucxa"), 422, mentions="ended_on")
        for user in ("trucbach", "ytephucxa", "todan1"):
            self.assertError(self.post(end, {"ended_on": "2021-09-24"}, as_user=user), 404)
        self.assertEqual(len(self.active(day="2021-09-25")), 2, "nothing ended")
        r = self.post(end, {"ended_on": "2021-09-24"}, as_user="phucxa")
        self.assertStatus(r, 200)
        self.assertFalse(r.json["override"])
        self.assertError(self.post(end, {"ended_on": "2021-09-25"}, as_user="phucxa"), 409)
        # The commune's market zone: the hamlet's case counts; override with a reason.
        end = "/api/v1/zones/%d/end" % market
        self.assertError(self.post(end, {"ended_on": "2021-09-15"}, as_user="phucxa"), 422)
        r = self.post(end, {"ended_on": "2021-09-15",
                            "override_reason": "xét nghiệm toàn bộ tiểu thương âm tính"},
                      as_user="phucxa")
        self.assertStatus(r, 200)
        self.assertTrue(r.json["override"])
        self.assertEqual(self.active(day="2021-09-25"), [])
        items = self.active(day="2021-09-14")
        self.assertEqual(items[0]["end_override_reason"], "xét nghiệm toàn bộ tiểu thương âm tính")
        acts = self.audit_actions("00001")
        self.assertIn(("zone.create", str(zid)), acts)
        self.assertIn(("zone.end", str(zid)), acts)
        self.assertIn(("zone.end_override", str(market)), acts)


class ZoneRuleConfigTest(FollowupCase):
    server_args = ("--zone-end-days", "7")

    def test_server_end_days(self):
        r = self.post("/api/v1/zones", {"unit_code": "00001-001-0001", "reason": "F0 tại nhà",
                                        "started_on": "2021-09-05"}, as_user="phucxa")
        self.assertStatus(r, 201)
        end = "/api/v1/zones/%d/end" % r.json["id"]
        r = self.request("POST", end, body={"ended_on": "2021-09-16"}, as_user="phucxa",
                         headers={"Accept-Language": "en"})
        self.assertError(r, 422, mentions="7 days")
        self.assertIn("2021-09-17", r.error_message)
        self.assertStatus(self.post(end, {"ended_on": "2021-09-17"}, as_user="phucxa"), 200)


GROUPS = [
    {"age_group": "18+", "population": 1000, "dose1": 900, "full_dose": 600},
    {"age_group": "65+", "population": 200, "dose1": 190, "full_dose": 180, "booster": 10},
    {"age_group": "50+", "population": 400, "dose1": 380, "full_dose": 300},
    {"age_group": "high_risk", "population": 50, "dose1": 40, "full_dose": 20},
    {"age_group": "all", "population": 1500, "dose1": 1000, "full_dose": 700, "booster": 20},
]


class CoverageTest(FollowupCase):

    def test_vaccination_put_get_and_derived(self):
        url = "/api/v1/units/00001/vaccination/2021-10-24"
        bad = [dict(g) for g in GROUPS]
        bad[1]["full_dose"] = 195
        r = self.put(url, {"groups": bad}, as_user="ytephucxa", headers={"Accept-Language": "en"})
        self.assertError(r, 422, "unprocessable", mentions="full_dose")
        self.assertIn("65+", r.error_message)
        bad = [dict(g) for g in GROUPS]
        bad[0]["dose1"] = 1001
        self.assertError(self.put(url, {"groups": bad}, as_user="ytephucxa"), 422,
                         mentions="dose1")
        bad = [dict(g) for g in GROUPS]
        bad[2]["population"] = -5
        self.assertError(self.put(url, {"groups": bad}, as_user="ytephucxa"), 422,
                         mentions="population")
        bad = [dict(g) for g in GROUPS]
        bad[3]["age_group"] = "12-17"
        self.assertError(self.put(url, {"groups": bad}, as_user="ytephucxa"), 422,
                         mentions="age_group")
        self.assertError(self.put(url, {"groups": []}, as_user="ytephucxa"), 422,
                         mentions="groups")
        self.assertError(self.put(url, {"groups": GROUPS * 4}, as_user="ytephucxa"), 422,
                         mentions="groups")                        # over the cap of 16
        self.assertError(self.put(url, {"groups": GROUPS + GROUPS[:1]}, as_user="ytephucxa"),
                         422, mentions="age_group")                 # a group twice
        for user in ("trucbach", "todan1", "nguoidan"):
            self.assertError(self.put(url, {"groups": GROUPS}, as_user=user), 404, msg=user)
        self.assertError(self.put(url, {"groups": GROUPS}), 401)
        self.assertError(self.put("/api/v1/units/00001/vaccination/24-10-2021",
                                  {"groups": GROUPS}, as_user="ytephucxa"), 400,
                         mentions="week_end")
        r = self.get(url)
        self.assertStatus(r, 200)
        self.assertEqual(r.json["groups"], [], "nothing stored by the failures")

        r = self.put(url, {"groups": GROUPS}, as_user="ytephucxa")
        self.assertStatus(r, 200)
        d = r.json["derived"]
        self.assertAlmostEqual(d["vax1_18plus_pct"], 90.0)
        self.assertAlmostEqual(d["vaxfull_elderly_pct"], 90.0)     # 65+ in October
        self.assertAlmostEqual(d["vaxfull_pct"], 700 / 15)
        self.assertAlmostEqual(d["vaxfull_highrisk_pct"], 40.0)
        r = self.get(url)                                          # public for a commune
        self.assertEqual(len(r.json["groups"]), 5)
        g = {x["age_group"]: x for x in r.json["groups"]}
        self.assertEqual(g["65+"]["booster"], 10)
        self.assertIsNone(g["18+"]["booster"])
        r = self.put("/api/v1/units/00001/vaccination/2021-11-07", {"groups": GROUPS},
                     as_user="phucxa")
        self.assertAlmostEqual(r.json["derived"]["vaxfull_elderly_pct"], 75.0)   # 50+ from November
        self.assertIn(("vaccination.put", "00001"), self.audit_actions("00001"))

    def test_capacity_put_get(self):
        url = "/api/v1/units/00001/capacity/2021-10-24"
        self.assertError(self.get(url), 404)
        body = {"capacity_met": True, "capacity": "medium", "beds_free": 12, "icu_beds_free": 1,
                "oxygen_ready": True, "mobile_teams": 3}
        for change, field in [({"capacity": "huge"}, "capacity"),
                              ({"capacity_met": "yes"}, "capacity_met"),
                              ({"capacity_met": None}, "capacity_met"),
                              ({"beds_free": -1}, "beds_free"),
                              ({"oxygen_ready": 1}, "oxygen_ready")]:
            b = dict(body)
            b.update(change)
            self.assertError(self.put(url, b, as_user="ytephucxa"), 422, "unprocessable",
                             mentions=field, msg=str(change))
        for user in ("trucbach", "todan1", "nguoidan"):
            self.assertError(self.put(url, body, as_user=user), 404, msg=user)
        self.assertError(self.get(url), 404, msg="nothing stored by the failures")
        r = self.put(url, body, as_user="ytephucxa")
        self.assertStatus(r, 200)
        r = self.get(url)
        self.assertStatus(r, 200)
        for k, v in body.items():
            self.assertEqual(r.json[k], v, k)
        self.assertEqual(r.json["updated_by"], "ytephucxa")
        self.assertIn(("capacity.put", "00001"), self.audit_actions("00001"))

    def test_csv_imports(self):
        h = {"Content-Type": "text/csv"}
        good = ("unit_code,week_end,age_group,population,dose1,full_dose,booster\n"
                "00001,2021-11-14,18+,1000,950,700,\n"
                "00001,2021-11-14,50+,400,390,350,12\n")
        bad = good + "00001,2021-11-14,all,1500,1600,700,\n"
        r = self.request("POST", "/api/v1/vaccination/import", raw=bad, headers=h,
                         as_user="ytephucxa")
        self.assertError(r, 422, "unprocessable", mentions=("line 4", "dòng 4"))
        self.assertIn("dose1", r.error_message)
        self.assertEqual(self.get("/api/v1/units/00001/vaccination/2021-11-14").json["groups"], [])
        r = self.request("POST", "/api/v1/vaccination/import", raw=good.replace(",700,", ",x,"),
                         headers=h, as_user="ytephucxa")
        self.assertError(r, 422, mentions="full_dose")
        r = self.request("POST", "/api/v1/vaccination/import", raw="unit_code,week_end,colour\n",
                         headers=h, as_user="ytephucxa")
        self.assertError(r, 422, mentions="colour")
        r = self.request("POST", "/api/v1/vaccination/import", raw=good, headers={},
                         as_user="ytephucxa")
        self.assertError(r, 415)
        many = "unit_code,week_end,age_group,population,dose1,full_dose\n" + \
            "00001,2021-11-21,all,10,1,1\n" * 20001             # over the 20,000-row cap
        r = self.request("POST", "/api/v1/vaccination/import", raw=many, headers=h,
                         as_user="ytephucxa")
        self.assertError(r, 413, "too_large", mentions="20000")
        r = self.request("POST", "/api/v1/vaccination/import", raw=good, headers=h,
                         as_user="ytephucxa")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["stored"], 2)
        r = self.get("/api/v1/units/00001/vaccination/2021-11-14")
        self.assertAlmostEqual(r.json["derived"]["vaxfull_elderly_pct"], 87.5)

        cap = ("unit_code,week_end,capacity_met,capacity,beds_free,oxygen_ready\n"
               "00001,2021-11-14,1,high,20,1\n"
               "00004,2021-11-14,0,low,,0\n")
        r = self.request("POST", "/api/v1/capacity/import", raw=cap, headers=h, as_user="phucxa")
        self.assertError(r, 404, mentions=("line 3", "dòng 3"))
        self.assertError(self.get("/api/v1/units/00001/capacity/2021-11-14"), 404)
        r = self.request("POST", "/api/v1/capacity/import", raw=cap.replace(",low,", ",mid,"),
                         headers=h, as_user="admin")
        self.assertError(r, 422, mentions="capacity")
        self.assertIn("3", r.error_message)
        r = self.request("POST", "/api/v1/capacity/import", raw=cap.replace("1,high", "yes,high"),
                         headers=h, as_user="admin")
        self.assertError(r, 422, mentions="capacity_met")
        r = self.request("POST", "/api/v1/capacity/import", raw=cap, headers=h, as_user="admin")
        self.assertStatus(r, 200)
        r = self.get("/api/v1/units/00004/capacity/2021-11-14")
        self.assertEqual((r.json["capacity_met"], r.json["capacity"], r.json["beds_free"],
                          r.json["oxygen_ready"]), (False, "low", None, False))


if __name__ == "__main__":
    main()
