/* store.h — the SQLite database: the only module that speaks SQL.
 *
 * A struct qpc_store is one open database file.  Every statement is
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

struct qpc_store;

/* The schema version this qpc writes (PRAGMA user_version). */
int qpc_store_schema_version(void);

enum qpc_open_flags {
	QPC_OPEN_EXISTING = 0,  /* the file must exist */
	QPC_OPEN_CREATE = 1,    /* create it (and its folder), mode 0600 */
	QPC_OPEN_READONLY = 2,
};

/* Opens path, migrating an older schema in place inside a transaction and
 * refusing a newer one.  On failure *out is NULL and e says why. */
enum qpc_rc qpc_store_open(const char *path, unsigned flags, struct qpc_store **out,
                           struct qpc_error *e);
void qpc_store_close(struct qpc_store *st);

/* Who is working and what time it is: stamped on every change.  `now` is
 * a Unix time; tests inject it. */
void qpc_store_set_actor(struct qpc_store *st, const char *user, int64_t now);
/* Opened read-only (asked for, or the file or its folder is not
 * writable): reading works, every change is refused with
 * QPC_ERR_READONLY, and figures stay as of the date they were computed. */
bool qpc_store_readonly(const struct qpc_store *st);
/* The date the cached figures are as of; false when never computed. */
bool qpc_store_figures_date(const struct qpc_store *st, qpc_date *as_of);
const char *qpc_store_user(const struct qpc_store *st);
int64_t qpc_store_now(const struct qpc_store *st);
/* The schema version found in the file before any migration ran. */
int qpc_store_opened_version(const struct qpc_store *st);

/* Copies the database to dest with SQLite's online backup, a few pages at
 * a time so that others keep working; dest is written beside itself and
 * renamed into place, mode 0600. */
enum qpc_rc qpc_store_backup(struct qpc_store *st, const char *dest, struct qpc_error *e);
/* Where the copy taken before a migration went ("" when none was taken). */
const char *qpc_store_migration_backup(const struct qpc_store *st);

/* Transactions nest: only the outermost begin/commit reaches SQLite, and a
 * rollback at any depth rolls the whole transaction back. */
enum qpc_rc qpc_store_begin(struct qpc_store *st, struct qpc_error *e);
enum qpc_rc qpc_store_commit(struct qpc_store *st, struct qpc_error *e);
void qpc_store_rollback(struct qpc_store *st);

/* --- settings ------------------------------------------------------------ */

struct qpc_settings {
	int32_t threshold_bp; /* partner threshold, basis points (7500) */
	char currency[4];     /* ISO 4217 code */
	int minor_units;      /* decimals of the currency */
};

enum qpc_rc qpc_store_settings(struct qpc_store *st, struct qpc_settings *out, struct qpc_error *e);
/* Known keys: threshold (a fraction 0 < t <= 1, e.g. 0.75), currency
 * (3 letters), minor_units (0..4, only while no money is stored). */
enum qpc_rc qpc_store_setting_set(struct qpc_store *st, const char *key, const char *value,
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
};

enum qpc_rc qpc_store_account_insert(struct qpc_store *st, const struct qpc_account_rec *rec,
                                     int64_t *id, struct qpc_error *e);
/* Finds an account by external id, else by exact name.  Several accounts
 * of that name: QPC_ERR_DATA listing them. */
enum qpc_rc qpc_store_account_find(struct qpc_store *st, const char *key, int64_t *id,
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
};
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

/* --- figures ------------------------------------------------------------- */

/* Brings every account's cached figures (QPC, sales 12m, share, status) to
 * as_of (a read-only store keeps them as they are).  Moving forward in time it records status changes in the history
 * with as_of as their date; looking back (as_of before the latest date
 * recorded) it only recomputes.  Does nothing when already at as_of.  It
 * writes in one transaction: on failure the file is as it was, and e says
 * "bringing the figures to DATE: " and why. */
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

struct qpc_goal {
	int year;
	int64_t target;
	int64_t achieved; /* accounts that became partners in that year */
};

struct qpc_report {
	qpc_date as_of;
	bool figures_stale;  /* read-only or kept: the figures are as of figures_as_of */
	qpc_date figures_as_of;
	struct qpc_settings settings;
	struct qpc_kpi kpi;
	struct qpc_kpi_ratios ratios;
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
};

typedef int (*qpc_account_fn)(const struct qpc_account_row *row, void *ctx);
/* Calls fn for every account in name order after refreshing to as_of; a
 * non-zero return from fn stops the walk and is returned as QPC_ERR_IO. */
enum qpc_rc qpc_store_accounts_each(struct qpc_store *st, qpc_date as_of, qpc_account_fn fn,
                                    void *ctx, struct qpc_error *e);

#endif
