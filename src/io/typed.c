/* typed.c — parsing what people type. */
#include "qpc/typed.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "qpc/amount.h"
#include "qpc/dateparse.h"

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
	const char *w = NULL;
	if (amount_parse(buf, AMOUNT_DEC_POINT, 4, &v, NULL, &w) != AMOUNT_OK &&
	    amount_parse(buf, AMOUNT_DEC_COMMA, 4, &v, NULL, &w) != AMOUNT_OK) {
		*why = w ? w : "not an amount";
		return false;
	}
	for (int d = shift + minor_units - 4; d > 0; d--)
		if (__builtin_mul_overflow(v, 10, &v)) {
			*why = "too large";
			return false;
		}
	if (shift + minor_units < 4) {
		qpc_money div = 1;
		for (int d = shift + minor_units; d < 4; d++)
			div *= 10;
		qpc_money r = v % div; /* one rounding, half away from zero */
		v = v / div + (2 * r >= div) - (2 * r <= -div);
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
	if (dateparse_value(s, DATEPARSE_UNDECIDED, out, &w) == DATEPARSE_OK)
		return true;
	*why = w ? w : "not a date (write it as YYYY-MM-DD)";
	return false;
}
