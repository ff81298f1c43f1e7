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

#include "sofsim/fault.h"
#include "sofsim/kernel.h"
#include "sofsim/mem.h"
#include "sofsim/sim.h"

/* A context from @cfg; a refusal fails the test with the library's message. */
static inline struct sofsim *test_sim_from(const struct sofsim_config *cfg)
{
	struct sofsim *sim = NULL;
	char why[256] = "";

	if (sofsim_create(&sim, cfg, why, sizeof(why)))
		fail_msg("sofsim_create: %s", why);
	assert_non_null(sim);
	return sim;
}

static inline struct sofsim *test_sim_create(enum sofsim_threads carrier, const char *platform, uint64_t seed)
{
	struct sofsim_config cfg;

	sofsim_config_init(&cfg);
	cfg.threads = carrier;
	cfg.platform = platform;
	cfg.seed = seed;
	cfg.evlog_capacity = 1 << 16;
	return test_sim_from(&cfg);
}

/* Where reports of faults a test provokes on purpose go: nowhere. Lives for the process. */
static inline FILE *test_null_stream(void)
{
	static FILE *null_out;

	if (!null_out)
		null_out = fopen("/dev/null", "w");
	assert_non_null(null_out);
	return null_out;
}

/* A context for tests that provoke faults: the faulting thread is killed, the report goes nowhere. */
static inline struct sofsim *test_sim_faulting(enum sofsim_threads carrier, enum sofsim_protection prot)
{
	struct sofsim_config cfg;
	struct sofsim *sim;

	sofsim_config_init(&cfg);
	cfg.threads = carrier;
	cfg.protection = prot;
	cfg.fault_policy = SOFSIM_FAULT_KILL_THREAD;
	sim = test_sim_from(&cfg);
	sofsim_set_report_stream(sim, test_null_stream());
	return sim;
}

/* The newest fault record (there must be one). */
static inline struct sofsim_fault test_last_fault(const struct sofsim *sim)
{
	struct sofsim_fault f;

	assert_true(sofsim_fault_count(sim) > 0);
	assert_int_equal(sofsim_fault_get(sim, sofsim_fault_count(sim) - 1, &f), 0);
	return f;
}

/*
 * SOF's LL domain in its smallest form: one RW partition over the LL user
 * heap, filled into @part so the test can remove it before destroying the
 * domain.
 */
static inline struct sofsim_domain *test_ll_domain(struct sofsim *sim, struct sofsim_partition *part)
{
	struct sofsim_domain *dom = NULL;

	*part = (struct sofsim_partition){ .attr = SOFSIM_PART_RW, .name = "ll_user_heap" };
	sofsim_heap_bounds(sofsim_ll_user_heap(sim), &part->start, &part->size);
	assert_int_equal(sofsim_domain_create(sim, "ll", &dom), 0);
	assert_int_equal(sofsim_domain_add_partition(dom, part), 0);
	return dom;
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
