/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Which block of a heap an address falls in: the byte-exact mode of the
 * enforce checker asks this to tell "inside a live block" from "inside a
 * heap page", which is all the MMU can tell.
 */
#include "kernel/heap_priv.h"
#include "kernel/kernel_priv.h"

/* The chunk header at or below @at, found through the chunk-start bitmap. */
static uintptr_t chunk_at_or_below(const struct sofsim_heap *h, uintptr_t at)
{
	size_t i = (at - h->lo) / SOFSIM__CHUNK_ALIGN;

	for (;;) {
		uint64_t *w = &h->starts[i / 64];
		uint64_t word, mask = (i % 64 == 63) ? ~UINT64_C(0) : (UINT64_C(1) << (i % 64 + 1)) - 1;

		sofsim__meta_open(w, sizeof(*w));
		word = *w & mask;
		sofsim__meta_close(w, sizeof(*w));
		if (word)
			return h->lo + ((i / 64) * 64 + (63 - (size_t)__builtin_clzll(word))) * SOFSIM__CHUNK_ALIGN;
		if (i < 64)
			return 0;
		i = (i / 64) * 64 - 1;
	}
}

bool sofsim__heap_span_in_block(const struct sofsim_heap *h, uintptr_t addr, size_t size)
{
	struct sofsim__chunk c;
	uintptr_t at, user;

	if (addr < h->lo || addr >= h->hi)
		return false;
	at = chunk_at_or_below(h, addr);
	if (!at)
		return false;
	c = sofsim__chunk_peek(at);
	user = at + SOFSIM__CHUNK_HDR;
	return c.magic == SOFSIM__CHUNK_USED && addr >= user && size <= c.req && addr - user <= c.req - size;
}

/*
 * After a reset rewrote @h's pages, tell the tools again: a fresh pool, the
 * whole chunk area closed, then every live block (found by walking the
 * headers) open and defined, as its bytes are real.
 */
void sofsim__heap_tools_resync(struct sofsim_heap *h)
{
	uintptr_t at = h->lo;

	if (sofsim__vg_pool_exists(h))
		sofsim__vg_pool_destroy(h);
	sofsim__vg_pool_create(h, SOFSIM__CHUNK_REDZONE);
	sofsim__meta_close((const void *)h->meta, h->base + h->bytes - h->meta);
	while (at < h->hi) {
		struct sofsim__chunk c = sofsim__chunk_peek(at);

		if (c.magic == SOFSIM__CHUNK_USED) {
			const void *u = (const void *)(at + SOFSIM__CHUNK_HDR);

			sofsim__vg_pool_alloc(h, u, c.req);
			sofsim__tools_open(u, c.req);
		}
		if (!c.size)
			break;
		at += c.size;
	}
}
