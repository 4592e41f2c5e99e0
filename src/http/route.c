/*
 * Matching "/api/v1/units/{code}" against a path, segment by segment.
 */
#include <string.h>

#include "http/route.h"
#include "base/banned.h"

const char *route_arg(const struct route_args *a, const char *name)
{
	for (int i = 0; i < a->n; i++)
		if (strcmp(a->name[i], name) == 0)
			return a->value[i];
	return NULL;
}

int route_pattern_match(const char *pattern, const char *path, struct arena *ar,
                        struct route_args *a)
{
	const char *p = pattern, *s = path;

	a->n = 0;
	while (*p && *s) {
		if (*p == '{') {
			const char *pend = strchr(p, '}');
			const char *send = strchr(s, '/');
			size_t n = send ? (size_t)(send - s) : strlen(s);

			if (pend == NULL || n == 0 || a->n == ROUTE_PARAMS_MAX)
				return 0;
			a->name[a->n] = arena_strndup(ar, p + 1, (size_t)(pend - p - 1));
			a->value[a->n] = arena_strndup(ar, s, n);
			if (a->name[a->n] == NULL || a->value[a->n] == NULL)
				return 0;
			a->n++;
			p = pend + 1;
			s += n;
			continue;
		}
		if (*p != *s)
			return 0;
		p++;
		s++;
	}
	return *p == '\0' && *s == '\0';
}
