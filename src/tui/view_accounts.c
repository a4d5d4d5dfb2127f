/* view_accounts.c — the accounts list: sort by any column, filter, search.
 *
 * The rows on screen are a pager over qpc_browse_fetch(); a sort, or new
 * data, reloads around the account under the cursor, so it stays selected
 * (or its place does, when it no longer matches).  A filter change shows
 * the new list from its top: the rows it keeps above the old cursor are
 * found there, not hidden above the screen.  Counting,
 * long scans and the search run a bounded step at a time between keys.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qpc/export.h"
#include "qpc/outpath.h"
#include "qpc/watch.h"
#include "ui.h"


struct find {
	bool active;      /* a scan for the next match is under way */
	enum qpc_dir dir;
	int64_t from;
	bool inclusive, wrapped;
};

struct accounts {
	struct app *app;
	struct pager pager;
	struct listbox list; /* over the pager */
	struct qpc_filter filter;
	struct qpc_order order;
	struct qpc_count count;
	int64_t total;
	bool searching;         /* the prompt is open */
	int64_t origin;         /* where the cursor was when it opened */
	int origin_offset;
	char text[QPC_SEARCH_MAX];
	struct find find;
	char found[QPC_SEARCH_MAX + 64]; /* what the search found, for the status bar */
};

static const struct table_col columns[QPC_COL_COUNT] = {
	/* min fits the heading and its sort mark; the least important columns
	 * go first when the terminal is narrow */
	[QPC_COL_NAME] = { "Name", { 20, 30, 4, 100 }, TEXTCELL_LEFT },
	[QPC_COL_OWNER] = { "Owner", { 6, 8, 1, 40 }, TEXTCELL_LEFT },
	[QPC_COL_SEGMENT] = { "Segment", { 8, 13, 1, 30 }, TEXTCELL_LEFT },
	[QPC_COL_QPC] = { "QPC", { 7, 10, 0, 60 }, TEXTCELL_RIGHT },
	[QPC_COL_SALES] = { "Sales 12m", { 10, 10, 0, 55 }, TEXTCELL_RIGHT },
	[QPC_COL_SHARE] = { "Share", { 6, 6, 0, 80 }, TEXTCELL_RIGHT },
	[QPC_COL_UNTAPPED] = { "Untapped", { 9, 10, 0, 70 }, TEXTCELL_RIGHT },
	[QPC_COL_STATUS] = { "Status", { 9, 9, 0, 90 }, TEXTCELL_LEFT },
	[QPC_COL_AGE] = { "Age", { 4, 5, 0, 50 }, TEXTCELL_RIGHT },
};

/* Partners at risk show their projection where the untapped potential and
 * the QPC's age were: those columns are not theirs to sort by. */
static struct table_col risk_columns[QPC_COL_COUNT]; /* accounts_view() makes them */

static bool projected_col(const struct accounts *s, int col)
{
	return s->filter.at_risk && (col == QPC_COL_UNTAPPED || col == QPC_COL_AGE);
}

/* Any filter but the text. */
static bool filtered(const struct qpc_filter *f)
{
	return qpc_filter_any(f) || f->text[0];
}

static int64_t row_id(const void *item)
{
	return ((const struct qpc_browse_row *)item)->id;
}

static enum qpc_rc fetch(void *ctx, const struct qpc_fetch *r, void *items,
                         struct qpc_fetched *out, struct qpc_error *e)
{
	struct accounts *s = ctx;
	return qpc_browse_fetch(s->app->br, &s->filter, &s->order, r, items, out, e);
}

static void cell(void *ctx, int row, int col, int width, char *buf, size_t n, attr_t *attr)
{
	struct accounts *s = ctx;
	const struct qpc_browse_row *r = pager_item(&s->pager, row);
	const struct qpc_account_figures *f = &r->fig;
	bool ascii = draw_glyphs()->ascii;
	int mu = s->app->minor_units;
	if (projected_col(s, col)) {
		struct qpc_at_risk k;
		struct qpc_error e = { 0 };
		bool yes = false;
		char d[QPC_DATE_ISO_LEN];
		if (qpc_browse_risk_of(s->app->br, r->id, &k, &yes, &e) || !yes)
			snprintf(buf, n, "?");
		else if (col == QPC_COL_UNTAPPED)
			uil_share(k.projected, ascii, buf, n);
		else
			snprintf(buf, n, "%.7s", qpc_date_format(k.crosses, d));
		*attr = theme_attr(UC_WARN);
		return;
	}
	switch ((enum qpc_col)col) {
	case QPC_COL_NAME: snprintf(buf, n, "%s", r->name); break;
	case QPC_COL_OWNER: snprintf(buf, n, "%s", r->owner); break;
	case QPC_COL_SEGMENT: snprintf(buf, n, "%s", r->segment); break;
	case QPC_COL_QPC:
		uil_money(f->qpc_measured, f->qpc, mu, width, ascii, buf, n);
		*attr = r->stale ? theme_attr(UC_STALE) : A_NORMAL;
		break;
	case QPC_COL_SALES: uil_money(true, f->sales_12m, mu, width, ascii, buf, n); break;
	case QPC_COL_SHARE:
		uil_share(f->share, ascii, buf, n);
		*attr = theme_attr(f->share.kind == QPC_SHARE_OVER ? UC_OVER : UC_NORMAL);
		break;
	case QPC_COL_UNTAPPED: uil_money(f->untapped_known, f->untapped, mu, width, ascii, buf, n); break;
	case QPC_COL_STATUS:
		snprintf(buf, n, "%s", qpc_status_name(f->status));
		*attr = theme_attr(theme_status(f->status));
		break;
	case QPC_COL_AGE:
		uil_age(r->has_measured_on, r->measured_on, qpc_browse_as_of(s->app->br), buf, n);
		*attr = r->stale ? theme_attr(UC_STALE) : A_NORMAL;
		break;
	default: break;
	}
}

static int64_t current_id(const struct accounts *s)
{
	const struct qpc_browse_row *r = pager_current(&s->pager);
	return r ? r->id : 0;
}

/* After a sort or filter change: the same account, at the same height. */
static void reanchor(struct accounts *s)
{
	pager_goto(&s->pager, current_id(s), s->pager.cursor);
}

static void recount(struct accounts *s)
{
	qpc_count_start(&s->count);
}

static void filters_changed(struct accounts *s)
{
	recount(s);
	pager_goto(&s->pager, 0, 0);
}

static void open_view(struct view *v)
{
	struct accounts *s = v->data;
	struct qpc_error e = { 0 };
	struct qpc_filter mine;
	struct qpc_count c;
	qpc_filter_init(&mine);
	qpc_count_start(&c);
	if (qpc_browse_total(s->app->br, &s->total, &e))
		app_fail(s->app, &e);
	if (s->app->owner[0] && strlen(s->app->owner) < sizeof mine.owner) {
		snprintf(mine.owner, sizeof mine.owner, "%s", s->app->owner);
		if (qpc_browse_count(s->app->br, &mine, &c, &e))
			app_fail(s->app, &e);
	}
	/* A rep starts on their own accounts, largest untapped potential
	 * first; anyone else on everyone's. */
	if (c.done && c.n > 0)
		snprintf(s->filter.owner, sizeof s->filter.owner, "%s", s->app->owner);
	recount(s);
}

static void close_view(struct view *v)
{
	struct accounts *s = v->data;
	pager_free(&s->pager);
	free(s);
}

static void draw_header(struct accounts *s, struct ui_rect r)
{
	char count[32], total[32], line[256];
	const struct ui_glyphs *g = draw_glyphs();
	uil_count(s->total, total, sizeof total);
	if (!s->count.done)
		snprintf(line, sizeof line, "Accounts: counting%s of %s", g->ascii ? "..." : "\xe2\x80\xa6", total);
	else if (filtered(&s->filter))
		snprintf(line, sizeof line, "Accounts: %s of %s",
		         (uil_count(s->count.n, count, sizeof count), count), total);
	else
		snprintf(line, sizeof line, "Accounts: %s", total);
	int x = r.x + draw_span(r.y, r.x, r.w, line, theme_attr(UC_TITLE));
	struct form_field f[7];
	int n = 0;
	static const char *const plural[QPC_STATUS_COUNT] = { "prospects", "customers",
		                                              "candidates", "partners" };
	if (s->filter.owner[0]) {
		f[n] = (struct form_field){ "owner", "", UC_KEY };
		snprintf(f[n++].value, sizeof f[0].value, "%s", s->filter.owner);
	}
	if (s->filter.status >= 0) {
		enum qpc_status st = (enum qpc_status)s->filter.status;
		f[n] = (struct form_field){ "", "", theme_status(st) };
		snprintf(f[n++].value, sizeof f[0].value, "%s", plural[st]);
	}
	if (s->filter.segment[0]) {
		f[n] = (struct form_field){ "", "", UC_KEY };
		snprintf(f[n++].value, sizeof f[0].value, "%s", s->filter.segment);
	}
	if (s->filter.text[0]) {
		f[n] = (struct form_field){ "containing", "", UC_KEY };
		snprintf(f[n++].value, sizeof f[0].value, "'%s'", s->filter.text);
	}
	if (s->filter.stale)
		f[n++] = (struct form_field){ "", "QPC stale/missing", UC_STALE };
	if (s->filter.under)
		f[n++] = (struct form_field){ "", "QPC under half the estimate", UC_WARN };
	if (s->filter.provisional)
		f[n++] = (struct form_field){ "", "provisional partners", UC_WARN };
	if (s->filter.at_risk)
		f[n++] = (struct form_field){ "", "partners at risk", UC_WARN };
	if (n > 0 && r.w - (x - r.x) > 6) {
		x += draw_span(r.y, x, r.x + r.w - x, g->dot, theme_attr(UC_DIM));
		form_flow(f, n, (struct ui_rect){ r.y, x, 1, r.x + r.w - x });
	}
}

static void draw(struct view *v, struct ui_rect r)
{
	struct accounts *s = v->data;
	if (r.h < 3)
		return;
	pager_resize(&s->pager, r.h - 2);
	draw_header(s, r);
	s->list.t.sort_col = s->order.col;
	s->list.t.sort_desc = s->order.desc;
	struct ui_rect t = { r.y + 1, r.x, r.h - 1, r.w };
	listbox_draw(&s->list, 0, t, true);
	if (s->pager.n == 0 && !s->pager.pending)
		draw_text(t.y + 2, t.x + 2, t.w - 2,
		          s->pager.failed ? s->pager.err.msg
		          : filtered(&s->filter) ? "No account matches these filters: a shows all."
		                                       : "No accounts yet: i imports a CSV file (or: qpc import accounts FILE).",
		          TEXTCELL_LEFT, theme_attr(s->pager.failed ? UC_ERROR : UC_DIM));
}

static void status(struct view *v, char *buf, size_t n)
{
	struct accounts *s = v->data;
	const struct ui_glyphs *g = draw_glyphs();
	char pos[80] = "", of[32];
	int64_t total = s->count.done ? s->count.n : 0;
	int64_t at = pager_position(&s->pager, total);
	uil_count(total, of, sizeof of);
	if (at > 0 && s->count.done)
		snprintf(pos, sizeof pos, "%lld/%s", (long long)at, of);
	else if (s->count.done)
		snprintf(pos, sizeof pos, "%s row%s", of, total == 1 ? "" : "s");
	snprintf(buf, n, "%s%ssorted by %s %s%s%s%s", pos, pos[0] ? "  " : "",
	         qpc_col_name(s->order.col), s->order.desc ? g->down : g->up,
	         s->pager.pending || s->find.active ? (g->ascii ? "  ..." : "  \xe2\x80\xa6") : "",
	         s->found[0] ? "  " : "", s->found);
}

/* --- search -------------------------------------------------------------- */

static void find_start(struct accounts *s, enum qpc_dir dir, int64_t from, bool inclusive)
{
	s->find = (struct find){ true, dir, from, inclusive, false };
}

/* One bounded step of the scan for the next match. */
static bool find_step(struct accounts *s)
{
	struct qpc_filter f = s->filter;
	struct qpc_browse_row row;
	struct qpc_fetched got;
	struct qpc_error e = { 0 };
	struct find *fd = &s->find;
	snprintf(f.text, sizeof f.text, "%s", s->text);
	struct qpc_fetch r = { fd->dir, fd->from, fd->inclusive, 1 };
	if (qpc_browse_fetch(s->app->br, &f, &s->order, &r, &row, &got, &e)) {
		fd->active = false;
		app_fail(s->app, &e);
		return false;
	}
	bool listed = true; /* a text filter too: the match must be on the list */
	if (got.n == 1 && s->filter.text[0] &&
	    qpc_browse_matches(s->app->br, row.id, &s->filter, &listed, &e)) {
		fd->active = false;
		app_fail(s->app, &e);
		return false;
	}
	if (got.n == 1 && !listed) { /* on past it */
		fd->from = row.id;
		fd->inclusive = false;
		return true;
	}
	if (got.n == 1) {
		fd->active = false;
		pager_goto(&s->pager, row.id, s->pager.cap / 3);
		int64_t m;
		bool exact;
		/* the count knows one text: not the list's filter and the search both */
		if (!s->filter.text[0] && !qpc_browse_match_count(s->app->br, &f, &m, &exact, &e) &&
		    exact)
			snprintf(s->found, sizeof s->found, "/%s: %lld match%s%s", s->text, (long long)m,
			         m == 1 ? "" : "es", fd->wrapped ? ", wrapped" : "");
		else
			snprintf(s->found, sizeof s->found, "/%s%s", s->text, fd->wrapped ? ": wrapped" : "");
		return false;
	}
	if (!got.end) { /* the budget ran out: on from where it stopped */
		fd->from = got.resume;
		fd->inclusive = false;
		return true;
	}
	if (!fd->wrapped) { /* round from the other end */
		fd->wrapped = true;
		fd->from = 0;
		fd->inclusive = false;
		return true;
	}
	fd->active = false;
	snprintf(s->found, sizeof s->found, "/%s: no match", s->text);
	return false;
}

static unsigned search(struct view *v, const char *text, enum ui_search how)
{
	struct accounts *s = v->data;
	switch (how) {
	case UI_SEARCH_TYPE:
		if (!s->searching) {
			s->searching = true;
			s->origin = current_id(s);
			s->origin_offset = s->pager.cursor;
		}
		snprintf(s->text, sizeof s->text, "%s", text);
		s->found[0] = '\0';
		if (!text[0]) {
			s->find.active = false;
			pager_goto(&s->pager, s->origin, s->origin_offset);
			break;
		}
		find_start(s, QPC_NEXT, s->origin, true);
		find_step(s);
		break;
	case UI_SEARCH_ACCEPT:
		s->searching = false;
		break;
	case UI_SEARCH_CANCEL:
		s->searching = false;
		s->find.active = false;
		s->found[0] = '\0';
		pager_goto(&s->pager, s->origin, s->origin_offset);
		break;
	case UI_SEARCH_NEXT:
	case UI_SEARCH_PREV:
		snprintf(s->text, sizeof s->text, "%s", text);
		find_start(s, how == UI_SEARCH_NEXT ? QPC_NEXT : QPC_PREV, current_id(s), false);
		find_step(s);
		break;
	}
	return UI_HANDLED | UI_REDRAW;
}

static bool work(struct view *v)
{
	struct accounts *s = v->data;
	struct qpc_error e = { 0 };
	if (s->pager.pending)
		return pager_work(&s->pager) || s->find.active || !s->count.done;
	if (s->find.active)
		return find_step(s) || !s->count.done;
	if (!s->count.done) {
		if (qpc_browse_count(s->app->br, &s->filter, &s->count, &e)) {
			app_fail(s->app, &e);
			s->count.done = true;
		}
		return !s->count.done;
	}
	return false;
}

/* --- keys and mouse ------------------------------------------------------ */

static void sort_by(struct accounts *s, enum qpc_col col)
{
	if (projected_col(s, col)) {
		app_message(s->app, true, "the projection is not a column to sort by: sort by share");
		return;
	}
	if (s->order.col == col) {
		s->order.desc = !s->order.desc;
	} else {
		s->order.col = col;
		s->order.desc = qpc_col_default_desc(col);
	}
	reanchor(s);
}

static void text_given(struct app *a, void *ctx, bool ok, const char *text)
{
	struct accounts *s = ctx;
	if (!ok)
		return;
	if (strlen(text) >= sizeof s->filter.text) {
		app_message(a, true, "that text is too long to look for");
		return;
	}
	snprintf(s->filter.text, sizeof s->filter.text, "%s", text);
	filters_changed(s);
}

static void owner_picked(struct app *a, void *ctx, const char *value)
{
	struct accounts *s = ctx;
	(void)a;
	snprintf(s->filter.owner, sizeof s->filter.owner, "%s", value);
	filters_changed(s);
}

static void segment_picked(struct app *a, void *ctx, const char *value)
{
	struct accounts *s = ctx;
	(void)a;
	snprintf(s->filter.segment, sizeof s->filter.segment, "%s", value);
	filters_changed(s);
}

/* --- the list as shown, to a file ------------------------------------------ */

#define EXPORT_PAGE 512

/* The ids the list shows, in its order: its filters (the search only
 * moves the cursor). */
static enum qpc_rc list_ids(struct accounts *s, int64_t **ids, size_t *n, struct qpc_error *e)
{
	struct qpc_browse_row *rows = malloc(EXPORT_PAGE * sizeof *rows);
	size_t cap = 0;
	enum qpc_rc rc = QPC_OK;
	*ids = NULL;
	*n = 0;
	if (!rows)
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	struct qpc_fetch r = { .dir = QPC_NEXT, .from = 0, .inclusive = false, .max = EXPORT_PAGE };
	for (;;) {
		struct qpc_fetched got;
		if ((rc = qpc_browse_fetch(s->app->br, &s->filter, &s->order, &r, rows, &got, e)))
			break;
		if (*n + (size_t)got.n > cap) {
			size_t c = cap ? cap * 2 : 4096;
			int64_t *grown = realloc(*ids, c * sizeof **ids);
			if (!grown) {
				rc = qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
				break;
			}
			*ids = grown;
			cap = c;
		}
		for (int i = 0; i < got.n; i++)
			(*ids)[(*n)++] = rows[i].id;
		if (got.end)
			break;
		/* on from the last row, or from where a short fetch stopped */
		r.from = got.n == EXPORT_PAGE || !got.resume ? rows[got.n - 1].id : got.resume;
	}
	free(rows);
	if (rc) {
		free(*ids);
		*ids = NULL;
		*n = 0;
	}
	return rc;
}

static int put_account(const struct qpc_account_row *r, void *ctx)
{
	struct csvw *w = ctx;
	export_account(w, r, NULL, NULL);
	csvw_end(w);
	return ferror(w->fp) ? -1 : 0;
}

static void export_to(struct app *a, void *ctx, bool ok, const char *text)
{
	struct accounts *s = ctx;
	struct qpc_error e = { 0 };
	char path[PATH_COMPLETE_MAX];
	if (!ok || !text[0])
		return;
	if (!path_expand(text, getenv("HOME"), path, sizeof path) || !path[0]) {
		app_message(a, true, "no file named: nothing was exported");
		return;
	}
	if (access(path, F_OK) == 0) {
		app_message(a, true, "%s exists: give another name (nothing was exported)", path);
		return;
	}
	int64_t *ids;
	size_t n;
	struct outfile out;
	if (list_ids(s, &ids, &n, &e)) {
		app_fail(a, &e);
		return;
	}
	if (outfile_open(&out, path, qpc_store_path(a->st), NULL, &e)) {
		free(ids);
		app_fail(a, &e);
		return;
	}
	struct csvw w;
	csvw_init(&w, out.fp, true, a->minor_units);
	export_account_header(&w);
	enum qpc_rc rc =
		qpc_store_accounts_by_id(a->st, qpc_browse_as_of(a->br), ids, n, put_account, &w, &e);
	int err = errno;
	free(ids);
	if (rc == QPC_ERR_IO)
		qpc_error_set(&e, rc, "writing %s failed: %s; nothing was exported", path,
		              outpath_why(err));
	struct qpc_error e2 = { 0 };
	enum qpc_rc rc2 = outfile_close(&out, rc == QPC_OK, &e2);
	if (rc || rc2) {
		app_fail(a, rc ? &e : &e2);
		return;
	}
	char count[32];
	uil_count((int64_t)n, count, sizeof count);
	app_message(a, false, "Exported %s account%s to %s", count, n == 1 ? "" : "s", path);
}

/* Asks where to write the list, suggesting a dated name in the home
 * folder. */
static void export_list(struct accounts *s)
{
	char day[QPC_DATE_ISO_LEN], initial[64], q[96], count[32];
	snprintf(initial, sizeof initial, "~/qpc-accounts-%s.csv",
	         qpc_date_format(qpc_browse_as_of(s->app->br), day));
	if (s->count.done) {
		uil_count(s->count.n, count, sizeof count);
		snprintf(q, sizeof q, "Export the %s account%s listed to: ", count,
		         s->count.n == 1 ? "" : "s");
	} else {
		snprintf(q, sizeof q, "Export the accounts listed to: ");
	}
	app_ask_text(s->app, q, initial, export_to, s);
}

static unsigned action(struct view *v, enum qpc_action a)
{
	struct accounts *s = v->data;
	unsigned moved = listbox_action(&s->list, a);
	if (moved)
		return moved;
	if ((moved = candidacy_action(s->app, a, current_id(s))))
		return moved;
	switch (a) {
	case QPC_ACT_OPEN:
		if (current_id(s))
			detail_open(s->app, current_id(s));
		break;
	case QPC_ACT_SORT_NEXT:
	case QPC_ACT_SORT_PREV: {
		int step = a == QPC_ACT_SORT_NEXT ? 1 : QPC_COL_COUNT - 1, c = s->order.col;
		do /* past the projection's columns */
			c = (c + step) % QPC_COL_COUNT;
		while (projected_col(s, c));
		sort_by(s, (enum qpc_col)c);
		break;
	}
	case QPC_ACT_SORT_REVERSE:
		s->order.desc = !s->order.desc;
		reanchor(s);
		break;
	case QPC_ACT_FILTER_MINE:
		if (s->filter.owner[0]) {
			s->filter.owner[0] = '\0';
		} else if (!s->app->owner[0] && s->app->on_server) {
			app_message(s->app, true, "your login %s has no accounts of its own: an admin names "
			            "their owner with 'qpc user set-owner'", s->app->user);
			return UI_HANDLED | UI_REDRAW;
		} else if (!s->app->owner[0] || strlen(s->app->owner) >= sizeof s->filter.owner) {
			app_message(s->app, true, "who are you? start qpc with --user NAME");
			return UI_HANDLED | UI_REDRAW;
		} else {
			snprintf(s->filter.owner, sizeof s->filter.owner, "%s", s->app->owner);
		}
		filters_changed(s);
		break;
	case QPC_ACT_FILTER_STATUS:
		/* all, then partners down to prospects */
		s->filter.status = s->filter.status < 0 ? QPC_PARTNER : s->filter.status - 1;
		filters_changed(s);
		break;
	case QPC_ACT_FILTER_TEXT:
		app_ask_text(s->app, "Only names or ids containing (empty: all): ", s->filter.text,
		             text_given, s);
		break;
	case QPC_ACT_FILTER_OWNER: picker_open(s->app, true, s->filter.owner, owner_picked, s); break;
	case QPC_ACT_FILTER_SEGMENT:
		picker_open(s->app, false, s->filter.segment, segment_picked, s);
		break;
	case QPC_ACT_FILTER_STALE:
		s->filter.stale = !s->filter.stale;
		filters_changed(s);
		break;
	case QPC_ACT_FILTER_UNDER:
		s->filter.under = !s->filter.under;
		filters_changed(s);
		break;
	case QPC_ACT_FILTER_PROVISIONAL:
		/* provisional partners are partners: another status would hide all */
		s->filter.provisional = !s->filter.provisional;
		if (s->filter.provisional && s->filter.status != QPC_PARTNER)
			s->filter.status = -1;
		filters_changed(s);
		break;
	case QPC_ACT_FILTER_AT_RISK:
		/* partners too; nearest the threshold first */
		s->filter.at_risk = !s->filter.at_risk;
		if (s->filter.at_risk && s->filter.status != QPC_PARTNER)
			s->filter.status = -1;
		if (projected_col(s, s->order.col))
			s->order = (struct qpc_order){ QPC_COL_SHARE, false };
		s->list.t.cols = s->filter.at_risk ? risk_columns : columns;
		filters_changed(s);
		break;
	case QPC_ACT_EDIT_QPC: editor_open(s->app, current_id(s)); break;
	case QPC_ACT_EXPORT_LIST: export_list(s); break;
	case QPC_ACT_FILTER_CLEAR:
		qpc_filter_init(&s->filter);
		filters_changed(s);
		break;
	default: return UI_IGNORED;
	}
	return UI_HANDLED | UI_REDRAW;
}

static unsigned mouse(struct view *v, const struct ui_mouse *m)
{
	struct accounts *s = v->data;
	enum listbox_hit hit = listbox_mouse(&s->list, m);
	if (hit == LISTBOX_HEADING && s->list.hit_col >= 0)
		sort_by(s, (enum qpc_col)s->list.hit_col);
	else if (hit == LISTBOX_OPEN)
		detail_open(s->app, current_id(s));
	return UI_HANDLED | UI_REDRAW;
}

static void reload(struct view *v)
{
	struct accounts *s = v->data;
	struct qpc_error e = { 0 };
	if (qpc_browse_total(s->app->br, &s->total, &e))
		app_fail(s->app, &e);
	recount(s);
	reanchor(s); /* the same filters: the cursor stays where it was */
}

static const struct view_ops ops = {
	.title = "Accounts",
	.scope = QPC_IN_LISTS | QPC_IN_ACCOUNTS | QPC_IN_ACCOUNT,
	.open = open_view,
	.close = close_view,
	.draw = draw,
	.action = action,
	.mouse = mouse,
	.work = work,
	.status = status,
	.search = search,
	.reload = reload,
};

struct view *accounts_view(struct app *a)
{
	struct accounts *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->app = a;
	qpc_filter_init(&s->filter);
	s->order = (struct qpc_order){ QPC_COL_UNTAPPED, true };
	struct pager_src src = { sizeof(struct qpc_browse_row), row_id, fetch, s };
	pager_init(&s->pager, &src);
	memcpy(risk_columns, columns, sizeof columns);
	risk_columns[QPC_COL_UNTAPPED] = (struct table_col){ "In 3 mo", { 7, 7, 0, 85 }, TEXTCELL_RIGHT };
	risk_columns[QPC_COL_AGE] = (struct table_col){ "Under by", { 8, 8, 0, 84 }, TEXTCELL_RIGHT };
	s->list.t = (struct table){ .cols = columns, .ncols = QPC_COL_COUNT, .cell = cell, .ctx = s };
	s->list.pg = &s->pager;
	qpc_count_start(&s->count);
	return view_new(a, &ops, s);
}
