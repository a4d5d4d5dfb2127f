/* view_works.c — what works: for the candidacies that ended, each step of
 * their checklists, ticked by the end or not, against how many of them
 * became partners, with the candidacies each figure rests on, and the
 * median days from nomination to partner (qpc_store_what_works, the
 * report's `candidacy`).  Read only; refreshed when the data changes. */
#include <stdlib.h>
#include <string.h>

#include "qpc/watch.h"
#include "ui.h"

struct works {
	struct app *app;
	struct qpc_works w;
	bool failed;
	struct qpc_error err;
	struct listbox list;
};

static const struct table_col cols[] = {
	{ "Step", { 16, 44, 3, 100 }, TEXTCELL_LEFT },
	{ "Ticked: partners", { 16, 16, 0, 90 }, TEXTCELL_RIGHT },
	{ "Not ticked", { 10, 12, 0, 80 }, TEXTCELL_RIGHT },
	{ "Checklist", { 9, 18, 1, 40 }, TEXTCELL_LEFT },
};

/* "2 of 3  67%", or "-" when no candidacy ended that way. */
static void rate(int64_t part, int64_t whole, char *buf, size_t n)
{
	if (!whole)
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%lld of %lld %3lld%%", (long long)part, (long long)whole,
		         (long long)((part * 100 + whole / 2) / whole));
}

static void cell(void *ctx, int row, int col, int width, char *buf, size_t n, attr_t *attr)
{
	struct works *s = ctx;
	const struct qpc_works_step *t = &s->w.steps[row];
	(void)width;
	switch (col) {
	case 0: snprintf(buf, n, "%d. %s", t->position, t->text); break;
	case 1:
		rate(t->ticked_partners, t->ticked, buf, n);
		/* ticked ones made partners more often than the others */
		if (t->ticked && t->unticked &&
		    t->ticked_partners * t->unticked > t->unticked_partners * t->ticked)
			*attr = theme_attr(UC_GOOD);
		break;
	case 2: rate(t->unticked_partners, t->unticked, buf, n); break;
	case 3: snprintf(buf, n, "%s", t->template_name); break;
	}
}

static void load(struct works *s)
{
	qpc_works_free(&s->w);
	memset(&s->err, 0, sizeof s->err);
	s->failed = qpc_store_what_works(s->app->st, qpc_browse_as_of(s->app->br), &s->w, &s->err) !=
	            QPC_OK;
	if (s->list.cursor >= (int)s->w.nsteps)
		s->list.cursor = s->w.nsteps > 0 ? (int)s->w.nsteps - 1 : 0;
}

static void open_view(struct view *v)
{
	load(v->data);
}

static void close_view(struct view *v)
{
	struct works *s = v->data;
	qpc_works_free(&s->w);
	free(s);
}

static void draw(struct view *v, struct ui_rect r)
{
	struct works *s = v->data;
	if (r.h < 4)
		return;
	char head[200], med[48] = "";
	const struct qpc_works *w = &s->w;
	if (w->has_median)
		snprintf(med, sizeof med, "; median %.0f days to partner", w->median_days);
	snprintf(head, sizeof head, "What works: %lld ended candidac%s, %lld partner%s, %lld dropped%s",
	         (long long)w->ended, w->ended == 1 ? "y" : "ies", (long long)w->partners,
	         w->partners == 1 ? "" : "s", (long long)w->dropped, med);
	draw_text(r.y, r.x, r.w, head, TEXTCELL_LEFT, theme_attr(UC_TITLE));
	listbox_draw(&s->list, (int)w->nsteps, (struct ui_rect){ r.y + 1, r.x, r.h - 1, r.w }, true);
	if (w->nsteps == 0)
		draw_text(r.y + 3, r.x + 2, r.w - 2,
		          s->failed ? s->err.msg
		                    : "No candidacy has ended yet: a partner made, or one dropped.",
		          TEXTCELL_LEFT, theme_attr(s->failed ? UC_ERROR : UC_DIM));
}

static void status(struct view *v, char *buf, size_t n)
{
	struct works *s = v->data;
	if (s->w.nsteps == 0) {
		snprintf(buf, n, "%lld candidacies still open", (long long)s->w.open);
		return;
	}
	const struct qpc_works_step *t = &s->w.steps[s->list.cursor];
	snprintf(buf, n, "%d. %s: of %lld ended with it ticked, %lld partners; without, %lld of %lld",
	         t->position, t->text, (long long)t->ticked, (long long)t->ticked_partners,
	         (long long)t->unticked_partners, (long long)t->unticked);
}

static unsigned action(struct view *v, enum qpc_action a)
{
	struct works *s = v->data;
	return listbox_action(&s->list, a);
}

static unsigned mouse(struct view *v, const struct ui_mouse *m)
{
	struct works *s = v->data;
	listbox_mouse(&s->list, m);
	return UI_HANDLED | UI_REDRAW;
}

static void reload(struct view *v)
{
	load(v->data);
}

static const struct view_ops ops = {
	.title = "What works",
	.scope = QPC_IN_LISTS,
	.open = open_view,
	.close = close_view,
	.draw = draw,
	.action = action,
	.mouse = mouse,
	.status = status,
	.reload = reload,
};

void works_open(struct app *a)
{
	struct works *s = calloc(1, sizeof *s);
	if (!s) {
		app_message(a, true, "out of memory");
		return;
	}
	s->app = a;
	s->list.t = (struct table){ .cols = cols, .ncols = 4, .sort_col = -1, .cell = cell, .ctx = s };
	app_push(a, view_new(a, &ops, s));
}
