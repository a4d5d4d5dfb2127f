/* pg.c — the team server: qpc's database on PostgreSQL, through libpq.
 *
 * On a server the user is the database login, and what a login may change
 * is the server's to enforce: three group roles (qpc_rep, within
 * qpc_manager, within qpc_admin), GRANTs on tables and columns, and
 * row-level security on the rows a rep may touch.  A rep using psql can do
 * no more than in qpc.
 *
 * What runs here today: connecting (a URI or connection settings; never a
 * password on the command line), creating the schema and the roles under
 * an advisory lock (init), and the users.  The schema holds every table a
 * SQLite file has, so that the rest of the store can follow it here. */
#include <ctype.h>
#include <errno.h>
#include <libpq-fe.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

/* Every change to a table tells the listening dashboards
 * (browse_server.c) at its commit, on the channel qpc_change, what it
 * changed of the accounts' figures: an account's id a row (a row's own
 * trigger), "*" for every account (settings; a bulk load, which says so
 * itself and sets qpc.bulk so that its rows do not), or "" for none (a
 * change the dashboards read afresh anyway).  Version 4. */
#define CHANGE_NOTICE                                                                          \
	"CREATE FUNCTION changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"                  \
	"  PERFORM pg_notify('qpc_change', TG_ARGV[0]); RETURN NULL; END $$;"                    \
	"CREATE FUNCTION changed_id() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"               \
	"  IF TG_OP <> 'DELETE' THEN PERFORM pg_notify('qpc_change', CAST(NEW.id AS text)); END IF;" \
	"  IF TG_OP <> 'INSERT' THEN PERFORM pg_notify('qpc_change', CAST(OLD.id AS text)); END IF;" \
	"  RETURN NULL; END $$;"                                                                  \
	"CREATE FUNCTION changed_account() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"          \
	"  IF TG_OP <> 'DELETE' THEN"                                                             \
	"    PERFORM pg_notify('qpc_change', coalesce(CAST(NEW.account_id AS text), '')); END IF;" \
	"  IF TG_OP <> 'INSERT' THEN"                                                             \
	"    PERFORM pg_notify('qpc_change', coalesce(CAST(OLD.account_id AS text), '')); END IF;" \
	"  RETURN NULL; END $$;"                                                                  \
	"DO $$ DECLARE t text; f text; unless_bulk text :="                                       \
	"  ' WHEN (current_setting(''qpc.bulk'', true) IS DISTINCT FROM ''on'')'; BEGIN"          \
	"  FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'qpc' LOOP"                \
	"    f := CASE WHEN t = 'account' THEN 'changed_id()' WHEN t IN ('sale', 'potential',"      \
	"      'qpc_fact', 'candidate', 'contract', 'account_figure', 'status_span')"              \
	"      THEN 'changed_account()' WHEN t IN ('history', 'tick', 'step_plan', 'goal',"        \
	"      'template', 'template_step', 'trait', 'trait_rating', 'category', 'app_user',"      \
	"      'meta', 'import_mapping') THEN 'changed('''')' ELSE 'changed(''*'')' END;"          \
	"    IF f LIKE 'changed(%' THEN"                                                          \
	"      EXECUTE format('CREATE TRIGGER changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE" \
	" ON qpc.%I FOR EACH STATEMENT%s EXECUTE FUNCTION qpc.%s', t, unless_bulk, f);"           \
	"    ELSE"                                                                                \
	"      EXECUTE format('CREATE TRIGGER changed AFTER INSERT OR UPDATE OR DELETE ON qpc.%I"  \
	" FOR EACH ROW%s EXECUTE FUNCTION qpc.%s', t, unless_bulk, f);"                           \
	"      EXECUTE format('CREATE TRIGGER changed_truncate AFTER TRUNCATE ON qpc.%I"           \
	" FOR EACH STATEMENT EXECUTE FUNCTION qpc.changed(''*'')', t);"                           \
	"    END IF;"                                                                             \
	"  END LOOP; END $$;"

/* The server's schema version: its own line, apart from the file's
 * PRAGMA user_version. */
#define PG_SCHEMA_VERSION 7
/* Tries of a change the server rolled back for a concurrent one. */
#define PG_RETRIES 60
#define PG_STR_(x) #x
#define PG_STR(x) PG_STR_(x)
/* pg_advisory_lock's key for creating or migrating the schema: "qpc" */
#define PG_SCHEMA_LOCK "7368803"
/* and its key for the turns that changes run again take (st_retry) */
#define PG_TURN_LOCK "7368804"

#define PG_KEPT 64

struct st_pg {
	PGconn *conn;
	bool icu; /* the server has the Unicode root collation (und-x-icu) */
	bool conflict; /* the last transaction failed for a concurrent one */
	/* ST_RETRIED's changes (how deep), whether the open one waits a
	 * second at most for its locks, whether that wait ran out, and
	 * whether it now waits as long as it takes */
	unsigned retried;
	bool short_wait, lock_waited, patient;
	/* the change has lost to another, and holds the turn alone
	 * (st_retry); it has said it waits */
	bool alone, said;
	enum qpc_role role;
	bool has_role;
	unsigned cursors; /* cursor names used: qpc_c1, qpc_c2, ... */
	/* the stream whose next batch the server is reading (fetch), and
	 * why the last batch read ahead failed, if it did: its SQLSTATE and
	 * its message ("": it did not; pg_fail) */
	struct st_pg_q *ahead;
	char ahead_state[6], ahead_why[400];
	/* how many times a statement found no transaction open: a cursor
	 * declared at another count has ended with its transaction */
	unsigned epoch;
	/* a statement sent to run while the connection is idle
	 * (st_pg_background), whether qpc cancelled it, and how the last one
	 * ended */
	bool behind, cancel_sent;
	enum st_bg behind_end;
	/* statements the server keeps parsed and planned (qpc_s1, ...), by
	 * the SQL's address: those a loop runs once per row */
	struct {
		const char *sql;
		char name[24];
	} kept[PG_KEPT];
	int nkept;
	/* accounts whose facts the open change touched: their status spans
	 * are made again before it commits */
	int64_t *touched;
	size_t ntouched, cap;
};

/* The first line of a message from libpq or the server, without its
 * "FATAL:  " or "ERROR:  ": one sentence for ours. */
static void first_line(const char *msg, char *out, size_t n)
{
	if (!msg)
		msg = "";
	for (const char *p; (p = strstr(msg, ":  ")) && p - msg < 10;)
		msg = p + 3;
	size_t k = strcspn(msg, "\n");
	while (k > 0 && (msg[k - 1] == '.' || isspace((unsigned char)msg[k - 1])))
		k--;
	snprintf(out, n, "%.*s", (int)k, msg);
}

/* The server said no to `doing`: an error that says why, in the terms of
 * qpc_rc. */
static enum qpc_rc pg_fail(struct qpc_store *st, const PGresult *r, const char *doing,
                           struct qpc_error *e)
{
	char why[400];
	first_line(r ? PQresultErrorMessage(r) : PQerrorMessage(st->pg->conn), why, sizeof why);
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	/* a batch read ahead failed and took the transaction with it: that
	 * is the failure to tell (a conflict to run again, say), not what
	 * the server said of this statement after it */
	if (state && strcmp(state, "25P02") == 0 && st->pg->ahead_why[0]) {
		snprintf(why, sizeof why, "%s", st->pg->ahead_why);
		state = st->pg->ahead_state[0] ? st->pg->ahead_state : NULL;
	}
	if (!state)
		state = PQstatus(st->pg->conn) == CONNECTION_OK ? "XX000" : "08000";
	if (strcmp(state, "42501") == 0 && st->pg->has_role)
		return qpc_error_set(e, QPC_ERR_DENIED, "%s is not for a %s (login %s): the team server "
		                     "refused it", doing, qpc_role_name(st->pg->role), st->user);
	if (strcmp(state, "42501") == 0)
		return qpc_error_set(e, QPC_ERR_DENIED, "%s: the team server refused: %s", doing, why);
	if (strncmp(state, "23", 2) == 0)
		return qpc_error_set(e, QPC_ERR_DATA, "%s: %s", doing, why);
	if (strncmp(state, "08", 2) == 0)
		return qpc_error_set(e, QPC_ERR_IO, "%s: the connection to the team server failed: %s",
		                     doing, why);
	if (strcmp(state, "QP001") == 0)
		return qpc_error_set(e, QPC_ERR_USAGE, "%s", why);
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0) {
		st->pg->conflict = true;
		return qpc_error_set(e, QPC_ERR_BUSY, "%s: other changes to the same rows kept "
		                     "coming first: %s", doing, why);
	}
	if (strcmp(state, "55P03") == 0) {
		if (st->pg->short_wait) /* said and waited for again: st_retry */
			st->pg->conflict = st->pg->lock_waited = true;
		return qpc_error_set(e, QPC_ERR_BUSY, "%s: %s", doing, why);
	}
	return qpc_error_set(e, QPC_ERR_DB, "%s: %s", doing, why);
}

static void settle(struct st_pg *pg);
static void catch_up(struct st_pg *pg);

/* Asks the server to stop the statement running in the background. */
static void cancel(struct st_pg *pg)
{
	PGcancel *c = PQgetCancel(pg->conn);
	if (st_pg_cancel_send(c))
		pg->cancel_sent = true;
	PQfreeCancel(c);
}

/* The connection, free for a statement: the batch a stream's cursor is
 * reading ahead (fetch) is taken first, or libpq would drop it unread;
 * a statement running in the background is cancelled, so that nobody
 * waits for it.  Why a batch failed, if it did, is kept while its
 * transaction is aborted. */
static PGconn *idle(struct st_pg *pg)
{
	if (pg->ahead)
		settle(pg);
	if (pg->behind) {
		if (PQconsumeInput(pg->conn) && PQisBusy(pg->conn))
			cancel(pg);
		catch_up(pg);
	}
	PGTransactionStatusType now = PQtransactionStatus(pg->conn);
	if (now != PQTRANS_INERROR)
		pg->ahead_why[0] = '\0';
	if (now == PQTRANS_IDLE)
		pg->epoch++;
	return pg->conn;
}

/* Runs sql with its parameters as text; *out the result (NULL: cleared). */
static enum qpc_rc pg_run(struct qpc_store *st, PGresult **out, const char *doing,
                          struct qpc_error *e, const char *sql, int n, const char *const *params)
{
	/* without parameters, a script of several statements may run */
	PGresult *r = n ? PQexecParams(idle(st->pg), sql, n, NULL, params, NULL, NULL, 0)
	                : PQexec(idle(st->pg), sql);
	ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
		enum qpc_rc rc = pg_fail(st, r, doing, e);
		PQclear(r);
		if (out)
			*out = NULL;
		return rc;
	}
	if (out)
		*out = r;
	else
		PQclear(r);
	return QPC_OK;
}

#define PG_RUN(st, out, doing, e, sql, ...)                                                   \
	pg_run(st, out, doing, e, sql,                                                            \
	       (int)(sizeof((const char *[]){ NULL, __VA_ARGS__ }) / sizeof(const char *) - 1),   \
	       (const char *const *)&((const char *[]){ NULL, __VA_ARGS__ })[1])

static enum qpc_rc pg_exec(struct qpc_store *st, const char *doing, const char *sql,
                           struct qpc_error *e)
{
	return pg_run(st, NULL, doing, e, sql, 0, NULL);
}

/* Status spans are derived from an account's facts, made again by the
 * change that alters them: whoever may change an account's facts writes
 * its spans (a rep those of their accounts).  Version 2. */
#define STATUS_SPAN_RIGHTS                                                                     \
	"GRANT INSERT, DELETE ON status_span TO qpc_rep;"                                       \
	"ALTER TABLE status_span ENABLE ROW LEVEL SECURITY;"                                    \
	"CREATE POLICY everyone_reads ON status_span FOR SELECT USING (true);"                  \
	"CREATE POLICY made_with_facts ON status_span FOR INSERT TO qpc_rep"                    \
	"  WITH CHECK (may_edit(account_id));"                                                  \
	"CREATE POLICY unmade_with_facts ON status_span FOR DELETE TO qpc_rep"                  \
	"  USING (may_edit(account_id));"

/* A QPC line removed is a fact too, dated the day the client says
 * (qpc.today, set in the removing transaction; else the server's):
 * written by the table's owner like the others.  Version 3; from 6, not
 * when the account itself is deleted (by hand: qpc deletes none), whose
 * facts go with it. */
#define POTENTIAL_REMOVED                                                                      \
	"CREATE FUNCTION potential_removed() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER"  \
	"  SET search_path = qpc, pg_temp AS $$ DECLARE day text := coalesce(nullif("             \
	"    current_setting('qpc.today', true), ''), to_char(current_date, 'YYYY-MM-DD'));"     \
	"  BEGIN"                                                                               \
	"  IF NOT EXISTS (SELECT 1 FROM account WHERE id = OLD.account_id) THEN RETURN NULL;"     \
	"  END IF;"                                                                             \
	"  UPDATE qpc_fact SET replaced = 1 WHERE account_id = OLD.account_id"                    \
	"    AND category_id = OLD.category_id AND measured_on >= day AND replaced = 0;"          \
	"  INSERT INTO qpc_fact (account_id, category_id, measured_on, amount, measured_by)"      \
	"    VALUES (OLD.account_id, OLD.category_id, day, NULL, session_user);"                  \
	"  RETURN NULL; END $$;"                                                                  \
	"REVOKE ALL ON FUNCTION potential_removed() FROM PUBLIC;"                                 \
	"CREATE TRIGGER potential_removed AFTER DELETE ON potential"                              \
	"  FOR EACH ROW EXECUTE FUNCTION potential_removed();"

/* The server's schema, owned by qpc_admin: the tables of a SQLite file
 * (schema.c) in PostgreSQL's words, and who may write them.  Dates are
 * text as there ('YYYY-MM-DD'), so that one query reads both; money is
 * bigint cents, shares integer basis points. */
static const char schema_sql[] =
	"CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);"
	"CREATE TABLE app_user (login name PRIMARY KEY,"
	"  role text NOT NULL CHECK (role IN ('rep', 'manager', 'admin')),"
	"  owner text NOT NULL DEFAULT '', added_at text NOT NULL, added_by text NOT NULL,"
	"  made boolean NOT NULL DEFAULT false);"
	"CREATE TABLE setting (key text PRIMARY KEY, value text NOT NULL);"
	"CREATE TABLE setting_change (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	"  key text NOT NULL, effective_on text NOT NULL, value text NOT NULL,"
	"  changed_at text NOT NULL, changed_by text NOT NULL);"
	"CREATE TABLE account (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	"  external_id text COLLATE \"C\" UNIQUE, name text NOT NULL, owner text NOT NULL DEFAULT '',"
	"  segment text NOT NULL DEFAULT '', city text NOT NULL DEFAULT '',"
	"  country text NOT NULL DEFAULT '', employees bigint, annual_revenue bigint,"
	"  contract_partner integer NOT NULL DEFAULT 0 CHECK (contract_partner IN (0, 1)),"
	"  contract_value bigint, rep_share_bp integer, cost_to_serve bigint,"
	"  account_sales_12m bigint, account_gp_12m bigint, notes text NOT NULL DEFAULT '',"
	"  version bigint NOT NULL DEFAULT 1, created_at text NOT NULL, updated_at text NOT NULL,"
	"  name_key text COLLATE \"C\" NOT NULL DEFAULT '');"
	"CREATE INDEX account_name_key ON account (name_key, id);"
	"CREATE TABLE category (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	"  name text NOT NULL);"
	"CREATE UNIQUE INDEX category_name ON category (lower(name));"
	"CREATE TABLE potential (account_id bigint NOT NULL REFERENCES account ON DELETE CASCADE,"
	"  category_id bigint NOT NULL REFERENCES category, amount bigint NOT NULL"
	"  CHECK (amount >= 0), basis text NOT NULL DEFAULT '', verified integer NOT NULL"
	"  DEFAULT 0 CHECK (verified IN (0, 1)), measured_on text NOT NULL,"
	"  measured_by text NOT NULL DEFAULT '', version bigint NOT NULL DEFAULT 1,"
	"  inputs text NOT NULL DEFAULT '', PRIMARY KEY (account_id, category_id));"
	"CREATE TABLE qpc_fact (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	"  account_id bigint NOT NULL REFERENCES account ON DELETE CASCADE,"
	"  category_id bigint NOT NULL REFERENCES category, measured_on text NOT NULL,"
	"  amount bigint CHECK (amount IS NULL OR amount >= 0), basis text NOT NULL DEFAULT '',"
	"  verified integer NOT NULL DEFAULT 0, measured_by text NOT NULL DEFAULT '',"
	"  inputs text NOT NULL DEFAULT '', replaced integer NOT NULL DEFAULT 0);"
	"CREATE INDEX qpc_fact_by_account ON qpc_fact (account_id, category_id, measured_on);"
	"CREATE TABLE template (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	"  name text NOT NULL, is_default integer NOT NULL DEFAULT 0);"
	"CREATE UNIQUE INDEX template_name ON template (lower(name));"
	"CREATE TABLE template_step (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	"  template_id bigint NOT NULL REFERENCES template ON DELETE CASCADE,"
	"  position integer NOT NULL, text text NOT NULL, retired integer NOT NULL DEFAULT 0,"
	"  rule text NOT NULL DEFAULT '');"
	"CREATE TABLE candidate (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	"  account_id bigint NOT NULL REFERENCES account ON DELETE CASCADE,"
	"  template_id bigint NOT NULL REFERENCES template, nominated_on text NOT NULL,"
	"  nominated_by text NOT NULL, dropped_on text, drop_reason text,"
	"  version bigint NOT NULL DEFAULT 1);"
	"CREATE UNIQUE INDEX candidate_active ON candidate (account_id) WHERE dropped_on IS NULL;"
	"CREATE TABLE tick (candidate_id bigint NOT NULL REFERENCES candidate ON DELETE CASCADE,"
	"  step_id bigint NOT NULL REFERENCES template_step, ticked_by text NOT NULL,"
	"  ticked_at text NOT NULL, note text NOT NULL DEFAULT '',"
	"  PRIMARY KEY (candidate_id, step_id));"
	"CREATE TABLE step_plan (candidate_id bigint NOT NULL REFERENCES candidate"
	"  ON DELETE CASCADE, step_id bigint NOT NULL REFERENCES template_step,"
	"  owner text NOT NULL DEFAULT '', due text, PRIMARY KEY (candidate_id, step_id));"
	"CREATE TABLE goal (year integer PRIMARY KEY, target integer NOT NULL"
	"  CHECK (target >= 0), version bigint NOT NULL DEFAULT 1);"
	"CREATE TABLE history (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	"  at text NOT NULL, effective text NOT NULL, \"user\" text NOT NULL, account_id bigint,"
	"  entity text NOT NULL, field text NOT NULL, old text, new text);"
	"CREATE INDEX history_by_account ON history (account_id, id);"
	"CREATE TABLE import_mapping (kind text NOT NULL, header text NOT NULL,"
	"  mapping text NOT NULL, profile text NOT NULL DEFAULT '', used_at text NOT NULL,"
	"  PRIMARY KEY (kind, header));"
	"CREATE TABLE contract (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	"  account_id bigint NOT NULL REFERENCES account ON DELETE CASCADE,"
	"  signed_on text NOT NULL, ends_on text CHECK (ends_on IS NULL OR ends_on > signed_on),"
	"  value bigint CHECK (value IS NULL OR value >= 0), recorded_at text NOT NULL,"
	"  recorded_by text NOT NULL, version bigint NOT NULL DEFAULT 1);"
	"CREATE TABLE account_figure (account_id bigint NOT NULL REFERENCES account"
	"  ON DELETE CASCADE, as_of text NOT NULL, sales_12m bigint NOT NULL, gp_12m bigint,"
	"  PRIMARY KEY (account_id, as_of));"
	"CREATE TABLE status_span (account_id bigint NOT NULL REFERENCES account"
	"  ON DELETE CASCADE, since text NOT NULL, status integer NOT NULL, prev integer NOT NULL,"
	"  PRIMARY KEY (account_id, since));"
	"CREATE TABLE sale (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	"  account_id bigint NOT NULL REFERENCES account ON DELETE CASCADE, date text NOT NULL,"
	"  category_id bigint REFERENCES category, amount bigint NOT NULL, gross_profit bigint,"
	"  source_key text COLLATE \"C\" UNIQUE);"
	"CREATE INDEX sale_by_account ON sale (account_id, date);"
	"CREATE TABLE trait (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	"  name text NOT NULL, scale_min integer NOT NULL DEFAULT 1,"
	"  scale_max integer NOT NULL DEFAULT 5 CHECK (scale_max > scale_min),"
	"  retired integer NOT NULL DEFAULT 0);"
	"CREATE UNIQUE INDEX trait_name ON trait (lower(name));"
	"CREATE TABLE trait_rating (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	"  account_id bigint NOT NULL REFERENCES account ON DELETE CASCADE,"
	"  trait_id bigint NOT NULL REFERENCES trait, score integer NOT NULL,"
	"  note text NOT NULL DEFAULT '', rated_on text NOT NULL, rated_by text NOT NULL);"

	/* A QPC line's every value is a dated fact (schema.c's triggers): kept
	 * by the table's owner, so that nobody writes a fact by hand. */
	"CREATE FUNCTION potential_fact() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER"
	"  SET search_path = qpc, pg_temp AS $$ BEGIN"
	"  IF TG_OP = 'UPDATE' AND (OLD.amount, OLD.basis, OLD.verified, OLD.measured_on,"
	"     OLD.measured_by, OLD.inputs) IS NOT DISTINCT FROM (NEW.amount, NEW.basis,"
	"     NEW.verified, NEW.measured_on, NEW.measured_by, NEW.inputs) THEN RETURN NULL;"
	"  END IF;"
	"  UPDATE qpc_fact SET replaced = 1 WHERE account_id = NEW.account_id"
	"    AND category_id = NEW.category_id AND measured_on >= NEW.measured_on"
	"    AND replaced = 0;"
	"  INSERT INTO qpc_fact (account_id, category_id, measured_on, amount, basis, verified,"
	"    measured_by, inputs) VALUES (NEW.account_id, NEW.category_id, NEW.measured_on,"
	"    NEW.amount, NEW.basis, NEW.verified, NEW.measured_by, NEW.inputs);"
	"  RETURN NULL; END $$;"
	"CREATE TRIGGER potential_fact AFTER INSERT OR UPDATE ON potential"
	"  FOR EACH ROW EXECUTE FUNCTION potential_fact();"
	POTENTIAL_REMOVED

	/* Who works here: the login's role, for anyone who may connect (a
	 * login without one reads nothing), and whether it may change an
	 * account's rep-owned values: a manager's any, a rep's own. */
	"CREATE FUNCTION my_role() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER"
	"  SET search_path = qpc, pg_temp AS"
	"  $$ SELECT role FROM app_user WHERE login = session_user $$;"
	"CREATE FUNCTION may_edit(account bigint) RETURNS boolean LANGUAGE sql STABLE"
	"  SECURITY DEFINER SET search_path = qpc, pg_temp AS $$"
	"  SELECT pg_has_role(session_user, 'qpc_manager', 'MEMBER') OR EXISTS (SELECT 1"
	"    FROM account a JOIN app_user u ON u.login = session_user"
	"    WHERE a.id = account AND u.owner <> '' AND a.owner = u.owner) $$;"
	"REVOKE ALL ON FUNCTION potential_fact(), may_edit(bigint) FROM PUBLIC;"
	"GRANT EXECUTE ON FUNCTION may_edit(bigint) TO qpc_rep;"

	/* Reading: every role.  Writing, the least each role needs. */
	"GRANT USAGE ON SCHEMA qpc TO PUBLIC;"
	"GRANT SELECT ON meta TO PUBLIC;"
	"GRANT SELECT ON ALL TABLES IN SCHEMA qpc TO qpc_rep;"
	"GRANT USAGE ON ALL SEQUENCES IN SCHEMA qpc TO qpc_rep;"
	/* a rep: QPC lines (a new category with one), the share estimate, and
	 * the history of both, under their own name */
	"GRANT INSERT, UPDATE, DELETE ON potential TO qpc_rep;"
	/* named columns: an id of one's choosing would block the sequence */
	"GRANT INSERT (name) ON category TO qpc_rep;"
	"GRANT UPDATE (rep_share_bp, version, updated_at) ON account TO qpc_rep;"
	"GRANT INSERT (at, effective, \"user\", account_id, entity, field, old, new)"
	"  ON history TO qpc_rep;"
	/* a manager: the candidacies and their checklists, goals, templates,
	 * traits and ratings, contracts */
	"GRANT INSERT, UPDATE, DELETE ON candidate, tick, step_plan, goal, template,"
	"  template_step, trait, trait_rating, contract TO qpc_manager;"
	/* an admin owns it all: imports, settings, users, migrations */
	STATUS_SPAN_RIGHTS

	"ALTER TABLE potential ENABLE ROW LEVEL SECURITY;"
	"CREATE POLICY everyone_reads ON potential FOR SELECT USING (true);"
	"CREATE POLICY rep_owns ON potential FOR ALL TO qpc_rep"
	"  USING (may_edit(account_id)) WITH CHECK (may_edit(account_id));"
	"ALTER TABLE account ENABLE ROW LEVEL SECURITY;"
	"CREATE POLICY everyone_reads ON account FOR SELECT USING (true);"
	"CREATE POLICY rep_owns ON account FOR UPDATE TO qpc_rep"
	"  USING (may_edit(id)) WITH CHECK (may_edit(id));"
	"ALTER TABLE history ENABLE ROW LEVEL SECURITY;"
	"CREATE POLICY everyone_reads ON history FOR SELECT USING (true);"
	/* a line of history under one's own name, of a change one may make:
	 * a rep's of their accounts' QPC lines and estimate, a manager's of
	 * anything but settings and users (an admin owns the table) */
	"CREATE POLICY own_change ON history FOR INSERT TO qpc_rep"
	"  WITH CHECK (\"user\" = session_user AND CASE"
	"    WHEN pg_has_role(session_user, 'qpc_manager', 'MEMBER')"
	"      THEN entity <> 'setting' AND entity NOT LIKE 'user:%'"
	"    ELSE entity IN ('potential', 'account') AND may_edit(account_id) END);"

	/* what a file starts with (schema.c), the same */
	ST_SEED_SETTINGS ST_SEED_TEMPLATE
	"SELECT setval(pg_get_serial_sequence('template', 'id'), (SELECT max(id) FROM template));"
	CHANGE_NOTICE;

/* The group roles, made once per server (roles are the cluster's). */
static const char roles_sql[] =
	"DO $$ BEGIN"
	"  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'qpc_rep') THEN"
	"    CREATE ROLE qpc_rep NOLOGIN; END IF;"
	"  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'qpc_manager') THEN"
	"    CREATE ROLE qpc_manager NOLOGIN; END IF;"
	"  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'qpc_admin') THEN"
	"    CREATE ROLE qpc_admin NOLOGIN; END IF;"
	"  IF NOT pg_has_role('qpc_manager', 'qpc_rep', 'MEMBER') THEN"
	"    GRANT qpc_rep TO qpc_manager; END IF;"
	"  IF NOT pg_has_role('qpc_admin', 'qpc_manager', 'MEMBER') THEN"
	"    GRANT qpc_manager TO qpc_admin; END IF;"
	"  IF NOT pg_has_role(session_user, 'qpc_admin', 'USAGE') THEN"
	"    EXECUTE format('GRANT qpc_admin TO %I', session_user); END IF;"
	/* roles are the whole server's: they serve one database, or an admin
	 * of one would own the other */
	"  IF coalesce(shobj_description((SELECT oid FROM pg_roles WHERE rolname = 'qpc_admin'),"
	"       'pg_authid'), '') NOT IN ('', 'qpc: ' || current_database()) THEN"
	"    RAISE EXCEPTION USING ERRCODE = 'QP001', MESSAGE = format('this server''s qpc roles"
	" already serve %s: one qpc team per PostgreSQL server (make another cluster for"
	" another team)', substr(shobj_description((SELECT oid FROM pg_roles"
	"      WHERE rolname = 'qpc_admin'), 'pg_authid'), 6)); END IF;"
	"  EXECUTE format('COMMENT ON ROLE qpc_admin IS %L', 'qpc: ' || current_database());"
	"END $$";

static enum qpc_rc schema_version(struct qpc_store *st, int *v, struct qpc_error *e)
{
	const char *doing = "reading the team server's schema";
	PGresult *r;
	*v = 0;
	enum qpc_rc rc = pg_run(st, &r, doing, e, "SELECT to_regclass('qpc.meta') IS NOT NULL", 0,
	                        NULL);
	if (rc)
		return rc;
	bool made = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	if (!made)
		return QPC_OK;
	if ((rc = pg_run(st, &r, doing, e,
	                 "SELECT value FROM qpc.meta WHERE key = 'schema_version'", 0, NULL)))
		return rc;
	*v = PQntuples(r) ? atoi(PQgetvalue(r, 0, 0)) : 0;
	PQclear(r);
	return QPC_OK;
}

static enum qpc_rc create_schema(struct qpc_store *st, struct qpc_error *e)
{
	const char *doing = "creating qpc's schema on the team server";
	char at[32];
	st_now_iso(st, at);
	enum qpc_rc rc = pg_exec(st, doing, "BEGIN", e);
	if (rc)
		return rc;
	if ((rc = pg_exec(st, "making the roles qpc_rep, qpc_manager and qpc_admin", roles_sql,
	                  e)) ||
	    (rc = pg_exec(st, doing, "CREATE SCHEMA qpc AUTHORIZATION qpc_admin", e)) ||
	    (rc = pg_exec(st, "adding the trigram search (pg_trgm, from postgresql-contrib)",
	                  "CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA qpc", e)) ||
	    (rc = pg_exec(st, doing, "SET LOCAL ROLE qpc_admin", e)) ||
	    (rc = pg_exec(st, doing, "SET LOCAL search_path = qpc, public", e)) ||
	    (rc = pg_exec(st, doing, schema_sql, e)) ||
	    (rc = PG_RUN(st, NULL, doing, e,
	                 "INSERT INTO app_user (login, role, added_at, added_by)"
	                 " VALUES (session_user, 'admin', $1, session_user)",
	                 at)) ||
	    (rc = PG_RUN(st, NULL, doing, e,
	                 "INSERT INTO meta VALUES ('schema_version', $1), ('created_at', $2)",
	                 PG_STR(PG_SCHEMA_VERSION), at)) ||
	    (rc = pg_exec(st, doing, "COMMIT", e))) {
		PQclear(PQexec(idle(st->pg), "ROLLBACK"));
		return rc;
	}
	return QPC_OK;
}

int st_pg_schema_version(void)
{
	return PG_SCHEMA_VERSION;
}

/* Version 4's indexes of the accounts by owner and by trigram of the name
 * served the dashboard's sorts and searches, which each dashboard now
 * makes on its own copy (browse_server.c); kept up on the table, they
 * cost every import and every change of a name or an owner, and the
 * trigram one alone twice an import's COPY. */
#define UNUSED_INDEXES                                                                         \
	"DROP INDEX IF EXISTS account_owner; DROP INDEX IF EXISTS account_name_trgm;"

/* From version 5: the account's figure columns (a file's cache of
 * today's figures) and the sort keys made of them dropped.  The server
 * never filled them: each reader computes its figures, and a dashboard
 * keeps them on its own copy (browse_server.c).  Left at their defaults
 * they made every row of an import a third wider, and its COPY half as
 * slow again. */
#define FIGURE_COLUMNS                                                                         \
	"ALTER TABLE account DROP COLUMN IF EXISTS sort_qpc, DROP COLUMN IF EXISTS sort_share,"   \
	" DROP COLUMN IF EXISTS sort_untapped, DROP COLUMN IF EXISTS sort_status,"                \
	" DROP COLUMN IF EXISTS sort_age, DROP COLUMN IF EXISTS qpc,"                             \
	" DROP COLUMN IF EXISTS qpc_measured_on, DROP COLUMN IF EXISTS qpc_verified,"             \
	" DROP COLUMN IF EXISTS sales_12m, DROP COLUMN IF EXISTS gp_12m,"                         \
	" DROP COLUMN IF EXISTS share_bp, DROP COLUMN IF EXISTS share_over,"                      \
	" DROP COLUMN IF EXISTS untapped, DROP COLUMN IF EXISTS status,"                          \
	" DROP COLUMN IF EXISTS quality, DROP COLUMN IF EXISTS gp_known"

/* From version 7: the keys an import looks rows up by, in byte order
 * (a file's), so that their uniqueness is sorted by comparing bytes, not
 * by the server's locale: an account's external id, and a sales line's
 * key.  Equal is equal in every locale; only the order changes, and
 * nothing is shown in it. */
#define BYTE_KEYS                                                                              \
	"ALTER TABLE account ALTER COLUMN external_id TYPE text COLLATE \"C\";"                  \
	"ALTER TABLE sale ALTER COLUMN source_key TYPE text COLLATE \"C\""

/* From version 1: the status spans, written with the facts, and every
 * account's made now (version 1 kept none); from 2, a QPC line's
 * removal made a fact by the server; from 3, commits told to listeners;
 * from 4, the indexes nothing reads dropped; from 5, the figure columns
 * nothing fills, and a QPC line's removal no fact when its account goes;
 * from 7, the import's keys in byte order. */
static enum qpc_rc migrate_schema(struct qpc_store *st, int was, struct qpc_error *e)
{
	const char *doing = "migrating qpc's schema on the team server";
	enum qpc_rc rc = pg_exec(st, doing, "BEGIN", e);
	if (rc)
		return rc;
	/* (the columns go first: the accounts and sales read by the spans' rebuild
	 * are open till the commit, and a table being read is not altered) */
	if ((rc = pg_exec(st, doing, "SET LOCAL ROLE qpc_admin", e)) ||
	    (was < 6 && (rc = pg_exec(st, doing, FIGURE_COLUMNS, e))) ||
	    (was < 7 && (rc = pg_exec(st, doing, BYTE_KEYS, e))) ||
	    (was < 2 && (rc = pg_exec(st, doing, STATUS_SPAN_RIGHTS, e))) ||
	    (was < 2 && ((rc = st_load_settings(st, e)) || (rc = st_spans_rebuild(st, 0, e)))) ||
	    (was < 6 && (rc = pg_exec(st, doing, "DROP TRIGGER IF EXISTS potential_removed ON"
	                                         " potential; DROP FUNCTION IF EXISTS"
	                                         " potential_removed()", e))) ||
	    (was < 6 && (rc = pg_exec(st, doing, POTENTIAL_REMOVED, e))) ||
	    (was < 4 && (rc = pg_exec(st, doing, CHANGE_NOTICE, e))) ||
	    (was < 5 && (rc = pg_exec(st, doing, UNUSED_INDEXES, e))) ||
	    (rc = PG_RUN(st, NULL, doing, e,
	                 "UPDATE meta SET value = $1 WHERE key = 'schema_version'",
	                 PG_STR(PG_SCHEMA_VERSION))) ||
	    (rc = pg_exec(st, doing, "COMMIT", e))) {
		PQclear(PQexec(idle(st->pg), "ROLLBACK"));
		return rc;
	}
	return QPC_OK;
}

/* Creates the schema if it is not there, or migrates an older one, one
 * qpc at a time: a second one waits for the advisory lock, and says so. */
static enum qpc_rc init_schema(struct qpc_store *st, int *was, struct qpc_error *e)
{
	const char *doing = "waiting for another qpc setting up the team server";
	PGresult *r;
	enum qpc_rc rc = pg_run(st, &r, doing, e, "SELECT pg_try_advisory_lock(" PG_SCHEMA_LOCK ")",
	                        0, NULL);
	if (rc)
		return rc;
	bool got = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	if (!got) {
		st_waiting("another qpc is setting up this team server's schema; waiting for it");
		if ((rc = pg_exec(st, doing, "SELECT pg_advisory_lock(" PG_SCHEMA_LOCK ")", e)))
			return rc;
	}
	if (!(rc = schema_version(st, was, e)) && *was == 0)
		rc = create_schema(st, e);
	else if (!rc && *was < PG_SCHEMA_VERSION)
		rc = migrate_schema(st, *was, e);
	struct qpc_error ignored = { 0 };
	(void)pg_exec(st, doing, "SELECT pg_advisory_unlock(" PG_SCHEMA_LOCK ")", &ignored);
	return rc;
}

/* The server's notices ("role is not a member of role", on a REVOKE that
 * had nothing to take) are not the user's business. */
static void quiet(void *ctx, const char *msg)
{
	(void)ctx;
	(void)msg;
}

/* Connects; a password in the settings is refused before anything is
 * sent (ps and shell history show a command line). */
static enum qpc_rc pg_connect(struct qpc_store *st, const char *where, struct qpc_error *e)
{
	char *err = NULL, why[400];
	PQconninfoOption *opts = PQconninfoParse(where, &err);
	if (!opts) {
		/* libpq quotes the token it could not read, which may be a password */
		first_line(err && !strchr(where, '@') ? err : "", why, sizeof why);
		PQfreemem(err);
		return qpc_error_set(e, QPC_ERR_USAGE, "--db cannot be read as a team server's address%s%s",
		                     why[0] ? ": " : "", why);
	}
	bool password = false;
	for (PQconninfoOption *o = opts; o->keyword; o++)
		if (strcmp(o->keyword, "password") == 0 && o->val && *o->val)
			password = true;
	PQconninfoFree(opts);
	if (password)
		return qpc_error_set(e, QPC_ERR_USAGE,
		                     "a password does not go in --db or QPC_DB, where ps and shell "
		                     "history show it: put it in ~/.pgpass, PGPASSFILE or a service file");
	/* The address's own settings win over these defaults: they follow. */
	static const char *const keys[] = { "connect_timeout", "fallback_application_name",
		                             "client_encoding", "dbname", NULL };
	const char *vals[] = { "10", "qpc", "UTF8", where, NULL };
	st->pg->conn = PQconnectdbParams(keys, vals, 1);
	if (!st->pg->conn)
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	if (PQstatus(st->pg->conn) != CONNECTION_OK) {
		first_line(PQerrorMessage(st->pg->conn), why, sizeof why);
		return qpc_error_set(e, QPC_ERR_IO, "cannot reach the team server: %s", why);
	}
	PQsetNoticeProcessor(st->pg->conn, quiet, NULL);
	return QPC_OK;
}

/* (the server tells libpq at connection and again when it is promoted) */
bool st_pg_standby(const struct qpc_store *st)
{
	const char *on = st->pg ? PQparameterStatus(st->pg->conn, "in_hot_standby") : NULL;
	return on && strcmp(on, "on") == 0;
}

static void pg_close(struct qpc_store *st)
{
	if (st->pg) {
		/* the server would read the goodbye only once it was done */
		if (st->pg->behind)
			cancel(st->pg);
		PQfinish(st->pg->conn);
		free(st->pg->touched);
		free(st->pg);
		st->pg = NULL;
	}
}

static enum qpc_rc pg_users_each(struct qpc_store *, qpc_user_fn, void *, struct qpc_error *);
static enum qpc_rc pg_user_add(struct qpc_store *, const char *, enum qpc_role, const char *,
                               struct qpc_error *);
static enum qpc_rc pg_user_set_role(struct qpc_store *, const char *, enum qpc_role,
                                    struct qpc_error *);
static enum qpc_rc pg_user_set_owner(struct qpc_store *, const char *, const char *,
                                     struct qpc_error *);
static enum qpc_rc pg_user_rm(struct qpc_store *, const char *, struct qpc_error *);

static const struct st_backend pg_backend = {
	.what = "a team server",
	.users_each = pg_users_each,
	.user_add = pg_user_add,
	.user_set_role = pg_user_set_role,
	.user_set_owner = pg_user_set_owner,
	.user_rm = pg_user_rm,
	.close = pg_close,
};

enum qpc_rc st_pg_open(struct qpc_store *st, const char *where, unsigned flags,
                       struct qpc_error *e)
{
	if (!(st->pg = calloc(1, sizeof *st->pg)))
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	st->busy_seed = (unsigned)getpid() ^ (unsigned)time(NULL);
	st->be = &pg_backend;
	enum qpc_rc rc = pg_connect(st, where, e);
	if (rc)
		return rc;
	PGresult *r;
	int was = 0;
	/* a cursor is qpc's way to read every row of a scan, not its first few:
	 * plan it for the whole (PostgreSQL's default expects a tenth) */
	if ((rc = pg_exec(st, "opening the team server",
	                  "SET search_path = qpc, public; SET cursor_tuple_fraction = 1", e)) ||
	    (rc = (flags & QPC_OPEN_CREATE) ? init_schema(st, &was, e) : schema_version(st, &was, e)))
		return rc;
	if (!(flags & QPC_OPEN_CREATE) && was == 0)
		return qpc_error_set(e, QPC_ERR_NOTFOUND,
		                     "the team server's database has no qpc schema yet; an admin "
		                     "creates it with 'qpc --db ADDRESS init'");
	if (was > PG_SCHEMA_VERSION)
		return qpc_error_set(e, QPC_ERR_USAGE,
		                     "the team server's schema is version %d, made by a newer qpc; "
		                     "this one knows up to %d: upgrade qpc",
		                     was, PG_SCHEMA_VERSION);
	if (!(flags & QPC_OPEN_CREATE) && was < PG_SCHEMA_VERSION)
		return qpc_error_set(e, QPC_ERR_USAGE,
		                     "the team server's schema is version %d, this qpc's is %d: an "
		                     "admin migrates it with 'qpc --db ADDRESS init'",
		                     was, PG_SCHEMA_VERSION);
	st->opened_version = was;
	if ((rc = pg_run(st, &r, "reading who you are on the team server", e,
	                 "SELECT session_user, my_role(), EXISTS (SELECT 1 FROM pg_collation"
	                 " WHERE collname = 'und-x-icu')",
	                 0, NULL)))
		return rc;
	char *login = strdup(PQgetvalue(r, 0, 0));
	st->pg->has_role = !PQgetisnull(r, 0, 1) &&
	                   qpc_role_parse(PQgetvalue(r, 0, 1), &st->pg->role);
	st->pg->icu = strcmp(PQgetvalue(r, 0, 2), "t") == 0;
	PQclear(r);
	if (!login)
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	free(st->user);
	st->user = login;
	if (!st->pg->has_role)
		return qpc_error_set(e, QPC_ERR_DENIED,
		                     "the login %s has no role at this team server; an admin adds it "
		                     "with 'qpc user add %s --role rep|manager|admin'",
		                     login, login);
	return st_load_settings(st, e);
}

bool qpc_store_role(const struct qpc_store *st, enum qpc_role *out)
{
	if (!st->pg || !st->pg->has_role)
		return false;
	*out = st->pg->role;
	return true;
}

/* --- users ----------------------------------------------------------- */

static enum qpc_rc pg_users_each(struct qpc_store *st, qpc_user_fn fn, void *ctx,
                                 struct qpc_error *e)
{
	PGresult *r;
	enum qpc_rc rc = pg_run(st, &r, "listing the users", e,
	                        "SELECT u.login, u.role, u.owner, u.added_at, u.added_by,"
	                        " coalesce(p.rolcanlogin, false)"
	                        " FROM app_user u LEFT JOIN pg_roles p ON p.rolname = u.login"
	                        " ORDER BY u.login",
	                        0, NULL);
	if (rc)
		return rc;
	for (int i = 0; i < PQntuples(r); i++) {
		struct qpc_user_row u = {
			.login = PQgetvalue(r, i, 0),
			.owner = PQgetvalue(r, i, 2),
			.added_at = PQgetvalue(r, i, 3),
			.added_by = PQgetvalue(r, i, 4),
			.can_login = strcmp(PQgetvalue(r, i, 5), "t") == 0,
		};
		if (!qpc_role_parse(PQgetvalue(r, i, 1), &u.role))
			u.role = QPC_ROLE_REP;
		if (fn(&u, ctx))
			break;
	}
	PQclear(r);
	return QPC_OK;
}

/* Users are an admin's: said in a sentence before the server refuses. */
static enum qpc_rc need_admin(struct qpc_store *st, const char *doing, struct qpc_error *e)
{
	if (st->pg->has_role && st->pg->role == QPC_ROLE_ADMIN)
		return QPC_OK;
	return qpc_error_set(e, QPC_ERR_DENIED, "%s is an admin's: you (login %s) are a %s", doing,
	                     st->user, st->pg->has_role ? qpc_role_name(st->pg->role) : "nobody");
}

static enum qpc_rc check_login(const char *login, struct qpc_error *e)
{
	size_t n = strlen(login);
	if (n == 0 || n > 63)
		return qpc_error_set(e, QPC_ERR_USAGE, "a login has 1 to 63 bytes, not %zu", n);
	if (strncmp(login, "pg_", 3) == 0 || strncmp(login, "qpc_", 4) == 0)
		return qpc_error_set(e, QPC_ERR_USAGE,
		                     "'%s' cannot be a login: names starting pg_ are the server's and "
		                     "qpc_ the roles'",
		                     login);
	return QPC_OK;
}

/* A line of the history, named by the login (the actor): entity
 * "user:role" or "user:owner", the field the user's login. */
static enum qpc_rc user_history(struct qpc_store *st, const char *login, const char *what,
                                const char *old, const char *new_, struct qpc_error *e)
{
	char entity[32];
	snprintf(entity, sizeof entity, "user:%s", what);
	return st_history(st, 0, entity, login, old, new_, qpc_date_from_unix(st->now), e);
}

/* Runs fn in a transaction: all of it, or nothing; again after a
 * concurrent change. */
static enum qpc_rc pg_tx(struct qpc_store *st, st_tx_fn fn, void *ctx, struct qpc_error *e)
{
	enum qpc_rc rc;
	ST_RETRIED(st, rc, st_tx(st, fn, ctx, e));
	return rc;
}

struct user_change {
	const char *login, *owner;
	enum qpc_role role;
};

/* The user's row, locked: its role, and whether qpc made the login. */
static enum qpc_rc user_row(struct qpc_store *st, const char *login, enum qpc_role *role,
                            bool *made, struct qpc_error *e)
{
	PGresult *r;
	enum qpc_rc rc = PG_RUN(st, &r, "reading the user", e,
	                        "SELECT role, made FROM app_user WHERE login = $1 FOR UPDATE", login);
	if (rc)
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return qpc_error_set(e, QPC_ERR_NOTFOUND,
		                     "%s is not a user here; 'qpc user list' shows who is", login);
	}
	if (!qpc_role_parse(PQgetvalue(r, 0, 0), role))
		*role = QPC_ROLE_REP;
	if (made)
		*made = strcmp(PQgetvalue(r, 0, 1), "t") == 0;
	PQclear(r);
	return QPC_OK;
}

/* Runs `before LOGIN after`, a statement about a role: its name is an
 * identifier, quoted. */
static enum qpc_rc role_stmt(struct qpc_store *st, const char *before, const char *login,
                             const char *after, const char *doing, struct qpc_error *e)
{
	char *id = PQescapeIdentifier(st->pg->conn, login, strlen(login));
	if (!id)
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	char sql[256];
	snprintf(sql, sizeof sql, "%s%s%s", before, id, after);
	PQfreemem(id);
	return pg_exec(st, doing, sql, e);
}

/* Grants the role's group (and CREATEROLE to an admin qpc made, who adds
 * users in turn); takes the other groups away. */
static enum qpc_rc grant_role(struct qpc_store *st, const char *login, enum qpc_role role,
                              bool made, struct qpc_error *e)
{
	static const char *const revoke[] = {
		[QPC_ROLE_REP] = "REVOKE qpc_manager, qpc_admin FROM ",
		[QPC_ROLE_MANAGER] = "REVOKE qpc_rep, qpc_admin FROM ",
		[QPC_ROLE_ADMIN] = "REVOKE qpc_rep, qpc_manager FROM ",
	};
	static const char *const grant[] = {
		[QPC_ROLE_REP] = "GRANT qpc_rep TO ",
		[QPC_ROLE_MANAGER] = "GRANT qpc_manager TO ",
		[QPC_ROLE_ADMIN] = "GRANT qpc_admin TO ",
	};
	const char *doing = "giving the login its role";
	enum qpc_rc rc;
	if ((rc = role_stmt(st, revoke[role], login, "", doing, e)) ||
	    (rc = role_stmt(st, grant[role], login, "", doing, e)))
		return rc;
	if (made)
		rc = role_stmt(st, "ALTER ROLE ", login,
		               role == QPC_ROLE_ADMIN ? " CREATEROLE" : " NOCREATEROLE", doing, e);
	return rc;
}

static enum qpc_rc add_tx(struct qpc_store *st, void *ctx, struct qpc_error *e)
{
	const struct user_change *u = ctx;
	PGresult *r;
	enum qpc_rc rc = PG_RUN(st, &r, "adding the user", e,
	                        "SELECT (SELECT role FROM app_user WHERE login = $1),"
	                        " EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1),"
	                        " EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1 AND rolsuper)",
	                        u->login);
	if (rc)
		return rc;
	bool is_user = !PQgetisnull(r, 0, 0);
	char was[16];
	snprintf(was, sizeof was, "%s", PQgetvalue(r, 0, 0));
	bool exists = strcmp(PQgetvalue(r, 0, 1), "t") == 0;
	bool super = strcmp(PQgetvalue(r, 0, 2), "t") == 0;
	PQclear(r);
	if (is_user)
		return qpc_error_set(e, QPC_ERR_CONFLICT,
		                     "%s is already a user here, a %s; 'qpc user set-role' changes "
		                     "that",
		                     u->login, was);
	if (super)
		return qpc_error_set(e, QPC_ERR_USAGE,
		                     "%s is a superuser of the server, above any role qpc gives",
		                     u->login);
	if (!exists && (rc = role_stmt(st, "CREATE ROLE ", u->login, " LOGIN",
	                               "making the login (it needs CREATEROLE)", e)))
		return rc;
	char at[32];
	st_now_iso(st, at);
	if ((rc = grant_role(st, u->login, u->role, !exists, e)) ||
	    (rc = PG_RUN(st, NULL, "adding the user", e,
	                 "INSERT INTO app_user (login, role, owner, added_at, added_by, made)"
	                 " VALUES ($1, $2, $3, $4, session_user, $5)",
	                 u->login, qpc_role_name(u->role), u->owner, at, exists ? "f" : "t")))
		return rc;
	return user_history(st, u->login, "role", NULL, qpc_role_name(u->role), e);
}

static enum qpc_rc pg_user_add(struct qpc_store *st, const char *login, enum qpc_role role,
                               const char *owner, struct qpc_error *e)
{
	enum qpc_rc rc;
	if ((rc = need_admin(st, "adding a user", e)) || (rc = check_login(login, e)))
		return rc;
	struct user_change u = { .login = login, .owner = owner, .role = role };
	return pg_tx(st, add_tx, &u, e);
}

/* The last admin stays one: somebody must be able to add users. */
static enum qpc_rc keep_an_admin(struct qpc_store *st, const char *login, struct qpc_error *e)
{
	PGresult *r;
	enum qpc_rc rc = PG_RUN(st, &r, "counting the admins", e,
	                        "SELECT count(*) FROM app_user WHERE role = 'admin' AND login <> $1",
	                        login);
	if (rc)
		return rc;
	bool others = atoi(PQgetvalue(r, 0, 0)) > 0;
	PQclear(r);
	if (!others)
		return qpc_error_set(e, QPC_ERR_USAGE,
		                     "%s is the last admin: make another user an admin first", login);
	return QPC_OK;
}

static enum qpc_rc set_role_tx(struct qpc_store *st, void *ctx, struct qpc_error *e)
{
	const struct user_change *u = ctx;
	enum qpc_role was;
	bool made;
	enum qpc_rc rc = user_row(st, u->login, &was, &made, e);
	if (rc || was == u->role)
		return rc;
	if (was == QPC_ROLE_ADMIN && (rc = keep_an_admin(st, u->login, e)))
		return rc;
	if ((rc = grant_role(st, u->login, u->role, made, e)) ||
	    (rc = PG_RUN(st, NULL, "changing the role", e,
	                 "UPDATE app_user SET role = $2 WHERE login = $1", u->login,
	                 qpc_role_name(u->role))))
		return rc;
	return user_history(st, u->login, "role", qpc_role_name(was), qpc_role_name(u->role), e);
}

static enum qpc_rc pg_user_set_role(struct qpc_store *st, const char *login, enum qpc_role role,
                                    struct qpc_error *e)
{
	enum qpc_rc rc = need_admin(st, "changing a user's role", e);
	if (rc)
		return rc;
	struct user_change u = { .login = login, .role = role };
	return pg_tx(st, set_role_tx, &u, e);
}

static enum qpc_rc set_owner_tx(struct qpc_store *st, void *ctx, struct qpc_error *e)
{
	const struct user_change *u = ctx;
	enum qpc_role role;
	PGresult *r;
	enum qpc_rc rc = user_row(st, u->login, &role, NULL, e);
	if (rc || (rc = PG_RUN(st, &r, "changing the owner name", e,
	                       "UPDATE app_user SET owner = $2 WHERE login = $1 AND owner <> $2"
	                       " RETURNING (SELECT owner FROM app_user WHERE login = $1)",
	                       u->login, u->owner)))
		return rc;
	bool changed = PQntuples(r) > 0;
	char was[256];
	snprintf(was, sizeof was, "%s", changed ? PQgetvalue(r, 0, 0) : "");
	PQclear(r);
	return changed ? user_history(st, u->login, "owner", was, u->owner, e) : QPC_OK;
}

static enum qpc_rc pg_user_set_owner(struct qpc_store *st, const char *login, const char *owner,
                                     struct qpc_error *e)
{
	enum qpc_rc rc = need_admin(st, "changing a user's owner name", e);
	if (rc)
		return rc;
	struct user_change u = { .login = login, .owner = owner };
	return pg_tx(st, set_owner_tx, &u, e);
}

static enum qpc_rc rm_tx(struct qpc_store *st, void *ctx, struct qpc_error *e)
{
	const struct user_change *u = ctx;
	enum qpc_role was;
	bool made;
	enum qpc_rc rc = user_row(st, u->login, &was, &made, e);
	if (rc || (was == QPC_ROLE_ADMIN && (rc = keep_an_admin(st, u->login, e))))
		return rc;
	const char *doing = "removing the user";
	if ((rc = role_stmt(st, "REVOKE qpc_rep, qpc_manager, qpc_admin FROM ", u->login, "", doing,
	                    e)) ||
	    (rc = PG_RUN(st, NULL, doing, e, "DELETE FROM app_user WHERE login = $1", u->login)) ||
	    (made && (rc = role_stmt(st, "DROP ROLE ", u->login, "", "dropping the login qpc made",
	                             e))))
		return rc;
	return user_history(st, u->login, "role", qpc_role_name(was), NULL, e);
}

static enum qpc_rc pg_user_rm(struct qpc_store *st, const char *login, struct qpc_error *e)
{
	enum qpc_rc rc = need_admin(st, "removing a user", e);
	if (rc)
		return rc;
	if (strcmp(login, st->user) == 0)
		return qpc_error_set(e, QPC_ERR_USAGE,
		                     "you cannot remove yourself: another admin removes you");
	struct user_change u = { .login = login };
	return pg_tx(st, rm_tx, &u, e);
}

/* --- st_q's statements (q.c), on the server ------------------------------ */

#define PG_Q_PARAMS 64

struct st_pg_q {
	struct qpc_store *st;
	char *sql;                 /* the statement, its parameters $1.. */
	int n;                     /* how many */
	char *names[PG_Q_PARAMS];  /* the name of $i+1 (":id" less its colon); NULL */
	char *vals[PG_Q_PARAMS];   /* bound, as text; NULL for NULL */
	PGresult *res, *err;       /* the run's rows; its failure */
	int row, cur;              /* the next row to step to, the current one */
	/* A scan of many rows, read through a cursor PG_Q_BATCH rows at a time
	 * inside the open transaction, so that memory stays bounded and other
	 * queries may run between two batches; 0: no cursor (yet). */
	bool stream;
	unsigned cursor;
	bool last_batch;
	unsigned epoch; /* the connection's when the cursor was declared */
	PGresult *next; /* the batch read ahead, taken (settle) */
	const char *prepared;      /* the server's name for it, kept for the session */
};

#define PG_Q_BATCH 10000

static bool ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* The SQL in PostgreSQL's words: ?N and :name (not both) become $n
 * (quoted text, identifiers, comments and :: casts left alone), the
 * names' order of rows (COLLATE QPC_NAME, a function of ours on a file)
 * the Unicode root collation's, or the plain one without ICU, and main.
 * goes (on a file it names the file's own table, not the view of another
 * date's figures that may stand in front of it; the server has none). */
static bool translate(struct st_pg_q *q, const char *in, bool icu_there)
{
	static const char qpc_name[] = "COLLATE QPC_NAME", icu[] = "COLLATE \"und-x-icu\"";
	size_t len = strlen(in);
	char *out = malloc(len * 4 + sizeof icu);
	if (!out)
		return false;
	char *o = out;
	int next = 0;
	bool numbered = false, named = false;
	for (const char *p = in; *p;) {
		if (*p == '\'' || *p == '"') {
			char quote = *p;
			*o++ = *p++;
			while (*p && !(*p == quote && p[1] != quote)) {
				if (*p == quote)
					*o++ = *p++;
				*o++ = *p++;
			}
			if (*p)
				*o++ = *p++;
		} else if (p[0] == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				*o++ = *p++;
		} else if (p[0] == '/' && p[1] == '*') {
			while (*p && !(p[0] == '*' && p[1] == '/'))
				*o++ = *p++;
			for (int k = 0; k < 2 && *p; k++)
				*o++ = *p++;
		} else if (*p == '?') {
			numbered = true;
			p++;
			int k = 0;
			while (*p >= '0' && *p <= '9' && k < 1000)
				k = k * 10 + (*p++ - '0');
			if (k == 0)
				k = next + 1;
			next = k;
			if (k > PG_Q_PARAMS) {
				free(out);
				return false;
			}
			if (k > q->n)
				q->n = k;
			o += sprintf(o, "$%d", k);
		} else if (p[0] == ':' && p[1] == ':') {
			*o++ = *p++;
			*o++ = *p++;
		} else if (*p == ':' && (isalpha((unsigned char)p[1]) || p[1] == '_')) {
			named = true;
			const char *name = ++p;
			while (ident_char(*p))
				p++;
			size_t nl = (size_t)(p - name);
			int k = 0;
			for (int i = 0; i < q->n && !k; i++)
				if (q->names[i] && strlen(q->names[i]) == nl && !strncmp(q->names[i], name, nl))
					k = i + 1;
			if (!k) {
				if (q->n == PG_Q_PARAMS || !(q->names[q->n] = strndup(name, nl))) {
					free(out);
					return false;
				}
				k = ++q->n;
			}
			o += sprintf(o, "$%d", k);
		} else if (strncmp(p, "main.", 5) == 0 && (p == in || !ident_char(p[-1]))) {
			p += 5;
		} else if (strncmp(p, "INDEXED BY ", 11) == 0 && (p == in || !ident_char(p[-1]))) {
			p += 11; /* the file's index hint: the server plans its own */
			while (ident_char(*p))
				p++;
		} else if (strncmp(p, qpc_name, sizeof qpc_name - 1) == 0 &&
		           !ident_char(p[sizeof qpc_name - 1])) {
			o = stpcpy(o, icu_there ? icu : "COLLATE \"default\"");
			p += sizeof qpc_name - 1;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	q->sql = out;
	return !(numbered && named);
}

enum qpc_rc st_pg_q_prepare(struct qpc_store *st, struct st_pg_q **out, const char *sql,
                            struct qpc_error *e)
{
	struct st_pg_q *q = calloc(1, sizeof *q);
	*out = NULL;
	if (!q)
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	q->st = st;
	if (!translate(q, sql, !st->pg || st->pg->icu)) {
		st_pg_q_free(q);
		return qpc_error_set(e, QPC_ERR_DB, "preparing a query: more than %d parameters, ?N "
		                     "and :name together, or out of memory", PG_Q_PARAMS);
	}
	*out = q;
	return QPC_OK;
}

/* The statement prepared once on the server (PQprepare) for the next
 * call with the same SQL; past PG_KEPT of them, each is sent whole. */
enum qpc_rc st_pg_q_prepare_kept(struct qpc_store *st, struct st_pg_q **out, const char *sql,
                                 bool keep, struct qpc_error *e)
{
	enum qpc_rc rc = st_pg_q_prepare(st, out, sql, e);
	struct st_pg *pg = st->pg;
	if (rc || !keep || !pg)
		return rc;
	for (int i = 0; i < pg->nkept; i++)
		if (pg->kept[i].sql == sql) {
			(*out)->prepared = pg->kept[i].name;
			return QPC_OK;
		}
	if (pg->nkept == PG_KEPT)
		return QPC_OK;
	char *name = pg->kept[pg->nkept].name;
	snprintf(name, sizeof pg->kept[0].name, "qpc_s%d", pg->nkept + 1);
	PGresult *r = PQprepare(idle(pg), name, (*out)->sql, (*out)->n, NULL);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		/* told now: in a change, the failure has ended it */
		rc = pg_fail(st, r, "preparing a query", e);
		PQclear(r);
		st_pg_q_free(*out);
		*out = NULL;
		return rc;
	}
	PQclear(r);
	pg->kept[pg->nkept++].sql = sql;
	(*out)->prepared = name;
	return QPC_OK;
}

int64_t st_pg_q_changes(struct st_pg_q *q)
{
	return q->res ? strtoll(PQcmdTuples(q->res), NULL, 10) : 0;
}

void st_pg_q_stream(struct st_pg_q *q)
{
	q->stream = true;
}

void st_pg_q_reset(struct st_pg_q *q)
{
	if (!q)
		return;
	struct st_pg *pg = q->st->pg; /* none: the SQL only translated (check_query) */
	if (pg && pg->ahead == q)
		settle(pg);
	PQclear(q->next);
	q->next = NULL;
	PQclear(q->res);
	q->res = NULL;
	q->row = q->cur = 0;
	q->last_batch = false;
	/* closed while its transaction is open: an open cursor holds its
	 * tables, and the import turns their triggers on again (ingest_pg.c);
	 * one whose transaction has ended is gone, and closing it would fail
	 * the transaction open now */
	if (pg && q->cursor && PQtransactionStatus(idle(pg)) == PQTRANS_INTRANS &&
	    q->epoch == pg->epoch) {
		char sql[32];
		snprintf(sql, sizeof sql, "CLOSE qpc_c%u", q->cursor);
		PGresult *r = PQexec(pg->conn, sql);
		if (PQresultStatus(r) != PGRES_COMMAND_OK) /* aborted now: not to commit */
			q->st->tx_failed = true;
		PQclear(r);
	}
	q->cursor = 0;
}

void st_pg_q_free(struct st_pg_q *q)
{
	if (!q)
		return;
	st_pg_q_reset(q);
	PQclear(q->err);
	for (int i = 0; i < PG_Q_PARAMS; i++) {
		free(q->names[i]);
		free(q->vals[i]);
	}
	free(q->sql);
	free(q);
}

const char *st_pg_q_sql(const struct st_pg_q *q)
{
	return q->sql;
}

int st_pg_q_index(struct st_pg_q *q, const char *name)
{
	if (*name == ':' || *name == '@' || *name == '$')
		name++;
	for (int i = 0; i < q->n; i++)
		if (q->names[i] && strcmp(q->names[i], name) == 0)
			return i + 1;
	return 0;
}

void st_pg_q_bind(struct st_pg_q *q, int i, const char *v)
{
	if (i < 1 || i > q->n)
		return;
	free(q->vals[i - 1]);
	q->vals[i - 1] = v ? strdup(v) : NULL;
}

/* Keeps r as the run's failure: ST_CONSTRAINT or ST_FAILED. */
static int step_failed(struct st_pg_q *q, PGresult *r)
{
	PQclear(q->err);
	q->err = r;
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	return state && strncmp(state, "23", 2) == 0 ? ST_CONSTRAINT : ST_FAILED;
}

static bool run_ok(PGresult *r)
{
	ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
}

/* The answer to the batch read ahead, into its stream (fetch). */
static void settle(struct st_pg *pg)
{
	struct st_pg_q *q = pg->ahead;
	pg->ahead = NULL;
	PGresult *last = NULL;
	for (PGresult *r; (r = PQgetResult(pg->conn));) {
		PQclear(last);
		last = r;
	}
	q->next = last; /* none: the connection failed, and the FETCH again says so */
	if (last && !run_ok(last)) {
		const char *state = PQresultErrorField(last, PG_DIAG_SQLSTATE);
		snprintf(pg->ahead_state, sizeof pg->ahead_state, "%s", state ? state : "");
		first_line(PQresultErrorMessage(last), pg->ahead_why, sizeof pg->ahead_why);
		if (!pg->ahead_why[0])
			snprintf(pg->ahead_why, sizeof pg->ahead_why, "reading ahead failed");
	}
}

/* The background statement's answer, taken: how it ended.  Cancelled
 * only if qpc cancelled it: a statement_timeout, or an administrator's
 * pg_cancel_backend, is a failure, not to be tried again and again. */
static void catch_up(struct st_pg *pg)
{
	pg->behind = false;
	pg->behind_end = ST_BG_FAILED; /* no answer: the connection failed */
	for (PGresult *r; (r = PQgetResult(pg->conn)); PQclear(r)) {
		const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		bool stopped = pg->cancel_sent && state && strcmp(state, "57014") == 0;
		pg->behind_end = run_ok(r) ? ST_BG_DONE : stopped ? ST_BG_CANCELLED : ST_BG_FAILED;
	}
	pg->cancel_sent = false;
}

bool st_pg_background(struct qpc_store *st, const char *sql)
{
	struct st_pg *pg = st->pg;
	if (pg->behind || pg->ahead || PQtransactionStatus(pg->conn) != PQTRANS_IDLE ||
	    !PQsendQuery(pg->conn, sql))
		return false;
	pg->behind = true;
	pg->behind_end = ST_BG_NONE;
	return true;
}

enum st_bg st_pg_background_wait(struct qpc_store *st)
{
	if (st->pg->behind)
		catch_up(st->pg);
	return st_pg_background_poll(st);
}

enum st_bg st_pg_background_poll(struct qpc_store *st)
{
	struct st_pg *pg = st->pg;
	if (pg->behind) {
		if (PQconsumeInput(pg->conn) && PQisBusy(pg->conn))
			return ST_BG_RUNNING;
		catch_up(pg); /* answered, or the connection failed */
	}
	enum st_bg end = pg->behind_end;
	pg->behind_end = ST_BG_NONE;
	return end;
}

/* The next batch of the cursor's rows into q->res.  While qpc works
 * through it, the server reads the batch after it: the two take turns no
 * longer (a million accounts' rows: 2.1 s of FETCH a dashboard waited
 * for as well as its own work on them).  A statement run meanwhile on
 * the connection waits for that batch (idle). */
static int fetch(struct st_pg_q *q)
{
	struct st_pg *pg = q->st->pg;
	char sql[48];
	snprintf(sql, sizeof sql, "FETCH %d FROM qpc_c%u", PG_Q_BATCH, q->cursor);
	if (pg->ahead == q)
		settle(pg);
	PGresult *r = q->next;
	q->next = NULL;
	if (!r)
		r = PQexec(idle(pg), sql);
	if (!run_ok(r))
		return step_failed(q, r);
	PQclear(q->res);
	q->res = r;
	q->row = 0;
	q->last_batch = PQntuples(r) < PG_Q_BATCH;
	/* not sent: the next step asks and waits, and says what failed */
	if (!q->last_batch && PQsendQuery(idle(pg), sql))
		pg->ahead = q;
	return ST_DONE;
}

/* Declares the cursor over the statement, inside the open transaction. */
static int declare(struct st_pg_q *q)
{
	struct st_pg *pg = q->st->pg;
	unsigned id = ++pg->cursors ? pg->cursors : ++pg->cursors;
	size_t n = strlen(q->sql) + 64;
	char *sql = malloc(n);
	if (!sql)
		return step_failed(q, NULL);
	snprintf(sql, n, "DECLARE qpc_c%u NO SCROLL CURSOR FOR %s", id, q->sql);
	PGresult *r = PQexecParams(idle(pg), sql, q->n, NULL, (const char *const *)q->vals, NULL,
	                           NULL, 0);
	free(sql);
	if (!run_ok(r))
		return step_failed(q, r);
	PQclear(r);
	q->cursor = id;
	q->epoch = pg->epoch;
	return fetch(q);
}

int st_pg_q_step(struct st_pg_q *q)
{
	if (!q->res) {
		/* a cursor lives in a transaction: outside one, the rows at once */
		if (q->stream && PQtransactionStatus(idle(q->st->pg)) == PQTRANS_INTRANS) {
			int r = declare(q);
			if (r != ST_DONE)
				return r;
		} else {
			PGresult *r = q->prepared
			                ? PQexecPrepared(idle(q->st->pg), q->prepared, q->n,
			                                 (const char *const *)q->vals, NULL, NULL, 0)
			                : PQexecParams(idle(q->st->pg), q->sql, q->n, NULL,
			                               (const char *const *)q->vals, NULL, NULL, 0);
			if (!run_ok(r))
				return step_failed(q, r);
			q->res = r;
			q->row = 0;
			q->last_batch = true;
		}
	}
	for (;;) {
		if (PQresultStatus(q->res) == PGRES_TUPLES_OK && q->row < PQntuples(q->res)) {
			q->cur = q->row++;
			return ST_ROW;
		}
		if (q->last_batch || !q->cursor)
			return ST_DONE;
		int r = fetch(q);
		if (r != ST_DONE)
			return r;
	}
}

const char *st_pg_q_text_at(struct st_pg_q *q, int col)
{
	if (!q->res || col < 0 || col >= PQnfields(q->res) || q->cur >= PQntuples(q->res) ||
	    PQgetisnull(q->res, q->cur, col))
		return NULL;
	return PQgetvalue(q->res, q->cur, col);
}

enum qpc_rc st_pg_q_fail(struct st_pg_q *q, const char *doing, struct qpc_error *e)
{
	return pg_fail(q->st, q->err, doing, e);
}

/* Changes that are run again when they lose (ST_RETRIED) take turns,
 * so that none loses for ever to a crowd: a change that has lost holds
 * the server's advisory lock PG_TURN_LOCK for the tries left
 * (turn_alone), and every try of the others begins by waiting for it
 * (taking it shared, and letting it go before its own transaction and
 * snapshot begin; begin).  Those already under way end, and the next
 * try of the one that lost is the only one.  A wait for the turn past a
 * second is said (say_waiting); a change that comes then goes on without
 * it, and one that lost waits on.  Imports and other long changes take
 * no turns, and a change that waits past a second for their locks gives
 * its turn up (patient) till it loses again. */
static void say_waiting(struct st_pg *pg)
{
	if (!pg->said)
		st_waiting("another import or change is under way on the team server; "
		           "waiting for it");
	pg->said = true;
}

/* A script of statements that failed inside its own BEGIN leaves that
 * transaction open, aborted: it is rolled back. */
static void roll_back_open(struct st_pg *pg)
{
	if (PQtransactionStatus(pg->conn) != PQTRANS_IDLE)
		PQclear(PQexec(idle(pg), "ROLLBACK"));
}

static void turn_alone(struct qpc_store *st, bool alone)
{
	struct st_pg *pg = st->pg;
	if (pg->alone == alone)
		return;
	/* a broken connection has no lock left, and the try after says why */
	const char *doing = "taking turns with other changes";
	struct qpc_error why = { 0 };
	if (!alone) {
		(void)pg_exec(st, doing, "SELECT pg_advisory_unlock(" PG_TURN_LOCK ")", &why);
		pg->alone = false;
		return;
	}
	/* (a lock of the session's, kept past the COMMIT) */
	enum qpc_rc rc = pg_exec(st, doing,
	                         "BEGIN; SET LOCAL lock_timeout = '1s';"
	                         " SELECT pg_advisory_lock(" PG_TURN_LOCK "); COMMIT",
	                         &why);
	if (rc)
		roll_back_open(pg);
	if (rc == QPC_ERR_BUSY) { /* the turns held past a second: said, and waited for */
		say_waiting(pg);
		rc = pg_exec(st, doing, "SELECT pg_advisory_lock(" PG_TURN_LOCK ")", &why);
	}
	pg->alone = rc == QPC_OK;
}

bool st_retry(struct qpc_store *st, enum qpc_rc rc, int *tries)
{
	if (rc != QPC_ERR_BUSY || !st->pg || !st->pg->conflict || st->tx_depth > 0 ||
	    ++*tries >= PG_RETRIES)
		return false;
	st->pg->conflict = false;
	if (st->pg->lock_waited) { /* another's locks held past a second */
		st->pg->lock_waited = false;
		say_waiting(st->pg);
		st->pg->patient = true;
		turn_alone(st, false);
		return true;
	}
	turn_alone(st, true);
	/* apart, at random, longer as it goes: up to 2^tries ms, 100 ms at
	 * most (the first tries alone wait only for the changes under way) */
	unsigned cap = *tries < 7 ? 1u << *tries : 100;
	struct timespec ts = { 0, (long)(rand_r(&st->busy_seed) % (cap * 1000)) * 1000 };
	nanosleep(&ts, NULL);
	return true;
}

void st_retried_enter(struct qpc_store *st)
{
	if (st->pg)
		st->pg->retried++;
}

void st_retried_leave(struct qpc_store *st)
{
	if (st->pg && --st->pg->retried == 0) {
		st->pg->patient = st->pg->short_wait = st->pg->said = false;
		turn_alone(st, false);
	}
}

static enum qpc_rc begin(struct qpc_store *st, bool snapshot, struct qpc_error *e)
{
	if (st->tx_depth == 0) {
		/* (the server would say "cannot use serializable mode in a hot
		 * standby") */
		if (!snapshot && st_pg_standby(st))
			return qpc_error_set(e, QPC_ERR_READONLY, "the team server is a read-only standby "
			                     "(a replica): changes are made on its primary");
		st_read_clock(st);
		st->pg->conflict = st->pg->lock_waited = false;
		/* every change sees the database as if alone, or is rolled back
		 * and run again (ST_RETRIED): no update is lost */
		st->pg->short_wait = st->pg->retried > 0 && !st->pg->patient && !snapshot;
		/* (the turn's own transaction must not end one already open) */
		bool wait_turn = st->pg->short_wait && !st->pg->alone &&
		                 PQtransactionStatus(idle(st->pg)) == PQTRANS_IDLE;
		enum qpc_rc rc = pg_exec(st, "beginning a change",
		                         snapshot ? "BEGIN ISOLATION LEVEL REPEATABLE READ"
		                         : !st->pg->short_wait ? "BEGIN ISOLATION LEVEL SERIALIZABLE"
		                         : !wait_turn ? "BEGIN ISOLATION LEVEL SERIALIZABLE;"
		                                        " SET LOCAL lock_timeout = '1s'"
		                                      : "BEGIN; SET LOCAL lock_timeout = '1s';"
		                                           " SELECT pg_advisory_xact_lock_shared("
		                                           PG_TURN_LOCK "); COMMIT;"
		                                           " BEGIN ISOLATION LEVEL SERIALIZABLE;"
		                                           " SET LOCAL lock_timeout = '1s'",
		                         e);
		if (rc) {
			roll_back_open(st->pg); /* (a turn waited for past a second, say) */
			return rc;
		}
		st->tx_failed = false;
		st->pg->ntouched = 0;
		st->touch_all = false;
	}
	st->tx_depth++;
	return QPC_OK;
}

enum qpc_rc st_pg_begin(struct qpc_store *st, struct qpc_error *e)
{
	return begin(st, false, e);
}

enum qpc_rc st_pg_begin_snapshot(struct qpc_store *st, struct qpc_error *e)
{
	return begin(st, true, e);
}

/* Above this many touched accounts one pass over everything is cheaper
 * (as on a file: cache.c). */
#define PG_TOUCHED_BULK 5000

enum qpc_rc st_pg_touch(struct qpc_store *st, int64_t account_id, struct qpc_error *e)
{
	struct st_pg *pg = st->pg;
	if (st->touch_all)
		return QPC_OK;
	if (pg->ntouched > 0 && pg->touched[pg->ntouched - 1] == account_id)
		return QPC_OK;
	if (pg->ntouched == PG_TOUCHED_BULK) {
		st->touch_all = true;
		return QPC_OK;
	}
	if (pg->ntouched == pg->cap) {
		size_t cap = pg->cap ? pg->cap * 2 : 64;
		int64_t *grown = realloc(pg->touched, cap * sizeof *grown);
		if (!grown)
			return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
		pg->touched = grown;
		pg->cap = cap;
	}
	pg->touched[pg->ntouched++] = account_id;
	return QPC_OK;
}

static int by_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* The status spans of the accounts the change touched, in it. */
static enum qpc_rc flush_touched(struct qpc_store *st, struct qpc_error *e)
{
	struct st_pg *pg = st->pg;
	enum qpc_rc rc = QPC_OK;
	if (st->touch_all) {
		rc = st_spans_rebuild(st, 0, e);
	} else if (pg->ntouched > 0) {
		qsort(pg->touched, pg->ntouched, sizeof *pg->touched, by_id);
		for (size_t i = 0; i < pg->ntouched && !rc; i++)
			if (i == 0 || pg->touched[i] != pg->touched[i - 1])
				rc = st_spans_rebuild(st, pg->touched[i], e);
	}
	pg->ntouched = 0;
	st->touch_all = false;
	return rc;
}

bool st_pg_read_begin(struct qpc_store *st)
{
	if (st->tx_depth > 0 || PQtransactionStatus(idle(st->pg)) != PQTRANS_IDLE)
		return false;
	PGresult *r = PQexec(idle(st->pg), "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
	bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	PQclear(r);
	return ok;
}

void st_pg_read_end(struct qpc_store *st)
{
	PQclear(PQexec(idle(st->pg), "COMMIT"));
}

enum qpc_rc st_pg_commit(struct qpc_store *st, struct qpc_error *e)
{
	if (st->tx_depth <= 0)
		return qpc_error_set(e, QPC_ERR_DB, "commit without a transaction");
	if (--st->tx_depth > 0)
		return QPC_OK;
	if (st->tx_failed) {
		PQclear(PQexec(idle(st->pg), "ROLLBACK"));
		return qpc_error_set(e, QPC_ERR_DB, "the transaction was rolled back");
	}
	enum qpc_rc rc = flush_touched(st, e);
	/* a statement whose failure was not read as one (a batch read ahead)
	 * left the transaction aborted, and COMMIT would answer ROLLBACK, not
	 * an error: asked anything, the server says why (pg_fail) */
	if (!rc && PQtransactionStatus(idle(st->pg)) == PQTRANS_INERROR)
		rc = pg_exec(st, "committing the change", "SELECT 1", e);
	if (!rc)
		rc = pg_exec(st, "committing the change", "COMMIT", e);
	if (rc)
		PQclear(PQexec(idle(st->pg), "ROLLBACK"));
	return rc;
}

void st_pg_rollback(struct qpc_store *st)
{
	if (st->tx_depth <= 0)
		return;
	st->tx_failed = true;
	if (--st->tx_depth == 0)
		PQclear(PQexec(idle(st->pg), "ROLLBACK"));
}

/* --- COPY ---------------------------------------------------------------- */

enum qpc_rc st_pg_copy_begin(struct qpc_store *st, const char *sql, const char *doing,
                             struct qpc_error *e)
{
	PGresult *r = PQexec(idle(st->pg), sql);
	if (PQresultStatus(r) == PGRES_COPY_IN) {
		PQclear(r);
		return QPC_OK;
	}
	enum qpc_rc rc = pg_fail(st, r, doing, e);
	PQclear(r);
	st->tx_failed = true;
	return rc;
}

enum qpc_rc st_pg_copy_data(struct qpc_store *st, const char *buf, size_t n, const char *doing,
                            struct qpc_error *e)
{
	/* a blocking connection: 1 once libpq has it, -1 on failure */
	if (n > 0 && PQputCopyData(st->pg->conn, buf, (int)n) != 1) {
		st->tx_failed = true;
		return pg_fail(st, NULL, doing, e);
	}
	return QPC_OK;
}

enum qpc_rc st_copy_flush(struct qpc_store *st, struct st_copy_buf *b, const char *doing,
                          struct qpc_error *e)
{
	enum qpc_rc rc = st_pg_copy_data(st, b->block, b->n, doing, e);
	b->n = 0;
	return rc;
}

char st_copy_escape(char c)
{
	return c == '\\' ? '\\' : c == '\n' ? 'n' : c == '\r' ? 'r' : c == '\t' ? 't' : 0;
}

enum qpc_rc st_copy_put(struct qpc_store *st, struct st_copy_buf *b, const char *v, char end,
                        const char *doing, struct qpc_error *e)
{
	/* A piece at a time: as much as surely fits escaped (two bytes a
	 * byte), with room left for "\N" and the end, goes in without a look
	 * at the room per byte.  An import's every field is one piece, a
	 * million rows of them; a long one is sent a block at a time. */
	const char *s = v ? v : "";
	size_t len = strlen(s), at = 0;
	for (;;) {
		size_t fit = b->n + 3 <= sizeof b->block ? (sizeof b->block - b->n - 3) / 2 : 0;
		size_t stop = len - at < fit ? len : at + fit;
		for (; at < stop; at++) {
			char c = s[at], x = st_copy_escape(c);
			if (x) {
				b->block[b->n++] = '\\';
				c = x;
			}
			b->block[b->n++] = c;
		}
		if (at == len && b->n + 3 <= sizeof b->block)
			break;
		enum qpc_rc rc = st_copy_flush(st, b, doing, e);
		if (rc)
			return rc;
	}
	if (!v) {
		b->block[b->n++] = '\\';
		b->block[b->n++] = 'N';
	}
	b->block[b->n++] = end;
	return QPC_OK;
}

enum qpc_rc st_copy_put_int(struct qpc_store *st, struct st_copy_buf *b, bool has, int64_t v,
                            const char *doing, struct qpc_error *e)
{
	if (!has)
		return st_copy_put(st, b, NULL, '\t', doing, e);
	/* the digits from the right; none needs escaping */
	char buf[24], *end = buf + sizeof buf, *p = end;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	size_t k = (size_t)(end - p);
	enum qpc_rc rc;
	if (b->n + k + 1 > sizeof b->block && (rc = st_copy_flush(st, b, doing, e)))
		return rc;
	memcpy(b->block + b->n, p, k);
	b->n += k;
	b->block[b->n++] = '\t';
	return QPC_OK;
}

enum qpc_rc st_pg_copy_end(struct qpc_store *st, const char *doing, struct qpc_error *e)
{
	enum qpc_rc rc = QPC_OK;
	if (PQputCopyEnd(st->pg->conn, NULL) != 1)
		rc = pg_fail(st, NULL, doing, e);
	/* the server's verdict on the rows, then the end of the results */
	for (PGresult *r; (r = PQgetResult(st->pg->conn));) {
		if (!rc && PQresultStatus(r) != PGRES_COMMAND_OK)
			rc = pg_fail(st, r, doing, e);
		PQclear(r);
	}
	if (rc)
		st->tx_failed = true;
	return rc;
}

enum qpc_rc st_pg_copy_file(struct qpc_store *st, FILE *f, const char *sql, const char *doing,
                            struct qpc_error *e)
{
	if (fflush(f) != 0 || fseek(f, 0, SEEK_SET) != 0)
		return qpc_error_set(e, QPC_ERR_IO, "%s: reading a temporary file: %s", doing,
		                     strerror(errno));
	enum qpc_rc rc = st_pg_copy_begin(st, sql, doing, e);
	if (rc)
		return rc;
	char block[64 * 1024];
	size_t n;
	while (!rc && (n = fread(block, 1, sizeof block, f)) > 0)
		rc = st_pg_copy_data(st, block, n, doing, e);
	if (!rc && ferror(f))
		rc = qpc_error_set(e, QPC_ERR_IO, "%s: reading a temporary file: %s", doing,
		                   strerror(errno));
	if (rc) {
		st_pg_copy_abandon(st);
		return rc;
	}
	return st_pg_copy_end(st, doing, e);
}

enum qpc_rc st_pg_listen(struct qpc_store *st, struct qpc_error *e)
{
	return pg_exec(st, "listening for changes on the team server", "LISTEN qpc_change", e);
}

int st_pg_notices(struct qpc_store *st, void (*fn)(const char *what, void *ctx), void *ctx)
{
	int heard = 0;
	PQconsumeInput(st->pg->conn); /* what has arrived, without waiting */
	for (PGnotify *n; (n = PQnotifies(st->pg->conn)); PQfreemem(n)) {
		fn(n->extra, ctx);
		heard++;
	}
	return heard;
}

void st_pg_copy_abandon(struct qpc_store *st)
{
	PQputCopyEnd(st->pg->conn, "the import was abandoned");
	for (PGresult *r; (r = PQgetResult(st->pg->conn));)
		PQclear(r);
	st->tx_failed = true;
}

struct pg_cancel *st_pg_cancel_new(struct qpc_store *st)
{
	return st->pg ? PQgetCancel(st->pg->conn) : NULL;
}

bool st_pg_cancel_send(struct pg_cancel *c)
{
	char why[256];
	return c && PQcancel(c, why, sizeof why);
}

void st_pg_cancel_free(struct pg_cancel *c)
{
	PQfreeCancel(c);
}
