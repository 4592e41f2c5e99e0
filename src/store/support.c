/*
 * Support applications: creation in scope, the decision of each step of
 * the chain with its deadline, objections and complaints, payments; each
 * change with its history row and its audit row in one transaction.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/vntime.h"
#include "domain/feedback.h"
#include "domain/role.h"
#include "domain/support.h"
#include "domain/unit.h"
#include "store/store-private.h"
#include "store/support-private.h"
#include "store/support.h"
#include "base/banned.h"

void support_day_iso(int32_t day, char out[11])
{
	vndate_format_iso(vndate_from_days(day), out, 11);
}

int32_t support_day_of(const char *iso)
{
	struct vndate d;

	return vndate_parse(iso, &d) == 0 ? vndate_to_days(d) : 0;
}

int support_event_add(struct store *st, const struct store_actor *actor, int64_t id,
                      const char *action, int64_t step, const char *level, const char *on_day,
                      const char *deadline, int late, const char *note, struct error *err)
{
	struct sql_stmt *s;
	int64_t n = 0;
	int rc;

	/* The history is bounded, so that a reader gets all of it: past the
	 * cap a change is refused, never silently kept out of sight. */
	if ((rc = sql_prepare(st, "SELECT COUNT(*) FROM support_events WHERE application_id = $1",
	                      &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, id);
	if ((rc = sql_exec_stmt(s, &n, err)) < 0)
		return rc;
	if (n >= SUPPORT_HISTORY_MAX)
		return error_set(err, THC_ECONFLICT,
		                 "hồ sơ %lld đã có %d mục lịch sử, mức tối đa: không ghi thêm được",
		                 "application %lld already has %d history entries, the most kept: nothing more can be added",
		                 (long long)id, SUPPORT_HISTORY_MAX);
	rc = sql_prepare(st, "INSERT INTO support_events (application_id, at, action, step, level,"
	                 " on_day, deadline, late, note, actor) VALUES ($1, $2, $3, $4, $5, $6, $7,"
	                 " $8, $9, $10)", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, id);
	sql_bind_int64(s, 2, actor ? actor->now_ms : 0);
	sql_bind_text(s, 3, action);
	sql_bind_int64(s, 4, step);
	sql_bind_text(s, 5, level);
	sql_bind_text(s, 6, on_day);
	sql_bind_text(s, 7, deadline);
	sql_bind_int64(s, 8, late);
	sql_bind_text(s, 9, note);
	sql_bind_text(s, 10, actor && actor->username ? actor->username : "system");
	return sql_exec_stmt(s, NULL, err);
}

/* ---- creation ---- */

struct sp_create {
	const struct feedback_rules *cal;
	const struct support_programme *p;
	struct support_app *app;
	struct arena *a;
	int public;                    /* sent by a citizen or an employer: no scope */
};

/* The path of a unit anyone may name (a citizen's own household). */
static int sp_public_path(struct store *st, const char *code, char path[128], struct error *err)
{
	struct sql_stmt *s;
	int rc;

	if ((rc = sql_prepare(st, "SELECT path FROM units WHERE code = $1", &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, code);
	if ((rc = sql_step(s, err)) == 1)
		rc = sql_col_copy(s, 0, path, 128, err) < 0 ? THC_ESTORE : 1;
	sql_done(s);
	if (rc == 0)
		return error_set_at(err, THC_EUNPROCESSABLE, "unit_code",
		                    "trường 'unit_code': không có đơn vị mã '%.40s'",
		                    "field 'unit_code': no unit with code '%.40s'", code);
	return rc < 0 ? rc : 0;
}

static int sp_insert(struct store *st, const struct store_actor *actor, struct support_app *x,
                     const char *path, struct error *err)
{
	struct sql_stmt *s;
	int rc;

	rc = sql_prepare(st, "INSERT INTO support_applications (programme, kind, unit_code,"
	                 " unit_path, commune_code, full_name, id_number, address, person_id, facts,"
	                 " amount, source, employer, received_on, status, step, step_started_on,"
	                 " step_deadline, created_at, updated_at, tracking_hash, verified) VALUES ($1,"
	                 " $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'pending', 0, $14,"
	                 " $15, $16, $16, $17, $18) RETURNING id", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, x->programme);
	sql_bind_text(s, 2, x->kind);
	sql_bind_text(s, 3, x->unit_code);
	sql_bind_text(s, 4, path);
	sql_bind_text(s, 5, x->commune_code);
	sql_bind_text(s, 6, x->full_name);
	sql_bind_text(s, 7, x->id_number);
	sql_bind_text(s, 8, x->address);
	if (x->person_id > 0)
		sql_bind_int64(s, 9, x->person_id);
	else
		sql_bind_null(s, 9);
	sql_bind_text(s, 10, x->facts);
	sql_bind_int64(s, 11, x->amount);
	sql_bind_text(s, 12, x->source);
	sql_bind_text(s, 13, x->employer);
	sql_bind_text(s, 14, x->received_on);
	sql_bind_text(s, 15, x->step_deadline);
	sql_bind_int64(s, 16, actor ? actor->now_ms : 0);
	sql_bind_text(s, 17, x->tracking_hash);
	sql_bind_int64(s, 18, x->unverified ? 0 : 1);
	return sql_exec_stmt(s, &x->id, err);
}

/* The unit: in scope, a commune or below, a household for a household
 * programme, in the programme's province. */
static int sp_unit(struct store *st, const struct store_actor *actor, int public,
                   const struct support_programme *p, struct support_app *x, char path[128],
                   char commune[UNIT_CODE_MAX], struct error *err)
{
	char province[UNIT_CODE_MAX], level[16] = "";
	struct sql_stmt *s;
	int rc;

	if (public ? (rc = sp_public_path(st, x->unit_code, path, err)) < 0
	           : (rc = store_scope_path(st, actor, x->unit_code, ROLE_MASK_OFFICIALS, path, 128,
	                                    err)) < 0)
		return error_in_field(err, "unit_code");
	if ((rc = sql_prepare(st, "SELECT level FROM units WHERE code = $1", &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, x->unit_code);
	if ((rc = sql_step(s, err)) == 1)
		rc = sql_col_copy(s, 0, level, sizeof(level), err) < 0 ? THC_ESTORE : 1;
	sql_done(s);
	if (rc < 0)
		return rc;
	if (unit_path_code(path, 3, commune, UNIT_CODE_MAX) != 0)
		return error_set_at(err, THC_EUNPROCESSABLE, "unit_code",
		                    "trường 'unit_code': phải là xã, thôn hoặc hộ gia đình",
		                    "field 'unit_code': must be a commune, hamlet or household");
	if (p->household && strcmp(level, "household") != 0)
		return error_set_at(err, THC_EUNPROCESSABLE, "unit_code",
		                    "trường 'unit_code': chương trình '%s' nhận hồ sơ theo hộ: cần mã hộ",
		                    "field 'unit_code': programme '%s' takes households: give a household code",
		                    p->id);
	if (p->province && (unit_path_code(path, 1, province, sizeof(province)) != 0 ||
	                    strcmp(province, p->province) != 0))
		return error_set_at(err, THC_EUNPROCESSABLE, "unit_code",
		                    "trường 'unit_code': chương trình '%s' chỉ áp dụng tại tỉnh %s",
		                    "field 'unit_code': programme '%s' applies only in province %s",
		                    p->id, p->province);
	return 0;
}

/* A linked person must be one the actor may read. */
static int sp_person(struct store *st, const struct store_actor *actor, int64_t person_id,
                     struct error *err)
{
	char roles[256];
	struct sql_stmt *s;
	int rc;

	if (person_id <= 0)
		return 0;
	role_mask_names(ROLE_MASK_OFFICIALS, roles, sizeof(roles));
	rc = sql_prepare(st, "SELECT 1 FROM people p WHERE p.id = $1 AND p.merged_into IS NULL AND "
	                 SCOPE_SQL("p.unit_path", "$2", "$3"), &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, person_id);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, roles);
	rc = sql_step(s, err);
	sql_done(s);
	if (rc == 0)
		return error_set_at(err, THC_EUNPROCESSABLE, "person_id",
		                    "trường 'person_id': không có người số %lld trong phạm vi của bạn",
		                    "field 'person_id': no person %lld within your scope",
		                    (long long)person_id);
	return rc < 0 ? rc : 0;
}

static int sp_create_body(struct store *st, void *ctx, struct store_audit *au, struct error *err)
{
	struct sp_create *C = ctx;
	struct support_app *x = C->app;
	char path[128], commune[UNIT_CODE_MAX], deadline[11];
	int rc;

	if ((rc = sp_unit(st, au->actor, C->public, C->p, x, path, commune, err)) < 0 ||
	    (rc = sp_person(st, au->actor, x->person_id, err)) < 0)
		return rc;
	support_day_iso(feedback_deadline(C->cal, support_day_of(x->received_on),
	                                  C->p->steps[0].working_days), deadline);
	x->commune_code = arena_strdup(C->a, commune);
	x->step_deadline = arena_strdup(C->a, deadline);
	x->step_started_on = x->received_on;
	x->status = "pending";
	x->step = 0;
	if (x->commune_code == NULL || x->step_deadline == NULL)
		return store_oom(err);
	if ((rc = sp_insert(st, au->actor, x, path, err)) < 0 ||
	    (rc = support_event_add(st, au->actor, x->id, "create", 0, NULL, x->received_on,
	                            deadline, 0, NULL, err)) < 0)
		return rc;
	au->action = "support.create";
	au->entity = "support_application";
	store_audit_id(au, x->id);
	au->unit_code = arena_strdup(&au->arena, x->unit_code);
	/* The trail names the programme and the amount, not the ID number. */
	au->after = json_pack("{s:s,s:s,s:I,s:s,s:s,s:b}", "programme", x->programme, "unit_code",
	                      x->unit_code, "amount", (json_int_t)x->amount, "source", x->source,
	                      "step_deadline", deadline, "verified", !x->unverified);
	return au->unit_code && au->after ? 0 : store_oom(err);
}

int store_support_create(struct store *st, const struct store_actor *actor,
                         const struct feedback_rules *cal, const struct support_programme *p,
                         struct support_app *app, struct arena *a, struct error *err)
{
	struct sp_create C = { .cal = cal, .p = p, .app = app, .a = a };

	return store_write(st, actor, sp_create_body, &C, err);
}

int store_support_submit(struct store *st, const struct store_actor *actor,
                         const struct feedback_rules *cal, const struct support_programme *p,
                         struct support_app *app, struct arena *a, struct error *err)
{
	struct sp_create C = { .cal = cal, .p = p, .app = app, .a = a, .public = 1 };

	app->unverified = 1;
	app->person_id = 0;             /* a citizen links no one */
	return store_write(st, actor, sp_create_body, &C, err);
}

struct sp_create_many {
	int public;
	const struct feedback_rules *cal;
	const struct support_programme *const *p;
	struct support_app *apps;
	const long *lines;
	size_t n;
	struct arena *a;
};

/* Every row, or none: the first error names its line. */
static int sp_create_many_body(struct store *st, void *ctx, struct store_audit *au,
                               struct error *err)
{
	struct sp_create_many *M = ctx;
	int rc;

	for (size_t i = 0; i < M->n; i++) {
		struct sp_create C = { .cal = M->cal, .p = M->p[i], .app = &M->apps[i], .a = M->a,
		                       .public = M->public };

		if ((rc = sp_create_body(st, &C, au, err)) < 0) {
			error_prefix(err, "dòng %ld: ", "line %ld: ", M->lines[i]);
			return rc;
		}
		if ((rc = store_audit_flush(st, au, err)) < 0)
			return rc;
	}
	if (M->n == 0)
		au->unchanged = 1;
	return 0;
}

int store_support_create_many(struct store *st, const struct store_actor *actor,
                              const struct feedback_rules *cal,
                              const struct support_programme *const *p, struct support_app *apps,
                              const long *lines, size_t n, struct arena *a, struct error *err)
{
	struct sp_create_many M = { .cal = cal, .p = p, .apps = apps, .lines = lines, .n = n,
	                            .a = a };

	return store_write(st, actor, sp_create_many_body, &M, err);
}

int store_support_employer_submit(struct store *st, const struct store_actor *actor,
                                  const struct feedback_rules *cal,
                                  const struct support_programme *const *p,
                                  struct support_app *apps, const long *lines, size_t n,
                                  struct arena *a, struct error *err)
{
	struct sp_create_many M = { .public = 1, .cal = cal, .p = p, .apps = apps, .lines = lines,
	                            .n = n, .a = a };

	for (size_t i = 0; i < n; i++) {
		apps[i].unverified = 1;
		apps[i].person_id = 0;
	}
	return store_write(st, actor, sp_create_many_body, &M, err);
}

/* ---- decisions ---- */

struct sp_decide {
	const struct feedback_rules *cal;
	const struct support_programme *p;
	int64_t id;
	const struct support_decide *d;
};

int support_state(struct store *st, int64_t id, struct sp_state_view *v, struct error *err)
{
	struct sql_stmt *s;
	int rc;

	rc = sql_prepare(st, "SELECT unit_path, status, step_deadline, unit_code, commune_code,"
	                 " COALESCE(id_number, ''), step, amount, paid_amount, step_started_on,"
	                 " verified FROM support_applications WHERE id = $1", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, id);
	if ((rc = sql_step(s, err)) == 1 &&
	    (sql_col_copy(s, 0, v->path, sizeof(v->path), err) < 0 ||
	     sql_col_copy(s, 1, v->status, sizeof(v->status), err) < 0 ||
	     sql_col_copy(s, 2, v->deadline, sizeof(v->deadline), err) < 0 ||
	     sql_col_copy(s, 3, v->unit, sizeof(v->unit), err) < 0 ||
	     sql_col_copy(s, 4, v->commune, sizeof(v->commune), err) < 0 ||
	     sql_col_copy(s, 5, v->idn, sizeof(v->idn), err) < 0 ||
	     sql_col_copy(s, 9, v->started, sizeof(v->started), err) < 0))
		rc = THC_ESTORE;
	if (rc == 1) {
		v->step = sql_col_int64(s, 6);
		v->amount = sql_col_int64(s, 7);
		v->paid = sql_col_int64(s, 8);
		v->verified = (int)sql_col_int64(s, 10);
	}
	sql_done(s);
	if (rc == 0)
		return support_not_found(id, err);
	return rc < 0 ? rc : 0;
}

int support_not_found(int64_t id, struct error *err)
{
	return error_set(err, THC_ENOTFOUND, "không có hồ sơ hỗ trợ số %lld trong phạm vi của bạn",
	                 "no support application %lld within your scope", (long long)id);
}

/* May the actor act at this level above the application (its unit there)? */
static int sp_at_level(struct store *st, const struct store_actor *actor,
                       const struct sp_state_view *v, int level, int64_t id, struct error *err)
{
	char code[UNIT_CODE_MAX];
	int rc;

	if (unit_path_code(v->path, level, code, sizeof(code)) != 0)
		return support_not_found(id, err);
	rc = store_scope_check(st, actor, code, ROLE_MASK_OFFICIALS, err);
	if (rc == THC_ENOTFOUND) {
		/* Readable but not this official's step: say so without more. */
		if (store_scope_check(st, actor, v->unit, ROLE_MASK_OFFICIALS, err) == 0)
			return error_set(err, THC_EFORBIDDEN,
			                 "bước này do cấp %s (%s) quyết định",
			                 "this step is decided at the %s level (%s)",
			                 level == 1 ? "tỉnh" : level == 2 ? "huyện" : "xã", code);
		return support_not_found(id, err);
	}
	return rc;
}

/* Runs an UPDATE … WHERE <the state read> RETURNING id: none back means
 * another request changed the application in between. */
static int sp_changed(struct sql_stmt *s, const struct sp_state_view *v, struct error *err)
{
	int64_t got = 0;
	int rc = sql_exec_stmt(s, &got, err);

	if (rc < 0)
		return rc;
	if (got == 0)
		return error_set(err, THC_ECONFLICT,
		                 "hồ sơ vừa được thay đổi (trạng thái '%s', bước %lld đã khác): tải lại rồi thử lại",
		                 "the application was just changed (status '%s', step %lld no longer hold): reload and retry",
		                 v->status, (long long)v->step);
	return 0;
}

static int sp_approve(struct store *st, struct sp_decide *D, struct sp_state_view *v,
                      struct error *err)
{
	const struct support_programme *p = D->p;
	const struct support_step *step = &p->steps[v->step];
	char next_deadline[11] = "", until[11] = "";
	int32_t on = support_day_of(D->d->on_day);
	int last = (size_t)v->step + 1 >= p->nsteps;
	struct sql_stmt *s;
	int posting = p->posting_days > 0 && v->step == 0 && step->level == SUPPORT_LEVEL_COMMUNE;
	int rc;

	if (!last)
		support_day_iso(feedback_deadline(D->cal, on, p->steps[v->step + 1].working_days),
		                next_deadline);
	if (posting)
		support_day_iso(feedback_deadline(D->cal, on, p->posting_days), until);
	rc = sql_prepare(st, "UPDATE support_applications SET step = step + $2, status = $3,"
	                 " step_started_on = CASE WHEN $2 = 1 THEN $4 ELSE step_started_on END,"
	                 " step_deadline = CASE WHEN $2 = 1 THEN $5 ELSE step_deadline END,"
	                 " posted_from = CASE WHEN $6 = 1 THEN $4 ELSE posted_from END,"
	                 " posted_until = CASE WHEN $6 = 1 THEN $7 ELSE posted_until END,"
	                 " updated_at = $8 WHERE id = $1 AND status = 'pending' AND step = $9"
	                 " RETURNING id", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, D->id);
	sql_bind_int64(s, 2, last ? 0 : 1);
	sql_bind_text(s, 3, last ? "approved" : "pending");
	sql_bind_text(s, 4, D->d->on_day);
	sql_bind_text(s, 5, next_deadline);
	sql_bind_int64(s, 6, posting);
	sql_bind_text(s, 7, until);
	sql_bind_int64(s, 8, v->now_ms);
	sql_bind_int64(s, 9, v->step);
	return sp_changed(s, v, err);
}

static int sp_reject(struct store *st, struct sp_decide *D, struct sp_state_view *v,
                     struct error *err)
{
	struct sql_stmt *s;
	int rc;

	rc = sql_prepare(st, "UPDATE support_applications SET status = 'rejected',"
	                 " reject_reason = $2, updated_at = $3 WHERE id = $1 AND status = 'pending'"
	                 " AND step = $4 RETURNING id", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, D->id);
	sql_bind_text(s, 2, D->d->note);
	sql_bind_int64(s, 3, v->now_ms);
	sql_bind_int64(s, 4, v->step);
	return sp_changed(s, v, err);
}

static int sp_decide_check(struct store *st, struct sp_decide *D, struct sp_state_view *v,
                           struct error *err)
{
	int64_t dups = 0;
	int rc;

	if (strcmp(v->status, "pending") != 0)
		return error_set(err, THC_ECONFLICT,
		                 "hồ sơ đang ở trạng thái '%s': chỉ hồ sơ chờ duyệt mới được quyết định",
		                 "the application is '%s': only a pending one can be decided", v->status);
	if (!v->verified && D->d->what == SUPPORT_APPROVE)
		return error_set(err, THC_ECONFLICT,
		                 "hồ sơ do người dân tự nộp, chưa xác minh: xã xác minh trước khi duyệt",
		                 "the application was sent by the citizen and is not verified: the commune verifies it before approval");
	if ((size_t)v->step >= D->p->nsteps)
		return error_set(err, THC_ECONFLICT, "hồ sơ không còn bước nào", "no step is left");
	if (strcmp(D->d->on_day, v->started) < 0)
		return error_set_at(err, THC_EUNPROCESSABLE, "decided_on",
		                    "trường 'decided_on': trước ngày bắt đầu bước (%s)",
		                    "field 'decided_on': before the step started (%s)", v->started);
	if (D->d->what == SUPPORT_REJECT && (D->d->note == NULL || D->d->note[0] == '\0'))
		return error_set_at(err, THC_EUNPROCESSABLE, "reason",
		                    "trường 'reason': cần lý do từ chối", "field 'reason': give the reason");
	if (D->d->what != SUPPORT_APPROVE || v->idn[0] == '\0')
		return 0;
	if ((rc = support_count_duplicates(st, D->id, v->idn, D->d->excl, &dups, err)) < 0)
		return rc;
	/* Flagged before approval: an approver goes on only saying why. */
	if (dups > 0 && (D->d->duplicate_note == NULL || D->d->duplicate_note[0] == '\0'))
		return error_set_at(err, THC_ECONFLICT, "duplicate_note",
		                    "số định danh này có %lld hồ sơ khác trong chương trình này hoặc chương trình loại trừ: kiểm tra rồi ghi 'duplicate_note'",
		                    "this ID number has %lld other application(s) in this or an exclusive programme: check, then give 'duplicate_note'",
		                    (long long)dups);
	return 0;
}

static int sp_decide_body(struct store *st, void *ctx, struct store_audit *au, struct error *err)
{
	struct sp_decide *D = ctx;
	struct sp_state_view v;
	const struct support_step *step;
	int late, rc;

	if ((rc = support_state(st, D->id, &v, err)) < 0 ||
	    (rc = store_scope_check(st, au->actor, v.unit, ROLE_MASK_OFFICIALS, err)) < 0)
		return rc == THC_ENOTFOUND ? support_not_found(D->id, err) : rc;
	v.now_ms = au->actor ? au->actor->now_ms : 0;
	if ((size_t)v.step < D->p->nsteps &&
	    (rc = sp_at_level(st, au->actor, &v, (int)D->p->steps[v.step].level, D->id, err)) < 0)
		return rc;
	if ((rc = sp_decide_check(st, D, &v, err)) < 0)
		return rc;
	step = &D->p->steps[v.step];
	late = strcmp(D->d->on_day, v.deadline) > 0;
	rc = D->d->what == SUPPORT_APPROVE ? sp_approve(st, D, &v, err) : sp_reject(st, D, &v, err);
	if (rc < 0 ||
	    (rc = support_event_add(st, au->actor, D->id, D->d->what == SUPPORT_APPROVE ? "approve"
	                            : "reject", v.step, support_level_name(step->level),
	                            D->d->on_day, v.deadline, late,
	                            D->d->what == SUPPORT_APPROVE ? D->d->duplicate_note : D->d->note,
	                            err)) < 0)
		return rc;
	au->action = D->d->what == SUPPORT_APPROVE ? "support.approve" : "support.reject";
	au->entity = "support_application";
	store_audit_id(au, D->id);
	au->unit_code = arena_strdup(&au->arena, v.unit);
	au->after = json_pack("{s:I,s:s,s:s,s:s,s:b}", "step", (json_int_t)v.step, "level",
	                      support_level_name(step->level), "on", D->d->on_day, "deadline",
	                      v.deadline, "late", late);
	return au->unit_code && au->after ? 0 : store_oom(err);
}

int store_support_decide(struct store *st, const struct store_actor *actor,
                         const struct feedback_rules *cal, const struct support_programme *p,
                         int64_t id, const struct support_decide *d, struct error *err)
{
	struct sp_decide D = { .cal = cal, .p = p, .id = id, .d = d };

	return store_write(st, actor, sp_decide_body, &D, err);
}

/* ---- objections, complaints ---- */

struct sp_note {
	int64_t id;
	const char *kind, *text, *on_day;
};

/* An objection only while the line is posted (on its day), a complaint
 * only against a decision: checked by the UPDATE itself, so that a
 * decision made at the same moment cannot slip between check and write. */
static int sp_note_state(struct store *st, const struct sp_note *N,
                         const struct sp_state_view *v, int64_t now_ms, struct error *err)
{
	int objection = strcmp(N->kind, "objection") == 0;
	struct sql_stmt *s;
	int64_t got = 0;
	int rc;

	rc = sql_prepare(st, objection
	                 ? "UPDATE support_applications SET updated_at = $2 WHERE id = $1"
	                   " AND status = 'pending' AND posted_from IS NOT NULL"
	                   " AND posted_from <= $3 AND posted_until >= $3 RETURNING id"
	                 : "UPDATE support_applications SET updated_at = $2 WHERE id = $1"
	                   " AND status IN ('approved', 'rejected', 'paid')"
	                   " AND CAST($3 AS TEXT) IS NOT NULL RETURNING id", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, N->id);
	sql_bind_int64(s, 2, now_ms);
	sql_bind_text(s, 3, N->on_day);
	if ((rc = sql_exec_stmt(s, &got, err)) < 0)
		return rc;
	if (got != 0)
		return 0;
	if (objection)
		return error_set_at(err, THC_ECONFLICT, "kind",
		                    "hồ sơ không được niêm yết vào ngày %s (trạng thái '%s'): chỉ nhận ý kiến trong thời gian niêm yết",
		                    "the application is not posted on %s (status '%s'): objections are taken only while it is posted",
		                    N->on_day, v->status);
	return error_set_at(err, THC_ECONFLICT, "kind",
	                    "hồ sơ đang chờ quyết định (trạng thái '%s'): khiếu nại chỉ nhận sau khi có quyết định",
	                    "the application awaits a decision (status '%s'): a complaint is taken only after one",
	                    v->status);
}

static int sp_note_body(struct store *st, void *ctx, struct store_audit *au, struct error *err)
{
	struct sp_note *N = ctx;
	struct sp_state_view v;
	int rc;

	if ((rc = support_state(st, N->id, &v, err)) < 0 ||
	    (rc = store_scope_check(st, au->actor, v.unit, ROLE_MASK_OFFICIALS, err)) < 0)
		return rc == THC_ENOTFOUND ? support_not_found(N->id, err) : rc;
	if ((rc = sp_note_state(st, N, &v, au->actor ? au->actor->now_ms : 0, err)) < 0 ||
	    (rc = support_event_add(st, au->actor, N->id, N->kind, v.step, NULL, N->on_day, NULL,
	                            0, N->text, err)) < 0)
		return rc;
	au->action = strcmp(N->kind, "objection") == 0 ? "support.objection" : "support.complaint";
	au->entity = "support_application";
	store_audit_id(au, N->id);
	au->unit_code = arena_strdup(&au->arena, v.unit);
	au->after = json_pack("{s:s,s:s}", "kind", N->kind, "on", N->on_day);
	return au->unit_code && au->after ? 0 : store_oom(err);
}

int store_support_note(struct store *st, const struct store_actor *actor, int64_t id,
                       const char *kind, const char *text, const char *on_day,
                       struct error *err)
{
	struct sp_note N = { .id = id, .kind = kind, .text = text, .on_day = on_day };

	return store_write(st, actor, sp_note_body, &N, err);
}

/* ---- payments ---- */

struct sp_pay {
	int64_t id;
	const struct support_payment *pay;
};

static int sp_pay_insert(struct store *st, const struct store_actor *actor, struct sp_pay *P,
                         const struct sp_state_view *v, int full, struct error *err)
{
	struct sql_stmt *s;
	int rc;

	rc = sql_prepare(st, "INSERT INTO support_payments (application_id, method, amount, paid_on,"
	                 " reference, created_at, actor) VALUES ($1, $2, $3, $4, $5, $6, $7)", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, P->id);
	sql_bind_text(s, 2, P->pay->method);
	sql_bind_int64(s, 3, P->pay->amount);
	sql_bind_text(s, 4, P->pay->paid_on);
	sql_bind_text(s, 5, P->pay->reference);
	sql_bind_int64(s, 6, actor ? actor->now_ms : 0);
	sql_bind_text(s, 7, actor && actor->username ? actor->username : "system");
	if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
		return rc;
	rc = sql_prepare(st, "UPDATE support_applications SET paid_amount = paid_amount + $2,"
	                 " status = CASE WHEN $3 = 1 THEN 'paid' ELSE status END, updated_at = $4"
	                 " WHERE id = $1 AND status = 'approved' AND paid_amount = $5 RETURNING id",
	                 &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, P->id);
	sql_bind_int64(s, 2, P->pay->amount);
	sql_bind_int64(s, 3, full);
	sql_bind_int64(s, 4, actor ? actor->now_ms : 0);
	sql_bind_int64(s, 5, v->paid);
	return sp_changed(s, v, err);
}

static int sp_pay_body(struct store *st, void *ctx, struct store_audit *au, struct error *err)
{
	struct sp_pay *P = ctx;
	struct sp_state_view v;
	int full, rc;

	if ((rc = support_state(st, P->id, &v, err)) < 0 ||
	    (rc = store_scope_check(st, au->actor, v.unit, ROLE_MASK_OFFICIALS, err)) < 0)
		return rc == THC_ENOTFOUND ? support_not_found(P->id, err) : rc;
	if ((rc = sp_at_level(st, au->actor, &v, 3, P->id, err)) < 0)
		return rc;
	if (strcmp(v.status, "approved") != 0)
		return error_set(err, THC_ECONFLICT,
		                 "hồ sơ đang ở trạng thái '%s': chỉ chi trả hồ sơ đã được phê duyệt",
		                 "the application is '%s': only an approved one is paid", v.status);
	if (P->pay->amount > v.amount - v.paid)
		return error_set_at(err, THC_ECONFLICT, "amount",
		                    "trường 'amount': vượt số được duyệt còn lại (%lld đồng)",
		                    "field 'amount': more than the approved amount left (%lld đồng)",
		                    (long long)(v.amount - v.paid));
	full = v.paid + P->pay->amount == v.amount;
	if ((rc = sp_pay_insert(st, au->actor, P, &v, full, err)) < 0 ||
	    (rc = support_event_add(st, au->actor, P->id, "payment", v.step, NULL,
	                            P->pay->paid_on, NULL, 0, P->pay->method, err)) < 0)
		return rc;
	au->action = "support.pay";
	au->entity = "support_application";
	store_audit_id(au, P->id);
	au->unit_code = arena_strdup(&au->arena, v.unit);
	au->after = json_pack("{s:s,s:I,s:s,s:s?,s:b}", "method", P->pay->method, "amount",
	                      (json_int_t)P->pay->amount, "paid_on", P->pay->paid_on, "reference",
	                      P->pay->reference, "paid_in_full", full);
	return au->unit_code && au->after ? 0 : store_oom(err);
}

int store_support_pay(struct store *st, const struct store_actor *actor, int64_t id,
                      const struct support_payment *pay, struct error *err)
{
	struct sp_pay P = { .id = id, .pay = pay };

	return store_write(st, actor, sp_pay_body, &P, err);
}
