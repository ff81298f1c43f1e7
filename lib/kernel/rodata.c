/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What every user thread may read without a partition: program text and
 * read-only data (on ACE 3.0 they are "shared" pages, userspace sheet §1.2).
 * On the host that is every loaded object's non-writable PT_LOAD segment and
 * its PT_GNU_RELRO range (with PIE, const tables of pointers live there).
 */
#include <link.h>

#include "kernel/kernel_priv.h"

static void add_range(struct sofsim *sim, uintptr_t start, size_t size)
{
	if (sim->rodata_count < SOFSIM_RODATA_RANGES && size)
		sim->rodata[sim->rodata_count++] = (struct sofsim__range){ start, size };
}

static int collect(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct sofsim *sim = arg;

	(void)size;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t start = info->dlpi_addr + ph->p_vaddr;

		if ((ph->p_type == PT_LOAD && !(ph->p_flags & PF_W)) || ph->p_type == PT_GNU_RELRO)
			add_range(sim, start, ph->p_memsz);
	}
	return 0;
}

void sofsim__rodata_refresh(struct sofsim *sim)
{
	sim->rodata_count = 0;
	dl_iterate_phdr(collect, sim);
}

bool sofsim__in_rodata(const struct sofsim *sim, uintptr_t addr, size_t size)
{
	for (unsigned i = 0; i < sim->rodata_count; i++) {
		const struct sofsim__range *r = &sim->rodata[i];

		if (addr >= r->start && size <= r->size && addr - r->start <= r->size - size)
			return true;
	}
	return false;
}
