/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Memory partitions and domains: every rule of Zephyr's mem_domain.c and of
 * the ACE 3.x MMU that SOF's user-space series ran into (userspace sheet
 * §1.2, §1.7; bug classes 17, 23, 24) is tested both ways, with the exact
 * errno. Expected values are worked out by hand from the rule cited next to
 * each case, never read back from the code under test.
 *
 * Partitions are only address ranges to the model, so most cases use
 * addresses that are not mapped at all.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "sim_test.h"

#include "sofsim/mem.h"
#include "sofsim/platform.h"

#include "kernel/domain_priv.h"
#include "kernel/kernel_priv.h"

#define KiB 1024u
#define MiB (1024u * 1024u)
#define PAGE 4096u
#define SPAN (4u * MiB) /* one Xtensa MMU L2 table maps 4 MiB (US §1.7) */
#define BASE ((uintptr_t)0x40000000u) /* 4 MiB aligned: span 256 */

static struct sofsim_partition part(uintptr_t start, size_t size, uint32_t attr, const char *name)
{
	struct sofsim_partition p = { .start = start, .size = size, .attr = attr, .name = name };

	return p;
}

static int add(struct sofsim_domain *d, uintptr_t start, size_t size, uint32_t attr)
{
	struct sofsim_partition p = part(start, size, attr, "p");

	return sofsim_domain_add_partition(d, &p);
}

static int del(struct sofsim_domain *d, uintptr_t start, size_t size)
{
	struct sofsim_partition p = part(start, size, SOFSIM_PART_RW, "p");

	return sofsim_domain_remove_partition(d, &p);
}

/* Destroy a context whose tests leave partitions behind on purpose, keeping stderr clean. */
static void destroy_quietly(struct sofsim *sim)
{
	FILE *quiet = fopen("/dev/null", "w");

	assert_non_null(quiet);
	sofsim__set_report_stream(sim, quiet);
	sofsim_destroy(sim);
	fclose(quiet);
}

/* Every test gets a context with two empty domains and a semaphore its threads can wait on. */
struct scene {
	enum sofsim_threads carrier;
	struct sofsim *sim;
	struct sofsim_domain *a, *b;
	struct sofsim_sem *sem;
	struct sofsim_thread *other;   /* a thread some entry acts on */
	struct sofsim_thread *child;   /* created by an entry */
	struct sofsim_thread *child2;
	int ret[4];
	unsigned core_seen;
};

static int scene_open(void **state, enum sofsim_threads carrier, const char *platform)
{
	struct scene *s = calloc(1, sizeof(*s));

	assert_non_null(s);
	s->carrier = carrier;
	s->sim = test_sim_create(carrier, platform, 1);
	assert_int_equal(sofsim_domain_create(s->sim, "a", &s->a), 0);
	assert_int_equal(sofsim_domain_create(s->sim, "b", &s->b), 0);
	assert_int_equal(sofsim_sem_create(s->sim, 0, 1, &s->sem), 0);
	*state = s;
	return 0;
}

/* Thread tests run once per carrier, which comes in as the initial state. */
static int scene_setup(void **state)
{
	return scene_open(state, carrier_of(state), "ptl");
}

static int setup_ptl(void **state)
{
	return scene_open(state, SOFSIM_THREADS_FIBER, "ptl");
}

static int setup_mtl(void **state)
{
	return scene_open(state, SOFSIM_THREADS_FIBER, "mtl");
}

static int scene_teardown(void **state)
{
	struct scene *s = *state;

	destroy_quietly(s->sim);
	free(s);
	return 0;
}

#define SCENE_TESTS(fn)                                                                                  \
	{ #fn "/fiber", fn, scene_setup, scene_teardown, (void *)(uintptr_t)SOFSIM_THREADS_FIBER },     \
	{ #fn "/pthread", fn, scene_setup, scene_teardown, (void *)(uintptr_t)SOFSIM_THREADS_PTHREAD }
#define PTL_TEST(fn) cmocka_unit_test_setup_teardown(fn, setup_ptl, scene_teardown)
#define MTL_TEST(fn) cmocka_unit_test_setup_teardown(fn, setup_mtl, scene_teardown)

/* ---- add_partition: the checks of Zephyr's check_add_partition (US §1.2) ---- */

static void test_add_partition_accepts_page_aligned_ranges(void **state)
{
	struct scene *s = *state;

	assert_int_equal(add(s->a, BASE, PAGE, SOFSIM_PART_RW), 0);
	assert_int_equal(add(s->a, BASE + 16 * PAGE, 3 * PAGE, SOFSIM_PART_RX), 0);
	assert_int_equal(add(s->a, BASE + 32 * PAGE, PAGE, SOFSIM_PART_R), 0);
	assert_int_equal(sofsim_domain_partition_count(s->a), 3);
}

/* Xtensa MMU: 4 KiB pages, so start and size must be page multiples (US §1.2). */
static void test_add_partition_rejects_unaligned_start_or_size(void **state)
{
	struct scene *s = *state;

	assert_int_equal(add(s->a, BASE + 0x800, PAGE, SOFSIM_PART_RW), -EINVAL);
	assert_int_equal(add(s->a, BASE + 1, PAGE, SOFSIM_PART_RW), -EINVAL);
	assert_int_equal(add(s->a, BASE + PAGE - 1, PAGE, SOFSIM_PART_RW), -EINVAL);
	assert_int_equal(add(s->a, BASE, PAGE + PAGE / 2, SOFSIM_PART_RW), -EINVAL);
	assert_int_equal(add(s->a, BASE, 1, SOFSIM_PART_RW), -EINVAL);
	assert_int_equal(add(s->a, BASE, PAGE - 1, SOFSIM_PART_RW), -EINVAL);
	assert_int_equal(sofsim_domain_partition_count(s->a), 0);
	assert_int_equal(add(s->a, BASE + PAGE, PAGE, SOFSIM_PART_RW), 0);
	assert_int_equal(add(s->a, BASE + 2 * PAGE, 2 * PAGE, SOFSIM_PART_RW), 0);
}

static void test_add_partition_rejects_null_and_size_zero(void **state)
{
	struct scene *s = *state;
	struct sofsim_partition p = part(BASE, PAGE, SOFSIM_PART_RW, "p");

	assert_int_equal(sofsim_domain_add_partition(s->a, NULL), -EINVAL);
	assert_int_equal(sofsim_domain_add_partition(NULL, &p), -EINVAL);
	assert_int_equal(add(s->a, BASE, 0, SOFSIM_PART_RW), -EINVAL);
	assert_int_equal(sofsim_domain_partition_count(s->a), 0);
	assert_int_equal(sofsim_domain_add_partition(s->a, &p), 0);
}

/*
 * Zephyr rejects pend <= pstart with pend = start + size computed modulo the
 * address width, so a partition that ends exactly at the top of the address
 * space (pend == 0) is refused as well as one that runs past it.
 */
static void test_add_partition_rejects_wraparound(void **state)
{
	struct scene *s = *state;
	uintptr_t top_page = UINTPTR_MAX - (PAGE - 1); /* last page: ...f000 */

	assert_int_equal(add(s->a, top_page, 2 * PAGE, SOFSIM_PART_RW), -EINVAL); /* runs past the top */
	assert_int_equal(add(s->a, top_page, PAGE, SOFSIM_PART_RW), -EINVAL);     /* ends at 2^N: pend == 0 */
	assert_int_equal(add(s->a, top_page - PAGE, SIZE_MAX - (PAGE - 1), SOFSIM_PART_RW), -EINVAL);
	assert_int_equal(sofsim_domain_partition_count(s->a), 0);
	/* The page below the last one ends at ...f000, no wrap. */
	assert_int_equal(add(s->a, top_page - PAGE, PAGE, SOFSIM_PART_RW), 0);
}

/* Overlap test of check_add_partition: pend > dstart && dend > pstart. */
static void test_add_partition_rejects_overlap_but_not_adjacent(void **state)
{
	struct scene *sc = *state;
	uintptr_t x = BASE + 4 * PAGE; /* existing: [x, x + 4 pages) */

	assert_int_equal(add(sc->a, x, 4 * PAGE, SOFSIM_PART_RW), 0);
	assert_int_equal(add(sc->a, x, 4 * PAGE, SOFSIM_PART_RW), -EINVAL);            /* identical */
	assert_int_equal(add(sc->a, x - 2 * PAGE, 3 * PAGE, SOFSIM_PART_RW), -EINVAL); /* partial, left */
	assert_int_equal(add(sc->a, x + 3 * PAGE, 2 * PAGE, SOFSIM_PART_RW), -EINVAL); /* partial, right */
	assert_int_equal(add(sc->a, x + PAGE, PAGE, SOFSIM_PART_RW), -EINVAL);         /* contained */
	assert_int_equal(add(sc->a, x - PAGE, 6 * PAGE, SOFSIM_PART_RW), -EINVAL);     /* containing */
	assert_int_equal(add(sc->a, x, PAGE, SOFSIM_PART_R), -EINVAL);                 /* same start, other attr */
	assert_int_equal(sofsim_domain_partition_count(sc->a), 1);
	/* Touching is not overlapping: [x - 4p, x) and [x + 4p, x + 8p). */
	assert_int_equal(add(sc->a, x - 4 * PAGE, 4 * PAGE, SOFSIM_PART_RW), 0);
	assert_int_equal(add(sc->a, x + 4 * PAGE, 4 * PAGE, SOFSIM_PART_RW), 0);
	assert_int_equal(sofsim_domain_partition_count(sc->a), 3);
}

/* CONFIG_EXECUTE_XOR_WRITE (default y): writable and executable is refused. */
static void test_add_partition_rejects_write_and_execute(void **state)
{
	struct scene *s = *state;

	assert_int_equal(add(s->a, BASE, PAGE, SOFSIM_PART_W | SOFSIM_PART_X), -EINVAL);
	assert_int_equal(add(s->a, BASE, PAGE, SOFSIM_PART_R | SOFSIM_PART_W | SOFSIM_PART_X), -EINVAL);
	assert_int_equal(sofsim_domain_partition_count(s->a), 0);
	assert_int_equal(add(s->a, BASE, PAGE, SOFSIM_PART_RX), 0);
	assert_int_equal(add(s->a, BASE + PAGE, PAGE, SOFSIM_PART_RW), 0);
	assert_int_equal(add(s->a, BASE + 2 * PAGE, PAGE, SOFSIM_PART_X), 0);
}

/* ---- the partition limit (US §1.2: PTL board 32, Zephyr default 16 on mtl) ---- */

static void fill(struct sofsim_domain *d, uintptr_t base, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(add(d, base + (uintptr_t)i * 2 * PAGE, PAGE, SOFSIM_PART_RW), 0);
}

static void test_add_partition_limit_is_the_platform_limit_ptl(void **state)
{
	struct scene *s = *state;

	fill(s->a, BASE, 32);
	assert_int_equal(sofsim_domain_partition_count(s->a), 32);
	assert_int_equal(add(s->a, BASE + 64 * PAGE, PAGE, SOFSIM_PART_RW), -ENOSPC); /* the 33rd */
	assert_int_equal(sofsim_domain_partition_count(s->a), 32);
	/* Zephyr checks the partition before looking for a slot: a bad one is -EINVAL even when full. */
	assert_int_equal(add(s->a, BASE, PAGE, SOFSIM_PART_RW), -EINVAL);
	assert_int_equal(del(s->a, BASE + 2 * PAGE, PAGE), 0);
	assert_int_equal(add(s->a, BASE + 64 * PAGE, PAGE, SOFSIM_PART_RW), 0);
	assert_int_equal(sofsim_domain_partition_count(s->a), 32);
}

static void test_add_partition_limit_is_the_platform_limit_mtl(void **state)
{
	struct scene *s = *state;

	fill(s->a, BASE, 16);
	assert_int_equal(add(s->a, BASE + 64 * PAGE, PAGE, SOFSIM_PART_RW), -ENOSPC); /* the 17th */
}

/* ---- remove_partition: exact start and size (US §1.2) ---- */

static void test_remove_partition_needs_exact_match(void **state)
{
	struct scene *s = *state;

	assert_int_equal(add(s->a, BASE, 2 * PAGE, SOFSIM_PART_RW), 0);
	assert_int_equal(del(s->a, BASE, PAGE), -ENOENT);            /* same start, smaller */
	assert_int_equal(del(s->a, BASE, 3 * PAGE), -ENOENT);        /* same start, larger */
	assert_int_equal(del(s->a, BASE + PAGE, PAGE), -ENOENT);     /* inside it */
	assert_int_equal(del(s->a, BASE + 8 * PAGE, 2 * PAGE), -ENOENT);
	assert_int_equal(sofsim_domain_partition_count(s->a), 1);
	assert_int_equal(sofsim_domain_remove_partition(s->a, NULL), -EINVAL);
	assert_int_equal(del(NULL, BASE, 2 * PAGE), -EINVAL);
	assert_int_equal(del(s->a, BASE, 2 * PAGE), 0);
	assert_int_equal(sofsim_domain_partition_count(s->a), 0);
	assert_int_equal(del(s->a, BASE, 2 * PAGE), -ENOENT); /* already gone */
}

static void test_partition_changes_bump_the_generation(void **state)
{
	struct scene *s = *state;
	uint64_t g0 = sofsim__domain_generation(s->a);

	assert_int_equal(add(s->a, BASE, PAGE, SOFSIM_PART_RW), 0);
	assert_int_equal(sofsim__domain_generation(s->a), g0 + 1);
	assert_int_equal(add(s->a, BASE, PAGE, SOFSIM_PART_RW), -EINVAL); /* refused: no change */
	assert_int_equal(del(s->a, BASE, 2 * PAGE), -ENOENT);
	assert_int_equal(sofsim__domain_generation(s->a), g0 + 1);
	assert_int_equal(del(s->a, BASE, PAGE), 0);
	assert_int_equal(sofsim__domain_generation(s->a), g0 + 2);
}

/* ---- L2 tables: one per distinct 4 MiB span touched (US §1.7, bug class 17) ---- */

static void test_l2_tables_count_distinct_4mib_spans(void **state)
{
	struct scene *s = *state;
	uintptr_t k = BASE + 8 * SPAN; /* a span boundary */

	assert_int_equal(sofsim_domain_l2_tables(s->a), 0);
	/* Two partitions in the span below k: one table. */
	assert_int_equal(add(s->a, k - SPAN, PAGE, SOFSIM_PART_RW), 0);
	assert_int_equal(add(s->a, k - SPAN + 16 * PAGE, PAGE, SOFSIM_PART_RW), 0);
	assert_int_equal(sofsim_domain_l2_tables(s->a), 1);
	/* [k - 1 page, k + 1 page) straddles k: spans k-1 (already counted) and k → 2. */
	assert_int_equal(add(s->a, k - PAGE, 2 * PAGE, SOFSIM_PART_RW), 0);
	assert_int_equal(sofsim_domain_l2_tables(s->a), 2);
	/* A span-aligned 8 MiB partition two spans up touches exactly 2 more → 4. */
	assert_int_equal(add(s->a, k + 2 * SPAN, 2 * SPAN, SOFSIM_PART_RW), 0);
	assert_int_equal(sofsim_domain_l2_tables(s->a), 4);
	/* 8 MiB + 1 page from a span boundary touches 3 spans: k+5, k+6, k+7 → 7. */
	assert_int_equal(add(s->a, k + 5 * SPAN, 2 * SPAN + PAGE, SOFSIM_PART_RW), 0);
	assert_int_equal(sofsim_domain_l2_tables(s->a), 7);
	assert_int_equal(sofsim__domain_l2_total(s->sim), 7);

	/* Removing releases only spans nobody else touches. */
	assert_int_equal(del(s->a, k - PAGE, 2 * PAGE), 0); /* span k-1 still held by the first two */
	assert_int_equal(sofsim_domain_l2_tables(s->a), 6);
	assert_int_equal(del(s->a, k - SPAN, PAGE), 0);
	assert_int_equal(sofsim_domain_l2_tables(s->a), 6);
	assert_int_equal(del(s->a, k - SPAN + 16 * PAGE, PAGE), 0);
	assert_int_equal(sofsim_domain_l2_tables(s->a), 5);
	assert_int_equal(del(s->a, k + 5 * SPAN, 2 * SPAN + PAGE), 0);
	assert_int_equal(del(s->a, k + 2 * SPAN, 2 * SPAN), 0);
	assert_int_equal(sofsim_domain_l2_tables(s->a), 0);
	assert_int_equal(sofsim__domain_l2_total(s->sim), 0);
}

/*
 * The PTL pool holds 128 L2 tables (US §1.7, board value) and a domain at
 * most 32 partitions (US §1.2): four domains of 32 one-page partitions, each
 * in its own 4 MiB span, use 4 × 32 = 128 tables — the whole pool.
 */
static void test_l2_pool_exhaustion_gives_enomem(void **state)
{
	struct sofsim *sim = test_sim_create(SOFSIM_THREADS_FIBER, "ptl", 1);
	struct sofsim_domain *d[5];
	FILE *quiet = fopen("/dev/null", "w"); /* destroying d0 below reports its partitions */
	uintptr_t d3_first = BASE + (uintptr_t)(32 * 3) * SPAN;

	(void)state;
	assert_non_null(quiet);
	sofsim__set_report_stream(sim, quiet);
	assert_int_equal(sofsim_platform(sim)->mmu_l2_tables, 128);
	for (unsigned k = 0; k < 5; k++)
		assert_int_equal(sofsim_domain_create(sim, "d", &d[k]), 0);
	for (unsigned k = 0; k < 4; k++)
		for (unsigned i = 0; i < 32; i++)
			assert_int_equal(add(d[k], BASE + (uintptr_t)(32 * k + i) * SPAN, PAGE, SOFSIM_PART_RW), 0);
	assert_int_equal(sofsim__domain_l2_total(sim), 128);

	/* A 129th table: refused, and nothing changes. */
	assert_int_equal(add(d[4], BASE + 200 * (uintptr_t)SPAN, PAGE, SOFSIM_PART_RW), -ENOMEM);
	assert_int_equal(sofsim_domain_partition_count(d[4]), 0);
	assert_int_equal(sofsim_domain_l2_tables(d[4]), 0);
	assert_int_equal(sofsim__domain_l2_total(sim), 128);

	/* Free one table in d3, then reuse d3's first span: no new table (128 - 1 = 127 used). */
	assert_int_equal(del(d[3], BASE + (uintptr_t)(32 * 3 + 31) * SPAN, PAGE), 0);
	assert_int_equal(sofsim__domain_l2_total(sim), 127);
	assert_int_equal(add(d[3], d3_first + PAGE, PAGE, SOFSIM_PART_RW), 0);
	assert_int_equal(sofsim_domain_l2_tables(d[3]), 31);
	assert_int_equal(sofsim__domain_l2_total(sim), 127);

	/* The one free table goes to d4; a second new span is refused, the same span is not. */
	assert_int_equal(add(d[4], BASE + 200 * (uintptr_t)SPAN, PAGE, SOFSIM_PART_RW), 0);
	assert_int_equal(sofsim__domain_l2_total(sim), 128);
	assert_int_equal(add(d[4], BASE + 201 * (uintptr_t)SPAN, PAGE, SOFSIM_PART_RW), -ENOMEM);
	assert_int_equal(add(d[4], BASE + 200 * (uintptr_t)SPAN + PAGE, PAGE, SOFSIM_PART_RW), 0);
	assert_int_equal(sofsim_domain_l2_tables(d[4]), 1);

	/* One table free (127 used) but a straddling partition needs two: all or nothing. */
	assert_int_equal(del(d[4], BASE + 200 * (uintptr_t)SPAN, PAGE), 0);
	assert_int_equal(del(d[4], BASE + 200 * (uintptr_t)SPAN + PAGE, PAGE), 0);
	assert_int_equal(sofsim__domain_l2_total(sim), 127);
	assert_int_equal(add(d[4], BASE + 210 * (uintptr_t)SPAN - PAGE, 2 * PAGE, SOFSIM_PART_RW), -ENOMEM);
	assert_int_equal(sofsim_domain_partition_count(d[4]), 0);
	assert_int_equal(add(d[4], BASE + 210 * (uintptr_t)SPAN, PAGE, SOFSIM_PART_RW), 0);
	assert_int_equal(sofsim__domain_l2_total(sim), 128);

	/* Destroying a domain returns its tables to the pool (32 of them). */
	assert_int_equal(sofsim_domain_destroy(d[0]), 32);
	assert_int_equal(sofsim__domain_l2_total(sim), 96);
	assert_int_equal(add(d[4], BASE + 211 * (uintptr_t)SPAN, PAGE, SOFSIM_PART_RW), 0);
	/* The partition list keeps insertion order: d4 holds spans 210 and 211. */
	assert_int_equal(sofsim__domain_partition_at(d[4], 0)->start, BASE + 210 * (uintptr_t)SPAN);
	assert_int_equal(sofsim__domain_partition_at(d[4], 1)->start, BASE + 211 * (uintptr_t)SPAN);
	assert_null(sofsim__domain_partition_at(d[4], 2));
	sofsim_destroy(sim);
	fclose(quiet);
}

/* mtl has no MMU (mmu_l2_tables 0): no pool, so 10 × 16 = 160 spans (> 128) all fit. */
static void test_l2_pool_is_unlimited_without_mmu(void **state)
{
	struct sofsim *sim = test_sim_create(SOFSIM_THREADS_FIBER, "mtl", 1);
	struct sofsim_domain *d[10];

	(void)state;
	assert_int_equal(sofsim_platform(sim)->mmu_l2_tables, 0);
	for (unsigned k = 0; k < 10; k++) {
		assert_int_equal(sofsim_domain_create(sim, "d", &d[k]), 0);
		for (unsigned i = 0; i < 16; i++)
			assert_int_equal(add(d[k], BASE + (uintptr_t)(16 * k + i) * SPAN, PAGE, SOFSIM_PART_RW), 0);
	}
	assert_int_equal(sofsim__domain_l2_total(sim), 160);
	destroy_quietly(sim);
}

/* ---- domain_allows: partitions only, byte exact ---- */

static void test_domain_allows_by_attribute_and_coverage(void **state)
{
	struct scene *s = *state;
	uintptr_t r = BASE, rw = BASE + PAGE, rx = BASE + 4 * PAGE;

	assert_int_equal(add(s->a, r, PAGE, SOFSIM_PART_R), 0);
	assert_int_equal(add(s->a, rw, PAGE, SOFSIM_PART_RW), 0); /* adjacent to r */
	assert_int_equal(add(s->a, rx, PAGE, SOFSIM_PART_RX), 0);

	assert_true(sofsim_domain_allows(s->a, r, PAGE, false));
	assert_false(sofsim_domain_allows(s->a, r, PAGE, true)); /* R only */
	assert_true(sofsim_domain_allows(s->a, rw + 10, 100, true));
	assert_true(sofsim_domain_allows(s->a, rx, PAGE, false));
	assert_false(sofsim_domain_allows(s->a, rx, 1, true)); /* RX: not writable */
	/* Across the r|rw boundary: readable throughout, writable only in rw. */
	assert_true(sofsim_domain_allows(s->a, r + PAGE - 8, 16, false));
	assert_true(sofsim_domain_allows(s->a, r, 2 * PAGE, false));
	assert_false(sofsim_domain_allows(s->a, r + PAGE - 8, 16, true));
	/* Partial coverage: runs off the end of rw into the unmapped gap, or starts before r. */
	assert_false(sofsim_domain_allows(s->a, rw + PAGE - 8, 16, false));
	assert_false(sofsim_domain_allows(s->a, r - 1, 2, false));
	assert_false(sofsim_domain_allows(s->a, r, 5 * PAGE, false)); /* the gap [BASE+2p, BASE+4p) */
	/* Byte exact at the edges. */
	assert_true(sofsim_domain_allows(s->a, rw + PAGE - 1, 1, true));
	assert_false(sofsim_domain_allows(s->a, rw + PAGE, 1, true));
	/* Size 0 is always allowed; a wrapping range never is. */
	assert_true(sofsim_domain_allows(s->a, 0, 0, true));
	assert_true(sofsim_domain_allows(NULL, 0, 0, false));
	assert_false(sofsim_domain_allows(NULL, r, 1, false));
	assert_false(sofsim_domain_allows(s->a, r, SIZE_MAX, false));
}

/* ---- threads: add_thread, inheritance, cpu_pin (bug class 23) ---- */

static struct sofsim_thread *tspawn(struct scene *s, const char *name, unsigned core, bool user, sofsim_thread_fn fn)
{
	struct sofsim_thread_attr attr = { .name = name, .prio = 1, .core = core, .user = user };
	struct sofsim_thread *t = NULL;

	assert_int_equal(sofsim_thread_create(s->sim, &attr, fn, s, &t), 0);
	return t;
}

/* Thread creation from inside an emulated thread: no cmocka assertion there, the host checks. */
static struct sofsim_thread *spawn_in_thread(struct scene *s, const char *name, int prio, unsigned core,
					     sofsim_thread_fn fn)
{
	struct sofsim_thread_attr attr = { .name = name, .prio = prio, .core = core };
	struct sofsim_thread *t = NULL;

	s->ret[3] |= sofsim_thread_create(s->sim, &attr, fn, s, &t);
	return t;
}

static void waits_on_sem(void *arg)
{
	struct scene *s = arg;

	sofsim_sem_take(s->sem, SOFSIM_FOREVER);
}

static void test_add_thread_before_start_moves_freely(void **state)
{
	struct scene *s = *state;
	struct sofsim_thread *t = tspawn(s, "t", 0, false, waits_on_sem);

	assert_null(sofsim_thread_domain(t)); /* created by the host, which has no domain */
	assert_int_equal(sofsim_domain_add_thread(s->a, t), 0);
	assert_ptr_equal(sofsim_thread_domain(t), s->a);
	assert_int_equal(sofsim_domain_add_thread(s->b, t), 0); /* not started: may move again */
	assert_ptr_equal(sofsim_thread_domain(t), s->b);
}

static void test_add_thread_after_start_is_busy(void **state)
{
	struct scene *s = *state;
	struct sofsim_thread *t = tspawn(s, "t", 0, false, waits_on_sem);

	assert_int_equal(sofsim_domain_add_thread(s->a, t), 0);
	assert_int_equal(sofsim_run_until(s->sim, 0), 0); /* t starts and blocks */
	assert_int_equal(sofsim_domain_add_thread(s->b, t), -EBUSY);
	assert_ptr_equal(sofsim_thread_domain(t), s->a);
	assert_int_equal(sofsim_domain_add_thread(s->a, t), 0); /* its own domain: no change */
	sofsim_sem_give(s->sem);
	assert_int_equal(sofsim_run_until_idle(s->sim, SOFSIM_TIME_NEVER), 0);
	assert_true(sofsim_thread_ended(t));
	assert_int_equal(sofsim_domain_add_thread(s->b, t), -EBUSY); /* ended counts as started */
}

static void test_add_thread_rejects_null_and_foreign(void **state)
{
	struct scene *s = *state;
	struct sofsim *other = test_sim_create(s->carrier, "ptl", 2);
	struct sofsim_domain *foreign = NULL;
	struct sofsim_thread *t = tspawn(s, "t", 0, false, waits_on_sem);

	assert_int_equal(sofsim_domain_create(other, "x", &foreign), 0);
	assert_int_equal(sofsim_domain_add_thread(NULL, t), -EINVAL);
	assert_int_equal(sofsim_domain_add_thread(s->a, NULL), -EINVAL);
	assert_int_equal(sofsim_domain_add_thread(foreign, t), -EINVAL);
	assert_int_equal(sofsim_domain_add_thread(s->a, &s->sim->host), -EINVAL); /* the host is no emulated thread */
	assert_null(sofsim_thread_domain(t));
	sofsim_destroy(other);
}

static void moves_itself_and_others(void *arg)
{
	struct scene *s = arg;

	s->ret[0] = sofsim_domain_add_thread(s->b, sofsim_thread_self(s->sim)); /* itself: allowed */
	s->ret[1] = sofsim_domain_add_thread(s->b, s->other);                   /* started, not the caller */
	/* Children on the mover's core at a lower priority: they cannot start before it ends. */
	s->child = spawn_in_thread(s, "child", 5, 1, waits_on_sem); /* inherits b */
	s->ret[2] = sofsim_domain_add_thread(s->a, s->child);         /* not started: allowed */
	s->child2 = spawn_in_thread(s, "child2", 5, 1, waits_on_sem); /* inherits b */
}

static void test_thread_may_move_itself_but_not_a_live_thread(void **state)
{
	struct scene *s = *state;
	struct sofsim_thread *mover;

	s->other = tspawn(s, "other", 0, false, waits_on_sem);
	assert_int_equal(sofsim_domain_add_thread(s->a, s->other), 0);
	assert_int_equal(sofsim_run_until(s->sim, 0), 0); /* other starts and blocks */
	mover = tspawn(s, "mover", 1, false, moves_itself_and_others);
	assert_int_equal(sofsim_domain_add_thread(s->a, mover), 0);
	assert_int_equal(sofsim_run_until(s->sim, 0), 0);
	assert_true(sofsim_thread_ended(mover));
	assert_int_equal(s->ret[3], 0);
	assert_int_equal(s->ret[0], 0);
	assert_ptr_equal(sofsim_thread_domain(mover), s->b);
	assert_int_equal(s->ret[1], -EBUSY);
	assert_ptr_equal(sofsim_thread_domain(s->other), s->a);
	assert_int_equal(s->ret[2], 0);
	assert_ptr_equal(sofsim_thread_domain(s->child), s->a);
	assert_ptr_equal(sofsim_thread_domain(s->child2), s->b);
}

static void spawns_child(void *arg)
{
	struct scene *s = arg;

	s->child = spawn_in_thread(s, "child", 1, 0, waits_on_sem);
}

/* z_mem_domain_init_thread: a new thread joins its creator's domain. */
static void test_child_inherits_creator_domain(void **state)
{
	struct scene *s = *state;
	struct sofsim_thread *parent;

	parent = tspawn(s, "parent", 0, false, spawns_child);
	assert_int_equal(sofsim_domain_add_thread(s->a, parent), 0);
	assert_int_equal(sofsim_run_until(s->sim, 0), 0);
	assert_int_equal(s->ret[3], 0);
	assert_non_null(s->child);
	assert_ptr_equal(sofsim_thread_domain(s->child), s->a);
}

static void reports_core(void *arg)
{
	struct scene *s = arg;

	s->core_seen = sofsim_thread_core(sofsim_thread_self(s->sim));
}

static bool queued_on(const struct sofsim *sim, const struct sofsim_thread *t, unsigned core)
{
	const struct sofsim_list *pos;

	for (pos = sim->core[core].ready.next; pos != &sim->core[core].ready; pos = pos->next)
		if (pos == &t->node)
			return true;
	return false;
}

static void test_cpu_pin_only_before_start(void **state)
{
	struct scene *s = *state;
	struct sofsim_thread *t = tspawn(s, "t", 0, false, reports_core);

	/* ptl has 5 cores (US §1.7): 0..4 valid, 5 not. */
	assert_int_equal(sofsim_thread_cpu_pin(t, 5), -EINVAL);
	assert_int_equal(sofsim_thread_cpu_pin(t, UINT32_MAX), -EINVAL);
	assert_int_equal(sofsim_thread_cpu_pin(NULL, 0), -EINVAL);
	assert_int_equal(sofsim_thread_core(t), 0);
	assert_int_equal(sofsim_thread_cpu_pin(t, 4), 0);
	assert_int_equal(sofsim_thread_core(t), 4);
	assert_false(queued_on(s->sim, t, 0));
	assert_true(queued_on(s->sim, t, 4));
	assert_int_equal(sofsim_run_until(s->sim, 0), 0);
	assert_true(sofsim_thread_ended(t));
	assert_int_equal(s->core_seen, 4);
	assert_int_equal(sofsim_thread_cpu_pin(t, 1), -EBUSY); /* started (and ended) */
	assert_int_equal(sofsim_thread_core(t), 4);
	/* Blocked counts as started too. */
	t = tspawn(s, "t2", 2, false, waits_on_sem);
	assert_int_equal(sofsim_run_until(s->sim, 0), 0);
	assert_int_equal(sofsim_thread_cpu_pin(t, 3), -EBUSY);
	assert_int_equal(sofsim_thread_core(t), 2);
}

/* ---- a thread's view (for the syscall verifiers) ---- */

static void test_kernel_thread_sees_the_dsp_arena(void **state)
{
	struct scene *s = *state;
	struct sofsim_thread *t = tspawn(s, "k", 0, false, waits_on_sem);
	uintptr_t base, hbase;
	size_t size, hsize;

	sofsim_arena_bounds(s->sim, SOFSIM_ARENA_DSP, &base, &size);
	sofsim_arena_bounds(s->sim, SOFSIM_ARENA_HOST, &hbase, &hsize);
	assert_true(sofsim__thread_can_access(t, base, size, true, false));
	assert_true(sofsim__thread_can_access(t, base + size - 1, 1, true, true));
	assert_false(sofsim__thread_can_access(t, base + size - 1, 2, false, false));
	assert_false(sofsim__thread_can_access(t, base - 1, 1, false, false));
	assert_false(sofsim__thread_can_access(t, hbase, 1, false, false)); /* host memory */
	/* A domain changes nothing for a kernel thread. */
	assert_int_equal(add(s->a, BASE, PAGE, SOFSIM_PART_RW), 0);
	assert_int_equal(sofsim_domain_add_thread(s->a, t), 0);
	assert_false(sofsim__thread_can_access(t, BASE, PAGE, false, false));
	assert_true(sofsim__thread_can_access(t, base, PAGE, true, false));
	assert_true(sofsim__thread_can_access(t, base, 0, true, false));
}

static struct sofsim_thread *user_thread(struct scene *s, size_t stack_bytes)
{
	struct sofsim_thread_attr attr = { .name = "u", .prio = 1, .core = 0, .user = true, .stack_bytes = stack_bytes };
	struct sofsim_thread *t = NULL;

	assert_int_equal(sofsim_thread_create(s->sim, &attr, waits_on_sem, s, &t), 0);
	return t;
}

static void test_user_thread_sees_its_stack_and_its_partitions(void **state)
{
	struct scene *s = *state;
	struct sofsim_thread *t = user_thread(s, 16 * KiB);
	uintptr_t base, lo;
	size_t size;

	lo = (uintptr_t)t->stack_lo;
	sofsim_arena_bounds(s->sim, SOFSIM_ARENA_DSP, &base, &size);
	/* Its stack, read and write, nothing else of the arena. */
	assert_true(sofsim__thread_can_access(t, lo, 16 * KiB, true, false));
	assert_false(sofsim__thread_can_access(t, lo - 1, 1, false, false)); /* guard page */
	assert_false(sofsim__thread_can_access(t, lo - 1, 2, false, false));
	assert_false(sofsim__thread_can_access(t, lo + 16 * KiB, 1, false, false));
	assert_false(sofsim__thread_can_access(t, base + size - PAGE, 1, false, false));
	/* A domain adds its partitions, with their attributes. */
	assert_int_equal(add(s->a, BASE, 2 * PAGE, SOFSIM_PART_RW), 0);
	assert_int_equal(add(s->a, BASE + 2 * PAGE, PAGE, SOFSIM_PART_R), 0);
	assert_false(sofsim__thread_can_access(t, BASE, 1, false, false)); /* not in the domain yet */
	assert_int_equal(sofsim_domain_add_thread(s->a, t), 0);
	assert_true(sofsim__thread_can_access(t, BASE, 2 * PAGE, true, false));
	assert_true(sofsim__thread_can_access(t, BASE, 3 * PAGE, false, false)); /* RW then R */
	assert_false(sofsim__thread_can_access(t, BASE, 3 * PAGE, true, false)); /* last page read-only */
	assert_false(sofsim__thread_can_access(t, BASE + 3 * PAGE, 1, false, false));
	assert_true(sofsim__thread_can_access(t, lo, 8, true, false)); /* the stack still */
}

/*
 * Byte exact versus page granular. Partitions are whole pages, so at their
 * edges both agree: a range is allowed iff its last byte is inside. A stack
 * of 16 KiB + 100 bytes is mapped as 5 whole pages, so the 3996 bytes after
 * its end [lo + 16484, lo + 20480) pass page-granular checks only, as on the
 * Xtensa MMU (arch_buffer_validate works page by page).
 */
static void test_page_granular_versus_byte_exact(void **state)
{
	struct scene *s = *state;
	struct sofsim_thread *t = user_thread(s, 16 * KiB + 100);
	uintptr_t lo, pend = BASE + 2 * PAGE;

	lo = (uintptr_t)t->stack_lo;
	assert_int_equal(add(s->a, BASE, 2 * PAGE, SOFSIM_PART_RW), 0);
	assert_int_equal(sofsim_domain_add_thread(s->a, t), 0);
	for (int pg = 0; pg < 2; pg++) {
		assert_true(sofsim__thread_can_access(t, pend - 256, 256, true, pg));  /* last byte inside */
		assert_false(sofsim__thread_can_access(t, pend - 256, 257, true, pg)); /* last byte outside */
		assert_false(sofsim__thread_can_access(t, BASE - 1, 2, false, pg));
		assert_true(sofsim__thread_can_access(t, lo + 16 * KiB + 99, 1, true, pg));
		assert_false(sofsim__thread_can_access(t, lo + 5 * PAGE, 1, true, pg));
	}
	assert_false(sofsim__thread_can_access(t, lo + 16 * KiB + 100, 1, true, false));
	assert_true(sofsim__thread_can_access(t, lo + 16 * KiB + 100, 1, true, true));
	assert_false(sofsim__thread_can_access(t, lo + 5 * PAGE - 1, 2, true, true));
	assert_true(sofsim__thread_can_access(t, lo + 5 * PAGE - 1, 1, true, true));
}

static void test_access_check_is_overflow_safe(void **state)
{
	struct scene *s = *state;
	struct sofsim_thread *u, *k;
	uintptr_t lo;

	u = user_thread(s, 16 * KiB);
	k = tspawn(s, "k", 0, false, waits_on_sem);
	lo = (uintptr_t)u->stack_lo;
	for (int pg = 0; pg < 2; pg++) {
		/* Start inside the stack, size so large that addr + size wraps to just inside it again. */
		assert_false(sofsim__thread_can_access(u, lo + 8, (size_t)0 - 4, false, pg));
		assert_false(sofsim__thread_can_access(u, lo, SIZE_MAX, false, pg));
		assert_false(sofsim__thread_can_access(k, lo, SIZE_MAX, false, pg));
		assert_false(sofsim__thread_can_access(u, UINTPTR_MAX - 10, 100, false, pg));
		assert_false(sofsim__thread_can_access(k, UINTPTR_MAX, 1, false, pg));
		/* Size 0 is always allowed (Zephyr validates zero pages). */
		assert_true(sofsim__thread_can_access(u, UINTPTR_MAX, 0, true, pg));
	}
	/* No wrap, but rounding out to the page would run past the top. */
	assert_false(sofsim__thread_can_access(u, UINTPTR_MAX - 100, 50, false, true));
	assert_false(sofsim__thread_can_access(NULL, lo, 1, false, false));
}

/* ---- teardown (bug class 24) ---- */

#define LEFT_A "domain a: partition ll_heap [0x10000000-0x10002000) left at teardown\n" \
	       "domain a: partition (unnamed) [0x10008000-0x10009000) left at teardown\n"

static void test_destroy_reports_partitions_left(void **state)
{
	struct scene *s = *state;
	struct sofsim_thread *t = tspawn(s, "t", 0, true, waits_on_sem);
	struct sofsim_partition heap = part(0x10000000u, 0x2000, SOFSIM_PART_RW, "ll_heap");
	struct sofsim_partition mbox = part(0x10004000u, 0x1000, SOFSIM_PART_R, "mailbox");
	struct sofsim_partition anon = part(0x10008000u, 0x1000, SOFSIM_PART_R, NULL);
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	assert_non_null(out);
	sofsim__set_report_stream(s->sim, out);
	assert_int_equal(sofsim_domain_add_partition(s->a, &heap), 0);
	assert_int_equal(sofsim_domain_add_partition(s->a, &mbox), 0);
	assert_int_equal(sofsim_domain_add_partition(s->a, &anon), 0);
	assert_int_equal(sofsim_domain_remove_partition(s->a, &mbox), 0);
	assert_int_equal(sofsim_domain_add_thread(s->a, t), 0);
	assert_int_equal(sofsim_domain_destroy(s->a), 2);
	assert_null(sofsim_thread_domain(t)); /* left without a domain */
	/* A clean domain reports nothing; NULL is accepted. */
	assert_int_equal(sofsim_domain_add_partition(s->b, &heap), 0);
	assert_int_equal(sofsim_domain_remove_partition(s->b, &heap), 0);
	assert_int_equal(sofsim_domain_destroy(s->b), 0);
	assert_int_equal(sofsim_domain_destroy(NULL), 0);
	fflush(out);
	/* ends: 0x10000000 + 0x2000 = 0x10002000; 0x10008000 + 0x1000 = 0x10009000. */
	assert_string_equal(text, LEFT_A);
	sofsim__set_report_stream(s->sim, NULL);
	fclose(out);
	free(text);
}

/* A domain the caller never destroyed is freed, and reported, with its context. */
static void test_context_teardown_reports_live_domains(void **state)
{
	struct sofsim *sim = test_sim_create(carrier_of(state), "ptl", 1);
	struct sofsim_domain *d = NULL;
	struct sofsim_partition p = part(0x20000000u, 0x1000, SOFSIM_PART_RW, "sysuser");
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	assert_non_null(out);
	sofsim__set_report_stream(sim, out);
	assert_int_equal(sofsim_domain_create(sim, "b", &d), 0);
	assert_int_equal(sofsim_domain_add_partition(d, &p), 0);
	sofsim_destroy(sim);
	fclose(out);
	assert_string_equal(text, "domain b: partition sysuser [0x20000000-0x20001000) left at teardown\n");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		PTL_TEST(test_add_partition_accepts_page_aligned_ranges),
		PTL_TEST(test_add_partition_rejects_unaligned_start_or_size),
		PTL_TEST(test_add_partition_rejects_null_and_size_zero),
		PTL_TEST(test_add_partition_rejects_wraparound),
		PTL_TEST(test_add_partition_rejects_overlap_but_not_adjacent),
		PTL_TEST(test_add_partition_rejects_write_and_execute),
		PTL_TEST(test_add_partition_limit_is_the_platform_limit_ptl),
		MTL_TEST(test_add_partition_limit_is_the_platform_limit_mtl),
		PTL_TEST(test_remove_partition_needs_exact_match),
		PTL_TEST(test_partition_changes_bump_the_generation),
		PTL_TEST(test_l2_tables_count_distinct_4mib_spans),
		cmocka_unit_test(test_l2_pool_exhaustion_gives_enomem),
		cmocka_unit_test(test_l2_pool_is_unlimited_without_mmu),
		PTL_TEST(test_domain_allows_by_attribute_and_coverage),
		SCENE_TESTS(test_add_thread_before_start_moves_freely),
		SCENE_TESTS(test_add_thread_after_start_is_busy),
		SCENE_TESTS(test_add_thread_rejects_null_and_foreign),
		SCENE_TESTS(test_thread_may_move_itself_but_not_a_live_thread),
		SCENE_TESTS(test_child_inherits_creator_domain),
		SCENE_TESTS(test_cpu_pin_only_before_start),
		SCENE_TESTS(test_kernel_thread_sees_the_dsp_arena),
		SCENE_TESTS(test_user_thread_sees_its_stack_and_its_partitions),
		SCENE_TESTS(test_page_granular_versus_byte_exact),
		SCENE_TESTS(test_access_check_is_overflow_safe),
		SCENE_TESTS(test_destroy_reports_partitions_left),
		CARRIER_TESTS(test_context_teardown_reports_live_domains),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
