/* schema.c — the schema, as an ordered list of migrations.
 *
 * migrations[i] takes a database from user_version i to i + 1.  A new
 * database runs them all.  Never edit a released step: add one.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

static const char *const migrations[] = {
	/* 0 -> 1: the facts. */
	"CREATE TABLE setting ("
	"  key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
	ST_SEED_SETTINGS
	"CREATE TABLE account ("
	"  id INTEGER PRIMARY KEY,"
	"  external_id TEXT UNIQUE,"
	"  name TEXT NOT NULL,"
	"  owner TEXT NOT NULL DEFAULT '',"
	"  segment TEXT NOT NULL DEFAULT '',"
	"  city TEXT NOT NULL DEFAULT '',"
	"  country TEXT NOT NULL DEFAULT '',"
	"  employees INTEGER,"
	"  annual_revenue INTEGER,"
	"  contract_partner INTEGER NOT NULL DEFAULT 0 CHECK (contract_partner IN (0, 1)),"
	"  contract_value INTEGER,"
	"  rep_share_bp INTEGER,"
	"  cost_to_serve INTEGER,"
	"  account_sales_12m INTEGER,"
	"  account_gp_12m INTEGER,"
	"  notes TEXT NOT NULL DEFAULT '',"
	"  version INTEGER NOT NULL DEFAULT 1,"
	"  created_at TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL);"
	"CREATE INDEX account_name ON account(name);"
	"CREATE TABLE category ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE COLLATE NOCASE);"
	"CREATE TABLE potential ("
	"  account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,"
	"  category_id INTEGER NOT NULL REFERENCES category(id),"
	"  amount INTEGER NOT NULL CHECK (amount >= 0),"
	"  basis TEXT NOT NULL DEFAULT '',"
	"  verified INTEGER NOT NULL DEFAULT 0 CHECK (verified IN (0, 1)),"
	"  measured_on TEXT NOT NULL,"
	"  measured_by TEXT NOT NULL DEFAULT '',"
	"  version INTEGER NOT NULL DEFAULT 1,"
	"  PRIMARY KEY (account_id, category_id)) WITHOUT ROWID;"
	"CREATE TABLE sale ("
	"  id INTEGER PRIMARY KEY,"
	"  account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,"
	"  date TEXT NOT NULL,"
	"  category_id INTEGER REFERENCES category(id),"
	"  amount INTEGER NOT NULL,"
	"  gross_profit INTEGER,"
	"  source_key TEXT UNIQUE);"
	"CREATE INDEX sale_account_date ON sale(account_id, date);"
	"CREATE TABLE template ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	"  is_default INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE template_step ("
	"  id INTEGER PRIMARY KEY,"
	"  template_id INTEGER NOT NULL REFERENCES template(id) ON DELETE CASCADE,"
	"  position INTEGER NOT NULL,"
	"  text TEXT NOT NULL,"
	"  retired INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE candidate ("
	"  id INTEGER PRIMARY KEY,"
	"  account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,"
	"  template_id INTEGER NOT NULL REFERENCES template(id),"
	"  nominated_on TEXT NOT NULL,"
	"  nominated_by TEXT NOT NULL,"
	"  dropped_on TEXT,"
	"  drop_reason TEXT,"
	"  version INTEGER NOT NULL DEFAULT 1);"
	"CREATE UNIQUE INDEX candidate_active ON candidate(account_id) WHERE dropped_on IS NULL;"
	"CREATE TABLE tick ("
	"  candidate_id INTEGER NOT NULL REFERENCES candidate(id) ON DELETE CASCADE,"
	"  step_id INTEGER NOT NULL REFERENCES template_step(id),"
	"  ticked_by TEXT NOT NULL,"
	"  ticked_at TEXT NOT NULL,"
	"  note TEXT NOT NULL DEFAULT '',"
	"  PRIMARY KEY (candidate_id, step_id)) WITHOUT ROWID;"
	"CREATE TABLE goal ("
	"  year INTEGER PRIMARY KEY,"
	"  target INTEGER NOT NULL CHECK (target >= 0),"
	"  version INTEGER NOT NULL DEFAULT 1);"
	"CREATE TABLE history ("
	"  id INTEGER PRIMARY KEY,"
	"  at TEXT NOT NULL,"
	"  effective TEXT NOT NULL,"
	"  user TEXT NOT NULL,"
	"  account_id INTEGER,"
	"  entity TEXT NOT NULL,"
	"  field TEXT NOT NULL,"
	"  old TEXT,"
	"  new TEXT);"
	"CREATE INDEX history_account ON history(account_id, id);"
	ST_SEED_TEMPLATE,

	/* 1 -> 2: each account's figures, cached as of one date so that views
	 * can sort and page on them through indexes. */
	"ALTER TABLE account ADD COLUMN qpc INTEGER;"
	"ALTER TABLE account ADD COLUMN qpc_measured_on TEXT;"
	"ALTER TABLE account ADD COLUMN qpc_verified INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE account ADD COLUMN sales_12m INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE account ADD COLUMN gp_12m INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE account ADD COLUMN share_bp INTEGER;"
	"ALTER TABLE account ADD COLUMN share_over INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE account ADD COLUMN untapped INTEGER;"
	"ALTER TABLE account ADD COLUMN status TEXT NOT NULL DEFAULT 'prospect';"
	"ALTER TABLE account ADD COLUMN recorded_status TEXT;"
	"CREATE INDEX history_status ON history(field, new, effective) WHERE field = 'status';"
	"INSERT INTO setting VALUES ('figures_as_of', ''), ('status_recorded_to', '');",

	/* 2 -> 3: how each CSV layout was read last time, keyed by the kind of
	 * import and its header row, so the next weekly file maps the same. */
	"CREATE TABLE import_mapping ("
	"  kind TEXT NOT NULL,"
	"  header TEXT NOT NULL,"
	"  mapping TEXT NOT NULL,"
	"  profile TEXT NOT NULL DEFAULT '',"
	"  used_at TEXT NOT NULL,"
	"  PRIMARY KEY (kind, header)) WITHOUT ROWID;",

	/* 3 -> 4: browsing a million accounts a screen at a time (browse.c).
	 * Every sortable column gets an index to walk, as a generated column
	 * where the cached figure can be NULL (unmeasured sorts lowest);
	 * status also leads the indexes of the figures it correlates with,
	 * so that "partners by share" walks only partners.  A trigram index
	 * finds names and ids by any part, and a tally per owner, segment
	 * and status counts what a filter matches without scanning.
	 * Triggers keep both in step with every write. */
	"ALTER TABLE account ADD COLUMN sort_qpc INTEGER GENERATED ALWAYS AS (ifnull(qpc, -1)) VIRTUAL;"
	"ALTER TABLE account ADD COLUMN sort_share INTEGER"
	"  GENERATED ALWAYS AS (ifnull(share_bp, -1) + share_over) VIRTUAL;"
	"ALTER TABLE account ADD COLUMN sort_untapped INTEGER"
	"  GENERATED ALWAYS AS (ifnull(untapped, -1)) VIRTUAL;"
	"ALTER TABLE account ADD COLUMN sort_status INTEGER GENERATED ALWAYS AS"
	"  (CASE status WHEN 'customer' THEN 1 WHEN 'candidate' THEN 2 WHEN 'partner' THEN 3"
	"   ELSE 0 END) VIRTUAL;"
	"ALTER TABLE account ADD COLUMN sort_age TEXT"
	"  GENERATED ALWAYS AS (ifnull(qpc_measured_on, '')) VIRTUAL;"
	"CREATE INDEX account_by_name ON account(name COLLATE NOCASE);"
	"CREATE INDEX account_by_owner ON account(owner);"
	"CREATE INDEX account_by_segment ON account(segment);"
	"CREATE INDEX account_by_qpc ON account(sort_qpc);"
	"CREATE INDEX account_by_sales ON account(sales_12m);"
	"CREATE INDEX account_by_share ON account(sort_share);"
	"CREATE INDEX account_by_untapped ON account(sort_untapped);"
	"CREATE INDEX account_by_status ON account(sort_status);"
	"CREATE INDEX account_by_age ON account(sort_age);"
	"CREATE INDEX account_by_status_qpc ON account(sort_status, sort_qpc);"
	"CREATE INDEX account_by_status_sales ON account(sort_status, sales_12m);"
	"CREATE INDEX account_by_status_share ON account(sort_status, sort_share);"
	"CREATE INDEX account_by_status_untapped ON account(sort_status, sort_untapped);"
	"CREATE INDEX account_by_gp ON account(gp_12m, sort_status, sales_12m);"
	"CREATE VIRTUAL TABLE account_fts USING fts5(name, external_id, content='account',"
	"  content_rowid='id', tokenize='trigram');"
	"INSERT INTO account_fts(account_fts) VALUES ('rebuild');"
	"CREATE TRIGGER account_fts_insert AFTER INSERT ON account BEGIN"
	"  INSERT INTO account_fts(rowid, name, external_id)"
	"  VALUES (new.id, new.name, new.external_id);"
	"END;"
	"CREATE TRIGGER account_fts_delete AFTER DELETE ON account BEGIN"
	"  INSERT INTO account_fts(account_fts, rowid, name, external_id)"
	"  VALUES ('delete', old.id, old.name, old.external_id);"
	"END;"
	"CREATE TRIGGER account_fts_update AFTER UPDATE OF name, external_id ON account BEGIN"
	"  INSERT INTO account_fts(account_fts, rowid, name, external_id)"
	"  VALUES ('delete', old.id, old.name, old.external_id);"
	"  INSERT INTO account_fts(rowid, name, external_id)"
	"  VALUES (new.id, new.name, new.external_id);"
	"END;"
	"CREATE TABLE account_tally ("
	"  owner TEXT NOT NULL, segment TEXT NOT NULL, status TEXT NOT NULL,"
	"  n INTEGER NOT NULL, PRIMARY KEY (owner, segment, status)) WITHOUT ROWID;"
	"INSERT INTO account_tally SELECT owner, segment, status, count(*) FROM account"
	"  GROUP BY owner, segment, status;"
	"CREATE TRIGGER account_tally_insert AFTER INSERT ON account BEGIN"
	"  INSERT INTO account_tally VALUES (new.owner, new.segment, new.status, 1)"
	"  ON CONFLICT DO UPDATE SET n = n + 1;"
	"END;"
	"CREATE TRIGGER account_tally_delete AFTER DELETE ON account BEGIN"
	"  UPDATE account_tally SET n = n - 1"
	"  WHERE owner = old.owner AND segment = old.segment AND status = old.status;"
	"END;"
	"CREATE TRIGGER account_tally_update AFTER UPDATE OF owner, segment, status ON account"
	"  WHEN old.owner IS NOT new.owner OR old.segment IS NOT new.segment"
	"    OR old.status IS NOT new.status BEGIN"
	"  UPDATE account_tally SET n = n - 1"
	"  WHERE owner = old.owner AND segment = old.segment AND status = old.status;"
	"  INSERT INTO account_tally VALUES (new.owner, new.segment, new.status, 1)"
	"  ON CONFLICT DO UPDATE SET n = n + 1;"
	"END;",

	/* 4 -> 5: a QPC estimated by formula keeps what it was computed from. */
	"ALTER TABLE potential ADD COLUMN inputs TEXT NOT NULL DEFAULT '';",

	/* 5 -> 6: indexes a bulk import set aside, to build when the figures
	 * they index are next computed (see ingest.c and figures.c). */
	"CREATE TABLE pending_ddl (id INTEGER PRIMARY KEY, sql TEXT NOT NULL);",

	/* 6 -> 7: the sort indexes carry the owner, after the id so that they
	 * still walk in (key, id) order: "my accounts" is then checked in the
	 * index, and a rep's 0.2% of a million accounts costs a walk of index
	 * entries, not a table lookup per account passed over (browse_page.c).
	 * Old definitions a bulk import left pending (5 -> 6) are dropped. */
	"DELETE FROM pending_ddl WHERE sql LIKE 'CREATE INDEX account\\_by\\_%' ESCAPE '\\';"
	"DROP INDEX IF EXISTS account_by_name;"
	"CREATE INDEX account_by_name ON account(name COLLATE NOCASE, id, owner);"
	"DROP INDEX IF EXISTS account_by_segment;"
	"CREATE INDEX account_by_segment ON account(segment, id, owner);"
	"DROP INDEX IF EXISTS account_by_qpc;"
	"CREATE INDEX account_by_qpc ON account(sort_qpc, id, owner);"
	"DROP INDEX IF EXISTS account_by_sales;"
	"CREATE INDEX account_by_sales ON account(sales_12m, id, owner);"
	"DROP INDEX IF EXISTS account_by_share;"
	"CREATE INDEX account_by_share ON account(sort_share, id, owner);"
	"DROP INDEX IF EXISTS account_by_untapped;"
	"CREATE INDEX account_by_untapped ON account(sort_untapped, id, owner);"
	"DROP INDEX IF EXISTS account_by_status;"
	"CREATE INDEX account_by_status ON account(sort_status, id, owner);"
	"DROP INDEX IF EXISTS account_by_age;"
	"CREATE INDEX account_by_age ON account(sort_age, id, owner);"
	"DROP INDEX IF EXISTS account_by_status_qpc;"
	"CREATE INDEX account_by_status_qpc ON account(sort_status, sort_qpc, id, owner);"
	"DROP INDEX IF EXISTS account_by_status_sales;"
	"CREATE INDEX account_by_status_sales ON account(sort_status, sales_12m, id, owner);"
	"DROP INDEX IF EXISTS account_by_status_share;"
	"CREATE INDEX account_by_status_share ON account(sort_status, sort_share, id, owner);"
	"DROP INDEX IF EXISTS account_by_status_untapped;"
	"CREATE INDEX account_by_status_untapped ON account(sort_status, sort_untapped, id, owner);",

	/* 7 -> 8: the refresh asks, for every account, whether it was a
	 * candidate on the day; without this index that read the whole
	 * candidate table once per account. */
	"CREATE INDEX candidate_account ON candidate(account_id, nominated_on);",

	/* 8 -> 9: facts with dates, figures computed from them (timeline.h).
	 * - qpc_fact: every QPC measurement and removal, never erased; the
	 *   line in force at D is its category's latest fact measured on or
	 *   before D.  A fact recorded with an earlier date than a standing
	 *   one corrects it: the later-dated one is marked replaced.  The
	 *   potential table stays as the lines standing now, which editors
	 *   version; its triggers append the facts.
	 * - contract, account_figure and setting_change date what used to be
	 *   plain columns; status_span is each account's status changes as
	 *   the facts make them, kept by the writes that change the facts.
	 * - Reads no longer record statuses: the rows they wrote go, and so
	 *   do the marks that steered them.  Migrating the data itself needs
	 *   C (amounts in the history are text): see migrate_facts(). */
	"CREATE TABLE qpc_fact ("
	"  id INTEGER PRIMARY KEY,"
	"  account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,"
	"  category_id INTEGER NOT NULL REFERENCES category(id),"
	"  measured_on TEXT NOT NULL,"
	"  amount INTEGER CHECK (amount IS NULL OR amount >= 0)," /* NULL: removed */
	"  basis TEXT NOT NULL DEFAULT '',"
	"  verified INTEGER NOT NULL DEFAULT 0,"
	"  measured_by TEXT NOT NULL DEFAULT '',"
	"  inputs TEXT NOT NULL DEFAULT '',"
	"  replaced INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX qpc_fact_key ON qpc_fact(account_id, category_id, measured_on, amount,"
	"  verified) WHERE replaced = 0;"
	"CREATE INDEX qpc_fact_date ON qpc_fact(measured_on) WHERE replaced = 0;"
	"CREATE TRIGGER qpc_fact_insert AFTER INSERT ON potential BEGIN"
	"  UPDATE qpc_fact SET replaced = 1 WHERE account_id = new.account_id"
	"    AND category_id = new.category_id AND measured_on >= new.measured_on AND replaced = 0;"
	"  INSERT INTO qpc_fact(account_id, category_id, measured_on, amount, basis, verified,"
	"    measured_by, inputs) VALUES (new.account_id, new.category_id, new.measured_on,"
	"    new.amount, new.basis, new.verified, new.measured_by, new.inputs);"
	"END;"
	"CREATE TRIGGER qpc_fact_update AFTER UPDATE ON potential"
	"  WHEN old.amount IS NOT new.amount OR old.basis IS NOT new.basis"
	"    OR old.verified IS NOT new.verified OR old.measured_on IS NOT new.measured_on"
	"    OR old.measured_by IS NOT new.measured_by OR old.inputs IS NOT new.inputs BEGIN"
	"  UPDATE qpc_fact SET replaced = 1 WHERE account_id = new.account_id"
	"    AND category_id = new.category_id AND measured_on >= new.measured_on AND replaced = 0;"
	"  INSERT INTO qpc_fact(account_id, category_id, measured_on, amount, basis, verified,"
	"    measured_by, inputs) VALUES (new.account_id, new.category_id, new.measured_on,"
	"    new.amount, new.basis, new.verified, new.measured_by, new.inputs);"
	"END;"
	"CREATE TABLE contract ("
	"  id INTEGER PRIMARY KEY,"
	"  account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,"
	"  signed_on TEXT NOT NULL,"
	"  ends_on TEXT CHECK (ends_on IS NULL OR ends_on > signed_on),"
	"  value INTEGER CHECK (value IS NULL OR value >= 0),"
	"  recorded_at TEXT NOT NULL,"
	"  recorded_by TEXT NOT NULL,"
	"  version INTEGER NOT NULL DEFAULT 1);"
	"CREATE INDEX contract_account ON contract(account_id, signed_on);"
	"CREATE TABLE account_figure ("
	"  account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,"
	"  as_of TEXT NOT NULL,"
	"  sales_12m INTEGER NOT NULL,"
	"  gp_12m INTEGER,"
	"  PRIMARY KEY (account_id, as_of)) WITHOUT ROWID;"
	"CREATE TABLE setting_change ("
	"  id INTEGER PRIMARY KEY,"
	"  key TEXT NOT NULL,"
	"  effective_on TEXT NOT NULL,"
	"  value TEXT NOT NULL,"
	"  changed_at TEXT NOT NULL,"
	"  changed_by TEXT NOT NULL);"
	"CREATE INDEX setting_change_key ON setting_change(key, effective_on, id);"
	"CREATE TABLE status_span ("
	"  account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,"
	"  since TEXT NOT NULL,"
	"  status INTEGER NOT NULL,"
	"  prev INTEGER NOT NULL,"
	"  PRIMARY KEY (account_id, since)) WITHOUT ROWID;"
	"CREATE INDEX status_span_since ON status_span(since, status, prev);"
	/* Sums over a window of dates, and an account's timeline, read these
	 * indexes alone, never the table. */
	"CREATE INDEX sale_by_date ON sale(date, account_id, amount, gross_profit);"
	"DROP INDEX sale_account_date;"
	"CREATE INDEX sale_account_date ON sale(account_id, date, amount, gross_profit, category_id);"
	"ALTER TABLE account ADD COLUMN quality INTEGER;"
	/* A contract flag takes effect on the day it was recorded; an
	 * account-level figure is as of the day it was imported. */
	"INSERT INTO contract(account_id, signed_on, value, recorded_at, recorded_by)"
	"  SELECT a.id, substr(ifnull((SELECT max(h.at) FROM history h WHERE h.account_id = a.id"
	"    AND h.entity = 'account' AND h.field = 'contract_partner' AND h.new = '1'),"
	"    a.created_at), 1, 10), a.contract_value, a.updated_at, 'qpc'"
	"  FROM account a WHERE a.contract_partner = 1;"
	"INSERT INTO account_figure(account_id, as_of, sales_12m, gp_12m)"
	"  SELECT a.id, substr(ifnull((SELECT max(h.at) FROM history h WHERE h.account_id = a.id"
	"    AND h.entity = 'account' AND h.field = 'sales_12m'), a.created_at), 1, 10),"
	"    a.account_sales_12m, a.account_gp_12m"
	"  FROM account a WHERE a.account_sales_12m IS NOT NULL;"
	"DELETE FROM history WHERE entity = 'account' AND field = 'status';"
	"DELETE FROM setting WHERE key = 'status_recorded_to';"
	"UPDATE setting SET value = '' WHERE key = 'figures_as_of';"
	"DROP INDEX IF EXISTS history_status;"
	"ALTER TABLE account DROP COLUMN recorded_status;",

	/* 9 -> 10: a smaller, quicker trigram index, and one name index.
	 * - The trigram index keeps no positions or column sizes: search
	 *   asks for every trigram of the text and checks the rows it gets
	 *   (browse_text.c), so positions bought nothing; at a million
	 *   accounts it is 27 MB instead of 104, rebuilt in 2.4 s, not 6.
	 * - Finding an account by its exact name reads the case-folded name
	 *   index and compares exactly: the second, exact index went (26 MB,
	 *   0.7 s of every bulk load). */
	"DROP TABLE account_fts;"
	"CREATE VIRTUAL TABLE account_fts USING fts5(name, external_id, content='account',"
	"  content_rowid='id', tokenize='trigram', detail='none', columnsize=0);"
	"INSERT INTO account_fts(account_fts) VALUES ('rebuild');"
	"DELETE FROM pending_ddl WHERE sql LIKE 'CREATE INDEX account\\_name %' ESCAPE '\\';"
	"DROP INDEX IF EXISTS account_name;",

	/* 10 -> 11: the sort indexes led by status leave prospects out.  They
	 * serve a list filtered to one status; prospects, most of a CRM's
	 * accounts and all of a fresh import's, are walked along the plain
	 * sort index instead, or read as a small set (browse_page.c).  At a
	 * million new accounts: 116 MB and 4 s of the import saved.  The
	 * profit curve's index, likewise, holds the customers it reads. */
	"DELETE FROM pending_ddl WHERE sql LIKE 'CREATE INDEX account\\_by\\_status\\_%' ESCAPE '\\';"
	"DROP INDEX IF EXISTS account_by_status_qpc;"
	"CREATE INDEX account_by_status_qpc ON account(sort_status, sort_qpc, id, owner)"
	"  WHERE sort_status > 0;"
	"DROP INDEX IF EXISTS account_by_status_sales;"
	"CREATE INDEX account_by_status_sales ON account(sort_status, sales_12m, id, owner)"
	"  WHERE sort_status > 0;"
	"DROP INDEX IF EXISTS account_by_status_share;"
	"CREATE INDEX account_by_status_share ON account(sort_status, sort_share, id, owner)"
	"  WHERE sort_status > 0;"
	"DROP INDEX IF EXISTS account_by_status_untapped;"
	"CREATE INDEX account_by_status_untapped ON account(sort_status, sort_untapped, id, owner)"
	"  WHERE sort_status > 0;"
	/* the profit curve reads customers only (browse_dash.c, CUSTOMER) */
	"DELETE FROM pending_ddl WHERE sql LIKE 'CREATE INDEX account\\_by\\_gp %' ESCAPE '\\';"
	"DROP INDEX IF EXISTS account_by_gp;"
	"CREATE INDEX account_by_gp ON account(gp_12m, sort_status, sales_12m)"
	"  WHERE (sales_12m > 0 OR sort_status = 3);",

	/* 11 -> 12: the figures' sort indexes hold the accounts that have the
	 * figure.  The rest share one key (no QPC: -1; no sales: 0; a
	 * prospect: 0; never measured: ''), and in that key they stand in id
	 * order: a walk reads them along the table itself (browse_page.c).
	 * A load of new accounts without figures, a CRM's usual export, then
	 * leaves these indexes as they are instead of building six of a
	 * million rows each (ingest.c). */
	"DELETE FROM pending_ddl WHERE sql LIKE 'CREATE INDEX account%' AND"
	"  substr(sql, 14, instr(sql, ' ON ') - 14) IN ('account_by_qpc', 'account_by_sales',"
	"  'account_by_share', 'account_by_untapped', 'account_by_status', 'account_by_age');"
	"DROP INDEX IF EXISTS account_by_qpc;"
	"CREATE INDEX account_by_qpc ON account(sort_qpc, id, owner) WHERE sort_qpc <> -1;"
	"DROP INDEX IF EXISTS account_by_sales;"
	"CREATE INDEX account_by_sales ON account(sales_12m, id, owner) WHERE sales_12m <> 0;"
	"DROP INDEX IF EXISTS account_by_share;"
	"CREATE INDEX account_by_share ON account(sort_share, id, owner) WHERE sort_share <> -1;"
	"DROP INDEX IF EXISTS account_by_untapped;"
	"CREATE INDEX account_by_untapped ON account(sort_untapped, id, owner)"
	"  WHERE sort_untapped <> -1;"
	"DROP INDEX IF EXISTS account_by_status;"
	"CREATE INDEX account_by_status ON account(sort_status, id, owner) WHERE sort_status <> 0;"
	"DROP INDEX IF EXISTS account_by_age;"
	"CREATE INDEX account_by_age ON account(sort_age, id, owner) WHERE sort_age <> '';",

	/* 12 -> 13: a sales line's key is unique by an index of its own, not
	 * by the table's constraint.  A load into an empty sales table can
	 * then set it aside with the others and sort it once at its end
	 * (ingest.c): kept up line by line, in the keys' order, which is no
	 * order, it cost 40 of the 130 s of two million lines.  The keys keep
	 * Keys made of what a line holds lose their length: the base, 80
	 * bytes and more of profile, headers and fields, becomes a 23-byte
	 * hash of it (st_sale_key_hashed); a file imported before finds its
	 * lines again by the same hash. */
	"CREATE TABLE sale_13 ("
	"  id INTEGER PRIMARY KEY,"
	"  account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,"
	"  date TEXT NOT NULL,"
	"  category_id INTEGER REFERENCES category(id),"
	"  amount INTEGER NOT NULL,"
	"  gross_profit INTEGER,"
	"  source_key TEXT);"
	"INSERT INTO sale_13 SELECT id, account_id, date, category_id, amount, gross_profit,"
	"  CASE WHEN source_key GLOB '*|*|*|*|*|*/*#[0-9]*' THEN qpc_sale_key(source_key)"
	"  ELSE source_key END FROM sale ORDER BY id;"
	"DROP TABLE sale;"
	"ALTER TABLE sale_13 RENAME TO sale;"
	"CREATE UNIQUE INDEX sale_by_key ON sale(source_key);"
	"CREATE INDEX sale_by_date ON sale(date, account_id, amount, gross_profit);"
	"CREATE INDEX sale_account_date ON sale(account_id, date, amount, gross_profit, category_id);",

	/* 13 -> 14: an account's gross profit can be unknown (a sales line
	 * of its window without a profit, a CRM figure without one), which
	 * the cache kept as 0.  gp_12m stays 0 then and gp_known says so; the
	 * profit curve's index carries it, to leave those customers out.
	 * The figures are computed again at the next command. */
	"ALTER TABLE account ADD COLUMN gp_known INTEGER NOT NULL DEFAULT 1;"
	"DELETE FROM pending_ddl WHERE sql LIKE 'CREATE INDEX account\\_by\\_gp %' ESCAPE '\\';"
	"DROP INDEX IF EXISTS account_by_gp;"
	"CREATE INDEX account_by_gp ON account(gp_12m, sort_status, sales_12m, gp_known)"
	"  WHERE (sales_12m > 0 OR sort_status = 3);"
	"UPDATE setting SET value = '' WHERE key = 'figures_as_of';",

	/* 14 -> 15: names sort as a dictionary does, case and accents left out
	 * first (namekey.h), where ASCII's case alone was: Ålesund, Łódź and
	 * Ōsaka came after Z.  The key is a column, made by qpc as it writes
	 * the name, so that its index serves the accounts list, and finding an
	 * account by name, and the sqlite3 shell still reads and writes the
	 * file. */
	"ALTER TABLE account ADD COLUMN name_key TEXT NOT NULL DEFAULT '';"
	"UPDATE account SET name_key = qpc_name_key(name);"
	"DELETE FROM pending_ddl WHERE sql LIKE 'CREATE INDEX account\\_by\\_name %' ESCAPE '\\';"
	"DROP INDEX IF EXISTS account_by_name;"
	"CREATE INDEX account_by_name ON account(name_key, id, owner);",

	/* 15 -> 16: a plan with owners and dates: each step of a candidate's
	 * checklist may have an owner and a due date (qpc step assign, qpc
	 * tasks).  Kept apart from the tick: a step is assigned before it is
	 * done. */
	"CREATE TABLE IF NOT EXISTS step_plan ("
	"  candidate_id INTEGER NOT NULL REFERENCES candidate(id) ON DELETE CASCADE,"
	"  step_id INTEGER NOT NULL REFERENCES template_step(id),"
	"  owner TEXT NOT NULL DEFAULT '',"
	"  due TEXT,"
	"  PRIMARY KEY (candidate_id, step_id)) WITHOUT ROWID;"
	"CREATE INDEX IF NOT EXISTS step_plan_due ON step_plan(due, owner) WHERE due IS NOT NULL;"
	/* the reps' estimates at a date undo the changes made after it
	 * (watch.c): those changes, apart from the rest of the history */
	"CREATE INDEX IF NOT EXISTS history_estimate ON history(effective, account_id)"
	"  WHERE field = 'rep_share_estimate_bp';",

	/* 16 -> 17: what a partner is for us: traits a team keeps, rated per
	 * account on the trait's scale, each rating a dated fact (the one in
	 * force at a date is the latest up to it). */
	"CREATE TABLE IF NOT EXISTS trait ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	"  scale_min INTEGER NOT NULL DEFAULT 1,"
	"  scale_max INTEGER NOT NULL DEFAULT 5 CHECK (scale_max > scale_min),"
	"  retired INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE IF NOT EXISTS trait_rating ("
	"  id INTEGER PRIMARY KEY,"
	"  account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,"
	"  trait_id INTEGER NOT NULL REFERENCES trait(id),"
	"  score INTEGER NOT NULL,"
	"  note TEXT NOT NULL DEFAULT '',"
	"  rated_on TEXT NOT NULL,"
	"  rated_by TEXT NOT NULL);"
	"CREATE INDEX IF NOT EXISTS trait_rating_key"
	"  ON trait_rating(account_id, trait_id, rated_on, id);",

	/* 17 -> 18: a step may carry a rule qpc checks against the dated
	 * facts (rule.h), in its canonical words; '' for none. */
	"ALTER TABLE template_step ADD COLUMN rule TEXT NOT NULL DEFAULT '';",
};

#define NMIGRATIONS ((int)(sizeof migrations / sizeof *migrations))

/* The settings the figures need, read before load_settings() runs. */
static enum qpc_rc migrate_settings(struct qpc_store *st, struct qpc_error *e)
{
	sqlite3_stmt *s;
	enum qpc_rc rc = st_prepare(st, &s,
	                            "SELECT (SELECT value FROM setting WHERE key = 'threshold'),"
	                            " (SELECT value FROM setting WHERE key = 'minor_units')",
	                            e);
	if (rc)
		return rc;
	st->threshold_bp = QPC_THRESHOLD_DEFAULT;
	st->minor_units = 2;
	bool found;
	if (!(rc = st_row(st, s, &found, "reading the settings", e)) && found) {
		const char *mu = (const char *)sqlite3_column_text(s, 1);
		if (!st_parse_threshold((const char *)sqlite3_column_text(s, 0), &st->threshold_bp))
			st->threshold_bp = QPC_THRESHOLD_DEFAULT;
		if (mu && mu[0] >= '0' && mu[0] <= '4' && !mu[1])
			st->minor_units = mu[0] - '0';
	}
	sqlite3_finalize(s);
	return rc;
}

/* Schema 8 kept one row per QPC line and wrote each change of amount to
 * the history ("qpc:CATEGORY", old, new, effective = measured on).  Those
 * rows give the lines their past; the lines as they stand come last, so
 * that they are the facts in force from their measured_on on. */
enum qpc_rc st_migrate_facts(struct qpc_store *st, struct qpc_error *e)
{
	static const char past_sql[] =
		"SELECT h.account_id, c.id, h.effective, h.new FROM history h"
		" JOIN category c ON c.name = substr(h.field, 5)"
		" JOIN account a ON a.id = h.account_id"
		" WHERE h.entity = 'potential' AND h.field LIKE 'qpc:%' ORDER BY h.id";
	static const char mark_sql[] =
		"UPDATE qpc_fact SET replaced = 1 WHERE account_id = ?1 AND category_id = ?2"
		" AND measured_on >= ?3 AND replaced = 0";
	static const char add_sql[] =
		"INSERT INTO qpc_fact(account_id, category_id, measured_on, amount) VALUES (?1, ?2, ?3, ?4)";
	enum qpc_rc rc = migrate_settings(st, e);
	sqlite3_stmt *q = NULL, *mark = NULL, *add = NULL;
	if (rc || (rc = st_prepare(st, &q, past_sql, e)) || (rc = st_prepare(st, &mark, mark_sql, e)) ||
	    (rc = st_prepare(st, &add, add_sql, e)))
		goto done;
	int r;
	while (!rc && (r = sqlite3_step(q)) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(q, 3);
		qpc_money amount = 0;
		bool removed = !v || !*v;
		if (!removed && (!qpc_money_parse_plain(v, st->minor_units, &amount, NULL) || amount < 0))
			continue; /* not a figure qpc wrote: nothing to learn from it */
		for (int i = 0; i < 3; i++) {
			sqlite3_bind_value(mark, i + 1, sqlite3_column_value(q, i));
			sqlite3_bind_value(add, i + 1, sqlite3_column_value(q, i));
		}
		st_bind_opt_int(add, 4, !removed, amount);
		if ((rc = st_run(st, mark, "migrating QPC lines", e)) ||
		    (rc = st_run(st, add, "migrating QPC lines", e)))
			break;
	}
	if (!rc && r != SQLITE_DONE)
		rc = st_fail(st, e, "migrating QPC lines");
	/* The lines as they stand; the insert trigger marks what they replace. */
	if (!rc)
		rc = st_exec(st,
		             "UPDATE qpc_fact SET replaced = 1 WHERE replaced = 0 AND EXISTS (SELECT 1"
		             " FROM potential p WHERE p.account_id = qpc_fact.account_id"
		             " AND p.category_id = qpc_fact.category_id"
		             " AND p.measured_on <= qpc_fact.measured_on);"
		             "INSERT INTO qpc_fact(account_id, category_id, measured_on, amount, basis,"
		             " verified, measured_by, inputs) SELECT account_id, category_id, measured_on,"
		             " amount, basis, verified, measured_by, inputs FROM potential;",
		             e);
done:
	sqlite3_finalize(q);
	sqlite3_finalize(mark);
	sqlite3_finalize(add);
	return rc;
}

int qpc_store_schema_version(void)
{
	return NMIGRATIONS;
}

static enum qpc_rc user_version(struct qpc_store *st, int *v, struct qpc_error *e)
{
	sqlite3_stmt *s;
	enum qpc_rc rc = st_prepare(st, &s, "PRAGMA user_version", e);
	if (rc)
		return rc;
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_finalize(s);
		return st_fail(st, e, "reading the schema version");
	}
	*v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return QPC_OK;
}

/* A version this qpc can open or migrate from. */
static enum qpc_rc known_version(struct qpc_store *st, int v, struct qpc_error *e)
{
	if (v < 0) /* qpc never writes one: a damaged header */
		return qpc_error_set(e, QPC_ERR_DATA,
		                     "%s is damaged or is not a qpc database (schema version %d); "
		                     "restore it from a backup",
		                     st->path, v);
	if (v > NMIGRATIONS)
		return qpc_error_set(e, QPC_ERR_DATA,
		                     "%s was written by a newer qpc (schema version %d; this qpc "
		                     "knows up to %d): upgrade qpc to open it",
		                     st->path, v, NMIGRATIONS);
	return QPC_OK;
}

/* Every table of the schema: the version whose migration made it, and
 * the one whose migration dropped it (0: kept).  Indexes and triggers a
 * bulk import may set aside for a while (ingest.c) are not listed.
 * qpc_store_schema_selfcheck() holds this list to the migrations. */
static const struct {
	const char *name;
	int since, until;
} tables[] = {
	{ "setting", 1, 0 },          { "account", 1, 0 },
	{ "category", 1, 0 },         { "potential", 1, 0 },
	{ "sale", 1, 0 },             { "template", 1, 0 },
	{ "template_step", 1, 0 },    { "candidate", 1, 0 },
	{ "tick", 1, 0 },             { "goal", 1, 0 },
	{ "history", 1, 0 },          { "import_mapping", 3, 0 },
	{ "account_fts", 4, 0 },      { "account_fts_data", 4, 0 },
	{ "account_fts_idx", 4, 0 },  { "account_fts_config", 4, 0 },
	{ "account_fts_docsize", 4, 10 },
	{ "account_tally", 4, 0 },    { "pending_ddl", 6, 0 },
	{ "qpc_fact", 9, 0 },         { "contract", 9, 0 },
	{ "account_figure", 9, 0 },   { "setting_change", 9, 0 },
	{ "status_span", 9, 0 },      { "step_plan", 16, 0 },
	{ "trait", 17, 0 },           { "trait_rating", 17, 0 },
};

static bool table_in(int i, int v)
{
	return tables[i].since <= v && (tables[i].until == 0 || v < tables[i].until);
}

/* A table dropped by hand would otherwise surface as "no such table" in
 * whatever command came next: the file is called damaged at once. */
static enum qpc_rc check_tables(struct qpc_store *st, int v, struct qpc_error *e)
{
	sqlite3_stmt *s;
	enum qpc_rc rc = st_prepare(st, &s, "SELECT name FROM sqlite_master WHERE type = 'table'", e);
	if (rc)
		return rc;
	bool seen[sizeof tables / sizeof *tables] = { false };
	int r, n = (int)(sizeof tables / sizeof *tables);
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(s, 0);
		for (int i = 0; name && i < n; i++)
			seen[i] |= strcmp(tables[i].name, name) == 0;
	}
	sqlite3_finalize(s);
	if (r != SQLITE_DONE)
		return st_fail(st, e, "reading the database");
	for (int i = 0; i < n; i++)
		if (table_in(i, v) && !seen[i])
			return qpc_error_set(e, QPC_ERR_DATA,
			                     "%s is damaged or is not a qpc database (its table %s is "
			                     "missing); restore it from a backup",
			                     st->path, tables[i].name);
	return QPC_OK;
}

/* qpc_sale_key(KEY): a sales line's key as schema 13 stores it.  Keys
 * made by an import before it were the base (profile, headers, then the
 * line's id or fields), '#' and the line's occurrence: the base becomes
 * its hash.  A key of another form comes back as it is. */
static void sale_key_fn(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const char *k = (const char *)sqlite3_value_text(argv[0]);
	const char *hash = k ? strrchr(k, '#') : NULL;
	if (!hash || !hash[1] || strspn(hash + 1, "0123456789") != strlen(hash + 1)) {
		sqlite3_result_value(cx, argv[0]);
		return;
	}
	char h[SALE_KEY_HASHED];
	st_sale_key_hashed(k, (size_t)(hash - k), h);
	char *out = sqlite3_mprintf("%s%s", h, hash);
	if (out)
		sqlite3_result_text(cx, out, -1, sqlite3_free);
	else
		sqlite3_result_error_nomem(cx);
}

static int migration_functions(sqlite3 *db)
{
	int r = sqlite3_create_function(db, "qpc_sale_key", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
	                                NULL, sale_key_fn, NULL, NULL);
	return r != SQLITE_OK ? r : st_name_functions(db);
}

enum qpc_rc qpc_store_schema_selfcheck(struct qpc_error *e)
{
	sqlite3 *mem = NULL;
	enum qpc_rc rc = QPC_OK;
	if (sqlite3_open(":memory:", &mem) != SQLITE_OK || migration_functions(mem) != SQLITE_OK) {
		sqlite3_close(mem);
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	}
	for (int v = 1; v <= NMIGRATIONS && !rc; v++) {
		sqlite3_stmt *s = NULL;
		int n = (int)(sizeof tables / sizeof *tables), listed = 0, found = 0;
		if (sqlite3_exec(mem, migrations[v - 1], NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_prepare_v2(mem, "SELECT name FROM sqlite_master WHERE type = 'table'", -1, &s,
		                       NULL) != SQLITE_OK) {
			sqlite3_finalize(s);
			rc = qpc_error_set(e, QPC_ERR_DB, "schema version %d: %s", v, sqlite3_errmsg(mem));
			break;
		}
		for (int i = 0; i < n; i++)
			listed += table_in(i, v);
		while (!rc && sqlite3_step(s) == SQLITE_ROW) {
			const char *name = (const char *)sqlite3_column_text(s, 0);
			int i = 0;
			while (i < n && strcmp(tables[i].name, name) != 0)
				i++;
			if (i == n || !table_in(i, v))
				rc = qpc_error_set(e, QPC_ERR_DB,
				                   "schema version %d has table %s, which tables[] in "
				                   "schema.c does not list for it",
				                   v, name);
			found++;
		}
		sqlite3_finalize(s);
		if (!rc && found != listed)
			rc = qpc_error_set(e, QPC_ERR_DB,
			                   "tables[] in schema.c lists %d tables for schema version %d, "
			                   "which has %d",
			                   listed, v, found);
	}
	sqlite3_close(mem);
	return rc;
}

/* The migrations from the file's version on, in one transaction. */
static enum qpc_rc migrate_steps(struct qpc_store *st, struct qpc_error *e)
{
	int v = 0;
	enum qpc_rc rc;
	/* BEGIN IMMEDIATE: take the write lock first, then re-read the
	 * version, so that two qpc processes never migrate the same file. */
	if ((rc = st_exec(st, "PRAGMA secure_delete = OFF; BEGIN IMMEDIATE", e)))
		return rc;
	if ((rc = user_version(st, &v, e)) || (rc = known_version(st, v, e)))
		goto fail;
	int from = v;
	for (; v < NMIGRATIONS; v++) {
		char pragma[48];
		if ((rc = st_exec(st, migrations[v], e)))
			goto fail;
		if (v == 8 && (rc = st_migrate_facts(st, e)))
			goto fail;
		snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
		if ((rc = st_exec(st, pragma, e)))
			goto fail;
	}
	/* Figures and status changes, from the facts as they now stand: once
	 * here, where a step asked for them (figures_as_of blanked), rather
	 * than by every read until the next write. */
	bool blank = false;
	sqlite3_stmt *q;
	if (from > 0 && !(rc = st_prepare(st, &q,
	                                  "SELECT value = '' FROM setting WHERE key = 'figures_as_of'",
	                                  e))) {
		blank = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0);
		sqlite3_finalize(q);
	}
	if (rc || (from > 0 && (from <= 8 || blank) &&
	           ((rc = migrate_settings(st, e)) || (rc = st_cache_all(st, st_today(st), e)) ||
	            (from <= 8 && (rc = st_spans_rebuild(st, 0, e))))))
		goto fail;
	if ((rc = st_exec(st, "COMMIT", e)))
		goto fail;
	return QPC_OK;
fail:
	st_exec(st, "ROLLBACK", NULL);
	if (e && e->code == rc) {
		char inner[sizeof e->msg];
		snprintf(inner, sizeof inner, "%s", e->msg);
		qpc_error_set(e, rc, "migrating %s to schema version %d failed, nothing changed: %s",
		              st->path, v + 1, inner);
	}
	return rc;
}

enum qpc_rc st_migrate(struct qpc_store *st, struct qpc_error *e)
{
	int v = 0;
	enum qpc_rc rc = user_version(st, &v, e);
	if (rc)
		return rc;
	st->opened_version = v;
	if ((rc = known_version(st, v, e)) || (rc = check_tables(st, v, e)))
		return rc;
	if (v == NMIGRATIONS)
		return QPC_OK;
	if (st->readonly)
		return qpc_error_set(e, QPC_ERR_READONLY,
		                     "%s has schema version %d and needs migrating to %d, "
		                     "but %s",
		                     st->path, v, NMIGRATIONS,
		                     st->why[0] ? st->why : "it is open read-only");
	/* A file with data is copied first, so a migration that goes wrong in
	 * a way SQLite cannot roll back still leaves the old file whole. */
	if (v > 0) {
		char dest[sizeof st->migration_backup];
		snprintf(dest, sizeof dest, "%s.schema%d.bak", st->path, v);
		if ((rc = qpc_store_backup(st, dest, true, e))) {
			char inner[sizeof e->msg];
			snprintf(inner, sizeof inner, "%s", e->msg);
			return qpc_error_set(e, rc,
			                     "%s needs migrating from schema version %d to %d, but the "
			                     "copy to keep first could not be made, so nothing was "
			                     "changed: %s",
			                     st->path, v, NMIGRATIONS, inner);
		}
		snprintf(st->migration_backup, sizeof st->migration_backup, "%s", dest);
	}
	if (migration_functions(st->db) != SQLITE_OK)
		return st_fail(st, e, "migrating");
	/* Debian's SQLite zeroes every page it frees: a migration that drops
	 * a table of ten million sales lines, in one transaction, then took
	 * 73 s and 1.1 GB; without, 47 s and 350 MB.  The copy taken above
	 * keeps the old file whole anyway. */
	int secure = 1;
	sqlite3_stmt *sd;
	if (sqlite3_prepare_v2(st->db, "PRAGMA secure_delete", -1, &sd, NULL) == SQLITE_OK &&
	    sqlite3_step(sd) == SQLITE_ROW)
		secure = sqlite3_column_int(sd, 0);
	sqlite3_finalize(sd);
	rc = migrate_steps(st, e);
	if (secure)
		sqlite3_exec(st->db, "PRAGMA secure_delete = ON", NULL, NULL, NULL);
	return rc;
}

