/*
 * Surveillance over HTTP: F0 cases, contacts, clusters, tests, merges,
 * CSV import and export, and the public weekly figures.  Personal data is
 * scoped by the store (ROLE_MASK_PERSONAL); reads of it are audited there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
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

static int32_t api_today(struct req *r)
{
	return vntime_day_of(r->start_ms / 1000);
}

/* The "person" object of a request body. */
static int person_parse(struct req *r, json_t *doc, struct person *p)
{
	json_t *o = json_object_get(doc, "person");
	int64_t by = -1;
	int rc;

	memset(p, 0, sizeof(*p));
	p->birth_year = -1;
	if (!json_is_object(o))
		return error_set(&r->err, THC_EUNPROCESSABLE, "thiếu trường 'person' (đối tượng)",
		                 "field 'person' (an object) is missing");
	if ((rc = json_field_string(o, "full_name", 1, CASE_NAME_MAX, &p->full_name, &r->err)) < 0 ||
	    (rc = json_field_string(o, "id_number", 0, 12, &p->id_number, &r->err)) < 0 ||
	    (rc = json_field_int(o, "birth_year", 0, CASE_BIRTH_YEAR_MIN, VNTIME_MAX_YEAR, &by, &r->err)) < 0 ||
	    (rc = json_field_string(o, "sex", 0, 8, &p->sex, &r->err)) < 0 ||
	    (rc = json_field_string(o, "phone", 0, PHONE_MAX, &p->phone, &r->err)) < 0 ||
	    (rc = json_field_string(o, "unit_code", 1, UNIT_CODE_MAX, &p->unit_code, &r->err)) < 0 ||
	    (rc = json_field_string(o, "address", 0, CASE_TEXT_MAX, &p->address, &r->err)) < 0)
		goto bad;
	p->birth_year = by;
	if ((rc = case_check_name("person.full_name", p->full_name, &r->err)) < 0 ||
	    (rc = case_check_id_number("person.id_number", p->id_number, &r->err)) < 0 ||
	    (rc = case_check_birth_year("person.birth_year", p->birth_year, api_today(r), &r->err)) < 0 ||
	    (rc = case_check_enum("person.sex", p->sex, case_sexes, &r->err)) < 0 ||
	    (rc = case_check_text("person.address", p->address, 0, &r->err)) < 0)
		return rc;
	return 0;
bad:
	error_prefix(&r->err, "person: ", "person: ");
	return rc;
}

static json_t *opt_id(int64_t v)
{
	return v > 0 ? json_integer(v) : json_null();
}

static json_t *case_json(struct req *r, const struct case_rec *c)
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
	                 "created_at", http_time(r, c->created_at_ms));
}

/* Checks a case's own fields (the person is checked by person_parse). */
static int case_check(struct req *r, struct case_rec *c)
{
	int rc;

	if ((rc = case_check_day("detected_on", c->detected_on, api_today(r), NULL, &r->err)) < 0 ||
	    (rc = case_check_enum("source", c->source, case_sources, &r->err)) < 0 ||
	    (rc = case_check_enum("test_type", c->test_type, case_test_types, &r->err)) < 0 ||
	    (rc = case_check_enum("severity", c->severity, case_severities, &r->err)) < 0 ||
	    (rc = case_check_enum("care_place", c->care_place, case_care_places, &r->err)) < 0 ||
	    (rc = case_check_enum("outcome", c->outcome, case_outcomes, &r->err)) < 0)
		return rc;
	if (c->outcome_on && (rc = case_check_day("outcome_on", c->outcome_on, api_today(r), NULL,
	                                          &r->err)) < 0)
		return rc;
	if ((c->outcome == NULL) != (c->outcome_on == NULL))
		return error_set(&r->err, THC_EUNPROCESSABLE,
		                 "trường 'outcome' và 'outcome_on' phải đi cùng nhau",
		                 "fields 'outcome' and 'outcome_on' go together");
	return 0;
}

static int case_parse(struct req *r, json_t *doc, struct case_rec *c, int need_test_type)
{
	json_t *ox = json_object_get(doc, "needs_oxygen");
	int64_t cluster = 0, infected = 0;
	int rc;

	memset(c, 0, sizeof(*c));
	if ((rc = json_field_string(doc, "detected_on", 1, 10, &c->detected_on, &r->err)) < 0 ||
	    (rc = json_field_string(doc, "source", need_test_type, 16, &c->source, &r->err)) < 0 ||
	    (rc = json_field_string(doc, "test_type", need_test_type, 16, &c->test_type, &r->err)) < 0 ||
	    (rc = json_field_string(doc, "severity", 0, 16, &c->severity, &r->err)) < 0 ||
	    (rc = json_field_string(doc, "care_place", 0, 16, &c->care_place, &r->err)) < 0 ||
	    (rc = json_field_string(doc, "outcome", 0, 16, &c->outcome, &r->err)) < 0 ||
	    (rc = json_field_string(doc, "outcome_on", 0, 10, &c->outcome_on, &r->err)) < 0 ||
	    (rc = json_field_string(doc, "external_id", 0, 64, &c->external_id, &r->err)) < 0 ||
	    (rc = json_field_int(doc, "cluster_id", 0, 1, INT64_MAX, &cluster, &r->err)) < 0 ||
	    (rc = json_field_int(doc, "infected_by", 0, 1, INT64_MAX, &infected, &r->err)) < 0)
		return rc;
	if (ox && !json_is_boolean(ox))
		return error_set(&r->err, THC_EUNPROCESSABLE, "trường 'needs_oxygen' phải là true/false",
		                 "field 'needs_oxygen' must be true or false");
	c->needs_oxygen = json_is_true(ox);
	c->cluster_id = cluster > 0 ? cluster : 0;
	c->infected_by = infected > 0 ? infected : 0;
	if (c->source == NULL)
		c->source = "community";
	return case_check(r, c);
}

int api_cases_create(struct req *r, const struct route_args *a)
{
	struct case_rec c;
	json_t *doc = NULL;
	char loc[64];
	int rc;

	(void)a;
	if ((rc = http_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = case_parse(r, doc, &c, 1)) < 0 || (rc = person_parse(r, doc, &c.person)) < 0)
		goto out;
	if ((rc = store_case_create(r->st, &r->actor, &c, &r->err)) < 0)
		goto out;
	snprintf(loc, sizeof(loc), "/api/v1/cases/%lld", (long long)c.id);
	http_add_header(r, "Location", loc);
	rc = http_reply_json(r, 201, json_pack("{s:I,s:I,s:s,s:b}", "id", (json_int_t)c.id,
	                                       "person_id", (json_int_t)c.person.id,
	                                       "detected_on", c.detected_on,
	                                       "needs_oxygen", c.needs_oxygen));
out:
	json_decref(doc);
	return rc;
}

int api_cases_get(struct req *r, const struct route_args *a)
{
	struct case_rec c;
	int64_t id;
	int rc;

	if ((rc = api_id_arg(r, a, &id)) < 0)
		return rc;
	if ((rc = store_case_get(r->st, &r->actor, id, &r->arena, &c, &r->err)) < 0)
		return rc;
	return http_reply_json(r, 200, case_json(r, &c));
}

int api_cases_patch(struct req *r, const struct route_args *a)
{
	struct case_patch p = { 0 };
	struct case_rec c;
	json_t *doc = NULL;
	int64_t id;
	int rc;

	if ((rc = api_id_arg(r, a, &id)) < 0)
		return rc;
	if ((rc = http_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = json_field_string(doc, "severity", 0, 16, &p.severity, &r->err)) < 0 ||
	    (rc = json_field_string(doc, "care_place", 0, 16, &p.care_place, &r->err)) < 0 ||
	    (rc = json_field_string(doc, "outcome", 0, 16, &p.outcome, &r->err)) < 0 ||
	    (rc = json_field_string(doc, "outcome_on", 0, 10, &p.outcome_on, &r->err)) < 0)
		goto out;
	if ((rc = case_check_enum("severity", p.severity, case_severities, &r->err)) < 0 ||
	    (rc = case_check_enum("care_place", p.care_place, case_care_places, &r->err)) < 0 ||
	    (rc = case_check_enum("outcome", p.outcome, case_outcomes, &r->err)) < 0)
		goto out;
	if (p.outcome_on && (rc = case_check_day("outcome_on", p.outcome_on, api_today(r), NULL,
	                                         &r->err)) < 0)
		goto out;
	if ((rc = store_case_update(r->st, &r->actor, id, &p, &r->err)) < 0)
		goto out;
	if ((rc = store_case_get(r->st, &r->actor, id, &r->arena, &c, &r->err)) < 0)
		goto out;
	rc = http_reply_json(r, 200, case_json(r, &c));
out:
	json_decref(doc);
	return rc;
}

/* ---- lists and CSV export ---- */

static const char *const export_cols[] = {
	"id", "external_id", "full_name", "id_number", "birth_year", "sex", "phone", "unit_code",
	"commune_code", "province_code", "detected_on", "source", "test_type", "severity",
	"needs_oxygen", "care_place", "outcome", "outcome_on", "cluster_id", "infected_by", NULL,
};

static int cases_csv(struct req *r, const struct case_rec *v, size_t n, int64_t next)
{
	char *buf = NULL, num[4][24];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (f == NULL)
		return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	fputs("\xEF\xBB\xBF", f);      /* BOM: Excel then reads UTF-8 (Vietnamese) */
	for (size_t j = 0; export_cols[j]; j++)
		csv_write_field(f, export_cols[j], export_cols[j + 1] == NULL);
	for (size_t i = 0; i < n; i++) {
		const struct case_rec *c = &v[i];
		const char *vals[20];

		snprintf(num[0], sizeof(num[0]), "%lld", (long long)c->id);
		if (c->person.birth_year >= 0)
			snprintf(num[1], sizeof(num[1]), "%lld", (long long)c->person.birth_year);
		else
			num[1][0] = '\0';
		snprintf(num[2], sizeof(num[2]), "%lld", (long long)c->cluster_id);
		snprintf(num[3], sizeof(num[3]), "%lld", (long long)c->infected_by);
		vals[0] = num[0]; vals[1] = c->external_id; vals[2] = c->person.full_name;
		vals[3] = c->person.id_number; vals[4] = num[1]; vals[5] = c->person.sex;
		vals[6] = c->person.phone; vals[7] = c->person.unit_code; vals[8] = c->commune_code;
		vals[9] = c->province_code; vals[10] = c->detected_on; vals[11] = c->source;
		vals[12] = c->test_type; vals[13] = c->severity;
		vals[14] = c->needs_oxygen ? "1" : "0"; vals[15] = c->care_place;
		vals[16] = c->outcome; vals[17] = c->outcome_on;
		vals[18] = c->cluster_id ? num[2] : ""; vals[19] = c->infected_by ? num[3] : "";
		for (size_t j = 0; j < 20; j++)
			csv_write_field(f, vals[j] ? vals[j] : "", j == 19);
	}
	if (fclose(f) != 0) {
		free(buf);
		return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	}
	if (next) {
		char nx[24];
		snprintf(nx, sizeof(nx), "%lld", (long long)next);
		http_add_header(r, "X-Next-Cursor", nx);
	}
	http_add_header(r, "Content-Disposition", "attachment; filename=\"cases.csv\"");
	return http_reply_bytes(r, 200, "text/csv; charset=utf-8", buf, len);
}

int api_cases_list(struct req *r, const struct route_args *a)
{
	const char *format = http_query(r, "format");
	int csv = format && strcmp(format, "csv") == 0;
	struct case_query q = { .limit = CASES_LIMIT_DEFAULT };
	struct case_rec *v;
	struct vndate d;
	int64_t limit, cursor, next;
	size_t n;
	json_t *items;
	int rc;

	(void)a;
	if (format && !csv && strcmp(format, "json") != 0)
		return error_set(&r->err, THC_EINVAL, "tham số 'format' phải là json hoặc csv",
		                 "parameter 'format' must be json or csv");
	if ((rc = api_query_int(r, "limit", 1, csv ? CASES_CSV_MAX : CASES_LIMIT_MAX, &limit)) < 0)
		return rc;
	q.limit = rc == 0 ? (int)limit : csv ? CASES_CSV_MAX : CASES_LIMIT_DEFAULT;
	if ((rc = api_query_int(r, "cursor", 1, INT64_MAX, &cursor)) < 0)
		return rc;
	q.cursor = rc == 0 ? cursor : 0;
	q.unit = http_query(r, "unit");
	q.from = http_query(r, "from");
	q.to = http_query(r, "to");
	if ((q.from && vndate_parse(q.from, &d) < 0) || (q.to && vndate_parse(q.to, &d) < 0))
		return error_set(&r->err, THC_EINVAL,
		                 "tham số 'from'/'to' phải là ngày YYYY-MM-DD",
		                 "parameters 'from' and 'to' must be dates YYYY-MM-DD");
	if ((rc = store_cases_list(r->st, &r->actor, &q, &r->arena, &v, &n, &next, &r->err)) < 0)
		return rc;
	if (csv)
		return cases_csv(r, v, n, next);
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, case_json(r, &v[i]));
	return http_reply_json(r, 200, json_pack("{s:o,s:o}", "items", items,
	                                         "next", next ? json_integer(next) : json_null()));
}

/* ---- CSV import ---- */

const char *const api_cases_known[] = {
	"external_id", "full_name", "id_number", "birth_year", "sex", "unit_code", "phone",
	"detected_on", "source", "test_type", "severity", "needs_oxygen", "care_place",
	"outcome", "outcome_on", NULL,
};
const char *const api_cases_required[] = { "external_id", "full_name", "unit_code",
                                           "detected_on", "test_type", NULL };

static const char *col(const struct csvtab *t, size_t i, const char *name)
{
	const char *v = csvtab_get(t, i, name);
	return v && v[0] ? v : NULL;
}

static int case_row_check(const struct case_rec *c, int32_t today, struct error *err);

int api_cases_rows(const struct csvtab *t, struct case_rec *rows, int32_t today,
                   struct error *err)
{
	for (size_t i = 0; i < t->n; i++) {
		struct case_rec *c = &rows[i];
		const char *by = col(t, i, "birth_year"), *ox = col(t, i, "needs_oxygen");
		int rc = 0;

		memset(c, 0, sizeof(*c));
		c->line = t->lines[i];
		c->external_id = col(t, i, "external_id");
		c->person.full_name = col(t, i, "full_name");
		c->person.id_number = col(t, i, "id_number");
		c->person.sex = col(t, i, "sex");
		c->person.phone = col(t, i, "phone");
		c->person.unit_code = col(t, i, "unit_code");
		c->person.birth_year = -1;
		c->detected_on = col(t, i, "detected_on");
		c->source = col(t, i, "source") ? col(t, i, "source") : "community";
		c->test_type = col(t, i, "test_type");
		c->severity = col(t, i, "severity");
		c->care_place = col(t, i, "care_place");
		c->outcome = col(t, i, "outcome");
		c->outcome_on = col(t, i, "outcome_on");
		if (c->external_id == NULL || strlen(c->external_id) > 64)
			rc = error_set(err, THC_EUNPROCESSABLE, "cột external_id: cần 1..64 ký tự",
			               "column external_id: 1..64 characters are required");
		else if (by && parse_int64(by, CASE_BIRTH_YEAR_MIN, VNTIME_MAX_YEAR, &c->person.birth_year) < 0)
			rc = error_set(err, THC_EUNPROCESSABLE, "cột birth_year: '%.10s' không phải năm",
			               "column birth_year: '%.10s' is not a year", by);
		else if (ox && strcmp(ox, "0") && strcmp(ox, "1") && strcmp(ox, "true") && strcmp(ox, "false"))
			rc = error_set(err, THC_EUNPROCESSABLE, "cột needs_oxygen: phải là 0/1",
			               "column needs_oxygen: must be 0 or 1");
		else if (c->test_type == NULL)
			rc = error_set(err, THC_EUNPROCESSABLE, "cột test_type: thiếu giá trị",
			               "column test_type: missing");
		else if (c->person.unit_code == NULL)
			rc = error_set(err, THC_EUNPROCESSABLE, "cột unit_code: thiếu giá trị",
			               "column unit_code: missing");
		c->needs_oxygen = ox && (strcmp(ox, "1") == 0 || strcmp(ox, "true") == 0);
		if (rc == 0)
			rc = case_row_check(c, today, err);
		if (rc < 0) {
			error_prefix(err, "dòng %ld: ", "line %ld: ", c->line);
			return rc;
		}
	}
	return 0;
}

/* The shared checks on one imported row; 0 or the first error. */
static int case_row_check(const struct case_rec *c, int32_t today, struct error *err)
{
	int rc;

	if ((rc = case_check_name("@full_name", c->person.full_name, err)) < 0 ||
	    (rc = case_check_id_number("@id_number", c->person.id_number, err)) < 0 ||
	    (rc = case_check_birth_year("@birth_year", c->person.birth_year, today, err)) < 0 ||
	    (rc = case_check_enum("@sex", c->person.sex, case_sexes, err)) < 0 ||
	    (rc = case_check_day("@detected_on", c->detected_on, today, NULL, err)) < 0 ||
	    (rc = case_check_enum("@source", c->source, case_sources, err)) < 0 ||
	    (rc = case_check_enum("@test_type", c->test_type, case_test_types, err)) < 0 ||
	    (rc = case_check_enum("@severity", c->severity, case_severities, err)) < 0 ||
	    (rc = case_check_enum("@care_place", c->care_place, case_care_places, err)) < 0 ||
	    (rc = case_check_enum("@outcome", c->outcome, case_outcomes, err)) < 0 ||
	    (c->outcome_on && (rc = case_check_day("@outcome_on", c->outcome_on, today, NULL,
	                                           err)) < 0))
		return rc;
	if ((c->outcome == NULL) != (c->outcome_on == NULL))
		return error_set(err, THC_EUNPROCESSABLE, "cột outcome/outcome_on: phải đi cùng nhau",
		                 "column outcome/outcome_on: they go together");
	return 0;
}

int api_cases_import(struct req *r, const struct route_args *a)
{
	const char *ct = http_header(r, "Content-Type");
	struct case_rec *rows;
	struct csvtab t = { 0 };
	size_t ins = 0, upd = 0, skip = 0;
	int rc;

	(void)a;
	if (ct == NULL || strncmp(ct, "text/csv", 8) != 0)
		return error_set(&r->err, THC_EMEDIATYPE,
		                 "nội dung phải là CSV (Content-Type: text/csv)",
		                 "the body must be CSV (Content-Type: text/csv)");
	if ((rc = csvtab_read_mem(&t, r->body.buf, r->body.len, api_cases_known,
	                          api_cases_required, CASES_IMPORT_API_MAX, &r->err)) < 0)
		goto out;
	if ((rows = arena_alloc(&r->arena, (t.n ? t.n : 1) * sizeof(*rows))) == NULL) {
		rc = error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		goto out;
	}
	if ((rc = api_cases_rows(&t, rows, api_today(r), &r->err)) < 0)
		goto out;
	if ((rc = store_cases_import(r->st, &r->actor, rows, t.n, &ins, &upd, &skip, &r->err)) < 0)
		goto out;
	rc = http_reply_json(r, 200, json_pack("{s:I,s:I,s:I,s:I}", "rows", (json_int_t)t.n,
	                                       "inserted", (json_int_t)ins, "updated", (json_int_t)upd,
	                                       "skipped", (json_int_t)skip));
out:
	csvtab_release(&t);
	return rc;
}

/* ---- contacts ---- */

static json_t *contact_json(const struct contact_rec *c)
{
	return json_pack("{s:I,s:I,s:o,s:i,s:s,s:s?,s:s,s:s,s:s}", "id", (json_int_t)c->id,
	                 "case_id", (json_int_t)c->case_id, "person", api_person_json(&c->person),
	                 "degree", c->degree, "exposure_on", c->exposure_on, "setting", c->setting,
	                 "quarantine_start", c->quarantine_start, "quarantine_end", c->quarantine_end,
	                 "quarantine_rule", c->quarantine_rule);
}

int api_contacts_create(struct req *r, const struct route_args *a)
{
	struct contact_rec c = { 0 };
	json_t *doc = NULL;
	char start[11], end[11];
	int32_t day, s, e;
	int64_t degree;
	const char *note = NULL;
	int assumption = 0, rc;

	if ((rc = api_id_arg(r, a, &c.case_id)) < 0)
		return rc;
	if (r->app->quarantine == NULL)
		return error_set(&r->err, THC_EINTERNAL, "chưa nạp quy tắc cách ly",
		                 "the quarantine rules are not loaded");
	if ((rc = http_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = json_field_int(doc, "degree", 1, 1, 2, &degree, &r->err)) < 0 ||
	    (rc = json_field_string(doc, "exposure_on", 1, 10, &c.exposure_on, &r->err)) < 0 ||
	    (rc = json_field_string(doc, "setting", 0, CASE_TEXT_MAX, &c.setting, &r->err)) < 0 ||
	    (rc = person_parse(r, doc, &c.person)) < 0 ||
	    (rc = case_check_day("exposure_on", c.exposure_on, api_today(r), &day, &r->err)) < 0)
		goto out;
	c.degree = (int)degree;
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
		json_t *o = contact_json(&c);
		char loc[96];

		json_object_set_new(o, "quarantine_note", json_string(note ? note : ""));
		json_object_set_new(o, "quarantine_assumption", json_boolean(assumption));
		snprintf(loc, sizeof(loc), "/api/v1/cases/%lld/contacts", (long long)c.case_id);
		http_add_header(r, "Location", loc);
		rc = http_reply_json(r, 201, o);
	}
out:
	json_decref(doc);
	return rc;
}

int api_contacts_list(struct req *r, const struct route_args *a)
{
	struct contact_rec *v;
	int64_t id;
	size_t n;
	json_t *items;
	int rc;

	if ((rc = api_id_arg(r, a, &id)) < 0)
		return rc;
	if ((rc = store_contacts_list(r->st, &r->actor, id, &r->arena, &v, &n, &r->err)) < 0)
		return rc;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, contact_json(&v[i]));
	return http_reply_json(r, 200, json_pack("{s:o}", "items", items));
}

/* ---- clusters ---- */

int api_clusters_create(struct req *r, const struct route_args *a)
{
	struct cluster_rec c = { 0 };
	json_t *doc = NULL;
	char loc[64];
	int rc;

	(void)a;
	if ((rc = http_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = json_field_string(doc, "name", 1, CASE_TEXT_MAX, &c.name, &r->err)) < 0 ||
	    (rc = json_field_string(doc, "unit_code", 1, UNIT_CODE_MAX, &c.unit_code, &r->err)) < 0 ||
	    (rc = json_field_string(doc, "opened_on", 1, 10, &c.opened_on, &r->err)) < 0 ||
	    (rc = case_check_name("name", c.name, &r->err)) < 0 ||
	    (rc = case_check_day("opened_on", c.opened_on, api_today(r), NULL, &r->err)) < 0)
		goto out;
	if ((rc = store_cluster_create(r->st, &r->actor, &c, &r->err)) < 0)
		goto out;
	snprintf(loc, sizeof(loc), "/api/v1/clusters/%lld", (long long)c.id);
	http_add_header(r, "Location", loc);
	rc = http_reply_json(r, 201, json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)c.id,
	                                       "name", c.name, "unit_code", c.unit_code,
	                                       "opened_on", c.opened_on));
out:
	json_decref(doc);
	return rc;
}

int api_clusters_get(struct req *r, const struct route_args *a)
{
	struct cluster_rec c;
	json_t *cases, *contacts, *nodes, *edges;
	int64_t id;
	int rc;

	if ((rc = api_id_arg(r, a, &id)) < 0)
		return rc;
	if ((rc = store_cluster_get(r->st, &r->actor, id, &r->arena, &c, &r->err)) < 0)
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
		json_array_append_new(contacts, contact_json(&c.contacts[i]));
	return http_reply_json(r, 200, json_pack("{s:I,s:s,s:s,s:s,s:s?,s:o,s:o,s:{s:o,s:o}}",
	                       "id", (json_int_t)c.id, "name", c.name, "unit_code", c.unit_code,
	                       "opened_on", c.opened_on, "closed_on", c.closed_on,
	                       "cases", cases, "contacts", contacts,
	                       "chain", "nodes", nodes, "edges", edges));
}

/* ---- tests ---- */

int api_tests_create(struct req *r, const struct route_args *a)
{
	struct test_rec t = { 0 };
	struct case_rec c = { 0 };
	json_t *doc = NULL, *oc;
	int open_case, rc;

	(void)a;
	if ((rc = http_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = json_field_string(doc, "taken_on", 1, 10, &t.taken_on, &r->err)) < 0 ||
	    (rc = json_field_string(doc, "test_type", 1, 16, &t.test_type, &r->err)) < 0 ||
	    (rc = json_field_string(doc, "result", 1, 16, &t.result, &r->err)) < 0 ||
	    (rc = json_field_string(doc, "source", 0, 16, &c.source, &r->err)) < 0 ||
	    (rc = person_parse(r, doc, &t.person)) < 0 ||
	    (rc = case_check_day("taken_on", t.taken_on, api_today(r), NULL, &r->err)) < 0 ||
	    (rc = case_check_enum("test_type", t.test_type, case_test_types, &r->err)) < 0 ||
	    (rc = case_check_enum("result", t.result, case_test_results, &r->err)) < 0 ||
	    (rc = case_check_enum("source", c.source, case_sources, &r->err)) < 0)
		goto out;
	oc = json_object_get(doc, "open_case");
	if (oc && !json_is_boolean(oc)) {
		rc = error_set(&r->err, THC_EUNPROCESSABLE, "trường 'open_case' phải là true/false",
		               "field 'open_case' must be true or false");
		goto out;
	}
	open_case = json_is_true(oc);
	c.source = c.source ? c.source : "community";
	c.detected_on = t.taken_on;
	if ((rc = store_test_create(r->st, &r->actor, &t, open_case ? &c : NULL, &r->err)) < 0)
		goto out;
	rc = http_reply_json(r, 201, json_pack("{s:I,s:I,s:s,s:o}", "id", (json_int_t)t.id,
	                                       "person_id", (json_int_t)t.person.id,
	                                       "result", t.result, "case_id", opt_id(t.case_id)));
out:
	json_decref(doc);
	return rc;
}

/* ---- public weekly figures ---- */

int api_unit_weekly(struct req *r, const struct route_args *a)
{
	const char *fs = http_query(r, "from"), *ts = http_query(r, "to");
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
	if ((rc = store_cases_weekly(r->st, route_arg(a, "code"), fw, tw, &r->arena, &w, &n, &pop,
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
	return http_reply_json(r, 200, json_pack("{s:s,s:o}", "unit_code", route_arg(a, "code"),
	                                         "items", items));
}

int api_unit_f0_free(struct req *r, const struct route_args *a)
{
	const char *ds = http_query(r, "date");
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
	if ((rc = store_hamlets_last_case(r->st, &r->actor, route_arg(a, "code"), date, &r->arena,
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
	return http_reply_json(r, 200, json_pack("{s:s,s:s,s:o}", "commune", route_arg(a, "code"),
	                                         "date", date, "items", items));
}
