/* scratch.c — a test's scratch folder: made in memory where the machine
 * has /dev/shm (a store's commits are synced, which on a disk costs a
 * test seconds), removed without a shell (system("rm -rf") forks the
 * test process, which under ASan maps terabytes).  And a test's new
 * store: a copy of one made once a run, since making the schema is most
 * of a short test under Valgrind (a second, against a few milliseconds
 * for the copy). */
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests.h"

void scratch_make(char *dir, size_t size, const char *name)
{
	snprintf(dir, size, "/dev/shm/qpc-%s-XXXXXX", name);
	if (access("/dev/shm", W_OK) == 0 && mkdtemp(dir))
		return;
	snprintf(dir, size, "/tmp/qpc-%s-XXXXXX", name);
	ck_assert_msg(mkdtemp(dir) != NULL, "cannot make a scratch folder %s", dir);
}

static int remove_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)type;
	(void)ftw;
	return remove(path);
}

void scratch_remove(const char *dir)
{
	ck_assert_msg(nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS) == 0,
		      "cannot remove the scratch folder %s", dir);
}

static char template_dir[64], template_path[96];

void store_template_make(void)
{
	struct qpc_store *st;
	struct qpc_error err = { 0 };
	snprintf(template_dir, sizeof template_dir, "/dev/shm/qpc-template-XXXXXX");
	if (access("/dev/shm", W_OK) != 0 || !mkdtemp(template_dir)) {
		snprintf(template_dir, sizeof template_dir, "/tmp/qpc-template-XXXXXX");
		if (!mkdtemp(template_dir)) {
			template_dir[0] = '\0'; /* each test makes its own */
			return;
		}
	}
	snprintf(template_path, sizeof template_path, "%s/new.db", template_dir);
	if (qpc_store_open(template_path, QPC_OPEN_CREATE, &st, &err) != QPC_OK) {
		fprintf(stderr, "no template store (%s): each test makes its own\n", err.msg);
		template_path[0] = '\0';
		return;
	}
	qpc_store_close(st);
}

void store_template_remove(void)
{
	if (template_dir[0] && nftw(template_dir, remove_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		fprintf(stderr, "cannot remove the template store's folder %s\n", template_dir);
	template_dir[0] = template_path[0] = '\0';
}

/* Copies the template to path, as private as a store qpc creates. */
static bool copy_template(const char *path)
{
	char buf[64 << 10];
	int in = open(template_path, O_RDONLY | O_CLOEXEC);
	int out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	bool ok = in >= 0 && out >= 0;
	ssize_t n;
	while (ok && (n = read(in, buf, sizeof buf)) != 0)
		ok = n > 0 && write(out, buf, (size_t)n) == n;
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out) != 0)
		ok = false;
	if (!ok && out >= 0)
		remove(path);
	return ok;
}

enum qpc_rc store_new(const char *path, struct qpc_store **st, struct qpc_error *err)
{
	if (template_path[0] && access(path, F_OK) != 0)
		ck_assert_msg(copy_template(path), "cannot copy the template store to %s", path);
	return qpc_store_open(path, QPC_OPEN_CREATE, st, err);
}
