/*
 * rawreply: the gate's own error replies.  They must say what
 * http_reply_error() says, in the caller's language, with every security
 * header, and be a well-formed HTTP/1.1 response that closes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "http/rawreply.h"

static void test_reply(void **state)
{
	struct strbuf out = STRBUF_INIT(RAWREPLY_MAX);
	struct error err = ERROR_INIT;
	const char *body;

	(void)state;
	error_set(&err, THC_EHEADERS, "tiêu đề \"quá\" lớn", "headers \"too\" large");
	assert_int_equal(rawreply_format(&out, THC_EHEADERS, &err, 0, "abc-1"), 0);
	assert_true(strncmp(out.buf, "HTTP/1.1 431 Request Header Fields Too Large\r\nDate: ", 52) == 0);
	for (const char *h = "Content-Type: application/json; charset=utf-8\r\n\0"
	                     "Connection: close\r\n\0X-Request-Id: abc-1\r\n\0"
	                     "Content-Language: vi\r\n\0X-Content-Type-Options: nosniff\r\n\0"
	                     "X-Frame-Options: DENY\r\n\0Referrer-Policy: no-referrer\r\n\0"
	                     "Cache-Control: no-store\r\n\0"
	                     "Content-Security-Policy: default-src 'self'; frame-ancestors 'none'; "
	                     "base-uri 'none'\r\n\0";
	     *h; h += strlen(h) + 1)
		if (strstr(out.buf, h) == NULL)
			fail_msg("missing %s in\n%s", h, out.buf);
	body = strstr(out.buf, "\r\n\r\n") + 4;
	assert_string_equal(body, "{\"error\":{\"code\":\"headers_too_large\","
	                          "\"message\":\"tiêu đề \\\"quá\\\" lớn\"}}\n");
	{
		char want[40];
		snprintf(want, sizeof(want), "Content-Length: %zu\r\n", strlen(body));
		assert_non_null(strstr(out.buf, want));
	}
	strbuf_release(&out);
	/* English, and a code whose message is only the table's. */
	err = (struct error)ERROR_INIT;
	assert_int_equal(rawreply_format(&out, THC_ETIMEOUT, &err, 1, "x"), 0);
	assert_true(strncmp(out.buf, "HTTP/1.1 408 Request Timeout\r\n", 30) == 0);
	assert_non_null(strstr(out.buf, "Content-Language: en\r\n"));
	assert_non_null(strstr(out.buf, "\"code\":\"timeout\",\"message\":\"request timeout\""));
	strbuf_release(&out);
}

static void test_http_date(void **state)
{
	char d[40];

	(void)state;
	rawreply_http_date(784111777, d, sizeof(d));          /* RFC 9110's example */
	assert_string_equal(d, "Sun, 06 Nov 1994 08:49:37 GMT");
	rawreply_http_date(0, d, sizeof(d));
	assert_string_equal(d, "Thu, 01 Jan 1970 00:00:00 GMT");
	rawreply_http_date(1709164799, d, sizeof(d));
	assert_string_equal(d, "Wed, 28 Feb 2024 23:59:59 GMT");
	rawreply_http_date(1709164800 + 86400, d, sizeof(d));
	assert_string_equal(d, "Fri, 01 Mar 2024 00:00:00 GMT");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reply),
		cmocka_unit_test(test_http_date),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
