/* pager.c — a screenful of rows from a keyset source.
 *
 * The window holds at most `cap` rows (the rows that fit on screen) and
 * grows at either end by asking the source for the neighbours of its
 * first or last row, so its cost does not depend on how long the list
 * is.  A fetch the source cuts short (its work budget ran out) is
 * finished by pager_work() between keys.
 */
#include <stdlib.h>
#include <string.h>

#include "ui_widgets.h"

void pager_init(struct pager *p, const struct pager_src *src)
{
	memset(p, 0, sizeof *p);
	p->src = *src;
}

void pager_free(struct pager *p)
{
	free(p->items);
	free(p->scratch);
	p->items = p->scratch = NULL;
	p->n = p->cap = 0;
}

void *pager_item(const struct pager *p, int i)
{
	return p->items + (size_t)i * p->src.item_size;
}

void *pager_current(const struct pager *p)
{
	return p->n > 0 ? pager_item(p, p->cursor) : NULL;
}

static int64_t id_at(const struct pager *p, int i)
{
	return p->src.id(pager_item(p, i));
}

/* Asks the source; rows land in scratch, nearest first. */
static bool ask(struct pager *p, enum qpc_dir dir, int64_t from, bool inclusive, int max,
                struct qpc_fetched *got)
{
	if (max > p->cap) /* scratch holds cap rows; a fetch asked before a shrink may want more */
		max = p->cap;
	struct qpc_fetch r = { .dir = dir, .from = from, .inclusive = inclusive, .max = max };
	memset(got, 0, sizeof *got);
	if (max <= 0)
		return true;
	if (p->src.fetch(p->src.ctx, &r, p->scratch, got, &p->err) != QPC_OK) {
		p->failed = true;
		return false;
	}
	if (!got->end && got->n < max && got->resume) {
		p->pending = true;
		p->more = (struct qpc_fetch){ dir, got->resume, false, max - got->n };
	}
	return true;
}

/* Appends k rows from scratch (NEXT order), dropping rows from the top
 * beyond cap. */
static void append(struct pager *p, int k)
{
	size_t sz = p->src.item_size;
	int keep = p->n + k > p->cap ? p->cap - k : p->n;
	if (keep < 0) { /* more new rows than fit: the last cap of them */
		memmove(p->scratch, p->scratch + (size_t)(k - p->cap) * sz, (size_t)p->cap * sz);
		keep = 0;
		k = p->cap;
	}
	int drop = p->n - keep;
	memmove(p->items, p->items + (size_t)drop * sz, (size_t)keep * sz);
	memcpy(p->items + (size_t)keep * sz, p->scratch, (size_t)k * sz);
	p->n = keep + k;
	p->cursor -= drop;
	p->head += drop;
	p->tail -= k;
}

/* Prepends k rows from scratch (PREV order: nearest first), dropping rows
 * from the bottom beyond cap. */
static void prepend(struct pager *p, int k)
{
	size_t sz = p->src.item_size;
	if (k > p->cap)
		k = p->cap;
	int keep = p->n + k > p->cap ? p->cap - k : p->n;
	p->tail += p->n - keep;
	memmove(p->items + (size_t)k * sz, p->items, (size_t)keep * sz);
	for (int i = 0; i < k; i++)
		memcpy(p->items + (size_t)(k - 1 - i) * sz, p->scratch + (size_t)i * sz, sz);
	p->n = keep + k;
	p->cursor += k;
	p->head -= k;
}

static void after(struct pager *p, const struct qpc_fetched *got)
{
	append(p, got->n);
	if (got->end) {
		p->tail_known = true;
		p->tail = 0;
	}
}

static void before(struct pager *p, const struct qpc_fetched *got)
{
	prepend(p, got->n);
	if (got->end) {
		p->head_known = true;
		p->head = 0;
	}
}

static bool at_top(const struct pager *p)
{
	return p->head_known && p->head <= 0;
}

static bool at_bottom(const struct pager *p)
{
	return p->tail_known && p->tail <= 0;
}

/* Forgets where the window is: it is about to be refilled. */
static void empty(struct pager *p)
{
	p->n = p->cursor = 0;
	p->head_known = p->tail_known = false;
	p->head = p->tail = 0;
}

/* Tops the window up to cap: below the last row, then above the first. */
static void fill(struct pager *p)
{
	struct qpc_fetched got;
	if (p->n == 0) {
		if (!ask(p, QPC_NEXT, 0, false, p->cap, &got))
			return;
		p->head_known = true;
		p->head = 0;
		after(p, &got);
		return;
	}
	if (p->n < p->cap && !at_bottom(p) && !p->pending &&
	    ask(p, QPC_NEXT, id_at(p, p->n - 1), false, p->cap - p->n, &got))
		after(p, &got);
	if (p->n < p->cap && !at_top(p) && !p->pending &&
	    ask(p, QPC_PREV, id_at(p, 0), false, p->cap - p->n, &got))
		before(p, &got);
}

/* Whether the pager has room yet (pager_resize gives it some). */
static bool sized(const struct pager *p)
{
	return p->cap > 0 && p->items && p->scratch;
}

static void start(struct pager *p)
{
	p->pending = false;
	p->failed = false;
	memset(&p->err, 0, sizeof p->err);
}

/* Keeps `rows` of the window around the cursor: drops from the top past
 * it, then from the bottom.  Moves rows within the buffer as allocated:
 * call it before making the buffer smaller. */
static void trim(struct pager *p, int rows)
{
	size_t sz = p->src.item_size;
	if (p->n <= rows)
		return;
	p->pending = false; /* it was topping up a window now full */
	int drop = p->cursor >= rows ? p->cursor - rows + 1 : 0;
	memmove(p->items, p->items + (size_t)drop * sz, (size_t)rows * sz);
	p->cursor -= drop;
	p->head += drop;
	p->tail += p->n - drop - rows;
	p->n = rows;
}

/* Both buffers hold at least `cap` rows at every moment: a shrink trims
 * the window inside the old buffers before making them smaller (reading
 * rows past the end of a shrunk buffer was a heap overflow), and a grow
 * raises cap only once both have grown. */
void pager_resize(struct pager *p, int rows)
{
	if (rows < 1)
		rows = 1;
	if (rows < p->cap) {
		size_t sz = p->src.item_size;
		trim(p, rows);
		p->cap = rows;
		/* a shrink that fails leaves the old buffer, larger than needed */
		char *items = realloc(p->items, (size_t)rows * sz);
		if (items)
			p->items = items;
		char *scratch = realloc(p->scratch, (size_t)rows * sz);
		if (scratch)
			p->scratch = scratch;
	} else if (rows > p->cap) {
		size_t sz = p->src.item_size;
		char *items = realloc(p->items, (size_t)rows * sz);
		if (items)
			p->items = items;
		char *scratch = items ? realloc(p->scratch, (size_t)rows * sz) : NULL;
		if (!items || !scratch)
			return; /* keep the old window and cap: both buffers hold it */
		p->scratch = scratch;
		p->cap = rows;
	}
	if (!p->pending)
		fill(p);
}

void pager_first(struct pager *p)
{
	start(p);
	empty(p);
	if (sized(p))
		fill(p);
}

void pager_last(struct pager *p)
{
	struct qpc_fetched got;
	start(p);
	empty(p);
	p->tail_known = true;
	if (!sized(p) || !ask(p, QPC_PREV, 0, false, p->cap, &got))
		return;
	before(p, &got);
	p->cursor = p->n > 0 ? p->n - 1 : 0;
}

void pager_goto(struct pager *p, int64_t id, int offset)
{
	struct qpc_fetched got;
	if (id == 0) {
		pager_first(p);
		return;
	}
	start(p);
	empty(p);
	if (!sized(p) || !ask(p, QPC_NEXT, id, true, p->cap, &got))
		return;
	if (got.n == 0 && !p->pending) { /* nothing at or after it: the end */
		pager_last(p);
		return;
	}
	after(p, &got);
	if (offset > p->cap - 1)
		offset = p->cap - 1;
	/* The rows above, moving the cursor down with them; with none
	 * wanted, one asked for all the same tells whether it is the top. */
	if (!p->pending && ask(p, QPC_PREV, id, false, offset > 0 ? offset : 1, &got)) {
		if (offset > 0)
			before(p, &got);
		else if (got.n == 0 && got.end)
			p->head_known = true;
	}
	if (p->n > 0 && p->cursor >= p->n)
		p->cursor = p->n - 1;
	if (!p->pending)
		fill(p);
	if (p->cursor >= p->n)
		p->cursor = p->n > 0 ? p->n - 1 : 0;
}

void pager_move(struct pager *p, int delta)
{
	struct qpc_fetched got;
	if (p->n == 0 || delta == 0 || !sized(p))
		return;
	start(p);
	int target = p->cursor + delta;
	if (target >= p->n && !at_bottom(p)) {
		int need = target - (p->n - 1);
		if (need > p->cap)
			need = p->cap;
		if (ask(p, QPC_NEXT, id_at(p, p->n - 1), false, need, &got)) {
			int shift = p->cursor;
			after(p, &got);
			target -= shift - p->cursor; /* rows dropped from the top */
		}
	} else if (target < 0 && !at_top(p)) {
		int need = -target;
		if (need > p->cap)
			need = p->cap;
		if (ask(p, QPC_PREV, id_at(p, 0), false, need, &got)) {
			int shift = p->cursor;
			before(p, &got);
			target += p->cursor - shift;
		}
	}
	p->cursor = target < 0 ? 0 : target >= p->n ? p->n - 1 : target;
}

bool pager_work(struct pager *p)
{
	if (!p->pending || !sized(p))
		return false;
	struct qpc_fetch r = p->more;
	struct qpc_fetched got;
	p->pending = false;
	/* No more than fit without pushing the cursor's row out: the window
	 * may have shrunk since the fetch was asked for. */
	int room = p->cap - p->n;
	if (p->n > 0)
		room += r.dir == QPC_NEXT ? p->cursor : p->n - 1 - p->cursor;
	if (r.max > room)
		r.max = room;
	if (!ask(p, r.dir, r.from, r.inclusive, r.max, &got))
		return false;
	if (r.dir == QPC_NEXT)
		after(p, &got);
	else
		before(p, &got);
	if (!p->pending)
		fill(p);
	return p->pending;
}

int64_t pager_position(const struct pager *p, int64_t total)
{
	if (p->n == 0)
		return 0;
	if (p->head_known)
		return p->head + p->cursor + 1;
	if (p->tail_known && total > 0)
		return total - p->tail - (p->n - 1 - p->cursor);
	return 0;
}

unsigned pager_action(struct pager *p, enum qpc_action a)
{
	int page = p->cap > 1 ? p->cap - 1 : 1;
	switch (a) {
	case QPC_ACT_MOVE_DOWN: pager_move(p, 1); break;
	case QPC_ACT_MOVE_UP: pager_move(p, -1); break;
	case QPC_ACT_PAGE_DOWN: pager_move(p, page); break;
	case QPC_ACT_PAGE_UP: pager_move(p, -page); break;
	case QPC_ACT_FIRST: pager_first(p); break;
	case QPC_ACT_LAST: pager_last(p); break;
	default: return UI_IGNORED;
	}
	return UI_HANDLED | UI_REDRAW;
}
