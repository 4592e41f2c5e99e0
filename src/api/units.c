/*
 * Administrative units: public levels for everyone, hamlets and households
 * within the caller's scope (enforced by the store).
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/field.h"
#include "base/parse.h"
#include "base/text.h"
#include "base/vntime.h"
#include "domain/case.h"
#include "domain/unit.h"
#include "base/banned.h"

#define UNITS_LIMIT_DEFAULT 100
#define UNITS_LIMIT_MAX 1000
#define UNITS_Q_MAX 200

json_t *api_unit_json(const struct unit *u)
{
	json_t *o = json_pack("{s:s,s:s,s:s,s:s?,s:s?}", "code", u->code, "name", u->name,
	                      "level", u->level, "parent_code", u->parent_code, "type", u->type);

	json_object_set_new(o, "population", u->population >= 0 ? json_integer(u->population)
	                                                        : json_null());
	if (u->address)
		json_object_set_new(o, "address", json_string(u->address));
	if (u->members >= 0)
		json_object_set_new(o, "members", json_integer(u->members));
	return o;
}

int api_query_int(struct api_ctx *r, const char *name, int64_t min, int64_t max,
                  int64_t *out)
{
	const char *v = http_query(r->http, name);

	if (v == NULL)
		return 1;
	if (parse_int64(v, min, max, out) < 0)
		return error_set_at(&r->err, THC_EINVAL, name,
		                    "tham số '%s' phải là số nguyên trong khoảng %lld..%lld",
		                    "parameter '%s' must be an integer within %lld..%lld",
		                    name, (long long)min, (long long)max);
	return 0;
}

int32_t api_today(const struct api_ctx *r)
{
	return vntime_day_of(r->http->start_ms / 1000);
}

int api_id_arg(struct api_ctx *r, const struct route_args *a, int64_t *id)
{
	if (parse_int64(route_arg(a, "id"), 1, INT64_MAX, id) < 0)
		return error_set(&r->err, THC_ENOTFOUND, "không tìm thấy '%.20s'",
		                 "not found: '%.20s'", route_arg(a, "id"));
	return 0;
}

int api_query_day(struct api_ctx *r, const char *name, int plus_days, int64_t *out_ms)
{
	const char *v = http_query(r->http, name);
	struct vndate d;

	if (v == NULL)
		return 1;
	if (vndate_parse(v, &d) < 0)
		return error_set(&r->err, THC_EINVAL,
		                 "tham số '%s': '%.20s' không phải ngày dạng YYYY-MM-DD",
		                 "parameter '%s': '%.20s' is not a date YYYY-MM-DD", name, v);
	*out_ms = ((int64_t)(vndate_to_days(d) + plus_days) * 86400 - VNTIME_OFFSET_S) * 1000;
	return 0;
}

int api_query_iso_day(struct api_ctx *r, const char *name, char out[11])
{
	const char *v = http_query(r->http, name);
	struct vndate d;

	if (v == NULL)
		d = vndate_from_days(api_today(r));
	else if (vndate_parse(v, &d) < 0)
		return error_set_at(&r->err, THC_EINVAL, name,
		                    "tham số '%s': '%.20s' không phải ngày dạng YYYY-MM-DD",
		                    "parameter '%s': '%.20s' is not a date YYYY-MM-DD", name, v);
	vndate_format_iso(d, out, 11);
	return 0;
}

int api_units_list(struct api_ctx *r, const struct route_args *a)
{
	struct unit_query q = { .limit = UNITS_LIMIT_DEFAULT };
	struct unit_page page;
	struct unit parent;
	const char *qs = http_query(r->http, "q");
	int64_t limit;
	json_t *items;
	int rc;

	(void)a;
	if ((rc = api_query_int(r, "limit", 1, UNITS_LIMIT_MAX, &limit)) < 0)
		return rc;
	if (rc == 0)
		q.limit = (int)limit;
	q.parent = http_query(r->http, "parent");
	q.level = http_query(r->http, "level");
	q.cursor = http_query(r->http, "cursor");
	q.within = http_query(r->http, "within");
	if (q.level && (unit_level_from_name(q.level) <= UNIT_COUNTRY))
		return error_set(&r->err, THC_EINVAL,
		                 "tham số 'level': '%.20s' phải là province, district, commune, hamlet hoặc household",
		                 "parameter 'level': '%.20s' must be province, district, commune, hamlet or household",
		                 q.level);
	if (qs) {
		char *folded;
		size_t n = strlen(qs);

		if (n > UNITS_Q_MAX || !text_utf8_valid(qs, n))
			return error_set(&r->err, THC_EINVAL,
			                 "tham số 'q' phải là UTF-8, tối đa %d byte",
			                 "parameter 'q' must be UTF-8 of at most %d bytes", UNITS_Q_MAX);
		folded = arena_alloc(r->arena, 3 * n + 2);
		text_fold(qs, folded, 3 * n + 2);
		q.q = folded[0] ? folded : NULL;
	}
	if (q.within && q.q == NULL)
		return error_set(&r->err, THC_EINVAL, "tham số 'within' chỉ dùng cùng 'q'",
		                 "parameter 'within' goes with 'q' only");
	if (q.within && strcmp(q.within, "VN") != 0 &&
	    (rc = store_unit_get(r->st, &r->actor, q.within, r->arena, &parent, &r->err)) < 0)
		return rc;
	if (q.within && strcmp(q.within, "VN") == 0)
		q.within = NULL;
	if (q.parent) {
		if ((rc = store_unit_get(r->st, &r->actor, q.parent, r->arena, &parent, &r->err)) < 0)
			return rc;
	} else if (q.level == NULL && q.q == NULL) {
		q.level = "province";    /* the top of the tree */
	}
	if ((rc = store_units_list(r->st, &r->actor, &q, r->arena, &page, &r->err)) < 0)
		return rc;
	items = json_array();
	for (size_t i = 0; i < page.n; i++)
		json_array_append_new(items, api_unit_json(&page.items[i]));
	return http_reply_json(r->http, 200, json_pack("{s:o,s:I,s:s?}", "items", items,
	                                         "total", (json_int_t)page.total, "next", page.next));
}

int api_units_get(struct api_ctx *r, const struct route_args *a)
{
	const char *code = route_arg(a, "code");
	struct unit u, *path;
	struct unit_counts c;
	size_t n;
	json_t *o, *pj, *children;
	int rc;

	if ((rc = store_unit_get(r->st, &r->actor, code, r->arena, &u, &r->err)) < 0)
		return rc;
	if ((rc = store_unit_path(r->st, &r->actor, code, r->arena, &path, &n, &r->err)) < 0)
		return rc;
	if ((rc = store_unit_counts(r->st, &r->actor, code, &c, &r->err)) < 0)
		return rc;
	o = api_unit_json(&u);
	pj = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(pj, json_pack("{s:s,s:s,s:s}", "code", path[i].code,
		                                    "name", path[i].name, "level", path[i].level));
	children = json_pack("{s:I,s:I}", "district", (json_int_t)c.district,
	                     "commune", (json_int_t)c.commune);
	if (c.hamlet_visible)
		json_object_set_new(children, "hamlet", json_integer(c.hamlet));
	if (c.household_visible)
		json_object_set_new(children, "household", json_integer(c.household));
	json_object_set_new(o, "path", pj);
	json_object_set_new(o, "children", children);
	return http_reply_json(r->http, 200, o);
}

static const char *const unit_api_levels[] = { "hamlet", "household", NULL };

static int unit_name_field(const char *field, const char *v, struct error *err)
{
	(void)field;                   /* the unit checks name "name" themselves */
	return unit_name_check(v, err);
}

static const struct field unit_fields[] = {
	FIELD_TEXT("parent_code", struct unit, parent_code, FIELD_REQUIRED, UNIT_CODE_MAX),
	FIELD_ENUM("level", struct unit, level, FIELD_REQUIRED, unit_api_levels, NULL),
	FIELD_CHECKED("name", struct unit, name, FIELD_REQUIRED, 4 * UNIT_NAME_MAX, unit_name_field),
	FIELD_TEXT("type", struct unit, type, 0, 64),
	FIELD_TEXT("address", struct unit, address, 0, 500),
	FIELD_INT("members", struct unit, members, 0, 1, 200, -1),
};

int api_units_create(struct api_ctx *r, const struct route_args *a)
{
	struct unit u = { .population = -1 };
	json_t *doc = NULL;
	char loc[96];
	int lvl, rc;

	(void)a;
	if ((rc = api_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = field_read_json(FIELDS(unit_fields), doc, NULL, api_today(r),
	                          &u, &r->err)) < 0)
		goto out;
	lvl = unit_level_from_name(u.level);
	if (lvl == UNIT_HAMLET && u.type) {
		if ((rc = unit_hamlet_type_check(u.type, &r->err)) < 0)
			goto out;
		u.type = unit_hamlet_type_name(rc);
	} else if (lvl == UNIT_HOUSEHOLD) {
		u.type = NULL;
	}
	if (lvl == UNIT_HAMLET && (u.address || u.members >= 0)) {
		rc = error_set_at(&r->err, THC_EUNPROCESSABLE, "address",
		               "trường 'address'/'members' chỉ dành cho hộ gia đình",
		               "fields 'address' and 'members' are for households only");
		goto out;
	}
	if ((rc = store_unit_create(r->st, &r->actor, &u, r->arena, &r->err)) < 0)
		goto out;
	if (text_fmt(loc, sizeof(loc), "/api/v1/units/%s", u.code) == 0)
		http_add_header(r->http, "Location", loc);
	rc = http_reply_json(r->http, 201, api_unit_json(&u));
out:
	json_decref(doc);
	return rc;
}
