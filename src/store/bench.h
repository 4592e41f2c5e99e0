/*
 * FOR BENCHMARKS ONLY (bench.c): for bench/levels_bench.c, the Decision
 * 4800 rule as one SQL query, to compare with the in-memory engine on the
 * same data.  Not used by the server or the CLI; not included by
 * store/store.h.  Nothing is returned by pointer; rows are borrowed.
 */
#ifndef THC_STORE_BENCH_H
#define THC_STORE_BENCH_H

#include <stddef.h>
#include <stdint.h>
#include "base/error.h"

struct store;

/* One unit-week.  A negative number, capacity_met -1 or previous_level 0
 * means missing (stored as NULL). */
struct bench_level_row {
	const char *unit_code;        /* borrowed */
	int week;                     /* 0-based week of the year */
	int64_t population, cases_week, cases_prev_week;
	double vax1_18plus_pct, vaxfull_elderly_pct;
	int capacity_met;             /* 1, 0; -1 missing */
	int previous_level;           /* 1..4; 0 none */
};
/* Drops and recreates the scratch table bench_level_inputs and inserts the
 * rows, in one transaction with one prepared statement. */
int store_bench_levels_load(struct store *st, const struct bench_level_row *rows,
                            size_t n, struct error *err);
/* One query: the level of every row; counts[level] (0 = not assessable). */
int store_bench_levels_sql(struct store *st, int64_t counts[5], struct error *err);
/* Drops bench_level_inputs (no error if it is not there). */
int store_bench_levels_drop(struct store *st, struct error *err);

#endif
