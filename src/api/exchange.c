/*
 * DHIS2 aggregate exchange (docs/api.md "Interoperability"): the weekly
 * aggregates of a unit and its public children (cases, community cases,
 * oxygen cases, deaths, population, the decided level in force at the end
 * of the week) as dataValueSets JSON or ADX XML.  Aggregates only: no
 * personal data is read.  The values are gathered here once for the API
 * and `thichung export dhis2`; periods and writing are domain/dhis2.
 */
#include <string.h>

#include "api/api.h"
#include "base/vntime.h"
#include "domain/dhis2.h"
#include "domain/role.h"
#include "base/banned.h"

#define EXCHANGE_DAYS_MAX 731        /* two years, as the weekly figures */
#define EXCHANGE_ADX_MAX (64u << 20) /* the ADX document */

struct exchange_unit {
	const char *code;
	struct case_week *w;
	size_t nw;
	int64_t pop;
	int *level;                      /* by week; 0: none in force */
	struct reported_value *r;        /* figures reported by another system */
	size_t nr;
};

static int exchange_day(const char *name, const char *s, int32_t *out, struct error *err)
{
	struct vndate d;

	if (s == NULL || vndate_parse(s, &d) < 0)
		return error_set_at(err, THC_EINVAL, name, "'%s' phải là ngày dạng YYYY-MM-DD",
		                    "'%s' must be a day YYYY-MM-DD", name);
	*out = vndate_to_days(d);
	return 0;
}

/* The decided levels in force at each week's end: for the unit (among its
 * parent's children) and for its children. */
static int exchange_levels(struct store *st, const struct unit *u, struct exchange_unit *us,
                           size_t nu, int32_t first, size_t nweeks, struct arena *a,
                           struct error *err)
{
	for (size_t k = 0; k < nweeks; k++) {
		char we[11];
		struct level_in_force *lf;
		size_t n;
		int rc;

		vndate_format_iso(vndate_from_days(first + 7 * (int32_t)k), we, sizeof(we));
		for (int side = 0; side < 2; side++) {
			const char *parent = side == 0 ? u->parent_code : u->code;

			if (side == 0 && strcmp(u->level, "country") == 0)
				continue;
			if (side == 1 && nu == 1)
				break;
			if (parent && strcmp(parent, "VN") == 0)
				parent = NULL;
			if ((rc = store_levels_in_force(st, parent, we, a, &lf, &n, err)) < 0)
				return rc;
			for (size_t i = 0; i < n; i++)
				for (size_t j = side; j < (side == 0 ? 1 : nu); j++)
					if (strcmp(lf[i].code, us[j].code) == 0)
						us[j].level[k] = lf[i].level;
		}
	}
	return 0;
}

/* The unit and, with children, its public children (from the level map's
 * list of them, ordered by code). */
static int exchange_units(struct store *st, const struct unit *u, int children, const char *day,
                          struct arena *a, struct exchange_unit **out, size_t *n,
                          struct error *err)
{
	struct level_in_force *lf = NULL;
	size_t nc = 0;
	int rc;

	if (children &&
	    (rc = store_levels_in_force(st, strcmp(u->code, "VN") ? u->code : NULL, day, a, &lf, &nc,
	                                err)) < 0)
		return rc;
	if ((*out = arena_alloc(a, (nc + 1) * sizeof(**out))) == NULL)
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	(*out)[0].code = u->code;
	for (size_t i = 0; i < nc; i++)
		(*out)[i + 1].code = lf[i].code;
	*n = nc + 1;
	return 0;
}

/* A figure of the week starting ws: the reported one (*j moves along u->r,
 * ordered by week) in place of the counted one. */
static int64_t exchange_figure(const struct exchange_unit *u, size_t *j, const char *ws,
                               enum dhis2_ind ind, int64_t counted)
{
	while (*j < u->nr && strcmp(u->r[*j].week_start, ws) < 0)
		(*j)++;
	for (size_t k = *j; k < u->nr && strcmp(u->r[k].week_start, ws) == 0; k++)
		if (strcmp(u->r[k].indicator, dhis2_ind_name(ind)) == 0)
			return u->r[k].value;
	return counted;
}

static void exchange_emit(const struct exchange_unit *u, int32_t first, size_t nweeks,
                          struct dhis2_value *v, size_t *n)
{
	size_t j = 0, jr = 0;

	for (size_t k = 0; k < nweeks; k++) {
		int32_t start = first + 7 * (int32_t)k - 6;
		char we[11], ws[11];
		struct case_week z = { 0 };
		const struct case_week *x = &z;
		int64_t level;

		vndate_format_iso(vndate_from_days(first + 7 * (int32_t)k), we, sizeof(we));
		vndate_format_iso(vndate_from_days(start), ws, sizeof(ws));
		if (j < u->nw && strcmp(u->w[j].week_end, we) == 0)
			x = &u->w[j++];
#define EMIT(IND, COUNTED) \
		v[(*n)++] = (struct dhis2_value){ .unit = u->code, .start = start, .ind = IND, \
		                                  .value = exchange_figure(u, &jr, ws, IND, COUNTED) }
		EMIT(DHIS2_CASES, x->cases);
		EMIT(DHIS2_COMMUNITY, x->community);
		EMIT(DHIS2_OXYGEN, x->oxygen);
		EMIT(DHIS2_DEATHS, x->deaths);
#undef EMIT
		/* Population is the unit register's, never a reported figure. */
		if (u->pop >= 0)
			v[(*n)++] = (struct dhis2_value){ .unit = u->code, .start = start,
			                                  .ind = DHIS2_POPULATION, .value = u->pop };
		if ((level = exchange_figure(u, &jr, ws, DHIS2_LEVEL, u->level[k])) > 0)
			v[(*n)++] = (struct dhis2_value){ .unit = u->code, .start = start,
			                                  .ind = DHIS2_LEVEL, .value = level };
	}
}

int api_dhis2_collect(struct store *st, const struct store_actor *actor, const char *unit,
                      int children, const char *from, const char *to, struct arena *a,
                      struct dhis2_value **out, size_t *n, struct error *err)
{
	struct exchange_unit *us;
	struct unit u;
	int32_t fd = 0, td = 0, first, last;
	size_t nu = 0, nweeks;
	char fw[11], tw[11], fs[11], ts[11];
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = exchange_day("from", from, &fd, err)) < 0 || (rc = exchange_day("to", to, &td, err)) < 0)
		return rc;
	if (td < fd || td - fd > EXCHANGE_DAYS_MAX)
		return error_set_at(err, THC_EINVAL, "to", "khoảng 'from'..'to' phải từ 0 đến 2 năm",
		                    "the range 'from'..'to' must be between 0 days and 2 years");
	if ((rc = store_unit_get(st, actor, unit, a, &u, err)) < 0)
		return rc;
	if (strcmp(u.level, "hamlet") == 0 || strcmp(u.level, "household") == 0)
		return error_set_at(err, THC_EUNPROCESSABLE, "unit",
		                    "'%s' phải là tỉnh, huyện hoặc xã (số liệu tuần theo xã trở lên)",
		                    "'%s' must be a province, district or commune (weekly figures are "
		                    "per commune and above)", unit);
	/* Weeks (Monday..Sunday) whose Sunday lies in [from, to]. */
	first = vndate_week_end(fd, 1);
	last = vndate_week_end(td, 1);
	if (last > td)
		last -= 7;
	nweeks = last >= first ? (size_t)((last - first) / 7 + 1) : 0;
	vndate_format_iso(vndate_from_days(first), fw, sizeof(fw));
	vndate_format_iso(vndate_from_days(last), tw, sizeof(tw));
	vndate_format_iso(vndate_from_days(first - 6), fs, sizeof(fs));
	vndate_format_iso(vndate_from_days(last - 6), ts, sizeof(ts));
	if ((rc = exchange_units(st, &u, children, tw, a, &us, &nu, err)) < 0)
		return rc;
	for (size_t i = 0; i < nu; i++) {
		us[i].level = arena_alloc(a, (nweeks + 1) * sizeof(int));
		if (us[i].level == NULL)
			return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		if (nweeks && (rc = store_cases_weekly(st, us[i].code, fw, tw, a, &us[i].w, &us[i].nw,
		                                       &us[i].pop, err)) < 0)
			return rc;
		if (nweeks && (rc = store_reported_list(st, us[i].code, fs, ts, a, &us[i].r, &us[i].nr,
		                                        err)) < 0)
			return rc;
	}
	if ((rc = exchange_levels(st, &u, us, nu, first, nweeks, a, err)) < 0)
		return rc;
	if ((*out = arena_alloc(a, (nu * nweeks * DHIS2_IND_COUNT + 1) * sizeof(**out))) == NULL)
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	for (size_t i = 0; i < nu; i++)
		exchange_emit(&us[i], first, nweeks, *out, n);
	return 0;
}

/* ?unit=&from=&to=&children=true|false: officials, the unit in their scope. */
static int exchange_read(struct api_ctx *r, struct dhis2_value **v, size_t *n)
{
	const char *unit = http_query(r->http, "unit"), *ch = http_query(r->http, "children");
	int rc;

	if (unit == NULL)
		return error_set_at(&r->err, THC_EINVAL, "unit", "cần tham số 'unit'",
		                    "parameter 'unit' is required");
	if (ch && strcmp(ch, "true") != 0 && strcmp(ch, "false") != 0)
		return error_set_at(&r->err, THC_EINVAL, "children",
		                    "'children' phải là true hoặc false", "'children' must be true or false");
	if (r->app->dhis2 == NULL)
		return error_set(&r->err, THC_EUNAVAILABLE, "máy chủ chưa nạp tệp ánh xạ DHIS2",
		                 "the server has no DHIS2 mapping loaded");
	if ((rc = store_scope_check(r->st, &r->actor, unit, ROLE_MASK_AUDIT_READ, &r->err)) < 0)
		return rc;
	return api_dhis2_collect(r->st, &r->actor, unit, ch && strcmp(ch, "true") == 0,
	                         http_query(r->http, "from"), http_query(r->http, "to"), r->arena,
	                         v, n, &r->err);
}

int api_exchange_json(struct api_ctx *r, const struct route_args *a)
{
	struct dhis2_value *v;
	json_t *doc;
	size_t n;
	int rc;

	(void)a;
	if ((rc = exchange_read(r, &v, &n)) < 0 ||
	    (rc = dhis2_write_json(r->app->dhis2, v, n, &doc, &r->err)) < 0)
		return rc;
	return http_reply_json(r->http, 200, doc);
}

int api_exchange_adx(struct api_ctx *r, const struct route_args *a)
{
	struct strbuf sb = STRBUF_INIT(EXCHANGE_ADX_MAX);
	struct dhis2_value *v;
	char exported[32], *body;
	size_t n, len;
	int rc;

	(void)a;
	if ((rc = exchange_read(r, &v, &n)) < 0)
		return rc;
	vntime_format_utc_ms(r->http->start_ms, exported, sizeof(exported));
	if ((rc = dhis2_write_adx(r->app->dhis2, v, n, exported, &sb, &r->err)) < 0) {
		strbuf_release(&sb);
		return rc;
	}
	body = strbuf_detach(&sb, &len);     /* before len is read */
	return http_reply_bytes(r->http, 200, "application/adx+xml; charset=utf-8", body, len);
}
