#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "strbuf.h"
#include "banned.h"

char strbuf_empty_[1];

void strbuf_init(struct strbuf *sb, size_t max)
{
	sb->buf = strbuf_empty_;
	sb->len = sb->alloc = 0;
	sb->max = max;
}

/* Makes room for `extra` more bytes plus the NUL. */
static int strbuf_grow(struct strbuf *sb, size_t extra)
{
	size_t need, n;
	char *p;

	if (extra > SIZE_MAX - sb->len - 1)
		return THC_ETOOBIG;
	need = sb->len + extra + 1;
	if (sb->max && need - 1 > sb->max)
		return THC_ETOOBIG;
	if (need <= sb->alloc)
		return 0;
	n = sb->alloc ? sb->alloc : 64;
	while (n < need)
		n = n > SIZE_MAX / 2 ? need : n * 2;
	if (sb->max && n > sb->max + 1)
		n = sb->max + 1;
	p = realloc(sb->alloc ? sb->buf : NULL, n);
	if (p == NULL)
		return THC_ENOMEM;
	if (!sb->alloc)
		p[0] = '\0';
	sb->buf = p;
	sb->alloc = n;
	return 0;
}

int strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
	int rc;

	if (len == 0)
		return 0;
	if ((rc = strbuf_grow(sb, len)) < 0)
		return rc;
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
	return 0;
}

int strbuf_adds(struct strbuf *sb, const char *s)
{
	return strbuf_add(sb, s, strlen(s));
}

int strbuf_addch(struct strbuf *sb, char c)
{
	return strbuf_add(sb, &c, 1);
}

int strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list ap2;
	int n, rc;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return THC_EINVAL;
	if ((rc = strbuf_grow(sb, (size_t)n)) < 0)
		return rc;
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
	return 0;
}

int strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
	return rc;
}

int strbuf_add_json_str(struct strbuf *sb, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t start = sb->len;
	int rc = strbuf_addch(sb, '"');

	for (; rc == 0 && *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[7] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0 };

		if (c == '"' || c == '\\') {
			char two[2] = { '\\', (char)c };
			rc = strbuf_add(sb, two, 2);
		} else if (c == '\n') {
			rc = strbuf_add(sb, "\\n", 2);
		} else if (c < 0x20) {
			rc = strbuf_add(sb, esc, 6);
		} else {
			rc = strbuf_addch(sb, (char)c);
		}
	}
	if (rc == 0)
		rc = strbuf_addch(sb, '"');
	if (rc < 0 && sb->alloc) {  /* leave the buffer as it was */
		sb->len = start;
		sb->buf[start] = '\0';
	}
	return rc;
}

void strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->alloc)
		sb->buf[0] = '\0';
}

void strbuf_release(struct strbuf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	sb->buf = strbuf_empty_;
	sb->len = sb->alloc = 0;
}

char *strbuf_detach(struct strbuf *sb, size_t *len)
{
	char *p;

	if (len)
		*len = sb->len;
	p = sb->alloc ? sb->buf : calloc(1, 1);
	sb->buf = strbuf_empty_;
	sb->len = sb->alloc = 0;
	return p;
}
