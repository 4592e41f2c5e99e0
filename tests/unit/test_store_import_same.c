/*
 * A bulk case import writes what single writes write: the same 2,000-line
 * file (new people, people found by their ID number, in their commune and
 * in others, updates and unchanged lines of stored cases, five units, many
 * weeks, deaths), its lines in a mixed order, goes in once through
 * store_cases_import on the backend under test, and line by line into a
 * reference SQLite database (store_case_create for a new case,
 * store_cases_import of the one line for a stored one, so the row triggers
 * keep the figures there).  The cases with their people, the weekly
 * figures and the name index must then be the same.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "base/arena.h"
#include "base/strbuf.h"
#include "base/vntime.h"
#include "store/case_import.h"
#include "store/case_stats.h"
#include "store/cases.h"
#include "store/search.h"
#include "store/testing.h"
#include "store_fixture.h"
#include "base/banned.h"

#define SEEDS 400                 /* stored cases before the import */
#define LINES 2000
#define PAGE 500

static const char *backend_url;
static const char *const units[] = { "00001", "00004", "00037", "26734", "00001-001" };
static const char *const sources[] = { "community", "quarantine", "imported" };
static const char *const severities[] = { "asymptomatic", "mild", "moderate", "severe",
                                          "critical" };

struct text {                     /* the strings of one row */
	char ext[16], name[64], idn[16], day[11], out_day[11], phone[16];
};

static void day_after(const char *first, int days, char out[11])
{
	struct vndate d;

	assert_int_equal(vndate_parse(first, &d), 0);
	vndate_format_iso(vndate_from_days(vndate_to_days(d) + days), out, 11);
}

/* Stored case i (before the import). */
static struct case_rec seed_row(int i, struct text *t)
{
	struct case_rec c = { 0 };

	snprintf(t->ext, sizeof(t->ext), "S%04d", i);
	snprintf(t->name, sizeof(t->name), "Trần Văn Gốc %04d", i);
	snprintf(t->idn, sizeof(t->idn), "0010%08d", i);
	day_after("2021-07-05", i % 60, t->day);
	c.external_id = t->ext;
	c.person.full_name = t->name;
	c.person.id_number = i % 2 == 0 ? t->idn : NULL;
	c.person.birth_year = 1950 + i % 50;
	c.person.sex = i % 3 ? "male" : "female";
	c.person.unit_code = units[i % 5];
	c.detected_on = t->day;
	c.source = sources[i % 3];
	c.test_type = i % 2 ? "rt-pcr" : "antigen";
	c.severity = severities[i % 5];
	c.care_place = "home";
	return c;
}

/* The k-th row of the file (before the lines are mixed). */
static struct case_rec file_row(int k, struct text *t)
{
	struct case_rec c;

	if (k < SEEDS) {              /* a stored case: unchanged, or changed */
		c = seed_row(k, t);
		if (k % 4 == 1) {
			c.severity = "severe";
		} else if (k % 4 == 2) {
			day_after(t->day, 9, t->out_day);
			c.outcome = "died";
			c.outcome_on = t->out_day;
		} else if (k % 4 == 3) {
			snprintf(t->name, sizeof(t->name), "Trần Văn Mới %04d", k);
			snprintf(t->phone, sizeof(t->phone), "09%08d", k);
			c.person.phone = t->phone;
		}
		return c;
	}
	if (k < 1000) {               /* a new case of a stored person's ID number */
		int s = (k - SEEDS) * 2 % SEEDS;

		c = seed_row(s, t);
		snprintf(t->ext, sizeof(t->ext), "M%04d", k);
		snprintf(t->phone, sizeof(t->phone), "08%08d", k);
		c.person.phone = t->phone;
		c.person.birth_year = -1;
		if (k % 3 == 0)       /* in another commune: linked, not the same record */
			c.person.unit_code = units[(s + 1) % 4];
		day_after("2021-09-06", k % 90, t->day);
		return c;
	}
	c = seed_row(k % SEEDS, t);   /* a new person, or one of an earlier line */
	snprintf(t->ext, sizeof(t->ext), "N%05d", k);
	snprintf(t->name, sizeof(t->name), "Lê Thị Mới %05d", k - k % 3 % 2);
	snprintf(t->idn, sizeof(t->idn), "0790%08d", k - k % 3 % 2);
	c.person.id_number = k % 3 == 2 ? NULL : t->idn;
	c.person.unit_code = units[k / 2 % 5];
	day_after("2021-06-01", k % 200, t->day);
	c.source = sources[k % 3];
	c.severity = severities[k % 5];
	if (k % 37 == 0) {
		day_after(t->day, 12, t->out_day);
		c.outcome = "died";
		c.outcome_on = t->out_day;
	}
	return c;
}

static int str_cmp(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

/* Every case in scope with its person, as sorted lines; a person is named
 * by the smallest external id among its cases (ids differ between the two
 * databases). */
static void dump_cases(struct sfx *f, struct strbuf *out)
{
	static const char *const provinces[] = { "01", "79" };
	struct arena a = ARENA_INIT(0);
	struct case_rec *all = NULL;
	size_t nall = 0;
	char **lines;

	for (size_t p = 0; p < 2; p++) {
		struct case_query q = { .unit = provinces[p], .limit = PAGE };
		int64_t next;

		do {
			struct case_rec *page;
			size_t n;

			if (store_cases_list(f->st, &f->sys, &q, &a, &page, &n, &next, &f->err) != 0)
				fail_msg("cases: %s", f->err.en);
			all = realloc(all, (nall + n + 1) * sizeof(*all));
			assert_non_null(all);
			memcpy(all + nall, page, n * sizeof(*page));
			nall += n;
			q.cursor = next;
		} while (next);
	}
	lines = calloc(nall + 1, sizeof(*lines));
	assert_non_null(lines);
	for (size_t i = 0; i < nall; i++) {
		const struct case_rec *c = &all[i];
		const char *label = c->external_id;
		char line[1024];

		for (size_t j = 0; j < nall; j++)
			if (all[j].person.id == c->person.id && strcmp(all[j].external_id, label) < 0)
				label = all[j].external_id;
		snprintf(line, sizeof(line),
		         "%s|%s|%s|%s|%s|%lld|%s|%s|%s|%s|%s|%s|%s|%d|%s|%s|%s|%s", c->external_id,
		         nz(c->commune_code), nz(c->person.unit_code), nz(c->person.full_name),
		         nz(c->person.id_number), (long long)c->person.birth_year, nz(c->person.sex),
		         nz(c->person.phone), nz(c->detected_on), nz(c->source), nz(c->test_type),
		         nz(c->severity), nz(c->care_place), c->needs_oxygen, nz(c->outcome),
		         nz(c->outcome_on), nz(c->unit_path), label);
		lines[i] = strdup(line);
		assert_non_null(lines[i]);
	}
	qsort(lines, nall, sizeof(*lines), str_cmp);
	for (size_t i = 0; i < nall; i++) {
		assert_int_equal(strbuf_addf(out, "%s\n", lines[i]), 0);
		free(lines[i]);
	}
	free(lines);
	free(all);
	arena_release(&a);
}

static void dump_week(void *ctx, const struct case_week *w)
{
	assert_int_equal(strbuf_addf(ctx, "%s|%s|%lld|%lld|%lld|%lld|%lld|%lld\n", w->commune_code,
	                             w->week_end, (long long)w->cases, (long long)w->community,
	                             (long long)w->quarantine, (long long)w->imported,
	                             (long long)w->oxygen, (long long)w->deaths), 0);
}

/* The people whose name holds q, by the name index, as sorted lines. */
static void dump_search(struct sfx *f, const char *q, struct strbuf *out)
{
	struct search_hit *h;
	size_t n;
	char *lines[SEARCH_LIMIT_MAX];

	assert_int_equal(store_search(f->st, &f->sys, SEARCH_PERSON, q, SEARCH_LIMIT_MAX, &f->a, &h,
	                              &n, &f->err), 0);
	for (size_t i = 0; i < n; i++) {
		char line[256];

		snprintf(line, sizeof(line), "%s: %s|%s|%s\n", q, h[i].full_name, nz(h[i].id_number),
		         nz(h[i].unit_code));
		lines[i] = strdup(line);
	}
	qsort(lines, n, sizeof(*lines), str_cmp);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(strbuf_adds(out, lines[i]), 0);
		free(lines[i]);
	}
}

static void dump(struct sfx *f, struct strbuf *out)
{
	static const char *const names[] = { "van goc 0007", "van moi 0003", "van goc 0003",
	                                     "thi moi 03999", "thi moi 01233", "van goc 0398",
	                                     "van moi 0399" };
	size_t rows = 0;
	int64_t drift = -1;

	dump_cases(f, out);
	assert_int_equal(store_cases_weekly_communes(f->st, "2021-01-03", "2022-01-02", dump_week,
	                                             out, &rows, &f->err), 0);
	assert_true(rows > 50);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		dump_search(f, names[i], out);
	assert_int_equal(store_test_case_weeks_drift(f->st, &drift, &f->err), 0);
	assert_int_equal(drift, 0);
}

static struct sfx *open_seeded(const char *url, const char *tag)
{
	struct sfx *f = sfx_open(url, tag, 0);
	struct text t;

	sfx_unit(f, "00001", "hamlet", "Tổ dân phố 1", "00001-001");
	for (int i = 0; i < SEEDS; i++) {
		struct case_rec c = seed_row(i, &t);

		assert_int_equal(store_case_create(f->st, &f->sys, &c, &f->err), 0);
	}
	return f;
}

/* The first line where a and b differ, to tell. */
static void assert_same(const char *a, const char *b)
{
	size_t i = 0, line = 1;

	while (a[i] && a[i] == b[i])
		line += a[i++] == '\n';
	if (a[i] != b[i]) {
		const char *la = a + i, *lb = b + i;

		while (la > a && la[-1] != '\n')
			la--;
		while (lb > b && lb[-1] != '\n')
			lb--;
		print_error("line %zu differs:\n  bulk:   %.200s\n  single: %.200s\n", line, la, lb);
		fail();
	}
}

static void test_bulk_equals_single_writes(void **state)
{
	struct case_rec *rows = calloc(LINES, sizeof(*rows));
	struct text *txt = calloc(LINES, sizeof(*txt));
	struct sfx *bulk, *ref;
	struct strbuf db = STRBUF_INIT(64u << 20), dr = STRBUF_INIT(64u << 20);
	size_t ins = 0, upd = 0, skip = 0;
	int64_t cache[2];
	char refpath[128];

	(void)state;
	assert_non_null(rows);
	assert_non_null(txt);
	for (int k = 0; k < LINES; k++) {
		int at = (int)((long)k * 7919 % LINES);   /* the kinds of line mixed */

		rows[at] = file_row(k, &txt[at]);
		rows[at].line = at + 2;
	}
	bulk = open_seeded(backend_url, "import-same-bulk");
	/* The reference commits 2,000 times: in memory where the machine has it. */
	snprintf(refpath, sizeof(refpath), "/dev/shm/import-same-ref-%d.db", (int)getpid());
	ref = open_seeded(access("/dev/shm", W_OK) == 0 ? refpath : NULL, "import-same-ref");
	assert_int_equal(store_test_cache_size(bulk->st, &cache[0], &bulk->err), 0);
	assert_int_equal(store_cases_import(bulk->st, &bulk->sys, rows, LINES, &ins, &upd, &skip,
	                                    &bulk->err), 0);
	assert_int_equal(store_test_cache_size(bulk->st, &cache[1], &bulk->err), 0);
	assert_int_equal(cache[1], cache[0]);     /* the import's wide cache given back */
	assert_int_equal(ins, LINES - SEEDS);
	/* Unchanged lines of cases whose person an earlier line filled in are
	 * updates too: the changed ones at least. */
	assert_int_equal(upd + skip, SEEDS);
	assert_true(upd >= SEEDS - SEEDS / 4 && skip > 0);
	for (int i = 0; i < LINES; i++) {
		struct case_rec c = rows[i];

		if (c.external_id[0] == 'S')
			assert_int_equal(store_cases_import(ref->st, &ref->sys, &c, 1, NULL, NULL, NULL,
			                                    &ref->err), 0);
		else
			assert_int_equal(store_case_create(ref->st, &ref->sys, &c, &ref->err), 0);
	}
	dump(bulk, &db);
	dump(ref, &dr);
	assert_true(db.len > 100000);
	assert_same(db.buf, dr.buf);
	strbuf_release(&db);
	strbuf_release(&dr);
	sfx_close(bulk);
	sfx_close(ref);
	for (size_t i = 0; i < 3; i++) {
		char p[160];

		snprintf(p, sizeof(p), "%s%s", refpath, (const char *[]){ "", "-wal", "-shm" }[i]);
		unlink(p);
	}
	free(rows);
	free(txt);
}

static int run_backend(const char *name, const char *url)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bulk_equals_single_writes),
	};

	backend_url = url;
	return cmocka_run_group_tests_name(name, tests, NULL, NULL);
}

int main(void)
{
	return sfx_each_backend(run_backend) ? 1 : 0;
}
