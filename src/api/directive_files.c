/*
 * Files attached to a directive: the issuing chain uploads the bytes as
 * the body (?filename= names it; the kind is told by the content, never by
 * the name or the Content-Type sent), whoever sees the directive lists and
 * downloads them, the issuing chain deletes them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "base/parse.h"
#include "domain/attachment.h"
#include "store/directives.h"
#include "base/banned.h"

json_t *api_directive_file_json(struct api_ctx *r, const struct directive_file *f)
{
	char url[96];

	snprintf(url, sizeof(url), "/api/v1/directives/%lld/attachments/%lld",
	         (long long)f->directive_id, (long long)f->id);
	return json_pack("{s:I,s:s,s:s,s:I,s:s,s:s,s:s,s:s}", "id", (json_int_t)f->id,
	                 "filename", f->filename, "content_type", f->content_type, "size",
	                 (json_int_t)f->size, "sha256", f->sha256, "url", url, "created_by",
	                 f->created_by, "created_at", http_time(r->http, f->created_at));
}

static int df_file_arg(struct api_ctx *r, const struct route_args *a, int64_t *id)
{
	if (parse_int64(route_arg(a, "file_id"), 1, INT64_MAX, id) < 0)
		return error_set(&r->err, THC_ENOTFOUND, "không có tệp '%.20s'", "no file '%.20s'",
		                 route_arg(a, "file_id"));
	return 0;
}

int api_directive_attach(struct api_ctx *r, const struct route_args *a)
{
	struct directive_file f = { 0 };
	const struct strbuf *body = &r->http->body;
	char loc[96];
	int rc;

	if ((rc = api_id_arg(r, a, &f.directive_id)) < 0)
		return rc;
	f.filename = http_query(r->http, "filename");
	if ((rc = attachment_name_check(f.filename, "filename", &r->err)) < 0)
		return rc;
	if (body->len == 0)
		return error_set_at(&r->err, THC_EUNPROCESSABLE, "file",
		                    "trường 'file': tệp rỗng", "field 'file': the file is empty");
	if (body->len > ATTACHMENT_SIZE_MAX)
		return error_set_at(&r->err, THC_ETOOBIG, "file",
		                    "trường 'file': tệp lớn hơn %zu MiB",
		                    "field 'file': the file is larger than %zu MiB",
		                    ATTACHMENT_SIZE_MAX >> 20);
	if (attachment_sniff((const unsigned char *)body->buf, body->len) == NULL)
		return error_set_at(&r->err, THC_EMEDIATYPE, "file",
		                    "trường 'file': chỉ nhận tệp PDF, JPEG, PNG, DOCX hoặc XLSX"
		                    " (xét theo nội dung tệp)",
		                    "field 'file': only PDF, JPEG, PNG, DOCX or XLSX files are accepted"
		                    " (told by the content)");
	if ((rc = store_directive_file_add(r->st, &r->actor, &f, (const unsigned char *)body->buf,
	                                   body->len, &r->err)) < 0)
		return rc;
	f.created_by = r->actor.username ? r->actor.username : "system";
	f.created_at = r->actor.now_ms;
	snprintf(loc, sizeof(loc), "/api/v1/directives/%lld/attachments/%lld",
	         (long long)f.directive_id, (long long)f.id);
	http_add_header(r->http, "Location", loc);
	return http_reply_json(r->http, 201, api_directive_file_json(r, &f));
}

int api_directive_files(struct api_ctx *r, const struct route_args *a)
{
	struct directive_file *f;
	json_t *items;
	int64_t id;
	size_t n;
	int rc;

	if ((rc = api_id_arg(r, a, &id)) < 0 ||
	    (rc = store_directive_files(r->st, &r->actor, id, r->arena, &f, &n, &r->err)) < 0)
		return rc;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, api_directive_file_json(r, &f[i]));
	return http_reply_json(r->http, 200, json_pack("{s:I,s:i,s:I,s:o}", "directive_id",
	                                               (json_int_t)id, "max_files", ATTACHMENTS_MAX,
	                                               "max_size", (json_int_t)ATTACHMENT_SIZE_MAX,
	                                               "items", items));
}

int api_directive_file(struct api_ctx *r, const struct route_args *a)
{
	char disp[ATTACHMENT_DISPOSITION_MAX];
	struct directive_file f;
	unsigned char *data;
	int64_t id, file_id;
	size_t len;
	int rc;

	if ((rc = api_id_arg(r, a, &id)) < 0 || (rc = df_file_arg(r, a, &file_id)) < 0 ||
	    (rc = store_directive_file_get(r->st, &r->actor, id, file_id, r->arena, &f, &data, &len,
	                                   &r->err)) < 0)
		return rc;
	if (attachment_disposition(f.filename, disp, sizeof(disp)) < 0 ||
	    http_add_header(r->http, "Content-Disposition", disp) < 0) {
		free(data);
		return error_set(&r->err, THC_EINTERNAL, "tên tệp quá dài", "the file name is too long");
	}
	return http_reply_bytes(r->http, 200, f.content_type, (char *)data, len);
}

int api_directive_detach(struct api_ctx *r, const struct route_args *a)
{
	int64_t id, file_id;
	int rc;

	if ((rc = api_id_arg(r, a, &id)) < 0 || (rc = df_file_arg(r, a, &file_id)) < 0 ||
	    (rc = store_directive_file_delete(r->st, &r->actor, id, file_id, &r->err)) < 0)
		return rc;
	return http_reply_json(r->http, 200, json_pack("{s:I,s:I,s:b}", "directive_id",
	                                               (json_int_t)id, "id", (json_int_t)file_id,
	                                               "deleted", 1));
}
