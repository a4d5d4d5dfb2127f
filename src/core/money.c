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

__extension__ typedef __int128 i128;

/* num / den rounded half away from zero (den != 0). */
static i128 round_div(i128 num, i128 den)
{
	i128 q = num / den, r = num % den; /* C truncates toward zero */
	i128 ar = r < 0 ? -r : r, ad = den < 0 ? -den : den;
	if (ar * 2 >= ad)
		q += (num < 0) == (den < 0) ? 1 : -1;
	return q;
}

static int64_t clamp64(i128 v)
{
	return v > INT64_MAX ? INT64_MAX : v < INT64_MIN ? INT64_MIN : (int64_t)v;
}

int64_t qpc_round_div(int64_t num, int64_t den)
{
	return den == 0 ? 0 : clamp64(round_div(num, den));
}

int64_t qpc_permille(int64_t num, int64_t den)
{
	return den == 0 ? 0 : clamp64(round_div((i128)num * 1000, den));
}

int64_t qpc_percent(int64_t num, int64_t den)
{
	return den == 0 ? 0 : clamp64(round_div((i128)num * 100, den));
}

char *qpc_permille_format(int64_t permille, char *buf, size_t n)
{
	uint64_t m = permille < 0 ? (uint64_t)0 - (uint64_t)permille : (uint64_t)permille;
	snprintf(buf, n, "%s%llu.%llu%%", permille < 0 ? "-" : "", (unsigned long long)(m / 10),
	         (unsigned long long)(m % 10));
	return buf;
}

char *qpc_points_format(int64_t tenths, char *buf, size_t n)
{
	uint64_t m = tenths < 0 ? (uint64_t)0 - (uint64_t)tenths : (uint64_t)tenths;
	const char *sign = tenths < 0 ? "-" : "";
	if (m % 10)
		snprintf(buf, n, "%s%llu.%llu points", sign, (unsigned long long)(m / 10),
		         (unsigned long long)(m % 10));
	else
		snprintf(buf, n, "%s%llu point%s", sign, (unsigned long long)(m / 10), m == 10 ? "" : "s");
	return buf;
}

/* 950, 12.5k, 123k, 1.6M: the magnitude `mag` (in minor units, `scale`
 * of them to the unit) rounded to what fits three digits, so that
 * 1,587,700 reads 1.6M and 999,960 reads 1.0M, not 999.9k. */
static char *short_format(uint64_t mag, uint64_t scale, bool neg, char *buf, size_t n)
{
	static const char *const suffix[] = { "", "k", "M", "B", "T", "P", "E" };
	i128 whole = round_div(mag, scale);
	if (whole < 1000) {
		snprintf(buf, n, "%s%llu", neg && whole ? "-" : "", (unsigned long long)whole);
		return buf;
	}
	i128 unit = scale;
	int s = 0;
	while (s < 6) {
		unit *= 1000;
		s++;
		i128 tenths = round_div((i128)mag * 10, unit);
		if (tenths < 1000) {
			snprintf(buf, n, "%s%llu.%llu%s", neg ? "-" : "", (unsigned long long)(tenths / 10),
			         (unsigned long long)(tenths % 10), suffix[s]);
			return buf;
		}
		whole = round_div(mag, unit);
		if (whole < 1000)
			break;
	}
	snprintf(buf, n, "%s%llu%s", neg ? "-" : "", (unsigned long long)whole, suffix[s]);
	return buf;
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

	if (fmt == QPC_MONEY_SHORT)
		return short_format(mag, scale, v < 0, buf, n);
	if (fmt == QPC_MONEY_WHOLE) {
		/* rounded to the unit (frac * 2 < 2 * 10^4: no overflow) */
		whole += frac * 2 >= scale && minor_units > 0;
		frac = 0;
		minor_units = 0;
		if (whole == 0)
			v = 0; /* no "-0" */
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
		if (fmt != QPC_MONEY_PLAIN && group == 3) {
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
