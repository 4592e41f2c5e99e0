/* Idempotency keys (idempotency.h). */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "store/idempotency.h"
#include "store/store-private.h"
#include "base/banned.h"

/* Expired rows go now and then, inside a write, by the index on created_at. */
#define IDEM_PURGE_EVERY 64

static atomic_uint idem_inserts;

int store_idem_find(struct store *st, int64_t owner, const char *key, struct arena *a,
                    struct idem_row *out, struct error *err)
{
	struct sql_stmt *s;
	const char *t;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = sql_prepare(st, "SELECT fingerprint, status, content_type, body"
	                      " FROM idempotency_keys WHERE owner = $1 AND idem_key = $2",
	                      &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, owner);
	sql_bind_text(s, 2, key);
	if ((rc = sql_step(s, err)) == 1) {
		if (sql_col_copy(s, 0, out->fingerprint, sizeof(out->fingerprint), err) < 0) {
			sql_done(s);
			return err->code;
		}
		out->answered = !sql_col_is_null(s, 1);
		out->status = (int)sql_col_int64(s, 1);
		if ((t = sql_col_text(s, 2)) != NULL)
			out->content_type = arena_strdup(a, t);
		if ((t = sql_col_text(s, 3)) != NULL) {
			out->body_len = strlen(t);
			out->body = arena_strndup(a, t, out->body_len);
		}
		if ((t && out->body == NULL) || (sql_col_text(s, 2) && out->content_type == NULL))
			rc = store_oom(err);
	}
	sql_done(s);
	return rc;
}

static int idem_purge(struct store *st, int64_t now_ms, struct error *err)
{
	struct sql_stmt *s;
	int rc;

	if ((rc = sql_prepare(st, "DELETE FROM idempotency_keys WHERE created_at < $1", &s,
	                      err)) < 0)
		return rc;
	sql_bind_int64(s, 1, now_ms - IDEM_KEEP_MS);
	return sql_exec_stmt(s, NULL, err);
}

int store_idem_insert(struct store *st, struct store_idem *k, struct error *err)
{
	struct sql_stmt *s;
	int rc;

	if (k->pending || k->committed)
		return 0;
	if (atomic_fetch_add(&idem_inserts, 1) % IDEM_PURGE_EVERY == 0 &&
	    (rc = idem_purge(st, k->now_ms, err)) < 0)
		return rc;
	if ((rc = sql_prepare(st, "INSERT INTO idempotency_keys (owner, idem_key, fingerprint,"
	                      " created_at) VALUES ($1, $2, $3, $4)", &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, k->owner);
	sql_bind_text(s, 2, k->key);
	sql_bind_text(s, 3, k->fingerprint);
	sql_bind_int64(s, 4, k->now_ms);
	if ((rc = sql_exec_stmt(s, NULL, err)) == THC_ECONFLICT)
		return error_set_at(err, THC_ECONFLICT, "Idempotency-Key",
		                 "một yêu cầu cùng Idempotency-Key vừa được thực hiện; gửi lại để nhận"
		                 " câu trả lời của nó",
		                 "a request with the same Idempotency-Key has just been applied; send"
		                 " it again for its answer");
	if (rc == 0)
		k->pending = 1;
	return rc;
}

int store_idem_answer(struct store *st, const struct store_idem *k, int status,
                      const char *content_type, const char *body, size_t len,
                      struct error *err)
{
	struct sql_stmt *s;
	char *copy = NULL;
	int rc;

	/* A body with a NUL in it is not text: kept without it. */
	if (body && len <= IDEM_BODY_MAX && memchr(body, '\0', len) == NULL &&
	    (copy = malloc(len + 1)) != NULL) {
		memcpy(copy, body, len);
		copy[len] = '\0';
	}
	if ((rc = sql_prepare(st, "UPDATE idempotency_keys SET status = $1, content_type = $2,"
	                      " body = $3 WHERE owner = $4 AND idem_key = $5", &s, err)) == 0) {
		sql_bind_int64(s, 1, status);
		sql_bind_text(s, 2, content_type);
		sql_bind_text(s, 3, copy);
		sql_bind_int64(s, 4, k->owner);
		sql_bind_text(s, 5, k->key);
		rc = sql_exec_stmt(s, NULL, err);
	}
	free(copy);
	return rc;
}
