/* fuzz_migrate.c — qpc_store_open, which migrates, on damaged databases.
 *
 * Two databases are made once at start, with 512-byte pages so that they
 * are small: tests/fixtures/schema-v1.sql as qpc's schema version 1 wrote
 * it (with rows in every table), and the same file migrated by
 * qpc_store_open to the current version.
 *
 * Input: one byte whose low bit picks the database (0: version 1, 1: the
 * current one), then any number of patches, each a 16-bit little-endian
 * offset (taken modulo the file's size), a length byte n, and n bytes
 * written there (cut at the end of the file).  n = 0 cuts the file at the
 * offset instead.  So "\x00" is the version 1 file as it is, and
 * "\x00\x3c\x00\x04\xff\xff\xff\xff" sets its schema version (bytes 60..63
 * of the header) to -1.
 *
 * Invariants (beyond "no crash, no sanitizer report, no leak"):
 *  - qpc_store_open either opens (a store, QPC_OK) or fails with no store,
 *    a known code, and a message of one line;
 *  - opened, the file is at the current schema version: opened again, it
 *    has nothing left to migrate; and a file that was migrated from a
 *    version with data was first copied, under the name qpc reported.
 * With FUZZ_VERBOSE set, each run prints what the open said.
 */
#include "fuzz.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qpc/store.h"

#ifndef FUZZ_FIXTURES
#define FUZZ_FIXTURES "tests/fixtures"
#endif

static char dir[4096], path[4200];
static struct fuzz_buf base[2];

static void die(const char *what, const char *why)
{
	fprintf(stderr, "fuzz_migrate: %s: %s\n", what, why);
	abort();
}

static void write_file(const char *name, const void *p, size_t n)
{
	int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		die(name, strerror(errno));
	for (size_t done = 0; done < n;) {
		ssize_t k = write(fd, (const char *)p + done, n - done);
		if (k <= 0)
			die(name, strerror(errno));
		done += (size_t)k;
	}
	close(fd);
}

static void read_file(const char *name, struct fuzz_buf *b)
{
	FILE *fp = fopen(name, "rb");
	if (!fp)
		die(name, strerror(errno));
	b->n = 0;
	char chunk[65536];
	size_t k;
	while ((k = fread(chunk, 1, sizeof chunk, fp)) > 0)
		fuzz_put(b, chunk, k);
	fclose(fp);
}

/* Removes the database and whatever SQLite and qpc left beside it. */
static void clear(void)
{
	static const char *const ext[] = { "", "-wal", "-shm", "-journal" };
	char name[4300];
	for (size_t i = 0; i < sizeof ext / sizeof *ext; i++) {
		snprintf(name, sizeof name, "%s%s", path, ext[i]);
		unlink(name);
	}
	for (int v = 0; v <= qpc_store_schema_version() + 1; v++) {
		snprintf(name, sizeof name, "%s.schema%d.bak", path, v);
		unlink(name);
	}
}

static void remove_dir(void)
{
	clear();
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *tmp = getenv("FUZZ_TMPDIR");
	if (!tmp || !*tmp)
		tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(dir, sizeof dir, "%s/qpc-fuzz-migrate-XXXXXX", tmp);
	if (!mkdtemp(dir))
		die(dir, strerror(errno));
	snprintf(path, sizeof path, "%s/q.db", dir);
	atexit(remove_dir);

	/* version 1, from the fixture */
	struct fuzz_buf sql = { 0 };
	read_file(FUZZ_FIXTURES "/schema-v1.sql", &sql);
	sqlite3 *db;
	char *msg = NULL;
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA page_size = 512", NULL, NULL, &msg) != SQLITE_OK ||
	    sqlite3_exec(db, sql.p, NULL, NULL, &msg) != SQLITE_OK)
		die("schema-v1.sql", msg ? msg : sqlite3_errmsg(db));
	sqlite3_close(db);
	free(sql.p);
	read_file(path, &base[0]);

	/* the same, migrated */
	struct qpc_store *st;
	struct qpc_error e = { 0 };
	if (qpc_store_open(path, QPC_OPEN_EXISTING, &st, &e) != QPC_OK)
		die("migrating schema-v1.sql", e.msg);
	qpc_store_close(st);
	read_file(path, &base[1]);
	clear();
	return 0;
}

/* Builds the damaged file from the input. */
static void patch(const uint8_t *data, size_t size, struct fuzz_buf *f)
{
	const struct fuzz_buf *b = &base[data[0] & 1];
	f->n = 0;
	fuzz_put(f, b->p, b->n);
	for (size_t i = 1; i + 3 <= size && f->n > 0;) {
		size_t off = (size_t)(data[i] | data[i + 1] << 8) % f->n, n = data[i + 2];
		i += 3;
		if (n == 0) {
			f->n = off;
			continue;
		}
		if (n > size - i)
			n = size - i;
		memcpy(f->p + off, data + i, n < f->n - off ? n : f->n - off);
		i += n;
	}
}

static void check_failure(enum qpc_rc rc, const struct qpc_store *st, const struct qpc_error *e)
{
	FUZZ_CHECK(st == NULL, "failed (%d) but gave a store", (int)rc);
	FUZZ_CHECK(rc > QPC_OK && rc <= QPC_ERR_NOMEM, "unknown code %d", (int)rc);
	FUZZ_CHECK(e->code == rc, "code %d, message's code %d", (int)rc, (int)e->code);
	FUZZ_CHECK(e->msg[0] != '\0', "failed (%d) without a message", (int)rc);
	FUZZ_CHECK(strchr(e->msg, '\n') == NULL, "a message of more than one line: %s", e->msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 4096)
		return 0;
	struct fuzz_buf f = { 0 };
	patch(data, size, &f);
	clear();
	write_file(path, f.p, f.n);
	free(f.p);

	struct qpc_store *st = (struct qpc_store *)&st; /* not NULL: must be cleared */
	struct qpc_error e = { 0 };
	enum qpc_rc rc = qpc_store_open(path, QPC_OPEN_EXISTING, &st, &e);
	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "rc %d: %s\n", (int)rc, rc ? e.msg : "opened");
	if (rc != QPC_OK) {
		check_failure(rc, st, &e);
		return 0;
	}
	FUZZ_CHECK(st != NULL, "opened without a store");
	int was = qpc_store_opened_version(st);
	const char *bak = qpc_store_migration_backup(st);
	FUZZ_CHECK(was >= 0 && was <= qpc_store_schema_version(), "opened a file at version %d", was);
	if (was > 0 && was < qpc_store_schema_version()) {
		struct stat sb;
		FUZZ_CHECK(bak[0] && stat(bak, &sb) == 0, "migrated from %d without a copy ('%s')", was,
			   bak);
	}
	struct qpc_settings set;
	rc = qpc_store_settings(st, &set, &e);
	if (rc == QPC_OK)
		FUZZ_CHECK(set.minor_units >= 0 && set.minor_units <= 4 && strlen(set.currency) == 3,
			   "settings: %d decimals, currency '%s'", set.minor_units, set.currency);
	qpc_store_close(st);

	/* opened again: nothing left to migrate */
	rc = qpc_store_open(path, QPC_OPEN_EXISTING, &st, &e);
	if (rc != QPC_OK) {
		check_failure(rc, st, &e);
		return 0;
	}
	FUZZ_CHECK(qpc_store_opened_version(st) == qpc_store_schema_version(),
		   "opened a second time at version %d", qpc_store_opened_version(st));
	qpc_store_close(st);
	return 0;
}
