/*
 * Attachment kinds by content, names, and their Content-Disposition.
 */
#include <string.h>

#include "base/text.h"
#include "domain/attachment.h"
#include "base/banned.h"

#define MIME_DOCX "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#define MIME_XLSX "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

static int att_starts(const unsigned char *b, size_t n, const char *magic, size_t len)
{
	return n >= len && memcmp(b, magic, len) == 0;
}

static int att_contains(const unsigned char *b, size_t n, const char *s)
{
	size_t len = strlen(s);

	for (size_t i = 0; i + len <= n; i++)
		if (b[i] == (unsigned char)s[0] && memcmp(b + i, s, len) == 0)
			return 1;
	return 0;
}

const char *attachment_sniff(const unsigned char *b, size_t n)
{
	if (att_starts(b, n, "%PDF-", 5))
		return "application/pdf";
	if (att_starts(b, n, "\xff\xd8\xff", 3))
		return "image/jpeg";
	if (att_starts(b, n, "\x89PNG\r\n\x1a\n", 8))
		return "image/png";
	/* Office Open XML is a ZIP whose part names (stored in clear in each
	 * local header) say what it is; [Content_Types].xml is in every one. */
	if (att_starts(b, n, "PK\x03\x04", 4) && att_contains(b, n, "[Content_Types].xml")) {
		if (att_contains(b, n, "word/document"))
			return MIME_DOCX;
		if (att_contains(b, n, "xl/workbook"))
			return MIME_XLSX;
	}
	return NULL;
}

int attachment_name_check(const char *name, const char *field, struct error *err)
{
	size_t len = name ? strlen(name) : 0;
	uint32_t bad;

	if (len == 0 || len > ATTACHMENT_NAME_MAX)
		return error_set_at(err, THC_EUNPROCESSABLE, field,
		                    "trường '%s': cần tên tệp 1..%d byte",
		                    "field '%s': expected a file name of 1..%d bytes", field,
		                    ATTACHMENT_NAME_MAX);
	if (text_plain_check(name, len, false, &bad) >= 0 || strpbrk(name, "/\\") != NULL ||
	    name[0] == '.')
		return error_set_at(err, THC_EUNPROCESSABLE, field,
		                    "trường '%s': tên tệp không được chứa ký tự điều khiển, '/', '\\'"
		                    " hay bắt đầu bằng dấu chấm",
		                    "field '%s': a file name may not hold control characters, '/', '\\'"
		                    " or start with a dot", field);
	return 0;
}

/* RFC 5987 attr-char: ALPHA / DIGIT / "!#$&+-.^_`|~" */
static int att_attr_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c != 0 && strchr("!#$&+-.^_`|~", c) != NULL);
}

int attachment_disposition(const char *name, char *out, size_t outsz)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t k = 0;
	const char *head = "attachment; filename=\"", *mid = "\"; filename*=UTF-8''";

#define PUT(ch) do { if (k + 1 >= outsz) return -1; out[k++] = (char)(ch); } while (0)
	for (const char *p = head; *p; p++)
		PUT(*p);
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		PUT(*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\' ? *p : '_');
	for (const char *p = mid; *p; p++)
		PUT(*p);
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (att_attr_char(*p)) {
			PUT(*p);
		} else {
			PUT('%');
			PUT(hex[*p >> 4]);
			PUT(hex[*p & 15]);
		}
	}
#undef PUT
	out[k] = '\0';
	return 0;
}
