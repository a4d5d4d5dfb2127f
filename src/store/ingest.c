/* ingest.c — upserts for imports, counting what each row did. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "qpc/ingest.h"

/* --- bulk loads ---------------------------------------------------------- */

/* Drops the account table's secondary indexes and the triggers that feed
 * its full-text index and its tally, keeping their SQL to recreate them at
 * the end (the full-text index is then rebuilt whole, the tally counted
 * again).  Every index goes, the figures' too: although a new account's
 * figures (none yet) append to them in id order, keeping eleven indexes
 * up row by row costs 9.6 s at a million accounts, sorting them at the
 * end 4 s on two cores (st_build_pending).  The tally trigger's upsert per
 * row costs more than the insert it follows; one count of the table at
 * the end costs a tenth of it.  Unique constraints stay: they key the
 * upserts.  Other triggers keep running row by row.
 *
 * Partial indexes stay when the rows carry no figures (keep_partial):
 * the figures' indexes hold only accounts with the figure (schema.c,
 * 11 -> 12), so new accounts without any pass them by at the cost of a
 * comparison, where building them again would read the whole table once
 * per index (0.25 s each at a million accounts).  Rows with figures
 * would enter them one by one, in no order: 22 s at a million, against
 * 10 s to sort them at the end. */
/* The index a bulk load needs back first: finding accounts by name. */
#define NAME_INDEX "INDEX account_by_name ON"

static enum qpc_rc set_aside(struct qpc_store *st, const char *table, bool keep_partial,
                             struct qpc_error *e)
{
	sqlite3_stmt *s;
	enum qpc_rc rc = st_prepare(st, &s,
	                            "SELECT sql, printf('DROP %s \"%w\"', type, name) FROM sqlite_master"
	                            " WHERE tbl_name = ?2 AND sql IS NOT NULL AND ((type = 'index'"
	                            " AND NOT (?1 AND sql LIKE '% WHERE %'))"
	                            " OR (type = 'trigger' AND (sql LIKE '%fts%'"
	                            " OR sql LIKE '%account\\_tally%' ESCAPE '\\')))",
	                            e);
	if (rc)
		return rc;
	sqlite3_bind_int(s, 1, keep_partial);
	sqlite3_bind_text(s, 2, table, -1, SQLITE_STATIC);
	/* list holds CREATE statements (those of an earlier table first),
	 * drops the DROP ones, in step */
	size_t n = 0, cap = 0, had = 0;
	char **list = st->set_aside, **drops = NULL;
	while (list && list[had])
		had++;
	st->set_aside = NULL;
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		if (had + n + 2 > cap) {
			cap = cap ? cap * 2 : had + 16;
			char **l = realloc(list, cap * sizeof *list);
			if (l)
				list = l;
			char **d = realloc(drops, cap * sizeof *drops);
			if (d)
				drops = d;
			if (!l || !d) {
				rc = qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
				break;
			}
		}
		list[had + n] = strdup((const char *)sqlite3_column_text(s, 0));
		drops[n] = strdup((const char *)sqlite3_column_text(s, 1));
		list[had + ++n] = NULL;
		if (!list[had + n - 1] || !drops[n - 1])
			rc = qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	}
	sqlite3_finalize(s);
	st->set_aside = list;
	for (size_t i = 0; i < n; i++) {
		if (!rc && drops[i])
			rc = st_exec(st, drops[i], e);
		free(drops[i]);
	}
	free(drops);
	return rc;
}

/* Rebuilds full-text indexes over the account table from the table. */
static enum qpc_rc rebuild_fts(struct qpc_store *st, struct qpc_error *e)
{
	sqlite3_stmt *s;
	bool built;
	st_finishing(st, "building the search index");
	enum qpc_rc rc = st_fts_side_adopt(st, &built, e);
	if (rc || (rc = st_prepare(st, &s,
	                           "SELECT name FROM sqlite_master WHERE type = 'table'"
	                           " AND sql LIKE 'CREATE VIRTUAL TABLE%fts5%content%account%'"
	                           " AND NOT (?1 AND name = 'account_fts')",
	                           e)))
		return rc;
	sqlite3_bind_int(s, 1, built);
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		char *sql = sqlite3_mprintf("INSERT INTO \"%w\"(\"%w\") VALUES ('rebuild')",
		                            sqlite3_column_text(s, 0), sqlite3_column_text(s, 0));
		rc = sql ? st_exec(st, sql, e) : qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
		sqlite3_free(sql);
	}
	sqlite3_finalize(s);
	return rc;
}

/* --- the tally, counted again after a bulk load ---------------------------- */

/* Distinct (owner, segment, status) keys counted in memory; a file with
 * more (every account its own owner) is counted by SQL instead. */
#define TALLY_MAX 8192
#define TALLY_SLOTS ((size_t)2 * TALLY_MAX) /* a power of two, half full at most */
#define TALLY_BYTES ((size_t)4 << 20) /* of key text */

struct tally_key {
	char *text;       /* owner, segment, status end to end; NULL: free slot */
	size_t len[3];
	uint64_t hash;
	int64_t n;
};

struct tally {
	struct tally_key *slot;
	size_t used, bytes;
};

static uint64_t tally_hash(const unsigned char *const v[3], const size_t len[3])
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a, each length mixed in */
	for (int k = 0; k < 3; k++) {
		for (size_t i = 0; i < len[k]; i++)
			h = (h ^ v[k][i]) * 1099511628211ULL;
		h = (h ^ len[k]) * 1099511628211ULL;
	}
	return h;
}

/* Counts one account; false when the keys outgrow the budget. */
static bool tally_add(struct tally *t, const unsigned char *const v[3], const size_t len[3])
{
	uint64_t h = tally_hash(v, len);
	size_t i = (size_t)h & (TALLY_SLOTS - 1);
	for (;; i = (i + 1) & (TALLY_SLOTS - 1)) {
		struct tally_key *k = &t->slot[i];
		if (!k->text)
			break;
		if (k->hash == h && k->len[0] == len[0] && k->len[1] == len[1] &&
		    k->len[2] == len[2] && memcmp(k->text, v[0], len[0]) == 0 &&
		    memcmp(k->text + len[0], v[1], len[1]) == 0 &&
		    memcmp(k->text + len[0] + len[1], v[2], len[2]) == 0) {
			k->n++;
			return true;
		}
	}
	size_t total = len[0] + len[1] + len[2];
	if (t->used == TALLY_MAX || t->bytes + total > TALLY_BYTES)
		return false;
	struct tally_key *k = &t->slot[i];
	if (!(k->text = malloc(total ? total : 1)))
		return false;
	memcpy(k->text, v[0], len[0]);
	memcpy(k->text + len[0], v[1], len[1]);
	memcpy(k->text + len[0] + len[1], v[2], len[2]);
	memcpy(k->len, len, sizeof k->len);
	k->hash = h;
	k->n = 1;
	t->used++;
	t->bytes += total;
	return true;
}

static enum qpc_rc tally_write(struct qpc_store *st, const struct tally *t, struct qpc_error *e)
{
	sqlite3_stmt *s;
	enum qpc_rc rc = st_prepare(st, &s, "INSERT INTO account_tally VALUES (?1, ?2, ?3, ?4)", e);
	for (size_t i = 0; !rc && i < TALLY_SLOTS; i++) {
		const struct tally_key *k = &t->slot[i];
		if (!k->text)
			continue;
		sqlite3_bind_text(s, 1, k->text, (int)k->len[0], SQLITE_STATIC);
		sqlite3_bind_text(s, 2, k->text + k->len[0], (int)k->len[1], SQLITE_STATIC);
		sqlite3_bind_text(s, 3, k->text + k->len[0] + k->len[1], (int)k->len[2],
		                  SQLITE_STATIC);
		sqlite3_bind_int64(s, 4, k->n);
		rc = st_run(st, s, "counting accounts", e);
	}
	sqlite3_finalize(s);
	return rc;
}

static void tally_free(struct tally *t)
{
	for (size_t i = 0; t && t->slot && i < TALLY_SLOTS; i++)
		free(t->slot[i].text);
	if (t)
		free(t->slot);
}

static bool tally_text(struct tally *t, const char *owner, const char *segment,
                       const char *status)
{
	const unsigned char *v[3] = { (const unsigned char *)owner, (const unsigned char *)segment,
		                      (const unsigned char *)status };
	size_t len[3] = { strlen(owner), strlen(segment), strlen(status) };
	return tally_add(t, v, len);
}

void st_tally_free(struct qpc_store *st)
{
	tally_free(st->tally);
	free(st->tally);
	st->tally = NULL;
}

void st_tally_insert(struct qpc_store *st, const char *owner, const char *segment)
{
	/* a new account is a prospect until figures are computed */
	if (st->tally && !tally_text(st->tally, owner ? owner : "", segment ? segment : "",
	                             qpc_status_name(QPC_PROSPECT)))
		st_tally_free(st); /* too many keys: count the table at the end */
}

/* Counts the accounts into account_tally, which the set-aside triggers
 * would have kept: one pass over the table, counted in a hash, where
 * GROUP BY would sort the whole table first.  A bulk load that only
 * inserted has counted them already (st_tally_insert), which spares
 * reading the table again. */
static enum qpc_rc recount_tally(struct qpc_store *st, struct qpc_error *e)
{
	static const char group_sql[] =
		"INSERT INTO account_tally SELECT owner, segment, status, count(*) FROM account"
		" GROUP BY owner, segment, status";
	if (st->tally) {
		enum qpc_rc rc = st_exec(st, "DELETE FROM account_tally", e);
		return rc ? rc : tally_write(st, st->tally, e);
	}
	struct tally t = { calloc(TALLY_SLOTS, sizeof *t.slot), 0, 0 };
	sqlite3_stmt *s = NULL;
	enum qpc_rc rc;
	bool fits = t.slot != NULL;
	if ((rc = st_exec(st, "DELETE FROM account_tally", e)) ||
	    (rc = st_prepare(st, &s, "SELECT owner, segment, status FROM account", e)))
		fits = false;
	int r = SQLITE_DONE;
	while (fits && (r = sqlite3_step(s)) == SQLITE_ROW) {
		const unsigned char *v[3];
		size_t len[3];
		for (int k = 0; k < 3; k++) {
			v[k] = sqlite3_column_text(s, k);
			len[k] = (size_t)sqlite3_column_bytes(s, k);
		}
		fits = v[0] && v[1] && v[2] && tally_add(&t, v, len);
	}
	if (!rc && fits && r != SQLITE_DONE)
		rc = st_fail(st, e, "counting accounts");
	sqlite3_finalize(s);
	if (!rc)
		rc = fits ? tally_write(st, &t, e) : st_exec(st, group_sql, e);
	tally_free(&t);
	return rc;
}

/* Lets SQLite sort an index build's runs on every core (up to 4): at a
 * million accounts the name index takes half the time on two. */
enum qpc_rc st_sort_threads(struct qpc_store *st, struct qpc_error *e)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	char sql[32];
	snprintf(sql, sizeof sql, "PRAGMA threads = %ld", n < 1 ? 0 : n > 4 ? 3 : n - 1);
	return st_exec(st, sql, e);
}

/* --- sales lines' keys ---------------------------------------------------- */

/* A sales line without an id of its own is keyed by what it holds (its
 * base) and by how many lines before it in the file held the same: two
 * identical lines stay two lines, and importing the file again finds
 * them both.  A line id the profile takes as it is (verbatim) is its own
 * key the first time.  Row by row the count is kept in a temporary table;
 * a load into an empty sales table instead keys every line as the first
 * of its base, and at its end numbers again the few that were not
 * (sale_keys_settle), which spares a lookup per line in a table as large
 * as the file. */
#define SALE_KEY_INDEX "INDEX sale_by_key ON"
#define SALE_KEY_MAX QPC_SALE_KEY_MAX

static enum qpc_rc occurrence(struct qpc_store *st, const char *key, int64_t *n,
                              struct qpc_error *e)
{
	static const char sql[] = "INSERT INTO occurrence (key, n) VALUES (?1, 1) ON CONFLICT (key)"
	                          " DO UPDATE SET n = occurrence.n + 1 RETURNING n";
	struct st_q *s;
	enum qpc_rc rc = st_q_cached(st, &s, sql, e);
	if (rc)
		return rc;
	st_q_text(s, 1, key);
	if (st_q_step(s) == ST_ROW)
		*n = st_q_int_at(s, 0);
	else
		rc = st_q_fail(s, "keying a sales line", e);
	st_q_free(s);
	return rc;
}

/* A base made of what a line holds is long (the file's profile and
 * headers, then the line's fields: 80 bytes and more), and the key is
 * stored twice, in the table and in its index.  Such a base is kept as
 * "~" and 22 characters of a 128-bit hash of it: 1e-19 the chance that
 * two of ten million lines share one.  A verbatim line id stays as it
 * is, for an export to show it.  The hash reads bytes, not words: the
 * same on every machine, as keys must be for good. */
static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9u;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebu;
	return x ^ (x >> 31);
}

void st_sale_key_hashed(const char *base, size_t len, char out[SALE_KEY_HASHED])
{
	static const char digits[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	const unsigned char *p = (const unsigned char *)base;
	uint64_t a = 0x9e3779b97f4a7c15u ^ len, b = 0xc2b2ae3d27d4eb4fu + len;
	for (size_t i = 0; i < len; i += 8) {
		uint64_t w = 0;
		for (size_t j = 0; j < 8 && i + j < len; j++)
			w |= (uint64_t)p[i + j] << (8 * j);
		a = mix64(a ^ w);
		b = mix64(b + w + 0x632be59bd9b4e019u);
	}
	a = mix64(a ^ mix64(b));
	b = mix64(b ^ a);
	out[0] = '~';
	for (int i = 0; i < 22; i++) { /* 6 bits each, a's then b's */
		uint64_t v = i < 11 ? a >> (6 * i) : b >> (6 * (i - 11));
		out[1 + i] = digits[v & 63];
	}
	out[23] = '\0';
}

/* The key of the n-th line of a stem: a base as stored (above). */
static void sale_key_text(const char *stem, bool verbatim, int64_t n, char *key, size_t size)
{
	if (verbatim && n == 1)
		snprintf(key, size, "%s", stem);
	else
		snprintf(key, size, "%s#%lld", stem, (long long)n);
}

/* The stem of a key made as the first of its stem. */
static void sale_key_stem(const char *key, bool verbatim, char *base, size_t size)
{
	size_t len = strlen(key);
	if (!verbatim && len >= 2 && strcmp(key + len - 2, "#1") == 0)
		len -= 2;
	snprintf(base, size, "%.*s", (int)len, key);
}

/* Numbers again, in file order, the lines of the bulk load that share
 * a key: the second of a base becomes base#2, as row by row. */
static enum qpc_rc sale_keys_number(struct qpc_store *st, struct qpc_error *e)
{
	sqlite3_stmt *s, *u;
	enum qpc_rc rc = st_prepare(st, &s,
	                            "SELECT id, source_key, id IN temp.sale_verbatim FROM sale"
	                            " WHERE source_key IN (SELECT source_key FROM sale"
	                            " GROUP BY source_key HAVING count(*) > 1)"
	                            " ORDER BY source_key, id",
	                            e);
	if (rc)
		return rc;
	if ((rc = st_prepare(st, &u, "UPDATE sale SET source_key = ?2 WHERE id = ?1", e))) {
		sqlite3_finalize(s);
		return rc;
	}
	char last[SALE_KEY_MAX] = "", base[SALE_KEY_MAX], key[SALE_KEY_MAX + 24];
	int64_t n = 0;
	int r;
	while (!rc && (r = sqlite3_step(s)) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(s, 1);
		if (strcmp(k, last) != 0) {
			snprintf(last, sizeof last, "%s", k);
			n = 1;
			continue;
		}
		sale_key_stem(k, sqlite3_column_int(s, 2) != 0, base, sizeof base);
		sale_key_text(base, sqlite3_column_int(s, 2) != 0, ++n, key, sizeof key);
		sqlite3_bind_int64(u, 1, sqlite3_column_int64(s, 0));
		sqlite3_bind_text(u, 2, key, -1, SQLITE_STATIC);
		rc = st_run(st, u, "numbering sales lines", e);
	}
	if (!rc && r != SQLITE_DONE)
		rc = st_fail(st, e, "numbering sales lines");
	sqlite3_finalize(s);
	sqlite3_finalize(u);
	return rc;
}

/* Builds the key index a bulk load set aside.  A load whose lines all
 * have keys of their own builds it once; one with lines that share a
 * base numbers them first, and builds it again. */
static enum qpc_rc sale_keys_settle(struct qpc_store *st, const char *create,
                                    struct qpc_error *e)
{
	st_finishing(st, "building the sales lines' keys");
	enum qpc_rc rc = st_exec(st, "SAVEPOINT sale_keys", e);
	if (rc)
		return rc;
	if (sqlite3_exec(st->db, create, NULL, NULL, NULL) == SQLITE_OK)
		return st_exec(st, "RELEASE sale_keys", e);
	if ((sqlite3_extended_errcode(st->db) & 0xff) != SQLITE_CONSTRAINT) {
		rc = st_fail(st, e, "building the sales lines' keys");
		sqlite3_exec(st->db, "ROLLBACK TO sale_keys; RELEASE sale_keys", NULL, NULL, NULL);
		return rc;
	}
	if ((rc = st_exec(st, "ROLLBACK TO sale_keys; RELEASE sale_keys", e)) ||
	    (rc = sale_keys_number(st, e)))
		return rc;
	if (sqlite3_exec(st->db, create, NULL, NULL, NULL) == SQLITE_OK)
		return QPC_OK;
	/* a line id that reads as another's second occurrence ("A" twice and
	 * "A#2"): rare enough to refuse, as row by row would take the one for
	 * the other */
	if ((sqlite3_extended_errcode(st->db) & 0xff) == SQLITE_CONSTRAINT)
		return qpc_error_set(e, QPC_ERR_DATA,
		                     "two sales lines of the file have the same key once numbered"
		                     " (a line id such as 'A#2' beside two lines 'A'); nothing was"
		                     " imported");
	return st_fail(st, e, "building the sales lines' keys");
}

/* What the import itself needs back at once: finding accounts by name.
 * The rest (the dashboard's sort indexes, the full-text index) index the
 * figures, which a bulk load leaves to compute: they are built by the
 * refresh that computes them (st_build_pending), not twice. */
static enum qpc_rc restore(struct qpc_store *st, struct qpc_error *e)
{
	enum qpc_rc rc = QPC_OK;
	if (!st->set_aside)
		return QPC_OK;
	/* an index build sorts in memory up to the cache size, on top of the
	 * cache: halve both so the import stays within its budget */
	if ((rc = st_exec(st, "PRAGMA cache_size = -8192", e)) || (rc = st_sort_threads(st, e)))
		return rc;
	bool tally = false;
	/* the steps to tell: this index, the figures, each index set aside, the
	 * search index, the status changes (st_flush_touched) */
	st->finish.step = 0;
	st->finish.steps = 4;
	for (char **p = st->set_aside; *p; p++)
		st->finish.steps += strncmp(*p, "CREATE INDEX", 12) == 0 && !strstr(*p, NAME_INDEX);
	st->finish.steps += st->sale_bulk && !st->sale_aside_due; /* the key index */
	for (char **p = st->set_aside; *p && !rc; p++) {
		if (!**p) /* built already: see name_index() */
			continue;
		/* the figures read the sales by their indexes: at once */
		if (strstr(*p, " ON sale(")) {
			if (strstr(*p, SALE_KEY_INDEX))
				rc = sale_keys_settle(st, *p, e);
			else {
				st_finishing(st, "building the sales indexes");
				rc = st_exec(st, *p, e);
			}
			continue;
		}
		if (strstr(*p, NAME_INDEX)) {
			st_finishing(st, "building the name index");
			rc = st_exec(st, *p, e);
			continue;
		}
		if (strncmp(*p, "CREATE TRIGGER", 14) == 0 && strstr(*p, "account_tally")) {
			tally = true;
			rc = st_exec(st, *p, e);
			continue;
		}
		sqlite3_stmt *s;
		if ((rc = st_prepare(st, &s, "INSERT INTO pending_ddl(sql) VALUES (?1)", e)))
			break;
		sqlite3_bind_text(s, 1, *p, -1, SQLITE_STATIC);
		rc = st_step_done(st, s, "keeping an index for later", e);
	}
	if (!rc && tally)
		rc = recount_tally(st, e);
	/* the next refresh computes every account, and builds the rest */
	if (!rc && st->bulk)
		rc = st_exec(st, "UPDATE setting SET value = '' WHERE key = 'figures_as_of'", e);
	return rc;
}

enum qpc_rc st_build_pending(struct qpc_store *st, struct qpc_error *e)
{
	sqlite3_stmt *s;
	enum qpc_rc rc = st_sort_threads(st, e);
	if (rc || (rc = st_prepare(st, &s, "SELECT sql FROM pending_ddl ORDER BY id", e)))
		return rc;
	bool any = false;
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		const char *sql = (const char *)sqlite3_column_text(s, 0);
		any = true;
		if (strncmp(sql, "CREATE INDEX", 12) == 0)
			st_finishing(st, "building the sort indexes");
		rc = st_exec(st, sql, e);
	}
	sqlite3_finalize(s);
	if (!rc && any && !(rc = rebuild_fts(st, e)))
		rc = st_exec(st, "DELETE FROM pending_ddl", e);
	return rc;
}

static void forget_set_aside(struct qpc_store *st)
{
	if (!st->set_aside)
		return;
	for (char **p = st->set_aside; *p; p++)
		free(*p);
	free(st->set_aside);
	st->set_aside = NULL;
}

/* Whether a table is empty (account or sale: a name from this file). */
static bool no_rows(struct qpc_store *st, const char *table)
{
	sqlite3_stmt *s;
	bool none = false;
	char sql[64];
	snprintf(sql, sizeof sql, "SELECT NOT EXISTS (SELECT 1 FROM %s)", table);
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		none = sqlite3_column_int(s, 0) != 0;
	sqlite3_finalize(s);
	return none;
}

enum qpc_rc qpc_ingest_begin(struct qpc_store *st, uint64_t bytes, struct qpc_error *e)
{
	/* On a team server a load is one change, its rows the same writes as
	 * anyone's; the status spans of what it touched are made at commit. */
	if (st->pg) {
		/* the accounts reserved first: the change's snapshot is taken
		 * by its first read, which must see what a writer it waited
		 * for committed */
		enum qpc_rc rc = st_q_begin(st, e);
		if (!rc)
			rc = st_load_begin(st, e);
		if (!rc)
			rc = st_q_run(st, "CREATE TEMP TABLE IF NOT EXISTS occurrence"
			                  " (key text PRIMARY KEY, n bigint NOT NULL)",
			              "readying the import", e);
		if (!rc)
			rc = st_q_run(st, "DELETE FROM occurrence", "readying the import", e);
		if (rc)
			qpc_ingest_end(st, false, NULL);
		return rc;
	}
	/* A large load into an empty account table: with a rollback journal
	 * each page is written once (the journal keeps only the few pages the
	 * file had), with the write-ahead log twice (the log, then the
	 * checkpoint), which costs a fifth of the import.  Only when nobody
	 * else is reading the file, who would have to wait for the load; and
	 * should someone fill the table meanwhile, the import is merely
	 * slower. */
	bool sales_empty = st->tx_depth == 0 && !st->readonly && no_rows(st, "sale");
	if (bytes >= QPC_INGEST_JOURNAL_BYTES && st->tx_depth == 0 && !st->readonly &&
	    (sales_empty || no_rows(st, "account")))
		st->bulk_journal = st_journal_mode(st, "delete", false);
	/* Into an empty sales table, each line's account and category are
	 * ids the load itself has just found or made: checking them against
	 * their tables again costs a third of storing the line.  (The pragma
	 * has no effect inside a transaction: it is set before.) */
	st->bulk_unchecked = sales_empty && st_exec(st, "PRAGMA foreign_keys = OFF", NULL) == QPC_OK;
	enum qpc_rc rc = qpc_store_begin(st, e);
	if (rc) {
		if (st->bulk_journal)
			st_journal_mode(st, "wal", true);
		st->bulk_journal = false;
		if (st->bulk_unchecked)
			st_exec(st, "PRAGMA foreign_keys = ON", NULL);
		st->bulk_unchecked = false;
		return rc;
	}
	int64_t n = 0;
	/* A bulk load touches index pages all over: give SQLite room to keep
	 * them (32 MiB, within the import's memory budget).  The count of
	 * each sales line's base (occurrence()), a table as long as the file,
	 * gets 16 MiB of its own: a file imported again reads its two million
	 * lines in 31 s instead of 40. */
	if ((rc = st_exec(st, "PRAGMA cache_size = -32768; PRAGMA temp.cache_size = -16384", e)) ||
	    (rc = st_exec(st, "CREATE TEMP TABLE IF NOT EXISTS occurrence (key TEXT PRIMARY KEY,"
	                      " n INTEGER NOT NULL) WITHOUT ROWID; DELETE FROM temp.occurrence", e)) ||
	    (rc = qpc_store_count_accounts(st, &n, e))) {
		qpc_ingest_end(st, false, NULL);
		return rc;
	}
	st->bulk = st->aside_due = n == 0;
	st->bulk_unkeyed = false;
	st->sale_bulk = st->sale_aside_due = no_rows(st, "sale");
	if (st->sale_bulk &&
	    (rc = st_exec(st, "CREATE TEMP TABLE IF NOT EXISTS sale_verbatim (id INTEGER PRIMARY KEY);"
	                      " DELETE FROM temp.sale_verbatim", e))) {
		qpc_ingest_end(st, false, NULL);
		return rc;
	}
	/* count what the load inserts, unless memory is short */
	if (st->bulk && (st->tally = calloc(1, sizeof *st->tally)) &&
	    !(st->tally->slot = calloc(TALLY_SLOTS, sizeof *st->tally->slot)))
		st_tally_free(st);
	return QPC_OK;
}

/* The fields of an account that are facts about it only: a load that
 * carries no others adds accounts without figures. */
#define DESCRIPTIVE                                                                         \
	(QPC_AF_OWNER | QPC_AF_SEGMENT | QPC_AF_CITY | QPC_AF_COUNTRY | QPC_AF_NOTES | \
	 QPC_AF_EMPLOYEES | QPC_AF_REVENUE)

/* A bulk load sets the indexes aside at its first row, knowing by then
 * whether its rows carry figures. */
static enum qpc_rc aside_due(struct qpc_store *st, bool figures, struct qpc_error *e)
{
	if (figures)
		st->bulk_plain = false;
	if (!st->aside_due)
		return QPC_OK;
	st->aside_due = false;
	st->bulk_plain = !figures;
	enum qpc_rc rc = set_aside(st, "account", !figures, e);
	if (rc) {
		forget_set_aside(st);
		return rc;
	}
	/* The search index, built beside the load, takes 8 MiB of its
	 * budget; a load of new rows in id order needs no more cache. */
	for (char **p = st->set_aside; p && *p; p++)
		if (strstr(*p, "TRIGGER account_fts_insert") &&
		    st_exec(st, "PRAGMA cache_size = -24576", e) == QPC_OK)
			st_fts_side_start(st);
	return QPC_OK;
}

/* A load into an empty sales table sets the table's indexes aside at
 * its first line, and builds them at its end (restore). */
static enum qpc_rc sale_aside_due(struct qpc_store *st, struct qpc_error *e)
{
	if (!st->sale_aside_due)
		return QPC_OK;
	st->sale_aside_due = false;
	enum qpc_rc rc = set_aside(st, "sale", false, e);
	if (rc)
		forget_set_aside(st);
	return rc;
}

void qpc_ingest_on_finish(struct qpc_store *st, qpc_ingest_finish_fn fn, void *ctx)
{
	st->finish.fn = fn;
	st->finish.ctx = ctx;
}

void st_finishing(struct qpc_store *st, const char *what)
{
	if (st->finish.fn && st->finish.step < st->finish.steps)
		st->finish.fn(st->finish.ctx, ++st->finish.step, st->finish.steps, what);
}

enum qpc_rc qpc_ingest_settle(struct qpc_store *st, uint64_t outcome[QPC_OUTCOMES],
                              struct qpc_error *e)
{
	return st->pg ? st_load_lines(st, outcome, e) : QPC_OK;
}

enum qpc_rc qpc_ingest_new_sale(struct qpc_store *st, const struct qpc_sale_rec *r,
                                struct qpc_error *e)
{
	bool done = false;
	enum qpc_rc rc = st->pg ? st_load_sale(st, r, r->source_key, true, &done, e) : QPC_OK;
	return rc || done ? rc : qpc_store_sale_add(st, r, e);
}

enum qpc_rc qpc_ingest_end(struct qpc_store *st, bool commit, struct qpc_error *e)
{
	enum qpc_rc rc = QPC_OK;
	st_ahead_drop(st);
	if (st->pg) {
		rc = st_load_end(st, commit, e);
		st->bulk = st->bulk_unkeyed = st->sale_bulk = false;
		st->finish.steps = 0;
		if (commit && !rc)
			return st_q_commit(st, e);
		st_q_rollback(st);
		return rc;
	}
	if (commit && !(rc = restore(st, e))) {
		rc = qpc_store_commit(st, e);
	}
	else
		qpc_store_rollback(st);
	forget_set_aside(st);
	st_tally_free(st);
	st_fts_side_stop(st);
	/* SQLite's default for the temporary tables the dashboard reads (the
	 * counts stay till the next import: dropping them costs memory) */
	sqlite3_exec(st->db, "PRAGMA temp.cache_size = -2000", NULL, NULL, NULL);
	st->finish.steps = 0;
	st->bulk = st->bulk_unkeyed = st->aside_due = st->bulk_plain = false;
	st->sale_bulk = st->sale_aside_due = false;
	/* Back to the write-ahead log, waiting for readers as any write does;
	 * should that fail the file stays as it is, and the next qpc to open
	 * it sets the log again. */
	if (st->bulk_journal)
		st_journal_mode(st, "wal", true);
	st->bulk_journal = false;
	if (st->bulk_unchecked && st_exec(st, "PRAGMA foreign_keys = ON", e) && !rc)
		rc = QPC_ERR_DB;
	st->bulk_unchecked = false;
	return rc;
}

/* --- accounts ------------------------------------------------------------ */

#define KEY_COLUMNS                                                                            \
	"SELECT id, external_id, owner, contract_partner, contract_value, account_sales_12m,"      \
	" account_gp_12m, rep_share_bp, name, segment, city, country, notes, employees,"            \
	" annual_revenue, cost_to_serve FROM account"

/* An account a row found: its id and what its update compares. */
struct known {
	bool has;
	int64_t v;
};
struct found {
	int64_t id;
	bool found;
	bool differs; /* from the row of the file that found it (if one did) */
	struct known contract, contract_value, sales, gp, rep;
	char *owner; /* owner_buf, or its own copy when longer */
	char owner_buf[128];
};

/* KEY_COLUMNS by number; the texts among them. */
enum key_col {
	K_ID, K_EXT, K_OWNER, K_CONTRACT, K_CONTRACT_VALUE, K_SALES, K_GP, K_REP, K_NAME, K_SEGMENT,
	K_CITY, K_COUNTRY, K_NOTES, K_EMPLOYEES, K_REVENUE, K_COST, K_COLS
};
#define K_TEXTS                                                                                \
	((1u << K_EXT) | (1u << K_OWNER) | (1u << K_NAME) | (1u << K_SEGMENT) | (1u << K_CITY) | \
	 (1u << K_COUNTRY) | (1u << K_NOTES))

/* An account's KEY_COLUMNS as read: a text, or a number, or NULL. */
struct key_row {
	bool null[K_COLS];
	int64_t n[K_COLS];
	const char *t[K_COLS]; /* the texts (NULL for NULL), q's while it is on the row */
};

static void key_row_read(struct st_q *q, struct key_row *k)
{
	for (int c = 0; c < K_COLS; c++) {
		bool text = (K_TEXTS >> c) & 1u;
		k->null[c] = st_q_null_at(q, c);
		k->t[c] = text && !k->null[c] ? st_q_text_at(q, c) : NULL;
		k->n[c] = !text && !k->null[c] ? st_q_int_at(q, c) : 0;
	}
}

/* Whether a text column differs from what a file says (NULL: ""). */
static bool text_differs(const struct key_row *k, enum key_col col, const char *v)
{
	const char *t = k->t[col];
	return strcmp(t ? t : "", v ? v : "") != 0;
}

static bool int_differs(const struct key_row *k, enum key_col col, bool has, int64_t v)
{
	return k->null[col] ? has : !has || k->n[col] != v;
}

/* Whether the account k differs in a field the file's row r carries
 * (fields): what an update would change. */
static bool row_differs(const struct key_row *k, const struct qpc_account_rec *r,
                        unsigned fields)
{
	bool ext = r->external_id && *r->external_id;
	return (ext && k->null[K_EXT]) || text_differs(k, K_NAME, r->name) ||
	       ((fields & QPC_AF_OWNER) && text_differs(k, K_OWNER, r->owner)) ||
	       ((fields & QPC_AF_SEGMENT) && text_differs(k, K_SEGMENT, r->segment)) ||
	       ((fields & QPC_AF_CITY) && text_differs(k, K_CITY, r->city)) ||
	       ((fields & QPC_AF_COUNTRY) && text_differs(k, K_COUNTRY, r->country)) ||
	       ((fields & QPC_AF_NOTES) && text_differs(k, K_NOTES, r->notes)) ||
	       ((fields & QPC_AF_EMPLOYEES) &&
	        int_differs(k, K_EMPLOYEES, r->has_employees, r->employees)) ||
	       ((fields & QPC_AF_REVENUE) &&
	        int_differs(k, K_REVENUE, r->has_annual_revenue, r->annual_revenue)) ||
	       ((fields & QPC_AF_CONTRACT) && int_differs(k, K_CONTRACT, true, r->contract_partner)) ||
	       ((fields & QPC_AF_CONTRACT_VALUE) &&
	        int_differs(k, K_CONTRACT_VALUE, r->has_contract_value, r->contract_value)) ||
	       ((fields & QPC_AF_REP_SHARE) &&
	        int_differs(k, K_REP, r->has_rep_share, r->rep_share_bp)) ||
	       ((fields & QPC_AF_COST) &&
	        int_differs(k, K_COST, r->has_cost_to_serve, r->cost_to_serve)) ||
	       ((fields & QPC_AF_SALES_12M) &&
	        int_differs(k, K_SALES, r->has_account_figure, r->account_sales_12m)) ||
	       ((fields & QPC_AF_GP_12M) &&
	        int_differs(k, K_GP, r->has_account_gp, r->account_gp_12m));
}

/* false when memory is short */
static bool found_read(const struct key_row *k, struct found *f, const struct qpc_account_rec *r,
                       unsigned fields)
{
	f->differs = r && row_differs(k, r, fields);
	f->found = true;
	f->id = k->n[K_ID];
	struct known *col[] = { &f->contract, &f->contract_value, &f->sales, &f->gp, &f->rep };
	for (int i = 0; i < 5; i++) {
		col[i]->has = !k->null[K_CONTRACT + i];
		col[i]->v = k->n[K_CONTRACT + i];
	}
	const char *owner = k->t[K_OWNER];
	size_t n = owner ? strlen(owner) : 0;
	f->owner = n < sizeof f->owner_buf ? f->owner_buf : malloc(n + 1);
	if (!f->owner) {
		f->found = false;
		return false;
	}
	memcpy(f->owner, owner ? owner : "", n + 1);
	return true;
}

static void found_free(struct found *f)
{
	if (f->owner != f->owner_buf)
		free(f->owner);
	f->owner = NULL;
}

/* --- the accounts the next rows name, read ahead --------------------------
 *
 * On a team server each row's lookup by external id is a round trip: a
 * million rows of the same file again took 38-60 s.  So the import tells
 * the store which ids its next few hundred rows name (qpc_ingest_expect),
 * which reads those accounts in one statement; each row then takes its
 * own (ahead_take) without asking.  An id expected but not read is known
 * to be new.  Each is taken once: a second row with the same id, or a row
 * for an account a row found by name may have changed (ahead_forget), asks
 * the server, which has the import's own changes. */
#define AHEAD_SLOTS ((size_t)2 * QPC_INGEST_AHEAD)
struct ahead_slot {
	const char *ext; /* NULL: free */
	int row;         /* in rows; -1: no account has it */
	bool taken;
};
struct ahead {
	struct ahead_slot slot[AHEAD_SLOTS];
	struct key_row rows[QPC_INGEST_AHEAD];
	char *texts[QPC_INGEST_AHEAD]; /* each row's texts, one block each */
	size_t nrows;
	char *exts; /* the ids expected, one after the other */
};

void st_ahead_drop(struct qpc_store *st)
{
	struct ahead *a = st->ahead;
	if (!a)
		return;
	for (size_t i = 0; i < a->nrows; i++)
		free(a->texts[i]);
	free(a->exts);
	free(a);
	st->ahead = NULL;
}

static struct ahead_slot *ahead_slot(struct ahead *a, const char *ext)
{
	size_t i = (size_t)st_id_hash(ext) & (AHEAD_SLOTS - 1);
	while (a->slot[i].ext && strcmp(a->slot[i].ext, ext) != 0)
		i = (i + 1) & (AHEAD_SLOTS - 1);
	return &a->slot[i];
}

/* The account ext names, read ahead (1, *k), known to be none (0), or
 * not read ahead (-1): the server is asked. */
static int ahead_take(struct qpc_store *st, const char *ext, const struct key_row **k)
{
	struct ahead_slot *s = st->ahead ? ahead_slot(st->ahead, ext) : NULL;
	if (!s || !s->ext || s->taken)
		return -1;
	s->taken = true;
	if (s->row < 0)
		return 0;
	*k = &st->ahead->rows[s->row];
	return 1;
}

/* The account id, found by name and about to be changed: what was read
 * ahead of it under its id is set aside, and the row naming that id asks
 * the server again. */
static void ahead_forget(struct qpc_store *st, int64_t id)
{
	struct ahead *a = st->ahead;
	for (size_t i = 0; a && i < AHEAD_SLOTS; i++)
		if (a->slot[i].ext && a->slot[i].row >= 0 && a->rows[a->slot[i].row].n[K_ID] == id)
			a->slot[i].taken = true;
}

/* A copy of q's row in a, its texts in one block; false when memory is
 * short. */
static bool ahead_keep(struct ahead *a, struct st_q *q)
{
	struct key_row *k = &a->rows[a->nrows];
	key_row_read(q, k);
	size_t len = 0;
	for (int c = 0; c < K_COLS; c++)
		len += k->t[c] ? strlen(k->t[c]) + 1 : 0;
	char *block = malloc(len ? len : 1), *at = block;
	if (!block)
		return false;
	for (int c = 0; c < K_COLS; c++) {
		if (!k->t[c])
			continue;
		size_t n = strlen(k->t[c]) + 1;
		memcpy(at, k->t[c], n);
		k->t[c] = at;
		at += n;
	}
	a->texts[a->nrows++] = block;
	return true;
}

bool qpc_ingest_looks_ahead(const struct qpc_store *st)
{
	/* into an empty table the new accounts stream, unlooked-up */
	return st->pg && !st->bulk;
}

enum qpc_rc qpc_ingest_expect(struct qpc_store *st, const char *const *ext, size_t n,
                              struct qpc_error *e)
{
	static const char sql[] = KEY_COLUMNS " WHERE external_id = ANY(CAST(?1 AS text[]))";
	st_ahead_drop(st);
	if (!qpc_ingest_looks_ahead(st) || n == 0)
		return QPC_OK;
	n = n < QPC_INGEST_AHEAD ? n : QPC_INGEST_AHEAD;
	/* the ids, and the array of them the server reads: each quoted, its
	 * quotes and backslashes escaped */
	size_t len = 0;
	for (size_t i = 0; i < n; i++)
		len += strlen(ext[i]) + 1;
	struct ahead *a = calloc(1, sizeof *a);
	char *list = malloc(2 * len + 3 * n + 3);
	if (a)
		a->exts = malloc(len + 1);
	if (!a || !a->exts || !list) { /* short of memory: each row asks */
		free(list);
		if (a)
			free(a->exts);
		free(a);
		return QPC_OK;
	}
	char *at = a->exts, *l = list;
	*l++ = '{';
	for (size_t i = 0; i < n; i++) {
		size_t k = strlen(ext[i]) + 1;
		memcpy(at, ext[i], k);
		struct ahead_slot *s = ahead_slot(a, at);
		if (!s->ext)
			*s = (struct ahead_slot){ .ext = at, .row = -1 };
		at += k;
		if (i)
			*l++ = ',';
		*l++ = '"';
		for (const char *c = ext[i]; *c; c++) {
			if (*c == '"' || *c == '\\')
				*l++ = '\\';
			*l++ = *c;
		}
		*l++ = '"';
	}
	*l++ = '}';
	*l = '\0';
	st->ahead = a;
	struct st_q *q;
	enum qpc_rc rc = st_q_prepare(st, &q, sql, e);
	if (rc) {
		free(list);
		st_ahead_drop(st);
		return rc;
	}
	st_q_text(q, 1, list);
	int step = ST_DONE;
	bool kept = true;
	while (kept && a->nrows < QPC_INGEST_AHEAD && (step = st_q_step(q)) == ST_ROW) {
		const char *id = st_q_text_at(q, K_EXT);
		struct ahead_slot *s = id ? ahead_slot(a, id) : NULL;
		if (s && s->ext && s->row < 0 && (kept = ahead_keep(a, q)))
			s->row = (int)a->nrows - 1;
	}
	if (kept && a->nrows < QPC_INGEST_AHEAD && step != ST_DONE)
		rc = st_q_fail(q, "finding the file's accounts", e);
	st_q_free(q);
	free(list);
	if (rc || !kept) /* (short of memory: each row asks) */
		st_ahead_drop(st);
	return rc;
}

/* A bulk load looks accounts up by name only when a row has no id, or
 * names an account by id that an id-less row may have made: the name
 * index it set aside is built then, on the rows so far, and kept up row
 * by row from there (a file of ids never needs it before its end). */
static enum qpc_rc name_index(struct qpc_store *st, struct qpc_error *e)
{
	if (st->pg)
		return st_load_names(st, e);
	for (char **p = st->set_aside; p && *p; p++)
		if (**p && strstr(*p, NAME_INDEX)) {
			enum qpc_rc rc = st_exec(st, *p, e);
			if (!rc)
				**p = '\0';
			return rc;
		}
	return QPC_OK;
}

static const char by_ext_sql[] = KEY_COLUMNS " WHERE external_id = ?1";
/* the index is of the names' keys (?2, made here): it finds the
 * candidates, = keeps the exact name */
static const char by_name_sql[] =
	KEY_COLUMNS " WHERE name_key = ?2 AND name = ?1 ORDER BY id LIMIT 2";
static const char by_name_unkeyed_sql[] = KEY_COLUMNS
	" WHERE name_key = ?2 AND name = ?1 AND external_id IS NULL ORDER BY id LIMIT 2";

/* Binds a name (?1) and its key (?2). */
static enum qpc_rc bind_name(struct st_q *q, const char *name, struct qpc_error *e)
{
	char buf[512], *k = st_name_key(name, buf, sizeof buf);
	if (!k)
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	st_q_text(q, 1, name);
	st_q_text(q, 2, k);
	if (k != buf)
		free(k);
	return QPC_OK;
}

/* The account a row names, by its external id, else by its exact name;
 * r (if not NULL) is the row, whose fields f->differs compares. */
static enum qpc_rc lookup(struct qpc_store *st, const char *ext, const char *name,
                          const struct qpc_account_rec *r, unsigned fields, struct found *f,
                          struct qpc_error *e)
{
	struct st_q *s;
	struct key_row k;
	const struct key_row *ahead;
	enum qpc_rc rc = QPC_OK;
	int step;
	memset(f, 0, sizeof *f);
	if (ext && *ext) {
		int had = ahead_take(st, ext, &ahead);
		if (had > 0 && !found_read(ahead, f, r, fields))
			return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
		if (had < 0) {
			if ((rc = st_q_cached(st, &s, by_ext_sql, e)))
				return rc;
			st_q_text(s, 1, ext);
			if ((step = st_q_step(s)) == ST_ROW) {
				key_row_read(s, &k);
				if (!found_read(&k, f, r, fields))
					rc = qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
			} else if (step != ST_DONE) {
				rc = st_q_fail(s, "finding an account", e);
			}
			st_q_free(s);
		}
		/* (an account found by its id was read ahead, if at all, under
		 * that id, now taken) */
		if (rc || f->found)
			return rc;
		/* the table was empty when the load began: only an id-less row
		 * of this file can have made an account without an id */
		if (st->bulk && !st->bulk_unkeyed)
			return QPC_OK;
		if ((rc = name_index(st, e)) || (rc = st_q_cached(st, &s, by_name_unkeyed_sql, e)))
			return rc;
	} else if ((st->bulk && (rc = name_index(st, e))) ||
	           (rc = st_q_cached(st, &s, by_name_sql, e))) {
		return rc;
	}
	if ((rc = bind_name(s, name, e))) {
		st_q_free(s);
		return rc;
	}
	if ((step = st_q_step(s)) == ST_ROW) {
		key_row_read(s, &k);
		if (!found_read(&k, f, r, fields)) {
			st_q_free(s);
			return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
		}
		ahead_forget(st, f->id);
		step = st_q_step(s);
	}
	/* a second row makes the name ambiguous */
	if (step == ST_ROW) {
		rc = qpc_error_set(e, QPC_ERR_DATA,
		                   "several accounts are named '%s' (ids %lld and %lld); give the "
		                   "file an id column to tell them apart",
		                   name, (long long)f->id, (long long)st_q_int_at(s, 0));
		found_free(f);
		f->found = false;
	} else if (step != ST_DONE) {
		rc = st_q_fail(s, "finding an account", e);
		found_free(f);
		f->found = false;
	}
	st_q_free(s);
	return rc;
}

static const char update_sql[] =
	"UPDATE account SET external_id = coalesce(external_id, CAST(?2 AS TEXT)), name = ?3,"
	" name_key = ?19,"
	" owner = CASE WHEN (?17 & 1) <> 0 THEN ?4 ELSE owner END,"
	" segment = CASE WHEN (?17 & 2) <> 0 THEN ?5 ELSE segment END,"
	" city = CASE WHEN (?17 & 4) <> 0 THEN ?6 ELSE city END,"
	" country = CASE WHEN (?17 & 8) <> 0 THEN ?7 ELSE country END,"
	" notes = CASE WHEN (?17 & 16) <> 0 THEN ?8 ELSE notes END,"
	" employees = CASE WHEN (?17 & 32) <> 0 THEN ?9 ELSE employees END,"
	" annual_revenue = CASE WHEN (?17 & 64) <> 0 THEN ?10 ELSE annual_revenue END,"
	" contract_partner = CASE WHEN (?17 & 128) <> 0 THEN ?11 ELSE contract_partner END,"
	" contract_value = CASE WHEN (?17 & 256) <> 0 THEN ?12 ELSE contract_value END,"
	" rep_share_bp = CASE WHEN (?17 & 512) <> 0 THEN ?13 ELSE rep_share_bp END,"
	" cost_to_serve = CASE WHEN (?17 & 1024) <> 0 THEN ?14 ELSE cost_to_serve END,"
	" account_sales_12m = CASE WHEN (?17 & 2048) <> 0 THEN ?15 ELSE account_sales_12m END,"
	" account_gp_12m = CASE WHEN (?17 & 4096) <> 0 THEN ?16 ELSE account_gp_12m END,"
	" version = version + 1, updated_at = ?18 WHERE id = ?1";

static void num_text(bool has, int64_t v, char *buf, size_t n, bool money, int mu)
{
	if (!has)
		buf[0] = '\0';
	else if (money)
		qpc_money_format(v, mu, QPC_MONEY_PLAIN, buf, n);
	else
		snprintf(buf, n, "%lld", (long long)v);
}

/* Records the status-relevant fields that an update changed. */
static enum qpc_rc history_of_update(struct qpc_store *st, const struct found *old,
                                     const struct qpc_account_rec *r, unsigned fields,
                                     bool *figures_changed, struct qpc_error *e)
{
	struct {
		unsigned bit;
		const char *field;
		bool was_has;
		int64_t was;
		bool has;
		int64_t v;
		bool money;
		bool figures;
	} f[] = {
		{ QPC_AF_CONTRACT, "contract_partner", old->contract.has, old->contract.v, true,
		  r->contract_partner, false, true },
		{ QPC_AF_CONTRACT_VALUE, "contract_value", old->contract_value.has,
		  old->contract_value.v, r->has_contract_value, r->contract_value, true, false },
		{ QPC_AF_SALES_12M, "sales_12m", old->sales.has, old->sales.v, r->has_account_figure,
		  r->account_sales_12m, true, true },
		{ QPC_AF_GP_12M, "gross_profit_12m", old->gp.has, old->gp.v, r->has_account_gp,
		  r->account_gp_12m, true, true },
		{ QPC_AF_REP_SHARE, "rep_share_estimate_bp", old->rep.has, old->rep.v, r->has_rep_share,
		  r->rep_share_bp, false, false },
	};
	qpc_date today = qpc_date_from_unix(st->now);
	enum qpc_rc rc;
	*figures_changed = false;
	for (size_t i = 0; i < sizeof f / sizeof *f; i++) {
		if (!(fields & f[i].bit))
			continue;
		char was[32], now[32];
		num_text(f[i].was_has, f[i].was, was, sizeof was, f[i].money, st->minor_units);
		num_text(f[i].has, f[i].v, now, sizeof now, f[i].money, st->minor_units);
		if (strcmp(was, now) == 0)
			continue;
		*figures_changed |= f[i].figures;
		if ((rc = st_history(st, old->id, "account", f[i].field, was[0] ? was : NULL,
		                     now[0] ? now : NULL, today, e)))
			return rc;
	}
	if (fields & QPC_AF_OWNER) {
		const char *now = r->owner ? r->owner : "";
		if (strcmp(old->owner, now) != 0 &&
		    (rc = st_history(st, old->id, "account", "owner", old->owner, now, today, e)))
			return rc;
	}
	return QPC_OK;
}

static void q_opt(struct st_q *q, int i, bool has, int64_t v)
{
	if (has)
		st_q_int(q, i, v);
	else
		st_q_text(q, i, NULL);
}

static void q_or_empty(struct st_q *q, int i, const char *v)
{
	st_q_text(q, i, v ? v : "");
}

/* Writes what a file's row says of an account it found changed. */
static enum qpc_rc update_account(struct qpc_store *st, int64_t aid,
                                  const struct qpc_account_rec *r, unsigned fields,
                                  struct qpc_error *e)
{
	struct st_q *u;
	enum qpc_rc rc = st_q_cached(st, &u, update_sql, e);
	if (rc)
		return rc;
	char at[32];
	st_now_iso(st, at);
	st_q_int(u, 1, aid);
	st_q_text(u, 2, r->external_id && *r->external_id ? r->external_id : NULL);
	q_or_empty(u, 4, r->owner);
	q_or_empty(u, 5, r->segment);
	q_or_empty(u, 6, r->city);
	q_or_empty(u, 7, r->country);
	q_or_empty(u, 8, r->notes);
	q_opt(u, 9, r->has_employees, r->employees);
	q_opt(u, 10, r->has_annual_revenue, r->annual_revenue);
	st_q_int(u, 11, r->contract_partner);
	q_opt(u, 12, r->has_contract_value, r->contract_value);
	q_opt(u, 13, r->has_rep_share, r->rep_share_bp);
	q_opt(u, 14, r->has_cost_to_serve, r->cost_to_serve);
	q_opt(u, 15, r->has_account_figure, r->account_sales_12m);
	q_opt(u, 16, r->has_account_gp, r->account_gp_12m);
	st_q_int(u, 17, (int)fields);
	st_q_text(u, 18, at);
	/* the name and its key: ?3 and ?19 */
	char buf[512], *k = st_name_key(r->name, buf, sizeof buf);
	if (!k) {
		st_q_free(u);
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	}
	st_q_text(u, 3, r->name);
	st_q_text(u, 19, k);
	if (k != buf)
		free(k);
	rc = st_q_done(u, "updating an account", e);
	st_q_free(u);
	return rc;
}

enum qpc_rc qpc_ingest_account(struct qpc_store *st, const struct qpc_account_rec *r,
                               unsigned fields, int64_t *id, enum qpc_outcome *out,
                               struct qpc_error *e)
{
	enum qpc_rc rc = aside_due(st, (fields & ~(unsigned)DESCRIPTIVE) != 0, e);
	if (rc)
		return rc;
	/* Into a table that was empty, an id is new unless the file repeats
	 * it: insert, and look up only when the insert says it exists.  Not
	 * once an id-less row has made an account, which a row with an id
	 * and the same name is (lookup() finds it by name).  On a team server
	 * the new rows stream in with COPY (ingest_pg.c). */
	if (st->bulk && !st->bulk_unkeyed && r->external_id && *r->external_id) {
		if (st->pg) {
			bool streamed;
			if ((rc = st_load_account(st, r, id, &streamed, e)) || streamed) {
				*out = QPC_CREATED;
				return rc;
			}
		} else if ((rc = st_account_insert(st, r, id, e)) == QPC_OK) {
			*out = QPC_CREATED;
			return QPC_OK;
		} else if ((sqlite3_extended_errcode(st->db) & 0xff) != SQLITE_CONSTRAINT) {
			return rc;
		}
	}
	/* (and the facts the stream put off written, so that a later row's
	 * come after them, as in the file) */
	if (st->pg && (rc = st_load_facts(st, e)))
		return rc;
	struct found old;
	if ((rc = lookup(st, r->external_id, r->name, r, fields, &old, e)))
		return rc;
	if (!old.found) {
		*out = QPC_CREATED;
		return qpc_store_account_insert(st, r, id, e);
	}
	/* the file names an account twice: its tally may move */
	st_tally_free(st);
	/* what differs is told by the row lookup() read, which the update
	 * then writes whole */
	bool figures_changed = false;
	if (old.differs && !(rc = history_of_update(st, &old, r, fields, &figures_changed, e)))
		rc = update_account(st, old.id, r, fields, e);
	found_free(&old);
	if (rc)
		return rc;
	*out = old.differs ? QPC_UPDATED : QPC_UNCHANGED;
	if (id)
		*id = old.id;
	/* The contract flag and the 12-month figure are dated facts: what the
	 * file says of them holds from its as-of date. */
	if ((rc = st_account_facts(st, old.id, r, fields, e)))
		return rc;
	return figures_changed ? st_touch(st, old.id, e) : QPC_OK;
}

static enum qpc_rc account_ref(struct qpc_store *st, const char *external_id, const char *name,
                               int64_t *id, bool *created, bool *by_key, struct qpc_error *e);

enum qpc_rc qpc_ingest_account_ref(struct qpc_store *st, const char *external_id,
                                   const char *name, int64_t *id, bool *created,
                                   struct qpc_error *e)
{
	*created = false;
	if ((!external_id || !*external_id) && (!name || !*name))
		return qpc_error_set(e, QPC_ERR_DATA, "no account id or name");
	enum qpc_rc rc = aside_due(st, true, e);
	if (rc)
		return rc;
	/* on a server the load knows the accounts it has met */
	if (st->pg) {
		bool done;
		if ((rc = st_load_ref(st, external_id, name, id, created, &done, e)) || done ||
		    (rc = st_load_settle(st, e)))
			return rc;
		bool by_key = false;
		if ((rc = account_ref(st, external_id, name, id, created, &by_key, e)) == QPC_OK &&
		    by_key)
			st_load_ref_found(st, external_id, *id);
		return rc;
	}
	return account_ref(st, external_id, name, id, created, NULL, e);
}

/* qpc_ingest_account_ref's lookup, or the account it makes; *by_key (if
 * not NULL) whether the external id alone says which it is from now on
 * (found by it, or made with it), not a name another account may share. */
static enum qpc_rc account_ref(struct qpc_store *st, const char *external_id, const char *name,
                               int64_t *id, bool *created, bool *by_key, struct qpc_error *e)
{
	enum qpc_rc rc;
	/* a sales file names each account a hundred times: its id alone, from
	 * the index, not the row */
	if (external_id && *external_id) {
		static const char id_sql[] = "SELECT id FROM account WHERE external_id = ?1";
		struct st_q *q;
		if ((rc = st_q_cached(st, &q, id_sql, e)))
			return rc;
		st_q_text(q, 1, external_id);
		int r = st_q_step(q);
		if (r == ST_ROW)
			*id = st_q_int_at(q, 0);
		else if (r != ST_DONE)
			rc = st_q_fail(q, "finding an account", e);
		st_q_free(q);
		if (by_key)
			*by_key = r == ST_ROW;
		if (rc || r == ST_ROW)
			return rc;
	}
	struct found old;
	rc = lookup(st, external_id, name && *name ? name : external_id, NULL, 0, &old, e);
	if (rc)
		return rc;
	if (old.found) {
		*id = old.id;
		found_free(&old);
		return QPC_OK;
	}
	struct qpc_account_rec r = { .external_id = external_id,
		                     .name = name && *name ? name : external_id };
	*created = true;
	if (by_key)
		*by_key = external_id && *external_id;
	return qpc_store_account_insert(st, &r, id, e);
}

/* --- sales and QPC lines ------------------------------------------------- */

enum qpc_rc qpc_ingest_sale(struct qpc_store *st, const struct qpc_sale_rec *r,
                            enum qpc_outcome *out, struct qpc_error *e)
{
	static const char find_sql[] =
		"SELECT id, account_id, date, category_id, amount, gross_profit FROM sale"
		" WHERE source_key = ?1";
	static const char update_sql_[] =
		"UPDATE sale SET account_id = ?2, date = ?3, category_id = ?4, amount = ?5,"
		" gross_profit = ?6 WHERE id = ?1";
	bool based = r->key_base && *r->key_base;
	if (!based && (!r->source_key || !*r->source_key))
		return qpc_error_set(e, QPC_ERR_DATA, "a sales line needs a key");
	if (based && strlen(r->key_base) >= SALE_KEY_MAX)
		return qpc_error_set(e, QPC_ERR_DATA, "a sales line's key is over %d bytes",
		                     SALE_KEY_MAX - 1);
	struct st_q *s;
	enum qpc_rc rc = aside_due(st, true, e);
	if (!rc)
		rc = sale_aside_due(st, e);
	if (rc)
		return rc;
	struct qpc_sale_rec keyed = *r;
	char key[SALE_KEY_MAX + 24];
	if (based) {
		int64_t n = 1;
		char stem[SALE_KEY_HASHED];
		if (!r->key_verbatim)
			st_sale_key_hashed(r->key_base, strlen(r->key_base), stem);
		const char *t = r->key_verbatim ? r->key_base : stem;
		/* on a server, into an empty sales table, the line waits for
		 * the end of the load (ingest_pg.c) */
		bool done = false;
		if (st->pg && (rc = st_load_sale(st, r, t, r->key_verbatim, &done, e)))
			return rc;
		if (done) {
			*out = QPC_CREATED;
			return QPC_OK;
		}
		if (st->pg && (rc = st_load_settle(st, e)))
			return rc;
		if ((!st->sale_bulk || st->pg) && (rc = occurrence(st, t, &n, e)))
			return rc;
		sale_key_text(t, r->key_verbatim, n, key, sizeof key);
		keyed.source_key = key;
		r = &keyed;
	} else if (st->pg && (rc = st_load_settle(st, e))) {
		return rc;
	}
	/* into a sales table that was empty, every key is new (see above) */
	if (st->sale_bulk && !st->pg) {
		*out = QPC_CREATED;
		int64_t sid;
		if ((rc = st_sale_insert(st, r, &sid, e)) || !based || !r->key_verbatim)
			return rc;
		static const char verbatim_sql[] = "INSERT INTO temp.sale_verbatim VALUES (?1)";
		sqlite3_stmt *v;
		if ((rc = st_cached(st, &v, verbatim_sql, e)))
			return rc;
		sqlite3_bind_int64(v, 1, sid);
		return st_run(st, v, "keying a sales line", e);
	}
	if ((rc = st_q_cached(st, &s, find_sql, e)))
		return rc;
	st_q_text(s, 1, r->source_key);
	int step = st_q_step(s);
	if (step == ST_DONE) {
		st_q_free(s);
		*out = QPC_CREATED;
		return qpc_store_sale_add(st, r, e);
	}
	if (step != ST_ROW) {
		rc = st_q_fail(s, "finding a sales line", e);
		st_q_free(s);
		return rc;
	}
	char date[QPC_DATE_ISO_LEN];
	qpc_date_format(r->date, date);
	const char *was_date = st_q_text_at(s, 2);
	int64_t sid = st_q_int_at(s, 0), was_account = st_q_int_at(s, 1);
	bool same = was_account == r->account_id && was_date && strcmp(was_date, date) == 0 &&
	            (st_q_null_at(s, 3) ? r->category_id <= 0 : st_q_int_at(s, 3) == r->category_id) &&
	            st_q_int_at(s, 4) == r->amount &&
	            (st_q_null_at(s, 5) ? !r->has_gp : r->has_gp && st_q_int_at(s, 5) == r->gross_profit);
	st_q_free(s);
	if (same) {
		*out = QPC_UNCHANGED;
		return QPC_OK;
	}
	if ((rc = st_q_cached(st, &s, update_sql_, e)))
		return rc;
	st_q_int(s, 1, sid);
	st_q_int(s, 2, r->account_id);
	st_q_text(s, 3, date);
	q_opt(s, 4, r->category_id > 0, r->category_id);
	st_q_int(s, 5, r->amount);
	q_opt(s, 6, r->has_gp, r->gross_profit);
	*out = QPC_UPDATED;
	rc = st_q_done(s, "updating a sales line", e);
	st_q_free(s);
	if (rc || (rc = st_touch(st, r->account_id, e)))
		return rc;
	return was_account != r->account_id ? st_touch(st, was_account, e) : QPC_OK;
}

enum qpc_rc qpc_ingest_potential(struct qpc_store *st, const struct qpc_potential_rec *p,
                                 enum qpc_outcome *out, struct qpc_error *e)
{
	static const char find_sql[] =
		"SELECT amount, basis, verified, measured_on, measured_by FROM potential"
		" WHERE account_id = ?1 AND category_id = ?2";
	struct st_q *s;
	enum qpc_rc rc = aside_due(st, true, e);
	if (rc || (st->pg && (rc = st_load_settle(st, e))) ||
	    (rc = st_q_cached(st, &s, find_sql, e)))
		return rc;
	st_q_int(s, 1, p->account_id);
	st_q_int(s, 2, p->category_id);
	int step = st_q_step(s);
	if (step == ST_ROW) {
		char date[QPC_DATE_ISO_LEN];
		const char *by = p->measured_by ? p->measured_by : st->user;
		qpc_date_format(p->measured_on, date);
		const char *basis = st_q_text_at(s, 1), *on = st_q_text_at(s, 3),
		           *was_by = st_q_text_at(s, 4);
		bool same = st_q_int_at(s, 0) == p->amount &&
		            strcmp(basis ? basis : "", p->basis ? p->basis : "") == 0 &&
		            st_q_int_at(s, 2) == (int)p->verified && on && strcmp(on, date) == 0 &&
		            was_by && strcmp(was_by, by) == 0;
		st_q_free(s);
		*out = same ? QPC_UNCHANGED : QPC_UPDATED;
		return same ? QPC_OK : qpc_store_potential_set(st, p, e);
	}
	if (step != ST_DONE)
		rc = st_q_fail(s, "finding a QPC line", e);
	st_q_free(s);
	if (rc)
		return rc;
	*out = QPC_CREATED;
	return qpc_store_potential_set(st, p, e);
}

/* --- mappings ------------------------------------------------------------ */

enum qpc_rc qpc_ingest_mapping_get(struct qpc_store *st, const char *kind, const char *header,
                                   char **mapping, struct qpc_error *e)
{
	struct st_q *s;
	*mapping = NULL;
	enum qpc_rc rc = st_q_prepare(st, &s,
	                              "SELECT mapping FROM import_mapping WHERE kind = ?1 AND header = ?2",
	                              e);
	if (rc)
		return rc;
	st_q_text(s, 1, kind);
	st_q_text(s, 2, header);
	int r = st_q_step(s);
	if (r == ST_ROW) {
		const char *m = st_q_text_at(s, 0);
		if (!(*mapping = strdup(m ? m : "")))
			rc = qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	} else if (r != ST_DONE) {
		rc = st_q_fail(s, "reading import mappings", e);
	}
	st_q_free(s);
	return rc;
}

enum qpc_rc qpc_ingest_mapping_put(struct qpc_store *st, const char *kind, const char *header,
                                   const char *mapping, struct qpc_error *e)
{
	struct st_q *s;
	enum qpc_rc rc = st->pg ? st_load_settle(st, e) : QPC_OK;
	if (rc || (rc = st_q_prepare(st, &s,
	                             "INSERT INTO import_mapping (kind, header, mapping, profile,"
	                             " used_at) VALUES (?1, ?2, ?3, '', ?4) ON CONFLICT (kind, header)"
	                             " DO UPDATE SET mapping = excluded.mapping, profile = '',"
	                             " used_at = excluded.used_at",
	                             e)))
		return rc;
	char at[32];
	st_now_iso(st, at);
	st_q_text(s, 1, kind);
	st_q_text(s, 2, header);
	st_q_text(s, 3, mapping);
	st_q_text(s, 4, at);
	rc = st_q_done(s, "saving an import mapping", e);
	st_q_free(s);
	return rc;
}
