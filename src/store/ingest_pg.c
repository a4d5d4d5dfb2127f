/* ingest_pg.c — an import on a team server: new accounts stream in.
 *
 * A row at a time an import costs the server a round trip per statement:
 * a million accounts, minutes.  Into an empty account table, where every
 * external id is new unless the file repeats it, the new accounts go to
 * the server as one COPY instead, at the speed of psql's \copy.  Their ids
 * are the load's own, taken from the table's sequence (no other writer can
 * add an account meanwhile: the import holds the table against writers,
 * readers go on), so the caller learns each id at once, as row by row.
 * So do the accounts a sales file names that a table holding accounts
 * does not have, once the load has read every external id it holds.
 *
 * What a streamed row cannot do at once waits for the stream to end:
 *   - a row whose external id the load has streamed before (a set of the
 *     ids' 64-bit hashes says so; a false alarm only costs a lookup) is
 *     found and updated row by row, as on a file.  While the ids come in
 *     order, as exports sort them, none can be one before, and their
 *     hashes are only listed; the first out of order makes the list a set;
 *   - so is every row once one without an id has come (it may name an
 *     account by name that a later keyed row adopts);
 *   - a new account's dated facts (its contract, its CRM figure) are kept
 *     in a temporary file and written through the usual functions at the
 *     end: only the rows that carry them pay a round trip.
 * Any other statement first ends the stream (st_load_settle), which hands
 * the sequence back the ids the stream used.
 *
 * Sales lines wait in a temporary file and go in one COPY at the end,
 * keyed there as row by row.  Into an empty table they are inserted
 * (write_lines); into one that holds lines, each is found or not among
 * them, and is new, unchanged or an update, as row by row (merge).  The
 * load keeps the accounts the rows name by external id, and the
 * categories, so that a line costs no round trip.
 *
 * Memory: a 64 KiB block of rows, and the ids' hashes: 8 bytes an
 * account while listed, 16 in the set, and half as much again while
 * either grows or the list becomes the set.  At a million: 8 MiB in
 * order (12 at most), 16 out of order (24 at most). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "qpc/ingest.h"

static const char copy_sql[] =
	"COPY account (id, external_id, name, owner, segment, city, country, notes, employees,"
	" annual_revenue, contract_partner, contract_value, rep_share_bp, cost_to_serve,"
	" account_sales_12m, account_gp_12m, created_at, updated_at, name_key) FROM STDIN";
static const char streaming[] = "adding accounts";

/* A streamed account's facts, written once the stream has ended. */
struct put_off {
	int64_t id;
	qpc_date facts_on, signed_on, ends_on;
	qpc_money contract_value, sales, gp;
	bool partner, has_value, has_sales, has_gp, has_signed, has_ends;
};

/* What a row named, by its kind ("i": an account by external id, "c": a
 * category) and key (at off in the arena), and its id. */
struct ref {
	uint64_t h; /* 0: a free slot */
	int64_t id;
	size_t off;
};

/* At most this much for the accounts rows named: a million of them, with
 * ids of 10 bytes.  Past it, each account is looked up on the server. */
#define REF_SLOTS_MAX ((size_t)1 << 21)
#define REF_ARENA_MAX ((size_t)16 << 20)

struct st_load {
	bool accounts;  /* the account table was empty: new accounts stream (and,
	                 * into a full one, a sales row's once every id is known) */
	bool sales;     /* the sales table was empty: new lines wait in lines */
	bool merge;     /* it held lines: all lines wait, and are merged with them */
	FILE *lines;    /* their rows for COPY, sent once the accounts are in */
	size_t nlines;
	struct ref *refs; /* the accounts rows named, and their ids */
	size_t nrefs, refcap;
	char *arena;
	size_t arena_len, arena_cap;
	char **aside;   /* what builds again the indexes and constraints set aside */
	char **drop;    /* ... and what dropped each */
	size_t naside;
	bool streaming; /* a COPY is open */
	bool off;       /* short of memory once: row by row from there */
	/* accounts named by an external id the load did not know; past
	 * misses_due, whether to read every account's id at once (preload) */
	uint64_t misses, misses_due;
	bool preloaded;
	bool lost;    /* refs could not keep one: they are not every account */
	bool unkeyed; /* an account without an external id is there, or made */
	int64_t next_id; /* the id the next streamed account takes */
	/* hashes of the streamed external ids: in the order they came while
	 * each came after the one before (last), else a set (0 is free) */
	uint64_t *seen;
	size_t nseen, cap;
	bool unordered;
	char last[256];
	FILE *put_off;   /* struct put_off, one per account with facts */
	size_t nput_off;
	struct st_copy_buf out; /* the COPY's rows on their way */
};

/* --- the set of streamed ids ------------------------------------------- */

uint64_t st_id_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325u;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		h = (h ^ *p) * 0x100000001b3u;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9u;
	h ^= h >> 32;
	return h ? h : 1;
}

static size_t slot_of(const uint64_t *seen, size_t cap, uint64_t h)
{
	size_t i = (size_t)h & (cap - 1);
	while (seen[i] && seen[i] != h)
		i = (i + 1) & (cap - 1);
	return i;
}

static bool seen_has(const struct st_load *L, uint64_t h)
{
	return L->cap && L->seen[slot_of(L->seen, L->cap, h)] == h;
}

/* Lists h, of an id after every one before; false when memory is short. */
static bool list_add(struct st_load *L, uint64_t h)
{
	if (L->nseen == L->cap) {
		size_t cap = L->cap ? 2 * L->cap : 4096;
		uint64_t *grown = realloc(L->seen, cap * sizeof *grown);
		if (!grown)
			return false;
		L->seen = grown;
		L->cap = cap;
	}
	L->seen[L->nseen++] = h;
	return true;
}

/* Makes the list of hashes a set; false when memory is short. */
static bool list_to_set(struct st_load *L)
{
	size_t cap = 4096;
	while (4 * (L->nseen + 1) > 3 * cap)
		cap *= 2;
	uint64_t *set = calloc(cap, sizeof *set);
	if (!set)
		return false;
	for (size_t i = 0; i < L->nseen; i++)
		set[slot_of(set, cap, L->seen[i])] = L->seen[i];
	free(L->seen);
	L->seen = set;
	L->cap = cap;
	L->unordered = true;
	return true;
}

/* Adds h (not there) to the set; false when memory is short. */
static bool seen_add(struct st_load *L, uint64_t h)
{
	if (4 * (L->nseen + 1) > 3 * L->cap) {
		size_t cap = L->cap ? 2 * L->cap : 4096;
		uint64_t *grown = calloc(cap, sizeof *grown);
		if (!grown)
			return false;
		for (size_t i = 0; i < L->cap; i++)
			if (L->seen[i])
				grown[slot_of(grown, cap, L->seen[i])] = L->seen[i];
		free(L->seen);
		L->seen = grown;
		L->cap = cap;
	}
	L->seen[slot_of(L->seen, L->cap, h)] = h;
	L->nseen++;
	return true;
}

/* Whether the load streamed id (its hash h) before: 1, or a false alarm
 * (it is looked up); 0 not, and it is kept now; -1 short of memory. */
static int streamed_before(struct st_load *L, const char *id, uint64_t h)
{
	size_t len = strlen(id);
	if (!L->unordered && len < sizeof L->last && (!L->nseen || strcmp(id, L->last) > 0)) {
		if (!list_add(L, h))
			return -1;
		memcpy(L->last, id, len + 1);
		return 0;
	}
	if (!L->unordered && !list_to_set(L))
		return -1;
	if (seen_has(L, h))
		return 1;
	return seen_add(L, h) ? 0 : -1;
}

/* --- rows in COPY's text format ------------------------------------------ */

static enum qpc_rc put_text(struct qpc_store *st, struct st_load *L, const char *v, char end,
                            struct qpc_error *e)
{
	return st_copy_put(st, &L->out, v, end, streaming, e);
}

static enum qpc_rc put_int(struct qpc_store *st, struct st_load *L, bool has, int64_t v,
                           struct qpc_error *e)
{
	return st_copy_put_int(st, &L->out, has, v, streaming, e);
}

/* --- the stream ---------------------------------------------------------- */

/* Into an empty table, the account's secondary index (its names' order)
 * and its external ids' uniqueness are built once, sorted, rather than
 * kept up row by row.  The ids cannot repeat meanwhile (a repeat is
 * caught by the set of hashes, and looked up), and the uniqueness is back
 * as soon as the stream ends (st_load_settle): before anything is looked
 * up by external id.  The same of an empty sales table's index, its keys'
 * uniqueness and its references to accounts and categories (checked once,
 * at the end, rather than by a trigger per line).  Setting them aside
 * takes the table from readers too until the import commits: they wait,
 * on a table that was empty.  The account's primary key stays: the load's
 * facts and lines point at it. */
static enum qpc_rc set_aside(struct qpc_store *st, struct st_load *L, const char *table,
                             struct qpc_error *e)
{
	/* what to build again, what to drop; the uniqueness first, as a
	 * reference needs it */
	static const char list_sql[] =
		"SELECT 'ALTER TABLE ' || quote_ident(?1) || ' ADD CONSTRAINT ' || quote_ident(conname)"
		"  || ' ' || pg_get_constraintdef(oid),"
		" 'ALTER TABLE ' || quote_ident(?1) || ' DROP CONSTRAINT ' || quote_ident(conname),"
		" CASE contype WHEN 'u' THEN 0 ELSE 2 END AS rank, conname AS name"
		" FROM pg_constraint WHERE conrelid = to_regclass(?1)"
		" AND (contype = 'u' OR contype = 'f' AND ?1 = 'sale' AND ?2 = 1)"
		" UNION ALL SELECT pg_get_indexdef(i.indexrelid), 'DROP INDEX ' || quote_ident(c.relname),"
		" 1, c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
		" WHERE i.indrelid = to_regclass(?1) AND NOT i.indisunique"
		" ORDER BY rank, name";
	char lock[96];
	snprintf(lock, sizeof lock, "LOCK TABLE %s IN ACCESS EXCLUSIVE MODE", table);
	struct st_q *q;
	enum qpc_rc rc = st_q_run(st, lock, "setting indexes aside for the import", e);
	/* the server sorts an index in memory up to this, then on disk */
	if (rc || (rc = st_q_run(st, "SET LOCAL maintenance_work_mem = '256MB'",
	                         "setting indexes aside for the import", e)) ||
	    (rc = st_q_prepare(st, &q, list_sql, e)))
		return rc;
	st_q_text(q, 1, table);
	/* a reference is dropped only when what it points to is the load's
	 * alone: dropping it takes the accounts (and categories) from
	 * readers too */
	st_q_int(q, 2, L->accounts);
	size_t first = L->naside;
	int r;
	while ((r = st_q_step(q)) == ST_ROW) {
		char **grown = realloc(L->aside, (L->naside + 1) * sizeof *grown);
		char **gone = realloc(L->drop, (L->naside + 1) * sizeof *gone);
		if (grown)
			L->aside = grown;
		if (gone)
			L->drop = gone;
		char *def = strdup(st_q_text_at(q, 0)), *drop = strdup(st_q_text_at(q, 1));
		if (!grown || !gone || !def || !drop) {
			free(def);
			free(drop);
			rc = qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
			break;
		}
		L->aside[L->naside] = def;
		L->drop[L->naside++] = drop;
	}
	if (!rc && r != ST_DONE)
		rc = st_q_fail(q, "listing the indexes to set aside", e);
	st_q_free(q);
	/* the references go first, then what they rest on */
	for (size_t i = L->naside; !rc && i-- > first;)
		rc = st_q_run(st, L->drop[i], "setting indexes aside for the import", e);
	return rc;
}

/* Builds again what was set aside whose definition holds what (all:
 * NULL), in the order it was listed. */
static enum qpc_rc restore(struct qpc_store *st, struct st_load *L, const char *what,
                           struct qpc_error *e)
{
	enum qpc_rc rc = QPC_OK;
	for (size_t i = 0; i < L->naside && !rc; i++) {
		char *def = L->aside[i];
		if (!def || (what && !strstr(def, what)))
			continue;
		bool keys = strstr(def, "UNIQUE (source_key)") != NULL;
		const char *doing = strstr(def, "(external_id)") ? "checking the accounts' ids"
		                    : strstr(def, "ALTER TABLE")   ? "checking the sales lines"
		                                                   : "building the indexes";
		if (!what)
			st_finishing(st, doing);
		struct st_q *q;
		if ((rc = st_q_prepare(st, &q, def, e)))
			break;
		int step = st_q_step(q);
		if (keys && step == ST_CONSTRAINT)
			/* a line id that reads as another's second occurrence ("A"
			 * twice and "A#2"), as on a file */
			rc = qpc_error_set(e, QPC_ERR_DATA,
			                   "two sales lines of the file have the same key once numbered"
			                   " (a line id such as 'A#2' beside two lines 'A'); nothing was"
			                   " imported");
		else if (step != ST_DONE && step != ST_ROW)
			rc = st_q_fail(q, doing, e);
		st_q_free(q);
		free(def);
		L->aside[i] = NULL;
	}
	return rc;
}

enum qpc_rc st_load_names(struct qpc_store *st, struct qpc_error *e)
{
	enum qpc_rc rc = st_load_settle(st, e);
	return rc || !st->load ? rc : restore(st, st->load, "(name_key", e);
}

/* Takes the accounts, their sales and the facts their status spans are
 * made of from other writers; one who holds them (an import, or a change
 * under way) is waited for, and that is said.  Readers read on.  A writer
 * of QPC lines or contracts beside the import would otherwise race it,
 * and the server would roll one of them back: the import, which is not
 * run again.  The server's own upkeep (autovacuum, which often follows an
 * import) also holds them, and gives way to a waiting writer within its
 * deadlock timeout, a second by default: that short wait is not worth a
 * word.  A writer that holds one of the tables and wants another the
 * import holds makes a deadlock, which the server breaks by rolling back
 * one of the two: when that is the import, it takes the locks again.
 *
 * Each of these tables has a trigger that notes each row written for the
 * dashboards (pg.c, CHANGE_NOTICE): an import tells them once, and its
 * rows are not noted (qpc.bulk).  For the import the triggers are off
 * too (notes_on), so that the server does not even ask, row by row,
 * whether they are (a million accounts' COPY: 2.5 s with the question,
 * 2.2 s without).  On again before it commits; a rollback has them on. */
#define RESERVE_TRIES 20
static const char *const reserved[] = { "account", "sale", "potential", "qpc_fact", "contract",
	                                "account_figure", "status_span" };
#define NRESERVED (sizeof reserved / sizeof *reserved)

static enum qpc_rc reserve(struct qpc_store *st, struct qpc_error *e)
{
	char lock[200];
	size_t len = (size_t)snprintf(lock, sizeof lock, "LOCK TABLE");
	for (size_t i = 0; i < NRESERVED; i++)
		len += (size_t)snprintf(lock + len, sizeof lock - len, "%s %s", i ? "," : "",
		                        reserved[i]);
	snprintf(lock + len, sizeof lock - len, " IN SHARE ROW EXCLUSIVE MODE");
	const char *doing = "reserving the accounts for the import";
	struct qpc_error busy = { 0 };
	enum qpc_rc rc = st_q_run(st, "SAVEPOINT qpc_reserve", doing, e);
	if (rc)
		return rc;
	if ((rc = st_q_run(st, "SET LOCAL lock_timeout = '1500ms'", doing, e)))
		return rc;
	if ((rc = st_q_run(st, lock, doing, &busy)) == QPC_ERR_BUSY) {
		st_waiting("another import or change to the accounts is under way on the team "
		           "server; waiting for it");
		/* no timeout now: only a deadlock ends the wait */
		for (int tries = 0; rc == QPC_ERR_BUSY && tries < RESERVE_TRIES; tries++)
			if (!(rc = st_q_run(st, "ROLLBACK TO SAVEPOINT qpc_reserve", doing, e)))
				rc = st_q_run(st, lock, doing, e);
	} else if (rc) {
		if (e)
			*e = busy;
	}
	/* (the timeout was the savepoint's: rolled back, or set back here) */
	if (!rc)
		rc = st_q_run(st, "SET LOCAL lock_timeout = DEFAULT", doing, e);
	return rc ? rc : st_q_run(st, "RELEASE SAVEPOINT qpc_reserve", doing, e);
}

/* The reserved tables' triggers that note rows, on or off (above). */
static enum qpc_rc notes_on(struct qpc_store *st, bool on, struct qpc_error *e)
{
	enum qpc_rc rc = QPC_OK;
	char sql[96];
	for (size_t i = 0; !rc && i < NRESERVED; i++) {
		snprintf(sql, sizeof sql, "ALTER TABLE %s %s TRIGGER changed", reserved[i],
		         on ? "ENABLE" : "DISABLE");
		rc = st_q_run(st, sql, on ? "finishing the import" : "starting the import", e);
	}
	return rc;
}

enum qpc_rc st_load_begin(struct qpc_store *st, struct qpc_error *e)
{
	/* other writers of accounts and sales wait till the import commits;
	 * readers read on, the rows as they were */
	int64_t no_accounts = 0, no_sales = 0;
	enum qpc_rc rc = reserve(st, e);
	/* the dashboards listening read every account again after it, told
	 * so once at its commit, not of each row (pg.c, CHANGE_NOTICE) */
	if (rc || (rc = st_q_run(st, "SET LOCAL qpc.bulk = 'on'", "starting the import", e)) ||
	    (rc = st_q_run(st, "SELECT pg_notify('qpc_change', '*')", "starting the import", e)) ||
	    (rc = notes_on(st, false, e)) ||
	    (rc = st_int(st, &no_accounts, 0, "reading what the server holds",
	                 "SELECT NOT EXISTS (SELECT 1 FROM account)", NULL, 0, e)) ||
	    (rc = st_int(st, &no_sales, 0, "reading what the server holds",
	                 "SELECT NOT EXISTS (SELECT 1 FROM sale)", NULL, 0, e)))
		return rc;
	struct st_load *L = st->load = calloc(1, sizeof *st->load);
	if (!L)
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	st->bulk = L->accounts = no_accounts != 0;
	st->sale_bulk = L->sales = no_sales != 0;
	L->merge = !L->sales;
	return no_accounts ? set_aside(st, L, "account", e) : QPC_OK;
}

static enum qpc_rc put_account(struct qpc_store *st, struct st_load *L, int64_t id,
                               const struct qpc_account_rec *r, struct qpc_error *e)
{
	char at[32];
	st_now_iso(st, at);
	char buf[512], *key = st_name_key(r->name, buf, sizeof buf);
	if (!key)
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	enum qpc_rc rc;
	(void)((rc = put_int(st, L, true, id, e)) ||
	       (rc = put_text(st, L, r->external_id, '\t', e)) ||
	       (rc = put_text(st, L, r->name, '\t', e)) ||
	       (rc = put_text(st, L, r->owner ? r->owner : "", '\t', e)) ||
	       (rc = put_text(st, L, r->segment ? r->segment : "", '\t', e)) ||
	       (rc = put_text(st, L, r->city ? r->city : "", '\t', e)) ||
	       (rc = put_text(st, L, r->country ? r->country : "", '\t', e)) ||
	       (rc = put_text(st, L, r->notes ? r->notes : "", '\t', e)) ||
	       (rc = put_int(st, L, r->has_employees, r->employees, e)) ||
	       (rc = put_int(st, L, r->has_annual_revenue, r->annual_revenue, e)) ||
	       (rc = put_int(st, L, true, r->contract_partner, e)) ||
	       (rc = put_int(st, L, r->has_contract_value, r->contract_value, e)) ||
	       (rc = put_int(st, L, r->has_rep_share, r->rep_share_bp, e)) ||
	       (rc = put_int(st, L, r->has_cost_to_serve, r->cost_to_serve, e)) ||
	       (rc = put_int(st, L, r->has_account_figure, r->account_sales_12m, e)) ||
	       (rc = put_int(st, L, r->has_account_gp, r->account_gp_12m, e)) ||
	       (rc = put_text(st, L, at, '\t', e)) || (rc = put_text(st, L, at, '\t', e)) ||
	       (rc = put_text(st, L, key, '\n', e)));
	if (key != buf)
		free(key);
	return rc;
}

/* Keeps a streamed account's facts for the end. */
static enum qpc_rc keep_facts(struct st_load *L, int64_t id, const struct qpc_account_rec *r,
                              struct qpc_error *e)
{
	if (!r->contract_partner && !r->has_contract_signed && !r->has_account_figure)
		return QPC_OK;
	struct put_off p = { .id = id, .facts_on = r->facts_on, .signed_on = r->contract_signed,
		             .ends_on = r->contract_ends, .contract_value = r->contract_value,
		             .sales = r->account_sales_12m, .gp = r->account_gp_12m,
		             .partner = r->contract_partner, .has_value = r->has_contract_value,
		             .has_sales = r->has_account_figure, .has_gp = r->has_account_gp,
		             .has_signed = r->has_contract_signed, .has_ends = r->has_contract_ends };
	if (!L->put_off && !(L->put_off = tmpfile()))
		return qpc_error_set(e, QPC_ERR_IO, "cannot make a temporary file for the import: %s",
		                     strerror(errno));
	if (fwrite(&p, sizeof p, 1, L->put_off) != 1)
		return qpc_error_set(e, QPC_ERR_IO, "writing the import's temporary file: %s",
		                     strerror(errno));
	L->nput_off++;
	return QPC_OK;
}

/* Streams r as a new account (*streamed), unless the load has streamed
 * its external id before. */
static enum qpc_rc stream(struct qpc_store *st, struct st_load *L,
                          const struct qpc_account_rec *r, int64_t *id, bool *streamed,
                          struct qpc_error *e)
{
	*streamed = false;
	if (L->off || !r->name || !*r->name)
		return QPC_OK;
	int before = streamed_before(L, r->external_id, st_id_hash(r->external_id));
	if (before > 0)
		return QPC_OK; /* the file names it again, or a false alarm: looked up */
	if (before < 0) {
		L->off = true;
		return QPC_OK;
	}
	enum qpc_rc rc;
	if (!L->streaming) {
		/* the sequence's next value: the stream's first id */
		if ((rc = st_int(st, &L->next_id, 0, "numbering the new accounts",
		                 "SELECT nextval(pg_get_serial_sequence('account', 'id'))", NULL, 0,
		                 e)) ||
		    (rc = st_pg_copy_begin(st, copy_sql, streaming, e)))
			return rc;
		L->streaming = true;
	}
	int64_t new_id = L->next_id;
	if ((rc = put_account(st, L, new_id, r, e)) || (rc = keep_facts(L, new_id, r, e)) ||
	    (rc = st_touch(st, new_id, e)))
		return rc;
	L->next_id++;
	if (id)
		*id = new_id;
	*streamed = true;
	return QPC_OK;
}

enum qpc_rc st_load_account(struct qpc_store *st, const struct qpc_account_rec *r, int64_t *id,
                            bool *streamed, struct qpc_error *e)
{
	*streamed = false;
	return st->load && st->load->accounts ? stream(st, st->load, r, id, streamed, e) : QPC_OK;
}

enum qpc_rc st_load_settle(struct qpc_store *st, struct qpc_error *e)
{
	struct st_load *L = st->load;
	if (!L || !L->streaming)
		return QPC_OK;
	L->streaming = false;
	enum qpc_rc rc = st_copy_flush(st, &L->out, streaming, e);
	enum qpc_rc end = st_pg_copy_end(st, streaming, e);
	if (rc || (rc = end))
		return rc;
	/* the sequence goes on after the streamed ids */
	struct st_q *q;
	if ((rc = st_q_prepare(st, &q,
	                       "SELECT setval(pg_get_serial_sequence('account', 'id'), ?1)", e)))
		return rc;
	st_q_int(q, 1, L->next_id - 1);
	rc = st_q_done(q, "numbering the new accounts", e);
	st_q_free(q);
	/* what comes next may look an account up by its external id */
	return rc ? rc : restore(st, L, "UNIQUE (external_id)", e);
}

/* --- the accounts rows name ------------------------------------------- */

static uint64_t ref_hash(const char *kind, const char *key)
{
	uint64_t h = st_id_hash(key);
	return (h ^ (uint64_t)(unsigned char)*kind * 0x9e3779b97f4a7c15u) | 1;
}

static bool ref_is(const struct st_load *L, const struct ref *r, const char *kind,
                   const char *key)
{
	const char *k = L->arena + r->off;
	return *k == *kind && strcmp(k + 1, key) == 0;
}

static struct ref *ref_slot(struct st_load *L, uint64_t h, const char *kind, const char *key)
{
	size_t i = (size_t)h & (L->refcap - 1);
	while (L->refs[i].h && !(L->refs[i].h == h && ref_is(L, &L->refs[i], kind, key)))
		i = (i + 1) & (L->refcap - 1);
	return &L->refs[i];
}

static bool ref_find(struct st_load *L, const char *kind, const char *key, int64_t *id)
{
	if (!L->refcap)
		return false;
	struct ref *r = ref_slot(L, ref_hash(kind, key), kind, key);
	if (r->h)
		*id = r->id;
	return r->h != 0;
}

/* Keeps what a key is, while there is room. */
static void ref_keep(struct st_load *L, const char *kind, const char *key, int64_t id)
{
	size_t len = strlen(key) + 2;
	if (4 * (L->nrefs + 1) > 3 * L->refcap) {
		size_t cap = L->refcap ? 2 * L->refcap : 4096;
		struct ref *grown = cap <= REF_SLOTS_MAX ? calloc(cap, sizeof *grown) : NULL;
		if (!grown) {
			L->lost = true;
			return;
		}
		struct ref *old = L->refs;
		size_t oldcap = L->refcap;
		L->refs = grown;
		L->refcap = cap;
		for (size_t i = 0; i < oldcap; i++)
			if (old[i].h) {
				const char *k = L->arena + old[i].off;
				*ref_slot(L, old[i].h, k, k + 1) = old[i];
			}
		free(old);
	}
	if (L->arena_len + len > L->arena_cap) {
		size_t cap = L->arena_cap ? 2 * L->arena_cap : (size_t)64 * 1024;
		while (cap < L->arena_len + len)
			cap *= 2;
		char *grown = cap <= REF_ARENA_MAX ? realloc(L->arena, cap) : NULL;
		if (!grown) {
			L->lost = true;
			return;
		}
		L->arena = grown;
		L->arena_cap = cap;
	}
	uint64_t h = ref_hash(kind, key);
	struct ref *r = ref_slot(L, h, kind, key);
	if (r->h)
		return;
	r->h = h;
	r->id = id;
	r->off = L->arena_len;
	L->arena[L->arena_len] = *kind;
	memcpy(L->arena + L->arena_len + 1, key, len - 1);
	L->arena_len += len;
	L->nrefs++;
}

bool st_load_category(struct qpc_store *st, const char *name, int64_t *id)
{
	return st->load && ref_find(st->load, "c", name, id);
}

void st_load_category_found(struct qpc_store *st, const char *name, int64_t id)
{
	if (st->load)
		ref_keep(st->load, "c", name, id);
}

/* A row naming an account the load does not know costs a round trip to
 * find it (some 40 µs); reading every account's external id and id costs
 * about 1 µs an account.  After 1,024 such rows, and each time their
 * number doubles, the ids are all read at once if there are at most 64
 * accounts for each such row so far: then reading them costs at most
 * about what the lookups have cost already.  A sales file naming a
 * hundred thousand customers of a server's million accounts looks up
 * 16,384 and finds the rest in memory.  Once every id is known, one the
 * load does not know is a new account, streamed rather than made row by
 * row (st_load_ref).  (What the load keeps of them is bounded,
 * REF_SLOTS_MAX and REF_ARENA_MAX: past that, the rest are looked up.) */
#define PRELOAD_FIRST 1024
#define PRELOAD_PER_MISS 64

static enum qpc_rc preload(struct qpc_store *st, struct st_load *L, struct qpc_error *e)
{
	const char *doing = "reading the accounts' ids";
	if (L->preloaded || ++L->misses < (L->misses_due ? L->misses_due : PRELOAD_FIRST))
		return QPC_OK;
	L->misses_due = 2 * L->misses;
	int64_t n = 0, most = (int64_t)(PRELOAD_PER_MISS * L->misses);
	enum qpc_rc rc = st_int(st, &n, 0, doing,
	                        "SELECT count(*) FROM (SELECT 1 FROM account LIMIT ?1) AS a",
	                        (int64_t[]){ most + 1 }, 1, e);
	if (rc || n > most)
		return rc;
	L->preloaded = true;
	struct st_q *q;
	if ((rc = st_q_prepare(st, &q,
	                       "SELECT external_id, id FROM account WHERE external_id IS DISTINCT FROM ''",
	                       e)))
		return rc;
	st_q_stream(q);
	int step;
	while ((step = st_q_step(q)) == ST_ROW)
		if (st_q_null_at(q, 0))
			L->unkeyed = true;
		else
			ref_keep(L, "i", st_q_text_at(q, 0), st_q_int_at(q, 1));
	if (step != ST_DONE)
		rc = st_q_fail(q, doing, e);
	st_q_free(q);
	return rc;
}

enum qpc_rc st_load_ref(struct qpc_store *st, const char *ext, const char *name, int64_t *id,
                        bool *created, bool *done, struct qpc_error *e)
{
	struct st_load *L = st->load;
	*done = *created = false;
	/* by external id only: a name may come to be shared by an account a
	 * later row makes, and is then ambiguous, as on a file */
	if (!L || !ext || !*ext)
		return QPC_OK;
	if (ref_find(L, "i", ext, id)) {
		*done = true;
		return QPC_OK;
	}
	/* (streamed accounts are all kept here as they are made) */
	enum qpc_rc rc = L->accounts ? QPC_OK : preload(st, L, e);
	if (rc)
		return rc;
	if (L->preloaded && ref_find(L, "i", ext, id)) {
		*done = true;
		return QPC_OK;
	}
	/* New, and streamed, when nothing else can be it: into a table that
	 * was empty, unless an id-less row has made an account its name may
	 * find; into one that was not, once the load knows every account's
	 * external id and there is no account without one (a row finds such
	 * an account by its name).  Else the caller looks it up. */
	if (L->accounts ? st->bulk_unkeyed : !L->preloaded || L->lost || L->unkeyed)
		return QPC_OK;
	struct qpc_account_rec r = { .external_id = ext, .name = name && *name ? name : ext };
	rc = stream(st, L, &r, id, done, e);
	if (!rc && *done) {
		*created = true;
		ref_keep(L, "i", ext, *id);
	}
	return rc;
}

void st_load_ref_found(struct qpc_store *st, const char *ext, int64_t id)
{
	if (st->load && ext && *ext)
		ref_keep(st->load, "i", ext, id);
}

void st_load_made(struct qpc_store *st, const char *ext, int64_t id)
{
	struct st_load *L = st->load;
	if (!L)
		return;
	if (!ext || !*ext)
		L->unkeyed = true;
	else if (L->preloaded) /* (before it, the preload reads it) */
		ref_keep(L, "i", ext, id);
}

/* --- sales lines ------------------------------------------------------------- */

/* A line's row for COPY into sale_load: its fields, then its key's stem
 * and whether the stem is the file's own line id. */
enum qpc_rc st_load_sale(struct qpc_store *st, const struct qpc_sale_rec *r, const char *stem,
                         bool verbatim, bool *done, struct qpc_error *e)
{
	struct st_load *L = st->load;
	*done = false;
	if (!L || !(L->sales || L->merge))
		return QPC_OK;
	/* the sales table's indexes and checks go aside at the first line:
	 * not for a load of accounts only, nor into a table with lines */
	enum qpc_rc rc;
	if (!L->lines) {
		if (!(L->lines = tmpfile()))
			return qpc_error_set(e, QPC_ERR_IO,
			                     "cannot make a temporary file for the import: %s",
			                     strerror(errno));
		if ((rc = st_load_settle(st, e)) || (L->sales && (rc = set_aside(st, L, "sale", e))))
			return rc;
	}
	char date[QPC_DATE_ISO_LEN];
	qpc_date_format(r->date, date);
	/* the stem may hold any byte of the file's line id: escaped as COPY
	 * reads it back */
	fprintf(L->lines, "%lld\t%s\t", (long long)r->account_id, date);
	if (r->category_id > 0)
		fprintf(L->lines, "%lld\t", (long long)r->category_id);
	else
		fputs("\\N\t", L->lines);
	fprintf(L->lines, "%lld\t", (long long)r->amount);
	if (r->has_gp)
		fprintf(L->lines, "%lld\t", (long long)r->gross_profit);
	else
		fputs("\\N\t", L->lines);
	for (const char *p = stem; *p; p++) {
		char x = st_copy_escape(*p);
		if (x)
			putc('\\', L->lines);
		putc(x ? x : *p, L->lines);
	}
	fprintf(L->lines, "\t%c\t%zu\n", verbatim ? 't' : 'f', L->nlines);
	if (ferror(L->lines))
		return qpc_error_set(e, QPC_ERR_IO, "writing the import's temporary file: %s",
		                     strerror(errno));
	L->nlines++;
	*done = true;
	/* (a merged line touches its accounts only if it changes: merge()) */
	return L->sales ? st_touch(st, r->account_id, e) : QPC_OK;
}

/* The lines put off go to the server in one COPY, into sale_load, and
 * are keyed there as row by row would key them: the n-th line of a stem
 * in the file is stem#n, the first of a verbatim line id the id itself.
 * (The lines are counted once, the few that share a stem numbered.) */
#define KEYED_LINES_SQL                                                                       \
	"SELECT l.seq, account_id, date, category_id, amount, gross_profit,"                  \
	" CASE WHEN coalesce(d.n, 1) = 1 AND verbatim THEN stem"                              \
	" ELSE stem || '#' || coalesce(d.n, 1) END AS key"                                    \
	" FROM sale_load l LEFT JOIN (SELECT seq AS dseq, row_number() OVER"                  \
	" (PARTITION BY stem ORDER BY seq) AS n FROM sale_load WHERE stem IN"                 \
	" (SELECT stem FROM sale_load GROUP BY stem HAVING count(*) > 1)) AS d ON d.dseq = l.seq"

static enum qpc_rc stage_lines(struct qpc_store *st, struct st_load *L, struct qpc_error *e)
{
	static const char stage_sql[] =
		"CREATE TEMP TABLE sale_load (account_id bigint, date text, category_id bigint,"
		" amount bigint, gross_profit bigint, stem text COLLATE \"C\", verbatim boolean,"
		" seq bigint) ON COMMIT DROP";
	st_finishing(st, "storing the sales lines");
	/* (the stems sort as bytes, as the keys they make do (pg.c): the
	 * lines are numbered in that order, never shown in it; a table of
	 * lines the server has not sampled is taken for one of millions, and
	 * joined to the sales table as such; and compiling a query to machine
	 * code costs it more than it saves here) */
	const char *doing = "storing the sales lines";
	enum qpc_rc rc = st_q_run(st, stage_sql, doing, e);
	if (!rc)
		rc = st_pg_copy_file(st, L->lines, "COPY sale_load FROM STDIN", doing, e);
	fclose(L->lines);
	L->lines = NULL;
	if (!rc)
		rc = st_q_run(st, "ANALYZE sale_load", doing, e);
	return rc ? rc : st_q_run(st, "SET LOCAL jit = off", doing, e);
}

/* Into an empty sales table every key is new. */
static enum qpc_rc write_lines(struct qpc_store *st, struct st_load *L, struct qpc_error *e)
{
	static const char insert_sql[] =
		"INSERT INTO sale (account_id, date, category_id, amount, gross_profit, source_key)"
		" SELECT account_id, date, category_id, amount, gross_profit, key"
		" FROM (" KEYED_LINES_SQL ") AS k ORDER BY seq";
	if (!L->lines)
		return QPC_OK;
	enum qpc_rc rc = stage_lines(st, L, e);
	/* (the keys' uniqueness is set aside: restore() checks it) */
	return rc ? rc : st_q_run(st, insert_sql, "storing the sales lines", e);
}

/* Into a table that holds lines, each line is what row by row would make
 * of it: new when its key is neither stored nor met before in the file,
 * else unchanged or an update of what came before it (the stored line,
 * or the file's earlier line of the same key).  Then each key is stored
 * as its last line has it, new keys in the order the file first names
 * them.  The accounts of every new or changed line are touched, and an
 * updated line's account before it, as row by row. */
static enum qpc_rc merge(struct qpc_store *st, struct st_load *L, uint64_t moved[2],
                         struct qpc_error *e)
{
	static const char keyed_sql[] =
		"CREATE TEMP TABLE sale_keyed ON COMMIT DROP AS " KEYED_LINES_SQL;
	static const char step_sql[] =
		"CREATE TEMP TABLE sale_step ON COMMIT DROP AS"
		" SELECT k.*, s.id AS sid, prev IS NULL AND s.id IS NULL AS created,"
		" CASE WHEN prev IS NOT NULL THEN prev_account ELSE s.account_id END AS was_account,"
		" CASE WHEN prev IS NOT NULL THEN prev_account = k.account_id AND prev_date = k.date"
		"   AND prev_category IS NOT DISTINCT FROM k.category_id AND prev_amount = k.amount"
		"   AND prev_gp IS NOT DISTINCT FROM k.gross_profit"
		" ELSE s.account_id = k.account_id AND s.date = k.date"
		"   AND s.category_id IS NOT DISTINCT FROM k.category_id AND s.amount = k.amount"
		"   AND s.gross_profit IS NOT DISTINCT FROM k.gross_profit END AS same"
		" FROM (SELECT k.*, lag(seq) OVER w AS prev, lag(account_id) OVER w AS prev_account,"
		"   lag(date) OVER w AS prev_date, lag(category_id) OVER w AS prev_category,"
		"   lag(amount) OVER w AS prev_amount, lag(gross_profit) OVER w AS prev_gp,"
		"   first_value(seq) OVER w AS first_seq,"
		"   lead(seq) OVER w IS NULL AS last"
		"   FROM sale_keyed k WINDOW w AS (PARTITION BY key ORDER BY seq)) AS k"
		" LEFT JOIN sale s ON s.source_key = k.key";
	static const char count_sql[] =
		"SELECT count(*) FILTER (WHERE NOT created AND NOT same),"
		" count(*) FILTER (WHERE NOT created AND same) FROM sale_step";
	static const char touch_sql[] =
		"SELECT account_id FROM sale_step WHERE created OR NOT same"
		" UNION SELECT was_account FROM sale_step WHERE NOT created AND NOT same"
		" ORDER BY 1";
	static const char insert_sql[] =
		"INSERT INTO sale (account_id, date, category_id, amount, gross_profit, source_key)"
		" SELECT account_id, date, category_id, amount, gross_profit, key FROM sale_step"
		" WHERE last AND sid IS NULL ORDER BY first_seq";
	static const char update_sql[] =
		"UPDATE sale s SET account_id = t.account_id, date = t.date,"
		" category_id = t.category_id, amount = t.amount, gross_profit = t.gross_profit"
		" FROM sale_step t WHERE t.last AND t.sid = s.id AND (s.account_id <> t.account_id"
		" OR s.date <> t.date OR s.category_id IS DISTINCT FROM t.category_id"
		" OR s.amount <> t.amount OR s.gross_profit IS DISTINCT FROM t.gross_profit)";
	const char *doing = "storing the sales lines";
	enum qpc_rc rc = stage_lines(st, L, e);
	if (rc || (rc = st_q_run(st, keyed_sql, doing, e)) ||
	    (rc = st_q_run(st, "ANALYZE sale_keyed", doing, e)) ||
	    (rc = st_q_run(st, step_sql, doing, e)) ||
	    (rc = st_q_run(st, "ANALYZE sale_step", doing, e)))
		return rc;
	struct st_q *q;
	if ((rc = st_q_prepare(st, &q, count_sql, e)))
		return rc;
	if (st_q_step(q) == ST_ROW) {
		moved[0] = (uint64_t)st_q_int_at(q, 0);
		moved[1] = (uint64_t)st_q_int_at(q, 1);
	} else {
		rc = st_q_fail(q, doing, e);
	}
	st_q_free(q);
	if (rc || (rc = st_q_prepare(st, &q, touch_sql, e)))
		return rc;
	int step;
	while (!rc && (step = st_q_step(q)) == ST_ROW)
		rc = st_touch(st, st_q_int_at(q, 0), e);
	if (!rc && step != ST_DONE)
		rc = st_q_fail(q, doing, e);
	st_q_free(q);
	if (!rc)
		rc = st_q_run(st, insert_sql, doing, e);
	return rc ? rc : st_q_run(st, update_sql, doing, e);
}

enum qpc_rc st_load_lines(struct qpc_store *st, uint64_t outcome[QPC_OUTCOMES],
                          struct qpc_error *e)
{
	struct st_load *L = st->load;
	enum qpc_rc rc = st_load_facts(st, e);
	if (rc || !L || !L->merge || !L->lines)
		return rc;
	st->finish.step = 0;
	st->finish.steps = 1;
	uint64_t moved[2] = { 0, 0 };
	if ((rc = merge(st, L, moved, e)))
		return rc;
	/* each line was counted as new when it came */
	outcome[QPC_CREATED] -= moved[0] + moved[1];
	outcome[QPC_UPDATED] += moved[0];
	outcome[QPC_UNCHANGED] += moved[1];
	return QPC_OK;
}

/* The facts the stream put off, through the functions every new account
 * goes through. */
static enum qpc_rc write_put_off(struct qpc_store *st, struct st_load *L, struct qpc_error *e)
{
	if (!L->put_off)
		return QPC_OK;
	if (fflush(L->put_off) != 0 || fseek(L->put_off, 0, SEEK_SET) != 0)
		return qpc_error_set(e, QPC_ERR_IO, "reading the import's temporary file: %s",
		                     strerror(errno));
	st_finishing(st, "recording the accounts' contracts and figures");
	struct put_off p;
	enum qpc_rc rc = QPC_OK;
	for (size_t i = 0; i < L->nput_off && !rc; i++) {
		if (fread(&p, sizeof p, 1, L->put_off) != 1)
			return qpc_error_set(e, QPC_ERR_IO, "reading the import's temporary file: %s",
			                     ferror(L->put_off) ? strerror(errno) : "cut short");
		struct qpc_account_rec r = { .contract_partner = p.partner,
			                     .has_contract_value = p.has_value,
			                     .contract_value = p.contract_value,
			                     .has_account_figure = p.has_sales,
			                     .account_sales_12m = p.sales, .has_account_gp = p.has_gp,
			                     .account_gp_12m = p.gp, .facts_on = p.facts_on,
			                     .has_contract_signed = p.has_signed,
			                     .contract_signed = p.signed_on,
			                     .has_contract_ends = p.has_ends, .contract_ends = p.ends_on };
		rc = st_account_added(st, p.id, &r, e);
	}
	return rc;
}

enum qpc_rc st_load_facts(struct qpc_store *st, struct qpc_error *e)
{
	struct st_load *L = st->load;
	enum qpc_rc rc = st_load_settle(st, e);
	if (rc || !L || !L->nput_off)
		return rc;
	if ((rc = write_put_off(st, L, e)))
		return rc;
	/* written: the file starts again empty */
	L->nput_off = 0;
	if (fseek(L->put_off, 0, SEEK_SET) != 0 || ftruncate(fileno(L->put_off), 0) != 0)
		return qpc_error_set(e, QPC_ERR_IO, "the import's temporary file: %s",
		                     strerror(errno));
	return QPC_OK;
}

enum qpc_rc st_load_end(struct qpc_store *st, bool commit, struct qpc_error *e)
{
	struct st_load *L = st->load;
	enum qpc_rc rc = QPC_OK;
	if (!L)
		return QPC_OK;
	if (commit && !(rc = st_load_settle(st, e))) {
		st->finish.step = 0;
		st->finish.steps = 1 + (L->nput_off > 0) + (L->lines != NULL);
		for (size_t i = 0; i < L->naside; i++)
			st->finish.steps += L->aside[i] != NULL;
		if (!(rc = write_put_off(st, L, e)) &&
		    !(rc = L->merge && L->lines ? merge(st, L, (uint64_t[2]){ 0, 0 }, e)
		                                : write_lines(st, L, e)) &&
		    !(rc = restore(st, L, NULL, e)))
			rc = notes_on(st, true, e);
		st_finishing(st, "making the accounts' status history");
	} else if (L->streaming) {
		/* abandoned: the server drops the rows, the change rolls back */
		st_pg_copy_abandon(st);
	}
	if (L->put_off)
		fclose(L->put_off);
	if (L->lines)
		fclose(L->lines);
	free(L->refs);
	free(L->arena);
	for (size_t i = 0; i < L->naside; i++) {
		free(L->aside[i]);
		free(L->drop[i]);
	}
	free(L->aside);
	free(L->drop);
	free(L->seen);
	free(L);
	st->load = NULL;
	return rc;
}
