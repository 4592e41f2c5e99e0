/*
 * Support to people in hardship (Resolution 68/NQ-CP as amended by
 * Resolution 126 and Decision 33, and a province's own programmes): the
 * programmes as data, eligibility with the reason of a refusal, the amount,
 * and the approval chain with its working-day limits.
 *
 * A programme is one JSON file (data/support/<id>.json):
 *   {id, name{vi,en}, policy, province (null: national), kind person|household,
 *    conditions [{fact, op, value?, reason{vi,en}}], amount {base, per_day,
 *    tiers [{days_from, base}], supplements [{amount, per?, any [{fact,op,value?}]}]},
 *    excludes [ids], documents [{vi,en}], deadline, funding{vi,en},
 *    posting {working_days} | null, chain [{level, name{vi,en}, working_days}],
 *    marks {<key>: {status confirmed|assumption, source}}}
 * Every key of the programme that carries a rule (conditions, amount,
 * excludes, chain, posting, deadline) has its mark: what is confirmed and
 * what is our assumption, and where it comes from.
 *
 * Facts are what an application states (struct support_facts); an op is
 * ">=", "<", "true" or "present".  Amounts are whole đồng.
 *
 * Pure: no I/O, no clock.  Working days are the feedback calendar's
 * (domain/feedback.h): the deadline of a step is the `working_days`-th
 * working day after the day the step started.
 *
 * Ownership: support_catalog_add() keeps the parsed document; the catalog
 * is freed with support_catalog_free(), and everything it hands out is
 * borrowed from it.
 */
#ifndef THC_SUPPORT_H
#define THC_SUPPORT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "base/error.h"

#define SUPPORT_PROGRAMMES_MAX 32
#define SUPPORT_ID_MAX 40            /* bytes of a programme id, NUL included */
#define SUPPORT_STEPS_MAX 6
#define SUPPORT_CONDITIONS_MAX 12
#define SUPPORT_SUPPLEMENTS_MAX 8
#define SUPPORT_EXCLUDES_MAX 16
#define SUPPORT_FILE_MAX_BYTES (64 * 1024)
#define SUPPORT_DAYS_MAX 366
#define SUPPORT_CHILDREN_MAX 20
#define SUPPORT_AMOUNT_MAX 100000000 /* đồng: far above any policy */

/* What an application states.  -1 for an int fact not given. */
struct support_facts {
	int64_t days;                  /* stopped, suspended, treated or quarantined */
	int64_t children_under_6;
	int64_t age;
	int64_t monthly_income;        /* đồng */
	int pregnant, disabled, social_insurance, registered, resident, licensed;
	const char *order_ref;         /* the authority's decision, NULL: none */
};

enum support_level {
	SUPPORT_LEVEL_PROVINCE = 1,
	SUPPORT_LEVEL_DISTRICT = 2,
	SUPPORT_LEVEL_COMMUNE = 3,
};

struct support_step {
	enum support_level level;
	const char *name_vi, *name_en;
	int working_days;
};

struct support_programme {
	const char *id, *name_vi, *name_en, *policy;
	const char *province;          /* NULL: national */
	int household;                 /* applications per household, else per person */
	int posting_days;              /* 0: no public posting */
	int32_t deadline_day;          /* the last day a dossier is taken (days since
	                                * 1970-01-01); 0: open */
	struct support_step steps[SUPPORT_STEPS_MAX];
	size_t nsteps;
	const char *excludes[SUPPORT_EXCLUDES_MAX];
	size_t nexcludes;
	json_t *doc;                   /* the file as read: what the API shows */
};

struct support_catalog;

struct support_catalog *support_catalog_new(void);
void support_catalog_free(struct support_catalog *c);
/* Parses one programme file and adds it; THC_EUNPROCESSABLE naming the key
 * (ids must be unique). */
int support_catalog_add(struct support_catalog *c, const char *json, size_t len,
                        struct error *err);
/* Checks that every programme named in `excludes` exists. */
int support_catalog_check(const struct support_catalog *c, struct error *err);
const struct support_programme *support_programme(const struct support_catalog *c,
                                                  const char *id);
const struct support_programme *support_programme_at(const struct support_catalog *c,
                                                     size_t i);
/* 1 when one person may not receive both (either names the other, or they
 * are the same programme). */
int support_exclusive(const struct support_catalog *c, const char *a, const char *b);
/* "id1,id2,…": a and every programme exclusive with it, for the store. */
void support_exclusive_list(const struct support_catalog *c, const char *a, char *out,
                            size_t outsz);

/* Eligible: 0 with *amount set.  Not eligible: THC_EUNPROCESSABLE whose
 * message is the programme's reason (field "facts.<fact>"). */
int support_assess(const struct support_programme *p, const struct support_facts *f,
                   int64_t *amount, struct error *err);

const char *support_level_name(enum support_level l);

/* A dossier received after the programme's deadline: THC_EUNPROCESSABLE
 * naming "received_on" with the deadline as dd/mm/yyyy; 0 otherwise. */
int support_deadline_check(const struct support_programme *p, int32_t received_day,
                           struct error *err);
/* 1 when a pending step's deadline (YYYY-MM-DD) is before today. */
int support_step_overdue(const char *status, const char *step_deadline, int32_t today);

#endif
