/* draw.c — text and glyphs on the screen, every string through textcell. */
#include <langinfo.h>
#include <limits.h>
#include <string.h>

#include "ui_draw.h"

static const struct ui_glyphs utf8 = {
	.blocks = { " ", "\xe2\x96\x8f", "\xe2\x96\x8e", "\xe2\x96\x8d", "\xe2\x96\x8c",
	            "\xe2\x96\x8b", "\xe2\x96\x8a", "\xe2\x96\x89", "\xe2\x96\x88" },
	.spark = { "\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84", "\xe2\x96\x85",
	           "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88" },
	.up = "\xe2\x96\xb2",
	.down = "\xe2\x96\xbc",
	.mark = "\xe2\x96\xb2",
	.dot = " \xc2\xb7 ",
	.hline = "\xe2\x94\x80",
	.tick = "[\xe2\x9c\x93]",
	.untick = "[ ]",
	.ascii = false,
};

static const struct ui_glyphs ascii = {
	.blocks = { " ", " ", " ", " ", "#", "#", "#", "#", "#" },
	.spark = { "_", ".", ".", "-", "-", "=", "#", "#" },
	.up = "^",
	.down = "v",
	.mark = "^",
	.dot = " - ",
	.hline = "-",
	.tick = "[x]",
	.untick = "[ ]",
	.ascii = true,
};

static const struct ui_glyphs *glyphs = &ascii;

void draw_init(void)
{
	const char *cs = nl_langinfo(CODESET);
	glyphs = cs && strcmp(cs, "UTF-8") == 0 ? &utf8 : &ascii;
}

const struct ui_glyphs *draw_glyphs(void)
{
	return glyphs;
}

/* The rows drawing reaches: [clip_top, clip_end). */
static int clip_top, clip_end = INT_MAX;

void draw_clip(int top, int end)
{
	clip_top = top;
	clip_end = end;
}

void draw_unclip(void)
{
	draw_clip(0, INT_MAX);
}

bool draw_row_shown(int y)
{
	return y >= clip_top && y < clip_end;
}

/* Fitted text is at most 4 bytes a column. */
#define FIT_MAX 1024

void draw_text(int y, int x, int w, const char *s, enum textcell_align a, attr_t attr)
{
	char buf[TEXTCELL_FIT_SIZE(FIT_MAX / 4)];
	if (w <= 0 || y < 0 || x < 0 || !draw_row_shown(y))
		return;
	if (w > FIT_MAX / 4)
		w = FIT_MAX / 4;
	textcell_fit(s ? s : "", w, a, buf, sizeof buf);
	attrset(attr);
	mvaddstr(y, x, buf);
	attrset(A_NORMAL);
}

int draw_span(int y, int x, int maxw, const char *s, attr_t attr)
{
	int w = (int)textcell_width(s ? s : "");
	if (w > maxw)
		w = maxw;
	draw_text(y, x, w, s, TEXTCELL_LEFT, attr);
	return w > 0 ? w : 0;
}

void draw_fill(int y, int x, int w, attr_t attr)
{
	if (w <= 0 || !draw_row_shown(y))
		return;
	attrset(attr);
	mvhline(y, x, ' ', w);
	attrset(A_NORMAL);
}

void draw_bar(int y, int x, int w, int eighths, attr_t attr)
{
	if (w <= 0 || !draw_row_shown(y))
		return;
	attrset(attr);
	move(y, x);
	for (int c = 0; c < w; c++) {
		int e = eighths - 8 * c;
		e = e < 0 ? 0 : e > 8 ? 8 : e;
		if (glyphs->ascii && e > 0 && e < 8) /* ASCII: round to whole cells */
			e = e >= 4 ? 8 : 0;
		addstr(glyphs->blocks[e]);
	}
	attrset(A_NORMAL);
}

void draw_bar_text(int64_t value, int64_t max, int w, char *buf, size_t n)
{
	int e = uil_eighths(value, max, w);
	size_t pos = 0;
	buf[0] = '\0';
	for (int c = 0; c < w; c++) {
		int k = e - 8 * c;
		k = k < 0 ? 0 : k > 8 ? 8 : k;
		if (glyphs->ascii && k > 0 && k < 8)
			k = k >= 4 ? 8 : 0;
		const char *g = k == 0 ? (glyphs->ascii ? "." : "\xc2\xb7") : glyphs->blocks[k];
		size_t len = strlen(g);
		if (pos + len + 1 > n)
			break;
		memcpy(buf + pos, g, len + 1);
		pos += len;
	}
}

void pane_title(struct ui_rect r, const char *title, bool focused)
{
	if (r.h <= 0 || r.w <= 0 || !draw_row_shown(r.y))
		return;
	attr_t a = theme_attr(focused ? UC_TAB_ON : UC_TITLE);
	attrset(theme_attr(UC_DIM));
	move(r.y, r.x);
	for (int i = 0; i < r.w; i++)
		addstr(glyphs->hline);
	attrset(A_NORMAL);
	if (r.w > 4) {
		char t[160];
		snprintf(t, sizeof t, " %s ", title);
		draw_span(r.y, r.x + 1, r.w - 2, t, a);
	}
}
