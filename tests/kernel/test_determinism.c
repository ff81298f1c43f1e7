/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Determinism: one emulated thread at a time even when hand-offs are
 * delayed at random; the same seed gives byte-identical event logs in two
 * contexts, two processes (ASLR on) and both thread carriers; different
 * seeds interleave two cores differently.
 */
#include <errno.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sim_test.h"

#include "kernel/kernel_priv.h"

extern char **environ;

/* ---- the one-at-a-time invariant under random host delays ---- */

struct jitter {
	unsigned rng;
	unsigned calls;
};

static void random_delay(void *arg)
{
	struct jitter *j = arg;

	j->calls++;
	j->rng = j->rng * 1103515245u + 12345u;
	if ((j->rng >> 16) % 4 == 0)
		usleep((j->rng >> 20) % 20);
}

struct pingpong {
	struct sofsim *sim;
	struct sofsim_sem *ping, *pong;
	unsigned rounds;
};

static void pinger(void *arg)
{
	struct pingpong *p = arg;

	for (unsigned i = 0; i < p->rounds; i++) {
		sofsim_sem_give(p->ping);
		sofsim_sem_take(p->pong, SOFSIM_FOREVER);
	}
}

static void ponger(void *arg)
{
	struct pingpong *p = arg;

	for (;;) {
		sofsim_sem_take(p->ping, SOFSIM_FOREVER);
		sofsim_sleep(p->sim, 1000);
		sofsim_sem_give(p->pong);
	}
}

static void test_one_thread_inside_with_random_handoff_delays(void **state)
{
	struct jitter j = { .rng = 12345 };
	uint64_t handoffs = 0;

	(void)state;
	for (int run = 0; run < 1000; run++) {
		struct sofsim_config cfg;
		struct sofsim_stats st;
		struct pingpong p = { .rounds = 3 };
		struct sofsim_thread_attr a = { .name = "pinger", .prio = 2, .core = 0 };
		struct sofsim_thread_attr b = { .name = "ponger", .prio = 1, .core = (unsigned)run % 2 };
		struct sofsim_thread *t;

		sofsim_config_init(&cfg);
		cfg.threads = SOFSIM_THREADS_PTHREAD;
		cfg.handoff_hook = random_delay;
		cfg.handoff_hook_arg = &j;
		cfg.evlog_capacity = 0;
		cfg.arena_bytes = 4u << 20; /* small: 1000 contexts under Valgrind */
		cfg.host_arena_bytes = 1u << 20;
		cfg.seed = (uint64_t)run;
		assert_int_equal(sofsim_create(&p.sim, &cfg, NULL, 0), 0);
		assert_int_equal(sofsim_sem_create(p.sim, 0, 1, &p.ping), 0);
		assert_int_equal(sofsim_sem_create(p.sim, 0, 1, &p.pong), 0);
		assert_int_equal(sofsim_thread_create(p.sim, &a, pinger, &p, &t), 0);
		assert_int_equal(sofsim_thread_create(p.sim, &b, ponger, &p, &t), 0);
		assert_int_equal(sofsim_run_until(p.sim, SOFSIM_NSEC_PER_MSEC), 0);
		assert_int_equal(sofsim_now(p.sim), SOFSIM_NSEC_PER_MSEC);
		sofsim_stats_get(p.sim, &st);
		assert_true(st.max_inside <= 1);
		handoffs += st.os_handoffs;
		sofsim_destroy(p.sim);
	}
	/* The invariant was exercised: thousands of real hand-offs, each delayed at random. */
	assert_true(handoffs >= 1000 * 6);
	assert_true(j.calls >= 2 * 1000 * 6);
}

static void test_inside_counter_sees_a_second_thread(void **state)
{
	struct sofsim *sim = test_sim_create(SOFSIM_THREADS_FIBER, NULL, 1);
	struct sofsim_stats st;

	(void)state;
	/* The host holds the token; a second entrant must show up as 2. */
	sofsim__note_inside(sim);
	sofsim_stats_get(sim, &st);
	assert_int_equal(st.max_inside, 2);
	sofsim__leave_inside(sim);
	sofsim_destroy(sim);
}

/* ---- a 4-thread, 2-core scenario with timers ---- */

struct scenario {
	struct sofsim *sim;
	struct sofsim_sem *tick[2];
	struct sofsim_sem *req, *done;
	struct sofsim_kevent *ev;
	struct sofsim_timer *timer[2];
	struct sofsim_mutex *lock;
	unsigned shared;
};

static void tick_isr(struct sofsim_timer *timer, void *arg)
{
	(void)timer;
	sofsim_sem_give(arg);
}

static void ll(void *arg)
{
	struct scenario *s = arg;
	unsigned core = sofsim_thread_core(sofsim_thread_self(s->sim));

	for (;;) {
		sofsim_sem_take(s->tick[core], SOFSIM_FOREVER);
		sofsim_mutex_lock(s->lock, SOFSIM_FOREVER);
		s->shared = s->shared * 31 + core + 1;
		sofsim_mutex_unlock(s->lock);
		if (core == 1)
			sofsim_kevent_post(s->ev, 1u << (s->shared % 4));
	}
}

static void ipc_kernel(void *arg)
{
	struct scenario *s = arg;

	for (unsigned i = 0;; i++) {
		sofsim_kevent_wait(s->ev, 0xf, SOFSIM_KEVENT_CONSUME, SOFSIM_FOREVER);
		sofsim_sem_give(s->req);
		sofsim_sem_take(s->done, 300 * SOFSIM_NSEC_PER_USEC);
		sofsim_sleep(s->sim, 50 * SOFSIM_NSEC_PER_USEC + i);
	}
}

static void ipc_user(void *arg)
{
	struct scenario *s = arg;

	for (;;) {
		sofsim_sem_take(s->req, SOFSIM_FOREVER);
		sofsim_mutex_lock(s->lock, SOFSIM_FOREVER);
		s->shared ^= 0x5a5a;
		sofsim_yield(s->sim);
		sofsim_mutex_unlock(s->lock);
		sofsim_sem_give(s->done);
	}
}

static struct sofsim *scenario_run(enum sofsim_threads carrier, uint64_t seed, struct scenario *s)
{
	static const struct {
		const char *name;
		int prio;
		unsigned core;
		sofsim_thread_fn fn;
	} threads[] = {
		{ "ll_thread0", -16, 0, ll },
		{ "ll_thread1", -16, 1, ll },
		{ "ipc_kernel", 1, 0, ipc_kernel },
		{ "ll_user0", -1, 1, ipc_user },
	};

	*s = (struct scenario){ .sim = test_sim_create(carrier, "ptl", seed) };
	for (unsigned c = 0; c < 2; c++) {
		assert_int_equal(sofsim_sem_create(s->sim, 0, 10, &s->tick[c]), 0);
		assert_int_equal(sofsim_timer_create(s->sim, c, tick_isr, s->tick[c], &s->timer[c]), 0);
		sofsim_timer_start(s->timer[c], SOFSIM_NSEC_PER_MSEC, SOFSIM_NSEC_PER_MSEC);
	}
	assert_int_equal(sofsim_sem_create(s->sim, 0, 1, &s->req), 0);
	assert_int_equal(sofsim_sem_create(s->sim, 0, 1, &s->done), 0);
	assert_int_equal(sofsim_kevent_create(s->sim, &s->ev), 0);
	assert_int_equal(sofsim_mutex_create(s->sim, &s->lock), 0);
	for (size_t i = 0; i < sizeof(threads) / sizeof(threads[0]); i++) {
		struct sofsim_thread_attr a = { .name = threads[i].name, .prio = threads[i].prio,
						.core = threads[i].core };
		struct sofsim_thread *t;

		assert_int_equal(sofsim_thread_create(s->sim, &a, threads[i].fn, s, &t), 0);
	}
	assert_int_equal(sofsim_run_until(s->sim, 20 * SOFSIM_NSEC_PER_MSEC), 0);
	return s->sim;
}

static void assert_logs_equal(struct sofsim *a, struct sofsim *b)
{
	struct sofsim_event ea, eb;

	assert_int_equal(sofsim_evlog_total(a), sofsim_evlog_total(b));
	assert_int_equal(sofsim_evlog_size(a), sofsim_evlog_size(b));
	for (size_t i = 0; i < sofsim_evlog_size(a); i++) {
		assert_int_equal(sofsim_evlog_get(a, i, &ea), 0);
		assert_int_equal(sofsim_evlog_get(b, i, &eb), 0);
		assert_memory_equal(&ea, &eb, sizeof(ea));
	}
}

static void test_same_seed_same_log_in_two_contexts(void **state)
{
	struct scenario s1, s2;
	struct sofsim *a = scenario_run(carrier_of(state), 42, &s1);
	struct sofsim *b = scenario_run(carrier_of(state), 42, &s2);

	/* 20 ticks on two cores, each a take, a lock, an unlock at least. */
	assert_true(sofsim_evlog_size(a) > 200);
	assert_int_equal(sofsim_evlog_size(a), sofsim_evlog_total(a)); /* nothing dropped */
	assert_logs_equal(a, b);
	assert_int_equal(s1.shared, s2.shared);
	sofsim_destroy(a);
	sofsim_destroy(b);
}

static void test_same_seed_same_log_on_both_carriers(void **state)
{
	struct scenario s1, s2;
	struct sofsim *a = scenario_run(SOFSIM_THREADS_FIBER, 9, &s1);
	struct sofsim *b = scenario_run(SOFSIM_THREADS_PTHREAD, 9, &s2);

	(void)state;
	assert_logs_equal(a, b);
	sofsim_destroy(a);
	sofsim_destroy(b);
}

static void dump_log(const char *path)
{
	struct scenario s;
	struct sofsim *sim = scenario_run(SOFSIM_THREADS_FIBER, 42, &s);
	FILE *f = fopen(path, "w");

	if (!f || sofsim_evlog_print(sim, f) || fclose(f))
		exit(3);
	sofsim_destroy(sim);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void spawn_dump(const char *path)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *argv[] = { self, "--dump-log", (char *)path, NULL };
	pid_t pid;
	int status;

	assert_true(n > 0);
	self[n] = '\0';
	assert_int_equal(posix_spawn(&pid, self, NULL, NULL, argv, environ), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_same_seed_same_log_in_two_processes(void **state)
{
	char dir[] = "/tmp/sofsim-determinism-XXXXXX";
	char p1[64], p2[64];
	size_t n1, n2;
	char *a, *b;
	FILE *aslr = fopen("/proc/sys/kernel/randomize_va_space", "r");
	int level = -1;

	(void)state;
	if (aslr) {
		if (fscanf(aslr, "%d", &level) != 1)
			level = -1;
		fclose(aslr);
	}
	print_message("ASLR level %d\n", level);
	assert_non_null(mkdtemp(dir));
	snprintf(p1, sizeof(p1), "%s/a.log", dir);
	snprintf(p2, sizeof(p2), "%s/b.log", dir);
	spawn_dump(p1);
	spawn_dump(p2);
	a = slurp(p1, &n1);
	b = slurp(p2, &n2);
	assert_true(n1 > 10000);
	assert_int_equal(n1, n2);
	assert_memory_equal(a, b, n1);
	assert_non_null(strstr(a, "ll_thread1"));
	free(a);
	free(b);
	unlink(p1);
	unlink(p2);
	rmdir(dir);
}

/* ---- seeds vary the interleaving of two cores ---- */

struct race {
	struct sofsim *sim;
	struct sofsim_sem *sem;
	struct test_trace tr;
};

static void racer(void *arg)
{
	struct race *r = arg;
	unsigned core = sofsim_thread_core(sofsim_thread_self(r->sim));

	for (int i = 0; i < 12; i++) {
		trace_add(&r->tr, "%u", core);
		sofsim_sem_give(r->sem); /* any kernel call is a scheduling point */
	}
}

static void race_run(uint64_t seed, struct test_trace *out)
{
	struct race r = { .sim = test_sim_create(SOFSIM_THREADS_FIBER, "ptl", seed) };
	struct sofsim_thread_attr a0 = { .name = "core0", .prio = 1, .core = 0 };
	struct sofsim_thread_attr a1 = { .name = "core1", .prio = 1, .core = 1 };
	struct sofsim_thread *t;

	assert_int_equal(sofsim_sem_create(r.sim, 0, 100, &r.sem), 0);
	assert_int_equal(sofsim_thread_create(r.sim, &a0, racer, &r, &t), 0);
	assert_int_equal(sofsim_thread_create(r.sim, &a1, racer, &r, &t), 0);
	assert_int_equal(sofsim_run_until_idle(r.sim, SOFSIM_TIME_NEVER), 0);
	*out = r.tr;
	sofsim_destroy(r.sim);
}

static void test_seeds_change_core_interleaving(void **state)
{
	struct test_trace a, b, a2;

	(void)state;
	race_run(1, &a);
	race_run(2, &b);
	race_run(1, &a2);
	print_message("seed 1: %s\nseed 2: %s\n", a.text, b.text);
	assert_string_equal(a.text, a2.text);
	assert_string_not_equal(a.text, b.text);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_thread_inside_with_random_handoff_delays),
		cmocka_unit_test(test_inside_counter_sees_a_second_thread),
		CARRIER_TESTS(test_same_seed_same_log_in_two_contexts),
		cmocka_unit_test(test_same_seed_same_log_on_both_carriers),
		cmocka_unit_test(test_same_seed_same_log_in_two_processes),
		cmocka_unit_test(test_seeds_change_core_interleaving),
	};

	if (argc == 3 && strcmp(argv[1], "--dump-log") == 0) {
		dump_log(argv[2]);
		return 0;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
