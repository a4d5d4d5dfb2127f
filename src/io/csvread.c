/* csvread.c — a streaming CSV reader on libcsv, feeding a sink.
 *
 * bytes -> textenc (UTF-8) -> [first line held back to pick the delimiter]
 *       -> libcsv (strict) -> on_field / on_row -> the sink, record by record.
 *
 * libcsv is run with CSV_REPALL_NL so that every line end outside quotes,
 * blank lines included, reaches on_row; line breaks inside quoted fields
 * are counted in the finished record.  That gives exact physical line
 * numbers without a second pass over the bytes.
 */
#include "qpc/csvread.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK ((size_t)256 << 10)      /* read and feed size */
#define LIBCSV_BLOCK ((size_t)64 << 10) /* libcsv field buffer growth, at least */
#define BLANKS_MARK ((uint64_t)64 << 10) /* text between checks of held blanks */
#define LIBCSV_ROW_NOT_BEGUN 0          /* struct csv_parser.pstate, libcsv.c */
#define LIBCSV_FIELD_BEGUN 2
#define LIBCSV_FIELD_MIGHT_HAVE_ENDED 3

typedef unsigned long long ull;

struct csvread {
	const struct csvread_opts *opts;
	const struct csv_sink *sink;
	size_t max_field, max_record, max_fields;
	struct textenc *te;
	struct csv_parser parser;
	char delim;

	/* Delimiter detection: text held until the first non-blank line ends. */
	bool detecting, pre_quote, pre_content;
	char *pre;
	size_t npre, cappre, scanned;
	size_t counts[4];

	/* The record being built: fields end to end, each NUL-terminated. */
	char *rec;
	size_t reclen, reccap;
	struct csv_field *fields;
	size_t nfields, fieldcap;

	uint64_t text_pos; /* UTF-8 bytes handed to libcsv so far */
	uint64_t line; /* where the next record starts */
	bool cr;       /* the last line end seen was a CR */
	uint64_t records;
	bool header_done;

	struct qpc_error *err; /* the caller's, during feed and finish */
	enum qpc_rc rc;        /* the first error; sticky */
};

static const char candidates[4] = { ',', ';', '\t', '|' };

__attribute__((format(printf, 5, 6)))
static enum qpc_rc fail(struct csvread *r, enum qpc_rc rc, uint64_t line, size_t field,
			const char *fmt, ...)
{
	char msg[512], where[64] = "";
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (line && field)
		snprintf(where, sizeof where, "line %llu, field %zu: ", (ull)line, field);
	else if (line)
		snprintf(where, sizeof where, "line %llu: ", (ull)line);
	const char *name = r->opts->name;
	qpc_error_set(r->err, rc, "%s%s%s%s", name ? name : "", name ? ": " : "", where, msg);
	r->rc = rc;
	return rc;
}

/* Line breaks in s: LF, CR, CR LF each count one. */
static uint64_t count_breaks(const char *s, size_t n)
{
	if (!n || (!memchr(s, '\n', n) && !memchr(s, '\r', n)))
		return 0;
	uint64_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\r') {
			k++;
			if (i + 1 < n && s[i + 1] == '\n')
				i++;
		} else if (s[i] == '\n') {
			k++;
		}
	}
	return k;
}

/* The line where the field now being read starts. */
static uint64_t field_line(const struct csvread *r)
{
	return r->line + count_breaks(r->rec, r->reclen);
}

static void size_text(size_t n, char *buf, size_t len)
{
	if (n % ((size_t)1 << 20) == 0)
		snprintf(buf, len, "%zu MiB", n >> 20);
	else
		snprintf(buf, len, "%zu bytes", n);
}

static enum qpc_rc field_too_long(struct csvread *r)
{
	char lim[32];
	size_text(r->max_field, lim, sizeof lim);
	return fail(r, QPC_ERR_DATA, field_line(r), r->nfields + 1, "field longer than %s", lim);
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

static enum qpc_rc record_too_long(struct csvread *r)
{
	char lim[32];
	size_text(r->max_record, lim, sizeof lim);
	return fail(r, QPC_ERR_DATA, r->line, 0, "record longer than %s", lim);
}

/* Checks a field of len bytes (whole, or the part of it read so far)
 * against the limits in the order they are crossed in the file: the
 * field count as the field starts, then the field or the record limit,
 * whichever its length passes first.  The result is the same however the
 * input is cut into chunks. */
static enum qpc_rc check_limits(struct csvread *r, size_t len)
{
	if (r->nfields == r->max_fields)
		return fail(r, QPC_ERR_DATA, r->line, 0, "more than %zu fields in a record",
			    r->max_fields);
	long long l = (long long)len, tf = (long long)r->max_field;
	long long tr = (long long)(r->max_record - r->reclen) - 1; /* room for the NUL */
	if (l > tf && (l <= tr || tf <= tr))
		return field_too_long(r);
	if (l > tr)
		return record_too_long(r);
	return QPC_OK;
}

static void on_field(void *data, size_t len, void *vr)
{
	struct csvread *r = vr;
	if (r->rc != QPC_OK || check_limits(r, len) != QPC_OK)
		return;
	if (!grow((void **)&r->rec, &r->reccap, r->reclen + len + 1, 1) ||
	    !grow((void **)&r->fields, &r->fieldcap, r->nfields + 1, sizeof *r->fields)) {
		fail(r, QPC_ERR_NOMEM, 0, 0, "out of memory");
		return;
	}
	if (len)
		memcpy(r->rec + r->reclen, data, len);
	r->rec[r->reclen + len] = '\0';
	r->fields[r->nfields++].len = len;
	r->reclen += len + 1;
}

static void deliver(struct csvread *r)
{
	const char *s = r->rec;
	for (size_t i = 0; i < r->nfields; i++) {
		r->fields[i].s = s;
		s += r->fields[i].len + 1;
	}
	struct csv_record rec = { r->fields, r->nfields, r->line, 0, NULL };
	enum qpc_rc rc = QPC_OK;
	if (!r->header_done && !r->opts->no_header) {
		r->header_done = true;
		if (r->sink->header)
			rc = r->sink->header(r->sink->ctx, &rec, r->err);
	} else {
		rec.index = ++r->records;
		if (r->sink->record)
			rc = r->sink->record(r->sink->ctx, &rec, r->err);
	}
	if (rc != QPC_OK) {
		if (r->err && r->err->code != rc)
			qpc_error_set(r->err, rc, "reading stopped at line %llu", (ull)r->line);
		r->rc = rc;
	}
}

/* c: the CR or LF that ended the row, or -1 at the end of the input. */
static void on_row(int c, void *vr)
{
	struct csvread *r = vr;
	if (r->rc != QPC_OK)
		return;
	if (r->nfields == 0) { /* a blank line, or the LF of a CR LF */
		if (c == '\n' && r->cr) {
			r->cr = false;
		} else if (c >= 0) {
			r->line++;
			r->cr = c == '\r';
		}
		return;
	}
	uint64_t breaks = count_breaks(r->rec, r->reclen);
	deliver(r);
	r->line += breaks + (c >= 0);
	r->cr = c == '\r';
	r->nfields = 0;
	r->reclen = 0;
}

static enum qpc_rc syntax_error(struct csvread *r, unsigned char c)
{
	uint64_t line = field_line(r) +
			count_breaks((const char *)r->parser.entry_buf, r->parser.entry_pos);
	size_t field = r->nfields + 1;
	if (r->parser.pstate == LIBCSV_FIELD_BEGUN && !r->parser.quoted)
		return fail(r, QPC_ERR_DATA, line, field,
			    "quote inside an unquoted field; quote the whole field "
			    "and double each quote in it");
	char what[16];
	if (c > ' ' && c < 0x7F)
		snprintf(what, sizeof what, "'%c'", c);
	else
		snprintf(what, sizeof what, "byte 0x%02X", c);
	return fail(r, QPC_ERR_DATA, line, field,
		    "%s after a closing quote; a quote inside a quoted field must be doubled",
		    what);
}

/* Bytes of the field being read that are sure to stay in it: libcsv
 * holds back trailing spaces and a quote that may close the field.  It
 * never shrinks, so checking it between chunks finds an overlong field
 * at the same place whatever the chunk sizes. */
static size_t open_field_len(const struct csvread *r)
{
	const struct csv_parser *p = &r->parser;
	size_t held = p->spaces + (p->pstate == LIBCSV_FIELD_MIGHT_HAVE_ENDED);
	return p->entry_pos > held ? p->entry_pos - held : 0;
}

/* Parses s[0..len); at_mark says that the text read so far ends at a
 * multiple of BLANKS_MARK. */
static enum qpc_rc parse_piece(struct csvread *r, const char *s, size_t len, bool at_mark)
{
	/* libcsv grows its field buffer by the block size: grown by what it
	 * holds, a long field costs copies of its length, not its square
	 * (an allocator that cannot move pages, as under the sanitizers,
	 * copies the whole buffer at each step); but not far past the
	 * record's limit, which is checked between pieces of a block */
	size_t have = r->parser.entry_size, cap = r->max_record + 2 * LIBCSV_BLOCK;
	if (have > LIBCSV_BLOCK) {
		size_t blk = have;
		if (have + blk > cap)
			blk = cap > have + LIBCSV_BLOCK ? cap - have : LIBCSV_BLOCK;
		csv_set_blk_size(&r->parser, blk);
	}
	size_t n = csv_parse(&r->parser, s, len, on_field, on_row, r);
	if (r->rc != QPC_OK)
		return r->rc;
	/* The field being read, checked even before a syntax error, which
	 * comes later in the file than a limit already crossed. */
	if (r->parser.pstate != LIBCSV_ROW_NOT_BEGUN && check_limits(r, open_field_len(r)))
		return r->rc;
	/* Blanks libcsv holds back (dropped if they end the field) are
	 * bounded only at the marks, so that the result does not depend on
	 * where the input's chunks end. */
	if (at_mark && n == len && r->parser.spaces > r->max_record)
		return record_too_long(r);
	if (n < len) {
		if (csv_error(&r->parser) == CSV_EPARSE)
			return syntax_error(r, (unsigned char)s[n]);
		return fail(r, QPC_ERR_NOMEM, 0, 0, "out of memory");
	}
	return QPC_OK;
}

/* Hands text to libcsv, cut at every multiple of BLANKS_MARK bytes of
 * the whole text, the same places however the input arrives. */
static enum qpc_rc parse_text(struct csvread *r, const char *s, size_t len)
{
	while (len) {
		uint64_t room = BLANKS_MARK - r->text_pos % BLANKS_MARK;
		size_t k = len < room ? len : (size_t)room;
		r->text_pos += k;
		enum qpc_rc rc = parse_piece(r, s, k, r->text_pos % BLANKS_MARK == 0);
		if (rc != QPC_OK)
			return rc;
		s += k;
		len -= k;
	}
	return QPC_OK;
}

/* Picks the delimiter from the held text and parses it. */
static enum qpc_rc end_detection(struct csvread *r)
{
	size_t best = 0;
	for (size_t i = 1; i < 4; i++)
		if (r->counts[i] > r->counts[best])
			best = i;
	r->delim = candidates[best];
	csv_set_delim(&r->parser, (unsigned char)r->delim);
	r->detecting = false;
	enum qpc_rc rc = parse_text(r, r->pre, r->npre);
	free(r->pre);
	r->pre = NULL;
	r->npre = r->cappre = 0;
	return rc;
}

/* Holds text until the first non-blank line ends outside quotes, counting
 * the candidate delimiters on it; that line may not pass max_record bytes. */
static enum qpc_rc detect(struct csvread *r, const char *s, size_t len)
{
	if (!grow((void **)&r->pre, &r->cappre, r->npre + len, 1))
		return fail(r, QPC_ERR_NOMEM, 0, 0, "out of memory");
	memcpy(r->pre + r->npre, s, len);
	r->npre += len;
	for (size_t i = r->scanned; i < r->npre; i++) {
		char c = r->pre[i];
		if (i >= r->max_record) {
			char lim[32];
			size_text(r->max_record, lim, sizeof lim);
			return fail(r, QPC_ERR_DATA, 0, 0, "the first line is longer than %s", lim);
		}
		if (c == '"') {
			r->pre_quote = !r->pre_quote;
		} else if (r->pre_quote) {
			continue;
		} else if (c == '\n' || c == '\r') {
			if (r->pre_content)
				return end_detection(r);
			memset(r->counts, 0, sizeof r->counts); /* a blank line */
			continue;
		} else {
			for (size_t k = 0; k < 4; k++)
				r->counts[k] += c == candidates[k];
		}
		if (c != ' ' && c != '\t')
			r->pre_content = true;
	}
	r->scanned = r->npre;
	return QPC_OK;
}

static enum qpc_rc on_text(void *vr, const char *s, size_t len, struct qpc_error *err)
{
	struct csvread *r = vr;
	(void)err; /* the same as r->err */
	return r->detecting ? detect(r, s, len) : parse_text(r, s, len);
}

enum qpc_rc csvread_new(const struct csvread_opts *opts, const struct csv_sink *sink,
			struct csvread **out, struct qpc_error *err)
{
	char d = opts->delim;
	if (d == '"' || d == '\r' || d == '\n')
		return qpc_error_set(err, QPC_ERR_USAGE,
				     "the delimiter cannot be a quote or a line break");
	/* A byte of a multi-byte UTF-8 character would split characters. */
	if ((unsigned char)d >= 0x80)
		return qpc_error_set(err, QPC_ERR_USAGE, "the delimiter must be an ASCII character");
	struct csvread *r = calloc(1, sizeof *r);
	if (!r || !(r->te = textenc_new(opts->encoding, on_text, r))) {
		free(r);
		return qpc_error_set(err, QPC_ERR_NOMEM, "out of memory");
	}
	r->opts = opts;
	r->sink = sink;
	r->max_field = opts->max_field ? opts->max_field : CSVREAD_MAX_FIELD;
	r->max_record = opts->max_record ? opts->max_record : CSVREAD_MAX_RECORD;
	r->max_fields = opts->max_fields ? opts->max_fields : CSVREAD_MAX_FIELDS;
	r->line = 1;
	csv_init(&r->parser, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL);
	csv_set_blk_size(&r->parser, LIBCSV_BLOCK);
	if (d) {
		r->delim = d;
		csv_set_delim(&r->parser, (unsigned char)d);
	} else {
		r->detecting = true;
	}
	*out = r;
	return QPC_OK;
}

/* Textenc's own errors lack the file name; ours and the sink's do not. */
static enum qpc_rc after_textenc(struct csvread *r, enum qpc_rc rc)
{
	if (rc == QPC_OK || r->rc != QPC_OK)
		return rc;
	if (r->opts->name && r->err) {
		char tmp[sizeof r->err->msg];
		memcpy(tmp, r->err->msg, sizeof tmp);
		qpc_error_set(r->err, rc, "%s: %s", r->opts->name, tmp);
	}
	r->rc = rc;
	return rc;
}

enum qpc_rc csvread_feed(struct csvread *r, const void *buf, size_t len, struct qpc_error *err)
{
	const char *p = buf;
	if (r->rc != QPC_OK)
		return r->rc;
	r->err = err;
	while (len) {
		size_t n = len < CHUNK ? len : CHUNK;
		enum qpc_rc rc = after_textenc(r, textenc_feed(r->te, p, n, err));
		if (rc != QPC_OK)
			return rc;
		p += n;
		len -= n;
	}
	return QPC_OK;
}

enum qpc_rc csvread_finish(struct csvread *r, struct qpc_error *err)
{
	if (r->rc != QPC_OK)
		return r->rc;
	r->err = err;
	enum qpc_rc rc = after_textenc(r, textenc_finish(r->te, err));
	if (rc == QPC_OK && r->detecting)
		rc = end_detection(r);
	if (rc != QPC_OK)
		return rc;
	if (csv_fini(&r->parser, on_field, on_row, r) != 0)
		return fail(r, QPC_ERR_DATA, field_line(r), r->nfields + 1,
			    "quoted field not closed: the file ends inside it");
	return r->rc;
}

void csvread_get_info(const struct csvread *r, struct csvread_info *info)
{
	info->delim = r->detecting ? 0 : r->delim;
	info->encoding = textenc_detected(r->te);
	info->bom = textenc_had_bom(r->te);
	info->guessed = textenc_guessed(r->te);
	info->ascii = textenc_ascii_only(r->te);
	info->records = r->records;
}

void csvread_free(struct csvread *r)
{
	if (!r)
		return;
	csv_free(&r->parser);
	textenc_free(r->te);
	free(r->pre);
	free(r->rec);
	free(r->fields);
	free(r);
}

/* --- whole inputs ------------------------------------------------------- */

/* Reads up to n bytes: the count, 0 at the end, -errno on failure. */
typedef long (*read_fn)(void *src, char *buf, size_t n);

static long read_fd(void *src, char *buf, size_t n)
{
	for (;;) {
		ssize_t k = read(*(int *)src, buf, n);
		if (k >= 0)
			return (long)k;
		if (errno != EINTR)
			return -errno;
	}
}

static long read_fp(void *src, char *buf, size_t n)
{
	size_t k = fread(buf, 1, n, src);
	if (k == 0 && ferror((FILE *)src))
		return -(errno ? errno : EIO);
	return (long)k;
}

static enum qpc_rc pump(read_fn rd, void *src, const struct csvread_opts *opts,
			const struct csv_sink *sink, struct csvread_info *info,
			struct qpc_error *err)
{
	struct csvread *r;
	enum qpc_rc rc = csvread_new(opts, sink, &r, err);
	if (rc != QPC_OK)
		return rc;
	char *buf = malloc(CHUNK);
	if (!buf)
		rc = qpc_error_set(err, QPC_ERR_NOMEM, "out of memory");
	while (buf) {
		long n = rd(src, buf, CHUNK);
		if (n < 0)
			rc = qpc_error_set(err, QPC_ERR_IO, "%s: %s",
					   opts->name ? opts->name : "input", strerror((int)-n));
		else if (n == 0)
			rc = csvread_finish(r, err);
		else
			rc = csvread_feed(r, buf, (size_t)n, err);
		if (n <= 0 || rc != QPC_OK)
			break;
	}
	if (info)
		csvread_get_info(r, info);
	free(buf);
	csvread_free(r);
	return rc;
}

enum qpc_rc csvread_fd(int fd, const struct csvread_opts *opts, const struct csv_sink *sink,
		       struct csvread_info *info, struct qpc_error *err)
{
	return pump(read_fd, &fd, opts, sink, info, err);
}

enum qpc_rc csvread_file(FILE *fp, const struct csvread_opts *opts, const struct csv_sink *sink,
			 struct csvread_info *info, struct qpc_error *err)
{
	return pump(read_fp, fp, opts, sink, info, err);
}

enum qpc_rc csvread_mem(const void *buf, size_t len, const struct csvread_opts *opts,
			const struct csv_sink *sink, struct csvread_info *info,
			struct qpc_error *err)
{
	struct csvread *r;
	enum qpc_rc rc = csvread_new(opts, sink, &r, err);
	if (rc != QPC_OK)
		return rc;
	rc = csvread_feed(r, buf, len, err);
	if (rc == QPC_OK)
		rc = csvread_finish(r, err);
	if (info)
		csvread_get_info(r, info);
	csvread_free(r);
	return rc;
}
