/*
 * Administrative units: import, reads with scope, creation below the commune.
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/parse.h"
#include "base/strbuf.h"
#include "base/text.h"
#include "domain/role.h"
#include "domain/unit.h"
#include "store/search.h"
#include "store/store-private.h"
#include "base/banned.h"

#define UNIT_COLS "u.code, u.name, u.level, u.parent_code, u.type, u.population," \
                  " u.address, u.members, u.created_at"

static void unit_from_row(struct sql_stmt *s, struct arena *a, struct unit *u)
{
	u->code = arena_strdup(a, sql_col_text(s, 0));
	u->name = arena_strdup(a, sql_col_text(s, 1));
	u->level = arena_strdup(a, sql_col_text(s, 2));
	u->parent_code = arena_strdup(a, sql_col_text(s, 3));
	u->type = arena_strdup(a, sql_col_text(s, 4));
	u->population = sql_col_is_null(s, 5) ? -1 : sql_col_int64(s, 5);
	u->address = arena_strdup(a, sql_col_text(s, 6));
	u->members = sql_col_is_null(s, 7) ? -1 : sql_col_int64(s, 7);
	u->created_at_ms = sql_col_int64(s, 8);
}

/* The unit as its audit rows show it; NULL when out of memory. */
static json_t *unit_audit_json(const struct unit *u)
{
	json_t *o = json_pack("{s:s, s:s, s:s?, s:s?}", "name", u->name, "level", u->level,
	                      "parent_code", u->parent_code, "type", u->type);

	if (o && u->address && json_object_set_new(o, "address", json_string(u->address)) < 0)
		goto oom;
	if (o && u->members >= 0 && json_object_set_new(o, "members", json_integer(u->members)) < 0)
		goto oom;
	return o;
oom:
	json_decref(o);
	return NULL;
}

/* ---- import ---- */

struct existing {
	int found;
	char name[UNIT_NAME_MAX + 1], level[16], parent[UNIT_CODE_MAX], type[64];
	char path[128];
};

static int unit_lookup(struct store *st, const char *code, struct existing *e,
                       struct error *err)
{
	struct sql_stmt *s;
	int rc;

	memset(e, 0, sizeof(*e));
	if ((rc = sql_prepare(st, "SELECT name, level, parent_code, type, path FROM units"
	                      " WHERE code = $1", &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, code);
	rc = sql_step(s, err);
	if (rc == 1) {
		e->found = 1;
		rc = sql_col_copy(s, 0, e->name, sizeof(e->name), err) < 0 ? THC_ESTORE : rc;
		rc = sql_col_copy(s, 1, e->level, sizeof(e->level), err) < 0 ? THC_ESTORE : rc;
		rc = sql_col_copy(s, 2, e->parent, sizeof(e->parent), err) < 0 ? THC_ESTORE : rc;
		rc = sql_col_copy(s, 3, e->type, sizeof(e->type), err) < 0 ? THC_ESTORE : rc;
		rc = sql_col_copy(s, 4, e->path, sizeof(e->path), err) < 0 ? THC_ESTORE : rc;
	}
	sql_done(s);
	return rc < 0 ? rc : 0;
}

/*
 * The units an import can meet, in memory: one query reads those whose
 * codes have the shape of a province, district or commune (no '-'), and
 * every row written is kept in step, so checking a row costs no query.  (A
 * parent looked up one query at a time scanned the table on PostgreSQL,
 * whose plan was made while the table was empty.)
 */
struct ucache_ent {
	char code[UNIT_CODE_MAX];
	struct existing e;
};

struct ucache {
	struct ucache_ent *v;
	size_t n, cap;
	uint32_t *slot;               /* open addressing: index + 1, 0 empty */
	size_t mask;                  /* slots - 1, a power of two less one */
};

static size_t ucache_hash(const char *code)
{
	size_t h = 2166136261u;

	for (; *code; code++)
		h = (h ^ (unsigned char)*code) * 16777619u;
	return h;
}

/* The slot of code: its entry's, or the empty one where it would go. */
static uint32_t *ucache_slot(const struct ucache *c, const char *code)
{
	size_t i = ucache_hash(code) & c->mask;

	while (c->slot[i] && strcmp(c->v[c->slot[i] - 1].code, code) != 0)
		i = (i + 1) & c->mask;
	return &c->slot[i];
}

/* The unit with this code, or one with found = 0. */
static void ucache_get(const struct ucache *c, const char *code, struct existing *e)
{
	uint32_t *at;

	memset(e, 0, sizeof(*e));
	if (code == NULL || strlen(code) >= UNIT_CODE_MAX)
		return;
	at = ucache_slot(c, code);
	if (*at)
		*e = c->v[*at - 1].e;
}

/* Adds or replaces; there is room for every unit read and every row. */
static void ucache_put(struct ucache *c, const char *code, const struct existing *e)
{
	uint32_t *at = ucache_slot(c, code);

	if (*at == 0) {
		if (c->n == c->cap)
			return;
		snprintf(c->v[c->n].code, sizeof(c->v[c->n].code), "%s", code);
		*at = (uint32_t)++c->n;
	}
	c->v[*at - 1].e = *e;
}

static void ucache_release(struct ucache *c)
{
	free(c->v);
	free(c->slot);
	memset(c, 0, sizeof(*c));
}

/* Reads the units, with room for `more` new ones. */
static int ucache_load(struct store *st, struct ucache *c, size_t more, struct error *err)
{
	struct sql_stmt *s;
	int64_t n = 0;
	size_t slots = 1024;
	int rc;

	memset(c, 0, sizeof(*c));
	if ((rc = sql_prepare(st, "SELECT COUNT(*) FROM units", &s, err)) < 0)
		return rc;
	if ((rc = sql_step(s, err)) == 1)
		n = sql_col_int64(s, 0);
	sql_done(s);
	if (rc < 0)
		return rc;
	c->cap = (size_t)n + more + 1;
	while (slots < 2 * c->cap)
		slots *= 2;
	c->mask = slots - 1;
	if (c->cap > UINT32_MAX / 2 || (c->v = calloc(c->cap, sizeof(*c->v))) == NULL ||
	    (c->slot = calloc(slots, sizeof(*c->slot))) == NULL) {
		ucache_release(c);
		return store_oom(err);
	}
	if ((rc = sql_prepare(st, "SELECT code, name, level, parent_code, type, path FROM units"
	                      " WHERE code NOT LIKE '%-%'", &s, err)) < 0)
		goto out;
	while ((rc = sql_step(s, err)) == 1) {
		struct existing e = { .found = 1 };
		const char *code = sql_col_text(s, 0);

		if (strlen(code) >= UNIT_CODE_MAX ||
		    sql_col_copy(s, 1, e.name, sizeof(e.name), err) < 0 ||
		    sql_col_copy(s, 2, e.level, sizeof(e.level), err) < 0 ||
		    sql_col_copy(s, 3, e.parent, sizeof(e.parent), err) < 0 ||
		    sql_col_copy(s, 4, e.type, sizeof(e.type), err) < 0 ||
		    sql_col_copy(s, 5, e.path, sizeof(e.path), err) < 0) {
			rc = error_set(err, THC_ESTORE, "đơn vị '%.40s' không đọc được",
			               "unit '%.40s' cannot be read", code);
			break;
		}
		ucache_put(c, code, &e);
	}
	sql_done(s);
out:
	if (rc < 0)
		ucache_release(c);
	return rc < 0 ? rc : 0;
}

/* A unit moved from old_path to path: so did its subtree. */
static void ucache_move(struct ucache *c, const char *code, const char *old_path,
                        const char *path)
{
	size_t olen = strlen(old_path);

	for (size_t i = 0; i < c->n; i++) {
		struct existing *e = &c->v[i].e;

		if (strncmp(e->path, old_path, olen) == 0 && strcmp(c->v[i].code, code) != 0) {
			char moved[sizeof(e->path)];

			snprintf(moved, sizeof(moved), "%s%s", path, e->path + olen);
			memcpy(e->path, moved, sizeof(moved));
		}
	}
}

static int import_check_row(const struct ucache *c, const struct unit_row *r,
                            struct existing *parent, struct error *err)
{
	int lvl = unit_level_from_name(r->level);
	int rc;

	if (lvl != UNIT_PROVINCE && lvl != UNIT_DISTRICT && lvl != UNIT_COMMUNE)
		return error_set_at(err, THC_EUNPROCESSABLE, "level",
		                 "cột 'level': '%.20s' phải là province, district hoặc commune",
		                 "column 'level': '%.20s' must be province, district or commune",
		                 r->level ? r->level : "");
	if ((rc = unit_code_check(r->code, (enum unit_level)lvl, err)) < 0) {
		err->code = THC_EUNPROCESSABLE;
		error_prefix(err, "cột 'code': ", "column 'code': ");
		return THC_EUNPROCESSABLE;
	}
	if ((rc = unit_name_check(r->name, err)) < 0)
		return rc;
	if (lvl == UNIT_PROVINCE) {
		if (r->parent_code && r->parent_code[0])
			return error_set_at(err, THC_EUNPROCESSABLE, "parent_code",
			                 "cột 'parent_code': tỉnh '%s' không có đơn vị cha",
			                 "column 'parent_code': province '%s' has no parent",
			                 r->code);
		memset(parent, 0, sizeof(*parent));
		parent->found = 1;
		snprintf(parent->path, sizeof(parent->path), "/");
		return 0;
	}
	if (r->parent_code == NULL || r->parent_code[0] == '\0')
		return error_set_at(err, THC_EUNPROCESSABLE, "parent_code", "cột 'parent_code': thiếu mã đơn vị cha",
		                 "column 'parent_code': the parent code is missing");
	ucache_get(c, r->parent_code, parent);
	if (!parent->found || unit_level_from_name(parent->level) != lvl - 1)
		return error_set_at(err, THC_EUNPROCESSABLE, "parent_code",
		                 "cột 'parent_code': không có %s%.0s mã '%.20s' (nhập đơn vị cha trước đơn vị con)",
		                 "column 'parent_code': no %.0s%s with code '%.20s' (parents must come before children)",
		                 unit_level_title((enum unit_level)(lvl - 1), 0),
		                 unit_level_name((enum unit_level)(lvl - 1)), r->parent_code);
	return 0;
}

/* The unit as a row written leaves it. */
static void ucache_put_row(struct ucache *c, const struct unit_row *r, const char *pcode,
                           const char *type, const char *path)
{
	struct existing now = { .found = 1 };

	snprintf(now.name, sizeof(now.name), "%s", r->name);
	snprintf(now.level, sizeof(now.level), "%s", r->level);
	snprintf(now.parent, sizeof(now.parent), "%s", pcode ? pcode : "");
	snprintf(now.type, sizeof(now.type), "%s", type ? type : "");
	snprintf(now.path, sizeof(now.path), "%s", path);
	ucache_put(c, r->code, &now);
}

/*
 * New units by COPY where the backend takes it (PostgreSQL): the rows are
 * checked against the cache first, so the server only stores them; they go
 * when UNITS_COPY_FLUSH bytes are pending, before any update and at the
 * end.  A COPY the server refuses makes the import run again one INSERT at
 * a time, so that the error names the line.
 */
#define UNITS_COPY_SQL "COPY units (code, parent_code, level, name, name_folded, type, path," \
	" created_at, updated_at) FROM STDIN"
#define UNITS_COPY_FLUSH (4u << 20)
#define UNITS_COPY_CAP (64u << 20)

struct units_copy {
	struct strbuf buf;
	int on, failed;
};

static int units_copy_flush(struct store *st, struct units_copy *k, struct error *err)
{
	int rc;

	if (!k->on || k->buf.len == 0)
		return 0;
	if ((rc = sql_copy_in(st, UNITS_COPY_SQL, k->buf.buf, k->buf.len, err)) < 0)
		k->failed = 1;
	strbuf_release(&k->buf);
	return rc;
}

static int units_copy_row(struct store *st, struct units_copy *k, const struct unit_row *r,
                          const char *pcode, const char *type, const char *folded,
                          const char *path, int64_t now, struct error *err)
{
	char stamp[48];
	int rc;

	snprintf(stamp, sizeof(stamp), "%" PRId64 "\t%" PRId64 "\n", now, now);
	if ((rc = sql_copy_field(&k->buf, r->code, 0)) < 0 ||
	    (rc = sql_copy_field(&k->buf, pcode, 0)) < 0 ||
	    (rc = sql_copy_field(&k->buf, r->level, 0)) < 0 ||
	    (rc = sql_copy_field(&k->buf, r->name, 0)) < 0 ||
	    (rc = sql_copy_field(&k->buf, folded, 0)) < 0 ||
	    (rc = sql_copy_field(&k->buf, type, 0)) < 0 ||
	    (rc = sql_copy_field(&k->buf, path, 0)) < 0 ||
	    (rc = strbuf_adds(&k->buf, stamp)) < 0)
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	return k->buf.len >= UNITS_COPY_FLUSH ? units_copy_flush(st, k, err) : 0;
}

/* Writes one row; an updated unit leaves its own "unit.update" row. */
static int import_write_row(struct store *st, struct store_audit *au, struct ucache *c,
                            struct units_copy *k, const struct unit_row *r,
                            const struct existing *old, const struct existing *parent,
                            size_t *ins, size_t *upd, struct error *err)
{
	const struct store_actor *actor = au->actor;
	char path[128], folded[3 * UNIT_NAME_MAX + 1];
	const char *type = r->type && r->type[0] ? r->type : NULL;
	const char *pcode = r->parent_code && r->parent_code[0] ? r->parent_code : NULL;
	struct sql_stmt *s;
	int rc;

	if (old->found && strcmp(old->name, r->name) == 0 &&
	    strcmp(old->level, r->level) == 0 &&
	    strcmp(old->parent, pcode ? pcode : "") == 0 &&
	    strcmp(old->type, type ? type : "") == 0)
		return 0;   /* unchanged: importing the same file twice changes nothing */
	if (old->found && strcmp(old->level, r->level) != 0)
		return error_set_at(err, THC_EUNPROCESSABLE, "level",
		                 "cột 'level': đơn vị '%s' đã có với cấp %s",
		                 "column 'level': unit '%s' already exists as a %s",
		                 r->code, old->level);
	if (unit_child_path(parent->path, r->code, path, sizeof(path)) < 0)
		return error_set(err, THC_EUNPROCESSABLE, "đường dẫn đơn vị quá dài",
		                 "unit path too long");
	text_fold(r->name, folded, sizeof(folded));
	if (!old->found && k->on) {
		if ((rc = units_copy_row(st, k, r, pcode, type, folded, path, actor->now_ms, err)) < 0)
			return rc;
		ucache_put_row(c, r, pcode, type, path);
		(*ins)++;
		return 0;
	}
	if (!old->found) {
		rc = sql_prepare(st, "INSERT INTO units (code, parent_code, level, name, name_folded,"
		                 " type, path, created_at, updated_at)"
		                 " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)", &s, err);
	} else {
		rc = sql_prepare(st, "UPDATE units SET parent_code = $2, level = $3, name = $4,"
		                 " name_folded = $5, type = $6, path = $7, updated_at = $8"
		                 " WHERE code = $1", &s, err);
	}
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, r->code);
	sql_bind_text(s, 2, pcode);
	sql_bind_text(s, 3, r->level);
	sql_bind_text(s, 4, r->name);
	sql_bind_text(s, 5, folded);
	sql_bind_text(s, 6, type);
	sql_bind_text(s, 7, path);
	sql_bind_int64(s, 8, actor->now_ms);
	if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
		return rc;
	ucache_put_row(c, r, pcode, type, path);
	if (!old->found) {
		(*ins)++;
		return 0;
	}
	/* A unit moved to another parent takes its subtree along. */
	if (strcmp(old->path, path) != 0) {
		ucache_move(c, r->code, old->path, path);
		if ((rc = sql_prepare(st, "UPDATE units SET path = $1 || substr(path, length($2) + 1)"
		                      " WHERE substr(path, 1, length($2)) = $2 AND code <> $3",
		                      &s, err)) < 0)
			return rc;
		sql_bind_text(s, 1, path);
		sql_bind_text(s, 2, old->path);
		sql_bind_text(s, 3, r->code);
		if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
			return rc;
	}
	{
		struct unit before = { .name = old->name, .level = old->level,
		                       .parent_code = old->parent[0] ? old->parent : NULL,
		                       .type = old->type[0] ? old->type : NULL, .members = -1 };
		struct unit after = { .name = r->name, .level = r->level, .parent_code = pcode,
		                      .type = type, .members = -1 };

		au->action = "unit.update";
		au->entity = "unit";
		store_audit_id_text(au, r->code);
		au->unit_code = r->code;
		au->before = unit_audit_json(&before);
		au->after = unit_audit_json(&after);
		if (au->before == NULL || au->after == NULL)
			return store_oom(err);
		if ((rc = store_audit_flush(st, au, err)) < 0)
			return rc;
	}
	(*upd)++;
	return 0;
}

struct units_import {
	const struct unit_row *rows;
	size_t n, ins, upd;
	struct units_copy copy;
};

/* Each updated unit has its row; new units one "units.import" row after
 * them.  Importing the same file again writes none. */
static int units_import_body(struct store *st, void *ctx, struct store_audit *au,
                             struct error *err)
{
	struct units_import *U = ctx;
	struct ucache c;
	int rc;

	if ((rc = ucache_load(st, &c, U->n, err)) < 0)
		return rc;
	for (size_t i = 0; i < U->n; i++) {
		struct existing parent, old;

		rc = import_check_row(&c, &U->rows[i], &parent, err);
		if (rc == 0) {
			ucache_get(&c, U->rows[i].code, &old);
			/* An update may name a parent still waiting in the COPY. */
			if (old.found && (rc = units_copy_flush(st, &U->copy, err)) < 0)
				break;
			rc = import_write_row(st, au, &c, &U->copy, &U->rows[i], &old, &parent, &U->ins,
			                      &U->upd, err);
		}
		if (rc < 0) {
			if (!U->copy.failed)
				error_prefix(err, "dòng %ld: ", "line %ld: ", U->rows[i].line);
			break;
		}
	}
	ucache_release(&c);
	if (rc == 0)
		rc = units_copy_flush(st, &U->copy, err);
	strbuf_release(&U->copy.buf);
	if (rc < 0)
		return rc;
	if (U->ins == 0) {
		au->unchanged = au->written == 0;
		return 0;
	}
	au->action = "units.import";
	au->entity = "unit";
	au->unit_code = UNIT_COUNTRY_CODE;
	if ((au->after = json_pack("{s:I,s:I}", "inserted", (json_int_t)U->ins,
	                           "updated", (json_int_t)U->upd)) == NULL)
		return store_oom(err);
	return 0;
}

int store_units_import(struct store *st, const struct store_actor *actor,
                       const struct unit_row *rows, size_t n,
                       size_t *inserted, size_t *updated, struct error *err)
{
	struct units_import U = { .rows = rows, .n = n };
	int rc;

	U.copy.buf = (struct strbuf)STRBUF_INIT(UNITS_COPY_CAP);
	U.copy.on = sql_can_copy(st);
	rc = store_write(st, actor, units_import_body, &U, err);
	if (rc < 0 && U.copy.failed) {
		/* Which row?  Again, each its own INSERT. */
		U = (struct units_import){ .rows = rows, .n = n };
		U.copy.buf = (struct strbuf)STRBUF_INIT(UNITS_COPY_CAP);
		rc = store_write(st, actor, units_import_body, &U, err);
	}
	if (rc < 0)
		return rc;
	/* Fresh statistics, or the planners walk every commune to find a
	 * district's (SQLite never gathers them by itself).  The import has
	 * committed: a failure here only costs speed, so it is not reported. */
	if (U.ins + U.upd > 0) {
		struct error ignore = ERROR_INIT;
		(void)sql_exec(st, "ANALYZE units", &ignore);
	}
	if (inserted)
		*inserted = U.ins;
	if (updated)
		*updated = U.upd;
	return 0;
}

struct units_population {
	const struct unit_population_row *rows;
	size_t n;
};

static int units_population_body(struct store *st, void *ctx, struct store_audit *au,
                                 struct error *err)
{
	const struct units_population *P = ctx;
	const struct unit_population_row *rows = P->rows;
	struct sql_stmt *s;
	int rc;

	for (size_t i = 0; i < P->n; i++) {
		int64_t changed = 0;

		if ((rc = sql_prepare(st, "UPDATE units SET population = $2, updated_at = $3"
		                      " WHERE code = $1 AND level IN ('province','district','commune')"
		                      " RETURNING 1", &s, err)) < 0)
			return rc;
		sql_bind_text(s, 1, rows[i].code);
		sql_bind_int64(s, 2, rows[i].population);
		sql_bind_int64(s, 3, au->actor->now_ms);
		if ((rc = sql_exec_stmt(s, &changed, err)) < 0)
			return rc;
		if (!changed)
			return error_set_at(err, THC_EUNPROCESSABLE, "code",
			                 "dòng %ld: cột 'code': không có đơn vị mã '%.20s'",
			                 "line %ld: column 'code': no unit with code '%.20s'",
			                 rows[i].line, rows[i].code);
	}
	au->action = "units.population";
	au->entity = "unit";
	au->unit_code = UNIT_COUNTRY_CODE;
	return 0;
}

int store_units_set_population(struct store *st, const struct store_actor *actor,
                               const struct unit_population_row *rows, size_t n,
                               struct error *err)
{
	struct units_population P = { rows, n };

	return store_write(st, actor, units_population_body, &P, err);
}

/* ---- reads ---- */

int store_unit_get(struct store *st, const struct store_actor *actor,
                   const char *code, struct arena *a, struct unit *out,
                   struct error *err)
{
	struct sql_stmt *s;
	int rc;

	char hroles[256];

	role_mask_names(ROLE_MASK_HOUSEHOLD_READ, hroles, sizeof(hroles));
	rc = sql_prepare(st, "SELECT " UNIT_COLS " FROM units u"
	                 " WHERE u.code = $1 AND u.level <> 'country' AND "
	                 VISIBLE_SQL("u", "$2", "$3"), &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, code);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, hroles);
	rc = sql_step(s, err);
	if (rc == 1)
		unit_from_row(s, a, out);
	sql_done(s);
	if (rc == 0)
		return error_set(err, THC_ENOTFOUND, "không có đơn vị mã '%.40s'",
		                 "no unit with code '%.40s'", code);
	return rc < 0 ? rc : 0;
}

int store_unit_path(struct store *st, const struct store_actor *actor,
                    const char *code, struct arena *a, struct unit **out,
                    size_t *n, struct error *err)
{
	struct unit self;
	struct sql_stmt *s;
	const char *seg[UNIT_LEVEL_COUNT] = { NULL };
	char *path = NULL, *p;
	size_t k = 0, nseg = 0;
	int rc;

	if ((rc = store_unit_get(st, actor, code, a, &self, err)) < 0)
		return rc;
	*out = arena_alloc(a, UNIT_LEVEL_COUNT * sizeof(**out));
	if (*out == NULL)
		return store_oom(err);
	if ((rc = sql_prepare(st, "SELECT path FROM units WHERE code = $1", &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, code);
	if ((rc = sql_step(s, err)) == 1)
		path = arena_strdup(a, sql_col_text(s, 0));
	sql_done(s);
	if (rc < 0)
		return rc;
	/* The materialized path names the ancestors: "/01/001/00001/". */
	for (p = path; p && *p && nseg < 5;) {
		char *end;

		while (*p == '/')
			p++;
		if (*p == '\0' || (end = strchr(p, '/')) == NULL)
			break;
		seg[nseg++] = arena_strndup(a, p, (size_t)(end - p));
		p = end;
	}
	rc = sql_prepare(st, "SELECT " UNIT_COLS " FROM units u"
	                 " WHERE u.code IN ($1, $2, $3, $4, $5) AND u.level <> 'country'"
	                 " ORDER BY length(u.path)", &s, err);
	if (rc < 0)
		return rc;
	for (int i = 0; i < 5; i++)
		sql_bind_text(s, i + 1, seg[i]);
	while ((rc = sql_step(s, err)) == 1 && k < UNIT_LEVEL_COUNT)
		unit_from_row(s, a, &(*out)[k++]);
	sql_done(s);
	*n = k;
	return rc < 0 ? rc : 0;
}

int store_unit_counts(struct store *st, const struct store_actor *actor,
                      const char *code, struct unit_counts *out,
                      struct error *err)
{
	struct sql_stmt *s;
	struct error ignore = ERROR_INIT;
	int rc;

	memset(out, 0, sizeof(*out));
	out->hamlet_visible = store_scope_check(st, actor, code, ROLE_MASK_ALL, &ignore) == 0;
	out->household_visible = store_scope_check(st, actor, code, ROLE_MASK_HOUSEHOLD_READ,
	                                           &ignore) == 0;
	rc = sql_prepare(st, "SELECT level, COUNT(*) FROM units WHERE parent_code = $1"
	                 " GROUP BY level", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, code);
	while ((rc = sql_step(s, err)) == 1) {
		const char *lvl = sql_col_text(s, 0);
		int64_t c = sql_col_int64(s, 1);

		switch (unit_level_from_name(lvl)) {
		case UNIT_DISTRICT:  out->district = c; break;
		case UNIT_COMMUNE:   out->commune = c; break;
		case UNIT_HAMLET:    out->hamlet = out->hamlet_visible ? c : 0; break;
		case UNIT_HOUSEHOLD: out->household = out->household_visible ? c : 0; break;
		default: break;
		}
	}
	sql_done(s);
	return rc < 0 ? rc : 0;
}

/*
 * One statement per combination of filters, so that each can use its index
 * ("$1 IS NULL OR parent_code = $1" would make SQLite scan the table).
 * Bit 0: parent, bit 1: level; bits 2-3 a name search (search_way_of):
 * 1 by trigrams, 2 too short for them (the provinces, districts and
 * communes alone, a list of fixed size, read in full).  Per backend: SQLite finds trigrams with MATCH (FTS5), PostgreSQL
 * with LIKE itself (pg_trgm); both keep LIKE, so that the answers are those
 * of LIKE alone.
 */
#define LW_BASE " WHERE u.level <> 'country' AND " VISIBLE_SQL("u", "$5", "$7")
#define LW_P " AND u.parent_code = $1"
#define LW_L " AND u.level = $2"
/* A search may be kept to a subtree ($8, '' for anywhere): the pickers of
 * the web application search the units of the user's own scope. */
#define LW_X " AND u.name_folded LIKE ('%' || CAST($3 AS TEXT) || '%')" \
	" AND (CAST($8 AS TEXT) = '' OR substr(u.path, 1, length((SELECT w.path FROM units w" \
	" WHERE w.code = CAST($8 AS TEXT)))) = (SELECT w.path FROM units w WHERE w.code = CAST($8 AS TEXT)))"
#define LW_Q " AND u.code IN (SELECT code FROM units_name_fts WHERE units_name_fts MATCH" \
	" ('\"' || replace(CAST($3 AS TEXT), '\"', '\"\"') || '\"'))" LW_X
#define LW_S " AND u.level IN ('province','district','commune')" LW_X
#define LW4(M, q) M(q), M(LW_P q), M(LW_L q), M(LW_P LW_L q)
#define LW_ALL(M, trigrams) { LW4(M, ""), LW4(M, trigrams), LW4(M, LW_S) }
#define LIST_SQL(w) "SELECT " UNIT_COLS " FROM units u" LW_BASE w \
	" AND u.code > $4 ORDER BY u.code LIMIT $6"
#define COUNT_SQL(w) "SELECT COUNT(*) FROM units u" LW_BASE w

static const char *const units_list_sql[2][12] = { LW_ALL(LIST_SQL, LW_Q), LW_ALL(LIST_SQL, LW_X) };
static const char *const units_count_sql[2][12] = { LW_ALL(COUNT_SQL, LW_Q), LW_ALL(COUNT_SQL, LW_X) };

static void units_list_bind(struct sql_stmt *s, const struct unit_query *q,
                            const struct store_actor *actor)
{
	char hroles[256];

	role_mask_names(ROLE_MASK_HOUSEHOLD_READ, hroles, sizeof(hroles));
	sql_bind_text(s, 1, q->parent);
	sql_bind_text(s, 2, q->level);
	sql_bind_text(s, 3, q->q);
	sql_bind_text(s, 4, q->cursor ? q->cursor : "");   /* every code sorts after "" */
	sql_bind_int64(s, 5, store_actor_uid(actor));
	sql_bind_int64(s, 6, q->limit + 1);
	sql_bind_text(s, 7, hroles);
	if (q->q)
		sql_bind_text(s, 8, q->within ? q->within : "");
}

int store_units_list(struct store *st, const struct store_actor *actor,
                     const struct unit_query *q, struct arena *a,
                     struct unit_page *out, struct error *err)
{
	unsigned which = (q->parent ? 1u : 0) | (q->level ? 2u : 0) |
	                 (q->q ? (unsigned)search_way_of(q->q) << 2 : 0);
	int pg = strcmp(sql_backend(st), "postgres") == 0;
	struct sql_stmt *s;
	int64_t total = 0;
	size_t k = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	out->items = arena_alloc(a, ((size_t)q->limit + 1) * sizeof(*out->items));
	if (out->items == NULL)
		return store_oom(err);
	if ((rc = sql_prepare(st, units_count_sql[pg][which], &s, err)) < 0)
		return rc;
	units_list_bind(s, q, actor);
	if ((rc = sql_exec_stmt(s, &total, err)) < 0)
		return rc;
	if ((rc = sql_prepare(st, units_list_sql[pg][which], &s, err)) < 0)
		return rc;
	units_list_bind(s, q, actor);
	while ((rc = sql_step(s, err)) == 1)
		unit_from_row(s, a, &out->items[k++]);
	sql_done(s);
	if (rc < 0)
		return rc;
	if (k > (size_t)q->limit) {   /* one more than asked: there is a next page */
		k = (size_t)q->limit;
		out->next = out->items[k - 1].code;
	}
	out->n = k;
	out->total = total;
	return 0;
}

/* ---- creation below the commune ---- */

static int unit_next_seq(struct store *st, const char *parent, int *seq,
                         struct error *err)
{
	struct sql_stmt *s;
	int64_t last = 0;
	int rc;

	rc = sql_prepare(st, "SELECT code FROM units WHERE parent_code = $1"
	                 " ORDER BY code DESC LIMIT 1", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, parent);
	rc = sql_step(s, err);
	if (rc == 1) {
		const char *c = sql_col_text(s, 0), *dash = strrchr(c, '-');
		if (dash == NULL || parse_int64(dash + 1, 0, 9999, &last) < 0)
			last = 0;
	}
	sql_done(s);
	*seq = (int)last + 1;
	return rc < 0 ? rc : 0;
}

static int unit_insert_child(struct store *st, struct store_audit *au,
                             struct unit *in, const char *parent_path,
                             struct arena *a, struct error *err)
{
	const struct store_actor *actor = au->actor;
	char code[UNIT_CODE_MAX], path[160], folded[3 * UNIT_NAME_MAX + 1];
	struct sql_stmt *s;
	int seq, rc;

	if ((rc = unit_next_seq(st, in->parent_code, &seq, err)) < 0)
		return rc;
	if ((rc = unit_child_code(in->parent_code, (enum unit_level)unit_level_from_name(in->level),
	                          seq, code, sizeof(code), err)) < 0)
		return rc;
	if (unit_child_path(parent_path, code, path, sizeof(path)) < 0)
		return error_set(err, THC_EINTERNAL, "đường dẫn đơn vị quá dài", "unit path too long");
	text_fold(in->name, folded, sizeof(folded));
	rc = sql_prepare(st, "INSERT INTO units (code, parent_code, level, name, name_folded,"
	                 " type, path, address, members, created_at, updated_at)"
	                 " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)", &s, err);
	if (rc < 0)
		return rc;
	sql_bind_text(s, 1, code);
	sql_bind_text(s, 2, in->parent_code);
	sql_bind_text(s, 3, in->level);
	sql_bind_text(s, 4, in->name);
	sql_bind_text(s, 5, folded);
	sql_bind_text(s, 6, in->type);
	sql_bind_text(s, 7, path);
	sql_bind_text(s, 8, in->address);
	if (in->members >= 0)
		sql_bind_int64(s, 9, in->members);
	else
		sql_bind_null(s, 9);
	sql_bind_int64(s, 10, actor->now_ms);
	if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
		return rc;
	in->code = arena_strdup(a, code);
	in->created_at_ms = actor->now_ms;
	au->action = "unit.create";
	au->entity = "unit";
	store_audit_id_text(au, code);
	au->unit_code = arena_strdup(&au->arena, code);
	if ((au->after = unit_audit_json(in)) == NULL || au->unit_code == NULL)
		return store_oom(err);
	return 0;
}

struct unit_create {
	struct unit *in;
	struct arena *a;
};

static int unit_create_body(struct store *st, void *ctx, struct store_audit *au,
                            struct error *err)
{
	const struct store_actor *actor = au->actor;
	struct unit_create *C = ctx;
	struct unit *in = C->in;
	int lvl = unit_level_from_name(in->level);
	unsigned mask = lvl == UNIT_HOUSEHOLD ? ROLE_MASK_HOUSEHOLD_WRITE : ROLE_MASK_UNIT_WRITE;
	struct existing parent;
	struct sql_stmt *s;
	int rc;

	/* Out of scope and unknown look the same: 404. */
	if ((rc = store_scope_check(st, actor, in->parent_code, ROLE_MASK_ALL, err)) < 0)
		return rc;
	if ((rc = store_scope_check(st, actor, in->parent_code, mask, err)) < 0) {
		if (rc != THC_ENOTFOUND)     /* a storage failure stays one */
			return rc;
		return error_set(err, THC_EFORBIDDEN,
		                 "vai trò của bạn không được tạo %s%.0s tại '%.40s'",
		                 "your role may not create a %.0s%s in '%.40s'",
		                 unit_level_title((enum unit_level)lvl, 0),
		                 unit_level_name((enum unit_level)lvl), in->parent_code);
	}
	/* The child takes the parent's next free number: lock the parent row so a
	 * second creation under it waits (PostgreSQL READ COMMITTED; a no-op
	 * write on SQLite, whose BEGIN IMMEDIATE already serialises writers). */
	if ((rc = sql_prepare(st, "UPDATE units SET updated_at = updated_at WHERE code = $1",
	                      &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, in->parent_code);
	if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
		return rc;
	if ((rc = unit_lookup(st, in->parent_code, &parent, err)) < 0)
		return rc;
	if (unit_level_from_name(parent.level) != lvl - 1)
		return error_set_at(err, THC_EUNPROCESSABLE, "parent_code",
		                 "trường 'parent_code': %s%.0s phải thuộc một %s%.0s, '%.40s' là %s%.0s",
		                 "field 'parent_code': a %.0s%s must belong to a %.0s%s, '%.40s' is a %.0s%s",
		                 unit_level_title((enum unit_level)lvl, 0), in->level,
		                 unit_level_title((enum unit_level)(lvl - 1), 0),
		                 unit_level_name((enum unit_level)(lvl - 1)), in->parent_code,
		                 unit_level_title((enum unit_level)unit_level_from_name(parent.level), 0),
		                 parent.level);
	return unit_insert_child(st, au, in, parent.path, C->a, err);
}

int store_unit_create(struct store *st, const struct store_actor *actor,
                      struct unit *in, struct arena *a, struct error *err)
{
	int lvl = unit_level_from_name(in->level);
	struct unit_create C = { in, a };

	if (lvl != UNIT_HAMLET && lvl != UNIT_HOUSEHOLD)
		return error_set_at(err, THC_EUNPROCESSABLE, "level",
		                 "trường 'level': chỉ tạo được hamlet hoặc household qua API",
		                 "field 'level': only hamlets and households can be created here");
	return store_write(st, actor, unit_create_body, &C, err);
}
