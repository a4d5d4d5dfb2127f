/* check_dateparse.c — dates as exports write them, day/month order sniffing
 * and explicit --date-format strings. */
#include "tests.h"

#include "qpc/dateparse.h"
#include "qpc/typed.h"

static qpc_date D(const char *iso)
{
	qpc_date d;
	ck_assert_msg(qpc_date_parse_iso(iso, &d), "bad date %s", iso);
	return d;
}

/* The ISO text of a value that must parse. */
static const char *ok(const char *s, enum dateparse_order order)
{
	static char buf[QPC_DATE_ISO_LEN];
	qpc_date d = 0;
	const char *why = NULL;
	enum dateparse_rc rc = dateparse_value(s, order, &d, &why);
	ck_assert_msg(rc == DATEPARSE_OK, "'%s' (order %d): rc %d, %s", s, order, rc, why);
	return qpc_date_format(d, buf);
}

static const char *bad(const char *s, enum dateparse_order order, enum dateparse_rc want)
{
	qpc_date d = 4242;
	const char *why = NULL;
	enum dateparse_rc rc = dateparse_value(s, order, &d, &why);
	ck_assert_msg(rc == want, "'%s' (order %d): rc %d, want %d", s, order, rc, want);
	ck_assert_int_eq(d, 4242);
	ck_assert_ptr_nonnull(why);
	return why;
}

START_TEST(iso_forms)
{
	ck_assert_str_eq(ok("2006-04-15", DATEPARSE_UNDECIDED), "2006-04-15");
	ck_assert_str_eq(ok("2006-04-15T03:23:15.000Z", DATEPARSE_UNDECIDED), "2006-04-15");
	ck_assert_str_eq(ok("1996-07-04 00:00:00.000", DATEPARSE_UNDECIDED), "1996-07-04");
	ck_assert_str_eq(ok("2024-02-29T23:59:60+05:30", DATEPARSE_UNDECIDED), "2024-02-29");
	ck_assert_str_eq(ok("2006-04-15 10:00 -0800", DATEPARSE_UNDECIDED), "2006-04-15");
	ck_assert_str_eq(ok("2006-04-15 10:00:00 UTC", DATEPARSE_UNDECIDED), "2006-04-15");
	ck_assert_str_eq(ok("2006/4/5", DATEPARSE_MDY), "2006-04-05");
	ck_assert_str_eq(ok("2006.04.15", DATEPARSE_UNDECIDED), "2006-04-15");
	ck_assert_str_eq(ok("20060415", DATEPARSE_UNDECIDED), "2006-04-15");
	ck_assert_str_eq(ok("  2006-04-15  ", DATEPARSE_UNDECIDED), "2006-04-15");
	/* the date as written: a time zone never moves it */
	ck_assert_str_eq(ok("2006-04-15T23:30:00-10:00", DATEPARSE_UNDECIDED), "2006-04-15");
}
END_TEST

START_TEST(slashed_and_dotted)
{
	ck_assert_str_eq(ok("3/1/2019", DATEPARSE_MDY), "2019-03-01");
	ck_assert_str_eq(ok("3/1/2019", DATEPARSE_DMY), "2019-01-03");
	ck_assert_str_eq(ok("3/1/2019 14:05", DATEPARSE_DMY), "2019-01-03");
	ck_assert_str_eq(ok("02/23/26 08:55 PM", DATEPARSE_MDY), "2026-02-23");
	ck_assert_str_eq(ok("02/23/26 08:55 p.m.", DATEPARSE_UNDECIDED), "2026-02-23");
	ck_assert_str_eq(ok("12/31/1999 12:00:00 am", DATEPARSE_MDY), "1999-12-31");
	ck_assert_str_eq(ok("15-04-2006", DATEPARSE_DMY), "2006-04-15");
	ck_assert_str_eq(ok("15.04.2006", DATEPARSE_UNDECIDED), "2006-04-15");
	ck_assert_str_eq(ok("5.4.06", DATEPARSE_MDY), "2006-04-05"); /* dots: always d.m.y */
	ck_assert_str_eq(ok("15.04.2006 08:00", DATEPARSE_UNDECIDED), "2006-04-15");
	/* one reading only: accepted even with the order undecided */
	ck_assert_str_eq(ok("13/01/2020", DATEPARSE_UNDECIDED), "2020-01-13");
	ck_assert_str_eq(ok("01/13/2020", DATEPARSE_UNDECIDED), "2020-01-13");
	ck_assert_str_eq(ok("05/05/2020", DATEPARSE_UNDECIDED), "2020-05-05");
	/* CONFLICT (a sniff result) reads like UNDECIDED */
	ck_assert_str_eq(ok("02/29/2020", DATEPARSE_CONFLICT), "2020-02-29");
}
END_TEST

START_TEST(month_names)
{
	ck_assert_str_eq(ok("15-Apr-2006", DATEPARSE_MDY), "2006-04-15");
	ck_assert_str_eq(ok("15 April 2006", DATEPARSE_UNDECIDED), "2006-04-15");
	ck_assert_str_eq(ok("15-apr-06", DATEPARSE_UNDECIDED), "2006-04-15");
	ck_assert_str_eq(ok("Apr 15, 2006", DATEPARSE_DMY), "2006-04-15");
	ck_assert_str_eq(ok("September 1 2020 9:30 AM", DATEPARSE_UNDECIDED), "2020-09-01");
	ck_assert_str_eq(ok("Sept. 1, 2020", DATEPARSE_UNDECIDED), "2020-09-01");
	ck_assert_str_eq(bad("15-Aprl-2006", DATEPARSE_UNDECIDED, DATEPARSE_INVALID), "not a date");
}
END_TEST

START_TEST(two_digit_years_pivot)
{
	ck_assert_str_eq(ok("1/2/00", DATEPARSE_MDY), "2000-01-02");
	ck_assert_str_eq(ok("1/2/69", DATEPARSE_MDY), "2069-01-02");
	ck_assert_str_eq(ok("1/2/70", DATEPARSE_MDY), "1970-01-02");
	ck_assert_str_eq(ok("1/2/99", DATEPARSE_MDY), "1999-01-02");
	ck_assert_str_eq(bad("1/2/345", DATEPARSE_MDY, DATEPARSE_INVALID),
			 "year must have 2 or 4 digits");
	ck_assert_str_eq(bad("1/2/2", DATEPARSE_MDY, DATEPARSE_INVALID),
			 "year must have 2 or 4 digits");
}
END_TEST

START_TEST(ambiguous_and_invalid)
{
	ck_assert_str_eq(bad("03/04/2020", DATEPARSE_UNDECIDED, DATEPARSE_AMBIGUOUS),
			 "day and month could be either way round");
	bad("3/1/2019 14:05", DATEPARSE_UNDECIDED, DATEPARSE_AMBIGUOUS);
	bad("03/04/2020", DATEPARSE_CONFLICT, DATEPARSE_AMBIGUOUS);
	ck_assert_str_eq(bad("2023-02-30", DATEPARSE_UNDECIDED, DATEPARSE_INVALID),
			 "no such day in that month");
	ck_assert_str_eq(bad("2023-02-29", DATEPARSE_UNDECIDED, DATEPARSE_INVALID),
			 "no such day in that month");
	ck_assert_str_eq(bad("30/02/2020", DATEPARSE_UNDECIDED, DATEPARSE_INVALID),
			 "no such day in that month");
	ck_assert_str_eq(bad("02/30/2020", DATEPARSE_UNDECIDED, DATEPARSE_INVALID),
			 "no such day in that month");
	ck_assert_str_eq(bad("13/13/2020", DATEPARSE_UNDECIDED, DATEPARSE_INVALID),
			 "month out of range");
	ck_assert_str_eq(bad("01/13/2020", DATEPARSE_DMY, DATEPARSE_INVALID),
			 "month out of range");
	ck_assert_str_eq(bad("2020-13-01", DATEPARSE_UNDECIDED, DATEPARSE_INVALID),
			 "month out of range");
	ck_assert_str_eq(bad("0000-01-01", DATEPARSE_UNDECIDED, DATEPARSE_INVALID),
			 "year out of range");
	ck_assert_str_eq(bad("02/23/26 13:55 PM", DATEPARSE_MDY, DATEPARSE_INVALID),
			 "hour out of range");
	ck_assert_str_eq(bad("2020-01-01T24:00", DATEPARSE_UNDECIDED, DATEPARSE_INVALID),
			 "hour out of range");
	ck_assert_str_eq(bad("2020-01-01 10:60", DATEPARSE_UNDECIDED, DATEPARSE_INVALID),
			 "minute out of range");
	ck_assert_str_eq(bad("2020-01-01 10:00:61", DATEPARSE_UNDECIDED, DATEPARSE_INVALID),
			 "second out of range");
	ck_assert_str_eq(bad("2020-01-01 10", DATEPARSE_UNDECIDED, DATEPARSE_INVALID),
			 "malformed time");
	ck_assert_str_eq(bad("2020-01-01 10:00 tomorrow", DATEPARSE_UNDECIDED,
			     DATEPARSE_INVALID), "unexpected text after the time");
	ck_assert_str_eq(bad("2020-01-01x", DATEPARSE_UNDECIDED, DATEPARSE_INVALID),
			 "unexpected text after the date");
	ck_assert_str_eq(bad("2020-01-01 noon", DATEPARSE_UNDECIDED, DATEPARSE_INVALID),
			 "unexpected text after the date");
	ck_assert_str_eq(bad("2020-01/01", DATEPARSE_UNDECIDED, DATEPARSE_INVALID), "not a date");
	ck_assert_str_eq(bad("yesterday", DATEPARSE_UNDECIDED, DATEPARSE_INVALID), "not a date");
	ck_assert_str_eq(bad("43525", DATEPARSE_UNDECIDED, DATEPARSE_INVALID), "not a date");

	qpc_date d = 4242;
	ck_assert_int_eq(dateparse_value("", DATEPARSE_DMY, &d, NULL), DATEPARSE_EMPTY);
	ck_assert_int_eq(dateparse_value(" \t ", DATEPARSE_DMY, &d, NULL), DATEPARSE_EMPTY);
	ck_assert_int_eq(dateparse_value(NULL, DATEPARSE_DMY, &d, NULL), DATEPARSE_EMPTY);
	ck_assert_int_eq(d, 4242);
}
END_TEST

static enum dateparse_order sniff(const char *const *values, struct dateparse_sniff *sn)
{
	dateparse_sniff_init(sn);
	for (; *values; values++)
		dateparse_sniff_add(sn, *values);
	return dateparse_sniff_result(sn);
}

START_TEST(sniffing)
{
	struct dateparse_sniff sn;
	const char *dmy[] = { "03/01/19", "07/01/19", "30/12/22", "", NULL };
	const char *mdy[] = { "02/03/24", "02/23/26 08:55 PM", "3/1/2019 14:05", NULL };
	const char *undecided[] = { "01/02/2020", "12/12/2020", "2020-05-01", NULL };
	const char *conflict[] = { "13/01/2020", "01/13/2020", NULL };

	ck_assert_int_eq(sniff(dmy, &sn), DATEPARSE_DMY);
	ck_assert_uint_eq(sn.dmy, 1);
	ck_assert_uint_eq(sn.either, 2);
	ck_assert_int_eq(sniff(mdy, &sn), DATEPARSE_MDY);
	ck_assert_uint_eq(sn.mdy, 1);
	ck_assert_int_eq(sniff(undecided, &sn), DATEPARSE_UNDECIDED);
	ck_assert_uint_eq(sn.either, 2);
	ck_assert_uint_eq(sn.fixed, 1);
	ck_assert_int_eq(sniff(conflict, &sn), DATEPARSE_CONFLICT);

	const char *junk[] = { "31/02/2020", "13/13/2020", "soon", "15.04.2006", NULL };
	ck_assert_int_eq(sniff(junk, &sn), DATEPARSE_UNDECIDED);
	ck_assert_uint_eq(sn.invalid, 3);
	ck_assert_uint_eq(sn.fixed, 1);

	/* the sniffed order then reads the values that were ambiguous */
	ck_assert_int_eq(sniff(dmy, &sn), DATEPARSE_DMY);
	ck_assert_str_eq(ok("03/01/19", dateparse_sniff_result(&sn)), "2019-01-03");
}
END_TEST

static const char *fmt_ok(const char *s, const char *fmt)
{
	static char buf[QPC_DATE_ISO_LEN];
	qpc_date d = 0;
	const char *why = NULL;
	enum dateparse_rc rc = dateparse_with_format(s, fmt, &d, &why);
	ck_assert_msg(rc == DATEPARSE_OK, "'%s' with '%s': rc %d, %s", s, fmt, rc, why);
	return qpc_date_format(d, buf);
}

static const char *fmt_bad(const char *s, const char *fmt)
{
	qpc_date d = 4242;
	const char *why = NULL;
	ck_assert_int_eq(dateparse_with_format(s, fmt, &d, &why), DATEPARSE_INVALID);
	ck_assert_int_eq(d, 4242);
	ck_assert_ptr_nonnull(why);
	return why;
}

START_TEST(explicit_formats)
{
	ck_assert_str_eq(fmt_ok("2019-03-01", "%Y-%m-%d"), "2019-03-01");
	ck_assert_str_eq(fmt_ok("03/01/2019", "%d/%m/%Y"), "2019-01-03");
	ck_assert_str_eq(fmt_ok("03/01/2019", "%m/%d/%Y"), "2019-03-01");
	ck_assert_str_eq(fmt_ok("3.1.2019", "%d.%m.%Y"), "2019-01-03");
	ck_assert_str_eq(fmt_ok("02/23/26", "%m/%d/%y"), "2026-02-23");
	ck_assert_str_eq(fmt_ok("23/02/71", "%d/%m/%y"), "1971-02-23");
	ck_assert_str_eq(fmt_ok("2019-03-01", "%F"), "2019-03-01");
	ck_assert_str_eq(fmt_ok("01-Mar-2019", "%d-%b-%Y"), "2019-03-01");
	ck_assert_str_eq(fmt_ok("March 1, 2019", "%B %e, %Y"), "2019-03-01");
	ck_assert_str_eq(fmt_ok("2019-03-01 100%", "%Y-%m-%d 100%%"), "2019-03-01");
	ck_assert_str_eq(fmt_ok("01/03/2019 14:05:09", "%d/%m/%Y %T"), "2019-03-01");
	ck_assert_str_eq(fmt_ok("01/03/2019 02:05 PM", "%d/%m/%Y %I:%M %p"), "2019-03-01");
	/* no hour in the format: a trailing time is checked as usual */
	ck_assert_str_eq(fmt_ok("03/01/2019 14:05", "%m/%d/%Y"), "2019-03-01");
	ck_assert_str_eq(fmt_ok("  03/01/2019", "%m/%d/%Y"), "2019-03-01");

	ck_assert_str_eq(fmt_bad("2019-03-01", "%d/%m/%Y"), "does not match the date format");
	ck_assert_str_eq(fmt_bad("13/13/2019", "%d/%m/%Y"), "month out of range");
	ck_assert_str_eq(fmt_bad("30/02/2019", "%d/%m/%Y"), "no such day in that month");
	ck_assert_str_eq(fmt_bad("19-03-01", "%Y-%m-%d"), "does not match the date format");
	ck_assert_str_eq(fmt_bad("2019-03-01", "%y-%m-%d"), "does not match the date format");
	ck_assert_str_eq(fmt_bad("2019-03-01x", "%Y-%m-%d"), "unexpected text after the date");
	ck_assert_str_eq(fmt_bad("01/03/2019 13:05 PM", "%d/%m/%Y %I:%M %p"),
			 "hour out of range");
	ck_assert_str_eq(fmt_bad("01/03/2019 10:05 x", "%d/%m/%Y %H:%M"),
			 "unexpected text after the date");

	qpc_date d = 4242;
	ck_assert_int_eq(dateparse_with_format("  ", "%Y-%m-%d", &d, NULL), DATEPARSE_EMPTY);
	ck_assert_int_eq(d, 4242);
}
END_TEST

/* One range of years for every entry path: files, the command line and
 * the editors (typed_date); a QPC is never measured after the as-of date. */
START_TEST(one_range_for_files_and_typing)
{
	qpc_date d, today = D("2026-11-27");
	const char *why;
	ck_assert(dateparse_in_range(D("1900-01-01")));
	ck_assert(!dateparse_in_range(D("1899-12-31")));
	ck_assert(dateparse_in_range(D("2200-12-31")));
	ck_assert(!dateparse_in_range(D("2201-01-01")));
	ck_assert(typed_date("1900-01-01", today, &d, &why) && d == D("1900-01-01"));
	static const char *const beyond[] = { "1800-01-01", "1899-12-31", "2201-01-01", "9999-12-31",
		                              NULL };
	for (int i = 0; beyond[i]; i++) {
		d = 0;
		ck_assert_msg(!typed_date(beyond[i], today, &d, &why), "%s was taken", beyond[i]);
		ck_assert_str_eq(why, "out of range (years 1900 to 2200)");
		ck_assert_int_eq(d, 0); /* untouched */
	}
	ck_assert_ptr_null(typed_measured_on_why(today, today));
	ck_assert_ptr_null(typed_measured_on_why(D("1900-01-01"), today));
	ck_assert_str_eq(typed_measured_on_why(D("2026-11-28"), today), "measured in the future");
	ck_assert_str_eq(typed_measured_on_why(D("2099-01-01"), today), "measured in the future");
}
END_TEST

START_TEST(format_strings_checked)
{
	const char *why = NULL;
	ck_assert(dateparse_format_check("%d/%m/%y", &why));
	ck_assert(dateparse_format_check("%F %T", &why));
	ck_assert(!dateparse_format_check("%Y-%m", &why));
	ck_assert_str_eq(why, "a date format needs a year, a month and a day");
	ck_assert(!dateparse_format_check("%Y-%m-%q", &why));
	ck_assert_str_eq(why, "unsupported directive in the date format");
	ck_assert(!dateparse_format_check("%Y-%m-%d%", &why));
	ck_assert_str_eq(why, "unsupported directive in the date format");
	ck_assert(!dateparse_format_check("", &why));
	ck_assert_str_eq(why, "empty date format");
	qpc_date d = 4242;
	ck_assert_int_eq(dateparse_with_format("2019-03-01", "%Y-%j", &d, &why), DATEPARSE_INVALID);
	ck_assert_str_eq(why, "unsupported directive in the date format");
	ck_assert_int_eq(d, 4242);
}
END_TEST

Suite *dateparse_suite(void)
{
	Suite *s = suite_create("dateparse");
	TCase *tc = tcase_create("value");
	tcase_add_test(tc, iso_forms);
	tcase_add_test(tc, slashed_and_dotted);
	tcase_add_test(tc, month_names);
	tcase_add_test(tc, two_digit_years_pivot);
	tcase_add_test(tc, ambiguous_and_invalid);
	suite_add_tcase(s, tc);
	tc = tcase_create("sniff");
	tcase_add_test(tc, sniffing);
	suite_add_tcase(s, tc);
	tc = tcase_create("format");
	tcase_add_test(tc, explicit_formats);
	tcase_add_test(tc, format_strings_checked);
	tcase_add_test(tc, one_range_for_files_and_typing);
	suite_add_tcase(s, tc);
	return s;
}
