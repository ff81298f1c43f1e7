/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Pthread carrier: every emulated thread has a host pthread of its own
 * (named after it) and a token is handed between them through a futex word
 * per thread, after an optional spin. Kept for comparison and for code that
 * needs a real OS thread per emulated thread (docs/design-decisions.md).
 *
 * The emulated code runs on a context (ctx_switch.c) whose stack and saved
 * registers are arena pages, as with fibers; the pthread itself waits for the token in a
 * loop on its own host stack, outside the arena. A snapshot therefore holds
 * every emulated thread's state, and a reset only has to keep the pthreads
 * of the snapshot's threads: when one gets the token again, it switches
 * into whatever context the arena holds for it.
 */
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kernel/ctx_switch.h"
#include "kernel/kernel_priv.h"
#include "kernel/tools.h"

/* Outside the arena: the OS thread, its token and its loop. A reset leaves it alone. */
struct pt_host {
	pthread_t thread;
	bool has_thread;
	atomic_uint go;     /* 1 when this thread holds the token */
	atomic_uint parked; /* enforce=mmu: 1 while it waits in the futex, touching nothing else */
	atomic_bool quit;   /* the loop returns when it next gets the token */
	bool exited;        /* the emulated context ended */
	bool live;          /* an emulated thread of the context uses it now */
	bool pinned;        /* a thread of the snapshot: kept until the snapshot goes */
	struct pt_host *handoff; /* who gets the token once the emulated context is saved */
	struct sofsim__carrier *emu;
	struct sofsim *sim;
	const void *altstack; /* enforce=mmu: the SIGSEGV handler's stack */
	void *loop_sp; /* the loop's saved context while emulated code runs */
	void *asan_fake_stack;
	const void *stack_lo; /* the pthread's own stack, for the sanitizer's switches */
	size_t stack_bytes;
	struct pt_host *next; /* every pthread of the context, from the caller's record */
};

/* In the arena (outside it under enforce=mmu): the emulated context, put back by a reset. */
struct sofsim__carrier {
	void *sp; /* the saved emulated context (ctx_switch.h) */
	struct pt_host *host;
	void *asan_fake_stack;
	unsigned vg_stack_id;
	const void *stack_lo;
	size_t stack_bytes;
};

#define LOOP_STACK_BYTES (256u << 10)

static void futex_wake_one(atomic_uint *word)
{
	syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void futex_wait_zero(atomic_uint *word)
{
	syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
}

static void give_token(struct pt_host *h)
{
	atomic_store_explicit(&h->go, 1, memory_order_release);
	futex_wake_one(&h->go);
}

static void wait_token(struct sofsim *sim, struct pt_host *h)
{
	for (unsigned i = 0; i < sim->cfg.spin; i++) {
		if (atomic_load_explicit(&h->go, memory_order_acquire))
			break;
		sched_yield();
	}
	while (atomic_exchange_explicit(&h->go, 0, memory_order_acq_rel) != 1) {
		if (sofsim__mmu_on(sim))
			sofsim__mmu_futex_park(&h->parked, &h->go);
		else
			futex_wait_zero(&h->go);
	}
	atomic_store_explicit(&h->parked, 0, memory_order_release);
}

static struct pt_host *caller_of(const struct sofsim *sim)
{
	return sim->host.carrier->host;
}

static void handoff_hook(struct sofsim *sim)
{
	if (sim->cfg.handoff_hook)
		sim->cfg.handoff_hook(sim->cfg.handoff_hook_arg);
}

/*
 * enforce=mmu: before the token holder closes the arena to user mode, every
 * other emulated pthread of the context must be parked in its futex wait,
 * including one still starting up or ending.
 */
static void pt_quiesce(struct sofsim *sim)
{
	for (struct pt_host *h = caller_of(sim)->next; h; h = h->next) {
		if (sim->running->carrier && h == sim->running->carrier->host)
			continue;
		while (!atomic_load_explicit(&h->parked, memory_order_acquire))
			sched_yield();
	}
}

static void emu_entry(void *arg)
{
	struct sofsim_thread *t = arg;

	sofsim__asan_finish_switch(NULL);
	sofsim__note_inside(t->sim);
	sofsim__thread_main(t);
	abort(); /* thread_main leaves through exit_to */
}

/* The pthread: wait for the token, run the emulated context until it parks or ends, hand the token on. */
static void *pthread_loop(void *arg)
{
	struct pt_host *h = arg;
	struct sofsim *sim = h->sim;
	pthread_attr_t attr;
	void *lo;

	if (pthread_getattr_np(pthread_self(), &attr) == 0) {
		if (pthread_attr_getstack(&attr, &lo, &h->stack_bytes) == 0)
			h->stack_lo = lo;
		pthread_attr_destroy(&attr);
	}
	sofsim__mmu_pthread_enter(h->altstack);
	for (;;) {
		wait_token(sim, h);
		if (atomic_load(&h->quit))
			return NULL;
		sofsim__ctx_asan_clear_dead(h->emu->stack_lo, h->emu->sp);
		sofsim__asan_start_switch(&h->asan_fake_stack, h->emu->stack_lo, h->emu->stack_bytes);
		sofsim__ctx_switch(&h->loop_sp, h->emu->sp);
		sofsim__asan_finish_switch(h->asan_fake_stack);
		handoff_hook(sim);
		give_token(h->handoff);
		handoff_hook(sim);
	}
}

static struct pt_host *host_new(struct sofsim *sim)
{
	struct pt_host *h = calloc(1, sizeof(*h));

	if (h && sim->host.carrier) {
		h->next = caller_of(sim)->next;
		caller_of(sim)->next = h;
	}
	return h;
}

/* End the pthread (it waits for its token wherever its emulated context is) and forget it. */
static void host_end(struct sofsim *sim, struct pt_host *h)
{
	struct pt_host **at = &caller_of(sim)->next;

	if (h->has_thread) {
		atomic_store(&h->quit, true);
		give_token(h);
		pthread_join(h->thread, NULL);
	}
	while (*at && *at != h)
		at = &(*at)->next;
	if (*at)
		*at = h->next;
	free(h);
}

static int pt_init(struct sofsim *sim)
{
	struct sofsim__carrier *c = sofsim__mmu_carrier_alloc(sim, sizeof(*c));

	if (!c)
		return -ENOMEM;
	c->host = host_new(sim);
	if (!c->host) {
		sofsim__mmu_carrier_free(sim, c);
		return -ENOMEM;
	}
	sim->host.carrier = c;
	return 0;
}

static void pt_fini(struct sofsim *sim)
{
	struct pt_host *caller = caller_of(sim);

	while (caller->next)
		host_end(sim, caller->next);
	free(caller);
	sofsim__mmu_carrier_free(sim, sim->host.carrier);
	sim->host.carrier = NULL;
}

static int start_pthread(struct sofsim *sim, struct pt_host *h, const char *thread_name)
{
	pthread_attr_t attr;
	char name[16];
	int ret;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, LOOP_STACK_BYTES);
	ret = -pthread_create(&h->thread, &attr, pthread_loop, h);
	pthread_attr_destroy(&attr);
	if (ret)
		return ret;
	h->has_thread = true;
	/* Linux keeps 15 characters of a thread name. */
	snprintf(name, sizeof(name), "ss-%.12s", thread_name);
	pthread_setname_np(h->thread, name);
	if (sim->cfg.pin_cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(sim->cfg.pin_cpu, &set);
		pthread_setaffinity_np(h->thread, sizeof(set), &set);
	}
	return 0;
}

/* The emulated context starts at emu_entry on the thread's arena stack. */
static void emu_context(struct sofsim__carrier *c, struct sofsim_thread *t)
{
	c->stack_lo = t->stack_lo;
	c->stack_bytes = t->stack_bytes;
	c->sp = sofsim__ctx_make(t->stack_lo, t->stack_bytes, emu_entry, t);
}

static int pt_thread_init(struct sofsim *sim, struct sofsim_thread *t)
{
	struct sofsim__carrier *c = sofsim__mmu_carrier_alloc(sim, sizeof(*c));
	struct pt_host *h;
	int ret;

	if (!c)
		return -ENOMEM;
	emu_context(c, t);
	h = host_new(sim);
	if (!h) {
		sofsim__mmu_carrier_free(sim, c);
		return -ENOMEM;
	}
	h->emu = c;
	h->sim = sim;
	h->altstack = t->mmu_altstack;
	h->live = true;
	c->host = h;
	ret = start_pthread(sim, h, t->name);
	if (ret) {
		host_end(sim, h);
		sofsim__mmu_carrier_free(sim, c);
		return ret;
	}
	c->vg_stack_id = sofsim__vg_stack_register(t->stack_lo, t->stack_bytes);
	t->carrier = c;
	return 0;
}

/* A pthread of the snapshot stays, parked, for a reset to bring its thread back. */
static void pt_thread_fini(struct sofsim *sim, struct sofsim_thread *t)
{
	struct sofsim__carrier *c = t->carrier;

	if (!c)
		return;
	sofsim__vg_stack_deregister(c->vg_stack_id);
	c->host->live = false;
	if (!c->host->pinned)
		host_end(sim, c->host);
	sofsim__mmu_carrier_free(sim, c);
	t->carrier = NULL;
}

/* After a reset @t's record and context are the snapshot's, and so is the pthread they name. */
static void pt_thread_restore(struct sofsim *sim, struct sofsim_thread *t)
{
	struct sofsim__carrier *c = t->carrier;

	(void)sim;
	c->host->live = true;
	c->host->exited = false;
	c->vg_stack_id = sofsim__vg_stack_register(t->stack_lo, t->stack_bytes);
}

/* A snapshot keeps the pthreads of its threads; those kept for an earlier one and unused now end. */
static void pt_snapshot(struct sofsim *sim, bool taken)
{
	struct pt_host *h = caller_of(sim)->next;

	while (h) {
		struct pt_host *next = h->next;

		h->pinned = taken && h->live;
		if (!h->live)
			host_end(sim, h);
		h = next;
	}
}

static void pt_switch(struct sofsim *sim, struct sofsim_thread *from, struct sofsim_thread *to)
{
	struct sofsim__carrier *c = from->carrier;

	sim->stats.os_handoffs++;
	sofsim__leave_inside(sim);
	if (from->is_host) {
		handoff_hook(sim);
		give_token(to->carrier->host);
		handoff_hook(sim);
		wait_token(sim, c->host);
	} else {
		/* Save the context first: the loop hands the token on from the pthread's own stack. */
		c->host->handoff = to->carrier->host;
		sofsim__asan_start_switch(&c->asan_fake_stack, c->host->stack_lo, c->host->stack_bytes);
		sofsim__ctx_switch(&c->sp, c->host->loop_sp);
		sofsim__asan_finish_switch(c->asan_fake_stack);
	}
	sofsim__note_inside(sim);
}

static void pt_exit(struct sofsim *sim, struct sofsim_thread *from, struct sofsim_thread *to)
{
	struct pt_host *h = from->carrier->host;
	void *abandoned; /* @from's stack is never resumed */

	sim->stats.os_handoffs++;
	sofsim__leave_inside(sim);
	h->handoff = to->carrier->host;
	h->exited = true;
	/* The pthread stays in its loop until the thread's record goes (or a reset brings it back). */
	sofsim__asan_start_switch(NULL, h->stack_lo, h->stack_bytes);
	sofsim__ctx_switch(&abandoned, h->loop_sp);
	abort();
}

const struct sofsim__carrier_ops sofsim__pthread_ops = {
	.name = "pthread",
	.init = pt_init,
	.fini = pt_fini,
	.thread_init = pt_thread_init,
	.thread_fini = pt_thread_fini,
	.thread_restore = pt_thread_restore,
	.switch_to = pt_switch,
	.exit_to = pt_exit,
	.quiesce = pt_quiesce,
	.snapshot = pt_snapshot,
};
