/* csvwrite.c — RFC 4180 output. */
#include "qpc/csvwrite.h"

#include <string.h>

void csvw_init(struct csvw *w, FILE *fp, bool inert, int minor_units)
{
	w->fp = fp;
	w->inert = inert;
	w->minor_units = minor_units;
	w->col = 0;
	w->delim = ',';
	w->lone_empty = false;
}

static void sep(struct csvw *w)
{
	if (w->col++ > 0)
		putc(w->delim, w->fp);
}

/* The CSV-injection guard and its exact inverse, side by side: whatever
 * csvw_guarded() gives an apostrophe, csvw_unguard() takes it off again,
 * and nothing else.  A cell is guarded when, after any apostrophes, it
 * starts as a formula does (= + - @ TAB CR): "=1" is written "'=1", and
 * "'=1" (a name that starts with an apostrophe) "''=1", so that reading
 * drops exactly one apostrophe from any cell of that shape.  A cell such
 * as "'abc" or "''" is no formula after its apostrophes: left alone. */
static bool formula_start(const char *s)
{
	return *s && strchr("=+-@\t\r", *s);
}

bool csvw_guarded(const char *s)
{
	while (*s == '\'')
		s++;
	return formula_start(s);
}

const char *csvw_unguard(const char *s)
{
	return *s == '\'' && csvw_guarded(s + 1) ? s + 1 : s;
}

static void put_field(struct csvw *w, const char *s, bool may_be_formula)
{
	sep(w);
	if (!s)
		s = "";
	bool inert = may_be_formula && w->inert && csvw_guarded(s);
	size_t n = strlen(s);
	/* readers drop spaces and tabs around an unquoted field (libcsv,
	 * spreadsheets): quoted, they stay; and U+FEFF at the start of a file
	 * is a byte-order mark to them (textenc.h), after a quote it is text */
	bool quote = inert || strpbrk(s, "\"\r\n") != NULL || strchr(s, w->delim) ||
	             (n > 0 && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' ||
	                        s[n - 1] == '\t')) ||
	             strncmp(s, "\xEF\xBB\xBF", 3) == 0;
	w->lone_empty = w->col == 1 && n == 0;
	if (!quote) {
		fwrite(s, 1, n, w->fp);
		return;
	}
	putc('"', w->fp);
	if (inert)
		putc('\'', w->fp);
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			putc('"', w->fp);
		putc(*p, w->fp);
	}
	putc('"', w->fp);
}

void csvw_field(struct csvw *w, const char *s)
{
	put_field(w, s, true);
}

void csvw_number(struct csvw *w, const char *s)
{
	put_field(w, s, false);
}

void csvw_money(struct csvw *w, qpc_money v)
{
	char b[32];
	csvw_number(w, qpc_money_format(v, w->minor_units, QPC_MONEY_PLAIN, b, sizeof b));
}

void csvw_opt_money(struct csvw *w, bool has, qpc_money v)
{
	if (has)
		csvw_money(w, v);
	else
		csvw_number(w, "");
}

void csvw_int(struct csvw *w, long long v)
{
	char b[24];
	snprintf(b, sizeof b, "%lld", v);
	csvw_number(w, b);
}

void csvw_bool(struct csvw *w, bool v)
{
	csvw_number(w, v ? "1" : "0");
}

void csvw_date(struct csvw *w, bool has, qpc_date d)
{
	char b[QPC_DATE_ISO_LEN];
	csvw_number(w, has ? qpc_date_format(d, b) : "");
}

void csvw_fraction_bp(struct csvw *w, bool has, int32_t bp)
{
	char b[24];
	if (!has) {
		csvw_number(w, "");
		return;
	}
	snprintf(b, sizeof b, "%s%d.%04d", bp < 0 ? "-" : "", (bp < 0 ? -bp : bp) / 10000,
	         (bp < 0 ? -bp : bp) % 10000);
	csvw_number(w, b);
}

void csvw_end(struct csvw *w)
{
	/* an empty line is no record to a reader: one empty field is "" */
	if (w->col == 1 && w->lone_empty)
		fputs("\"\"", w->fp);
	fputs("\r\n", w->fp);
	w->col = 0;
	w->lone_empty = false;
}
