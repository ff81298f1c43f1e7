/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Futexes and the user-memory primitives built on them: sys_sem (atomic
 * count in user memory, futex only on contention) and sys_mutex (a kernel
 * mutex found by the user object's address, so only registered instances
 * work — the rule SOF tripped over).
 */
#include <errno.h>

#include "kernel/kernel_priv.h"

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

int sofsim_futex_wait(struct sofsim *sim, atomic_int *addr, int expected, int64_t timeout)
{
	struct sofsim__futexq *q;
	int ret;

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

int sofsim_futex_wake(struct sofsim *sim, atomic_int *addr, bool all)
{
	struct sofsim__futexq *q = futexq_find(sim, addr);
	struct sofsim_thread *t;
	int woken = 0;

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

int sofsim_sys_sem_init(struct sofsim_sys_sem *s, int count, int limit)
{
	if (!s || limit <= 0 || count < 0 || count > limit)
		return -EINVAL;
	atomic_init(&s->count, count);
	s->limit = limit;
	return 0;
}

int sofsim_sys_sem_give(struct sofsim *sim, struct sofsim_sys_sem *s)
{
	int c = atomic_load_explicit(&s->count, memory_order_relaxed);

	do {
		if (c >= s->limit)
			return -EAGAIN;
	} while (!atomic_compare_exchange_weak(&s->count, &c, c + 1));
	/* Like Zephyr, wake every waiter: they race for the count again. */
	sofsim_futex_wake(sim, &s->count, true);
	return 0;
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
	rec->addr = m;
	m->cookie = 0x53594d58u; /* "SYMX": defined */
	sofsim_list_append(&sim->sys_mutexes, &rec->node);
	return 0;
}

int sofsim_sys_mutex_lock(struct sofsim *sim, struct sofsim_sys_mutex *m, int64_t timeout)
{
	struct sofsim__sysmutex *rec = sys_mutex_find(sim, m);

	return rec ? sofsim_mutex_lock(rec->kmutex, timeout) : -EINVAL;
}

int sofsim_sys_mutex_unlock(struct sofsim *sim, struct sofsim_sys_mutex *m)
{
	struct sofsim__sysmutex *rec = sys_mutex_find(sim, m);

	return rec ? sofsim_mutex_unlock(rec->kmutex) : -EINVAL;
}
