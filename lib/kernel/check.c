/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The enforce checker. Instrumented code calls it on every load and store;
 * the common cases return after a thread-local load and one test (kernel
 * mode, host) or a range compare (the thread's own stack). Everything else
 * is looked up in the thread's view: a per-domain map of the DSP arena's
 * pages (rebuilt when the domain changes, as an MMU is reprogrammed at the
 * next view switch), then the read-only data of loaded objects and the
 * domain's partitions outside the arena (the user-data section).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sofsim/check.h"

#include "kernel/domain_priv.h"
#include "kernel/syscall_priv.h"

#define VIEW_R SOFSIM__VIEW_R
#define VIEW_W SOFSIM__VIEW_W

static _Thread_local uint64_t checks;

struct sofsim__view {
	struct sofsim_list node; /* sim->views */
	const struct sofsim_domain *domain;
	uint64_t generation;
	uint8_t bits[]; /* one byte per arena page: VIEW_R | VIEW_W */
};

bool sofsim_checked(const struct sofsim *sim)
{
	return sim->cfg.protection == SOFSIM_PROT_ENFORCE_CHECK;
}

uint64_t sofsim_check_count(void)
{
	return checks;
}


static void view_build(const struct sofsim *sim, struct sofsim__view *v)
{
	const struct sofsim__arena *a = &sim->arena;
	size_t n = sofsim_domain_partition_count(v->domain);

	memset(v->bits, 0, a->pages);
	for (size_t i = 0; i < n; i++) {
		const struct sofsim_partition *p = sofsim__domain_partition_at(v->domain, i);
		uint8_t attr = (uint8_t)(((p->attr & SOFSIM_PART_R) ? VIEW_R : 0) | ((p->attr & SOFSIM_PART_W) ? VIEW_W : 0));
		uintptr_t lo = p->start > a->base ? p->start : a->base;
		uintptr_t hi = p->start + p->size < a->base + a->size ? p->start + p->size : a->base + a->size;

		for (uintptr_t x = lo; x < hi; x += SOFSIM_PAGE_BYTES)
			v->bits[(x - a->base) / SOFSIM_PAGE_BYTES] |= attr;
	}
	v->generation = sofsim__domain_generation(v->domain);
}

/* The view of @t's domain, current as of now (NULL when out of memory). */
static const struct sofsim__view *view_of(struct sofsim_thread *t)
{
	struct sofsim *sim = t->sim;
	struct sofsim__view *v = t->chk_view;
	struct sofsim_list *pos;

	if (v && v->domain == t->domain) {
		if (v->generation != sofsim__domain_generation(v->domain))
			view_build(sim, v);
		return v;
	}
	sofsim_list_for_each(pos, &sim->views) {
		v = SOFSIM_CONTAINER_OF(pos, struct sofsim__view, node);
		if (v->domain == t->domain)
			goto found;
	}
	v = sofsim__kzalloc(sim, sizeof(*v) + sim->arena.pages);
	if (!v)
		return NULL;
	v->domain = t->domain;
	sofsim_list_append(&sim->views, &v->node);
	view_build(sim, v);
found:
	if (v->generation != sofsim__domain_generation(v->domain))
		view_build(sim, v);
	t->chk_view = v;
	return v;
}

/*
 * A view switch (a mode, syscall or ISR change, or the thread getting the
 * token back): recompute whether the checker applies to @t and take the
 * current view of its domain for the fast path. Partition changes made
 * meanwhile take effect here, as an MMU is reprogrammed at the next switch.
 */
void sofsim__chk_update(struct sofsim_thread *t)
{
	const struct sofsim__view *v;

	if (!t->user || t->sim->isr_depth || t->sim->cfg.protection != SOFSIM_PROT_ENFORCE_CHECK)
		t->chk_on = SOFSIM__CHK_OFF;
	else
		t->chk_on = t->in_syscall ? SOFSIM__CHK_TRACE : SOFSIM__CHK_USER;
	if (!t->chk_on)
		return;
	/* Byte-exact mode always takes the slow path. */
	v = t->domain && !t->sim->verify_byte_exact ? view_of(t) : NULL;
	t->chk_bits = v ? v->bits : NULL;
	t->chk_base = t->sim->arena.base;
	t->chk_size = t->sim->arena.size;
}

/* enforce=mmu builds its page protection from the same view. */
const uint8_t *sofsim__chk_view_bits(struct sofsim_thread *t)
{
	const struct sofsim__view *v = t->domain ? view_of(t) : NULL;

	return v ? v->bits : NULL;
}

/* A domain is going away: drop its view. */
void sofsim__chk_forget_domain(struct sofsim *sim, const struct sofsim_domain *d)
{
	struct sofsim_list *pos, *tmp;

	sofsim_list_for_each_safe(pos, tmp, &sim->views) {
		struct sofsim__view *v = SOFSIM_CONTAINER_OF(pos, struct sofsim__view, node);

		if (v->domain != d)
			continue;
		for (struct sofsim_list *tp = sim->threads.next; tp != &sim->threads; tp = tp->next) {
			struct sofsim_thread *t = SOFSIM_CONTAINER_OF(tp, struct sofsim_thread, all_node);

			if (t->chk_view == v) {
				t->chk_view = NULL;
				t->chk_bits = NULL;
			}
		}
		sofsim_list_remove(&v->node);
		sofsim__kfree(sim, v);
		sofsim__mmu_forget(sim);
	}
}

void sofsim__chk_views_free(struct sofsim *sim)
{
	struct sofsim_list *pos, *tmp;

	sofsim_list_for_each_safe(pos, tmp, &sim->views) {
		sofsim_list_remove(pos);
		sofsim__kfree(sim, SOFSIM_CONTAINER_OF(pos, struct sofsim__view, node));
	}
}

__attribute__((noreturn)) static void deny(struct sofsim_thread *t, uintptr_t a, size_t n, bool w, unsigned cause,
					   const char *where)
{
	/* The fault handling itself runs in kernel mode. */
	t->chk_on = SOFSIM__CHK_OFF;
	sofsim__fault(t->sim, SOFSIM_FAULT_ACCESS, SOFSIM_REASON_CPU_EXCEPTION, cause, a, w ? "store" : "load",
		      "%zu-byte %s at %#lx: %s", n, w ? "store" : "load", (unsigned long)a, where);
}

/* A user heap whose byte-exact bounds apply to @a, or NULL. */
static const struct sofsim_heap *user_heap_of(const struct sofsim *sim, uintptr_t a)
{
	const struct sofsim_heap *ll = sim->ll_user_heap;

	return ll && sofsim_heap_contains(ll, (const void *)a) ? ll : NULL;
}

static void check_arena(struct sofsim_thread *t, uintptr_t a, size_t n, bool w)
{
	const struct sofsim *sim = t->sim;
	const struct sofsim__view *v = t->domain ? view_of(t) : NULL;
	size_t first = (a - sim->arena.base) / SOFSIM_PAGE_BYTES;
	size_t last = (a + n - 1 - sim->arena.base) / SOFSIM_PAGE_BYTES;
	const struct sofsim_heap *h;

	for (size_t p = first; p <= last; p++) {
		uint8_t bits = v ? v->bits[p] : 0;

		if (!bits)
			deny(t, a, n, w, SOFSIM_EXCCAUSE_LOAD_STORE_RING, "kernel page (not in the thread's view)");
		if (!(bits & (w ? VIEW_W : VIEW_R)))
			deny(t, a, n, w, w ? SOFSIM_EXCCAUSE_STORE_PROHIBITED : SOFSIM_EXCCAUSE_LOAD_PROHIBITED,
			     w ? "page not writable" : "page not readable");
	}
	if (sim->verify_byte_exact && (h = user_heap_of(sim, a)) && !sofsim__heap_span_in_block(h, a, n))
		deny(t, a, n, w, w ? SOFSIM_EXCCAUSE_STORE_PROHIBITED : SOFSIM_EXCCAUSE_LOAD_PROHIBITED,
		     "outside any live heap block (byte-exact mode)");
}

static bool in_outside_partition(const struct sofsim_thread *t, uintptr_t a, size_t n, bool w)
{
	size_t count = t->domain ? sofsim_domain_partition_count(t->domain) : 0;

	for (size_t i = 0; i < count; i++) {
		const struct sofsim_partition *p = sofsim__domain_partition_at(t->domain, i);

		if (a >= p->start && n <= p->size && a - p->start <= p->size - n &&
		    (p->attr & (w ? SOFSIM_PART_W : SOFSIM_PART_R)))
			return true;
	}
	return false;
}

static void check_slow(struct sofsim_thread *t, uintptr_t a, size_t n, bool w)
{
	const struct sofsim *sim = t->sim;

	if (n == 0)
		return;
	if (a + n < a)
		deny(t, a, n, w, w ? SOFSIM_EXCCAUSE_STORE_PROHIBITED : SOFSIM_EXCCAUSE_LOAD_PROHIBITED,
		     "range wraps around");
	if (a >= sim->arena.base && n <= sim->arena.size && a - sim->arena.base <= sim->arena.size - n) {
		check_arena(t, a, n, w);
		return;
	}
	if ((!w && sofsim__in_rodata(sim, a, n)) || in_outside_partition(t, a, n, w))
		return;
	deny(t, a, n, w, w ? SOFSIM_EXCCAUSE_STORE_PROHIBITED : SOFSIM_EXCCAUSE_LOAD_PROHIBITED,
	     sofsim__arena_contains(&sim->host_arena, (const void *)a, n) ? "host arena" : "not mapped for user mode");
}

/*
 * The fast path: kernel mode and the host return at once; the thread's own
 * stack, and a page of its view with the right attribute, after a compare
 * and one byte load. Everything else (page-crossing, byte-exact mode,
 * outside the arena, a denial) takes the slow path.
 */
/*
 * Bug class 14: kernel code (here, instrumented code running with kernel
 * rights inside a user thread's syscall) reading memory the user can write,
 * outside the copy-in helpers, may be reading a value the user changes under
 * it. Flagged, not faulted: the kernel may read anything.
 */
__attribute__((noinline)) static void kernel_trace(struct sofsim_thread *t, uintptr_t a, size_t n, bool w)
{
	struct sofsim *sim = t->sim;
	uintptr_t off = a - sim->arena.base;
	bool user_writable;

	if (w || !n)
		return;
	if (off < sim->arena.size)
		user_writable = t->chk_bits && (t->chk_bits[off / SOFSIM_PAGE_BYTES] & VIEW_W);
	else
		user_writable = in_outside_partition(t, a, n, true);
	if (!user_writable)
		return;
	if (sim->stats.kernel_user_reads++ < 8)
		fprintf(sofsim__report_stream(sim),
			"sofsim: %s: kernel-mode read of user-writable memory %#lx (%zu bytes) outside the copy-in "
			"helpers (thread %s)\n", sofsim_syscall_name(t->syscall_id), (unsigned long)a, n, t->name);
	sofsim__evlog_add(sim, SOFSIM_EV_FLAG, 14, (uint32_t)a);
}

static inline void check(uintptr_t a, size_t n, bool w)
{
	struct sofsim_thread *t = sofsim__tls_self;
	uintptr_t off;

	if (__builtin_expect(!t || t->chk_on != SOFSIM__CHK_USER, 1)) {
		if (t && t->chk_on == SOFSIM__CHK_TRACE)
			kernel_trace(t, a, n, w);
		return;
	}
	checks++;
	off = a - (uintptr_t)t->stack_lo;
	if (off < t->stack_bytes && n <= t->stack_bytes - off)
		return;
	off = a - t->chk_base;
	if (t->chk_bits && off < t->chk_size && n - 1 <= (SOFSIM_PAGE_BYTES - 1) - (off % SOFSIM_PAGE_BYTES) &&
	    (t->chk_bits[off / SOFSIM_PAGE_BYTES] & (w ? VIEW_W : VIEW_R)))
		return;
	check_slow(t, a, n, w);
}

#define SOFSIM_CHK_DEF(n)                             \
	void sofsim__chk_load##n(uintptr_t addr)      \
	{                                             \
		check(addr, n, false);                \
	}                                             \
	void sofsim__chk_store##n(uintptr_t addr)     \
	{                                             \
		check(addr, n, true);                 \
	}
SOFSIM_CHK_SIZES(SOFSIM_CHK_DEF)
#undef SOFSIM_CHK_DEF

void sofsim__chk_loadN(uintptr_t addr, size_t size)
{
	check(addr, size, false);
}

void sofsim__chk_storeN(uintptr_t addr, size_t size)
{
	check(addr, size, true);
}

void *sofsim__chk_memcpy(void *dst, const void *src, size_t n)
{
	check((uintptr_t)src, n, false);
	check((uintptr_t)dst, n, true);
	return memcpy(dst, src, n);
}

void *sofsim__chk_memmove(void *dst, const void *src, size_t n)
{
	check((uintptr_t)src, n, false);
	check((uintptr_t)dst, n, true);
	return memmove(dst, src, n);
}

void *sofsim__chk_memset(void *dst, int c, size_t n)
{
	check((uintptr_t)dst, n, true);
	return memset(dst, c, n);
}

int sofsim__chk_memcmp(const void *a, const void *b, size_t n)
{
	check((uintptr_t)a, n, false);
	check((uintptr_t)b, n, false);
	return memcmp(a, b, n);
}

/* Bytes of a string, terminator included, read one checked byte at a time. */
static size_t checked_len(const char *s, size_t max)
{
	size_t i = 0;

	for (; i < max; i++) {
		check((uintptr_t)s + i, 1, false);
		if (!s[i])
			return i + 1;
	}
	return max;
}

size_t sofsim__chk_strlen(const char *s)
{
	return checked_len(s, SIZE_MAX) - 1;
}

char *sofsim__chk_strcpy(char *dst, const char *src)
{
	size_t n = checked_len(src, SIZE_MAX);

	check((uintptr_t)dst, n, true);
	return memcpy(dst, src, n);
}

char *sofsim__chk_strncpy(char *dst, const char *src, size_t n)
{
	checked_len(src, n);
	check((uintptr_t)dst, n, true);
	return strncpy(dst, src, n);
}

char *sofsim__chk_strcat(char *dst, const char *src)
{
	size_t d = checked_len(dst, SIZE_MAX) - 1;
	size_t n = checked_len(src, SIZE_MAX);

	check((uintptr_t)dst + d, n, true);
	memcpy(dst + d, src, n);
	return dst;
}

int sofsim__chk_strcmp(const char *a, const char *b)
{
	checked_len(a, SIZE_MAX);
	checked_len(b, SIZE_MAX);
	return strcmp(a, b);
}

int sofsim__chk_strncmp(const char *a, const char *b, size_t n)
{
	checked_len(a, n);
	checked_len(b, n);
	return strncmp(a, b, n);
}

/* ---- the user-data section ---- */

extern char __start_sofsim_user_data[] __attribute__((weak));
extern char __stop_sofsim_user_data[] __attribute__((weak));

int sofsim_user_data_partition(struct sofsim_partition *out)
{
	uintptr_t lo = (uintptr_t)__start_sofsim_user_data, hi = (uintptr_t)__stop_sofsim_user_data;

	if (!lo || hi <= lo)
		return -ENOENT;
	lo &= ~(uintptr_t)(SOFSIM_PAGE_BYTES - 1);
	hi = (hi + SOFSIM_PAGE_BYTES - 1) & ~(uintptr_t)(SOFSIM_PAGE_BYTES - 1);
	*out = (struct sofsim_partition){ .start = lo, .size = hi - lo, .attr = SOFSIM_PART_RW, .name = "sofsim_user_data" };
	return 0;
}
