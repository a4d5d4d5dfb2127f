/* main.c — runs every unit-test suite listed in suites.h. */
#include <stdlib.h>

#include "tests.h"

int main(void)
{
	SRunner *sr = srunner_create(NULL);
#define SUITE(name) srunner_add_suite(sr, name##_suite());
#include "suites.h"
#undef SUITE
	store_template_make(); /* before the forks: each test's copy is from it */
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	store_template_remove();
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
