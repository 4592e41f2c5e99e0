"""
The contacts to follow up today (GET /api/v1/contacts/due?unit=): the F1
and F2 living under the unit whose quarantine runs today, with no isolation
opened for them and not become a case since; a page at a time; names only
in the reader's personal scope.

Fixtures, made through the API by the health worker of Phúc Xá (00001) and
the officer of Trúc Bạch (00004), asked about 20/10/2021 (`on=`; from
11/10/2021 an F1 stays home 7 days from the exposure, an F2 not at all):
- due in Phúc Xá: "Đến Hạn Một" (F1 on 18/10), "Đến Hạn Hai" (F1 on 19/10);
- not due: "F2 Không Cách Ly" (an F2 on 19/10), "Đã Cách Ly" (an isolation
  opened for the contact), "Đã Hết Hạn" (F1 on 01/09), "Đã Thành Ca" (a case
  since the exposure);
- due in Trúc Bạch: "Trúc Bạch Đến Hạn", never shown to Phúc Xá's readers.
Today (no `on=`), under the rules since 17/03/2022, nobody is due.
"""

from harness import ServerTestCase, main


ON = "2021-10-20"
DUE = "/api/v1/contacts/due?on=%s&unit=" % ON


class ContactsDueTest(ServerTestCase):
    @classmethod
    def contact(cls, case_id, name, unit, degree, exposure_on, as_user, idn=None):
        person = {"full_name": name, "unit_code": unit}
        if idn:
            person["id_number"] = idn
        return cls.fixture_post("/api/v1/cases/%d/contacts" % case_id, {
            "person": person, "degree": degree, "exposure_on": exposure_on}, as_user)

    @classmethod
    def make_fixture(cls):
        case = cls.fixture_post("/api/v1/cases", {
            "person": {"full_name": "Ca Nguồn Phúc Xá", "id_number": "001190077001",
                       "unit_code": "00001-001-0001"},
            "detected_on": "2021-10-18", "source": "community", "test_type": "rt-pcr"}, "ytephucxa")
        hw = "ytephucxa"
        cls.due1 = cls.contact(case["id"], "Đến Hạn Một", "00001-001", 1, "2021-10-18", hw)
        cls.due2 = cls.contact(case["id"], "Đến Hạn Hai", "00001-001", 1, "2021-10-19", hw)
        cls.contact(case["id"], "F2 Không Cách Ly", "00001-001", 2, "2021-10-19", hw)
        isolated = cls.contact(case["id"], "Đã Cách Ly", "00001-001", 1, "2021-10-18", hw)
        cls.fixture_post("/api/v1/isolations", {
            "person_id": isolated["person"]["id"], "contact_id": isolated["id"], "kind": "home",
            "unit_code": "00001-001", "started_on": "2021-10-19"}, hw)
        cls.contact(case["id"], "Đã Hết Hạn", "00001-001", 1, "2021-09-01", hw)
        cls.contact(case["id"], "Đã Thành Ca", "00001-001", 1, "2021-10-18", hw, idn="001190077002")
        cls.fixture_post("/api/v1/cases", {
            "person": {"full_name": "Đã Thành Ca", "id_number": "001190077002",
                       "unit_code": "00001-001"},
            "detected_on": "2021-10-19", "source": "quarantine", "test_type": "antigen"}, hw)
        other = cls.fixture_post("/api/v1/cases", {
            "person": {"full_name": "Ca Nguồn Trúc Bạch", "id_number": "001190077003",
                       "unit_code": "00004-001"},
            "detected_on": "2021-10-18", "source": "community", "test_type": "rt-pcr"}, "trucbach")
        cls.due_tb = cls.contact(other["id"], "Trúc Bạch Đến Hạn", "00004-001", 1, "2021-10-19",
                                 "trucbach")

    def names(self, resp):
        self.assertStatus(resp, 200)
        return [x["person"]["full_name"] for x in resp.json["items"]]

    def test_the_communes_contacts_due_today_and_only_them(self):
        r = self.get(DUE + "00001", as_user="phucxa")
        self.assertEqual(self.names(r), ["Đến Hạn Một", "Đến Hạn Hai"])
        self.assertEqual(r.json["on"], ON)
        self.assertIsNone(r.json["next"])
        first = r.json["items"][0]
        self.assertEqual(first["id"], self.due1["id"])
        self.assertEqual(first["case_id"], self.due1["case_id"])
        self.assertEqual(first["degree"], 1)
        self.assertEqual((first["quarantine_start"], first["quarantine_end"]),
                         ("2021-10-18", "2021-10-25"))
        # The last day of the quarantine still, not the day after.
        self.assertEqual(self.names(self.get("/api/v1/contacts/due?on=2021-10-25&unit=00001",
                                             as_user="phucxa")), ["Đến Hạn Một", "Đến Hạn Hai"])
        self.assertEqual(self.names(self.get("/api/v1/contacts/due?on=2021-10-26&unit=00001",
                                             as_user="phucxa")), ["Đến Hạn Hai"])
        # Today, under the rules in force since 17/03/2022: nobody.
        r = self.get("/api/v1/contacts/due?unit=00001", as_user="phucxa")
        self.assertEqual(self.names(r), [])
        self.assertNotEqual(r.json["on"], ON)

    def test_district_reads_its_communes_and_not_another_district(self):
        self.assertEqual(self.names(self.get(DUE + "001", as_user="badinh")),
                         ["Đến Hạn Một", "Đến Hạn Hai", "Trúc Bạch Đến Hạn"])
        self.assertEqual(self.names(self.get(DUE + "00004",
                                             as_user="trucbach")), ["Trúc Bạch Đến Hạn"])

    def test_out_of_scope_gets_nothing_of_anothers(self):
        # Another commune of the same district, and a whole other province.
        for unit in ("00004", "001", "01", "79"):
            r = self.get(DUE + "" + unit, as_user="phucxa")
            names = self.names(r)
            self.assertNotIn("Trúc Bạch Đến Hạn", names, unit)
            self.assertNotIn("Trúc Bạch", r.raw.decode(), unit)
        self.assertEqual(self.names(self.get(DUE + "00004",
                                             as_user="phucxa")), [])

    def test_a_page_at_a_time(self):
        r = self.get(DUE + "00001&limit=1", as_user="ytephucxa")
        self.assertEqual(self.names(r), ["Đến Hạn Một"])
        self.assertEqual(r.json["next"], self.due1["id"])
        r = self.get(DUE + "00001&limit=1&cursor=%d" % r.json["next"],
                     as_user="ytephucxa")
        self.assertEqual(self.names(r), ["Đến Hạn Hai"])
        self.assertIsNone(r.json["next"])

    def test_bad_parameters_are_named(self):
        self.assertError(self.get("/api/v1/contacts/due", as_user="phucxa"), 400, field="unit")
        self.assertError(self.get(DUE + "00001&limit=0", as_user="phucxa"),
                         400, mentions="limit")
        self.assertError(self.get(DUE + "00001&cursor=x", as_user="phucxa"),
                         400, mentions="cursor")
        self.assertError(self.get("/api/v1/contacts/due?unit=00001&on=20/10/2021",
                                  as_user="phucxa"), 400, field="on")

    def test_only_roles_that_read_people(self):
        self.assertStatus(self.get(DUE + "00001"), 401)
        for user in ("nguoidan", "doanhnghiep"):
            r = self.get(DUE + "00001", as_user=user)
            self.assertStatus(r, 403, user)
            self.assertNotIn("Đến Hạn", r.raw.decode(), user)


if __name__ == "__main__":
    main()
