#include <stdio.h>
#include <string.h>

#include "error.h"
#include "text.h"
#include "banned.h"

struct error_info {
	int code, http;
	const char *slug, *vi, *en;
};

static const struct error_info error_table[] = {
#define X(id, num, http, slug, vi, en) { num, http, slug, vi, en },
	THC_ERRORS(X)
#undef X
};

static const struct error_info *error_find(int code)
{
	for (size_t i = 0; i < ARRAY_SIZE(error_table); i++)
		if (error_table[i].code == code)
			return &error_table[i];
	return NULL;
}

/*
 * Drops every byte that is not part of well-formed UTF-8, so that a message
 * always makes valid JSON: truncation may cut the last character, a "%.40s"
 * of a quoted value may cut one inside the message, and a JSON parser's
 * error text may quote the very bytes it could not read.  Dropping those
 * few bytes keeps the rest (the line, the field), which a reply that
 * refused the whole message would lose.
 */
static void utf8_repair(char *s)
{
	size_t n = strlen(s), r = 0, w = 0;

	if (text_utf8_valid(s, n))
		return;
	while (r < n) {
		size_t k = 1;

		/* A character is the shortest valid run from its first byte. */
		if ((unsigned char)s[r] >= 0x80)
			while (k <= 4 && k <= n - r && !text_utf8_valid(s + r, k))
				k++;
		if (k > 4 || k > n - r) {
			r++;
			continue;
		}
		memmove(s + w, s + r, k);
		w += k;
		r += k;
	}
	s[w] = '\0';
}

int error_vset(struct error *err, int code, const char *vi_fmt,
               const char *en_fmt, va_list ap)
{
	va_list ap2;

	if (err == NULL)
		return code;
	va_copy(ap2, ap);
	err->code = code;
	err->field[0] = '\0';
	vsnprintf(err->vi, sizeof(err->vi), vi_fmt, ap);
	vsnprintf(err->en, sizeof(err->en), en_fmt, ap2);
	va_end(ap2);
	utf8_repair(err->vi);
	utf8_repair(err->en);
	return code;
}

int error_set(struct error *err, int code, const char *vi_fmt,
              const char *en_fmt, ...)
{
	va_list ap;

	va_start(ap, en_fmt);
	error_vset(err, code, vi_fmt, en_fmt, ap);
	va_end(ap);
	return code;
}

static void error_prefix_one(char *msg, size_t size, const char *prefix)
{
	size_t p = strlen(prefix), m = strlen(msg);

	if (p >= size)
		p = size - 1;
	if (p + m >= size)
		m = size - 1 - p;
	memmove(msg + p, msg, m);
	memcpy(msg, prefix, p);
	msg[p + m] = '\0';
	utf8_repair(msg);
}

void error_prefix(struct error *err, const char *vi_fmt, const char *en_fmt, ...)
{
	char vi[128], en[128];
	va_list ap, ap2;

	if (err == NULL)
		return;
	va_start(ap, en_fmt);
	va_copy(ap2, ap);
	vsnprintf(vi, sizeof(vi), vi_fmt, ap);
	vsnprintf(en, sizeof(en), en_fmt, ap2);
	va_end(ap2);
	va_end(ap);
	error_prefix_one(err->vi, sizeof(err->vi), vi);
	error_prefix_one(err->en, sizeof(err->en), en);
}

void error_clear(struct error *err)
{
	err->code = 0;
	err->vi[0] = err->en[0] = err->field[0] = '\0';
}

void error_at(struct error *err, const char *field)
{
	size_t n;

	if (err == NULL)
		return;
	if (field == NULL)
		field = "";
	field += field[0] == '@';
	/* A name that does not fit is dropped rather than cut: a cut one would
	 * point at another field. */
	n = strlen(field);
	if (n >= sizeof(err->field))
		n = 0;
	memcpy(err->field, field, n);
	err->field[n] = '\0';
}

int error_in_field(struct error *err, const char *field)
{
	if (err == NULL)
		return THC_EINTERNAL;
	if (field[0] == '@')
		error_prefix(err, "cột %s: ", "column %s: ", field + 1);
	else
		error_prefix(err, "trường '%s': ", "field '%s': ", field);
	error_at(err, field);
	return err->code;
}

int error_set_at(struct error *err, int code, const char *field, const char *vi_fmt,
                 const char *en_fmt, ...)
{
	va_list ap;

	va_start(ap, en_fmt);
	error_vset(err, code, vi_fmt, en_fmt, ap);
	va_end(ap);
	error_at(err, field);
	return code;
}

const char *error_slug(int code)
{
	const struct error_info *e = error_find(code);
	return e ? e->slug : "internal";
}

int error_http_status(int code)
{
	const struct error_info *e = error_find(code);
	return e ? e->http : 500;
}

const char *error_text(int code, int english)
{
	const struct error_info *e = error_find(code);

	if (e == NULL)
		e = error_find(THC_EINTERNAL);
	return english ? e->en : e->vi;
}

const char *error_message(const struct error *err, int english)
{
	const char *m = english ? err->en : err->vi;
	return m[0] ? m : error_text(err->code, english);
}
