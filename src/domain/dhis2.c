/*
 * DHIS2 periods, the mapping file, and dataValueSets JSON / ADX XML
 * writing (dhis2.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/parse.h"
#include "base/vntime.h"
#include "domain/dhis2.h"
#include "base/banned.h"

#define DHIS2_ID_MAX 64

static const char *const dhis2_names[] = {
#define X(id, name, code) name,
	DHIS2_INDICATORS(X)
#undef X
};

/* The period type's infix by the weekday weeks start on (1 Monday .. 7
 * Sunday); NULL where DHIS2 has none. */
static const char *const dhis2_week_infix[8] = {
	NULL, "W", NULL, "WedW", "ThuW", NULL, "SatW", "SunW",
};

static const char *const dhis2_weekday_en[8] = {
	NULL, "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
};
static const char *const dhis2_weekday_vi[8] = {
	NULL, "thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật",
};

const char *dhis2_ind_name(enum dhis2_ind i)
{
	return (unsigned)i < DHIS2_IND_COUNT ? dhis2_names[i] : "?";
}

/* First day of week 1 of `year` for weeks starting on `wday`: the week that
 * holds 4 January. */
static int32_t dhis2_week1(int year, int wday)
{
	int32_t jan4 = vndate_to_days((struct vndate){ year, 1, 4 });

	return jan4 - (vndate_weekday(jan4) - wday + 7) % 7;
}

/* Whether the week starting on day `start` can be written both ways and
 * read back: its days and its year (the year of its fourth day, as the
 * weekly types count) within the dates vntime reads, the last year left
 * out so that a week running into the next year stays readable. */
static int dhis2_week_in_range(int32_t start)
{
	int y = vndate_from_days(start + 3).year;

	return vndate_from_days(start).year >= VNTIME_MIN_YEAR && y >= VNTIME_MIN_YEAR &&
	       y <= VNTIME_MAX_YEAR - 1 && vndate_from_days(start + 6).year <= VNTIME_MAX_YEAR - 1;
}

/* The weekday's name differs between the languages, so the English text is
 * written after error_set has written both. */
static int dhis2_no_type(int wday, const char *what, struct error *err)
{
	error_set(err, THC_EINVAL,
	          "'%s': DHIS2 không có loại kỳ tuần bắt đầu vào %s (chỉ thứ Hai, thứ Tư, "
	          "thứ Năm, thứ Bảy, Chủ nhật)", "'%s': %s", what, dhis2_weekday_vi[wday]);
	snprintf(err->en, sizeof(err->en),
	         "'%s': DHIS2 has no weekly period type starting on %s (only Monday, "
	         "Wednesday, Thursday, Saturday, Sunday)", what, dhis2_weekday_en[wday]);
	return err->code;
}

int dhis2_week_period(int32_t start, char out[DHIS2_PERIOD_MAX], struct error *err)
{
	int wday = vndate_weekday(start);
	struct vndate d = vndate_from_days(start + 3);   /* the week's year: its 4th day's */

	if (dhis2_week_infix[wday] == NULL) {
		char day[11];

		vndate_format_iso(vndate_from_days(start), day, sizeof(day));
		return dhis2_no_type(wday, day, err);
	}
	snprintf(out, DHIS2_PERIOD_MAX, "%d%s%d", d.year, dhis2_week_infix[wday],
	         (int)((start - dhis2_week1(d.year, wday)) / 7 + 1));
	return 0;
}

void dhis2_week_adx(int32_t start, char out[DHIS2_PERIOD_MAX])
{
	char day[11];

	vndate_format_iso(vndate_from_days(start), day, sizeof(day));
	snprintf(out, DHIS2_PERIOD_MAX, "%s/P7D", day);
}

static int dhis2_bad_period(const char *s, struct error *err)
{
	return error_set(err, THC_EINVAL,
	                 "kỳ '%s' không phải kỳ tuần của DHIS2 (như 2021W42 hoặc 2021-10-18/P7D)",
	                 "period '%s' is not a DHIS2 weekly period (such as 2021W42 or "
	                 "2021-10-18/P7D)", s);
}

static int dhis2_parse_adx(const char *s, int32_t *start, struct error *err)
{
	char day[11];
	struct vndate d;
	int wday;

	if (strlen(s) < 11 || s[10] != '/')
		return dhis2_bad_period(s, err);
	memcpy(day, s, 10);
	day[10] = '\0';
	if (vndate_parse(day, &d) < 0)
		return dhis2_bad_period(s, err);
	if (strcmp(s + 11, "P1W") == 0)
		return error_set(err, THC_EINVAL,
		                 "kỳ '%s': DHIS2 không nhận P1W, tuần viết là P7D",
		                 "period '%s': DHIS2 refuses P1W; a week is P7D", s);
	if (strcmp(s + 11, "P7D") != 0)
		return dhis2_bad_period(s, err);
	*start = vndate_to_days(d);
	wday = vndate_weekday(*start);
	if (!dhis2_week_in_range(*start))
		return dhis2_bad_period(s, err);
	return dhis2_week_infix[wday] ? 0 : dhis2_no_type(wday, s, err);
}

int dhis2_period_parse(const char *s, int32_t *start, struct error *err)
{
	int year = 0, week = 0, wday = 0, k = 0;
	const char *p = s;

	if (strchr(s, '-'))
		return dhis2_parse_adx(s, start, err);
	for (; k < 4 && *p >= '0' && *p <= '9'; k++, p++)
		year = year * 10 + (*p - '0');
	if (k != 4 || year < VNTIME_MIN_YEAR || year > VNTIME_MAX_YEAR - 1)
		return dhis2_bad_period(s, err);
	for (int w = 1; w <= 7; w++) {
		size_t n = dhis2_week_infix[w] ? strlen(dhis2_week_infix[w]) : 0;

		if (n && strncmp(p, dhis2_week_infix[w], n) == 0 && p[n] >= '0' && p[n] <= '9') {
			wday = w;
			p += n;
			break;
		}
	}
	for (k = 0; wday && k < 2 && *p >= '0' && *p <= '9'; k++, p++)
		week = week * 10 + (*p - '0');
	if (wday == 0 || k == 0 || *p != '\0' || week < 1)
		return dhis2_bad_period(s, err);
	*start = dhis2_week1(year, wday) + 7 * (week - 1);
	if (!dhis2_week_in_range(*start))
		return dhis2_bad_period(s, err);
	if (vndate_from_days(*start + 3).year != year)
		return error_set(err, THC_EINVAL, "kỳ '%s': năm %d không có tuần %d",
		                 "period '%s': %d has no week %d", s, year, week);
	return 0;
}

/* ---- the mapping ---- */

struct dhis2_elem {
	char *element, *coc, *aoc;
};

struct dhis2_map {
	char *data_set;
	size_t nunits;
	char **unit_codes, **unit_ids;
	struct dhis2_elem elem[DHIS2_IND_COUNT];
};

void dhis2_map_free(struct dhis2_map *m)
{
	if (m == NULL)
		return;
	free(m->data_set);
	for (size_t i = 0; i < m->nunits; i++) {
		free(m->unit_codes[i]);
		free(m->unit_ids[i]);
	}
	free(m->unit_codes);
	free(m->unit_ids);
	for (int i = 0; i < DHIS2_IND_COUNT; i++) {
		free(m->elem[i].element);
		free(m->elem[i].coc);
		free(m->elem[i].aoc);
	}
	free(m);
}

/* An id: text of 1..DHIS2_ID_MAX printable ASCII characters, copied. */
static int dhis2_id(json_t *v, const char *where, int optional, char **out, struct error *err)
{
	const char *s = json_string_value(v);
	size_t n = s ? strlen(s) : 0;

	*out = NULL;
	if (v == NULL && optional)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] > '~')
			n = 0;
	if (n == 0 || n > DHIS2_ID_MAX)
		return error_set_at(err, THC_EINVAL, where,
		                    "'%s' phải là mã DHIS2: 1 đến %d ký tự ASCII in được, không có khoảng trắng",
		                    "'%s' must be a DHIS2 id: 1 to %d printable ASCII characters, no spaces",
		                    where, DHIS2_ID_MAX);
	*out = strdup(s);
	return *out ? 0 : error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
}

static int dhis2_map_units(struct dhis2_map *m, json_t *units, struct error *err)
{
	const char *code;
	json_t *v;
	char where[96];
	int rc;

	if (units == NULL)
		return 0;
	if (!json_is_object(units))
		return error_set_at(err, THC_EINVAL, "orgUnits", "'orgUnits' phải là một đối tượng",
		                    "'orgUnits' must be an object");
	m->unit_codes = calloc(json_object_size(units) + 1, sizeof(char *));
	m->unit_ids = calloc(json_object_size(units) + 1, sizeof(char *));
	if (!m->unit_codes || !m->unit_ids)
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	json_object_foreach(units, code, v) {
		snprintf(where, sizeof(where), "orgUnits.%.60s", code);
		m->unit_codes[m->nunits] = strdup(code);
		if (m->unit_codes[m->nunits] == NULL)
			return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		rc = dhis2_id(v, where, 0, &m->unit_ids[m->nunits], err);
		m->nunits++;
		if (rc < 0)
			return rc;
		for (size_t i = 0; i + 1 < m->nunits; i++)
			if (strcmp(m->unit_ids[i], m->unit_ids[m->nunits - 1]) == 0)
				return error_set_at(err, THC_EINVAL, where,
				                    "'%s': hai đơn vị cùng mã DHIS2 '%s'",
				                    "'%s': two units with one DHIS2 id '%s'",
				                    where, m->unit_ids[i]);
	}
	return 0;
}

static int dhis2_map_elements(struct dhis2_map *m, json_t *elems, struct error *err)
{
	const char *name;
	json_t *v;
	char where[96];
	int rc;

	if (!json_is_object(elems))
		return error_set_at(err, THC_EINVAL, "dataElements", "'dataElements' phải là một đối tượng",
		                    "'dataElements' must be an object");
	json_object_foreach(elems, name, v) {
		int i = 0;

		while (i < DHIS2_IND_COUNT && strcmp(dhis2_names[i], name) != 0)
			i++;
		snprintf(where, sizeof(where), "dataElements.%.60s", name);
		if (i == DHIS2_IND_COUNT)
			return error_set_at(err, THC_EINVAL, where,
			                    "'%s': chỉ số không có (cases, community_cases, oxygen_cases, "
			                    "deaths, population, level)",
			                    "'%s': no such indicator (cases, community_cases, oxygen_cases, "
			                    "deaths, population, level)", where);
		snprintf(where, sizeof(where), "dataElements.%s.dataElement", name);
		if ((rc = dhis2_id(json_object_get(v, "dataElement"), where, 0, &m->elem[i].element, err)) < 0)
			return rc;
		snprintf(where, sizeof(where), "dataElements.%s.categoryOptionCombo", name);
		if ((rc = dhis2_id(json_object_get(v, "categoryOptionCombo"), where, 1, &m->elem[i].coc,
		                   err)) < 0)
			return rc;
		snprintf(where, sizeof(where), "dataElements.%s.attributeOptionCombo", name);
		if ((rc = dhis2_id(json_object_get(v, "attributeOptionCombo"), where, 1, &m->elem[i].aoc,
		                   err)) < 0)
			return rc;
	}
	/* Once all are read, whatever their order: each indicator must be found
	 * again from its own data element and combo (a combo left out matches
	 * any, so it may not share its data element with another indicator). */
	for (int i = 0; i < DHIS2_IND_COUNT; i++) {
		if (m->elem[i].element == NULL || dhis2_map_ind_of(m, m->elem[i].element,
		                                                   m->elem[i].coc) == i)
			continue;
		snprintf(where, sizeof(where), "dataElements.%s.dataElement", dhis2_names[i]);
		return error_set_at(err, THC_EINVAL, where,
		                    "'%s': hai chỉ số cùng phần tử dữ liệu '%s'",
		                    "'%s': two indicators with one data element '%s'",
		                    dhis2_names[i], m->elem[i].element);
	}
	return 0;
}

int dhis2_map_parse(const char *text, size_t len, struct dhis2_map **out, struct error *err)
{
	json_error_t je;
	json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	struct dhis2_map *m = NULL;
	int rc;

	*out = NULL;
	if (doc == NULL || !json_is_object(doc)) {
		json_decref(doc);
		return error_set(err, THC_EINVAL, "tệp ánh xạ DHIS2 không phải JSON hợp lệ (dòng %d): %s",
		                 "the DHIS2 mapping is not valid JSON (line %d): %s",
		                 je.line, je.text);
	}
	if ((m = calloc(1, sizeof(*m))) == NULL) {
		rc = error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		goto out;
	}
	if ((rc = dhis2_id(json_object_get(doc, "dataSet"), "dataSet", 0, &m->data_set, err)) < 0 ||
	    (rc = dhis2_map_units(m, json_object_get(doc, "orgUnits"), err)) < 0 ||
	    (rc = dhis2_map_elements(m, json_object_get(doc, "dataElements"), err)) < 0)
		goto out;
	*out = m;
	m = NULL;
out:
	dhis2_map_free(m);
	json_decref(doc);
	return rc;
}

const char *dhis2_map_data_set(const struct dhis2_map *m)
{
	return m->data_set;
}

const char *dhis2_map_org_unit(const struct dhis2_map *m, const char *code)
{
	for (size_t i = 0; i < m->nunits; i++)
		if (strcmp(m->unit_codes[i], code) == 0)
			return m->unit_ids[i];
	return code;
}

const char *dhis2_map_unit_of(const struct dhis2_map *m, const char *id)
{
	for (size_t i = 0; i < m->nunits; i++)
		if (strcmp(m->unit_ids[i], id) == 0)
			return m->unit_codes[i];
	/* An id that is some unit's own code but mapped to another id is not it. */
	for (size_t i = 0; i < m->nunits; i++)
		if (strcmp(m->unit_codes[i], id) == 0)
			return NULL;
	return id;
}

int dhis2_map_has(const struct dhis2_map *m, enum dhis2_ind i)
{
	return (unsigned)i < DHIS2_IND_COUNT && m->elem[i].element != NULL;
}

const char *dhis2_map_element(const struct dhis2_map *m, enum dhis2_ind i)
{
	return dhis2_map_has(m, i) ? m->elem[i].element : NULL;
}

const char *dhis2_map_coc(const struct dhis2_map *m, enum dhis2_ind i)
{
	return dhis2_map_has(m, i) ? m->elem[i].coc : NULL;
}

const char *dhis2_map_aoc(const struct dhis2_map *m, enum dhis2_ind i)
{
	return dhis2_map_has(m, i) ? m->elem[i].aoc : NULL;
}

static int dhis2_same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

int dhis2_map_ind_of(const struct dhis2_map *m, const char *element, const char *coc)
{
	for (int i = 0; i < DHIS2_IND_COUNT; i++)
		if (m->elem[i].element && strcmp(m->elem[i].element, element) == 0 &&
		    dhis2_same(m->elem[i].coc, coc))
			return i;
	return -1;
}

/* ---- writing ---- */

int dhis2_write_json(const struct dhis2_map *m, const struct dhis2_value *v, size_t n,
                     json_t **out, struct error *err)
{
	json_t *values = json_array();
	char period[DHIS2_PERIOD_MAX], num[24];
	int rc = 0;

	*out = NULL;
	for (size_t i = 0; values && i < n && rc == 0; i++) {
		json_t *o;

		if (!dhis2_map_has(m, v[i].ind))
			continue;
		if ((rc = dhis2_week_period(v[i].start, period, err)) < 0)
			break;
		snprintf(num, sizeof(num), "%" PRId64, v[i].value);
		o = json_pack("{s:s,s:s,s:s,s:s}", "dataElement", dhis2_map_element(m, v[i].ind),
		              "period", period, "orgUnit", dhis2_map_org_unit(m, v[i].unit),
		              "value", num);
		if (o && dhis2_map_coc(m, v[i].ind))
			json_object_set_new(o, "categoryOptionCombo", json_string(dhis2_map_coc(m, v[i].ind)));
		if (o && dhis2_map_aoc(m, v[i].ind))
			json_object_set_new(o, "attributeOptionCombo", json_string(dhis2_map_aoc(m, v[i].ind)));
		if (o == NULL || json_array_append_new(values, o) < 0)
			rc = error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	}
	if (rc == 0 && values)
		*out = json_pack("{s:s,s:o}", "dataSet", m->data_set, "dataValues", values);
	else
		json_decref(values);
	if (rc == 0 && *out == NULL)
		rc = error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	return rc;
}

int dhis2_xml_attr(struct strbuf *sb, const char *s)
{
	int rc = 0;

	for (; *s && rc == 0; s++) {
		switch (*s) {
		case '&': rc = strbuf_adds(sb, "&amp;"); break;
		case '<': rc = strbuf_adds(sb, "&lt;"); break;
		case '>': rc = strbuf_adds(sb, "&gt;"); break;
		case '"': rc = strbuf_adds(sb, "&quot;"); break;
		case '\'': rc = strbuf_adds(sb, "&apos;"); break;
		case '\t': rc = strbuf_adds(sb, "&#9;"); break;
		case '\n': rc = strbuf_adds(sb, "&#10;"); break;
		case '\r': rc = strbuf_adds(sb, "&#13;"); break;
		default:
			/* Other control characters cannot appear in XML 1.0 at all. */
			rc = (unsigned char)*s < 0x20 ? THC_EINVAL : strbuf_addch(sb, *s);
		}
	}
	return rc;
}

/* ` name="value"`, escaped. */
static int dhis2_adx_attr(struct strbuf *sb, const char *name, const char *value)
{
	int rc;

	if ((rc = strbuf_addf(sb, " %s=\"", name)) < 0 || (rc = dhis2_xml_attr(sb, value)) < 0)
		return rc;
	return strbuf_addch(sb, '"');
}

static int dhis2_adx_group(const struct dhis2_map *m, const struct dhis2_value *v,
                           struct strbuf *sb)
{
	char period[DHIS2_PERIOD_MAX];
	int rc;

	dhis2_week_adx(v->start, period);
	if ((rc = strbuf_adds(sb, "  <group")) < 0 ||
	    (rc = dhis2_adx_attr(sb, "dataSet", m->data_set)) < 0 ||
	    (rc = dhis2_adx_attr(sb, "orgUnit", dhis2_map_org_unit(m, v->unit))) < 0 ||
	    (rc = dhis2_adx_attr(sb, "period", period)) < 0)
		return rc;
	return strbuf_adds(sb, ">\n");
}

static int dhis2_adx_value(const struct dhis2_map *m, const struct dhis2_value *v,
                           struct strbuf *sb)
{
	char num[24];
	int rc;

	snprintf(num, sizeof(num), "%" PRId64, v->value);
	if ((rc = strbuf_adds(sb, "    <dataValue")) < 0 ||
	    (rc = dhis2_adx_attr(sb, "dataElement", dhis2_map_element(m, v->ind))) < 0)
		return rc;
	if (dhis2_map_coc(m, v->ind) &&
	    (rc = dhis2_adx_attr(sb, "categoryOptionCombo", dhis2_map_coc(m, v->ind))) < 0)
		return rc;
	if (dhis2_map_aoc(m, v->ind) &&
	    (rc = dhis2_adx_attr(sb, "attributeOptionCombo", dhis2_map_aoc(m, v->ind))) < 0)
		return rc;
	if ((rc = dhis2_adx_attr(sb, "value", num)) < 0)
		return rc;
	return strbuf_adds(sb, "/>\n");
}

int dhis2_write_adx(const struct dhis2_map *m, const struct dhis2_value *v, size_t n,
                    const char *exported, struct strbuf *out, struct error *err)
{
	char period[DHIS2_PERIOD_MAX];
	const struct dhis2_value *open = NULL;
	int rc;

	rc = strbuf_adds(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	                 "<adx xmlns=\"urn:ihe:qrph:adx:2015\"");
	if (rc == 0)
		rc = dhis2_adx_attr(out, "exported", exported);
	if (rc == 0)
		rc = strbuf_adds(out, ">\n");
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (!dhis2_map_has(m, v[i].ind))
			continue;
		if ((rc = dhis2_week_period(v[i].start, period, err)) < 0)
			return rc;   /* a week DHIS2 has no period for */
		if (open == NULL || open->start != v[i].start || strcmp(open->unit, v[i].unit) != 0) {
			if (open && (rc = strbuf_adds(out, "  </group>\n")) < 0)
				break;
			open = &v[i];
			if ((rc = dhis2_adx_group(m, open, out)) < 0)
				break;
		}
		rc = dhis2_adx_value(m, &v[i], out);
	}
	if (rc == 0 && open)
		rc = strbuf_adds(out, "  </group>\n");
	if (rc == 0)
		rc = strbuf_adds(out, "</adx>\n");
	if (rc < 0 && err->code == 0)
		rc = rc == THC_ETOOBIG
		     ? error_set(err, THC_ETOOBIG, "tệp ADX quá lớn", "the ADX document is too large")
		     : error_set(err, rc, "không viết được ADX (ký tự điều khiển trong mã)",
		                 "cannot write ADX (a control character in an id)");
	return rc;
}

/* ---- reading ---- */

/* DHIS2's conflict, its "value" the message in both languages. */
void dhis2_conflict_add(json_t *conflicts, size_t i, const char *object, const char *property,
                        const char *code, const char *vi, const char *en)
{
	char msg[600];

	snprintf(msg, sizeof(msg), "%s / %s", vi, en);
	/* Each language kept apart too, for dhis2_summary_language(). */
	json_t *c = json_pack("{s:s,s:s,s:s,s:s,s:[I],s:s,s:s}", "object", object, "property",
	                      property, "value", msg, "errorCode", code, "indexes", (json_int_t)i,
	                      DHIS2_VALUE_VI, vi, DHIS2_VALUE_EN, en);

	/* Strings come from a parsed document, so valid UTF-8; should packing
	 * still fail, the conflict is kept without its object. */
	if (c == NULL)
		c = json_pack("{s:s,s:s,s:[I]}", "property", property, "errorCode", code,
		              "indexes", (json_int_t)i);
	json_array_append_new(conflicts, c);
}

/* One of dataValues[]: 1 read into *v, 0 a conflict recorded. */
static int dhis2_read_value(const struct dhis2_map *m, json_t *x, size_t i, const char *set_period,
                            const char *set_unit, struct dhis2_value *v, json_t *conflicts)
{
	const char *el = json_string_value(json_object_get(x, "dataElement"));
	const char *coc = json_string_value(json_object_get(x, "categoryOptionCombo"));
	const char *pe = json_string_value(json_object_get(x, "period"));
	const char *ou = json_string_value(json_object_get(x, "orgUnit"));
	const char *val = json_string_value(json_object_get(x, "value"));
	struct error e = ERROR_INIT;
	int ind;
	int64_t num;

	pe = pe ? pe : set_period;
	ou = ou ? ou : set_unit;
	if (el == NULL || (ind = dhis2_map_ind_of(m, el, coc)) < 0) {
		dhis2_conflict_add(conflicts, i, el ? el : "", "dataElement", "E7610",
		               "phần tử dữ liệu không có trong tệp ánh xạ",
		               "data element not in the mapping");
		return 0;
	}
	if (pe == NULL || dhis2_period_parse(pe, &v->start, &e) < 0) {
		dhis2_conflict_add(conflicts, i, pe ? pe : "", "period", "E7611",
		               pe ? e.vi : "thiếu kỳ", pe ? e.en : "no period");
		return 0;
	}
	if (ou == NULL || (v->unit = dhis2_map_unit_of(m, ou)) == NULL) {
		dhis2_conflict_add(conflicts, i, ou ? ou : "", "orgUnit", "E7612",
		               "đơn vị không có trong tệp ánh xạ", "org unit not in the mapping");
		return 0;
	}
	if (val == NULL || parse_int64(val, ind == DHIS2_LEVEL, ind == DHIS2_LEVEL ? 4 : 1000000000,
	                               &num) < 0) {
		dhis2_conflict_add(conflicts, i, val ? val : "", "value", "E7619",
		               ind == DHIS2_LEVEL ? "cấp độ phải là 1 đến 4" : "giá trị phải là số đếm",
		               ind == DHIS2_LEVEL ? "a level is 1 to 4" : "the value must be a count");
		return 0;
	}
	v->ind = (enum dhis2_ind)ind;
	v->value = num;
	return 1;
}

int dhis2_read_json(const struct dhis2_map *m, json_t *doc, struct dhis2_value **out,
                    size_t *n, json_t *conflicts, struct error *err)
{
	json_t *values = json_object_get(doc, "dataValues"), *x;
	const char *ds = json_string_value(json_object_get(doc, "dataSet"));
	size_t i;

	*out = NULL;
	*n = 0;
	if (!json_is_array(values))
		return error_set_at(err, THC_EINVAL, "dataValues", "cần mảng 'dataValues'",
		                    "a 'dataValues' array is required");
	if (ds && strcmp(ds, m->data_set) != 0)
		return error_set_at(err, THC_EINVAL, "dataSet",
		                    "bộ dữ liệu '%.40s' không phải của tệp ánh xạ",
		                    "data set '%.40s' is not the mapping's", ds);
	if ((*out = calloc(json_array_size(values) + 1, sizeof(**out))) == NULL)
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	json_array_foreach(values, i, x) {
		(*out)[*n].index = i;
		*n += (size_t)dhis2_read_value(m, x, i,
		                               json_string_value(json_object_get(doc, "period")),
		                               json_string_value(json_object_get(doc, "orgUnit")),
		                               &(*out)[*n], conflicts);
	}
	return 0;
}
