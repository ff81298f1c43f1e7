/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The bug-class-14 tracer under enforce=check: instrumented code that runs
 * with kernel rights inside a user thread's syscall and reads memory the
 * user can write, outside the copy-in helpers, is flagged (not faulted).
 * The TOCTOU hook, which runs between a syscall's verifier and its
 * implementation, stands in for such kernel code.
 */
#include <errno.h>
#include <stdint.h>

#include "check_bodies.h"
#include "sim_test.h"

#include "sofsim/fault.h"
#include "sofsim/mem.h"
#include "sofsim/object.h"

#include "kernel/kernel_priv.h"

enum probe { READ_USER, READ_KERNEL, WRITE_USER, NONE };

struct scene {
	struct sofsim *sim;
	struct sofsim_sem *sem;
	uint8_t *user_block, *kernel_block;
	enum probe probe;
	unsigned hook_runs;
};

static void kernel_code(void *arg)
{
	struct scene *s = arg;

	s->hook_runs++;
	if (s->probe == READ_USER)
		body_load4(s->user_block);
	else if (s->probe == READ_KERNEL)
		body_load4(s->kernel_block);
	else if (s->probe == WRITE_USER)
		body_store1(s->user_block);
}

static void user_thread(void *arg)
{
	struct scene *s = arg;

	sofsim_sem_give(s->sem); /* a syscall: the hook runs inside it */
	body_load4(s->user_block); /* user mode again: checked, allowed, not traced */
}

/* Runs one probe; returns how many kernel reads of user memory were flagged. */
static uint64_t run_probe(enum sofsim_threads carrier, enum sofsim_protection prot, enum probe probe)
{
	struct scene s = { .probe = probe };
	struct sofsim_partition part;
	struct sofsim_domain *dom;
	struct sofsim_thread_attr a = { .name = "ll_user0", .prio = -1, .core = 0, .user = true };
	struct sofsim_thread *t;
	struct sofsim_stats st;

	s.sim = test_sim_faulting(carrier, prot);
	s.user_block = sofsim_heap_alloc(sofsim_ll_user_heap(s.sim), 64, "test");
	s.kernel_block = sofsim_heap_alloc(sofsim_kernel_heap(s.sim), 64, "test");
	dom = test_ll_domain(s.sim, &part);
	assert_int_equal(sofsim_sem_create(s.sim, 0, 1, &s.sem), 0);
	assert_int_equal(sofsim_thread_create(s.sim, &a, user_thread, &s, &t), 0);
	assert_int_equal(sofsim_domain_add_thread(dom, t), 0);
	sofsim_object_grant(s.sim, s.sem, t);
	sofsim__set_toctou_hook(s.sim, kernel_code, &s);
	assert_int_equal(sofsim_run_until_idle(s.sim, SOFSIM_TIME_NEVER), 0);
	assert_true(sofsim_thread_ended(t));
	assert_int_equal(s.hook_runs, 1);
	assert_int_equal(sofsim_fault_count(s.sim), 0);
	sofsim_stats_get(s.sim, &st);
	sofsim_heap_free(sofsim_ll_user_heap(s.sim), s.user_block);
	sofsim_heap_free(sofsim_kernel_heap(s.sim), s.kernel_block);
	assert_int_equal(sofsim_domain_remove_partition(dom, &part), 0);
	sofsim_destroy(s.sim);
	return st.kernel_user_reads;
}

static void test_kernel_read_of_user_memory_in_a_syscall_is_flagged(void **state)
{
	assert_int_equal(run_probe(carrier_of(state), SOFSIM_PROT_ENFORCE_CHECK, READ_USER), 1);
}

static void test_kernel_reads_of_kernel_memory_and_writes_are_not_flagged(void **state)
{
	assert_int_equal(run_probe(carrier_of(state), SOFSIM_PROT_ENFORCE_CHECK, READ_KERNEL), 0);
	assert_int_equal(run_probe(carrier_of(state), SOFSIM_PROT_ENFORCE_CHECK, WRITE_USER), 0);
	assert_int_equal(run_probe(carrier_of(state), SOFSIM_PROT_ENFORCE_CHECK, NONE), 0);
}

static void test_tracer_is_off_outside_enforce_check(void **state)
{
	assert_int_equal(run_probe(carrier_of(state), SOFSIM_PROT_VERIFY, READ_USER), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CARRIER_TESTS(test_kernel_read_of_user_memory_in_a_syscall_is_flagged),
		CARRIER_TESTS(test_kernel_reads_of_kernel_memory_and_writes_are_not_flagged),
		CARRIER_TESTS(test_tracer_is_off_outside_enforce_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
