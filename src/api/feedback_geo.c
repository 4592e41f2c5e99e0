/*
 * Feedback requests sent with a point (web and Open311): the point is
 * located among the shipped district boundaries (domain/geoloc.h); the
 * district it lies in takes the request when no place is chosen, and a
 * point near a border or outside every district is flagged for an
 * operator rather than routed silently.
 */
#include <math.h>
#include <string.h>

#include "api/api.h"
#include "domain/geoloc.h"
#include "store/feedback.h"
#include "base/banned.h"

int api_feedback_locate(struct api_ctx *r, struct feedback_item *f, const char *place_field)
{
	const struct api_geo *ag = f->has_point ? api_geo(r->app) : NULL;
	struct geoloc_hit h;

	f->geo_border_m = -1;
	if (!f->has_point || ag == NULL || ag->locator == NULL) {
		if (f->location_code == NULL && place_field)
			return error_set_at(&r->err, THC_EUNPROCESSABLE, place_field,
			                    "trường '%s': cần nơi xảy ra (mã đơn vị) hoặc tọa độ lat/long",
			                    "field '%s': the place (a unit code) or a point lat/long is needed",
			                    place_field);
		return 0;
	}
	geoloc_locate(ag->locator, f->lat, f->lon, &h);
	f->geo_flag = geoloc_flag_name(h.flag);
	if (h.code[0] == '\0') {
		if (f->location_code == NULL && place_field)
			return error_set_at(&r->err, THC_EUNPROCESSABLE, "lat",
			                    "trường 'lat'/'long': điểm này không thuộc quận, huyện nào của Việt Nam; hãy chọn nơi xảy ra",
			                    "field 'lat'/'long': the point lies in no district of Viet Nam; choose the place");
		return 0;
	}
	if ((f->geo_district = arena_strdup(r->arena, h.code)) == NULL)
		return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	f->geo_border_m = h.border_m >= 0 ? (int64_t)llround(h.border_m) : -1;
	if (f->location_code == NULL)
		f->location_code = f->geo_district;
	return 0;
}

void api_feedback_geo_json(json_t *o, const struct feedback_item *f)
{
	if (f->geo_district == NULL && f->geo_flag == NULL)
		return;
	json_object_set_new(o, "geo", json_pack("{s:s?,s:s?,s:o}", "district_code", f->geo_district,
	                                        "flag", f->geo_flag, "border_m",
	                                        f->geo_border_m >= 0 ? json_integer(f->geo_border_m)
	                                                             : json_null()));
}
