/*
 * A province's own feedback categories: a province official adds one
 * (name in Vietnamese and English, answer period in working days, the level
 * that handles it, the department that answers for it); it takes requests
 * only within that province, beside the national ones, and the public
 * list of categories shows it with ?unit= a unit of the province.
 */
#include <string.h>

#include "api/api.h"
#include "api/field.h"
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

static json_t *fbcat_json(const struct fbcat_item *c)
{
	return json_pack("{s:s,s:{s:s,s:s},s:I,s:s,s:b,s:s,s:s}", "code", c->code, "name",
	                 "vi", c->name_vi, "en", c->name_en, "days", (json_int_t)c->days,
	                 "level", c->level, "assumption", 0, "province_code", c->province_code,
	                 "department", c->department);
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
	return rc < 0 ? rc : http_reply_json(r->http, 201, fbcat_json(&c));
}

int api_feedback_local_categories(struct api_ctx *r, json_t *items)
{
	const char *unit = http_query(r->http, "unit");
	struct fbcat_item *c;
	size_t n;
	int rc;

	if (unit == NULL)
		return 0;
	if (strlen(unit) >= UNIT_CODE_MAX)
		return error_set_at(&r->err, THC_EINVAL, "unit", "tham số 'unit': mã quá dài",
		                    "parameter 'unit': the code is too long");
	if ((rc = store_fbcat_list(r->st, unit, r->arena, &c, &n, &r->err)) < 0)
		return rc;
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, fbcat_json(&c[i]));
	return 0;
}
