/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Context and thread lifecycles: config errors that name the field, several
 * contexts in one process, host joins, aborts unwound at the blocking
 * point, and destroy with threads blocked on every kind of wait.
 */
#include <errno.h>
#include <stdint.h>

#include "sim_test.h"

static void test_config_errors_name_the_field(void **state)
{
	struct sofsim_config cfg;
	struct sofsim *sim = (struct sofsim *)(uintptr_t)1;
	char why[256];

	(void)state;
	sofsim_config_init(&cfg);
	cfg.platform = "nvl9000";
	assert_int_equal(sofsim_create(&sim, &cfg, why, sizeof(why)), -EINVAL);
	assert_null(sim);
	assert_string_equal(why, "config.platform: unknown profile 'nvl9000'");

	sofsim_config_init(&cfg);
	cfg.arena_bytes = (16u << 20) + 1;
	assert_int_equal(sofsim_config_check(&cfg, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "config.arena_bytes: 16777217 bytes"));

	/* ptl: 512 KiB kernel heap + 128 KiB LL user heap + 2048 KiB for stacks = 2688 KiB = 2752512 bytes. */
	sofsim_config_init(&cfg);
	cfg.arena_bytes = 2u << 20;
	assert_int_equal(sofsim_config_check(&cfg, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, "config.arena_bytes: 2097152 bytes; profile 'ptl' needs at least 2752512 "
				 "(kernel and LL user heaps, and room for stacks)");

	sofsim_config_init(&cfg);
	cfg.host_arena_bytes = 4096;
	assert_int_equal(sofsim_config_check(&cfg, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "config.host_arena_bytes"));

	sofsim_config_init(&cfg);
	cfg.protection = (enum sofsim_protection)7;
	assert_int_equal(sofsim_config_check(&cfg, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, "config.protection: unknown mode 7");

	sofsim_config_init(&cfg);
	cfg.fault_policy = (enum sofsim_fault_policy)3;
	assert_int_equal(sofsim_config_check(&cfg, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, "config.fault_policy: unknown policy 3");

	sofsim_config_init(&cfg);
	cfg.threads = (enum sofsim_threads)2;
	assert_int_equal(sofsim_config_check(&cfg, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, "config.threads: unknown carrier 2");

	sofsim_config_init(&cfg);
	cfg.stack_bytes = 4096;
	assert_int_equal(sofsim_config_check(&cfg, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "config.stack_bytes: 4096"));

	sofsim_config_init(&cfg);
	cfg.pin_cpu = -2;
	assert_int_equal(sofsim_config_check(&cfg, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "config.pin_cpu: -2"));

	sofsim_config_init(&cfg);
	cfg.interleave = (enum sofsim_interleave)5;
	assert_int_equal(sofsim_config_check(&cfg, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, "config.interleave: unknown policy 5");

	assert_int_equal(sofsim_config_check(NULL, why, sizeof(why)), -EINVAL);
	assert_int_equal(sofsim_create(NULL, NULL, NULL, 0), -EINVAL);

	/* The defaults are valid and name the default profile. */
	sofsim_config_init(&cfg);
	assert_int_equal(sofsim_config_check(&cfg, why, sizeof(why)), 0);
	assert_int_equal(sofsim_create(&sim, NULL, why, sizeof(why)), 0);
	assert_string_equal(sofsim_config(sim)->platform, "ptl");
	assert_int_equal(sofsim_config(sim)->seed, 1);
	sofsim_destroy(sim);
	sofsim_destroy(NULL);
}

struct counter {
	struct sofsim *sim;
	unsigned ticks;
	struct test_trace tr;
};

static void count_ticks(void *arg)
{
	struct counter *c = arg;

	for (;;) {
		sofsim_sleep(c->sim, SOFSIM_NSEC_PER_MSEC);
		c->ticks++;
	}
}

static void test_contexts_are_independent(void **state)
{
	struct counter a = { .sim = test_sim_create(carrier_of(state), "ptl", 1) };
	struct counter b = { .sim = test_sim_create(carrier_of(state), "mtl", 1) };
	struct sofsim_thread_attr attr = { .name = "counter", .prio = 0, .core = 0 };
	struct sofsim_thread *t;

	assert_int_equal(sofsim_thread_create(a.sim, &attr, count_ticks, &a, &t), 0);
	assert_int_equal(sofsim_thread_create(b.sim, &attr, count_ticks, &b, &t), 0);
	assert_int_equal(sofsim_run_until(a.sim, 5 * SOFSIM_NSEC_PER_MSEC), 0);
	assert_int_equal(sofsim_run_until(b.sim, 2 * SOFSIM_NSEC_PER_MSEC), 0);
	assert_int_equal(sofsim_run_until(a.sim, 7 * SOFSIM_NSEC_PER_MSEC), 0);
	assert_int_equal(a.ticks, 7);
	assert_int_equal(b.ticks, 2);
	assert_int_equal(sofsim_now(a.sim), 7 * SOFSIM_NSEC_PER_MSEC);
	assert_int_equal(sofsim_now(b.sim), 2 * SOFSIM_NSEC_PER_MSEC);
	sofsim_destroy(b.sim);
	assert_int_equal(sofsim_run_until(a.sim, 8 * SOFSIM_NSEC_PER_MSEC), 0);
	assert_int_equal(a.ticks, 8);
	sofsim_destroy(a.sim);
}

static void finite(void *arg)
{
	struct counter *c = arg;

	sofsim_sleep(c->sim, 3 * SOFSIM_NSEC_PER_MSEC);
	trace_add(&c->tr, "finite-done");
}

static void forever_blocked(void *arg)
{
	struct counter *c = arg;
	struct sofsim_sem *sem;

	assert_int_equal(sofsim_sem_create(c->sim, 0, 1, &sem), 0);
	sofsim_sem_take(sem, SOFSIM_FOREVER);
	trace_add(&c->tr, "never");
}

static void test_host_join_runs_until_the_thread_ends(void **state)
{
	struct counter c = { .sim = test_sim_create(carrier_of(state), NULL, 1) };
	struct sofsim_thread_attr attr = { .name = "finite", .prio = 3, .core = 0 };
	struct sofsim_thread *t, *stuck;

	assert_int_equal(sofsim_thread_create(c.sim, &attr, finite, &c, &t), 0);
	assert_int_equal(sofsim_thread_join(t, SOFSIM_NO_WAIT), -EBUSY);
	assert_int_equal(sofsim_thread_join(t, SOFSIM_NSEC_PER_MSEC), -EAGAIN);
	assert_int_equal(sofsim_now(c.sim), SOFSIM_NSEC_PER_MSEC);
	assert_int_equal(sofsim_thread_join(t, SOFSIM_FOREVER), 0);
	assert_int_equal(sofsim_now(c.sim), 3 * SOFSIM_NSEC_PER_MSEC);
	assert_true(sofsim_thread_ended(t));
	assert_int_equal(sofsim_thread_join(t, SOFSIM_NO_WAIT), 0);

	attr.name = "stuck";
	assert_int_equal(sofsim_thread_create(c.sim, &attr, forever_blocked, &c, &stuck), 0);
	/* Nothing can ever wake it: the host join reports a deadlock instead of hanging. */
	assert_int_equal(sofsim_thread_join(stuck, SOFSIM_FOREVER), -EDEADLK);
	assert_string_equal(c.tr.text, "finite-done ");
	sofsim_destroy(c.sim);
}

struct abort_scene {
	struct sofsim *sim;
	struct sofsim_thread *victim;
	struct sofsim_sem *sem;
	struct test_trace tr;
};

static void victim(void *arg)
{
	struct abort_scene *s = arg;

	trace_add(&s->tr, "victim-blocks");
	sofsim_sem_take(s->sem, SOFSIM_FOREVER);
	trace_add(&s->tr, "victim-resumed");
}

static void joiner(void *arg)
{
	struct abort_scene *s = arg;

	assert_int_equal(sofsim_thread_join(sofsim_thread_self(s->sim), SOFSIM_FOREVER), -EDEADLK);
	trace_add(&s->tr, "join=%d", sofsim_thread_join(s->victim, SOFSIM_FOREVER));
}

static void killer(void *arg)
{
	struct abort_scene *s = arg;

	trace_add(&s->tr, "abort=%d", sofsim_thread_abort(s->victim));
	trace_add(&s->tr, "ended=%d", sofsim_thread_ended(s->victim));
	trace_add(&s->tr, "again=%d", sofsim_thread_abort(s->victim));
	sofsim_sem_give(s->sem); /* nobody waits any more: the count goes up */
	trace_add(&s->tr, "count=%u", sofsim_sem_count_get(s->sem));
}

static void self_aborter(void *arg)
{
	struct abort_scene *s = arg;

	trace_add(&s->tr, "self");
	sofsim_thread_abort(sofsim_thread_self(s->sim));
	trace_add(&s->tr, "after-self-abort");
}

static void test_abort_unwinds_at_the_blocking_point(void **state)
{
	struct abort_scene s = { .sim = test_sim_create(carrier_of(state), NULL, 1) };
	struct sofsim_thread_attr attr = { .name = "victim", .prio = 2, .core = 0 };
	struct sofsim_thread *t;

	assert_int_equal(sofsim_sem_create(s.sim, 0, 5, &s.sem), 0);
	assert_int_equal(sofsim_thread_create(s.sim, &attr, victim, &s, &s.victim), 0);
	attr.name = "joiner";
	assert_int_equal(sofsim_thread_create(s.sim, &attr, joiner, &s, &t), 0);
	assert_int_equal(sofsim_run_until(s.sim, 0), 0);
	attr.name = "killer";
	attr.prio = 5;
	assert_int_equal(sofsim_thread_create(s.sim, &attr, killer, &s, &t), 0);
	attr.name = "self";
	assert_int_equal(sofsim_thread_create(s.sim, &attr, self_aborter, &s, &t), 0);
	assert_int_equal(sofsim_run_until_idle(s.sim, SOFSIM_TIME_NEVER), 0);
	/* The joiner (prio 2) wakes when the victim ends and preempts the killer (prio 5)
	 * at the scheduling point that ends the abort call. */
	assert_string_equal(s.tr.text, "victim-blocks join=0 abort=0 ended=1 again=0 count=1 self ");
	assert_true(sofsim_thread_ended(t));
	sofsim_destroy(s.sim);
}

/* ---- destroy with threads blocked on everything ---- */

struct everywhere {
	struct sofsim *sim;
	struct sofsim_sem *sem;
	struct sofsim_mutex *mutex;
	struct sofsim_kevent *ev;
	struct sofsim_timer *timer;
	struct sofsim_workq *wq;
	struct sofsim_thread *sleeper;
	struct sofsim_sys_sem sys_sem;
	struct sofsim_sys_mutex sys_mutex;
	atomic_int futex;
	unsigned reached_end;
};

static void hold_mutex(void *arg)
{
	struct everywhere *e = arg;

	sofsim_mutex_lock(e->mutex, SOFSIM_FOREVER);
	sofsim_sys_mutex_lock(e->sim, &e->sys_mutex, SOFSIM_FOREVER);
	sofsim_sleep(e->sim, SOFSIM_NSEC_PER_SEC * 3600);
	e->reached_end++;
}

static void on_sem(void *arg)
{
	struct everywhere *e = arg;

	sofsim_sem_take(e->sem, SOFSIM_FOREVER);
	e->reached_end++;
}

static void on_mutex(void *arg)
{
	struct everywhere *e = arg;

	sofsim_mutex_lock(e->mutex, SOFSIM_FOREVER);
	e->reached_end++;
}

static void on_sys_mutex(void *arg)
{
	struct everywhere *e = arg;

	sofsim_sys_mutex_lock(e->sim, &e->sys_mutex, SOFSIM_FOREVER);
	e->reached_end++;
}

static void on_event(void *arg)
{
	struct everywhere *e = arg;

	sofsim_kevent_wait(e->ev, 0x3, SOFSIM_KEVENT_ALL, SOFSIM_FOREVER);
	e->reached_end++;
}

static void on_futex(void *arg)
{
	struct everywhere *e = arg;

	sofsim_futex_wait(e->sim, &e->futex, 0, SOFSIM_FOREVER);
	e->reached_end++;
}

static void on_sys_sem(void *arg)
{
	struct everywhere *e = arg;

	sofsim_sys_sem_take(e->sim, &e->sys_sem, SOFSIM_FOREVER);
	e->reached_end++;
}

static void on_timer_sync(void *arg)
{
	struct everywhere *e = arg;

	sofsim_timer_status_sync(e->timer);
	e->reached_end++;
}

static void on_join(void *arg)
{
	struct everywhere *e = arg;

	sofsim_thread_join(e->sleeper, SOFSIM_FOREVER);
	e->reached_end++;
}

/* Never blocks; hands the host the token after a while, staying ready. */
static void spinner(void *arg)
{
	struct everywhere *e = arg;

	for (unsigned n = 1;; n++) {
		sofsim_yield(e->sim);
		if (n % 100 == 0)
			sofsim_host_wake(e->sim);
	}
}

static void test_destroy_unwinds_threads_blocked_everywhere(void **state)
{
	static const sofsim_thread_fn blocked[] = {
		hold_mutex, on_sem, on_mutex, on_sys_mutex, on_event, on_futex, on_sys_sem, on_timer_sync, on_join,
	};
	struct everywhere e = { .sim = test_sim_create(carrier_of(state), NULL, 3) };
	struct sofsim_thread_attr attr = { .name = "blocked", .prio = 4, .core = 0 };
	struct sofsim_thread *t;

	assert_int_equal(sofsim_sem_create(e.sim, 0, 1, &e.sem), 0);
	assert_int_equal(sofsim_mutex_create(e.sim, &e.mutex), 0);
	assert_int_equal(sofsim_kevent_create(e.sim, &e.ev), 0);
	assert_int_equal(sofsim_timer_create(e.sim, 1, NULL, NULL, &e.timer), 0);
	sofsim_timer_start(e.timer, SOFSIM_NSEC_PER_SEC * 3600, 0);
	assert_int_equal(sofsim_workq_create(e.sim, "workq", 1, 1, &e.wq), 0);
	assert_int_equal(sofsim_sys_sem_define(e.sim, &e.sys_sem, 0, 1), 0);
	assert_int_equal(sofsim_sys_mutex_define(e.sim, &e.sys_mutex), 0);
	atomic_init(&e.futex, 0);
	assert_int_equal(sofsim_futex_define(e.sim, &e.futex), 0);
	for (size_t i = 0; i < sizeof(blocked) / sizeof(blocked[0]); i++) {
		attr.core = (unsigned)i % 3;
		assert_int_equal(sofsim_thread_create(e.sim, &attr, blocked[i], &e, &t), 0);
		if (i == 0)
			e.sleeper = t;
	}
	assert_int_equal(sofsim_run_until(e.sim, SOFSIM_NSEC_PER_MSEC), 0);
	sofsim_kevent_post(e.ev, 0x1); /* half of what the waiter needs */

	/* A thread that is ready (never blocks) and one that never got to run. */
	attr.name = "spinner";
	attr.core = 3;
	assert_int_equal(sofsim_thread_create(e.sim, &attr, spinner, &e, &t), 0);
	assert_int_equal(sofsim_run_until_idle(e.sim, 2 * SOFSIM_NSEC_PER_MSEC), 1);
	assert_int_equal(sofsim_now(e.sim), SOFSIM_NSEC_PER_MSEC); /* a ready thread holds time still */
	attr.name = "unstarted";
	assert_int_equal(sofsim_thread_create(e.sim, &attr, spinner, &e, &t), 0);

	assert_int_equal(e.reached_end, 0);
	sofsim_destroy(e.sim); /* must not hang; Valgrind checks nothing leaks */
	assert_int_equal(e.reached_end, 0);
}

static void test_host_wake_ends_a_run_early(void **state)
{
	struct counter c = { .sim = test_sim_create(carrier_of(state), NULL, 1) };
	struct sofsim_thread_attr attr = { .name = "counter", .prio = 0, .core = 0 };
	struct sofsim_thread *t;

	assert_int_equal(sofsim_thread_create(c.sim, &attr, count_ticks, &c, &t), 0);
	assert_int_equal(sofsim_run_until(c.sim, 3 * SOFSIM_NSEC_PER_MSEC), 0);
	sofsim_host_wake(c.sim);
	assert_int_equal(sofsim_run_until(c.sim, 10 * SOFSIM_NSEC_PER_MSEC), 1);
	assert_int_equal(sofsim_now(c.sim), 3 * SOFSIM_NSEC_PER_MSEC);
	assert_int_equal(sofsim_run_until(c.sim, 10 * SOFSIM_NSEC_PER_MSEC), 0);
	assert_int_equal(c.ticks, 10);
	sofsim_destroy(c.sim);
}

static void busy(void *arg)
{
	struct counter *c = arg;

	for (;;) {
		c->ticks++;
		sofsim_yield(c->sim);
	}
}

static void test_thread_that_never_blocks_is_reported_as_livelock(void **state)
{
	struct sofsim_config cfg;
	struct counter c = { 0 };
	struct sofsim_thread_attr attr = { .name = "busy", .prio = 0, .core = 0 };
	struct sofsim_thread *t;

	sofsim_config_init(&cfg);
	cfg.threads = carrier_of(state);
	cfg.livelock_points = 1000;
	assert_int_equal(sofsim_create(&c.sim, &cfg, NULL, 0), 0);
	assert_int_equal(sofsim_thread_create(c.sim, &attr, busy, &c, &t), 0);
	assert_int_equal(sofsim_run_until(c.sim, SOFSIM_NSEC_PER_MSEC), -ELOOP);
	assert_int_equal(sofsim_now(c.sim), 0);
	/* 1000 scheduling points: the first is the thread's first yield. */
	assert_int_equal(c.ticks, 1000);
	assert_int_equal(sofsim_thread_join(t, SOFSIM_FOREVER), -ELOOP);
	assert_int_equal(c.ticks, 2000);
	sofsim_destroy(c.sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_errors_name_the_field),
		CARRIER_TESTS(test_contexts_are_independent),
		CARRIER_TESTS(test_host_join_runs_until_the_thread_ends),
		CARRIER_TESTS(test_abort_unwinds_at_the_blocking_point),
		CARRIER_TESTS(test_destroy_unwinds_threads_blocked_everywhere),
		CARRIER_TESTS(test_host_wake_ends_a_run_early),
		CARRIER_TESTS(test_thread_that_never_blocks_is_reported_as_livelock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
