/*
 * libFuzzer target for the ADX reader (domain/dhis2_read.c, with expat):
 * the input is an ADX document.  It is refused with a message (and no
 * document), or it becomes a dataValueSets document whose every value
 * carries its group's orgUnit and period; read with a fixed mapping, each
 * value is read or is one conflict, and what was read, written as ADX
 * again, reads back the same without conflicts.
 * expat and jansson (pkg-config) are linked as libraries: they are not
 * what is tested.
 */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "domain/dhis2.h"
#include "fuzz.h"
#include "base/banned.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	json_object_seed(1);
	return 0;
}

/* Written again and read back: the same values, no conflict. */
static void check_again(const struct dhis2_map *m, const struct dhis2_value *v, size_t n)
{
	struct strbuf sb = STRBUF_INIT(64u << 20);
	struct error err = ERROR_INIT;
	struct dhis2_value *again = NULL;
	json_t *doc = NULL, *conflicts = json_array();
	size_t n2 = 0;

	FUZZ_CHECK(dhis2_write_adx(m, v, n, "2021-01-01T00:00:00Z", &sb, &err) == 0);
	FUZZ_CHECK(dhis2_adx_to_json(sb.buf, sb.len, &doc, &err) == 0);
	FUZZ_CHECK(dhis2_read_json(m, doc, &again, &n2, conflicts, &err) == 0);
	FUZZ_CHECK(n2 == n && json_array_size(conflicts) == 0);
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK(strcmp(again[i].unit, v[i].unit) == 0 && again[i].start == v[i].start &&
		           again[i].ind == v[i].ind && again[i].value == v[i].value);
	free(again);
	json_decref(doc);
	json_decref(conflicts);
	strbuf_release(&sb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char map[] =
		"{\"dataSet\":\"D\",\"orgUnits\":{\"01\":\"HN\"},\"dataElements\":{"
		"\"cases\":{\"dataElement\":\"C\"},\"deaths\":{\"dataElement\":\"C\","
		"\"categoryOptionCombo\":\"k\"},\"level\":{\"dataElement\":\"L\"}}}";
	struct dhis2_map *m = NULL;
	struct dhis2_value *v = NULL;
	struct error err = ERROR_INIT;
	json_t *doc = NULL, *conflicts = json_array(), *x;
	size_t n = 0, i;
	int rc = dhis2_adx_to_json((const char *)data, size, &doc, &err);

	if (rc < 0) {
		fuzz_check_error(&err, rc);
		FUZZ_CHECK(doc == NULL);
		json_decref(conflicts);
		return 0;
	}
	json_array_foreach(json_object_get(doc, "dataValues"), i, x)
		FUZZ_CHECK(json_is_string(json_object_get(x, "orgUnit")) &&
		           json_is_string(json_object_get(x, "period")));
	FUZZ_CHECK(dhis2_map_parse(map, strlen(map), &m, &err) == 0);
	/* Another data set than the mapping's is refused whole. */
	if ((rc = dhis2_read_json(m, doc, &v, &n, conflicts, &err)) < 0) {
		fuzz_check_error(&err, rc);
	} else {
		FUZZ_CHECK(n + json_array_size(conflicts) ==
		           json_array_size(json_object_get(doc, "dataValues")));
		check_again(m, v, n);
	}
	free(v);
	json_decref(conflicts);
	json_decref(doc);
	dhis2_map_free(m);
	return 0;
}
