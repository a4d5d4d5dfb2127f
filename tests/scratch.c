/* scratch.c — a test's scratch folder: made in memory where the machine
 * has /dev/shm (a store's commits are synced, which on a disk costs a
 * test seconds), removed without a shell (system("rm -rf") forks the
 * test process, which under ASan maps terabytes). */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
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
