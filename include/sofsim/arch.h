/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file arch.h
 * @brief Privileged CPU operations of the Xtensa core, and the syscalls SOF
 * put in front of some of them.
 *
 * In user mode every privileged operation is a CPU exception (reason 0,
 * EXCCAUSE 8), handled by the context's fault policy; a read of a
 * registered kernel-only global is a ring violation (EXCCAUSE 26, EXCVADDR
 * its address). In kernel mode (and from the host) they just work.
 */
#ifndef SOFSIM_ARCH_H
#define SOFSIM_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sofsim/export.h"

struct sofsim;

/** A spinlock: masks interrupts on the core while held. */
struct sofsim_spinlock {
	unsigned key;  /**< irq_lock key of the holder */
	bool locked;   /**< held */
};

/**
 * @brief Read PRID, the core id (arch_proc_id). Privileged.
 * @param sim Context.
 * @return The calling thread's core (0 from the host).
 */
SOFSIM_API unsigned sofsim_arch_proc_id(struct sofsim *sim);

/**
 * @brief SOF's cpu_get_id() syscall: the core id, read with kernel rights.
 * @param sim Context.
 * @return The calling thread's core (0 from the host).
 */
SOFSIM_API unsigned sofsim_cpu_get_id(struct sofsim *sim);

/**
 * @brief Read CCOUNT, the cycle counter (k_cycle_get_64). Privileged.
 * @param sim Context.
 * @return Cycles since creation at the platform's CCOUNT rate.
 */
SOFSIM_API uint64_t sofsim_cycle_get(struct sofsim *sim);

/**
 * @brief k_uptime_ticks() syscall: what user code gets instead of cycles.
 * @param sim Context.
 * @return Ticks at the platform's system tick rate (12 kHz on PTL, 83.3 µs each).
 */
SOFSIM_API int64_t sofsim_uptime_ticks(struct sofsim *sim);

/**
 * @brief Take a spinlock (k_spin_lock): masks interrupts. Privileged.
 * @param sim Context.
 * @param l   Lock.
 */
SOFSIM_API void sofsim_spin_lock(struct sofsim *sim, struct sofsim_spinlock *l);

/**
 * @brief Release a spinlock (k_spin_unlock). Privileged.
 * @param sim Context.
 * @param l   Lock.
 */
SOFSIM_API void sofsim_spin_unlock(struct sofsim *sim, struct sofsim_spinlock *l);

/**
 * @brief Data-cache writeback of a range (a cache instruction). Privileged.
 * @param sim  Context.
 * @param addr Start.
 * @param size Bytes.
 */
SOFSIM_API void sofsim_dcache_writeback(struct sofsim *sim, const void *addr, size_t size);

/**
 * @brief Data-cache invalidate of a range (a cache instruction). Privileged.
 * @param sim  Context.
 * @param addr Start.
 * @param size Bytes.
 */
SOFSIM_API void sofsim_dcache_invalidate(struct sofsim *sim, void *addr, size_t size);

/**
 * @brief sys_cache_data_invd_range() syscall: the verifier needs *write*
 * access to the range (userspace sheet §1.7), else the caller oopses.
 * @param sim  Context.
 * @param addr Start.
 * @param size Bytes.
 * @retval 0 Done.
 */
SOFSIM_API int sofsim_sys_cache_data_invd_range(struct sofsim *sim, void *addr, size_t size);

/**
 * @brief Invalidate the MMU TLB. Privileged.
 * @param sim Context.
 */
SOFSIM_API void sofsim_tlb_invalidate(struct sofsim *sim);

/**
 * @brief Register a kernel-only global (SOF's `sof` singleton, say), so a
 * user-mode read of it through sofsim_kernel_global_read() faults.
 * @param sim  Context.
 * @param name Name for reports (not copied).
 * @param addr Address.
 * @param size Bytes.
 * @retval 0       Registered.
 * @retval -EINVAL NULL or size 0.
 * @retval -ENOSPC The table (16 entries) is full.
 */
SOFSIM_API int sofsim_kernel_global_register(struct sofsim *sim, const char *name, const void *addr, size_t size);

/**
 * @brief Account for a read of a global: from user mode, reading a
 * registered kernel-only global is a ring violation (cause 26).
 * @param sim  Context.
 * @param addr Address read.
 * @param size Bytes read.
 * @return @p addr.
 */
SOFSIM_API const void *sofsim_kernel_global_read(struct sofsim *sim, const void *addr, size_t size);

#endif /* SOFSIM_ARCH_H */
