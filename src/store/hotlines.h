/*
 * Hotline numbers and duty shifts of a unit (hotlines.c).  Writes are for
 * officials whose scope holds the unit, replace what they cover, and are
 * audited; the numbers and the shifts are public reads (official duty
 * numbers).  Strings returned live in the caller's arena `a`; what is
 * passed in is borrowed for the call only.  Values come checked
 * (domain/hotline.h).
 */
#ifndef THC_STORE_HOTLINES_H
#define THC_STORE_HOTLINES_H

#include <stddef.h>
#include "base/arena.h"
#include "base/error.h"

struct store;
struct store_actor;

struct hotline {
	const char *kind, *label, *phone;
	const char *hours;                 /* NULL: none given */
	int always_open;                   /* 24/7 */
};

struct duty_shift {
	const char *day;                   /* YYYY-MM-DD */
	const char *from, *to;             /* HH:MM */
	const char *name, *phone;
};

/* Replaces the unit's list (n may be 0). */
int store_hotlines_put(struct store *st, const struct store_actor *actor, const char *code,
                       const struct hotline *h, size_t n, struct error *err);
/* The unit's list in its order; no scope (public). */
int store_hotlines_get(struct store *st, const char *code, struct arena *a,
                       struct hotline **out, size_t *n, struct error *err);
/* Replaces the unit's shifts starting first_day .. last_day. */
int store_duty_put(struct store *st, const struct store_actor *actor, const char *code,
                   const char *first_day, const char *last_day,
                   const struct duty_shift *s, size_t n, struct error *err);
/* Shifts starting first_day .. last_day, by day and start.  With an actor:
 * officials in scope only (THC_ENOTFOUND otherwise); NULL: public. */
int store_duty_list(struct store *st, const struct store_actor *actor, const char *code,
                    const char *first_day, const char *last_day, struct arena *a,
                    struct duty_shift **out, size_t *n, struct error *err);

#endif
