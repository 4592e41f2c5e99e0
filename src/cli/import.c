/*
 * thichung import units|population --db PATH FILE.csv
 * All or nothing: one bad line imports nothing and is named.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/csvtab.h"
#include "base/parse.h"
#include "base/vntime.h"
#include "api/api.h"
#include "cli/cli.h"
#include "domain/measures.h"
#include "domain/quarantine.h"
#include "domain/unit.h"
#include "base/banned.h"

#define IMPORT_ROWS_MAX 200000
#define IMPORT_CASES_MAX 1000000
#define IMPORT_BAD_LINES_MAX 100    /* as the API (CSV_ERRORS_MAX) */

/* Reads FILE as a CSV table; the message names the file on failure. */
static int import_read_max(const char *path, const char *const *known,
                           const char *const *required, size_t max_rows,
                           struct csvtab *t, struct error *err)
{
	FILE *f = fopen(path, "rb");
	int rc;

	if (f == NULL) {
		memset(t, 0, sizeof(*t));
		return error_set(err, THC_EUSAGE, "không mở được tệp '%s'", "cannot open file '%s'", path);
	}
	rc = csvtab_read_file(t, f, known, required, max_rows, err);
	fclose(f);
	return rc;
}

static int import_read(const char *path, const char *const *known,
                       const char *const *required, struct csvtab *t,
                       struct error *err)
{
	FILE *f = fopen(path, "rb");
	int rc;

	if (f == NULL) {
		memset(t, 0, sizeof(*t));
		return error_set(err, THC_EUSAGE, "không mở được tệp '%s'", "cannot open file '%s'", path);
	}
	rc = csvtab_read_file(t, f, known, required, IMPORT_ROWS_MAX, err);
	fclose(f);
	return rc;
}

int cli_import_units_file(struct store *st, const char *path, size_t *ins,
                          size_t *upd, struct error *err)
{
	static const char *const known[] = { "code", "name", "level", "parent_code", "type", NULL };
	static const char *const required[] = { "code", "name", "level", "parent_code", NULL };
	struct store_actor actor = cli_actor();
	struct csvtab t;
	struct unit_row *rows = NULL;
	int rc;

	if ((rc = import_read(path, known, required, &t, err)) < 0)
		goto out;
	rows = calloc(t.n ? t.n : 1, sizeof(*rows));
	if (rows == NULL) {
		rc = error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		goto out;
	}
	for (size_t i = 0; i < t.n; i++) {
		rows[i].code = csvtab_get(&t, i, "code");
		rows[i].name = csvtab_get(&t, i, "name");
		rows[i].level = csvtab_get(&t, i, "level");
		rows[i].parent_code = csvtab_get(&t, i, "parent_code");
		rows[i].type = csvtab_get(&t, i, "type");
		rows[i].line = t.lines[i];
	}
	rc = store_units_import(st, &actor, rows, t.n, ins, upd, err);
out:
	free(rows);
	csvtab_release(&t);
	return rc;
}

int cli_import_population_file(struct store *st, const char *path, size_t *n,
                               struct error *err)
{
	static const char *const known[] = { "code", "population", "year", "basis", NULL };
	static const char *const required[] = { "code", "population", NULL };
	struct store_actor actor = cli_actor();
	struct csvtab t;
	struct unit_population_row *rows = NULL;
	int rc;

	if ((rc = import_read(path, known, required, &t, err)) < 0)
		goto out;
	rows = calloc(t.n ? t.n : 1, sizeof(*rows));
	if (rows == NULL) {
		rc = error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		goto out;
	}
	for (size_t i = 0; i < t.n; i++) {
		rows[i].code = csvtab_get(&t, i, "code");
		rows[i].line = t.lines[i];
		if (parse_int64(csvtab_get(&t, i, "population"), 0, UNIT_POPULATION_MAX, &rows[i].population) < 0) {
			rc = error_set(err, THC_EUNPROCESSABLE,
			               "dòng %ld: cột 'population': '%.20s' phải là số nguyên không âm",
			               "line %ld: column 'population': '%.20s' must be a whole number >= 0",
			               t.lines[i], csvtab_get(&t, i, "population"));
			goto out;
		}
	}
	rc = store_units_set_population(st, &actor, rows, t.n, err);
	if (rc == 0 && n)
		*n = t.n;
out:
	free(rows);
	csvtab_release(&t);
	return rc;
}

int cli_import_levels_file(struct store *st, const char *path, size_t *n,
                              struct error *err)
{
	struct store_actor actor = cli_actor();
	const char *known[API_LEVEL_COLUMNS_MAX], *required[API_LEVEL_COLUMNS_MAX];
	struct level_decision_row *rows = NULL;
	struct csvtab t;
	int rc;

	api_levels_columns(known, required);
	if ((rc = import_read(path, known, required, &t, err)) < 0)
		goto out;
	rows = calloc(t.n ? t.n : 1, sizeof(*rows));
	if (rows == NULL) {
		rc = error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		goto out;
	}
	if ((rc = api_levels_rows(&t, rows, vntime_day_of(actor.now_ms / 1000), err)) == 0)
		rc = store_levels_import(st, &actor, rows, t.n, n, err);
out:
	free(rows);
	csvtab_release(&t);
	return rc;
}

/* Reads a whole small file into memory (caller free()s). */
static char *import_slurp(const char *path, size_t max, size_t *len, struct error *err)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0;

	if (f == NULL) {
		error_set(err, THC_EUSAGE, "không mở được tệp '%s'", "cannot open file '%s'", path);
		return NULL;
	}
	buf = malloc(max + 1);
	if (buf) {
		n = fread(buf, 1, max + 1, f);
		if (n > max) {
			error_set(err, THC_ETOOBIG, "tệp '%s' lớn hơn %zu byte",
			          "file '%s' is larger than %zu bytes", path, max);
			free(buf);
			buf = NULL;
		} else {
			buf[n] = '\0';
		}
	} else {
		error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	}
	fclose(f);
	*len = n;
	return buf;
}

int cli_import_measures_file(struct store *st, const char *province, const char *path,
                             struct error *err)
{
	struct store_actor actor = cli_actor();
	char *by_level[5];
	size_t len;
	char *text = import_slurp(path, 1 << 20, &len, err);
	int rc;

	if (text == NULL)
		return err->code;
	rc = measures_parse(text, len, by_level, err);
	if (rc == 0)
		rc = store_measures_put(st, &actor, province, (const char *const *)by_level, err);
	for (int l = 0; l < 5; l++)
		free(by_level[l]);
	free(text);
	return rc;
}

/* Every bad line of a refused file on stderr; *err then says how many. */
static int import_bad_lines(const struct store_bad_lines *bad, struct error *err)
{
	for (size_t i = 0; i < bad->n; i++)
		fprintf(stderr, "thichung: %s\nthichung: %s\n", error_message(&bad->v[i].err, 0),
		        error_message(&bad->v[i].err, 1));
	if (bad->n == IMPORT_BAD_LINES_MAX)
		return error_set(err, bad->v[0].err.code, "ít nhất %zu dòng lỗi (chỉ kể %zu dòng"
		                 " đầu), không nhập dòng nào", "at least %zu bad lines (only the"
		                 " first %zu listed), no line imported", bad->n, bad->n);
	return error_set(err, bad->v[0].err.code, "%zu dòng lỗi, không nhập dòng nào",
	                 "%zu bad lines, no line imported", bad->n);
}

int cli_import_cases_file(struct store *st, const char *path, size_t *ins, size_t *upd,
                          size_t *skip, struct error *err)
{
	struct store_actor actor = cli_actor();
	const char *known[API_CASE_COLUMNS_MAX], *required[API_CASE_COLUMNS_MAX];
	struct store_bad_line v[IMPORT_BAD_LINES_MAX];
	struct store_bad_lines bad = { v, 0, IMPORT_BAD_LINES_MAX };
	struct case_rec *rows = NULL;
	struct csvtab t;
	int rc;

	api_cases_columns(known, required);
	if ((rc = import_read_max(path, known, required, IMPORT_CASES_MAX, &t, err)) < 0)
		goto out;
	rows = calloc(t.n ? t.n : 1, sizeof(*rows));
	if (rows == NULL) {
		rc = error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		goto out;
	}
	if ((rc = api_cases_rows(st, &actor, &t, rows, vntime_day_of(actor.now_ms / 1000), &bad,
	                         err)) < 0)
		goto out;
	if (bad.n == 0)
		rc = store_cases_import_lines(st, &actor, rows, t.n, ins, upd, skip, &bad, err);
	if (bad.n)
		rc = import_bad_lines(&bad, err);
out:
	free(rows);
	csvtab_release(&t);
	return rc;
}

int cli_import_daily_cases_file(struct store *st, const char *path, size_t *n,
                                struct error *err)
{
	static const char *const known[] = { "date", "province_code", "new_cases",
	                                     "community_cases", NULL };
	static const char *const required[] = { "date", "province_code", "new_cases", NULL };
	struct store_actor actor = cli_actor();
	struct daily_cases_row *rows = NULL;
	struct csvtab t;
	int rc;

	if ((rc = import_read(path, known, required, &t, err)) < 0)
		goto out;
	rows = calloc(t.n ? t.n : 1, sizeof(*rows));
	if (rows == NULL) {
		rc = error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		goto out;
	}
	for (size_t i = 0; i < t.n; i++) {
		const char *d = csvtab_get(&t, i, "date"), *nc = csvtab_get(&t, i, "new_cases");
		const char *cc = csvtab_get(&t, i, "community_cases");
		struct vndate day;

		rows[i].day = d;
		rows[i].province_code = csvtab_get(&t, i, "province_code");
		rows[i].line = t.lines[i];
		rows[i].community_cases = -1;
		if (vndate_parse(d, &day) < 0) {
			rc = error_set(err, THC_EUNPROCESSABLE,
			               "dòng %ld: cột 'date': '%.20s' không phải ngày YYYY-MM-DD",
			               "line %ld: column 'date': '%.20s' is not a date YYYY-MM-DD",
			               t.lines[i], d);
			goto out;
		}
		if (parse_int64(nc, 0, 10000000, &rows[i].new_cases) < 0 ||
		    (cc && cc[0] && parse_int64(cc, 0, rows[i].new_cases, &rows[i].community_cases) < 0)) {
			rc = error_set(err, THC_EUNPROCESSABLE,
			               "dòng %ld: cột 'new_cases'/'community_cases': phải là số nguyên >= 0, cộng đồng <= tổng",
			               "line %ld: column 'new_cases'/'community_cases': whole numbers >= 0, community <= new",
			               t.lines[i]);
			goto out;
		}
	}
	rc = store_daily_cases_import(st, &actor, rows, t.n, n, err);
out:
	free(rows);
	csvtab_release(&t);
	return rc;
}

int cli_quarantine_load(const char *path, struct quarantine_rules **out, struct error *err)
{
	size_t len;
	char *text = import_slurp(path, QUARANTINE_RULES_MAX_BYTES, &len, err);
	int rc;

	*out = NULL;
	if (text == NULL)
		return err->code;
	rc = quarantine_rules_parse(text, len, out, err);
	if (rc < 0)
		error_prefix(err, "%s: ", "%s: ", path);
	free(text);
	return rc;
}

static void import_usage(FILE *f)
{
	fprintf(f, "Cách dùng / usage:\n"
	        "  thichung import units --db PATH FILE.csv\n"
	        "      đơn vị hành chính (code,name,level,parent_code[,type]) / administrative units\n"
	        "  thichung import population --db PATH FILE.csv\n"
	        "      dân số (code,population[,year,basis]) / population\n"
	        "  thichung import levels --db PATH FILE.csv\n"
	        "      cấp độ dịch đã công bố (date,unit_code,level[,unit_name,listed,source])\n"
	        "      / published epidemic levels\n"
	        "  thichung import measures --db PATH [--province CODE] FILE.json\n"
	        "      biện pháp theo cấp độ (mặc định toàn quốc) / measures per level\n"
	        "  thichung import cases --db PATH FILE.csv\n"
	        "      ca F0 theo external_id (tối đa 1.000.000 dòng) / F0 cases by external_id\n"
	        "  thichung import daily-cases --db PATH FILE.csv\n"
	        "      số ca theo ngày của tỉnh (date,province_code,new_cases[,community_cases])\n"
	        "      / published daily cases per province\n"
	        "  thichung import dhis2 --db PATH [--mapping FILE] FILE\n"
	        "      số liệu tuần từ DHIS2 (dataValueSets JSON hoặc ADX XML)\n"
	        "      / weekly figures from DHIS2 (dataValueSets JSON or ADX XML)\n"
	        "Tất cả hoặc không: một dòng lỗi thì không nhập gì / all or nothing.\n");
}

/* Parses [--province CODE] FILE (--province for measures only); 1 when the
 * subcommand is over with *status (--help, bad usage). */
static int import_args(int argc, char **argv, const struct cli_env *env, const char **file,
                       const char **province, int *status)
{
	static const struct option opts[] = {
		{ "province", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'p' && province) {
			*province = optarg;
		} else if (c == 'h') {
			import_usage(stdout);
			*status = CLI_OK;
			return 1;
		} else {
			import_usage(stderr);
			*status = CLI_USAGE;
			return 1;
		}
	}
	if (optind != argc - 1) {
		import_usage(stderr);
		*status = CLI_USAGE;
		return 1;
	}
	if ((*status = cli_need_store(env, import_usage)) != 0)
		return 1;
	*file = argv[optind];
	return 0;
}

static int import_units(int argc, char **argv, struct cli_env *env)
{
	struct error err = ERROR_INIT;
	const char *file;
	size_t ins = 0, upd = 0;
	int status;

	if (import_args(argc, argv, env, &file, NULL, &status))
		return status;
	if (cli_import_units_file(env->st, file, &ins, &upd, &err) < 0)
		return cli_fail(&err);
	printf("Đã nhập / imported: %zu mới / new, %zu cập nhật / updated\n", ins, upd);
	return CLI_OK;
}

static int import_population(int argc, char **argv, struct cli_env *env)
{
	struct error err = ERROR_INIT;
	const char *file;
	size_t n = 0;
	int status;

	if (import_args(argc, argv, env, &file, NULL, &status))
		return status;
	if (cli_import_population_file(env->st, file, &n, &err) < 0)
		return cli_fail(&err);
	printf("Đã cập nhật dân số / population set: %zu đơn vị / units\n", n);
	return CLI_OK;
}

static int import_levels(int argc, char **argv, struct cli_env *env)
{
	struct error err = ERROR_INIT;
	const char *file;
	size_t n = 0;
	int status;

	if (import_args(argc, argv, env, &file, NULL, &status))
		return status;
	if (cli_import_levels_file(env->st, file, &n, &err) < 0)
		return cli_fail(&err);
	printf("Đã nhập cấp độ / levels imported: %zu mới / new\n", n);
	return CLI_OK;
}

static int import_measures(int argc, char **argv, struct cli_env *env)
{
	struct error err = ERROR_INIT;
	const char *file, *province = "VN";
	int status;

	if (import_args(argc, argv, env, &file, &province, &status))
		return status;
	if (cli_import_measures_file(env->st, province, file, &err) < 0)
		return cli_fail(&err);
	printf("Đã nạp biện pháp / measures loaded: %s\n", province);
	return CLI_OK;
}

static int import_cases(int argc, char **argv, struct cli_env *env)
{
	struct error err = ERROR_INIT;
	const char *file;
	size_t ins = 0, upd = 0, skip = 0;
	int status;

	if (import_args(argc, argv, env, &file, NULL, &status))
		return status;
	if (cli_import_cases_file(env->st, file, &ins, &upd, &skip, &err) < 0)
		return cli_fail(&err);
	printf("Đã nhập ca bệnh / cases imported: %zu mới / new, %zu cập nhật / updated,"
	       " %zu không đổi / unchanged\n", ins, upd, skip);
	return CLI_OK;
}

static int import_daily_cases(int argc, char **argv, struct cli_env *env)
{
	struct error err = ERROR_INIT;
	const char *file;
	size_t n = 0;
	int status;

	if (import_args(argc, argv, env, &file, NULL, &status))
		return status;
	if (cli_import_daily_cases_file(env->st, file, &n, &err) < 0)
		return cli_fail(&err);
	printf("Đã nhập số ca theo ngày / daily cases stored: %zu dòng / rows\n", n);
	return CLI_OK;
}

static const struct cli_cmd import_cmds[] = {
	{ "units",       import_units,       CLI_STORE | CLI_SCHEMA, "đơn vị hành chính / administrative units" },
	{ "population",  import_population,  CLI_STORE | CLI_SCHEMA, "dân số / population" },
	{ "levels",      import_levels,      CLI_STORE | CLI_SCHEMA, "cấp độ đã công bố / published levels" },
	{ "measures",    import_measures,    CLI_STORE | CLI_SCHEMA, "biện pháp theo cấp độ / measures per level" },
	{ "cases",       import_cases,       CLI_STORE | CLI_SCHEMA, "ca F0 / F0 cases" },
	{ "daily-cases", import_daily_cases, CLI_STORE | CLI_SCHEMA, "số ca theo ngày của tỉnh / daily cases per province" },
	{ "dhis2",       cli_import_dhis2,   CLI_STORE | CLI_SCHEMA, "số liệu tuần từ DHIS2 (JSON, ADX) / weekly figures from DHIS2" },
};

int cli_import(int argc, char **argv, struct cli_env *env)
{
	return cli_dispatch(import_cmds, ARRAY_SIZE(import_cmds), argc - 1, argv + 1, env,
	                    import_usage);
}
