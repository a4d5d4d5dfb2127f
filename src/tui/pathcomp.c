/* pathcomp.c — completing a file name as a shell does, for the import
 * dialog's path field.  No curses: the tests call it directly. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ui_widgets.h"

bool path_expand(const char *typed, const char *home, char *out, size_t n)
{
	int len;
	if (typed[0] == '~' && (typed[1] == '/' || typed[1] == '\0') && home && *home)
		len = snprintf(out, n, "%s%s%s", home, home[strlen(home) - 1] == '/' ? "" : "/",
		               typed[1] ? typed + 2 : "");
	else
		len = snprintf(out, n, "%s", typed);
	return len >= 0 && (size_t)len < n;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* The length of the prefix a and b share, in bytes, never cutting a
 * character in two. */
static size_t common(const char *a, const char *b)
{
	size_t i = 0;
	while (a[i] && a[i] == b[i])
		i++;
	while (i > 0 && ((unsigned char)a[i] & 0xc0) == 0x80)
		i--;
	return i;
}

static bool is_dir(const char *dir, const char *name)
{
	char p[PATH_COMPLETE_MAX * 2];
	struct stat sb;
	snprintf(p, sizeof p, "%s%s", dir, name);
	return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

int path_complete(const char *typed, const char *home, char *out, size_t n,
                  struct path_choices *c)
{
	char full[PATH_COMPLETE_MAX], dir[PATH_COMPLETE_MAX];
	memset(c, 0, sizeof *c);
	if (!path_expand(typed, home, full, sizeof full) || snprintf(out, n, "%s", full) >= (int)n)
		return 0;
	const char *slash = strrchr(full, '/');
	const char *base = slash ? slash + 1 : full;
	size_t dirlen = slash ? (size_t)(slash - full + 1) : 0, baselen = strlen(base);
	memcpy(dir, full, dirlen);
	dir[dirlen] = '\0';
	DIR *d = opendir(dirlen ? dir : ".");
	if (!d)
		return 0;
	char first[256] = "";
	size_t prefix = 0; /* bytes all matches share */
	struct dirent *ent;
	while ((ent = readdir(d))) {
		const char *name = ent->d_name;
		if (strncmp(name, base, baselen) != 0 || strcmp(name, ".") == 0 ||
		    strcmp(name, "..") == 0 || (name[0] == '.' && base[0] != '.'))
			continue;
		if (c->total++ == 0) {
			snprintf(first, sizeof first, "%s", name);
			prefix = strlen(first);
		} else {
			prefix = common(first, name) < prefix ? common(first, name) : prefix;
		}
		if (c->n < PATH_CHOICES)
			snprintf(c->names[c->n++], sizeof c->names[0], "%s%s", name,
			         is_dir(dir, name) ? "/" : "");
	}
	closedir(d);
	qsort(c->names, (size_t)c->n, sizeof c->names[0], by_name);
	if (c->total == 0)
		return 0;
	/* one match: the whole name, a folder with its '/' to go on typing */
	const char *tail = c->total == 1 && c->n == 1 ? c->names[0] : first;
	size_t keep = c->total == 1 ? strlen(tail) : prefix;
	if (keep < baselen || dirlen + keep >= n)
		return c->total;
	memcpy(out + dirlen, tail, keep);
	out[dirlen + keep] = '\0';
	return c->total;
}
