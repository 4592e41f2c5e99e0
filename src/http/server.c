/*
 * libmicrohttpd glue: one struct req per request, created on the first
 * callback and freed in the completion callback (which also runs when the
 * client goes away).  MHD's YES/NO are converted here and nowhere else.
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
#include <sys/socket.h>
#include <unistd.h>

#include "base/log.h"
#include "base/parse.h"
#include "base/vntime.h"
#include "http/lang.h"
#include "http/router.h"
#include "base/banned.h"

#define REQ_ARENA_MAX (64u << 20)

struct http_server {
	struct MHD_Daemon *d;
	const struct app *app;
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

static void req_client_addr(struct req *r)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	snprintf(r->addr, sizeof(r->addr), "?");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
		          r->addr, sizeof(r->addr));
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
		          r->addr, sizeof(r->addr));
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
	struct req *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	r->arena = (struct arena)ARENA_INIT(REQ_ARENA_MAX);
	strbuf_init(&r->body, srv->cfg->max_body);
	r->conn = c;
	r->app = srv->app;
	r->start_ms = vntime_now_ms();
	r->target = arena_strdup(&r->arena, uri ? uri : "");
	snprintf(r->rid, sizeof(r->rid), "%llx-%llx", (unsigned long long)r->start_ms,
	         (unsigned long long)atomic_fetch_add(&srv->seq, 1));
	req_client_addr(r);
	return r;
}

/* The rest, once the headers are in: 0, or -1 out of memory. */
static int req_begin(struct req *r, const char *method, const char *url)
{
	const char *rid, *al, *q;

	r->method = arena_strdup(&r->arena, method);
	r->path = arena_strdup(&r->arena, url);
	if (r->method == NULL || r->path == NULL || r->target == NULL)
		return -1;
	rid = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-Request-Id");
	if (rid && rid_ok(rid))
		snprintf(r->rid, sizeof(r->rid), "%s", rid);
	al = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Accept-Language");
	r->english = al ? http_lang_english(al) : 0;
	r->actor.addr = r->addr;
	r->actor.now_ms = r->start_ms;
	r->actor.user_id = -1;
	if ((q = strchr(r->target, '?')) != NULL &&
	    query_parse(q + 1, strlen(q + 1), &r->arena, &r->query, &r->query_err) == THC_ENOMEM)
		return -1;
	r->begun = 1;
	return 0;
}

static enum MHD_Result header_size_add(void *cls, enum MHD_ValueKind kind,
                                       const char *key, const char *value)
{
	size_t *total = cls;

	(void)kind;
	*total += strlen(key) + (value ? strlen(value) : 0) + 4;
	return MHD_YES;
}

/* Refuses at once what can be refused from the headers alone. */
static int http_early_refusal(struct http_server *srv, struct req *r)
{
	struct error e = ERROR_INIT;
	const char *cl;
	size_t hsize = 0;
	int64_t len;

	if (r->query_err.code != 0)
		return http_reply_error(r, r->query_err.code, &r->query_err) == 0;
	MHD_get_connection_values(r->conn, MHD_HEADER_KIND, header_size_add, &hsize);
	if (hsize > srv->cfg->max_header) {
		error_set(&e, THC_EHEADERS, "tiêu đề yêu cầu vượt quá %zu byte",
		          "the request headers exceed %zu bytes", srv->cfg->max_header);
		return http_reply_error(r, THC_EHEADERS, &e) == 0;
	}
	cl = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl && parse_int64(cl, 0, INT64_MAX, &len) == 0 && (uint64_t)len > srv->cfg->max_body) {
		error_set(&e, THC_ETOOBIG, "nội dung yêu cầu vượt quá %zu byte",
		          "the request body exceeds %zu bytes", srv->cfg->max_body);
		return http_reply_error(r, THC_ETOOBIG, &e) == 0;
	}
	return 0;
}

static enum MHD_Result http_access(void *cls, struct MHD_Connection *c,
                                   const char *url, const char *method,
                                   const char *version, const char *upload,
                                   size_t *upload_size, void **req_cls)
{
	struct http_server *srv = cls;
	struct req *r = *req_cls;

	(void)version;
	(void)c;                  /* r->conn, since http_uri_log() */
	if (r == NULL)            /* out of memory in http_uri_log() */
		return MHD_NO;
	if (!r->begun) {
		if (req_begin(r, method, url) < 0)
			return MHD_NO;
		atomic_fetch_add(&srv->inflight, 1);
		/* A reply queued now is sent without reading the body. */
		if (http_early_refusal(srv, r))
			return r->queued_ok ? MHD_YES : MHD_NO;
		return MHD_YES;
	}
	if (r->replied) {      /* refused early: drop whatever body comes */
		*upload_size = 0;
		return MHD_YES;
	}
	if (*upload_size > 0) {
		if (vntime_now_ms() - r->start_ms > (int64_t)srv->cfg->request_timeout_s * 1000)
			return MHD_NO;      /* a trickling upload does not get to hold on */
		if (!r->body_too_big && strbuf_add(&r->body, upload, *upload_size) < 0) {
			r->body_too_big = 1;
			strbuf_release(&r->body);
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->body_too_big) {
		struct error e = ERROR_INIT;
		error_set(&e, THC_ETOOBIG, "nội dung yêu cầu vượt quá %zu byte",
		          "the request body exceeds %zu bytes", srv->cfg->max_body);
		http_reply_error(r, THC_ETOOBIG, &e);
	} else {
		router_dispatch(r);
	}
	return r->queued_ok ? MHD_YES : MHD_NO;
}

static void http_completed(void *cls, struct MHD_Connection *c, void **req_cls,
                           enum MHD_RequestTerminationCode why)
{
	struct http_server *srv = cls;
	struct req *r = *req_cls;
	char path[256];

	(void)c;
	if (r == NULL)
		return;
	if (!r->begun) {          /* refused by libmicrohttpd before the handler */
		log_info("http.request", "rid=%s addr=%s status=0 aborted=1", r->rid, r->addr);
		goto out;
	}
	log_info("http.request", "rid=%s addr=%s method=%s path=%s status=%d ms=%lld user=%s%s",
	         r->rid, r->addr, r->method, log_value(r->path, path, sizeof(path)),
	         r->replied ? r->status : 0, (long long)(vntime_now_ms() - r->start_ms),
	         r->user ? r->user->username : "-",
	         why == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted=1");
	if (r->st)
		store_pool_put(r->app->pool, r->st);
	atomic_fetch_sub(&srv->inflight, 1);
out:
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

int http_start(const struct app *app, const struct http_config *cfg,
               struct http_server **out, struct error *err)
{
	struct sockaddr_storage ss;
	socklen_t slen;
	struct http_server *srv;
	const union MHD_DaemonInfo *di;
	int rc;

	sigset_t set;

	if ((rc = addr_parse(cfg->listen, &ss, &slen, err)) < 0)
		return rc;
	/* Server threads inherit this mask: only http_run_until_signal() takes
	 * SIGINT/SIGTERM, so they cannot interrupt a request half-way. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	srv = calloc(1, sizeof(*srv));
	if (srv == NULL)
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	srv->app = app;
	srv->cfg = cfg;
	srv->d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ITC |
		MHD_USE_ERROR_LOG | (ss.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0),
		0, NULL, NULL, http_access, srv,
		MHD_OPTION_EXTERNAL_LOGGER, http_mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_THREAD_POOL_SIZE, cfg->threads,
		MHD_OPTION_CONNECTION_TIMEOUT, cfg->conn_timeout_s,
		MHD_OPTION_CONNECTION_LIMIT, cfg->max_conn,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->max_conn_per_ip,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, cfg->conn_memory,
		MHD_OPTION_NOTIFY_COMPLETED, http_completed, srv,
		MHD_OPTION_URI_LOG_CALLBACK, http_uri_log, srv,
		MHD_OPTION_END);
	if (srv->d == NULL) {
		free(srv);
		return error_set(err, THC_EUNAVAILABLE,
		                 "không mở được cổng %s: %s", "cannot listen on %s: %s",
		                 cfg->listen, strerror(errno));
	}
	di = MHD_get_daemon_info(srv->d, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = di ? di->port : 0;
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
	MHD_quiesce_daemon(srv->d);
	deadline = vntime_now_ms() + (int64_t)srv->cfg->shutdown_grace_s * 1000;
	while (atomic_load(&srv->inflight) > 0 && vntime_now_ms() < deadline)
		usleep(10 * 1000);
}

void http_stop(struct http_server *srv)
{
	if (srv == NULL)
		return;
	MHD_stop_daemon(srv->d);
	free(srv);
}
