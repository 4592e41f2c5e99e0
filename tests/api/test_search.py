"""
The pickers' search and the case page's reads and edits:
GET /api/v1/search (units, cases, people, rule sets), GET /api/v1/cases/{id}/file,
PATCH /api/v1/people/{id} and PATCH /api/v1/cases/{id} as the case page uses them.

Names match without diacritics or case, Đ/đ as d, on both backends.  A
person or case is only ever found in the reader's scope: an ID number or a
case number recorded only in another province answers byte for byte as one
recorded nowhere.

Demo: ytephucxa is the health worker of commune 00001 (Hà Nội), hcm the
officer of province 79, trucbach the officer of commune 00004 beside 00001.
"""

from harness import ServerTestCase, main

HW = "ytephucxa"
IDN_HN = "001085012345"
IDN_HCM = "079085054321"       # recorded only in Hồ Chí Minh City
IDN_NONE = "079085054329"      # recorded nowhere


def case_body(name, idn, unit, day="2021-09-10"):
    return {"person": {"full_name": name, "id_number": idn, "birth_year": 1985, "sex": "male",
                       "unit_code": unit},
            "detected_on": day, "source": "community", "test_type": "rt-pcr"}


class SearchTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()

        def post(path, body, user):
            r = cls.server.request("POST", path, body=body, token=cls.token(user))
            assert r.status == 201, r.describe()
            return r.json

        j = post("/api/v1/cases", case_body("Đặng Văn Dũng", IDN_HN, "00001-001"), HW)
        cls.case_hn, cls.person_hn = j["id"], j["person_id"]
        j = post("/api/v1/cases", case_body("Đặng Thị Hồng", IDN_HCM, "26734"), "hcm")
        cls.case_hcm, cls.person_hcm = j["id"], j["person_id"]
        j = post("/api/v1/cases/%d/contacts" % cls.case_hn, {
            "person": {"full_name": "Lê Thị Đào", "birth_year": 1990, "sex": "female",
                       "unit_code": "00001-001"},
            "degree": 1, "exposure_on": "2021-09-08"}, HW)
        cls.contact_hn, cls.contact_person = j["id"], j["person"]["id"]
        post("/api/v1/isolations", {"person_id": cls.contact_person, "kind": "home",
                                    "unit_code": "00001-001", "started_on": "2021-09-10",
                                    "contact_id": cls.contact_hn}, HW)
        post("/api/v1/tests", {"person": {"full_name": "Đặng Văn Dũng", "id_number": IDN_HN,
                                          "unit_code": "00001-001"},
                               "taken_on": "2021-09-09", "test_type": "antigen",
                               "result": "positive"}, HW)

    def search(self, q, kind=None, as_user=HW, status=200):
        path = "/api/v1/search?q=" + __import__("urllib.parse").parse.quote(q)
        if kind:
            path += "&kind=" + kind
        r = self.get(path, as_user=as_user)
        self.assertStatus(r, status)
        return r

    def ids(self, r, kind):
        return [i["id"] for i in r.json["items"] if i["kind"] == kind]

    def test_names_match_without_diacritics_or_case(self):
        for q in ("dang van dung", "ĐẶNG VĂN", "Dũng", "dung", "DANG van"):
            r = self.search(q, "case")
            self.assertEqual(self.ids(r, "case"), [self.case_hn], q)
            r = self.search(q, "person")
            self.assertEqual(self.ids(r, "person"), [self.person_hn], q)
        hit = self.search("dang van dung", "case").json["items"][0]
        self.assertEqual(hit["full_name"], "Đặng Văn Dũng")
        self.assertEqual(hit["id_number"], IDN_HN)
        self.assertEqual(hit["detected_on"], "2021-09-10")
        self.assertEqual(hit["unit_code"], "00001-001")
        dao = self.search("đào", "person").json["items"][0]
        self.assertEqual((dao["id"], dao["case_id"]), (self.contact_person, None))
        self.assertEqual(self.search("dung", "person").json["items"][0]["case_id"], self.case_hn)
        self.assertEqual(self.search("x", "person").json["items"], [])

    def test_scope_keeps_other_provinces_out(self):
        # Both Đặng are found by their own province only.
        self.assertEqual(self.ids(self.search("dang", "person"), "person"), [self.person_hn])
        self.assertEqual(self.ids(self.search("dang", "person", as_user="hcm"), "person"),
                         [self.person_hcm])
        self.assertEqual(self.ids(self.search("dang", "case", as_user="trucbach"), "case"), [])
        self.assertEqual(self.ids(self.search("dang", "case", as_user="admin"), "case"),
                         [self.case_hcm, self.case_hn])

    def test_no_oracle_for_numbers_outside_scope(self):
        # The ID number exists in HCM only; the other nowhere: the same answer.
        for kind in (None, "person", "case"):
            there = self.search(IDN_HCM, kind)
            nowhere = self.search(IDN_NONE, kind)
            self.assertEqual(there.json["items"], [])
            self.assertEqual(there.raw, nowhere.raw)
            self.assertEqual(there.headers.get("content-length"),
                             nowhere.headers.get("content-length"))
        # In its own province it is found.
        self.assertEqual(self.ids(self.search(IDN_HCM, "person", as_user="hcm"), "person"),
                         [self.person_hcm])
        # A case number the same: HCM's case seen from Hà Nội is a case that is not.
        missing = max(self.case_hn, self.case_hcm) + 1000
        there = self.search("#%d" % self.case_hcm, "case")
        nowhere = self.search("#%d" % missing, "case")
        self.assertEqual(there.raw, nowhere.raw)
        self.assertEqual(self.ids(self.search("#%d" % self.case_hn, "case"), "case"), [self.case_hn])
        self.assertEqual(self.ids(self.search("0010 8501 2345", "case"), "case"),
                         [self.case_hn])

    def test_units_and_rule_sets(self):
        r = self.search("phuc xa")
        self.assertIn("00001", self.ids_units(r))
        r = self.search("218", "ruleset")
        self.assertEqual([i["id"] for i in r.json["items"]], ["qd218-2022"])
        self.assertTrue(r.json["items"][0]["title"]["vi"])
        r = self.search("", "ruleset")
        self.assertGreaterEqual(len(r.json["items"]), 3)
        # Rule sets only when asked for.
        self.assertNotIn("ruleset", [i["kind"] for i in self.search("qd").json["items"]])

    def ids_units(self, r):
        return [i["code"] for i in r.json["items"] if i["kind"] == "unit"]

    def test_bad_parameters_and_roles(self):
        self.assertError(self.search("a", "everything", status=400), 400, mentions="kind")
        self.assertError(self.search("a" * 101, status=400), 400, mentions="q")
        self.assertError(self.get("/api/v1/search?q=dang&limit=21", as_user=HW), 400)
        # Citizens and businesses have no pickers of people.
        self.assertError(self.search("dang", as_user="nguoidan", status=403), 403)
        self.assertError(self.get("/api/v1/search?q=dang"), 401)

    def test_case_file_reads_tests_and_isolations_in_scope(self):
        r = self.get("/api/v1/cases/%d/file" % self.case_hn, as_user=HW)
        self.assertStatus(r, 200)
        self.assertEqual([(t["taken_on"], t["result"]) for t in r.json["tests"]],
                         [("2021-09-09", "positive")])
        iso = r.json["isolations"]
        self.assertEqual([(i["contact_id"], i["full_name"]) for i in iso],
                         [(self.contact_hn, "Lê Thị Đào")])
        for who in ("trucbach", "hcm"):
            self.assertError(self.get("/api/v1/cases/%d/file" % self.case_hn, as_user=who), 404)

    def test_names_out_of_scope_answer_as_names_nowhere(self):
        # "Đặng Thị Hồng" is recorded in Hồ Chí Minh City only, "Quách Thị
        # Yến" nowhere: from Hà Nội the same bytes.
        for kind in ("person", "case"):
            there, nowhere = self.search("dang thi hong", kind), self.search("quach thi yen", kind)
            self.assertEqual(there.json["items"], [])
            self.assertEqual(there.raw, nowhere.raw, kind)
        self.assertEqual(self.ids(self.search("dang thi hong", "case", as_user="hcm"), "case"),
                         [self.case_hcm])

    def test_short_texts(self):
        # Two letters find names that begin with them (Đặng, Lê), not the
        # names holding them inside; one letter nothing; 3 anywhere.
        self.assertEqual(self.ids(self.search("Đặ", "person"), "person"), [self.person_hn])
        self.assertEqual(self.ids(self.search("le", "person"), "person"), [self.contact_person])
        self.assertEqual(self.ids(self.search("ng", "person"), "person"), [])
        self.assertEqual(self.ids(self.search("d", "person"), "person"), [])
        self.assertEqual(self.ids(self.search("ung", "person"), "person"), [self.person_hn])
        # Punctuation separates words, as spaces do.
        self.assertEqual(self.ids(self.search("Đặng,Văn", "person"), "person"), [self.person_hn])
        # Units: two letters among provinces, districts and communes only.
        units = self.search("xa", "unit", as_user="phucxa").json["items"]
        self.assertTrue(units)
        self.assertEqual({u["level"] for u in units} - {"province", "district", "commune"}, set())

    def test_imported_and_renamed_people_found(self):
        # A CSV import writes people by its own statements: the name index
        # follows its inserts and, when a line comes again with another
        # name, its update.
        head = "external_id,full_name,id_number,birth_year,sex,unit_code,detected_on,source,test_type\n"
        row = "SRCH-1,{},,1980,male,00001-001,2021-11-02,community,rt-pcr\n"
        h = {"Content-Type": "text/csv"}
        r = self.request("POST", "/api/v1/cases/import", raw=head + row.format("Mạc Đĩnh Chi"),
                         headers=h, as_user="phucxa")
        self.assertStatus(r, 200)
        found = self.search("mac dinh chi", "case")
        self.assertEqual(len(self.ids(found, "case")), 1, found.describe())
        self.assertEqual(found.json["items"][0]["full_name"], "Mạc Đĩnh Chi")
        case_id = found.json["items"][0]["id"]
        r = self.request("POST", "/api/v1/cases/import", raw=head + row.format("Mạc Thị Bưởi"),
                         headers=h, as_user="phucxa")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["updated"], 1, r.describe())
        self.assertEqual(self.ids(self.search("mac dinh chi", "case"), "case"), [])
        self.assertEqual(self.ids(self.search("mạc thị bưởi", "case"), "case"), [case_id])
        self.assertEqual(len(self.ids(self.search("thi buoi", "person"), "person")), 1)

    def test_patch_person_phone_and_address(self):
        path = "/api/v1/people/%d" % self.person_hn
        r = self.request("PATCH", path, body={"phone": "0912 345 678", "address": "Số 5 ngõ 3"},
                         as_user=HW)
        self.assertStatus(r, 200)
        case = self.get("/api/v1/cases/%d" % self.case_hn, as_user=HW).json
        self.assertEqual((case["person"]["phone"], case["person"]["address"]),
                         ("0912 345 678", "Số 5 ngõ 3"))
        # A bad phone names its field and changes nothing.
        r = self.request("PATCH", path, body={"phone": "09ab", "address": "Khác"}, as_user=HW)
        self.assertError(r, 422, field="phone")
        case = self.get("/api/v1/cases/%d" % self.case_hn, as_user=HW).json
        self.assertEqual(case["person"]["address"], "Số 5 ngõ 3")
        self.assertError(self.request("PATCH", path, body={}, as_user=HW), 422, field="phone")
        # Out of scope: as unknown as a person that is not.
        for who in ("trucbach", "hcm"):
            self.assertError(self.request("PATCH", path, body={"phone": "0912000000"},
                                          as_user=who), 404)
        self.assertError(self.request("PATCH", path, body={"phone": "0912000000"},
                                      as_user="nguoidan"), 403)
        # Cleared with "", audited with before and after.
        r = self.request("PATCH", path, body={"address": ""}, as_user=HW)
        self.assertStatus(r, 200)
        case = self.get("/api/v1/cases/%d" % self.case_hn, as_user=HW).json
        self.assertIsNone(case["person"].get("address"))
        r = self.get("/api/v1/audit?unit=00001&limit=500", as_user="phucxa")
        rows = [e for e in r.json["items"] if e["action"] == "person.update"]
        self.assertTrue(rows, r.describe())

    def test_case_outcome_edit_as_the_page_sends_it(self):
        body = case_body("Trịnh Văn Khỏi", None, "00001-001")
        del body["person"]["id_number"]
        c = self.post("/api/v1/cases", body, as_user=HW).json
        path = "/api/v1/cases/%d" % c["id"]
        r = self.request("PATCH", path, body={"outcome": "recovered"}, as_user=HW)
        self.assertError(r, 422, field="outcome")
        r = self.request("PATCH", path, body={"outcome": "recovered", "outcome_on": "2021-09-01"},
                         as_user=HW)
        self.assertError(r, 422, field="outcome_on")
        r = self.request("PATCH", path, body={"severity": "moderate", "outcome": "recovered",
                                              "outcome_on": "2021-09-24"}, as_user=HW)
        self.assertStatus(r, 200)
        self.assertEqual((r.json["severity"], r.json["outcome"], r.json["outcome_on"]),
                         ("moderate", "recovered", "2021-09-24"))


if __name__ == "__main__":
    main()
