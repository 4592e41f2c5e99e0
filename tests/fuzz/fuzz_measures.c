/*
 * libFuzzer target for the measures file (domain/measures.c;
 * data/measures.json is a seed).  It is read by `thichung import measures`
 * and `thichung demo`, not over HTTP, but what it stores is served as it
 * is on the public level legend, so what it accepts must hold:
 *   - success: out[0] is NULL and out[1..4] are compact JSON arrays of
 *     objects with string "area", "vi" and "en", equal to the file's
 *     "1".."4";
 *   - failure: every out[] is NULL and the message is valid UTF-8;
 *   - nothing leaks either way.
 * jansson (pkg-config) is linked as a library: it is not what is tested.
 */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/measures.h"
#include "fuzz.h"
#include "base/banned.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	json_object_seed(1);     /* the same hashing in every run */
	return 0;
}

static void check_level(const char *text, json_t *doc, int level)
{
	char key[2] = { (char)('0' + level), '\0' };
	json_t *arr = json_loads(text, JSON_REJECT_DUPLICATES, NULL), *m;
	size_t i;

	FUZZ_CHECK(json_is_array(arr));
	FUZZ_CHECK(json_equal(arr, json_object_get(doc, key)));
	json_array_foreach(arr, i, m) {
		FUZZ_CHECK(json_is_object(m));
		FUZZ_CHECK(json_is_string(json_object_get(m, "area")));
		FUZZ_CHECK(json_is_string(json_object_get(m, "vi")));
		FUZZ_CHECK(json_is_string(json_object_get(m, "en")));
	}
	/* Compact: no newline, so one stored value is one line. */
	FUZZ_CHECK(strchr(text, '\n') == NULL);
	json_decref(arr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *out[5] = { "x", "x", "x", "x", "x" };   /* must all be reset */
	struct error err = ERROR_INIT;
	json_t *doc;
	int rc;

	rc = measures_parse((const char *)data, size, out, &err);
	if (rc < 0) {
		fuzz_check_error(&err, rc);
		for (int l = 0; l < 5; l++)
			FUZZ_CHECK(out[l] == NULL);
		return 0;
	}
	FUZZ_CHECK(rc == 0 && out[0] == NULL);
	doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	FUZZ_CHECK(doc != NULL);
	for (int l = 1; l <= 4; l++) {
		FUZZ_CHECK(out[l] != NULL);
		check_level(out[l], doc, l);
		free(out[l]);
	}
	json_decref(doc);
	return 0;
}
