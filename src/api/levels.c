/*
 * Epidemic levels over HTTP: the public map data (levels in force on a
 * date), a unit's history, decisions with reasons, published-level imports,
 * weekly indicators.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "base/csvtab.h"
#include "base/parse.h"
#include "base/vntime.h"
#include "domain/role.h"
#include "base/banned.h"

#define LEVELS_IMPORT_MAX 20000

static const struct {
	const char *colour, *vi, *en;
} level_names[5] = {
	{ "grey",   "Chưa đánh giá",  "Not assessed" },
	{ "green",  "Nguy cơ thấp",   "Low risk (new normal)" },
	{ "yellow", "Nguy cơ trung bình", "Medium risk" },
	{ "orange", "Nguy cơ cao",    "High risk" },
	{ "red",    "Nguy cơ rất cao", "Very high risk" },
};

/* Turns a table of published levels into rows; errors name line and column. */
int api_levels_rows(const struct csvtab *t, struct level_decision_row *rows,
                    struct error *err)
{
	for (size_t i = 0; i < t->n; i++) {
		const char *date = csvtab_get(t, i, "date"), *lv = csvtab_get(t, i, "level");
		struct vndate d;
		int64_t level;

		if (vndate_parse(date, &d) < 0)
			return error_set(err, THC_EUNPROCESSABLE,
			                 "dòng %ld: cột 'date': '%.20s' không phải ngày YYYY-MM-DD",
			                 "line %ld: column 'date': '%.20s' is not a date YYYY-MM-DD",
			                 t->lines[i], date);
		if (parse_int64(lv, 1, 4, &level) < 0)
			return error_set(err, THC_EUNPROCESSABLE,
			                 "dòng %ld: cột 'level': '%.20s' phải là 1, 2, 3 hoặc 4",
			                 "line %ld: column 'level': '%.20s' must be 1, 2, 3 or 4",
			                 t->lines[i], lv);
		rows[i].unit_code = csvtab_get(t, i, "unit_code");
		rows[i].effective_from = date;
		rows[i].level = (int)level;
		rows[i].source_url = csvtab_get(t, i, "source");
		if (rows[i].source_url && rows[i].source_url[0] == '\0')
			rows[i].source_url = NULL;
		rows[i].line = t->lines[i];
	}
	return 0;
}

const char *const api_levels_known[] = { "date", "unit_code", "unit_name", "level", "listed",
                                         "source", NULL };
const char *const api_levels_required[] = { "date", "unit_code", "level", NULL };


int api_measures_parse(const char *text, size_t len, char *out[5], struct error *err)
{
	json_error_t je;
	json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	int rc = 0;

	for (int l = 0; l < 5; l++)
		out[l] = NULL;
	if (doc == NULL)
		return error_set(err, THC_EINVAL, "JSON không hợp lệ ở dòng %d, cột %d: %s",
		                 "malformed JSON at line %d, column %d: %s", je.line, je.column, je.text);
	for (int l = 1; l <= 4 && rc == 0; l++) {
		char key[2] = { (char)('0' + l), 0 };
		json_t *arr = json_object_get(doc, key), *m;
		size_t i;

		if (!json_is_array(arr)) {
			rc = error_set(err, THC_EUNPROCESSABLE, "trường '%s' phải là danh sách biện pháp",
			               "field '%s' must be a list of measures", key);
			break;
		}
		json_array_foreach(arr, i, m) {
			if (!json_is_object(m) || !json_is_string(json_object_get(m, "area")) ||
			    !json_is_string(json_object_get(m, "vi")) ||
			    !json_is_string(json_object_get(m, "en"))) {
				rc = error_set(err, THC_EUNPROCESSABLE,
				               "trường '%s[%zu]' cần các chuỗi 'area', 'vi' và 'en'",
				               "field '%s[%zu]' needs the strings 'area', 'vi' and 'en'", key, i);
				break;
			}
		}
		if (rc == 0 && (out[l] = json_dumps(arr, JSON_COMPACT)) == NULL)
			rc = error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	}
	json_decref(doc);
	if (rc < 0)
		for (int l = 0; l < 5; l++) {
			free(out[l]);
			out[l] = NULL;
		}
	return rc;
}

/* Today in Việt Nam as YYYY-MM-DD, or the `date` parameter. */
static int levels_date(struct req *r, const char *name, char out[11])
{
	const char *v = http_query(r, name);
	struct vndate d;

	if (v == NULL) {
		d = vndate_from_days(vntime_day_of(r->start_ms / 1000));
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

/* The four levels with colours, names and the measures that apply in the
 * province (or nationally). */
static json_t *levels_legend(struct req *r, const char *province)
{
	const char *measures[5];
	struct error ignore = ERROR_INIT;
	json_t *a = json_array();

	if (store_measures_get(r->st, province, &r->arena, measures, &ignore) < 0)
		for (int l = 0; l < 5; l++)
			measures[l] = NULL;
	for (int l = 1; l <= 4; l++) {
		json_t *m = measures[l] ? json_loads(measures[l], 0, NULL) : NULL;
		json_array_append_new(a, json_pack("{s:i,s:s,s:{s:s,s:s},s:o}", "level", l,
		                      "colour", level_names[l].colour, "name",
		                      "vi", level_names[l].vi, "en", level_names[l].en,
		                      "measures", m ? m : json_array()));
	}
	return a;
}

int api_levels_map(struct req *r, const struct route_args *a)
{
	const char *parent = http_query(r, "parent");
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
		if ((rc = store_unit_get(r->st, NULL, parent, &r->arena, &pu, &r->err)) < 0)
			return rc;
		pj = json_pack("{s:s,s:s,s:s}", "code", pu.code, "name", pu.name, "level", pu.level);
	}
	if ((rc = store_levels_in_force(r->st, parent, date, &r->arena, &v, &n, &r->err)) < 0) {
		json_decref(pj);
		return rc;
	}
	items = json_array();
	for (size_t i = 0; i < n; i++) {
		int l = v[i].level >= 1 && v[i].level <= 4 ? v[i].level : 0;

		counts[l]++;
		json_array_append_new(items, json_pack("{s:s,s:s,s:s,s:o,s:s,s:s?,s:s?,s:s?}",
		        "code", v[i].code, "name", v[i].name, "unit_level", v[i].unit_level,
		        "level", level_json(l), "colour", level_names[l].colour,
		        "effective_from", v[i].effective_from, "week_end", v[i].week_end,
		        "source", v[i].source));
	}
	return http_reply_json(r, 200, json_pack("{s:s,s:o,s:o,s:{s:I,s:I,s:I,s:I,s:I},s:o}",
	        "date", date, "parent", pj, "items", items, "counts",
	        "1", (json_int_t)counts[1], "2", (json_int_t)counts[2], "3", (json_int_t)counts[3],
	        "4", (json_int_t)counts[4], "none", (json_int_t)counts[0],
	        "legend", levels_legend(r, parent ? arena_strndup(&r->arena, parent, 2) : NULL)));
}

int api_levels_changes(struct req *r, const struct route_args *a)
{
	const char *parent = http_query(r, "parent");
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
	if (parent && (rc = store_unit_get(r->st, NULL, parent, &r->arena, &pu, &r->err)) < 0)
		return rc;
	vndate_parse(date, &d);
	vndate_format_iso(vndate_from_days(vndate_to_days(d) - 7), before, sizeof(before));
	if ((rc = store_level_changes(r->st, parent, date, before, &r->arena, &c, &n, &r->err)) < 0)
		return rc;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:s,s:s,s:o,s:o}", "code", c[i].code,
		                      "name", c[i].name, "before", level_json(c[i].before),
		                      "after", level_json(c[i].after)));
	return http_reply_json(r, 200, json_pack("{s:s,s:s,s:o}", "date", date,
	                                         "compared_with", before, "items", items));
}

int api_unit_levels(struct req *r, const struct route_args *a)
{
	struct level_history_entry *e;
	size_t n;
	int64_t limit = 52;
	json_t *items;
	int rc;

	if ((rc = api_query_int(r, "limit", 1, 520, &limit)) < 0)
		return rc;
	if ((rc = store_level_history(r->st, &r->actor, route_arg(a, "code"), (int)limit,
	                              &r->arena, &e, &n, &r->err)) < 0)
		return rc;
	items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_pack("{s:s,s:s?,s:s?,s:o,s:s,s:s?,s:s}", "kind", e[i].kind,
		                      "week_end", e[i].week_end, "effective_from", e[i].effective_from,
		                      "level", level_json(e[i].level),
		                      "colour", level_names[e[i].level >= 1 && e[i].level <= 4 ? e[i].level : 0].colour,
		                      "by", e[i].by, "at", http_time(r, e[i].at_ms));

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
	return http_reply_json(r, 200, json_pack("{s:s,s:o}", "unit_code", route_arg(a, "code"),
	                                         "items", items));
}

int api_unit_level_decide(struct req *r, const struct route_args *a)
{
	const char *week_end, *from, *reason;
	char eff[11];
	struct vndate d;
	json_t *doc = NULL;
	int64_t level = 0, id;
	int rc;

	if ((rc = http_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = json_field_string(doc, "week_end", 1, 10, &week_end, &r->err)) < 0 ||
	    (rc = json_field_string(doc, "effective_from", 0, 10, &from, &r->err)) < 0 ||
	    (rc = json_field_string(doc, "reason", 0, 2000, &reason, &r->err)) < 0 ||
	    (rc = json_field_int(doc, "level", 0, 1, 4, &level, &r->err)) < 0)
		goto out;
	if (vndate_parse(week_end, &d) < 0) {
		rc = error_set(&r->err, THC_EUNPROCESSABLE,
		               "trường 'week_end': '%.20s' không phải ngày YYYY-MM-DD",
		               "field 'week_end': '%.20s' is not a date YYYY-MM-DD", week_end);
		goto out;
	}
	/* By default a week's decision applies from the next day. */
	vndate_format_iso(vndate_from_days(vndate_to_days(d) + 1), eff, sizeof(eff));
	if (from) {
		struct vndate f;
		if (vndate_parse(from, &f) < 0 || vndate_to_days(f) <= vndate_to_days(d)) {
			rc = error_set(&r->err, THC_EUNPROCESSABLE,
			               "trường 'effective_from': '%.20s' phải là ngày sau week_end",
			               "field 'effective_from': '%.20s' must be a date after week_end", from);
			goto out;
		}
		vndate_format_iso(f, eff, sizeof(eff));
	}
	if ((rc = store_level_decide(r->st, &r->actor, route_arg(a, "code"), week_end, eff,
	                             (int)level, reason, &id, &r->err)) < 0)
		goto out;
	rc = http_reply_json(r, 201, json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)id,
	                                       "unit_code", route_arg(a, "code"),
	                                       "week_end", week_end, "effective_from", eff));
out:
	json_decref(doc);
	return rc;
}

int api_levels_import(struct req *r, const struct route_args *a)
{
	const char *ct = http_header(r, "Content-Type");
	struct level_decision_row *rows = NULL;
	struct csvtab t = { 0 };
	size_t ins = 0;
	int rc;

	(void)a;
	if (ct == NULL || strncmp(ct, "text/csv", 8) != 0)
		return error_set(&r->err, THC_EMEDIATYPE,
		                 "nội dung phải là CSV (Content-Type: text/csv)",
		                 "the body must be CSV (Content-Type: text/csv)");
	if ((rc = csvtab_read_mem(&t, r->body.buf, r->body.len, api_levels_known,
	                          api_levels_required, LEVELS_IMPORT_MAX, &r->err)) < 0)
		goto out;
	rows = arena_alloc(&r->arena, (t.n ? t.n : 1) * sizeof(*rows));
	if (rows == NULL) {
		rc = error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		goto out;
	}
	if ((rc = api_levels_rows(&t, rows, &r->err)) < 0)
		goto out;
	if ((rc = store_levels_import(r->st, &r->actor, rows, t.n, &ins, &r->err)) < 0)
		goto out;
	rc = http_reply_json(r, 200, json_pack("{s:I,s:I}", "rows", (json_int_t)t.n,
	                                       "inserted", (json_int_t)ins));
out:
	csvtab_release(&t);
	return rc;
}
