/* check_date.c — calendar arithmetic at its edges. */
#include "tests.h"

#include "qpc/date.h"

static qpc_date D(const char *iso)
{
	qpc_date d;
	ck_assert_msg(qpc_date_parse_iso(iso, &d), "bad date %s", iso);
	return d;
}

static void ck_date(qpc_date d, const char *iso)
{
	char b[QPC_DATE_ISO_LEN];
	ck_assert_str_eq(qpc_date_format(d, b), iso);
}

START_TEST(epoch_and_round_trip)
{
	ck_assert_int_eq(D("1970-01-01"), 0);
	ck_assert_int_eq(D("1970-01-02"), 1);
	ck_assert_int_eq(D("1969-12-31"), -1);
	ck_assert_int_eq(D("2000-03-01") - D("2000-02-28"), 2);
	ck_assert_int_eq(D("1900-03-01") - D("1900-02-28"), 1);
	ck_date(D("0001-01-01"), "0001-01-01");
	ck_date(D("9999-12-31"), "9999-12-31");
	for (qpc_date d = D("1999-12-01"); d < D("2001-03-01"); d++) {
		char b[QPC_DATE_ISO_LEN];
		ck_assert_int_eq(D(qpc_date_format(d, b)), d);
	}
}
END_TEST

START_TEST(strict_iso)
{
	qpc_date d = 42;
	const char *bad[] = { "", "2024-2-01", "2024-02-30", "2023-02-29", "2024-13-01", "2024-00-10",
		              "2024-01-00", "2024/01/01", "2024-01-01x", "0000-01-01", "24-01-01", "abcd-ef-gh" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		ck_assert_msg(!qpc_date_parse_iso(bad[i], &d), "accepted %s", bad[i]);
	ck_assert(!qpc_date_parse_iso(NULL, &d));
	ck_assert_int_eq(d, 42);
	ck_assert(qpc_date_parse_iso("2024-02-29", &d));
}
END_TEST

START_TEST(months_clamp)
{
	ck_date(qpc_date_add_months(D("2024-02-29"), -12), "2023-02-28");
	ck_date(qpc_date_add_months(D("2024-02-29"), 12), "2025-02-28");
	ck_date(qpc_date_add_months(D("2024-02-29"), 48), "2028-02-29");
	ck_date(qpc_date_add_months(D("2023-01-31"), 1), "2023-02-28");
	ck_date(qpc_date_add_months(D("2024-01-31"), 1), "2024-02-29");
	ck_date(qpc_date_add_months(D("2024-03-31"), -1), "2024-02-29");
	ck_date(qpc_date_add_months(D("2024-12-15"), 1), "2025-01-15");
	ck_date(qpc_date_add_months(D("2025-01-15"), -1), "2024-12-15");
	ck_date(qpc_date_add_months(D("2025-01-15"), -25), "2022-12-15");
	ck_date(qpc_date_add_months(D("2025-01-15"), 0), "2025-01-15");
}
END_TEST

START_TEST(unix_days)
{
	ck_date(qpc_date_from_unix(0), "1970-01-01");
	ck_date(qpc_date_from_unix(86399), "1970-01-01");
	ck_date(qpc_date_from_unix(-1), "1969-12-31");
	ck_date(qpc_date_from_unix(1798329600), "2026-12-27");
	ck_assert_int_eq(qpc_date_year(D("2026-11-27")), 2026);
	ck_assert_int_eq(qpc_date_days_in_month(2100, 2), 28);
	ck_assert_int_eq(qpc_date_days_in_month(2000, 2), 29);
	ck_assert_int_eq(qpc_date_days_in_month(2000, 13), 0);
}
END_TEST

Suite *date_suite(void)
{
	Suite *s = suite_create("date");
	TCase *tc = tcase_create("calendar");
	tcase_add_test(tc, epoch_and_round_trip);
	tcase_add_test(tc, strict_iso);
	tcase_add_test(tc, months_clamp);
	tcase_add_test(tc, unix_days);
	suite_add_tcase(s, tc);
	return s;
}
