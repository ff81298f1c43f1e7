/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Emulated thread stacks: page-aligned mappings with a guard page below, so
 * an overflow is a crash at a known address rather than silent corruption.
 */
#include <sys/mman.h>
#include <unistd.h>

#include "kernel/kernel_priv.h"

void *sofsim__stack_map(size_t bytes, size_t *map_bytes, void **lo)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t usable = (bytes + page - 1) & ~(page - 1);
	size_t total = usable + page;
	void *map = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);

	if (map == MAP_FAILED)
		return NULL;
	if (mprotect(map, page, PROT_NONE)) {
		munmap(map, total);
		return NULL;
	}
	*map_bytes = total;
	*lo = (char *)map + page;
	return map;
}

void sofsim__stack_unmap(void *map, size_t map_bytes)
{
	if (map)
		munmap(map, map_bytes);
}
