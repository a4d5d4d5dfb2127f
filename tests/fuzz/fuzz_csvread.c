/* fuzz_csvread.c — the streaming CSV reader (csvread on textenc and
 * libcsv), with random options, and csvwrite's output read back.
 *
 * Input: four option bytes, then the file.  With v[i] = byte i - '0':
 *   v[0] % 8: delimiter: 0 detect, 1 ',', 2 ';', 3 tab, 4 '|', 5 ' ',
 *             6 byte v[0] itself (any byte but '"', CR, LF), 7 detect;
 *   v[1] % 8: encoding (enum textenc_kind); bit 3 (v[1] & 8): no_header;
 *   v[2] % 8: limits: 0-3 the defaults, else small max_field, max_record
 *             and max_fields drawn from v[2];
 *   v[3]:     seeds the chunk sizes.
 * So a seed "0000a,b\n1,2\n" is a plain file read with every default.
 *
 * Invariants (beyond "no crash, no sanitizer report"):
 *  - the same records, result and message whether fed whole (csvread_mem)
 *    or in random chunks through csvread_feed;
 *  - every record has 1..max_fields fields of valid UTF-8 without NUL,
 *    len == strlen, within max_field and max_record; lines strictly grow;
 *    the header has index 0 and data records count 1, 2, 3 ...;
 *  - records written back with csvwrite (raw, the same delimiter) read
 *    back as the same fields.
 */
#include "fuzz.h"

#include "qpc/csvread.h"
#include "qpc/csvwrite.h"

struct log {
	struct fuzz_buf text; /* the records, serialised */
	const struct csvread_opts *o;
	size_t max_field, max_record, max_fields;
	uint64_t last_line, next_index;
	size_t records; /* header included */
	bool seen_header;
};

static void log_record(struct log *l, const struct csv_record *r, char kind)
{
	FUZZ_CHECK(r->nfields >= 1 && r->nfields <= l->max_fields, "%zu fields", r->nfields);
	FUZZ_CHECK(r->line > l->last_line, "line %llu after %llu", (unsigned long long)r->line,
		   (unsigned long long)l->last_line);
	l->last_line = r->line;
	size_t total = 0;
	fuzz_put(&l->text, &kind, 1);
	fuzz_put(&l->text, &r->line, sizeof r->line);
	fuzz_put(&l->text, &r->nfields, sizeof r->nfields);
	for (size_t i = 0; i < r->nfields; i++) {
		const struct csv_field *f = &r->fields[i];
		FUZZ_CHECK(f->s != NULL && strlen(f->s) == f->len, "field %zu: len %zu, strlen %zu", i,
			   f->len, f->s ? strlen(f->s) : 0);
		FUZZ_CHECK(f->len <= l->max_field, "field of %zu bytes, limit %zu", f->len,
			   l->max_field);
		FUZZ_CHECK(fuzz_utf8_valid(f->s, f->len), "field %zu of line %llu not UTF-8", i,
			   (unsigned long long)r->line);
		total += f->len + 1;
		fuzz_put(&l->text, &f->len, sizeof f->len);
		fuzz_put(&l->text, f->s, f->len);
	}
	FUZZ_CHECK(total <= l->max_record, "record of %zu bytes, limit %zu", total, l->max_record);
	l->records++;
}

static enum qpc_rc on_header(void *ctx, const struct csv_record *r, struct qpc_error *err)
{
	struct log *l = ctx;
	(void)err;
	FUZZ_CHECK(!l->o->no_header && !l->seen_header && l->records == 0,
		   "header call out of place");
	FUZZ_CHECK(r->index == 0, "header index %llu", (unsigned long long)r->index);
	l->seen_header = true;
	log_record(l, r, 'H');
	return QPC_OK;
}

static enum qpc_rc on_record(void *ctx, const struct csv_record *r, struct qpc_error *err)
{
	struct log *l = ctx;
	(void)err;
	FUZZ_CHECK(l->o->no_header || l->seen_header, "data before the header");
	FUZZ_CHECK(r->index == ++l->next_index, "index %llu, expected %llu",
		   (unsigned long long)r->index, (unsigned long long)l->next_index);
	log_record(l, r, 'R');
	return QPC_OK;
}

struct result {
	struct log log;
	enum qpc_rc rc;
	struct qpc_error err;
	struct csvread_info info;
};

static void init_log(struct log *l, const struct csvread_opts *o)
{
	memset(l, 0, sizeof *l);
	l->o = o;
	l->max_field = o->max_field ? o->max_field : CSVREAD_MAX_FIELD;
	l->max_record = o->max_record ? o->max_record : CSVREAD_MAX_RECORD;
	l->max_fields = o->max_fields ? o->max_fields : CSVREAD_MAX_FIELDS;
}

static void read_whole(const uint8_t *p, size_t n, const struct csvread_opts *o,
		       struct result *res)
{
	memset(res, 0, sizeof *res);
	init_log(&res->log, o);
	struct csv_sink sink = { on_header, on_record, &res->log, NULL, NULL };
	res->rc = csvread_mem(p, n, o, &sink, &res->info, &res->err);
}

static void read_chunks(const uint8_t *p, size_t n, const struct csvread_opts *o,
			uint64_t seed, struct result *res)
{
	memset(res, 0, sizeof *res);
	init_log(&res->log, o);
	struct csv_sink sink = { on_header, on_record, &res->log, NULL, NULL };
	struct csvread *r;
	res->rc = csvread_new(o, &sink, &r, &res->err);
	if (res->rc != QPC_OK)
		return;
	for (size_t i = 0; i < n && res->rc == QPC_OK;) {
		uint64_t x = fuzz_rand(&seed);
		size_t k = x % 3 == 0 ? 1 + x / 3 % 2048 : 1 + x / 3 % 5;
		k = k < n - i ? k : n - i;
		res->rc = csvread_feed(r, p + i, k, &res->err);
		i += k;
	}
	if (res->rc == QPC_OK)
		res->rc = csvread_finish(r, &res->err);
	csvread_get_info(r, &res->info);
	csvread_free(r);
}

/* Fields of the serialised log, for the write-back comparison: the same
 * log without line numbers. */
static void strip_lines(const struct fuzz_buf *in, struct fuzz_buf *out)
{
	size_t i = 0;
	while (i < in->n) {
		size_t nf, len;
		fuzz_put(out, in->p + i, 1);
		i += 1 + sizeof(uint64_t);
		memcpy(&nf, in->p + i, sizeof nf);
		fuzz_put(out, in->p + i, sizeof nf);
		i += sizeof nf;
		for (size_t f = 0; f < nf; f++) {
			memcpy(&len, in->p + i, sizeof len);
			fuzz_put(out, in->p + i, sizeof len + len);
			i += sizeof len + len;
		}
	}
}

/* The records of log, written with csvwrite. */
static void write_back(const struct fuzz_buf *log, char delim, struct fuzz_buf *csv)
{
	char *mem = NULL;
	size_t memlen = 0;
	FILE *fp = open_memstream(&mem, &memlen);
	FUZZ_CHECK(fp != NULL, "open_memstream");
	fputs("\xEF\xBB\xBF", fp); /* so that a U+FEFF in the text is not taken for a BOM */
	struct csvw w;
	csvw_init(&w, fp, false, 2);
	w.delim = delim;
	size_t i = 0;
	struct fuzz_buf field = { 0 };
	while (i < log->n) {
		size_t nf, len;
		i += 1 + sizeof(uint64_t);
		memcpy(&nf, log->p + i, sizeof nf);
		i += sizeof nf;
		for (size_t f = 0; f < nf; f++) {
			memcpy(&len, log->p + i, sizeof len);
			i += sizeof len;
			field.n = 0;
			fuzz_put(&field, log->p + i, len);
			csvw_field(&w, field.p);
			i += len;
		}
		csvw_end(&w);
	}
	fclose(fp);
	fuzz_put(csv, mem, memlen);
	free(mem);
	free(field.p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 4 || size > 65536)
		return 0;
	uint8_t v[4];
	for (int i = 0; i < 4; i++)
		v[i] = (uint8_t)(data[i] - '0');
	const uint8_t *p = data + 4;
	size_t n = size - 4;

	static const char delims[8] = { 0, ',', ';', '\t', '|', ' ', 0, 0 };
	struct csvread_opts o = { .name = "fuzz.csv" };
	o.delim = delims[v[0] % 8];
	if (v[0] % 8 == 6 && data[0] != '"' && data[0] != '\r' && data[0] != '\n')
		o.delim = (char)data[0];
	o.encoding = (enum textenc_kind)(v[1] % 8);
	o.no_header = (v[1] & 8) != 0;
	if (v[2] % 8 >= 4) {
		o.max_field = 1 + v[2] / 8 % 16;
		o.max_record = 1 + v[2] % 48;
		o.max_fields = 1 + v[2] / 16 % 8;
	}
	uint64_t seed = fuzz_hash(data, size) ^ v[3];

	struct result whole, parts;
	read_whole(p, n, &o, &whole);
	read_chunks(p, n, &o, seed, &parts);
	FUZZ_CHECK(whole.rc == parts.rc && strcmp(whole.err.msg, parts.err.msg) == 0,
		   "whole: rc %d '%s'; in chunks: rc %d '%s'", (int)whole.rc, whole.err.msg,
		   (int)parts.rc, parts.err.msg);
	FUZZ_CHECK(fuzz_buf_eq(&whole.log.text, &parts.log.text),
		   "records differ in chunks (%zu vs %zu records)", whole.log.records,
		   parts.log.records);
	FUZZ_CHECK(whole.info.delim == parts.info.delim && whole.info.records == parts.info.records,
		   "info differs in chunks");
	if (whole.rc == QPC_OK) {
		FUZZ_CHECK(whole.info.records + (whole.log.seen_header ? 1 : 0) == whole.log.records,
			   "info counts %llu records, the sink saw %zu",
			   (unsigned long long)whole.info.records, whole.log.records);
		FUZZ_CHECK(o.delim == 0 || whole.info.delim == o.delim, "delimiter changed");
	}
	if (whole.rc != QPC_OK)
		FUZZ_CHECK(whole.err.msg[0] != '\0', "rc %d without a message", (int)whole.rc);

	/* Written back as qpc writes CSV, then read again. */
	char d = whole.info.delim;
	if (whole.rc == QPC_OK && (d == ',' || d == ';' || d == '\t' || d == '|')) {
		struct fuzz_buf csv = { 0 }, want = { 0 }, got = { 0 };
		write_back(&whole.log.text, d, &csv);
		struct csvread_opts o2 = { .name = "written.csv", .delim = d,
					   .encoding = TEXTENC_UTF8, .no_header = o.no_header };
		struct result again;
		read_whole((const uint8_t *)csv.p, csv.n, &o2, &again);
		strip_lines(&whole.log.text, &want);
		strip_lines(&again.log.text, &got);
		if (again.rc != QPC_OK || !fuzz_buf_eq(&want, &got)) {
			fuzz_dump("input", p, n);
			fuzz_dump("written", csv.p, csv.n);
		}
		FUZZ_CHECK(again.rc == QPC_OK, "csvwrite output does not read: %s", again.err.msg);
		FUZZ_CHECK(fuzz_buf_eq(&want, &got),
			   "csvwrite output reads as other fields (%zu records, %zu back)",
			   whole.log.records, again.log.records);
		free(csv.p);
		free(want.p);
		free(got.p);
		free(again.log.text.p);
	}
	free(whole.log.text.p);
	free(parts.log.text.p);
	return 0;
}
