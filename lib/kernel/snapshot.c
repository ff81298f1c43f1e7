/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Snapshot and reset of a booted context. Everything simulated lives in the
 * two arenas (thread control blocks and fiber contexts included) plus the
 * context's own struct, so a snapshot is a copy of the pages in use and of
 * that struct; a reset copies back the pages that changed, puts the struct
 * back, and tells Valgrind and ASan again what the heaps hold. Emulated
 * threads parked at the snapshot come back to the same park point because
 * their stacks and saved registers are arena pages like any other.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "kernel/bitmap.h"
#include "kernel/heap_priv.h"
#include "kernel/kernel_priv.h"
#include "kernel/snapshot_priv.h"
#include "kernel/tools.h"

struct sofsim__arena_copy {
	uint8_t *bytes;  /* the arena's bytes at the snapshot (pages in use only are meaningful) */
	uint64_t *keep;  /* pages to restore: in use at the snapshot, guard pages excluded */
	size_t end;      /* one past the last page to restore */
	uint8_t *heat;   /* per page: 0 cold (write-protected), else hot (writable) for that many equal resets */
	size_t hot;      /* pages with heat > 0 */
};

struct sofsim__snapshot {
	struct sofsim sim;
	struct sofsim__arena_copy dsp, host;
	struct sofsim_event *evlog;
	struct sofsim__track track;
	uint64_t dirty_last;
};

static size_t page_of(const struct sofsim__arena *a, const void *p)
{
	return ((uintptr_t)p - a->base) / SOFSIM_PAGE_BYTES;
}

/* Copy the pages in use; guard pages (PROT_NONE) are neither readable nor ever restored. */
static int copy_arena(const struct sofsim *sim, const struct sofsim__arena *a, struct sofsim__arena_copy *c)
{
	size_t words = (a->pages + 63) / 64;
	const struct sofsim_list *pos;

	c->bytes = malloc(a->size);
	c->keep = calloc(words, sizeof(*c->keep));
	c->heat = calloc(a->pages, sizeof(*c->heat));
	if (!c->bytes || !c->keep || !c->heat)
		return -ENOMEM;
	memcpy(c->keep, a->bitmap, words * sizeof(*c->keep));
	if (a == &sim->arena)
		for (pos = sim->threads.next; pos != &sim->threads; pos = pos->next)
			sofsim__bit_clear(c->keep, page_of(a, SOFSIM_CONTAINER_OF(pos, struct sofsim_thread, all_node)->stack));
	sofsim__vg_errors_off();
	for (size_t i = 0; i < a->pages; i++) {
		if (!sofsim__bit_test(c->keep, i))
			continue;
		sofsim__blind_copy(c->bytes + i * SOFSIM_PAGE_BYTES, (const void *)(a->base + i * SOFSIM_PAGE_BYTES),
				   SOFSIM_PAGE_BYTES);
		c->end = i + 1;
	}
	sofsim__vg_errors_on();
	return 0;
}

static void free_copy(struct sofsim__arena_copy *c)
{
	free(c->bytes);
	free(c->keep);
	free(c->heat);
}

void sofsim__snapshot_free(struct sofsim *sim)
{
	struct sofsim__snapshot *s = sim->snapshot;

	if (!s)
		return;
	sofsim__track_stop(&s->track);
	if (sim->carrier->snapshot)
		sim->carrier->snapshot(sim, false);
	free_copy(&s->dsp);
	free_copy(&s->host);
	free(s->evlog);
	free(s);
	sim->snapshot = NULL;
}

int sofsim_snapshot(struct sofsim *sim, char *why, size_t why_len)
{
	struct sofsim__snapshot *s;

	if (sim->running != &sim->host || sim->in_run)
		return sofsim__why(why, why_len, -EBUSY, "sofsim_snapshot: only from the host, between runs");
	if (sim->mmu)
		return sofsim__why(why, why_len, -EOPNOTSUPP,
				   "sofsim_snapshot: not under enforce=mmu (each view re-protects arena pages, "
				   "which the copy and the write tracking need as they are)");
	for (unsigned i = 0; i < sim->snap_hooks_used; i++) {
		int ret = sim->snap_hooks[i].check(sim->snap_hooks[i].arg, why, why_len);

		if (ret)
			return ret;
	}
	sofsim__snapshot_free(sim);
	s = calloc(1, sizeof(*s));
	if (!s)
		return sofsim__why(why, why_len, -ENOMEM, "sofsim_snapshot: out of memory");
	sim->snapshot = s;
	if (copy_arena(sim, &sim->arena, &s->dsp) || copy_arena(sim, &sim->host_arena, &s->host))
		goto err_nomem;
	if (sim->evlog.capacity) {
		s->evlog = malloc(sim->evlog.capacity * sizeof(*s->evlog));
		if (!s->evlog)
			goto err_nomem;
		memcpy(s->evlog, sim->evlog.ring, sim->evlog.capacity * sizeof(*s->evlog));
	}
	memcpy(&s->sim, sim, sizeof(*sim));
	if (sim->carrier->snapshot)
		sim->carrier->snapshot(sim, true);
	sofsim__track_start(sim, &s->track);
	return 0;

err_nomem:
	sofsim__snapshot_free(sim);
	return sofsim__why(why, why_len, -ENOMEM, "sofsim_snapshot: out of memory");
}

/*
 * Threads alive at the snapshot and still alive now keep their guard pages
 * across a reset: with write tracking, no restore touches a PROT_NONE page,
 * and each mprotect() pair costs a VMA split and merge. Ids past this
 * bitmap simply take the slow way.
 */
#define KEPT_GUARD_IDS 256

struct kept_guards {
	uint64_t bits[KEPT_GUARD_IDS / 64];
};

static bool guard_id_fits(int id)
{
	return id >= 0 && id < KEPT_GUARD_IDS;
}

static bool guard_kept(const struct kept_guards *k, int id)
{
	return guard_id_fits(id) && sofsim__bit_test(k->bits, (size_t)id);
}

/*
 * Let go of what the tools and the MMU know of the threads of now, and note
 * the heaps of now (their Valgrind pools are keyed by address): returns how
 * many were put in @heaps (at most @max).
 */
static size_t release_now(struct sofsim *sim, const void **heaps, size_t max, struct kept_guards *kept)
{
	const struct sofsim__snapshot *s = sim->snapshot;
	struct sofsim_list *pos;
	size_t n = 0;

	for (pos = sim->threads.next; pos != &sim->threads; pos = pos->next) {
		struct sofsim_thread *t = SOFSIM_CONTAINER_OF(pos, struct sofsim_thread, all_node);

		sim->carrier->thread_fini(sim, t);
		if (sofsim__tracking(&s->track) && t->id < s->sim.next_tid && guard_id_fits(t->id))
			sofsim__bit_set(kept->bits, (size_t)t->id);
		else
			mprotect(t->stack, SOFSIM_PAGE_BYTES, PROT_READ | PROT_WRITE);
	}
	for (pos = sim->heaps.next; pos != &sim->heaps && n < max; pos = pos->next)
		heaps[n++] = SOFSIM_CONTAINER_OF(pos, struct sofsim_heap, node);
	return n;
}

/* Pools of heaps that no longer exist after the reset go too. */
static void forget_gone_heaps(struct sofsim *sim, const void *const *heaps, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct sofsim_list *pos;
		bool alive = false;

		for (pos = sim->heaps.next; pos != &sim->heaps && !alive; pos = pos->next)
			alive = (const void *)SOFSIM_CONTAINER_OF(pos, struct sofsim_heap, node) == heaps[i];
		if (!alive && sofsim__vg_pool_exists(heaps[i]))
			sofsim__vg_pool_destroy(heaps[i]);
	}
}

/*
 * A page written since the last reset is copied back and stays writable
 * ("hot"): later resets compare it instead of paying a write-protect fault
 * for its next write, since LL ticks and fuzz inputs write the same stacks
 * and buffers again and again. A fault costs 0.7 to 12 µs depending on the
 * host, a compare about 0.1 µs, so a hot page found equal to the snapshot
 * cools for HOT_RESETS resets before it is protected again (pages written
 * every few runs then never fault), and at once when more than HOT_PAGES
 * pages are hot, which bounds the compares a reset does for nothing.
 */
#define HOT_RESETS 16
#define HOT_PAGES 320

struct written {
	struct sofsim__track *track;
	struct sofsim__arena *a;
	struct sofsim__arena_copy *c;
	uint64_t dirty;
	size_t run_first, run_pages; /* pages to protect again, gathered into runs */
};

static void protect_run(struct written *w)
{
	if (w->run_pages)
		sofsim__track_protect(w->track, w->a, w->run_first, w->run_pages);
	w->run_pages = 0;
}

static void protect_page(struct written *w, size_t i)
{
	if (w->run_pages && w->run_first + w->run_pages == i) {
		w->run_pages++;
		return;
	}
	protect_run(w);
	w->run_first = i;
	w->run_pages = 1;
}

static void cool(struct written *w, size_t i)
{
	struct sofsim__arena_copy *c = w->c;

	if (--c->heat[i] && c->hot <= HOT_PAGES)
		return;
	c->heat[i] = 0;
	c->hot--;
	protect_page(w, i);
}

static void restore_written(void *arg, size_t i)
{
	struct written *w = arg;
	struct sofsim__arena_copy *c = w->c;
	void *page = (void *)(w->a->base + i * SOFSIM_PAGE_BYTES);
	const uint8_t *saved = c->bytes + i * SOFSIM_PAGE_BYTES;

	if (!sofsim__bit_test(c->keep, i)) {
		protect_page(w, i); /* free at the snapshot: nothing to put back */
		return;
	}
	if (c->heat[i] && sofsim__blind_equal(page, saved, SOFSIM_PAGE_BYTES)) {
		cool(w, i);
		return;
	}
	sofsim__blind_copy(page, saved, SOFSIM_PAGE_BYTES);
	c->hot += !c->heat[i];
	c->heat[i] = HOT_RESETS;
	w->dirty++;
}

/* Copy back the pages that changed; returns how many did. */
static uint64_t restore_arena(struct sofsim__snapshot *s, struct sofsim__arena *a, struct sofsim__arena_copy *c)
{
	struct written w = { .track = &s->track, .a = a, .c = c };
	uint64_t dirty = 0;

	/* Whatever the tools think of these bytes now is about to be wrong. */
	sofsim__tools_open((const void *)a->base, a->size);
	/* Pages found written are copied back (and stay hot) or protected again; later writes show next time. */
	if (sofsim__tracking(&s->track) && sofsim__track_scan(&s->track, a, c->end, restore_written, &w) == 0) {
		protect_run(&w);
		return w.dirty;
	}
	/* Bytes may be uninitialised (stacks, free chunks): compare them without the tools looking. */
	sofsim__vg_errors_off();
	for (size_t i = 0; i < c->end; i++) {
		void *page = (void *)(a->base + i * SOFSIM_PAGE_BYTES);
		const uint8_t *saved = c->bytes + i * SOFSIM_PAGE_BYTES;

		if (!sofsim__bit_test(c->keep, i) || sofsim__blind_equal(page, saved, SOFSIM_PAGE_BYTES))
			continue;
		sofsim__blind_copy(page, saved, SOFSIM_PAGE_BYTES);
		dirty++;
	}
	sofsim__vg_errors_on();
	return dirty;
}

/* The struct goes back as it was, but for what belongs to the host process. */
static void restore_struct(struct sofsim *sim, const struct sofsim__snapshot *s)
{
	struct sofsim__snapshot *keep_snapshot = sim->snapshot;
	FILE *report = sim->report;
	struct sofsim_event *ring = sim->evlog.ring;
	uint64_t total = sim->evlog.total;
	unsigned inside = atomic_load(&sim->inside);

	memcpy(sim, &s->sim, sizeof(*sim));
	sim->snapshot = keep_snapshot;
	sim->report = report;
	atomic_store(&sim->inside, inside);
	sim->evlog.ring = ring;
	/* Event-log slots written since the snapshot get their old contents back. */
	for (uint64_t i = s->sim.evlog.total; i < total && i < s->sim.evlog.total + sim->evlog.capacity; i++)
		ring[i % sim->evlog.capacity] = s->evlog[i % sim->evlog.capacity];
}

/* Threads and heaps of the snapshot: guard pages, stack registrations and heap blocks back. */
static void reacquire(struct sofsim *sim, const struct kept_guards *kept)
{
	struct sofsim_list *pos;

	for (pos = sim->threads.next; pos != &sim->threads; pos = pos->next) {
		struct sofsim_thread *t = SOFSIM_CONTAINER_OF(pos, struct sofsim_thread, all_node);

		if (!guard_kept(kept, t->id))
			mprotect(t->stack, SOFSIM_PAGE_BYTES, PROT_NONE);
		if (sim->carrier->thread_restore)
			sim->carrier->thread_restore(sim, t);
	}
	for (pos = sim->heaps.next; pos != &sim->heaps && sofsim__tools_watching(); pos = pos->next)
		sofsim__heap_tools_resync(SOFSIM_CONTAINER_OF(pos, struct sofsim_heap, node));
}

int sofsim_reset(struct sofsim *sim)
{
	struct sofsim__snapshot *s = sim->snapshot;
	const void *heaps[64];
	struct kept_guards kept = { { 0 } };
	size_t nheaps;
	uint64_t dirty;

	if (sim->running != &sim->host || sim->in_run)
		return -EBUSY;
	if (!s)
		return -ENOENT;
	nheaps = release_now(sim, heaps, sizeof(heaps) / sizeof(heaps[0]), &kept);
	dirty = restore_arena(s, &sim->arena, &s->dsp) + restore_arena(s, &sim->host_arena, &s->host);
	restore_struct(sim, s);
	forget_gone_heaps(sim, heaps, nheaps);
	reacquire(sim, &kept);
	sofsim__tls_self = NULL;
	s->dirty_last = dirty;
	return 0;
}

const char *sofsim_reset_tracking(const struct sofsim *sim)
{
	if (!sim->snapshot)
		return "none";
	return sofsim__tracking(&sim->snapshot->track) ? "userfaultfd write-protect + PAGEMAP_SCAN" : "page compare";
}

uint64_t sofsim_reset_dirty_pages(const struct sofsim *sim)
{
	return sim->snapshot ? sim->snapshot->dirty_last : 0;
}

int sofsim__snapshot_hook_add(struct sofsim *sim, int (*check)(void *arg, char *why, size_t why_len), void *arg)
{
	if (sim->snap_hooks_used == SOFSIM_SNAPSHOT_HOOKS)
		return -ENOSPC;
	sim->snap_hooks[sim->snap_hooks_used++] = (struct sofsim__snap_hook){ check, arg };
	return 0;
}

void sofsim__snapshot_hook_remove(struct sofsim *sim, void *arg)
{
	for (unsigned i = 0; i < sim->snap_hooks_used; i++) {
		if (sim->snap_hooks[i].arg == arg) {
			sim->snap_hooks[i] = sim->snap_hooks[--sim->snap_hooks_used];
			return;
		}
	}
}
