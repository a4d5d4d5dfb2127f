/* cmd_init.c — qpc init [--demo]. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "qpc/cli.h"
#include "qpc/demo.h"
#include "qpc/outpath.h"

int cmd_init(struct qpc_cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "demo", no_argument, NULL, 'D' },
		{ "accounts", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	bool demo = false;
	int accounts = QPC_DEMO_ACCOUNTS, o;
	while ((o = getopt_long(argc, argv, "+:", opts, NULL)) != -1) {
		if (o == 'D') {
			demo = true;
		} else if (o == 'n') {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*end || v < 1 || v > 10000000)
				return cli_usage(c, "--accounts takes a count from 1 to 10000000");
			accounts = (int)v;
		} else {
			return cli_bad_option(c, "init", argv, o);
		}
	}
	if (optind < argc)
		return cli_usage(c, "init: unexpected argument '%s'", argv[optind]);

	bool server = qpc_store_is_server(c->db_path);
	struct qpc_error e = { 0 };
	struct qpc_store *st;
	enum qpc_rc rc = cli_open(c, QPC_OPEN_CREATE, &st, &e);
	if (rc)
		return cli_fail(c, rc, &e);
	int was = qpc_store_opened_version(st);
	if (server && was == 0)
		fprintf(c->out, "qpc: created qpc's schema and roles on the team server; %s is its "
		                "first admin\n", qpc_store_user(st));
	else if (server && was < qpc_store_backend_version(st))
		fprintf(c->out, "qpc: migrated the team server's schema from version %d to %d\n", was,
		        qpc_store_backend_version(st));
	else if (server && !demo)
		fprintf(c->out, "qpc: the team server is ready (schema version %d); nothing to do\n",
		        was);
	if (server && !demo) {
		qpc_store_close(st);
		return 0;
	}
	if (demo) {
		int64_t n;
		if ((rc = qpc_store_count_accounts(st, &n, &e)))
			goto fail;
		if (n > 0) {
			qpc_error_set(&e, QPC_ERR_USAGE,
			              "%s already holds %lld accounts; demo data goes into a new "
			              "database (name another with --db)",
			              server ? "the team server" : c->db_path, (long long)n);
			rc = QPC_ERR_USAGE;
			goto fail;
		}
		if ((rc = qpc_demo_generate(st, c->as_of, accounts, &e)))
			goto fail;
		if (server)
			fprintf(c->out, "qpc: added demo data to the team server (%d account%s)\n",
			        accounts, accounts == 1 ? "" : "s");
		else
			fprintf(c->out, "qpc: created %s with demo data (%d account%s)\n", c->db_path,
			        accounts, accounts == 1 ? "" : "s");
	} else if (was == 0) {
		fprintf(c->out, "qpc: created %s\n", c->db_path);
	} else if (was < qpc_store_schema_version()) {
		fprintf(c->out, "qpc: migrated %s from schema version %d to %d\n", c->db_path, was,
		        qpc_store_schema_version());
	} else {
		fprintf(c->out, "qpc: %s is ready (schema version %d); nothing to do\n", c->db_path,
		        was);
	}
	qpc_store_close(st);
	return 0;
fail:
	qpc_store_close(st);
	return cli_fail(c, rc, &e);
}

/* qpc backup FILE [--force] */
int cmd_backup(struct qpc_cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dest = NULL;
	bool force = false;
	int o;
	while (optind < argc) {
		if ((o = getopt_long(argc, argv, "+:", opts, NULL)) == -1) {
			if (dest)
				return cli_usage(c, "backup takes one FILE to write");
			dest = argv[optind++];
		} else if (o == 'f') {
			force = true;
		} else {
			return cli_bad_option(c, "backup", argv, o);
		}
	}
	if (!dest || !*dest)
		return cli_usage(c, "backup takes one FILE to write");
	if (qpc_store_is_server(c->db_path))
		return cli_usage(c, "a team server is backed up with PostgreSQL's pg_dump (pg_dump "
		                    "--format=custom --file=%s DATABASE), which copies it while everyone "
		                    "works; qpc backup copies a SQLite file",
		                 dest);
	struct qpc_error e = { 0 };
	struct qpc_store *st;
	/* refused before the database is even opened (the store checks again) */
	enum qpc_rc rc = outpath_check(dest, c->db_path, NULL, &e);
	if (rc || (rc = cli_open(c, QPC_OPEN_EXISTING, &st, &e)))
		return cli_fail(c, rc, &e);
	rc = qpc_store_backup(st, dest, force, &e);
	qpc_store_close(st);
	if (rc)
		return cli_fail(c, rc, &e);
	fprintf(c->out, "qpc: copied %s to %s\n", c->db_path, dest);
	return 0;
}
