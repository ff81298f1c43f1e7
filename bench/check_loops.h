/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The loops bench_check times, built twice from check_loops.c by
 * sofsim_add_variants(): plain, and instrumented for enforce=check. One ops
 * table per variant, so both run the same source and the caller picks one.
 */
#ifndef SOFSIM_BENCH_CHECK_LOOPS_H
#define SOFSIM_BENCH_CHECK_LOOPS_H

#include <stdint.h>

struct check_loops_ops {
	/** @p count 4-byte stores to @p words (a power of two) words of @p page, wrapping. */
	void (*store4)(volatile uint32_t *page, uint32_t words, uint32_t count);
	/** @p n samples: out = saturate(in * gain) in Q31. */
	void (*gain)(const int32_t *in, int32_t *out, uint32_t n, int32_t gain_q31);
};

extern const struct check_loops_ops check_loops_plain, check_loops_checked;

#endif /* SOFSIM_BENCH_CHECK_LOOPS_H */
