/*
 * netaddr: client addresses.  The one that matters most is which address
 * X-Forwarded-For yields: whatever a client puts in the header must never
 * become its address, only what the trusted proxies added.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "http/netaddr.h"

static const char *text(const struct netaddr *a)
{
	static char buf[NETADDR_TEXT_MAX];

	netaddr_format(a, buf, sizeof(buf));
	return buf;
}

static void parses(const char *s, const char *want)
{
	struct netaddr a;

	if (netaddr_parse(s, strlen(s), &a) != 0)
		fail_msg("refused \"%s\"", s);
	assert_string_equal(text(&a), want);
}

static void test_parse(void **state)
{
	static const char *const bad[] = {
		"", "1.2.3", "1.2.3.4.5", "1.2.3.4:", "1.2.3.4:x", "1.2.3.4:123456", "256.1.1.1",
		"[::1", "[::1]x", "[::1]:", "[1.2.3.4]", "[]", "abc", "1.2.3.4 ", " 1.2.3.4",
		"unknown", "::1%eth0", "1:2", "_hidden",
	};
	struct netaddr a;

	(void)state;
	parses("127.0.0.1", "127.0.0.1");
	parses("203.0.113.7:51000", "203.0.113.7");
	parses("::1", "::1");
	parses("[::1]", "::1");
	parses("[2001:db8::7]:4711", "2001:db8::7");
	parses("2001:DB8:0:0:0:0:0:7", "2001:db8::7");
	parses("::ffff:1.2.3.4", "1.2.3.4");             /* mapped: the IPv4 address */
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (netaddr_parse(bad[i], strlen(bad[i]), &a) != THC_EINVAL)
			fail_msg("accepted \"%s\"", bad[i]);
}

static void test_sockaddr_and_equal(void **state)
{
	struct sockaddr_in6 s6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in s4 = { .sin_family = AF_INET };
	struct netaddr a, b, unknown = { 0 };

	(void)state;
	inet_pton(AF_INET6, "::ffff:10.0.0.1", &s6.sin6_addr);
	inet_pton(AF_INET, "10.0.0.1", &s4.sin_addr);
	assert_int_equal(netaddr_from_sockaddr((struct sockaddr *)&s6, sizeof(s6), &a), 0);
	assert_int_equal(netaddr_from_sockaddr((struct sockaddr *)&s4, sizeof(s4), &b), 0);
	assert_true(netaddr_equal(&a, &b));
	assert_int_equal(netaddr_hash(&a), netaddr_hash(&b));
	assert_false(netaddr_equal(&unknown, &unknown));
	assert_string_equal(text(&unknown), "?");
	assert_int_equal(netaddr_from_sockaddr((struct sockaddr *)&s4, 4, &a), THC_EINVAL);
	inet_pton(AF_INET6, "2001:db8::1", &s6.sin6_addr);
	assert_int_equal(netaddr_from_sockaddr((struct sockaddr *)&s6, sizeof(s6), &a), 0);
	assert_string_equal(text(&a), "2001:db8::1");
	assert_false(netaddr_equal(&a, &b));
}

static void test_list(void **state)
{
	struct netaddr list[NETADDR_LIST_MAX], a;
	struct error err = ERROR_INIT;
	char many[1024] = "";

	(void)state;
	assert_int_equal(netaddr_list_parse("127.0.0.1", list, NETADDR_LIST_MAX, &err), 1);
	assert_int_equal(netaddr_list_parse("10.0.0.1, ::1 ,10.0.0.2", list, NETADDR_LIST_MAX, &err),
	                 3);
	assert_string_equal(text(&list[1]), "::1");
	netaddr_parse("10.0.0.2", 8, &a);
	assert_true(netaddr_in(&a, list, 3));
	assert_false(netaddr_in(&a, list, 2));
	assert_int_equal(netaddr_list_parse("10.0.0.1,,::1", list, NETADDR_LIST_MAX, &err),
	                 THC_EUSAGE);
	assert_int_equal(netaddr_list_parse("10.0.0.1,nginx", list, NETADDR_LIST_MAX, &err),
	                 THC_EUSAGE);
	assert_non_null(strstr(err.en, "'nginx'"));
	assert_non_null(strstr(err.vi, "'nginx'"));
	for (int i = 0; i <= NETADDR_LIST_MAX; i++)
		snprintf(many + strlen(many), sizeof(many) - strlen(many), "%s10.0.0.%d", i ? "," : "", i);
	assert_int_equal(netaddr_list_parse(many, list, NETADDR_LIST_MAX, &err), THC_EUSAGE);
	assert_non_null(strstr(err.en, "16"));
}

/* The client netaddr_forwarded_for finds in the given fields, or NULL. */
static const char *client_of(const char *const *values, size_t n)
{
	static const char *const proxies = "10.0.0.1,10.0.0.2";
	static struct netaddr trusted[2];
	struct error err = ERROR_INIT;
	struct netaddr c;

	assert_int_equal(netaddr_list_parse(proxies, trusted, 2, &err), 2);
	return netaddr_forwarded_for(values, n, trusted, 2, &c) ? text(&c) : NULL;
}

#define CLIENT(...) client_of((const char *const[]){ __VA_ARGS__ }, \
	sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *))

static void test_forwarded_for(void **state)
{
	(void)state;
	assert_string_equal(CLIENT("203.0.113.7"), "203.0.113.7");
	/* What the client wrote itself is left of what the proxy added. */
	assert_string_equal(CLIENT("198.51.100.1, 203.0.113.7"), "203.0.113.7");
	assert_string_equal(CLIENT("spoofed, 203.0.113.7"), "203.0.113.7");
	assert_string_equal(CLIENT("127.0.0.1,203.0.113.7"), "203.0.113.7");
	/* Trusted proxies in the chain are skipped. */
	assert_string_equal(CLIENT("203.0.113.7, 10.0.0.2"), "203.0.113.7");
	assert_string_equal(CLIENT("198.51.100.1, 203.0.113.7, 10.0.0.1, 10.0.0.2"), "203.0.113.7");
	/* All trusted: the left-most. */
	assert_string_equal(CLIENT("10.0.0.1, 10.0.0.2"), "10.0.0.1");
	/* Not an address: stop, the trusted one to its right is the client. */
	assert_string_equal(CLIENT("unknown, 10.0.0.2"), "10.0.0.2");
	assert_null(CLIENT("203.0.113.7, garbage"));
	assert_null(CLIENT("", " , ,"));
	assert_null(CLIENT(""));
	/* Several fields, in order: one list. */
	assert_string_equal(CLIENT("198.51.100.1", "203.0.113.7, 10.0.0.2"), "203.0.113.7");
	assert_string_equal(CLIENT("203.0.113.9", "10.0.0.2"), "203.0.113.9");
	assert_string_equal(CLIENT("203.0.113.9", ""), "203.0.113.9");
	/* Ports and brackets, as some proxies write them. */
	assert_string_equal(CLIENT("[2001:db8::7]:4711"), "2001:db8::7");
	assert_string_equal(CLIENT("203.0.113.7:51000, 10.0.0.1"), "203.0.113.7");
	assert_string_equal(CLIENT("2001:db8::7,10.0.0.1"), "2001:db8::7");
	assert_string_equal(CLIENT("a,,203.0.113.7,"), "203.0.113.7");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_sockaddr_and_equal),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_forwarded_for),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
