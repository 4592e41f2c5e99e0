/*
 * Reading a rule-set file: typed getters that name the file and the JSON
 * path of whatever is wrong ("qd4800.json: $.indicators.cases.bands[2].max:
 * ...") and refuse keys they do not know.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/parse.h"
#include "base/vntime.h"
#include "domain/level-private.h"
#include "base/banned.h"

void lr_ctx_init(struct lr_ctx *c, const char *file, struct error *err)
{
	c->file = file ? file : "(rules)";
	c->err = err;
	memcpy(c->path, "$", 2);
	c->len = 1;
}

size_t lr_push(struct lr_ctx *c, const char *key)
{
	size_t old = c->len;
	int n = snprintf(c->path + c->len, sizeof(c->path) - c->len, ".%s", key);

	if (n > 0)
		c->len += (size_t)n < sizeof(c->path) - c->len ? (size_t)n
		                                                 : sizeof(c->path) - c->len - 1;
	return old;
}

size_t lr_push_idx(struct lr_ctx *c, size_t i)
{
	size_t old = c->len;
	int n = snprintf(c->path + c->len, sizeof(c->path) - c->len, "[%zu]", i);

	if (n > 0)
		c->len += (size_t)n < sizeof(c->path) - c->len ? (size_t)n
		                                                 : sizeof(c->path) - c->len - 1;
	return old;
}

void lr_pop(struct lr_ctx *c, size_t old)
{
	c->len = old;
	c->path[old] = '\0';
}

/* "file: $.path: what"; the %.0s swallows the other language's text so that
 * both formats take the same arguments. */
int lr_fail(struct lr_ctx *c, const char *vi, const char *en)
{
	return error_set(c->err, THC_EINVAL, "%s: %s: %s%.0s", "%s: %s: %.0s%s",
	                 c->file, c->path, vi, en);
}

/* The same about `key` of the current object. */
int lr_fail_key(struct lr_ctx *c, const char *key, const char *vi, const char *en)
{
	size_t old = lr_push(c, key);
	int rc = lr_fail(c, vi, en);

	lr_pop(c, old);
	return rc;
}

int lr_check_keys(struct lr_ctx *c, json_t *obj, const char *const *allowed)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		size_t i;

		for (i = 0; allowed[i] && strcmp(allowed[i], key) != 0; i++)
			;
		if (allowed[i] == NULL) {
			char vi[160], en[160];

			snprintf(vi, sizeof(vi), "khóa không được biết '%.60s'", key);
			snprintf(en, sizeof(en), "unknown key '%.60s'", key);
			return lr_fail(c, vi, en);
		}
	}
	return 0;
}

int lr_object(struct lr_ctx *c, json_t *parent, const char *key, json_t **out)
{
	json_t *v = json_object_get(parent, key);

	if (v == NULL)
		return lr_fail_key(c, key, "thiếu trường bắt buộc", "required field is missing");
	if (!json_is_object(v))
		return lr_fail_key(c, key, "phải là một đối tượng JSON", "must be a JSON object");
	*out = v;
	return 0;
}

int lr_array(struct lr_ctx *c, json_t *parent, const char *key, size_t min,
                    size_t max, json_t **out)
{
	json_t *v = json_object_get(parent, key);
	char vi[120], en[120];

	if (v == NULL)
		return lr_fail_key(c, key, "thiếu trường bắt buộc", "required field is missing");
	if (!json_is_array(v))
		return lr_fail_key(c, key, "phải là một mảng JSON", "must be a JSON array");
	if (json_array_size(v) < min || json_array_size(v) > max) {
		snprintf(vi, sizeof(vi), "phải có từ %zu đến %zu phần tử", min, max);
		snprintf(en, sizeof(en), "must have from %zu to %zu items", min, max);
		return lr_fail_key(c, key, vi, en);
	}
	*out = v;
	return 0;
}

/* A non-empty string; with `nullable`, null gives *out = NULL. */
int lr_string(struct lr_ctx *c, json_t *parent, const char *key, int nullable,
                     const char **out)
{
	json_t *v = json_object_get(parent, key);

	if (v == NULL)
		return lr_fail_key(c, key, "thiếu trường bắt buộc", "required field is missing");
	if (nullable && json_is_null(v)) {
		*out = NULL;
		return 0;
	}
	if (!json_is_string(v) || json_string_length(v) == 0)
		return lr_fail_key(c, key,
		                   nullable ? "phải là chuỗi khác rỗng hoặc null"
		                            : "phải là chuỗi khác rỗng",
		                   nullable ? "must be a non-empty string or null"
		                            : "must be a non-empty string");
	*out = json_string_value(v);
	return 0;
}

/* One of `names` (NULL-terminated): its index. */
int lr_enum(struct lr_ctx *c, json_t *parent, const char *key,
                   const char *const *names, int *out)
{
	const char *s;
	char vi[200], en[200];
	size_t n = 0;
	int rc;

	if ((rc = lr_string(c, parent, key, 0, &s)) < 0)
		return rc;
	for (int i = 0; names[i]; i++)
		if (strcmp(names[i], s) == 0) {
			*out = i;
			return 0;
		}
	n = (size_t)snprintf(en, sizeof(en), "'%.40s' is not one of:", s);
	for (int i = 0; names[i] && n < sizeof(en); i++)
		n += (size_t)snprintf(en + n, sizeof(en) - n, " %s", names[i]);
	n = (size_t)snprintf(vi, sizeof(vi), "'%.40s' không thuộc:", s);
	for (int i = 0; names[i] && n < sizeof(vi); i++)
		n += (size_t)snprintf(vi + n, sizeof(vi) - n, " %s", names[i]);
	return lr_fail_key(c, key, vi, en);
}

int lr_number(struct lr_ctx *c, json_t *parent, const char *key, double min,
                     double max, double *out)
{
	json_t *v = json_object_get(parent, key);
	char vi[120], en[120], a[LR_NUM_TEXT], b[LR_NUM_TEXT];

	if (v == NULL)
		return lr_fail_key(c, key, "thiếu trường bắt buộc", "required field is missing");
	if (!json_is_number(v) || !(json_number_value(v) >= min && json_number_value(v) <= max)) {
		lr_fmt_num(a, min, 2, 1, 1);
		lr_fmt_num(b, max, 2, 1, 1);
		snprintf(vi, sizeof(vi), "phải là một số từ %s đến %s", a, b);
		snprintf(en, sizeof(en), "must be a number from %s to %s", a, b);
		return lr_fail_key(c, key, vi, en);
	}
	*out = json_number_value(v);
	return 0;
}

int lr_int(struct lr_ctx *c, json_t *parent, const char *key, int min, int max,
                  int *out)
{
	json_t *v = json_object_get(parent, key);
	char vi[120], en[120];

	if (v == NULL)
		return lr_fail_key(c, key, "thiếu trường bắt buộc", "required field is missing");
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
		snprintf(vi, sizeof(vi), "phải là số nguyên từ %d đến %d", min, max);
		snprintf(en, sizeof(en), "must be a whole number from %d to %d", min, max);
		return lr_fail_key(c, key, vi, en);
	}
	*out = (int)json_integer_value(v);
	return 0;
}

int lr_bool(struct lr_ctx *c, json_t *parent, const char *key, int *out)
{
	json_t *v = json_object_get(parent, key);

	if (v == NULL)
		return lr_fail_key(c, key, "thiếu trường bắt buộc", "required field is missing");
	if (!json_is_boolean(v))
		return lr_fail_key(c, key, "phải là true hoặc false", "must be true or false");
	*out = json_is_true(v);
	return 0;
}

/* Every fact carries "status" (confirmed | assumption) and a "note". */
int lr_status(struct lr_ctx *c, json_t *obj, unsigned char *assumed)
{
	static const char *const statuses[] = { "confirmed", "assumption", NULL };
	const char *note;
	int s, rc;

	if ((rc = lr_enum(c, obj, "status", statuses, &s)) < 0)
		return rc;
	if ((rc = lr_string(c, obj, "note", 0, &note)) < 0)
		return rc;
	*assumed = (unsigned char)(s == 1);
	return 0;
}

/* A stand-alone value {"value": ..., "status": ..., "note": ...} at
 * parent.key: checks the keys and the status; the caller reads "value"
 * with the path pushed to key. */
int lr_fact(struct lr_ctx *c, json_t *parent, const char *key, json_t **obj,
                   unsigned char *assumed)
{
	static const char *const keys[] = { "value", "status", "note", NULL };
	size_t old;
	int rc;

	if ((rc = lr_object(c, parent, key, obj)) < 0)
		return rc;
	old = lr_push(c, key);
	if ((rc = lr_check_keys(c, *obj, keys)) == 0 && (rc = lr_status(c, *obj, assumed)) == 0 &&
	    json_object_get(*obj, "value") == NULL)
		rc = lr_fail_key(c, "value", "thiếu trường bắt buộc", "required field is missing");
	lr_pop(c, old);
	return rc;
}

