#!/usr/bin/env python3
"""
Public answers kept in memory are never stale (docs/api.md, "Public reads
kept in memory"), on each backend:

- Every route the server keeps (`thichung routes --json`, cache "keep") is
  read here; a route kept and not listed below fails the test.
- After a successful write through a server, none of that server's kept
  answers is served again: the next read of every kept route is made afresh
  (X-Cache: miss) and shows what was written.
- A second server on the same database, which cannot know of the write,
  serves what it kept for at most its --public-cache-ms (1 s by default),
  then the new data: every kept route of it is read afresh within that time
  (plus the slack of a loaded machine), and never shows the old figures once
  read afresh.
"""

import json
import time

from harness import Server, ServerTestCase, cli, main

TTL_S = 1.0          # serve's default --public-cache-ms
SLACK_S = 2.0        # requests on a busy 2-core machine
COMMUNE = "00004"    # Trúc Bạch, Ba Đình (001), Hà Nội
WEEK_END = "2022-03-20"

# One request per kept route; each answers 200 on the demo data.
KEPT = {
    "GET /api/v1/units": "/api/v1/units?parent=001",
    "GET /api/v1/units/{code}": "/api/v1/units/" + COMMUNE,
    "GET /api/v1/units/{code}/levels": "/api/v1/units/%s/levels" % COMMUNE,
    "GET /api/v1/levels": "/api/v1/levels?date=2022-03-21&parent=001",
    "GET /api/v1/levels/changes": "/api/v1/levels/changes?date=2022-03-21&parent=001",
    "GET /api/v1/units/{code}/weekly":
        "/api/v1/units/%s/weekly?from=2022-03-01&to=2022-03-31" % COMMUNE,
    "GET /api/v1/units/{code}/zones/count": "/api/v1/units/%s/zones/count" % COMMUNE,
    "GET /api/v1/units/{code}/vaccination/{week_end}":
        "/api/v1/units/%s/vaccination/%s" % (COMMUNE, WEEK_END),
    "GET /api/v1/units/{code}/capacity/{week_end}":
        "/api/v1/units/%s/capacity/%s" % (COMMUNE, WEEK_END),
    "GET /api/v1/units/{code}/hotlines": "/api/v1/units/%s/hotlines" % COMMUNE,
    "GET /api/v1/feedback/categories": "/api/v1/feedback/categories",
    "GET /api/v1/support/programmes": "/api/v1/support/programmes",
    "GET /api/v1/support/postings":
        "/api/v1/support/postings?unit=%s&programme=nq68-household" % COMMUNE,
    "GET /api/v1/business/risk-criteria": "/api/v1/business/risk-criteria",
    "GET /api/v1/inspections/templates": "/api/v1/inspections/templates",
    "GET /api/v1/public/decisions": "/api/v1/public/decisions",
    "GET /api/v1/emulation/indicators": "/api/v1/emulation/indicators",
    "GET /api/v1/units/{code}/children/weekly":
        "/api/v1/units/001/children/weekly?week_end=" + WEEK_END,
    "GET /api/v1/openapi.json": "/api/v1/openapi.json",
    "GET /api/v1/levels.geojson": "/api/v1/levels.geojson?date=2022-03-21&parent=001",
}


def week_cases(r):
    """Cases of the week ending WEEK_END in a /weekly answer."""
    return sum(w["cases"] for w in r.json["items"] if w["week_end"] == WEEK_END)


def child_cases(r):
    """Cases of COMMUNE's week in a /children/weekly answer."""
    return sum(c["cases"] for c in r.json["items"] if c["code"] == COMMUNE)


def level_on_map(r):
    """COMMUNE's level in a /levels answer."""
    return [i["level"] for i in r.json["items"] if i["code"] == COMMUNE]


class FreshAfterWritesTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The week's treatment capacity, so that its kept route has an answer.
        r = cls.server.request("PUT", "/api/v1/units/%s/capacity/%s" % (COMMUNE, WEEK_END),
                               token=cls.token("trucbach"),
                               body={"capacity_met": True, "capacity": "medium", "beds_free": 12,
                                     "icu_beds_free": 1, "oxygen_ready": True, "mobile_teams": 3})
        assert r.status in (200, 201), r.describe()

    def kept(self, server, path):
        """Reads path anonymously until it comes from memory (an answer that
        took longer than the time to live to make, as under the sanitizers,
        is stale when kept: it is read again)."""
        for _ in range(10):
            r = server.request("GET", path)
            self.assertEqual(r.status, 200, "%s: %s" % (path, r.describe()))
            if r.headers.get("x-cache") == "hit":
                return r
        self.fail("%s not kept after 10 reads" % path)

    def keep_all(self, server):
        return {k: self.kept(server, p) for k, p in KEPT.items()}

    def new_case(self, server, token, day):
        return server.request("POST", "/api/v1/cases", token=token, body={
            "person": {"full_name": "Ca mới %s" % time.monotonic_ns(), "birth_year": 1990,
                       "sex": "female", "unit_code": COMMUNE},
            "detected_on": day, "source": "community", "test_type": "rt-pcr"})

    def test_every_kept_route_is_listed(self):
        rc, out, err = cli("routes", "--json")
        self.assertEqual(rc, 0, err)
        kept = {"%s %s" % (r["method"], r["pattern"]) for r in json.loads(out)
                if r["cache"] == "keep"}
        self.assertEqual(sorted(kept - set(KEPT)), [], "kept routes this test does not read")
        self.assertEqual(sorted(set(KEPT) - kept), [], "routes listed here are not kept")

    def test_a_write_makes_every_kept_answer_fresh(self):
        srv = self.server
        before = self.keep_all(srv)
        # A level decision for the commune, in force from 21/03/2022.
        r = self.post("/api/v1/units/%s/levels" % COMMUNE,
                      {"week_end": WEEK_END, "level": 4, "reason": "ổ dịch mới ở chợ"},
                      as_user="trucbach")
        self.assertStatus(r, 201)
        after = {k: srv.request("GET", p) for k, p in KEPT.items()}
        for k, a in after.items():
            self.assertEqual((a.status, a.headers.get("x-cache")), (200, "miss"),
                             "%s served from memory after a write" % k)
        self.assertEqual(level_on_map(after["GET /api/v1/levels"]), [4])
        self.assertNotEqual(level_on_map(before["GET /api/v1/levels"]), [4])
        self.assertIn("ổ dịch mới ở chợ", after["GET /api/v1/units/{code}/levels"].raw.decode())
        self.assertIn(COMMUNE, after["GET /api/v1/levels/changes"].raw.decode())
        self.assertNotEqual(after["GET /api/v1/levels.geojson"].raw,
                            before["GET /api/v1/levels.geojson"].raw)
        # A case: the commune's week and its district's children count it at once.
        weekly, children = before["GET /api/v1/units/{code}/weekly"], \
            before["GET /api/v1/units/{code}/children/weekly"]
        self.keep_all(srv)
        r = self.new_case(srv, self.token("trucbach"), "2022-03-16")
        self.assertStatus(r, 201)
        w = srv.request("GET", KEPT["GET /api/v1/units/{code}/weekly"])
        c = srv.request("GET", KEPT["GET /api/v1/units/{code}/children/weekly"])
        self.assertEqual((w.headers.get("x-cache"), week_cases(w)), ("miss", week_cases(weekly) + 1))
        self.assertEqual((c.headers.get("x-cache"), child_cases(c)),
                         ("miss", child_cases(children) + 1))

    def test_another_server_sees_a_write_within_its_time_to_live(self):
        other = Server(name="fresh-other", db=self.server.db, demo=False).start()
        try:
            path = KEPT["GET /api/v1/units/{code}/weekly"]
            was = week_cases(self.kept(other, path))
            self.keep_all(other)
            r = self.new_case(self.server, self.token("trucbach"), "2022-03-17")
            self.assertStatus(r, 201)
            written = time.monotonic()
            fresh = set()
            while len(fresh) < len(KEPT):
                for k, p in KEPT.items():
                    a = other.request("GET", p)
                    self.assertEqual(a.status, 200, "%s: %s" % (k, a.describe()))
                    if a.headers.get("x-cache") == "miss":
                        fresh.add(k)
                    if k == "GET /api/v1/units/{code}/weekly" and k in fresh:
                        self.assertEqual(week_cases(a), was + 1, "read afresh, still old")
                elapsed = time.monotonic() - written
                self.assertLess(elapsed, TTL_S + SLACK_S, "still kept after %.1f s: %s"
                                % (elapsed, sorted(set(KEPT) - fresh)))
        finally:
            other.stop()


if __name__ == "__main__":
    main()
