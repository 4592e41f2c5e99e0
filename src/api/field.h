/*
 * A resource's input fields as one table: name, type, cap, required and
 * where the value goes in the record.  The same table reads a JSON body, a
 * CSV row and produces the error, which names the field (err->field) so
 * that the form shows it there.  Pure: jansson, csvtab and domain checks.
 *
 *	static const struct field zone_fields[] = {
 *		FIELD_TEXT("reason", struct zone, reason, FIELD_REQUIRED | FIELD_MULTILINE, 2000),
 *		FIELD_DAY("started_on", struct zone, started_on, FIELD_REQUIRED),
 *	};
 *	rc = field_read_json(FIELDS(zone_fields), doc, NULL, today, &z, err);
 */
#ifndef THC_API_FIELD_H
#define THC_API_FIELD_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "base/csvtab.h"
#include "base/error.h"

enum field_type {
	FIELD_TYPE_TEXT,     /* plain text of at most cap bytes -> const char * */
	FIELD_TYPE_ENUM,     /* one of allowed[] -> const char * */
	FIELD_TYPE_DAY,      /* YYYY-MM-DD -> const char * */
	FIELD_TYPE_INT,      /* a whole number in [min, max] -> int64_t */
	FIELD_TYPE_REAL,     /* a number in [min, max] -> double */
	FIELD_TYPE_BOOL,     /* JSON true/false, CSV 1/0/true/false -> int */
	FIELD_TYPE_SKIP,     /* a CSV column that is known and not read */
};

#define FIELD_REQUIRED  0x1u
#define FIELD_MULTILINE 0x2u   /* TEXT: line breaks and tabs allowed */
#define FIELD_PAST      0x4u   /* DAY: 2020-01-01 .. today; INT: a year up to this one */
#define FIELD_JSON_ONLY 0x8u   /* not a CSV column */
#define FIELD_CSV_REQUIRED 0x10u /* required in a CSV row (its key), optional in JSON */
#define FIELD_CSV_ONLY  0x20u  /* a CSV column; JSON bodies give it in the path */

struct field {
	const char *name;              /* JSON member and CSV column */
	enum field_type type;
	unsigned flags;
	size_t at;                     /* offset of the member in the record */
	size_t cap;                    /* TEXT: bytes */
	int64_t min, max;              /* INT, REAL */
	const char *const *allowed;    /* ENUM: NULL-terminated */
	const char *def;               /* TEXT, ENUM, DAY: the value when absent */
	int64_t absent;                /* INT, REAL, BOOL: the value when absent */
	/* TEXT: the domain's own check, given the field's name as shown. */
	int (*check)(const char *field, const char *v, struct error *err);
};

/* A table, and where in the record its struct sits (FIELDS_IN: the person
 * of a case, read from the same CSV row). */
struct field_set {
	const struct field *f;
	size_t n;
	size_t base;
};
#define FIELDS(tab) (&(const struct field_set){ (tab), sizeof(tab) / sizeof((tab)[0]), 0 })
#define FIELDS_IN(tab, T, m) \
	(&(const struct field_set){ (tab), sizeof(tab) / sizeof((tab)[0]), offsetof(T, m) })

/* The member's offset; a member of another type does not compile. */
#define FIELD_AT(T, m, ctype) \
	(offsetof(T, m) + 0 * sizeof(_Generic(&((T *)0)->m, ctype *: 1)))

#define FIELD_TEXT(n, T, m, fl, cap_) \
	{ .name = (n), .type = FIELD_TYPE_TEXT, .flags = (fl), \
	  .at = FIELD_AT(T, m, const char *), .cap = (cap_) }
#define FIELD_CHECKED(n, T, m, fl, cap_, chk) \
	{ .name = (n), .type = FIELD_TYPE_TEXT, .flags = (fl), \
	  .at = FIELD_AT(T, m, const char *), .cap = (cap_), .check = (chk) }
#define FIELD_ENUM(n, T, m, fl, list, dflt) \
	{ .name = (n), .type = FIELD_TYPE_ENUM, .flags = (fl), \
	  .at = FIELD_AT(T, m, const char *), .allowed = (list), .def = (dflt) }
#define FIELD_DAY(n, T, m, fl) \
	{ .name = (n), .type = FIELD_TYPE_DAY, .flags = (fl), \
	  .at = FIELD_AT(T, m, const char *) }
#define FIELD_INT(n, T, m, fl, lo, hi, none) \
	{ .name = (n), .type = FIELD_TYPE_INT, .flags = (fl), \
	  .at = FIELD_AT(T, m, int64_t), .min = (lo), .max = (hi), .absent = (none) }
#define FIELD_REAL(n, T, m, fl, lo, hi, none) \
	{ .name = (n), .type = FIELD_TYPE_REAL, .flags = (fl), \
	  .at = FIELD_AT(T, m, double), .min = (lo), .max = (hi), .absent = (none) }
#define FIELD_BOOL(n, T, m, fl, none) \
	{ .name = (n), .type = FIELD_TYPE_BOOL, .flags = (fl), \
	  .at = FIELD_AT(T, m, int), .absent = (none) }
#define FIELD_SKIP(n) { .name = (n), .type = FIELD_TYPE_SKIP }

/*
 * Reads every field of fs from the JSON object obj into rec: the value, or
 * the field's default when absent, null or "".  prefix names a nested object in
 * errors ("person" gives "person.full_name"); NULL for the body.  today
 * (days since the epoch, Asia/Ho_Chi_Minh) bounds FIELD_PAST.  0 or
 * THC_EUNPROCESSABLE naming the field; obj not an object is refused too.
 */
int field_read_json(const struct field_set *fs, json_t *obj, const char *prefix,
                    int32_t today, void *rec, struct error *err);

/* The object member `name` of doc read as above ("name.field" in errors);
 * missing or not an object is refused. */
int field_read_json_member(const struct field_set *fs, json_t *doc, const char *name,
                           int32_t today, void *rec, struct error *err);

/* Item i of the array `array` of a body read as above ("array[i].field"). */
int field_read_json_item(const struct field_set *fs, json_t *item, const char *array, size_t i,
                         int32_t today, void *rec, struct error *err);

/* The same from row `row` of a CSV table (an empty cell is absent); the
 * error names the line and the column. */
int field_read_csv(const struct field_set *fs, const struct csvtab *t, size_t row,
                   int32_t today, void *rec, struct error *err);

/* Every field of fs in rec set to its value when absent. */
void field_defaults(const struct field_set *fs, void *rec);

/*
 * The CSV columns of the sets, for csvtab_read_*: every column into known
 * and the required ones into required, each NULL-terminated; both hold at
 * least cap entries.  THC_EINTERNAL when cap is too small.
 */
int field_columns(const struct field_set *const *sets, size_t nsets, const char **known,
                  const char **required, size_t cap);

#endif
