/*
 * Links between directives (implements, replaces), the list of
 * directives a unit issued or received, and what the progress page shows
 * of both with the attached files.
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "base/parse.h"
#include "base/text.h"
#include "base/vntime.h"
#include "domain/unit.h"
#include "store/directives.h"
#include "base/banned.h"

static json_t *dl_ref_json(const struct directive_ref *d)
{
	if (d->id == 0)
		return json_null();
	return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s}", "id", (json_int_t)d->id, "number", d->number,
	                 "issued_on", d->issued_on, "issuer", d->issuer_code, "issuer_name",
	                 d->issuer_name, "title", d->title);
}

static json_t *dl_refs_json(const struct directive_ref *d, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, dl_ref_json(&d[i]));
	return a;
}

static json_t *dl_links_json(const struct directive_links *l)
{
	return json_pack("{s:o,s:o,s:o,s:o}", "implements",
	                 dl_refs_json(l->implements, l->nimplements), "implemented_by",
	                 dl_refs_json(l->implemented_by, l->nimplemented_by), "replaces",
	                 dl_ref_json(&l->replaces), "replaced_by", dl_ref_json(&l->replaced_by));
}

int api_directive_extras(struct api_ctx *r, int64_t id, json_t *directive)
{
	struct directive_links l;
	struct directive_file *f;
	json_t *files;
	size_t n;
	int rc;

	if ((rc = store_directive_links(r->st, &r->actor, id, r->arena, &l, &r->err)) < 0 ||
	    (rc = store_directive_files(r->st, &r->actor, id, r->arena, &f, &n, &r->err)) < 0)
		return rc;
	files = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(files, api_directive_file_json(r, &f[i]));
	json_object_set_new(directive, "links", dl_links_json(&l));
	json_object_set_new(directive, "attachments", files);
	/* What the page may offer: attaching, deleting and linking are the
	 * issuing chain's. */
	rc = store_directive_issuer_check(r->st, &r->actor, id, NULL, 0, &r->err);
	if (rc < 0 && rc != THC_EFORBIDDEN)
		return rc;
	error_clear(&r->err);
	json_object_set_new(directive, "may_edit", json_boolean(rc == 0));
	return 0;
}

int api_directive_links_get(struct api_ctx *r, const struct route_args *a)
{
	struct directive_links l;
	int64_t id;
	int rc;

	if ((rc = api_id_arg(r, a, &id)) < 0 ||
	    (rc = store_directive_links(r->st, &r->actor, id, r->arena, &l, &r->err)) < 0)
		return rc;
	return http_reply_json(r->http, 200, dl_links_json(&l));
}

/* A positive directive id at `field`. */
static int dl_id(struct api_ctx *r, json_t *v, const char *field, int64_t *out)
{
	if (!json_is_integer(v) || json_integer_value(v) < 1)
		return error_set_at(&r->err, THC_EUNPROCESSABLE, field,
		                    "trường '%s': cần mã số văn bản (số nguyên dương)",
		                    "field '%s': expected a directive id (a positive integer)", field);
	*out = (int64_t)json_integer_value(v);
	return 0;
}

int api_directive_link(struct api_ctx *r, const struct route_args *a)
{
	struct directive_link_in in = { 0 };
	struct directive_links l;
	json_t *doc = NULL, *impl, *rep;
	int64_t *ids = NULL;
	int rc;

	if ((rc = api_id_arg(r, a, &in.id)) < 0 || (rc = api_body_json(r, &doc)) < 0)
		goto out;
	impl = json_object_get(doc, "implements");
	rep = json_object_get(doc, "replaces");
	if (impl && !json_is_null(impl) &&
	    (!json_is_array(impl) || json_array_size(impl) > DIRECTIVE_LINKS_MAX)) {
		rc = error_set_at(&r->err, THC_EUNPROCESSABLE, "implements",
		                  "trường 'implements': cần danh sách tối đa %d mã số văn bản",
		                  "field 'implements': expected a list of at most %d directive ids",
		                  DIRECTIVE_LINKS_MAX);
		goto out;
	}
	in.nimplements = json_is_array(impl) ? json_array_size(impl) : 0;
	if ((ids = arena_alloc(r->arena, (in.nimplements + 1) * sizeof(*ids))) == NULL) {
		rc = error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		goto out;
	}
	for (size_t i = 0; i < in.nimplements; i++) {
		char f[40];

		snprintf(f, sizeof(f), "implements[%zu]", i);
		if ((rc = dl_id(r, json_array_get(impl, i), f, &ids[i])) < 0)
			goto out;
	}
	in.implements = ids;
	if (rep && !json_is_null(rep) && (rc = dl_id(r, rep, "replaces", &in.replaces)) < 0)
		goto out;
	if (in.nimplements == 0 && in.replaces == 0) {
		rc = error_set_at(&r->err, THC_EUNPROCESSABLE, "implements",
		                  "trường 'implements' hoặc 'replaces': cần ít nhất một văn bản",
		                  "field 'implements' or 'replaces': name at least one directive");
		goto out;
	}
	if ((rc = store_directive_link(r->st, &r->actor, &in, &r->err)) < 0 ||
	    (rc = store_directive_links(r->st, &r->actor, in.id, r->arena, &l, &r->err)) < 0)
		goto out;
	rc = http_reply_json(r->http, in.added ? 201 : 200, dl_links_json(&l));
out:
	json_decref(doc);
	return rc;
}

/* ---- a unit's directives ---- */

static int dl_day(struct api_ctx *r, const char *name, const char **out)
{
	const char *v = http_query(r->http, name);
	struct vndate d;

	*out = NULL;
	if (v == NULL || v[0] == '\0')
		return 0;
	if (vndate_parse(v, &d) < 0 || strlen(v) != 10)
		return error_set_at(&r->err, THC_EINVAL, name,
		                    "tham số '%s': '%.20s' không phải ngày YYYY-MM-DD",
		                    "parameter '%s': '%.20s' is not a date YYYY-MM-DD", name, v);
	*out = v;
	return 0;
}

static int dl_list_query(struct api_ctx *r, const struct route_args *a,
                         struct directive_list_q *q)
{
	const char *dir = http_query(r->http, "direction"), *v;
	int64_t n;
	int rc;

	memset(q, 0, sizeof(*q));
	q->unit_code = route_arg(a, "code");
	q->today = api_today(r);
	q->limit = 20;
	if (dir && strcmp(dir, "issued") != 0 && strcmp(dir, "received") != 0)
		return error_set_at(&r->err, THC_EINVAL, "direction",
		                    "tham số 'direction': cần 'issued' (đã ban hành) hoặc 'received' (nhận được)",
		                    "parameter 'direction': expected 'issued' or 'received'");
	q->received = dir && strcmp(dir, "received") == 0;
	if ((v = http_query(r->http, "limit")) != NULL) {
		if (parse_int64(v, 1, DIRECTIVE_PAGE_MAX, &n) < 0)
			return error_set_at(&r->err, THC_EINVAL, "limit",
			                    "tham số 'limit': cần số từ 1 đến %d",
			                    "parameter 'limit': expected 1 to %d", DIRECTIVE_PAGE_MAX);
		q->limit = (size_t)n;
	}
	if ((v = http_query(r->http, "cursor")) != NULL && v[0] &&
	    parse_int64(v, 1, INT64_MAX, &q->before) < 0)
		return error_set_at(&r->err, THC_EINVAL, "cursor",
		                    "tham số 'cursor': không hợp lệ (lấy từ 'next' của trang trước)",
		                    "parameter 'cursor': invalid (take it from the previous page's 'next')");
	if ((v = http_query(r->http, "q")) != NULL && v[0]) {
		uint32_t bad;

		if (strlen(v) > DIRECTIVE_TITLE_MAX || text_plain_check(v, strlen(v), false, &bad) >= 0)
			return error_set_at(&r->err, THC_EINVAL, "q",
			                    "tham số 'q': cần chữ thường, tối đa %d byte",
			                    "parameter 'q': expected plain text of at most %d bytes",
			                    DIRECTIVE_TITLE_MAX);
		q->q = v;
	}
	if ((rc = dl_day(r, "from", &q->from)) < 0 || (rc = dl_day(r, "to", &q->to)) < 0)
		return rc;
	if (q->from && q->to && strcmp(q->from, q->to) > 0)
		return error_set_at(&r->err, THC_EINVAL, "to",
		                    "tham số 'to': phải từ ngày 'from' trở đi",
		                    "parameter 'to': must be on or after 'from'");
	return 0;
}

int api_unit_directives(struct api_ctx *r, const struct route_args *a)
{
	struct directive_list_q q;
	struct directive_summary *d;
	json_t *items;
	char next[24];
	int64_t after;
	size_t n;
	int rc;

	if ((rc = dl_list_query(r, a, &q)) < 0 ||
	    (rc = store_directive_list(r->st, &r->actor, &q, r->arena, &d, &n, &after,
	                               &r->err)) < 0)
		return rc;
	items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = dl_ref_json(&d[i].ref);

		json_object_set_new(o, "progress", json_pack("{s:I,s:I,s:I,s:I}", "total",
		                    (json_int_t)d[i].total, "done", (json_int_t)d[i].done, "open",
		                    (json_int_t)d[i].open, "overdue", (json_int_t)d[i].overdue));
		json_object_set_new(o, "replaced", json_boolean(d[i].replaced));
		json_array_append_new(items, o);
	}
	snprintf(next, sizeof(next), "%lld", (long long)after);
	return http_reply_json(r->http, 200, json_pack("{s:s,s:s,s:o,s:s?}", "unit_code",
	                                               q.unit_code, "direction",
	                                               q.received ? "received" : "issued",
	                                               "items", items, "next",
	                                               after ? next : NULL));
}
