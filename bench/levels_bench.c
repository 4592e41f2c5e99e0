/*
 * levels_bench: assesses a synthetic national year with level_assess().
 *
 *   levels_bench [RULES_DIR] [WEEKS]
 *
 * 63 provinces, 705 districts and 10,603 communes (the country's counts),
 * each for WEEKS weeks (default 52) ending on Sundays from 2021-10-17, so
 * the first weeks fall under Decision 4800 (and Ho Chi Minh City's variant)
 * and the rest under Decision 218.  Inputs are deterministic pseudo-random
 * figures around an epidemic wave.  Prints the count, the total time and
 * the time per assessment, with and without explanations, and the levels'
 * distribution as a sanity check.
 *
 * Then the same year against SQL: every unit-week is assessed in memory
 * with Decision 4800 alone (qd4800-2021, the rule the SQL copies), loaded
 * into a temporary SQLite file and, when THC_BENCH_PG_URL names an empty
 * PostgreSQL database ("postgresql://..."), into PostgreSQL, where one
 * query (store_bench_levels_sql, src/store/bench.c) computes every level
 * and counts them per level.  The counts must equal the engine's (else
 * MISMATCH and exit status 1); the best of 3 runs is reported with its
 * ratio to the in-memory time.  The targets (whole year under 1 s, at
 * least 50 times faster than the SQL) are printed, not asserted.
 *
 * bench_year_generate() is the reusable part: it only builds inputs in
 * memory, so another benchmark can take the very same data.
 */
#include <dirent.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/vntime.h"
#include "domain/level.h"
#include "store/bench.h"
#include "store/store.h"
#include "base/banned.h"

#define BENCH_PROVINCES 63
#define BENCH_DISTRICTS 705
#define BENCH_COMMUNES 10603
#define BENCH_UNITS (BENCH_PROVINCES + BENCH_DISTRICTS + BENCH_COMMUNES)
#define BENCH_WEEKS_MAX 520
#define BENCH_SQL_RUNS 3           /* the best one is reported */
#define BENCH_TARGET_SECONDS 1.0   /* the whole year in memory */
#define BENCH_TARGET_RATIO 50.0    /* in memory at least this much faster than SQL */
#define BENCH_RULES_4800 "qd4800-2021"
#define BENCH_THREADS 2            /* the parallel run (the machine's cores) */

/* The GSO province codes. */
static const char *const bench_province_codes[BENCH_PROVINCES] = {
	"01", "02", "04", "06", "08", "10", "11", "12", "14", "15", "17", "19", "20", "22",
	"24", "25", "26", "27", "30", "31", "33", "34", "35", "36", "37", "38", "40", "42",
	"44", "45", "46", "48", "49", "51", "52", "54", "56", "58", "60", "62", "64", "66",
	"67", "68", "70", "72", "74", "75", "77", "79", "80", "82", "83", "84", "86", "87",
	"89", "91", "92", "93", "94", "95", "96",
};

struct bench_unit {
	char code[8];                  /* GSO-like: 2, 3 or 5 digits by scope */
	enum level_scope scope;
	int province;                  /* index in bench_province_codes */
	int64_t population;
	double risk;                   /* this unit's incidence factor */
};

/* A synthetic year: units[u] and inputs[u * weeks + w]. */
struct bench_year {
	struct bench_unit *units;
	size_t nunits;
	int weeks;
	int32_t first_week_end;        /* day of week 0's Sunday */
	struct level_input *inputs;
};

/* splitmix64: small, fast and the same everywhere. */
static uint64_t bench_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static double bench_unif(uint64_t *s)          /* [0, 1) */
{
	return (double)(bench_next(s) >> 11) * (1.0 / 9007199254740992.0);
}

/* Poisson-like count with mean m, cheap and deterministic. */
static int64_t bench_count(uint64_t *s, double m)
{
	double v = m * (0.6 + 0.8 * bench_unif(s));

	return v < 0 ? 0 : (int64_t)(v + bench_unif(s));
}

/*
 * Builds the year: every unit-week gets population, cases this week and
 * last week, oxygen cases, deaths, the four vaccination shares, capacity
 * (met, and high/medium/low) and most of the time a previous level.  About
 * one row in 200 lacks a figure, as real reports do.  Returns 0 or -1 (out
 * of memory); free with bench_year_free().
 */
static int bench_year_generate(struct bench_year *y, int weeks, uint64_t seed)
{
	uint64_t s = seed;
	size_t u = 0;
	struct vndate d0 = { 2021, 10, 17 };

	memset(y, 0, sizeof(*y));
	y->nunits = BENCH_UNITS;
	y->weeks = weeks;
	y->first_week_end = vndate_to_days(d0);
	y->units = calloc(y->nunits, sizeof(*y->units));
	y->inputs = calloc(y->nunits * (size_t)weeks, sizeof(*y->inputs));
	if (y->units == NULL || y->inputs == NULL)
		return -1;
	for (int p = 0; p < BENCH_PROVINCES; p++, u++) {
		snprintf(y->units[u].code, sizeof(y->units[u].code), "%s", bench_province_codes[p]);
		y->units[u].scope = LEVEL_SCOPE_PROVINCE;
		y->units[u].province = p;
		y->units[u].population = 300000 + (int64_t)(bench_unif(&s) * 3000000);
		y->units[u].risk = 0.3 + 2.0 * bench_unif(&s);
	}
	for (int i = 0; i < BENCH_DISTRICTS; i++, u++) {
		snprintf(y->units[u].code, sizeof(y->units[u].code), "%03d", i + 1);
		y->units[u].scope = LEVEL_SCOPE_DISTRICT;
		y->units[u].province = i * BENCH_PROVINCES / BENCH_DISTRICTS;
		y->units[u].population = 30000 + (int64_t)(bench_unif(&s) * 300000);
		y->units[u].risk = y->units[y->units[u].province].risk * (0.3 + 1.4 * bench_unif(&s));
	}
	for (int i = 0; i < BENCH_COMMUNES; i++, u++) {
		snprintf(y->units[u].code, sizeof(y->units[u].code), "%05d", i + 1);
		y->units[u].scope = LEVEL_SCOPE_COMMUNE;
		y->units[u].province = i * BENCH_PROVINCES / BENCH_COMMUNES;
		y->units[u].population = 2000 + (int64_t)(bench_unif(&s) * 40000);
		y->units[u].risk = y->units[y->units[u].province].risk * (0.1 + 2.0 * bench_unif(&s));
	}
	for (u = 0; u < y->nunits; u++) {
		const struct bench_unit *bu = &y->units[u];
		int64_t prev = bench_count(&s, 30.0 * bu->risk * (double)bu->population / 1e5);

		for (int w = 0; w < weeks; w++) {
			struct level_input *in = &y->inputs[u * (size_t)weeks + (size_t)w];
			/* One wave peaking around week 20 (late February 2022). */
			double wave = 10.0 + 400.0 / (1.0 + (w - 20) * (w - 20) / 16.0);
			double per100k = wave * bu->risk;
			int64_t cases = bench_count(&s, per100k * (double)bu->population / 1e5);
			double vax = 60.0 + 38.0 * (w + 10) / (weeks + 10.0) - 10.0 * bench_unif(&s);

			in->population = bu->population;
			in->cases_week = cases;
			in->cases_prev_week = prev;
			in->oxygen_cases_week = bench_count(&s, (double)cases * 0.02);
			in->deaths_week = bench_count(&s, (double)cases * 0.002);
			in->vax1_18plus_pct = vax + 5 > 100 ? 100 : vax + 5;
			in->vaxfull_elderly_pct = vax;
			in->vaxfull_pct = vax - 8 < 0 ? 0 : vax - 8;
			in->vaxfull_highrisk_pct = vax + 2 > 100 ? 100 : vax + 2;
			in->capacity_met = bench_unif(&s) < 0.9;
			in->capacity = (enum level_capacity)(bench_next(&s) % LEVEL_CAPACITY_COUNT);
			in->previous_level = 1 + (int)(bench_next(&s) % 4);
			in->present = (1u << LEVEL_F_COUNT) - 1;
			if (bench_unif(&s) < 0.2)
				in->present &= ~LEVEL_HAS(LEVEL_F_PREVIOUS_LEVEL);
			if (bench_unif(&s) < 0.005)
				in->present &= ~LEVEL_HAS((enum level_field)(bench_next(&s) % LEVEL_F_COUNT));
			prev = cases;
		}
	}
	return 0;
}

static void bench_year_free(struct bench_year *y)
{
	free(y->units);
	free(y->inputs);
	memset(y, 0, sizeof(*y));
}

/* ---- rule files ---------------------------------------------------------- */

static int bench_load_rules(const char *dir, struct level_catalog **cat)
{
	struct level_source src[LEVEL_CATALOG_MAX];
	struct error err = ERROR_INIT;
	struct dirent *de;
	size_t n = 0;
	DIR *d = opendir(dir);
	int rc;

	if (d == NULL) {
		fprintf(stderr, "levels_bench: cannot open '%s'\n", dir);
		return -1;
	}
	while ((de = readdir(d)) != NULL && n < LEVEL_CATALOG_MAX) {
		size_t len = strlen(de->d_name);
		char path[4096], *buf;
		FILE *f;

		if (len < 6 || strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= sizeof(path))
			continue;
		if ((f = fopen(path, "rb")) == NULL || (buf = malloc(LEVEL_RULES_MAX_BYTES)) == NULL) {
			if (f)
				fclose(f);
			continue;
		}
		src[n].len = fread(buf, 1, LEVEL_RULES_MAX_BYTES, f);
		src[n].json = buf;
		src[n].name = strdup(de->d_name);
		fclose(f);
		n++;
	}
	closedir(d);
	rc = level_catalog_load(cat, src, n, &err);
	if (rc < 0)
		fprintf(stderr, "levels_bench: %s\n", err.en);
	for (size_t i = 0; i < n; i++) {
		free((char *)src[i].json);
		free((char *)src[i].name);
	}
	return rc;
}

static double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Assesses the whole year; returns seconds and fills the histogram. */
static double bench_run(const struct bench_year *y, const struct level_rules *const *pick,
                        unsigned flags, long hist[LEVEL_MAX + 1], double *checksum)
{
	struct level_result res;
	double t0 = bench_now(), sum = 0;

	memset(hist, 0, sizeof(long) * (LEVEL_MAX + 1));
	for (size_t u = 0; u < y->nunits; u++) {
		const struct level_rules *const *row = pick + (size_t)y->units[u].province * (size_t)y->weeks;

		for (int w = 0; w < y->weeks; w++) {
			level_assess(row[w], &y->inputs[u * (size_t)y->weeks + (size_t)w], flags, &res);
			hist[res.level]++;
			sum += res.cases_per_100k + (double)(unsigned char)res.explain_en[0];
		}
	}
	*checksum = sum;
	return bench_now() - t0;
}

/* One rule set for every unit-week (the SQL's rule); the best of `runs`. */
static double bench_run_one(const struct bench_year *y, const struct level_rules *r,
                            unsigned flags, int runs, long hist[LEVEL_MAX + 1])
{
	struct level_result res;
	size_t n = y->nunits * (size_t)y->weeks;
	double best = -1;

	for (int k = 0; k < runs; k++) {
		double t0 = bench_now(), t;

		memset(hist, 0, sizeof(long) * (LEVEL_MAX + 1));
		for (size_t i = 0; i < n; i++) {
			level_assess(r, &y->inputs[i], flags, &res);
			hist[res.level]++;
		}
		t = bench_now() - t0;
		if (best < 0 || t < best)
			best = t;
	}
	return best;
}

/* One thread's share of bench_run_par(): rows [from, to). */
struct bench_slice {
	const struct bench_year *y;
	const struct level_rules *r;
	unsigned flags;
	size_t from, to;
	long hist[LEVEL_MAX + 1];
};

static void *bench_slice_run(void *arg)
{
	struct bench_slice *sl = arg;
	struct level_result res;

	memset(sl->hist, 0, sizeof(sl->hist));
	for (size_t i = sl->from; i < sl->to; i++) {
		level_assess(sl->r, &sl->y->inputs[i], sl->flags, &res);
		sl->hist[res.level]++;
	}
	return NULL;
}

/*
 * bench_run_one() split over `nthreads` threads (each a contiguous slice
 * and its own histogram, summed at the end); the timing includes starting
 * and joining the threads.  The best of `runs`, or -1 if a thread could not
 * be started.
 */
static double bench_run_par(const struct bench_year *y, const struct level_rules *r,
                            unsigned flags, int runs, int nthreads, long hist[LEVEL_MAX + 1])
{
	struct bench_slice sl[BENCH_THREADS];
	pthread_t th[BENCH_THREADS];
	size_t n = y->nunits * (size_t)y->weeks;
	double best = -1;

	if (nthreads < 1 || nthreads > BENCH_THREADS)
		return -1;
	for (int k = 0; k < runs; k++) {
		double t0 = bench_now(), t;
		int started = 0, ok = 1;

		for (int j = 0; j < nthreads; j++) {
			sl[j].y = y;
			sl[j].r = r;
			sl[j].flags = flags;
			sl[j].from = n * (size_t)j / (size_t)nthreads;
			sl[j].to = n * (size_t)(j + 1) / (size_t)nthreads;
		}
		for (int j = 1; j < nthreads; j++) {
			if (pthread_create(&th[j], NULL, bench_slice_run, &sl[j]) != 0) {
				ok = 0;
				break;
			}
			started = j;
		}
		bench_slice_run(&sl[0]);
		for (int j = 1; j <= started; j++)
			pthread_join(th[j], NULL);
		t = bench_now() - t0;
		if (!ok)
			return -1;
		memset(hist, 0, sizeof(long) * (LEVEL_MAX + 1));
		for (int j = 0; j < nthreads; j++)
			for (int l = 0; l <= LEVEL_MAX; l++)
				hist[l] += sl[j].hist[l];
		if (best < 0 || t < best)
			best = t;
	}
	return best;
}

/* ---- the same year through SQL ------------------------------------------ */

/* The 4800 inputs of every unit-week, a missing one as the store's "missing". */
static struct bench_level_row *bench_rows_build(const struct bench_year *y)
{
	size_t n = y->nunits * (size_t)y->weeks;
	struct bench_level_row *rows = calloc(n, sizeof(*rows));

	if (rows == NULL)
		return NULL;
	for (size_t u = 0; u < y->nunits; u++)
		for (int w = 0; w < y->weeks; w++) {
			size_t i = u * (size_t)y->weeks + (size_t)w;
			const struct level_input *in = &y->inputs[i];
			struct bench_level_row *r = &rows[i];
#define BENCH_HAS(f) (in->present & LEVEL_HAS(LEVEL_F_##f))
			r->unit_code = y->units[u].code;
			r->week = w;
			r->population = BENCH_HAS(POPULATION) ? in->population : -1;
			r->cases_week = BENCH_HAS(CASES_WEEK) ? in->cases_week : -1;
			r->cases_prev_week = BENCH_HAS(CASES_PREV_WEEK) ? in->cases_prev_week : -1;
			r->vax1_18plus_pct = BENCH_HAS(VAX1_18PLUS) ? in->vax1_18plus_pct : -1;
			r->vaxfull_elderly_pct = BENCH_HAS(VAXFULL_ELDERLY) ? in->vaxfull_elderly_pct : -1;
			r->capacity_met = BENCH_HAS(CAPACITY_MET) ? in->capacity_met : -1;
			r->previous_level = BENCH_HAS(PREVIOUS_LEVEL) ? in->previous_level : 0;
#undef BENCH_HAS
		}
	return rows;
}

struct bench_sql_result {
	const char *engine;
	int ran;
	double load, best;             /* seconds */
	int64_t counts[LEVEL_MAX + 1];
};

/*
 * Loads the rows into the store at `url`, runs the query BENCH_SQL_RUNS
 * times and drops the table.  Returns 0, 1 for a count mismatch with the
 * engine's histogram, or -1 (a store error, printed).
 */
static int bench_sql(const char *url, const struct bench_level_row *rows, size_t n,
                     const long hist[LEVEL_MAX + 1], struct bench_sql_result *out)
{
	struct error err = ERROR_INIT;
	struct store *st = NULL;
	int rc = -1, mismatch = 0;
	double t;

	if (store_open(url, &st, &err) < 0)
		goto out;
	printf("%s: loading %zu rows ...\n", out->engine, n);
	fflush(stdout);
	t = bench_now();
	if (store_bench_levels_load(st, rows, n, &err) < 0)
		goto out;
	out->load = bench_now() - t;
	out->best = -1;
	for (int k = 0; k < BENCH_SQL_RUNS; k++) {
		t = bench_now();
		if (store_bench_levels_sql(st, out->counts, &err) < 0)
			goto out;
		t = bench_now() - t;
		if (out->best < 0 || t < out->best)
			out->best = t;
	}
	out->ran = 1;
	for (int l = 0; l <= LEVEL_MAX; l++)
		mismatch |= out->counts[l] != (int64_t)hist[l];
	printf("%s: loaded in %.2f s (%.1f µs/row); query levels: not assessable %lld,"
	       " 1: %lld, 2: %lld, 3: %lld, 4: %lld\n", out->engine, out->load,
	       out->load * 1e6 / (double)n, (long long)out->counts[0],
	       (long long)out->counts[1], (long long)out->counts[2],
	       (long long)out->counts[3], (long long)out->counts[4]);
	if (mismatch) {
		printf("\n*** MISMATCH: %s counts per level differ from level_assess "
		       "(not assessable %ld, 1: %ld, 2: %ld, 3: %ld, 4: %ld) ***\n\n",
		       out->engine, hist[0], hist[1], hist[2], hist[3], hist[4]);
		fprintf(stderr, "levels_bench: MISMATCH between %s and the in-memory engine\n",
		        out->engine);
	}
	rc = mismatch;
out:
	if (rc < 0)
		fprintf(stderr, "levels_bench: %s: %s\n", out->engine, err.en);
	if (st != NULL && store_bench_levels_drop(st, &err) < 0 && rc >= 0) {
		fprintf(stderr, "levels_bench: %s: %s\n", out->engine, err.en);
		rc = -1;
	}
	store_close(st);
	return rc;
}

/* The temporary SQLite file and its WAL companions. */
static void bench_sqlite_remove(const char *path)
{
	char side[4200];

	unlink(path);
	if ((size_t)snprintf(side, sizeof(side), "%s-wal", path) < sizeof(side))
		unlink(side);
	if ((size_t)snprintf(side, sizeof(side), "%s-shm", path) < sizeof(side))
		unlink(side);
}

static void bench_table_row(const char *engine, size_t n, double t, double ref)
{
	printf("| %-40s | %7zu | %8.3f | %7.3f | %8.1fx |\n", engine, n, t,
	       t * 1e6 / (double)n, t / ref);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : NULL;
	int weeks = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 52;
	const char *tmp = getenv("TMPDIR"), *pg_url = getenv("THC_BENCH_PG_URL");
	const struct level_rules **pick = NULL;
	const struct level_rules *r4800;
	struct level_catalog *cat = NULL;
	struct bench_level_row *rows = NULL;
	struct bench_sql_result sql[2] = { { .engine = "SQLite" }, { .engine = "PostgreSQL" } };
	struct bench_year y;
	char dirbuf[4096], dbpath[4096], label[64];
	long hist[LEVEL_MAX + 1], hist4800[LEVEL_MAX + 1], hist_par[LEVEL_MAX + 1];
	double gen, checksum, t_year, t_text, t4800, t4800_text, t4800_par;
	size_t n;
	int rc = 1;

	memset(&y, 0, sizeof(y));
	dbpath[0] = '\0';
	if (weeks < 1 || weeks > BENCH_WEEKS_MAX) {
		fprintf(stderr, "usage: levels_bench [RULES_DIR] [WEEKS 1..%d]\n", BENCH_WEEKS_MAX);
		return 2;
	}
	if (dir == NULL) {
		const char *data = getenv("THC_DATA_DIR");

		if ((size_t)snprintf(dirbuf, sizeof(dirbuf), "%s/rules",
		                     data && data[0] ? data : THC_DATA_DIR) >= sizeof(dirbuf))
			return 2;
		dir = dirbuf;
	}
	if (bench_load_rules(dir, &cat) < 0)
		return 1;
	if ((r4800 = level_catalog_get(cat, BENCH_RULES_4800)) == NULL) {
		fprintf(stderr, "levels_bench: no rule set '%s' in '%s'\n", BENCH_RULES_4800, dir);
		goto out;
	}
	gen = bench_now();
	if (bench_year_generate(&y, weeks, 20211011) < 0) {
		fprintf(stderr, "levels_bench: out of memory\n");
		goto out;
	}
	gen = bench_now() - gen;
	/* The rule set of each province-week, chosen once (not timed). */
	pick = calloc((size_t)BENCH_PROVINCES * (size_t)weeks, sizeof(*pick));
	if (pick == NULL)
		goto out;
	for (int p = 0; p < BENCH_PROVINCES; p++)
		for (int w = 0; w < weeks; w++) {
			struct error err = ERROR_INIT;

			if (level_catalog_pick(cat, bench_province_codes[p], y.first_week_end + 7 * w,
			                       &pick[(size_t)p * (size_t)weeks + (size_t)w], &err) < 0) {
				fprintf(stderr, "levels_bench: %s\n", err.en);
				goto out;
			}
		}
	n = y.nunits * (size_t)weeks;
	printf("units %zu (63 provinces, 705 districts, 10,603 communes) x %d weeks = %zu unit-weeks"
	       " (generated in %.3f s)\n", y.nunits, weeks, n, gen);
	bench_run(&y, pick, LEVEL_NO_TEXT, hist, &checksum);       /* warm-up */
	t_year = bench_run(&y, pick, LEVEL_NO_TEXT, hist, &checksum);
	printf("level_assess, no text:          %zu assessments in %.3f s, %.0f ns each\n",
	       n, t_year, t_year * 1e9 / (double)n);
	t_text = bench_run(&y, pick, 0, hist, &checksum);
	printf("level_assess, with vi+en texts: %zu assessments in %.3f s, %.0f ns each\n",
	       n, t_text, t_text * 1e9 / (double)n);
	printf("levels: not assessable %ld, 1: %ld, 2: %ld, 3: %ld, 4: %ld (checksum %.1f)\n",
	       hist[0], hist[1], hist[2], hist[3], hist[4], checksum);

	/* The SQL copies Decision 4800 alone: compare like with like. */
	t4800 = bench_run_one(&y, r4800, LEVEL_NO_TEXT, BENCH_SQL_RUNS, hist4800);
	t4800_text = bench_run_one(&y, r4800, 0, 1, hist);
	printf("\n%s for every unit-week (the rule of the SQL query):\n", BENCH_RULES_4800);
	printf("level_assess, no text: %.3f s; with texts: %.3f s; levels: not assessable %ld,"
	       " 1: %ld, 2: %ld, 3: %ld, 4: %ld\n", t4800, t4800_text, hist4800[0], hist4800[1],
	       hist4800[2], hist4800[3], hist4800[4]);
	t4800_par = bench_run_par(&y, r4800, LEVEL_NO_TEXT, BENCH_SQL_RUNS, BENCH_THREADS, hist_par);
	if (t4800_par < 0) {
		fprintf(stderr, "levels_bench: cannot start a thread\n");
		goto out;
	}
	printf("level_assess, no text, %d threads: %.3f s (%.1f ns per assessment)\n",
	       BENCH_THREADS, t4800_par, t4800_par * 1e9 / (double)n);
	if (memcmp(hist_par, hist4800, sizeof(hist_par)) != 0) {
		printf("\n*** MISMATCH: %d threads counts per level differ from one thread ***\n\n",
		       BENCH_THREADS);
		fprintf(stderr, "levels_bench: MISMATCH between %d threads and one\n", BENCH_THREADS);
		goto out;
	}
	if ((rows = bench_rows_build(&y)) == NULL) {
		fprintf(stderr, "levels_bench: out of memory\n");
		goto out;
	}
	if ((size_t)snprintf(dbpath, sizeof(dbpath), "%s/levels_bench-%ld.sqlite",
	                     tmp && tmp[0] ? tmp : "/tmp", (long)getpid()) >= sizeof(dbpath)) {
		fprintf(stderr, "levels_bench: TMPDIR is too long\n");
		dbpath[0] = '\0';
		goto out;
	}
	bench_sqlite_remove(dbpath);
	if (bench_sql(dbpath, rows, n, hist4800, &sql[0]) != 0)
		goto out;
	if (pg_url && pg_url[0]) {
		if (bench_sql(pg_url, rows, n, hist4800, &sql[1]) != 0)
			goto out;
	} else {
		printf("PostgreSQL: skipped (set THC_BENCH_PG_URL=postgresql://... of an empty"
		       " database)\n");
	}

	/* "µs" is 3 bytes for 2 columns: hence the widths 8 and 10. */
	printf("\n| %-40s | %7s | %8s | %8s | %10s |\n", "engine (Decision 4800, whole year)",
	       "rows", "seconds", "µs/row", "× memory");
	printf("|%.42s|%.9s|%.10s|%.9s|%.11s|\n", "------------------------------------------",
	       "---------", "----------", "---------", "-----------");
	bench_table_row("in memory, level_assess, no text", n, t4800, t4800);
	snprintf(label, sizeof(label), "in memory, no text, %d threads", BENCH_THREADS);
	bench_table_row(label, n, t4800_par, t4800);
	bench_table_row("in memory, level_assess, vi+en texts", n, t4800_text, t4800);
	for (int k = 0; k < 2; k++) {
		char name[64];

		if (!sql[k].ran)
			continue;
		snprintf(name, sizeof(name), "%s, one query (best of %d)", sql[k].engine,
		         BENCH_SQL_RUNS);
		bench_table_row(name, n, sql[k].best, t4800);
	}
	printf("\ntarget: the whole year in memory under %.0f s: %.3f s without texts,"
	       " %.3f s with texts (all rule sets by date): %s\n", BENCH_TARGET_SECONDS,
	       t_year, t_text, t_year < BENCH_TARGET_SECONDS ? "met" : "NOT MET");
	for (int k = 0; k < 2; k++)
		if (sql[k].ran)
		{
			printf("target: at least %.0fx faster than %s: %.1fx (one thread): %s\n",
			       BENCH_TARGET_RATIO, sql[k].engine, sql[k].best / t4800,
			       sql[k].best / t4800 >= BENCH_TARGET_RATIO ? "met" : "NOT MET");
			printf("        with %d threads: %.1fx: %s\n", BENCH_THREADS,
			       sql[k].best / t4800_par,
			       sql[k].best / t4800_par >= BENCH_TARGET_RATIO ? "met" : "NOT MET");
		}
	rc = 0;
out:
	if (dbpath[0])
		bench_sqlite_remove(dbpath);
	free(rows);
	free(pick);
	bench_year_free(&y);
	level_catalog_free(cat);
	return rc;
}
