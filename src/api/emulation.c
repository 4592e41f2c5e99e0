/*
 * Emulation over HTTP: the indicator registry, movements, the ranking of
 * the units below a movement's parent for its period (or a part of it),
 * and its history month by month.  The arithmetic is domain/emulation.h's,
 * the counting store/emulation.h's.
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/field.h"
#include "base/vntime.h"
#include "domain/emulation.h"
#include "domain/unit.h"
#include "store/emulation.h"
#include "base/banned.h"

#define EMU_NAME_MAX 300
#define EMU_SPAN_DAYS_MAX 731     /* two years */
#define EMU_HISTORY_MAX 24        /* months */

int api_emulation_indicators(struct api_ctx *r, const struct route_args *a)
{
	const struct emu_indicator *x;
	json_t *items = json_array();

	(void)a;
	for (size_t i = 0; (x = store_emulation_indicator_at(i)) != NULL; i++)
		json_array_append_new(items, json_pack("{s:s,s:{s:s,s:s},s:s}", "code", x->code,
		                                       "name", "vi", x->name_vi, "en", x->name_en,
		                                       "counts", x->unit));
	return http_reply_json(r->http, 200, json_pack("{s:o}", "items", items));
}

static json_t *emu_movement_json(const struct emu_movement *m)
{
	json_t *ind = json_array();

	for (size_t i = 0; i < m->nind; i++) {
		const struct emu_indicator *x = store_emulation_indicator(m->ind[i]);

		json_array_append_new(ind, json_pack("{s:s,s:i,s:{s:s?,s:s?}}", "code", m->ind[i],
		                                     "weight", m->weight[i], "name",
		                                     "vi", x ? x->name_vi : NULL,
		                                     "en", x ? x->name_en : NULL));
	}
	return json_pack("{s:I,s:s,s:s,s:s,s:s,s:o}", "id", (json_int_t)m->id, "name", m->name,
	                 "parent_code", m->parent_code, "period_from", m->period_from,
	                 "period_to", m->period_to, "indicators", ind);
}

/* ---- creation ---- */

struct emu_in { const char *name, *parent_code, *period_from, *period_to; };
static const struct field emu_fields[] = {
	FIELD_TEXT("name", struct emu_in, name, FIELD_REQUIRED, EMU_NAME_MAX),
	FIELD_TEXT("parent_code", struct emu_in, parent_code, FIELD_REQUIRED, UNIT_CODE_MAX),
	FIELD_DAY("period_from", struct emu_in, period_from, FIELD_REQUIRED),
	FIELD_DAY("period_to", struct emu_in, period_to, FIELD_REQUIRED),
};
struct emu_ind_in { const char *code; int64_t weight; };
static const struct field emu_ind_fields[] = {
	FIELD_TEXT("code", struct emu_ind_in, code, FIELD_REQUIRED, 64),
	FIELD_INT("weight", struct emu_ind_in, weight, FIELD_REQUIRED, 1, EMU_WEIGHT_MAX, 0),
};

static int emu_indicators_read(struct api_ctx *r, json_t *list, struct emu_movement *m)
{
	json_t *o;
	size_t i;
	int rc;

	if (!json_is_array(list) || json_array_size(list) == 0 ||
	    json_array_size(list) > EMU_INDICATORS_MAX)
		return error_set_at(&r->err, THC_EUNPROCESSABLE, "indicators",
		                    "trường 'indicators' phải là danh sách 1..%d chỉ tiêu",
		                    "field 'indicators' must be a list of 1..%d indicators",
		                    EMU_INDICATORS_MAX);
	json_array_foreach(list, i, o) {
		struct emu_ind_in in;
		char field[48];

		if ((rc = field_read_json_item(FIELDS(emu_ind_fields), o, "indicators", i, api_today(r),
		                               &in, &r->err)) < 0)
			return rc;
		snprintf(field, sizeof(field), "indicators[%zu].code", i);
		if (store_emulation_indicator(in.code) == NULL)
			return error_set_at(&r->err, THC_EUNPROCESSABLE, field,
			                    "trường '%s': không có chỉ tiêu '%.40s'",
			                    "field '%s': no indicator '%.40s'", field, in.code);
		for (size_t k = 0; k < i; k++)
			if (strcmp(m->ind[k], in.code) == 0)
				return error_set_at(&r->err, THC_EUNPROCESSABLE, field,
				                    "trường '%s': chỉ tiêu '%.40s' bị lặp lại",
				                    "field '%s': indicator '%.40s' is repeated", field, in.code);
		m->ind[i] = store_emulation_indicator(in.code)->code;
		m->weight[i] = (int)in.weight;
	}
	m->nind = json_array_size(list);
	return 0;
}

int api_emulation_create(struct api_ctx *r, const struct route_args *a)
{
	struct emu_movement m = { 0 };
	struct emu_in in;
	char loc[64];
	int rc;

	(void)a;
	if ((rc = field_read_json(FIELDS(emu_fields), r->json, NULL, api_today(r), &in, &r->err)) < 0)
		return rc;
	if (strcmp(in.period_from, in.period_to) > 0)
		return error_set_at(&r->err, THC_EUNPROCESSABLE, "period_to",
		                    "trường 'period_to': trước 'period_from'",
		                    "field 'period_to': before 'period_from'");
	if ((rc = emu_indicators_read(r, json_object_get(r->json, "indicators"), &m)) < 0)
		return rc;
	m.name = in.name;
	m.parent_code = in.parent_code;
	m.period_from = in.period_from;
	m.period_to = in.period_to;
	if ((rc = store_emulation_create(r->st, &r->actor, &m, &r->err)) < 0)
		return rc;
	snprintf(loc, sizeof(loc), "/api/v1/emulation/movements/%lld/rankings", (long long)m.id);
	http_add_header(r->http, "Location", loc);
	return http_reply_json(r->http, 201, json_pack("{s:I}", "id", (json_int_t)m.id));
}

int api_emulation_list(struct api_ctx *r, const struct route_args *a)
{
	struct emu_movement *m;
	json_t *items;
	size_t n;
	int rc;

	(void)a;
	if ((rc = store_emulation_list(r->st, &r->actor, http_query(r->http, "unit"), r->arena, &m,
	                               &n, &r->err)) < 0)
		return rc;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, emu_movement_json(&m[i]));
	return http_reply_json(r->http, 200, json_pack("{s:o}", "items", items));
}

/* ---- rankings ---- */

struct emu_result {
	size_t n;
	struct emu_row *rows;
	double (*score)[EMU_INDICATORS_MAX];
	int (*has)[EMU_INDICATORS_MAX];
	double *total;
	int *rank;
};

static int emu_compute(struct api_ctx *r, const struct emu_movement *m, int32_t from, int32_t to,
                       struct emu_result *x)
{
	int rc;

	if ((rc = store_emulation_collect(r->st, m, from, to, api_today(r), r->arena, &x->rows, &x->n,
	                                  &r->err)) < 0)
		return rc;
	x->score = arena_alloc(r->arena, (x->n + 1) * sizeof(*x->score));
	x->has = arena_alloc(r->arena, (x->n + 1) * sizeof(*x->has));
	x->total = arena_alloc(r->arena, (x->n + 1) * sizeof(*x->total));
	x->rank = arena_alloc(r->arena, (x->n + 1) * sizeof(*x->rank));
	if (!x->score || !x->has || !x->total || !x->rank)
		return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	for (size_t i = 0; i < x->n; i++) {
		for (size_t k = 0; k < m->nind; k++)
			x->score[i][k] = emulation_score(x->rows[i].num[k], x->rows[i].den[k], &x->has[i][k]);
		x->total[i] = emulation_total(x->score[i], m->weight, m->nind);
	}
	emulation_rank(x->total, x->n, x->rank);
	return 0;
}

/* The model units of indicator k. */
static json_t *emu_models(const struct emu_result *x, size_t k)
{
	json_t *list = json_array();
	double s[EMU_UNITS_MAX];
	int h[EMU_UNITS_MAX];

	for (size_t i = 0; i < x->n; i++) {
		s[i] = x->score[i][k];
		h[i] = x->has[i][k];
	}
	for (size_t i = 0; i < x->n; i++)
		if (emulation_is_model(s, h, x->n, i))
			json_array_append_new(list, json_string(x->rows[i].code));
	return list;
}

static json_t *emu_ranking_json(const struct emu_movement *m, const struct emu_result *x)
{
	json_t *items = json_array(), *ind = json_array();

	for (size_t i = 0; i < x->n; i++) {
		json_t *scores = json_object();

		for (size_t k = 0; k < m->nind; k++)
			json_object_set_new(scores, m->ind[k], json_pack("{s:f,s:f,s:f,s:b}",
			                    "num", x->rows[i].num[k], "den", x->rows[i].den[k],
			                    "score", x->score[i][k], "has_data", x->has[i][k]));
		json_array_append_new(items, json_pack("{s:s,s:s,s:o,s:f,s:i}", "unit_code",
		                                       x->rows[i].code, "name", x->rows[i].name,
		                                       "scores", scores, "total", x->total[i],
		                                       "rank", x->rank[i]));
	}
	for (size_t k = 0; k < m->nind; k++)
		json_array_append_new(ind, json_pack("{s:s,s:i,s:o}", "code", m->ind[k],
		                                     "weight", m->weight[k], "models", emu_models(x, k)));
	return json_pack("{s:o,s:o}", "indicators", ind, "items", items);
}

/* ?name=YYYY-MM-DD as days, or the default. */
static int emu_query_day(struct api_ctx *r, const char *name, const char *def, int32_t *out)
{
	const char *v = http_query(r->http, name);
	struct vndate d;

	if (vndate_parse(v ? v : def, &d) < 0)
		return error_set_at(&r->err, THC_EINVAL, name,
		                    "tham số '%s': '%.20s' không phải ngày dạng YYYY-MM-DD",
		                    "parameter '%s': '%.20s' is not a date YYYY-MM-DD", name, v ? v : def);
	*out = vndate_to_days(d);
	return 0;
}

/* The movement and the span asked: its period unless ?from=&to= narrow it. */
static int emu_span(struct api_ctx *r, const struct route_args *a, struct emu_movement *m,
                    int32_t *from, int32_t *to)
{
	int64_t id;
	int rc;

	if ((rc = api_id_arg(r, a, &id)) < 0 ||
	    (rc = store_emulation_get(r->st, &r->actor, id, r->arena, m, &r->err)) < 0 ||
	    (rc = emu_query_day(r, "from", m->period_from, from)) < 0 ||
	    (rc = emu_query_day(r, "to", m->period_to, to)) < 0)
		return rc;
	if (*from > *to || *to - *from >= EMU_SPAN_DAYS_MAX)
		return error_set_at(&r->err, THC_EINVAL, "to",
		                    "tham số 'to': khoảng ngày phải từ 1 đến %d ngày",
		                    "parameter 'to': the span must be 1 to %d days", EMU_SPAN_DAYS_MAX);
	return 0;
}

int api_emulation_rankings(struct api_ctx *r, const struct route_args *a)
{
	struct emu_movement m;
	struct emu_result x;
	char f[11], t[11];
	int32_t from, to;
	json_t *o;
	int rc;

	if ((rc = emu_span(r, a, &m, &from, &to)) < 0 || (rc = emu_compute(r, &m, from, to, &x)) < 0)
		return rc;
	vndate_format_iso(vndate_from_days(from), f, sizeof(f));
	vndate_format_iso(vndate_from_days(to), t, sizeof(t));
	o = emu_ranking_json(&m, &x);
	json_object_set_new(o, "movement", emu_movement_json(&m));
	json_object_set_new(o, "from", json_string(f));
	json_object_set_new(o, "to", json_string(t));
	return http_reply_json(r->http, 200, o);
}

/* Month by month (calendar months, cut to the span): total and rank of each unit. */
int api_emulation_history(struct api_ctx *r, const struct route_args *a)
{
	struct emu_movement m;
	json_t *periods = json_array();
	int32_t from, to, start;
	int rc, months = 0;

	if ((rc = emu_span(r, a, &m, &from, &to)) < 0) {
		json_decref(periods);
		return rc;
	}
	for (start = from; start <= to && months < EMU_HISTORY_MAX; months++) {
		struct vndate d = vndate_from_days(start);
		struct vndate next = { .year = d.month == 12 ? d.year + 1 : d.year,
		                       .month = d.month == 12 ? 1 : d.month + 1, .day = 1 };
		int32_t end = vndate_to_days(next) - 1;
		struct emu_result x;
		json_t *items = json_array();
		char f[11], t[11];

		if (end > to)
			end = to;
		if ((rc = emu_compute(r, &m, start, end, &x)) < 0) {
			json_decref(items);
			json_decref(periods);
			return rc;
		}
		for (size_t i = 0; i < x.n; i++)
			json_array_append_new(items, json_pack("{s:s,s:f,s:i}", "unit_code", x.rows[i].code,
			                                       "total", x.total[i], "rank", x.rank[i]));
		vndate_format_iso(vndate_from_days(start), f, sizeof(f));
		vndate_format_iso(vndate_from_days(end), t, sizeof(t));
		json_array_append_new(periods, json_pack("{s:s,s:s,s:o}", "from", f, "to", t,
		                                         "items", items));
		start = end + 1;
	}
	return http_reply_json(r->http, 200, json_pack("{s:o,s:o}", "movement", emu_movement_json(&m),
	                                               "periods", periods));
}
