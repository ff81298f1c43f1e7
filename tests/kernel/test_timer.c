/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Virtual time: k_timer one-shot and periodic expiries at exact times,
 * status counts and status_sync, stop and restart, how sofsim_run_until()
 * and sofsim_run_until_idle() move the clock (only when nothing can run),
 * and the exact frame/time conversions. Tests that involve emulated threads
 * run on both thread carriers; the conversions need no context.
 */
#include <errno.h>
#include <stdint.h>

#include "sim_test.h"

#define US SOFSIM_NSEC_PER_USEC
#define MS SOFSIM_NSEC_PER_MSEC
#define SEC SOFSIM_NSEC_PER_SEC

/* The conversions' oracle works in 128 bits, so it cannot share their overflow bugs. */
__extension__ typedef unsigned __int128 u128;

struct scene {
	struct sofsim *sim;
	struct test_trace tr;
	struct sofsim_timer *timer;
	uint64_t delay, period; /* schedule the expiry callback checks against */
	uint64_t start;         /* when the timer was started */
	uint64_t fired;         /* callbacks seen */
	uint64_t late;          /* callbacks not at start + delay + k * period (or wrong timer) */
	uint64_t in_thread;     /* callbacks that saw a current thread (must be 0: ISR context) */
	uint64_t last_ns;       /* time of the last callback */
	struct sofsim_sem *sem; /* never given */
	bool sync_twice;
};

static void scene_init(struct scene *s, void **state)
{
	s->sim = test_sim_create(carrier_of(state), "ptl", 1);
}

static unsigned long long now(struct scene *s)
{
	return (unsigned long long)sofsim_now(s->sim);
}

static void spawn(struct scene *s, const char *name, int prio, sofsim_thread_fn fn)
{
	struct sofsim_thread_attr attr = { .name = name, .prio = prio, .core = 0 };
	struct sofsim_thread *t = NULL;

	assert_int_equal(sofsim_thread_create(s->sim, &attr, fn, s, &t), 0);
}

static void on_expiry(struct sofsim_timer *timer, void *arg)
{
	struct scene *s = arg;
	uint64_t want = s->start + s->delay + s->fired * s->period;

	/* Only counters here: an assert must not fire on a pthread-carrier thread. */
	if (sofsim_now(s->sim) != want || timer != s->timer)
		s->late++;
	if (sofsim_thread_self(s->sim))
		s->in_thread++;
	s->fired++;
	s->last_ns = sofsim_now(s->sim);
}

/* Start the scene's timer now and remember the schedule the callback checks. */
static void start(struct scene *s, uint64_t delay, uint64_t period)
{
	s->start = sofsim_now(s->sim);
	s->delay = delay;
	s->period = period;
	s->fired = 0;
	sofsim_timer_start(s->timer, delay, period);
}

static void test_timer_create_rejects_bad_core(void **state)
{
	struct scene s = { 0 };
	struct sofsim_timer *t = NULL;

	scene_init(&s, state);
	assert_int_equal(sofsim_timer_create(s.sim, 5, on_expiry, &s, &t), -EINVAL); /* ptl: cores 0..4 */
	assert_int_equal(sofsim_timer_create(s.sim, 0, on_expiry, &s, NULL), -EINVAL);
	assert_null(t);
	assert_int_equal(sofsim_timer_create(s.sim, 4, NULL, NULL, &t), 0); /* no callback is fine */
	sofsim_timer_destroy(t);
	sofsim_timer_destroy(NULL);
	sofsim_destroy(s.sim);
}

static void test_one_shot_timer_fires_once_at_exact_delay_in_isr_context(void **state)
{
	struct scene s = { 0 };

	scene_init(&s, state);
	assert_int_equal(sofsim_timer_create(s.sim, 0, on_expiry, &s, &s.timer), 0);
	assert_int_equal(sofsim_run_until(s.sim, MS), 0);
	start(&s, 2500 * US, 0); /* due at 3.5 ms */
	assert_int_equal(sofsim_run_until(s.sim, 3500 * US - 1), 0);
	assert_int_equal(s.fired, 0);
	assert_int_equal(sofsim_run_until(s.sim, 3500 * US), 0); /* an event at the limit is processed */
	assert_int_equal(s.fired, 1);
	assert_int_equal(sofsim_run_until(s.sim, 100 * MS), 0);
	assert_int_equal(s.fired, 1);
	assert_int_equal(s.last_ns, 3500 * US);
	assert_int_equal(s.late, 0);
	assert_int_equal(s.in_thread, 0);
	assert_int_equal(sofsim_timer_status_get(s.timer), 1);
	assert_int_equal(sofsim_timer_status_get(s.timer), 0);
	sofsim_destroy(s.sim);
}

static void test_periodic_timer_does_not_drift_over_10000_periods(void **state)
{
	struct scene s = { 0 };
	/* 1/48000 s rounded down: a period that no coarser tick would keep exactly. */
	const uint64_t delay = 777, period = 20833;

	scene_init(&s, state);
	assert_int_equal(sofsim_timer_create(s.sim, 0, on_expiry, &s, &s.timer), 0);
	start(&s, delay, period);
	/* Expiry k (0-based) is due at delay + k * period; the 10,000th is k = 9999. */
	assert_int_equal(sofsim_run_until(s.sim, delay + 9999 * period), 0);
	assert_int_equal(s.fired, 10000);
	assert_int_equal(s.late, 0);
	assert_int_equal(s.last_ns, 777 + 9999 * 20833);
	assert_int_equal(sofsim_run_until(s.sim, delay + 10000 * period - 1), 0);
	assert_int_equal(s.fired, 10000);
	assert_int_equal(sofsim_timer_status_get(s.timer), 10000);
	sofsim_destroy(s.sim);
}

static void test_timer_status_counts_expiries_and_resets_on_read_and_start(void **state)
{
	struct scene s = { 0 };

	scene_init(&s, state);
	assert_int_equal(sofsim_timer_create(s.sim, 0, NULL, NULL, &s.timer), 0);
	sofsim_timer_start(s.timer, MS, MS);
	assert_int_equal(sofsim_run_until(s.sim, 3 * MS), 0); /* 1, 2 and 3 ms */
	assert_int_equal(sofsim_timer_status_get(s.timer), 3);
	assert_int_equal(sofsim_timer_status_get(s.timer), 0);
	assert_int_equal(sofsim_run_until(s.sim, 4500 * US), 0);
	assert_int_equal(sofsim_timer_status_get(s.timer), 1);
	assert_int_equal(sofsim_run_until(s.sim, 5 * MS), 0);
	sofsim_timer_start(s.timer, MS, 0); /* a start clears the count */
	assert_int_equal(sofsim_timer_status_get(s.timer), 0);
	/* From the host, status_sync cannot block: it just reads. */
	assert_int_equal(sofsim_timer_status_sync(s.timer), 0);
	assert_int_equal(sofsim_now(s.sim), 5 * MS);
	sofsim_destroy(s.sim);
}

static void syncer(void *arg)
{
	struct scene *s = arg;
	uint32_t n = sofsim_timer_status_sync(s->timer);

	trace_add(&s->tr, "sync=%u@%llu", n, now(s));
	if (!s->sync_twice)
		return;
	n = sofsim_timer_status_sync(s->timer); /* not armed any more: no wait */
	trace_add(&s->tr, "sync=%u@%llu", n, now(s));
}

static void test_timer_status_sync_blocks_thread_until_expiry(void **state)
{
	struct scene s = { 0 };

	scene_init(&s, state);
	assert_int_equal(sofsim_timer_create(s.sim, 0, NULL, NULL, &s.timer), 0);
	sofsim_timer_start(s.timer, 2 * MS, 0);
	s.sync_twice = true;
	spawn(&s, "syncer", 5, syncer);
	assert_int_equal(sofsim_run_until_idle(s.sim, SOFSIM_TIME_NEVER), 0);
	assert_string_equal(s.tr.text, "sync=1@2000000 sync=0@2000000 ");
	sofsim_destroy(s.sim);
}

static void stopper(void *arg)
{
	struct scene *s = arg;

	sofsim_sleep(s->sim, MS);
	sofsim_timer_stop(s->timer);
	trace_add(&s->tr, "stopped@%llu", now(s));
}

static void test_timer_status_sync_returns_zero_when_stopped(void **state)
{
	struct scene s = { 0 };

	scene_init(&s, state);
	assert_int_equal(sofsim_timer_create(s.sim, 0, NULL, NULL, &s.timer), 0);
	sofsim_timer_start(s.timer, 5 * MS, 0);
	s.sync_twice = true;
	spawn(&s, "syncer", 5, syncer);
	spawn(&s, "stopper", 4, stopper);
	assert_int_equal(sofsim_run_until_idle(s.sim, SOFSIM_TIME_NEVER), 0);
	/* The stopper outranks the syncer, so it traces first; nothing ever expires. */
	assert_string_equal(s.tr.text, "stopped@1000000 sync=0@1000000 sync=0@1000000 ");
	assert_int_equal(sofsim_now(s.sim), MS);
	sofsim_destroy(s.sim);
}

static void test_timer_destroy_wakes_sync_waiter_with_zero(void **state)
{
	struct scene s = { 0 };
	struct sofsim_timer *other = NULL;
	char trace[sizeof(s.tr.text)];
	uint32_t other_status;
	bool ended;

	scene_init(&s, state);
	assert_int_equal(sofsim_timer_create(s.sim, 0, NULL, NULL, &s.timer), 0);
	sofsim_timer_start(s.timer, 5 * MS, 0);
	spawn(&s, "syncer", 5, syncer);
	assert_int_equal(sofsim_run_until(s.sim, MS), 0);
	sofsim_timer_destroy(s.timer);
	/* A new timer that has expired once; the woken waiter must not touch either timer. */
	assert_int_equal(sofsim_timer_create(s.sim, 0, NULL, NULL, &other), 0);
	sofsim_timer_start(other, 0, 0);
	assert_int_equal(sofsim_run_until(s.sim, MS), 0);
	memcpy(trace, s.tr.text, sizeof(trace));
	other_status = sofsim_timer_status_get(other);
	ended = s.tr.len > 0;
	sofsim_destroy(s.sim); /* before asserting, so a failure leaves no threads behind */
	assert_true(ended);
	assert_string_equal(trace, "sync=0@1000000 ");
	assert_int_equal(other_status, 1);
}

static void test_timer_stop_prevents_further_expiries(void **state)
{
	struct scene s = { 0 };

	scene_init(&s, state);
	assert_int_equal(sofsim_timer_create(s.sim, 0, on_expiry, &s, &s.timer), 0);
	start(&s, MS, MS);
	assert_int_equal(sofsim_run_until(s.sim, 2 * MS), 0);
	assert_int_equal(s.fired, 2);
	sofsim_timer_stop(s.timer);
	sofsim_timer_stop(s.timer); /* stopping a stopped timer is harmless */
	assert_int_equal(sofsim_run_until(s.sim, 10 * MS), 0);
	assert_int_equal(s.fired, 2);
	assert_int_equal(sofsim_timer_status_get(s.timer), 2); /* stop keeps the unread count */
	assert_int_equal(sofsim_run_until_idle(s.sim, SOFSIM_TIME_NEVER), 0); /* nothing armed */
	assert_int_equal(sofsim_now(s.sim), 10 * MS);
	sofsim_destroy(s.sim);
}

static void test_timer_restart_rearms_from_the_time_of_the_restart(void **state)
{
	struct scene s = { 0 };

	scene_init(&s, state);
	assert_int_equal(sofsim_timer_create(s.sim, 0, on_expiry, &s, &s.timer), 0);
	start(&s, 5 * MS, MS);
	assert_int_equal(sofsim_run_until(s.sim, 2 * MS), 0);
	start(&s, 5 * MS, 0); /* due at 7 ms, one-shot now: the 5 ms expiry is gone */
	assert_int_equal(sofsim_run_until(s.sim, 7 * MS - 1), 0);
	assert_int_equal(s.fired, 0);
	assert_int_equal(sofsim_run_until_idle(s.sim, SOFSIM_TIME_NEVER), 0);
	assert_int_equal(s.fired, 1);
	assert_int_equal(s.late, 0);
	assert_int_equal(sofsim_now(s.sim), 7 * MS);
	sofsim_destroy(s.sim);
}

static void host_api_from_thread(void *arg)
{
	struct scene *s = arg;

	int run = sofsim_run_until(s->sim, MS);
	int idle = sofsim_run_until_idle(s->sim, SOFSIM_TIME_NEVER);

	trace_add(&s->tr, "run-eperm=%d idle-eperm=%d", run == -EPERM, idle == -EPERM);
}

static void test_run_until_moves_now_to_exactly_t(void **state)
{
	struct scene s = { 0 };

	scene_init(&s, state);
	assert_int_equal(sofsim_run_until(s.sim, 12345), 0);
	assert_int_equal(sofsim_now(s.sim), 12345);
	assert_int_equal(sofsim_run_until(s.sim, 100), 0); /* earlier means now: time never goes back */
	assert_int_equal(sofsim_now(s.sim), 12345);
	spawn(&s, "t", 5, host_api_from_thread);
	assert_int_equal(sofsim_run_until(s.sim, 20000), 0);
	assert_int_equal(sofsim_now(s.sim), 20000);
	assert_string_equal(s.tr.text, "run-eperm=1 idle-eperm=1 ");
	sofsim_destroy(s.sim);
}

static void sleeper(void *arg)
{
	struct scene *s = arg;

	sofsim_sleep(s->sim, 3 * MS);
	trace_add(&s->tr, "woke@%llu", now(s));
}

static void blocker(void *arg)
{
	struct scene *s = arg;

	sofsim_sem_take(s->sem, SOFSIM_FOREVER);
	trace_add(&s->tr, "blocker woke");
}

static void test_run_until_idle_stops_where_the_last_event_left_time(void **state)
{
	struct scene s = { 0 };

	scene_init(&s, state);
	assert_int_equal(sofsim_run_until_idle(s.sim, SOFSIM_TIME_NEVER), 0);
	assert_int_equal(sofsim_now(s.sim), 0);
	/* A thread blocked without a timeout counts as idle. */
	assert_int_equal(sofsim_sem_create(s.sim, 0, 1, &s.sem), 0);
	spawn(&s, "blocker", 5, blocker);
	spawn(&s, "sleeper", 5, sleeper);
	assert_int_equal(sofsim_timer_create(s.sim, 0, on_expiry, &s, &s.timer), 0);
	start(&s, 5 * MS, 0);
	assert_int_equal(sofsim_run_until_idle(s.sim, 100 * MS), 0);
	assert_string_equal(s.tr.text, "woke@3000000 ");
	assert_int_equal(s.fired, 1);
	assert_int_equal(sofsim_now(s.sim), 5 * MS); /* not the 100 ms limit */
	sofsim_destroy(s.sim);
}

static void test_run_until_idle_times_out_at_limit_with_periodic_timer(void **state)
{
	struct scene s = { 0 };

	scene_init(&s, state);
	assert_int_equal(sofsim_timer_create(s.sim, 0, on_expiry, &s, &s.timer), 0);
	start(&s, MS, MS);
	assert_int_equal(sofsim_run_until_idle(s.sim, 10500 * US), -ETIMEDOUT);
	assert_int_equal(sofsim_now(s.sim), 10500 * US);
	assert_int_equal(s.fired, 10); /* 1..10 ms */
	assert_int_equal(s.late, 0);
	sofsim_destroy(s.sim);
}

static void busy_yielder(void *arg)
{
	struct scene *s = arg;
	unsigned moved = 0;

	for (int i = 0; i < 1000; i++) {
		sofsim_yield(s->sim);
		moved += sofsim_now(s->sim) != 0;
	}
	trace_add(&s->tr, "moved=%u fired=%llu", moved, (unsigned long long)s->fired);
}

static void test_time_stands_still_while_a_thread_stays_runnable(void **state)
{
	struct scene s = { 0 };

	scene_init(&s, state);
	assert_int_equal(sofsim_timer_create(s.sim, 0, on_expiry, &s, &s.timer), 0);
	start(&s, 1, 0); /* due 1 ns later: only reachable once nothing can run */
	spawn(&s, "busy", 5, busy_yielder);
	assert_int_equal(sofsim_run_until_idle(s.sim, SOFSIM_TIME_NEVER), 0);
	assert_string_equal(s.tr.text, "moved=0 fired=0 ");
	assert_int_equal(s.fired, 1);
	assert_int_equal(sofsim_now(s.sim), 1);
	sofsim_destroy(s.sim);
}

/* ---- frame/time conversions (no context) ---- */

static uint64_t oracle_frames(uint32_t rate, uint64_t ns)
{
	return (uint64_t)((u128)ns * rate / SEC);
}

static uint64_t oracle_ns(uint32_t rate, uint64_t frames)
{
	return (uint64_t)(((u128)frames * SEC + rate - 1) / rate);
}

static void test_frames_in_and_ns_for_frames_match_hand_values(void **state)
{
	(void)state;
	assert_int_equal(sofsim_frames_in(44100, 10 * SEC), 441000);
	assert_int_equal(sofsim_frames_in(48000, SEC), 48000);
	assert_int_equal(sofsim_frames_in(48000, MS), 48);
	assert_int_equal(sofsim_frames_in(44100, MS), 44); /* 44.1 floors */
	/* One frame at 44.1 kHz lasts 22675.73 ns. */
	assert_int_equal(sofsim_frames_in(44100, 22675), 0);
	assert_int_equal(sofsim_frames_in(44100, 22676), 1);
	assert_int_equal(sofsim_ns_for_frames(44100, 1), 22676);
	assert_int_equal(sofsim_ns_for_frames(48000, 1), 20834); /* 20833.3 rounds up */
	assert_int_equal(sofsim_ns_for_frames(48000, 48), MS);
	assert_int_equal(sofsim_ns_for_frames(44100, 441), 10 * MS);
	assert_int_equal(sofsim_ns_for_frames(44100, 441000), 10 * SEC);
	assert_int_equal(sofsim_ns_for_frames(44100, 0), 0);
	assert_int_equal(sofsim_frames_in(8000, 0), 0);
}

static void test_1ms_periods_at_44100_give_44_nine_times_then_45(void **state)
{
	uint64_t sum = 0, prev = 0;
	unsigned n45 = 0;

	(void)state;
	/*
	 * Frames by the end of period k are floor(44.1 k): 44, 88, ... 396, 441.
	 * The 0.1 k remainder crosses a whole frame only at k = 10, so each
	 * 10 ms is nine 44-frame periods and one 45-frame period.
	 */
	for (uint64_t k = 1; k <= 1000; k++) {
		uint64_t total = sofsim_frames_in(44100, k * MS);
		uint64_t got = total - prev;

		assert_int_equal(got, k % 10 ? 44 : 45);
		n45 += got == 45;
		sum += got;
		prev = total;
		if (k == 10)
			assert_int_equal(sum, 441);
	}
	assert_int_equal(sum, 44100);
	assert_int_equal(n45, 100);
}

static void test_frame_time_round_trip_for_many_counts_and_rates(void **state)
{
	static const uint32_t rates[] = { 8000,  11025, 12000, 16000, 22050,  24000,  32000,
					  44100, 48000, 64000, 88200, 96000, 176400, 192000 };
	unsigned bad = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(rates) / sizeof(rates[0]); i++) {
		uint32_t rate = rates[i];

		for (uint64_t n = 1; n <= 3 * rate; n += n < 2000 ? 1 : 97) {
			uint64_t ns = sofsim_ns_for_frames(rate, n);

			/* n frames exist at ns, not one nanosecond earlier. */
			bad += sofsim_frames_in(rate, ns) < n;
			bad += sofsim_frames_in(rate, ns - 1) >= n;
			bad += ns != oracle_ns(rate, n);
			bad += sofsim_frames_in(rate, n * 7919) != oracle_frames(rate, n * 7919);
		}
	}
	assert_int_equal(bad, 0);
}

static void test_frame_conversions_handle_hours_and_centuries(void **state)
{
	const uint64_t hour = 3600 * SEC;
	const uint64_t centuries = UINT64_C(500) * 365 * 86400 * SEC; /* 1.5768e19 ns, fits in 64 bits */

	(void)state;
	assert_int_equal(sofsim_frames_in(192000, 10 * hour), UINT64_C(6912000000));
	assert_int_equal(sofsim_ns_for_frames(192000, UINT64_C(6912000000)), 10 * hour);
	assert_int_equal(sofsim_frames_in(44100, 24 * hour + 1), UINT64_C(3810240000));
	assert_int_equal(sofsim_ns_for_frames(44100, UINT64_C(3810240001)), 24 * hour + 22676);
	assert_int_equal(sofsim_frames_in(192000, centuries), UINT64_C(3027456000000000));
	assert_int_equal(sofsim_ns_for_frames(192000, UINT64_C(3027456000000000)), centuries);
	assert_int_equal(sofsim_frames_in(44100, UINT64_MAX), oracle_frames(44100, UINT64_MAX));
	assert_int_equal(sofsim_ns_for_frames(44100, oracle_frames(44100, UINT64_MAX)),
			 oracle_ns(44100, oracle_frames(44100, UINT64_MAX)));
	assert_int_equal(sofsim_frames_in(192000, UINT64_MAX), oracle_frames(192000, UINT64_MAX));
}

struct pace_log {
	uint64_t from[8], to[8];
	unsigned n;
};

static void record_pace(void *arg, uint64_t from, uint64_t to)
{
	struct pace_log *log = arg;

	if (log->n < 8) {
		log->from[log->n] = from;
		log->to[log->n] = to;
	}
	log->n++;
}

static void sleep_3ms(void *arg)
{
	sofsim_sleep(arg, 3 * MS);
}

/* The pacing hook sees every jump of virtual time, before it happens, and only jumps. */
static void test_pacing_hook_sees_each_time_jump(void **state)
{
	struct sofsim_config cfg;
	struct pace_log log = { .n = 0 };
	struct sofsim *sim;
	struct sofsim_thread_attr a = { .name = "sleeper", .prio = 1, .core = 0 };
	struct sofsim_thread *t;

	sofsim_config_init(&cfg);
	cfg.threads = carrier_of(state);
	cfg.pace = record_pace;
	cfg.pace_arg = &log;
	assert_int_equal(sofsim_create(&sim, &cfg, NULL, 0), 0);
	assert_int_equal(sofsim_thread_create(sim, &a, sleep_3ms, sim, &t), 0);
	/* Jumps: 0 -> 3 ms (the sleeper's timeout), then 3 ms -> 10 ms (the run's end). */
	assert_int_equal(sofsim_run_until(sim, 10 * MS), 0);
	assert_int_equal(log.n, 2);
	assert_int_equal(log.from[0], 0);
	assert_int_equal(log.to[0], 3 * MS);
	assert_int_equal(log.from[1], 3 * MS);
	assert_int_equal(log.to[1], 10 * MS);
	/* Running to "now" jumps nowhere. */
	assert_int_equal(sofsim_run_until(sim, 10 * MS), 0);
	assert_int_equal(log.n, 2);
	sofsim_destroy(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CARRIER_TESTS(test_timer_create_rejects_bad_core),
		CARRIER_TESTS(test_pacing_hook_sees_each_time_jump),
		CARRIER_TESTS(test_one_shot_timer_fires_once_at_exact_delay_in_isr_context),
		CARRIER_TESTS(test_periodic_timer_does_not_drift_over_10000_periods),
		CARRIER_TESTS(test_timer_status_counts_expiries_and_resets_on_read_and_start),
		CARRIER_TESTS(test_timer_status_sync_blocks_thread_until_expiry),
		CARRIER_TESTS(test_timer_status_sync_returns_zero_when_stopped),
		CARRIER_TESTS(test_timer_destroy_wakes_sync_waiter_with_zero),
		CARRIER_TESTS(test_timer_stop_prevents_further_expiries),
		CARRIER_TESTS(test_timer_restart_rearms_from_the_time_of_the_restart),
		CARRIER_TESTS(test_run_until_moves_now_to_exactly_t),
		CARRIER_TESTS(test_run_until_idle_stops_where_the_last_event_left_time),
		CARRIER_TESTS(test_run_until_idle_times_out_at_limit_with_periodic_timer),
		CARRIER_TESTS(test_time_stands_still_while_a_thread_stays_runnable),
		cmocka_unit_test(test_frames_in_and_ns_for_frames_match_hand_values),
		cmocka_unit_test(test_1ms_periods_at_44100_give_44_nine_times_then_45),
		cmocka_unit_test(test_frame_time_round_trip_for_many_counts_and_rates),
		cmocka_unit_test(test_frame_conversions_handle_hours_and_centuries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
