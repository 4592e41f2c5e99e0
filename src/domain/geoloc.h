/*
 * Locating a point among the shipped district boundaries
 * (data/geo_districts.geojson, with the provinces of
 * data/geo_provinces.geojson that have no district there), so that a
 * feedback request sent with coordinates reaches the right district.
 *
 * Point in polygon is even-odd ray casting over every ring: a polygon's
 * first ring is its outer boundary, the others are holes, and a
 * MultiPolygon is any of its polygons.  Distances are in metres on a local
 * projection of the WGS84 ellipsoid at the point (the meridian and
 * prime-vertical radii of curvature at its latitude): within the few
 * kilometres searched its error is far below the boundaries' own
 * (simplified to about 100 m, see data/SOURCES.md).
 *
 * A point is flagged for an operator, not routed silently, when it lies
 * within GEOLOC_BORDER_M of another unit's polygon (or inside two, where
 * the simplified boundaries overlap), or inside none.  The boundaries have
 * no shared topology, so "near another unit" is the distance to that
 * unit's polygon, not to one's own boundary: a coast is no border.
 *
 * Pure: the caller reads the files.  Ownership: geoloc_free() frees what
 * geoloc_new() returns; a hit holds copies.
 */
#ifndef THC_DOMAIN_GEOLOC_H
#define THC_DOMAIN_GEOLOC_H

#include <stddef.h>
#include <jansson.h>
#include "base/error.h"

#define GEOLOC_BORDER_M 200.0      /* closer than this to another unit: flagged */
#define GEOLOC_NEAREST_M 20000.0   /* outside every polygon: the nearest within this */
#define GEOLOC_CODE_MAX 16

enum geoloc_flag {
	GEOLOC_OK = 0,                 /* inside one district, far from the others */
	GEOLOC_NEAR_BORDER,            /* within GEOLOC_BORDER_M of another unit */
	GEOLOC_OUTSIDE,                /* inside no district polygon (perhaps in a
	                                * province without district boundaries) */
};

struct geoloc_hit {
	char code[GEOLOC_CODE_MAX];      /* the district containing the point, else a province
	                                  * without district boundaries containing it, else
	                                  * the nearest district within GEOLOC_NEAREST_M;
	                                  * "" for none */
	char neighbour[GEOLOC_CODE_MAX]; /* the nearest other unit ("" none within reach) */
	double border_m;                 /* distance to it; inside: to the other unit's
	                                  * polygon, outside: to `code`'s; -1 unknown */
	enum geoloc_flag flag;
};

struct geoloc;

struct geoloc *geoloc_new(void);     /* NULL: out of memory */
/*
 * Adds the features of a GeoJSON FeatureCollection: level 2 for districts
 * (properties.code and properties.province_code), level 1 for provinces
 * (properties.code; only those no district names as its province count).
 * THC_EINVAL naming the feature for a geometry that is not a Polygon or
 * MultiPolygon of [lon, lat] rings of at least 4 positions.
 */
int geoloc_add(struct geoloc *g, const char *text, size_t len, int level, struct error *err);
/* The same from a parsed document (NULL counts as not a collection). */
int geoloc_add_doc(struct geoloc *g, const json_t *doc, int level, struct error *err);
/* The number of units a point can be located in (districts and provinces
 * without districts). */
size_t geoloc_count(const struct geoloc *g);
/* Locates (lat, lon); never fails. */
void geoloc_locate(const struct geoloc *g, double lat, double lon, struct geoloc_hit *out);
/* "near_border", "outside", or NULL for GEOLOC_OK. */
const char *geoloc_flag_name(enum geoloc_flag f);
void geoloc_free(struct geoloc *g);

#endif
