/*
 * The JSON API: the routes table and dispatcher (dispatch.c), then the
 * handlers, one file per resource.  A handler sees a struct api_ctx: the
 * HTTP request, a database connection held only while it runs, the caller
 * and the application's shared rules.
 */
#ifndef THC_API_H
#define THC_API_H

#include <jansson.h>
#include "base/error.h"
#include "http/http.h"
#include "http/route.h"
#include "store/store.h"

struct throttle_rules;
struct level_catalog;
struct zone_rule;
struct quarantine_rules;
struct feedback_rules;
struct business_risk_rules;
struct dhis2_map;
struct dhis2_value;
struct geo_boundaries;
struct geoloc;
struct lazy;
struct support_catalog;
struct insp_templates;

/* Shared by every request; read-only after start. */
struct api_app {
	struct store_pool *pool;
	struct store_pool *read_pool;    /* --db-read: a replica for public reads; NULL: none */
	const struct throttle_rules *login_rules; /* sign-in throttling (domain/throttle.h) */
	const struct level_catalog *levels; /* epidemic-level rule sets */
	const struct zone_rule *zones;   /* zone end rule; NULL: the default */
	const struct quarantine_rules *quarantine; /* dated quarantine rules for contacts */
	struct pubcache *cache;          /* public answers kept in memory (pubcache.h) */
	const struct feedback_rules *feedback; /* feedback categories and holidays */
	const struct business_risk_rules *business; /* the 2194 self-assessment (domain/business.h) */
	const struct dhis2_map *dhis2;   /* DHIS2 ids of units and indicators (domain/dhis2.h) */
	struct lazy *geo;                /* a struct api_geo made on first need; NULL: none */
	const struct support_catalog *support; /* support programmes (domain/support.h) */
	struct api_anon_limit *anon;     /* anonymous feedback per address; NULL: none */
	const struct insp_templates *inspections; /* checklist templates (domain/inspection.h) */
};

/* The unit boundaries, read from the data directory on first need
 * (base/lazy.h) so that a start does not wait for 2 MB of GeoJSON. */
struct api_geo {
	struct geo_boundaries *bounds;   /* by code, for the GeoJSON map (domain/geo.h) */
	struct geoloc *locator;          /* points to districts (domain/geoloc.h) */
};
/* app's boundaries, waiting while they are read; NULL when there are none. */
const struct api_geo *api_geo(const struct api_app *app);

/* Idempotency-Key (idempotency.c), around a write route's handler:
 * api_idem_key checks the header (*key NULL: none, or not a write);
 * api_idem_begin answers a repeated key (1: replied) or arms the write;
 * api_idem_end records the answer of a write that committed. */
struct api_ctx;
int api_idem_key(struct api_ctx *r, const char **key);
int api_idem_begin(struct api_ctx *r, const char *key);
void api_idem_end(struct api_ctx *r);

/* One request as a handler sees it. */
struct api_ctx {
	struct http_req *http;
	const struct api_app *app;
	struct arena *arena;             /* the request's: freed when it completes */
	struct store *st;                /* from the pool, only while the handler runs */
	struct store_pool *st_pool;      /* the pool st came from */
	struct user *user;               /* NULL: anonymous */
	struct store_actor actor;
	const char *token_hash;          /* the session's, when signed in */
	int via_cookie;
	json_t *json;                    /* the body, on routes that take JSON */
	struct error err;
};

enum api_access {
	API_PUBLIC,                      /* anyone; the caller is identified if signed in */
	API_SIGNED_IN,                   /* 401 without a valid session */
	API_NO_DB,                       /* anyone, and no database connection (health) */
	API_SIGNED_IN_OR_KEY,            /* as API_SIGNED_IN, or another system sending
	                                  * "Authorization: ApiKey <key>", which the
	                                  * handler checks (auth_api_key) */
};

enum api_body {
	API_BODY_NONE,                   /* a body is ignored */
	API_BODY_JSON,                   /* a JSON object (415, 400, 422 otherwise) */
	API_BODY_JSON_OPTIONAL,          /* a JSON object, or nothing */
	API_BODY_CSV,                    /* text/csv (415 otherwise), read by the handler */
	API_BODY_JSON_OR_CSV,            /* text/csv, else a JSON object */
	API_BODY_FORM,                   /* application/x-www-form-urlencoded, read and
	                                  * checked by the handler (its own error format) */
	API_BODY_BYTES,                  /* a file as it is (any Content-Type), whose kind
	                                  * the handler tells from its content */
};

enum api_cache {
	API_CACHE_NONE,                  /* neither kept nor a change of public data */
	API_CACHE_KEEP,                  /* a public read: anonymous answers are kept */
	API_CACHE_DROP,                  /* a write: its success makes kept answers stale */
};

typedef int (*api_fn)(struct api_ctx *r, const struct route_args *a);

/* A row of the table: who may call it (roles: a signed-in caller holding
 * none of them gets 403; the unit scope is the store's), and what body it
 * takes, both checked before the handler runs; and what it means for the
 * public answers kept in memory. */
struct api_route {
	const char *method;
	const char *pattern;
	api_fn fn;
	const char *name;                /* the handler's name: the OpenAPI operationId */
	enum api_access access;
	unsigned roles;                  /* ROLE_MASK_* (domain/role.h) */
	enum api_body body;
	enum api_cache cache;
};

extern const struct api_route api_routes[];
extern const size_t api_routes_count;

/* The transport's handler (http_handler): app is the struct api_app. */
void api_handle(void *app, struct http_req *r);
/* The JSON body the dispatcher read: a new reference, or THC_EINTERNAL on
 * a route that does not take JSON. */
int api_body_json(struct api_ctx *r, json_t **out);

int api_health(struct api_ctx *r, const struct route_args *a);
int api_login(struct api_ctx *r, const struct route_args *a);
int api_logout(struct api_ctx *r, const struct route_args *a);
int api_me(struct api_ctx *r, const struct route_args *a);
int api_units_list(struct api_ctx *r, const struct route_args *a);
int api_units_get(struct api_ctx *r, const struct route_args *a);
int api_units_create(struct api_ctx *r, const struct route_args *a);
int api_audit_list(struct api_ctx *r, const struct route_args *a);
int api_assignments_mine(struct api_ctx *r, const struct route_args *a);
int api_assignments_create(struct api_ctx *r, const struct route_args *a);
int api_assignments_report(struct api_ctx *r, const struct route_args *a);

/* The case page (casefile.c) and the pickers' search (search.c). */
int api_case_file(struct api_ctx *r, const struct route_args *a);
int api_people_patch(struct api_ctx *r, const struct route_args *a);
int api_search(struct api_ctx *r, const struct route_args *a);

int api_levels_map(struct api_ctx *r, const struct route_args *a);
int api_levels_changes(struct api_ctx *r, const struct route_args *a);
int api_levels_import(struct api_ctx *r, const struct route_args *a);
int api_levels_indicators(struct api_ctx *r, const struct route_args *a);
int api_levels_assess(struct api_ctx *r, const struct route_args *a);
int api_unit_levels(struct api_ctx *r, const struct route_args *a);
int api_unit_level_decide(struct api_ctx *r, const struct route_args *a);

/* Isolation follow-up (isolation.c), zones (zones.c), vaccination coverage
 * and treatment capacity (coverage.c). */
int api_isolations_create(struct api_ctx *r, const struct route_args *a);
int api_isolations_list(struct api_ctx *r, const struct route_args *a);
int api_isolation_checkin(struct api_ctx *r, const struct route_args *a);
int api_isolation_checkins(struct api_ctx *r, const struct route_args *a);
int api_isolation_release(struct api_ctx *r, const struct route_args *a);
int api_zones_create(struct api_ctx *r, const struct route_args *a);
int api_zones_list(struct api_ctx *r, const struct route_args *a);
int api_zone_end(struct api_ctx *r, const struct route_args *a);
int api_unit_zones_count(struct api_ctx *r, const struct route_args *a);
int api_vaccination_get(struct api_ctx *r, const struct route_args *a);
int api_vaccination_put(struct api_ctx *r, const struct route_args *a);
int api_vaccination_import(struct api_ctx *r, const struct route_args *a);
int api_capacity_get(struct api_ctx *r, const struct route_args *a);
int api_capacity_put(struct api_ctx *r, const struct route_args *a);
int api_capacity_import(struct api_ctx *r, const struct route_args *a);

/* Citizen feedback (feedback.c). */
int api_feedback_categories(struct api_ctx *r, const struct route_args *a);
int api_feedback_submit(struct api_ctx *r, const struct route_args *a);
int api_feedback_list(struct api_ctx *r, const struct route_args *a);
int api_feedback_mine(struct api_ctx *r, const struct route_args *a);
int api_feedback_get(struct api_ctx *r, const struct route_args *a);
int api_feedback_track(struct api_ctx *r, const struct route_args *a);
int api_feedback_acknowledge(struct api_ctx *r, const struct route_args *a);
int api_feedback_assign(struct api_ctx *r, const struct route_args *a);
int api_feedback_answer(struct api_ctx *r, const struct route_args *a);
int api_feedback_close(struct api_ctx *r, const struct route_args *a);
int api_feedback_reject(struct api_ctx *r, const struct route_args *a);
int api_feedback_reopen(struct api_ctx *r, const struct route_args *a);
int api_feedback_reassign(struct api_ctx *r, const struct route_args *a);
/* The officials' counts per unit below (feedback_stats.c). */
int api_feedback_stats(struct api_ctx *r, const struct route_args *a);
/* Tracking codes (feedback.c): a new one, and the hash of one as typed
 * (case, spaces and dashes forgiven); -1 when it cannot be a code. */
#define API_FEEDBACK_CODE_LEN 12
/* Feedback with a point (feedback_geo.c): locates f's point, setting its
 * geo_* fields and, when no place is given, its location_code (the point's
 * district); without a point or outside every district the place is
 * required (THC_EUNPROCESSABLE naming place_field), unless place_field is
 * NULL (the caller has other ways to find it).  Adds "geo" to an official's view of a request. */
struct feedback_item;
int api_feedback_locate(struct api_ctx *r, struct feedback_item *f, const char *place_field);
void api_feedback_geo_json(json_t *o, const struct feedback_item *f);
/* Photos (feedback_photos.c): the reporter's upload under the tracking
 * code, an official's download, and the list for an official's view. */
int api_feedback_photo_add(struct api_ctx *r, const struct route_args *a);
int api_feedback_photo_get(struct api_ctx *r, const struct route_args *a);
json_t *api_feedback_photos_json(struct api_ctx *r, const struct feedback_item *f);
/* A province's own categories (feedback_catalog.c): adding one, and those
 * of ?unit='s province appended to the public list. */
int api_feedback_category_add(struct api_ctx *r, const struct route_args *a);
int api_feedback_category_edit(struct api_ctx *r, const struct route_args *a);
int api_feedback_category_retire(struct api_ctx *r, const struct route_args *a);
int api_feedback_local_categories(struct api_ctx *r, json_t *items);
/* The monthly compilation (feedback_compile.c): the report (JSON, CSV,
 * HTML), forwarding a category's requests to a department, its answer. */
int api_feedback_compilation(struct api_ctx *r, const struct route_args *a);
int api_feedback_forward(struct api_ctx *r, const struct route_args *a);
int api_feedback_forward_answer(struct api_ctx *r, const struct route_args *a);
void api_feedback_new_code(char out[API_FEEDBACK_CODE_LEN + 1]);
int api_feedback_code_hash(const char *typed, char hash[65]);

/* Anonymous feedback submissions per client address (anonlimit.c): at
 * most `limit` in a window, counted in a table of API_ANON_SLOTS
 * addresses.  The check is 0 for a signed-in caller or within the limit,
 * else THC_ERATELIMIT with Retry-After. */
#define API_ANON_SLOTS 8192
#define API_ANON_LIMIT_DEFAULT 20
#define API_ANON_WINDOW_MS (10 * 60 * 1000LL)
struct api_anon_limit;
int api_anon_limit_new(int64_t limit, int64_t window_ms, struct api_anon_limit **out,
                       struct error *err);
void api_anon_limit_free(struct api_anon_limit *l);
int api_anon_limit_check(struct api_ctx *r);

/* Open311 GeoReport v2 (open311.c, open311_post.c): replies in JSON or
 * XML by the resource's suffix, errors as the specification's list. */
int api_open311_discovery(struct api_ctx *r, const struct route_args *a);
int api_open311_services(struct api_ctx *r, const struct route_args *a);
int api_open311_service(struct api_ctx *r, const struct route_args *a);
int api_open311_requests(struct api_ctx *r, const struct route_args *a);
int api_open311_request(struct api_ctx *r, const struct route_args *a);
int api_open311_token(struct api_ctx *r, const struct route_args *a);
int api_open311_post(struct api_ctx *r, const struct route_args *a);

/* Directives and tasks (directives.c), key tasks (keytasks.c). */
int api_directives_create(struct api_ctx *r, const struct route_args *a);
int api_directive_progress(struct api_ctx *r, const struct route_args *a);
int api_directive_remind(struct api_ctx *r, const struct route_args *a);
int api_task_report(struct api_ctx *r, const struct route_args *a);
int api_task_delegate(struct api_ctx *r, const struct route_args *a);
int api_unit_inbox(struct api_ctx *r, const struct route_args *a);
/* Links, a unit's directives (directive_links.c), files (directive_files.c). */
int api_directive_link(struct api_ctx *r, const struct route_args *a);
int api_directive_links_get(struct api_ctx *r, const struct route_args *a);
int api_unit_directives(struct api_ctx *r, const struct route_args *a);
int api_directive_attach(struct api_ctx *r, const struct route_args *a);
int api_directive_files(struct api_ctx *r, const struct route_args *a);
int api_directive_file(struct api_ctx *r, const struct route_args *a);
int api_directive_detach(struct api_ctx *r, const struct route_args *a);
/* Adds "links" and "attachments" (as the caller may see them) to a
 * directive's JSON object. */
int api_directive_extras(struct api_ctx *r, int64_t id, json_t *directive);
struct directive_file;
json_t *api_directive_file_json(struct api_ctx *r, const struct directive_file *f);
int api_keytasks_create(struct api_ctx *r, const struct route_args *a);
int api_keytasks_list(struct api_ctx *r, const struct route_args *a);
int api_keytask_progress(struct api_ctx *r, const struct route_args *a);
int api_keytask_review(struct api_ctx *r, const struct route_args *a);
/* Support to people in hardship (support.c, support_report.c). */
int api_support_programmes(struct api_ctx *r, const struct route_args *a);
int api_support_create(struct api_ctx *r, const struct route_args *a);
int api_support_list(struct api_ctx *r, const struct route_args *a);
int api_support_get(struct api_ctx *r, const struct route_args *a);
int api_support_approve(struct api_ctx *r, const struct route_args *a);
int api_support_reject(struct api_ctx *r, const struct route_args *a);
int api_support_note(struct api_ctx *r, const struct route_args *a);
int api_support_pay(struct api_ctx *r, const struct route_args *a);
int api_support_postings(struct api_ctx *r, const struct route_args *a);
int api_support_totals(struct api_ctx *r, const struct route_args *a);
int api_support_left_behind(struct api_ctx *r, const struct route_args *a);
/* What the public sends: a citizen's own application and its tracking, the
 * commune's verification, objections to a posted line (support_public.c). */
int api_support_self_submit(struct api_ctx *r, const struct route_args *a);
int api_support_track(struct api_ctx *r, const struct route_args *a);
int api_support_verify(struct api_ctx *r, const struct route_args *a);
int api_support_object(struct api_ctx *r, const struct route_args *a);
int api_support_objections(struct api_ctx *r, const struct route_args *a);
/* A business's workers for a programme, as CSV (support.c). */
int api_business_support(struct api_ctx *r, const struct route_args *a);
/* Businesses and their safe operation (business.c). */
int api_business_criteria(struct api_ctx *r, const struct route_args *a);
int api_businesses_create(struct api_ctx *r, const struct route_args *a);
int api_businesses_list(struct api_ctx *r, const struct route_args *a);
int api_businesses_get(struct api_ctx *r, const struct route_args *a);
int api_business_assess(struct api_ctx *r, const struct route_args *a);
int api_business_plan(struct api_ctx *r, const struct route_args *a);
int api_business_on_site(struct api_ctx *r, const struct route_args *a);
int api_business_case_link(struct api_ctx *r, const struct route_args *a);

/* Inspections (inspections.c), reward and discipline decisions
 * (decisions.c), emulation movements and rankings (emulation.c). */
int api_inspection_templates(struct api_ctx *r, const struct route_args *a);
int api_inspections_create(struct api_ctx *r, const struct route_args *a);
int api_inspections_list(struct api_ctx *r, const struct route_args *a);
int api_inspections_get(struct api_ctx *r, const struct route_args *a);
int api_inspection_findings(struct api_ctx *r, const struct route_args *a);
int api_inspection_conclude(struct api_ctx *r, const struct route_args *a);
int api_inspection_action_done(struct api_ctx *r, const struct route_args *a);
int api_decisions_create(struct api_ctx *r, const struct route_args *a);
int api_decisions_list(struct api_ctx *r, const struct route_args *a);
int api_decisions_public(struct api_ctx *r, const struct route_args *a);
int api_emulation_indicators(struct api_ctx *r, const struct route_args *a);
int api_emulation_create(struct api_ctx *r, const struct route_args *a);
int api_emulation_list(struct api_ctx *r, const struct route_args *a);
int api_emulation_rankings(struct api_ctx *r, const struct route_args *a);
int api_emulation_history(struct api_ctx *r, const struct route_args *a);

/* Published levels (date,unit_code,level[,unit_name,listed,source]) as
 * rows; shared by the API and `thichung import levels`. */
struct csvtab;
#define API_LEVEL_COLUMNS_MAX 16
/* The published-levels CSV's columns and the required ones, NULL-terminated. */
void api_levels_columns(const char *known[API_LEVEL_COLUMNS_MAX],
                        const char *required[API_LEVEL_COLUMNS_MAX]);
int api_levels_rows(const struct csvtab *t, struct level_decision_row *rows, int32_t today,
                    struct error *err);

int api_cases_create(struct api_ctx *r, const struct route_args *a);
int api_cases_list(struct api_ctx *r, const struct route_args *a);
int api_cases_get(struct api_ctx *r, const struct route_args *a);
int api_cases_patch(struct api_ctx *r, const struct route_args *a);
int api_cases_import(struct api_ctx *r, const struct route_args *a);
int api_contacts_create(struct api_ctx *r, const struct route_args *a);
int api_contacts_list(struct api_ctx *r, const struct route_args *a);
int api_contacts_due(struct api_ctx *r, const struct route_args *a);
struct contact_rec;
/* A contact as the API shows it (the person as api_person_json). */
json_t *api_contact_json(const struct contact_rec *c);
int api_people_merge(struct api_ctx *r, const struct route_args *a);
int api_person_links_list(struct api_ctx *r, const struct route_args *a);
int api_person_link_accept(struct api_ctx *r, const struct route_args *a);
int api_person_link_dismiss(struct api_ctx *r, const struct route_args *a);
int api_clusters_create(struct api_ctx *r, const struct route_args *a);
int api_clusters_get(struct api_ctx *r, const struct route_args *a);
int api_tests_create(struct api_ctx *r, const struct route_args *a);
int api_unit_weekly(struct api_ctx *r, const struct route_args *a);
int api_unit_f0_free(struct api_ctx *r, const struct route_args *a);
/* Area roll-ups: the units below for a week; isolations per unit below. */
int api_unit_children_week(struct api_ctx *r, const struct route_args *a);
int api_isolations_rollup(struct api_ctx *r, const struct route_args *a);

/* Case CSV (external_id, full_name, ... outcome_on) as rows checked against
 * `today` (days); shared by the API and `thichung import cases`.  Strings
 * are borrowed from the table. */
struct case_rec;
#define API_CASE_COLUMNS_MAX 32
/* The case CSV's columns and the required ones, NULL-terminated. */
void api_cases_columns(const char *known[API_CASE_COLUMNS_MAX],
                       const char *required[API_CASE_COLUMNS_MAX]);
/* Reads every row of t into rows; the lines that fail, and when some do,
 * those the database's checks find bad among the others
 * (store_cases_check), go to *bad in line order, at most bad->max.
 * 0 (bad->n may be > 0), or < 0 when the store failed. */
struct store_bad_lines;
int api_cases_rows(struct store *st, const struct store_actor *actor, const struct csvtab *t,
                   struct case_rec *rows, int32_t today, struct store_bad_lines *bad,
                   struct error *err);

/* Interoperability: the OpenAPI 3.1 document built from the
 * routes table (openapi.c; a new reference, NULL when out of memory). */
json_t *api_openapi_doc(void);
int api_openapi(struct api_ctx *r, const struct route_args *a);
/* DHIS2 exchange (exchange.c): the weekly values of a unit (a province,
 * district or commune, or VN) and with `children` its public children, for
 * the weeks whose Sunday lies in [from, to] (YYYY-MM-DD, at most two
 * years), ordered by unit then week; in the arena a. */
int api_dhis2_collect(struct store *st, const struct store_actor *actor, const char *unit,
                      int children, const char *from, const char *to, struct arena *a,
                      struct dhis2_value **out, size_t *n, struct error *err);
int api_exchange_json(struct api_ctx *r, const struct route_args *a);
int api_exchange_adx(struct api_ctx *r, const struct route_args *a);
/* DHIS2 import (exchange_import.c): a dataValueSets or ADX text as a
 * dataValueSets document (a new reference in *doc). */
int api_dhis2_parse(const char *text, size_t len, json_t **doc, struct error *err);
/* Checks and stores a dataValueSets document, all or nothing, and gives
 * DHIS2's ImportSummary in *summary (a new reference; conflicts: nothing
 * stored).  With `scoped`, each unit must be in the actor's write scope;
 * with `root` (an API key's unit), within that unit's subtree. */
int api_dhis2_import(struct store *st, const struct store_actor *actor, int scoped,
                     const char *root,
                     const struct dhis2_map *m, json_t *doc, struct arena *a,
                     json_t **summary, struct error *err);
/* THC_ETOOBIG naming the limit when an import document is over
 * DHIS2_IMPORT_BYTES_MAX (domain/dhis2.h). */
int api_dhis2_size_check(size_t len, struct error *err);
int api_exchange_import_json(struct api_ctx *r, const struct route_args *a);
int api_exchange_import_adx(struct api_ctx *r, const struct route_args *a);
/* Excel replies (xlsx.c): one sheet, a frozen bold header, each column a
 * member of the rows' objects written as its type (numbers as numbers,
 * YYYY-MM-DD text as a date shown dd/mm/yyyy), widths from the text.
 * Takes the reference to items; sent as an attachment, never cached. */
enum api_xlsx_type { API_XLSX_TEXT, API_XLSX_INT, API_XLSX_DEC1, API_XLSX_DATE,
                     API_XLSX_TIME /* RFC 3339: dd/mm/yyyy hh:mm, Vietnam's time */ };
struct api_xlsx_col {
	const char *key;                 /* a member; "a.b": member b of member a */
	const char *title;               /* Vietnamese */
	enum api_xlsx_type type;
};
int api_reply_xlsx(struct api_ctx *r, const char *sheet, const char *filename,
                   const struct api_xlsx_col *cols, size_t ncols, json_t *items);
/* The same with a note (NULL: none) in italics two rows under the last:
 * that the file holds only the first rows, and how to get the rest. */
int api_reply_xlsx_note(struct api_ctx *r, const char *sheet, const char *filename,
                        const struct api_xlsx_col *cols, size_t ncols, json_t *items,
                        const char *note);
/* A column's value in a row (the key's path followed), or NULL. */
json_t *api_xlsx_get(json_t *row, const char *key);
/* A list download written once as typed rows (JSON objects, a new
 * reference taken) and rendered as CSV (the keys as header) or Excel (the
 * titles), "<name>.csv" or "<name>.xlsx", X-Next-Cursor when more (table.c). */
enum api_table_format { API_TABLE_JSON, API_TABLE_CSV, API_TABLE_XLSX };
/* The `format` query parameter: json (or none), csv or xlsx; 400 otherwise. */
int api_table_format(struct api_ctx *r, enum api_table_format *out);
int api_reply_table(struct api_ctx *r, enum api_table_format fmt, const char *name,
                    const struct api_xlsx_col *cols, size_t ncols, json_t *rows, int64_t next);
/* The feedback queue as a CSV or Excel file (feedback_table.c). */
struct feedback_item;
int api_feedback_table(struct api_ctx *r, enum api_table_format fmt,
                       const struct feedback_item *f, size_t n, int64_t next);
/* The same where the list stopped at a cap with more rows left (`more`):
 * the Excel file says so under its rows, with the cursor when there is one
 * (next), so no download is cut short silently. */
int api_reply_table_more(struct api_ctx *r, enum api_table_format fmt, const char *name,
                         const struct api_xlsx_col *cols, size_t ncols, json_t *rows,
                         int64_t next, int more);
/* A list route's JSON answer, or its file when ?format= asks for one:
 * body is the JSON answer (taken), its "items" the rows. */
int api_reply_list(struct api_ctx *r, enum api_table_format fmt, const char *name,
                   const struct api_xlsx_col *cols, size_t ncols, json_t *body, int more);
/* The level assessment from surveillance: the unit's figures reported
 * through DHIS2 for the week ending x->week_end (bit 1 of *used) and the
 * week before, ending prev_end (bit 2), in place of those counted from case
 * records (levels_reported.c; docs/levels.md says why). */
struct level_indicators;
int api_levels_reported(struct api_ctx *r, struct level_indicators *x, const char *prev_end,
                        int *used);
/* Lists the web shows as files, for handlers that answer JSON only
 * (exports.c): whether fn has a file form, and, when ?format= asks for a
 * file, running fn with its JSON kept and replying the file (*done 1). */
int api_export_known(api_fn fn);
int api_export_run(struct api_ctx *r, api_fn fn, const struct route_args *a, int *done);
/* Reports as Excel files (reports.c). */
int api_levels_xlsx(struct api_ctx *r, const struct route_args *a);
int api_situation_xlsx(struct api_ctx *r, const struct route_args *a);
/* The level map as GeoJSON (geo.c). */
int api_levels_geojson(struct api_ctx *r, const struct route_args *a);

/* Hotline numbers and duty rosters of a unit (hotlines.c). */
int api_unit_hotlines(struct api_ctx *r, const struct route_args *a);
int api_unit_hotlines_put(struct api_ctx *r, const struct route_args *a);
int api_unit_duty_get(struct api_ctx *r, const struct route_args *a);
int api_unit_duty_put(struct api_ctx *r, const struct route_args *a);

/* Shared JSON shapes. */
json_t *api_person_json(const struct person *p);
json_t *api_unit_json(const struct unit *u);
json_t *api_user_json(struct api_ctx *r, const struct user *u);
/* A query parameter as a positive integer within [min, max]; 1 if absent. */
int api_query_int(struct api_ctx *r, const char *name, int64_t min, int64_t max,
                  int64_t *out);
/* The request's day in Việt Nam (days since 1970-01-01): "today" for the checks. */
int32_t api_today(const struct api_ctx *r);
/* The {id} of the path as a positive integer; 404 otherwise. */
int api_id_arg(struct api_ctx *r, const struct route_args *a, int64_t *id);
/* A query date YYYY-MM-DD as the UTC ms of the start of that VN day (+ days). */
int api_query_day(struct api_ctx *r, const char *name, int plus_days, int64_t *out_ms);
/* A query date YYYY-MM-DD (today in Việt Nam when absent), as YYYY-MM-DD. */
int api_query_iso_day(struct api_ctx *r, const char *name, char out[11]);

/* Lists sorted by the server (listsort.c): ?sort= one of names[0..n-1]
 * (names[0] when absent), ?order=asc|desc (asc when absent) and ?cursor=,
 * the `next` of the page before: "KEY.ID" (*key in the arena, the last
 * row's key, and *id its id), or with id_first, in the first order (by
 * id), the last id alone (*key NULL); *key NULL and *id 0 without a
 * cursor.  400 naming the parameter otherwise (api_list_cursor_bad: a key
 * of the wrong shape).  api_list_key_day: whether a key is a day
 * YYYY-MM-DD.  The `next` of a page from its last row's key and id (null
 * when id is 0). */
int api_list_sort(struct api_ctx *r, const char *const *names, int n, int id_first, int *sort,
                  int *desc, const char **key, int64_t *id);
int api_list_cursor_bad(struct api_ctx *r);
int api_list_key_day(const char *key);
json_t *api_list_next(struct api_ctx *r, const char *key, int64_t id);
json_t *api_list_next_num(struct api_ctx *r, int64_t key, int64_t id);

#endif
