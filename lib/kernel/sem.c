/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Counting semaphore with a limit (k_sem). A give hands the count straight
 * to the first waiter, as Zephyr does.
 */
#include <errno.h>

#include "kernel/kernel_priv.h"

struct sofsim_sem {
	struct sofsim__kobj obj;
	struct sofsim__waitq waiters;
	unsigned count;
	unsigned limit;
};

static void sem_release(struct sofsim__kobj *obj)
{
	struct sofsim_sem *sem = (struct sofsim_sem *)obj;

	sofsim__waitq_wake_all(obj->sim, &sem->waiters, -EAGAIN);
}

int sofsim_sem_create(struct sofsim *sim, unsigned initial, unsigned limit, struct sofsim_sem **out)
{
	struct sofsim_sem *sem;

	if (!out || limit == 0 || initial > limit)
		return -EINVAL;
	sem = sofsim__kobj_new(sim, sizeof(*sem), sem_release);
	if (!sem)
		return -ENOMEM;
	sofsim__waitq_init(&sem->waiters);
	sem->count = initial;
	sem->limit = limit;
	*out = sem;
	return 0;
}

void sofsim_sem_destroy(struct sofsim_sem *sem)
{
	if (sem)
		sofsim__kobj_delete(&sem->obj);
}

int sofsim_sem_take(struct sofsim_sem *sem, int64_t timeout)
{
	struct sofsim *sim = sem->obj.sim;

	if (sem->count > 0) {
		sem->count--;
		sofsim__evlog_add(sim, SOFSIM_EV_SEM_TAKE, sem->count, 0);
		sofsim__sched_point(sim);
		return 0;
	}
	if (timeout == SOFSIM_NO_WAIT || !sofsim__in_thread(sim))
		return -EBUSY;
	return sofsim__block(sim, &sem->waiters, timeout);
}

void sofsim_sem_give(struct sofsim_sem *sem)
{
	struct sofsim *sim = sem->obj.sim;
	struct sofsim_thread *t = sofsim__waitq_first(&sem->waiters);

	if (t)
		sofsim__wake(sim, t, 0);
	else if (sem->count < sem->limit)
		sem->count++;
	sofsim__evlog_add(sim, SOFSIM_EV_SEM_GIVE, sem->count, t ? (uint32_t)t->id : UINT32_MAX);
	sofsim__sched_point(sim);
}

void sofsim_sem_reset(struct sofsim_sem *sem)
{
	sem->count = 0;
	sofsim__waitq_wake_all(sem->obj.sim, &sem->waiters, -EAGAIN);
	sofsim__sched_point(sem->obj.sim);
}

unsigned sofsim_sem_count_get(const struct sofsim_sem *sem)
{
	return sem->count;
}
