/*
 * GET /api/v1/levels.geojson?date=&parent=: the level map as a GeoJSON
 * FeatureCollection for QGIS and other GIS tools: one feature per public
 * child of `parent` (default the provinces) with the decided level in
 * force on `date` (default today), drawn with the boundaries the web map
 * ships (provinces and districts; a commune has none, so its geometry is
 * null, which GeoJSON allows).  Public, aggregates only.
 */
#include <string.h>

#include "api/api.h"
#include "base/lazy.h"
#include "base/vntime.h"
#include "domain/geo.h"
#include "domain/level.h"
#include "base/banned.h"

static int geo_date(struct api_ctx *r, char out[11])
{
	const char *v = http_query(r->http, "date");
	struct vndate d;

	if (v == NULL)
		d = vndate_from_days(api_today(r));
	else if (vndate_parse(v, &d) < 0)
		return error_set_at(&r->err, THC_EINVAL, "date",
		                    "tham số 'date': '%.20s' không phải ngày dạng YYYY-MM-DD",
		                    "parameter 'date': '%.20s' is not a date YYYY-MM-DD", v);
	vndate_format_iso(d, out, 11);
	return 0;
}

static json_t *geo_feature(const struct geo_boundaries *bounds, const struct level_in_force *v)
{
	int l = v->level >= 1 && v->level <= 4 ? v->level : 0;
	json_t *g = bounds ? geo_boundary(bounds, v->code) : NULL;

	return json_pack("{s:s,s:s,s:{s:s,s:s,s:s,s:o,s:s,s:s?,s:s?,s:s?},s:O}",
	                 "type", "Feature", "id", v->code, "properties",
	                 "code", v->code, "name", v->name, "unit_level", v->unit_level,
	                 "level", l ? json_integer(l) : json_null(), "colour", level_colour(l),
	                 "effective_from", v->effective_from, "week_end", v->week_end,
	                 "source", v->source, "geometry", g ? g : json_null());
}

int api_levels_geojson(struct api_ctx *r, const struct route_args *a)
{
	const char *parent = http_query(r->http, "parent");
	const struct api_geo *ag;
	struct level_in_force *v;
	struct unit pu;
	char date[11];
	size_t n;
	json_t *features, *doc;
	char *body;
	int rc;

	(void)a;
	if ((rc = geo_date(r, date)) < 0)
		return rc;
	if (parent && (rc = store_unit_get(r->st, NULL, parent, r->arena, &pu, &r->err)) < 0)
		return rc;
	if ((rc = store_levels_in_force(r->st, parent, date, r->arena, &v, &n, &r->err)) < 0)
		return rc;
	ag = api_geo(r->app);
	features = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(features, geo_feature(ag ? ag->bounds : NULL, &v[i]));
	doc = json_pack("{s:s,s:s,s:s?,s:o}", "type", "FeatureCollection", "date", date,
	                "parent", parent, "features", features);
	body = doc ? json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;
	json_decref(doc);
	if (body == NULL)
		return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	/* GeoJSON's own media type (RFC 7946), which GIS tools look for. */
	return http_reply_bytes(r->http, 200, "application/geo+json; charset=utf-8", body,
	                        strlen(body));
}

const struct api_geo *api_geo(const struct api_app *app)
{
	return app->geo ? lazy_get(app->geo) : NULL;
}
