/*
 * Monthly compilation of feedback and the departments' answers (fbcompile.h).
 */
#include <jansson.h>
#include <string.h>

#include "store/fbcompile.h"
#include "store/feedback-private.h"
#include "store/users.h"
#include "base/banned.h"

/* f in the subtree of unit $1, received within [$2, $3). */
#define FBCOMP_WHERE \
	" EXISTS (SELECT 1 FROM units top WHERE top.code = $1 AND" \
	"  substr(f.unit_path, 1, length(top.path)) = top.path)" \
	" AND f.created_at >= $2 AND f.created_at < $3"

int store_fbcomp_rows(struct store *st, const struct store_actor *actor,
                      const struct fbcomp_span *span, struct arena *a, struct fbcomp_row **out,
                      size_t *n, struct error *err)
{
	struct sql_stmt *s;
	size_t k = 0;
	int rc;

	*n = 0;
	if ((rc = store_scope_check(st, actor, span->unit, FB_ROLES, err)) < 0)
		return rc;
	if ((*out = arena_alloc(a, FBCOMP_ROWS_MAX * sizeof(**out))) == NULL)
		return store_oom(err);
	rc = sql_prepare(st, "SELECT f.id, f.category, (SELECT c.name_vi FROM feedback_categories c"
	                 "  WHERE c.code = f.category AND substr(f.unit_path, 1,"
	                 "  length(c.province_code) + 2) = '/' || c.province_code || '/'),"
	                 " f.description, f.status, f.unit_code, f.created_at, COALESCE(w.id, 0),"
	                 " w.department, w.due_on, w.answer, w.answered_by, COALESCE(w.forwarded_at, 0),"
	                 " COALESCE(w.answered_at, 0)"
	                 " FROM feedback f LEFT JOIN feedback_forwards w ON w.feedback_id = f.id"
	                 "  AND w.month = $4 WHERE" FBCOMP_WHERE
	                 " ORDER BY f.category, f.id LIMIT $5", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, span->unit);
	sql_bind_int64(s, 2, span->from_ms);
	sql_bind_int64(s, 3, span->to_ms);
	sql_bind_text(s, 4, span->month);
	sql_bind_int64(s, 5, FBCOMP_ROWS_MAX);
	while ((rc = sql_step(s, err)) == 1) {
		struct fbcomp_row *w = &(*out)[k++];

		*w = (struct fbcomp_row){ .feedback_id = sql_col_int64(s, 0),
		                          .category = arena_strdup(a, sql_col_text(s, 1)),
		                          .category_name = arena_strdup(a, sql_col_text(s, 2)),
		                          .description = arena_strdup(a, sql_col_text(s, 3)),
		                          .status = arena_strdup(a, sql_col_text(s, 4)),
		                          .unit_code = arena_strdup(a, sql_col_text(s, 5)),
		                          .received_ms = sql_col_int64(s, 6),
		                          .forward_id = sql_col_int64(s, 7),
		                          .department = arena_strdup(a, sql_col_text(s, 8)),
		                          .due_on = arena_strdup(a, sql_col_text(s, 9)),
		                          .answer = arena_strdup(a, sql_col_text(s, 10)),
		                          .answered_by = arena_strdup(a, sql_col_text(s, 11)),
		                          .forwarded_ms = sql_col_int64(s, 12),
		                          .answered_ms = sql_col_int64(s, 13) };
	}
	sql_done(s);
	*n = k;
	return rc < 0 ? rc : 0;
}

struct fbcomp_fwd {
	const struct fbcomp_span *span;
	const char *category, *department, *due_on;
	int64_t *count;
};

static int fbcomp_forward_body(struct store *st, void *ctx, struct store_audit *au,
                               struct error *err)
{
	struct fbcomp_fwd *F = ctx;
	struct sql_stmt *s;
	int rc;

	if ((rc = store_scope_check(st, au->actor, F->span->unit, FB_ROLES, err)) < 0)
		return rc;
	if ((rc = sql_prepare(st, "SELECT COUNT(*) FROM feedback f WHERE" FBCOMP_WHERE
	                      " AND f.category = $4 AND NOT EXISTS (SELECT 1 FROM feedback_forwards w"
	                      "  WHERE w.feedback_id = f.id AND w.month = $5)", &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, F->span->unit);
	sql_bind_int64(s, 2, F->span->from_ms);
	sql_bind_int64(s, 3, F->span->to_ms);
	sql_bind_text(s, 4, F->category);
	sql_bind_text(s, 5, F->span->month);
	if ((rc = sql_exec_stmt(s, F->count, err)) < 0)
		return rc;
	if (*F->count == 0)
		return error_set_at(err, THC_ECONFLICT, "category",
		                    "trường 'category': không còn phản ánh loại '%.40s' chưa chuyển trong tháng %s",
		                    "field 'category': no request of '%.40s' left to forward in %s",
		                    F->category, F->span->month);
	rc = sql_prepare(st, "INSERT INTO feedback_forwards (feedback_id, unit_code, month, department,"
	                 " forwarded_by, forwarded_at, due_on) SELECT f.id, $1, $5, $6, $7, $8, $9"
	                 " FROM feedback f WHERE" FBCOMP_WHERE " AND f.category = $4 AND NOT EXISTS"
	                 " (SELECT 1 FROM feedback_forwards w WHERE w.feedback_id = f.id AND"
	                 "  w.month = $5)", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, F->span->unit);
	sql_bind_int64(s, 2, F->span->from_ms);
	sql_bind_int64(s, 3, F->span->to_ms);
	sql_bind_text(s, 4, F->category);
	sql_bind_text(s, 5, F->span->month);
	sql_bind_text(s, 6, F->department);
	sql_bind_text(s, 7, au->actor->username ? au->actor->username : "system");
	sql_bind_int64(s, 8, au->actor->now_ms);
	sql_bind_text(s, 9, F->due_on);
	if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
		return rc;
	au->action = "feedback.forward";
	au->entity = "feedback_compilation";
	store_audit_id_text(au, F->span->month);
	au->unit_code = arena_strdup(&au->arena, F->span->unit);
	au->after = json_pack("{s:s,s:s,s:s,s:s,s:I}", "month", F->span->month, "category",
	                      F->category, "department", F->department, "due_on", F->due_on,
	                      "count", (json_int_t)*F->count);
	return au->unit_code && au->after ? 0 : store_oom(err);
}

int store_fbcomp_forward(struct store *st, const struct store_actor *actor,
                         const struct fbcomp_span *span, const char *category,
                         const char *department, const char *due_on, int64_t *count,
                         struct error *err)
{
	struct fbcomp_fwd F = { .span = span, .category = category, .department = department,
	                        .due_on = due_on, .count = count };

	*count = 0;
	return store_write(st, actor, fbcomp_forward_body, &F, err);
}

struct fbcomp_ans {
	int64_t id;
	const char *answer, *by;
};

static int fbcomp_answer_body(struct store *st, void *ctx, struct store_audit *au,
                              struct error *err)
{
	struct fbcomp_ans *A = ctx;
	char unit[64] = "", rn[256];
	struct sql_stmt *s;
	int64_t answered = 0;
	int rc;

	role_mask_names(FB_ROLES, rn, sizeof(rn));
	rc = sql_prepare(st, "SELECT w.unit_code, COALESCE(w.answered_at, 0) FROM feedback_forwards w"
	                 " JOIN units u ON u.code = w.unit_code WHERE w.id = $1 AND "
	                 SCOPE_SQL("u.path", "$2", "$3"), &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, A->id);
	sql_bind_int64(s, 2, store_actor_uid(au->actor));
	sql_bind_text(s, 3, rn);
	if ((rc = sql_step(s, err)) == 1) {
		answered = sql_col_int64(s, 1);
		rc = sql_col_copy(s, 0, unit, sizeof(unit), err) < 0 ? THC_ESTORE : 1;
	}
	sql_done(s);
	if (rc == 0)
		return error_set(err, THC_ENOTFOUND, "không có lượt chuyển số %lld trong phạm vi của bạn",
		                 "no forward %lld within your scope", (long long)A->id);
	if (rc < 0)
		return rc;
	if (answered)
		return error_set(err, THC_ECONFLICT, "cơ quan đã trả lời lượt chuyển này",
		                 "the department has already answered this forward");
	/* "Not yet answered" inside the UPDATE: two answers sent at once count once. */
	rc = sql_prepare(st, "UPDATE feedback_forwards SET answer = $2, answered_by = $3,"
	                 " answered_at = $4 WHERE id = $1 AND answered_at IS NULL RETURNING id", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, A->id);
	sql_bind_text(s, 2, A->answer);
	sql_bind_text(s, 3, A->by);
	sql_bind_int64(s, 4, au->actor->now_ms);
	answered = 0;
	if ((rc = sql_exec_stmt(s, &answered, err)) < 0)
		return rc;
	if (answered == 0)
		return error_set(err, THC_ECONFLICT, "cơ quan đã trả lời lượt chuyển này",
		                 "the department has already answered this forward");
	au->action = "feedback.forward.answer";
	au->entity = "feedback_forward";
	store_audit_id(au, A->id);
	au->unit_code = arena_strdup(&au->arena, unit);
	au->after = json_pack("{s:s,s:s}", "answer", A->answer, "answered_by", A->by);
	return au->unit_code && au->after ? 0 : store_oom(err);
}

int store_fbcomp_answer(struct store *st, const struct store_actor *actor, int64_t id,
                        const char *answer, const char *answered_by, struct error *err)
{
	struct fbcomp_ans A = { .id = id, .answer = answer, .by = answered_by };

	return store_write(st, actor, fbcomp_answer_body, &A, err);
}
