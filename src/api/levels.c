/*
 * Epidemic levels over HTTP: the public map data (levels in force on a
 * date), a unit's history, decisions with reasons, published-level imports,
 * weekly indicators.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/csvbody.h"
#include "api/field.h"
#include "base/csvtab.h"
#include "base/parse.h"
#include "base/vntime.h"
#include "domain/level.h"
#include "domain/role.h"
#include "domain/unit.h"
#include "base/banned.h"

#define LEVELS_IMPORT_MAX 20000

/* A published level as imported: the row, and its level as read. */
struct published_in {
	struct level_decision_row row;
	int64_t level;
};

static const struct field published_fields[] = {
	FIELD_DAY("date", struct published_in, row.effective_from, FIELD_REQUIRED),
	FIELD_TEXT("unit_code", struct published_in, row.unit_code, FIELD_REQUIRED, UNIT_CODE_MAX),
	FIELD_SKIP("unit_name"),
	FIELD_INT("level", struct published_in, level, FIELD_REQUIRED, 1, 4, 0),
	FIELD_SKIP("listed"),
	FIELD_TEXT("source", struct published_in, row.source_url, 0, 2000),
};

void api_levels_columns(const char *known[API_LEVEL_COLUMNS_MAX],
                        const char *required[API_LEVEL_COLUMNS_MAX])
{
	const struct field_set *const sets[] = { FIELDS(published_fields) };

	if (field_columns(sets, 1, known, required, API_LEVEL_COLUMNS_MAX) < 0)
		abort();                  /* the table outgrew the constant */
}

int api_levels_rows(const struct csvtab *t, struct level_decision_row *rows, int32_t today,
                    struct error *err)
{
	for (size_t i = 0; i < t->n; i++) {
		struct published_in in = { .row.line = t->lines[i] };
		int rc;

		if ((rc = field_read_csv(FIELDS(published_fields), t, i, today, &in, err)) < 0)
			return rc;
		rows[i] = in.row;
		rows[i].level = (int)in.level;
	}
	return 0;
}

/* Today in Việt Nam as YYYY-MM-DD, or the `date` parameter. */
static int levels_date(struct api_ctx *r, const char *name, char out[11])
{
	const char *v = http_query(r->http, name);
	struct vndate d;

	if (v == NULL) {
		d = vndate_from_days(api_today(r));
	} else if (vndate_parse(v, &d) < 0) {
		return error_set(&r->err, THC_EINVAL,
		                 "tham số '%s': '%.20s' không phải ngày dạng YYYY-MM-DD",
		                 "parameter '%s': '%.20s' is not a date YYYY-MM-DD", name, v);
	}
	vndate_format_iso(d, out, 11);
	return 0;
}

static json_t *level_json(int level)
{
	if (level < 1 || level > 4)
		return json_null();
	return json_integer(level);
}

/* A level 1..4 as is, anything else as 0 (not assessed, grey). */
static int level_known(int level)
{
	return level >= LEVEL_MIN && level <= LEVEL_MAX ? level : LEVEL_NONE;
}

/* The four levels with colours, names and the measures that apply in the
 * province (or nationally). */
static json_t *levels_legend(struct api_ctx *r, const char *province)
{
	const char *measures[5];
	struct error ignore = ERROR_INIT;
	json_t *a = json_array();

	if (store_measures_get(r->st, province, r->arena, measures, &ignore) < 0)
		for (int l = 0; l < 5; l++)
			measures[l] = NULL;
	for (int l = 1; l <= 4; l++) {
		json_t *m = measures[l] ? json_loads(measures[l], 0, NULL) : NULL;
		json_array_append_new(a, json_pack("{s:i,s:s,s:{s:s,s:s},s:o}", "level", l,
		                      "colour", level_colour(l), "name",
		                      "vi", level_name(l, 0), "en", level_name(l, 1),
		                      "measures", m ? m : json_array()));
	}
	return a;
}

int api_levels_map(struct api_ctx *r, const struct route_args *a)
{
	const char *parent = http_query(r->http, "parent");
	struct level_in_force *v;
	struct unit pu;
	char date[11];
	size_t n;
	int64_t counts[5] = { 0 };
	json_t *items, *pj = json_null();
	int rc;

	(void)a;
	if ((rc = levels_date(r, "date", date)) < 0)
		return rc;
	if (parent) {
		if ((rc = store_unit_get(r->st, NULL, parent, r->arena, &pu, &r->err)) < 0)
			return rc;
		pj = json_pack("{s:s,s:s,s:s}", "code", pu.code, "name", pu.name, "level", pu.level);
	}
	if ((rc = store_levels_in_force(r->st, parent, date, r->arena, &v, &n, &r->err)) < 0) {
		json_decref(pj);
		return rc;
	}
	items = json_array();
	for (size_t i = 0; i < n; i++) {
		int l = level_known(v[i].level);

		counts[l]++;
		json_array_append_new(items, json_pack("{s:s,s:s,s:s,s:o,s:s,s:s?,s:s?,s:s?}",
		        "code", v[i].code, "name", v[i].name, "unit_level", v[i].unit_level,
		        "level", level_json(l), "colour", level_colour(l),
		        "effective_from", v[i].effective_from, "week_end", v[i].week_end,
		        "source", v[i].source));
	}
	return http_reply_json(r->http, 200, json_pack("{s:s,s:o,s:o,s:{s:I,s:I,s:I,s:I,s:I},s:o}",
	        "date", date, "parent", pj, "items", items, "counts",
	        "1", (json_int_t)counts[1], "2", (json_int_t)counts[2], "3", (json_int_t)counts[3],
	        "4", (json_int_t)counts[4], "none", (json_int_t)counts[0],
	        "legend", levels_legend(r, parent ? arena_strndup(r->arena, parent, 2) : NULL)));
}

int api_levels_changes(struct api_ctx *r, const struct route_args *a)
{
	const char *parent = http_query(r->http, "parent");
	struct level_change *c;
	struct vndate d;
	struct unit pu;
	char date[11], before[11];
	size_t n;
	json_t *items;
	int rc;

	(void)a;
	if ((rc = levels_date(r, "date", date)) < 0)
		return rc;
	if (parent && (rc = store_unit_get(r->st, NULL, parent, r->arena, &pu, &r->err)) < 0)
		return rc;
	vndate_parse(date, &d);
	vndate_format_iso(vndate_from_days(vndate_to_days(d) - 7), before, sizeof(before));
	if ((rc = store_level_changes(r->st, parent, date, before, r->arena, &c, &n, &r->err)) < 0)
		return rc;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:s,s:s,s:o,s:o}", "code", c[i].code,
		                      "name", c[i].name, "before", level_json(c[i].before),
		                      "after", level_json(c[i].after)));
	return http_reply_json(r->http, 200, json_pack("{s:s,s:s,s:o}", "date", date,
	                                         "compared_with", before, "items", items));
}

int api_unit_levels(struct api_ctx *r, const struct route_args *a)
{
	struct level_history_entry *e;
	size_t n;
	int64_t limit = 52;
	json_t *items;
	int rc;

	if ((rc = api_query_int(r, "limit", 1, 520, &limit)) < 0)
		return rc;
	if ((rc = store_level_history(r->st, &r->actor, route_arg(a, "code"), (int)limit,
	                              r->arena, &e, &n, &r->err)) < 0)
		return rc;
	items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_pack("{s:s,s:s?,s:s?,s:o,s:s,s:s?,s:s}", "kind", e[i].kind,
		                      "week_end", e[i].week_end, "effective_from", e[i].effective_from,
		                      "level", level_json(e[i].level),
		                      "colour", level_colour(level_known(e[i].level)),
		                      "by", e[i].by, "at", http_time(r->http, e[i].at_ms));

		if (strcmp(e[i].kind, "assessment") == 0) {
			json_object_set_new(o, "rule_set", json_string(e[i].rule_set));
			json_object_set_new(o, "cases_per_100k", e[i].cases_per_100k >= 0
			                    ? json_real(e[i].cases_per_100k) : json_null());
			json_object_set_new(o, "explanation", json_pack("{s:s,s:s}",
			                    "vi", e[i].explanation_vi, "en", e[i].explanation_en));
			json_object_set_new(o, "missing", e[i].missing ? json_string(e[i].missing)
			                                               : json_null());
			json_object_set_new(o, "assumption", json_boolean(e[i].assumption));
		} else {
			json_object_set_new(o, "computed_level", level_json(e[i].computed_level));
			json_object_set_new(o, "reason", e[i].reason ? json_string(e[i].reason)
			                                             : json_null());
			json_object_set_new(o, "source", json_string(e[i].source));
			json_object_set_new(o, "source_url", e[i].source_url ? json_string(e[i].source_url)
			                                                     : json_null());
		}
		json_array_append_new(items, o);
	}
	return http_reply_json(r->http, 200, json_pack("{s:s,s:o}", "unit_code", route_arg(a, "code"),
	                                         "items", items));
}

struct decide_in {
	const char *week_end, *effective_from, *reason;
	int64_t level;
};

static const struct field decide_fields[] = {
	FIELD_DAY("week_end", struct decide_in, week_end, FIELD_REQUIRED),
	FIELD_DAY("effective_from", struct decide_in, effective_from, 0),
	FIELD_TEXT("reason", struct decide_in, reason, FIELD_MULTILINE, 2000),
	FIELD_INT("level", struct decide_in, level, 0, 1, 4, 0),
};

int api_unit_level_decide(struct api_ctx *r, const struct route_args *a)
{
	struct decide_in in;
	struct unit u;
	const char *week_end, *from, *reason;
	char eff[11];
	struct vndate d;
	json_t *doc = NULL;
	int64_t level, id;
	int rc;

	if ((rc = api_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = field_read_json(FIELDS(decide_fields), doc, NULL, api_today(r), &in,
	                          &r->err)) < 0)
		goto out;
	week_end = in.week_end;
	from = in.effective_from;
	reason = in.reason;
	level = in.level;
	vndate_parse(week_end, &d);
	/* By default a week's decision applies from the next day. */
	vndate_format_iso(vndate_from_days(vndate_to_days(d) + 1), eff, sizeof(eff));
	if (from) {
		struct vndate f;
		if (vndate_parse(from, &f) < 0 || vndate_to_days(f) <= vndate_to_days(d)) {
			rc = error_set_at(&r->err, THC_EUNPROCESSABLE, "effective_from",
			               "trường 'effective_from': ngày áp dụng '%.20s' phải sau ngày cuối tuần %s",
			               "field 'effective_from': '%.20s' must be a date after the week's end %s",
			               from, week_end);
			goto out;
		}
		vndate_format_iso(f, eff, sizeof(eff));
	}
	if ((rc = store_level_decide(r->st, &r->actor, route_arg(a, "code"), week_end, eff,
	                             (int)level, reason, &id, &r->err)) < 0 ||
	    (rc = store_unit_get(r->st, &r->actor, route_arg(a, "code"), r->arena, &u, &r->err)) < 0)
		goto out;
	/* The unit's name, so that the answer can be said in words. */
	rc = http_reply_json(r->http, 201, json_pack("{s:I,s:s,s:s,s:s,s:s}", "id", (json_int_t)id,
	                                       "unit_code", route_arg(a, "code"), "unit_name", u.name,
	                                       "week_end", week_end, "effective_from", eff));
out:
	json_decref(doc);
	return rc;
}

int api_levels_import(struct api_ctx *r, const struct route_args *a)
{
	const char *known[API_LEVEL_COLUMNS_MAX], *required[API_LEVEL_COLUMNS_MAX];
	struct level_decision_row *rows = NULL;
	struct csvtab t = { 0 };
	size_t ins = 0;
	int rc;

	(void)a;
	api_levels_columns(known, required);
	if ((rc = csvtab_read_mem(&t, r->http->body.buf, r->http->body.len, known, required, LEVELS_IMPORT_MAX,
	                          &r->err)) < 0)
		goto out;
	rows = arena_alloc(r->arena, (t.n ? t.n : 1) * sizeof(*rows));
	if (rows == NULL) {
		rc = error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		goto out;
	}
	if ((rc = api_levels_rows(&t, rows, api_today(r), &r->err)) < 0)
		goto out;
	if ((rc = store_levels_import(r->st, &r->actor, rows, t.n, &ins, &r->err)) < 0)
		goto out;
	rc = http_reply_json(r->http, 200, json_pack("{s:I,s:I}", "rows", (json_int_t)t.n,
	                                       "inserted", (json_int_t)ins));
out:
	csvtab_release(&t);
	return rc;
}

/* ---- weekly indicators ---- */

#define INDICATOR_ROWS_MAX 20000
#define INDICATOR_COUNT_MAX 100000000LL

static const char *const capacities[] = { "high", "medium", "low", NULL };

/* One unit's week, as a CSV row (columns of `thichung assess`) or a JSON
 * item; the week may come from the body or the ?week_end= parameter. */
static const struct field indicator_fields[] = {
	FIELD_TEXT("unit_code", struct level_indicators, unit_code, FIELD_REQUIRED, UNIT_CODE_MAX),
	FIELD_DAY("week_end", struct level_indicators, week_end, 0),
	FIELD_INT("population", struct level_indicators, population, 0, 1, UNIT_POPULATION_MAX, -1),
	FIELD_INT("cases_week", struct level_indicators, cases_week, 0, 0, INDICATOR_COUNT_MAX, -1),
	FIELD_INT("cases_prev_week", struct level_indicators, cases_prev_week, 0, 0,
	          INDICATOR_COUNT_MAX, -1),
	FIELD_INT("oxygen_cases_week", struct level_indicators, oxygen_cases_week, 0, 0,
	          INDICATOR_COUNT_MAX, -1),
	FIELD_INT("deaths_week", struct level_indicators, deaths_week, 0, 0, INDICATOR_COUNT_MAX, -1),
	FIELD_REAL("vax1_18plus_pct", struct level_indicators, vax1_18plus_pct, 0, 0, 100, -1),
	FIELD_REAL("vaxfull_elderly_pct", struct level_indicators, vaxfull_elderly_pct, 0, 0, 100, -1),
	FIELD_REAL("vaxfull_pct", struct level_indicators, vaxfull_pct, 0, 0, 100, -1),
	FIELD_REAL("vaxfull_highrisk_pct", struct level_indicators, vaxfull_highrisk_pct, 0, 0, 100,
	           -1),
	FIELD_BOOL("capacity_met", struct level_indicators, capacity_met, 0, -1),
	FIELD_ENUM("capacity", struct level_indicators, capacity, 0, capacities, NULL),
};

/* The row's own week, else the body's or the parameter's. */
static int indicators_week(struct level_indicators *x, const char *week_end, int csv,
                           struct error *err)
{
	if (x->week_end == NULL)
		x->week_end = week_end;
	if (x->week_end)
		return 0;
	error_set(err, THC_EUNPROCESSABLE, "thiếu ngày cuối tuần (cột hoặc tham số week_end)",
	          "missing (give the column or the week_end parameter)");
	return error_in_field(err, csv ? "@week_end" : "week_end");
}

/* The row's strings copied to the request's arena: the table or the JSON
 * document they point into is released before the rows are stored. */
static int indicators_keep(struct api_ctx *r, struct level_indicators *x)
{
	x->unit_code = arena_strdup(r->arena, x->unit_code);
	x->week_end = arena_strdup(r->arena, x->week_end);
	x->capacity = x->capacity ? arena_strdup(r->arena, x->capacity) : NULL;
	if (x->unit_code == NULL || x->week_end == NULL)
		return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	return 0;
}

static int indicators_from_csv(struct api_ctx *r, const char *week_end,
                               struct level_indicators **out, size_t *n)
{
	const struct field_set *const sets[] = { FIELDS(indicator_fields) };
	const struct api_csv spec = { sets, 1, sizeof(struct level_indicators),
	                              offsetof(struct level_indicators, line), INDICATOR_ROWS_MAX };
	struct csvtab t;
	void *rows;
	int rc;

	if ((rc = api_csv_rows(r, &spec, &t, &rows)) == 0) {
		*out = rows;
		*n = t.n;
		for (size_t i = 0; i < t.n && rc == 0; i++) {
			if ((rc = indicators_week(&(*out)[i], week_end, 1, &r->err)) < 0)
				error_prefix(&r->err, "dòng %ld: ", "line %ld: ", t.lines[i]);
			else
				rc = indicators_keep(r, &(*out)[i]);
		}
	}
	csvtab_release(&t);
	return rc;
}

struct indicators_body {
	const char *week_end;
};

static const struct field indicators_body_fields[] = {
	FIELD_DAY("week_end", struct indicators_body, week_end, 0),
};

static int indicators_from_json(struct api_ctx *r, const char *week_end,
                                struct level_indicators **out, size_t *n)
{
	struct indicators_body b;
	json_t *doc = NULL, *items, *item;
	size_t i;
	int rc;

	if ((rc = api_body_json(r, &doc)) < 0)
		return rc;
	if ((rc = field_read_json(FIELDS(indicators_body_fields), doc, NULL, api_today(r), &b,
	                          &r->err)) < 0)
		goto out;
	if (b.week_end)
		week_end = b.week_end;    /* kept by indicators_keep */
	items = json_object_get(doc, "items");
	if (!json_is_array(items) || json_array_size(items) > INDICATOR_ROWS_MAX) {
		rc = error_set_at(&r->err, THC_EUNPROCESSABLE, "items",
		               "trường 'items' phải là danh sách (tối đa %d)",
		               "field 'items' must be a list (at most %d)", INDICATOR_ROWS_MAX);
		goto out;
	}
	*out = arena_alloc(r->arena, (json_array_size(items) + 1) * sizeof(**out));
	if (*out == NULL) {
		rc = error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		goto out;
	}
	json_array_foreach(items, i, item) {
		struct level_indicators *x = &(*out)[i];

		x->line = -(long)(i + 1);     /* item i + 1 in errors (store/levels.h) */
		if ((rc = field_read_json_item(FIELDS(indicator_fields), item, "items", i, api_today(r),
		                               x, &r->err)) < 0 ||
		    (rc = indicators_week(x, week_end, 0, &r->err)) < 0 ||
		    (rc = indicators_keep(r, x)) < 0)
			break;
	}
	*n = json_array_size(items);
out:
	json_decref(doc);
	return rc;
}

int api_levels_indicators(struct api_ctx *r, const struct route_args *a)
{
	const char *we = http_query(r->http, "week_end");
	struct level_indicators *rows = NULL;
	struct vndate d;
	size_t n = 0;
	int rc;

	(void)a;
	if (we && vndate_parse(we, &d) < 0)
		return error_set(&r->err, THC_EINVAL,
		                 "tham số 'week_end': '%.20s' không phải ngày YYYY-MM-DD",
		                 "parameter 'week_end': '%.20s' is not a date YYYY-MM-DD", we);
	if (r->json == NULL)     /* the route takes text/csv or JSON */
		rc = indicators_from_csv(r, we, &rows, &n);
	else
		rc = indicators_from_json(r, we, &rows, &n);
	if (rc < 0)
		return rc;
	/* Officials and health workers enter the weekly figures of their units. */
	if ((rc = store_level_indicators_put(r->st, &r->actor,
	                                     ROLE_MASK_OFFICIALS | ROLE_BIT(ROLE_HEALTH_WORKER),
	                                     r->app->levels, rows, n, &r->err)) < 0)
		return rc;
	return http_reply_json(r->http, 200, json_pack("{s:I}", "stored", (json_int_t)n));
}

/* ---- assessment ---- */

static void input_from_indicators(const struct level_indicators *x, int previous,
                                  struct level_input *in)
{
	*in = (struct level_input)LEVEL_INPUT_INIT;
#define SET(field, flag, cond) do { if (cond) { in->field = x->field; in->present |= LEVEL_HAS(flag); } } while (0)
	SET(population, LEVEL_F_POPULATION, x->population > 0);
	SET(cases_week, LEVEL_F_CASES_WEEK, x->cases_week >= 0);
	SET(cases_prev_week, LEVEL_F_CASES_PREV_WEEK, x->cases_prev_week >= 0);
	SET(oxygen_cases_week, LEVEL_F_OXYGEN_CASES_WEEK, x->oxygen_cases_week >= 0);
	SET(deaths_week, LEVEL_F_DEATHS_WEEK, x->deaths_week >= 0);
	SET(vax1_18plus_pct, LEVEL_F_VAX1_18PLUS, x->vax1_18plus_pct >= 0);
	SET(vaxfull_elderly_pct, LEVEL_F_VAXFULL_ELDERLY, x->vaxfull_elderly_pct >= 0);
	SET(vaxfull_pct, LEVEL_F_VAXFULL, x->vaxfull_pct >= 0);
	SET(vaxfull_highrisk_pct, LEVEL_F_VAXFULL_HIGHRISK, x->vaxfull_highrisk_pct >= 0);
	SET(capacity_met, LEVEL_F_CAPACITY_MET, x->capacity_met >= 0);
#undef SET
	if (x->capacity) {
		in->capacity = strcmp(x->capacity, "high") == 0 ? LEVEL_CAPACITY_HIGH
		             : strcmp(x->capacity, "medium") == 0 ? LEVEL_CAPACITY_MEDIUM
		             : LEVEL_CAPACITY_LOW;
		in->present |= LEVEL_HAS(LEVEL_F_CAPACITY);
	}
	if (previous >= 1 && previous <= 4) {
		in->previous_level = previous;
		in->present |= LEVEL_HAS(LEVEL_F_PREVIOUS_LEVEL);
	}
}

static void missing_names(unsigned missing, char *out, size_t outsz)
{
	size_t n = 0;

	out[0] = '\0';
	for (int f = 0; f < LEVEL_F_COUNT; f++) {
		int k;
		if (!(missing & LEVEL_HAS(f)))
			continue;
		k = snprintf(out + n, outsz - n, "%s%s", n ? "," : "", level_field_name((enum level_field)f));
		if (k < 0 || (size_t)k >= outsz - n)
			break;
		n += (size_t)k;
	}
}

static enum level_scope scope_of(const char *unit_level)
{
	return strcmp(unit_level, "province") == 0 ? LEVEL_SCOPE_PROVINCE
	     : strcmp(unit_level, "district") == 0 ? LEVEL_SCOPE_DISTRICT
	     : LEVEL_SCOPE_COMMUNE;
}

/*
 * One week's assessment as a tree (domain/level_tree.c): the rows, and
 * for a row whose rule set takes its level from the units below, those of
 * its children that have no row (they count as unknown, as in `thichung
 * assess`).  Nodes beyond n are such children.
 */
struct assess_run {
	size_t n, nodes, cap;
	const char **code;               /* by node */
	int *parent;
	enum level_scope *scope;
	const struct level_rules **rules;
	const struct level_input **in;
	struct level_input *inputs;      /* the rows' */
	int *levels, *scratch;
	struct level_tree *tree;
};

static int code_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The node of a unit code among the sorted codes, or -1. */
static int assess_node(const char **sorted, const int *node_of, size_t n, const char *code)
{
	const char **hit = code ? bsearch(&code, sorted, n, sizeof(*sorted), code_cmp) : NULL;

	return hit ? node_of[hit - sorted] : -1;
}

static int assess_grow(struct api_ctx *r, struct assess_run *t, size_t need)
{
	size_t cap = 2 * need;
	const char **code;
	int *parent;
	enum level_scope *scope;
	const struct level_rules **rules;
	const struct level_input **in;

	if (need <= t->cap)
		return 0;
	code = arena_alloc(r->arena, cap * sizeof(*code));
	parent = arena_alloc(r->arena, cap * sizeof(*parent));
	scope = arena_alloc(r->arena, cap * sizeof(*scope));
	rules = arena_alloc(r->arena, cap * sizeof(*rules));
	in = arena_alloc(r->arena, cap * sizeof(*in));

	if (!code || !parent || !scope || !rules || !in)
		return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	if (t->nodes) {
		memcpy(code, t->code, t->nodes * sizeof(*code));
		memcpy(parent, t->parent, t->nodes * sizeof(*parent));
		memcpy(scope, t->scope, t->nodes * sizeof(*scope));
		memcpy(rules, t->rules, t->nodes * sizeof(*rules));
		memcpy(in, t->in, t->nodes * sizeof(*in));
	}
	t->code = code;
	t->parent = parent;
	t->scope = scope;
	t->rules = rules;
	t->in = in;
	t->cap = cap;
	return 0;
}

/* Adds the children without a row of an aggregating row i. */
static int assess_add_children(struct api_ctx *r, struct assess_run *t, size_t i,
                               const char **sorted, const int *node_of)
{
	struct unit_query q = { .parent = t->code[i], .limit = 1000 };
	struct unit_page page;
	int rc;

	if ((rc = store_units_list(r->st, &r->actor, &q, r->arena, &page, &r->err)) < 0)
		return rc;
	for (size_t k = 0; k < page.n; k++) {
		const struct unit *u = &page.items[k];

		if (!unit_level_is_public((enum unit_level)unit_level_from_name(u->level)) ||
		    assess_node(sorted, node_of, t->n, u->code) >= 0)
			continue;
		if ((rc = assess_grow(r, t, t->nodes + 1)) < 0)
			return rc;
		t->code[t->nodes] = u->code;
		t->parent[t->nodes] = (int)i;
		t->scope[t->nodes] = scope_of(u->level);
		t->rules[t->nodes] = NULL;
		t->in[t->nodes] = NULL;
		t->nodes++;
	}
	return 0;
}

/* The tree of the rows (rules already chosen), and every node's level. */
static int assess_tree(struct api_ctx *r, const struct level_indicators *rows, size_t n,
                       const struct level_rules **row_rules, struct assess_run *t,
                       struct level_result *res)
{
	const char **sorted = arena_alloc(r->arena, (n + 1) * sizeof(*sorted));
	int *node_of = arena_alloc(r->arena, (n + 1) * sizeof(*node_of));
	int rc;

	memset(t, 0, sizeof(*t));
	t->n = n;
	t->inputs = arena_alloc(r->arena, (n + 1) * sizeof(*t->inputs));
	if (!sorted || !node_of || !t->inputs || (rc = assess_grow(r, t, n + 1)) < 0)
		return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	for (size_t i = 0; i < n; i++) {
		int previous = 0;

		sorted[i] = rows[i].unit_code;
		t->code[i] = rows[i].unit_code;
		t->scope[i] = scope_of(rows[i].unit_level);
		t->rules[i] = row_rules[i];
		if ((rc = store_level_previous(r->st, rows[i].unit_code, rows[i].week_end, &previous,
		                               &r->err)) < 0)
			return rc;
		input_from_indicators(&rows[i], previous, &t->inputs[i]);
		t->in[i] = &t->inputs[i];
	}
	qsort(sorted, n, sizeof(*sorted), code_cmp);
	for (size_t i = 0; i < n; i++) {
		const char *c = rows[i].unit_code, **hit = bsearch(&c, sorted, n, sizeof(*sorted),
		                                                   code_cmp);
		node_of[hit - sorted] = (int)i;
	}
	t->nodes = n;
	for (size_t i = 0; i < n; i++)
		t->parent[i] = assess_node(sorted, node_of, n, rows[i].parent_code);
	for (size_t i = 0; i < n; i++)
		if (level_rules_scope_method(row_rules[i], t->scope[i]) == LEVEL_CHILDREN_LEVELS &&
		    (rc = assess_add_children(r, t, i, sorted, node_of)) < 0)
			return rc;
	if ((rc = level_tree_new(&t->tree, t->parent, t->scope, t->nodes, &r->err)) < 0)
		return rc;
	t->levels = arena_alloc(r->arena, (t->nodes + 1) * sizeof(*t->levels));
	t->scratch = arena_alloc(r->arena, (level_tree_max_children(t->tree) + 1) *
	                         sizeof(*t->scratch));
	if (t->levels == NULL || t->scratch == NULL)
		return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	level_tree_assess(t->tree, t->rules, t->in, t->levels, t->scratch, res);
	return 0;
}

/* The public units directly below `unit` (children first) and the unit
 * itself, with the indicators the stored records give for the ISO week:
 * community cases of the week and the week before, oxygen cases and deaths
 * (no figures for a week means no case), population from the units,
 * vaccination and capacity from the weekly coverage. */
static int indicators_from_surveillance(struct api_ctx *r, const char *unit, struct vndate d,
                                        const char *week_end, struct level_indicators **out,
                                        size_t *n)
{
	struct unit_query q = { .parent = unit, .limit = 1000 };
	struct unit_page page;
	struct unit self, *path;
	char prev[11];
	size_t np, k = 0;
	int rc;

	if (vndate_weekday(vndate_to_days(d)) != 7)
		return error_set_at(&r->err, THC_EUNPROCESSABLE, "week_end",
		                 "trường 'week_end': số liệu giám sát tính theo tuần thứ Hai–Chủ nhật, '%s' phải là Chủ nhật",
		                 "field 'week_end': surveillance figures are counted in Monday–Sunday weeks, '%s' must be a Sunday",
		                 week_end);
	vndate_format_iso(vndate_from_days(vndate_to_days(d) - 7), prev, sizeof(prev));
	if ((rc = store_unit_get(r->st, &r->actor, unit, r->arena, &self, &r->err)) < 0 ||
	    (rc = store_unit_path(r->st, &r->actor, unit, r->arena, &path, &np, &r->err)) < 0 ||
	    (rc = store_units_list(r->st, &r->actor, &q, r->arena, &page, &r->err)) < 0)
		return rc;
	if (!unit_level_is_public((enum unit_level)unit_level_from_name(self.level)))
		return error_set_at(&r->err, THC_EUNPROCESSABLE, "unit",
		                 "trường 'unit': cấp độ dịch đánh giá cho xã, huyện, tỉnh; '%s' là %s",
		                 "field 'unit': levels are assessed for communes, districts and provinces; '%s' is a %s",
		                 unit, self.level);
	*out = arena_alloc(r->arena, (page.n + 1) * sizeof(**out));
	if (*out == NULL)
		return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	for (size_t i = 0; i <= page.n; i++) {
		const struct unit *u = i < page.n ? &page.items[i] : &self;
		struct level_indicators *x = &(*out)[k];
		struct case_week *w;
		size_t nw;
		int64_t pop = -1;

		if (!unit_level_is_public((enum unit_level)unit_level_from_name(u->level)))
			continue;       /* hamlets have no level of their own */
		memset(x, 0, sizeof(*x));
		field_defaults(FIELDS(indicator_fields), x);
		x->unit_code = u->code;
		x->week_end = week_end;
		x->parent_code = u->parent_code;
		x->unit_level = u->level;
		x->province = np ? path[0].code : u->code;
		x->population = u->population > 0 ? u->population : -1;
		x->line = (long)k + 1;
		x->cases_week = x->cases_prev_week = x->oxygen_cases_week = x->deaths_week = 0;
		if ((rc = store_cases_weekly(r->st, u->code, prev, week_end, r->arena, &w, &nw,
		                             &pop, &r->err)) < 0)
			return rc;
		for (size_t j = 0; j < nw; j++) {
			if (strcmp(w[j].week_end, week_end) == 0) {
				x->cases_week = w[j].community;
				x->oxygen_cases_week = w[j].oxygen;
				x->deaths_week = w[j].deaths;
			} else if (strcmp(w[j].week_end, prev) == 0) {
				x->cases_prev_week = w[j].community;
			}
		}
		if ((rc = api_levels_reported(r, x, prev, &x->reported)) < 0 ||
		    (rc = store_level_inputs_from_coverage(r->st, u->code, week_end, x, &r->err)) < 0)
			return rc;
		k++;
	}
	*n = k;
	return 0;
}

struct assess_in {
	const char *week_end, *unit, *rules, *source;
};

static const char *const assess_sources[] = { "indicators", "surveillance", NULL };

static const struct field assess_fields[] = {
	FIELD_DAY("week_end", struct assess_in, week_end, FIELD_REQUIRED),
	FIELD_TEXT("unit", struct assess_in, unit, FIELD_REQUIRED, UNIT_CODE_MAX),
	FIELD_TEXT("rules", struct assess_in, rules, 0, LEVEL_ID_MAX),
	FIELD_ENUM("source", struct assess_in, source, 0, assess_sources, NULL),
};

int api_levels_assess(struct api_ctx *r, const struct route_args *a)
{
	struct assess_in in;
	const struct level_catalog *cat = r->app->levels;
	const char *week_end, *unit, *rules_id, *source;
	struct level_indicators *rows;
	struct level_assessment *out;
	struct level_result *res;
	const struct level_rules **row_rules;
	struct assess_run run = { 0 };
	struct vndate d;
	json_t *doc = NULL, *items;
	size_t n;
	int rc;

	(void)a;
	if ((rc = api_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = field_read_json(FIELDS(assess_fields), doc, NULL, api_today(r), &in,
	                          &r->err)) < 0)
		goto out;
	week_end = in.week_end;
	unit = in.unit;
	rules_id = in.rules;
	source = in.source;
	vndate_parse(week_end, &d);
	if (cat == NULL) {
		rc = error_set(&r->err, THC_EUNAVAILABLE, "chưa nạp bộ quy tắc cấp độ",
		               "no level rule sets are loaded");
		goto out;
	}
	if (rules_id && level_catalog_get(cat, rules_id) == NULL) {
		rc = error_set_at(&r->err, THC_EUNPROCESSABLE, "rules", "trường 'rules': không có bộ quy tắc '%.64s'",
		               "field 'rules': no rule set '%.64s'", rules_id);
		goto out;
	}
	if ((rc = store_scope_check(r->st, &r->actor, unit,
	                            ROLE_MASK_OFFICIALS | ROLE_BIT(ROLE_HEALTH_WORKER), &r->err)) < 0)
		goto out;
	if (source && strcmp(source, "surveillance") == 0)
		rc = indicators_from_surveillance(r, unit, d, week_end, &rows, &n);
	else
		rc = store_level_indicators_list(r->st, &r->actor, unit, week_end, r->arena,
		                                 &rows, &n, &r->err);
	if (rc < 0)
		goto out;
	res = arena_alloc(r->arena, sizeof(*res));
	out = arena_alloc(r->arena, (n + 1) * sizeof(*out));
	row_rules = arena_alloc(r->arena, (n + 1) * sizeof(*row_rules));
	if (res == NULL || out == NULL || row_rules == NULL) {
		rc = error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		row_rules[i] = rules_id ? level_catalog_get(cat, rules_id) : NULL;
		if (row_rules[i] == NULL &&
		    (rc = level_catalog_pick(cat, rows[i].province, vndate_to_days(d), &row_rules[i],
		                             &r->err)) < 0)
			goto out;
		if (source && strcmp(source, "surveillance") == 0 &&
		    level_rules_first_weekday(row_rules[i]) != 1) {
			rc = error_set(&r->err, THC_EUNPROCESSABLE,
			               "bộ quy tắc '%s' tính tuần từ ngày khác thứ Hai: hãy nạp chỉ số tuần (source indicators)",
			               "rule set '%s' counts weeks from another day than Monday: upload weekly indicators (source indicators)",
			               level_rules_id(row_rules[i]));
			goto out;
		}
	}
	if ((rc = assess_tree(r, rows, n, row_rules, &run, res)) < 0)
		goto out;
	items = json_array();
	for (size_t i = 0; i < n; i++) {
		char missing[256];

		if ((rc = level_tree_result(run.tree, run.rules, run.in, run.levels, i, 0, run.scratch,
		                            res)) < 0) {
			json_decref(items);
			error_set(&r->err, rc, "không đánh giá được '%s'", "cannot assess '%s'",
			          rows[i].unit_code);
			goto out;
		}
		missing_names(res->missing, missing, sizeof(missing));
		out[i] = (struct level_assessment){
			.unit_code = rows[i].unit_code, .week_end = week_end,
			.rule_set = level_rules_id(row_rules[i]), .level = res->level,
			.cases_per_100k = res->cases_per_100k,
			.explanation_vi = arena_strdup(r->arena, res->explain_vi),
			.explanation_en = arena_strdup(r->arena, res->explain_en),
			.missing = missing[0] ? arena_strdup(r->arena, missing) : NULL,
			.assumption = res->assumption,
		};
		json_array_append_new(items, json_pack("{s:s,s:o,s:s,s:o,s:s,s:{s:s,s:s},s:s?,s:b,s:s}",
		        "unit_code", rows[i].unit_code, "level", level_json(res->level),
		        "colour", level_colour(level_known(res->level)),
		        "cases_per_100k", res->cases_per_100k >= 0 ? json_real(res->cases_per_100k)
		                                                   : json_null(),
		        "rule_set", level_rules_id(row_rules[i]),
		        "explanation", "vi", res->explain_vi, "en", res->explain_en,
		        "missing", out[i].missing, "assumption", res->assumption,
		        "figures", !source || strcmp(source, "surveillance") != 0 ? "indicators"
		                   : rows[i].reported == 3 ? "reported"
		                   : rows[i].reported ? "mixed" : "counted"));
	}
	if ((rc = store_level_assessments_put(r->st, &r->actor, out, n, &r->err)) < 0) {
		json_decref(items);
		goto out;
	}
	rc = http_reply_json(r->http, 200, json_pack("{s:s,s:s,s:o}", "unit", unit, "week_end", week_end,
	                                       "items", items));
out:
	level_tree_free(run.tree);
	json_decref(doc);
	return rc;
}
