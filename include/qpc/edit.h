/* edit.h — the changes people make by hand: QPC lines, candidates, ticks,
 * goals, checklist templates.  Each is one transaction, recorded in the
 * history with who and when.
 *
 * Two people, one file: an edit names the row version it started from;
 * when someone else saved in between, it is refused with QPC_ERR_CONFLICT
 * and a message saying what changed and by whom, and nothing is written.
 * Ticks are rows of their own, so one person's tick never undoes another's.
 */
#ifndef QPC_EDIT_H
#define QPC_EDIT_H

#include <stdbool.h>
#include <stdint.h>

#include "qpc/rule.h"
#include "qpc/store.h"

/* --- QPC lines ----------------------------------------------------------- */

struct qpc_line {
	int64_t category_id;     /* 0: by name, created when new */
	char category[96];
	qpc_money amount;
	char basis[96];
	bool verified;
	qpc_date measured_on;
	char measured_by[64];
	char inputs[256];        /* for basis "formula": what it was computed from */
	int64_t version;         /* 0: a line the editor adds */
};

/* An account's QPC lines as an editor starts from them. */
struct qpc_qpc_sheet {
	int64_t account_id, account_version;
	int64_t history_mark;    /* the last history row when read */
	bool has_rep_share;
	int32_t rep_share_bp;
	int nlines;
	struct qpc_line lines[32];
};

enum qpc_rc qpc_edit_load(struct qpc_store *st, int64_t account_id, struct qpc_qpc_sheet *out,
                          struct qpc_error *e);

/* Saves an edited sheet against the one it was loaded as: lines added,
 * changed (amount, basis, verified, measured-on) and removed, and the
 * rep's share estimate.  force: overwrite what others saved since. */
enum qpc_rc qpc_edit_save(struct qpc_store *st, const struct qpc_qpc_sheet *before,
                          const struct qpc_qpc_sheet *after, bool force, struct qpc_error *e);

/* What others changed in the account's QPC since before was loaded,
 * leaving out what after changes itself (a conflict, which the save
 * refuses): lines they added, changed or removed, and the rep's estimate.
 * Says them in words into out ("bob at 09:00, QPC in Packaging: 5,000.00
 * -> 9,000.00; ..."; ascii: "->" for the arrow) and returns how many:
 * the editor asks before saving its own beside them. */
int qpc_edit_others(struct qpc_store *st, const struct qpc_qpc_sheet *before,
                    const struct qpc_qpc_sheet *after, bool ascii, char *out, size_t n);

/* One line, from the command line (version checks are moot there: the
 * line is read and written in one transaction). */
enum qpc_rc qpc_edit_potential_set(struct qpc_store *st, int64_t account_id, const char *category,
                                   qpc_money amount, const char *basis, bool verified,
                                   qpc_date measured_on, struct qpc_error *e);
enum qpc_rc qpc_edit_potential_rm(struct qpc_store *st, int64_t account_id, const char *category,
                                  struct qpc_error *e);

/* --- candidates and checklists ------------------------------------------- */

/* Drops the account's candidacy on `on`, with a reason. */
enum qpc_rc qpc_edit_candidate_drop(struct qpc_store *st, int64_t account_id, const char *reason,
                                    qpc_date on, struct qpc_error *e);
/* Step by number (1-based, among live steps) or, when position is 0, by
 * its text. */
enum qpc_rc qpc_edit_untick(struct qpc_store *st, int64_t account_id, int position,
                            const char *text, struct qpc_error *e);
enum qpc_rc qpc_edit_tick(struct qpc_store *st, int64_t account_id, int position,
                          const char *text, const char *note, struct qpc_error *e);

struct qpc_step {
	int position;            /* 1-based among live steps; 0 when retired */
	char text[200];
	bool retired;
	bool ticked;             /* for a candidate's checklist */
	char ticked_by[64];
	char ticked_at[32];
	char note[200];
	char owner[64];          /* who is to do it ("" nobody yet) */
	bool has_due;
	qpc_date due;
	char rule[QPC_RULE_TEXT]; /* what the sales must show (rule.h); "" none */
	/* qpc_edit_checklist_rules(): whether the facts at the date meet the
	 * rule, and what they show */
	bool rule_checked, rule_met;
	char evidence[320];
};

struct qpc_checklist {
	int64_t candidate_id;
	char template_name[96];
	qpc_date nominated_on;
	char nominated_by[64];
	int nsteps;
	struct qpc_step steps[32];
};
/* The active candidacy's checklist; QPC_ERR_NOTFOUND when not a candidate. */
enum qpc_rc qpc_edit_checklist(struct qpc_store *st, int64_t account_id, struct qpc_checklist *out,
                               struct qpc_error *e);

/* Checks each step's rule against the account's facts as of as_of
 * (rule_checked, rule_met, evidence).  Writes nothing. */
enum qpc_rc qpc_edit_checklist_rules(struct qpc_store *st, int64_t account_id, qpc_date as_of,
                                     struct qpc_checklist *cl, struct qpc_error *e);

/* A step's owner and due date, by number or else by its text: set_owner
 * with "" clears the owner, set_due with has_due false the date. */
struct qpc_step_plan {
	bool set_owner;
	const char *owner;
	bool set_due, has_due;
	qpc_date due;
};
enum qpc_rc qpc_store_step_assign(struct qpc_store *st, int64_t account_id, int position,
                                  const struct qpc_step_plan *p, struct qpc_error *e);
enum qpc_rc qpc_edit_step_assign(struct qpc_store *st, int64_t account_id, int position,
                                 const char *text, const struct qpc_step_plan *p,
                                 struct qpc_error *e);

/* An open step of an active candidacy with an owner or a due date. */
struct qpc_task {
	int64_t candidate_id, step_id, account_id;
	const char *external_id, *account, *account_owner;
	int position;
	const char *step, *owner;
	bool has_due;
	qpc_date due;
};
typedef int (*qpc_task_fn)(const struct qpc_task *t, void *ctx);
/* Due first, the earliest first, then the undated; owner NULL for any;
 * overdue_at > 0 keeps only those due before it.  Strings live until the
 * callback returns; a callback returning non-zero stops the walk. */
enum qpc_rc qpc_edit_tasks(struct qpc_store *st, const char *owner, qpc_date overdue_at,
                           qpc_task_fn fn, void *ctx, struct qpc_error *e);

/* --- templates ----------------------------------------------------------- */

struct qpc_template {
	int64_t id;
	char name[96];
	bool is_default;
	int nsteps;              /* live and retired */
	struct qpc_step steps[32];
	int64_t candidates;      /* active candidates using it */
};
typedef int (*qpc_template_fn)(const struct qpc_template *t, void *ctx);
enum qpc_rc qpc_template_each(struct qpc_store *st, qpc_template_fn fn, void *ctx,
                              struct qpc_error *e);
enum qpc_rc qpc_template_get(struct qpc_store *st, const char *name, struct qpc_template *out,
                             struct qpc_error *e);
enum qpc_rc qpc_template_rename(struct qpc_store *st, const char *name, const char *new_name,
                                struct qpc_error *e);
/* Makes the template the one new candidates get. */
enum qpc_rc qpc_template_set_default(struct qpc_store *st, const char *name,
                                     struct qpc_error *e);
/* Deletes a template no candidacy, past or present, ever used (their
 * checklists keep its steps); not the only one.  Deleting the default
 * makes the oldest of the others the default, named in *new_default. */
enum qpc_rc qpc_template_delete(struct qpc_store *st, const char *name, char *new_default,
                                size_t n, struct qpc_error *e);
/* Adds a step at position (0: at the end). */
enum qpc_rc qpc_template_step_add(struct qpc_store *st, const char *name, const char *text,
                                  int position, struct qpc_error *e);
/* Retires a step: it leaves checklists, its ticks stay in the history. */
enum qpc_rc qpc_template_step_retire(struct qpc_store *st, const char *name, int position,
                                     struct qpc_error *e);
enum qpc_rc qpc_template_step_move(struct qpc_store *st, const char *name, int from, int to,
                                   struct qpc_error *e);
/* A new template with the live steps of `from` (NULL: the default) and
 * their rules, in one transaction. */
enum qpc_rc qpc_template_copy(struct qpc_store *st, const char *from, const char *name,
                              struct qpc_error *e);
/* Sets the rule of live step `position` ("" removes it); the rule is
 * parsed first (rule.h) and kept in its canonical words. */
enum qpc_rc qpc_template_step_rule(struct qpc_store *st, const char *name, int position,
                                   const char *rule, struct qpc_error *e);

/* --- estimates ---------------------------------------------------------- */

struct qpc_estimate_line {
	char category[96];
	qpc_money amount;
	char inputs[256];   /* "120 employees x 103.33 (Manufacturing, 14 ...)" */
	bool kept;          /* the account already has a line here: not written */
};

struct qpc_estimate {
	int64_t account_id;
	char name[160], external_id[64], segment[64];
	int nlines;
	struct qpc_estimate_line lines[32];
};

typedef int (*qpc_estimate_fn)(const struct qpc_estimate *est, void *ctx);

/* Estimates QPC lines by formula for one account (account_id) or, with 0,
 * every account that has no QPC line and whose size is known, and (unless
 * dry_run) stores them with basis "formula", unverified, measured on `on`,
 * never over a line that exists.  fn sees each account's estimate. */
enum qpc_rc qpc_estimate_run(struct qpc_store *st, int64_t account_id, qpc_date on, bool dry_run,
                             qpc_estimate_fn fn, void *ctx, struct qpc_error *e);

/* --- history ------------------------------------------------------------- */

struct qpc_change {
	int64_t id;
	const char *at, *effective, *user, *entity, *field, *old_value, *new_value;
	const char *account_name, *external_id; /* "" for changes to no account */
};
typedef int (*qpc_change_fn)(const struct qpc_change *c, void *ctx);
/* The history, oldest first; account_id 0: everything.  limit 0: all. */
enum qpc_rc qpc_history_each(struct qpc_store *st, int64_t account_id, int64_t limit,
                             qpc_change_fn fn, void *ctx, struct qpc_error *e);

#endif
