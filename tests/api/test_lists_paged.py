"""
Long lists sorted and paged by the server, on a phone's pace: the officials'
businesses (sort=name|tax_code|commune|workers|risk|due, order=asc|desc),
home isolations (state=, sort=started|urgent: low SpO2 first, then overdue
check-ins, then the rest) and zones (status=active|ended|all,
sort=unit|started|planned_end), each with limit= and a keyset cursor=
("KEY.ID", the answer's `next`).

What must hold: every order is the one asked, ties (the same name, the same
number of workers, the same day) and missing values (never assessed, no
planned end) broken by id in the same direction; the pages of any size put
together are the whole list, no row twice or missing; filters hold on
every page; an unknown sort, order, status or a cursor that is not a
`next` is 400 naming the parameter and changes nothing (no read of names
recorded); no row of another unit ever appears, on the first page or
through the cursor.
"""

import itertools
import os
from urllib.parse import quote

from harness import ServerTestCase, main, vi_key

_seq = itertools.count(1)


def tax_code():
    return "02%08d" % (next(_seq) + os.getpid() % 1000 * 1000)


class PagedListsCase(ServerTestCase):

    @classmethod
    def call(cls, path, body, as_user):
        r = cls.server.request("POST", path, body=body, token=cls.token(as_user))
        if r.status not in (200, 201):
            raise AssertionError("fixture: %s" % r.describe())
        return r.json

    @classmethod
    def make_fixture(cls):
        cls.biz = {}
        # Phúc Xá (00001): names and worker counts that tie; two never assessed.
        for name, workers, total in (("Công ty An Bình", 50, 100), ("Công ty An Bình", 50, 200),
                                     ("Công ty Bảo Minh", 120, None), ("Công ty Cát Tường", 50, 20),
                                     ("Công ty Đông Á", 10, 200), ("Xưởng may Phúc Xá", 120, None),
                                     ("Công ty Em Xinh", 10, 150)):
            b = cls.call("/api/v1/businesses", {
                "tax_code": tax_code(), "name": name, "sector": "Dệt may", "unit_code": "00001",
                "address": "Phố Phúc Xá", "workers": workers}, "phucxa")
            if total is not None:
                scores = [min(20, max(0, total - 20 * i)) for i in range(15)]
                cls.call("/api/v1/businesses/%d/risk-assessments" % b["id"],
                         {"assessed_on": "2021-10-01" if total != 20 else "2021-10-05",
                          "scores": scores}, "phucxa")
            cls.biz[b["id"]] = "00001"
        # Trúc Bạch (00004), out of phucxa's scope.
        for name in ("Công ty An Bình", "Công ty Trúc Bạch"):
            b = cls.call("/api/v1/businesses", {
                "tax_code": tax_code(), "name": name, "sector": "Ăn uống", "unit_code": "00004",
                "address": "Phố Trúc Bạch", "workers": 50}, "trucbach")
            cls.biz[b["id"]] = "00004"

        def person(name, number, unit, as_user):
            return cls.call("/api/v1/tests", {
                "person": {"full_name": name, "id_number": number, "unit_code": unit},
                "taken_on": "2021-09-05", "test_type": "rt-pcr", "result": "negative"},
                as_user)["person_id"]

        def isolate(pid, unit, started, as_user="ytephucxa"):
            return cls.call("/api/v1/isolations", {"person_id": pid, "kind": "home",
                                                   "unit_code": unit, "started_on": started},
                            as_user)["id"]

        cls.iso = {}
        # In Phúc Xá: two started the same day, checked in now (neither low
        # nor overdue), one low, one overdue (no check-in), one released.
        started = ("2021-09-01", "2021-09-01", "2021-09-03", "2021-09-02", "2021-09-01",
                   "2021-09-04")
        for k, day in enumerate(started):
            unit = "00001-001" if k % 2 else "00001"
            pid = person("Người %d" % k, "00119100%04d" % k, unit, "ytephucxa")
            cls.iso[isolate(pid, unit, day)] = "00001"
        ids = sorted(cls.iso)
        cls.low, cls.overdue_id, cls.released = ids[2], ids[3], ids[4]
        for i in ids:
            if i not in (cls.overdue_id, cls.released):
                cls.call("/api/v1/isolations/%d/checkins" % i,
                         {"spo2": 90 if i == cls.low else 98}, "ytephucxa")
        cls.call("/api/v1/isolations/%d/release" % cls.released,
                 {"released_on": "2021-09-15"}, "ytephucxa")
        # In Trúc Bạch: one overdue, out of Phúc Xá's scope.
        pid = person("Người Trúc Bạch", "001191009999", "00004", "trucbach")
        cls.iso[isolate(pid, "00004", "2021-09-01", "trucbach")] = "00004"

        cls.zones = {}
        for unit, started, planned, by in (("00001-001", "2021-09-10", "2021-09-24", "phucxa"),
                                           ("00001", "2021-09-10", None, "phucxa"),
                                           ("00001-001", "2021-09-12", "2021-09-24", "phucxa"),
                                           ("00001", "2021-09-11", "2021-09-20", "phucxa"),
                                           ("00004", "2021-09-10", "2021-09-24", "trucbach")):
            body = {"unit_code": unit, "reason": "Ổ dịch", "started_on": started}
            if planned:
                body["planned_end"] = planned
            cls.zones[cls.call("/api/v1/zones", body, by)["id"]] = unit[:5]
        # One ended (no case in the commune's own unit).
        ended = sorted(z for z, u in cls.zones.items() if u == "00001")[1]
        cls.call("/api/v1/zones/%d/end" % ended, {"ended_on": "2021-09-13",
                                                  "override_reason": "Thử"}, "phucxa")
        cls.zone_ended = ended

    # ---- helpers ----

    def pages(self, path, limit, as_user):
        """Every page of path (which has a '?') with `limit` rows, joined."""
        seen, cursor = [], None
        for _ in range(200):
            q = path + "&limit=%d" % limit + ("&cursor=%s" % cursor if cursor else "")
            r = self.get(q.replace(" ", "%20"), as_user=as_user)
            self.assertStatus(r, 200, q)
            self.assertLessEqual(len(r.json["items"]), limit)
            seen += r.json["items"]
            cursor = r.json["next"]
            if cursor is None:
                return seen
            cursor = quote(str(cursor), safe="")
        self.fail("the cursor never ended: " + path)

    def whole(self, path, as_user):
        r = self.get(path + "&limit=500", as_user=as_user)
        self.assertStatus(r, 200, path)
        self.assertIsNone(r.json["next"], path)
        return r.json["items"]

    def same_in_pages(self, path, as_user, key):
        """The whole list is in `key` order, and pages of 1, 2 and 3 give it."""
        whole = self.whole(path, as_user)
        desc = "order=desc" in path
        keys = [(key(i), i["id"]) for i in whole]
        self.assertEqual(keys, sorted(keys, reverse=desc), path)
        for limit in (1, 2, 3):
            got = self.pages(path, limit, as_user)
            self.assertEqual([i["id"] for i in got], [i["id"] for i in whole], (path, limit))
        return whole

    def audit_count(self):
        r = self.get("/api/v1/audit?limit=500", as_user="admin")
        self.assertStatus(r, 200)
        return len(r.json["items"])


class BusinessListTest(PagedListsCase):

    KEYS = {
        "name": lambda b: vi_key(b["name"]),
        "tax_code": lambda b: b["tax_code"],
        "commune": lambda b: vi_key(b["unit_name"]),
        "workers": lambda b: b["workers"],
        "risk": lambda b: round(b["latest_assessment"]["index"] * 10) if b["latest_assessment"] else -1,
        "due": lambda b: b["latest_assessment"]["assessed_on"] if b["latest_assessment"] else "",
    }

    def test_every_sort_both_ways_in_pages(self):
        for sort, key in self.KEYS.items():
            for order in ("asc", "desc"):
                whole = self.same_in_pages("/api/v1/businesses?unit=00001&sort=%s&order=%s"
                                           % (sort, order), "phucxa", key)
                self.assertEqual({b["id"] for b in whole},
                                 {i for i, u in self.biz.items() if u == "00001"}, sort)

    def test_ties_and_never_assessed(self):
        # Names in Vietnamese order: Đ after D, before E (bytes put it after Z).
        by_name = self.whole("/api/v1/businesses?unit=00001&sort=name", "phucxa")
        names = [b["name"] for b in by_name]
        self.assertLess(names.index("Công ty Đông Á"), names.index("Công ty Em Xinh"))
        # Two of the same name and two never assessed: the ties go by id.
        by_name = self.whole("/api/v1/businesses?unit=00001&sort=name", "phucxa")
        twins = [b["id"] for b in by_name if b["name"] == "Công ty An Bình"]
        self.assertEqual(len(twins), 2)
        self.assertEqual(twins, sorted(twins))
        by_due = self.whole("/api/v1/businesses?unit=00001&sort=due", "phucxa")
        self.assertEqual([b["latest_assessment"] for b in by_due[:2]], [None, None])
        by_risk = self.whole("/api/v1/businesses?unit=00001&sort=risk&order=desc", "phucxa")
        self.assertEqual([b["latest_assessment"] for b in by_risk[-2:]], [None, None])
        self.assertGreaterEqual(by_risk[0]["latest_assessment"]["index"],
                                by_risk[1]["latest_assessment"]["index"])
        # The cursor of a sorted page is "KEY.ID"; by id it stays a number.
        r = self.get("/api/v1/businesses?unit=00001&sort=name&limit=1", as_user="phucxa")
        self.assertEqual(r.json["next"], "Công ty An Bình.%d" % twins[0])
        r = self.get("/api/v1/businesses?unit=00001&limit=1", as_user="phucxa")
        self.assertIsInstance(r.json["next"], int)

    def test_filters_hold_on_every_page(self):
        got = self.pages("/api/v1/businesses?unit=00001&sort=workers&order=desc&band=very_low",
                         1, "phucxa")
        self.assertTrue(got)
        self.assertTrue(all(b["latest_assessment"]["band"] == "very_low" for b in got))
        got = self.pages("/api/v1/businesses?unit=00001&sort=name&overdue=1", 1, "phucxa")
        self.assertIn(None, [b["latest_assessment"] for b in got])

    def test_scope_on_every_page_and_through_the_cursor(self):
        for sort in self.KEYS:
            got = self.pages("/api/v1/businesses?sort=%s" % sort, 1, "phucxa")
            self.assertFalse([b["id"] for b in got if self.biz.get(b["id"]) == "00004"], sort)
        # A cursor made by hand before Trúc Bạch's names shows only Phúc Xá's.
        r = self.get("/api/v1/businesses?sort=name&cursor=A.1&limit=500", as_user="phucxa")
        self.assertStatus(r, 200)
        self.assertFalse([b["id"] for b in r.json["items"] if self.biz.get(b["id"]) == "00004"])
        # The district sees both communes' in one order.
        both = self.whole("/api/v1/businesses?unit=001&sort=name", "badinh")
        self.assertTrue({"00001", "00004"} <= {self.biz.get(b["id"]) for b in both})

    def test_bad_parameters(self):
        before = self.audit_count()
        for q, field in (("sort=cases", "sort"), ("sort=NAME", "sort"), ("order=down", "order"),
                         ("sort=name&cursor=abc", "cursor"), ("sort=name&cursor=abc.0", "cursor"),
                         ("sort=workers&cursor=many.5", "cursor"),
                         ("sort=due&cursor=01/10/2021.5", "cursor"), ("cursor=x", "cursor")):
            r = self.get("/api/v1/businesses?" + q, as_user="phucxa")
            self.assertError(r, 400, field=field, msg=q)
        r = self.get("/api/v1/businesses?sort=cases", as_user="phucxa")
        self.assertIn("name", r.error_message)
        self.assertEqual(self.audit_count(), before)

    def test_the_file_follows_the_sort(self):
        r = self.get("/api/v1/businesses?unit=00001&sort=workers&order=desc&format=csv",
                     as_user="phucxa")
        self.assertEqual(r.status, 200)
        lines = r.raw.decode("utf-8-sig").splitlines()[1:]
        whole = self.whole("/api/v1/businesses?unit=00001&sort=workers&order=desc", "phucxa")
        self.assertEqual([int(line.split(",")[0]) for line in lines], [b["id"] for b in whole])


class IsolationListTest(PagedListsCase):

    RANK = staticmethod(lambda i: "%d%s" % (0 if i["low_spo2"] else 1 if i["overdue"] else 2,
                                            i["started_on"]))

    def test_follow_up_order_in_pages(self):
        for order in ("asc", "desc"):
            whole = self.same_in_pages("/api/v1/isolations?unit=00001&sort=urgent&order=%s"
                                       % order, "ytephucxa", self.RANK)
            if order == "asc":
                self.assertEqual(whole[0]["id"], self.low)
                self.assertTrue(whole[0]["low_spo2"])
                self.assertEqual(whole[1]["id"], self.overdue_id)
                self.assertTrue(whole[1]["overdue"])
                self.assertFalse(any(i["low_spo2"] or i["overdue"] for i in whole[2:]))
            self.assertNotIn(self.released, [i["id"] for i in whole])
        # By the day started, two on the same day by id.
        whole = self.same_in_pages("/api/v1/isolations?unit=00001&sort=started", "ytephucxa",
                                   lambda i: i["started_on"])
        same = [i["id"] for i in whole if i["started_on"] == "2021-09-01"]
        self.assertGreaterEqual(len(same), 2)

    def test_states_and_counts(self):
        r = self.get("/api/v1/isolations?unit=00001&sort=urgent", as_user="ytephucxa")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["counts"], {"active": 5, "low_spo2": 1, "overdue": 1})
        self.assertEqual((r.json["sort"], r.json["order"]), ("urgent", "asc"))
        for state, ids in (("low_spo2", [self.low]), ("overdue", [self.overdue_id]),
                           ("released", [self.released])):
            got = self.pages("/api/v1/isolations?unit=00001&sort=urgent&state=" + state, 1,
                             "ytephucxa")
            self.assertEqual([i["id"] for i in got], ids, state)

    def test_scope_on_every_page(self):
        # Phúc Xá's health worker asks for the district: only Phúc Xá's rows.
        got = self.pages("/api/v1/isolations?unit=001&sort=urgent", 1, "ytephucxa")
        self.assertTrue(got)
        self.assertEqual({self.iso[i["id"]] for i in got}, {"00001"})
        # The hamlet's team: its hamlet only, no names.
        got = self.pages("/api/v1/isolations?unit=00001&sort=urgent", 1, "todan1")
        self.assertTrue(got)
        self.assertTrue(all(i["unit_code"].startswith("00001-001") for i in got))
        self.assertFalse(any("person" in i for i in got))
        # Trúc Bạch's own is there for its officer, and only for it.
        got = self.pages("/api/v1/isolations?unit=00004&sort=urgent", 1, "trucbach")
        self.assertEqual({self.iso[i["id"]] for i in got}, {"00004"})
        r = self.get("/api/v1/isolations?unit=00004&sort=urgent", as_user="ytephucxa")
        self.assertIn(r.status, (200, 404))
        self.assertEqual(r.json["items"] if r.status == 200 else [], [])

    def test_bad_parameters_change_nothing(self):
        before = self.audit_count()
        for q, field in (("sort=overdue", "sort"), ("order=up", "order"), ("state=late", "state"),
                         ("cursor=2021-09-01", "cursor"), ("cursor=01/09/2021.3", "cursor"),
                         ("sort=urgent&cursor=2021-09-01.3", "cursor"),
                         ("sort=urgent&cursor=92021-09-01.3", "cursor"),
                         ("sort=urgent&cursor=02021-09-01.0", "cursor")):
            r = self.get("/api/v1/isolations?unit=00001&" + q, as_user="ytephucxa")
            self.assertError(r, 400, field=field, msg=q)
        # No read of names was recorded for the refused lists.
        self.assertEqual(self.audit_count(), before)

    def test_names_read_are_those_shown(self):
        r = self.get("/api/v1/isolations?unit=00001&sort=urgent&limit=1", as_user="ytephucxa")
        self.assertStatus(r, 200)
        a = self.get("/api/v1/audit?limit=5", as_user="admin").json["items"]
        reads = [e for e in a if e["action"] == "person.read"]
        self.assertTrue(reads)
        self.assertEqual(reads[0]["after"]["person_ids"], [r.json["items"][0]["person_id"]])


class ZoneListTest(PagedListsCase):

    def test_sorts_and_statuses_in_pages(self):
        day = "active_on=2021-09-15"
        for sort, key in (("started", lambda z: z["started_on"]),
                          ("planned_end", lambda z: z["planned_end"] or "9999-12-31")):
            for order in ("asc", "desc"):
                for status in ("active", "all"):
                    whole = self.same_in_pages("/api/v1/zones?unit=00001&%s&status=%s&sort=%s"
                                               "&order=%s" % (day, status, sort, order),
                                               "phucxa", key)
                    ids = {z["id"] for z in whole}
                    mine = {z for z, u in self.zones.items() if u == "00001"}
                    self.assertEqual(ids, mine - {self.zone_ended} if status == "active"
                                     else mine, (sort, order, status))
        # By unit (the default): pages give the whole.
        whole = self.whole("/api/v1/zones?unit=00001&status=all", "phucxa")
        got = self.pages("/api/v1/zones?unit=00001&status=all", 1, "phucxa")
        self.assertEqual([z["id"] for z in got], [z["id"] for z in whole])
        ended = self.pages("/api/v1/zones?unit=00001&status=ended&%s" % day, 1, "phucxa")
        self.assertEqual([z["id"] for z in ended], [self.zone_ended])
        # No planned end: last going up.
        up = self.whole("/api/v1/zones?unit=00001&status=all&sort=planned_end", "phucxa")
        self.assertIsNone(up[-1]["planned_end"])

    def test_scope_on_every_page(self):
        got = self.pages("/api/v1/zones?unit=001&status=all", 1, "phucxa")
        self.assertTrue(got)
        self.assertEqual({self.zones[z["id"]] for z in got}, {"00001"})
        got = self.pages("/api/v1/zones?unit=001&status=all&sort=started&order=desc", 1, "badinh")
        self.assertEqual({self.zones[z["id"]] for z in got if z["id"] in self.zones},
                         {"00001", "00004"})

    def test_bad_parameters(self):
        for q, field in (("status=open", "status"), ("sort=end", "sort"), ("order=x", "order"),
                         ("cursor=5", "cursor"), ("sort=started&cursor=x.5", "cursor"),
                         ("cursor=01.5", "cursor"), ("limit=0", "limit")):
            r = self.get("/api/v1/zones?unit=00001&" + q, as_user="phucxa")
            self.assertError(r, 400, field=field, msg=q)


if __name__ == "__main__":
    main()
