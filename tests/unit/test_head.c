/*
 * head: request heads checked before libmicrohttpd sees them.  Every head
 * a client may send either waits for more bytes, passes, or gets the
 * refusal (and status) that thichung replies with; none may reach
 * libmicrohttpd in a shape it would answer with a page of its own.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "http/head.h"
#include "http/query.h"

static const struct head_limits lim = HEAD_LIMITS_DEFAULT;

static int check(const char *s, struct head_info *info, struct error *err)
{
	*err = (struct error)ERROR_INIT;
	return head_check(s, strlen(s), &lim, info, err);
}

static void done(const char *s, size_t head_len)
{
	struct head_info info;
	struct error err;
	int rc = check(s, &info, &err);

	if (rc != HEAD_DONE)
		fail_msg("\"%.60s\": got %d (%s), want a complete head", s, rc, err.en);
	assert_int_equal(info.len, head_len);
}

static void refused(const char *s, int code, const char *mentions)
{
	struct head_info info;
	struct error err;
	int rc = check(s, &info, &err);

	if (rc != code)
		fail_msg("\"%.60s\": got %d, want %d (%s)", s, rc, code, err.en);
	assert_true(err.vi[0] && err.en[0]);
	assert_true(text_utf8_valid(err.vi, strlen(err.vi)));
	assert_true(text_utf8_valid(err.en, strlen(err.en)));
	if (mentions && !strstr(err.en, mentions))
		fail_msg("\"%.60s\": message should name %s: %s", s, mentions, err.en);
}

static void more(const char *s, size_t n)
{
	struct head_info info;
	struct error err = ERROR_INIT;
	int rc = head_check(s, n, &lim, &info, &err);

	if (rc != HEAD_MORE)
		fail_msg("first %zu bytes of \"%.60s\": got %d (%s), want more", n, s, rc, err.en);
}

static void test_complete(void **state)
{
	static const char *const heads[] = {
		"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
		"GET /healthz HTTP/1.1\nHost: x\n\n",
		"GET /healthz HTTP/1.1\r\nHost: x\n\r\n",
		"GET /healthz HTTP/1.0\r\n\r\n",
		"GET /x HTTP/1.2\r\nHost: x\r\n\r\n",
		"\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n",
		/* One head in two literals: the parentheses say so to clang. */
		("POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
		 "Content-Length: 40\r\nX-Empty:\r\nX-Tab:\tv\t\r\nX-UTF8: Hà Nội\r\n\r\n"),
		"GET /api/v1/units?q=h%C3%A0&parent=01 HTTP/1.1\r\nHost: x\r\n\r\n",
		"OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n",
		"GET http://example.org/x HTTP/1.1\r\nHost: example.org\r\n\r\n",
		"GET /%00/x HTTP/1.1\r\nHost: x\r\nCookie: a=1; b=2\r\nContent-Length: 0\r\n\r\n",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(heads) / sizeof(heads[0]); i++) {
		size_t n = strlen(heads[i]);

		done(heads[i], n);
		/* Every shorter prefix waits for more. */
		for (size_t k = 0; k < n; k++)
			more(heads[i], k);
	}
}

static void test_body_and_pipelining_not_counted(void **state)
{
	const char *s = "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhelloGET / HTTP/1.1\r\n";

	(void)state;
	done(s, strlen(s) - strlen("helloGET / HTTP/1.1\r\n"));
}

static void test_request_line(void **state)
{
	static const char *const bad[] = {
		"GET\r\n\r\n", "GET /x\r\n\r\n", "GET  /x HTTP/1.1\r\n\r\n", "GET /x  HTTP/1.1\r\n\r\n",
		"GET /x HTTP/1.1 \r\n\r\n", "GET /x HTTP/1.1x\r\n\r\n", "GET /x http/1.1\r\n\r\n",
		"GET /x HTTP/1\r\n\r\n", "GET /x HTTP/a.1\r\n\r\n", "G(T /x HTTP/1.1\r\n\r\n",
		" GET /x HTTP/1.1\r\n\r\n", "GET /x\tHTTP/1.1\r\n\r\n", "GET /a\x7f HTTP/1.1\r\n\r\n",
		"\x01\x02garbage\r\n\r\n", "GET /x HTTP/1.1\rX\r\n\r\n", "\r\r\n",
		"\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\n",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		refused(bad[i], THC_EINVAL, "request line");
	refused("GET /x HTTP/2.0\r\nHost: x\r\n\r\n", THC_EINVAL, "HTTP/2.0");
	refused("GET /x HTTP/0.9\r\n\r\n", THC_EINVAL, "HTTP/0.9");
	refused("GET /x HTTP/9.9\r\n\r\n", THC_EINVAL, "only HTTP/1.0 and HTTP/1.1");
	/* The embedded NUL of "\0\1\2garbage" (test_server.py) too. */
	{
		struct head_info info;
		struct error err = ERROR_INIT;
		assert_int_equal(head_check("\x00\x01\x02garbage\r\n\r\n", 15, &lim, &info, &err),
		                 THC_EINVAL);
	}
}

static void test_request_line_caps(void **state)
{
	const size_t cap = lim.max_line, tail = strlen(" HTTP/1.1");
	char *s = malloc(cap + 64), q[QUERY_MAX_LEN + 200];
	size_t n;

	(void)state;
	/* A request line of exactly max_line bytes passes ... */
	memcpy(s, "GET /", 5);
	memset(s + 5, 'a', cap - 5 - tail);
	n = cap - tail;
	n += (size_t)snprintf(s + n, 64, " HTTP/1.1\r\nHost: x\r\n\r\n");
	done(s, n);
	/* ... one byte more is a 414 ... */
	memset(s + 5, 'a', cap - 4 - tail);
	snprintf(s + cap - tail + 1, 64, " HTTP/1.1\r\nHost: x\r\n\r\n");
	refused(s, THC_EURITOOLONG, "8192");
	/* ... known before the line ends. */
	memset(s + 5, 'a', cap);
	s[cap + 5] = '\0';
	refused(s, THC_EURITOOLONG, "request line");
	free(s);
	/* The query string's caps, before libmicrohttpd splits it. */
	n = (size_t)snprintf(q, sizeof(q), "GET /?");
	for (int i = 0; i < QUERY_MAX_PARAMS; i++)
		q[n++] = '&';
	snprintf(q + n, sizeof(q) - n, " HTTP/1.1\r\nHost: x\r\n\r\n");
	refused(q, THC_EINVAL, "32 parameters");
	n = (size_t)snprintf(q, sizeof(q), "GET /?q=");
	memset(q + n, 'x', QUERY_MAX_LEN);
	snprintf(q + n + QUERY_MAX_LEN, sizeof(q) - n - QUERY_MAX_LEN, " HTTP/1.1\r\nHost: x\r\n\r\n");
	refused(q, THC_EURITOOLONG, "4096");
}

static void test_fields_caps(void **state)
{
	char *s = malloc(64 * 1024);
	size_t n;

	(void)state;
	/* 8192 bytes of fields (CRLF included) pass, one more does not. */
	n = (size_t)snprintf(s, 65536, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: ");
	memset(s + n, 'b', lim.max_fields - 9 - 9);
	n += lim.max_fields - 18;
	n += (size_t)snprintf(s + n, 65536 - n, "\r\n\r\n");
	done(s, n);
	n = (size_t)snprintf(s, 65536, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: ");
	memset(s + n, 'b', lim.max_fields - 17);
	n += lim.max_fields - 17;
	snprintf(s + n, 65536 - n, "\r\n\r\n");
	refused(s, THC_EHEADERS, "8192");
	/* Too big is known before the blank line arrives. */
	n = (size_t)snprintf(s, 65536, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: ");
	memset(s + n, 'b', 40000);
	s[n + 40000] = '\0';
	refused(s, THC_EHEADERS, "8192");
	/* 100 fields pass, 101 do not. */
	n = (size_t)snprintf(s, 65536, "GET / HTTP/1.1\r\nHost: x\r\n");
	for (int i = 0; i < 99; i++)
		n += (size_t)snprintf(s + n, 65536 - n, "X-%d: v\r\n", i);
	snprintf(s + n, 65536 - n, "\r\n");
	done(s, n + 2);
	snprintf(s + n, 65536 - n, "X-Last: v\r\n\r\n");
	refused(s, THC_EHEADERS, "100 header fields");
	/* 64 cookies pass, 65 do not (over any number of Cookie fields). */
	n = (size_t)snprintf(s, 65536, "GET / HTTP/1.1\r\nHost: x\r\nCookie: c0=0");
	for (int i = 1; i < 32; i++)
		n += (size_t)snprintf(s + n, 65536 - n, "; c%d=%d", i, i);
	n += (size_t)snprintf(s + n, 65536 - n, "\r\nCookie: d0=0");
	for (int i = 1; i < 32; i++)
		n += (size_t)snprintf(s + n, 65536 - n, ";d%d=%d", i, i);
	snprintf(s + n, 65536 - n, "\r\n\r\n");
	done(s, n + 4);
	snprintf(s + n, 65536 - n, ";one=more\r\n\r\n");
	refused(s, THC_EHEADERS, "64 cookies");
	free(s);
}

static void test_fields(void **state)
{
	(void)state;
	refused("GET / HTTP/1.1\r\n\r\n", THC_EINVAL, "Host");
	refused("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", THC_EINVAL, "Host");
	refused("GET / HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n", THC_EINVAL, "header line 2");
	refused("GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", THC_EINVAL, "header line 2");
	refused("GET / HTTP/1.1\r\nName : x\r\nHost: a\r\n\r\n", THC_EINVAL, "header line 1");
	refused("GET / HTTP/1.1\r\n: x\r\nHost: a\r\n\r\n", THC_EINVAL, "header line 1");
	refused("GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n folded\r\n\r\n", THC_EINVAL, "header line 3");
	refused("GET / HTTP/1.1\r\nHost: a\r\nX-Ctl: a\x01" "b\r\n\r\n", THC_EINVAL, "'X-Ctl'");
	refused("GET / HTTP/1.1\r\nHost: a\r\nX-Cr: a\rb\r\n\r\n", THC_EINVAL, "stray CR");
	{
		struct head_info info;
		struct error err = ERROR_INIT;
		const char s[] = "GET / HTTP/1.1\r\nHost: a\r\nX-Nul: a\0b\r\n\r\n";
		assert_int_equal(head_check(s, sizeof(s) - 1, &lim, &info, &err), THC_EINVAL);
		assert_non_null(strstr(err.en, "'X-Nul'"));
	}
}

static void test_body_framing(void **state)
{
	const char *max = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1048576\r\n\r\n";

	(void)state;
	done(max, strlen(max));
	refused("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1048577\r\n\r\n", THC_ETOOBIG,
	        "1048576");
	refused("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999999\r\n\r\n",
	        THC_ETOOBIG, "1048576");
	refused("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -5\r\n\r\n", THC_EINVAL,
	        "Content-Length");
	refused("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1,1\r\n\r\n", THC_EINVAL,
	        "Content-Length");
	refused("POST / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n", THC_EINVAL,
	        "Content-Length");
	refused("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n",
	        THC_EINVAL, "twice");
	refused("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", THC_ELENGTH,
	        "Content-Length");
	refused("POST / HTTP/1.1\r\nHost: a\r\ntransfer-encoding: gzip\r\n\r\n", THC_ELENGTH,
	        "Transfer-Encoding");
}

static void test_language(void **state)
{
	struct head_info info;
	struct error err;

	(void)state;
	assert_int_equal(check("GET / HTTP/1.1\r\nHost: a\r\nAccept-Language: en-US,en;q=0.9\r\n\r\n",
	                       &info, &err), HEAD_DONE);
	assert_int_equal(info.english, 1);
	assert_int_equal(check("GET / HTTP/1.1\r\nHost: a\r\nAccept-Language: vi,en;q=0.5\r\n\r\n",
	                       &info, &err), HEAD_DONE);
	assert_int_equal(info.english, 0);
	/* A refusal after the field is in English too; before it, Vietnamese. */
	assert_int_equal(check("GET / HTTP/1.1\r\naccept-language: en\r\nX y\r\n\r\n", &info, &err),
	                 THC_EINVAL);
	assert_int_equal(info.english, 1);
	assert_int_equal(check("GET / HTTP/1.1\r\nX y\r\nAccept-Language: en\r\n\r\n", &info, &err),
	                 THC_EINVAL);
	assert_int_equal(info.english, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_complete),
		cmocka_unit_test(test_body_and_pipelining_not_counted),
		cmocka_unit_test(test_request_line),
		cmocka_unit_test(test_request_line_caps),
		cmocka_unit_test(test_fields_caps),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_body_framing),
		cmocka_unit_test(test_language),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
