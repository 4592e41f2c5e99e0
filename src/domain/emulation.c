/* Emulation scores, totals and rankings (rules in emulation.h). */
#include <math.h>

#include "domain/emulation.h"
#include "base/banned.h"

static double emu_round2(double v)
{
	return round(v * 100.0) / 100.0;
}

double emulation_score(double num, double den, int *has)
{
	*has = den > 0;
	if (den <= 0)
		return 0;
	return emu_round2(100.0 * num / den);
}

double emulation_total(const double *scores, const int *weights, size_t n)
{
	double sum = 0;
	long w = 0;

	for (size_t i = 0; i < n; i++) {
		sum += weights[i] * scores[i];
		w += weights[i];
	}
	return w > 0 ? emu_round2(sum / (double)w) : 0;
}

void emulation_rank(const double *totals, size_t n, int *ranks)
{
	for (size_t i = 0; i < n; i++) {
		int r = 1;

		for (size_t k = 0; k < n; k++)
			if (totals[k] > totals[i])
				r++;
		ranks[i] = r;
	}
}

int emulation_is_model(const double *scores, const int *has, size_t n, size_t i)
{
	if (!has[i])
		return 0;
	for (size_t k = 0; k < n; k++)
		if (has[k] && scores[k] > scores[i])
			return 0;
	return 1;
}
