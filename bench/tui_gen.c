/* tui_gen.c — fills a fresh qpc database for the dashboard benchmark.
 *
 *   tui_gen DB ACCOUNTS SALES_LINES AS_OF
 *
 * DB must have been made by `qpc init` (the schema is qpc's own).  Writes
 * ACCOUNTS accounts over 500 reps and 12 segments, with names from
 * syllables (about 30 share any given first word at a million, as real
 * customer lists do); 1 to 4 QPC lines each for 88% of them, measured up
 * to 2.5 years before AS_OF (so some are stale) and for a third measured
 * once before that too; SALES_LINES sales lines over the last 36 months in
 * proportion (prospects bought only before the last year); systems
 * contracts for one account in 400, signed over the last three years and
 * some ended; sixty candidates with ticks; and goals.  Deterministic: the
 * same arguments give the same data.
 *
 * For speed it loads with raw SQL: the account table's indexes and
 * full-text triggers set aside and left in pending_ddl, as a bulk import
 * does (ingest.c), the sales indexes built once at the end.  The triggers
 * on potential append each QPC line's fact (qpc_fact) as qpc's own writes
 * do.  Then qpc computes what its writes would have kept: every account's
 * figures as of AS_OF, the indexes left pending, and every account's
 * status changes (qpc_store_recompute).
 */
#include <inttypes.h>
#include <stdbool.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qpc/namekey.h"
#include "qpc/recompute.h"
#include "qpc/store.h"

static uint64_t seed = 0x9E3779B97F4A7C15ULL;

static uint64_t next(void)
{
	uint64_t z = (seed += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static double unif(void)
{
	return (double)(next() >> 11) / 9007199254740992.0;
}

static int pick(int n)
{
	return (int)(unif() * n);
}

static sqlite3 *db;

static void die(const char *what)
{
	fprintf(stderr, "tui_gen: %s: %s\n", what, sqlite3_errmsg(db));
	exit(1);
}

static void exec(const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "tui_gen: %s\n  in: %.200s\n", msg ? msg : "?", sql);
		exit(1);
	}
}

static sqlite3_stmt *prep(const char *sql)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		die(sql);
	return s;
}

static void step(sqlite3_stmt *s)
{
	if (sqlite3_step(s) != SQLITE_DONE)
		die("inserting");
	sqlite3_reset(s);
}

static const char *const syllables[] = { "ka", "lo", "mi", "ne", "ru", "ta", "vi", "zo", "ber",
	                                 "dan", "fel", "gor", "hal", "jen", "kor", "lin", "mar",
	                                 "nor", "pel", "quin", "ros", "sal", "tor", "ul", "ven",
	                                 "wik", "yar", "zen", "ax", "el", "in", "on" };
static const char *const words[] = { "Tools", "Foods", "Medical", "Logistics", "Academy",
	                             "Plastics", "Printing", "Metals", "Clinics", "Stores",
	                             "Freight", "Labs", "Systems", "Packaging", "Council",
	                             "Textiles", "Motors", "Hospital", "Schools", "Builders" };
static const char *const suffixes[] = { "Inc.", "Ltd", "GmbH", "AB", "SARL", "LLC", "Group",
	                                "& Sons", "Co.", "" };
static const char *const segments[] = { "Manufacturing", "Healthcare", "Education", "Retail",
	                                "Logistics", "Public sector", "Energy", "Hospitality",
	                                "Construction", "Finance", "Agriculture", "Media" };
#define NSEG 12
#define NCAT 7
#define NREPS 500

static void name_of(char *buf, size_t n)
{
	char first[32] = "";
	int k = 2 + pick(3);
	for (int i = 0; i < k; i++)
		strcat(first, syllables[pick(32)]);
	first[0] = (char)(first[0] - 32);
	const char *suf = suffixes[pick(10)];
	snprintf(buf, n, "%s %s%s%s", first, words[pick(20)], *suf ? " " : "", suf);
}

/* Days since 1970-01-01 to YYYY-MM-DD (proleptic Gregorian). */
static void iso(int64_t days, char *buf)
{
	int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
	sprintf(buf, "%04d-%02d-%02d", (int)(y + (m <= 2)), (int)m, (int)d);
}

static int64_t parse_iso(const char *s)
{
	int y, m, d;
	if (sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return -1;
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

/* Sets the sales table's secondary indexes aside (named in `keep`), to be
 * built after the load: sorting once beats ten million inserts at random
 * dates. */
static int set_sales_aside(char **keep, int max)
{
	int n = 0;
	sqlite3_stmt *s = prep("SELECT sql, printf('DROP INDEX \"%w\"', name) FROM sqlite_master"
	                       " WHERE tbl_name = 'sale' AND type = 'index' AND sql IS NOT NULL");
	char *drops[16];
	while (sqlite3_step(s) == SQLITE_ROW && n < max && n < 16) {
		keep[n] = strdup((const char *)sqlite3_column_text(s, 0));
		drops[n++] = strdup((const char *)sqlite3_column_text(s, 1));
	}
	sqlite3_finalize(s);
	for (int i = 0; i < n; i++) {
		exec(drops[i]);
		free(drops[i]);
	}
	return n;
}

/* A QPC line's earlier measurement, straight into the facts: the later
 * one, written to potential, supersedes it without erasing it. */
static void earlier_fact(sqlite3_stmt *fact, int64_t id, int cat, int64_t amount, int64_t on)
{
	char day[16];
	iso(on, day);
	sqlite3_bind_int64(fact, 1, id);
	sqlite3_bind_int(fact, 2, cat);
	sqlite3_bind_text(fact, 3, day, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(fact, 4, amount);
	step(fact);
}

static void contract_for(sqlite3_stmt *con, int64_t id, int64_t today, double cap,
                         const char *now)
{
	char signed_on[16], ends_on[16];
	int64_t from = today - 30 - pick(1065);
	iso(from, signed_on);
	sqlite3_bind_int64(con, 1, id);
	sqlite3_bind_text(con, 2, signed_on, -1, SQLITE_TRANSIENT);
	if (unif() < 0.3 && today - from > 200) { /* ended */
		iso(from + 180 + pick((int)(today - from - 180)), ends_on);
		sqlite3_bind_text(con, 3, ends_on, -1, SQLITE_TRANSIENT);
	} else {
		sqlite3_bind_null(con, 3);
	}
	sqlite3_bind_int64(con, 4, (int64_t)(cap * 0.7));
	sqlite3_bind_text(con, 5, now, -1, SQLITE_STATIC);
	step(con);
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fputs("usage: tui_gen DB ACCOUNTS SALES_LINES AS_OF\n", stderr);
		return 2;
	}
	int64_t accounts = atoll(argv[2]), lines = atoll(argv[3]), today = parse_iso(argv[4]);
	if (accounts < 1 || lines < 0 || today < 0) {
		fputs("tui_gen: bad arguments\n", stderr);
		return 2;
	}
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		die(argv[1]);
	exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;"
	     "PRAGMA foreign_keys = OFF; BEGIN");
	/* Set the account table's indexes and full-text triggers aside. */
	char *saved[64];
	int nsaved = 0;
	sqlite3_stmt *s = prep("SELECT sql, printf('DROP %s \"%w\"', type, name) FROM sqlite_master"
	                       " WHERE tbl_name = 'account' AND type IN ('index', 'trigger')"
	                       " AND sql IS NOT NULL AND name NOT LIKE 'account\\_tally\\_%' ESCAPE '\\'");
	char *drops[64];
	while (sqlite3_step(s) == SQLITE_ROW && nsaved < 64) {
		saved[nsaved] = strdup((const char *)sqlite3_column_text(s, 0));
		drops[nsaved++] = strdup((const char *)sqlite3_column_text(s, 1));
	}
	sqlite3_finalize(s);
	for (int i = 0; i < nsaved; i++) {
		exec(drops[i]);
		free(drops[i]);
	}
	char *sales_idx[16];
	int nsales_idx = set_sales_aside(sales_idx, 16);
	static const char *const cats[NCAT] = { "Office supplies", "Packaging", "Safety equipment",
		                                "Cleaning & hygiene", "IT hardware", "Furniture",
		                                "Print services" };
	s = prep("INSERT OR IGNORE INTO category(id, name) VALUES (?1, ?2)");
	for (int c = 0; c < NCAT; c++) {
		sqlite3_bind_int(s, 1, c + 1);
		sqlite3_bind_text(s, 2, cats[c], -1, SQLITE_STATIC);
		step(s);
	}
	sqlite3_finalize(s);

	sqlite3_stmt *acc = prep("INSERT INTO account(id, external_id, name, owner, segment, city,"
	                         " country, employees, created_at, updated_at, name_key)"
	                         " VALUES (?1, ?2, ?3, ?4, ?5, 'Lyon', 'FR', ?6, ?7, ?7, ?8)");
	sqlite3_stmt *pot = prep("INSERT INTO potential(account_id, category_id, amount, basis,"
	                         " verified, measured_on, measured_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'bench')");
	sqlite3_stmt *fact = prep("INSERT INTO qpc_fact(account_id, category_id, measured_on, amount,"
	                          " basis, measured_by) VALUES (?1, ?2, ?3, ?4, 'rep estimate', 'bench')");
	sqlite3_stmt *sale = prep("INSERT INTO sale(account_id, date, category_id, amount, gross_profit)"
	                          " VALUES (?1, ?2, ?3, ?4, ?5)");
	sqlite3_stmt *con = prep("INSERT INTO contract(account_id, signed_on, ends_on, value,"
	                         " recorded_at, recorded_by) VALUES (?1, ?2, ?3, ?4, ?5, 'bench')");
	char buf[160], day[16], now[32];
	iso(today, day);
	snprintf(now, sizeof now, "%sT00:00:00Z", day);
	double per_account = (double)lines / (double)accounts, owed = 0;
	for (int64_t id = 1; id <= accounts; id++) {
		name_of(buf, sizeof buf);
		char ext[24];
		snprintf(ext, sizeof ext, "ACC-%07" PRId64, id);
		char owner[16];
		snprintf(owner, sizeof owner, "rep%03d", 1 + pick(NREPS));
		sqlite3_bind_int64(acc, 1, id);
		sqlite3_bind_text(acc, 2, ext, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(acc, 3, buf, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(acc, 4, owner, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(acc, 5, segments[pick(NSEG)], -1, SQLITE_STATIC);
		sqlite3_bind_int(acc, 6, 5 + pick(2000));
		sqlite3_bind_text(acc, 7, now, -1, SQLITE_STATIC);
		char key[2 * sizeof buf];
		size_t kl = qpc_name_key(buf, strlen(buf), key, sizeof key);
		sqlite3_bind_text(acc, 8, key, (int)kl, SQLITE_TRANSIENT);
		step(acc);
		/* capacity in cents, heavy-tailed; share by kind of account */
		double cap = 100000.0 * (1.0 + 50.0 * unif() * unif() * unif()) * 100.0;
		double u = unif(), share;
		if (u < 0.16)
			share = 0; /* prospect */
		else if (u < 0.20)
			share = 0.75 + 0.2 * unif(); /* partner */
		else
			share = 0.05 + 0.65 * unif();
		if (unif() < 0.88) {
			int k = 1 + pick(4);
			int64_t measured = today - pick(unif() < 0.25 ? 900 : 330);
			/* a third measured before, a year or two earlier */
			int64_t before = unif() < 0.33 ? measured - 200 - pick(500) : 0;
			iso(measured, day);
			for (int c = 0; c < k; c++) {
				int cat = 1 + (c * 2 + (int)(id % 3)) % NCAT;
				if (before)
					earlier_fact(fact, id, cat, (int64_t)(cap / k * (0.6 + 0.6 * unif())),
					             before);
				sqlite3_bind_int64(pot, 1, id);
				sqlite3_bind_int(pot, 2, cat);
				sqlite3_bind_int64(pot, 3, (int64_t)(cap / k));
				sqlite3_bind_text(pot, 4, unif() < 0.5 ? "customer stated" : "rep estimate", -1, SQLITE_STATIC);
				sqlite3_bind_int(pot, 5, unif() < 0.6);
				sqlite3_bind_text(pot, 6, day, -1, SQLITE_TRANSIENT);
				step(pot);
			}
		}
		if (id % 400 == 3)
			contract_for(con, id, today, cap, now);
		/* Sales over three years: four in ten lines in the last, the rest
		 * over the two before at about the same share (a prospect's only
		 * there, at a small one). */
		owed += per_account;
		int n = (int)owed;
		owed -= n;
		int recent = share > 0 ? (n * 4 + 5) / 10 : 0, older = n - recent;
		double drift = 0.8 + 0.4 * unif(), then = share > 0 ? share * drift : 0.3;
		for (int i = 0; i < n; i++) {
			bool is_recent = i < recent;
			int year = is_recent ? 0 : 1 + (i - recent) % 2;
			int64_t d = today - (is_recent ? pick(364) : 365 * year + 1 + pick(364));
			int in_year = is_recent ? recent : (older + (year == 1)) / 2;
			double amount = cap * (is_recent ? share : then) / (in_year > 0 ? in_year : 1);
			iso(d, day);
			sqlite3_bind_int64(sale, 1, id);
			sqlite3_bind_text(sale, 2, day, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int(sale, 3, 1 + pick(NCAT));
			sqlite3_bind_int64(sale, 4, (int64_t)amount);
			sqlite3_bind_int64(sale, 5, (int64_t)(amount * (0.15 + 0.2 * unif())));
			step(sale);
		}
	}
	sqlite3_finalize(acc);
	sqlite3_finalize(pot);
	sqlite3_finalize(fact);
	sqlite3_finalize(sale);
	sqlite3_finalize(con);
	for (int i = 0; i < nsales_idx; i++) {
		exec(sales_idx[i]);
		free(sales_idx[i]);
	}
	/* Sixty candidates, as a sales team nominates them, part-way through
	 * the default checklist. */
	char sql[256];
	snprintf(sql, sizeof sql,
	         "INSERT INTO candidate(account_id, template_id, nominated_on, nominated_by)"
	         " SELECT id, 1, '2026-06-01', 'bench' FROM account WHERE id %% %lld = 7 LIMIT 60",
	         (long long)(accounts / 60 > 8 ? accounts / 60 : 8));
	exec(sql);
	exec("INSERT INTO tick(candidate_id, step_id, ticked_by, ticked_at)"
	     " SELECT c.id, ts.id, 'bench', '2026-07-01T00:00:00Z' FROM candidate c"
	     " JOIN template_step ts ON ts.template_id = 1 AND ts.position <= c.id % 5");
	exec("INSERT OR REPLACE INTO goal(year, target) VALUES (2026, 1200), (2027, 1500), (2028, 1800)");
	/* For the computation below to build (st_build_pending). */
	sqlite3_stmt *pend = prep("INSERT INTO pending_ddl(sql) VALUES (?1)");
	for (int i = 0; i < nsaved; i++) {
		sqlite3_bind_text(pend, 1, saved[i], -1, SQLITE_STATIC);
		step(pend);
		free(saved[i]);
	}
	sqlite3_finalize(pend);
	exec("UPDATE setting SET value = '' WHERE key = 'figures_as_of';"
	     "COMMIT; PRAGMA journal_mode = WAL");
	sqlite3_close(db);

	/* What qpc's writes keep, computed once as of AS_OF. */
	struct qpc_store *st;
	struct qpc_error e = { 0 };
	if (qpc_store_open(argv[1], QPC_OPEN_EXISTING, &st, &e) == QPC_OK) {
		qpc_store_set_actor(st, "bench", today * 86400 + 9 * 3600LL);
		if (qpc_store_recompute(st, &e) != QPC_OK) {
			qpc_store_close(st);
			st = NULL;
		}
	}
	if (!st) {
		fprintf(stderr, "tui_gen: %s\n", e.msg);
		return 1;
	}
	qpc_store_close(st);
	return 0;
}
