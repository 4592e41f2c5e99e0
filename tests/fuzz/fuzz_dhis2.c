/*
 * libFuzzer target for the DHIS2 exchange's parsers (domain/dhis2.c): the
 * first byte, modulo 3, picks what the rest is.
 *   - 0: a weekly period ("2021W42", "2022WedW1", "2021-10-18/P7D").  It
 *     either fails with a message, or gives a day whose week DHIS2 has a type
 *     for, and writing that day back gives a period that parses to it again;
 *   - 1: a mapping file (data/dhis2/mapping.json is a seed).  It either
 *     fails with a message, or every indicator it maps is found again from
 *     its data element and category option combo, and a mapped unit from its id.
 *   - 2: a dataValueSets document read with a fixed mapping: it is refused
 *     with a message, or each of its values is read or is one conflict, and
 *     what was read, written again, reads back the same without conflicts.
 * jansson (pkg-config) is linked as a library: it is not what is tested.
 */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/vntime.h"
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

static void check_period(const char *s)
{
	struct error err = ERROR_INIT;
	char p[DHIS2_PERIOD_MAX], adx[DHIS2_PERIOD_MAX];
	int32_t d = 0, back = 0;
	int rc = dhis2_period_parse(s, &d, &err);

	if (rc < 0) {
		fuzz_check_error(&err, rc);
		return;
	}
	FUZZ_CHECK(rc == 0);
	FUZZ_CHECK(dhis2_week_period(d, p, &err) == 0);
	FUZZ_CHECK(dhis2_period_parse(p, &back, &err) == 0 && back == d);
	dhis2_week_adx(d, adx);
	FUZZ_CHECK(dhis2_period_parse(adx, &back, &err) == 0 && back == d);
	FUZZ_CHECK(strstr(adx, "/P7D") != NULL);
}

static void check_map(const char *text, size_t len)
{
	static char sentinel;
	struct dhis2_map *m = (struct dhis2_map *)(void *)&sentinel;
	struct error err = ERROR_INIT;
	int rc = dhis2_map_parse(text, len, &m, &err);

	if (rc < 0) {
		fuzz_check_error(&err, rc);
		FUZZ_CHECK(m == NULL);
		return;
	}
	FUZZ_CHECK(rc == 0 && m != NULL && dhis2_map_data_set(m) != NULL);
	for (int i = 0; i < DHIS2_IND_COUNT; i++) {
		if (!dhis2_map_has(m, (enum dhis2_ind)i))
			continue;
		FUZZ_CHECK(dhis2_map_ind_of(m, dhis2_map_element(m, (enum dhis2_ind)i),
		                            dhis2_map_coc(m, (enum dhis2_ind)i)) == i);
	}
	{
		const char *id = dhis2_map_org_unit(m, "00001");
		const char *back = dhis2_map_unit_of(m, id);

		/* A mapped unit is found again from its id (ids are unique); an
		 * unmapped one keeps its code, which another unit's id may take. */
		if (strcmp(id, "00001") != 0)
			FUZZ_CHECK(back != NULL && strcmp(back, "00001") == 0);
	}
	dhis2_map_free(m);
}

static void check_read(const char *text, size_t len)
{
	static const char map[] =
		"{\"dataSet\":\"D\",\"orgUnits\":{\"01\":\"HN\"},\"dataElements\":{"
		"\"cases\":{\"dataElement\":\"C\"},\"deaths\":{\"dataElement\":\"C\","
		"\"categoryOptionCombo\":\"k\"},\"level\":{\"dataElement\":\"L\"}}}";
	struct dhis2_map *m = NULL;
	struct dhis2_value *v = NULL, *again = NULL;
	struct error err = ERROR_INIT;
	json_t *doc = json_loadb(text, len, 0, NULL), *conflicts = json_array(), *out = NULL;
	size_t n = 0, n2 = 0;
	int rc;

	FUZZ_CHECK(dhis2_map_parse(map, strlen(map), &m, &err) == 0);
	rc = dhis2_read_json(m, doc, &v, &n, conflicts, &err);
	if (rc < 0) {
		fuzz_check_error(&err, rc);
	} else {
		FUZZ_CHECK(n + json_array_size(conflicts) ==
		           json_array_size(json_object_get(doc, "dataValues")));
		FUZZ_CHECK(dhis2_write_json(m, v, n, &out, &err) == 0);
		json_array_clear(conflicts);
		FUZZ_CHECK(dhis2_read_json(m, out, &again, &n2, conflicts, &err) == 0);
		FUZZ_CHECK(n2 == n && json_array_size(conflicts) == 0);
		for (size_t i = 0; i < n; i++)
			FUZZ_CHECK(strcmp(again[i].unit, v[i].unit) == 0 && again[i].start == v[i].start &&
			           again[i].ind == v[i].ind && again[i].value == v[i].value);
	}
	free(again);
	free(v);
	json_decref(out);
	json_decref(conflicts);
	json_decref(doc);
	dhis2_map_free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size == 0)
		return 0;
	s = fuzz_cstr(data + 1, size - 1);
	if (s == NULL)
		return 0;
	if (data[0] % 3 == 1)
		check_map(s, size - 1);
	else if (data[0] % 3 == 2)
		check_read(s, size - 1);
	else
		check_period(s);
	free(s);
	return 0;
}
