/* Open311 and API keys, the pure parts (domain/open311.h, domain/apikey.h):
 * suffixes, statuses, W3C datetimes, the XML form of a reply, the key's
 * form and the per-key window. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "domain/apikey.h"
#include "domain/open311.h"
#include "base/banned.h"

static void test_split(void **state)
{
	enum open311_format f;
	size_t n;

	(void)state;
	assert_int_equal(open311_split("shortage.json", &n, &f), 0);
	assert_int_equal(n, 8);
	assert_int_equal(f, OPEN311_JSON);
	assert_int_equal(open311_split("a.b.xml", &n, &f), 0);
	assert_int_equal(n, 3);
	assert_int_equal(f, OPEN311_XML);
	assert_int_equal(open311_split("shortage.csv", &n, &f), -1);
	assert_int_equal(open311_split("shortage", &n, &f), -1);
	assert_int_equal(open311_split(".json", &n, &f), -1);
	assert_int_equal(open311_split(NULL, &n, &f), -1);
}

static void test_status(void **state)
{
	(void)state;
	assert_string_equal(open311_status("new"), "open");
	assert_string_equal(open311_status("acknowledged"), "open");
	assert_string_equal(open311_status("in_progress"), "open");
	assert_string_equal(open311_status("answered"), "closed");
	assert_string_equal(open311_status("closed"), "closed");
	assert_string_equal(open311_status("rejected"), "closed");
	assert_null(open311_status("pending"));
	assert_null(open311_status(NULL));
}

static void test_datetime(void **state)
{
	char s[OPEN311_DATETIME_MAX];

	(void)state;
	open311_datetime(0, s);
	assert_string_equal(s, "1970-01-01T07:00:00+07:00");
	/* 2021-10-13T01:15:30.999Z: fraction dropped, VN time */
	open311_datetime(1634087730999LL, s);
	assert_string_equal(s, "2021-10-13T08:15:30+07:00");
	/* 17:00Z is midnight of the next VN day */
	open311_datetime(1634144400000LL, s);
	assert_string_equal(s, "2021-10-14T00:00:00+07:00");
}

static void test_xml(void **state)
{
	struct strbuf sb = STRBUF_INIT(1 << 16);
	json_t *v = json_pack("[{s:s,s:n,s:f,s:b,s:[s,s]}]", "description", "a<b & \"c\"\x01\n",
	                      "zipcode", "lat", 21.5, "metadata", 1, "formats", "text/xml",
	                      "application/json");

	(void)state;
	assert_int_equal(open311_xml(&sb, "service_requests", v), 0);
	assert_int_equal(strbuf_addch(&sb, '\0'), 0);
	assert_string_equal(sb.buf, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	                    "<service_requests><request><description>a&lt;b &amp; \"c\"\n"
	                    "</description><zipcode/><lat>21.5</lat><metadata>true</metadata>"
	                    "<formats><format>text/xml</format><format>application/json</format>"
	                    "</formats></request></service_requests>");
	json_decref(v);
	strbuf_release(&sb);
	assert_string_equal(open311_item_name("services"), "service");
	assert_string_equal(open311_item_name("errors"), "error");
	assert_null(open311_item_name("description"));
}

static void test_key_form(void **state)
{
	unsigned char b[APIKEY_RANDOM_BYTES];
	char k[APIKEY_LEN + 1];

	(void)state;
	memset(b, 0, sizeof(b));
	apikey_format(b, k);
	assert_string_equal(k, "thc_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	memset(b, 0xff, sizeof(b));
	apikey_format(b, k);
	assert_string_equal(k, "thc_77777777777777777777777777777777");
	assert_true(apikey_well_formed(k));
	k[10] = 'A';                   /* not of the alphabet */
	assert_false(apikey_well_formed(k));
	assert_false(apikey_well_formed("thc_abc"));
	assert_false(apikey_well_formed(NULL));
	assert_false(apikey_well_formed("xyz_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
	assert_non_null(apikey_scope("open311"));
	assert_non_null(apikey_scope("dhis2"));
	assert_null(apikey_scope("admin"));
}

static void test_window(void **state)
{
	struct apikey_window w = { 0, 0 };
	int64_t t = 1000000;

	(void)state;
	for (int i = 1; i <= 3; i++) {
		w = apikey_window_next(w, t + i);
		assert_int_equal(w.count, i);
		assert_true(apikey_window_allowed(w, 3));
	}
	w = apikey_window_next(w, t + 10);
	assert_false(apikey_window_allowed(w, 3));
	assert_int_equal(w.start_ms, t + 1);
	assert_int_equal(apikey_window_wait_ms(w, t + 10), APIKEY_WINDOW_MS - 9);
	/* a minute after the window's first request, counting starts again */
	w = apikey_window_next(w, t + 1 + APIKEY_WINDOW_MS);
	assert_int_equal(w.count, 1);
	assert_true(apikey_window_allowed(w, 3));
	/* a clock that went back starts a new window rather than block for long */
	w = apikey_window_next(w, t);
	assert_int_equal(w.count, 1);
	assert_int_equal(w.start_ms, t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_datetime),
		cmocka_unit_test(test_xml),
		cmocka_unit_test(test_key_form),
		cmocka_unit_test(test_window),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
