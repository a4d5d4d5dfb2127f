/* import_internal.h — what import.c and import_row.c share. */
#ifndef QPC_IMPORT_INTERNAL_H
#define QPC_IMPORT_INTERNAL_H

#include <stdio.h>

#include "qpc/csvread.h"
#include "qpc/csvwrite.h"
#include "qpc/import.h"
#include "qpc/ingest.h"

/* Fields that hold money, whose decimal separator the file decides. */
#define MONEY_FIELD(f)                                                                         \
	((f) == F_AMOUNT || (f) == F_GROSS_PROFIT || (f) == F_COST || (f) == F_ANNUAL_REVENUE ||   \
	 (f) == F_CONTRACT_VALUE || (f) == F_COST_TO_SERVE || (f) == F_SALES_12M ||              \
	 (f) == F_GP_12M || (f) == F_UNIT_PRICE)
#define DATE_FIELD(f) ((f) == F_DATE || (f) == F_MEASURED_ON)

/* What a column's cells look like, while its field is looked for. */
struct cell_sniff {
	struct dateparse_sniff d;
	struct amount_sniff a;
	uint64_t filled;                /* non-empty cells */
	uint64_t ambiguous_line;        /* first date that reads both ways */
	char ambiguous_value[40];
};

struct importer {
	struct qpc_store *st;
	const struct import_opts *o;
	struct import_result *r;
	const char *name;               /* the file as messages name it */
	int minor_units;

	/* the mapping */
	const struct profile *prof;
	size_t ncols;
	enum import_field *colfield;    /* per column */
	int col[F_FIELDS];              /* first column of each field, -1 */
	char *header_key;               /* headers joined, for the mapping memory */
	enum textenc_kind mem_enc;      /* the encoding it holds, or TEXTENC_AUTO */
	enum textenc_kind enc;          /* the import pass reads with it */
	char **headers;                 /* copies, for messages and rejects */
	/* Sales keys are scoped by the columns that make a line, so that two
	 * exports numbering their rows 1, 2, 3 do not overwrite each other,
	 * while next week's export of the same layout finds its lines. */
	char key_scope[400];

	/* what the first pass decided (or the import pass, see import.c) */
	struct dateparse_sniff date_sniff[2]; /* F_DATE, F_MEASURED_ON */
	uint64_t ambiguous_line[2];     /* first date that reads both ways */
	char ambiguous_value[2][40];
	struct amount_sniff amount_sniff;
	enum dateparse_order order[2];
	enum amount_dec dec;

	/* A required date or amount no label names is looked for in the
	 * cells of the first CELL_ROWS rows of the first pass: per column,
	 * how they read (NULL once decided). */
	struct cell_sniff *cells;
	uint64_t cell_rows;

	/* the import pass */
	int pass;
	bool sniffing;                  /* the decision is provisional: sniff on */
	bool sink_failed;               /* the last row stopped the reading */
	bool in_tx;                     /* between qpc_ingest_begin and _end */
	char *fill[F_FIELDS];           /* fill-down: the last non-blank value */
	FILE *rejects;
	struct csvw rejects_w;
	bool failed;                    /* a row was bad and skip_bad is off */
	char last_key[800];             /* the last account a row named ... */
	int64_t last_account;           /* ... and its id */
	struct import_cat {             /* the categories rows named lately */
		char name[64];
		int64_t id;
	} cats[8];
	uint64_t bytes_done, bytes_total; /* of this pass; of all of them */
	uint64_t bytes_base, file_size; /* read by the passes before this one */
	uint64_t sniffed, loaded;       /* records seen by each pass */

	/* rows that name a key again (import_dup.c) */
	struct dup_key *notes;         /* a pass's keys, with their lines */
	size_t nnotes, notes_cap;
	bool noted_again;               /* some row found a key there before it */
	bool untracked;                 /* a key no note holds: rows as they come */
	struct dup_pair *left_out;      /* the rows a later one replaces, by line */
	size_t nleft_out, left_out_at;
};

/* A cell's text as the file means it: without the apostrophe an export
 * puts before a formula-like value (csvw_unguard), unless the import is
 * raw. */
const char *imp_text(const struct importer *im, const char *s);

/* A cell of the current record by field (imp_text), "" when the file has
 * no such column (or the row is short). */
const char *imp_cell(const struct importer *im, const struct csv_record *rec,
                     enum import_field f);

/* Why a row is refused, in the words imp_reject() tells. */
struct verdict {
	enum import_field f;
	char why[256];
};

/* An account row converted (imp_prep), ready for the store. */
struct account_prep {
	int what;                 /* a row, one the file marks to skip, or refused (v) */
	struct verdict v;
	struct qpc_account_rec a; /* its numbers; the text is read again when stored */
	unsigned fields;          /* QPC_AF_* of the columns the file has */
};

/* Whether rows of this import can be converted apart (imp_prep, a
 * csv_prep of struct account_prep) in the reading thread. */
bool imp_prep_ok(const struct importer *im);
void imp_prep(void *ctx, const struct csv_record *rec, void *out);
/* The external ids a batch of converted account rows names, told the
 * store before the rows come (qpc_ingest_expect): a csv_sink's batch. */
enum qpc_rc imp_batch(void *ctx, const struct csv_record *recs, size_t n, struct qpc_error *e);

/* Converts one data record and hands it to the store.  A bad value is
 * reported through imp_reject() and returns QPC_OK so reading goes on;
 * other codes (the store failing) stop the import. */
enum qpc_rc imp_row(struct importer *im, const struct csv_record *rec, struct qpc_error *e);

/* The last row with a key wins (import_dup.c).  dup_note() notes the key
 * a stored row resolved to (category 0 for an account row; out says
 * whether it was new).  dup_settle(), after a whole pass, says whether
 * rows are to be left out (*again): the caller rolls back and runs the
 * pass again, in which dup_replaced_by() gives, for each row in file
 * order, the line of the later row that replaces it, or 0. */
void dup_note(struct importer *im, uint64_t line, int64_t account, int64_t category,
              enum qpc_outcome out);
enum qpc_rc dup_settle(struct importer *im, bool *again, struct qpc_error *e);
uint64_t dup_replaced_by(struct importer *im, uint64_t line);
/* Forgets a pass's notes (one under another decision notes afresh). */
void dup_forget(struct importer *im);
void dup_free(struct importer *im);

/* Notes a bad row: counts it, keeps the first messages, and with skip_bad
 * writes it to the rejects file. */
void imp_reject(struct importer *im, const struct csv_record *rec, enum import_field f,
                const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
