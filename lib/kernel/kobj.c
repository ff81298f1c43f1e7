/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Allocation for the kernel model. Every simulated structure comes from
 * here, so one place decides where simulated memory lives and when an
 * allocation fails.
 */
#include <stdlib.h>

#include "kernel/kernel_priv.h"

void *sofsim__kzalloc(struct sofsim *sim, size_t bytes)
{
	(void)sim;
	return calloc(1, bytes);
}

void sofsim__kfree(struct sofsim *sim, void *p)
{
	(void)sim;
	free(p);
}

void *sofsim__kobj_new(struct sofsim *sim, size_t bytes, void (*release)(struct sofsim__kobj *))
{
	struct sofsim__kobj *obj = sofsim__kzalloc(sim, bytes);

	if (!obj)
		return NULL;
	obj->sim = sim;
	obj->release = release;
	sofsim_list_append(&sim->objects, &obj->node);
	return obj;
}

void sofsim__kobj_delete(struct sofsim__kobj *obj)
{
	struct sofsim *sim;

	if (!obj)
		return;
	sim = obj->sim;
	if (obj->release)
		obj->release(obj);
	sofsim_list_remove(&obj->node);
	sofsim__kfree(sim, obj);
}
