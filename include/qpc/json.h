/* json.h — a small streaming JSON writer for machine-readable output. */
#ifndef QPC_JSON_H
#define QPC_JSON_H

#include <stdbool.h>
#include <stdio.h>

#include "qpc/money.h"

struct jsonw {
	FILE *fp;       /* not owned */
	int depth;
	bool first[16]; /* per depth: no member written yet */
	bool pretty;
};

void jsonw_init(struct jsonw *j, FILE *fp, bool pretty);
void jsonw_begin_object(struct jsonw *j, const char *key); /* key NULL at top or in arrays */
void jsonw_end_object(struct jsonw *j);
void jsonw_begin_array(struct jsonw *j, const char *key);
void jsonw_end_array(struct jsonw *j);
void jsonw_string(struct jsonw *j, const char *key, const char *v); /* v NULL: null */
void jsonw_int(struct jsonw *j, const char *key, long long v);
void jsonw_bool(struct jsonw *j, const char *key, bool v);
void jsonw_null(struct jsonw *j, const char *key);
/* Money in major units, exact: 1234.5 from 123450 cents. */
void jsonw_money(struct jsonw *j, const char *key, qpc_money v, int minor_units);
/* A fraction with up to 6 decimals, or null when !known. */
void jsonw_fraction(struct jsonw *j, const char *key, bool known, double v);
/* Ends the document with a newline. */
void jsonw_finish(struct jsonw *j);

#endif
