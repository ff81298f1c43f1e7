/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Code that bench_check runs on an emulated user thread, compiled twice
 * (sofsim_add_variants in bench/CMakeLists.txt): SOFSIM_VARIANT_NAME() gives
 * the plain and the checked build different table names, so the two can be
 * timed against each other from one source.
 */
#include <stdint.h>

#include "sofsim/variant.h"

#include "check_loops.h"

static void store4(volatile uint32_t *page, uint32_t words, uint32_t count)
{
	for (uint32_t i = 0; i < count; i++)
		page[i & (words - 1)] = i;
}

/* Q31 x Q31 -> Q31 with saturation, as a gain module's inner loop does it. */
static void gain(const int32_t *in, int32_t *out, uint32_t n, int32_t gain_q31)
{
	for (uint32_t i = 0; i < n; i++) {
		int64_t v = ((int64_t)in[i] * gain_q31) >> 31;

		out[i] = v > INT32_MAX ? INT32_MAX : v < INT32_MIN ? INT32_MIN : (int32_t)v;
	}
}

const struct check_loops_ops SOFSIM_VARIANT_NAME(check_loops) = {
	.store4 = store4,
	.gain = gain,
};
