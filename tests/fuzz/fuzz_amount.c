/* fuzz_amount.c — amount_parse, amount_parse_count, amount_parse_share,
 * the decimal-separator sniff, and qpc_money_format read back.
 *
 * Input: one option byte, then the text.  With v = option byte - '0':
 * minor units = v % 5, separator mode = (v / 5) % 3 (AUTO, POINT, COMMA).
 * So a seed "2$1,234.50" reads "$1,234.50" with 2 decimals in AUTO, "7..."
 * in POINT, "<..." in COMMA.
 *
 * Invariants (beyond "no crash, no sanitizer report"):
 *  - failure leaves *out untouched; INVALID and AMBIGUOUS give a reason;
 *    AMBIGUOUS only in AUTO; the currency marker is short and comes from s;
 *  - a value parsed in AUTO is the value one forced mode reads, and no
 *    forced mode reads another value (AUTO never guesses);
 *  - qpc_money_format(v) (plain and grouped) parses back to v;
 *  - "(s)" is -v when it parses;
 *  - counts are whole and >= 0, and agree with amount_parse at 4 decimals;
 *  - shares are within 0..10000%;
 *  - the sniff files a value under exactly one heading, and what the
 *    heading says holds: "invalid" has no reading, "ambiguous" is
 *    refused in AUTO, "point" does not read with a decimal comma, ...
 */
#include "fuzz.h"

#include "qpc/amount.h"

#define SENTINEL ((qpc_money)0x5A5A5A5A5A5A5A5ALL)

static const char *const dec_name[] = { "AUTO", "POINT", "COMMA" };

struct reading {
	enum amount_rc rc;
	qpc_money v;
	char cur[AMOUNT_CURRENCY_MAX];
	const char *why;
};

static struct reading parse(const char *s, enum amount_dec dec, int mu)
{
	struct reading r = { .v = SENTINEL };
	memset(r.cur, 'x', sizeof r.cur);
	r.rc = amount_parse(s, dec, mu, &r.v, r.cur, &r.why);
	FUZZ_CHECK(r.rc >= AMOUNT_OK && r.rc <= AMOUNT_INVALID, "rc %d", (int)r.rc);
	if (r.rc != AMOUNT_OK) {
		FUZZ_CHECK(r.v == SENTINEL, "'%s' %s: failed but wrote %lld", s, dec_name[dec],
			   (long long)r.v);
		if (r.rc != AMOUNT_EMPTY)
			FUZZ_CHECK(r.why != NULL, "'%s' %s: rc %d without a reason", s, dec_name[dec],
				   (int)r.rc);
	} else {
		FUZZ_CHECK(memchr(r.cur, '\0', sizeof r.cur) != NULL, "'%s': currency not terminated",
			   s);
		FUZZ_CHECK(strstr(s, r.cur) != NULL, "'%s': currency '%s' not in the text", s, r.cur);
	}
	if (r.rc == AMOUNT_AMBIGUOUS)
		FUZZ_CHECK(dec == AMOUNT_DEC_AUTO, "'%s': ambiguous in %s mode", s, dec_name[dec]);
	return r;
}

/* Formats v and reads it back. */
static void format_round_trip(qpc_money v, int mu)
{
	char buf[32];
	if (v == INT64_MIN) /* its magnitude is out of range by design */
		return;
	static const enum qpc_money_fmt fmts[] = { QPC_MONEY_PLAIN, QPC_MONEY_GROUPED };
	for (size_t i = 0; i < 2; i++) {
		qpc_money_format(v, mu, fmts[i], buf, sizeof buf);
		FUZZ_CHECK(strlen(buf) < sizeof buf - 1, "format of %lld too long: %s", (long long)v,
			   buf);
		struct reading r = parse(buf, AMOUNT_DEC_POINT, mu);
		FUZZ_CHECK(r.rc == AMOUNT_OK && r.v == v,
			   "%lld (%d decimals) formatted as '%s' reads back as rc %d value %lld (%s)",
			   (long long)v, mu, buf, (int)r.rc, (long long)r.v, r.why ? r.why : "");
		struct reading a = parse(buf, AMOUNT_DEC_AUTO, mu);
		FUZZ_CHECK(a.rc == AMOUNT_AMBIGUOUS || (a.rc == AMOUNT_OK && a.v == v),
			   "'%s' in AUTO: rc %d value %lld (%s)", buf, (int)a.rc, (long long)a.v,
			   a.why ? a.why : "");
	}
	qpc_money_format(v, mu, QPC_MONEY_SHORT, buf, sizeof buf);
	FUZZ_CHECK(strlen(buf) < sizeof buf - 1, "short format of %lld too long", (long long)v);
}

static void check_amounts(const char *s, enum amount_dec dec, int mu)
{
	struct reading r[3];
	for (int d = 0; d < 3; d++)
		r[d] = parse(s, (enum amount_dec)d, mu);
	struct reading *a = &r[AMOUNT_DEC_AUTO], *p = &r[AMOUNT_DEC_POINT], *c = &r[AMOUNT_DEC_COMMA];

	/* EMPTY is a property of the text, not of the mode. */
	FUZZ_CHECK((a->rc == AMOUNT_EMPTY) == (p->rc == AMOUNT_EMPTY) &&
			   (a->rc == AMOUNT_EMPTY) == (c->rc == AMOUNT_EMPTY),
		   "'%s': empty in some modes only (%d %d %d)", s, (int)a->rc, (int)p->rc,
		   (int)c->rc);
	if (a->rc == AMOUNT_OK) {
		FUZZ_CHECK((p->rc == AMOUNT_OK && p->v == a->v) || (c->rc == AMOUNT_OK && c->v == a->v),
			   "'%s': AUTO reads %lld, POINT rc %d %lld, COMMA rc %d %lld", s,
			   (long long)a->v, (int)p->rc, (long long)p->v, (int)c->rc, (long long)c->v);
		for (int d = 1; d < 3; d++)
			FUZZ_CHECK(r[d].rc != AMOUNT_OK || r[d].v == a->v,
				   "'%s': AUTO reads %lld but %s reads %lld: a guess", s,
				   (long long)a->v, dec_name[d], (long long)r[d].v);
	}
	if (a->rc == AMOUNT_AMBIGUOUS)
		FUZZ_CHECK(p->rc != AMOUNT_OK || c->rc != AMOUNT_OK || p->v != c->v,
			   "'%s': called ambiguous but both modes read %lld", s, (long long)p->v);

	struct reading *mine = &r[dec];
	if (mine->rc == AMOUNT_OK) {
		format_round_trip(mine->v, mu);
		/* Parentheses negate. */
		if (!strpbrk(s, "()") && mine->v != INT64_MIN) {
			size_t n = strlen(s);
			char *q = malloc(n + 3);
			if (!q)
				abort();
			snprintf(q, n + 3, "(%s)", s);
			struct reading neg = parse(q, dec, mu);
			FUZZ_CHECK(neg.rc != AMOUNT_OK || neg.v == -mine->v,
				   "'%s' reads %lld but '%s' reads %lld", s, (long long)mine->v, q,
				   (long long)neg.v);
			free(q);
		}
	}
}

static void check_count(const char *s, enum amount_dec dec)
{
	int64_t n = -77;
	const char *why = NULL;
	enum amount_rc rc = amount_parse_count(s, dec, &n, &why);
	if (rc != AMOUNT_OK) {
		FUZZ_CHECK(n == -77, "'%s': count failed but wrote %lld", s, (long long)n);
		return;
	}
	FUZZ_CHECK(n >= 0, "'%s': negative count %lld", s, (long long)n);
	struct reading r = parse(s, dec, 4);
	FUZZ_CHECK(r.rc == AMOUNT_AMBIGUOUS || (r.rc == AMOUNT_OK && r.v == n * 10000),
		   "'%s' %s: count %lld but amount rc %d %lld", s, dec_name[dec], (long long)n,
		   (int)r.rc, (long long)r.v);
}

static void check_share(const char *s, enum amount_dec dec)
{
	int32_t bp = -77;
	const char *why = NULL;
	enum amount_rc rc = amount_parse_share(s, dec, &bp, &why);
	if (rc != AMOUNT_OK) {
		FUZZ_CHECK(bp == -77, "'%s': share failed but wrote %d", s, (int)bp);
		if (rc != AMOUNT_EMPTY)
			FUZZ_CHECK(why != NULL, "'%s': share rc %d without a reason", s, (int)rc);
		return;
	}
	FUZZ_CHECK(bp >= 0 && bp <= 1000000, "'%s': share %d bp out of range", s, (int)bp);
}

static void check_sniff(const char *s, int mu)
{
	struct amount_sniff sn;
	amount_sniff_init(&sn);
	amount_sniff_add(&sn, s);
	unsigned long total = sn.point + sn.comma + sn.ambiguous + sn.neutral + sn.invalid;
	FUZZ_CHECK(total == 1, "'%s': sniff counted %lu headings", s, total);
	struct reading a = parse(s, AMOUNT_DEC_AUTO, mu), p = parse(s, AMOUNT_DEC_POINT, mu),
		       c = parse(s, AMOUNT_DEC_COMMA, mu);
	if (sn.invalid)
		FUZZ_CHECK(a.rc != AMOUNT_OK && p.rc != AMOUNT_OK && c.rc != AMOUNT_OK,
			   "'%s': sniffed invalid, yet reads (AUTO %d, POINT %d, COMMA %d)", s,
			   (int)a.rc, (int)p.rc, (int)c.rc);
	FUZZ_CHECK((sn.ambiguous != 0) == (a.rc == AMOUNT_AMBIGUOUS),
		   "'%s': sniffed ambiguous %lu, AUTO rc %d", s, sn.ambiguous, (int)a.rc);
	if (sn.point)
		FUZZ_CHECK(c.rc != AMOUNT_OK, "'%s': sniffed point, yet COMMA reads %lld", s,
			   (long long)c.v);
	if (sn.comma)
		FUZZ_CHECK(p.rc != AMOUNT_OK, "'%s': sniffed comma, yet POINT reads %lld", s,
			   (long long)p.v);
	if (sn.neutral && p.rc == AMOUNT_OK && c.rc == AMOUNT_OK)
		FUZZ_CHECK(p.v == c.v, "'%s': sniffed neutral, POINT %lld COMMA %lld", s,
			   (long long)p.v, (long long)c.v);
	enum amount_verdict v = amount_sniff_result(&sn);
	enum amount_dec d = amount_sniff_dec(&sn);
	FUZZ_CHECK(v != AMOUNT_CONFLICT, "one value cannot conflict with itself");
	FUZZ_CHECK(d == (v == AMOUNT_POINT ? AMOUNT_DEC_POINT
					   : v == AMOUNT_COMMA ? AMOUNT_DEC_COMMA : AMOUNT_DEC_AUTO),
		   "verdict %d, mode %d", (int)v, (int)d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 512)
		return 0;
	unsigned v = (unsigned)(uint8_t)(data[0] - '0');
	int mu = (int)(v % 5);
	enum amount_dec dec = (enum amount_dec)(v / 5 % 3);
	char *s = fuzz_str(data + 1, size - 1);
	check_amounts(s, dec, mu);
	check_count(s, dec);
	check_share(s, dec);
	check_sniff(s, mu);
	free(s);
	/* Any 64-bit value, formatted and read back. */
	if (size >= 9) {
		uint64_t u;
		memcpy(&u, data + 1, 8);
		format_round_trip((qpc_money)u, mu);
	}
	return 0;
}
