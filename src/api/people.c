/*
 * People: merging two records of one commune, and the links that tell a
 * person's home commune what other communes recorded about them (see
 * src/store/people.c for why records are kept per commune).
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/field.h"
#include "base/parse.h"
#include "domain/case.h"
#include "base/banned.h"

#define LINKS_LIMIT_DEFAULT 100
#define LINK_NOTE_MAX 1000
#define LINK_FIELDS_MAX 5

json_t *api_person_json(const struct person *p)
{
	json_t *o = json_pack("{s:o,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?}",
	                      "id", p->id > 0 ? json_integer(p->id) : json_null(),
	                      "full_name", p->full_name, "id_number", p->id_number, "sex", p->sex,
	                      "phone", p->phone, "unit_code", p->unit_code, "address", p->address);

	json_object_set_new(o, "birth_year", p->birth_year >= 0 ? json_integer(p->birth_year)
	                                                        : json_null());
	return o;
}

struct people_in {
	int64_t into;
	const char *note;
};

static const struct field merge_fields[] = {
	FIELD_INT("into", struct people_in, into, FIELD_REQUIRED, 1, INT64_MAX, 0),
};

static const struct field decision_fields[] = {
	FIELD_TEXT("note", struct people_in, note, FIELD_MULTILINE, LINK_NOTE_MAX),
};

int api_people_merge(struct api_ctx *r, const struct route_args *a)
{
	struct people_in in;
	json_t *doc = NULL;
	int64_t id;
	int rc;

	if ((rc = api_id_arg(r, a, &id)) < 0)
		return rc;
	if ((rc = api_body_json(r, &doc)) < 0)
		goto out;
	if ((rc = field_read_json(FIELDS(merge_fields), doc, NULL, api_today(r), &in,
	                          &r->err)) < 0)
		goto out;
	if ((rc = store_person_merge(r->st, &r->actor, id, in.into, &r->err)) < 0)
		goto out;
	rc = http_reply_json(r->http, 200, json_pack("{s:I,s:I}", "id", (json_int_t)id,
	                                       "merged_into", (json_int_t)in.into));
out:
	json_decref(doc);
	return rc;
}

static json_t *link_json(struct api_ctx *r, const struct person_link *l)
{
	json_t *prop = l->proposed_json ? json_loads(l->proposed_json, 0, NULL) : NULL;

	return json_pack("{s:I,s:o,s:s,s:s,s:s,s:s?,s:o,s:s,s:s,s:s?,s:s?,s:s?}",
	                 "id", (json_int_t)l->id, "person", api_person_json(&l->person),
	                 "record", l->record, "record_commune", l->record_commune,
	                 "record_on", l->record_on, "detail", l->detail,
	                 "proposed", prop ? prop : json_object(), "status", l->status,
	                 "created_at", http_time(r->http, l->created_at_ms),
	                 "decided_at", http_time(r->http, l->decided_at_ms),
	                 "decided_by", l->decided_by, "decision_note", l->decision_note);
}

int api_person_links_list(struct api_ctx *r, const struct route_args *a)
{
	struct person_link_query q = { .limit = LINKS_LIMIT_DEFAULT };
	struct person_link *v;
	int64_t limit, cursor, next;
	size_t n;
	json_t *items;
	int rc;

	(void)a;
	if ((rc = api_query_int(r, "limit", 1, PERSON_LINKS_MAX, &limit)) < 0)
		return rc;
	q.limit = rc == 0 ? (int)limit : LINKS_LIMIT_DEFAULT;
	if ((rc = api_query_int(r, "cursor", 1, INT64_MAX, &cursor)) < 0)
		return rc;
	q.cursor = rc == 0 ? cursor : 0;
	q.unit = http_query(r->http, "unit");
	q.status = http_query(r->http, "status");
	if (q.status && strcmp(q.status, "all") == 0)
		q.status = NULL;
	else if (q.status == NULL)
		q.status = "open";
	else if (strcmp(q.status, "open") && strcmp(q.status, "accepted") &&
	         strcmp(q.status, "dismissed"))
		return error_set(&r->err, THC_EINVAL,
		                 "tham số 'status' phải là open, accepted, dismissed hoặc all",
		                 "parameter 'status' must be open, accepted, dismissed or all");
	if ((rc = store_person_links_list(r->st, &r->actor, &q, r->arena, &v, &n, &next,
	                                  &r->err)) < 0)
		return rc;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, link_json(r, &v[i]));
	return http_reply_json(r->http, 200, json_pack("{s:o,s:o}", "items", items,
	                                         "next", next ? json_integer(next) : json_null()));
}

/* {"fields": ["phone", ...]} (optional) and {"note": "..."} (optional). */
static int link_decision_parse(struct api_ctx *r, json_t *doc, const char **fields,
                               const char **note)
{
	json_t *f = json_object_get(doc, "fields"), *v;
	struct people_in in;
	size_t i, k = 0;
	int rc;

	if ((rc = field_read_json(FIELDS(decision_fields), doc, NULL, api_today(r), &in,
	                          &r->err)) < 0)
		return rc;
	*note = in.note;
	if (f == NULL || json_is_null(f))
		return 1;
	if (!json_is_array(f) || json_array_size(f) == 0 || json_array_size(f) > LINK_FIELDS_MAX)
		return error_set_at(&r->err, THC_EUNPROCESSABLE, "fields",
		                 "trường 'fields' phải là danh sách 1..%d tên trường",
		                 "field 'fields' must be a list of 1..%d field names", LINK_FIELDS_MAX);
	json_array_foreach(f, i, v) {
		if (!json_is_string(v))
			return error_set_at(&r->err, THC_EUNPROCESSABLE, "fields",
			                 "trường 'fields': mục %zu phải là chuỗi",
			                 "field 'fields': item %zu must be a string", i + 1);
		fields[k++] = json_string_value(v);
	}
	fields[k] = NULL;
	return 0;
}

static int link_decide(struct api_ctx *r, const struct route_args *a, int accept)
{
	const char *fields[LINK_FIELDS_MAX + 1], *note = NULL;
	json_t *doc = NULL;
	int64_t id;
	int rc, all = 1;

	if ((rc = api_id_arg(r, a, &id)) < 0)
		return rc;
	if (r->http->body.len) {
		if ((rc = api_body_json(r, &doc)) < 0 ||
		    (rc = link_decision_parse(r, doc, fields, &note)) < 0)
			goto out;
		all = rc == 1;
	}
	if ((rc = store_person_link_decide(r->st, &r->actor, id, accept,
	                                   accept && !all ? fields : NULL, note, &r->err)) < 0)
		goto out;
	rc = http_reply_json(r->http, 200, json_pack("{s:I,s:s}", "id", (json_int_t)id,
	                                       "status", accept ? "accepted" : "dismissed"));
out:
	json_decref(doc);
	return rc;
}

int api_person_link_accept(struct api_ctx *r, const struct route_args *a)
{
	return link_decide(r, a, 1);
}

int api_person_link_dismiss(struct api_ctx *r, const struct route_args *a)
{
	return link_decide(r, a, 0);
}
