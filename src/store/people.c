/*
 * People: the person records that surveillance records are about, the
 * links between records of one ID number in several communes, and merging
 * duplicates within a commune.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "domain/case.h"
#include "domain/role.h"
#include "store/cases-private.h"
#include "base/banned.h"

/*
 * One ID number means one person nationally, but a record of one commune
 * must never show or change what another commune knows.  So person records
 * are kept per commune: a case, contact or test is about the record of its
 * own commune with that ID number (created when there is none), and every
 * reader of the record is in scope of its person.  When the ID number also
 * has a record in another commune, the oldest one (the home) gets a link:
 * its officials see what was recorded where and when, and the fields that
 * differ as proposals they accept or dismiss (store_person_link_decide).
 * The caller sees only what it entered; nothing in its reply differs
 * whether the number was known elsewhere or not.
 */

#define PERSON_COLS "p.id, p.full_name, p.id_number, p.birth_year, p.sex, p.phone," \
	" p.unit_code, p.address"

static void person_from_row(struct sql_stmt *s, int off, struct arena *a, struct person *p)
{
	memset(p, 0, sizeof(*p));
	p->id = sql_col_int64(s, off);
	p->full_name = arena_strdup(a, sql_col_text(s, off + 1));
	p->id_number = arena_strdup(a, sql_col_text(s, off + 2));
	p->birth_year = sql_col_is_null(s, off + 3) ? -1 : sql_col_int64(s, off + 3);
	p->sex = arena_strdup(a, sql_col_text(s, off + 4));
	p->phone = arena_strdup(a, sql_col_text(s, off + 5));
	p->unit_code = arena_strdup(a, sql_col_text(s, off + 6));
	p->address = arena_strdup(a, sql_col_text(s, off + 7));
}

static void bind_opt_year(struct sql_stmt *s, int idx, int64_t year)
{
	if (year >= 0)
		sql_bind_int64(s, idx, year);
	else
		sql_bind_null(s, idx);
}

/* The record of this ID number in this commune; 0 if none. */
static int person_in_commune(struct store *st, const char *idn, const char *commune,
                             int64_t *id, struct error *err)
{
	struct sql_stmt *s;
	int rc;

	*id = 0;
	if ((rc = sql_prepare(st, "SELECT id FROM people WHERE id_number = $1 AND commune_code = $2",
	                      &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, idn);
	sql_bind_text(s, 2, commune);
	return sql_exec_stmt(s, id, err);
}

/* Fills in what the record lacks, never overwriting what is known. */
static int person_fill_in(struct store *st, const struct store_actor *actor, int64_t id,
                          const struct person *p, struct error *err)
{
	struct sql_stmt *s;
	int rc;

	if ((rc = sql_prepare(st, "UPDATE people SET birth_year = COALESCE(birth_year, $2),"
	                      " sex = COALESCE(sex, $3), phone = COALESCE(phone, $4),"
	                      " address = COALESCE(address, $5), updated_at = $6"
	                      " WHERE id = $1", &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, id);
	bind_opt_year(s, 2, p->birth_year);
	sql_bind_text(s, 3, place_nz(p->sex));
	sql_bind_text(s, 4, place_nz(p->phone));
	sql_bind_text(s, 5, place_nz(p->address));
	sql_bind_int64(s, 6, actor->now_ms);
	return sql_exec_stmt(s, NULL, err);
}

static int person_insert(struct store *st, const struct store_actor *actor, struct person *p,
                         const struct place *pl, struct error *err)
{
	char folded[3 * CASE_NAME_MAX + 1];
	struct sql_stmt *s;
	int rc;

	text_fold(p->full_name, folded, sizeof(folded));
	if ((rc = sql_prepare(st, "INSERT INTO people (full_name, full_name_folded, id_number,"
	                      " birth_year, sex, phone, unit_code, unit_path, commune_code,"
	                      " province_code, address, created_at, updated_at)"
	                      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)"
	                      " RETURNING id", &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, p->full_name);
	sql_bind_text(s, 2, folded);
	sql_bind_text(s, 3, place_nz(p->id_number));
	bind_opt_year(s, 4, p->birth_year);
	sql_bind_text(s, 5, place_nz(p->sex));
	sql_bind_text(s, 6, place_nz(p->phone));
	sql_bind_text(s, 7, pl->code);
	sql_bind_text(s, 8, pl->path);
	sql_bind_text(s, 9, pl->commune);
	sql_bind_text(s, 10, pl->province);
	sql_bind_text(s, 11, place_nz(p->address));
	sql_bind_int64(s, 12, actor->now_ms);
	return sql_exec_stmt(s, &p->id, err);
}

/* The oldest record of the ID number: the person's home commune. */
struct home {
	struct person p;
	char path[CASE_PATH_MAX], province[8];
};

static int person_home(struct store *st, const char *idn, struct arena *a, struct home *h,
                       struct error *err)
{
	struct sql_stmt *s;
	int rc;

	memset(h, 0, sizeof(*h));
	if ((rc = sql_prepare(st, "SELECT " PERSON_COLS ", p.unit_path, p.province_code"
	                      " FROM people p WHERE p.id_number = $1 ORDER BY p.id LIMIT 1",
	                      &s, err)) < 0)
		return rc;
	sql_bind_text(s, 1, idn);
	if ((rc = sql_step(s, err)) == 1) {
		person_from_row(s, 0, a, &h->p);
		rc = sql_col_copy(s, 8, h->path, sizeof(h->path), err) < 0 ? THC_ESTORE : rc;
		rc = sql_col_copy(s, 9, h->province, sizeof(h->province), err) < 0 ? THC_ESTORE : rc;
	}
	sql_done(s);
	return rc < 0 ? rc : 0;
}

/* The fields another commune may propose for a home record: text fields by
 * their offset in struct person, the birth year apart (off = 0). */
static const struct {
	const char *name;
	size_t off;
	const char *update;          /* $1 id, $2 text, $3 folded, $4 year, $5 now */
} person_fields[] = {
	{ "full_name", offsetof(struct person, full_name),
	  "UPDATE people SET full_name = $2, full_name_folded = $3, updated_at = $5 WHERE id = $1" },
	{ "birth_year", 0,
	  "UPDATE people SET birth_year = $4, updated_at = $5 WHERE id = $1" },
	{ "sex", offsetof(struct person, sex),
	  "UPDATE people SET sex = $2, updated_at = $5 WHERE id = $1" },
	{ "phone", offsetof(struct person, phone),
	  "UPDATE people SET phone = $2, updated_at = $5 WHERE id = $1" },
	{ "address", offsetof(struct person, address),
	  "UPDATE people SET address = $2, updated_at = $5 WHERE id = $1" },
};

/* Field f of p as JSON (null when unknown). */
static json_t *person_field_json(const struct person *p, size_t f)
{
	const char *v;

	if (person_fields[f].off == 0)
		return p->birth_year >= 0 ? json_integer(p->birth_year) : json_null();
	v = *(const char *const *)(const void *)((const char *)p + person_fields[f].off);
	return v ? json_string(v) : json_null();
}

/* What was entered that the home does not say: the proposals; NULL if none. */
static json_t *person_proposals(const struct person *home, const struct person *in)
{
	json_t *o = json_object();

	for (size_t f = 0; o && f < ARRAY_SIZE(person_fields); f++) {
		json_t *h = person_field_json(home, f), *v = person_field_json(in, f);

		if (v && !json_is_null(v) && !(json_is_string(v) && !json_string_length(v)) &&
		    !json_equal(h, v))
			json_object_set(o, person_fields[f].name, v);
		json_decref(h);
		json_decref(v);
	}
	if (o && json_object_size(o) == 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* Tells the home commune of the ID number that record `use` was made about
 * its person at pl (nothing when the record is itself the home). */
int person_linked(struct store *st, const struct store_actor *actor, const struct person *p,
                  const struct place *pl, const struct person_use *use, struct error *err)
{
	struct arena a = ARENA_INIT(0);
	struct home h;
	json_t *prop = NULL, *after = NULL;
	char *pj = NULL, eid[24];
	struct sql_stmt *s;
	int64_t link = 0;
	int rc;

	if ((rc = person_home(st, p->id_number, &a, &h, err)) < 0 || h.p.id == 0 || h.p.id == p->id)
		goto out;
	prop = person_proposals(&h.p, p);
	pj = prop ? json_dumps(prop, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	if ((rc = sql_prepare(st, "INSERT INTO person_links (person_id, record, record_commune,"
	                      " record_on, detail, proposed_json, unit_path, province_code,"
	                      " created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
	                      " RETURNING id", &s, err)) < 0)
		goto out;
	sql_bind_int64(s, 1, h.p.id);
	sql_bind_text(s, 2, use->record);
	sql_bind_text(s, 3, pl->commune);
	sql_bind_text(s, 4, use->on);
	sql_bind_text(s, 5, use->detail);
	sql_bind_text(s, 6, pj);
	sql_bind_text(s, 7, h.path);
	sql_bind_text(s, 8, h.province);
	sql_bind_int64(s, 9, actor->now_ms);
	sql_bind_text(s, 10, actor->username ? actor->username : "system");
	if ((rc = sql_exec_stmt(s, &link, err)) < 0)
		goto out;
	/* The audit of the person's own unit shows the detection elsewhere. */
	after = json_pack("{s:I,s:s,s:s,s:s}", "link_id", (json_int_t)link, "record", use->record,
	                  "record_commune", pl->commune, "record_on", use->on);
	if (after && prop) {
		json_t *names = json_array();
		const char *k;
		json_t *v;

		json_object_foreach(prop, k, v)
			json_array_append_new(names, json_string(k));
		json_object_set_new(after, "proposed", names);
	}
	if (after == NULL) {
		rc = store_oom(err);
		goto out;
	}
	snprintf(eid, sizeof(eid), "%lld", (long long)h.p.id);
	rc = store_audit_add(st, actor, "person.link", "person", eid, h.p.unit_code, NULL, after,
	                     err);
out:
	json_decref(prop);
	json_decref(after);
	free(pj);
	arena_release(&a);
	return rc;
}

int person_resolve(struct store *st, const struct store_actor *actor, struct person *p,
                   const struct place *pl, const struct person_use *use, struct error *err)
{
	int64_t id = 0;
	int rc;

	if (!place_nz(p->id_number))
		return person_insert(st, actor, p, pl, err);
	if ((rc = person_in_commune(st, p->id_number, pl->commune, &id, err)) < 0)
		return rc;
	if (id) {
		if ((rc = person_fill_in(st, actor, id, p, err)) < 0)
			return rc;
		p->id = id;
	} else if ((rc = person_insert(st, actor, p, pl, err)) < 0) {
		return rc;
	}
	return use ? person_linked(st, actor, p, pl, use, err) : 0;
}

/* ---- merging duplicates ---- */

struct person_merge {
	int64_t id, into;
};

/* One of the two people of a merge, in the actor's scope. */
struct merge_side {
	char idn[16], unit[UNIT_CODE_MAX], commune[UNIT_CODE_MAX];
	int64_t merged;
};

static int merge_side_read(struct store *st, const struct store_actor *actor, int64_t id,
                           struct merge_side *m, struct error *err)
{
	char roles[ROLE_NAMES_MAX];
	struct sql_stmt *s;
	int rc;

	memset(m, 0, sizeof(*m));
	if ((rc = sql_prepare(st, "SELECT p.id_number, p.unit_code, COALESCE(p.merged_into, 0),"
	                      " p.commune_code FROM people p WHERE p.id = $1 AND "
	                      SCOPE_SQL("p.unit_path", "$2", "$3"), &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, id);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, place_personal_roles(roles, sizeof(roles)));
	rc = sql_step(s, err);
	if (rc == 1) {
		rc = sql_col_copy(s, 0, m->idn, sizeof(m->idn), err) < 0 ? THC_ESTORE : rc;
		rc = sql_col_copy(s, 1, m->unit, sizeof(m->unit), err) < 0 ? THC_ESTORE : rc;
		m->merged = sql_col_int64(s, 2);
		rc = sql_col_copy(s, 3, m->commune, sizeof(m->commune), err) < 0 ? THC_ESTORE : rc;
	}
	sql_done(s);
	if (rc == 0)
		return error_set(err, THC_ENOTFOUND, "không có người mã %lld", "no person %lld",
		                 (long long)id);
	return rc < 0 ? rc : 0;
}

static int person_merge_body(struct store *st, void *ctx, struct store_audit *au,
                             struct error *err)
{
	static const char *const moves[] = {
		"UPDATE cases SET person_id = $2 WHERE person_id = $1",
		"UPDATE tests SET person_id = $2 WHERE person_id = $1",
		/* A contact of the same case twice stays on the duplicate.  (One
		 * statement in two literals: the parentheses say so to clang.) */
		("UPDATE contacts SET person_id = $2 WHERE person_id = $1 AND NOT EXISTS"
		 " (SELECT 1 FROM contacts c2 WHERE c2.case_id = contacts.case_id AND c2.person_id = $2)"),
		"UPDATE person_links SET person_id = $2 WHERE person_id = $1",
	};
	const struct person_merge *M = ctx;
	const int64_t id = M->id, into = M->into;
	struct merge_side m[2];
	struct sql_stmt *s;
	int rc;

	for (int k = 0; k < 2; k++)
		if ((rc = merge_side_read(st, au->actor, k ? into : id, &m[k], err)) < 0)
			return rc;
	if (m[0].merged || m[1].merged)
		return error_set(err, THC_ECONFLICT, "người này đã được gộp trước đó",
		                 "that person has already been merged");
	/* Records stay with a person of their own commune (see person_resolve):
	 * people of two communes are linked by their ID number, not merged. */
	if (strcmp(m[0].commune, m[1].commune) != 0)
		return error_set_at(err, THC_EUNPROCESSABLE, "into",
		                 "trường 'into': hai người thuộc hai xã khác nhau, không gộp được",
		                 "field 'into': the two people belong to different communes and cannot be merged");
	if (m[0].idn[0] && m[1].idn[0] && strcmp(m[0].idn, m[1].idn) != 0)
		return error_set(err, THC_ECONFLICT, "hai người có số CCCD/CMND khác nhau",
		                 "the two people have different ID numbers");
	for (size_t i = 0; i < ARRAY_SIZE(moves); i++) {
		if ((rc = sql_prepare(st, moves[i], &s, err)) < 0)
			return rc;
		sql_bind_int64(s, 1, id);
		sql_bind_int64(s, 2, into);
		if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
			return rc;
	}
	/* The ID number moves with the record (unique within the commune). */
	if ((rc = sql_prepare(st, "UPDATE people SET merged_into = $2, id_number = NULL,"
	                      " updated_at = $3 WHERE id = $1", &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, id);
	sql_bind_int64(s, 2, into);
	sql_bind_int64(s, 3, au->actor->now_ms);
	if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
		return rc;
	if (m[0].idn[0] && !m[1].idn[0]) {
		if ((rc = sql_prepare(st, "UPDATE people SET id_number = $2 WHERE id = $1", &s, err)) < 0)
			return rc;
		sql_bind_int64(s, 1, into);
		sql_bind_text(s, 2, m[0].idn);
		if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
			return rc;
	}
	au->action = "person.merge";
	au->entity = "person";
	store_audit_id(au, id);
	au->unit_code = arena_strdup(&au->arena, m[0].unit);
	au->after = json_pack("{s:I}", "merged_into", (json_int_t)into);
	if (au->unit_code == NULL || au->after == NULL)
		return store_oom(err);
	return 0;
}

int store_person_merge(struct store *st, const struct store_actor *actor, int64_t id,
                       int64_t into, struct error *err)
{
	struct person_merge M = { id, into };

	if (id == into)
		return error_set_at(err, THC_EUNPROCESSABLE, "into", "trường 'into': không gộp một người vào chính mình",
		                 "field 'into': a person cannot be merged into itself");
	return store_write(st, actor, person_merge_body, &M, err);
}

/* ---- links: what other communes recorded about this commune's people ---- */

#define LINK_COLS "l.id, " PERSON_COLS ", l.record, l.record_commune, l.record_on, l.detail," \
	" l.proposed_json, l.status, l.created_at, l.decided_at, l.decided_by, l.decision_note"

static void link_from_row(struct sql_stmt *s, struct arena *a, struct person_link *l)
{
	memset(l, 0, sizeof(*l));
	l->id = sql_col_int64(s, 0);
	person_from_row(s, 1, a, &l->person);
	l->record = arena_strdup(a, sql_col_text(s, 9));
	l->record_commune = arena_strdup(a, sql_col_text(s, 10));
	l->record_on = arena_strdup(a, sql_col_text(s, 11));
	l->detail = arena_strdup(a, sql_col_text(s, 12));
	l->proposed_json = arena_strdup(a, sql_col_text(s, 13));
	l->status = arena_strdup(a, sql_col_text(s, 14));
	l->created_at_ms = sql_col_int64(s, 15);
	l->decided_at_ms = sql_col_is_null(s, 16) ? 0 : sql_col_int64(s, 16);
	l->decided_by = arena_strdup(a, sql_col_text(s, 17));
	l->decision_note = arena_strdup(a, sql_col_text(s, 18));
}

#define LINKS_LIST_SQL "SELECT " LINK_COLS " FROM person_links l JOIN people p ON p.id = l.person_id" \
	" WHERE " SCOPE_SQL("l.unit_path", "$1", "$2") \
	" AND (CAST($3 AS TEXT) IS NULL OR substr(l.unit_path, 1, length(CAST($3 AS TEXT))) = CAST($3 AS TEXT))" \
	" AND (CAST($4 AS TEXT) IS NULL OR l.status = CAST($4 AS TEXT))" \
	" AND (CAST($5 AS BIGINT) = 0 OR l.id < $5) ORDER BY l.id DESC LIMIT $6"

struct links_list {
	const struct person_link_query *q;
	struct arena *a;
	struct person_link *out;
	size_t n;
	int64_t next;
};

static int links_list_body(struct store *st, void *ctx, struct store_audit *au,
                           struct error *err)
{
	const struct store_actor *actor = au->actor;
	struct links_list *L = ctx;
	char roles[ROLE_NAMES_MAX], path[CASE_PATH_MAX] = "";
	struct sql_stmt *s;
	int rc;

	place_personal_roles(roles, sizeof(roles));
	if (L->q->unit && (rc = store_scope_path(st, actor, L->q->unit, ROLE_MASK_PERSONAL, path,
	                                         sizeof(path), err)) < 0)
		return rc;
	if ((rc = sql_prepare(st, LINKS_LIST_SQL, &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, store_actor_uid(actor));
	sql_bind_text(s, 2, roles);
	sql_bind_text(s, 3, L->q->unit ? path : NULL);
	sql_bind_text(s, 4, L->q->status);
	sql_bind_int64(s, 5, L->q->cursor);
	sql_bind_int64(s, 6, L->q->limit + 1);
	while ((rc = sql_step(s, err)) == 1)
		link_from_row(s, L->a, &L->out[L->n++]);
	sql_done(s);
	if (rc < 0)
		return rc;
	if (L->n > (size_t)L->q->limit) {
		L->n = (size_t)L->q->limit;
		L->next = L->out[L->n - 1].id;
	}
	au->action = "person_links.list";
	au->entity = "person_link";
	au->unit_code = L->q->unit ? L->q->unit : UNIT_COUNTRY_CODE;
	au->after = json_pack("{s:I}", "rows", (json_int_t)L->n);
	return 0;
}

int store_person_links_list(struct store *st, const struct store_actor *actor,
                            const struct person_link_query *q, struct arena *a,
                            struct person_link **out, size_t *n, int64_t *next,
                            struct error *err)
{
	struct links_list L = { .q = q, .a = a };
	int rc;

	*n = 0;
	*next = 0;
	if ((L.out = arena_alloc(a, ((size_t)q->limit + 1) * sizeof(*L.out))) == NULL)
		return store_oom(err);
	/* A write: reading names records its audit row. */
	if ((rc = store_write(st, actor, links_list_body, &L, err)) < 0)
		return rc;
	*out = L.out;
	*n = L.n;
	*next = L.next;
	return 0;
}

/* Copies one proposed field into the home record. */
static int link_apply(struct store *st, const struct store_actor *actor, int64_t person,
                      size_t f, json_t *value, struct error *err)
{
	char folded[3 * CASE_NAME_MAX + 1] = "";
	const char *text = json_string_value(value);
	int year = person_fields[f].off == 0;
	struct sql_stmt *s;
	int rc;

	if ((year && !json_is_integer(value)) || (!year && !text))
		return error_set(err, THC_EINTERNAL, "đề xuất hỏng: '%s'", "a broken proposal: '%s'",
		                 person_fields[f].name);
	if (text)
		text_fold(text, folded, sizeof(folded));
	if ((rc = sql_prepare(st, person_fields[f].update, &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, person);
	sql_bind_text(s, 2, text);
	sql_bind_text(s, 3, folded);
	sql_bind_int64(s, 4, year ? json_integer_value(value) : 0);
	sql_bind_int64(s, 5, actor->now_ms);
	return sql_exec_stmt(s, NULL, err);
}

struct link_decision {
	int64_t id;
	int accept;
	const char *const *fields;
	const char *note;
};

/* The link, open and in scope; its home person and proposals. */
static int link_load(struct store *st, const struct store_actor *actor, int64_t id,
                     struct arena *a, struct person_link *l, struct error *err)
{
	char roles[ROLE_NAMES_MAX];
	struct sql_stmt *s;
	int rc;

	if ((rc = sql_prepare(st, "SELECT " LINK_COLS " FROM person_links l JOIN people p"
	                      " ON p.id = l.person_id WHERE l.id = $1 AND "
	                      SCOPE_SQL("l.unit_path", "$2", "$3"), &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, id);
	sql_bind_int64(s, 2, store_actor_uid(actor));
	sql_bind_text(s, 3, place_personal_roles(roles, sizeof(roles)));
	if ((rc = sql_step(s, err)) == 1)
		link_from_row(s, a, l);
	sql_done(s);
	if (rc == 0)
		return error_set(err, THC_ENOTFOUND, "không có liên kết số %lld trong phạm vi của bạn",
		                 "no link %lld within your scope", (long long)id);
	if (rc < 0)
		return rc;
	if (strcmp(l->status, "open") != 0)
		return error_set(err, THC_ECONFLICT, "liên kết số %lld đã được xử lý (%s)",
		                 "link %lld has already been decided (%s)", (long long)id, l->status);
	return 0;
}

/* Is `name` one of the fields the caller chose (NULL: all)? */
static int link_chosen(const char *const *fields, const char *name)
{
	if (fields == NULL)
		return 1;
	for (; *fields; fields++)
		if (strcmp(*fields, name) == 0)
			return 1;
	return 0;
}

/* Copies the chosen proposals; fills before/after with what changed. */
static int link_accept(struct store *st, const struct store_actor *actor,
                       const struct person_link *l, const char *const *fields,
                       json_t *before, json_t *after, struct error *err)
{
	json_t *prop = l->proposed_json ? json_loads(l->proposed_json, 0, NULL) : NULL;
	int rc = 0;

	for (const char *const *f = fields; f && *f; f++)
		if (prop == NULL || json_object_get(prop, *f) == NULL) {
			rc = error_set_at(err, THC_EUNPROCESSABLE, "fields",
			               "trường 'fields': '%.40s' không có trong đề xuất",
			               "field 'fields': '%.40s' is not among the proposals", *f);
			goto out;
		}
	for (size_t f = 0; prop && rc == 0 && f < ARRAY_SIZE(person_fields); f++) {
		json_t *v = json_object_get(prop, person_fields[f].name);

		if (v == NULL || !link_chosen(fields, person_fields[f].name))
			continue;
		if ((rc = link_apply(st, actor, l->person.id, f, v, err)) < 0)
			break;
		json_object_set_new(before, person_fields[f].name, person_field_json(&l->person, f));
		json_object_set(after, person_fields[f].name, v);
	}
out:
	json_decref(prop);
	return rc;
}

static int link_decide_body(struct store *st, void *ctx, struct store_audit *au,
                            struct error *err)
{
	const struct store_actor *actor = au->actor;
	const struct link_decision *d = ctx;
	struct arena a = ARENA_INIT(0);
	struct person_link l;
	struct sql_stmt *s;
	int rc;

	au->before = json_object();
	au->after = json_pack("{s:I,s:s}", "link_id", (json_int_t)d->id,
	                      "status", d->accept ? "accepted" : "dismissed");
	if (au->before == NULL || au->after == NULL) {
		rc = store_oom(err);
		goto out;
	}
	if ((rc = link_load(st, actor, d->id, &a, &l, err)) < 0)
		goto out;
	if (d->accept && (rc = link_accept(st, actor, &l, d->fields, au->before, au->after, err)) < 0)
		goto out;
	if ((rc = sql_prepare(st, "UPDATE person_links SET status = $2, decided_at = $3,"
	                      " decided_by = $4, decision_note = $5 WHERE id = $1", &s, err)) < 0)
		goto out;
	sql_bind_int64(s, 1, d->id);
	sql_bind_text(s, 2, d->accept ? "accepted" : "dismissed");
	sql_bind_int64(s, 3, actor->now_ms);
	sql_bind_text(s, 4, actor->username ? actor->username : "system");
	sql_bind_text(s, 5, place_nz(d->note));
	if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
		goto out;
	au->action = d->accept ? "person_link.accept" : "person_link.dismiss";
	au->entity = "person";
	au->unit_code = arena_strdup(&au->arena, l.person.unit_code);
	store_audit_id(au, l.person.id);
out:
	arena_release(&a);
	return rc;
}

int store_person_link_decide(struct store *st, const struct store_actor *actor, int64_t id,
                             int accept, const char *const *fields, const char *note,
                             struct error *err)
{
	struct link_decision d = { id, accept, fields, note };

	return store_write(st, actor, link_decide_body, &d, err);
}
