/*
 * The sort, order and keyset cursor of the lists sorted by the server
 * (feedback, businesses, isolations, zones): ?sort= one of a list's keys,
 * ?order=asc|desc, and ?cursor= the `next` of the page before, "KEY.ID":
 * the last row's sort key and its id (the key may hold dots; the id is
 * after the last one).
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "base/parse.h"
#include "base/vntime.h"
#include "base/banned.h"

static int list_sort_order(struct api_ctx *r, const char *const *names, int n, int *sort,
                           int *desc)
{
	const char *s = http_query(r->http, "sort"), *order = http_query(r->http, "order");
	char vi[160] = "", en[160] = "";
	size_t lv = 0, le = 0;

	*sort = 0;
	for (int k = 0; s && k < n; k++)
		if (strcmp(s, names[k]) == 0)
			*sort = k;
	if (s && strcmp(s, names[*sort]) != 0) {
		/* "a, b hoặc c" / "a, b or c", from the list's own names. */
		for (int k = 0; k < n; k++) {
			const char *sep = k == 0 ? "" : k == n - 1 ? " hoặc " : ", ";
			const char *sep_en = k == 0 ? "" : k == n - 1 ? " or " : ", ";

			lv += (size_t)snprintf(vi + lv, lv < sizeof(vi) ? sizeof(vi) - lv : 0, "%s%s",
			                       sep, names[k]);
			le += (size_t)snprintf(en + le, le < sizeof(en) ? sizeof(en) - le : 0, "%s%s",
			                       sep_en, names[k]);
			lv = lv < sizeof(vi) ? lv : sizeof(vi) - 1;
			le = le < sizeof(en) ? le : sizeof(en) - 1;
		}
		return error_set_at(&r->err, THC_EINVAL, "sort",
		                    "tham số 'sort': '%.20s' không phải %s%.0s",
		                    "parameter 'sort': '%.20s' is not %.0s%s", s, vi, en);
	}
	if (order && strcmp(order, "asc") != 0 && strcmp(order, "desc") != 0)
		return error_set_at(&r->err, THC_EINVAL, "order",
		                    "tham số 'order': '%.20s' không phải asc hoặc desc",
		                    "parameter 'order': '%.20s' is not asc or desc", order);
	*desc = order && strcmp(order, "desc") == 0;
	return 0;
}

int api_list_cursor_bad(struct api_ctx *r)
{
	return error_set_at(&r->err, THC_EINVAL, "cursor",
	                    "tham số 'cursor': không phải giá trị 'next' của trang trước",
	                    "parameter 'cursor': not the 'next' of the page before");
}

static int list_cursor(struct api_ctx *r, const char **key, int64_t *id)
{
	const char *cursor = http_query(r->http, "cursor"), *dot;

	*key = NULL;
	*id = 0;
	if (cursor == NULL)
		return 0;
	dot = strrchr(cursor, '.');
	if (dot == NULL || parse_int64(dot + 1, 1, INT64_MAX, id) < 0 ||
	    (*key = arena_strndup(r->arena, cursor, (size_t)(dot - cursor))) == NULL) {
		*id = 0;
		return api_list_cursor_bad(r);
	}
	return 0;
}

int api_list_sort(struct api_ctx *r, const char *const *names, int n, int id_first, int *sort,
                  int *desc, const char **key, int64_t *id)
{
	int64_t v;
	int rc;

	*key = NULL;
	*id = 0;
	if ((rc = list_sort_order(r, names, n, sort, desc)) < 0)
		return rc;
	if (!id_first || *sort != 0)
		return list_cursor(r, key, id);
	if ((rc = api_query_int(r, "cursor", 1, INT64_MAX, &v)) < 0)
		return rc;
	*id = rc == 1 ? 0 : v;
	return 0;
}

int api_list_key_day(const char *key)
{
	struct vndate d;

	return strlen(key) == 10 && vndate_parse(key, &d) == 0;
}

json_t *api_list_next(struct api_ctx *r, const char *key, int64_t id)
{
	if (id == 0)
		return json_null();
	return json_string(arena_printf(r->arena, "%s.%lld", key, (long long)id));
}

json_t *api_list_next_num(struct api_ctx *r, int64_t key, int64_t id)
{
	if (id == 0)
		return json_null();
	return json_string(arena_printf(r->arena, "%lld.%lld", (long long)key, (long long)id));
}
