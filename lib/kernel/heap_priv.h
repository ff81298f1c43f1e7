/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Layout shared by the heap allocator (heap.c) and its accounting and leak
 * report (heap_report.c): the control struct, the inline chunk header and
 * the helpers that let the tools see a header only while it is touched.
 */
#ifndef SOFSIM_KERNEL_HEAP_PRIV_H
#define SOFSIM_KERNEL_HEAP_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/list.h"
#include "kernel/mem_priv.h"
#include "kernel/tools.h"

#define SOFSIM__HEAP_NAME_MAX 32
/* Owners with a row of their own; the rest share the fold row below. */
#define SOFSIM__HEAP_OWNERS 32
/* Name of the row that accounts owners beyond SOFSIM__HEAP_OWNERS. */
#define SOFSIM__HEAP_OTHER "(other)"

#define SOFSIM__CHUNK_ALIGN 16u
/* Poisoned bytes kept after every block, so a 1-byte overrun is always caught. */
#define SOFSIM__CHUNK_REDZONE 16u
/*
 * Chunk states. A freed block keeps FREE until it is merged into a lower
 * neighbour or handed out again, so a second free is told apart (-EALREADY);
 * free space that was never a block (the initial chunk, split-off
 * remainders) is SPARE, so a pointer that happens to land on it is foreign.
 */
#define SOFSIM__CHUNK_USED 0x5ea1b10cu
#define SOFSIM__CHUNK_FREE 0xf4eeb10cu
#define SOFSIM__CHUNK_SPARE 0x5fa4eb10u

/*
 * Inline header in front of every block, like Zephyr's sys_heap keeps its
 * chunk metadata in the heap's own memory. Sizes in both directions make
 * coalescing with either neighbour O(1); free chunks sit on an
 * address-ordered list linked through the header.
 */
struct sofsim__chunk {
	size_t size;      /* whole chunk, header included, multiple of 16 */
	size_t prev_size; /* size of the chunk just below, 0 for the first */
	uint32_t magic;   /* SOFSIM__CHUNK_USED, _FREE or _SPARE */
	int32_t tid;      /* allocating emulated thread (used) */
	uint32_t req;     /* requested bytes (used) */
	uint32_t slot;    /* accounting row (used) */
	union {
		struct {
			const char *owner;
			const char *site;
		} used;
		struct {
			struct sofsim__chunk *next;
			struct sofsim__chunk *prev;
		} free;
	} u;
};

#define SOFSIM__CHUNK_HDR sizeof(struct sofsim__chunk)
_Static_assert(sizeof(struct sofsim__chunk) % SOFSIM__CHUNK_ALIGN == 0, "headers keep blocks 16-aligned");

struct sofsim__heap_owner {
	char name[SOFSIM__HEAP_NAME_MAX];
	struct sofsim_heap_owner_stats st;
};

struct sofsim_heap {
	struct sofsim_list node; /* sim->heaps: every live heap, for snapshot/reset */
	char name[SOFSIM__HEAP_NAME_MAX];
	struct sofsim *sim;
	uintptr_t base;   /* the pages given to the heap */
	size_t bytes;
	uintptr_t meta;   /* first byte the heap annotates (after the struct if it sits at base) */
	uintptr_t lo, hi; /* chunk area */
	uint64_t *starts; /* one bit per 16 bytes of [lo, hi): a chunk header starts there */
	struct sofsim__chunk *free_head;
	unsigned flags;
	bool created; /* by sofsim_heap_create: destroy returns pages and struct */
	uint64_t fail_countdown;
	size_t owners; /* rows of owner[] in use, the fold row not counted */
	struct sofsim__heap_owner owner[SOFSIM__HEAP_OWNERS + 1];
	struct sofsim_heap_owner_stats total;
};

static inline bool sofsim__chunk_is_free(const struct sofsim__chunk *c)
{
	return c->magic == SOFSIM__CHUNK_FREE || c->magic == SOFSIM__CHUNK_SPARE;
}

/* Make a header (or any metadata) visible to the tools while the allocator touches it. */
static inline void sofsim__meta_open(const void *p, size_t bytes)
{
	sofsim__tools_open(p, bytes);
}

static inline void sofsim__meta_close(const void *p, size_t bytes)
{
	sofsim__vg_noaccess(p, bytes);
	sofsim__asan_poison(p, bytes);
}

static inline struct sofsim__chunk *sofsim__chunk_open(uintptr_t at)
{
	sofsim__meta_open((const void *)at, SOFSIM__CHUNK_HDR);
	return (struct sofsim__chunk *)at;
}

static inline void sofsim__chunk_close(const struct sofsim__chunk *c)
{
	sofsim__meta_close(c, SOFSIM__CHUNK_HDR);
}

/* A copy of a header, for walks that only read. */
static inline struct sofsim__chunk sofsim__chunk_peek(uintptr_t at)
{
	struct sofsim__chunk copy = *sofsim__chunk_open(at);

	sofsim__chunk_close((const struct sofsim__chunk *)at);
	return copy;
}

/* Accounting (heap_report.c). */
uint32_t sofsim__heap_account_alloc(struct sofsim_heap *h, const char *owner, size_t bytes);
void sofsim__heap_account_free(struct sofsim_heap *h, uint32_t slot, size_t bytes);

#endif /* SOFSIM_KERNEL_HEAP_PRIV_H */
