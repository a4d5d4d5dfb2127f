/* import_text.c — an import's result in words, the same on the command
 * line and in the dashboard's import dialog. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "qpc/import.h"

/* Appends to buf (n bytes) at *used, cutting what does not fit. */
static void add(char *buf, size_t n, size_t *used, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void add(char *buf, size_t n, size_t *used, const char *fmt, ...)
{
	if (*used >= n)
		return;
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(buf + *used, n - *used, fmt, ap);
	va_end(ap);
	*used = k < 0 ? n : *used + (size_t)k;
}

static const char *order_name(enum dateparse_order o)
{
	return o == DATEPARSE_DMY ? "day-first" : o == DATEPARSE_MDY ? "month-first" : "unambiguous";
}

/* Why the file was read in an encoding it did not declare. */
static const char *encoding_why(const struct import_result *r)
{
	if (r->encoding_guessed)
		return " (not UTF-8)";
	return r->encoding_remembered ? " (remembered from a past import)" : "";
}

void import_describe(const struct import_result *r, char *buf, size_t n)
{
	char delim[8];
	if (r->delimiter == '\t')
		snprintf(delim, sizeof delim, "tab");
	else
		snprintf(delim, sizeof delim, "'%c'", r->delimiter ? r->delimiter : ',');
	snprintf(buf, n, "profile %s%s, %s-delimited, %s%s, dates %s, decimal %s",
	         r->profile ? r->profile : "?",
	         r->remembered ? " (mapping remembered from a past import)" : "", delim,
	         textenc_name(r->encoding), encoding_why(r), order_name(r->date_order),
	         r->decimal == AMOUNT_DEC_COMMA ? "comma" : "point");
}

int import_unread(const struct import_result *r, char *buf, size_t n)
{
	size_t used = 0;
	int unknown = 0;
	buf[0] = '\0';
	for (int c = 0; c < r->ncolumns && c < 64; c++)
		if (r->columns[c].field <= F_IGNORED)
			add(buf, n, &used, "%s%s", unknown++ ? ", " : "", r->columns[c].header);
	if (r->ncolumns > 64)
		add(buf, n, &used, " and %d more", r->ncolumns - 64);
	return unknown;
}

void import_summary(const struct import_result *r, enum qpc_rc rc, bool dry_run, char *buf,
                    size_t n)
{
	typedef unsigned long long ull;
	size_t used = 0;
	if (rc == QPC_ERR_DATA) {
		add(buf, n, &used, "%llu rows read, %llu bad: nothing changed in %.2f s", (ull)r->read,
		    (ull)r->rejected, r->seconds);
		return;
	}
	add(buf, n, &used,
	    "%s%llu rows read: %llu created, %llu updated, %llu unchanged, %llu rejected, "
	    "%llu skipped",
	    dry_run ? "Dry run, nothing changed: " : "", (ull)r->read,
	    (ull)r->outcome[QPC_CREATED], (ull)r->outcome[QPC_UPDATED],
	    (ull)r->outcome[QPC_UNCHANGED], (ull)r->rejected, (ull)r->skipped);
	if (r->replaced)
		add(buf, n, &used, ", %llu replaced by a later row", (ull)r->replaced);
	if (r->accounts_created)
		add(buf, n, &used, "; %llu new accounts", (ull)r->accounts_created);
	add(buf, n, &used, " in %.2f s", r->seconds);
	if (r->encoding_guessed || r->encoding_remembered)
		add(buf, n, &used, "; read as %s%s", textenc_name(r->encoding), encoding_why(r));
}
