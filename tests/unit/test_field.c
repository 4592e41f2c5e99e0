/*
 * Field tables (src/api/field.c): one table reads a JSON body and a CSV row
 * to the same record, with the same checks, and the error names the field.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "api/field.h"
#include "base/vntime.h"
#include "domain/case.h"

struct inner {
	const char *name;
};

struct rec {
	const char *code, *note, *sex, *day, *seen, *key, *idn;
	int64_t n, year;
	double pct;
	int flag;
	struct inner in;
	long line;
};

static const struct field rec_fields[] = {
	FIELD_TEXT("code", struct rec, code, FIELD_REQUIRED, 8),
	FIELD_TEXT("note", struct rec, note, FIELD_MULTILINE, 0),
	FIELD_ENUM("sex", struct rec, sex, 0, case_sexes, "other"),
	FIELD_DAY("day", struct rec, day, 0),
	FIELD_DAY("seen", struct rec, seen, FIELD_PAST),
	FIELD_TEXT("key", struct rec, key, FIELD_CSV_REQUIRED, 16),
	FIELD_CHECKED("idn", struct rec, idn, 0, 12, case_check_id_number),
	FIELD_INT("n", struct rec, n, 0, 0, 100, -1),
	FIELD_INT("year", struct rec, year, FIELD_PAST, 1890, 9999, -1),
	FIELD_REAL("pct", struct rec, pct, 0, 0, 100, -1),
	FIELD_BOOL("flag", struct rec, flag, 0, -1),
	FIELD_SKIP("comment"),
};

static const struct field json_only[] = {
	FIELD_TEXT("extra", struct rec, note, FIELD_JSON_ONLY, 10),
};

static const struct field inner_fields[] = {
	FIELD_TEXT("name", struct inner, name, FIELD_REQUIRED, 20),
};

static int32_t today(void)
{
	struct vndate d;

	vndate_parse("2022-03-01", &d);
	return vndate_to_days(d);
}

static json_t *parse(const char *text)
{
	json_error_t je;
	json_t *doc = json_loads(text, JSON_ALLOW_NUL, &je);   /* NUL: the check behind jansson's */

	assert_non_null(doc);
	return doc;
}

/* Reads text as JSON into r: the return code. */
static int from_json(const char *text, struct rec *r, struct error *err)
{
	json_t *doc = parse(text);
	int rc;

	memset(r, 0, sizeof(*r));
	error_clear(err);
	rc = field_read_json(FIELDS(rec_fields), doc, NULL, today(), r, err);
	json_decref(doc);       /* strings are not looked at after a failure */
	return rc;
}

static void csv_table(struct csvtab *t, const char *text)
{
	const char *known[32], *required[32];
	const struct field_set *const sets[] = { FIELDS(rec_fields),
	                                         FIELDS_IN(inner_fields, struct rec, in) };
	struct error err = ERROR_INIT;

	assert_int_equal(field_columns(sets, 2, known, required, 32), 0);
	assert_int_equal(csvtab_read_mem(t, text, strlen(text), known, required, 100, &err), 0);
}

static void test_json_and_csv_agree(void **state)
{
	struct error err = ERROR_INIT;
	json_t *doc = parse("{\"code\":\"00001\",\"note\":\"a\\nb\",\"sex\":\"female\","
	                    "\"day\":\"2030-01-01\",\"seen\":\"2021-07-01\",\"key\":\"K1\","
	                    "\"idn\":\"001099123456\",\"n\":7,\"year\":1990,\"pct\":92.5,"
	                    "\"flag\":true,\"name\":\"Lan\"}");
	struct rec j = { 0 }, c = { 0 };
	struct csvtab t;

	(void)state;
	assert_int_equal(field_read_json(FIELDS(rec_fields), doc, NULL, today(), &j, &err), 0);
	csv_table(&t, "code,note,sex,day,seen,key,idn,n,year,pct,flag,name,comment\n"
	              "00001,\"a\nb\",female,2030-01-01,2021-07-01,K1,001099123456,7,1990,92.5,1,Lan,x\n");
	assert_int_equal(field_read_csv(FIELDS(rec_fields), &t, 0, today(), &c, &err), 0);
	assert_int_equal(field_read_csv(FIELDS_IN(inner_fields, struct rec, in), &t, 0, today(),
	                                &c, &err), 0);
	assert_string_equal(j.code, "00001");
	assert_string_equal(c.code, j.code);
	assert_string_equal(c.note, "a\nb");
	assert_string_equal(c.sex, j.sex);
	assert_string_equal(c.day, j.day);
	assert_string_equal(c.seen, j.seen);
	assert_string_equal(c.key, "K1");
	assert_string_equal(c.idn, j.idn);
	assert_int_equal(c.n, 7);
	assert_int_equal(j.n, 7);
	assert_int_equal(c.year, 1990);
	assert_true(c.pct == 92.5 && j.pct == 92.5);
	assert_int_equal(c.flag, 1);
	assert_int_equal(j.flag, 1);
	assert_string_equal(c.in.name, "Lan");     /* FIELDS_IN: the nested struct */
	csvtab_release(&t);
	json_decref(doc);
}

static void test_defaults(void **state)
{
	struct error err = ERROR_INIT;
	struct rec r;

	(void)state;
	/* null and "" are absent, like an empty CSV cell. */
	assert_int_equal(from_json("{\"code\":\"X\",\"note\":\"\",\"sex\":null,\"n\":null}", &r, &err), 0);
	assert_null(r.note);
	assert_string_equal(r.sex, "other");
	assert_null(r.day);
	assert_null(r.key);                          /* required in CSV only */
	assert_int_equal(r.n, -1);
	assert_int_equal(r.year, -1);
	assert_true(r.pct == -1);
	assert_int_equal(r.flag, -1);
	memset(&r, 0x5a, sizeof(r));
	field_defaults(FIELDS(rec_fields), &r);
	assert_null(r.code);
	assert_int_equal(r.n, -1);
}

/* The JSON error for body: its code, the field named and a word of the message. */
static void expect_json(const char *body, const char *field, const char *word)
{
	struct error err = ERROR_INIT;
	struct rec r;

	assert_int_equal(from_json(body, &r, &err), THC_EUNPROCESSABLE);
	assert_string_equal(err.field, field);
	if (strstr(err.en, word) == NULL)
		fail_msg("'%s' not in '%s'", word, err.en);
	assert_non_null(strstr(err.en, "field '"));
}

static void test_json_errors(void **state)
{
	(void)state;
	expect_json("{}", "code", "is missing");
	expect_json("{\"code\":5}", "code", "must be a string");
	expect_json("{\"code\":\"123456789\"}", "code", "longer than 8 bytes");
	expect_json("{\"code\":\"a\\nb\"}", "code", "U+000A");        /* one line */
	expect_json("{\"code\":\"a\\u202eb\"}", "code", "U+202E");    /* bidi override */
	expect_json("{\"code\":\"a\\u0000b\"}", "code", "NUL");
	expect_json("{\"code\":\"X\",\"note\":\"a\\u001bb\"}", "note", "U+001B");
	expect_json("{\"code\":\"X\",\"sex\":\"m\"}", "sex", "male|female|other");
	expect_json("{\"code\":\"X\",\"day\":\"01/02/2021\"}", "day", "YYYY-MM-DD");
	expect_json("{\"code\":\"X\",\"seen\":\"2022-03-02\"}", "seen", "future");
	expect_json("{\"code\":\"X\",\"seen\":\"2019-12-31\"}", "seen", "2020-01-01");
	expect_json("{\"code\":\"X\",\"idn\":\"12345\"}", "idn", "12 or 9 digits");
	expect_json("{\"code\":\"X\",\"n\":\"7\"}", "n", "whole number");
	expect_json("{\"code\":\"X\",\"n\":101}", "n", "from 0 to 100");
	expect_json("{\"code\":\"X\",\"n\":1.5}", "n", "whole number");
	expect_json("{\"code\":\"X\",\"year\":2023}", "year", "from 1890 to 2022");    /* PAST: this year */
	expect_json("{\"code\":\"X\",\"pct\":100.5}", "pct", "from 0 to 100");
	expect_json("{\"code\":\"X\",\"pct\":\"1\"}", "pct", "a number");
	expect_json("{\"code\":\"X\",\"flag\":1}", "flag", "true or false");
}

static void test_nested_and_items(void **state)
{
	struct error err = ERROR_INIT;
	json_t *doc = parse("{\"person\":{\"name\":\"\"},\"items\":[{\"name\":\"a\"},{\"name\":3}]}");
	json_t *missing = parse("{\"x\":1}");
	struct inner in;

	(void)state;
	assert_int_equal(field_read_json_member(FIELDS(inner_fields), doc, "person", today(), &in,
	                                        &err), THC_EUNPROCESSABLE);
	assert_string_equal(err.field, "person.name");
	assert_non_null(strstr(err.en, "field 'person.name': is missing"));
	assert_int_equal(field_read_json_member(FIELDS(inner_fields), missing, "person", today(),
	                                        &in, &err), THC_EUNPROCESSABLE);
	assert_string_equal(err.field, "person");
	assert_int_equal(field_read_json_item(FIELDS(inner_fields),
	                                      json_array_get(json_object_get(doc, "items"), 0),
	                                      "items", 0, today(), &in, &err), 0);
	assert_string_equal(in.name, "a");
	assert_int_equal(field_read_json_item(FIELDS(inner_fields),
	                                      json_array_get(json_object_get(doc, "items"), 1),
	                                      "items", 1, today(), &in, &err), THC_EUNPROCESSABLE);
	assert_string_equal(err.field, "items[1].name");
	assert_int_equal(field_read_json(FIELDS(inner_fields), json_object_get(doc, "items"),
	                                 "items", today(), &in, &err), THC_EUNPROCESSABLE);
	assert_string_equal(err.field, "items");        /* not an object */
	json_decref(doc);
	json_decref(missing);
}

/* The CSV error of a one-row table: line 2, the column named. */
static void expect_csv(const char *head, const char *row, const char *field, const char *word)
{
	char text[512];
	struct error err = ERROR_INIT;
	struct csvtab t;
	struct rec r;

	snprintf(text, sizeof(text), "%s\n%s\n", head, row);
	csv_table(&t, text);
	assert_int_equal(field_read_csv(FIELDS(rec_fields), &t, 0, today(), &r, &err),
	                 THC_EUNPROCESSABLE);
	assert_string_equal(err.field, field);
	if (strstr(err.en, word) == NULL || strncmp(err.en, "line 2: column ", 15) != 0)
		fail_msg("'%s' not in '%s'", word, err.en);
	csvtab_release(&t);
}

static void test_csv_errors(void **state)
{
	(void)state;
	expect_csv("code,key,name", ",K,a", "code", "is missing");
	expect_csv("code,key,name", "X,,a", "key", "is missing");        /* the row's key */
	expect_csv("code,key,n,name", "X,K,7.5,a", "n", "whole number from 0 to 100");
	expect_csv("code,key,pct,name", "X,K,abc,a", "pct", "number from 0 to 100");
	expect_csv("code,key,flag,name", "X,K,yes,a", "flag", "1, 0, true or false");
	expect_csv("code,key,seen,name", "X,K,2023-01-01,a", "seen", "future");
	expect_csv("code,key,year,name", "X,K,2023,a", "year", "from 1890 to 2022");
	expect_csv("code,key,sex,name", "X,K,M,a", "sex", "male|female|other");
}

static void test_columns(void **state)
{
	const char *known[8], *required[8];
	const struct field_set *const sets[] = { FIELDS(inner_fields), FIELDS(json_only),
	                                         FIELDS(rec_fields) };

	(void)state;
	assert_int_equal(field_columns(sets, 1, known, required, 8), 0);
	assert_string_equal(known[0], "name");
	assert_null(known[1]);
	assert_string_equal(required[0], "name");
	assert_null(required[1]);
	assert_int_equal(field_columns(sets, 2, known, required, 8), 0);
	assert_null(known[1]);                        /* JSON only: not a column */
	assert_int_equal(field_columns(sets, 3, known, required, 8), THC_EINTERNAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_and_csv_agree),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_json_errors),
		cmocka_unit_test(test_nested_and_items),
		cmocka_unit_test(test_csv_errors),
		cmocka_unit_test(test_columns),
	};

	return cmocka_run_group_tests_name("field", tests, NULL, NULL);
}
