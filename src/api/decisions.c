/*
 * Reward and discipline decisions over HTTP: recorded by the issuing
 * unit's officials, listed for them, and published: the public list says
 * only the name, the unit, the decision, the reason and the date.
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/field.h"
#include "domain/unit.h"
#include "store/decisions.h"
#include "base/banned.h"

#define DEC_TEXT_MAX 300
#define DEC_REASON_MAX 2000

static const char *const dec_kinds[] = { "reward", "discipline", NULL };

struct dec_in {
	const char *kind, *form, *number, *person_name, *unit_code, *reason, *decided_on, *issuer;
	int64_t inspection_id;
	int is_public;
};
static const struct field dec_fields[] = {
	FIELD_ENUM("kind", struct dec_in, kind, FIELD_REQUIRED, dec_kinds, NULL),
	FIELD_TEXT("form", struct dec_in, form, FIELD_REQUIRED, DEC_TEXT_MAX),
	FIELD_TEXT("number", struct dec_in, number, FIELD_REQUIRED, DEC_TEXT_MAX),
	FIELD_TEXT("person_name", struct dec_in, person_name, 0, DEC_TEXT_MAX),
	FIELD_TEXT("unit_code", struct dec_in, unit_code, 0, UNIT_CODE_MAX),
	FIELD_TEXT("reason", struct dec_in, reason, FIELD_REQUIRED | FIELD_MULTILINE, DEC_REASON_MAX),
	FIELD_DAY("decided_on", struct dec_in, decided_on, FIELD_REQUIRED | FIELD_PAST),
	FIELD_TEXT("issuer", struct dec_in, issuer, FIELD_REQUIRED, UNIT_CODE_MAX),
	FIELD_INT("inspection_id", struct dec_in, inspection_id, 0, 1, INT64_MAX, 0),
	FIELD_BOOL("public", struct dec_in, is_public, 0, 0),
};

int api_decisions_create(struct api_ctx *r, const struct route_args *a)
{
	struct dec_in in;
	struct decision d;
	char loc[64];
	int rc;

	(void)a;
	if ((rc = field_read_json(FIELDS(dec_fields), r->json, NULL, api_today(r), &in, &r->err)) < 0)
		return rc;
	if (in.person_name == NULL && in.unit_code == NULL)
		return error_set_at(&r->err, THC_EUNPROCESSABLE, "person_name",
		                    "cần 'person_name' hoặc 'unit_code' (người hoặc đơn vị được quyết định)",
		                    "'person_name' or 'unit_code' is required (who the decision is about)");
	d = (struct decision){ .kind = in.kind, .form = in.form, .number = in.number,
	                       .person_name = in.person_name, .unit_code = in.unit_code,
	                       .reason = in.reason, .decided_on = in.decided_on,
	                       .issuer_code = in.issuer, .inspection_id = in.inspection_id,
	                       .is_public = in.is_public };
	if ((rc = store_decision_create(r->st, &r->actor, &d, &r->err)) < 0)
		return rc;
	snprintf(loc, sizeof(loc), "/api/v1/decisions?unit=%s", in.issuer);
	http_add_header(r->http, "Location", loc);
	return http_reply_json(r->http, 201, json_pack("{s:I}", "id", (json_int_t)d.id));
}

int api_decisions_list(struct api_ctx *r, const struct route_args *a)
{
	struct decision *d;
	json_t *items;
	size_t n;
	int rc;

	(void)a;
	if ((rc = store_decision_list(r->st, &r->actor, http_query(r->http, "unit"), r->arena, &d,
	                              &n, &r->err)) < 0)
		return rc;
	items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s?,s:s?,s:s?,s:s,s:s,s:s,s:b}",
		                      "id", (json_int_t)d[i].id, "kind", d[i].kind, "form", d[i].form,
		                      "number", d[i].number, "person_name", d[i].person_name,
		                      "unit_code", d[i].unit_code, "unit_name", d[i].unit_name,
		                      "reason", d[i].reason, "decided_on", d[i].decided_on,
		                      "issuer", d[i].issuer_code, "public", d[i].is_public);
		json_object_set_new(o, "inspection_id", d[i].inspection_id
		                    ? json_integer(d[i].inspection_id) : json_null());
		json_array_append_new(items, o);
	}
	return http_reply_json(r->http, 200, json_pack("{s:o}", "items", items));
}

/* Public: nothing but name, unit, decision, reason and date. */
int api_decisions_public(struct api_ctx *r, const struct route_args *a)
{
	struct decision *d;
	json_t *items;
	size_t n;
	int rc;

	(void)a;
	if ((rc = store_decision_public(r->st, http_query(r->http, "unit"), r->arena, &d, &n,
	                                &r->err)) < 0)
		return rc;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:s?,s:s?,s:{s:s,s:s,s:s},s:s,s:s}",
		                      "name", d[i].person_name, "unit", d[i].unit_name,
		                      "decision", "kind", d[i].kind, "form", d[i].form,
		                      "number", d[i].number, "reason", d[i].reason,
		                      "date", d[i].decided_on));
	return http_reply_json(r->http, 200, json_pack("{s:o}", "items", items));
}
