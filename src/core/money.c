/* money.c — parsing, rounding and formatting of integer money. */
#include "qpc/money.h"

#include <stdio.h>
#include <string.h>

bool qpc_money_add(qpc_money a, qpc_money b, qpc_money *out)
{
	qpc_money r;
	if (__builtin_add_overflow(a, b, &r))
		return false;
	*out = r;
	return true;
}

bool qpc_money_sub(qpc_money a, qpc_money b, qpc_money *out)
{
	qpc_money r;
	if (__builtin_sub_overflow(a, b, &r))
		return false;
	*out = r;
	return true;
}

#define FAIL(reason) do { if (why) *why = (reason); return false; } while (0)

bool qpc_money_parse_plain(const char *s, int minor_units, qpc_money *out, const char **why)
{
	if (minor_units < 0 || minor_units > QPC_MINOR_UNITS_MAX)
		FAIL("unsupported number of currency decimals");
	if (!s || !*s)
		FAIL("empty amount");
	const char *p = s;
	bool neg = false;
	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	/* Significant digits, leading zeros dropped; `point` is how many of
	 * them stand left of the decimal point (negative: zeros in between). */
	char dig[40];
	int nd = 0;
	long point = 0;
	bool any = false, after_point = false;
	for (;; p++) {
		if (*p >= '0' && *p <= '9') {
			any = true;
			if (nd == 0 && *p == '0') {
				if (after_point)
					point--;
				continue;
			}
			if (nd < (int)sizeof dig)
				dig[nd++] = *p;
			else if (!after_point)
				FAIL("amount too large");
			if (!after_point)
				point++;
		} else if (*p == '.' && !after_point) {
			after_point = true;
		} else {
			break;
		}
	}
	if (!any)
		FAIL("not a number");
	long exp10 = 0;
	if (*p == 'e' || *p == 'E') {
		p++;
		bool eneg = false;
		if (*p == '-' || *p == '+')
			eneg = *p++ == '-';
		if (!(*p >= '0' && *p <= '9'))
			FAIL("malformed exponent");
		for (; *p >= '0' && *p <= '9'; p++)
			if (exp10 < 100000)
				exp10 = exp10 * 10 + (*p - '0');
		if (eneg)
			exp10 = -exp10;
	}
	if (*p != '\0')
		FAIL("not a number");
	if (nd == 0) {
		*out = 0;
		return true;
	}
	long cut = point + exp10 + minor_units; /* digits kept as minor units */
	if (cut > 19)
		FAIL("amount too large");
	uint64_t v = 0;
	for (long i = 0; i < cut; i++) {
		unsigned c = i < nd ? (unsigned)(dig[i] - '0') : 0;
		if (v > (UINT64_MAX - c) / 10)
			FAIL("amount too large");
		v = v * 10 + c;
	}
	if (cut >= 0 && cut < nd && dig[cut] >= '5')
		v++; /* half away from zero: the sign is applied after */
	if (v > (uint64_t)INT64_MAX)
		FAIL("amount too large");
	*out = neg ? -(qpc_money)v : (qpc_money)v;
	return true;
}

char *qpc_money_format(qpc_money v, int minor_units, enum qpc_money_fmt fmt, char *buf, size_t n)
{
	uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	uint64_t scale = 1;
	for (int i = 0; i < minor_units; i++)
		scale *= 10;
	uint64_t whole = mag / scale, frac = mag % scale;
	char tmp[64];
	char *t = tmp + sizeof tmp;
	*--t = '\0';

	if (fmt == QPC_MONEY_SHORT) {
		static const char *suffix[] = { "", "k", "M", "B", "T", "P", "E" };
		int s = 0;
		uint64_t w = whole, tenth = 0;
		while (w >= 1000 && s < 6) {
			tenth = (w % 1000) / 100;
			w /= 1000;
			s++;
		}
		if (s > 0 && w < 100)
			snprintf(buf, n, "%s%llu.%llu%s", v < 0 ? "-" : "", (unsigned long long)w,
			         (unsigned long long)tenth, suffix[s]);
		else
			snprintf(buf, n, "%s%llu%s", v < 0 ? "-" : "", (unsigned long long)w, suffix[s]);
		return buf;
	}
	if (minor_units > 0) {
		for (int i = 0; i < minor_units; i++) {
			*--t = (char)('0' + frac % 10);
			frac /= 10;
		}
		*--t = '.';
	}
	int group = 0;
	do {
		if (fmt == QPC_MONEY_GROUPED && group == 3) {
			*--t = ',';
			group = 0;
		}
		*--t = (char)('0' + whole % 10);
		whole /= 10;
		group++;
	} while (whole);
	if (v < 0)
		*--t = '-';
	snprintf(buf, n, "%s", t);
	return buf;
}

double qpc_money_major(qpc_money v, int minor_units)
{
	double d = (double)v;
	for (int i = 0; i < minor_units; i++)
		d /= 10.0;
	return d;
}
