/* csvwrite.h — writing RFC 4180 CSV, streaming.
 *
 * Fields are quoted only when they must be (delimiter, quote, CR, LF, a
 * leading or trailing space or tab, or a leading U+FEFF, which a reader
 * takes for a byte-order mark at the start of a file); records end in
 * CRLF.  A record of
 * one empty field is written as "", since an empty line is no record.  With inert set, a cell a
 * spreadsheet would run as a formula (starting with = + - @ TAB CR) gets a
 * leading apostrophe, as OWASP advises against CSV injection; so does one
 * that starts so after apostrophes, which keeps the guard exactly
 * invertible (csvw_unguard).
 */
#ifndef QPC_CSVWRITE_H
#define QPC_CSVWRITE_H

#include <stdbool.h>
#include <stdio.h>

#include "qpc/date.h"
#include "qpc/money.h"

struct csvw {
	FILE *fp;   /* not owned */
	bool inert; /* neutralise formula-like cells */
	int minor_units;
	int col;    /* fields written on the current record */
	char delim; /* ',' unless set after csvw_init */
	bool lone_empty; /* the record so far is one empty field */
};

void csvw_init(struct csvw *w, FILE *fp, bool inert, int minor_units);
void csvw_field(struct csvw *w, const char *s);
/* A field that is never a formula however it starts: numbers we format. */
void csvw_number(struct csvw *w, const char *s);
void csvw_money(struct csvw *w, qpc_money v);
void csvw_opt_money(struct csvw *w, bool has, qpc_money v);
void csvw_int(struct csvw *w, long long v);
void csvw_bool(struct csvw *w, bool v);
void csvw_date(struct csvw *w, bool has, qpc_date d);
/* A fraction with four decimals from basis points, empty when !has. */
void csvw_fraction_bp(struct csvw *w, bool has, int32_t bp);
void csvw_end(struct csvw *w);

/* Whether an inert writer puts an apostrophe before s: s starts, after
 * any apostrophes, with = + - @ TAB or CR. */
bool csvw_guarded(const char *s);
/* The exact inverse, for a reader of such files: s without the one
 * apostrophe the writer added (s + 1) when it starts with an apostrophe
 * and the rest is guarded; s itself otherwise.  unguard(guard(x)) is x
 * for every x, so exporting what was imported gives the same bytes. */
const char *csvw_unguard(const char *s);

#endif
