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

/* Published levels (date,unit_code,level[,unit_name,listed,source]) as
 * rows; shared by the API and `thichung import levels`. */
struct csvtab;
extern const char *const api_levels_known[];
extern const char *const api_levels_required[];
int api_levels_rows(const struct csvtab *t, struct level_decision_row *rows,
                    struct error *err);

/* Checks a measures file ({"1":[{"area","vi","en"}...],...,"4":[...]}) and
 * gives each level's list as JSON text (caller free()s each). */
int api_measures_parse(const char *text, size_t len, char *out[5], struct error *err);

/* Shared JSON shapes. */
json_t *api_unit_json(const struct unit *u);
json_t *api_user_json(struct req *r, const struct user *u);
/* A query parameter as a positive integer within [min, max]; 1 if absent. */
int api_query_int(struct req *r, const char *name, int64_t min, int64_t max,
                  int64_t *out);
/* A query date YYYY-MM-DD as the UTC ms of the start of that VN day (+ days). */
int api_query_day(struct req *r, const char *name, int plus_days, int64_t *out_ms);

#endif
