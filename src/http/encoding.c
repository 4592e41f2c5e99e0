/*
 * Content codings (encoding.h): which a client accepts, and gzip for the
 * answers made per request (the web application's files come compressed
 * from the build; public answers kept in memory go uncompressed, as fast
 * as they are, to a CDN or nginx in front that compresses them).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "http/encoding.h"
#include "base/banned.h"

int http_accepts(const char *ae, const char *coding)
{
	size_t cl = strlen(coding);
	const char *p = ae;

	while (p && *p) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		const char *semi;

		while (n && (*p == ' ' || *p == '\t')) {
			p++;
			n--;
		}
		semi = memchr(p, ';', n);
		{
			size_t tn = semi ? (size_t)(semi - p) : n;
			while (tn && (p[tn - 1] == ' ' || p[tn - 1] == '\t'))
				tn--;
			if (tn == cl && strncasecmp(p, coding, cl) == 0) {
				/* "q=0", "q=0.0", "q=0.000" refuse; anything else accepts */
				const char *q = semi ? strstr(semi, "q=") : NULL;
				if (q == NULL || (size_t)(q - p) >= n)
					return 1;
				q += 2;
				if (*q != '0')
					return 1;
				for (q++; *q == '.' || *q == '0'; q++)
					;
				return !(*q == '\0' || *q == ',' || *q == ' ' || *q == ';');
			}
		}
		p = end ? end + 1 : NULL;
	}
	return 0;
}

int http_gzip(const void *in, size_t n, char **out, size_t *out_len)
{
	z_stream z;
	uLong cap;
	char *buf;
	int rc;

	*out = NULL;
	memset(&z, 0, sizeof(z));
	/* Level 6 (zlib's default): most of the gain, a fraction of level 9's time. */
	if (n > UINT32_MAX || deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	cap = deflateBound(&z, (uLong)n);
	if ((buf = malloc(cap)) == NULL) {
		deflateEnd(&z);
		return -1;
	}
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)n;
	z.next_out = (Bytef *)buf;
	z.avail_out = (uInt)cap;
	rc = deflate(&z, Z_FINISH);
	*out_len = z.total_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		free(buf);
		return -1;
	}
	*out = buf;
	return 0;
}
