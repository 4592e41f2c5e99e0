/*
 * FOR TESTS ONLY: arming the fault driver (fault.c).  A "fault:<url>"
 * store wraps another and fails the nth call that can fail, so the fault
 * sweeps (tests/unit/store_fixture.c) prove every error path changes
 * nothing.  Not included by store/store.h.
 */
#ifndef THC_STORE_FAULT_H
#define THC_STORE_FAULT_H

struct store;

/* With a "fault:<url>" store, the nth next call that can fail
 * (exec, prepare, step, begin, commit) fails with THC_ESTORE; 0 disarms.
 * No effect on other stores. */
void store_fault_arm(struct store *st, long nth);
/* The same for the nth next bind of a parameter (reported at the step). */
void store_fault_arm_bind(struct store *st, long nth);

#endif
