/* browse_text.c — search text: names and ids that contain it, ignoring
 * case, checked row by row here and found through the trigram index. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700 /* towlower() on wint_t */
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "browse_int.h"

/* Decodes one UTF-8 character at s into *cp; returns its length, or 0 for
 * a byte that does not start a valid character (kept as it is). */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
	size_t len = s[0] < 0x80 ? 1 : s[0] < 0xc2 ? 0 : s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : s[0] < 0xf5 ? 4 : 0;
	if (len <= 1) {
		*cp = s[0];
		return len;
	}
	*cp = s[0] & (0x7f >> len);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (s[i] & 0x3f);
	}
	return *cp < 0x110000 && !(*cp >= 0xd800 && *cp <= 0xdfff) ? len : 0;
}

static size_t utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

bool br_fold(const char *s, char *out, size_t n)
{
	size_t pos = 0;
	while (*s) {
		uint32_t cp;
		char enc[4];
		size_t len = utf8_decode((const unsigned char *)s, &cp), k;
		if (len == 0) { /* a stray byte stands for itself */
			enc[0] = *s;
			k = 1;
			len = 1;
		} else {
			wint_t lo = cp < 0x80 ? (wint_t)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp)
			                      : towlower((wint_t)cp);
			k = utf8_encode(lo < 0x110000 ? (uint32_t)lo : cp, enc);
		}
		if (pos + k >= n)
			return false;
		memcpy(out + pos, enc, k);
		pos += k;
		s += len;
	}
	if (n > 0)
		out[pos] = '\0';
	return n > 0;
}

/* Whether hay contains the folded needle, ignoring case. */
static bool contains(const char *hay, const char *needle)
{
	char buf[512];
	size_t need = 2 * strlen(hay) + 1;
	char *fold = need <= sizeof buf ? buf : malloc(need);
	if (!fold)
		return false;
	bool found = br_fold(hay, fold, need) && strstr(fold, needle) != NULL;
	if (fold != buf)
		free(fold);
	return found;
}

bool br_passes(struct qpc_browse *b, const struct qpc_filter *f, const char *folded,
               struct st_q *q, int col0)
{
	const char *t;
	if (f->owner[0] && (!(t = st_q_text_at(q, col0 + R_OWNER)) || strcmp(t, f->owner) != 0))
		return false;
	if (f->segment[0] && (!(t = st_q_text_at(q, col0 + R_SEGMENT)) || strcmp(t, f->segment) != 0))
		return false;
	if (f->status >= 0 && (!(t = st_q_text_at(q, col0 + R_STATUS)) ||
	                       strcmp(t, qpc_status_name((enum qpc_status)f->status)) != 0))
		return false;
	if (f->stale && !br_is_stale(b, q, col0))
		return false;
	if (f->under && !br_is_under(b, q, col0))
		return false;
	/* quality: NULL unless a partner, 0 confirmed, else why provisional */
	if (f->provisional && (st_q_null_at(q, col0 + R_QUALITY) || st_q_int_at(q, col0 + R_QUALITY) <= 0))
		return false;
	if (f->at_risk && !br_risk_find(b, st_q_int_at(q, col0 + R_ID)))
		return false;
	if (folded && *folded) {
		const char *name = st_q_text_at(q, col0 + R_NAME);
		const char *ext = st_q_text_at(q, col0 + R_EXT);
		if (!(name && contains(name, folded)) && !(ext && contains(ext, folded)))
			return false;
	}
	return true;
}

/* Bytes of the UTF-8 character that starts at s (1 for a stray byte). */
static size_t char_len(const char *s)
{
	size_t k = 1;
	while (s[k] && ((unsigned char)s[k] & 0xc0) == 0x80 && k < 4)
		k++;
	return k;
}

/* The trigram index keeps no positions (detail=none: a third of the size,
 * built in a third of the time), so a phrase cannot be asked for: the
 * query is every trigram of the text, ANDed.  Rows with all of them in
 * some order are a superset of those that contain the text; the text is
 * then checked row by row (br_passes), so the count only ever
 * overestimates.  Trigrams past what fits in out are left out, which
 * widens the superset the same way. */
void br_fts_query(const char *text, char *out, size_t n)
{
	size_t pos = 0;
	if (n)
		out[0] = '\0';
	for (const char *p = text; *p; p += char_len(p)) {
		const char *q = p + char_len(p);
		if (!*q || !*(q += char_len(q)))
			break;
		size_t end = (size_t)(q - p) + char_len(q), need = 2 * end + 7;
		if (pos + need >= n)
			break;
		if (pos) {
			memcpy(out + pos, " AND ", 5);
			pos += 5;
		}
		out[pos++] = '"';
		for (size_t i = 0; i < end; i++) {
			if (p[i] == '"')
				out[pos++] = '"';
			out[pos++] = p[i];
		}
		out[pos++] = '"';
		out[pos] = '\0';
	}
}

/* Characters (not bytes) in s, up to 3: the trigram index needs 3. */
static int chars_up_to_3(const char *s)
{
	int n = 0;
	for (; *s && n < 3; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

bool br_like_pattern(const char *text, char *out, size_t n)
{
	char folded[4 * QPC_SEARCH_MAX];
	size_t pos = 0;
	if (n < 3 || !br_fold(text, folded, sizeof folded))
		return false;
	out[pos++] = '%';
	for (const char *p = folded; *p; p++) {
		if (pos + 4 > n) /* an escaped byte, the closing % and the NUL */
			return false;
		if (*p == '\\' || *p == '%' || *p == '_')
			out[pos++] = '\\';
		out[pos++] = *p;
	}
	out[pos++] = '%';
	out[pos] = '\0';
	return true;
}

enum qpc_rc br_fts_count(struct qpc_browse *b, const char *text, int64_t *n,
                         struct qpc_error *e)
{
	/* The matches go to a temporary table, counted as they are written,
	 * so that a small set is read from there, not looked up a second
	 * time. */
	static const char clear_sql[] = "DELETE FROM browse_hits";
	static const char sql[] = "INSERT INTO browse_hits SELECT rowid FROM account_fts"
	                          " WHERE account_fts MATCH ?1 LIMIT ?2";
	/* A team server has no account_fts: the session's account table has
	 * a search_key, the name and the external id folded by br_fold(), and
	 * a trigram index (pg_trgm) on it that answers LIKE. */
	static const char pg_sql[] = "INSERT INTO browse_hits SELECT a.id FROM account a"
	                             " WHERE a.search_key LIKE ?1 ESCAPE '\\' LIMIT ?2";
	/* "don't know": the rows are checked one by one instead, as they are
	 * while a bulk load has left the trigram index empty (browse_int.h) */
	if (chars_up_to_3(text) < 3 || br_unindexed(b)) {
		*n = -1;
		return QPC_OK;
	}
	if (b->fts_valid && strcmp(b->fts_text, text) == 0) {
		*n = b->fts_n;
		return QPC_OK;
	}
	b->fts_valid = false;
	char match[8 * QPC_SEARCH_MAX];
	if (!b->st->pg) {
		br_fts_query(text, match, sizeof match);
	} else if (!br_like_pattern(text, match, sizeof match)) {
		*n = -1;
		return QPC_OK;
	}
	struct st_q *q = NULL;
	enum qpc_rc rc = br_ready(b, e); /* the copy first, then its index */
	if (!rc)
		rc = br_server_search_index(b, e);
	if (!rc && !(rc = br_q(b, &q, clear_sql, e)))
		rc = st_q_done(q, "searching names", e);
	st_q_free(q);
	if (rc || (rc = br_q(b, &q, b->st->pg ? pg_sql : sql, e)))
		return rc;
	st_q_text(q, 1, match);
	st_q_int(q, 2, (int64_t)b->small_set + 1);
	int64_t hits = 0;
	if (st_q_step(q) != ST_DONE)
		rc = st_q_fail(q, "searching names", e);
	else
		hits = st_q_changes(q);
	st_q_free(q);
	if (rc)
		return rc;
	*n = hits;
	snprintf(b->fts_text, sizeof b->fts_text, "%s", text);
	b->fts_n = *n;
	b->fts_valid = true;
	return QPC_OK;
}

enum qpc_rc qpc_browse_match_count(struct qpc_browse *b, const struct qpc_filter *f,
                                   int64_t *n, bool *exact, struct qpc_error *e)
{
	static const char sql[] =
		"SELECT " BR_ROW_COLUMNS " FROM account a WHERE a.id IN (SELECT id FROM browse_hits)";
	int64_t fts;
	*n = 0;
	*exact = false;
	enum qpc_rc rc = br_fts_count(b, f->text, &fts, e);
	if (!rc && f->under)
		rc = br_estimates_load(b, e);
	if (!rc && f->at_risk)
		rc = br_risk_load(b, e);
	if (rc || fts < 0 || fts > b->small_set)
		return rc;
	char folded[2 * QPC_SEARCH_MAX + 1];
	if (!br_fold(f->text, folded, sizeof folded))
		return QPC_OK;
	struct st_q *q;
	if ((rc = br_q(b, &q, sql, e)))
		return rc;
	int r;
	while ((r = st_q_step(q)) == ST_ROW)
		if (br_passes(b, f, folded, q, 0))
			++*n;
	if (r != ST_DONE)
		rc = st_q_fail(q, "counting matches", e);
	st_q_free(q);
	*exact = rc == QPC_OK;
	return rc;
}

