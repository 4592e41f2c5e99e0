/*
 * Businesses and their safe operation (QĐ 2194/QĐ-BCĐQG, 27-05-2020): the
 * tax code, the kinds of safe-operation plan, and the 2194 self-assessment.
 *
 * The index is CSNCLN = (CS1 + ... + CS15) / 300 x 100, a percentage with
 * one decimal (half up); each criterion scores a whole number 0..20.  The
 * bands are whole-number ranges in the decision (<= 15, 16-30, 31-50,
 * 51-80, 81-100); an index between two of them (15.3) belongs to the
 * higher, as (15, 30], (30, 50], ...  The names of CS1..CS15, the actions
 * of the bands above "very low" and the reassessment period are not known
 * from a published text: they are data (data/business/risk-2194.json),
 * each marked with its status, read by business_risk_parse().
 *
 * Pure: no I/O, no clock.  Days count from 1970-01-01 (base/vntime.h).
 * Ownership: business_risk_parse() returns rules freed with
 * business_risk_free(); their strings are borrowed from them.
 */
#ifndef THC_BUSINESS_H
#define THC_BUSINESS_H

#include <stddef.h>
#include <stdint.h>
#include "base/error.h"

#define BUSINESS_CRITERIA 15
#define BUSINESS_SCORE_MAX 20
#define BUSINESS_INDEX_MAX 1000              /* tenths of a percent */
#define BUSINESS_TAX_CODE_MAX 16             /* "0123456789-001" and NUL */
#define BUSINESS_NAME_MAX 300
#define BUSINESS_SECTOR_MAX 200
#define BUSINESS_ADDRESS_MAX 300
#define BUSINESS_NOTE_MAX 2000
#define BUSINESS_WORKERS_MAX 1000000
#define BUSINESS_REASSESS_DAYS_MAX 366
#define BUSINESS_RULES_MAX_BYTES (128 * 1024)
/* A business's own account sees the cases among its workers only as a
 * count, and a count under this as a range: one or two would point at a
 * worker who stays away. */
#define BUSINESS_CASES_SHOWN_MIN 5

#define BUSINESS_BAND_LIST(X) \
	X(VERY_LOW,  "very_low",  "Rất thấp",   "Very low") \
	X(LOW,       "low",       "Thấp",       "Low") \
	X(MEDIUM,    "medium",    "Trung bình", "Medium") \
	X(HIGH,      "high",      "Cao",        "High") \
	X(VERY_HIGH, "very_high", "Rất cao",    "Very high")

enum business_band {
#define X(id, name, vi, en) BUSINESS_BAND_##id,
	BUSINESS_BAND_LIST(X)
#undef X
	BUSINESS_BAND_COUNT
};

/* Kinds of safe-operation plan: "3 tại chỗ" (work, meals and rest on
 * site), "1 cung đường 2 điểm đến" (managed transport between one place of
 * lodging and the site), work in shifts, or the usual way with the
 * measures of 2194 Part 1. */
#define BUSINESS_PLAN_KIND_LIST(X) \
	X(THREE_ON_SITE, "three_on_site", "3 tại chỗ",               "3 on-site") \
	X(ONE_ROUTE,     "one_route",     "1 cung đường 2 điểm đến", "1 route, 2 destinations") \
	X(SHIFTS,        "shifts",        "Làm việc theo ca",         "Work in shifts") \
	X(NORMAL,        "normal",        "Hoạt động bình thường",    "Normal operation")

/* The plan kinds as a NULL-terminated list (field tables). */
extern const char *const business_plan_kinds[];

struct business_criterion {
	const char *code;                 /* CS1 .. CS15 */
	const char *name_vi, *name_en;
	int assumption;
};

struct business_band_rule {
	const char *name_vi, *name_en;
	int max;                          /* the band's top, whole percent */
	const char *action_vi, *action_en;
	int assumption;
};

struct business_risk_rules {
	struct business_criterion criteria[BUSINESS_CRITERIA];
	struct business_band_rule bands[BUSINESS_BAND_COUNT];
	int reassess_days;                /* an assessment is due again after this */
	int reassess_assumption;
	void *doc;                        /* the parsed file the strings live in */
};

/* FIELD_CHECKED: a tax code of 10 digits, or 13 as "0123456789-001" (a
 * branch); 0 or THC_EUNPROCESSABLE naming `field`. */
int business_tax_code_check(const char *field, const char *v, struct error *err);

/* The index in tenths of a percent (0..1000) of 15 scores, each 0..20:
 * sum x 1000 / 300, rounded half up.  -1 when a score is out of range. */
int business_risk_index(const int64_t scores[BUSINESS_CRITERIA]);

/* The band of an index in tenths, by the bands' tops in `r` (NULL: 15,
 * 30, 50, 80, 100): the first band whose top x 10 the index does not
 * exceed. */
enum business_band business_band_of(const struct business_risk_rules *r, int index_tenths);
const char *business_band_name(enum business_band b);
int business_band_from_name(const char *name);     /* enum business_band, or -1 */

/* The day an assessment made on `assessed` is due again. */
int32_t business_reassess_due(const struct business_risk_rules *r, int32_t assessed);

/* The rules file: {criteria:[15 x {code, name{vi,en}, status}], bands:[5 x
 * {code, max, name{vi,en}, actions{vi,en}, status}] in band order ending
 * at 100, reassess_days, reassess_status}.  0 or THC_EUNPROCESSABLE. */
int business_risk_parse(const char *json, size_t len, struct business_risk_rules **out,
                        struct error *err);
void business_risk_free(struct business_risk_rules *r);

#endif
