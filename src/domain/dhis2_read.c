/*
 * DHIS2 import, the parts without storage (dhis2.h): telling ADX from
 * JSON, ADX read with expat into the dataValueSets document it stands for
 * (so that both forms go through one reader of values, dhis2_read_json),
 * and DHIS2's import summary.
 */
#include <expat.h>
#include <stdio.h>
#include <string.h>

#include "domain/dhis2.h"
#include "base/banned.h"

#define ADX_NS "urn:ihe:qrph:adx:2015"
#define ADX_DEPTH_MAX 8              /* adx > group > dataValue > annotation ... */
#define ADX_NAME_MAX 64

int dhis2_is_adx(const char *text, size_t len)
{
	size_t i = 0;

	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
		i++;
	return i < len && text[i] == '<';
}

struct adx_reader {
	XML_Parser p;
	struct error *err;
	json_t *values;
	const char *data_set;            /* the first group's, owned by doc */
	json_t *doc;
	char org_unit[ADX_NAME_MAX + 1], period[ADX_NAME_MAX + 1];
	int depth;
	int failed;
};

/* Stops the parse with err set (the first failure wins). */
static void adx_fail(struct adx_reader *R, const char *vi, const char *en, const char *what)
{
	/* One argument list for both messages: each skips the other's reason. */
	if (!R->failed)
		error_set(R->err, THC_EINVAL, "ADX dòng %lu: %s%.0s '%.64s'",
		          "ADX line %lu: %.0s%s '%.64s'",
		          (unsigned long)XML_GetCurrentLineNumber(R->p), vi, en, what);
	R->failed = 1;
	XML_StopParser(R->p, XML_FALSE);
}

/* The local name of an element in the ADX namespace, else NULL. */
static const char *adx_local(const char *name)
{
	size_t n = strlen(ADX_NS);

	return strncmp(name, ADX_NS, n) == 0 && name[n] == ' ' ? name + n + 1 : NULL;
}

static int adx_copy(char *dst, const char *src)
{
	size_t n = strlen(src);

	if (n == 0 || n > ADX_NAME_MAX)
		return -1;
	memcpy(dst, src, n + 1);
	return 0;
}

static void adx_group(struct adx_reader *R, const char **attr)
{
	const char *ds = NULL;

	R->org_unit[0] = R->period[0] = '\0';
	for (size_t i = 0; attr[i]; i += 2) {
		const char *k = attr[i], *v = attr[i + 1];

		if (strcmp(k, "dataSet") == 0)
			ds = v;
		else if (strcmp(k, "orgUnit") == 0 && adx_copy(R->org_unit, v) == 0)
			continue;
		else if (strcmp(k, "period") == 0 && adx_copy(R->period, v) == 0)
			continue;
		else if (strcmp(k, "completeDate") != 0)
			return adx_fail(R, "nhóm có thuộc tính không dùng được hoặc quá dài",
			                "a group has an attribute that cannot be used, or too long", k);
	}
	if (ds == NULL || !R->org_unit[0] || !R->period[0])
		return adx_fail(R, "nhóm thiếu thuộc tính", "a group lacks an attribute",
		                ds == NULL ? "dataSet" : !R->org_unit[0] ? "orgUnit" : "period");
	if (R->data_set == NULL) {
		if (json_object_set_new(R->doc, "dataSet", json_string(ds)) < 0)
			return adx_fail(R, "bộ dữ liệu không đọc được", "unreadable data set", ds);
		R->data_set = json_string_value(json_object_get(R->doc, "dataSet"));
	} else if (strcmp(R->data_set, ds) != 0) {
		adx_fail(R, "mỗi tệp chỉ một bộ dữ liệu, không phải", "one data set per file, not", ds);
	}
}

static void adx_value(struct adx_reader *R, const char **attr)
{
	json_t *o;

	if (json_array_size(R->values) >= DHIS2_IMPORT_VALUES_MAX)
		return adx_fail(R, "quá nhiều giá trị, tối đa", "too many values, at most", "1000000");
	if ((o = json_pack("{s:s,s:s}", "orgUnit", R->org_unit, "period", R->period)) == NULL ||
	    json_array_append_new(R->values, o) < 0)
		return adx_fail(R, "hết bộ nhớ", "out of memory", "");
	for (size_t i = 0; attr[i]; i += 2) {
		const char *k = attr[i];

		if (strcmp(k, "dataElement") != 0 && strcmp(k, "value") != 0 &&
		    strcmp(k, "categoryOptionCombo") != 0 && strcmp(k, "attributeOptionCombo") != 0)
			return adx_fail(R, "thuộc tính không có trong tệp ánh xạ (phân tổ?)",
			                "an attribute not in the mapping (a disaggregation?)", k);
		if (json_object_set_new(o, k, json_string(attr[i + 1])) < 0)
			return adx_fail(R, "giá trị không đọc được", "unreadable value", k);
	}
}

static void XMLCALL adx_start(void *ctx, const char *name, const char **attr)
{
	struct adx_reader *R = ctx;
	const char *local = adx_local(name);
	int d = R->depth++;

	if (R->failed)
		return;
	if (d >= ADX_DEPTH_MAX)
		return adx_fail(R, "lồng quá sâu ở", "nested too deep at", name);
	if (d == 0 && (local == NULL || strcmp(local, "adx") != 0))
		return adx_fail(R, "gốc phải là adx (" ADX_NS "), không phải",
		                "the root must be adx (" ADX_NS "), not", name);
	if (d == 1 && (local == NULL || strcmp(local, "group") != 0))
		return adx_fail(R, "trong adx chỉ có group, không có", "adx holds groups only, not", name);
	if (d == 2 && (local == NULL || strcmp(local, "dataValue") != 0))
		return adx_fail(R, "trong group chỉ có dataValue, không có",
		                "a group holds dataValues only, not", name);
	if (d == 1)
		adx_group(R, attr);
	else if (d == 2)
		adx_value(R, attr);
	/* Below a dataValue: its annotation, not imported. */
}

static void XMLCALL adx_end(void *ctx, const char *name)
{
	struct adx_reader *R = ctx;

	(void)name;
	R->depth--;
}

/* No DTD at all: no entities to expand, no external ones to fetch. */
static void XMLCALL adx_doctype(void *ctx, const char *name, const char *sysid,
                                const char *pubid, int internal)
{
	(void)sysid;
	(void)pubid;
	(void)internal;
	adx_fail(ctx, "không nhận DTD (DOCTYPE)", "no DTD (DOCTYPE) is accepted", name);
}

int dhis2_adx_to_json(const char *text, size_t len, json_t **out, struct error *err)
{
	struct adx_reader R = { .err = err };
	int rc = 0;

	*out = NULL;
	if (len > (size_t)INT32_MAX)
		return error_set(err, THC_ETOOBIG, "tệp ADX quá lớn", "the ADX document is too large");
	R.values = json_array();
	R.doc = json_pack("{s:o}", "dataValues", R.values);
	if ((R.p = XML_ParserCreateNS(NULL, ' ')) == NULL || R.doc == NULL) {
		if (R.p)
			XML_ParserFree(R.p);
		json_decref(R.doc);
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	}
	XML_SetUserData(R.p, &R);
	XML_SetElementHandler(R.p, adx_start, adx_end);
	XML_SetStartDoctypeDeclHandler(R.p, adx_doctype);
	if (XML_Parse(R.p, text, (int)len, XML_TRUE) != XML_STATUS_OK && !R.failed)
		rc = error_set(err, THC_EINVAL, "ADX dòng %lu: XML sai: %s",
		               "ADX line %lu: malformed XML: %s",
		               (unsigned long)XML_GetCurrentLineNumber(R.p),
		               XML_ErrorString(XML_GetErrorCode(R.p)));
	if (R.failed)
		rc = THC_EINVAL;
	XML_ParserFree(R.p);
	if (rc < 0)
		json_decref(R.doc);
	else
		*out = R.doc;
	return rc;
}

json_t *dhis2_import_summary(size_t imported, size_t updated, size_t ignored, size_t deleted,
                             json_t *conflicts)
{
	size_t nc = json_array_size(conflicts);
	json_t *rejected = json_array(), *c;
	size_t i;

	json_array_foreach(conflicts, i, c) {
		json_t *ix = json_object_get(c, "indexes");
		json_t *x;
		size_t k;

		json_array_foreach(ix, k, x)
			json_array_append(rejected, x);
	}
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:{s:I,s:I,s:I,s:I},s:O,s:o}",
	                 "responseType", "ImportSummary",
	                 "status", nc ? "ERROR" : "SUCCESS",
	                 "description", nc
	                 ? "Không nhập gì: tệp có giá trị không dùng được (xem conflicts) / "
	                   "Nothing was imported: the file has values that cannot be used (see conflicts)"
	                 : "Đã nhập / Import was successful",
	                 DHIS2_VALUE_VI, nc ? "Không nhập gì: tệp có giá trị không dùng được (xem conflicts)"
	                                    : "Đã nhập",
	                 DHIS2_VALUE_EN, nc ? "Nothing was imported: the file has values that cannot be "
	                                      "used (see conflicts)"
	                                    : "Import was successful",
	                 "importCount", "imported", (json_int_t)imported, "updated",
	                 (json_int_t)updated, "ignored", (json_int_t)ignored, "deleted",
	                 (json_int_t)deleted,
	                 "conflicts", conflicts, "rejectedIndexes", rejected);
}

/* One member's text in the language asked for: "value" of a conflict,
 * "description" of the summary. */
static void dhis2_one_language(json_t *o, const char *key, enum dhis2_lang lang)
{
	json_t *t = json_object_get(o, lang == DHIS2_LANG_EN ? DHIS2_VALUE_EN : DHIS2_VALUE_VI);

	if (lang != DHIS2_LANG_BOTH && json_is_string(t))
		json_object_set(o, key, t);
	json_object_del(o, DHIS2_VALUE_VI);
	json_object_del(o, DHIS2_VALUE_EN);
}

void dhis2_summary_language(json_t *summary, enum dhis2_lang lang)
{
	json_t *c;
	size_t i;

	dhis2_one_language(summary, "description", lang);
	json_array_foreach(json_object_get(summary, "conflicts"), i, c)
		dhis2_one_language(c, "value", lang);
}
