/* w_form.c — labelled values in columns (read-only here; the editors of
 * the next issue make fields of it), a gauge, and pane frames. */
#include <string.h>

#include "ui_widgets.h"

int form_draw(const struct form_field *f, int n, struct ui_rect r, int ncolumns)
{
	if (n <= 0 || r.h <= 0 || r.w <= 0)
		return 0;
	if (ncolumns < 1)
		ncolumns = 1;
	int rows = (n + ncolumns - 1) / ncolumns;
	if (rows > r.h)
		rows = r.h;
	int colw = r.w / ncolumns;
	for (int c = 0; c < ncolumns; c++) {
		int first = c * rows, last = first + rows;
		if (last > n)
			last = n;
		int lw = 0;
		for (int i = first; i < last; i++) {
			int w = (int)textcell_width(f[i].label);
			lw = w > lw ? w : lw;
		}
		if (lw > colw / 2)
			lw = colw / 2;
		int x = r.x + c * colw, vw = colw - lw - 2;
		for (int i = first; i < last; i++) {
			int y = r.y + (i - first);
			draw_text(y, x, lw, f[i].label, TEXTCELL_LEFT, theme_attr(UC_LABEL));
			draw_text(y, x + lw + 1, vw > 0 ? vw : 0, f[i].value, TEXTCELL_LEFT,
			          theme_attr(f[i].color));
		}
	}
	return rows;
}

int form_flow(const struct form_field *f, int n, struct ui_rect r)
{
	const char *sep = draw_glyphs()->dot;
	int sw = (int)textcell_width(sep), y = r.y, x = r.x;
	if (r.h <= 0 || r.w <= 0)
		return 0;
	for (int i = 0; i < n; i++) {
		int lw = f[i].label[0] ? (int)textcell_width(f[i].label) + 1 : 0;
		int w = lw + (int)textcell_width(f[i].value);
		if (x > r.x && x + sw + w > r.x + r.w) { /* wrap before it */
			if (++y >= r.y + r.h)
				return r.h;
			x = r.x;
		} else if (x > r.x) {
			x += draw_span(y, x, r.x + r.w - x, sep, theme_attr(UC_DIM));
		}
		if (lw)
			x += draw_span(y, x, r.x + r.w - x, f[i].label, theme_attr(UC_DIM)) + 1;
		x += draw_span(y, x, r.x + r.w - x, f[i].value, theme_attr(f[i].color));
	}
	return y - r.y + 1;
}

void gauge_draw(int y, int x, int w, int64_t value, int64_t max, const char *label)
{
	int lw = label ? (int)textcell_width(label) : 0;
	int bw = w - lw - 3; /* "[", "]", a space */
	if (bw < 4) { /* no room for a bar: the label alone */
		draw_text(y, x, w, label, TEXTCELL_LEFT, A_NORMAL);
		return;
	}
	draw_text(y, x, 1, "[", TEXTCELL_LEFT, theme_attr(UC_DIM));
	draw_fill(y, x + 1, bw, theme_attr(UC_DIM));
	draw_bar(y, x + 1, bw, uil_eighths(value, max, bw), theme_attr(UC_GOOD));
	draw_text(y, x + 1 + bw, 1, "]", TEXTCELL_LEFT, theme_attr(UC_DIM));
	if (label)
		draw_text(y, x + bw + 3, lw, label, TEXTCELL_LEFT, A_NORMAL);
}

/* Rows a block may use: more than any screen has. */
#define SCROLLED_ROWS 4096

void scrolled_draw(struct scrolled *sc, struct ui_rect r, scrolled_fn fn, void *ctx)
{
	if (r.h <= 0 || r.w <= 0)
		return;
	/* measured first, drawing nothing, to know whether a row must say so */
	draw_clip(0, 0);
	sc->total = fn(ctx, (struct ui_rect){ r.y, r.x, SCROLLED_ROWS, r.w });
	sc->view = sc->total > r.h && r.h > 1 ? r.h - 1 : r.h;
	int most = sc->total > sc->view ? sc->total - sc->view : 0;
	sc->off = sc->off > most ? most : sc->off < 0 ? 0 : sc->off;
	draw_clip(r.y, r.y + sc->view);
	fn(ctx, (struct ui_rect){ r.y - sc->off, r.x, SCROLLED_ROWS, r.w });
	draw_unclip();
	if (sc->total <= sc->view)
		return;
	const struct ui_glyphs *g = draw_glyphs();
	char line[96];
	snprintf(line, sizeof line, "%s rows %d-%d of %d, j/k: scroll",
	         sc->off + sc->view < sc->total ? g->down : g->up, sc->off + 1, sc->off + sc->view,
	         sc->total);
	draw_text(r.y + r.h - 1, r.x, r.w, line, TEXTCELL_LEFT, theme_attr(UC_DIM));
}

bool scrolled_over(const struct scrolled *sc)
{
	return sc->total > sc->view;
}

bool scrolled_move(struct scrolled *sc, enum qpc_action a)
{
	if (!scrolled_over(sc))
		return false;
	int page = sc->view > 1 ? sc->view - 1 : 1, most = sc->total - sc->view;
	switch (a) {
	case QPC_ACT_MOVE_DOWN: sc->off++; break;
	case QPC_ACT_MOVE_UP: sc->off--; break;
	case QPC_ACT_PAGE_DOWN: sc->off += page; break;
	case QPC_ACT_PAGE_UP: sc->off -= page; break;
	case QPC_ACT_FIRST: sc->off = 0; break;
	case QPC_ACT_LAST: sc->off = most; break;
	default: return false;
	}
	sc->off = sc->off > most ? most : sc->off < 0 ? 0 : sc->off;
	return true;
}
