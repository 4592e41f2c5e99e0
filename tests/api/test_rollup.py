"""
Area roll-ups over HTTP: the units below a province or district
for one week (public counts: cases, cases per 100,000, the week before, the
dates of the last assessment and decided level) and the active, overdue and
low-SpO2 isolations per unit below (officials whose scope holds the root).

Cases are entered through the API by the province officer `hanoi`: three in
Phúc Xá (00001, district Ba Đình 001) in the week ending 2021-10-17 (two from
the community, the second of them isolated at home and never checked), one in
Trúc Bạch (00004, Ba Đình) the week before, one in Phúc Tân (00037, Hoàn
Kiếm 002) in the week ending 2021-10-17.
"""

from harness import ServerTestCase, main, population_csv

WEEK, PREV = "2021-10-17", "2021-10-10"


def per100k(community, pop):
    return int(community * 1e6 / pop + 0.5) / 10.0


class RollupTest(ServerTestCase):
    @classmethod
    def make_fixture(cls):
        seq = iter(range(1, 100))

        def case(unit, day, source="community"):
            n = next(seq)
            return cls.fixture_post("/api/v1/cases", {
                "person": {"full_name": "Người gộp %d" % n, "id_number": "00119%07d" % n,
                           "unit_code": unit},
                "detected_on": day, "source": source, "test_type": "rt-pcr"}, "hanoi")

        case("00001", "2021-10-13")
        case("00001", "2021-10-14", "quarantine")
        case("00004", "2021-10-06")
        case("00037", "2021-10-15")
        # Ba Đình's level decided for the week: in force from 2021-10-18.
        cls.fixture_post("/api/v1/units/001/levels", {"week_end": WEEK, "level": 2,
                                                       "reason": "thử gộp"}, "hanoi")
        # An isolation started long ago and never checked: active and overdue.
        p = case("00001", "2021-10-12")["person_id"]
        cls.fixture_post("/api/v1/isolations", {"person_id": p, "kind": "home",
                                                "unit_code": "00001", "started_on": "2021-10-12"},
                         "hanoi")

    def children(self, code, week=WEEK, **kw):
        r = self.get("/api/v1/units/%s/children/weekly?week_end=%s" % (code, week), **kw)
        self.assertStatus(r, 200)
        return {i["code"]: i for i in r.json["items"]}

    def test_districts_of_a_province(self):
        pop = population_csv()
        items = self.children("01")
        self.assertEqual(len(items), 30)              # Hà Nội's 30 districts, every one listed
        bd, hk = items["001"], items["002"]
        self.assertEqual((bd["name"], bd["level"]), ("Quận Ba Đình", "district"))
        self.assertEqual((bd["cases"], bd["community_cases"]), (3, 2))
        self.assertEqual((bd["prev_cases"], bd["prev_community_cases"]), (1, 1))
        self.assertEqual(bd["population"], pop["001"])
        self.assertEqual(bd["cases_per_100k"], per100k(2, pop["001"]))
        self.assertEqual(bd["prev_cases_per_100k"], per100k(1, pop["001"]))
        self.assertEqual((hk["cases"], hk["prev_cases"]), (1, 0))
        self.assertEqual(hk["cases_per_100k"], per100k(1, pop["002"]))
        self.assertEqual(items["003"]["cases"], 0)
        self.assertEqual(items["003"]["cases_per_100k"], 0.0)
        # The decision for the week is in force from the Monday after it.
        self.assertIsNone(bd["last_decided"])
        later = self.children("01", "2021-10-24")
        self.assertEqual(later["001"]["last_decided"], "2021-10-18")
        self.assertEqual((later["001"]["cases"], later["001"]["prev_cases"]), (0, 3))

    def test_communes_of_a_district(self):
        items = self.children("001")
        self.assertEqual(sorted(items)[:3], ["00001", "00004", "00006"])
        self.assertTrue(all(i["level"] == "commune" for i in items.values()))
        self.assertEqual((items["00001"]["cases"], items["00001"]["prev_cases"]), (3, 0))
        self.assertEqual((items["00004"]["cases"], items["00004"]["prev_cases"]), (0, 1))
        r = self.get("/api/v1/units/001/children/weekly?week_end=%s" % WEEK)
        self.assertEqual((r.json["week_end"], r.json["prev_week_end"]), (WEEK, PREV))

    def test_bad_requests(self):
        self.assertError(self.get("/api/v1/units/01/children/weekly?week_end=2021-10-16"),
                         400, mentions="week_end")
        self.assertError(self.get("/api/v1/units/01/children/weekly?week_end=17/10/2021"),
                         400, mentions="week_end")
        self.assertError(self.get("/api/v1/units/00001/children/weekly?week_end=" + WEEK), 400)
        # A hamlet is not public: answered as an unknown code, so nothing tells it exists.
        for code in ("00001-001", "99999"):
            self.assertError(self.get("/api/v1/units/%s/children/weekly?week_end=%s" % (code, WEEK)),
                             404, "not_found")
        # Without week_end: the week of today, a Sunday.
        r = self.get("/api/v1/units/001/children/weekly")
        self.assertStatus(r, 200)
        self.assertRegex(r.json["week_end"], r"^\d{4}-\d{2}-\d{2}$")

    def test_isolations_rollup(self):
        def rollup(unit, user):
            r = self.get("/api/v1/isolations/rollup?unit=" + unit, as_user=user)
            self.assertStatus(r, 200, msg=user)
            return {i["code"]: i for i in r.json["items"]}

        for user in ("badinh", "hanoi", "admin"):
            c = rollup("001", user)["00001"]
            self.assertEqual((c["active"], c["overdue"], c["low_spo2"]), (1, 1, 0), msg=user)
            self.assertEqual(rollup("001", user)["00004"]["active"], 0)
        d = rollup("01", "hanoi")
        self.assertEqual(len(d), 30)
        self.assertEqual((d["001"]["active"], d["001"]["overdue"]), (1, 1))
        # Out of scope or not an official: refused, as for an unknown unit.
        for user, status in (("hcm", 404), ("phucxa", 404), ("ytephucxa", 403), ("nguoidan", 403)):
            r = self.get("/api/v1/isolations/rollup?unit=001", as_user=user)
            self.assertStatus(r, status, msg=user)
            self.assertNotIn("items", r.json or {})
        self.assertStatus(self.get("/api/v1/isolations/rollup?unit=001"), 401)
        self.assertError(self.get("/api/v1/isolations/rollup", as_user="badinh"), 400, mentions="unit")
        self.assertError(self.get("/api/v1/isolations/rollup?unit=001&hours=0", as_user="badinh"),
                         400, mentions="hours")


if __name__ == "__main__":
    main()
