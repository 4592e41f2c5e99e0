/*
 * Support programmes read from JSON, eligibility, amounts and the
 * exclusions between programmes (support.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/vntime.h"
#include "domain/support.h"
#include "base/banned.h"

struct support_catalog {
	struct support_programme p[SUPPORT_PROGRAMMES_MAX];
	size_t n;
};

static const char *const sp_facts[] = {
	"days", "children_under_6", "age", "monthly_income", "pregnant", "disabled",
	"social_insurance", "registered", "resident", "licensed", "order_ref", NULL,
};
static const char *const sp_ops[] = { ">=", "<", "true", "present", NULL };
/* The keys that carry a rule, each with its mark. */
static const char *const sp_marked[] = {
	"conditions", "amount", "excludes", "chain", "posting", "deadline", NULL,
};

static int sp_in(const char *const *list, const char *s)
{
	for (size_t i = 0; s && list[i]; i++)
		if (strcmp(list[i], s) == 0)
			return 1;
	return 0;
}

static int sp_bad(struct error *err, const char *id, const char *key, const char *vi,
                  const char *en)
{
	/* The explanation differs by language: each message is set on its own. */
	error_set(err, THC_EUNPROCESSABLE, "chương trình không hợp lệ", "invalid programme");
	snprintf(err->vi, sizeof(err->vi), "chương trình '%s', '%s': %s", id ? id : "?", key, vi);
	snprintf(err->en, sizeof(err->en), "programme '%s', '%s': %s", id ? id : "?", key, en);
	return THC_EUNPROCESSABLE;
}

struct support_catalog *support_catalog_new(void)
{
	return calloc(1, sizeof(struct support_catalog));
}

void support_catalog_free(struct support_catalog *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->n; i++)
		json_decref(c->p[i].doc);
	free(c);
}

/* {fact, op, value?}: a known fact, a known op, an integer value for >= and <. */
static int sp_test_ok(json_t *t)
{
	const char *fact = json_string_value(json_object_get(t, "fact"));
	const char *op = json_string_value(json_object_get(t, "op"));

	if (!sp_in(sp_facts, fact) || !sp_in(sp_ops, op))
		return 0;
	if (strcmp(op, ">=") == 0 || strcmp(op, "<") == 0)
		return json_is_integer(json_object_get(t, "value"));
	return 1;
}

static int sp_name_ok(json_t *o)
{
	return json_is_string(json_object_get(o, "vi")) && json_is_string(json_object_get(o, "en"));
}

static int sp_conditions(const char *id, json_t *doc, struct error *err)
{
	json_t *conds = json_object_get(doc, "conditions"), *c;
	size_t i;

	if (!json_is_array(conds) || json_array_size(conds) > SUPPORT_CONDITIONS_MAX)
		return sp_bad(err, id, "conditions", "phải là một danh sách", "must be a list");
	json_array_foreach(conds, i, c)
		if (!sp_test_ok(c) || !sp_name_ok(json_object_get(c, "reason")))
			return sp_bad(err, id, "conditions", "điều kiện cần fact, op và reason {vi,en}",
			              "a condition needs fact, op and reason {vi,en}");
	return 0;
}

static int sp_amount(const char *id, json_t *doc, struct error *err)
{
	json_t *am = json_object_get(doc, "amount"), *t, *s, *x;
	size_t i, j;

	if (!json_is_object(am) || !json_is_integer(json_object_get(am, "base")) ||
	    !json_is_integer(json_object_get(am, "per_day")))
		return sp_bad(err, id, "amount", "cần base và per_day (đồng)",
		              "needs base and per_day (đồng)");
	json_array_foreach(json_object_get(am, "tiers"), i, t)
		if (!json_is_integer(json_object_get(t, "days_from")) ||
		    !json_is_integer(json_object_get(t, "base")))
			return sp_bad(err, id, "amount.tiers", "mỗi bậc cần days_from và base",
			              "each tier needs days_from and base");
	s = json_object_get(am, "supplements");
	if (s && (!json_is_array(s) || json_array_size(s) > SUPPORT_SUPPLEMENTS_MAX))
		return sp_bad(err, id, "amount.supplements", "phải là một danh sách", "must be a list");
	json_array_foreach(s, i, t) {
		const char *per = json_string_value(json_object_get(t, "per"));

		if (!json_is_integer(json_object_get(t, "amount")) ||
		    (per && strcmp(per, "children_under_6") != 0) ||
		    !json_is_array(json_object_get(t, "any")))
			return sp_bad(err, id, "amount.supplements",
			              "khoản thêm cần amount, any và per (children_under_6) nếu có",
			              "a supplement needs amount, any and per (children_under_6) if any");
		json_array_foreach(json_object_get(t, "any"), j, x)
			if (!sp_test_ok(x))
				return sp_bad(err, id, "amount.supplements", "điều kiện không hợp lệ",
				              "an invalid test");
	}
	return 0;
}

static int sp_level(const char *name, enum support_level *out)
{
	static const char *const names[] = { "", "province", "district", "commune" };

	for (int l = SUPPORT_LEVEL_PROVINCE; l <= SUPPORT_LEVEL_COMMUNE; l++)
		if (name && strcmp(name, names[l]) == 0) {
			*out = (enum support_level)l;
			return 0;
		}
	return -1;
}

const char *support_level_name(enum support_level l)
{
	return l == SUPPORT_LEVEL_PROVINCE ? "province" : l == SUPPORT_LEVEL_DISTRICT ? "district"
	       : "commune";
}

/* commune → district → province: a step never goes back down. */
static int sp_chain(struct support_programme *p, json_t *doc, struct error *err)
{
	json_t *chain = json_object_get(doc, "chain"), *s;
	size_t i;

	if (!json_is_array(chain) || json_array_size(chain) == 0 ||
	    json_array_size(chain) > SUPPORT_STEPS_MAX)
		return sp_bad(err, p->id, "chain", "cần 1 đến 6 bước", "needs 1 to 6 steps");
	json_array_foreach(chain, i, s) {
		struct support_step *st = &p->steps[i];
		json_t *d = json_object_get(s, "working_days");

		if (sp_level(json_string_value(json_object_get(s, "level")), &st->level) < 0 ||
		    !sp_name_ok(json_object_get(s, "name")) || !json_is_integer(d) ||
		    json_integer_value(d) < 1 || json_integer_value(d) > 30 ||
		    (i > 0 && st->level > p->steps[i - 1].level))
			return sp_bad(err, p->id, "chain",
			              "mỗi bước cần level (commune, district, province, không đi xuống), name và working_days 1–30",
			              "each step needs level (commune, district, province, never down), name and working_days 1-30");
		st->name_vi = json_string_value(json_object_get(json_object_get(s, "name"), "vi"));
		st->name_en = json_string_value(json_object_get(json_object_get(s, "name"), "en"));
		st->working_days = (int)json_integer_value(d);
	}
	p->nsteps = json_array_size(chain);
	return 0;
}

static int sp_marks(const char *id, json_t *doc, struct error *err)
{
	json_t *marks = json_object_get(doc, "marks");

	for (size_t i = 0; sp_marked[i]; i++) {
		json_t *m = json_object_get(marks, sp_marked[i]);
		const char *st = json_string_value(json_object_get(m, "status"));

		if (st == NULL || (strcmp(st, "confirmed") != 0 && strcmp(st, "assumption") != 0) ||
		    !json_is_string(json_object_get(m, "source")))
			return sp_bad(err, id, sp_marked[i],
			              "thiếu dấu marks (status confirmed|assumption, source)",
			              "has no mark (status confirmed|assumption, source)");
	}
	return 0;
}

/* deadline: null (open) or the last day a dossier is received. */
static int sp_deadline(struct support_programme *p, json_t *v, struct error *err)
{
	struct vndate d;

	p->deadline_day = 0;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v) || vndate_parse(json_string_value(v), &d) < 0)
		return sp_bad(err, p->id, "deadline", "cần null hoặc ngày YYYY-MM-DD",
		              "must be null or a date YYYY-MM-DD");
	p->deadline_day = vndate_to_days(d);
	return 0;
}

static int sp_head(struct support_programme *p, json_t *doc, struct error *err)
{
	json_t *name = json_object_get(doc, "name"), *posting = json_object_get(doc, "posting");
	const char *kind = json_string_value(json_object_get(doc, "kind"));
	json_t *ex = json_object_get(doc, "excludes"), *e;
	size_t i;

	p->id = json_string_value(json_object_get(doc, "id"));
	if (p->id == NULL || strlen(p->id) == 0 || strlen(p->id) >= SUPPORT_ID_MAX)
		return sp_bad(err, p->id, "id", "cần mã chương trình", "needs a programme id");
	if (!sp_name_ok(name) || !json_is_string(json_object_get(doc, "policy")) ||
	    (kind == NULL || (strcmp(kind, "person") != 0 && strcmp(kind, "household") != 0)))
		return sp_bad(err, p->id, "name", "cần name {vi,en}, policy và kind (person|household)",
		              "needs name {vi,en}, policy and kind (person|household)");
	p->name_vi = json_string_value(json_object_get(name, "vi"));
	p->name_en = json_string_value(json_object_get(name, "en"));
	p->policy = json_string_value(json_object_get(doc, "policy"));
	p->province = json_string_value(json_object_get(doc, "province"));
	p->household = strcmp(kind, "household") == 0;
	if (!json_is_null(posting) && !json_is_integer(json_object_get(posting, "working_days")))
		return sp_bad(err, p->id, "posting", "cần null hoặc {working_days}",
		              "must be null or {working_days}");
	p->posting_days = json_is_null(posting) ? 0
	                  : (int)json_integer_value(json_object_get(posting, "working_days"));
	if (!json_is_array(ex) || json_array_size(ex) > SUPPORT_EXCLUDES_MAX)
		return sp_bad(err, p->id, "excludes", "phải là một danh sách", "must be a list");
	json_array_foreach(ex, i, e) {
		if (!json_is_string(e))
			return sp_bad(err, p->id, "excludes", "phải là các mã chương trình",
			              "must be programme ids");
		p->excludes[i] = json_string_value(e);
	}
	p->nexcludes = json_array_size(ex);
	return sp_deadline(p, json_object_get(doc, "deadline"), err);
}

int support_catalog_add(struct support_catalog *c, const char *json, size_t len,
                        struct error *err)
{
	struct support_programme *p;
	json_error_t je;
	json_t *doc;
	int rc;

	if (c->n == SUPPORT_PROGRAMMES_MAX)
		return error_set(err, THC_EUNPROCESSABLE, "quá %d chương trình",
		                 "more than %d programmes", SUPPORT_PROGRAMMES_MAX);
	if ((doc = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je)) == NULL || !json_is_object(doc)) {
		json_decref(doc);
		return error_set(err, THC_EUNPROCESSABLE, "JSON không hợp lệ (dòng %d): %s",
		                 "invalid JSON (line %d): %s", je.line, je.text);
	}
	p = &c->p[c->n];
	memset(p, 0, sizeof(*p));
	p->doc = doc;
	if ((rc = sp_head(p, doc, err)) < 0 || (rc = sp_conditions(p->id, doc, err)) < 0 ||
	    (rc = sp_amount(p->id, doc, err)) < 0 || (rc = sp_chain(p, doc, err)) < 0 ||
	    (rc = sp_marks(p->id, doc, err)) < 0) {
		json_decref(doc);
		return rc;
	}
	if (support_programme(c, p->id)) {
		json_decref(doc);
		return sp_bad(err, p->id, "id", "trùng mã", "a duplicate id");
	}
	c->n++;
	return 0;
}

int support_catalog_check(const struct support_catalog *c, struct error *err)
{
	for (size_t i = 0; i < c->n; i++)
		for (size_t j = 0; j < c->p[i].nexcludes; j++)
			if (support_programme(c, c->p[i].excludes[j]) == NULL)
				return sp_bad(err, c->p[i].id, "excludes", "chương trình không có",
				              "no such programme");
	return 0;
}

const struct support_programme *support_programme(const struct support_catalog *c,
                                                  const char *id)
{
	for (size_t i = 0; c && id && i < c->n; i++)
		if (strcmp(c->p[i].id, id) == 0)
			return &c->p[i];
	return NULL;
}

const struct support_programme *support_programme_at(const struct support_catalog *c, size_t i)
{
	return c && i < c->n ? &c->p[i] : NULL;
}

static int sp_names(const struct support_programme *p, const char *id)
{
	for (size_t i = 0; p && i < p->nexcludes; i++)
		if (strcmp(p->excludes[i], id) == 0)
			return 1;
	return 0;
}

int support_exclusive(const struct support_catalog *c, const char *a, const char *b)
{
	return strcmp(a, b) == 0 || sp_names(support_programme(c, a), b) ||
	       sp_names(support_programme(c, b), a);
}

void support_exclusive_list(const struct support_catalog *c, const char *a, char *out,
                            size_t outsz)
{
	size_t k = 0;

	out[0] = '\0';
	for (size_t i = 0; c && i < c->n; i++) {
		int w;

		if (!support_exclusive(c, a, c->p[i].id))
			continue;
		w = snprintf(out + k, outsz - k, "%s%s", k ? "," : "", c->p[i].id);
		if (w < 0 || (size_t)w >= outsz - k)
			return;
		k += (size_t)w;
	}
}

/* ---- eligibility and amounts ---- */

static int64_t sp_fact(const struct support_facts *f, const char *fact)
{
	static const struct { const char *name; size_t at; } ints[] = {
		{ "days", offsetof(struct support_facts, days) },
		{ "children_under_6", offsetof(struct support_facts, children_under_6) },
		{ "age", offsetof(struct support_facts, age) },
		{ "monthly_income", offsetof(struct support_facts, monthly_income) },
	};
	static const struct { const char *name; size_t at; } flags[] = {
		{ "pregnant", offsetof(struct support_facts, pregnant) },
		{ "disabled", offsetof(struct support_facts, disabled) },
		{ "social_insurance", offsetof(struct support_facts, social_insurance) },
		{ "registered", offsetof(struct support_facts, registered) },
		{ "resident", offsetof(struct support_facts, resident) },
		{ "licensed", offsetof(struct support_facts, licensed) },
	};

	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
		if (strcmp(ints[i].name, fact) == 0)
			return *(const int64_t *)(const void *)((const char *)f + ints[i].at);
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (strcmp(flags[i].name, fact) == 0)
			return *(const int *)(const void *)((const char *)f + flags[i].at) > 0;
	return f->order_ref && f->order_ref[0] ? 1 : -1;   /* order_ref */
}

/* One test of a condition or supplement; an int fact not given fails. */
static int sp_test(json_t *t, const struct support_facts *f)
{
	const char *fact = json_string_value(json_object_get(t, "fact"));
	const char *op = json_string_value(json_object_get(t, "op"));
	int64_t v = sp_fact(f, fact), want = json_integer_value(json_object_get(t, "value"));

	if (strcmp(op, ">=") == 0)
		return v >= 0 && v >= want;
	if (strcmp(op, "<") == 0)
		return v >= 0 && v < want;
	return v > 0;      /* true, present */
}

static int64_t sp_base(json_t *am, const struct support_facts *f)
{
	int64_t base = json_integer_value(json_object_get(am, "base"));
	int64_t best = -1;
	json_t *t;
	size_t i;

	/* The highest tier the days reach. */
	json_array_foreach(json_object_get(am, "tiers"), i, t) {
		int64_t from = json_integer_value(json_object_get(t, "days_from"));

		if (f->days >= from && from > best) {
			best = from;
			base = json_integer_value(json_object_get(t, "base"));
		}
	}
	return base + json_integer_value(json_object_get(am, "per_day")) * (f->days > 0 ? f->days : 0);
}

int support_assess(const struct support_programme *p, const struct support_facts *f,
                   int64_t *amount, struct error *err)
{
	json_t *am = json_object_get(p->doc, "amount"), *c;
	int64_t total;
	size_t i;

	*amount = 0;
	json_array_foreach(json_object_get(p->doc, "conditions"), i, c)
		if (!sp_test(c, f)) {
			json_t *why = json_object_get(c, "reason");

			/* The reason differs by language: each message is set on its own. */
			error_set_at(err, THC_EUNPROCESSABLE, "facts", "không đủ điều kiện",
			             "not eligible");
			snprintf(err->vi, sizeof(err->vi), "không đủ điều kiện hưởng '%s': %s", p->id,
			         json_string_value(json_object_get(why, "vi")));
			snprintf(err->en, sizeof(err->en), "not eligible for '%s': %s", p->id,
			         json_string_value(json_object_get(why, "en")));
			return THC_EUNPROCESSABLE;
		}
	total = sp_base(am, f);
	json_array_foreach(json_object_get(am, "supplements"), i, c) {
		const char *per = json_string_value(json_object_get(c, "per"));
		int64_t times = per ? (f->children_under_6 > 0 ? f->children_under_6 : 0) : 1;
		json_t *t;
		size_t j;
		int hit = json_array_size(json_object_get(c, "any")) == 0;

		json_array_foreach(json_object_get(c, "any"), j, t)
			hit = hit || sp_test(t, f);
		if (hit)
			total += times * json_integer_value(json_object_get(c, "amount"));
	}
	*amount = total;
	return 0;
}

int support_deadline_check(const struct support_programme *p, int32_t received_day,
                           struct error *err)
{
	char on[11];

	if (p->deadline_day == 0 || received_day <= p->deadline_day)
		return 0;
	vndate_format_vn(vndate_from_days(p->deadline_day), on, sizeof(on));
	return error_set_at(err, THC_EUNPROCESSABLE, "received_on",
	                    "chương trình '%s' chỉ nhận hồ sơ đến hết ngày %s",
	                    "programme '%s' took applications until %s", p->id, on);
}

int support_step_overdue(const char *status, const char *step_deadline, int32_t today)
{
	struct vndate d;

	if (status == NULL || strcmp(status, "pending") != 0 || step_deadline == NULL ||
	    vndate_parse(step_deadline, &d) < 0)
		return 0;
	return vndate_to_days(d) < today;
}
