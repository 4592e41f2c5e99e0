/*
 * Excel reports (api/xlsx.c writes them):
 *   GET /api/v1/levels.xlsx?date=&parent=  the units by level on a day, as
 *       the public level map lists them;
 *   GET /api/v1/reports/situation.xlsx?unit=&week_end=  the weekly situation
 *       of a province or district, one row per unit below it: level, cases,
 *       community cases per 100,000, vaccination, overdue isolations, zones
 *       (officials in scope: the isolations are counted within their scope).
 */
#include <string.h>

#include "api/api.h"
#include "base/vntime.h"
#include "domain/level.h"
#include "domain/role.h"
#include "domain/unit.h"
#include "base/banned.h"

/* ?name=YYYY-MM-DD, today when absent; with sunday, the Sunday ending it
 * must be that day. */
static int reports_day(struct api_ctx *r, const char *name, int sunday, char out[11])
{
	const char *s = http_query(r->http, name);
	struct vndate d;
	int32_t day = api_today(r);

	if (s && vndate_parse(s, &d) < 0)
		return error_set_at(&r->err, THC_EINVAL, name,
		                    "tham số '%s' phải là ngày YYYY-MM-DD", "parameter '%s' must be a date "
		                    "YYYY-MM-DD", name);
	if (s)
		day = vndate_to_days(d);
	if (sunday && s && vndate_week_end(day, 1) != day)
		return error_set_at(&r->err, THC_EINVAL, name,
		                    "tham số '%s' phải là chủ nhật, ngày cuối tuần",
		                    "parameter '%s' must be a Sunday, the end of a week", name);
	if (sunday)
		day = vndate_week_end(day, 1);
	vndate_format_iso(vndate_from_days(day), out, 11);
	return 0;
}

static json_t *reports_level(int level)
{
	return level >= 1 && level <= 4 ? json_integer(level) : json_null();
}

static const char *reports_unit_level(const char *name)
{
	int l = unit_level_from_name(name);

	return l < 0 ? name : unit_level_title((enum unit_level)l, 0);
}

static const struct api_xlsx_col levels_cols[] = {
	{ "code", "Mã đơn vị", API_XLSX_TEXT },
	{ "name", "Tên đơn vị", API_XLSX_TEXT },
	{ "unit_level", "Cấp hành chính", API_XLSX_TEXT },
	{ "level", "Cấp độ dịch", API_XLSX_INT },
	{ "level_name", "Tên cấp độ", API_XLSX_TEXT },
	{ "effective_from", "Hiệu lực từ", API_XLSX_DATE },
	{ "week_end", "Tuần đánh giá (kết thúc)", API_XLSX_DATE },
	{ "date", "Ngày xem", API_XLSX_DATE },
};

int api_levels_xlsx(struct api_ctx *r, const struct route_args *a)
{
	const char *parent = http_query(r->http, "parent");
	struct level_in_force *v;
	struct unit pu;
	char date[11];
	size_t n;
	json_t *items;
	int rc;

	(void)a;
	if ((rc = reports_day(r, "date", 0, date)) < 0)
		return rc;
	if (parent && (rc = store_unit_get(r->st, NULL, parent, r->arena, &pu, &r->err)) < 0)
		return rc;
	if ((rc = store_levels_in_force(r->st, parent, date, r->arena, &v, &n, &r->err)) < 0)
		return rc;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:s,s:s,s:s,s:o,s:s,s:s?,s:s?,s:s}",
		        "code", v[i].code, "name", v[i].name,
		        "unit_level", reports_unit_level(v[i].unit_level),
		        "level", reports_level(v[i].level),
		        "level_name", v[i].level >= 1 && v[i].level <= 4 ? level_name(v[i].level, 0)
		                                                         : "chưa công bố",
		        "effective_from", v[i].effective_from, "week_end", v[i].week_end,
		        "date", date));
	return api_reply_xlsx(r, "Cấp độ dịch", "cap-do-dich.xlsx", levels_cols,
	                      ARRAY_SIZE(levels_cols), items);
}

static const struct api_xlsx_col situation_cols[] = {
	{ "code", "Mã đơn vị", API_XLSX_TEXT },
	{ "name", "Tên đơn vị", API_XLSX_TEXT },
	{ "unit_level", "Cấp hành chính", API_XLSX_TEXT },
	{ "level", "Cấp độ dịch", API_XLSX_INT },
	{ "population", "Dân số", API_XLSX_INT },
	{ "cases", "Ca mắc trong tuần", API_XLSX_INT },
	{ "community_cases", "Ca cộng đồng", API_XLSX_INT },
	{ "per100k", "Ca cộng đồng / 100.000 dân", API_XLSX_DEC1 },
	{ "prev_cases", "Ca mắc tuần trước", API_XLSX_INT },
	{ "full_dose", "Tiêm đủ liều 18+ (%)", API_XLSX_DEC1 },
	{ "overdue", "Cách ly quá hạn theo dõi", API_XLSX_INT },
	{ "zones", "Vùng phong tỏa", API_XLSX_INT },
	{ "week_end", "Tuần kết thúc", API_XLSX_DATE },
};

/* Full-dose coverage of the 18+ group for the unit-week, or null. */
static json_t *situation_vaccination(struct api_ctx *r, const char *code, const char *we)
{
	struct vaccination_row *v;
	struct error ignore = ERROR_INIT;
	size_t n;

	if (store_vaccination_get(r->st, &r->actor, code, we, r->arena, &v, &n, &ignore) < 0)
		return json_null();
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].age_group, "18+") == 0 && v[i].population > 0)
			return json_real((double)(int64_t)((double)v[i].full_dose * 1000.0 /
			                                   (double)v[i].population + 0.5) / 10.0);
	return json_null();
}

struct situation {
	struct child_week *c;
	size_t nc;
	struct level_in_force *lv;
	size_t nl;
	struct zone_count *z;
	size_t nz;
	struct isolation_rollup *iso;
	size_t ni;
};

static int situation_read(struct api_ctx *r, const char *unit, const char *we, struct situation *s)
{
	struct isolation_query q = { .unit = unit, .hours = ISOLATION_OVERDUE_HOURS_DEFAULT,
	                             .spo2_below = ISOLATION_SPO2_BELOW_DEFAULT };
	char prev[11];
	struct vndate d;
	int64_t total;
	int rc;

	vndate_parse(we, &d);
	vndate_format_iso(vndate_from_days(vndate_to_days(d) - 7), prev, sizeof(prev));
	if ((rc = store_children_week(r->st, unit, we, prev, r->arena, &s->c, &s->nc, &r->err)) < 0 ||
	    (rc = store_levels_in_force(r->st, unit, we, r->arena, &s->lv, &s->nl, &r->err)) < 0 ||
	    (rc = store_zones_count(r->st, unit, we, r->arena, &total, &s->z, &s->nz, &r->err)) < 0)
		return rc;
	return store_isolations_rollup(r->st, &r->actor, &q, r->arena, &s->iso, &s->ni, &r->err);
}

static json_t *situation_row(struct api_ctx *r, const struct situation *s, size_t i, const char *we)
{
	const struct child_week *c = &s->c[i];
	int level = 0;
	int64_t zones = 0, overdue = 0;

	for (size_t k = 0; k < s->nl; k++)
		if (strcmp(s->lv[k].code, c->code) == 0)
			level = s->lv[k].level;
	for (size_t k = 0; k < s->nz; k++)
		if (strcmp(s->z[k].code, c->code) == 0)
			zones = s->z[k].active;
	for (size_t k = 0; k < s->ni; k++)
		if (strcmp(s->iso[k].code, c->code) == 0)
			overdue = s->iso[k].overdue;
	return json_pack("{s:s,s:s,s:s,s:o,s:o,s:I,s:I,s:o,s:I,s:o,s:I,s:I,s:s}",
	        "code", c->code, "name", c->name, "unit_level", reports_unit_level(c->level),
	        "level", reports_level(level),
	        "population", c->population >= 0 ? json_integer(c->population) : json_null(),
	        "cases", (json_int_t)c->cases, "community_cases", (json_int_t)c->community,
	        "per100k", c->population > 0
	                   ? json_real((double)(int64_t)((double)c->community * 1e6 /
	                                                 (double)c->population + 0.5) / 10.0)
	                   : json_null(),
	        "prev_cases", (json_int_t)c->prev_cases,
	        "full_dose", situation_vaccination(r, c->code, we),
	        "overdue", (json_int_t)overdue, "zones", (json_int_t)zones, "week_end", we);
}

int api_situation_xlsx(struct api_ctx *r, const struct route_args *a)
{
	const char *unit = http_query(r->http, "unit");
	struct situation s = { 0 };
	struct unit u;
	char we[11], file[64];
	json_t *items;
	int rc;

	(void)a;
	if (unit == NULL)
		return error_set_at(&r->err, THC_EINVAL, "unit", "cần tham số 'unit'",
		                    "parameter 'unit' is required");
	if ((rc = reports_day(r, "week_end", 1, we)) < 0)
		return rc;
	if ((rc = store_scope_check(r->st, &r->actor, unit, ROLE_MASK_OFFICIALS, &r->err)) < 0 ||
	    (rc = store_unit_get(r->st, &r->actor, unit, r->arena, &u, &r->err)) < 0)
		return rc;
	if (strcmp(u.level, "province") != 0 && strcmp(u.level, "district") != 0)
		return error_set_at(&r->err, THC_EUNPROCESSABLE, "unit",
		                    "'%s' phải là tỉnh hoặc huyện", "'%s' must be a province or district",
		                    unit);
	if ((rc = situation_read(r, unit, we, &s)) < 0)
		return rc;
	items = json_array();
	for (size_t i = 0; i < s.nc; i++)
		json_array_append_new(items, situation_row(r, &s, i, we));
	snprintf(file, sizeof(file), "tinh-hinh-%s-%s.xlsx", unit, we);
	return api_reply_xlsx(r, "Tình hình tuần", file, situation_cols, ARRAY_SIZE(situation_cols),
	                      items);
}
