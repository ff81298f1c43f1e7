/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SOF's heap syscalls (zephyr/syscall/alloc.c): from user mode only the LL
 * user heap is accepted, with a whitelist of flags, and a free must name an
 * address inside that heap which the caller can write. Kernel callers may
 * use any heap; NULL picks the kernel heap, as sof_sys_heap_get() would.
 */
#include <errno.h>

#include "kernel/heap_priv.h"
#include "kernel/syscall_priv.h"

#define SOF_FLAGS_USER_OK \
	(SOFSIM_MEM_FLAG_USER | SOFSIM_MEM_FLAG_COHERENT | SOFSIM_MEM_FLAG_DMA | SOFSIM_MEM_FLAG_LARGE_BUFFER)

static void *impl_alloc(struct sofsim *sim, struct sofsim_heap *heap, uint32_t flags, size_t bytes, size_t align)
{
	(void)flags; /* no cache aliases in the model (docs/model-fidelity.md) */
	return sofsim_heap_alloc_at(heap ? heap : sim->kheap, bytes, align, "sof_heap_alloc", "sof_heap_alloc");
}

void *sofsim_sof_heap_alloc(struct sofsim *sim, struct sofsim_heap *heap, uint32_t flags, size_t bytes, size_t align)
{
	if (sofsim__from_user())
		return (void *)sofsim__syscall(sim, SOFSIM_SYS_sof_heap_alloc,
					       SOFSIM_ARGS(SOFSIM_ARG(heap), flags, bytes, align));
	return impl_alloc(sim, heap, flags, bytes, align);
}

uintptr_t sofsim__mrsh_sof_heap_alloc(struct sofsim *sim, const uintptr_t *a)
{
	struct sofsim_heap *heap = (struct sofsim_heap *)a[0];
	uint32_t flags = (uint32_t)a[1];

	if (sofsim__verifying(sim)) {
		if (flags & ~SOF_FLAGS_USER_OK)
			sofsim__oops(sim, SOFSIM_SYS_sof_heap_alloc, "flags: %#x has bits outside USER|COHERENT|DMA|LARGE_BUFFER",
				     flags);
		if (heap != sim->ll_user_heap)
			sofsim__oops(sim, SOFSIM_SYS_sof_heap_alloc, "heap: %p is not the LL user heap", (void *)heap);
	}
	sofsim__toctou_point(sim);
	return (uintptr_t)impl_alloc(sim, heap, flags, (size_t)a[2], (size_t)a[3]);
}

int sofsim_sof_heap_free(struct sofsim *sim, struct sofsim_heap *heap, void *addr)
{
	if (sofsim__from_user())
		return (int)sofsim__syscall(sim, SOFSIM_SYS_sof_heap_free, SOFSIM_ARGS(SOFSIM_ARG(heap), SOFSIM_ARG(addr)));
	return sofsim_heap_free(heap ? heap : sim->kheap, addr);
}

uintptr_t sofsim__mrsh_sof_heap_free(struct sofsim *sim, const uintptr_t *a)
{
	struct sofsim_heap *heap = (struct sofsim_heap *)a[0];
	void *addr = (void *)a[1];

	if (sofsim__verifying(sim)) {
		if (heap != sim->ll_user_heap)
			sofsim__oops(sim, SOFSIM_SYS_sof_heap_free, "heap: %p is not the LL user heap", (void *)heap);
		if (addr && !sofsim_heap_contains(heap, addr))
			sofsim__oops(sim, SOFSIM_SYS_sof_heap_free, "addr: %p is outside the LL user heap", addr);
		if (addr && !sofsim__user_can_write(sim, addr, 1))
			sofsim__oops(sim, SOFSIM_SYS_sof_heap_free, "addr: Memory region %p (size 1) write access denied",
				     addr);
	}
	sofsim__toctou_point(sim);
	return (uintptr_t)sofsim_heap_free(heap, addr);
}

size_t sofsim__heap_live_blocks(const struct sofsim_heap *h)
{
	return h ? h->total.count : 0;
}
