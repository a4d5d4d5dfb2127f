/* cmd_user.c — qpc user list|add|set-role|set-owner|rm: the team server's
 * logins and their roles (the server enforces them). */
#include <getopt.h>
#include <string.h>

#include "qpc/cli.h"
#include "qpc/textcell.h"

static int print_user(const struct qpc_user_row *u, void *ctx)
{
	FILE *fp = ctx;
	char login[TEXTCELL_ESCAPE_SIZE(64)], owner[TEXTCELL_ESCAPE_SIZE(256)];
	textcell_escape(u->login, login, sizeof login);
	textcell_escape(u->owner[0] ? u->owner : "-", owner, sizeof owner);
	fprintf(fp, "%-20s %-8s %-24s added %.10s by %s%s\n", login, qpc_role_name(u->role), owner,
	        u->added_at, u->added_by, u->can_login ? "" : "  (cannot log in)");
	return 0;
}

static const char user_usage[] =
	"user takes: list, add NAME --role rep|manager|admin [--owner OWNER], "
	"set-role NAME ROLE, set-owner NAME OWNER, rm NAME";

int cmd_user(struct qpc_cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "role", required_argument, NULL, 'r' },
		{ "owner", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	const char *pos[3] = { NULL, NULL, NULL }, *role_arg = NULL, *owner = NULL;
	int npos = 0, o;
	optind = 1;
	while (optind < argc) {
		if ((o = cli_getopt(argc, argv, opts)) == -1) {
			if (npos < 3)
				pos[npos] = argv[optind];
			npos++;
			optind++;
		} else if (o == 'r') {
			role_arg = optarg;
		} else if (o == 'o') {
			owner = optarg;
		} else {
			return cli_bad_option(c, "user", argv, o);
		}
	}
	const char *what = pos[0] ? pos[0] : "";
	int want = strcmp(what, "list") == 0        ? 1
	           : strcmp(what, "add") == 0       ? 2
	           : strcmp(what, "set-role") == 0  ? 3
	           : strcmp(what, "set-owner") == 0 ? 3
	           : strcmp(what, "rm") == 0        ? 2
	                                            : 0;
	if (!want || npos != want)
		return cli_usage(c, "%s", user_usage);
	bool adding = strcmp(what, "add") == 0;
	if (!adding && (role_arg || owner))
		return cli_usage(c, "user: --role and --owner go with 'user add'");
	enum qpc_role role = QPC_ROLE_REP;
	const char *role_text = adding ? role_arg : strcmp(what, "set-role") == 0 ? pos[2] : NULL;
	if (adding && !role_arg)
		return cli_usage(c, "user add: say the user's role with --role rep|manager|admin");
	if (role_text && !qpc_role_parse(role_text, &role))
		return cli_usage(c, "user: a role is rep, manager or admin, not '%s'", role_text);

	struct qpc_error e = { 0 };
	struct qpc_store *st;
	enum qpc_rc rc = cli_open(c, QPC_OPEN_EXISTING, &st, &e);
	if (rc)
		return cli_fail(c, rc, &e);
	if (want == 1)
		return cli_done(c, st, qpc_store_users_each(st, print_user, c->out, &e), &e, NULL);
	char said[400];
	if (adding) {
		bool owned = owner && *owner;
		rc = qpc_store_user_add(st, pos[1], role, owned ? owner : "", &e);
		snprintf(said, sizeof said, "%.64s is a %s%s%.128s%s.", pos[1], qpc_role_name(role),
		         owned ? " for the accounts of '" : "", owned ? owner : "", owned ? "'" : "");
	} else if (strcmp(what, "set-role") == 0) {
		rc = qpc_store_user_set_role(st, pos[1], role, &e);
		snprintf(said, sizeof said, "%.64s is a %s.", pos[1], qpc_role_name(role));
	} else if (strcmp(what, "set-owner") == 0) {
		rc = qpc_store_user_set_owner(st, pos[1], pos[2], &e);
		snprintf(said, sizeof said, "%.64s works the accounts of '%.128s'.", pos[1], pos[2]);
	} else {
		rc = qpc_store_user_rm(st, pos[1], &e);
		snprintf(said, sizeof said, "%.64s is no longer a user here.", pos[1]);
	}
	if (rc)
		return cli_done(c, st, rc, &e, NULL);
	char shown[TEXTCELL_ESCAPE_SIZE(sizeof said)];
	textcell_escape(said, shown, sizeof shown);
	return cli_done(c, st, rc, &e, shown);
}
