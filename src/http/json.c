/*
 * JSON request bodies: the object and its typed fields.  Pure (jansson and
 * base only), so that a fuzz target drives exactly what the server runs on
 * every body (tests/fuzz/fuzz_json.c).
 */
#include <jansson.h>
#include <stdint.h>
#include <string.h>

#include "base/text.h"
#include "http/json.h"
#include "base/banned.h"

int json_body_parse(const char *buf, size_t len, json_t **out, struct error *err)
{
	json_error_t je;
	json_t *doc;

	*out = NULL;
	if (len == 0)
		return error_set(err, THC_EINVAL, "thiếu nội dung JSON", "the JSON body is empty");
	doc = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	if (doc == NULL)
		return error_set(err, THC_EINVAL,
		                 "JSON không hợp lệ ở dòng %d, cột %d: %s",
		                 "malformed JSON at line %d, column %d: %s",
		                 je.line, je.column, je.text);
	if (!json_is_object(doc)) {
		json_decref(doc);
		return error_set(err, THC_EUNPROCESSABLE, "nội dung JSON phải là một đối tượng",
		                 "the JSON body must be an object");
	}
	*out = doc;
	return 0;
}

int json_field_string(json_t *obj, const char *name, int required, size_t max,
                      const char **out, struct error *err)
{
	json_t *v = json_object_get(obj, name);
	const char *s;

	*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (!required)
			return 1;
		return error_set(err, THC_EUNPROCESSABLE, "thiếu trường '%s'",
		                 "field '%s' is missing", name);
	}
	if (!json_is_string(v))
		return error_set(err, THC_EUNPROCESSABLE, "trường '%s' phải là chuỗi",
		                 "field '%s' must be a string", name);
	s = json_string_value(v);
	if (strlen(s) != json_string_length(v))
		return error_set(err, THC_EUNPROCESSABLE, "trường '%s' chứa ký tự NUL",
		                 "field '%s' contains a NUL character", name);
	if (max && json_string_length(v) > max)
		return error_set(err, THC_EUNPROCESSABLE, "trường '%s' dài quá %zu byte",
		                 "field '%s' is longer than %zu bytes", name, max);
	{
		/* No terminal escapes or bidirectional overrides in anything stored
		 * and shown to others; single-line fields check line breaks too. */
		uint32_t bad = 0;
		long at = text_plain_check(s, json_string_length(v), true, &bad);

		if (at >= 0)
			return error_set(err, THC_EUNPROCESSABLE,
			                 "trường '%s' có ký tự điều khiển (U+%04X) ở byte %ld",
			                 "field '%s' contains a control character (U+%04X) at byte %ld",
			                 name, (unsigned)bad, at + 1);
	}
	*out = s;
	return 0;
}

int json_field_int(json_t *obj, const char *name, int required, int64_t min,
                   int64_t max, int64_t *out, struct error *err)
{
	json_t *v = json_object_get(obj, name);

	if (v == NULL || json_is_null(v)) {
		if (!required)
			return 1;
		return error_set(err, THC_EUNPROCESSABLE, "thiếu trường '%s'",
		                 "field '%s' is missing", name);
	}
	if (!json_is_integer(v))
		return error_set(err, THC_EUNPROCESSABLE, "trường '%s' phải là số nguyên",
		                 "field '%s' must be an integer", name);
	if (json_integer_value(v) < min || json_integer_value(v) > max)
		return error_set(err, THC_EUNPROCESSABLE,
		                 "trường '%s' phải trong khoảng %lld..%lld",
		                 "field '%s' must be within %lld..%lld", name,
		                 (long long)min, (long long)max);
	*out = json_integer_value(v);
	return 0;
}

