/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Futexes and the user-memory primitives built on them. A futex word and a
 * sys_mutex live in user memory but work only when registered (the analogue
 * of a static K_FUTEX_DEFINE / SYS_SEM_DEFINE / SYS_MUTEX_DEFINE): on an
 * unregistered address the futex and sys_mutex syscalls return -EINVAL
 * instead of oopsing, so sys_sem_take and sys_mutex_lock silently stop
 * synchronising — the trap SOF hit with a sys_sem on the heap (bug class 4).
 * The model does the same and flags it.
 */
#include <errno.h>

#include "kernel/syscall_priv.h"

struct sofsim__futexreg {
	struct sofsim_list node; /* sim->futex_regs */
	const void *addr;
};

static bool futex_registered(const struct sofsim *sim, const void *addr)
{
	const struct sofsim_list *pos;

	for (pos = sim->futex_regs.next; pos != &sim->futex_regs; pos = pos->next)
		if (SOFSIM_CONTAINER_OF(pos, struct sofsim__futexreg, node)->addr == addr)
			return true;
	return false;
}

static void flag_unregistered(struct sofsim *sim, const void *addr)
{
	sim->unregistered_sync_ops++;
	sofsim__evlog_add(sim, SOFSIM_EV_FLAG, 4, (uint32_t)(uintptr_t)addr);
}

int sofsim_futex_define(struct sofsim *sim, atomic_int *addr)
{
	struct sofsim__futexreg *reg;

	sofsim__require_supervisor(sim, "sofsim_futex_define");
	if (!addr)
		return -EINVAL;
	if (futex_registered(sim, addr))
		return -EEXIST;
	reg = sofsim__kzalloc(sim, sizeof(*reg));
	if (!reg)
		return -ENOMEM;
	reg->addr = addr;
	sofsim_list_append(&sim->futex_regs, &reg->node);
	return 0;
}

static struct sofsim__futexq *futexq_find(struct sofsim *sim, const atomic_int *addr)
{
	struct sofsim_list *pos;

	sofsim_list_for_each(pos, &sim->futexes) {
		struct sofsim__futexq *q = SOFSIM_CONTAINER_OF(pos, struct sofsim__futexq, node);

		if (q->addr == addr)
			return q;
	}
	return NULL;
}

static void futexq_put(struct sofsim *sim, struct sofsim__futexq *q)
{
	if (!sofsim_list_empty(&q->waiters.threads))
		return;
	sofsim_list_remove(&q->node);
	sofsim__kfree(sim, q);
}

static int impl_wait(struct sofsim *sim, atomic_int *addr, int expected, int64_t timeout)
{
	struct sofsim__futexq *q;
	int ret;

	if (!futex_registered(sim, addr)) {
		flag_unregistered(sim, addr);
		return -EINVAL;
	}
	if (!sofsim__in_thread(sim))
		return -EBUSY;
	if (atomic_load_explicit(addr, memory_order_acquire) != expected)
		return -EAGAIN;
	if (timeout == SOFSIM_NO_WAIT)
		return -ETIMEDOUT;
	q = futexq_find(sim, addr);
	if (!q) {
		q = sofsim__kzalloc(sim, sizeof(*q));
		if (!q)
			return -ENOMEM;
		q->addr = addr;
		sofsim__waitq_init(&q->waiters);
		sofsim_list_append(&sim->futexes, &q->node);
	}
	ret = sofsim__block(sim, &q->waiters, timeout);
	/* The queue may be gone if a waker emptied it; look it up again. */
	q = futexq_find(sim, addr);
	if (q)
		futexq_put(sim, q);
	return ret == -EAGAIN ? -ETIMEDOUT : ret;
}

static int impl_wake(struct sofsim *sim, atomic_int *addr, bool all)
{
	struct sofsim__futexq *q;
	struct sofsim_thread *t;
	int woken = 0;

	if (!futex_registered(sim, addr)) {
		flag_unregistered(sim, addr);
		return -EINVAL;
	}
	q = futexq_find(sim, addr);
	if (!q)
		return 0;
	while ((t = sofsim__waitq_first(&q->waiters))) {
		sofsim__wake(sim, t, 0);
		woken++;
		if (!all)
			break;
	}
	futexq_put(sim, q);
	sofsim__sched_point(sim);
	return woken;
}

int sofsim_futex_wait(struct sofsim *sim, atomic_int *addr, int expected, int64_t timeout)
{
	if (sofsim__from_user())
		return (int)sofsim__syscall(sim, SOFSIM_SYS_k_futex_wait,
					    SOFSIM_ARGS(SOFSIM_ARG(addr), (uintptr_t)(intptr_t)expected, SOFSIM_ARG(timeout)));
	return impl_wait(sim, addr, expected, timeout);
}

uintptr_t sofsim__mrsh_k_futex_wait(struct sofsim *sim, const uintptr_t *a)
{
	atomic_int *addr = (atomic_int *)a[0];

	if (!sofsim__user_can_write(sim, addr, sizeof(*addr)))
		return (uintptr_t)-EACCES;
	sofsim__toctou_point(sim);
	return (uintptr_t)impl_wait(sim, addr, (int)(intptr_t)a[1], (int64_t)a[2]);
}

int sofsim_futex_wake(struct sofsim *sim, atomic_int *addr, bool all)
{
	if (sofsim__from_user())
		return (int)sofsim__syscall(sim, SOFSIM_SYS_k_futex_wake, SOFSIM_ARGS(SOFSIM_ARG(addr), all));
	return impl_wake(sim, addr, all);
}

uintptr_t sofsim__mrsh_k_futex_wake(struct sofsim *sim, const uintptr_t *a)
{
	atomic_int *addr = (atomic_int *)a[0];

	if (!sofsim__user_can_write(sim, addr, sizeof(*addr)))
		return (uintptr_t)-EACCES;
	return (uintptr_t)impl_wake(sim, addr, a[1] != 0);
}

/* ---- sys_sem: plain user-space code over a futex ---- */

int sofsim_sys_sem_init(struct sofsim_sys_sem *s, int count, int limit)
{
	if (!s || limit <= 0 || count < 0 || count > limit)
		return -EINVAL;
	atomic_init(&s->count, count);
	s->limit = limit;
	return 0;
}

int sofsim_sys_sem_define(struct sofsim *sim, struct sofsim_sys_sem *s, int count, int limit)
{
	int ret = sofsim_sys_sem_init(s, count, limit);

	return ret ? ret : sofsim_futex_define(sim, &s->count);
}

int sofsim_sys_sem_give(struct sofsim *sim, struct sofsim_sys_sem *s)
{
	int c = atomic_load_explicit(&s->count, memory_order_relaxed);
	int ret;

	do {
		if (c >= s->limit)
			return -EAGAIN;
	} while (!atomic_compare_exchange_weak(&s->count, &c, c + 1));
	/* Like Zephyr, wake every waiter: they race for the count again. */
	ret = sofsim_futex_wake(sim, &s->count, true);
	return ret < 0 ? ret : 0;
}

int sofsim_sys_sem_take(struct sofsim *sim, struct sofsim_sys_sem *s, int64_t timeout)
{
	uint64_t deadline = timeout == SOFSIM_FOREVER ? SOFSIM_TIME_NEVER : sim->now + (uint64_t)timeout;

	for (;;) {
		int c = atomic_load_explicit(&s->count, memory_order_relaxed);
		int64_t left;
		int ret;

		while (c > 0)
			if (atomic_compare_exchange_weak(&s->count, &c, c - 1))
				return 0;
		if (timeout == SOFSIM_NO_WAIT)
			return -EBUSY;
		left = deadline == SOFSIM_TIME_NEVER ? SOFSIM_FOREVER : (int64_t)(deadline - sim->now);
		if (left == 0)
			return -EAGAIN;
		ret = sofsim_futex_wait(sim, &s->count, 0, left);
		if (ret == -ETIMEDOUT)
			return -EAGAIN;
		if (ret && ret != -EAGAIN)
			return ret;
	}
}

/* ---- sys_mutex: backed by a kernel mutex found by the user object's address ---- */

static struct sofsim__sysmutex *sys_mutex_find(struct sofsim *sim, const struct sofsim_sys_mutex *m)
{
	struct sofsim_list *pos;

	sofsim_list_for_each(pos, &sim->sys_mutexes) {
		struct sofsim__sysmutex *rec = SOFSIM_CONTAINER_OF(pos, struct sofsim__sysmutex, node);

		if (rec->addr == m)
			return rec;
	}
	return NULL;
}

int sofsim_sys_mutex_define(struct sofsim *sim, struct sofsim_sys_mutex *m)
{
	struct sofsim__sysmutex *rec;
	int ret;

	sofsim__require_supervisor(sim, "sofsim_sys_mutex_define");
	if (!m)
		return -EINVAL;
	if (sys_mutex_find(sim, m))
		return -EEXIST;
	rec = sofsim__kzalloc(sim, sizeof(*rec));
	if (!rec)
		return -ENOMEM;
	ret = sofsim_mutex_create(sim, &rec->kmutex);
	if (ret) {
		sofsim__kfree(sim, rec);
		return ret;
	}
	((struct sofsim__kobj *)rec->kmutex)->flags |= SOFSIM_KOBJ_PUBLIC; /* reached only through the sys_mutex */
	rec->addr = m;
	m->cookie = 0x53594d58u; /* "SYMX": defined */
	sofsim_list_append(&sim->sys_mutexes, &rec->node);
	return 0;
}

static int impl_sys_mutex(struct sofsim *sim, struct sofsim_sys_mutex *m, bool lock, int64_t timeout)
{
	struct sofsim__sysmutex *rec = sys_mutex_find(sim, m);

	if (!rec) {
		flag_unregistered(sim, m);
		return -EINVAL;
	}
	return lock ? sofsim_mutex_lock(rec->kmutex, timeout) : sofsim_mutex_unlock(rec->kmutex);
}

int sofsim_sys_mutex_lock(struct sofsim *sim, struct sofsim_sys_mutex *m, int64_t timeout)
{
	if (sofsim__from_user())
		return (int)sofsim__syscall(sim, SOFSIM_SYS_z_sys_mutex_kernel_lock,
					    SOFSIM_ARGS(SOFSIM_ARG(m), SOFSIM_ARG(timeout)));
	return impl_sys_mutex(sim, m, true, timeout);
}

uintptr_t sofsim__mrsh_z_sys_mutex_kernel_lock(struct sofsim *sim, const uintptr_t *a)
{
	struct sofsim_sys_mutex *m = (struct sofsim_sys_mutex *)a[0];

	if (!sofsim__user_can_write(sim, m, sizeof(*m)))
		return (uintptr_t)-EACCES;
	return (uintptr_t)impl_sys_mutex(sim, m, true, (int64_t)a[1]);
}

int sofsim_sys_mutex_unlock(struct sofsim *sim, struct sofsim_sys_mutex *m)
{
	if (sofsim__from_user())
		return (int)sofsim__syscall(sim, SOFSIM_SYS_z_sys_mutex_kernel_unlock, SOFSIM_ARGS(SOFSIM_ARG(m)));
	return impl_sys_mutex(sim, m, false, 0);
}

uintptr_t sofsim__mrsh_z_sys_mutex_kernel_unlock(struct sofsim *sim, const uintptr_t *a)
{
	struct sofsim_sys_mutex *m = (struct sofsim_sys_mutex *)a[0];

	if (!sofsim__user_can_write(sim, m, sizeof(*m)))
		return (uintptr_t)-EACCES;
	return (uintptr_t)impl_sys_mutex(sim, m, false, 0);
}
