/* view_board.c — the whole effort at once: one row per candidate, one
 * column per checklist step position, a tick where the step is done.
 *
 * Candidates may use different templates, so columns are step positions;
 * the heading names them after the template most candidates use, and the
 * status bar says what the cell under the cursor is for its own
 * candidate's checklist, with who ticked it and when.  The arrows move the
 * cell cursor (the columns scroll sideways when they do not fit), x or
 * Enter ticks the cell (taking a tick back asks first), Space pages, l or
 * a double click opens the candidate's checklist, s cycles the order.  At most BOARD_MAX candidates are read, the first in
 * the order, so the cost is bounded however large the team.
 */
#include <stdlib.h>
#include <string.h>

#include "qpc/edit.h"
#include "ui.h"

#define BOARD_MAX 1000

struct board {
	struct app *app;
	struct qpc_board_row *rows;
	int n, steps; /* rows read; step columns (the longest checklist) */
	int64_t total;
	enum qpc_board_order order;
	struct listbox list; /* the rows: cursor, scrolling, paging, the mouse */
	int col, left;         /* the step column under the cursor, the first shown */
	struct qpc_template head; /* the template most candidates use */
	struct qpc_checklist cur; /* the checklist of the row under the cursor */
	int64_t cur_id;
	bool cur_ok;
	struct qpc_error err;
	bool failed;
	int name_w, cell_w;
};

static const char *const order_names[QPC_BOARD_ORDERS] = {
	"progress, most done first", "progress, least done first", "name", "nominated longest ago",
};

static int most_used(const struct qpc_template *t, void *ctx)
{
	struct board *s = ctx;
	if (!s->head.name[0] || t->candidates > s->head.candidates ||
	    (t->candidates == s->head.candidates && t->is_default))
		s->head = *t;
	return 0;
}

static int64_t current_id(const struct board *s)
{
	return s->n > 0 ? s->rows[s->list.cursor].account_id : 0;
}

/* Reads the board again, the cursor staying on the same candidate. */
static void load(struct board *s)
{
	struct qpc_error e = { 0 };
	int64_t keep = current_id(s);
	s->failed = qpc_browse_board(s->app->br, s->order, s->rows, BOARD_MAX, &s->n, &s->err) ||
	            qpc_browse_candidate_count(s->app->br, &s->total, &s->err);
	memset(&s->head, 0, sizeof s->head);
	if (qpc_template_each(s->app->st, most_used, s, &e))
		app_fail(s->app, &e);
	s->steps = 1;
	for (int i = 0; i < s->n; i++)
		if (s->rows[i].steps > s->steps)
			s->steps = s->rows[i].steps > QPC_BOARD_STEPS ? QPC_BOARD_STEPS : s->rows[i].steps;
	for (int i = 0; i < s->n; i++)
		if (s->rows[i].account_id == keep)
			s->list.cursor = i;
	if (s->list.cursor >= s->n)
		s->list.cursor = s->n > 0 ? s->n - 1 : 0;
	if (s->col >= s->steps)
		s->col = s->steps - 1;
	s->cur_id = 0; /* read the cursor's checklist again */
}

static void open_view(struct view *v)
{
	load(v->data);
}

static void close_view(struct view *v)
{
	struct board *s = v->data;
	free(s->rows);
	free(s);
}

static void draw_head(struct board *s, int y, int x, int w)
{
	attr_t head = theme_attr(UC_HEADER);
	draw_fill(y, x, w, head);
	draw_text(y, x, s->name_w, "Candidate", TEXTCELL_LEFT, head);
	draw_text(y, x + s->name_w + 1, 5, "Done", TEXTCELL_RIGHT, head);
	int cx = x + s->name_w + 7;
	for (int c = s->left; c < s->steps && cx + s->cell_w <= x + w; c++) {
		char label[64];
		const char *text = "";
		for (int i = 0; i < s->head.nsteps; i++)
			if (!s->head.steps[i].retired && s->head.steps[i].position == c + 1)
				text = s->head.steps[i].text;
		snprintf(label, sizeof label, s->cell_w >= 5 ? "%d %s" : "%d", c + 1, text);
		draw_text(y, cx, s->cell_w - 1, label, TEXTCELL_LEFT, head);
		cx += s->cell_w;
	}
}

static void draw_row(struct board *s, int i, int y, int x, int w)
{
	const struct qpc_board_row *b = &s->rows[i];
	const struct ui_glyphs *g = draw_glyphs();
	bool cur = i == s->list.cursor;
	attr_t line = cur ? theme_attr(UC_CURSOR_OFF) : A_NORMAL;
	draw_fill(y, x, w, line);
	draw_text(y, x, s->name_w, b->name, TEXTCELL_LEFT, line);
	char done[16];
	snprintf(done, sizeof done, "%d/%d", b->ticked, b->steps);
	draw_text(y, x + s->name_w + 1, 5, done, TEXTCELL_RIGHT,
	          line | (b->ticked == b->steps && b->steps > 0 ? theme_attr(UC_GOOD) : 0));
	int cx = x + s->name_w + 7;
	for (int c = s->left; c < s->steps && cx + s->cell_w <= x + w; c++) {
		bool here = cur && c == s->col, in = c < b->steps;
		bool ticked = in && (b->ticks >> c) & 1u, late = in && !ticked && (b->overdue >> c) & 1u;
		const char *glyph = !in ? "" : ticked ? g->tick : late ? "[!]" : g->untick;
		attr_t a = here     ? theme_attr(UC_CURSOR)
		           : ticked ? line | theme_attr(UC_GOOD)
		           : late   ? line | theme_attr(UC_ERROR)
		                    : line | theme_attr(UC_DIM);
		int pad = (s->cell_w - 1 - (int)textcell_width(g->tick)) / 2;
		draw_fill(y, cx, s->cell_w - 1, a);
		draw_text(y, cx + pad, s->cell_w - 1 - pad, glyph, TEXTCELL_LEFT, a);
		cx += s->cell_w;
	}
}

/* Column widths, and the first step column shown so the cursor's is. */
static void layout(struct board *s, int w)
{
	s->name_w = w / 3 < 10 ? 10 : w / 3 > 28 ? 28 : w / 3;
	int room = w - s->name_w - 7;
	s->cell_w = s->steps > 0 ? room / s->steps : room;
	s->cell_w = s->cell_w < 4 ? 4 : s->cell_w > 16 ? 16 : s->cell_w;
	int fit = room / s->cell_w;
	if (fit < 1)
		fit = 1;
	if (s->col < s->left)
		s->left = s->col;
	if (s->col >= s->left + fit)
		s->left = s->col - fit + 1;
	if (s->left > s->steps - fit)
		s->left = s->steps - fit > 0 ? s->steps - fit : 0;
}

static void draw(struct view *v, struct ui_rect r)
{
	struct board *s = v->data;
	char title[160], n[32];
	if (r.h < 3)
		return;
	uil_count(s->total, n, sizeof n);
	if (s->n < s->total)
		snprintf(title, sizeof title, "Board: the first %d of %s candidates by %s", s->n, n,
		         order_names[s->order]);
	else
		snprintf(title, sizeof title, "Board: %s candidates by %s", n, order_names[s->order]);
	draw_text(r.y, r.x, r.w, title, TEXTCELL_LEFT, theme_attr(UC_TITLE));
	layout(s, r.w);
	draw_head(s, r.y + 1, r.x, r.w);
	listbox_place(&s->list, s->n, (struct ui_rect){ r.y + 1, r.x, r.h - 1, r.w });
	for (int i = 0; i < r.h - 2 && s->list.top + i < s->n; i++)
		draw_row(s, s->list.top + i, r.y + 2 + i, r.x, r.w);
	if (s->n == 0)
		draw_text(r.y + 3, r.x + 2, r.w - 2,
		          s->failed ? s->err.msg : "No candidates: c nominates the account under the cursor.",
		          TEXTCELL_LEFT, theme_attr(s->failed ? UC_ERROR : UC_DIM));
}

static void status(struct view *v, char *buf, size_t n)
{
	struct board *s = v->data;
	int64_t id = current_id(s);
	if (!id) {
		snprintf(buf, n, "s: sort");
		return;
	}
	if (id != s->cur_id) {
		struct qpc_error e = { 0 };
		s->cur_id = id;
		s->cur_ok = qpc_edit_checklist(s->app->st, id, &s->cur, &e) == QPC_OK;
	}
	const struct qpc_step *t = NULL;
	for (int i = 0; s->cur_ok && i < s->cur.nsteps; i++)
		if (s->cur.steps[i].position == s->col + 1)
			t = &s->cur.steps[i];
	if (!t) {
		snprintf(buf, n, "%d: no such step in this checklist", s->col + 1);
	} else if (t->ticked) {
		char when[32];
		candidacy_when(t->ticked_at, when, sizeof when);
		/* who and when first: the text may not fit */
		snprintf(buf, n, "%d. by %s %s: %s%s%s", t->position, t->ticked_by, when, t->text,
		         t->note[0] ? ", " : "", t->note);
	} else if (t->owner[0] || t->has_due) {
		char d[QPC_DATE_ISO_LEN];
		bool late = t->has_due && t->due < qpc_browse_as_of(s->app->br);
		snprintf(buf, n, "%d. %s%s%s%s%s: %s", t->position, late ? "OVERDUE, was due " : "",
		         t->has_due && !late ? "due " : "", t->has_due ? qpc_date_format(t->due, d) : "",
		         t->owner[0] ? (t->has_due ? ", " : "for ") : "", t->owner, t->text);
	} else {
		snprintf(buf, n, "%d. %s", t->position, t->text);
	}
}

static void tick(struct board *s)
{
	struct app *a = s->app;
	if (!app_writable(a, QPC_ROLE_MANAGER, "tick a step") || s->n == 0)
		return;
	const struct qpc_board_row *b = &s->rows[s->list.cursor];
	int pos = s->col + 1;
	if (pos > b->steps) {
		app_message(a, true, "%s's checklist has %d steps", b->name, b->steps);
		return;
	}
	bool was = (b->ticks >> s->col) & 1u;
	char q[160], said[200];
	snprintf(said, sizeof said, "%s step %d for %.120s", was ? "Unticked" : "Ticked", pos, b->name);
	if (!was) {
		candidacy_tick(a, b->account_id, pos, said);
		return;
	}
	/* the step's text as the candidate's own checklist has it (status()
	 * read it for the row under the cursor) */
	const char *text = "";
	for (int i = 0; s->cur_ok && s->cur_id == b->account_id && i < s->cur.nsteps; i++)
		if (s->cur.steps[i].position == pos)
			text = s->cur.steps[i].text;
	snprintf(q, sizeof q, "Untick %d.%s%.70s for %.60s?", pos, text[0] ? " " : "", text, b->name);
	candidacy_untick_ask(a, b->account_id, pos, q, said);
}

static unsigned action(struct view *v, enum qpc_action a)
{
	struct board *s = v->data;
	unsigned fx = candidacy_action(s->app, a, current_id(s));
	if (fx)
		return fx;
	if ((fx = listbox_action(&s->list, a)))
		return fx;
	switch (a) {
	case QPC_ACT_OPEN:
		if (current_id(s))
			checklist_open(s->app, current_id(s));
		break;
	case QPC_ACT_TICK: tick(s); break;
	case QPC_ACT_NOTE:
		app_message(s->app, false, "l opens the checklist, where n writes a note");
		break;
	case QPC_ACT_STEP_ASSIGN: {
		/* the cell's step, as its own checklist numbers it (status()) */
		char unused[8];
		status(v, unused, sizeof unused);
		for (int i = 0; s->cur_ok && current_id(s) && i < s->cur.nsteps; i++)
			if (s->cur.steps[i].position == s->col + 1) {
				candidacy_assign(s->app, current_id(s), &s->cur.steps[i]);
				return UI_HANDLED | UI_REDRAW;
			}
		app_message(s->app, true, "%d: no such step in this checklist", s->col + 1);
		break;
	}
	case QPC_ACT_BOARD_SORT:
		s->order = (enum qpc_board_order)((s->order + 1) % QPC_BOARD_ORDERS);
		load(s);
		break;
	default: return UI_IGNORED;
	}
	return UI_HANDLED | UI_REDRAW;
}

/* Left and Right move between steps here, instead of closing and
 * opening as in lists. */
static unsigned key(struct view *v, wint_t ch, bool is_code)
{
	struct board *s = v->data;
	if (!is_code || (ch != KEY_LEFT && ch != KEY_RIGHT))
		return UI_IGNORED;
	int c = s->col + (ch == KEY_LEFT ? -1 : 1);
	s->col = c < 0 ? 0 : c >= s->steps ? s->steps - 1 : c;
	return UI_HANDLED | UI_REDRAW;
}

static unsigned mouse(struct view *v, const struct ui_mouse *m)
{
	struct board *s = v->data;
	enum listbox_hit hit = listbox_mouse(&s->list, m);
	if (hit != LISTBOX_MOVED && hit != LISTBOX_OPEN)
		return UI_HANDLED;
	/* a click on a cell: its step too */
	int c = (m->x - s->list.area.x - s->name_w - 7);
	if (m->kind != UI_WHEEL_UP && m->kind != UI_WHEEL_DOWN && c >= 0 &&
	    s->left + c / s->cell_w < s->steps)
		s->col = s->left + c / s->cell_w;
	if (hit == LISTBOX_OPEN)
		action(v, QPC_ACT_OPEN);
	return UI_HANDLED | UI_REDRAW;
}

static void reload(struct view *v)
{
	load(v->data);
}

static const struct view_ops ops = {
	.title = "Board",
	.scope = QPC_IN_LISTS | QPC_IN_CHECKLIST | QPC_IN_ACCOUNT,
	.open = open_view,
	.close = close_view,
	.draw = draw,
	.action = action,
	.mouse = mouse,
	.status = status,
	.reload = reload,
	.key = key,
};

void board_open(struct app *a)
{
	struct board *s = calloc(1, sizeof *s);
	if (s && !(s->rows = calloc(BOARD_MAX, sizeof *s->rows))) {
		free(s);
		s = NULL;
	}
	if (!s) {
		app_message(a, true, "out of memory");
		return;
	}
	s->app = a;
	app_push(a, view_new(a, &ops, s));
}
