"""
GET /api/v1/units and /api/v1/units/{code}: the real GSO tree, paging,
search, scope of hamlets/households, errors and their language.

Readings of docs/api.md this file relies on:
- `parent=CODE` lists the direct children of CODE (the districts of a province...).
- `q` is a diacritic- and case-insensitive substring match on the name; the
  results for a query lie between the word-bounded matches and the substring
  matches computed here from units.csv with the same folding.
- `total` is the number of matching items over all pages (the same on every page).
- A unit without population data has `"population": null`.
- For a caller without scope, `children.hamlet` and `children.household` are
  absent or null (not a number that would leak their existence).
- English messages (Accept-Language: en) of fixed errors are plain ASCII.
"""

import collections
import re
import unicodedata

from harness import (ServerTestCase, has_vietnamese_letter, main, population_csv,
                     qs, units_csv)

UNITS = units_csv()
BY_CODE = {r["code"]: r for r in UNITS}
BY_LEVEL = collections.defaultdict(list)
CHILDREN = collections.defaultdict(list)
for _r in UNITS:
    BY_LEVEL[_r["level"]].append(_r)
    CHILDREN[_r["parent_code"]].append(_r)


def fold(s):
    s = s.replace("đ", "d").replace("Đ", "D")
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return re.sub(r"[\W_]+", " ", s).strip()


class UnitsTest(ServerTestCase):

    def list_all(self, as_user=None, limit=1000, **params):
        """Follows `next` to the end; returns (items, totals seen, pages)."""
        items, totals, pages = [], [], 0
        cursor = None
        while True:
            r = self.get("/api/v1/units?" + qs(limit=limit, cursor=cursor, **params),
                         as_user=as_user)
            self.assertStatus(r, 200)
            body = r.json
            for key in ("items", "total", "next"):
                self.assertIn(key, body, r.describe())
            self.assertLessEqual(len(body["items"]), limit, "page larger than limit")
            items.extend(body["items"])
            totals.append(body["total"])
            pages += 1
            self.assertLess(pages, 200, "paging does not end")
            if body["next"] is None:
                return items, totals, pages
            self.assertIsInstance(body["next"], str)
            self.assertTrue(body["items"], "a page with a next cursor should not be empty")
            cursor = body["next"]

    # ---- counts and content of the real tree ----
    def test_province_total(self):
        r = self.get("/api/v1/units?level=province&limit=100")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["total"], 63)
        self.assertEqual(len(r.json["items"]), 63)
        self.assertIsNone(r.json["next"])
        self.assertEqual([i["code"] for i in r.json["items"]],
                         sorted(u["code"] for u in BY_LEVEL["province"]))
        hn = r.json["items"][0]
        self.assertEqual(hn["code"], "01")
        self.assertEqual(hn["name"], "Thành phố Hà Nội")
        self.assertEqual(hn["level"], "province")
        self.assertIsNone(hn["parent_code"])
        self.assertEqual(hn["type"], "Thành phố Trung ương")

    def test_default_lists_provinces(self):
        r = self.get("/api/v1/units")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["total"], 63)
        self.assertEqual({i["level"] for i in r.json["items"]}, {"province"})

    def test_default_limit_is_100(self):
        r = self.get("/api/v1/units?level=district")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["total"], 705)
        self.assertEqual(len(r.json["items"]), 100)
        self.assertIsNotNone(r.json["next"])

    def test_all_districts_match_csv(self):
        items, totals, _ = self.list_all(level="district", limit=1000)
        self.assertEqual(set(totals), {705})
        self.assertEqual(len(items), 705)
        want = sorted(BY_LEVEL["district"], key=lambda u: u["code"])
        self.assertEqual([i["code"] for i in items], [u["code"] for u in want])
        for got, exp in zip(items, want):
            self.assertEqual((got["name"], got["level"], got["parent_code"], got["type"]),
                             (exp["name"], "district", exp["parent_code"], exp["type"]),
                             got["code"])

    def test_all_communes_match_csv(self):
        items, totals, pages = self.list_all(level="commune", limit=1000)
        self.assertEqual(set(totals), {10603})
        self.assertEqual(pages, 11)
        codes = [i["code"] for i in items]
        self.assertEqual(len(codes), len(set(codes)), "a commune appeared twice")
        self.assertEqual(codes, sorted(codes), "items not ordered by code across pages")
        want = sorted(BY_LEVEL["commune"], key=lambda u: u["code"])
        self.assertEqual(codes, [u["code"] for u in want])
        for got, exp in zip(items, want):
            self.assertEqual((got["name"], got["parent_code"], got["type"]),
                             (exp["name"], exp["parent_code"], exp["type"]), got["code"])

    def test_commune_total(self):
        r = self.get("/api/v1/units?level=commune&limit=1")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["total"], 10603)
        self.assertEqual(len(r.json["items"]), 1)

    def test_population(self):
        pop = population_csv()
        for code in ("01", "001", "00001"):
            r = self.get("/api/v1/units/" + code)
            self.assertStatus(r, 200)
            self.assertEqual(r.json["population"], pop[code], code)
        missing = [u["code"] for u in UNITS if u["code"] not in pop]
        if missing:
            r = self.get("/api/v1/units/" + missing[0])
            self.assertStatus(r, 200)
            self.assertIsNone(r.json["population"], "unknown population should be null")

    # ---- paging ----
    def test_cursor_paging_over_a_district(self):
        counts = collections.Counter(u["parent_code"] for u in BY_LEVEL["commune"])
        district, n = counts.most_common(1)[0]
        items, totals, pages = self.list_all(parent=district, limit=5)
        self.assertEqual(set(totals), {n})
        codes = [i["code"] for i in items]
        self.assertEqual(len(codes), len(set(codes)), "a commune appeared on two pages")
        self.assertEqual(codes, sorted(u["code"] for u in CHILDREN[district]))
        self.assertEqual(pages, (n + 4) // 5)

    def test_limit_one_walks_a_small_district(self):
        kids = sorted(u["code"] for u in CHILDREN["001"])
        items, totals, pages = self.list_all(parent="001", limit=1)
        self.assertEqual([i["code"] for i in items], kids)
        self.assertEqual(pages, len(kids))
        self.assertEqual(set(totals), {len(kids)})

    def test_limit_bounds(self):
        self.assertStatus(self.get("/api/v1/units?level=commune&limit=1000"), 200)
        for bad in ("0", "abc", "-1", "1001", "1.5", "10x"):
            r = self.get("/api/v1/units?level=commune&limit=" + bad)
            self.assertError(r, 400, "invalid", msg="limit=%r" % bad)

    def test_bad_level(self):
        for bad in ("town", "PROVINCE", "village"):
            r = self.get("/api/v1/units?" + qs(level=bad))
            self.assertError(r, 400, "invalid", msg="level=%r" % bad)

    # ---- parent filter ----
    def test_parent_hanoi(self):
        want = sorted(u["code"] for u in CHILDREN["01"])
        self.assertEqual(len(want), 30)  # from units.csv
        r = self.get("/api/v1/units?parent=01&limit=1000")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["total"], len(want))
        self.assertEqual([i["code"] for i in r.json["items"]], want)
        self.assertEqual({i["level"] for i in r.json["items"]}, {"district"})
        self.assertEqual({i["parent_code"] for i in r.json["items"]}, {"01"})

    def test_parent_with_level(self):
        want = sorted(u["code"] for u in CHILDREN["001"])
        r = self.get("/api/v1/units?parent=001&level=commune&limit=1000")
        self.assertStatus(r, 200)
        self.assertEqual([i["code"] for i in r.json["items"]], want)

    def test_parent_several_provinces(self):
        for prov in [u["code"] for u in BY_LEVEL["province"]][::10]:
            want = sorted(u["code"] for u in CHILDREN[prov])
            r = self.get("/api/v1/units?" + qs(parent=prov, limit=1000))
            self.assertStatus(r, 200)
            self.assertEqual(r.json["total"], len(want), prov)
            self.assertEqual([i["code"] for i in r.json["items"]], want, prov)

    def test_unknown_parent(self):
        for bad in ("99", "999", "99999", "xyz"):
            r = self.get("/api/v1/units?" + qs(parent=bad))
            self.assertError(r, 404, "not_found", msg="parent=" + bad)

    # ---- search ----
    def search(self, q, as_user=None, **params):
        r = self.get("/api/v1/units?" + qs(q=q, limit=1000, **params), as_user=as_user)
        self.assertStatus(r, 200)
        return r.json

    def check_search(self, q):
        body = self.search(q)
        got = {i["code"] for i in body["items"]}
        fq = fold(q)
        sub = {u["code"] for u in UNITS if fq in fold(u["name"])}
        word = {u["code"] for u in UNITS
                if re.search(r"(^| )" + re.escape(fq) + r"( |$)", fold(u["name"]))}
        self.assertTrue(word <= got, "q=%r misses %s" % (q, sorted(word - got)[:10]))
        self.assertTrue(got <= sub, "q=%r returns non-matching %s" % (q, sorted(got - sub)[:10]))
        self.assertEqual(body["total"], len(got))
        self.assertEqual([i["code"] for i in body["items"]],
                         sorted(i["code"] for i in body["items"]), "search results not by code")
        return body

    def test_search_ha_noi(self):
        body = self.check_search("ha noi")
        hn = [i for i in body["items"] if i["code"] == "01"]
        self.assertEqual(len(hn), 1, "q=ha noi should find 01")
        self.assertEqual(hn[0]["name"], "Thành phố Hà Nội")

    def test_search_phuc_xa(self):
        body = self.check_search("phuc xa")
        px = [i for i in body["items"] if i["code"] == "00001"]
        self.assertEqual(len(px), 1, "q=phuc xa should find 00001")
        self.assertEqual(px[0]["name"], "Phường Phúc Xá")

    def test_search_ignores_case_and_diacritics(self):
        base = self.search("ha noi")
        for q in ("HA NOI", "Hà Nội", "hà nội", "  Ha   Noi ", "HÀ NỘI"):
            body = self.search(q)
            self.assertEqual([i["code"] for i in body["items"]],
                             [i["code"] for i in base["items"]], "q=%r" % q)
            self.assertEqual(body["total"], base["total"], "q=%r" % q)
        # decomposed (NFD) input folds the same as precomposed
        nfd = unicodedata.normalize("NFD", "Phúc Xá")
        self.assertIn("00001", {i["code"] for i in self.search(nfd)["items"]})

    def test_search_within_a_subtree(self):
        # "phuc" names units all over the country; within Hà Nội only its own,
        # within Ba Đình only Phúc Xá and Vĩnh Phúc (the pickers' search).
        def under(code, root):
            while code and code != root:
                code = PARENT.get(code)
            return code == root
        PARENT = {u["code"]: u["parent_code"] for u in UNITS}
        everywhere = {i["code"] for i in self.search("phuc")["items"]}
        hn = {i["code"] for i in self.search("phuc", within="01")["items"]}
        self.assertTrue(hn and hn < everywhere)
        self.assertEqual(hn, {c for c in everywhere if under(c, "01")})
        bd = self.search("Phúc", within="001")
        self.assertEqual([i["code"] for i in bd["items"]], ["00001", "00006"])
        self.assertEqual(bd["total"], 2)
        self.assertEqual({i["code"] for i in self.search("phuc", within="VN")["items"]}, everywhere)
        self.assertError(self.get("/api/v1/units?" + qs(within="01")), 400, mentions="within")
        self.assertError(self.get("/api/v1/units?" + qs(q="phuc", within="99")), 404, "not_found")

    def test_search_d_with_stroke(self):
        self.check_search("ba dinh")
        self.assertIn("001", {i["code"] for i in self.search("Ba Đình")["items"]})

    def test_search_more(self):
        for q in ("truc bach", "hoan kiem", "tanh linh", "quynh phu"):
            self.check_search(q)

    def test_search_with_level(self):
        body = self.search("ba dinh", level="district")
        self.assertIn("001", {i["code"] for i in body["items"]})
        self.assertEqual({i["level"] for i in body["items"]}, {"district"})

    # ---- one unit ----
    def test_get_commune_with_path_and_children(self):
        r = self.get("/api/v1/units/00001")
        self.assertStatus(r, 200)
        u = r.json
        self.assertEqual((u["code"], u["name"], u["level"], u["parent_code"], u["type"]),
                         ("00001", "Phường Phúc Xá", "commune", "001", "Phường"))
        self.assertEqual([(p["code"], p["name"], p["level"]) for p in u["path"]],
                         [("01", "Thành phố Hà Nội", "province"),
                          ("001", "Quận Ba Đình", "district"),
                          ("00001", "Phường Phúc Xá", "commune")])
        ch = u["children"]
        self.assertEqual(ch["district"], 0)
        self.assertEqual(ch["commune"], 0)
        self.assertIsNone(ch.get("hamlet"), "anonymous must not see hamlet counts")
        self.assertIsNone(ch.get("household"), "anonymous must not see household counts")

    def test_get_province_and_district_children(self):
        r = self.get("/api/v1/units/01")
        self.assertStatus(r, 200)
        self.assertEqual([p["code"] for p in r.json["path"]], ["01"])
        self.assertEqual(r.json["children"]["district"], len(CHILDREN["01"]))
        self.assertEqual(r.json["children"]["commune"], 0)
        r = self.get("/api/v1/units/001")
        self.assertStatus(r, 200)
        self.assertEqual([p["code"] for p in r.json["path"]], ["01", "001"])
        self.assertEqual(r.json["children"]["commune"], len(CHILDREN["001"]))
        self.assertEqual(r.json["children"]["district"], 0)

    def test_sampled_commune_paths(self):
        communes = [u for u in UNITS if u["level"] == "commune"][::50]
        self.assertGreater(len(communes), 150)
        for c in communes:
            district = BY_CODE[c["parent_code"]]
            r = self.get("/api/v1/units/" + c["code"])
            self.assertStatus(r, 200)
            path = r.json["path"]
            self.assertEqual([(p["code"], p["level"]) for p in path],
                             [(district["parent_code"], "province"),
                              (district["code"], "district"),
                              (c["code"], "commune")], c["code"])
            self.assertEqual(path[0]["name"], BY_CODE[district["parent_code"]]["name"])
            self.assertEqual(path[2]["name"], c["name"])

    def test_unknown_code(self):
        for bad in ("99999", "98", "998", "00001-999", "00001-001-9999", "abc", "VN-1"):
            r = self.get("/api/v1/units/" + bad)
            self.assertError(r, 404, "not_found", msg=bad)

    # ---- scope of hamlets and households ----
    def test_anonymous_cannot_see_hamlets(self):
        for code in ("00001-001", "00001-002", "00004-001", "00001-001-0001"):
            self.assertError(self.get("/api/v1/units/" + code), 404, "not_found", msg=code)
        r = self.get("/api/v1/units?parent=00001&level=hamlet")
        self.assertStatus(r, 200)
        self.assertEqual((r.json["total"], r.json["items"]), (0, []))
        for level in ("hamlet", "household"):
            r = self.get("/api/v1/units?level=" + level)
            self.assertStatus(r, 200)
            self.assertEqual(r.json["total"], 0, "anonymous lists %ss" % level)
        body = self.search("to dan pho")
        self.assertFalse([i for i in body["items"] if i["level"] in ("hamlet", "household")],
                         "anonymous search shows hamlets")

    def test_commune_officer_sees_own_hamlets(self):
        r = self.get("/api/v1/units?parent=00001&level=hamlet", as_user="phucxa")
        self.assertStatus(r, 200)
        self.assertEqual([(i["code"], i["name"], i["level"], i["parent_code"])
                          for i in r.json["items"]],
                         [("00001-001", "Tổ dân phố 1", "hamlet", "00001"),
                          ("00001-002", "Tổ dân phố 2", "hamlet", "00001")])
        self.assertEqual(r.json["total"], 2)
        r = self.get("/api/v1/units/00001-001", as_user="phucxa")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["name"], "Tổ dân phố 1")
        self.assertEqual([(p["code"], p["level"]) for p in r.json["path"]],
                         [("01", "province"), ("001", "district"), ("00001", "commune"),
                          ("00001-001", "hamlet")])
        self.assertEqual(r.json["children"]["household"], 1)
        r = self.get("/api/v1/units/00001", as_user="phucxa")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["children"]["hamlet"], 2)
        self.assertEqual(r.json["children"]["household"], 0)   # direct children only
        r = self.get("/api/v1/units/00001-001-0001", as_user="phucxa")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["level"], "household")
        self.assertEqual(len(r.json["path"]), 5)
        # whole-level lists only show what is in scope
        r = self.get("/api/v1/units?level=hamlet&limit=1000", as_user="phucxa")
        self.assertStatus(r, 200)
        self.assertEqual([i["code"] for i in r.json["items"]], ["00001-001", "00001-002"])
        body = self.search("to dan pho", as_user="phucxa")
        hamlets = {i["code"] for i in body["items"] if i["level"] == "hamlet"}
        self.assertEqual(hamlets, {"00001-001", "00001-002"})

    def test_commune_officer_does_not_see_other_commune(self):
        self.assertError(self.get("/api/v1/units/00004-001", as_user="phucxa"), 404, "not_found")
        r = self.get("/api/v1/units/00004", as_user="phucxa")
        self.assertStatus(r, 200)   # communes are public
        self.assertIsNone(r.json["children"].get("hamlet"))

    # ---- error language ----
    def test_error_language(self):
        vi = self.get("/api/v1/units/99999")
        en = self.get("/api/v1/units/99999", headers={"Accept-Language": "en"})
        en2 = self.get("/api/v1/units/99999", headers={"Accept-Language": "en-US,en;q=0.9"})
        vi2 = self.get("/api/v1/units/99999", headers={"Accept-Language": "vi-VN,vi;q=0.9"})
        for r in (vi, en, en2, vi2):
            self.assertError(r, 404, "not_found")
        self.assertNotEqual(vi.error_message, en.error_message)
        self.assertTrue(has_vietnamese_letter(vi.error_message),
                        "default message is not Vietnamese: %r" % vi.error_message)
        self.assertFalse(has_vietnamese_letter(en.error_message),
                         "English message has Vietnamese letters: %r" % en.error_message)
        self.assertTrue(en.error_message.isascii(), en.error_message)
        self.assertEqual(en2.error_message, en.error_message)
        self.assertEqual(vi2.error_message, vi.error_message)
        r = self.get("/api/v1/units?limit=0", headers={"Accept-Language": "en"})
        self.assertError(r, 400, "invalid", mentions="limit")
        self.assertTrue(r.error_message.isascii(), r.error_message)
        r = self.get("/api/v1/units?limit=0")
        self.assertError(r, 400, "invalid", mentions="limit")
        self.assertTrue(has_vietnamese_letter(r.error_message), r.error_message)

    def test_json_content_type(self):
        r = self.get("/api/v1/units/01")
        self.assertRegex(r.headers.get("content-type", ""),
                         r"^application/json;\s*charset=utf-8$")
        r = self.get("/api/v1/units/99999")
        self.assertRegex(r.headers.get("content-type", ""),
                         r"^application/json;\s*charset=utf-8$")


if __name__ == "__main__":
    main()
