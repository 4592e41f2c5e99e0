/*
 * Client addresses (see netaddr.h).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "http/netaddr.h"
#include "base/banned.h"

static const unsigned char netaddr_v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

static void netaddr_set6(struct netaddr *out, const unsigned char b[16])
{
	memset(out, 0, sizeof(*out));
	if (memcmp(b, netaddr_v4mapped, 12) == 0) {
		out->family = AF_INET;
		memcpy(out->bytes, b + 12, 4);
	} else {
		out->family = AF_INET6;
		memcpy(out->bytes, b, 16);
	}
}

/* One address without port or brackets, NUL-terminated. */
static int netaddr_pton(const char *s, struct netaddr *out)
{
	unsigned char b[16];

	if (inet_pton(AF_INET, s, b) == 1) {
		memset(out, 0, sizeof(*out));
		out->family = AF_INET;
		memcpy(out->bytes, b, 4);
		return 0;
	}
	if (inet_pton(AF_INET6, s, b) == 1) {
		netaddr_set6(out, b);
		return 0;
	}
	return THC_EINVAL;
}

static int netaddr_port_ok(const char *p, size_t n)
{
	if (n == 0 || n > 5)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	return 1;
}

/* "1.2.3.4", "1.2.3.4:80", "2001:db8::1", "[2001:db8::1]", "[2001:db8::1]:80". */
int netaddr_parse(const char *s, size_t n, struct netaddr *out)
{
	char buf[NETADDR_TEXT_MAX + 1];
	const char *colon;

	if (n == 0 || n > NETADDR_TEXT_MAX + 8)
		return THC_EINVAL;
	if (s[0] == '[') {
		const char *close = memchr(s, ']', n);
		size_t k;

		if (close == NULL)
			return THC_EINVAL;
		k = (size_t)(close - s - 1);
		if (close + 1 != s + n &&
		    (close[1] != ':' || !netaddr_port_ok(close + 2, (size_t)(s + n - close - 2))))
			return THC_EINVAL;
		if (k == 0 || k > NETADDR_TEXT_MAX)
			return THC_EINVAL;
		memcpy(buf, s + 1, k);
		buf[k] = '\0';
		return strchr(buf, ':') ? netaddr_pton(buf, out) : THC_EINVAL;
	}
	/* One colon: IPv4 with a port; more: IPv6 without brackets. */
	colon = memchr(s, ':', n);
	if (colon && memchr(colon + 1, ':', (size_t)(s + n - colon - 1)) == NULL) {
		if (!netaddr_port_ok(colon + 1, (size_t)(s + n - colon - 1)))
			return THC_EINVAL;
		n = (size_t)(colon - s);
		if (n == 0 || n > NETADDR_TEXT_MAX)
			return THC_EINVAL;
		memcpy(buf, s, n);
		buf[n] = '\0';
		return strchr(buf, ':') == NULL && strchr(buf, '.') ? netaddr_pton(buf, out)
		                                                    : THC_EINVAL;
	}
	if (n > NETADDR_TEXT_MAX)
		return THC_EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return netaddr_pton(buf, out);
}

int netaddr_from_sockaddr(const struct sockaddr *sa, socklen_t len, struct netaddr *out)
{
	memset(out, 0, sizeof(*out));
	if (sa == NULL)
		return THC_EINVAL;
	if (sa->sa_family == AF_INET && len >= (socklen_t)sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *a4 = (const struct sockaddr_in *)(const void *)sa;
		out->family = AF_INET;
		memcpy(out->bytes, &a4->sin_addr, 4);
		return 0;
	}
	if (sa->sa_family == AF_INET6 && len >= (socklen_t)sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)(const void *)sa;
		netaddr_set6(out, a6->sin6_addr.s6_addr);
		return 0;
	}
	return THC_EINVAL;
}

int netaddr_equal(const struct netaddr *a, const struct netaddr *b)
{
	return a->family == b->family && a->family != 0 &&
	       memcmp(a->bytes, b->bytes, a->family == AF_INET ? 4 : 16) == 0;
}

void netaddr_format(const struct netaddr *a, char *out, size_t outsz)
{
	if (a->family == 0 || inet_ntop(a->family, a->bytes, out, (socklen_t)outsz) == NULL)
		snprintf(out, outsz, "?");
}

unsigned netaddr_hash(const struct netaddr *a)
{
	unsigned h = 2166136261u ^ (unsigned)a->family;
	size_t n = a->family == AF_INET ? 4 : 16;

	for (size_t i = 0; i < n; i++)
		h = (h ^ a->bytes[i]) * 16777619u;
	return h;
}

int netaddr_in(const struct netaddr *a, const struct netaddr *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (netaddr_equal(a, &list[i]))
			return 1;
	return 0;
}

static int netaddr_ows(char c)
{
	return c == ' ' || c == '\t';
}

int netaddr_list_parse(const char *csv, struct netaddr *list, size_t max, struct error *err)
{
	const char *p = csv;
	size_t n = 0;

	for (;;) {
		const char *comma = strchr(p, ','), *e = comma ? comma : p + strlen(p);
		const char *s = p;

		while (s < e && netaddr_ows(*s))
			s++;
		while (e > s && netaddr_ows(e[-1]))
			e--;
		if (n == max)
			return error_set(err, THC_EUSAGE, "quá %zu địa chỉ proxy",
			                 "more than %zu proxy addresses", max);
		if (netaddr_parse(s, (size_t)(e - s), &list[n]) < 0) {
			int shown = (int)(e - s > 60 ? 60 : e - s);
			for (int i = 0; i < shown; i++)
				if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
					shown = 0;
			return error_set(err, THC_EUSAGE,
			                 "địa chỉ proxy '%.*s' không hợp lệ (cần một địa chỉ IP, ví dụ 127.0.0.1)",
			                 "bad proxy address '%.*s' (expected an IP address such as 127.0.0.1)",
			                 shown, s);
		}
		n++;
		if (comma == NULL)
			return (int)n;
		p = comma + 1;
	}
}

int netaddr_forwarded_for(const char *const *values, size_t nvalues,
                          const struct netaddr *trusted, size_t ntrusted,
                          struct netaddr *client)
{
	int have = 0;

	for (size_t v = nvalues; v-- > 0;) {
		const char *str = values[v];
		size_t end = strlen(str);

		/* Elements right to left: [s, e) before end, end at the comma. */
		for (;;) {
			size_t s = end, e = end;
			struct netaddr a;

			while (s > 0 && str[s - 1] != ',')
				s--;
			while (s < e && netaddr_ows(str[s]))
				s++;
			while (e > s && netaddr_ows(str[e - 1]))
				e--;
			if (s < e) {            /* "a,,b" and a trailing comma: skipped */
				if (netaddr_parse(str + s, e - s, &a) < 0)
					return have;    /* not an address: stop here */
				*client = a;
				have = 1;
				if (!netaddr_in(&a, trusted, ntrusted))
					return 1;
			}
			while (end > 0 && str[end - 1] != ',')
				end--;
			if (end == 0)
				break;
			end--;                  /* over the comma */
		}
	}
	return have;
}
