#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"

static void test_value_quoting(void **state)
{
	char out[64];

	(void)state;
	assert_string_equal(log_value("plain", out, sizeof(out)), "plain");
	assert_string_equal(log_value("has space", out, sizeof(out)), "\"has space\"");
	assert_string_equal(log_value("a\"b", out, sizeof(out)), "\"a\\\"b\"");
	assert_string_equal(log_value("line\nbreak", out, sizeof(out)), "\"line break\"");
	assert_string_equal(log_value("", out, sizeof(out)), "\"\"");
	assert_string_equal(log_value("k=v", out, sizeof(out)), "\"k=v\"");
	/* Never overruns. */
	assert_true(strlen(log_value("a b c d e f g h i j k l m n o p", out, 8)) < 8);
}

static void test_line_format(void **state)
{
	char buf[512] = "";
	FILE *f = tmpfile();
	int saved = dup(2);

	(void)state;
	assert_non_null(f);
	dup2(fileno(f), 2);
	log_event(LOG_INFO, "test.event", "k=%d name=%s", 5, "x");
	log_event(LOG_DEBUG, "test.hidden", NULL);   /* below the default level */
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	assert_non_null(strstr(buf, "level=info event=test.event k=5 name=x\n"));
	assert_int_equal(strncmp(buf, "ts=", 3), 0);
	assert_non_null(strstr(buf, "Z level="));
	assert_null(fgets(buf, sizeof(buf), f));
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_value_quoting),
		cmocka_unit_test(test_line_format),
	};
	return cmocka_run_group_tests_name("log", tests, NULL, NULL);
}
