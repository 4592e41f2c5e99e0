/*
 * Shared by the Open311 handlers (open311.c, open311_post.c).
 */
#ifndef THC_API_OPEN311_H
#define THC_API_OPEN311_H

#include "api/api.h"
#include "domain/open311.h"

struct open311_request;

/* The service attribute naming the place (a unit code). */
#define O311_ATTR_UNIT "unit_code"

/* The format of the resource: the route argument `arg` is the suffix
 * alone ("fmt") or "name.fmt" (then *name gets the name, in the arena). */
int o311_format(struct api_ctx *r, const struct route_args *a, const char *arg,
                const char **name, enum open311_format *fmt);
/* Replies v (taken) as JSON, or as XML under `root`. */
int o311_reply(struct api_ctx *r, enum open311_format fmt, unsigned status, const char *root,
               json_t *v);
/* Replies r->err as the specification's error list (400, 403, 404, 429);
 * 5xx are left to the dispatcher (their details go to the log only). */
int o311_fail(struct api_ctx *r, enum open311_format fmt, int rc);
/* jurisdiction_id: 0 absent, 1 a province code, THC_ENOTFOUND otherwise. */
int o311_jurisdiction(struct api_ctx *r, const char *j);
/* Is service `code` offered at `unit` (a national category anywhere; a
 * province's own in use within it; NULL unit: national only)?  1, 0, or <0. */
int o311_service_offered(struct api_ctx *r, const char *unit, const char *code);
json_t *o311_request_json(struct api_ctx *r, const struct open311_request *o);

#endif
