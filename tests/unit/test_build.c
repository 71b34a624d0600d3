/* The build the tests run checks the invariants stated with assert():
 * NDEBUG is not defined, so a broken invariant stops the program instead
 * of passing unnoticed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

static void test_asserts_are_on(void **state)
{
	(void)state;
#ifdef NDEBUG
	fail_msg("NDEBUG is defined: assert() checks nothing in this build (CMakeLists.txt removes it from "
		 "RelWithDebInfo)");
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_asserts_are_on),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
