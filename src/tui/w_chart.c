/* w_chart.c — a bar chart, sparklines and an area chart with marks. */
#include <string.h>

#include "ui_widgets.h"

void chart_bars(const struct chart_bar *bars, int n, struct ui_rect r)
{
	int64_t max = 0;
	int lw = 0, vw = 0;
	for (int i = 0; i < n; i++) {
		char v[32];
		uil_count(bars[i].value, v, sizeof v);
		int w = (int)textcell_width(bars[i].label), k = (int)strlen(v);
		lw = w > lw ? w : lw;
		vw = k > vw ? k : vw;
		max = bars[i].value > max ? bars[i].value : max;
	}
	int bw = r.w - lw - vw - 2;
	for (int i = 0; i < n && i < r.h; i++) {
		int y = r.y + i;
		char v[32];
		uil_count(bars[i].value, v, sizeof v);
		draw_text(y, r.x, lw, bars[i].label, TEXTCELL_LEFT, theme_attr(UC_LABEL));
		if (bw < 3) { /* too narrow for bars: the numbers alone */
			draw_text(y, r.x + lw + 1, r.w - lw - 1, v, TEXTCELL_LEFT, A_NORMAL);
			continue;
		}
		int e = uil_eighths(bars[i].value, max, bw);
		draw_fill(y, r.x + lw + 1, bw, A_NORMAL);
		draw_bar(y, r.x + lw + 1, (e + 7) / 8, e, theme_attr(bars[i].color));
		int used = (e + 7) / 8;
		draw_text(y, r.x + lw + 1 + used + (used ? 1 : 0), vw, v, TEXTCELL_LEFT, A_NORMAL);
		if (bars[i].note) {
			int x = r.x + lw + 2 + used + (used ? 1 : 0) + vw;
			draw_text(y, x, r.x + r.w - x, bars[i].note, TEXTCELL_LEFT,
			          theme_attr(bars[i].color));
		}
	}
}

void chart_spark(int y, int x, int w, const qpc_money *v, int n)
{
	int levels[64];
	const struct ui_glyphs *g = draw_glyphs();
	if (n > 64)
		n = 64;
	if (w > n)
		w = n;
	if (!draw_row_shown(y))
		return;
	/* the latest months when not all fit */
	v += n - w;
	uil_spark(v, w, levels);
	attrset(theme_attr(UC_CHART));
	move(y, x);
	for (int i = 0; i < w; i++)
		addstr(levels[i] < 0 ? " " : g->spark[levels[i]]);
	attrset(A_NORMAL);
}

void chart_range(int y, int x, int w, const int64_t *v, int n)
{
	const struct ui_glyphs *g = draw_glyphs();
	if (w > n)
		w = n;
	if (w <= 0 || !draw_row_shown(y))
		return;
	v += n - w; /* the latest when not all fit */
	int64_t lo = v[0], hi = v[0];
	for (int i = 1; i < w; i++) {
		lo = v[i] < lo ? v[i] : lo;
		hi = v[i] > hi ? v[i] : hi;
	}
	attrset(theme_attr(UC_CHART));
	move(y, x);
	for (int i = 0; i < w; i++) {
		/* lowest to highest over the levels; a flat line in the middle */
		__extension__ typedef __int128 i128;
		int level = hi == lo ? 3 : (int)((i128)(v[i] - lo) * 7 / ((i128)hi - lo));
		addstr(g->spark[level]);
	}
	attrset(A_NORMAL);
}

void chart_curve(const qpc_money *pts, const int64_t *partners, int n, struct ui_rect r)
{
	int heights[512], marks[512];
	const struct ui_glyphs *g = draw_glyphs();
	int h = r.h - 1, w = r.w < 512 ? r.w : 512;
	if (h < 1 || w < 1 || n < 1)
		return;
	uil_curve(pts, partners, n, w, h, heights, marks);
	attr_t a = theme_attr(UC_CHART);
	for (int row = 0; row < h; row++) {
		int y = r.y + h - 1 - row;
		if (!draw_row_shown(y))
			continue;
		move(y, r.x);
		attrset(a);
		for (int c = 0; c < w; c++) {
			int e = heights[c] - 8 * row;
			e = e < 0 ? 0 : e > 8 ? 8 : e;
			if (g->ascii)
				addstr(e >= 4 ? "#" : e > 0 ? "." : " ");
			else
				addstr(e == 0 ? " " : g->spark[e - 1]);
		}
	}
	if (draw_row_shown(r.y + h)) {
		attrset(theme_attr(UC_MARK));
		move(r.y + h, r.x);
		for (int c = 0; c < w; c++)
			addstr(marks[c] ? g->mark : " ");
	}
	attrset(A_NORMAL);
}
