/* browse_int.h — what the browse files share and nobody else sees. */
#ifndef QPC_STORE_BROWSE_INT_H
#define QPC_STORE_BROWSE_INT_H

#include "internal.h"
#include "qpc/browse.h"

struct qpc_browse {
	struct qpc_store *st;
	qpc_date as_of;
	char cutoff[QPC_DATE_ISO_LEN]; /* a QPC measured before this is stale */
	int small_set, budget;
	bool has_data_version;
	int64_t data_version;
	/* The last text looked up in the trigram index, and its matches (up
	 * to small_set + 1). */
	char fts_text[QPC_SEARCH_MAX];
	int64_t fts_n;
	bool fts_valid;
};

/* The columns every account row query reads, in this order, from an
 * account table named a; br_read_row() reads them back from column col0. */
#define BR_ROW_COLUMNS                                                                        \
	"a.id, a.external_id, a.name, a.owner, a.segment, a.qpc, a.sales_12m, a.gp_12m,"     \
	" a.untapped, a.status, a.contract_partner, a.qpc_measured_on, a.qpc_verified"
#define BR_ROW_NCOLUMNS 13

void br_read_row(const struct qpc_browse *b, sqlite3_stmt *s, int col0,
                 struct qpc_browse_row *r);
/* Copies src into dst (n bytes), cut at a character boundary with "…"
 * when it does not fit.  NULL copies as "". */
void br_copy(char *dst, size_t n, const char *src);
/* Copies column col of s with br_copy. */
void br_copy_column(char *dst, size_t n, sqlite3_stmt *s, int col);

/* Whether a row of the statement (read from col0 as BR_ROW_COLUMNS)
 * passes the filter; folded is the filter's text as br_fold() gives it. */
bool br_passes(const struct qpc_browse *b, const struct qpc_filter *f, const char *folded,
               sqlite3_stmt *s, int col0);
/* s folded to lower case, code point by code point, into out (n bytes);
 * false when it did not fit. */
bool br_fold(const char *s, char *out, size_t n);

/* Binds a value to a named parameter when the statement has it. */
void br_bind_text(sqlite3_stmt *s, const char *name, const char *v);
void br_bind_int(sqlite3_stmt *s, const char *name, int64_t v);

/* Matches of the filter's text in the trigram index, up to small_set + 1;
 * -1 when the text is too short for it. */
enum qpc_rc br_fts_count(struct qpc_browse *b, const char *text, int64_t *n,
                         struct qpc_error *e);
/* The trigram query for text: one quoted phrase. */
void br_fts_query(const char *text, char *out, size_t n);
/* Accounts matching owner, segment and status of f, from the tally. */
enum qpc_rc br_tally(struct qpc_browse *b, const char *owner, const char *segment, int status,
                     int64_t *n, struct qpc_error *e);

#endif
