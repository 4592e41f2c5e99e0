/*
 * Checks of a level_assess() result shared by fuzz_rules.c and
 * fuzz_assess.c: whatever the rules and the input, a result stays within
 * its documented ranges.
 */
#ifndef THC_FUZZ_LEVEL_CHECK_H
#define THC_FUZZ_LEVEL_CHECK_H

#include <math.h>
#include <string.h>

#include "domain/level.h"
#include "fuzz.h"

static inline void check_text(const char *s)
{
	const char *end = memchr(s, '\0', LEVEL_TEXT_MAX);

	FUZZ_CHECK(end != NULL);
	FUZZ_CHECK(text_utf8_valid(s, (size_t)(end - s)));
}

static inline void check_result(const struct level_rules *r, const struct level_input *in,
                                int rc, const struct level_result *res)
{
	unsigned need = level_rules_required(r);

	check_text(res->explain_vi);
	check_text(res->explain_en);
	FUZZ_CHECK(res->level >= LEVEL_NONE && res->level <= LEVEL_MAX);
	FUZZ_CHECK(res->assumption == 0 || res->assumption == 1);
	if (rc < 0) {
		FUZZ_CHECK(rc == THC_EINVAL && res->level == LEVEL_NONE);
		FUZZ_CHECK(level_input_check(in, &(struct error)ERROR_INIT) == THC_EINVAL);
		return;
	}
	FUZZ_CHECK(rc == 0 && level_input_check(in, &(struct error)ERROR_INIT) == 0);
	FUZZ_CHECK(res->rule_set == level_rules_id(r));
	if (res->level == LEVEL_NONE) {
		/* Not assessable only for a reason it names. */
		FUZZ_CHECK(res->missing != 0);
		FUZZ_CHECK((res->missing & ~(need | LEVEL_HAS(LEVEL_F_CAPACITY_MET))) == 0);
		FUZZ_CHECK((need & ~in->present) == res->missing ||
		           res->missing == LEVEL_HAS(LEVEL_F_CAPACITY_MET));
		return;
	}
	FUZZ_CHECK((need & ~in->present) == 0 && res->missing == 0);
	FUZZ_CHECK(res->matrix_level >= LEVEL_MIN && res->matrix_level <= res->level);
	FUZZ_CHECK(res->transmission_base >= LEVEL_MIN &&
	           res->transmission >= res->transmission_base &&
	           res->transmission <= LEVEL_MAX);
	FUZZ_CHECK(res->cases_band >= 0 && res->cases_band <= LEVEL_MAX);
	FUZZ_CHECK(res->oxygen_band >= 0 && res->oxygen_band <= LEVEL_MAX);
	FUZZ_CHECK(res->deaths_band >= 0 && res->deaths_band <= LEVEL_MAX);
	FUZZ_CHECK(res->vaccination >= -1 && res->vaccination <= 1);
	FUZZ_CHECK(res->cases_per_100k == -1 || (res->cases_per_100k >= 0 &&
	                                          isfinite(res->cases_per_100k)));
	/* A level stays where it was only because of the no-downgrade rule. */
	if (res->adjustments & LEVEL_ADJ_NO_DOWNGRADE)
		FUZZ_CHECK(res->level == in->previous_level);
	if (res->explain_en[0] != '\0') {
		FUZZ_CHECK(strncmp(res->explain_en, "Level ", 6) == 0 &&
		           res->explain_en[6] == '0' + res->level);
		FUZZ_CHECK(strncmp(res->explain_vi, "Cấp ", strlen("Cấp ")) == 0);
	}
}

static inline int same_result(const struct level_result *a, const struct level_result *b)
{
	return a->level == b->level && a->cases_band == b->cases_band &&
	       a->oxygen_band == b->oxygen_band && a->deaths_band == b->deaths_band &&
	       a->transmission_base == b->transmission_base &&
	       a->transmission == b->transmission && a->matrix_level == b->matrix_level &&
	       a->vaccination == b->vaccination && a->capacity == b->capacity &&
	       a->adjustments == b->adjustments && a->assumption == b->assumption &&
	       a->missing == b->missing &&
	       memcmp(&a->cases_per_100k, &b->cases_per_100k, sizeof(double)) == 0 &&
	       memcmp(&a->oxygen_per_100k, &b->oxygen_per_100k, sizeof(double)) == 0 &&
	       memcmp(&a->deaths_per_100k, &b->deaths_per_100k, sizeof(double)) == 0;
}

#endif
