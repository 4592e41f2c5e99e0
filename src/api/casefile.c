/*
 * The case page's reads and edits: GET /api/v1/cases/{id}/file (the lab
 * tests and isolations around a case) and PATCH /api/v1/people/{id} (a
 * person's phone and address).  Scoped by the store like the case itself.
 */
#include <string.h>

#include "api/api.h"
#include "api/field.h"
#include "domain/case.h"
#include "store/casefile.h"
#include "base/banned.h"

#define PERSON_PHONE_MAX 20

static json_t *casefile_id(int64_t v)
{
	return v > 0 ? json_integer(v) : json_null();
}

int api_case_file(struct api_ctx *r, const struct route_args *a)
{
	struct casefile f;
	json_t *tests, *isolations;
	int64_t id;
	int rc;

	if ((rc = api_id_arg(r, a, &id)) < 0)
		return rc;
	if ((rc = store_case_file(r->st, &r->actor, id, r->arena, &f, &r->err)) < 0)
		return rc;
	tests = json_array();
	for (size_t i = 0; i < f.ntests; i++)
		json_array_append_new(tests, json_pack("{s:I,s:o,s:s,s:s,s:s}",
		                      "id", (json_int_t)f.tests[i].id,
		                      "case_id", casefile_id(f.tests[i].case_id),
		                      "taken_on", f.tests[i].taken_on, "test_type", f.tests[i].test_type,
		                      "result", f.tests[i].result));
	isolations = json_array();
	for (size_t i = 0; i < f.nisolations; i++) {
		const struct casefile_isolation *s = &f.isolations[i];

		json_array_append_new(isolations, json_pack("{s:I,s:I,s:s,s:o,s:o,s:s,s:s,s:s,s:s?,s:s?}",
		                      "id", (json_int_t)s->id, "person_id", (json_int_t)s->person_id,
		                      "full_name", s->full_name, "case_id", casefile_id(s->case_id),
		                      "contact_id", casefile_id(s->contact_id), "kind", s->kind,
		                      "unit_code", s->unit_code, "started_on", s->started_on,
		                      "planned_end", s->planned_end, "released_on", s->released_on));
	}
	return http_reply_json(r->http, 200, json_pack("{s:I,s:o,s:o}", "case_id", (json_int_t)id,
	                                         "tests", tests, "isolations", isolations));
}

static int casefile_address_check(const char *field, const char *v, struct error *err)
{
	return case_check_text(field, v, 0, err);
}

static const struct field person_patch_fields[] = {
	FIELD_CHECKED("phone", struct person_patch, phone, 0, PERSON_PHONE_MAX, case_check_phone),
	FIELD_CHECKED("address", struct person_patch, address, 0, CASE_TEXT_MAX,
	              casefile_address_check),
};

int api_people_patch(struct api_ctx *r, const struct route_args *a)
{
	struct person_patch p = { 0 };
	json_t *doc = NULL;
	int64_t id;
	int rc;

	if ((rc = api_id_arg(r, a, &id)) < 0)
		return rc;
	if ((rc = api_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = field_read_json(FIELDS(person_patch_fields), doc, NULL, api_today(r), &p,
	                          &r->err)) < 0)
		goto out;
	/* "" clears a field; the reader takes it for "not given". */
	if (p.phone == NULL && json_is_string(json_object_get(doc, "phone")))
		p.phone = "";
	if (p.address == NULL && json_is_string(json_object_get(doc, "address")))
		p.address = "";
	if (p.phone == NULL && p.address == NULL) {
		rc = error_set_at(&r->err, THC_EUNPROCESSABLE, "phone",
		                  "cần ít nhất một trường: 'phone' hoặc 'address'",
		                  "at least one field is needed: 'phone' or 'address'");
		goto out;
	}
	if ((rc = store_person_update(r->st, &r->actor, id, &p, &r->err)) < 0)
		goto out;
	rc = http_reply_json(r->http, 200, json_pack("{s:I,s:s?,s:s?}", "id", (json_int_t)id,
	                                       "phone", p.phone && p.phone[0] ? p.phone : NULL,
	                                       "address", p.address && p.address[0] ? p.address : NULL));
out:
	json_decref(doc);
	return rc;
}
