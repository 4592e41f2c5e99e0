"""
Open311 GeoReport v2 under /open311/v2/ and the API keys it needs
(`thichung apikey`), against a real server (SQLite, and PostgreSQL as
pg.api.test_open311).

Readings of the specification (shared/specs/open311-georeport-v2.md) this
file checks:
- every object has the specification's fields with their types: ids and
  codes as strings, `status` open|closed, datetimes W3C with seconds and a
  zone and no fraction, `lat`/`long` numbers; the optional ones are always
  present (null, or an empty element in XML);
- `.xml` is well formed (xml.etree) with the specification's element names,
  `.json` the same content; another suffix is 404;
- errors are a list of {code, description}: 400 bad input, 403 a missing
  or bad api_key, 404 an unknown service_code, request, token or
  jurisdiction_id;
- a POST needs a key of scope open311 that is not revoked, within its rate;
- a request posted here is in the officials' queue like one from the web,
  and no contact detail ever appears in an Open311 reply.
"""

import datetime
import re
import urllib.parse
import xml.etree.ElementTree as ET

from harness import ServerTestCase, cli, main

W3C = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")
KEY = re.compile(r"^thc_[a-z2-7]{32}$")
REQUEST_FIELDS = ["service_request_id", "status", "status_notes", "service_name",
                  "service_code", "description", "agency_responsible", "service_notice",
                  "requested_datetime", "updated_datetime", "expected_datetime", "address",
                  "address_id", "zipcode", "lat", "long", "media_url"]
SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type",
                  "keywords", "group"]
ATTRIBUTE_FIELDS = ["variable", "code", "datatype", "required", "datatype_description",
                    "order", "description"]
PHONE = "0987654321"
NAME = "Trần Thị Bảo Mật"


def form(**fields):
    return urllib.parse.urlencode(fields)


FORM = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}


class Open311Test(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.key = cls.new_key("Tổng đài 1022 Hà Nội")
        cls.ba_dinh_key = cls.new_key("Quận Ba Đình", "--unit", "001")
        cls.slow_key = cls.new_key("Khóa giới hạn", "--rate", "3")
        cls.dhis2_key = cls.new_key("DHIS2", scope="dhis2")

    @classmethod
    def new_key(cls, name, *extra, scope="open311"):
        rc, out, err = cli("apikey", "add", "--db", cls.server.db, "--name", name,
                           "--scope", scope, *extra)
        assert rc == 0, err
        return out.strip()

    def post311(self, fmt="json", **fields):
        return self.request("POST", "/open311/v2/requests." + fmt, raw=form(**fields),
                            headers=FORM)

    def submit(self, **extra):
        fields = {"api_key": self.key, "service_code": "shortage", "lat": "21.0431",
                  "long": "105.8456", "description": "Khu trọ thiếu gạo, mì",
                  "attribute[unit_code]": "00001"}
        fields.update(extra)
        r = self.post311(**fields)
        self.assertStatus(r, 200)
        return r.json[0]["service_request_id"]

    # ---- shapes ----
    def assertErrors(self, r, status, fmt="json", mentions=None):
        self.assertEqual(r.status, status, r.describe())
        if fmt == "json":
            self.assertIsInstance(r.json, list, r.describe())
            self.assertGreaterEqual(len(r.json), 1)
            for e in r.json:
                self.assertEqual(set(e), {"code", "description"})
                self.assertEqual(e["code"], status)
                self.assertIsInstance(e["description"], str)
            text = " ".join(e["description"] for e in r.json)
        else:
            self.assertTrue(r.headers["content-type"].startswith("text/xml"))
            root = ET.fromstring(r.raw)
            self.assertEqual(root.tag, "errors")
            errs = list(root)
            self.assertGreaterEqual(len(errs), 1)
            for e in errs:
                self.assertEqual(e.tag, "error")
                self.assertEqual([c.tag for c in e], ["code", "description"])
                self.assertEqual(e.find("code").text, str(status))
            text = " ".join(e.find("description").text for e in errs)
        if mentions:
            self.assertIn(mentions, text)

    def assertRequest(self, o):
        self.assertEqual(list(o), REQUEST_FIELDS)
        for f in ("service_request_id", "service_code", "service_name",
                  "requested_datetime", "updated_datetime"):
            self.assertIsInstance(o[f], str, f)
        # A public list: no free text, address or point of the reporter.
        self.assertEqual((o["description"], o["address"], o["lat"], o["long"]),
                         (None, None, None, None))
        self.assertRegex(o["service_request_id"], r"^\d+$")
        self.assertIn(o["status"], ("open", "closed"))
        for f in ("requested_datetime", "updated_datetime", "expected_datetime"):
            if o[f] is not None:
                self.assertRegex(o[f], W3C, f)
        if o["lat"] is not None or o["long"] is not None:
            self.assertIsInstance(o["lat"], float)
            self.assertIsInstance(o["long"], float)
        for f in ("status_notes", "agency_responsible", "service_notice", "address",
                  "address_id", "zipcode", "media_url", "expected_datetime"):
            self.assertTrue(o[f] is None or isinstance(o[f], str), f)

    def xml_requests(self, path):
        r = self.get(path)
        self.assertEqual(r.status, 200, r.describe())
        self.assertTrue(r.headers["content-type"].startswith("text/xml"))
        self.assertTrue(r.raw.startswith(b'<?xml version="1.0" encoding="utf-8"?>'))
        root = ET.fromstring(r.raw)
        self.assertEqual(root.tag, "service_requests")
        for req in root:
            self.assertEqual(req.tag, "request")
            self.assertEqual([c.tag for c in req], REQUEST_FIELDS)
        return root

    # ---- discovery and services ----
    def test_discovery(self):
        r = self.get("/open311/v2/discovery.json")
        self.assertStatus(r, 200)
        self.assertEqual(set(r.json), {"changeset", "contact", "key_service", "endpoints"})
        ep = r.json["endpoints"][0]
        self.assertEqual(ep["specification"], "http://wiki.open311.org/GeoReport_v2")
        self.assertIn(ep["type"], ("production", "test"))
        self.assertEqual(sorted(ep["formats"]), ["application/json", "text/xml"])
        self.assertTrue(ep["url"].endswith("/open311/v2"))
        root = ET.fromstring(self.get("/open311/v2/discovery.xml").raw)
        self.assertEqual(root.tag, "discovery")
        self.assertEqual([f.text for f in root.find("endpoints/endpoint/formats")],
                         ["text/xml", "application/json"])

    def test_services_follow_the_catalogue(self):
        cats = self.get("/api/v1/feedback/categories").json["items"]
        r = self.get("/open311/v2/services.json")
        self.assertStatus(r, 200)
        self.assertEqual([s["service_code"] for s in r.json], [c["code"] for c in cats])
        for s in r.json:
            self.assertEqual(list(s), SERVICE_FIELDS)
            self.assertIs(s["metadata"], True)
            self.assertEqual(s["type"], "realtime")
        root = ET.fromstring(self.get("/open311/v2/services.xml").raw)
        self.assertEqual(root.tag, "services")
        self.assertEqual([[c.tag for c in s] for s in root], [SERVICE_FIELDS] * len(cats))
        self.assertEqual(root.find("service/service_name").text, cats[0]["name"]["vi"])
        # a province code is a jurisdiction; anything else is not found
        self.assertStatus(self.get("/open311/v2/services.json?jurisdiction_id=01"), 200)
        self.assertStatus(self.get("/open311/v2/services.json?jurisdiction_id="), 200)
        self.assertErrors(self.get("/open311/v2/services.json?jurisdiction_id=001"), 404,
                          mentions="jurisdiction_id")

    def test_service_definition(self):
        r = self.get("/open311/v2/services/shortage.json")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["service_code"], "shortage")
        orders = []
        for a in r.json["attributes"]:
            self.assertEqual(list(a), ATTRIBUTE_FIELDS)
            self.assertIn(a["datatype"], ("string", "number", "datetime", "text",
                                          "singlevaluelist", "multivaluelist"))
            self.assertIsInstance(a["required"], bool)
            orders.append(a["order"])
        self.assertEqual(len(set(orders)), len(orders))
        self.assertTrue(all(isinstance(o, int) and o > 0 for o in orders))
        root = ET.fromstring(self.get("/open311/v2/services/shortage.xml").raw)
        self.assertEqual(root.tag, "service_definition")
        self.assertEqual([c.tag for c in root.find("attributes/attribute")], ATTRIBUTE_FIELDS)
        self.assertErrors(self.get("/open311/v2/services/NO_SUCH.json"), 404, mentions="NO_SUCH")
        self.assertErrors(self.get("/open311/v2/services/NO_SUCH.xml"), 404, fmt="xml")

    def test_other_suffixes_are_not_found(self):
        for path in ("/open311/v2/services.csv", "/open311/v2/services/shortage.html",
                     "/open311/v2/requests/1.txt", "/open311/v2/discovery.yaml"):
            self.assertErrors(self.get(path), 404)

    # ---- posting ----
    def test_post_without_a_valid_key_is_403(self):
        n = len(self.get("/api/v1/feedback?limit=500", as_user="admin").json["items"])
        base = {"service_code": "shortage", "lat": "21.04", "long": "105.84",
                "attribute[unit_code]": "00001"}
        for fmt in ("json", "xml"):
            self.assertErrors(self.post311(fmt, **base), 403, fmt)
            self.assertErrors(self.post311(fmt, api_key="", **base), 403, fmt)
            self.assertErrors(self.post311(fmt, api_key="thc_" + "a" * 32, **base), 403, fmt)
            self.assertErrors(self.post311(fmt, api_key=self.key + "x", **base), 403, fmt)
        # a key of another scope does not open Open311
        self.assertErrors(self.post311(api_key=self.dhis2_key, **base), 403,
                          mentions="api_key")
        self.assertEqual(len(self.get("/api/v1/feedback?limit=500", as_user="admin")
                             .json["items"]), n, "nothing was created")

    def test_revoked_key_is_refused(self):
        key = self.new_key("Sắp thu hồi")
        self.submit(api_key=key)
        rc, out, err = cli("apikey", "list", "--db", self.server.db)
        row = [l for l in out.splitlines() if "Sắp thu hồi" in l][0]
        self.assertNotIn(key, out, "the list never shows a key")
        key_id = row.split("\t")[0]
        rc, out, err = cli("apikey", "revoke", "--db", self.server.db, "--id", key_id)
        self.assertEqual(rc, 0, err)
        r = self.post311(api_key=key, service_code="shortage", lat="21.04", long="105.84",
                         **{"attribute[unit_code]": "00001"})
        self.assertErrors(r, 403)

    def test_rate_limit_per_key(self):
        fields = {"api_key": self.slow_key, "service_code": "NO_SUCH"}
        for _ in range(3):       # refused requests count too: the key made them
            self.assertErrors(self.post311(**fields), 404)
        r = self.post311(**fields)
        self.assertErrors(r, 429)
        self.assertGreaterEqual(int(r.headers["retry-after"]), 1)
        # another key is not slowed down
        self.submit()

    def test_posted_request_joins_the_queue(self):
        rid = self.submit(first_name="Bảo Mật", last_name="Trần Thị", phone=PHONE,
                          address_string="12 Phó Đức Chính")
        q = self.get("/api/v1/feedback?unit=00001&limit=500", as_user="phucxa")
        self.assertStatus(q, 200)
        got = [f for f in q.json["items"] if str(f["id"]) == rid]
        self.assertEqual(len(got), 1, "in the commune's queue")
        self.assertEqual(got[0]["source"], "open311")
        self.assertEqual(got[0]["unit_code"], "00001")
        self.assertEqual(got[0]["status"], "new")
        # the official who handles it reads the contact; Open311 never shows it
        full = self.get("/api/v1/feedback/" + rid, as_user="phucxa")
        self.assertEqual(full.json["reporter"], {"name": NAME, "phone": PHONE})
        for path in ("/open311/v2/requests/%s.json" % rid, "/open311/v2/requests/%s.xml" % rid,
                     "/open311/v2/requests.json", "/open311/v2/requests.xml"):
            raw = self.get(path).raw.decode("utf-8")
            self.assertNotIn(PHONE, raw, path)
            self.assertNotIn("Bảo Mật", raw, path)
        one = self.get("/open311/v2/requests/%s.json" % rid)
        self.assertStatus(one, 200)
        self.assertEqual(len(one.json), 1)
        o = one.json[0]
        self.assertRequest(o)
        self.assertEqual((o["service_code"], o["status"], o["address_id"]),
                         ("shortage", "open", "00001"))
        # Public: the free text, the address and the point (often the reporter's
        # home) are not published, only the unit it is about.
        self.assertEqual((o["description"], o["address"], o["lat"], o["long"]),
                         (None, None, None, None))
        self.assertNotIn("Phó Đức Chính", self.get("/open311/v2/requests.json").raw.decode())
        self.assertEqual(o["agency_responsible"], "Phường Phúc Xá")
        # the trail names the key that made it
        audit = self.get("/api/v1/audit?limit=200", as_user="admin").json["items"]
        made = [a for a in audit if a["action"] == "feedback.create" and a["entity_id"] == rid]
        self.assertEqual(len(made), 1)
        self.assertIn("Tổng đài 1022", str(made[0]))

    def test_post_reply_shapes(self):
        r = self.post311("xml", api_key=self.key, service_code="travel_permit",
                         address_string="Phường Phúc Xá", **{"attribute[unit_code]": "00001"})
        self.assertEqual(r.status, 200, r.describe())
        root = ET.fromstring(r.raw)
        self.assertEqual(root.tag, "service_requests")
        self.assertEqual([c.tag for c in root.find("request")],
                         ["service_request_id", "service_notice", "account_id"])
        rid = root.find("request/service_request_id").text
        o = self.get("/open311/v2/requests/%s.json" % rid).json[0]
        # a district's category goes to the district
        self.assertEqual(o["agency_responsible"], "Quận Ba Đình")
        self.assertIsNone(o["lat"])
        self.assertIsNone(o["description"])

    def test_post_bad_input(self):
        k = {"api_key": self.key}
        cases = [
            ({}, 400, "service_code"),
            ({"service_code": "NO_SUCH", "lat": "21", "long": "105"}, 404, "NO_SUCH"),
            ({"service_code": "shortage", "attribute[unit_code]": "00001"}, 400, "lat"),
            ({"service_code": "shortage", "lat": "21.04", "attribute[unit_code]": "00001"},
             400, "long"),
            ({"service_code": "shortage", "lat": "91", "long": "105",
              "attribute[unit_code]": "00001"}, 400, "lat"),
            ({"service_code": "shortage", "lat": "abc", "long": "105",
              "attribute[unit_code]": "00001"}, 400, "lat"),
            # A point places a request in its district; one at sea, in none.
            ({"service_code": "shortage", "lat": "12", "long": "112"}, 400, "unit_code"),
            ({"service_code": "shortage", "lat": "21", "long": "105",
              "attribute[unit_code]": "99999"}, 400, "location_code"),
            ({"service_code": "shortage", "lat": "21", "long": "105",
              "jurisdiction_id": "ZZ"}, 404, "jurisdiction_id"),
            ({"service_code": "shortage", "lat": "21", "long": "105",
              "attribute[unit_code]": "00001", "description": "x" * 4001}, 400, "description"),
            ({"service_code": "shortage", "lat": "21", "long": "105",
              "attribute[unit_code]": "00001", "first_name": "An\x1b[2J"}, 400, "first_name"),
        ]
        n = len(self.get("/api/v1/feedback?limit=500", as_user="admin").json["items"])
        for fields, status, field in cases:
            fields = dict(k, **fields)
            self.assertErrors(self.post311(**fields), status, mentions=field)
        r = self.request("POST", "/open311/v2/requests.json", body={"service_code": "shortage"})
        self.assertErrors(r, 400)
        self.assertEqual(len(self.get("/api/v1/feedback?limit=500", as_user="admin")
                             .json["items"]), n, "nothing was created")

    def test_jurisdiction_places_the_request(self):
        # Without a point: a point would place it in its district (test_feedback_geo).
        r = self.post311(api_key=self.key, service_code="shortage",
                         address_string="Chợ Bến Thành", jurisdiction_id="79")
        self.assertStatus(r, 200)
        rid = r.json[0]["service_request_id"]
        o = self.get("/open311/v2/requests/%s.json" % rid).json[0]
        self.assertEqual(o["address_id"], "79")
        self.assertEqual(o["agency_responsible"], "Thành phố Hồ Chí Minh")
        mine = self.get("/open311/v2/requests.json?jurisdiction_id=79").json
        self.assertIn(rid, [x["service_request_id"] for x in mine])
        hanoi = self.get("/open311/v2/requests.json?jurisdiction_id=01").json
        self.assertNotIn(rid, [x["service_request_id"] for x in hanoi])

    def test_key_bound_to_a_unit(self):
        ok = self.post311(api_key=self.ba_dinh_key, service_code="shortage", lat="21.04",
                          long="105.84")
        self.assertStatus(ok, 200)
        o = self.get("/open311/v2/requests/%s.json" % ok.json[0]["service_request_id"]).json[0]
        self.assertEqual(o["address_id"], "001", "the key's unit is the place")
        r = self.post311(api_key=self.ba_dinh_key, service_code="shortage", lat="10.78",
                         long="106.69", **{"attribute[unit_code]": "26734"})
        self.assertErrors(r, 403, mentions="001")

    # ---- reading ----
    def test_request_list_filters(self):
        a = self.submit(service_code="shortage")
        b = self.submit(service_code="support_payment")
        c = self.submit(service_code="shortage")
        self.post("/api/v1/feedback/%s/acknowledge" % c, None, as_user="phucxa")
        r = self.post("/api/v1/feedback/%s/answer" % c, {"answer": "Đã chuyển gạo"},
                      as_user="phucxa")
        self.assertStatus(r, 200)

        def ids(query):
            r = self.get("/open311/v2/requests.json" + query)
            self.assertStatus(r, 200)
            for o in r.json:
                self.assertRequest(o)
            return [o["service_request_id"] for o in r.json]

        every = ids("")
        self.assertTrue({a, b, c} <= set(every))
        self.assertEqual(every, sorted(every, key=int, reverse=True), "newest first")
        self.assertEqual(sorted(ids("?service_request_id=%s,%s" % (a, c)), key=int),
                         sorted([a, c], key=int))
        # service_request_id overrides the other filters
        self.assertEqual(ids("?service_request_id=%s&service_code=travel_permit" % b), [b])
        got = ids("?service_code=support_payment")
        self.assertIn(b, got)
        self.assertNotIn(a, got)
        self.assertTrue({a, b} <= set(ids("?service_code=shortage,support_payment")))
        self.assertIn(c, ids("?status=closed"))
        self.assertNotIn(c, ids("?status=open"))
        self.assertIn(a, ids("?status=open"))
        self.assertTrue({a, c} <= set(ids("?status=open,closed")))
        closed = self.get("/open311/v2/requests/%s.json" % c).json[0]
        self.assertEqual(closed["status"], "closed")
        self.assertIsNone(closed["expected_datetime"])
        # A refused request (abuse, spam) is not published at all.
        d = self.submit()
        r = self.post("/api/v1/feedback/%s/reject" % d, {"reason": "spam"}, as_user="admin")
        self.assertStatus(r, 200)
        self.assertNotIn(d, ids("?status=open,closed"))
        self.assertErrors(self.get("/open311/v2/requests/%s.json" % d), 404, mentions=d)
        now = datetime.datetime.now(datetime.timezone.utc)
        past = (now - datetime.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%S+07:00")
        soon = (now + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.assertIn(a, ids("?" + urllib.parse.urlencode({"start_date": past,
                                                              "end_date": soon})))
        # an unescaped '+' (read as a space) and fractional seconds are understood
        self.assertIn(a, ids("?start_date=%s&end_date=%s" % (past, soon.replace("Z", ".5Z"))))
        old = ids("?start_date=2021-01-01T00:00:00%2B07:00&end_date=2021-03-01T00:00:00Z")
        self.assertEqual(old, [])
        # bad filters are errors naming the parameter, an unknown code is 404
        self.assertErrors(self.get("/open311/v2/requests.json?service_code=NO_SUCH"), 404,
                          mentions="NO_SUCH")
        self.assertErrors(self.get("/open311/v2/requests.json?status=fixed"), 400,
                          mentions="status")
        self.assertErrors(self.get("/open311/v2/requests.json?start_date=yesterday"), 400,
                          mentions="start_date")
        self.assertErrors(self.get("/open311/v2/requests.json?start_date=2021-01-01T00:00:00Z"
                                   "&end_date=2021-06-01T00:00:00Z"), 400, mentions="90")
        self.assertErrors(self.get("/open311/v2/requests.json?service_request_id=1,x"), 400)

    def test_request_xml(self):
        rid = self.submit(description="Thiếu <gạo> & \"mì\" 'tôm'")
        root = self.xml_requests("/open311/v2/requests/%s.xml" % rid)
        self.assertEqual(len(root), 1)
        req = root[0]
        self.assertEqual(req.find("service_name").text, "Thiếu lương thực, thuốc men")
        self.assertNotIn("Thiếu <gạo>", ET.tostring(root, encoding="unicode"))
        for empty in ("description", "address", "lat", "long"):
            self.assertIsNone(req.find(empty).text, empty)
        self.assertEqual(req.find("status").text, "open")
        self.assertRegex(req.find("requested_datetime").text, W3C)
        self.assertIsNone(req.find("zipcode").text)
        listed = self.xml_requests("/open311/v2/requests.xml?service_code=shortage")
        self.assertIn(rid, [r.find("service_request_id").text for r in listed])
        self.assertErrors(self.get("/open311/v2/requests/999999.xml"), 404, fmt="xml")
        self.assertErrors(self.get("/open311/v2/requests/abc.json"), 404)

    def test_token_of_a_web_request(self):
        r = self.post("/api/v1/feedback", {"category": "other", "location_code": "00001",
                                           "description": "Gửi từ trang web",
                                           "name": NAME, "phone": PHONE})
        self.assertStatus(r, 201)
        code = r.json["tracking_code"]
        t = self.get("/open311/v2/tokens/%s.json" % code)
        self.assertStatus(t, 200)
        self.assertEqual(t.json, [{"service_request_id": str(r.json["id"]), "token": code}])
        root = ET.fromstring(self.get("/open311/v2/tokens/%s.xml" % code).raw)
        self.assertEqual([c.tag for c in root.find("request")], ["service_request_id", "token"])
        self.assertErrors(self.get("/open311/v2/tokens/AAAAAAAAAAAA.json"), 404)
        # the web request is in Open311's list, without its contact
        o = self.get("/open311/v2/requests/%s.json" % r.json["id"])
        self.assertStatus(o, 200)
        self.assertNotIn(PHONE, o.raw.decode())
        self.assertNotIn(NAME, o.raw.decode())


class ApiKeyCliTest(ServerTestCase):

    def test_add_list_revoke(self):
        db = self.server.db
        rc, out, err = cli("apikey", "add", "--db", db, "--name", "Cổng dịch vụ công",
                           "--scope", "open311", "--unit", "01")
        self.assertEqual(rc, 0, err)
        key = out.strip()
        self.assertRegex(key, KEY, "standard output is the key alone")
        self.assertEqual(out, key + "\n")
        rc, out2, err = cli("apikey", "add", "--db", db, "--name", "Cổng dịch vụ công",
                            "--scope", "open311")
        self.assertNotEqual(out2.strip(), key, "each key is new")
        rc, listing, err = cli("apikey", "list", "--db", db)
        self.assertEqual(rc, 0, err)
        self.assertNotIn(key, listing)
        rows = [l.split("\t") for l in listing.splitlines()[1:]]
        mine = [r for r in rows if r[4] == "01"]
        self.assertEqual(len(mine), 1)
        self.assertEqual((mine[0][1], mine[0][2], mine[0][3]),
                         (key[:8] + "…", "Cổng dịch vụ công", "open311"))
        self.assertEqual(mine[0][8], "-", "not revoked")
        rc, out, err = cli("apikey", "revoke", "--db", db, "--id", mine[0][0])
        self.assertEqual(rc, 0, err)
        rc, out, err = cli("apikey", "revoke", "--db", db, "--id", mine[0][0])
        self.assertEqual(rc, 2)
        self.assertIn("revoked", err)
        rc, listing, err = cli("apikey", "list", "--db", db)
        row = [l.split("\t") for l in listing.splitlines() if l.startswith(mine[0][0] + "\t")][0]
        self.assertRegex(row[8], r"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}$")
        audit = self.get("/api/v1/audit?limit=200", as_user="admin").json["items"]
        acts = {(a["action"], a["entity_id"]) for a in audit}
        self.assertIn(("apikey.add", mine[0][0]), acts)
        self.assertIn(("apikey.revoke", mine[0][0]), acts)
        self.assertNotIn(key, str(audit), "the trail never holds the key")

    def test_bad_input_makes_no_key(self):
        db = self.server.db
        rc, before, err = cli("apikey", "list", "--db", db)
        for args, rc_want, words in (
                (["--name", "x", "--scope", "admin"], 2, "scope"),
                (["--name", "x", "--scope", "open311", "--unit", "99999"], 2, "99999"),
                (["--name", "x", "--scope", "open311", "--rate", "0"], 2, "--rate"),
                (["--scope", "open311"], 2, "--name"),
                (["--name", "", "--scope", "open311"], 2, "name")):
            rc, out, err = cli("apikey", "add", "--db", db, *args)
            self.assertEqual(rc, rc_want, (args, err))
            self.assertEqual(out, "", "no key printed")
            self.assertIn(words, err)
        rc, after, err = cli("apikey", "list", "--db", db)
        self.assertEqual(before, after)
        rc, out, err = cli("apikey", "revoke", "--db", db, "--id", "424242")
        self.assertEqual(rc, 2)
        self.assertIn("424242", err)


if __name__ == "__main__":
    main()
