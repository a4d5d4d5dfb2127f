/* editor_model.c — the QPC editor's form: typed text, validation, the
 * sheet to save and the preview.  No curses: see editor_model.h. */
#include "editor_model.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "qpc/typed.h"

const char *const edm_bases[4] = { "customer stated", "formula", "rep estimate",
	                           "purchasing records" };

#define NBASES (sizeof edm_bases / sizeof *edm_bases)
#define FORMULA "formula"

void edm_share_text(int32_t bp, char *buf, size_t n)
{
	if (bp % 100 == 0)
		snprintf(buf, n, "%d%%", bp / 100);
	else
		snprintf(buf, n, "%d.%02d%%", bp / 100, bp % 100);
	/* "37.50%" reads better as "37.5%" */
	size_t len = strlen(buf);
	if (len > 2 && buf[len - 2] == '0' && strchr(buf, '.'))
		memmove(buf + len - 2, buf + len - 1, 2);
}

static void copy(char *dst, const char *src)
{
	snprintf(dst, EDM_TEXT, "%s", src ? src : "");
}

/* --- validation ---------------------------------------------------------- */

static const char *check_amount(const struct edm *m, const char *text, qpc_money *out)
{
	const char *why = NULL;
	/* typed_amount keeps to the importer's limits (a trillion) */
	if (!typed_amount(text, m->minor_units, out, &why))
		return why ? why : "not an amount";
	if (*out < 0)
		return "a QPC cannot be negative";
	return NULL;
}

static const char *check_date(const struct edm *m, const char *text, qpc_date *out)
{
	const char *why = NULL;
	if (!text[0])
		return "when was it measured? (YYYY-MM-DD, today, yesterday)";
	if (!typed_date(text, m->today, out, &why))
		return why ? why : "not a date";
	return typed_measured_on_why(*out, m->today);
}

static const char *check_category(const struct edm *m, int line)
{
	const char *c = m->lines[line].text[EDM_CATEGORY];
	if (!c[0])
		return "a line needs a category";
	if (strlen(c) >= sizeof m->before.lines[0].category)
		return "category name too long";
	for (int i = 0; i < m->nlines; i++)
		if (i != line && strcasecmp(m->lines[i].text[EDM_CATEGORY], c) == 0)
			return "another line has this category";
	return NULL;
}

static void validate(struct edm *m, int line)
{
	struct edm_line *l = &m->lines[line];
	l->why[EDM_CATEGORY] = check_category(m, line);
	l->why[EDM_AMOUNT] = l->text[EDM_AMOUNT][0] ? check_amount(m, l->text[EDM_AMOUNT], &l->amount)
	                                            : "type the amount (12,500 or 12.5k)";
	l->why[EDM_BASIS] = !l->text[EDM_BASIS][0] ? "how was it found? (b cycles the usual bases)"
	                    : strlen(l->text[EDM_BASIS]) >= sizeof m->before.lines[0].basis
	                            ? "basis too long"
	                            : NULL;
	l->why[EDM_VERIFIED] = NULL;
	l->why[EDM_MEASURED] = check_date(m, l->text[EDM_MEASURED], &l->measured_on);
}

/* A category decides duplicates across lines: all of them again. */
static void validate_all(struct edm *m)
{
	for (int i = 0; i < m->nlines; i++)
		validate(m, i);
}

/* --- changes ------------------------------------------------------------- */

void edm_set_share(struct edm *m, const char *text)
{
	copy(m->share_text, text);
	m->share_why = NULL;
	m->has_share = text && text[0];
	if (!m->has_share)
		return;
	if (!typed_share(text, &m->share_bp, &m->share_why))
		m->has_share = false;
	else if (m->share_bp > QPC_BP_ONE)
		m->share_why = "a share above 100%";
}

void edm_load(struct edm *m, const struct qpc_qpc_sheet *sh, int minor_units, qpc_date today)
{
	memset(m, 0, sizeof *m);
	m->before = *sh;
	m->minor_units = minor_units;
	m->today = today;
	m->threshold_bp = QPC_THRESHOLD_DEFAULT;
	for (int i = 0; i < sh->nlines && i < EDM_LINES; i++) {
		const struct qpc_line *s = &sh->lines[i];
		struct edm_line *l = &m->lines[m->nlines++];
		char buf[QPC_DATE_ISO_LEN];
		copy(l->text[EDM_CATEGORY], s->category);
		qpc_money_format(s->amount, minor_units, QPC_MONEY_GROUPED, l->text[EDM_AMOUNT], EDM_TEXT);
		copy(l->text[EDM_BASIS], s->basis);
		copy(l->text[EDM_MEASURED], qpc_date_format(s->measured_on, buf));
		l->verified = s->verified;
		snprintf(l->inputs, sizeof l->inputs, "%s", s->inputs);
		l->from = i;
	}
	char share[32] = "";
	if (sh->has_rep_share)
		edm_share_text(sh->rep_share_bp, share, sizeof share);
	edm_set_share(m, share);
	validate_all(m);
}

void edm_set(struct edm *m, int line, enum edm_field f, const char *text)
{
	if (line < 0 || line >= m->nlines || f == EDM_VERIFIED || f >= EDM_NFIELDS)
		return;
	struct edm_line *l = &m->lines[line];
	copy(l->text[f], text);
	l->dated |= f == EDM_MEASURED;
	if (f == EDM_AMOUNT && l->from >= 0 && !l->dated) {
		const struct qpc_line *was = &m->before.lines[l->from];
		qpc_money v;
		char day[QPC_DATE_ISO_LEN];
		bool same = !check_amount(m, text, &v) && v == was->amount;
		copy(l->text[EDM_MEASURED], qpc_date_format(same ? was->measured_on : m->today, day));
	}
	validate_all(m);
}

int edm_add(struct edm *m, const char *category)
{
	if (m->nlines == EDM_LINES)
		return -1;
	struct edm_line *l = &m->lines[m->nlines];
	char day[QPC_DATE_ISO_LEN];
	memset(l, 0, sizeof *l);
	l->from = -1;
	copy(l->text[EDM_CATEGORY], category);
	copy(l->text[EDM_BASIS], "rep estimate");
	copy(l->text[EDM_MEASURED], qpc_date_format(m->today, day));
	m->nlines++;
	validate_all(m);
	return m->nlines - 1;
}

void edm_delete(struct edm *m, int line)
{
	if (line < 0 || line >= m->nlines)
		return;
	memmove(&m->lines[line], &m->lines[line + 1],
	        (size_t)(m->nlines - line - 1) * sizeof m->lines[0]);
	m->nlines--;
	validate_all(m);
}

bool edm_toggle_verified(struct edm *m, int line, const char **why)
{
	if (line < 0 || line >= m->nlines)
		return false;
	struct edm_line *l = &m->lines[line];
	if (!l->verified && strcmp(l->text[EDM_BASIS], FORMULA) == 0) {
		*why = "an estimate by formula is never verified: give the measured basis first (b)";
		return false;
	}
	l->verified = !l->verified;
	return true;
}

void edm_cycle_basis(struct edm *m, int line)
{
	if (line < 0 || line >= m->nlines)
		return;
	struct edm_line *l = &m->lines[line];
	size_t next = 0;
	for (size_t i = 0; i < NBASES; i++)
		if (strcmp(l->text[EDM_BASIS], edm_bases[i]) == 0)
			next = (i + 1) % NBASES;
	copy(l->text[EDM_BASIS], edm_bases[next]);
	if (strcmp(edm_bases[next], FORMULA) == 0)
		l->verified = false;
	validate(m, line);
}

void edm_fill_estimate(struct edm *m, int line, qpc_money amount, const char *inputs)
{
	if (line < 0 || line >= m->nlines)
		return;
	struct edm_line *l = &m->lines[line];
	char day[QPC_DATE_ISO_LEN];
	qpc_money_format(amount, m->minor_units, QPC_MONEY_GROUPED, l->text[EDM_AMOUNT], EDM_TEXT);
	copy(l->text[EDM_BASIS], FORMULA);
	copy(l->text[EDM_MEASURED], qpc_date_format(m->today, day));
	snprintf(l->inputs, sizeof l->inputs, "%s", inputs ? inputs : "");
	l->verified = false;
	validate(m, line);
}

/* --- results ------------------------------------------------------------- */

bool edm_invalid(const struct edm *m, int *line, enum edm_field *f, const char **why)
{
	for (int i = 0; i < m->nlines; i++)
		for (int k = 0; k < EDM_NFIELDS; k++)
			if (m->lines[i].why[k]) {
				*line = i;
				*f = (enum edm_field)k;
				*why = m->lines[i].why[k];
				return true;
			}
	if (m->share_why) {
		*line = m->nlines;
		*f = EDM_AMOUNT;
		*why = m->share_why;
		return true;
	}
	return false;
}

/* The line as the store sees it; a line left as it was keeps who
 * measured it, a changed one is measured by whoever saves it. */
static void to_line(const struct edm *m, const struct edm_line *l, struct qpc_line *out)
{
	const struct qpc_line *was = l->from >= 0 ? &m->before.lines[l->from] : NULL;
	memset(out, 0, sizeof *out);
	snprintf(out->category, sizeof out->category, "%s", l->text[EDM_CATEGORY]);
	out->amount = l->amount;
	snprintf(out->basis, sizeof out->basis, "%s", l->text[EDM_BASIS]);
	out->verified = l->verified;
	out->measured_on = l->measured_on;
	if (strcmp(l->text[EDM_BASIS], FORMULA) == 0)
		snprintf(out->inputs, sizeof out->inputs, "%s", l->inputs);
	if (!was || strcasecmp(was->category, out->category) != 0)
		return;
	out->category_id = was->category_id;
	out->version = was->version;
	if (was->amount == out->amount && strcmp(was->basis, out->basis) == 0 &&
	    was->verified == out->verified && was->measured_on == out->measured_on &&
	    strcmp(was->inputs, out->inputs) == 0)
		snprintf(out->measured_by, sizeof out->measured_by, "%s", was->measured_by);
}

bool edm_sheet(const struct edm *m, struct qpc_qpc_sheet *after)
{
	int line;
	enum edm_field f;
	const char *why;
	if (edm_invalid(m, &line, &f, &why))
		return false;
	*after = m->before;
	after->nlines = m->nlines;
	for (int i = 0; i < m->nlines; i++)
		to_line(m, &m->lines[i], &after->lines[i]);
	after->has_rep_share = m->has_share;
	after->rep_share_bp = m->has_share ? m->share_bp : 0;
	return true;
}

static const struct qpc_line *find(const struct qpc_qpc_sheet *sh, const char *category)
{
	for (int i = 0; i < sh->nlines; i++)
		if (strcasecmp(sh->lines[i].category, category) == 0)
			return &sh->lines[i];
	return NULL;
}

bool edm_dirty(const struct edm *m)
{
	struct qpc_qpc_sheet after;
	if (!edm_sheet(m, &after))
		return true;
	const struct qpc_qpc_sheet *b = &m->before;
	if (after.nlines != b->nlines || after.has_rep_share != b->has_rep_share ||
	    (after.has_rep_share && after.rep_share_bp != b->rep_share_bp))
		return true;
	for (int i = 0; i < after.nlines; i++) {
		const struct qpc_line *a = &after.lines[i], *o = find(b, a->category);
		if (!o || strcmp(o->category, a->category) != 0 || o->amount != a->amount ||
		    strcmp(o->basis, a->basis) != 0 || o->verified != a->verified ||
		    o->measured_on != a->measured_on || strcmp(o->inputs, a->inputs) != 0)
			return true;
	}
	return false;
}

void edm_preview(const struct edm *m, struct edm_preview *p)
{
	memset(p, 0, sizeof *p);
	p->complete = true;
	for (int i = 0; i < m->nlines; i++) {
		const struct edm_line *l = &m->lines[i];
		if (l->why[EDM_AMOUNT]) {
			p->complete = false;
			continue;
		}
		p->measured = true;
		if (!qpc_money_add(p->qpc, l->amount, &p->qpc))
			p->qpc = QPC_MONEY_MAX;
	}
	p->share = qpc_share_of(m->sales_12m, p->measured, p->qpc);
	p->status = qpc_status_of(m->sales_12m, p->share, m->contract_partner, m->candidate,
	                          m->threshold_bp);
	p->change = m->status != QPC_PARTNER && p->status == QPC_PARTNER   ? "becomes a partner"
	            : m->status == QPC_PARTNER && p->status != QPC_PARTNER ? "stops being a partner"
	                                                                   : "";
}
