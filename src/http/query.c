/*
 * Query strings from the raw request target (see query.h).
 */
#include <stdio.h>
#include <string.h>

#include "base/text.h"
#include "http/query.h"
#include "base/banned.h"

#define QUERY_LABEL_MAX 40       /* bytes of a name quoted in a message */

enum query_bad { QUERY_OK, QUERY_BAD_ESCAPE, QUERY_BAD_NUL, QUERY_BAD_UTF8 };

static int query_hex(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes [s, s + n) into out (n + 1 bytes: decoding never lengthens). */
static enum query_bad query_decode(const char *s, size_t n, char *out, size_t *outlen)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '%') {
			int hi, lo;

			if (i + 2 >= n)          /* "%" or "%X" at the end */
				return QUERY_BAD_ESCAPE;
			hi = query_hex((unsigned char)s[i + 1]);
			lo = query_hex((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0)
				return QUERY_BAD_ESCAPE;
			c = (unsigned char)(hi << 4 | lo);
			i += 2;
		} else if (c == '+') {
			c = ' ';
		}
		if (c == '\0')
			return QUERY_BAD_NUL;
		out[k++] = (char)c;
	}
	out[k] = '\0';
	*outlen = k;
	return text_utf8_valid(out, k) ? QUERY_OK : QUERY_BAD_UTF8;
}

/* How a message names a parameter: its decoded name when that is text, the
 * raw bytes when they are printable ASCII, else its position.  Clipped on a
 * character boundary, so that the message stays valid UTF-8. */
static const char *query_label(const char *raw, size_t rawlen, const char *decoded,
                               size_t index, char *buf, size_t bufsz)
{
	const char *s = decoded;
	size_t n = decoded ? strlen(decoded) : 0, cut;

	if (s == NULL) {
		s = raw;
		n = rawlen;
		for (size_t i = 0; i < rawlen; i++)
			if ((unsigned char)raw[i] < 0x21 || (unsigned char)raw[i] > 0x7e) {
				snprintf(buf, bufsz, "#%zu", index + 1);
				return buf;
			}
	}
	cut = n < QUERY_LABEL_MAX ? n : QUERY_LABEL_MAX;
	while (cut > 0 && cut < n && ((unsigned char)s[cut] & 0xC0) == 0x80)
		cut--;
	snprintf(buf, bufsz, "%.*s%s", (int)cut, s, cut < n ? "…" : "");
	return buf;
}

static int query_refuse(enum query_bad why, const char *label, struct error *err)
{
	switch (why) {
	case QUERY_BAD_ESCAPE:
		return error_set(err, THC_EINVAL,
		                 "tham số '%s' có mã phần trăm sai (cần %%XX, XX là hai chữ số hệ 16)",
		                 "parameter '%s' has a malformed percent escape (use %%XX with two hex digits)",
		                 label);
	case QUERY_BAD_NUL:
		return error_set(err, THC_EINVAL, "tham số '%s' chứa ký tự NUL (%%00)",
		                 "parameter '%s' contains a NUL character (%%00)", label);
	default:
		return error_set(err, THC_EINVAL, "tham số '%s' không phải văn bản UTF-8 hợp lệ",
		                 "parameter '%s' is not valid UTF-8 text", label);
	}
}

/* One piece "name=value" (or "name"), the index-th: decoded into *p. */
static int query_piece(const char *s, size_t n, size_t index, struct arena *a,
                       struct query_param *p, struct error *err)
{
	const char *eq = memchr(s, '=', n);
	size_t nlen = eq ? (size_t)(eq - s) : n, vlen = eq ? n - nlen - 1 : 0, got;
	char *name = arena_alloc(a, nlen + 1), *value = arena_alloc(a, vlen + 1);
	char label[QUERY_LABEL_MAX * 2 + 8];
	enum query_bad bad;

	if (name == NULL || value == NULL)
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	if ((bad = query_decode(s, nlen, name, &got)) != QUERY_OK)
		return query_refuse(bad, query_label(s, nlen, NULL, index, label, sizeof(label)), err);
	if (got == 0)
		return error_set(err, THC_EINVAL, "tham số thứ %zu không có tên",
		                 "parameter %zu has no name", index + 1);
	if ((bad = query_decode(eq ? eq + 1 : s + n, vlen, value, &got)) != QUERY_OK)
		return query_refuse(bad, query_label(NULL, 0, name, index, label, sizeof(label)), err);
	p->name = name;
	p->value = value;
	return 0;
}

static size_t query_pieces(const char *raw, size_t len)
{
	size_t pieces = 1;

	for (size_t i = 0; i < len; i++)
		pieces += raw[i] == '&';
	return pieces;
}

int query_check_caps(const char *raw, size_t len, struct error *err)
{
	if (len > QUERY_MAX_LEN)
		return error_set(err, THC_EURITOOLONG, "chuỗi truy vấn dài quá %d byte",
		                 "the query string is longer than %d bytes", QUERY_MAX_LEN);
	if (query_pieces(raw, len) > QUERY_MAX_PARAMS)
		return error_set(err, THC_EINVAL, "chuỗi truy vấn có quá %d tham số",
		                 "the query string has more than %d parameters", QUERY_MAX_PARAMS);
	return 0;
}

/* query_parse's work, with the caps of the caller. */
static int query_parse_capped(const char *raw, size_t len, size_t max_len, size_t max_params,
                              struct arena *a, struct query *out, struct error *err)
{
	struct query_param *params;
	size_t pieces, n = 0, index = 0;
	const char *p = raw, *end = raw + len;
	char label[QUERY_LABEL_MAX * 2 + 8];
	int rc;

	out->n = 0;
	out->params = NULL;
	if (len == 0)
		return 0;
	if (len > max_len)
		return error_set(err, THC_EURITOOLONG, "chuỗi tham số dài quá %zu byte",
		                 "the parameters are longer than %zu bytes", max_len);
	if ((pieces = query_pieces(raw, len)) > max_params)
		return error_set(err, THC_EINVAL, "có quá %zu tham số",
		                 "there are more than %zu parameters", max_params);
	if ((params = arena_alloc(a, pieces * sizeof(*params))) == NULL)
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	for (; p <= end; index++) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		size_t plen = amp ? (size_t)(amp - p) : (size_t)(end - p);

		if (plen > 0) {
			if ((rc = query_piece(p, plen, index, a, &params[n], err)) < 0)
				return rc;
			for (size_t j = 0; j < n; j++)
				if (strcmp(params[j].name, params[n].name) == 0)
					return error_set(err, THC_EINVAL,
					                 "tham số '%s' được cho hai lần",
					                 "parameter '%s' is given twice",
					                 query_label(NULL, 0, params[n].name, index,
					                             label, sizeof(label)));
			n++;
		}
		if (amp == NULL)
			break;
		p = amp + 1;
	}
	out->n = n;
	out->params = params;
	return 0;
}

int query_parse(const char *raw, size_t len, struct arena *a, struct query *out,
                struct error *err)
{
	int rc;

	out->n = 0;
	out->params = NULL;
	if (len > 0 && (rc = query_check_caps(raw, len, err)) < 0)
		return rc;
	return query_parse_capped(raw, len, QUERY_MAX_LEN, QUERY_MAX_PARAMS, a, out, err);
}

int query_parse_form(const char *raw, size_t len, struct arena *a, struct query *out,
                     struct error *err)
{
	int rc = query_parse_capped(raw, len, FORM_MAX_LEN, FORM_MAX_PARAMS, a, out, err);

	/* A body too long is not a request target too long. */
	if (rc == THC_EURITOOLONG)
		rc = err->code = THC_ETOOBIG;
	return rc;
}

const char *query_get(const struct query *q, const char *name)
{
	for (size_t i = 0; q && i < q->n; i++)
		if (strcmp(q->params[i].name, name) == 0)
			return q->params[i].value;
	return NULL;
}
