/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file mem.h
 * @brief Emulated DSP memory: the arena, heaps with accounting and failure
 * injection, and Zephyr-style memory partitions and domains.
 *
 * All simulated state lives in one arena per context (mapped at a fixed
 * hint so addresses repeat across runs); host-side buffers live in a second
 * host arena that no DSP thread may touch.
 */
#ifndef SOFSIM_MEM_H
#define SOFSIM_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sofsim/export.h"

struct sofsim;
struct sofsim_thread;
struct sofsim_heap;
struct sofsim_domain;

/** Partition and page granule (Xtensa MMU page). */
#define SOFSIM_PAGE_BYTES 4096u

#define SOFSIM_STR_(x) #x
#define SOFSIM_STR(x) SOFSIM_STR_(x)
/** The allocation site recorded by the heap macros: "file:line". */
#define SOFSIM_SITE __FILE__ ":" SOFSIM_STR(__LINE__)

/* ---- arena ---- */

/** Which arena a range belongs to. */
enum sofsim_arena_kind {
	SOFSIM_ARENA_DSP = 0, /**< all emulated DSP memory */
	SOFSIM_ARENA_HOST,    /**< host-side buffers (no DSP thread may touch them) */
};

/**
 * @brief Bounds of an arena.
 * @param sim  Context.
 * @param kind Which arena.
 * @param base Receives its first byte.
 * @param size Receives its size in bytes.
 */
SOFSIM_API void sofsim_arena_bounds(const struct sofsim *sim, enum sofsim_arena_kind kind, uintptr_t *base,
				    size_t *size);

/**
 * @brief Take page-aligned pages from an arena (for heaps, windows, buffers).
 * @param sim   Context.
 * @param kind  Which arena.
 * @param bytes Size, rounded up to whole pages.
 * @param out   Receives the first byte.
 * @retval 0       Taken.
 * @retval -EINVAL bytes is 0.
 * @retval -ENOMEM No run of free pages that long.
 */
SOFSIM_API int sofsim_arena_take(struct sofsim *sim, enum sofsim_arena_kind kind, size_t bytes, void **out);

/**
 * @brief Give pages back to their arena.
 * @param sim   Context.
 * @param p     First byte, as returned by sofsim_arena_take().
 * @param bytes Size given to sofsim_arena_take().
 * @retval 0       Given back.
 * @retval -EINVAL Not a range taken from an arena of this context.
 */
SOFSIM_API int sofsim_arena_give(struct sofsim *sim, void *p, size_t bytes);

/* ---- heaps ---- */

/** Heap flags. */
#define SOFSIM_HEAP_USER (1u << 0) /**< its pages are meant for user partitions (LL user heap, module heaps) */

/** Accounting of one owner in one heap. */
struct sofsim_heap_owner_stats {
	size_t count;      /**< live blocks */
	size_t bytes;      /**< live bytes (as requested) */
	size_t peak_bytes; /**< high-water mark of @ref bytes */
	size_t allocs;     /**< allocations ever */
	size_t frees;      /**< frees ever */
};

/**
 * @brief Create a heap over fresh pages of the DSP arena.
 * @param sim   Context.
 * @param name  Name used in reports (copied, up to 31 characters).
 * @param bytes Capacity, rounded up to pages.
 * @param flags SOFSIM_HEAP_* flags.
 * @param out   Receives the heap.
 * @retval 0       Created.
 * @retval -EINVAL Bad size or name.
 * @retval -ENOMEM Arena or kernel heap exhausted.
 */
SOFSIM_API int sofsim_heap_create(struct sofsim *sim, const char *name, size_t bytes, unsigned flags,
				  struct sofsim_heap **out);

/**
 * @brief Destroy a heap, printing its leak report (if any) to the context's
 * report stream, and return its pages; accepts NULL.
 * @param h Heap.
 */
SOFSIM_API void sofsim_heap_destroy(struct sofsim_heap *h);

/**
 * @brief Allocate (use the sofsim_heap_alloc() macro to record the site).
 * @param h     Heap.
 * @param bytes Size (> 0).
 * @param align Alignment, a power of two; 0 = 16.
 * @param owner Owner name for accounting (a string that outlives the block).
 * @param site  Allocation site ("file:line", a string that outlives the block).
 * @return The block (zeroed), or NULL when out of memory, bytes is 0 or a failure was injected.
 */
SOFSIM_API void *sofsim_heap_alloc_at(struct sofsim_heap *h, size_t bytes, size_t align, const char *owner,
				      const char *site);

/** Allocate @p bytes for @p owner, recording the call site. */
#define sofsim_heap_alloc(h, bytes, owner) sofsim_heap_alloc_at((h), (bytes), 0, (owner), SOFSIM_SITE)
/** Allocate with an alignment, recording the call site. */
#define sofsim_heap_alloc_aligned(h, bytes, align, owner) \
	sofsim_heap_alloc_at((h), (bytes), (align), (owner), SOFSIM_SITE)

/**
 * @brief Free a block; accepts NULL.
 * @param h Heap.
 * @param p Block.
 * @retval 0         Freed.
 * @retval -EINVAL   @p p is not the start of a block of this heap (foreign pointer).
 * @retval -EALREADY @p p was already freed (double free).
 */
SOFSIM_API int sofsim_heap_free(struct sofsim_heap *h, void *p);

/**
 * @brief Whether @p p lies inside the heap's pages.
 * @param h Heap.
 * @param p Address.
 * @return true if inside.
 */
SOFSIM_API bool sofsim_heap_contains(const struct sofsim_heap *h, const void *p);

/**
 * @brief Bounds of a heap's pages.
 * @param h    Heap.
 * @param base Receives the first byte.
 * @param size Receives the size.
 */
SOFSIM_API void sofsim_heap_bounds(const struct sofsim_heap *h, uintptr_t *base, size_t *size);

/** @brief Name of a heap. @param h Heap. @return Name. */
SOFSIM_API const char *sofsim_heap_name(const struct sofsim_heap *h);

/**
 * @brief Accounting of one owner.
 * @param h     Heap.
 * @param owner Owner name (compared as a string).
 * @param out   Receives the figures (all zero for an unknown owner).
 * @retval 0       Filled.
 * @retval -ENOENT The owner never allocated from this heap (@p out zeroed).
 */
SOFSIM_API int sofsim_heap_owner_stats(const struct sofsim_heap *h, const char *owner,
				       struct sofsim_heap_owner_stats *out);

/**
 * @brief Accounting of the whole heap.
 * @param h   Heap.
 * @param out Receives the figures summed over owners.
 */
SOFSIM_API void sofsim_heap_stats(const struct sofsim_heap *h, struct sofsim_heap_owner_stats *out);

/**
 * @brief Print the live blocks, grouped by (owner, site), one line each:
 * "<heap>: leaked <count> block(s), <bytes> bytes, owner <owner>, at <site>"
 * or, for blocks of threads ended by a fault,
 * "<heap>: abandoned <count> block(s), <bytes> bytes, owner <owner>, at <site> (thread <name> faulted)".
 * @param h   Heap.
 * @param out Stream (NULL = count only).
 * @return Number of leaked (not abandoned) blocks.
 */
SOFSIM_API size_t sofsim_heap_leak_report(const struct sofsim_heap *h, FILE *out);

/**
 * @brief Make the @p n-th allocation from now on in this heap fail (1 = the next); 0 disarms.
 * @param h Heap.
 * @param n Count.
 */
SOFSIM_API void sofsim_heap_fail_nth(struct sofsim_heap *h, uint64_t n);

/**
 * @brief Make the @p n-th allocation from now on in any heap of the context
 * fail (1 = the next); 0 disarms.
 * @param sim Context.
 * @param n   Count.
 */
SOFSIM_API void sofsim_mem_fail_nth(struct sofsim *sim, uint64_t n);

/**
 * @brief The kernel heap of a context (kernel-model structures).
 * @param sim Context.
 * @return The heap.
 */
SOFSIM_API struct sofsim_heap *sofsim_kernel_heap(struct sofsim *sim);

/**
 * @brief SOF's LL user heap of a context (sof_heap_alloc's only heap from user mode).
 * @param sim Context.
 * @return The heap.
 */
SOFSIM_API struct sofsim_heap *sofsim_ll_user_heap(struct sofsim *sim);

/** Flags of sof_heap_alloc (SOF_MEM_FLAG_*; bit positions are the model's own). */
#define SOFSIM_MEM_FLAG_USER (1u << 0)         /**< user-accessible */
#define SOFSIM_MEM_FLAG_COHERENT (1u << 1)     /**< uncached alias */
#define SOFSIM_MEM_FLAG_DMA (1u << 2)          /**< DMA-capable */
#define SOFSIM_MEM_FLAG_LARGE_BUFFER (1u << 3) /**< virtual heap for large buffers */
#define SOFSIM_MEM_FLAG_KERNEL_ONLY (1u << 4)  /**< anything else: refused from user mode */

/**
 * @brief sof_heap_alloc() syscall (SOF): from user mode @p heap must be the
 * LL user heap and @p flags within USER|COHERENT|DMA|LARGE_BUFFER, else the
 * caller oopses. Kernel callers may pass any heap (NULL = kernel heap).
 * @param sim   Context.
 * @param heap  Heap.
 * @param flags SOFSIM_MEM_FLAG_*.
 * @param bytes Size.
 * @param align Alignment (0 = 16).
 * @return The block, or NULL when out of memory.
 */
SOFSIM_API void *sofsim_sof_heap_alloc(struct sofsim *sim, struct sofsim_heap *heap, uint32_t flags, size_t bytes,
				       size_t align);

/**
 * @brief sof_heap_free() syscall (SOF): from user mode @p heap must be the LL
 * user heap and a non-NULL @p addr must lie inside it and be writable by the
 * caller, else the caller oopses.
 * @param sim  Context.
 * @param heap Heap.
 * @param addr Block (NULL is ignored).
 * @retval 0         Freed.
 * @retval -EINVAL   Not a block of the heap.
 * @retval -EALREADY Double free.
 */
SOFSIM_API int sofsim_sof_heap_free(struct sofsim *sim, struct sofsim_heap *heap, void *addr);

/* ---- partitions and domains ---- */

/** Partition attributes. */
#define SOFSIM_PART_R (1u << 0)                      /**< readable */
#define SOFSIM_PART_W (1u << 1)                      /**< writable */
#define SOFSIM_PART_X (1u << 2)                      /**< executable */
#define SOFSIM_PART_RW (SOFSIM_PART_R | SOFSIM_PART_W)
#define SOFSIM_PART_RX (SOFSIM_PART_R | SOFSIM_PART_X)

/** A memory partition: a page-aligned range and its user-mode attributes. */
struct sofsim_partition {
	uintptr_t start;  /**< first byte, page aligned */
	size_t size;      /**< bytes, a page multiple */
	uint32_t attr;    /**< SOFSIM_PART_* */
	const char *name; /**< for reports (not owned) */
};

/**
 * @brief Create an empty memory domain.
 * @param sim  Context.
 * @param name Name (copied, up to 31 characters).
 * @param out  Receives it.
 * @retval 0       Created.
 * @retval -ENOMEM Out of kernel memory.
 */
SOFSIM_API int sofsim_domain_create(struct sofsim *sim, const char *name, struct sofsim_domain **out);

/**
 * @brief Destroy a domain; partitions still in it are reported (bug class
 * 24) and its threads are left without a domain. Accepts NULL.
 * @param d Domain.
 * @return Number of partitions that were still in the domain.
 */
SOFSIM_API size_t sofsim_domain_destroy(struct sofsim_domain *d);

/**
 * @brief Add a partition (k_mem_domain_add_partition).
 * @param d Domain.
 * @param p Partition (copied).
 * @retval 0       Added; threads of the domain see it from their next view switch.
 * @retval -EINVAL NULL, size 0, not page aligned, wrap-around, overlap with a
 *                 partition of the domain, or write+execute.
 * @retval -ENOSPC The domain already holds the platform's partition limit.
 * @retval -ENOMEM The platform's MMU L2 table pool is exhausted.
 */
SOFSIM_API int sofsim_domain_add_partition(struct sofsim_domain *d, const struct sofsim_partition *p);

/**
 * @brief Remove a partition (exact start and size match).
 * @param d Domain.
 * @param p Partition.
 * @retval 0       Removed.
 * @retval -EINVAL NULL.
 * @retval -ENOENT No partition of the domain matches exactly.
 */
SOFSIM_API int sofsim_domain_remove_partition(struct sofsim_domain *d, const struct sofsim_partition *p);

/**
 * @brief Put a thread in a domain (a thread belongs to at most one).
 * @param d Domain.
 * @param t Thread.
 * @retval 0      Done.
 * @retval -EBUSY The thread has started and is not the caller: moving a live thread is refused (bug class 23).
 */
SOFSIM_API int sofsim_domain_add_thread(struct sofsim_domain *d, struct sofsim_thread *t);

/**
 * @brief The domain of a thread.
 * @param t Thread.
 * @return Its domain, or NULL.
 */
SOFSIM_API struct sofsim_domain *sofsim_thread_domain(const struct sofsim_thread *t);

/**
 * @brief Re-pin a thread to another core (k_thread_cpu_pin).
 * @param t    Thread.
 * @param core Core.
 * @retval 0       Done.
 * @retval -EINVAL Bad core.
 * @retval -EBUSY  The thread has started (bug class 23).
 */
SOFSIM_API int sofsim_thread_cpu_pin(struct sofsim_thread *t, unsigned core);

/** @brief Number of partitions in a domain. @param d Domain. @return Count. */
SOFSIM_API size_t sofsim_domain_partition_count(const struct sofsim_domain *d);

/**
 * @brief MMU L2 tables this domain uses: one per distinct 4 MiB span its
 * partitions touch (userspace sheet §1.7).
 * @param d Domain.
 * @return Count.
 */
SOFSIM_API unsigned sofsim_domain_l2_tables(const struct sofsim_domain *d);

/**
 * @brief Whether a user thread of domain @p d may access [addr, addr+size)
 * through its partitions alone (no stack, no shared regions).
 * @param d     Domain.
 * @param addr  First byte.
 * @param size  Bytes (0 is allowed and always true).
 * @param write Write access wanted (else read).
 * @return true if every byte is covered by partitions with the right attribute.
 */
SOFSIM_API bool sofsim_domain_allows(const struct sofsim_domain *d, uintptr_t addr, size_t size, bool write);

#endif /* SOFSIM_MEM_H */
