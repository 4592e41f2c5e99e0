/*
 * DHIS2 aggregate import (docs/api.md "Interoperability"): a dataValueSets
 * JSON or ADX document of weekly figures, checked whole and then stored
 * whole (store/reported.h), answered with DHIS2's import summary.  Shared
 * by POST /api/v1/exchange/dataValueSets(.adx) and `thichung import dhis2`.
 *
 * All or nothing per file: one conflict (an unknown element, period or
 * unit, a value that is not a count, a unit out of the caller's scope)
 * and nothing is stored, status ERROR, every value counted ignored, as
 * DHIS2 does for a bad ADX group.  A figure thichung keeps elsewhere is
 * checked rather than stored: population is the unit register's (thichung
 * import population), so an equal one is ignored and another is a
 * conflict.  Re-importing a file finds every value equal: all ignored.
 */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/auth.h"
#include "base/vntime.h"
#include "domain/dhis2.h"
#include "domain/role.h"
#include "domain/unit.h"
#include "store/apikeys.h"
#include "store/open311.h"
#include "base/banned.h"

/* What the checks found of one unit of the file. */
struct import_unit {
	const char *code;
	int known;                       /* a commune, district, province or VN */
	int in_scope;
	int64_t population;              /* -1: none */
};

struct import_state {
	struct store *st;
	const struct store_actor *actor; /* NULL: the command line, every unit */
	const char *root;                /* an API key's unit: within it only */
	struct import_unit *units;
	size_t nunits, cap;
	json_t *conflicts;
};

static int import_unit_look(struct import_state *S, const char *code, struct import_unit **out,
                            struct error *err)
{
	struct import_unit *u;
	struct error e = ERROR_INIT;
	int lvl = -1, rc;

	for (size_t i = S->nunits; i-- > 0;)
		if (strcmp(S->units[i].code, code) == 0) {
			*out = &S->units[i];
			return 0;
		}
	if (S->nunits == S->cap) {
		struct import_unit *grown;

		S->cap = S->cap ? 2 * S->cap : 16;
		if ((grown = realloc(S->units, S->cap * sizeof(*grown))) == NULL)
			return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		S->units = grown;
	}
	u = *out = &S->units[S->nunits++];
	*u = (struct import_unit){ .code = code, .population = -1 };
	if ((rc = store_unit_stats(S->st, code, &lvl, &u->population, err)) < 0)
		return rc;
	u->known = rc == 1 && lvl >= UNIT_COUNTRY && lvl <= UNIT_COMMUNE;
	u->in_scope = 1;
	/* Unknown and out of scope look alike to the caller (store_scope_check);
	 * any refusal is the unit's conflict (E7617), only a failure of the
	 * store itself ends the import. */
	if (S->actor && (rc = store_scope_check(S->st, S->actor, code, ROLE_MASK_UNIT_WRITE, &e)) < 0) {
		if (rc == THC_ESTORE || rc == THC_ENOMEM || rc == THC_EUNAVAILABLE ||
		    rc == THC_EINTERNAL) {
			*err = e;
			return rc;
		}
		u->in_scope = 0;
	}
	if (S->root && u->known) {
		if ((rc = store_open311_within(S->st, code, S->root, err)) < 0)
			return rc;
		u->in_scope = rc == 1;
	}
	return 0;
}

/* One value read: 1 to store, 0 checked and ignored, or a conflict
 * recorded (also 0). */
static int import_check(struct import_state *S, const struct dhis2_value *v, const char *ou,
                        struct error *err)
{
	struct import_unit *u = NULL;
	int rc;

	if ((rc = import_unit_look(S, v->unit, &u, err)) < 0)
		return rc;
	/* Units are public, so an unknown one may be told apart. */
	if (!u->known || !u->in_scope) {
		dhis2_conflict_add(S->conflicts, v->index, ou, "orgUnit", !u->known ? "E7612" : "E7617",
		                   !u->known ? "không có xã, huyện hoặc tỉnh này"
		                             : "đơn vị ngoài phạm vi được giao của người nhập",
		                   !u->known ? "no such commune, district or province"
		                             : "org unit outside the importing user's hierarchy");
		return 0;
	}
	if (vndate_weekday(v->start) != 1) {
		dhis2_conflict_add(S->conflicts, v->index, "", "period", "E7611",
		                   "tuần của thichung từ thứ Hai đến Chủ nhật",
		                   "thichung's weeks run Monday to Sunday");
		return 0;
	}
	if (v->ind == DHIS2_POPULATION) {
		if (v->value == u->population)
			return 0;
		dhis2_conflict_add(S->conflicts, v->index, ou, "value", "E7619",
		                   "dân số lấy từ danh mục đơn vị (thichung import population), "
		                   "khác giá trị này",
		                   "population is the unit register's (thichung import population), "
		                   "not this value");
		return 0;
	}
	return 1;
}

/* The values to store (those import_check keeps), in *out. */
static int import_pick(struct import_state *S, const struct dhis2_map *m,
                       const struct dhis2_value *v, size_t n, struct arena *a,
                       struct reported_value **out, size_t *nout, struct error *err)
{
	int rc;

	*nout = 0;
	if ((*out = arena_alloc(a, (n + 1) * sizeof(**out))) == NULL)
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	for (size_t i = 0; i < n; i++) {
		char day[11];

		if ((rc = import_check(S, &v[i], dhis2_map_org_unit(m, v[i].unit), err)) < 0)
			return rc;
		if (rc == 0)
			continue;
		vndate_format_iso(vndate_from_days(v[i].start), day, sizeof(day));
		(*out)[*nout] = (struct reported_value){ .unit = v[i].unit,
		                                         .week_start = arena_strdup(a, day),
		                                         .indicator = dhis2_ind_name(v[i].ind),
		                                         .value = v[i].value };
		if ((*out)[(*nout)++].week_start == NULL)
			return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	}
	return 0;
}

static int import_store(struct import_state *S, const struct store_actor *actor,
                        const struct reported_value *rv, size_t nr, size_t total,
                        json_t **summary, struct error *err)
{
	size_t count[3] = { 0, 0, 0 };
	enum reported_outcome *out = NULL;
	int rc = 0;

	if (json_array_size(S->conflicts) == 0 && nr > 0) {
		if ((out = calloc(nr, sizeof(*out))) == NULL)
			return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		if ((rc = store_reported_save(S->st, actor, rv, nr, out, err)) == 0)
			for (size_t i = 0; i < nr; i++)
				count[out[i]]++;
		free(out);
		if (rc < 0)
			return rc;
	}
	/* Conflicts: nothing stored, every value ignored. */
	count[REPORTED_IGNORED] = total - count[REPORTED_IMPORTED] - count[REPORTED_UPDATED];
	*summary = dhis2_import_summary(count[REPORTED_IMPORTED], count[REPORTED_UPDATED],
	                                count[REPORTED_IGNORED], 0, S->conflicts);
	return *summary ? 0 : error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
}

int api_dhis2_import(struct store *st, const struct store_actor *actor, int scoped,
                     const char *root, const struct dhis2_map *m, json_t *doc, struct arena *a,
                     json_t **summary, struct error *err)
{
	struct import_state S = { .st = st, .actor = scoped ? actor : NULL, .root = root,
	                          .conflicts = json_array() };
	struct dhis2_value *v = NULL;
	struct reported_value *rv = NULL;
	size_t n = 0, nr = 0, total = json_array_size(json_object_get(doc, "dataValues"));
	int rc;

	*summary = NULL;
	if (S.conflicts == NULL)
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	if (total > DHIS2_IMPORT_VALUES_MAX)
		rc = error_set_at(err, THC_ETOOBIG, "dataValues", "quá %d giá trị", "more than %d values",
		                  DHIS2_IMPORT_VALUES_MAX);
	else if ((rc = dhis2_read_json(m, doc, &v, &n, S.conflicts, err)) == 0 &&
	         (rc = import_pick(&S, m, v, n, a, &rv, &nr, err)) == 0)
		rc = import_store(&S, actor, rv, nr, total, summary, err);
	free(v);
	free(S.units);
	json_decref(S.conflicts);
	return rc;
}

int api_dhis2_parse(const char *text, size_t len, json_t **doc, struct error *err)
{
	json_error_t je;

	if (dhis2_is_adx(text, len))
		return dhis2_adx_to_json(text, len, doc, err);
	if ((*doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je)) == NULL)
		return error_set(err, THC_EINVAL, "không phải JSON hay ADX (dòng %d: %s)",
		                 "neither JSON nor ADX (line %d: %s)", je.line, je.text);
	if (!json_is_object(*doc)) {
		json_decref(*doc);
		*doc = NULL;
		return error_set(err, THC_EINVAL, "tài liệu dataValueSets phải là đối tượng JSON",
		                 "a dataValueSets document is a JSON object");
	}
	return 0;
}

/* DHIS2's web message around the summary: 200 when imported, 409 when
 * nothing was for conflicts. */
int api_dhis2_size_check(size_t len, struct error *err)
{
	if (len <= DHIS2_IMPORT_BYTES_MAX)
		return 0;
	return error_set(err, THC_ETOOBIG,
	                 "tệp nhập DHIS2 tối đa %zu KiB (1 MiB), tệp này %zu byte: "
	                 "hãy chia theo tỉnh hoặc theo tuần",
	                 "a DHIS2 import is limited to %zu KiB (1 MiB), this one is %zu bytes: "
	                 "split it by province or by week",
	                 DHIS2_IMPORT_BYTES_MAX >> 10, len);
}

static int import_reply(struct api_ctx *r, const struct apikey *key, json_t *doc)
{
	json_t *summary = NULL, *msg;
	int rc, ok;

	/* A key has no grants: its unit, if any, bounds it instead. */
	rc = api_dhis2_import(r->st, &r->actor, key == NULL, key ? key->unit_code : NULL,
	                      r->app->dhis2, doc, r->arena, &summary, &r->err);
	if (rc < 0)
		return rc;
	dhis2_summary_language(summary, r->http->english ? DHIS2_LANG_EN : DHIS2_LANG_VI);
	ok = json_array_size(json_object_get(summary, "conflicts")) == 0;
	msg = json_pack("{s:s,s:i,s:s,s:s,s:o}", "httpStatus", ok ? "OK" : "Conflict",
	                "httpStatusCode", ok ? 200 : 409, "status", ok ? "OK" : "ERROR",
	                "message", ok ? "Import was successful." : "One or more errors occurred",
	                "response", summary);
	if (msg == NULL)
		return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	return http_reply_json(r->http, ok ? 200 : 409, msg);
}

static int import_need_map(struct api_ctx *r)
{
	if (r->app->dhis2 == NULL)
		return error_set(&r->err, THC_EUNAVAILABLE, "máy chủ chưa nạp tệp ánh xạ DHIS2",
		                 "the server has no DHIS2 mapping loaded");
	return 0;
}

/*
 * Who imports: an official, each org unit of the file in their scope, or
 * (no session) another system with an "Authorization: ApiKey" key of scope
 * dhis2, each org unit within the key's unit when it has one, audited as
 * "apikey:<name>".  The key is checked before the body is looked at.
 */
static int import_caller(struct api_ctx *r, struct apikey *key, struct apikey **out)
{
	int rc;

	*out = NULL;
	if (r->user)
		return 0;
	if ((rc = auth_api_key(r, api_key_header(r), "dhis2", key)) < 0)
		return rc;
	*out = key;
	return 0;
}

int api_exchange_import_json(struct api_ctx *r, const struct route_args *a)
{
	struct apikey k, *key;
	int rc;

	(void)a;
	if ((rc = import_caller(r, &k, &key)) < 0 ||
	    (rc = api_dhis2_size_check(r->http->body.len, &r->err)) < 0 ||
	    (rc = import_need_map(r)) < 0)
		return rc;
	return import_reply(r, key, r->json);
}

int api_exchange_import_adx(struct api_ctx *r, const struct route_args *a)
{
	struct http_req *h = r->http;
	struct apikey k, *key;
	json_t *doc = NULL;
	int rc;

	(void)a;
	if ((rc = import_caller(r, &k, &key)) < 0)
		return rc;
	if (!http_content_is(h, "application/adx+xml") && !http_content_is(h, "application/xml"))
		return error_set(&r->err, THC_EMEDIATYPE,
		                 "nội dung phải là ADX (Content-Type: application/adx+xml)",
		                 "the body must be ADX (Content-Type: application/adx+xml)");
	if ((rc = api_dhis2_size_check(h->body.len, &r->err)) < 0 || (rc = import_need_map(r)) < 0)
		return rc;
	if (!dhis2_is_adx(h->body.buf, h->body.len))
		return error_set(&r->err, THC_EINVAL, "nội dung không phải XML",
		                 "the body is not XML");
	if ((rc = dhis2_adx_to_json(h->body.buf, h->body.len, &doc, &r->err)) < 0)
		return rc;
	rc = import_reply(r, key, doc);
	json_decref(doc);
	return rc;
}
