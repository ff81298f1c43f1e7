/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private interface of memory domains (domain.c) for the rest of the kernel
 * model: thread creation calls the inheritance hook, and the syscall
 * verifiers and the enforce checker ask what a thread may touch and whether
 * its domain changed since they last looked.
 */
#ifndef SOFSIM_KERNEL_DOMAIN_PRIV_H
#define SOFSIM_KERNEL_DOMAIN_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sofsim/mem.h"

struct sofsim;
struct sofsim_thread;
struct sofsim_domain;

/* Partitions a domain can hold at most, whatever the platform says. */
#define SOFSIM_DOMAIN_MAX_PARTITIONS 64

/*
 * A new thread joins its creator's domain (Zephyr z_mem_domain_init_thread).
 * Called by sofsim_thread_create() with the running thread as @creator
 * (the host thread when the host creates it; it has no domain).
 */
void sofsim__domain_inherit(struct sofsim_thread *child, const struct sofsim_thread *creator);

/*
 * Bumped on every partition added to or removed from @d, so a cached view
 * (page bitmap, mprotect state) knows it is stale at the next view switch.
 * 0 for NULL.
 */
uint64_t sofsim__domain_generation(const struct sofsim_domain *d);

/* Partition @i of @d (0 .. sofsim_domain_partition_count() - 1), or NULL. */
const struct sofsim_partition *sofsim__domain_partition_at(const struct sofsim_domain *d, size_t i);

/* MMU L2 tables in use by all domains of @sim together (the pool that -ENOMEM guards). */
uint64_t sofsim__domain_l2_total(const struct sofsim *sim);

/*
 * Whether thread @t may access [addr, addr + size): a kernel thread any of
 * the DSP arena (and its own stack, which the sim maps outside the arena);
 * a user thread its own stack (RW) and its domain's partitions (read needs
 * SOFSIM_PART_R, write SOFSIM_PART_W). With @page_granular the range is
 * rounded out to whole pages first, as Zephyr's arch_buffer_validate does on
 * the Xtensa MMU; otherwise the check is byte-exact. size 0 → true; a range
 * whose end wraps past the top of the address space → false.
 */
bool sofsim__thread_can_access(const struct sofsim_thread *t, uintptr_t addr, size_t size, bool write,
			       bool page_granular);

#endif /* SOFSIM_KERNEL_DOMAIN_PRIV_H */
