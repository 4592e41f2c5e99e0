/*
 * Support to people in hardship over HTTP: the programmes (public), the
 * applications entered by the commune (JSON, or a CSV list all or
 * nothing), their steps, objections and payments, the public posting
 * (names and amounts only), totals and the no-one-left-behind report; the
 * lists also as CSV in the columns communes submit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/auth.h"
#include "api/csvbody.h"
#include "api/field.h"
#include "base/csv.h"
#include "base/vntime.h"
#include "domain/case.h"
#include "domain/support.h"
#include "domain/unit.h"
#include "store/business.h"
#include "store/support.h"
#include "base/banned.h"

int api_support_programmes(struct api_ctx *r, const struct route_args *a)
{
	const struct support_programme *p;
	json_t *items = json_array();

	(void)a;
	for (size_t i = 0; (p = support_programme_at(r->app->support, i)) != NULL; i++)
		json_array_append(items, p->doc);
	return http_reply_json(r->http, 200, json_pack("{s:o}", "items", items));
}

/* ---- entering an application ---- */

struct sp_in {
	const char *programme, *unit_code, *full_name, *id_number, *address, *received_on;
	const char *source, *employer, *order_ref;
	int64_t person_id, days, children_under_6, age, monthly_income;
	int pregnant, disabled, social_insurance, registered, resident, licensed;
};

static const char *const sp_sources[] = { "commune", "citizen", "employer", NULL };

static const struct field sp_fields[] = {
	FIELD_TEXT("programme", struct sp_in, programme, FIELD_REQUIRED, SUPPORT_ID_MAX),
	FIELD_TEXT("unit_code", struct sp_in, unit_code, FIELD_REQUIRED, UNIT_CODE_MAX),
	FIELD_TEXT("full_name", struct sp_in, full_name, FIELD_REQUIRED, SUPPORT_NAME_MAX),
	FIELD_CHECKED("id_number", struct sp_in, id_number, 0, 12, case_check_id_number),
	FIELD_TEXT("address", struct sp_in, address, 0, SUPPORT_ADDRESS_MAX),
	FIELD_INT("person_id", struct sp_in, person_id, 0, 1, INT64_MAX, 0),
	FIELD_DAY("received_on", struct sp_in, received_on, FIELD_PAST),
	FIELD_ENUM("source", struct sp_in, source, 0, sp_sources, "commune"),
	FIELD_TEXT("employer", struct sp_in, employer, 0, SUPPORT_NAME_MAX),
	FIELD_INT("days", struct sp_in, days, 0, 0, SUPPORT_DAYS_MAX, -1),
	FIELD_INT("children_under_6", struct sp_in, children_under_6, 0, 0, SUPPORT_CHILDREN_MAX, 0),
	FIELD_INT("age", struct sp_in, age, 0, 0, 130, -1),
	FIELD_INT("monthly_income", struct sp_in, monthly_income, 0, 0, SUPPORT_AMOUNT_MAX, -1),
	FIELD_BOOL("pregnant", struct sp_in, pregnant, 0, 0),
	FIELD_BOOL("disabled", struct sp_in, disabled, 0, 0),
	FIELD_BOOL("social_insurance", struct sp_in, social_insurance, 0, 0),
	FIELD_BOOL("registered", struct sp_in, registered, 0, 0),
	FIELD_BOOL("resident", struct sp_in, resident, 0, 0),
	FIELD_BOOL("licensed", struct sp_in, licensed, 0, 0),
	FIELD_TEXT("order_ref", struct sp_in, order_ref, 0, 100),
};

/* The programme, eligibility and amount; the record to store, in the arena. */
static int sp_prepare(struct api_ctx *r, const struct sp_in *in,
                      const struct support_programme **pp, struct support_app *x)
{
	const struct support_programme *p = support_programme(r->app->support, in->programme);
	struct support_facts f = { .days = in->days, .children_under_6 = in->children_under_6,
	                           .age = in->age, .monthly_income = in->monthly_income,
	                           .pregnant = in->pregnant, .disabled = in->disabled,
	                           .social_insurance = in->social_insurance,
	                           .registered = in->registered, .resident = in->resident,
	                           .licensed = in->licensed, .order_ref = in->order_ref };
	char today[11];
	json_t *facts;
	char *txt;
	int rc;

	if (p == NULL)
		return error_set_at(&r->err, THC_EUNPROCESSABLE, "programme",
		                    "trường 'programme': không có chương trình '%.40s'",
		                    "field 'programme': no programme '%.40s'", in->programme);
	memset(x, 0, sizeof(*x));
	if ((rc = support_assess(p, &f, &x->amount, &r->err)) < 0)
		return rc;
	facts = json_pack("{s:I,s:I,s:I,s:I,s:b,s:b,s:b,s:b,s:b,s:b,s:s?}", "days",
	                  (json_int_t)in->days, "children_under_6", (json_int_t)in->children_under_6,
	                  "age", (json_int_t)in->age, "monthly_income",
	                  (json_int_t)in->monthly_income, "pregnant", in->pregnant, "disabled",
	                  in->disabled, "social_insurance", in->social_insurance, "registered",
	                  in->registered, "resident", in->resident, "licensed", in->licensed,
	                  "order_ref", in->order_ref);
	txt = facts ? json_dumps(facts, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(facts);
	x->facts = txt ? arena_strdup(r->arena, txt) : NULL;
	free(txt);
	vndate_format_iso(vndate_from_days(api_today(r)), today, sizeof(today));
	x->received_on = in->received_on ? in->received_on : arena_strdup(r->arena, today);
	if (x->facts == NULL || x->received_on == NULL)
		return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	{
		struct vndate d;

		if (vndate_parse(x->received_on, &d) == 0 &&
		    (rc = support_deadline_check(p, vndate_to_days(d), &r->err)) < 0)
			return rc;
	}
	x->programme = p->id;
	x->kind = p->household ? "household" : "person";
	x->unit_code = in->unit_code;
	x->full_name = in->full_name;
	x->id_number = in->id_number;
	x->address = in->address;
	x->person_id = in->person_id;
	x->source = in->source;
	x->employer = in->employer;
	*pp = p;
	return 0;
}

static json_t *sp_brief(struct api_ctx *r, const struct support_app *x)
{
	json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:I,s:s,s:I,s:s,s:s?,s:s?,s:I}", "id", (json_int_t)x->id,
	                 "programme", x->programme, "status", x->status, "unit_code", x->unit_code,
	                 "amount", (json_int_t)x->amount, "commune_code", x->commune_code,
	                 "step", (json_int_t)x->step, "step_deadline", x->step_deadline,
	                 "posted_from", x->posted_from, "posted_until", x->posted_until,
	                 "paid_amount", (json_int_t)x->paid_amount);

	/* A step past its working-day limit, for the lists to show. */
	if (o)
		json_object_set_new(o, "overdue", json_boolean(support_step_overdue(
		                    x->status, x->step_deadline, api_today(r))));
	return o;
}

static int sp_create_one(struct api_ctx *r, const struct sp_in *in, struct support_app *x)
{
	const struct support_programme *p = NULL;
	int rc;

	if ((rc = sp_prepare(r, in, &p, x)) < 0)
		return rc;
	return store_support_create(r->st, &r->actor, r->app->feedback, p, x, r->arena, &r->err);
}

#define SP_CSV_ROWS_MAX 5000

struct sp_row {
	struct sp_in in;
	long line;
};

/* A list (an employer's workers, a commune's spreadsheet): every row
 * checked and stored, or none; an error names the line and the column. */
static int sp_import(struct api_ctx *r)
{
	const struct field_set *const sets[] = { FIELDS(sp_fields) };
	const struct api_csv spec = { sets, 1, sizeof(struct sp_row), offsetof(struct sp_row, line),
	                              SP_CSV_ROWS_MAX };
	const struct support_programme **progs = NULL;
	struct support_app *apps = NULL;
	struct sp_row *rows = NULL;
	long *lines = NULL;
	void *v = NULL;
	struct csvtab t;
	int rc;

	if ((rc = api_csv_rows(r, &spec, &t, &v)) < 0)
		goto out;
	rows = v;
	progs = arena_alloc(r->arena, (t.n ? t.n : 1) * sizeof(*progs));
	apps = arena_alloc(r->arena, (t.n ? t.n : 1) * sizeof(*apps));
	lines = arena_alloc(r->arena, (t.n ? t.n : 1) * sizeof(*lines));
	if (progs == NULL || apps == NULL || lines == NULL) {
		rc = error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		goto out;
	}
	for (size_t i = 0; i < t.n; i++) {
		lines[i] = rows[i].line;
		if ((rc = sp_prepare(r, &rows[i].in, &progs[i], &apps[i])) < 0) {
			error_prefix(&r->err, "dòng %ld: ", "line %ld: ", rows[i].line);
			goto out;
		}
	}
	if ((rc = store_support_create_many(r->st, &r->actor, r->app->feedback, progs, apps, lines,
	                                    t.n, r->arena, &r->err)) < 0)
		goto out;
	{
		json_t *items = json_array();

		for (size_t i = 0; i < t.n; i++)
			json_array_append_new(items, sp_brief(r, &apps[i]));
		rc = http_reply_json(r->http, 201, json_pack("{s:I,s:o}", "stored", (json_int_t)t.n,
		                                             "items", items));
	}
out:
	csvtab_release(&t);
	return rc;
}

/* What one person states: the columns an employer sends for each worker,
 * and what a citizen states for himself or his household (no person link,
 * no source or employer; the day received is today). */
static const struct field sp_person_fields[] = {
	FIELD_TEXT("programme", struct sp_in, programme, FIELD_REQUIRED, SUPPORT_ID_MAX),
	FIELD_TEXT("unit_code", struct sp_in, unit_code, FIELD_REQUIRED, UNIT_CODE_MAX),
	FIELD_TEXT("full_name", struct sp_in, full_name, FIELD_REQUIRED, SUPPORT_NAME_MAX),
	FIELD_CHECKED("id_number", struct sp_in, id_number, FIELD_REQUIRED, 12,
	              case_check_id_number),
	FIELD_TEXT("address", struct sp_in, address, 0, SUPPORT_ADDRESS_MAX),
	FIELD_INT("days", struct sp_in, days, 0, 0, SUPPORT_DAYS_MAX, -1),
	FIELD_INT("children_under_6", struct sp_in, children_under_6, 0, 0, SUPPORT_CHILDREN_MAX, 0),
	FIELD_INT("age", struct sp_in, age, 0, 0, 130, -1),
	FIELD_INT("monthly_income", struct sp_in, monthly_income, 0, 0, SUPPORT_AMOUNT_MAX, -1),
	FIELD_BOOL("pregnant", struct sp_in, pregnant, 0, 0),
	FIELD_BOOL("disabled", struct sp_in, disabled, 0, 0),
	FIELD_BOOL("social_insurance", struct sp_in, social_insurance, 0, 0),
	FIELD_BOOL("registered", struct sp_in, registered, 0, 0),
	FIELD_BOOL("resident", struct sp_in, resident, 0, 0),
	FIELD_BOOL("licensed", struct sp_in, licensed, 0, 0),
	FIELD_TEXT("order_ref", struct sp_in, order_ref, 0, 100),
};

/* A business (its own account, or an official in scope) sends its workers
 * for a programme as CSV: every row or none, an error naming the line and
 * the column; each enters the commune of the worker's unit unverified,
 * source "employer" with the business's name. */
int api_business_support(struct api_ctx *r, const struct route_args *a)
{
	const struct field_set *const sets[] = { FIELDS(sp_person_fields) };
	const struct api_csv spec = { sets, 1, sizeof(struct sp_row), offsetof(struct sp_row, line),
	                              SP_CSV_ROWS_MAX };
	const struct support_programme **progs;
	struct support_app *apps;
	struct sp_row *rows;
	struct business b;
	long *lines;
	void *v = NULL;
	struct csvtab t = { 0 };
	json_t *items;
	int64_t id;
	int rc;

	if ((rc = api_id_arg(r, a, &id)) < 0 ||
	    (rc = store_business_get(r->st, &r->actor, id, r->arena, &b, &r->err)) < 0)
		return rc;
	if ((rc = api_csv_rows(r, &spec, &t, &v)) < 0)
		goto out;
	rows = v;
	progs = arena_alloc(r->arena, (t.n ? t.n : 1) * sizeof(*progs));
	apps = arena_alloc(r->arena, (t.n ? t.n : 1) * sizeof(*apps));
	lines = arena_alloc(r->arena, (t.n ? t.n : 1) * sizeof(*lines));
	if (progs == NULL || apps == NULL || lines == NULL) {
		rc = error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		goto out;
	}
	for (size_t i = 0; i < t.n; i++) {
		rows[i].in.received_on = NULL;
		rows[i].in.person_id = 0;
		rows[i].in.source = "employer";
		rows[i].in.employer = b.name;
		lines[i] = rows[i].line;
		if ((rc = sp_prepare(r, &rows[i].in, &progs[i], &apps[i])) < 0) {
			error_prefix(&r->err, "dòng %ld: ", "line %ld: ", rows[i].line);
			goto out;
		}
	}
	if ((rc = store_support_employer_submit(r->st, &r->actor, r->app->feedback, progs, apps,
	                                        lines, t.n, r->arena, &r->err)) < 0)
		goto out;
	/* What the business learns back: its rows' status, not the commune's file. */
	items = json_array();
	for (size_t i = 0; i < t.n; i++)
		json_array_append_new(items, json_pack("{s:I,s:s,s:s,s:I,s:s,s:b}", "line",
		                      (json_int_t)lines[i], "full_name", apps[i].full_name,
		                      "programme", apps[i].programme, "amount",
		                      (json_int_t)apps[i].amount, "status", apps[i].status,
		                      "verified", 0));
	rc = http_reply_json(r->http, 201, json_pack("{s:I,s:o}", "stored", (json_int_t)t.n,
	                                             "items", items));
out:
	csvtab_release(&t);
	return rc;
}

int api_support_create(struct api_ctx *r, const struct route_args *a)
{
	struct support_app x;
	struct sp_in in;
	json_t *doc = NULL;
	char loc[64];
	int rc;

	(void)a;
	if (http_content_is(r->http, "text/csv"))
		return sp_import(r);
	if ((rc = api_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = field_read_json(FIELDS(sp_fields), doc, NULL, api_today(r), &in, &r->err)) < 0 ||
	    (rc = sp_create_one(r, &in, &x)) < 0)
		goto out;
	snprintf(loc, sizeof(loc), "/api/v1/support/applications/%lld", (long long)x.id);
	http_add_header(r->http, "Location", loc);
	rc = http_reply_json(r->http, 201, sp_brief(r, &x));
out:
	json_decref(doc);
	return rc;
}

/* ---- a citizen's own application ---- */

/* Anyone, without an account, limited per address as the anonymous
 * feedback form is; the answer is the tracking code and the status, and
 * repeats nothing of what was sent. */
int api_support_self_submit(struct api_ctx *r, const struct route_args *a)
{
	const struct support_programme *p = NULL;
	struct store_actor anon = r->actor;
	char code[API_FEEDBACK_CODE_LEN + 1], hash[65], loc[80];
	struct support_app x;
	struct sp_in in;
	json_t *doc = NULL;
	int rc;

	(void)a;
	if ((rc = api_anon_limit_check(r)) < 0 || (rc = api_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = field_read_json(FIELDS(sp_person_fields), doc, NULL, api_today(r), &in,
	                          &r->err)) < 0)
		goto out;
	in.received_on = NULL;          /* today */
	in.person_id = 0;
	in.source = "citizen";
	in.employer = NULL;
	if ((rc = sp_prepare(r, &in, &p, &x)) < 0)
		goto out;
	api_feedback_new_code(code);
	auth_token_hash(code, hash);
	x.tracking_hash = hash;
	if (r->user == NULL)
		anon.username = "anonymous";
	if ((rc = store_support_submit(r->st, &anon, r->app->feedback, p, &x, r->arena,
	                               &r->err)) < 0)
		goto out;
	snprintf(loc, sizeof(loc), "/api/v1/support/track/%s", code);
	http_add_header(r->http, "Location", loc);
	rc = http_reply_json(r->http, 201, json_pack("{s:s,s:s,s:s,s:b,s:s,s:s}", "tracking_code",
	                     code, "programme", x.programme, "status", x.status, "verified", 0,
	                     "received_on", x.received_on, "commune_code", x.commune_code));
out:
	json_decref(doc);
	return rc;
}

/* ---- reading ---- */

static json_t *sp_json(struct api_ctx *r, const struct support_app *x)
{
	json_t *o = sp_brief(r, x), *facts = json_loads(x->facts ? x->facts : "{}", 0, NULL);

	json_object_set_new(o, "kind", json_string(x->kind));
	json_object_set_new(o, "full_name", json_string(x->full_name));
	json_object_set_new(o, "id_number", x->id_number ? json_string(x->id_number) : json_null());
	json_object_set_new(o, "address", x->address ? json_string(x->address) : json_null());
	json_object_set_new(o, "person_id", x->person_id ? json_integer(x->person_id) : json_null());
	json_object_set_new(o, "facts", facts ? facts : json_object());
	json_object_set_new(o, "source", json_string(x->source));
	json_object_set_new(o, "verified", json_boolean(x->verified));
	json_object_set_new(o, "employer", x->employer ? json_string(x->employer) : json_null());
	json_object_set_new(o, "received_on", json_string(x->received_on));
	json_object_set_new(o, "step_started_on", json_string(x->step_started_on));
	json_object_set_new(o, "reject_reason",
	                    x->reject_reason ? json_string(x->reject_reason) : json_null());
	json_object_set_new(o, "created_at", json_string(http_time(r->http, x->created_at_ms)));
	return o;
}

static int sp_state_name(struct api_ctx *r, const char *status)
{
	static const char *const st[] = { "pending", "approved", "rejected", "paid", NULL };

	for (size_t i = 0; st[i]; i++)
		if (strcmp(st[i], status) == 0)
			return 0;
	return error_set_at(&r->err, THC_EINVAL, "status",
	                    "tham số 'status': '%.20s' không phải trạng thái (pending, approved, rejected, paid)",
	                    "parameter 'status': '%.20s' is not a status (pending, approved, rejected, paid)",
	                    status);
}

/* The columns communes submit: the list as a spreadsheet, Vietnamese headers
 * (each a key of the rows and its own title). */
static const struct api_xlsx_col sp_cols[] = {
	{ "STT", "STT", API_XLSX_INT },
	{ "Mã hồ sơ", "Mã hồ sơ", API_XLSX_INT },
	{ "Họ và tên", "Họ và tên", API_XLSX_TEXT },
	{ "Số CCCD/CMND", "Số CCCD/CMND", API_XLSX_TEXT },
	{ "Địa chỉ", "Địa chỉ", API_XLSX_TEXT },
	{ "Mã đơn vị", "Mã đơn vị", API_XLSX_TEXT },
	{ "Chương trình", "Chương trình", API_XLSX_TEXT },
	{ "Số ngày", "Số ngày", API_XLSX_INT },
	{ "Số tiền (đồng)", "Số tiền (đồng)", API_XLSX_INT },
	{ "Đã chi (đồng)", "Đã chi (đồng)", API_XLSX_INT },
	{ "Trạng thái", "Trạng thái", API_XLSX_TEXT },
	{ "Ngày nhận hồ sơ", "Ngày nhận hồ sơ", API_XLSX_DATE },
};

static int sp_table(struct api_ctx *r, enum api_table_format fmt, const struct support_app *v,
                    size_t n, int64_t next)
{
	json_t *rows = json_array();

	for (size_t i = 0; rows && i < n; i++) {
		const struct support_app *x = &v[i];
		json_t *facts = json_loads(x->facts ? x->facts : "{}", 0, NULL);
		json_int_t days = json_integer_value(json_object_get(facts, "days"));

		json_decref(facts);
		json_array_append_new(rows, json_pack(
			"{s:I,s:I,s:s?,s:s?,s:s?,s:s?,s:s?,s:I,s:I,s:I,s:s?,s:s?}",
			"STT", (json_int_t)(i + 1), "Mã hồ sơ", (json_int_t)x->id,
			"Họ và tên", x->full_name, "Số CCCD/CMND", x->id_number, "Địa chỉ", x->address,
			"Mã đơn vị", x->unit_code, "Chương trình", x->programme,
			"Số ngày", days > 0 ? days : 0, "Số tiền (đồng)", (json_int_t)x->amount,
			"Đã chi (đồng)", (json_int_t)x->paid_amount, "Trạng thái", x->status,
			"Ngày nhận hồ sơ", x->received_on));
	}
	return api_reply_table(r, fmt, "support-applications", sp_cols,
	                       sizeof(sp_cols) / sizeof(sp_cols[0]), rows, next);
}

/* ?unit=&programme=&status=&unverified=1&limit=&cursor= */
static int sp_list_query(struct api_ctx *r, int file, struct support_query *q)
{
	int64_t v;
	int rc;

	*q = (struct support_query){ .unit = http_query(r->http, "unit"),
	                             .programme = http_query(r->http, "programme"),
	                             .status = http_query(r->http, "status") };
	if (q->status && (rc = sp_state_name(r, q->status)) < 0)
		return rc;
	if ((rc = api_query_int(r, "limit", 1, SUPPORT_LIST_MAX, &v)) < 0)
		return rc;
	q->limit = rc == 1 ? (file ? SUPPORT_LIST_MAX : SUPPORT_PAGE_DEFAULT) : v;
	if ((rc = api_query_int(r, "cursor", 1, INT64_MAX, &v)) < 0)
		return rc;
	q->after = rc == 1 ? 0 : v;
	if ((rc = api_query_int(r, "unverified", 0, 1, &v)) < 0)
		return rc;
	q->unverified = rc == 1 ? 0 : (int)v;
	return 0;
}

int api_support_list(struct api_ctx *r, const struct route_args *a)
{
	enum api_table_format fmt;
	struct support_query q;
	struct support_app *v;
	int64_t next;
	json_t *items;
	size_t n;
	int rc;

	(void)a;
	if ((rc = api_table_format(r, &fmt)) < 0 ||
	    (rc = sp_list_query(r, fmt != API_TABLE_JSON, &q)) < 0)
		return rc;
	if ((rc = store_support_list(r->st, &r->actor, &q, r->arena, &v, &n, &next, &r->err)) < 0)
		return rc;
	if (fmt != API_TABLE_JSON)
		return sp_table(r, fmt, v, n, next);
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, sp_json(r, &v[i]));
	return http_reply_json(r->http, 200, json_pack("{s:o,s:o,s:b}", "items", items, "next",
	                                               next ? json_integer(next) : json_null(),
	                                               "truncated", next != 0));
}

static json_t *sp_events_json(struct api_ctx *r, const struct support_app *x)
{
	json_t *ev = json_array();

	for (size_t i = 0; i < x->nevents; i++) {
		const struct support_event *e = &x->events[i];

		json_array_append_new(ev, json_pack("{s:s,s:s,s:I,s:s?,s:s,s:s?,s:b,s:s?,s:s}", "at",
		                      http_time(r->http, e->at_ms), "action", e->action, "step",
		                      (json_int_t)e->step, "level", e->level, "on", e->on_day,
		                      "deadline", e->deadline, "late", e->late, "note", e->note,
		                      "actor", e->actor));
	}
	return ev;
}

int api_support_get(struct api_ctx *r, const struct route_args *a)
{
	struct support_app x;
	char prog[SUPPORT_ID_MAX], excl[512];
	json_t *o, *dups;
	int64_t id;
	int rc;

	if ((rc = api_id_arg(r, a, &id)) < 0 ||
	    (rc = store_support_programme_of(r->st, &r->actor, id, prog, sizeof(prog), &r->err)) < 0)
		return rc;
	support_exclusive_list(r->app->support, prog, excl, sizeof(excl));
	if ((rc = store_support_get(r->st, &r->actor, id, excl, r->arena, &x, &r->err)) < 0)
		return rc;
	o = sp_json(r, &x);
	dups = json_array();
	for (size_t i = 0; i < x.ndups; i++)
		json_array_append_new(dups, json_pack("{s:I,s:s,s:s,s:s}", "id",
		                      (json_int_t)x.dups[i].id, "programme", x.dups[i].programme,
		                      "unit_code", x.dups[i].unit_code, "status", x.dups[i].status));
	/* Outside the reader's scope only the count: no unit, no programme. */
	json_object_set_new(o, "duplicates", json_pack("{s:b,s:o,s:I}", "flagged",
	                    x.ndups > 0 || x.dups_elsewhere > 0, "in_scope", dups,
	                    "elsewhere", (json_int_t)x.dups_elsewhere));
	json_object_set_new(o, "history", sp_events_json(r, &x));
	return http_reply_json(r->http, 200, o);
}

/* ---- decisions, objections, payments ---- */

struct sp_act_in {
	const char *decided_on, *reason, *duplicate_note, *text, *kind;
};

static const char *const sp_note_kinds[] = { "objection", "complaint", NULL };

static const struct field sp_act_fields[] = {
	FIELD_DAY("decided_on", struct sp_act_in, decided_on, FIELD_PAST),
	FIELD_TEXT("reason", struct sp_act_in, reason, FIELD_MULTILINE, SUPPORT_TEXT_MAX),
	FIELD_TEXT("duplicate_note", struct sp_act_in, duplicate_note, FIELD_MULTILINE,
	           SUPPORT_TEXT_MAX),
};

static const struct field sp_note_fields[] = {
	FIELD_ENUM("kind", struct sp_act_in, kind, 0, sp_note_kinds, "objection"),
	FIELD_TEXT("text", struct sp_act_in, text, FIELD_REQUIRED | FIELD_MULTILINE,
	           SUPPORT_TEXT_MAX),
	FIELD_DAY("received_on", struct sp_act_in, decided_on, FIELD_PAST),
};

/* The application as it now is, for the reply. */
static int sp_reply_app(struct api_ctx *r, int64_t id, int status)
{
	struct support_app x;
	int rc;

	if ((rc = store_support_get(r->st, &r->actor, id, NULL, r->arena, &x, &r->err)) < 0)
		return rc;
	return http_reply_json(r->http, status, sp_brief(r, &x));
}

static int sp_decide(struct api_ctx *r, const struct route_args *a, enum support_decision what)
{
	struct sp_act_in in = { 0 };
	char prog[SUPPORT_ID_MAX], excl[512], today[11];
	const struct support_programme *p;
	json_t *doc = NULL;
	int64_t id;
	int rc;

	if ((rc = api_id_arg(r, a, &id)) < 0)
		return rc;
	if (r->json && (rc = api_body_json(r, &doc)) < 0)
		goto out;
	if (doc && (rc = field_read_json(FIELDS(sp_act_fields), doc, NULL, api_today(r), &in,
	                                 &r->err)) < 0)
		goto out;
	if ((rc = store_support_programme_of(r->st, &r->actor, id, prog, sizeof(prog), &r->err)) < 0)
		goto out;
	if ((p = support_programme(r->app->support, prog)) == NULL) {
		rc = error_set(&r->err, THC_ECONFLICT, "chương trình '%s' không còn trong dữ liệu",
		               "programme '%s' is no longer in the data", prog);
		goto out;
	}
	support_exclusive_list(r->app->support, prog, excl, sizeof(excl));
	vndate_format_iso(vndate_from_days(api_today(r)), today, sizeof(today));
	{
		struct support_decide d = { .what = what, .on_day = in.decided_on ? in.decided_on : today,
		                            .note = in.reason, .duplicate_note = in.duplicate_note,
		                            .excl = excl };

		if ((rc = store_support_decide(r->st, &r->actor, r->app->feedback, p, id, &d,
		                               &r->err)) < 0)
			goto out;
	}
	rc = sp_reply_app(r, id, 200);
out:
	json_decref(doc);
	return rc;
}

int api_support_approve(struct api_ctx *r, const struct route_args *a)
{
	return sp_decide(r, a, SUPPORT_APPROVE);
}

int api_support_reject(struct api_ctx *r, const struct route_args *a)
{
	return sp_decide(r, a, SUPPORT_REJECT);
}

int api_support_note(struct api_ctx *r, const struct route_args *a)
{
	struct sp_act_in in = { 0 };
	char today[11];
	json_t *doc = NULL;
	int64_t id;
	int rc;

	if ((rc = api_id_arg(r, a, &id)) < 0)
		return rc;
	if ((rc = api_body_json(r, &doc)) < 0 ||
	    (rc = field_read_json(FIELDS(sp_note_fields), doc, NULL, api_today(r), &in,
	                          &r->err)) < 0)
		goto out;
	vndate_format_iso(vndate_from_days(api_today(r)), today, sizeof(today));
	if ((rc = store_support_note(r->st, &r->actor, id, in.kind, in.text,
	                             in.decided_on ? in.decided_on : today, &r->err)) < 0)
		goto out;
	rc = sp_reply_app(r, id, 201);
out:
	json_decref(doc);
	return rc;
}

struct sp_pay_in {
	const char *method, *paid_on, *reference;
	int64_t amount;
};

static const char *const sp_methods[] = { "cash", "bank", "post", NULL };

static const struct field sp_pay_fields[] = {
	FIELD_ENUM("method", struct sp_pay_in, method, FIELD_REQUIRED, sp_methods, NULL),
	FIELD_INT("amount", struct sp_pay_in, amount, FIELD_REQUIRED, 1, SUPPORT_AMOUNT_MAX, 0),
	FIELD_DAY("paid_on", struct sp_pay_in, paid_on, FIELD_PAST),
	FIELD_TEXT("reference", struct sp_pay_in, reference, 0, 100),
};

int api_support_pay(struct api_ctx *r, const struct route_args *a)
{
	struct sp_pay_in in;
	char today[11];
	json_t *doc = NULL;
	int64_t id;
	int rc;

	if ((rc = api_id_arg(r, a, &id)) < 0)
		return rc;
	if ((rc = api_body_json(r, &doc)) < 0 ||
	    (rc = field_read_json(FIELDS(sp_pay_fields), doc, NULL, api_today(r), &in,
	                          &r->err)) < 0)
		goto out;
	vndate_format_iso(vndate_from_days(api_today(r)), today, sizeof(today));
	{
		struct support_payment pay = { .method = in.method, .amount = in.amount,
		                               .paid_on = in.paid_on ? in.paid_on : today,
		                               .reference = in.reference };

		if ((rc = store_support_pay(r->st, &r->actor, id, &pay, &r->err)) < 0)
			goto out;
	}
	rc = sp_reply_app(r, id, 201);
out:
	json_decref(doc);
	return rc;
}
