/* theme.c — colours by meaning (htop's CRT_colorSchemes, one scheme).
 *
 * Each meaning has a colour pair and attributes for terminals with
 * colour, and attributes alone for the others: monochrome terminals,
 * fewer than 8 colours, or NO_COLOR set to anything (no-color.org).
 * Colour is never the only sign: statuses are also words, the cursor is
 * reversed, stale and underestimated figures carry their own marks.
 */
#include <stdlib.h>

#include "ui_draw.h"

struct scheme {
	short fg, bg;   /* -1: the terminal's default */
	attr_t color;   /* attributes with colour */
	attr_t mono;    /* attributes without */
};

static const struct scheme schemes[UC_COUNT] = {
	[UC_NORMAL] = { -1, -1, A_NORMAL, A_NORMAL },
	[UC_TITLE] = { -1, -1, A_BOLD, A_BOLD },
	[UC_TAB] = { -1, -1, A_NORMAL, A_NORMAL },
	[UC_TAB_ON] = { COLOR_BLACK, COLOR_CYAN, A_BOLD, A_REVERSE | A_BOLD },
	[UC_HEADER] = { COLOR_CYAN, -1, A_BOLD, A_BOLD | A_UNDERLINE },
	[UC_CURSOR] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[UC_CURSOR_OFF] = { -1, -1, A_REVERSE, A_UNDERLINE },
	[UC_BAR] = { COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_REVERSE },
	[UC_ERROR] = { COLOR_RED, -1, A_BOLD, A_BOLD },
	[UC_DIM] = { COLOR_BLUE, -1, A_NORMAL, A_DIM },
	[UC_KEY] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[UC_LABEL] = { -1, -1, A_NORMAL, A_NORMAL },
	[UC_PARTNER] = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
	[UC_CANDIDATE] = { COLOR_YELLOW, -1, A_NORMAL, A_UNDERLINE },
	[UC_CUSTOMER] = { -1, -1, A_NORMAL, A_NORMAL },
	[UC_PROSPECT] = { COLOR_BLUE, -1, A_NORMAL, A_DIM },
	[UC_OVER] = { COLOR_MAGENTA, -1, A_BOLD, A_BOLD | A_UNDERLINE },
	[UC_STALE] = { COLOR_YELLOW, -1, A_NORMAL, A_DIM },
	[UC_GOOD] = { COLOR_GREEN, -1, A_NORMAL, A_BOLD },
	[UC_WARN] = { COLOR_RED, -1, A_NORMAL, A_UNDERLINE },
	[UC_CHART] = { COLOR_CYAN, -1, A_NORMAL, A_NORMAL },
	[UC_MARK] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
};

static attr_t attrs[UC_COUNT];
static bool colored;

void theme_init(void)
{
	const char *no_color = getenv("NO_COLOR");
	colored = has_colors() && !(no_color && *no_color) && start_color() == OK && COLORS >= 8 &&
	          COLOR_PAIRS > UC_COUNT;
	bool defaults = colored && use_default_colors() == OK;
	for (int c = 0; c < UC_COUNT; c++) {
		const struct scheme *s = &schemes[c];
		if (!colored) {
			attrs[c] = s->mono;
			continue;
		}
		short fg = s->fg, bg = s->bg;
		if (!defaults) { /* no default colours: white on black */
			fg = fg < 0 ? COLOR_WHITE : fg;
			bg = bg < 0 ? COLOR_BLACK : bg;
		}
		attrs[c] = s->color;
		if ((s->fg >= 0 || s->bg >= 0) && init_pair((short)(c + 1), fg, bg) == OK)
			attrs[c] |= COLOR_PAIR(c + 1);
	}
}

bool theme_has_color(void)
{
	return colored;
}

attr_t theme_attr(enum ui_color c)
{
	return (unsigned)c < UC_COUNT ? attrs[c] : A_NORMAL;
}

enum ui_color theme_status(enum qpc_status s)
{
	switch (s) {
	case QPC_PARTNER: return UC_PARTNER;
	case QPC_CANDIDATE: return UC_CANDIDATE;
	case QPC_CUSTOMER: return UC_CUSTOMER;
	default: return UC_PROSPECT;
	}
}
