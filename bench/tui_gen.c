/* tui_gen.c — fills a fresh qpc database for the dashboard benchmark.
 *
 *   tui_gen DB ACCOUNTS SALES_LINES AS_OF
 *
 * DB must have been made by `qpc init` (the schema is qpc's own).  Writes
 * ACCOUNTS accounts over 500 reps and 12 segments, with names from
 * syllables (about 30 share any given first word at a million, as real
 * customer lists do), 1 to 4 QPC lines each for 88% of them (measured up
 * to 2.5 years before AS_OF, so some are stale), SALES_LINES sales lines
 * over the last 24 months in proportion (prospects bought only in the
 * older year), sixty candidates with ticks, and goals.  Figures are left for
 * qpc to compute.  Deterministic: the same arguments give the same data.
 *
 * For speed it loads with the account table's indexes and full-text
 * triggers set aside, and leaves them in pending_ddl, as a bulk import
 * does (ingest.c): qpc's first refresh computes every account's figures
 * with no index to keep in step, then builds them and the trigram index.
 * The tally's triggers stay, so that the counts follow the statuses.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	                         " country, employees, created_at, updated_at)"
	                         " VALUES (?1, ?2, ?3, ?4, ?5, 'Lyon', 'FR', ?6, ?7, ?7)");
	sqlite3_stmt *pot = prep("INSERT INTO potential(account_id, category_id, amount, basis,"
	                         " verified, measured_on, measured_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'bench')");
	sqlite3_stmt *sale = prep("INSERT INTO sale(account_id, date, category_id, amount, gross_profit)"
	                          " VALUES (?1, ?2, ?3, ?4, ?5)");
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
			iso(measured, day);
			for (int c = 0; c < k; c++) {
				sqlite3_bind_int64(pot, 1, id);
				sqlite3_bind_int(pot, 2, 1 + (c * 2 + (int)(id % 3)) % NCAT);
				sqlite3_bind_int64(pot, 3, (int64_t)(cap / k));
				sqlite3_bind_text(pot, 4, unif() < 0.5 ? "customer stated" : "rep estimate", -1, SQLITE_STATIC);
				sqlite3_bind_int(pot, 5, unif() < 0.6);
				sqlite3_bind_text(pot, 6, day, -1, SQLITE_TRANSIENT);
				step(pot);
			}
		}
		owed += per_account;
		int n = (int)owed;
		owed -= n;
		int recent = share > 0 ? (n * 6 + 5) / 10 : 0;
		for (int i = 0; i < n; i++) {
			bool is_recent = i < recent;
			int64_t d = today - (is_recent ? pick(364) : 366 + pick(360));
			double amount = is_recent ? cap * share / recent : cap * 0.3 / (n - recent + 1);
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
	sqlite3_finalize(sale);
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
	/* For qpc's first refresh to build (figures.c, st_build_pending). */
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
	return 0;
}
