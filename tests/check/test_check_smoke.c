/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The enforce checker end to end: instrumented code in a user thread that
 * stores into a kernel-heap page faults once (EXCCAUSE 26, EXCVADDR the
 * address); its own stack and its domain's pages are fine; the same code
 * in a kernel thread, or under verify, is not checked at all.
 */
#include <errno.h>
#include <stdint.h>

#include "check_bodies.h"
#include "sim_test.h"

#include "sofsim/check.h"
#include "sofsim/fault.h"
#include "sofsim/mem.h"

struct scene {
	struct sofsim *sim;
	uint8_t *kernel_block;
	uint8_t *user_block;
	struct test_trace tr;
};

static void user_body(void *arg)
{
	struct scene *s = arg;
	uint8_t local[16] = { 0 };

	body_store1(local);                    /* own stack */
	body_memcpy(s->user_block, local, 16); /* domain page */
	trace_add(&s->tr, "ok");
	body_store1(s->kernel_block + 5);      /* kernel page: faults */
	trace_add(&s->tr, "not reached");
}

static struct scene *scene_run(enum sofsim_threads carrier, enum sofsim_protection prot, bool user)
{
	static struct scene s;
	struct sofsim_domain *dom;
	struct sofsim_partition part;
	struct sofsim_thread_attr a = { .name = "ll_user0", .prio = -1, .core = 0, .user = user };
	struct sofsim_thread *t;

	memset(&s, 0, sizeof(s));
	s.sim = test_sim_faulting(carrier, prot);
	s.kernel_block = sofsim_heap_alloc(sofsim_kernel_heap(s.sim), 64, "test");
	s.user_block = sofsim_heap_alloc(sofsim_ll_user_heap(s.sim), 64, "test");
	dom = test_ll_domain(s.sim, &part);
	assert_int_equal(sofsim_thread_create(s.sim, &a, user_body, &s, &t), 0);
	assert_int_equal(sofsim_domain_add_thread(dom, t), 0);
	assert_int_equal(sofsim_run_until_idle(s.sim, SOFSIM_TIME_NEVER), 0);
	assert_true(sofsim_thread_ended(t));
	return &s;
}

static void scene_end(struct scene *s)
{
	sofsim_heap_free(sofsim_kernel_heap(s->sim), s->kernel_block);
	sofsim_heap_free(sofsim_ll_user_heap(s->sim), s->user_block);
	sofsim_destroy(s->sim);
}

static void test_user_store_to_kernel_page_faults_once(void **state)
{
	struct scene *s = scene_run(carrier_of(state), SOFSIM_PROT_ENFORCE_CHECK, true);
	struct sofsim_fault f;

	assert_string_equal(s->tr.text, "ok ");
	assert_int_equal(sofsim_fault_count(s->sim), 1);
	assert_int_equal(sofsim_fault_get(s->sim, 0, &f), 0);
	assert_int_equal(f.reason, SOFSIM_REASON_CPU_EXCEPTION);
	assert_int_equal(f.exccause, SOFSIM_EXCCAUSE_LOAD_STORE_RING);
	assert_int_equal(f.excvaddr, (uintptr_t)s->kernel_block + 5);
	assert_string_equal(f.op, "store");
	scene_end(s);
}

static void test_kernel_thread_and_verify_mode_are_not_checked(void **state)
{
	struct scene *s = scene_run(carrier_of(state), SOFSIM_PROT_ENFORCE_CHECK, false);

	assert_string_equal(s->tr.text, "ok not reached ");
	assert_int_equal(sofsim_fault_count(s->sim), 0);
	scene_end(s);
	s = scene_run(carrier_of(state), SOFSIM_PROT_VERIFY, true);
	assert_string_equal(s->tr.text, "ok not reached ");
	assert_int_equal(sofsim_fault_count(s->sim), 0);
	scene_end(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CARRIER_TESTS(test_user_store_to_kernel_page_faults_once),
		CARRIER_TESTS(test_kernel_thread_and_verify_mode_are_not_checked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
