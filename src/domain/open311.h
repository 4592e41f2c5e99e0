/*
 * Open311 GeoReport v2 (/work/shared/specs/open311-georeport-v2.md, from
 * wiki.open311.org/GeoReport_v2): the rules of the format that do not
 * depend on the store.  Pure: no I/O, no clock.
 *
 * - A resource ends in ".json" or ".xml"; anything else is not found.
 * - A feedback status is "open" (new, acknowledged, in_progress) or
 *   "closed" (answered, closed, rejected: the unit has given its word).
 * - Datetimes are W3C (ISO 8601 with seconds and a zone), printed in
 *   Việt Nam time with "+07:00" and no fraction (clients break on them).
 * - XML is the JSON reply turned back by the "Spark convention": a list
 *   root becomes <root><item>...</item></root>, an object root
 *   <root>...</root>; members become elements in order, null an empty
 *   element, a list member <name><singular>...</singular></name>.
 */
#ifndef THC_OPEN311_H
#define THC_OPEN311_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "base/strbuf.h"

enum open311_format { OPEN311_JSON, OPEN311_XML };

#define OPEN311_DATETIME_MAX 48      /* "2021-10-13T08:15:30+07:00" (26 with NUL), room to spare */
#define OPEN311_SPAN_DAYS 90         /* the widest start_date..end_date */
#define OPEN311_LIMIT 1000           /* requests in one answer */
#define OPEN311_IDS_MAX 100          /* ids in one service_request_id filter */

/*
 * Splits "name.fmt" (the last path segment): the name's length into
 * *name_len and the format; 0, or -1 when the suffix is neither .json nor
 * .xml or the name is empty.
 */
int open311_split(const char *segment, size_t *name_len, enum open311_format *fmt);

/* "open" or "closed" for a feedback status name; NULL when unknown. */
const char *open311_status(const char *feedback_status);

/* UTC milliseconds as "YYYY-MM-DDTHH:MM:SS+07:00". */
void open311_datetime(int64_t utc_ms, char out[OPEN311_DATETIME_MAX]);

/* The element name for one item of a list member or root ("services" ->
 * "service", "service_requests" -> "request"); NULL: not a known list. */
const char *open311_item_name(const char *list_name);

/* Element text escaped (&, <, >; control characters other than tab and
 * newlines, which XML 1.0 cannot hold, dropped). */
int open311_xml_text(struct strbuf *sb, const char *s);

/* The whole document: declaration, then `root` holding v (an array of
 * items or an object).  0, or a negative strbuf error. */
int open311_xml(struct strbuf *sb, const char *root, const json_t *v);

#endif
