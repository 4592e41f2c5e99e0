/*
 * Unit boundaries (data/geo_provinces.geojson, data/geo_districts.geojson,
 * the ones the web map draws): GeoJSON FeatureCollections whose features
 * carry properties.code, read once and looked up by unit code for the
 * GeoJSON of levels (GET /api/v1/levels.geojson).  Pure: the caller reads
 * the files.
 */
#ifndef THC_DOMAIN_GEO_H
#define THC_DOMAIN_GEO_H

#include <stddef.h>
#include <jansson.h>
#include "base/error.h"

struct geo_boundaries;

struct geo_boundaries *geo_boundaries_new(void);     /* NULL: out of memory */
/* Adds the features of one FeatureCollection's text.  Not a collection, a
 * feature without a text properties.code or a geometry object, a code
 * already there: THC_EINVAL naming the feature. */
int geo_boundaries_add(struct geo_boundaries *b, const char *text, size_t len,
                       struct error *err);
/* The same from a parsed document (NULL counts as not a collection); b
 * takes references to its geometries, the caller keeps its own. */
int geo_boundaries_add_doc(struct geo_boundaries *b, json_t *doc, struct error *err);
/* The geometry of a unit, borrowed from b; NULL when it has none. */
json_t *geo_boundary(const struct geo_boundaries *b, const char *code);
size_t geo_boundaries_count(const struct geo_boundaries *b);
void geo_boundaries_free(struct geo_boundaries *b);

#endif
