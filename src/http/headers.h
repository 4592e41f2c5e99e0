/*
 * The security headers of every response, in one place: API replies
 * (reply.c), the web application's files (static.c, which has its own
 * Content-Security-Policy and caching) and the gate's own replies (gate.c).
 */
#ifndef THC_HTTP_HEADERS_H
#define THC_HTTP_HEADERS_H

#define HEADERS_CSP_API "default-src 'self'; frame-ancestors 'none'; base-uri 'none'"

/* X(name, value): on every response. */
#define HEADERS_SECURITY(X) \
	X("X-Content-Type-Options", "nosniff") \
	X("X-Frame-Options", "DENY") \
	X("Referrer-Policy", "no-referrer")

/* X(name, value): also on every response that is not a web application file
 * (reply.c lets a public answer be kept: http_req.cache_public). */
#define HEADERS_API_CSP(X) \
	X("Content-Security-Policy", HEADERS_CSP_API)
#define HEADERS_API(X) \
	HEADERS_API_CSP(X) \
	X("Cache-Control", "no-store")

#endif
