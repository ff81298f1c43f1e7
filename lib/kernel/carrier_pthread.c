/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Pthread carrier: every emulated thread is a host pthread (named after it)
 * and a token is handed between them through a futex word per thread, after
 * an optional spin. Kept for comparison and for code that needs a real OS
 * thread per emulated thread (docs/design-decisions.md).
 */
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kernel/kernel_priv.h"

struct sofsim__carrier {
	pthread_t thread;
	bool has_thread;
	atomic_uint go; /* 1 when this context holds the token */
	atomic_uint parked; /* enforce=mmu: 1 while it waits in the futex, touching nothing else */
};

static void futex_wake_one(atomic_uint *word)
{
	syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void futex_wait_zero(atomic_uint *word)
{
	syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
}

static void give_token(struct sofsim__carrier *c)
{
	atomic_store_explicit(&c->go, 1, memory_order_release);
	futex_wake_one(&c->go);
}

static void park(struct sofsim *sim, struct sofsim__carrier *c)
{
	if (sofsim__mmu_on(sim))
		sofsim__mmu_futex_park(&c->parked, &c->go);
	else
		futex_wait_zero(&c->go);
}

static void wait_token(struct sofsim *sim, struct sofsim__carrier *c)
{
	for (unsigned i = 0; i < sim->cfg.spin; i++) {
		if (atomic_load_explicit(&c->go, memory_order_acquire))
			break;
		sched_yield();
	}
	while (atomic_exchange_explicit(&c->go, 0, memory_order_acq_rel) != 1)
		park(sim, c);
	atomic_store_explicit(&c->parked, 0, memory_order_release);
}

/*
 * enforce=mmu: before the token holder closes the arena to user mode, every
 * other emulated pthread of the context (whose stack is in the arena) must
 * be parked in its futex wait, including one still starting up or ending.
 */
static void pt_quiesce(struct sofsim *sim)
{
	struct sofsim_list *pos;

	sofsim_list_for_each(pos, &sim->threads) {
		struct sofsim_thread *t = SOFSIM_CONTAINER_OF(pos, struct sofsim_thread, all_node);
		struct sofsim__carrier *c = t->carrier;

		if (t == sim->running || !c || !c->has_thread)
			continue;
		while (!atomic_load_explicit(&c->parked, memory_order_acquire))
			sched_yield();
	}
}

static void handoff_hook(struct sofsim *sim)
{
	if (sim->cfg.handoff_hook)
		sim->cfg.handoff_hook(sim->cfg.handoff_hook_arg);
}

static void *pthread_entry(void *arg)
{
	struct sofsim_thread *t = arg;
	struct sofsim *sim = t->sim;

	sofsim__mmu_pthread_enter(t);
	wait_token(sim, t->carrier);
	sofsim__note_inside(sim);
	if (t->state == SOFSIM_T_DEAD) {
		/* Aborted before it ever ran: give the token back to the host and end. */
		sofsim__leave_inside(sim);
		give_token(sim->host.carrier);
		return NULL;
	}
	sofsim__thread_main(t);
	return NULL;
}

static int pt_init(struct sofsim *sim)
{
	sim->host.carrier = sofsim__mmu_carrier_alloc(sim, sizeof(*sim->host.carrier));
	return sim->host.carrier ? 0 : -ENOMEM;
}

static void pt_fini(struct sofsim *sim)
{
	sofsim__mmu_carrier_free(sim, sim->host.carrier);
	sim->host.carrier = NULL;
}

static int pt_thread_init(struct sofsim *sim, struct sofsim_thread *t)
{
	struct sofsim__carrier *c = sofsim__mmu_carrier_alloc(sim, sizeof(*c));
	pthread_attr_t attr;
	char name[16];
	int ret;

	if (!c)
		return -ENOMEM;
	t->carrier = c;
	pthread_attr_init(&attr);
	pthread_attr_setstack(&attr, t->stack_lo, t->stack_bytes);
	ret = -pthread_create(&c->thread, &attr, pthread_entry, t);
	pthread_attr_destroy(&attr);
	if (ret) {
		sofsim__mmu_carrier_free(sim, c);
		t->carrier = NULL;
		return ret;
	}
	c->has_thread = true;
	/* Linux keeps 15 characters of a thread name. */
	snprintf(name, sizeof(name), "ss-%.12s", t->name);
	pthread_setname_np(c->thread, name);
	if (sim->cfg.pin_cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(sim->cfg.pin_cpu, &set);
		pthread_setaffinity_np(c->thread, sizeof(set), &set);
	}
	return 0;
}

static void pt_thread_fini(struct sofsim *sim, struct sofsim_thread *t)
{
	struct sofsim__carrier *c = t->carrier;

	if (!c)
		return;
	if (c->has_thread) {
		if (!t->started) {
			/* Let it see that it is dead, then take the token back. */
			sofsim__leave_inside(sim);
			give_token(c);
			wait_token(sim, sim->host.carrier);
			sofsim__note_inside(sim);
		} else if (sofsim__mmu_on(sim)) {
			give_token(c); /* release it from where pt_exit parked it */
		}
		pthread_join(c->thread, NULL);
	}
	sofsim__mmu_carrier_free(sim, c);
	t->carrier = NULL;
}

static void pt_switch(struct sofsim *sim, struct sofsim_thread *from, struct sofsim_thread *to)
{
	struct sofsim__carrier *mine = from->carrier; /* read before the token goes: its record may close */

	sim->stats.os_handoffs++;
	sofsim__leave_inside(sim);
	handoff_hook(sim);
	give_token(to->carrier);
	handoff_hook(sim);
	wait_token(sim, mine);
	sofsim__note_inside(sim);
}

static void pt_exit(struct sofsim *sim, struct sofsim_thread *from, struct sofsim_thread *to)
{
	struct sofsim__carrier *mine = from->carrier;

	sim->stats.os_handoffs++;
	sofsim__leave_inside(sim);
	handoff_hook(sim);
	give_token(to->carrier);
	/* enforce=mmu: a pthread's exit writes its stack; it waits for pt_thread_fini, when the arena is open. */
	if (sofsim__mmu_on(sim))
		wait_token(sim, mine);
	/* The pthread now returns from its entry function without touching the context. */
}

const struct sofsim__carrier_ops sofsim__pthread_ops = {
	.name = "pthread",
	.init = pt_init,
	.fini = pt_fini,
	.thread_init = pt_thread_init,
	.thread_fini = pt_thread_fini,
	.switch_to = pt_switch,
	.exit_to = pt_exit,
	.quiesce = pt_quiesce,
};
