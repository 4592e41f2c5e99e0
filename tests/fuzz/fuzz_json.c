/*
 * JSON request bodies: what the server does with every body before a
 * handler sees a field (src/http/json.c).  Invariants: a body either parses
 * to an object or fails with an error that names where (valid UTF-8); every
 * member read as a string of any cap either comes back exactly as jansson
 * holds it, within the cap, without NUL, control or bidirectional
 * characters, or is refused naming the field; integers come back within
 * their bounds.
 */
#include <jansson.h>
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "http/json.h"

static void check_member(json_t *obj, const char *key, json_t *v, size_t cap)
{
	struct error err = ERROR_INIT;
	const char *s = NULL;
	int64_t n = 0;
	int rc = json_field_string(obj, key, 1, cap, &s, &err);

	if (rc == 0) {
		uint32_t bad = 0;

		FUZZ_CHECK(json_is_string(v) && s == json_string_value(v));
		FUZZ_CHECK(cap == 0 || strlen(s) <= cap);
		FUZZ_CHECK(strlen(s) == json_string_length(v));
		FUZZ_CHECK(text_plain_check(s, strlen(s), true, &bad) < 0);
	} else if (rc == 1) {
		FUZZ_CHECK(json_is_null(v));
	} else {
		fuzz_check_error(&err, rc);
	}
	error_clear(&err);
	rc = json_field_int(obj, key, 0, -1000, 1000, &n, &err);
	if (rc == 0)
		FUZZ_CHECK(json_is_integer(v) && n >= -1000 && n <= 1000 && n == json_integer_value(v));
	else if (rc < 0)
		fuzz_check_error(&err, rc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct error err = ERROR_INIT;
	json_t *doc = NULL, *v;
	const char *key;
	size_t cap = size ? data[0] % 64 : 0;   /* the first byte picks a cap (0: none) */
	int rc = json_body_parse((const char *)data, size, &doc, &err);

	if (rc < 0) {
		fuzz_check_error(&err, rc);
		FUZZ_CHECK(doc == NULL);
		return 0;
	}
	FUZZ_CHECK(rc == 0 && json_is_object(doc));
	json_object_foreach(doc, key, v)
		check_member(doc, key, v, cap);
	/* An absent field: optional reads as absent, required names it. */
	FUZZ_CHECK(json_field_string(doc, "\001absent", 0, 10, &key, &err) == 1 ||
	           json_object_get(doc, "\001absent") != NULL);
	json_decref(doc);
	return 0;
}
