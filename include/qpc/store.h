/* store.h — the database: the only module that speaks SQL.
 *
 * A struct qpc_store is one open database: a SQLite file, or a team
 * server (PostgreSQL) for the operations it runs there.  Every statement is
 * prepared with bound parameters; every change of several rows runs in one
 * transaction.  Writes record who made them (the actor) in the history.
 *
 * Strings passed in are copied by SQLite before the call returns.  Strings
 * handed to callbacks live until the callback returns.
 */
#ifndef QPC_STORE_H
#define QPC_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "qpc/date.h"
#include "qpc/error.h"
#include "qpc/figures.h"
#include "qpc/money.h"
#include "qpc/timeline.h"

struct qpc_store;

/* The schema version this qpc writes (PRAGMA user_version). */
int qpc_store_schema_version(void);
/* For the tests: builds each schema version in memory and checks that the
 * tables opening a file expects of it are exactly those it has. */
enum qpc_rc qpc_store_schema_selfcheck(struct qpc_error *e);

enum qpc_open_flags {
	QPC_OPEN_EXISTING = 0,  /* the file must exist */
	QPC_OPEN_CREATE = 1,    /* create it (and its folder), mode 0600 */
	QPC_OPEN_READONLY = 2,
};

/* Whether --db names a team server, not a file: a libpq connection URI
 * (postgresql://, postgres://) or connection settings (service=NAME,
 * host=...).  Anything else is the path of a SQLite file. */
bool qpc_store_is_server(const char *where);

/* Told, in a sentence, when opening has to wait for another qpc (one
 * migrating the team server's schema); process-wide, NULL for silence. */
void qpc_store_on_wait(void (*fn)(const char *what, void *ctx), void *ctx);

/* Opens path (a SQLite file, or a team server: qpc_store_is_server),
 * migrating an older schema in place inside a transaction and refusing a
 * newer one.  On failure *out is NULL and e says why.
 *
 * On a team server (PostgreSQL), QPC_OPEN_CREATE creates qpc's schema and
 * roles; the actor is the database login.  This qpc runs init and the user
 * commands there: every other operation is a SQLite file's. */
enum qpc_rc qpc_store_open(const char *path, unsigned flags, struct qpc_store **out,
                           struct qpc_error *e);
void qpc_store_close(struct qpc_store *st);

/* --- the team server's logins and their roles --------------------------
 * A rep reads everything and changes the QPC lines and share estimate of
 * the accounts whose owner is theirs; a manager does so on every account
 * and nominates, drops, ticks, plans, rates, sets goals, contracts,
 * traits and templates; an admin also imports, sets settings, manages
 * users and migrates.  The server enforces it (GRANTs, row-level
 * security).  On a SQLite file these return QPC_ERR_USAGE. */
enum qpc_role { QPC_ROLE_REP, QPC_ROLE_MANAGER, QPC_ROLE_ADMIN };
/* "rep", "manager", "admin"; false for anything else. */
bool qpc_role_parse(const char *s, enum qpc_role *out);
const char *qpc_role_name(enum qpc_role r);

struct qpc_user_row {
	const char *login;
	enum qpc_role role;
	const char *owner;    /* the CRM's owner name of the login's accounts; "" */
	const char *added_at; /* ISO 8601 */
	const char *added_by;
	bool can_login;       /* the login exists on the server and may connect */
};
typedef int (*qpc_user_fn)(const struct qpc_user_row *u, void *ctx);
/* The users, by login. */
enum qpc_rc qpc_store_users_each(struct qpc_store *st, qpc_user_fn fn, void *ctx,
                                 struct qpc_error *e);
/* Adds login (made, without a password, when the server has no such role;
 * else the existing one) with a role and an owner name ("" for none). */
enum qpc_rc qpc_store_user_add(struct qpc_store *st, const char *login, enum qpc_role role,
                               const char *owner, struct qpc_error *e);
enum qpc_rc qpc_store_user_set_role(struct qpc_store *st, const char *login, enum qpc_role role,
                                    struct qpc_error *e);
enum qpc_rc qpc_store_user_set_owner(struct qpc_store *st, const char *login, const char *owner,
                                     struct qpc_error *e);
/* Takes login's role away, and drops the login if qpc made it.  The last
 * admin stays. */
enum qpc_rc qpc_store_user_rm(struct qpc_store *st, const char *login, struct qpc_error *e);
/* The role of the login this store works as; false on a SQLite file. */
bool qpc_store_role(const struct qpc_store *st, enum qpc_role *out);

/* Who is working and what time it is: stamped on every change.  `now` is
 * a Unix time; tests inject it. */
void qpc_store_set_actor(struct qpc_store *st, const char *user, int64_t now);
/* The same actor and clock as `from` (a second connection for a thread). */
void qpc_store_same_actor(struct qpc_store *to, const struct qpc_store *from);
/* Opened read-only (asked for, or the file or its folder is not
 * writable): reading works, every change is refused with
 * QPC_ERR_READONLY, and figures stay as of the date they were computed. */
bool qpc_store_readonly(const struct qpc_store *st);
/* Why this user cannot write it ("cannot write x.db: permission denied
 * (owner alice, mode 0644)"); "" when read-only was asked for, or not
 * read-only. */
const char *qpc_store_readonly_why(const struct qpc_store *st);
/* The date the cached figures are as of; false when never computed. */
bool qpc_store_figures_date(const struct qpc_store *st, qpc_date *as_of);
/* The threads that computed the last figures of every account at a date
 * (1 or 2; 0 before any): a second reads the file beside the first when
 * there are many accounts, unless told to keep to one. */
int qpc_store_threads_used(const struct qpc_store *st);
void qpc_store_one_thread(struct qpc_store *st, bool one);
/* Told how far the figures of every account have come, while they are
 * computed (a dashboard's first screen, a new day's figures): done
 * accounts of at most total (the span of their ids, which a deleted
 * account leaves a gap in), every few thousand accounts, and once at the
 * end with done equal to total; fn NULL: told nothing. */
typedef void (*qpc_progress_fn)(void *ctx, uint64_t done, uint64_t total);
void qpc_store_on_progress(struct qpc_store *st, qpc_progress_fn fn, void *ctx);
const char *qpc_store_user(const struct qpc_store *st);
int64_t qpc_store_now(const struct qpc_store *st);
/* The schema version found in the file before any migration ran. */
int qpc_store_opened_version(const struct qpc_store *st);
/* The version this qpc makes on st's backend (a file's, a server's). */
int qpc_store_backend_version(const struct qpc_store *st);

/* Copies the database to dest with SQLite's online backup, a few pages at
 * a time so that others keep working; dest is written beside itself and
 * renamed into place, mode 0600.  Refused (QPC_ERR_USAGE, nothing
 * written) when dest is the database or one of its -wal, -shm, -journal
 * files, or, unless replace, when dest exists.  A failed copy leaves no
 * file behind. */
enum qpc_rc qpc_store_backup(struct qpc_store *st, const char *dest, bool replace,
                             struct qpc_error *e);
/* Where the copy taken before a migration went ("" when none was taken). */
const char *qpc_store_migration_backup(const struct qpc_store *st);
/* The database file's path, as opened. */
const char *qpc_store_path(const struct qpc_store *st);

/* Transactions nest: only the outermost begin/commit reaches SQLite, and a
 * rollback at any depth rolls the whole transaction back. */
enum qpc_rc qpc_store_begin(struct qpc_store *st, struct qpc_error *e);
enum qpc_rc qpc_store_commit(struct qpc_store *st, struct qpc_error *e);
void qpc_store_rollback(struct qpc_store *st);

/* --- settings ------------------------------------------------------------ */

struct qpc_settings {
	int32_t threshold_bp;      /* partner threshold in force today, basis points */
	int32_t base_threshold_bp; /* before any dated change (7500 by default) */
	char currency[4];          /* ISO 4217 code */
	int minor_units;           /* decimals of the currency */
};

enum qpc_rc qpc_store_settings(struct qpc_store *st, struct qpc_settings *out, struct qpc_error *e);
/* The partner threshold in force on a day: the latest change taking
 * effect on or before it, else the base setting. */
enum qpc_rc qpc_store_threshold_at(struct qpc_store *st, qpc_date on, int32_t *bp,
                                   struct qpc_error *e);
/* Known keys: threshold (0 < t <= 1: "0.75" or "75%"), a dated change
 * taking effect from `from` on; currency (3 letters) and minor_units
 * (0..4), both refused once any amount is stored. */
enum qpc_rc qpc_store_setting_change(struct qpc_store *st, const char *key, const char *value,
                                     qpc_date from, struct qpc_error *e);
/* The same, from today. */
enum qpc_rc qpc_store_setting_set(struct qpc_store *st, const char *key, const char *value,
                                  struct qpc_error *e);
/* Each setting: the base values (has_from false), then the dated changes
 * in key and date order. */
struct qpc_setting_row {
	const char *key, *value;
	bool has_from;
	qpc_date from;
	const char *changed_at, *changed_by; /* "" for base values */
};
typedef int (*qpc_setting_fn)(const struct qpc_setting_row *row, void *ctx);
enum qpc_rc qpc_store_setting_each(struct qpc_store *st, qpc_setting_fn fn, void *ctx,
                                   struct qpc_error *e);

/* --- writing ------------------------------------------------------------- */

/* One account as a CRM describes it.  NULL strings are stored as empty;
 * has_* flags say whether the optional figure is known. */
struct qpc_account_rec {
	const char *external_id; /* may be NULL: then the name is the key */
	const char *name;
	const char *owner, *segment, *city, *country, *notes;
	bool has_employees;
	int64_t employees;
	bool has_annual_revenue;
	qpc_money annual_revenue;
	bool contract_partner;
	bool has_contract_value;
	qpc_money contract_value;
	bool has_rep_share;
	int32_t rep_share_bp;
	bool has_cost_to_serve;
	qpc_money cost_to_serve;
	bool has_account_figure; /* account-level 12-month sales and profit */
	qpc_money account_sales_12m;
	bool has_account_gp;
	qpc_money account_gp_12m;
	/* The day the contract flag and the 12-month figure take effect: the
	 * import's as-of date; 0 for today. */
	qpc_date facts_on;
	/* A contract's own dates, where the file has them: they decide over
	 * the flag. */
	bool has_contract_signed, has_contract_ends;
	qpc_date contract_signed, contract_ends;
};

enum qpc_rc qpc_store_account_insert(struct qpc_store *st, const struct qpc_account_rec *rec,
                                     int64_t *id, struct qpc_error *e);
/* Finds an account by external id, else by exact name.  Several accounts
 * of that name: QPC_ERR_DATA listing them. */
enum qpc_rc qpc_store_account_find(struct qpc_store *st, const char *key, int64_t *id,
                                   struct qpc_error *e);
/* The account's name, into buf. */
enum qpc_rc qpc_store_account_name(struct qpc_store *st, int64_t id, char *buf, size_t n,
                                   struct qpc_error *e);

enum qpc_rc qpc_store_category_ensure(struct qpc_store *st, const char *name, int64_t *id,
                                      struct qpc_error *e);

struct qpc_potential_rec {
	int64_t account_id, category_id;
	qpc_money amount;
	const char *basis;    /* customer stated, formula, rep estimate, ... */
	bool verified;
	qpc_date measured_on;
	const char *measured_by; /* NULL: the actor */
	const char *inputs;      /* basis "formula": what it was computed from */
};
enum qpc_rc qpc_store_potential_set(struct qpc_store *st, const struct qpc_potential_rec *p,
                                    struct qpc_error *e);

struct qpc_sale_rec {
	int64_t account_id;
	int64_t category_id; /* 0: none */
	qpc_date date;
	qpc_money amount;
	bool has_gp;
	qpc_money gross_profit;
	const char *source_key; /* unique per line; NULL: none */
	/* Or, for ingest, what the line holds (or its id), which the store
	 * numbers by its occurrence in the import: base#n, or base itself the
	 * first time when key_verbatim.  Shorter than QPC_SALE_KEY_MAX. */
	const char *key_base;
	bool key_verbatim;
};
#define QPC_SALE_KEY_MAX 1024
enum qpc_rc qpc_store_sale_add(struct qpc_store *st, const struct qpc_sale_rec *s,
                               struct qpc_error *e);

enum qpc_rc qpc_store_template_create(struct qpc_store *st, const char *name,
                                      const char *const *steps, int nsteps, int64_t *id,
                                      struct qpc_error *e);
enum qpc_rc qpc_store_template_find(struct qpc_store *st, const char *name, int64_t *id,
                                    struct qpc_error *e);
/* Nominates an account on `on` with template_id (0: the default template). */
enum qpc_rc qpc_store_candidate_add(struct qpc_store *st, int64_t account_id, int64_t template_id,
                                    qpc_date on, struct qpc_error *e);
/* Ticks step number `position` (1-based) of the account's checklist. */
enum qpc_rc qpc_store_tick(struct qpc_store *st, int64_t account_id, int position,
                           const char *note, struct qpc_error *e);
enum qpc_rc qpc_store_goal_set(struct qpc_store *st, int year, int64_t target,
                               struct qpc_error *e);

/* A systems contract binds the account as a partner from signed_on up to,
 * not including, ends_on.  Setting one where a contract is in force on
 * signed_on changes that contract (its dates and value); otherwise a new
 * one is recorded.  Ending one that is in force on `on` sets its end. */
struct qpc_contract_rec {
	qpc_date signed_on;
	bool has_end;
	qpc_date ends_on;
	bool has_value;
	qpc_money value;
};
enum qpc_rc qpc_store_contract_set(struct qpc_store *st, int64_t account_id,
                                   const struct qpc_contract_rec *c, struct qpc_error *e);
enum qpc_rc qpc_store_contract_end(struct qpc_store *st, int64_t account_id, qpc_date on,
                                   struct qpc_error *e);
struct qpc_contract_row {
	int64_t id, account_id;
	const char *external_id, *name;
	struct qpc_contract_rec c;
	const char *recorded_at, *recorded_by;
};
typedef int (*qpc_contract_fn)(const struct qpc_contract_row *row, void *ctx);
/* Every contract (account_id 0) or one account's, by signing date. */
enum qpc_rc qpc_store_contract_each(struct qpc_store *st, int64_t account_id,
                                    qpc_contract_fn fn, void *ctx, struct qpc_error *e);

/* --- figures ------------------------------------------------------------- */

/* Makes this connection read every account's figures (QPC, sales 12m,
 * share, status) as of as_of, computed from the facts in force then.  It
 * never writes the database: today's figures are kept ready by the writes
 * that change them, and figures for another date are computed into this
 * connection's own temporary copy, which no one else sees.  Cheap when
 * already at as_of.  On failure e says "computing the figures as of
 * DATE: " and why, and the connection reads today's figures. */
enum qpc_rc qpc_store_refresh(struct qpc_store *st, qpc_date as_of, struct qpc_error *e);
/* For a caller that can do without the refresh (the dashboard), after
 * qpc_store_refresh failed with rc: true when rc says the file could not be
 * written (a full disk, a file size limit, a lock held too long, a file
 * that turned read-only) and the figures can be read as they stand; from
 * then on refreshes keep them so, as for a read-only store, while changes
 * are still tried (each fails with its own message until there is room).
 * False for other failures, which leave the store as it was. */
bool qpc_store_keep_figures(struct qpc_store *st, enum qpc_rc rc);

/* --- reading ------------------------------------------------------------- */

/* A year's goal as of a date D: the distinct accounts that became
 * partners in that year on or before D (first_time: never partners
 * before; regained: partners before, lost, back this year), and those
 * that stopped being partners in the year and are not partners at D. */
struct qpc_goal {
	int year;
	int64_t target;
	int64_t achieved; /* first_time + regained */
	int64_t first_time, regained, lost;
	int64_t achieved_confirmed; /* of achieved, confirmed partners at D */
};
/* Counts a year's goal figures as of `as_of` (cut at the year's end). */
enum qpc_rc qpc_store_goal_progress(struct qpc_store *st, int year, qpc_date as_of,
                                    struct qpc_goal *out, struct qpc_error *e);

struct qpc_report {
	qpc_date as_of;
	bool figures_stale;  /* read-only or kept: the figures are as of figures_as_of */
	qpc_date figures_as_of;
	struct qpc_settings settings;
	struct qpc_kpi kpi;
	struct qpc_kpi_ratios ratios;
	int64_t partners_confirmed; /* partners whose QPC can be trusted (timeline.h) */
	int64_t provisional[QPC_QUALITY_COUNT]; /* partners by reason (0: confirmed) */
	bool has_goal;
	struct qpc_goal goal; /* the as-of year's */
};

/* Refreshes to as_of, then sums the team's figures. */
enum qpc_rc qpc_store_report(struct qpc_store *st, qpc_date as_of, struct qpc_report *out,
                             struct qpc_error *e);

enum qpc_rc qpc_store_count_accounts(struct qpc_store *st, int64_t *n, struct qpc_error *e);

/* One account with its figures, as the export and the views show it. */
struct qpc_account_row {
	int64_t id, version;
	const char *external_id, *name, *owner, *segment, *city, *country;
	struct qpc_account_figures fig;
	bool contract_partner;
	bool has_contract_value;
	qpc_money contract_value;
	bool has_rep_share;
	int32_t rep_share_bp;
	bool has_measured_on;
	qpc_date qpc_measured_on; /* the oldest line's date */
	bool qpc_verified;        /* every line verified */
	bool has_cost_to_serve;   /* the CRM's yearly cost to serve it */
	qpc_money cost_to_serve;
	bool has_quality;         /* a partner: confirmed or why provisional */
	enum qpc_quality quality;
};

typedef int (*qpc_account_fn)(const struct qpc_account_row *row, void *ctx);
/* Calls fn for each of the accounts ids[0..n) in that order, as of as_of
 * (one gone since is left out); a non-zero return stops, as below. */
enum qpc_rc qpc_store_accounts_by_id(struct qpc_store *st, qpc_date as_of, const int64_t *ids,
                                     size_t n, qpc_account_fn fn, void *ctx, struct qpc_error *e);
/* Calls fn for every account in name order after refreshing to as_of; a
 * non-zero return from fn stops the walk and is returned as QPC_ERR_IO. */
enum qpc_rc qpc_store_accounts_each(struct qpc_store *st, qpc_date as_of, qpc_account_fn fn,
                                    void *ctx, struct qpc_error *e);

#endif
