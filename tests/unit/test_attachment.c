/*
 * Directive attachments and links (domain/attachment, domain/directive):
 * the kind of a file told by its first bytes whatever its name, the names
 * a file may carry, the Content-Disposition with the UTF-8 name, and a
 * replaced directive's tasks no longer overdue.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "domain/attachment.h"
#include "domain/directive.h"
#include "base/banned.h"

#define SNIFF(lit) attachment_sniff((const unsigned char *)(lit), sizeof(lit) - 1)

static void test_sniff(void **state)
{
	(void)state;
	assert_string_equal(SNIFF("%PDF-1.7\n..."), "application/pdf");
	assert_string_equal(SNIFF("\xff\xd8\xff\xe0\x00\x10JFIF"), "image/jpeg");
	assert_string_equal(SNIFF("\x89PNG\r\n\x1a\n\x00\x00"), "image/png");
	assert_string_equal(SNIFF("PK\x03\x04....[Content_Types].xml....word/document.xml"),
	                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
	assert_string_equal(SNIFF("PK\x03\x04....[Content_Types].xml....xl/workbook.xml"),
	                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
	/* A ZIP that is neither, an OOXML part list without the ZIP head,
	 * text that mentions a PDF, a cut PNG signature, nothing. */
	assert_null(SNIFF("PK\x03\x04....[Content_Types].xml....ppt/presentation.xml"));
	assert_null(SNIFF("PK\x03\x04....word/document.xml"));
	assert_null(SNIFF("....[Content_Types].xml....word/document.xml"));
	assert_null(SNIFF(" %PDF-1.4"));
	assert_null(SNIFF("\x89PNG\r\n"));
	assert_null(SNIFF("MZ\x90\x00"));
	assert_null(attachment_sniff((const unsigned char *)"", 0));
}

static void test_names(void **state)
{
	struct error err = ERROR_INIT;
	char long_name[ATTACHMENT_NAME_MAX + 2];

	(void)state;
	assert_int_equal(attachment_name_check("Kế hoạch số 12 (bản ký).pdf", "filename", &err), 0);
	assert_int_equal(attachment_name_check("a", "filename", &err), 0);
	const char *bad[] = { "", "../x.pdf", "a/b.pdf", "a\\b.pdf", ".hidden", "dòng\nmới.pdf",
	                      "tab\there.pdf", "\xe2\x80\xae\x66\x64\x70.exe", "\xff\xfe.pdf" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		error_clear(&err);
		assert_int_equal(attachment_name_check(bad[i], "filename", &err), THC_EUNPROCESSABLE);
		assert_string_equal(err.field, "filename");
	}
	assert_int_equal(attachment_name_check(NULL, "filename", &err), THC_EUNPROCESSABLE);
	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	assert_int_equal(attachment_name_check(long_name, "filename", &err), THC_EUNPROCESSABLE);
	long_name[ATTACHMENT_NAME_MAX] = '\0';
	assert_int_equal(attachment_name_check(long_name, "filename", &err), 0);
}

static void test_disposition(void **state)
{
	char out[ATTACHMENT_DISPOSITION_MAX], small[40];
	char worst[ATTACHMENT_NAME_MAX + 1];

	(void)state;
	assert_int_equal(attachment_disposition("Kế hoạch \"12\".pdf", out, sizeof(out)), 0);
	assert_string_equal(out, "attachment; filename=\"K___ ho___ch _12_.pdf\"; "
	                    "filename*=UTF-8''K%E1%BA%BF%20ho%E1%BA%A1ch%20%2212%22.pdf");
	assert_int_equal(attachment_disposition("a;b=c.pdf", out, sizeof(out)), 0);
	assert_string_equal(out, "attachment; filename=\"a;b=c.pdf\"; filename*=UTF-8''a%3Bb%3Dc.pdf");
	assert_int_equal(attachment_disposition("rất dài.pdf", small, sizeof(small)), -1);
	/* The longest name, all escaped, fits the cap. */
	for (size_t i = 0; i + 3 <= ATTACHMENT_NAME_MAX; i += 3)
		memcpy(worst + i, "\xe1\xba\xbf", 3);
	worst[ATTACHMENT_NAME_MAX - ATTACHMENT_NAME_MAX % 3] = '\0';
	assert_int_equal(attachment_disposition(worst, out, sizeof(out)), 0);
}

static void test_superseded(void **state)
{
	struct directive_item items[2] = {
		{ .task_id = 1, .unit_code = "193", .deadline = 100, .done_on = DIRECTIVE_DAY_NONE },
		{ .task_id = 2, .parent_task_id = 1, .issuer_code = "193", .unit_code = "06697",
		  .deadline = 90, .done_on = DIRECTIVE_DAY_NONE },
	};

	(void)state;
	assert_int_equal(directive_superseded(DIRECTIVE_OVERDUE), DIRECTIVE_OPEN);
	assert_int_equal(directive_superseded(DIRECTIVE_DONE), DIRECTIVE_DONE);
	assert_int_equal(directive_superseded(DIRECTIVE_OPEN), DIRECTIVE_OPEN);
	directive_rollup(items, 2, 120);
	assert_int_equal(items[0].status, DIRECTIVE_OVERDUE);
	directive_supersede(items, 2);
	assert_int_equal(items[0].status, DIRECTIVE_OPEN);
	assert_int_equal(items[1].status, DIRECTIVE_OPEN);
	assert_int_equal(items[0].below_overdue, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_disposition),
		cmocka_unit_test(test_superseded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
