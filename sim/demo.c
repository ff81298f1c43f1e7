/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `sofsim demo`: boots the thread layout SOF uses with user-space LL on the
 * chosen platform — an LL scheduler thread per core ticked by a 1 ms timer,
 * the kernel IPC thread, the user IPC thread and the IPC send work queue —
 * then sends host messages through a doorbell interrupt and reports what
 * the kernel model did. Audio pipelines and real IPC4 messages join it as
 * those subsystems land.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sofsim/fault.h>
#include <sofsim/kernel.h>
#include <sofsim/object.h>
#include <sofsim/platform.h>
#include <sofsim/sim.h>
#include <sofsim/syscall.h>

#include "demo.h"

#define DOORBELL_IRQ 0
#define IPC_CMD 1u
#define SEND_DELAY_NS (100 * SOFSIM_NSEC_PER_USEC) /* SOF's IPC_PERIOD_USEC */

struct demo {
	struct sofsim *sim;
	unsigned cores;
	struct sofsim_sem *tick_sem[8];
	struct sofsim_timer *tick[8];
	unsigned ll_passes[8];
	struct sofsim_sem *doorbell, *done;
	struct sofsim_kevent *cmd;
	struct sofsim_workq *sendq;
	struct sofsim_work_delayable reply;
	unsigned forwarded, replies;
	uint64_t reply_at;
};

static void tick_isr(struct sofsim_timer *timer, void *arg)
{
	(void)timer;
	sofsim_sem_give(arg);
}

static void ll_thread(void *arg)
{
	struct demo *d = arg;
	unsigned core = sofsim_thread_core(sofsim_thread_self(d->sim));

	for (;;) {
		sofsim_sem_take(d->tick_sem[core], SOFSIM_FOREVER);
		d->ll_passes[core]++;
	}
}

static void doorbell_isr(void *arg)
{
	struct demo *d = arg;

	sofsim_sem_give(d->doorbell);
}

static void ipc_kernel(void *arg)
{
	struct demo *d = arg;

	for (;;) {
		sofsim_sem_take(d->doorbell, SOFSIM_FOREVER);
		sofsim_kevent_post(d->cmd, IPC_CMD);
		if (sofsim_sem_take(d->done, 100 * SOFSIM_NSEC_PER_MSEC) == 0)
			d->forwarded++;
		sofsim_work_schedule(d->sendq, &d->reply, SEND_DELAY_NS);
	}
}

static void ipc_user(void *arg)
{
	struct demo *d = arg;

	for (;;) {
		sofsim_kevent_wait(d->cmd, IPC_CMD, SOFSIM_KEVENT_CONSUME, SOFSIM_FOREVER);
		sofsim_sem_give(d->done);
	}
}

static struct demo *reply_demo(struct sofsim_work *w)
{
	return (struct demo *)((char *)w - offsetof(struct demo, reply));
}

static void send_reply(struct sofsim_work *w)
{
	struct demo *d = reply_demo(w);

	d->replies++;
	d->reply_at = sofsim_now(d->sim);
	sofsim_host_wake(d->sim);
}

static int spawn(struct demo *d, const char *name, int prio, unsigned core, bool user, sofsim_thread_fn fn,
		 struct sofsim_thread **t)
{
	struct sofsim_thread_attr a = { .name = name, .prio = prio, .core = core, .user = user };

	return sofsim_thread_create(d->sim, &a, fn, d, t);
}

static int boot(struct demo *d)
{
	const struct sofsim_platform *plat = sofsim_platform(d->sim);
	struct sofsim_thread *ll, *uipc;
	char name[32];
	int ret = 0;

	/* As in SOF, the kernel creates each object and grants it to the user thread that needs it. */
	d->cores = plat->cores;
	for (unsigned c = 0; c < d->cores && !ret; c++) {
		snprintf(name, sizeof(name), "ll_thread%u", c);
		ret = sofsim_sem_create(d->sim, 0, 10, &d->tick_sem[c]);
		ret = ret ? ret : sofsim_timer_create(d->sim, c, tick_isr, d->tick_sem[c], &d->tick[c]);
		ret = ret ? ret : spawn(d, name, plat->ll_thread_priority, c, true, ll_thread, &ll);
		if (ret)
			break;
		sofsim_object_grant(d->tick_sem[c], ll);
		sofsim_timer_start(d->tick[c], plat->ll_period_us * SOFSIM_NSEC_PER_USEC,
				   plat->ll_period_us * SOFSIM_NSEC_PER_USEC);
	}
	ret = ret ? ret : sofsim_sem_create(d->sim, 0, 1, &d->doorbell);
	ret = ret ? ret : sofsim_sem_create(d->sim, 0, 1, &d->done);
	ret = ret ? ret : sofsim_kevent_create(d->sim, &d->cmd);
	ret = ret ? ret : sofsim_workq_create(d->sim, "ipc_send_wq", 1, 0, &d->sendq);
	ret = ret ? ret : sofsim_work_delayable_init(d->sim, &d->reply, send_reply);
	ret = ret ? ret : sofsim_irq_connect(d->sim, DOORBELL_IRQ, 0, doorbell_isr, d);
	ret = ret ? ret : spawn(d, "edf_workq", 1, 0, false, ipc_kernel, &ll);
	ret = ret ? ret : spawn(d, "ll_user0", plat->ipc_user_priority, 0, true, ipc_user, &uipc);
	if (!ret) {
		sofsim_object_grant(d->cmd, uipc);
		sofsim_object_grant(d->done, uipc);
	}
	return ret;
}

/* One host message: ring the doorbell, run until the reply doorbell. */
static int host_send(struct demo *d, uint64_t *latency_ns)
{
	uint64_t sent = sofsim_now(d->sim);
	int ret = sofsim_irq_raise(d->sim, DOORBELL_IRQ);

	if (ret)
		return ret;
	ret = sofsim_run_until(d->sim, sent + 200 * SOFSIM_NSEC_PER_MSEC);
	if (ret != 1)
		return ret < 0 ? ret : -ETIMEDOUT;
	*latency_ns = d->reply_at - sent;
	return 0;
}

static uint64_t syscalls(const struct sofsim *sim)
{
	uint64_t n = 0;

	for (unsigned id = 0; id < sofsim_syscall_count(); id++)
		n += sofsim_syscall_calls(sim, id);
	return n;
}

static void report(struct demo *d, const struct demo_options *o, uint64_t latency_ns)
{
	const struct sofsim_platform *plat = sofsim_platform(d->sim);
	struct sofsim_stats st;

	sofsim_stats_get(d->sim, &st);
	printf("sofsim demo: platform %s (%s), %u cores, seed %" PRIu64 ", %s threads\n", plat->name,
	       plat->description, plat->cores, o->seed, o->pthreads ? "pthread" : "fiber");
	printf("  virtual time run      %" PRIu64 " ms\n", sofsim_now(d->sim) / SOFSIM_NSEC_PER_MSEC);
	printf("  LL passes per core   ");
	for (unsigned c = 0; c < d->cores; c++)
		printf(" %u", d->ll_passes[c]);
	printf("\n");
	printf("  host messages         %u sent, %u forwarded to ll_user0, %u replies\n", o->messages,
	       d->forwarded, d->replies);
	printf("  reply latency         %" PRIu64 " us virtual (doorbell to reply doorbell)\n",
	       latency_ns / SOFSIM_NSEC_PER_USEC);
	printf("  scheduler             %" PRIu64 " scheduling points, %" PRIu64 " switches, %" PRIu64
	       " OS hand-offs, %" PRIu64 " ISRs, %" PRIu64 " timer expiries\n",
	       st.sched_points, st.switches, st.os_handoffs, st.isrs, st.timer_expiries);
	printf("  syscalls              %" PRIu64 " through the gate (protection verify)\n", syscalls(d->sim));
	printf("  invariant             at most %u host thread inside emulated code\n", st.max_inside);
}

int demo_run(const struct demo_options *o)
{
	struct sofsim_config cfg;
	struct demo d = { 0 };
	uint64_t latency = 0;
	char why[256];
	int ret;

	sofsim_config_init(&cfg);
	cfg.platform = o->platform;
	cfg.seed = o->seed;
	cfg.threads = o->pthreads ? SOFSIM_THREADS_PTHREAD : SOFSIM_THREADS_FIBER;
	cfg.evlog_capacity = o->trace ? 1u << 20 : 0;
	ret = sofsim_create(&d.sim, &cfg, why, sizeof(why));
	if (ret) {
		fprintf(stderr, "sofsim: demo: %s\n", why);
		return ret;
	}
	ret = boot(&d);
	for (unsigned i = 0; i < o->messages && !ret; i++) {
		ret = sofsim_run_until(d.sim, sofsim_now(d.sim) + o->ms * SOFSIM_NSEC_PER_MSEC / o->messages);
		ret = ret < 0 ? ret : host_send(&d, &latency);
	}
	if (ret) {
		fprintf(stderr, "sofsim: demo: %s%s\n", sofsim_halted(d.sim) ? "the DSP halted after a fault; " : "",
			strerror(-ret));
	} else {
		report(&d, o, latency);
		if (o->trace)
			sofsim_evlog_print(d.sim, stdout);
	}
	sofsim_work_delayable_deinit(&d.reply);
	sofsim_destroy(d.sim);
	return ret;
}
