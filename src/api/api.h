/*
 * Handlers of the JSON API, one file per resource; the table is routes.c.
 */
#ifndef THC_API_H
#define THC_API_H

#include "http/router.h"

int api_health(struct req *r, const struct route_args *a);
int api_login(struct req *r, const struct route_args *a);
int api_logout(struct req *r, const struct route_args *a);
int api_me(struct req *r, const struct route_args *a);
int api_units_list(struct req *r, const struct route_args *a);
int api_units_get(struct req *r, const struct route_args *a);
int api_units_create(struct req *r, const struct route_args *a);
int api_audit_list(struct req *r, const struct route_args *a);
int api_assignments_mine(struct req *r, const struct route_args *a);
int api_assignments_create(struct req *r, const struct route_args *a);
int api_assignments_report(struct req *r, const struct route_args *a);

int api_levels_map(struct req *r, const struct route_args *a);
int api_levels_changes(struct req *r, const struct route_args *a);
int api_levels_import(struct req *r, const struct route_args *a);
int api_levels_indicators(struct req *r, const struct route_args *a);
int api_levels_assess(struct req *r, const struct route_args *a);
int api_unit_levels(struct req *r, const struct route_args *a);
int api_unit_level_decide(struct req *r, const struct route_args *a);

/* Isolation follow-up (isolation.c), zones (zones.c), vaccination coverage
 * and treatment capacity (coverage.c). */
int api_isolations_create(struct req *r, const struct route_args *a);
int api_isolations_list(struct req *r, const struct route_args *a);
int api_isolation_checkin(struct req *r, const struct route_args *a);
int api_isolation_checkins(struct req *r, const struct route_args *a);
int api_isolation_release(struct req *r, const struct route_args *a);
int api_zones_create(struct req *r, const struct route_args *a);
int api_zones_list(struct req *r, const struct route_args *a);
int api_zone_end(struct req *r, const struct route_args *a);
int api_unit_zones_count(struct req *r, const struct route_args *a);
int api_vaccination_get(struct req *r, const struct route_args *a);
int api_vaccination_put(struct req *r, const struct route_args *a);
int api_vaccination_import(struct req *r, const struct route_args *a);
int api_capacity_get(struct req *r, const struct route_args *a);
int api_capacity_put(struct req *r, const struct route_args *a);
int api_capacity_import(struct req *r, const struct route_args *a);

/* Published levels (date,unit_code,level[,unit_name,listed,source]) as
 * rows; shared by the API and `thichung import levels`. */
struct csvtab;
#define API_LEVEL_COLUMNS_MAX 16
/* The published-levels CSV's columns and the required ones, NULL-terminated. */
void api_levels_columns(const char *known[API_LEVEL_COLUMNS_MAX],
                        const char *required[API_LEVEL_COLUMNS_MAX]);
int api_levels_rows(const struct csvtab *t, struct level_decision_row *rows, int32_t today,
                    struct error *err);

int api_cases_create(struct req *r, const struct route_args *a);
int api_cases_list(struct req *r, const struct route_args *a);
int api_cases_get(struct req *r, const struct route_args *a);
int api_cases_patch(struct req *r, const struct route_args *a);
int api_cases_import(struct req *r, const struct route_args *a);
int api_contacts_create(struct req *r, const struct route_args *a);
int api_contacts_list(struct req *r, const struct route_args *a);
int api_people_merge(struct req *r, const struct route_args *a);
int api_person_links_list(struct req *r, const struct route_args *a);
int api_person_link_accept(struct req *r, const struct route_args *a);
int api_person_link_dismiss(struct req *r, const struct route_args *a);
int api_clusters_create(struct req *r, const struct route_args *a);
int api_clusters_get(struct req *r, const struct route_args *a);
int api_tests_create(struct req *r, const struct route_args *a);
int api_unit_weekly(struct req *r, const struct route_args *a);
int api_unit_f0_free(struct req *r, const struct route_args *a);

/* Case CSV (external_id, full_name, ... outcome_on) as rows checked against
 * `today` (days); shared by the API and `thichung import cases`.  Strings
 * are borrowed from the table. */
struct case_rec;
#define API_CASE_COLUMNS_MAX 32
/* The case CSV's columns and the required ones, NULL-terminated. */
void api_cases_columns(const char *known[API_CASE_COLUMNS_MAX],
                       const char *required[API_CASE_COLUMNS_MAX]);
int api_cases_rows(const struct csvtab *t, struct case_rec *rows, int32_t today,
                   struct error *err);

/* Shared JSON shapes. */
json_t *api_person_json(const struct person *p);
json_t *api_unit_json(const struct unit *u);
json_t *api_user_json(struct req *r, const struct user *u);
/* A query parameter as a positive integer within [min, max]; 1 if absent. */
int api_query_int(struct req *r, const char *name, int64_t min, int64_t max,
                  int64_t *out);
/* The request's day in Việt Nam (days since 1970-01-01): "today" for the checks. */
int32_t api_today(const struct req *r);
/* The {id} of the path as a positive integer; 404 otherwise. */
int api_id_arg(struct req *r, const struct route_args *a, int64_t *id);
/* A query date YYYY-MM-DD as the UTC ms of the start of that VN day (+ days). */
int api_query_day(struct req *r, const char *name, int plus_days, int64_t *out_ms);

#endif
