/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The arena as a whole: every kernel-model record lives in the kernel heap
 * inside the DSP arena; two runs put the same objects at the same
 * addresses; context creation and a whole thread-and-object flow survive
 * an allocation failure at every step with -ENOMEM and no leak.
 */
#include <errno.h>
#include <stdint.h>

#include "fail_sweep.h"
#include "sim_test.h"

#include "sofsim/object.h"

#include "kernel/kernel_priv.h"

struct flow {
	struct sofsim_sem *sem;
	struct sofsim_mutex *mutex;
	struct sofsim_timer *timer;
	struct sofsim_thread *thread;
	void *dyn;
};

static void waiter(void *arg)
{
	struct flow *f = arg;

	sofsim_sem_take(f->sem, SOFSIM_FOREVER);
}

/* A flow that allocates at several steps and unwinds what it made when one fails. */
static int flow_step(struct sofsim *sim, void *arg)
{
	struct flow *f = arg;
	struct sofsim_thread_attr a = { .name = "flow", .prio = 3, .core = 1 };
	int ret;

	*f = (struct flow){ 0 };
	ret = sofsim_sem_create(sim, 0, 1, &f->sem);
	if (ret)
		goto err_sem;
	ret = sofsim_mutex_create(sim, &f->mutex);
	if (ret)
		goto err_mutex;
	ret = sofsim_timer_create(sim, 1, NULL, NULL, &f->timer);
	if (ret)
		goto err_timer;
	ret = sofsim_object_alloc(sim, SOFSIM_OBJ_EVENT, &f->dyn);
	if (ret)
		goto err_dyn;
	ret = sofsim_thread_create(sim, &a, waiter, f, &f->thread);
	if (ret)
		goto err_thread;
	return 0;

err_thread:
	sofsim_object_free(sim, f->dyn);
err_dyn:
	sofsim_timer_destroy(f->timer);
err_timer:
	sofsim_mutex_destroy(f->mutex);
err_mutex:
	sofsim_sem_destroy(f->sem);
err_sem:
	return ret;
}

static void flow_undo(struct sofsim *sim, void *arg)
{
	struct flow *f = arg;

	assert_int_equal(sofsim_run_until(sim, 0), 0); /* let it block on the semaphore */
	assert_int_equal(sofsim__mem_walk_check(sim), 0);
	sofsim_thread_abort(f->thread);
	assert_int_equal(sofsim_thread_release(f->thread), 0);
	sofsim_object_free(sim, f->dyn);
	sofsim_timer_destroy(f->timer);
	sofsim_mutex_destroy(f->mutex);
	sofsim_sem_destroy(f->sem);
}

static void test_flow_fails_cleanly_at_every_allocation(void **state)
{
	struct sofsim *sim = test_sim_create(carrier_of(state), NULL, 1);
	struct flow f;
	int allocations = fail_sweep(sim, flow_step, flow_undo, &f, 64);

	/* sem, mutex, timer, event and the thread's record and carrier: at least 6 allocations. */
	assert_true(allocations >= 6);
	sofsim_destroy(sim);
}

static void test_context_creation_fails_cleanly_at_every_allocation(void **state)
{
	struct sofsim_config cfg;
	struct sofsim *sim;
	uint64_t nth;
	char why[128];

	sofsim_config_init(&cfg);
	cfg.threads = carrier_of(state);
	for (nth = 1; nth < 64; nth++) {
		cfg.fail_alloc_nth = nth;
		sim = (struct sofsim *)(uintptr_t)1;
		if (sofsim_create(&sim, &cfg, why, sizeof(why)) == 0)
			break;
		/* Every failure is -ENOMEM, leaves no context, and says so. */
		assert_null(sim);
		assert_string_equal(why, "sofsim_create: out of memory");
	}
	/* The LL user heap's record, the syscall counters and the host carrier at least. */
	assert_true(nth > 3);
	assert_true(nth < 64);
	sofsim_destroy(sim); /* Valgrind proves the failed attempts leaked nothing */
}

static void test_kernel_records_live_in_the_arena_kernel_heap(void **state)
{
	struct sofsim *sim = test_sim_create(carrier_of(state), NULL, 1);
	struct flow f;
	uintptr_t arena, kbase;
	size_t arena_size, ksize;

	assert_int_equal(flow_step(sim, &f), 0);
	assert_int_equal(sofsim_thread_release(f.thread), -EBUSY); /* still alive */
	sofsim_arena_bounds(sim, SOFSIM_ARENA_DSP, &arena, &arena_size);
	sofsim_heap_bounds(sofsim_kernel_heap(sim), &kbase, &ksize);
	assert_true(kbase >= arena && kbase + ksize <= arena + arena_size);
	assert_true(sofsim_heap_contains(sofsim_kernel_heap(sim), f.thread));
	assert_true(sofsim_heap_contains(sofsim_kernel_heap(sim), f.sem));
	assert_int_equal(sofsim__mem_walk_check(sim), 0);
	/* The walk can fail: a record outside the kernel heap is found. */
	sofsim_list_append(&sim->timeouts, &((struct sofsim__timeout *)&(struct sofsim__timeout){ 0 })->node);
	assert_int_equal(sofsim__mem_walk_check(sim), -EFAULT);
	sofsim_list_remove(sim->timeouts.prev);
	flow_undo(sim, &f);
	sofsim_destroy(sim);
}

struct addresses {
	uintptr_t sim_arena, thread, sem, stack, user_block;
};

static void record_addresses(enum sofsim_threads carrier, struct addresses *out)
{
	struct sofsim *sim = test_sim_create(carrier, NULL, 1);
	struct flow f;
	size_t size;

	assert_int_equal(flow_step(sim, &f), 0);
	sofsim_arena_bounds(sim, SOFSIM_ARENA_DSP, &out->sim_arena, &size);
	out->thread = (uintptr_t)f.thread;
	out->sem = (uintptr_t)f.sem;
	out->stack = (uintptr_t)f.thread->stack_lo;
	out->user_block = (uintptr_t)sofsim_heap_alloc(sofsim_ll_user_heap(sim), 40, "test");
	sofsim_heap_free(sofsim_ll_user_heap(sim), (void *)out->user_block);
	flow_undo(sim, &f);
	sofsim_destroy(sim);
}

static void test_two_runs_put_objects_at_the_same_addresses(void **state)
{
	struct addresses a, b;

	record_addresses(carrier_of(state), &a);
	record_addresses(carrier_of(state), &b);
	assert_memory_equal(&a, &b, sizeof(a));
	/* The fixed hint was honoured (not a fallback mapping). */
	assert_int_equal(a.sim_arena, 0x200000000000u);
}

static void test_kernel_object_in_user_writable_memory_is_flagged(void **state)
{
	struct sofsim *sim = test_sim_create(carrier_of(state), NULL, 1);
	struct sofsim_domain *dom;
	struct sofsim_sem *sem;
	struct sofsim_object_stats st;
	struct sofsim_partition ro, rw;
	FILE *out = fopen("/dev/null", "w");

	sofsim__set_report_stream(sim, out);
	assert_int_equal(sofsim_sem_create(sim, 0, 1, &sem), 0);
	assert_int_equal(sofsim_domain_create(sim, "bad", &dom), 0);
	/* A read-only view of the semaphore's page is allowed: users only must not write objects. */
	ro = (struct sofsim_partition){ (uintptr_t)sem & ~(uintptr_t)4095, 4096, SOFSIM_PART_R, "ro" };
	assert_int_equal(sofsim_domain_add_partition(dom, &ro), 0);
	sofsim_object_stats(sim, &st);
	assert_int_equal(st.objects_in_user_memory, 0);
	assert_int_equal(sofsim_domain_remove_partition(dom, &ro), 0);
	/* The same page writable by user threads: Zephyr's rule is broken, and said so. */
	rw = ro;
	rw.attr = SOFSIM_PART_RW;
	rw.name = "rw";
	assert_int_equal(sofsim_domain_add_partition(dom, &rw), 0);
	sofsim_object_stats(sim, &st);
	assert_int_equal(st.objects_in_user_memory, 1);
	assert_int_equal(sofsim_domain_remove_partition(dom, &rw), 0);
	sofsim_domain_destroy(dom);
	sofsim_destroy(sim);
	fclose(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CARRIER_TESTS(test_flow_fails_cleanly_at_every_allocation),
		CARRIER_TESTS(test_context_creation_fails_cleanly_at_every_allocation),
		CARRIER_TESTS(test_kernel_records_live_in_the_arena_kernel_heap),
		CARRIER_TESTS(test_two_runs_put_objects_at_the_same_addresses),
		CARRIER_TESTS(test_kernel_object_in_user_writable_memory_is_flagged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
