/* suites.h — every Check suite of the unit tests, once.  Add a line here
 * and a tests/check_<name>.c defining `Suite *<name>_suite(void)`. */
SUITE(date)
SUITE(money)
SUITE(textcell)
SUITE(figures)
SUITE(store)
SUITE(amount)
SUITE(dateparse)
SUITE(textenc)
SUITE(csvread)
SUITE(edit)
SUITE(import)
SUITE(hostile)
