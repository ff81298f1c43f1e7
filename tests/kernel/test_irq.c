/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Interrupts: connecting and raising lines, ISRs running in interrupt
 * context at scheduling points, per-core masking with nestable irq_lock keys
 * (held per thread, so blocking unmasks the core), lowest line first, ISRs
 * waking threads, and ISRs never blocking. Every test runs on both thread
 * carriers; ISRs and threads only record, the host asserts.
 */
#include <errno.h>
#include <stdint.h>

#include "sim_test.h"

#define MS SOFSIM_NSEC_PER_MSEC

struct scene;

struct line {
	struct scene *s;
	unsigned n;
};

struct scene {
	struct sofsim *sim;
	struct test_trace tr;
	struct line line[SOFSIM_IRQ_LINES];
	struct sofsim_sem *sem;
	struct sofsim_sem *spare; /* given only to make a scheduling point */
	struct sofsim_timer *timer[2];
	struct sofsim_thread *victim;
	struct sofsim_mutex *mtx;
	struct sofsim_kevent *ev;
	unsigned isr_saw_thread; /* ISRs in which sofsim_thread_self() was not NULL */
};

static void scene_init(struct scene *s, void **state)
{
	s->sim = test_sim_create(carrier_of(state), "ptl", 1);
	for (unsigned i = 0; i < SOFSIM_IRQ_LINES; i++)
		s->line[i] = (struct line){ .s = s, .n = i };
	assert_int_equal(sofsim_sem_create(s->sim, 0, 10, &s->sem), 0);
	assert_int_equal(sofsim_sem_create(s->sim, 0, 1000, &s->spare), 0);
}

static struct sofsim_thread *spawn(struct scene *s, const char *name, int prio, unsigned core,
				   sofsim_thread_fn fn)
{
	struct sofsim_thread_attr attr = { .name = name, .prio = prio, .core = core };
	struct sofsim_thread *t = NULL;

	assert_int_equal(sofsim_thread_create(s->sim, &attr, fn, s, &t), 0);
	return t;
}

static const char *rc(int ret)
{
	switch (ret) {
	case 0: return "0";
	case -EBUSY: return "EBUSY";
	case -EPERM: return "EPERM";
	case -EINVAL: return "EINVAL";
	default: return "unexpected";
	}
}

static void isr_trace(void *arg)
{
	struct line *l = arg;

	if (sofsim_thread_self(l->s->sim))
		l->s->isr_saw_thread++;
	trace_add(&l->s->tr, "isr%u", l->n);
}

static void wire(struct scene *s, unsigned line, unsigned core, sofsim_isr_fn isr)
{
	assert_int_equal(sofsim_irq_connect(s->sim, line, core, isr, &s->line[line]), 0);
}

static void test_irq_connect_and_raise_reject_bad_arguments(void **state)
{
	struct scene s = { 0 };

	scene_init(&s, state);
	assert_int_equal(sofsim_irq_connect(s.sim, SOFSIM_IRQ_LINES, 0, isr_trace, NULL), -EINVAL);
	assert_int_equal(sofsim_irq_connect(s.sim, 0, 5, isr_trace, NULL), -EINVAL); /* ptl: cores 0..4 */
	assert_int_equal(sofsim_irq_connect(s.sim, 0, 0, NULL, NULL), -EINVAL);
	wire(&s, 0, 4, isr_trace);
	assert_int_equal(sofsim_irq_connect(s.sim, 0, 1, isr_trace, NULL), -EBUSY);
	assert_int_equal(sofsim_irq_raise(s.sim, 31), -EINVAL); /* not connected */
	assert_int_equal(sofsim_irq_raise(s.sim, SOFSIM_IRQ_LINES), -EINVAL);
	assert_int_equal(sofsim_irq_disconnect(s.sim, 31), -EINVAL);
	assert_int_equal(sofsim_irq_disconnect(s.sim, SOFSIM_IRQ_LINES), -EINVAL);
	/* Disconnecting drops a pending request; the line can be connected again. */
	assert_int_equal(sofsim_irq_raise(s.sim, 0), 0);
	assert_int_equal(sofsim_irq_disconnect(s.sim, 0), 0);
	assert_int_equal(sofsim_irq_raise(s.sim, 0), -EINVAL);
	wire(&s, 0, 0, isr_trace);
	wire(&s, 31, 0, isr_trace);
	assert_int_equal(sofsim_run_until(s.sim, MS), 0);
	assert_string_equal(s.tr.text, "");
	sofsim_destroy(s.sim);
}

static void test_irq_connect_checks_core_against_the_profile(void **state)
{
	struct sofsim *sim = test_sim_create(carrier_of(state), "mtl", 1);

	assert_int_equal(sofsim_irq_connect(sim, 1, 3, isr_trace, NULL), -EINVAL); /* mtl: cores 0..2 */
	assert_int_equal(sofsim_irq_connect(sim, 1, 2, isr_trace, NULL), 0);
	sofsim_destroy(sim);
}

static void tracer(void *arg)
{
	struct scene *s = arg;

	trace_add(&s->tr, "%s", sofsim_thread_name(sofsim_thread_self(s->sim)));
}

static void test_isr_raised_from_host_runs_first_in_next_run_in_isr_context(void **state)
{
	struct scene s = { 0 };
	struct sofsim_stats st;

	scene_init(&s, state);
	wire(&s, 3, 0, isr_trace);
	spawn(&s, "T", -16, 0, tracer); /* even the most urgent thread comes after the ISR */
	assert_int_equal(sofsim_irq_raise(s.sim, 3), 0);
	assert_string_equal(s.tr.text, ""); /* nothing runs outside a run */
	sofsim_stats_get(s.sim, &st);
	assert_int_equal(st.isrs, 0);
	assert_int_equal(sofsim_run_until(s.sim, 0), 0);
	assert_string_equal(s.tr.text, "isr3 T ");
	assert_int_equal(s.isr_saw_thread, 0);
	sofsim_stats_get(s.sim, &st);
	assert_int_equal(st.isrs, 1);
	sofsim_destroy(s.sim);
}

static void locker(void *arg)
{
	struct scene *s = arg;
	unsigned key = sofsim_irq_lock(s->sim);

	trace_add(&s->tr, "key=%u", key);
	sofsim_irq_raise(s->sim, 3); /* core 0: ours, masked */
	sofsim_irq_raise(s->sim, 4); /* core 1: delivered at this scheduling point */
	trace_add(&s->tr, "locked");
	sofsim_irq_unlock(s->sim, key);
	trace_add(&s->tr, "unlocked");
}

static void test_irq_lock_holds_own_core_isr_until_unlock_but_not_other_cores(void **state)
{
	struct scene s = { 0 };

	scene_init(&s, state);
	wire(&s, 3, 0, isr_trace);
	wire(&s, 4, 1, isr_trace);
	spawn(&s, "L", 5, 0, locker);
	assert_int_equal(sofsim_run_until_idle(s.sim, SOFSIM_TIME_NEVER), 0);
	/* Unlocking to key 0 is a scheduling point: isr3 runs inside the unlock call. */
	assert_string_equal(s.tr.text, "key=0 isr4 locked isr3 unlocked ");
	sofsim_destroy(s.sim);
}

static void nested_locker(void *arg)
{
	struct scene *s = arg;
	unsigned k1 = sofsim_irq_lock(s->sim);
	unsigned k2 = sofsim_irq_lock(s->sim);

	trace_add(&s->tr, "k1=%u k2=%u", k1, k2);
	sofsim_irq_raise(s->sim, 3);
	sofsim_irq_unlock(s->sim, k2);
	trace_add(&s->tr, "inner");
	sofsim_sem_give(s->spare); /* a scheduling point with the outer lock still held */
	trace_add(&s->tr, "still");
	sofsim_irq_unlock(s->sim, k1);
	trace_add(&s->tr, "outer");
}

static void test_irq_lock_nests_and_only_the_outermost_unlock_unmasks(void **state)
{
	struct scene s = { 0 };

	scene_init(&s, state);
	wire(&s, 3, 0, isr_trace);
	spawn(&s, "N", 5, 0, nested_locker);
	assert_int_equal(sofsim_run_until_idle(s.sim, SOFSIM_TIME_NEVER), 0);
	assert_string_equal(s.tr.text, "k1=0 k2=1 inner still isr3 outer ");
	sofsim_destroy(s.sim);
}

static void blocking_locker(void *arg)
{
	struct scene *s = arg;
	unsigned key = sofsim_irq_lock(s->sim);

	sofsim_irq_raise(s->sim, 3);
	trace_add(&s->tr, "T0-locked");
	sofsim_sem_take(s->sem, SOFSIM_FOREVER); /* the core is unmasked while we wait */
	trace_add(&s->tr, "T0-woke");
	sofsim_irq_raise(s->sim, 3); /* our lock is back in force */
	trace_add(&s->tr, "T0-masked");
	sofsim_irq_unlock(s->sim, key);
	trace_add(&s->tr, "T0-unlocked");
}

static void plain_giver(void *arg)
{
	struct scene *s = arg;

	trace_add(&s->tr, "T1");
	sofsim_sem_give(s->sem); /* T0 outranks us and resumes here */
	trace_add(&s->tr, "T1-end");
}

static void test_thread_blocking_under_irq_lock_does_not_mask_its_core(void **state)
{
	struct scene s = { 0 };

	scene_init(&s, state);
	wire(&s, 3, 0, isr_trace);
	spawn(&s, "T0", 5, 0, blocking_locker);
	spawn(&s, "T1", 6, 0, plain_giver);
	assert_int_equal(sofsim_run_until_idle(s.sim, SOFSIM_TIME_NEVER), 0);
	/* Zephyr keeps the lock per thread: it is dropped while T0 is switched out. */
	assert_string_equal(s.tr.text, "T0-locked isr3 T1 T0-woke T0-masked isr3 T0-unlocked T1-end ");
	sofsim_destroy(s.sim);
}

static void high_waiter(void *arg)
{
	struct scene *s = arg;

	sofsim_sem_take(s->sem, SOFSIM_FOREVER);
	trace_add(&s->tr, "W");
}

static void locked_giver(void *arg)
{
	struct scene *s = arg;
	unsigned key = sofsim_irq_lock(s->sim);

	sofsim_sem_give(s->sem); /* readies W, which outranks us */
	trace_add(&s->tr, "G-after-give");
	sofsim_irq_unlock(s->sim, key);
	trace_add(&s->tr, "G-unlocked");
}

static void test_irq_lock_defers_preemption_until_unlock(void **state)
{
	struct scene s = { 0 };

	scene_init(&s, state);
	spawn(&s, "W", 2, 0, high_waiter);
	assert_int_equal(sofsim_run_until(s.sim, 0), 0);
	spawn(&s, "G", 9, 0, locked_giver);
	assert_int_equal(sofsim_run_until_idle(s.sim, SOFSIM_TIME_NEVER), 0);
	/*
	 * Zephyr's z_reschedule() does not switch while the caller's key has
	 * interrupts locked; the model's unlock to key 0 is a scheduling point
	 * (kernel.h), so W runs inside it.
	 */
	assert_string_equal(s.tr.text, "G-after-give W G-unlocked ");
	sofsim_destroy(s.sim);
}

static void isr_raises_line1(void *arg)
{
	struct line *l = arg;

	isr_trace(arg);
	if (sofsim_irq_raise(l->s->sim, 1) != 0)
		trace_add(&l->s->tr, "raise-failed");
}

static void test_lower_lines_are_delivered_first(void **state)
{
	struct scene s = { 0 };

	scene_init(&s, state);
	wire(&s, 1, 0, isr_trace);
	wire(&s, 2, 0, isr_trace);
	wire(&s, 5, 0, isr_raises_line1);
	wire(&s, 7, 0, isr_trace);
	assert_int_equal(sofsim_irq_raise(s.sim, 7), 0);
	assert_int_equal(sofsim_irq_raise(s.sim, 2), 0);
	assert_int_equal(sofsim_irq_raise(s.sim, 5), 0);
	assert_int_equal(sofsim_irq_raise(s.sim, 5), 0); /* a raised line is pending once */
	assert_int_equal(sofsim_run_until(s.sim, 0), 0);
	/* Line 1, raised by isr5, is the lowest pending when isr5 returns: ahead of 7. */
	assert_string_equal(s.tr.text, "isr2 isr5 isr1 isr7 ");
	sofsim_destroy(s.sim);
}

static void isr_gives(void *arg)
{
	struct line *l = arg;

	isr_trace(arg);
	sofsim_sem_give(l->s->sem);
}

static void sem_waiter(void *arg)
{
	struct scene *s = arg;

	for (int i = 0; i < 2; i++) {
		int ret = sofsim_sem_take(s->sem, SOFSIM_FOREVER);

		trace_add(&s->tr, "W=%s@%llu", rc(ret), (unsigned long long)sofsim_now(s->sim));
	}
}

static void low_raiser(void *arg)
{
	struct scene *s = arg;

	trace_add(&s->tr, "L:raise");
	sofsim_irq_raise(s->sim, 6);
	trace_add(&s->tr, "L:after");
}

static void test_isr_giving_semaphore_wakes_waiting_thread(void **state)
{
	struct scene s = { 0 };

	scene_init(&s, state);
	wire(&s, 6, 0, isr_gives);
	spawn(&s, "W", 5, 0, sem_waiter);
	assert_int_equal(sofsim_run_until(s.sim, 3 * MS), 0);
	assert_int_equal(sofsim_irq_raise(s.sim, 6), 0);
	assert_int_equal(sofsim_run_until(s.sim, 4 * MS), 0);
	assert_string_equal(s.tr.text, "isr6 W=0@3000000 ");
	/* From a lower-priority thread: the woken waiter preempts it right after the ISR. */
	spawn(&s, "L", 9, 0, low_raiser);
	assert_int_equal(sofsim_run_until_idle(s.sim, SOFSIM_TIME_NEVER), 0);
	assert_string_equal(s.tr.text, "isr6 W=0@3000000 L:raise isr6 W=0@4000000 L:after ");
	sofsim_destroy(s.sim);
}

static void isr_tries_to_block(void *arg)
{
	struct line *l = arg;
	struct scene *s = l->s;
	struct sofsim_sys_sem ss;
	atomic_int word;
	uint64_t t0 = sofsim_now(s->sim);

	/* Registered, so the futex paths get as far as "may not block". */
	atomic_init(&word, 0);
	assert_int_equal(sofsim_futex_define(s->sim, &word), 0);
	assert_int_equal(sofsim_sys_sem_define(s->sim, &ss, 0, 1), 0);
	trace_add(&s->tr, "take=%s", rc(sofsim_sem_take(s->sem, MS)));
	trace_add(&s->tr, "sleep=%s", rc(sofsim_sleep(s->sim, MS)));
	trace_add(&s->tr, "lock=%s", rc(sofsim_mutex_lock(s->mtx, SOFSIM_FOREVER)));
	trace_add(&s->tr, "futex=%s", rc(sofsim_futex_wait(s->sim, &word, 0, MS)));
	trace_add(&s->tr, "sys_sem=%s", rc(sofsim_sys_sem_take(s->sim, &ss, SOFSIM_FOREVER)));
	trace_add(&s->tr, "join=%s", rc(sofsim_thread_join(s->victim, SOFSIM_FOREVER)));
	trace_add(&s->tr, "event=0x%x", sofsim_kevent_wait(s->ev, 0x1, 0, MS));
	sofsim_sem_give(s->spare);
	trace_add(&s->tr, "take-available=%s", rc(sofsim_sem_take(s->spare, MS))); /* no wait needed */
	trace_add(&s->tr, "time-moved=%d", sofsim_now(s->sim) != t0);
}

static void test_isr_never_blocks(void **state)
{
	struct scene s = { 0 };

	scene_init(&s, state);
	wire(&s, 9, 0, isr_tries_to_block);
	assert_int_equal(sofsim_mutex_create(s.sim, &s.mtx), 0);
	assert_int_equal(sofsim_kevent_create(s.sim, &s.ev), 0);
	s.victim = spawn(&s, "V", 5, 0, sem_waiter);
	assert_int_equal(sofsim_run_until(s.sim, MS), 0);
	assert_int_equal(sofsim_irq_raise(s.sim, 9), 0);
	assert_int_equal(sofsim_run_until(s.sim, MS), 0);
	assert_string_equal(s.tr.text, "take=EBUSY sleep=EBUSY lock=EBUSY futex=EBUSY sys_sem=EBUSY "
				       "join=EBUSY event=0x0 take-available=0 time-moved=0 ");
	assert_false(sofsim_thread_ended(s.victim));
	sofsim_destroy(s.sim);
}

static void on_tick(struct sofsim_timer *timer, void *arg)
{
	struct scene *s = arg;

	trace_add(&s->tr, "tick%d", timer == s->timer[0] ? 0 : 1);
}

static void timer_locker(void *arg)
{
	struct scene *s = arg;
	unsigned key = sofsim_irq_lock(s->sim);

	sofsim_timer_start(s->timer[0], 0, 0); /* due now, on our masked core 0 */
	sofsim_timer_start(s->timer[1], 0, 0); /* due now, on core 1 */
	sofsim_sem_give(s->spare);              /* scheduling point */
	trace_add(&s->tr, "locked");
	sofsim_irq_unlock(s->sim, key);
	trace_add(&s->tr, "unlocked");
}

static void test_timer_expiry_on_masked_core_waits_for_irq_unlock(void **state)
{
	struct scene s = { 0 };

	scene_init(&s, state);
	assert_int_equal(sofsim_timer_create(s.sim, 0, on_tick, &s, &s.timer[0]), 0);
	assert_int_equal(sofsim_timer_create(s.sim, 1, on_tick, &s, &s.timer[1]), 0);
	spawn(&s, "L", -1, 0, timer_locker);
	assert_int_equal(sofsim_run_until_idle(s.sim, SOFSIM_TIME_NEVER), 0);
	assert_string_equal(s.tr.text, "tick1 locked tick0 unlocked ");
	assert_int_equal(sofsim_now(s.sim), 0);
	sofsim_destroy(s.sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CARRIER_TESTS(test_irq_connect_and_raise_reject_bad_arguments),
		CARRIER_TESTS(test_irq_connect_checks_core_against_the_profile),
		CARRIER_TESTS(test_isr_raised_from_host_runs_first_in_next_run_in_isr_context),
		CARRIER_TESTS(test_irq_lock_holds_own_core_isr_until_unlock_but_not_other_cores),
		CARRIER_TESTS(test_irq_lock_nests_and_only_the_outermost_unlock_unmasks),
		CARRIER_TESTS(test_thread_blocking_under_irq_lock_does_not_mask_its_core),
		CARRIER_TESTS(test_irq_lock_defers_preemption_until_unlock),
		CARRIER_TESTS(test_lower_lines_are_delivered_first),
		CARRIER_TESTS(test_isr_giving_semaphore_wakes_waiting_thread),
		CARRIER_TESTS(test_isr_never_blocks),
		CARRIER_TESTS(test_timer_expiry_on_masked_core_waits_for_irq_unlock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
