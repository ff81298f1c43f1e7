/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Timers (k_timer). Periodic timers re-arm from their previous expiry, so
 * they never drift; the callback runs in interrupt context on the timer's core.
 */
#include <errno.h>

#include "kernel/kernel_priv.h"

struct sofsim_timer {
	struct sofsim__kobj obj;
	struct sofsim__timeout to;
	struct sofsim__waitq sync_waiters;
	sofsim_timer_fn fn;
	void *arg;
	uint64_t period;
	uint32_t status;
};

static void timer_fire(struct sofsim *sim, struct sofsim__timeout *to)
{
	struct sofsim_timer *timer = SOFSIM_CONTAINER_OF(to, struct sofsim_timer, to);

	if (timer->period)
		sofsim__timeout_arm(sim, to, to->expiry + timer->period);
	timer->status++;
	sofsim__isr_enter(sim, to->core);
	sofsim__evlog_add(sim, SOFSIM_EV_TIMER, timer->status, 0);
	if (timer->fn)
		timer->fn(timer, timer->arg);
	sofsim__waitq_wake_all(sim, &timer->sync_waiters, 0);
	sofsim__isr_exit(sim);
}

static void timer_release(struct sofsim__kobj *obj)
{
	struct sofsim_timer *timer = (struct sofsim_timer *)obj;

	sofsim__timeout_cancel(&timer->to);
	sofsim__waitq_wake_all(obj->sim, &timer->sync_waiters, -EAGAIN);
}

int sofsim_timer_create(struct sofsim *sim, unsigned core, sofsim_timer_fn expiry, void *arg,
			struct sofsim_timer **out)
{
	struct sofsim_timer *timer;

	if (!out || core >= sim->cores)
		return -EINVAL;
	timer = sofsim__kobj_new(sim, sizeof(*timer), timer_release);
	if (!timer)
		return -ENOMEM;
	sofsim_list_init(&timer->to.node);
	timer->to.core = core;
	timer->to.fire = timer_fire;
	sofsim__waitq_init(&timer->sync_waiters);
	timer->fn = expiry;
	timer->arg = arg;
	*out = timer;
	return 0;
}

void sofsim_timer_destroy(struct sofsim_timer *timer)
{
	if (timer)
		sofsim__kobj_delete(&timer->obj);
}

void sofsim_timer_start(struct sofsim_timer *timer, uint64_t delay_ns, uint64_t period_ns)
{
	struct sofsim *sim = timer->obj.sim;
	uint64_t expiry = sim->now + delay_ns;

	timer->period = period_ns;
	timer->status = 0;
	sofsim__timeout_arm(sim, &timer->to, expiry < sim->now ? SOFSIM_TIME_NEVER - 1 : expiry);
}

void sofsim_timer_stop(struct sofsim_timer *timer)
{
	sofsim__timeout_cancel(&timer->to);
	sofsim__waitq_wake_all(timer->obj.sim, &timer->sync_waiters, -EAGAIN);
}

uint32_t sofsim_timer_status_get(struct sofsim_timer *timer)
{
	uint32_t status = timer->status;

	timer->status = 0;
	return status;
}

uint32_t sofsim_timer_status_sync(struct sofsim_timer *timer)
{
	struct sofsim *sim = timer->obj.sim;

	/* Woken by stop or destroy: the timer may be gone, and the count is 0. */
	if (timer->status == 0 && sofsim_list_linked(&timer->to.node) && sofsim__in_thread(sim) &&
	    sofsim__block(sim, &timer->sync_waiters, SOFSIM_FOREVER))
		return 0;
	return sofsim_timer_status_get(timer);
}

void sofsim__timer_set_core(struct sofsim_timer *timer, unsigned core)
{
	timer->to.core = core;
}

bool sofsim__timer_armed(const struct sofsim_timer *timer)
{
	return sofsim_list_linked(&timer->to.node);
}
