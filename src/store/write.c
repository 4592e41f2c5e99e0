/*
 * The one write primitive: a transaction around a body that fills in its
 * audit record; the audit row is written inside the same transaction, so
 * no change is ever committed without it, and a failure changes nothing.
 */
#include <assert.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/group.h"
#include "store/store-private.h"
#include "base/log.h"
#include "base/text.h"
#include "domain/unit.h"
#include "base/banned.h"

int store_oom(struct error *err)
{
	return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
}

void store_audit_id(struct store_audit *a, int64_t id)
{
	snprintf(a->entity_id, sizeof(a->entity_id), "%lld", (long long)id);
}

/* Text ids are unit codes, checked against UNIT_CODE_MAX before any write. */
_Static_assert(UNIT_CODE_MAX <= sizeof(((struct store_audit *)0)->entity_id),
               "an audit row's entity id holds a whole unit code");

void store_audit_id_text(struct store_audit *a, const char *id)
{
	if (text_copy(a->entity_id, sizeof(a->entity_id), id) < 0)
		log_warn("audit.entity_id_cut", "id=%.64s", a->entity_id);
}

static int audit_write(struct store *st, const struct store_actor *who,
                       const struct store_audit *a, struct error *err)
{
	return store_audit_add(st, who, a->action, a->entity,
	                       a->entity_id[0] ? a->entity_id : NULL, a->unit_code,
	                       a->before, a->after, err);
}

int store_audit_flush(struct store *st, struct store_audit *a, struct error *err)
{
	int rc = 0;

	if (a->action && (rc = audit_write(st, a->actor, a, err)) == 0)
		a->written++;
	json_decref(a->before);
	json_decref(a->after);
	a->action = a->entity = a->unit_code = NULL;
	a->entity_id[0] = '\0';
	a->before = a->after = NULL;
	return rc;
}

int store_write_body(struct store *st, const struct store_actor *who,
                     store_body_fn *body, void *ctx, struct error *err)
{
	struct store_audit a = { .actor = who, .arena = ARENA_INIT(0) };
	int rc;

	rc = body(st, ctx, &a, err);
	/* No commit without its audit row: a body must name its action, have
	 * written its rows, or say that it changed nothing. */
	assert(rc < 0 || a.action != NULL || a.written || a.unchanged);
	if (rc == 0 && a.action == NULL && !a.written && !a.unchanged)
		rc = error_set(err, THC_EINTERNAL, "thay đổi không có bản ghi nhật ký",
		               "a change without its audit record");
	if (rc == 0 && a.action)
		rc = audit_write(st, who, &a, err);
	/* The key's row commits with the write or not at all. */
	if (rc == 0 && who && who->idem && (a.action || a.written))
		rc = store_idem_insert(st, who->idem, err);
	json_decref(a.before);
	json_decref(a.after);
	arena_release(&a.arena);
	return rc;
}

int store_write(struct store *st, const struct store_actor *who, store_body_fn *body,
                void *ctx, struct error *err)
{
	int rc;

	if (st->group && !st->in_tx) {
		rc = store_group_write(st->group, who, body, ctx, err);
	} else if ((rc = sql_begin(st, 1, err)) == 0) {
		rc = store_write_body(st, who, body, ctx, err);
		if (rc == 0)
			rc = sql_commit(st, err);
		else
			sql_rollback(st);
	}
	/* Whether the key's row is now in the database, for its answer. */
	if (who && who->idem && who->idem->pending) {
		who->idem->pending = 0;
		who->idem->committed = rc == 0;
	}
	return rc;
}
