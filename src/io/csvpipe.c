/* csvpipe.c — csvread_fd with the reading in a second thread.
 *
 * An import spends longer converting and storing rows than reading them,
 * but reading is not free (textenc, libcsv, a copy per field).  With two
 * cores the reader runs ahead in a thread of its own: it copies each
 * record into a batch, and the caller's thread takes batches from a short
 * queue and hands their records to the sink.
 *
 * An early sink, if any, sees each record first, in the reading thread;
 * so does the sink's csv_prep, whose result rides in the batch beside the
 * record.
 * What the sink sees is what csvread_fd gives it, in the same order: the
 * same records and line numbers, then the reader's error (if any) after
 * the records before it.  A sink's error stops the reader.  The queue holds
 * at most PIPE_BYTES of records, or one batch when a single record is
 * larger, so memory stays bounded by the largest record, not the file.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qpc/csvread.h"

#define READ_CHUNK ((size_t)256 << 10)
#define BATCH_BYTES ((size_t)64 << 10) /* a batch is sent once it holds this much */
#define BATCH_RECORDS 512
#define PIPE_BYTES ((size_t)1 << 20) /* queued at most, all batches together */

struct rec_meta {
	size_t first, nfields; /* in the batch's fields[] */
	uint64_t line, index;
};

struct batch {
	struct batch *next;
	char *text;               /* the fields' bytes, each NUL-terminated */
	size_t len, cap;
	struct csv_field *fields; /* .len only, until delivered */
	size_t nfields, fcap;
	struct rec_meta *recs;
	size_t nrecs, rcap;
	unsigned char *prep;      /* the sink's csv_prep of each record */
	size_t pcap;
	uint64_t bytes;           /* bytes of the input read when it was sent */
};

struct pipe {
	pthread_mutex_t mu;
	pthread_cond_t more, room; /* a batch queued; room freed (or stop) */
	struct batch *head, *tail, *spare;
	size_t queued;             /* bytes of the batches in the queue */
	bool done, stop;           /* the reader finished; the caller quit */

	/* the reader's side */
	int fd;
	const struct csvread_opts *opts;
	const struct csv_sink *early;
	const struct csv_prep *prep;
	struct batch *cur;
	uint64_t bytes;
	enum qpc_rc rc;
	struct qpc_error err;
	struct csvread_info info;
};

static size_t batch_size(const struct batch *b)
{
	return b->len + b->nfields * sizeof *b->fields + b->nrecs * sizeof *b->recs + b->pcap;
}

static void batch_free(struct batch *b)
{
	if (!b)
		return;
	free(b->text);
	free(b->fields);
	free(b->recs);
	free(b->prep);
	free(b);
}

static bool grow(void **p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return true;
	size_t n = *cap ? *cap : 64;
	while (n < need)
		n *= 2;
	void *q = realloc(*p, n * size);
	if (!q)
		return false;
	*p = q;
	*cap = n;
	return true;
}

/* Queues the reader's batch, waiting for room; false once the caller has
 * quit. */
static bool send(struct pipe *p)
{
	struct batch *b = p->cur;
	size_t size = batch_size(b);
	b->bytes = p->bytes;
	b->next = NULL;
	pthread_mutex_lock(&p->mu);
	while (!p->stop && p->head && p->queued + size > PIPE_BYTES)
		pthread_cond_wait(&p->room, &p->mu);
	bool ok = !p->stop;
	if (ok) {
		if (p->tail)
			p->tail->next = b;
		else
			p->head = b;
		p->tail = b;
		p->queued += size;
		/* a batch the caller is done with is filled next */
		p->cur = p->spare;
		p->spare = NULL;
		pthread_cond_signal(&p->more);
	}
	pthread_mutex_unlock(&p->mu);
	if (ok && !p->cur)
		p->cur = calloc(1, sizeof *p->cur);
	if (p->cur)
		p->cur->len = p->cur->nfields = p->cur->nrecs = 0;
	return ok;
}

/* The reader's sink: copies the record into the batch being filled. */
static enum qpc_rc keep(void *ctx, const struct csv_record *rec, struct qpc_error *err)
{
	struct pipe *p = ctx;
	struct batch *b = p->cur;
	if (!b)
		return qpc_error_set(err, QPC_ERR_NOMEM, "out of memory");
	if (p->early) {
		enum qpc_rc (*fn)(void *, const struct csv_record *, struct qpc_error *) =
			rec->index == 0 && !p->opts->no_header ? p->early->header : p->early->record;
		enum qpc_rc rc = fn ? fn(p->early->ctx, rec, err) : QPC_OK;
		if (rc)
			return rc;
	}
	size_t text = 0;
	for (size_t i = 0; i < rec->nfields; i++)
		text += rec->fields[i].len + 1;
	if (!grow((void **)&b->text, &b->cap, b->len + text, 1) ||
	    !grow((void **)&b->fields, &b->fcap, b->nfields + rec->nfields, sizeof *b->fields) ||
	    !grow((void **)&b->recs, &b->rcap, b->nrecs + 1, sizeof *b->recs))
		return qpc_error_set(err, QPC_ERR_NOMEM, "out of memory");
	if (p->prep && !grow((void **)&b->prep, &b->pcap, (b->nrecs + 1) * p->prep->size, 1))
		return qpc_error_set(err, QPC_ERR_NOMEM, "out of memory");
	/* a data record's conversion, here rather than in the sink's thread */
	if (p->prep && (rec->index > 0 || p->opts->no_header))
		p->prep->fn(p->prep->ctx, rec, b->prep + b->nrecs * p->prep->size);
	b->recs[b->nrecs++] = (struct rec_meta){ b->nfields, rec->nfields, rec->line, rec->index };
	for (size_t i = 0; i < rec->nfields; i++) {
		size_t len = rec->fields[i].len;
		memcpy(b->text + b->len, rec->fields[i].s, len + 1);
		b->len += len + 1;
		b->fields[b->nfields++].len = len;
	}
	if (b->len < BATCH_BYTES && b->nrecs < BATCH_RECORDS)
		return QPC_OK;
	if (!send(p))
		return qpc_error_set(err, QPC_ERR_IO, "stopped");
	return QPC_OK;
}

static void *reader(void *arg)
{
	struct pipe *p = arg;
	struct csv_sink sink = { keep, keep, p, NULL, NULL };
	struct csvread *r = NULL;
	char *buf = malloc(READ_CHUNK);
	enum qpc_rc rc = buf ? csvread_new(p->opts, &sink, &r, &p->err)
	                     : qpc_error_set(&p->err, QPC_ERR_NOMEM, "out of memory");
	while (!rc) {
		ssize_t n = read(p->fd, buf, READ_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = qpc_error_set(&p->err, QPC_ERR_IO, "%s: %s",
			                   p->opts->name ? p->opts->name : "input", strerror(errno));
			break;
		}
		if (n == 0) {
			rc = csvread_finish(r, &p->err);
			break;
		}
		p->bytes += (uint64_t)n;
		rc = csvread_feed(r, buf, (size_t)n, &p->err);
	}
	if (r)
		csvread_get_info(r, &p->info);
	csvread_free(r);
	free(buf);
	/* the records read before the end (or the error) */
	if (p->cur && p->cur->nrecs)
		send(p);
	pthread_mutex_lock(&p->mu);
	p->rc = rc;
	p->done = true;
	pthread_cond_signal(&p->more);
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* The batch's record i, with the sink's prep of it when it is data. */
static struct csv_record record_at(const struct batch *b, size_t i, const struct csv_sink *sink,
                                   bool data)
{
	const struct rec_meta *m = &b->recs[i];
	struct csv_record rec = { b->fields + m->first, m->nfields, m->line, m->index, NULL };
	if (data && sink->prep && sink->prep->size && b->prep)
		rec.prep = b->prep + i * sink->prep->size;
	return rec;
}

/* The batch's data records from the first, to the sink's batch. */
static enum qpc_rc batch_ahead(const struct batch *b, size_t first, const struct csv_sink *sink,
                               struct qpc_error *err)
{
	struct csv_record recs[BATCH_RECORDS];
	size_t n = 0;
	for (size_t i = first; i < b->nrecs && n < BATCH_RECORDS; i++)
		recs[n++] = record_at(b, i, sink, true);
	return sink->batch(sink->ctx, recs, n, err);
}

/* Hands a batch's records to the sink; the first error stops it. */
static enum qpc_rc deliver(struct batch *b, const struct csvread_opts *opts,
                           const struct csv_sink *sink, uint64_t *bytes, struct qpc_error *err)
{
	const char *s = b->text;
	for (size_t i = 0; i < b->nfields; i++) {
		b->fields[i].s = s;
		s += b->fields[i].len + 1;
	}
	if (bytes)
		*bytes = b->bytes;
	bool ahead = sink->batch != NULL;
	for (size_t i = 0; i < b->nrecs; i++) {
		const struct rec_meta *m = &b->recs[i];
		bool data = m->index > 0 || opts->no_header;
		struct csv_record rec = record_at(b, i, sink, data);
		enum qpc_rc rc = QPC_OK;
		/* the data records from here, together, once the header is in */
		if (ahead && data) {
			ahead = false;
			rc = batch_ahead(b, i, sink, err);
		}
		if (rc == QPC_OK && !data) {
			if (sink->header)
				rc = sink->header(sink->ctx, &rec, err);
		} else if (rc == QPC_OK && sink->record) {
			rc = sink->record(sink->ctx, &rec, err);
		}
		if (rc != QPC_OK) {
			if (err && err->code != rc)
				qpc_error_set(err, rc, "reading stopped at line %llu",
				              (unsigned long long)m->line);
			return rc;
		}
	}
	return QPC_OK;
}

/* Both sinks in turn, for a reader without a thread. */
struct pipe_sink {
	const struct csv_sink *early, *sink;
};

static enum qpc_rc both(const struct pipe_sink *b, bool header, const struct csv_record *rec,
                        struct qpc_error *err)
{
	enum qpc_rc rc = QPC_OK;
	for (int i = 0; i < 2 && !rc; i++) {
		const struct csv_sink *s = i ? b->sink : b->early;
		enum qpc_rc (*fn)(void *, const struct csv_record *, struct qpc_error *) =
			header ? s->header : s->record;
		if (fn)
			rc = fn(s->ctx, rec, err);
	}
	return rc;
}

static enum qpc_rc both_header(void *ctx, const struct csv_record *rec, struct qpc_error *err)
{
	return both(ctx, true, rec, err);
}

static enum qpc_rc both_record(void *ctx, const struct csv_record *rec, struct qpc_error *err)
{
	return both(ctx, false, rec, err);
}

enum qpc_rc csvread_fd_threaded(int fd, const struct csvread_opts *opts,
                                const struct csv_sink *early, const struct csv_sink *sink,
                                struct csvread_info *info, uint64_t *bytes,
                                struct qpc_error *err)
{
	struct pipe *p = calloc(1, sizeof *p);
	if (!p || !(p->cur = calloc(1, sizeof *p->cur))) {
		free(p);
		return qpc_error_set(err, QPC_ERR_NOMEM, "out of memory");
	}
	p->fd = fd;
	p->opts = opts;
	p->early = early;
	p->prep = sink->prep && sink->prep->size ? sink->prep : NULL;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->more, NULL);
	pthread_cond_init(&p->room, NULL);
	/* signals are the caller's thread's business */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pthread_t t;
	int started = pthread_create(&t, NULL, reader, p);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	enum qpc_rc rc = QPC_OK;
	if (started != 0) { /* no thread: read in this one */
		struct pipe_sink both = { early, sink };
		struct csv_sink s = { both_header, both_record, &both, NULL, NULL };
		rc = csvread_fd(fd, opts, early ? &s : sink, info, err);
		goto out;
	}
	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (!p->head && !p->done)
			pthread_cond_wait(&p->more, &p->mu);
		struct batch *b = p->head;
		if (b) {
			if (!(p->head = b->next))
				p->tail = NULL;
			p->queued -= batch_size(b);
			pthread_cond_signal(&p->room);
		}
		pthread_mutex_unlock(&p->mu);
		if (!b)
			break;
		rc = deliver(b, opts, sink, bytes, err);
		pthread_mutex_lock(&p->mu);
		if (!p->spare) {
			p->spare = b;
			b = NULL;
		}
		pthread_mutex_unlock(&p->mu);
		batch_free(b);
		if (rc)
			break;
	}
	pthread_mutex_lock(&p->mu);
	p->stop = rc != QPC_OK;
	pthread_cond_signal(&p->room);
	pthread_mutex_unlock(&p->mu);
	pthread_join(t, NULL);
	if (!rc && (rc = p->rc) && err) {
		/* the reader's error, after the records before it */
		*err = p->err;
	}
	if (info)
		*info = p->info;
	while (p->head) {
		struct batch *b = p->head;
		p->head = b->next;
		batch_free(b);
	}
out:
	batch_free(p->cur);
	batch_free(p->spare);
	pthread_cond_destroy(&p->room);
	pthread_cond_destroy(&p->more);
	pthread_mutex_destroy(&p->mu);
	free(p);
	return rc;
}
