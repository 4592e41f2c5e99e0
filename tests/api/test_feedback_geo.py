"""
Feedback requests sent with a point (lat, long): the district is found by
point in polygon on the shipped boundaries (data/geo_districts.geojson);
without a chosen place the district holds the request (an official then
hands it to a commune); a point within 200 m of another district, outside
every district, or outside the place chosen is flagged for an operator
(a "geo" field in the officials' views, ?geo_flag= in the queue), never on
the public tracking page.  Open311 posts are located the same way.

The points: Hoàn Kiếm's middle (002, 1 km from any other district); 150 m
and 250 m inside Ba Đình (001) from its border with Đống Đa (006), placed
with Vincenty's formula along the normal of a border edge both districts
share (see tests/unit/test_geoloc.c); the South China Sea 300 km out.
"""

import urllib.parse

from harness import ServerTestCase, cli, main

HOAN_KIEM = {"lat": 21.0285, "long": 105.8542}
BA_DINH_150 = {"lat": 21.0317412, "long": 105.8373081}
BA_DINH_250 = {"lat": 21.0326019, "long": 105.8375995}
SEA = {"lat": 12.0, "long": 112.0}
HA_LONG_BAY = {"lat": 20.95, "long": 107.05}   # Quảng Ninh ships no district boundaries


class FeedbackGeoTest(ServerTestCase):
    server_args = ("--feedback-anon-limit", "0")

    def submit(self, **body):
        b = {"category": "other", "description": "Đèn đường hỏng, ngõ tối"}
        b.update(body)
        return self.post("/api/v1/feedback", b)

    def official_view(self, fid, user="hanoi"):
        r = self.get("/api/v1/feedback/%d" % fid, as_user=user)
        self.assertStatus(r, 200)
        return r.json

    def queue(self, query, user="hanoi"):
        r = self.get("/api/v1/feedback?limit=500&" + query, as_user=user)
        self.assertStatus(r, 200)
        return {i["id"]: i for i in r.json["items"]}

    def test_point_alone_goes_to_its_district(self):
        r = self.submit(**HOAN_KIEM)
        self.assertStatus(r, 201)
        self.assertEqual(r.json["unit_code"], "002")
        fid = r.json["id"]
        o = self.official_view(fid)
        self.assertEqual(o["location_code"], "002")
        self.assertEqual(o["geo"]["district_code"], "002")
        self.assertIsNone(o["geo"]["flag"])
        self.assertGreater(o["geo"]["border_m"], 200)
        self.assertNotIn(fid, self.queue("geo_flag=any"))
        # The district's officials, not Ba Đình's, hold it.
        self.assertError(self.get("/api/v1/feedback/%d" % fid, as_user="badinh"), 404)
        # A province as the place narrows to the point's district.
        r = self.submit(location_code="01", **HOAN_KIEM)
        self.assertStatus(r, 201)
        self.assertEqual(r.json["unit_code"], "002")
        self.assertIsNone(self.official_view(r.json["id"])["geo"]["flag"])

    def test_near_a_border_is_flagged(self):
        near = self.submit(**BA_DINH_150)
        far = self.submit(**BA_DINH_250)
        self.assertStatus(near, 201)
        self.assertStatus(far, 201)
        # Both go to Ba Đình (the district holding the point) ...
        self.assertEqual((near.json["unit_code"], far.json["unit_code"]), ("001", "001"))
        # ... but the one 150 m from Đống Đa waits for an operator.
        g = self.official_view(near.json["id"], "badinh")["geo"]
        self.assertEqual((g["district_code"], g["flag"]), ("001", "near_border"))
        self.assertTrue(140 <= g["border_m"] <= 160, g)
        g = self.official_view(far.json["id"], "badinh")["geo"]
        self.assertIsNone(g["flag"])
        self.assertTrue(240 <= g["border_m"] <= 260, g)
        for q in ("geo_flag=any", "geo_flag=near_border"):
            got = self.queue(q, "badinh")
            self.assertIn(near.json["id"], got, q)
            self.assertNotIn(far.json["id"], got, q)
            self.assertEqual(got[near.json["id"]]["geo"]["flag"], "near_border")
        self.assertNotIn(near.json["id"], self.queue("geo_flag=outside", "badinh"))
        # The public tracking page tells nothing of it.
        t = self.get("/api/v1/feedback/track/" + near.json["tracking_code"])
        self.assertStatus(t, 200)
        self.assertNotIn("geo", t.json)
        self.assertNotIn("near_border", t.raw.decode())

    def test_outside_every_district(self):
        before = len(self.queue(""))
        r = self.submit(**SEA)
        self.assertError(r, 422, "unprocessable", field="lat")
        self.assertEqual(len(self.queue("")), before, "nothing was stored")
        # With a place chosen it is taken there, flagged.
        r = self.submit(location_code="00001", **SEA)
        self.assertStatus(r, 201)
        self.assertEqual(r.json["unit_code"], "00001")
        g = self.official_view(r.json["id"], "phucxa")["geo"]
        self.assertEqual(g["flag"], "outside")
        self.assertIn(r.json["id"], self.queue("geo_flag=outside", "phucxa"))
        # In a province without district boundaries: the province, flagged.
        r = self.submit(**HA_LONG_BAY)
        self.assertStatus(r, 201)
        self.assertEqual(r.json["unit_code"], "22")
        g = self.official_view(r.json["id"], "quangninh")["geo"]
        self.assertEqual((g["district_code"], g["flag"]), ("22", "outside"))

    def test_place_outside_the_point_is_flagged(self):
        # Phúc Xá (Ba Đình) chosen, the point in Hoàn Kiếm: routed as chosen, flagged.
        r = self.submit(location_code="00001", **HOAN_KIEM)
        self.assertStatus(r, 201)
        self.assertEqual(r.json["unit_code"], "00001")
        g = self.official_view(r.json["id"], "phucxa")["geo"]
        self.assertEqual((g["district_code"], g["flag"]), ("002", "mismatch"))
        self.assertIn(r.json["id"], self.queue("geo_flag=mismatch", "phucxa"))
        # Chosen inside the point's district: no flag.
        r = self.submit(location_code="00001", **BA_DINH_250)
        self.assertStatus(r, 201)
        self.assertIsNone(self.official_view(r.json["id"], "phucxa")["geo"]["flag"])

    def test_bad_input(self):
        before = len(self.queue(""))
        r = self.submit()                         # neither a place nor a point
        self.assertError(r, 422, "unprocessable", field="location_code")
        r = self.submit(lat=21.0285)
        self.assertError(r, 422, "unprocessable", field="long")
        self.assertEqual(len(self.queue("")), before)
        r = self.get("/api/v1/feedback?geo_flag=nearby", as_user="hanoi")
        self.assertError(r, 400, field="geo_flag")

    def test_open311_point_places_the_request(self):
        rc, key, err = cli("apikey", "add", "--db", self.server.db, "--name", "Tổng đài",
                           "--scope", "open311")
        self.assertEqual(rc, 0, err)
        form = dict(api_key=key.strip(), service_code="other", description="Ngõ tối", **HOAN_KIEM)
        r = self.request("POST", "/open311/v2/requests.json", raw=urllib.parse.urlencode(form),
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertStatus(r, 200)
        rid = r.json[0]["service_request_id"]
        o = self.get("/open311/v2/requests/%s.json" % rid)
        self.assertEqual(o.json[0]["address_id"], "002")
        self.assertIsNone(o.json[0]["media_url"])
        self.assertNotIn("geo", o.json[0])
        form.update(BA_DINH_150)
        r = self.request("POST", "/open311/v2/requests.json", raw=urllib.parse.urlencode(form),
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertStatus(r, 200)
        fid = int(r.json[0]["service_request_id"])
        self.assertEqual(self.official_view(fid, "badinh")["geo"]["flag"], "near_border")


if __name__ == "__main__":
    main()
