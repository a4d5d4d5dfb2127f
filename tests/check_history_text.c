/* check_history_text.c — a history entry in words: each kind of change
 * the store records, the dash for none, and what cannot be read. */
#include "tests.h"

#include <stdio.h>

#include "qpc/history_text.h"

/* The line `qpc history` prints after the account: "what: change". */
static const char *said(const char *entity, const char *field, const char *old,
                        const char *new_, int mu, bool ascii)
{
	static char line[sizeof(struct qpc_history_text) + 4];
	struct qpc_history_text t;
	qpc_history_text(entity, field, old, new_, mu, ascii, &t);
	snprintf(line, sizeof line, "%s: %s", t.what, t.change);
	return line;
}

START_TEST(qpc_lines_in_money)
{
	ck_assert_str_eq(said("potential", "qpc:Packaging", NULL, "12500.00", 2, false),
	                 "QPC in Packaging: \xe2\x80\x93 \xe2\x86\x92 12,500.00");
	ck_assert_str_eq(said("potential", "qpc:Packaging", "12500.00", NULL, 2, true),
	                 "QPC in Packaging: 12,500.00 -> -");
	ck_assert_str_eq(said("potential", "qpc:IT", "1234567", "-5", 0, true), "QPC in IT: 1,234,567 -> -5");
	ck_assert_str_eq(said("potential", "verified:Cleaning & hygiene", "0", "1", 2, true),
	                 "QPC in Cleaning & hygiene: verified");
	ck_assert_str_eq(said("potential", "verified:Cleaning & hygiene", "1", "0", 2, true),
	                 "QPC in Cleaning & hygiene: no longer verified");
	ck_assert_str_eq(said("potential", "basis:Packaging", "rep estimate", "formula", 2, true),
	                 "QPC in Packaging: basis rep estimate -> formula");
	/* what is not an amount is shown as stored, never hidden */
	ck_assert_str_eq(said("potential", "qpc:Packaging", "lots", "9.000.00", 2, true),
	                 "QPC in Packaging: lots -> 9.000.00");
}
END_TEST

START_TEST(account_fields_in_units)
{
	ck_assert_str_eq(said("account", "rep_share_estimate_bp", NULL, "9000", 2, false),
	                 "Rep's estimate of our share: \xe2\x80\x93 \xe2\x86\x92 90%");
	ck_assert_str_eq(said("account", "rep_share_estimate_bp", "8250", "8255", 2, true),
	                 "Rep's estimate of our share: 82.5% -> 82.55%");
	ck_assert_str_eq(said("account", "contract_partner", "0", "1", 2, true),
	                 "Partner by contract (from the CRM): no -> yes");
	ck_assert_str_eq(said("account", "sales_12m", "999.5", "1000000.00", 2, true),
	                 "Sales, last 12 months (from the CRM): 999.50 -> 1,000,000.00");
	ck_assert_str_eq(said("account", "owner", "alice", "bob", 2, true), "Owner: alice -> bob");
	ck_assert_str_eq(said("contract", "contract", NULL, "signed 2026-03-10, value 120000.00", 2, true),
	                 "Contract: signed 2026-03-10, value 120,000.00");
	ck_assert_str_eq(said("contract", "contract", "signed 2026-03-10",
	                      "signed 2026-03-10, ends 2026-09-01", 2, true),
	                 "Contract: signed 2026-03-10 -> signed 2026-03-10, ends 2026-09-01");
	ck_assert_str_eq(said("candidate", "candidate", NULL, "nominated", 2, true), "Candidate: nominated");
	ck_assert_str_eq(said("candidate", "candidate", "nominated", "lost", 2, true),
	                 "Candidate: dropped (lost)");
}
END_TEST

START_TEST(ticks_goals_settings_templates)
{
	ck_assert_str_eq(said("tick", "Knows our senior executives", NULL, "ticked", 2, true),
	                 "Knows our senior executives: ticked");
	ck_assert_str_eq(said("tick", "Has visited", NULL, "plant tour", 2, true),
	                 "Has visited: ticked, note: plant tour");
	ck_assert_str_eq(said("tick", "Has visited", "plant tour", NULL, 2, true), "Has visited: unticked");
	/* a step named like a field is still a step when the entity says so */
	ck_assert_str_eq(said("tick", "owner", NULL, "ticked", 2, true), "owner: ticked");
	ck_assert_str_eq(said("goal", "2027", "45", "60", 2, true), "Goal 2027: 45 -> 60 new partners");
	ck_assert_str_eq(said("goal", "2029", NULL, "1", 2, true), "Goal 2029: - -> 1 new partner");
	ck_assert_str_eq(said("setting", "threshold", "0.7500", "0.6000", 2, true),
	                 "Partner threshold: 75% -> 60%");
	ck_assert_str_eq(said("setting", "currency", "USD", "EUR", 2, true), "Currency: USD -> EUR");
	ck_assert_str_eq(said("template", "name", NULL, "Field", 2, true), "Template Field: created");
	ck_assert_str_eq(said("template", "Field:name", "Field", "Onsite", 2, true),
	                 "Template Field: renamed to Onsite");
	ck_assert_str_eq(said("template", "A:B:step moved", "Toured", "3 -> 1", 2, true),
	                 "Template A:B: step 3 moved to 1: Toured");
	ck_assert_str_eq(said("template", "A:step retired", "Toured", NULL, 2, true),
	                 "Template A: step retired: Toured");
	ck_assert_str_eq(said("template", "Field:name", "Field", NULL, 2, true),
	                 "Template Field: deleted");
	ck_assert_str_eq(said("template", "Field:default", NULL, "yes", 2, true),
	                 "Template Field: made the default for new candidates");
	ck_assert_str_eq(said("template", "A:step rule", "Buys widely\t", "Buys widely\tcategories>=3",
	                      2, true),
	                 "Template A: rule of step 'Buys widely': - -> categories>=3");
	ck_assert_str_eq(said("template", "A:step rule", "B\tshare>=50", "B\t", 2, true),
	                 "Template A: rule of step 'B': share>=50 -> -");
	/* traits: added with a scale, renamed, retired; a rating on an account */
	ck_assert_str_eq(said("trait", "Trust", NULL, "1-5", 2, true), "Trait Trust: added, scored 1-5");
	ck_assert_str_eq(said("trait", "name", "Trust", "Faith", 2, true), "Trait Trust: renamed to Faith");
	ck_assert_str_eq(said("trait", "Trust", "active", "retired", 2, true), "Trait Trust: retired");
	ck_assert_str_eq(said("trait", "Trust", NULL, "4", 2, true), "Trust: rated 4");
	ck_assert_str_eq(said("trait", "Trust", NULL, "-1", 2, true), "Trust: rated -1");
	ck_assert_str_eq(said("trait", "Trust", NULL, "", 2, true), "Trust: rated ");
	/* a trait named "name" is still a trait */
	ck_assert_str_eq(said("trait", "name", NULL, "1-5", 2, true), "Trait name: added, scored 1-5");
	ck_assert_str_eq(said("trait", "name", NULL, "3", 2, true), "name: rated 3");
	ck_assert_str_eq(said("trait", "name", "active", "retired", 2, true), "Trait name: retired");
	ck_assert_str_eq(said("frob", "x", "1", "2", 2, true), "x: 1 -> 2");
}
END_TEST

/* The dashboard's pane has no entity: the field alone decides, and what no
 * field names is a checklist step. */
/* A team server's users: given a role, changed, taken away; an owner name. */
START_TEST(users_of_a_team_server)
{
	ck_assert_str_eq(said("user:role", "ana", NULL, "rep", 2, true), "User ana: added as rep");
	ck_assert_str_eq(said("user:role", "ana", "rep", "manager", 2, true),
	                 "User ana: rep -> manager");
	ck_assert_str_eq(said("user:role", "ana", "admin", NULL, 2, true),
	                 "User ana: removed (was admin)");
	ck_assert_str_eq(said("user:owner", "ana", "", "Ana Lima", 2, true),
	                 "User ana's owner name: - -> Ana Lima");
	/* a user named like a field is a user */
	ck_assert_str_eq(said("user:role", "amount", NULL, "rep", 2, true),
	                 "User amount: added as rep");
}
END_TEST

START_TEST(without_the_entity)
{
	ck_assert_str_eq(said(NULL, "qpc:Packaging", "5000.00", "9000.00", 2, true),
	                 "QPC in Packaging: 5,000.00 -> 9,000.00");
	ck_assert_str_eq(said(NULL, "rep_share_estimate_bp", "9000", NULL, 2, true),
	                 "Rep's estimate of our share: 90% -> -");
	ck_assert_str_eq(said(NULL, "candidate", NULL, "nominated", 2, true), "Candidate: nominated");
	ck_assert_str_eq(said(NULL, "Met the buyer", NULL, "ticked", 2, true), "Met the buyer: ticked");
	ck_assert_str_eq(said(NULL, NULL, NULL, NULL, 2, true), ": unticked");
}
END_TEST

START_TEST(basis_points)
{
	char b[16];
	ck_assert_str_eq(qpc_bp_text(0, b, sizeof b), "0%");
	ck_assert_str_eq(qpc_bp_text(10000, b, sizeof b), "100%");
	ck_assert_str_eq(qpc_bp_text(8250, b, sizeof b), "82.5%");
	ck_assert_str_eq(qpc_bp_text(5, b, sizeof b), "0.05%");
	ck_assert_str_eq(qpc_bp_text(-150, b, sizeof b), "-1.5%");
}
END_TEST

Suite *history_text_suite(void)
{
	Suite *s = suite_create("history_text");
	TCase *tc = tcase_create("words");
	tcase_add_test(tc, qpc_lines_in_money);
	tcase_add_test(tc, account_fields_in_units);
	tcase_add_test(tc, ticks_goals_settings_templates);
	tcase_add_test(tc, without_the_entity);
	tcase_add_test(tc, users_of_a_team_server);
	tcase_add_test(tc, basis_points);
	suite_add_tcase(s, tc);
	return s;
}
