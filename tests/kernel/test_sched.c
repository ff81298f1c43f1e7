/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Scheduling semantics: Zephyr's cooperative (< 0) and preemptible (>= 0)
 * classes, FIFO within a priority, yield, preemption at scheduling points,
 * wait-queue order, and cores that do not preempt each other. Every test
 * runs on both thread carriers.
 */
#include <errno.h>
#include <stdint.h>

#include "sim_test.h"

struct scene {
	struct sofsim *sim;
	struct test_trace tr;
	struct sofsim_sem *sem[4];
	struct sofsim_timer *tick;
	const char *tag[4];
};

static struct sofsim_thread *spawn(struct scene *s, const char *name, int prio, unsigned core,
				   sofsim_thread_fn fn)
{
	struct sofsim_thread_attr attr = { .name = name, .prio = prio, .core = core };
	struct sofsim_thread *t = NULL;

	assert_int_equal(sofsim_thread_create(s->sim, &attr, fn, s, &t), 0);
	return t;
}

static void tick_gives_sem0(struct sofsim_timer *timer, void *arg)
{
	struct scene *s = arg;

	(void)timer;
	trace_add(&s->tr, "tick");
	sofsim_sem_give(s->sem[0]);
}

static void ll_thread(void *arg)
{
	struct scene *s = arg;

	assert_int_equal(sofsim_sem_take(s->sem[0], SOFSIM_FOREVER), 0);
	trace_add(&s->tr, "ll");
}

/* The running thread arms a zero-delay tick, so its ISR fires at the thread's next kernel call. */
static void ipc_thread(void *arg)
{
	struct scene *s = arg;

	trace_add(&s->tr, "u1");
	sofsim_timer_start(s->tick, 0, 0);
	sofsim_sem_give(s->sem[2]); /* a scheduling point: the tick is delivered here */
	trace_add(&s->tr, "u2");
	sofsim_sem_give(s->sem[2]);
	trace_add(&s->tr, "u3");
	sofsim_sem_take(s->sem[1], SOFSIM_FOREVER); /* blocks */
	trace_add(&s->tr, "u4");
}

static void run_tick_scene(void **state, int ipc_prio, const char *expect)
{
	struct scene s = { 0 };

	s.sim = test_sim_create(carrier_of(state), "ptl", 1);
	assert_int_equal(sofsim_sem_create(s.sim, 0, 10, &s.sem[0]), 0);
	assert_int_equal(sofsim_sem_create(s.sim, 0, 1, &s.sem[1]), 0);
	assert_int_equal(sofsim_sem_create(s.sim, 0, 10, &s.sem[2]), 0);
	assert_int_equal(sofsim_timer_create(s.sim, 0, tick_gives_sem0, &s, &s.tick), 0);
	spawn(&s, "ll_thread0", -16, 0, ll_thread);
	assert_int_equal(sofsim_run_until(s.sim, 0), 0); /* LL thread now waits for its tick */
	spawn(&s, "ll_user0", ipc_prio, 0, ipc_thread);
	assert_int_equal(sofsim_run_until(s.sim, SOFSIM_NSEC_PER_MSEC), 0);
	assert_string_equal(s.tr.text, expect);
	sofsim_destroy(s.sim);
}

static void test_coop_thread_keeps_core_until_it_blocks(void **state)
{
	/* -16 readied by the tick ISR runs only after the running -1 thread blocks. */
	run_tick_scene(state, -1, "u1 tick u2 u3 ll ");
}

static void test_preemptible_thread_gives_way_at_next_point(void **state)
{
	/* A preemptible thread is preempted at the scheduling point where the ISR ran. */
	run_tick_scene(state, 5, "u1 tick ll u2 u3 ");
}

static void yielder(void *arg)
{
	struct scene *s = arg;
	const char *me = sofsim_thread_name(sofsim_thread_self(s->sim));

	for (int i = 1; i <= 2; i++) {
		trace_add(&s->tr, "%s%d", me, i);
		sofsim_yield(s->sim);
	}
}

static void test_equal_priorities_run_fifo_and_yield_rotates(void **state)
{
	struct scene s = { .sim = test_sim_create(carrier_of(state), NULL, 1) };

	spawn(&s, "A", 3, 0, yielder);
	spawn(&s, "B", 3, 0, yielder);
	spawn(&s, "C", 3, 0, yielder);
	assert_int_equal(sofsim_run_until_idle(s.sim, SOFSIM_TIME_NEVER), 0);
	assert_string_equal(s.tr.text, "A1 B1 C1 A2 B2 C2 ");
	sofsim_destroy(s.sim);
}

static void test_yield_does_not_let_lower_priority_run(void **state)
{
	struct scene s = { .sim = test_sim_create(carrier_of(state), NULL, 1) };

	spawn(&s, "low", 9, 0, yielder);
	spawn(&s, "high", 2, 0, yielder);
	assert_int_equal(sofsim_run_until_idle(s.sim, SOFSIM_TIME_NEVER), 0);
	assert_string_equal(s.tr.text, "high1 high2 low1 low2 ");
	sofsim_destroy(s.sim);
}

static void waiter(void *arg)
{
	struct scene *s = arg;
	const char *me = sofsim_thread_name(sofsim_thread_self(s->sim));

	assert_int_equal(sofsim_sem_take(s->sem[0], SOFSIM_FOREVER), 0);
	trace_add(&s->tr, "%s", me);
}

static void giver(void *arg)
{
	struct scene *s = arg;

	for (int i = 0; i < 4; i++) {
		trace_add(&s->tr, "g%d", i);
		sofsim_sem_give(s->sem[0]);
	}
	trace_add(&s->tr, "gend");
}

static void test_wait_queue_orders_by_priority_then_arrival(void **state)
{
	struct scene s = { .sim = test_sim_create(carrier_of(state), NULL, 1) };

	assert_int_equal(sofsim_sem_create(s.sim, 0, 10, &s.sem[0]), 0);
	spawn(&s, "w5a", 5, 0, waiter);
	spawn(&s, "w2", 2, 0, waiter);
	spawn(&s, "w5b", 5, 0, waiter);
	spawn(&s, "w-3", -3, 0, waiter);
	assert_int_equal(sofsim_run_until(s.sim, 0), 0);
	/* The giver is the least urgent thread: every give preempts it. */
	spawn(&s, "giver", 10, 0, giver);
	assert_int_equal(sofsim_run_until_idle(s.sim, SOFSIM_TIME_NEVER), 0);
	assert_string_equal(s.tr.text, "g0 w-3 g1 w2 g2 w5a g3 w5b gend ");
	sofsim_destroy(s.sim);
}

static void coop_giver(void *arg)
{
	struct scene *s = arg;

	sofsim_sem_give(s->sem[0]);
	trace_add(&s->tr, "coop-after-give");
	sofsim_sleep(s->sim, 10 * SOFSIM_NSEC_PER_USEC);
	trace_add(&s->tr, "coop-woke");
}

static void test_coop_giver_continues_until_it_sleeps(void **state)
{
	struct scene s = { .sim = test_sim_create(carrier_of(state), NULL, 1) };

	assert_int_equal(sofsim_sem_create(s.sim, 0, 10, &s.sem[0]), 0);
	spawn(&s, "w-16", -16, 0, waiter);
	assert_int_equal(sofsim_run_until(s.sim, 0), 0);
	spawn(&s, "coop", -1, 0, coop_giver);
	assert_int_equal(sofsim_run_until_idle(s.sim, SOFSIM_TIME_NEVER), 0);
	assert_string_equal(s.tr.text, "coop-after-give w-16 coop-woke ");
	assert_int_equal(sofsim_now(s.sim), 10 * SOFSIM_NSEC_PER_USEC);
	sofsim_destroy(s.sim);
}

static void child(void *arg)
{
	struct scene *s = arg;

	trace_add(&s->tr, "child");
}

static void parent(void *arg)
{
	struct scene *s = arg;

	trace_add(&s->tr, "p1");
	spawn(s, "child", 1, 0, child); /* higher priority: runs at creation */
	trace_add(&s->tr, "p2");
	spawn(s, "child2", 7, 0, child); /* lower: waits */
	trace_add(&s->tr, "p3");
}

static void test_creating_higher_priority_thread_preempts_creator(void **state)
{
	struct scene s = { .sim = test_sim_create(carrier_of(state), NULL, 1) };

	spawn(&s, "parent", 4, 0, parent);
	assert_int_equal(sofsim_run_until_idle(s.sim, SOFSIM_TIME_NEVER), 0);
	assert_string_equal(s.tr.text, "p1 child p2 p3 child ");
	sofsim_destroy(s.sim);
}

static void core1_high(void *arg)
{
	struct scene *s = arg;

	trace_add(&s->tr, "c1");
}

static void core0_low(void *arg)
{
	struct scene *s = arg;

	for (int i = 0; i < 50; i++)
		sofsim_sem_give(s->sem[0]);
	/* A preemptible thread on core 0 is never preempted by core 1's thread. */
	trace_add(&s->tr, "c0-done=%u", sofsim_sem_count_get(s->sem[0]));
}

static void test_other_cores_do_not_preempt(void **state)
{
	struct scene s = { .sim = test_sim_create(carrier_of(state), NULL, 7) };
	struct sofsim_thread *a, *b;

	assert_int_equal(sofsim_sem_create(s.sim, 0, 100, &s.sem[0]), 0);
	a = spawn(&s, "low0", 14, 0, core0_low);
	b = spawn(&s, "high1", -16, 1, core1_high);
	assert_int_equal(sofsim_run_until_idle(s.sim, SOFSIM_TIME_NEVER), 0);
	assert_true(sofsim_thread_ended(a));
	assert_true(sofsim_thread_ended(b));
	assert_int_equal(sofsim_thread_core(b), 1);
	assert_non_null(strstr(s.tr.text, "c1"));
	assert_non_null(strstr(s.tr.text, "c0-done=50"));
	sofsim_destroy(s.sim);
}

static void test_bad_thread_attributes_are_refused(void **state)
{
	struct sofsim *sim = test_sim_create(carrier_of(state), "ptl", 1);
	struct sofsim_thread_attr attr = { .name = "x", .prio = 0, .core = 0 };
	struct sofsim_thread *t = NULL;

	attr.prio = -17;
	assert_int_equal(sofsim_thread_create(sim, &attr, child, NULL, &t), -EINVAL);
	attr.prio = 16;
	assert_int_equal(sofsim_thread_create(sim, &attr, child, NULL, &t), -EINVAL);
	attr.prio = 0;
	attr.core = 5; /* ptl has cores 0..4 */
	assert_int_equal(sofsim_thread_create(sim, &attr, child, NULL, &t), -EINVAL);
	attr.core = 4;
	attr.stack_bytes = 1024;
	assert_int_equal(sofsim_thread_create(sim, &attr, child, NULL, &t), -EINVAL);
	attr.stack_bytes = 0;
	assert_int_equal(sofsim_thread_create(sim, &attr, NULL, NULL, &t), -EINVAL);
	assert_int_equal(sofsim_thread_create(sim, NULL, child, NULL, &t), -EINVAL);
	assert_null(t);
	sofsim_destroy(sim);
}

static void user_creates_kernel(void *arg)
{
	struct scene *s = arg;
	struct sofsim_thread_attr k = { .name = "k", .prio = 1, .core = 0, .user = false };
	struct sofsim_thread_attr u = { .name = "u", .prio = 1, .core = 0, .user = true };
	struct sofsim_thread *t;

	assert_false(sofsim_thread_is_user(sofsim_thread_self(s->sim)));
	assert_int_equal(sofsim_thread_user_mode_enter(s->sim), 0);
	assert_true(sofsim_thread_is_user(sofsim_thread_self(s->sim)));
	trace_add(&s->tr, "kernel=%d", sofsim_thread_create(s->sim, &k, child, s, &t));
	trace_add(&s->tr, "user=%d", sofsim_thread_create(s->sim, &u, child, s, &t));
}

static void test_user_mode_is_one_way_and_creates_only_user_threads(void **state)
{
	struct scene s = { .sim = test_sim_create(carrier_of(state), NULL, 1) };

	spawn(&s, "dropper", 5, 0, user_creates_kernel);
	assert_int_equal(sofsim_thread_user_mode_enter(s.sim), -EPERM); /* not from the host */
	assert_int_equal(sofsim_run_until_idle(s.sim, SOFSIM_TIME_NEVER), 0);
	/* -EPERM (-1) for the kernel thread; the user child (prio 1) preempts its creator. */
	assert_string_equal(s.tr.text, "kernel=-1 child user=0 ");
	sofsim_destroy(s.sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CARRIER_TESTS(test_coop_thread_keeps_core_until_it_blocks),
		CARRIER_TESTS(test_preemptible_thread_gives_way_at_next_point),
		CARRIER_TESTS(test_equal_priorities_run_fifo_and_yield_rotates),
		CARRIER_TESTS(test_yield_does_not_let_lower_priority_run),
		CARRIER_TESTS(test_wait_queue_orders_by_priority_then_arrival),
		CARRIER_TESTS(test_coop_giver_continues_until_it_sleeps),
		CARRIER_TESTS(test_creating_higher_priority_thread_preempts_creator),
		CARRIER_TESTS(test_other_cores_do_not_preempt),
		CARRIER_TESTS(test_bad_thread_attributes_are_refused),
		CARRIER_TESTS(test_user_mode_is_one_way_and_creates_only_user_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
