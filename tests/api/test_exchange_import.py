#!/usr/bin/env python3
"""
DHIS2 import of weekly aggregates: POST /api/v1/exchange/dataValueSets
(JSON), POST /api/v1/exchange/dataValueSets.adx (application/adx+xml) and
`thichung import dhis2 --db … [--mapping FILE] FILE`.

Readings of docs/api.md this file relies on:
- The answer is DHIS2's import summary (`importCount` imported, updated,
  ignored, deleted; `conflicts` with object, property, value, errorCode and
  indexes into dataValues): the API wraps it as DHIS2 does ({"httpStatus",
  "status", "response": summary}), 200, or 409 when there are conflicts;
  the command line prints the summary itself and exits 1 on conflicts.
- All or nothing per file: one conflict and nothing is stored, every value
  counted ignored.  A value equal to the one stored is ignored, so a file
  imported twice reports everything ignored the second time.
- Population is the unit register's: an equal value is ignored, another is
  a conflict (E7619).  Cases, community cases, oxygen cases, deaths and the
  level are stored as reported, and the export gives them back in place of
  the counted figures.
- Weeks are Monday..Sunday: a DHIS2 week of another type (WedW) is E7611,
  and so is Friday (HCMC's Friday..Thursday weeks have no DHIS2 type).
- Officials may import, each org unit of the file in their scope (E7617
  otherwise, 409, nothing stored); others 403, anonymous 401.
- Another system imports with "Authorization: ApiKey <key>", a key of scope
  dhis2 (`thichung apikey add --scope dhis2 [--unit CODE]`): a key of
  another scope, a wrong or revoked one 403; a key bound to a unit imports
  only within it (E7617, 409, nothing stored otherwise); what it stores is
  audited under "apikey:<name>"; it is rate-limited (429, Retry-After).
- An import document is at most 1 MiB (1048576 bytes), JSON or ADX, through
  the API (even when the server's --max-body is larger) and the command
  line: above it 413 (exit 2) with a message naming the limit, nothing
  stored.
- A unit the caller may not write, whoever calls (official or key), is a
  conflict of the summary (E7617, 409), never an error of the request.
- Texts follow Accept-Language: the summary's description and each
  conflict's value are in that one language (English holds no Vietnamese);
  the command line prints both, as it prints every message.
"""

import json
import os
import re
import tempfile

from harness import DATA_DIR, TEST_TMP, Server, ServerTestCase, cli, main, new_database

JSON = "/api/v1/exchange/dataValueSets"
ADX = "/api/v1/exchange/dataValueSets.adx"
ADX_H = {"Content-Type": "application/adx+xml"}
# 2020W53 (28/12/2020..03/01/2021) and 2021W52 (27/12/2021..02/01/2022)
# both cross a new year.
SPAN = "unit=01&from=2020-12-20&to=2022-01-09&children=true"


def values(doc):
    return {(v["orgUnit"], v["period"], v["dataElement"]): v["value"] for v in doc["dataValues"]}


def empty_database(name):
    """A database with the schema, the units and their population only."""
    db = new_database(tempfile.mkdtemp(prefix=name + "-", dir=TEST_TMP))
    for args in (("migrate", "--db", db),
                 ("import", "units", "--db", db, os.path.join(DATA_DIR, "units.csv")),
                 ("import", "population", "--db", db, os.path.join(DATA_DIR, "population.csv"))):
        rc, out, err = cli(*args)
        assert rc == 0, (args, out, err)
    return db


VIETNAMESE = re.compile("[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]",
                        re.I)
MIB = 1 << 20


def padded(doc, size):
    """The document as JSON text of exactly `size` bytes (white space added)."""
    text = json.dumps(doc)
    return (text[:-1] + " " * (size - len(text.encode())) + "}").encode()


class ExchangeImportTest(ServerTestCase):
    # Larger than the import's own cap, so that the cap is the one answering.
    server_args = ("--max-body", 4 * MIB)

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

        case("00001-001", "2020-12-30", "Ca Năm Cũ")             # 2020W53
        case("00001-001", "2021-01-02", "Ca Năm Mới", severity="moderate")
        case("00001-001", "2021-10-13", "Ca Một", source="quarantine")
        cls.keys = {name: cls.new_key(name, scope, *extra) for name, scope, extra in (
            ("Hệ thống DHIS2 Bộ Y tế", "dhis2", ()),
            ("DHIS2 Phúc Xá", "dhis2", ("--unit", "00001")),
            ("DHIS2 chậm", "dhis2", ("--rate", "2")),
            ("Tổng đài Open311", "open311", ()))}
        died = case("00004-001", "2021-12-28", "Ca Hai", severity="severe")   # 2021W52
        r = cls.server.request("PATCH", "/api/v1/cases/%d" % died, token=tok,
                               body={"outcome": "died", "outcome_on": "2022-01-01"})
        assert r.status == 200, r.describe()

    @classmethod
    def new_key(cls, name, scope, *extra):
        rc, out, err = cli("apikey", "add", "--db", cls.server.db, "--name", name,
                           "--scope", scope, *extra)
        assert rc == 0, err
        return out.strip()

    def post_key(self, path, key, doc=None, raw=None, headers=None):
        h = {"Authorization": "ApiKey " + key}
        h.update(headers or {})
        if raw is None:
            return self.request("POST", path, body=doc, headers=h)
        return self.request("POST", path, raw=raw, headers=h)

    def export(self, fmt):
        r = self.get("/api/v1/exchange/dataValueSets.%s?%s" % (fmt, SPAN), as_user="admin")
        self.assertEqual(r.status, 200, r.describe())
        return r

    def cli_import(self, db, text, suffix):
        path = os.path.join(tempfile.mkdtemp(dir=TEST_TMP), "in." + suffix)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        rc, out, err = cli("import", "dhis2", "--db", db, path)
        return rc, json.loads(out) if out.strip() else None, err

    def cli_export(self, db):
        rc, out, err = cli("export", "dhis2", "--db", db, "--format", "json", "--unit", "01",
                           "--from", "2020-12-20", "--to", "2022-01-09", "--children")
        self.assertEqual(rc, 0, err)
        return values(json.loads(out))

    def round_trip(self, fmt, text):
        want = values(self.export("json").json)
        # What the cases make, across both new years.
        # (the province and its districts: Ba Đình holds both communes).
        self.assertEqual(want[("001", "2020W53", "THC_CASES")], "2")
        self.assertEqual(want[("001", "2020W53", "THC_OXYGEN_CASES")], "1")
        self.assertEqual(want[("01", "2020W53", "THC_CASES")], "2")
        self.assertEqual(want[("001", "2021W52", "THC_DEATHS")], "1")
        self.assertEqual(want[("001", "2021W41", "THC_CASES")], "1")
        self.assertEqual(want[("001", "2021W41", "THC_COMMUNITY_CASES")], "0")
        pops = sum(1 for k in want if k[2] == "THC_POPULATION")
        db = empty_database("dhis2-" + fmt)
        before = self.cli_export(db)
        self.assertNotEqual(before, want)
        rc, s, err = self.cli_import(db, text, fmt)
        self.assertEqual(rc, 0, err)
        self.assertEqual(s["status"], "SUCCESS", s)
        self.assertEqual(s["conflicts"], [])
        self.assertEqual(s["importCount"], {"imported": len(want) - pops, "updated": 0,
                                            "ignored": pops, "deleted": 0})
        self.assertEqual(self.cli_export(db), want)
        rc, s, err = self.cli_import(db, text, fmt)
        self.assertEqual(rc, 0, err)
        self.assertEqual(s["importCount"], {"imported": 0, "updated": 0, "ignored": len(want),
                                            "deleted": 0})
        self.assertEqual(self.cli_export(db), want)

    def test_round_trip_json(self):
        self.round_trip("json", self.export("json").raw.decode("utf-8"))

    def test_round_trip_adx(self):
        self.round_trip("adx", self.export("adx").raw.decode("utf-8"))

    def doc(self, unit, period, element, value, **extra):
        v = {"dataElement": element, "period": period, "orgUnit": unit, "value": value}
        v.update(extra)
        return {"dataSet": "THC_COVID_WEEKLY", "dataValues": [v]}

    def weekly(self, unit, period):
        r = self.get("/api/v1/exchange/dataValueSets.json?unit=%s&from=2021-10-01&to=2021-11-07"
                     % unit, as_user="admin")
        self.assertStatus(r, 200)
        return {k[2]: v for k, v in values(r.json).items() if k[1] == period}

    def test_api_import_update_and_ignore(self):
        r = self.post(JSON, self.doc("26734", "2021W42", "THC_CASES", "17"), as_user="hcm")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["status"], "OK")
        self.assertEqual(r.json["response"]["importCount"]["imported"], 1)
        self.assertEqual(self.weekly("26734", "2021W42")["THC_CASES"], "17")
        r = self.post(JSON, self.doc("26734", "2021W42", "THC_CASES", "18"), as_user="hcm")
        self.assertEqual(r.json["response"]["importCount"]["updated"], 1)
        r = self.post(JSON, self.doc("26734", "2021W42", "THC_CASES", "18"), as_user="hcm")
        self.assertEqual(r.json["response"]["importCount"],
                         {"imported": 0, "updated": 0, "ignored": 1, "deleted": 0})
        self.assertEqual(self.weekly("26734", "2021W42")["THC_CASES"], "18")
        # Audited: one row for the import, one for the update.
        r = self.get("/api/v1/audit?unit=26734", as_user="admin")
        self.assertStatus(r, 200)
        acts = [e["action"] for e in r.json["items"] if e["entity"] == "reported_week"]
        self.assertEqual(sorted(acts), ["reported.import", "reported.update"])

    def test_api_adx_level(self):
        text = ('<?xml version="1.0" encoding="UTF-8"?>\n<adx xmlns="urn:ihe:qrph:adx:2015">\n'
                '<group dataSet="THC_COVID_WEEKLY" orgUnit="26737" period="2021-10-25/P7D">\n'
                '<dataValue dataElement="THC_LEVEL" value="3"/>\n'
                '<dataValue dataElement="THC_DEATHS" value="2"/></group></adx>\n')
        r = self.request("POST", ADX, raw=text.encode(), headers=ADX_H, as_user="hcm")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["response"]["importCount"]["imported"], 2)
        got = self.weekly("26737", "2021W43")
        self.assertEqual((got["THC_LEVEL"], got["THC_DEATHS"]), ("3", "2"))
        r = self.request("POST", ADX, raw=text.encode(), headers={"Content-Type": "text/plain"},
                         as_user="hcm")
        self.assertError(r, 415)
        r = self.request("POST", ADX, raw=b"<adx xmlns='urn:ihe:qrph:adx:2015'><group",
                         headers=ADX_H, as_user="hcm")
        self.assertError(r, 400, mentions="XML")

    def test_conflicts_store_nothing(self):
        before = self.weekly("26740", "2021W42")
        doc = self.doc("26740", "2021W42", "THC_CASES", "9")
        bad = [
            ({"dataElement": "THC_NOPE", "period": "2021W42", "orgUnit": "26740", "value": "1"},
             "E7610"),
            ({"dataElement": "THC_DEATHS", "period": "2021WedW42", "orgUnit": "26740",
              "value": "1"}, "E7611"),
            ({"dataElement": "THC_DEATHS", "period": "2021FriW42", "orgUnit": "26740",
              "value": "1"}, "E7611"),
            ({"dataElement": "THC_DEATHS", "period": "2021W42", "orgUnit": "99999",
              "value": "1"}, "E7612"),
            ({"dataElement": "THC_DEATHS", "period": "2021W42", "orgUnit": "26740",
              "value": "-1"}, "E7619"),
            ({"dataElement": "THC_POPULATION", "period": "2021W42", "orgUnit": "26740",
              "value": "1"}, "E7619"),
            ({"dataElement": "THC_DEATHS", "period": "2021W42", "orgUnit": "00001",
              "value": "1"}, "E7617"),
        ]
        for v, code in bad:
            d = json.loads(json.dumps(doc))
            d["dataValues"].append(v)
            r = self.post(JSON, d, as_user="hcm")
            self.assertStatus(r, 409, code)
            s = r.json["response"]
            self.assertEqual(s["status"], "ERROR")
            self.assertEqual([c["errorCode"] for c in s["conflicts"]], [code], s)
            self.assertEqual(s["conflicts"][0]["indexes"], [1])
            self.assertEqual(s["importCount"], {"imported": 0, "updated": 0, "ignored": 2,
                                                "deleted": 0})
            self.assertEqual(self.weekly("26740", "2021W42"), before)

    def test_cli_conflict_exit_and_usage(self):
        db = self.server.db
        rc, s, err = self.cli_import(db, json.dumps(self.doc("26740", "2021W42", "THC_NOPE", "1")),
                                     "json")
        self.assertEqual(rc, 1)
        self.assertEqual(s["conflicts"][0]["errorCode"], "E7610")
        self.assertIn("nothing was imported", err)
        rc, s, err = self.cli_import(db, "not a document", "txt")
        self.assertEqual(rc, 2)
        self.assertIn("neither JSON nor ADX", err)
        rc, out, err = cli("import", "dhis2", "--db", db)
        self.assertEqual(rc, 2)

    def test_who_may(self):
        doc = self.doc("00001", "2021W30", "THC_CASES", "1")
        self.assertStatus(self.post(JSON, doc, as_user="phucxa"), 200)
        self.assertStatus(self.post(JSON, doc, as_user="ytephucxa"), 403)
        self.assertStatus(self.post(JSON, doc), 401)
        r = self.post(JSON, self.doc("00004", "2021W30", "THC_CASES", "1"), as_user="phucxa")
        self.assertStatus(r, 409)
        self.assertEqual(r.json["response"]["conflicts"][0]["errorCode"], "E7617")

    def test_api_key_imports(self):
        key = self.keys["Hệ thống DHIS2 Bộ Y tế"]
        r = self.post_key(JSON, key, self.doc("26743", "2021W42", "THC_CASES", "23"))
        self.assertStatus(r, 200)
        self.assertEqual(r.json["response"]["importCount"]["imported"], 1)
        self.assertEqual(self.weekly("26743", "2021W42")["THC_CASES"], "23")
        text = ('<adx xmlns="urn:ihe:qrph:adx:2015"><group dataSet="THC_COVID_WEEKLY" '
                'orgUnit="26743" period="2021-10-18/P7D"><dataValue dataElement="THC_DEATHS" '
                'value="4"/></group></adx>')
        r = self.post_key(ADX, key, raw=text.encode(), headers=ADX_H)
        self.assertStatus(r, 200)
        self.assertEqual(self.weekly("26743", "2021W42")["THC_DEATHS"], "4")
        audit = self.get("/api/v1/audit?unit=26743", as_user="admin").json["items"]
        rows = [a for a in audit if a["entity"] == "reported_week"]
        self.assertEqual(len(rows), 2, audit)
        for a in rows:
            self.assertIn("apikey:Hệ thống DHIS2 Bộ Y tế", str(a))
        self.assertNotIn(key, str(audit), "the trail never holds the key")

    def test_api_key_refused(self):
        before = self.weekly("26746", "2021W42")
        doc = self.doc("26746", "2021W42", "THC_CASES", "5")
        for key in (self.keys["Tổng đài Open311"], "thc_" + "a" * 32,
                    self.keys["Hệ thống DHIS2 Bộ Y tế"] + "x", ""):
            self.assertStatus(self.post_key(JSON, key, doc), 403)
        # A Bearer token that is not a session stays a 401.
        r = self.request("POST", JSON, body=doc, headers={"Authorization": "Bearer nope"})
        self.assertStatus(r, 401)
        revoked = self.new_key("DHIS2 thu hồi", "dhis2")
        rc, out, err = cli("apikey", "list", "--db", self.server.db)
        self.assertEqual(rc, 0, err)
        line = [ln for ln in out.splitlines() if "DHIS2 thu hồi" in ln]
        self.assertEqual(len(line), 1, out)
        rc, out, err = cli("apikey", "revoke", "--db", self.server.db, "--id",
                           line[0].split()[0])
        self.assertEqual(rc, 0, err)
        self.assertStatus(self.post_key(JSON, revoked, doc), 403)
        self.assertEqual(self.weekly("26746", "2021W42"), before)

    def test_api_key_unit_bound(self):
        key = self.keys["DHIS2 Phúc Xá"]
        r = self.post_key(JSON, key, self.doc("00001", "2021W31", "THC_CASES", "3"))
        self.assertStatus(r, 200)
        before = self.weekly("26749", "2021W42")
        doc = self.doc("00001", "2021W32", "THC_CASES", "6")
        doc["dataValues"].append({"dataElement": "THC_CASES", "period": "2021W42",
                                  "orgUnit": "26749", "value": "6"})
        r = self.post_key(JSON, key, doc)
        self.assertStatus(r, 409)
        s = r.json["response"]
        self.assertEqual([c["errorCode"] for c in s["conflicts"]], ["E7617"], s)
        self.assertEqual(s["conflicts"][0]["indexes"], [1])
        self.assertEqual(s["importCount"]["imported"], 0)
        self.assertEqual(self.weekly("26749", "2021W42"), before)
        r = self.get("/api/v1/exchange/dataValueSets.json?unit=00001&from=2021-08-01"
                     "&to=2021-08-15", as_user="admin")
        # the counted figure (no cases), not the refused file's 6
        self.assertEqual(values(r.json)[("00001", "2021W32", "THC_CASES")], "0")

    def test_api_key_rate(self):
        key = self.keys["DHIS2 chậm"]
        doc = self.doc("26752", "2021W42", "THC_CASES", "1")
        self.assertStatus(self.post_key(JSON, key, doc), 200)
        self.assertStatus(self.post_key(JSON, key, doc), 200)
        r = self.post_key(JSON, key, doc)
        self.assertStatus(r, 429)
        self.assertTrue(int(r.headers.get("retry-after")) >= 1)

    def test_size_cap_api(self):
        before = self.weekly("26755", "2021W42")
        doc = self.doc("26755", "2021W42", "THC_CASES", "8")
        for size in (MIB + 1, 3 * MIB):
            r = self.request("POST", JSON, raw=padded(doc, size), as_user="hcm",
                             headers={"Content-Type": "application/json"})
            self.assertError(r, 413)
            self.assertIn("1 MiB", r.error_message)
            self.assertIn(str(size), r.error_message)
        self.assertEqual(self.weekly("26755", "2021W42"), before)
        adx = ('<adx xmlns="urn:ihe:qrph:adx:2015"><group dataSet="THC_COVID_WEEKLY" '
               'orgUnit="26755" period="2021-10-18/P7D"><dataValue dataElement="THC_DEATHS" '
               'value="2"/></group></adx>')
        key = self.keys["Hệ thống DHIS2 Bộ Y tế"]
        r = self.post_key(ADX, key, raw=(adx + " " * MIB).encode(), headers=ADX_H)
        self.assertError(r, 413)
        self.assertEqual(self.weekly("26755", "2021W42"), before)
        # Exactly the cap is taken.
        r = self.request("POST", JSON, raw=padded(doc, MIB), as_user="hcm",
                         headers={"Content-Type": "application/json"})
        self.assertStatus(r, 200)
        self.assertEqual(self.weekly("26755", "2021W42")["THC_CASES"], "8")

    def test_size_cap_cli(self):
        db = empty_database("dhis2-cap")
        doc = self.doc("26755", "2021W42", "THC_CASES", "8")
        path = os.path.join(tempfile.mkdtemp(dir=TEST_TMP), "big.json")
        with open(path, "wb") as f:
            f.write(padded(doc, MIB + 1))
        rc, out, err = cli("import", "dhis2", "--db", db, path)
        self.assertEqual(rc, 2, err)
        self.assertIn("1 MiB", err)
        self.assertIn(str(MIB + 1), err)
        self.assertEqual(out.strip(), "")
        english = err.strip().splitlines()[-1]
        self.assertIn("limited to", english)
        self.assertIsNone(VIETNAMESE.search(english), english)
        with open(path, "wb") as f:
            f.write(padded(doc, MIB))
        rc, out, err = cli("import", "dhis2", "--db", db, path)
        self.assertEqual(rc, 0, err)
        self.assertEqual(json.loads(out)["importCount"]["imported"], 1)

    def test_languages(self):
        doc = self.doc("26740", "2021W42", "THC_NOPE", "1")
        for bad in ({"dataElement": "THC_DEATHS", "period": "2021FriW42", "orgUnit": "26740",
                     "value": "1"},
                    {"dataElement": "THC_DEATHS", "period": "2021W42", "orgUnit": "99999",
                     "value": "1"},
                    {"dataElement": "THC_DEATHS", "period": "2021W42", "orgUnit": "00001",
                     "value": "1"},
                    {"dataElement": "THC_POPULATION", "period": "2021W42", "orgUnit": "26740",
                     "value": "1"}):
            doc["dataValues"].append(bad)
        en = self.post(JSON, doc, as_user="hcm", headers={"Accept-Language": "en"})
        self.assertStatus(en, 409)
        s = en.json["response"]
        self.assertEqual(len(s["conflicts"]), 5, s)
        for text in [s["description"]] + [c["value"] for c in s["conflicts"]]:
            self.assertIsNone(VIETNAMESE.search(text), text)
            self.assertNotIn(" / ", text)
        self.assertNotIn("thc_en", json.dumps(s))
        self.assertIn("hierarchy", s["conflicts"][3]["value"])
        vi = self.post(JSON, doc, as_user="hcm", headers={"Accept-Language": "vi"})
        s = vi.json["response"]
        self.assertTrue(all(VIETNAMESE.search(c["value"]) for c in s["conflicts"]), s)
        self.assertIn("ngoài phạm vi", s["conflicts"][3]["value"])
        self.assertNotIn("hierarchy", json.dumps(s, ensure_ascii=False))
        r = self.request("POST", JSON, raw=padded(doc, MIB + 1), as_user="hcm",
                         headers={"Content-Type": "application/json", "Accept-Language": "en"})
        self.assertError(r, 413)
        self.assertIsNone(VIETNAMESE.search(r.error_message), r.error_message)
        # The command line: both languages, each line its own.
        rc, s, err = self.cli_import(self.server.db, json.dumps(doc), "json")
        self.assertEqual(rc, 1)
        self.assertIn(" / ", s["conflicts"][0]["value"])
        self.assertNotIn("thc_vi", json.dumps(s))
        self.assertIsNone(VIETNAMESE.search(err.strip().splitlines()[-1]), err)

    def test_not_writable_is_a_conflict(self):
        """Units the caller may not write: E7617 in the summary, whoever calls."""
        before = self.weekly("26749", "2021W42")
        cases = (
            # a commune official: its district, a unit elsewhere, the country
            ("phucxa", None, ["001", "26749", "VN"]),
            # a key bound to a commune: the district and province above it
            (None, "DHIS2 Phúc Xá", ["001", "01"]),
        )
        for user, key, units in cases:
            doc = {"dataSet": "THC_COVID_WEEKLY", "dataValues": [
                {"dataElement": "THC_CASES", "period": "2021W42", "orgUnit": u, "value": "4"}
                for u in units]}
            for lang in ("vi", "en"):
                h = {"Accept-Language": lang}
                r = (self.post(JSON, doc, as_user=user, headers=h) if user
                     else self.post_key(JSON, self.keys[key], doc, headers=h))
                self.assertStatus(r, 409, (user, key))
                s = r.json["response"]
                self.assertEqual(s["status"], "ERROR")
                self.assertEqual([c["errorCode"] for c in s["conflicts"]],
                                 ["E7617"] * len(units), s)
                self.assertEqual(s["importCount"]["ignored"], len(units))
        self.assertEqual(self.weekly("26749", "2021W42"), before)


if __name__ == "__main__":
    main()
