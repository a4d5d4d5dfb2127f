/* browse_int.h — what the browse files share and nobody else sees. */
#ifndef QPC_STORE_BROWSE_INT_H
#define QPC_STORE_BROWSE_INT_H

#include "internal.h"
#include "qpc/browse.h"
#include "qpc/watch.h"

#define TALLY_CACHE 16

struct tally_memo {
	bool used;
	int status;
	char owner[QPC_TEXT_SHORT], segment[QPC_TEXT_SHORT];
	int64_t n;
};

struct qpc_browse {
	/* The store read: the caller's on a file; on a server a connection
	 * of the session's own (browse_server.c), whose temp tables hold the
	 * accounts with the figures at as_of.  home is the caller's. */
	struct qpc_store *st, *home;
	bool stale; /* on a server: the copy is to be made again */
	bool sync;  /* on a server: this qpc committed; hear of it before reading */
	int64_t *pending; /* on a server: accounts a commit changed, to read again */
	size_t npending, cappending;
	/* on a server, the copy's indexes (browse_server.c): made, failed in
	 * the background (not tried there again), and the one being made
	 * there (-1: none) */
	uint64_t indexed, failed;
	int building;
	qpc_date as_of;
	char cutoff[QPC_DATE_ISO_LEN]; /* a QPC measured before this is stale */
	int small_set, budget;
	int64_t data_version; /* as qpc_browse_changed() last saw it */
	struct tally_memo tally[TALLY_CACHE]; /* see br_tally() */
	bool tally_broken; /* the tally behind, and no way to recount it: count rows */
	/* A bulk load left the account table's indexes and its trigram index
	 * for the next refresh to build (ingest.c), and no refresh could (a
	 * read-only file, a full disk): statements name no index, and text is
	 * searched row by row.  Known until the data is forgotten. */
	bool unindexed, unindexed_known;
	int tally_next;
	/* The last text looked up in the trigram index, and its matches (up
	 * to small_set + 1, whose ids are in browse_hits). */
	char fts_text[QPC_SEARCH_MAX];
	int64_t fts_n;
	bool fts_valid;
	struct st_stmts cache; /* a file's: see br_q() */
	/* QPC by formula (browse_estimate.c): the factors, NULL until needed,
	 * and per segment the categories they estimate. */
	struct st_factors *factors;
	struct br_segment *segs;
	int nsegs, capsegs;
	/* The partners at risk at as_of (watch.h) by id: loaded when a filter
	 * or a page asks, dropped with the rest of the data. */
	struct qpc_at_risk *risk;
	size_t nrisk;
	bool risk_loaded;
};

enum qpc_rc br_risk_load(struct qpc_browse *b, struct qpc_error *e);
void br_risk_forget(struct qpc_browse *b);
/* NULL unless loaded and at risk. */
const struct qpc_at_risk *br_risk_find(const struct qpc_browse *b, int64_t id);

/* The session's statement for sql (a string literal) as a query of either
 * backend: on a file the session's own, kept between calls; on a server
 * kept there.  Its bindings are cleared; st_q_free() only resets it. */
enum qpc_rc br_q(struct qpc_browse *b, struct st_q **q, const char *sql, struct qpc_error *e);

/* The columns every account row query reads, in this order, from an
 * account table named a; br_read_row() reads them back from column col0. */
#define BR_ROW_COLUMNS                                                                        \
	"a.id, a.external_id, a.name, a.owner, a.segment, a.qpc, a.sales_12m, "           \
	ST_GP_SQL("a.") ","                                                                   \
	" a.untapped, a.status, a.contract_partner, a.qpc_measured_on, a.qpc_verified,"    \
	" a.employees, a.annual_revenue, a.quality"
#define BR_ROW_NCOLUMNS 16
enum br_row_column {
	R_ID, R_EXT, R_NAME, R_OWNER, R_SEGMENT, R_QPC, R_SALES, R_GP, R_UNTAPPED, R_STATUS,
	R_CONTRACT, R_MEASURED_ON, R_VERIFIED, R_EMPLOYEES, R_REVENUE, R_QUALITY
};

/* Whether the indexes browsing walks are missing (see unindexed). */
bool br_unindexed(struct qpc_browse *b);

/* Whether the row's QPC is missing or measured before the cutoff. */
bool br_is_stale(const struct qpc_browse *b, struct st_q *q, int col0);

/* One account's row by id (?1), for br_read_row(). */
extern const char br_row_sql[];

void br_read_row(const struct qpc_browse *b, struct st_q *q, int col0, struct qpc_browse_row *r);
/* Copies src into dst (n bytes), cut at a character boundary with "…"
 * when it does not fit.  NULL copies as "". */
void br_copy(char *dst, size_t n, const char *src);
/* Copies column col of q with br_copy. */
void br_copy_at(char *dst, size_t n, struct st_q *q, int col);

/* Whether a row of the statement (read from col0 as BR_ROW_COLUMNS)
 * passes the filter; folded is the filter's text as br_fold() gives it. */
bool br_passes(struct qpc_browse *b, const struct qpc_filter *f, const char *folded,
               struct st_q *q, int col0);
/* s folded to lower case, code point by code point, into out (n bytes);
 * false when it did not fit. */
bool br_fold(const char *s, char *out, size_t n);

/* browse_estimate.c.  What an account's size makes of its QPC. */
struct br_estimate {
	qpc_money amount;   /* summed over categories */
	int categories;
	int accounts;       /* the fewest verified accounts a factor rests on */
	bool by_employees;
};
/* Calibrates the session's factors, once. */
enum qpc_rc br_estimates_load(struct qpc_browse *b, struct qpc_error *e);
void br_estimates_forget(struct qpc_browse *b);
/* The estimate for an account of that segment and size; false when
 * there is none (no size, no factor, or the factors not loaded). */
bool br_estimate(struct qpc_browse *b, const char *segment, double employees, double revenue,
                 struct br_estimate *out);
/* Whether the row's measured QPC is under half its estimate. */
bool br_is_under(struct qpc_browse *b, struct st_q *q, int col0);

/* Matches of the filter's text in the trigram index, up to small_set + 1,
 * their ids left in browse_hits; -1 when the text is too short for
 * the index. */
enum qpc_rc br_fts_count(struct qpc_browse *b, const char *text, int64_t *n,
                         struct qpc_error *e);
/* browse_server.c: the session on a team server.  Opens its connection,
 * listens for commits and makes the copy; whether a commit was heard. */
enum qpc_rc br_server_open(struct qpc_browse *b, struct qpc_error *e);
enum qpc_rc br_server_changed(struct qpc_browse *b, bool *changed, struct qpc_error *e);
/* On a server, makes the indexes a page in col's order under f needs (f
 * may be NULL), each once a copy; on a file, nothing to do. */
enum qpc_rc br_server_index(struct qpc_browse *b, enum qpc_col col, const struct qpc_filter *f,
                            struct qpc_error *e);
/* The same for the trigram index a search reads. */
enum qpc_rc br_server_search_index(struct qpc_browse *b, struct qpc_error *e);
/* One step of making the rest in the background (qpc_browse_background),
 * never waiting. */
bool br_server_background(struct qpc_browse *b);

/* The LIKE pattern for text on a team server: folded as the search key
 * is (br_fold), its \, % and _ escaped with \, between two %; false when
 * it does not fit in out (n bytes). */
bool br_like_pattern(const char *text, char *out, size_t n);
/* On a server, makes the session's copy of the accounts at its date
 * again when a change has made it stale; on a file, nothing to do. */
enum qpc_rc br_ready(struct qpc_browse *b, struct qpc_error *e);
/* The trigram query for text: one quoted phrase. */
void br_fts_query(const char *text, char *out, size_t n);
/* Accounts matching owner, segment and status of f, from the tally. */
enum qpc_rc br_tally(struct qpc_browse *b, const char *owner, const char *segment, int status,
                     int64_t *n, struct qpc_error *e);

#endif
