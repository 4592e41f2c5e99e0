/*
 * Measures per level: the file is checked once at import, and each level's
 * list is stored as JSON text that the API serves as it is.
 */
#include <jansson.h>
#include <stdlib.h>

#include "domain/measures.h"
#include "base/banned.h"

int measures_parse(const char *text, size_t len, char *out[5], struct error *err)
{
	json_error_t je;
	json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	int rc = 0;

	for (int l = 0; l < 5; l++)
		out[l] = NULL;
	if (doc == NULL)
		return error_set(err, THC_EINVAL, "JSON không hợp lệ ở dòng %d, cột %d: %s",
		                 "malformed JSON at line %d, column %d: %s", je.line, je.column, je.text);
	for (int l = 1; l <= 4 && rc == 0; l++) {
		char key[2] = { (char)('0' + l), 0 };
		json_t *arr = json_object_get(doc, key), *m;
		size_t i;

		if (!json_is_array(arr)) {
			rc = error_set(err, THC_EUNPROCESSABLE, "trường '%s' phải là danh sách biện pháp",
			               "field '%s' must be a list of measures", key);
			break;
		}
		json_array_foreach(arr, i, m) {
			if (!json_is_object(m) || !json_is_string(json_object_get(m, "area")) ||
			    !json_is_string(json_object_get(m, "vi")) ||
			    !json_is_string(json_object_get(m, "en"))) {
				rc = error_set(err, THC_EUNPROCESSABLE,
				               "trường '%s[%zu]' cần các chuỗi 'area', 'vi' và 'en'",
				               "field '%s[%zu]' needs the strings 'area', 'vi' and 'en'", key, i);
				break;
			}
		}
		if (rc == 0 && (out[l] = json_dumps(arr, JSON_COMPACT)) == NULL)
			rc = error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	}
	json_decref(doc);
	if (rc < 0)
		for (int l = 0; l < 5; l++) {
			free(out[l]);
			out[l] = NULL;
		}
	return rc;
}
