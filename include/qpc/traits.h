/* traits.h — what a partner is for us: the characteristics a team keeps
 * (traits), rated per account by the people who know it, each rating a
 * dated fact kept like every other; and how partners and the other
 * customers compare on each.
 */
#ifndef QPC_TRAITS_H
#define QPC_TRAITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "qpc/date.h"
#include "qpc/error.h"

struct qpc_store;

#define QPC_TRAIT_NAME 64

struct qpc_trait {
	int64_t id;
	char name[QPC_TRAIT_NAME];
	int scale_min, scale_max; /* a score is a whole number between them */
	bool retired;             /* kept with its ratings; no new ones */
	int64_t ratings;          /* every rating ever made */
};
typedef int (*qpc_trait_fn)(const struct qpc_trait *t, void *ctx);

/* The traits in name order, retired ones last. */
enum qpc_rc qpc_store_trait_each(struct qpc_store *st, qpc_trait_fn fn, void *ctx,
                                 struct qpc_error *e);
/* A new trait scored from scale_min to scale_max (1 to 5 by default). */
enum qpc_rc qpc_store_trait_add(struct qpc_store *st, const char *name, int scale_min,
                                int scale_max, struct qpc_error *e);
enum qpc_rc qpc_store_trait_rename(struct qpc_store *st, const char *name, const char *to,
                                   struct qpc_error *e);
enum qpc_rc qpc_store_trait_retire(struct qpc_store *st, const char *name, struct qpc_error *e);

/* Rates an account on a trait, on `on`, by the store's user. */
enum qpc_rc qpc_store_rate(struct qpc_store *st, int64_t account_id, const char *trait,
                           int score, const char *note, qpc_date on, struct qpc_error *e);

/* One rating: for the export (every one) and the account page (those in
 * force at a date: the latest of each trait up to it). */
struct qpc_rating {
	const char *external_id, *account, *trait;
	int score, scale_min, scale_max;
	qpc_date rated_on;
	const char *rated_by, *note;
};
typedef int (*qpc_rating_fn)(const struct qpc_rating *r, void *ctx);
/* Every rating, by account name, trait, date. */
enum qpc_rc qpc_store_rating_each(struct qpc_store *st, qpc_rating_fn fn, void *ctx,
                                  struct qpc_error *e);
/* An account's ratings in force at `as_of`, one per trait, active traits. */
enum qpc_rc qpc_store_account_ratings(struct qpc_store *st, int64_t account_id, qpc_date as_of,
                                      qpc_rating_fn fn, void *ctx, struct qpc_error *e);

/* The objective traits of an account at a date: the categories it bought
 * in the 12-month window and the day of its first sales line (has_first
 * false when it has none by then). */
enum qpc_rc qpc_store_account_objective(struct qpc_store *st, int64_t account_id, qpc_date as_of,
                                        int64_t *categories, bool *has_first, qpc_date *first,
                                        struct qpc_error *e);

/* Partners against the other customers on each active trait, as of a
 * date: the average score of those rated and how many are. */
struct qpc_trait_side {
	int64_t rated;
	double average; /* meaningful when rated > 0 */
};
struct qpc_trait_compare {
	char name[QPC_TRAIT_NAME];
	int scale_min, scale_max;
	struct qpc_trait_side partners, customers;
};
/* Up to max traits into out; *n how many. */
enum qpc_rc qpc_store_trait_compare(struct qpc_store *st, qpc_date as_of,
                                    struct qpc_trait_compare *out, int max, int *n,
                                    struct qpc_error *e);

#endif
