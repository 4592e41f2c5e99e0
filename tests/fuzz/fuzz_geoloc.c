/*
 * libFuzzer target for domain/geoloc.c: boundaries read from any text
 * (all or nothing), then points located among them, held to invariants:
 *   - a refused collection leaves the index as it was (the count);
 *   - locating never fails: the flag is one of the three, the distance is
 *     -1 or finite and >= 0, a code is "" or a unit's, and a point inside
 *     no polygon is flagged "outside".
 * The input: the first 16 bytes are two points (lat, lon as int32 in
 * 1e-7 degrees), the rest is the GeoJSON text, added as districts.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "domain/geoloc.h"
#include "fuzz.h"
#include "base/banned.h"

static double coord(const uint8_t *p, double lim)
{
	int32_t v;

	memcpy(&v, p, sizeof(v));
	return fmod(v / 1e7, lim);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct geoloc *g = geoloc_new();
	struct geoloc_hit h;
	struct error err = ERROR_INIT;
	const char *base = "{\"type\":\"FeatureCollection\",\"features\":[{\"properties\":"
	                   "{\"code\":\"101\",\"province_code\":\"01\"},\"geometry\":{\"type\":"
	                   "\"Polygon\",\"coordinates\":[[[105,21],[105.2,21],[105.2,21.2],[105,21]]]}}]}";
	size_t before;

	if (g == NULL || size < 16) {
		geoloc_free(g);
		return 0;
	}
	FUZZ_CHECK(geoloc_add(g, base, strlen(base), 2, &err) == 0);
	before = geoloc_count(g);
	if (geoloc_add(g, (const char *)data + 16, size - 16, 2, &err) < 0)
		FUZZ_CHECK(geoloc_count(g) == before);
	for (int i = 0; i < 2; i++) {
		geoloc_locate(g, coord(data + 8 * i, 90), coord(data + 8 * i + 4, 180), &h);
		FUZZ_CHECK(h.flag == GEOLOC_OK || h.flag == GEOLOC_NEAR_BORDER || h.flag == GEOLOC_OUTSIDE);
		FUZZ_CHECK(h.border_m == -1 || (isfinite(h.border_m) && h.border_m >= 0));
		FUZZ_CHECK(memchr(h.code, '\0', sizeof(h.code)) != NULL);
		FUZZ_CHECK(h.flag != GEOLOC_OK || h.code[0] != '\0');
	}
	geoloc_free(g);
	return 0;
}
