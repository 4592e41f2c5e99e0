/*
 * Photos of feedback requests (fbphotos.c): the reporter adds them with
 * the tracking code while the request is open; only the officials who
 * handle the request (feedback.h's scope) list and read them, each read
 * audited ("feedback.photo.read").  A photo is kept as base64 text.
 * Strings returned live in the caller's arena.
 */
#ifndef THC_STORE_FBPHOTOS_H
#define THC_STORE_FBPHOTOS_H

#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/error.h"

struct store;
struct store_actor;

struct fbphoto_item {
	int64_t id;
	const char *media_type;
	int64_t bytes;
	int64_t created_at_ms;
	const char *base64;        /* store_fbphoto_get only */
};

/* Adds a photo (media_type checked by domain/fbphoto.h, base64 its bytes)
 * to the open request with this tracking token hash; history row "photo",
 * audit "feedback.photo.add".  *id gets the photo's id, *feedback_id the
 * request's.  THC_ENOTFOUND, THC_ECONFLICT (not open, or FBPHOTO_PER_REQUEST
 * photos already). */
int store_fbphoto_add(struct store *st, const struct store_actor *actor, const char *token_hash,
                      const char *media_type, const char *base64, int64_t bytes, int64_t *id,
                      int64_t *feedback_id, struct error *err);
/* The photos of request `id` the actor handles, without their data;
 * THC_ENOTFOUND out of scope. */
int store_fbphoto_list(struct store *st, const struct store_actor *actor, int64_t id,
                       struct arena *a, struct fbphoto_item **out, size_t *n, struct error *err);
/* One photo with its data, audited; THC_ENOTFOUND out of scope. */
int store_fbphoto_get(struct store *st, const struct store_actor *actor, int64_t id,
                      int64_t photo_id, struct arena *a, struct fbphoto_item *out,
                      struct error *err);

#endif
