/*
 * Client addresses: the key of the per-address connection limit, the
 * --trusted-proxy list, and the client behind a trusted proxy read from
 * X-Forwarded-For.  Pure: no I/O, no state; a fuzz target could drive
 * netaddr_forwarded_for (unit tests in tests/unit/test_netaddr.c).
 */
#ifndef THC_HTTP_NETADDR_H
#define THC_HTTP_NETADDR_H

#include <stddef.h>
#include <sys/socket.h>
#include "base/error.h"

#define NETADDR_TEXT_MAX 46          /* INET6_ADDRSTRLEN */
#define NETADDR_LIST_MAX 16          /* --trusted-proxy addresses */

struct netaddr {
	int family;                      /* AF_INET or AF_INET6; 0: unknown */
	unsigned char bytes[16];         /* AF_INET: the first 4 */
};

/* A literal IPv4 or IPv6 address, [s, s + n): 0 or THC_EINVAL.  An
 * IPv4-mapped IPv6 address (::ffff:1.2.3.4) reads as the IPv4 address. */
int netaddr_parse(const char *s, size_t n, struct netaddr *out);
/* From a socket address (the port is dropped); 0 or THC_EINVAL. */
int netaddr_from_sockaddr(const struct sockaddr *sa, socklen_t len, struct netaddr *out);
int netaddr_equal(const struct netaddr *a, const struct netaddr *b);
/* Text form into out (>= NETADDR_TEXT_MAX bytes); "?" for unknown. */
void netaddr_format(const struct netaddr *a, char *out, size_t outsz);
/* A hash for tables keyed by address. */
unsigned netaddr_hash(const struct netaddr *a);

/* "ADDR[,ADDR...]" (--trusted-proxy) into list[max]: the count, or
 * THC_EUSAGE naming the bad element. */
int netaddr_list_parse(const char *csv, struct netaddr *list, size_t max, struct error *err);
int netaddr_in(const struct netaddr *a, const struct netaddr *list, size_t n);

/*
 * The client of a request that came through trusted proxies.  values are
 * the X-Forwarded-For fields in the order received (each "a, b, c"); read
 * from the right, the first address that is not itself a trusted proxy is
 * the client.  When every address is trusted, the left-most is.  An element
 * that is not an address stops the walk: then the address to its right (a
 * trusted proxy) counts as the client, since anything further left is
 * whatever the client chose to send.  Returns 1 with *client set, 0 when
 * there is no usable address (keep the peer's).
 */
int netaddr_forwarded_for(const char *const *values, size_t nvalues,
                          const struct netaddr *trusted, size_t ntrusted,
                          struct netaddr *client);

#endif
