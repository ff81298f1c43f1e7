/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Event object (k_event): 32 event bits; waiters wait for any or all of a
 * mask. SOFSIM_KEVENT_CONSUME gives k_event_wait_safe's clear-on-return.
 */
#include <errno.h>

#include "kernel/kernel_priv.h"

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

int sofsim_kevent_create(struct sofsim *sim, struct sofsim_kevent **out)
{
	struct sofsim_kevent *ev;

	if (!out)
		return -EINVAL;
	ev = sofsim__kobj_new(sim, sizeof(*ev), kevent_release);
	if (!ev)
		return -ENOMEM;
	sofsim__waitq_init(&ev->waiters);
	*out = ev;
	return 0;
}

void sofsim_kevent_destroy(struct sofsim_kevent *ev)
{
	if (ev)
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

uint32_t sofsim_kevent_post(struct sofsim_kevent *ev, uint32_t bits)
{
	return update(ev, ev->events | bits);
}

uint32_t sofsim_kevent_set(struct sofsim_kevent *ev, uint32_t bits)
{
	return update(ev, bits);
}

uint32_t sofsim_kevent_clear(struct sofsim_kevent *ev, uint32_t bits)
{
	uint32_t prev = ev->events;

	ev->events &= ~bits;
	return prev;
}

uint32_t sofsim_kevent_wait(struct sofsim_kevent *ev, uint32_t bits, unsigned flags, int64_t timeout)
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
