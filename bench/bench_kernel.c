/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Kernel-model benchmark, part 1: the cost of a token hand-off for each
 * thread carrier and host placement, OS hand-offs per scenario, the
 * five-hop IPC round trip, and context creation. Prints a markdown table
 * (stdout) and one "bench.figure.mode value unit" line per figure (stderr).
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include "sofsim/kernel.h"
#include "sofsim/object.h"
#include "sofsim/sim.h"

#include "bench_common.h"

struct mode {
	const char *name;
	enum sofsim_threads threads;
	unsigned spin;
	int pin_cpu; /* -1: unpinned; else the context's threads and the caller share this CPU */
};

static const struct mode modes[] = {
	{ "fiber", SOFSIM_THREADS_FIBER, 0, -1 },
	{ "pthread-futex", SOFSIM_THREADS_PTHREAD, 0, -1 },
	{ "pthread-spin200", SOFSIM_THREADS_PTHREAD, 200, -1 },
	{ "pthread-colocated", SOFSIM_THREADS_PTHREAD, 0, 0 },
};

static struct sofsim *make_sim(const struct mode *m)
{
	struct sofsim_config cfg;
	struct sofsim *sim;

	sofsim_config_init(&cfg);
	cfg.threads = m->threads;
	cfg.spin = m->spin;
	cfg.pin_cpu = m->pin_cpu;
	cfg.evlog_capacity = 0;
	if (sofsim_create(&sim, &cfg, NULL, 0))
		exit(1);
	return sim;
}

static void pin_caller(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	if (cpu < 0) {
		for (int i = 0; i < CPU_SETSIZE; i++)
			CPU_SET(i, &set);
	} else {
		CPU_SET(cpu, &set);
	}
	sched_setaffinity(0, sizeof(set), &set);
}

static struct sofsim_thread *spawn(struct sofsim *sim, const char *name, int prio, bool user,
				   sofsim_thread_fn fn, void *arg)
{
	struct sofsim_thread_attr a = { .name = name, .prio = prio, .core = 0, .user = user };
	struct sofsim_thread *t;

	if (sofsim_thread_create(sim, &a, fn, arg, &t))
		exit(1);
	return t;
}

/* ---- ping-pong: two threads, one semaphore each ---- */

struct pingpong {
	struct sofsim_sem *a, *b;
	unsigned rounds;
};

static void ping(void *arg)
{
	struct pingpong *p = arg;

	for (unsigned i = 0; i < p->rounds; i++) {
		sofsim_sem_give(p->b);
		sofsim_sem_take(p->a, SOFSIM_FOREVER);
	}
}

static void pong(void *arg)
{
	struct pingpong *p = arg;

	for (;;) {
		sofsim_sem_take(p->b, SOFSIM_FOREVER);
		sofsim_sem_give(p->a);
	}
}

static double handoff_ns(const struct mode *m, unsigned rounds)
{
	struct sofsim *sim = make_sim(m);
	struct pingpong p = { .rounds = rounds };
	struct sofsim_stats st;
	uint64_t t0, t1;

	sofsim_sem_create(sim, 0, 1, &p.a);
	sofsim_sem_create(sim, 0, 1, &p.b);
	spawn(sim, "ping", 1, false, ping, &p);
	spawn(sim, "pong", 1, false, pong, &p);
	pin_caller(m->pin_cpu);
	t0 = bench_ns();
	sofsim_run_until_idle(sim, SOFSIM_TIME_NEVER);
	t1 = bench_ns();
	sofsim_stats_get(sim, &st);
	sofsim_destroy(sim);
	pin_caller(-1);
	return (double)(t1 - t0) / (double)st.switches;
}

/* ---- periodic tick: a thread waits on a 1 ms timer ---- */

static void give_sem(struct sofsim_timer *timer, void *arg)
{
	(void)timer;
	sofsim_sem_give(arg);
}

static void tick_waiter(void *arg)
{
	for (;;)
		sofsim_sem_take(arg, SOFSIM_FOREVER);
}

static void tick_scenario(const struct mode *m, double *handoffs_per_tick, double *switches_per_tick)
{
	struct sofsim *sim = make_sim(m);
	struct sofsim_sem *sem;
	struct sofsim_timer *timer;
	struct sofsim_stats st0, st1;
	const unsigned ticks = 1000;

	sofsim_sem_create(sim, 0, 10, &sem);
	sofsim_timer_create(sim, 0, give_sem, sem, &timer);
	spawn(sim, "ll_thread0", -16, false, tick_waiter, sem);
	sofsim_run_until(sim, 0);
	sofsim_timer_start(timer, SOFSIM_NSEC_PER_MSEC, SOFSIM_NSEC_PER_MSEC);
	sofsim_stats_get(sim, &st0);
	sofsim_run_until(sim, (uint64_t)ticks * SOFSIM_NSEC_PER_MSEC);
	sofsim_stats_get(sim, &st1);
	/* Entering and leaving the run costs one switch each way. */
	*handoffs_per_tick = (double)(st1.os_handoffs - st0.os_handoffs - (m->threads == SOFSIM_THREADS_PTHREAD ? 2 : 0)) / ticks;
	*switches_per_tick = (double)(st1.switches - st0.switches - 2) / ticks;
	sofsim_destroy(sim);
}

/* ---- the IPC path: host -> kernel IPC -> user IPC -> kernel IPC -> send queue -> host ---- */

struct ipc_path {
	struct sofsim *sim;
	struct sofsim_sem *doorbell, *done;
	struct sofsim_kevent *cmd;
	struct sofsim_workq *sendq;
	struct sofsim_work_delayable reply;
};

static void doorbell_isr(void *arg)
{
	struct ipc_path *p = arg;

	sofsim_sem_give(p->doorbell);
}

static void ipc_kernel(void *arg)
{
	struct ipc_path *p = arg;

	for (;;) {
		sofsim_sem_take(p->doorbell, SOFSIM_FOREVER);
		sofsim_kevent_post(p->cmd, 1);
		sofsim_sem_take(p->done, 100 * SOFSIM_NSEC_PER_MSEC);
		sofsim_work_schedule(p->sendq, &p->reply, 100 * SOFSIM_NSEC_PER_USEC);
	}
}

static void ipc_user(void *arg)
{
	struct ipc_path *p = arg;

	for (;;) {
		sofsim_kevent_wait(p->cmd, 1, SOFSIM_KEVENT_CONSUME, SOFSIM_FOREVER);
		sofsim_sem_give(p->done);
	}
}

static struct ipc_path *reply_owner;

static void send_reply(struct sofsim_work *w)
{
	(void)w;
	sofsim_host_wake(reply_owner->sim);
}

static void ipc_scenario(const struct mode *m, unsigned rounds, double *median_ns, double *hops)
{
	struct ipc_path p = { .sim = make_sim(m) };
	uint64_t *samples = calloc(rounds, sizeof(*samples));
	struct sofsim_stats st0, st1;
	struct sofsim_thread *user;

	reply_owner = &p;
	sofsim_sem_create(p.sim, 0, 1, &p.doorbell);
	sofsim_sem_create(p.sim, 0, 1, &p.done);
	sofsim_kevent_create(p.sim, &p.cmd);
	sofsim_workq_create(p.sim, "ipc_send_wq", 1, 0, &p.sendq);
	sofsim_work_delayable_init(p.sim, &p.reply, send_reply);
	sofsim_irq_connect(p.sim, 0, 0, doorbell_isr, &p);
	spawn(p.sim, "edf_workq", 1, false, ipc_kernel, &p);
	user = spawn(p.sim, "ll_user0", -1, true, ipc_user, &p);
	sofsim_object_grant(p.sim, p.cmd, user);
	sofsim_object_grant(p.sim, p.done, user);
	sofsim_run_until(p.sim, 0);
	pin_caller(m->pin_cpu);
	sofsim_stats_get(p.sim, &st0);
	for (unsigned i = 0; i < rounds; i++) {
		uint64_t t0 = bench_ns();

		sofsim_irq_raise(p.sim, 0);
		if (sofsim_run_until(p.sim, SOFSIM_TIME_NEVER) != 1)
			exit(1);
		samples[i] = bench_ns() - t0;
	}
	sofsim_stats_get(p.sim, &st1);
	pin_caller(-1);
	*median_ns = (double)bench_median(samples, rounds);
	*hops = (double)(st1.switches - st0.switches) / rounds;
	free(samples);
	sofsim_work_delayable_deinit(&p.reply);
	sofsim_destroy(p.sim);
}

/* ---- context create + destroy with 4 threads ---- */

static void blocker(void *arg)
{
	sofsim_sem_take(arg, SOFSIM_FOREVER);
}

static double create_destroy_us(const struct mode *m, unsigned reps)
{
	uint64_t t0 = bench_ns();

	for (unsigned r = 0; r < reps; r++) {
		struct sofsim *sim = make_sim(m);
		struct sofsim_sem *sem;

		sofsim_sem_create(sim, 0, 1, &sem);
		for (int i = 0; i < 4; i++)
			spawn(sim, "t", 1, false, blocker, sem);
		sofsim_run_until(sim, 0);
		sofsim_destroy(sim);
	}
	return (double)(bench_ns() - t0) / reps / 1000.0;
}

static void run_all(const char *placement)
{
	char mode[64];

	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		const struct mode *m = &modes[i];
		bool fiber = m->threads == SOFSIM_THREADS_FIBER;
		double ho, sw, med, hops;

		snprintf(mode, sizeof(mode), "%s%s", m->name, placement);
		bench_report("bench_kernel", "ns_per_handoff", mode, handoff_ns(m, fiber ? 200000 : 20000), "ns", NULL);
		tick_scenario(m, &ho, &sw);
		bench_report("bench_kernel", "os_handoffs_per_1ms_tick", mode, ho, "count", "0");
		bench_report("bench_kernel", "switches_per_1ms_tick", mode, sw, "count", NULL);
		ipc_scenario(m, fiber ? 20000 : 2000, &med, &hops);
		bench_report("bench_kernel", "ipc_5hop_round_trip_median", mode, med / 1000.0, "us", "<= 15 us");
		bench_report("bench_kernel", "ipc_switches_per_round_trip", mode, hops, "count", "5");
		bench_report("bench_kernel", "ctx_create_destroy_4_threads", mode,
			     create_destroy_us(m, fiber ? 2000 : 200), "us", NULL);
	}
}

int main(void)
{
	cpu_set_t set;

	printf("Kernel model, part 1 (%ld host CPUs online)\n\n", sysconf(_SC_NPROCESSORS_ONLN));
	bench_table_head();
	run_all("");
	/* The same under `taskset -c 0`: the whole process confined to one CPU. */
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	if (sched_setaffinity(0, sizeof(set), &set) == 0)
		run_all("+taskset0");
	return 0;
}
