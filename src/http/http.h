/*
 * The HTTP transport (libmicrohttpd underneath, the gate in front): limits,
 * request ids, access log, security headers, the web application's static
 * files, clean shutdown.  Every other request goes to one handler callback
 * with a struct http_req; the transport knows nothing of storage, users or
 * routes (src/api/dispatch.c).
 */
#ifndef THC_HTTP_H
#define THC_HTTP_H

#include <jansson.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/error.h"
#include "base/strbuf.h"
#include "http/json.h"
#include "http/query.h"

struct http_server;
struct MHD_Connection;
struct http_hdr;
struct netaddr;

struct http_config {
	const char *listen;          /* "127.0.0.1:8080" (default), "[::1]:8080", "0.0.0.0:80" */
	unsigned threads;            /* polling threads, default 4 */
	unsigned conn_timeout_s;     /* a connection idle this long is closed, default 30 */
	unsigned header_timeout_s;   /* accept (or previous request's end) to end of headers, default 10 */
	unsigned body_timeout_s;     /* end of headers to end of body, default 60 */
	unsigned max_conn;           /* connections open at once, default 1024 */
	unsigned max_conn_per_ip;    /* from one client address (not trusted proxies), default 32 */
	size_t max_body;             /* default 1 MiB */
	size_t max_header;           /* all request headers together, default 8 KiB (431 beyond) */
	size_t conn_memory;          /* per-connection buffer for MHD, default 64 KiB */
	unsigned shutdown_grace_s;   /* wait for in-flight requests, default 10 */
	int secure_cookies;          /* cookies always marked Secure */
	unsigned hsts_max_age;       /* Strict-Transport-Security on HTTPS requests; 0: none */
	unsigned public_max_age;     /* Cache-Control max-age of public answers, default 15; 0: no-store */
	const struct netaddr *trusted_proxies;   /* X-Forwarded-For/-Proto believed from these */
	size_t ntrusted_proxies;
};
#define HTTP_CONFIG_DEFAULT { .listen = "127.0.0.1:8080", .threads = 4, .conn_timeout_s = 30, \
	.header_timeout_s = 10, .body_timeout_s = 60, .max_conn = 1024, .max_conn_per_ip = 32, \
	.max_body = 1u << 20, .max_header = 8u << 10, .conn_memory = 64u << 10, \
	.shutdown_grace_s = 10, .public_max_age = 15 }

struct http_req {
	struct arena arena;              /* freed once when the request completes */
	struct MHD_Connection *conn;
	const struct http_config *cfg;
	const char *method;
	const char *path;                /* decoded by libmicrohttpd, without the query */
	const char *target;              /* the request target as sent (path?query) */
	struct query query;              /* read from target (http/query.h) */
	struct error query_err;          /* set when the query string is refused */
	int begun;                       /* the access handler has seen the headers */
	int closing;                     /* the client asked not to keep the connection */
	char rid[72];
	char addr[64];                   /* the client's: the peer's, or X-Forwarded-For's */
	char peer[64];                   /* the trusted proxy it came through, else "" */
	int https;                       /* X-Forwarded-Proto: https from a trusted proxy */
	int english;                     /* Accept-Language prefers English */
	int64_t start_ms;
	struct strbuf body;              /* capped at cfg->max_body */
	int body_too_big;
	int replied;
	int queued_ok;                   /* MHD accepted the reply */
	struct http_hdr *hdrs;           /* extra headers for the reply */
	int status;                      /* for the access log */
	const char *log_user;            /* for the access log, set by the handler */
	int keep_reply;                  /* set by the handler: keep a copy of the body */
	json_t **capture;                /* set: a 200 JSON answer is kept here, not sent */
	int cache_public;                /* set by the handler: the same for every anonymous
	                                    reader, so shared caches may keep it a while; a
	                                    200 then carries an ETag and If-None-Match gets 304 */
	const char *etag;                /* that ETag when known already (a kept answer's) */
	struct http_error_item *error_items; /* set by the handler: every bad line of a
	                                    refused file, sent with the error (in the arena) */
	size_t n_error_items;
	json_t *error_more;              /* set by the handler: members added to the error
	                                    (a conflict's current state); taken by the reply */
	const char *reply_body;          /* that copy, in the arena */
	const char *reply_type;          /* and its Content-Type, in the arena */
	size_t reply_len;
};

/* One bad line of a refused file, beside the error that refused it. */
struct http_error_item {
	long line;                       /* as a spreadsheet counts it (the header is 1) */
	struct error err;                /* its field and messages */
};

/* Answers one request: must reply (an http_reply_* function) before it
 * returns.  Runs on a libmicrohttpd thread with the whole body read. */
typedef void (*http_handler)(void *ctx, struct http_req *r);

int http_start(const struct http_config *cfg, http_handler handler, void *ctx,
               struct http_server **out, struct error *err);
/* Blocks until SIGINT/SIGTERM, then drains in-flight requests and stops. */
void http_run_until_signal(struct http_server *srv);
void http_stop(struct http_server *srv);
/* The port actually bound (useful with port 0). */
unsigned http_port(const struct http_server *srv);

/* ---- request helpers for handlers ---- */
const char *http_header(struct http_req *r, const char *name);
const char *http_query(struct http_req *r, const char *name);     /* NULL if absent */
/* Whether the Content-Type names this media type ("text/csv; charset=utf-8" is text/csv). */
int http_content_is(struct http_req *r, const char *media_type);

/* ---- replies: each returns 0 (replied) or a negative code ---- */
/* Takes the reference to body. */
int http_reply_json(struct http_req *r, unsigned status, json_t *body);
int http_reply_error(struct http_req *r, int code, const struct error *err);
/* Replies with body (malloc'd; taken, freed even on failure) of that content type. */
int http_reply_bytes(struct http_req *r, unsigned status, const char *content_type,
                     char *body, size_t len);
#define HTTP_ETAG_MAX 24             /* "\"" 16 hex digits "\"" and NUL */
/* The strong ETag of a public answer's bytes (FNV-1a 64: a change detector,
 * not a security boundary: the bytes are public). */
void http_etag(const char *body, size_t len, char out[HTTP_ETAG_MAX]);
/* Adds a header to the next reply (e.g. Location, Set-Cookie, Allow, Retry-After). */
int http_add_header(struct http_req *r, const char *name, const char *value);
/* Attributes to append to every Set-Cookie value: "; Secure" when the
 * request came over HTTPS (a trusted proxy said so) or --secure-cookies is
 * set, else "". */
const char *http_cookie_attrs(const struct http_req *r);
struct MHD_Response;
/* Adds Strict-Transport-Security (--hsts) when the request came over HTTPS. */
void http_add_hsts(const struct http_req *r, struct MHD_Response *resp);


/* UTC ms as RFC 3339 into the arena; NULL for 0. */
const char *http_time(struct http_req *r, int64_t ms);

#endif
