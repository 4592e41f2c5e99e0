/*
 * domain/measures: the measures-per-level file (data/measures.json) as
 * `thichung import measures` reads it: the shipped file, the shape errors
 * naming the field, and messages that stay valid UTF-8.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "domain/measures.h"
#include "base/banned.h"

static void free_out(char *out[5])
{
	for (int l = 0; l < 5; l++)
		free(out[l]);
}

static void test_shipped_file(void **state)
{
	const char *dir = getenv("THC_DATA_DIR");
	char path[1024], *buf = malloc(1 << 20), *out[5];
	struct error err = ERROR_INIT;
	size_t n;
	FILE *f;

	(void)state;
	assert_non_null(buf);
	snprintf(path, sizeof(path), "%s/measures.json", dir && dir[0] ? dir : THC_DATA_DIR);
	assert_non_null(f = fopen(path, "rb"));
	n = fread(buf, 1, 1 << 20, f);
	fclose(f);
	assert_int_equal(measures_parse(buf, n, out, &err), 0);
	assert_null(out[0]);
	for (int l = 1; l <= 4; l++) {
		json_t *arr = json_loads(out[l], 0, NULL);

		assert_true(json_is_array(arr));
		assert_true(json_array_size(arr) > 0);
		assert_true(json_is_string(json_object_get(json_array_get(arr, 0), "area")));
		assert_null(strchr(out[l], '\n'));
		json_decref(arr);
	}
	free_out(out);
	free(buf);
}

static void test_shape_errors(void **state)
{
	static const struct {
		const char *text, *en;
		int rc;
	} bad[] = {
		{ "{\"1\":[],\"2\":[],\"3\":[]}", "field '4' must be a list of measures",
		  THC_EUNPROCESSABLE },
		{ "{\"1\":[],\"2\":[{\"area\":\"a\",\"vi\":\"v\"}],\"3\":[],\"4\":[]}",
		  "field '2[0]' needs the strings 'area', 'vi' and 'en'", THC_EUNPROCESSABLE },
		{ "{\"1\":[],\"2\":[],\"3\":[],\"4\":[],\"4\":[]}", "malformed JSON", THC_EINVAL },
		{ "[1,2,3,4]", "field '1' must be a list", THC_EUNPROCESSABLE },
	};
	struct error err = ERROR_INIT;
	char *out[5];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(measures_parse(bad[i].text, strlen(bad[i].text), out, &err),
		                 bad[i].rc);
		for (int l = 0; l < 5; l++)
			assert_null(out[l]);
		assert_non_null(strstr(err.en, bad[i].en));
	}
	/* Empty lists and other keys are fine. */
	{
		const char *ok = "{\"_note\":1,\"1\":[],\"2\":[],\"3\":[],"
		                 "\"4\":[{\"area\":\"\",\"vi\":\"\",\"en\":\"\",\"x\":[1]}]}";

		assert_int_equal(measures_parse(ok, strlen(ok), out, &err), 0);
		assert_string_equal(out[1], "[]");
		assert_string_equal(out[4], "[{\"area\":\"\",\"vi\":\"\",\"en\":\"\",\"x\":[1]}]");
		free_out(out);
	}
}

/* Found by tests/fuzz/fuzz_measures: jansson's error text quoted half of a
 * character, so the message was not valid UTF-8. */
static void test_json_error_message_utf8(void **state)
{
	static const char bad[] = "{\"1\": [\"T\\\xc3\xa1\"]}";   /* "\á": an invalid escape */
	struct error err = ERROR_INIT;
	char *out[5];

	(void)state;
	assert_int_equal(measures_parse(bad, strlen(bad), out, &err), THC_EINVAL);
	assert_non_null(strstr(err.en, "malformed JSON at line 1"));
	assert_true(text_utf8_valid(err.en, strlen(err.en)));
	assert_true(text_utf8_valid(err.vi, strlen(err.vi)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_file),
		cmocka_unit_test(test_shape_errors),
		cmocka_unit_test(test_json_error_message_utf8),
	};
	return cmocka_run_group_tests_name("measures", tests, NULL, NULL);
}
