/*
 * Vaccination coverage and treatment capacity per unit and week over HTTP:
 * PUT and GET one unit-week, CSV imports (all or nothing, errors by line
 * and column).  Reads are public for the public levels, like the units.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/csvbody.h"
#include "api/field.h"
#include "base/csvtab.h"
#include "base/vntime.h"
#include "domain/unit.h"
#include "base/banned.h"

#define COUNT_MAX 200000000LL     /* more than any unit's population */
#define VACCINATION_GROUPS_MAX 16

/* The {week_end} path segment. */
static int coverage_week(struct api_ctx *r, const struct route_args *a, const char **out)
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

/* One age group of a unit-week: a member of "groups" in JSON, a row in CSV
 * (with the unit and the week, which JSON gives in the path). */
static const struct field vaccination_fields[] = {
	FIELD_TEXT("unit_code", struct vaccination_row, unit_code, FIELD_REQUIRED | FIELD_CSV_ONLY,
	           UNIT_CODE_MAX),
	FIELD_DAY("week_end", struct vaccination_row, week_end, FIELD_REQUIRED | FIELD_CSV_ONLY),
	FIELD_TEXT("age_group", struct vaccination_row, age_group, FIELD_REQUIRED, 16),
	FIELD_INT("population", struct vaccination_row, population, FIELD_REQUIRED, 1, COUNT_MAX, -1),
	FIELD_INT("dose1", struct vaccination_row, dose1, FIELD_REQUIRED, 0, COUNT_MAX, -1),
	FIELD_INT("full_dose", struct vaccination_row, full_dose, FIELD_REQUIRED, 0, COUNT_MAX, -1),
	FIELD_INT("booster", struct vaccination_row, booster, 0, 0, COUNT_MAX, -1),
};

static const struct field capacity_fields[] = {
	FIELD_TEXT("unit_code", struct capacity_row, unit_code, FIELD_REQUIRED | FIELD_CSV_ONLY,
	           UNIT_CODE_MAX),
	FIELD_DAY("week_end", struct capacity_row, week_end, FIELD_REQUIRED | FIELD_CSV_ONLY),
	FIELD_BOOL("capacity_met", struct capacity_row, capacity_met, FIELD_REQUIRED, -1),
	FIELD_TEXT("capacity", struct capacity_row, capacity, FIELD_REQUIRED, 16),
	FIELD_INT("beds_free", struct capacity_row, beds_free, 0, 0, COUNT_MAX, -1),
	FIELD_INT("icu_beds_free", struct capacity_row, icu_beds_free, 0, 0, COUNT_MAX, -1),
	FIELD_BOOL("oxygen_ready", struct capacity_row, oxygen_ready, 0, -1),
	FIELD_INT("mobile_teams", struct capacity_row, mobile_teams, 0, 0, 100000, -1),
};

static json_t *opt_int(int64_t v)
{
	return v >= 0 ? json_integer(v) : json_null();
}

static json_t *opt_pct(double v)
{
	return v >= 0 ? json_real(v) : json_null();
}

static json_t *vaccination_json(struct api_ctx *r, const char *code, const char *week_end)
{
	struct vaccination_row *v;
	struct level_indicators li;
	size_t n = 0;
	json_t *groups;

	if (store_vaccination_get(r->st, &r->actor, code, week_end, r->arena, &v, &n, &r->err) < 0)
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

int api_vaccination_get(struct api_ctx *r, const struct route_args *a)
{
	const char *week_end;
	json_t *o;
	int rc;

	if ((rc = coverage_week(r, a, &week_end)) < 0)
		return rc;
	if ((o = vaccination_json(r, route_arg(a, "code"), week_end)) == NULL)
		return r->err.code ? r->err.code : THC_ENOMEM;
	return http_reply_json(r->http, 200, o);
}

int api_vaccination_put(struct api_ctx *r, const struct route_args *a)
{
	const char *code = route_arg(a, "code"), *week_end;
	struct vaccination_row *rows;
	json_t *doc = NULL, *groups, *g, *o;
	size_t i;
	int rc;

	if ((rc = coverage_week(r, a, &week_end)) < 0)
		return rc;
	if ((rc = api_body_json(r, &doc)) < 0)
		goto out;
	groups = json_object_get(doc, "groups");
	if (!json_is_array(groups) || json_array_size(groups) == 0 ||
	    json_array_size(groups) > VACCINATION_GROUPS_MAX) {
		rc = error_set_at(&r->err, THC_EUNPROCESSABLE, "groups",
		               "trường 'groups' phải là danh sách 1..%d nhóm tuổi",
		               "field 'groups' must be a list of 1..%d age groups",
		               VACCINATION_GROUPS_MAX);
		goto out;
	}
	rows = arena_alloc(r->arena, json_array_size(groups) * sizeof(*rows));
	if (rows == NULL) {
		rc = error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		goto out;
	}
	json_array_foreach(groups, i, g) {
		struct vaccination_row *x = &rows[i];
		x->unit_code = code;
		x->week_end = week_end;
		if ((rc = field_read_json_item(FIELDS(vaccination_fields), g, "groups", i,
		                               api_today(r), x, &r->err)) < 0)
			goto out;
	}
	/* The body is the whole week of the unit: groups left out are removed. */
	if ((rc = store_vaccination_put(r->st, &r->actor, rows, json_array_size(groups), 1,
	                                &r->err)) < 0)
		goto out;
	if ((o = vaccination_json(r, code, week_end)) == NULL) {
		rc = r->err.code ? r->err.code : THC_ENOMEM;
		goto out;
	}
	rc = http_reply_json(r->http, 200, o);
out:
	json_decref(doc);
	return rc;
}

static json_t *capacity_json(struct api_ctx *r, const struct capacity_row *c)
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
	                      "updated_at", http_time(r->http, c->updated_at_ms),
	                      "updated_by", c->updated_by);
	return o;
}

int api_capacity_get(struct api_ctx *r, const struct route_args *a)
{
	struct capacity_row c;
	const char *week_end;
	int rc;

	if ((rc = coverage_week(r, a, &week_end)) < 0)
		return rc;
	if ((rc = store_capacity_get(r->st, &r->actor, route_arg(a, "code"), week_end, r->arena,
	                             &c, &r->err)) < 0)
		return rc;
	return http_reply_json(r->http, 200, capacity_json(r, &c));
}

int api_capacity_put(struct api_ctx *r, const struct route_args *a)
{
	struct capacity_row c = { 0 };
	json_t *doc = NULL;
	int rc;

	c.unit_code = route_arg(a, "code");
	if ((rc = coverage_week(r, a, &c.week_end)) < 0)
		return rc;
	if ((rc = api_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = field_read_json(FIELDS(capacity_fields), doc, NULL, api_today(r), &c,
	                          &r->err)) < 0)
		goto out;
	if ((rc = store_capacity_put(r->st, &r->actor, &c, 1, &r->err)) < 0)
		goto out;
	if ((rc = store_capacity_get(r->st, &r->actor, c.unit_code, c.week_end, r->arena, &c,
	                             &r->err)) < 0)
		goto out;
	rc = http_reply_json(r->http, 200, capacity_json(r, &c));
out:
	json_decref(doc);
	return rc;
}

/* ---- CSV imports ---- */

int api_vaccination_import(struct api_ctx *r, const struct route_args *a)
{
	const struct field_set *const sets[] = { FIELDS(vaccination_fields) };
	const struct api_csv spec = { sets, 1, sizeof(struct vaccination_row),
	                              offsetof(struct vaccination_row, line), COVERAGE_ROWS_MAX };
	void *rows;
	struct csvtab t;
	int rc;

	(void)a;
	if ((rc = api_csv_rows(r, &spec, &t, &rows)) == 0 &&
	    (rc = store_vaccination_put(r->st, &r->actor, rows, t.n, 0, &r->err)) == 0)
		rc = http_reply_json(r->http, 200, json_pack("{s:I}", "stored", (json_int_t)t.n));
	csvtab_release(&t);
	return rc;
}

int api_capacity_import(struct api_ctx *r, const struct route_args *a)
{
	const struct field_set *const sets[] = { FIELDS(capacity_fields) };
	const struct api_csv spec = { sets, 1, sizeof(struct capacity_row),
	                              offsetof(struct capacity_row, line), COVERAGE_ROWS_MAX };
	void *rows;
	struct csvtab t;
	int rc;

	(void)a;
	if ((rc = api_csv_rows(r, &spec, &t, &rows)) == 0 &&
	    (rc = store_capacity_put(r->st, &r->actor, rows, t.n, &r->err)) == 0)
		rc = http_reply_json(r->http, 200, json_pack("{s:I}", "stored", (json_int_t)t.n));
	csvtab_release(&t);
	return rc;
}
