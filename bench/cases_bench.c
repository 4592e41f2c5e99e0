/*
 * cases_bench: bulk import of a national F0 case list and the weekly
 * figures of every commune, on SQLite and on PostgreSQL.
 *
 *   BENCH_ROWS=N cases_bench        (default 1,000,000 rows)
 *
 * 1. Loads the real administrative units (data/units.csv from
 *    $THC_DATA_DIR, else the build's THC_DATA_DIR) with store_units_import.
 * 2. Generates N cases, deterministically (a fixed LCG): every commune gets
 *    a block of consecutive rows (as a list exported commune by commune
 *    would), detected in 2021, half with a 12-digit ID number, sources 80%
 *    community / 15% quarantine / 5% imported, 1% deaths; and writes them
 *    as the CSV file a person would import.
 * 3. Imports the file as `thichung import cases` does (cli_import_cases_file:
 *    the CSV read, every row checked, one audited transaction), end to end,
 *    and reports the time beside its target.
 * 4. SQLite's own floor for the same rows (the reference beside the
 *    import): a second database of the same schema and units filled from
 *    the first by one INSERT ... SELECT per table in one transaction, with
 *    the same indexes, triggers, cache size and full sync.  The import can
 *    come close to it, not beat it.
 * 5. Times store_cases_weekly_communes for the 52 weeks of 2021 (one
 *    grouped query over every commune).
 *
 * SQLite: a new file under $TMPDIR (or /tmp), removed at the end.
 * PostgreSQL: only when THC_BENCH_PG_URL names an EMPTY database; it gets
 * the first BENCH_PG_ROWS rows (default: all of them).  BENCH_SQLITE=0
 * leaves SQLite out (one backend per run, e.g. under a profiler).
 * BENCH_WEEKLY_URL=URL only times step 5, five times, on a database that
 * an earlier run (or anything else) filled; BENCH_KEEP=1 keeps the SQLite
 * file for it (its path is printed).
 * Measures only; a store error stops it with exit status 1.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "base/csvtab.h"
#include "base/parse.h"
#include "base/vntime.h"
#include "cli/cli.h"
#include "store/case_import.h"
#include "store/store.h"
#include "base/banned.h"

#define CB_ROWS_DEFAULT 1000000
#define CB_ROWS_MAX 1000000       /* as the CLI import */
#define CB_UNITS_MAX 200000
#define CB_TARGET_SQLITE_S 10.0   /* 1,000,000 rows */
#define CB_TARGET_PG_S 20.0

struct cb_text {                  /* strings of one generated row */
	char ext[24], name[40], idn[24], day[11], out_day[11];
};

struct cb_result {
	const char *engine;
	int ran;
	size_t rows;
	double units_s, import_s, weekly_s, floor_s;
	size_t weekly_rows;
};

static double cb_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t cb_lcg(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return *s >> 33;
}

static size_t cb_env(const char *name, size_t dflt)
{
	const char *v = getenv(name);
	int64_t n;

	if (v && parse_int64(v, 1, CB_ROWS_MAX, &n) == 0)
		return (size_t)n;
	return dflt;
}

/* Whether the variable says 0 (a part of the run left out). */
static int cb_off(const char *name)
{
	const char *v = getenv(name);

	return v && strcmp(v, "0") == 0;
}

static int cb_units(struct csvtab *t, struct unit_row **rows, const char ***communes,
                    size_t *ncommunes, struct error *err)
{
	static const char *const known[] = { "code", "name", "level", "parent_code", "type", NULL };
	static const char *const required[] = { "code", "name", "level", "parent_code", NULL };
	const char *dir = getenv("THC_DATA_DIR");
	char path[1024];
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/units.csv", dir && dir[0] ? dir : THC_DATA_DIR);
	if ((f = fopen(path, "rb")) == NULL)
		return error_set(err, THC_EIO, "không mở được '%s'", "cannot open '%s'", path);
	rc = csvtab_read_file(t, f, known, required, CB_UNITS_MAX, err);
	fclose(f);
	if (rc < 0)
		return rc;
	*rows = calloc(t->n, sizeof(**rows));
	*communes = calloc(t->n, sizeof(**communes));
	if (*rows == NULL || *communes == NULL)
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	*ncommunes = 0;
	for (size_t i = 0; i < t->n; i++) {
		(*rows)[i].code = csvtab_get(t, i, "code");
		(*rows)[i].name = csvtab_get(t, i, "name");
		(*rows)[i].level = csvtab_get(t, i, "level");
		(*rows)[i].parent_code = csvtab_get(t, i, "parent_code");
		(*rows)[i].type = csvtab_get(t, i, "type");
		(*rows)[i].line = t->lines[i];
		if (strcmp((*rows)[i].level, "commune") == 0)
			(*communes)[(*ncommunes)++] = (*rows)[i].code;
	}
	return 0;
}

static void cb_generate(struct case_rec *rows, struct cb_text *txt, size_t n,
                        const char *const *communes, size_t ncommunes)
{
	static const char *const family[] = { "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ",
	                                      "Đặng", "Bùi", "Đỗ", "Hồ" };
	static const char *const given[] = { "Văn An", "Thị Bình", "Minh Châu", "Đức Dũng",
	                                     "Thu Hà", "Quốc Huy", "Ngọc Lan", "Thanh Tâm" };
	static const char *const sev[] = { "asymptomatic", "asymptomatic", "mild", "mild",
	                                   "mild", "moderate", "severe", "critical" };
	struct vndate first = { 2021, 1, 4 };
	int32_t d0 = vndate_to_days(first);
	uint64_t seed = 20211011;

	for (size_t i = 0; i < n; i++) {
		struct case_rec *c = &rows[i];
		struct cb_text *x = &txt[i];
		uint64_t r = cb_lcg(&seed);
		int32_t day = d0 + (int32_t)(r % 363);

		memset(c, 0, sizeof(*c));
		snprintf(x->ext, sizeof(x->ext), "B%09zu", i);
		snprintf(x->name, sizeof(x->name), "%s %s", family[r % 10], given[(r >> 4) % 8]);
		vndate_format_iso(vndate_from_days(day), x->day, sizeof(x->day));
		c->external_id = x->ext;
		c->person.full_name = x->name;
		c->person.birth_year = 1930 + (int64_t)((r >> 8) % 90);
		c->person.sex = (r >> 12) & 1 ? "male" : "female";
		if ((r >> 13) & 1) {
			snprintf(x->idn, sizeof(x->idn), "0%011zu", i);
			c->person.id_number = x->idn;
		}
		c->person.unit_code = communes[(size_t)((double)i * (double)ncommunes / (double)n)];
		c->detected_on = x->day;
		c->source = (r >> 16) % 20 < 16 ? "community" : (r >> 16) % 20 < 19 ? "quarantine"
		                                                                 : "imported";
		c->test_type = (r >> 21) & 1 ? "rt-pcr" : "antigen";
		c->severity = sev[(r >> 22) % 8];
		c->care_place = "home";
		if ((r >> 25) % 100 == 0) {
			vndate_format_iso(vndate_from_days(day + 10), x->out_day, sizeof(x->out_day));
			c->outcome = "died";
			c->outcome_on = x->out_day;
		}
		c->line = (long)i + 2;
	}
}

static void cb_cell(FILE *f, const char *v, const char *sep)
{
	fputs(v ? v : "", f);
	fputs(sep, f);
}

/* The first n rows as the CSV file `thichung import cases` reads. */
static int cb_write_csv(const char *path, const struct case_rec *rows, size_t n,
                        struct error *err)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL)
		return error_set(err, THC_EIO, "không ghi được '%s'", "cannot write '%s'", path);
	fputs("external_id,full_name,id_number,birth_year,sex,unit_code,detected_on,source,"
	      "test_type,severity,care_place,outcome,outcome_on\n", f);
	for (size_t i = 0; i < n; i++) {
		const struct case_rec *c = &rows[i];

		cb_cell(f, c->external_id, ",");
		cb_cell(f, c->person.full_name, ",");
		cb_cell(f, c->person.id_number, ",");
		fprintf(f, "%d,", (int)c->person.birth_year);
		cb_cell(f, c->person.sex, ",");
		cb_cell(f, c->person.unit_code, ",");
		cb_cell(f, c->detected_on, ",");
		cb_cell(f, c->source, ",");
		cb_cell(f, c->test_type, ",");
		cb_cell(f, c->severity, ",");
		cb_cell(f, c->care_place, ",");
		cb_cell(f, c->outcome, ",");
		cb_cell(f, c->outcome_on, "\n");
	}
	if (fclose(f) != 0)
		return error_set(err, THC_EIO, "không ghi được '%s'", "cannot write '%s'", path);
	return 0;
}

/* The statements of the floor, each timed as part of one transaction. */
static int cb_floor_sql(sqlite3 *db, const char *src, double *secs, struct error *err)
{
	static const char *const steps[] = {
		"BEGIN IMMEDIATE",
		"INSERT INTO people SELECT * FROM src.people ORDER BY id",
		"INSERT INTO cases SELECT * FROM src.cases ORDER BY id",
		"COMMIT",
	};
	char *sql, *msg = NULL;
	double t0;

	sql = sqlite3_mprintf("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
	                      " PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"
	                      " PRAGMA cache_size=%d; ATTACH %Q AS src", STORE_IMPORT_CACHE_SIZE, src);
	if (sql == NULL || sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		goto fail;
	sqlite3_free(sql);
	sql = NULL;
	t0 = cb_now();
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (sqlite3_exec(db, steps[i], NULL, NULL, &msg) != SQLITE_OK)
			goto fail;
	*secs = cb_now() - t0;
	return 0;
fail:
	error_set(err, THC_EINTERNAL, "mốc SQLite: %s", "SQLite floor: %s",
	          msg ? msg : sqlite3_errmsg(db));
	sqlite3_free(msg);
	sqlite3_free(sql);
	return THC_EINTERNAL;
}

/* The floor's database: migrated and given the units by the store, then
 * filled from `src` by plain SQLite. */
static int cb_floor(const char *src, const struct unit_row *units, size_t nunits,
                    double *secs, struct error *err)
{
	struct store_actor sys = cli_actor();
	struct store *st = NULL;
	char path[1100];
	sqlite3 *db = NULL;
	int rc;

	snprintf(path, sizeof(path), "%s.floor", src);
	unlink(path);
	if ((rc = store_open(path, &st, err)) < 0 || (rc = store_migrate(st, NULL, err)) < 0 ||
	    (rc = store_units_import(st, &sys, units, nunits, NULL, NULL, err)) < 0) {
		store_close(st);
		goto out;
	}
	store_close(st);
	if (sqlite3_open(path, &db) != SQLITE_OK) {
		rc = error_set(err, THC_EIO, "không mở được '%s'", "cannot open '%s'", path);
		goto out;
	}
	rc = cb_floor_sql(db, src, secs, err);
out:
	sqlite3_close(db);
	unlink(path);
	return rc;
}

static int cb_run(const char *url, const struct unit_row *units, size_t nunits,
                  const char *csv, size_t n, struct cb_result *res, struct error *err)
{
	struct store_actor sys = cli_actor();
	struct store *st = NULL;
	size_t ins = 0, upd = 0, skip = 0;
	double t0;
	int rc;

	if ((rc = store_open(url, &st, err)) < 0 || (rc = store_migrate(st, NULL, err)) < 0)
		goto out;
	t0 = cb_now();
	if ((rc = store_units_import(st, &sys, units, nunits, NULL, NULL, err)) < 0)
		goto out;
	res->units_s = cb_now() - t0;
	t0 = cb_now();
	if ((rc = cli_import_cases_file(st, csv, &ins, &upd, &skip, err)) < 0)
		goto out;
	res->import_s = cb_now() - t0;
	if (ins != n) {
		rc = error_set(err, THC_EINTERNAL, "nhập %zu/%zu dòng", "imported %zu of %zu rows", ins, n);
		goto out;
	}
	if (strncmp(url, "postgres", 8) != 0 &&
	    (rc = cb_floor(url, units, nunits, &res->floor_s, err)) < 0)
		goto out;
	t0 = cb_now();
	if ((rc = store_cases_weekly_communes(st, "2021-01-10", "2022-01-02", NULL, NULL,
	                                      &res->weekly_rows, err)) < 0)
		goto out;
	res->weekly_s = cb_now() - t0;
	res->rows = n;
	res->ran = 1;
out:
	store_close(st);
	return rc;
}

/* Step 5 alone, five times, on a filled database: for work on the query. */
static int cb_weekly_only(const char *url, struct error *err)
{
	struct store *st = NULL;
	size_t rows = 0;
	double t0, best = 1e9;
	int rc;

	if ((rc = store_open(url, &st, err)) < 0 || (rc = store_migrate(st, NULL, err)) < 0)
		goto out;
	for (int i = 0; i < 5; i++) {
		t0 = cb_now();
		if ((rc = store_cases_weekly_communes(st, "2021-01-10", "2022-01-02", NULL, NULL,
		                                      &rows, err)) < 0)
			goto out;
		t0 = cb_now() - t0;
		best = t0 < best ? t0 : best;
		printf("weekly, all communes, 2021: %zu rows in %.3f s\n", rows, t0);
	}
	printf("best of 5: %.3f s\n", best);
out:
	store_close(st);
	return rc;
}

/* The import's target for its rows: the targets are for 1,000,000. */
static double cb_target(int engine, size_t rows)
{
	return (engine ? CB_TARGET_PG_S : CB_TARGET_SQLITE_S) * (double)rows / 1e6;
}

static void cb_report(const struct cb_result *res)
{
	printf("\n%-34s %14s %14s\n", "", "sqlite", "postgres");
	printf("%-34s", "units import (s)");
	for (int i = 0; i < 2; i++)
		res[i].ran ? printf(" %14.2f", res[i].units_s) : printf(" %14s", "-");
	printf("\n%-34s", "cases imported (rows)");
	for (int i = 0; i < 2; i++)
		res[i].ran ? printf(" %14zu", res[i].rows) : printf(" %14s", "-");
	printf("\n%-34s", "cases import, CSV to commit (s)");
	for (int i = 0; i < 2; i++)
		res[i].ran ? printf(" %14.2f", res[i].import_s) : printf(" %14s", "-");
	printf("\n%-34s", "  target (s; 10 / 20 per million)");
	for (int i = 0; i < 2; i++)
		res[i].ran ? printf(" %14.2f", cb_target(i, res[i].rows)) : printf(" %14s", "-");
	printf("\n%-34s", "  within target");
	for (int i = 0; i < 2; i++)
		res[i].ran ? printf(" %14s", res[i].import_s < cb_target(i, res[i].rows) ? "yes" : "NO")
		           : printf(" %14s", "-");
	printf("\n%-34s", "sqlite3 floor: INSERT..SELECT (s)");
	for (int i = 0; i < 2; i++)
		res[i].ran && res[i].floor_s > 0 ? printf(" %14.2f", res[i].floor_s)
		                                 : printf(" %14s", "-");
	printf("\n%-34s", "  import / floor");
	for (int i = 0; i < 2; i++)
		res[i].ran && res[i].floor_s > 0 ? printf(" %14.2f", res[i].import_s / res[i].floor_s)
		                                 : printf(" %14s", "-");
	printf("\n%-34s", "cases import (rows/s)");
	for (int i = 0; i < 2; i++)
		res[i].ran ? printf(" %14.0f", (double)res[i].rows / res[i].import_s)
		           : printf(" %14s", "-");
	printf("\n%-34s", "weekly, all communes, 2021 (s)");
	for (int i = 0; i < 2; i++)
		res[i].ran ? printf(" %14.3f", res[i].weekly_s) : printf(" %14s", "-");
	printf("\n%-34s", "weekly rows (commune-weeks)");
	for (int i = 0; i < 2; i++)
		res[i].ran ? printf(" %14zu", res[i].weekly_rows) : printf(" %14s", "-");
	printf("\n");
}

int main(void)
{
	struct csvtab t = { 0 };
	struct unit_row *units = NULL;
	const char **communes = NULL;
	struct case_rec *rows = NULL;
	struct cb_text *txt = NULL;
	struct cb_result res[2] = { { .engine = "sqlite" }, { .engine = "postgres" } };
	struct error err = ERROR_INIT;
	size_t ncommunes = 0, n = cb_env("BENCH_ROWS", CB_ROWS_DEFAULT), npg;
	const char *pg = getenv("THC_BENCH_PG_URL"), *tmp = getenv("TMPDIR");
	char path[1024], csv[1024];
	double t0;
	int rc = 1;

	if (getenv("BENCH_WEEKLY_URL")) {
		if (cb_weekly_only(getenv("BENCH_WEEKLY_URL"), &err) < 0) {
			fprintf(stderr, "cases_bench: %s\n", err.en);
			return 1;
		}
		return 0;
	}
	npg = cb_env("BENCH_PG_ROWS", n);
	if (npg > n)
		npg = n;
	if (!tmp || !tmp[0])
		tmp = "/tmp";
	snprintf(path, sizeof(path), "%s/cases-bench-%d.db", tmp, (int)getpid());
	snprintf(csv, sizeof(csv), "%s/cases-bench-%d.csv", tmp, (int)getpid());
	if (cb_units(&t, &units, &communes, &ncommunes, &err) < 0)
		goto out;
	rows = calloc(n, sizeof(*rows));
	txt = calloc(n, sizeof(*txt));
	if (rows == NULL || txt == NULL) {
		error_set(&err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		goto out;
	}
	t0 = cb_now();
	cb_generate(rows, txt, n, communes, ncommunes);
	printf("units: %zu (%zu communes); generated %zu cases in %.2f s\n", t.n, ncommunes, n,
	       cb_now() - t0);
	unlink(path);
	if (cb_write_csv(csv, rows, n, &err) < 0 ||
	    (!cb_off("BENCH_SQLITE") && cb_run(path, units, t.n, csv, n, &res[0], &err) < 0))
		goto out;
	if (pg && pg[0] && ((npg < n && cb_write_csv(csv, rows, npg, &err) < 0) ||
	                    cb_run(pg, units, t.n, csv, npg, &res[1], &err) < 0))
		goto out;
	cb_report(res);
	rc = 0;
out:
	if (rc)
		fprintf(stderr, "cases_bench: %s\n", err.en);
	if (rc == 0 && getenv("BENCH_KEEP") && strcmp(getenv("BENCH_KEEP"), "1") == 0)
		printf("kept: %s\n", path);
	else
		unlink(path);
	unlink(csv);
	free(rows);
	free(txt);
	free(units);
	free(communes);
	csvtab_release(&t);
	return rc;
}
