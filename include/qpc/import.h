/* import.h — reading CRM and ERP exports into the store.
 *
 * An import reads the header, chooses the mapping and decides, from whole
 * columns, how dates and decimals are written; then converts each row and
 * hands it to the store, inside one transaction.  The decision is taken
 * from the start of the file and checked against the whole of it as the
 * rows are imported (import.c), so a file is usually read once, by a
 * second thread while this one stores.  Any bad row makes the whole import
 * change nothing, unless skip_bad is set: then good rows are imported and
 * bad ones are written, as they were, to the rejects file with the reason
 * in an added column.  A file that names an account (or a QPC line) in
 * several rows imports its last row, the others left out with a warning
 * (import_dup.c), so that importing it again changes nothing.  A file
 * that changes while it is read fails the import whole.
 * Memory is bounded by the longest record, not by the file (but for 16
 * bytes a row of accounts or QPC lines, the keys repeated rows are found
 * by).
 */
#ifndef QPC_IMPORT_H
#define QPC_IMPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "qpc/amount.h"
#include "qpc/dateparse.h"
#include "qpc/error.h"
#include "qpc/ingest.h"
#include "qpc/profiles.h"
#include "qpc/store.h"
#include "qpc/textenc.h"

#define IMPORT_MAX_MAPS 64
#define IMPORT_MAX_ERRORS 20 /* messages kept; all are counted */

struct import_opts {
	enum import_kind kind;
	const char *path;            /* "-": standard input; it, a pipe or a
	                              * terminal is read once, into a temporary
	                              * file */
	const char *profile;         /* NULL: detect from the header */
	const char *maps[IMPORT_MAX_MAPS]; /* "Header=field" */
	int nmaps;
	char delimiter;              /* 0: detect */
	enum textenc_kind encoding;  /* TEXTENC_AUTO: BOM, else UTF-8, else
	                              * windows-1252, else what the mapping
	                              * memory holds for the header */
	const char *date_format;     /* NULL: detect per column */
	enum dateparse_order date_order; /* DMY or MDY: day or month first in
	                              * numeric dates, whatever the columns
	                              * say (ignored with date_format) */
	enum amount_dec decimal;     /* AMOUNT_DEC_AUTO: detect per file */
	bool dry_run;                /* do everything, then roll back */
	bool raw;                    /* cells as they are: no apostrophe taken
	                              * off (csvw_unguard), for export --raw */
	bool skip_bad;
	const char *rejects;         /* with skip_bad: where bad rows go (a dry
	                              * run may leave it NULL: nothing is written) */
	qpc_date today;              /* default measured-on date */
	/* Called now and then (every IMPORT_PROGRESS_ROWS rows of either pass)
	 * with bytes read of the passes' total (0 when unknown, as for a
	 * pipe; twice the file's size until the first pass is over, then what
	 * is read in all) and rows so far, always in the caller's thread; may
	 * be NULL.  A non-zero return cancels the
	 * import: it rolls back and returns QPC_ERR_CANCELLED. */
	int (*progress)(void *ctx, uint64_t done, uint64_t total, uint64_t rows);
	void *progress_ctx;
};

#define IMPORT_PROGRESS_ROWS 256
#define IMPORT_PREVIEW_ROWS 5
#define IMPORT_PREVIEW_COLS 12
#define IMPORT_PREVIEW_CELL 48

struct import_column {
	char header[64];
	enum import_field field;
	/* Why this column, when the labels alone did not settle it or other
	 * columns could be the field too: "its label says date; also
	 * possible: Document Date"; "" otherwise. */
	char why[160];
};

struct import_result {
	const char *profile;
	char delimiter;
	enum textenc_kind encoding;
	bool encoding_guessed;          /* not UTF-8, so read as windows-1252 */
	bool encoding_remembered;       /* the encoding came from a past import */
	enum dateparse_order date_order;
	enum amount_dec decimal;
	bool remembered;                /* the mapping came from a past import */
	struct import_column columns[64]; /* the first 64 columns of the header */
	int ncolumns;                   /* all of them, even past 64 */
	uint64_t read;                  /* data rows read */
	uint64_t outcome[QPC_OUTCOMES]; /* by enum qpc_outcome */
	uint64_t skipped;               /* not won, deleted, contacts */
	uint64_t accounts_created;      /* made from sales or QPC rows */
	uint64_t rejected;              /* bad rows */
	uint64_t replaced;              /* left out: a later row has the same key */
	char errors[IMPORT_MAX_ERRORS][320];
	int nerrors;                    /* kept in errors[] */
	/* "FILE:LINE: the same account as FILE:LINE (...): the later row
	 * wins", for the first rows replaced */
	char warnings[IMPORT_MAX_ERRORS][320];
	int nwarnings;
	double seconds;
	bool committed;
	/* The first rows as the import reads them (decoded, blank cells
	 * filled down where the profile does): the cells of the first mapped
	 * columns, preview_col[] indexing columns[], cut to fit. */
	int npreview_cols, npreview;
	int preview_col[IMPORT_PREVIEW_COLS];
	uint64_t preview_line[IMPORT_PREVIEW_ROWS];
	char preview[IMPORT_PREVIEW_ROWS][IMPORT_PREVIEW_COLS][IMPORT_PREVIEW_CELL];
};

/* Runs an import.  Returns QPC_OK when the file was read and either
 * committed or (dry run) rolled back; QPC_ERR_DATA when rows were bad and
 * nothing was changed (the result lists them); QPC_ERR_CANCELLED when the
 * progress callback stopped it; other codes for a file that could not be
 * read at all (e says why). */
enum qpc_rc import_run(struct qpc_store *st, const struct import_opts *o, struct import_result *r,
                       struct qpc_error *e);

/* What the file at path holds, told from its header row (see
 * import_kind_guess); false when it cannot be read or the header tells
 * nothing.  Reads no further than the header. */
bool import_kind_of_file(const char *path, enum import_kind *out);

/* The result in words (import_text.c), for the command line and the
 * dialog alike.  The file's headers are quoted as they are: escape them
 * before printing.  "profile salesforce, ','-delimited, UTF-8, dates
 * day-first, decimal point": */
void import_describe(const struct import_result *r, char *buf, size_t n);
/* The headers of the columns not read, ", "-separated; returns how many. */
int import_unread(const struct import_result *r, char *buf, size_t n);
/* "3 rows read: 1 created, ... in 0.01 s" for the return code rc of
 * import_run (QPC_OK or QPC_ERR_DATA). */
void import_summary(const struct import_result *r, enum qpc_rc rc, bool dry_run, char *buf,
                    size_t n);

#endif
