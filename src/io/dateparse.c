/* dateparse.c — dates as CRM and ERP exports write them.
 *
 * A value is scanned into year, month and day, or into year and two
 * numbers whose order (day/month) the column decides; a time after the
 * date is checked and dropped.  --date-format strings are walked by the
 * same helpers, so both paths accept the same times and month names.
 */
#include "qpc/dateparse.h"

#include <string.h>

#define FAIL(rc, reason) do { if (why) *why = (reason); return (rc); } while (0)

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static const char *skip_spaces(const char *p)
{
	while (is_space(*p))
		p++;
	return p;
}

/* Reads up to max digits at *pp; returns how many, the value in *v. */
static int digits(const char **pp, int max, int *v)
{
	const char *p = *pp;
	int n = 0, x = 0;
	while (n < max && is_digit(p[n]))
		x = x * 10 + (p[n++] - '0');
	*v = x;
	*pp = p + n;
	return n;
}

/* A year of 4 digits, or 2 with the POSIX %y pivot (00-69: 20xx). */
static bool year_of(int v, int ndigits, int *y)
{
	if (ndigits == 4)
		*y = v;
	else if (ndigits == 2)
		*y = v < 70 ? 2000 + v : 1900 + v;
	else
		return false;
	return true;
}

static const char *const month_names[12] = {
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december",
};

/* An English month name or its abbreviation (any case, optional '.' after
 * an abbreviation): 1..12, or 0 when there is none at *pp. */
static int month_name(const char **pp)
{
	const char *p = *pp;
	char w[12];
	int n = 0;
	while (n < (int)sizeof w - 1 && is_alpha(p[n])) {
		w[n] = lower(p[n]);
		n++;
	}
	w[n] = '\0';
	if (n < 3 || is_alpha(p[n]))
		return 0;
	for (int m = 0; m < 12; m++) {
		if (strncmp(w, month_names[m], 3) != 0)
			continue;
		bool abbr = n == 3 || (m == 8 && strcmp(w, "sept") == 0);
		if (!abbr && strcmp(w, month_names[m]) != 0)
			continue;
		p += n;
		if (abbr && *p == '.')
			p++;
		*pp = p;
		return m + 1;
	}
	return 0;
}

/* AM/PM, a.m./p.m. in any case: 1 for AM, 2 for PM, 0 when none. */
static int am_pm(const char **pp)
{
	const char *p = *pp;
	char c = lower(p[0]);
	if (c != 'a' && c != 'p')
		return 0;
	if (lower(p[1]) == 'm')
		p += 2;
	else if (p[1] == '.' && lower(p[2]) == 'm' && p[3] == '.')
		p += 4;
	else
		return 0;
	if (is_alpha(*p))
		return 0;
	*pp = p;
	return c == 'a' ? 1 : 2;
}

/* A time zone: Z, UTC, GMT, +hh, +hhmm, +hh:mm (or with '-'). */
static bool zone(const char **pp)
{
	const char *p = *pp;
	int h, m = 0;
	if (*p == 'Z') {
		*pp = p + 1;
		return true;
	}
	if (strncmp(p, "UTC", 3) == 0 || strncmp(p, "GMT", 3) == 0)
		p += 3;
	if (*p == '+' || *p == '-') {
		p++;
		if (digits(&p, 2, &h) != 2)
			return false;
		if (*p == ':')
			p++;
		if (is_digit(*p) && digits(&p, 2, &m) != 2)
			return false;
		if (h > 14 || m > 59)
			return false;
	}
	if (p == *pp)
		return false;
	*pp = p;
	return true;
}

static bool hms_ok(int h, int mi, int s, int ampm, const char **why)
{
	if (ampm ? h < 1 || h > 12 : h > 23)
		FAIL(false, "hour out of range");
	if (mi > 59)
		FAIL(false, "minute out of range");
	if (s > 60)
		FAIL(false, "second out of range");
	return true;
}

/* A time of day at p, then nothing: H:MM[:SS[.frac]] [AM|PM] [zone]. */
static bool time_ok(const char *p, const char **why)
{
	int h, mi, s = 0;
	if (!is_digit(*p))
		FAIL(false, "unexpected text after the date");
	if (digits(&p, 2, &h) < 1 || *p++ != ':' || digits(&p, 2, &mi) != 2)
		FAIL(false, "malformed time");
	if (*p == ':') {
		p++;
		if (digits(&p, 2, &s) != 2)
			FAIL(false, "malformed time");
		if ((*p == '.' || *p == ',') && is_digit(p[1]))
			for (p++; is_digit(*p); p++)
				;
	}
	p = skip_spaces(p);
	int ampm = am_pm(&p);
	p = skip_spaces(p);
	if (*p && !zone(&p))
		FAIL(false, "unexpected text after the time");
	if (*skip_spaces(p))
		FAIL(false, "unexpected text after the time");
	return hms_ok(h, mi, s, ampm, why);
}

/* What may follow a date: nothing, spaces, or a time ('T' or spaces first). */
static bool after_date(const char *p, const char **why)
{
	if (*p == 'T' && is_digit(p[1]))
		return time_ok(p + 1, why);
	const char *q = skip_spaces(p);
	if (!*q)
		return true;
	if (q == p)
		FAIL(false, "unexpected text after the date");
	return time_ok(q, why);
}

static enum dateparse_rc make_date(int y, int m, int d, qpc_date *out, const char **why)
{
	if (y < QPC_DATE_MIN_YEAR || y > QPC_DATE_MAX_YEAR)
		FAIL(DATEPARSE_INVALID, "year out of range");
	if (m < 1 || m > 12)
		FAIL(DATEPARSE_INVALID, "month out of range");
	if (d < 1 || d > qpc_date_days_in_month(y, m))
		FAIL(DATEPARSE_INVALID, "no such day in that month");
	qpc_date_from_ymd(y, m, d, out);
	return DATEPARSE_OK;
}

/* A value taken apart.  With free_order, m and d hold the first and second
 * number of a d/m/y or m/d/y date, in an order still to be decided. */
struct dscan {
	int y, m, d;
	bool free_order;
};

/* The year and what follows it, after "15 Apr " or "Apr 15, ". */
static enum dateparse_rc scan_year(const char *p, struct dscan *ds, const char **why)
{
	int v, n = digits(&p, 9, &v);
	if (!year_of(v, n, &ds->y))
		FAIL(DATEPARSE_INVALID, n ? "year must have 2 or 4 digits" : "not a date");
	return after_date(p, why) ? DATEPARSE_OK : DATEPARSE_INVALID;
}

static enum dateparse_rc scan(const char *s, struct dscan *ds, const char **why)
{
	const char *p = skip_spaces(s ? s : "");
	int v1, v2, v3, n1, n2, n3;
	memset(ds, 0, sizeof *ds);
	if (!*p)
		return DATEPARSE_EMPTY;

	if (is_alpha(*p)) { /* Apr 15, 2006 */
		ds->m = month_name(&p);
		if (!ds->m || !is_space(*p))
			FAIL(DATEPARSE_INVALID, "not a date");
		p = skip_spaces(p);
		if ((n2 = digits(&p, 9, &ds->d)) < 1 || n2 > 2)
			FAIL(DATEPARSE_INVALID, "not a date");
		if (*p == ',')
			p++;
		if (!is_space(*p))
			FAIL(DATEPARSE_INVALID, "not a date");
		return scan_year(skip_spaces(p), ds, why);
	}
	n1 = digits(&p, 9, &v1);
	if (n1 == 8 && (!*p || is_space(*p))) { /* 20060415 */
		ds->y = v1 / 10000, ds->m = v1 / 100 % 100, ds->d = v1 % 100;
		return after_date(p, why) ? DATEPARSE_OK : DATEPARSE_INVALID;
	}
	char sep = *p;
	if (n1 == 0 || n1 == 3 || n1 > 4 || !(sep == '-' || sep == '/' || sep == '.' ||
					      (sep == ' ' && n1 <= 2)))
		FAIL(DATEPARSE_INVALID, "not a date");
	p = sep == ' ' ? skip_spaces(p) : p + 1;

	if (n1 == 4) { /* 2006-04-15 */
		ds->y = v1;
		if ((n2 = digits(&p, 9, &ds->m)) < 1 || n2 > 2 || *p++ != sep ||
		    (n3 = digits(&p, 9, &ds->d)) < 1 || n3 > 2)
			FAIL(DATEPARSE_INVALID, "not a date");
		return after_date(p, why) ? DATEPARSE_OK : DATEPARSE_INVALID;
	}
	if (is_alpha(*p)) { /* 15-Apr-2006, 15 April 2006 */
		ds->d = v1;
		ds->m = month_name(&p);
		if (!ds->m || (sep == ' ' ? !is_space(*p) : *p != sep))
			FAIL(DATEPARSE_INVALID, "not a date");
		return scan_year(sep == ' ' ? skip_spaces(p) : p + 1, ds, why);
	}
	if (sep == ' ' || (n2 = digits(&p, 9, &v2)) < 1 || n2 > 2 || *p++ != sep)
		FAIL(DATEPARSE_INVALID, "not a date");
	n3 = digits(&p, 9, &v3);
	if (!year_of(v3, n3, &ds->y))
		FAIL(DATEPARSE_INVALID, n3 ? "year must have 2 or 4 digits" : "not a date");
	ds->m = v1, ds->d = v2;
	if (sep == '.') /* 15.04.2006 */
		ds->d = v1, ds->m = v2;
	else
		ds->free_order = true;
	return after_date(p, why) ? DATEPARSE_OK : DATEPARSE_INVALID;
}

enum dateparse_rc dateparse_value(const char *s, enum dateparse_order order, qpc_date *out,
				  const char **why)
{
	struct dscan ds;
	enum dateparse_rc rc = scan(s, &ds, why);
	if (rc != DATEPARSE_OK)
		return rc;
	int a = ds.m, b = ds.d, m = a, d = b;
	if (ds.free_order) {
		bool dmy = qpc_date_valid_ymd(ds.y, b, a), mdy = qpc_date_valid_ymd(ds.y, a, b);
		bool day_first = false;
		if (order == DATEPARSE_DMY)
			day_first = true;
		else if (order == DATEPARSE_MDY)
			day_first = false;
		else if (a != b && dmy && mdy)
			FAIL(DATEPARSE_AMBIGUOUS, "day and month could be either way round");
		else /* the one reading that works; if none, the likelier error */
			day_first = !mdy && (dmy || b <= 12);
		if (day_first)
			m = b, d = a;
	}
	return make_date(ds.y, m, d, out, why);
}

bool dateparse_in_range(qpc_date d)
{
	int y = qpc_date_year(d);
	return y >= DATEPARSE_YEAR_MIN && y <= DATEPARSE_YEAR_MAX;
}

void dateparse_sniff_init(struct dateparse_sniff *sn)
{
	memset(sn, 0, sizeof *sn);
}

void dateparse_sniff_add(struct dateparse_sniff *sn, const char *s)
{
	struct dscan ds;
	enum dateparse_rc rc = scan(s, &ds, NULL);
	if (rc == DATEPARSE_EMPTY)
		return;
	if (rc != DATEPARSE_OK) {
		sn->invalid++;
		return;
	}
	if (!ds.free_order) {
		if (qpc_date_valid_ymd(ds.y, ds.m, ds.d))
			sn->fixed++;
		else
			sn->invalid++;
		return;
	}
	bool dmy = qpc_date_valid_ymd(ds.y, ds.d, ds.m);
	bool mdy = qpc_date_valid_ymd(ds.y, ds.m, ds.d);
	if (dmy && mdy)
		sn->either++;
	else if (dmy)
		sn->dmy++;
	else if (mdy)
		sn->mdy++;
	else
		sn->invalid++;
}

enum dateparse_order dateparse_sniff_result(const struct dateparse_sniff *sn)
{
	if (sn->dmy && sn->mdy)
		return DATEPARSE_CONFLICT;
	if (sn->dmy)
		return DATEPARSE_DMY;
	if (sn->mdy)
		return DATEPARSE_MDY;
	return DATEPARSE_UNDECIDED;
}

/* --- explicit formats --------------------------------------------------- */

struct fmtv {
	int y, m, d, h, mi, s, ampm;
	bool has_y, has_m, has_d, has_h, h12;
};

/* Walks fmt over the text at *pp; with pp NULL only checks fmt. */
static enum dateparse_rc walk(const char *fmt, const char **pp, struct fmtv *v, const char **why)
{
	const char *p = pp ? *pp : NULL;
	int n = 0, x;
	for (const char *f = fmt; *f; f++) {
		if (is_space(*f)) {
			if (p)
				p = skip_spaces(p);
			continue;
		}
		if (*f != '%' || f[1] == '%') {
			f += *f == '%';
			if (p && *p++ != *f)
				FAIL(DATEPARSE_INVALID, "does not match the date format");
			continue;
		}
		char c = *++f;
		const char *sub = c == 'F' ? "%Y-%m-%d" : c == 'T' ? "%H:%M:%S" : NULL;
		if (sub) {
			enum dateparse_rc rc = walk(sub, p ? &p : NULL, v, why);
			if (rc != DATEPARSE_OK)
				return rc;
			continue;
		}
		if (!strchr("YymdebBhHIMSp", c) || !c)
			FAIL(DATEPARSE_INVALID, "unsupported directive in the date format");
		v->has_y |= c == 'Y' || c == 'y';
		v->has_m |= c == 'm' || c == 'b' || c == 'B' || c == 'h';
		v->has_d |= c == 'd' || c == 'e';
		v->has_h |= c == 'H' || c == 'I';
		v->h12 |= c == 'I';
		if (!p)
			continue;
		if (c == 'e' && *p == ' ')
			p++;
		switch (c) {
		case 'Y':
			n = digits(&p, 4, &v->y) == 4;
			break;
		case 'y':
			n = digits(&p, 2, &x) == 2 && year_of(x, 2, &v->y);
			break;
		case 'm':
			n = digits(&p, 2, &v->m) > 0;
			break;
		case 'd':
		case 'e':
			n = digits(&p, 2, &v->d) > 0;
			break;
		case 'H':
		case 'I':
			n = digits(&p, 2, &v->h) > 0;
			break;
		case 'M':
			n = digits(&p, 2, &v->mi) == 2;
			break;
		case 'S':
			n = digits(&p, 2, &v->s) == 2;
			break;
		case 'p':
			n = (v->ampm = am_pm(&p)) != 0;
			break;
		default: /* b B h */
			n = (v->m = month_name(&p)) != 0;
			break;
		}
		if (!n)
			FAIL(DATEPARSE_INVALID, "does not match the date format");
	}
	if (pp)
		*pp = p;
	return DATEPARSE_OK;
}

bool dateparse_format_check(const char *fmt, const char **why)
{
	struct fmtv v = { 0 };
	if (!fmt || !*fmt)
		FAIL(false, "empty date format");
	if (walk(fmt, NULL, &v, why) != DATEPARSE_OK)
		return false;
	if (!v.has_y || !v.has_m || !v.has_d)
		FAIL(false, "a date format needs a year, a month and a day");
	return true;
}

enum dateparse_rc dateparse_with_format(const char *s, const char *fmt, qpc_date *out,
					const char **why)
{
	struct fmtv v = { 0 };
	if (!dateparse_format_check(fmt, why))
		return DATEPARSE_INVALID;
	const char *p = skip_spaces(s ? s : "");
	if (!*p)
		return DATEPARSE_EMPTY;
	enum dateparse_rc rc = walk(fmt, &p, &v, why);
	if (rc != DATEPARSE_OK)
		return rc;
	if (v.has_h) {
		if (*skip_spaces(p))
			FAIL(DATEPARSE_INVALID, "unexpected text after the date");
		if (!hms_ok(v.h, v.mi, v.s, v.h12 || v.ampm, why))
			return DATEPARSE_INVALID;
	} else if (!after_date(p, why)) {
		return DATEPARSE_INVALID;
	}
	return make_date(v.y, v.m, v.d, out, why);
}
