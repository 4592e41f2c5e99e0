/*
 * JSON request bodies: what the server does with every body before a
 * handler sees it (src/http/json.c parses, src/api/field.c reads the
 * fields of a table).  Invariants: a body either parses to an object or
 * fails with an error that names where (valid UTF-8); reading a table of
 * every field type either fills each member with a value of its type within
 * its bounds (the string exactly as jansson holds it, plain text within its
 * cap) or its default, or fails naming one of the table's fields.  The same
 * holds for a nested object ("person") and array items ("items[i]").
 */
#include <jansson.h>
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "api/field.h"
#include "base/vntime.h"
#include "domain/case.h"
#include "http/json.h"

struct rec {
	const char *line, *multi, *kind, *day, *past, *idn;
	int64_t n, year;
	double x;
	int flag;
};

static const char *const kinds[] = { "a", "b", NULL };

static const struct field fields[] = {
	FIELD_TEXT("line", struct rec, line, 0, 16),
	FIELD_TEXT("multi", struct rec, multi, FIELD_MULTILINE, 0),
	FIELD_ENUM("kind", struct rec, kind, 0, kinds, "a"),
	FIELD_DAY("day", struct rec, day, 0),
	FIELD_DAY("past", struct rec, past, FIELD_PAST),
	FIELD_CHECKED("idn", struct rec, idn, 0, 12, case_check_id_number),
	FIELD_INT("n", struct rec, n, 0, -1000, 1000, -5000),
	FIELD_INT("year", struct rec, year, FIELD_PAST, 1890, 9999, -1),
	FIELD_REAL("x", struct rec, x, 0, -10, 10, -99),
	FIELD_BOOL("flag", struct rec, flag, 0, -1),
};

static void check_text(json_t *obj, const char *name, const char *v, size_t cap, bool multi)
{
	json_t *j = json_object_get(obj, name);
	uint32_t bad;

	if (v == NULL)
		return;
	FUZZ_CHECK(j && json_is_string(j) && v == json_string_value(j));
	FUZZ_CHECK(strlen(v) == json_string_length(j));
	FUZZ_CHECK(cap == 0 || strlen(v) <= cap);
	FUZZ_CHECK(text_plain_check(v, strlen(v), multi, &bad) < 0);
}

static void check_day(const char *v, int32_t today, bool past)
{
	struct vndate d, first;

	if (v == NULL)
		return;
	FUZZ_CHECK(vndate_parse(v, &d) == 0);
	vndate_parse(CASE_FIRST_DAY, &first);
	FUZZ_CHECK(!past || (vndate_to_days(d) <= today && vndate_to_days(d) >= vndate_to_days(first)));
}

static void check_rec(json_t *obj, const struct rec *r, int32_t today)
{
	check_text(obj, "line", r->line, 16, false);
	check_text(obj, "multi", r->multi, 0, true);
	FUZZ_CHECK(strcmp(r->kind, "a") == 0 || strcmp(r->kind, "b") == 0);
	check_day(r->day, today, false);
	check_day(r->past, today, true);
	FUZZ_CHECK(r->idn == NULL || strlen(r->idn) == 9 || strlen(r->idn) == 12);
	FUZZ_CHECK(r->n == -5000 || (r->n >= -1000 && r->n <= 1000));
	FUZZ_CHECK(r->year == -1 || (r->year >= 1890 && r->year <= vndate_from_days(today).year));
	FUZZ_CHECK(r->x == -99 || (r->x >= -10 && r->x <= 10));
	FUZZ_CHECK(r->flag == -1 || r->flag == 0 || r->flag == 1);
}

/* A failure names one of the fields, under its prefix. */
static void check_failure(const struct error *err, int rc, const char *prefix)
{
	size_t p = prefix ? strlen(prefix) : 0;
	const char *name = err->field + (p ? p + 1 : 0);
	bool known = false;

	fuzz_check_error(err, rc);
	FUZZ_CHECK(rc == THC_EUNPROCESSABLE);
	FUZZ_CHECK(p == 0 || strncmp(err->field, prefix, p) == 0);
	if (p && strcmp(err->field, prefix) == 0)
		return;           /* the nested object itself is missing or not an object */
	FUZZ_CHECK(p == 0 || err->field[p] == '.');
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		known = known || strcmp(name, fields[i].name) == 0;
	FUZZ_CHECK(known);
}

static void read_one(json_t *obj, const char *prefix, int32_t today)
{
	struct error err = ERROR_INIT;
	struct rec r;
	int rc;

	memset(&r, 0, sizeof(r));
	rc = prefix ? field_read_json_member(FIELDS(fields), obj, prefix, today, &r, &err)
	            : field_read_json(FIELDS(fields), obj, NULL, today, &r, &err);
	if (rc == 0)
		check_rec(prefix ? json_object_get(obj, prefix) : obj, &r, today);
	else
		check_failure(&err, rc, prefix);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct error err = ERROR_INIT;
	struct vndate d = { 2024, 6, 30 };
	int32_t today = vndate_to_days(d);
	json_t *doc = NULL, *items, *item;
	size_t i;
	int rc = json_body_parse((const char *)data, size, &doc, &err);

	if (rc < 0) {
		fuzz_check_error(&err, rc);
		FUZZ_CHECK(doc == NULL);
		return 0;
	}
	FUZZ_CHECK(rc == 0 && json_is_object(doc));
	read_one(doc, NULL, today);
	read_one(doc, "person", today);
	items = json_object_get(doc, "items");
	json_array_foreach(items, i, item) {
		struct rec r;

		memset(&r, 0, sizeof(r));
		error_clear(&err);
		rc = field_read_json_item(FIELDS(fields), item, "items", i, today, &r, &err);
		if (rc == 0) {
			check_rec(item, &r, today);
		} else {
			char at[32];

			FUZZ_CHECK(text_fmt(at, sizeof(at), "items[%zu]", i) == 0);
			check_failure(&err, rc, at);
		}
	}
	json_decref(doc);
	return 0;
}
