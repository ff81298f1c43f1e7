/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The arenas: one mapping each for DSP memory and host memory, at a fixed
 * hint address so a run puts every object where the previous run did, and
 * carved into pages by a first-fit bitmap kept in the arena's first pages.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "kernel/bitmap.h"
#include "kernel/kernel_priv.h"

#define ARENA_HINT_DSP UINT64_C(0x200000000000)
#define ARENA_HINT_HOST UINT64_C(0x280000000000)
#define ARENA_SLOT_STRIDE (UINT64_C(1) << 36)
#define ARENA_SLOTS 256

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

static void *map_at(uintptr_t hint, size_t bytes)
{
	void *p = mmap((void *)hint, bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if ((uintptr_t)p != hint) { /* a kernel that ignores NOREPLACE treats it as a hint */
		munmap(p, bytes);
		return NULL;
	}
	return p;
}

static bool page_used(const struct sofsim__arena *a, size_t i)
{
	return sofsim__bit_test(a->bitmap, i);
}

static void mark(struct sofsim__arena *a, size_t first, size_t n, bool used)
{
	for (size_t i = first; i < first + n; i++) {
		if (used)
			sofsim__bit_set(a->bitmap, i);
		else
			sofsim__bit_clear(a->bitmap, i);
	}
}

int sofsim__arena_map(struct sofsim__arena *a, enum sofsim_arena_kind kind, size_t bytes)
{
	uintptr_t hint = kind == SOFSIM_ARENA_DSP ? ARENA_HINT_DSP : ARENA_HINT_HOST;
	void *p = NULL;
	size_t bitmap_bytes;

	memset(a, 0, sizeof(*a));
	for (unsigned slot = 0; slot < ARENA_SLOTS && !p; slot++)
		p = map_at(hint + slot * ARENA_SLOT_STRIDE, bytes);
	a->at_hint = p != NULL;
	if (!p) {
		p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p == MAP_FAILED)
			return -ENOMEM;
	}
	a->base = (uintptr_t)p;
	a->size = bytes;
	a->pages = bytes / SOFSIM_PAGE_BYTES;
	bitmap_bytes = (a->pages + 63) / 64 * sizeof(uint64_t);
	a->meta_pages = (bitmap_bytes + SOFSIM_PAGE_BYTES - 1) / SOFSIM_PAGE_BYTES;
	a->bitmap = p;
	mark(a, 0, a->meta_pages, true);
	return 0;
}

void sofsim__arena_unmap(struct sofsim__arena *a)
{
	if (a->base)
		munmap((void *)a->base, a->size);
	memset(a, 0, sizeof(*a));
}

int sofsim__arena_take_pages(struct sofsim__arena *a, size_t bytes, void **out)
{
	size_t n = (bytes + SOFSIM_PAGE_BYTES - 1) / SOFSIM_PAGE_BYTES;
	size_t run = 0;

	if (bytes == 0 || n > a->pages)
		return bytes ? -ENOMEM : -EINVAL;
	for (size_t i = a->meta_pages; i < a->pages; i++) {
		run = page_used(a, i) ? 0 : run + 1;
		if (run == n) {
			size_t first = i + 1 - n;

			mark(a, first, n, true);
			*out = (void *)(a->base + first * SOFSIM_PAGE_BYTES);
			return 0;
		}
	}
	return -ENOMEM;
}

bool sofsim__arena_contains(const struct sofsim__arena *a, const void *p, size_t bytes)
{
	uintptr_t x = (uintptr_t)p;

	return a->base && x >= a->base && bytes <= a->size && x - a->base <= a->size - bytes;
}

int sofsim__arena_give_pages(struct sofsim__arena *a, void *p, size_t bytes)
{
	size_t n = (bytes + SOFSIM_PAGE_BYTES - 1) / SOFSIM_PAGE_BYTES;
	size_t first;

	if (!bytes || !sofsim__arena_contains(a, p, n * SOFSIM_PAGE_BYTES) ||
	    ((uintptr_t)p - a->base) % SOFSIM_PAGE_BYTES)
		return -EINVAL;
	first = ((uintptr_t)p - a->base) / SOFSIM_PAGE_BYTES;
	if (first < a->meta_pages)
		return -EINVAL;
	for (size_t i = first; i < first + n; i++)
		if (!page_used(a, i))
			return -EINVAL;
	mark(a, first, n, false);
	return 0;
}

static struct sofsim__arena *arena_of(struct sofsim *sim, enum sofsim_arena_kind kind)
{
	return kind == SOFSIM_ARENA_HOST ? &sim->host_arena : &sim->arena;
}

void sofsim_arena_bounds(const struct sofsim *sim, enum sofsim_arena_kind kind, uintptr_t *base, size_t *size)
{
	const struct sofsim__arena *a = kind == SOFSIM_ARENA_HOST ? &sim->host_arena : &sim->arena;

	*base = a->base;
	*size = a->size;
}

int sofsim_arena_take(struct sofsim *sim, enum sofsim_arena_kind kind, size_t bytes, void **out)
{
	if ((unsigned)kind > SOFSIM_ARENA_HOST || !out)
		return -EINVAL;
	return sofsim__arena_take_pages(arena_of(sim, kind), bytes, out);
}

int sofsim_arena_give(struct sofsim *sim, void *p, size_t bytes)
{
	if (sofsim__arena_contains(&sim->arena, p, 1))
		return sofsim__arena_give_pages(&sim->arena, p, bytes);
	return sofsim__arena_give_pages(&sim->host_arena, p, bytes);
}

/* ---- hooks for the heaps ---- */

bool sofsim__mem_fail_now(struct sofsim *sim)
{
	if (!sim || !sim->fail_countdown)
		return false;
	return --sim->fail_countdown == 0;
}

void sofsim_mem_fail_nth(struct sofsim *sim, uint64_t n)
{
	sim->fail_countdown = n;
}

int sofsim__current_tid(const struct sofsim *sim)
{
	return sim && sofsim__in_thread(sim) ? sim->running->id : SOFSIM_TID_HOST;
}

bool sofsim__tid_faulted(const struct sofsim *sim, int tid, const char **name)
{
	const struct sofsim_list *pos;

	if (!sim || tid < 0)
		return false;
	if (sim->halted) { /* every thread of a halted DSP is parked for good */
		if (name)
			*name = "(halted)";
		return true;
	}
	for (pos = sim->threads.next; pos != &sim->threads; pos = pos->next) {
		const struct sofsim_thread *t = SOFSIM_CONTAINER_OF(pos, struct sofsim_thread, all_node);

		if (t->id == tid) {
			if (t->faulted && name)
				*name = t->name;
			return t->faulted;
		}
	}
	return false;
}

FILE *sofsim__report_stream(const struct sofsim *sim)
{
	return sim && sim->report ? sim->report : stderr;
}

void sofsim__set_report_stream(struct sofsim *sim, FILE *out)
{
	sim->report = out;
}

void sofsim__thread_mark_faulted(struct sofsim_thread *t)
{
	t->faulted = true;
}

struct sofsim_heap *sofsim_kernel_heap(struct sofsim *sim)
{
	return sim->kheap;
}
