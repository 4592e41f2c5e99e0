"""
One ID number, one person nationally, and no leak across scope (security
finding 1: a case, contact or test entered elsewhere with the ID number of
a Phúc Xá resident used to link to that resident's record, return it whole,
and change it).

What must hold (docs/api.md, "People and links"):
- A record is about a person record of its own commune.  A caller entering
  the ID number of someone recorded in another commune sees only what it
  entered: the reply looks the same whether the number was known or not.
- The oldest record of the ID number (the home) is never changed from
  outside its scope; its commune sees a link (what was recorded where and
  when, and the differing fields as proposals) and an audit entry, and
  accepts or dismisses the proposals.
- No reply names a unit or a record outside the caller's scope (imports,
  cluster chains, contact lists).

Demo: Phúc Xá is commune 00001 (hamlet 00001-001), Trúc Bạch 00004
(hamlet 00004-001), both in district 001 (badinh); Tân Định 26734 is in Hồ
Chí Minh City (hcm).
"""

import itertools

from harness import ServerTestCase, main

PX, TB, TD = "00001-001", "00004-001", "26734"
_seq = itertools.count(1)


def idn():
    """A fresh 12-digit ID number."""
    return "0790%08d" % (next(_seq) * 7919 % 100000000)


def person(name, number=None, unit=PX, **kw):
    p = {"full_name": name, "unit_code": unit}
    if number:
        p["id_number"] = number
    p.update(kw)
    return p


class IdentityTest(ServerTestCase):

    def case(self, user, p, day="2021-08-10", **kw):
        body = {"person": p, "detected_on": day, "source": "community", "test_type": "rt-pcr"}
        body.update(kw)
        r = self.post("/api/v1/cases", body, as_user=user)
        self.assertStatus(r, 201)
        return r.json

    def get_case(self, user, cid):
        r = self.get("/api/v1/cases/%d" % cid, as_user=user)
        self.assertStatus(r, 200)
        return r.json

    def home(self, **kw):
        """A Phúc Xá resident with a case, entered by the commune's health worker."""
        number = idn()
        c = self.case("ytephucxa", person("Bùi Văn Nhà", number, birth_year=1990,
                                         address="Số 5 ngõ Phúc Xá", **kw))
        return number, c

    def links(self, user, unit="00001", status="open"):
        r = self.get("/api/v1/people/links?unit=%s&status=%s" % (unit, status), as_user=user)
        self.assertStatus(r, 200)
        return r.json["items"]

    def assertNoLeak(self, resp, *secrets):
        body = resp.raw.decode("utf-8")
        for s in secrets:
            self.assertNotIn(s, body, "leaked %r: %s" % (s, resp.describe()))

    # ---- the finding as reported ----
    def test_case_elsewhere_shows_only_what_was_entered(self):
        number, home = self.home()
        c = self.case("hcm", person("Nguyễn Thị Khác", number, TD, phone="0900000001"))
        self.assertNotEqual(c["person_id"], home["person_id"])
        r = self.get("/api/v1/cases/%d" % c["id"], as_user="hcm")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["person"]["full_name"], "Nguyễn Thị Khác")
        self.assertIsNone(r.json["person"]["birth_year"])
        self.assertIsNone(r.json["person"]["address"])
        self.assertEqual(r.json["person"]["unit_code"], TD)
        self.assertNoLeak(r, "Bùi Văn Nhà", "Phúc Xá", '"00001"', "00001-")
        # The reply looks the same as for a number nobody knows.
        fresh = self.case("hcm", person("Trần Văn Mới", idn(), TD))
        self.assertEqual(sorted(c), sorted(fresh))
        self.assertEqual(sorted(r.json["person"]),
                         sorted(self.get_case("hcm", fresh["id"])["person"]))
        # A second record in the same commune is about the same record there.
        again = self.case("hcm", person("Nguyễn Thị Khác", number, TD), day="2021-08-20")
        self.assertEqual(again["person_id"], c["person_id"])

    def test_home_record_unchanged_link_and_audit_at_home(self):
        number, home = self.home()
        self.case("hcm", person("Nguyễn Thị Khác", number, TD, phone="0900000002"),
                  severity="moderate")
        p = self.get_case("ytephucxa", home["id"])["person"]
        self.assertEqual((p["full_name"], p["phone"], p["birth_year"]), ("Bùi Văn Nhà", None, 1990))
        mine = [l for l in self.links("phucxa") if l["person"]["id"] == home["person_id"]]
        self.assertEqual(len(mine), 1, mine)
        link = mine[0]
        self.assertEqual((link["record"], link["record_commune"], link["record_on"], link["detail"]),
                         ("case", TD, "2021-08-10", "moderate"))
        self.assertEqual(link["proposed"], {"full_name": "Nguyễn Thị Khác", "phone": "0900000002"})
        r = self.get("/api/v1/audit?unit=00001&limit=100", as_user="phucxa")
        self.assertStatus(r, 200)
        audit = [e for e in r.json["items"] if e["action"] == "person.link"
                 and e["entity_id"] == str(home["person_id"])]
        self.assertEqual(len(audit), 1)
        # Hồ Chí Minh City sees no link, and cannot decide one.
        r = self.get("/api/v1/people/links?status=all", as_user="hcm")
        self.assertStatus(r, 200)
        self.assertNoLeak(r, "Bùi Văn Nhà", number)
        r = self.post("/api/v1/people/links/%d/accept" % link["id"], {}, as_user="hcm")
        self.assertError(r, 404)
        self.assertNoLeak(r, '"00001"', "00001-")

    def test_accept_copies_the_chosen_fields_once(self):
        number, home = self.home()
        self.case("hcm", person("Nguyễn Thị Khác", number, TD, phone="0900000003"))
        link = [l for l in self.links("ytephucxa") if l["person"]["id"] == home["person_id"]][0]
        r = self.post("/api/v1/people/links/%d/accept" % link["id"], {"fields": ["address"]},
                      as_user="phucxa", headers={"Accept-Language": "en"})
        self.assertError(r, 422, mentions="address")
        r = self.post("/api/v1/people/links/%d/accept" % link["id"],
                      {"fields": ["phone"], "note": "đã gọi xác nhận"}, as_user="phucxa")
        self.assertStatus(r, 200)
        p = self.get_case("ytephucxa", home["id"])["person"]
        self.assertEqual((p["full_name"], p["phone"]), ("Bùi Văn Nhà", "0900000003"))
        r = self.post("/api/v1/people/links/%d/accept" % link["id"], {}, as_user="phucxa")
        self.assertError(r, 409)
        done = [l for l in self.links("phucxa", status="accepted") if l["id"] == link["id"]]
        self.assertEqual(done[0]["decided_by"], "phucxa")
        self.assertEqual(done[0]["decision_note"], "đã gọi xác nhận")
        r = self.get("/api/v1/audit?unit=00001&limit=100", as_user="phucxa")
        acc = [e for e in r.json["items"] if e["action"] == "person_link.accept"
               and e["entity_id"] == str(home["person_id"])]
        self.assertEqual(len(acc), 1)
        self.assertEqual(acc[0]["before"], {"phone": None})
        self.assertEqual(acc[0]["after"]["phone"], "0900000003")

    def test_dismiss_changes_nothing(self):
        number, home = self.home()
        self.case("hcm", person("Sai Tên", number, TD, birth_year=1950))
        link = [l for l in self.links("phucxa") if l["person"]["id"] == home["person_id"]][0]
        r = self.post("/api/v1/people/links/%d/dismiss" % link["id"], {"note": "nhập nhầm số"},
                      as_user="phucxa")
        self.assertStatus(r, 200)
        p = self.get_case("ytephucxa", home["id"])["person"]
        self.assertEqual((p["full_name"], p["birth_year"]), ("Bùi Văn Nhà", 1990))
        self.assertFalse([l for l in self.links("phucxa") if l["id"] == link["id"]])

    def test_test_result_elsewhere_fills_nothing_in(self):
        number, home = self.home()
        r = self.post("/api/v1/tests", {"person": person("X", number, TD, phone="0911111111",
                                                         sex="male"),
                                        "taken_on": "2021-08-12", "test_type": "antigen",
                                        "result": "positive", "open_case": True}, as_user="hcm")
        self.assertStatus(r, 201)
        self.assertNotEqual(r.json["person_id"], home["person_id"])
        p = self.get_case("ytephucxa", home["id"])["person"]
        self.assertEqual((p["phone"], p["sex"]), (None, None))
        link = [l for l in self.links("phucxa") if l["person"]["id"] == home["person_id"]]
        self.assertEqual([(l["record"], l["detail"]) for l in link], [("test", "positive")])
        # Within the commune, a test still fills in what the record lacks.
        r = self.post("/api/v1/tests", {"person": person("Bùi Văn Nhà", number, PX, phone="0922"),
                                        "taken_on": "2021-08-13", "test_type": "antigen",
                                        "result": "negative"}, as_user="ytephucxa")
        self.assertStatus(r, 201)
        self.assertEqual(r.json["person_id"], home["person_id"])
        self.assertEqual(self.get_case("ytephucxa", home["id"])["person"]["phone"], "0922")

    def test_contact_elsewhere_shows_only_what_was_entered(self):
        number, home = self.home()
        src = self.case("hcm", person("Ca Nguồn", idn(), TD))
        r = self.post("/api/v1/cases/%d/contacts" % src["id"],
                      {"person": person("Tiếp Xúc", number, TD), "degree": 1,
                       "exposure_on": "2021-08-09"}, as_user="hcm")
        self.assertStatus(r, 201)
        self.assertNoLeak(r, "Bùi Văn Nhà", "Phúc Xá")
        r = self.get("/api/v1/cases/%d/contacts" % src["id"], as_user="hcm")
        self.assertStatus(r, 200)
        self.assertEqual([i["person"]["full_name"] for i in r.json["items"]], ["Tiếp Xúc"])
        self.assertNoLeak(r, "Bùi Văn Nhà", "ngõ Phúc Xá")

    def test_import_never_rewrites_or_names_another_scope(self):
        number, home = self.home(external_id=None)
        r = self.post("/api/v1/cases", {"person": person("Nhà Có Mã", idn()), "external_id": "PX-EXT-1",
                                        "detected_on": "2021-08-10", "source": "community",
                                        "test_type": "rt-pcr"}, as_user="ytephucxa")
        self.assertStatus(r, 201)
        px_case = r.json["id"]
        head = "external_id,full_name,id_number,unit_code,detected_on,test_type,phone\n"
        h = {"Content-Type": "text/csv", "Accept-Language": "en"}
        rows = "HCM-EXT-1,Tên Nhập,%s,%s,2021-08-10,rt-pcr,\n" % (number, TD)
        r = self.request("POST", "/api/v1/cases/import", raw=head + rows, headers=h, as_user="hcm")
        self.assertStatus(r, 200)
        rows = "HCM-EXT-1,Tên Đổi,%s,%s,2021-08-10,rt-pcr,0933333333\n" % (number, TD)
        r = self.request("POST", "/api/v1/cases/import", raw=head + rows, headers=h, as_user="hcm")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["updated"], 1)
        p = self.get_case("ytephucxa", home["id"])["person"]
        self.assertEqual((p["full_name"], p["phone"]), ("Bùi Văn Nhà", None))
        # An external_id used in Phúc Xá is a new case in Tân Định, and the
        # reply says nothing of Phúc Xá.
        rows = "PX-EXT-1,Người Khác,,%s,2021-08-11,antigen,\n" % TD
        r = self.request("POST", "/api/v1/cases/import", raw=head + rows, headers=h, as_user="hcm")
        self.assertStatus(r, 200)
        self.assertEqual((r.json["inserted"], r.json["updated"]), (1, 0))
        self.assertNoLeak(r, '"00001"', "00001-", "Nhà Có Mã")
        c = self.get_case("ytephucxa", px_case)
        self.assertEqual((c["person"]["full_name"], c["unit_code"]), ("Nhà Có Mã", PX))

    def test_merge_across_communes_is_refused(self):
        a = self.case("badinh", person("Hai Xã", unit=PX))
        b = self.case("badinh", person("Hai Xã", unit=TB))
        r = self.post("/api/v1/people/%d/merge" % b["person_id"], {"into": a["person_id"]},
                      as_user="badinh", headers={"Accept-Language": "en"})
        self.assertError(r, 422, mentions="communes")

    def test_cluster_chain_and_contacts_stay_in_scope(self):
        r = self.post("/api/v1/clusters", {"name": "Ổ dịch chợ Phúc Xá", "unit_code": "00001",
                                           "opened_on": "2021-08-01"}, as_user="ytephucxa")
        self.assertStatus(r, 201)
        cl = r.json["id"]
        a = self.case("ytephucxa", person("Người Ổ Dịch", idn()), cluster_id=cl)
        b = self.case("badinh", person("Người Trúc Bạch Lây", idn(), TB), infected_by=a["id"],
                      day="2021-08-12")
        r = self.post("/api/v1/cases/%d/contacts" % a["id"],
                      {"person": person("Tiếp Xúc Trúc Bạch", idn(), TB), "degree": 1,
                       "exposure_on": "2021-08-09"}, as_user="badinh")
        self.assertStatus(r, 201)
        r = self.get("/api/v1/clusters/%d" % cl, as_user="ytephucxa")
        self.assertStatus(r, 200)
        self.assertEqual([c["id"] for c in r.json["cases"]], [a["id"]])
        self.assertNotIn(b["id"], [n["id"] for n in r.json["chain"]["nodes"]])
        self.assertNoLeak(r, "Người Trúc Bạch Lây", TB)
        r = self.get("/api/v1/clusters/%d" % cl, as_user="badinh")
        self.assertIn(b["id"], [c["id"] for c in r.json["cases"]])
        r = self.get("/api/v1/cases/%d/contacts" % a["id"], as_user="ytephucxa")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["items"], [])
        self.assertNoLeak(r, "Tiếp Xúc Trúc Bạch")
        r = self.get("/api/v1/cases/%d/contacts" % a["id"], as_user="badinh")
        self.assertEqual(len(r.json["items"]), 1)

    def test_control_and_bidi_characters_refused(self):
        for bad in ("Nguyễn\x1b[31mVăn", "Nguyễn \u202egnaoH", "Tên\nhai dòng"):
            r = self.post("/api/v1/cases", {"person": person(bad), "detected_on": "2021-08-10",
                                            "source": "community", "test_type": "rt-pcr"},
                          as_user="ytephucxa", headers={"Accept-Language": "en"})
            self.assertError(r, 422, mentions="full_name", msg=repr(bad))
        r = self.post("/api/v1/units", {"parent_code": "00001", "level": "hamlet",
                                        "name": "Tổ \u202e1", "type": "tổ dân phố"},
                      as_user="phucxa", headers={"Accept-Language": "en"})
        self.assertError(r, 422, mentions="name")
        r = self.post("/api/v1/units", {"parent_code": PX, "level": "household",
                                        "name": "Hộ bà A", "address": "Số 1\x1b]0;x\x07",
                                        "members": 2}, as_user="phucxa",
                      headers={"Accept-Language": "en"})
        self.assertError(r, 422, mentions="address")


if __name__ == "__main__":
    main()
