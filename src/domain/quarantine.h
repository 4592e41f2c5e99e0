/*
 * Quarantine of contacts (F1/F2) under dated rules: the rule in force on
 * the day of exposure gives the number of days.  The rules are data
 * (data/quarantine.json): periods [{from, f1_days, f2_days, note, status}],
 * each in force from its date until the next one.  status is "confirmed"
 * (read in the source) or "assumption" (our reading, to be checked).
 *
 * Pure: no I/O, no clock.  Days count from 1970-01-01 (base/vntime.h).
 * A quarantine starts on the exposure day and ends `days` days later
 * (end = exposure + days); 0 days means no quarantine (end = start).
 *
 * Ownership: quarantine_rules_parse() returns rules the caller frees with
 * quarantine_rules_free(); rule ids and notes are borrowed from them.
 */
#ifndef THC_QUARANTINE_H
#define THC_QUARANTINE_H

#include <stddef.h>
#include <stdint.h>
#include "base/error.h"

#define QUARANTINE_PERIODS_MAX 64
#define QUARANTINE_DAYS_MAX 60
#define QUARANTINE_RULES_MAX_BYTES (64 * 1024)

struct quarantine_rules;

/* Parses the rules file text; 0 or THC_EUNPROCESSABLE naming the period and field. */
int quarantine_rules_parse(const char *json, size_t len, struct quarantine_rules **out,
                           struct error *err);
/* degree 1 or 2; exposure_day in days.  0, or THC_EUNPROCESSABLE when no
 * rule covers the day or the degree is wrong.  *rule_id is "from-date" of
 * the period applied (borrowed). */
int quarantine_compute(const struct quarantine_rules *r, int degree, int32_t exposure_day,
                       int32_t *start, int32_t *end, const char **rule_id,
                       struct error *err);
/* The period in force on a day: its note and whether it is an assumption. */
int quarantine_rule_info(const struct quarantine_rules *r, int32_t day,
                         const char **note, int *assumption);
void quarantine_rules_free(struct quarantine_rules *r);

#endif
