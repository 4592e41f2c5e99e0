/*
 * Assessing a tree of units for one week: communes (and any unit whose rule
 * set takes its own totals) first, then districts, then provinces from the
 * levels of all the units directly below them.  The tree is the hierarchy,
 * built once; each week passes its own rule sets and inputs by node.
 */
#include <stdlib.h>
#include <string.h>

#include "domain/level-private.h"
#include "base/banned.h"

struct level_tree {
	size_t n;
	enum level_scope *scope;
	size_t *child_start;           /* children of i: child[child_start[i] .. child_start[i+1]) */
	size_t *child;
	size_t max_children;
};

void level_tree_free(struct level_tree *t)
{
	if (t == NULL)
		return;
	free(t->scope);
	free(t->child_start);
	free(t->child);
	free(t);
}

int level_tree_new(struct level_tree **out, const int *parent, const enum level_scope *scope,
                   size_t n, struct error *err)
{
	struct level_tree *t = calloc(1, sizeof(*t));
	size_t *fill = NULL;

	*out = NULL;
	if (t == NULL || (t->scope = malloc((n ? n : 1) * sizeof(*t->scope))) == NULL ||
	    (t->child_start = calloc(n + 1, sizeof(*t->child_start))) == NULL ||
	    (t->child = malloc((n ? n : 1) * sizeof(*t->child))) == NULL ||
	    (fill = calloc(n + 1, sizeof(*fill))) == NULL)
		goto nomem;
	t->n = n;
	memcpy(t->scope, scope, n * sizeof(*scope));
	/* Children as one array ordered by parent (a counting sort). */
	for (size_t i = 0; i < n; i++) {
		if (parent[i] >= (int)n)
			goto bad;
		if (parent[i] >= 0)
			t->child_start[parent[i] + 1]++;
	}
	for (size_t i = 0; i < n; i++) {
		size_t k = t->child_start[i + 1];

		if (k > t->max_children)
			t->max_children = k;
		t->child_start[i + 1] += t->child_start[i];
	}
	for (size_t i = 0; i < n; i++)
		if (parent[i] >= 0) {
			size_t p = (size_t)parent[i];
			t->child[t->child_start[p] + fill[p]++] = i;
		}
	free(fill);
	*out = t;
	return 0;
bad:
	free(fill);
	level_tree_free(t);
	return error_set(err, THC_EINVAL, "đơn vị cha nằm ngoài cây", "a parent outside the tree");
nomem:
	free(fill);
	level_tree_free(t);
	return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
}

size_t level_tree_max_children(const struct level_tree *t)
{
	return t->max_children;
}

/* Does node i take its level from its children? */
static int tree_aggregates(const struct level_tree *t, const struct level_rules *rules,
                           size_t i)
{
	return rules && level_rules_scope_method(rules, t->scope[i]) == LEVEL_CHILDREN_LEVELS;
}

int level_tree_result(const struct level_tree *t, const struct level_rules *const *rules,
                      const struct level_input *const *in, const int *levels, size_t i,
                      unsigned flags, int *scratch, struct level_result *out)
{
	if (rules[i] == NULL) {
		lr_result_reset(NULL, out);
		return 0;
	}
	if (tree_aggregates(t, rules[i], i)) {
		size_t from = t->child_start[i], to = t->child_start[i + 1];

		for (size_t k = from; k < to; k++)
			scratch[k - from] = levels[t->child[k]];
		return level_aggregate(rules[i], t->scope[i], scratch, to - from, flags, out);
	}
	if (in[i] == NULL) {
		lr_result_reset(rules[i], out);
		return 0;
	}
	return level_assess(rules[i], in[i], flags, out);
}

void level_tree_assess(const struct level_tree *t, const struct level_rules *const *rules,
                       const struct level_input *const *in, int *levels, int *scratch,
                       struct level_result *res)
{
	static const enum level_scope order[] = { LEVEL_SCOPE_DISTRICT, LEVEL_SCOPE_PROVINCE };

	for (size_t i = 0; i < t->n; i++) {
		levels[i] = LEVEL_NONE;
		if (rules[i] && !tree_aggregates(t, rules[i], i) && in[i] &&
		    level_assess(rules[i], in[i], LEVEL_NO_TEXT, res) == 0)
			levels[i] = res->level;
	}
	for (size_t k = 0; k < ARRAY_SIZE(order); k++)
		for (size_t i = 0; i < t->n; i++)
			if (t->scope[i] == order[k] && tree_aggregates(t, rules[i], i) &&
			    level_tree_result(t, rules, in, levels, i, LEVEL_NO_TEXT, scratch, res) == 0)
				levels[i] = res->level;
}
