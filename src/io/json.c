/* json.c — streaming JSON output with correct string escaping.  Text is
 * UTF-8 by the time it is stored, but a byte that is not (a database edited
 * by hand) becomes U+FFFD here: JSON must be valid whatever the data. */
#include "qpc/json.h"
#include "qpc/textenc.h"

#include <math.h>
#include <string.h>

void jsonw_init(struct jsonw *j, FILE *fp, bool pretty)
{
	memset(j, 0, sizeof *j);
	j->fp = fp;
	j->pretty = pretty;
	j->first[0] = true;
}

static void put_string(FILE *fp, const char *s)
{
	putc('"', fp);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", fp);
			break;
		case '\\':
			fputs("\\\\", fp);
			break;
		case '\n':
			fputs("\\n", fp);
			break;
		case '\r':
			fputs("\\r", fp);
			break;
		case '\t':
			fputs("\\t", fp);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				fprintf(fp, "\\u%04x", *p);
			} else if (*p < 0x80) {
				putc(*p, fp);
			} else {
				int n = textenc_utf8_seq(p, strnlen((const char *)p, 4));
				if (n <= 0) {
					fputs("\\ufffd", fp);
				} else {
					fwrite(p, 1, (size_t)n, fp);
					p += n - 1;
				}
			}
		}
	}
	putc('"', fp);
}

static void member(struct jsonw *j, const char *key)
{
	if (j->depth > 0) {
		if (!j->first[j->depth])
			putc(',', j->fp);
		if (j->pretty) {
			putc('\n', j->fp);
			for (int i = 0; i < j->depth; i++)
				fputs("  ", j->fp);
		}
	}
	j->first[j->depth] = false;
	if (key) {
		put_string(j->fp, key);
		fputs(j->pretty ? ": " : ":", j->fp);
	}
}

static void open_(struct jsonw *j, const char *key, char c)
{
	member(j, key);
	putc(c, j->fp);
	if (j->depth < 15)
		j->depth++;
	j->first[j->depth] = true;
}

static void close_(struct jsonw *j, char c)
{
	bool empty = j->first[j->depth];
	if (j->depth > 0)
		j->depth--;
	if (j->pretty && !empty) {
		putc('\n', j->fp);
		for (int i = 0; i < j->depth; i++)
			fputs("  ", j->fp);
	}
	putc(c, j->fp);
}

void jsonw_begin_object(struct jsonw *j, const char *key)
{
	open_(j, key, '{');
}

void jsonw_end_object(struct jsonw *j)
{
	close_(j, '}');
}

void jsonw_begin_array(struct jsonw *j, const char *key)
{
	open_(j, key, '[');
}

void jsonw_end_array(struct jsonw *j)
{
	close_(j, ']');
}

void jsonw_string(struct jsonw *j, const char *key, const char *v)
{
	member(j, key);
	if (v)
		put_string(j->fp, v);
	else
		fputs("null", j->fp);
}

void jsonw_int(struct jsonw *j, const char *key, long long v)
{
	member(j, key);
	fprintf(j->fp, "%lld", v);
}

void jsonw_bool(struct jsonw *j, const char *key, bool v)
{
	member(j, key);
	fputs(v ? "true" : "false", j->fp);
}

void jsonw_null(struct jsonw *j, const char *key)
{
	member(j, key);
	fputs("null", j->fp);
}

void jsonw_money(struct jsonw *j, const char *key, qpc_money v, int minor_units)
{
	char b[32];
	qpc_money_format(v, minor_units, QPC_MONEY_PLAIN, b, sizeof b);
	/* Trim trailing zeros of the fraction: 1234.50 -> 1234.5, 7.00 -> 7. */
	char *dot = strchr(b, '.');
	if (dot) {
		char *end = b + strlen(b) - 1;
		while (end > dot && *end == '0')
			*end-- = '\0';
		if (end == dot)
			*end = '\0';
	}
	member(j, key);
	fputs(b, j->fp);
}

void jsonw_fraction(struct jsonw *j, const char *key, bool known, double v)
{
	member(j, key);
	if (!known || !isfinite(v)) {
		fputs("null", j->fp);
		return;
	}
	char b[32];
	snprintf(b, sizeof b, "%.6f", v);
	char *end = b + strlen(b) - 1;
	while (*end == '0' && end[-1] != '.')
		*end-- = '\0';
	fputs(b, j->fp);
}

void jsonw_finish(struct jsonw *j)
{
	putc('\n', j->fp);
}
