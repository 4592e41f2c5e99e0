/*
 * Reminders before a feedback request's deadline (feedback.h,
 * store_feedback_remind): a notice in the holder's inbox, the one the
 * directives' reminders use (GET /api/v1/units/{code}/inbox), kind
 * "feedback_due".
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "base/vntime.h"
#include "domain/feedback.h"
#include "domain/unit.h"
#include "store/feedback.h"
#include "store/feedback-private.h"
#include "base/banned.h"

struct fbr_one {
	int64_t id;
	const struct feedback_rules *rules;
	int32_t today;
	int done;
};

static int fbr_body(struct store *st, void *ctx, struct store_audit *au, struct error *err)
{
	struct fbr_one *R = ctx;
	char status[16] = "", holder[UNIT_CODE_MAX] = "", hdl[11] = "", sent[11] = "", vn[11];
	char msg[300];
	struct sql_stmt *s;
	struct vndate d;
	int rc;

	rc = sql_prepare(st, "SELECT status, holder_code, holder_deadline, COALESCE(reminded_for, '')"
	                 " FROM feedback WHERE id = $1", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, R->id);
	if ((rc = sql_step(s, err)) == 1)
		rc = sql_col_copy(s, 0, status, sizeof(status), err) < 0 ||
		     sql_col_copy(s, 1, holder, sizeof(holder), err) < 0 ||
		     sql_col_copy(s, 2, hdl, sizeof(hdl), err) < 0 ||
		     sql_col_copy(s, 3, sent, sizeof(sent), err) < 0 ? THC_ESTORE : 1;
	sql_done(s);
	/* Answered, escalated or reminded by another run since the list was read. */
	if (rc <= 0 || vndate_parse(hdl, &d) < 0 || strcmp(sent, hdl) == 0 ||
	    !feedback_reminder_due(R->rules, (enum feedback_status)feedback_status_from_name(status),
	                           vndate_to_days(d), R->today)) {
		au->unchanged = 1;
		return rc < 0 ? rc : 0;
	}
	vndate_format_vn(d, vn, sizeof(vn));
	snprintf(msg, sizeof(msg), "Phản ánh số %lld đến hạn trả lời ngày %s / feedback request %lld"
	         " is due on %s", (long long)R->id, vn, (long long)R->id, vn);
	rc = sql_prepare(st, "INSERT INTO notices (unit_code, kind, from_code, message, created_by,"
	                 " created_at) VALUES ($1, 'feedback_due', $1, $2, $3, $4)", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, holder);
	sql_bind_text(s, 2, msg);
	sql_bind_text(s, 3, au->actor->username ? au->actor->username : "system");
	sql_bind_int64(s, 4, au->actor->now_ms);
	if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
		return rc;
	if ((rc = sql_prepare(st, "UPDATE feedback SET reminded_for = $2 WHERE id = $1", &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, R->id);
	sql_bind_text(s, 2, hdl);
	if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
		return rc;
	R->done = 1;
	au->action = "feedback.remind";
	au->entity = "feedback";
	store_audit_id(au, R->id);
	au->unit_code = arena_strdup(&au->arena, holder);
	au->after = json_pack("{s:s,s:s}", "holder_code", holder, "holder_deadline", hdl);
	return au->unit_code && au->after ? 0 : store_oom(err);
}

int store_feedback_remind(struct store *st, const struct store_actor *actor,
                          const struct feedback_rules *rules, int32_t today, size_t *count,
                          struct error *err)
{
	struct arena a = ARENA_INIT(0);
	struct sql_stmt *s;
	int64_t *ids = NULL;
	size_t n = 0;
	char from[11], to[11];
	int rc;

	*count = 0;
	vndate_format_iso(vndate_from_days(today), from, sizeof(from));
	vndate_format_iso(vndate_from_days(feedback_deadline(rules, today, 1)), to, sizeof(to));
	/* The candidates; each is checked again inside its own transaction. */
	rc = sql_prepare(st, "SELECT id FROM feedback WHERE status IN ('new','acknowledged',"
	                 "'in_progress') AND holder_deadline >= $1 AND holder_deadline <= $2"
	                 " AND (reminded_for IS NULL OR reminded_for <> holder_deadline) ORDER BY id",
	                 &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, from);
	sql_bind_text(s, 2, to);
	rc = sql_col_ids(s, &a, &ids, &n, err);
	for (size_t i = 0; rc >= 0 && i < n; i++) {
		struct fbr_one R = { .id = ids[i], .rules = rules, .today = today };

		if ((rc = store_write(st, actor, fbr_body, &R, err)) == 0)
			*count += (size_t)R.done;
	}
	arena_release(&a);
	return rc < 0 ? rc : 0;
}
