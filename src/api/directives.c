/*
 * Directives and tasks down the hierarchy: issuing, progress per unit with
 * the delegated rows rolled up, reminders to the overdue units, reports
 * and delegation by the assigned unit, and a unit's inbox.
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

static const char *const dir_levels[] = { "province", "district", "commune", NULL };

struct dir_body {
	const char *number, *issued_on, *issuer, *title, *summary;
};
static const struct field dir_fields[] = {
	FIELD_TEXT("number", struct dir_body, number, FIELD_REQUIRED, DIRECTIVE_NUMBER_MAX),
	FIELD_DAY("issued_on", struct dir_body, issued_on, FIELD_REQUIRED | FIELD_PAST),
	FIELD_TEXT("issuer", struct dir_body, issuer, FIELD_REQUIRED, UNIT_CODE_MAX),
	FIELD_TEXT("title", struct dir_body, title, FIELD_REQUIRED, DIRECTIVE_TITLE_MAX),
	FIELD_TEXT("summary", struct dir_body, summary, FIELD_MULTILINE, DIRECTIVE_TEXT_MAX),
};

struct dir_task_body {
	const char *title, *deadline;
};
static const struct field dir_task_fields[] = {
	FIELD_TEXT("title", struct dir_task_body, title, FIELD_REQUIRED, DIRECTIVE_TITLE_MAX),
	FIELD_DAY("deadline", struct dir_task_body, deadline, FIELD_REQUIRED),
};

struct dir_rule_body {
	const char *children_of, *level;
};
static const struct field dir_rule_fields[] = {
	FIELD_TEXT("children_of", struct dir_rule_body, children_of, FIELD_REQUIRED, UNIT_CODE_MAX),
	FIELD_ENUM("level", struct dir_rule_body, level, FIELD_REQUIRED, dir_levels, NULL),
};

/* {"units":[CODE,...]} or {"children_of":CODE,"level":...} at `field`. */
static int dir_assignees(struct api_ctx *r, json_t *v, const char *field,
                         struct directive_assignees *w)
{
	json_t *units;
	struct dir_rule_body rule;
	int rc;

	memset(w, 0, sizeof(*w));
	if ((w->field = arena_strdup(r->arena, field)) == NULL)
		return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	if (!json_is_object(v))
		return error_set_at(&r->err, THC_EUNPROCESSABLE, field,
		                    "trường '%s': cần {\"units\":[...]} hoặc {\"children_of\",\"level\"}",
		                    "field '%s': expected {\"units\":[...]} or {\"children_of\",\"level\"}",
		                    field);
	units = json_object_get(v, "units");
	if (units == NULL) {
		if ((rc = field_read_json(FIELDS(dir_rule_fields), v, field, api_today(r), &rule,
		                          &r->err)) < 0)
			return rc;
		w->children_of = rule.children_of;
		w->level = rule.level;
		return 0;
	}
	if (!json_is_array(units) || json_array_size(units) == 0 ||
	    json_array_size(units) > DIRECTIVE_UNITS_MAX)
		return error_set_at(&r->err, THC_EUNPROCESSABLE, field,
		                    "trường '%s.units': cần 1..%d mã đơn vị",
		                    "field '%s.units': expected 1..%d unit codes", field,
		                    DIRECTIVE_UNITS_MAX);
	w->nunits = json_array_size(units);
	if ((w->units = arena_alloc(r->arena, w->nunits * sizeof(*w->units))) == NULL)
		return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	for (size_t j = 0; j < w->nunits; j++) {
		const char *c = json_string_value(json_array_get(units, j));

		if (c == NULL || c[0] == '\0' || strlen(c) >= UNIT_CODE_MAX)
			return error_set_at(&r->err, THC_EUNPROCESSABLE, field,
			                    "trường '%s.units[%zu]': cần một mã đơn vị",
			                    "field '%s.units[%zu]': expected a unit code", field, j);
		w->units[j] = c;
	}
	return 0;
}

static int dir_tasks(struct api_ctx *r, json_t *doc, struct directive_in *d)
{
	json_t *tasks = json_object_get(doc, "tasks");
	int rc;

	if (!json_is_array(tasks) || json_array_size(tasks) == 0 ||
	    json_array_size(tasks) > DIRECTIVE_TASKS_MAX)
		return error_set_at(&r->err, THC_EUNPROCESSABLE, "tasks",
		                    "trường 'tasks': cần 1..%d nhiệm vụ",
		                    "field 'tasks': expected 1..%d tasks", DIRECTIVE_TASKS_MAX);
	d->ntasks = json_array_size(tasks);
	if ((d->tasks = arena_alloc(r->arena, d->ntasks * sizeof(*d->tasks))) == NULL)
		return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	for (size_t i = 0; i < d->ntasks; i++) {
		json_t *t = json_array_get(tasks, i);
		struct dir_task_body tb;
		char f[40];

		if ((rc = field_read_json_item(FIELDS(dir_task_fields), t, "tasks", i, api_today(r),
		                               &tb, &r->err)) < 0)
			return rc;
		snprintf(f, sizeof(f), "tasks[%zu].assignees", i);
		if ((rc = dir_assignees(r, json_object_get(t, "assignees"), f, &d->tasks[i].who)) < 0)
			return rc;
		d->tasks[i].title = tb.title;
		d->tasks[i].deadline = tb.deadline;
	}
	return 0;
}

int api_directives_create(struct api_ctx *r, const struct route_args *a)
{
	struct directive_in d = { 0 };
	struct dir_body b;
	json_t *doc = NULL, *tasks;
	char loc[64];
	int rc;

	(void)a;
	if ((rc = api_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = field_read_json(FIELDS(dir_fields), doc, NULL, api_today(r), &b, &r->err)) < 0 ||
	    (rc = dir_tasks(r, doc, &d)) < 0)
		goto out;
	d.number = b.number, d.issued_on = b.issued_on, d.issuer = b.issuer;
	d.title = b.title, d.summary = b.summary;
	if ((rc = store_directive_create(r->st, &r->actor, &d, &r->err)) < 0)
		goto out;
	tasks = json_array();
	for (size_t i = 0; i < d.ntasks; i++)
		json_array_append_new(tasks, json_pack("{s:I,s:s,s:s,s:I}", "id",
		                      (json_int_t)d.tasks[i].id, "title", d.tasks[i].title,
		                      "deadline", d.tasks[i].deadline, "units",
		                      (json_int_t)d.tasks[i].assigned));
	snprintf(loc, sizeof(loc), "/api/v1/directives/%lld/progress", (long long)d.id);
	http_add_header(r->http, "Location", loc);
	rc = http_reply_json(r->http, 201, json_pack("{s:I,s:o}", "id", (json_int_t)d.id,
	                                             "tasks", tasks));
out:
	json_decref(doc);
	return rc;
}

/* ?date=YYYY-MM-DD as days; today when absent. */
static int dir_asof(struct api_ctx *r, const char *v, int32_t *out)
{
	struct vndate d;

	*out = api_today(r);
	if (v == NULL || v[0] == '\0')
		return 0;
	if (vndate_parse(v, &d) < 0 || d.year < 2020 || d.year > 2100)
		return error_set_at(&r->err, THC_EINVAL, "date",
		                    "tham số 'date': '%.20s' không phải ngày YYYY-MM-DD",
		                    "parameter 'date': '%.20s' is not a date YYYY-MM-DD", v);
	*out = vndate_to_days(d);
	return 0;
}

static json_t *dir_day_json(int32_t day)
{
	char s[11];

	if (day == DIRECTIVE_DAY_NONE)
		return json_null();
	vndate_format_iso(vndate_from_days(day), s, sizeof(s));
	return json_string(s);
}

static json_t *dir_row_json(const struct directive_row *x)
{
	const struct directive_item *it = &x->item;
	json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:o,s:o,s:s,s:s?,s:s?,s:b}",
	                      "task_id", (json_int_t)it->task_id, "unit_code", it->unit_code,
	                      "unit_name", x->unit_name, "unit_level", x->unit_level,
	                      "status", directive_status_name(it->status),
	                      "deadline", dir_day_json(it->deadline),
	                      "done_on", dir_day_json(it->status == DIRECTIVE_DONE ? it->done_on
	                                              : DIRECTIVE_DAY_NONE),
	                      "task_title", x->task_title, "note", x->note,
	                      "evidence", x->evidence, "delegated", x->delegated);

	json_object_set_new(o, "assigned_by", json_string(it->issuer_code));
	json_object_set_new(o, "parent_task_id", it->parent_task_id
	                    ? json_integer(it->parent_task_id) : json_null());
	if (x->delegated || it->below_total)
		json_object_set_new(o, "below", json_pack("{s:i,s:i,s:i}", "total", it->below_total,
		                                          "done", it->below_done,
		                                          "overdue", it->below_overdue));
	return o;
}

int api_directive_progress(struct api_ctx *r, const struct route_args *a)
{
	struct directive_head h;
	struct directive_row *rows;
	size_t n;
	int64_t id;
	int32_t asof;
	json_t *items, *dir;
	int rc;

	if ((rc = api_id_arg(r, a, &id)) < 0 ||
	    (rc = dir_asof(r, http_query(r->http, "date"), &asof)) < 0 ||
	    (rc = store_directive_progress(r->st, &r->actor, id, asof, r->arena, &h, &rows, &n,
	                                   &r->err)) < 0)
		return rc;
	dir = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s?}", "id", (json_int_t)id, "number", h.number,
	                "issued_on", h.issued_on, "issuer", h.issuer_code, "issuer_name",
	                h.issuer_name, "title", h.title, "summary", h.summary);
	if (dir == NULL)
		return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	if ((rc = api_directive_extras(r, id, dir)) < 0) {
		json_decref(dir);
		return rc;
	}
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, dir_row_json(&rows[i]));
	return http_reply_json(r->http, 200, json_pack("{s:o,s:o,s:o}", "directive", dir,
	                                               "date", dir_day_json(asof), "items", items));
}

struct dir_remind_body {
	const char *date, *message;
};
static const struct field dir_remind_fields[] = {
	FIELD_DAY("date", struct dir_remind_body, date, 0),
	FIELD_TEXT("message", struct dir_remind_body, message, FIELD_MULTILINE, DIRECTIVE_TEXT_MAX),
};

int api_directive_remind(struct api_ctx *r, const struct route_args *a)
{
	struct dir_remind_body b = { 0 };
	const char **units;
	json_t *doc = NULL, *list;
	size_t n;
	int64_t id;
	int32_t asof;
	int rc;

	if ((rc = api_id_arg(r, a, &id)) < 0)
		goto out;
	if (r->json && (rc = api_body_json(r, &doc)) < 0)
		goto out;
	if (doc && (rc = field_read_json(FIELDS(dir_remind_fields), doc, NULL, api_today(r), &b,
	                                 &r->err)) < 0)
		goto out;
	if ((rc = dir_asof(r, b.date, &asof)) < 0 ||
	    (rc = store_directive_remind(r->st, &r->actor, id, asof, b.message, r->arena, &units,
	                                 &n, &r->err)) < 0)
		goto out;
	list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_string(units[i]));
	rc = http_reply_json(r->http, n ? 201 : 200, json_pack("{s:I,s:o,s:o}", "sent",
	                                                       (json_int_t)n, "date",
	                                                       dir_day_json(asof), "units", list));
out:
	json_decref(doc);
	return rc;
}

struct dir_report_body {
	const char *unit_code, *note, *evidence, *done_on;
	int done;
};
static const struct field dir_report_fields[] = {
	FIELD_TEXT("unit_code", struct dir_report_body, unit_code, FIELD_REQUIRED, UNIT_CODE_MAX),
	FIELD_TEXT("note", struct dir_report_body, note, FIELD_REQUIRED | FIELD_MULTILINE,
	           DIRECTIVE_TEXT_MAX),
	FIELD_BOOL("done", struct dir_report_body, done, FIELD_REQUIRED, 0),
	FIELD_TEXT("evidence", struct dir_report_body, evidence, 0, DIRECTIVE_EVIDENCE_MAX),
	/* A report queued offline says the day the work was done. */
	FIELD_DAY("done_on", struct dir_report_body, done_on, FIELD_PAST),
};

static int dir_task_arg(struct api_ctx *r, const struct route_args *a, int64_t *id)
{
	if (parse_int64(route_arg(a, "task_id"), 1, INT64_MAX, id) < 0)
		return error_set(&r->err, THC_ENOTFOUND, "không có nhiệm vụ '%.20s'",
		                 "no task '%.20s'", route_arg(a, "task_id"));
	return 0;
}

int api_task_report(struct api_ctx *r, const struct route_args *a)
{
	struct dir_report_body b;
	struct task_report_in in = { 0 };
	json_t *doc = NULL;
	char today[11];
	int rc;

	if ((rc = dir_task_arg(r, a, &in.task_id)) < 0 || (rc = api_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = field_read_json(FIELDS(dir_report_fields), doc, NULL, api_today(r), &b,
	                          &r->err)) < 0)
		goto out;
	vndate_format_iso(vndate_from_days(api_today(r)), today, sizeof(today));
	in.unit_code = b.unit_code, in.note = b.note, in.evidence = b.evidence;
	in.done = b.done;
	in.done_on = b.done_on ? b.done_on : today;
	if ((rc = store_task_report(r->st, &r->actor, &in, &r->err)) < 0)
		goto out;
	rc = http_reply_json(r->http, 201, json_pack("{s:I,s:s,s:b,s:s?}", "task_id",
	                                             (json_int_t)in.task_id, "unit_code",
	                                             in.unit_code, "done", in.done, "done_on",
	                                             in.done ? in.done_on : NULL));
out:
	json_decref(doc);
	return rc;
}

struct dir_delegate_body {
	const char *unit_code, *title, *deadline;
};
static const struct field dir_delegate_fields[] = {
	FIELD_TEXT("unit_code", struct dir_delegate_body, unit_code, FIELD_REQUIRED, UNIT_CODE_MAX),
	FIELD_TEXT("title", struct dir_delegate_body, title, 0, DIRECTIVE_TITLE_MAX),
	FIELD_DAY("deadline", struct dir_delegate_body, deadline, FIELD_REQUIRED),
};

int api_task_delegate(struct api_ctx *r, const struct route_args *a)
{
	struct dir_delegate_body b;
	struct task_delegate_in in = { 0 };
	json_t *doc = NULL;
	int rc;

	if ((rc = dir_task_arg(r, a, &in.task_id)) < 0 || (rc = api_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = field_read_json(FIELDS(dir_delegate_fields), doc, NULL, api_today(r), &b,
	                          &r->err)) < 0 ||
	    (rc = dir_assignees(r, json_object_get(doc, "assignees"), "assignees", &in.who)) < 0)
		goto out;
	in.unit_code = b.unit_code, in.deadline = b.deadline;
	in.title = b.title ? b.title : "Triển khai nhiệm vụ cấp trên giao";
	if ((rc = store_task_delegate(r->st, &r->actor, &in, &r->err)) < 0)
		goto out;
	rc = http_reply_json(r->http, 201, json_pack("{s:I,s:I,s:s,s:s,s:I}", "id",
	                                             (json_int_t)in.id, "parent_task_id",
	                                             (json_int_t)in.task_id, "unit_code",
	                                             in.unit_code, "deadline", in.deadline,
	                                             "units", (json_int_t)in.assigned));
out:
	json_decref(doc);
	return rc;
}

int api_unit_inbox(struct api_ctx *r, const struct route_args *a)
{
	struct inbox_task *t;
	struct inbox_notice *x;
	size_t nt, nn;
	int32_t asof;
	json_t *tasks, *notices;
	int rc;

	if ((rc = dir_asof(r, http_query(r->http, "date"), &asof)) < 0 ||
	    (rc = store_unit_inbox(r->st, &r->actor, route_arg(a, "code"), asof, r->arena, &t, &nt,
	                           &x, &nn, &r->err)) < 0)
		return rc;
	tasks = json_array();
	for (size_t i = 0; i < nt; i++)
		json_array_append_new(tasks, json_pack(
			"{s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s?,s:b,s:b}",
			"directive_id", (json_int_t)t[i].directive_id, "task_id", (json_int_t)t[i].task_id,
			"number", t[i].number, "directive_title", t[i].directive_title,
			"title", t[i].task_title, "assigned_by", t[i].issuer_code,
			"deadline", t[i].deadline, "status", directive_status_name(t[i].status),
			"done_on", t[i].status == DIRECTIVE_DONE ? t[i].done_on : NULL,
			"delegated", t[i].delegated, "replaced", t[i].replaced));
	notices = json_array();
	for (size_t i = 0; i < nn; i++)
		json_array_append_new(notices, json_pack(
			"{s:I,s:s,s:I,s:I,s:s,s:s,s:s,s:s}", "id", (json_int_t)x[i].id, "kind", x[i].kind,
			"directive_id", (json_int_t)x[i].directive_id, "task_id", (json_int_t)x[i].task_id,
			"from", x[i].from_code, "from_name", x[i].from_name, "message", x[i].message,
			"at", http_time(r->http, x[i].at_ms)));
	return http_reply_json(r->http, 200, json_pack("{s:s,s:o,s:o,s:o}", "unit_code",
	                                               route_arg(a, "code"), "date",
	                                               dir_day_json(asof), "tasks", tasks,
	                                               "notices", notices));
}
