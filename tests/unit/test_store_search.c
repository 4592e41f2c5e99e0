/*
 * Finding people and cases by name and number (store/search.c) on SQLite
 * and, with THC_TEST_PG_URL, on PostgreSQL: names without accents or case
 * and Đ as d, the order (names that begin with the text, then a word that
 * does, then the rest), two letters at a name's start only, one letter
 * nothing, numbers exactly, the reader's scope, the trigram index kept in
 * step with people inserted after it was built, and the plans: names
 * through the trigram index (FTS5 / pg_trgm), ID numbers through theirs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "store/search.h"
#include "store/store.h"
#include "store/testing.h"
#include "store_fixture.h"
#include "base/banned.h"

static const char *backend_url;   /* set before each group runs */

/* In Phúc Xá (00001), Trúc Bạch (00004) and Tân Định (26734, Hồ Chí Minh City). */
static const char *const names[] = {
	"Đặng Văn Dũng", "Nguyễn Văn Đăng", "Lê Thị Đào", "Lê Văn An", "Bùi Đăng Khoa",
	"Trần Thị Lê", "Vũ Văn Đặng", "Đặng Thị Hồng",
};
static const char *const units[] = {
	"00001", "00001", "00001", "00004", "00001", "00001", "00001", "26734",
};
static int64_t ids[9];            /* the last: test_new_people_found's */

static int setup(void **state)
{
	struct sfx *f = sfx_open(backend_url, "store-search", 0);

	sfx_user(f, "phucxa", "commune_officer", "00001");
	sfx_user(f, "trucbach", "commune_officer", "00004");
	sfx_user(f, "hanoi", "province_officer", "01");
	sfx_user(f, "hcm", "province_officer", "79");
	for (size_t i = 0; i < 8; i++)
		assert_int_equal(store_test_person(f->st, names[i], units[i], &ids[i], &f->err), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	sfx_close(*state);
	return 0;
}

/* The ids of people found for q by user, as "a,b,c" of indexes in names[]. */
static const char *found(struct sfx *f, const char *user, enum search_kind kind, const char *q)
{
	static char out[128];
	struct store_actor who = sfx_actor(f, user);
	struct search_hit *h;
	size_t n, len = 0;

	assert_int_equal(store_search(f->st, &who, kind, q, SEARCH_LIMIT_MAX, &f->a, &h, &n,
	                              &f->err), 0);
	out[0] = '\0';
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < 9; k++)
			if (h[i].person_id == ids[k])
				len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%zu",
				                        len ? "," : "", k);
	return out;
}

static void test_names_in_order(void **state)
{
	struct sfx *f = *state;

	/* "dang": 0 (Đặng Văn Dũng) begins with it; a word of 4 (Bùi Đăng
	 * Khoa), 1 (Nguyễn Văn Đăng) and 6 (Vũ Văn Đặng) does, by name; 7 is in
	 * Hồ Chí Minh City.  "ang": inside only, by name. */
	assert_string_equal(found(f, "hanoi", SEARCH_PERSON, "dang"), "0,4,1,6");
	assert_string_equal(found(f, "hanoi", SEARCH_PERSON, "ĐẶNG"), "0,4,1,6");
	assert_string_equal(found(f, "hanoi", SEARCH_PERSON, "ang"), "4,0,1,6");
	assert_string_equal(found(f, "hanoi", SEARCH_PERSON, "đặng văn"), "0");
	assert_string_equal(found(f, "hanoi", SEARCH_PERSON, "van d"), "0,1,6");
	assert_string_equal(found(f, "hcm", SEARCH_PERSON, "dang"), "7");
	/* A commune's officer: its own people only. */
	assert_string_equal(found(f, "phucxa", SEARCH_PERSON, "dang"), "0,4,1,6");
	assert_string_equal(found(f, "trucbach", SEARCH_PERSON, "dang"), "");
	assert_string_equal(found(f, "trucbach", SEARCH_PERSON, "van"), "3");
	assert_string_equal(found(f, "hanoi", SEARCH_PERSON, "nobody"), "");
}

static void test_short_texts(void **state)
{
	struct sfx *f = *state;

	/* Two letters: names that begin with them (Lê), not "le" inside. */
	assert_string_equal(found(f, "hanoi", SEARCH_PERSON, "Lê"), "2,3");
	assert_string_equal(found(f, "hanoi", SEARCH_PERSON, "LE"), "2,3");
	assert_string_equal(found(f, "hanoi", SEARCH_PERSON, "vu"), "6");
	/* One letter: nothing. */
	assert_string_equal(found(f, "hanoi", SEARCH_PERSON, "l"), "");
	/* Three: anywhere ("Trần Thị Lê" ends with "i le"). */
	assert_string_equal(found(f, "hanoi", SEARCH_PERSON, "i le"), "5");
}

static void test_new_people_found(void **state)
{
	struct sfx *f = *state;

	assert_string_equal(found(f, "hanoi", SEARCH_PERSON, "khuc thua"), "");
	assert_int_equal(store_test_person(f->st, "Khúc Thừa Dụ", "00004", &ids[8], &f->err), 0);
	assert_string_equal(found(f, "hanoi", SEARCH_PERSON, "khuc thua"), "8");
	assert_string_equal(found(f, "hanoi", SEARCH_PERSON, "thừa dụ"), "8");
	assert_string_equal(found(f, "hcm", SEARCH_PERSON, "khuc thua"), "");
}

static void plan_has(struct sfx *f, enum search_kind kind, const char *q, const char *want)
{
	struct store_actor who = sfx_actor(f, "hanoi");
	struct strbuf plan = STRBUF_INIT(1 << 20);

	assert_int_equal(store_search_explain(f->st, &who, kind, q, 1, &f->a, &plan, &f->err), 0);
	if (strstr(plan.buf, want) == NULL)
		fail_msg("q=%s: no %s in the plan:\n%s", q, want, plan.buf);
	strbuf_release(&plan);
}

static void test_plans_use_the_indexes(void **state)
{
	struct sfx *f = *state;
	int pg = backend_url != NULL, indexed = 0;

	assert_int_equal(store_search_indexed(f->st, &indexed, &f->err), 0);
	assert_int_equal(indexed, 1);
	plan_has(f, SEARCH_PERSON, "nguyen van", pg ? "people_name_trgm_idx" : "people_name_fts");
	plan_has(f, SEARCH_CASE, "nguyen van", pg ? "people_name_trgm_idx" : "people_name_fts");
	plan_has(f, SEARCH_PERSON, "le", "people_name_folded_idx");
	plan_has(f, SEARCH_PERSON, "001085012345",
	         pg ? "people_id_number_commune_key" : "sqlite_autoindex_people_1");
	plan_has(f, SEARCH_CASE, "001085012345",
	         pg ? "people_id_number_commune_key" : "sqlite_autoindex_people_1");
	plan_has(f, SEARCH_CASE, "#12", pg ? "cases_pkey" : "INTEGER PRIMARY KEY");
}

static int run_backend(const char *name, const char *url)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_in_order),
		cmocka_unit_test(test_short_texts),
		cmocka_unit_test(test_new_people_found),
		cmocka_unit_test(test_plans_use_the_indexes),
	};

	backend_url = url;
	return cmocka_run_group_tests_name(name, tests, setup, teardown);
}

int main(void)
{
	return sfx_each_backend(run_backend) ? 1 : 0;
}
