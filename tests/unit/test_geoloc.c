/*
 * Locating points among boundaries (domain/geoloc.h): holes and
 * multipolygons on small shapes, then points near real district borders of
 * the shipped data, on both sides, on the edge, 150 m and 250 m away.  The
 * points were placed with Vincenty's direct formula on WGS84 along the
 * normal of a border edge the two districts share vertex for vertex, so
 * the expected distances do not come from the code under test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/geoloc.h"
#include "base/banned.h"

#define FC(features) "{\"type\":\"FeatureCollection\",\"features\":[" features "]}"
/* A 0.2° square with a 0.1° hole, and a district of two squares. */
#define HOLED "{\"properties\":{\"code\":\"101\",\"province_code\":\"01\"},\"geometry\":" \
	"{\"type\":\"Polygon\",\"coordinates\":[[[105,21],[105.2,21],[105.2,21.2],[105,21.2]," \
	"[105,21]],[[105.05,21.05],[105.15,21.05],[105.15,21.15],[105.05,21.15],[105.05,21.05]]]}}"
#define MULTI "{\"properties\":{\"code\":\"102\",\"province_code\":\"01\"},\"geometry\":" \
	"{\"type\":\"MultiPolygon\",\"coordinates\":[[[[106,21],[106.1,21],[106.1,21.1],[106,21]]]," \
	"[[[107,21],[107.1,21],[107.1,21.1],[107,21.1],[107,21]]]]}}"

static void test_holes_and_multipolygons(void **state)
{
	struct geoloc *g = geoloc_new();
	struct geoloc_hit h;
	struct error err = ERROR_INIT;
	const char *text = FC(HOLED "," MULTI);

	(void)state;
	assert_int_equal(geoloc_add(g, text, strlen(text), 2, &err), 0);
	assert_int_equal(geoloc_count(g), 2);
	geoloc_locate(g, 21.02, 105.02, &h);            /* in the ring, not the hole */
	assert_string_equal(h.code, "101");
	assert_int_equal(h.flag, GEOLOC_OK);
	geoloc_locate(g, 21.10, 105.10, &h);            /* in the hole: in no district */
	assert_int_equal(h.flag, GEOLOC_OUTSIDE);
	/* The nearest is 101 itself, 0.05° away (about 5.2 km at 21°N). */
	assert_string_equal(h.code, "101");
	assert_true(h.border_m > 5100 && h.border_m < 5300);
	geoloc_locate(g, 21.05, 107.05, &h);            /* the second part */
	assert_string_equal(h.code, "102");
	assert_int_equal(h.flag, GEOLOC_OK);
	geoloc_locate(g, 21.08, 106.02, &h);            /* beside the triangle, outside it */
	assert_int_equal(h.flag, GEOLOC_OUTSIDE);
	assert_string_equal(h.code, "102");
	geoloc_locate(g, 48.85, 2.35, &h);              /* far from everything */
	assert_int_equal(h.flag, GEOLOC_OUTSIDE);
	assert_string_equal(h.code, "");
	assert_true(h.border_m < 0);
	assert_null(geoloc_flag_name(GEOLOC_OK));
	assert_string_equal(geoloc_flag_name(GEOLOC_NEAR_BORDER), "near_border");
	geoloc_free(g);
}

static void test_province_without_districts(void **state)
{
	struct geoloc *g = geoloc_new();
	struct geoloc_hit h;
	struct error err = ERROR_INIT;
	const char *prov = FC("{\"properties\":{\"code\":\"01\"},\"geometry\":{\"type\":\"Polygon\","
	                      "\"coordinates\":[[[104,20],[108,20],[108,22],[104,22],[104,20]]]}},"
	                      "{\"properties\":{\"code\":\"02\"},\"geometry\":{\"type\":\"Polygon\","
	                      "\"coordinates\":[[[108,20],[109,20],[109,22],[108,22],[108,20]]]}}");
	const char *dist = FC(HOLED);

	(void)state;
	assert_int_equal(geoloc_add(g, prov, strlen(prov), 1, &err), 0);
	assert_int_equal(geoloc_add(g, dist, strlen(dist), 2, &err), 0);
	/* 01 has a district: it no longer counts; 02 has none: it does. */
	assert_int_equal(geoloc_count(g), 2);
	geoloc_locate(g, 21.0, 104.5, &h);
	assert_int_equal(h.flag, GEOLOC_OUTSIDE);
	geoloc_locate(g, 21.0, 108.5, &h);
	assert_string_equal(h.code, "02");
	assert_int_equal(h.flag, GEOLOC_OUTSIDE);
	geoloc_free(g);
}

static void test_bad_input_all_or_nothing(void **state)
{
	struct geoloc *g = geoloc_new();
	struct error err = ERROR_INIT;
	const char *bad[] = {
		"{",
		FC(HOLED ",{\"properties\":{\"code\":\"103\",\"province_code\":\"01\"},\"geometry\":"
		   "{\"type\":\"Point\",\"coordinates\":[105,21]}}"),
		FC("{\"properties\":{\"code\":\"104\"},\"geometry\":{\"type\":\"Polygon\","
		   "\"coordinates\":[[[105,21],[105.2,21],[105,21.2],[105,21]]]}}"),
		/* an empty code would locate points to no unit yet say "found" */
		FC("{\"properties\":{\"code\":\"\",\"province_code\":\"01\"},\"geometry\":"
		   "{\"type\":\"Polygon\",\"coordinates\":[[[105,21],[105.2,21],[105,21.2],[105,21]]]}}"),
		FC("{\"properties\":{\"code\":\"106\",\"province_code\":\"\"},\"geometry\":"
		   "{\"type\":\"Polygon\",\"coordinates\":[[[105,21],[105.2,21],[105,21.2],[105,21]]]}}"),
		FC("{\"properties\":{\"code\":\"105\",\"province_code\":\"01\"},\"geometry\":"
		   "{\"type\":\"Polygon\",\"coordinates\":[[[105,21],[105.2,21],[105,21]]]}}"),
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(geoloc_add(g, bad[i], strlen(bad[i]), 2, &err), THC_EINVAL);
		assert_int_equal(geoloc_count(g), 0);
	}
	assert_non_null(strstr(err.en, "feature 0"));
	geoloc_free(g);
}

static char *slurp(const char *name, size_t *n)
{
	const char *dir = getenv("THC_DATA_DIR");
	char path[1024], *buf;
	long len;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir && dir[0] ? dir : THC_DATA_DIR, name);
	assert_non_null(f = fopen(path, "rb"));
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	assert_non_null(buf = malloc((size_t)len));
	*n = fread(buf, 1, (size_t)len, f);
	fclose(f);
	return buf;
}

static struct geoloc *shipped(void)
{
	static const char *const files[] = { "geo_provinces.geojson", "geo_districts.geojson" };
	struct geoloc *g = geoloc_new();
	struct error err = ERROR_INIT;

	for (int i = 0; i < 2; i++) {
		size_t n;
		char *buf = slurp(files[i], &n);

		assert_int_equal(geoloc_add(g, buf, n, i + 1, &err), 0);
		free(buf);
	}
	return g;
}

struct probe {
	double lat, lon;
	const char *code;            /* where it lies */
	const char *neighbour;       /* across the border */
	double metres;               /* from the border */
};

static void check(const struct geoloc *g, const struct probe *p)
{
	struct geoloc_hit h;

	geoloc_locate(g, p->lat, p->lon, &h);
	print_message("%.7f %.7f -> %s (%s %.1f m) %s\n", p->lat, p->lon, h.code, h.neighbour,
	              h.border_m, geoloc_flag_name(h.flag) ? geoloc_flag_name(h.flag) : "ok");
	assert_string_equal(h.code, p->code);
	assert_string_equal(h.neighbour, p->neighbour);
	assert_true(h.border_m > p->metres - 5 && h.border_m < p->metres + 5);
	assert_int_equal(h.flag, p->metres <= GEOLOC_BORDER_M ? GEOLOC_NEAR_BORDER : GEOLOC_OK);
}

static void test_shipped_borders(void **state)
{
	struct geoloc *g = shipped();
	/* Tháp Mười (872, Đồng Tháp) | Tân Thạnh (799, Long An): the edge
	 * 105.8343,10.6384 - 105.9101,10.5385; Bù Gia Mập (691, Bình Phước) |
	 * Tuy Đức (667, Đắk Nông): 107.2077,12.2877 - 107.2274,12.1604; Năm Căn
	 * (971) | Đầm Dơi (970), both Cà Mau: 105.0658,8.847 - 105.2463,8.8498. */
	static const struct probe probes[] = {
		{ 10.5876391, 105.8711258, "872", "799", 150 },
		{ 10.5870985, 105.8703934, "872", "799", 250 },
		{ 10.5892609, 105.8732742, "799", "872", 150 },
		{ 10.5898015, 105.8740066, "799", "872", 250 },
		{ 12.2238472, 107.2161861, "691", "667", 150 },
		{ 12.2237120, 107.2152774, "691", "667", 250 },
		{ 12.2242528, 107.2189139, "667", "691", 150 },
		{ 12.2243880, 107.2198226, "667", "691", 250 },
		{ 8.8470439, 105.1560693, "971", "970", 150 },
		{ 8.8461399, 105.1560838, "971", "970", 250 },
		{ 8.8497561, 105.1560307, "970", "971", 150 },
		{ 8.8506601, 105.1560162, "970", "971", 250 },
	};
	struct geoloc_hit h;

	(void)state;
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
		check(g, &probes[i]);
	/* On the edge itself (its midpoint): flagged, 0 m from the other side. */
	geoloc_locate(g, 10.58845, 105.8722, &h);
	assert_true(h.flag != GEOLOC_OK);
	assert_true(h.border_m >= 0 && h.border_m < 1);
	/* The middle of Hoàn Kiếm (002, Hà Nội): routed, far from any border. */
	geoloc_locate(g, 21.0285, 105.8542, &h);
	assert_string_equal(h.code, "002");
	assert_int_equal(h.flag, GEOLOC_OK);
	/* Hạ Long bay: Quảng Ninh (22) ships no district boundaries, so the
	 * province is proposed, flagged: no district is known there. */
	geoloc_locate(g, 20.95, 107.05, &h);
	assert_string_equal(h.code, "22");
	assert_int_equal(h.flag, GEOLOC_OUTSIDE);
	/* The South China Sea, 300 km out: no unit. */
	geoloc_locate(g, 12.0, 112.0, &h);
	assert_int_equal(h.flag, GEOLOC_OUTSIDE);
	assert_string_equal(h.code, "");
	geoloc_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_holes_and_multipolygons),
		cmocka_unit_test(test_province_without_districts),
		cmocka_unit_test(test_bad_input_all_or_nothing),
		cmocka_unit_test(test_shipped_borders),
	};

	return cmocka_run_group_tests_name("geoloc", tests, NULL, NULL);
}
