/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The heap allocator: accounting per owner, alignment, zeroing, exhaustion
 * and coalescing, the error codes of free, the leak report (leaked and
 * abandoned blocks), failure injection and the allocation-failure sweep.
 * Sizes below follow from the chunk layout in lib/kernel/heap_priv.h: a
 * 48-byte header in front of each block, the block rounded up to 16 bytes,
 * 16 bytes of redzone after it, and a bitmap of one bit per 16 bytes at the
 * start of the heap's pages.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "fail_sweep.h"
#include "sim_test.h"

#include "kernel/heap_priv.h"
#include "kernel/mem_priv.h"

_Static_assert(SOFSIM__CHUNK_HDR == 48, "the sizes below assume a 48-byte header");

/* Run @stmt (one statement holding one heap allocation) and keep the line it sits on. */
#define AT_LINE(line, stmt)       \
	do {                      \
		(line) = __LINE__; \
		stmt;             \
	} while (0)

static struct sofsim *new_sim(void)
{
	return test_sim_create(SOFSIM_THREADS_FIBER, NULL, 1);
}

static struct sofsim_heap *new_heap(struct sofsim *sim, const char *name, size_t bytes)
{
	struct sofsim_heap *h = NULL;

	assert_int_equal(sofsim_heap_create(sim, name, bytes, SOFSIM_HEAP_USER, &h), 0);
	assert_non_null(h);
	return h;
}

static void expect_owner(const struct sofsim_heap *h, const char *owner, size_t count, size_t bytes, size_t peak,
			 size_t allocs, size_t frees)
{
	struct sofsim_heap_owner_stats st;

	if (owner)
		assert_int_equal(sofsim_heap_owner_stats(h, owner, &st), 0);
	else
		sofsim_heap_stats(h, &st);
	assert_int_equal(st.count, count);
	assert_int_equal(st.bytes, bytes);
	assert_int_equal(st.peak_bytes, peak);
	assert_int_equal(st.allocs, allocs);
	assert_int_equal(st.frees, frees);
}

static void test_heap_accounts_each_owner_and_the_total(void **state)
{
	struct sofsim *sim = new_sim();
	struct sofsim_heap *h = new_heap(sim, "acct", 64 * 1024);
	struct sofsim_heap_owner_stats st;
	void *a1, *a2, *a3, *b1, *b2;

	(void)state;
	/*
	 * Script, with the live bytes after each step (A, B, total):
	 *   a1 = A 100   100   0  100
	 *   a2 = A  50   150   0  150
	 *   b1 = B 200   150 200  350
	 *   free a1       50 200  250
	 *   a3 = A  30    80 200  280
	 *   free b1       80   0   80
	 *   b2 = B  10    80  10   90
	 *   free a2       30  10   40
	 * A: 3 allocs, 2 frees, 1 live (a3, 30 bytes), peak 150.
	 * B: 2 allocs, 1 free, 1 live (b2, 10 bytes), peak 200.
	 * Total: 5 allocs, 3 frees, 2 live, 40 bytes, peak 350.
	 */
	a1 = sofsim_heap_alloc(h, 100, "mod_a");
	a2 = sofsim_heap_alloc(h, 50, "mod_a");
	b1 = sofsim_heap_alloc(h, 200, "mod_b");
	assert_int_equal(sofsim_heap_free(h, a1), 0);
	a3 = sofsim_heap_alloc(h, 30, "mod_a");
	assert_int_equal(sofsim_heap_free(h, b1), 0);
	b2 = sofsim_heap_alloc(h, 10, "mod_b");
	assert_int_equal(sofsim_heap_free(h, a2), 0);
	assert_non_null(a3);
	assert_non_null(b2);

	expect_owner(h, "mod_a", 1, 30, 150, 3, 2);
	expect_owner(h, "mod_b", 1, 10, 200, 2, 1);
	expect_owner(h, NULL, 2, 40, 350, 5, 3);
	st.count = 99;
	assert_int_equal(sofsim_heap_owner_stats(h, "mod_c", &st), -ENOENT);
	assert_int_equal(st.count, 0);

	assert_int_equal(sofsim_heap_free(h, a3), 0);
	assert_int_equal(sofsim_heap_free(h, b2), 0);
	expect_owner(h, NULL, 0, 0, 350, 5, 5);
	sofsim_heap_destroy(h);
	sofsim_destroy(sim);
}

static void test_heap_folds_owners_beyond_the_table(void **state)
{
	static const char *const names[] = {
		"o00", "o01", "o02", "o03", "o04", "o05", "o06", "o07", "o08", "o09", "o10", "o11",
		"o12", "o13", "o14", "o15", "o16", "o17", "o18", "o19", "o20", "o21", "o22", "o23",
		"o24", "o25", "o26", "o27", "o28", "o29", "o30", "o31", "o32", "o33",
	};
	struct sofsim *sim = new_sim();
	struct sofsim_heap *h = new_heap(sim, "fold", 64 * 1024);
	struct sofsim_heap_owner_stats st;
	void *p[34];

	(void)state;
	for (int i = 0; i < 34; i++)
		assert_non_null(p[i] = sofsim_heap_alloc(h, 8, names[i]));
	/* 32 owners have rows; o32 and o33 (8 bytes each) share the fold row. */
	expect_owner(h, "o31", 1, 8, 8, 1, 0);
	assert_int_equal(sofsim_heap_owner_stats(h, "o32", &st), -ENOENT);
	expect_owner(h, SOFSIM__HEAP_OTHER, 2, 16, 16, 2, 0);
	for (int i = 0; i < 34; i++)
		assert_int_equal(sofsim_heap_free(h, p[i]), 0);
	expect_owner(h, SOFSIM__HEAP_OTHER, 0, 0, 16, 2, 2);
	sofsim_heap_destroy(h);
	sofsim_destroy(sim);
}

static void test_heap_create_checks_its_arguments(void **state)
{
	struct sofsim *sim = new_sim();
	struct sofsim_heap *h = (struct sofsim_heap *)(uintptr_t)1, *kh = sofsim_kernel_heap(sim);
	size_t hs = sofsim__heap_struct_size(), peak;
	struct sofsim_heap_owner_stats was;
	uintptr_t base, abase;
	size_t size, asize;

	(void)state;
	assert_int_equal(sofsim_heap_create(sim, "x", 4096, 0, NULL), -EINVAL);
	assert_int_equal(sofsim_heap_create(sim, NULL, 4096, 0, &h), -EINVAL);
	assert_null(h);
	assert_int_equal(sofsim_heap_create(sim, "", 4096, 0, &h), -EINVAL);
	assert_int_equal(sofsim_heap_create(sim, "0123456789abcdef0123456789abcdef", 4096, 0, &h), -EINVAL);
	assert_int_equal(sofsim_heap_create(sim, "x", 0, 0, &h), -EINVAL);
	/*
	 * The default DSP arena is 16 MiB: 32 MiB of pages cannot be found. The
	 * control struct, already taken from the kernel heap for owner "heaps",
	 * goes back. (The context's own heaps, such as the LL user heap, are
	 * "heaps" blocks too: counts are relative to what was there before.)
	 */
	assert_int_equal(sofsim_heap_owner_stats(kh, "heaps", &was), 0);
	peak = was.bytes + hs > was.peak_bytes ? was.bytes + hs : was.peak_bytes; /* one struct more, briefly */
	assert_int_equal(sofsim_heap_create(sim, "x", 32u << 20, 0, &h), -ENOMEM);
	expect_owner(kh, "heaps", was.count, was.bytes, peak, was.allocs + 1, was.frees + 1);
	sofsim_heap_destroy(NULL);

	/* 5000 bytes round up to two pages of the DSP arena; 31 characters of name are fine. */
	h = new_heap(sim, "0123456789abcdef0123456789abcde", 5000);
	assert_string_equal(sofsim_heap_name(h), "0123456789abcdef0123456789abcde");
	sofsim_heap_bounds(h, &base, &size);
	sofsim_arena_bounds(sim, SOFSIM_ARENA_DSP, &abase, &asize);
	assert_int_equal(size, 8192);
	assert_int_equal(base % SOFSIM_PAGE_BYTES, 0);
	assert_true(base >= abase && base + size <= abase + asize);
	assert_true(sofsim_heap_contains(h, (void *)base));
	assert_true(sofsim_heap_contains(h, (void *)(base + size - 1)));
	assert_false(sofsim_heap_contains(h, (void *)(base + size)));
	assert_false(sofsim_heap_contains(h, (void *)(base - 1)));
	/* Its control struct is one more live "heaps" block of the kernel heap. */
	expect_owner(kh, "heaps", was.count + 1, was.bytes + hs, peak, was.allocs + 2, was.frees + 1);
	sofsim_heap_destroy(h);
	expect_owner(kh, "heaps", was.count, was.bytes, peak, was.allocs + 2, was.frees + 2);
	sofsim_destroy(sim);
}

static void test_heap_alloc_aligns_blocks(void **state)
{
	static const size_t aligns[] = { 0, 16, 64, 4096 };
	struct sofsim *sim = new_sim();
	struct sofsim_heap *h = new_heap(sim, "align", 64 * 1024);
	void *p[8];
	int n = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(aligns) / sizeof(aligns[0]); i++) {
		size_t want = aligns[i] ? aligns[i] : 16; /* 0 means 16 */

		/* A 1-byte block in between moves the next free address off any round value. */
		assert_non_null(p[n++] = sofsim_heap_alloc(h, 1, "pad"));
		p[n] = sofsim_heap_alloc_aligned(h, 100, aligns[i], "aligned");
		assert_non_null(p[n]);
		assert_int_equal((uintptr_t)p[n] % want, 0);
		memset(p[n++], 0x5a, 100);
	}
	assert_null(sofsim_heap_alloc_aligned(h, 16, 24, "bad"));   /* not a power of two */
	assert_null(sofsim_heap_alloc_aligned(h, 16, 8192, "bad")); /* beyond a page */
	assert_null(sofsim_heap_alloc(h, 0, "bad"));
	assert_null(sofsim_heap_alloc(NULL, 16, "bad"));
	for (int i = n - 1; i >= 0; i--)
		assert_int_equal(sofsim_heap_free(h, p[i]), 0);
	expect_owner(h, NULL, 0, 0, 4 * 1 + 4 * 100, 8, 8);
	sofsim_heap_destroy(h);
	sofsim_destroy(sim);
}

static void test_heap_alloc_zeroes_reused_memory(void **state)
{
	struct sofsim *sim = new_sim();
	struct sofsim_heap *h = new_heap(sim, "zero", 16 * 1024);
	unsigned char *p, *q;

	(void)state;
	p = sofsim_heap_alloc(h, 256, "z");
	assert_non_null(p);
	memset(p, 0xa5, 256);
	assert_int_equal(sofsim_heap_free(h, p), 0);
	/* First fit over an address-ordered free list: the lowest free chunk again. */
	q = sofsim_heap_alloc(h, 256, "z");
	assert_ptr_equal(q, p);
	for (int i = 0; i < 256; i++)
		assert_int_equal(q[i], 0);
	assert_int_equal(sofsim_heap_free(h, q), 0);
	sofsim_heap_destroy(h);
	sofsim_destroy(sim);
}

/* Deterministic Fisher-Yates shuffle (a 64-bit LCG). */
static void shuffle(void **v, size_t n, uint64_t seed)
{
	for (size_t i = n - 1; i > 0; i--) {
		size_t j;
		void *t;

		seed = seed * 6364136223846793005u + 1442695040888963407u;
		j = (size_t)(seed >> 33) % (i + 1);
		t = v[i];
		v[i] = v[j];
		v[j] = t;
	}
}

static void test_heap_recovers_from_exhaustion_by_coalescing(void **state)
{
	struct sofsim *sim = new_sim();
	struct sofsim_heap *h = new_heap(sim, "full", 16 * 1024);
	void *p[200];
	size_t n = 0;
	void *big;

	(void)state;
	/*
	 * 16384 bytes less a 128-byte bitmap (1024 granules of 16 bytes, one bit
	 * each) leave 16256 for chunks. A 64-byte block takes 48 + 64 + 16 = 128,
	 * so exactly 127 fit; the largest single block is 16256 - 48 - 16 = 16192.
	 */
	while (n < 200 && (p[n] = sofsim_heap_alloc(h, 64, "piece")))
		n++;
	assert_int_equal(n, 127);
	assert_null(sofsim_heap_alloc(h, 1, "piece"));
	/* One free makes room for one block of its size again. */
	assert_int_equal(sofsim_heap_free(h, p[60]), 0);
	assert_non_null(p[60] = sofsim_heap_alloc(h, 64, "piece"));

	shuffle(p, n, 7);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(sofsim_heap_free(h, p[i]), 0);
	assert_null(sofsim_heap_alloc(h, 16193, "big"));
	big = sofsim_heap_alloc(h, 16192, "big");
	assert_non_null(big);
	assert_int_equal(sofsim_heap_free(h, big), 0);
	sofsim_heap_destroy(h);
	sofsim_destroy(sim);
}

static void test_heap_free_rejects_foreign_pointers(void **state)
{
	struct sofsim *sim = new_sim();
	struct sofsim_heap *h = new_heap(sim, "mine", 16 * 1024);
	struct sofsim_heap *other = new_heap(sim, "other", 16 * 1024);
	char *p = sofsim_heap_alloc(h, 64, "m");
	char *q = sofsim_heap_alloc(other, 64, "m");
	uintptr_t base;
	size_t size;
	int local;

	(void)state;
	sofsim_heap_bounds(h, &base, &size);
	assert_int_equal(sofsim_heap_free(h, NULL), 0);
	assert_int_equal(sofsim_heap_free(h, &local), -EINVAL);
	assert_int_equal(sofsim_heap_free(h, q), -EINVAL);                   /* another heap's block */
	assert_int_equal(sofsim_heap_free(h, (void *)(base + size)), -EINVAL); /* just past the pages */
	assert_int_equal(sofsim_heap_free(h, (void *)base), -EINVAL);          /* the bitmap */
	assert_int_equal(sofsim_heap_free(h, p + 1), -EINVAL);
	assert_int_equal(sofsim_heap_free(h, p + 16), -EINVAL);
	/* p's chunk is 48 + 64 + 16 = 128 bytes: the never-used rest of the heap starts 80 bytes above p. */
	assert_int_equal(sofsim_heap_free(h, p + 80 + 48), -EINVAL); /* where its block would start */
	assert_int_equal(sofsim_heap_free(h, p + 512), -EINVAL);     /* inside it */
	assert_int_equal(sofsim_heap_free(h, p - 16), -EINVAL);            /* inside its header */
	expect_owner(h, "m", 1, 64, 64, 1, 0);

	assert_int_equal(sofsim_heap_free(h, p), 0);
	assert_int_equal(sofsim_heap_free(other, q), 0);
	sofsim_heap_destroy(other);
	sofsim_heap_destroy(h);
	sofsim_destroy(sim);
}

static void test_heap_free_reports_double_free(void **state)
{
	struct sofsim *sim = new_sim();
	struct sofsim_heap *h = new_heap(sim, "twice", 16 * 1024);
	void *a = sofsim_heap_alloc(h, 32, "d");
	void *b = sofsim_heap_alloc(h, 32, "d");
	void *c = sofsim_heap_alloc(h, 32, "d");

	(void)state;
	/* b's neighbours are in use: it stays a chunk of its own, marked free. */
	assert_int_equal(sofsim_heap_free(h, b), 0);
	assert_int_equal(sofsim_heap_free(h, b), -EALREADY);
	/* Freeing a merges b into it: b's header is gone, so b is no block at all now. */
	assert_int_equal(sofsim_heap_free(h, a), 0);
	assert_int_equal(sofsim_heap_free(h, b), -EINVAL);
	assert_int_equal(sofsim_heap_free(h, a), -EALREADY);
	expect_owner(h, "d", 1, 32, 96, 3, 2);

	/* None of that hurt the heap: with c gone the whole heap is one block again. */
	assert_int_equal(sofsim_heap_free(h, c), 0);
	a = sofsim_heap_alloc(h, 16192, "d");
	assert_non_null(a);
	assert_int_equal(sofsim_heap_free(h, a), 0);
	sofsim_heap_destroy(h);
	sofsim_destroy(sim);
}

/* Everything written to @f since it was opened, with open_memstream. */
static char *take_text(FILE *f, char **buf)
{
	assert_int_equal(fclose(f), 0);
	return *buf;
}

static char *site(char *out, size_t len, int line)
{
	snprintf(out, len, "%s:%d", __FILE__, line);
	return out;
}

static void test_heap_leak_report_groups_by_owner_and_site(void **state)
{
	struct sofsim *sim = new_sim();
	struct sofsim_heap *h = new_heap(sim, "leaky", 64 * 1024);
	char s1[512], s2[512], s3[512], want[2048], *buf = NULL;
	void *f, *x[2], *b, *c;
	int l1, l2, l3;
	size_t len;
	FILE *out;

	(void)state;
	f = sofsim_heap_alloc(h, 100, "mod_c");
	AT_LINE(l1, for (int i = 0; i < 2; i++) x[i] = sofsim_heap_alloc(h, 10, "mod_a"));
	AT_LINE(l2, b = sofsim_heap_alloc(h, 7, "mod_b"));
	assert_int_equal(sofsim_heap_free(h, f), 0);
	/* f's chunk (48 + 112 + 16 = 176 bytes) at the bottom takes this block (96): it comes first. */
	AT_LINE(l3, c = sofsim_heap_alloc(h, 20, "mod_a"));
	assert_ptr_equal(c, f);
	assert_non_null(x[0]);
	assert_non_null(x[1]);
	assert_non_null(b);

	snprintf(want, sizeof(want),
		 "leaky: leaked 1 block(s), 20 bytes, owner mod_a, at %s\n"
		 "leaky: leaked 2 block(s), 20 bytes, owner mod_a, at %s\n"
		 "leaky: leaked 1 block(s), 7 bytes, owner mod_b, at %s\n",
		 site(s3, sizeof(s3), l3), site(s1, sizeof(s1), l1), site(s2, sizeof(s2), l2));
	out = open_memstream(&buf, &len);
	assert_int_equal(sofsim_heap_leak_report(h, out), 4);
	assert_string_equal(take_text(out, &buf), want);
	free(buf);
	assert_int_equal(sofsim_heap_leak_report(h, NULL), 4);

	/* Destroy prints the same report to the context's report stream. */
	buf = NULL;
	out = open_memstream(&buf, &len);
	sofsim__set_report_stream(sim, out);
	sofsim_heap_destroy(h);
	sofsim__set_report_stream(sim, NULL);
	assert_string_equal(take_text(out, &buf), want);
	free(buf);
	sofsim_destroy(sim);
}

struct worker {
	struct sofsim_heap *h;
	void *p[2];
	int line;
};

static void allocate_twice(void *arg)
{
	struct worker *w = arg;

	AT_LINE(w->line, for (int i = 0; i < 2; i++) w->p[i] = sofsim_heap_alloc(w->h, 12, "mod_w"));
}

static void test_heap_leak_report_tells_abandoned_from_leaked(void **state)
{
	struct sofsim *sim = new_sim();
	struct sofsim_thread_attr attr = { .name = "worker", .prio = 0, .core = 0 };
	struct worker w = { .h = new_heap(sim, "ab", 16 * 1024) };
	char s1[512], s2[512], want[2048], *buf = NULL;
	struct sofsim_thread *t;
	size_t len;
	void *host;
	int lh;
	FILE *out;

	(void)state;
	AT_LINE(lh, host = sofsim_heap_alloc(w.h, 16, "host_obj"));
	assert_int_equal(sofsim_thread_create(sim, &attr, allocate_twice, &w, &t), 0);
	assert_int_equal(sofsim_thread_join(t, SOFSIM_FOREVER), 0);
	assert_non_null(w.p[0]);
	assert_non_null(w.p[1]);
	/* A thread that ended normally leaves leaks like anyone else. */
	assert_int_equal(sofsim_heap_leak_report(w.h, NULL), 3);

	sofsim__thread_mark_faulted(t);
	snprintf(want, sizeof(want),
		 "ab: leaked 1 block(s), 16 bytes, owner host_obj, at %s\n"
		 "ab: abandoned 2 block(s), 24 bytes, owner mod_w, at %s (thread worker faulted)\n",
		 site(s1, sizeof(s1), lh), site(s2, sizeof(s2), w.line));
	out = open_memstream(&buf, &len);
	assert_int_equal(sofsim_heap_leak_report(w.h, out), 1);
	assert_string_equal(take_text(out, &buf), want);
	free(buf);

	assert_int_equal(sofsim_heap_free(w.h, host), 0);
	assert_int_equal(sofsim_heap_free(w.h, w.p[0]), 0);
	assert_int_equal(sofsim_heap_free(w.h, w.p[1]), 0);
	assert_int_equal(sofsim_heap_leak_report(w.h, NULL), 0);
	sofsim_heap_destroy(w.h);
	sofsim_destroy(sim);
}

/* Allocate @n 16-byte blocks of owner "inj" and say which failed, as a string of '+' and '-'. */
static const char *attempts(struct sofsim_heap *h, int n, char *out, void **keep)
{
	for (int i = 0; i < n; i++) {
		keep[i] = sofsim_heap_alloc(h, 16, "inj");
		out[i] = keep[i] ? '+' : '-';
	}
	out[n] = '\0';
	return out;
}

static void free_all(struct sofsim_heap *h, void **p, int n)
{
	for (int i = 0; i < n; i++)
		assert_int_equal(sofsim_heap_free(h, p[i]), 0); /* NULL is fine */
}

static void test_heap_fail_nth_fails_that_allocation_only(void **state)
{
	struct sofsim *sim = new_sim();
	struct sofsim_heap *h = new_heap(sim, "inject", 16 * 1024);
	char s[8];
	void *p[5];

	(void)state;
	sofsim_heap_fail_nth(h, 1);
	assert_string_equal(attempts(h, 3, s, p), "-++");
	free_all(h, p, 3);
	sofsim_heap_fail_nth(h, 3);
	assert_string_equal(attempts(h, 5, s, p), "++-++");
	free_all(h, p, 5);
	sofsim_heap_fail_nth(h, 3);
	sofsim_heap_fail_nth(h, 0);
	assert_string_equal(attempts(h, 5, s, p), "+++++");
	free_all(h, p, 5);
	/* Refused arguments are no attempt: the armed failure hits the next real one. */
	sofsim_heap_fail_nth(h, 1);
	assert_null(sofsim_heap_alloc(h, 0, "inj"));
	assert_string_equal(attempts(h, 2, s, p), "-+");
	free_all(h, p, 2);
	/* Failed allocations count nowhere: 2 + 4 + 5 + 1 successes. */
	expect_owner(h, "inj", 0, 0, 5 * 16, 12, 12);
	sofsim_heap_destroy(h);
	sofsim_destroy(sim);
}

static void test_mem_fail_nth_counts_allocations_of_every_heap(void **state)
{
	struct sofsim *sim = new_sim();
	struct sofsim_heap *a = new_heap(sim, "a", 16 * 1024);
	struct sofsim_heap *b = new_heap(sim, "b", 16 * 1024);
	void *p[4];

	(void)state;
	sofsim_mem_fail_nth(sim, 1);
	assert_null(p[0] = sofsim_heap_alloc(b, 16, "g"));
	assert_non_null(p[1] = sofsim_heap_alloc(b, 16, "g"));
	free_all(b, p, 2);

	/* The third attempt fails, whichever heap it is in. */
	sofsim_mem_fail_nth(sim, 3);
	assert_non_null(p[0] = sofsim_heap_alloc(a, 16, "g"));
	assert_non_null(p[1] = sofsim_heap_alloc(b, 16, "g"));
	assert_null(p[2] = sofsim_heap_alloc(a, 16, "g"));
	assert_non_null(p[3] = sofsim_heap_alloc(b, 16, "g"));
	free_all(a, (void *[]){ p[0], p[2] }, 2);
	free_all(b, (void *[]){ p[1], p[3] }, 2);

	sofsim_mem_fail_nth(sim, 2);
	sofsim_mem_fail_nth(sim, 0);
	for (int i = 0; i < 4; i++)
		assert_non_null(p[i] = sofsim_heap_alloc(i % 2 ? a : b, 16, "g"));
	free_all(b, (void *[]){ p[0], p[2] }, 2);
	free_all(a, (void *[]){ p[1], p[3] }, 2);
	sofsim_heap_destroy(b);
	sofsim_heap_destroy(a);
	sofsim_destroy(sim);
}

/* A small flow for the sweep: a heap with three blocks, and one block in the LL user heap. */
struct flow {
	struct sofsim_heap *keep;
	struct sofsim_heap *h;
	void *blk[3];
	void *kept;
};

static void flow_undo(struct sofsim *sim, void *arg)
{
	struct flow *f = arg;

	(void)sim;
	sofsim_heap_free(f->keep, f->kept);
	for (int i = 0; i < 3; i++)
		sofsim_heap_free(f->h, f->blk[i]);
	sofsim_heap_destroy(f->h);
	memset(f->blk, 0, sizeof(f->blk));
	f->h = NULL;
	f->kept = NULL;
}

static int flow_step(struct sofsim *sim, void *arg)
{
	struct flow *f = arg;
	int ret = sofsim_heap_create(sim, "swept", 8192, 0, &f->h);

	if (ret)
		return ret;
	for (int i = 0; i < 3; i++) {
		f->blk[i] = sofsim_heap_alloc(f->h, 100 * (i + 1), "flow");
		if (!f->blk[i])
			goto err_alloc;
	}
	f->kept = sofsim_heap_alloc(f->keep, 40, "flow");
	if (!f->kept)
		goto err_alloc;
	return 0;

err_alloc:
	flow_undo(sim, f);
	return -ENOMEM;
}

static void test_fail_sweep_covers_every_allocation_of_a_flow(void **state)
{
	struct sofsim *sim = new_sim();
	struct flow f = { .keep = sofsim_ll_user_heap(sim) };

	(void)state;
	/* The flow allocates the control struct (kernel heap), three blocks, and one in the LL user heap: 5. */
	assert_int_equal(fail_sweep(sim, flow_step, flow_undo, &f, 20), 5);
	assert_null(f.h);
	sofsim_destroy(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_heap_accounts_each_owner_and_the_total),
		cmocka_unit_test(test_heap_folds_owners_beyond_the_table),
		cmocka_unit_test(test_heap_create_checks_its_arguments),
		cmocka_unit_test(test_heap_alloc_aligns_blocks),
		cmocka_unit_test(test_heap_alloc_zeroes_reused_memory),
		cmocka_unit_test(test_heap_recovers_from_exhaustion_by_coalescing),
		cmocka_unit_test(test_heap_free_rejects_foreign_pointers),
		cmocka_unit_test(test_heap_free_reports_double_free),
		cmocka_unit_test(test_heap_leak_report_groups_by_owner_and_site),
		cmocka_unit_test(test_heap_leak_report_tells_abandoned_from_leaked),
		cmocka_unit_test(test_heap_fail_nth_fails_that_allocation_only),
		cmocka_unit_test(test_mem_fail_nth_counts_allocations_of_every_heap),
		cmocka_unit_test(test_fail_sweep_covers_every_allocation_of_a_flow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
