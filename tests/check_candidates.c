/* check_candidates.c — the candidates' reads the dashboard shows: the
 * board's ticks and orders, the graduation date, and suggested
 * candidates ranked by the rule in browse.h, on data whose answers are
 * known. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qpc/browse.h"
#include "qpc/edit.h"
#include "tests.h"

static char tmpdir[64], path[128];
static struct qpc_store *st;
static struct qpc_browse *br;
static struct qpc_error err;
static int64_t near_, rising, low, partner, cand, big, grad;

#define OK(call) ck_assert_msg((call) == QPC_OK, "%s", err.msg)

static qpc_date D(const char *iso)
{
	qpc_date d;
	ck_assert_msg(qpc_date_parse_iso(iso, &d), "bad date %s", iso);
	return d;
}

/* An account with one QPC line and sales 6-12 months back (before) and
 * within the last 6 months (recent), as of 2026-11-27. */
static int64_t account(const char *name, qpc_money qpc, qpc_money before, qpc_money recent)
{
	struct qpc_account_rec r = { .name = name, .owner = "alice" };
	int64_t id, c;
	OK(qpc_store_account_insert(st, &r, &id, &err));
	OK(qpc_store_category_ensure(st, "Packaging", &c, &err));
	struct qpc_potential_rec p = { .account_id = id, .category_id = c, .amount = qpc,
		                       .basis = "customer stated", .verified = true,
		                       .measured_on = D("2026-01-10") };
	OK(qpc_store_potential_set(st, &p, &err));
	struct qpc_sale_rec s = { .account_id = id, .category_id = c, .date = D("2026-02-01") };
	if ((s.amount = before))
		OK(qpc_store_sale_add(st, &s, &err));
	s.date = D("2026-08-01");
	if ((s.amount = recent))
		OK(qpc_store_sale_add(st, &s, &err));
	return id;
}

static void setup(void)
{
	scratch_make(tmpdir, sizeof tmpdir, "cand");
	snprintf(path, sizeof path, "%s/c.db", tmpdir);
	memset(&err, 0, sizeof err);
	OK(store_new(path, &st, &err));
	qpc_store_set_actor(st, "tester", 1795000000);
	near_ = account("Near", 1000000, 300000, 300000);   /* 60%, flat */
	rising = account("Rising", 1000000, 200000, 450000); /* 65%, +125% */
	low = account("Low", 1000000, 150000, 150000);      /* 30%: too far */
	partner = account("Partner", 1000000, 400000, 400000); /* 80% */
	cand = account("Cand", 10000000, 2500000, 2500000);  /* 50%, nominated */
	big = account("Big", 10000000, 0, 4500000);          /* 45%, no sales before */
	grad = account("Grad", 1000000, 500000, 0);          /* 50% in June */
	OK(qpc_store_refresh(st, D("2026-06-01"), &err));
	OK(qpc_store_candidate_add(st, cand, 0, D("2026-05-01"), &err));
	OK(qpc_store_candidate_add(st, grad, 0, D("2026-06-01"), &err));
	/* Grad's sales grow: a partner from the day of the sale */
	int64_t c;
	OK(qpc_store_category_ensure(st, "Packaging", &c, &err));
	struct qpc_sale_rec s = { .account_id = grad, .category_id = c, .date = D("2026-10-01"),
		                  .amount = 300000 };
	OK(qpc_store_sale_add(st, &s, &err));
	OK(qpc_store_refresh(st, D("2026-11-27"), &err));
	OK(qpc_store_tick(st, grad, 2, "lunch with the CFO", &err));
	OK(qpc_browse_open(st, D("2026-11-27"), &br, &err));
}

static void teardown(void)
{
	qpc_browse_close(br);
	qpc_store_close(st);
	scratch_remove(tmpdir);
}

START_TEST(suggestions_ranked_with_their_reasons)
{
	struct qpc_suggestion g[10];
	int n;
	OK(qpc_browse_suggestions(br, g, 10, &n, &err));
	/* Low is too far, Partner and Grad are partners, Cand a candidate */
	ck_assert_int_eq(n, 3);
	/* Rising: 100 x 65/75 = 86, trend +125% capped at 30, QPC 2 of 20 */
	ck_assert_int_eq(g[0].row.id, rising);
	ck_assert(g[0].has_trend);
	ck_assert_int_eq(g[0].trend_pct, 125);
	ck_assert_int_eq(g[0].score, 86 + 30 + 2);
	/* Near: 80 + 0 + 2 */
	ck_assert_int_eq(g[1].row.id, near_);
	ck_assert(g[1].has_trend);
	ck_assert_int_eq(g[1].trend_pct, 0);
	ck_assert_int_eq(g[1].score, 82);
	/* Big: 60, no sales before the last 6 months (no trend), the
	 * largest QPC: 20 */
	ck_assert_int_eq(g[2].row.id, big);
	ck_assert(!g[2].has_trend);
	ck_assert_int_eq(g[2].score, 80);
	ck_assert_int_eq(g[2].row.fig.share.bp, 4500);
	/* max bounds what is written */
	OK(qpc_browse_suggestions(br, g, 1, &n, &err));
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(g[0].row.id, rising);
}
END_TEST

START_TEST(a_nominated_or_dropped_account_leaves_or_rejoins_the_suggestions)
{
	struct qpc_suggestion g[10];
	int n;
	OK(qpc_store_candidate_add(st, rising, 0, D("2026-11-27"), &err));
	OK(qpc_browse_suggestions(br, g, 10, &n, &err));
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(g[0].row.id, near_);
	OK(qpc_edit_candidate_drop(st, rising, "no budget", D("2026-11-27"), &err));
	OK(qpc_browse_suggestions(br, g, 10, &n, &err));
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(g[0].row.id, rising);
}
END_TEST

START_TEST(a_graduate_shows_the_day_it_became_a_partner)
{
	struct qpc_candidate_row rows[4];
	struct qpc_fetched got;
	struct qpc_fetch r = { QPC_NEXT, 0, false, 4 };
	OK(qpc_browse_candidates(br, &r, rows, &got, &err));
	ck_assert_int_eq(got.n, 2);
	ck_assert_int_eq(rows[0].account_id, cand);
	ck_assert(!rows[0].graduated);
	ck_assert_int_eq(rows[1].account_id, grad);
	ck_assert_int_eq(rows[1].status, QPC_PARTNER);
	ck_assert(rows[1].graduated);
	/* the day its sales made it one, not the day anyone looked */
	ck_assert_int_eq(rows[1].graduated_on, D("2026-10-01"));
}
END_TEST

/* The candidates in an order, walked two at a time, forwards from the
 * top or backwards from the bottom (then reversed): the ids in order. */
static int walk(enum qpc_cand_sort by, bool desc, enum qpc_dir dir, int64_t *ids)
{
	struct qpc_candidate_row rows[2];
	struct qpc_fetched got;
	struct qpc_fetch r = { dir, 0, false, 2 };
	int n = 0;
	do {
		OK(qpc_browse_candidates_by(br, by, desc, &r, rows, &got, &err));
		for (int i = 0; i < got.n && n < 16; i++)
			ids[n++] = rows[i].account_id;
		if (got.n)
			r.from = rows[got.n - 1].account_id;
	} while (!got.end && n < 16);
	for (int i = 0; dir == QPC_PREV && i < n / 2; i++) {
		int64_t t = ids[i];
		ids[i] = ids[n - 1 - i];
		ids[n - 1 - i] = t;
	}
	return n;
}

START_TEST(candidates_sort_by_any_column_and_page_both_ways)
{
	OK(qpc_store_candidate_add(st, near_, 0, D("2026-07-01"), &err));
	OK(qpc_store_candidate_add(st, rising, 0, D("2026-08-01"), &err));
	OK(qpc_store_candidate_add(st, low, 0, D("2026-09-01"), &err));
	OK(qpc_store_candidate_add(st, big, 0, D("2026-10-01"), &err));
	int64_t fwd[16], back[16];
	/* shares: Grad 80% (a partner), Rising 65, Near 60, Cand 50, Big 45, Low 30 */
	int64_t by_share[] = { grad, rising, near_, cand, big, low };
	ck_assert_int_eq(walk(QPC_CAND_BY_SHARE, true, QPC_NEXT, fwd), 6);
	for (int i = 0; i < 6; i++)
		ck_assert_int_eq(fwd[i], by_share[i]);
	ck_assert_int_eq(walk(QPC_CAND_BY_SHARE, false, QPC_NEXT, fwd), 6);
	for (int i = 0; i < 6; i++)
		ck_assert_int_eq(fwd[i], by_share[5 - i]);
	/* nominated: Cand in May, Grad in June, then one a month */
	int64_t by_since[] = { cand, grad, near_, rising, low, big };
	ck_assert_int_eq(walk(QPC_CAND_BY_SINCE, false, QPC_NEXT, fwd), 6);
	for (int i = 0; i < 6; i++)
		ck_assert_int_eq(fwd[i], by_since[i]);
	/* Grad has one step of four ticked; the others none, tied by id */
	ck_assert_int_eq(walk(QPC_CAND_BY_PROGRESS, true, QPC_NEXT, fwd), 6);
	ck_assert_int_eq(fwd[0], grad);
	/* every order, both ways: the same rows, each once, forwards as backwards */
	for (int by = 0; by < QPC_CAND_SORTS; by++)
		for (int desc = 0; desc < 2; desc++) {
			int n = walk((enum qpc_cand_sort)by, desc, QPC_NEXT, fwd);
			ck_assert_int_eq(n, 6);
			ck_assert_int_eq(walk((enum qpc_cand_sort)by, desc, QPC_PREV, back), 6);
			for (int i = 0; i < n; i++)
				ck_assert_msg(fwd[i] == back[i], "order %d%s, row %d", by, desc ? " desc" : "", i);
		}
	/* from an account that is no longer a candidate: from the top */
	struct qpc_candidate_row rows[8];
	struct qpc_fetched got;
	struct qpc_fetch r = { QPC_NEXT, partner, false, 8 };
	OK(qpc_browse_candidates_by(br, QPC_CAND_BY_SHARE, true, &r, rows, &got, &err));
	ck_assert_int_eq(got.n, 6);
	ck_assert_int_eq(rows[0].account_id, grad);
}
END_TEST

START_TEST(the_board_has_every_tick_in_each_order)
{
	struct qpc_board_row rows[4];
	int n;
	OK(qpc_browse_board(br, QPC_BOARD_PROGRESS_DESC, rows, 4, &n, &err));
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(rows[0].account_id, grad);
	ck_assert_int_eq(rows[0].ticked, 1);
	ck_assert_int_eq(rows[0].steps, 4);
	ck_assert_uint_eq(rows[0].ticks, 1u << 1); /* step 2 */
	ck_assert_int_eq(rows[1].ticks, 0);
	OK(qpc_browse_board(br, QPC_BOARD_PROGRESS_ASC, rows, 4, &n, &err));
	ck_assert_int_eq(rows[0].account_id, cand);
	OK(qpc_browse_board(br, QPC_BOARD_NAME, rows, 4, &n, &err));
	ck_assert_int_eq(rows[0].account_id, cand); /* "Cand" < "Grad" */
	OK(qpc_browse_board(br, QPC_BOARD_SINCE, rows, 4, &n, &err));
	ck_assert_int_eq(rows[0].account_id, cand); /* May before June */
	/* bounded: the first in the order only */
	OK(qpc_browse_board(br, QPC_BOARD_PROGRESS_DESC, rows, 1, &n, &err));
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(rows[0].account_id, grad);
	/* a step moved keeps its tick, now at its new position */
	OK(qpc_template_step_move(st, "Partner checklist", 2, 4, &err));
	OK(qpc_browse_board(br, QPC_BOARD_PROGRESS_DESC, rows, 4, &n, &err));
	ck_assert_uint_eq(rows[0].ticks, 1u << 3);
	/* a retired one leaves the board */
	OK(qpc_template_step_retire(st, "Partner checklist", 4, &err));
	OK(qpc_browse_board(br, QPC_BOARD_PROGRESS_DESC, rows, 4, &n, &err));
	ck_assert_int_eq(rows[0].ticks, 0);
	ck_assert_int_eq(rows[0].steps, 3);
}
END_TEST

Suite *candidates_suite(void)
{
	Suite *s = suite_create("candidates");
	TCase *tc = tcase_create("reads");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, suggestions_ranked_with_their_reasons);
	tcase_add_test(tc, a_nominated_or_dropped_account_leaves_or_rejoins_the_suggestions);
	tcase_add_test(tc, a_graduate_shows_the_day_it_became_a_partner);
	tcase_add_test(tc, candidates_sort_by_any_column_and_page_both_ways);
	tcase_add_test(tc, the_board_has_every_tick_in_each_order);
	suite_add_tcase(s, tc);
	return s;
}
