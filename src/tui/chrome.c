/* chrome.c — what frames every view: the tab bar, the status bar, the
 * message line with the search prompt, the help overlay (drawn from the
 * keymap table) and the notice for a terminal too small. */
#include <stdio.h>
#include <string.h>

#include "ui.h"

static const char *const tab_names[UI_TOPS] = { "Dashboard", "Accounts", "Candidates", "Goals" };

static int top_index(const struct app *a)
{
	for (int i = 0; i < UI_TOPS; i++)
		if (a->tops[i] && a->tops[i] == a->stack[0])
			return i;
	return -1;
}

void chrome_tabs(struct app *a, int cols)
{
	int cur = top_index(a), full = 0;
	for (int i = 0; i < UI_TOPS; i++)
		full += (int)strlen(tab_names[i]) + 4;
	bool compact = full > cols;
	int x = 0;
	for (int i = 0; i < UI_TOPS; i++) {
		char t[32];
		if (compact && i != cur)
			snprintf(t, sizeof t, " %d ", i + 1);
		else
			snprintf(t, sizeof t, " %d %s ", i + 1, tab_names[i]);
		x += draw_span(0, x, cols - x, t, theme_attr(i == cur ? UC_TAB_ON : UC_TAB));
		a->tab_end[i] = x;
		if (x < cols)
			x++;
	}
	/* the date shown, always: without "as of" where that does not fit */
	char right[48], day[QPC_DATE_ISO_LEN];
	qpc_date_format(qpc_browse_as_of(a->br), day);
	snprintf(right, sizeof right, "as of %s ", day);
	if (cols - x <= (int)strlen(right) + 1)
		snprintf(right, sizeof right, "%s ", day);
	int rw = (int)strlen(right);
	if (cols - x > rw + 1)
		draw_text(0, cols - rw, rw, right, TEXTCELL_RIGHT, theme_attr(UC_DIM));
}

void chrome_status(struct app *a, struct view *v, int y, int cols)
{
	char left[256] = "", right[64];
	if (v->ops->status)
		v->ops->status(v, left, sizeof left);
	snprintf(right, sizeof right, "%s%s? help ",
	         a->readonly ? "read-only  " : a->figures_kept ? "old figures  " : "",
	         a->depth > 1 ? "q back  " : "q quit  ");
	attr_t bar = theme_attr(UC_BAR);
	draw_fill(y, 0, cols, bar);
	int rw = (int)strlen(right);
	if (cols > rw + 8) {
		draw_text(y, 1, cols - rw - 2, left, TEXTCELL_LEFT, bar);
		draw_text(y, cols - rw, rw, right, TEXTCELL_RIGHT, bar);
	} else {
		draw_text(y, 0, cols, left, TEXTCELL_LEFT, bar);
	}
}

void chrome_message(const struct app *a, int y, int cols)
{
	if (a->ask || a->prompting) {
		const char *q = a->ask ? a->ask->question : "/";
		int qw = draw_span(y, 0, cols, q, a->ask ? theme_attr(UC_TITLE) : A_NORMAL);
		if (a->ask && !a->ask->text) {
			draw_span(y, qw, cols - qw, " (y/n)", A_NORMAL);
			return;
		}
		input_draw(a->ask ? &a->ask->in : &a->prompt, y, qw, cols - qw, A_NORMAL, true);
		return;
	}
	if (a->message[0])
		draw_text(y, 0, cols, a->message, TEXTCELL_LEFT,
		          theme_attr(a->message_error ? UC_ERROR : UC_NORMAL));
}

/* --- help ---------------------------------------------------------------- */

static const char *const mouse_help[][2] = {
	{ "wheel", "scroll" },
	{ "click", "select a row; on a tab, show that view; on a heading, sort" },
	{ "double-click", "open the account" },
};

/* The help's lines, built once from the keymap: a heading (keys NULL),
 * a key and what it does, or a blank line. */
struct help_line {
	const char *keys, *help;
	char buf[40]; /* keys "j Down" shown as "j, Down" */
	enum qpc_action act; /* the key's; QPC_ACT_COUNT for other lines */
};
/* a line per action, and per scope a heading and a blank; the mouse */
static struct help_line help[QPC_ACT_COUNT + 2 * 16 + 8];
static int nlines;

static void add_line(const char *keys, const char *text)
{
	if (nlines < (int)(sizeof help / sizeof *help)) {
		help[nlines].keys = keys;
		help[nlines].help = text;
		help[nlines].act = QPC_ACT_COUNT;
		nlines++;
	}
}

static void build_help(void)
{
	size_t nb, ns;
	const struct qpc_binding *b = qpc_keymap(&nb);
	const unsigned *scope = qpc_scopes(&ns);
	if (nlines)
		return;
	for (size_t s = 0; s < ns; s++) {
		add_line(NULL, qpc_scope_title(scope[s]));
		for (size_t k = 0; k < nb; k++) {
			if (b[k].scope != scope[s])
				continue;
			struct help_line *l = &help[nlines];
			size_t pos = 0;
			for (const char *c = b[k].keys; *c && pos + 3 < sizeof l->buf; c++) {
				if (*c == ' ')
					l->buf[pos++] = ',';
				l->buf[pos++] = *c;
			}
			l->buf[pos] = '\0';
			add_line(l->buf, b[k].help);
			l->act = b[k].action;
		}
		add_line("", "");
	}
	add_line(NULL, "Mouse");
	for (size_t m = 0; m < sizeof mouse_help / sizeof *mouse_help; m++)
		add_line(mouse_help[m][0], mouse_help[m][1]);
}

void chrome_help(struct app *a, struct view *v, struct ui_rect r)
{
	(void)v;
	struct ui_rect box = r;
	build_help();
	int rows = box.h - 1, total = nlines;
	if (a->help_top > total - rows)
		a->help_top = total - rows;
	if (a->help_top < 0)
		a->help_top = 0;
	for (int y = box.y; y < box.y + box.h; y++)
		draw_fill(y, box.x, box.w, A_NORMAL);
	char title[96];
	snprintf(title, sizeof title, "Keys (%d-%d of %d) - ? or q closes", a->help_top + 1,
	         a->help_top + rows < total ? a->help_top + rows : total, total);
	pane_title(box, title, true);
	int kw = 18;
	if (kw > box.w / 3)
		kw = box.w / 3;
	for (int i = 0; i < rows && a->help_top + i < nlines; i++) {
		const struct help_line *l = &help[a->help_top + i];
		int y = box.y + 1 + i;
		if (!l->keys) {
			draw_text(y, box.x + 1, box.w - 1, l->help, TEXTCELL_LEFT, theme_attr(UC_TITLE));
			continue;
		}
		/* on a team server, what the login's role may not do is dim */
		enum qpc_role need = app_action_role(l->act);
		if (!app_may(a, need)) {
			char text[160];
			snprintf(text, sizeof text, "%s (%s %s's)", l->help,
			         need == QPC_ROLE_ADMIN ? "an" : "a", qpc_role_name(need));
			draw_text(y, box.x + 2, kw, l->keys, TEXTCELL_LEFT, theme_attr(UC_DIM));
			draw_text(y, box.x + 3 + kw, box.w - kw - 3, text, TEXTCELL_LEFT,
			          theme_attr(UC_DIM));
			continue;
		}
		/* Enter in the goals also opens a checklist, which a rep may;
		 * setting the goal is said to be a manager's */
		const char *said = l->help;
		if (l->act == QPC_ACT_GOAL_EDIT && !app_may(a, QPC_ROLE_MANAGER))
			said = "in the goals' plan, open the candidate's checklist (setting a goal is"
			       " a manager's)";
		draw_text(y, box.x + 2, kw, l->keys, TEXTCELL_LEFT, theme_attr(UC_KEY));
		draw_text(y, box.x + 3 + kw, box.w - kw - 3, said, TEXTCELL_LEFT, A_NORMAL);
	}
}

unsigned chrome_help_action(struct app *a, enum qpc_action act)
{
	int page = LINES - 5 > 1 ? LINES - 5 : 1;
	switch (act) {
	case QPC_ACT_MOVE_DOWN: a->help_top++; break;
	case QPC_ACT_MOVE_UP: a->help_top--; break;
	case QPC_ACT_PAGE_DOWN: a->help_top += page; break;
	case QPC_ACT_PAGE_UP: a->help_top -= page; break;
	case QPC_ACT_FIRST: a->help_top = 0; break;
	case QPC_ACT_LAST: a->help_top = 1 << 20; break;
	case QPC_ACT_QUIT: a->quit = true; break;
	default: a->help = false; break;
	}
	return UI_HANDLED | UI_REDRAW;
}

void chrome_too_small(int rows, int cols)
{
	char l[3][64];
	snprintf(l[0], sizeof l[0], "Too small: %dx%d", cols, rows);
	snprintf(l[1], sizeof l[1], "qpc needs %dx%d", UI_MIN_COLS, UI_MIN_LINES);
	snprintf(l[2], sizeof l[2], "q quits");
	for (int i = 0; i < 3 && i < rows; i++) {
		int w = (int)strlen(l[i]);
		int x = cols > w ? (cols - w) / 2 : 0;
		draw_text(rows > 3 ? (rows - 3) / 2 + i : i, x, cols - x, l[i], TEXTCELL_LEFT,
		          i == 0 ? theme_attr(UC_TITLE) : A_NORMAL);
	}
}
