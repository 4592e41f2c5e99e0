/*
 * Request heads checked before libmicrohttpd reads them (see head.h).
 * Lines end in CRLF or a bare LF, as libmicrohttpd accepts; anything else
 * that RFC 9112 lets a server refuse is refused: white space before a
 * field's colon, folded lines, control characters, a second Host or
 * Content-Length.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "http/head.h"
#include "http/lang.h"
#include "http/query.h"
#include "base/banned.h"

#define HEAD_LANG_MAX 256            /* Accept-Language bytes read for the language */
#define HEAD_BLANK_MAX 8             /* empty lines tolerated before the request line */

struct head_scan {
	const struct head_limits *lim;
	struct head_info *info;
	struct error *err;
	int http11;                      /* Host is required */
	unsigned count, cookies, hosts, lengths;
};

static int head_tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* The line starting at buf[pos]: its length without CR LF, and where the
 * next one starts; 0 when no LF yet, -1 for a CR that is not before the LF. */
static int head_line(const char *buf, size_t n, size_t pos, size_t *len, size_t *next)
{
	const char *nl = memchr(buf + pos, '\n', n - pos);
	size_t l;

	if (nl == NULL)
		return 0;
	l = (size_t)(nl - (buf + pos));
	*next = pos + l + 1;
	if (l > 0 && buf[pos + l - 1] == '\r')
		l--;
	if (memchr(buf + pos, '\r', l) != NULL)
		return -1;
	*len = l;
	return 1;
}

static int head_bad_line(struct head_scan *s)
{
	return error_set(s->err, THC_EINVAL,
	                 "dòng yêu cầu sai dạng (cần: PHƯƠNG_THỨC /đường-dẫn HTTP/1.1)",
	                 "malformed request line (expected: METHOD /path HTTP/1.1)");
}

/* "METHOD SP target SP HTTP/1.x", exactly. */
static int head_request_line(struct head_scan *s, const char *line, size_t len)
{
	size_t m = 0, t, tlen;
	const char *target, *version, *q;

	while (m < len && head_tchar((unsigned char)line[m]))
		m++;
	if (m == 0 || m == len || line[m] != ' ')
		return head_bad_line(s);
	target = line + m + 1;
	for (t = 0; target + t < line + len && target[t] != ' '; t++)
		if ((unsigned char)target[t] <= 0x20 || target[t] == 0x7f)
			return head_bad_line(s);
	tlen = t;
	version = target + tlen + 1;
	if (tlen == 0 || version > line + len || line + len - version != 8)
		return head_bad_line(s);
	if (memcmp(version, "HTTP/", 5) != 0 || version[5] < '0' || version[5] > '9' ||
	    version[6] != '.' || version[7] < '0' || version[7] > '9')
		return head_bad_line(s);
	if (version[5] != '1')
		return error_set(s->err, THC_EINVAL,
		                 "phiên bản %.8s không được hỗ trợ (chỉ HTTP/1.0 và HTTP/1.1)",
		                 "%.8s is not supported (only HTTP/1.0 and HTTP/1.1)", version);
	s->http11 = version[7] != '0';
	/* libmicrohttpd keeps a record per query parameter in its buffer. */
	if ((q = memchr(target, '?', tlen)) != NULL)
		return query_check_caps(q + 1, tlen - (size_t)(q + 1 - target), s->err);
	return 0;
}

/* Content-Length: digits only, once, at most max_body. */
static int head_length(struct head_scan *s, const char *v, size_t vlen)
{
	size_t value = 0;

	if (++s->lengths > 1 || vlen == 0)
		goto bad;
	for (size_t i = 0; i < vlen; i++) {
		if (v[i] < '0' || v[i] > '9')
			goto bad;
		if (value > s->lim->max_body)   /* large enough: stop before it overflows */
			continue;
		value = value * 10 + (size_t)(v[i] - '0');
	}
	if (value > s->lim->max_body)
		return error_set(s->err, THC_ETOOBIG, "nội dung yêu cầu vượt quá %zu byte",
		                 "the request body exceeds %zu bytes", s->lim->max_body);
	return 0;
bad:
	return error_set(s->err, THC_EINVAL, "tiêu đề Content-Length không hợp lệ hoặc có hai lần",
	                 "the Content-Length header is invalid or given twice");
}

/* The fields whose value matters before the request goes further. */
static int head_known_field(struct head_scan *s, const char *name, size_t nlen,
                            const char *v, size_t vlen)
{
	if (nlen == 4 && strncasecmp(name, "Host", 4) == 0 && ++s->hosts > 1)
		return error_set(s->err, THC_EINVAL, "tiêu đề Host có hai lần",
		                 "the Host header is given twice");
	if (nlen == 14 && strncasecmp(name, "Content-Length", 14) == 0)
		return head_length(s, v, vlen);
	if (nlen == 17 && strncasecmp(name, "Transfer-Encoding", 17) == 0)
		return error_set(s->err, THC_ELENGTH,
		                 "nội dung phải gửi kèm Content-Length, không dùng Transfer-Encoding",
		                 "send the body with a Content-Length, not with Transfer-Encoding");
	if (nlen == 6 && strncasecmp(name, "Cookie", 6) == 0) {
		s->cookies++;
		for (size_t i = 0; i < vlen; i++)
			s->cookies += v[i] == ';';
		if (s->cookies > s->lim->max_cookies)
			return error_set(s->err, THC_EHEADERS, "yêu cầu có quá %u cookie",
			                 "the request has more than %u cookies", s->lim->max_cookies);
	}
	if (nlen == 15 && strncasecmp(name, "Accept-Language", 15) == 0) {
		char al[HEAD_LANG_MAX + 1];
		size_t k = vlen < HEAD_LANG_MAX ? vlen : HEAD_LANG_MAX;

		memcpy(al, v, k);
		al[k] = '\0';
		s->info->english = http_lang_english(al);
	}
	return 0;
}

/* "Name: value", the index-th field (from 1). */
static int head_field(struct head_scan *s, const char *line, size_t len, unsigned index)
{
	size_t n = 0, v;

	if (line[0] == ' ' || line[0] == '\t')
		return error_set(s->err, THC_EINVAL,
		                 "dòng tiêu đề %u bắt đầu bằng khoảng trắng (không hỗ trợ gấp dòng)",
		                 "header line %u starts with white space (folded lines are not supported)",
		                 index);
	while (n < len && head_tchar((unsigned char)line[n]))
		n++;
	if (n == 0 || n == len || line[n] != ':')
		return error_set(s->err, THC_EINVAL, "dòng tiêu đề %u sai dạng (cần Tên: giá trị)",
		                 "header line %u is malformed (expected Name: value)", index);
	for (size_t i = n + 1; i < len; i++) {
		unsigned char c = (unsigned char)line[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return error_set(s->err, THC_EINVAL,
			                 "tiêu đề '%.*s' chứa ký tự điều khiển",
			                 "header '%.*s' contains a control character",
			                 (int)(n < 40 ? n : 40), line);
	}
	for (v = n + 1; v < len && (line[v] == ' ' || line[v] == '\t'); v++)
		;
	while (len > v && (line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	return head_known_field(s, line, n, line + v, len - v);
}

static int head_fields_too_big(struct head_scan *s)
{
	return error_set(s->err, THC_EHEADERS, "tiêu đề yêu cầu vượt quá %zu byte",
	                 "the request headers exceed %zu bytes", s->lim->max_fields);
}

int head_check(const char *buf, size_t n, const struct head_limits *lim,
               struct head_info *info, struct error *err)
{
	struct head_scan s = { .lim = lim, .info = info, .err = err };
	size_t pos = 0, len = 0, next = 0, fields;
	unsigned blank = 0;
	int rc;

	info->len = 0;
	info->english = 0;
	/* RFC 9112 section 2.2: empty lines before the request line are ignored. */
	while ((rc = head_line(buf, n, pos, &len, &next)) == 1 && len == 0) {
		if (++blank > HEAD_BLANK_MAX)
			return head_bad_line(&s);
		pos = next;
	}
	if (rc == 0) {
		if (n - pos > lim->max_line + 1)   /* + 1: its CR may be there */
			goto line_too_long;
		return HEAD_MORE;
	}
	if (rc < 0)
		return head_bad_line(&s);
	if (len > lim->max_line)
		goto line_too_long;
	if ((rc = head_request_line(&s, buf + pos, len)) < 0)
		return rc;
	fields = pos = next;
	for (;;) {
		rc = head_line(buf, n, pos, &len, &next);
		if (rc == 0) {
			if (n - fields > lim->max_fields + 1)   /* + 1: the blank line's CR */
				return head_fields_too_big(&s);
			return HEAD_MORE;
		}
		if (rc < 0)
			return error_set(err, THC_EINVAL, "dòng tiêu đề %u có ký tự CR lạc chỗ",
			                 "header line %u has a stray CR", s.count + 1);
		if (len == 0)
			break;
		if (next - fields > lim->max_fields)
			return head_fields_too_big(&s);
		if (++s.count > lim->max_count)
			return error_set(err, THC_EHEADERS, "yêu cầu có quá %u dòng tiêu đề",
			                 "the request has more than %u header fields", lim->max_count);
		if ((rc = head_field(&s, buf + pos, len, s.count)) < 0)
			return rc;
		pos = next;
	}
	if (s.http11 && s.hosts == 0)
		return error_set(err, THC_EINVAL, "thiếu tiêu đề Host (bắt buộc với HTTP/1.1)",
		                 "the Host header is missing (HTTP/1.1 requires it)");
	info->len = next;
	return HEAD_DONE;
line_too_long:
	return error_set(err, THC_EURITOOLONG, "dòng yêu cầu dài quá %zu byte",
	                 "the request line is longer than %zu bytes", lim->max_line);
}
