/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Timers (k_timer). Periodic timers re-arm from their previous expiry, so
 * they never drift; the callback runs in interrupt context on the timer's core.
 * Start, stop and the status calls are syscalls; creating one is kernel-only
 * (k_timer_init is not a syscall in Zephyr).
 */
#include <errno.h>

#include "kernel/syscall_priv.h"

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

static void timer_setup(struct sofsim_timer *timer, unsigned core, sofsim_timer_fn expiry, void *arg)
{
	sofsim_list_init(&timer->to.node);
	timer->to.core = core;
	timer->to.fire = timer_fire;
	sofsim__waitq_init(&timer->sync_waiters);
	timer->fn = expiry;
	timer->arg = arg;
	timer->obj.flags |= SOFSIM_KOBJ_INIT;
}

int sofsim_timer_create(struct sofsim *sim, unsigned core, sofsim_timer_fn expiry, void *arg,
			struct sofsim_timer **out)
{
	struct sofsim_timer *timer;

	sofsim__require_supervisor(sim, "sofsim_timer_create");
	if (!out || core >= sim->cores)
		return -EINVAL;
	timer = sofsim__kobj_new(sim, sizeof(*timer), SOFSIM_OBJ_TIMER, timer_release);
	if (!timer)
		return -ENOMEM;
	timer_setup(timer, core, expiry, arg);
	*out = timer;
	return 0;
}

int sofsim__timer_alloc(struct sofsim *sim, struct sofsim__kobj **out)
{
	int ret = sofsim__kobj_alloc(sim, sizeof(struct sofsim_timer), SOFSIM_OBJ_TIMER, timer_release, out);

	if (!ret) {
		struct sofsim_timer *timer = (struct sofsim_timer *)*out;

		sofsim_list_init(&timer->to.node);
		sofsim__waitq_init(&timer->sync_waiters);
	}
	return ret;
}

int sofsim_timer_init(struct sofsim_timer *timer, unsigned core, sofsim_timer_fn expiry, void *arg)
{
	struct sofsim *sim = timer->obj.sim;

	sofsim__require_supervisor(sim, "sofsim_timer_init");
	if (core >= sim->cores)
		return -EINVAL;
	sofsim__timeout_cancel(&timer->to);
	timer_setup(timer, core, expiry, arg);
	return 0;
}

void sofsim_timer_destroy(struct sofsim_timer *timer)
{
	if (!timer)
		return;
	sofsim__require_supervisor(timer->obj.sim, "sofsim_timer_destroy");
	sofsim__kobj_delete(&timer->obj);
}

static void impl_start(struct sofsim_timer *timer, uint64_t delay_ns, uint64_t period_ns)
{
	struct sofsim *sim = timer->obj.sim;
	uint64_t expiry = sim->now + delay_ns;

	timer->period = period_ns;
	timer->status = 0;
	sofsim__timeout_arm(sim, &timer->to, expiry < sim->now ? SOFSIM_TIME_NEVER - 1 : expiry);
}

static void impl_stop(struct sofsim_timer *timer)
{
	sofsim__timeout_cancel(&timer->to);
	sofsim__waitq_wake_all(timer->obj.sim, &timer->sync_waiters, -EAGAIN);
}

static uint32_t impl_status_get(struct sofsim_timer *timer)
{
	uint32_t status = timer->status;

	timer->status = 0;
	return status;
}

static uint32_t impl_status_sync(struct sofsim_timer *timer)
{
	struct sofsim *sim = timer->obj.sim;

	/* Woken by stop or destroy: the timer may be gone, and the count is 0. */
	if (timer->status == 0 && sofsim_list_linked(&timer->to.node) && sofsim__in_thread(sim) &&
	    sofsim__block(sim, &timer->sync_waiters, SOFSIM_FOREVER))
		return 0;
	return impl_status_get(timer);
}

void sofsim__timer_set_core(struct sofsim_timer *timer, unsigned core)
{
	timer->to.core = core;
}

bool sofsim__timer_armed(const struct sofsim_timer *timer)
{
	return sofsim_list_linked(&timer->to.node);
}

static struct sofsim_timer *vrfy_timer(struct sofsim *sim, unsigned id, uintptr_t arg)
{
	sofsim__vrfy_obj(sim, id, (void *)arg, SOFSIM_OBJ_TIMER, SOFSIM_KOBJ_MUST_INIT, "timer");
	sofsim__toctou_point(sim);
	return (struct sofsim_timer *)arg;
}

void sofsim_timer_start(struct sofsim_timer *timer, uint64_t delay_ns, uint64_t period_ns)
{
	if (sofsim__from_user())
		sofsim__syscall(sofsim__user_sim(), SOFSIM_SYS_k_timer_start,
				SOFSIM_ARGS(SOFSIM_ARG(timer), delay_ns, period_ns));
	else
		impl_start(timer, delay_ns, period_ns);
}

uintptr_t sofsim__mrsh_k_timer_start(struct sofsim *sim, const uintptr_t *a)
{
	impl_start(vrfy_timer(sim, SOFSIM_SYS_k_timer_start, a[0]), a[1], a[2]);
	return 0;
}

void sofsim_timer_stop(struct sofsim_timer *timer)
{
	if (sofsim__from_user())
		sofsim__syscall(sofsim__user_sim(), SOFSIM_SYS_k_timer_stop, SOFSIM_ARGS(SOFSIM_ARG(timer)));
	else
		impl_stop(timer);
}

uintptr_t sofsim__mrsh_k_timer_stop(struct sofsim *sim, const uintptr_t *a)
{
	impl_stop(vrfy_timer(sim, SOFSIM_SYS_k_timer_stop, a[0]));
	return 0;
}

uint32_t sofsim_timer_status_get(struct sofsim_timer *timer)
{
	if (sofsim__from_user())
		return (uint32_t)sofsim__syscall(sofsim__user_sim(), SOFSIM_SYS_k_timer_status_get,
						 SOFSIM_ARGS(SOFSIM_ARG(timer)));
	return impl_status_get(timer);
}

uintptr_t sofsim__mrsh_k_timer_status_get(struct sofsim *sim, const uintptr_t *a)
{
	return impl_status_get(vrfy_timer(sim, SOFSIM_SYS_k_timer_status_get, a[0]));
}

uint32_t sofsim_timer_status_sync(struct sofsim_timer *timer)
{
	if (sofsim__from_user())
		return (uint32_t)sofsim__syscall(sofsim__user_sim(), SOFSIM_SYS_k_timer_status_sync,
						 SOFSIM_ARGS(SOFSIM_ARG(timer)));
	return impl_status_sync(timer);
}

uintptr_t sofsim__mrsh_k_timer_status_sync(struct sofsim *sim, const uintptr_t *a)
{
	return impl_status_sync(vrfy_timer(sim, SOFSIM_SYS_k_timer_status_sync, a[0]));
}
