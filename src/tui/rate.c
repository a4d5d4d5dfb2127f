/* rate.c — rating an account on the team's traits, wherever an account is
 * selected (R): a short list of the active traits with the account's
 * rating in force at the as-of date, Enter asks for the score and a note
 * ("4 met their CFO"), as `qpc rate` takes them.  A rating is a dated
 * fact on the as-of date, by the user; the ones before it stay.
 */
#include <stdlib.h>
#include <string.h>

#include "qpc/traits.h"
#include "ui.h"

#define MAX_TRAITS 64

struct trait_row {
	char name[QPC_TRAIT_NAME];
	int scale_min, scale_max;
	bool rated;
	int score;
	qpc_date rated_on;
};

/* The account and the trait a question is about. */
struct rating_of {
	int64_t id;
	char account[QPC_TEXT_NAME];
	char trait[QPC_TRAIT_NAME];
	int scale_min, scale_max;
};

struct rater {
	struct rating_of who;
	struct trait_row rows[MAX_TRAITS];
	int n;
	struct listbox list;
};

static int collect(const struct qpc_trait *t, void *ctx)
{
	struct rater *r = ctx;
	if (t->retired || r->n == MAX_TRAITS)
		return 0;
	struct trait_row *w = &r->rows[r->n++];
	snprintf(w->name, sizeof w->name, "%s", t->name);
	w->scale_min = t->scale_min;
	w->scale_max = t->scale_max;
	return 0;
}

static int in_force(const struct qpc_rating *g, void *ctx)
{
	struct rater *r = ctx;
	for (int i = 0; i < r->n; i++)
		if (strcmp(r->rows[i].name, g->trait) == 0) {
			r->rows[i].rated = true;
			r->rows[i].score = g->score;
			r->rows[i].rated_on = g->rated_on;
		}
	return 0;
}

static const struct table_col cols[] = {
	{ "Trait", { 10, 40, 3, 100 }, TEXTCELL_LEFT },
	{ "Scale", { 5, 7, 0, 50 }, TEXTCELL_RIGHT },
	{ "Now", { 3, 5, 0, 60 }, TEXTCELL_RIGHT },
	{ "Since", { 10, 10, 0, 40 }, TEXTCELL_LEFT },
};

static void cell(void *ctx, int row, int col, int width, char *buf, size_t n, attr_t *attr)
{
	const struct rater *r = ctx;
	const struct trait_row *t = &r->rows[row];
	char d[QPC_DATE_ISO_LEN];
	(void)width;
	(void)attr;
	switch (col) {
	case 0: snprintf(buf, n, "%s", t->name); break;
	case 1: snprintf(buf, n, "%d-%d", t->scale_min, t->scale_max); break;
	case 2:
		if (t->rated)
			snprintf(buf, n, "%d", t->score);
		else
			snprintf(buf, n, "-");
		break;
	default: snprintf(buf, n, "%s", t->rated ? qpc_date_format(t->rated_on, d) : ""); break;
	}
}

static void draw(struct view *v, struct ui_rect r)
{
	struct rater *s = v->data;
	char title[256];
	if (r.h < 3)
		return;
	snprintf(title, sizeof title, "Rate %s: on which trait?", s->who.account);
	draw_text(r.y, r.x, r.w, title, TEXTCELL_LEFT, theme_attr(UC_TITLE));
	listbox_draw(&s->list, s->n, (struct ui_rect){ r.y + 1, r.x, r.h - 1, r.w }, true);
}

/* "4 met their CFO": the score, then the note. */
static void rated(struct app *a, void *ctx, bool ok, const char *text)
{
	const struct rating_of *who = ctx;
	if (!ok)
		return;
	while (*text == ' ')
		text++;
	if (!*text) {
		app_message(a, false, "not rated");
		return;
	}
	char *end;
	long score = strtol(text, &end, 10);
	if (end == text || (*end && *end != ' ') || score < who->scale_min ||
	    score > who->scale_max) {
		app_message(a, true, "a score of '%.64s' is a whole number from %d to %d, then a note",
		            who->trait, who->scale_min, who->scale_max);
		return;
	}
	while (*end == ' ')
		end++;
	struct qpc_error e = { 0 };
	qpc_date on = qpc_browse_as_of(a->br);
	if (qpc_store_rate(a->st, who->id, who->trait, (int)score, *end ? end : NULL, on, &e)) {
		app_fail(a, &e);
		return;
	}
	app_changed(a);
	char d[QPC_DATE_ISO_LEN];
	app_message(a, false, "Rated '%.64s' %ld on %s.", who->trait, score, /* as `qpc rate` */
	            qpc_date_format(on, d));
}

static unsigned action(struct view *v, enum qpc_action act)
{
	struct rater *s = v->data;
	unsigned fx = listbox_action(&s->list, act);
	if (fx)
		return fx;
	if (act != QPC_ACT_OPEN)
		return UI_IGNORED;
	struct app *a = v->app;
	const struct trait_row *t = &s->rows[s->list.cursor];
	struct rating_of who = s->who;
	char q[TEXTCELL_FIT_SIZE(40) + TEXTCELL_FIT_SIZE(30) + 48], now[16] = "";
	snprintf(who.trait, sizeof who.trait, "%s", t->name);
	who.scale_min = t->scale_min;
	who.scale_max = t->scale_max;
	if (t->rated)
		snprintf(now, sizeof now, "%d ", t->score);
	char acc[TEXTCELL_FIT_SIZE(40)], trait[TEXTCELL_FIT_SIZE(30)];
	textcell_fit(who.account, 40, TEXTCELL_LEFT, acc, sizeof acc);
	textcell_fit(who.trait, 30, TEXTCELL_LEFT, trait, sizeof trait);
	/* the fitted names end in padding: trimmed */
	for (char *p = acc + strlen(acc); p > acc && p[-1] == ' ';)
		*--p = '\0';
	for (char *p = trait + strlen(trait); p > trait && p[-1] == ' ';)
		*--p = '\0';
	snprintf(q, sizeof q, "%s on '%s' (%d-%d), then a note: ", acc, trait, who.scale_min,
	         who.scale_max);
	app_pop(a); /* frees s */
	app_ask_text_about(a, q, now, rated, who);
	return UI_HANDLED | UI_REDRAW;
}

static unsigned mouse(struct view *v, const struct ui_mouse *m)
{
	struct rater *s = v->data;
	if (listbox_mouse(&s->list, m) == LISTBOX_OPEN)
		return action(v, QPC_ACT_OPEN);
	return UI_HANDLED | UI_REDRAW;
}

static void status(struct view *v, char *buf, size_t n)
{
	(void)v;
	snprintf(buf, n, "Enter: rate on this trait  Esc: cancel");
}

static void close_view(struct view *v)
{
	free(v->data);
}

static const struct view_ops ops = {
	.title = "Rate",
	.scope = QPC_IN_LISTS,
	.close = close_view,
	.draw = draw,
	.action = action,
	.mouse = mouse,
	.status = status,
};

unsigned rate_action(struct app *a, int64_t account_id)
{
	struct qpc_browse_row row;
	struct qpc_error e = { 0 };
	if (!account_id || !app_writable(a, QPC_ROLE_MANAGER, "rate an account"))
		return UI_HANDLED | UI_REDRAW;
	if (qpc_browse_row(a->br, account_id, &row, &e)) {
		app_fail(a, &e);
		return UI_HANDLED | UI_REDRAW;
	}
	struct rater *s = calloc(1, sizeof *s);
	if (!s) {
		app_message(a, true, "out of memory");
		return UI_HANDLED | UI_REDRAW;
	}
	if (qpc_store_trait_each(a->st, collect, s, &e) ||
	    qpc_store_account_ratings(a->st, account_id, qpc_browse_as_of(a->br), in_force, s, &e)) {
		free(s);
		app_fail(a, &e);
		return UI_HANDLED | UI_REDRAW;
	}
	if (s->n == 0) {
		free(s);
		app_message(a, true, "no traits to rate on yet: qpc trait add NAME makes one");
		return UI_HANDLED | UI_REDRAW;
	}
	s->who.id = account_id;
	snprintf(s->who.account, sizeof s->who.account, "%s", row.name);
	s->list.t = (struct table){ .cols = cols, .ncols = 4, .sort_col = -1, .cell = cell, .ctx = s };
	app_push(a, view_new(a, &ops, s));
	return UI_HANDLED | UI_REDRAW;
}
