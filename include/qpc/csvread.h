/* csvread.h — a streaming CSV reader that feeds a sink, record by record.
 *
 * Bytes go through textenc (BOM, encodings, UTF-8 validation) and libcsv in
 * strict mode.  The reader handles quoted fields holding delimiters, doubled
 * quotes and line breaks; LF, CR LF and lone-CR line ends; a missing final
 * line end.  Blank lines (nothing but spaces) are skipped wherever they are.
 * As libcsv does, spaces and tabs around an unquoted field, and around the
 * quotes of a quoted one, are dropped; spaces inside quotes are kept.
 *
 * Unless forced, the delimiter is the most frequent of ',' ';' TAB '|'
 * outside quotes on the first non-blank line (ties in that order; ',' when
 * none occurs).
 *
 * Memory is bounded by the largest record, not by the file: a field longer
 * than max_field, a record longer than max_record or with more than
 * max_fields fields is an error, as is a run of more than max_record
 * blanks in an unquoted field (blanks that may still be dropped, checked
 * every 64 KiB of text).  So are a quote inside an unquoted field,
 * text after a closing quote, and a quoted field still open at the end of
 * the file.  Messages name the place as "NAME: line L, field F: ...".
 *
 * Line numbers are physical lines of the input, from 1, counting line
 * breaks inside quoted fields.  (One ambiguity is resolved the common way:
 * a CR, then spaces, then LF outside quotes counts as a single line end.)
 */
#ifndef QPC_CSVREAD_H
#define QPC_CSVREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "qpc/error.h"
#include "qpc/textenc.h"

struct csv_field {
	const char *s; /* NUL-terminated UTF-8; may hold line breaks, never NUL */
	size_t len;
};

struct csv_record {
	const struct csv_field *fields; /* nfields of them, at least one */
	size_t nfields;
	uint64_t line;  /* physical line where the record starts */
	uint64_t index; /* 0 for the header, then 1, 2, ... for data records */
	const void *prep; /* what a csv_prep made of a data record, or NULL */
};

/* Work on each data record that a threaded reader does in its own thread,
 * ahead of the sink: fn reads the record (valid during the call) and
 * writes size bytes at out, which the sink then finds at rec->prep.  What
 * fn writes must not point into the record, and fn may read only memory
 * the sink's thread leaves alone while reading goes on. */
struct csv_prep {
	void (*fn)(void *ctx, const struct csv_record *rec, void *out);
	size_t size;
	void *ctx;
};

/* Where records go.  The record and every string in it belong to the
 * reader and are valid only during the call.  A result other than QPC_OK
 * (with err filled) stops reading; the reader returns it unchanged.
 * header may be NULL, and is not called with no_header. */
struct csv_sink {
	enum qpc_rc (*header)(void *ctx, const struct csv_record *rec, struct qpc_error *err);
	enum qpc_rc (*record)(void *ctx, const struct csv_record *rec, struct qpc_error *err);
	void *ctx;
	/* Done in the reading thread by csvread_fd_threaded, which hands the
	 * result to record as rec->prep; NULL: none.  The other readers do
	 * not: record must cope with rec->prep NULL. */
	const struct csv_prep *prep;
	/* Done by csvread_fd_threaded in the caller's thread before the
	 * records of each batch it read (a few hundred at most) go to record:
	 * those records, each with its prep, so that a sink may look them up
	 * together.  NULL: none.  The other readers do not call it. */
	enum qpc_rc (*batch)(void *ctx, const struct csv_record *recs, size_t n,
	                     struct qpc_error *err);
};

#define CSVREAD_MAX_FIELD ((size_t)16 << 20)  /* bytes */
#define CSVREAD_MAX_RECORD ((size_t)64 << 20) /* bytes, all fields */
#define CSVREAD_MAX_FIELDS ((size_t)100000)

struct csvread_opts {
	const char *name;           /* for messages ("accounts.csv"); NULL: none */
	enum textenc_kind encoding; /* TEXTENC_AUTO: BOM, else UTF-8, else windows-1252 */
	char delim;                 /* 0: detect; else an ASCII byte but '"', CR, LF */
	bool no_header;             /* the first record is data */
	size_t max_field;           /* 0: CSVREAD_MAX_FIELD */
	size_t max_record;          /* 0: CSVREAD_MAX_RECORD */
	size_t max_fields;          /* 0: CSVREAD_MAX_FIELDS */
};

struct csvread_info {
	char delim;                 /* used, once known; 0 before */
	enum textenc_kind encoding; /* decoded, once known; TEXTENC_AUTO before */
	bool bom;                   /* a byte-order mark was dropped */
	bool guessed;               /* not UTF-8: read as windows-1252 (textenc_guessed) */
	bool ascii;                 /* nothing but ASCII so far (textenc_ascii_only) */
	uint64_t records;           /* data records delivered, header excluded */
};

struct csvread;

/* Push interface: create, feed bytes in chunks of any size, finish, free.
 * opts (with name) and sink must outlive the reader; it copies neither.
 * After an error, feed and finish keep returning it: free the reader. */
enum qpc_rc csvread_new(const struct csvread_opts *opts, const struct csv_sink *sink,
			struct csvread **out, struct qpc_error *err);
enum qpc_rc csvread_feed(struct csvread *r, const void *buf, size_t len, struct qpc_error *err);
enum qpc_rc csvread_finish(struct csvread *r, struct qpc_error *err);
void csvread_get_info(const struct csvread *r, struct csvread_info *info);
void csvread_free(struct csvread *r);

/* Whole inputs, read in 256 KiB chunks.  info may be NULL.  The fd and fp
 * are read to the end and not closed. */
enum qpc_rc csvread_fd(int fd, const struct csvread_opts *opts, const struct csv_sink *sink,
		       struct csvread_info *info, struct qpc_error *err);
enum qpc_rc csvread_file(FILE *fp, const struct csvread_opts *opts, const struct csv_sink *sink,
			 struct csvread_info *info, struct qpc_error *err);
/* csvread_fd with the reading and parsing in a second thread (csvpipe.c),
 * the sink called in the caller's: the same records, line numbers and
 * errors in the same order, while the next records are being read.  For
 * a sink that costs as much as the reading.  early (may be NULL) is
 * called first with each record in the reading thread, ahead of the sink:
 * work that can be done apart, on memory the sink does not touch; its
 * error stops the reading as a read error would.  *bytes (may be NULL) is
 * set, before each run of records, to the bytes of fd read by then.
 * Without a thread to start it reads in the caller's thread. */
enum qpc_rc csvread_fd_threaded(int fd, const struct csvread_opts *opts,
				const struct csv_sink *early, const struct csv_sink *sink,
				struct csvread_info *info, uint64_t *bytes,
				struct qpc_error *err);
enum qpc_rc csvread_mem(const void *buf, size_t len, const struct csvread_opts *opts,
			const struct csv_sink *sink, struct csvread_info *info,
			struct qpc_error *err);

#endif
