/* contract.c — an account's systems contract: what the account page says
 * of it, and setting or ending it from wherever an account is selected
 * (the same writes as `qpc contract set` and `qpc contract end`).
 *
 * C asks on the message line, one question at a time: the day it was
 * signed (or "end DATE" to end the one in force), then the day it ends
 * (empty: no end) and its value a year (empty: none).  What a contract in
 * force on the date shown has is offered as the answers, so Enter keeps
 * it.  The store checks the dates; its refusals go to the message line.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "qpc/saying.h"
#include "qpc/typed.h"
#include "ui.h"

/* The contract being typed, carried from question to question. */
struct typing {
	int64_t id;
	char name[QPC_TEXT_NAME];
	struct ui_contract now;   /* what it has on the date shown */
	struct qpc_contract_rec c; /* the answers so far */
};

struct gather {
	qpc_date on;
	struct ui_contract *out;
};

/* How well a contract answers "the account's contract on `on`": one in
 * force (3), else one that ended (2), else one signed to start later (1). */
static int rank(const struct qpc_contract_rec *k, qpc_date on)
{
	if (k->signed_on > on)
		return 1;
	return !k->has_end || on < k->ends_on ? 3 : 2;
}

static int gather_one(const struct qpc_contract_row *r, void *ctx)
{
	struct gather *g = ctx;
	struct ui_contract *c = g->out;
	const struct qpc_contract_rec *k = &r->c;
	int rk = rank(k, g->on), rc = c->any ? rank(&c->c, g->on) : 0;
	c->count++;
	/* the better kind; among the same, the latest signed, except that of
	 * contracts still to start the first is the next */
	if (rk > rc || (rk == rc && (rk == 1 ? k->signed_on < c->c.signed_on
	                                     : k->signed_on > c->c.signed_on))) {
		c->c = *k;
		c->in_force = rk == 3;
	}
	c->any = true;
	return 0;
}

enum qpc_rc contract_of(struct app *a, int64_t account_id, qpc_date on, struct ui_contract *out,
                        struct qpc_error *e)
{
	memset(out, 0, sizeof *out);
	struct gather g = { on, out };
	return qpc_store_contract_each(a->st, account_id, gather_one, &g, e);
}

void contract_describe(const struct app *a, const struct ui_contract *c, qpc_date on, char *buf,
                       size_t n)
{
	char s[QPC_DATE_ISO_LEN], x[QPC_DATE_ISO_LEN], v[48] = "";
	if (!c->any) {
		snprintf(buf, n, "none");
		return;
	}
	qpc_date_format(c->c.signed_on, s);
	if (c->c.has_end)
		qpc_date_format(c->c.ends_on, x);
	if (c->c.has_value) {
		char m[32];
		uil_money(true, c->c.value, a->minor_units, 14, draw_glyphs()->ascii, m, sizeof m);
		snprintf(v, sizeof v, ", %s a year", m);
	}
	if (c->in_force)
		snprintf(buf, n, "signed %s, %s%s%s", s, c->c.has_end ? "ends " : "no end",
		         c->c.has_end ? x : "", v);
	else if (c->c.signed_on > on)
		snprintf(buf, n, "signed to start %s%s%s%s", s, c->c.has_end ? ", ends " : "",
		         c->c.has_end ? x : "", v);
	else
		snprintf(buf, n, "ended %s (signed %s)%s", c->c.has_end ? x : "?", s, v);
}

/* --- asking --------------------------------------------------------------- */

static qpc_date today(const struct app *a)
{
	return qpc_date_from_unix(qpc_store_now(a->st));
}

static const char *skip_blanks(const char *s)
{
	while (*s == ' ')
		s++;
	return s;
}

/* An answer without the blanks around it. */
static void trimmed(const char *text, char *out, size_t n)
{
	snprintf(out, n, "%s", skip_blanks(text));
	size_t len = strlen(out);
	while (len > 0 && out[len - 1] == ' ')
		out[--len] = '\0';
}

static bool date_answer(struct app *a, const char *text, const char *what, qpc_date *out)
{
	const char *why = NULL;
	if (typed_date(text, today(a), out, &why))
		return true;
	app_message(a, true, "%s '%.20s'? %s (a date is YYYY-MM-DD)", what, text,
	            why ? why : "not a date");
	return false;
}

static void saved(struct app *a, const struct typing *pending)
{
	char said[160];
	app_changed(a);
	app_message(a, false, "%s",
	            say_contract_saved(&pending->c, a->minor_units, draw_glyphs()->ascii, said,
	                               sizeof said));
}

static void value_answered(struct app *a, void *ctx, bool ok, const char *text)
{
	struct typing *pending = ctx;
	char t[128];
	if (!ok) {
		app_message(a, false, "the contract is as it was");
		return;
	}
	trimmed(text, t, sizeof t);
	pending->c.has_value = t[0] != '\0';
	const char *why = NULL;
	if (pending->c.has_value && !typed_amount(t, a->minor_units, &pending->c.value, &why)) {
		app_message(a, true, "a contract's value is an amount a year (like 120,000), not '%.30s'%s%s",
		            t, why ? ": " : "", why ? why : "");
		return;
	}
	struct qpc_error e = { 0 };
	if (qpc_store_contract_set(a->st, pending->id, &pending->c, &e)) {
		app_fail(a, &e);
		return;
	}
	saved(a, pending);
}

static void end_answered(struct app *a, void *ctx, bool ok, const char *text)
{
	struct typing *pending = ctx;
	char t[64], q[96], initial[40] = "";
	if (!ok) {
		app_message(a, false, "the contract is as it was");
		return;
	}
	trimmed(text, t, sizeof t);
	pending->c.has_end = t[0] != '\0';
	if (pending->c.has_end && !date_answer(a, t, "ends on", &pending->c.ends_on))
		return;
	if (pending->c.has_end && pending->c.ends_on <= pending->c.signed_on) {
		app_message(a, true, "a contract must end after the day it is signed");
		return;
	}
	const struct ui_contract *now = &pending->now;
	if (now->any && now->c.signed_on == pending->c.signed_on && now->c.has_value)
		qpc_money_format(now->c.value, a->minor_units, QPC_MONEY_PLAIN, initial, sizeof initial);
	snprintf(q, sizeof q, "Contracted value a year (empty: none): ");
	app_ask_text_about(a, q, initial, value_answered, *pending);
}

/* "end", "End 2026-12-31": the rest of the answer when it ends the
 * contract, else NULL. */
static const char *ending(const char *t)
{
	if (strncasecmp(t, "end", 3) != 0 || (t[3] && t[3] != ' '))
		return NULL;
	return skip_blanks(t + 3);
}

static void signed_answered(struct app *a, void *ctx, bool ok, const char *text)
{
	struct typing *pending = ctx;
	char t[64], q[96], initial[QPC_DATE_ISO_LEN] = "";
	struct qpc_error e = { 0 };
	if (!ok) {
		app_message(a, false, "the contract is as it was");
		return;
	}
	trimmed(text, t, sizeof t);
	const char *end = ending(t);
	if (end) {
		qpc_date on = qpc_browse_as_of(a->br);
		if (*end && !date_answer(a, end, "ends on", &on))
			return;
		if (qpc_store_contract_end(a->st, pending->id, on, &e)) {
			app_fail(a, &e);
			return;
		}
		app_changed(a);
		char said[128];
		app_message(a, false, "%s", say_contract_ended(on, said, sizeof said));
		return;
	}
	if (!t[0]) {
		app_message(a, true, "when was it signed? (YYYY-MM-DD), or 'end DATE' to end it");
		return;
	}
	memset(&pending->c, 0, sizeof pending->c);
	if (!date_answer(a, t, "signed on", &pending->c.signed_on))
		return;
	const struct ui_contract *now = &pending->now;
	if (now->any && now->c.signed_on == pending->c.signed_on && now->c.has_end)
		qpc_date_format(now->c.ends_on, initial);
	snprintf(q, sizeof q, "Ends on (YYYY-MM-DD; empty: no end): ");
	app_ask_text_about(a, q, initial, end_answered, *pending);
}

static void contract_ask(struct app *a, int64_t id)
{
	struct qpc_browse_row row;
	struct qpc_error e = { 0 };
	if (!app_writable(a, QPC_ROLE_MANAGER, "set a contract"))
		return;
	qpc_date on = qpc_browse_as_of(a->br);
	struct typing pending = { .id = id };
	if (qpc_browse_row(a->br, id, &row, &e) || contract_of(a, id, on, &pending.now, &e)) {
		app_fail(a, &e);
		return;
	}
	snprintf(pending.name, sizeof pending.name, "%s", row.name);
	char q[200], initial[QPC_DATE_ISO_LEN];
	qpc_date_format(pending.now.in_force ? pending.now.c.signed_on : on, initial);
	snprintf(q, sizeof q, "Contract of %.24s%s signed (or: end DATE): ", row.name,
	         strlen(row.name) > 24 ? "\xe2\x80\xa6" : "");
	app_ask_text_about(a, q, initial, signed_answered, pending);
}

unsigned contract_action(struct app *a, enum qpc_action act, int64_t account_id)
{
	if (act != QPC_ACT_CONTRACT)
		return UI_IGNORED;
	if (account_id)
		contract_ask(a, account_id);
	return UI_HANDLED | UI_REDRAW;
}
