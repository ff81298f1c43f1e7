/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fiber carrier (the default): every emulated thread is a context on the
 * caller's own OS thread, so a hand-off is a user-space register switch
 * (ctx_switch.c) and never waits on the host scheduler
 * (docs/design-decisions.md).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "kernel/ctx_switch.h"
#include "kernel/kernel_priv.h"
#include "kernel/tools.h"

struct sofsim__carrier {
	void *sp; /* the saved context (ctx_switch.h) */
	void *asan_fake_stack;
	unsigned vg_stack_id;
	const void *stack_lo; /* for the sanitizer's stack bounds */
	size_t stack_bytes;
};

static void fiber_entry(void *arg)
{
	struct sofsim_thread *t = arg;

	sofsim__asan_finish_switch(NULL);
	sofsim__note_inside(t->sim);
	sofsim__thread_main(t);
	abort(); /* thread_main leaves through exit_to */
}

static int fiber_init(struct sofsim *sim)
{
	struct sofsim__carrier *c = sofsim__kzalloc(sim, sizeof(*c));
	pthread_attr_t attr;
	void *addr;
	size_t size;

	if (!c)
		return -ENOMEM;
	/* The host stack's bounds, for the sanitizer's switch annotations. */
	if (pthread_getattr_np(pthread_self(), &attr) == 0) {
		if (pthread_attr_getstack(&attr, &addr, &size) == 0) {
			c->stack_lo = addr;
			c->stack_bytes = size;
		}
		pthread_attr_destroy(&attr);
	}
	sim->host.carrier = c;
	return 0;
}

static void fiber_fini(struct sofsim *sim)
{
	sofsim__kfree(sim, sim->host.carrier);
	sim->host.carrier = NULL;
}

static int fiber_thread_init(struct sofsim *sim, struct sofsim_thread *t)
{
	struct sofsim__carrier *c = sofsim__kzalloc(sim, sizeof(*c));

	if (!c)
		return -ENOMEM;
	c->stack_lo = t->stack_lo;
	c->stack_bytes = t->stack_bytes;
	c->sp = sofsim__ctx_make(t->stack_lo, t->stack_bytes, fiber_entry, t);
	c->vg_stack_id = sofsim__vg_stack_register(t->stack_lo, t->stack_bytes);
	t->carrier = c;
	return 0;
}

static void fiber_thread_fini(struct sofsim *sim, struct sofsim_thread *t)
{
	if (!t->carrier)
		return;
	sofsim__vg_stack_deregister(t->carrier->vg_stack_id);
	sofsim__kfree(sim, t->carrier);
	t->carrier = NULL;
}

static void fiber_thread_restore(struct sofsim *sim, struct sofsim_thread *t)
{
	(void)sim;
	t->carrier->vg_stack_id = sofsim__vg_stack_register(t->stack_lo, t->stack_bytes);
}

/* ASan: the stack @to resumes on, with its dead part cleared (the host's stack is not ours to clear). */
static void asan_switch_in(const struct sofsim_thread *to, void **fake_stack_save)
{
	const struct sofsim__carrier *c = to->carrier;

	if (!to->is_host)
		sofsim__ctx_asan_clear_dead(c->stack_lo, c->sp);
	sofsim__asan_start_switch(fake_stack_save, c->stack_lo, c->stack_bytes);
}

static void fiber_switch(struct sofsim *sim, struct sofsim_thread *from, struct sofsim_thread *to)
{
	struct sofsim__carrier *f = from->carrier, *c = to->carrier;

	sofsim__leave_inside(sim);
	asan_switch_in(to, &f->asan_fake_stack);
	sofsim__ctx_switch(&f->sp, c->sp);
	sofsim__asan_finish_switch(f->asan_fake_stack);
	sofsim__note_inside(sim);
}

static void fiber_exit(struct sofsim *sim, struct sofsim_thread *from, struct sofsim_thread *to)
{
	struct sofsim__carrier *c = to->carrier;
	void *abandoned; /* @from's stack is never resumed */

	(void)from;
	sofsim__leave_inside(sim);
	asan_switch_in(to, NULL);
	sofsim__ctx_switch(&abandoned, c->sp);
	abort();
}

const struct sofsim__carrier_ops sofsim__fiber_ops = {
	.name = "fiber",
	.init = fiber_init,
	.fini = fiber_fini,
	.thread_init = fiber_thread_init,
	.thread_fini = fiber_thread_fini,
	.thread_restore = fiber_thread_restore,
	.switch_to = fiber_switch,
	.exit_to = fiber_exit,
};
