/*
 * A province's own feedback categories: a province official adds one
 * (name in Vietnamese and English, answer period in working days, the level
 * that handles it, the department that answers for it), edits its names,
 * days and department, or retires it (kept for the requests that have it);
 * it takes requests only within that province, beside the national ones,
 * and the public list of categories shows it with ?unit= a unit of the
 * province (?all=1: the retired ones too, with their day of retirement).
 */
#include <string.h>

#include "api/api.h"
#include "api/field.h"
#include "base/vntime.h"
#include "domain/feedback.h"
#include "domain/unit.h"
#include "store/fbcatalog.h"
#include "base/banned.h"

static const char *const fbcat_levels[] = { "commune", "district", "province", NULL };

static const struct field fbcat_fields[] = {
	FIELD_TEXT("province_code", struct fbcat_item, province_code, FIELD_REQUIRED, UNIT_CODE_MAX),
	FIELD_CHECKED("code", struct fbcat_item, code, FIELD_REQUIRED, FEEDBACK_CODE_MAX,
	              feedback_code_check),
	FIELD_TEXT("name_vi", struct fbcat_item, name_vi, FIELD_REQUIRED, FEEDBACK_NAME_MAX),
	FIELD_TEXT("name_en", struct fbcat_item, name_en, FIELD_REQUIRED, FEEDBACK_NAME_MAX),
	FIELD_INT("days", struct fbcat_item, days, FIELD_REQUIRED, 1, FEEDBACK_DAYS_MAX, 0),
	FIELD_ENUM("level", struct fbcat_item, level, 0, fbcat_levels, "commune"),
	FIELD_TEXT("department", struct fbcat_item, department, FIELD_REQUIRED, FBCAT_DEPARTMENT_MAX),
};

/* The editable fields (PUT): the code and level stay. */
static const struct field fbcat_edit_fields[] = {
	FIELD_TEXT("name_vi", struct fbcat_item, name_vi, FIELD_REQUIRED, FEEDBACK_NAME_MAX),
	FIELD_TEXT("name_en", struct fbcat_item, name_en, FIELD_REQUIRED, FEEDBACK_NAME_MAX),
	FIELD_INT("days", struct fbcat_item, days, FIELD_REQUIRED, 1, FEEDBACK_DAYS_MAX, 0),
	FIELD_TEXT("department", struct fbcat_item, department, FIELD_REQUIRED, FBCAT_DEPARTMENT_MAX),
};

static json_t *fbcat_json(struct api_ctx *r, const struct fbcat_item *c)
{
	char day[11];
	json_t *o = json_pack("{s:s,s:{s:s,s:s},s:I,s:s,s:b,s:s,s:s,s:b}", "code", c->code, "name",
	                      "vi", c->name_vi, "en", c->name_en, "days", (json_int_t)c->days,
	                      "level", c->level, "assumption", 0, "province_code", c->province_code,
	                      "department", c->department, "retired", c->retired_at_ms != 0);

	if (o)
		json_object_set_new(o, "departments", json_pack("{s:s,s:s,s:s}", "province",
		                    c->department, "district", c->department, "commune", c->department));
	if (o && c->retired_at_ms) {
		vndate_format_iso(vndate_from_days(vntime_day_of(c->retired_at_ms / 1000)), day,
		                  sizeof(day));
		json_object_set_new(o, "retired_on", json_string(day));
	}
	(void)r;
	return o;
}

int api_feedback_category_add(struct api_ctx *r, const struct route_args *a)
{
	struct fbcat_item c = { 0 };
	json_t *doc = NULL;
	int rc;

	(void)a;
	if ((rc = api_body_json(r, &doc)) < 0)
		return rc;
	rc = field_read_json(FIELDS(fbcat_fields), doc, NULL, api_today(r), &c, &r->err);
	if (rc == 0)
		rc = store_fbcat_add(r->st, &r->actor, r->app->feedback, &c, &r->err);
	json_decref(doc);
	return rc < 0 ? rc : http_reply_json(r->http, 201, fbcat_json(r, &c));
}

/* {province}/{code} of the path. */
static int fbcat_args(struct api_ctx *r, const struct route_args *a, const char **province,
                      const char **code)
{
	*province = route_arg(a, "province");
	*code = route_arg(a, "code");
	if (*province == NULL || *code == NULL || strlen(*province) >= UNIT_CODE_MAX ||
	    strlen(*code) >= FEEDBACK_CODE_MAX)
		return error_set(&r->err, THC_ENOTFOUND, "không có loại phản ánh này",
		                 "no such category");
	return 0;
}

int api_feedback_category_edit(struct api_ctx *r, const struct route_args *a)
{
	struct fbcat_item c = { 0 };
	json_t *doc = NULL;
	int rc;

	if ((rc = fbcat_args(r, a, &c.province_code, &c.code)) < 0 ||
	    (rc = api_body_json(r, &doc)) < 0)
		return rc;
	rc = field_read_json(FIELDS(fbcat_edit_fields), doc, NULL, api_today(r), &c, &r->err);
	if (rc == 0)
		rc = store_fbcat_edit(r->st, &r->actor, r->arena, &c, &r->err);
	json_decref(doc);
	return rc < 0 ? rc : http_reply_json(r->http, 200, fbcat_json(r, &c));
}

int api_feedback_category_retire(struct api_ctx *r, const struct route_args *a)
{
	const char *province, *code;
	struct fbcat_item c = { 0 };
	int rc;

	if ((rc = fbcat_args(r, a, &province, &code)) < 0 ||
	    (rc = store_fbcat_retire(r->st, &r->actor, province, code, r->arena, &c, &r->err)) < 0)
		return rc;
	return http_reply_json(r->http, 200, fbcat_json(r, &c));
}

int api_feedback_local_categories(struct api_ctx *r, json_t *items)
{
	const char *unit = http_query(r->http, "unit");
	struct fbcat_item *c;
	size_t n;
	int64_t all;
	int rc;

	if ((rc = api_query_int(r, "all", 0, 1, &all)) < 0)
		return rc;
	if (unit == NULL)
		return 0;
	if (strlen(unit) >= UNIT_CODE_MAX)
		return error_set_at(&r->err, THC_EINVAL, "unit", "tham số 'unit': mã quá dài",
		                    "parameter 'unit': the code is too long");
	if ((rc = store_fbcat_list(r->st, unit, rc == 1 ? 0 : (int)all, r->arena, &c, &n,
	                           &r->err)) < 0)
		return rc;
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, fbcat_json(r, &c[i]));
	return 0;
}
