/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Event object (k_event): 32 event bits; waiters wait for any or all of a
 * mask. SOFSIM_KEVENT_CONSUME gives k_event_wait_safe's clear-on-return.
 * Everything but create/destroy is a syscall.
 */
#include <errno.h>

#include "kernel/syscall_priv.h"

struct sofsim_kevent {
	struct sofsim__kobj obj;
	struct sofsim__waitq waiters;
	uint32_t events;
};

static void kevent_release(struct sofsim__kobj *obj)
{
	struct sofsim_kevent *ev = (struct sofsim_kevent *)obj;

	sofsim__waitq_wake_all(obj->sim, &ev->waiters, -EAGAIN);
}

static int impl_init(struct sofsim_kevent *ev)
{
	sofsim__waitq_init(&ev->waiters);
	ev->events = 0;
	ev->obj.flags |= SOFSIM_KOBJ_INIT;
	return 0;
}

int sofsim_kevent_create(struct sofsim *sim, struct sofsim_kevent **out)
{
	struct sofsim_kevent *ev;

	sofsim__require_supervisor(sim, "sofsim_kevent_create");
	if (!out)
		return -EINVAL;
	ev = sofsim__kobj_new(sim, sizeof(*ev), SOFSIM_OBJ_EVENT, kevent_release);
	if (!ev)
		return -ENOMEM;
	impl_init(ev);
	*out = ev;
	return 0;
}

int sofsim__kevent_alloc(struct sofsim *sim, struct sofsim__kobj **out)
{
	int ret = sofsim__kobj_alloc(sim, sizeof(struct sofsim_kevent), SOFSIM_OBJ_EVENT, kevent_release, out);

	if (!ret)
		sofsim__waitq_init(&((struct sofsim_kevent *)*out)->waiters);
	return ret;
}

void sofsim_kevent_destroy(struct sofsim_kevent *ev)
{
	if (!ev)
		return;
	sofsim__require_supervisor(ev->obj.sim, "sofsim_kevent_destroy");
	sofsim__kobj_delete(&ev->obj);
}

/* The events that satisfy a wait for @want with @flags, or 0. */
static uint32_t match(uint32_t events, uint32_t want, unsigned flags)
{
	uint32_t m = events & want;

	if (flags & SOFSIM_KEVENT_ALL)
		return m == want ? m : 0;
	return m;
}

static void wake_matching(struct sofsim_kevent *ev)
{
	struct sofsim *sim = ev->obj.sim;
	struct sofsim_list *pos, *tmp;

	sofsim_list_for_each_safe(pos, tmp, &ev->waiters.threads) {
		struct sofsim_thread *t = SOFSIM_CONTAINER_OF(pos, struct sofsim_thread, node);
		uint32_t m = match(ev->events, (uint32_t)t->wait_data, t->wait_flags);

		if (!m)
			continue;
		if (t->wait_flags & SOFSIM_KEVENT_CONSUME)
			ev->events &= ~m;
		t->wait_data = m;
		sofsim__wake(sim, t, 0);
	}
}

static uint32_t update(struct sofsim_kevent *ev, uint32_t events)
{
	uint32_t prev = ev->events;

	ev->events = events;
	sofsim__evlog_add(ev->obj.sim, SOFSIM_EV_EVENT_POST, events, prev);
	wake_matching(ev);
	sofsim__sched_point(ev->obj.sim);
	return prev;
}

static uint32_t impl_clear(struct sofsim_kevent *ev, uint32_t bits)
{
	uint32_t prev = ev->events;

	ev->events &= ~bits;
	return prev;
}

static uint32_t impl_wait(struct sofsim_kevent *ev, uint32_t bits, unsigned flags, int64_t timeout)
{
	struct sofsim *sim = ev->obj.sim;
	struct sofsim_thread *self = sim->running;
	uint32_t m;

	if (flags & SOFSIM_KEVENT_RESET)
		ev->events = 0;
	m = match(ev->events, bits, flags);
	if (m) {
		if (flags & SOFSIM_KEVENT_CONSUME)
			ev->events &= ~m;
		sofsim__sched_point(sim);
		return m;
	}
	if (timeout == SOFSIM_NO_WAIT || !sofsim__in_thread(sim) || bits == 0)
		return 0;
	self->wait_data = bits;
	self->wait_flags = flags;
	if (sofsim__block(sim, &ev->waiters, timeout))
		return 0;
	return (uint32_t)self->wait_data;
}

static struct sofsim_kevent *vrfy_event(struct sofsim *sim, unsigned id, uintptr_t arg, enum sofsim__kobj_init init)
{
	sofsim__vrfy_obj(sim, id, (void *)arg, SOFSIM_OBJ_EVENT, init, "event");
	sofsim__toctou_point(sim);
	return (struct sofsim_kevent *)arg;
}

int sofsim_kevent_init(struct sofsim_kevent *ev)
{
	if (sofsim__from_user())
		return (int)sofsim__syscall(sofsim__user_sim(), SOFSIM_SYS_k_event_init, SOFSIM_ARGS(SOFSIM_ARG(ev)));
	return impl_init(ev);
}

uintptr_t sofsim__mrsh_k_event_init(struct sofsim *sim, const uintptr_t *a)
{
	return (uintptr_t)impl_init(vrfy_event(sim, SOFSIM_SYS_k_event_init, a[0], SOFSIM_KOBJ_ANY_INIT));
}

uint32_t sofsim_kevent_post(struct sofsim_kevent *ev, uint32_t bits)
{
	if (sofsim__from_user())
		return (uint32_t)sofsim__syscall(sofsim__user_sim(), SOFSIM_SYS_k_event_post,
						 SOFSIM_ARGS(SOFSIM_ARG(ev), bits));
	return update(ev, ev->events | bits);
}

uintptr_t sofsim__mrsh_k_event_post(struct sofsim *sim, const uintptr_t *a)
{
	struct sofsim_kevent *ev = vrfy_event(sim, SOFSIM_SYS_k_event_post, a[0], SOFSIM_KOBJ_MUST_INIT);

	return update(ev, ev->events | (uint32_t)a[1]);
}

uint32_t sofsim_kevent_set(struct sofsim_kevent *ev, uint32_t bits)
{
	if (sofsim__from_user())
		return (uint32_t)sofsim__syscall(sofsim__user_sim(), SOFSIM_SYS_k_event_set,
						 SOFSIM_ARGS(SOFSIM_ARG(ev), bits));
	return update(ev, bits);
}

uintptr_t sofsim__mrsh_k_event_set(struct sofsim *sim, const uintptr_t *a)
{
	return update(vrfy_event(sim, SOFSIM_SYS_k_event_set, a[0], SOFSIM_KOBJ_MUST_INIT), (uint32_t)a[1]);
}

uint32_t sofsim_kevent_clear(struct sofsim_kevent *ev, uint32_t bits)
{
	if (sofsim__from_user())
		return (uint32_t)sofsim__syscall(sofsim__user_sim(), SOFSIM_SYS_k_event_clear,
						 SOFSIM_ARGS(SOFSIM_ARG(ev), bits));
	return impl_clear(ev, bits);
}

uintptr_t sofsim__mrsh_k_event_clear(struct sofsim *sim, const uintptr_t *a)
{
	return impl_clear(vrfy_event(sim, SOFSIM_SYS_k_event_clear, a[0], SOFSIM_KOBJ_MUST_INIT), (uint32_t)a[1]);
}

uint32_t sofsim_kevent_wait(struct sofsim_kevent *ev, uint32_t bits, unsigned flags, int64_t timeout)
{
	if (sofsim__from_user())
		return (uint32_t)sofsim__syscall(sofsim__user_sim(), SOFSIM_SYS_k_event_wait,
						 SOFSIM_ARGS(SOFSIM_ARG(ev), bits, flags, SOFSIM_ARG(timeout)));
	return impl_wait(ev, bits, flags, timeout);
}

uintptr_t sofsim__mrsh_k_event_wait(struct sofsim *sim, const uintptr_t *a)
{
	return impl_wait(vrfy_event(sim, SOFSIM_SYS_k_event_wait, a[0], SOFSIM_KOBJ_MUST_INIT), (uint32_t)a[1],
			 (unsigned)a[2], (int64_t)a[3]);
}
