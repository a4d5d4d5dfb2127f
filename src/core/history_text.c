/* history_text.c — a history entry in words: one formatter for the
 * command line and the dashboard (see history_text.h). */
#include "qpc/history_text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qpc/money.h"

/* How a stored value reads. */
enum kind {
	K_TEXT,      /* as it is */
	K_MONEY,     /* "12500.00" -> "12,500.00" */
	K_BP,        /* "9000" -> "90%" */
	K_FRACTION,  /* the threshold, "0.7500" -> "75%" */
	K_YESNO,     /* "1" -> "yes" */
};

/* The account's own fields, as the importer and the editor record them. */
static const struct {
	const char *field, *what;
	enum kind kind;
} account_fields[] = {
	{ "rep_share_estimate_bp", "Rep's estimate of our share", K_BP },
	{ "contract_partner", "Partner by contract (from the CRM)", K_YESNO },
	{ "contract_value", "Contract value (from the CRM)", K_MONEY },
	{ "sales_12m", "Sales, last 12 months (from the CRM)", K_MONEY },
	{ "gross_profit_12m", "Gross profit, last 12 months (from the CRM)", K_MONEY },
	{ "owner", "Owner", K_TEXT },
};

static const struct {
	const char *field, *what;
	enum kind kind;
} setting_fields[] = {
	{ "threshold", "Partner threshold", K_FRACTION },
	{ "currency", "Currency", K_TEXT },
	{ "minor_units", "Decimals in amounts", K_TEXT },
};

struct style {
	int mu;
	const char *none, *arrow;
};

char *qpc_bp_text(int64_t bp, char *buf, size_t n)
{
	const char *sign = bp < 0 ? "-" : "";
	int64_t a = bp < 0 ? -bp : bp;
	if (a % 100 == 0)
		snprintf(buf, n, "%s%lld%%", sign, (long long)(a / 100));
	else if (a % 10 == 0)
		snprintf(buf, n, "%s%lld.%lld%%", sign, (long long)(a / 100), (long long)(a % 100 / 10));
	else
		snprintf(buf, n, "%s%lld.%02lld%%", sign, (long long)(a / 100), (long long)(a % 100));
	return buf;
}

/* A whole number and nothing else. */
static bool whole(const char *s, int64_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end)
		return false;
	*out = v;
	return true;
}

/* One value as people read it; what cannot be read as its kind is shown
 * as stored, so that nothing is hidden. */
static const char *value(const struct style *y, enum kind k, const char *v, char *buf, size_t n)
{
	if (!v || !*v)
		return y->none;
	qpc_money m;
	int64_t i;
	switch (k) {
	case K_MONEY:
		if (qpc_money_parse_plain(v, y->mu, &m, NULL))
			return qpc_money_format(m, y->mu, QPC_MONEY_GROUPED, buf, n);
		break;
	case K_BP:
		if (whole(v, &i))
			return qpc_bp_text(i, buf, n);
		break;
	case K_FRACTION:
		if (qpc_money_parse_plain(v, 4, &m, NULL))
			return qpc_bp_text(m, buf, n);
		break;
	case K_YESNO:
		if (strcmp(v, "0") == 0 || strcmp(v, "1") == 0)
			return v[0] == '1' ? "yes" : "no";
		break;
	case K_TEXT:
		break;
	}
	return v;
}

static void from_to(const struct style *y, enum kind k, const char *old, const char *new_,
                    char *buf, size_t n)
{
	char a[64], b[64];
	snprintf(buf, n, "%s%s%s", value(y, k, old, a, sizeof a), y->arrow,
	         value(y, k, new_, b, sizeof b));
}

/* "signed 2026-03-10, value 120000.00": the amount grouped. */
static const char *contract(const struct style *y, const char *v, char *buf, size_t n)
{
	if (!v)
		return y->none;
	const char *at = strstr(v, ", value ");
	qpc_money m;
	char amount[40];
	if (!at || !qpc_money_parse_plain(at + 8, y->mu, &m, NULL))
		return v;
	snprintf(buf, n, "%.*s, value %s", (int)(at - v), v,
	         qpc_money_format(m, y->mu, QPC_MONEY_GROUPED, amount, sizeof amount));
	return buf;
}

/* "QPC in Packaging" for "qpc:Packaging", "verified:..." and "basis:...". */
static bool potential(const struct style *y, const char *field, const char *old,
                      const char *new_, struct qpc_history_text *out)
{
	static const char *const prefixes[] = { "qpc:", "verified:", "basis:" };
	size_t p;
	for (p = 0; p < 3; p++)
		if (strncmp(field, prefixes[p], strlen(prefixes[p])) == 0)
			break;
	if (p == 3)
		return false;
	snprintf(out->what, sizeof out->what, "QPC in %s", field + strlen(prefixes[p]));
	if (p == 0) {
		from_to(y, K_MONEY, old, new_, out->change, sizeof out->change);
	} else if (p == 1) {
		snprintf(out->change, sizeof out->change, "%s",
		         new_ && strcmp(new_, "1") == 0 ? "verified" : "no longer verified");
	} else {
		char b[sizeof out->change - 8];
		from_to(y, K_TEXT, old, new_, b, sizeof b);
		snprintf(out->change, sizeof out->change, "basis %s", b);
	}
	return true;
}

static bool account(const struct style *y, const char *field, const char *old, const char *new_,
                    struct qpc_history_text *out)
{
	char a[200], b[200];
	for (size_t i = 0; i < sizeof account_fields / sizeof *account_fields; i++)
		if (strcmp(field, account_fields[i].field) == 0) {
			snprintf(out->what, sizeof out->what, "%s", account_fields[i].what);
			from_to(y, account_fields[i].kind, old, new_, out->change, sizeof out->change);
			return true;
		}
	if (strcmp(field, "candidate") == 0) {
		snprintf(out->what, sizeof out->what, "Candidate");
		if (!old && new_ && strcmp(new_, "nominated") == 0)
			snprintf(out->change, sizeof out->change, "nominated");
		else if (old && strcmp(old, "nominated") == 0)
			snprintf(out->change, sizeof out->change, "dropped (%s)", new_ ? new_ : y->none);
		else
			from_to(y, K_TEXT, old, new_, out->change, sizeof out->change);
		return true;
	}
	if (strcmp(field, "contract") == 0) {
		snprintf(out->what, sizeof out->what, "Contract");
		if (!old)
			snprintf(out->change, sizeof out->change, "%s", contract(y, new_, b, sizeof b));
		else
			snprintf(out->change, sizeof out->change, "%s%s%s", contract(y, old, a, sizeof a),
			         y->arrow, contract(y, new_, b, sizeof b));
		return true;
	}
	return false;
}

/* A checklist step: ticked (with a note: the note), or unticked. */
static void tick(const char *field, const char *new_, struct qpc_history_text *out)
{
	snprintf(out->what, sizeof out->what, "%s", field);
	if (!new_)
		snprintf(out->change, sizeof out->change, "unticked");
	else if (strcmp(new_, "ticked") == 0)
		snprintf(out->change, sizeof out->change, "ticked");
	else
		snprintf(out->change, sizeof out->change, "ticked, note: %s", new_);
}

/* "NAME:step added" and the like; a template's creation is field "name". */
static void template(const struct style *y, const char *field, const char *old,
                     const char *new_, struct qpc_history_text *out)
{
	const char *none = y->none;
	if (strcmp(field, "name") == 0) {
		snprintf(out->what, sizeof out->what, "Template %s", new_ ? new_ : none);
		snprintf(out->change, sizeof out->change, "created");
		return;
	}
	const char *colon = strrchr(field, ':');
	const char *sub = colon ? colon + 1 : "";
	snprintf(out->what, sizeof out->what, "Template %.*s",
	         (int)(colon ? colon - field : (long)strlen(field)), field);
	if (strcmp(sub, "name") == 0 && !new_) {
		snprintf(out->change, sizeof out->change, "deleted");
	} else if (strcmp(sub, "name") == 0) {
		snprintf(out->change, sizeof out->change, "renamed to %s", new_);
	} else if (strcmp(sub, "default") == 0) {
		snprintf(out->change, sizeof out->change, "made the default for new candidates");
	} else if (strcmp(sub, "step added") == 0) {
		snprintf(out->change, sizeof out->change, "step added: %s", new_ ? new_ : none);
	} else if (strcmp(sub, "step retired") == 0) {
		snprintf(out->change, sizeof out->change, "step retired: %s", old ? old : none);
	} else if (strcmp(sub, "step moved") == 0) {
		/* new_ is "2 -> 3" */
		int from, to;
		if (new_ && sscanf(new_, "%d -> %d", &from, &to) == 2)
			snprintf(out->change, sizeof out->change, "step %d moved to %d: %s", from, to,
			         old ? old : none);
		else
			snprintf(out->change, sizeof out->change, "step moved: %s", new_ ? new_ : none);
	} else if (strcmp(sub, "step rule") == 0 && old && new_ && strrchr(old, '\t') &&
	           strrchr(new_, '\t')) {
		/* "TEXT\tRULE" before and after; "" no rule */
		const char *was = strrchr(old, '\t') + 1, *now = strrchr(new_, '\t') + 1;
		snprintf(out->change, sizeof out->change, "rule of step '%.*s': %s%s%s",
		         (int)(strrchr(new_, '\t') - new_), new_, *was ? was : none, y->arrow,
		         *now ? now : none);
	} else {
		snprintf(out->what, sizeof out->what, "Template %s", field);
		from_to(y, K_TEXT, old, new_, out->change, sizeof out->change);
	}
}

/* A trait: added with its scale ("1-5"), renamed (field "name"),
 * retired; or, on an account, a rating (the score). */
static void trait(const struct style *y, const char *field, const char *old, const char *new_,
                  struct qpc_history_text *out)
{
	const char *none = y->none;
	if (old && new_ && strcmp(old, "active") == 0 && strcmp(new_, "retired") == 0) {
		snprintf(out->what, sizeof out->what, "Trait %s", field);
		snprintf(out->change, sizeof out->change, "retired");
	} else if (strcmp(field, "name") == 0 && old) {
		snprintf(out->what, sizeof out->what, "Trait %s", old);
		snprintf(out->change, sizeof out->change, "renamed to %s", new_ ? new_ : none);
	} else if (!old && new_ && new_[0] && strchr(new_ + 1, '-')) {
		snprintf(out->what, sizeof out->what, "Trait %s", field);
		snprintf(out->change, sizeof out->change, "added, scored %s", new_);
	} else {
		snprintf(out->what, sizeof out->what, "%s", field);
		snprintf(out->change, sizeof out->change, "rated %s", new_ ? new_ : none);
	}
}

/* A team server's user (field: the login): its role given, changed or
 * taken away, or its owner name. */
static void user(const struct style *y, const char *entity, const char *field, const char *old,
                 const char *new_, struct qpc_history_text *out)
{
	if (strcmp(entity, "user:owner") == 0) {
		snprintf(out->what, sizeof out->what, "User %s's owner name", field);
		from_to(y, K_TEXT, old, new_, out->change, sizeof out->change);
		return;
	}
	snprintf(out->what, sizeof out->what, "User %s", field);
	if (!old)
		snprintf(out->change, sizeof out->change, "added as %s", new_ ? new_ : y->none);
	else if (!new_)
		snprintf(out->change, sizeof out->change, "removed (was %s)", old);
	else
		from_to(y, K_TEXT, old, new_, out->change, sizeof out->change);
}

void qpc_history_text(const char *entity, const char *field, const char *old_value,
                      const char *new_value, int minor_units, bool ascii,
                      struct qpc_history_text *out)
{
	const struct style y = {
		.mu = minor_units,
		.none = ascii ? "-" : "\xe2\x80\x93",
		.arrow = ascii ? " -> " : " \xe2\x86\x92 ",
	};
	const char *old = old_value, *new_ = new_value;
	if (!field)
		field = "";
	out->what[0] = out->change[0] = '\0';
	bool any = !entity; /* not known: what the field says */
	if (entity && strcmp(entity, "goal") == 0) {
		char b[sizeof out->change - 16];
		snprintf(out->what, sizeof out->what, "Goal %s", field);
		from_to(&y, K_TEXT, old, new_, b, sizeof b);
		snprintf(out->change, sizeof out->change, "%s new partner%s", b,
		         new_ && strcmp(new_, "1") == 0 ? "" : "s");
		return;
	}
	if (entity && strcmp(entity, "setting") == 0) {
		for (size_t i = 0; i < sizeof setting_fields / sizeof *setting_fields; i++)
			if (strcmp(field, setting_fields[i].field) == 0) {
				snprintf(out->what, sizeof out->what, "%s", setting_fields[i].what);
				from_to(&y, setting_fields[i].kind, old, new_, out->change,
				        sizeof out->change);
				return;
			}
	}
	if (entity && strcmp(entity, "template") == 0) {
		template(&y, field, old, new_, out);
		return;
	}
	if (entity && strcmp(entity, "trait") == 0) {
		trait(&y, field, old, new_, out);
		return;
	}
	if (entity && strncmp(entity, "user:", 5) == 0) {
		user(&y, entity, field, old, new_, out);
		return;
	}
	if ((any || strcmp(entity, "potential") == 0) && potential(&y, field, old, new_, out))
		return;
	if ((any || strcmp(entity, "account") == 0 || strcmp(entity, "candidate") == 0 ||
	     strcmp(entity, "contract") == 0) &&
	    account(&y, field, old, new_, out))
		return;
	if (any || strcmp(entity, "tick") == 0) {
		tick(field, new_, out);
		return;
	}
	/* a change this formatter does not know yet: as stored */
	snprintf(out->what, sizeof out->what, "%s", field);
	from_to(&y, K_TEXT, old, new_, out->change, sizeof out->change);
}
