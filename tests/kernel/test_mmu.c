/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * enforce=mmu: real page protection of the DSP arena. Plain stores that no
 * compiler instrumented (a volatile pointer, libc's memset) from a user
 * thread into a kernel page fault once with EXCCAUSE 26 at their address,
 * a store to a read-only partition with 29, and the DSP halts even under
 * kill-thread; the thread's own stack and partitions, syscalls and kernel
 * threads work; a view change costs a bounded number of mprotect() calls;
 * one context at a time holds the mode; a SIGSEGV that is not the model's
 * stays a crash. Skips (77) where the mode is refused (ASan builds).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sofsim/fault.h"
#include "sofsim/mem.h"
#include "sofsim/object.h"

#include "sim_test.h"

#define PAGE 4096u
#define STACK (64 * 1024)

struct scene {
	struct sofsim *sim;
	FILE *rep;
	char *rep_buf;
	size_t rep_len;
	struct test_trace tr;
	uint8_t *kblock;   /* a kernel-heap block: not in any user view */
	uint8_t *ublock;   /* an LL user heap block: the domain's RW partition */
	uint8_t *ro;       /* one arena page: the domain's read-only partition */
	struct sofsim_domain *dom;
	struct sofsim_sem *sem;
	struct sofsim_thread *t;
	void (*body)(struct scene *s);
	unsigned runs;     /* mappings of the arena while the user view was applied (/proc/self/maps) */
	uint64_t d_mprotect, d_switches; /* over one syscall round trip */
};

static void scene_open(struct scene *s, void **state, enum sofsim_fault_policy policy)
{
	struct sofsim_config cfg;
	char why[256] = "";
	uintptr_t base;
	size_t size;

	memset(s, 0, sizeof(*s));
	s->rep = open_memstream(&s->rep_buf, &s->rep_len);
	assert_non_null(s->rep);
	sofsim_config_init(&cfg);
	cfg.threads = carrier_of(state);
	cfg.protection = SOFSIM_PROT_ENFORCE_MMU;
	cfg.fault_policy = policy;
	if (sofsim_create(&s->sim, &cfg, why, sizeof(why)))
		fail_msg("sofsim_create: %s", why);
	sofsim_set_report_stream(s->sim, s->rep);
	/* A page of its own: the running thread's record is readable in its view (docs: gaps), a neighbour would be too. */
	s->kblock = sofsim_heap_alloc_aligned(sofsim_kernel_heap(s->sim), SOFSIM_PAGE_BYTES, SOFSIM_PAGE_BYTES, "test");
	s->ublock = sofsim_heap_alloc(sofsim_ll_user_heap(s->sim), 64, "test");
	assert_int_equal(sofsim_arena_take(s->sim, SOFSIM_ARENA_DSP, PAGE, (void **)&s->ro), 0);
	assert_int_equal(sofsim_domain_create(s->sim, "ll", &s->dom), 0);
	sofsim_heap_bounds(sofsim_ll_user_heap(s->sim), &base, &size);
	assert_int_equal(sofsim_domain_add_partition(s->dom, &(struct sofsim_partition){ base, size, SOFSIM_PART_RW, "ll" }), 0);
	assert_int_equal(sofsim_domain_add_partition(s->dom, &(struct sofsim_partition){ (uintptr_t)s->ro, PAGE, SOFSIM_PART_R, "ro" }), 0);
	assert_int_equal(sofsim_sem_create(s->sim, 0, 10, &s->sem), 0);
}

static void scene_close(struct scene *s)
{
	sofsim_destroy(s->sim); /* a thread parked by the halt is unwound here: must not hang */
	fclose(s->rep);
	free(s->rep_buf);
}

static void body_entry(void *arg)
{
	struct scene *s = arg;

	s->body(s);
}

static void run_body(struct scene *s, bool user, void (*body)(struct scene *s))
{
	struct sofsim_thread_attr a = { .name = "ll_user0", .prio = -1, .core = 0, .user = user, .stack_bytes = STACK };

	s->body = body;
	assert_int_equal(sofsim_thread_create(s->sim, &a, body_entry, s, &s->t), 0);
	assert_int_equal(sofsim_domain_add_thread(s->dom, s->t), 0);
	sofsim_object_grant(s->sim, s->sem, s->t);
	assert_int_equal(sofsim_run_until_idle(s->sim, SOFSIM_TIME_NEVER), 0);
}

/* The one fault of the run, with what every fault caught by the MMU mode says. */
static struct sofsim_fault the_fault(struct scene *s, const char *op)
{
	struct sofsim_fault f;

	assert_int_equal(sofsim_fault_count(s->sim), 1);
	assert_int_equal(sofsim_fault_get(s->sim, 0, &f), 0);
	assert_int_equal(f.reason, SOFSIM_REASON_CPU_EXCEPTION);
	assert_int_equal(f.kind, SOFSIM_FAULT_ACCESS);
	assert_int_equal(f.tid, sofsim_thread_id(s->t));
	assert_string_equal(f.thread, "ll_user0");
	assert_string_equal(f.op, op);
	assert_non_null(strstr(f.detail, "caught by enforce=mmu"));
	assert_non_null(strstr(f.detail, "handled as halt: not at a known unwind point"));
	assert_true(sofsim_halted(s->sim));
	return f;
}

/* ---- stores nobody instrumented ---- */

static void body_store_kernel(struct scene *s)
{
	volatile uint8_t *p = s->kblock + 5;

	trace_add(&s->tr, "start");
	*p = 1;
	trace_add(&s->tr, "not reached");
}

/* The host's own SIGSEGV handling works again once the run has halted. */
static void assert_sigsegv_not_blocked(void)
{
	sigset_t now;

	assert_int_equal(pthread_sigmask(SIG_BLOCK, NULL, &now), 0);
	assert_false(sigismember(&now, SIGSEGV));
}

static void test_plain_store_to_kernel_heap_is_cause_26_and_halts(void **state)
{
	struct sofsim_fault f;
	struct scene s;

	scene_open(&s, state, SOFSIM_FAULT_HALT);
	run_body(&s, true, body_store_kernel);
	/* The fiber parked inside the handler, where SIGSEGV is blocked, and the switch keeps the mask. */
	assert_sigsegv_not_blocked();
	assert_string_equal(s.tr.text, "start ");
	f = the_fault(&s, "store");
	assert_int_equal(f.exccause, SOFSIM_EXCCAUSE_LOAD_STORE_RING);
	assert_true(f.excvaddr == (uintptr_t)s.kblock + 5);
	fflush(s.rep);
	assert_non_null(strstr(s.rep_buf, ">>> ZEPHYR FATAL ERROR 0: CPU exception on CPU 0"));
	scene_close(&s);
}

/* Kill-thread cannot unwind from inside arbitrary code: the MMU mode halts anyway and says why. */
static void test_kill_thread_policy_still_halts(void **state)
{
	struct sofsim_fault f;
	struct scene s;

	scene_open(&s, state, SOFSIM_FAULT_KILL_THREAD);
	run_body(&s, true, body_store_kernel);
	assert_string_equal(s.tr.text, "start ");
	f = the_fault(&s, "store");
	assert_int_equal(f.exccause, SOFSIM_EXCCAUSE_LOAD_STORE_RING);
	assert_false(sofsim_thread_ended(s.t)); /* parked with the DSP, unwound by destroy */
	scene_close(&s);
}

static void body_load_kernel(struct scene *s)
{
	volatile const uint8_t *p = s->kblock + 9;

	trace_add(&s->tr, "read=%u", *p);
}

static void test_plain_load_from_kernel_heap_is_cause_26(void **state)
{
	struct sofsim_fault f;
	struct scene s;

	scene_open(&s, state, SOFSIM_FAULT_HALT);
	run_body(&s, true, body_load_kernel);
	assert_string_equal(s.tr.text, "");
	f = the_fault(&s, "load");
	assert_int_equal(f.exccause, SOFSIM_EXCCAUSE_LOAD_STORE_RING);
	assert_true(f.excvaddr == (uintptr_t)s.kblock + 9);
	scene_close(&s);
}

static void body_store_ro(struct scene *s)
{
	volatile uint8_t *p = s->ro + 100;

	trace_add(&s->tr, "read=%u", *p); /* readable: the partition is R */
	*p = 7;
	trace_add(&s->tr, "not reached");
}

static void test_store_to_read_only_partition_is_cause_29(void **state)
{
	struct sofsim_fault f;
	struct scene s;

	scene_open(&s, state, SOFSIM_FAULT_HALT);
	run_body(&s, true, body_store_ro);
	assert_string_equal(s.tr.text, "read=0 ");
	f = the_fault(&s, "store");
	assert_int_equal(f.exccause, SOFSIM_EXCCAUSE_STORE_PROHIBITED);
	assert_true(f.excvaddr == (uintptr_t)s.ro + 100);
	scene_close(&s);
}

static void body_memset_kernel(struct scene *s)
{
	trace_add(&s->tr, "start");
	memset(s->kblock, 0xa5, 64); /* libc's code: no instrumentation could see this */
	trace_add(&s->tr, "not reached");
}

static void test_libc_memset_into_kernel_page_is_caught(void **state)
{
	struct sofsim_fault f;
	struct scene s;

	scene_open(&s, state, SOFSIM_FAULT_HALT);
	run_body(&s, true, body_memset_kernel);
	assert_string_equal(s.tr.text, "start ");
	f = the_fault(&s, "store");
	assert_int_equal(f.exccause, SOFSIM_EXCCAUSE_LOAD_STORE_RING);
	/* Where in the block the first faulting store lands is libc's choice. */
	assert_true(f.excvaddr >= (uintptr_t)s.kblock && f.excvaddr < (uintptr_t)s.kblock + 64);
	assert_int_not_equal(s.kblock[0], 0xa5);
	scene_close(&s);
}

/* ---- what the view allows ---- */

/*
 * Mappings of [base, base + size) in /proc/self/maps (adjacent pages of one
 * protection are one mapping), only those whose permissions start with
 * @perms when it is not NULL ("---" for PROT_NONE).
 */
static unsigned count_mappings_with(uintptr_t base, size_t size, const char *perms)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	unsigned n = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char *end;
		unsigned long lo = strtoul(line, &end, 16);
		const char *p = strchr(end, ' ');

		if (lo >= base && lo < base + size && (!perms || (p && !strncmp(p + 1, perms, strlen(perms)))))
			n++;
	}
	fclose(f);
	return n;
}

static unsigned count_mappings(uintptr_t base, size_t size)
{
	return count_mappings_with(base, size, NULL);
}

static void body_allowed(struct scene *s)
{
	volatile uint8_t local[256];
	struct sofsim_stats a, b;
	uintptr_t base;
	size_t size;

	memset((void *)local, 1, sizeof(local)); /* own stack */
	memset(s->ublock, 2, 64);                /* RW partition */
	trace_add(&s->tr, "stack=%u user=%u ro=%u", local[7], s->ublock[63], s->ro[0]);
	sofsim_arena_bounds(s->sim, SOFSIM_ARENA_DSP, &base, &size);
	s->runs = count_mappings(base, size);
	sofsim_stats_get(s->sim, &a);
	sofsim_sem_give(s->sem); /* a syscall: the gate opens the kernel view and closes it again */
	sofsim_stats_get(s->sim, &b);
	s->d_mprotect = b.mprotect_calls - a.mprotect_calls;
	s->d_switches = b.view_switches - a.view_switches;
	memset(s->ublock, 3, 64); /* the user view is back and still allows this */
	trace_add(&s->tr, "done");
}

static void test_own_stack_partitions_and_syscalls_work(void **state)
{
	struct sofsim_stats st;
	struct scene s;
	uintptr_t base;
	size_t size;

	scene_open(&s, state, SOFSIM_FAULT_HALT);
	run_body(&s, true, body_allowed);
	assert_string_equal(s.tr.text, "stack=1 user=2 ro=0 done ");
	assert_int_equal(sofsim_fault_count(s.sim), 0);
	assert_false(sofsim_halted(s.sim));
	assert_true(sofsim_thread_ended(s.t));
	assert_int_equal(sofsim_sem_count_get(s.sem), 1);
	assert_int_equal(s.ublock[0], 3);
	/* Into the kernel view and back: two changes, each at most 2 x (runs of the view) + 2 calls. */
	assert_int_equal(s.d_switches, 2);
	assert_true(s.runs >= 3); /* at least: kernel pages, the RW partition's pages, more kernel pages */
	assert_true(s.d_mprotect >= 2);
	assert_true(s.d_mprotect <= 2 * (2 * (uint64_t)s.runs + 2));
	sofsim_stats_get(s.sim, &st);
	assert_true(st.view_switches >= 4); /* start, the round trip, the end */
	assert_true(st.mprotect_calls >= st.view_switches);
	/* Back in the kernel view: all RW but the guard page below the (ended, unreleased) thread's stack. */
	sofsim_arena_bounds(s.sim, SOFSIM_ARENA_DSP, &base, &size);
	assert_int_equal(count_mappings_with(base, size, "---"), 1);
	assert_int_equal(count_mappings(base, size), 3);
	scene_close(&s);
}

static void test_kernel_threads_are_not_restricted(void **state)
{
	struct sofsim_stats st;
	struct scene s;

	scene_open(&s, state, SOFSIM_FAULT_HALT);
	run_body(&s, false, body_memset_kernel);
	assert_string_equal(s.tr.text, "start not reached ");
	assert_int_equal(sofsim_fault_count(s.sim), 0);
	assert_int_equal(s.kblock[63], 0xa5);
	sofsim_stats_get(s.sim, &st);
	assert_int_equal(st.view_switches, 0);
	assert_int_equal(st.mprotect_calls, 0);
	scene_close(&s);
}

/* ---- token hand-offs between views ---- */

#define ROUNDS 20

static struct sofsim_sem *g_pong; /* the second semaphore of the ping-pong */

static void body_ping(struct scene *s)
{
	for (int i = 0; i < ROUNDS; i++) {
		s->ublock[0]++;
		sofsim_sem_give(g_pong);
		sofsim_sem_take(s->sem, SOFSIM_FOREVER);
	}
	trace_add(&s->tr, "ping=%u", s->ublock[0]);
}

static void pong_entry(void *arg)
{
	struct scene *s = arg;

	for (int i = 0; i < ROUNDS; i++) {
		sofsim_sem_take(g_pong, SOFSIM_FOREVER);
		if (s->ro[PAGE - 1] == 0) /* its own domain: the read-only page, and the heap */
			s->ublock[1]++;
		sofsim_sem_give(s->sem);
	}
}

/* User thread -> kernel -> user thread of another domain, and back, many times. */
static void test_user_threads_of_two_domains_hand_off(void **state)
{
	struct sofsim_thread_attr a = { .name = "pong", .prio = -1, .core = 0, .user = true, .stack_bytes = STACK };
	struct sofsim_domain *dom2;
	struct sofsim_thread *pong;
	struct sofsim_stats st;
	struct scene s;
	uintptr_t base;
	size_t size;

	scene_open(&s, state, SOFSIM_FAULT_HALT);
	assert_int_equal(sofsim_sem_create(s.sim, 0, 1, &g_pong), 0);
	assert_int_equal(sofsim_domain_create(s.sim, "pong", &dom2), 0);
	sofsim_heap_bounds(sofsim_ll_user_heap(s.sim), &base, &size);
	assert_int_equal(sofsim_domain_add_partition(dom2, &(struct sofsim_partition){ base, size, SOFSIM_PART_RW, "ll" }), 0);
	assert_int_equal(sofsim_domain_add_partition(dom2, &(struct sofsim_partition){ (uintptr_t)s.ro, PAGE, SOFSIM_PART_R, "ro" }), 0);
	assert_int_equal(sofsim_thread_create(s.sim, &a, pong_entry, &s, &pong), 0);
	assert_int_equal(sofsim_domain_add_thread(dom2, pong), 0);
	sofsim_object_grant(s.sim, s.sem, pong);
	sofsim_object_grant(s.sim, g_pong, pong);
	s.body = body_ping;
	a.name = "ll_user0";
	assert_int_equal(sofsim_thread_create(s.sim, &a, body_entry, &s, &s.t), 0);
	assert_int_equal(sofsim_domain_add_thread(s.dom, s.t), 0);
	sofsim_object_grant(s.sim, s.sem, s.t);
	sofsim_object_grant(s.sim, g_pong, s.t);
	assert_int_equal(sofsim_run_until_idle(s.sim, SOFSIM_TIME_NEVER), 0);
	assert_string_equal(s.tr.text, "ping=20 ");
	assert_int_equal(s.ublock[1], ROUNDS);
	assert_int_equal(sofsim_fault_count(s.sim), 0);
	sofsim_stats_get(s.sim, &st);
	assert_true(st.view_switches >= 4 * ROUNDS);
	assert_int_equal(sofsim_domain_remove_partition(dom2, &(struct sofsim_partition){ base, size, SOFSIM_PART_RW, "ll" }), 0);
	assert_int_equal(sofsim_domain_remove_partition(dom2, &(struct sofsim_partition){ (uintptr_t)s.ro, PAGE, SOFSIM_PART_R, "ro" }), 0);
	sofsim_domain_destroy(dom2);
	scene_close(&s);
}

static void child_gives(void *arg)
{
	struct scene *s = arg;

	s->ublock[2] = 42;
	sofsim_sem_give(s->sem);
}

/* A user thread starts another (a syscall): the new host thread must be parked before the view closes. */
static void body_spawner(struct scene *s)
{
	struct sofsim_thread_attr a = { .name = "child", .prio = -1, .core = 0, .user = true, .stack_bytes = STACK };
	struct sofsim_thread *child = NULL;

	trace_add(&s->tr, "create=%d", sofsim_thread_create(s->sim, &a, child_gives, s, &child));
	sofsim_object_grant(s->sim, s->sem, child);
	trace_add(&s->tr, "take=%d", sofsim_sem_take(s->sem, SOFSIM_FOREVER));
	trace_add(&s->tr, "child=%u", s->ublock[2]);
}

static void test_user_thread_starts_user_thread(void **state)
{
	struct scene s;

	scene_open(&s, state, SOFSIM_FAULT_HALT);
	run_body(&s, true, body_spawner);
	assert_string_equal(s.tr.text, "create=0 take=0 child=42 ");
	assert_int_equal(sofsim_fault_count(s.sim), 0);
	scene_close(&s);
}

static void body_block(struct scene *s)
{
	trace_add(&s->tr, "blocking");
	sofsim_sem_take(s->sem, SOFSIM_FOREVER);
	trace_add(&s->tr, "not reached");
}

static void test_destroy_unwinds_blocked_user_thread(void **state)
{
	struct scene s;

	scene_open(&s, state, SOFSIM_FAULT_HALT);
	run_body(&s, true, body_block);
	assert_string_equal(s.tr.text, "blocking ");
	assert_int_equal(sofsim_fault_count(s.sim), 0);
	scene_close(&s); /* resumed in its syscall, unwound with kernel rights */
}

/* Not a tail call, and a frame the compiler keeps: the stack runs into its guard page. */
static unsigned recurse(volatile uint8_t *prev, unsigned depth)
{
	volatile uint8_t frame[512];

	if (depth > (1u << 20)) /* never: a 64 KiB stack ends long before */
		return 0;
	frame[0] = (uint8_t)depth;
	frame[511] = prev ? prev[0] : 0;
	return recurse(frame, depth + 1) + frame[511];
}

static void body_overflow(struct scene *s)
{
	trace_add(&s->tr, "start");
	trace_add(&s->tr, "%u", recurse(NULL, 0));
}

/* The handler runs on a stack of its own, so even an overflow into the guard page is a fault record. */
static void test_stack_overflow_into_guard_page_is_caught(void **state)
{
	struct sofsim_fault f;
	struct scene s;

	scene_open(&s, state, SOFSIM_FAULT_HALT);
	run_body(&s, true, body_overflow);
	assert_string_equal(s.tr.text, "start ");
	f = the_fault(&s, "store");
	assert_int_equal(f.exccause, SOFSIM_EXCCAUSE_LOAD_STORE_RING);
	assert_non_null(strstr(f.detail, "stack guard page"));
	scene_close(&s);
}

/* ---- one context at a time ---- */

static void test_second_mmu_context_refused_while_first_lives(void **state)
{
	struct sofsim_config cfg;
	struct sofsim *a = NULL, *b = NULL;
	char why[256] = "";

	sofsim_config_init(&cfg);
	cfg.threads = carrier_of(state);
	cfg.protection = SOFSIM_PROT_ENFORCE_MMU;
	assert_int_equal(sofsim_create(&a, &cfg, why, sizeof(why)), 0);
	assert_int_equal(sofsim_config_check(&cfg, why, sizeof(why)), -EBUSY);
	assert_non_null(strstr(why, "another context"));
	why[0] = '\0';
	assert_int_equal(sofsim_create(&b, &cfg, why, sizeof(why)), -EBUSY);
	assert_null(b);
	assert_non_null(strstr(why, "process-wide"));
	cfg.protection = SOFSIM_PROT_ENFORCE_CHECK; /* other modes are not affected */
	assert_int_equal(sofsim_create(&b, &cfg, NULL, 0), 0);
	sofsim_destroy(b);
	sofsim_destroy(a);
	cfg.protection = SOFSIM_PROT_ENFORCE_MMU;
	assert_int_equal(sofsim_config_check(&cfg, NULL, 0), 0);
	assert_int_equal(sofsim_create(&b, &cfg, NULL, 0), 0);
	sofsim_destroy(b);
}

/* A snapshot needs the arena readable and writable by the host at any time, which a user view denies. */
static void test_snapshot_refused(void **state)
{
	struct scene s;
	char why[192] = "";

	scene_open(&s, state, SOFSIM_FAULT_HALT);
	assert_int_equal(sofsim_snapshot(s.sim, why, sizeof(why)), -EOPNOTSUPP);
	assert_string_equal(why, "sofsim_snapshot: not under enforce=mmu (each view re-protects arena pages, which the copy and the write tracking need as they are)");
	assert_int_equal(sofsim_reset(s.sim), -ENOENT);
	scene_close(&s);
}

/* ---- a SIGSEGV that is not the model's stays a crash ---- */

static volatile uintptr_t g_wild = 0x10; /* host memory, nowhere near the arena (volatile: no warning) */

static void body_wild(struct scene *s)
{
	(void)s;
	*(volatile int *)g_wild = 1;
}

static void child_wild(enum sofsim_threads carrier)
{
	static const struct rlimit no_core = { 0, 0 };
	void *st[1] = { (void *)(uintptr_t)carrier };
	struct scene s;

	signal(SIGSEGV, SIG_DFL); /* not CMocka's handler: the crash must be the program's own */
	setrlimit(RLIMIT_CORE, &no_core);
	scene_open(&s, st, SOFSIM_FAULT_KILL_THREAD);
	run_body(&s, true, body_wild);
	_exit(3); /* the store was swallowed */
}

static void test_sigsegv_outside_arena_is_a_real_crash(void **state)
{
	int st = 0;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		child_wild(carrier_of(state));
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGSEGV);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CARRIER_TESTS(test_plain_store_to_kernel_heap_is_cause_26_and_halts),
		CARRIER_TESTS(test_kill_thread_policy_still_halts),
		CARRIER_TESTS(test_plain_load_from_kernel_heap_is_cause_26),
		CARRIER_TESTS(test_store_to_read_only_partition_is_cause_29),
		CARRIER_TESTS(test_libc_memset_into_kernel_page_is_caught),
		CARRIER_TESTS(test_own_stack_partitions_and_syscalls_work),
		CARRIER_TESTS(test_kernel_threads_are_not_restricted),
		CARRIER_TESTS(test_user_threads_of_two_domains_hand_off),
		CARRIER_TESTS(test_user_thread_starts_user_thread),
		CARRIER_TESTS(test_destroy_unwinds_blocked_user_thread),
		CARRIER_TESTS(test_stack_overflow_into_guard_page_is_caught),
		CARRIER_TESTS(test_second_mmu_context_refused_while_first_lives),
		CARRIER_TESTS(test_snapshot_refused),
		CARRIER_TESTS(test_sigsegv_outside_arena_is_a_real_crash),
	};
	struct sofsim_config cfg;
	char why[256] = "";

	sofsim_config_init(&cfg);
	cfg.protection = SOFSIM_PROT_ENFORCE_MMU;
	if (sofsim_config_check(&cfg, why, sizeof(why)) == -EOPNOTSUPP) {
		printf("skip: %s\n", why);
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
