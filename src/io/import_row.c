/* import_row.c — one CSV row to one account, sales line or QPC line. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import_internal.h"
#include "qpc/typed.h"

static bool blank(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return !*s;
}

const char *imp_text(const struct importer *im, const char *s)
{
	return im->o->raw ? s : csvw_unguard(s);
}

const char *imp_cell(const struct importer *im, const struct csv_record *rec,
                     enum import_field f)
{
	int c = im->col[f];
	if (c < 0 || (size_t)c >= rec->nfields)
		return "";
	const char *s = rec->fields[c].s;
	if (im->fill[f] && blank(s))
		return imp_text(im, im->fill[f]);
	return imp_text(im, s);
}

/* Why a row is refused: found first, told by imp_reject() later (in the
 * thread that may touch the result).  Returns false, for the caller's
 * return. */
static bool refuse(struct verdict *v, enum import_field f, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static bool refuse(struct verdict *v, enum import_field f, const char *fmt, ...)
{
	va_list ap;
	v->f = f;
	va_start(ap, fmt);
	vsnprintf(v->why, sizeof v->why, fmt, ap);
	va_end(ap);
	return false;
}

/* Tells a refused row; QPC_OK, so that reading goes on. */
static enum qpc_rc told(struct importer *im, const struct csv_record *rec,
                        const struct verdict *v)
{
	imp_reject(im, rec, v->f, "%s", v->why);
	return QPC_OK;
}

/* s without the spaces and tabs around it, cut to n - 1 bytes, in buf.
 * (Six cells a row of a million-row file: no snprintf.) */
static const char *trimmed(const char *s, char *buf, size_t n)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t len = strlen(s);
	if (len > n - 1)
		len = n - 1;
	memcpy(buf, s, len);
	while (len > 0 && (buf[len - 1] == ' ' || buf[len - 1] == '\t'))
		len--;
	buf[len] = '\0';
	return buf;
}

/* yes/no as CRMs write it; *ok false when it is neither. */
static bool boolean(const char *s, bool *ok)
{
	static const char *const yes[] = { "1", "true", "yes", "y", "x", "t", "won", "closed won",
		                           "closedwon", "ja", "oui", "si", NULL };
	static const char *const no[] = { "0", "false", "no", "n", "f", "", "lost", "open",
		                          "closed lost", "closedlost", "nein", "non", NULL };
	char b[32];
	trimmed(s, b, sizeof b);
	*ok = true;
	for (int i = 0; yes[i]; i++)
		if (strcasecmp(b, yes[i]) == 0)
			return true;
	for (int i = 0; no[i]; i++)
		if (strcasecmp(b, no[i]) == 0)
			return false;
	*ok = false;
	return false;
}

/* Parses money in units decimals; false (with v) when bad.  *has false
 * when blank. */
static bool money_in(const struct importer *im, const struct csv_record *rec,
                     enum import_field f, bool *has, qpc_money *out, bool allow_negative,
                     int units, struct verdict *v)
{
	const char *s = imp_cell(im, rec, f), *why = NULL;
	*has = false;
	if (blank(s))
		return true;
	switch (amount_parse(s, im->dec, units, out, NULL, &why)) {
	case AMOUNT_OK:
		break;
	case AMOUNT_EMPTY:
		return true;
	case AMOUNT_AMBIGUOUS:
		return refuse(v, f, "'%s' reads two ways (%s); pass --decimal . or --decimal ,", s,
		              why ? why : "thousands or decimals");
	default:
		return refuse(v, f, "'%s' is not an amount: %s", s, why ? why : "unreadable");
	}
	if (!amount_in_range(*out, units)) /* the limit of every entry path */
		return refuse(v, f, "'%s' is beyond what qpc accepts (1,000,000,000,000)", s);
	if (*out < 0 && !allow_negative)
		return refuse(v, f, "'%s' is negative", s);
	*has = true;
	return true;
}

/* Money in the currency's minor units. */
static bool money(const struct importer *im, const struct csv_record *rec, enum import_field f,
                  bool *has, qpc_money *out, bool allow_negative, struct verdict *v)
{
	return money_in(im, rec, f, has, out, allow_negative, im->minor_units, v);
}

static bool date(const struct importer *im, const struct csv_record *rec, enum import_field f,
                 bool *has, qpc_date *out, struct verdict *v)
{
	const char *s = imp_cell(im, rec, f), *why = NULL;
	enum dateparse_rc rc;
	*has = false;
	if (blank(s))
		return true;
	if (im->o->date_format)
		rc = dateparse_with_format(s, im->o->date_format, out, &why);
	else
		rc = dateparse_value(s, im->order[f == F_DATE ? 0 : 1], out, &why);
	if (rc == DATEPARSE_EMPTY)
		return true;
	if (rc == DATEPARSE_AMBIGUOUS)
		return refuse(v, f, "'%s' could be day-first or month-first; pass --date-order", s);
	if (rc != DATEPARSE_OK)
		return refuse(v, f, "'%s' is not a date%s%s%s%s", s, im->o->date_format ? " as " : "",
		              im->o->date_format ? im->o->date_format : "", why ? ": " : "",
		              why ? why : "");
	if (!dateparse_in_range(*out)) /* the limit of every entry path */
		return refuse(v, f, "'%s' is out of range (" DATEPARSE_YEARS ")", s);
	*has = true;
	return true;
}

/* The account a row names: external id and name, normalised. */
static bool account_key(const struct importer *im, const struct csv_record *rec, char *ext,
                        size_t n_ext, char *name, size_t n_name, struct verdict *v)
{
	trimmed(imp_cell(im, rec, F_EXTERNAL_ID), ext, n_ext);
	trimmed(imp_cell(im, rec, F_NAME), name, n_name);
	char sf[19];
	if (profile_salesforce_ids(im->prof) && profile_sfid18(ext, sf))
		snprintf(ext, n_ext, "%s", sf);
	if (!*ext && !*name)
		return refuse(v, im->col[F_NAME] >= 0 ? F_NAME : F_EXTERNAL_ID,
		              "no account id or name");
	return true;
}

/* Leaves out a row that a later one with the same key replaces (see
 * import_dup.c), with a warning naming both lines; true when it did.
 * what is the key's kind, "account" or "QPC line". */
static bool replaced(struct importer *im, const struct csv_record *rec, const char *what)
{
	uint64_t by = dup_replaced_by(im, rec->line);
	if (!by)
		return false;
	struct import_result *r = im->r;
	r->replaced++;
	if (r->nwarnings < IMPORT_MAX_ERRORS) {
		char ext[256], name[512], cat[256];
		struct verdict v;
		account_key(im, rec, ext, sizeof ext, name, sizeof name, &v);
		trimmed(imp_cell(im, rec, F_CATEGORY), cat, sizeof cat);
		/* long names are cut: the lines are what the warning is for */
		snprintf(r->warnings[r->nwarnings++], sizeof r->warnings[0],
		         "%s:%llu: the same %s as %s:%llu (%.40s%s%.60s%s%.40s): the later row wins",
		         im->name, (unsigned long long)rec->line, what, im->name,
		         (unsigned long long)by, ext, *ext && *name ? ", " : "", name,
		         *cat ? ", " : "", cat);
	}
	return true;
}

static bool skip_row(const struct importer *im, const struct csv_record *rec)
{
	bool ok;
	if (im->col[F_DELETED] >= 0 && boolean(imp_cell(im, rec, F_DELETED), &ok) && ok)
		return true;
	if (im->col[F_WON] >= 0 && !boolean(imp_cell(im, rec, F_WON), &ok))
		return true;
	if (im->col[F_ACCOUNT_TYPE] >= 0) {
		char t[32];
		trimmed(imp_cell(im, rec, F_ACCOUNT_TYPE), t, sizeof t);
		if (strcasecmp(t, "individual") == 0 || strcasecmp(t, "person") == 0 ||
		    strcasecmp(t, "contact") == 0)
			return true;
	}
	return false;
}

/* The longest value of a text field that is kept (its buffer less the
 * NUL); 0 for fields not copied into a buffer. */
static size_t text_max(enum import_field f)
{
	switch (f) {
	case F_NAME:
		return 511;
	case F_EXTERNAL_ID:
	case F_OWNER:
	case F_SEGMENT:
	case F_CITY:
	case F_COUNTRY:
	case F_CATEGORY:
	case F_LINE_ID:
	case F_BASIS:
	case F_MEASURED_BY:
		return 255;
	default:
		return 0;
	}
}

/* What every kind checks first: the row's shape, whether the file marks
 * it as one to leave out (*skip), and that its text fits.  False (with v)
 * when the row is refused. */
static bool row_checks(const struct importer *im, const struct csv_record *rec, bool *skip,
                       struct verdict *v)
{
	*skip = false;
	if (rec->nfields != im->ncols)
		return refuse(v, F_NONE, "%zu fields where the header has %zu%s", rec->nfields,
		              im->ncols,
		              rec->nfields > im->ncols ? " (a delimiter inside an unquoted value?)" : "");
	if (skip_row(im, rec)) {
		*skip = true;
		return true;
	}
	/* Text is read into fixed buffers: a value too long for its buffer is
	 * refused, not cut short (two long ids would become one account). */
	for (size_t c = 0; c < im->ncols; c++) {
		size_t max = text_max(im->colfield[c]), len = rec->fields[c].len;
		if (!max)
			continue;
		const char *t = imp_text(im, rec->fields[c].s);
		len -= (size_t)(t - rec->fields[c].s);
		while (len > 0 && (*t == ' ' || *t == '\t'))
			t++, len--;
		while (len > 0 && (t[len - 1] == ' ' || t[len - 1] == '\t'))
			len--;
		if (len > max)
			return refuse(v, im->colfield[c], "too long: %zu bytes where at most %zu are kept",
			              len, max);
	}
	return true;
}

/* --- accounts: converted in the reading thread, stored in the caller's --- */

enum { PREP_ROW, PREP_SKIP, PREP_REFUSED };

static void account_convert(const struct importer *im, const struct csv_record *rec,
                            struct account_prep *p)
{
	static const struct {
		enum import_field f;
		unsigned bit;
	} bits[] = {
		{ F_OWNER, QPC_AF_OWNER }, { F_SEGMENT, QPC_AF_SEGMENT }, { F_CITY, QPC_AF_CITY },
		{ F_COUNTRY, QPC_AF_COUNTRY }, { F_NOTES, QPC_AF_NOTES },
		{ F_EMPLOYEES, QPC_AF_EMPLOYEES }, { F_ANNUAL_REVENUE, QPC_AF_REVENUE },
		{ F_CONTRACT_PARTNER, QPC_AF_CONTRACT }, { F_CONTRACT_VALUE, QPC_AF_CONTRACT_VALUE },
		{ F_REP_SHARE, QPC_AF_REP_SHARE }, { F_COST_TO_SERVE, QPC_AF_COST },
		{ F_SALES_12M, QPC_AF_SALES_12M }, { F_GP_12M, QPC_AF_GP_12M },
		{ F_CONTRACT_SIGNED, QPC_AF_CONTRACT_DATES },
	};
	char ext[256], name[512];
	bool skip;
	struct qpc_account_rec *a = &p->a;
	memset(a, 0, sizeof *a);
	p->what = PREP_REFUSED;
	if (!row_checks(im, rec, &skip, &p->v))
		return;
	if (skip) {
		p->what = PREP_SKIP;
		return;
	}
	if (!account_key(im, rec, ext, sizeof ext, name, sizeof name, &p->v))
		return;
	if (!*name) {
		refuse(&p->v, F_NAME, "the account has no name");
		return;
	}
	p->fields = 0;
	for (size_t i = 0; i < sizeof bits / sizeof *bits; i++)
		if (im->col[bits[i].f] >= 0)
			p->fields |= bits[i].bit;

	const char *s, *why = NULL;
	if (!blank(s = imp_cell(im, rec, F_EMPLOYEES))) {
		if (amount_parse_count(s, im->dec, &a->employees, &why) != AMOUNT_OK ||
		    a->employees > 100000000) {
			refuse(&p->v, F_EMPLOYEES, "'%s' is not a number of employees%s%s", s,
			       why ? ": " : "", why ? why : "");
			return;
		}
		a->has_employees = true;
	}
	if (!blank(s = imp_cell(im, rec, F_REP_SHARE))) {
		if (amount_parse_share(s, im->dec, &a->rep_share_bp, &why) != AMOUNT_OK) {
			refuse(&p->v, F_REP_SHARE, "'%s' is not a share: %s", s, why ? why : "?");
			return;
		}
		a->has_rep_share = true;
	}
	a->facts_on = im->o->today;
	if (im->col[F_CONTRACT_PARTNER] >= 0) {
		bool ok;
		a->contract_partner = boolean(s = imp_cell(im, rec, F_CONTRACT_PARTNER), &ok);
		if (!ok) {
			refuse(&p->v, F_CONTRACT_PARTNER, "'%s' is neither yes nor no", s);
			return;
		}
	}
	if (!date(im, rec, F_CONTRACT_SIGNED, &a->has_contract_signed, &a->contract_signed, &p->v) ||
	    !date(im, rec, F_CONTRACT_ENDS, &a->has_contract_ends, &a->contract_ends, &p->v))
		return;
	if (a->has_contract_ends && !a->has_contract_signed) {
		refuse(&p->v, F_CONTRACT_ENDS, "a contract's end needs the day it was signed");
		return;
	}
	if (a->has_contract_ends && a->contract_ends <= a->contract_signed) {
		refuse(&p->v, F_CONTRACT_ENDS, "the contract ends on or before the day it was signed");
		return;
	}
	if (!money(im, rec, F_ANNUAL_REVENUE, &a->has_annual_revenue, &a->annual_revenue, false,
	           &p->v) ||
	    !money(im, rec, F_CONTRACT_VALUE, &a->has_contract_value, &a->contract_value, false,
	           &p->v) ||
	    !money(im, rec, F_COST_TO_SERVE, &a->has_cost_to_serve, &a->cost_to_serve, false,
	           &p->v) ||
	    !money(im, rec, F_SALES_12M, &a->has_account_figure, &a->account_sales_12m, true,
	           &p->v) ||
	    !money(im, rec, F_GP_12M, &a->has_account_gp, &a->account_gp_12m, true, &p->v))
		return;
	p->what = PREP_ROW;
}

void imp_prep(void *ctx, const struct csv_record *rec, void *out)
{
	account_convert(ctx, rec, out);
}

bool imp_prep_ok(const struct importer *im)
{
	/* fill-down carries a value from row to row, which the caller's
	 * thread keeps: such files are converted there */
	for (int f = 0; f < F_FIELDS; f++)
		if (im->fill[f])
			return false;
	return im->o->kind == IMPORT_ACCOUNTS;
}

enum qpc_rc imp_batch(void *ctx, const struct csv_record *recs, size_t n, struct qpc_error *e)
{
	struct importer *im = ctx;
	n = n < QPC_INGEST_AHEAD ? n : QPC_INGEST_AHEAD;
	char(*ext)[256] = malloc(n * sizeof *ext);
	const char **ids = malloc(n * sizeof *ids);
	size_t k = 0;
	for (size_t i = 0; ext && ids && i < n; i++) {
		const struct account_prep *p = recs[i].prep;
		char name[512];
		struct verdict v;
		if (p && p->what == PREP_ROW &&
		    account_key(im, &recs[i], ext[k], sizeof ext[k], name, sizeof name, &v) &&
		    *ext[k]) {
			ids[k] = ext[k];
			k++;
		}
	}
	/* short of memory: each row is looked up as it comes */
	enum qpc_rc rc = ext && ids ? qpc_ingest_expect(im->st, ids, k, e) : QPC_OK;
	free(ext);
	free(ids);
	/* a failure here is the store's, not the reader's (import_record) */
	im->sink_failed = rc != QPC_OK;
	return rc;
}

static enum qpc_rc account_row(struct importer *im, const struct csv_record *rec,
                               struct qpc_error *e)
{
	struct account_prep own;
	const struct account_prep *p = rec->prep;
	if (!p) {
		account_convert(im, rec, &own);
		p = &own;
	}
	if (p->what == PREP_SKIP) {
		im->r->skipped++;
		return QPC_OK;
	}
	if (p->what == PREP_REFUSED)
		return told(im, rec, &p->v);
	if (replaced(im, rec, "account"))
		return QPC_OK;
	char ext[256], name[512], owner[256], segment[256], city[256], country[256];
	struct verdict v;
	struct qpc_account_rec a = p->a;
	account_key(im, rec, ext, sizeof ext, name, sizeof name, &v);
	a.external_id = *ext ? ext : NULL;
	a.name = name;
	a.owner = trimmed(imp_cell(im, rec, F_OWNER), owner, sizeof owner);
	a.segment = trimmed(imp_cell(im, rec, F_SEGMENT), segment, sizeof segment);
	a.city = trimmed(imp_cell(im, rec, F_CITY), city, sizeof city);
	a.country = trimmed(imp_cell(im, rec, F_COUNTRY), country, sizeof country);
	a.notes = imp_cell(im, rec, F_NOTES);
	enum qpc_outcome out;
	int64_t id = 0;
	enum qpc_rc rc = qpc_ingest_account(im->st, &a, p->fields, &id, &out, e);
	if (rc == QPC_ERR_DATA) { /* an ambiguous name: the row's fault */
		imp_reject(im, rec, F_NAME, "%s", e->msg);
		return QPC_OK;
	}
	if (rc == QPC_OK) {
		im->r->outcome[out]++;
		dup_note(im, rec->line, id, 0, out);
	}
	return rc;
}

/* Finds or creates the account a sales or QPC row names. */
static enum qpc_rc row_account(struct importer *im, const struct csv_record *rec, int64_t *id,
                               bool *ok, struct qpc_error *e)
{
	char ext[256], name[512], key[800];
	struct verdict v;
	*ok = false;
	if (!account_key(im, rec, ext, sizeof ext, name, sizeof name, &v))
		return told(im, rec, &v);
	snprintf(key, sizeof key, "%s\x1f%s", ext, name);
	if (im->last_account && strcmp(key, im->last_key) == 0) {
		*id = im->last_account;
		*ok = true;
		return QPC_OK;
	}
	bool created;
	enum qpc_rc rc = qpc_ingest_account_ref(im->st, ext, name, id, &created, e);
	if (rc == QPC_ERR_DATA) {
		imp_reject(im, rec, F_NAME, "%s", e->msg);
		return QPC_OK;
	}
	if (rc)
		return rc;
	im->r->accounts_created += created;
	snprintf(im->last_key, sizeof im->last_key, "%s", key);
	im->last_account = *id;
	*ok = true;
	return QPC_OK;
}

static enum qpc_rc category(struct importer *im, const struct csv_record *rec, int64_t *id,
                            struct qpc_error *e)
{
	char cat[256];
	trimmed(imp_cell(im, rec, F_CATEGORY), cat, sizeof cat);
	*id = 0;
	if (!*cat)
		return QPC_OK;
	/* a file names a few categories a million times: the last eight are
	 * looked up here, not in the store, most recent first */
	size_t n = sizeof im->cats / sizeof *im->cats, i = 0;
	while (i < n && im->cats[i].id && strcmp(im->cats[i].name, cat) != 0)
		i++;
	if (i < n && im->cats[i].id)
		*id = im->cats[i].id;
	else {
		enum qpc_rc rc = qpc_store_category_ensure(im->st, cat, id, e);
		size_t len = strlen(cat);
		if (rc || len >= sizeof im->cats[0].name)
			return rc;
		i = n - 1;
		memcpy(im->cats[i].name, cat, len + 1);
		im->cats[i].id = *id;
	}
	for (; i > 0; i--) { /* to the front */
		struct import_cat t = im->cats[i];
		im->cats[i] = im->cats[i - 1];
		im->cats[i - 1] = t;
	}
	return QPC_OK;
}

static enum qpc_rc sales_row(struct importer *im, const struct csv_record *rec,
                             struct qpc_error *e)
{
	struct qpc_sale_rec s = { 0 };
	bool has, has_cost, ok;
	qpc_money cost;
	struct verdict bad;
	if (!date(im, rec, F_DATE, &has, &s.date, &bad))
		return told(im, rec, &bad);
	if (!has) {
		imp_reject(im, rec, F_DATE, "no date");
		return QPC_OK;
	}
	if (!money(im, rec, F_AMOUNT, &has, &s.amount, true, &bad))
		return told(im, rec, &bad);
	if (!has && im->col[F_UNIT_PRICE] >= 0 && im->col[F_QUANTITY] >= 0) {
		/* amount = unit price x quantity x (1 - discount), the price read
		 * with QPC_MINOR_UNITS_MAX decimals (0.0125 a unit is not 0.01)
		 * and the product rounded to the currency's */
		qpc_money price = 0;
		int64_t qty = 0;
		int32_t disc_bp = 0;
		const char *q = imp_cell(im, rec, F_QUANTITY), *d = imp_cell(im, rec, F_DISCOUNT), *why;
		if (!money_in(im, rec, F_UNIT_PRICE, &has, &price, true, QPC_MINOR_UNITS_MAX, &bad))
			return told(im, rec, &bad);
		if (has && amount_parse_count(q, im->dec, &qty, &why) != AMOUNT_OK) {
			imp_reject(im, rec, F_QUANTITY, "'%s' is not a quantity", q);
			return QPC_OK;
		}
		if (has && !blank(d) && amount_parse_share(d, im->dec, &disc_bp, &why) != AMOUNT_OK) {
			imp_reject(im, rec, F_DISCOUNT, "'%s' is not a discount", d);
			return QPC_OK;
		}
		__extension__ __int128 scale = 10000, v = (__int128)price * qty;
		for (int i = im->minor_units; i < QPC_MINOR_UNITS_MAX; i++)
			scale *= 10;
		bool beyond = v > (__int128)INT64_MAX * scale || v < -(__int128)INT64_MAX * scale;
		if (!beyond) {
			v = v * (10000 - disc_bp);
			v = (v >= 0 ? v + scale / 2 : v - scale / 2) / scale;
			beyond = v > INT64_MAX / 2 || v < -INT64_MAX / 2;
		}
		if (has && beyond) {
			imp_reject(im, rec, F_AMOUNT, "unit price x quantity is beyond what qpc accepts");
			return QPC_OK;
		}
		s.amount = (qpc_money)v;
	}
	if (!has) {
		imp_reject(im, rec, F_AMOUNT, "no amount");
		return QPC_OK;
	}
	if (!money(im, rec, F_GROSS_PROFIT, &s.has_gp, &s.gross_profit, true, &bad) ||
	    !money(im, rec, F_COST, &has_cost, &cost, true, &bad))
		return told(im, rec, &bad);
	if (!s.has_gp && has_cost) {
		s.has_gp = true;
		s.gross_profit = s.amount - cost;
	}
	enum qpc_rc rc = row_account(im, rec, &s.account_id, &ok, e);
	if (rc || !ok || (rc = category(im, rec, &s.category_id, e)))
		return rc;

	/* The key that makes re-importing the same line find it again: the
	 * store numbers it by its occurrence in the file. */
	char base[900], d[QPC_DATE_ISO_LEN], line[256];
	trimmed(imp_cell(im, rec, F_LINE_ID), line, sizeof line);
	s.key_verbatim = *line && profile_verbatim_keys(im->prof);
	if (s.key_verbatim)
		snprintf(base, sizeof base, "%s", line);
	else if (*line)
		snprintf(base, sizeof base, "%s/%s", im->key_scope, line);
	else
		snprintf(base, sizeof base, "%s/=%lld|%s|%lld|%lld|%lld", im->key_scope,
		         (long long)s.account_id, qpc_date_format(s.date, d), (long long)s.category_id,
		         (long long)s.amount, s.has_gp ? (long long)s.gross_profit : -1LL);
	s.key_base = base;
	enum qpc_outcome out;
	if ((rc = qpc_ingest_sale(im->st, &s, &out, e)) == QPC_OK)
		im->r->outcome[out]++;
	return rc;
}

static enum qpc_rc potential_row(struct importer *im, const struct csv_record *rec,
                                 struct qpc_error *e)
{
	struct qpc_potential_rec p = { .measured_on = im->o->today };
	char basis[256], by[256];
	bool has, ok;
	struct verdict why;
	if (blank(imp_cell(im, rec, F_CATEGORY))) {
		imp_reject(im, rec, F_CATEGORY, "no category");
		return QPC_OK;
	}
	if (!money(im, rec, F_AMOUNT, &has, &p.amount, false, &why))
		return told(im, rec, &why);
	if (!has) {
		imp_reject(im, rec, F_AMOUNT, "no QPC amount (unmeasured is a missing row, not 0)");
		return QPC_OK;
	}
	qpc_date on;
	if (!date(im, rec, F_MEASURED_ON, &has, &on, &why))
		return told(im, rec, &why);
	const char *future = has ? typed_measured_on_why(on, im->o->today) : NULL;
	if (future) { /* as the editor and the command line refuse it */
		char today[QPC_DATE_ISO_LEN];
		imp_reject(im, rec, F_MEASURED_ON, "'%s': %s (after %s, the as-of date)",
		           imp_cell(im, rec, F_MEASURED_ON), future, qpc_date_format(im->o->today, today));
		return QPC_OK;
	}
	if (has)
		p.measured_on = on;
	if (im->col[F_VERIFIED] >= 0) {
		const char *v = imp_cell(im, rec, F_VERIFIED);
		p.verified = boolean(v, &ok);
		if (!ok) {
			imp_reject(im, rec, F_VERIFIED, "'%s' is neither yes nor no", v);
			return QPC_OK;
		}
	}
	trimmed(imp_cell(im, rec, F_BASIS), basis, sizeof basis);
	p.basis = *basis ? basis : "imported";
	trimmed(imp_cell(im, rec, F_MEASURED_BY), by, sizeof by);
	p.measured_by = *by ? by : NULL;
	if (replaced(im, rec, "QPC line"))
		return QPC_OK;
	enum qpc_rc rc = row_account(im, rec, &p.account_id, &ok, e);
	if (rc || !ok || (rc = category(im, rec, &p.category_id, e)))
		return rc;
	enum qpc_outcome out;
	if ((rc = qpc_ingest_potential(im->st, &p, &out, e)) == QPC_OK) {
		im->r->outcome[out]++;
		dup_note(im, rec->line, p.account_id, p.category_id, out);
	}
	return rc;
}

enum qpc_rc imp_row(struct importer *im, const struct csv_record *rec, struct qpc_error *e)
{
	im->r->read++;
	if (im->o->kind == IMPORT_ACCOUNTS)
		return account_row(im, rec, e);
	struct verdict v;
	bool skip;
	if (!row_checks(im, rec, &skip, &v))
		return told(im, rec, &v);
	if (skip) {
		im->r->skipped++;
		return QPC_OK;
	}
	return im->o->kind == IMPORT_SALES ? sales_row(im, rec, e) : potential_row(im, rec, e);
}

void imp_reject(struct importer *im, const struct csv_record *rec, enum import_field f,
                const char *fmt, ...)
{
	char why[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	int col = f != F_NONE && im->col[f] >= 0 ? im->col[f] + 1 : 0;
	im->r->rejected++;
	if (!im->o->skip_bad)
		im->failed = true;
	if (im->r->nerrors < IMPORT_MAX_ERRORS) {
		char *m = im->r->errors[im->r->nerrors++];
		if (col)
			snprintf(m, sizeof im->r->errors[0], "%s:%llu:%d: %s: %s", im->name,
			         (unsigned long long)rec->line, col, im->headers[col - 1], why);
		else
			snprintf(m, sizeof im->r->errors[0], "%s:%llu: %s", im->name,
			         (unsigned long long)rec->line, why);
	}
	if (im->rejects) {
		for (size_t i = 0; i < rec->nfields; i++)
			csvw_field(&im->rejects_w, rec->fields[i].s);
		for (size_t i = rec->nfields; i < im->ncols; i++)
			csvw_field(&im->rejects_w, "");
		char where[300];
		snprintf(where, sizeof where, "line %llu%s%s: %s", (unsigned long long)rec->line,
		         col ? ", " : "", col ? im->headers[col - 1] : "", why);
		csvw_field(&im->rejects_w, where);
		csvw_end(&im->rejects_w);
	}
}
