/*
 * Inspections over HTTP: the checklist templates (data), plans with their
 * team and target, findings per checklist item, the conclusion with its
 * follow-up actions, and an action reported done.  Who sees what is the
 * store's (store/inspections.h).
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/field.h"
#include "base/vntime.h"
#include "domain/inspection.h"
#include "domain/unit.h"
#include "store/inspections.h"
#include "base/banned.h"

#define INSP_TITLE_MAX 300
#define INSP_NAME_MAX 200
#define INSP_NOTE_MAX 4000

static const char *const insp_kinds[] = { "announced", "surprise", NULL };
static const char *const insp_results[] = { "pass", "fail", "na", NULL };

static json_t *insp_template_json(const struct insp_template *tp)
{
	json_t *items = json_array();

	for (size_t i = 0; i < tp->nitems; i++)
		json_array_append_new(items, json_pack("{s:s,s:s,s:s}", "id", tp->items[i].id,
		                                       "vi", tp->items[i].vi, "en", tp->items[i].en));
	return json_pack("{s:s,s:{s:s,s:s},s:s,s:o}", "code", tp->code, "name", "vi", tp->name_vi,
	                 "en", tp->name_en, "target", tp->business ? "business" : "unit",
	                 "items", items);
}

int api_inspection_templates(struct api_ctx *r, const struct route_args *a)
{
	const struct insp_template *tp;
	json_t *items = json_array();

	(void)a;
	for (size_t i = 0; (tp = insp_template_at(r->app->inspections, i)) != NULL; i++)
		json_array_append_new(items, insp_template_json(tp));
	return http_reply_json(r->http, 200, json_pack("{s:o}", "items", items));
}

/* ---- the JSON of an inspection ---- */

static json_t *insp_summary_json(const struct inspection *x)
{
	json_t *target = json_pack("{s:s}", "unit_code", x->target_code);

	if (x->tax_code) {
		json_object_set_new(target, "tax_code", json_string(x->tax_code));
		json_object_set_new(target, "business_name", json_string(x->business_name));
	}
	return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:b,s:s,s:o,s:s,s:s?,s:s?}",
	                 "id", (json_int_t)x->id, "title", x->title, "issuer", x->issuer_code,
	                 "period_from", x->period_from, "period_to", x->period_to, "kind", x->kind,
	                 "public", x->is_public, "template", x->template_code, "target", target,
	                 "status", x->status, "conclusion", x->conclusion,
	                 "concluded_on", x->concluded_on);
}

/* The checklist: every item of the template with its finding, if any. */
static json_t *insp_checklist_json(struct api_ctx *r, const struct inspection *x)
{
	const struct insp_template *tp = insp_template_find(r->app->inspections, x->template_code);
	json_t *list = json_array();

	for (size_t i = 0; tp && i < tp->nitems; i++) {
		const struct insp_finding *f = NULL;

		for (size_t k = 0; k < x->nfindings; k++)
			if (strcmp(x->findings[k].item, tp->items[i].id) == 0)
				f = &x->findings[k];
		json_array_append_new(list, json_pack("{s:s,s:s,s:s,s:s?,s:s?}", "item", tp->items[i].id,
		                                      "vi", tp->items[i].vi, "en", tp->items[i].en,
		                                      "result", f ? f->result : NULL,
		                                      "note", f ? f->note : NULL));
	}
	return list;
}

static json_t *insp_full_json(struct api_ctx *r, const struct inspection *x, const char *day)
{
	json_t *o = insp_summary_json(x), *team = json_array(), *actions = json_array();

	for (size_t i = 0; i < x->nmembers; i++)
		json_array_append_new(team, json_pack("{s:s,s:s}", "name", x->members[i].name,
		                                      "role", x->members[i].role));
	for (size_t i = 0; i < x->nactions; i++) {
		const struct insp_action *t = &x->actions[i];

		json_array_append_new(actions, json_pack("{s:I,s:s,s:s,s:s?,s:s?,s:s}",
		                      "id", (json_int_t)t->id, "description", t->description,
		                      "deadline", t->deadline, "done_on", t->done_on,
		                      "done_note", t->done_note, "status",
		                      insp_action_status_name(insp_action_status(t->deadline,
		                                                                 t->done_on, day))));
	}
	json_object_set_new(o, "team", team);
	json_object_set_new(o, "checklist", insp_checklist_json(r, x));
	json_object_set_new(o, "actions", actions);
	json_object_set_new(o, "date", json_string(day));
	return o;
}

/* ?date=YYYY-MM-DD (default today) as text. */
static int insp_query_date(struct api_ctx *r, char day[11])
{
	const char *v = http_query(r->http, "date");
	struct vndate d;

	if (v == NULL) {
		vndate_format_iso(vndate_from_days(api_today(r)), day, 11);
		return 0;
	}
	if (vndate_parse(v, &d) < 0)
		return error_set_at(&r->err, THC_EINVAL, "date",
		                    "tham số 'date': '%.20s' không phải ngày dạng YYYY-MM-DD",
		                    "parameter 'date': '%.20s' is not a date YYYY-MM-DD", v);
	vndate_format_iso(d, day, 11);
	return 0;
}

/* ---- creation ---- */

struct insp_in {
	const char *title, *issuer, *period_from, *period_to, *kind, *template_code;
	int is_public;
};
static const struct field insp_fields[] = {
	FIELD_TEXT("title", struct insp_in, title, FIELD_REQUIRED, INSP_TITLE_MAX),
	FIELD_TEXT("issuer", struct insp_in, issuer, FIELD_REQUIRED, UNIT_CODE_MAX),
	FIELD_DAY("period_from", struct insp_in, period_from, FIELD_REQUIRED),
	FIELD_DAY("period_to", struct insp_in, period_to, FIELD_REQUIRED),
	FIELD_ENUM("kind", struct insp_in, kind, FIELD_REQUIRED, insp_kinds, NULL),
	FIELD_TEXT("template", struct insp_in, template_code, FIELD_REQUIRED, INSP_CODE_MAX),
	FIELD_BOOL("public", struct insp_in, is_public, 0, 0),
};

struct insp_target_in { const char *unit_code, *tax_code, *business_name; };
static const struct field insp_target_fields[] = {
	FIELD_TEXT("unit_code", struct insp_target_in, unit_code, FIELD_REQUIRED, UNIT_CODE_MAX),
	FIELD_CHECKED("tax_code", struct insp_target_in, tax_code, 0, INSP_TAX_CODE_MAX,
	              insp_tax_code_check),
	FIELD_TEXT("business_name", struct insp_target_in, business_name, 0, INSP_NAME_MAX),
};

static const struct field insp_member_fields[] = {
	FIELD_TEXT("name", struct insp_member, name, FIELD_REQUIRED, INSP_NAME_MAX),
	FIELD_TEXT("role", struct insp_member, role, FIELD_REQUIRED, INSP_NAME_MAX),
};

/* The target as the template wants it: a business names its tax code and name. */
static int insp_target_check(struct api_ctx *r, const struct insp_template *tp,
                             const struct insp_target_in *t)
{
	if (tp->business && (t->tax_code == NULL || t->business_name == NULL))
		return error_set_at(&r->err, THC_EUNPROCESSABLE,
		                    t->tax_code ? "target.business_name" : "target.tax_code",
		                    "mẫu '%s' dùng cho doanh nghiệp: cần 'target.tax_code' và 'target.business_name'",
		                    "template '%s' is for a business: 'target.tax_code' and 'target.business_name' are required",
		                    tp->code);
	if (!tp->business && (t->tax_code || t->business_name))
		return error_set_at(&r->err, THC_EUNPROCESSABLE, "target.tax_code",
		                    "mẫu '%s' dùng cho đơn vị, không cho doanh nghiệp",
		                    "template '%s' is for a unit, not a business", tp->code);
	return 0;
}

static int insp_team_read(struct api_ctx *r, json_t *doc, struct inspection *x)
{
	json_t *team = json_object_get(doc, "team"), *m;
	size_t i;
	int rc;

	if (team == NULL || json_is_null(team))
		return 0;
	if (!json_is_array(team) || json_array_size(team) > INSP_MEMBERS_MAX)
		return error_set_at(&r->err, THC_EUNPROCESSABLE, "team",
		                    "trường 'team' phải là danh sách tối đa %d thành viên",
		                    "field 'team' must be a list of at most %d members", INSP_MEMBERS_MAX);
	if ((x->members = arena_alloc(r->arena, (json_array_size(team) + 1) * sizeof(*x->members))) == NULL)
		return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	json_array_foreach(team, i, m) {
		if ((rc = field_read_json_item(FIELDS(insp_member_fields), m, "team", i, api_today(r),
		                               &x->members[i], &r->err)) < 0)
			return rc;
	}
	x->nmembers = json_array_size(team);
	return 0;
}

int api_inspections_create(struct api_ctx *r, const struct route_args *a)
{
	struct insp_in in;
	struct insp_target_in t;
	struct inspection x = { 0 };
	const struct insp_template *tp;
	char loc[64];
	int rc;

	(void)a;
	if ((rc = field_read_json(FIELDS(insp_fields), r->json, NULL, api_today(r), &in, &r->err)) < 0 ||
	    (rc = field_read_json_member(FIELDS(insp_target_fields), r->json, "target", api_today(r),
	                                 &t, &r->err)) < 0)
		return rc;
	if (strcmp(in.period_from, in.period_to) > 0)
		return error_set_at(&r->err, THC_EUNPROCESSABLE, "period_to",
		                    "trường 'period_to': trước 'period_from'",
		                    "field 'period_to': before 'period_from'");
	if ((tp = insp_template_find(r->app->inspections, in.template_code)) == NULL)
		return error_set_at(&r->err, THC_EUNPROCESSABLE, "template",
		                    "trường 'template': không có mẫu kiểm tra '%.40s'",
		                    "field 'template': no inspection template '%.40s'", in.template_code);
	if ((rc = insp_target_check(r, tp, &t)) < 0 || (rc = insp_team_read(r, r->json, &x)) < 0)
		return rc;
	x.title = in.title;
	x.issuer_code = in.issuer;
	x.period_from = in.period_from;
	x.period_to = in.period_to;
	x.kind = in.kind;
	x.is_public = in.is_public;
	x.template_code = tp->code;
	x.target_code = t.unit_code;
	x.tax_code = t.tax_code;
	x.business_name = t.business_name;
	if ((rc = store_inspection_create(r->st, &r->actor, &x, &r->err)) < 0)
		return rc;
	snprintf(loc, sizeof(loc), "/api/v1/inspections/%lld", (long long)x.id);
	http_add_header(r->http, "Location", loc);
	return http_reply_json(r->http, 201, json_pack("{s:I,s:s}", "id", (json_int_t)x.id,
	                                               "status", x.status));
}

/* ---- reading ---- */

int api_inspections_list(struct api_ctx *r, const struct route_args *a)
{
	struct inspection *x;
	json_t *items;
	size_t n;
	int rc;

	(void)a;
	if ((rc = store_inspection_list(r->st, &r->actor, http_query(r->http, "unit"), r->arena,
	                                &x, &n, &r->err)) < 0)
		return rc;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, insp_summary_json(&x[i]));
	return http_reply_json(r->http, 200, json_pack("{s:o}", "items", items));
}

int api_inspections_get(struct api_ctx *r, const struct route_args *a)
{
	struct inspection x;
	char day[11];
	int64_t id;
	int rc;

	if ((rc = api_id_arg(r, a, &id)) < 0 || (rc = insp_query_date(r, day)) < 0 ||
	    (rc = store_inspection_get(r->st, &r->actor, id, r->arena, &x, &r->err)) < 0)
		return rc;
	return http_reply_json(r->http, 200, insp_full_json(r, &x, day));
}

/* ---- findings ---- */

static const struct field insp_finding_fields[] = {
	FIELD_TEXT("item", struct insp_finding, item, FIELD_REQUIRED, INSP_CODE_MAX),
	FIELD_ENUM("result", struct insp_finding, result, FIELD_REQUIRED, insp_results, NULL),
	FIELD_TEXT("note", struct insp_finding, note, FIELD_MULTILINE, INSP_NOTE_MAX),
};

/* Items of the template, each once; a failed one says what was found. */
static int insp_findings_read(struct api_ctx *r, const struct insp_template *tp, json_t *list,
                              struct insp_finding *f)
{
	json_t *o;
	size_t i;
	int rc;

	json_array_foreach(list, i, o) {
		char field[48];

		if ((rc = field_read_json_item(FIELDS(insp_finding_fields), o, "items", i, api_today(r),
		                               &f[i], &r->err)) < 0)
			return rc;
		snprintf(field, sizeof(field), "items[%zu].item", i);
		if (insp_item_find(tp, f[i].item) == NULL)
			return error_set_at(&r->err, THC_EUNPROCESSABLE, field,
			                    "trường '%s': mẫu không có mục '%.40s'",
			                    "field '%s': the template has no item '%.40s'", field, f[i].item);
		for (size_t k = 0; k < i; k++)
			if (strcmp(f[k].item, f[i].item) == 0)
				return error_set_at(&r->err, THC_EUNPROCESSABLE, field,
				                    "trường '%s': mục '%.40s' bị lặp lại",
				                    "field '%s': item '%.40s' is repeated", field, f[i].item);
		snprintf(field, sizeof(field), "items[%zu].note", i);
		if (strcmp(f[i].result, "fail") == 0 && f[i].note == NULL)
			return error_set_at(&r->err, THC_EUNPROCESSABLE, field,
			                    "trường '%s': cần ghi rõ vi phạm", "field '%s': describe the violation",
			                    field);
	}
	return 0;
}

int api_inspection_findings(struct api_ctx *r, const struct route_args *a)
{
	json_t *list = json_object_get(r->json, "items");
	const struct insp_template *tp;
	struct insp_finding *f;
	struct inspection x;
	char day[11];
	int64_t id;
	int rc;

	if ((rc = api_id_arg(r, a, &id)) < 0 ||
	    (rc = store_inspection_get(r->st, &r->actor, id, r->arena, &x, &r->err)) < 0)
		return rc;
	if (!json_is_array(list) || json_array_size(list) == 0 ||
	    json_array_size(list) > INSP_ITEMS_MAX)
		return error_set_at(&r->err, THC_EUNPROCESSABLE, "items",
		                    "trường 'items' phải là danh sách 1..%d mục",
		                    "field 'items' must be a list of 1..%d items", INSP_ITEMS_MAX);
	tp = insp_template_find(r->app->inspections, x.template_code);
	if ((f = arena_alloc(r->arena, json_array_size(list) * sizeof(*f))) == NULL)
		return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	if ((rc = insp_findings_read(r, tp, list, f)) < 0 ||
	    (rc = store_inspection_findings(r->st, &r->actor, id, f, json_array_size(list),
	                                    &r->err)) < 0 ||
	    (rc = store_inspection_get(r->st, &r->actor, id, r->arena, &x, &r->err)) < 0)
		return rc;
	vndate_format_iso(vndate_from_days(api_today(r)), day, sizeof(day));
	return http_reply_json(r->http, 200, insp_full_json(r, &x, day));
}

/* ---- conclusion and follow-up ---- */

struct insp_conclude_in { const char *conclusion, *concluded_on; };
static const struct field insp_conclude_fields[] = {
	FIELD_TEXT("conclusion", struct insp_conclude_in, conclusion, FIELD_REQUIRED | FIELD_MULTILINE,
	           INSP_NOTE_MAX),
	FIELD_DAY("concluded_on", struct insp_conclude_in, concluded_on, FIELD_REQUIRED | FIELD_PAST),
};
static const struct field insp_action_fields[] = {
	FIELD_TEXT("description", struct insp_action, description, FIELD_REQUIRED | FIELD_MULTILINE,
	           INSP_NOTE_MAX),
	FIELD_DAY("deadline", struct insp_action, deadline, FIELD_REQUIRED),
};

static int insp_actions_read(struct api_ctx *r, json_t *list, const char *concluded_on,
                             struct insp_action *t)
{
	json_t *o;
	size_t i;
	int rc;

	json_array_foreach(list, i, o) {
		char field[48];

		if ((rc = field_read_json_item(FIELDS(insp_action_fields), o, "actions", i, api_today(r),
		                               &t[i], &r->err)) < 0)
			return rc;
		snprintf(field, sizeof(field), "actions[%zu].deadline", i);
		if (strcmp(t[i].deadline, concluded_on) < 0)
			return error_set_at(&r->err, THC_EUNPROCESSABLE, field,
			                    "trường '%s': hạn trước ngày kết luận",
			                    "field '%s': the deadline is before the conclusion", field);
	}
	return 0;
}

int api_inspection_conclude(struct api_ctx *r, const struct route_args *a)
{
	json_t *list = json_object_get(r->json, "actions");
	struct insp_conclude_in in;
	struct insp_action *t = NULL;
	struct inspection x;
	size_t n = 0;
	char day[11];
	int64_t id;
	int rc;

	if ((rc = api_id_arg(r, a, &id)) < 0 ||
	    (rc = field_read_json(FIELDS(insp_conclude_fields), r->json, NULL, api_today(r), &in,
	                          &r->err)) < 0)
		return rc;
	if (list && !json_is_null(list)) {
		if (!json_is_array(list) || json_array_size(list) > INSP_ACTIONS_MAX)
			return error_set_at(&r->err, THC_EUNPROCESSABLE, "actions",
			                    "trường 'actions' phải là danh sách tối đa %d việc",
			                    "field 'actions' must be a list of at most %d actions",
			                    INSP_ACTIONS_MAX);
		n = json_array_size(list);
		if ((t = arena_alloc(r->arena, (n + 1) * sizeof(*t))) == NULL)
			return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		if ((rc = insp_actions_read(r, list, in.concluded_on, t)) < 0)
			return rc;
	}
	if ((rc = store_inspection_conclude(r->st, &r->actor, id, in.conclusion, in.concluded_on,
	                                    t, n, &r->err)) < 0 ||
	    (rc = store_inspection_get(r->st, &r->actor, id, r->arena, &x, &r->err)) < 0)
		return rc;
	vndate_format_iso(vndate_from_days(api_today(r)), day, sizeof(day));
	return http_reply_json(r->http, 200, insp_full_json(r, &x, day));
}

struct insp_done_in { const char *done_on, *note; };
static const struct field insp_done_fields[] = {
	FIELD_DAY("done_on", struct insp_done_in, done_on, FIELD_REQUIRED | FIELD_PAST),
	FIELD_TEXT("note", struct insp_done_in, note, FIELD_MULTILINE, INSP_NOTE_MAX),
};

int api_inspection_action_done(struct api_ctx *r, const struct route_args *a)
{
	struct insp_done_in in;
	int64_t id;
	int rc;

	if ((rc = api_id_arg(r, a, &id)) < 0 ||
	    (rc = field_read_json(FIELDS(insp_done_fields), r->json, NULL, api_today(r), &in,
	                          &r->err)) < 0 ||
	    (rc = store_inspection_action_done(r->st, &r->actor, id, in.done_on, in.note,
	                                       &r->err)) < 0)
		return rc;
	return http_reply_json(r->http, 200, json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id,
	                                               "status", "done", "done_on", in.done_on));
}
