/*
 * Escalation of citizen feedback (feedback.h): a request whose holder let
 * its deadline pass goes to the unit above, with its history and audit
 * rows in one transaction.
 */
#include <stdio.h>

#include "base/vntime.h"
#include "domain/feedback.h"
#include "store/store-private.h"
#include "store/feedback-private.h"
#include "base/banned.h"

/* ---- escalation ---- */

struct fb_escalate {
	int64_t id;
	const struct feedback_rules *rules;
	int32_t today;
	int done;
};

static int fb_escalate_body(struct store *st, void *ctx, struct store_audit *au,
                            struct error *err)
{
	struct fb_escalate *E = ctx;
	char status[16] = "", holder[UNIT_CODE_MAX] = "", hpath[128], up[UNIT_CODE_MAX];
	char cat[FEEDBACK_CODE_MAX] = "", hdl[11] = "", deadline[11];
	struct sql_stmt *s;
	struct vndate d;
	int rc, days;

	rc = sql_prepare(st, "SELECT status, holder_code, category, holder_deadline FROM feedback"
	                 " WHERE id = $1", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, E->id);
	if ((rc = sql_step(s, err)) == 1) {
		rc = sql_col_copy(s, 0, status, sizeof(status), err) < 0 ||
		     sql_col_copy(s, 1, holder, sizeof(holder), err) < 0 ||
		     sql_col_copy(s, 2, cat, sizeof(cat), err) < 0 ||
		     sql_col_copy(s, 3, hdl, sizeof(hdl), err) < 0 ? THC_ESTORE : 1;
	}
	sql_done(s);
	if (rc < 0)
		return rc;
	/* Answered or escalated by another run since the list was read. */
	if (rc == 0 || vndate_parse(hdl, &d) < 0 ||
	    !feedback_escalation_due((enum feedback_status)feedback_status_from_name(status),
	                             vndate_to_days(d), E->today) ||
	    (rc = fb_unit_path(st, holder, hpath, err)) < 0 ||
	    !feedback_escalation_target(hpath, up, sizeof(up))) {
		au->unchanged = 1;
		return rc < 0 ? rc : 0;
	}
	if ((rc = fbcat_days(st, E->rules, cat, hpath, &days, err)) < 0)
		return rc;
	fb_day_iso(feedback_deadline(E->rules, E->today, days), deadline);
	rc = sql_prepare(st, "UPDATE feedback SET holder_code = $2, holder_deadline = $3,"
	                 " escalations = escalations + 1, updated_at = $4 WHERE id = $1", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, E->id);
	sql_bind_text(s, 2, up);
	sql_bind_text(s, 3, deadline);
	sql_bind_int64(s, 4, au->actor ? au->actor->now_ms : 0);
	if ((rc = sql_exec_stmt(s, NULL, err)) < 0 ||
	    (rc = fb_event_add(st, au->actor, E->id, "escalate", status, up, NULL, err)) < 0)
		return rc;
	E->done = 1;
	au->action = "feedback.escalate";
	au->entity = "feedback";
	store_audit_id(au, E->id);
	au->unit_code = arena_strdup(&au->arena, up);
	au->before = json_pack("{s:s,s:s}", "holder_code", holder, "holder_deadline", hdl);
	au->after = json_pack("{s:s,s:s}", "holder_code", up, "holder_deadline", deadline);
	if (au->unit_code == NULL || au->before == NULL || au->after == NULL)
		return store_oom(err);
	return 0;
}

int store_feedback_escalate(struct store *st, const struct store_actor *actor,
                            const struct feedback_rules *rules, int32_t today, size_t *count,
                            struct error *err)
{
	struct arena a = ARENA_INIT(0);
	struct sql_stmt *s;
	int64_t *ids = NULL;
	size_t n = 0;
	char day[11];
	int rc;

	*count = 0;
	fb_day_iso(today, day);
	rc = sql_prepare(st, "SELECT id FROM feedback WHERE status IN ('new','acknowledged',"
	                 "'in_progress') AND holder_deadline < $1 ORDER BY id", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, day);
	rc = sql_col_ids(s, &a, &ids, &n, err);
	for (size_t i = 0; rc >= 0 && i < n; i++) {
		struct fb_escalate E = { .id = ids[i], .rules = rules, .today = today };

		if ((rc = store_write(st, actor, fb_escalate_body, &E, err)) == 0)
			*count += (size_t)E.done;
	}
	arena_release(&a);
	return rc < 0 ? rc : 0;
}
