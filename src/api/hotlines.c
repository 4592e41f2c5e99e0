/*
 * Hotline numbers and duty rosters over HTTP: the public directory of a
 * unit and its ancestors with who is on duty now, and the officials'
 * edits of the list and of a week's roster.
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/field.h"
#include "base/vntime.h"
#include "domain/hotline.h"
#include "domain/unit.h"
#include "store/hotlines.h"
#include "base/banned.h"

static json_t *hotline_list_json(const struct hotline *h, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s?,s:b}", "kind", h[i].kind,
		                                   "label", h[i].label, "phone", h[i].phone,
		                                   "hours", h[i].hours, "always_open", h[i].always_open));
	return a;
}

static json_t *shift_json(const struct duty_shift *d)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s}", "date", d->day, "from", d->from, "to", d->to,
	                 "name", d->name, "phone", d->phone);
}

static int32_t day_of_iso(const char *iso)
{
	struct vndate d;

	return vndate_parse(iso, &d) < 0 ? 0 : vndate_to_days(d);
}

/* The shift of the unit covering now (yesterday's night shift included). */
static int hotline_on_duty(struct api_ctx *r, const char *code, json_t **out)
{
	int64_t now = duty_minute_of(r->http->start_ms);
	int32_t today = api_today(r);
	struct duty_span span[DUTY_SHIFTS_MAX + 8];
	struct duty_shift *d;
	char first[11], last[11];
	size_t n;
	long k;
	int rc;

	vndate_format_iso(vndate_from_days(today - 1), first, sizeof(first));
	vndate_format_iso(vndate_from_days(today), last, sizeof(last));
	if ((rc = store_duty_list(r->st, NULL, code, first, last, r->arena, &d, &n, &r->err)) < 0)
		return rc;
	for (size_t i = 0; i < n && i < sizeof(span) / sizeof(span[0]); i++)
		span[i] = (struct duty_span){ day_of_iso(d[i].day), duty_time_parse(d[i].from, 0),
		                              duty_time_parse(d[i].to, 1) };
	k = duty_on_now(span, n, now);
	*out = k >= 0 ? shift_json(&d[k]) : json_null();
	return 0;
}

/* GET /units/{code}/hotlines: the unit first, then its ancestors up to the
 * province, each with its numbers and who is on duty now. */
int api_unit_hotlines(struct api_ctx *r, const struct route_args *a)
{
	struct unit *u;
	struct hotline *h;
	size_t nu, nh;
	json_t *units = json_array(), *duty;
	int rc;

	if ((rc = store_unit_path(r->st, &r->actor, route_arg(a, "code"), r->arena, &u, &nu,
	                          &r->err)) < 0)
		goto fail;
	for (size_t i = nu; i-- > 0;) {
		if ((rc = store_hotlines_get(r->st, u[i].code, r->arena, &h, &nh, &r->err)) < 0 ||
		    (rc = hotline_on_duty(r, u[i].code, &duty)) < 0)
			goto fail;
		json_array_append_new(units, json_pack("{s:s,s:s,s:s,s:o,s:o}", "code", u[i].code,
		                      "name", u[i].name, "level", u[i].level,
		                      "hotlines", hotline_list_json(h, nh), "on_duty", duty));
	}
	return http_reply_json(r->http, 200, json_pack("{s:s,s:o,s:s}", "unit_code",
	                       route_arg(a, "code"), "units", units,
	                       "at", http_time(r->http, r->http->start_ms)));
fail:
	json_decref(units);
	return rc;
}

struct hotline_in {
	const char *kind, *label, *phone, *hours;
	int always_open;
};

static const struct field hotline_fields[] = {
	FIELD_ENUM("kind", struct hotline_in, kind, FIELD_REQUIRED, hotline_kinds, NULL),
	FIELD_TEXT("label", struct hotline_in, label, FIELD_REQUIRED, HOTLINE_LABEL_MAX),
	FIELD_TEXT("phone", struct hotline_in, phone, FIELD_REQUIRED, HOTLINE_PHONE_IN_MAX),
	FIELD_TEXT("hours", struct hotline_in, hours, 0, HOTLINE_HOURS_MAX),
	FIELD_BOOL("always_open", struct hotline_in, always_open, 0, 0),
};

/* The members of `name` in the body: an array of at most max. */
static int hotline_array(struct api_ctx *r, json_t *doc, const char *name, size_t max,
                         json_t **out)
{
	*out = json_object_get(doc, name);
	if (!json_is_array(*out) || json_array_size(*out) > max)
		return error_set_at(&r->err, THC_EUNPROCESSABLE, name,
		                    "trường '%s' phải là danh sách tối đa %zu mục",
		                    "field '%s' must be a list of at most %zu items", name, max);
	return 0;
}

int api_unit_hotlines_put(struct api_ctx *r, const struct route_args *a)
{
	const char *code = route_arg(a, "code");
	struct hotline *h = NULL;
	struct hotline_in in;
	json_t *doc = NULL, *items, *it;
	size_t i, n = 0;
	int rc;

	if ((rc = api_body_json(r, &doc)) < 0 ||
	    (rc = hotline_array(r, doc, "items", HOTLINES_MAX, &items)) < 0)
		goto out;
	n = json_array_size(items);
	if ((h = arena_alloc(r->arena, (n + 1) * sizeof(*h))) == NULL) {
		rc = error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		goto out;
	}
	json_array_foreach(items, i, it) {
		char field[48], *phone = arena_alloc(r->arena, HOTLINE_PHONE_MAX);

		if ((rc = field_read_json_item(FIELDS(hotline_fields), it, "items", i, api_today(r),
		                               &in, &r->err)) < 0)
			goto out;
		snprintf(field, sizeof(field), "items[%zu].phone", i);
		if (phone == NULL || (rc = hotline_phone_normalize(in.phone, field, phone,
		                                                   HOTLINE_PHONE_MAX, &r->err)) < 0) {
			rc = phone ? rc : error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
			goto out;
		}
		h[i] = (struct hotline){ in.kind, in.label, phone, in.hours, in.always_open };
	}
	if ((rc = store_hotlines_put(r->st, &r->actor, code, h, n, &r->err)) < 0)
		goto out;
	rc = http_reply_json(r->http, 200, json_pack("{s:s,s:o}", "unit_code", code, "items",
	                                             hotline_list_json(h, n)));
out:
	json_decref(doc);
	return rc;
}

/* ?week_start=YYYY-MM-DD, a Monday: its day and the week's last day. */
static int duty_week(struct api_ctx *r, int32_t *start, char first[11], char last[11])
{
	const char *v = http_query(r->http, "week_start");
	struct vndate d;

	if (v == NULL || vndate_parse(v, &d) < 0 || vndate_weekday(vndate_to_days(d)) != 1)
		return error_set_at(&r->err, THC_EINVAL, "week_start",
		                    "tham số 'week_start': cần một ngày thứ Hai dạng YYYY-MM-DD",
		                    "parameter 'week_start': a Monday as YYYY-MM-DD is required");
	*start = vndate_to_days(d);
	vndate_format_iso(vndate_from_days(*start), first, 11);
	vndate_format_iso(vndate_from_days(*start + 6), last, 11);
	return 0;
}

static int duty_reply(struct api_ctx *r, const char *code, const char *first)
{
	struct duty_shift *d;
	char last[11];
	size_t n;
	json_t *shifts;
	int rc;

	vndate_format_iso(vndate_from_days(day_of_iso(first) + 6), last, sizeof(last));
	if ((rc = store_duty_list(r->st, &r->actor, code, first, last, r->arena, &d, &n,
	                          &r->err)) < 0)
		return rc;
	shifts = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(shifts, shift_json(&d[i]));
	return http_reply_json(r->http, 200, json_pack("{s:s,s:s,s:o}", "unit_code", code,
	                                             "week_start", first, "shifts", shifts));
}

int api_unit_duty_get(struct api_ctx *r, const struct route_args *a)
{
	char first[11], last[11];
	int32_t start;
	int rc;

	if ((rc = duty_week(r, &start, first, last)) < 0)
		return rc;
	return duty_reply(r, route_arg(a, "code"), first);
}

struct duty_in {
	const char *date, *from, *to, *name, *phone;
};

static const struct field duty_fields[] = {
	FIELD_DAY("date", struct duty_in, date, FIELD_REQUIRED),
	FIELD_TEXT("from", struct duty_in, from, FIELD_REQUIRED, 6),
	FIELD_TEXT("to", struct duty_in, to, FIELD_REQUIRED, 6),
	FIELD_TEXT("name", struct duty_in, name, FIELD_REQUIRED, DUTY_NAME_MAX),
	FIELD_TEXT("phone", struct duty_in, phone, FIELD_REQUIRED, HOTLINE_PHONE_IN_MAX),
};

/* One shift of the body, checked and normalised. */
static int duty_read(struct api_ctx *r, json_t *it, size_t i, struct duty_shift *d,
                     struct duty_span *sp)
{
	char field[48], *phone = arena_alloc(r->arena, HOTLINE_PHONE_MAX);
	struct duty_in in;
	int rc;

	if (phone == NULL)
		return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	if ((rc = field_read_json_item(FIELDS(duty_fields), it, "shifts", i, api_today(r), &in,
	                               &r->err)) < 0)
		return rc;
	*sp = (struct duty_span){ day_of_iso(in.date), duty_time_parse(in.from, 0),
	                          duty_time_parse(in.to, 1) };
	if (sp->from < 0 || sp->to < 0) {
		snprintf(field, sizeof(field), "shifts[%zu].%s", i, sp->from < 0 ? "from" : "to");
		return error_set_at(&r->err, THC_EUNPROCESSABLE, field,
		                    "trường '%s': cần giờ dạng HH:MM (00:00..23:59, hoặc 24:00 cho giờ kết thúc)",
		                    "field '%s': a time HH:MM is required (00:00..23:59, or 24:00 for an end)",
		                    field);
	}
	snprintf(field, sizeof(field), "shifts[%zu].phone", i);
	if ((rc = hotline_phone_normalize(in.phone, field, phone, HOTLINE_PHONE_MAX, &r->err)) < 0)
		return rc;
	*d = (struct duty_shift){ in.date, in.from, in.to, in.name, phone };
	return 0;
}

int api_unit_duty_put(struct api_ctx *r, const struct route_args *a)
{
	const char *code = route_arg(a, "code");
	struct duty_shift d[DUTY_SHIFTS_MAX];
	struct duty_span sp[DUTY_SHIFTS_MAX];
	char first[11], last[11];
	json_t *doc = NULL, *shifts, *it;
	int32_t start;
	size_t i;
	int rc;

	if ((rc = duty_week(r, &start, first, last)) < 0 || (rc = api_body_json(r, &doc)) < 0 ||
	    (rc = hotline_array(r, doc, "shifts", DUTY_SHIFTS_MAX, &shifts)) < 0)
		goto out;
	json_array_foreach(shifts, i, it)
		if ((rc = duty_read(r, it, i, &d[i], &sp[i])) < 0)
			goto out;
	if ((rc = duty_week_check(sp, json_array_size(shifts), start, &r->err)) < 0 ||
	    (rc = store_duty_put(r->st, &r->actor, code, first, last, d, json_array_size(shifts),
	                         &r->err)) < 0)
		goto out;
	rc = duty_reply(r, code, first);
out:
	json_decref(doc);
	return rc;
}
