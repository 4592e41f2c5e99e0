/*
 * Unit boundaries by code (geo.h): one JSON object from code to geometry,
 * holding references to the parsed documents' geometries.
 */
#include <stdlib.h>
#include <string.h>

#include "domain/geo.h"
#include "base/banned.h"

struct geo_boundaries {
	json_t *by_code;
};

struct geo_boundaries *geo_boundaries_new(void)
{
	struct geo_boundaries *b = calloc(1, sizeof(*b));

	if (b && (b->by_code = json_object()) == NULL) {
		free(b);
		b = NULL;
	}
	return b;
}

static int geo_add_feature(json_t *add, json_t *f, size_t i, const json_t *have,
                           struct error *err)
{
	const char *code = json_string_value(json_object_get(json_object_get(f, "properties"), "code"));
	json_t *g = json_object_get(f, "geometry");

	if (code == NULL || !json_is_object(g) || !json_is_string(json_object_get(g, "type")))
		return error_set(err, THC_EINVAL,
		                 "đối tượng %zu: cần properties.code và geometry",
		                 "feature %zu: properties.code and a geometry are required", i);
	if (json_object_get(have, code) || json_object_get(add, code))
		return error_set(err, THC_EINVAL, "đối tượng %zu: mã '%.20s' lặp lại",
		                 "feature %zu: code '%.20s' is repeated", i, code);
	return json_object_set(add, code, g) < 0
	       ? error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory") : 0;
}

int geo_boundaries_add_doc(struct geo_boundaries *b, json_t *doc, struct error *err)
{
	json_t *features = json_object_get(doc, "features"), *add = json_object(), *f;
	size_t i;
	int rc = 0;

	if (doc == NULL || !json_is_array(features) ||
	    !json_is_string(json_object_get(doc, "type")) ||
	    strcmp(json_string_value(json_object_get(doc, "type")), "FeatureCollection") != 0)
		rc = error_set(err, THC_EINVAL, "không phải GeoJSON FeatureCollection",
		               "not a GeoJSON FeatureCollection");
	json_array_foreach(features, i, f) {
		if (rc == 0)
			rc = geo_add_feature(add, f, i, b->by_code, err);
	}
	/* All or nothing: the features join only once every one is good. */
	if (rc == 0 && (add == NULL || json_object_update(b->by_code, add) < 0))
		rc = error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	json_decref(add);
	return rc;
}

int geo_boundaries_add(struct geo_boundaries *b, const char *text, size_t len,
                       struct error *err)
{
	json_error_t je;
	json_t *doc = json_loadb(text, len, 0, &je);
	int rc = geo_boundaries_add_doc(b, doc, err);

	json_decref(doc);     /* the geometries are held by by_code */
	return rc;
}

json_t *geo_boundary(const struct geo_boundaries *b, const char *code)
{
	return json_object_get(b->by_code, code);
}

size_t geo_boundaries_count(const struct geo_boundaries *b)
{
	return json_object_size(b->by_code);
}

void geo_boundaries_free(struct geo_boundaries *b)
{
	if (b == NULL)
		return;
	json_decref(b->by_code);
	free(b);
}
