/*
 * GET /api/v1/search?q=...&kind=all|unit|case|person|ruleset: what the
 * pickers and the header's search box offer.  Units and rule sets are
 * public; people and cases come from the store, which matches only those
 * in the reader's scope (store/search.h), so an ID number recorded in
 * another province answers exactly as one recorded nowhere.
 */
#include <string.h>

#include "api/api.h"
#include "base/text.h"
#include "base/vntime.h"
#include "domain/level.h"
#include "store/search.h"
#include "store/units.h"
#include "base/banned.h"

#define SEARCH_LIMIT_DEFAULT 8

static const char *const search_kinds[] = { "all", "unit", "case", "person", "ruleset", NULL };

static int search_kind_wanted(const char *kind, const char *k)
{
	return strcmp(kind, k) == 0 || (strcmp(kind, "all") == 0 && strcmp(k, "ruleset") != 0);
}

static int search_units(struct api_ctx *r, const char *folded, int limit, json_t *items)
{
	struct unit_query q = { .q = folded, .limit = limit };
	struct unit_page page;
	int rc;

	if (strlen(folded) < 2)
		return 0;
	if ((rc = store_units_list(r->st, &r->actor, &q, r->arena, &page, &r->err)) < 0)
		return rc;
	for (size_t i = 0; i < page.n; i++) {
		json_t *o = api_unit_json(&page.items[i]);

		json_object_set_new(o, "kind", json_string("unit"));
		json_array_append_new(items, o);
	}
	return 0;
}

static int search_records(struct api_ctx *r, enum search_kind kind, const char *q, int limit,
                          json_t *items)
{
	struct search_hit *h;
	size_t n;
	int rc;

	if ((rc = store_search(r->st, &r->actor, kind, q, limit, r->arena, &h, &n, &r->err)) < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_pack("{s:s,s:I,s:I,s:s,s:s?,s:s,s:s?,s:s?,s:s?}",
		                      "kind", kind == SEARCH_CASE ? "case" : "person",
		                      "id", (json_int_t)h[i].id, "person_id", (json_int_t)h[i].person_id,
		                      "full_name", h[i].full_name, "id_number", h[i].id_number,
		                      "unit_code", h[i].unit_code, "unit_name", h[i].unit_name,
		                      "detected_on", h[i].detected_on, "outcome", h[i].outcome);

		json_object_set_new(o, "case_id", h[i].case_id ? json_integer(h[i].case_id) : json_null());
		json_object_set_new(o, "birth_year", h[i].birth_year >= 0
		                                    ? json_integer(h[i].birth_year) : json_null());
		json_array_append_new(items, o);
	}
	return 0;
}

/* The rule sets whose id or title holds the folded text (all when empty). */
static void search_rulesets(struct api_ctx *r, const char *folded, json_t *items)
{
	const struct level_catalog *cat = r->app->levels;
	char buf[600], from[11], to[11];

	for (size_t i = 0; cat && i < level_catalog_count(cat); i++) {
		const struct level_rules *lr = level_catalog_at(cat, i);
		const char *id = level_rules_id(lr), *vi = level_rules_title(lr, 0);
		const char *en = level_rules_title(lr, 1);
		int32_t end = level_rules_to(lr);
		int hit = folded[0] == '\0';

		for (int k = 0; !hit && k < 3; k++) {
			text_fold(k == 0 ? id : k == 1 ? vi : en, buf, sizeof(buf));
			hit = strstr(buf, folded) != NULL;
		}
		if (!hit)
			continue;
		vndate_format_iso(vndate_from_days(level_rules_from(lr)), from, sizeof(from));
		if (end != LEVEL_OPEN_END)
			vndate_format_iso(vndate_from_days(end), to, sizeof(to));
		json_array_append_new(items, json_pack("{s:s,s:s,s:{s:s?,s:s?},s:s?,s:s,s:s?}",
		                      "kind", "ruleset", "id", id, "title", "vi", vi, "en", en,
		                      "applies_to", level_rules_applies_to(lr), "from", from,
		                      "to", end != LEVEL_OPEN_END ? to : NULL));
	}
}

int api_search(struct api_ctx *r, const struct route_args *a)
{
	const char *q = http_query(r->http, "q"), *kind = http_query(r->http, "kind");
	json_t *items;
	char *folded;
	int64_t limit;
	size_t len;
	int ok = 0, rc;

	(void)a;
	if (kind == NULL)
		kind = "all";
	for (size_t i = 0; search_kinds[i]; i++)
		ok |= strcmp(kind, search_kinds[i]) == 0;
	if (!ok)
		return error_set(&r->err, THC_EINVAL,
		                 "tham số 'kind': '%.20s' phải là all, unit, case, person hoặc ruleset",
		                 "parameter 'kind': '%.20s' must be all, unit, case, person or ruleset",
		                 kind);
	if (q == NULL)
		q = "";
	len = strlen(q);
	if (len > SEARCH_Q_MAX || !text_utf8_valid(q, len))
		return error_set(&r->err, THC_EINVAL, "tham số 'q' phải là UTF-8, tối đa %d byte",
		                 "parameter 'q' must be UTF-8 of at most %d bytes", SEARCH_Q_MAX);
	if ((rc = api_query_int(r, "limit", 1, SEARCH_LIMIT_MAX, &limit)) < 0)
		return rc;
	if (rc != 0)
		limit = SEARCH_LIMIT_DEFAULT;
	if ((folded = arena_alloc(r->arena, 3 * len + 2)) == NULL)
		return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	text_fold(q, folded, 3 * len + 2);
	items = json_array();
	if (search_kind_wanted(kind, "unit"))
		rc = search_units(r, folded, (int)limit, items);
	if (rc >= 0 && search_kind_wanted(kind, "case"))
		rc = search_records(r, SEARCH_CASE, q, (int)limit, items);
	if (rc >= 0 && search_kind_wanted(kind, "person"))
		rc = search_records(r, SEARCH_PERSON, q, (int)limit, items);
	if (rc >= 0 && search_kind_wanted(kind, "ruleset"))
		search_rulesets(r, folded, items);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	return http_reply_json(r->http, 200, json_pack("{s:s,s:o}", "kind", kind, "items", items));
}
