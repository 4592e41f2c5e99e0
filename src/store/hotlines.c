/*
 * Hotline numbers and duty shifts of a unit: see hotlines.h.
 */
#include <jansson.h>
#include <string.h>

#include "domain/hotline.h"
#include "domain/role.h"
#include "store/hotlines.h"
#include "store/store-private.h"
#include "base/banned.h"

static json_t *hotlines_json(const struct hotline *h, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s?,s:b}", "kind", h[i].kind,
		                                   "label", h[i].label, "phone", h[i].phone,
		                                   "hours", h[i].hours, "always_open", h[i].always_open));
	return a;
}

struct hotlines_put {
	const char *code;
	const struct hotline *h;
	size_t n;
};

static int hotlines_put_body(struct store *st, void *ctx, struct store_audit *au,
                             struct error *err)
{
	const struct hotlines_put *P = ctx;
	struct hotline *old;
	size_t nold;
	struct sql_stmt *s;
	int rc;

	if ((rc = store_scope_check(st, au->actor, P->code, ROLE_MASK_OFFICIALS, err)) < 0)
		return rc;
	if ((rc = store_hotlines_get(st, P->code, &au->arena, &old, &nold, err)) < 0)
		return rc;
	au->before = hotlines_json(old, nold);
	if ((rc = sql_prepare(st, "DELETE FROM hotlines WHERE unit_code = $1", &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, P->code);
	if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
		return rc;
	for (size_t i = 0; i < P->n; i++) {
		const struct hotline *h = &P->h[i];

		rc = sql_prepare(st, "INSERT INTO hotlines (unit_code, position, kind, label, phone,"
		                 " hours, always_open, updated_at, updated_by)"
		                 " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)", &s, err);
		if (rc < 0)
			return rc;
		sql_bind_text(s, 1, P->code);
		sql_bind_int64(s, 2, (int64_t)i + 1);
		sql_bind_text(s, 3, h->kind);
		sql_bind_text(s, 4, h->label);
		sql_bind_text(s, 5, h->phone);
		sql_bind_text(s, 6, h->hours);
		sql_bind_int64(s, 7, h->always_open ? 1 : 0);
		sql_bind_int64(s, 8, au->actor->now_ms);
		sql_bind_text(s, 9, au->actor->username ? au->actor->username : "system");
		if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
			return rc;
	}
	au->action = "hotlines.put";
	au->entity = "unit";
	store_audit_id_text(au, P->code);
	au->unit_code = P->code;
	au->after = hotlines_json(P->h, P->n);
	return au->before && au->after ? 0 : store_oom(err);
}

int store_hotlines_put(struct store *st, const struct store_actor *actor, const char *code,
                       const struct hotline *h, size_t n, struct error *err)
{
	struct hotlines_put P = { code, h, n };

	if (n > HOTLINES_MAX)
		return error_set_at(err, THC_EUNPROCESSABLE, "items", "trường 'items': quá %d số",
		                    "field 'items': more than %d numbers", HOTLINES_MAX);
	return store_write(st, actor, hotlines_put_body, &P, err);
}

int store_hotlines_get(struct store *st, const char *code, struct arena *a,
                       struct hotline **out, size_t *n, struct error *err)
{
	struct sql_stmt *s;
	size_t k = 0;
	int rc;

	*n = 0;
	if ((*out = arena_alloc(a, HOTLINES_MAX * sizeof(**out))) == NULL)
		return store_oom(err);
	rc = sql_prepare(st, "SELECT kind, label, phone, hours, always_open FROM hotlines"
	                 " WHERE unit_code = $1 ORDER BY position", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, code);
	while ((rc = sql_step(s, err)) == 1 && k < HOTLINES_MAX) {
		struct hotline *h = &(*out)[k++];

		h->kind = arena_strdup(a, sql_col_text(s, 0));
		h->label = arena_strdup(a, sql_col_text(s, 1));
		h->phone = arena_strdup(a, sql_col_text(s, 2));
		h->hours = sql_col_is_null(s, 3) ? NULL : arena_strdup(a, sql_col_text(s, 3));
		h->always_open = sql_col_int64(s, 4) != 0;
		if (h->kind == NULL || h->label == NULL || h->phone == NULL) {
			sql_done(s);
			return store_oom(err);
		}
	}
	sql_done(s);
	*n = k;
	return rc < 0 ? rc : 0;
}

static json_t *shifts_json(const struct duty_shift *d, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s,s:s}", "date", d[i].day,
		                                   "from", d[i].from, "to", d[i].to,
		                                   "name", d[i].name, "phone", d[i].phone));
	return a;
}

struct duty_put {
	const char *code, *first, *last;
	const struct duty_shift *s;
	size_t n;
};

static int duty_put_body(struct store *st, void *ctx, struct store_audit *au,
                         struct error *err)
{
	const struct duty_put *P = ctx;
	struct duty_shift *old;
	size_t nold;
	struct sql_stmt *s;
	int rc;

	if ((rc = store_duty_list(st, au->actor, P->code, P->first, P->last, &au->arena, &old,
	                          &nold, err)) < 0)
		return rc;
	au->before = shifts_json(old, nold);
	rc = sql_prepare(st, "DELETE FROM duty_shifts WHERE unit_code = $1 AND day >= $2"
	                 " AND day <= $3", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, P->code);
	sql_bind_text(s, 2, P->first);
	sql_bind_text(s, 3, P->last);
	if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
		return rc;
	for (size_t i = 0; i < P->n; i++) {
		const struct duty_shift *d = &P->s[i];

		rc = sql_prepare(st, "INSERT INTO duty_shifts (unit_code, day, from_time, to_time,"
		                 " name, phone, updated_at, updated_by)"
		                 " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", &s, err);
		if (rc < 0)
			return rc;
		sql_bind_text(s, 1, P->code);
		sql_bind_text(s, 2, d->day);
		sql_bind_text(s, 3, d->from);
		sql_bind_text(s, 4, d->to);
		sql_bind_text(s, 5, d->name);
		sql_bind_text(s, 6, d->phone);
		sql_bind_int64(s, 7, au->actor->now_ms);
		sql_bind_text(s, 8, au->actor->username ? au->actor->username : "system");
		if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
			return rc;
	}
	au->action = "duty.put";
	au->entity = "unit";
	store_audit_id_text(au, P->code);
	au->unit_code = P->code;
	au->after = json_pack("{s:s,s:o}", "week_start", P->first, "shifts",
	                      shifts_json(P->s, P->n));
	return au->before && au->after ? 0 : store_oom(err);
}

int store_duty_put(struct store *st, const struct store_actor *actor, const char *code,
                   const char *first_day, const char *last_day,
                   const struct duty_shift *s, size_t n, struct error *err)
{
	struct duty_put P = { code, first_day, last_day, s, n };

	if (n > DUTY_SHIFTS_MAX)
		return error_set_at(err, THC_EUNPROCESSABLE, "shifts",
		                    "trường 'shifts': quá %d ca trong một tuần",
		                    "field 'shifts': more than %d shifts in a week", DUTY_SHIFTS_MAX);
	return store_write(st, actor, duty_put_body, &P, err);
}

int store_duty_list(struct store *st, const struct store_actor *actor, const char *code,
                    const char *first_day, const char *last_day, struct arena *a,
                    struct duty_shift **out, size_t *n, struct error *err)
{
	/* At most a week and a day of shifts are asked for at once. */
	const size_t cap = DUTY_SHIFTS_MAX + 8;
	struct sql_stmt *s;
	size_t k = 0;
	int rc;

	*n = 0;
	if (actor && (rc = store_scope_check(st, actor, code, ROLE_MASK_OFFICIALS, err)) < 0)
		return rc;
	if ((*out = arena_alloc(a, cap * sizeof(**out))) == NULL)
		return store_oom(err);
	rc = sql_prepare(st, "SELECT day, from_time, to_time, name, phone FROM duty_shifts"
	                 " WHERE unit_code = $1 AND day >= $2 AND day <= $3"
	                 " ORDER BY day, from_time, id", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, code);
	sql_bind_text(s, 2, first_day);
	sql_bind_text(s, 3, last_day);
	while ((rc = sql_step(s, err)) == 1 && k < cap) {
		struct duty_shift *d = &(*out)[k++];

		d->day = arena_strdup(a, sql_col_text(s, 0));
		d->from = arena_strdup(a, sql_col_text(s, 1));
		d->to = arena_strdup(a, sql_col_text(s, 2));
		d->name = arena_strdup(a, sql_col_text(s, 3));
		d->phone = arena_strdup(a, sql_col_text(s, 4));
		if (!d->day || !d->from || !d->to || !d->name || !d->phone) {
			sql_done(s);
			return store_oom(err);
		}
	}
	sql_done(s);
	*n = k;
	return rc < 0 ? rc : 0;
}
