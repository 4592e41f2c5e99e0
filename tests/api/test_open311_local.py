"""
Open311 GeoReport v2 with a province's own feedback categories
(shared/specs/open311-georeport-v2.md): GET services with a province's
jurisdiction_id lists the national services and that province's in use,
each with the specification's fields; a service definition answers for
them within their jurisdiction; POST requests takes a province's service
only for a place inside that province (a list of {code, description}
errors otherwise, nothing created); a retired one is no longer offered.
"""

import urllib.parse
import xml.etree.ElementTree as ET

from harness import ServerTestCase, cli, main

SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type",
                  "keywords", "group"]
FORM = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
RAC = {"province_code": "01", "code": "rac_thai", "name_vi": "Rác thải sinh hoạt",
       "name_en": "Household waste", "days": 4, "level": "district",
       "department": "Phòng Tài nguyên và Môi trường"}


class Open311LocalTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        rc, out, err = cli("apikey", "add", "--db", cls.server.db, "--name", "Tổng đài 1022",
                           "--scope", "open311")
        assert rc == 0, err
        cls.key = out.strip()
        for code in ("rac_thai", "cu_bo"):
            r = cls.server.request("POST", "/api/v1/feedback/categories",
                                   body=dict(RAC, code=code), token=cls.token("hanoi"))
            assert r.status == 201, r.describe()
        r = cls.server.request("POST", "/api/v1/feedback/categories/01/cu_bo/retire", body={},
                               token=cls.token("hanoi"))
        assert r.status == 200, r.describe()
        cls.national = [c["code"] for c in cls.server.request(
            "GET", "/api/v1/feedback/categories").json["items"]]

    def post311(self, **fields):
        return self.request("POST", "/open311/v2/requests.json",
                            raw=urllib.parse.urlencode(fields), headers=FORM)

    def assertErrors(self, r, status, mentions=None):
        self.assertEqual(r.status, status, r.describe())
        self.assertIsInstance(r.json, list, r.describe())
        for e in r.json:
            self.assertEqual(set(e), {"code", "description"})
            self.assertEqual(e["code"], status)
        if mentions:
            self.assertIn(mentions, " ".join(e["description"] for e in r.json))

    def queue_size(self):
        return len(self.get("/api/v1/feedback?limit=500", as_user="admin").json["items"])

    def test_services_of_a_jurisdiction(self):
        r = self.get("/open311/v2/services.json?jurisdiction_id=01")
        self.assertStatus(r, 200)
        self.assertEqual([s["service_code"] for s in r.json], self.national + ["rac_thai"])
        for s in r.json:
            self.assertEqual(list(s), SERVICE_FIELDS)
            self.assertIs(s["metadata"], True)
            self.assertEqual(s["type"], "realtime")
            for f in ("service_code", "service_name", "description", "keywords", "group"):
                self.assertIsInstance(s[f], str, f)
        local = r.json[-1]
        self.assertEqual((local["service_name"], local["description"], local["group"]),
                         ("Rác thải sinh hoạt", "Household waste", "quận, huyện"))
        root = ET.fromstring(self.get("/open311/v2/services.xml?jurisdiction_id=01").raw)
        self.assertEqual([s.find("service_code").text for s in root], self.national + ["rac_thai"])
        self.assertEqual([[c.tag for c in s] for s in root], [SERVICE_FIELDS] * len(root))
        # Another province, or none: the national services only.
        for q in ("?jurisdiction_id=79", ""):
            r = self.get("/open311/v2/services.json" + q)
            self.assertEqual([s["service_code"] for s in r.json], self.national, q)

    def test_service_definition_within_its_jurisdiction(self):
        r = self.get("/open311/v2/services/rac_thai.json?jurisdiction_id=01")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["service_code"], "rac_thai")
        self.assertTrue(r.json["attributes"])
        root = ET.fromstring(self.get("/open311/v2/services/rac_thai.xml?jurisdiction_id=01").raw)
        self.assertEqual(root.tag, "service_definition")
        for q in ("?jurisdiction_id=79", ""):
            self.assertErrors(self.get("/open311/v2/services/rac_thai.json" + q), 404,
                              mentions="rac_thai")
        self.assertErrors(self.get("/open311/v2/services/cu_bo.json?jurisdiction_id=01"), 404)

    def test_post_inside_the_province_only(self):
        r = self.post311(api_key=self.key, service_code="rac_thai", description="Rác ứ đọng",
                         address_id="00001")
        self.assertStatus(r, 200)
        fid = int(r.json[0]["service_request_id"])
        j = self.get("/api/v1/feedback/%d" % fid, as_user="hanoi").json
        self.assertEqual((j["category"], j["unit_code"], j["department"], j["source"]),
                         ("rac_thai", "001", RAC["department"], "open311"))
        n = self.queue_size()
        refused = [
            # Hồ Chí Minh City has no such service, by the place or the jurisdiction.
            ({"service_code": "rac_thai", "address_id": "26734"}, 400, "service_code"),
            ({"service_code": "rac_thai", "jurisdiction_id": "79", "address_string": "Quận 1"},
             400, "service_code"),
            # Retired, or no province has it.
            ({"service_code": "cu_bo", "address_id": "00001"}, 400, "service_code"),
            ({"service_code": "khong_co", "address_id": "00001"}, 404, "khong_co"),
        ]
        for fields, status, mentions in refused:
            r = self.post311(api_key=self.key, description="Phản ánh", **fields)
            self.assertErrors(r, status, mentions=mentions)
        self.assertEqual(self.queue_size(), n, "nothing was created")
        # The public list filters by it.
        r = self.get("/open311/v2/requests.json?service_code=rac_thai")
        self.assertStatus(r, 200)
        self.assertIn(str(fid), [o["service_request_id"] for o in r.json])
        # Named as its province names it, in the list and by id.
        mine = [o for o in r.json if o["service_request_id"] == str(fid)][0]
        self.assertEqual((mine["service_code"], mine["service_name"]), ("rac_thai", RAC["name_vi"]))
        r = self.get("/open311/v2/requests/%d.json" % fid)
        self.assertStatus(r, 200)
        self.assertEqual(r.json[0]["service_name"], RAC["name_vi"])


if __name__ == "__main__":
    main()
