/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SOF's heap syscalls from user mode (userspace sheet §2.2): sof_heap_alloc
 * accepts only the LL user heap and the USER|COHERENT|DMA|LARGE_BUFFER
 * flags; sof_heap_free accepts only the LL user heap and an address inside
 * it that the caller can write. Every refusal oopses the caller. Also the
 * bug-class-25 note on an oops while a verifier holds allocations.
 */
#include <errno.h>
#include <stdint.h>

#include "sim_test.h"

#include "sofsim/fault.h"
#include "sofsim/mem.h"

#include "kernel/domain_priv.h"
#include "kernel/syscall_priv.h"

struct scene {
	struct sofsim *sim;
	struct sofsim_domain *dom;
	struct sofsim_heap *ll;
	void *block;
	int step;
	struct test_trace tr;
};

static void scene_init(struct scene *s, void **state)
{
	struct sofsim_partition part;

	s->sim = test_sim_faulting(carrier_of(state), SOFSIM_PROT_VERIFY);
	s->ll = sofsim_ll_user_heap(s->sim);
	assert_non_null(s->ll);
	s->dom = test_ll_domain(s->sim, &part);
}

static void run_user(struct scene *s, sofsim_thread_fn fn, bool in_domain)
{
	struct sofsim_thread_attr a = { .name = "ll_user0", .prio = -1, .core = 0, .user = true };
	struct sofsim_thread *t;

	assert_int_equal(sofsim_thread_create(s->sim, &a, fn, s, &t), 0);
	if (in_domain)
		assert_int_equal(sofsim_domain_add_thread(s->dom, t), 0);
	assert_int_equal(sofsim_run_until_idle(s->sim, SOFSIM_TIME_NEVER), 0);
	assert_true(sofsim_thread_ended(t));
}

static void finish(struct scene *s)
{
	sofsim_domain_remove_partition(s->dom, sofsim__domain_partition_at(s->dom, 0));
	sofsim_domain_destroy(s->dom);
	sofsim_destroy(s->sim);
}

static void good_user(void *arg)
{
	struct scene *s = arg;
	uint8_t *p = sofsim_sof_heap_alloc(s->sim, s->ll, SOFSIM_MEM_FLAG_USER | SOFSIM_MEM_FLAG_COHERENT, 100, 64);

	trace_add(&s->tr, "alloc=%s", p ? "ok" : "null");
	trace_add(&s->tr, "aligned=%d", p && (uintptr_t)p % 64 == 0);
	trace_add(&s->tr, "free=%d", sofsim_sof_heap_free(s->sim, s->ll, p));
	trace_add(&s->tr, "free-null=%d", sofsim_sof_heap_free(s->sim, s->ll, NULL));
}

static void test_user_allocates_and_frees_on_the_ll_user_heap(void **state)
{
	struct scene s = { 0 };

	scene_init(&s, state);
	run_user(&s, good_user, true);
	assert_string_equal(s.tr.text, "alloc=ok aligned=1 free=0 free-null=0 ");
	assert_int_equal(sofsim_fault_count(s.sim), 0);
	finish(&s);
}

static void bad_flags(void *arg)
{
	struct scene *s = arg;

	sofsim_sof_heap_alloc(s->sim, s->ll, SOFSIM_MEM_FLAG_USER | SOFSIM_MEM_FLAG_KERNEL_ONLY, 16, 0);
	trace_add(&s->tr, "survived");
}

static void bad_heap(void *arg)
{
	struct scene *s = arg;

	sofsim_sof_heap_alloc(s->sim, sofsim_kernel_heap(s->sim), SOFSIM_MEM_FLAG_USER, 16, 0);
	trace_add(&s->tr, "survived");
}

static void null_heap(void *arg)
{
	struct scene *s = arg;

	sofsim_sof_heap_alloc(s->sim, NULL, SOFSIM_MEM_FLAG_USER, 16, 0);
	trace_add(&s->tr, "survived");
}

/* Each refusal is exactly one oops of sof_heap_alloc naming the argument. */
static void test_alloc_refuses_flags_and_heaps_with_an_oops(void **state)
{
	static const struct {
		sofsim_thread_fn fn;
		const char *detail;
	} cases[] = {
		{ bad_flags, "flags: 0x11 has bits outside USER|COHERENT|DMA|LARGE_BUFFER" },
		{ bad_heap, "heap: " },
		{ null_heap, "heap: (nil) is not the LL user heap" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct scene s = { 0 };
		struct sofsim_fault f;

		scene_init(&s, state);
		run_user(&s, cases[i].fn, true);
		assert_string_equal(s.tr.text, "");
		assert_int_equal(sofsim_fault_count(s.sim), 1);
		f = test_last_fault(s.sim);
		assert_int_equal(f.reason, SOFSIM_REASON_KERNEL_OOPS);
		assert_string_equal(f.op, "z_vrfy_sof_heap_alloc");
		assert_non_null(strstr(f.detail, cases[i].detail));
		finish(&s);
	}
}

static void free_cases(void *arg)
{
	struct scene *s = arg;
	uint8_t *p = sofsim_sof_heap_alloc(s->sim, s->ll, SOFSIM_MEM_FLAG_USER, 64, 0);

	if (s->step == 0)
		sofsim_sof_heap_free(s->sim, sofsim_kernel_heap(s->sim), p);
	else if (s->step == 1)
		sofsim_sof_heap_free(s->sim, s->ll, &s->step); /* host memory, outside the heap */
	trace_add(&s->tr, "survived");
}

static void test_free_refuses_other_heaps_and_foreign_addresses(void **state)
{
	static const char *const detail[] = { "heap: ", "addr: " };

	for (int step = 0; step < 2; step++) {
		struct scene s = { .step = step };
		struct sofsim_fault f;

		scene_init(&s, state);
		run_user(&s, free_cases, true);
		assert_string_equal(s.tr.text, "");
		f = test_last_fault(s.sim);
		assert_string_equal(f.op, "z_vrfy_sof_heap_free");
		assert_memory_equal(f.detail, detail[step], strlen(detail[step]));
		finish(&s);
	}
}

static void free_without_partition(void *arg)
{
	struct scene *s = arg;

	/* The block is in the heap, but this thread's domain grants no access to it. */
	sofsim_sof_heap_free(s->sim, s->ll, s->block);
	trace_add(&s->tr, "survived");
}

static void test_free_needs_write_access_to_the_block(void **state)
{
	struct scene s = { 0 };
	struct sofsim_fault f;

	scene_init(&s, state);
	s.block = sofsim_sof_heap_alloc(s.sim, s.ll, 0, 32, 0); /* the host may use any heap */
	assert_non_null(s.block);
	run_user(&s, free_without_partition, false);
	f = test_last_fault(s.sim);
	assert_string_equal(f.op, "z_vrfy_sof_heap_free");
	assert_non_null(strstr(f.detail, "write access denied"));
	/* The oops left the block alone. */
	assert_int_equal(sofsim_sof_heap_free(s.sim, s.ll, s.block), 0);
	finish(&s);
}

static void kernel_any_heap(void *arg)
{
	struct scene *s = arg;
	void *a = sofsim_sof_heap_alloc(s->sim, NULL, SOFSIM_MEM_FLAG_KERNEL_ONLY, 48, 0);
	void *b = sofsim_sof_heap_alloc(s->sim, s->ll, SOFSIM_MEM_FLAG_KERNEL_ONLY, 48, 0);

	trace_add(&s->tr, "a=%d b=%d", sofsim_sof_heap_free(s->sim, NULL, a), sofsim_sof_heap_free(s->sim, s->ll, b));
	trace_add(&s->tr, "double=%d", sofsim_sof_heap_free(s->sim, s->ll, b));
}

static void test_kernel_threads_use_any_heap_without_checks(void **state)
{
	struct scene s = { 0 };
	struct sofsim_thread_attr a = { .name = "kernel", .prio = 1, .core = 0 };
	struct sofsim_thread *t;

	scene_init(&s, state);
	assert_int_equal(sofsim_thread_create(s.sim, &a, kernel_any_heap, &s, &t), 0);
	assert_int_equal(sofsim_run_until_idle(s.sim, SOFSIM_TIME_NEVER), 0);
	assert_string_equal(s.tr.text, "a=0 b=0 double=-114 "); /* -EALREADY */
	assert_int_equal(sofsim_fault_count(s.sim), 0);
	finish(&s);
}

static void oops_holding_allocation(void *arg)
{
	struct scene *s = arg;
	struct sofsim_thread *self = sofsim_thread_self(s->sim);

	/* As if a verifier had allocated a kernel block and then failed a check. */
	self->kheap_live_at_gate = sofsim__heap_live_blocks(sofsim_kernel_heap(s->sim));
	s->block = sofsim_heap_alloc(sofsim_kernel_heap(s->sim), 24, "verifier");
	self->in_syscall++;
	sofsim__oops(s->sim, 0, "planted");
}

static void test_oops_while_a_verifier_holds_memory_says_so(void **state)
{
	struct scene s = { 0 };
	struct sofsim_fault f;

	scene_init(&s, state);
	run_user(&s, oops_holding_allocation, true);
	f = test_last_fault(s.sim);
	assert_string_equal(f.detail, "planted [verifier still holds 1 kernel allocation(s)]");
	sofsim_heap_free(sofsim_kernel_heap(s.sim), s.block);
	finish(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CARRIER_TESTS(test_user_allocates_and_frees_on_the_ll_user_heap),
		CARRIER_TESTS(test_alloc_refuses_flags_and_heaps_with_an_oops),
		CARRIER_TESTS(test_free_refuses_other_heaps_and_foreign_addresses),
		CARRIER_TESTS(test_free_needs_write_access_to_the_block),
		CARRIER_TESTS(test_kernel_threads_use_any_heap_without_checks),
		CARRIER_TESTS(test_oops_while_a_verifier_holds_memory_says_so),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
