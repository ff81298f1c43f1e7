/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `sofsim demo`: boots the thread layout SOF uses with user-space LL on the
 * chosen platform — an LL scheduler thread per core ticked by a 1 ms timer,
 * the kernel IPC thread, the user IPC thread (both user threads in one LL
 * memory domain: LL user heap and mailbox partitions) and the IPC send work
 * queue — then sends host requests through the ACE IPC block and reports
 * what the kernel model and the IPC block did. Audio pipelines and real
 * IPC4 handling join it as those subsystems land.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sofsim/arch.h>
#include <sofsim/fault.h>
#include <sofsim/ipc.h>
#include <sofsim/kernel.h>
#include <sofsim/mem.h>
#include <sofsim/object.h>
#include <sofsim/platform.h>
#include <sofsim/sim.h>
#include <sofsim/syscall.h>

#include "demo.h"

#define IPC_CMD 1u
#define FORWARD_TIMEOUT_NS (100 * SOFSIM_NSEC_PER_MSEC) /* SOF's user-thread forward timeout */

struct demo {
	struct sofsim *sim;
	struct sofsim_ipc *ipc;
	struct sofsim_domain *ll_domain;
	struct sofsim_partition ll_parts[3];
	unsigned cores;
	struct sofsim_sem *tick_sem[8];
	struct sofsim_timer *tick[8];
	unsigned ll_passes[8];
	struct sofsim_sem *doorbell, *done;
	struct sofsim_kevent *cmd;
	uint32_t primary, ext;
	unsigned forwarded, replies;
	uint64_t latency_max;
	unsigned plant_at; /* request number whose handling faults, 0 = none */
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

/* The doorbell ISR latches the words and wakes the kernel IPC thread. */
static void ipc_rx(struct sofsim_ipc *ipc, uint32_t primary, uint32_t ext, void *arg)
{
	struct demo *d = arg;

	(void)ipc;
	d->primary = primary;
	d->ext = ext;
	sofsim_sem_give(d->doorbell);
}

/* Kernel IPC thread: forward to the user IPC thread, then DONE and the reply (ABI §1.4). */
static void ipc_kernel(void *arg)
{
	struct demo *d = arg;

	for (;;) {
		sofsim_sem_take(d->doorbell, SOFSIM_FOREVER);
		sofsim_kevent_post(d->cmd, IPC_CMD);
		if (sofsim_sem_take(d->done, FORWARD_TIMEOUT_NS) == 0)
			d->forwarded++;
		sofsim_ipc_dsp_done(d->ipc);
		sofsim_ipc_dsp_send(d->ipc, (d->primary & 0x5f000000u) | SOFSIM_IPC_REPLY_BIT, d->ext, NULL, 0, true);
	}
}

static void ipc_user(void *arg)
{
	struct demo *d = arg;

	for (unsigned n = 1;; n++) {
		sofsim_kevent_wait(d->cmd, IPC_CMD, SOFSIM_KEVENT_CONSUME, SOFSIM_FOREVER);
		/* --plant-fault: the bug class SOF hit first, cpu_get_id() read as PRID in user mode. */
		if (d->plant_at == n)
			sofsim_arch_proc_id(d->sim);
		sofsim_sem_give(d->done);
	}
}

static int spawn(struct demo *d, const char *name, int prio, unsigned core, bool user, sofsim_thread_fn fn,
		 struct sofsim_thread **t)
{
	struct sofsim_thread_attr a = { .name = name, .prio = prio, .core = core, .user = user };
	int ret = sofsim_thread_create(d->sim, &a, fn, d, t);

	return ret || !user ? ret : sofsim_domain_add_thread(d->ll_domain, *t);
}

/* SOF's single LL domain: the LL user heap and the mailbox pages (userspace sheet §2.3). */
static int make_ll_domain(struct demo *d)
{
	struct sofsim_partition *parts = d->ll_parts;
	int ret = sofsim_domain_create(d->sim, "ll", &d->ll_domain);

	parts[0] = (struct sofsim_partition){ .attr = SOFSIM_PART_RW, .name = "ll_user_heap" };
	sofsim_heap_bounds(sofsim_ll_user_heap(d->sim), &parts[0].start, &parts[0].size);
	sofsim_ipc_user_partitions(d->ipc, &parts[1]);
	for (int i = 0; i < 3 && !ret; i++)
		ret = sofsim_domain_add_partition(d->ll_domain, &parts[i]);
	return ret;
}

static int boot(struct demo *d)
{
	const struct sofsim_platform *plat = sofsim_platform(d->sim);
	struct sofsim_thread *t, *uipc;
	char name[32];
	int ret = sofsim_ipc_create(d->sim, NULL, ipc_rx, d, &d->ipc);

	ret = ret ? ret : make_ll_domain(d);
	/* As in SOF, the kernel creates each object and grants it to the user thread that needs it. */
	d->cores = plat->cores;
	for (unsigned c = 0; c < d->cores && !ret; c++) {
		snprintf(name, sizeof(name), "ll_thread%u", c);
		ret = sofsim_sem_create(d->sim, 0, 10, &d->tick_sem[c]);
		ret = ret ? ret : sofsim_timer_create(d->sim, c, tick_isr, d->tick_sem[c], &d->tick[c]);
		ret = ret ? ret : spawn(d, name, plat->ll_thread_priority, c, true, ll_thread, &t);
		if (ret)
			break;
		sofsim_object_grant(d->sim, d->tick_sem[c], t);
		sofsim_timer_start(d->tick[c], plat->ll_period_us * SOFSIM_NSEC_PER_USEC,
				   plat->ll_period_us * SOFSIM_NSEC_PER_USEC);
	}
	ret = ret ? ret : sofsim_sem_create(d->sim, 0, 1, &d->doorbell);
	ret = ret ? ret : sofsim_sem_create(d->sim, 0, 1, &d->done);
	ret = ret ? ret : sofsim_kevent_create(d->sim, &d->cmd);
	ret = ret ? ret : spawn(d, "edf_workq", 1, 0, false, ipc_kernel, &t);
	ret = ret ? ret : spawn(d, "ll_user0", plat->ipc_user_priority, 0, true, ipc_user, &uipc);
	if (!ret) {
		sofsim_object_grant(d->sim, d->cmd, uipc);
		sofsim_object_grant(d->sim, d->done, uipc);
	}
	return ret;
}

/* One host request (a CREATE_PIPELINE-shaped word pair) and its reply. */
static int host_request(struct demo *d, unsigned i)
{
	struct sofsim_ipc_msg req = { .primary = 0x11000000u | (i & 0xff), .ext = i }, rep;
	uint64_t sent = sofsim_now(d->sim);
	int ret = sofsim_ipc_host_xfer(d->ipc, &req, &rep);

	if (ret)
		return ret;
	if (rep.primary != 0x31000000u || rep.ext != i)
		return -EPROTO;
	d->replies++;
	if (sofsim_now(d->sim) - sent > d->latency_max)
		d->latency_max = sofsim_now(d->sim) - sent;
	return 0;
}

static uint64_t syscalls(const struct sofsim *sim)
{
	uint64_t n = 0;

	for (unsigned id = 0; id < sofsim_syscall_count(); id++)
		n += sofsim_syscall_calls(sim, id);
	return n;
}

static void report(struct demo *d, const struct demo_options *o)
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
	printf("  reply latency         %" PRIu64 " us virtual (doorbell to reply doorbell, worst)\n",
	       d->latency_max / SOFSIM_NSEC_PER_USEC);
	printf("  scheduler             %" PRIu64 " scheduling points, %" PRIu64 " switches, %" PRIu64
	       " OS hand-offs, %" PRIu64 " ISRs, %" PRIu64 " timer expiries\n",
	       st.sched_points, st.switches, st.os_handoffs, st.isrs, st.timer_expiries);
	printf("  syscalls              %" PRIu64 " through the gate (protection verify)\n", syscalls(d->sim));
	printf("  faults                %zu\n", sofsim_fault_count(d->sim));
	printf("  invariant             at most %u host thread inside emulated code\n", st.max_inside);
}

/* What the host saw of the planted fault, as the Linux driver would. */
static void report_halt(struct demo *d, int ret)
{
	struct sofsim_ipc_msg n;

	printf("  planted fault         request %u: DSP halted = %s, host request %s\n", d->plant_at,
	       sofsim_halted(d->sim) ? "yes" : "no", ret == -ETIMEDOUT ? "timed out after 500 ms" : strerror(-ret));
	while (sofsim_ipc_host_notification(d->ipc, &n) == 0)
		printf("  host notification     %#010x ext %u%s\n", n.primary, n.ext,
		       n.primary == SOFSIM_IPC4_EXCEPTION_CAUGHT ? " (EXCEPTION_CAUGHT, core in ext)" : "");
}

static void teardown(struct demo *d)
{
	/* Partitions go before their domain (bug class 24 is reported otherwise). */
	for (int i = 0; i < 3 && d->ll_domain; i++)
		sofsim_domain_remove_partition(d->ll_domain, &d->ll_parts[i]);
	sofsim_domain_destroy(d->ll_domain);
	sofsim_ipc_destroy(d->ipc);
	sofsim_destroy(d->sim);
}

int demo_run(const struct demo_options *o)
{
	struct sofsim_config cfg;
	struct demo d = { 0 };
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
	d.plant_at = o->plant_fault ? o->messages / 2 + 1 : 0;
	ret = boot(&d);
	for (unsigned i = 0; i < o->messages && !ret; i++) {
		ret = sofsim_run_until(d.sim, sofsim_now(d.sim) + o->ms * SOFSIM_NSEC_PER_MSEC / o->messages);
		ret = ret < 0 ? ret : host_request(&d, i);
	}
	if (ret && !(o->plant_fault && sofsim_halted(d.sim))) {
		fprintf(stderr, "sofsim: demo: %s\n", strerror(-ret));
	} else {
		report(&d, o);
		if (o->plant_fault)
			report_halt(&d, ret);
		if (o->trace)
			sofsim_evlog_print(d.sim, stdout);
		ret = 0;
	}
	teardown(&d);
	return ret;
}
