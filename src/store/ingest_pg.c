/* ingest_pg.c — an import on a team server: new accounts stream in.
 *
 * A row at a time an import costs the server a round trip per statement:
 * a million accounts, minutes.  Into an empty account table, where every
 * external id is new unless the file repeats it, the new accounts go to
 * the server as one COPY instead, at the speed of psql's \copy.  Their ids
 * are the load's own, taken from the table's sequence (no other writer can
 * add an account meanwhile: the import holds the table against writers,
 * readers go on), so the caller learns each id at once, as row by row.
 *
 * What a streamed row cannot do at once waits for the stream to end:
 *   - a row whose external id the load has streamed before (a set of the
 *     ids' 64-bit hashes says so; a false alarm only costs a lookup) is
 *     found and updated row by row, as on a file;
 *   - so is every row once one without an id has come (it may name an
 *     account by name that a later keyed row adopts);
 *   - a new account's dated facts (its contract, its CRM figure) are kept
 *     in a temporary file and written through the usual functions at the
 *     end: only the rows that carry them pay a round trip.
 * Any other statement first ends the stream (st_load_settle), which hands
 * the sequence back the ids the stream used.
 *
 * Memory: a 64 KiB block of rows, and 8 bytes per account for the set of
 * ids (at most twice that while it grows): 16 MiB at a million. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "qpc/ingest.h"

#define LOAD_BLOCK (64 * 1024)

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

struct st_load {
	char **aside;   /* CREATE INDEX statements of the indexes set aside */
	size_t naside;
	bool streaming; /* a COPY is open */
	bool off;       /* short of memory once: row by row from there */
	int64_t next_id; /* the id the next streamed account takes */
	uint64_t *seen;  /* hashes of the streamed external ids; 0 is free */
	size_t nseen, cap;
	FILE *put_off;   /* struct put_off, one per account with facts */
	size_t nput_off;
	size_t n;        /* bytes in block */
	char block[LOAD_BLOCK];
};

/* --- the set of streamed ids ------------------------------------------- */

static uint64_t id_hash(const char *s)
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

/* Adds h (not there); false when memory is short. */
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

/* --- rows in COPY's text format ------------------------------------------ */

static enum qpc_rc flush(struct qpc_store *st, struct st_load *L, struct qpc_error *e)
{
	enum qpc_rc rc = st_pg_copy_data(st, L->block, L->n, streaming, e);
	L->n = 0;
	return rc;
}

/* A field and what ends it (a tab, or the row's newline); NULL is \N.
 * Backslashes and the characters that end fields or rows are escaped. */
static enum qpc_rc put_text(struct qpc_store *st, struct st_load *L, const char *v, char end,
                            struct qpc_error *e)
{
	enum qpc_rc rc;
	for (const char *p = v ? v : ""; *p; p++) {
		if (L->n + 2 > sizeof L->block && (rc = flush(st, L, e)))
			return rc;
		char c = *p, x = c == '\\' ? '\\' : c == '\n' ? 'n' : c == '\r' ? 'r'
		                                  : c == '\t' ? 't' : 0;
		if (x) {
			L->block[L->n++] = '\\';
			c = x;
		}
		L->block[L->n++] = c;
	}
	if (L->n + 3 > sizeof L->block && (rc = flush(st, L, e)))
		return rc;
	if (!v) {
		L->block[L->n++] = '\\';
		L->block[L->n++] = 'N';
	}
	L->block[L->n++] = end;
	return QPC_OK;
}

static enum qpc_rc put_int(struct qpc_store *st, struct st_load *L, bool has, int64_t v,
                           struct qpc_error *e)
{
	char buf[24];
	snprintf(buf, sizeof buf, "%lld", (long long)v);
	return put_text(st, L, has ? buf : NULL, '\t', e);
}

/* --- the stream ---------------------------------------------------------- */

/* Into an empty table, the account's secondary indexes (its owners, its
 * names' order, the trigram search) are built once at the end rather than
 * kept up row by row: the search index alone costs a million rows twice
 * the time of their COPY that way.  Dropping them takes the table from
 * readers too until the import commits: they wait, on a table that was
 * empty.  The keys stay (the primary key, the external ids). */
static enum qpc_rc set_aside(struct qpc_store *st, struct st_load *L, struct qpc_error *e)
{
	static const char list_sql[] =
		"SELECT pg_get_indexdef(i.indexrelid), c.relname FROM pg_index i"
		" JOIN pg_class c ON c.oid = i.indexrelid"
		" WHERE i.indrelid = to_regclass('account') AND NOT i.indisunique"
		" ORDER BY c.relname";
	struct st_q *q;
	enum qpc_rc rc = st_q_run(st, "LOCK TABLE account IN ACCESS EXCLUSIVE MODE",
	                          "setting the accounts' indexes aside", e);
	if (rc || (rc = st_q_prepare(st, &q, list_sql, e)))
		return rc;
	char drop[512] = "DROP INDEX ";
	int r;
	while ((r = st_q_step(q)) == ST_ROW) {
		char **grown = realloc(L->aside, (L->naside + 1) * sizeof *grown);
		char *def = strdup(st_q_text_at(q, 0));
		if (!grown || !def) {
			free(def);
			if (grown)
				L->aside = grown;
			rc = qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
			break;
		}
		L->aside = grown;
		L->aside[L->naside++] = def;
		size_t n = strlen(drop);
		snprintf(drop + n, sizeof drop - n, "%s\"%s\"", n > 11 ? ", " : "",
		         st_q_text_at(q, 1));
	}
	if (!rc && r != ST_DONE)
		rc = st_q_fail(q, "listing the accounts' indexes", e);
	st_q_free(q);
	if (!rc && L->naside)
		rc = st_q_run(st, drop, "setting the accounts' indexes aside", e);
	return rc;
}

/* Builds the indexes set aside whose definition holds what (all: NULL). */
static enum qpc_rc restore(struct qpc_store *st, struct st_load *L, const char *what,
                           struct qpc_error *e)
{
	enum qpc_rc rc = QPC_OK;
	for (size_t i = 0; i < L->naside && !rc; i++) {
		if (!L->aside[i] || (what && !strstr(L->aside[i], what)))
			continue;
		if (!what)
			st_finishing(st, strstr(L->aside[i], "gin") ? "building the search index"
			                                             : "building the accounts' indexes");
		rc = st_q_run(st, L->aside[i], "building the accounts' indexes", e);
		free(L->aside[i]);
		L->aside[i] = NULL;
	}
	return rc;
}

enum qpc_rc st_load_names(struct qpc_store *st, struct qpc_error *e)
{
	enum qpc_rc rc = st_load_settle(st, e);
	return rc || !st->load ? rc : restore(st, st->load, "(name_key", e);
}

enum qpc_rc st_load_begin(struct qpc_store *st, struct qpc_error *e)
{
	struct st_q *q;
	/* other writers of accounts wait till the import commits; readers
	 * read on, the accounts as they were */
	enum qpc_rc rc = st_q_run(st, "LOCK TABLE account IN SHARE ROW EXCLUSIVE MODE",
	                          "reserving the accounts for the import", e);
	if (rc || (rc = st_q_prepare(st, &q, "SELECT NOT EXISTS (SELECT 1 FROM account)", e)))
		return rc;
	bool empty = false;
	if (st_q_step(q) == ST_ROW)
		empty = st_q_int_at(q, 0) != 0;
	else
		rc = st_q_fail(q, "counting the accounts", e);
	st_q_free(q);
	if (rc || !empty)
		return rc;
	if (!(st->load = calloc(1, sizeof *st->load)))
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	st->bulk = true;
	return set_aside(st, st->load, e);
}

/* The sequence's next value: the first id of a stream. */
static enum qpc_rc take_ids(struct qpc_store *st, int64_t *next, struct qpc_error *e)
{
	struct st_q *q;
	enum qpc_rc rc = st_q_prepare(st, &q, "SELECT nextval(pg_get_serial_sequence('account', 'id'))",
	                              e);
	if (rc)
		return rc;
	if (st_q_step(q) == ST_ROW)
		*next = st_q_int_at(q, 0);
	else
		rc = st_q_fail(q, "numbering the new accounts", e);
	st_q_free(q);
	return rc;
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

enum qpc_rc st_load_account(struct qpc_store *st, const struct qpc_account_rec *r, int64_t *id,
                            bool *streamed, struct qpc_error *e)
{
	struct st_load *L = st->load;
	*streamed = false;
	if (!L || L->off || !r->name || !*r->name)
		return QPC_OK;
	uint64_t h = id_hash(r->external_id);
	if (seen_has(L, h))
		return QPC_OK; /* the file names it again, or a false alarm: looked up */
	if (!seen_add(L, h)) {
		L->off = true;
		return QPC_OK;
	}
	enum qpc_rc rc;
	if (!L->streaming) {
		if ((rc = take_ids(st, &L->next_id, e)) ||
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

enum qpc_rc st_load_settle(struct qpc_store *st, struct qpc_error *e)
{
	struct st_load *L = st->load;
	if (!L || !L->streaming)
		return QPC_OK;
	L->streaming = false;
	enum qpc_rc rc = flush(st, L, e);
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
	return rc;
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

enum qpc_rc st_load_end(struct qpc_store *st, bool commit, struct qpc_error *e)
{
	struct st_load *L = st->load;
	enum qpc_rc rc = QPC_OK;
	if (!L)
		return QPC_OK;
	if (commit) {
		st->finish.step = 0;
		st->finish.steps = 1 + (L->nput_off > 0);
		for (size_t i = 0; i < L->naside; i++)
			st->finish.steps += L->aside[i] != NULL;
		/* the server sorts an index in memory up to this, then on disk */
		if (!(rc = st_load_settle(st, e)) && L->naside &&
		    !(rc = st_q_run(st, "SET LOCAL maintenance_work_mem = '256MB'",
		                    "building the accounts' indexes", e)))
			rc = restore(st, L, NULL, e);
		if (!rc)
			rc = write_put_off(st, L, e);
		st_finishing(st, "making the accounts' status history");
	} else if (L->streaming) {
		/* abandoned: the server drops the rows, the change rolls back */
		st_pg_copy_abandon(st);
	}
	if (L->put_off)
		fclose(L->put_off);
	for (size_t i = 0; i < L->naside; i++)
		free(L->aside[i]);
	free(L->aside);
	free(L->seen);
	free(L);
	st->load = NULL;
	return rc;
}
