/* estimate.c — calibrating a QPC factor from verified accounts. */
#include "qpc/estimate.h"

#include <stdlib.h>

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Linear interpolation between closest ranks (the common "type 7"). */
static double quantile(const double *v, size_t n, double q)
{
	double pos = q * (double)(n - 1);
	size_t i = (size_t)pos;
	double frac = pos - (double)i;
	return i + 1 < n ? v[i] + (v[i + 1] - v[i]) * frac : v[i];
}

bool qpc_factor_of(double *ratios, size_t n, struct qpc_factor *out)
{
	if (n < QPC_FACTOR_MIN_ACCOUNTS)
		return false;
	qsort(ratios, n, sizeof *ratios, cmp);
	out->n = (int)n;
	out->median = quantile(ratios, n, 0.5);
	out->p25 = quantile(ratios, n, 0.25);
	out->p75 = quantile(ratios, n, 0.75);
	return true;
}
