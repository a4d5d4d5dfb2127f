/* fuzz_dateparse.c — dateparse_value, dateparse_with_format and the
 * day/month sniff.
 *
 * Input: one option byte, then either a value ("0" + "3/1/2019") or, when
 * the rest holds a line break, a format, a line break and a value
 * ("0%d/%m/%Y\n15/04/2006").  The option byte picks the order the value is
 * parsed with first: (byte - '0') % 4 is UNDECIDED, DMY, MDY, CONFLICT; all
 * four are checked against each other anyway.
 *
 * Invariants (beyond "no crash, no sanitizer report"):
 *  - failure leaves *out untouched and gives a reason (except EMPTY);
 *    AMBIGUOUS only with the order undecided; CONFLICT acts as UNDECIDED;
 *  - an undecided read is the day-first or the month-first read, and when
 *    those two differ the undecided read is AMBIGUOUS;
 *  - the sniff files a value under one heading, and the heading holds
 *    ("dmy": undecided reads as day-first; "fixed": every order agrees;
 *    "invalid": no order reads it);
 *  - a date read is a real day in years 1..9999, and written back as ISO,
 *    d/m/Y, m/d/Y, d.m.Y, "d Month Y" and "Mon d, Y" it reads the same, by
 *    dateparse_value and by dateparse_with_format with the matching format;
 *  - with a format: a format that dateparse_format_check refuses reads
 *    nothing; %d/%m/%Y and %m/%d/%Y read what dateparse_value reads with
 *    that order.
 */
#include "fuzz.h"

#include "qpc/dateparse.h"

#define SENTINEL ((qpc_date)0x5A5A5A5A)

static const char *const order_name[] = { "UNDECIDED", "DMY", "MDY", "CONFLICT" };
static const char *const month_names[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December",
};

struct reading {
	enum dateparse_rc rc;
	qpc_date d;
	const char *why;
};

static void check_date(const char *s, const char *how, qpc_date d)
{
	int y, m, dd;
	qpc_date_to_ymd(d, &y, &m, &dd);
	FUZZ_CHECK(qpc_date_valid_ymd(y, m, dd), "'%s' %s: not a real day (%d-%d-%d)", s, how, y,
		   m, dd);
}

static struct reading value(const char *s, enum dateparse_order o)
{
	struct reading r = { .d = SENTINEL };
	r.rc = dateparse_value(s, o, &r.d, &r.why);
	FUZZ_CHECK(r.rc >= DATEPARSE_OK && r.rc <= DATEPARSE_INVALID, "rc %d", (int)r.rc);
	if (r.rc == DATEPARSE_OK) {
		check_date(s, order_name[o], r.d);
	} else {
		FUZZ_CHECK(r.d == SENTINEL, "'%s' %s: failed but wrote", s, order_name[o]);
		if (r.rc != DATEPARSE_EMPTY)
			FUZZ_CHECK(r.why != NULL, "'%s' %s: rc %d without a reason", s,
				   order_name[o], (int)r.rc);
	}
	if (r.rc == DATEPARSE_AMBIGUOUS)
		FUZZ_CHECK(o == DATEPARSE_UNDECIDED || o == DATEPARSE_CONFLICT,
			   "'%s': ambiguous with order %s", s, order_name[o]);
	return r;
}

static struct reading with_format(const char *s, const char *fmt)
{
	struct reading r = { .d = SENTINEL };
	r.rc = dateparse_with_format(s, fmt, &r.d, &r.why);
	FUZZ_CHECK(r.rc >= DATEPARSE_OK && r.rc <= DATEPARSE_INVALID, "rc %d", (int)r.rc);
	FUZZ_CHECK(r.rc != DATEPARSE_AMBIGUOUS, "'%s' as '%s': ambiguous with a format", s, fmt);
	if (r.rc == DATEPARSE_OK)
		check_date(s, fmt, r.d);
	else
		FUZZ_CHECK(r.d == SENTINEL, "'%s' as '%s': failed but wrote", s, fmt);
	return r;
}

static const char *rc_why(const struct reading *r)
{
	return r->why ? r->why : "";
}

/* d written in several ways reads back as d. */
static void write_back(qpc_date d)
{
	int y, m, dd;
	char buf[64];
	qpc_date_to_ymd(d, &y, &m, &dd);
	const char *mon = month_names[m - 1];
	struct {
		const char *fmt;
		enum dateparse_order o;
	} forms[6] = {
		{ "%Y-%m-%d", DATEPARSE_UNDECIDED }, { "%d/%m/%Y", DATEPARSE_DMY },
		{ "%m/%d/%Y", DATEPARSE_MDY },      { "%d.%m.%Y", DATEPARSE_UNDECIDED },
		{ "%d %B %Y", DATEPARSE_UNDECIDED }, { "%b %d, %Y", DATEPARSE_UNDECIDED },
	};
	for (int i = 0; i < 6; i++) {
		switch (i) {
		case 0:
			snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, dd);
			break;
		case 1:
			snprintf(buf, sizeof buf, "%02d/%02d/%04d", dd, m, y);
			break;
		case 2:
			snprintf(buf, sizeof buf, "%d/%d/%04d", m, dd, y);
			break;
		case 3:
			snprintf(buf, sizeof buf, "%d.%02d.%04d", dd, m, y);
			break;
		case 4:
			snprintf(buf, sizeof buf, "%d %s %04d", dd, mon, y);
			break;
		default:
			snprintf(buf, sizeof buf, "%.3s %d, %04d", mon, dd, y);
			break;
		}
		struct reading r = value(buf, forms[i].o);
		FUZZ_CHECK(r.rc == DATEPARSE_OK && r.d == d, "%04d-%02d-%02d written '%s' reads rc %d %s",
			   y, m, dd, buf, (int)r.rc, rc_why(&r));
		r = with_format(buf, forms[i].fmt);
		FUZZ_CHECK(r.rc == DATEPARSE_OK && r.d == d,
			   "%04d-%02d-%02d written '%s' reads as '%s' rc %d %s", y, m, dd, buf,
			   forms[i].fmt, (int)r.rc, rc_why(&r));
	}
	char iso[QPC_DATE_ISO_LEN];
	qpc_date back;
	FUZZ_CHECK(qpc_date_parse_iso(qpc_date_format(d, iso), &back) && back == d,
		   "ISO round trip of %s", iso);
}

static void check_value(const char *s, enum dateparse_order first)
{
	struct reading r[4];
	for (int o = 0; o < 4; o++)
		r[o] = value(s, (enum dateparse_order)o);
	struct reading *u = &r[DATEPARSE_UNDECIDED], *dmy = &r[DATEPARSE_DMY],
		       *mdy = &r[DATEPARSE_MDY], *c = &r[DATEPARSE_CONFLICT];
	FUZZ_CHECK(c->rc == u->rc && (u->rc != DATEPARSE_OK || c->d == u->d),
		   "'%s': CONFLICT rc %d, UNDECIDED rc %d", s, (int)c->rc, (int)u->rc);
	FUZZ_CHECK((u->rc == DATEPARSE_EMPTY) == (dmy->rc == DATEPARSE_EMPTY) &&
			   (u->rc == DATEPARSE_EMPTY) == (mdy->rc == DATEPARSE_EMPTY),
		   "'%s': empty for some orders only", s);
	if (u->rc == DATEPARSE_OK)
		FUZZ_CHECK((dmy->rc == DATEPARSE_OK && dmy->d == u->d) ||
				   (mdy->rc == DATEPARSE_OK && mdy->d == u->d),
			   "'%s': undecided read is neither the day-first nor the month-first one",
			   s);
	if (dmy->rc == DATEPARSE_OK && mdy->rc == DATEPARSE_OK && dmy->d != mdy->d)
		FUZZ_CHECK(u->rc == DATEPARSE_AMBIGUOUS,
			   "'%s': day-first and month-first differ, undecided gives rc %d", s,
			   (int)u->rc);
	if (r[first].rc == DATEPARSE_OK)
		write_back(r[first].d);

	struct dateparse_sniff sn;
	dateparse_sniff_init(&sn);
	dateparse_sniff_add(&sn, s);
	unsigned long total = sn.dmy + sn.mdy + sn.either + sn.fixed + sn.invalid;
	FUZZ_CHECK(total == (u->rc != DATEPARSE_EMPTY), "'%s': sniff counted %lu", s, total);
	if (sn.invalid)
		FUZZ_CHECK(u->rc != DATEPARSE_OK && dmy->rc != DATEPARSE_OK && mdy->rc != DATEPARSE_OK,
			   "'%s': sniffed invalid yet reads (%d %d %d)", s, (int)u->rc,
			   (int)dmy->rc, (int)mdy->rc);
	if (sn.fixed)
		FUZZ_CHECK(u->rc == DATEPARSE_OK && dmy->rc == DATEPARSE_OK &&
				   mdy->rc == DATEPARSE_OK && dmy->d == u->d && mdy->d == u->d,
			   "'%s': sniffed order-free, yet orders disagree (%d %d %d)", s,
			   (int)u->rc, (int)dmy->rc, (int)mdy->rc);
	if (sn.dmy)
		FUZZ_CHECK(u->rc == DATEPARSE_OK && dmy->rc == DATEPARSE_OK && u->d == dmy->d &&
				   mdy->rc != DATEPARSE_OK,
			   "'%s': sniffed day-first only (%d %d %d)", s, (int)u->rc, (int)dmy->rc,
			   (int)mdy->rc);
	if (sn.mdy)
		FUZZ_CHECK(u->rc == DATEPARSE_OK && mdy->rc == DATEPARSE_OK && u->d == mdy->d &&
				   dmy->rc != DATEPARSE_OK,
			   "'%s': sniffed month-first only (%d %d %d)", s, (int)u->rc, (int)dmy->rc,
			   (int)mdy->rc);
	if (sn.either)
		FUZZ_CHECK(dmy->rc == DATEPARSE_OK && mdy->rc == DATEPARSE_OK,
			   "'%s': sniffed either way, yet (%d %d)", s, (int)dmy->rc, (int)mdy->rc);
	enum dateparse_order res = dateparse_sniff_result(&sn);
	FUZZ_CHECK(res != DATEPARSE_CONFLICT, "'%s': one value conflicts with itself", s);
}

static void check_format(const char *fmt, const char *s)
{
	const char *why = NULL;
	bool ok = dateparse_format_check(fmt, &why);
	FUZZ_CHECK(ok || why != NULL, "format '%s' refused without a reason", fmt);
	struct reading r = with_format(s, fmt);
	if (!ok)
		FUZZ_CHECK(r.rc == DATEPARSE_INVALID, "format '%s' refused, yet '%s' gives rc %d", fmt,
			   s, (int)r.rc);
	if (r.rc != DATEPARSE_OK)
		return;
	write_back(r.d);
	enum dateparse_order o = strcmp(fmt, "%d/%m/%Y") == 0   ? DATEPARSE_DMY
				 : strcmp(fmt, "%m/%d/%Y") == 0 ? DATEPARSE_MDY
								: DATEPARSE_UNDECIDED;
	if (o != DATEPARSE_UNDECIDED) {
		struct reading v = value(s, o);
		FUZZ_CHECK(v.rc == DATEPARSE_OK && v.d == r.d,
			   "'%s' reads as '%s' but not the same with order %s (rc %d, %s)", s, fmt,
			   order_name[o], (int)v.rc, rc_why(&v));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 256)
		return 0;
	enum dateparse_order first = (enum dateparse_order)((uint8_t)(data[0] - '0') % 4);
	char *s = fuzz_str(data + 1, size - 1);
	char *nl = strchr(s, '\n');
	if (nl) {
		*nl = '\0';
		check_format(s, nl + 1);
		check_value(nl + 1, first);
	} else {
		check_value(s, first);
	}
	free(s);
	return 0;
}
