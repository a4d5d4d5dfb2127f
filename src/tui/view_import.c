/* view_import.c — the import dialog: a file, what it holds, a dry run to
 * look at, then the import for real.
 *
 * It runs the command line's importer (import_run) twice: first as a dry
 * run that reads everything and rolls back, whose mapping, first rows and
 * counts are the preview; then, once confirmed, for real.  Bad rows seen
 * by the preview are skipped by the real run and written beside the file
 * (FILE.rejects.csv).  Each run works in a thread of its own, on a
 * connection of its own, as another qpc would; the main loop goes on,
 * draws its gauge from what the run's callback leaves (work(), waiting())
 * and hands the keys to the dialog: an Esc stops a preview at once and,
 * during the real run, asks first, the run waiting for the answer; either
 * way the transaction is rolled back and nothing changes.  Ctrl-C or a
 * closed terminal ends the loop, and closing the dialog stops the run and
 * waits for its rollback.  It reads regular files only (not_a_file): no
 * step waits on something no key can stop.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "qpc/import.h"
#include "ui.h"

#define PAUSE_NAP_MS 10 /* how often a run held by "Cancel the import?" looks again */

enum stage {
	ST_PATH,    /* typing the file's path */
	ST_PREVIEW, /* the dry run's result, waiting for a yes */
	ST_OPTIONS, /* choosing how the file is read (C-o), then a new preview */
	ST_RUN,     /* importing for real */
	ST_DONE,    /* the summary, or why nothing changed */
};

struct importd {
	struct app *app;
	enum stage stage;
	struct input path;
	enum import_kind kind;
	bool kind_chosen;     /* by the user: no more guessing from the name */
	bool tabbed;          /* the last key was a Tab */
	bool listing;         /* the names a Tab matched are shown */
	struct path_choices choices;
	char file[PATH_COMPLETE_MAX];          /* the path, "~" expanded */
	char rejects[PATH_COMPLETE_MAX + 16];  /* where the real run puts bad rows */
	char error[1100];     /* why nothing happened, one sentence */
	struct import_result *preview, *result;
	/* How the file is read, as the command line's options say it: 0 for
	 * each is "told from the file".  field[c] is the field column c
	 * feeds; `mapped` when the user chose them (then all are passed). */
	struct read_opts {
		enum textenc_kind encoding;
		char delimiter;
		enum amount_dec decimal;
		enum dateparse_order date_order;
		bool mapped;
		int ncols;
		char header[64][64];
		enum import_field field[64];
	} opt, saved;         /* saved: as they were when the options opened */
	enum stage back;      /* where Esc in the options returns */
	int row, top;         /* the options' cursor and first row shown */
	char maps[64][140];   /* "Header=field", for import_opts.maps */
	/* during a run: the thread's progress as last read, the question */
	bool dry, asking;
	uint64_t done, total, rows;
	struct run {
		bool on; /* a thread runs, to be joined */
		pthread_t thread;
		struct qpc_store *st; /* its connection */
		struct import_opts o;
		struct import_result *res;
		enum qpc_rc rc;
		struct qpc_error e;
		_Atomic uint64_t done, total, rows;
		atomic_bool cancel, paused, finished;
	} run;
};

static const char *const kind_names[IMPORT_KINDS] = { "accounts", "sales", "potential" };

/* What a file holds, from words its name often has. */
static enum import_kind kind_from_name(const char *path)
{
	static const struct {
		const char *word;
		enum import_kind kind;
	} hints[] = {
		{ "sale", IMPORT_SALES },       { "order", IMPORT_SALES },
		{ "invoice", IMPORT_SALES },    { "deal", IMPORT_SALES },
		{ "opportunit", IMPORT_SALES }, { "potential", IMPORT_POTENTIAL },
		{ "qpc", IMPORT_POTENTIAL },
	};
	const char *base = strrchr(path, '/');
	char low[256];
	size_t i;
	base = base ? base + 1 : path;
	for (i = 0; base[i] && i + 1 < sizeof low; i++)
		low[i] = (char)(base[i] >= 'A' && base[i] <= 'Z' ? base[i] + 32 : base[i]);
	low[i] = '\0';
	/* a Salesforce export of accounts is not a sales file */
	for (char *sf = strstr(low, "salesforce"); sf; sf = strstr(sf, "salesforce"))
		memset(sf, '_', 10);
	for (i = 0; i < sizeof hints / sizeof *hints; i++)
		if (strstr(low, hints[i].word))
			return hints[i].kind;
	return IMPORT_ACCOUNTS;
}

/* What a file holds: from its header row when it can be read (an order
 * export has a date and an amount, whatever it is called), else from its
 * name. */
static enum import_kind kind_of(const char *typed)
{
	char path[4096];
	if (!path_expand(typed, getenv("HOME"), path, sizeof path))
		return kind_from_name(typed);
	enum import_kind k;
	return import_kind_of_file(path, &k) ? k : kind_from_name(path);
}

/* --- options ------------------------------------------------------------- */

/* The options' rows: four settings, then one per column of the file. */
enum { OPT_ENCODING, OPT_DELIMITER, OPT_DECIMAL, OPT_DATES, OPT_COLUMNS };

static const enum textenc_kind encodings[] = { TEXTENC_AUTO,   TEXTENC_UTF8,    TEXTENC_CP1252,
	                                       TEXTENC_LATIN1, TEXTENC_UTF16LE, TEXTENC_UTF16BE };
static const char delimiters[] = { 0, ',', ';', '\t', '|' };
static const enum amount_dec decimals[] = { AMOUNT_DEC_AUTO, AMOUNT_DEC_POINT, AMOUNT_DEC_COMMA };
static const enum dateparse_order orders[] = { DATEPARSE_UNDECIDED, DATEPARSE_DMY, DATEPARSE_MDY };
#define N(a) ((int)(sizeof(a) / sizeof *(a)))

static int opt_rows(const struct importd *s)
{
	return OPT_COLUMNS + s->opt.ncols;
}

/* The columns as the last preview read them, unless the user mapped them. */
static void opt_columns(struct importd *s)
{
	const struct import_result *p = s->preview;
	if (s->opt.mapped)
		return;
	s->opt.ncols = p->ncolumns < 64 ? p->ncolumns : 64;
	for (int c = 0; c < s->opt.ncols; c++) {
		snprintf(s->opt.header[c], sizeof s->opt.header[c], "%s", p->columns[c].header);
		s->opt.field[c] = p->columns[c].field;
	}
}

static const char *field_label(enum import_field f)
{
	return f <= F_IGNORED ? "(not read)" : import_field_name(f);
}

static void opt_label(int row, const struct read_opts *o, char *buf, size_t n)
{
	static const char *const labels[] = { "Encoding", "Delimiter", "Decimal mark", "Date order" };
	if (row < OPT_COLUMNS)
		snprintf(buf, n, "%s", labels[row]);
	else
		snprintf(buf, n, "%s", o->header[row - OPT_COLUMNS][0] ? o->header[row - OPT_COLUMNS]
		                                                        : "(no header)");
}

static void opt_value(int row, const struct read_opts *o, char *buf, size_t n)
{
	switch (row) {
	case OPT_ENCODING:
		snprintf(buf, n, "%s", o->encoding == TEXTENC_AUTO
		                               ? "from the file (a BOM, else UTF-8, else windows-1252)"
		                               : textenc_name(o->encoding));
		break;
	case OPT_DELIMITER:
		if (!o->delimiter)
			snprintf(buf, n, "from the header");
		else
			snprintf(buf, n, "%s", o->delimiter == '\t' ? "Tab" : (char[]){ o->delimiter, 0 });
		break;
	case OPT_DECIMAL:
		snprintf(buf, n, "%s", o->decimal == AMOUNT_DEC_POINT   ? ". (1,234.50)"
		                       : o->decimal == AMOUNT_DEC_COMMA ? ", (1.234,50)"
		                                                        : "from the amounts");
		break;
	case OPT_DATES:
		snprintf(buf, n, "%s", o->date_order == DATEPARSE_DMY   ? "day first (31/12/2026)"
		                       : o->date_order == DATEPARSE_MDY ? "month first (12/31/2026)"
		                                                        : "from the dates");
		break;
	default:
		snprintf(buf, n, "%s", field_label(o->field[row - OPT_COLUMNS]));
	}
}

/* i moved by dir through n choices, round. */
static int step(int i, int n, int dir)
{
	return ((i + dir) % n + n) % n;
}

/* The next field of the kind for column c, as --map would put it there:
 * the field leaves any other column it was on. */
static void opt_field(struct importd *s, int c, int dir)
{
	struct read_opts *o = &s->opt;
	enum import_field f = o->field[c] < F_IGNORED ? F_IGNORED : o->field[c];
	do
		f = (enum import_field)(F_IGNORED + step(f - F_IGNORED, F_FIELDS - F_IGNORED, dir));
	while (!import_field_allowed(s->kind, f));
	for (int i = 0; i < o->ncols; i++)
		if (i != c && f != F_IGNORED && o->field[i] == f)
			o->field[i] = F_IGNORED;
	o->field[c] = f;
	o->mapped = true;
}

/* v moved by dir through the choices of array a (from the first, when v
 * is none of them). */
#define CYCLE(a, v, dir)                                                 \
	do {                                                             \
		int i_ = 0;                                              \
		while (i_ < N(a) && (a)[i_] != (v))                      \
			i_++;                                            \
		(v) = (a)[step(i_ < N(a) ? i_ : 0, N(a), (dir))];        \
	} while (0)

static void opt_change(struct importd *s, int dir)
{
	struct read_opts *o = &s->opt;
	switch (s->row) {
	case OPT_ENCODING: CYCLE(encodings, o->encoding, dir); break;
	case OPT_DELIMITER: CYCLE(delimiters, o->delimiter, dir); break;
	case OPT_DECIMAL: CYCLE(decimals, o->decimal, dir); break;
	case OPT_DATES: CYCLE(orders, o->date_order, dir); break;
	default: opt_field(s, s->row - OPT_COLUMNS, dir);
	}
}

/* The options as import_run takes them; a mapping chosen here names
 * every column, so that nothing else decides. */
static void opt_apply(struct importd *s, struct import_opts *o)
{
	o->encoding = s->opt.encoding;
	o->delimiter = s->opt.delimiter;
	o->decimal = s->opt.decimal;
	o->date_order = s->opt.date_order;
	if (!s->opt.mapped)
		return;
	for (int c = 0; c < s->opt.ncols && o->nmaps < IMPORT_MAX_MAPS; c++) {
		const char *h = s->opt.header[c];
		/* a header cut to fit, or empty, cannot be named: left as read */
		if (!h[0] || strlen(h) >= sizeof s->opt.header[c] - 1)
			continue;
		char spec[sizeof s->maps[0]]; /* apart: h is in *s too */
		snprintf(spec, sizeof spec, "%s=%s", h,
		         s->opt.field[c] <= F_IGNORED ? "ignore" : import_field_name(s->opt.field[c]));
		memcpy(s->maps[o->nmaps], spec, sizeof spec);
		o->maps[o->nmaps] = s->maps[o->nmaps];
		o->nmaps++;
	}
}

/* --- drawing ------------------------------------------------------------- */

/* Lines left in the dialog, from *y down to the bottom of r. */
static bool room(const struct ui_rect *r, int y)
{
	return y < r->y + r->h;
}

/* Writes text word-wrapped from row *y, at most `max` rows (cut after
 * them); moves *y past it. */
static void wrap(const struct ui_rect *r, int *y, int max, const char *text, attr_t attr)
{
	char word[1024];
	int x = r->x;
	while (*text && room(r, *y) && max > 0) {
		size_t n = strcspn(text, " ");
		snprintf(word, sizeof word, "%.*s", (int)(n < sizeof word ? n : sizeof word - 1), text);
		int w = (int)textcell_width(word);
		if (x > r->x && x + 1 + w > r->x + r->w) {
			if (--max == 0 || !room(r, ++*y))
				break; /* cut: the rest does not fit */
			x = r->x;
		} else if (x > r->x) {
			x++;
		}
		x += draw_span(*y, x, r->x + r->w - x, word, attr);
		text += n;
		text += strspn(text, " ");
	}
	++*y;
}

static void draw_path(struct importd *s, const struct ui_rect *r, int *y)
{
	bool typing = s->stage == ST_PATH && !s->app->ask;
	int lw = draw_span(*y, r->x, r->w, "File ", theme_attr(UC_LABEL));
	if (typing)
		input_draw(&s->path, *y, r->x + lw, r->w - lw, theme_attr(UC_CURSOR), !s->app->help);
	else
		draw_text(*y, r->x + lw, r->w - lw, s->file, TEXTCELL_LEFT, A_NORMAL);
	if (!room(r, ++*y))
		return;
	char kind[96];
	snprintf(kind, sizeof kind, "%s%s", kind_names[s->kind],
	         s->stage <= ST_PREVIEW ? "  (C-t: accounts, sales, potential)" : "");
	lw = draw_span(*y, r->x, r->w, "Kind ", theme_attr(UC_LABEL));
	draw_text(*y, r->x + lw, r->w - lw, kind, TEXTCELL_LEFT, A_NORMAL);
	++*y;
}

static void draw_choices(struct importd *s, const struct ui_rect *r, int *y)
{
	int width = 8;
	for (int i = 0; i < s->choices.n; i++) {
		int w = (int)textcell_width(s->choices.names[i]) + 2;
		width = w > width ? w : width;
	}
	width = width > r->w ? r->w : width;
	int per = r->w / width, i = 0;
	while (i < s->choices.n && room(r, *y)) {
		for (int c = 0; c < per && i < s->choices.n; c++, i++)
			draw_text(*y, r->x + c * width, width - 1, s->choices.names[i], TEXTCELL_LEFT,
			          A_NORMAL);
		++*y;
	}
	if (s->choices.total > s->choices.n && room(r, *y)) {
		char more[64];
		snprintf(more, sizeof more, "... and %d more", s->choices.total - s->choices.n);
		draw_text((*y)++, r->x, r->w, more, TEXTCELL_LEFT, theme_attr(UC_DIM));
	}
}

/* An importer's message without the file's name it starts with: the
 * dialog shows the file above. */
static const char *local(const struct importd *s, const char *msg)
{
	size_t n = strlen(s->file);
	return strncmp(msg, s->file, n) == 0 && msg[n] == ':' ? msg + n + 1 : msg;
}

static void draw_errors(struct importd *s, const struct import_result *res, const struct ui_rect *r,
                        int *y)
{
	char line[400];
	for (int i = 0; i < res->nerrors && room(r, *y); i++) {
		snprintf(line, sizeof line, "line %s", local(s, res->errors[i]));
		draw_text((*y)++, r->x, r->w, line, TEXTCELL_LEFT, theme_attr(UC_ERROR));
	}
	if (res->rejected > (uint64_t)res->nerrors && room(r, *y)) {
		snprintf(line, sizeof line, "... and %llu more bad rows",
		         (unsigned long long)(res->rejected - (uint64_t)res->nerrors));
		draw_text((*y)++, r->x, r->w, line, TEXTCELL_LEFT, theme_attr(UC_ERROR));
	}
}

/* The first rows under their fields, as many columns as fit. */
static void draw_rows(const struct import_result *p, const struct ui_rect *r, int *y)
{
	int lw = 5, n = p->npreview_cols;
	if (n == 0 || !room(r, *y))
		return;
	int cw = (r->w - lw) / n;
	if (cw < 10) {
		cw = 10;
		n = (r->w - lw) / cw;
	}
	draw_text(*y, r->x, lw, "line", TEXTCELL_LEFT, theme_attr(UC_HEADER));
	for (int c = 0; c < n; c++)
		draw_text(*y, r->x + lw + c * cw, cw, import_field_name(p->columns[p->preview_col[c]].field),
		          TEXTCELL_LEFT, theme_attr(UC_HEADER));
	++*y;
	for (int i = 0; i < p->npreview && room(r, *y); i++, ++*y) {
		char num[24];
		snprintf(num, sizeof num, "%llu", (unsigned long long)p->preview_line[i]);
		draw_text(*y, r->x, lw - 1, num, TEXTCELL_RIGHT, theme_attr(UC_DIM));
		for (int c = 0; c < n; c++)
			draw_text(*y, r->x + lw + c * cw, cw - 1, p->preview[i][c], TEXTCELL_LEFT, A_NORMAL);
	}
}

static void draw_mapping(const struct import_result *p, const struct ui_rect *r, int *y)
{
	char text[2048], unread[1024];
	size_t used = 0;
	import_describe(p, text, sizeof text);
	wrap(r, y, 2, text, theme_attr(UC_DIM));
	for (int c = 0; c < p->ncolumns && c < 64 && used < sizeof text; c++)
		if (p->columns[c].field > F_IGNORED)
			used += (size_t)snprintf(text + used, sizeof text - used, "%s%s -> %s",
			                         used ? ", " : "Columns: ", p->columns[c].header,
			                         import_field_name(p->columns[c].field));
	if (used)
		wrap(r, y, 3, text, A_NORMAL);
	if (import_unread(p, unread, sizeof unread)) {
		snprintf(text, sizeof text, "Not read: %s", unread);
		wrap(r, y, 2, text, theme_attr(UC_WARN));
	}
}

static void draw_preview(struct importd *s, const struct ui_rect *r, int *y)
{
	const struct import_result *p = s->preview;
	char text[PATH_COMPLETE_MAX + 640];
	/* the counts and the way on come first: at 40x12 they are what fits */
	import_summary(p, QPC_OK, true, text, sizeof text);
	wrap(r, y, 2, text, theme_attr(UC_TITLE));
	if (p->rejected)
		snprintf(text, sizeof text, "Enter: import the good rows; the %llu bad one%s go%s to %s. "
		                            "Esc: cancel.", (unsigned long long)p->rejected,
		         p->rejected == 1 ? "" : "s", p->rejected == 1 ? "es" : "", s->rejects);
	else
		snprintf(text, sizeof text, "Enter: import it. Esc: cancel, nothing changes.");
	wrap(r, y, 2, text, theme_attr(UC_KEY));
	wrap(r, y, 1, "C-o: how to read it (encoding, delimiter, decimal mark, date order, columns).",
	     theme_attr(UC_DIM));
	draw_errors(s, p, r, y);
	if (room(r, *y))
		++*y;
	draw_mapping(p, r, y);
	draw_rows(p, r, y);
}

/* How to read the file: the settings, then each column beside the field
 * it feeds, a cursor on one. */
static void draw_options(struct importd *s, const struct ui_rect *r, int *y)
{
	wrap(r, y, 2, "Up/Down: choose. Left/Right or Space: change it. Enter: preview again. "
	              "Esc: back, as it was.", theme_attr(UC_KEY));
	if (s->opt.ncols == 0)
		wrap(r, y, 2, "The columns show here once a preview has read the file's header.",
		     theme_attr(UC_DIM));
	int visible = r->y + r->h - *y, n = opt_rows(s);
	if (visible < 1)
		return;
	s->top = uil_scroll(s->row, s->top, visible, n, 0);
	int lw = r->w / 2 < 28 ? r->w / 2 : 28;
	for (int i = s->top; i < n && room(r, *y); i++, ++*y) {
		char label[80], value[96];
		opt_label(i, &s->opt, label, sizeof label);
		opt_value(i, &s->opt, value, sizeof value);
		attr_t at = i == s->row ? theme_attr(UC_CURSOR) : A_NORMAL;
		int indent = i >= OPT_COLUMNS ? 2 : 0;
		draw_text(*y, r->x, r->w, "", TEXTCELL_LEFT, at);
		draw_text(*y, r->x + indent, lw - indent - 1, label, TEXTCELL_LEFT,
		          i == s->row ? at : theme_attr(UC_LABEL));
		draw_text(*y, r->x + lw, r->w - lw, value, TEXTCELL_LEFT, at);
	}
}

static void draw_progress(struct importd *s, const struct ui_rect *r, int *y)
{
	char label[64];
	snprintf(label, sizeof label, "%llu rows", (unsigned long long)s->rows);
	wrap(r, y, 1, s->dry ? "Reading the file for the preview (nothing is changed)..."
	                     : "Importing...", theme_attr(UC_TITLE));
	if (room(r, *y))
		gauge_draw((*y)++, r->x, r->w, (int64_t)s->done, (int64_t)s->total, label);
	if (room(r, *y))
		wrap(r, y, 2, s->asking ? "Cancel the import? y: yes, everything is rolled back; n: go on"
		                        : "Esc: cancel", theme_attr(s->asking ? UC_WARN : UC_KEY));
}

static void draw_done(struct importd *s, const struct ui_rect *r, int *y)
{
	char text[600];
	if (s->error[0]) {
		wrap(r, y, 4, s->error, theme_attr(UC_ERROR));
	} else {
		import_summary(s->result, QPC_OK, false, text, sizeof text);
		wrap(r, y, 3, text, theme_attr(UC_GOOD));
		if (s->result->rejected) {
			snprintf(text, sizeof text, "Bad rows written to %s", s->rejects);
			wrap(r, y, 2, text, theme_attr(UC_WARN));
		}
	}
	if (room(r, *y))
		wrap(r, y, 1, "Enter or Esc: close", theme_attr(UC_KEY));
	if (!s->error[0])
		draw_errors(s, s->result, r, y);
}

static void import_draw(struct view *v, struct ui_rect r)
{
	struct importd *s = v->data;
	int y = r.y;
	draw_text(y++, r.x, r.w, "Import a CSV file", TEXTCELL_LEFT, theme_attr(UC_TITLE));
	if (!room(&r, y))
		return;
	draw_path(s, &r, &y);
	if (!room(&r, y))
		return;
	if (s->stage == ST_RUN || s->dry) {
		draw_progress(s, &r, &y);
	} else if (s->stage == ST_PATH) {
		if (s->error[0]) {
			wrap(&r, &y, 4, s->error, theme_attr(UC_ERROR));
			wrap(&r, &y, 2, "C-o: how to read it (encoding, delimiter, decimal mark, date "
			                "order, which column is which).", theme_attr(UC_KEY));
		}
		wrap(&r, &y, 2, "Tab: complete the name (twice: list). Enter: preview, nothing is "
		                "changed. Esc: cancel.", theme_attr(UC_DIM));
		if (s->listing)
			draw_choices(s, &r, &y);
	} else if (s->stage == ST_PREVIEW) {
		draw_preview(s, &r, &y);
	} else if (s->stage == ST_OPTIONS) {
		draw_options(s, &r, &y);
	} else {
		draw_done(s, &r, &y);
	}
}

static void import_status(struct view *v, char *buf, size_t n)
{
	struct importd *s = v->data;
	static const char *const what[] = { "type a file's path", "preview: nothing changed yet",
		                            "how to read the file", "importing", "done" };
	snprintf(buf, n, "Import: %s", what[s->stage]);
}

/* --- running ------------------------------------------------------------- */

/* In the run's thread: what it has done, for the gauge; held while the
 * question is up; 1 stops it (rolled back). */
static int on_progress(void *ctx, uint64_t done, uint64_t total, uint64_t rows)
{
	struct run *r = ctx;
	atomic_store(&r->done, done);
	atomic_store(&r->total, total);
	atomic_store(&r->rows, rows);
	struct timespec nap = { 0, PAUSE_NAP_MS * 1000000L };
	while (atomic_load(&r->paused) && !atomic_load(&r->cancel))
		nanosleep(&nap, NULL); /* not curses': this is not the screen's thread */
	return atomic_load(&r->cancel) ? 1 : 0;
}

static void *run_thread(void *arg)
{
	struct run *r = arg;
	r->rc = import_run(r->st, &r->o, r->res, &r->e);
	atomic_store(&r->finished, true);
	return NULL;
}

/* Starts a run, the dry one or the real one, into res; false with why in
 * s->error when it cannot. */
static bool run_start(struct importd *s, bool dry, struct import_result *res)
{
	struct run *r = &s->run;
	struct qpc_error e = { 0 };
	struct qpc_store *st = NULL;
	if (qpc_store_open(qpc_store_path(s->app->st), QPC_OPEN_EXISTING, &st, &e)) {
		snprintf(s->error, sizeof s->error, "Nothing was changed: %s", e.msg);
		return false;
	}
	qpc_store_same_actor(st, s->app->st);
	r->o = (struct import_opts){
		.kind = s->kind,
		.path = s->file,
		.dry_run = dry,
		/* the preview counts the bad rows; the real run leaves them out */
		.skip_bad = dry || s->preview->rejected > 0,
		.rejects = dry ? NULL : s->rejects,
		.today = qpc_browse_as_of(s->app->br),
		.progress = on_progress,
		.progress_ctx = r,
	};
	opt_apply(s, &r->o);
	r->st = st;
	r->res = res;
	r->rc = QPC_OK;
	memset(&r->e, 0, sizeof r->e);
	atomic_store(&r->done, 0);
	atomic_store(&r->total, 0);
	atomic_store(&r->rows, 0);
	atomic_store(&r->cancel, false);
	atomic_store(&r->paused, false);
	atomic_store(&r->finished, false);
	s->dry = dry;
	s->asking = false;
	s->done = s->total = s->rows = 0;
	if (pthread_create(&r->thread, NULL, run_thread, r) != 0) {
		qpc_store_close(st);
		snprintf(s->error, sizeof s->error, "Nothing was changed: no thread could be started");
		return false;
	}
	r->on = true;
	return true;
}

/* Waits for the run's end (its rollback, when stopped) and closes its
 * connection; the result is in run.rc, run.e, run.res. */
static void run_join(struct importd *s)
{
	struct run *r = &s->run;
	if (!r->on)
		return;
	pthread_join(r->thread, NULL);
	qpc_store_close(r->st);
	r->st = NULL;
	r->on = false;
	s->asking = false;
}

static void run_stop(struct importd *s)
{
	atomic_store(&s->run.cancel, true);
	atomic_store(&s->run.paused, false);
	run_join(s);
}

/* What `path` is when it is something the dialog will not read: a named
 * pipe with no writer would block the open, a terminal or a device the
 * reads, where no key reaches the dialog; and neither can be read twice,
 * for the preview and then the import.  NULL for a regular file, a
 * folder (the importer says so) or what cannot be opened (it says why).
 * Opened without blocking, and only looked at: O_NONBLOCK makes the open
 * of a FIFO return at once, and the importer opens the file again.  (Were
 * the file swapped for a FIFO in between, its open would wait; a signal
 * still ends that, term.c's grace at the latest.) */
static const char *not_a_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	struct stat sb;
	if (fd < 0)
		return NULL;
	const char *what = NULL;
	if (fstat(fd, &sb) == 0 && !S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode))
		what = S_ISFIFO(sb.st_mode)   ? "a named pipe (FIFO)"
		       : isatty(fd)           ? "a terminal"
		       : S_ISSOCK(sb.st_mode) ? "a socket"
		                              : "a device";
	close(fd);
	return what;
}

/* Refuses, in s->error, a path the dialog will not read (not_a_file). */
static bool refused(struct importd *s, const char *path, const char *start, const char *end)
{
	const char *what = not_a_file(path);
	if (what)
		snprintf(s->error, sizeof s->error, "%s%s is %s, not a regular file: %s", start, path, what,
		         end);
	return what != NULL;
}

static void preview(struct importd *s)
{
	const char *home = getenv("HOME");
	s->error[0] = '\0';
	s->listing = false;
	if (!path_expand(s->path.text, home, s->file, sizeof s->file) || !s->file[0]) {
		snprintf(s->error, sizeof s->error, "Type the path of a CSV file first.");
		return;
	}
	if (strcmp(s->file, "-") == 0) /* a file of that name: the importer's "-" is stdin, the tty */
		snprintf(s->file, sizeof s->file, "./-");
	snprintf(s->rejects, sizeof s->rejects, "%s.rejects.csv", s->file);
	if (refused(s, s->file, "", "the dialog reads files only; save it to a file first.")) {
		s->stage = ST_PATH;
		return;
	}
	if (!run_start(s, true, s->preview))
		s->stage = ST_PATH;
}

static void preview_done(struct importd *s, enum qpc_rc rc, const struct qpc_error *e)
{
	if (rc == QPC_OK) {
		s->stage = ST_PREVIEW;
		return;
	}
	s->stage = ST_PATH;
	snprintf(s->error, sizeof s->error, "%s",
	         rc == QPC_ERR_CANCELLED ? "The preview was cancelled: nothing was changed."
	                                 : e->msg[0] ? e->msg : "The file could not be read.");
}

static void import_for_real(struct importd *s)
{
	/* either may have been replaced since the preview */
	if (refused(s, s->file, "Nothing was changed: ", "the dialog reads files only.") ||
	    (s->preview->rejected &&
	     refused(s, s->rejects, "Nothing was changed: ", "the bad rows cannot go there."))) {
		s->stage = ST_DONE;
		return;
	}
	s->stage = run_start(s, false, s->result) ? ST_RUN : ST_DONE;
}

static void import_done(struct importd *s, enum qpc_rc rc, const struct qpc_error *e)
{
	s->stage = ST_DONE;
	if (rc == QPC_OK) {
		/* A load into an empty database leaves the figures, and the
		 * indexes that sort them, to the next refresh: now, not when
		 * the dashboard view happens to be opened. */
		struct qpc_error fe = { 0 };
		enum qpc_rc frc = qpc_store_refresh(s->app->st, qpc_browse_as_of(s->app->br), &fe);
		if (frc) { /* browse the figures as they stand, and say why */
			qpc_store_keep_figures(s->app->st, frc);
			snprintf(s->error, sizeof s->error, "Imported; but %s", fe.msg);
		}
		app_changed(s->app);
		return;
	}
	if (rc == QPC_ERR_CANCELLED)
		snprintf(s->error, sizeof s->error, "The import was cancelled: nothing was changed.");
	else if (rc == QPC_ERR_DATA && s->result->nerrors) /* the file changed since the preview */
		snprintf(s->error, sizeof s->error, "Nothing was changed: %s", s->result->errors[0]);
	else
		snprintf(s->error, sizeof s->error, "Nothing was changed: %s",
		         e->msg[0] ? e->msg : "the import failed");
}

/* Between keys: the run's progress for the gauge, and its end. */
static bool import_work(struct view *v)
{
	struct importd *s = v->data;
	if (!s->run.on)
		return false;
	s->done = atomic_load(&s->run.done);
	s->total = atomic_load(&s->run.total);
	s->rows = atomic_load(&s->run.rows);
	if (!atomic_load(&s->run.finished))
		return false;
	bool dry = s->dry;
	run_join(s);
	s->dry = false;
	if (dry)
		preview_done(s, s->run.rc, &s->run.e);
	else
		import_done(s, s->run.rc, &s->run.e);
	return false;
}

static bool import_waiting(struct view *v)
{
	struct importd *s = v->data;
	return s->run.on;
}

/* The keys during a run: Esc stops a preview; the real run asks first,
 * held meanwhile, y stops it, n or Esc goes on.  Others wait. */
static unsigned run_key(struct importd *s, wint_t ch, bool is_code)
{
	bool esc = !is_code && ch == 27;
	if (s->asking) {
		if (!is_code && (ch == 'y' || ch == 'Y')) {
			atomic_store(&s->run.cancel, true);
		} else if (!(esc || (!is_code && (ch == 'n' || ch == 'N')))) {
			return UI_HANDLED;
		}
		s->asking = false;
		atomic_store(&s->run.paused, false);
		return UI_HANDLED | UI_REDRAW;
	}
	if (esc && s->dry) {
		atomic_store(&s->run.cancel, true);
	} else if (esc) {
		atomic_store(&s->run.paused, true);
		s->asking = true;
	}
	return UI_HANDLED | UI_REDRAW;
}

/* --- keys ---------------------------------------------------------------- */

static void complete(struct importd *s)
{
	char out[PATH_COMPLETE_MAX];
	int n = path_complete(s->path.text, getenv("HOME"), out, sizeof out, &s->choices);
	s->error[0] = '\0';
	if (n == 0) {
		snprintf(s->error, sizeof s->error, "No file or folder starts with that.");
	} else if (strcmp(out, s->path.text) != 0) {
		if (strlen(out) < sizeof s->path.text)
			input_set(&s->path, out);
	} else if (n > 1) {
		s->listing = s->tabbed; /* a second Tab that adds nothing lists */
	}
	s->tabbed = true;
	if (!s->kind_chosen)
		s->kind = kind_of(s->path.text);
}

/* Up and down the options, and a change of the one under the cursor. */
static unsigned options_key(struct importd *s, wint_t ch, bool is_code)
{
	int n = opt_rows(s), dir = 0;
	if (is_code ? ch == KEY_UP : ch == 'k')
		s->row = s->row > 0 ? s->row - 1 : 0;
	else if (is_code ? ch == KEY_DOWN : ch == 'j')
		s->row = s->row + 1 < n ? s->row + 1 : n - 1;
	else if (is_code ? ch == KEY_HOME : ch == 'g')
		s->row = 0;
	else if (is_code ? ch == KEY_END : ch == 'G')
		s->row = n - 1;
	else if (is_code ? ch == KEY_LEFT : ch == 'h')
		dir = -1;
	else if (is_code ? ch == KEY_RIGHT : ch == 'l' || ch == ' ')
		dir = 1;
	else
		return UI_IGNORED;
	if (dir)
		opt_change(s, dir);
	return UI_HANDLED | UI_REDRAW;
}

/* A new file or kind: the columns chosen for the last one are not its. */
static void forget_columns(struct importd *s)
{
	s->opt.mapped = false;
	s->opt.ncols = 0;
	s->preview->ncolumns = 0;
}

static unsigned import_key(struct view *v, wint_t ch, bool is_code)
{
	struct importd *s = v->data;
	if (s->run.on)
		return run_key(s, ch, is_code);
	if (s->stage == ST_OPTIONS)
		return options_key(s, ch, is_code);
	if (s->stage != ST_PATH)
		return UI_IGNORED;
	bool text = !is_code && ch >= ' ' && ch != 127;
	enum qpc_action act = text ? QPC_ACT_NONE : keymap_lookup((int)ch, is_code, QPC_IN_DIALOG);
	if (act == QPC_ACT_DIALOG_COMPLETE || act == QPC_ACT_DIALOG_KIND ||
	    act == QPC_ACT_DIALOG_OK || act == QPC_ACT_DIALOG_CANCEL || act == QPC_ACT_DIALOG_OPTIONS)
		return UI_IGNORED; /* the dialog's own keys, as the help lists them */
	enum input_result r = input_key(&s->path, ch, is_code);
	if (r == INPUT_IGNORED)
		return UI_IGNORED;
	if (r == INPUT_EDITED) {
		forget_columns(s);
		s->tabbed = s->listing = false;
		s->error[0] = '\0';
		if (!s->kind_chosen)
			s->kind = kind_of(s->path.text);
	}
	return UI_HANDLED | UI_REDRAW;
}

static unsigned import_action(struct view *v, enum qpc_action a)
{
	struct importd *s = v->data;
	switch (a) {
	case QPC_ACT_DIALOG_COMPLETE:
		if (s->stage == ST_PATH)
			complete(s);
		return UI_HANDLED | UI_REDRAW;
	case QPC_ACT_DIALOG_KIND:
		if (s->stage > ST_PREVIEW)
			return UI_HANDLED;
		s->kind = (enum import_kind)((s->kind + 1) % IMPORT_KINDS);
		s->kind_chosen = true;
		forget_columns(s); /* another kind reads other fields */
		if (s->stage == ST_PREVIEW)
			preview(s);
		return UI_HANDLED | UI_REDRAW;
	case QPC_ACT_DIALOG_OPTIONS:
		if (s->stage > ST_PREVIEW)
			return UI_HANDLED;
		s->saved = s->opt;
		s->back = s->stage;
		s->stage = ST_OPTIONS;
		s->row = s->top = 0;
		opt_columns(s);
		return UI_HANDLED | UI_REDRAW;
	case QPC_ACT_DIALOG_OK:
		if (s->stage == ST_OPTIONS) {
			s->stage = s->back;
			preview(s);
		} else if (s->stage == ST_PATH)
			preview(s);
		else if (s->stage == ST_PREVIEW)
			import_for_real(s);
		else
			app_pop(s->app);
		return UI_HANDLED | UI_REDRAW;
	case QPC_ACT_IMPORT:
		return UI_HANDLED; /* already here */
	case QPC_ACT_DIALOG_CANCEL:
	case QPC_ACT_BACK:
		if (s->stage == ST_OPTIONS) { /* back, the options as they were */
			s->opt = s->saved;
			s->stage = s->back;
			return UI_HANDLED | UI_REDRAW;
		}
		app_pop(s->app); /* before the run: nothing was changed */
		return UI_HANDLED | UI_REDRAW;
	default:
		return UI_IGNORED;
	}
}

static void import_close(struct view *v)
{
	struct importd *s = v->data;
	run_stop(s); /* a run left (Ctrl-C, the terminal gone): rolled back */
	free(s->preview);
	free(s->result);
	free(s);
}

static const struct view_ops import_ops = {
	.title = "Import",
	.scope = QPC_IN_DIALOG,
	.close = import_close,
	.draw = import_draw,
	.action = import_action,
	.status = import_status,
	.key = import_key,
	.work = import_work,
	.waiting = import_waiting,
};

void import_open(struct app *a)
{
	if (!app_writable(a, QPC_ROLE_ADMIN, "import"))
		return;
	struct importd *s = calloc(1, sizeof *s);
	if (s) {
		s->preview = calloc(1, sizeof *s->preview);
		s->result = calloc(1, sizeof *s->result);
	}
	if (!s || !s->preview || !s->result) {
		if (s)
			import_close(&(struct view){ .data = s });
		app_message(a, true, "out of memory");
		return;
	}
	s->app = a;
	app_push(a, view_new(a, &import_ops, s));
}
