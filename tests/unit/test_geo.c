/* Unit boundaries (domain/geo.h): read by code, all or nothing. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "domain/geo.h"
#include "base/banned.h"

#define POLY "{\"type\":\"Polygon\",\"coordinates\":[[[105,21],[106,21],[106,22],[105,21]]]}"

static int add(struct geo_boundaries *b, const char *text, struct error *err)
{
	return geo_boundaries_add(b, text, strlen(text), err);
}

static void test_lookup(void **state)
{
	struct geo_boundaries *b = geo_boundaries_new();
	struct error err = ERROR_INIT;

	(void)state;
	assert_int_equal(add(b, "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
	                        "\"properties\":{\"code\":\"01\"},\"geometry\":" POLY "}]}", &err), 0);
	assert_int_equal(add(b, "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
	                        "\"properties\":{\"code\":\"001\"},\"geometry\":" POLY "}]}", &err), 0);
	assert_int_equal(geo_boundaries_count(b), 2);
	assert_string_equal(json_string_value(json_object_get(geo_boundary(b, "001"), "type")),
	                    "Polygon");
	assert_null(geo_boundary(b, "00001"));
	geo_boundaries_free(b);
}

static void test_refused_whole(void **state)
{
	struct geo_boundaries *b = geo_boundaries_new();
	struct error err = ERROR_INIT;

	(void)state;
	assert_int_equal(add(b, "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
	                        "\"properties\":{\"code\":\"01\"},\"geometry\":" POLY "}]}", &err), 0);
	/* A good feature, then one without a code: neither is added. */
	assert_int_equal(add(b, "{\"type\":\"FeatureCollection\",\"features\":["
	                        "{\"properties\":{\"code\":\"79\"},\"geometry\":" POLY "},"
	                        "{\"properties\":{},\"geometry\":" POLY "}]}", &err), THC_EINVAL);
	assert_non_null(strstr(err.en, "feature 1"));
	assert_null(geo_boundary(b, "79"));
	/* A code already there. */
	assert_int_equal(add(b, "{\"type\":\"FeatureCollection\",\"features\":["
	                        "{\"properties\":{\"code\":\"01\"},\"geometry\":" POLY "}]}", &err),
	                 THC_EINVAL);
	assert_non_null(strstr(err.en, "code '01' is repeated"));
	assert_int_equal(add(b, "{\"type\":\"Feature\"}", &err), THC_EINVAL);
	assert_non_null(strstr(err.en, "FeatureCollection"));
	assert_int_equal(add(b, "{", &err), THC_EINVAL);
	assert_int_equal(geo_boundaries_count(b), 1);
	geo_boundaries_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_refused_whole),
	};

	return cmocka_run_group_tests_name("geo", tests, NULL, NULL);
}
