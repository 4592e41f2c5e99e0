/*
 * Shared by the support store's files (support.c writes, support_read.c
 * reads): the state of an application as a write checks it, paths and
 * days.
 */
#ifndef THC_STORE_SUPPORT_PRIVATE_H
#define THC_STORE_SUPPORT_PRIVATE_H

#include <stddef.h>
#include <stdint.h>
#include "base/error.h"
#include "domain/unit.h"
#include "store/support.h"

struct sp_state_view {
	char path[128], status[16], deadline[11], started[11];
	char unit[UNIT_CODE_MAX], commune[UNIT_CODE_MAX];
	char idn[SUPPORT_IDN_MAX + 1];
	int64_t step, amount, paid, now_ms;
	int verified;
};

void support_day_iso(int32_t day, char out[11]);
/* Days of a checked YYYY-MM-DD. */
int32_t support_day_of(const char *iso);
int support_state(struct store *st, int64_t id, struct sp_state_view *v, struct error *err);
int support_not_found(int64_t id, struct error *err);
int support_event_add(struct store *st, const struct store_actor *actor, int64_t id,
                      const char *action, int64_t step, const char *level, const char *on_day,
                      const char *deadline, int late, const char *note, struct error *err);
/* Other live applications with this ID number in the programmes of excl. */
int support_count_duplicates(struct store *st, int64_t id, const char *idn, const char *excl,
                             int64_t *n, struct error *err);

#endif
