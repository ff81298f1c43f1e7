/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Helpers shared by the tests: contexts for each thread carrier, and a
 * fixed-size trace of what emulated code did, in order.
 */
#ifndef SOFSIM_TEST_SIM_TEST_H
#define SOFSIM_TEST_SIM_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sofsim/kernel.h"
#include "sofsim/sim.h"

static inline struct sofsim *test_sim_create(enum sofsim_threads carrier, const char *platform, uint64_t seed)
{
	struct sofsim_config cfg;
	struct sofsim *sim = NULL;
	char why[256] = "";

	sofsim_config_init(&cfg);
	cfg.threads = carrier;
	cfg.platform = platform;
	cfg.seed = seed;
	cfg.evlog_capacity = 1 << 16;
	assert_int_equal(sofsim_create(&sim, &cfg, why, sizeof(why)), 0);
	assert_non_null(sim);
	return sim;
}

/* An ordered record of steps, appended by emulated code and checked by tests. */
struct test_trace {
	char text[4096];
	size_t len;
};

static inline void trace_add(struct test_trace *tr, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tr->text + tr->len, sizeof(tr->text) - tr->len, fmt, ap);
	va_end(ap);
	if (n > 0 && tr->len + (size_t)n + 1 < sizeof(tr->text)) {
		tr->len += (size_t)n;
		tr->text[tr->len++] = ' ';
		tr->text[tr->len] = '\0';
	}
}

/* Each test body runs once per carrier: state[0] holds the carrier. */
#define CARRIER_TESTS(fn)                                                                    \
	{ #fn "/fiber", fn, NULL, NULL, (void *)(uintptr_t)SOFSIM_THREADS_FIBER },           \
	{ #fn "/pthread", fn, NULL, NULL, (void *)(uintptr_t)SOFSIM_THREADS_PTHREAD }

static inline enum sofsim_threads carrier_of(void **state)
{
	return (enum sofsim_threads)(uintptr_t)*state;
}

#endif /* SOFSIM_TEST_SIM_TEST_H */
