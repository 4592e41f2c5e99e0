/*
 * Emulation movements (phong trào thi đua): scores of units on benchmark
 * indicators, their weighted total and the rankings within a parent unit.
 * Pure arithmetic; what each indicator counts is the store's
 * (store/emulation.h).  The rules, so that anyone can recompute them:
 * - an indicator's score is 100 * num / den, rounded to 2 decimals; a unit
 *   with den 0 has no data and scores 0;
 * - the total is sum(weight * score) / sum(weight), rounded to 2 decimals;
 * - the rank is 1 + the number of units with a strictly higher total (ties
 *   share a rank);
 * - the model units of an indicator are those with data and its highest
 *   score.
 */
#ifndef THC_DOMAIN_EMULATION_H
#define THC_DOMAIN_EMULATION_H

#include <stddef.h>

#define EMU_INDICATORS_MAX 16
#define EMU_WEIGHT_MAX 100

/* 100 * num / den rounded to 2 decimals; 0 and *has = 0 when den <= 0. */
double emulation_score(double num, double den, int *has);
/* The weighted total of n scores, rounded to 2 decimals; 0 if no weight. */
double emulation_total(const double *scores, const int *weights, size_t n);
/* ranks[i] for each of the n totals (competition ranking, highest first). */
void emulation_rank(const double *totals, size_t n, int *ranks);
/* 1 if unit i is a model on an indicator (scores of all n units, has: data). */
int emulation_is_model(const double *scores, const int *has, size_t n, size_t i);

#endif
