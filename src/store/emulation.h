/*
 * Emulation movements (emulation.c): a movement names a parent unit, a
 * period and weighted benchmark indicators; the raw figures of each unit
 * directly below the parent are counted from the stored data by the
 * indicator registry, and domain/emulation.h turns them into scores and
 * rankings.  Adding an indicator is one entry of the registry (a code,
 * its names and the function that counts it).
 *
 * Scope: officials whose grant holds the parent unit create movements;
 * they and the officials of the units below read them and their rankings
 * (aggregates only).  Strings returned live in the arena `a`.
 */
#ifndef THC_STORE_EMULATION_H
#define THC_STORE_EMULATION_H

#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/error.h"
#include "domain/emulation.h"

struct store;
struct store_actor;

#define EMU_LIST_MAX 200
#define EMU_UNITS_MAX 1000

/* A unit below the parent and its raw figures, per indicator of the movement. */
struct emu_row {
	const char *code, *name;
	double num[EMU_INDICATORS_MAX], den[EMU_INDICATORS_MAX];
};

/* The period counted: days since the epoch (Asia/Ho_Chi_Minh), and as text. */
struct emu_period {
	const char *parent;
	int32_t from, to, today;
	char from_iso[11], to_iso[11];
};

struct emu_indicator {
	const char *code, *name_vi, *name_en, *unit;  /* unit: what num/den count */
	/* Fills rows[i].num[slot] and .den[slot] for each of the n rows. */
	int (*count)(struct store *st, const struct emu_period *p, struct emu_row *rows, size_t n,
	             size_t slot, struct error *err);
};

/* The i-th indicator of the registry; NULL past the end. */
const struct emu_indicator *store_emulation_indicator_at(size_t i);
const struct emu_indicator *store_emulation_indicator(const char *code);

struct emu_movement {
	int64_t id;
	const char *name, *parent_code, *period_from, *period_to;
	size_t nind;
	const char *ind[EMU_INDICATORS_MAX];
	int weight[EMU_INDICATORS_MAX];
	int64_t created_at_ms;
};

int store_emulation_create(struct store *st, const struct store_actor *actor,
                           struct emu_movement *m, struct error *err);
/* Movements the actor may read (unit: the parent in that subtree, or NULL). */
int store_emulation_list(struct store *st, const struct store_actor *actor, const char *unit,
                         struct arena *a, struct emu_movement **out, size_t *n,
                         struct error *err);
int store_emulation_get(struct store *st, const struct store_actor *actor, int64_t id,
                        struct arena *a, struct emu_movement *out, struct error *err);
/* The units directly below the movement's parent with their figures for
 * the days [from, to] (days since the epoch), `today` bounding counts of
 * what has not happened yet. */
int store_emulation_collect(struct store *st, const struct emu_movement *m, int32_t from,
                            int32_t to, int32_t today, struct arena *a, struct emu_row **out,
                            size_t *n, struct error *err);

#endif
