/* tests.h — shared by the unit tests: declares every suite of suites.h. */
#ifndef QPC_TESTS_H
#define QPC_TESTS_H

#include <check.h>

#define SUITE(name) Suite *name##_suite(void);
#include "suites.h"
#undef SUITE

#endif
