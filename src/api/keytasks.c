/*
 * Key tasks a unit registers for a period, their progress and the review
 * by the level above.
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/field.h"
#include "base/parse.h"
#include "base/vntime.h"
#include "domain/directive.h"
#include "domain/unit.h"
#include "base/banned.h"

#define KT_TARGET_MAX 1e12

struct kt_body {
	const char *unit_code, *period, *title, *measure;
	double target;
};
static const struct field kt_fields[] = {
	FIELD_TEXT("unit_code", struct kt_body, unit_code, FIELD_REQUIRED, UNIT_CODE_MAX),
	FIELD_TEXT("period", struct kt_body, period, FIELD_REQUIRED, 10),
	FIELD_TEXT("title", struct kt_body, title, FIELD_REQUIRED, DIRECTIVE_TITLE_MAX),
	FIELD_TEXT("measure", struct kt_body, measure, FIELD_REQUIRED, 100),
	FIELD_REAL("target", struct kt_body, target, FIELD_REQUIRED, 0, KT_TARGET_MAX, 0),
};

static json_t *kt_json(const struct keytask *k)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:f,s:f,s:s?,s:s?,s:s?,s:s?,s:s}",
	                 "id", (json_int_t)k->id, "unit_code", k->unit_code, "period", k->period,
	                 "period_kind", k->period_kind, "period_end", k->period_end,
	                 "title", k->title, "measure", k->measure, "target", k->target,
	                 "progress", k->progress, "progress_note", k->progress_note,
	                 "rating", k->rating, "review_note", k->review_note,
	                 "reviewed_by", k->reviewed_by,
	                 "suggested", directive_keytask_suggest(k->target, k->progress));
}

int api_keytasks_create(struct api_ctx *r, const struct route_args *a)
{
	struct kt_body b;
	struct keytask k = { 0 };
	enum keytask_period kind;
	int32_t first, last;
	char end[11], loc[64];
	json_t *doc = NULL;
	int rc;

	(void)a;
	if ((rc = api_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = field_read_json(FIELDS(kt_fields), doc, NULL, api_today(r), &b, &r->err)) < 0 ||
	    (rc = directive_period_parse(b.period, &kind, &first, &last, &r->err)) < 0)
		goto out;
	if (b.target <= 0) {
		rc = error_set_at(&r->err, THC_EUNPROCESSABLE, "target", "trường 'target': phải lớn hơn 0",
		                  "field 'target': must be above 0");
		goto out;
	}
	vndate_format_iso(vndate_from_days(last), end, sizeof(end));
	k = (struct keytask){ .unit_code = b.unit_code, .period = b.period,
	                      .period_kind = directive_period_kind_name(kind), .period_end = end,
	                      .title = b.title, .measure = b.measure, .target = b.target };
	if ((rc = store_keytask_create(r->st, &r->actor, &k, &r->err)) < 0)
		goto out;
	snprintf(loc, sizeof(loc), "/api/v1/key-tasks?unit=%s", k.unit_code);
	http_add_header(r->http, "Location", loc);
	rc = http_reply_json(r->http, 201, kt_json(&k));
out:
	json_decref(doc);
	return rc;
}

int api_keytasks_list(struct api_ctx *r, const struct route_args *a)
{
	const char *unit = http_query(r->http, "unit"), *period = http_query(r->http, "period");
	struct keytask *k;
	size_t n;
	json_t *items;
	int rc;

	(void)a;
	if (unit == NULL || unit[0] == '\0')
		return error_set_at(&r->err, THC_EINVAL, "unit", "thiếu tham số 'unit'",
		                    "parameter 'unit' is missing");
	if ((rc = store_keytask_list(r->st, &r->actor, unit, period, r->arena, &k, &n,
	                             &r->err)) < 0)
		return rc;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, kt_json(&k[i]));
	return http_reply_json(r->http, 200, json_pack("{s:o}", "items", items));
}

struct kt_progress_body {
	double progress;
	const char *note;
};
static const struct field kt_progress_fields[] = {
	FIELD_REAL("progress", struct kt_progress_body, progress, FIELD_REQUIRED, 0, KT_TARGET_MAX, 0),
	FIELD_TEXT("note", struct kt_progress_body, note, FIELD_MULTILINE, DIRECTIVE_TEXT_MAX),
};

int api_keytask_progress(struct api_ctx *r, const struct route_args *a)
{
	struct kt_progress_body b;
	json_t *doc = NULL;
	int64_t id;
	int rc;

	if ((rc = api_id_arg(r, a, &id)) < 0 || (rc = api_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = field_read_json(FIELDS(kt_progress_fields), doc, NULL, api_today(r), &b,
	                          &r->err)) < 0 ||
	    (rc = store_keytask_progress(r->st, &r->actor, id, b.progress, b.note, &r->err)) < 0)
		goto out;
	rc = http_reply_json(r->http, 200, json_pack("{s:I,s:f}", "id", (json_int_t)id,
	                                             "progress", b.progress));
out:
	json_decref(doc);
	return rc;
}

static const char *const kt_ratings[] = {
#define X(id, name, vi, en) name,
	KEYTASK_RATINGS(X)
#undef X
	NULL
};

struct kt_review_body {
	const char *rating, *note;
};
static const struct field kt_review_fields[] = {
	FIELD_ENUM("rating", struct kt_review_body, rating, FIELD_REQUIRED, kt_ratings, NULL),
	FIELD_TEXT("note", struct kt_review_body, note, FIELD_MULTILINE, DIRECTIVE_TEXT_MAX),
};

int api_keytask_review(struct api_ctx *r, const struct route_args *a)
{
	struct kt_review_body b;
	json_t *doc = NULL;
	int64_t id;
	int rc;

	if ((rc = api_id_arg(r, a, &id)) < 0 || (rc = api_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = field_read_json(FIELDS(kt_review_fields), doc, NULL, api_today(r), &b,
	                          &r->err)) < 0 ||
	    (rc = store_keytask_review(r->st, &r->actor, id, b.rating, b.note, api_today(r),
	                               &r->err)) < 0)
		goto out;
	rc = http_reply_json(r->http, 200, json_pack("{s:I,s:s}", "id", (json_int_t)id,
	                                             "rating", b.rating));
out:
	json_decref(doc);
	return rc;
}
