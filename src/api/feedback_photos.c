/*
 * Photos of a feedback request: the reporter sends each one as the body of
 * its own POST under the tracking code (Content-Type image/jpeg, image/png
 * or image/webp, checked against the bytes), up to three; the officials
 * who handle the request list them with it and download each one, audited.
 * Never on the tracking page nor in Open311 (media_url stays null): a
 * photo may show people, their homes, their papers.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "base/parse.h"
#include "domain/fbphoto.h"
#include "store/fbphotos.h"
#include "store/feedback.h"
#include "base/banned.h"

int api_feedback_photo_add(struct api_ctx *r, const struct route_args *a)
{
	const unsigned char *body = (const unsigned char *)r->http->body.buf;
	size_t n = r->http->body.len, b64len;
	const char *type;
	char hash[65], *b64;
	int64_t id, fid;
	int rc;

	if (api_feedback_code_hash(route_arg(a, "token"), hash) < 0)
		return error_set(&r->err, THC_ENOTFOUND, "không có phản ánh với mã theo dõi này",
		                 "no feedback request with this tracking code");
	if ((rc = fbphoto_check(http_header(r->http, "Content-Type"), body, n, &type, &r->err)) < 0)
		return rc;
	b64len = sodium_base64_encoded_len(n, sodium_base64_VARIANT_ORIGINAL);
	if ((b64 = arena_alloc(r->arena, b64len)) == NULL)
		return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	sodium_bin2base64(b64, b64len, body, n, sodium_base64_VARIANT_ORIGINAL);
	if (r->user == NULL)
		r->actor.username = "reporter";
	if ((rc = store_fbphoto_add(r->st, &r->actor, hash, type, b64, (int64_t)n, &id, &fid,
	                            &r->err)) < 0)
		return rc;
	return http_reply_json(r->http, 201, json_pack("{s:I,s:s,s:I}", "id", (json_int_t)id,
	                                               "media_type", type, "bytes", (json_int_t)n));
}

json_t *api_feedback_photos_json(struct api_ctx *r, const struct feedback_item *f)
{
	struct fbphoto_item *p;
	json_t *items = json_array();
	size_t n;

	if (store_fbphoto_list(r->st, &r->actor, f->id, r->arena, &p, &n, &r->err) < 0)
		return items;
	for (size_t i = 0; i < n; i++) {
		char url[96];

		snprintf(url, sizeof(url), "/api/v1/feedback/%lld/photos/%lld", (long long)f->id,
		         (long long)p[i].id);
		json_array_append_new(items, json_pack("{s:I,s:s,s:I,s:s,s:s}", "id", (json_int_t)p[i].id,
		                      "media_type", p[i].media_type, "bytes", (json_int_t)p[i].bytes,
		                      "url", url, "created_at", http_time(r->http, p[i].created_at_ms)));
	}
	return items;
}

int api_feedback_photo_get(struct api_ctx *r, const struct route_args *a)
{
	struct fbphoto_item p;
	int64_t id, photo;
	size_t n = 0, cap;
	char *bytes;
	int rc;

	if ((rc = api_id_arg(r, a, &id)) < 0)
		return rc;
	if (parse_int64(route_arg(a, "photo_id"), 1, INT64_MAX, &photo) < 0)
		return error_set(&r->err, THC_ENOTFOUND, "không có ảnh này", "no such photo");
	if ((rc = store_fbphoto_get(r->st, &r->actor, id, photo, r->arena, &p, &r->err)) < 0)
		return rc;
	cap = strlen(p.base64) / 4 * 3 + 3;
	if ((bytes = malloc(cap)) == NULL)
		return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	if (sodium_base642bin((unsigned char *)bytes, cap, p.base64, strlen(p.base64), NULL, &n,
	                      NULL, sodium_base64_VARIANT_ORIGINAL) != 0) {
		free(bytes);
		return error_set(&r->err, THC_ESTORE, "ảnh %lld hỏng", "photo %lld is damaged",
		                 (long long)photo);
	}
	/* (Every API reply carries Cache-Control: no-store, http/headers.h.) */
	return http_reply_bytes(r->http, 200, p.media_type, bytes, n);
}
