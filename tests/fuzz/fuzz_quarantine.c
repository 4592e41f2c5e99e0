/*
 * libFuzzer target for the quarantine rules file (domain/quarantine.c,
 * data/quarantine.json is a seed): any text either loads or fails with a
 * message, and loaded rules then answer a few fixed questions sensibly:
 *   - degree 1 or 2 only; a period covers a day on or after its start, the
 *     quarantine starts on the exposure day and lasts 0..60 days;
 *   - the rule id is the canonical date of a start on or before that day,
 *     and later days never use an earlier period;
 *   - quarantine_rule_info agrees with quarantine_compute.
 * jansson (pkg-config) is linked as a library: it is not what is tested.
 */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/vntime.h"
#include "domain/quarantine.h"
#include "fuzz.h"
#include "base/banned.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	json_object_seed(1);     /* the same hashing in every run */
	return 0;
}

static void check_day(const struct quarantine_rules *r, int32_t day, int32_t *prev_from)
{
	struct error err = ERROR_INIT;
	int32_t start = -1, end = -1;
	const char *id = NULL, *note = NULL;
	int assumption = -1, rc, info;

	for (int degree = 0; degree <= 3; degree++) {
		rc = quarantine_compute(r, degree, day, &start, &end, &id, &err);
		if (degree != 1 && degree != 2) {
			FUZZ_CHECK(rc == THC_EUNPROCESSABLE);
			fuzz_check_error(&err, rc);
		}
	}
	rc = quarantine_compute(r, 1, day, &start, &end, &id, &err);
	info = quarantine_rule_info(r, day, &note, &assumption);
	if (rc < 0) {
		fuzz_check_error(&err, rc);
		FUZZ_CHECK(info == THC_ENOTFOUND);
		return;
	}
	FUZZ_CHECK(info == 0 && note != NULL && (assumption == 0 || assumption == 1));
	FUZZ_CHECK(start == day && end >= start && end - start <= QUARANTINE_DAYS_MAX);
	{
		struct vndate d;
		char iso[16];
		int32_t from;

		FUZZ_CHECK(id != NULL && strlen(id) == 10 && vndate_parse(id, &d) == 0);
		vndate_format_iso(d, iso, sizeof(iso));
		FUZZ_CHECK(strcmp(iso, id) == 0);
		from = vndate_to_days(d);
		FUZZ_CHECK(from <= day && from >= *prev_from);
		*prev_from = from;
	}
	FUZZ_CHECK(quarantine_compute(r, 2, day, &start, &end, &id, &err) == 0);
	FUZZ_CHECK(start == day && end >= start && end - start <= QUARANTINE_DAYS_MAX);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Days from 1900 to 2200, rising, around the real periods. */
	static const struct vndate days[] = {
		{ 1900, 1, 1 }, { 2019, 12, 31 }, { 2020, 1, 1 }, { 2021, 5, 6 }, { 2021, 5, 7 },
		{ 2021, 10, 11 }, { 2022, 3, 16 }, { 2022, 3, 17 }, { 2023, 1, 1 }, { 2200, 12, 31 },
	};
	static char sentinel;
	/* Not NULL beforehand, so that the test sees the parser reset it. */
	struct quarantine_rules *r = (struct quarantine_rules *)(void *)&sentinel;
	struct error err = ERROR_INIT;
	int32_t prev_from = INT32_MIN;
	int rc;

	rc = quarantine_rules_parse((const char *)data, size, &r, &err);
	if (rc < 0) {
		fuzz_check_error(&err, rc);
		FUZZ_CHECK(r == NULL);
		return 0;
	}
	FUZZ_CHECK(rc == 0 && r != NULL);
	for (size_t i = 0; i < ARRAY_SIZE(days); i++)
		check_day(r, vndate_to_days(days[i]), &prev_from);
	quarantine_rules_free(r);
	return 0;
}
