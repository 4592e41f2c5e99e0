"""
The access matrix: who reads and creates hamlets/households where, who reads
which audit entries, and that every refused write changes nothing (neither
the unit tree nor the audit trail).

Readings of docs/api.md this file relies on:
- An official may read the audit only for units in the subtrees of their
  grants: every entry they can see has a unit_code inside that subtree (an
  entry with no unit_code is not shown to a commune officer).  Asking for
  ?unit= outside the scope answers 404, as any unit outside it does.
- Roles that are not officials (team_member, health_worker, citizen,
  business) get 403 on the audit.  A role that may not create a unit gets
  403 where it sees the parent, 404 where the parent is outside its scope.
- An audit entry for a create is action unit.create, entity unit, with
  entity_id and unit_code = the new code, before = null and after = a JSON
  object (not a string) with at least the name.  client_addr is the peer
  address.
- The created unit is returned whole (code, name, level, parent_code, type;
  households also address and members) and reads back the same.
- Location is "/api/v1/units/CODE" (an absolute URL ending so is accepted).
- Logins are done once, before any audit comparison, so that a login that is
  audited does not count as a "new entry".
"""

import csv
import datetime
import itertools
import os

from harness import (DATA_DIR, DEMO_USERS, ServerTestCase, main, qs)

HAMLET_TYPES = ["thôn", "ấp", "bản", "tổ dân phố", "khu phố", "xóm", "buôn", "làng",
                "khóm", "tổ", "khu", "sóc", "plây"]

with open(os.path.join(DATA_DIR, "units.csv"), encoding="utf-8", newline="") as _f:
    _UNITS = list(csv.DictReader(_f))
_DISTRICTS = {u["code"]: u for u in _UNITS if u["level"] == "district"}
BA_DINH_COMMUNES = sorted(u["code"] for u in _UNITS if u["parent_code"] == "001")
HCM_COMMUNE = sorted(u["code"] for u in _UNITS if u["level"] == "commune"
                     and _DISTRICTS[u["parent_code"]]["parent_code"] == "79")[0]

_seq = itertools.count(1)


def in_subtree(code, root):
    """Is code inside the subtree of root (GSO codes: by the parent chain)?"""
    if code is None:
        return False
    if root == "VN":
        return True
    by = {u["code"]: u for u in _UNITS}
    c = code
    while c:
        if c == root:
            return True
        if "-" in c:
            c = c.rsplit("-", 1)[0]
        elif c in by:
            c = by[c]["parent_code"] or None
        else:
            return False
    return False


class ScopeTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for user in DEMO_USERS:
            cls.token(user)

    # ---- helpers ----
    def new_name(self, prefix="Tổ dân phố thử"):
        return "%s %d" % (prefix, next(_seq))

    def create(self, user, parent, level="hamlet", **fields):
        body = {"parent_code": parent, "level": level}
        if level == "hamlet":
            body.update(name=self.new_name(), type="tổ dân phố")
        else:
            body.update(name=self.new_name("Hộ ông Nguyễn Văn"),
                        address="Số %d phố Phúc Xá" % next(_seq), members=4)
        body.update(fields)
        body = {k: v for k, v in body.items() if v is not Ellipsis}
        token = self.token(user) if user else None
        return self.request("POST", "/api/v1/units", body=body, token=token), body

    def codes(self, user, parent, level):
        r = self.get("/api/v1/units?" + qs(parent=parent, level=level, limit=1000), as_user=user)
        self.assertStatus(r, 200)
        self.assertEqual(r.json["total"], len(r.json["items"]))
        return [i["code"] for i in r.json["items"]]

    def latest_audit_id(self):
        r = self.get("/api/v1/audit?limit=1", as_user="admin")
        self.assertStatus(r, 200)
        return r.json["items"][0]["id"] if r.json["items"] else 0

    def snapshot(self):
        return {
            "hamlets 00001": self.codes("admin", "00001", "hamlet"),
            "hamlets 00004": self.codes("admin", "00004", "hamlet"),
            "households 00001-001": self.codes("admin", "00001-001", "household"),
            "households 00001-002": self.codes("admin", "00001-002", "household"),
            "households 00004-001": self.codes("admin", "00004-001", "household"),
            "newest audit id": self.latest_audit_id(),
        }

    def assertRefused(self, resp, before, status, code=None, mentions=None, msg=None):
        self.assertError(resp, status, code, mentions, msg)
        self.assertEqual(self.snapshot(), before,
                         "a refused write changed something: " + resp.describe())

    def audit_all(self, user, **params):
        items, before = [], None
        for _ in range(100):
            r = self.get("/api/v1/audit?" + qs(limit=100, before=before, **params), as_user=user)
            self.assertStatus(r, 200)
            items.extend(r.json["items"])
            if r.json["next"] is None:
                return items
            before = r.json["next"]
        self.fail("audit paging does not end")

    def assertCreated(self, resp, body, user):
        self.assertStatus(resp, 201)
        u = resp.json
        parent, level = body["parent_code"], body["level"]
        pattern = r"^%s-\d{3}$" if level == "hamlet" else r"^%s-\d{4}$"
        self.assertRegex(u["code"], pattern % parent)
        self.assertEqual((u["name"], u["level"], u["parent_code"]),
                         (body["name"], level, parent))
        if level == "hamlet":
            self.assertEqual(u["type"], body["type"])
        else:
            self.assertEqual((u.get("address"), u.get("members")),
                             (body.get("address"), body.get("members")))
        loc = resp.headers.get("location", "")
        self.assertTrue(loc == "/api/v1/units/" + u["code"] or
                        loc.endswith("/api/v1/units/" + u["code"]) and loc.startswith("http"),
                        "Location: %r" % loc)
        got = self.get("/api/v1/units/" + u["code"], as_user=user)
        self.assertStatus(got, 200, "the creator reads the new unit")
        self.assertEqual(got.json["name"], body["name"])
        self.assertEqual(got.json["path"][-1]["code"], u["code"])
        self.assertIn(u["code"], self.codes(user, parent, level))
        # its audit entry
        r = self.get("/api/v1/audit?limit=50", as_user="admin")
        self.assertStatus(r, 200)
        entries = [e for e in r.json["items"] if e["entity_id"] == u["code"]]
        self.assertEqual(len(entries), 1, "one audit entry for %s: %s" % (u["code"], r.describe()))
        e = entries[0]
        self.assertIsInstance(e["id"], int)
        self.assertTime(e["at"], "audit at")
        self.assertEqual(e["actor"], user)
        self.assertEqual(e["client_addr"], "127.0.0.1")
        self.assertEqual((e["action"], e["entity"], e["unit_code"]), ("unit.create", "unit", u["code"]))
        self.assertIsNone(e["before"])
        self.assertIsInstance(e["after"], dict, "after should be a JSON object")
        self.assertEqual(e["after"].get("name"), body["name"])
        return u["code"]

    def assertAuditScope(self, user, root, must_hide):
        """Everything user sees in the audit lies in root's subtree; nothing of must_hide."""
        for params in ({}, {"unit": root}, {"actor": "trucbach"}, {"actor": "phucxa"},
                       {"actor": "badinh"}):
            for e in self.audit_all(user, **params):
                self.assertTrue(in_subtree(e["unit_code"], root),
                                "%s sees an audit entry outside %s (%s): %r"
                                % (user, root, params, e))
                self.assertFalse(in_subtree(e["unit_code"], must_hide), e)
        r = self.get("/api/v1/audit?unit=" + must_hide, as_user=user)
        self.assertError(r, 404, "not_found", mentions=must_hide,
                         msg="%s asks for the audit of %s" % (user, must_hide))

    # ---- commune officers ----
    def check_commune_officer(self, user, own, other):
        own_hamlet, other_hamlet = own + "-001", other + "-001"
        hamlets = self.codes(user, own, "hamlet")
        self.assertIn(own_hamlet, hamlets)
        self.assertIn(own_hamlet + "-0001", self.codes(user, own_hamlet, "household"))
        self.assertStatus(self.get("/api/v1/units/" + own_hamlet, as_user=user), 200)
        self.assertStatus(self.get("/api/v1/units/" + own_hamlet + "-0001", as_user=user), 200)
        r, body = self.create(user, own)
        code = self.assertCreated(r, body, user)
        r, body = self.create(user, own_hamlet, "household")
        self.assertCreated(r, body, user)
        # the other commune
        for c in (other_hamlet, other_hamlet + "-0001"):
            self.assertError(self.get("/api/v1/units/" + c, as_user=user), 404, "not_found", msg=c)
        self.assertEqual(self.codes(user, other, "hamlet"), [])
        r = self.get("/api/v1/units?parent=%s&level=household" % other_hamlet, as_user=user)
        self.assertError(r, 404, "not_found", msg="listing under an out-of-scope hamlet")
        before = self.snapshot()
        r, _ = self.create(user, other)
        self.assertRefused(r, before, 404, "not_found")
        r, _ = self.create(user, other_hamlet, "household")
        self.assertRefused(r, before, 404, "not_found")
        # the other officer cannot see what this one made
        other_user = "trucbach" if user == "phucxa" else "phucxa"
        self.assertError(self.get("/api/v1/units/" + code, as_user=other_user), 404, "not_found")
        self.assertAuditScope(user, own, other)

    def test_phucxa(self):
        # make sure 00004 has audit entries that phucxa must not see
        r, body = self.create("trucbach", "00004")
        self.assertCreated(r, body, "trucbach")
        self.check_commune_officer("phucxa", "00001", "00004")

    def test_trucbach(self):
        r, body = self.create("phucxa", "00001")
        self.assertCreated(r, body, "phucxa")
        self.check_commune_officer("trucbach", "00004", "00001")

    # ---- district, province, admin ----
    def check_higher_official(self, user, audit_root):
        for c in ("00001-001", "00004-001", "00001-001-0001", "00004-001-0001", "00001-002"):
            self.assertStatus(self.get("/api/v1/units/" + c, as_user=user), 200, c)
        self.assertIn("00001-001", self.codes(user, "00001", "hamlet"))
        self.assertIn("00004-001", self.codes(user, "00004", "hamlet"))
        made = []
        for commune in ("00001", "00004"):
            r, body = self.create(user, commune)
            made.append(self.assertCreated(r, body, user))
            r, body = self.create(user, commune + "-001", "household")
            made.append(self.assertCreated(r, body, user))
        for commune in ("00001", "00004"):
            items = self.audit_all(user, unit=commune)
            ids = {e["entity_id"] for e in items}
            for code in made:
                if code.startswith(commune):
                    self.assertIn(code, ids, "%s reads the audit of %s" % (user, commune))
            for e in items:
                self.assertTrue(in_subtree(e["unit_code"], commune), e)
        for e in self.audit_all(user):
            self.assertTrue(in_subtree(e["unit_code"], audit_root), e)

    def test_badinh(self):
        self.check_higher_official("badinh", "001")
        # a commune of Ba Đình without demo hamlets
        r, body = self.create("badinh", BA_DINH_COMMUNES[-1])
        self.assertCreated(r, body, "badinh")

    def test_hanoi(self):
        self.check_higher_official("hanoi", "01")

    def test_admin(self):
        self.check_higher_official("admin", "VN")
        r, body = self.create("admin", HCM_COMMUNE)
        self.assertCreated(r, body, "admin")

    def test_hcm_sees_nothing_of_hanoi(self):
        for c in ("00001-001", "00001-001-0001", "00004-001"):
            self.assertError(self.get("/api/v1/units/" + c, as_user="hcm"), 404, "not_found")
        self.assertEqual(self.codes("hcm", "00001", "hamlet"), [])
        before = self.snapshot()
        r, _ = self.create("hcm", "00001")
        self.assertRefused(r, before, 404, "not_found")
        r, _ = self.create("hcm", "00001-001", "household")
        self.assertRefused(r, before, 404, "not_found")
        r = self.get("/api/v1/audit?unit=00001", as_user="hcm")
        self.assertError(r, 404, "not_found", mentions="00001")
        for e in self.audit_all("hcm"):
            self.assertTrue(in_subtree(e["unit_code"], "79"), e)
        # but in its own province it works
        r, body = self.create("hcm", HCM_COMMUNE)
        code = self.assertCreated(r, body, "hcm")
        self.assertError(self.get("/api/v1/units/" + code, as_user="hanoi"), 404, "not_found")

    # ---- community team, citizens, businesses, health workers ----
    def test_team_member(self):
        self.assertStatus(self.get("/api/v1/units/00001-001", as_user="todan1"), 200)
        self.assertError(self.get("/api/v1/units/00001-002", as_user="todan1"), 404, "not_found")
        r, body = self.create("todan1", "00001-001", "household")
        self.assertCreated(r, body, "todan1")
        before = self.snapshot()
        r, _ = self.create("todan1", "00001")     # the commune is above its hamlet
        self.assertRefused(r, before, 404, "not_found", msg="a team member creates a hamlet")
        r, _ = self.create("todan1", "00001-002", "household")
        self.assertRefused(r, before, 404, "not_found")
        r, _ = self.create("todan1", "00004-001", "household")
        self.assertRefused(r, before, 404, "not_found")

    def test_others_cannot_create(self):
        before = self.snapshot()
        # The business and the health worker of 00001 see the commune and its
        # hamlet (403); the citizen's scope is its household (404).
        for user, parent, level, status, code in (
                ("doanhnghiep", "00001", "hamlet", 403, "forbidden"),
                ("doanhnghiep", "00001-001", "household", 403, "forbidden"),
                ("ytephucxa", "00001", "hamlet", 403, "forbidden"),
                ("ytephucxa", "00001-001", "household", 403, "forbidden"),
                ("nguoidan", "00001-001", "household", 404, "not_found"),
                ("nguoidan", "00001", "hamlet", 404, "not_found")):
            r, _ = self.create(user, parent, level)
            self.assertRefused(r, before, status, code,
                               msg="%s creates a %s under %s" % (user, level, parent))

    def test_households_only_for_those_who_follow_them(self):
        """A household names a family and its address: officials and health
        workers in scope, the hamlet's team and the household itself see it;
        a business or a citizen of another household does not, nor its
        vaccination figures (security finding 4)."""
        r = self.request("PUT", "/api/v1/units/00001-001-0001/vaccination/2021-10-17",
                         body={"groups": [{"age_group": "all", "population": 4, "dose1": 3,
                                           "full_dose": 2}]}, as_user="phucxa")
        self.assertStatus(r, 200)     # a PUT answers the week as GET does
        for user in ("admin", "hanoi", "badinh", "phucxa", "ytephucxa", "todan1", "nguoidan"):
            if user != "nguoidan":     # its grant is the household, below the hamlet
                self.assertIn("00001-001-0001", self.codes(user, "00001-001", "household"), user)
            self.assertStatus(self.get("/api/v1/units/00001-001-0001", as_user=user), 200, user)
            r = self.get("/api/v1/units/00001-001-0001/vaccination/2021-10-17", as_user=user)
            self.assertStatus(r, 200, user)
        # The business sees the hamlet (its commune's) but none of its
        # households; the others do not see the hamlet at all.
        r = self.get("/api/v1/units?parent=00001-001&level=household", as_user="doanhnghiep")
        self.assertStatus(r, 200)
        self.assertEqual((r.json["items"], r.json["total"]), ([], 0))
        for user in ("trucbach", "hcm", None):
            r = self.get("/api/v1/units?parent=00001-001&level=household", as_user=user)
            self.assertError(r, 404, "not_found", msg=str(user))
        for user in ("doanhnghiep", "trucbach", "hcm", None):
            for path in ("/api/v1/units/00001-001-0001",
                         "/api/v1/units/00001-001-0001/vaccination/2021-10-17"):
                r = self.get(path, as_user=user)
                self.assertError(r, 404, "not_found", msg="%s %s" % (user, path))
                self.assertNotIn("Bùi Thị Dân", r.raw.decode("utf-8"), user)
            r = self.get("/api/v1/units/00001-001", as_user=user)
            if user == "doanhnghiep":     # its commune's hamlet, without its households
                self.assertStatus(r, 200)
                self.assertNotIn("household", r.json["children"], user)
            else:
                self.assertError(r, 404, "not_found", msg=str(user))
        # A citizen sees its own household, not its neighbours'.
        r, body = self.create("todan1", "00001-001", "household")
        self.assertStatus(r, 201)
        r = self.get("/api/v1/units/" + r.json["code"], as_user="nguoidan")
        self.assertError(r, 404, "not_found")
        self.assertNotIn(body["name"], r.raw.decode("utf-8"))

    def test_non_officials_cannot_read_audit(self):
        for user in ("nguoidan", "doanhnghiep", "todan1", "ytephucxa"):
            r = self.get("/api/v1/audit", as_user=user)
            self.assertError(r, 403, "forbidden", msg=user)
            r = self.get("/api/v1/audit?unit=00001", as_user=user)
            self.assertError(r, 403, "forbidden", msg=user)

    def test_anonymous(self):
        before = self.snapshot()
        r, _ = self.create(None, "00001")
        self.assertRefused(r, before, 401, "unauthorized")
        self.assertError(self.get("/api/v1/audit"), 401, "unauthorized")

    # ---- validation ----
    def test_validation(self):
        before = self.snapshot()
        cases = [
            (dict(parent="001"), 422, "unprocessable", None, "hamlet under a district"),
            (dict(parent="01", user="hanoi"), 422, "unprocessable", None,
             "hamlet under a province"),
            (dict(parent="01"), 404, "not_found", None, "a province outside badinh's scope"),
            (dict(parent="00001-001"), 422, "unprocessable", None, "hamlet under a hamlet"),
            (dict(parent="00001", level="household"), 422, "unprocessable", None,
             "household under a commune"),
            (dict(parent="00001-001-0001", level="household"), 422, "unprocessable", None,
             "household under a household"),
            (dict(parent="00001", type="thành phố"), 422, "unprocessable", "type", "bad type"),
            (dict(parent="00001", type=7), 422, "unprocessable", "type", "type not a string"),
            (dict(parent="00001", name=""), 422, "unprocessable", "name", "empty name"),
            (dict(parent="00001", name="   "), 422, "unprocessable", "name", "blank name"),
            (dict(parent="00001", name=...), 422, "unprocessable", "name", "no name"),
            (dict(parent="00001", name=12), 422, "unprocessable", "name", "name not a string"),
            (dict(parent="00001", level="castle"), 422, "unprocessable", "level", "bad level"),
            (dict(parent="00001", level=...), 422, "unprocessable", "level", "no level"),
            (dict(parent=..., ), 422, "unprocessable", "parent_code", "no parent"),
            (dict(parent="00001-001", level="household", members=-1), 422, "unprocessable",
             "members", "negative members"),
            (dict(parent="00001-001", level="household", members="4"), 422, "unprocessable",
             "members", "members not a number"),
            (dict(parent="99999"), 404, "not_found", None, "unknown parent"),
            (dict(parent="00001-999", level="household"), 404, "not_found", None,
             "unknown hamlet"),
        ]
        for spec, status, code, mentions, what in cases:
            spec = dict(spec)
            parent = spec.pop("parent")
            level = spec.pop("level", "hamlet")
            user = spec.pop("user", "badinh")
            if parent is Ellipsis:
                body = {"level": level, "name": self.new_name(), "type": "thôn"}
                r = self.post("/api/v1/units", body, as_user=user)
            elif level is Ellipsis:
                body = {"parent_code": parent, "name": self.new_name(), "type": "thôn"}
                r = self.post("/api/v1/units", body, as_user=user)
            else:
                r, _ = self.create(user, parent, level, **spec)
            self.assertRefused(r, before, status, code, mentions, msg=what)
        # Cut JSON is malformed (400); an array is well-formed JSON of the
        # wrong type (422).  A bare null is refused by the JSON parser as
        # malformed, as RFC 4627 has it (400).
        for raw, status, code in (('{"parent_code":"00001",', 400, "invalid"),
                                  ("[]", 422, "unprocessable"), ("null", 400, "invalid")):
            r = self.request("POST", "/api/v1/units", raw=raw, as_user="badinh",
                             headers={"Content-Type": "application/json"})
            self.assertRefused(r, before, status, code, msg=raw)

    def test_level_names_in_the_reader_language(self):
        # A hamlet under a district: the Vietnamese message names the levels
        # in Vietnamese (no "hamlet" in it), the English one in English.
        body = {"parent_code": "001", "level": "hamlet", "name": self.new_name(), "type": "thôn"}
        r = self.post("/api/v1/units", body, as_user="badinh")
        self.assertError(r, 422, "unprocessable", field="parent_code")
        msg = r.json["error"]["message"]
        self.assertIn("Thôn/Tổ dân phố phải thuộc một Xã/Phường, '001' là Quận/Huyện", msg)
        self.assertNotRegex(msg, r"\b(hamlet|commune|district)\b")
        r = self.request("POST", "/api/v1/units", body=body, as_user="badinh",
                         headers={"Accept-Language": "en"})
        self.assertIn("a hamlet must belong to a commune, '001' is a district",
                      r.json["error"]["message"])

    def test_all_hamlet_types(self):
        commune = BA_DINH_COMMUNES[2]
        codes = []
        for t in HAMLET_TYPES:
            r, body = self.create("badinh", commune, type=t, name="Đơn vị %s %d" % (t, next(_seq)))
            codes.append(self.assertCreated(r, body, "badinh"))
        self.assertEqual(len(set(codes)), len(codes))
        self.assertEqual(sorted(self.codes("badinh", commune, "hamlet")), sorted(codes))

    # ---- the audit trail itself ----
    def test_audit_cannot_be_changed(self):
        for method in ("PUT", "PATCH", "DELETE"):
            r = self.request(method, "/api/v1/audit", body={}, as_user="admin")
            self.assertError(r, 405, "method_not_allowed", msg=method)
            self.assertIn("GET", r.headers.get("allow", ""))
            self.assertNotIn(method, r.headers.get("allow", ""))
        r = self.request("POST", "/api/v1/audit", body={"action": "x"}, as_user="admin")
        self.assertError(r, 405, "method_not_allowed")

    def test_audit_filters_and_paging(self):
        r, body = self.create("phucxa", "00001")
        code = self.assertCreated(r, body, "phucxa")
        mine = self.audit_all("hanoi", actor="phucxa")
        self.assertTrue(mine)
        self.assertEqual({e["actor"] for e in mine}, {"phucxa"})
        self.assertIn(code, {e["entity_id"] for e in mine})
        today = (datetime.datetime.now(datetime.timezone.utc)
                 + datetime.timedelta(hours=7)).date()
        day = datetime.timedelta(days=1)
        got = self.audit_all("hanoi", actor="phucxa", **{"from": str(today - day),
                                                         "to": str(today + day)})
        self.assertIn(code, {e["entity_id"] for e in got})
        self.assertEqual(self.audit_all("hanoi", **{"from": str(today + 2 * day)}), [])
        self.assertEqual(self.audit_all("hanoi", to=str(today - 2 * day)), [])
        for bad in ({"from": "2021-13-45"}, {"to": "yesterday"}, {"limit": "0"},
                    {"limit": "x"}, {"before": "abc"}):
            r = self.get("/api/v1/audit?" + qs(**bad), as_user="hanoi")
            self.assertError(r, 400, "invalid", msg=repr(bad))
        # newest first, paging with before
        all_ids = [e["id"] for e in self.audit_all("admin")]
        self.assertEqual(all_ids, sorted(all_ids, reverse=True), "audit not newest first")
        self.assertEqual(len(all_ids), len(set(all_ids)))
        r = self.get("/api/v1/audit?limit=2", as_user="admin")
        self.assertStatus(r, 200)
        self.assertEqual([e["id"] for e in r.json["items"]], all_ids[:2])
        self.assertIsNotNone(r.json["next"])
        r = self.get("/api/v1/audit?" + qs(limit=2, before=r.json["next"]), as_user="admin")
        self.assertStatus(r, 200)
        self.assertEqual([e["id"] for e in r.json["items"]], all_ids[2:4])


if __name__ == "__main__":
    main()
