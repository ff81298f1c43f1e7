/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The failing half of the harness check. It is registered with WILL_FAIL:
 * CTest counts it as passed only when this executable reports a failed
 * assertion, which proves a failing test really fails the run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

static unsigned int double_it(unsigned int x)
{
	return 2 * x;
}

static void test_harness_reports_failed_assertion(void **state)
{
	/* Deliberately wrong: 2 * 21 is 42, not 43. */
	assert_int_equal(double_it(21), 43);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_harness_reports_failed_assertion),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
