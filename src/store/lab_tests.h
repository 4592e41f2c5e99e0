/*
 * Test results, xét nghiệm (lab_tests.c); a positive one may open a case
 * in the same transaction.  Fills ids in the caller's structs; nothing is
 * returned by pointer.
 */
#ifndef THC_STORE_LAB_TESTS_H
#define THC_STORE_LAB_TESTS_H

#include <stdint.h>
#include "base/error.h"
#include "store/cases.h"
#include "store/people.h"

struct store;
struct store_actor;

struct test_rec {
	int64_t id;
	struct person person;
	const char *taken_on, *test_type, *result;
	int64_t case_id;              /* filled when a case was opened */
};
/* open_case (may be NULL): a positive test opens this case in the same
 * transaction (its person and test_type are taken from the test). */
int store_test_create(struct store *st, const struct store_actor *actor,
                      struct test_rec *t, struct case_rec *open_case,
                      struct error *err);

#endif
