/*
 * DHIS2 aggregate exchange (docs/interop.md, ../shared/specs/dhis2-
 * aggregate-exchange.md): weekly periods as DHIS2 writes them, the mapping
 * of thichung's units and indicators to DHIS2 ids, and weekly aggregates
 * written as dataValueSets JSON or ADX XML.  Pure: no I/O, no clock (the
 * ADX `exported` instant is passed in).
 *
 * Periods.  A DHIS2 weekly period type is named by the weekday its weeks
 * start on: Monday "2021W42" (ISO 8601), Wednesday "2022WedW1", Thursday
 * "ThuW", Saturday "SatW", Sunday "SunW".  Week 1 of year Y is the week
 * holding 4 January of Y, so a week belongs to the year of its fourth day,
 * years have 52 or 53 weeks and a week may start in the year before.  ADX
 * writes a week as "YYYY-MM-DD/P7D" (its first day; never P1W, which
 * DHIS2 refuses).  DHIS2 has no weekly type starting on Tuesday or Friday:
 * Hồ Chí Minh City's Friday-Thursday weeks have no DHIS2 period, and such
 * a week is refused with an error that says so rather than sent as
 * another week.
 */
#ifndef THC_DOMAIN_DHIS2_H
#define THC_DOMAIN_DHIS2_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "base/error.h"
#include "base/strbuf.h"

#define DHIS2_PERIOD_MAX 24          /* "2021SunW53", "2021-10-18/P7D" and NUL */

/* The weekly aggregates exchanged: id, name in the mapping file, default
 * data element code. */
#define DHIS2_INDICATORS(X) \
	X(CASES,      "cases",           "THC_CASES") \
	X(COMMUNITY,  "community_cases", "THC_COMMUNITY_CASES") \
	X(OXYGEN,     "oxygen_cases",    "THC_OXYGEN_CASES") \
	X(DEATHS,     "deaths",          "THC_DEATHS") \
	X(POPULATION, "population",      "THC_POPULATION") \
	X(LEVEL,      "level",           "THC_LEVEL")

enum dhis2_ind {
#define X(id, name, code) DHIS2_##id,
	DHIS2_INDICATORS(X)
#undef X
	DHIS2_IND_COUNT
};

const char *dhis2_ind_name(enum dhis2_ind i);

/* The DHIS2 period of the week starting on day `start` (days since
 * 1970-01-01), whose weekday (1 Monday .. 7 Sunday) picks the type:
 * "2021W42", "2022WedW1".  THC_EINVAL for a Tuesday or Friday start. */
int dhis2_week_period(int32_t start, char out[DHIS2_PERIOD_MAX], struct error *err);
/* The ADX period of that week: "2021-10-18/P7D". */
void dhis2_week_adx(int32_t start, char out[DHIS2_PERIOD_MAX]);
/* A weekly period in either form ("2021W42", "2021W01", "2022WedW1",
 * "2021-10-18/P7D") as the day its week starts.  THC_EINVAL naming the
 * value: other period types, a week the year has not (2021W53), P1W, a
 * start on Tuesday or Friday. */
int dhis2_period_parse(const char *s, int32_t *start, struct error *err);

/* The mapping of units and indicators to DHIS2 ids (data/dhis2/mapping.json). */
struct dhis2_map;
/* Reads a mapping file's text: {"dataSet", "orgUnits":{code:id}, "dataElements":
 * {indicator:{"dataElement","categoryOptionCombo"?,"attributeOptionCombo"?}}}.
 * Unknown indicators, ids that are not text of 1..64 printable ASCII
 * characters, two units or two indicators with one id: THC_EINVAL naming
 * the member.  Indicators left out are not exchanged. */
int dhis2_map_parse(const char *text, size_t len, struct dhis2_map **out, struct error *err);
void dhis2_map_free(struct dhis2_map *m);
const char *dhis2_map_data_set(const struct dhis2_map *m);
/* The DHIS2 org unit of a thichung unit (its own code unless mapped). */
const char *dhis2_map_org_unit(const struct dhis2_map *m, const char *code);
/* The thichung unit of a DHIS2 org unit (borrowed from m or from id). */
const char *dhis2_map_unit_of(const struct dhis2_map *m, const char *id);
/* Whether the indicator is exchanged, and its ids (NULL when not set). */
int dhis2_map_has(const struct dhis2_map *m, enum dhis2_ind i);
const char *dhis2_map_element(const struct dhis2_map *m, enum dhis2_ind i);
const char *dhis2_map_coc(const struct dhis2_map *m, enum dhis2_ind i);
const char *dhis2_map_aoc(const struct dhis2_map *m, enum dhis2_ind i);
/* The indicator a data element (and category option combo, NULL for the
 * default) stands for, or -1. */
int dhis2_map_ind_of(const struct dhis2_map *m, const char *element, const char *coc);

/* One weekly value: a thichung unit, the week's first day, an indicator. */
struct dhis2_value {
	const char *unit;
	int32_t start;
	enum dhis2_ind ind;
	int64_t value;
	size_t index;                /* read: its place in the document's dataValues */
};

/* dataValueSets JSON of the values, in their order (a new reference in *out). */
int dhis2_write_json(const struct dhis2_map *m, const struct dhis2_value *v, size_t n,
                     json_t **out, struct error *err);
/* ADX XML: one <group> for each run of values of one unit and week (sort
 * them by unit, then week); `exported` is an xs:dateTime. */
int dhis2_write_adx(const struct dhis2_map *m, const struct dhis2_value *v, size_t n,
                    const char *exported, struct strbuf *out, struct error *err);
/* Reads a dataValueSets JSON document (the first step of an import): each
 * of dataValues[] (the set's period and orgUnit fill those a value omits)
 * becomes a value in *out (malloc'd, free(); unit strings borrowed from doc
 * or m).  A value that cannot be read is a DHIS2-style conflict appended to
 * `conflicts` ({"object","property","value","errorCode","indexes":[i]}:
 * E7610 unknown data element, E7611 bad period, E7612 unknown org unit,
 * E7619 a value that is not a count, or a level not 1..4) and left out;
 * the caller decides (thichung imports nothing while there is one).  A
 * document that is not one (no dataValues array, another dataSet than the
 * mapping's): THC_EINVAL. */
int dhis2_read_json(const struct dhis2_map *m, json_t *doc, struct dhis2_value **out,
                    size_t *n, json_t *conflicts, struct error *err);
/* Appends a DHIS2 conflict {"object","property","value","errorCode",
 * "indexes":[index]} to `conflicts`, its value the message in both
 * languages. */
void dhis2_conflict_add(json_t *conflicts, size_t index, const char *object,
                        const char *property, const char *code, const char *vi, const char *en);

/* Import (dhis2_read.c).  Whether a document is ADX (its first character,
 * after white space and a byte order mark, is '<') rather than JSON. */
int dhis2_is_adx(const char *text, size_t len);
/* An ADX document (urn:ihe:qrph:adx:2015, read with expat; no DTD) as the
 * dataValueSets JSON document it stands for: each <dataValue> one of
 * dataValues[], in document order, with its group's orgUnit and period.
 * Malformed XML, another root, a group without dataSet, orgUnit or period,
 * groups of two data sets, an attribute thichung does not map (a category
 * of a disaggregation): THC_EINVAL naming it and its line, as DHIS2 fails
 * the whole import for a bad group. */
#define DHIS2_IMPORT_VALUES_MAX 1000000
/* The largest import document, JSON or ADX, through the API or the command
 * line (docs/api.md): a week of every commune of the country is ~3 MB
 * as JSON, so a national file is sent by province (or week); a cap keeps
 * one request from holding a connection and the parser's memory for long.
 * Above it: THC_ETOOBIG (413) naming the limit. */
#define DHIS2_IMPORT_BYTES_MAX ((size_t)1 << 20)
int dhis2_adx_to_json(const char *text, size_t len, json_t **out, struct error *err);
/* DHIS2's ImportSummary: status ERROR when there are conflicts (nothing
 * was imported), else SUCCESS; conflicts is borrowed. */
json_t *dhis2_import_summary(size_t imported, size_t updated, size_t ignored, size_t deleted,
                             json_t *conflicts);
/* Conflicts and the summary carry each text in both languages ("vi / en",
 * as the command line prints everything) and each apart under these
 * members; dhis2_summary_language() keeps the one asked for (an API reply
 * in English holds no Vietnamese) and drops the members. */
#define DHIS2_VALUE_VI "thc_vi"
#define DHIS2_VALUE_EN "thc_en"
enum dhis2_lang { DHIS2_LANG_VI, DHIS2_LANG_EN, DHIS2_LANG_BOTH };
void dhis2_summary_language(json_t *summary, enum dhis2_lang lang);

/* Text escaped for an XML attribute value between double quotes. */
int dhis2_xml_attr(struct strbuf *sb, const char *s);

#endif
