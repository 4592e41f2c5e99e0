/*
 * The surveillance store suite (people, cases, imports, weekly roll-ups):
 * every case runs against SQLite and, when THC_TEST_PG_URL names an empty
 * PostgreSQL database, against PostgreSQL too.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/vntime.h"
#include "domain/role.h"
#include "store/store.h"
#include "store_fixture.h"
#include "store/testing.h"
#include "base/banned.h"

static const char *backend_url;   /* set before each group runs */
static int use_faults;            /* open through the fault driver */

static int setup(void **state)
{
	struct sfx *f = sfx_open(backend_url, "store-cases", use_faults);

	sfx_unit(f, "00001", "hamlet", "Tổ dân phố 1", "00001-001");
	sfx_user(f, "phucxa", "commune_officer", "00001");
	sfx_user(f, "trucbach", "commune_officer", "00004");
	sfx_user(f, "ytephucxa", "health_worker", "00001");
	sfx_user(f, "todan1", "team_member", "00001-001");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	sfx_close(*state);
	return 0;
}

static struct case_rec mk_case(const char *ext, const char *name, const char *idn,
                               const char *unit, const char *day, const char *source)
{
	struct case_rec c = { 0 };

	c.external_id = ext;
	c.person.full_name = name;
	c.person.id_number = idn;
	c.person.birth_year = 1980;
	c.person.sex = "male";
	c.person.unit_code = unit;
	c.detected_on = day;
	c.source = source;
	c.test_type = "rt-pcr";
	return c;
}

/* The figures the triggers keep (case_weeks) match the cases grouped afresh. */
static void assert_no_drift(struct sfx *f)
{
	int64_t drift = -1;

	assert_int_equal(store_test_case_weeks_drift(f->st, &drift, &f->err), 0);
	assert_int_equal(drift, 0);
}

static int64_t week_cases(struct sfx *f, const char *code, const char *week,
                          int64_t *community)
{
	struct case_week *w;
	size_t n;
	int64_t pop;

	assert_int_equal(store_cases_weekly(f->st, code, week, week, &f->a, &w, &n, &pop, &f->err), 0);
	if (community)
		*community = n ? w[0].community : 0;
	return n ? w[0].cases : 0;
}

static void test_dedup_by_id_number(void **state)
{
	struct sfx *f = *state;
	struct store_actor hw = sfx_actor(f, "ytephucxa");
	struct case_rec a = mk_case(NULL, "Nguyễn Văn A", "001080000001", "00001-001", "2021-08-02",
	                            "community");
	struct case_rec b = mk_case(NULL, "Nguyễn Văn A", "001080000001", "00001", "2021-12-01",
	                            "community");
	struct case_rec got;

	a.person.phone = NULL;
	b.person.phone = "0900000001";
	assert_int_equal(store_case_create(f->st, &hw, &a, &f->err), 0);
	assert_int_equal(store_case_create(f->st, &hw, &b, &f->err), 0);
	assert_int_equal(a.person.id, b.person.id);
	assert_int_equal(store_case_get(f->st, &hw, a.id, &f->a, &got, &f->err), 0);
	assert_string_equal(got.person.phone, "0900000001");   /* missing field filled in */
	assert_string_equal(got.commune_code, "00001");
	assert_string_equal(got.province_code, "01");
}

static void test_scope_and_privacy(void **state)
{
	struct sfx *f = *state;
	struct store_actor hw = sfx_actor(f, "ytephucxa"), tb = sfx_actor(f, "trucbach");
	struct store_actor team = sfx_actor(f, "todan1");
	struct case_rec c = mk_case(NULL, "Trần Thị B", NULL, "00001-001", "2021-08-03", "community");
	struct case_rec got, *v;
	struct case_query q = { .limit = 10 };
	size_t n;
	int64_t next;

	assert_int_equal(store_case_create(f->st, &hw, &c, &f->err), 0);
	assert_int_equal(store_case_get(f->st, &tb, c.id, &f->a, &got, &f->err), THC_ENOTFOUND);
	assert_int_equal(store_case_get(f->st, &team, c.id, &f->a, &got, &f->err), THC_ENOTFOUND);
	assert_int_equal(store_cases_list(f->st, &team, &q, &f->a, &v, &n, &next, &f->err),
	                 THC_ENOTFOUND);
	assert_int_equal(store_cases_list(f->st, &tb, &q, &f->a, &v, &n, &next, &f->err), 0);
	assert_int_equal(n, 0);
	/* The commune officer of 00004 cannot write into 00001 either. */
	c = mk_case(NULL, "Lê C", NULL, "00001", "2021-08-03", "community");
	assert_int_equal(store_case_create(f->st, &tb, &c, &f->err), THC_ENOTFOUND);
	assert_non_null(strstr(f->err.en, "unit_code"));
}

static void test_merge(void **state)
{
	struct sfx *f = *state;
	struct store_actor px = sfx_actor(f, "phucxa");
	struct case_rec a = mk_case(NULL, "Phạm D", "001080000009", "00001", "2021-08-04", "community");
	struct case_rec b = mk_case(NULL, "Phạm D.", NULL, "00001", "2021-08-05", "community");
	struct case_rec got;

	assert_int_equal(store_case_create(f->st, &px, &a, &f->err), 0);
	assert_int_equal(store_case_create(f->st, &px, &b, &f->err), 0);
	assert_int_not_equal(a.person.id, b.person.id);
	assert_int_equal(store_person_merge(f->st, &px, b.person.id, a.person.id, &f->err), 0);
	assert_int_equal(store_case_get(f->st, &px, b.id, &f->a, &got, &f->err), 0);
	assert_int_equal(got.person.id, a.person.id);
	/* Merged once: a second merge of the same duplicate is a conflict. */
	assert_int_equal(store_person_merge(f->st, &px, b.person.id, a.person.id, &f->err),
	                 THC_ECONFLICT);
}

/*
 * An import of many statements' worth of rows (the multi-row inserts and,
 * on PostgreSQL, the weekly figures added once per statement): a bad row in
 * the middle names its line and leaves nothing behind; the same file with
 * the row mended writes every case, and the weekly figures count each case
 * and each death once.
 */
#define BULK_N 700
static void test_import_bulk_bad_row_in_the_middle(void **state)
{
	struct sfx *f = *state;
	struct case_rec *rows = calloc(BULK_N, sizeof(*rows));
	char (*ext)[16] = calloc(BULK_N, sizeof(*ext));
	const struct unit_row bad_units[] = {
		{ "003", "Quận Tây Hồ", "district", "01", "Quận", 2 },
		{ "00091", "Phường Phú Thượng", "commune", "004", "Phường", 3 },
		{ "00094", "Phường Nhật Tân", "commune", "003", "Phường", 4 },
	};
	size_t ins = 0, upd = 0, skip = 0, n = 0, before = 0;
	int64_t comm = 0, total = 0, deaths = 0;
	struct case_week *w;
	int64_t pop;

	assert_non_null(rows);
	assert_non_null(ext);
	for (int i = 0; i < BULK_N; i++) {
		snprintf(ext[i], sizeof(ext[i]), "B-%d", i);
		rows[i] = mk_case(ext[i], "Đỗ Văn B", NULL, i % 2 ? "00004" : "00001",
		                  "2022-03-02", i % 3 ? "community" : "imported");
		if (i % 10 == 0) {
			rows[i].outcome = "died";
			rows[i].outcome_on = "2022-03-09";
		}
		rows[i].line = i + 2;
	}
	assert_int_equal(store_cases_weekly_communes(f->st, "2022-01-02", "2022-12-25", NULL, NULL,
	                                             &before, &f->err), 0);
	rows[555].person.unit_code = "77777";
	assert_int_equal(store_cases_import(f->st, &f->sys, rows, BULK_N, &ins, &upd, &skip,
	                                    &f->err), THC_EUNPROCESSABLE);
	assert_non_null(strstr(f->err.en, "line 557: "));
	assert_non_null(strstr(f->err.en, "'77777'"));
	assert_int_equal(week_cases(f, "001", "2022-03-06", NULL), 0);
	assert_int_equal(store_cases_weekly_communes(f->st, "2022-01-02", "2022-12-25", NULL, NULL,
	                                             &n, &f->err), 0);
	assert_int_equal(n, before);   /* nothing written */
	/* A value only the database refuses (no such cluster): the multi-row
	 * INSERT or COPY fails as a whole, and the rows run again one by one
	 * to name the line. */
	rows[555].person.unit_code = "00004";
	rows[300].cluster_id = 999999;
	assert_true(store_cases_import(f->st, &f->sys, rows, BULK_N, &ins, &upd, &skip,
	                               &f->err) < 0);
	assert_non_null(strstr(f->err.en, "line 302: "));
	assert_int_equal(store_cases_weekly_communes(f->st, "2022-01-02", "2022-12-25", NULL, NULL,
	                                             &n, &f->err), 0);
	assert_int_equal(n, before);
	rows[300].cluster_id = 0;
	assert_int_equal(store_cases_import(f->st, &f->sys, rows, BULK_N, &ins, &upd, &skip,
	                                    &f->err), 0);
	assert_int_equal(ins, BULK_N);
	assert_int_equal(week_cases(f, "001", "2022-03-06", &comm), BULK_N);
	assert_int_equal(comm, BULK_N - (BULK_N + 2) / 3);
	assert_int_equal(store_cases_weekly(f->st, "00001", "2022-03-06", "2022-03-13", &f->a, &w,
	                                    &n, &pop, &f->err), 0);
	for (size_t i = 0; i < n; i++) {
		total += w[i].cases;
		deaths += w[i].deaths;
	}
	assert_int_equal(total, BULK_N / 2);
	assert_int_equal(deaths, BULK_N / 10);   /* rows 0, 10, 20 ...: all in 00001 */
	/* The unit import: a parent that does not exist, in the middle. */
	assert_int_equal(store_units_import(f->st, &f->sys, bad_units, 3, NULL, NULL, &f->err),
	                 THC_EUNPROCESSABLE);
	assert_non_null(strstr(f->err.en, "line 3: column 'parent_code'"));
	assert_int_equal(store_unit_get(f->st, &f->sys, "003", &f->a, &(struct unit){ 0 }, &f->err),
	                 THC_ENOTFOUND);
	free(rows);
	free(ext);
}

/*
 * Every line the database refuses, at once and in line order: 150 unknown
 * units (each its own code), a case twice in one commune (the same
 * external_id in another commune is not refused), a row without
 * external_id; only the first 100 are told, the first is the error, and
 * nothing is written.
 */
#define EVERY_N 200
static void test_import_every_bad_line(void **state)
{
	struct sfx *f = *state;
	struct case_rec *rows = calloc(EVERY_N, sizeof(*rows));
	char (*ext)[16] = calloc(EVERY_N, sizeof(*ext)), (*unit)[16] = calloc(EVERY_N, sizeof(*unit));
	struct store_bad_line v[100];
	struct store_bad_lines bad = { v, 0, 100 };
	size_t ins = 0, upd = 0, skip = 0;
	int64_t before = week_cases(f, "001", "2022-05-08", NULL);

	assert_non_null(rows);
	assert_non_null(ext);
	assert_non_null(unit);
	for (int i = 0; i < EVERY_N; i++) {
		snprintf(ext[i], sizeof(ext[i]), "E-%d", i);
		snprintf(unit[i], sizeof(unit[i]), "9%04d", i);
		rows[i] = mk_case(ext[i], "Phan Văn E", NULL, i < 50 ? "00001" : unit[i], "2022-05-03",
		                  "community");
		rows[i].line = i + 2;
	}
	rows[3].external_id = "E-1";            /* line 5: twice in 00001 (line 3) */
	rows[4].external_id = NULL;             /* line 6 */
	rows[5].person.unit_code = "00004";     /* E-5 in Trúc Bạch: another commune, good */
	rows[6].external_id = "E-5";            /* line 8: E-5 of 00001, good */
	assert_int_equal(store_cases_import_lines(f->st, &f->sys, rows, EVERY_N, &ins, &upd, &skip,
	                                          &bad, &f->err), THC_EUNPROCESSABLE);
	assert_int_equal(bad.n, 100);
	assert_int_equal(bad.v[0].line, 5);
	assert_string_equal(bad.v[0].err.field, "external_id");
	assert_non_null(strstr(bad.v[0].err.en, "line 5: "));
	assert_non_null(strstr(bad.v[0].err.en, "line 3 of the file"));
	assert_string_equal(f->err.en, bad.v[0].err.en);
	assert_int_equal(bad.v[1].line, 6);
	for (size_t k = 2; k < bad.n; k++) {
		assert_int_equal(bad.v[k].line, 50 + (long)k);      /* rows 50.. in order */
		assert_string_equal(bad.v[k].err.field, "unit_code");
		assert_non_null(strstr(bad.v[k].err.en, unit[48 + k]));
	}
	assert_int_equal(week_cases(f, "001", "2022-05-08", NULL), before);   /* nothing written */
	/* The same checks alone write nothing either, and say the same. */
	bad.n = 0;
	assert_int_equal(store_cases_check(f->st, &f->sys, rows, EVERY_N, &bad, &f->err), 0);
	assert_int_equal(bad.n, 100);
	assert_int_equal(bad.v[99].line, 149);
	/* Mended: the first 50 rows go in.  (E-5 of two communes is no error,
	 * but the second row would find the first's case in scope and move it.) */
	rows[3].external_id = "E-3";
	rows[4].external_id = "E-4";
	rows[6].external_id = "E-6";
	assert_int_equal(store_cases_import_lines(f->st, &f->sys, rows, 50, &ins, &upd, &skip,
	                                          &bad, &f->err), 0);
	assert_int_equal(bad.n, 0);
	assert_int_equal(ins, 50);
	free(rows);
	free(ext);
	free(unit);
}

static void test_import_idempotent_and_all_or_nothing(void **state)
{
	struct sfx *f = *state;
	struct case_rec rows[3] = {
		mk_case("X-1", "Vũ E", NULL, "00001-001", "2021-11-02", "community"),
		mk_case("X-2", "Vũ F", "001170000002", "00004", "2021-11-03", "quarantine"),
		mk_case("X-3", "Vũ G", NULL, "77777", "2021-11-03", "community"),
	};
	size_t ins = 9, upd = 9, skip = 9;

	for (int i = 0; i < 3; i++)
		rows[i].line = i + 2;
	assert_int_equal(store_cases_import(f->st, &f->sys, rows, 3, &ins, &upd, &skip, &f->err),
	                 THC_EUNPROCESSABLE);
	assert_non_null(strstr(f->err.en, "line 4"));
	assert_int_equal(week_cases(f, "001", "2021-11-07", NULL), 0);   /* nothing imported */
	assert_int_equal(store_cases_import(f->st, &f->sys, rows, 2, &ins, &upd, &skip, &f->err), 0);
	assert_int_equal(ins, 2);
	assert_int_equal(store_cases_import(f->st, &f->sys, rows, 2, &ins, &upd, &skip, &f->err), 0);
	assert_int_equal(ins, 0);
	assert_int_equal(upd, 0);
	assert_int_equal(skip, 2);
	rows[1].source = "community";
	assert_int_equal(store_cases_import(f->st, &f->sys, rows, 2, &ins, &upd, &skip, &f->err), 0);
	assert_int_equal(upd, 1);
	assert_int_equal(skip, 1);
	{
		int64_t comm;
		assert_int_equal(week_cases(f, "001", "2021-11-07", &comm), 2);
		assert_int_equal(comm, 2);
	}
}

static void test_weekly_roll_up(void **state)
{
	struct sfx *f = *state;
	struct case_rec c = mk_case(NULL, "Đỗ H", NULL, "00001-001", "2021-09-15", "community");
	struct case_rec d = mk_case(NULL, "Đỗ I", NULL, "26734", "2021-09-16", "imported");
	struct case_patch died = { .outcome = "died", .outcome_on = "2021-09-21" };
	const char *in[] = { "00001", "001", "01", "VN" }, *out[] = { "00004", "002", "00037", "79" };
	struct case_week *w;
	size_t n;
	int64_t pop;

	assert_int_equal(store_case_create(f->st, &f->sys, &c, &f->err), 0);
	assert_int_equal(store_case_create(f->st, &f->sys, &d, &f->err), 0);
	for (size_t i = 0; i < ARRAY_SIZE(in); i++)
		assert_int_equal(week_cases(f, in[i], "2021-09-19", NULL), i == 3 ? 2 : 1);
	for (size_t i = 0; i < ARRAY_SIZE(out); i++)
		assert_int_equal(week_cases(f, out[i], "2021-09-19", NULL), out[i][0] == '7' ? 1 : 0);
	assert_int_equal(store_case_update(f->st, &f->sys, c.id, &died, &f->err), 0);
	assert_int_equal(store_cases_weekly(f->st, "001", "2021-09-26", "2021-09-26", &f->a, &w, &n,
	                                    &pop, &f->err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(w[0].deaths, 1);
	assert_int_equal(w[0].cases, 0);
	/* Hamlets are not units of the weekly figures. */
	assert_int_equal(store_cases_weekly(f->st, "00001-001", "2021-09-19", "2021-09-19", &f->a,
	                                    &w, &n, &pop, &f->err), THC_ENOTFOUND);
	/* One query over every commune. */
	{
		size_t rows = 0;
		assert_int_equal(store_cases_weekly_communes(f->st, "2021-09-19", "2021-09-26", NULL,
		                                             NULL, &rows, &f->err), 0);
		assert_int_equal(rows, 3);   /* 00001 twice (case, death), 26734 once */
	}
}

static void test_daily_counts_fill_days_without_cases(void **state)
{
	struct sfx *f = *state;
	struct case_rec c = mk_case(NULL, "Bùi K", NULL, "00001", "2021-10-05", "community");
	struct daily_cases_row rows[] = {
		{ "2021-10-04", "01", 10, 8, 2 },
		{ "2021-10-05", "01", 50, -1, 3 },     /* individual cases exist that day */
	};
	struct daily_cases_row bad[] = { { "2021-10-06", "001", 1, 1, 2 } };
	size_t stored = 0;
	int64_t comm;

	assert_int_equal(store_case_create(f->st, &f->sys, &c, &f->err), 0);
	assert_int_equal(store_daily_cases_import(f->st, &f->sys, rows, 2, &stored, &f->err), 0);
	assert_int_equal(week_cases(f, "01", "2021-10-10", &comm), 11);
	assert_int_equal(comm, 9);
	assert_int_equal(week_cases(f, "001", "2021-10-10", NULL), 1);   /* provinces only */
	assert_int_equal(store_daily_cases_import(f->st, &f->sys, bad, 1, &stored, &f->err),
	                 THC_EUNPROCESSABLE);
	assert_non_null(strstr(f->err.en, "line 2"));
	/* Importing again replaces, never adds. */
	assert_int_equal(store_daily_cases_import(f->st, &f->sys, rows, 2, &stored, &f->err), 0);
	assert_int_equal(week_cases(f, "01", "2021-10-10", NULL), 11);
}

static void test_hamlets_last_case(void **state)
{
	struct sfx *f = *state;
	struct store_actor team = sfx_actor(f, "todan1"), tb = sfx_actor(f, "trucbach");
	struct case_rec c = mk_case(NULL, "Hà L", NULL, "00001-001", "2021-06-10", "community");
	struct hamlet_f0 *h;
	size_t n;

	assert_int_equal(store_case_create(f->st, &f->sys, &c, &f->err), 0);
	assert_int_equal(store_hamlets_last_case(f->st, &team, "00001", "2021-06-20", &f->a, &h, &n,
	                                         &f->err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(h[0].last_case_on, "2021-06-10");
	assert_int_equal(store_hamlets_last_case(f->st, &team, "00001", "2021-05-02", &f->a, &h, &n,
	                                         &f->err), 0);
	assert_null(h[0].last_case_on);
	assert_int_equal(store_hamlets_last_case(f->st, &tb, "00001", "2021-06-20", &f->a, &h, &n,
	                                         &f->err), THC_ENOTFOUND);
}

/* ---- fault injection: each write's nth storage call fails in turn ---- */

struct fault_ctx {
	int64_t case_id;              /* an existing case (contacts, update) */
	int64_t dup_person, person;   /* for the merge */
	int64_t link;                 /* an open link (accept) */
};

/* The links of Trúc Bạch and its home record, for the link decisions. */
static void snap_links(struct sfx *f, void *ctx, char *out, size_t outsz)
{
	struct person_link_query q = { .unit = "00004", .limit = 100 };
	struct person_link *l;
	size_t n, open = 0;
	int64_t next;

	(void)ctx;
	assert_int_equal(store_person_links_list(f->st, &f->sys, &q, &f->a, &l, &n, &next,
	                                         &f->err), 0);
	for (size_t i = 0; i < n; i++)
		open += strcmp(l[i].status, "open") == 0;
	snprintf(out, outsz, "links=%zu open=%zu name=%s", n, open,
	         n ? l[0].person.full_name : "-");
}

/* What the surveillance writes may change, read through the public API. */
static void snap(struct sfx *f, void *ctx, char *out, size_t outsz)
{
	const struct fault_ctx *c = ctx;
	struct case_query q = { .limit = 1000 };
	struct case_rec *v;
	struct contact_rec *k;
	struct case_week *w;
	size_t n, nk = 0;
	int64_t next, pop, signature = 0, weekly = 0;

	assert_int_equal(store_cases_list(f->st, &f->sys, &q, &f->a, &v, &n, &next, &f->err), 0);
	for (size_t i = 0; i < n; i++)
		signature += v[i].person.id * 7 + (v[i].outcome != NULL) * 3 +
		             (int64_t)strlen(v[i].severity) + (int64_t)strlen(v[i].source) * 11;
	if (c->case_id)
		assert_int_equal(store_contacts_list(f->st, &f->sys, c->case_id, &f->a, &k, &nk,
		                                     &f->err), 0);
	snprintf(out, outsz, "cases=%zu signature=%lld contacts=%zu", n, (long long)signature, nk);
	assert_int_equal(store_cases_weekly(f->st, "01", "2021-01-03", "2022-01-02", &f->a, &w, &n,
	                                    &pop, &f->err), 0);
	for (size_t i = 0; i < n; i++)
		weekly += w[i].cases * 3 + w[i].deaths;
	snprintf(out + strlen(out), outsz - strlen(out), " weekly=%lld", (long long)weekly);
}

static int w_case(struct sfx *f, void *ctx, int attempt)
{
	struct case_rec k = mk_case(NULL, "Lỗi Một", "001080000777", "00001-001", "2021-05-03",
	                            "community");

	(void)ctx;
	(void)attempt;
	k.severity = "severe";
	return store_case_create(f->st, &f->sys, &k, &f->err);
}

/* The ID number of a Trúc Bạch record: the case in Phúc Xá links its home. */
static int w_case_linked(struct sfx *f, void *ctx, int attempt)
{
	struct case_rec k = mk_case(NULL, "Lỗi Liên Kết", "001080000888", "00001-001",
	                            "2021-05-03", "community");

	(void)ctx;
	(void)attempt;
	return store_case_create(f->st, &f->sys, &k, &f->err);
}

static int w_link_accept(struct sfx *f, void *ctx, int attempt)
{
	const struct fault_ctx *c = ctx;

	(void)attempt;
	return store_person_link_decide(f->st, &f->sys, c->link, 1, NULL, "đúng", &f->err);
}

static int w_update(struct sfx *f, void *ctx, int attempt)
{
	const struct fault_ctx *c = ctx;
	struct case_patch p = { .outcome = "died", .outcome_on = "2021-05-20" };

	(void)attempt;
	return store_case_update(f->st, &f->sys, c->case_id, &p, &f->err);
}

static int w_import(struct sfx *f, void *ctx, int attempt)
{
	struct case_rec rows[2] = {
		mk_case("F-1", "Lỗi Hai", NULL, "00004", "2021-05-04", "community"),
		mk_case("F-0", "Lỗi Không", NULL, "00001", "2021-05-04", "imported"),  /* changed */
	};

	(void)ctx;
	(void)attempt;
	rows[0].line = 2;
	rows[1].line = 3;
	return store_cases_import(f->st, &f->sys, rows, 2, NULL, NULL, NULL, &f->err);
}

static int w_contact(struct sfx *f, void *ctx, int attempt)
{
	const struct fault_ctx *c = ctx;
	struct contact_rec k = { .case_id = c->case_id, .degree = 1, .exposure_on = "2021-05-02",
	                         .quarantine_start = "2021-05-02", .quarantine_end = "2021-05-23",
	                         .quarantine_rule = "2021-05-07" };

	(void)attempt;
	k.person.full_name = "Tiếp Xúc Lỗi";
	k.person.birth_year = -1;
	k.person.unit_code = "00001";
	return store_contact_create(f->st, &f->sys, &k, &f->err);
}

static int w_merge(struct sfx *f, void *ctx, int attempt)
{
	const struct fault_ctx *c = ctx;

	(void)attempt;
	return store_person_merge(f->st, &f->sys, c->dup_person, c->person, &f->err);
}

static int w_test(struct sfx *f, void *ctx, int attempt)
{
	struct test_rec t = { .taken_on = "2021-05-05", .test_type = "antigen", .result = "positive" };
	struct case_rec k = { .detected_on = "2021-05-05", .source = "community" };

	(void)ctx;
	(void)attempt;
	t.person.full_name = "Xét Nghiệm Lỗi";
	t.person.birth_year = -1;
	t.person.unit_code = "00001-001";
	return store_test_create(f->st, &f->sys, &t, &k, &f->err);
}

static int w_daily(struct sfx *f, void *ctx, int attempt)
{
	struct daily_cases_row rows[] = { { "2021-05-10", "01", 40, 30, 2 },
	                                  { "2021-05-11", "01", 20, -1, 3 } };

	(void)ctx;
	(void)attempt;
	return store_daily_cases_import(f->st, &f->sys, rows, 2, NULL, &f->err);
}

#define AUDIT(...) ((const char *const[]){ __VA_ARGS__, NULL })

static void test_faults_leave_nothing_behind(void **state)
{
	struct sfx *f = *state;
	struct fault_ctx c = { 0 };
	struct case_rec base = mk_case("F-0", "Gốc", NULL, "00001", "2021-05-01", "community");
	struct case_rec dup = mk_case(NULL, "Trùng", NULL, "00001", "2021-05-01", "community");
	struct case_rec keep = mk_case(NULL, "Giữ", NULL, "00001", "2021-05-01", "community");
	struct case_rec home = mk_case(NULL, "Nhà", "001080000888", "00004", "2021-05-01",
	                               "community");
	struct person_link_query lq = { .unit = "00004", .status = "open", .limit = 10 };
	struct person_link *l;
	size_t n;
	int64_t next;

	assert_int_equal(store_case_create(f->st, &f->sys, &base, &f->err), 0);
	assert_int_equal(store_case_create(f->st, &f->sys, &dup, &f->err), 0);
	assert_int_equal(store_case_create(f->st, &f->sys, &keep, &f->err), 0);
	assert_int_equal(store_case_create(f->st, &f->sys, &home, &f->err), 0);
	c.case_id = base.id;
	c.dup_person = dup.person.id;
	c.person = keep.person.id;
	sfx_fault_sweep(f, snap, w_case, &c, "case create", AUDIT("case.create"));
	sfx_fault_sweep(f, snap, w_case_linked, &c, "case with an ID number known elsewhere",
	                AUDIT("person.link", "case.create"));
	assert_int_equal(store_person_links_list(f->st, &f->sys, &lq, &f->a, &l, &n, &next,
	                                         &f->err), 0);
	assert_int_equal(n, 1);
	c.link = l[0].id;
	sfx_fault_sweep(f, snap_links, w_link_accept, &c, "link accept",
	                AUDIT("person_link.accept"));
	sfx_fault_sweep(f, snap, w_update, &c, "case update", AUDIT("case.update"));
	sfx_fault_sweep(f, snap, w_import, &c, "cases import",
	                AUDIT("case.import_update", "cases.import"));
	sfx_fault_sweep(f, snap, w_contact, &c, "contact create", AUDIT("contact.create"));
	sfx_fault_sweep(f, snap, w_merge, &c, "person merge", AUDIT("person.merge"));
	sfx_fault_sweep(f, snap, w_test, &c, "test with a case", AUDIT("case.create", "test.create"));
	sfx_fault_sweep(f, snap, w_daily, &c, "daily cases import", AUDIT("daily_cases.import"));
	assert_no_drift(f);     /* every failed write took its figures back with it */
}

/* The weekly figures are kept by triggers (case_weeks): after creations,
 * an import that moves a case to another commune and changes its source,
 * and deaths recorded and corrected, they match the cases grouped afresh,
 * and the commune-week list shows the move. */
static void test_weekly_figures_kept_in_step(void **state)
{
	struct sfx *f = *state;
	struct case_rec dead = mk_case(NULL, "Lê M", NULL, "00001-001", "2021-12-03", "quarantine");
	struct case_rec rows[2] = {
		mk_case("K-1", "Lê K", NULL, "00001-001", "2021-12-01", "community"),
		mk_case("K-2", "Lê L", NULL, "00001", "2021-12-02", "imported"),
	};
	struct case_patch died = { .outcome = "died", .outcome_on = "2021-12-10" };
	struct case_patch recovered = { .outcome = "recovered", .outcome_on = "2021-12-12" };
	size_t ins, upd, skip, before, after;
	int64_t px0 = week_cases(f, "00001", "2021-12-05", NULL);
	int64_t tb0 = week_cases(f, "00004", "2021-12-05", NULL);

	assert_no_drift(f);
	for (int i = 0; i < 2; i++)
		rows[i].line = i + 2;
	assert_int_equal(store_cases_import(f->st, &f->sys, rows, 2, &ins, &upd, &skip, &f->err), 0);
	assert_int_equal(ins, 2);
	assert_int_equal(week_cases(f, "00001", "2021-12-05", NULL), px0 + 2);
	assert_no_drift(f);
	assert_int_equal(store_cases_weekly_communes(f->st, "2021-12-05", "2021-12-05", NULL, NULL,
	                                             &before, &f->err), 0);
	/* K-2 moves to Trúc Bạch and turns out to be community transmission. */
	rows[1].person.unit_code = "00004";
	rows[1].source = "community";
	assert_int_equal(store_cases_import(f->st, &f->sys, rows, 2, &ins, &upd, &skip, &f->err), 0);
	assert_int_equal(upd, 1);
	assert_int_equal(week_cases(f, "00001", "2021-12-05", NULL), px0 + 1);
	assert_int_equal(week_cases(f, "00004", "2021-12-05", NULL), tb0 + 1);
	assert_int_equal(store_cases_weekly_communes(f->st, "2021-12-05", "2021-12-05", NULL, NULL,
	                                             &after, &f->err), 0);
	assert_int_equal(after, before + (tb0 == 0));    /* Trúc Bạch's week appears */
	assert_no_drift(f);
	/* A death, then its correction. */
	assert_int_equal(store_case_create(f->st, &f->sys, &dead, &f->err), 0);
	assert_no_drift(f);
	assert_int_equal(store_case_update(f->st, &f->sys, dead.id, &died, &f->err), 0);
	assert_no_drift(f);
	assert_int_equal(store_case_update(f->st, &f->sys, dead.id, &recovered, &f->err), 0);
	assert_no_drift(f);
}

/* Two connections writing one commune-week (two health workers entering
 * cases at once): on PostgreSQL each adds to its own slot of case_weeks, so
 * neither waits for the other's commit; the figures read are the slots'
 * sum, also when a case counted through one is corrected through the other. */
static void test_weekly_figures_from_two_connections(void **state)
{
	struct sfx *f = *state;
	struct store *other[17] = { 0 };
	size_t nother = 0;
	char path[512];
	const char *tmp = getenv("THC_TEST_TMP");
	struct case_rec a = mk_case(NULL, "Đỗ Văn Hai", NULL, "00004", "2021-11-02", "community");
	struct case_rec b = mk_case(NULL, "Đỗ Thị Ba", NULL, "00004", "2021-11-04", "quarantine");
	struct case_patch died = { .outcome = "died", .outcome_on = "2021-11-06" };
	struct case_patch moved = { .outcome = "recovered", .outcome_on = "2021-11-20" };
	int64_t s1, s2 = -1, rows = 0, comm = 0, base = week_cases(f, "00004", "2021-11-07", NULL);
	struct store *st2;

	snprintf(path, sizeof(path), "%s/store-cases-%d.db", tmp ? tmp : "/tmp", (int)getpid());
	assert_int_equal(store_test_week_slot(f->st, &s1, &f->err), 0);
	do {    /* on PostgreSQL, a connection that writes another slot */
		assert_int_equal(store_open(backend_url ? backend_url : path, &other[nother], &f->err), 0);
		assert_int_equal(store_test_week_slot(other[nother++], &s2, &f->err), 0);
	} while (s1 >= 0 && s2 == s1 && nother < 17);
	st2 = other[nother - 1];
	assert_true(s1 < 0 || s2 != s1);
	assert_int_equal(store_case_create(f->st, &f->sys, &a, &f->err), 0);
	assert_int_equal(store_case_create(st2, &f->sys, &b, &f->err), 0);
	assert_int_equal(week_cases(f, "00004", "2021-11-07", &comm), base + 2);
	assert_int_equal(store_test_case_week_rows(f->st, "00004", "2021-11-07", &rows, &f->err), 0);
	assert_int_equal(rows, s1 < 0 ? 1 : 2);
	/* a's death recorded through the other connection, b's outcome through the first */
	assert_int_equal(store_case_update(st2, &f->sys, a.id, &died, &f->err), 0);
	assert_int_equal(store_case_update(f->st, &f->sys, b.id, &moved, &f->err), 0);
	assert_no_drift(f);
	assert_int_equal(week_cases(f, "00004", "2021-11-07", NULL), base + 2);
	for (size_t i = 0; i < nother; i++)
		store_close(other[i]);
}

static int run_backend(const char *name, const char *url)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dedup_by_id_number),
		cmocka_unit_test(test_scope_and_privacy),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_import_idempotent_and_all_or_nothing),
		cmocka_unit_test(test_weekly_roll_up),
		cmocka_unit_test(test_daily_counts_fill_days_without_cases),
		cmocka_unit_test(test_hamlets_last_case),
		cmocka_unit_test(test_weekly_figures_kept_in_step),
		cmocka_unit_test(test_weekly_figures_from_two_connections),
		cmocka_unit_test(test_import_bulk_bad_row_in_the_middle),
		cmocka_unit_test(test_import_every_bad_line),
	};
	const struct CMUnitTest faults[] = {
		cmocka_unit_test(test_faults_leave_nothing_behind),
	};
	int failed;

	backend_url = url;
	use_faults = 0;
	failed = cmocka_run_group_tests_name(name, tests, setup, teardown);
	/* The same fixture over the fault driver; on PostgreSQL in the same
	 * database (the fixture tolerates what the suite left). */
	use_faults = 1;
	failed += cmocka_run_group_tests_name("faults", faults, setup, teardown);
	return failed;
}

int main(void)
{
	return sfx_each_backend(run_backend) ? 1 : 0;
}
