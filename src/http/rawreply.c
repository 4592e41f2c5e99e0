/*
 * Error replies written straight to a socket (see rawreply.h).
 */
#include <stdio.h>

#include "base/vntime.h"
#include "http/headers.h"
#include "http/rawreply.h"
#include "base/banned.h"

static const char *const rawreply_headers[][2] = {
#define X(name, value) { name, value },
	HEADERS_SECURITY(X)
	HEADERS_API(X)
#undef X
};

static const char *rawreply_reason(int status)
{
	switch (status) {
	case 400: return "Bad Request";
	case 408: return "Request Timeout";
	case 411: return "Length Required";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 431: return "Request Header Fields Too Large";
	default: return "Error";
	}
}

void rawreply_http_date(int64_t utc_s, char *out, size_t outsz)
{
	static const char wday[7][4] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
	static const char month[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	int64_t sod = utc_s % 86400;
	int32_t days = (int32_t)(utc_s / 86400);
	struct vndate d = vndate_from_days(days);

	snprintf(out, outsz, "%s, %02d %s %04d %02d:%02d:%02d GMT", wday[vndate_weekday(days) - 1],
	         d.day, month[d.month - 1], d.year, (int)(sod / 3600), (int)(sod / 60 % 60),
	         (int)(sod % 60));
}

int rawreply_format(struct strbuf *out, int code, const struct error *err, int english,
                    const char *rid)
{
	struct strbuf body = STRBUF_INIT(RAWREPLY_MAX);
	int status = error_http_status(code), rc;
	const char *msg = err && err->code ? error_message(err, english)
	                                   : error_text(code, english);
	char date[40];

	rawreply_http_date(vntime_now_ms() / 1000, date, sizeof(date));
	if ((rc = strbuf_adds(&body, "{\"error\":{\"code\":")) < 0 ||
	    (rc = strbuf_add_json_str(&body, error_slug(code))) < 0 ||
	    (rc = strbuf_adds(&body, ",\"message\":")) < 0 ||
	    (rc = strbuf_add_json_str(&body, msg)) < 0 ||
	    (rc = strbuf_adds(&body, "}}\n")) < 0)
		goto out;
	if ((rc = strbuf_addf(out, "HTTP/1.1 %d %s\r\nDate: %s\r\n"
	                      "Content-Type: application/json; charset=utf-8\r\n"
	                      "Content-Length: %zu\r\nConnection: close\r\nX-Request-Id: %s\r\n"
	                      "Content-Language: %s\r\nVary: Accept-Language\r\n",
	                      status, rawreply_reason(status), date, body.len, rid,
	                      english ? "en" : "vi")) < 0)
		goto out;
	for (size_t i = 0; i < ARRAY_SIZE(rawreply_headers); i++)
		if ((rc = strbuf_addf(out, "%s: %s\r\n", rawreply_headers[i][0],
		                      rawreply_headers[i][1])) < 0)
			goto out;
	if ((rc = strbuf_adds(out, "\r\n")) < 0)
		goto out;
	rc = strbuf_add(out, body.buf, body.len);
out:
	strbuf_release(&body);
	return rc;
}
