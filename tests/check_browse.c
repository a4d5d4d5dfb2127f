/* check_browse.c — paging accounts: every order, both directions, across
 * ties, under filters and search, by both plans, against a reference
 * computed here from the raw rows. */
#include <locale.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "qpc/browse.h"
#include "qpc/ingest.h"
#include "tests.h"

#define N 64
static char tmpdir[64], path[128];
static struct qpc_store *st;
static struct qpc_browse *br;
static struct qpc_error err;
static qpc_date as_of;
/* The accounts came by a bulk import and were never refreshed: the sort
 * indexes and the trigram index are still to build (setup_bulk). */
static bool bulk;

/* What the test knows of each account, to sort and filter on its own. */
struct ref {
	int64_t id;
	char name[40], ext[16], owner[8], segment[12], status[12], measured[12];
	int64_t qpc, sales, share, untapped; /* -1: NULL */
	int over;
};
static struct ref ref[N];

static const char *const names[] = { "acme", "Acme", "ACME", "Brightwater", "100% Pure",
	                             "O'Brien & Sons", "a_b Ltd", "50%_off", "Zenith \"Z\"",
	                             "Müller GmbH", "東京精密", "beta", "Ålesund AB", "Łódź Co",
	                             "Mull Ltd" };
/* The order names sort in, written out: case and accents left out
 * (namekey.h). */
static const char *const name_keys[] = { "acme", "acme", "acme", "brightwater", "100% pure",
	                                 "o'brien & sons", "a_b ltd", "50%_off", "zenith \"z\"",
	                                 "muller gmbh", "東京精密", "beta", "alesund ab", "lodz co",
	                                 "mull ltd" };
#define NNAMES ((int)(sizeof names / sizeof *names))
static const char *const statuses[] = { "prospect", "customer", "candidate", "partner" };

static void raw(const char *sql)
{
	sqlite3 *db;
	char *msg = NULL;
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_msg(sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK, "%s", msg ? msg : "?");
	sqlite3_close(db);
}

static void setup(void)
{
	ck_assert_ptr_nonnull(setlocale(LC_ALL, "C.UTF-8"));
	scratch_make(tmpdir, sizeof tmpdir, "browse");
	snprintf(path, sizeof path, "%s/b.db", tmpdir);
	ck_assert_msg(store_new(path, &st, &err) == QPC_OK, "%s", err.msg);
	qpc_store_set_actor(st, "tester", 1795780800); /* 2026-11-27: the cache's date */
	qpc_date_parse_iso("2026-11-27", &as_of);
	/* Deliberately many ties: 3 owners, 3 segments, 4 statuses, repeated
	 * names and figures, unmeasured QPC. */
	ck_assert_int_eq(bulk ? qpc_ingest_begin(st, 0, &err) : qpc_store_begin(st, &err), QPC_OK);
	for (int i = 0; i < N; i++) {
		struct ref *r = &ref[i];
		snprintf(r->name, sizeof r->name, "%s", names[(i * 7) % NNAMES]);
		snprintf(r->ext, sizeof r->ext, "EXT-%03d", (i * 37) % 101);
		snprintf(r->owner, sizeof r->owner, "%s", (const char *[]){ "alice", "bob", "chen" }[i % 3]);
		snprintf(r->segment, sizeof r->segment, "%s", (const char *[]){ "Retail", "Health", "" }[(i / 3) % 3]);
		struct qpc_account_rec rec = { .external_id = r->ext, .name = r->name,
			                       .owner = r->owner, .segment = r->segment };
		enum qpc_outcome out;
		ck_assert_msg((bulk ? qpc_ingest_account(st, &rec, QPC_AF_OWNER | QPC_AF_SEGMENT, &r->id,
		                                         &out, &err)
		                    : qpc_store_account_insert(st, &rec, &r->id, &err)) == QPC_OK,
		              "%s", err.msg);
	}
	if (bulk) {
		ck_assert_msg(qpc_ingest_end(st, true, &err) == QPC_OK, "%s", err.msg);
		/* The import builds every index; a file whose sort indexes are
		 * still to build (an older qpc left them so) is made by hand. */
		raw("INSERT INTO pending_ddl(sql) SELECT sql FROM sqlite_master WHERE type = 'index'"
		    " AND name LIKE 'account\\_by\\_%' ESCAPE '\\';"
		    "SELECT 1;");
		sqlite3 *d;
		ck_assert_int_eq(sqlite3_open(path, &d), SQLITE_OK);
		sqlite3_stmt *q;
		ck_assert_int_eq(sqlite3_prepare_v2(d, "SELECT name FROM sqlite_master WHERE type ="
		                                       " 'index' AND name LIKE 'account\\_by\\_%'"
		                                       " ESCAPE '\\'", -1, &q, NULL), SQLITE_OK);
		char drops[4096] = "";
		while (sqlite3_step(q) == SQLITE_ROW) {
			size_t used = strlen(drops);
			snprintf(drops + used, sizeof drops - used, "DROP INDEX %s;",
			         (const char *)sqlite3_column_text(q, 0));
		}
		sqlite3_finalize(q);
		sqlite3_close(d);
		raw(drops);
	} else {
		ck_assert_msg(qpc_store_commit(st, &err) == QPC_OK, "%s", err.msg);
		ck_assert_msg(qpc_store_refresh(st, as_of, &err) == QPC_OK, "%s", err.msg);
	}
	/* Then the cached figures, set by hand so that every tie is there. */
	sqlite3 *db;
	sqlite3_stmt *u;
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "UPDATE account SET qpc = ?2, sales_12m = ?3,"
	                                        " share_bp = ?4, share_over = ?5, untapped = ?6,"
	                                        " status = ?7, qpc_measured_on = ?8 WHERE id = ?1",
	                                    -1, &u, NULL), SQLITE_OK);
	for (int i = 0; i < N; i++) {
		struct ref *r = &ref[i];
		r->qpc = i % 5 == 0 ? -1 : (i % 4) * 1000;
		/* returns outweigh sales now and then: keys below and above
		 * the accounts without sales */
		r->sales = (int64_t)(i % 6) * 300 - (i % 7 == 3 ? 700 : 0);
		r->over = r->qpc > 0 && r->sales > r->qpc;
		r->share = r->qpc <= 0 ? -1 : r->over ? 10000 : r->sales * 10000 / r->qpc;
		r->untapped = r->qpc < 0 ? -1 : r->qpc > r->sales ? r->qpc - r->sales : 0;
		snprintf(r->status, sizeof r->status, "%s", statuses[(i / 2) % 4]);
		static const char *const days[] = { "2024-01-01", "2026-06-01", "2025-11-26",
			                            "2025-11-27" };
		snprintf(r->measured, sizeof r->measured, "%s", r->qpc < 0 ? "" : days[i % 4]);
		sqlite3_reset(u);
		sqlite3_clear_bindings(u);
		sqlite3_bind_int64(u, 1, r->id);
		if (r->qpc >= 0)
			sqlite3_bind_int64(u, 2, r->qpc);
		sqlite3_bind_int64(u, 3, r->sales);
		if (r->qpc > 0) /* a share, below zero when returns outweigh sales */
			sqlite3_bind_int64(u, 4, r->share);
		sqlite3_bind_int(u, 5, r->over);
		if (r->untapped >= 0)
			sqlite3_bind_int64(u, 6, r->untapped);
		sqlite3_bind_text(u, 7, r->status, -1, SQLITE_STATIC);
		if (r->measured[0])
			sqlite3_bind_text(u, 8, r->measured, -1, SQLITE_STATIC);
		ck_assert_int_eq(sqlite3_step(u), SQLITE_DONE);
	}
	sqlite3_finalize(u);
	sqlite3_close(db);
	if (bulk) {
		/* read-only, as the dashboard browses a file it cannot refresh */
		qpc_store_close(st);
		ck_assert_msg(qpc_store_open(path, QPC_OPEN_READONLY, &st, &err) == QPC_OK, "%s",
		              err.msg);
	}
	ck_assert_msg(qpc_browse_open(st, as_of, &br, &err) == QPC_OK, "%s", err.msg);
}

static void setup_indexed(void)
{
	bulk = false;
	setup();
}

static void setup_bulk(void)
{
	bulk = true;
	setup();
}

static void teardown(void)
{
	qpc_browse_close(br);
	qpc_store_close(st);
	scratch_remove(tmpdir);
}

/* --- the reference ------------------------------------------------------- */

static const struct qpc_filter *ref_f;
static struct qpc_order ref_o;

static int by_name(const char *a, const char *b)
{
	int x = 0, y = 0;
	while (strcmp(names[x], a) != 0)
		x++;
	while (strcmp(names[y], b) != 0)
		y++;
	return strcmp(name_keys[x], name_keys[y]);
}

static int rank(const char *status)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(status, statuses[i]) == 0)
			return i;
	return 0;
}

static int cmp_key(const struct ref *a, const struct ref *b)
{
	int64_t x = 0, y = 0;
	switch (ref_o.col) {
	case QPC_COL_NAME: return by_name(a->name, b->name);
	case QPC_COL_OWNER: return strcmp(a->owner, b->owner);
	case QPC_COL_SEGMENT: return strcmp(a->segment, b->segment);
	case QPC_COL_AGE: return -strcmp(a->measured, b->measured); /* desc = oldest first */
	case QPC_COL_QPC: x = a->qpc, y = b->qpc; break;
	case QPC_COL_SALES: x = a->sales, y = b->sales; break;
	case QPC_COL_SHARE: x = a->share + a->over, y = b->share + b->over; break;
	case QPC_COL_UNTAPPED: x = a->untapped, y = b->untapped; break;
	case QPC_COL_STATUS: x = rank(a->status), y = rank(b->status); break;
	default: break;
	}
	return x < y ? -1 : x > y;
}

static int cmp_ref(const void *pa, const void *pb)
{
	const struct ref *a = pa, *b = pb;
	int c = cmp_key(a, b);
	/* Ties go by id in the direction the index is walked: for age, the
	 * opposite of the date's. */
	if (c == 0)
		c = (a->id < b->id ? -1 : a->id > b->id) * (ref_o.col == QPC_COL_AGE ? -1 : 1);
	return ref_o.desc ? -c : c;
}

static bool has_ci(const char *hay, const char *needle)
{
	char h[128], n[128];
	size_t i;
	for (i = 0; i < 127 && hay[i]; i++)
		h[i] = (char)(hay[i] >= 'A' && hay[i] <= 'Z' ? hay[i] + 32 : hay[i]);
	h[i] = 0;
	for (i = 0; i < 127 && needle[i]; i++)
		n[i] = (char)(needle[i] >= 'A' && needle[i] <= 'Z' ? needle[i] + 32 : needle[i]);
	n[i] = 0;
	return strstr(h, n) != NULL;
}

static bool ref_passes(const struct ref *r, const struct qpc_filter *f)
{
	if (f->owner[0] && strcmp(r->owner, f->owner) != 0)
		return false;
	if (f->segment[0] && strcmp(r->segment, f->segment) != 0)
		return false;
	if (f->status >= 0 && strcmp(r->status, statuses[f->status]) != 0)
		return false;
	if (f->stale && r->qpc >= 0 && strcmp(r->measured, "2025-11-27") >= 0)
		return false;
	return !f->text[0] || has_ci(r->name, f->text) || has_ci(r->ext, f->text);
}

/* The ids the filter passes, in the order. */
static int expected(const struct qpc_filter *f, const struct qpc_order *o, int64_t *ids)
{
	static struct ref sorted[N];
	int n = 0;
	ref_f = f;
	ref_o = *o;
	memcpy(sorted, ref, sizeof ref);
	qsort(sorted, N, sizeof *sorted, cmp_ref);
	for (int i = 0; i < N; i++)
		if (ref_passes(&sorted[i], f))
			ids[n++] = sorted[i].id;
	return n;
}

/* --- walking with the browse API ----------------------------------------- */

/* Pages through the whole list in pages of `page` rows, resuming when the
 * budget runs out; returns the ids in the order of the list. */
static int walk(const struct qpc_filter *f, const struct qpc_order *o, enum qpc_dir dir,
                int page, int64_t *ids)
{
	struct qpc_browse_row rows[8];
	struct qpc_fetch r = { .dir = dir, .from = 0, .max = page };
	int n = 0, guard = 0;
	for (;;) {
		struct qpc_fetched got;
		ck_assert_msg(qpc_browse_fetch(br, f, o, &r, rows, &got, &err) == QPC_OK, "%s", err.msg);
		ck_assert_int_le(got.n, page);
		for (int i = 0; i < got.n; i++) {
			ck_assert_int_lt(n, N);
			ids[n++] = rows[i].id;
		}
		if (got.end)
			break;
		ck_assert_int_lt(++guard, 10 * (intmax_t)N);
		r.from = got.n == page ? rows[got.n - 1].id : got.resume;
		ck_assert_int_ne(r.from, 0);
	}
	if (dir == QPC_PREV) /* nearest first: reverse into list order */
		for (int i = 0; i < n / 2; i++) {
			int64_t t = ids[i];
			ids[i] = ids[n - 1 - i];
			ids[n - 1 - i] = t;
		}
	return n;
}

/* Every order is walked both ways in pages of 1, 4 and 7 rows; under
 * Valgrind (QPC_CHECK_SAMPLE set: make check-valgrind), which runs the
 * same code fifty times slower, each order one of those six ways, in
 * turn, so that every way is still walked. */
static void check_walks(const struct qpc_filter *f, const char *what)
{
	int64_t want[N], got[N];
	bool sample = getenv("QPC_CHECK_SAMPLE") != NULL;
	for (int col = 0; col < QPC_COL_COUNT; col++)
		for (int desc = 0; desc < 2; desc++) {
			struct qpc_order o = { (enum qpc_col)col, desc };
			int nw = expected(f, &o, want);
			for (int dir = 0; dir < 2; dir++)
				for (int page = 1; page <= 7; page += 3) {
					if (sample && dir * 3 + page / 3 != (col * 2 + desc) % 6)
						continue;
					int ng = walk(f, &o, (enum qpc_dir)dir, page, got);
					ck_assert_msg(ng == nw, "%s by %s %s, %s pages of %d: %d rows, want %d", what,
					              qpc_col_name(o.col), desc ? "desc" : "asc",
					              dir ? "prev" : "next", page, ng, nw);
					for (int i = 0; i < nw; i++)
						ck_assert_msg(got[i] == want[i],
						              "%s by %s %s, %s pages of %d: row %d is %lld, want %lld",
						              what, qpc_col_name(o.col), desc ? "desc" : "asc",
						              dir ? "prev" : "next", page, i, (long long)got[i],
						              (long long)want[i]);
				}
		}
}

static const char *const texts[] = { "", "acme", "ACM", "%", "_", "'", "\"", "ext-0", "o'b",
	                             "100%", "a_b", "ü", "京精", "zz" };

/* Every order and direction, under a range of filters and texts. */
static void check_filters(void)
{
	struct qpc_filter f;
	char what[64];
	for (int t = 0; t < (int)(sizeof texts / sizeof *texts); t++) {
		qpc_filter_init(&f);
		snprintf(f.text, sizeof f.text, "%s", texts[t]);
		snprintf(what, sizeof what, "text '%s'", texts[t]);
		check_walks(&f, what);
	}
	qpc_filter_init(&f);
	snprintf(f.owner, sizeof f.owner, "bob");
	check_walks(&f, "owner bob");
	f.status = QPC_PARTNER;
	check_walks(&f, "bob's partners");
	qpc_filter_init(&f);
	snprintf(f.segment, sizeof f.segment, "Health");
	check_walks(&f, "segment");
	for (int s = 0; s < 4; s++) {
		qpc_filter_init(&f);
		f.status = s;
		check_walks(&f, statuses[s]);
	}
	qpc_filter_init(&f);
	f.stale = true;
	check_walks(&f, "stale");
	snprintf(f.text, sizeof f.text, "acme");
	f.status = QPC_CUSTOMER;
	check_walks(&f, "stale acme customers");
	qpc_filter_init(&f);
	snprintf(f.owner, sizeof f.owner, "nobody");
	check_walks(&f, "an owner with no accounts");
}

START_TEST(pages_by_walking_the_sort_index)
{
	qpc_browse_tune(br, 1, 0); /* no set is small: always walk */
	check_filters();
}
END_TEST

START_TEST(pages_by_sorting_small_sets)
{
	qpc_browse_tune(br, 1000, 0); /* every filtered set is small */
	check_filters();
}
END_TEST

START_TEST(walks_resume_when_the_budget_runs_out)
{
	qpc_browse_tune(br, 1, 3); /* three rows a call: every page resumes */
	struct qpc_filter f;
	qpc_filter_init(&f);
	f.status = QPC_CANDIDATE;
	snprintf(f.text, sizeof f.text, "e");
	check_walks(&f, "budget of 3");
	/* and a page that stops short says where to go on */
	struct qpc_browse_row rows[8];
	struct qpc_fetch r = { .dir = QPC_NEXT, .max = 8 };
	struct qpc_fetched got;
	struct qpc_order o = { QPC_COL_NAME, false };
	snprintf(f.text, sizeof f.text, "zenith");
	f.status = -1;
	ck_assert_int_eq(qpc_browse_fetch(br, &f, &o, &r, rows, &got, &err), QPC_OK);
	ck_assert(!got.end && got.n < 8 && got.resume != 0);
}
END_TEST

START_TEST(anchor_inclusive_and_outside_the_filter)
{
	struct qpc_filter f;
	qpc_filter_init(&f);
	struct qpc_order o = { QPC_COL_QPC, true };
	int64_t want[N];
	int nw = expected(&f, &o, want);
	struct qpc_browse_row rows[3];
	struct qpc_fetched got;
	struct qpc_fetch r = { .dir = QPC_NEXT, .from = want[10], .inclusive = true, .max = 3 };
	ck_assert_int_eq(qpc_browse_fetch(br, &f, &o, &r, rows, &got, &err), QPC_OK);
	ck_assert_int_eq(got.n, 3);
	ck_assert_int_eq(rows[0].id, want[10]);
	ck_assert_int_eq(rows[2].id, want[12]);
	r.dir = QPC_PREV;
	r.inclusive = false;
	ck_assert_int_eq(qpc_browse_fetch(br, &f, &o, &r, rows, &got, &err), QPC_OK);
	ck_assert_int_eq(rows[0].id, want[9]);
	ck_assert_int_eq(rows[2].id, want[7]);
	/* An anchor the filter does not pass still places the page. */
	f.status = QPC_PARTNER;
	int64_t part[N];
	int np = expected(&f, &o, part);
	ck_assert_int_gt(np, 2);
	r.dir = QPC_NEXT;
	r.inclusive = true;
	for (int i = 0; i < nw; i++) {
		r.from = want[i];
		ck_assert_int_eq(qpc_browse_fetch(br, &f, &o, &r, rows, &got, &err), QPC_OK);
		int k; /* the first partner at or after position i */
		for (k = 0; k < np; k++) {
			int j = 0;
			while (j < nw && want[j] != part[k])
				j++;
			if (j >= i)
				break;
		}
		if (k == np)
			ck_assert(got.end && got.n == 0);
		else
			ck_assert_int_eq(rows[0].id, part[k]);
	}
}
END_TEST

START_TEST(counts_match_the_filters)
{
	struct qpc_filter f;
	int64_t want[N], total;
	qpc_filter_init(&f);
	ck_assert_int_eq(qpc_browse_total(br, &total, &err), QPC_OK);
	ck_assert_int_eq(total, N);
	struct qpc_order o = { QPC_COL_NAME, false };
	for (int k = 0; k < 6; k++) {
		qpc_filter_init(&f);
		if (k == 1)
			snprintf(f.owner, sizeof f.owner, "alice");
		if (k == 2)
			f.status = QPC_CANDIDATE;
		if (k == 3)
			snprintf(f.segment, sizeof f.segment, "Retail");
		if (k >= 4)
			f.stale = true;
		if (k == 5)
			snprintf(f.owner, sizeof f.owner, "chen");
		struct qpc_count c;
		qpc_count_start(&c);
		for (int i = 0; i < 100 && !c.done; i++)
			ck_assert_int_eq(qpc_browse_count(br, &f, &c, &err), QPC_OK);
		ck_assert(c.done);
		ck_assert_int_eq(c.n, expected(&f, &o, want));
	}
	/* search matches, with the text taken literally */
	for (int t = 1; t < (int)(sizeof texts / sizeof *texts); t++) {
		qpc_filter_init(&f);
		snprintf(f.text, sizeof f.text, "%s", texts[t]);
		int64_t n;
		bool exact;
		ck_assert_int_eq(qpc_browse_match_count(br, &f, &n, &exact, &err), QPC_OK);
		/* counted through the trigram index, when there is one */
		if (!bulk && strlen(texts[t]) >= 3 && strcmp(texts[t], "京精") != 0) {
			ck_assert_msg(exact, "'%s' not counted", texts[t]);
			ck_assert_msg(n == expected(&f, &o, want), "'%s': %lld", texts[t], (long long)n);
		} else {
			ck_assert(!exact);
		}
	}
	/* a text filter is counted exactly, whatever its length, with the
	 * other filters too: the list's own test, in passes */
	for (int t = 1; t < (int)(sizeof texts / sizeof *texts); t++)
		for (int k = 0; k < 3; k++) {
			qpc_filter_init(&f);
			snprintf(f.text, sizeof f.text, "%s", texts[t]);
			f.stale = k == 1;
			if (k == 2)
				snprintf(f.owner, sizeof f.owner, "alice");
			struct qpc_count c;
			qpc_count_start(&c);
			for (int i = 0; i < 1000 && !c.done; i++)
				ck_assert_int_eq(qpc_browse_count(br, &f, &c, &err), QPC_OK);
			ck_assert(c.done);
			ck_assert_msg(c.n == expected(&f, &o, want), "'%s' (%d): %lld", texts[t], k,
			              (long long)c.n);
		}
}
END_TEST

START_TEST(search_text_is_literal)
{
	struct qpc_filter f;
	struct qpc_order o = { QPC_COL_NAME, false };
	struct qpc_browse_row rows[8];
	struct qpc_fetched got;
	struct qpc_fetch r = { .dir = QPC_NEXT, .max = 8 };
	qpc_filter_init(&f);
	snprintf(f.text, sizeof f.text, "%%");
	ck_assert_int_eq(qpc_browse_fetch(br, &f, &o, &r, rows, &got, &err), QPC_OK);
	for (int i = 0; i < got.n; i++)
		ck_assert_msg(strchr(rows[i].name, '%'), "%s", rows[i].name);
	ck_assert_int_gt(got.n, 0);
	snprintf(f.text, sizeof f.text, "' OR 1=1 --");
	ck_assert_int_eq(qpc_browse_fetch(br, &f, &o, &r, rows, &got, &err), QPC_OK);
	ck_assert_int_eq(got.n, 0);
	ck_assert(got.end);
	snprintf(f.text, sizeof f.text, "MÜLLER"); /* Unicode case under a UTF-8 locale */
	ck_assert_int_eq(qpc_browse_fetch(br, &f, &o, &r, rows, &got, &err), QPC_OK);
	ck_assert_int_gt(got.n, 0);
	ck_assert_str_eq(rows[0].name, "Müller GmbH");
}
END_TEST

START_TEST(rows_carry_figures_and_long_names_are_cut)
{
	raw("UPDATE account SET name = 'Nordvik ' || replace(hex(zeroblob(100)), '00', 'é') WHERE id = 1");
	struct qpc_browse_row row;
	ck_assert_int_eq(qpc_browse_row(br, 1, &row, &err), QPC_OK);
	size_t len = strlen(row.name);
	ck_assert_uint_lt(len, sizeof row.name);
	ck_assert_str_eq(row.name + len - 3, "\xe2\x80\xa6");
	ck_assert_str_eq(row.owner, ref[0].owner);
	ck_assert(!row.fig.qpc_measured && row.stale);
	ck_assert_int_eq(qpc_browse_row(br, 999, &row, &err), QPC_ERR_NOTFOUND);
	struct qpc_value_count seg[4];
	int n;
	ck_assert_int_eq(qpc_browse_segment_counts(br, seg, 4, &n, &err), QPC_OK);
	ck_assert_int_eq(n, 2);
	ck_assert_str_eq(seg[0].text, "Health");
	ck_assert_str_eq(seg[1].text, "Retail");
	ck_assert_int_gt(seg[0].n, 0);
	ck_assert_int_gt(seg[1].n, 0);
	/* The rename above was another connection's commit after the session
	 * opened: the first question already says so (a first answer of "no"
	 * would lose it for good), and only once. */
	bool changed;
	ck_assert_int_eq(qpc_browse_changed(br, &changed, &err), QPC_OK);
	ck_assert(changed);
	ck_assert_int_eq(qpc_browse_changed(br, &changed, &err), QPC_OK);
	ck_assert(!changed);
	raw("UPDATE account SET owner = 'dana' WHERE id = 2");
	ck_assert_int_eq(qpc_browse_changed(br, &changed, &err), QPC_OK);
	ck_assert(changed);
	ck_assert_int_eq(qpc_browse_changed(br, &changed, &err), QPC_OK);
	ck_assert(!changed);
}
END_TEST

/* A file whose sort indexes are still to build (left so by an older
 * qpc's bulk import) is browsed without them. */
START_TEST(a_bulk_import_is_browsed_before_its_indexes_are_built)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM pending_ddl),"
	                                        " (SELECT count(*) FROM sqlite_master WHERE name"
	                                        " LIKE 'account\\_by\\_%' ESCAPE '\\')",
	                                    -1, &s, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
	ck_assert_int_gt(sqlite3_column_int(s, 0), 0);
	ck_assert_int_eq(sqlite3_column_int(s, 1), 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	/* the dashboard: the report as the file holds it, the profit curve */
	static struct qpc_dashboard d;
	ck_assert_msg(qpc_browse_dashboard(br, &d, &err) == QPC_OK, "%s", err.msg);
	int64_t customers = 0;
	for (int i = 0; i < N; i++)
		customers += ref[i].sales > 0 || strcmp(ref[i].status, "partner") == 0;
	ck_assert_int_eq(d.curve_customers, customers);
	ck_assert_int_eq(d.report.kpi.accounts, N);
	ck_assert_int_gt(d.ntop, 0);
}
END_TEST

Suite *browse_suite(void)
{
	Suite *s = suite_create("browse");
	TCase *tc = tcase_create("pages");
	tcase_add_checked_fixture(tc, setup_indexed, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, pages_by_walking_the_sort_index);
	tcase_add_test(tc, pages_by_sorting_small_sets);
	tcase_add_test(tc, walks_resume_when_the_budget_runs_out);
	tcase_add_test(tc, anchor_inclusive_and_outside_the_filter);
	tcase_add_test(tc, counts_match_the_filters);
	tcase_add_test(tc, search_text_is_literal);
	tcase_add_test(tc, rows_carry_figures_and_long_names_are_cut);
	suite_add_tcase(s, tc);
	/* the same pages of the same accounts, without the indexes */
	tc = tcase_create("unindexed");
	tcase_add_checked_fixture(tc, setup_bulk, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, a_bulk_import_is_browsed_before_its_indexes_are_built);
	tcase_add_test(tc, pages_by_walking_the_sort_index);
	tcase_add_test(tc, pages_by_sorting_small_sets);
	tcase_add_test(tc, walks_resume_when_the_budget_runs_out);
	tcase_add_test(tc, anchor_inclusive_and_outside_the_filter);
	tcase_add_test(tc, counts_match_the_filters);
	tcase_add_test(tc, search_text_is_literal);
	suite_add_tcase(s, tc);
	return s;
}
