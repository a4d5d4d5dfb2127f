/* w_table.c — a table: column layout, heading with the sort mark, rows
 * through a cell callback, the cursor.  It owns no rows. */
#include <string.h>

#include "ui_widgets.h"

#define GAP 1

static void layout(struct table *t, int width)
{
	struct textcell_col cols[16];
	int n = t->ncols < 16 ? t->ncols : 16;
	for (int i = 0; i < n; i++)
		cols[i] = t->cols[i].size;
	textcell_layout(cols, (size_t)n, width, GAP, t->widths);
}

void table_draw(struct table *t, struct ui_rect r)
{
	if (r.h <= 0 || r.w <= 0)
		return;
	layout(t, r.w);
	const struct ui_glyphs *g = draw_glyphs();
	attr_t head = theme_attr(UC_HEADER);
	draw_fill(r.y, r.x, r.w, head);
	int x = r.x;
	for (int c = 0; c < t->ncols && c < 16; c++) {
		int w = t->widths[c];
		if (w == 0)
			continue;
		char title[64];
		if (c == t->sort_col)
			snprintf(title, sizeof title, "%s%s", t->cols[c].title,
			         t->sort_desc ? g->down : g->up);
		else
			snprintf(title, sizeof title, "%s", t->cols[c].title);
		draw_text(r.y, x, w, title, t->cols[c].align, head);
		x += w + GAP;
	}
	for (int i = 0; i < r.h - 1; i++) {
		int row = t->top + i, y = r.y + 1 + i;
		if (row >= t->nrows) {
			draw_fill(y, r.x, r.w, A_NORMAL);
			continue;
		}
		bool cur = row == t->cursor;
		attr_t line = cur ? theme_attr(t->focused ? UC_CURSOR : UC_CURSOR_OFF) : A_NORMAL;
		draw_fill(y, r.x, r.w, line);
		x = r.x;
		for (int c = 0; c < t->ncols && c < 16; c++) {
			int w = t->widths[c];
			if (w == 0)
				continue;
			char buf[256] = "";
			attr_t a = A_NORMAL;
			t->cell(t->ctx, row, c, w, buf, sizeof buf, &a);
			/* On the cursor line the cursor's look wins, but meaning
			 * attributes (bold, underline) survive. */
			draw_text(y, x, w, buf, t->cols[c].align, cur ? line | (a & (A_BOLD | A_UNDERLINE)) : a);
			x += w + GAP;
		}
	}
}

int table_hit(const struct table *t, struct ui_rect r, int y, int x, int *col)
{
	*col = -1;
	if (y < r.y || y >= r.y + r.h || x < r.x || x >= r.x + r.w)
		return -2;
	int cx = r.x;
	for (int c = 0; c < t->ncols && c < 16; c++) {
		if (t->widths[c] == 0)
			continue;
		if (x >= cx && x < cx + t->widths[c] + GAP) {
			*col = c;
			break;
		}
		cx += t->widths[c] + GAP;
	}
	if (y == r.y)
		return -1;
	int row = t->top + (y - r.y - 1);
	return row < t->nrows ? row : -2;
}

bool table_move(int *cursor, int n, int page, enum qpc_action a)
{
	int c = *cursor;
	switch (a) {
	case QPC_ACT_MOVE_DOWN: c++; break;
	case QPC_ACT_MOVE_UP: c--; break;
	case QPC_ACT_PAGE_DOWN: c += page > 1 ? page : 1; break;
	case QPC_ACT_PAGE_UP: c -= page > 1 ? page : 1; break;
	case QPC_ACT_FIRST: c = 0; break;
	case QPC_ACT_LAST: c = n - 1; break;
	default: return false;
	}
	*cursor = c >= n ? n - 1 : c;
	if (*cursor < 0)
		*cursor = 0;
	return true;
}

/* --- a list held in memory ------------------------------------------------ */

void listbox_place(struct listbox *lb, int n, struct ui_rect r)
{
	lb->area = r;
	lb->n = lb->t.nrows = n;
	if (lb->cursor >= n)
		lb->cursor = n > 0 ? n - 1 : 0;
	lb->top = lb->t.top = uil_scroll(lb->cursor, lb->top, r.h - 1, n, 0);
}

void listbox_draw(struct listbox *lb, int n, struct ui_rect r, bool focused)
{
	lb->area = r;
	lb->t.focused = focused;
	if (lb->pg) { /* the pager's window is the rows shown */
		pager_resize(lb->pg, r.h - 1);
		lb->n = lb->t.nrows = lb->pg->n;
		lb->t.cursor = focused ? lb->pg->cursor : -1;
		lb->t.top = 0;
		table_draw(&lb->t, r);
		return;
	}
	lb->n = n;
	if (lb->cursor >= n)
		lb->cursor = n > 0 ? n - 1 : 0;
	lb->top = uil_scroll(lb->cursor, lb->top, r.h - 1, n, 0);
	lb->t.nrows = n;
	lb->t.cursor = focused ? lb->cursor : -1;
	lb->t.top = lb->top;
	table_draw(&lb->t, r);
}

unsigned listbox_action(struct listbox *lb, enum qpc_action a)
{
	if (lb->pg)
		return pager_action(lb->pg, a);
	int page = lb->area.h > 2 ? lb->area.h - 2 : 1; /* the rows less one, and the heading */
	return table_move(&lb->cursor, lb->n, page, a) ? UI_HANDLED | UI_REDRAW : UI_IGNORED;
}

enum listbox_hit listbox_mouse(struct listbox *lb, const struct ui_mouse *m)
{
	struct ui_rect r = lb->area;
	lb->hit_col = -1;
	if (r.h <= 0 || m->y < r.y || m->y >= r.y + r.h || m->x < r.x || m->x >= r.x + r.w)
		return LISTBOX_MISS;
	if (m->kind == UI_WHEEL_UP || m->kind == UI_WHEEL_DOWN) {
		if (lb->pg) /* a long list: three rows a notch */
			pager_move(lb->pg, m->kind == UI_WHEEL_UP ? -3 : 3);
		else
			listbox_action(lb, m->kind == UI_WHEEL_UP ? QPC_ACT_MOVE_UP : QPC_ACT_MOVE_DOWN);
		return LISTBOX_MOVED;
	}
	int row = table_hit(&lb->t, r, m->y, m->x, &lb->hit_col);
	if (row < 0) /* the heading (-1), or below the last row */
		return row == -1 ? LISTBOX_HEADING : LISTBOX_MISS;
	if (lb->pg)
		lb->pg->cursor = row;
	else
		lb->cursor = row;
	return m->kind == UI_DOUBLE ? LISTBOX_OPEN : LISTBOX_MOVED;
}
