/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The passing half of the harness check: real assertions over computed
 * values that hold, and the library's version string, which the build sets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include <sofsim/version.h>

/* Sum of 1..n by a loop, to compare against Gauss's closed form. */
static unsigned int sum_to(unsigned int n)
{
	unsigned int sum = 0;

	for (unsigned int i = 1; i <= n; i++)
		sum += i;
	return sum;
}

static void test_harness_compares_equal_values(void **state)
{
	/* n(n+1)/2 for n = 100 is 5050. */
	assert_int_equal(sum_to(100), 100 * 101 / 2);
	assert_int_not_equal(sum_to(100), 5051);
}

static void test_harness_links_library_version(void **state)
{
	const char *v = sofsim_version_string();
	unsigned int major, minor, patch;
	char tail;

	assert_non_null(v);
	/* Exactly three dot-separated numbers and nothing after them. */
	assert_int_equal(sscanf(v, "%u.%u.%u%c", &major, &minor, &patch, &tail), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_harness_compares_equal_values),
		cmocka_unit_test(test_harness_links_library_version),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
