/*
 * Vaccination coverage per age group and treatment capacity, per unit and
 * week, and the level-rule inputs derived from them.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/vntime.h"
#include "domain/role.h"
#include "store/store-private.h"
#include "base/banned.h"

/* Officials and health workers enter the weekly figures of their units. */
#define COVERAGE_WRITE_ROLES (ROLE_MASK_OFFICIALS | ROLE_BIT(ROLE_HEALTH_WORKER))

static const char *const age_groups[] = { "18+", "50+", "65+", "all", "high_risk" };

/* Before this week_end the elderly share of Decision 4800 is of people 65
 * and over; from it, of people 50 and over: the group the rule names
 * changed (see docs/levels.md, "65+ in October, 50+ from November"). */
#define ELDERLY_50_FROM "2021-11-01"

/* "line 4: " or "group '65+': " before a message. */
static void coverage_where(struct error *err, long line, const char *group)
{
	if (group)
		error_prefix(err, "nhóm '%.16s': ", "group '%.16s': ", group);
	if (line > 0)
		error_prefix(err, "dòng %ld: ", "line %ld: ", line);
}

static int coverage_check_key(const char *unit_code, const char *week_end, struct error *err)
{
	struct vndate d;

	if (unit_code == NULL || unit_code[0] == '\0')
		return error_set_at(err, THC_EUNPROCESSABLE, "unit_code", "trường 'unit_code': thiếu mã đơn vị",
		                 "field 'unit_code': the unit code is missing");
	if (week_end == NULL || vndate_parse(week_end, &d) < 0)
		return error_set_at(err, THC_EUNPROCESSABLE, "week_end",
		                 "trường 'week_end': '%.20s' không phải ngày YYYY-MM-DD",
		                 "field 'week_end': '%.20s' is not a date YYYY-MM-DD",
		                 week_end ? week_end : "");
	return 0;
}

static int age_group_known(const char *g)
{
	for (size_t i = 0; g && i < ARRAY_SIZE(age_groups); i++)
		if (strcmp(g, age_groups[i]) == 0)
			return 1;
	return 0;
}

static int vaccination_check(const struct vaccination_row *r, struct error *err)
{
	int rc;

	if ((rc = coverage_check_key(r->unit_code, r->week_end, err)) < 0)
		return rc;
	if (!age_group_known(r->age_group))
		return error_set_at(err, THC_EUNPROCESSABLE, "age_group",
		                 "trường 'age_group': '%.16s' phải là 18+, 50+, 65+, high_risk hoặc all",
		                 "field 'age_group': '%.16s' must be 18+, 50+, 65+, high_risk or all",
		                 r->age_group ? r->age_group : "");
	if (r->population < 1)
		return error_set_at(err, THC_EUNPROCESSABLE, "population",
		                 "trường 'population': cần số người của nhóm (ít nhất 1)",
		                 "field 'population': the group's population is required (at least 1)");
	if (r->dose1 < 0)
		return error_set_at(err, THC_EUNPROCESSABLE, "dose1", "trường 'dose1': thiếu số người đã tiêm mũi 1",
		                 "field 'dose1': the number with a first dose is missing");
	if (r->full_dose < 0)
		return error_set_at(err, THC_EUNPROCESSABLE, "full_dose",
		                 "trường 'full_dose': thiếu số người đã tiêm đủ liều",
		                 "field 'full_dose': the number fully vaccinated is missing");
	if (r->dose1 > r->population)
		return error_set_at(err, THC_EUNPROCESSABLE, "dose1",
		                 "trường 'dose1': %lld lớn hơn dân số của nhóm (%lld)",
		                 "field 'dose1': %lld is more than the group's population (%lld)",
		                 (long long)r->dose1, (long long)r->population);
	if (r->full_dose > r->dose1)
		return error_set_at(err, THC_EUNPROCESSABLE, "full_dose",
		                 "trường 'full_dose': %lld lớn hơn số đã tiêm mũi 1 (%lld)",
		                 "field 'full_dose': %lld is more than those with a first dose (%lld)",
		                 (long long)r->full_dose, (long long)r->dose1);
	if (r->booster > r->full_dose)
		return error_set_at(err, THC_EUNPROCESSABLE, "booster",
		                 "trường 'booster': %lld lớn hơn số đã tiêm đủ liều (%lld)",
		                 "field 'booster': %lld is more than those fully vaccinated (%lld)",
		                 (long long)r->booster, (long long)r->full_dose);
	return 0;
}

static void bind_opt(struct sql_stmt *s, int idx, int64_t v)
{
	if (v >= 0)
		sql_bind_int64(s, idx, v);
	else
		sql_bind_null(s, idx);
}

struct vaccination_put {
	const struct vaccination_row *rows;
	size_t n;
	int replace_week;
};

/* One "vaccination.put" row per age group written. */
static int vaccination_put_body(struct store *st, void *ctx, struct store_audit *au,
                                struct error *err)
{
	const struct store_actor *actor = au->actor;
	const struct vaccination_put *V = ctx;
	const struct vaccination_row *rows = V->rows;
	const int replace_week = V->replace_week;
	struct sql_stmt *s;
	int rc = 0;

	for (size_t i = 0; i < V->n; i++) {
		const struct vaccination_row *r = &rows[i];
		int first;

		if ((rc = store_scope_check(st, actor, r->unit_code, COVERAGE_WRITE_ROLES, err)) < 0) {
			coverage_where(err, r->line, NULL);
			return rc;
		}
		/* With replace_week the first row of a unit-week clears all of it. */
		first = 1;
		for (size_t j = 0; j < i && first && replace_week; j++)
			first = !(strcmp(rows[j].unit_code, r->unit_code) == 0 &&
			          strcmp(rows[j].week_end, r->week_end) == 0);
		if (replace_week && first)
			rc = sql_prepare(st, "DELETE FROM vaccination_weekly WHERE unit_code = $1"
			                 " AND week_end = $2", &s, err);
		else if (!replace_week)
			rc = sql_prepare(st, "DELETE FROM vaccination_weekly WHERE unit_code = $1"
			                 " AND week_end = $2 AND age_group = $3", &s, err);
		else
			s = NULL;
		if (rc < 0)
			return rc;
		if (s) {
			sql_bind_text(s, 1, r->unit_code);
			sql_bind_text(s, 2, r->week_end);
			if (!replace_week)
				sql_bind_text(s, 3, r->age_group);
			if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
				return rc;
		}
		rc = sql_prepare(st, "INSERT INTO vaccination_weekly (unit_code, week_end, age_group,"
		                 " population, dose1, full_dose, booster, updated_at, updated_by)"
		                 " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)", &s, err);
		if (rc < 0)
			return rc;
		sql_bind_text(s, 1, r->unit_code);
		sql_bind_text(s, 2, r->week_end);
		sql_bind_text(s, 3, r->age_group);
		bind_opt(s, 4, r->population);
		bind_opt(s, 5, r->dose1);
		bind_opt(s, 6, r->full_dose);
		bind_opt(s, 7, r->booster);
		sql_bind_int64(s, 8, actor->now_ms);
		sql_bind_text(s, 9, actor->username ? actor->username : "system");
		if ((rc = sql_exec_stmt(s, NULL, err)) < 0) {
			coverage_where(err, r->line, r->age_group);
			return rc;
		}
		au->action = "vaccination.put";
		au->entity = "unit";
		store_audit_id_text(au, r->unit_code);
		au->unit_code = r->unit_code;
		au->after = json_pack("{s:s,s:s,s:I,s:I,s:I,s:o}", "week_end", r->week_end,
		                      "age_group", r->age_group, "population", (json_int_t)r->population,
		                      "dose1", (json_int_t)r->dose1, "full_dose", (json_int_t)r->full_dose,
		                      "booster", r->booster >= 0 ? json_integer(r->booster) : json_null());
		if (au->after == NULL)
			return store_oom(err);
		if ((rc = store_audit_flush(st, au, err)) < 0)
			return rc;
	}
	au->unchanged = V->n == 0;
	return 0;
}

int store_vaccination_put(struct store *st, const struct store_actor *actor,
                          const struct vaccination_row *rows, size_t n,
                          int replace_week, struct error *err)
{
	struct vaccination_put V = { rows, n, replace_week };
	int rc;

	if (n > COVERAGE_ROWS_MAX)
		return error_set(err, THC_ETOOBIG, "quá %d dòng", "more than %d rows", COVERAGE_ROWS_MAX);
	for (size_t i = 0; i < n; i++) {
		if ((rc = vaccination_check(&rows[i], err)) < 0) {
			coverage_where(err, rows[i].line,
			               age_group_known(rows[i].age_group) ? rows[i].age_group : NULL);
			return rc;
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(rows[j].unit_code, rows[i].unit_code) == 0 &&
			    strcmp(rows[j].week_end, rows[i].week_end) == 0 &&
			    strcmp(rows[j].age_group, rows[i].age_group) == 0) {
				rc = error_set_at(err, THC_EUNPROCESSABLE, "age_group", "trường 'age_group': lặp lại",
				               "field 'age_group': repeated");
				coverage_where(err, rows[i].line, rows[i].age_group);
				return rc;
			}
	}
	return store_write(st, actor, vaccination_put_body, &V, err);
}

int store_vaccination_get(struct store *st, const struct store_actor *actor,
                          const char *unit_code, const char *week_end,
                          struct arena *a, struct vaccination_row **out,
                          size_t *n, struct error *err)
{
	struct sql_stmt *s;
	struct unit u;
	size_t k = 0;
	int rc;

	*n = 0;
	if ((rc = store_unit_get(st, actor, unit_code, a, &u, err)) < 0)
		return rc;
	if ((*out = arena_alloc(a, (ARRAY_SIZE(age_groups) + 1) * sizeof(**out))) == NULL)
		return store_oom(err);
	rc = sql_prepare(st, "SELECT age_group, population, dose1, full_dose, booster"
	                 " FROM vaccination_weekly WHERE unit_code = $1 AND week_end = $2"
	                 " ORDER BY age_group", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, unit_code);
	sql_bind_text(s, 2, week_end);
	while ((rc = sql_step(s, err)) == 1 && k <= ARRAY_SIZE(age_groups)) {
		struct vaccination_row *r = &(*out)[k++];

		r->unit_code = u.code;
		r->week_end = arena_strdup(a, week_end);
		r->age_group = arena_strdup(a, sql_col_text(s, 0));
		r->population = sql_col_is_null(s, 1) ? -1 : sql_col_int64(s, 1);
		r->dose1 = sql_col_is_null(s, 2) ? -1 : sql_col_int64(s, 2);
		r->full_dose = sql_col_is_null(s, 3) ? -1 : sql_col_int64(s, 3);
		r->booster = sql_col_is_null(s, 4) ? -1 : sql_col_int64(s, 4);
	}
	sql_done(s);
	*n = k;
	return rc < 0 ? rc : 0;
}

static int capacity_check(const struct capacity_row *r, struct error *err)
{
	int rc;

	if ((rc = coverage_check_key(r->unit_code, r->week_end, err)) < 0)
		return rc;
	if (r->capacity_met < 0)
		return error_set_at(err, THC_EUNPROCESSABLE, "capacity_met",
		                 "trường 'capacity_met': cần true/false (1/0)",
		                 "field 'capacity_met': true or false (1 or 0) is required");
	if (r->capacity == NULL || (strcmp(r->capacity, "high") != 0 &&
	                            strcmp(r->capacity, "medium") != 0 &&
	                            strcmp(r->capacity, "low") != 0))
		return error_set_at(err, THC_EUNPROCESSABLE, "capacity",
		                 "trường 'capacity': '%.20s' phải là high, medium hoặc low",
		                 "field 'capacity': '%.20s' must be high, medium or low",
		                 r->capacity ? r->capacity : "");
	return 0;
}

struct capacity_put {
	const struct capacity_row *rows;
	size_t n;
};

/* One "capacity.put" row per unit-week written. */
static int capacity_put_body(struct store *st, void *ctx, struct store_audit *au,
                             struct error *err)
{
	const struct store_actor *actor = au->actor;
	const struct capacity_put *C = ctx;
	struct sql_stmt *s;
	int rc;

	for (size_t i = 0; i < C->n; i++) {
		const struct capacity_row *r = &C->rows[i];

		if ((rc = store_scope_check(st, actor, r->unit_code, COVERAGE_WRITE_ROLES, err)) < 0) {
			coverage_where(err, r->line, NULL);
			return rc;
		}
		rc = sql_prepare(st, "DELETE FROM capacity_weekly WHERE unit_code = $1 AND week_end = $2",
		                 &s, err);
		if (rc < 0)
			return rc;
		sql_bind_text(s, 1, r->unit_code);
		sql_bind_text(s, 2, r->week_end);
		if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
			return rc;
		rc = sql_prepare(st, "INSERT INTO capacity_weekly (unit_code, week_end, capacity_met,"
		                 " capacity, beds_free, icu_beds_free, oxygen_ready, mobile_teams,"
		                 " updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
		                 &s, err);
		if (rc < 0)
			return rc;
		sql_bind_text(s, 1, r->unit_code);
		sql_bind_text(s, 2, r->week_end);
		bind_opt(s, 3, r->capacity_met);
		sql_bind_text(s, 4, r->capacity);
		bind_opt(s, 5, r->beds_free);
		bind_opt(s, 6, r->icu_beds_free);
		bind_opt(s, 7, r->oxygen_ready);
		bind_opt(s, 8, r->mobile_teams);
		sql_bind_int64(s, 9, actor->now_ms);
		sql_bind_text(s, 10, actor->username ? actor->username : "system");
		if ((rc = sql_exec_stmt(s, NULL, err)) < 0) {
			coverage_where(err, r->line, NULL);
			return rc;
		}
		au->action = "capacity.put";
		au->entity = "unit";
		store_audit_id_text(au, r->unit_code);
		au->unit_code = r->unit_code;
		if ((au->after = json_pack("{s:s,s:b,s:s}", "week_end", r->week_end,
		                           "capacity_met", r->capacity_met, "capacity",
		                           r->capacity)) == NULL)
			return store_oom(err);
		if ((rc = store_audit_flush(st, au, err)) < 0)
			return rc;
	}
	au->unchanged = C->n == 0;
	return 0;
}

int store_capacity_put(struct store *st, const struct store_actor *actor,
                       const struct capacity_row *rows, size_t n, struct error *err)
{
	struct capacity_put C = { rows, n };
	int rc;

	if (n > COVERAGE_ROWS_MAX)
		return error_set(err, THC_ETOOBIG, "quá %d dòng", "more than %d rows", COVERAGE_ROWS_MAX);
	for (size_t i = 0; i < n; i++)
		if ((rc = capacity_check(&rows[i], err)) < 0) {
			coverage_where(err, rows[i].line, NULL);
			return rc;
		}
	return store_write(st, actor, capacity_put_body, &C, err);
}

int store_capacity_get(struct store *st, const struct store_actor *actor,
                       const char *unit_code, const char *week_end, struct arena *a,
                       struct capacity_row *out, struct error *err)
{
	struct sql_stmt *s;
	struct unit u;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = store_unit_get(st, actor, unit_code, a, &u, err)) < 0)
		return rc;
	rc = sql_prepare(st, "SELECT capacity_met, capacity, beds_free, icu_beds_free, oxygen_ready,"
	                 " mobile_teams, updated_at, updated_by FROM capacity_weekly"
	                 " WHERE unit_code = $1 AND week_end = $2", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, unit_code);
	sql_bind_text(s, 2, week_end);
	rc = sql_step(s, err);
	if (rc == 1) {
		out->unit_code = u.code;
		out->week_end = arena_strdup(a, week_end);
		out->capacity_met = sql_col_is_null(s, 0) ? -1 : (int)sql_col_int64(s, 0);
		out->capacity = arena_strdup(a, sql_col_text(s, 1));
		out->beds_free = sql_col_is_null(s, 2) ? -1 : sql_col_int64(s, 2);
		out->icu_beds_free = sql_col_is_null(s, 3) ? -1 : sql_col_int64(s, 3);
		out->oxygen_ready = sql_col_is_null(s, 4) ? -1 : (int)sql_col_int64(s, 4);
		out->mobile_teams = sql_col_is_null(s, 5) ? -1 : sql_col_int64(s, 5);
		out->updated_at_ms = sql_col_int64(s, 6);
		out->updated_by = arena_strdup(a, sql_col_text(s, 7));
	}
	sql_done(s);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return error_set(err, THC_ENOTFOUND,
		                 "chưa có năng lực điều trị của '%.40s' tuần kết thúc %.10s",
		                 "no treatment capacity for '%.40s' in the week ending %.10s",
		                 unit_code, week_end);
	return 0;
}

int store_level_inputs_from_coverage(struct store *st, const char *unit_code,
                                     const char *week_end, struct level_indicators *io,
                                     struct error *err)
{
	const char *elderly = strcmp(week_end, ELDERLY_50_FROM) < 0 ? "65+" : "50+";
	struct sql_stmt *s;
	int rc;

	rc = sql_prepare(st, "SELECT age_group, population, dose1, full_dose"
	                 " FROM vaccination_weekly WHERE unit_code = $1 AND week_end = $2", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, unit_code);
	sql_bind_text(s, 2, week_end);
	while ((rc = sql_step(s, err)) == 1) {
		const char *g = sql_col_text(s, 0);
		double pop, d1, full;

		if (sql_col_is_null(s, 1) || sql_col_is_null(s, 2) || sql_col_is_null(s, 3))
			continue;
		pop = (double)sql_col_int64(s, 1);
		d1 = (double)sql_col_int64(s, 2);
		full = (double)sql_col_int64(s, 3);
		if (pop <= 0)
			continue;
		if (strcmp(g, "18+") == 0)
			io->vax1_18plus_pct = 100.0 * d1 / pop;
		else if (strcmp(g, elderly) == 0)
			io->vaxfull_elderly_pct = 100.0 * full / pop;
		else if (strcmp(g, "all") == 0)
			io->vaxfull_pct = 100.0 * full / pop;
		else if (strcmp(g, "high_risk") == 0)
			io->vaxfull_highrisk_pct = 100.0 * full / pop;
	}
	sql_done(s);
	if (rc < 0)
		return rc;
	rc = sql_prepare(st, "SELECT capacity_met, capacity FROM capacity_weekly"
	                 " WHERE unit_code = $1 AND week_end = $2", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, unit_code);
	sql_bind_text(s, 2, week_end);
	rc = sql_step(s, err);
	if (rc == 1) {
		const char *c = sql_col_text(s, 1);

		if (!sql_col_is_null(s, 0))
			io->capacity_met = sql_col_int64(s, 0) != 0;
		/* Static strings: the struct has no arena to copy into. */
		if (c && strcmp(c, "high") == 0)
			io->capacity = "high";
		else if (c && strcmp(c, "medium") == 0)
			io->capacity = "medium";
		else if (c && strcmp(c, "low") == 0)
			io->capacity = "low";
	}
	sql_done(s);
	return rc < 0 ? rc : 0;
}
