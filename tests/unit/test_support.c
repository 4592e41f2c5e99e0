/*
 * Support programmes (domain/support): the shipped files of data/support
 * load, and each policy's eligibility and amount reproduce the tables of
 * the rules page with a worked case, supplements included; a refusal
 * gives the programme's reason; exclusions are symmetric; a file without
 * its marks is refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/vntime.h"
#include "domain/support.h"
#include "base/banned.h"

static const char *const files[] = {
	"hcm-freelance", "nq68-ended", "nq68-f0f1", "nq68-guides", "nq68-household",
	"nq68-stoppage", "nq68-suspended",
};

static struct support_catalog *cat;

static int load(void **state)
{
	const char *dir = getenv("THC_DATA_DIR");
	struct error err = ERROR_INIT;

	(void)state;
	cat = support_catalog_new();
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[1024], *buf = malloc(SUPPORT_FILE_MAX_BYTES);
		FILE *f;
		size_t n;

		snprintf(path, sizeof(path), "%s/support/%s.json", dir ? dir : "data", files[i]);
		f = fopen(path, "rb");
		if (f == NULL || buf == NULL)
			return -1;
		n = fread(buf, 1, SUPPORT_FILE_MAX_BYTES, f);
		fclose(f);
		if (support_catalog_add(cat, buf, n, &err) < 0) {
			fprintf(stderr, "%s: %s\n", path, err.en);
			free(buf);
			return -1;
		}
		free(buf);
	}
	return support_catalog_check(cat, &err);
}

static int unload(void **state)
{
	(void)state;
	support_catalog_free(cat);
	return 0;
}

static struct support_facts none(void)
{
	return (struct support_facts){ .days = -1, .age = -1, .monthly_income = -1 };
}

static int64_t amount_of(const char *id, struct support_facts f)
{
	const struct support_programme *p = support_programme(cat, id);
	struct error err = ERROR_INIT;
	int64_t amount = -1;

	assert_non_null(p);
	assert_int_equal(support_assess(p, &f, &amount, &err), 0);
	return amount;
}

static void refused(const char *id, struct support_facts f, const char *why)
{
	struct error err = ERROR_INIT;
	int64_t amount = -1;

	assert_int_equal(support_assess(support_programme(cat, id), &f, &amount, &err),
	                 THC_EUNPROCESSABLE);
	assert_string_equal(err.field, "facts");
	assert_non_null(strstr(err.en, why));
	assert_non_null(strstr(err.vi, "không đủ điều kiện"));
}

/* Policy 5: 1 M; +1 M if pregnant; +1 M per child under 6; >= 14 days. */
static void test_stoppage(void **state)
{
	struct support_facts f = none();

	(void)state;
	f.days = 14;
	f.order_ref = "QĐ 123/QĐ-UBND";
	assert_int_equal(amount_of("nq68-stoppage", f), 1000000);
	f.pregnant = 1;
	f.children_under_6 = 2;
	assert_int_equal(amount_of("nq68-stoppage", f), 4000000);
	f.days = 13;
	refused("nq68-stoppage", f, "at least 14 days");
	f.days = 20;
	f.order_ref = NULL;
	refused("nq68-stoppage", f, "decision");
}

/* Policy 4: 1,855,000 under a month, 3,710,000 from a month; >= 15 days, SI. */
static void test_suspended(void **state)
{
	struct support_facts f = none();

	(void)state;
	f.social_insurance = 1;
	f.days = 15;
	assert_int_equal(amount_of("nq68-suspended", f), 1855000);
	f.days = 29;
	assert_int_equal(amount_of("nq68-suspended", f), 1855000);
	f.days = 30;
	assert_int_equal(amount_of("nq68-suspended", f), 3710000);
	f.children_under_6 = 1;
	assert_int_equal(amount_of("nq68-suspended", f), 4710000);
	f.days = 14;
	refused("nq68-suspended", f, "15 consecutive days");
	f.days = 30;
	f.social_insurance = 0;
	refused("nq68-suspended", f, "social insurance");
}

/* Policy 6: 3,710,000, in SI the month before. */
static void test_ended(void **state)
{
	struct support_facts f = none();

	(void)state;
	f.social_insurance = 1;
	assert_int_equal(amount_of("nq68-ended", f), 3710000);
	f.social_insurance = 0;
	refused("nq68-ended", f, "social insurance");
}

/* Policy 8: 80,000 a day; a child under 16 +1 M; elderly or disabled +1 M. */
static void test_f0f1(void **state)
{
	struct support_facts f = none();

	(void)state;
	f.order_ref = "QĐ cách ly 45";
	f.days = 21;
	f.age = 35;
	assert_int_equal(amount_of("nq68-f0f1", f), 21 * 80000);
	f.age = 10;
	assert_int_equal(amount_of("nq68-f0f1", f), 21 * 80000 + 1000000);
	f.age = 15;
	assert_int_equal(amount_of("nq68-f0f1", f), 21 * 80000 + 1000000);
	f.age = 16;
	assert_int_equal(amount_of("nq68-f0f1", f), 21 * 80000);
	f.age = 72;
	assert_int_equal(amount_of("nq68-f0f1", f), 21 * 80000 + 1000000);
	f.age = 40;
	f.disabled = 1;
	assert_int_equal(amount_of("nq68-f0f1", f), 21 * 80000 + 1000000);
	/* Elderly and disabled: one supplement, not two. */
	f.age = 70;
	assert_int_equal(amount_of("nq68-f0f1", f), 21 * 80000 + 1000000);
	f.order_ref = NULL;
	refused("nq68-f0f1", f, "decision");
}

/* Policy 10: 3,710,000 for a licensed guide. */
static void test_guides(void **state)
{
	struct support_facts f = none();

	(void)state;
	f.licensed = 1;
	assert_int_equal(amount_of("nq68-guides", f), 3710000);
	f.licensed = 0;
	refused("nq68-guides", f, "guide card");
}

/* Policy 11: 3,000,000, registered, stopped >= 15 days; posted publicly. */
static void test_household(void **state)
{
	const struct support_programme *p = support_programme(cat, "nq68-household");
	struct support_facts f = none();

	(void)state;
	f.registered = 1;
	f.days = 15;
	assert_int_equal(amount_of("nq68-household", f), 3000000);
	f.days = 10;
	refused("nq68-household", f, "15 consecutive days");
	assert_true(p->household);
	assert_true(p->posting_days > 0);
	/* Hanoi: commune 3, tax office 2, district 3 working days. */
	assert_int_equal(p->nsteps, 3);
	assert_int_equal(p->steps[0].level, SUPPORT_LEVEL_COMMUNE);
	assert_int_equal(p->steps[0].working_days, 3);
	assert_int_equal(p->steps[1].working_days, 2);
	assert_int_equal(p->steps[2].level, SUPPORT_LEVEL_DISTRICT);
	assert_int_equal(p->steps[2].working_days, 3);
}

/* The deadline: the last day taken, refused after it with the day as
 * dd/mm/yyyy; a pending step past its limit is overdue, a decided one not. */
static void test_deadline_and_overdue(void **state)
{
	const struct support_programme *p = support_programme(cat, "nq68-household");
	struct error err = ERROR_INIT;
	struct vndate d = { 2022, 1, 31 };
	int32_t last = vndate_to_days(d);

	(void)state;
	assert_int_equal(p->deadline_day, last);
	assert_int_equal(support_deadline_check(p, last, &err), 0);
	assert_int_equal(support_deadline_check(p, last + 1, &err), THC_EUNPROCESSABLE);
	assert_non_null(strstr(err.vi, "31/01/2022"));
	assert_non_null(strstr(err.en, "31/01/2022"));
	assert_string_equal(err.field, "received_on");
	assert_true(support_step_overdue("pending", "2022-01-31", last + 1));
	assert_false(support_step_overdue("pending", "2022-01-31", last));
	assert_false(support_step_overdue("approved", "2022-01-31", last + 1));
	assert_false(support_step_overdue("pending", NULL, last + 1));
}

/* HCMC free-lance: 1.5 M; legal resident with income under 4 M. */
static void test_hcm_freelance(void **state)
{
	const struct support_programme *p = support_programme(cat, "hcm-freelance");
	struct support_facts f = none();

	(void)state;
	assert_string_equal(p->province, "79");
	f.resident = 1;
	f.monthly_income = 3999999;
	assert_int_equal(amount_of("hcm-freelance", f), 1500000);
	f.monthly_income = 4000000;
	refused("hcm-freelance", f, "under 4 M");
	f.monthly_income = -1;
	refused("hcm-freelance", f, "under 4 M");
	f.monthly_income = 2000000;
	f.resident = 0;
	refused("hcm-freelance", f, "legal resident");
}

static void test_exclusions(void **state)
{
	char list[256];

	(void)state;
	assert_true(support_exclusive(cat, "nq68-stoppage", "nq68-stoppage"));
	assert_true(support_exclusive(cat, "nq68-stoppage", "nq68-suspended"));
	assert_true(support_exclusive(cat, "nq68-suspended", "hcm-freelance"));
	assert_true(support_exclusive(cat, "hcm-freelance", "nq68-ended"));
	assert_false(support_exclusive(cat, "nq68-f0f1", "nq68-stoppage"));
	support_exclusive_list(cat, "nq68-f0f1", list, sizeof(list));
	assert_string_equal(list, "nq68-f0f1");
	support_exclusive_list(cat, "nq68-ended", list, sizeof(list));
	assert_string_equal(list, "hcm-freelance,nq68-ended,nq68-stoppage,nq68-suspended");
}

static void test_bad_files(void **state)
{
	static const char *const bad[] = {
		"{",
		/* no marks */
		"{\"id\":\"x\",\"name\":{\"vi\":\"a\",\"en\":\"b\"},\"policy\":\"p\",\"kind\":\"person\","
		"\"conditions\":[],\"amount\":{\"base\":1,\"per_day\":0},\"excludes\":[],"
		"\"posting\":null,\"chain\":[{\"level\":\"commune\",\"name\":{\"vi\":\"a\",\"en\":\"b\"},"
		"\"working_days\":3}]}",
		/* a chain going down */
		"{\"id\":\"y\",\"name\":{\"vi\":\"a\",\"en\":\"b\"},\"policy\":\"p\",\"kind\":\"person\","
		"\"conditions\":[],\"amount\":{\"base\":1,\"per_day\":0},\"excludes\":[],"
		"\"posting\":null,\"chain\":[{\"level\":\"district\",\"name\":{\"vi\":\"a\",\"en\":\"b\"},"
		"\"working_days\":3},{\"level\":\"commune\",\"name\":{\"vi\":\"a\",\"en\":\"b\"},"
		"\"working_days\":3}]}",
		/* an unknown fact */
		"{\"id\":\"z\",\"name\":{\"vi\":\"a\",\"en\":\"b\"},\"policy\":\"p\",\"kind\":\"person\","
		"\"conditions\":[{\"fact\":\"height\",\"op\":\"true\",\"reason\":{\"vi\":\"a\",\"en\":\"b\"}}],"
		"\"amount\":{\"base\":1,\"per_day\":0},\"excludes\":[],\"posting\":null,\"chain\":[]}",
	};
	struct support_catalog *c = support_catalog_new();

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct error err = ERROR_INIT;

		assert_int_equal(support_catalog_add(c, bad[i], strlen(bad[i]), &err),
		                 THC_EUNPROCESSABLE);
		assert_true(err.vi[0] != '\0' && err.en[0] != '\0');
	}
	assert_null(support_programme_at(c, 0));
	support_catalog_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stoppage),
		cmocka_unit_test(test_suspended),
		cmocka_unit_test(test_ended),
		cmocka_unit_test(test_f0f1),
		cmocka_unit_test(test_guides),
		cmocka_unit_test(test_household),
		cmocka_unit_test(test_deadline_and_overdue),
		cmocka_unit_test(test_hcm_freelance),
		cmocka_unit_test(test_exclusions),
		cmocka_unit_test(test_bad_files),
	};

	return cmocka_run_group_tests(tests, load, unload);
}
