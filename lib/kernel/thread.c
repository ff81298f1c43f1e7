/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Emulated threads: creation, the common entry and exit path, join, abort
 * (unwound at the thread's blocking point, never cancelled) and user mode.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kernel/domain_priv.h"
#include "kernel/syscall_priv.h"

#define SOFSIM_STACK_MIN (16 * 1024)

static int check_attr(const struct sofsim *sim, const struct sofsim_thread_attr *attr)
{
	if (attr->prio < SOFSIM_PRIO_COOP_MIN || attr->prio > SOFSIM_PRIO_PREEMPT_MAX)
		return -EINVAL;
	if (attr->core >= sim->cores)
		return -EINVAL;
	if (attr->stack_bytes && attr->stack_bytes < SOFSIM_STACK_MIN)
		return -EINVAL;
	return 0;
}

static int impl_create(struct sofsim *sim, const struct sofsim_thread_attr *attr, sofsim_thread_fn entry,
		       void *arg, struct sofsim_thread **out)
{
	struct sofsim_thread *t;
	size_t stack = attr->stack_bytes ? attr->stack_bytes : sim->cfg.stack_bytes;
	int ret;

	if (!entry)
		return -EINVAL;
	ret = check_attr(sim, attr);
	if (ret)
		return ret;
	if (sofsim__in_thread(sim) && sim->running->user && !attr->user)
		return -EPERM;

	t = sofsim__kzalloc(sim, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->idx = -1;
	if (sofsim__thread_index_get(sim, t)) {
		ret = -ENOMEM; /* out of thread indexes (bug class 18) */
		goto err_index;
	}
	t->sim = sim;
	t->prio = attr->prio;
	t->core = attr->core;
	t->user = attr->user;
	t->entry = entry;
	sofsim__domain_inherit(t, sim->running);
	sofsim__chk_update(t);
	t->arg = arg;
	t->id = sim->next_tid;
	sofsim_list_init(&t->node);
	sofsim_list_init(&t->all_node);
	sofsim_list_init(&t->timeout.node);
	sofsim__waitq_init(&t->joiners);
	t->timeout.core = t->core;
	t->timeout.fire = sofsim__thread_timeout_fire;
	if (attr->name)
		snprintf(t->name, sizeof(t->name), "%s", attr->name);
	else
		snprintf(t->name, sizeof(t->name), "thread%d", t->id);

	t->stack = sofsim__stack_map(sim, stack, &t->stack_map_bytes, &t->stack_lo);
	if (!t->stack) {
		ret = -ENOMEM;
		goto err_stack;
	}
	t->stack_bytes = stack;
	ret = sofsim__mmu_thread_init(sim, t); /* before the carrier: a new pthread takes its signal stack */
	if (ret)
		goto err_mmu;
	ret = sim->carrier->thread_init(sim, t);
	if (ret)
		goto err_carrier;

	sim->next_tid++;
	sofsim__kobj_register(sim, &t->obj, SOFSIM_OBJ_THREAD, SOFSIM_KOBJ_INIT);
	if (sofsim__in_thread(sim) && sim->running->idx >= 0)
		t->obj.perms |= UINT32_C(1) << sim->running->idx; /* the creator may use it */
	sofsim_list_append(&sim->threads, &t->all_node);
	sofsim__make_ready(sim, t);
	sofsim__evlog_add(sim, SOFSIM_EV_THREAD_CREATE, (uint32_t)t->id, (uint32_t)t->prio);
	*out = t;
	sofsim__sched_point(sim);
	return 0;

err_carrier:
	sofsim__mmu_thread_fini(sim, t);
err_mmu:
	sofsim__stack_unmap(sim, t->stack, t->stack_map_bytes);
err_stack:
	sim->thread_idx_used &= ~(UINT32_C(1) << t->idx);
err_index:
	sofsim__kfree(sim, t);
	return ret;
}

int sofsim_thread_create(struct sofsim *sim, const struct sofsim_thread_attr *attr,
			 sofsim_thread_fn entry, void *arg, struct sofsim_thread **out)
{
	if (sofsim__from_user())
		return (int)sofsim__syscall(sim, SOFSIM_SYS_k_thread_create,
					    SOFSIM_ARGS(SOFSIM_ARG(attr), SOFSIM_ARG(entry), SOFSIM_ARG(arg), SOFSIM_ARG(out)));
	if (!attr || !out)
		return -EINVAL;
	return impl_create(sim, attr, entry, arg, out);
}

uintptr_t sofsim__mrsh_k_thread_create(struct sofsim *sim, const uintptr_t *a)
{
	struct sofsim_thread_attr kattr;
	struct sofsim_thread *t = NULL;
	char name[SOFSIM_THREAD_NAME_MAX] = "";
	int ret;

	/* Copy the attributes (and the name) in before looking at them. */
	if (sofsim__copy_from_user(sim, &kattr, (const void *)a[0], sizeof(kattr)))
		sofsim__oops(sim, SOFSIM_SYS_k_thread_create, "attr: Memory region %p read access denied", (void *)a[0]);
	if (kattr.name && sofsim__copy_string_from_user(sim, name, kattr.name, sizeof(name)) == -EFAULT)
		sofsim__oops(sim, SOFSIM_SYS_k_thread_create, "attr->name: string at %p not readable",
			     (const void *)kattr.name);
	kattr.name = kattr.name ? name : NULL;
	sofsim__vrfy_write(sim, SOFSIM_SYS_k_thread_create, (void *)a[3], sizeof(t), "out");
	sofsim__toctou_point(sim);
	ret = impl_create(sim, &kattr, (sofsim_thread_fn)a[1], (void *)a[2], &t);
	if (!ret)
		*(struct sofsim_thread **)a[3] = t;
	return (uintptr_t)ret;
}

void sofsim__thread_timeout_fire(struct sofsim *sim, struct sofsim__timeout *to)
{
	struct sofsim_thread *t = SOFSIM_CONTAINER_OF(to, struct sofsim_thread, timeout);

	sofsim__isr_enter(sim, t->core);
	sofsim__evlog_add(sim, SOFSIM_EV_TIMEOUT, (uint32_t)t->id, 0);
	sofsim__wake(sim, t, -EAGAIN);
	sofsim__isr_exit(sim);
}

/* Common end of a thread: wake joiners and hand the token on for good. */
static void thread_finish(struct sofsim_thread *t)
{
	struct sofsim *sim = t->sim;
	struct sofsim_thread *next;

	t->state = SOFSIM_T_DEAD;
	if (sim->core[t->core].current == t)
		sim->core[t->core].current = NULL;
	sofsim__evlog_add(sim, t->aborting ? SOFSIM_EV_ABORT : SOFSIM_EV_EXIT, (uint32_t)t->id, 0);
	sofsim__kobj_thread_gone(sim, t);
	sofsim__waitq_wake_all(sim, &t->joiners, 0);
	if (sim->host_join == t)
		sim->host_wake = true;
	if (t->abort_waiter) {
		next = t->abort_waiter;
		t->abort_waiter = NULL;
	} else {
		next = sofsim__pick_next(sim);
	}
	sim->stats.switches++;
	sim->running = next;
	sofsim__evlog_add(sim, SOFSIM_EV_RUN, (uint32_t)t->id, 0);
	sim->carrier->exit_to(sim, t, next);
}

void sofsim__thread_main(struct sofsim_thread *t)
{
	sofsim__tls_self = t;
	t->started = true;
	sofsim__chk_update(t);
	if (!t->aborting && sigsetjmp(t->unwind, 1) == 0) {
		sofsim__mmu_thread_start(t); /* enforce=mmu: a user thread starts in its own view */
		t->entry(t->arg);
	}
	sofsim__mmu_kernel(t->sim); /* the end of a thread runs with kernel rights */
	thread_finish(t);
}

/* Take a live thread off every queue it is on. */
static void detach(struct sofsim *sim, struct sofsim_thread *t)
{
	if (sofsim_list_linked(&t->node))
		sofsim_list_remove(&t->node);
	t->waitq = NULL;
	sofsim__timeout_cancel(&t->timeout);
	if (sim->core[t->core].current == t)
		sim->core[t->core].current = NULL;
}

static int impl_abort(struct sofsim_thread *t)
{
	struct sofsim *sim = t->sim;
	struct sofsim_thread *self = sim->running;

	if (t->state == SOFSIM_T_DEAD)
		return 0;
	if (sim->isr_depth)
		return -EPERM;
	if (t == self) {
		t->aborting = true;
		siglongjmp(t->unwind, 1);
	}
	if (!self->is_host && self->user && !t->user)
		return -EPERM;
	t->aborting = true;
	detach(sim, t);
	if (!t->started) {
		/* Nothing on its stack to unwind. */
		t->state = SOFSIM_T_DEAD;
		sofsim__evlog_add(sim, SOFSIM_EV_ABORT, (uint32_t)t->id, 0);
		sofsim__kobj_thread_gone(sim, t);
		sofsim__waitq_wake_all(sim, &t->joiners, 0);
	} else {
		/* Resume it at its blocking point; it unwinds and hands the token straight back. */
		t->state = SOFSIM_T_READY;
		t->abort_waiter = self;
		sofsim__switch(sim, t);
	}
	/* Joiners woken by the end may outrank the caller. */
	sofsim__sched_point(sim);
	return 0;
}

static struct sofsim_thread *vrfy_thread(struct sofsim *sim, unsigned id, uintptr_t arg)
{
	sofsim__vrfy_obj(sim, id, (void *)arg, SOFSIM_OBJ_THREAD, SOFSIM_KOBJ_MUST_INIT, "thread");
	sofsim__toctou_point(sim);
	return (struct sofsim_thread *)arg;
}

int sofsim_thread_abort(struct sofsim_thread *t)
{
	if (sofsim__from_user())
		return (int)sofsim__syscall(sofsim__user_sim(), SOFSIM_SYS_k_thread_abort, SOFSIM_ARGS(SOFSIM_ARG(t)));
	return impl_abort(t);
}

uintptr_t sofsim__mrsh_k_thread_abort(struct sofsim *sim, const uintptr_t *a)
{
	return (uintptr_t)impl_abort(vrfy_thread(sim, SOFSIM_SYS_k_thread_abort, a[0]));
}

static int impl_join(struct sofsim_thread *t, int64_t timeout);

int sofsim_thread_join(struct sofsim_thread *t, int64_t timeout)
{
	if (sofsim__from_user())
		return (int)sofsim__syscall(sofsim__user_sim(), SOFSIM_SYS_k_thread_join,
					    SOFSIM_ARGS(SOFSIM_ARG(t), SOFSIM_ARG(timeout)));
	return impl_join(t, timeout);
}

uintptr_t sofsim__mrsh_k_thread_join(struct sofsim *sim, const uintptr_t *a)
{
	return (uintptr_t)impl_join(vrfy_thread(sim, SOFSIM_SYS_k_thread_join, a[0]), (int64_t)a[1]);
}

static int impl_join(struct sofsim_thread *t, int64_t timeout)
{
	struct sofsim *sim = t->sim;
	uint64_t deadline;
	int ret;

	if (t->state == SOFSIM_T_DEAD)
		return 0;
	if (sofsim__in_thread(sim)) {
		if (t == sim->running)
			return -EDEADLK;
		if (timeout == SOFSIM_NO_WAIT)
			return -EBUSY;
		return sofsim__block(sim, &t->joiners, timeout);
	}
	if (sim->isr_depth || timeout == SOFSIM_NO_WAIT || sim->in_run)
		return -EBUSY;

	deadline = timeout == SOFSIM_FOREVER ? SOFSIM_TIME_NEVER : sim->now + (uint64_t)timeout;
	sim->host_join = t;
	do {
		ret = sofsim__run_host(sim, deadline);
	} while (ret == 1 && t->state != SOFSIM_T_DEAD);
	sim->host_join = NULL;
	if (t->state == SOFSIM_T_DEAD)
		return 0;
	if (ret < 0)
		return ret;
	if (deadline == SOFSIM_TIME_NEVER)
		return -EDEADLK;
	sofsim_run_until(sim, deadline);
	return -EAGAIN;
}

int sofsim_thread_user_mode_enter(struct sofsim *sim)
{
	if (!sofsim__in_thread(sim))
		return -EPERM;
	sim->running->user = true;
	sofsim__chk_update(sim->running);
	sofsim__evlog_add(sim, SOFSIM_EV_USER_MODE, 0, 0);
	sofsim__mmu_sync(sim); /* enforce=mmu: from here on, its own view */
	return 0;
}

struct sofsim_thread *sofsim_thread_self(struct sofsim *sim)
{
	return sofsim__in_thread(sim) ? sim->running : NULL;
}

const char *sofsim_thread_name(const struct sofsim_thread *t)
{
	return t->name;
}

int sofsim_thread_id(const struct sofsim_thread *t)
{
	return t->id;
}

unsigned sofsim_thread_core(const struct sofsim_thread *t)
{
	return t->core;
}

bool sofsim_thread_is_user(const struct sofsim_thread *t)
{
	return t->user;
}

bool sofsim_thread_ended(const struct sofsim_thread *t)
{
	return t->state == SOFSIM_T_DEAD;
}

/* Return a dead thread's stack and record. */
static void thread_free(struct sofsim *sim, struct sofsim_thread *t)
{
	sim->carrier->thread_fini(sim, t);
	sofsim__mmu_thread_fini(sim, t);
	sofsim__stack_unmap(sim, t->stack, t->stack_map_bytes);
	sofsim__kobj_unregister(&t->obj);
	sofsim_list_remove(&t->all_node);
	sofsim__kfree(sim, t);
}

/* Context teardown: abort what still lives, in creation order, then free. */
void sofsim__threads_destroy(struct sofsim *sim)
{
	struct sofsim_list *pos, *tmp;

	sofsim_list_for_each(pos, &sim->threads) {
		struct sofsim_thread *t = SOFSIM_CONTAINER_OF(pos, struct sofsim_thread, all_node);

		sofsim_thread_abort(t);
	}
	sofsim_list_for_each_safe(pos, tmp, &sim->threads)
		thread_free(sim, SOFSIM_CONTAINER_OF(pos, struct sofsim_thread, all_node));
}

int sofsim_thread_release(struct sofsim_thread *t)
{
	struct sofsim *sim;

	if (!t)
		return 0;
	sim = t->sim;
	sofsim__require_supervisor(sim, "sofsim_thread_release");
	if (t->state != SOFSIM_T_DEAD)
		return -EBUSY;
	thread_free(sim, t);
	return 0;
}
