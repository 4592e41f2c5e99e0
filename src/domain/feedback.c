/*
 * Citizen feedback rules: categories and holidays read from JSON, working
 * days, routing, the status lifecycle and escalation (feedback.h).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/vntime.h"
#include "domain/feedback.h"
#include "base/banned.h"

struct feedback_holiday {
	int32_t from, to;
};

struct feedback_rules {
	struct feedback_category c[FEEDBACK_CATEGORIES_MAX];
	size_t nc;
	struct feedback_holiday h[FEEDBACK_HOLIDAYS_MAX];
	size_t nh;
	char *strings;   /* every string of c[], one allocation each, freed with the rules */
};

static const struct {
	const char *name, *vi, *en;
} fb_status[] = {
#define X(id, name, vi, en) { name, vi, en },
	FEEDBACK_STATUS_LIST(X)
#undef X
};

static int fb_oom(struct error *err)
{
	return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
}

static int fb_status_field(json_t *o, const char *what, size_t i, int *assumption,
                           struct error *err)
{
	const char *status = json_string_value(json_object_get(o, "status"));

	if (status == NULL || (strcmp(status, "confirmed") != 0 && strcmp(status, "assumption") != 0))
		return error_set(err, THC_EUNPROCESSABLE,
		                 "%s[%zu]: trường 'status' phải là confirmed hoặc assumption",
		                 "%s[%zu]: field 'status' must be confirmed or assumption", what, i);
	*assumption = strcmp(status, "assumption") == 0;
	return 0;
}

static int fb_level(const char *name, enum feedback_level *out)
{
	static const char *const names[] = { "", "province", "district", "commune" };

	for (int l = FEEDBACK_LEVEL_PROVINCE; l <= FEEDBACK_LEVEL_COMMUNE; l++)
		if (name && strcmp(name, names[l]) == 0) {
			*out = (enum feedback_level)l;
			return 0;
		}
	return -1;
}

static char *fb_dup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);

	if (d)
		memcpy(d, s, n);
	return d;
}

/* "department": {"province": .., "district": .., "commune": ..}, all three
 * named when it is there. */
static int fb_departments(struct feedback_category *c, json_t *o, size_t i, struct error *err)
{
	static const char *const names[] = { "", "province", "district", "commune" };
	json_t *d = json_object_get(o, "department");

	if (d == NULL)
		return 0;
	for (int l = FEEDBACK_LEVEL_PROVINCE; l <= FEEDBACK_LEVEL_COMMUNE; l++) {
		const char *v = json_string_value(json_object_get(d, names[l]));

		if (v == NULL || v[0] == '\0' || strlen(v) >= FEEDBACK_DEPARTMENT_MAX)
			return error_set(err, THC_EUNPROCESSABLE,
			                 "categories[%zu]: 'department' cần tên phòng ban cho province, district và commune",
			                 "categories[%zu]: 'department' needs a department's name for province, district and commune",
			                 i);
		if ((c->department[l] = fb_dup(v)) == NULL)
			return fb_oom(err);
	}
	return 0;
}

static int fb_category(struct feedback_rules *r, json_t *o, size_t i, struct error *err)
{
	struct feedback_category *c = &r->c[i];
	const char *code = json_string_value(json_object_get(o, "code"));
	json_t *name = json_object_get(o, "name"), *days = json_object_get(o, "days");
	const char *vi = json_string_value(json_object_get(name, "vi"));
	const char *en = json_string_value(json_object_get(name, "en"));
	int rc;

	if (!json_is_object(o))
		return error_set(err, THC_EUNPROCESSABLE, "categories[%zu] phải là đối tượng",
		                 "categories[%zu] must be an object", i);
	if (code == NULL || code[0] == '\0' || strlen(code) >= FEEDBACK_CODE_MAX ||
	    strspn(code, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(code))
		return error_set(err, THC_EUNPROCESSABLE,
		                 "categories[%zu]: trường 'code' phải là 1..%d chữ thường, số, '_'",
		                 "categories[%zu]: field 'code' must be 1..%d lower-case letters, digits, '_'",
		                 i, FEEDBACK_CODE_MAX - 1);
	if (feedback_category(r, code) != NULL)
		return error_set(err, THC_EUNPROCESSABLE, "categories[%zu]: mã '%s' bị lặp",
		                 "categories[%zu]: code '%s' is repeated", i, code);
	if (vi == NULL || en == NULL || vi[0] == '\0' || en[0] == '\0')
		return error_set(err, THC_EUNPROCESSABLE,
		                 "categories[%zu]: cần 'name' có 'vi' và 'en'",
		                 "categories[%zu]: 'name' needs 'vi' and 'en'", i);
	if (!json_is_integer(days) || json_integer_value(days) < 1 ||
	    json_integer_value(days) > FEEDBACK_DAYS_MAX)
		return error_set(err, THC_EUNPROCESSABLE,
		                 "categories[%zu]: trường 'days' phải là số ngày làm việc 1..%d",
		                 "categories[%zu]: field 'days' must be 1..%d working days",
		                 i, FEEDBACK_DAYS_MAX);
	if (fb_level(json_string_value(json_object_get(o, "level")), &c->level) < 0)
		return error_set(err, THC_EUNPROCESSABLE,
		                 "categories[%zu]: trường 'level' phải là province, district hoặc commune",
		                 "categories[%zu]: field 'level' must be province, district or commune", i);
	if ((rc = fb_status_field(o, "categories", i, &c->assumption, err)) < 0)
		return rc;
	c->days = (int)json_integer_value(days);
	c->code = fb_dup(code);
	c->name_vi = fb_dup(vi);
	c->name_en = fb_dup(en);
	r->nc = i + 1;     /* freed from here on */
	if (c->code == NULL || c->name_vi == NULL || c->name_en == NULL)
		return fb_oom(err);
	return fb_departments(c, o, i, err);
}

static int fb_holiday(struct feedback_rules *r, json_t *o, size_t i, struct error *err)
{
	const char *from = json_string_value(json_object_get(o, "from"));
	const char *to = json_string_value(json_object_get(o, "to"));
	struct vndate a, b;
	int assumption, rc;

	if (!json_is_object(o))
		return error_set(err, THC_EUNPROCESSABLE, "holidays[%zu] phải là đối tượng",
		                 "holidays[%zu] must be an object", i);
	if (from == NULL || to == NULL || vndate_parse(from, &a) < 0 || vndate_parse(to, &b) < 0 ||
	    vndate_to_days(b) < vndate_to_days(a) || vndate_to_days(b) - vndate_to_days(a) > 31)
		return error_set(err, THC_EUNPROCESSABLE,
		                 "holidays[%zu]: 'from' và 'to' phải là ngày YYYY-MM-DD, 'to' không trước 'from', cách nhau tối đa 31 ngày",
		                 "holidays[%zu]: 'from' and 'to' must be dates YYYY-MM-DD, 'to' not before 'from', at most 31 days apart",
		                 i);
	if ((rc = fb_status_field(o, "holidays", i, &assumption, err)) < 0)
		return rc;
	r->h[i].from = vndate_to_days(a);
	r->h[i].to = vndate_to_days(b);
	r->nh = i + 1;
	return 0;
}

static int fb_list(json_t *doc, const char *key, size_t max, json_t **out, struct error *err)
{
	*out = json_object_get(doc, key);
	if (!json_is_array(*out) || json_array_size(*out) > max ||
	    (strcmp(key, "categories") == 0 && json_array_size(*out) == 0))
		return error_set_at(err, THC_EUNPROCESSABLE, key,
		                    "trường '%s' phải là danh sách (tối đa %zu mục)",
		                    "field '%s' must be a list (at most %zu entries)", key, max);
	return 0;
}

int feedback_rules_parse(const char *json, size_t len, struct feedback_rules **out,
                         struct error *err)
{
	struct feedback_rules *r = NULL;
	json_t *doc = NULL, *cats, *hols, *o;
	json_error_t je;
	size_t i;
	int rc = 0;

	*out = NULL;
	if (len > FEEDBACK_RULES_MAX_BYTES)
		return error_set(err, THC_ETOOBIG, "tệp quy tắc phản ánh lớn hơn %d byte",
		                 "the feedback rules file is larger than %d bytes",
		                 FEEDBACK_RULES_MAX_BYTES);
	if ((doc = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je)) == NULL)
		return error_set(err, THC_EUNPROCESSABLE, "JSON không hợp lệ ở dòng %d: %s",
		                 "malformed JSON at line %d: %s", je.line, je.text);
	if ((rc = fb_list(doc, "categories", FEEDBACK_CATEGORIES_MAX, &cats, err)) < 0 ||
	    (rc = fb_list(doc, "holidays", FEEDBACK_HOLIDAYS_MAX, &hols, err)) < 0)
		goto out;
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		rc = fb_oom(err);
		goto out;
	}
	json_array_foreach(cats, i, o)
		if ((rc = fb_category(r, o, i, err)) < 0)
			goto out;
	json_array_foreach(hols, i, o)
		if ((rc = fb_holiday(r, o, i, err)) < 0)
			goto out;
	*out = r;
	r = NULL;
out:
	feedback_rules_free(r);
	json_decref(doc);
	return rc;
}

void feedback_rules_free(struct feedback_rules *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->nc; i++) {
		free((char *)r->c[i].code);
		free((char *)r->c[i].name_vi);
		free((char *)r->c[i].name_en);
		for (int l = FEEDBACK_LEVEL_PROVINCE; l <= FEEDBACK_LEVEL_COMMUNE; l++)
			free((char *)r->c[i].department[l]);
	}
	free(r);
}

const struct feedback_category *feedback_category(const struct feedback_rules *r,
                                                  const char *code)
{
	for (size_t i = 0; code && i < r->nc; i++)
		if (r->c[i].code && strcmp(r->c[i].code, code) == 0)
			return &r->c[i];
	return NULL;
}

const char *feedback_department(const struct feedback_category *c, const char *unit_path)
{
	int segs = 0;

	for (const char *p = unit_path; p && *p; p++)
		segs += *p == '/';
	segs -= 1;                          /* "/01/001/" has two segments */
	if (segs < FEEDBACK_LEVEL_PROVINCE)
		segs = FEEDBACK_LEVEL_PROVINCE;
	if (segs > FEEDBACK_LEVEL_COMMUNE)
		segs = FEEDBACK_LEVEL_COMMUNE;
	return c ? c->department[segs] : NULL;
}

const struct feedback_category *feedback_category_at(const struct feedback_rules *r, size_t i)
{
	return i < r->nc ? &r->c[i] : NULL;
}

int feedback_code_check(const char *field, const char *v, struct error *err)
{
	if (v[0] == '\0' || strlen(v) >= FEEDBACK_CODE_MAX ||
	    strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(v))
		return error_set_at(err, THC_EUNPROCESSABLE, field,
		                    "trường '%s' phải là 1..%d chữ thường không dấu, số hoặc '_'",
		                    "field '%s' must be 1..%d lower-case letters, digits or '_'",
		                    field, FEEDBACK_CODE_MAX - 1);
	return 0;
}

int feedback_working_day(const struct feedback_rules *r, int32_t day)
{
	if (vndate_weekday(day) >= 6)
		return 0;
	for (size_t i = 0; i < r->nh; i++)
		if (day >= r->h[i].from && day <= r->h[i].to)
			return 0;
	return 1;
}

int32_t feedback_deadline(const struct feedback_rules *r, int32_t from, int days)
{
	int32_t d = from;

	/* Bounded: a holiday lasts at most 31 days, so each working day is
	 * found within a few weeks. */
	while (days > 0) {
		d++;
		if (feedback_working_day(r, d))
			days--;
	}
	return d;
}

const char *feedback_status_name(enum feedback_status s)
{
	return (unsigned)s < FEEDBACK_STATUS_COUNT ? fb_status[s].name : "?";
}

const char *feedback_status_title(enum feedback_status s, const char *lang)
{
	if ((unsigned)s >= FEEDBACK_STATUS_COUNT)
		return "?";
	return lang && strcmp(lang, "en") == 0 ? fb_status[s].en : fb_status[s].vi;
}

int feedback_status_from_name(const char *name)
{
	for (int i = 0; name && i < FEEDBACK_STATUS_COUNT; i++)
		if (strcmp(fb_status[i].name, name) == 0)
			return i;
	return -1;
}

int feedback_status_open(enum feedback_status s)
{
	return s == FEEDBACK_NEW || s == FEEDBACK_ACKNOWLEDGED || s == FEEDBACK_IN_PROGRESS;
}

int feedback_transition(enum feedback_status from, enum feedback_action action,
                        enum feedback_status *to, struct error *err)
{
	static const struct {
		unsigned from;            /* bits of the statuses that allow it */
		enum feedback_status to;
		const char *vi, *en;
	} t[] = {
		[FEEDBACK_ACKNOWLEDGE] = { 1u << FEEDBACK_NEW, FEEDBACK_ACKNOWLEDGED,
		                           "mới tiếp nhận", "new" },
		[FEEDBACK_ASSIGN] = { (1u << FEEDBACK_NEW) | (1u << FEEDBACK_ACKNOWLEDGED) |
		                      (1u << FEEDBACK_IN_PROGRESS), FEEDBACK_IN_PROGRESS,
		                      "mới, đã xác nhận hoặc đang xử lý",
		                      "new, acknowledged or in progress" },
		[FEEDBACK_ANSWER] = { (1u << FEEDBACK_ACKNOWLEDGED) | (1u << FEEDBACK_IN_PROGRESS),
		                      FEEDBACK_ANSWERED, "đã xác nhận hoặc đang xử lý",
		                      "acknowledged or in progress" },
		[FEEDBACK_CLOSE] = { 1u << FEEDBACK_ANSWERED, FEEDBACK_CLOSED, "đã trả lời", "answered" },
		[FEEDBACK_REJECT] = { (1u << FEEDBACK_NEW) | (1u << FEEDBACK_ACKNOWLEDGED) |
		                      (1u << FEEDBACK_IN_PROGRESS), FEEDBACK_REJECTED,
		                      "mới, đã xác nhận hoặc đang xử lý",
		                      "new, acknowledged or in progress" },
		[FEEDBACK_REASSIGN] = { (1u << FEEDBACK_NEW) | (1u << FEEDBACK_ACKNOWLEDGED) |
		                        (1u << FEEDBACK_IN_PROGRESS), FEEDBACK_NEW,
		                        "mới, đã xác nhận hoặc đang xử lý",
		                        "new, acknowledged or in progress" },
	};

	if ((unsigned)action >= sizeof(t) / sizeof(t[0]) || (unsigned)from >= FEEDBACK_STATUS_COUNT)
		return error_set(err, THC_EINVAL, "thao tác không hợp lệ", "invalid action");
	if (!(t[action].from & (1u << from)))
	{
		char vi[200], en[200];

		snprintf(vi, sizeof(vi), "phản ánh đang ở trạng thái '%s'; thao tác này chỉ dùng khi %s",
		         fb_status[from].vi, t[action].vi);
		snprintf(en, sizeof(en), "the request is %s; this applies only when it is %s",
		         fb_status[from].en, t[action].en);
		return error_set(err, THC_ECONFLICT, "%s%.0s", "%.0s%s", vi, en);
	}
	*to = t[action].to;
	return 0;
}

/* The n-th segment (1 = province) of a path, its length in *len, or NULL. */
static const char *fb_segment(const char *path, int n, size_t *len)
{
	const char *p = path;

	if (p == NULL || *p != '/')
		return NULL;
	for (int i = 1; i <= n; i++) {
		const char *s = p + 1, *e = strchr(s, '/');

		if (e == NULL || e == s)
			return NULL;
		if (i == n) {
			*len = (size_t)(e - s);
			return s;
		}
		p = e;
	}
	return NULL;
}

static int fb_depth(const char *path)
{
	size_t len;
	int n = 0;

	while (fb_segment(path, n + 1, &len))
		n++;
	return n;
}

static int fb_copy_segment(const char *path, int n, char *out, size_t outsz)
{
	size_t len;
	const char *s = fb_segment(path, n, &len);

	if (s == NULL || len >= outsz)
		return -1;
	memcpy(out, s, len);
	out[len] = '\0';
	return 0;
}

int feedback_route(const char *path, enum feedback_level level, char *out, size_t outsz,
                   struct error *err)
{
	int depth = fb_depth(path);
	int at = depth < (int)level ? depth : (int)level;

	if (depth < 1 || fb_copy_segment(path, at, out, outsz) < 0)
		return error_set(err, THC_EUNPROCESSABLE,
		                 "không xác định được đơn vị chịu trách nhiệm cho địa điểm này",
		                 "no responsible unit can be found for this place");
	return 0;
}

int feedback_escalation_target(const char *holder_path, char *out, size_t outsz)
{
	int depth = fb_depth(holder_path);

	out[0] = '\0';
	if (depth < 2)
		return 0;
	return fb_copy_segment(holder_path, depth - 1, out, outsz) < 0 ? 0 : 1;
}

int feedback_escalation_due(enum feedback_status s, int32_t deadline, int32_t today)
{
	return feedback_status_open(s) && today > deadline;
}

int feedback_reminder_due(const struct feedback_rules *r, enum feedback_status s,
                          int32_t deadline, int32_t today)
{
	return feedback_status_open(s) && today <= deadline &&
	       feedback_deadline(r, today, 1) >= deadline;
}

int feedback_reopen_allowed(enum feedback_status s, int32_t answered_day, int32_t today,
                            struct error *err)
{
	if (s != FEEDBACK_ANSWERED && s != FEEDBACK_CLOSED)
		return error_set(err, THC_ECONFLICT,
		                 "chỉ mở lại được phản ánh đã trả lời hoặc đã đóng (đang: %s)",
		                 "only an answered or closed request can be reopened (it is %s)",
		                 feedback_status_name(s));
	if (today - answered_day > FEEDBACK_REOPEN_DAYS)
		return error_set(err, THC_ECONFLICT,
		                 "đã quá %d ngày kể từ khi trả lời: hãy gửi phản ánh mới",
		                 "more than %d days have passed since the answer: send a new request",
		                 FEEDBACK_REOPEN_DAYS);
	return 0;
}
