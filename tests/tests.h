/* tests.h — shared by the unit tests: declares every suite of suites.h. */
#ifndef QPC_TESTS_H
#define QPC_TESTS_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>

#include "qpc/store.h"

/* A passing assertion is silent.  Check's own macro records its place with
 * _mark_point(), a message written to the runner for every assertion that
 * holds; tests that assert inside loops over thousands of rows sent
 * millions of them, and the runner read and kept each one (under ASan the
 * unit tests took ten times as long for it).  A failing assertion reports
 * as before; a test that crashes is named by Check, and the sanitizer
 * builds print where.  (cppcheck reads tests/check.cfg's instead.) */
#ifndef __CPPCHECK__
#undef ck_assert_msg
#define ck_assert_msg(expr, ...) \
	((expr) ? (void)0 \
		: _ck_assert_failed(__FILE__, __LINE__, "Assertion '" #expr "' failed", ##__VA_ARGS__))
#endif

/* scratch.c: a test's scratch folder, /dev/shm/qpc-NAME-XXXXXX (else
 * /tmp), and its removal with everything in it. */
void scratch_make(char *dir, size_t size, const char *name);
void scratch_remove(const char *dir);

/* store_new: qpc_store_open(path, QPC_OPEN_CREATE, ...), where path is a
 * new store's: the new store is a copy of one that main() made before the
 * tests (store_template_make), as a new store is the same every time. */
void store_template_make(void);
void store_template_remove(void);
enum qpc_rc store_new(const char *path, struct qpc_store **st, struct qpc_error *err);

#define SUITE(name) Suite *name##_suite(void);
#include "suites.h"
#undef SUITE

#endif
