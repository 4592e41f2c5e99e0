/*
 * Inspection rules (domain/inspection) and emulation arithmetic
 * (domain/emulation): templates as data, tax codes, follow-up status,
 * scores, totals, ranks and model units.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "domain/emulation.h"
#include "domain/inspection.h"
#include "base/banned.h"

static const char tpl[] =
	"{\"code\":\"shop\",\"name\":{\"vi\":\"Cửa hàng\",\"en\":\"Shop\"},\"target\":\"business\","
	"\"items\":[{\"id\":\"mask\",\"vi\":\"Đeo khẩu trang\",\"en\":\"Masks\"},"
	"{\"id\":\"qr\",\"vi\":\"Quét mã QR\",\"en\":\"QR check-in\"}]}";

static void test_templates(void **state)
{
	struct insp_templates *t = NULL;
	struct error err = ERROR_INIT;
	const struct insp_template *tp;

	(void)state;
	assert_int_equal(insp_templates_new(&t, &err), 0);
	assert_int_equal(insp_templates_add(t, tpl, strlen(tpl), &err), 0);
	tp = insp_template_find(t, "shop");
	assert_non_null(tp);
	assert_int_equal(tp->business, 1);
	assert_int_equal(tp->nitems, 2);
	assert_string_equal(insp_item_find(tp, "qr")->vi, "Quét mã QR");
	assert_null(insp_item_find(tp, "nope"));
	assert_ptr_equal(insp_template_at(t, 0), tp);
	assert_null(insp_template_at(t, 1));
	/* The same code twice is refused, naming it. */
	assert_int_equal(insp_templates_add(t, tpl, strlen(tpl), &err), THC_EUNPROCESSABLE);
	assert_non_null(strstr(err.en, "shop"));
	insp_templates_free(t);
}

static void test_template_errors(void **state)
{
	static const char *bad[] = {
		"{\"code\":\"x\",\"name\":{\"vi\":\"a\",\"en\":\"b\"},\"target\":\"shop\",\"items\":[{\"id\":\"a\",\"vi\":\"a\",\"en\":\"a\"}]}",
		"{\"code\":\"X Y\",\"name\":{\"vi\":\"a\",\"en\":\"b\"},\"target\":\"unit\",\"items\":[{\"id\":\"a\",\"vi\":\"a\",\"en\":\"a\"}]}",
		"{\"code\":\"x\",\"name\":{\"vi\":\"a\"},\"target\":\"unit\",\"items\":[{\"id\":\"a\",\"vi\":\"a\",\"en\":\"a\"}]}",
		"{\"code\":\"x\",\"name\":{\"vi\":\"a\",\"en\":\"b\"},\"target\":\"unit\",\"items\":[]}",
		"{\"code\":\"x\",\"name\":{\"vi\":\"a\",\"en\":\"b\"},\"target\":\"unit\",\"items\":[{\"id\":\"a\",\"vi\":\"a\",\"en\":\"a\"},{\"id\":\"a\",\"vi\":\"b\",\"en\":\"b\"}]}",
		"{\"code\":\"x\",\"name\":{\"vi\":\"a\",\"en\":\"b\"},\"target\":\"unit\",\"items\":[{\"id\":\"a\",\"vi\":\"a\"}]}",
		"{\"code\":",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct insp_templates *t = NULL;
		struct error err = ERROR_INIT;

		assert_int_equal(insp_templates_new(&t, &err), 0);
		assert_int_equal(insp_templates_add(t, bad[i], strlen(bad[i]), &err), THC_EUNPROCESSABLE);
		assert_true(err.vi[0] != '\0' && err.en[0] != '\0');
		insp_templates_free(t);
	}
}

static void test_tax_code(void **state)
{
	static const char *good[] = { "0123456789", "0101234567-001", "9999999999-999" };
	static const char *bad[] = { "", "012345678", "01234567890", "0123456789-01",
	                             "0123456789-0011", "0123456789_001", "012345678a",
	                             "0123456789-a01", " 0123456789" };
	struct error err = ERROR_INIT;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(insp_tax_code_check("tax_code", good[i], &err), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(insp_tax_code_check("target.tax_code", bad[i], &err),
		                 THC_EUNPROCESSABLE);
		assert_string_equal(err.field, "target.tax_code");
	}
	assert_int_equal(insp_tax_code_check("tax_code", NULL, &err), THC_EUNPROCESSABLE);
}

static void test_action_status(void **state)
{
	(void)state;
	assert_int_equal(insp_action_status("2021-10-30", NULL, "2021-10-29"), INSP_ACTION_OPEN);
	/* On the deadline itself it is still open; overdue from the day after. */
	assert_int_equal(insp_action_status("2021-10-30", NULL, "2021-10-30"), INSP_ACTION_OPEN);
	assert_int_equal(insp_action_status("2021-10-30", NULL, "2021-10-31"), INSP_ACTION_OVERDUE);
	assert_int_equal(insp_action_status("2021-12-31", NULL, "2022-01-01"), INSP_ACTION_OVERDUE);
	assert_int_equal(insp_action_status("2021-10-30", "2021-11-05", "2021-12-01"), INSP_ACTION_DONE);
	assert_int_equal(insp_action_status("2021-10-30", "", "2021-12-01"), INSP_ACTION_OVERDUE);
	assert_string_equal(insp_action_status_name(INSP_ACTION_OVERDUE), "overdue");
	assert_string_equal(insp_action_status_name(INSP_ACTION_DONE), "done");
	assert_string_equal(insp_action_status_name(INSP_ACTION_OPEN), "open");
}

static void test_emulation_scores(void **state)
{
	int has;
	int w[3] = { 3, 1, 1 };
	double s[3] = { 100, 50, 0 };

	(void)state;
	assert_true(emulation_score(2, 3, &has) == 66.67 && has == 1);
	assert_true(emulation_score(1, 3, &has) == 33.33 && has == 1);
	assert_true(emulation_score(5, 0, &has) == 0 && has == 0);
	assert_true(emulation_score(0, 4, &has) == 0 && has == 1);
	/* (3*100 + 50 + 0) / 5 = 70 */
	assert_true(emulation_total(s, w, 3) == 70);
	w[0] = 1;
	/* 150 / 3 = 50 */
	assert_true(emulation_total(s, w, 3) == 50);
	assert_true(emulation_total(s, w, 0) == 0);
}

static void test_emulation_ranks(void **state)
{
	double t[5] = { 50, 80, 50, 10, 80 };
	int r[5];
	double sc[4] = { 90, 95, 95, 100 };
	int has[4] = { 1, 1, 1, 0 };

	(void)state;
	emulation_rank(t, 5, r);
	/* Ties share a rank; the next one skips. */
	assert_int_equal(r[1], 1);
	assert_int_equal(r[4], 1);
	assert_int_equal(r[0], 3);
	assert_int_equal(r[2], 3);
	assert_int_equal(r[3], 5);
	/* Models: the highest score among units with data (a unit without data never). */
	assert_false(emulation_is_model(sc, has, 4, 0));
	assert_true(emulation_is_model(sc, has, 4, 1));
	assert_true(emulation_is_model(sc, has, 4, 2));
	assert_false(emulation_is_model(sc, has, 4, 3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_templates),
		cmocka_unit_test(test_template_errors),
		cmocka_unit_test(test_tax_code),
		cmocka_unit_test(test_action_status),
		cmocka_unit_test(test_emulation_scores),
		cmocka_unit_test(test_emulation_ranks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
