/*
 * Reassigning an open request to another responsible unit and/or another
 * department (store/feedback.h): misrouted across a border, or a category
 * another office answers for.  New there, its deadline kept.
 */
#include <jansson.h>
#include <string.h>

#include "domain/feedback.h"
#include "domain/unit.h"
#include "store/store-private.h"
#include "store/feedback.h"
#include "store/feedback-private.h"
#include "base/banned.h"

struct fb_reassign {
	const struct feedback_rules *rules;
	int64_t id;
	const char *unit, *department, *reason;
};

/* The new responsible unit: a province, district or commune.  Anywhere: a
 * request misrouted across a border goes to the neighbour, which may lie
 * outside the sender's scope. */
static int fb_reassign_target(struct store *st, const char *unit, char path[128],
                              struct error *err)
{
	struct sql_stmt *s;
	int rc;

	rc = sql_prepare(st, "SELECT path FROM units WHERE code = $1"
	                 " AND level IN ('province','district','commune')", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, unit);
	if ((rc = sql_step(s, err)) == 1)
		rc = sql_col_copy(s, 0, path, 128, err) < 0 ? THC_ESTORE : 1;
	sql_done(s);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return error_set_at(err, THC_EUNPROCESSABLE, "unit_code",
		                    "trường 'unit_code': '%.40s' không phải tỉnh, huyện hay xã",
		                    "field 'unit_code': '%.40s' is not a province, district or commune",
		                    unit);
	return 0;
}

/* The request's category and department. */
static int fb_reassign_load(struct store *st, int64_t id, char cat[FEEDBACK_CODE_MAX],
                            char dept[FEEDBACK_DEPARTMENT_MAX], struct error *err)
{
	struct sql_stmt *s;
	int rc;

	if ((rc = sql_prepare(st, "SELECT category, department FROM feedback WHERE id = $1", &s,
	                      err)) < 0)
		return rc;
	sql_bind_int64(s, 1, id);
	if ((rc = sql_step(s, err)) == 1)
		rc = sql_col_copy(s, 0, cat, FEEDBACK_CODE_MAX, err) < 0 ||
		     sql_col_copy(s, 1, dept, FEEDBACK_DEPARTMENT_MAX, err) < 0 ? THC_ESTORE : 1;
	sql_done(s);
	return rc < 0 ? rc : 0;
}

/* The department at the new unit: the one asked for, else the category's
 * there (national, or the province's own, retired or not), else the
 * current one (a province's own category has none in another province). */
static int fb_reassign_department(struct store *st, const struct fb_reassign *R,
                                  const char *cat, const char *path, struct arena *a,
                                  const char **dept, struct error *err)
{
	const struct feedback_category *c = feedback_category(R->rules, cat);
	struct feedback_category local;
	const char *d = NULL;
	int rc;

	if (R->department && R->department[0]) {
		*dept = R->department;
		return 0;
	}
	if (c == NULL && (rc = fbcat_category(st, path, cat, 0, a, &local, err)) < 0)
		return rc;
	else if (c == NULL && rc == 1)
		c = &local;
	if ((d = feedback_department(c, path)) != NULL)
		*dept = arena_strdup(a, d);
	return 0;
}

static int fb_reassign_update(struct store *st, const struct store_actor *actor,
                              const struct fb_reassign *R, const char *status,
                              const char *unit, const char *path, const char *dept,
                              struct error *err)
{
	struct sql_stmt *s;
	int rc;

	rc = sql_prepare(st, "UPDATE feedback SET status = $2, unit_code = $3, unit_path = $4,"
	                 " holder_code = $3, assigned_code = NULL, assigned_path = NULL,"
	                 " updated_at = $5, department = $6 WHERE id = $1", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, R->id);
	sql_bind_text(s, 2, status);
	sql_bind_text(s, 3, unit);
	sql_bind_text(s, 4, path);
	sql_bind_int64(s, 5, actor->now_ms);
	sql_bind_text(s, 6, dept && dept[0] ? dept : NULL);
	return sql_exec_stmt(s, NULL, err);
}

static int fb_reassign_body(struct store *st, void *ctx, struct store_audit *au,
                            struct error *err)
{
	struct fb_reassign *R = ctx;
	char status[16] = "", unit_path[128] = "", unit[UNIT_CODE_MAX] = "", path[128];
	char cat[FEEDBACK_CODE_MAX] = "", old_dept[FEEDBACK_DEPARTMENT_MAX] = "";
	const char *to_unit = R->unit && R->unit[0] ? R->unit : NULL, *dept = old_dept;
	enum feedback_status to;
	int rc;

	if ((rc = fb_act_load(st, au->actor, R->id, FEEDBACK_REASSIGN, status, unit_path, unit, &to,
	                      err)) < 0 ||
	    (rc = fb_reassign_load(st, R->id, cat, old_dept, err)) < 0)
		return rc;
	if (to_unit == NULL)
		to_unit = unit;
	if (strcmp(to_unit, unit) == 0)
		memcpy(path, unit_path, sizeof(path));
	else if ((rc = fb_reassign_target(st, to_unit, path, err)) < 0)
		return rc;
	if (strcmp(to_unit, unit) != 0 || (R->department && R->department[0]))
		if ((rc = fb_reassign_department(st, R, cat, path, &au->arena, &dept, err)) < 0)
			return rc;
	if (strcmp(to_unit, unit) == 0 && strcmp(dept ? dept : "", old_dept) == 0)
		return error_set_at(err, THC_EUNPROCESSABLE, R->department ? "department" : "unit_code",
		                    "cần đơn vị hoặc phòng ban khác nơi đang chịu trách nhiệm",
		                    "another unit or department than the responsible one is needed");
	if ((rc = fb_reassign_update(st, au->actor, R, feedback_status_name(to), to_unit, path,
	                             dept, err)) < 0 ||
	    (rc = fb_event_add(st, au->actor, R->id, "reassign", feedback_status_name(to), to_unit,
	                       R->reason, err)) < 0)
		return rc;
	au->action = "feedback.reassign";
	au->entity = "feedback";
	store_audit_id(au, R->id);
	au->unit_code = arena_strdup(&au->arena, unit);
	au->before = json_pack("{s:s,s:s,s:s?}", "status", status, "unit_code", unit,
	                       "department", old_dept[0] ? old_dept : NULL);
	au->after = json_pack("{s:s,s:s,s:s?,s:s}", "status", feedback_status_name(to), "unit_code",
	                      to_unit, "department", dept && dept[0] ? dept : NULL,
	                      "reason", R->reason);
	return au->unit_code && au->before && au->after ? 0 : store_oom(err);
}

int store_feedback_reassign(struct store *st, const struct store_actor *actor,
                            const struct feedback_rules *rules, int64_t id, const char *unit,
                            const char *department, const char *reason, struct error *err)
{
	struct fb_reassign R = { .rules = rules, .id = id, .unit = unit, .department = department,
	                         .reason = reason };

	if ((unit == NULL || unit[0] == '\0') && (department == NULL || department[0] == '\0'))
		return error_set_at(err, THC_EUNPROCESSABLE, "unit_code",
		                    "trường 'unit_code': cần đơn vị nhận (hoặc phòng ban nhận)",
		                    "field 'unit_code': the unit to reassign to is required (or the"
		                    " department)");
	if (reason == NULL || reason[0] == '\0')
		return error_set_at(err, THC_EUNPROCESSABLE, "reason",
		                    "trường 'reason': cần lý do chuyển",
		                    "field 'reason': the reason for reassigning is required");
	return store_write(st, actor, fb_reassign_body, &R, err);
}
