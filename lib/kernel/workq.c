/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Work queues (k_work_q): a kernel thread runs submitted items in order;
 * delayable items submit themselves from a timer (SOF's IPC send queue is
 * one of these).
 */
#include <errno.h>

#include "kernel/kernel_priv.h"

struct sofsim_workq {
	struct sofsim__kobj obj;
	struct sofsim_thread *thread;
	struct sofsim_work *head, *tail;
	struct sofsim__waitq idle;
	unsigned core;
};

static struct sofsim_work *pop(struct sofsim_workq *q)
{
	struct sofsim_work *w = q->head;

	if (w) {
		q->head = w->next;
		if (!q->head)
			q->tail = NULL;
		w->next = NULL;
	}
	return w;
}

static void workq_main(void *arg)
{
	struct sofsim_workq *q = arg;
	struct sofsim *sim = q->obj.sim;

	for (;;) {
		struct sofsim_work *w = pop(q);

		if (!w) {
			sofsim__block(sim, &q->idle, SOFSIM_FOREVER);
			continue;
		}
		w->pending = false;
		w->queue = NULL;
		sofsim__evlog_add(sim, SOFSIM_EV_WORK, 0, 0);
		w->handler(w);
	}
}

static void workq_release(struct sofsim__kobj *obj)
{
	struct sofsim_workq *q = (struct sofsim_workq *)obj;
	struct sofsim_work *w;

	while ((w = pop(q))) {
		w->pending = false;
		w->queue = NULL;
	}
	/* The thread itself is aborted by sofsim_workq_destroy() or by context teardown. */
}

int sofsim_workq_create(struct sofsim *sim, const char *name, int prio, unsigned core,
			struct sofsim_workq **out)
{
	struct sofsim_thread_attr attr = { .name = name, .prio = prio, .core = core };
	struct sofsim_workq *q;
	int ret;

	sofsim__kernel_only("k_work_queue_start");
	if (!out || core >= sim->cores)
		return -EINVAL;
	q = sofsim__kobj_new(sim, sizeof(*q), SOFSIM_OBJ_WORK_Q, workq_release);
	if (!q)
		return -ENOMEM;
	sofsim__waitq_init(&q->idle);
	q->core = core;
	ret = sofsim_thread_create(sim, &attr, workq_main, q, &q->thread);
	if (ret) {
		sofsim__kobj_delete(&q->obj);
		return ret;
	}
	*out = q;
	return 0;
}

void sofsim_workq_destroy(struct sofsim_workq *q)
{
	sofsim__kernel_only("k_work_queue_stop");
	if (!q)
		return;
	sofsim_thread_abort(q->thread);
	sofsim__kobj_delete(&q->obj);
}

struct sofsim_thread *sofsim_workq_thread(struct sofsim_workq *q)
{
	return q->thread;
}

void sofsim_work_init(struct sofsim_work *w, sofsim_work_fn handler)
{
	*w = (struct sofsim_work){ .handler = handler };
}

int sofsim_work_submit(struct sofsim_workq *q, struct sofsim_work *w)
{
	struct sofsim *sim;
	struct sofsim_thread *idle;

	sofsim__kernel_only("k_work_submit_to_queue");
	sim = q->obj.sim;
	if (w->pending)
		return 0;
	w->pending = true;
	w->queue = q;
	w->next = NULL;
	if (q->tail)
		q->tail->next = w;
	else
		q->head = w;
	q->tail = w;
	idle = sofsim__waitq_first(&q->idle);
	if (idle)
		sofsim__wake(sim, idle, 0);
	sofsim__sched_point(sim);
	return 1;
}

static void cancel_pending(struct sofsim_work *w)
{
	struct sofsim_workq *q = w->queue;
	struct sofsim_work **pp;

	if (!w->pending || !q)
		return;
	for (pp = &q->head; *pp; pp = &(*pp)->next) {
		if (*pp == w) {
			*pp = w->next;
			break;
		}
	}
	q->tail = NULL;
	for (struct sofsim_work *it = q->head; it; it = it->next)
		q->tail = it;
	w->next = NULL;
	w->pending = false;
	w->queue = NULL;
}

static void delayable_expired(struct sofsim_timer *timer, void *arg)
{
	struct sofsim_work_delayable *dw = arg;

	(void)timer;
	if (dw->target)
		sofsim_work_submit(dw->target, &dw->work);
}

int sofsim_work_delayable_init(struct sofsim *sim, struct sofsim_work_delayable *dw, sofsim_work_fn handler)
{
	sofsim__kernel_only("k_work_init_delayable");
	sofsim_work_init(&dw->work, handler);
	dw->target = NULL;
	return sofsim_timer_create(sim, 0, delayable_expired, dw, &dw->timer);
}

void sofsim_work_delayable_deinit(struct sofsim_work_delayable *dw)
{
	sofsim_work_cancel_delayable(dw);
	sofsim_timer_destroy(dw->timer);
	dw->timer = NULL;
}

int sofsim_work_schedule(struct sofsim_workq *q, struct sofsim_work_delayable *dw, uint64_t delay_ns)
{
	sofsim__kernel_only("k_work_schedule_for_queue");
	if (dw->work.pending || sofsim__timer_armed(dw->timer))
		return 0;
	if (delay_ns == 0)
		return sofsim_work_submit(q, &dw->work);
	dw->target = q;
	sofsim__timer_set_core(dw->timer, q->core);
	sofsim_timer_start(dw->timer, delay_ns, 0);
	return 1;
}

void sofsim_work_cancel_delayable(struct sofsim_work_delayable *dw)
{
	sofsim__kernel_only("k_work_cancel_delayable");
	if (dw->timer)
		sofsim_timer_stop(dw->timer);
	cancel_pending(&dw->work);
}
