/*
 * thichung export dhis2 --db PATH|URL --format json|adx --unit CODE
 *     --from YYYY-MM-DD --to YYYY-MM-DD [--mapping FILE] [--children]
 * The weekly aggregates of a unit (and its public children) as DHIS2
 * dataValueSets JSON or ADX XML on standard output (api/exchange.c
 * gathers them, domain/dhis2 writes them).
 * thichung import dhis2 --db PATH|URL [--mapping FILE] FILE
 * The same documents read back (api/exchange_import.c), all or nothing,
 * DHIS2's ImportSummary on standard output.
 * The mapping is <data>/dhis2/mapping.json unless --mapping names another.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api.h"
#include "base/vntime.h"
#include "cli/cli.h"
#include "domain/dhis2.h"
#include "domain/geo.h"
#include "domain/geoloc.h"
#include "base/banned.h"

#define EXCHANGE_MAPPING_MAX ((size_t)1 << 20)
#define EXCHANGE_OUT_MAX (256u << 20)
#define EXCHANGE_GEO_MAX ((size_t)64 << 20)

static void export_usage(FILE *f)
{
	fprintf(f, "Cách dùng / usage:\n"
	        "  thichung export dhis2 --db PATH|URL --format json|adx --unit CODE\n"
	        "      --from YYYY-MM-DD --to YYYY-MM-DD [--mapping FILE] [--children]\n"
	        "      số liệu tuần cho DHIS2 (dataValueSets JSON hoặc ADX XML) ra đầu ra chuẩn:\n"
	        "      các tuần (thứ Hai..Chủ nhật) có Chủ nhật trong [from, to], tối đa 2 năm\n"
	        "      / weekly aggregates for DHIS2 on standard output: the weeks (Monday..Sunday)\n"
	        "      whose Sunday lies in [from, to], at most two years\n");
}

/* A whole file of at most max bytes (caller free()s; NULL with err set). */
static char *exchange_slurp(const char *path, size_t max, size_t *len, struct error *err)
{
	FILE *f = fopen(path, "rb");
	char *buf;

	if (f == NULL) {
		error_set(err, THC_EUSAGE, "không mở được tệp '%s'", "cannot open file '%s'", path);
		return NULL;
	}
	if ((buf = malloc(max + 1)) == NULL) {
		error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	} else if ((*len = fread(buf, 1, max + 1, f)) > max) {
		error_set(err, THC_ETOOBIG, "tệp '%s' lớn hơn %zu byte",
		          "file '%s' is larger than %zu bytes", path, max);
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

int cli_dhis2_map_load(const char *path, struct dhis2_map **out, struct error *err)
{
	char def[1024], *buf;
	size_t n = 0;
	int rc;

	*out = NULL;
	if (path == NULL) {
		if ((rc = cli_data_path(cli_data_dir(), "dhis2/mapping.json", def, sizeof(def), err)) < 0)
			return rc;
		path = def;
	}
	if ((buf = exchange_slurp(path, EXCHANGE_MAPPING_MAX, &n, err)) == NULL)
		return err->code;
	if ((rc = dhis2_map_parse(buf, n, out, err)) < 0)
		error_prefix(err, "%s: ", "%s: ", path);
	free(buf);
	return rc;
}

static const char *const geo_files[] = { "geo_provinces.geojson", "geo_districts.geojson" };

int cli_geo_check(struct error *err)
{
	char path[1024];
	int rc = 0;

	for (size_t i = 0; i < ARRAY_SIZE(geo_files) && rc == 0; i++)
		if ((rc = cli_data_path(cli_data_dir(), geo_files[i], path, sizeof(path), err)) == 0 &&
		    access(path, R_OK) != 0)
			rc = error_set(err, THC_EIO, "%s: không đọc được: %s", "%s: cannot read it: %s",
			               path, strerror(errno));
	return rc;
}

int cli_geo_load(struct geo_boundaries **out, struct geoloc **loc, struct error *err)
{
	char path[1024], *buf;
	json_error_t je;
	json_t *doc;
	size_t n = 0;
	int rc = 0;

	*out = geo_boundaries_new();
	if (loc)
		*loc = geoloc_new();
	if (*out == NULL || (loc && *loc == NULL))
		rc = error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	for (size_t i = 0; i < ARRAY_SIZE(geo_files) && rc == 0; i++) {
		if ((rc = cli_data_path(cli_data_dir(), geo_files[i], path, sizeof(path), err)) < 0)
			break;
		if ((buf = exchange_slurp(path, EXCHANGE_GEO_MAX, &n, err)) == NULL) {
			rc = err->code;
			break;
		}
		/* Parsed once for both (the parse is most of a start's time).
		 * The files in order: provinces (level 1), then districts (2). */
		doc = json_loadb(buf, n, 0, &je);
		free(buf);
		if ((rc = geo_boundaries_add_doc(*out, doc, err)) < 0 ||
		    (loc && (rc = geoloc_add_doc(*loc, doc, (int)i + 1, err)) < 0))
			error_prefix(err, "%s: ", "%s: ", path);
		json_decref(doc);
	}
	if (rc < 0) {
		geo_boundaries_free(*out);
		*out = NULL;
		if (loc) {
			geoloc_free(*loc);
			*loc = NULL;
		}
	}
	return rc;
}

struct export_opts {
	const char *format, *unit, *from, *to, *mapping;
	int children;
};

/* 1 when the command is over with *status (--help, bad usage). */
static int export_args(int argc, char **argv, const struct cli_env *env, struct export_opts *o,
                       int *status)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "unit", required_argument, NULL, 'u' },
		{ "from", required_argument, NULL, 'F' },
		{ "to", required_argument, NULL, 'T' },
		{ "mapping", required_argument, NULL, 'm' },
		{ "children", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	*status = CLI_USAGE;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'f': o->format = optarg; break;
		case 'u': o->unit = optarg; break;
		case 'F': o->from = optarg; break;
		case 'T': o->to = optarg; break;
		case 'm': o->mapping = optarg; break;
		case 'c': o->children = 1; break;
		case 'h': export_usage(stdout); *status = CLI_OK; return 1;
		default: export_usage(stderr); return 1;
		}
	}
	if (optind != argc || !o->format || !o->unit || !o->from || !o->to ||
	    (strcmp(o->format, "json") != 0 && strcmp(o->format, "adx") != 0)) {
		fprintf(stderr, "thichung: cần --format json|adx, --unit, --from và --to\n"
		        "thichung: --format json|adx, --unit, --from and --to are required\n");
		export_usage(stderr);
		return 1;
	}
	return (*status = cli_need_store(env, export_usage)) != 0;
}

static int export_write(const struct export_opts *o, const struct dhis2_map *m,
                        const struct dhis2_value *v, size_t n, struct error *err)
{
	struct strbuf sb = STRBUF_INIT(EXCHANGE_OUT_MAX);
	json_t *doc = NULL;
	char exported[32];
	int rc;

	if (strcmp(o->format, "json") == 0) {
		if ((rc = dhis2_write_json(m, v, n, &doc, err)) < 0)
			return rc;
		rc = json_dumpf(doc, stdout, JSON_INDENT(1)) < 0 || fputc('\n', stdout) == EOF
		     ? error_set(err, THC_EIO, "không ghi được đầu ra", "cannot write the output") : 0;
		json_decref(doc);
		return rc;
	}
	vntime_format_utc_ms(vntime_now_ms(), exported, sizeof(exported));
	if ((rc = dhis2_write_adx(m, v, n, exported, &sb, err)) == 0 &&
	    fwrite(sb.buf, 1, sb.len, stdout) != sb.len)
		rc = error_set(err, THC_EIO, "không ghi được đầu ra", "cannot write the output");
	strbuf_release(&sb);
	return rc;
}

static int export_dhis2(int argc, char **argv, struct cli_env *env)
{
	struct export_opts o = { 0 };
	struct store_actor actor = cli_actor();
	struct arena a = ARENA_INIT(0);
	struct error err = ERROR_INIT;
	struct dhis2_map *m = NULL;
	struct dhis2_value *v;
	size_t n;
	int status, rc;

	if (export_args(argc, argv, env, &o, &status))
		return status;
	if ((rc = cli_dhis2_map_load(o.mapping, &m, &err)) == 0 &&
	    (rc = api_dhis2_collect(env->st, &actor, o.unit, o.children, o.from, o.to, &a, &v, &n,
	                            &err)) == 0)
		rc = export_write(&o, m, v, n, &err);
	if (rc == 0 && fflush(stdout) != 0)
		rc = error_set(&err, THC_EIO, "không ghi được đầu ra", "cannot write the output");
	arena_release(&a);
	dhis2_map_free(m);
	return rc < 0 ? cli_fail(&err) : CLI_OK;
}

static void import_dhis2_usage(FILE *f)
{
	fprintf(f, "Cách dùng / usage:\n"
	        "  thichung import dhis2 --db PATH|URL [--mapping FILE] FILE\n"
	        "      nhập số liệu tuần từ DHIS2 (dataValueSets JSON hoặc ADX XML, nhận ra theo nội\n"
	        "      dung), tất cả hoặc không; in bản tóm tắt nhập của DHIS2 (JSON) ra đầu ra chuẩn\n"
	        "      / imports weekly figures from DHIS2 (dataValueSets JSON or ADX XML, told by\n"
	        "      the content), all or nothing; prints DHIS2's import summary (JSON)\n");
}

/* Exit status: CLI_OK imported (or all ignored), CLI_FAIL for conflicts
 * (the summary says which) or an error. */
int cli_import_dhis2(int argc, char **argv, struct cli_env *env)
{
	static const struct option opts[] = {
		{ "mapping", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct store_actor actor = cli_actor();
	struct arena a = ARENA_INIT(0);
	struct error err = ERROR_INIT;
	struct dhis2_map *m = NULL;
	const char *mapping = NULL;
	json_t *doc = NULL, *summary = NULL;
	char *buf = NULL;
	size_t len = 0;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'm') {
			mapping = optarg;
		} else {
			import_dhis2_usage(c == 'h' ? stdout : stderr);
			return c == 'h' ? CLI_OK : CLI_USAGE;
		}
	}
	if (optind != argc - 1) {
		import_dhis2_usage(stderr);
		return CLI_USAGE;
	}
	if ((rc = cli_need_store(env, import_dhis2_usage)) != 0)
		return rc;
	if ((rc = cli_dhis2_map_load(mapping, &m, &err)) == 0 &&
	    (buf = exchange_slurp(argv[optind], DHIS2_IMPORT_BYTES_MAX + 1, &len, &err)) == NULL)
		rc = err.code;
	if (rc == 0 && (rc = api_dhis2_size_check(len, &err)) < 0)
		error_prefix(&err, "%s: ", "%s: ", argv[optind]);
	if (rc == 0 && (rc = api_dhis2_parse(buf, len, &doc, &err)) < 0)
		error_prefix(&err, "%s: ", "%s: ", argv[optind]);
	if (rc == 0)
		rc = api_dhis2_import(env->st, &actor, 0, NULL, m, doc, &a, &summary, &err);
	if (rc == 0)    /* every line of the command line is in both languages */
		dhis2_summary_language(summary, DHIS2_LANG_BOTH);
	if (rc == 0 && (json_dumpf(summary, stdout, JSON_INDENT(1)) < 0 || fputc('\n', stdout) == EOF ||
	                fflush(stdout) != 0))
		rc = error_set(&err, THC_EIO, "không ghi được đầu ra", "cannot write the output");
	if (rc == 0 && json_array_size(json_object_get(summary, "conflicts")) > 0)
		fprintf(stderr, "thichung: không nhập gì: tệp có giá trị không dùng được (xem conflicts)\n"
		        "thichung: nothing was imported: the file has values that cannot be used "
		        "(see conflicts)\n");
	rc = rc < 0 ? cli_fail(&err)
	     : json_array_size(json_object_get(summary, "conflicts")) > 0 ? CLI_FAIL : CLI_OK;
	json_decref(summary);
	json_decref(doc);
	free(buf);
	arena_release(&a);
	dhis2_map_free(m);
	return rc;
}

static const struct cli_cmd export_cmds[] = {
	{ "dhis2", export_dhis2, CLI_STORE, "số liệu tuần cho DHIS2 / weekly aggregates for DHIS2" },
};

int cli_export(int argc, char **argv, struct cli_env *env)
{
	return cli_dispatch(export_cmds, ARRAY_SIZE(export_cmds), argc - 1, argv + 1, env,
	                    export_usage);
}
