/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Recursive mutex (k_mutex). Unlocking hands ownership to the first waiter.
 * Zephyr's priority inheritance is not modelled (docs/model-fidelity.md).
 * Lock, unlock and init are syscalls.
 */
#include <errno.h>

#include "kernel/syscall_priv.h"

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

static int impl_init(struct sofsim_mutex *m)
{
	sofsim__waitq_init(&m->waiters);
	m->owner = NULL;
	m->depth = 0;
	m->obj.flags |= SOFSIM_KOBJ_INIT;
	return 0;
}

int sofsim_mutex_create(struct sofsim *sim, struct sofsim_mutex **out)
{
	struct sofsim_mutex *m;

	sofsim__require_supervisor(sim, "sofsim_mutex_create");
	if (!out)
		return -EINVAL;
	m = sofsim__kobj_new(sim, sizeof(*m), SOFSIM_OBJ_MUTEX, mutex_release);
	if (!m)
		return -ENOMEM;
	impl_init(m);
	*out = m;
	return 0;
}

int sofsim__mutex_alloc(struct sofsim *sim, struct sofsim__kobj **out)
{
	int ret = sofsim__kobj_alloc(sim, sizeof(struct sofsim_mutex), SOFSIM_OBJ_MUTEX, mutex_release, out);

	if (!ret)
		sofsim__waitq_init(&((struct sofsim_mutex *)*out)->waiters);
	return ret;
}

void sofsim_mutex_destroy(struct sofsim_mutex *m)
{
	if (!m)
		return;
	sofsim__require_supervisor(m->obj.sim, "sofsim_mutex_destroy");
	sofsim__kobj_delete(&m->obj);
}

static int impl_lock(struct sofsim_mutex *m, int64_t timeout)
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

static int impl_unlock(struct sofsim_mutex *m)
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

static struct sofsim_mutex *vrfy_mutex(struct sofsim *sim, unsigned id, uintptr_t arg, enum sofsim__kobj_init init)
{
	sofsim__vrfy_obj(sim, id, (void *)arg, SOFSIM_OBJ_MUTEX, init, "mutex");
	sofsim__toctou_point(sim);
	return (struct sofsim_mutex *)arg;
}

int sofsim_mutex_init(struct sofsim_mutex *m)
{
	if (sofsim__from_user())
		return (int)sofsim__syscall(sofsim__user_sim(), SOFSIM_SYS_k_mutex_init, SOFSIM_ARGS(SOFSIM_ARG(m)));
	return impl_init(m);
}

uintptr_t sofsim__mrsh_k_mutex_init(struct sofsim *sim, const uintptr_t *a)
{
	return (uintptr_t)impl_init(vrfy_mutex(sim, SOFSIM_SYS_k_mutex_init, a[0], SOFSIM_KOBJ_ANY_INIT));
}

int sofsim_mutex_lock(struct sofsim_mutex *m, int64_t timeout)
{
	if (sofsim__from_user())
		return (int)sofsim__syscall(sofsim__user_sim(), SOFSIM_SYS_k_mutex_lock,
					    SOFSIM_ARGS(SOFSIM_ARG(m), SOFSIM_ARG(timeout)));
	return impl_lock(m, timeout);
}

uintptr_t sofsim__mrsh_k_mutex_lock(struct sofsim *sim, const uintptr_t *a)
{
	return (uintptr_t)impl_lock(vrfy_mutex(sim, SOFSIM_SYS_k_mutex_lock, a[0], SOFSIM_KOBJ_MUST_INIT),
				    (int64_t)a[1]);
}

int sofsim_mutex_unlock(struct sofsim_mutex *m)
{
	if (sofsim__from_user())
		return (int)sofsim__syscall(sofsim__user_sim(), SOFSIM_SYS_k_mutex_unlock, SOFSIM_ARGS(SOFSIM_ARG(m)));
	return impl_unlock(m);
}

uintptr_t sofsim__mrsh_k_mutex_unlock(struct sofsim *sim, const uintptr_t *a)
{
	return (uintptr_t)impl_unlock(vrfy_mutex(sim, SOFSIM_SYS_k_mutex_unlock, a[0], SOFSIM_KOBJ_MUST_INIT));
}
