/* csvwrite.h — writing RFC 4180 CSV, streaming.
 *
 * Fields are quoted only when they must be (delimiter, quote, CR, LF, or
 * a leading or trailing space or tab); records end in CRLF.  A record of
 * one empty field is written as "", since an empty line is no record.  With inert set, a cell a
 * spreadsheet would run as a formula (starting with = + - @ TAB CR) gets a
 * leading apostrophe, as OWASP advises against CSV injection.
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

#endif
