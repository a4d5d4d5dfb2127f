/* estimate.h — QPC by formula where nobody has measured it yet.
 *
 * The method: about half of customers state their QPC; for the rest, a
 * formula over measurable variables.  qpc's formula is size times a factor:
 * QPC per employee (or per unit of annual revenue) in a product category,
 * calibrated on the verified QPC lines of accounts in the same segment.
 * The factor is the median of those accounts' ratios; the middle half
 * (25th to 75th percentile) shows how far they spread.
 */
#ifndef QPC_ESTIMATE_H
#define QPC_ESTIMATE_H

#include <stdbool.h>
#include <stddef.h>

/* Fewest verified accounts a factor may rest on. */
#define QPC_FACTOR_MIN_ACCOUNTS 3

struct qpc_factor {
	int n;         /* accounts it rests on */
	double median; /* QPC (major units) per unit of size */
	double p25, p75;
};

/* Computes the factor from n ratios (sorted in place); false when fewer
 * than QPC_FACTOR_MIN_ACCOUNTS. */
bool qpc_factor_of(double *ratios, size_t n, struct qpc_factor *out);

#endif
