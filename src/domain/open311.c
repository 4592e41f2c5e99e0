/*
 * Open311 GeoReport v2: suffixes, statuses, datetimes and the XML form of
 * a reply (domain/open311.h).
 */
#include <stdio.h>
#include <string.h>

#include "base/vntime.h"
#include "domain/open311.h"
#include "base/banned.h"

#define VN_OFFSET_S (7 * 3600)

int open311_split(const char *segment, size_t *name_len, enum open311_format *fmt)
{
	const char *dot = segment ? strrchr(segment, '.') : NULL;

	if (dot == NULL || dot == segment)
		return -1;
	if (strcmp(dot, ".json") == 0)
		*fmt = OPEN311_JSON;
	else if (strcmp(dot, ".xml") == 0)
		*fmt = OPEN311_XML;
	else
		return -1;
	*name_len = (size_t)(dot - segment);
	return 0;
}

const char *open311_status(const char *s)
{
	static const char *const open[] = { "new", "acknowledged", "in_progress" };
	static const char *const closed[] = { "answered", "closed", "rejected" };

	for (size_t i = 0; s && i < 3; i++) {
		if (strcmp(s, open[i]) == 0)
			return "open";
		if (strcmp(s, closed[i]) == 0)
			return "closed";
	}
	return NULL;
}

void open311_datetime(int64_t utc_ms, char out[OPEN311_DATETIME_MAX])
{
	int64_t local = (utc_ms >= 0 ? utc_ms / 1000 : (utc_ms - 999) / 1000) + VN_OFFSET_S;
	int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
	int64_t sec = local - days * 86400;
	struct vndate d = vndate_from_days((int32_t)days);

	snprintf(out, OPEN311_DATETIME_MAX, "%04d-%02d-%02dT%02d:%02d:%02d+07:00", d.year % 10000,
	         d.month % 100, d.day % 100, (int)(sec / 3600), (int)(sec / 60 % 60),
	         (int)(sec % 60));
}

static const char *const open311_lists[][2] = {
	{ "services", "service" },
	{ "service_requests", "request" },
	{ "endpoints", "endpoint" },
	{ "formats", "format" },
	{ "attributes", "attribute" },
	{ "values", "value" },
	{ "errors", "error" },
};

const char *open311_item_name(const char *list_name)
{
	for (size_t i = 0; i < sizeof(open311_lists) / sizeof(open311_lists[0]); i++)
		if (strcmp(open311_lists[i][0], list_name) == 0)
			return open311_lists[i][1];
	return NULL;
}

int open311_xml_text(struct strbuf *sb, const char *s)
{
	int rc = 0;

	for (; *s && rc == 0; s++) {
		switch (*s) {
		case '&': rc = strbuf_adds(sb, "&amp;"); break;
		case '<': rc = strbuf_adds(sb, "&lt;"); break;
		case '>': rc = strbuf_adds(sb, "&gt;"); break;
		case '\t': case '\n': case '\r': rc = strbuf_addch(sb, *s); break;
		default:
			if ((unsigned char)*s >= 0x20)
				rc = strbuf_addch(sb, *s);
		}
	}
	return rc;
}

static int open311_xml_value(struct strbuf *sb, const char *name, const json_t *v);

/* The members of an object, in order, as elements. */
static int open311_xml_members(struct strbuf *sb, const json_t *o)
{
	const char *k;
	json_t *m;
	int rc = 0;

	json_object_foreach((json_t *)o, k, m) {
		if ((rc = open311_xml_value(sb, k, m)) < 0)
			return rc;
	}
	return rc;
}

static int open311_xml_scalar(struct strbuf *sb, const json_t *v)
{
	char num[64];

	switch (json_typeof(v)) {
	case JSON_STRING: return open311_xml_text(sb, json_string_value(v));
	case JSON_INTEGER:
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
		return strbuf_adds(sb, num);
	case JSON_REAL:
		snprintf(num, sizeof(num), "%.10g", json_real_value(v));
		return strbuf_adds(sb, num);
	case JSON_TRUE: return strbuf_adds(sb, "true");
	case JSON_FALSE: return strbuf_adds(sb, "false");
	default: return 0;
	}
}

static int open311_xml_value(struct strbuf *sb, const char *name, const json_t *v)
{
	int rc;

	if (v == NULL || json_is_null(v))
		return strbuf_addf(sb, "<%s/>", name);
	if ((rc = strbuf_addf(sb, "<%s>", name)) < 0)
		return rc;
	if (json_is_object(v)) {
		rc = open311_xml_members(sb, v);
	} else if (json_is_array(v)) {
		const char *item = open311_item_name(name);
		size_t i;
		json_t *e;

		json_array_foreach((json_t *)v, i, e) {
			if ((rc = open311_xml_value(sb, item ? item : "item", e)) < 0)
				return rc;
		}
	} else {
		rc = open311_xml_scalar(sb, v);
	}
	return rc < 0 ? rc : strbuf_addf(sb, "</%s>", name);
}

int open311_xml(struct strbuf *sb, const char *root, const json_t *v)
{
	int rc = strbuf_adds(sb, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");

	return rc < 0 ? rc : open311_xml_value(sb, root, v);
}
