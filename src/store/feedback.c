/*
 * Citizen feedback: creation routed by the rules (domain/feedback.h), the
 * officials' lists in scope, the audited read of the reporter's contact,
 * tracking by token, the lifecycle and escalation, each change with its
 * history row and its audit row in one transaction.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/vntime.h"
#include "domain/feedback.h"
#include "domain/role.h"
#include "domain/unit.h"
#include "store/store-private.h"
#include "store/feedback-private.h"
#include "base/banned.h"

#define FB_EVENTS_MAX 200

#define FB_COLUMNS \
	"f.id, f.category, f.description, f.location_code, f.address, f.lat, f.lon, f.source," \
	" f.unit_code, f.assigned_code, f.holder_code, f.escalations, f.status, f.deadline," \
	" f.holder_deadline, f.answer, f.answered_at, f.reject_reason, f.created_at, f.updated_at," \
	" f.geo_district, f.geo_flag, COALESCE(f.geo_border_m, -1)," \
	" (SELECT COUNT(*) FROM feedback_photos p WHERE p.feedback_id = f.id)," \
	" (SELECT c.name_vi FROM feedback_categories c WHERE c.code = f.category AND" \
	"  substr(f.unit_path, 1, length(c.province_code) + 2) = '/' || c.province_code || '/')," \
	" f.department"

#define FB_NCOLUMNS 26

void fb_day_iso(int32_t day, char out[11])
{
	vndate_format_iso(vndate_from_days(day), out, 11);
}

static void fb_read_row(struct sql_stmt *s, struct arena *a, struct feedback_item *f)
{
	memset(f, 0, sizeof(*f));
	f->id = sql_col_int64(s, 0);
	f->category = arena_strdup(a, sql_col_text(s, 1));
	f->description = arena_strdup(a, sql_col_text(s, 2));
	f->location_code = arena_strdup(a, sql_col_text(s, 3));
	f->address = arena_strdup(a, sql_col_text(s, 4));
	f->has_point = !sql_col_is_null(s, 5) && !sql_col_is_null(s, 6);
	f->lat = f->has_point ? sql_col_double(s, 5) : 0;
	f->lon = f->has_point ? sql_col_double(s, 6) : 0;
	f->source = arena_strdup(a, sql_col_text(s, 7));
	f->unit_code = arena_strdup(a, sql_col_text(s, 8));
	f->assigned_code = arena_strdup(a, sql_col_text(s, 9));
	f->holder_code = arena_strdup(a, sql_col_text(s, 10));
	f->escalations = sql_col_int64(s, 11);
	f->status = arena_strdup(a, sql_col_text(s, 12));
	f->deadline = arena_strdup(a, sql_col_text(s, 13));
	f->holder_deadline = arena_strdup(a, sql_col_text(s, 14));
	f->answer = arena_strdup(a, sql_col_text(s, 15));
	f->answered_at_ms = sql_col_is_null(s, 16) ? 0 : sql_col_int64(s, 16);
	f->reject_reason = arena_strdup(a, sql_col_text(s, 17));
	f->created_at_ms = sql_col_int64(s, 18);
	f->updated_at_ms = sql_col_int64(s, 19);
	f->geo_district = arena_strdup(a, sql_col_text(s, 20));
	f->geo_flag = arena_strdup(a, sql_col_text(s, 21));
	f->geo_border_m = sql_col_int64(s, 22);
	f->photos = sql_col_int64(s, 23);
	f->category_name = arena_strdup(a, sql_col_text(s, 24));
	f->department = arena_strdup(a, sql_col_text(s, 25));
}

int fb_event_add(struct store *st, const struct store_actor *actor, int64_t id,
                 const char *action, const char *status, const char *unit,
                 const char *note, struct error *err)
{
	struct sql_stmt *s;
	int rc;

	rc = sql_prepare(st, "INSERT INTO feedback_events (feedback_id, at, action, status,"
	                 " unit_code, note, actor) VALUES ($1, $2, $3, $4, $5, $6, $7)", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, id);
	sql_bind_int64(s, 2, actor ? actor->now_ms : 0);
	sql_bind_text(s, 3, action);
	sql_bind_text(s, 4, status);
	sql_bind_text(s, 5, unit);
	sql_bind_text(s, 6, note);
	sql_bind_text(s, 7, actor && actor->username ? actor->username
	                    : actor && actor->user_id == 0 ? "system" : "anonymous");
	/* (actor is never NULL here: the API passes an anonymous actor.) */
	return sql_exec_stmt(s, NULL, err);
}

static int fb_events(struct store *st, struct arena *a, struct feedback_item *f,
                     struct error *err)
{
	struct sql_stmt *s;
	size_t k = 0;
	int rc;

	if ((f->events = arena_alloc(a, FB_EVENTS_MAX * sizeof(*f->events))) == NULL)
		return store_oom(err);
	rc = sql_prepare(st, "SELECT at, action, status, unit_code, note FROM feedback_events"
	                 " WHERE feedback_id = $1 ORDER BY id LIMIT $2", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, f->id);
	sql_bind_int64(s, 2, FB_EVENTS_MAX);
	while ((rc = sql_step(s, err)) == 1) {
		struct feedback_event *e = &f->events[k++];

		e->at_ms = sql_col_int64(s, 0);
		e->action = arena_strdup(a, sql_col_text(s, 1));
		e->status = arena_strdup(a, sql_col_text(s, 2));
		e->unit_code = arena_strdup(a, sql_col_text(s, 3));
		e->note = arena_strdup(a, sql_col_text(s, 4));
	}
	sql_done(s);
	f->nevents = k;
	return rc < 0 ? rc : 0;
}

/* ---- creation ---- */

struct fb_create {
	const struct feedback_rules *rules;
	const struct feedback_category *cat;
	struct feedback_category local;    /* a province's own, when cat points here */
	int32_t today;
	const char *token_hash;
	struct feedback_item *f;
	struct arena *a;
};

/* The place's path, when the actor may see it. */
static int fb_location(struct store *st, const struct store_actor *actor, const char *code,
                       char path[128], struct error *err)
{
	char hr[256];
	struct sql_stmt *s;
	int rc;

	role_mask_names(ROLE_MASK_HOUSEHOLD_READ, hr, sizeof(hr));
	rc = sql_prepare(st, "SELECT u.path FROM units u WHERE u.code = $1 AND u.level <> 'country'"
	                 " AND " VISIBLE_SQL("u", "$2", "$3"), &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, code);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, hr);
	rc = sql_step(s, err);
	if (rc == 1)
		rc = sql_col_copy(s, 0, path, 128, err) < 0 ? THC_ESTORE : 1;
	sql_done(s);
	if (rc == 0)
		return error_set_at(err, THC_EUNPROCESSABLE, "location_code",
		                    "trường 'location_code': không có đơn vị mã '%.40s'",
		                    "field 'location_code': no unit with code '%.40s'", code);
	return rc < 0 ? rc : 0;
}

/* The path of a unit by code ("" when unknown). */
int fb_unit_path(struct store *st, const char *code, char path[128], struct error *err)
{
	struct sql_stmt *s;
	int rc;

	path[0] = '\0';
	if ((rc = sql_prepare(st, "SELECT path FROM units WHERE code = $1", &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, code);
	rc = sql_step(s, err);
	if (rc == 1)
		rc = sql_col_copy(s, 0, path, 128, err) < 0 ? THC_ESTORE : 1;
	sql_done(s);
	return rc < 0 ? rc : 0;
}

/*
 * The place chosen against the point's district: a place inside it stands;
 * a place above it (a province, a key's unit) narrows to the district; a
 * place elsewhere stands too, but flagged "mismatch" for an operator.
 */
static int fb_geo_check(struct store *st, struct fb_create *C, char path[128], struct error *err)
{
	struct feedback_item *f = C->f;
	char dpath[128], seg[UNIT_CODE_MAX + 2];
	int rc;

	if (f->geo_district == NULL || f->geo_flag != NULL)
		return 0;
	snprintf(seg, sizeof(seg), "/%s/", f->geo_district);
	if (strstr(path, seg) != NULL)
		return 0;
	if ((rc = fb_unit_path(st, f->geo_district, dpath, err)) < 0)
		return rc;
	if (dpath[0] && strncmp(dpath, path, strlen(path)) == 0) {
		f->location_code = f->geo_district;
		memcpy(path, dpath, sizeof(dpath));
		return 0;
	}
	f->geo_flag = "mismatch";
	return 0;
}

static int fb_insert(struct store *st, const struct store_actor *actor, struct fb_create *C,
                     const char *unit, const char *unit_path, struct error *err)
{
	struct feedback_item *f = C->f;
	struct sql_stmt *s;
	int rc;

	rc = sql_prepare(st, "INSERT INTO feedback (token_hash, category, description, location_code,"
	                 " address, lat, lon, reporter_name, reporter_phone, reporter_id, source,"
	                 " unit_code, unit_path, holder_code, status, deadline, holder_deadline,"
	                 " created_at, updated_at, geo_district, geo_flag, geo_border_m, department)"
	                 " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,"
	                 " $11, $12, $13, $12, 'new', $14, $14, $15, $15, $16, $17, $18, $19) RETURNING id",
	                 &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, C->token_hash);
	sql_bind_text(s, 2, f->category);
	sql_bind_text(s, 3, f->description);
	sql_bind_text(s, 4, f->location_code);
	sql_bind_text(s, 5, f->address);
	if (f->has_point) {
		sql_bind_double(s, 6, f->lat);
		sql_bind_double(s, 7, f->lon);
	} else {
		sql_bind_null(s, 6);
		sql_bind_null(s, 7);
	}
	sql_bind_text(s, 8, f->reporter_name);
	sql_bind_text(s, 9, f->reporter_phone);
	if (actor && actor->user_id > 0)
		sql_bind_int64(s, 10, actor->user_id);
	else
		sql_bind_null(s, 10);
	sql_bind_text(s, 11, f->source ? f->source : "web");
	sql_bind_text(s, 12, unit);
	sql_bind_text(s, 13, unit_path);
	sql_bind_text(s, 14, f->deadline);
	sql_bind_int64(s, 15, actor ? actor->now_ms : 0);
	sql_bind_text(s, 16, f->geo_district);
	sql_bind_text(s, 17, f->geo_flag);
	if (f->geo_district && f->geo_border_m >= 0)
		sql_bind_int64(s, 18, f->geo_border_m);
	else
		sql_bind_null(s, 18);
	sql_bind_text(s, 19, f->department);
	return sql_exec_stmt(s, &f->id, err);
}

static int fb_create_body(struct store *st, void *ctx, struct store_audit *au, struct error *err)
{
	struct fb_create *C = ctx;
	struct feedback_item *f = C->f;
	char path[128], unit[UNIT_CODE_MAX], unit_path[128], deadline[11];
	int rc;

	if ((rc = fb_location(st, au->actor, f->location_code, path, err)) < 0 ||
	    (rc = fb_geo_check(st, C, path, err)) < 0)
		return rc;
	if (C->cat == NULL) {
		if ((rc = fbcat_category(st, path, f->category, 1, C->a, &C->local, err)) < 0)
			return rc;
		if (rc == 0)
			return error_set_at(err, THC_EUNPROCESSABLE, "category",
			                    "trường 'category': không có loại phản ánh '%.40s' ở nơi này",
			                    "field 'category': no feedback category '%.40s' for this place",
			                    f->category);
		C->cat = &C->local;
	}
	if ((rc = feedback_route(path, C->cat->level, unit, sizeof(unit), err)) < 0 ||
	    (rc = fb_unit_path(st, unit, unit_path, err)) < 0)
		return rc;
	fb_day_iso(feedback_deadline(C->rules, C->today, C->cat->days), deadline);
	f->deadline = f->holder_deadline = arena_strdup(C->a, deadline);
	f->unit_code = f->holder_code = arena_strdup(C->a, unit);
	f->department = feedback_department(C->cat, unit_path);
	f->status = "new";
	if (f->deadline == NULL || f->unit_code == NULL)
		return store_oom(err);
	if ((rc = fb_insert(st, au->actor, C, unit, unit_path, err)) < 0 ||
	    (rc = fb_event_add(st, au->actor, f->id, "create", "new", unit, NULL, err)) < 0)
		return rc;
	au->action = "feedback.create";
	au->entity = "feedback";
	store_audit_id(au, f->id);
	au->unit_code = arena_strdup(&au->arena, unit);
	/* The contact stays out of the trail: only whether there is one. */
	au->after = json_pack("{s:s,s:s,s:s,s:s?,s:s,s:b,s:s}", "category", f->category,
	                      "location_code", f->location_code, "unit_code", unit,
	                      "department", f->department, "deadline", deadline, "contact",
	                      f->reporter_name != NULL || f->reporter_phone != NULL,
	                      "source", f->source ? f->source : "web");
	if (au->unit_code == NULL || au->after == NULL)
		return store_oom(err);
	if (f->geo_flag)
		json_object_set_new(au->after, "geo_flag", json_string(f->geo_flag));
	return 0;
}

int store_feedback_create(struct store *st, const struct store_actor *actor,
                          const struct feedback_rules *rules, int32_t today,
                          const char *token_hash, struct feedback_item *f, struct arena *a,
                          struct error *err)
{
	struct fb_create C = { .rules = rules, .today = today, .token_hash = token_hash,
	                       .f = f, .a = a };

	/* Not a national one: perhaps the province's own (fb_local_category). */
	C.cat = feedback_category(rules, f->category);
	if (C.cat == NULL && (f->category == NULL || f->category[0] == '\0'))
		return error_set_at(err, THC_EUNPROCESSABLE, "category",
		                    "trường 'category': không có loại phản ánh '%.40s'",
		                    "field 'category': no feedback category '%.40s'",
		                    f->category ? f->category : "");
	if (f->has_point && (f->lat < -90 || f->lat > 90 || f->lon < -180 || f->lon > 180))
		return error_set_at(err, THC_EUNPROCESSABLE, "lat",
		                    "trường 'lat'/'long': tọa độ ngoài phạm vi",
		                    "field 'lat'/'long': coordinates out of range");
	return store_write(st, actor, fb_create_body, &C, err);
}

/* ---- reading ---- */

/*
 * The officials' list, one statement per order (the statement cache keys
 * on the literal): the keyset cursor (K, id) past the last row, then the
 * filters; $12 says whether there is a cursor, $13 is its key.
 */
#define FB_LIST_SQL(K, T, OP, DIR) \
	"SELECT " FB_COLUMNS " FROM feedback f" \
	" WHERE " KEYSET_SQL(K, T, OP, "f.id", "$12", "$13", "$1") " AND " FB_SCOPE("$2", "$3") \
	" AND (CAST($4 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM units top WHERE top.code = $4 AND" \
	"  (substr(f.unit_path, 1, length(top.path)) = top.path" \
	"   OR substr(COALESCE(f.assigned_path, ''), 1, length(top.path)) = top.path" \
	"   OR f.holder_code = top.code)))" \
	" AND (CAST($5 AS TEXT) IS NULL OR f.status = $5) AND (CAST($6 AS TEXT) IS NULL OR f.category = $6)" \
	" AND (CAST($7 AS BIGINT) = 0 OR (f.status IN ('new','acknowledged','in_progress')" \
	"  AND f.deadline < $8))" \
	" AND (CAST($9 AS BIGINT) = 0 OR f.escalations > 0)" \
	" AND (CAST($11 AS TEXT) IS NULL OR f.geo_flag = $11" \
	"  OR ($11 = 'any' AND f.geo_flag IS NOT NULL))" \
	" AND (CAST($14 AS TEXT) IS NULL OR f.department = $14)" \
	" ORDER BY " K " " DIR ", f.id " DIR " LIMIT $10"
#define FB_LIST_BOTH(K, T) { FB_LIST_SQL(K, T, ">", "ASC"), FB_LIST_SQL(K, T, "<", "DESC") }

static const char *const fb_list_sql[FEEDBACK_SORT_COUNT][2] = {
	[FEEDBACK_SORT_ID] = FB_LIST_BOTH("f.id", "BIGINT"),
	[FEEDBACK_SORT_DUE] = FB_LIST_BOTH("f.deadline", "TEXT"),
	[FEEDBACK_SORT_CREATED] = FB_LIST_BOTH("f.created_at", "BIGINT"),
	[FEEDBACK_SORT_UPDATED] = FB_LIST_BOTH("f.updated_at", "BIGINT"),
};

static void fb_list_bind_key(struct sql_stmt *s, const struct feedback_query *q)
{
	sql_bind_int64(s, 12, q->after > 0);
	if (q->sort == FEEDBACK_SORT_DUE)
		sql_bind_text(s, 13, q->after_due ? q->after_due : "");
	else if (q->sort == FEEDBACK_SORT_ID)
		sql_bind_int64(s, 13, q->after);
	else
		sql_bind_int64(s, 13, q->after_ms);
}

int store_feedback_list(struct store *st, const struct store_actor *actor,
                        const struct feedback_query *q, struct arena *a,
                        struct feedback_item **out, size_t *n, int64_t *next,
                        struct error *err)
{
	char rn[256], today[11];
	struct sql_stmt *s;
	size_t k = 0;
	int rc;

	*n = 0;
	*next = 0;
	if ((unsigned)q->sort >= FEEDBACK_SORT_COUNT)
		return error_set(err, THC_EINVAL, "thứ tự không hợp lệ", "invalid order");
	if ((*out = arena_alloc(a, (size_t)(q->limit + 1) * sizeof(**out))) == NULL)
		return store_oom(err);
	/* A unit outside the caller's scope is not found, as elsewhere. */
	if (q->unit && (rc = store_scope_check(st, actor, q->unit, FB_ROLES, err)) < 0)
		return rc;
	role_mask_names(FB_ROLES, rn, sizeof(rn));
	fb_day_iso(q->today, today);
	if ((rc = sql_prepare(st, fb_list_sql[q->sort][q->desc != 0], &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, q->after);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, rn);
	sql_bind_text(s, 4, q->unit);
	sql_bind_text(s, 5, q->status);
	sql_bind_text(s, 6, q->category);
	sql_bind_int64(s, 7, q->overdue);
	sql_bind_text(s, 8, today);
	sql_bind_int64(s, 9, q->escalated);
	sql_bind_int64(s, 10, q->limit + 1);
	sql_bind_text(s, 11, q->geo_flag);
	fb_list_bind_key(s, q);
	sql_bind_text(s, 14, q->department);
	while ((rc = sql_step(s, err)) == 1)
		fb_read_row(s, a, &(*out)[k++]);
	sql_done(s);
	if (rc < 0)
		return rc;
	if ((int64_t)k > q->limit) {
		k = (size_t)q->limit;
		*next = (*out)[k - 1].id;
	}
	*n = k;
	return 0;
}

int store_feedback_mine(struct store *st, const struct store_actor *actor, struct arena *a,
                        struct feedback_item **out, size_t *n, struct error *err)
{
	struct sql_stmt *s;
	size_t k = 0;
	int rc;

	*n = 0;
	if ((*out = arena_alloc(a, FEEDBACK_LIST_MAX * sizeof(**out))) == NULL)
		return store_oom(err);
	rc = sql_prepare(st, "SELECT " FB_COLUMNS " FROM feedback f WHERE f.reporter_id = $1"
	                 " ORDER BY f.id DESC LIMIT $2", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, store_actor_uid(actor));
	sql_bind_int64(s, 2, FEEDBACK_LIST_MAX);
	while ((rc = sql_step(s, err)) == 1)
		fb_read_row(s, a, &(*out)[k++]);
	sql_done(s);
	*n = k;
	return rc < 0 ? rc : 0;
}

int fb_not_found(int64_t id, struct error *err)
{
	return error_set(err, THC_ENOTFOUND, "không có phản ánh số %lld trong phạm vi của bạn",
	                 "no feedback request %lld within your scope", (long long)id);
}

struct fb_get {
	int64_t id;
	struct arena *a;
	struct feedback_item *f;
};

static int fb_get_body(struct store *st, void *ctx, struct store_audit *au, struct error *err)
{
	struct fb_get *G = ctx;
	char rn[256];
	struct sql_stmt *s;
	int rc;

	role_mask_names(FB_ROLES, rn, sizeof(rn));
	rc = sql_prepare(st, "SELECT " FB_COLUMNS ", f.reporter_name, f.reporter_phone"
	                 " FROM feedback f WHERE f.id = $1 AND " FB_SCOPE("$2", "$3"), &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, G->id);
	sql_bind_int64(s, 2, store_actor_uid(au->actor));
	sql_bind_text(s, 3, rn);
	if ((rc = sql_step(s, err)) == 1) {
		fb_read_row(s, G->a, G->f);
		G->f->reporter_name = arena_strdup(G->a, sql_col_text(s, FB_NCOLUMNS));
		G->f->reporter_phone = arena_strdup(G->a, sql_col_text(s, FB_NCOLUMNS + 1));
	}
	sql_done(s);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return fb_not_found(G->id, err);
	if ((rc = fb_events(st, G->a, G->f, err)) < 0)
		return rc;
	au->action = "feedback.read";
	au->entity = "feedback";
	store_audit_id(au, G->id);
	au->unit_code = arena_strdup(&au->arena, G->f->unit_code);
	return au->unit_code ? 0 : store_oom(err);
}

int store_feedback_get(struct store *st, const struct store_actor *actor, int64_t id,
                       struct arena *a, struct feedback_item *out, struct error *err)
{
	struct fb_get G = { .id = id, .a = a, .f = out };

	return store_write(st, actor, fb_get_body, &G, err);
}

int store_feedback_track(struct store *st, const char *token_hash, struct arena *a,
                         struct feedback_item *out, struct error *err)
{
	struct sql_stmt *s;
	int rc;

	rc = sql_prepare(st, "SELECT " FB_COLUMNS " FROM feedback f WHERE f.token_hash = $1",
	                 &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, token_hash);
	if ((rc = sql_step(s, err)) == 1)
		fb_read_row(s, a, out);
	sql_done(s);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return error_set(err, THC_ENOTFOUND, "không có phản ánh với mã theo dõi này",
		                 "no feedback request with this tracking code");
	return fb_events(st, a, out, err);
}

/* ---- the lifecycle ---- */

struct fb_act {
	int64_t id;
	int action;
	const char *unit, *text;
};

static const char *const fb_action_names[] = {
	[FEEDBACK_ACKNOWLEDGE] = "acknowledge", [FEEDBACK_ASSIGN] = "assign",
	[FEEDBACK_ANSWER] = "answer", [FEEDBACK_CLOSE] = "close", [FEEDBACK_REJECT] = "reject",
};

/* The request's status and paths, in the actor's scope, and the status
 * `action` takes it to (THC_ECONFLICT when its status does not allow it). */
int fb_act_load(struct store *st, const struct store_actor *actor, int64_t id, int action,
                char status[16], char unit_path[128], char unit[UNIT_CODE_MAX],
                enum feedback_status *to, struct error *err)
{
	char rn[256];
	struct sql_stmt *s;
	int rc, from;

	role_mask_names(FB_ROLES, rn, sizeof(rn));
	rc = sql_prepare(st, "SELECT f.status, f.unit_path, f.unit_code FROM feedback f"
	                 " WHERE f.id = $1 AND " FB_SCOPE("$2", "$3"), &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, id);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, rn);
	if ((rc = sql_step(s, err)) == 1) {
		rc = sql_col_copy(s, 0, status, 16, err) < 0 ? THC_ESTORE : 1;
		rc = rc == 1 && sql_col_copy(s, 1, unit_path, 128, err) < 0 ? THC_ESTORE : rc;
		rc = rc == 1 && sql_col_copy(s, 2, unit, UNIT_CODE_MAX, err) < 0 ? THC_ESTORE : rc;
	}
	sql_done(s);
	if (rc == 0)
		return fb_not_found(id, err);
	if (rc < 0)
		return rc;
	if ((from = feedback_status_from_name(status)) < 0)
		return error_set(err, THC_ESTORE, "trạng thái '%s' không rõ", "unknown status '%s'",
		                 status);
	return feedback_transition((enum feedback_status)from, (enum feedback_action)action, to, err);
}

/* assign: a unit strictly below the responsible one, within the actor's scope. */
static int fb_assign_target(struct store *st, const struct store_actor *actor,
                            const char *unit, const char *unit_path, char path[128],
                            struct error *err)
{
	if (unit == NULL)
		return error_set_at(err, THC_EUNPROCESSABLE, "unit_code",
		                    "trường 'unit_code': cần đơn vị được giao",
		                    "field 'unit_code': the unit to assign to is required");
	if (store_scope_path(st, actor, unit, FB_ROLES, path, 128, err) < 0 ||
	    strncmp(path, unit_path, strlen(unit_path)) != 0 || strcmp(path, unit_path) == 0)
		return error_set_at(err, THC_EUNPROCESSABLE, "unit_code",
		                    "trường 'unit_code': '%.40s' không phải đơn vị cấp dưới của đơn vị chịu trách nhiệm",
		                    "field 'unit_code': '%.40s' is not a unit below the responsible one",
		                    unit);
	return 0;
}

static int fb_act_update(struct store *st, const struct store_actor *actor,
                         const struct fb_act *A, const char *to, const char *assign_path,
                         struct error *err)
{
	struct sql_stmt *s;
	int rc;

	rc = sql_prepare(st, "UPDATE feedback SET status = $2, updated_at = $3,"
	                 " assigned_code = COALESCE($4, assigned_code),"
	                 " assigned_path = COALESCE($5, assigned_path),"
	                 " answer = CASE WHEN CAST($6 AS BIGINT) = 1 THEN CAST($7 AS TEXT) ELSE answer END,"
	                 " answered_at = CASE WHEN $6 = 1 THEN $3 ELSE answered_at END,"
	                 " reject_reason = CASE WHEN CAST($6 AS BIGINT) = 2 THEN CAST($7 AS TEXT) ELSE reject_reason END"
	                 " WHERE id = $1", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, A->id);
	sql_bind_text(s, 2, to);
	sql_bind_int64(s, 3, actor->now_ms);
	sql_bind_text(s, 4, assign_path ? A->unit : NULL);
	sql_bind_text(s, 5, assign_path);
	sql_bind_int64(s, 6, A->action == FEEDBACK_ANSWER ? 1 : A->action == FEEDBACK_REJECT ? 2 : 0);
	sql_bind_text(s, 7, A->text);
	return sql_exec_stmt(s, NULL, err);
}

static int fb_act_body(struct store *st, void *ctx, struct store_audit *au, struct error *err)
{
	struct fb_act *A = ctx;
	char status[16] = "", unit_path[128] = "", unit[UNIT_CODE_MAX] = "", apath[128] = "";
	enum feedback_status to;
	int rc;

	if ((rc = fb_act_load(st, au->actor, A->id, A->action, status, unit_path, unit, &to,
	                      err)) < 0)
		return rc;
	if (A->action == FEEDBACK_ASSIGN &&
	    (rc = fb_assign_target(st, au->actor, A->unit, unit_path, apath, err)) < 0)
		return rc;
	if ((rc = fb_act_update(st, au->actor, A, feedback_status_name(to),
	                        apath[0] ? apath : NULL, err)) < 0 ||
	    (rc = fb_event_add(st, au->actor, A->id, fb_action_names[A->action],
	                       feedback_status_name(to), A->action == FEEDBACK_ASSIGN ? A->unit : NULL,
	                       A->text, err)) < 0)
		return rc;
	au->action = A->action == FEEDBACK_ACKNOWLEDGE ? "feedback.acknowledge"
	             : A->action == FEEDBACK_ASSIGN ? "feedback.assign"
	             : A->action == FEEDBACK_ANSWER ? "feedback.answer"
	             : A->action == FEEDBACK_CLOSE ? "feedback.close" : "feedback.reject";
	au->entity = "feedback";
	store_audit_id(au, A->id);
	au->unit_code = arena_strdup(&au->arena, unit);
	au->before = json_pack("{s:s}", "status", status);
	au->after = json_pack("{s:s,s:s?,s:s?}", "status", feedback_status_name(to),
	                      "assigned_code", A->action == FEEDBACK_ASSIGN ? A->unit : NULL,
	                      "text", A->text);
	if (au->unit_code == NULL || au->before == NULL || au->after == NULL)
		return store_oom(err);
	return 0;
}

int store_feedback_act(struct store *st, const struct store_actor *actor, int64_t id,
                       int action, const char *unit, const char *text, struct error *err)
{
	struct fb_act A = { .id = id, .action = action, .unit = unit, .text = text };

	if (action < FEEDBACK_ACKNOWLEDGE || action > FEEDBACK_REJECT)
		return error_set(err, THC_EINVAL, "thao tác không hợp lệ", "invalid action");
	if ((action == FEEDBACK_ANSWER || action == FEEDBACK_REJECT) &&
	    (text == NULL || text[0] == '\0'))
		return error_set_at(err, THC_EUNPROCESSABLE, action == FEEDBACK_ANSWER ? "answer" : "reason",
		                    action == FEEDBACK_ANSWER ? "trường 'answer': cần nội dung trả lời"
		                                              : "trường 'reason': cần lý do từ chối",
		                    action == FEEDBACK_ANSWER ? "field 'answer': the answer is required"
		                                              : "field 'reason': the reason is required");
	return store_write(st, actor, fb_act_body, &A, err);
}

/* ---- reopening by the reporter ---- */

struct fb_reopen {
	const struct feedback_rules *rules;
	int32_t today;
	const char *token_hash, *reason;
	int64_t *id;
};

static int fb_reopen_body(struct store *st, void *ctx, struct store_audit *au,
                          struct error *err)
{
	struct fb_reopen *R = ctx;
	char status[16] = "", cat[FEEDBACK_CODE_MAX] = "", holder[UNIT_CODE_MAX] = "", day[11];
	char hpath[128];
	int64_t answered = 0;
	struct sql_stmt *s;
	int rc, from, days;

	rc = sql_prepare(st, "SELECT id, status, answered_at, category, holder_code FROM feedback"
	                 " WHERE token_hash = $1", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, R->token_hash);
	if ((rc = sql_step(s, err)) == 1) {
		*R->id = sql_col_int64(s, 0);
		answered = sql_col_is_null(s, 2) ? 0 : sql_col_int64(s, 2);
		rc = sql_col_copy(s, 1, status, sizeof(status), err) < 0 ||
		     sql_col_copy(s, 3, cat, sizeof(cat), err) < 0 ||
		     sql_col_copy(s, 4, holder, sizeof(holder), err) < 0 ? THC_ESTORE : 1;
	}
	sql_done(s);
	if (rc == 0)
		return error_set(err, THC_ENOTFOUND, "không có phản ánh với mã theo dõi này",
		                 "no feedback request with this tracking code");
	if (rc < 0)
		return rc;
	if ((from = feedback_status_from_name(status)) < 0)
		return error_set(err, THC_ESTORE, "phản ánh số %lld không đọc được",
		                 "feedback request %lld cannot be read", (long long)*R->id);
	if ((rc = feedback_reopen_allowed((enum feedback_status)from,
	                                  vntime_day_of(answered / 1000), R->today, err)) < 0)
		return rc;
	if ((rc = fb_unit_path(st, holder, hpath, err)) < 0 ||
	    (rc = fbcat_days(st, R->rules, cat, hpath, &days, err)) < 0)
		return rc;
	fb_day_iso(feedback_deadline(R->rules, R->today, days), day);
	if ((rc = sql_prepare(st, "UPDATE feedback SET status = 'in_progress', holder_deadline = $2,"
	                      " updated_at = $3 WHERE id = $1", &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, *R->id);
	sql_bind_text(s, 2, day);
	sql_bind_int64(s, 3, au->actor->now_ms);
	if ((rc = sql_exec_stmt(s, NULL, err)) < 0 ||
	    (rc = fb_event_add(st, au->actor, *R->id, "reopen", "in_progress", holder, R->reason,
	                       err)) < 0)
		return rc;
	au->action = "feedback.reopen";
	au->entity = "feedback";
	store_audit_id(au, *R->id);
	au->unit_code = arena_strdup(&au->arena, holder);
	au->before = json_pack("{s:s}", "status", status);
	au->after = json_pack("{s:s,s:s,s:s}", "status", "in_progress", "holder_deadline", day,
	                      "reason", R->reason);
	return au->unit_code && au->before && au->after ? 0 : store_oom(err);
}

int store_feedback_reopen(struct store *st, const struct store_actor *actor,
                          const struct feedback_rules *rules, int32_t today,
                          const char *token_hash, const char *reason, int64_t *id,
                          struct error *err)
{
	struct fb_reopen R = { .rules = rules, .today = today, .token_hash = token_hash,
	                       .reason = reason, .id = id };

	if (reason == NULL || reason[0] == '\0')
		return error_set_at(err, THC_EUNPROCESSABLE, "reason",
		                    "trường 'reason': cần lý do mở lại",
		                    "field 'reason': the reason for reopening is required");
	return store_write(st, actor, fb_reopen_body, &R, err);
}
