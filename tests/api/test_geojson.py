#!/usr/bin/env python3
"""
GET /api/v1/levels.geojson?date=&parent=: the level map as
GeoJSON for GIS tools.  gdal-bin (ogrinfo) is not among the project's
packages, so the document is checked here against RFC 7946's structure,
and read by a GIS library, Shapely (Debian's python3-shapely), as a GIS
client would: every geometry valid, known places inside their district.

Readings of docs/api.md this file relies on:
- Public and kept like GET /api/v1/levels; the same units (the public
  children of `parent`, default the provinces) and the same level, colour,
  effective_from, week_end and source, as a FeatureCollection with one
  Feature per unit (`id` and `properties.code` the unit code).
- Provinces and districts carry the boundaries the web map ships
  (data/geo_provinces.geojson, data/geo_districts.geojson); communes have
  none and their geometry is null.
- Served as application/geo+json (RFC 7946), also when the answer is
  replayed from memory.
- A bad date is 400 naming `date`; an unknown parent 404.
- The boundaries are read after the start, on first need: a missing file
  still stops `serve`; a file that no longer parses is logged
  (geo.load.failed) and the map is served without shapes.
"""

import json
import os
import shutil
import sys
import tempfile
import unittest

try:
    from shapely.geometry import Point, shape
except ImportError:
    # Debian's python3-shapely, when the tests run under another python3.
    sys.path.append("/usr/lib/python3/dist-packages")
    from shapely.geometry import Point, shape

import harness
from harness import DATA_DIR, Server, ServerTestCase, main, units_csv

DATE = "2021-10-25"
PROPS = ("code", "name", "unit_level", "level", "colour", "effective_from", "week_end", "source")
# The shipped boundaries hold one ring that crosses itself (Huyện Văn Quan,
# Lạng Sơn, near 106.596 21.999); Shapely's buffer(0) mends it without
# changing its area.  Any other invalid geometry fails.
MENDED = {"184"}
# Hồ Hoàn Kiếm, in Quận Hoàn Kiếm (002), not in Quận Ba Đình (001).
HOAN_KIEM_LAKE = Point(105.8522, 21.0287)


def positions(geom):
    """Every [lon, lat] of a Polygon or MultiPolygon, checking the rings."""
    assert geom["type"] in ("Polygon", "MultiPolygon"), geom["type"]
    polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
    out = []
    for poly in polys:
        assert isinstance(poly, list) and poly, "a polygon has rings"
        for ring in poly:
            assert len(ring) >= 4 and ring[0] == ring[-1], "a ring is closed, 4 positions or more"
            for p in ring:
                assert len(p) == 2 and all(isinstance(c, (int, float)) for c in p), p
                out.append(p)
    return out


class GeoJsonTest(ServerTestCase):

    def geojson(self, query, **kw):
        r = self.get("/api/v1/levels.geojson" + query, **kw)
        self.assertStatus(r, 200)
        doc = r.json
        self.assertEqual(doc["type"], "FeatureCollection")
        for f in doc["features"]:
            self.assertEqual(f["type"], "Feature")
            self.assertEqual(f["id"], f["properties"]["code"])
        return doc

    def same_as_map(self, query):
        doc = self.geojson(query)
        m = self.get("/api/v1/levels" + query)
        self.assertStatus(m, 200)
        self.assertEqual([f["properties"] for f in doc["features"]],
                         [{k: i.get(k) for k in PROPS} for i in m.json["items"]])
        return doc

    def test_provinces(self):
        doc = self.same_as_map("?date=" + DATE)
        self.assertEqual(len(doc["features"]), 63)
        with open(os.path.join(DATA_DIR, "geo_provinces.geojson"), encoding="utf-8") as f:
            shipped = {x["properties"]["code"]: x["geometry"] for x in json.load(f)["features"]}
        for f in doc["features"]:
            self.assertEqual(f["geometry"], shipped[f["id"]], f["id"])
            for lon, lat in positions(f["geometry"]):
                self.assertTrue(102 <= lon <= 118 and 6 <= lat <= 24, (f["id"], lon, lat))
        levels = {f["id"]: f["properties"]["level"] for f in doc["features"]}
        self.assertTrue(any(v is not None for v in levels.values()), "published levels show")

    def test_districts_and_communes(self):
        doc = self.same_as_map("?date=%s&parent=01" % DATE)
        self.assertEqual(len(doc["features"]), 30)
        for f in doc["features"]:
            self.assertEqual(f["properties"]["unit_level"], "district")
            self.assertTrue(positions(f["geometry"]), f["id"])
        doc = self.same_as_map("?date=%s&parent=001" % DATE)
        self.assertGreater(len(doc["features"]), 0)
        for f in doc["features"]:
            self.assertEqual(f["properties"]["unit_level"], "commune")
            self.assertIsNone(f["geometry"])
        self.assertEqual(doc["parent"], "001")
        self.assertEqual(doc["date"], DATE)

    def shapes(self, parent):
        """The features of a parent read with Shapely: {code: geometry or None}."""
        doc = self.geojson("?date=%s%s" % (DATE, "&parent=" + parent if parent else ""))
        out = {}
        for f in doc["features"]:
            self.assertEqual(set(f["properties"]), set(PROPS), f["id"])
            if f["geometry"] is None:
                out[f["id"]] = None
                continue
            g = shape(f["geometry"])
            self.assertIn(g.geom_type, ("Polygon", "MultiPolygon"), f["id"])
            self.assertFalse(g.is_empty, f["id"])
            if f["id"] in MENDED:
                self.assertFalse(g.is_valid, "%s: mended here, valid at the source?" % f["id"])
                fixed = g.buffer(0)
                self.assertTrue(fixed.is_valid, f["id"])
                self.assertAlmostEqual(fixed.area, g.area, places=9)
                g = fixed
            self.assertTrue(g.is_valid, f["id"])
            out[f["id"]] = g
        return out

    def test_read_by_shapely(self):
        units = units_csv()
        provinces = self.shapes(None)
        self.assertEqual(sorted(provinces),
                         sorted(u["code"] for u in units if u["level"] == "province"))
        self.assertTrue(all(g is not None for g in provinces.values()))
        with open(os.path.join(DATA_DIR, "geo_districts.geojson"), encoding="utf-8") as f:
            shipped = {x["properties"]["code"] for x in json.load(f)["features"]}
        for p in sorted(provinces):
            districts = self.shapes(p)
            self.assertEqual(sorted(districts),
                             sorted(u["code"] for u in units if u["parent_code"] == p), p)
            for code, g in districts.items():
                self.assertEqual(g is not None, code in shipped, code)
                if g is not None:
                    # a district lies within its province (borders drawn apart by a little)
                    self.assertTrue(provinces[p].buffer(0.02).contains(g.representative_point()),
                                    (p, code))
        hanoi = self.shapes("01")
        self.assertTrue(hanoi["002"].contains(HOAN_KIEM_LAKE))
        self.assertFalse(hanoi["001"].contains(HOAN_KIEM_LAKE))
        self.assertTrue(provinces["01"].contains(HOAN_KIEM_LAKE))
        self.assertFalse(provinces["79"].contains(HOAN_KIEM_LAKE))

    def test_kept_in_memory(self):
        path = "/api/v1/levels.geojson?date=" + DATE
        first = self.get(path)
        self.assertEqual(first.headers.get("content-type"), "application/geo+json; charset=utf-8")
        r = self.get(path)
        # The replayed answer keeps its own type (the cache once said JSON).
        self.assertEqual(r.headers.get("content-type"), "application/geo+json; charset=utf-8")
        self.assertEqual(r.raw, first.raw)
        self.assertEqual(self.get("/api/v1/levels?date=" + DATE).headers.get("content-type"),
                         "application/json; charset=utf-8")
        self.assertEqual(self.get("/api/v1/levels?date=" + DATE).headers.get("content-type"),
                         "application/json; charset=utf-8")
        etag = r.headers.get("etag")
        self.assertRegex(etag or "", r'^"[0-9a-f]{16}"$')
        self.assertEqual(self.get(path, headers={"If-None-Match": etag}).status, 304)

    def test_errors(self):
        self.assertError(self.get("/api/v1/levels.geojson?date=20-10-2021"), 400, "invalid",
                         field="date", mentions="20-10-2021")
        self.assertError(self.get("/api/v1/levels.geojson?parent=99"), 404, "not_found")


class BoundaryFilesTest(unittest.TestCase):
    """serve against a copy of data/ whose district boundaries are missing or broken."""

    def data_dir(self, districts):
        d = tempfile.mkdtemp(prefix="geodata-", dir=harness.TEST_TMP)
        self.addCleanup(shutil.rmtree, d, True)
        for name in os.listdir(DATA_DIR):
            if name != "geo_districts.geojson":
                os.symlink(os.path.join(DATA_DIR, name), os.path.join(d, name))
        if districts is not None:
            with open(os.path.join(d, "geo_districts.geojson"), "w", encoding="utf-8") as f:
                f.write(districts)
        old = harness.DATA_DIR
        harness.DATA_DIR = d
        self.addCleanup(setattr, harness, "DATA_DIR", old)

    def test_missing_file_stops_the_start(self):
        self.data_dir(None)
        srv = Server(name="geo-missing")
        with self.assertRaises(AssertionError) as e:
            srv.start()
        self.assertIn("exited", str(e.exception))
        self.assertIn("geo_districts.geojson", str(e.exception))

    def test_broken_file_is_logged_and_the_map_has_no_shapes(self):
        self.data_dir('{"type": "FeatureCollection", "features": [')
        with Server(name="geo-broken") as srv:
            r = srv.request("GET", "/api/v1/levels.geojson?date=" + DATE)
            self.assertEqual(r.status, 200, r.describe())
            feats = r.json["features"]
            self.assertEqual(len(feats), 63)
            self.assertTrue(all(f["geometry"] is None for f in feats))
            self.assertIn("geo.load.failed", srv.stderr_tail())
            self.assertIn("geo_districts.geojson", srv.stderr_tail())


if __name__ == "__main__":
    main()
