/* cmd_export.c — qpc export accounts|partners|candidates|potential|sales|goals|contracts. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "qpc/cli.h"
#include "qpc/csvwrite.h"
#include "qpc/export.h"
#include "qpc/lists.h"
#include "qpc/outpath.h"
#include "qpc/traits.h"
#include "qpc/profiles.h"
#include "qpc/textcell.h"

struct ctx {
	struct csvw w;
	struct qpc_store *st;
	bool partners_only;
	bool visible; /* to a terminal: text escaped as report escapes it */
	char *buf;    /* the escaped text, when visible */
	size_t cap;
	qpc_date as_of;
	struct qpc_error *e;
};

static const char *const candidate_header[] = {
	"external_id", "name", "owner", "template", "nominated_on", "nominated_by", "steps_done",
	"steps_total", "qpc", "sales_12m", "share", "status", "graduated_on", NULL,
};
static const char *const goal_header[] = { "year", "target", "achieved", NULL };
static const char *const contract_header[] = { "external_id", "name", "signed_on", "ends_on",
	                                       "value", "recorded_at", "recorded_by", NULL };

static int done(struct csvw *w)
{
	csvw_end(w);
	return ferror(w->fp) ? -1 : 0;
}

/* A text field.  A file or a pipe gets the data's exact bytes; a terminal
 * would act on its escape sequences (a clipboard write, a title, the
 * cursor), so there every control character is shown escaped instead. */
static void text(void *ctx, struct csvw *w, const char *s)
{
	struct ctx *c = ctx;
	if (!c->visible || !s) {
		csvw_field(w, s);
		return;
	}
	size_t n = textcell_escape(s, NULL, 0) + 1;
	char *b = n > c->cap ? realloc(c->buf, n) : c->buf;
	if (b && n > c->cap) {
		c->buf = b;
		c->cap = n;
	}
	/* out of memory: shown cut, never raw */
	if (c->cap)
		textcell_escape(s, c->buf, c->cap);
	csvw_field(w, c->cap ? c->buf : "");
}

static int write_account(const struct qpc_account_row *r, void *p)
{
	struct ctx *c = p;
	struct csvw *w = &c->w;
	if (c->partners_only && r->fig.status != QPC_PARTNER)
		return 0;
	export_account(w, r, text, c);
	if (c->partners_only) {
		bool known;
		qpc_date since;
		if (qpc_store_partner_since(c->st, r->id, c->as_of, &known, &since, c->e))
			return -1;
		csvw_date(w, known, since);
	}
	return done(w);
}

static int write_candidate(const struct qpc_candidate_row *r, void *p)
{
	struct ctx *c = p;
	struct csvw *w = &c->w;
	text(c, &c->w, r->external_id);
	text(c, &c->w, r->name);
	text(c, &c->w, r->owner);
	text(c, &c->w, r->template_name);
	csvw_date(w, true, r->nominated_on);
	text(c, &c->w, r->nominated_by);
	csvw_int(w, r->steps_done);
	csvw_int(w, r->steps_total);
	csvw_opt_money(w, r->fig.qpc_measured, r->fig.qpc);
	csvw_money(w, r->fig.sales_12m);
	csvw_fraction_bp(w, r->fig.share.kind != QPC_SHARE_UNDEFINED, r->fig.share.bp);
	text(c, &c->w, qpc_status_name(r->fig.status));
	csvw_date(w, r->graduated, r->graduated_on);
	return done(w);
}

static int write_potential(const struct qpc_potential_row *r, void *p)
{
	struct ctx *c = p;
	struct csvw *w = &c->w;
	text(c, &c->w, r->external_id);
	text(c, &c->w, r->name);
	text(c, &c->w, r->category);
	csvw_money(w, r->amount);
	text(c, &c->w, r->basis);
	csvw_bool(w, r->verified);
	csvw_date(w, true, r->measured_on);
	text(c, &c->w, r->measured_by);
	return done(w);
}

static int write_sale(const struct qpc_sale_row *r, void *p)
{
	struct ctx *c = p;
	struct csvw *w = &c->w;
	text(c, &c->w, r->external_id);
	text(c, &c->w, r->name);
	csvw_date(w, true, r->date);
	text(c, &c->w, r->category);
	csvw_money(w, r->amount);
	csvw_opt_money(w, r->has_gp, r->gross_profit);
	text(c, &c->w, r->line_id);
	return done(w);
}

static int write_goal(const struct qpc_goal *g, void *p)
{
	struct csvw *w = &((struct ctx *)p)->w;
	csvw_int(w, g->year);
	csvw_int(w, g->target);
	csvw_int(w, g->achieved);
	return done(w);
}

static int write_contract(const struct qpc_contract_row *r, void *p)
{
	struct ctx *c = p;
	struct csvw *w = &c->w;
	text(c, &c->w, r->external_id);
	text(c, &c->w, r->name);
	csvw_date(w, true, r->c.signed_on);
	csvw_date(w, r->c.has_end, r->c.ends_on);
	csvw_opt_money(w, r->c.has_value, r->c.value);
	text(c, &c->w, r->recorded_at);
	text(c, &c->w, r->recorded_by);
	return done(w);
}

static const char *const trait_header[] = { "account_id", "account", "trait", "score",
	                                    "rated_on", "rated_by", "note", NULL };

static int write_rating(const struct qpc_rating *r, void *p)
{
	struct ctx *c = p;
	struct csvw *w = &c->w;
	text(c, &c->w, r->external_id);
	text(c, &c->w, r->account);
	text(c, &c->w, r->trait);
	csvw_int(w, r->score);
	csvw_date(w, true, r->rated_on);
	text(c, &c->w, r->rated_by);
	text(c, &c->w, r->note);
	return done(w);
}

/* The importable lists use the header import recognises as qpc's own. */
static const struct list {
	const char *name;
	const char *const *header;
} lists[] = {
	{ "accounts", NULL },              { "partners", NULL },
	{ "candidates", candidate_header }, { "potential", NULL },
	{ "sales", NULL },                 { "goals", goal_header },
	{ "contracts", contract_header },   { "traits", trait_header },
};

static enum qpc_rc write_list(struct qpc_cli *cli, const struct list *l, struct ctx *c,
                              struct qpc_error *e)
{
	const char *const *header = l->header;
	if (!header)
		header = profile_qpc_header(l <= lists + 1 ? IMPORT_ACCOUNTS
		                                           : l == lists + 3 ? IMPORT_POTENTIAL : IMPORT_SALES);
	for (const char *const *h = header; *h; h++)
		csvw_field(&c->w, *h);
	if (l == lists + 1) /* partners: the accounts' columns and the day each became one */
		csvw_field(&c->w, "partner_since");
	csvw_end(&c->w);
	switch (l - lists) {
	case 0:
		return qpc_store_accounts_each(c->st, cli->as_of, write_account, c, e);
	case 1:
		c->partners_only = true;
		return qpc_store_accounts_each(c->st, cli->as_of, write_account, c, e);
	case 2:
		return qpc_store_candidates_each(c->st, cli->as_of, write_candidate, c, e);
	case 3:
		return qpc_store_potential_each(c->st, write_potential, c, e);
	case 4:
		return qpc_store_sales_each(c->st, write_sale, c, e);
	case 5:
		return qpc_store_goals_each(c->st, cli->as_of, write_goal, c, e);
	case 6:
		return qpc_store_contract_each(c->st, 0, write_contract, c, e);
	default:
		return qpc_store_rating_each(c->st, write_rating, c, e);
	}
}

int cmd_export(struct qpc_cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "raw", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = NULL, *what = NULL;
	bool raw = false;
	int o;
	while (optind < argc) {
		if ((o = getopt_long(argc, argv, "+:o:", opts, NULL)) == -1) {
			if (what)
				return cli_usage(c, "export: unexpected argument '%s'", argv[optind]);
			what = argv[optind++];
			continue;
		}
		if (o == 'o')
			path = optarg;
		else if (o == 'r')
			raw = true;
		else
			return cli_bad_option(c, "export", argv, o);
	}
	if (!what)
		return cli_usage(c, "export: say what to export (accounts, partners, candidates, "
		                    "potential, sales, goals, contracts, traits)");
	const struct list *l = NULL;
	for (size_t i = 0; i < sizeof lists / sizeof *lists; i++)
		if (strcmp(lists[i].name, what) == 0)
			l = &lists[i];
	if (!l)
		return cli_usage(c, "export: unknown list '%s' (known: accounts, partners, candidates, "
		                    "potential, sales, goals, contracts, traits)",
		                 what);

	struct qpc_error e = { 0 };
	struct ctx ctx = { .e = &e, .as_of = c->as_of };
	struct qpc_settings set;
	struct outfile out;
	/* the output first: one that would destroy the database is refused
	 * before the database is even opened */
	enum qpc_rc rc = outfile_open(&out, path, c->db_path, NULL, &e);
	if (rc)
		return cli_fail(c, rc, &e);
	if ((rc = cli_open(c, QPC_OPEN_EXISTING, &ctx.st, &e)) ||
	    (rc = qpc_store_settings(ctx.st, &set, &e))) {
		qpc_store_close(ctx.st);
		outfile_close(&out, false, NULL);
		return cli_fail(c, rc, &e);
	}
	csvw_init(&ctx.w, out.fp, !raw, set.minor_units);
	ctx.visible = out.terminal;
	rc = write_list(c, l, &ctx, &e);
	int err = errno; /* the failed write's, before closing sets another */
	qpc_store_close(ctx.st);
	free(ctx.buf);
	if (rc == QPC_ERR_IO)
		qpc_error_set(&e, rc, "writing %s failed: %s%s", path ? path : "standard output",
		              outpath_why(err), path ? "; the file was left as it was" : "");
	struct qpc_error e2 = { 0 };
	enum qpc_rc rc2 = outfile_close(&out, rc == QPC_OK, &e2);
	if (rc)
		return cli_fail(c, rc, &e);
	if (rc2)
		return cli_fail(c, rc2, &e2);
	return 0;
}
