/*
 * Open311 GeoReport v2: POST requests.{fmt}, a request sent by another
 * system with its API key (scope open311).  It becomes a feedback request
 * like one from the web (source "open311"), in the same queue, routed and
 * audited the same way, under the key's name.
 *
 * The place: attribute[unit_code], else address_id (our address ids are
 * unit codes), else the district the point (lat, long) lies in, else the
 * key's unit, else jurisdiction_id (the province then holds it and hands
 * it down); a point near a border or in no district is flagged for an
 * operator (api_feedback_locate).  A key bound to a unit posts only
 * within it.  The specification's location (lat+long, address_string or
 * address_id) is still required.
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/auth.h"
#include "api/open311.h"
#include "base/parse.h"
#include "base/text.h"
#include "base/vntime.h"
#include "domain/apikey.h"
#include "domain/feedback.h"
#include "domain/unit.h"
#include "http/query.h"
#include "store/apikeys.h"
#include "store/fbcatalog.h"
#include "store/feedback.h"
#include "store/open311.h"
#include "base/banned.h"

struct o311_post {
	struct query form;
	struct apikey key;
	const char *jurisdiction;
	struct feedback_item f;
};

static const char *o311_form(const struct o311_post *p, const char *name)
{
	const char *v = query_get(&p->form, name);

	return v && v[0] ? v : NULL;
}

/* Characters of UTF-8 text (the form parser has checked it is UTF-8). */
static size_t o311_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* A text field within `max` characters (and bytes for the column), plain
 * text as the web's fields are (line breaks only in the description). */
static int o311_text(struct api_ctx *r, struct o311_post *p, const char *name, size_t max,
                     const char **out)
{
	const char *v = o311_form(p, name);
	uint32_t bad;
	long at;

	*out = v;
	if (v && (o311_chars(v) > max || strlen(v) > 4 * max))
		return error_set_at(&r->err, THC_EINVAL, name, "%s: dài quá %zu ký tự",
		                    "%s: longer than %zu characters", name, max);
	if (v && (at = text_plain_check(v, strlen(v), strcmp(name, "description") == 0, &bad)) >= 0)
		return error_set_at(&r->err, THC_EINVAL, name,
		                    "%s: có ký tự điều khiển hoặc không hợp lệ (U+%04X) ở byte %ld",
		                    "%s: contains a control or invalid character (U+%04X) at byte %ld",
		                    name, (unsigned)bad, at + 1);
	return 0;
}

static int o311_point(struct api_ctx *r, struct o311_post *p)
{
	const char *lat = o311_form(p, "lat"), *lon = o311_form(p, "long");

	if (!lat && !lon)
		return 0;
	if (!lat || !lon)
		return error_set_at(&r->err, THC_EINVAL, lat ? "long" : "lat",
		                    "cần cả lat và long", "lat and long go together");
	if (parse_double(lat, -90, 90, &p->f.lat) < 0)
		return error_set_at(&r->err, THC_EINVAL, "lat", "lat: số thập phân trong -90..90",
		                    "lat: a decimal number within -90..90");
	if (parse_double(lon, -180, 180, &p->f.lon) < 0)
		return error_set_at(&r->err, THC_EINVAL, "long", "long: số thập phân trong -180..180",
		                    "long: a decimal number within -180..180");
	p->f.has_point = 1;
	return 0;
}

/* The unit the request is about (see the file's comment). */
static int o311_place(struct api_ctx *r, struct o311_post *p)
{
	const char *unit = o311_form(p, "attribute[" O311_ATTR_UNIT "]");
	const char *field = "attribute[" O311_ATTR_UNIT "]";
	int rc;

	if (unit == NULL && (unit = o311_form(p, "address_id")) != NULL)
		field = "address_id";
	/* A point: its district, before the key's unit or the jurisdiction. */
	p->f.location_code = unit;
	if ((rc = api_feedback_locate(r, &p->f, NULL)) < 0)
		return rc;
	if (unit == NULL && (unit = p->f.location_code) != NULL)
		field = "lat";
	if (unit == NULL && (unit = p->key.unit_code) != NULL)
		field = "api_key";
	if (unit == NULL && (unit = p->jurisdiction) != NULL)
		field = "jurisdiction_id";
	if (unit == NULL)
		return error_set_at(&r->err, THC_EINVAL, field,
		                    "%s: cần mã đơn vị nơi cần xử lý (hoặc jurisdiction_id)",
		                    "%s: the unit code of the place is needed (or jurisdiction_id)",
		                    field);
	if (strlen(unit) >= UNIT_CODE_MAX)
		return error_set_at(&r->err, THC_EINVAL, field, "%s: mã đơn vị quá dài",
		                    "%s: the unit code is too long", field);
	if (p->key.unit_code && (rc = store_open311_within(r->st, unit, p->key.unit_code,
	                                                   &r->err)) <= 0)
		return rc < 0 ? rc
		       : error_set_at(&r->err, THC_EFORBIDDEN, field,
		                      "%s: '%.40s' ngoài địa bàn của khóa API (%.40s)",
		                      "%s: '%.40s' is outside the API key's unit (%.40s)", field, unit,
		                      p->key.unit_code);
	p->f.location_code = unit;
	/* A province's own service only within that province. */
	if ((rc = o311_service_offered(r, unit, p->f.category)) <= 0)
		return rc < 0 ? rc
		       : error_set_at(&r->err, THC_EINVAL, "service_code",
		                      "service_code %.40s: chỉ nhận ở tỉnh, thành phố có loại phản ánh này,"
		                      " không ở '%.40s'",
		                      "service_code %.40s is offered only in the province that has it,"
		                      " not at '%.40s'", p->f.category, unit);
	return 0;
}

/* Everything but the key: the fields of the specification, checked. */
static int o311_read(struct api_ctx *r, struct o311_post *p)
{
	const struct feedback_category *c;
	const char *code = o311_form(p, "service_code"), *first, *last, *desc, *addr;
	int rc;

	if (code == NULL)
		return error_set_at(&r->err, THC_EINVAL, "service_code", "thiếu service_code",
		                    "service_code is missing");
	/* A province's own: checked against the place once it is known. */
	if ((c = feedback_category(r->app->feedback, code)) == NULL &&
	    (strlen(code) >= FEEDBACK_CODE_MAX || store_fbcat_exists(r->st, code, &r->err) != 1))
		return error_set_at(&r->err, THC_ENOTFOUND, "service_code",
		                    "không có service_code %.40s", "service_code %.40s not found", code);
	if ((rc = o311_jurisdiction(r, o311_form(p, "jurisdiction_id"))) < 0)
		return rc;
	p->jurisdiction = rc ? o311_form(p, "jurisdiction_id") : NULL;
	if ((rc = o311_point(r, p)) < 0 ||
	    (rc = o311_text(r, p, "description", FEEDBACK_DESCRIPTION_MAX, &desc)) < 0 ||
	    (rc = o311_text(r, p, "address_string", FEEDBACK_ADDRESS_MAX, &addr)) < 0 ||
	    (rc = o311_text(r, p, "first_name", (FEEDBACK_NAME_MAX - 1) / 2, &first)) < 0 ||
	    (rc = o311_text(r, p, "last_name", (FEEDBACK_NAME_MAX - 1) / 2, &last)) < 0 ||
	    (rc = o311_text(r, p, "phone", FEEDBACK_PHONE_MAX, &p->f.reporter_phone)) < 0)
		return rc;
	if (!p->f.has_point && addr == NULL && o311_form(p, "address_id") == NULL)
		return error_set_at(&r->err, THC_EINVAL, "lat",
		                    "cần vị trí: lat và long, address_string hoặc address_id",
		                    "a location is needed: lat and long, address_string or address_id");
	p->f.category = c ? c->code : code;
	p->f.description = desc ? desc : c ? c->name_vi : code;
	p->f.address = addr;
	p->f.source = "open311";
	/* Vietnamese names put the family name first. */
	if (first && last) {
		/* Each half is under half the name's characters: the whole fits, never cut. */
		if ((p->f.reporter_name = arena_printf(r->arena, "%s %s", last, first)) == NULL)
			return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	} else {
		p->f.reporter_name = first ? first : last;
	}
	return 0;
}

int api_open311_post(struct api_ctx *r, const struct route_args *a)
{
	struct o311_post p = { 0 };
	enum open311_format fmt;
	char code[API_FEEDBACK_CODE_LEN + 1], hash[65], id[24], notice[200], day[11];
	struct vndate d;
	int rc;

	if ((rc = o311_format(r, a, "fmt", NULL, &fmt)) < 0)
		return o311_fail(r, fmt, rc);
	if (!http_content_is(r->http, "application/x-www-form-urlencoded")) {
		error_set(&r->err, THC_EINVAL, "nội dung phải là application/x-www-form-urlencoded",
		          "the body must be application/x-www-form-urlencoded");
		return o311_fail(r, fmt, THC_EINVAL);
	}
	if ((rc = query_parse_form(r->http->body.buf, r->http->body.len, r->arena, &p.form,
	                           &r->err)) < 0)
		return o311_fail(r, fmt, rc);
	/* The key first: without a valid one nothing else is looked at. */
	if ((rc = auth_api_key(r, o311_form(&p, "api_key"), "open311", &p.key)) < 0 ||
	    (rc = o311_read(r, &p)) < 0 || (rc = o311_place(r, &p)) < 0)
		return o311_fail(r, fmt, rc);
	api_feedback_new_code(code);
	auth_token_hash(code, hash);
	if ((rc = store_feedback_create(r->st, &r->actor, r->app->feedback, api_today(r), hash,
	                                &p.f, r->arena, &r->err)) < 0)
		return o311_fail(r, fmt, rc);
	snprintf(id, sizeof(id), "%lld", (long long)p.f.id);
	vndate_parse(p.f.deadline, &d);
	vndate_format_vn(d, day, sizeof(day));
	snprintf(notice, sizeof(notice), "Mã theo dõi %s; hạn trả lời %s / tracking code %s;"
	         " answer due by %s", code, day, code, day);
	return o311_reply(r, fmt, 200, "service_requests",
	                  json_pack("[{s:s,s:s,s:n}]", "service_request_id", id,
	                            "service_notice", notice, "account_id"));
}
