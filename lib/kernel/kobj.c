/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Kernel objects: the registry of known objects (a hash on the address),
 * per-thread permission bits, the dynamic-object pool with its byte budget,
 * and thread indexes. Validation returns Zephyr's codes: -EBADF unknown or
 * wrong type, -EPERM no permission, -EINVAL not initialised, -EADDRINUSE
 * initialised when it must not be.
 */
#include <errno.h>
#include <stdio.h>
#include <assert.h>
#include <stdlib.h>

#include "kernel/kernel_priv.h"

static const struct {
	const char *name;
	unsigned cost;
} obj_types[] = {
#define SOFSIM_OBJ_ROW(name, zname, cost) [SOFSIM_OBJ_##name] = { zname, cost },
	SOFSIM_OBJ_TYPES(SOFSIM_OBJ_ROW)
#undef SOFSIM_OBJ_ROW
};

const char *sofsim_object_type_name(unsigned type)
{
	return type < SOFSIM_OBJ_TYPE_COUNT ? obj_types[type].name : "?";
}

unsigned sofsim_object_cost(unsigned type)
{
	return type < SOFSIM_OBJ_TYPE_COUNT ? obj_types[type].cost : 0;
}

void *sofsim__kzalloc_at(struct sofsim *sim, size_t bytes, const char *site)
{
	return sofsim_heap_alloc_at(sim->kheap, bytes, 0, "kernel", site);
}

void sofsim__kfree(struct sofsim *sim, void *p)
{
	int ret = sofsim_heap_free(sim->kheap, p);

	assert(ret == 0);
	(void)ret;
}

static unsigned bucket(const void *p)
{
	uintptr_t x = (uintptr_t)p;

	return (unsigned)((x >> 4) ^ (x >> 14)) % SOFSIM_KOBJ_BUCKETS;
}

void sofsim__kobj_register(struct sofsim *sim, struct sofsim__kobj *obj, unsigned type, unsigned flags)
{
	unsigned b = bucket(obj);

	obj->sim = sim;
	obj->type = (uint8_t)type;
	obj->flags = (uint8_t)flags;
	obj->hnext = sim->kobj_hash[b];
	sim->kobj_hash[b] = obj;
	sofsim_list_append(&sim->objects, &obj->node);
	sim->obj_live[type]++;
	if (flags & SOFSIM_KOBJ_DYNAMIC)
		sim->obj_dynamic[type]++;
}

void sofsim__kobj_unregister(struct sofsim__kobj *obj)
{
	struct sofsim *sim = obj->sim;
	struct sofsim__kobj **pp = &sim->kobj_hash[bucket(obj)];

	while (*pp && *pp != obj)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = obj->hnext;
	sofsim_list_remove(&obj->node);
	sim->obj_live[obj->type]--;
	if (obj->flags & SOFSIM_KOBJ_DYNAMIC) {
		sim->obj_dynamic[obj->type]--;
		sim->pool_used -= obj_types[obj->type].cost;
	}
}

struct sofsim__kobj *sofsim__kobj_find(const struct sofsim *sim, const void *ptr)
{
	struct sofsim__kobj *obj;

	for (obj = sim->kobj_hash[bucket(ptr)]; obj; obj = obj->hnext)
		if (obj == ptr)
			return obj;
	return NULL;
}

void *sofsim__kobj_new(struct sofsim *sim, size_t bytes, unsigned type, void (*release)(struct sofsim__kobj *))
{
	struct sofsim__kobj *obj = sofsim__kzalloc(sim, bytes);

	if (!obj)
		return NULL;
	obj->release = release;
	sofsim__kobj_register(sim, obj, type, SOFSIM_KOBJ_INIT);
	return obj;
}

int sofsim__kobj_alloc(struct sofsim *sim, size_t bytes, unsigned type, void (*release)(struct sofsim__kobj *),
		       struct sofsim__kobj **out)
{
	unsigned cost = obj_types[type].cost;
	struct sofsim_thread *self = sofsim__in_thread(sim) ? sim->running : NULL;
	struct sofsim__kobj *obj;

	if (sim->pool_used + cost > sim->plat->obj_pool_bytes)
		return -ENOMEM;
	obj = sofsim__kzalloc(sim, bytes);
	if (!obj)
		return -ENOMEM;
	obj->release = release;
	sofsim__kobj_register(sim, obj, type, SOFSIM_KOBJ_DYNAMIC);
	sim->pool_used += cost;
	if (sim->pool_used > sim->pool_peak)
		sim->pool_peak = sim->pool_used;
	if (self && self->idx >= 0)
		obj->perms |= UINT32_C(1) << self->idx;
	*out = obj;
	return 0;
}

void sofsim__kobj_delete(struct sofsim__kobj *obj)
{
	struct sofsim *sim;

	if (!obj)
		return;
	sim = obj->sim;
	if (obj->release)
		obj->release(obj);
	sofsim__kobj_unregister(obj);
	sofsim__kfree(sim, obj);
}

int sofsim__kobj_validate(struct sofsim *sim, const void *ptr, unsigned type, enum sofsim__kobj_init init)
{
	const struct sofsim__kobj *obj = sofsim__kobj_find(sim, ptr);
	const struct sofsim_thread *self = sim->running;

	if (!obj || obj->type != type)
		return -EBADF;
	if (!(obj->flags & SOFSIM_KOBJ_PUBLIC) && (self->idx < 0 || !(obj->perms & (UINT32_C(1) << self->idx))))
		return -EPERM;
	if (init == SOFSIM_KOBJ_MUST_INIT && !(obj->flags & SOFSIM_KOBJ_INIT))
		return -EINVAL;
	if (init == SOFSIM_KOBJ_MUST_NOT_INIT && (obj->flags & SOFSIM_KOBJ_INIT))
		return -EADDRINUSE;
	return 0;
}

/* Clear one permission bit; a dynamic object left with none is freed. */
static void perm_clear(struct sofsim__kobj *obj, int idx)
{
	obj->perms &= ~(UINT32_C(1) << idx);
	if ((obj->flags & SOFSIM_KOBJ_DYNAMIC) && !obj->perms)
		sofsim__kobj_delete(obj);
}

int sofsim__thread_index_get(struct sofsim *sim, struct sofsim_thread *t)
{
	for (unsigned i = 0; i < sim->plat->thread_index_limit && i < 32; i++) {
		if (!(sim->thread_idx_used & (UINT32_C(1) << i))) {
			sim->thread_idx_used |= UINT32_C(1) << i;
			t->idx = (int)i;
			t->obj.perms |= UINT32_C(1) << i; /* a thread always has permission on itself */
			return 0;
		}
	}
	return -ENOMEM;
}

/* A thread ended: its index goes back and its permissions with it (z_thread_perms_all_clear). */
void sofsim__kobj_thread_gone(struct sofsim *sim, struct sofsim_thread *t)
{
	struct sofsim_list *pos, *tmp;

	if (t->idx < 0)
		return;
	sofsim_list_for_each_safe(pos, tmp, &sim->objects) {
		struct sofsim__kobj *obj = SOFSIM_CONTAINER_OF(pos, struct sofsim__kobj, node);

		if (obj != &t->obj && (obj->perms & (UINT32_C(1) << t->idx)))
			perm_clear(obj, t->idx);
	}
	sim->thread_idx_used &= ~(UINT32_C(1) << t->idx);
	t->idx = -1;
}

bool sofsim_object_known(const struct sofsim *sim, const void *obj)
{
	return sofsim__kobj_find(sim, obj) != NULL;
}

bool sofsim_object_has_access(const struct sofsim *sim, const void *obj, const struct sofsim_thread *t)
{
	const struct sofsim__kobj *o = sofsim__kobj_find(sim, obj);
	const struct sofsim__kobj *to = sofsim__kobj_find(sim, t);

	return o && to && to->type == SOFSIM_OBJ_THREAD && t->idx >= 0 && (o->perms & (UINT32_C(1) << t->idx));
}

void sofsim_object_stats(const struct sofsim *sim, struct sofsim_object_stats *out)
{
	*out = (struct sofsim_object_stats){
		.pool_used = sim->pool_used,
		.pool_budget = sim->plat->obj_pool_bytes,
		.pool_peak = sim->pool_peak,
		.thread_index_limit = sim->plat->thread_index_limit,
		.unknown_grants = sim->unknown_grants,
		.objects_in_user_memory = sim->obj_in_user_memory,
	};
	for (unsigned i = 0; i < SOFSIM_OBJ_TYPE_COUNT; i++) {
		out->live[i] = sim->obj_live[i];
		out->dynamic[i] = sim->obj_dynamic[i];
	}
	for (unsigned i = 0; i < 32; i++)
		out->thread_indexes_used += (sim->thread_idx_used >> i) & 1;
}


void sofsim__flag_objects_in_user_memory(struct sofsim *sim, const struct sofsim_partition *p)
{
	struct sofsim_list *pos;

	sofsim_list_for_each(pos, &sim->objects) {
		struct sofsim__kobj *obj = SOFSIM_CONTAINER_OF(pos, struct sofsim__kobj, node);
		uintptr_t a = (uintptr_t)obj;

		if (obj->type == SOFSIM_OBJ_MEM_DOMAIN || a < p->start || a - p->start >= p->size)
			continue;
		sim->obj_in_user_memory++;
		sofsim__evlog_add(sim, SOFSIM_EV_FLAG, 5, obj->type);
		fprintf(sofsim__report_stream(sim), "sofsim: kernel object %s %p lies in user-writable partition %s\n",
			sofsim_object_type_name(obj->type), (void *)obj, p->name ? p->name : "(unnamed)");
	}
}
