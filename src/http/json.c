/*
 * JSON request bodies: the object (its fields are read by src/api/field.c).
 * Pure (jansson and base only), so that a fuzz target drives exactly what
 * the server runs on every body (tests/fuzz/fuzz_json.c).
 */
#include <jansson.h>
#include <string.h>

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
