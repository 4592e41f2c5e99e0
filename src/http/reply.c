/*
 * Request helpers and replies: JSON bodies, error bodies in the caller's
 * language, security headers on every response.
 */
#include <jansson.h>
#include <microhttpd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/text.h"
#include "base/vntime.h"
#include "http/encoding.h"
#include "http/headers.h"
#include "http/http.h"
#include "http/json.h"
#include "base/banned.h"

struct http_hdr {
	struct http_hdr *next;
	const char *name, *value;
};

const char *http_header(struct http_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *http_query(struct http_req *r, const char *name)
{
	return query_get(&r->query, name);
}

int http_add_header(struct http_req *r, const char *name, const char *value)
{
	struct http_hdr *h = arena_alloc(&r->arena, sizeof(*h));

	if (h == NULL)
		return THC_ENOMEM;
	h->name = arena_strdup(&r->arena, name);
	h->value = arena_strdup(&r->arena, value);
	h->next = r->hdrs;
	r->hdrs = h;
	return 0;
}

static int http_send_as(struct http_req *r, unsigned status, const char *ctype, char *body,
                        size_t len);

const char *http_cookie_attrs(const struct http_req *r)
{
	return r->https || r->cfg->secure_cookies ? "; Secure" : "";
}

void http_add_hsts(const struct http_req *r, struct MHD_Response *resp)
{
	char v[48];

	/* Only over HTTPS: a browser ignores it over HTTP (RFC 6797 section 8.1). */
	if (!r->https || r->cfg->hsts_max_age == 0)
		return;
	snprintf(v, sizeof(v), "max-age=%u", r->cfg->hsts_max_age);
	MHD_add_response_header(resp, "Strict-Transport-Security", v);
}

/* A public answer (the level map, units, weekly figures) may be kept by a
 * CDN or nginx in front for a few seconds, which absorbs a national spike;
 * anything else, errors included, is no-store.  The answer may differ by
 * language and by who asks: Vary (below) tells shared caches so. */
static void http_add_cache_control(const struct http_req *r, struct MHD_Response *resp,
                                   unsigned status)
{
	char v[48];

	if (r->cache_public && r->cfg->public_max_age && (status == 200 || status == 304)) {
		snprintf(v, sizeof(v), "public, max-age=%u", r->cfg->public_max_age);
		MHD_add_response_header(resp, "Cache-Control", v);
	} else {
		MHD_add_response_header(resp, "Cache-Control", "no-store");
	}
}

void http_etag(const char *body, size_t len, char out[HTTP_ETAG_MAX])
{
	snprintf(out, HTTP_ETAG_MAX, "\"%016llx\"",
	         (unsigned long long)text_fnv1a(body, len, TEXT_FNV_SEED));
}

/* A public 200 is answered 304 when the client has its bytes already,
 * whether they came from the cache or were just made. */
static unsigned http_conditional(struct http_req *r, char **body, size_t *len,
                                 char etag[HTTP_ETAG_MAX])
{
	const char *inm = http_header(r, "If-None-Match");

	if (r->etag)
		snprintf(etag, HTTP_ETAG_MAX, "%s", r->etag);
	else
		http_etag(*body, *len, etag);
	if (inm == NULL || strstr(inm, etag) == NULL)
		return 200;
	free(*body);
	*body = NULL;
	*len = 0;
	return 304;
}

static int http_send(struct http_req *r, unsigned status, char *body, size_t len)
{
	return http_send_as(r, status, "application/json; charset=utf-8", body, len);
}

int http_reply_bytes(struct http_req *r, unsigned status, const char *content_type,
                     char *body, size_t len)
{
	return http_send_as(r, status, content_type, body, len);
}

/* A text answer made for this request (JSON, CSV) from HTTP_GZIP_MIN bytes
 * on, gzipped for a client that takes it: on a thin mobile line a list of
 * people or the follow-up is a third of its size.  1 when *body became gzip. */
static int http_compress(struct http_req *r, const char *ctype, char **body, size_t *len)
{
	char *z;
	size_t zn;

	if (*len < HTTP_GZIP_MIN || !(strncmp(ctype, "application/json", 16) == 0 ||
	                              strncmp(ctype, "text/", 5) == 0) ||
	    !http_accepts(http_header(r, "Accept-Encoding"), "gzip") ||
	    http_gzip(*body, *len, &z, &zn) < 0)
		return 0;
	if (zn >= *len) {
		free(z);
		return 0;
	}
	free(*body);
	*body = z;
	*len = zn;
	return 1;
}

static int http_send_as(struct http_req *r, unsigned status, const char *ctype, char *body,
                        size_t len)
{
	struct MHD_Response *resp;
	enum MHD_Result ok;
	char etag[HTTP_ETAG_MAX] = "";
	int gz = 0;

	if (r->keep_reply && (r->reply_body = arena_alloc(&r->arena, len ? len : 1)) != NULL &&
	    (r->reply_type = arena_strdup(&r->arena, ctype)) != NULL) {
		memcpy((char *)r->reply_body, body, len);
		r->reply_len = len;
	} else {
		r->reply_body = NULL;   /* kept whole or not at all */
	}
	if (r->cache_public && status == 200)
		status = http_conditional(r, &body, &len, etag);
	else
		gz = http_compress(r, ctype, &body, &len);
	resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(body);
		return THC_ENOMEM;
	}
	if (etag[0])
		MHD_add_response_header(resp, "ETag", etag);
	MHD_add_response_header(resp, "Content-Type", ctype);
	if (gz)
		MHD_add_response_header(resp, "Content-Encoding", "gzip");
	MHD_add_response_header(resp, "X-Request-Id", r->rid);
#define X(name, value) MHD_add_response_header(resp, name, value);
	HEADERS_SECURITY(X)
	HEADERS_API_CSP(X)
#undef X
	http_add_cache_control(r, resp, status);
	http_add_hsts(r, resp);
	MHD_add_response_header(resp, "Content-Language", r->english ? "en" : "vi");
	MHD_add_response_header(resp, "Vary", "Accept-Language, Authorization, Cookie, Accept-Encoding");
	for (struct http_hdr *h = r->hdrs; h; h = h->next)
		MHD_add_response_header(resp, h->name, h->value);
	ok = MHD_queue_response(r->conn, status, resp);
	MHD_destroy_response(resp);
	r->replied = 1;
	r->status = (int)status;
	r->queued_ok = ok == MHD_YES;
	return ok == MHD_YES ? 0 : THC_EIO;
}

int http_reply_json(struct http_req *r, unsigned status, json_t *body)
{
	char *s;
	size_t n;

	if (r->capture && status == 200) {      /* the caller makes another answer of it */
		json_decref(*r->capture);
		*r->capture = body;
		return body ? 0 : THC_ENOMEM;
	}
	/* 10 significant digits: 18.2, not 18.199999999999999. */
	s = json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(10));

	json_decref(body);
	if (s == NULL)
		return THC_ENOMEM;
	n = strlen(s);
	/* A trailing newline makes curl output readable; harmless for clients. */
	{
		char *t = realloc(s, n + 2);
		if (t == NULL) {
			free(s);
			return THC_ENOMEM;
		}
		s = t;
		s[n++] = '\n';
		s[n] = '\0';
	}
	return http_send(r, status, s, n);
}

/* [{line, field, message}] of every bad line, in the reader's language. */
static json_t *http_error_items(const struct http_req *r)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < r->n_error_items; i++) {
		const struct http_error_item *e = &r->error_items[i];

		json_array_append_new(a, json_pack("{s:I,s:s?,s:s}", "line", (json_int_t)e->line,
		                                   "field", e->err.field[0] ? e->err.field : NULL,
		                                   "message", error_message(&e->err, r->english)));
	}
	return a;
}

int http_reply_error(struct http_req *r, int code, const struct error *err)
{
	struct error e = ERROR_INIT;
	json_t *body;

	if (err == NULL || err->code == 0) {
		e.code = code;
		err = &e;
	}
	if (code == 0)
		code = THC_EINTERNAL;
	body = json_pack("{s:{s:s,s:s}}", "error", "code", error_slug(code),
	                 "message", error_message(err, r->english));
	if (body == NULL)   /* a message that is not UTF-8 should never happen */
		body = json_pack("{s:{s:s,s:s}}", "error", "code", error_slug(code),
		                 "message", error_text(code, r->english));
	if (body && err->field[0])      /* the form puts the message at this field */
		json_object_set_new(json_object_get(body, "error"), "field", json_string(err->field));
	if (body && r->n_error_items)
		json_object_set_new(json_object_get(body, "error"), "errors", http_error_items(r));
	if (body && r->error_more)
		json_object_update_missing(json_object_get(body, "error"), r->error_more);
	json_decref(r->error_more);
	r->error_more = NULL;
	return http_reply_json(r, (unsigned)error_http_status(code), body);
}

int http_content_is(struct http_req *r, const char *media_type)
{
	const char *ct = http_header(r, "Content-Type");
	size_t n = strlen(media_type);

	return ct && strncasecmp(ct, media_type, n) == 0 && (ct[n] == '\0' || ct[n] == ';' ||
	                                                   ct[n] == ' ');
}

const char *http_time(struct http_req *r, int64_t ms)
{
	char buf[32];

	if (ms == 0)
		return NULL;
	vntime_format_utc_ms(ms, buf, sizeof(buf));
	return arena_strdup(&r->arena, buf);
}
