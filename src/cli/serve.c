/*
 * thichung serve --db PATH [--listen ADDR:PORT] ...
 */
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/lazy.h"
#include "base/log.h"
#include "base/parse.h"
#include "cli/cli.h"
#include "api/api.h"
#include "api/auth.h"
#include "api/pubcache.h"
#include "http/http.h"
#include "http/netaddr.h"
#include "domain/level.h"
#include "domain/throttle.h"
#include "domain/zone.h"
#include "domain/feedback.h"
#include "domain/support.h"
#include "domain/business.h"
#include "domain/inspection.h"
#include "domain/dhis2.h"
#include "domain/geo.h"
#include "domain/geoloc.h"
#include "domain/quarantine.h"
#include "store/search.h"
#include "base/banned.h"

/* Sign-in limits: the counters are kept in the database so that every
 * server shares them; the numbers and their reasons are in
 * domain/throttle.h and docs/api.md.  Only the address's free failures are
 * an option (--login-addr-limit): a province network may put thousands of
 * officials behind one address. */
#define SERVE_LOGIN_ADDR_MAX 100000

static void serve_usage(FILE *f)
{
	fprintf(f, "Cách dùng / usage: thichung serve --db PATH|URL [tùy chọn / options]\n"
	        "  --db PATH|URL           tệp SQLite hoặc postgresql://... / SQLite file or PostgreSQL URL\n"
	        "  --listen ADDR:PORT      địa chỉ lắng nghe / listen address (127.0.0.1:8080)\n"
	        "  --threads N             số luồng / worker threads (4)\n"
	        "  --db-pool N             số kết nối cơ sở dữ liệu / database connections (threads + 2)\n"
	        "  --db-read URL           bản sao PostgreSQL (streaming replica) cho các trang công khai /\n"
	        "                          a PostgreSQL streaming replica for the public pages (docs/scaling.md)\n"
	        "  --group-commit on|off   SQLite: các lần ghi cùng lúc chung một lần lưu đĩa / concurrent writes\n"
	        "                          share one commit to disk (on)\n"
	        "  --timeout S             đóng kết nối im lặng quá S giây / close a connection idle for S seconds (30);\n"
	        "                          cũng là mặc định của hai thời hạn dưới / also the default of the two below\n"
	        "  --header-timeout S      thời hạn gửi xong tiêu đề yêu cầu / time to send the request headers (10)\n"
	        "  --body-timeout S        thời hạn gửi xong nội dung yêu cầu / time to send the request body (60)\n"
	        "  --max-conn N            số kết nối cùng lúc / connections open at once (1024)\n"
	        "  --max-conn-per-ip N     số kết nối mỗi địa chỉ / connections per client address (32)\n"
	        "  --max-body BYTES        kích thước nội dung tối đa / request body limit (1048576)\n"
	        "  --trusted-proxy ADDR[,ADDR...]\n"
	        "                          proxy tin cậy: đọc X-Forwarded-For/-Proto / trusted proxies: read\n"
	        "                          X-Forwarded-For/-Proto from them (docs/deploy.md)\n"
	        "  --secure-cookies        cookie chỉ gửi qua HTTPS / mark cookies Secure\n"
	        "  --hsts S                Strict-Transport-Security max-age=S khi qua HTTPS / on HTTPS (0: none)\n"
	        "  --rules-dir DIR         bộ quy tắc cấp độ / level rule sets (<data>/rules)\n"
	        "  --zone-end-days N       số ngày sau ca cuối mới gỡ phong tỏa / days after the last case before a zone may end (14)\n"
	        "  --public-cache-ms MS    giữ câu trả lời công khai trong bộ nhớ tối đa MS mili giây / keep public\n"
	        "                          answers in memory for at most MS milliseconds (1000; 0: never)\n"
	        "  --public-max-age S      CDN/nginx phía trước được giữ câu trả lời công khai S giây /\n"
	        "                          shared caches in front may keep public answers S seconds\n"
	        "                          (15; 0: no-store)\n"
	        "  --dhis2-mapping FILE    ánh xạ mã DHIS2 / DHIS2 id mapping (<data>/dhis2/mapping.json)\n"
	        "  --login-addr-limit N    số lần đăng nhập sai mỗi giờ từ một địa chỉ trước khi phải chờ /\n"
	        "                          failed sign-ins an hour from one address before waits (100)\n"
	        "  --feedback-anon-limit N phản ánh không đăng nhập mỗi địa chỉ trong 10 phút (0: không\n"
	        "                          giới hạn) / anonymous feedback per address in 10 minutes\n"
	        "                          (0: no limit); mặc định / default %d\n"
	        "  --feedback-daily HH:MM  chuyển cấp phản ánh quá hạn và nhắc hạn mỗi ngày lúc HH:MM (giờ Việt\n"
	        "                          Nam), và khi khởi động sau giờ đó / escalate overdue feedback and\n"
	        "                          remind the holders daily at HH:MM (Việt Nam), and at start after it\n",
	        API_ANON_LIMIT_DEFAULT);
}

static int serve_num(const char *opt, const char *v, int64_t min, int64_t max,
                     int64_t *out)
{
	if (parse_int64(v, min, max, out) == 0)
		return 0;
	fprintf(stderr, "thichung: %s phải là số trong khoảng %lld..%lld / %s must be within %lld..%lld\n",
	        opt, (long long)min, (long long)max, opt, (long long)min, (long long)max);
	return CLI_USAGE;
}

/* "HH:MM" as minutes of the day, or -1 with a message. */
static int serve_hhmm(const char *opt, const char *v)
{
	int64_t h, m;
	char hh[3] = "", mm[3] = "";

	if (strlen(v) == 5 && v[2] == ':') {
		memcpy(hh, v, 2);
		memcpy(mm, v + 3, 2);
		if (parse_int64(hh, 0, 23, &h) == 0 && parse_int64(mm, 0, 59, &m) == 0)
			return (int)(h * 60 + m);
	}
	fprintf(stderr, "thichung: %s phải là giờ HH:MM / %s must be a time HH:MM\n", opt, opt);
	return -1;
}

/* The database for the log: a URL loses its user and password. */
static const char *serve_db_for_log(const char *db, char *out, size_t outsz)
{
	const char *scheme = strstr(db, "://"), *at = scheme ? strchr(scheme + 3, '@') : NULL;

	if (at == NULL)
		return db;
	snprintf(out, outsz, "%.*s://…%s", (int)(scheme - db), db, at);
	return out;
}

/* The transport's options, read into cfg; the deadlines are settled once
 * all are read (serve_http_finish). */
struct serve_http {
	int64_t timeout, header_timeout, body_timeout;
	struct netaddr proxies[NETADDR_LIST_MAX];
};

/* 1 when c is one of them, 0 when it is not, CLI_USAGE for a bad value. */
static int serve_http_option(int c, const char *arg, struct http_config *cfg,
                             struct serve_http *h)
{
	struct error err = ERROR_INIT;
	int64_t v;
	int n;

	switch (c) {
	case 'l':
		cfg->listen = arg;
		return 1;
	case 't':
		if (serve_num("--threads", arg, 1, 64, &v))
			return CLI_USAGE;
		cfg->threads = (unsigned)v;
		return 1;
	case 'T': return serve_num("--timeout", arg, 1, 3600, &h->timeout) ? CLI_USAGE : 1;
	case 'H': return serve_num("--header-timeout", arg, 1, 3600, &h->header_timeout) ? CLI_USAGE : 1;
	case 'B': return serve_num("--body-timeout", arg, 1, 3600, &h->body_timeout) ? CLI_USAGE : 1;
	case 'm':
		if (serve_num("--max-conn", arg, 16, 100000, &v))
			return CLI_USAGE;
		cfg->max_conn = (unsigned)v;
		return 1;
	case 'i':
		if (serve_num("--max-conn-per-ip", arg, 1, 100000, &v))
			return CLI_USAGE;
		cfg->max_conn_per_ip = (unsigned)v;
		return 1;
	case 'b':
		if (serve_num("--max-body", arg, 1024, 1LL << 30, &v))
			return CLI_USAGE;
		cfg->max_body = (size_t)v;
		return 1;
	case 'p':
		if ((n = netaddr_list_parse(arg, h->proxies, NETADDR_LIST_MAX, &err)) < 0) {
			cli_fail(&err);
			return CLI_USAGE;
		}
		cfg->trusted_proxies = h->proxies;
		cfg->ntrusted_proxies = (size_t)n;
		return 1;
	case 's':
		cfg->secure_cookies = 1;
		return 1;
	case 'S':
		if (serve_num("--hsts", arg, 0, 100000000, &v))
			return CLI_USAGE;
		cfg->hsts_max_age = (unsigned)v;
		return 1;
	case 'M':
		if (serve_num("--public-max-age", arg, 0, 3600, &v))
			return CLI_USAGE;
		cfg->public_max_age = (unsigned)v;
		return 1;
	default:
		return 0;
	}
}

/* --timeout used to bound the whole request: it still does, unless the
 * deadlines are given one by one. */
static void serve_http_finish(struct http_config *cfg, const struct serve_http *h)
{
	if (h->timeout) {
		cfg->conn_timeout_s = (unsigned)h->timeout;
		cfg->body_timeout_s = (unsigned)h->timeout;
		if (cfg->header_timeout_s > h->timeout)
			cfg->header_timeout_s = (unsigned)h->timeout;
	}
	if (h->header_timeout)
		cfg->header_timeout_s = (unsigned)h->header_timeout;
	if (h->body_timeout)
		cfg->body_timeout_s = (unsigned)h->body_timeout;
}

/* What the server reads from the data directory at start, owned here and
 * lent to the handlers through struct api_app. */
struct serve_data {
	struct level_catalog *levels;
	struct quarantine_rules *quarantine;
	struct feedback_rules *feedback;
	struct support_catalog *support;
	struct business_risk_rules *business;
	struct insp_templates *inspections;
	struct dhis2_map *dhis2;
	struct lazy geo;                 /* a struct api_geo, made by serve_geo_make */
};

/* The boundaries, on first need: a file that no longer parses is logged
 * and the map and feedback go on without shapes, as with none. */
static void *serve_geo_make(void *arg)
{
	struct api_geo *g = calloc(1, sizeof(*g));
	struct error err = ERROR_INIT;

	(void)arg;
	if (g && cli_geo_load(&g->bounds, &g->locator, &err) < 0)
		log_error("geo.load.failed", "error=%s", err.en);
	return g;
}

/* rules_dir and dhis2_path: NULL for the data directory's own. */
static int serve_data_load(struct serve_data *d, const char *rules_dir, const char *dhis2_path,
                           struct error *err)
{
	char path[1024];
	int rc;

	lazy_init(&d->geo, serve_geo_make, NULL);
	if (rules_dir == NULL) {
		if ((rc = cli_data_path(cli_data_dir(), "rules", path, sizeof(path), err)) < 0)
			return rc;
		rules_dir = path;
	}
	if ((rc = cli_level_rules_load(rules_dir, &d->levels, err)) < 0 ||
	    (rc = cli_data_path(cli_data_dir(), "quarantine.json", path, sizeof(path), err)) < 0 ||
	    (rc = cli_quarantine_load(path, &d->quarantine, err)) < 0 ||
	    (rc = cli_data_path(cli_data_dir(), "feedback.json", path, sizeof(path), err)) < 0 ||
	    (rc = cli_feedback_load(path, &d->feedback, err)) < 0 ||
	    (rc = cli_support_load(&d->support, err)) < 0 ||
	    (rc = cli_data_path(cli_data_dir(), "business/risk-2194.json", path, sizeof(path),
	                        err)) < 0 ||
	    (rc = cli_business_load(path, &d->business, err)) < 0 ||
	    (rc = cli_data_path(cli_data_dir(), "inspections", path, sizeof(path), err)) < 0 ||
	    (rc = cli_inspections_load(path, &d->inspections, err)) < 0 ||
	    (rc = cli_dhis2_map_load(dhis2_path, &d->dhis2, err)) < 0)
		return rc;
	return cli_geo_check(err);
}

static void serve_data_lend(struct serve_data *d, struct api_app *app)
{
	app->levels = d->levels;
	app->quarantine = d->quarantine;
	app->feedback = d->feedback;
	app->support = d->support;
	app->business = d->business;
	app->inspections = d->inspections;
	app->dhis2 = d->dhis2;
	app->geo = &d->geo;
}

static void serve_data_free(struct serve_data *d)
{
	level_catalog_free(d->levels);
	quarantine_rules_free(d->quarantine);
	feedback_rules_free(d->feedback);
	support_catalog_free(d->support);
	business_risk_free(d->business);
	insp_templates_free(d->inspections);
	dhis2_map_free(d->dhis2);
	struct api_geo *g = lazy_take(&d->geo);

	if (g) {
		geo_boundaries_free(g->bounds);
		geoloc_free(g->locator);
		free(g);
	}
	lazy_destroy(&d->geo);
}

/* 1 for "on", 0 for "off", else -1 with a message. */
static int serve_on_off(const char *opt, const char *v)
{
	if (strcmp(v, "on") == 0)
		return 1;
	if (strcmp(v, "off") == 0)
		return 0;
	fprintf(stderr, "thichung: %s phải là on hoặc off / %s must be on or off\n", opt, opt);
	return -1;
}

/*
 * The replica's pool for --db-read.  It must be PostgreSQL and hold this
 * binary's schema already (a standby is never migrated: the primary is,
 * and the change streams over), else the server would answer from tables
 * that do not match its queries.
 */
static int serve_read_pool(const char *url, int size, struct store_pool **out,
                           struct error *err)
{
	struct store *st = NULL;
	int rc, version = 0;

	if (strncmp(url, "postgres://", 11) != 0 && strncmp(url, "postgresql://", 13) != 0)
		return error_set(err, THC_EINVAL, "--db-read phải là URL PostgreSQL (postgresql://...)",
		                 "--db-read must be a PostgreSQL URL (postgresql://...)");
	if ((rc = store_pool_open(url, size, out, err)) < 0)
		return rc;
	if ((rc = store_pool_get(*out, 2000, &st, err)) < 0)
		return rc;
	rc = store_schema_version(st, &version, err);
	store_pool_put(*out, st);
	if (rc == 0 && version != store_schema_latest())
		rc = error_set(err, THC_EUNAVAILABLE,
		               "bản sao --db-read có lược đồ số %d, máy chủ này cần số %d (hãy chờ bản sao"
		               " nhận đủ thay đổi từ máy chính)",
		               "the --db-read replica's schema is at %d, this server needs %d (wait until"
		               " the replica has caught up with the primary)", version,
		               store_schema_latest());
	return rc;
}

/* Said once at the start: names are searched by reading the tables. */
static void serve_search_check(struct store *st)
{
	struct error err = ERROR_INIT;
	char v[300];
	int indexed = 1;

	if (store_search_indexed(st, &indexed, &err) < 0)
		log_warn("search.check", "msg=%s", log_value(err.en, v, sizeof(v)));
	else if (!indexed)
		log_warn("search.scan", "hint=\"no trigram index on names (pg_trgm could not be"
		         " created): every name search reads the tables; see docs/scaling.md\"");
}

static void *serve_warm(void *arg)
{
	(void)auth_dummy();
	(void)api_geo(arg);
	return NULL;
}

/* The dummy password hash and the boundaries are made beside the first
 * requests, not before them: the server answers sooner after a start. */
static void serve_warm_up(struct api_app *app)
{
	pthread_t t;

	if (pthread_create(&t, NULL, serve_warm, app) == 0)
		pthread_detach(t);
}

static const struct option serve_opts[] = {
	{ "listen", required_argument, NULL, 'l' },
	{ "threads", required_argument, NULL, 't' },
	{ "timeout", required_argument, NULL, 'T' },
	{ "header-timeout", required_argument, NULL, 'H' },
	{ "body-timeout", required_argument, NULL, 'B' },
	{ "db-pool", required_argument, NULL, 'P' },
	{ "db-read", required_argument, NULL, 'R' },
	{ "group-commit", required_argument, NULL, 'g' },
	{ "max-conn", required_argument, NULL, 'm' },
	{ "max-conn-per-ip", required_argument, NULL, 'i' },
	{ "trusted-proxy", required_argument, NULL, 'p' },
	{ "secure-cookies", no_argument, NULL, 's' },
	{ "hsts", required_argument, NULL, 'S' },
	{ "public-max-age", required_argument, NULL, 'M' },
	{ "max-body", required_argument, NULL, 'b' },
	{ "rules-dir", required_argument, NULL, 'r' },
	{ "zone-end-days", required_argument, NULL, 'z' },
	{ "public-cache-ms", required_argument, NULL, 'c' },
	{ "dhis2-mapping", required_argument, NULL, 'D' },
	{ "feedback-anon-limit", required_argument, NULL, 'F' },
	{ "login-addr-limit", required_argument, NULL, 'L' },
	{ "feedback-daily", required_argument, NULL, 'Y' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* The limits on anonymous callers: 1 when c was one of them, CLI_USAGE for
 * a bad value, 0 for another option. */
static int serve_limit_option(int c, const char *arg, int64_t *anon_limit,
                              struct throttle_rules *login)
{
	int64_t v;

	switch (c) {
	case 'F':
		if (serve_num("--feedback-anon-limit", arg, 0, 100000, &v))
			return CLI_USAGE;
		*anon_limit = v;
		return 1;
	case 'L':
		if (serve_num("--login-addr-limit", arg, 1, SERVE_LOGIN_ADDR_MAX, &v))
			return CLI_USAGE;
		login->addr.free = v;
		return 1;
	default:
		return 0;
	}
}

int cli_serve(int argc, char **argv, struct cli_env *env)
{
	struct http_config cfg = HTTP_CONFIG_DEFAULT;
	struct zone_rule zones = ZONE_RULE_INIT;
	struct api_app app = { 0 };
	struct throttle_rules login_rules = THROTTLE_RULES_DEFAULT;
	struct http_server *srv = NULL;
	struct error err = ERROR_INIT;
	const char *db = env->db, *db_read = NULL, *rules_dir = NULL, *dhis2_path = NULL;
	struct serve_data data = { 0 };
	struct serve_http http = { 0 };
	int64_t v, cache_ms = PUBCACHE_TTL_MS_DEFAULT, anon_limit = API_ANON_LIMIT_DEFAULT;
	int c, rc, pool = 0, group = 1, status = CLI_FAIL, daily_minute = -1;
	struct cli_daily *daily = NULL;

	while ((c = getopt_long(argc, argv, "h", serve_opts, NULL)) != -1) {
		switch (c) {
		case 'P':
			if (serve_num("--db-pool", optarg, 1, 256, &v))
				return CLI_USAGE;
			pool = (int)v;
			break;
		case 'g':
			if ((group = serve_on_off("--group-commit", optarg)) < 0)
				return CLI_USAGE;
			break;
		case 'R': db_read = optarg; break;
		case 'r': rules_dir = optarg; break;
		case 'D': dhis2_path = optarg; break;
		case 'Y':
			if ((daily_minute = serve_hhmm("--feedback-daily", optarg)) < 0)
				return CLI_USAGE;
			break;
		case 'z':
			if (serve_num("--zone-end-days", optarg, 0, ZONE_END_DAYS_MAX, &v))
				return CLI_USAGE;
			zones.end_days = (int)v;
			break;
		case 'c':
			if (serve_num("--public-cache-ms", optarg, 0, PUBCACHE_TTL_MS_MAX, &v))
				return CLI_USAGE;
			cache_ms = v;
			break;
		case 'h': serve_usage(stdout); return CLI_OK;
		default:
			if ((rc = serve_limit_option(c, optarg, &anon_limit, &login_rules)) == 1 ||
			    (rc == 0 && (rc = serve_http_option(c, optarg, &cfg, &http)) == 1))
				break;
			if (rc == 0)
				serve_usage(stderr);
			return CLI_USAGE;
		}
	}
	if (optind != argc) {
		serve_usage(stderr);
		return CLI_USAGE;
	}
	if ((rc = cli_need_store(env, serve_usage)) != 0)
		return rc;
	serve_http_finish(&cfg, &http);
	if (auth_init() < 0) {
		fprintf(stderr, "thichung: không khởi tạo được libsodium / cannot initialise libsodium\n");
		return CLI_FAIL;
	}
	/* The schema is current (cli_dispatch migrated it on one connection);
	 * the pool opens its own. */
	serve_search_check(env->st);
	store_close(env->st);
	env->st = NULL;
	if ((rc = serve_data_load(&data, rules_dir, dhis2_path, &err)) < 0)
		goto out;
	serve_data_lend(&data, &app);
	app.zones = &zones;
	app.login_rules = &login_rules;
	/* Each polling thread holds one connection while a handler runs; two
	 * more keep the shutdown path and the command line from waiting. */
	if ((rc = store_pool_open(db, pool ? pool : (int)cfg.threads + 2, &app.pool, &err)) < 0 ||
	    (rc = store_pool_group_commit(app.pool, group, &err)) < 0 ||
	    (db_read && (rc = serve_read_pool(db_read, pool ? pool : (int)cfg.threads + 2,
	                                      &app.read_pool, &err)) < 0))
		goto out;
	if ((rc = pubcache_new(cache_ms, &app.cache, &err)) < 0 ||
	    (anon_limit > 0 &&
	     (rc = api_anon_limit_new(anon_limit, API_ANON_WINDOW_MS, &app.anon, &err)) < 0) ||
	    (rc = http_start(&cfg, api_handle, &app, &srv, &err)) < 0 ||
	    (daily_minute >= 0 &&
	     (rc = cli_daily_start(app.pool, app.feedback, daily_minute, &daily, &err)) < 0))
		goto out;
	{
		char shown[512], q[600];
		log_info("http.listen", "url=http://%s db=%s threads=%u", cfg.listen,
		         log_value(serve_db_for_log(db, shown, sizeof(shown)), q, sizeof(q)),
		         cfg.threads);
	}
	serve_warm_up(&app);
	http_run_until_signal(srv);
	cli_daily_stop(daily);
	daily = NULL;
	http_stop(srv);
	log_info("http.stopped", NULL);
	status = CLI_OK;
out:
	if (status != CLI_OK)
		status = cli_fail(&err) == CLI_USAGE ? CLI_USAGE : CLI_FAIL;
	cli_daily_stop(daily);
	store_pool_close(app.pool);
	store_pool_close(app.read_pool);
	pubcache_free(app.cache);
	api_anon_limit_free(app.anon);
	serve_data_free(&data);
	return status;
}
