"""
Epidemic levels over HTTP: the public map data, published-level imports,
decisions with reasons, history, changes, measures.

The demo database already holds the real published levels
(data/levels_published.csv), so the national maps of those dates show.
"""

import csv
import io
import os

from harness import DATA_DIR, ServerTestCase, main

PUBLISHED = os.path.join(DATA_DIR, "levels_published.csv")

# Provinces per level 1..4, as the sources state them (see data/SOURCES.md).
TALLIES = {
    "2021-10-22": (26, 37, 0, 0), "2021-10-24": (22, 41, 0, 0),
    "2022-01-22": (33, 24, 6, 0), "2022-02-06": (41, 22, 0, 0),
    "2022-02-09": (48, 15, 0, 0), "2022-02-22": (45, 18, 0, 0),
    "2022-03-01": (39, 19, 5, 0),
}


class LevelsTest(ServerTestCase):

    def counts(self, date, parent=None):
        q = "/api/v1/levels?date=" + date + ("&parent=" + parent if parent else "")
        r = self.get(q)
        self.assertStatus(r, 200)
        c = r.json["counts"]
        return (c["1"], c["2"], c["3"], c["4"]), r.json

    def test_national_tallies_of_published_dates(self):
        for date, want in TALLIES.items():
            got, body = self.counts(date)
            self.assertEqual(got, want, date)
            self.assertEqual(len(body["items"]), 63)
            self.assertEqual(body["counts"]["none"], 0)
        # A later date keeps the latest published map in force.
        self.assertEqual(self.counts("2022-03-05")[0], TALLIES["2022-03-01"])
        # Before any publication nothing is decided.
        got, body = self.counts("2021-10-01")
        self.assertEqual(got, (0, 0, 0, 0))
        self.assertEqual(body["counts"]["none"], 63)

    def test_items_carry_colour_and_source(self):
        _, body = self.counts("2022-01-22")
        hn = next(i for i in body["items"] if i["code"] == "01")
        self.assertEqual(hn["level"], 2)
        self.assertEqual(hn["colour"], "yellow")
        self.assertEqual(hn["effective_from"], "2022-01-22")
        self.assertEqual(hn["source"], "import")
        colours = {i["level"]: i["colour"] for i in body["items"]}
        self.assertEqual(colours.get(1), "green")
        self.assertEqual(colours.get(3), "orange")
        legend = body["legend"]
        self.assertEqual([l["colour"] for l in legend], ["green", "yellow", "orange", "red"])
        for l in legend:
            self.assertTrue(l["name"]["vi"] and l["name"]["en"])
            self.assertTrue(l["measures"], "measures of level %d" % l["level"])
            for m in l["measures"]:
                self.assertTrue(m["vi"] and m["en"] and m["area"])

    def test_drill_down_hcmc_districts(self):
        got, body = self.counts("2022-01-22", parent="79")
        self.assertEqual(got, (21, 1, 0, 0))
        self.assertEqual(body["parent"]["code"], "79")
        nb = [i for i in body["items"] if i["level"] == 2]
        self.assertEqual([i["name"] for i in nb], ["Huyện Nhà Bè"])

    def test_public_and_validated(self):
        r = self.get("/api/v1/levels?date=2022-13-01")
        self.assertError(r, 400, "invalid", mentions="date")
        r = self.get("/api/v1/levels?parent=99999")
        self.assertError(r, 404, "not_found")
        r = self.get("/api/v1/levels")          # today: answers, whatever is in force
        self.assertStatus(r, 200)
        self.assertRegex(r.json["date"], r"^\d{4}-\d{2}-\d{2}$")
        # No personal data on the public endpoint.
        self.assertNotIn("by", r.raw.decode("utf-8"))

    def test_import_api_is_idempotent_and_scoped(self):
        with open(PUBLISHED, encoding="utf-8") as f:
            text = f.read()
        h = {"Content-Type": "text/csv"}
        r = self.request("POST", "/api/v1/levels/import", raw=text, headers=h, as_user="admin")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["inserted"], 0, "the demo already loaded this file")
        # A province officer may not publish another province's levels.
        one = "date,unit_code,level\n2022-03-08,01,2\n"
        r = self.request("POST", "/api/v1/levels/import", raw=one, headers=h, as_user="hcm")
        self.assertError(r, 404, "not_found", mentions=("line 2", "dòng 2"))
        self.assertEqual(self.counts("2022-03-08")[0], TALLIES["2022-03-01"])
        # One bad line stores nothing and is named.
        bad = "date,unit_code,level\n2022-03-08,79,2\n2022-03-08,01,7\n"
        r = self.request("POST", "/api/v1/levels/import", raw=bad, headers=h, as_user="admin")
        self.assertError(r, 422, "unprocessable", mentions=("line 3", "dòng 3"))
        self.assertEqual(self.counts("2022-03-08")[0], TALLIES["2022-03-01"])
        bad = "date,unit_code,level,colour\n2022-03-08,79,2,red\n"
        r = self.request("POST", "/api/v1/levels/import", raw=bad, headers=h, as_user="admin")
        self.assertError(r, 422, "unprocessable", mentions="colour")
        r = self.request("POST", "/api/v1/levels/import", raw=one, headers={}, as_user="admin")
        self.assertError(r, 415)
        r = self.request("POST", "/api/v1/levels/import", raw=one, headers=h)
        self.assertError(r, 401)

    def test_import_of_many_rows_in_batches(self):
        # Every commune of Quảng Ninh for two weeks: more rows than one
        # statement takes, a row repeated, then the file again.
        with open(os.path.join(DATA_DIR, "units.csv"), encoding="utf-8") as f:
            units = list(csv.DictReader(f))
        districts = [u["code"] for u in units if u["level"] == "district" and u["parent_code"] == "22"]
        communes = [(u["code"], u["parent_code"]) for u in units
                    if u["level"] == "commune" and u["parent_code"] in districts]
        self.assertEqual(len(communes), 177)
        h = {"Content-Type": "text/csv"}
        lines = ["date,unit_code,level"]
        want = {}
        for date in ("2022-06-02", "2022-06-09"):
            for i, (code, district) in enumerate(communes):
                level = 1 + (i + len(date) + int(date[-1])) % 4
                lines.append("%s,%s,%d" % (date, code, level))
                want.setdefault((date, district), [0, 0, 0, 0])[level - 1] += 1
        text = "\n".join(lines + [lines[1]]) + "\n"
        r = self.request("POST", "/api/v1/levels/import", raw=text, headers=h, as_user="quangninh")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["inserted"], 2 * 177, "the repeated row is stored once")
        for (date, district), tally in want.items():
            got, body = self.counts(date, parent=district)
            self.assertEqual(got, tuple(tally), (date, district))
            self.assertEqual(body["counts"]["none"], 0, (date, district))
        r = self.request("POST", "/api/v1/levels/import", raw=text, headers=h, as_user="quangninh")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["inserted"], 0, "the same file again")
        # A unit that does not exist on line 251 of 300: nothing is stored.
        bad = ["date,unit_code,level"] + ["2022-06-16,%s,4" % c for c, _ in communes[:177]] + \
              ["2022-06-16,%s,4" % c for c, _ in communes[:122]]
        bad[250] = "2022-06-16,99999,4"
        r = self.request("POST", "/api/v1/levels/import", raw="\n".join(bad) + "\n", headers=h,
                         as_user="quangninh")
        self.assertError(r, 422, "unprocessable", mentions=("line 251", "99999"))
        for (date, district), tally in want.items():
            if date == "2022-06-09":
                got, _ = self.counts("2022-06-16", parent=district)
                self.assertEqual(got, tuple(tally), district)

    def test_decide_with_reason_history_and_changes(self):
        # Without a computed level, a decision needs a level and a reason.
        r = self.post("/api/v1/units/00004/levels", {"week_end": "2022-03-10"},
                      as_user="trucbach")
        self.assertError(r, 422, "unprocessable", mentions="level")
        r = self.post("/api/v1/units/00004/levels", {"week_end": "2022-03-10", "level": 3},
                      as_user="trucbach")
        self.assertError(r, 422, "unprocessable", mentions="reason")
        r = self.post("/api/v1/units/00004/levels",
                      {"week_end": "2022-03-10", "level": 3, "reason": "ổ dịch tại chợ"},
                      as_user="trucbach")
        self.assertStatus(r, 201)
        self.assertEqual(r.json["effective_from"], "2022-03-11")
        self.assertEqual((r.json["unit_code"], r.json["unit_name"]), ("00004", "Phường Trúc Bạch"))
        # Another commune's officer cannot decide here; a citizen cannot either.
        r = self.post("/api/v1/units/00004/levels",
                      {"week_end": "2022-03-10", "level": 1, "reason": "x"}, as_user="phucxa")
        self.assertError(r, 404)
        r = self.post("/api/v1/units/00004/levels",
                      {"week_end": "2022-03-10", "level": 1, "reason": "x"}, as_user="nguoidan")
        self.assertError(r, 404, "not_found")     # 00004 is outside the citizen's household
        r = self.post("/api/v1/units/00004/levels",
                      {"week_end": "2022-03-10", "level": 9, "reason": "x"}, as_user="trucbach")
        self.assertError(r, 422, mentions="level")
        r = self.post("/api/v1/units/00004/levels",
                      {"week_end": "10/03/2022", "level": 2, "reason": "x"}, as_user="trucbach")
        self.assertError(r, 422, mentions="week_end")
        # The district map shows it from the effective date on.
        got, body = self.counts("2022-03-11", parent="001")
        tb = next(i for i in body["items"] if i["code"] == "00004")
        self.assertEqual(tb["level"], 3)
        self.assertEqual(tb["colour"], "orange")
        got, body = self.counts("2022-03-10", parent="001")
        self.assertIsNone(next(i for i in body["items"] if i["code"] == "00004")["level"])
        # History names who decided and why, to the officials in scope; the
        # public sees the decision and its reason, not who made it.
        r = self.get("/api/v1/units/00004/levels", as_user="trucbach")
        self.assertStatus(r, 200)
        d = r.json["items"][0]
        self.assertEqual((d["kind"], d["level"], d["reason"], d["by"]),
                         ("decision", 3, "ổ dịch tại chợ", "trucbach"))
        r = self.get("/api/v1/units/00004/levels")
        self.assertStatus(r, 200)
        d = r.json["items"][0]
        self.assertEqual((d["kind"], d["level"], d["reason"], d["by"]),
                         ("decision", 3, "ổ dịch tại chợ", None))
        self.assertNotIn("trucbach", r.raw.decode("utf-8"))
        # Changes this week.
        r = self.get("/api/v1/levels/changes?date=2022-03-11&parent=001")
        self.assertStatus(r, 200)
        self.assertIn({"code": "00004", "name": "Phường Trúc Bạch", "before": None, "after": 3},
                      r.json["items"])
        # Audited.
        r = self.get("/api/v1/audit?unit=00004", as_user="badinh")
        self.assertTrue(any(e["action"] == "level.decide" and e["after"]["level"] == 3
                            for e in r.json["items"]))

    def test_indicators_assess_and_confirm(self):
        csv_text = ("unit_code,population,cases_week,cases_prev_week,vax1_18plus_pct,"
                    "vaxfull_elderly_pct,capacity_met\n"
                    "79,9145000,6635,6815,99,92,1\n"
                    "760,142000,10,12,99,95,1\n"
                    "26734,20000,,,99,95,1\n")
        h = {"Content-Type": "text/csv"}
        url = "/api/v1/levels/indicators?week_end=2021-10-21"
        r = self.request("POST", url, raw=csv_text, headers=h, as_user="hcm")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["stored"], 3)
        # The city's weeks end on Thursdays: a Sunday is refused at the field, the line
        # named, nothing stored; Hà Nội's (the national rule set) end on Sundays.
        en = dict(h, **{"Accept-Language": "en"})
        r = self.request("POST", "/api/v1/levels/indicators?week_end=2021-10-24",
                         raw="unit_code,population\n760,100\n26734,200\n", headers=en,
                         as_user="hcm")
        e = self.assertError(r, 422, field="week_end")
        for word in ("line 2", "2021-10-24 is a Sunday", "qd4800-2021-hcm", "end on a Thursday"):
            self.assertIn(word, e["message"])
        r = self.request("POST", "/api/v1/levels/assess", body={"week_end": "2021-10-24",
                         "unit": "760", "rules": "qd4800-2021"}, as_user="hcm")
        self.assertEqual(r.json["items"], [], "nothing of the refused week was stored")
        r = self.post("/api/v1/levels/indicators",
                      {"week_end": "2021-10-21", "items": [{"unit_code": "00001"}]}, as_user="admin",
                      headers={"Accept-Language": "vi"})
        e = self.assertError(r, 422, field="week_end")
        for word in ("mục 1: ", "2021-10-21 là thứ Năm", "'qd4800-2021'", "kết thúc vào Chủ nhật"):
            self.assertIn(word, e["message"])
        r = self.post("/api/v1/levels/indicators",
                      {"week_end": "2021-10-24", "items": [{"unit_code": "00001"}]}, as_user="admin")
        self.assertStatus(r, 200)
        # Out of scope, bad values: nothing stored, the line is named.
        r = self.request("POST", url, raw="unit_code,population\n00001,100\n", headers=h,
                         as_user="hcm")
        self.assertError(r, 404, mentions=("line 2", "dòng 2"))
        r = self.request("POST", url, raw="unit_code,population,cases_week\n760,100,-4\n",
                         headers=h, as_user="hcm")
        self.assertError(r, 422, mentions="cases_week")
        r = self.post("/api/v1/levels/indicators",
                      {"week_end": "2021-10-21", "items": [{"unit_code": "760", "capacity": "huge"}]},
                      as_user="hcm")
        self.assertError(r, 422, mentions="capacity")
        r = self.request("POST", url, raw="unit_code,population\n760,100\n", headers=h,
                         as_user="nguoidan")
        self.assertError(r, 404)

        r = self.post("/api/v1/levels/assess",
                      {"week_end": "2021-10-21", "unit": "79", "rules": "qd4800-2021"},
                      as_user="hcm")
        self.assertStatus(r, 200)
        by = {i["unit_code"]: i for i in r.json["items"]}
        self.assertEqual(by["79"]["level"], 2)
        self.assertAlmostEqual(by["79"]["cases_per_100k"], 73.5, places=1)
        self.assertIn("73,5", by["79"]["explanation"]["vi"])
        self.assertIn("73.5", by["79"]["explanation"]["en"])
        self.assertEqual(by["760"]["level"], 1)
        self.assertIsNone(by["26734"]["level"], "missing cases: not assessable")
        self.assertIn("cases_week", by["26734"]["missing"])
        r = self.post("/api/v1/levels/assess", {"week_end": "2021-10-21", "unit": "79",
                                                "rules": "nope"}, as_user="hcm")
        self.assertError(r, 422, mentions="rules")
        r = self.post("/api/v1/levels/assess", {"week_end": "2021-10-21", "unit": "01"},
                      as_user="hcm")
        self.assertError(r, 404)

        # Confirm the computed level: no reason needed; it is published.
        r = self.post("/api/v1/units/79/levels", {"week_end": "2021-10-21"}, as_user="hcm")
        self.assertStatus(r, 201)
        got, body = self.counts("2021-10-22")
        hcm = next(i for i in body["items"] if i["code"] == "79")
        self.assertEqual(hcm["level"], 2)
        r = self.get("/api/v1/units/79/levels")
        self.assertStatus(r, 200)
        self.assertNotIn("assessment", [i["kind"] for i in r.json["items"]],
                         "only decided levels are public")
        self.assertNotIn("hcm", [i["by"] for i in r.json["items"]])
        r = self.get("/api/v1/units/79/levels", as_user="hcm")
        kinds = [(i["kind"], i.get("week_end")) for i in r.json["items"][:4]]
        self.assertIn(("assessment", "2021-10-21"), kinds)
        a = next(i for i in r.json["items"] if i["kind"] == "assessment")
        self.assertEqual(a["rule_set"], "qd4800-2021")
        self.assertTrue(a["explanation"]["vi"].startswith("Cấp 2"))
        d = next(i for i in r.json["items"] if i["kind"] == "decision" and i["week_end"] == "2021-10-21")
        self.assertEqual((d["level"], d["computed_level"]), (2, 2))

    def assess_rows(self, user, unit, week_end, rules, csv_text):
        h = {"Content-Type": "text/csv"}
        r = self.request("POST", "/api/v1/levels/indicators?week_end=" + week_end,
                         raw=csv_text, headers=h, as_user=user)
        self.assertStatus(r, 200)
        r = self.post("/api/v1/levels/assess",
                      {"week_end": week_end, "unit": unit, "rules": rules}, as_user=user)
        self.assertStatus(r, 200)
        return {i["unit_code"]: i for i in r.json["items"]}

    def test_worked_examples_of_the_rules_page(self):
        """The public worked examples (docs/levels.md) through the API."""
        # Ho Chi Minh City, ≈15-10-2021: ≈150 per 100,000 per week, > 98 % one dose -> 3.
        by = self.assess_rows("hcm", "79", "2021-10-21", "qd4800-2021",
                              "unit_code,population,cases_week,cases_prev_week,"
                              "vax1_18plus_pct,vaxfull_elderly_pct,capacity_met\n"
                              "79,9145000,13800,13700,98.5,85,1\n")
        self.assertEqual(by["79"]["level"], 3)
        # Long An, 24-10-2021: 65+ full-dose share 51.59 % -> one level up (2), cases low.
        self.post("/api/v1/units/80/levels", {"week_end": "2021-10-17", "level": 1,
                                              "reason": "x"}, as_user="admin")
        by = self.assess_rows("admin", "80", "2021-10-24", "qd4800-2021",
                              "unit_code,population,cases_week,cases_prev_week,"
                              "vax1_18plus_pct,vaxfull_elderly_pct,capacity_met\n"
                              "80,1688547,150,170,99,51.59,1\n")
        self.assertEqual(by["80"]["level"], 2)
        self.assertIn("51", by["80"]["explanation"]["en"])
        # Decision 218, 14-02-2022, HCMC wards: transmission 2 + medium capacity -> 2,
        # transmission 3 + high capacity -> 2; deaths > 6 per 100,000 -> one level up;
        # vaccination missed -> one level up.
        header = ("unit_code,population,cases_week,cases_prev_week,oxygen_cases_week,"
                  "deaths_week,vaxfull_pct,vaxfull_highrisk_pct,capacity\n")
        by = self.assess_rows("hcm", "760", "2022-02-13", "qd218-2022", header +
                              "26734,100000,50,50,0,0,80,95,medium\n"
                              "26737,100000,200,200,0,0,80,95,high\n"
                              "26740,10000,1,1,0,1,80,95,high\n"
                              "26743,100000,1,1,0,0,60,95,medium\n")
        self.assertEqual(by["26734"]["level"], 2, by["26734"]["explanation"]["en"])
        self.assertEqual(by["26737"]["level"], 2, by["26737"]["explanation"]["en"])
        self.assertEqual(by["26740"]["level"], 2, by["26740"]["explanation"]["en"])
        self.assertEqual(by["26743"]["level"], 2, by["26743"]["explanation"]["en"])
        self.assertEqual({i["rule_set"] for i in by.values()}, {"qd218-2022"})

    def test_assess_from_surveillance_records(self):
        """Levels computed from the stored cases and weekly coverage."""
        for i in range(5):
            r = self.post("/api/v1/cases", {
                "person": {"full_name": "Người bệnh %d" % i, "id_number": "0010900100%02d" % i,
                           "birth_year": 1980, "sex": "female", "unit_code": "00001-002"},
                "detected_on": "2021-11-%02d" % (8 + i), "source": "community",
                "test_type": "rt-pcr"}, as_user="phucxa")
            self.assertStatus(r, 201)
        r = self.post("/api/v1/cases", {
            "person": {"full_name": "Người cách ly", "id_number": "001090010099",
                       "birth_year": 1990, "sex": "male", "unit_code": "00001-002"},
            "detected_on": "2021-11-09", "source": "quarantine", "test_type": "rt-pcr"},
            as_user="phucxa")
        self.assertStatus(r, 201)
        body = {"week_end": "2021-11-14", "unit": "00001", "source": "surveillance",
                "rules": "qd4800-2021"}
        r = self.post("/api/v1/levels/assess", body, as_user="phucxa")
        self.assertStatus(r, 200)
        item = r.json["items"][-1]
        self.assertEqual(item["unit_code"], "00001")
        self.assertIsNone(item["level"], "no vaccination figures yet: not assessable")
        self.assertIn("vax1_18plus_pct", item["missing"])
        r = self.request("PUT", "/api/v1/units/00001/vaccination/2021-11-14", as_user="phucxa",
                         body={"groups": [
                             {"age_group": "18+", "population": 15000, "dose1": 14000,
                              "full_dose": 12000},
                             {"age_group": "50+", "population": 5000, "dose1": 4800,
                              "full_dose": 4500}]})
        self.assertStatus(r, 200)
        r = self.request("PUT", "/api/v1/units/00001/capacity/2021-11-14", as_user="phucxa",
                         body={"capacity_met": True, "capacity": "medium"})
        self.assertStatus(r, 200)
        r = self.post("/api/v1/levels/assess", body, as_user="phucxa")
        self.assertStatus(r, 200)
        item = r.json["items"][-1]
        # 5 community cases this week, none the week before (the quarantine case does
        # not count): (5 + 0) / 2 / 21,946 × 100,000 = 11.4 -> level 1.
        self.assertEqual(item["level"], 1, item["explanation"]["en"])
        self.assertAlmostEqual(item["cases_per_100k"], 11.39, places=1)
        # Surveillance weeks are Monday-Sunday.
        r = self.post("/api/v1/levels/assess", dict(body, week_end="2021-11-13"), as_user="phucxa")
        self.assertError(r, 422, mentions="week_end")
        r = self.post("/api/v1/levels/assess", dict(body, source="rumours"), as_user="phucxa")
        self.assertError(r, 422, mentions="source")

    def test_assess_from_surveillance_takes_dhis2_reports(self):
        """A commune reporting only through DHIS2: its reported community cases,
        not zero counted from absent case records (docs/levels.md)."""
        def report(period, element, value):
            r = self.post("/api/v1/exchange/dataValueSets", {
                "dataSet": "THC_COVID_WEEKLY", "dataValues": [
                    {"dataElement": element, "period": period, "orgUnit": "00004",
                     "value": str(value)}]}, as_user="trucbach")
            self.assertStatus(r, 200)

        report("2021W44", "THC_COMMUNITY_CASES", 10)      # 01/11..07/11/2021
        report("2021W45", "THC_COMMUNITY_CASES", 30)      # 08/11..14/11/2021
        report("2021W45", "THC_CASES", 45)                # with quarantine cases: not used
        report("2021W46", "THC_CASES", 12)                # no community figure that week
        for week in ("2021-11-14", "2021-11-21"):
            r = self.request("PUT", "/api/v1/units/00004/vaccination/" + week, as_user="trucbach",
                             body={"groups": [
                                 {"age_group": "18+", "population": 8000, "dose1": 7900,
                                  "full_dose": 7500},
                                 {"age_group": "50+", "population": 3000, "dose1": 2950,
                                  "full_dose": 2900}]})
            self.assertStatus(r, 200)
            r = self.request("PUT", "/api/v1/units/00004/capacity/" + week, as_user="trucbach",
                             body={"capacity_met": True, "capacity": "medium"})
            self.assertStatus(r, 200)
        pop = self.get("/api/v1/units/00004").json["population"]
        r = self.post("/api/v1/levels/assess", {"week_end": "2021-11-14", "unit": "001",
                                                "source": "surveillance", "rules": "qd4800-2021"},
                      as_user="badinh")
        self.assertStatus(r, 200)
        rows = {i["unit_code"]: i for i in r.json["items"]}
        tb = rows["00004"]
        self.assertEqual(tb["figures"], "reported")
        self.assertAlmostEqual(tb["cases_per_100k"], (30 + 10) / 2 / pop * 100000, places=1)
        want = 1 if (30 + 10) / 2 / pop * 100000 < 20 else 2 if (30 + 10) / 2 / pop * 100000 < 150 \
            else 3
        self.assertEqual(tb["level"], want, tb["explanation"]["en"])
        # A commune without reports is counted from its records, as before.
        self.assertEqual(rows["00001"]["figures"], "counted")
        # A reported week without its community cases: not assessable, not 0.
        r = self.post("/api/v1/levels/assess", {"week_end": "2021-11-21", "unit": "00004",
                                                "source": "surveillance", "rules": "qd4800-2021"},
                      as_user="trucbach")
        self.assertStatus(r, 200)
        tb = r.json["items"][-1]
        self.assertEqual(tb["unit_code"], "00004")
        self.assertEqual(tb["figures"], "reported")
        self.assertIsNone(tb["level"], tb)
        self.assertIn("cases_week", tb["missing"])
        # Indicators entered by hand are said to be so.
        r = self.post("/api/v1/levels/assess", {"week_end": "2021-11-14", "unit": "00004"},
                      as_user="trucbach")
        if r.status == 200:
            self.assertTrue(all(i["figures"] == "indicators" for i in r.json["items"]))

    def test_history_of_published_levels(self):
        r = self.get("/api/v1/units/79/levels")
        self.assertStatus(r, 200)
        dates = [i["effective_from"] for i in r.json["items"]]
        self.assertEqual(dates, sorted(dates, reverse=True))
        self.assertIn("2022-01-22", dates)
        r = self.get("/api/v1/units/77777/levels")
        self.assertError(r, 404)


def hanoi_2686_rules(dirpath):
    """A rule-set directory with the national sets and a Hanoi variant whose
    districts take their level from their communes' (Decision 2686 style)."""
    import json
    import shutil
    rules = os.path.join(dirpath, "rules")
    os.makedirs(rules, exist_ok=True)
    for name in ("qd4800-2021.json", "qd4800-2021-hcm.json", "qd218-2022.json"):
        shutil.copy(os.path.join(DATA_DIR, "rules", name), rules)
    fact = {"status": "assumption", "note": "test"}
    variant = {
        "format": 1, "id": "hn-2686", "title": {"vi": "Hà Nội", "en": "Hanoi"},
        "sources": [], "applies_to": "01", "extends": "qd4800-2021",
        "effective": dict(fact, **{"from": "2021-11-01"}),
        "scope": {"district": dict(fact, **{
            "method": "children_levels",
            "thresholds": [dict(fact, level=4, children_at_least=4, min_share_pct=30,
                                min_share_inclusive=True)],
            "otherwise": dict(fact, value=1)})},
    }
    with open(os.path.join(rules, "hn-2686.json"), "w", encoding="utf-8") as f:
        json.dump(variant, f)
    return rules


class DistrictFromCommunesTest(ServerTestCase):
    """A district assessed from its communes' levels counts every commune
    below it: one without figures is unknown, and an unknown that could
    change the result leaves the district not assessable."""

    @classmethod
    def setUpClass(cls):
        import tempfile
        from harness import TEST_TMP
        cls.rules_dir = hanoi_2686_rules(tempfile.mkdtemp(prefix="rules-", dir=TEST_TMP))
        cls.server_args = ("--rules-dir", cls.rules_dir)
        super().setUpClass()

    def upload(self, communes, week):
        lines = ["unit_code,population,cases_week,cases_prev_week,vax1_18plus_pct,"
                 "vaxfull_elderly_pct,capacity_met"]
        for code, high in communes:
            c = "500" if high else "0"
            lines.append("%s,10000,%s,%s,%s,90,1" % (code, c, c, "50" if high else "95"))
        r = self.request("POST", "/api/v1/levels/indicators?week_end=" + week,
                         raw="\n".join(lines) + "\n", headers={"Content-Type": "text/csv"},
                         as_user="badinh")
        self.assertStatus(r, 200)

    def assess(self, week):
        r = self.post("/api/v1/levels/assess", {"week_end": week, "unit": "001"}, as_user="badinh")
        self.assertStatus(r, 200)
        return {i["unit_code"]: i for i in r.json["items"]}

    def test_all_communes_count(self):
        with open(os.path.join(DATA_DIR, "units.csv"), encoding="utf-8", newline="") as f:
            communes = [u["code"] for u in csv.DictReader(f) if u["parent_code"] == "001"]
        high = (3 * len(communes) + 9) // 10          # 30 % of them at level 4
        # Every commune has figures: the district is level 4.
        self.upload([(c, i < high) for i, c in enumerate(communes)], "2021-11-07")
        self.upload([("001", False)], "2021-11-07")
        by = self.assess("2021-11-07")
        self.assertEqual(by["001"]["rule_set"], "hn-2686")
        self.assertEqual(by["001"]["level"], 4, by["001"]["explanation"])
        self.assertIn("units below", by["001"]["explanation"]["en"])
        # Three communes have figures, all high: 3 of all the communes is under
        # 30 %, but the others, unknown, could bring it over: not assessable
        # (counting only the communes with figures would say 3 of 3, level 4).
        self.upload([(c, True) for c in communes[:3]], "2021-11-14")
        self.upload([("001", False)], "2021-11-14")
        by = self.assess("2021-11-14")
        self.assertIsNone(by["001"]["level"], by["001"]["explanation"])
        self.assertIn("%d" % len(communes), by["001"]["explanation"]["en"])
        # The unknowns not decisive (5 of 14 high, the rest unknown): level 4.
        self.upload([(c, True) for c in communes[:high]], "2021-11-21")
        self.upload([("001", False)], "2021-11-21")
        self.assertEqual(self.assess("2021-11-21")["001"]["level"], 4)


if __name__ == "__main__":
    main()
