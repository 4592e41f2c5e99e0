/*
 * store_bench: the same store operations on SQLite and on PostgreSQL.
 *
 *   store_bench [LIST_N [WRITE_N]]
 *
 * Only the public store API (store/store.h), so both backends run exactly
 * the code the server runs.  Each backend gets a fresh database:
 *
 *   SQLite      a new file under $TMPDIR (or /tmp), removed at the end;
 *   PostgreSQL  the database named by THC_BENCH_PG_URL ("postgresql://...",
 *               an EMPTY database; the tables stay there afterwards).
 *
 * The operations, timed one after the other:
 *   1. bulk import of the real administrative units, data/units.csv (the
 *      directory from $THC_DATA_DIR, else the build's THC_DATA_DIR), all
 *      11,371 rows in one store_units_import transaction;
 *   2. a district officer (and a commune officer under it) created with
 *      store_user_create, then LIST_N (default 2000) scoped list queries:
 *      the communes of the officer's district (store_units_list, parent =
 *      the district, level commune, limit 100, as the officer), and LIST_N
 *      anonymous searches for "phuc" (limit 100);
 *   3. WRITE_N (default 500) store_unit_create of hamlets under the
 *      district's communes, as the officer: each its own transaction with
 *      its audit row (what an official's POST does).
 *
 * The district is the one with the most communes in the file.  Each timed
 * loop stops after 10 s even if unfinished (the table then says how many
 * ran), so a pathological plan cannot make the run last for minutes.  Prints
 * a table: one row per operation, one column per backend ("-" when not run).
 * This measures speed only: it asserts nothing about it, but a store error
 * or a result of the wrong size stops it with exit status 1.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/csvtab.h"
#include "base/vntime.h"
#include "store/store.h"
#include "base/banned.h"

#define SB_ROWS_MAX 200000         /* cap on the CSV, as the import command */
#define SB_LIST_N 2000
#define SB_WRITE_N 500
#define SB_N_MAX 1000000
#define SB_WARMUP 20               /* untimed queries before each timed run */
#define SB_LIMIT 100
#define SB_SEARCH "phuc"
#define SB_ARENA_CAP (4u << 20)
#define SB_BUDGET_S 10.0           /* a timed loop stops after this, done or not */

/* The units file, and the district the officers work in. */
struct sb_data {
	struct csvtab tab;
	struct unit_row *rows;
	size_t n;
	const char *district;          /* code of the district with most communes */
	const char *district_name;
	const char **communes;         /* its communes, in file order */
	size_t ncommunes;
};

struct sb_result {
	const char *engine;
	int ran;
	double import_s;               /* whole import */
	double list_s, search_s;       /* the timed queries */
	double write_s;                /* the timed creations */
	int list_done, search_done, write_done;   /* how many ran within the budget */
	int64_t list_total, search_total;
};

static double sb_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Reads units.csv and picks the district with the most communes. */
static int sb_data_load(const char *path, struct sb_data *d, struct error *err)
{
	static const char *const known[] = { "code", "name", "level", "parent_code", "type", NULL };
	static const char *const required[] = { "code", "name", "level", "parent_code", NULL };
	FILE *f = fopen(path, "rb");
	size_t best = 0;
	int rc;

	memset(d, 0, sizeof(*d));
	if (f == NULL)
		return error_set(err, THC_EUSAGE, "không mở được tệp '%s'", "cannot open file '%s'",
		                 path);
	rc = csvtab_read_file(&d->tab, f, known, required, SB_ROWS_MAX, err);
	fclose(f);
	if (rc < 0)
		return rc;
	d->n = d->tab.n;
	d->rows = calloc(d->n ? d->n : 1, sizeof(*d->rows));
	d->communes = calloc(d->n ? d->n : 1, sizeof(*d->communes));
	if (d->rows == NULL || d->communes == NULL)
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	for (size_t i = 0; i < d->n; i++) {
		d->rows[i].code = csvtab_get(&d->tab, i, "code");
		d->rows[i].name = csvtab_get(&d->tab, i, "name");
		d->rows[i].level = csvtab_get(&d->tab, i, "level");
		d->rows[i].parent_code = csvtab_get(&d->tab, i, "parent_code");
		d->rows[i].type = csvtab_get(&d->tab, i, "type");
		d->rows[i].line = d->tab.lines[i];
	}
	/* Communes are grouped under their district in the file, so one pass
	 * counts each run and keeps the longest. */
	for (size_t i = 0; i < d->n;) {
		size_t j = i;

		if (strcmp(d->rows[i].level, "commune") != 0) {
			i++;
			continue;
		}
		while (j < d->n && strcmp(d->rows[j].level, "commune") == 0 &&
		       strcmp(d->rows[j].parent_code, d->rows[i].parent_code) == 0)
			j++;
		if (j - i > best) {
			best = j - i;
			d->district = d->rows[i].parent_code;
			d->ncommunes = 0;
			for (size_t k = i; k < j; k++)
				d->communes[d->ncommunes++] = d->rows[k].code;
		}
		i = j;
	}
	if (d->district == NULL)
		return error_set(err, THC_EINVAL, "tệp '%s' không có xã nào",
		                 "file '%s' has no commune", path);
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->rows[i].code, d->district) == 0)
			d->district_name = d->rows[i].name;
	return 0;
}

static void sb_data_release(struct sb_data *d)
{
	free(d->rows);
	free(d->communes);
	csvtab_release(&d->tab);
	memset(d, 0, sizeof(*d));
}

/* Runs every operation against the store at url; 0 or a negative code. */
static int sb_run(const char *url, const struct sb_data *d, int list_n, int write_n,
                  struct sb_result *out, struct error *err)
{
	struct store_actor sys = { .user_id = 0, .username = "store_bench", .addr = "cli" };
	struct store_actor officer = { .username = "sb_district", .addr = "127.0.0.1" };
	struct unit_query byparent = { .parent = d->district, .level = "commune",
	                               .limit = SB_LIMIT };
	struct unit_query search = { .q = SB_SEARCH, .limit = SB_LIMIT };
	struct arena a = ARENA_INIT(SB_ARENA_CAP);
	struct store *st = NULL;
	struct unit_page page;
	size_t ins = 0, upd = 0;
	int64_t uid = 0;
	int applied = 0, rc;
	double t;

	if ((rc = store_open(url, &st, err)) < 0)
		goto out;
	if ((rc = store_migrate(st, &applied, err)) < 0)
		goto out;
	if (applied == 0) {
		rc = error_set(err, THC_ECONFLICT, "cơ sở dữ liệu không trống",
		               "the database is not empty (no migration to apply): give an empty one");
		goto out;
	}

	/* 1. bulk import, one transaction */
	printf("%s: importing %zu units ...\n", out->engine, d->n);
	fflush(stdout);
	sys.now_ms = vntime_now_ms();
	t = sb_now();
	if ((rc = store_units_import(st, &sys, d->rows, d->n, &ins, &upd, err)) < 0)
		goto out;
	out->import_s = sb_now() - t;
	if (ins != d->n) {
		rc = error_set(err, THC_EINTERNAL, "nhập %zu/%zu đơn vị", "imported %zu of %zu units",
		               ins, d->n);
		goto out;
	}

	/* 2. the officers, then scoped lists and anonymous searches */
	sys.now_ms = vntime_now_ms();
	if ((rc = store_user_create(st, &sys, "sb_commune", "Cán bộ xã (bench)", "bench-no-login",
	                            "commune_officer", d->communes[0], NULL, err)) < 0)
		goto out;
	if ((rc = store_user_create(st, &sys, "sb_district", "Cán bộ huyện (bench)",
	                            "bench-no-login", "district_officer", d->district, &uid,
	                            err)) < 0)
		goto out;
	officer.user_id = uid;
	officer.now_ms = vntime_now_ms();
	printf("%s: %d scoped lists and %d searches ...\n", out->engine, list_n, list_n);
	fflush(stdout);
	for (int pass = 0; pass < 2; pass++) {
		const struct unit_query *q = pass == 0 ? &byparent : &search;
		const struct store_actor *who = pass == 0 ? &officer : NULL;
		double *sum = pass == 0 ? &out->list_s : &out->search_s;
		int64_t *total = pass == 0 ? &out->list_total : &out->search_total;
		int *done = pass == 0 ? &out->list_done : &out->search_done;

		/* Untimed warm-up: statement caches, page cache, plans. */
		t = sb_now();
		for (int i = 0; i < SB_WARMUP && sb_now() - t < SB_BUDGET_S; i++) {
			rc = store_units_list(st, who, q, &a, &page, err);
			arena_release(&a);
			if (rc < 0)
				goto out;
		}
		t = sb_now();
		for (int i = 0; i < list_n; i++) {
			rc = store_units_list(st, who, q, &a, &page, err);
			*total = page.total;
			arena_release(&a);
			if (rc < 0)
				goto out;
			*done = i + 1;
			if (sb_now() - t > SB_BUDGET_S)
				break;
		}
		*sum = sb_now() - t;
	}
	if (out->list_total != (int64_t)d->ncommunes) {
		rc = error_set(err, THC_EINTERNAL, "danh sách có %lld xã, cần %zu",
		               "the list has %lld communes, expected %zu",
		               (long long)out->list_total, d->ncommunes);
		goto out;
	}

	/* 3. single-row writes, each one transaction with its audit row */
	printf("%s: %d hamlets created one by one ...\n", out->engine, write_n);
	fflush(stdout);
	t = sb_now();
	for (int i = 0; i < write_n; i++) {
		char name[64];
		struct unit u = { .level = "hamlet", .type = "thôn", .population = -1,
		                  .members = -1, .name = name,
		                  .parent_code = d->communes[(size_t)i % d->ncommunes] };

		snprintf(name, sizeof(name), "Thôn Bench %d", i + 1);
		officer.now_ms = vntime_now_ms();
		rc = store_unit_create(st, &officer, &u, &a, err);
		arena_release(&a);
		if (rc < 0)
			goto out;
		out->write_done = i + 1;
		if (sb_now() - t > SB_BUDGET_S)
			break;
	}
	out->write_s = sb_now() - t;
	out->ran = 1;
	rc = 0;
out:
	if (rc < 0)
		error_prefix(err, "%s: ", "%s: ", out->engine);
	arena_release(&a);
	store_close(st);
	return rc;
}

/* The temporary SQLite file and its WAL companions. */
static void sb_sqlite_remove(const char *path)
{
	char side[4200];

	unlink(path);
	if ((size_t)snprintf(side, sizeof(side), "%s-wal", path) < sizeof(side))
		unlink(side);
	if ((size_t)snprintf(side, sizeof(side), "%s-shm", path) < sizeof(side))
		unlink(side);
	if ((size_t)snprintf(side, sizeof(side), "%s-journal", path) < sizeof(side))
		unlink(side);
}

/* One table row: the label, then each backend's cell or "-". */
static void sb_row(const char *label, const struct sb_result r[2], int kind, int n,
                   size_t nrows)
{
	char cell[2][128];

	for (int k = 0; k < 2; k++) {
		const int *done = kind == 1 ? &r[k].list_done : kind == 2 ? &r[k].search_done
		                  : &r[k].write_done;
		char part[64] = "";
		double s;
		int m = *done;

		if (kind != 0 && m < n)
			snprintf(part, sizeof(part), " (only %d of %d within %.0f s)", m, n,
			         SB_BUDGET_S);

		if (!r[k].ran) {
			snprintf(cell[k], sizeof(cell[k]), "-");
			continue;
		}
		switch (kind) {
		case 0:
			snprintf(cell[k], sizeof(cell[k]), "%.2f s (%.0f µs/row)", r[k].import_s,
			         r[k].import_s * 1e6 / (double)nrows);
			break;
		case 1:
		case 2:
			s = kind == 1 ? r[k].list_s : r[k].search_s;
			snprintf(cell[k], sizeof(cell[k]), "%.0f µs/query, %.0f queries/s%s",
			         s * 1e6 / m, m / s, part);
			break;
		default:
			snprintf(cell[k], sizeof(cell[k]), "%.2f ms/write, %.0f writes/s%s",
			         r[k].write_s * 1e3 / m, m / r[k].write_s, part);
			break;
		}
	}
	printf("| %s | %s | %s |\n", label, cell[0], cell[1]);
}

static int sb_parse_n(const char *s, int def)
{
	char *end;
	long v;

	if (s == NULL)
		return def;
	v = strtol(s, &end, 10);
	return *end == '\0' && v >= 1 && v <= SB_N_MAX ? (int)v : -1;
}

int main(int argc, char **argv)
{
	const char *tmp = getenv("TMPDIR"), *pg_url = getenv("THC_BENCH_PG_URL");
	const char *data = getenv("THC_DATA_DIR");
	int list_n = sb_parse_n(argc > 1 ? argv[1] : NULL, SB_LIST_N);
	int write_n = sb_parse_n(argc > 2 ? argv[2] : NULL, SB_WRITE_N);
	struct sb_result res[2] = { { .engine = "SQLite" }, { .engine = "PostgreSQL" } };
	struct error err = ERROR_INIT;
	struct sb_data d;
	char csv[4096], dbpath[4096], label[160];
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	double t0 = sb_now(), load0[1] = { -1 }, load1[1] = { -1 };
	int rc = 1;

	memset(&d, 0, sizeof(d));
	dbpath[0] = '\0';
	getloadavg(load0, 1);
	if (argc > 3 || list_n < 0 || write_n < 0) {
		fprintf(stderr, "usage: store_bench [LIST_N [WRITE_N]]   (1..%d; defaults %d, %d)\n",
		        SB_N_MAX, SB_LIST_N, SB_WRITE_N);
		return 2;
	}
	if ((size_t)snprintf(csv, sizeof(csv), "%s/units.csv",
	                     data && data[0] ? data : THC_DATA_DIR) >= sizeof(csv)) {
		fprintf(stderr, "store_bench: THC_DATA_DIR is too long\n");
		return 2;
	}
	if (sb_data_load(csv, &d, &err) < 0) {
		fprintf(stderr, "store_bench: %s\n", err.en);
		goto out;
	}
	printf("units: %zu rows from %s; officers' district %s (%s, %zu communes)\n", d.n, csv,
	       d.district, d.district_name ? d.district_name : "?", d.ncommunes);

	if ((size_t)snprintf(dbpath, sizeof(dbpath), "%s/store_bench-%ld.sqlite",
	                     tmp && tmp[0] ? tmp : "/tmp", (long)getpid()) >= sizeof(dbpath)) {
		fprintf(stderr, "store_bench: TMPDIR is too long\n");
		dbpath[0] = '\0';
		goto out;
	}
	sb_sqlite_remove(dbpath);
	if (sb_run(dbpath, &d, list_n, write_n, &res[0], &err) < 0) {
		fprintf(stderr, "store_bench: %s\n", err.en);
		goto out;
	}
	if (pg_url && pg_url[0]) {
		if (sb_run(pg_url, &d, list_n, write_n, &res[1], &err) < 0) {
			fprintf(stderr, "store_bench: %s\n", err.en);
			goto out;
		}
	} else {
		printf("PostgreSQL: skipped (set THC_BENCH_PG_URL=postgresql://... of an empty"
		       " database)\n");
	}

	printf("\n| operation | sqlite | postgres |\n|---|---|---|\n");
	snprintf(label, sizeof(label), "bulk import of %zu units (store_units_import, one"
	         " transaction)", d.n);
	sb_row(label, res, 0, 0, d.n);
	snprintf(label, sizeof(label), "scoped list: communes of district %s as its officer"
	         " (limit %d, %lld rows), N=%d", d.district, SB_LIMIT,
	         (long long)res[0].list_total, list_n);
	sb_row(label, res, 1, list_n, 0);
	snprintf(label, sizeof(label), "search q=\"%s\" as anonymous (limit %d, %lld matches),"
	         " N=%d", SB_SEARCH, SB_LIMIT, (long long)res[0].search_total, list_n);
	sb_row(label, res, 2, list_n, 0);
	snprintf(label, sizeof(label), "create hamlet + audit row (store_unit_create, one"
	         " transaction each), N=%d", write_n);
	sb_row(label, res, 3, write_n, 0);
	getloadavg(load1, 1);
	printf("\nmachine: %ld cores online, load average %.1f at start, %.1f at end"
	       " (other work on the machine slows every figure); one connection,"
	       " one thread per backend.\n"
	       "SQLite runs with journal_mode=WAL, synchronous=FULL (every commit is fsynced);\n"
	       "PostgreSQL as configured by the server (scripts/pg-cluster.sh: fsync=on,"
	       " synchronous_commit=on).\n", cores, load0[0], load1[0]);
	if (res[1].ran && res[1].search_total != res[0].search_total)
		printf("note: the search found %lld units on SQLite but %lld on PostgreSQL\n",
		       (long long)res[0].search_total, (long long)res[1].search_total);
	printf("total run time %.1f s\n", sb_now() - t0);
	rc = 0;
out:
	if (dbpath[0])
		sb_sqlite_remove(dbpath);
	sb_data_release(&d);
	return rc;
}
