/*
 * Dated quarantine rules for contacts: parsing and lookup (pure).
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/vntime.h"
#include "domain/quarantine.h"
#include "base/banned.h"

struct quarantine_period {
	int32_t from;
	int f1_days, f2_days;
	int assumption;
	char id[11];                 /* the from date, YYYY-MM-DD */
	char *note;
};

struct quarantine_rules {
	struct quarantine_period p[QUARANTINE_PERIODS_MAX];
	size_t n;
};

static int qr_days(json_t *o, const char *key, size_t i, int *out, struct error *err)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > QUARANTINE_DAYS_MAX)
		return error_set(err, THC_EUNPROCESSABLE,
		                 "periods[%zu]: trường '%s' phải là số ngày 0..%d",
		                 "periods[%zu]: field '%s' must be a number of days 0..%d",
		                 i, key, QUARANTINE_DAYS_MAX);
	*out = (int)json_integer_value(v);
	return 0;
}

static int qr_period(json_t *o, size_t i, struct quarantine_period *p, struct error *err)
{
	const char *from = json_string_value(json_object_get(o, "from"));
	const char *status = json_string_value(json_object_get(o, "status"));
	const char *note = json_string_value(json_object_get(o, "note"));
	struct vndate d;
	int rc;

	if (!json_is_object(o))
		return error_set(err, THC_EUNPROCESSABLE, "periods[%zu] phải là đối tượng",
		                 "periods[%zu] must be an object", i);
	if (from == NULL || vndate_parse(from, &d) < 0)
		return error_set(err, THC_EUNPROCESSABLE,
		                 "periods[%zu]: trường 'from' phải là ngày YYYY-MM-DD",
		                 "periods[%zu]: field 'from' must be a date YYYY-MM-DD", i);
	if (status == NULL || (strcmp(status, "confirmed") != 0 && strcmp(status, "assumption") != 0))
		return error_set(err, THC_EUNPROCESSABLE,
		                 "periods[%zu]: trường 'status' phải là confirmed hoặc assumption",
		                 "periods[%zu]: field 'status' must be confirmed or assumption", i);
	if ((rc = qr_days(o, "f1_days", i, &p->f1_days, err)) < 0 ||
	    (rc = qr_days(o, "f2_days", i, &p->f2_days, err)) < 0)
		return rc;
	p->from = vndate_to_days(d);
	vndate_format_iso(d, p->id, sizeof(p->id));
	p->assumption = strcmp(status, "assumption") == 0;
	p->note = strdup(note ? note : "");
	if (p->note == NULL)
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	return 0;
}

int quarantine_rules_parse(const char *json, size_t len, struct quarantine_rules **out,
                           struct error *err)
{
	struct quarantine_rules *r = NULL;
	json_error_t je;
	json_t *doc = NULL, *periods, *o;
	size_t i;
	int rc = 0;

	*out = NULL;
	if (len > QUARANTINE_RULES_MAX_BYTES)
		return error_set(err, THC_ETOOBIG, "tệp quy tắc cách ly lớn hơn %d byte",
		                 "the quarantine rules file is larger than %d bytes",
		                 QUARANTINE_RULES_MAX_BYTES);
	doc = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
	if (doc == NULL)
		return error_set(err, THC_EUNPROCESSABLE, "JSON không hợp lệ ở dòng %d: %s",
		                 "malformed JSON at line %d: %s", je.line, je.text);
	periods = json_object_get(doc, "periods");
	if (!json_is_array(periods) || json_array_size(periods) == 0 ||
	    json_array_size(periods) > QUARANTINE_PERIODS_MAX) {
		rc = error_set_at(err, THC_EUNPROCESSABLE, "periods",
		               "trường 'periods' phải là danh sách 1..%d giai đoạn",
		               "field 'periods' must be a list of 1..%d periods", QUARANTINE_PERIODS_MAX);
		goto out;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		rc = error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		goto out;
	}
	json_array_foreach(periods, i, o) {
		if ((rc = qr_period(o, i, &r->p[i], err)) < 0)
			goto out;
		r->n = i + 1;
		if (i > 0 && r->p[i].from <= r->p[i - 1].from) {
			rc = error_set(err, THC_EUNPROCESSABLE,
			               "periods[%zu]: ngày 'from' phải sau giai đoạn trước",
			               "periods[%zu]: 'from' must come after the previous period's", i);
			goto out;
		}
	}
	*out = r;
	r = NULL;
out:
	quarantine_rules_free(r);
	json_decref(doc);
	return rc;
}

static const struct quarantine_period *qr_find(const struct quarantine_rules *r, int32_t day)
{
	const struct quarantine_period *p = NULL;

	for (size_t i = 0; i < r->n && r->p[i].from <= day; i++)
		p = &r->p[i];
	return p;
}

int quarantine_compute(const struct quarantine_rules *r, int degree, int32_t exposure_day,
                       int32_t *start, int32_t *end, const char **rule_id,
                       struct error *err)
{
	const struct quarantine_period *p = qr_find(r, exposure_day);

	if (degree != 1 && degree != 2)
		return error_set_at(err, THC_EUNPROCESSABLE, "degree", "trường 'degree' phải là 1 hoặc 2",
		                 "field 'degree' must be 1 or 2");
	if (p == NULL)
		return error_set_at(err, THC_EUNPROCESSABLE, "exposure_on",
		                 "trường 'exposure_on': không có quy tắc cách ly cho ngày này",
		                 "field 'exposure_on': no quarantine rule covers that day");
	*start = exposure_day;
	*end = exposure_day + (degree == 1 ? p->f1_days : p->f2_days);
	*rule_id = p->id;
	return 0;
}

int quarantine_rule_info(const struct quarantine_rules *r, int32_t day,
                         const char **note, int *assumption)
{
	const struct quarantine_period *p = qr_find(r, day);

	if (p == NULL)
		return THC_ENOTFOUND;
	*note = p->note;
	*assumption = p->assumption;
	return 0;
}

void quarantine_rules_free(struct quarantine_rules *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n; i++)
		free(r->p[i].note);
	free(r);
}
