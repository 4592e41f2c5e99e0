/*
 * The units `thichung assess` knows: the provinces, districts and communes
 * of units.csv, sorted by code, with their parents, provinces and a hash
 * index by code.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/text.h"
#include "cli/assess.h"
#include "domain/unit.h"
#include "base/banned.h"

static int assess_unit_cmp(const void *a, const void *b)
{
	return strcmp(((const struct assess_unit *)a)->code, ((const struct assess_unit *)b)->code);
}

/* The index of units by code (once per input row): a code is shorter
 * than ASSESS_CODE_MAX, so it is compared and hashed as one 8-byte word,
 * zero after its end (as every code in v is kept). */
_Static_assert(ASSESS_CODE_MAX == sizeof(uint64_t), "a code and its NUL fill one word");

static int assess_code_word(const char *code, uint64_t *w)
{
	size_t n = strnlen(code, ASSESS_CODE_MAX);

	if (n >= ASSESS_CODE_MAX)
		return -1;
	*w = 0;
	memcpy(w, code, n);
	return 0;
}

static size_t assess_code_hash(uint64_t w)
{
	w *= UINT64_C(0x9e3779b97f4a7c15);
	return (size_t)(w ^ (w >> 32));
}

int assess_unit_find(const struct assess_units *u, const char *code)
{
	uint64_t w, k;
	size_t i;

	if (u->index == NULL || assess_code_word(code, &w) < 0)
		return -1;
	for (i = assess_code_hash(w) & u->index_mask; u->index[i] != 0;
	     i = (i + 1) & u->index_mask) {
		memcpy(&k, u->v[u->index[i] - 1].code, sizeof(k));
		if (k == w)
			return u->index[i] - 1;
	}
	return -1;
}

/* The index: a power of two at least twice the units, so a probe ends. */
static int assess_units_index(struct assess_units *u, struct error *err)
{
	size_t size = 64;

	while (size < 2 * u->n)
		size *= 2;
	if ((u->index = calloc(size, sizeof(*u->index))) == NULL)
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	u->index_mask = size - 1;
	for (size_t k = 0; k < u->n; k++) {
		uint64_t w;
		size_t i;

		memcpy(&w, u->v[k].code, sizeof(w));
		i = assess_code_hash(w) & u->index_mask;

		while (u->index[i] != 0)
			i = (i + 1) & u->index_mask;
		u->index[i] = (int)k + 1;
	}
	return 0;
}

void assess_units_free(struct assess_units *u)
{
	free(u->v);
	free(u->index);
	level_tree_free(u->tree);
	memset(u, 0, sizeof(*u));
}

enum level_scope assess_scope(int unit_level)
{
	return unit_level == UNIT_PROVINCE ? LEVEL_SCOPE_PROVINCE
	       : unit_level == UNIT_DISTRICT ? LEVEL_SCOPE_DISTRICT : LEVEL_SCOPE_COMMUNE;
}

/* Sorts the units by code, indexes them and turns each parent's code
 * (parents[], by the unit's row before sorting, which v[].parent holds)
 * into an index; finds each unit's province. */
static int assess_units_link(struct assess_units *u, char (*parents)[ASSESS_CODE_MAX],
                             struct error *err)
{
	struct assess_unit *orig = malloc((u->n ? u->n : 1) * sizeof(*orig));
	int rc;

	if (orig == NULL)
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	for (size_t i = 1; i < u->n; i++)        /* units.csv comes sorted */
		if (assess_unit_cmp(&u->v[i - 1], &u->v[i]) > 0) {
			qsort(u->v, u->n, sizeof(*u->v), assess_unit_cmp);
			break;
		}
	if ((rc = assess_units_index(u, err)) < 0) {
		free(orig);
		return rc;
	}
	memcpy(orig, u->v, u->n * sizeof(*orig));
	for (size_t i = 0; i < u->n; i++)
		u->v[i].parent = parents[orig[i].parent][0]
		                 ? assess_unit_find(u, parents[orig[i].parent]) : -1;
	free(orig);
	for (size_t i = 0; i < u->n; i++) {
		int p = (int)i, guard = 0;

		while (p >= 0 && u->v[p].level != UNIT_PROVINCE && guard++ < 8)
			p = u->v[p].parent;
		u->v[i].province = p >= 0 && u->v[p].level == UNIT_PROVINCE ? p : -1;
	}
	return 0;
}

int assess_units_load(const char *path, struct assess_units *u, struct error *err)
{
	struct csv_limits lim = CSV_LIMITS_DEFAULT;
	struct csv_reader *r = NULL;
	struct csv_record rec;
	char (*parents)[ASSESS_CODE_MAX] = NULL;
	size_t cap = 0;
	int ccode = -1, clevel = -1, cparent = -1, rc;
	FILE *f = fopen(path, "rb");

	memset(u, 0, sizeof(*u));
	if (f == NULL)
		return error_set(err, THC_EIO, "không mở được danh mục đơn vị '%s'",
		                 "cannot open the unit list '%s'", path);
	if ((rc = csv_open_file(&r, f, &lim, err)) < 0 || (rc = csv_next(r, &rec, err)) < 0)
		goto out;
	for (size_t i = 0; rc == 1 && i < rec.nfields; i++) {
		if (strcmp(rec.fields[i], "code") == 0)
			ccode = (int)i;
		else if (strcmp(rec.fields[i], "level") == 0)
			clevel = (int)i;
		else if (strcmp(rec.fields[i], "parent_code") == 0)
			cparent = (int)i;
	}
	if (ccode < 0 || clevel < 0 || cparent < 0) {
		rc = error_set(err, THC_EINVAL, "%s: cần các cột code, level, parent_code",
		               "%s: columns code, level, parent_code are expected", path);
		goto out;
	}
	while ((rc = csv_next(r, &rec, err)) == 1) {
		int lv;

		if (rec.nfields <= (size_t)ccode || rec.nfields <= (size_t)clevel ||
		    rec.nfields <= (size_t)cparent)
			continue;
		lv = unit_level_from_name(rec.fields[clevel]);
		if (lv != UNIT_PROVINCE && lv != UNIT_DISTRICT && lv != UNIT_COMMUNE)
			continue;
		if (rec.lens[ccode] >= ASSESS_CODE_MAX || rec.lens[cparent] >= ASSESS_CODE_MAX) {
			rc = error_set(err, THC_EINVAL, "%s: dòng %ld: mã quá dài",
			               "%s: line %ld: code too long", path, rec.line);
			goto out;
		}
		if (u->n == cap) {
			size_t ncap = cap ? 2 * cap : 16384;
			struct assess_unit *v;
			char (*p)[ASSESS_CODE_MAX];

			if (ncap > ASSESS_UNITS_MAX) {
				rc = error_set(err, THC_ETOOBIG, "%s: quá %d đơn vị",
				               "%s: more than %d units", path, ASSESS_UNITS_MAX);
				goto out;
			}
			v = realloc(u->v, ncap * sizeof(*v));
			if (v)
				u->v = v;
			p = v ? realloc(parents, ncap * sizeof(*p)) : NULL;
			if (p == NULL) {
				rc = error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
				goto out;
			}
			parents = p;
			cap = ncap;
		}
		/* Both lengths were checked under ASSESS_CODE_MAX just above. */
		memset(u->v[u->n].code, 0, sizeof(u->v[u->n].code));
		memcpy(u->v[u->n].code, rec.fields[ccode], rec.lens[ccode] + 1);
		u->v[u->n].level = lv;
		/* The parent's code goes into the slot's own spare array, then is
		 * turned into an index once the list is sorted. */
		memcpy(parents[u->n], rec.fields[cparent], rec.lens[cparent] + 1);
		u->v[u->n].parent = (int)u->n;   /* remembers the row for parents[] */
		u->n++;
	}
	if (rc < 0)
		goto out;
	if ((rc = assess_units_link(u, parents, err)) < 0)
		goto out;
	{
		int *parent = malloc((u->n ? u->n : 1) * sizeof(*parent));
		enum level_scope *scope = malloc((u->n ? u->n : 1) * sizeof(*scope));

		rc = parent && scope ? 0 : error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		for (size_t i = 0; rc == 0 && i < u->n; i++) {
			parent[i] = u->v[i].parent;
			scope[i] = assess_scope(u->v[i].level);
		}
		if (rc == 0)
			rc = level_tree_new(&u->tree, parent, scope, u->n, err);
		free(parent);
		free(scope);
		if (rc < 0)
			goto out;
	}
	rc = 0;
out:
	free(parents);
	csv_free(r);
	fclose(f);
	if (rc < 0)
		assess_units_free(u);
	return rc;
}

