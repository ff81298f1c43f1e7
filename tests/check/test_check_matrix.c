/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The hole matrix of enforce=check: every access kind the compilers emit
 * (1/2/4/8/16-byte and odd-sized loads and stores, a 64-byte struct
 * assignment, memcpy, memmove, memset, strcpy, an atomic read-modify-write)
 * aimed by a user thread at a kernel-heap page must fault exactly once
 * (reason 0, EXCCAUSE 26, EXCVADDR the first byte of the side that is
 * checked first), and the same access to the LL user heap must not. One
 * probe per thread: under the kill-thread policy a probe that faults ends
 * its thread, so the next probe starts in a new one.
 *
 * The named-global probes pin down what the instrumentation does NOT see
 * (docs/model-fidelity.md, "enforce=check: what the instrumentation sees"),
 * and the byte-exact probe shows page-granular checking letting a 1-byte
 * overrun through, as the MMU would.
 */
#include <errno.h>
#include <stdint.h>

#include "matrix_bodies.h"
#include "sim_test.h"

#include "sofsim/check.h"
#include "sofsim/fault.h"
#include "sofsim/mem.h"

#include "kernel/kernel_priv.h" /* verify_byte_exact */
#include "kernel/tools.h"       /* telling Memcheck about the deliberate overrun */

/* Not instrumented here; the instrumented matrix_bodies.c uses it by name. */
uint32_t matrix_ext_global;

#define BLOCK_BYTES 256u
#define SCRATCH_BYTES 256u

/* What one access is expected to do. */
struct verdict {
	bool faults;
	unsigned cause; /* SOFSIM_EXCCAUSE_* */
	const char *op; /* "load" or "store" */
	size_t offset;  /* EXCVADDR - target */
};

/*
 * A 64-byte struct copy from one kernel page to another (mb_copy_big(t +
 * 128, t + 32)) shows which side a compiler checks first. GCC 12 checks
 * struct copies inline, destination first (storeN, then loadN); Clang 14
 * calls memcpy, which the checker checks source first. Measured with both
 * (objdump -dr of matrix_bodies.c.o), not taken from the checker.
 */
#if defined(__clang__)
#define BIG_COPY_FIRST_SIDE "load", 32
#elif defined(__GNUC__)
#define BIG_COPY_FIRST_SIDE "store", 128
#else
#error "sofsim_instrument() supports GCC and Clang only"
#endif

/*
 * Direct accesses to named globals from instrumented code, by compiler
 * (measured: objdump -dr of matrix_bodies.c.o at -O0 and -O2). GCC 12
 * instruments none of them (with --param=asan-globals=0 its ASan pass skips
 * in-bounds accesses to named globals); Clang 14 instruments the extern
 * global (it cannot prove the access in bounds of an object it does not
 * define) but not the file-static one. An instrumented access to a global
 * outside every partition is denied as memory not mapped for user mode:
 * EXCCAUSE 28 for a load, 29 for a store.
 */
enum global_probe { G_EXT_READ, G_EXT_WRITE, G_STATIC_READ, G_STATIC_WRITE, G_COUNT };

#if defined(__clang__)
static const struct verdict global_verdicts[G_COUNT] = {
	[G_EXT_READ] = { true, SOFSIM_EXCCAUSE_LOAD_PROHIBITED, "load", 0 },
	[G_EXT_WRITE] = { true, SOFSIM_EXCCAUSE_STORE_PROHIBITED, "store", 0 },
	[G_STATIC_READ] = { false, 0, NULL, 0 },
	[G_STATIC_WRITE] = { false, 0, NULL, 0 },
};
#else
static const struct verdict global_verdicts[G_COUNT] = {
	[G_EXT_READ] = { false, 0, NULL, 0 },
	[G_EXT_WRITE] = { false, 0, NULL, 0 },
	[G_STATIC_READ] = { false, 0, NULL, 0 },
	[G_STATIC_WRITE] = { false, 0, NULL, 0 },
};
#endif

/* One probe run: what the thread does and what it saw. */
struct job {
	void (*run)(struct job *j, uint8_t *scratch);
	uint8_t *target;
	uint32_t value;
	uint32_t got;
	bool done;
};

struct scene {
	struct sofsim *sim;
	struct sofsim_domain *dom;
	uint8_t *kernel_block;
	uint8_t *user_block;
};

/* ---- the access kinds, each aimed at j->target ---- */

static void p_load1(struct job *j, uint8_t *u)
{
	j->got = mb_load1(j->target + 1);
}

static void p_load2(struct job *j, uint8_t *u)
{
	j->got = mb_load2(j->target + 2);
}

static void p_load4(struct job *j, uint8_t *u)
{
	j->got = mb_load4(j->target + 4);
}

static void p_load8(struct job *j, uint8_t *u)
{
	j->got = (uint32_t)mb_load8(j->target + 8);
}

static void p_load16(struct job *j, uint8_t *u)
{
	j->got = (uint32_t)mb_load16(j->target + 16);
}

static void p_load_n(struct job *j, uint8_t *u)
{
	mb_copy_n((struct mb_n *)u, (const struct mb_n *)(j->target + 16));
}

static void p_store1(struct job *j, uint8_t *u)
{
	mb_store1(j->target + 1, 1);
}

static void p_store2(struct job *j, uint8_t *u)
{
	mb_store2(j->target + 2, 2);
}

static void p_store4(struct job *j, uint8_t *u)
{
	mb_store4(j->target + 4, 4);
}

static void p_store8(struct job *j, uint8_t *u)
{
	mb_store8(j->target + 8, 8);
}

static void p_store16(struct job *j, uint8_t *u)
{
	mb_store16(j->target + 16, 16);
}

static void p_store_n(struct job *j, uint8_t *u)
{
	mb_copy_n((struct mb_n *)(j->target + 16), (const struct mb_n *)u);
}

static void p_big_load(struct job *j, uint8_t *u)
{
	mb_copy_big((struct mb_big *)u, (const struct mb_big *)(j->target + 32));
}

static void p_big_store(struct job *j, uint8_t *u)
{
	mb_copy_big((struct mb_big *)(j->target + 32), (const struct mb_big *)u);
}

static void p_big_both(struct job *j, uint8_t *u)
{
	mb_copy_big((struct mb_big *)(j->target + 128), (const struct mb_big *)(j->target + 32));
}

static void p_memcpy_load(struct job *j, uint8_t *u)
{
	mb_memcpy(u, j->target + 8, 48);
}

static void p_memcpy_store(struct job *j, uint8_t *u)
{
	mb_memcpy(j->target + 8, u, 48);
}

/* Both sides in kernel pages: the checker's memcpy checks the source first. */
static void p_memcpy_both(struct job *j, uint8_t *u)
{
	mb_memcpy(j->target + 128, j->target + 8, 48);
}

static void p_memset(struct job *j, uint8_t *u)
{
	mb_memset(j->target + 8, 0x5a, 48);
}

static void p_memmove_load(struct job *j, uint8_t *u)
{
	mb_memmove(u, j->target + 8, 48);
}

static void p_memmove_store(struct job *j, uint8_t *u)
{
	mb_memmove(j->target + 8, u, 48);
}

/* The target is zeroed before each probe: the source string is "". */
static void p_strcpy_load(struct job *j, uint8_t *u)
{
	mb_strcpy((char *)u, (const char *)(j->target + 8));
}

static void p_strcpy_store(struct job *j, uint8_t *u)
{
	mb_strcpy((char *)(j->target + 8), (const char *)u);
}

static void p_atomic_add(struct job *j, uint8_t *u)
{
	j->got = (uint32_t)mb_atomic_add((int *)(j->target + 4));
}

struct probe {
	const char *name;
	void (*run)(struct job *j, uint8_t *scratch);
	struct verdict kernel; /* aimed at a kernel-heap page */
};

/* Each access to a kernel page is a ring violation (26) at the address it starts at. */
#define KPAGE(...) { true, SOFSIM_EXCCAUSE_LOAD_STORE_RING, __VA_ARGS__ }

static const struct probe probes[] = {
	{ "load1", p_load1, KPAGE("load", 1) },
	{ "load2", p_load2, KPAGE("load", 2) },
	{ "load4", p_load4, KPAGE("load", 4) },
	{ "load8", p_load8, KPAGE("load", 8) },
	{ "load16", p_load16, KPAGE("load", 16) },
	/* GCC: storeN on the stack passes, then loadN faults; Clang: memcpy, source first. */
	{ "loadN (40-byte struct)", p_load_n, KPAGE("load", 16) },
	{ "store1", p_store1, KPAGE("store", 1) },
	{ "store2", p_store2, KPAGE("store", 2) },
	{ "store4", p_store4, KPAGE("store", 4) },
	{ "store8", p_store8, KPAGE("store", 8) },
	{ "store16", p_store16, KPAGE("store", 16) },
	{ "storeN (40-byte struct)", p_store_n, KPAGE("store", 16) },
	{ "64-byte struct load", p_big_load, KPAGE("load", 32) },
	{ "64-byte struct store", p_big_store, KPAGE("store", 32) },
	{ "64-byte struct, both sides", p_big_both, KPAGE(BIG_COPY_FIRST_SIDE) },
	{ "memcpy load side", p_memcpy_load, KPAGE("load", 8) },
	{ "memcpy store side", p_memcpy_store, KPAGE("store", 8) },
	{ "memcpy both sides", p_memcpy_both, KPAGE("load", 8) },
	{ "memset", p_memset, KPAGE("store", 8) },
	{ "memmove load side", p_memmove_load, KPAGE("load", 8) },
	{ "memmove store side", p_memmove_store, KPAGE("store", 8) },
	{ "strcpy load side", p_strcpy_load, KPAGE("load", 8) },
	{ "strcpy store side", p_strcpy_store, KPAGE("store", 8) },
	/* One check per RMW: both compilers emit store4 only. Keep it last (see the LL test). */
	{ "atomic fetch_add", p_atomic_add, KPAGE("store", 4) },
};

/* ---- scene and probe runner ---- */

static void scene_init(struct scene *s, enum sofsim_threads carrier)
{
	struct sofsim_partition ll = { .attr = SOFSIM_PART_RW, .name = "ll" };

	memset(s, 0, sizeof(*s));
	s->sim = test_sim_faulting(carrier, SOFSIM_PROT_ENFORCE_CHECK);
	s->kernel_block = sofsim_heap_alloc(sofsim_kernel_heap(s->sim), BLOCK_BYTES, "matrix");
	s->user_block = sofsim_heap_alloc(sofsim_ll_user_heap(s->sim), BLOCK_BYTES, "matrix");
	assert_non_null(s->kernel_block);
	assert_non_null(s->user_block);
	sofsim_heap_bounds(sofsim_ll_user_heap(s->sim), &ll.start, &ll.size);
	assert_int_equal(sofsim_domain_create(s->sim, "ll", &s->dom), 0);
	assert_int_equal(sofsim_domain_add_partition(s->dom, &ll), 0);
}

static void scene_fini(struct scene *s)
{
	assert_int_equal(sofsim_heap_free(sofsim_kernel_heap(s->sim), s->kernel_block), 0);
	assert_int_equal(sofsim_heap_free(sofsim_ll_user_heap(s->sim), s->user_block), 0);
	sofsim_destroy(s->sim);
}

static void probe_thread(void *arg)
{
	struct job *j = arg;
	uint8_t scratch[SCRATCH_BYTES] __attribute__((aligned(16)));

	/* A short NUL-terminated string at the start, for the strcpy probes. */
	memset(scratch, 'u', sizeof(scratch));
	scratch[7] = '\0';
	j->run(j, scratch);
	j->done = true;
}

/* Run @j in a new user thread of @dom, until it ends (normally or by its fault). */
static void run_job(struct scene *s, struct sofsim_domain *dom, struct job *j)
{
	struct sofsim_thread_attr a = { .name = "probe", .prio = -1, .core = 0, .user = true };
	struct sofsim_thread *t;

	sofsim_fault_clear(s->sim);
	j->done = false;
	assert_int_equal(sofsim_thread_create(s->sim, &a, probe_thread, j, &t), 0);
	assert_int_equal(sofsim_domain_add_thread(dom, t), 0);
	assert_int_equal(sofsim_run_until_idle(s->sim, SOFSIM_TIME_NEVER), 0);
	assert_true(sofsim_thread_ended(t));
	assert_int_equal(sofsim_thread_release(t), 0);
}

/* The faults @j left behind must be exactly what @want says, with @base the address @want counts from. */
static void expect_verdict(struct scene *s, const char *what, const struct job *j, const struct verdict *want,
			   uintptr_t base)
{
	struct sofsim_fault f;
	size_t n = sofsim_fault_count(s->sim);

	if (!want->faults) {
		if (n != 0 || !j->done)
			fail_msg("%s: expected no fault, got %zu (thread %s)", what, n,
				 j->done ? "finished" : "did not finish");
		return;
	}
	if (n != 1 || j->done)
		fail_msg("%s: expected exactly one fault, got %zu (thread %s)", what, n,
			 j->done ? "finished" : "did not finish");
	assert_int_equal(sofsim_fault_get(s->sim, 0, &f), 0);
	if (f.kind != SOFSIM_FAULT_ACCESS || f.reason != SOFSIM_REASON_CPU_EXCEPTION || f.exccause != want->cause ||
	    f.excvaddr != base + want->offset || strcmp(f.op, want->op) != 0 || !f.user)
		fail_msg("%s: got kind %u reason %u cause %u op %s at %#lx (+%ld); want reason 0 cause %u op %s at +%zu",
			 what, f.kind, f.reason, f.exccause, f.op, (unsigned long)f.excvaddr,
			 (long)(f.excvaddr - base), want->cause, want->op, want->offset);
}

/* ---- the matrix ---- */

static void run_matrix(struct scene *s, uint8_t *target, bool kernel)
{
	static const struct verdict allowed = { false, 0, NULL, 0 };
	const size_t count = sizeof(probes) / sizeof(probes[0]);

	for (size_t i = 0; i < count; i++) {
		struct job j = { .run = probes[i].run, .target = target };

		memset(target, 0, BLOCK_BYTES);
		run_job(s, s->dom, &j);
		expect_verdict(s, probes[i].name, &j, kernel ? &probes[i].kernel : &allowed, (uintptr_t)target);
	}
}

static void test_each_access_kind_into_a_kernel_page_faults_once(void **state)
{
	struct scene s;

	scene_init(&s, carrier_of(state));
	run_matrix(&s, s.kernel_block, true);
	scene_fini(&s);
}

static void test_each_access_kind_into_the_ll_user_heap_is_allowed(void **state)
{
	struct scene s;

	scene_init(&s, carrier_of(state));
	run_matrix(&s, s.user_block, false);
	/* The accesses really happened: the atomic add was the last writer of word 1. */
	assert_int_equal(((uint32_t *)s.user_block)[1], 1);
	scene_fini(&s);
}

/* ---- named globals ---- */

static void g_ext_read(struct job *j, uint8_t *u)
{
	j->got = mb_ext_read();
}

static void g_ext_write(struct job *j, uint8_t *u)
{
	mb_ext_write(j->value);
}

static void g_static_read(struct job *j, uint8_t *u)
{
	j->got = mb_static_read();
}

static void g_static_write(struct job *j, uint8_t *u)
{
	mb_static_write(j->value);
}

static void test_named_globals_get_the_verdict_each_compiler_gives(void **state)
{
	static void (*const run[G_COUNT])(struct job *, uint8_t *) = {
		[G_EXT_READ] = g_ext_read,
		[G_EXT_WRITE] = g_ext_write,
		[G_STATIC_READ] = g_static_read,
		[G_STATIC_WRITE] = g_static_write,
	};
	static const char *const names[G_COUNT] = {
		[G_EXT_READ] = "read of an extern global",
		[G_EXT_WRITE] = "write of an extern global",
		[G_STATIC_READ] = "read of a file-static global",
		[G_STATIC_WRITE] = "write of a file-static global",
	};
	struct scene s;

	scene_init(&s, carrier_of(state));
	for (int g = 0; g < G_COUNT; g++) {
		struct job j = { .run = run[g], .value = 0xc0de0000u + (uint32_t)g };
		bool ext = g == G_EXT_READ || g == G_EXT_WRITE;
		bool write = g == G_EXT_WRITE || g == G_STATIC_WRITE;
		uint32_t before = 0x5eed0000u + (uint32_t)g;

		/* Set from the host (not checked there) so a read's result is known. */
		matrix_ext_global = before;
		mb_static_write(before);
		run_job(&s, s.dom, &j);
		expect_verdict(&s, names[g], &j, &global_verdicts[g],
			       ext ? (uintptr_t)&matrix_ext_global : 0);
		if (write)
			assert_int_equal(ext ? matrix_ext_global : mb_static_read(),
					 global_verdicts[g].faults ? before : j.value);
		else if (!global_verdicts[g].faults)
			assert_int_equal(j.got, before);
	}
	scene_fini(&s);
}

/* ---- the user-data section ---- */

static void ud_write(struct job *j, uint8_t *u)
{
	mb_store4(j->target, j->value);
}

static void ud_read(struct job *j, uint8_t *u)
{
	j->got = mb_load4(j->target);
}

static void test_user_data_global_needs_the_user_data_partition(void **state)
{
	static const struct verdict allowed = { false, 0, NULL, 0 };
	static const struct verdict store_denied = { true, SOFSIM_EXCCAUSE_STORE_PROHIBITED, "store", 0 };
	static const struct verdict load_denied = { true, SOFSIM_EXCCAUSE_LOAD_PROHIBITED, "load", 0 };
	uint32_t *word = mb_user_data_word();
	struct sofsim_partition ll = { .attr = SOFSIM_PART_RW, .name = "ll" }, ud;
	struct sofsim_domain *with_ud;
	struct scene s;
	struct job j;

	scene_init(&s, carrier_of(state));
	assert_int_equal(sofsim_user_data_partition(&ud), 0);
	assert_true((uintptr_t)word >= ud.start && (uintptr_t)word - ud.start < ud.size);
	sofsim_heap_bounds(sofsim_ll_user_heap(s.sim), &ll.start, &ll.size);
	assert_int_equal(sofsim_domain_create(s.sim, "ll+user_data", &with_ud), 0);
	assert_int_equal(sofsim_domain_add_partition(with_ud, &ll), 0);
	assert_int_equal(sofsim_domain_add_partition(with_ud, &ud), 0);

	*word = 7;
	j = (struct job){ .run = ud_write, .target = (uint8_t *)word, .value = 0xabcd };
	run_job(&s, with_ud, &j);
	expect_verdict(&s, "user-data store with the partition", &j, &allowed, 0);
	assert_int_equal(*word, 0xabcd);
	j = (struct job){ .run = ud_read, .target = (uint8_t *)word };
	run_job(&s, with_ud, &j);
	expect_verdict(&s, "user-data load with the partition", &j, &allowed, 0);
	assert_int_equal(j.got, 0xabcd);

	/* Outside the arena and not in the domain: not mapped for user mode. */
	j = (struct job){ .run = ud_write, .target = (uint8_t *)word, .value = 0x1111 };
	run_job(&s, s.dom, &j);
	expect_verdict(&s, "user-data store without the partition", &j, &store_denied, (uintptr_t)word);
	assert_int_equal(*word, 0xabcd);
	j = (struct job){ .run = ud_read, .target = (uint8_t *)word };
	run_job(&s, s.dom, &j);
	expect_verdict(&s, "user-data load without the partition", &j, &load_denied, (uintptr_t)word);
	scene_fini(&s);
}

/* ---- page granularity ---- */

static void store_byte(struct job *j, uint8_t *u)
{
	mb_store1(j->target, 0xee);
}

static void test_one_byte_past_a_user_block_faults_only_in_byte_exact_mode(void **state)
{
	static const struct verdict allowed = { false, 0, NULL, 0 };
	static const struct verdict denied = { true, SOFSIM_EXCCAUSE_STORE_PROHIBITED, "store", 0 };
	struct scene s;
	struct job j;
	uint8_t *p;

	scene_init(&s, carrier_of(state));
	/* 64-aligned: byte 40 is in the same page as the block. */
	p = sofsim_heap_alloc_aligned(sofsim_ll_user_heap(s.sim), 40, 64, "matrix");
	assert_non_null(p);
	assert_int_equal((uintptr_t)p / SOFSIM_PAGE_BYTES, (uintptr_t)(p + 40) / SOFSIM_PAGE_BYTES);

	/*
	 * Page mode: the MMU sees a writable page, so the overrun lands (in the
	 * block's padding). Memcheck would rightly call it an invalid write:
	 * open that one byte to it for the deliberate store, then close it.
	 */
	sofsim__vg_undefined(p + 40, 1);
	j = (struct job){ .run = store_byte, .target = p + 40 };
	run_job(&s, s.dom, &j);
	sofsim__vg_noaccess(p + 40, 1);
	expect_verdict(&s, "1 byte past the block, page mode", &j, &allowed, 0);

	s.sim->verify_byte_exact = true;
	j = (struct job){ .run = store_byte, .target = p + 39 };
	run_job(&s, s.dom, &j);
	expect_verdict(&s, "last byte of the block, byte-exact mode", &j, &allowed, 0);
	assert_int_equal(p[39], 0xee);
	j = (struct job){ .run = store_byte, .target = p + 40 };
	run_job(&s, s.dom, &j);
	expect_verdict(&s, "1 byte past the block, byte-exact mode", &j, &denied, (uintptr_t)(p + 40));

	assert_int_equal(sofsim_heap_free(sofsim_ll_user_heap(s.sim), p), 0);
	scene_fini(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CARRIER_TESTS(test_each_access_kind_into_a_kernel_page_faults_once),
		CARRIER_TESTS(test_each_access_kind_into_the_ll_user_heap_is_allowed),
		CARRIER_TESTS(test_named_globals_get_the_verdict_each_compiler_gives),
		CARRIER_TESTS(test_user_data_global_needs_the_user_data_partition),
		CARRIER_TESTS(test_one_byte_past_a_user_block_faults_only_in_byte_exact_mode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
