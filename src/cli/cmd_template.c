/* cmd_template.c — qpc template list|show|add|rename|step-add|step-rm|step-move|step-rule|
 * default|rm. */
#include <stdlib.h>
#include <string.h>

#include "qpc/cli.h"
#include "qpc/edit.h"
#include "qpc/textcell.h"

static void print_steps(FILE *fp, const struct qpc_template *t)
{
	for (int i = 0; i < t->nsteps; i++) {
		char text[TEXTCELL_ESCAPE_SIZE(200)];
		textcell_escape(t->steps[i].text, text, sizeof text);
		if (t->steps[i].retired)
			fprintf(fp, "   -  %s (retired)\n", text);
		else if (t->steps[i].rule[0]) {
			char rule[TEXTCELL_ESCAPE_SIZE(sizeof t->steps[i].rule)];
			textcell_escape(t->steps[i].rule, rule, sizeof rule);
			fprintf(fp, "  %2d. %s  [rule: %s]\n", t->steps[i].position, text, rule);
		}
		else
			fprintf(fp, "  %2d. %s\n", t->steps[i].position, text);
	}
}

static int list_one(const struct qpc_template *t, void *ctx)
{
	FILE *fp = ctx;
	int live = 0;
	for (int i = 0; i < t->nsteps; i++)
		live += !t->steps[i].retired;
	char name[TEXTCELL_ESCAPE_SIZE(96)];
	textcell_escape(t->name, name, sizeof name);
	fprintf(fp, "%s%s: %d step%s, %lld active candidate%s\n", name,
	        t->is_default ? " (default)" : "", live, live == 1 ? "" : "s", (long long)t->candidates,
	        t->candidates == 1 ? "" : "s");
	return 0;
}

static int number(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	return *end || !*s || v < 1 || v > 1000 ? -1 : (int)v;
}

int cmd_template(struct qpc_cli *c, int argc, char **argv)
{
	static const struct {
		const char *verb, *args;
		int nargs;
	} verbs[] = {
		{ "list", "", 0 },           { "show", "NAME", 1 },
		{ "add", "NAME [STEP...]", -1 }, { "rename", "NAME NEW-NAME", 2 },
		{ "step-add", "NAME TEXT [POSITION]", -2 }, { "step-rm", "NAME STEP", 2 },
		{ "step-move", "NAME STEP POSITION", 3 }, { "default", "NAME", 1 },
		{ "rm", "NAME", 1 }, { "step-rule", "NAME STEP RULE", 3 },
	};
	if (argc < 2)
		return cli_usage(c, "template: say list, show, add, rename, step-add, step-rm,"
		                    " step-move, step-rule, default or rm");
	size_t v;
	for (v = 0; v < sizeof verbs / sizeof *verbs; v++)
		if (strcmp(argv[1], verbs[v].verb) == 0)
			break;
	if (v == sizeof verbs / sizeof *verbs)
		return cli_usage(c, "template: unknown action '%s'", argv[1]);
	int n = argc - 2, want = verbs[v].nargs;
	if ((want >= 0 && n != want) || (want == -1 && n < 1) || (want == -2 && (n < 2 || n > 3)))
		return cli_usage(c, "template %s takes %s", verbs[v].verb, verbs[v].args);
	char **a = argv + 2;

	struct qpc_error e = { 0 };
	struct qpc_store *st;
	enum qpc_rc rc = cli_open(c, QPC_OPEN_EXISTING, &st, &e);
	if (rc)
		return cli_fail(c, rc, &e);
	struct qpc_template *t = calloc(1, sizeof *t);
	if (!t) {
		qpc_store_close(st);
		fputs("qpc: out of memory\n", c->err);
		return 1;
	}
	int p1, p2;
	char created[64], deleted[TEXTCELL_ESCAPE_SIZE(96) + 64], heir[96] = "";
	/* done: what the templates view says after the same change */
	const char *said[] = { NULL, NULL, created, "Template renamed", "Step added",
		               "Step retired: its ticks stay in the history", "Step moved",
		               "New candidates get this template", deleted, NULL };
	snprintf(created, sizeof created, "Template created with %d step%s", n - 1,
	         n == 2 ? "" : "s");
	switch (v) {
	case 0:
		rc = qpc_template_each(st, list_one, c->out, &e);
		break;
	case 1:
		if (!(rc = qpc_template_get(st, a[0], t, &e))) {
			list_one(t, c->out);
			print_steps(c->out, t);
		}
		break;
	case 2:
		rc = qpc_store_template_create(st, a[0], (const char *const *)a + 1, n - 1, NULL, &e);
		break;
	case 3:
		rc = qpc_template_rename(st, a[0], a[1], &e);
		break;
	case 4:
		p1 = n == 3 ? number(a[2]) : 0;
		rc = p1 < 0 ? qpc_error_set(&e, QPC_ERR_USAGE, "a position is a number from 1")
		            : qpc_template_step_add(st, a[0], a[1], p1, &e);
		break;
	case 5:
		p1 = number(a[1]);
		rc = p1 < 0 ? qpc_error_set(&e, QPC_ERR_USAGE, "a step is a number from 1")
		            : qpc_template_step_retire(st, a[0], p1, &e);
		break;
	case 6:
		p1 = number(a[1]);
		p2 = number(a[2]);
		rc = p1 < 0 || p2 < 0 ? qpc_error_set(&e, QPC_ERR_USAGE, "steps are numbers from 1")
		                      : qpc_template_step_move(st, a[0], p1, p2, &e);
		break;
	case 7:
		rc = qpc_template_set_default(st, a[0], &e);
		break;
	case 8:
		rc = qpc_template_delete(st, a[0], heir, sizeof heir, &e);
		break;
	default: /* step-rule, then the step as it now reads */
		p1 = number(a[1]);
		rc = p1 < 0 ? qpc_error_set(&e, QPC_ERR_USAGE, "a step is a number from 1")
		            : qpc_template_step_rule(st, a[0], p1, a[2], &e);
		if (!rc && !(rc = qpc_template_get(st, a[0], t, &e)))
			for (int i = 0; i < t->nsteps; i++)
				if (!t->steps[i].retired && t->steps[i].position == p1) {
					struct qpc_template one = { .nsteps = 1 };
					one.steps[0] = t->steps[i];
					print_steps(c->out, &one);
					if (!t->steps[i].rule[0])
						fputs("No rule: the step is ticked on people's word alone\n", c->out);
				}
		break;
	}
	if (heir[0]) {
		char h[TEXTCELL_ESCAPE_SIZE(96)];
		textcell_escape(heir, h, sizeof h);
		snprintf(deleted, sizeof deleted, "Template deleted; new candidates now get '%s'", h);
	} else {
		snprintf(deleted, sizeof deleted, "Template deleted");
	}
	free(t);
	qpc_store_close(st);
	if (rc)
		return cli_fail(c, rc, &e);
	if (said[v])
		fprintf(c->out, "%s\n", said[v]);
	return 0;
}
