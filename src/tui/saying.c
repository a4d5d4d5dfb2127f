/* saying.c — the one-line results of writes (see saying.h): built here
 * once, shown by the dashboard and printed by the command line. */
#include "qpc/saying.h"

#include <stdio.h>

#include "qpc/date.h"
#include "qpc/figures.h"
#include "qpc/uilayout.h"

char *say_saved_qpc(const struct qpc_browse_row *row, int minor_units, bool ascii, char *buf,
                    size_t n)
{
	char qpc[32], share[32];
	uil_money(row->fig.qpc_measured, row->fig.qpc, minor_units, 14, ascii, qpc, sizeof qpc);
	uil_share(row->fig.share, ascii, share, sizeof share);
	snprintf(buf, n, "Saved: QPC %s, share %s, status %s", qpc, share,
	         qpc_status_name(row->fig.status));
	return buf;
}

char *say_ticked(bool ticked, int position, const char *text, char *buf, size_t n)
{
	snprintf(buf, n, "%s %d. %s", ticked ? "Ticked" : "Unticked", position, text);
	return buf;
}

char *say_goal(int year, int64_t target, char *buf, size_t n)
{
	snprintf(buf, n, "Goal %d: %lld new partner%s", year, (long long)target,
	         target == 1 ? "" : "s");
	return buf;
}

char *say_nominated(const char *name, const char *tmpl, char *buf, size_t n)
{
	snprintf(buf, n, "%s is a candidate now, with the checklist '%s'", name, tmpl);
	return buf;
}

char *say_dropped(const char *name, char *buf, size_t n)
{
	snprintf(buf, n, "%s is no longer a candidate", name);
	return buf;
}

char *say_contract_saved(const struct qpc_contract_rec *c, int minor_units, bool ascii, char *buf,
                         size_t n)
{
	char s[QPC_DATE_ISO_LEN], x[QPC_DATE_ISO_LEN], v[48] = "";
	if (c->has_value) {
		char m[32];
		uil_money(true, c->value, minor_units, 14, ascii, m, sizeof m);
		snprintf(v, sizeof v, ", %s a year", m);
	}
	snprintf(buf, n, "Contract saved: signed %s%s%s%s", qpc_date_format(c->signed_on, s),
	         c->has_end ? ", ends " : ", no end", c->has_end ? qpc_date_format(c->ends_on, x) : "",
	         v);
	return buf;
}

char *say_contract_ended(qpc_date on, char *buf, size_t n)
{
	char d[QPC_DATE_ISO_LEN];
	snprintf(buf, n, "Contract ends on %s: a partner by contract up to the day before",
	         qpc_date_format(on, d));
	return buf;
}
