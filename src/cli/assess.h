/*
 * Inside `thichung assess` (src/cli/assess*.c): the units it assesses,
 * loaded from units.csv and found by code.
 */
#ifndef THC_CLI_ASSESS_H
#define THC_CLI_ASSESS_H

#include <stddef.h>
#include "base/error.h"
#include "domain/level.h"

#define ASSESS_UNITS_MAX 50000
#define ASSESS_CODE_MAX 8              /* province, district and commune codes */

struct assess_unit {
	char code[ASSESS_CODE_MAX];
	int level;                     /* enum unit_level */
	int parent;                    /* index, -1 for none */
	int province;                  /* index of its province, -1 if none */
};

struct assess_units {
	struct assess_unit *v;
	size_t n;
	struct level_tree *tree;       /* the same units as a hierarchy */
	int *index;                    /* hash of the codes: unit + 1, 0 empty */
	size_t index_mask;
};

/* The provinces, districts and communes of units.csv, with parents. */
int assess_units_load(const char *path, struct assess_units *u, struct error *err);
void assess_units_free(struct assess_units *u);
/* The index of the unit with this code, or -1. */
int assess_unit_find(const struct assess_units *u, const char *code);
enum level_scope assess_scope(int unit_level);

#endif
