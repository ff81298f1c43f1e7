/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Emulated thread stacks: pages of the DSP arena with a guard page below,
 * so an overflow faults at a known address instead of corrupting a
 * neighbour. Both carriers run emulated code on these pages (ctx_switch.c);
 * a pthread's own stack (glibc's TCB and TLS) is host memory.
 */
#include <sys/mman.h>

#include "kernel/kernel_priv.h"
#include "kernel/tools.h"

void *sofsim__stack_map(struct sofsim *sim, size_t bytes, size_t *map_bytes, void **lo)
{
	size_t usable = (bytes + SOFSIM_PAGE_BYTES - 1) & ~(size_t)(SOFSIM_PAGE_BYTES - 1);
	size_t total = usable + SOFSIM_PAGE_BYTES;
	void *map;

	if (sofsim_arena_take(sim, SOFSIM_ARENA_DSP, total, &map))
		return NULL;
	if (mprotect(map, SOFSIM_PAGE_BYTES, PROT_NONE)) {
		sofsim_arena_give(sim, map, total);
		return NULL;
	}
	*map_bytes = total;
	*lo = (char *)map + SOFSIM_PAGE_BYTES;
	return map;
}

void sofsim__stack_unmap(struct sofsim *sim, void *map, size_t map_bytes)
{
	if (!map)
		return;
	mprotect(map, SOFSIM_PAGE_BYTES, PROT_READ | PROT_WRITE);
	/*
	 * The pages go back as the arena hands out fresh ones. ASan: the
	 * thread's last frames never returned and left their redzones behind;
	 * Valgrind: what the thread popped off is no-access.
	 */
	sofsim__tools_open(map, map_bytes);
	sofsim_arena_give(sim, map, map_bytes);
}
