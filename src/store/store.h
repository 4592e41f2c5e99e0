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
/* Highest applied migration number (0 for an empty database); changes nothing. */
int store_schema_version(struct store *st, int *version, struct error *err);
/* Highest migration number this binary knows. */
int store_schema_latest(void);
/* Checks the connection, reconnecting if needed: 0 or THC_EUNAVAILABLE. */
int store_ping(struct store *st, struct error *err);

/*
 * Backups of the whole database, in the backend's own format: SQLite's
 * online backup API (a live server keeps serving), pg_dump --format=custom.
 * store_backup writes file.tmp next to file, checks it, then renames it over
 * file; *version gets the schema version backed up.
 */
int store_backup(struct store *st, const char *file, int *version, struct error *err);
enum store_restore_flags {
	STORE_RESTORE_FORCE = 1 << 0,   /* replace a database that is not empty */
};
/*
 * Replaces the database with a backup from store_backup on the same backend.
 * Refuses (changing nothing) a file that is not a thichung backup, one of the
 * other backend, one from a newer schema than this binary knows, and without
 * STORE_RESTORE_FORCE a database that holds any table (THC_ECONFLICT).
 * *version gets the schema version restored.
 */
int store_restore(struct store *st, const char *file, unsigned flags, int *version,
                  struct error *err);

/* Tests: with a "fault:<url>" store, the nth next call that can fail
 * (exec, prepare, step, begin, commit) fails with THC_ESTORE; 0 disarms.
 * No effect on other stores. */
void store_fault_arm(struct store *st, long nth);
/* The same for the nth next bind of a parameter (reported at the step). */
void store_fault_arm_bind(struct store *st, long nth);

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
	int hamlet_visible;         /* 0: hamlets are out of scope */
	int household_visible;      /* 0: households are not for this actor */
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

/* ---- sign-in throttling (store/logins.c) ----
 * Failure counters per (address, username), per username and per address,
 * shared by every server on the database.  Rows are keyed by a keyed hash
 * (a random secret kept once in the database), so the table holds no
 * username or address; rows go when their window ends, never for room.
 * Security bookkeeping, not audited (the sign-in itself is). */
struct throttle_rules;

#define STORE_LOGIN_KEY_HEX 65          /* 32-byte hash as hex, with NUL */
/* The counters of one attempt, from store_login_attempt(). */
struct store_login {
	char pair[STORE_LOGIN_KEY_HEX], user[STORE_LOGIN_KEY_HEX];
	char addr[STORE_LOGIN_KEY_HEX], known[STORE_LOGIN_KEY_HEX];
	int64_t addr_window;                /* the address window it was counted in */
};

/*
 * Counts a sign-in attempt as a failure before the password is checked, in
 * one transaction, if every counter allows it now; so parallel attempts
 * (on one server or several) cannot slip past a limit together.
 * 0 with *wait_ms 0: counted, go ahead (out is set).  0 with *wait_ms > 0:
 * refused for that long, nothing counted.  <0 on a storage error.
 */
int store_login_attempt(struct store *st, const struct throttle_rules *rules,
                        const char *addr, const char *username, int64_t now_ms,
                        struct store_login *out, int64_t *wait_ms, struct error *err);
/* The password was right: clears the (address, username) and username
 * counters, takes the attempt back off the address counter (whose earlier
 * failures stay) and makes the address known for the username. */
int store_login_succeeded(struct store *st, const struct throttle_rules *rules,
                          const struct store_login *l, int64_t now_ms, struct error *err);
/* Deletes up to max rows whose window ended by now_ms; *deleted may be NULL.
 * store_login_attempt() calls it; public for tests. */
int store_login_prune(struct store *st, int64_t now_ms, int max, int *deleted,
                      struct error *err);

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

/* ---- isolation follow-up (src/store/isolation.c) ---- */
/* Overdue: no check-in within this many hours; low SpO2: latest reading
 * below this (the Ministry of Health's home-care guidance warns below 96 %). */
#define ISOLATION_OVERDUE_HOURS_DEFAULT 24
#define ISOLATION_SPO2_BELOW_DEFAULT 96
#define ISOLATION_SPO2_MIN 50
#define ISOLATION_SPO2_MAX 100
#define ISOLATION_TEMP_MIN 34.0
#define ISOLATION_TEMP_MAX 43.0
#define ISOLATION_TEXT_MAX 1000          /* symptoms, note: bytes */
#define ISOLATION_LIST_MAX 1000

struct isolation {
	int64_t id, person_id;
	int64_t case_id, contact_id;       /* 0: none */
	const char *kind;                  /* "home" | "facility" */
	const char *unit_code;             /* where the person isolates */
	const char *started_on, *planned_end, *released_on;   /* YYYY-MM-DD; NULL: none */
	int64_t created_at_ms;
	const char *created_by;
	/* filled by reads */
	const char *full_name, *id_number; /* NULL unless the reader is an official
	                                      or health worker in scope */
	int64_t checkins;                  /* how many */
	int64_t last_checkin_ms;           /* 0: none */
	int last_spo2;                     /* latest check-in carrying SpO2; -1: none */
	double last_temperature;           /* latest carrying a temperature; < 0: none */
	const char *last_symptoms;
};

struct checkin {
	int64_t id, isolation_id;
	int64_t at_ms;                     /* reads; writes take actor->now_ms */
	const char *day;                   /* VN day of at_ms (reads) */
	int spo2;                          /* -1: not measured */
	double temperature;                /* < 0: not measured */
	const char *symptoms, *note;       /* NULL: none */
	const char *created_by;            /* reads */
};

enum isolation_state {
	ISOLATION_ACTIVE,                  /* not released */
	ISOLATION_OVERDUE,                 /* active, started over `hours` ago, no check-in within them */
	ISOLATION_LOW_SPO2,                /* active, latest SpO2 below `spo2_below` */
	ISOLATION_RELEASED,
};
struct isolation_query {
	const char *unit;                  /* subtree root (required) */
	enum isolation_state state;
	int hours;                         /* 1..720 */
	int spo2_below;                    /* 51..100 */
	int limit;                         /* 1..ISOLATION_LIST_MAX */
};

/* Officials and health workers in scope of in->unit_code, for a person in
 * their scope without an active isolation; fills in->id. */
int store_isolation_create(struct store *st, const struct store_actor *actor,
                           struct isolation *in, struct error *err);
/* A daily check-in (officials, health workers, the hamlet's team members):
 * SpO2 50..100 and/or temperature 34..43; the isolation must be active. */
int store_isolation_checkin(struct store *st, const struct store_actor *actor,
                            const struct checkin *c, int64_t *id, struct error *err);
/* Officials and health workers; released_on not before started_on. */
int store_isolation_release(struct store *st, const struct store_actor *actor,
                            int64_t id, const char *released_on, struct error *err);
/* Isolations in the subtree visible to officials, health workers and team
 * members in scope; names are read (and audited as "person.read") only for
 * officials and health workers. */
int store_isolations_list(struct store *st, const struct store_actor *actor,
                          const struct isolation_query *q, struct arena *a,
                          struct isolation **out, size_t *n, struct error *err);
/* Check-ins of one isolation, newest first (same readers as the list);
 * audited as "person.read". */
int store_isolation_checkins(struct store *st, const struct store_actor *actor,
                             int64_t id, struct arena *a, struct checkin **out,
                             size_t *n, struct error *err);
/* FOR TESTS ONLY: inserts a bare person (name, unit) without audit, so the
 * follow-up suites need not depend on case reporting.  Not used by the
 * server or the CLI. */
int store_test_person(struct store *st, const char *full_name, const char *unit_code,
                      int64_t *id, struct error *err);
/* FOR TESTS ONLY: a bare case of a person in a unit on a day (zone end rule
 * tests), without audit. */
int store_test_case(struct store *st, int64_t person_id, const char *unit_code,
                    const char *detected_on, int64_t *id, struct error *err);

/* ---- zones (src/store/zones.c) ---- */
struct zone_rule;                      /* domain/zone.h */
struct zone {
	int64_t id;
	const char *unit_code;
	const char *unit_name, *unit_level; /* reads */
	const char *area_name;             /* NULL: the whole unit */
	const char *reason;
	const char *started_on, *planned_end, *ended_on;   /* NULL: none */
	const char *end_override_reason;
	int64_t created_at_ms;
	const char *created_by;
};
struct zone_count {
	const char *code, *name, *level;
	int64_t active;
};
/* Officials in scope; a household, hamlet or commune; fills z->id. */
int store_zone_create(struct store *st, const struct store_actor *actor,
                      struct zone *z, struct error *err);
/* Zones active on `day` (started, not ended) in the subtree of `unit`, for
 * officials, health workers and team members in scope. */
int store_zones_list(struct store *st, const struct store_actor *actor,
                     const char *unit, const char *day, struct arena *a,
                     struct zone **out, size_t *n, struct error *err);
/* Public numbers: active zones in the subtree of a public unit, and per
 * public child. */
int store_zones_count(struct store *st, const char *unit, const char *day,
                      struct arena *a, int64_t *total, struct zone_count **children,
                      size_t *n, struct error *err);
/* Ends a zone (officials in scope) under the end rule (NULL: default);
 * *overridden = 1 when only override_reason allowed it (audited as
 * "zone.end_override"). */
int store_zone_end(struct store *st, const struct store_actor *actor, int64_t id,
                   const char *ended_on, const char *override_reason,
                   const struct zone_rule *rule, int *overridden, struct error *err);

/* ---- vaccination coverage and treatment capacity (src/store/coverage.c) ---- */
#define COVERAGE_ROWS_MAX 20000
/* One age group of a unit-week; numbers < 0 are missing (booster only). */
struct vaccination_row {
	const char *unit_code, *week_end;
	const char *age_group;             /* "18+", "50+", "65+", "high_risk", "all" */
	int64_t population, dose1, full_dose, booster;
	long line;                         /* import line; 0: none */
};
struct capacity_row {
	const char *unit_code, *week_end;
	int capacity_met;                  /* 0/1; -1 missing */
	const char *capacity;              /* high|medium|low; NULL missing */
	int64_t beds_free, icu_beds_free, mobile_teams;   /* -1 missing */
	int oxygen_ready;                  /* 0/1; -1 missing */
	int64_t updated_at_ms;             /* reads */
	const char *updated_by;            /* reads */
	long line;
};
/* Officials and health workers in scope.  Checks full_dose <= dose1 <=
 * population and booster <= full_dose, naming group and field (and line).
 * replace_week: the rows are all of their unit-week (other groups go).
 * All or nothing. */
int store_vaccination_put(struct store *st, const struct store_actor *actor,
                          const struct vaccination_row *rows, size_t n,
                          int replace_week, struct error *err);
/* Groups of a unit-week (unit visible to the actor), ordered by group. */
int store_vaccination_get(struct store *st, const struct store_actor *actor,
                          const char *unit_code, const char *week_end,
                          struct arena *a, struct vaccination_row **out,
                          size_t *n, struct error *err);
int store_capacity_put(struct store *st, const struct store_actor *actor,
                       const struct capacity_row *rows, size_t n, struct error *err);
/* THC_ENOTFOUND when nothing is stored for the unit-week. */
int store_capacity_get(struct store *st, const struct store_actor *actor,
                       const char *unit_code, const char *week_end, struct arena *a,
                       struct capacity_row *out, struct error *err);
/* Fills the level-rule inputs these tables know for a unit-week (vaccination
 * percentages 0..100, capacity_met, capacity), leaving the other fields of
 * *io alone; a group without data leaves its field as it was.  No scope
 * (system use, e.g. assessment). */
int store_level_inputs_from_coverage(struct store *st, const char *unit_code,
                                     const char *week_end, struct level_indicators *io,
                                     struct error *err);

/* ---- surveillance: people, cases (F0), contacts (F1/F2), clusters, tests ----
 * Personal records are visible only to roles in ROLE_MASK_PERSONAL whose
 * scope holds the record's unit; others get THC_ENOTFOUND.  Reads of
 * personal data write an audit row in the same call. */
struct person {
	int64_t id;
	const char *full_name;
	const char *id_number;        /* NULL when unknown */
	int64_t birth_year;           /* -1 when unknown */
	const char *sex, *phone;      /* NULL when unknown */
	const char *unit_code;        /* commune, hamlet or household */
	const char *address;
	int64_t merged_into;          /* reads: 0 unless merged */
	const char *commune_code;     /* reads: the commune the record belongs to */
};

struct case_rec {
	int64_t id;                   /* filled by create / reads */
	const char *external_id;      /* NULL: none */
	struct person person;         /* the unit is where the case lives */
	const char *detected_on, *source, *test_type, *severity, *care_place;
	int needs_oxygen;
	const char *outcome, *outcome_on;   /* NULL: open */
	int64_t cluster_id, infected_by;    /* 0: none */
	/* reads */
	const char *unit_path, *commune_code, *province_code;
	int64_t created_at_ms;
	long line;                    /* imports: input line */
};

struct case_query {
	const char *unit;             /* subtree; NULL: all in scope */
	const char *from, *to;        /* detected_on range, NULL: open */
	int64_t cursor;               /* id of the last row of the previous page; 0: start */
	int limit;
};

/* Creates the case (and its person, or links the one with the same ID
 * number, filling in fields it lacks).  Fills c->id and c->person.id. */
int store_case_create(struct store *st, const struct store_actor *actor,
                      struct case_rec *c, struct error *err);
int store_case_get(struct store *st, const struct store_actor *actor, int64_t id,
                   struct arena *a, struct case_rec *out, struct error *err);
/* Cases newest last by id; *next is the cursor of the next page or 0. */
int store_cases_list(struct store *st, const struct store_actor *actor,
                     const struct case_query *q, struct arena *a,
                     struct case_rec **out, size_t *n, int64_t *next,
                     struct error *err);
/* Changes severity/care_place/outcome/outcome_on (NULL: unchanged). */
struct case_patch {
	const char *severity, *care_place, *outcome, *outcome_on;
};
int store_case_update(struct store *st, const struct store_actor *actor, int64_t id,
                      const struct case_patch *p, struct error *err);
/* Bulk import by external_id (required): new rows are inserted, identical
 * ones skipped, changed ones updated (audited).  All or nothing. */
int store_cases_import(struct store *st, const struct store_actor *actor,
                       const struct case_rec *rows, size_t n, size_t *inserted,
                       size_t *updated, size_t *skipped, struct error *err);
/* Merges person `id` into `into` (two records of one commune): cases,
 * contacts, tests and links move; audited. */
int store_person_merge(struct store *st, const struct store_actor *actor, int64_t id,
                       int64_t into, struct error *err);

/*
 * Links (src/store/people.c): a record made in another commune about a
 * person whose oldest record (home) is here.  Read and decided by the
 * officials and health workers in scope of the home record.
 */
#define PERSON_LINKS_MAX 500
struct person_link {
	int64_t id;
	struct person person;         /* the home record, as it is now */
	const char *record;           /* "case", "contact", "test" */
	const char *record_commune;   /* where it was made (a public unit) */
	const char *record_on, *detail;
	const char *proposed_json;    /* {"phone":"..."} the fields that differ; NULL: none */
	const char *status;           /* open, accepted, dismissed */
	int64_t created_at_ms, decided_at_ms;
	const char *decided_by, *decision_note;
};
struct person_link_query {
	const char *unit;             /* subtree; NULL: all in scope */
	const char *status;           /* NULL: any */
	int64_t cursor;               /* id of the last row of the previous page; 0: start */
	int limit;                    /* 1..PERSON_LINKS_MAX */
};
/* Newest first; *next is the cursor of the next page or 0.  Audited as a
 * read of personal data. */
int store_person_links_list(struct store *st, const struct store_actor *actor,
                            const struct person_link_query *q, struct arena *a,
                            struct person_link **out, size_t *n, int64_t *next,
                            struct error *err);
/* Accepts (copying the proposed fields named in `fields`, NULL-terminated;
 * NULL: all of them, into the home record) or dismisses an open link. */
int store_person_link_decide(struct store *st, const struct store_actor *actor, int64_t id,
                             int accept, const char *const *fields, const char *note,
                             struct error *err);

struct contact_rec {
	int64_t id, case_id;
	struct person person;
	int degree;                   /* 1 or 2 */
	const char *exposure_on, *setting;
	const char *quarantine_start, *quarantine_end, *quarantine_rule;
	int64_t created_at_ms;
};
int store_contact_create(struct store *st, const struct store_actor *actor,
                         struct contact_rec *c, struct error *err);
int store_contacts_list(struct store *st, const struct store_actor *actor,
                        int64_t case_id, struct arena *a, struct contact_rec **out,
                        size_t *n, struct error *err);

struct cluster_rec {
	int64_t id;
	const char *name, *unit_code, *opened_on, *closed_on;
	struct case_rec *cases;
	size_t ncases;
	struct contact_rec *contacts;
	size_t ncontacts;
};
int store_cluster_create(struct store *st, const struct store_actor *actor,
                         struct cluster_rec *c, struct error *err);
/* The cluster with its cases (and the cases they infected) and contacts. */
int store_cluster_get(struct store *st, const struct store_actor *actor, int64_t id,
                      struct arena *a, struct cluster_rec *out, struct error *err);

struct test_rec {
	int64_t id;
	struct person person;
	const char *taken_on, *test_type, *result;
	int64_t case_id;              /* filled when a case was opened */
};
/* open_case (may be NULL): a positive test opens this case in the same
 * transaction (its person and test_type are taken from the test). */
int store_test_create(struct store *st, const struct store_actor *actor,
                      struct test_rec *t, struct case_rec *open_case,
                      struct error *err);

/* Aggregates per ISO week (Monday..Sunday, week_end the Sunday). */
struct case_week {
	const char *week_end;
	const char *commune_code;     /* store_cases_weekly_communes only */
	int64_t cases, community, quarantine, imported, oxygen, deaths;
};
/* Weeks of a unit (a commune or any unit above it) with week_end in
 * [from_week, to_week], only weeks with figures, ascending.  Public: no
 * personal data.  A province (and the country) also counts the published
 * daily figures of days on which it has no individual case. */
int store_cases_weekly(struct store *st, const char *code, const char *from_week,
                       const char *to_week, struct arena *a, struct case_week **out,
                       size_t *n, int64_t *population, struct error *err);
/* Every commune's weeks in one query (commune, week ascending); rows are
 * counted, and given to fn when not NULL. */
int store_cases_weekly_communes(struct store *st, const char *from_week,
                                const char *to_week,
                                void (*fn)(void *ctx, const struct case_week *w),
                                void *ctx, size_t *rows, struct error *err);

struct hamlet_f0 {
	const char *code, *name;
	const char *last_case_on;     /* NULL: never */
};
/* Hamlets of a commune visible to the actor (officials, health workers and
 * team members in scope) with the day of their last case up to `date`. */
int store_hamlets_last_case(struct store *st, const struct store_actor *actor,
                            const char *commune, const char *date, struct arena *a,
                            struct hamlet_f0 **out, size_t *n, struct error *err);

/* Published daily counts per province (date,province_code,new_cases,community_cases). */
struct daily_cases_row {
	const char *day, *province_code;
	int64_t new_cases, community_cases;   /* community -1: unknown */
	long line;
};
int store_daily_cases_import(struct store *st, const struct store_actor *actor,
                             const struct daily_cases_row *rows, size_t n,
                             size_t *stored, struct error *err);

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
