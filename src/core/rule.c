/* rule.c — a checklist step's rule: parsed, written back, checked (rule.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "qpc/rule.h"

#define RULE_TYPED 160 /* characters a rule may be typed with, spaces included */

static const struct {
	const char *word;
	int months;
} period_words[] = {
	{ "month", 1 },
	{ "quarter", 3 },
	{ "year", 12 },
};

/* The column of byte offset `at` in characters, 1-based. */
static int column(const char *text, size_t at)
{
	int col = 1;
	for (size_t i = 0; i < at; i++)
		col += ((unsigned char)text[i] & 0xC0) != 0x80;
	return col;
}

/* A whole number lo..hi, nothing else. */
static bool whole(const char *s, int lo, int hi, int *out)
{
	if (*s < '0' || *s > '9' || strlen(s) > 4)
		return false;
	char *end;
	long v = strtol(s, &end, 10);
	if (*end || v < lo || v > hi)
		return false;
	*out = (int)v;
	return true;
}

/* A percentage 0..100 with up to two decimals, in basis points. */
static bool percent(const char *s, int32_t *bp)
{
	int whole_part = 0, frac = 0, digits = 0;
	const char *p = s;
	if (*p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9' && whole_part <= 100)
		whole_part = whole_part * 10 + (*p++ - '0');
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9' && digits < 2) {
			frac = frac * 10 + (*p++ - '0');
			digits++;
		}
		if (digits == 0)
			return false;
		if (digits == 1)
			frac *= 10;
	}
	if (*p == '%')
		p++;
	if (*p || whole_part > 100 || (whole_part == 100 && frac))
		return false;
	*bp = whole_part * 100 + frac;
	return true;
}

/* Names the word (its first 40 bytes or so, cut between characters) and
 * its column. */
static bool fail(char *why, size_t n, const char *text, size_t at, const char *word,
                 const char *says)
{
	size_t len = strlen(word), cut = len;
	if (len > 40)
		for (cut = 40; cut > 0 && ((unsigned char)word[cut] & 0xC0) == 0x80; cut--)
			;
	snprintf(why, n, "the rule's word '%.*s%s' (column %d) %s", (int)cut, word,
	         cut < len ? "..." : "", column(text, at), says);
	return false;
}

bool qpc_rule_parse(const char *text, int minor_units, struct qpc_rule *out, char *why,
                    size_t n)
{
	memset(out, 0, sizeof *out);
	out->periods = 1;
	out->months = 12;
	bool any = false;
	size_t len = strlen(text), period_at = 0;
	char period_text[RULE_TYPED + 1] = "";
	if (len > RULE_TYPED) {
		snprintf(why, n, "a rule is at most %d characters", RULE_TYPED);
		return false;
	}
	char word[RULE_TYPED + 1] = { 0 };
	size_t i = 0;
	while (i < len) {
		if (text[i] == ' ' || text[i] == '\t') {
			i++;
			continue;
		}
		size_t at = i, w = 0;
		while (i < len && text[i] != ' ' && text[i] != '\t')
			word[w++] = text[i++];
		word[w] = '\0';
		char *op = strpbrk(word, "<>=");
		if (!op)
			return fail(why, n, text, at, word,
			            "says nothing to check: say categories>=N, sales>=AMOUNT, share>=PERCENT,"
			            " or quarters=N, months=N, years=N");
		size_t klen = (size_t)(op - word);
		const char *value;
		bool at_least = strncmp(op, ">=", 2) == 0;
		if (at_least)
			value = op + 2;
		else if (*op == '=' && op[1] != '=')
			value = op + 1;
		else
			return fail(why, n, text, at, word,
			            "compares with something qpc does not know: say >= (at least), or ="
			            " for the periods");
#define KEY(k) (klen == strlen(k) && strncasecmp(word, k, klen) == 0)
		if (KEY("categories")) {
			if (!at_least)
				return fail(why, n, text, at, word, "needs >=: at least so many categories");
			if (out->categories)
				return fail(why, n, text, at, word, "repeats categories");
			if (!whole(value, 1, 999, &out->categories))
				return fail(why, n, text, at, word, "needs a whole number of categories, 1 to 999");
		} else if (KEY("sales")) {
			const char *bad;
			if (!at_least)
				return fail(why, n, text, at, word, "needs >=: at least so much bought");
			if (out->has_sales)
				return fail(why, n, text, at, word, "repeats sales");
			if (!*value || strpbrk(value, "eE+-") ||
			    !qpc_money_parse_plain(value, minor_units, &out->sales, &bad) || out->sales <= 0)
				return fail(why, n, text, at, word,
				            "needs an amount above 0 in the currency, such as 5000 or 1250.50");
			out->has_sales = true;
		} else if (KEY("share")) {
			if (!at_least)
				return fail(why, n, text, at, word, "needs >=: a share of at least so much");
			if (out->has_share)
				return fail(why, n, text, at, word, "repeats share");
			if (!percent(value, &out->share_bp))
				return fail(why, n, text, at, word,
				            "needs a percentage from 0 to 100, such as 75 or 62.5");
			out->has_share = true;
		} else {
			size_t p;
			for (p = 0; p < sizeof period_words / sizeof *period_words; p++) {
				size_t pl = strlen(period_words[p].word);
				if ((klen == pl || (klen == pl + 1 && (word[pl] == 's' || word[pl] == 'S'))) &&
				    strncasecmp(word, period_words[p].word, pl) == 0)
					break;
			}
			if (p == sizeof period_words / sizeof *period_words)
				return fail(why, n, text, at, word,
				            "is not one qpc knows: say categories>=N, sales>=AMOUNT,"
				            " share>=PERCENT, quarters=N, months=N or years=N");
			if (at_least)
				return fail(why, n, text, at, word, "needs =: how many periods, each checked");
			if (out->period_word[0])
				return fail(why, n, text, at, word, "gives a second period: say one");
			int k;
			if (!whole(value, 1, QPC_RULE_PERIODS_MAX, &k))
				return fail(why, n, text, at, word, "needs a whole number of periods, 1 to 12");
			if (k * period_words[p].months > QPC_RULE_SPAN_MAX)
				return fail(why, n, text, at, word, "goes back more than 36 months");
			out->periods = k;
			out->months = period_words[p].months;
			period_at = at;
			snprintf(period_text, sizeof period_text, "%s", word);
			snprintf(out->period_word, sizeof out->period_word, "%s", period_words[p].word);
			continue; /* says when, not what */
		}
#undef KEY
		any = true;
	}
	if (out->period_word[0] && !out->categories && !out->has_sales)
		return fail(why, n, text, period_at, period_text,
		            "says when, not what: add categories>=N or sales>=AMOUNT to check in each"
		            " period");
	if (!any) {
		snprintf(why, n, "a rule needs categories>=N, sales>=AMOUNT or share>=PERCENT");
		return false;
	}
	return true;
}

/* Basis points as a percentage: 7500 "75", 6250 "62.5", 6255 "62.55". */
static char *bp_text(int32_t bp, char *buf, size_t n)
{
	if (bp % 100 == 0)
		snprintf(buf, n, "%d", (int)(bp / 100));
	else if (bp % 10 == 0)
		snprintf(buf, n, "%d.%d", (int)(bp / 100), (int)(bp % 100 / 10));
	else
		snprintf(buf, n, "%d.%02d", (int)(bp / 100), (int)(bp % 100));
	return buf;
}

char *qpc_rule_format(const struct qpc_rule *r, int minor_units, char *buf, size_t n)
{
	char part[64];
	size_t used = 0;
	buf[0] = '\0';
#define ADD(...)                                                                               \
	do {                                                                                   \
		snprintf(part, sizeof part, __VA_ARGS__);                                       \
		int w_ = snprintf(buf + used, used < n ? n - used : 0, "%s%s", used ? " " : "", \
		                  part);                                                        \
		used += w_ > 0 ? (size_t)w_ : 0;                                                \
		if (used >= n)                                                                  \
			used = n - 1;                                                           \
	} while (0)
	if (r->categories)
		ADD("categories>=%d", r->categories);
	if (r->has_sales) {
		char m[32];
		qpc_money_format(r->sales, minor_units, QPC_MONEY_PLAIN, m, sizeof m);
		char *dot = strchr(m, '.'); /* 1000.00 reads 1000 */
		if (dot && strspn(dot + 1, "0") == strlen(dot + 1))
			*dot = '\0';
		ADD("sales>=%s", m);
	}
	if (r->has_share) {
		char p[16];
		ADD("share>=%s", bp_text(r->share_bp, p, sizeof p));
	}
	if (r->period_word[0])
		ADD("%ss=%d", r->period_word, r->periods);
#undef ADD
	return buf;
}

/* Appends to the evidence. */
static void say(char *buf, size_t n, size_t *used, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void say(char *buf, size_t n, size_t *used, const char *fmt, ...)
{
	if (*used >= n)
		return;
	va_list ap;
	va_start(ap, fmt);
	int w = vsnprintf(buf + *used, n - *used, fmt, ap);
	va_end(ap);
	*used += w > 0 ? (size_t)w : 0;
	if (*used >= n)
		*used = n - 1;
}

bool qpc_rule_check(const struct qpc_rule *r, const struct qpc_rule_facts *f, int minor_units,
                    char *evidence, size_t n)
{
	bool met = true;
	size_t used = 0;
	evidence[0] = '\0';
	bool each = r->period_word[0] && r->periods > 1;
	const char *within = r->period_word[0] ? (r->periods == 1 ? r->period_word : NULL) : NULL;
	char span[32];
	if (within)
		snprintf(span, sizeof span, "the last %s", within);
	else
		snprintf(span, sizeof span, "12 months");
	/* without lines, the CRM's 12-month figure answers sales>= over the
	 * 12 months alone (period[0].sales); categories and periods it cannot */
	if (r->categories && !f->lines) {
		met = false;
		say(evidence, n, &used, "No sales lines, only a 12-month figure: no categories to"
		                        " check.");
	} else if (r->categories) {
		bool ok = true;
		for (int i = 0; i < f->nperiods; i++)
			ok &= f->period[i].categories >= r->categories;
		met &= ok;
		if (each) {
			say(evidence, n, &used, "Categories by %s, oldest first:", r->period_word);
			for (int i = 0; i < f->nperiods; i++)
				say(evidence, n, &used, " %d", f->period[i].categories);
			say(evidence, n, &used, " (needs %d in each).", r->categories);
		} else {
			int c = f->nperiods ? f->period[0].categories : 0;
			say(evidence, n, &used, "%d categor%s in %s (needs %d).", c, c == 1 ? "y" : "ies",
			    span, r->categories);
		}
	}
	char m[32];
	if (r->has_sales && !f->lines && r->period_word[0]) {
		met = false;
		say(evidence, n, &used, "%sNo sales lines, only a 12-month figure: no dates to check"
		    " each %s.", used ? " " : "", r->period_word);
	} else if (r->has_sales) {
		bool ok = f->nperiods > 0;
		for (int i = 0; i < f->nperiods; i++)
			ok &= f->period[i].sales >= r->sales;
		met &= ok;
		if (each) {
			say(evidence, n, &used, "%sBought by %s, oldest first:", used ? " " : "",
			    r->period_word);
			for (int i = 0; i < f->nperiods; i++)
				say(evidence, n, &used, " %s",
				    qpc_money_format(f->period[i].sales, minor_units, QPC_MONEY_GROUPED, m,
				                     sizeof m));
		} else {
			say(evidence, n, &used, "%sBought %s in %s%s", used ? " " : "",
			    qpc_money_format(f->nperiods ? f->period[0].sales : 0, minor_units,
			                     QPC_MONEY_GROUPED, m, sizeof m),
			    span, f->lines ? "" : " (the CRM's figure)");
		}
		say(evidence, n, &used, " (needs %s%s).",
		    qpc_money_format(r->sales, minor_units, QPC_MONEY_GROUPED, m, sizeof m),
		    each ? " in each" : "");
	}
	if (r->has_share) {
		char a[16], b[16];
		if (!f->share_known) {
			met = false;
			say(evidence, n, &used, "%sNo QPC measured, so no share (needs %s%%).",
			    used ? " " : "", bp_text(r->share_bp, b, sizeof b));
		} else {
			met &= f->share_bp >= r->share_bp;
			say(evidence, n, &used, "%sShare %s%% (needs %s%%).", used ? " " : "",
			    bp_text(f->share_bp, a, sizeof a), bp_text(r->share_bp, b, sizeof b));
		}
	}
	return met;
}
