/*
 * Embedded web application files (see static.h).  The bytes live in the
 * generated table; a reply borrows them (MHD_RESPMEM_PERSISTENT), so
 * serving a file allocates nothing but the response.
 */
#include <microhttpd.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "http/headers.h"
#include "http/encoding.h"
#include "http/static.h"
#include "base/banned.h"

/* Scripts and styles only from files of this origin: no inline code.  The
 * manifest (/manifest.webmanifest) and the service worker (/sw.js) too. */
#define STATIC_CSP "default-src 'self'; script-src 'self'; style-src 'self'; " \
	"img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; " \
	"manifest-src 'self'; worker-src 'self'; " \
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

enum static_encoding { STATIC_IDENTITY, STATIC_GZIP, STATIC_BROTLI };

const struct static_asset *static_find(const char *path)
{
	for (size_t i = 0; i < static_assets_count; i++)
		if (strcmp(static_assets[i].path, path) == 0)
			return &static_assets[i];
	return NULL;
}

static const struct static_asset *static_index(void)
{
	for (size_t i = 0; i < static_assets_count; i++)
		if (static_assets[i].flags & STATIC_INDEX)
			return &static_assets[i];
	return NULL;
}

int static_handles(const char *method, const char *path)
{
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return 0;
	if (strncmp(path, "/api/", 5) == 0 || strcmp(path, "/api") == 0 ||
	    strncmp(path, "/open311/", 9) == 0)
		return 0;
	return strcmp(path, "/healthz") != 0;
}

/* Whether If-None-Match names this content (any of its encodings). */
static int static_inm_matches(const char *inm, const char *etag)
{
	size_t el = strlen(etag);
	const char *p = inm;

	while (p && *p) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		while (n && (*p == ' ' || *p == '\t')) {
			p++;
			n--;
		}
		if (n >= 1 && p[0] == '*')
			return 1;
		if (n >= 2 && p[0] == 'W' && p[1] == '/') {
			p += 2;
			n -= 2;
		}
		/* "<etag>", "<etag>-gz" or "<etag>-br" */
		if (n > el + 1 && p[0] == '"' && strncmp(p + 1, etag, el) == 0 &&
		    (p[el + 1] == '"' || p[el + 1] == '-'))
			return 1;
		p = end ? end + 1 : NULL;
	}
	return 0;
}

int static_serve(struct http_req *r, struct error *err)
{
	const struct static_asset *a = static_find(r->path);
	const char *ae = http_header(r, "Accept-Encoding");
	const char *inm = http_header(r, "If-None-Match");
	enum static_encoding enc = STATIC_IDENTITY;
	struct MHD_Response *resp;
	const unsigned char *body;
	size_t len;
	unsigned status = MHD_HTTP_OK;
	char etag[96];
	enum MHD_Result ok;

	if (a == NULL && strncmp(r->path, "/assets/", 8) != 0 && strncmp(r->path, "/geo/", 5) != 0)
		a = static_index();   /* the application routes in the browser */
	if (a == NULL)
		return error_set(err, THC_ENOTFOUND, "không có địa chỉ %s", "no such path: %s",
		                 r->path);
	if (a->br && ae && http_accepts(ae, "br"))
		enc = STATIC_BROTLI;
	else if (a->gz && ae && http_accepts(ae, "gzip"))
		enc = STATIC_GZIP;
	body = enc == STATIC_BROTLI ? a->br : enc == STATIC_GZIP ? a->gz : a->data;
	len = enc == STATIC_BROTLI ? a->br_len : enc == STATIC_GZIP ? a->gz_len : a->len;
	snprintf(etag, sizeof(etag), "\"%s%s\"", a->etag,
	         enc == STATIC_BROTLI ? "-br" : enc == STATIC_GZIP ? "-gz" : "");
	if (inm && static_inm_matches(inm, a->etag)) {
		status = MHD_HTTP_NOT_MODIFIED;
		body = NULL;
		len = 0;
	}
	/* MHD 0.9.75 takes void * but never writes a PERSISTENT buffer. */
	resp = MHD_create_response_from_buffer(len, (void *)(uintptr_t)body,
	                                       MHD_RESPMEM_PERSISTENT);
	if (resp == NULL)
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	if (status == MHD_HTTP_OK) {
		MHD_add_response_header(resp, "Content-Type", a->content_type);
		if (enc != STATIC_IDENTITY)
			MHD_add_response_header(resp, "Content-Encoding",
			                        enc == STATIC_BROTLI ? "br" : "gzip");
	}
	MHD_add_response_header(resp, "ETag", etag);
	MHD_add_response_header(resp, "Cache-Control", (a->flags & STATIC_IMMUTABLE)
	                        ? "public, max-age=31536000, immutable" : "no-cache");
	if (a->gz || a->br)
		MHD_add_response_header(resp, "Vary", "Accept-Encoding");
	MHD_add_response_header(resp, "X-Request-Id", r->rid);
#define X(name, value) MHD_add_response_header(resp, name, value);
	HEADERS_SECURITY(X)
#undef X
	MHD_add_response_header(resp, "Content-Security-Policy", STATIC_CSP);
	http_add_hsts(r, resp);
	ok = MHD_queue_response(r->conn, status, resp);
	MHD_destroy_response(resp);
	r->replied = 1;
	r->status = (int)status;
	r->queued_ok = ok == MHD_YES;
	return ok == MHD_YES ? 0 : THC_EIO;
}
