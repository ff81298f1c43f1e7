/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Privileged operations: what an Xtensa core refuses in ring 2 (RSR/WSR of
 * special registers, RSIL, cache and TLB instructions) becomes a CPU
 * exception with cause 8 here; reads of registered kernel-only globals
 * become cause 26 with EXCVADDR.
 */
#include <errno.h>

#include "sofsim/arch.h"

#include "kernel/syscall_priv.h"

static void privileged(struct sofsim *sim, const char *op)
{
	sofsim__fault(sim, SOFSIM_FAULT_PRIV_OP, SOFSIM_REASON_CPU_EXCEPTION, SOFSIM_EXCCAUSE_PRIVILEGED, 0, op,
		      "privileged instruction in user mode");
}

void sofsim__privileged(struct sofsim *sim, const char *op)
{
	if (sofsim__from_user())
		privileged(sim, op);
}

void sofsim__require_supervisor(struct sofsim *sim, const char *api)
{
	if (sofsim__from_user())
		sofsim__fault(sim, SOFSIM_FAULT_PRIV_OP, SOFSIM_REASON_CPU_EXCEPTION, SOFSIM_EXCCAUSE_PRIVILEGED, 0, api,
			      "kernel-only API called from user mode");
}

void sofsim__kernel_only(const char *api)
{
	if (sofsim__from_user())
		sofsim__fault(sofsim__tls_self->sim, SOFSIM_FAULT_PRIV_OP, SOFSIM_REASON_CPU_EXCEPTION,
			      SOFSIM_EXCCAUSE_PRIVILEGED, 0, api, "kernel-only API called from user mode");
}

static unsigned core_of_caller(const struct sofsim *sim)
{
	return sofsim__in_thread(sim) ? sim->running->core : sim->isr_depth ? (unsigned)sim->isr_core : 0;
}

unsigned sofsim_arch_proc_id(struct sofsim *sim)
{
	if (sofsim__from_user())
		privileged(sim, "rsr PRID (arch_proc_id)");
	return core_of_caller(sim);
}

unsigned sofsim_cpu_get_id(struct sofsim *sim)
{
	if (sofsim__from_user())
		return (unsigned)sofsim__syscall(sim, SOFSIM_SYS_cpu_get_id, SOFSIM_ARGS(0));
	return core_of_caller(sim);
}

uintptr_t sofsim__mrsh_cpu_get_id(struct sofsim *sim, const uintptr_t *args)
{
	(void)args;
	return core_of_caller(sim);
}

uint64_t sofsim_cycle_get(struct sofsim *sim)
{
	uint64_t s, r;

	if (sofsim__from_user())
		privileged(sim, "rsr CCOUNT (k_cycle_get)");
	s = sim->now / SOFSIM_NSEC_PER_SEC;
	r = sim->now % SOFSIM_NSEC_PER_SEC;
	return s * sim->plat->ccount_hz + r * sim->plat->ccount_hz / SOFSIM_NSEC_PER_SEC;
}

static int64_t uptime_ticks(const struct sofsim *sim)
{
	return (int64_t)sofsim_frames_in(sim->plat->sys_tick_hz, sim->now);
}

int64_t sofsim_uptime_ticks(struct sofsim *sim)
{
	if (sofsim__from_user())
		return (int64_t)sofsim__syscall(sim, SOFSIM_SYS_k_uptime_ticks, SOFSIM_ARGS(0));
	return uptime_ticks(sim);
}

uintptr_t sofsim__mrsh_k_uptime_ticks(struct sofsim *sim, const uintptr_t *args)
{
	(void)args;
	return (uintptr_t)uptime_ticks(sim);
}

void sofsim_spin_lock(struct sofsim *sim, struct sofsim_spinlock *l)
{
	if (sofsim__from_user())
		privileged(sim, "rsil (k_spin_lock)");
	l->key = sofsim_irq_lock(sim);
	l->locked = true;
}

void sofsim_spin_unlock(struct sofsim *sim, struct sofsim_spinlock *l)
{
	if (sofsim__from_user())
		privileged(sim, "wsr PS (k_spin_unlock)");
	l->locked = false;
	sofsim_irq_unlock(sim, l->key);
}

void sofsim_dcache_writeback(struct sofsim *sim, const void *addr, size_t size)
{
	(void)addr;
	(void)size;
	if (sofsim__from_user())
		privileged(sim, "dhwb (cache writeback)");
}

void sofsim_dcache_invalidate(struct sofsim *sim, void *addr, size_t size)
{
	(void)addr;
	(void)size;
	if (sofsim__from_user())
		privileged(sim, "dhi (cache invalidate)");
}

void sofsim_tlb_invalidate(struct sofsim *sim)
{
	if (sofsim__from_user())
		privileged(sim, "idtlb (TLB invalidate)");
}

int sofsim_sys_cache_data_invd_range(struct sofsim *sim, void *addr, size_t size)
{
	if (sofsim__from_user())
		return (int)sofsim__syscall(sim, SOFSIM_SYS_sys_cache_data_invd_range,
					    SOFSIM_ARGS(SOFSIM_ARG(addr), SOFSIM_ARG(size)));
	return 0;
}

uintptr_t sofsim__mrsh_sys_cache_data_invd_range(struct sofsim *sim, const uintptr_t *args)
{
	sofsim__vrfy_write(sim, SOFSIM_SYS_sys_cache_data_invd_range, (void *)args[0], (size_t)args[1], "addr");
	return 0;
}

int sofsim_kernel_global_register(struct sofsim *sim, const char *name, const void *addr, size_t size)
{
	struct sofsim__kglobal *g;

	if (!addr || !size)
		return -EINVAL;
	if (sim->kglobals_used == SOFSIM_KGLOBALS)
		return -ENOSPC;
	g = &sim->kglobals[sim->kglobals_used++];
	g->name = name ? name : "?";
	g->addr = (uintptr_t)addr;
	g->size = size;
	return 0;
}

const void *sofsim_kernel_global_read(struct sofsim *sim, const void *addr, size_t size)
{
	uintptr_t a = (uintptr_t)addr;

	if (!sofsim__from_user())
		return addr;
	for (unsigned i = 0; i < sim->kglobals_used; i++) {
		const struct sofsim__kglobal *g = &sim->kglobals[i];

		if (a < g->addr + g->size && g->addr < a + size)
			sofsim__fault(sim, SOFSIM_FAULT_KERNEL_GLOBAL, SOFSIM_REASON_CPU_EXCEPTION,
				      SOFSIM_EXCCAUSE_LOAD_STORE_RING, a, "load", "read of kernel-only global '%s'",
				      g->name);
	}
	return addr;
}
