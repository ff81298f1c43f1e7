/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the heaps tell their owners: per-owner accounting (count, bytes,
 * high-water mark, allocs, frees) and the leak report at teardown, which
 * keeps blocks of threads ended by a fault (abandoned) apart from leaks.
 * Kept apart from heap.c so the allocator reads as one piece.
 */
#include <errno.h>
#include <string.h>

#include "kernel/heap_priv.h"

/* ---- accounting ---- */

static bool owner_is(const struct sofsim__heap_owner *row, const char *owner)
{
	return strncmp(row->name, owner, SOFSIM__HEAP_NAME_MAX - 1) == 0;
}

/* Row of @owner, added on first use; owners beyond the table share the fold row. */
static uint32_t owner_slot(struct sofsim_heap *h, const char *owner)
{
	size_t len;

	for (size_t i = 0; i < h->owners; i++)
		if (owner_is(&h->owner[i], owner))
			return (uint32_t)i;
	if (h->owners == SOFSIM__HEAP_OWNERS)
		return SOFSIM__HEAP_OWNERS;
	len = strnlen(owner, SOFSIM__HEAP_NAME_MAX - 1);
	memcpy(h->owner[h->owners].name, owner, len);
	h->owner[h->owners].name[len] = '\0';
	return (uint32_t)h->owners++;
}

static void count_alloc(struct sofsim_heap_owner_stats *st, size_t bytes)
{
	st->count++;
	st->allocs++;
	st->bytes += bytes;
	if (st->bytes > st->peak_bytes)
		st->peak_bytes = st->bytes;
}

static void count_free(struct sofsim_heap_owner_stats *st, size_t bytes)
{
	st->count--;
	st->frees++;
	st->bytes -= bytes;
}

uint32_t sofsim__heap_account_alloc(struct sofsim_heap *h, const char *owner, size_t bytes)
{
	uint32_t slot = owner_slot(h, owner);

	count_alloc(&h->owner[slot].st, bytes);
	count_alloc(&h->total, bytes);
	return slot;
}

void sofsim__heap_account_free(struct sofsim_heap *h, uint32_t slot, size_t bytes)
{
	count_free(&h->owner[slot].st, bytes);
	count_free(&h->total, bytes);
}

int sofsim_heap_owner_stats(const struct sofsim_heap *h, const char *owner, struct sofsim_heap_owner_stats *out)
{
	memset(out, 0, sizeof(*out));
	if (!owner)
		return -ENOENT;
	for (size_t i = 0; i < h->owners; i++) {
		if (owner_is(&h->owner[i], owner)) {
			*out = h->owner[i].st;
			return 0;
		}
	}
	if (strcmp(owner, SOFSIM__HEAP_OTHER) || !h->owner[SOFSIM__HEAP_OWNERS].st.allocs)
		return -ENOENT;
	*out = h->owner[SOFSIM__HEAP_OWNERS].st;
	return 0;
}

void sofsim_heap_stats(const struct sofsim_heap *h, struct sofsim_heap_owner_stats *out)
{
	*out = h->total;
}

/* ---- leak report ---- */

/* A live block as the report sees it. */
struct live {
	uintptr_t at;
	size_t size; /* of its chunk: the walk's step */
	const char *owner;
	const char *site;
	int tid;
	size_t req;
	const char *thread; /* faulted thread's name, or NULL: leaked */
};

/* The next live block at or above @at, or false when there is none. */
static bool next_live(const struct sofsim_heap *h, uintptr_t at, struct live *b)
{
	while (at < h->hi) {
		struct sofsim__chunk c = sofsim__chunk_peek(at);

		if (c.magic == SOFSIM__CHUNK_USED) {
			*b = (struct live){ .at = at, .size = c.size, .owner = c.u.used.owner, .site = c.u.used.site, .tid = c.tid,
					    .req = c.req };
			if (!sofsim__tid_faulted(h->sim, c.tid, &b->thread) || !b->thread)
				b->thread = NULL;
			return true;
		}
		if (!c.size) /* a smashed header: stop rather than loop */
			return false;
		at += c.size;
	}
	return false;
}

/* Same report line: same owner and site, and for abandoned blocks the same thread. */
static bool same_group(const struct live *a, const struct live *b)
{
	if (!a->thread != !b->thread || strcmp(a->owner, b->owner) || strcmp(a->site, b->site))
		return false;
	return !a->thread || a->tid == b->tid;
}

static bool seen_before(const struct sofsim_heap *h, const struct live *b)
{
	struct live o;

	for (uintptr_t at = h->lo; next_live(h, at, &o) && o.at < b->at; at = o.at + o.size)
		if (same_group(&o, b))
			return true;
	return false;
}

static void print_group(const struct sofsim_heap *h, const struct live *first, FILE *out)
{
	size_t count = 0, bytes = 0;
	struct live o;

	for (uintptr_t at = first->at; next_live(h, at, &o); at = o.at + o.size) {
		if (same_group(&o, first)) {
			count++;
			bytes += o.req;
		}
	}
	if (first->thread)
		fprintf(out, "%s: abandoned %zu block(s), %zu bytes, owner %s, at %s (thread %s faulted)\n", h->name,
			count, bytes, first->owner, first->site, first->thread);
	else
		fprintf(out, "%s: leaked %zu block(s), %zu bytes, owner %s, at %s\n", h->name, count, bytes,
			first->owner, first->site);
}

/* One pass per kind so leaks come first and abandoned blocks after them. */
static size_t report_kind(const struct sofsim_heap *h, FILE *out, bool abandoned)
{
	size_t blocks = 0;
	struct live b;

	for (uintptr_t at = h->lo; next_live(h, at, &b); at = b.at + b.size) {
		if (!b.thread != !abandoned)
			continue;
		blocks++;
		if (out && !seen_before(h, &b))
			print_group(h, &b, out);
	}
	return blocks;
}

size_t sofsim_heap_leak_report(const struct sofsim_heap *h, FILE *out)
{
	size_t leaked;

	if (!h->hi)
		return 0;
	leaked = report_kind(h, out, false);
	report_kind(h, out, true);
	return leaked;
}
