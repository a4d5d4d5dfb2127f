/* check_editor.c — the QPC editor's form without a terminal: amounts and
 * dates as people type them, what is refused and why, the sheet saved
 * and the live preview of share and status. */
#include <string.h>

#include "../src/tui/editor_model.h"
#include "tests.h"

static qpc_date D(const char *iso)
{
	qpc_date d;
	ck_assert_msg(qpc_date_parse_iso(iso, &d), "bad date %s", iso);
	return d;
}

/* An account with two lines, sales 50,000 and a rep who thinks 90%. */
static void sample(struct edm *m)
{
	struct qpc_qpc_sheet sh;
	memset(&sh, 0, sizeof sh);
	sh.account_id = 7;
	sh.account_version = 3;
	sh.has_rep_share = true;
	sh.rep_share_bp = 9000;
	sh.nlines = 2;
	sh.lines[0] = (struct qpc_line){ .category_id = 1, .category = "Packaging", .amount = 10000000,
		                         .basis = "customer stated", .verified = true,
		                         .measured_on = D("2026-01-10"), .measured_by = "ann",
		                         .version = 4 };
	sh.lines[1] = (struct qpc_line){ .category_id = 2, .category = "Safety", .amount = 5000000,
		                         .basis = "rep estimate", .measured_on = D("2025-06-01"),
		                         .measured_by = "bo", .version = 1 };
	edm_load(m, &sh, 2, D("2026-11-27"));
	m->sales_12m = 5000000; /* 50,000.00 */
	m->status = QPC_CUSTOMER;
	m->threshold_bp = 7500;
}

static struct edm m;

START_TEST(loads_the_sheet_as_text_that_reads_back_the_same)
{
	sample(&m);
	ck_assert_int_eq(m.nlines, 2);
	ck_assert_str_eq(m.lines[0].text[EDM_AMOUNT], "100,000.00");
	ck_assert_str_eq(m.lines[1].text[EDM_MEASURED], "2025-06-01");
	ck_assert_str_eq(m.share_text, "90%");
	ck_assert(!edm_dirty(&m));
	struct qpc_qpc_sheet after;
	ck_assert(edm_sheet(&m, &after));
	ck_assert_int_eq(after.lines[0].amount, 10000000);
	ck_assert_int_eq(after.lines[0].version, 4);
	ck_assert_str_eq(after.lines[0].measured_by, "ann"); /* untouched: still ann's */
}
END_TEST

START_TEST(amounts_as_people_type_them)
{
	static const struct {
		const char *typed;
		qpc_money cents;
	} ok[] = {
		{ "12,500", 1250000 }, { "12.5k", 1250000 }, { "12500", 1250000 },
		{ "€ 12.500,00", 1250000 }, { "$12,500.00", 1250000 }, { "1.2M", 120000000 },
		{ "12 500", 1250000 }, { "0", 0 },
	};
	sample(&m);
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
		edm_set(&m, 0, EDM_AMOUNT, ok[i].typed);
		ck_assert_msg(!m.lines[0].why[EDM_AMOUNT], "%s: %s", ok[i].typed, m.lines[0].why[EDM_AMOUNT]);
		ck_assert_int_eq(m.lines[0].amount, ok[i].cents);
	}
}
END_TEST

START_TEST(bad_amounts_are_refused_with_a_reason)
{
	static const char *const bad[] = { "-5", "(1,000)", "abc", "", "12..5", "5000000000000",
		                           "99999999999999999999999" };
	sample(&m);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		edm_set(&m, 1, EDM_AMOUNT, bad[i]);
		ck_assert_msg(m.lines[1].why[EDM_AMOUNT] != NULL, "'%s' accepted", bad[i]);
		int line;
		enum edm_field f;
		const char *why;
		ck_assert(edm_invalid(&m, &line, &f, &why));
		ck_assert_int_eq(line, 1);
		ck_assert_int_eq(f, EDM_AMOUNT);
		struct qpc_qpc_sheet after;
		ck_assert_msg(!edm_sheet(&m, &after), "'%s' would be saved", bad[i]);
		ck_assert(edm_dirty(&m));
	}
	edm_set(&m, 1, EDM_AMOUNT, "-5");
	ck_assert_str_eq(m.lines[1].why[EDM_AMOUNT], "a QPC cannot be negative");
	edm_set(&m, 1, EDM_AMOUNT, "5000000000000");
	ck_assert_ptr_nonnull(strstr(m.lines[1].why[EDM_AMOUNT], "trillion"));
	edm_set(&m, 1, EDM_AMOUNT, "40,000"); /* a new amount: measured today */
	ck_assert_str_eq(m.lines[1].text[EDM_MEASURED], "2026-11-27");
	edm_set(&m, 1, EDM_AMOUNT, "50,000");
	ck_assert_str_eq(m.lines[1].text[EDM_MEASURED], "2025-06-01");
	ck_assert(!edm_dirty(&m)); /* back as it was */
	edm_set(&m, 1, EDM_MEASURED, "2026-03-01"); /* a date typed stays */
	edm_set(&m, 1, EDM_AMOUNT, "40,000");
	ck_assert_str_eq(m.lines[1].text[EDM_MEASURED], "2026-03-01");
}
END_TEST

START_TEST(dates_categories_bases_and_shares_are_checked)
{
	sample(&m);
	edm_set(&m, 0, EDM_MEASURED, "yesterday");
	ck_assert_ptr_null(m.lines[0].why[EDM_MEASURED]);
	ck_assert_int_eq(m.lines[0].measured_on, D("2026-11-26"));
	edm_set(&m, 0, EDM_MEASURED, "2026-02-30");
	ck_assert_ptr_nonnull(m.lines[0].why[EDM_MEASURED]);
	edm_set(&m, 0, EDM_MEASURED, "2027-01-01");
	ck_assert_str_eq(m.lines[0].why[EDM_MEASURED], "measured in the future");
	edm_set(&m, 0, EDM_MEASURED, "27 Nov 2026");
	ck_assert_ptr_null(m.lines[0].why[EDM_MEASURED]);
	edm_set(&m, 1, EDM_CATEGORY, "packaging"); /* names ignore case */
	ck_assert_str_eq(m.lines[1].why[EDM_CATEGORY], "another line has this category");
	ck_assert_str_eq(m.lines[0].why[EDM_CATEGORY], "another line has this category");
	edm_set(&m, 1, EDM_CATEGORY, "Safety");
	ck_assert_ptr_null(m.lines[0].why[EDM_CATEGORY]);
	edm_set(&m, 1, EDM_BASIS, "");
	ck_assert_ptr_nonnull(m.lines[1].why[EDM_BASIS]);
	edm_set(&m, 1, EDM_BASIS, "told us at the fair");
	ck_assert_ptr_null(m.lines[1].why[EDM_BASIS]);
	edm_set_share(&m, "40");
	ck_assert(m.has_share);
	ck_assert_int_eq(m.share_bp, 4000);
	edm_set_share(&m, "37.5%");
	ck_assert_int_eq(m.share_bp, 3750);
	edm_set_share(&m, "150%");
	ck_assert_ptr_nonnull(m.share_why);
	edm_set_share(&m, "lots");
	ck_assert_ptr_nonnull(m.share_why);
	edm_set_share(&m, "");
	ck_assert(!m.has_share);
	ck_assert_ptr_null(m.share_why);
	char buf[16];
	edm_share_text(3750, buf, sizeof buf);
	ck_assert_str_eq(buf, "37.5%");
}
END_TEST

START_TEST(the_preview_follows_every_keystroke)
{
	sample(&m);
	struct edm_preview p;
	edm_preview(&m, &p);
	ck_assert_int_eq(p.qpc, 15000000);
	ck_assert_int_eq(p.share.bp, 3333);
	ck_assert_int_eq(p.status, QPC_CUSTOMER);
	ck_assert_str_eq(p.change, "");
	edm_set(&m, 0, EDM_AMOUNT, "12.5k"); /* 12,500 + 50,000: sales 50,000 is 80% */
	edm_set(&m, 1, EDM_AMOUNT, "50000");
	edm_preview(&m, &p);
	ck_assert_int_eq(p.qpc, 6250000);
	ck_assert_int_eq(p.share.bp, 8000);
	ck_assert_int_eq(p.status, QPC_PARTNER);
	ck_assert_str_eq(p.change, "becomes a partner");
	ck_assert(p.complete);
	edm_set(&m, 0, EDM_AMOUNT, "12.5x"); /* half typed: the rest still counts */
	edm_preview(&m, &p);
	ck_assert(!p.complete);
	ck_assert_int_eq(p.qpc, 5000000);
	m.status = QPC_PARTNER;
	edm_set(&m, 0, EDM_AMOUNT, "1M");
	edm_preview(&m, &p);
	ck_assert_str_eq(p.change, "stops being a partner");
	edm_delete(&m, 0);
	edm_delete(&m, 0);
	edm_preview(&m, &p);
	ck_assert(!p.measured);
	ck_assert_int_eq(p.share.kind, QPC_SHARE_UNDEFINED);
}
END_TEST

START_TEST(lines_added_deleted_and_estimated)
{
	sample(&m);
	int i = edm_add(&m, "Tooling");
	ck_assert_int_eq(i, 2);
	ck_assert_str_eq(m.lines[i].text[EDM_MEASURED], "2026-11-27"); /* today */
	ck_assert_ptr_nonnull(m.lines[i].why[EDM_AMOUNT]);              /* to be typed */
	edm_set(&m, i, EDM_AMOUNT, "7,5k");
	ck_assert_int_eq(m.lines[i].amount, 750000);
	edm_delete(&m, 1);
	struct qpc_qpc_sheet after;
	ck_assert(edm_sheet(&m, &after));
	ck_assert_int_eq(after.nlines, 2);
	ck_assert_str_eq(after.lines[1].category, "Tooling");
	ck_assert_int_eq(after.lines[1].category_id, 0); /* created at save */
	ck_assert_int_eq(after.lines[1].version, 0);
	ck_assert(edm_dirty(&m));
	/* a formula estimate is never verified, and keeps its inputs */
	const char *why = NULL;
	ck_assert(edm_toggle_verified(&m, 1, &why));
	ck_assert(m.lines[1].verified);
	edm_fill_estimate(&m, 1, 2500000, "120 employees x 208.33 (Retail, 5 verified accounts)");
	ck_assert(!m.lines[1].verified);
	ck_assert_str_eq(m.lines[1].text[EDM_BASIS], "formula");
	ck_assert(!edm_toggle_verified(&m, 1, &why));
	ck_assert_ptr_nonnull(why);
	ck_assert(edm_sheet(&m, &after));
	ck_assert_str_eq(after.lines[1].inputs, "120 employees x 208.33 (Retail, 5 verified accounts)");
	ck_assert_int_eq(after.lines[1].amount, 2500000);
	edm_cycle_basis(&m, 1); /* formula -> rep estimate: the inputs no longer apply */
	ck_assert_str_eq(m.lines[1].text[EDM_BASIS], "rep estimate");
	ck_assert(edm_sheet(&m, &after));
	ck_assert_str_eq(after.lines[1].inputs, "");
	edm_set(&m, 1, EDM_BASIS, "met at a fair");
	edm_cycle_basis(&m, 1); /* free text -> the first named one */
	ck_assert_str_eq(m.lines[1].text[EDM_BASIS], edm_bases[0]);
	/* a changed line is measured by whoever saves it */
	edm_set(&m, 0, EDM_AMOUNT, "1");
	ck_assert(edm_sheet(&m, &after));
	ck_assert_str_eq(after.lines[0].measured_by, "");
	while (edm_add(&m, "") >= 0)
		;
	ck_assert_int_eq(m.nlines, EDM_LINES);
}
END_TEST

Suite *editor_suite(void)
{
	Suite *s = suite_create("editor");
	TCase *tc = tcase_create("form");
	tcase_add_test(tc, loads_the_sheet_as_text_that_reads_back_the_same);
	tcase_add_test(tc, amounts_as_people_type_them);
	tcase_add_test(tc, bad_amounts_are_refused_with_a_reason);
	tcase_add_test(tc, dates_categories_bases_and_shares_are_checked);
	tcase_add_test(tc, the_preview_follows_every_keystroke);
	tcase_add_test(tc, lines_added_deleted_and_estimated);
	suite_add_tcase(s, tc);
	return s;
}
