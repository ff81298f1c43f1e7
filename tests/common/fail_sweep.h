/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The allocation-failure sweep (conventions, "Errors and lifetimes"): run a
 * constructor or a whole flow with the context's N-th allocation failing,
 * for N = 1, 2, ... until it succeeds. Every failed run must return -ENOMEM
 * and leave each watched heap with as many live blocks as before it.
 */
#ifndef SOFSIM_TEST_FAIL_SWEEP_H
#define SOFSIM_TEST_FAIL_SWEEP_H

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "sofsim/mem.h"

/* Heaps one sweep can watch, the context's kernel and LL user heaps included. */
#define FAIL_SWEEP_MAX_HEAPS 8

typedef int (*fail_sweep_step)(struct sofsim *sim, void *arg);
typedef void (*fail_sweep_undo)(struct sofsim *sim, void *arg);

static inline void fail_sweep_live(struct sofsim_heap *const *heaps, size_t n, size_t *live)
{
	struct sofsim_heap_owner_stats st;

	for (size_t i = 0; i < n; i++) {
		sofsim_heap_stats(heaps[i], &st);
		live[i] = st.count;
	}
}

static inline void fail_sweep_expect_live(struct sofsim_heap *const *heaps, size_t n, const size_t *before,
					  const char *when, unsigned nth)
{
	size_t now[FAIL_SWEEP_MAX_HEAPS];

	fail_sweep_live(heaps, n, now);
	for (size_t i = 0; i < n; i++) {
		if (now[i] != before[i])
			fail_msg("fail_sweep: %s (allocation %u failed): heap %s has %zu live blocks, %zu before", when,
				 nth, sofsim_heap_name(heaps[i]), now[i], before[i]);
	}
}

/*
 * Sweep @step, watching the context's kernel heap, its LL user heap and the
 * @nheaps heaps given. @undo
 * (may be NULL) takes back what a successful @step did. Returns the number
 * of allocations @step made (the failing runs); fails the test when a
 * failure is not -ENOMEM, leaves blocks behind, or @step still fails with
 * @max allocations failed.
 */
static inline int fail_sweep_heaps(struct sofsim *sim, struct sofsim_heap *const *heaps, size_t nheaps,
				   fail_sweep_step step, fail_sweep_undo undo, void *arg, unsigned max)
{
	struct sofsim_heap *watch[FAIL_SWEEP_MAX_HEAPS] = { sofsim_kernel_heap(sim), sofsim_ll_user_heap(sim) };
	size_t before[FAIL_SWEEP_MAX_HEAPS], n = 2;
	int ret;

	assert_true(nheaps <= FAIL_SWEEP_MAX_HEAPS - 2);
	assert_non_null(watch[0]);
	assert_non_null(watch[1]);
	for (size_t i = 0; i < nheaps; i++)
		watch[n++] = heaps[i];
	fail_sweep_live(watch, n, before);

	for (unsigned nth = 1; nth <= max; nth++) {
		sofsim_mem_fail_nth(sim, nth);
		ret = step(sim, arg);
		sofsim_mem_fail_nth(sim, 0); /* a run that made fewer allocations leaves it armed */
		if (ret == 0) {
			if (undo)
				undo(sim, arg);
			fail_sweep_expect_live(watch, n, before, "after undo", nth);
			return (int)nth - 1;
		}
		if (ret != -ENOMEM)
			fail_msg("fail_sweep: allocation %u failed: step returned %d, want -ENOMEM (%d)", nth, ret,
				 -ENOMEM);
		fail_sweep_expect_live(watch, n, before, "after a failed run", nth);
	}
	fail_msg("fail_sweep: step still fails with allocation %u failing", max);
	return -1;
}

/* Sweep @step watching the context's kernel and LL user heaps. */
static inline int fail_sweep(struct sofsim *sim, fail_sweep_step step, fail_sweep_undo undo, void *arg,
			     unsigned max)
{
	return fail_sweep_heaps(sim, NULL, 0, step, undo, arg, max);
}

#endif /* SOFSIM_TEST_FAIL_SWEEP_H */
