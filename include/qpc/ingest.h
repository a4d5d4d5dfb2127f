/* ingest.h — the store's side of imports: upserts that say what they did.
 *
 * An import runs between qpc_ingest_begin() and qpc_ingest_end(): one
 * transaction, so it commits whole or leaves the database as it was.
 * Importing the same rows twice changes nothing the second time.
 */
#ifndef QPC_INGEST_H
#define QPC_INGEST_H

#include <stdbool.h>
#include <stdint.h>

#include "qpc/error.h"
#include "qpc/store.h"

enum qpc_outcome {
	QPC_CREATED = 0,
	QPC_UPDATED,
	QPC_UNCHANGED,
	QPC_OUTCOMES
};

/* Which optional fields of a qpc_account_rec a file carries; the others
 * keep their stored values.  The name always counts. */
enum qpc_account_fields {
	QPC_AF_OWNER = 1 << 0,
	QPC_AF_SEGMENT = 1 << 1,
	QPC_AF_CITY = 1 << 2,
	QPC_AF_COUNTRY = 1 << 3,
	QPC_AF_NOTES = 1 << 4,
	QPC_AF_EMPLOYEES = 1 << 5,
	QPC_AF_REVENUE = 1 << 6,
	QPC_AF_CONTRACT = 1 << 7,
	QPC_AF_CONTRACT_VALUE = 1 << 8,
	QPC_AF_REP_SHARE = 1 << 9,
	QPC_AF_COST = 1 << 10,
	QPC_AF_SALES_12M = 1 << 11,
	QPC_AF_GP_12M = 1 << 12,
	QPC_AF_CONTRACT_DATES = 1 << 13, /* contract_signed, contract_ends */
};

/* Loads of at least this many bytes into an empty account table run with
 * a rollback journal instead of the write-ahead log. */
#define QPC_INGEST_JOURNAL_BYTES ((uint64_t)8 << 20)

/* Starts the import's transaction; bytes is the size of the file to load
 * (0 when unknown).  Into an empty account table (bulk), secondary indexes
 * and triggers are set aside and rebuilt at the end, which costs a third
 * of keeping them up row by row; and a large load then writes through a
 * rollback journal, when no other connection is reading the file, and
 * returns to the write-ahead log at the end.  A failed large load leaves
 * every page as it was, but SQLite counts the two journal switches in the
 * file's header (its change counter). */
enum qpc_rc qpc_ingest_begin(struct qpc_store *st, uint64_t bytes, struct qpc_error *e);
/* Stores what the import put off and says what became of it: on a team
 * server every sales line waits for the end of the import, where it is
 * merged with the stored lines in one go; each was counted in outcome as
 * created when it came, and those found stored move to updated or
 * unchanged here.  Before the import decides to commit (a dry run too);
 * on a file there is nothing to do. */
enum qpc_rc qpc_ingest_settle(struct qpc_store *st, uint64_t outcome[QPC_OUTCOMES],
                              struct qpc_error *e);
/* A new sales line of the import, its key its own (unique in the load):
 * on a team server, into an empty sales table, it waits with the others
 * for one COPY at the end of the import; otherwise qpc_store_sale_add(). */
enum qpc_rc qpc_ingest_new_sale(struct qpc_store *st, const struct qpc_sale_rec *r,
                                struct qpc_error *e);
/* Commits (commit true) or rolls everything back. */
enum qpc_rc qpc_ingest_end(struct qpc_store *st, bool commit, struct qpc_error *e);

/* Whether the store would rather hear of the accounts the next rows name
 * before they come (qpc_ingest_expect): on a team server, into accounts
 * that were there, where each row's lookup is a round trip. */
bool qpc_ingest_looks_ahead(const struct qpc_store *st);
/* The external ids the next rows of an account import name, in one go
 * (at most QPC_INGEST_AHEAD of them; the rest are looked up as they
 * come): read in one statement, each then found by the row that names it
 * without asking again.  Replaces what the call before expected. */
#define QPC_INGEST_AHEAD 512
enum qpc_rc qpc_ingest_expect(struct qpc_store *st, const char *const *ext, size_t n,
                              struct qpc_error *e);

/* The end of a bulk load builds what its readers need (figures, sort
 * indexes, the search index, status changes): seconds at a million
 * accounts.  fn, if set, hears each step as it starts: step of steps (1
 * up), and what it does, a short phrase ("building the search index"). */
typedef void (*qpc_ingest_finish_fn)(void *ctx, int step, int steps, const char *what);
void qpc_ingest_on_finish(struct qpc_store *st, qpc_ingest_finish_fn fn, void *ctx);

/* Finds the account by external id (else by exact name when the record has
 * none; a name shared by several accounts is an error) and creates or
 * updates it.  An account known only by name adopts the external id the
 * first time a file brings one. */
enum qpc_rc qpc_ingest_account(struct qpc_store *st, const struct qpc_account_rec *r,
                               unsigned fields, int64_t *id, enum qpc_outcome *out,
                               struct qpc_error *e);

/* The account a sales or potential row names, created from its id and
 * name when unknown (*created says so). */
enum qpc_rc qpc_ingest_account_ref(struct qpc_store *st, const char *external_id,
                                   const char *name, int64_t *id, bool *created,
                                   struct qpc_error *e);

/* A sales line, keyed by its source key or its key base (one required). */
enum qpc_rc qpc_ingest_sale(struct qpc_store *st, const struct qpc_sale_rec *s,
                            enum qpc_outcome *out, struct qpc_error *e);

/* A QPC line, keyed by account and category. */
enum qpc_rc qpc_ingest_potential(struct qpc_store *st, const struct qpc_potential_rec *p,
                                 enum qpc_outcome *out, struct qpc_error *e);

/* How a CSV layout (kind + header row) was mapped last time, as text the
 * io layer writes and reads back; *mapping is NULL when unknown.  The
 * caller frees *mapping with free(). */
enum qpc_rc qpc_ingest_mapping_get(struct qpc_store *st, const char *kind, const char *header,
                                   char **mapping, struct qpc_error *e);
enum qpc_rc qpc_ingest_mapping_put(struct qpc_store *st, const char *kind, const char *header,
                                   const char *mapping, struct qpc_error *e);

#endif
