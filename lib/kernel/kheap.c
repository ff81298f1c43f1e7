/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The context's own heaps: the kernel heap that holds every kernel-model
 * structure (its control block sits in the first pages of its own range),
 * and SOF's LL user heap. Also the debug walk proving the model keeps its
 * state in the arena.
 */
#include <errno.h>

#include "kernel/heap_priv.h"
#include "kernel/kernel_priv.h"

#define SOFSIM_MODEL_HEAP_BYTES (1u << 20) /* thread blocks, objects, queues */

static size_t page_round(size_t n)
{
	return (n + SOFSIM_PAGE_BYTES - 1) & ~(size_t)(SOFSIM_PAGE_BYTES - 1);
}

int sofsim__kheap_create(struct sofsim *sim)
{
	size_t head = page_round(sofsim__heap_struct_size());
	size_t bytes = page_round(sim->plat->kernel_heap_bytes + SOFSIM_MODEL_HEAP_BYTES);
	void *base;
	int ret = sofsim_arena_take(sim, SOFSIM_ARENA_DSP, head + bytes, &base);

	if (ret)
		return ret;
	sim->kheap = base;
	ret = sofsim__heap_init(sim->kheap, sim, "kernel", (char *)base + head, bytes, 0);
	if (ret)
		goto err_init;
	ret = sofsim_heap_create(sim, "ll_user", sim->plat->ll_user_heap_bytes, SOFSIM_HEAP_USER, &sim->ll_user_heap);
	if (ret)
		goto err_user;
	return 0;

err_user:
	sofsim__heap_fini(sim->kheap);
err_init:
	sofsim_arena_give(sim, base, head + bytes);
	sim->kheap = NULL;
	return ret;
}

void sofsim__kheap_destroy(struct sofsim *sim)
{
	size_t head = page_round(sofsim__heap_struct_size());
	uintptr_t base;
	size_t size;

	if (!sim->kheap)
		return;
	sofsim_heap_destroy(sim->ll_user_heap);
	sim->ll_user_heap = NULL;
	/* Everything the model allocated is gone by now: anything left is a model bug. */
	sofsim_heap_leak_report(sim->kheap, sofsim__report_stream(sim));
	sofsim_heap_bounds(sim->kheap, &base, &size);
	sofsim__heap_fini(sim->kheap);
	sofsim_arena_give(sim, (char *)base - head, head + size);
	sim->kheap = NULL;
}

struct sofsim_heap *sofsim_ll_user_heap(struct sofsim *sim)
{
	return sim->ll_user_heap;
}

static bool in_kheap(const struct sofsim *sim, const void *p)
{
	return sofsim_heap_contains(sim->kheap, p);
}

int sofsim__mem_walk_check(const struct sofsim *sim)
{
	const struct sofsim_list *pos;

	for (pos = sim->threads.next; pos != &sim->threads; pos = pos->next)
		if (!in_kheap(sim, SOFSIM_CONTAINER_OF(pos, struct sofsim_thread, all_node)))
			return -EFAULT;
	for (pos = sim->objects.next; pos != &sim->objects; pos = pos->next)
		if (!in_kheap(sim, SOFSIM_CONTAINER_OF(pos, struct sofsim__kobj, node)))
			return -EFAULT;
	for (unsigned c = 0; c < sim->cores; c++)
		for (pos = sim->core[c].ready.next; pos != &sim->core[c].ready; pos = pos->next)
			if (!in_kheap(sim, pos))
				return -EFAULT;
	for (pos = sim->futexes.next; pos != &sim->futexes; pos = pos->next)
		if (!in_kheap(sim, pos))
			return -EFAULT;
	for (pos = sim->timeouts.next; pos != &sim->timeouts; pos = pos->next)
		if (!in_kheap(sim, pos))
			return -EFAULT;
	return 0;
}

void sofsim__heap_register(struct sofsim *sim, struct sofsim_heap *h)
{
	sofsim_list_append(&sim->heaps, &h->node);
}
