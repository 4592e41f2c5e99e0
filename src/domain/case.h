/*
 * F0 cases and the people they concern: the checks every entry path (API,
 * CSV import, CLI) applies before the store.  Pure: "today" is passed in.
 */
#ifndef THC_CASE_H
#define THC_CASE_H

#include <stdint.h>
#include "base/error.h"

#define CASE_FIRST_DAY "2020-01-01"     /* no case is detected before this */
#define CASE_NAME_MAX 200               /* bytes of a full name */
#define CASE_TEXT_MAX 500               /* address, setting, external id ... */
#define CASE_BIRTH_YEAR_MIN 1890        /* the oldest person alive was born after it */

/* Each returns 0 or THC_EUNPROCESSABLE naming `field` ("field 'x'"; a name
 * starting with '@' is a CSV column: "@detected_on" gives "column
 * detected_on"); NULL/"" is allowed where the value is optional (the caller
 * says which are required). */
int case_check_enum(const char *field, const char *v, const char *const *allowed,
                    struct error *err);
/* CCCD (12 digits) or CMND (9 digits). */
int case_check_id_number(const char *field, const char *v, struct error *err);
/* A phone number: 8 to 15 digits, spaces, '.', '-', a leading '+'. */
int case_check_phone(const char *field, const char *v, struct error *err);
/* A day YYYY-MM-DD in [2020-01-01, today]; *day gets it in days. */
int case_check_day(const char *field, const char *v, int32_t today, int32_t *day,
                   struct error *err);
int case_check_birth_year(const char *field, int64_t year, int32_t today,
                          struct error *err);
int case_check_name(const char *field, const char *v, struct error *err);
/* Plain text (base/text.h text_plain_check): no control or bidirectional
 * characters; line breaks and tabs only when multiline.  NULL is fine. */
int case_check_text(const char *field, const char *v, int multiline, struct error *err);

extern const char *const case_sexes[];          /* male, female, other */
extern const char *const case_sources[];        /* community, quarantine, imported */
extern const char *const case_test_types[];     /* rt-pcr, antigen */
extern const char *const case_severities[];     /* asymptomatic .. critical */
extern const char *const case_care_places[];    /* home, facility, hospital */
extern const char *const case_outcomes[];       /* recovered, died */
extern const char *const case_test_results[];   /* positive, negative, pending */

/* Moderate and worse need oxygen (the rule of the 2021 treatment guidance). */
int case_severity_needs_oxygen(const char *severity);

#endif
