/* amount.c — money, counts and shares as CRM and ERP exports write them.
 *
 * A value is first taken apart (sign, parentheses, currency, the digits
 * with their separators, exponent) without deciding what '.' and ','
 * mean; then the decimal separator is resolved for a mode, the grouping is
 * checked, and a plain decimal goes to qpc_money_parse_plain.
 */
#include "qpc/amount.h"

#include <stdbool.h>
#include <string.h>

#define MANT_MAX 64

/* A number taken apart.  mant holds digits, '.', ',' and 'g' for a space
 * or apostrophe used as grouping. */
struct num {
	bool neg;
	char cur[AMOUNT_CURRENCY_MAX];
	char mant[MANT_MAX + 1];
	int nmant;
	char exp[16]; /* "e-5", or "" */
};

#define FAIL(rc, reason) do { if (why) *why = (reason); return (rc); } while (0)

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Byte length of a space at p: ASCII space or tab, U+00A0, U+2007, U+2009,
 * U+202F; 0 when there is none. */
static size_t space_at(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;
	if (u[0] == ' ' || u[0] == '\t')
		return 1;
	if (u[0] == 0xC2 && u[1] == 0xA0)
		return 2;
	if (u[0] == 0xE2 && u[1] == 0x80 && (u[2] == 0xAF || u[2] == 0x89 || u[2] == 0x87))
		return 3;
	return 0;
}

/* Byte length of a space ending just before end, not before start. */
static size_t space_before(const char *start, const char *end)
{
	for (size_t k = 1; k <= 3 && k <= (size_t)(end - start); k++)
		if (space_at(end - k) == k)
			return k;
	return 0;
}

/* An apostrophe used as grouping (Swiss 1'234.50): ' or U+2019. */
static size_t apos_at(const char *p)
{
	if (*p == '\'')
		return 1;
	return strncmp(p, "\xE2\x80\x99", 3) == 0 ? 3 : 0;
}

/* A minus: '-' or U+2212. */
static size_t minus_at(const char *p)
{
	if (*p == '-')
		return 1;
	return strncmp(p, "\xE2\x88\x92", 3) == 0 ? 3 : 0;
}

static const char *const symbols[] = {
	"$", "€", "£", "¥", "₹", "₩", "₽", "₺", "₪", "₫", "₱", "₴", "₦", "฿", "¢",
	"kr", "zł", "Kč", "Ft", "Rs",
};

/* Byte length of a currency marker at p, 0 when none: a symbol, up to three
 * capitals and '$' (US$, HK$), or a three-letter ISO code. */
static size_t currency_at(const char *p)
{
	/* every marker starts with '$', a letter or a non-ASCII byte: a digit
	 * (where most values start) is answered before the list of symbols */
	if ((unsigned char)*p < 'A' && *p != '$')
		return 0;
	size_t n = 0;
	while (n < 4 && p[n] >= 'A' && p[n] <= 'Z')
		n++;
	if (n <= 3 && p[n] == '$')
		return n + 1;
	if (n == 3 && !is_alpha(p[3]))
		return 3;
	for (size_t i = 0; i < sizeof symbols / sizeof symbols[0]; i++) {
		size_t k = strlen(symbols[i]);
		if (strncmp(p, symbols[i], k) == 0 && !is_alpha(p[k]))
			return k;
	}
	return 0;
}

static const char *skip_spaces(const char *p)
{
	size_t k;
	while ((k = space_at(p)))
		p += k;
	return p;
}

/* Reads the sign, currency and parenthesis markers around the number:
 * at most one of each; returns false on a second one. */
static bool take_marker(const char **pp, struct num *n, int *signs, bool trailing)
{
	const char *p = *pp;
	size_t k;
	if ((k = minus_at(p)) || (*p == '+' && !trailing)) {
		if ((*signs)++)
			return false;
		n->neg = k != 0;
		*pp = p + (k ? k : 1);
		return true;
	}
	if ((k = currency_at(p))) {
		if (n->cur[0] || k >= AMOUNT_CURRENCY_MAX)
			return false;
		memcpy(n->cur, p, k);
		n->cur[k] = '\0';
		*pp = p + k;
		return true;
	}
	return false;
}

/* Longest amount accepted, spaces around it excluded. */
#define TEXT_MAX 127

static enum amount_rc take_apart(const char *s, struct num *n, const char **why)
{
	char text[TEXT_MAX + 1];
	memset(n, 0, sizeof *n);
	const char *p = skip_spaces(s ? s : "");
	size_t len = strlen(p), k;
	while ((k = space_before(p, p + len)))
		len -= k;
	if (len == 0)
		return AMOUNT_EMPTY;
	if (len > TEXT_MAX)
		FAIL(AMOUNT_INVALID, "too long for an amount");
	memcpy(text, p, len);
	text[len] = '\0';
	p = text;
	const char *end = text + len;

	int signs = 0;
	bool paren = *p == '(';
	if (paren)
		p = skip_spaces(p + 1);
	while (take_marker(&p, n, &signs, false))
		p = skip_spaces(p);
	if (!is_digit(*p) && !((*p == '.' || *p == ',') && is_digit(p[1])))
		FAIL(AMOUNT_INVALID, "not a number");

	while (p < end) {
		char c = *p;
		if (is_digit(c) || c == '.' || c == ',') {
			k = 1;
		} else if ((k = space_at(p)) || (k = apos_at(p))) {
			if (!is_digit(p[k]))
				break;
			c = 'g';
		} else if ((c == 'e' || c == 'E') &&
			   (is_digit(p[1]) || ((p[1] == '+' || p[1] == '-') && is_digit(p[2])))) {
			size_t e = 0;
			n->exp[e++] = 'e';
			p++;
			if (*p == '+' || *p == '-')
				n->exp[e++] = *p++;
			while (is_digit(*p)) {
				if (e + 1 >= sizeof n->exp)
					FAIL(AMOUNT_INVALID, "exponent too large");
				n->exp[e++] = *p++;
			}
			break;
		} else {
			break;
		}
		if (n->nmant == MANT_MAX)
			FAIL(AMOUNT_INVALID, "too many digits");
		n->mant[n->nmant++] = c;
		p += k;
	}

	p = skip_spaces(p);
	bool closed = false;
	while (p < end) {
		if (paren && !closed && *p == ')')
			closed = true, p++;
		else if (!take_marker(&p, n, &signs, true))
			break;
		p = skip_spaces(p);
	}
	if (p != end) {
		if (*p == ')' || *p == '(')
			FAIL(AMOUNT_INVALID, "unbalanced parentheses");
		if (currency_at(p))
			FAIL(AMOUNT_INVALID, "more than one currency");
		if (minus_at(p) || *p == '+')
			FAIL(AMOUNT_INVALID, "more than one sign");
		FAIL(AMOUNT_INVALID, "unexpected text after the number");
	}
	if (paren && !closed)
		FAIL(AMOUNT_INVALID, "unbalanced parentheses");
	if (paren && signs)
		FAIL(AMOUNT_INVALID, "both parentheses and a sign");
	if (paren)
		n->neg = true;
	return AMOUNT_OK;
}

/* Decides which character of the mantissa is the decimal separator
 * ('.', ',' or 0 for none) under mode dec. */
static enum amount_rc resolve(const struct num *n, enum amount_dec dec, char *dsep,
			      const char **why)
{
	int dots = 0, commas = 0, gs = 0, last_dot = -1, last_comma = -1;
	int first_dot = -1, first_comma = -1;
	for (int i = 0; i < n->nmant; i++) {
		if (n->mant[i] == '.') {
			if (first_dot < 0)
				first_dot = i;
			last_dot = i, dots++;
		} else if (n->mant[i] == ',') {
			if (first_comma < 0)
				first_comma = i;
			last_comma = i, commas++;
		} else if (n->mant[i] == 'g') {
			gs++;
		}
	}
	char mode = dec == AMOUNT_DEC_POINT ? '.' : dec == AMOUNT_DEC_COMMA ? ',' : 0;
	char c = dots ? '.' : commas ? ',' : 0;

	if (n->exp[0]) {
		if (gs || (dots && commas))
			FAIL(AMOUNT_INVALID, "grouping in a number with an exponent");
		if (dots + commas > 1)
			FAIL(AMOUNT_INVALID, "more than one decimal separator");
		if (c && mode && c != mode)
			FAIL(AMOUNT_INVALID, "decimal separator differs from the column's");
		*dsep = c;
		return AMOUNT_OK;
	}
	if (dots && commas) {
		c = last_dot > last_comma ? '.' : ',';
		int count = c == '.' ? dots : commas;
		int other_last = c == '.' ? last_comma : last_dot;
		int mine_first = c == '.' ? first_dot : first_comma;
		if (count > 1 || other_last > mine_first)
			FAIL(AMOUNT_INVALID, "mixed-up separators");
		if (mode && c != mode)
			FAIL(AMOUNT_INVALID, "decimal separator differs from the column's");
		*dsep = c;
		return AMOUNT_OK;
	}
	if (!c) {
		*dsep = 0;
		return AMOUNT_OK;
	}
	if (dots + commas > 1) {
		if (c == mode)
			FAIL(AMOUNT_INVALID, "more than one decimal separator");
		*dsep = 0;
		return AMOUNT_OK;
	}
	if (mode) {
		*dsep = c == mode ? c : 0;
		return AMOUNT_OK;
	}
	/* AUTO, one separator.  Beside space grouping it can only be the
	 * decimal; otherwise it is ambiguous exactly when it could also be
	 * a thousands separator: 1-3 digits before (no leading zero), 3 after. */
	int at = c == '.' ? last_dot : last_comma;
	int after = n->nmant - at - 1;
	if (!gs && at >= 1 && at <= 3 && after == 3 && n->mant[0] != '0')
		FAIL(AMOUNT_AMBIGUOUS, "could have a decimal point or a decimal comma");
	*dsep = c;
	return AMOUNT_OK;
}

/* Checks the grouping of the integer part and writes the plain decimal. */
static enum amount_rc build_plain(const struct num *n, char dsep, char *out, const char **why)
{
	int end = n->nmant, dpos = -1;
	for (int i = 0; i < n->nmant; i++)
		if (n->mant[i] == dsep) {
			dpos = i;
			end = i;
			break;
		}
	char gch = 0;
	int ngroups = 0, len = 0, first = 0, mid = 0, last = 0;
	char *o = out;
	if (n->neg)
		*o++ = '-';
	for (int i = 0; i <= end; i++) {
		char c = i < end ? n->mant[i] : 0;
		if (is_digit(c)) {
			*o++ = c;
			len++;
			continue;
		}
		if (c) {
			if (gch && c != gch)
				FAIL(AMOUNT_INVALID, "mixed-up separators");
			gch = c;
		}
		if (!c && !gch)
			break; /* no grouping at all */
		if (ngroups == 0) {
			first = len;
		} else if (c) {
			if (mid && len != mid)
				FAIL(AMOUNT_INVALID, "misplaced thousands separator");
			mid = len;
		} else {
			last = len;
		}
		ngroups++;
		len = 0;
	}
	/* No grouped number starts with 0: "0.005" is not 5 in comma mode,
	 * as in AUTO it is not read as grouping either. */
	if (gch && (last != 3 || (mid != 0 && mid != 2 && mid != 3) || first < 1 ||
		    first > (mid ? mid : 3) || n->mant[0] == '0'))
		FAIL(AMOUNT_INVALID, "misplaced thousands separator");
	if (dpos >= 0) {
		*o++ = '.';
		for (int i = dpos + 1; i < n->nmant; i++) {
			if (!is_digit(n->mant[i]))
				FAIL(AMOUNT_INVALID, "separator among the decimals");
			*o++ = n->mant[i];
		}
	}
	strcpy(o, n->exp);
	return AMOUNT_OK;
}

static enum amount_rc to_plain(const struct num *n, enum amount_dec dec, char *out,
			       const char **why)
{
	char dsep;
	enum amount_rc rc = resolve(n, dec, &dsep, why);
	if (rc != AMOUNT_OK)
		return rc;
	return build_plain(n, dsep, out, why);
}

/* Large enough for a sign, MANT_MAX digits, a point and an exponent. */
#define PLAIN_MAX (MANT_MAX + 24)

/* The common case in one pass: "-1234.5", "14598", nothing around them.
 * True with *out set when s is only a sign, 1 to 14 digits and, where the
 * mode reads '.' as the decimal point, a point and 1 to minor_units
 * digits; false (nothing decided) for anything else, which goes the long
 * way.  In AUTO a point with three digits after it could be grouping: the
 * long way, which knows what to make of it. */
static bool plain_fast(const char *s, enum amount_dec dec, int minor_units, qpc_money *out)
{
	const char *p = s;
	if (!p)
		return false;
	bool neg = *p == '-';
	p += neg;
	qpc_money v = 0;
	int nd = 0, nf = 0;
	/* at most 14 + QPC_MINOR_UNITS_MAX digits: no overflow */
	for (; is_digit(*p) && nd < 14; p++, nd++)
		v = v * 10 + (*p - '0');
	if (nd == 0 || is_digit(*p))
		return false;
	if (*p == '.' && dec != AMOUNT_DEC_COMMA) {
		for (p++; is_digit(*p) && nf < minor_units; p++, nf++)
			v = v * 10 + (*p - '0');
		if (nf == 0 || is_digit(*p) || (dec == AMOUNT_DEC_AUTO && nf == 3))
			return false;
	}
	if (*p)
		return false;
	for (; nf < minor_units; nf++)
		v *= 10;
	*out = neg ? -v : v;
	return true;
}

enum amount_rc amount_parse(const char *s, enum amount_dec dec, int minor_units,
			    qpc_money *out, char *currency, const char **why)
{
	struct num n;
	char plain[PLAIN_MAX];
	qpc_money v;
	if (minor_units >= 0 && minor_units <= QPC_MINOR_UNITS_MAX &&
	    plain_fast(s, dec, minor_units, out)) {
		if (currency)
			currency[0] = '\0';
		return AMOUNT_OK;
	}
	enum amount_rc rc = take_apart(s, &n, why);
	if (rc == AMOUNT_OK)
		rc = to_plain(&n, dec, plain, why);
	if (rc != AMOUNT_OK)
		return rc;
	if (!qpc_money_parse_plain(plain, minor_units, &v, why))
		return AMOUNT_INVALID;
	*out = v;
	if (currency)
		strcpy(currency, n.cur);
	return AMOUNT_OK;
}

/* n read with the separator of dec, as ten-thousandths; false unless whole. */
static bool whole_reading(const struct num *n, enum amount_dec dec, qpc_money *v)
{
	char plain[PLAIN_MAX];
	return to_plain(n, dec, plain, NULL) == AMOUNT_OK &&
	       qpc_money_parse_plain(plain, 4, v, NULL) && *v % 10000 == 0;
}

enum amount_rc amount_parse_count(const char *s, enum amount_dec dec, int64_t *out,
				  const char **why)
{
	struct num n;
	char plain[PLAIN_MAX];
	qpc_money v;
	if (s && *s != '-' && plain_fast(s, AMOUNT_DEC_COMMA, 0, &v)) { /* digits alone */
		*out = v;
		return AMOUNT_OK;
	}
	enum amount_rc rc = take_apart(s, &n, why);
	if (rc != AMOUNT_OK)
		return rc;
	if (n.cur[0])
		FAIL(AMOUNT_INVALID, "a count has no currency");
	if (n.neg)
		FAIL(AMOUNT_INVALID, "negative count");
	rc = to_plain(&n, dec, plain, why);
	if (rc == AMOUNT_AMBIGUOUS) {
		qpc_money vp, vc;
		bool p = whole_reading(&n, AMOUNT_DEC_POINT, &vp);
		bool c = whole_reading(&n, AMOUNT_DEC_COMMA, &vc);
		if (p == c)
			return rc;
		*out = (p ? vp : vc) / 10000;
		return AMOUNT_OK;
	}
	if (rc != AMOUNT_OK)
		return rc;
	if (!qpc_money_parse_plain(plain, 4, &v, why))
		return AMOUNT_INVALID;
	if (v % 10000 != 0)
		FAIL(AMOUNT_INVALID, "not a whole number");
	*out = v / 10000;
	return AMOUNT_OK;
}

#define SHARE_MAX_BP 1000000 /* 10000% */

/* The share n reads as with separator dec, in basis points. */
static enum amount_rc share_value(const struct num *n, enum amount_dec dec, bool percent,
				  int32_t *bp, const char **why)
{
	char plain[PLAIN_MAX];
	qpc_money v;
	enum amount_rc rc = to_plain(n, dec, plain, why);
	if (rc != AMOUNT_OK)
		return rc;
	if (!qpc_money_parse_plain(plain, 4, &v, why))
		return AMOUNT_INVALID;
	if ((percent || v > 10000) && !qpc_money_parse_plain(plain, 2, &v, why))
		return AMOUNT_INVALID;
	if (v > SHARE_MAX_BP)
		FAIL(AMOUNT_INVALID, "share above 10000%");
	*bp = (int32_t)v;
	return AMOUNT_OK;
}

enum amount_rc amount_parse_share(const char *s, enum amount_dec dec, int32_t *bp,
				  const char **why)
{
	char buf[MANT_MAX + 32];
	const char *p = skip_spaces(s ? s : "");
	size_t len = strlen(p), k;
	while ((k = space_before(p, p + len)))
		len -= k;
	bool percent = len > 0 && p[len - 1] == '%';
	if (percent)
		len--;
	if (len >= sizeof buf)
		FAIL(AMOUNT_INVALID, "not a share");
	memcpy(buf, p, len);
	buf[len] = '\0';

	struct num n;
	enum amount_rc rc = take_apart(buf, &n, why);
	if (rc == AMOUNT_EMPTY && percent)
		FAIL(AMOUNT_INVALID, "not a number");
	if (rc != AMOUNT_OK)
		return rc;
	if (n.cur[0])
		FAIL(AMOUNT_INVALID, "a share has no currency");
	if (n.neg)
		FAIL(AMOUNT_INVALID, "negative share");
	rc = share_value(&n, dec, percent, bp, why);
	if (rc == AMOUNT_AMBIGUOUS) { /* "33.333%": 33333% is out of range */
		int32_t vp, vc;
		bool p_ok = share_value(&n, AMOUNT_DEC_POINT, percent, &vp, NULL) == AMOUNT_OK;
		bool c_ok = share_value(&n, AMOUNT_DEC_COMMA, percent, &vc, NULL) == AMOUNT_OK;
		if (p_ok == c_ok)
			return rc;
		*bp = p_ok ? vp : vc;
		return AMOUNT_OK;
	}
	return rc;
}

void amount_sniff_init(struct amount_sniff *sn)
{
	memset(sn, 0, sizeof *sn);
}

void amount_sniff_add(struct amount_sniff *sn, const char *s)
{
	struct num n;
	char plain[PLAIN_MAX], dsep = 0;
	enum amount_rc rc = take_apart(s, &n, NULL);
	if (rc == AMOUNT_OK)
		rc = resolve(&n, AMOUNT_DEC_AUTO, &dsep, NULL);
	if (rc == AMOUNT_OK)
		rc = build_plain(&n, dsep, plain, NULL);
	/* NOLINTNEXTLINE(bugprone-branch-clone): empty, like separator-less below, says nothing */
	if (rc == AMOUNT_EMPTY) {
		sn->neutral++;
	} else if (rc == AMOUNT_AMBIGUOUS) {
		sn->ambiguous++;
	} else if (rc != AMOUNT_OK) {
		sn->invalid++;
	} else if (dsep == '.' || (!dsep && memchr(n.mant, ',', (size_t)n.nmant))) {
		sn->point++;
	} else if (dsep == ',' || (!dsep && memchr(n.mant, '.', (size_t)n.nmant))) {
		sn->comma++;
	} else {
		sn->neutral++;
	}
}

enum amount_verdict amount_sniff_result(const struct amount_sniff *sn)
{
	if (sn->point && sn->comma)
		return AMOUNT_CONFLICT;
	if (sn->point)
		return AMOUNT_POINT;
	if (sn->comma)
		return AMOUNT_COMMA;
	return AMOUNT_UNDECIDED;
}

enum amount_dec amount_sniff_dec(const struct amount_sniff *sn)
{
	switch (amount_sniff_result(sn)) {
	case AMOUNT_POINT:
		return AMOUNT_DEC_POINT;
	case AMOUNT_COMMA:
		return AMOUNT_DEC_COMMA;
	default:
		return AMOUNT_DEC_AUTO;
	}
}

bool amount_in_range(qpc_money v, int minor_units)
{
	qpc_money limit = AMOUNT_MAX_MAJOR;
	for (int i = 0; i < minor_units; i++)
		limit *= 10;
	return v <= limit && v >= -limit;
}
