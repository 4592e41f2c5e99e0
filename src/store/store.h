/*
 * The store: every read and write of persistent data, behind one interface
 * with a driver per backend (store-private.h).  Callers never see SQL.
 *
 * Scope is enforced here: functions taking a struct store_actor return only
 * what that actor may see, and report objects out of scope as THC_ENOTFOUND.
 * Every write runs in one transaction with its audit record.
 * Returned strings live in the caller's arena unless said otherwise.
 */
#ifndef THC_STORE_H
#define THC_STORE_H

#include <stdint.h>
#include <stddef.h>
#include "base/arena.h"
#include "base/error.h"

struct store;          /* one connection */
struct store_pool;     /* connections shared by server threads */

/* Who acts.  user_id 0 is the system (CLI): unrestricted; a NULL actor is anonymous. */
struct store_actor {
	int64_t user_id;
	const char *username;
	const char *addr;        /* client address, or "cli" */
	int64_t now_ms;          /* UTC */
};

/* url: "postgres://..." / "postgresql://..." or a SQLite file path. */
int store_open(const char *url, struct store **out, struct error *err);
void store_close(struct store *st);
/* Applies pending numbered migrations; *applied gets how many (may be NULL). */
int store_migrate(struct store *st, int *applied, struct error *err);
/* Highest applied migration number. */
int store_schema_version(struct store *st, int *version, struct error *err);
/* Checks the connection, reconnecting if needed: 0 or THC_EUNAVAILABLE. */
int store_ping(struct store *st, struct error *err);

/* Tests: with a "fault:<url>" store, the nth next call that can fail
 * (exec, prepare, step, begin, commit) fails with THC_ESTORE; 0 disarms.
 * No effect on other stores. */
void store_fault_arm(struct store *st, long nth);

int store_pool_open(const char *url, int size, struct store_pool **out,
                    struct error *err);
/* Waits up to timeout_ms for a free connection: 0 or THC_EUNAVAILABLE. */
int store_pool_get(struct store_pool *p, int timeout_ms, struct store **out,
                   struct error *err);
void store_pool_put(struct store_pool *p, struct store *st);
void store_pool_close(struct store_pool *p);

/* ---- units ---- */
struct unit {
	const char *code;
	const char *name;
	const char *level;          /* "province" ... "household" */
	const char *parent_code;    /* NULL for provinces */
	const char *type;           /* GSO type, or hamlet type */
	int64_t population;         /* -1 when unknown */
	const char *address;        /* households */
	int64_t members;            /* households; -1 when unknown */
	int64_t created_at_ms;
};

struct unit_query {
	const char *parent;         /* NULL: any (or top level when no level/q) */
	const char *level;          /* NULL: any */
	const char *q;              /* folded search text, NULL: none */
	const char *cursor;         /* last code of the previous page, NULL: start */
	int limit;                  /* 1..1000 */
};

struct unit_page {
	struct unit *items;
	size_t n;
	int64_t total;
	const char *next;           /* cursor, NULL at the end */
};

struct unit_counts {
	int64_t district, commune, hamlet, household;
	int hamlet_visible;         /* 0: hamlets/households are out of scope */
};

/* Rows for a bulk import: all or nothing.  Rows with a known code are updated. */
struct unit_row {
	const char *code, *name, *level, *parent_code, *type;
	long line;                  /* input line, for errors */
};
int store_units_import(struct store *st, const struct store_actor *actor,
                       const struct unit_row *rows, size_t n,
                       size_t *inserted, size_t *updated, struct error *err);
/* Sets the population of known units; unknown codes are an error naming the line. */
struct unit_population_row { const char *code; int64_t population; long line; };
int store_units_set_population(struct store *st, const struct store_actor *actor,
                               const struct unit_population_row *rows, size_t n,
                               struct error *err);

int store_unit_get(struct store *st, const struct store_actor *actor,
                   const char *code, struct arena *a, struct unit *out,
                   struct error *err);
/* Ancestors from the province down to the unit itself. */
int store_unit_path(struct store *st, const struct store_actor *actor,
                    const char *code, struct arena *a, struct unit **out,
                    size_t *n, struct error *err);
int store_unit_counts(struct store *st, const struct store_actor *actor,
                      const char *code, struct unit_counts *out,
                      struct error *err);
int store_units_list(struct store *st, const struct store_actor *actor,
                     const struct unit_query *q, struct arena *a,
                     struct unit_page *out, struct error *err);
/* Creates a hamlet (under a commune) or household (under a hamlet); fills in->code. */
int store_unit_create(struct store *st, const struct store_actor *actor,
                      struct unit *in, struct arena *a, struct error *err);

/* ---- users, grants, sessions ---- */
struct grant {
	int64_t id;
	const char *role;
	const char *unit_code;
	const char *unit_name;
	const char *unit_level;
};

struct user {
	int64_t id;
	const char *username;
	const char *full_name;
	const char *password_hash;  /* only from store_user_by_name */
	int disabled;
	int64_t created_at_ms;
	struct grant *grants;
	size_t ngrants;
};

/* Creates the user with a first grant (every user has a role somewhere). */
int store_user_create(struct store *st, const struct store_actor *actor,
                      const char *username, const char *full_name,
                      const char *password_hash, const char *role,
                      const char *unit_code, int64_t *id, struct error *err);
int store_user_set_password(struct store *st, const struct store_actor *actor,
                            const char *username, const char *password_hash,
                            struct error *err);
/* Unscoped lookup for login: includes password_hash and grants. */
int store_user_by_name(struct store *st, const char *username, struct arena *a,
                       struct user *out, struct error *err);
int store_user_by_id(struct store *st, int64_t id, struct arena *a,
                     struct user *out, struct error *err);
int store_users_list(struct store *st, struct arena *a, struct user **out,
                     size_t *n, struct error *err);
int store_grant_add(struct store *st, const struct store_actor *actor,
                    const char *username, const char *role,
                    const char *unit_code, struct error *err);
int store_grant_remove(struct store *st, const struct store_actor *actor,
                       const char *username, const char *role,
                       const char *unit_code, struct error *err);

/*
 * Is the unit inside the subtree of one of the actor's grants whose role is
 * in role_mask (bits of enum role)?  0, or THC_ENOTFOUND (unknown or out of
 * scope: the caller must not tell the two apart).
 */
int store_scope_check(struct store *st, const struct store_actor *actor,
                      const char *unit_code, unsigned role_mask,
                      struct error *err);

struct session {
	int64_t user_id;
	const char *csrf;
	int64_t expires_ms;
};
/* token_hash and csrf are hex strings; the raw token is never stored. */
int store_session_create(struct store *st, const struct store_actor *actor,
                         int64_t user_id, const char *token_hash,
                         const char *csrf, int64_t expires_ms,
                         struct error *err);
int store_session_lookup(struct store *st, const char *token_hash,
                         int64_t now_ms, struct arena *a, struct session *out,
                         struct error *err);
int store_session_revoke(struct store *st, const struct store_actor *actor,
                         const char *token_hash, struct error *err);

/* ---- audit ---- */
struct audit_entry {
	int64_t id;
	int64_t at_ms;
	const char *actor;
	const char *client_addr;
	const char *action;
	const char *entity;
	const char *entity_id;
	const char *unit_code;
	const char *before_json;    /* NULL when nothing before */
	const char *after_json;
};
struct audit_query {
	const char *unit;           /* subtree; NULL = all in scope */
	const char *actor;          /* username */
	int64_t from_ms, to_ms;     /* 0 = open */
	int64_t before_id;          /* cursor: entries older than this id; 0 = newest */
	int limit;
};
/* Records one change inside the caller's transaction (used by store files). */
int store_audit_add(struct store *st, const struct store_actor *actor,
                    const char *action, const char *entity,
                    const char *entity_id, const char *unit_code,
                    const char *before_json, const char *after_json,
                    struct error *err);
/* Entries in the actor's audit scope (officials), newest first. */
int store_audit_list(struct store *st, const struct store_actor *actor,
                     const struct audit_query *q, struct arena *a,
                     struct audit_entry **out, size_t *n, struct error *err);

/* ---- supervision assignments ---- */
struct assignment {
	int64_t id;
	const char *username;       /* the official who follows the unit */
	const char *unit_code;
	const char *unit_name;
	const char *unit_level;
	const char *assigned_by;
	int64_t created_at_ms;
	const char *note;
	/* latest report, NULL/0 when none yet */
	const char *status;
	const char *status_note;
	int64_t status_at_ms;
};
/* The official needs a grant of a supervising role; the unit must lie two
 * levels below that grant and inside it; the actor must have authority. */
int store_assignment_create(struct store *st, const struct store_actor *actor,
                            const char *username, const char *unit_code,
                            const char *note, int64_t *id, struct error *err);
int store_assignments_of(struct store *st, int64_t user_id, struct arena *a,
                         struct assignment **out, size_t *n, struct error *err);
/* The assigned official reports the unit's status (stable|attention|urgent). */
int store_assignment_report(struct store *st, const struct store_actor *actor,
                            int64_t assignment_id, const char *status,
                            const char *note, struct error *err);

/* ---- epidemic levels ---- */
/* Published or decided levels: one row a (unit, date from which it applies). */
struct level_decision_row {
	const char *unit_code;
	const char *effective_from;   /* YYYY-MM-DD */
	int level;                    /* 1..4 */
	const char *source_url;       /* imports: where it was published */
	long line;
};
/* Loads published levels (source 'import'); rows already present are skipped.
 * All or nothing. */
int store_levels_import(struct store *st, const struct store_actor *actor,
                        const struct level_decision_row *rows, size_t n,
                        size_t *inserted, struct error *err);

struct level_in_force {
	const char *code, *name, *unit_level, *parent_code;
	int level;                    /* 0: none decided */
	const char *effective_from;
	const char *week_end;
	const char *source;
};
/* The decided level in force on `date` for each public child of parent
 * (NULL: the provinces), ordered by code. */
int store_levels_in_force(struct store *st, const char *parent, const char *date,
                          struct arena *a, struct level_in_force **out,
                          size_t *n, struct error *err);

struct level_history_entry {
	const char *kind;             /* "assessment" or "decision" */
	const char *week_end, *effective_from;
	int level;                    /* 0: not assessable */
	int computed_level;
	double cases_per_100k;        /* < 0: none */
	const char *rule_set, *explanation_vi, *explanation_en, *missing, *reason;
	const char *source, *source_url, *by;
	int assumption;
	int64_t at_ms;
};
/* Assessments and decisions of a unit, newest first (scope as store_unit_get). */
int store_level_history(struct store *st, const struct store_actor *actor,
                        const char *code, int limit, struct arena *a,
                        struct level_history_entry **out, size_t *n,
                        struct error *err);

/* Weekly indicators of a unit (the inputs of an assessment). */
struct level_indicators {
	const char *unit_code, *week_end;
	const char *parent_code, *province, *unit_level;   /* filled by reads */
	int64_t population, cases_week, cases_prev_week, oxygen_cases_week, deaths_week;
	double vax1_18plus_pct, vaxfull_elderly_pct, vaxfull_pct, vaxfull_highrisk_pct;
	int capacity_met;             /* 0/1; -1 missing */
	const char *capacity;         /* high|medium|low; NULL missing */
	long line;                    /* for errors; -1 missing for the numbers above */
};
/* Upserts indicators; every unit must be in the actor's scope with a role in
 * role_mask.  All or nothing. */
int store_level_indicators_put(struct store *st, const struct store_actor *actor,
                               unsigned role_mask, const struct level_indicators *rows,
                               size_t n, struct error *err);
/* Indicators of the units under `code` (itself included) for a week. */
int store_level_indicators_list(struct store *st, const struct store_actor *actor,
                                const char *code, const char *week_end,
                                struct arena *a, struct level_indicators **out,
                                size_t *n, struct error *err);

struct level_assessment {
	const char *unit_code, *week_end, *rule_set;
	int level;                    /* 0: not assessable */
	double cases_per_100k;        /* < 0: none */
	const char *explanation_vi, *explanation_en, *missing;
	int assumption;
};
int store_level_assessments_put(struct store *st, const struct store_actor *actor,
                                const struct level_assessment *rows, size_t n,
                                struct error *err);
/* The level in force for a unit the day before `date` (for no-downgrade); 0 if none. */
int store_level_previous(struct store *st, const char *code, const char *date,
                         int *level, struct error *err);
/* Confirms (level = computed) or overrides (reason required) a unit's level
 * for a week, in force from effective_from.  Officials in scope only. */
int store_level_decide(struct store *st, const struct store_actor *actor,
                       const char *code, const char *week_end,
                       const char *effective_from, int level, const char *reason,
                       int64_t *id, struct error *err);
/* Measures per level (JSON array text) of a province, or national ('VN'). */
int store_measures_put(struct store *st, const struct store_actor *actor,
                       const char *province, const char *const json_by_level[5],
                       struct error *err);
/* json_by_level[1..4]: the province's own measures, else the national ones;
 * NULL where none are loaded. */
int store_measures_get(struct store *st, const char *province, struct arena *a,
                       const char *json_by_level[5], struct error *err);

struct level_change {
	const char *code, *name;
	int before, after;            /* 0: none */
};
/* Public children of parent (NULL: provinces) whose level in force on `date`
 * differs from the one in force on `before_date`. */
int store_level_changes(struct store *st, const char *parent, const char *date,
                        const char *before_date, struct arena *a,
                        struct level_change **out, size_t *n, struct error *err);

/* ---- benchmark support ---- */
/*
 * Only for bench/levels_bench.c: the Decision 4800 rule as one SQL query,
 * to compare with the in-memory engine on the same data (src/store/bench.c).
 * Not used by the server or the CLI.
 */
/* One unit-week.  A negative number, capacity_met -1 or previous_level 0
 * means missing (stored as NULL). */
struct bench_level_row {
	const char *unit_code;        /* borrowed */
	int week;                     /* 0-based week of the year */
	int64_t population, cases_week, cases_prev_week;
	double vax1_18plus_pct, vaxfull_elderly_pct;
	int capacity_met;             /* 1, 0; -1 missing */
	int previous_level;           /* 1..4; 0 none */
};
/* Drops and recreates the scratch table bench_level_inputs and inserts the
 * rows, in one transaction with one prepared statement. */
int store_bench_levels_load(struct store *st, const struct bench_level_row *rows,
                            size_t n, struct error *err);
/* One query: the level of every row; counts[level] (0 = not assessable). */
int store_bench_levels_sql(struct store *st, int64_t counts[5], struct error *err);
/* Drops bench_level_inputs (no error if it is not there). */
int store_bench_levels_drop(struct store *st, struct error *err);

#endif
