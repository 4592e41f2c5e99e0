/*
 * libFuzzer target for route_pattern_match (http/route.c): the path comes
 * from the network, the pattern from our routes table; both are fuzzed.
 * The input is "pattern\npath" (no '\n': the whole input is the path,
 * matched against a fixed pattern).  Checked:
 *   - a match fills one argument per {param} of the pattern, in order,
 *     with the names between the braces; each value is a non-empty
 *     segment without '/'; substituting the values back into the pattern
 *     gives the path; route_arg finds the first of each name;
 *   - no match leaves no half-filled count beyond the parameters;
 *   - the converse: a well-formed pattern with its parameters replaced by
 *     segments cut from the input always matches and gives those segments.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "http/route.h"
#include "fuzz.h"
#include "base/banned.h"

#define FUZZ_PATH_MAX 4096

/* Parameters of a pattern as route.c reads them: '{' up to the next '}'. */
static int count_params(const char *pattern)
{
	int n = 0;

	for (const char *p = pattern; (p = strchr(p, '{')) != NULL; n++) {
		const char *e = strchr(p, '}');

		if (e == NULL)
			return -1;    /* an unclosed '{' never matches */
		p = e + 1;
	}
	return n;
}

/* The pattern with {param} i replaced by values[i]; NULL if it does not fit. */
static char *substitute(const char *pattern, const char *const *values, int n)
{
	char *out = malloc(FUZZ_PATH_MAX);
	size_t len = 0;
	int i = 0;

	if (out == NULL)
		return NULL;
	for (const char *p = pattern; *p;) {
		const char *piece;
		size_t k;

		if (*p == '{') {
			const char *e = strchr(p, '}');

			if (e == NULL || i >= n)
				goto fail;
			piece = values[i++];
			k = strlen(piece);
			p = e + 1;
		} else {
			piece = p;
			k = 1;
			p++;
		}
		if (len + k >= FUZZ_PATH_MAX)
			goto fail;
		memcpy(out + len, piece, k);
		len += k;
	}
	out[len] = '\0';
	return out;
fail:
	free(out);
	return NULL;
}

static void check_match(const char *pattern, const char *path)
{
	struct arena a = ARENA_INIT(0);
	struct route_args args;
	int nparams = count_params(pattern);
	int m = route_pattern_match(pattern, path, &a, &args);

	FUZZ_CHECK(m == 0 || m == 1);
	FUZZ_CHECK(args.n >= 0 && args.n <= ROUTE_PARAMS_MAX);
	if (m) {
		const char *p = pattern;
		char *back;

		FUZZ_CHECK(nparams == args.n);
		for (int i = 0; i < args.n; i++) {
			const char *open = strchr(p, '{'), *close = strchr(open, '}');
			size_t len = (size_t)(close - open - 1);

			FUZZ_CHECK(strlen(args.name[i]) == len &&
			           memcmp(args.name[i], open + 1, len) == 0);
			FUZZ_CHECK(args.value[i][0] != '\0' && strchr(args.value[i], '/') == NULL);
			FUZZ_CHECK(route_arg(&args, args.name[i]) != NULL);
			p = close + 1;
		}
		for (int i = 0; i < args.n; i++) {
			int first = 0;

			while (strcmp(args.name[first], args.name[i]) != 0)
				first++;
			FUZZ_CHECK(route_arg(&args, args.name[i]) == args.value[first]);
		}
		back = substitute(pattern, args.value, args.n);
		FUZZ_CHECK(back != NULL || strlen(path) >= FUZZ_PATH_MAX - 1);
		if (back != NULL)
			FUZZ_CHECK(strcmp(back, path) == 0);
		free(back);
		/* Without parameters, a match is plain equality. */
		if (nparams == 0)
			FUZZ_CHECK(strcmp(pattern, path) == 0);
	} else if (nparams == 0) {
		FUZZ_CHECK(strcmp(pattern, path) != 0);
	}
	arena_release(&a);
}

/* A pattern route.c can match: at most ROUTE_PARAMS_MAX params, each closed
 * and followed by '/' or the end (a parameter takes the whole segment). */
static int well_formed(const char *pattern)
{
	int n = 0;

	for (const char *p = pattern; (p = strchr(p, '{')) != NULL; n++) {
		const char *e = strchr(p, '}');

		if (e == NULL || (e[1] != '\0' && e[1] != '/'))
			return 0;
		p = e + 1;
	}
	return n <= ROUTE_PARAMS_MAX;
}

/* Segments cut from `src` (split on '/', empty ones skipped) fill the
 * pattern's parameters; the result must match and give them back. */
static void check_converse(const char *pattern, const char *src)
{
	char *copy = strdup(src), *values[ROUTE_PARAMS_MAX], *p, *path;
	const char *vals[ROUTE_PARAMS_MAX];
	int n = count_params(pattern), k = 0;
	struct arena a = ARENA_INIT(0);
	struct route_args args;

	if (copy == NULL || !well_formed(pattern))
		goto out;
	for (p = copy; k < n && *p;) {
		char *slash = strchr(p, '/');

		if (slash)
			*slash = '\0';
		if (*p)
			values[k++] = p;
		if (!slash)
			break;
		p = slash + 1;
	}
	for (; k < n; k++)
		values[k] = "x";
	for (int i = 0; i < n; i++)
		vals[i] = values[i];
	if ((path = substitute(pattern, vals, n)) == NULL)
		goto out;
	FUZZ_CHECK(route_pattern_match(pattern, path, &a, &args) == 1);
	FUZZ_CHECK(args.n == n);
	for (int i = 0; i < n; i++)
		FUZZ_CHECK(strcmp(args.value[i], vals[i]) == 0);
	free(path);
out:
	arena_release(&a);
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const fixed[] = {
		"/api/v1/units/{code}/levels", "/api/v1/units/{code}",
		"/api/v1/isolations/{id}/checkins", "/{a}/{b}/{c}/{d}", "/",
	};
	char *s = fuzz_cstr(data, size), *nl;

	if (s == NULL)
		return 0;
	if ((nl = strchr(s, '\n')) != NULL) {
		*nl = '\0';
		check_match(s, nl + 1);
		check_converse(s, nl + 1);
	} else {
		for (size_t i = 0; i < ARRAY_SIZE(fixed); i++) {
			check_match(fixed[i], s);
			check_converse(fixed[i], s);
		}
	}
	free(s);
	return 0;
}
