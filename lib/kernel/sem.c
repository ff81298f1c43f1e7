/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Counting semaphore with a limit (k_sem). A give hands the count straight
 * to the first waiter, as Zephyr does. Every call but create/destroy is a
 * syscall.
 */
#include <errno.h>

#include "kernel/syscall_priv.h"

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

static int impl_init(struct sofsim_sem *sem, unsigned initial, unsigned limit)
{
	if (limit == 0 || initial > limit)
		return -EINVAL;
	sofsim__waitq_init(&sem->waiters);
	sem->count = initial;
	sem->limit = limit;
	sem->obj.flags |= SOFSIM_KOBJ_INIT;
	return 0;
}

int sofsim_sem_create(struct sofsim *sim, unsigned initial, unsigned limit, struct sofsim_sem **out)
{
	struct sofsim_sem *sem;

	sofsim__require_supervisor(sim, "sofsim_sem_create");
	if (!out || limit == 0 || initial > limit)
		return -EINVAL;
	sem = sofsim__kobj_new(sim, sizeof(*sem), SOFSIM_OBJ_SEM, sem_release);
	if (!sem)
		return -ENOMEM;
	impl_init(sem, initial, limit);
	*out = sem;
	return 0;
}

int sofsim__sem_alloc(struct sofsim *sim, struct sofsim__kobj **out)
{
	int ret = sofsim__kobj_alloc(sim, sizeof(struct sofsim_sem), SOFSIM_OBJ_SEM, sem_release, out);

	if (!ret)
		sofsim__waitq_init(&((struct sofsim_sem *)*out)->waiters);
	return ret;
}

void sofsim_sem_destroy(struct sofsim_sem *sem)
{
	if (!sem)
		return;
	sofsim__require_supervisor(sem->obj.sim, "sofsim_sem_destroy");
	sofsim__kobj_delete(&sem->obj);
}

static int impl_take(struct sofsim_sem *sem, int64_t timeout)
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

static void impl_give(struct sofsim_sem *sem)
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

static void impl_reset(struct sofsim_sem *sem)
{
	sem->count = 0;
	sofsim__waitq_wake_all(sem->obj.sim, &sem->waiters, -EAGAIN);
	sofsim__sched_point(sem->obj.sim);
}

/* The verifier every k_sem syscall but init shares. */
static struct sofsim_sem *vrfy_sem(struct sofsim *sim, unsigned id, uintptr_t arg, enum sofsim__kobj_init init)
{
	sofsim__vrfy_obj(sim, id, (void *)arg, SOFSIM_OBJ_SEM, init, "sem");
	sofsim__toctou_point(sim);
	return (struct sofsim_sem *)arg;
}

int sofsim_sem_init(struct sofsim_sem *sem, unsigned initial, unsigned limit)
{
	if (sofsim__from_user())
		return (int)sofsim__syscall(sofsim__user_sim(), SOFSIM_SYS_k_sem_init,
					    SOFSIM_ARGS(SOFSIM_ARG(sem), initial, limit));
	return impl_init(sem, initial, limit);
}

uintptr_t sofsim__mrsh_k_sem_init(struct sofsim *sim, const uintptr_t *a)
{
	return (uintptr_t)impl_init(vrfy_sem(sim, SOFSIM_SYS_k_sem_init, a[0], SOFSIM_KOBJ_ANY_INIT),
				    (unsigned)a[1], (unsigned)a[2]);
}

int sofsim_sem_take(struct sofsim_sem *sem, int64_t timeout)
{
	if (sofsim__from_user())
		return (int)sofsim__syscall(sofsim__user_sim(), SOFSIM_SYS_k_sem_take,
					    SOFSIM_ARGS(SOFSIM_ARG(sem), SOFSIM_ARG(timeout)));
	return impl_take(sem, timeout);
}

uintptr_t sofsim__mrsh_k_sem_take(struct sofsim *sim, const uintptr_t *a)
{
	return (uintptr_t)impl_take(vrfy_sem(sim, SOFSIM_SYS_k_sem_take, a[0], SOFSIM_KOBJ_MUST_INIT), (int64_t)a[1]);
}

void sofsim_sem_give(struct sofsim_sem *sem)
{
	if (sofsim__from_user())
		sofsim__syscall(sofsim__user_sim(), SOFSIM_SYS_k_sem_give, SOFSIM_ARGS(SOFSIM_ARG(sem)));
	else
		impl_give(sem);
}

uintptr_t sofsim__mrsh_k_sem_give(struct sofsim *sim, const uintptr_t *a)
{
	impl_give(vrfy_sem(sim, SOFSIM_SYS_k_sem_give, a[0], SOFSIM_KOBJ_MUST_INIT));
	return 0;
}

void sofsim_sem_reset(struct sofsim_sem *sem)
{
	if (sofsim__from_user())
		sofsim__syscall(sofsim__user_sim(), SOFSIM_SYS_k_sem_reset, SOFSIM_ARGS(SOFSIM_ARG(sem)));
	else
		impl_reset(sem);
}

uintptr_t sofsim__mrsh_k_sem_reset(struct sofsim *sim, const uintptr_t *a)
{
	impl_reset(vrfy_sem(sim, SOFSIM_SYS_k_sem_reset, a[0], SOFSIM_KOBJ_MUST_INIT));
	return 0;
}

unsigned sofsim_sem_count_get(const struct sofsim_sem *sem)
{
	if (sofsim__from_user())
		return (unsigned)sofsim__syscall(sofsim__user_sim(), SOFSIM_SYS_k_sem_count_get,
						 SOFSIM_ARGS(SOFSIM_ARG(sem)));
	return sem->count;
}

uintptr_t sofsim__mrsh_k_sem_count_get(struct sofsim *sim, const uintptr_t *a)
{
	return vrfy_sem(sim, SOFSIM_SYS_k_sem_count_get, a[0], SOFSIM_KOBJ_MUST_INIT)->count;
}
