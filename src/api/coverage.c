/*
 * Vaccination coverage and treatment capacity per unit and week over HTTP:
 * PUT and GET one unit-week, CSV imports (all or nothing, errors by line
 * and column).  Reads are public for the public levels, like the units.
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "base/csvtab.h"
#include "base/parse.h"
#include "base/vntime.h"
#include "base/banned.h"

#define COUNT_MAX 200000000LL     /* more than any unit's population */
#define VACCINATION_GROUPS_MAX 16

/* The {week_end} path segment. */
static int coverage_week(struct req *r, const struct route_args *a, const char **out)
{
	const char *v = route_arg(a, "week_end");
	struct vndate d;

	if (v == NULL || vndate_parse(v, &d) < 0)
		return error_set(&r->err, THC_EINVAL,
		                 "'week_end': '%.20s' không phải ngày dạng YYYY-MM-DD",
		                 "'week_end': '%.20s' is not a date YYYY-MM-DD", v ? v : "");
	*out = v;
	return 0;
}

/* A JSON boolean: 0 (set *out to 0/1), 1 when absent and optional, or 422. */
static int field_bool(json_t *obj, const char *name, int required, int *out,
                      struct error *err)
{
	json_t *v = json_object_get(obj, name);

	if (v == NULL || json_is_null(v)) {
		if (!required)
			return 1;
		return error_set(err, THC_EUNPROCESSABLE, "thiếu trường '%s'", "field '%s' is missing",
		                 name);
	}
	if (!json_is_boolean(v))
		return error_set(err, THC_EUNPROCESSABLE, "trường '%s' phải là true hoặc false",
		                 "field '%s' must be true or false", name);
	*out = json_is_true(v);
	return 0;
}

static json_t *opt_int(int64_t v)
{
	return v >= 0 ? json_integer(v) : json_null();
}

static json_t *opt_pct(double v)
{
	return v >= 0 ? json_real(v) : json_null();
}

static json_t *vaccination_json(struct req *r, const char *code, const char *week_end)
{
	struct vaccination_row *v;
	struct level_indicators li;
	size_t n = 0;
	json_t *groups;

	if (store_vaccination_get(r->st, &r->actor, code, week_end, &r->arena, &v, &n, &r->err) < 0)
		return NULL;
	memset(&li, 0, sizeof(li));
	li.vax1_18plus_pct = li.vaxfull_elderly_pct = li.vaxfull_pct = li.vaxfull_highrisk_pct = -1;
	li.capacity_met = -1;
	if (store_level_inputs_from_coverage(r->st, code, week_end, &li, &r->err) < 0)
		return NULL;
	groups = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(groups, json_pack("{s:s,s:o,s:o,s:o,s:o}",
		                      "age_group", v[i].age_group, "population", opt_int(v[i].population),
		                      "dose1", opt_int(v[i].dose1), "full_dose", opt_int(v[i].full_dose),
		                      "booster", opt_int(v[i].booster)));
	return json_pack("{s:s,s:s,s:o,s:{s:o,s:o,s:o,s:o}}", "unit_code", code,
	                 "week_end", week_end, "groups", groups, "derived",
	                 "vax1_18plus_pct", opt_pct(li.vax1_18plus_pct),
	                 "vaxfull_elderly_pct", opt_pct(li.vaxfull_elderly_pct),
	                 "vaxfull_pct", opt_pct(li.vaxfull_pct),
	                 "vaxfull_highrisk_pct", opt_pct(li.vaxfull_highrisk_pct));
}

int api_vaccination_get(struct req *r, const struct route_args *a)
{
	const char *week_end;
	json_t *o;
	int rc;

	if ((rc = coverage_week(r, a, &week_end)) < 0)
		return rc;
	if ((o = vaccination_json(r, route_arg(a, "code"), week_end)) == NULL)
		return r->err.code ? r->err.code : THC_ENOMEM;
	return http_reply_json(r, 200, o);
}

int api_vaccination_put(struct req *r, const struct route_args *a)
{
	const char *code = route_arg(a, "code"), *week_end;
	struct vaccination_row *rows;
	json_t *doc = NULL, *groups, *g, *o;
	size_t i;
	int rc;

	if ((rc = coverage_week(r, a, &week_end)) < 0)
		return rc;
	if ((rc = http_body_json(r, &doc)) < 0)
		goto out;
	groups = json_object_get(doc, "groups");
	if (!json_is_array(groups) || json_array_size(groups) == 0 ||
	    json_array_size(groups) > VACCINATION_GROUPS_MAX) {
		rc = error_set(&r->err, THC_EUNPROCESSABLE,
		               "trường 'groups' phải là danh sách 1..%d nhóm tuổi",
		               "field 'groups' must be a list of 1..%d age groups",
		               VACCINATION_GROUPS_MAX);
		goto out;
	}
	rows = arena_alloc(&r->arena, json_array_size(groups) * sizeof(*rows));
	if (rows == NULL) {
		rc = error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		goto out;
	}
	json_array_foreach(groups, i, g) {
		struct vaccination_row *x = &rows[i];

		x->unit_code = code;
		x->week_end = week_end;
		x->population = x->dose1 = x->full_dose = x->booster = -1;
		if (!json_is_object(g)) {
			rc = error_set(&r->err, THC_EUNPROCESSABLE, "groups[%zu] phải là đối tượng",
			               "groups[%zu] must be an object", i);
			goto out;
		}
		if ((rc = json_field_string(g, "age_group", 1, 16, &x->age_group, &r->err)) < 0 ||
		    (rc = json_field_int(g, "population", 1, 1, COUNT_MAX, &x->population,
		                         &r->err)) < 0 ||
		    (rc = json_field_int(g, "dose1", 1, 0, COUNT_MAX, &x->dose1, &r->err)) < 0 ||
		    (rc = json_field_int(g, "full_dose", 1, 0, COUNT_MAX, &x->full_dose, &r->err)) < 0 ||
		    (rc = json_field_int(g, "booster", 0, 0, COUNT_MAX, &x->booster, &r->err)) < 0) {
			error_prefix(&r->err, "groups[%zu]: ", "groups[%zu]: ", i);
			goto out;
		}
	}
	/* The body is the whole week of the unit: groups left out are removed. */
	if ((rc = store_vaccination_put(r->st, &r->actor, rows, json_array_size(groups), 1,
	                                &r->err)) < 0)
		goto out;
	if ((o = vaccination_json(r, code, week_end)) == NULL) {
		rc = r->err.code ? r->err.code : THC_ENOMEM;
		goto out;
	}
	rc = http_reply_json(r, 200, o);
out:
	json_decref(doc);
	return rc;
}

static json_t *capacity_json(struct req *r, const struct capacity_row *c)
{
	json_t *o = json_pack("{s:s,s:s,s:o,s:s?,s:o,s:o,s:o,s:o,s:s?,s:s?}",
	                      "unit_code", c->unit_code, "week_end", c->week_end,
	                      "capacity_met", c->capacity_met >= 0 ? json_boolean(c->capacity_met)
	                                                           : json_null(),
	                      "capacity", c->capacity, "beds_free", opt_int(c->beds_free),
	                      "icu_beds_free", opt_int(c->icu_beds_free),
	                      "oxygen_ready", c->oxygen_ready >= 0 ? json_boolean(c->oxygen_ready)
	                                                           : json_null(),
	                      "mobile_teams", opt_int(c->mobile_teams),
	                      "updated_at", http_time(r, c->updated_at_ms),
	                      "updated_by", c->updated_by);
	return o;
}

int api_capacity_get(struct req *r, const struct route_args *a)
{
	struct capacity_row c;
	const char *week_end;
	int rc;

	if ((rc = coverage_week(r, a, &week_end)) < 0)
		return rc;
	if ((rc = store_capacity_get(r->st, &r->actor, route_arg(a, "code"), week_end, &r->arena,
	                             &c, &r->err)) < 0)
		return rc;
	return http_reply_json(r, 200, capacity_json(r, &c));
}

int api_capacity_put(struct req *r, const struct route_args *a)
{
	struct capacity_row c = { .capacity_met = -1, .beds_free = -1, .icu_beds_free = -1,
	                          .mobile_teams = -1, .oxygen_ready = -1 };
	json_t *doc = NULL;
	int rc;

	c.unit_code = route_arg(a, "code");
	if ((rc = coverage_week(r, a, &c.week_end)) < 0)
		return rc;
	if ((rc = http_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = field_bool(doc, "capacity_met", 1, &c.capacity_met, &r->err)) < 0 ||
	    (rc = json_field_string(doc, "capacity", 1, 16, &c.capacity, &r->err)) < 0 ||
	    (rc = json_field_int(doc, "beds_free", 0, 0, COUNT_MAX, &c.beds_free, &r->err)) < 0 ||
	    (rc = json_field_int(doc, "icu_beds_free", 0, 0, COUNT_MAX, &c.icu_beds_free,
	                         &r->err)) < 0 ||
	    (rc = field_bool(doc, "oxygen_ready", 0, &c.oxygen_ready, &r->err)) < 0 ||
	    (rc = json_field_int(doc, "mobile_teams", 0, 0, 100000, &c.mobile_teams, &r->err)) < 0)
		goto out;
	if ((rc = store_capacity_put(r->st, &r->actor, &c, 1, &r->err)) < 0)
		goto out;
	if ((rc = store_capacity_get(r->st, &r->actor, c.unit_code, c.week_end, &r->arena, &c,
	                             &r->err)) < 0)
		goto out;
	rc = http_reply_json(r, 200, capacity_json(r, &c));
out:
	json_decref(doc);
	return rc;
}

/* ---- CSV imports ---- */

static int csv_body(struct req *r, struct csvtab *t, const char *const *known,
                    const char *const *required)
{
	const char *ct = http_header(r, "Content-Type");

	if (ct == NULL || strncmp(ct, "text/csv", 8) != 0)
		return error_set(&r->err, THC_EMEDIATYPE,
		                 "nội dung phải là CSV (Content-Type: text/csv)",
		                 "the body must be CSV (Content-Type: text/csv)");
	return csvtab_read_mem(t, r->body.buf, r->body.len, known, required, COVERAGE_ROWS_MAX,
	                       &r->err);
}

/* A whole number in a column; empty is missing (-1) unless required. */
static int csv_count(struct req *r, const struct csvtab *t, size_t i, const char *col,
                     int required, int64_t min, int64_t *out)
{
	const char *v = csvtab_get(t, i, col);

	*out = -1;
	if (v == NULL || v[0] == '\0') {
		if (!required)
			return 0;
		return error_set(&r->err, THC_EUNPROCESSABLE, "dòng %ld: cột '%s': thiếu giá trị",
		                 "line %ld: column '%s': the value is missing", t->lines[i], col);
	}
	if (parse_int64(v, min, COUNT_MAX, out) < 0)
		return error_set(&r->err, THC_EUNPROCESSABLE,
		                 "dòng %ld: cột '%s': '%.20s' phải là số nguyên trong khoảng %lld..%lld",
		                 "line %ld: column '%s': '%.20s' must be a whole number within %lld..%lld",
		                 t->lines[i], col, v, (long long)min, COUNT_MAX);
	return 0;
}

/* 1/0/true/false in a column; empty is missing (-1) unless required. */
static int csv_bool(struct req *r, const struct csvtab *t, size_t i, const char *col,
                    int required, int *out)
{
	const char *v = csvtab_get(t, i, col);

	*out = -1;
	if ((v == NULL || v[0] == '\0') && !required)
		return 0;
	if (v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0))
		*out = 1;
	else if (v && (strcmp(v, "0") == 0 || strcmp(v, "false") == 0))
		*out = 0;
	else
		return error_set(&r->err, THC_EUNPROCESSABLE,
		                 "dòng %ld: cột '%s': '%.20s' phải là 1, 0, true hoặc false",
		                 "line %ld: column '%s': '%.20s' must be 1, 0, true or false",
		                 t->lines[i], col, v ? v : "");
	return 0;
}

static int csv_week(struct req *r, const struct csvtab *t, size_t i, const char **out)
{
	const char *v = csvtab_get(t, i, "week_end");
	struct vndate d;

	if (v == NULL || vndate_parse(v, &d) < 0)
		return error_set(&r->err, THC_EUNPROCESSABLE,
		                 "dòng %ld: cột 'week_end': '%.20s' không phải ngày YYYY-MM-DD",
		                 "line %ld: column 'week_end': '%.20s' is not a date YYYY-MM-DD",
		                 t->lines[i], v ? v : "");
	*out = v;
	return 0;
}

int api_vaccination_import(struct req *r, const struct route_args *a)
{
	static const char *const known[] = { "unit_code", "week_end", "age_group", "population",
	                                     "dose1", "full_dose", "booster", NULL };
	static const char *const required[] = { "unit_code", "week_end", "age_group", "population",
	                                        "dose1", "full_dose", NULL };
	struct vaccination_row *rows;
	struct csvtab t = { 0 };
	int rc;

	(void)a;
	if ((rc = csv_body(r, &t, known, required)) < 0)
		goto out;
	if ((rows = arena_alloc(&r->arena, (t.n ? t.n : 1) * sizeof(*rows))) == NULL) {
		rc = error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		goto out;
	}
	for (size_t i = 0; i < t.n; i++) {
		struct vaccination_row *x = &rows[i];

		x->unit_code = csvtab_get(&t, i, "unit_code");
		x->age_group = csvtab_get(&t, i, "age_group");
		x->line = t.lines[i];
		if ((rc = csv_week(r, &t, i, &x->week_end)) < 0 ||
		    (rc = csv_count(r, &t, i, "population", 1, 1, &x->population)) < 0 ||
		    (rc = csv_count(r, &t, i, "dose1", 1, 0, &x->dose1)) < 0 ||
		    (rc = csv_count(r, &t, i, "full_dose", 1, 0, &x->full_dose)) < 0 ||
		    (rc = csv_count(r, &t, i, "booster", 0, 0, &x->booster)) < 0)
			goto out;
	}
	if ((rc = store_vaccination_put(r->st, &r->actor, rows, t.n, 0, &r->err)) < 0)
		goto out;
	rc = http_reply_json(r, 200, json_pack("{s:I}", "stored", (json_int_t)t.n));
out:
	csvtab_release(&t);
	return rc;
}

int api_capacity_import(struct req *r, const struct route_args *a)
{
	static const char *const known[] = { "unit_code", "week_end", "capacity_met", "capacity",
	                                     "beds_free", "icu_beds_free", "oxygen_ready",
	                                     "mobile_teams", NULL };
	static const char *const required[] = { "unit_code", "week_end", "capacity_met",
	                                        "capacity", NULL };
	struct capacity_row *rows;
	struct csvtab t = { 0 };
	int rc;

	(void)a;
	if ((rc = csv_body(r, &t, known, required)) < 0)
		goto out;
	if ((rows = arena_alloc(&r->arena, (t.n ? t.n : 1) * sizeof(*rows))) == NULL) {
		rc = error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		goto out;
	}
	for (size_t i = 0; i < t.n; i++) {
		struct capacity_row *x = &rows[i];

		x->unit_code = csvtab_get(&t, i, "unit_code");
		x->capacity = csvtab_get(&t, i, "capacity");
		x->line = t.lines[i];
		if ((rc = csv_week(r, &t, i, &x->week_end)) < 0 ||
		    (rc = csv_bool(r, &t, i, "capacity_met", 1, &x->capacity_met)) < 0 ||
		    (rc = csv_count(r, &t, i, "beds_free", 0, 0, &x->beds_free)) < 0 ||
		    (rc = csv_count(r, &t, i, "icu_beds_free", 0, 0, &x->icu_beds_free)) < 0 ||
		    (rc = csv_bool(r, &t, i, "oxygen_ready", 0, &x->oxygen_ready)) < 0 ||
		    (rc = csv_count(r, &t, i, "mobile_teams", 0, 0, &x->mobile_teams)) < 0)
			goto out;
	}
	if ((rc = store_capacity_put(r->st, &r->actor, rows, t.n, &r->err)) < 0)
		goto out;
	rc = http_reply_json(r, 200, json_pack("{s:I}", "stored", (json_int_t)t.n));
out:
	csvtab_release(&t);
	return rc;
}
