/*
 * The OpenAPI 3.1 document of the API, built from the routes table itself
 * (dispatch.c) so that it cannot drift from what the server dispatches:
 * every row is an operation, its {parameters} are path parameters, its
 * access is the security it needs, its body column the request body's
 * media types, and the error table (base/error.h) the error schema's codes.
 * What the table does not hold (the members of each body and reply) is in
 * docs/api.md, which the document points to.
 */
#include <string.h>

#include "api/api.h"
#include "domain/role.h"
#include "base/banned.h"

#define OPENAPI_PARAM_MAX 64

static json_t *openapi_error_schema(void)
{
	json_t *codes = json_array();

#define X(id, num, http, slug, vi, en) json_array_append_new(codes, json_string(slug));
	THC_ERRORS(X)
#undef X
	return json_pack(
		"{s:s,s:[s],s:{s:{s:s,s:[s,s],s:{s:{s:s,s:o},s:{s:s,s:s},s:{s:s,s:s}}}}}",
		"type", "object", "required", "error", "properties", "error",
		"type", "object", "required", "code", "message", "properties",
		"code", "type", "string", "enum", codes,
		"message", "type", "string", "description",
		"Vietnamese, or English when Accept-Language prefers it / tiếng Việt, hoặc tiếng Anh",
		"field", "type", "string", "description",
		"the input member or CSV column at fault / trường hoặc cột bị lỗi");
}

static json_t *openapi_components(void)
{
	json_t *err_ref = json_pack("{s:s}", "$ref", "#/components/schemas/Error");

	return json_pack(
		"{s:{s:o},s:{s:{s:s,s:o}},s:{s:{s:s,s:s,s:s},s:{s:s,s:s,s:s,s:s},"
		"s:{s:s,s:s,s:s,s:s}}}",
		"schemas", "Error", openapi_error_schema(),
		"responses", "Error", "description", "error / lỗi",
		"content", json_pack("{s:{s:o}}", "application/json; charset=utf-8", "schema", err_ref),
		"securitySchemes",
		"bearer", "type", "http", "scheme", "bearer", "description",
		"token from POST /api/v1/login",
		"cookie", "type", "apiKey", "in", "cookie", "name", "thc_session", "description",
		"session cookie from POST /api/v1/login; writes also need X-CSRF-Token",
		"apikey", "type", "apiKey", "in", "header", "name", "Authorization", "description",
		"\"ApiKey <key>\": another system's key (thichung apikey add --scope ...)");
}

/* Path parameters: every {name} segment of the pattern. */
static json_t *openapi_params(const char *pattern)
{
	json_t *params = json_array();
	const char *p = pattern;

	while ((p = strchr(p, '{')) != NULL) {
		const char *end = strchr(p, '}');
		char name[OPENAPI_PARAM_MAX];
		size_t len;

		if (end == NULL)
			break;
		len = (size_t)(end - p - 1);
		if (len >= sizeof(name))
			len = sizeof(name) - 1;
		memcpy(name, p + 1, len);
		name[len] = '\0';
		json_array_append_new(params, json_pack("{s:s,s:s,s:b,s:{s:s}}", "name", name,
		                                        "in", "path", "required", 1,
		                                        "schema", "type", "string"));
		p = end + 1;
	}
	return params;
}

static json_t *openapi_body(enum api_body body)
{
	json_t *json = json_pack("{s:{s:s}}", "schema", "type", "object");
	json_t *csv = json_pack("{s:{s:s}}", "schema", "type", "string");
	json_t *content = json_object();
	int required = body != API_BODY_JSON_OPTIONAL;

	if (body == API_BODY_JSON || body == API_BODY_JSON_OPTIONAL || body == API_BODY_JSON_OR_CSV)
		json_object_set(content, "application/json", json);
	if (body == API_BODY_CSV || body == API_BODY_JSON_OR_CSV)
		json_object_set(content, "text/csv", csv);
	if (body == API_BODY_FORM)
		json_object_set(content, "application/x-www-form-urlencoded", json);
	if (body == API_BODY_BYTES)
		json_object_set_new(content, "application/octet-stream",
		                    json_pack("{s:{s:s,s:s}}", "schema", "type", "string",
		                              "contentMediaType", "application/octet-stream"));
	json_decref(json);
	json_decref(csv);
	return json_pack("{s:b,s:o}", "required", required, "content", content);
}

static json_t *openapi_security(enum api_access access)
{
	if (access == API_SIGNED_IN)
		return json_pack("[{s:[]},{s:[]}]", "bearer", "cookie");
	if (access == API_SIGNED_IN_OR_KEY)
		return json_pack("[{s:[]},{s:[]},{s:[]}]", "bearer", "cookie", "apikey");
	if (access == API_PUBLIC)     /* anyone; a signed-in caller may see more */
		return json_pack("[{},{s:[]},{s:[]}]", "bearer", "cookie");
	return json_array();
}

static const char *const openapi_caches[] = {
	[API_CACHE_NONE] = "none", [API_CACHE_KEEP] = "keep", [API_CACHE_DROP] = "drop",
};

/* A route's success media type: ADX for .adx, a file's own for a download
 * of an attachment, else JSON (GeoJSON is JSON too). */
static const char *openapi_media(const struct api_route *rt)
{
	static const char file[] = "/attachments/{file_id}";
	size_t n = strlen(rt->pattern), nf = sizeof(file) - 1;

	if (n > 4 && strcmp(rt->pattern + n - 4, ".adx") == 0)
		return "application/adx+xml";
	if (strcmp(rt->method, "GET") == 0 && n > nf && strcmp(rt->pattern + n - nf, file) == 0)
		return "application/octet-stream";
	return "application/json";
}

/* A list that is also a file (exports.c): ?format= and the files' types. */
static void openapi_file_forms(json_t *op)
{
	json_t *content = json_object_get(json_object_get(json_object_get(op, "responses"), "2XX"),
	                                  "content");

	json_array_append_new(json_object_get(op, "parameters"), json_pack(
		"{s:s,s:s,s:b,s:s,s:{s:s,s:[s,s,s]}}", "name", "format", "in", "query", "required", 0,
		"description", "json (default), csv, or xlsx: the list as a file / danh sách dạng tệp",
		"schema", "type", "string", "enum", "json", "csv", "xlsx"));
	json_object_set_new(content, "text/csv", json_object());
	json_object_set_new(content,
	                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	                    json_object());
}

/* Every write takes an Idempotency-Key (api/idempotency.c). */
static json_t *openapi_idem_param(void)
{
	return json_pack("{s:s,s:s,s:b,s:s,s:{s:s,s:i,s:i}}", "name", "Idempotency-Key",
	                 "in", "header", "required", 0, "description",
	                 "gửi lại cùng khóa: nhận câu trả lời đầu, không ghi lần hai / the same key "
	                 "again: the first answer (Idempotent-Replayed: true), nothing written twice",
	                 "schema", "type", "string", "minLength", IDEM_KEY_MIN, "maxLength",
	                 IDEM_KEY_MAX);
}

static json_t *openapi_operation(const struct api_route *rt)
{
	json_t *roles = json_array();
	json_t *op, *err = json_pack("{s:s}", "$ref", "#/components/responses/Error");

	for (int k = 0; k < ROLE_COUNT; k++)
		if (rt->roles & ROLE_BIT(k))
			json_array_append_new(roles, json_string(role_name((enum role)k)));
	op = json_pack("{s:s,s:o,s:o,s:{s:{s:s,s:{s:{}}},s:O,s:o},s:o,s:s}",
	               "operationId", rt->name,
	               "parameters", openapi_params(rt->pattern),
	               "security", openapi_security(rt->access),
	               "responses", "2XX", "description", "success / thành công", "content",
	               openapi_media(rt), "4XX", err, "5XX", err,
	               "x-roles", roles, "x-cache", openapi_caches[rt->cache]);
	if (op && rt->body != API_BODY_NONE)
		json_object_set_new(op, "requestBody", openapi_body(rt->body));
	if (op && api_export_known(rt->fn))
		openapi_file_forms(op);
	if (op && strcmp(rt->method, "GET") != 0)
		json_array_append_new(json_object_get(op, "parameters"), openapi_idem_param());
	return op;
}

json_t *api_openapi_doc(void)
{
	json_t *paths = json_object();
	json_t *doc;
	char method[8];

	for (size_t i = 0; paths && i < api_routes_count; i++) {
		const struct api_route *rt = &api_routes[i];
		json_t *item = json_object_get(paths, rt->pattern);
		size_t k;

		if (item == NULL) {
			item = json_object();
			json_object_set_new(paths, rt->pattern, item);
		}
		for (k = 0; rt->method[k] && k + 1 < sizeof(method); k++)
			method[k] = (char)(rt->method[k] | 0x20);     /* ASCII lower case */
		method[k] = '\0';
		json_object_set_new(item, method, openapi_operation(rt));
	}
	doc = json_pack("{s:s,s:{s:s,s:s,s:s,s:{s:s,s:s}},s:[{s:s}],s:o,s:o}",
	                "openapi", "3.1.0",
	                "info", "title", "thichung API", "version", THC_VERSION,
	                "description", "Thích ứng an toàn, linh hoạt, kiểm soát hiệu quả COVID-19. "
	                "Generated from the server's routes table; members of bodies and replies: "
	                "docs/api.md.",
	                "license", "name", "AGPL-3.0-or-later", "identifier", "AGPL-3.0-or-later",
	                "servers", "url", "/",
	                "paths", paths, "components", openapi_components());
	return doc;
}

int api_openapi(struct api_ctx *r, const struct route_args *a)
{
	json_t *doc = api_openapi_doc();

	(void)a;
	if (doc == NULL)
		return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	return http_reply_json(r->http, 200, doc);
}
