/* import.c — a CSV file read to decide, then imported.
 *
 * How a file writes dates and decimals is decided from whole columns.  The
 * first pass reads only the start of the file when that decides, and the
 * import pass goes on sniffing every row with the decision taken so far;
 * should the whole file decide otherwise (rare: a day-first date after
 * the first megabytes of ambiguous ones), the transaction is rolled back
 * and the file imported again under the final decision.  The result is
 * that of two full passes, at the cost of one.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "import_internal.h"

#define CHUNK (256 * 1024)
/* Read to decide before importing, when it decides. */
#define SNIFF_BYTES ((uint64_t)2 << 20)
/* Rows whose cells tell a date or amount column no label names. */
#define CELL_ROWS 1000

/* --- the mapping --------------------------------------------------------- */

static void free_mapping(struct importer *im)
{
	for (size_t i = 0; im->headers && i < im->ncols; i++)
		free(im->headers[i]);
	free(im->headers);
	free(im->colfield);
	free(im->header_key);
	free(im->cells);
	im->cells = NULL;
	im->headers = NULL;
	im->colfield = NULL;
	im->header_key = NULL;
}

static bool same_header(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if ((*a | 0x20) != (*b | 0x20))
			return false;
	return *a == *b;
}

/* Applies --map 'Header=field' overrides. */
static enum qpc_rc apply_maps(struct importer *im, struct qpc_error *e)
{
	for (int m = 0; m < im->o->nmaps; m++) {
		const char *spec = im->o->maps[m], *eq = strrchr(spec, '=');
		if (!eq || eq == spec)
			return qpc_error_set(e, QPC_ERR_USAGE, "--map takes 'Header=field', not '%s'", spec);
		enum import_field f;
		if (!import_field_parse(im->o->kind, eq + 1, &f)) {
			char list[600] = "";
			for (int i = F_IGNORED; i < F_FIELDS; i++)
				if (import_field_allowed(im->o->kind, (enum import_field)i)) {
					strncat(list, " ", sizeof list - strlen(list) - 1);
					strncat(list, import_field_name((enum import_field)i),
					        sizeof list - strlen(list) - 1);
				}
			return qpc_error_set(e, QPC_ERR_USAGE, "--map: '%s' is not a field of %s; known:%s",
			                     eq + 1, import_kind_name(im->o->kind), list);
		}
		size_t len = (size_t)(eq - spec), c;
		for (c = 0; c < im->ncols; c++)
			if (strlen(im->headers[c]) == len && strncmp(im->headers[c], spec, len) == 0)
				break;
		if (c == im->ncols) {
			char want[256];
			snprintf(want, sizeof want, "%.*s", (int)len, spec);
			for (c = 0; c < im->ncols; c++)
				if (same_header(im->headers[c], want))
					break;
			if (c == im->ncols)
				return qpc_error_set(e, QPC_ERR_USAGE, "--map: %s has no column '%s'", im->name,
				                     want);
		}
		/* the field moves here from any other column */
		for (size_t o = 0; o < im->ncols; o++)
			if (im->colfield[o] == f && f != F_IGNORED)
				im->colfield[o] = F_IGNORED;
		im->colfield[c] = f;
	}
	return QPC_OK;
}

/* The mapping remembered for this header: one field name per column,
 * then the file's 8-bit encoding, if it had one, as "encoding=NAME". */
static bool remembered(struct importer *im, const char *text)
{
	size_t c = 0;
	const char *p = text;
	for (; p && c < im->ncols; c++) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char name[32];
		snprintf(name, sizeof name, "%.*s", (int)len, p);
		enum import_field f = F_NONE;
		if (*name && !import_field_parse(im->o->kind, name, &f))
			return false;
		im->colfield[c] = f;
		p = nl ? nl + 1 : NULL;
	}
	if (c < im->ncols)
		return false;
	enum textenc_kind k = TEXTENC_AUTO;
	if (p && (strncmp(p, "encoding=", 9) != 0 || !textenc_lookup(p + 9, &k)))
		return false;
	im->mem_enc = k;
	return true;
}

static char *mapping_text(const struct importer *im)
{
	size_t n = 32; /* and the encoding */
	for (size_t c = 0; c < im->ncols; c++)
		n += strlen(import_field_name(im->colfield[c])) + 1;
	char *t = malloc(n), *p = t;
	if (!t)
		return NULL;
	for (size_t c = 0; c < im->ncols; c++)
		p += sprintf(p, "%s%s", c ? "\n" : "", import_field_name(im->colfield[c]));
	*p = '\0';
	/* UTF-8 and the Unicode ones tell themselves; an 8-bit one does not */
	enum textenc_kind k = im->r->encoding;
	if (k == TEXTENC_CP1252 || k == TEXTENC_LATIN1)
		sprintf(p, "\nencoding=%s", textenc_name(k));
	return t;
}

/* What a file of kind k holds, in words. */
static const char *kind_words(enum import_kind k)
{
	return k == IMPORT_ACCOUNTS ? "accounts" : k == IMPORT_SALES ? "sales" : "QPC lines";
}

static enum qpc_rc require(struct importer *im, struct qpc_error *e)
{
	const char *missing = NULL, *field = NULL;
	int *col = im->col;
	if (col[F_EXTERNAL_ID] < 0 && col[F_NAME] < 0)
		missing = "the account (an id or a name)",
		field = im->o->kind == IMPORT_ACCOUNTS ? "name" : "external_id";
	else if (im->o->kind == IMPORT_ACCOUNTS && col[F_NAME] < 0)
		missing = "the account's name", field = "name";
	else if (im->o->kind == IMPORT_SALES && col[F_DATE] < 0)
		missing = "the date", field = "date";
	else if (im->o->kind == IMPORT_SALES && col[F_AMOUNT] < 0 &&
	         (col[F_UNIT_PRICE] < 0 || col[F_QUANTITY] < 0))
		missing = "the amount", field = "amount";
	else if (im->o->kind == IMPORT_POTENTIAL && col[F_CATEGORY] < 0)
		missing = "the category", field = "category";
	else if (im->o->kind == IMPORT_POTENTIAL && col[F_AMOUNT] < 0)
		missing = "the QPC amount", field = "amount";
	if (!missing)
		return QPC_OK;
	/* An accounts file given as sales (or the like) lacks a field, but
	 * "no column holds the account" would send the user hunting for a
	 * column the file plainly has: say what the file is instead. */
	enum import_kind is;
	if (import_kind_guess((const char *const *)im->headers, im->ncols, &is) && is != im->o->kind)
		return qpc_error_set(e, QPC_ERR_DATA,
		                     "%s holds %s, not %s: no column holds %s; import it with 'qpc "
		                     "import %s %s', or name the column with --map 'Header=%s'",
		                     im->name, kind_words(is), kind_words(im->o->kind), missing,
		                     import_kind_name(is), im->o->path, field);
	char list[512] = "";
	for (size_t c = 0; c < im->ncols && strlen(list) < 400; c++) {
		strncat(list, c ? ", " : "", sizeof list - strlen(list) - 1);
		strncat(list, im->headers[c], sizeof list - strlen(list) - 1);
	}
	return qpc_error_set(e, QPC_ERR_DATA,
	                     "%s: no column holds %s for %s (columns: %s); name one with "
	                     "--map 'Header=%s'",
	                     im->name, missing, import_kind_name(im->o->kind), list, field);
}

static enum qpc_rc settle(struct importer *im, struct qpc_error *e);

static void index_columns(struct importer *im)
{
	for (int f = 0; f < F_FIELDS; f++)
		im->col[f] = -1;
	for (size_t c = 0; c < im->ncols; c++)
		if (im->col[im->colfield[c]] < 0)
			im->col[im->colfield[c]] = (int)c;
}

/* Says why column c holds its field, for the dry run. */
static void say_why(struct importer *im, size_t c, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void say_why(struct importer *im, size_t c, const char *fmt, ...)
{
	if (c >= 64)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(im->r->columns[c].why, sizeof im->r->columns[c].why, fmt, ap);
	va_end(ap);
}

/* Adds "; also possible: A, B" to the why of column c: the other columns
 * whose rank (rank[], 0 for none) says they could be the field too. */
static void say_also(struct importer *im, size_t c, const int *rank)
{
	if (c >= 64)
		return;
	char *why = im->r->columns[c].why;
	size_t n = sizeof im->r->columns[c].why, used = strlen(why);
	int k = 0;
	for (size_t o = 0; o < im->ncols && used + 1 < n; o++)
		if (o != c && rank[o] > 0)
			used += (size_t)snprintf(why + used, n - used, "%s%s", k++ ? ", " : "; also possible: ",
			                         im->headers[o]);
}

/* Refuses two columns equally fit to be field f. */
static enum qpc_rc undecided(struct importer *im, size_t a, size_t b, enum import_field f,
                             const char *because, struct qpc_error *e)
{
	const char *name = import_field_name(f);
	return qpc_error_set(e, QPC_ERR_DATA,
	                     "%s: both '%s' and '%s' %s the %s for %s; choose one with "
	                     "--map '%s=%s'",
	                     im->name, im->headers[a], im->headers[b], because, name,
	                     import_kind_name(im->o->kind), im->headers[a], name);
}

/* The columns that fit field f best by rank[] (first and second). */
static void best_two(const struct importer *im, const int *rank, size_t *best, size_t *second)
{
	*best = *second = im->ncols;
	for (size_t c = 0; c < im->ncols; c++) {
		if (rank[c] <= 0)
			continue;
		if (*best == im->ncols || rank[c] > rank[*best]) {
			*second = *best;
			*best = c;
		} else if (*second == im->ncols || rank[c] > rank[*second]) {
			*second = c;
		}
	}
}

/* Columns no profile names, read by the words of their labels: each
 * field still without a column takes the one whose label names it most
 * plainly ("Posting Date", "Billing Address City"); two equally plain
 * ones are refused, not guessed between. */
static enum qpc_rc by_words(struct importer *im, struct qpc_error *e)
{
	int *score = calloc(im->ncols, sizeof *score), *rank = calloc(im->ncols, sizeof *rank);
	enum import_field *says = calloc(im->ncols, sizeof *says);
	enum qpc_rc rc = QPC_OK;
	if (!score || !rank || !says)
		rc = qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	for (size_t c = 0; !rc && c < im->ncols; c++)
		if (im->colfield[c] == F_NONE)
			says[c] = profile_words(im->o->kind, im->headers[c], &score[c]);
	for (int f = F_EXTERNAL_ID; !rc && f < F_FIELDS; f++) {
		size_t named = im->ncols, best, second;
		for (size_t c = 0; c < im->ncols; c++) {
			rank[c] = says[c] == (enum import_field)f ? score[c] : 0;
			if (named == im->ncols && im->colfield[c] == (enum import_field)f)
				named = c;
		}
		best_two(im, rank, &best, &second);
		if (best == im->ncols)
			continue;
		const char *field = import_field_name((enum import_field)f);
		if (named < im->ncols) { /* the profile's (or --map's) stays */
			if (profile_field(im->prof, im->o->kind, im->headers[named]) == (enum import_field)f)
				say_why(im, named, "its label is one the %s profile knows",
				        profile_name(im->prof));
			else
				say_why(im, named, "--map names it");
			say_also(im, named, rank);
			continue;
		}
		if (second < im->ncols && rank[second] == rank[best]) {
			rc = undecided(im, best, second, (enum import_field)f,
			               "are labelled as", e);
			break;
		}
		im->colfield[best] = (enum import_field)f;
		say_why(im, best, "its label says %s", field);
		rank[best] = 0;
		say_also(im, best, rank);
	}
	free(score);
	free(rank);
	free(says);
	return rc;
}

/* Whether the required date or amount has no column, which the cells of
 * the unnamed columns may then supply. */
static bool needs_cells(const struct importer *im)
{
	const int *col = im->col;
	bool account = col[F_EXTERNAL_ID] >= 0 || col[F_NAME] >= 0, none = false;
	for (size_t c = 0; c < im->ncols; c++)
		none |= im->colfield[c] == F_NONE;
	if (!account || !none)
		return false;
	if (im->o->kind == IMPORT_SALES)
		return col[F_DATE] < 0 ||
		       (col[F_AMOUNT] < 0 && (col[F_UNIT_PRICE] < 0 || col[F_QUANTITY] < 0));
	return im->o->kind == IMPORT_POTENTIAL && col[F_AMOUNT] < 0;
}

/* Notes how the cells of a record's unnamed columns read. */
static void sniff_cells(struct importer *im, const struct csv_record *rec)
{
	for (size_t c = 0; c < rec->nfields && c < im->ncols; c++) {
		struct cell_sniff *cs = &im->cells[c];
		const char *s = imp_text(im, rec->fields[c].s);
		if (im->colfield[c] != F_NONE || !*s)
			continue;
		cs->filled++;
		dateparse_sniff_add(&cs->d, s);
		amount_sniff_add(&cs->a, s);
		qpc_date d;
		if (!cs->ambiguous_line &&
		    dateparse_value(s, DATEPARSE_UNDECIDED, &d, NULL) == DATEPARSE_AMBIGUOUS) {
			cs->ambiguous_line = rec->line;
			snprintf(cs->ambiguous_value, sizeof cs->ambiguous_value, "%s", s);
		}
	}
}

/* How well column c's cells fit field f: 0 not at all; for an amount, 2
 * when some have a decimal separator, 1 when all are whole numbers. */
static int cells_fit(const struct cell_sniff *cs, enum import_field f)
{
	if (!cs->filled)
		return 0;
	bool dates = cs->d.invalid == 0;
	if (f == F_DATE)
		return dates;
	if (dates || cs->a.invalid != 0)
		return 0;
	return cs->a.point + cs->a.comma + cs->a.ambiguous > 0 ? 2 : 1;
}

/* The column whose every cell read is a date (or an amount) is the
 * required one no label named; then the mapping is settled.  Its cells
 * count in deciding how the file writes dates and decimals. */
static enum qpc_rc by_cells(struct importer *im, struct qpc_error *e)
{
	struct cell_sniff *cells = im->cells;
	if (!cells || !im->headers) /* nothing to look for */
		return QPC_OK;
	int *rank = calloc(im->ncols, sizeof *rank);
	enum qpc_rc rc = rank ? QPC_OK : qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	im->cells = NULL;
	static const enum import_field wanted[] = { F_DATE, F_AMOUNT };
	for (size_t i = 0; !rc && i < sizeof wanted / sizeof *wanted; i++) {
		enum import_field f = wanted[i];
		if (!import_field_allowed(im->o->kind, f) || im->col[f] >= 0 ||
		    (f == F_AMOUNT && im->col[F_UNIT_PRICE] >= 0 && im->col[F_QUANTITY] >= 0))
			continue;
		for (size_t c = 0; c < im->ncols; c++) /* not a "Due Date" */
			rank[c] = im->colfield[c] == F_NONE &&
			                  profile_words_for(im->o->kind, im->headers[c], f) >= 0
			                  ? cells_fit(&cells[c], f)
			                  : 0;
		size_t best, second;
		best_two(im, rank, &best, &second);
		if (best == im->ncols)
			continue;
		const char *what = f == F_DATE ? "a date" : "an amount";
		if (second < im->ncols && rank[second] == rank[best]) {
			rc = undecided(im, best, second, f,
			               f == F_DATE ? "hold only dates and could be"
			                          : "hold only amounts and could be",
			               e);
			break;
		}
		struct cell_sniff *cs = &cells[best];
		im->colfield[best] = f;
		im->col[f] = (int)best;
		say_why(im, best, "no label names the %s; every cell read is %s",
		        import_field_name(f), what);
		rank[best] = 0;
		say_also(im, best, rank);
		if (f == F_DATE) {
			im->date_sniff[0].dmy += cs->d.dmy;
			im->date_sniff[0].mdy += cs->d.mdy;
			im->date_sniff[0].either += cs->d.either;
			im->date_sniff[0].fixed += cs->d.fixed;
			if (!im->ambiguous_line[0] && cs->ambiguous_line) {
				im->ambiguous_line[0] = cs->ambiguous_line;
				memcpy(im->ambiguous_value[0], cs->ambiguous_value,
				       sizeof im->ambiguous_value[0]);
			}
		} else {
			im->amount_sniff.point += cs->a.point;
			im->amount_sniff.comma += cs->a.comma;
			im->amount_sniff.ambiguous += cs->a.ambiguous;
			im->amount_sniff.neutral += cs->a.neutral;
		}
	}
	free(rank);
	free(cells);
	return rc ? rc : settle(im, e);
}

static enum qpc_rc on_header(void *ctx, const struct csv_record *rec, struct qpc_error *e)
{
	struct importer *im = ctx;
	if (im->pass == 2)
		return QPC_OK;
	im->ncols = rec->nfields;
	im->headers = calloc(rec->nfields, sizeof *im->headers);
	im->colfield = calloc(rec->nfields, sizeof *im->colfield);
	size_t keylen = 1;
	for (size_t c = 0; c < rec->nfields; c++)
		keylen += rec->fields[c].len + 1;
	im->header_key = malloc(keylen);
	if (!im->headers || !im->colfield || !im->header_key)
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	char *k = im->header_key;
	const char **names = calloc(rec->nfields, sizeof *names);
	if (!names)
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	for (size_t c = 0; c < rec->nfields; c++) {
		if (!(im->headers[c] = strdup(rec->fields[c].s))) {
			free(names);
			return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
		}
		names[c] = im->headers[c];
		k += sprintf(k, "%s%s", c ? "\x1f" : "", rec->fields[c].s);
	}

	/* A layout seen before maps as it did then, unless told otherwise. */
	char *memory = NULL;
	enum qpc_rc rc = QPC_OK;
	if (!im->o->profile && im->o->nmaps == 0 &&
	    (rc = qpc_ingest_mapping_get(im->st, import_kind_name(im->o->kind), im->header_key,
	                                 &memory, e))) {
		free(names);
		return rc;
	}
	im->prof = im->o->profile ? profile_find(im->o->profile)
	                          : profile_detect(im->o->kind, names, rec->nfields);
	free(names);
	if (memory && remembered(im, memory)) {
		im->r->remembered = true;
	} else {
		for (size_t c = 0; c < im->ncols; c++) {
			enum import_field f = profile_field(im->prof, im->o->kind, im->headers[c]);
			/* a field is read from its first column only */
			for (size_t o = 0; o < c && f > F_IGNORED; o++)
				if (im->colfield[o] == f)
					f = F_IGNORED;
			im->colfield[c] = f;
		}
	}
	bool again = im->r->remembered;
	free(memory);
	if ((rc = apply_maps(im, e)) || (!again && (rc = by_words(im, e))))
		return rc;
	index_columns(im);
	if (needs_cells(im)) {
		im->cells = calloc(im->ncols, sizeof *im->cells);
		if (!im->cells)
			return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
		for (size_t c = 0; c < im->ncols; c++) {
			dateparse_sniff_init(&im->cells[c].d);
			amount_sniff_init(&im->cells[c].a);
		}
		return QPC_OK; /* settled once the first rows are read (by_cells) */
	}
	return settle(im, e);
}

/* What the mapping makes of the columns: the result's list, the preview,
 * the key scope, fill-down, and whether the fields needed are there. */
static enum qpc_rc settle(struct importer *im, struct qpc_error *e)
{
	index_columns(im);
	im->r->profile = profile_name(im->prof);
	im->r->ncolumns = (int)im->ncols;
	for (size_t c = 0; c < im->ncols && c < 64; c++) {
		snprintf(im->r->columns[c].header, sizeof im->r->columns[c].header, "%s", im->headers[c]);
		im->r->columns[c].field = im->colfield[c];
		if (im->colfield[c] > F_IGNORED && im->col[im->colfield[c]] == (int)c &&
		    im->r->npreview_cols < IMPORT_PREVIEW_COLS)
			im->r->preview_col[im->r->npreview_cols++] = (int)c;
	}
	static const enum import_field keyed[] = { F_LINE_ID, F_EXTERNAL_ID, F_NAME, F_DATE, F_AMOUNT };
	size_t used = (size_t)snprintf(im->key_scope, sizeof im->key_scope, "%s",
	                               profile_name(im->prof));
	for (size_t i = 0; i < sizeof keyed / sizeof *keyed && used < sizeof im->key_scope; i++)
		used += (size_t)snprintf(im->key_scope + used, sizeof im->key_scope - used, "|%s",
		                         im->col[keyed[i]] >= 0 ? im->headers[im->col[keyed[i]]] : "");
	if (profile_fill_down(im->prof))
		for (int f = F_EXTERNAL_ID; f <= F_NAME; f++)
			im->fill[f] = calloc(1, 1);
	if (profile_fill_down(im->prof)) {
		im->fill[F_DATE] = calloc(1, 1);
		im->fill[F_LINE_ID] = calloc(1, 1);
	}
	return require(im, e);
}

/* --- the passes ---------------------------------------------------------- */

/* Tells the caller how far the import is, every IMPORT_PROGRESS_ROWS
 * records of a pass (`records` counts them); it may cancel. */
static enum qpc_rc progress(struct importer *im, uint64_t records, uint64_t rows,
                            struct qpc_error *e)
{
	if (!im->o->progress || records % IMPORT_PROGRESS_ROWS != 0)
		return QPC_OK;
	if (im->o->progress(im->o->progress_ctx, im->bytes_base + im->bytes_done, im->bytes_total,
	                    rows))
		return qpc_error_set(e, QPC_ERR_CANCELLED,
		                     "the import of %s was cancelled: nothing was changed", im->name);
	return QPC_OK;
}

/* Keeps the cells of the first rows for the preview, each cut on a
 * character's boundary. */
static void keep_preview(struct importer *im, const struct csv_record *rec)
{
	struct import_result *r = im->r;
	if (r->npreview >= IMPORT_PREVIEW_ROWS)
		return;
	r->preview_line[r->npreview] = rec->line;
	for (int i = 0; i < r->npreview_cols; i++) {
		const char *v = imp_cell(im, rec, im->colfield[r->preview_col[i]]);
		size_t n = strlen(v);
		if (n >= IMPORT_PREVIEW_CELL)
			for (n = IMPORT_PREVIEW_CELL - 1; n > 0 && (v[n] & 0xc0) == 0x80; n--)
				;
		memcpy(r->preview[r->npreview][i], v, n);
		r->preview[r->npreview][i][n] = '\0';
	}
	r->npreview++;
}

/* Adds a record's dates and amounts to the sniffs that decide how the
 * file writes them. */
static void sniff_row(struct importer *im, const struct csv_record *rec)
{
	for (size_t c = 0; c < rec->nfields && c < im->ncols; c++) {
		enum import_field f = im->colfield[c];
		const char *s = imp_text(im, rec->fields[c].s);
		if (DATE_FIELD(f) && !im->o->date_format) {
			int i = f == F_DATE ? 0 : 1;
			dateparse_sniff_add(&im->date_sniff[i], s);
			qpc_date d;
			if (!im->ambiguous_line[i] && *s &&
			    dateparse_value(s, DATEPARSE_UNDECIDED, &d, NULL) == DATEPARSE_AMBIGUOUS) {
				im->ambiguous_line[i] = rec->line;
				snprintf(im->ambiguous_value[i], sizeof im->ambiguous_value[i], "%s", s);
			}
		} else if (MONEY_FIELD(f) && im->o->decimal == AMOUNT_DEC_AUTO) {
			amount_sniff_add(&im->amount_sniff, s);
		}
	}
}

/* The import pass's early sink, in the reading thread: nothing but the
 * sniffs, which nobody else touches until the reading is over (no
 * progress from there: the callback belongs to the caller's thread). */
static enum qpc_rc sniff_early(void *ctx, const struct csv_record *rec, struct qpc_error *e)
{
	(void)e;
	sniff_row(ctx, rec);
	return QPC_OK;
}

/* The first pass's sink. */
static enum qpc_rc sniff_record(void *ctx, const struct csv_record *rec, struct qpc_error *e)
{
	struct importer *im = ctx;
	im->sniffed++;
	enum qpc_rc rc = progress(im, im->sniffed, im->sniffed, e);
	if (!rc)
		sniff_row(im, rec);
	if (!rc && im->cells) {
		sniff_cells(im, rec);
		if (++im->cell_rows == CELL_ROWS)
			rc = by_cells(im, e);
	}
	return rc;
}

/* Imports the row, then keeps its fill-down values. */
static enum qpc_rc import_record(void *ctx, const struct csv_record *rec, struct qpc_error *e)
{
	struct importer *im = ctx;
	keep_preview(im, rec);
	enum qpc_rc rc = imp_row(im, rec, e);
	for (int f = 0; f < F_FIELDS && !rc; f++) {
		if (!im->fill[f] || im->col[f] < 0 || (size_t)im->col[f] >= rec->nfields)
			continue;
		const char *s = rec->fields[im->col[f]].s;
		if (*s) {
			char *copy = strdup(s);
			if (!copy) {
				rc = qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
				break;
			}
			free(im->fill[f]);
			im->fill[f] = copy;
		}
	}
	if (!rc)
		rc = progress(im, ++im->loaded, im->r->read, e);
	/* an error of the reader's is told from the import's by this */
	im->sink_failed = rc != QPC_OK;
	return rc;
}

static enum qpc_rc decide(struct importer *im, struct qpc_error *e)
{
	static const char *const which[2] = { "date", "measured_on" };
	for (int i = 0; i < 2 && !im->o->date_format; i++) {
		enum import_field f = i == 0 ? F_DATE : F_MEASURED_ON;
		const char *col = im->col[f] >= 0 ? im->headers[im->col[f]] : which[i];
		if (im->o->date_order == DATEPARSE_DMY || im->o->date_order == DATEPARSE_MDY) {
			im->order[i] = im->o->date_order; /* told, not guessed */
			continue;
		}
		im->order[i] = dateparse_sniff_result(&im->date_sniff[i]);
		if (im->order[i] == DATEPARSE_CONFLICT)
			return qpc_error_set(e, QPC_ERR_DATA,
			                     "%s: column '%s' has dates that only read day-first and others "
			                     "that only read month-first; pass --date-format",
			                     im->name, col);
		if (im->order[i] == DATEPARSE_UNDECIDED && im->ambiguous_line[i])
			return qpc_error_set(e, QPC_ERR_DATA,
			                     "%s:%llu:%d: cannot tell whether dates in column '%s' are "
			                     "day-first or month-first ('%s'); pass --date-order dmy or "
			                     "mdy (in the dialog: C-o, date order)",
			                     im->name, (unsigned long long)im->ambiguous_line[i],
			                     im->col[f] + 1, col, im->ambiguous_value[i]);
	}
	im->r->date_order = im->order[0] ? im->order[0] : im->order[1];
	im->dec = im->o->decimal;
	if (im->dec == AMOUNT_DEC_AUTO) {
		if (amount_sniff_result(&im->amount_sniff) == AMOUNT_CONFLICT)
			return qpc_error_set(e, QPC_ERR_DATA,
			                     "%s: some amounts use a decimal point and others a decimal "
			                     "comma; pass --decimal . or --decimal ,",
			                     im->name);
		im->dec = amount_sniff_dec(&im->amount_sniff);
	}
	im->r->decimal = im->dec;
	return QPC_OK;
}

static void sniff_init(struct importer *im)
{
	amount_sniff_init(&im->amount_sniff);
	for (int i = 0; i < 2; i++) {
		dateparse_sniff_init(&im->date_sniff[i]);
		im->ambiguous_line[i] = 0;
		im->ambiguous_value[i][0] = '\0';
	}
}

/* Pass 1: the header, and how the columns write dates and decimals.  It
 * stops after SNIFF_BYTES if the rows so far decide (*whole false): the
 * import pass then goes on sniffing.  A start that does not decide is
 * read on to the end, as the decision needs. */
static enum qpc_rc sniff_pass(struct importer *im, int fd, bool *whole, struct qpc_error *e)
{
	struct csvread_opts ro = { .name = im->name, .encoding = im->o->encoding,
		                   .delim = im->o->delimiter };
	struct csv_sink sink = { on_header, sniff_record, im, NULL, NULL };
	struct csvread *r;
	enum qpc_rc rc = csvread_new(&ro, &sink, &r, e);
	if (rc)
		return rc;
	static char buf[CHUNK];
	uint64_t done = 0, limit = SNIFF_BYTES;
	*whole = false;
	for (;;) {
		if (done >= limit && im->cells && (rc = by_cells(im, e)))
			break;
		if (done >= limit) {
			struct qpc_error scratch;
			if (im->headers && decide(im, &scratch) == QPC_OK)
				break;
			limit = UINT64_MAX;
		}
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = qpc_error_set(e, QPC_ERR_IO, "reading %s: %s", im->name, strerror(errno));
			break;
		}
		if (n == 0) {
			rc = csvread_finish(r, e);
			if (!rc && im->cells) /* fewer rows than CELL_ROWS */
				rc = by_cells(im, e);
			*whole = true;
			break;
		}
		done += (uint64_t)n;
		im->bytes_done += (uint64_t)n;
		if ((rc = csvread_feed(r, buf, (size_t)n, e)))
			break;
	}
	struct csvread_info info;
	csvread_get_info(r, &info);
	im->r->delimiter = info.delim;
	im->r->encoding = info.encoding;
	im->r->encoding_guessed = info.guessed;
	/* The encoding a past file of this layout had, unless it was named
	 * or the bytes so far tell another (a UTF-8 export this time). */
	im->enc = im->o->encoding;
	if (im->enc == TEXTENC_AUTO && im->mem_enc != TEXTENC_AUTO && info.ascii) {
		im->enc = im->r->encoding = im->mem_enc;
		im->r->encoding_remembered = true;
	}
	csvread_free(r);
	return rc;
}

/* Forgets what an import pass did, for a pass that replaces it. */
static void forget_rows(struct importer *im)
{
	struct import_result *r = im->r;
	r->read = r->skipped = r->accounts_created = r->rejected = r->replaced = 0;
	memset(r->outcome, 0, sizeof r->outcome);
	r->nerrors = r->nwarnings = 0;
	im->left_out_at = 0;
	r->npreview = 0;
	im->failed = false;
	im->last_account = 0;
	im->last_key[0] = '\0';
	memset(im->cats, 0, sizeof im->cats);
	for (int f = 0; f < F_FIELDS; f++)
		if (im->fill[f])
			im->fill[f][0] = '\0';
}

/* Standard input, a pipe or a terminal may be read twice too: what they
 * give is kept in a temporary file, read once to its end (name says what
 * in messages). */
static int spool(int in, const char *name, struct qpc_error *e)
{
	const char *tmp = getenv("TMPDIR");
	char path[4096];
	snprintf(path, sizeof path, "%s/qpc-import-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0) {
		qpc_error_set(e, QPC_ERR_IO, "cannot keep %s in %s: %s", name, path, strerror(errno));
		return -1;
	}
	unlink(path);
	static char buf[CHUNK];
	for (;;) {
		ssize_t n = read(in, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			/* both passes read the copy from its start */
			if (n == 0 && lseek(fd, 0, SEEK_SET) == 0)
				return fd;
			qpc_error_set(e, QPC_ERR_IO, "reading %s: %s", name, strerror(errno));
			break;
		}
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(fd, buf + off, (size_t)(n - off));
			if (w < 0 && errno != EINTR) {
				qpc_error_set(e, QPC_ERR_IO, "cannot keep %s in a temporary file in %s: %s",
				              name, tmp && *tmp ? tmp : "/tmp", strerror(errno));
				close(fd);
				return -1;
			}
			off += w > 0 ? w : 0;
		}
	}
	close(fd);
	return -1;
}

/* Opens what the import reads into *fd, and fstat()s it into *sb.  A
 * regular file is read in place, and checked for changes at the end
 * (unchanged()); a pipe, a socket or a terminal, which cannot be read
 * twice, is read once into a temporary file; a folder is refused; other
 * devices are read in place (/dev/null is empty, /dev/zero holds NULs). */
static enum qpc_rc open_input(struct importer *im, int *fd, struct stat *sb,
                              struct qpc_error *e)
{
	const char *path = im->o->path;
	bool from_stdin = strcmp(path, "-") == 0;
	*fd = from_stdin ? spool(0, im->name, e) : open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0)
		return from_stdin ? QPC_ERR_IO
		                  : qpc_error_set(e, errno == ENOENT ? QPC_ERR_NOTFOUND : QPC_ERR_IO,
		                                  "cannot open %s: %s", path, strerror(errno));
	int in = *fd;
	if (fstat(in, sb) != 0) {
		*fd = -1;
		close(in);
		return qpc_error_set(e, QPC_ERR_IO, "cannot read %s: %s", im->name, strerror(errno));
	}
	if (S_ISREG(sb->st_mode))
		return QPC_OK;
	*fd = -1;
	if (S_ISFIFO(sb->st_mode) || S_ISSOCK(sb->st_mode) || isatty(in)) {
		*fd = spool(in, path, e);
		close(in);
		if (*fd < 0)
			return QPC_ERR_IO;
		if (fstat(*fd, sb) == 0)
			return QPC_OK;
		close(*fd);
		*fd = -1;
		return qpc_error_set(e, QPC_ERR_IO, "cannot read %s: %s", path, strerror(errno));
	}
	if (!S_ISDIR(sb->st_mode)) {
		*fd = in;
		return QPC_OK;
	}
	close(in);
	return qpc_error_set(e, QPC_ERR_IO, "%s is a folder, not a CSV file", path);
}

/* Whether the file read is still the one opened: one truncated or still
 * being written while it was read gives rows that are not the file's. */
static enum qpc_rc unchanged(const struct importer *im, int fd, const struct stat *was,
                             struct qpc_error *e)
{
	struct stat now;
	if (fstat(fd, &now) != 0)
		return qpc_error_set(e, QPC_ERR_IO, "cannot read %s: %s", im->name, strerror(errno));
	if (now.st_size == was->st_size && now.st_mtim.tv_sec == was->st_mtim.tv_sec &&
	    now.st_mtim.tv_nsec == was->st_mtim.tv_nsec)
		return QPC_OK;
	return qpc_error_set(e, QPC_ERR_IO,
	                     "%s changed while it was being imported (%lld bytes when it was opened, "
	                     "%lld now): nothing was imported; import it again once it is complete",
	                     im->name, (long long)was->st_size, (long long)now.st_size);
}

static enum qpc_rc open_rejects(struct importer *im, struct qpc_error *e)
{
	if (!im->o->skip_bad || !im->o->rejects)
		return QPC_OK;
	im->rejects = fopen(im->o->rejects, "w");
	if (!im->rejects)
		return qpc_error_set(e, QPC_ERR_IO, "cannot write the rejects file %s: %s",
		                     im->o->rejects, strerror(errno));
	csvw_init(&im->rejects_w, im->rejects, false, im->minor_units);
	im->rejects_w.delim = im->r->delimiter ? im->r->delimiter : ',';
	for (size_t c = 0; c < im->ncols; c++)
		csvw_field(&im->rejects_w, im->headers[c]);
	csvw_field(&im->rejects_w, "qpc_error");
	csvw_end(&im->rejects_w);
	return QPC_OK;
}

static enum qpc_rc close_rejects(struct importer *im, struct qpc_error *e)
{
	if (!im->rejects)
		return QPC_OK;
	bool bad = fflush(im->rejects) != 0 || ferror(im->rejects);
	bad |= fclose(im->rejects) != 0;
	im->rejects = NULL;
	return bad ? qpc_error_set(e, QPC_ERR_IO, "writing the rejects file %s failed: %s",
	                           im->o->rejects, strerror(errno))
	           : QPC_OK;
}

/* The import pass: every row, in the transaction begun here (ended by
 * the caller), read in a second thread while this one stores. */
static enum qpc_rc import_pass(struct importer *im, int fd, struct qpc_error *e)
{
	if (lseek(fd, 0, SEEK_SET) != 0)
		return qpc_error_set(e, QPC_ERR_IO, "cannot re-read %s: %s", im->name, strerror(errno));
	/* a dry run leaves even the file's header as it was: no journal
	 * switch (see qpc_ingest_begin) */
	enum qpc_rc rc = open_rejects(im, e);
	if (rc || (rc = qpc_ingest_begin(im->st, im->o->dry_run ? 0 : im->file_size, e)))
		return rc;
	im->in_tx = true;
	/* the total once the first pass has read what it needed */
	im->bytes_base += im->bytes_done;
	im->bytes_done = 0;
	if (im->file_size)
		im->bytes_total = im->bytes_base + im->file_size;
	im->sink_failed = false;
	struct csvread_opts ro = { .name = im->name, .encoding = im->enc,
		                   .delim = im->o->delimiter };
	/* sniffing touches only the sniffs, which decide() reads once the
	 * reading is over: it runs in the reading thread */
	struct csv_sink sniff = { NULL, sniff_early, im, NULL, NULL };
	/* accounts are converted in the reading thread too, stored in this one */
	struct csv_prep prep = { imp_prep, sizeof(struct account_prep), im };
	bool prepped = imp_prep_ok(im);
	struct csv_sink load = { on_header, import_record, im, prepped ? &prep : NULL,
		                 prepped && qpc_ingest_looks_ahead(im->st) ? imp_batch : NULL };
	struct csvread_info info = { 0 };
	rc = csvread_fd_threaded(fd, &ro, im->sniffing ? &sniff : NULL, &load, &info,
	                         &im->bytes_done, e);
	if (info.guessed) { /* past what the first pass read */
		im->r->encoding = info.encoding;
		im->r->encoding_guessed = true;
	}
	return rc;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

enum qpc_rc import_run(struct qpc_store *st, const struct import_opts *o, struct import_result *r,
                       struct qpc_error *e)
{
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(r, 0, sizeof *r);
	if (o->profile && !profile_find(o->profile))
		return qpc_error_set(e, QPC_ERR_USAGE, "unknown profile '%s' (known: %s)", o->profile,
		                     profile_names());
	if (o->date_format) {
		const char *why;
		if (!dateparse_format_check(o->date_format, &why))
			return qpc_error_set(e, QPC_ERR_USAGE, "--date-format '%s': %s", o->date_format, why);
	}
	if (o->skip_bad && !o->rejects && !o->dry_run)
		return qpc_error_set(e, QPC_ERR_USAGE, "--skip-bad needs --rejects FILE");
	struct qpc_settings set;
	enum qpc_rc rc = qpc_store_settings(st, &set, e);
	if (rc)
		return rc;
	struct importer im = { .st = st, .o = o, .r = r, .minor_units = set.minor_units };
	im.name = strcmp(o->path, "-") == 0 ? "standard input" : o->path;
	struct stat sb;
	int fd;
	if ((rc = open_input(&im, &fd, &sb, e)))
		return rc;
	/* two whole passes at most; known once the first is over */
	im.file_size = (uint64_t)sb.st_size;
	im.bytes_total = 2 * im.file_size;
	sniff_init(&im);

	/* Pass 1: the header and the columns' conventions, from the start of
	 * the file when that decides. */
	bool whole;
	im.pass = 1;
	if ((rc = sniff_pass(&im, fd, &whole, e)))
		goto out;
	if (!im.headers) {
		rc = qpc_error_set(e, QPC_ERR_DATA, "%s is empty: no header row", im.name);
		goto out;
	}
	if ((rc = decide(&im, e)))
		goto out;

	/* Pass 2: every row, in one transaction; again, should the whole file
	 * decide otherwise than its start did, or name a key twice (then
	 * leaving out the rows a later one replaces: import_dup.c). */
	im.pass = 2;
	for (;;) {
		enum dateparse_order order[2] = { im.order[0], im.order[1] };
		enum amount_dec dec = im.dec;
		if ((im.sniffing = !whole))
			sniff_init(&im);
		rc = import_pass(&im, fd, e);
		im.sniffing = false;
		/* the reader's error, which a whole first pass finds before any row */
		if (rc && !im.sink_failed)
			forget_rows(&im);
		if (rc)
			break;
		bool again = false;
		if (!whole) {
			whole = true;
			if ((rc = decide(&im, e))) {
				forget_rows(&im);
				break;
			}
			again = im.order[0] != order[0] || im.order[1] != order[1] || im.dec != dec;
		}
		if (again)
			dup_forget(&im); /* the next pass notes the keys afresh */
		else if (im.failed || (rc = dup_settle(&im, &again, e)) || !again)
			break;
		qpc_ingest_end(st, false, e);
		im.in_tx = false;
		forget_rows(&im);
		if ((rc = close_rejects(&im, e)))
			break;
	}
	if (!im.in_tx)
		goto out;
	if (!rc && S_ISREG(sb.st_mode))
		rc = unchanged(&im, fd, &sb, e);
	if (!rc)
		rc = qpc_ingest_settle(st, r->outcome, e);
	bool commit = !rc && !im.failed && !o->dry_run;
	if (commit) {
		char *text = mapping_text(&im);
		rc = text ? qpc_ingest_mapping_put(st, import_kind_name(o->kind), im.header_key, text, e)
		          : qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
		free(text);
		commit = !rc;
	}
	enum qpc_rc end = qpc_ingest_end(st, commit, e);
	if (!rc)
		rc = end;
	r->committed = commit && !end;
	enum qpc_rc rej = close_rejects(&im, e);
	if (!rc)
		rc = rej;
	if (!rc && im.failed)
		rc = QPC_ERR_DATA;
out:
	if (o->progress && !rc)
		o->progress(o->progress_ctx, im.bytes_total, im.bytes_total, r->read);
	close(fd);
	if (im.rejects)
		fclose(im.rejects);
	for (int f = 0; f < F_FIELDS; f++)
		free(im.fill[f]);
	free_mapping(&im);
	dup_free(&im);
	r->seconds = seconds_since(&t0);
	return rc;
}

/* The header row's cells, kept by a sink that stops at it. */
struct header_cells {
	char *cell[256];
	size_t n;
};

static enum qpc_rc header_only(void *ctx, const struct csv_record *rec, struct qpc_error *e)
{
	struct header_cells *h = ctx;
	for (size_t i = 0; i < rec->nfields && h->n < sizeof h->cell / sizeof *h->cell; i++)
		if ((h->cell[h->n] = strdup(rec->fields[i].s)))
			h->n++;
	return qpc_error_set(e, QPC_ERR_CANCELLED, "the header is enough");
}

bool import_kind_of_file(const char *path, enum import_kind *out)
{
	struct stat sb;
	bool known = false;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return false;
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode)) {
		struct header_cells h = { { NULL }, 0 };
		struct csvread_opts o = { .name = path };
		struct csv_sink sink = { header_only, NULL, &h, NULL, NULL };
		struct qpc_error e = { 0 };
		csvread_fd(fd, &o, &sink, NULL, &e);
		known = h.n && import_kind_guess((const char *const *)h.cell, h.n, out);
		for (size_t i = 0; i < h.n; i++)
			free(h.cell[i]);
	}
	close(fd);
	return known;
}
