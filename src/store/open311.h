/*
 * Citizen feedback as Open311 GeoReport v2 shows it to anyone (open311.c):
 * the public columns of a request only, never the reporter's contact.
 * Strings live in the caller's arena.
 */
#ifndef THC_STORE_OPEN311_H
#define THC_STORE_OPEN311_H

#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/error.h"

struct store;

struct open311_request {
	int64_t id;
	const char *category, *status;
	const char *category_name;     /* a province's own category's name; NULL: national */
	const char *location_code;     /* the unit it is about */
	const char *holder_name;       /* the unit that holds it now */
	const char *holder_deadline;   /* YYYY-MM-DD */
	int64_t created_at_ms, updated_at_ms;
};

struct open311_query {
	const char *ids;               /* ",1,2,": these only (overrides the rest); NULL: any */
	const char *categories;        /* ",a,b,"; NULL: any */
	int64_t start_ms, end_ms;      /* requested within [start, end] */
	int status;                    /* 0 any, 1 open, 2 closed */
	const char *province;          /* a province code (jurisdiction_id); NULL: any */
	int64_t limit;
};

/* Newest first. */
int store_open311_requests(struct store *st, const struct open311_query *q, struct arena *a,
                           struct open311_request **out, size_t *n, struct error *err);
/* The id of the request with this tracking token hash; THC_ENOTFOUND. */
int store_open311_token(struct store *st, const char *token_hash, int64_t *id,
                        struct error *err);
/* 1 when code is a province's code, else 0. */
int store_open311_province(struct store *st, const char *code, struct error *err);
/* 1 when the unit `code` lies in the subtree of `root`, else 0. */
int store_open311_within(struct store *st, const char *code, const char *root,
                         struct error *err);

#endif
