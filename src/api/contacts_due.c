/*
 * The contacts to follow up today (GET /api/v1/contacts/due?unit=): the
 * F1 and F2 living under a unit whose quarantine runs today, with no
 * isolation opened for them and not become a case since; the commune's
 * "contacts due" (on=YYYY-MM-DD: on another day).  A page at a time by id (`next`: the cursor of the next
 * page, null at the end).  Names only within the reader's personal scope,
 * as every read of a person.
 */
#include <jansson.h>
#include <stdint.h>

#include "api/api.h"
#include "store/contacts.h"
#include "base/banned.h"

#define CONTACTS_DUE_LIMIT 100
#define CONTACTS_DUE_MAX 500

int api_contacts_due(struct api_ctx *r, const struct route_args *a)
{
	const char *unit = http_query(r->http, "unit");
	int64_t limit = CONTACTS_DUE_LIMIT, after = 0, v;
	struct contact_rec *c;
	char day[11];
	size_t n;
	json_t *items;
	int rc;

	(void)a;
	if (unit == NULL || unit[0] == '\0')
		return error_set_at(&r->err, THC_EINVAL, "unit", "thiếu tham số 'unit' (mã đơn vị)",
		                "parameter 'unit' (a unit code) is missing");
	if ((rc = api_query_int(r, "limit", 1, CONTACTS_DUE_MAX, &v)) < 0)
		return rc;
	if (rc == 0)
		limit = v;
	if ((rc = api_query_int(r, "cursor", 1, INT64_MAX, &v)) < 0)
		return rc;
	if (rc == 0)
		after = v;
	if ((rc = api_query_iso_day(r, "on", day)) < 0)
		return rc;
	/* One more than the page: whether there is a next one. */
	if ((rc = store_contacts_due(r->st, &r->actor, unit, day, after, (int)limit + 1, r->arena,
	                             &c, &n, &r->err)) < 0)
		return rc;
	items = json_array();
	for (size_t i = 0; i < n && i < (size_t)limit; i++)
		json_array_append_new(items, api_contact_json(&c[i]));
	return http_reply_json(r->http, 200, json_pack("{s:s,s:s,s:o,s:o}", "unit", unit, "on", day,
	                                               "items", items, "next",
	                                               n > (size_t)limit
	                                               ? json_integer(c[limit - 1].id) : json_null()));
}
