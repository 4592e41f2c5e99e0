/*
 * Citizen feedback at a glance for officials (GET /api/v1/feedback/stats):
 * per unit directly below `unit`, and for the unit itself, how many
 * requests, open, overdue, escalated and answered, the median days to
 * answer and requests per 10,000 people; and the same per department
 * (without population) for everything the unit and those below handle.  Counts only: nothing of a request.
 */
#include <math.h>
#include <string.h>

#include "api/api.h"
#include "store/feedback_stats.h"
#include "base/banned.h"

/* One decimal, as the tables show it. */
static json_t *fbs_dec1(double v)
{
	return json_real(round(v * 10) / 10);
}

static json_t *fbs_row(const struct feedback_stat *x)
{
	json_t *o = json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I}", "code", x->code, "name", x->name,
	                      "total", (json_int_t)x->total, "open", (json_int_t)x->open,
	                      "overdue", (json_int_t)x->overdue, "escalated", (json_int_t)x->escalated,
	                      "answered", (json_int_t)x->answered);

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "population", x->population >= 0 ? json_integer(x->population)
	                                                        : json_null());
	json_object_set_new(o, "median_days", x->median_ms >= 0
	                    ? fbs_dec1((double)x->median_ms / 86400000.0) : json_null());
	json_object_set_new(o, "per_10k", x->population > 0
	                    ? fbs_dec1((double)x->total * 10000.0 / (double)x->population) : json_null());
	return o;
}

int api_feedback_stats(struct api_ctx *r, const struct route_args *a)
{
	const char *unit = http_query(r->http, "unit");
	struct feedback_stat *x, *d;
	size_t n, nd;
	json_t *items, *depts;
	int rc;

	(void)a;
	if (unit == NULL || *unit == '\0')
		return error_set_at(&r->err, THC_EINVAL, "unit", "thiếu tham số 'unit' (mã đơn vị)",
		                    "parameter 'unit' (a unit code) is missing");
	if ((rc = store_feedback_stats(r->st, &r->actor, unit, api_today(r), r->arena, &x, &n,
	                               &d, &nd, &r->err)) < 0)
		return rc;
	if (n == 0)
		return error_set(&r->err, THC_ENOTFOUND, "không có đơn vị này", "no such unit");
	items = json_array();
	for (size_t i = 1; i < n; i++)
		json_array_append_new(items, fbs_row(&x[i]));
	depts = json_array();
	for (size_t i = 0; i < nd; i++) {
		json_t *o = fbs_row(&d[i]);

		/* A department is no unit: its name, and null for none named. */
		json_object_del(o, "code");
		json_object_del(o, "name");
		json_object_del(o, "population");
		json_object_del(o, "per_10k");
		json_object_set_new(o, "department", d[i].code[0] ? json_string(d[i].code) : json_null());
		json_array_append_new(depts, o);
	}
	return http_reply_json(r->http, 200, json_pack("{s:s,s:s,s:o,s:o,s:o}", "unit", x[0].code,
	                                               "name", x[0].name, "own", fbs_row(&x[0]),
	                                               "items", items, "departments", depts));
}
