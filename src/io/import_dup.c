/* import_dup.c — a file that names one account, or one QPC line, twice.
 *
 * The last row wins.  An import pass notes the key each row it stores
 * resolved to (the account's id; for a QPC line the account's and the
 * category's) with the row's line.  When some key came twice, the pass is
 * rolled back and run again leaving out every row a later one replaces,
 * each with a warning naming both lines: the file imports as if it held
 * the last row only, so importing it again finds every row unchanged
 * instead of writing each earlier value and then the later one, with
 * their history, on every run.
 *
 * Keys are what the store resolved, not the file's text, so that an
 * id-less row and a keyed one that found the same account are one key.
 * A note is 16 bytes a row, sorted once at the end of the pass, and only
 * when some row found a key that was there before it: a load of new keys
 * cannot repeat one.  The second run is paid only by files that repeat
 * a key.  Sales lines are not keyed here: two rows with one line id are
 * two lines (an order's lines sharing its number), told apart by their
 * occurrence (the store numbers their keys: ingest.c).
 */
#include <stdlib.h>
#include <string.h>

#include "import_internal.h"

struct dup_key {
	int64_t account;
	uint32_t category; /* 0 for an account row */
	uint32_t line;
};

struct dup_pair {
	uint64_t line; /* the row left out */
	uint64_t by;   /* the later row with the same key */
};

void dup_note(struct importer *im, uint64_t line, int64_t account, int64_t category,
              enum qpc_outcome out)
{
	if (im->left_out || im->untracked)
		return; /* the run that leaves rows out, or no tracking at all */
	/* a key beyond what a note holds (never in practice): the rows are
	 * stored as they come, as they were before notes */
	if (line > UINT32_MAX || category < 0 || category > (int64_t)UINT32_MAX) {
		im->untracked = true;
		return;
	}
	if (im->nnotes == im->notes_cap) {
		size_t cap = im->notes_cap ? 2 * im->notes_cap : 4096;
		struct dup_key *n = realloc(im->notes, cap * sizeof *n);
		if (!n) { /* short of memory: as if untracked, never wrong */
			im->untracked = true;
			return;
		}
		im->notes = n;
		im->notes_cap = cap;
	}
	im->notes[im->nnotes++] = (struct dup_key){ account, (uint32_t)category, (uint32_t)line };
	im->noted_again |= out != QPC_CREATED;
}

static int key_cmp(const struct dup_key *x, const struct dup_key *y)
{
	if (x->account != y->account)
		return x->account < y->account ? -1 : 1;
	return x->category < y->category ? -1 : x->category > y->category;
}

static int by_key(const void *a, const void *b)
{
	const struct dup_key *x = a, *y = b;
	int c = key_cmp(x, y);
	return c ? c : x->line < y->line ? -1 : x->line > y->line;
}

static bool same_key(const struct dup_key *x, const struct dup_key *y)
{
	return key_cmp(x, y) == 0;
}

static int by_line(const void *a, const void *b)
{
	const struct dup_pair *x = a, *y = b;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* The rows that a later one with the same key replaces, each with the
 * last row of its key, in file order. */
static enum qpc_rc pair_up(struct importer *im, struct qpc_error *e)
{
	/* keys rising all the way (a file in the order its accounts were
	 * made, as a bulk load makes them) are each there once: no sort */
	size_t rising = 1;
	while (rising < im->nnotes && key_cmp(&im->notes[rising - 1], &im->notes[rising]) < 0)
		rising++;
	if (rising >= im->nnotes)
		return QPC_OK;
	qsort(im->notes, im->nnotes, sizeof *im->notes, by_key);
	size_t n = 0;
	for (size_t i = 1; i < im->nnotes; i++)
		n += same_key(&im->notes[i - 1], &im->notes[i]);
	if (!n)
		return QPC_OK;
	if (!(im->left_out = malloc(n * sizeof *im->left_out)))
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	for (size_t i = 0, j; i < im->nnotes; i = j) {
		for (j = i + 1; j < im->nnotes && same_key(&im->notes[i], &im->notes[j]); j++)
			;
		for (size_t k = i; k + 1 < j; k++)
			im->left_out[im->nleft_out++] =
				(struct dup_pair){ im->notes[k].line, im->notes[j - 1].line };
	}
	qsort(im->left_out, im->nleft_out, sizeof *im->left_out, by_line);
	return QPC_OK;
}

enum qpc_rc dup_settle(struct importer *im, bool *again, struct qpc_error *e)
{
	enum qpc_rc rc = QPC_OK;
	*again = false;
	if (!im->left_out && !im->untracked && im->noted_again) {
		rc = pair_up(im, e);
		*again = rc == QPC_OK && im->left_out != NULL;
	}
	free(im->notes);
	im->notes = NULL;
	im->nnotes = im->notes_cap = 0;
	return rc;
}

uint64_t dup_replaced_by(struct importer *im, uint64_t line)
{
	while (im->left_out_at < im->nleft_out && im->left_out[im->left_out_at].line < line)
		im->left_out_at++;
	if (im->left_out_at < im->nleft_out && im->left_out[im->left_out_at].line == line)
		return im->left_out[im->left_out_at].by;
	return 0;
}

void dup_forget(struct importer *im)
{
	free(im->notes);
	im->notes = NULL;
	im->nnotes = im->notes_cap = 0;
	im->noted_again = im->untracked = false;
	im->left_out_at = 0;
}

void dup_free(struct importer *im)
{
	dup_forget(im);
	free(im->left_out);
	im->left_out = NULL;
	im->nleft_out = 0;
}
