/* backend.c — the public operations that differ by backend, dispatched
 * through the store's table (internal.h: struct st_backend). */
#include <string.h>

#include "internal.h"

/* A SQLite file has no logins: its users are the names given with
 * --user.  Everything else it does is the rest of the store. */
const struct st_backend st_sqlite_backend = {
	.what = "a SQLite file",
};

enum qpc_rc st_unsupported(const struct qpc_store *st, const char *what, struct qpc_error *e)
{
	if (!st->pg)
		return qpc_error_set(e, QPC_ERR_USAGE,
		                     "%s belongs to a team server (--db postgresql://...): a SQLite "
		                     "file has no logins, and its users are the names given with --user",
		                     what);
	return qpc_error_set(e, QPC_ERR_USAGE,
	                     "%s does not run on a team server yet (qpc(1), TEAM SERVER, lists what "
	                     "does); it runs on a SQLite file",
	                     what);
}

static struct {
	void (*fn)(const char *what, void *ctx);
	void *ctx;
} on_wait;

void qpc_store_on_wait(void (*fn)(const char *what, void *ctx), void *ctx)
{
	on_wait.fn = fn;
	on_wait.ctx = ctx;
}

void st_waiting(const char *what)
{
	if (on_wait.fn && what)
		on_wait.fn(what, on_wait.ctx);
}

static const char *const role_names[] = {
	[QPC_ROLE_REP] = "rep",
	[QPC_ROLE_MANAGER] = "manager",
	[QPC_ROLE_ADMIN] = "admin",
};

bool qpc_role_parse(const char *s, enum qpc_role *out)
{
	for (size_t i = 0; i < sizeof role_names / sizeof *role_names; i++)
		if (strcmp(s, role_names[i]) == 0) {
			*out = (enum qpc_role)i;
			return true;
		}
	return false;
}

const char *qpc_role_name(enum qpc_role r)
{
	return (size_t)r < sizeof role_names / sizeof *role_names ? role_names[r] : "?";
}

enum qpc_rc qpc_store_users_each(struct qpc_store *st, qpc_user_fn fn, void *ctx,
                                 struct qpc_error *e)
{
	if (!st->be->users_each)
		return st_unsupported(st, "listing users", e);
	return st->be->users_each(st, fn, ctx, e);
}

enum qpc_rc qpc_store_user_add(struct qpc_store *st, const char *login, enum qpc_role role,
                               const char *owner, struct qpc_error *e)
{
	if (!st->be->user_add)
		return st_unsupported(st, "adding a user", e);
	return st->be->user_add(st, login, role, owner ? owner : "", e);
}

enum qpc_rc qpc_store_user_set_role(struct qpc_store *st, const char *login, enum qpc_role role,
                                    struct qpc_error *e)
{
	if (!st->be->user_set_role)
		return st_unsupported(st, "a user's role", e);
	return st->be->user_set_role(st, login, role, e);
}

enum qpc_rc qpc_store_user_set_owner(struct qpc_store *st, const char *login, const char *owner,
                                     struct qpc_error *e)
{
	if (!st->be->user_set_owner)
		return st_unsupported(st, "a user's owner name", e);
	return st->be->user_set_owner(st, login, owner ? owner : "", e);
}

enum qpc_rc qpc_store_user_rm(struct qpc_store *st, const char *login, struct qpc_error *e)
{
	if (!st->be->user_rm)
		return st_unsupported(st, "removing a user", e);
	return st->be->user_rm(st, login, e);
}
