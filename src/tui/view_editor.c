/* view_editor.c — the QPC editor: an account's QPC lines as a form, the
 * rep's share estimate, and a live preview of what saving would make of
 * the account's share and status.
 *
 * The form itself (typed text, validation, the sheet to save) is
 * editor_model.c; this file draws it and turns keys into changes.  Saving
 * is one qpc_edit_save() against the sheet as loaded: when someone else
 * saved in between, the conflict is shown in full and the user chooses to
 * overwrite (w) or reload theirs (R), each asked first.  When others
 * changed only lines this edit leaves alone, those stay theirs, and the
 * editor says which before saving beside them.  Any other failure
 * leaves the form as typed.  A successful save closes the editor.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "editor_model.h"
#include "qpc/edit.h"
#include "qpc/saying.h"
#include "ui.h"

#define MAX_CATEGORIES 64

struct editor {
	struct app *app;
	int64_t id;
	char name[QPC_TEXT_NAME];
	struct edm m;
	int row;               /* a line, or m.nlines: the share */
	enum edm_field field;
	int top;
	bool editing;
	struct input in;
	char was[EDM_TEXT];    /* the field before editing, for Esc */
	bool conflict;
	bool others, others_seen; /* others changed other lines: told, agreed */
	char conflict_msg[1024];
	char categories[MAX_CATEGORIES][QPC_CATEGORY_MAX];
	int ncategories, pick;
	enum qpc_action leave; /* what to do once the user agrees to discard */
	struct table table;
	struct ui_rect lines;  /* where the table went, for the mouse */
};

static const struct table_col wide_cols[EDM_NFIELDS] = {
	[EDM_CATEGORY] = { "Category", { 6, 20, 2, 90 }, TEXTCELL_LEFT },
	[EDM_AMOUNT] = { "QPC", { 8, 16, 1, 100 }, TEXTCELL_RIGHT },
	[EDM_BASIS] = { "Basis", { 5, 18, 2, 60 }, TEXTCELL_LEFT },
	[EDM_VERIFIED] = { "Verified", { 3, 8, 0, 70 }, TEXTCELL_LEFT },
	[EDM_MEASURED] = { "Measured on", { 10, 11, 0, 80 }, TEXTCELL_LEFT },
};
/* Narrow terminals: the same columns, labels abbreviated. */
static const struct table_col narrow_cols[EDM_NFIELDS] = {
	[EDM_CATEGORY] = { "Cat.", { 6, 20, 2, 90 }, TEXTCELL_LEFT },
	[EDM_AMOUNT] = { "QPC", { 8, 16, 1, 100 }, TEXTCELL_RIGHT },
	[EDM_BASIS] = { "Basis", { 5, 18, 2, 60 }, TEXTCELL_LEFT },
	[EDM_VERIFIED] = { "Ver", { 3, 8, 0, 70 }, TEXTCELL_LEFT },
	[EDM_MEASURED] = { "Measured", { 10, 11, 0, 80 }, TEXTCELL_LEFT },
};
static const char *const field_names[EDM_NFIELDS] = { "category", "amount", "basis", "verified",
	                                              "measured on" };

static bool on_share(const struct editor *s)
{
	return s->row >= s->m.nlines;
}

/* The text field under the cursor; NULL for the verified toggle. */
static char *field_text(struct editor *s)
{
	if (on_share(s))
		return s->m.share_text;
	return s->field == EDM_VERIFIED ? NULL : s->m.lines[s->row].text[s->field];
}

static const char *field_why(const struct editor *s, int row, enum edm_field f)
{
	return row >= s->m.nlines ? s->m.share_why : s->m.lines[row].why[f];
}

/* --- loading ------------------------------------------------------------- */

/* The account as it stands: what the preview compares with. */
static bool load_account(struct editor *s, struct qpc_error *e)
{
	struct qpc_account_detail *d = malloc(sizeof *d);
	struct qpc_settings set;
	if (!d) {
		qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
		return false;
	}
	bool ok = qpc_browse_detail(s->app->br, s->id, d, e) == QPC_OK &&
	          qpc_store_settings(s->app->st, &set, e) == QPC_OK;
	if (ok) {
		snprintf(s->name, sizeof s->name, "%s", d->row.name);
		s->m.sales_12m = d->row.fig.sales_12m;
		s->m.contract_partner = d->row.contract_partner;
		s->m.candidate = d->candidate;
		s->m.status = d->row.fig.status;
		s->m.threshold_bp = set.threshold_bp;
	}
	free(d);
	return ok;
}

static bool load(struct editor *s, struct qpc_error *e)
{
	struct qpc_qpc_sheet *sh = malloc(sizeof *sh);
	if (!sh) {
		qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
		return false;
	}
	bool ok = qpc_edit_load(s->app->st, s->id, sh, e) == QPC_OK;
	if (ok)
		edm_load(&s->m, sh, s->app->minor_units, qpc_browse_as_of(s->app->br));
	free(sh);
	s->editing = s->conflict = s->others = s->others_seen = false;
	if (s->row > s->m.nlines)
		s->row = s->m.nlines;
	if (ok && qpc_browse_categories(s->app->br, s->categories, MAX_CATEGORIES, &s->ncategories, e))
		s->ncategories = 0; /* no list to pick from: typing still works */
	return ok && load_account(s, e);
}

/* --- editing a field ----------------------------------------------------- */

static void edit_start(struct editor *s, bool afresh)
{
	char *t = field_text(s);
	if (!t)
		return;
	snprintf(s->was, sizeof s->was, "%s", t);
	input_prefill(&s->in, afresh ? "" : t); /* typing replaces the value */
	s->editing = true;
	s->pick = -1;
}

/* Every keystroke goes into the form, so the preview follows it. */
static void edit_apply(struct editor *s)
{
	if (on_share(s))
		edm_set_share(&s->m, s->in.text);
	else
		edm_set(&s->m, s->row, s->field, s->in.text);
}

/* Leaves the field; says why it is wrong, if it is. */
static void edit_end(struct editor *s, bool keep)
{
	if (!keep) {
		input_set(&s->in, s->was);
		edit_apply(s);
	}
	s->editing = false;
	/* the share as it was read: "90" and "0.9" both show "90%" */
	if (keep && on_share(s) && s->m.has_share && !s->m.share_why)
		edm_share_text(s->m.share_bp, s->m.share_text, sizeof s->m.share_text);
	const char *why = field_why(s, s->row, s->field);
	if (keep && why)
		app_message(s->app, true, "%s: %s", on_share(s) ? "share" : field_names[s->field], why);
}

/* Up and Down in a category: the existing ones not on the form yet. */
static void pick_category(struct editor *s, int step)
{
	for (int tries = 0; tries < s->ncategories; tries++) {
		s->pick = (s->pick + step + s->ncategories + (s->pick < 0 && step < 0)) % s->ncategories;
		const char *c = s->categories[s->pick];
		bool used = false;
		for (int i = 0; i < s->m.nlines && !used; i++)
			used = i != s->row && strcasecmp(s->m.lines[i].text[EDM_CATEGORY], c) == 0;
		if (!used) {
			input_set(&s->in, c);
			edit_apply(s);
			return;
		}
	}
	app_message(s->app, false, "no other category yet: type a new one");
}

/* --- moving -------------------------------------------------------------- */

static void clamp(struct editor *s)
{
	if (s->row < 0)
		s->row = 0;
	if (s->row > s->m.nlines)
		s->row = s->m.nlines;
	if (on_share(s))
		s->field = EDM_AMOUNT;
}

static void move_field(struct editor *s, int step)
{
	if (on_share(s)) {
		s->row = step > 0 ? 0 : s->m.nlines - 1;
		s->field = step > 0 ? EDM_CATEGORY : EDM_MEASURED;
	} else {
		int f = (int)s->field + step;
		if (f < 0 || f >= EDM_NFIELDS) {
			s->row += step;
			f = step > 0 ? EDM_CATEGORY : EDM_MEASURED;
		}
		s->field = (enum edm_field)f;
	}
	if (s->row < 0) /* S-Tab from the first line: the share */
		s->row = s->m.nlines;
	clamp(s);
}

/* --- saving -------------------------------------------------------------- */

static void saved(struct app *a, int64_t id)
{
	struct qpc_browse_row row;
	struct qpc_error e = { 0 };
	app_changed(a);
	if (qpc_browse_row(a->br, id, &row, &e)) {
		app_message(a, false, "Saved.");
		return;
	}
	char said[256];
	app_message(a, false, "%s",
	            say_saved_qpc(&row, a->minor_units, draw_glyphs()->ascii, said, sizeof said));
}

static void others_answer(struct app *a, void *ctx, bool ok, const char *text);

static void save(struct editor *s, bool force)
{
	int line;
	enum edm_field f;
	const char *why;
	if (s->editing)
		edit_end(s, true);
	if (edm_invalid(&s->m, &line, &f, &why)) {
		s->row = line;
		s->field = f;
		clamp(s);
		app_message(s->app, true, "Not saved: %s: %s", line >= s->m.nlines ? "share" : field_names[f],
		            why);
		return;
	}
	if (!force && !edm_dirty(&s->m)) {
		app_message(s->app, false, "Nothing to save: the QPC is as it was.");
		return;
	}
	if (!app_writable(s->app, QPC_ROLE_REP, "save the QPC"))
		return;
	struct qpc_qpc_sheet *after = malloc(sizeof *after);
	struct qpc_error e = { 0 };
	enum qpc_rc rc = after ? QPC_OK : qpc_error_set(&e, QPC_ERR_NOMEM, "out of memory");
	if (!rc) {
		edm_sheet(&s->m, after);
		/* What others saved meanwhile to lines this one leaves alone stays
		 * theirs; the user hears of it before saving beside it. */
		char list[700];
		if (!force && !s->others_seen &&
		    qpc_edit_others(s->app->st, &s->m.before, after, draw_glyphs()->ascii, list,
		                    sizeof list) > 0) {
			free(after);
			s->others = true;
			snprintf(s->conflict_msg, sizeof s->conflict_msg,
			         "Changed since you opened it: %s. Their changes stay.", list);
			app_ask(s->app, "Save yours beside theirs?", others_answer, s);
			return;
		}
		rc = qpc_edit_save(s->app->st, &s->m.before, after, force, &e);
	}
	free(after);
	if (rc == QPC_ERR_CONFLICT) {
		s->conflict = true;
		snprintf(s->conflict_msg, sizeof s->conflict_msg, "%s", e.msg);
		app_message(s->app, true, "Not saved: w overwrites their changes, R reloads them");
		return;
	}
	if (rc) { /* the form stays as typed: nothing is lost */
		app_message(s->app, true, "Not saved: %s", e.msg);
		return;
	}
	struct app *a = s->app;
	int64_t id = s->id;
	app_pop(a); /* frees s */
	saved(a, id);
}

static void overwrite_answer(struct app *a, void *ctx, bool ok, const char *text)
{
	(void)text;
	if (ok)
		save(ctx, true);
	else
		app_message(a, false, "Not saved: your changes are still here");
}

static void others_answer(struct app *a, void *ctx, bool ok, const char *text)
{
	struct editor *s = ctx;
	(void)text;
	if (!ok) {
		app_message(a, false, "Not saved: R reloads theirs, your changes are still here");
		return;
	}
	s->others_seen = true;
	save(s, false);
}

static void reload_answer(struct app *a, void *ctx, bool ok, const char *text)
{
	struct editor *s = ctx;
	struct qpc_error e = { 0 };
	(void)text;
	if (!ok)
		return;
	if (!load(s, &e))
		app_fail(a, &e);
	else
		app_message(a, false, "Reloaded: the QPC as saved now");
}

static void leave(struct app *a, enum qpc_action act)
{
	app_pop(a);
	if (act == QPC_ACT_QUIT)
		a->quit = true;
	else if (act >= QPC_ACT_VIEW_DASHBOARD && act <= QPC_ACT_VIEW_GOALS)
		app_switch_top(a, (enum ui_top)(act - QPC_ACT_VIEW_DASHBOARD));
}

static void discard_answer(struct app *a, void *ctx, bool ok, const char *text)
{
	struct editor *s = ctx;
	(void)text;
	if (ok)
		leave(a, s->leave);
}

/* --- actions ------------------------------------------------------------- */

static void add_line(struct editor *s)
{
	int i = edm_add(&s->m, "");
	if (i < 0) {
		app_message(s->app, true, "an account holds at most %d QPC lines", EDM_LINES);
		return;
	}
	s->row = i;
	s->field = EDM_CATEGORY;
	edit_start(s, true);
}

static int estimate_found(const struct qpc_estimate *est, void *ctx)
{
	struct editor *s = ctx;
	const char *cat = s->m.lines[s->row].text[EDM_CATEGORY];
	for (int i = 0; i < est->nlines; i++)
		if (strcasecmp(est->lines[i].category, cat) == 0)
			edm_fill_estimate(&s->m, s->row, est->lines[i].amount, est->lines[i].inputs);
	return 0;
}

static void fill_estimate(struct editor *s)
{
	if (on_share(s) || !s->m.lines[s->row].text[EDM_CATEGORY][0]) {
		app_message(s->app, true, "estimates are per category: on a line with one, f fills it");
		return;
	}
	char before[EDM_TEXT];
	struct qpc_error e = { 0 };
	snprintf(before, sizeof before, "%s", s->m.lines[s->row].inputs);
	s->m.lines[s->row].inputs[0] = '\0';
	enum qpc_rc rc = qpc_estimate_run(s->app->st, s->id, s->m.today, true, estimate_found, s, &e);
	const char *inputs = s->m.lines[s->row].inputs;
	if (inputs[0]) {
		s->field = EDM_AMOUNT;
		app_message(s->app, false, "By formula: %s", inputs);
		return;
	}
	snprintf(s->m.lines[s->row].inputs, sizeof s->m.lines[0].inputs, "%s", before);
	if (rc) /* the account's size unknown, say */
		app_fail(s->app, &e);
	else
		app_message(s->app, true, "no estimate for %s: too few verified accounts to calibrate on",
		            s->m.lines[s->row].text[EDM_CATEGORY]);
}

static unsigned ask_to_leave(struct editor *s, enum qpc_action act)
{
	if (s->editing)
		edit_end(s, true);
	s->leave = act;
	if (edm_dirty(&s->m))
		app_ask(s->app, "Discard your changes to the QPC?", discard_answer, s);
	else
		leave(s->app, act);
	return UI_HANDLED | UI_REDRAW;
}

static unsigned line_action(struct editor *s, enum qpc_action a)
{
	const char *why = NULL;
	if (on_share(s) && a != QPC_ACT_ED_EDIT) {
		app_message(s->app, true, "that works on a QPC line: this is the rep's share estimate");
		return UI_HANDLED | UI_REDRAW;
	}
	switch (a) {
	case QPC_ACT_ED_EDIT:
		if (on_share(s) || s->field != EDM_VERIFIED)
			edit_start(s, false);
		else if (!edm_toggle_verified(&s->m, s->row, &why))
			app_message(s->app, true, "%s", why);
		break;
	case QPC_ACT_ED_DELETE: edm_delete(&s->m, s->row); clamp(s); break;
	case QPC_ACT_ED_VERIFIED:
		if (!edm_toggle_verified(&s->m, s->row, &why))
			app_message(s->app, true, "%s", why);
		break;
	case QPC_ACT_ED_BASIS: edm_cycle_basis(&s->m, s->row); break;
	case QPC_ACT_ED_ESTIMATE: fill_estimate(s); break;
	default: return UI_IGNORED;
	}
	return UI_HANDLED | UI_REDRAW;
}

static unsigned action(struct view *v, enum qpc_action a)
{
	struct editor *s = v->data;
	struct qpc_error e = { 0 };
	switch (a) {
	case QPC_ACT_MOVE_DOWN: s->row++; break;
	case QPC_ACT_MOVE_UP: s->row--; break;
	case QPC_ACT_PAGE_DOWN: s->row += 10; break;
	case QPC_ACT_PAGE_UP: s->row -= 10; break;
	case QPC_ACT_FIRST: s->row = 0; break;
	case QPC_ACT_LAST: s->row = s->m.nlines; break;
	case QPC_ACT_ED_NEXT_FIELD: move_field(s, 1); break;
	case QPC_ACT_ED_PREV_FIELD: move_field(s, -1); break;
	case QPC_ACT_ED_ADD: add_line(s); break;
	case QPC_ACT_ED_SAVE: /* a save that works closes the editor: s is gone */
		if (s->conflict)
			app_ask(s->app, "Overwrite what they saved with your changes?", overwrite_answer, s);
		else
			save(s, false);
		return UI_HANDLED | UI_REDRAW;
	case QPC_ACT_ED_RELOAD:
		if (edm_dirty(&s->m))
			app_ask(s->app, s->conflict ? "Take their changes and lose yours?"
			                            : "Reload the saved QPC and lose your changes?",
			        reload_answer, s);
		else if (!load(s, &e))
			app_fail(s->app, &e);
		break;
	case QPC_ACT_BACK:
	case QPC_ACT_CLOSE:
	case QPC_ACT_QUIT:
	case QPC_ACT_VIEW_DASHBOARD:
	case QPC_ACT_VIEW_ACCOUNTS:
	case QPC_ACT_VIEW_CANDIDATES:
	case QPC_ACT_VIEW_GOALS: return ask_to_leave(s, a);
	case QPC_ACT_OPEN: /* Enter, l: edit as well */
		return line_action(s, QPC_ACT_ED_EDIT);
	default: return line_action(s, a);
	}
	clamp(s);
	return UI_HANDLED | UI_REDRAW;
}

static bool is_enter(wint_t ch, bool is_code)
{
	return (!is_code && (ch == '\n' || ch == '\r')) || (is_code && ch == KEY_ENTER);
}

/* Keys while a field is being typed in, and a digit that starts one. */
static unsigned key(struct view *v, wint_t ch, bool is_code)
{
	struct editor *s = v->data;
	if (!s->editing) {
		bool number = on_share(s) || s->field == EDM_AMOUNT || s->field == EDM_MEASURED;
		if (is_code || !number || !((ch >= '0' && ch <= '9') || ch == '-' || ch == '.'))
			return UI_IGNORED;
		edit_start(s, true);
	}
	if (is_enter(ch, is_code)) {
		edit_end(s, true);
	} else if (!is_code && ch == 27) {
		edit_end(s, false);
	} else if ((!is_code && ch == '\t') || (is_code && ch == KEY_BTAB)) {
		edit_end(s, true);
		move_field(s, is_code ? -1 : 1);
	} else if (is_code && (ch == KEY_UP || ch == KEY_DOWN)) {
		if (!on_share(s) && s->field == EDM_CATEGORY && s->ncategories > 0) {
			pick_category(s, ch == KEY_UP ? -1 : 1);
		} else {
			edit_end(s, true);
			s->row += ch == KEY_UP ? -1 : 1;
			clamp(s);
		}
	} else if (input_key(&s->in, ch, is_code) == INPUT_EDITED) {
		edit_apply(s);
	}
	return UI_HANDLED | UI_REDRAW;
}

static unsigned mouse(struct view *v, const struct ui_mouse *m)
{
	struct editor *s = v->data;
	int col, row = table_hit(&s->table, s->lines, m->y, m->x, &col);
	if (m->kind == UI_WHEEL_UP || m->kind == UI_WHEEL_DOWN)
		s->row += m->kind == UI_WHEEL_UP ? -3 : 3;
	else if (row >= 0 && !s->editing) {
		s->row = row;
		if (col >= 0)
			s->field = (enum edm_field)col;
	}
	clamp(s);
	return UI_HANDLED | UI_REDRAW;
}

/* --- drawing ------------------------------------------------------------- */

static void cell(void *ctx, int row, int col, int width, char *buf, size_t n, attr_t *attr)
{
	struct editor *s = ctx;
	const struct edm_line *l = &s->m.lines[row];
	bool ascii = draw_glyphs()->ascii;
	if (l->why[col]) {
		*attr = theme_attr(UC_ERROR);
		snprintf(buf, n, "%s", l->text[col][0] ? l->text[col] : "?");
		return;
	}
	switch ((enum edm_field)col) {
	case EDM_AMOUNT: uil_money(true, l->amount, s->m.minor_units, width, ascii, buf, n); break;
	case EDM_VERIFIED: snprintf(buf, n, "%s", l->verified ? "yes" : "no"); break;
	case EDM_MEASURED:
		if (qpc_is_stale(l->measured_on, s->m.today)) { /* "!": stale even without colour */
			snprintf(buf, n, "%s!", l->text[col]);
			*attr = theme_attr(UC_STALE);
			break;
		}
		/* fall through */
	default: snprintf(buf, n, "%s", l->text[col]); break;
	}
}

/* The x and width of column col as the table laid it out; w 0 when hidden. */
static int column_x(const struct editor *s, struct ui_rect r, int col, int *w)
{
	int x = r.x;
	for (int c = 0; c < col; c++)
		x += s->table.widths[c] ? s->table.widths[c] + 1 : 0;
	*w = s->table.widths[col];
	return x;
}

/* The field under the cursor: the text being typed, or the value lit. */
static void draw_cursor_field(struct editor *s, int y, int x, int w)
{
	if (w <= 0)
		return;
	bool bad = field_why(s, s->row, s->field) != NULL;
	attr_t a = theme_attr(bad ? UC_ERROR : UC_CURSOR) | (bad ? A_REVERSE : 0);
	if (s->editing) {
		input_draw(&s->in, y, x, w, a | A_UNDERLINE, true);
	} else if (on_share(s)) {
		draw_text(y, x, w, s->m.share_text[0] ? s->m.share_text : "none", TEXTCELL_LEFT, a);
	} else {
		char buf[256] = "";
		attr_t ignored = 0;
		cell(s, s->row, s->field, w, buf, sizeof buf, &ignored);
		draw_text(y, x, w, buf, s->table.cols[s->field].align, a);
	}
}

static int draw_preview(struct editor *s, struct ui_rect r)
{
	struct edm_preview p;
	edm_preview(&s->m, &p);
	bool ascii = draw_glyphs()->ascii;
	const char *arrow = ascii ? " -> " : " \xe2\x86\x92 ";
	qpc_money before = 0;
	for (int i = 0; i < s->m.before.nlines; i++)
		if (!qpc_money_add(before, s->m.before.lines[i].amount, &before))
			before = QPC_MONEY_MAX;
	struct qpc_share was = qpc_share_of(s->m.sales_12m, s->m.before.nlines > 0, before);
	struct form_field f[5];
	char a[32], b[32];
	int n = 0;
	uil_money(s->m.before.nlines > 0, before, s->m.minor_units, 14, ascii, a, sizeof a);
	uil_money(p.measured, p.qpc, s->m.minor_units, 14, ascii, b, sizeof b);
	f[n] = (struct form_field){ "QPC", "", p.complete ? UC_NORMAL : UC_ERROR };
	snprintf(f[n++].value, sizeof f[0].value, "%s%s%s%s", a, arrow, b, p.complete ? "" : "?");
	uil_share(was, ascii, a, sizeof a);
	uil_share(p.share, ascii, b, sizeof b);
	f[n] = (struct form_field){ "Share", "", p.share.kind == QPC_SHARE_OVER ? UC_OVER : UC_NORMAL };
	snprintf(f[n++].value, sizeof f[0].value, "%s%s%s%s", a, arrow, b,
	         p.share.kind == QPC_SHARE_OVER ? " QPC underestimated" : "");
	f[n] = (struct form_field){ "Status", "", theme_status(p.status) };
	snprintf(f[n++].value, sizeof f[0].value, "%s%s%s", qpc_status_name(s->m.status), arrow,
	         qpc_status_name(p.status));
	if (p.change[0]) {
		f[n] = (struct form_field){ "", "", p.status == QPC_PARTNER ? UC_GOOD : UC_WARN };
		snprintf(f[n++].value, sizeof f[0].value, "%s", p.change);
	}
	return form_flow(f, n, r);
}

/* Text wrapped at spaces over at most r.h rows; returns the rows used. */
static int draw_wrapped(const char *text, struct ui_rect r, attr_t attr)
{
	char esc[TEXTCELL_ESCAPE_SIZE(1024)];
	textcell_escape(text, esc, sizeof esc);
	const char *p = esc;
	int y = 0;
	while (*p && y < r.h && r.w > 0) {
		size_t fit = 0, cut = 0;
		char part[sizeof esc];
		while (p[fit]) { /* the longest run of words that fits */
			size_t next = fit + 1;
			while (p[next] && p[next] != ' ')
				next++;
			memcpy(part, p, next);
			part[next] = '\0';
			if ((int)textcell_width(part) > r.w && cut > 0)
				break;
			cut = fit = next;
			if ((int)textcell_width(part) > r.w)
				break; /* one word wider than the row: cut it */
		}
		memcpy(part, p, cut);
		part[cut] = '\0';
		draw_text(r.y + y++, r.x, r.w, part, TEXTCELL_LEFT, attr);
		p += cut;
		while (*p == ' ')
			p++;
	}
	return y;
}

static void draw_hint(struct editor *s, int y, struct ui_rect r)
{
	char hint[256];
	if (s->editing && !on_share(s) && s->field == EDM_CATEGORY)
		snprintf(hint, sizeof hint, "Up/Down: %d categories to pick from, or type a new one",
		         s->ncategories);
	else if (s->editing)
		snprintf(hint, sizeof hint, "Enter keeps  Esc undoes  Tab next field");
	else if (s->conflict)
		snprintf(hint, sizeof hint, "w overwrite theirs  R reload theirs  Esc leave");
	else
		snprintf(hint, sizeof hint, "Enter edit  a add  d delete  v verified  b basis  f formula  w save");
	draw_text(y, r.x, r.w, hint, TEXTCELL_LEFT, theme_attr(UC_DIM));
}

static void draw(struct view *v, struct ui_rect r)
{
	struct editor *s = v->data;
	if (r.h < 4 || r.w < 10)
		return;
	int y = r.y;
	int sw = edm_dirty(&s->m) ? 8 : 0;
	char title[QPC_TEXT_NAME + 16];
	snprintf(title, sizeof title, "QPC of %s", s->name);
	draw_span(y, r.x, r.w - sw, title, theme_attr(UC_TITLE));
	if (sw)
		draw_text(y, r.x + r.w - sw, sw, "changed", TEXTCELL_RIGHT, theme_attr(UC_WARN));
	y++;
	bool hint = r.h >= 9;
	int rest = r.h - 1 - 1 - hint; /* title, share, hint */
	y += draw_preview(s, (struct ui_rect){ y, r.x, rest >= 6 ? 2 : 1, r.w });
	if (s->conflict || s->others)
		y += draw_wrapped(s->conflict_msg, (struct ui_rect){ y, r.x, r.y + r.h - y - 4, r.w },
		                  theme_attr(s->conflict ? UC_ERROR : UC_WARN));
	int th = r.y + r.h - y - 1 - hint;
	if (th > s->m.nlines + 2) /* the share right below the lines */
		th = s->m.nlines + 2;
	s->table.cols = r.w < 60 ? narrow_cols : wide_cols;
	s->table.nrows = s->m.nlines;
	s->table.cursor = on_share(s) ? -1 : s->row;
	s->top = uil_scroll(on_share(s) ? s->m.nlines - 1 : s->row, s->top, th - 1, s->m.nlines, 0);
	s->table.top = s->top;
	s->lines = (struct ui_rect){ y, r.x, th, r.w };
	table_draw(&s->table, s->lines);
	if (s->m.nlines == 0 && th > 1)
		draw_text(y + 1, r.x, r.w, "No QPC lines: a adds one", TEXTCELL_LEFT, theme_attr(UC_DIM));
	int w, cy = y + 1 + s->row - s->top;
	if (!on_share(s) && cy > y && cy < y + th) {
		int x = column_x(s, s->lines, s->field, &w);
		draw_cursor_field(s, cy, x, w);
	}
	y += th;
	const char *label = r.w < 40 ? "Rep's share " : "Rep's estimate of our share ";
	int lw = draw_span(y, r.x, r.w, label, theme_attr(UC_DIM));
	if (on_share(s))
		draw_cursor_field(s, y, r.x + lw, r.w - lw < 12 ? r.w - lw : 12);
	else
		draw_text(y, r.x + lw, r.w - lw, s->m.share_text[0] ? s->m.share_text : "none",
		          TEXTCELL_LEFT, theme_attr(s->m.share_why ? UC_ERROR : UC_NORMAL));
	if (hint)
		draw_hint(s, y + 1, r);
}

static void status(struct view *v, char *buf, size_t n)
{
	struct editor *s = v->data;
	/* what matters first: a narrow status bar cuts the end */
	if (on_share(s))
		snprintf(buf, n, "share estimate%s", s->editing ? ": editing" : "");
	else
		snprintf(buf, n, "line %d/%d: %s%s", s->row + 1, s->m.nlines,
		         s->editing ? "editing " : "", field_names[s->field]);
}

/* Another qpc wrote: the form keeps what was typed; the preview takes
 * the account's new sales and status.  The save checks versions. */
static void reload(struct view *v)
{
	struct editor *s = v->data;
	struct qpc_error e = { 0 };
	if (!load_account(s, &e))
		app_fail(s->app, &e);
	if (qpc_browse_categories(s->app->br, s->categories, MAX_CATEGORIES, &s->ncategories, &e))
		s->ncategories = 0;
}

static void close_view(struct view *v)
{
	free(v->data);
}

static const struct view_ops ops = {
	.title = "QPC editor",
	.scope = QPC_IN_LISTS | QPC_IN_EDITOR,
	.close = close_view,
	.draw = draw,
	.action = action,
	.mouse = mouse,
	.status = status,
	.reload = reload,
	.key = key,
};

void editor_open(struct app *a, int64_t account_id)
{
	if (!account_id || !app_writable(a, QPC_ROLE_REP, "edit the QPC"))
		return;
	struct editor *s = calloc(1, sizeof *s);
	struct qpc_error e = { 0 };
	if (!s) {
		app_message(a, true, "out of memory");
		return;
	}
	s->app = a;
	s->id = account_id;
	if (!load(s, &e)) {
		app_fail(a, &e);
		free(s);
		return;
	}
	s->field = EDM_AMOUNT;
	s->table = (struct table){ .cols = wide_cols, .ncols = EDM_NFIELDS, .sort_col = -1,
		                   .focused = true, .cell = cell, .ctx = s };
	app_push(a, view_new(a, &ops, s));
}
