/* view_gaps.c — the reps' estimates of our share against the measured
 * share, per owner (the report's rep_estimate_gap): how many accounts
 * carry an estimate, how many of those are measured, the median gap in
 * points, and the largest gaps either way, by account.  The seed says
 * seasoned reps overestimate their share because they underestimate QPC:
 * a gap above 0 is a rep who thinks we sell more than we do.  Read only;
 * refreshed when the data changes.  E from the dashboard opens it. */
#include <stdlib.h>
#include <string.h>

#include "qpc/watch.h"
#include "ui.h"

struct gaps {
	struct app *app;
	struct qpc_watch w;
	bool loaded, failed;
	struct qpc_error err;
	struct listbox list;
};

static const struct table_col cols[] = {
	{ "Owner", { 6, 16, 1, 100 }, TEXTCELL_LEFT },
	{ "Estimates", { 9, 9, 0, 90 }, TEXTCELL_RIGHT },
	{ "Measured", { 8, 8, 0, 70 }, TEXTCELL_RIGHT },
	{ "Median gap, pts", { 15, 15, 0, 95 }, TEXTCELL_RIGHT },
	{ "Largest gaps", { 12, 60, 3, 60 }, TEXTCELL_LEFT },
};

/* The owners, then the team's line last. */
static int nrows(const struct gaps *s)
{
	return s->loaded ? (int)s->w.nowners + 1 : 0;
}

static const struct qpc_gap_owner *row_of(const struct gaps *s, int row)
{
	return row < (int)s->w.nowners ? &s->w.owners[row] : &s->w.team;
}

/* "+13.8", as the report and the dashboard write a gap in points. */
static void points(double pts, char *buf, size_t n)
{
	snprintf(buf, n, "%+.1f", pts);
}

/* "Acme +32.0, Borg -20.5" */
static void largest(const struct qpc_gap_owner *o, char *buf, size_t n)
{
	size_t used = 0;
	buf[0] = '\0';
	for (int i = 0; i < o->nlargest && used < n; i++) {
		char g[40];
		points(o->largest[i].gap_bp / 100.0, g, sizeof g);
		int w = snprintf(buf + used, n - used, "%s%s %s", i ? ", " : "", o->largest[i].name, g);
		used += w > 0 ? (size_t)w : 0;
	}
}

static void cell(void *ctx, int row, int col, int width, char *buf, size_t n, attr_t *attr)
{
	struct gaps *s = ctx;
	const struct qpc_gap_owner *o = row_of(s, row);
	bool team = row == (int)s->w.nowners;
	(void)width;
	if (team)
		*attr = theme_attr(UC_TITLE);
	switch (col) {
	case 0: snprintf(buf, n, "%s", team ? "The team" : o->owner[0] ? o->owner : "(no owner)"); break;
	case 1: snprintf(buf, n, "%lld", (long long)o->estimates); break;
	case 2: snprintf(buf, n, "%lld", (long long)o->measured); break;
	case 3:
		if (o->measured)
			points(o->median_points, buf, n);
		else
			snprintf(buf, n, "-");
		break;
	case 4:
		if (!team)
			largest(o, buf, n);
		break;
	}
}

static void load(struct gaps *s)
{
	if (s->loaded)
		qpc_watch_free(&s->w);
	memset(&s->err, 0, sizeof s->err);
	s->loaded = qpc_store_watch(s->app->st, qpc_browse_as_of(s->app->br), false, &s->w,
	                            &s->err) == QPC_OK;
	s->failed = !s->loaded;
	if (!s->loaded)
		qpc_watch_free(&s->w);
	if (s->list.cursor >= nrows(s))
		s->list.cursor = nrows(s) > 0 ? nrows(s) - 1 : 0;
}

static void open_view(struct view *v)
{
	load(v->data);
}

static void close_view(struct view *v)
{
	struct gaps *s = v->data;
	if (s->loaded)
		qpc_watch_free(&s->w);
	free(s);
}

static void draw(struct view *v, struct ui_rect r)
{
	struct gaps *s = v->data;
	if (r.h < 4)
		return;
	char head[200], day[QPC_DATE_ISO_LEN];
	snprintf(head, sizeof head, "Rep estimates: the reps' share estimates against the measured"
	                            " share, by owner, as of %s",
	         qpc_date_format(qpc_browse_as_of(s->app->br), day));
	draw_text(r.y, r.x, r.w, head, TEXTCELL_LEFT, theme_attr(UC_TITLE));
	if (s->failed) {
		draw_text(r.y + 2, r.x + 2, r.w - 2, s->err.msg, TEXTCELL_LEFT, theme_attr(UC_ERROR));
		return;
	}
	listbox_draw(&s->list, nrows(s), (struct ui_rect){ r.y + 1, r.x, r.h - 1, r.w }, true);
	if (s->w.team.estimates == 0)
		draw_text(r.y + 4, r.x + 2, r.w - 2,
		          "No rep has estimated our share yet: e on an account edits it.",
		          TEXTCELL_LEFT, theme_attr(UC_DIM));
}

/* The row under the cursor in words, its largest gaps in full. */
static void status(struct view *v, char *buf, size_t n)
{
	struct gaps *s = v->data;
	if (!s->loaded) {
		snprintf(buf, n, "q back");
		return;
	}
	const struct qpc_gap_owner *o = row_of(s, s->list.cursor);
	if (s->list.cursor == (int)s->w.nowners) {
		snprintf(buf, n, "The team: %lld of %lld estimates measured; above 0, reps think our"
		                 " share higher than it is",
		         (long long)o->measured, (long long)o->estimates);
		return;
	}
	char l[QPC_GAP_LARGEST * (QPC_TEXT_NAME + 16)];
	largest(o, l, sizeof l);
	snprintf(buf, n, "%s: %s", o->owner[0] ? o->owner : "(no owner)",
	         o->nlargest ? l : "no estimate measured");
}

static unsigned action(struct view *v, enum qpc_action a)
{
	struct gaps *s = v->data;
	return listbox_action(&s->list, a);
}

static unsigned mouse(struct view *v, const struct ui_mouse *m)
{
	struct gaps *s = v->data;
	listbox_mouse(&s->list, m);
	return UI_HANDLED | UI_REDRAW;
}

static void reload(struct view *v)
{
	load(v->data);
}

static const struct view_ops ops = {
	.title = "Rep estimates",
	.scope = QPC_IN_LISTS,
	.open = open_view,
	.close = close_view,
	.draw = draw,
	.action = action,
	.mouse = mouse,
	.status = status,
	.reload = reload,
};

void gaps_open(struct app *a)
{
	struct gaps *s = calloc(1, sizeof *s);
	if (!s) {
		app_message(a, true, "out of memory");
		return;
	}
	s->app = a;
	s->list.t = (struct table){ .cols = cols, .ncols = 5, .sort_col = -1, .cell = cell, .ctx = s };
	app_push(a, view_new(a, &ops, s));
}
