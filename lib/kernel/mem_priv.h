/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private interface between the arena, the heaps and the rest of the
 * kernel model.
 */
#ifndef SOFSIM_KERNEL_MEM_PRIV_H
#define SOFSIM_KERNEL_MEM_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sofsim/mem.h"

struct sofsim;

/* One mapping carved into pages; its page bitmap lives in its own first pages. */
struct sofsim__arena {
	uintptr_t base;
	size_t size;
	size_t pages;
	size_t meta_pages; /* pages at the start holding the bitmap */
	uint64_t *bitmap;  /* bit set = page in use */
	bool at_hint;      /* mapped at the fixed hint address */
};

int sofsim__arena_map(struct sofsim__arena *a, enum sofsim_arena_kind kind, size_t bytes);
void sofsim__arena_unmap(struct sofsim__arena *a);
int sofsim__arena_take_pages(struct sofsim__arena *a, size_t bytes, void **out);
int sofsim__arena_give_pages(struct sofsim__arena *a, void *p, size_t bytes);
bool sofsim__arena_contains(const struct sofsim__arena *a, const void *p, size_t bytes);

/* ---- hooks the heaps call (arena.c) ---- */

/* True when the global failure injection says this allocation must fail. */
bool sofsim__mem_fail_now(struct sofsim *sim);
/* Id of the calling emulated thread, or -1 (SOFSIM_TID_HOST) from the host or an ISR. */
int sofsim__current_tid(const struct sofsim *sim);
/* Whether thread @tid ended by a fault (its memory is abandoned, not leaked); sets *name. */
bool sofsim__tid_faulted(const struct sofsim *sim, int tid, const char **name);
/* Where reports go (stderr unless a test redirects it). */
FILE *sofsim__report_stream(const struct sofsim *sim);
void sofsim__set_report_stream(struct sofsim *sim, FILE *out);
/* Test hook until faults exist: treat the thread as ended by a fault. */
struct sofsim_thread;
void sofsim__thread_mark_faulted(struct sofsim_thread *t);

/* ---- heaps (heap.c) ---- */

/* Bytes a struct sofsim_heap needs, so a heap can be placed in its own first bytes. */
size_t sofsim__heap_struct_size(void);
/*
 * Initialise a heap in caller memory @h over [base, base + bytes) (page aligned).
 * @sim may be NULL only while a context is being built (no failure injection then).
 */
int sofsim__heap_init(struct sofsim_heap *h, struct sofsim *sim, const char *name, void *base, size_t bytes,
		      unsigned flags);
/* Undo sofsim__heap_init (tool annotations); does not return pages. */
void sofsim__heap_fini(struct sofsim_heap *h);
/* Every live heap is on the context's list (for snapshot/reset). */
void sofsim__heap_register(struct sofsim *sim, struct sofsim_heap *h);
/* Tell Valgrind and ASan again what a heap's blocks are, from its own headers (after a reset). */
void sofsim__heap_tools_resync(struct sofsim_heap *h);

/* Late binding of the context, for the kernel heap built before the context. */
void sofsim__heap_set_sim(struct sofsim_heap *h, struct sofsim *sim);

#endif /* SOFSIM_KERNEL_MEM_PRIV_H */
