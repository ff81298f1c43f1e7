/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The heaps of the kernel model (kernel heap, LL user heap, module heaps):
 * a first-fit allocator over arena pages with inline chunk headers, so a
 * stray write into heap metadata corrupts the heap the way it would on the
 * DSP. A bitmap of chunk starts (also in the heap's pages) tells a real
 * header from a foreign pointer without reading memory the heap does not
 * own, which keeps free() of garbage an error code and not a crash.
 * Valgrind and ASan see only the blocks handed out; everything else in the
 * heap, headers included, is inaccessible to them.
 */
#include <errno.h>
#include <string.h>

#include "sofsim/sim.h"

#include "kernel/heap_priv.h"

#define HDR SOFSIM__CHUNK_HDR
#define ALIGN SOFSIM__CHUNK_ALIGN
/* Smallest free chunk worth splitting off: a header and one granule. */
#define MIN_CHUNK (HDR + ALIGN)

static uintptr_t round_up(uintptr_t x, size_t a)
{
	return (x + a - 1) & ~(uintptr_t)(a - 1);
}

static bool name_ok(const char *name)
{
	return name && name[0] && strlen(name) < SOFSIM__HEAP_NAME_MAX;
}

/* ---- headers and the chunk-start bitmap, each touched between open and close ---- */

static void chunk_put(uintptr_t at, const struct sofsim__chunk *c)
{
	memcpy(sofsim__chunk_open(at), c, sizeof(*c));
	sofsim__chunk_close((const struct sofsim__chunk *)at);
}

static void set_prev_size(const struct sofsim_heap *h, uintptr_t at, size_t prev_size)
{
	struct sofsim__chunk c;

	if (at >= h->hi)
		return;
	c = sofsim__chunk_peek(at);
	c.prev_size = prev_size;
	chunk_put(at, &c);
}

static uint64_t *start_word(const struct sofsim_heap *h, uintptr_t at, uint64_t *bit)
{
	size_t i = (at - h->lo) / ALIGN;

	*bit = UINT64_C(1) << (i % 64);
	return &h->starts[i / 64];
}

static bool is_start(const struct sofsim_heap *h, uintptr_t at)
{
	uint64_t bit, *w = start_word(h, at, &bit);
	bool on;

	sofsim__meta_open(w, sizeof(*w));
	on = *w & bit;
	sofsim__meta_close(w, sizeof(*w));
	return on;
}

static void mark_start(struct sofsim_heap *h, uintptr_t at, bool on)
{
	uint64_t bit, *w = start_word(h, at, &bit);

	sofsim__meta_open(w, sizeof(*w));
	*w = on ? *w | bit : *w & ~bit;
	sofsim__meta_close(w, sizeof(*w));
}

/* ---- the address-ordered free list ---- */

static void set_link(struct sofsim_heap *h, uintptr_t at, bool next, uintptr_t to)
{
	struct sofsim__chunk c;

	if (!at) {
		if (next)
			h->free_head = (struct sofsim__chunk *)to;
		return;
	}
	c = sofsim__chunk_peek(at);
	if (next)
		c.u.free.next = (struct sofsim__chunk *)to;
	else
		c.u.free.prev = (struct sofsim__chunk *)to;
	chunk_put(at, &c);
}

static void list_unlink(struct sofsim_heap *h, const struct sofsim__chunk *c)
{
	uintptr_t prev = (uintptr_t)c->u.free.prev, next = (uintptr_t)c->u.free.next;

	set_link(h, prev, true, next);
	if (next)
		set_link(h, next, false, prev);
}

/* Link @c (a copy the caller writes back to @at) after free chunk @prev (0 = first). */
static void list_link_after(struct sofsim_heap *h, uintptr_t prev, struct sofsim__chunk *c, uintptr_t at)
{
	uintptr_t next = prev ? (uintptr_t)sofsim__chunk_peek(prev).u.free.next : (uintptr_t)h->free_head;

	c->u.free.prev = (struct sofsim__chunk *)prev;
	c->u.free.next = (struct sofsim__chunk *)next;
	set_link(h, prev, true, at);
	if (next)
		set_link(h, next, false, at);
}

/* The last free chunk below @at, or 0. */
static uintptr_t free_below(const struct sofsim_heap *h, uintptr_t at)
{
	uintptr_t prev = 0, f = (uintptr_t)h->free_head;

	while (f && f < at) {
		prev = f;
		f = (uintptr_t)sofsim__chunk_peek(f).u.free.next;
	}
	return prev;
}

/* ---- init and teardown ---- */

size_t sofsim__heap_struct_size(void)
{
	return sizeof(struct sofsim_heap);
}

/* Where the chunk area starts: after the struct when the heap lives in its own first bytes. */
static int place_meta(const struct sofsim_heap *h, uintptr_t b, size_t bytes, uintptr_t *meta)
{
	uintptr_t hs = (uintptr_t)h;

	*meta = b;
	if (hs + sizeof(*h) <= b || hs >= b + bytes)
		return 0;
	if (hs != b)
		return -EINVAL;
	*meta = round_up(b + sizeof(*h), ALIGN);
	return 0;
}

static void layout(struct sofsim_heap *h, uintptr_t meta, uintptr_t end)
{
	size_t bitmap = round_up(((end - meta) / ALIGN + 63) / 64 * sizeof(uint64_t), ALIGN);

	h->meta = meta;
	h->starts = (uint64_t *)meta;
	h->lo = meta + bitmap;
	h->hi = end;
}

/* Everything is written before the tools are told, so nothing needs opening here. */
static void first_chunk(struct sofsim_heap *h)
{
	struct sofsim__chunk c = { .size = h->hi - h->lo, .magic = SOFSIM__CHUNK_SPARE };

	memset(h->starts, 0, h->lo - h->meta);
	memcpy((void *)h->lo, &c, sizeof(c));
	h->starts[0] = 1;
	h->free_head = (struct sofsim__chunk *)h->lo;
}

int sofsim__heap_init(struct sofsim_heap *h, struct sofsim *sim, const char *name, void *base, size_t bytes,
		      unsigned flags)
{
	uintptr_t b = (uintptr_t)base, meta, end;

	if (!h || !base || !name_ok(name) || b % SOFSIM_PAGE_BYTES || bytes > UINTPTR_MAX - b)
		return -EINVAL;
	if (place_meta(h, b, bytes, &meta))
		return -EINVAL;
	end = (b + bytes) & ~(uintptr_t)(ALIGN - 1);
	/* Room for the bitmap (at most a 1/128 of the area, rounded) and one small block. */
	if (end <= meta || end - meta < 2 * ALIGN + 2 * MIN_CHUNK)
		return -EINVAL;

	/*
	 * The pages may have been a stack or another heap: whatever the tools
	 * remember of them is stale. Make them plainly accessible before writing.
	 */
	sofsim__vg_undefined(base, bytes);
	sofsim__asan_unpoison(base, bytes);
	memset(h, 0, sizeof(*h));
	memcpy(h->name, name, strlen(name) + 1);
	h->sim = sim;
	h->base = b;
	h->bytes = bytes;
	h->flags = flags;
	memcpy(h->owner[SOFSIM__HEAP_OWNERS].name, SOFSIM__HEAP_OTHER, sizeof(SOFSIM__HEAP_OTHER));
	sofsim_list_init(&h->node);
	if (sim)
		sofsim__heap_register(sim, h);
	layout(h, meta, end);
	first_chunk(h);

	sofsim__vg_pool_create(h, SOFSIM__CHUNK_REDZONE);
	sofsim__meta_close((const void *)meta, b + bytes - meta);
	return 0;
}

void sofsim__heap_fini(struct sofsim_heap *h)
{
	size_t span;

	if (!h || !h->hi)
		return;
	span = h->base + h->bytes - h->meta;
	if (sofsim_list_linked(&h->node))
		sofsim_list_remove(&h->node);
	sofsim__vg_pool_destroy(h);
	/* The pages go back to the arena and may become a stack: accessible, contents unknown. */
	sofsim__vg_undefined((const void *)h->meta, span);
	sofsim__asan_unpoison((const void *)h->meta, span);
	h->free_head = NULL;
	h->lo = h->hi = 0;
}

void sofsim__heap_set_sim(struct sofsim_heap *h, struct sofsim *sim)
{
	h->sim = sim;
}

int sofsim_heap_create(struct sofsim *sim, const char *name, size_t bytes, unsigned flags,
		       struct sofsim_heap **out)
{
	struct sofsim_heap *h;
	void *base = NULL;
	size_t pages;
	int ret;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (!sim || !name_ok(name) || !bytes || bytes > SIZE_MAX - SOFSIM_PAGE_BYTES)
		return -EINVAL;
	pages = round_up(bytes, SOFSIM_PAGE_BYTES);
	h = sofsim_heap_alloc(sofsim_kernel_heap(sim), sizeof(*h), "heaps");
	if (!h)
		return -ENOMEM;
	ret = sofsim_arena_take(sim, SOFSIM_ARENA_DSP, pages, &base);
	if (ret)
		goto err_take_pages;
	ret = sofsim__heap_init(h, sim, name, base, pages, flags);
	if (ret)
		goto err_init;
	h->created = true;
	*out = h;
	return 0;

err_init:
	sofsim_arena_give(sim, base, pages);
err_take_pages:
	sofsim_heap_free(sofsim_kernel_heap(sim), h);
	return ret;
}

void sofsim_heap_destroy(struct sofsim_heap *h)
{
	struct sofsim *sim;
	void *base;
	size_t bytes;

	if (!h)
		return;
	sim = h->sim;
	base = (void *)h->base;
	bytes = h->bytes;
	if (h->total.count)
		sofsim_heap_leak_report(h, sofsim__report_stream(sim));
	sofsim__heap_fini(h);
	if (!h->created)
		return;
	sofsim_arena_give(sim, base, bytes);
	sofsim_heap_free(sofsim_kernel_heap(sim), h);
}

/* ---- allocation ---- */

/* Both counters tick on every attempt, whichever of them fires. */
static bool injected_failure(struct sofsim_heap *h)
{
	bool global = h->sim && sofsim__mem_fail_now(h->sim);
	bool local = h->fail_countdown && --h->fail_countdown == 0;

	return global || local;
}

/* User address of a block of @need chunk bytes in free chunk @c at @at, or 0. */
static uintptr_t fit(const struct sofsim__chunk *c, uintptr_t at, size_t need, size_t align)
{
	uintptr_t u = round_up(at + HDR, align);

	/* A gap below the block must be able to stand as a free chunk of its own. */
	if (u - HDR != at && u - HDR - at < MIN_CHUNK)
		u = round_up(at + HDR + MIN_CHUNK, align);
	if (u - HDR - at > c->size || c->size - (u - HDR - at) < need)
		return 0;
	return u;
}

/*
 * Carve chunk @n (block at @u) out of free chunk @c at @at: what lies below
 * stays free in @c's place, a big enough remainder above becomes a new free
 * chunk. Returns the final size of @n; its header is the caller's to write.
 */
static size_t carve(struct sofsim_heap *h, struct sofsim__chunk *c, uintptr_t at, uintptr_t n, size_t need,
		    size_t *prev_size)
{
	size_t rest = c->size - (n - at);
	uintptr_t list_prev = at;

	if (n != at) {
		c->size = n - at;
		chunk_put(at, c);
		mark_start(h, n, true);
		*prev_size = c->size;
	} else {
		list_prev = (uintptr_t)c->u.free.prev;
		list_unlink(h, c);
		*prev_size = c->prev_size;
	}
	if (rest - need >= MIN_CHUNK) {
		struct sofsim__chunk t = { .size = rest - need, .prev_size = need, .magic = SOFSIM__CHUNK_SPARE };

		list_link_after(h, list_prev, &t, n + need);
		chunk_put(n + need, &t);
		mark_start(h, n + need, true);
		set_prev_size(h, n + rest, t.size);
		return need;
	}
	set_prev_size(h, n + rest, rest);
	return rest;
}

static void *take(struct sofsim_heap *h, struct sofsim__chunk *c, uintptr_t at, uintptr_t u, size_t need,
		  size_t bytes, const char *owner, const char *site)
{
	struct sofsim__chunk b = {
		.magic = SOFSIM__CHUNK_USED,
		.tid = sofsim__current_tid(h->sim),
		.req = (uint32_t)bytes,
		.u.used = { .owner = owner, .site = site },
	};

	b.size = carve(h, c, at, u - HDR, need, &b.prev_size);
	b.slot = sofsim__heap_account_alloc(h, owner, bytes);
	chunk_put(u - HDR, &b);
	sofsim__vg_pool_alloc(h, (void *)u, bytes);
	sofsim__asan_unpoison((void *)u, bytes);
	memset((void *)u, 0, bytes);
	return (void *)u;
}

void *sofsim_heap_alloc_at(struct sofsim_heap *h, size_t bytes, size_t align, const char *owner,
			   const char *site)
{
	size_t need;

	/* Headers keep the requested size in 32 bits; no arena is that big. */
	if (!h || !bytes || bytes > h->hi - h->lo || bytes > UINT32_MAX || (align & (align - 1)) ||
	    align > SOFSIM_PAGE_BYTES)
		return NULL;
	if (align < ALIGN)
		align = ALIGN;
	if (injected_failure(h))
		return NULL;
	need = HDR + round_up(bytes, ALIGN) + SOFSIM__CHUNK_REDZONE;
	for (uintptr_t at = (uintptr_t)h->free_head; at;) {
		struct sofsim__chunk c = sofsim__chunk_peek(at);
		uintptr_t u = fit(&c, at, need, align);

		if (u)
			return take(h, &c, at, u, need, bytes, owner ? owner : "(none)", site ? site : "(unknown)");
		at = (uintptr_t)c.u.free.next;
	}
	return NULL;
}

/* ---- free ---- */

/* Put freed chunk @c back, merged with free neighbours; absorbed headers stop being starts. */
static void release(struct sofsim_heap *h, struct sofsim__chunk *c, uintptr_t at)
{
	uintptr_t end = at + c->size, list_prev = 0;
	bool placed = false;

	c->magic = SOFSIM__CHUNK_FREE;
	if (end < h->hi) {
		struct sofsim__chunk n = sofsim__chunk_peek(end);

		if (sofsim__chunk_is_free(&n)) {
			list_prev = (uintptr_t)n.u.free.prev; /* @c takes its place in the list */
			placed = true;
			list_unlink(h, &n);
			c->size += n.size;
			mark_start(h, end, false);
		}
	}
	if (c->prev_size) {
		uintptr_t pa = at - c->prev_size;
		struct sofsim__chunk p = sofsim__chunk_peek(pa);

		if (sofsim__chunk_is_free(&p)) {
			p.size += c->size;
			chunk_put(pa, &p);
			mark_start(h, at, false);
			set_prev_size(h, pa + p.size, p.size);
			return;
		}
	}
	if (!placed)
		list_prev = free_below(h, at);
	list_link_after(h, list_prev, c, at);
	chunk_put(at, c);
	set_prev_size(h, at + c->size, c->size);
}

int sofsim_heap_free(struct sofsim_heap *h, void *p)
{
	uintptr_t u = (uintptr_t)p, at = u - HDR;
	struct sofsim__chunk c;

	if (!p)
		return 0;
	if (!h || u < h->lo + HDR || u >= h->hi || (u - h->lo) % ALIGN || !is_start(h, at))
		return -EINVAL;
	c = sofsim__chunk_peek(at);
	if (c.magic == SOFSIM__CHUNK_FREE)
		return -EALREADY;
	if (c.magic == SOFSIM__CHUNK_SPARE)
		return -EINVAL;
	if (c.magic != SOFSIM__CHUNK_USED) {
		fprintf(sofsim__report_stream(h->sim), "%s: corrupt block header at %p (magic 0x%08x)\n", h->name,
			(void *)at, (unsigned)c.magic);
		return -EINVAL;
	}
	sofsim__heap_account_free(h, c.slot, c.req);
	sofsim__vg_pool_free(h, p);
	sofsim__asan_poison(p, c.size - HDR);
	release(h, &c, at);
	return 0;
}

/* ---- queries ---- */

bool sofsim_heap_contains(const struct sofsim_heap *h, const void *p)
{
	uintptr_t x = (uintptr_t)p;

	return h && x >= h->base && x - h->base < h->bytes;
}

void sofsim_heap_bounds(const struct sofsim_heap *h, uintptr_t *base, size_t *size)
{
	*base = h->base;
	*size = h->bytes;
}

const char *sofsim_heap_name(const struct sofsim_heap *h)
{
	return h->name;
}

void sofsim_heap_fail_nth(struct sofsim_heap *h, uint64_t n)
{
	h->fail_countdown = n;
}
