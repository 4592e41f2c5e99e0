#!/usr/bin/env python3
"""
DHIS2 export of weekly aggregates: GET
/api/v1/exchange/dataValueSets.json and .adx, and `thichung export dhis2`.

Readings of docs/api.md this file relies on:
- ?unit=CODE&from=YYYY-MM-DD&to=YYYY-MM-DD[&children=true]: officials
  (admin, province, district and commune officers) whose scope holds the
  unit; others 403, anonymous 401, a unit out of scope 404.  The weeks are
  the ISO weeks (Monday..Sunday) whose Sunday lies in [from, to], at most
  two years; a hamlet or household is 422; bad parameters 400 naming them.
- For the unit and, with children, each of its public children, every week
  carries THC_CASES, THC_COMMUNITY_CASES, THC_OXYGEN_CASES, THC_DEATHS (the
  figures of GET /units/{code}/weekly, zeros included), THC_POPULATION, and
  THC_LEVEL when a decided level is in force on the week's Sunday (as the
  level map shows it), with the default mapping (data/dhis2/mapping.json:
  dataSet THC_COVID_WEEKLY, thichung's own unit codes).  Periods: "2021W42"
  in JSON, "2021-10-18/P7D" in ADX.  Values are strings in JSON.
- `thichung export dhis2 --db … --format json|adx --unit … --from … --to …
  [--children] [--mapping FILE]` prints the same document.
"""

import datetime
import json
import os
import xml.etree.ElementTree as ET

from harness import ServerTestCase, cli, main

JSON = "/api/v1/exchange/dataValueSets.json"
ADX = "/api/v1/exchange/dataValueSets.adx"
NS = "{urn:ihe:qrph:adx:2015}"
ELEMENTS = {"THC_CASES": "cases", "THC_COMMUNITY_CASES": "community_cases",
            "THC_OXYGEN_CASES": "oxygen_cases", "THC_DEATHS": "deaths",
            "THC_POPULATION": "population"}
Q = "?unit=001&from=2021-10-11&to=2021-10-24&children=true"


def iso_period(day):
    y, w, _ = datetime.date.fromisoformat(day).isocalendar()
    return "%dW%d" % (y, w)


def json_values(doc):
    return {(v["orgUnit"], v["period"], v["dataElement"]): v["value"] for v in doc["dataValues"]}


def adx_values(text):
    root = ET.fromstring(text)
    assert root.tag == NS + "adx", root.tag
    out = {}
    for g in root.findall(NS + "group"):
        start, dur = g.get("period").split("/")
        assert dur == "P7D", g.get("period")
        assert datetime.date.fromisoformat(start).isoweekday() == 1
        assert g.get("dataSet") == "THC_COVID_WEEKLY"
        for v in g.findall(NS + "dataValue"):
            out[(g.get("orgUnit"), iso_period(start), v.get("dataElement"))] = v.get("value")
    return out


class ExchangeTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        tok = cls.token("admin")

        def case(hamlet, day, name, **kw):
            body = {"person": {"full_name": name, "unit_code": hamlet}, "detected_on": day,
                    "source": kw.pop("source", "community"), "test_type": "rt-pcr"}
            body.update(kw)
            r = cls.server.request("POST", "/api/v1/cases", body=body, token=tok)
            assert r.status == 201, r.describe()
            return r.json["id"]

        case("00001-001", "2021-10-12", "Ca Một")
        case("00001-001", "2021-10-13", "Ca Hai", severity="moderate")
        case("00001-001", "2021-10-14", "Ca Ba", source="quarantine")
        died = case("00004-001", "2021-10-19", "Ca Bốn", severity="severe")
        r = cls.server.request("PATCH", "/api/v1/cases/%d" % died, token=tok,
                               body={"outcome": "died", "outcome_on": "2021-10-22"})
        assert r.status == 200, r.describe()
        r = cls.server.request("POST", "/api/v1/units/00001/levels", token=tok,
                               body={"week_end": "2021-10-17", "level": 2, "reason": "thử DHIS2"})
        assert r.status in (200, 201), r.describe()

    def expected(self, unit, children=True, frm="2021-10-11", to="2021-10-24"):
        """What the weekly figures and the level map say, keyed like the export."""
        units = [unit]
        if children:
            r = self.get("/api/v1/levels?date=%s&parent=%s" % (to, unit))
            self.assertStatus(r, 200)
            units += [i["code"] for i in r.json["items"]]
        want = {}
        for code in units:
            r = self.get("/api/v1/units/%s/weekly?from=%s&to=%s" % (code, frm, to))
            self.assertStatus(r, 200)
            for item in r.json["items"]:
                period = iso_period(item["week_end"])
                for el, name in ELEMENTS.items():
                    if item[name] is not None:
                        want[(code, period, el)] = str(item[name])
        parents = {u: (self.get("/api/v1/units/" + u).json["parent_code"]) for u in units}
        for week_end in sorted({k[1] for k in want}):
            day = datetime.date.fromisocalendar(int(week_end[:4]), int(week_end[5:]), 7).isoformat()
            for code in units:
                r = self.get("/api/v1/levels?date=%s&parent=%s" % (day, parents[code] or ""))
                lv = [i["level"] for i in r.json["items"] if i["code"] == code]
                if lv and lv[0]:
                    want[(code, week_end, "THC_LEVEL")] = str(lv[0])
        return want

    def test_json_matches_the_weekly_figures(self):
        r = self.get(JSON + Q, as_user="admin")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["dataSet"], "THC_COVID_WEEKLY")
        got = json_values(r.json)
        self.assertEqual(got, self.expected("001"))
        # What the seeded cases make, spelled out.
        self.assertEqual(got[("00001", "2021W41", "THC_CASES")], "3")
        self.assertEqual(got[("00001", "2021W41", "THC_COMMUNITY_CASES")], "2")
        self.assertEqual(got[("00001", "2021W41", "THC_OXYGEN_CASES")], "1")
        self.assertEqual(got[("00004", "2021W42", "THC_DEATHS")], "1")
        self.assertEqual(got[("001", "2021W41", "THC_CASES")], "3")
        self.assertEqual(got[("001", "2021W42", "THC_CASES")], "1")
        self.assertEqual(got[("00001", "2021W42", "THC_LEVEL")], "2")
        self.assertNotIn(("00001", "2021W41", "THC_LEVEL"), got)
        self.assertTrue(all(isinstance(v["value"], str) for v in r.json["dataValues"]))
        # No personal data: no name of the seeded cases anywhere.
        self.assertNotIn("Ca M", r.raw.decode("utf-8"))

    def test_adx_is_the_same_figures(self):
        j = self.get(JSON + Q, as_user="hanoi")
        r = self.get(ADX + Q, as_user="hanoi")
        self.assertEqual(r.status, 200, r.describe())
        self.assertEqual(r.headers.get("content-type"), "application/adx+xml; charset=utf-8")
        text = r.raw.decode("utf-8")
        self.assertNotIn("P1W", text)
        self.assertEqual(adx_values(r.raw), json_values(j.json))

    def test_without_children_and_a_commune(self):
        r = self.get(JSON + "?unit=00001&from=2021-10-11&to=2021-10-24", as_user="phucxa")
        self.assertStatus(r, 200)
        got = json_values(r.json)
        self.assertEqual({k[0] for k in got}, {"00001"})
        self.assertEqual(got, self.expected("00001", children=False))

    def test_week_53_and_the_new_year(self):
        # The weeks whose Sunday lies in [from, to]: 2020-12-28 is a Monday.
        r = self.get(JSON + "?unit=00001&from=2020-12-28&to=2021-01-10", as_user="admin")
        self.assertStatus(r, 200)
        self.assertEqual(sorted({v["period"] for v in r.json["dataValues"]}),
                         ["2020W53", "2021W1"])
        r = self.get(ADX + "?unit=00001&from=2020-12-28&to=2021-01-10", as_user="admin")
        periods = {g.get("period") for g in ET.fromstring(r.raw).findall(NS + "group")}
        self.assertEqual(periods, {"2020-12-28/P7D", "2021-01-04/P7D"})

    def test_who_may(self):
        path = JSON + "?unit=001&from=2021-10-11&to=2021-10-24"
        self.assertError(self.get(path), 401, "unauthorized")
        self.assertError(self.get(path, as_user="ytephucxa"), 403, "forbidden")
        self.assertError(self.get(path, as_user="todan1"), 403, "forbidden")
        # A commune officer may not export the district, nor another commune.
        self.assertError(self.get(path, as_user="phucxa"), 404, "not_found")
        self.assertError(self.get(JSON + "?unit=00004&from=2021-10-11&to=2021-10-24",
                                  as_user="phucxa"), 404, "not_found")
        self.assertError(self.get(path.replace("001", "79", 1), as_user="hanoi"), 404, "not_found")
        self.assertStatus(self.get(path, as_user="badinh"), 200)

    def test_bad_parameters(self):
        cases = [("?from=2021-10-11&to=2021-10-24", 400, "unit", "unit"),
                 ("?unit=001&from=2021-13-01&to=2021-10-24", 400, "from", "from"),
                 ("?unit=001&from=2021-10-11", 400, "to", "to"),
                 ("?unit=001&from=2021-10-24&to=2021-10-11", 400, "to", "to"),
                 ("?unit=001&from=2019-01-01&to=2021-10-24", 400, "to", "2"),
                 ("?unit=001&from=2021-10-11&to=2021-10-24&children=yes", 400, "children",
                  "children"),
                 ("?unit=00001-001&from=2021-10-11&to=2021-10-24", 422, "unit", "00001-001")]
        for q, status, field, says in cases:
            for path in (JSON, ADX):
                e = self.assertError(self.get(path + q, as_user="admin"), status, field=field)
                self.assertIn(says, e["message"])
        e = self.assertError(self.get(JSON + "?unit=001&from=x&to=2021-10-24", as_user="admin",
                                      headers={"Accept-Language": "en"}), 400, field="from")
        self.assertIn("YYYY-MM-DD", e["message"])

    def test_cli_prints_the_same(self):
        r = self.get(JSON + Q, as_user="admin")
        rc, out, err = cli("export", "dhis2", "--db", self.server.db, "--format", "json",
                           "--unit", "001", "--from", "2021-10-11", "--to", "2021-10-24",
                           "--children")
        self.assertEqual(rc, 0, err)
        self.assertEqual(json.loads(out), r.json)
        rc, out, err = cli("export", "dhis2", "--db", self.server.db, "--format", "adx",
                           "--unit", "001", "--from", "2021-10-11", "--to", "2021-10-24",
                           "--children")
        self.assertEqual(rc, 0, err)
        self.assertEqual(adx_values(out.encode("utf-8")), json_values(r.json))

    def test_cli_mapping(self):
        path = os.path.join(self.server.dir, "mapping.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump({"dataSet": "VN_COVID", "orgUnits": {"00001": "PhucXa&1"},
                       "dataElements": {"cases": {"dataElement": "CASES",
                                                  "categoryOptionCombo": "cocAll"}}}, f)
        args = ["export", "dhis2", "--db", self.server.db, "--unit", "00001",
                "--from", "2021-10-11", "--to", "2021-10-17", "--mapping", path]
        rc, out, err = cli(*args, "--format", "json")
        self.assertEqual(rc, 0, err)
        self.assertEqual(json.loads(out), {"dataSet": "VN_COVID", "dataValues": [
            {"dataElement": "CASES", "categoryOptionCombo": "cocAll", "period": "2021W41",
             "orgUnit": "PhucXa&1", "value": "3"}]})
        rc, out, err = cli(*args, "--format", "adx")
        self.assertEqual(rc, 0, err)
        self.assertIn('orgUnit="PhucXa&amp;1" period="2021-10-11/P7D"', out)
        self.assertIn('<dataValue dataElement="CASES" categoryOptionCombo="cocAll" value="3"/>', out)
        with open(path, "w", encoding="utf-8") as f:
            json.dump({"dataSet": "VN_COVID", "dataElements": {"vaccinated": {"dataElement": "V"}}}, f)
        rc, out, err = cli(*args, "--format", "json")
        self.assertEqual((rc, out), (2, ""))
        self.assertIn("dataElements.vaccinated", err)
        self.assertIn("no such indicator", err)

    def test_cli_usage(self):
        base = ["export", "dhis2", "--db", self.server.db, "--unit", "001", "--from",
                "2021-10-11", "--to", "2021-10-24"]
        rc, out, err = cli(*base, "--format", "xml")
        self.assertEqual((rc, out), (2, ""))
        self.assertIn("--format json|adx", err)
        rc, out, err = cli(*base[:-2], "--format", "json")
        self.assertEqual((rc, out), (2, ""))
        rc, out, err = cli("export", "dhis2", "--db", self.server.db, "--format", "json",
                           "--unit", "99999", "--from", "2021-10-11", "--to", "2021-10-24")
        self.assertEqual((rc, out), (2, ""))
        self.assertIn("99999", err)


if __name__ == "__main__":
    main()
