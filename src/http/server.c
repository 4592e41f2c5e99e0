/*
 * libmicrohttpd glue: one struct http_req per request, created when the request
 * line is read (http_uri_log) and freed in the completion callback (which
 * also runs when the client goes away).  MHD's YES/NO are converted here and
 * nowhere else.  Connections come in through the gate (http/gate.h), which
 * owns the listening socket and every connection's deadlines; libmicrohttpd
 * gets them with a complete first request head and reports each step back.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/log.h"
#include "base/parse.h"
#include "base/vntime.h"
#include "http/gate.h"
#include "http/lang.h"
#include "http/netaddr.h"
#include "http/static.h"
#include "base/banned.h"

#define REQ_ARENA_MAX (64u << 20)
#define HTTP_MAX_LINE 8192           /* request line: 414 beyond */
#define HTTP_MAX_FIELDS 100          /* header fields: 431 beyond */
#define HTTP_MAX_COOKIES 64          /* cookies: 431 beyond */
#define HTTP_FD_SPARE 512            /* descriptors besides connections: database, logs */
#define HTTP_XFF_MAX 8               /* X-Forwarded-For fields read */

struct http_server {
	struct MHD_Daemon *d;
	struct gate *gate;
	http_handler handler;
	void *handler_ctx;
	const struct http_config *cfg;
	atomic_int inflight;
	atomic_uint_fast64_t seq;
	unsigned port;
};

static int addr_parse(const char *listen, struct sockaddr_storage *ss,
                      socklen_t *len, struct error *err)
{
	char host[128];
	const char *colon = strrchr(listen, ':');
	int64_t port;
	size_t hlen;

	if (colon == NULL || parse_int64(colon + 1, 0, 65535, &port) < 0)
		goto bad;
	hlen = (size_t)(colon - listen);
	if (hlen >= sizeof(host))
		goto bad;
	memcpy(host, listen, hlen);
	host[hlen] = '\0';
	memset(ss, 0, sizeof(*ss));
	if (hlen >= 2 && host[0] == '[' && host[hlen - 1] == ']') {
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
		host[hlen - 1] = '\0';
		if (inet_pton(AF_INET6, host + 1, &a6->sin6_addr) != 1)
			goto bad;
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*a6);
		return 0;
	} else {
		struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
		if (inet_pton(AF_INET, hlen ? host : "127.0.0.1", &a4->sin_addr) != 1)
			goto bad;
		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)port);
		*len = sizeof(*a4);
		return 0;
	}
bad:
	return error_set(err, THC_EUSAGE,
	                 "địa chỉ lắng nghe '%s' không hợp lệ (dạng 127.0.0.1:8080 hoặc [::1]:8080)",
	                 "bad listen address '%s' (use 127.0.0.1:8080 or [::1]:8080)", listen);
}

static void req_peer(struct http_req *r, struct netaddr *peer)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	if (sa == NULL || netaddr_from_sockaddr(sa, sa->sa_family == AF_INET6 ?
	                                        sizeof(struct sockaddr_in6) :
	                                        sizeof(struct sockaddr_in), peer) < 0)
		memset(peer, 0, sizeof(*peer));
	netaddr_format(peer, r->addr, sizeof(r->addr));
}

struct req_xff {
	const char *values[HTTP_XFF_MAX];
	size_t n;
};

static enum MHD_Result req_xff_add(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
	struct req_xff *x = cls;

	(void)kind;
	if (value && strcasecmp(key, "X-Forwarded-For") == 0 && x->n < HTTP_XFF_MAX)
		x->values[x->n++] = value;
	return MHD_YES;
}

/* Behind a trusted proxy: the client's address from X-Forwarded-For, and
 * HTTPS from X-Forwarded-Proto.  From anyone else both are ignored, since
 * a client can send whatever it likes. */
static void req_forwarded(struct http_req *r, const struct http_config *cfg)
{
	struct netaddr peer, client;
	struct req_xff x = { .n = 0 };
	const char *proto;

	req_peer(r, &peer);
	if (!netaddr_in(&peer, cfg->trusted_proxies, cfg->ntrusted_proxies))
		return;
	MHD_get_connection_values(r->conn, MHD_HEADER_KIND, req_xff_add, &x);
	if (netaddr_forwarded_for(x.values, x.n, cfg->trusted_proxies, cfg->ntrusted_proxies,
	                          &client)) {
		snprintf(r->peer, sizeof(r->peer), "%s", r->addr);
		netaddr_format(&client, r->addr, sizeof(r->addr));
	}
	proto = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-Forwarded-Proto");
	r->https = proto != NULL && strcasecmp(proto, "https") == 0;
}

static int rid_ok(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++) {
		char c = s[n];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
			return 0;
	}
	return n > 0 && n <= 64;
}

/* MHD_OPTION_URI_LOG_CALLBACK: the request begins as soon as its request
 * line is read; the raw target is kept for the query string (libmicrohttpd
 * decodes and splits it its own way afterwards).  What this returns is
 * *req_cls, and the completion callback frees it whatever happens next. */
static void *http_uri_log(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct http_server *srv = cls;
	struct http_req *r = calloc(1, sizeof(*r));
	struct netaddr peer;

	if (r == NULL)
		return NULL;
	r->arena = (struct arena)ARENA_INIT(REQ_ARENA_MAX);
	strbuf_init(&r->body, srv->cfg->max_body);
	r->conn = c;
	r->cfg = srv->cfg;
	r->start_ms = vntime_now_ms();
	r->target = arena_strdup(&r->arena, uri ? uri : "");
	snprintf(r->rid, sizeof(r->rid), "%llx-%llx", (unsigned long long)r->start_ms,
	         (unsigned long long)atomic_fetch_add(&srv->seq, 1));
	req_peer(r, &peer);      /* the client until the headers say otherwise */
	/* In flight from its first line, not from its headers: a request read
	 * before a SIGTERM is answered, however slowly its headers are parsed. */
	atomic_fetch_add(&srv->inflight, 1);
	return r;
}

/* Whether a comma-separated header value holds token (any case). */
static int req_has_token(const char *value, const char *token)
{
	size_t n = strlen(token);
	const char *p = value;

	while (p != NULL) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncasecmp(p, token, n) == 0 &&
		    (p[n] == '\0' || p[n] == ',' || p[n] == ' ' || p[n] == '\t'))
			return 1;
		if ((p = strchr(p, ',')) != NULL)
			p++;
	}
	return 0;
}

/* The rest, once the headers are in: 0, or -1 out of memory. */
static int req_begin(struct http_server *srv, struct http_req *r, const char *method,
                     const char *url, const char *version)
{
	const char *rid, *al, *q, *conn;

	r->method = arena_strdup(&r->arena, method);
	r->path = arena_strdup(&r->arena, url);
	if (r->method == NULL || r->path == NULL || r->target == NULL)
		return -1;
	rid = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-Request-Id");
	if (rid && rid_ok(rid))
		snprintf(r->rid, sizeof(r->rid), "%s", rid);
	al = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Accept-Language");
	r->english = al ? http_lang_english(al) : 0;
	/* As libmicrohttpd decides (keepalive_possible(), connection.c): the
	 * first Connection field, HTTP/1.0 closing unless it says Keep-Alive. */
	conn = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Connection");
	r->closing = (conn && req_has_token(conn, "close")) ||
	             (strcmp(version, MHD_HTTP_VERSION_1_0) == 0 &&
	              !(conn && req_has_token(conn, "Keep-Alive")));
	req_forwarded(r, srv->cfg);
	if ((q = strchr(r->target, '?')) != NULL &&
	    query_parse(q + 1, strlen(q + 1), &r->arena, &r->query, &r->query_err) == THC_ENOMEM)
		return -1;
	r->begun = 1;
	return 0;
}

struct req_fields {
	size_t bytes;
	unsigned count, cookies;
	int chunked;
};

static enum MHD_Result req_fields_add(void *cls, enum MHD_ValueKind kind,
                                      const char *key, const char *value)
{
	struct req_fields *f = cls;

	if (kind == MHD_COOKIE_KIND) {
		f->cookies++;
		return MHD_YES;
	}
	f->count++;
	f->bytes += strlen(key) + (value ? strlen(value) : 0) + 4;
	if (strcasecmp(key, "Transfer-Encoding") == 0)
		f->chunked = 1;
	return MHD_YES;
}

/*
 * Refuses at once what can be refused from the head alone.  The gate
 * (http/head.c) has checked a connection's first head already; the heads
 * that follow on a kept-alive connection reach libmicrohttpd directly, and
 * are checked here with the same limits.
 */
static int http_early_refusal(struct http_server *srv, struct http_req *r)
{
	struct error e = ERROR_INIT;
	struct req_fields f = { 0 };
	const char *cl;
	int64_t len;

	if (r->query_err.code != 0)
		return http_reply_error(r, r->query_err.code, &r->query_err) == 0;
	if (strlen(r->method) + strlen(r->target) + 10 > HTTP_MAX_LINE) {
		error_set(&e, THC_EURITOOLONG, "dòng yêu cầu dài quá %d byte",
		          "the request line is longer than %d bytes", HTTP_MAX_LINE);
		return http_reply_error(r, THC_EURITOOLONG, &e) == 0;
	}
	MHD_get_connection_values(r->conn, MHD_HEADER_KIND | MHD_COOKIE_KIND, req_fields_add, &f);
	if (f.bytes > srv->cfg->max_header) {
		error_set(&e, THC_EHEADERS, "tiêu đề yêu cầu vượt quá %zu byte",
		          "the request headers exceed %zu bytes", srv->cfg->max_header);
		return http_reply_error(r, THC_EHEADERS, &e) == 0;
	}
	if (f.count > HTTP_MAX_FIELDS || f.cookies > HTTP_MAX_COOKIES) {
		error_set(&e, THC_EHEADERS, "yêu cầu có quá %d dòng tiêu đề hoặc quá %d cookie",
		          "the request has more than %d header fields or %d cookies",
		          HTTP_MAX_FIELDS, HTTP_MAX_COOKIES);
		return http_reply_error(r, THC_EHEADERS, &e) == 0;
	}
	if (f.chunked) {
		error_set(&e, THC_ELENGTH,
		          "nội dung phải gửi kèm Content-Length, không dùng Transfer-Encoding",
		          "send the body with a Content-Length, not with Transfer-Encoding");
		return http_reply_error(r, THC_ELENGTH, &e) == 0;
	}
	cl = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl && parse_int64(cl, 0, INT64_MAX, &len) == 0 && (uint64_t)len > srv->cfg->max_body) {
		error_set(&e, THC_ETOOBIG, "nội dung yêu cầu vượt quá %zu byte",
		          "the request body exceeds %zu bytes", srv->cfg->max_body);
		return http_reply_error(r, THC_ETOOBIG, &e) == 0;
	}
	return 0;
}

/* The web application's files are the transport's own; everything else
 * goes to the handler, which must reply. */
static void http_answer(struct http_server *srv, struct http_req *r)
{
	struct error e = ERROR_INIT;

	if (static_handles(r->method, r->path)) {
		if (static_serve(r, &e) < 0)
			http_reply_error(r, e.code, &e);
		return;
	}
	srv->handler(srv->handler_ctx, r);
	if (!r->replied) {
		log_error("http.error", "rid=%s code=internal detail=\"no reply was made\"", r->rid);
		http_reply_error(r, THC_EINTERNAL, NULL);
	}
}

/* The gate's entry for a connection (libmicrohttpd's socket context). */
static struct gate_conn *http_gate_conn(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci ? ci->socket_context : NULL;
}

static enum MHD_Result http_access(void *cls, struct MHD_Connection *c,
                                   const char *url, const char *method,
                                   const char *version, const char *upload,
                                   size_t *upload_size, void **req_cls)
{
	struct http_server *srv = cls;
	struct http_req *r = *req_cls;

	if (r == NULL)            /* out of memory in http_uri_log() */
		return MHD_NO;
	if (!r->begun) {
		gate_conn_head(srv->gate, http_gate_conn(c));    /* the body deadline starts */
		if (req_begin(srv, r, method, url, version) < 0)
			return MHD_NO;
		/* A reply queued now is sent without reading the body. */
		if (http_early_refusal(srv, r)) {
			gate_conn_busy(srv->gate, http_gate_conn(c));
			return r->queued_ok ? MHD_YES : MHD_NO;
		}
		return MHD_YES;
	}
	if (r->replied) {      /* refused early: drop whatever body comes */
		*upload_size = 0;
		return MHD_YES;
	}
	if (*upload_size > 0) {
		/* A trickling body is cut by the gate's body deadline. */
		if (!r->body_too_big && strbuf_add(&r->body, upload, *upload_size) < 0) {
			r->body_too_big = 1;
			strbuf_release(&r->body);
		}
		*upload_size = 0;
		return MHD_YES;
	}
	gate_conn_busy(srv->gate, http_gate_conn(c));
	if (r->body_too_big) {
		struct error e = ERROR_INIT;
		error_set(&e, THC_ETOOBIG, "nội dung yêu cầu vượt quá %zu byte",
		          "the request body exceeds %zu bytes", srv->cfg->max_body);
		http_reply_error(r, THC_ETOOBIG, &e);
	} else {
		http_answer(srv, r);
	}
	return r->queued_ok ? MHD_YES : MHD_NO;
}

static void http_completed(void *cls, struct MHD_Connection *c, void **req_cls,
                           enum MHD_RequestTerminationCode why)
{
	struct http_server *srv = cls;
	struct http_req *r = *req_cls;
	char path[256];

	/* Kept alive, the connection now waits for its next request head. */
	if (why != MHD_REQUEST_TERMINATED_COMPLETED_OK || (r && r->begun && r->closing))
		gate_conn_closing(srv->gate, http_gate_conn(c));
	else
		gate_conn_idle(srv->gate, http_gate_conn(c));
	if (r == NULL)
		return;
	atomic_fetch_sub(&srv->inflight, 1);
	if (!r->begun) {          /* refused by libmicrohttpd before the handler */
		log_info("http.request", "rid=%s addr=%s status=0 aborted=1", r->rid, r->addr);
		goto out;
	}
	log_info("http.request", "rid=%s addr=%s%s%s method=%s path=%s status=%d ms=%lld user=%s%s",
	         r->rid, r->addr, r->peer[0] ? " via=" : "", r->peer, r->method,
	         log_value(r->path, path, sizeof(path)),
	         r->replied ? r->status : 0, (long long)(vntime_now_ms() - r->start_ms),
	         r->log_user ? r->log_user : "-",
	         why == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted=1");
out:
	json_decref(r->error_more);
	strbuf_release(&r->body);
	arena_release(&r->arena);
	free(r);
	*req_cls = NULL;
}

static void http_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512], q[600];

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	log_warn("http.mhd", "msg=%s", log_value(msg, q, sizeof(q)));
}

/* MHD_OPTION_NOTIFY_CONNECTION: the gate follows every connection it
 * handed over.  libmicrohttpd calls this with CLOSED before it closes the
 * descriptor, which is what makes the gate's shutdown(2) safe (gate.h). */
static void http_notify_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                                   enum MHD_ConnectionNotificationCode toe)
{
	struct http_server *srv = cls;

	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *fd =
			MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		const union MHD_ConnectionInfo *ca =
			MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		const struct sockaddr *sa = ca ? ca->client_addr : NULL;
		socklen_t salen = sa && sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
		                                                   : sizeof(struct sockaddr_in);

		*socket_context = fd ? gate_conn_started(srv->gate, fd->connect_fd, sa, salen) : NULL;
	} else if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
		gate_conn_closed(srv->gate, *socket_context);
		*socket_context = NULL;
	}
}

static int http_handoff(void *ctx, int fd, const struct sockaddr *sa, socklen_t salen)
{
	struct http_server *srv = ctx;

	return MHD_add_connection(srv->d, fd, sa, salen) == MHD_YES ? 0 : THC_EUNAVAILABLE;
}

/*
 * Every connection is a descriptor: the soft RLIMIT_NOFILE (often 1024) is
 * raised as far as max_conn needs, and when even the hard limit is lower,
 * max_conn is lowered to what fits (with a warning) rather than failing
 * accept() under load.  Evicted connections hold theirs until libmicrohttpd
 * cleans them up, hence the half again.
 */
static unsigned http_fd_limit(unsigned max_conn)
{
	rlim_t need = (rlim_t)max_conn + max_conn / 2 + HTTP_FD_SPARE;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur >= need)
		return max_conn;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= need ? need : rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0 && getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return max_conn;
	if (rl.rlim_cur >= need)
		return max_conn;
	need = rl.rlim_cur > HTTP_FD_SPARE + 24 ? (rl.rlim_cur - HTTP_FD_SPARE) * 2 / 3 : 16;
	log_warn("http.limits", "msg=\"RLIMIT_NOFILE too low: max-conn lowered\" nofile=%llu "
	         "max_conn=%llu wanted=%u", (unsigned long long)rl.rlim_cur,
	         (unsigned long long)need, max_conn);
	return (unsigned)need;
}

int http_start(const struct http_config *cfg, http_handler handler, void *ctx,
               struct http_server **out, struct error *err)
{
	struct sockaddr_storage ss;
	socklen_t slen;
	struct http_server *srv;
	struct gate_config gc = {
		.max_conn = cfg->max_conn,
		.max_per_addr = cfg->max_conn_per_ip,
		.exempt = cfg->trusted_proxies,
		.nexempt = cfg->ntrusted_proxies,
		.header_ms = (int64_t)cfg->header_timeout_s * 1000,
		.body_ms = (int64_t)cfg->body_timeout_s * 1000,
		.head = { HTTP_MAX_LINE, cfg->max_header, HTTP_MAX_FIELDS, HTTP_MAX_COOKIES,
		          cfg->max_body },
	};
	int rc, lfd = -1;
	sigset_t set;

	if ((rc = addr_parse(cfg->listen, &ss, &slen, err)) < 0)
		return rc;
	/* Server threads inherit this mask: only http_run_until_signal() takes
	 * SIGINT/SIGTERM, so they cannot interrupt a request half-way. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	gc.max_conn = http_fd_limit(cfg->max_conn);
	if ((rc = gate_listen((struct sockaddr *)&ss, slen, &lfd, err)) < 0) {
		error_prefix(err, "%s: ", "%s: ", cfg->listen);
		return rc;
	}
	srv = calloc(1, sizeof(*srv));
	if (srv == NULL) {
		close(lfd);
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	}
	srv->handler = handler;
	srv->handler_ctx = ctx;
	srv->cfg = cfg;
	slen = sizeof(ss);
	if (getsockname(lfd, (struct sockaddr *)&ss, &slen) == 0)
		srv->port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
		                                           : ((struct sockaddr_in *)&ss)->sin_port);
	/* libmicrohttpd accepts nothing itself: the gate hands it connections.
	 * Its own limits are only a backstop, wide enough that one worker could
	 * hold every connection the gate lets through; the per-address limit is
	 * the gate's. */
	srv->d = MHD_start_daemon(
		MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_NO_LISTEN_SOCKET |
		MHD_USE_ERROR_LOG,
		0, NULL, NULL, http_access, srv,
		MHD_OPTION_EXTERNAL_LOGGER, http_mhd_log, NULL,
		MHD_OPTION_THREAD_POOL_SIZE, cfg->threads,
		MHD_OPTION_CONNECTION_TIMEOUT, cfg->conn_timeout_s,
		MHD_OPTION_CONNECTION_LIMIT, (gc.max_conn + 64) * cfg->threads,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, cfg->conn_memory,
		MHD_OPTION_NOTIFY_COMPLETED, http_completed, srv,
		MHD_OPTION_URI_LOG_CALLBACK, http_uri_log, srv,
		MHD_OPTION_NOTIFY_CONNECTION, http_notify_connection, srv,
		MHD_OPTION_END);
	if (srv->d == NULL) {
		close(lfd);
		free(srv);
		return error_set(err, THC_EUNAVAILABLE, "không khởi động được máy chủ HTTP: %s",
		                 "cannot start the HTTP server: %s", strerror(errno));
	}
	if ((rc = gate_start(&gc, lfd, http_handoff, srv, &srv->gate, err)) < 0) {
		MHD_stop_daemon(srv->d);
		free(srv);
		return rc;
	}
	*out = srv;
	return 0;
}

unsigned http_port(const struct http_server *srv)
{
	return srv->port;
}

void http_run_until_signal(struct http_server *srv)
{
	sigset_t set;
	int sig = 0;
	int64_t deadline;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigwait(&set, &sig);
	log_info("http.shutdown", "signal=%d inflight=%d", sig, atomic_load(&srv->inflight));
	/* Stop accepting, let the requests already in flight finish. */
	gate_quiesce(srv->gate);
	deadline = vntime_now_ms() + (int64_t)srv->cfg->shutdown_grace_s * 1000;
	while (atomic_load(&srv->inflight) > 0 && vntime_now_ms() < deadline)
		usleep(10 * 1000);
}

void http_stop(struct http_server *srv)
{
	if (srv == NULL)
		return;
	/* No more hand-offs, then libmicrohttpd (which reports every connection
	 * closed to the gate), then the gate. */
	gate_quiesce(srv->gate);
	MHD_stop_daemon(srv->d);
	gate_free(srv->gate);
	free(srv);
}
