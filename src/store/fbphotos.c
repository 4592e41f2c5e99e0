/*
 * Feedback photos (fbphotos.h): added under the tracking token, read in
 * the handlers' scope, every add and every read with its audit row.
 */
#include <jansson.h>
#include <string.h>

#include "domain/fbphoto.h"
#include "store/fbphotos.h"
#include "store/feedback-private.h"
#include "base/banned.h"

struct fbp_add {
	const char *token_hash, *media_type, *base64;
	int64_t bytes, *id, *feedback_id;
};

static int fbp_add_body(struct store *st, void *ctx, struct store_audit *au, struct error *err)
{
	struct fbp_add *P = ctx;
	char status[16] = "", unit[64] = "";
	int64_t count = 0;
	struct sql_stmt *s;
	int rc;

	rc = sql_prepare(st, "SELECT f.id, f.status, f.unit_code, (SELECT COUNT(*) FROM feedback_photos p"
	                 " WHERE p.feedback_id = f.id) FROM feedback f WHERE f.token_hash = $1", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, P->token_hash);
	if ((rc = sql_step(s, err)) == 1) {
		*P->feedback_id = sql_col_int64(s, 0);
		count = sql_col_int64(s, 3);
		rc = sql_col_copy(s, 1, status, sizeof(status), err) < 0 ||
		     sql_col_copy(s, 2, unit, sizeof(unit), err) < 0 ? THC_ESTORE : 1;
	}
	sql_done(s);
	if (rc == 0)
		return error_set(err, THC_ENOTFOUND, "không có phản ánh với mã theo dõi này",
		                 "no feedback request with this tracking code");
	if (rc < 0)
		return rc;
	if (strcmp(status, "new") != 0 && strcmp(status, "acknowledged") != 0 &&
	    strcmp(status, "in_progress") != 0)
		return error_set_at(err, THC_ECONFLICT, "photo",
		                    "phản ánh đã được trả lời hoặc đóng: không thêm ảnh được nữa",
		                    "the request has been answered or closed: no more photos");
	if (count >= FBPHOTO_PER_REQUEST)
		return error_set_at(err, THC_ECONFLICT, "photo", "mỗi phản ánh có tối đa %d ảnh",
		                    "a request has at most %d photos", FBPHOTO_PER_REQUEST);
	/* The count is read and the row added under the write lock (SQLite's
	 * BEGIN IMMEDIATE; on PostgreSQL the UPDATE below serialises two adds
	 * to one request), so two photos sent at once cannot make a fourth. */
	if ((rc = sql_prepare(st, "UPDATE feedback SET updated_at = $2 WHERE id = $1", &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, *P->feedback_id);
	sql_bind_int64(s, 2, au->actor->now_ms);
	if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
		return rc;
	rc = sql_prepare(st, "INSERT INTO feedback_photos (feedback_id, media_type, bytes, data,"
	                 " created_at) SELECT $1, $2, $3, $4, $5 WHERE (SELECT COUNT(*) FROM"
	                 " feedback_photos WHERE feedback_id = $1) < $6 RETURNING id", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, *P->feedback_id);
	sql_bind_text(s, 2, P->media_type);
	sql_bind_int64(s, 3, P->bytes);
	sql_bind_text(s, 4, P->base64);
	sql_bind_int64(s, 5, au->actor->now_ms);
	sql_bind_int64(s, 6, FBPHOTO_PER_REQUEST);
	*P->id = 0;
	if ((rc = sql_exec_stmt(s, P->id, err)) < 0)
		return rc;
	if (*P->id == 0)
		return error_set_at(err, THC_ECONFLICT, "photo", "mỗi phản ánh có tối đa %d ảnh",
		                    "a request has at most %d photos", FBPHOTO_PER_REQUEST);
	if ((rc = sql_prepare(st, "INSERT INTO feedback_events (feedback_id, at, action, status,"
	                      " unit_code, note, actor) VALUES ($1, $2, 'photo', $3, NULL, NULL, $4)",
	                      &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, *P->feedback_id);
	sql_bind_int64(s, 2, au->actor->now_ms);
	sql_bind_text(s, 3, status);
	sql_bind_text(s, 4, au->actor->username ? au->actor->username : "reporter");
	if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
		return rc;
	au->action = "feedback.photo.add";
	au->entity = "feedback";
	store_audit_id(au, *P->feedback_id);
	au->unit_code = arena_strdup(&au->arena, unit);
	au->after = json_pack("{s:I,s:s,s:I}", "photo_id", (json_int_t)*P->id, "media_type",
	                      P->media_type, "bytes", (json_int_t)P->bytes);
	return au->unit_code && au->after ? 0 : store_oom(err);
}

int store_fbphoto_add(struct store *st, const struct store_actor *actor, const char *token_hash,
                      const char *media_type, const char *base64, int64_t bytes, int64_t *id,
                      int64_t *feedback_id, struct error *err)
{
	struct fbp_add P = { .token_hash = token_hash, .media_type = media_type, .base64 = base64,
	                     .bytes = bytes, .id = id, .feedback_id = feedback_id };

	return store_write(st, actor, fbp_add_body, &P, err);
}

/* Is request `id` one the actor handles?  0 yes, THC_ENOTFOUND no. */
static int fbp_in_scope(struct store *st, const struct store_actor *actor, int64_t id,
                        char unit[64], struct error *err)
{
	char rn[256];
	struct sql_stmt *s;
	int rc;

	role_mask_names(FB_ROLES, rn, sizeof(rn));
	rc = sql_prepare(st, "SELECT f.unit_code FROM feedback f WHERE f.id = $1 AND "
	                 FB_SCOPE("$2", "$3"), &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, id);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, rn);
	if ((rc = sql_step(s, err)) == 1)
		rc = sql_col_copy(s, 0, unit, 64, err) < 0 ? THC_ESTORE : 1;
	sql_done(s);
	if (rc == 0)
		return error_set(err, THC_ENOTFOUND, "không có phản ánh số %lld trong phạm vi của bạn",
		                 "no feedback request %lld within your scope", (long long)id);
	return rc < 0 ? rc : 0;
}

int store_fbphoto_list(struct store *st, const struct store_actor *actor, int64_t id,
                       struct arena *a, struct fbphoto_item **out, size_t *n, struct error *err)
{
	char unit[64];
	struct sql_stmt *s;
	size_t k = 0;
	int rc;

	*n = 0;
	if ((rc = fbp_in_scope(st, actor, id, unit, err)) < 0)
		return rc;
	if ((*out = arena_alloc(a, FBPHOTO_PER_REQUEST * sizeof(**out))) == NULL)
		return store_oom(err);
	rc = sql_prepare(st, "SELECT id, media_type, bytes, created_at FROM feedback_photos"
	                 " WHERE feedback_id = $1 ORDER BY id LIMIT $2", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, id);
	sql_bind_int64(s, 2, FBPHOTO_PER_REQUEST);
	while ((rc = sql_step(s, err)) == 1) {
		struct fbphoto_item *p = &(*out)[k++];

		*p = (struct fbphoto_item){ .id = sql_col_int64(s, 0),
		                            .media_type = arena_strdup(a, sql_col_text(s, 1)),
		                            .bytes = sql_col_int64(s, 2),
		                            .created_at_ms = sql_col_int64(s, 3) };
	}
	sql_done(s);
	*n = k;
	return rc < 0 ? rc : 0;
}

struct fbp_get {
	int64_t id, photo_id;
	struct arena *a;
	struct fbphoto_item *out;
};

static int fbp_get_body(struct store *st, void *ctx, struct store_audit *au, struct error *err)
{
	struct fbp_get *G = ctx;
	char unit[64];
	struct sql_stmt *s;
	int rc;

	if ((rc = fbp_in_scope(st, au->actor, G->id, unit, err)) < 0)
		return rc;
	rc = sql_prepare(st, "SELECT id, media_type, bytes, created_at, data FROM feedback_photos"
	                 " WHERE feedback_id = $1 AND id = $2", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_int64(s, 1, G->id);
	sql_bind_int64(s, 2, G->photo_id);
	if ((rc = sql_step(s, err)) == 1)
		*G->out = (struct fbphoto_item){ .id = sql_col_int64(s, 0),
		                                 .media_type = arena_strdup(G->a, sql_col_text(s, 1)),
		                                 .bytes = sql_col_int64(s, 2),
		                                 .created_at_ms = sql_col_int64(s, 3),
		                                 .base64 = arena_strdup(G->a, sql_col_text(s, 4)) };
	sql_done(s);
	if (rc == 0)
		return error_set(err, THC_ENOTFOUND, "không có ảnh số %lld của phản ánh này",
		                 "no photo %lld of this request", (long long)G->photo_id);
	if (rc < 0)
		return rc;
	if (G->out->base64 == NULL || G->out->media_type == NULL)
		return store_oom(err);
	au->action = "feedback.photo.read";
	au->entity = "feedback";
	store_audit_id(au, G->id);
	au->unit_code = arena_strdup(&au->arena, unit);
	au->after = json_pack("{s:I}", "photo_id", (json_int_t)G->photo_id);
	return au->unit_code && au->after ? 0 : store_oom(err);
}

int store_fbphoto_get(struct store *st, const struct store_actor *actor, int64_t id,
                      int64_t photo_id, struct arena *a, struct fbphoto_item *out,
                      struct error *err)
{
	struct fbp_get G = { .id = id, .photo_id = photo_id, .a = a, .out = out };

	return store_write(st, actor, fbp_get_body, &G, err);
}
