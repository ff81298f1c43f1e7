/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Recursive mutex (k_mutex). Unlocking hands ownership to the first waiter.
 * Zephyr's priority inheritance is not modelled (docs/model-fidelity.md).
 */
#include <errno.h>

#include "kernel/kernel_priv.h"

struct sofsim_mutex {
	struct sofsim__kobj obj;
	struct sofsim__waitq waiters;
	struct sofsim_thread *owner;
	unsigned depth;
};

static void mutex_release(struct sofsim__kobj *obj)
{
	struct sofsim_mutex *m = (struct sofsim_mutex *)obj;

	sofsim__waitq_wake_all(obj->sim, &m->waiters, -EAGAIN);
}

int sofsim_mutex_create(struct sofsim *sim, struct sofsim_mutex **out)
{
	struct sofsim_mutex *m;

	if (!out)
		return -EINVAL;
	m = sofsim__kobj_new(sim, sizeof(*m), mutex_release);
	if (!m)
		return -ENOMEM;
	sofsim__waitq_init(&m->waiters);
	*out = m;
	return 0;
}

void sofsim_mutex_destroy(struct sofsim_mutex *m)
{
	if (m)
		sofsim__kobj_delete(&m->obj);
}

int sofsim_mutex_lock(struct sofsim_mutex *m, int64_t timeout)
{
	struct sofsim *sim = m->obj.sim;
	struct sofsim_thread *self = sim->running;
	int ret;

	if (sim->isr_depth)
		return -EBUSY;
	if (!m->owner || m->owner == self) {
		m->owner = self;
		m->depth++;
		sofsim__evlog_add(sim, SOFSIM_EV_MUTEX_LOCK, m->depth, 0);
		sofsim__sched_point(sim);
		return 0;
	}
	if (timeout == SOFSIM_NO_WAIT || !sofsim__in_thread(sim))
		return -EBUSY;
	ret = sofsim__block(sim, &m->waiters, timeout);
	if (ret == 0)
		sofsim__evlog_add(sim, SOFSIM_EV_MUTEX_LOCK, m->depth, 0);
	return ret;
}

int sofsim_mutex_unlock(struct sofsim_mutex *m)
{
	struct sofsim *sim = m->obj.sim;
	struct sofsim_thread *next;

	if (!m->owner)
		return -EINVAL;
	if (m->owner != sim->running || sim->isr_depth)
		return -EPERM;
	if (--m->depth > 0)
		return 0;
	next = sofsim__waitq_first(&m->waiters);
	m->owner = next;
	if (next) {
		m->depth = 1;
		sofsim__wake(sim, next, 0);
	}
	sofsim__evlog_add(sim, SOFSIM_EV_MUTEX_UNLOCK, 0, next ? (uint32_t)next->id : UINT32_MAX);
	sofsim__sched_point(sim);
	return 0;
}
