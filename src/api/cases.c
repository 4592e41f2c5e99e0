/*
 * Surveillance over HTTP: F0 cases, contacts, clusters, tests, merges,
 * CSV import and export, and the public weekly figures.  Personal data is
 * scoped by the store (ROLE_MASK_PERSONAL); reads of it are audited there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/csvbody.h"
#include "api/field.h"
#include "base/csv.h"
#include "base/csvtab.h"
#include "base/parse.h"
#include "base/vntime.h"
#include "domain/case.h"
#include "domain/quarantine.h"
#include "domain/role.h"
#include "domain/unit.h"
#include "base/banned.h"

#define CASES_LIMIT_DEFAULT 100
#define CASES_LIMIT_MAX 1000
#define CASES_CSV_MAX 20000           /* rows of one CSV export page */
#define CASES_IMPORT_API_MAX 20000
#define WEEKLY_DAYS_MAX 731           /* two years */
#define PHONE_MAX 20

/* The fields of a person, as the "person" object of a body and as the
 * columns of a case CSV. */
static const struct field person_fields[] = {
	FIELD_CHECKED("full_name", struct person, full_name, FIELD_REQUIRED, CASE_NAME_MAX,
	              case_check_name),
	FIELD_CHECKED("id_number", struct person, id_number, 0, 12, case_check_id_number),
	FIELD_INT("birth_year", struct person, birth_year, FIELD_PAST, CASE_BIRTH_YEAR_MIN,
	          VNTIME_MAX_YEAR, -1),
	FIELD_ENUM("sex", struct person, sex, 0, case_sexes, NULL),
	FIELD_TEXT("phone", struct person, phone, 0, PHONE_MAX),
	FIELD_TEXT("unit_code", struct person, unit_code, FIELD_REQUIRED, UNIT_CODE_MAX),
	FIELD_TEXT("address", struct person, address, FIELD_JSON_ONLY, CASE_TEXT_MAX),
};

/* A case's own fields; external_id is the key of a CSV row. */
static const struct field case_fields[] = {
	FIELD_TEXT("external_id", struct case_rec, external_id, FIELD_CSV_REQUIRED, 64),
	FIELD_DAY("detected_on", struct case_rec, detected_on, FIELD_REQUIRED | FIELD_PAST),
	FIELD_ENUM("source", struct case_rec, source, 0, case_sources, "community"),
	FIELD_ENUM("test_type", struct case_rec, test_type, FIELD_REQUIRED, case_test_types, NULL),
	FIELD_ENUM("severity", struct case_rec, severity, 0, case_severities, NULL),
	FIELD_BOOL("needs_oxygen", struct case_rec, needs_oxygen, 0, 0),
	FIELD_ENUM("care_place", struct case_rec, care_place, 0, case_care_places, NULL),
	FIELD_ENUM("outcome", struct case_rec, outcome, 0, case_outcomes, NULL),
	FIELD_DAY("outcome_on", struct case_rec, outcome_on, FIELD_PAST),
	FIELD_INT("cluster_id", struct case_rec, cluster_id, FIELD_JSON_ONLY, 1, INT64_MAX, 0),
	FIELD_INT("infected_by", struct case_rec, infected_by, FIELD_JSON_ONLY, 1, INT64_MAX, 0),
};

static const struct field patch_fields[] = {
	FIELD_ENUM("severity", struct case_patch, severity, 0, case_severities, NULL),
	FIELD_ENUM("care_place", struct case_patch, care_place, 0, case_care_places, NULL),
	FIELD_ENUM("outcome", struct case_patch, outcome, 0, case_outcomes, NULL),
	FIELD_DAY("outcome_on", struct case_patch, outcome_on, FIELD_PAST),
};

/* What no single field says: an outcome has its day. */
static int case_outcome_check(const char *outcome, const char *outcome_on, int csv,
                              struct error *err)
{
	if ((outcome == NULL) == (outcome_on == NULL))
		return 0;
	error_set(err, THC_EUNPROCESSABLE, "'outcome' và 'outcome_on' phải đi cùng nhau",
	          "'outcome' and 'outcome_on' go together");
	return error_in_field(err, outcome ? (csv ? "@outcome_on" : "outcome_on")
	                                   : (csv ? "@outcome" : "outcome"));
}

/* The "person" object of a body. */
static int person_parse(struct api_ctx *r, json_t *doc, struct person *p)
{
	memset(p, 0, sizeof(*p));
	return field_read_json_member(FIELDS(person_fields), doc, "person", api_today(r), p,
	                              &r->err);
}

static json_t *opt_id(int64_t v)
{
	return v > 0 ? json_integer(v) : json_null();
}

static json_t *case_json(struct api_ctx *r, const struct case_rec *c)
{
	return json_pack("{s:I,s:s?,s:o,s:s,s:s?,s:s?,s:s,s:s,s:s,s:s,s:b,s:s,s:s?,s:s?,s:o,s:o,s:s?}",
	                 "id", (json_int_t)c->id, "external_id", c->external_id,
	                 "person", api_person_json(&c->person), "unit_code", c->person.unit_code,
	                 "commune_code", c->commune_code, "province_code", c->province_code,
	                 "detected_on", c->detected_on, "source", c->source,
	                 "test_type", c->test_type, "severity", c->severity,
	                 "needs_oxygen", c->needs_oxygen, "care_place", c->care_place,
	                 "outcome", c->outcome, "outcome_on", c->outcome_on,
	                 "cluster_id", opt_id(c->cluster_id), "infected_by", opt_id(c->infected_by),
	                 "created_at", http_time(r->http, c->created_at_ms));
}

static int case_parse(struct api_ctx *r, json_t *doc, struct case_rec *c)
{
	int rc;

	memset(c, 0, sizeof(*c));
	if ((rc = field_read_json(FIELDS(case_fields), doc, NULL, api_today(r), c, &r->err)) < 0 ||
	    (rc = case_outcome_check(c->outcome, c->outcome_on, 0, &r->err)) < 0)
		return rc;
	return person_parse(r, doc, &c->person);
}

int api_cases_create(struct api_ctx *r, const struct route_args *a)
{
	struct case_rec c;
	json_t *doc = NULL;
	char loc[64];
	int rc;

	(void)a;
	if ((rc = api_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = case_parse(r, doc, &c)) < 0)
		goto out;
	if ((rc = store_case_create(r->st, &r->actor, &c, &r->err)) < 0)
		goto out;
	snprintf(loc, sizeof(loc), "/api/v1/cases/%lld", (long long)c.id);
	http_add_header(r->http, "Location", loc);
	rc = http_reply_json(r->http, 201, json_pack("{s:I,s:I,s:s,s:b}", "id", (json_int_t)c.id,
	                                       "person_id", (json_int_t)c.person.id,
	                                       "detected_on", c.detected_on,
	                                       "needs_oxygen", c.needs_oxygen));
out:
	json_decref(doc);
	return rc;
}

int api_cases_get(struct api_ctx *r, const struct route_args *a)
{
	struct case_rec c;
	int64_t id;
	int rc;

	if ((rc = api_id_arg(r, a, &id)) < 0)
		return rc;
	if ((rc = store_case_get(r->st, &r->actor, id, r->arena, &c, &r->err)) < 0)
		return rc;
	return http_reply_json(r->http, 200, case_json(r, &c));
}

int api_cases_patch(struct api_ctx *r, const struct route_args *a)
{
	struct case_patch p = { 0 };
	struct case_rec c;
	json_t *doc = NULL;
	int64_t id;
	int rc;

	if ((rc = api_id_arg(r, a, &id)) < 0)
		return rc;
	if ((rc = api_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = field_read_json(FIELDS(patch_fields), doc, NULL, api_today(r), &p, &r->err)) < 0)
		goto out;
	if ((rc = store_case_update(r->st, &r->actor, id, &p, &r->err)) < 0)
		goto out;
	if ((rc = store_case_get(r->st, &r->actor, id, r->arena, &c, &r->err)) < 0)
		goto out;
	rc = http_reply_json(r->http, 200, case_json(r, &c));
out:
	json_decref(doc);
	return rc;
}

/* ---- lists and CSV export ---- */

/* The export's columns (also the CSV import's, by key). */
static const struct api_xlsx_col export_cols[] = {
	{ "id", "Mã ca", API_XLSX_INT },
	{ "external_id", "Mã ngoài", API_XLSX_TEXT },
	{ "full_name", "Họ và tên", API_XLSX_TEXT },
	{ "id_number", "Số CCCD/CMND", API_XLSX_TEXT },
	{ "birth_year", "Năm sinh", API_XLSX_INT },
	{ "sex", "Giới tính", API_XLSX_TEXT },
	{ "phone", "Điện thoại", API_XLSX_TEXT },
	{ "unit_code", "Mã đơn vị nơi ở", API_XLSX_TEXT },
	{ "commune_code", "Mã xã", API_XLSX_TEXT },
	{ "province_code", "Mã tỉnh", API_XLSX_TEXT },
	{ "detected_on", "Ngày phát hiện", API_XLSX_DATE },
	{ "source", "Nguồn phát hiện", API_XLSX_TEXT },
	{ "test_type", "Loại xét nghiệm", API_XLSX_TEXT },
	{ "severity", "Mức độ", API_XLSX_TEXT },
	{ "needs_oxygen", "Cần thở oxy", API_XLSX_INT },
	{ "care_place", "Nơi điều trị", API_XLSX_TEXT },
	{ "outcome", "Kết quả", API_XLSX_TEXT },
	{ "outcome_on", "Ngày kết quả", API_XLSX_DATE },
	{ "cluster_id", "Mã ổ dịch", API_XLSX_INT },
	{ "infected_by", "Lây từ ca", API_XLSX_INT },
};

static json_t *export_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* A row of the export: numbers as numbers, nothing as null (empty). */
static json_t *export_row(const struct case_rec *c)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(c->id));
	json_object_set_new(o, "external_id", export_str(c->external_id));
	json_object_set_new(o, "full_name", export_str(c->person.full_name));
	json_object_set_new(o, "id_number", export_str(c->person.id_number));
	json_object_set_new(o, "birth_year", c->person.birth_year >= 0
	                                     ? json_integer(c->person.birth_year) : json_null());
	json_object_set_new(o, "sex", export_str(c->person.sex));
	json_object_set_new(o, "phone", export_str(c->person.phone));
	json_object_set_new(o, "unit_code", export_str(c->person.unit_code));
	json_object_set_new(o, "commune_code", export_str(c->commune_code));
	json_object_set_new(o, "province_code", export_str(c->province_code));
	json_object_set_new(o, "detected_on", export_str(c->detected_on));
	json_object_set_new(o, "source", export_str(c->source));
	json_object_set_new(o, "test_type", export_str(c->test_type));
	json_object_set_new(o, "severity", export_str(c->severity));
	json_object_set_new(o, "needs_oxygen", json_integer(c->needs_oxygen ? 1 : 0));
	json_object_set_new(o, "care_place", export_str(c->care_place));
	json_object_set_new(o, "outcome", export_str(c->outcome));
	json_object_set_new(o, "outcome_on", export_str(c->outcome_on));
	json_object_set_new(o, "cluster_id", c->cluster_id ? json_integer(c->cluster_id) : json_null());
	json_object_set_new(o, "infected_by", c->infected_by ? json_integer(c->infected_by)
	                                                      : json_null());
	return o;
}

static int cases_table(struct api_ctx *r, enum api_table_format fmt, const struct case_rec *v,
                       size_t n, int64_t next)
{
	json_t *rows = json_array();

	for (size_t i = 0; rows && i < n; i++)
		json_array_append_new(rows, export_row(&v[i]));
	return api_reply_table(r, fmt, "cases", export_cols,
	                       sizeof(export_cols) / sizeof(export_cols[0]), rows, next);
}

int api_cases_list(struct api_ctx *r, const struct route_args *a)
{
	enum api_table_format fmt;
	int csv;
	struct case_query q = { .limit = CASES_LIMIT_DEFAULT };
	struct case_rec *v;
	struct vndate d;
	int64_t limit, cursor, next;
	size_t n;
	json_t *items;
	int rc;

	(void)a;
	if ((rc = api_table_format(r, &fmt)) < 0)
		return rc;
	csv = fmt != API_TABLE_JSON;    /* a file: CSV or Excel */
	if ((rc = api_query_int(r, "limit", 1, csv ? CASES_CSV_MAX : CASES_LIMIT_MAX, &limit)) < 0)
		return rc;
	q.limit = rc == 0 ? (int)limit : csv ? CASES_CSV_MAX : CASES_LIMIT_DEFAULT;
	if ((rc = api_query_int(r, "cursor", 1, INT64_MAX, &cursor)) < 0)
		return rc;
	q.cursor = rc == 0 ? cursor : 0;
	q.unit = http_query(r->http, "unit");
	q.from = http_query(r->http, "from");
	q.to = http_query(r->http, "to");
	if ((q.from && vndate_parse(q.from, &d) < 0) || (q.to && vndate_parse(q.to, &d) < 0))
		return error_set(&r->err, THC_EINVAL,
		                 "tham số 'from'/'to' phải là ngày YYYY-MM-DD",
		                 "parameters 'from' and 'to' must be dates YYYY-MM-DD");
	if ((rc = store_cases_list(r->st, &r->actor, &q, r->arena, &v, &n, &next, &r->err)) < 0)
		return rc;
	if (csv)
		return cases_table(r, fmt, v, n, next);
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, case_json(r, &v[i]));
	return http_reply_json(r->http, 200, json_pack("{s:o,s:o}", "items", items,
	                                         "next", next ? json_integer(next) : json_null()));
}

/* ---- CSV import ---- */

void api_cases_columns(const char *known[API_CASE_COLUMNS_MAX],
                       const char *required[API_CASE_COLUMNS_MAX])
{
	const struct field_set *const sets[] = { FIELDS(case_fields),
	                                         FIELDS_IN(person_fields, struct case_rec, person) };

	if (field_columns(sets, 2, known, required, API_CASE_COLUMNS_MAX) < 0)
		abort();                  /* the tables outgrew the constant */
}

/* Row i of the file as a case; errors name its line. */
static int api_case_row(const struct csvtab *t, size_t i, struct case_rec *c, int32_t today,
                        struct error *err)
{
	int rc;

	memset(c, 0, sizeof(*c));
	c->line = t->lines[i];
	if ((rc = field_read_csv(FIELDS(case_fields), t, i, today, c, err)) < 0 ||
	    (rc = field_read_csv(FIELDS_IN(person_fields, struct case_rec, person), t, i,
	                         today, c, err)) < 0)
		return rc;
	if ((rc = case_outcome_check(c->outcome, c->outcome_on, 1, err)) < 0)
		error_prefix(err, "dòng %ld: ", "line %ld: ", c->line);
	return rc;
}

/* The two lists (each in line order) as one, at most into->max lines. */
static void api_bad_merge(struct store_bad_lines *into, const struct store_bad_lines *a,
                          const struct store_bad_lines *b)
{
	size_t i = 0, j = 0;

	into->n = 0;
	while (into->n < into->max && (i < a->n || j < b->n))
		into->v[into->n++] = j >= b->n || (i < a->n && a->v[i].line <= b->v[j].line)
		                     ? a->v[i++] : b->v[j++];
}

/* The good rows of the first m (failed[i] == 0) checked against the database. */
static int api_cases_check_good(struct store *st, const struct store_actor *actor,
                                const struct case_rec *rows, const unsigned char *failed,
                                size_t m, struct store_bad_lines *db, struct error *err)
{
	struct case_rec *good = malloc((m ? m : 1) * sizeof(*good));
	size_t ngood = 0;
	int rc;

	if (good == NULL)
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	for (size_t i = 0; i < m; i++)
		if (!failed[i])
			good[ngood++] = rows[i];
	rc = store_cases_check(st, actor, good, ngood, db, err);
	free(good);
	return rc;
}

int api_cases_rows(struct store *st, const struct store_actor *actor, const struct csvtab *t,
                   struct case_rec *rows, int32_t today, struct store_bad_lines *bad,
                   struct error *err)
{
	struct store_bad_line *v = calloc(2 * (bad->max ? bad->max : 1), sizeof(*v));
	struct store_bad_lines parsed = { v, 0, bad->max }, db = { v + bad->max, 0, bad->max };
	unsigned char *failed = calloc(t->n ? t->n : 1, 1);
	size_t m = t->n;
	int rc = 0;

	bad->n = 0;
	if (v == NULL || failed == NULL) {
		rc = error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		goto out;
	}
	for (size_t i = 0; i < t->n; i++) {
		struct error e = ERROR_INIT;

		if (api_case_row(t, i, &rows[i], today, &e) == 0)
			continue;
		if (e.code != THC_EINVAL && e.code != THC_EUNPROCESSABLE) {
			*err = e;                  /* not the file's fault */
			rc = e.code;
			goto out;
		}
		failed[i] = 1;
		parsed.v[parsed.n].line = t->lines[i];
		parsed.v[parsed.n++].err = e;
		if (parsed.n == parsed.max) {
			m = i + 1;                 /* the lines after cannot be among the first */
			break;
		}
	}
	/* A good file is checked by the import itself, in its transaction. */
	if (parsed.n && (rc = api_cases_check_good(st, actor, rows, failed, m, &db, err)) < 0)
		goto out;
	api_bad_merge(bad, &parsed, &db);
out:
	free(v);
	free(failed);
	return rc;
}

/* The file refused with its bad lines (csvbody.h). */
static int api_cases_refuse(struct api_ctx *r, const struct store_bad_lines *bad)
{
	int rc = 1;

	for (size_t i = 0; i < bad->n && rc > 0; i++)
		rc = api_csv_bad_line(r, bad->v[i].line, &bad->v[i].err);
	return rc < 0 ? rc : api_csv_refused(r);
}

int api_cases_import(struct api_ctx *r, const struct route_args *a)
{
	const char *known[API_CASE_COLUMNS_MAX], *required[API_CASE_COLUMNS_MAX];
	struct store_bad_lines bad = { .max = CSV_ERRORS_MAX };
	struct case_rec *rows;
	struct csvtab t = { 0 };
	size_t ins = 0, upd = 0, skip = 0;
	int rc;

	(void)a;
	api_cases_columns(known, required);
	if ((rc = csvtab_read_mem(&t, r->http->body.buf, r->http->body.len, known, required,
	                          CASES_IMPORT_API_MAX, &r->err)) < 0)
		goto out;
	rows = arena_alloc(r->arena, (t.n ? t.n : 1) * sizeof(*rows));
	bad.v = arena_alloc(r->arena, bad.max * sizeof(*bad.v));
	if (rows == NULL || bad.v == NULL) {
		rc = error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		goto out;
	}
	if ((rc = api_cases_rows(r->st, &r->actor, &t, rows, api_today(r), &bad, &r->err)) < 0)
		goto out;
	if (bad.n == 0)
		rc = store_cases_import_lines(r->st, &r->actor, rows, t.n, &ins, &upd, &skip, &bad,
		                              &r->err);
	if (bad.n) {
		rc = api_cases_refuse(r, &bad);
		goto out;
	}
	if (rc < 0)
		goto out;
	rc = http_reply_json(r->http, 200, json_pack("{s:I,s:I,s:I,s:I}", "rows", (json_int_t)t.n,
	                                       "inserted", (json_int_t)ins, "updated", (json_int_t)upd,
	                                       "skipped", (json_int_t)skip));
out:
	csvtab_release(&t);
	return rc;
}

/* ---- contacts ---- */

json_t *api_contact_json(const struct contact_rec *c)
{
	return json_pack("{s:I,s:I,s:o,s:i,s:s,s:s?,s:s,s:s,s:s}", "id", (json_int_t)c->id,
	                 "case_id", (json_int_t)c->case_id, "person", api_person_json(&c->person),
	                 "degree", c->degree, "exposure_on", c->exposure_on, "setting", c->setting,
	                 "quarantine_start", c->quarantine_start, "quarantine_end", c->quarantine_end,
	                 "quarantine_rule", c->quarantine_rule);
}

/* A contact as entered: the record, and its degree as read. */
struct contact_in {
	struct contact_rec c;
	int64_t degree;
};

static const struct field contact_fields[] = {
	FIELD_INT("degree", struct contact_in, degree, FIELD_REQUIRED, 1, 2, 0),
	FIELD_DAY("exposure_on", struct contact_in, c.exposure_on, FIELD_REQUIRED | FIELD_PAST),
	FIELD_TEXT("setting", struct contact_in, c.setting, 0, CASE_TEXT_MAX),
};

int api_contacts_create(struct api_ctx *r, const struct route_args *a)
{
	struct contact_in in = { 0 };
	struct contact_rec c;
	struct vndate d;
	json_t *doc = NULL;
	char start[11], end[11];
	int32_t day, s, e;
	const char *note = NULL;
	int assumption = 0, rc;

	if ((rc = api_id_arg(r, a, &in.c.case_id)) < 0)
		return rc;
	if (r->app->quarantine == NULL)
		return error_set(&r->err, THC_EINTERNAL, "chưa nạp quy tắc cách ly",
		                 "the quarantine rules are not loaded");
	if ((rc = api_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = field_read_json(FIELDS(contact_fields), doc, NULL, api_today(r), &in,
	                          &r->err)) < 0 ||
	    (rc = person_parse(r, doc, &in.c.person)) < 0)
		goto out;
	c = in.c;
	c.degree = (int)in.degree;
	vndate_parse(c.exposure_on, &d);            /* checked by the field */
	day = vndate_to_days(d);
	if ((rc = quarantine_compute(r->app->quarantine, c.degree, day, &s, &e,
	                             &c.quarantine_rule, &r->err)) < 0)
		goto out;
	quarantine_rule_info(r->app->quarantine, day, &note, &assumption);
	vndate_format_iso(vndate_from_days(s), start, sizeof(start));
	vndate_format_iso(vndate_from_days(e), end, sizeof(end));
	c.quarantine_start = start;
	c.quarantine_end = end;
	if ((rc = store_contact_create(r->st, &r->actor, &c, &r->err)) < 0)
		goto out;
	{
		json_t *o = api_contact_json(&c);
		char loc[96];

		json_object_set_new(o, "quarantine_note", json_string(note ? note : ""));
		json_object_set_new(o, "quarantine_assumption", json_boolean(assumption));
		snprintf(loc, sizeof(loc), "/api/v1/cases/%lld/contacts", (long long)c.case_id);
		http_add_header(r->http, "Location", loc);
		rc = http_reply_json(r->http, 201, o);
	}
out:
	json_decref(doc);
	return rc;
}

int api_contacts_list(struct api_ctx *r, const struct route_args *a)
{
	struct contact_rec *v;
	int64_t id;
	size_t n;
	json_t *items;
	int rc;

	if ((rc = api_id_arg(r, a, &id)) < 0)
		return rc;
	if ((rc = store_contacts_list(r->st, &r->actor, id, r->arena, &v, &n, &r->err)) < 0)
		return rc;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, api_contact_json(&v[i]));
	return http_reply_json(r->http, 200, json_pack("{s:o}", "items", items));
}

/* ---- clusters ---- */

static const struct field cluster_fields[] = {
	FIELD_CHECKED("name", struct cluster_rec, name, FIELD_REQUIRED, CASE_TEXT_MAX,
	              case_check_name),
	FIELD_TEXT("unit_code", struct cluster_rec, unit_code, FIELD_REQUIRED, UNIT_CODE_MAX),
	FIELD_DAY("opened_on", struct cluster_rec, opened_on, FIELD_REQUIRED | FIELD_PAST),
};

int api_clusters_create(struct api_ctx *r, const struct route_args *a)
{
	struct cluster_rec c = { 0 };
	json_t *doc = NULL;
	char loc[64];
	int rc;

	(void)a;
	if ((rc = api_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = field_read_json(FIELDS(cluster_fields), doc, NULL, api_today(r), &c,
	                          &r->err)) < 0)
		goto out;
	if ((rc = store_cluster_create(r->st, &r->actor, &c, &r->err)) < 0)
		goto out;
	snprintf(loc, sizeof(loc), "/api/v1/clusters/%lld", (long long)c.id);
	http_add_header(r->http, "Location", loc);
	rc = http_reply_json(r->http, 201, json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)c.id,
	                                       "name", c.name, "unit_code", c.unit_code,
	                                       "opened_on", c.opened_on));
out:
	json_decref(doc);
	return rc;
}

int api_clusters_get(struct api_ctx *r, const struct route_args *a)
{
	struct cluster_rec c;
	json_t *cases, *contacts, *nodes, *edges;
	int64_t id;
	int rc;

	if ((rc = api_id_arg(r, a, &id)) < 0)
		return rc;
	if ((rc = store_cluster_get(r->st, &r->actor, id, r->arena, &c, &r->err)) < 0)
		return rc;
	cases = json_array();
	nodes = json_array();
	edges = json_array();
	for (size_t i = 0; i < c.ncases; i++) {
		const struct case_rec *k = &c.cases[i];

		json_array_append_new(cases, case_json(r, k));
		json_array_append_new(nodes, json_pack("{s:I,s:s,s:s,s:s,s:b}", "id", (json_int_t)k->id,
		                      "detected_on", k->detected_on, "unit_code", k->person.unit_code,
		                      "severity", k->severity, "in_cluster", k->cluster_id == id));
		if (k->infected_by)
			json_array_append_new(edges, json_pack("{s:I,s:I}", "from", (json_int_t)k->infected_by,
			                                       "to", (json_int_t)k->id));
	}
	contacts = json_array();
	for (size_t i = 0; i < c.ncontacts; i++)
		json_array_append_new(contacts, api_contact_json(&c.contacts[i]));
	return http_reply_json(r->http, 200, json_pack("{s:I,s:s,s:s,s:s,s:s?,s:o,s:o,s:{s:o,s:o}}",
	                       "id", (json_int_t)c.id, "name", c.name, "unit_code", c.unit_code,
	                       "opened_on", c.opened_on, "closed_on", c.closed_on,
	                       "cases", cases, "contacts", contacts,
	                       "chain", "nodes", nodes, "edges", edges));
}

/* ---- tests ---- */

/* A test as entered: the record, and the case a positive one may open. */
struct test_in {
	struct test_rec t;
	const char *source;
	int open_case;
};

static const struct field test_fields[] = {
	FIELD_DAY("taken_on", struct test_in, t.taken_on, FIELD_REQUIRED | FIELD_PAST),
	FIELD_ENUM("test_type", struct test_in, t.test_type, FIELD_REQUIRED, case_test_types, NULL),
	FIELD_ENUM("result", struct test_in, t.result, FIELD_REQUIRED, case_test_results, NULL),
	FIELD_ENUM("source", struct test_in, source, 0, case_sources, "community"),
	FIELD_BOOL("open_case", struct test_in, open_case, 0, 0),
};

int api_tests_create(struct api_ctx *r, const struct route_args *a)
{
	struct test_in in = { 0 };
	struct test_rec t;
	struct case_rec c = { 0 };
	json_t *doc = NULL;
	int rc;

	(void)a;
	if ((rc = api_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = field_read_json(FIELDS(test_fields), doc, NULL, api_today(r), &in, &r->err)) < 0 ||
	    (rc = person_parse(r, doc, &in.t.person)) < 0)
		goto out;
	t = in.t;
	c.source = in.source;
	c.detected_on = t.taken_on;
	if ((rc = store_test_create(r->st, &r->actor, &t, in.open_case ? &c : NULL, &r->err)) < 0)
		goto out;
	rc = http_reply_json(r->http, 201, json_pack("{s:I,s:I,s:s,s:o}", "id", (json_int_t)t.id,
	                                       "person_id", (json_int_t)t.person.id,
	                                       "result", t.result, "case_id", opt_id(t.case_id)));
out:
	json_decref(doc);
	return rc;
}

/* ---- public weekly figures ---- */

int api_unit_weekly(struct api_ctx *r, const struct route_args *a)
{
	const char *fs = http_query(r->http, "from"), *ts = http_query(r->http, "to");
	struct case_week *w;
	struct vndate f, t;
	int32_t fd, td, first, last;
	int64_t pop;
	char fw[11], tw[11];
	size_t n, k = 0;
	json_t *items;
	int rc;

	if (fs == NULL || ts == NULL || vndate_parse(fs, &f) < 0 || vndate_parse(ts, &t) < 0)
		return error_set(&r->err, THC_EINVAL,
		                 "cần tham số 'from' và 'to' dạng YYYY-MM-DD",
		                 "parameters 'from' and 'to' (YYYY-MM-DD) are required");
	fd = vndate_to_days(f);
	td = vndate_to_days(t);
	if (td < fd || td - fd > WEEKLY_DAYS_MAX)
		return error_set(&r->err, THC_EINVAL,
		                 "khoảng 'from'..'to' phải từ 0 đến 2 năm",
		                 "the range 'from'..'to' must be between 0 days and 2 years");
	/* Weeks whose Sunday lies in [from, to]. */
	first = vndate_week_end(fd, 1);
	last = vndate_week_end(td, 1);
	if (last > td)
		last -= 7;
	vndate_format_iso(vndate_from_days(first), fw, sizeof(fw));
	vndate_format_iso(vndate_from_days(last), tw, sizeof(tw));
	if ((rc = store_cases_weekly(r->st, route_arg(a, "code"), fw, tw, r->arena, &w, &n, &pop,
	                             &r->err)) < 0)
		return rc;
	items = json_array();
	for (int32_t d = first; d <= last; d += 7) {
		char we[11];
		struct case_week z = { 0 };
		const struct case_week *x = &z;
		json_t *o;

		vndate_format_iso(vndate_from_days(d), we, sizeof(we));
		if (k < n && strcmp(w[k].week_end, we) == 0)
			x = &w[k++];
		o = json_pack("{s:s,s:o,s:I,s:I,s:I,s:I,s:I,s:I}", "week_end", we,
		              "population", pop >= 0 ? json_integer(pop) : json_null(),
		              "cases", (json_int_t)x->cases, "community_cases", (json_int_t)x->community,
		              "quarantine_cases", (json_int_t)x->quarantine,
		              "imported_cases", (json_int_t)x->imported,
		              "oxygen_cases", (json_int_t)x->oxygen, "deaths", (json_int_t)x->deaths);
		json_object_set_new(o, "cases_per_100k", pop > 0
		        ? json_real((double)(int64_t)((double)x->community * 1e6 / (double)pop + 0.5) / 10.0)
		        : json_null());
		json_array_append_new(items, o);
	}
	return http_reply_json(r->http, 200, json_pack("{s:s,s:o}", "unit_code", route_arg(a, "code"),
	                                         "items", items));
}

/* The figures of one child for the week: cases, per 100,000 and the dates
 * of its level; per100k one decimal, null without a population. */
static json_t *per100k(int64_t community, int64_t pop)
{
	return pop > 0 ? json_real((double)(int64_t)((double)community * 1e6 / (double)pop + 0.5) / 10.0)
	               : json_null();
}

int api_unit_children_week(struct api_ctx *r, const struct route_args *a)
{
	const char *ws = http_query(r->http, "week_end");
	struct child_week *c;
	struct vndate d;
	char we[11], prev[11];
	int32_t day;
	size_t n;
	json_t *items;
	int rc;

	if (ws == NULL) {
		day = vndate_week_end(api_today(r), 1);
	} else if (vndate_parse(ws, &d) < 0) {
		return error_set(&r->err, THC_EINVAL,
		                 "tham số 'week_end': '%.20s' không phải ngày YYYY-MM-DD",
		                 "parameter 'week_end': '%.20s' is not a date YYYY-MM-DD", ws);
	} else {
		day = vndate_to_days(d);
		if (vndate_week_end(day, 1) != day)
			return error_set(&r->err, THC_EINVAL,
			                 "tham số 'week_end': %.20s không phải chủ nhật, ngày cuối tuần",
			                 "parameter 'week_end': %.20s is not a Sunday, the end of a week", ws);
	}
	vndate_format_iso(vndate_from_days(day), we, sizeof(we));
	vndate_format_iso(vndate_from_days(day - 7), prev, sizeof(prev));
	if ((rc = store_children_week(r->st, route_arg(a, "code"), we, prev, r->arena, &c, &n,
	                              &r->err)) < 0)
		return rc;
	items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_pack("{s:s,s:s,s:s,s:o,s:I,s:I,s:o,s:I,s:I,s:o,s:s?,s:s?}",
		        "code", c[i].code, "name", c[i].name, "level", c[i].level,
		        "population", c[i].population >= 0 ? json_integer(c[i].population) : json_null(),
		        "cases", (json_int_t)c[i].cases, "community_cases", (json_int_t)c[i].community,
		        "cases_per_100k", per100k(c[i].community, c[i].population),
		        "prev_cases", (json_int_t)c[i].prev_cases,
		        "prev_community_cases", (json_int_t)c[i].prev_community,
		        "prev_cases_per_100k", per100k(c[i].prev_community, c[i].population),
		        "last_assessed", c[i].last_assessed, "last_decided", c[i].last_decided);

		json_array_append_new(items, o);
	}
	return http_reply_json(r->http, 200, json_pack("{s:s,s:s,s:s,s:o}", "unit_code",
	                                         route_arg(a, "code"), "week_end", we,
	                                         "prev_week_end", prev, "items", items));
}

int api_unit_f0_free(struct api_ctx *r, const struct route_args *a)
{
	const char *ds = http_query(r->http, "date");
	struct hamlet_f0 *h;
	struct vndate d;
	char date[11];
	int32_t day;
	size_t n;
	json_t *items;
	int rc;

	if (ds == NULL) {
		d = vndate_from_days(api_today(r));
	} else if (vndate_parse(ds, &d) < 0) {
		return error_set(&r->err, THC_EINVAL, "tham số 'date': '%.20s' không phải ngày YYYY-MM-DD",
		                 "parameter 'date': '%.20s' is not a date YYYY-MM-DD", ds);
	}
	day = vndate_to_days(d);
	vndate_format_iso(d, date, sizeof(date));
	if ((rc = store_hamlets_last_case(r->st, &r->actor, route_arg(a, "code"), date, r->arena,
	                                  &h, &n, &r->err)) < 0)
		return rc;
	items = json_array();
	for (size_t i = 0; i < n; i++) {
		struct vndate l;
		json_t *since = json_null();
		int free14 = 1;

		if (h[i].last_case_on && vndate_parse(h[i].last_case_on, &l) == 0) {
			int32_t days = day - vndate_to_days(l);
			since = json_integer(days);
			free14 = days >= 14;
		}
		json_array_append_new(items, json_pack("{s:s,s:s,s:s?,s:o,s:b}", "code", h[i].code,
		                      "name", h[i].name, "last_case_on", h[i].last_case_on,
		                      "days_since_last_case", since, "f0_free_14_days", free14));
	}
	return http_reply_json(r->http, 200, json_pack("{s:s,s:s,s:o}", "commune", route_arg(a, "code"),
	                                         "date", date, "items", items));
}
