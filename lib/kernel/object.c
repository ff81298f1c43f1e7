/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The object syscalls: k_object_alloc, k_object_access_grant and
 * k_object_release, plus the supervisor-only revoke and free. Grant follows
 * Zephyr: from supervisor mode an unknown object or thread is silently
 * ignored (the model counts it); from user mode the caller needs permission
 * on the object and on the target thread, else it oopses.
 */
#include <errno.h>

#include "kernel/syscall_priv.h"

static int impl_alloc(struct sofsim *sim, unsigned type, void **out)
{
	struct sofsim__kobj *obj = NULL;
	int ret;

	switch (type) {
	case SOFSIM_OBJ_SEM:
		ret = sofsim__sem_alloc(sim, &obj);
		break;
	case SOFSIM_OBJ_MUTEX:
		ret = sofsim__mutex_alloc(sim, &obj);
		break;
	case SOFSIM_OBJ_EVENT:
		ret = sofsim__kevent_alloc(sim, &obj);
		break;
	case SOFSIM_OBJ_TIMER:
		ret = sofsim__timer_alloc(sim, &obj);
		break;
	default:
		return -EINVAL;
	}
	if (!ret)
		*out = obj;
	return ret;
}

int sofsim_object_alloc(struct sofsim *sim, unsigned type, void **out)
{
	void *obj = NULL;
	int ret;

	if (!out)
		return -EINVAL;
	if (sofsim__from_user()) {
		obj = (void *)sofsim__syscall(sim, SOFSIM_SYS_k_object_alloc, SOFSIM_ARGS(type));
		/* Zephyr's syscall returns only a pointer; the model tells why it is NULL. */
		ret = obj ? 0 : sim->last_alloc_error;
	} else {
		ret = impl_alloc(sim, type, &obj);
	}
	*out = ret ? NULL : obj;
	return ret;
}

uintptr_t sofsim__mrsh_k_object_alloc(struct sofsim *sim, const uintptr_t *a)
{
	void *obj = NULL;

	sim->last_alloc_error = impl_alloc(sim, (unsigned)a[0], &obj);
	return (uintptr_t)obj;
}

static void impl_grant(struct sofsim *sim, void *obj, struct sofsim_thread *t)
{
	struct sofsim__kobj *o = sofsim__kobj_find(sim, obj);
	struct sofsim__kobj *to = sofsim__kobj_find(sim, t);

	if (!o || !to || to->type != SOFSIM_OBJ_THREAD || t->idx < 0) {
		sim->unknown_grants++;
		sofsim__evlog_add(sim, SOFSIM_EV_FLAG, 3, 0);
		return;
	}
	o->perms |= UINT32_C(1) << t->idx;
}

void sofsim_object_grant(struct sofsim *sim, void *obj, struct sofsim_thread *t)
{
	if (sofsim__from_user())
		sofsim__syscall(sim, SOFSIM_SYS_k_object_access_grant, SOFSIM_ARGS(SOFSIM_ARG(obj), SOFSIM_ARG(t)));
	else
		impl_grant(sim, obj, t);
}

uintptr_t sofsim__mrsh_k_object_access_grant(struct sofsim *sim, const uintptr_t *a)
{
	struct sofsim__kobj *o = sofsim__kobj_find(sim, (void *)a[0]);

	if (sofsim__verifying(sim)) {
		/* Zephyr's order: K_SYSCALL_OBJ_INIT(thread) first, then the object (userspace_handler.c). */
		sofsim__vrfy_obj(sim, SOFSIM_SYS_k_object_access_grant, (void *)a[1], SOFSIM_OBJ_THREAD,
				 SOFSIM_KOBJ_MUST_INIT, "thread");
		if (!o)
			sofsim__oops(sim, SOFSIM_SYS_k_object_access_grant, "object: %p is not a known kernel object",
				     (void *)a[0]);
		sofsim__vrfy_obj(sim, SOFSIM_SYS_k_object_access_grant, (void *)a[0], o->type, SOFSIM_KOBJ_ANY_INIT,
				 "object");
	}
	impl_grant(sim, (void *)a[0], (struct sofsim_thread *)a[1]);
	return 0;
}

/* Clear a thread's permission; a dynamic object left with none is freed. */
static void impl_revoke(struct sofsim *sim, void *obj, struct sofsim_thread *t)
{
	struct sofsim__kobj *o = sofsim__kobj_find(sim, obj);

	if (!o || !sofsim__kobj_find(sim, t) || t->idx < 0 || o == &t->obj)
		return;
	o->perms &= ~(UINT32_C(1) << t->idx);
	if ((o->flags & SOFSIM_KOBJ_DYNAMIC) && !o->perms)
		sofsim__kobj_delete(o);
}

void sofsim_object_revoke(struct sofsim *sim, void *obj, struct sofsim_thread *t)
{
	sofsim__require_supervisor(sim, "k_object_access_revoke");
	impl_revoke(sim, obj, t);
}

void sofsim_object_release(struct sofsim *sim, void *obj)
{
	if (sofsim__from_user())
		sofsim__syscall(sim, SOFSIM_SYS_k_object_release, SOFSIM_ARGS(SOFSIM_ARG(obj)));
	else if (sofsim__in_thread(sim))
		impl_revoke(sim, obj, sim->running);
	/* the host holds no permissions */
}

uintptr_t sofsim__mrsh_k_object_release(struct sofsim *sim, const uintptr_t *a)
{
	struct sofsim__kobj *o = sofsim__kobj_find(sim, (void *)a[0]);

	if (sofsim__verifying(sim)) {
		if (!o)
			sofsim__oops(sim, SOFSIM_SYS_k_object_release, "object: %p is not a known kernel object",
				     (void *)a[0]);
		/* validate_any_object(): K_OBJ_ANY, _OBJ_INIT_ANY, and the caller's permission. */
		sofsim__vrfy_obj(sim, SOFSIM_SYS_k_object_release, (void *)a[0], o->type, SOFSIM_KOBJ_ANY_INIT,
				 "object");
	}
	impl_revoke(sim, (void *)a[0], sim->running);
	return 0;
}

void sofsim_object_free(struct sofsim *sim, void *obj)
{
	struct sofsim__kobj *o;

	/* k_object_free is not a syscall: user code running it executes kernel code (bug class 2). */
	sofsim__privileged(sim, "k_object_free");
	o = sofsim__kobj_find(sim, obj);
	/* Like Zephyr's, it frees only dynamic objects: a static one is not in the dyn_obj list. */
	if (o && (o->flags & SOFSIM_KOBJ_DYNAMIC) && o->type != SOFSIM_OBJ_THREAD)
		sofsim__kobj_delete(o);
}
