/* typed.c — parsing what people type. */
#include "qpc/typed.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "qpc/amount.h"
#include "qpc/dateparse.h"

static const char out_of_range[] = "out of range (at most a trillion, 1,000,000,000,000)";
_Static_assert(AMOUNT_MAX_MAJOR == 1000000000000LL, "out_of_range says a trillion");

bool typed_amount(const char *s, int minor_units, qpc_money *out, const char **why)
{
	char buf[64];
	size_t n = strlen(s);
	while (n > 0 && s[n - 1] == ' ')
		n--;
	if (n == 0 || n >= sizeof buf) {
		*why = n ? "too long" : "empty";
		return false;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	/* a k or M suffix multiplies */
	int shift = 0;
	char last = buf[n - 1];
	if (last == 'k' || last == 'K')
		shift = 3;
	else if (last == 'm' || last == 'M')
		shift = 6;
	if (shift)
		buf[--n] = '\0';
	/* Read at four decimals, then scale: x 10^(shift + minor_units - 4). */
	qpc_money v;
	const char *w = NULL, *wc = NULL;
	if (amount_parse(buf, AMOUNT_DEC_POINT, 4, &v, NULL, &w) != AMOUNT_OK &&
	    amount_parse(buf, AMOUNT_DEC_COMMA, 4, &v, NULL, &wc) != AMOUNT_OK) {
		/* the reason of the reading with a point, unless a comma is what
		 * it has: never the separator "the column's" (there is none) */
		if (w && strstr(w, "differs"))
			w = wc;
		/* beyond what four decimals hold is beyond the limit too */
		*why = !w ? "not an amount" : strstr(w, "too large") ? out_of_range : w;
		return false;
	}
	for (int d = shift + minor_units - 4; d > 0; d--)
		if (__builtin_mul_overflow(v, 10, &v)) {
			*why = out_of_range;
			return false;
		}
	if (shift + minor_units < 4) {
		qpc_money div = 1;
		for (int d = shift + minor_units; d < 4; d++)
			div *= 10;
		qpc_money r = v % div; /* one rounding, half away from zero */
		v = v / div + (2 * r >= div) - (2 * r <= -div);
	}
	if (!amount_in_range(v, minor_units)) {
		*why = out_of_range;
		return false;
	}
	*out = v;
	return true;
}

bool typed_share(const char *s, int32_t *bp, const char **why)
{
	const char *w = NULL;
	if (amount_parse_share(s, AMOUNT_DEC_POINT, bp, &w) == AMOUNT_OK ||
	    amount_parse_share(s, AMOUNT_DEC_COMMA, bp, &w) == AMOUNT_OK)
		return true;
	*why = w ? w : "not a share";
	return false;
}

bool typed_date(const char *s, qpc_date today, qpc_date *out, const char **why)
{
	if (strcasecmp(s, "today") == 0) {
		*out = today;
		return true;
	}
	if (strcasecmp(s, "yesterday") == 0) {
		*out = today - 1;
		return true;
	}
	const char *w = NULL;
	qpc_date d;
	if (dateparse_value(s, DATEPARSE_UNDECIDED, &d, &w) != DATEPARSE_OK) {
		*why = w ? w : "not a date (write it as YYYY-MM-DD)";
		return false;
	}
	if (!dateparse_in_range(d)) {
		*why = "out of range (" DATEPARSE_YEARS ")";
		return false;
	}
	*out = d;
	return true;
}

const char *typed_measured_on_why(qpc_date on, qpc_date today)
{
	return on > today ? "measured in the future" : NULL;
}
