/*
 * Field tables: one reader for JSON bodies and one for CSV rows, sharing the
 * checks of each type, so that a value is refused the same way whichever
 * way it came in.
 */
#include <jansson.h>
#include <stdint.h>
#include <string.h>

#include "api/field.h"
#include "base/parse.h"
#include "base/text.h"
#include "base/vntime.h"
#include "domain/case.h"
#include "base/banned.h"

#define FIELD_NAME_MAX 64

/* The member of f in rec (the readers have added the set's base). */
static void *slot(void *rec, const struct field *f)
{
	return (char *)rec + f->at;
}

/* The value when absent. */
static void field_absent(const struct field *f, void *rec)
{
	switch (f->type) {
	case FIELD_TYPE_TEXT: case FIELD_TYPE_ENUM: case FIELD_TYPE_DAY:
		*(const char **)slot(rec, f) = f->def;
		break;
	case FIELD_TYPE_INT:
		*(int64_t *)slot(rec, f) = f->absent;
		break;
	case FIELD_TYPE_REAL:
		*(double *)slot(rec, f) = (double)f->absent;
		break;
	case FIELD_TYPE_BOOL:
		*(int *)slot(rec, f) = (int)f->absent;
		break;
	case FIELD_TYPE_SKIP:
		break;
	}
}

static int field_fail(struct error *err, const char *shown, const char *vi, const char *en,
                      const char *v)
{
	error_set(err, THC_EUNPROCESSABLE, vi, en, v);
	return error_in_field(err, shown);
}

/* INT with FIELD_PAST: a year, at most this one. */
static int64_t field_max(const struct field *f, int32_t today)
{
	int64_t y = vndate_from_days(today).year;

	return (f->flags & FIELD_PAST) && y < f->max ? y : f->max;
}

static int field_range(const struct field *f, const char *shown, int32_t today,
                       struct error *err)
{
	error_set(err, THC_EUNPROCESSABLE, "phải từ %lld đến %lld",
	          "must be from %lld to %lld", (long long)f->min, (long long)field_max(f, today));
	return error_in_field(err, shown);
}

/* The checks of a text value (TEXT, ENUM, DAY), however it came in. */
static int field_text(const struct field *f, const char *shown, const char *v, size_t len,
                      int32_t today, void *rec, struct error *err)
{
	uint32_t bad = 0;
	long at;

	if (strlen(v) != len)
		return field_fail(err, shown, "có ký tự NUL", "contains a NUL character", NULL);
	if (f->type == FIELD_TYPE_TEXT && f->cap && len > f->cap) {
		error_set(err, THC_EUNPROCESSABLE, "dài quá %zu byte", "is longer than %zu bytes",
		          f->cap);
		return error_in_field(err, shown);
	}
	/* No terminal escapes or bidirectional overrides in anything stored
	 * and shown to others. */
	if ((at = text_plain_check(v, len, (f->flags & FIELD_MULTILINE) != 0, &bad)) >= 0) {
		error_set(err, THC_EUNPROCESSABLE,
		          "có ký tự điều khiển hoặc không hợp lệ (U+%04X) ở byte %ld",
		          "contains a control or invalid character (U+%04X) at byte %ld",
		          (unsigned)bad, at + 1);
		return error_in_field(err, shown);
	}
	if (f->type == FIELD_TYPE_ENUM && case_check_enum(shown, v, f->allowed, err) < 0)
		return err->code;
	if (f->type == FIELD_TYPE_DAY) {
		struct vndate d;

		if (f->flags & FIELD_PAST) {
			if (case_check_day(shown, v, today, NULL, err) < 0)
				return err->code;
		} else if (vndate_parse(v, &d) < 0) {
			return field_fail(err, shown, "'%.20s' không phải ngày YYYY-MM-DD",
			                  "'%.20s' is not a date YYYY-MM-DD", v);
		}
	}
	if (f->check && f->check(shown, v, err) < 0)
		return err->code;
	*(const char **)slot(rec, f) = v;
	return 0;
}

/* The field's name as errors show it: "person.full_name"; "@detected_on"
 * for a CSV column (sep ""). */
static int field_shown(char *out, size_t outsz, const char *prefix, const char *sep,
                       const char *name, struct error *err)
{
	if (text_fmt(out, outsz, "%s%s%s", prefix ? prefix : "", prefix ? sep : "", name) < 0)
		return error_set(err, THC_EINTERNAL, "tên trường quá dài", "field name too long");
	return 0;
}

static int field_json_one(const struct field *f, json_t *v, const char *shown, int32_t today,
                          void *rec, struct error *err)
{
	switch (f->type) {
	case FIELD_TYPE_TEXT: case FIELD_TYPE_ENUM: case FIELD_TYPE_DAY:
		if (!json_is_string(v))
			return field_fail(err, shown, "phải là chuỗi", "must be a string", NULL);
		return field_text(f, shown, json_string_value(v), json_string_length(v), today, rec,
		                  err);
	case FIELD_TYPE_INT:
		if (!json_is_integer(v))
			return field_fail(err, shown, "phải là số nguyên", "must be a whole number", NULL);
		if (json_integer_value(v) < f->min || json_integer_value(v) > field_max(f, today))
			return field_range(f, shown, today, err);
		*(int64_t *)slot(rec, f) = json_integer_value(v);
		return 0;
	case FIELD_TYPE_REAL:
		if (!json_is_number(v))
			return field_fail(err, shown, "phải là số", "must be a number", NULL);
		if (json_number_value(v) < (double)f->min || json_number_value(v) > (double)f->max)
			return field_range(f, shown, today, err);
		*(double *)slot(rec, f) = json_number_value(v);
		return 0;
	case FIELD_TYPE_BOOL:
		if (!json_is_boolean(v))
			return field_fail(err, shown, "phải là true hoặc false", "must be true or false",
			                  NULL);
		*(int *)slot(rec, f) = json_is_true(v);
		return 0;
	case FIELD_TYPE_SKIP:
		return 0;
	}
	return 0;
}

int field_read_json(const struct field_set *fs, json_t *obj, const char *prefix,
                    int32_t today, void *whole, struct error *err)
{
	char shown[FIELD_NAME_MAX];
	void *rec = (char *)whole + fs->base;

	if (!json_is_object(obj)) {
		if (prefix == NULL)
			return error_set(err, THC_EUNPROCESSABLE, "nội dung JSON phải là một đối tượng",
			                 "the JSON body must be an object");
		error_set(err, THC_EUNPROCESSABLE, "phải là một đối tượng", "must be an object");
		return error_in_field(err, prefix);
	}
	for (size_t i = 0; i < fs->n; i++) {
		const struct field *f = &fs->f[i];
		json_t *v = json_object_get(obj, f->name);
		int rc;

		if (f->type == FIELD_TYPE_SKIP || (f->flags & FIELD_CSV_ONLY))
			continue;
		if ((rc = field_shown(shown, sizeof(shown), prefix, ".", f->name, err)) < 0)
			return rc;
		field_absent(f, rec);
		/* "" is what a form sends for a box left empty: absent, as in CSV. */
		if (v == NULL || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0)) {
			if (f->flags & FIELD_REQUIRED)
				return field_fail(err, shown, "thiếu giá trị", "is missing", NULL);
			continue;
		}
		if ((rc = field_json_one(f, v, shown, today, rec, err)) < 0)
			return rc;
	}
	return 0;
}

int field_read_json_member(const struct field_set *fs, json_t *doc, const char *name,
                           int32_t today, void *rec, struct error *err)
{
	json_t *o = json_object_get(doc, name);

	if (o == NULL || json_is_null(o))
		return field_fail(err, name, "thiếu giá trị (một đối tượng)",
		                  "is missing (an object)", NULL);
	return field_read_json(fs, o, name, today, rec, err);
}

int field_read_json_item(const struct field_set *fs, json_t *item, const char *array, size_t i,
                         int32_t today, void *rec, struct error *err)
{
	char at[FIELD_NAME_MAX];

	if (text_fmt(at, sizeof(at), "%s[%zu]", array, i) < 0)
		return error_set(err, THC_EINTERNAL, "tên trường quá dài", "field name too long");
	return field_read_json(fs, item, at, today, rec, err);
}

static int field_csv_one(const struct field *f, const char *v, const char *shown,
                         int32_t today, void *rec, struct error *err)
{
	double d;

	switch (f->type) {
	case FIELD_TYPE_TEXT: case FIELD_TYPE_ENUM: case FIELD_TYPE_DAY:
		return field_text(f, shown, v, strlen(v), today, rec, err);
	case FIELD_TYPE_INT:
		if (parse_int64(v, f->min, field_max(f, today), (int64_t *)slot(rec, f)) < 0) {
			error_set(err, THC_EUNPROCESSABLE,
			          "'%.20s' phải là số nguyên từ %lld đến %lld",
			          "'%.20s' must be a whole number from %lld to %lld", v,
			          (long long)f->min, (long long)field_max(f, today));
			return error_in_field(err, shown);
		}
		return 0;
	case FIELD_TYPE_REAL:
		if (parse_double(v, (double)f->min, (double)f->max, &d) < 0) {
			error_set(err, THC_EUNPROCESSABLE, "'%.20s' phải là số từ %lld đến %lld",
			          "'%.20s' must be a number from %lld to %lld", v, (long long)f->min,
			          (long long)f->max);
			return error_in_field(err, shown);
		}
		*(double *)slot(rec, f) = d;
		return 0;
	case FIELD_TYPE_BOOL:
		if (strcmp(v, "1") == 0 || strcmp(v, "true") == 0)
			*(int *)slot(rec, f) = 1;
		else if (strcmp(v, "0") == 0 || strcmp(v, "false") == 0)
			*(int *)slot(rec, f) = 0;
		else
			return field_fail(err, shown, "'%.20s' phải là 1, 0, true hoặc false",
			                  "'%.20s' must be 1, 0, true or false", v);
		return 0;
	case FIELD_TYPE_SKIP:
		return 0;
	}
	return 0;
}

int field_read_csv(const struct field_set *fs, const struct csvtab *t, size_t row,
                   int32_t today, void *whole, struct error *err)
{
	char shown[FIELD_NAME_MAX];
	void *rec = (char *)whole + fs->base;

	for (size_t i = 0; i < fs->n; i++) {
		const struct field *f = &fs->f[i];
		const char *v;
		size_t n;
		int rc = 0;

		if (f->type == FIELD_TYPE_SKIP || (f->flags & FIELD_JSON_ONLY))
			continue;
		/* "@name" by hand: a printf per cell was a tenth of a big import. */
		if ((n = strlen(f->name)) + 2 > sizeof(shown))
			return error_set(err, THC_EINTERNAL, "tên trường quá dài", "field name too long");
		shown[0] = '@';
		memcpy(shown + 1, f->name, n + 1);
		field_absent(f, rec);
		v = csvtab_get(t, row, f->name);
		if (v == NULL || v[0] == '\0') {
			if (f->flags & (FIELD_REQUIRED | FIELD_CSV_REQUIRED))
				rc = field_fail(err, shown, "thiếu giá trị", "is missing", NULL);
		} else {
			rc = field_csv_one(f, v, shown, today, rec, err);
		}
		if (rc < 0) {
			error_prefix(err, "dòng %ld: ", "line %ld: ", t->lines[row]);
			return rc;
		}
	}
	return 0;
}

void field_defaults(const struct field_set *fs, void *whole)
{
	for (size_t i = 0; i < fs->n; i++)
		field_absent(&fs->f[i], (char *)whole + fs->base);
}

int field_columns(const struct field_set *const *sets, size_t nsets, const char **known,
                  const char **required, size_t cap)
{
	size_t nk = 0, nr = 0;

	for (size_t s = 0; s < nsets; s++)
		for (size_t i = 0; i < sets[s]->n; i++) {
			const struct field *f = &sets[s]->f[i];

			if (f->flags & FIELD_JSON_ONLY)
				continue;
			if (nk + 1 >= cap)
				return THC_EINTERNAL;
			known[nk++] = f->name;
			if (f->flags & (FIELD_REQUIRED | FIELD_CSV_REQUIRED))
				required[nr++] = f->name;
		}
	known[nk] = required[nr] = NULL;
	return 0;
}
