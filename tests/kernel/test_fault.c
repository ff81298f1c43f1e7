/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Faults (userspace sheet §1.4, §1.5, bug classes 2, 9-12, 26): every
 * privileged operation and kernel-only API in user mode is one CPU
 * exception with cause 8 and is fine in kernel mode; a user read of a
 * kernel-only global is cause 26 at its address; the three policies (halt
 * the DSP, kill the thread, abort the process); expected faults; the fault
 * records; the printed Zephyr-shaped reports; SOFSIM_BREAK_ON_FAULT.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sofsim/arch.h"

#include "user_test.h"

static struct {
	int a, b;
} g_sof; /* a kernel-only global, like SOF's `sof` singleton (bug class 11) */
static int g_user_global;
static struct sofsim_spinlock g_lock;
static struct sofsim_work g_work;

/* A verify-mode context with one semaphore, sem[0] (count 0). */
static void open_scene(struct scene *s, void **state, enum sofsim_fault_policy policy)
{
	scene_open(s, state, SOFSIM_PROT_VERIFY, policy, false);
	assert_int_equal(sofsim_sem_create(s->sim, 0, 1, &s->sem[0]), 0);
}

/* ---- privileged operations ---- */

struct priv_op {
	const char *keyword; /* how the fault record names it */
	void (*run)(struct scene *s);
};

static void isr(void *arg)
{
	if (arg)
		trace_add(&((struct scene *)arg)->tr, "isr");
}

static void op_proc_id(struct scene *s) { trace_add(&s->tr, "proc=%u", sofsim_arch_proc_id(s->sim)); }
static void op_cycles(struct scene *s) { trace_add(&s->tr, "cycles=%" PRIu64, sofsim_cycle_get(s->sim)); }
static void op_spin_lock(struct scene *s) { sofsim_spin_lock(s->sim, &g_lock); }
static void op_spin_unlock(struct scene *s) { sofsim_spin_unlock(s->sim, &g_lock); }
static void op_wb(struct scene *s) { sofsim_dcache_writeback(s->sim, &g_lock, sizeof(g_lock)); }
static void op_inv(struct scene *s) { sofsim_dcache_invalidate(s->sim, &g_lock, sizeof(g_lock)); }
static void op_tlb(struct scene *s) { sofsim_tlb_invalidate(s->sim); }
static void op_irq_lock(struct scene *s) { trace_add(&s->tr, "key=%u", sofsim_irq_lock(s->sim)); }
static void op_irq_unlock(struct scene *s) { sofsim_irq_unlock(s->sim, 0); }
static void op_raise(struct scene *s) { trace_add(&s->tr, "raise=%d", sofsim_irq_raise(s->sim, 3)); }
static void op_revoke(struct scene *s) { sofsim_object_revoke(s->sim, s->sem[0], sofsim_thread_self(s->sim)); }

static void op_obj_free(struct scene *s)
{
	void *o = NULL;

	assert_int_equal(sofsim_object_alloc(s->sim, SOFSIM_OBJ_SEM, &o), 0); /* a syscall from user mode */
	sofsim_object_free(s->sim, o);
	trace_add(&s->tr, "freed");
}

static void op_create_destroy(struct scene *s)
{
	struct sofsim_sem *sem;
	struct sofsim_mutex *m;
	struct sofsim_kevent *ev;

	assert_int_equal(sofsim_sem_create(s->sim, 0, 1, &sem), 0);
	sofsim_sem_destroy(sem);
	assert_int_equal(sofsim_mutex_create(s->sim, &m), 0);
	sofsim_mutex_destroy(m);
	assert_int_equal(sofsim_kevent_create(s->sim, &ev), 0);
	sofsim_kevent_destroy(ev);
}

static void op_timer(struct scene *s)
{
	struct sofsim_timer *t;

	assert_int_equal(sofsim_timer_create(s->sim, 0, NULL, NULL, &t), 0);
	assert_int_equal(sofsim_timer_init(t, 1, NULL, NULL), 0); /* k_timer_init is not a syscall */
	sofsim_timer_destroy(t);
}

static void op_defines(struct scene *s)
{
	static atomic_int word;
	static struct sofsim_sys_mutex m;

	assert_int_equal(sofsim_futex_define(s->sim, &word), 0);
	assert_int_equal(sofsim_sys_mutex_define(s->sim, &m), 0);
}

static void op_irq_connect(struct scene *s)
{
	assert_int_equal(sofsim_irq_connect(s->sim, 4, 0, isr, NULL), 0);
	assert_int_equal(sofsim_irq_disconnect(s->sim, 4), 0);
}

/* Each is a privileged instruction (§1.5) or kernel code that is not a syscall (bug class 2). */
static const struct priv_op priv_ops[] = {
	{ "PRID", op_proc_id },           /* cpu_get_id() before it became a syscall (bug class 9) */
	{ "CCOUNT", op_cycles },          /* k_cycle_get (bug class 12) */
	{ "k_spin_lock", op_spin_lock },  /* bug class 11 */
	{ "k_spin_unlock", op_spin_unlock },
	{ "writeback", op_wb },
	{ "invalidate", op_inv },
	{ "TLB", op_tlb },
	{ "irq_lock", op_irq_lock },      /* bug class 10 */
	{ "irq_unlock", op_irq_unlock },
	{ "k_object_free", op_obj_free }, /* bug class 2 */
	{ "sofsim_sem_create", op_create_destroy },
	{ "sofsim_timer_create", op_timer },
	{ "sofsim_irq_raise", op_raise },
	{ "k_object_access_revoke", op_revoke },
	{ "sofsim_futex_define", op_defines },
	{ "sofsim_irq_connect", op_irq_connect },
};

static void priv_probe(void *arg)
{
	struct scene *s = arg;

	trace_add(&s->tr, "start");
	((const struct priv_op *)s->probe)->run(s);
	trace_add(&s->tr, "returned");
}

/* Run @op in a fresh user thread on core 1; the number of faults it caused, the record in @f. */
static size_t probe_user(struct scene *s, const struct priv_op *op, struct sofsim_thread **t, struct sofsim_fault *f)
{
	size_t n;

	s->probe = op;
	trace_reset(&s->tr);
	sofsim_fault_clear(s->sim);
	*t = spawn(s, "ll_user1", 5, 1, true, priv_probe, s);
	sofsim_object_grant(s->sim, s->sem[0], *t);
	run_idle(s);
	n = sofsim_fault_count(s->sim);
	if (n != 1 || sofsim_fault_get(s->sim, 0, f))
		memset(f, 0, sizeof(*f));
	return n;
}

static void test_privileged_ops_in_user_mode_are_cause_8(void **state)
{
	struct scene s;

	open_scene(&s, state, SOFSIM_FAULT_KILL_THREAD);
	assert_int_equal(sofsim_irq_connect(s.sim, 3, 1, isr, &s), 0);
	for (size_t i = 0; i < sizeof(priv_ops) / sizeof(priv_ops[0]); i++) {
		struct sofsim_thread *t;
		struct sofsim_fault f;
		char line[80];

		assert_int_equal(probe_user(&s, &priv_ops[i], &t, &f), 1);
		assert_string_equal(s.tr.text, "start "); /* it never returned */
		f = one_fault(&s, t);
		assert_int_equal(f.reason, SOFSIM_REASON_CPU_EXCEPTION);
		assert_int_equal(f.exccause, SOFSIM_EXCCAUSE_PRIVILEGED);
		assert_int_equal(f.kind, SOFSIM_FAULT_PRIV_OP);
		assert_true(f.user);
		assert_int_equal(f.core, 1);
		assert_string_equal(f.thread, "ll_user1");
		if (!strstr(f.op, priv_ops[i].keyword))
			fail_msg("op '%s' does not name '%s'", f.op, priv_ops[i].keyword);
		snprintf(line, sizeof(line), "Current thread: #%d (ll_user1)\n", f.tid);
		assert_non_null(strstr(report_new(&s), line));
	}
	/* The dump of a CPU exception (§1.4). */
	assert_non_null(strstr(report_all(&s), " ** FATAL EXCEPTION\n"));
	assert_non_null(strstr(report_all(&s), " ** CPU 1 EXCCAUSE 8 (privileged)\n"));
	assert_non_null(strstr(report_all(&s), ">>> ZEPHYR FATAL ERROR 0: CPU exception on CPU 1\n"));
	assert_false(sofsim_halted(s.sim));
	scene_close(&s);
}

static void kernel_runs_all(void *arg)
{
	struct scene *s = arg;

	sofsim_sleep(s->sim, MS);
	for (size_t i = 0; i < sizeof(priv_ops) / sizeof(priv_ops[0]); i++) {
		if (priv_ops[i].run == op_spin_unlock || priv_ops[i].run == op_irq_unlock)
			continue; /* run right after their lock */
		priv_ops[i].run(s);
		if (priv_ops[i].run == op_spin_lock)
			op_spin_unlock(s);
		if (priv_ops[i].run == op_irq_lock)
			op_irq_unlock(s);
	}
	trace_add(&s->tr, "granted=%d", sofsim_object_has_access(s->sim, s->sem[0], sofsim_thread_self(s->sim)));
}

static void test_privileged_ops_are_fine_in_kernel_mode(void **state)
{
	struct scene s;

	open_scene(&s, state, SOFSIM_FAULT_HALT);
	assert_int_equal(sofsim_irq_connect(s.sim, 3, 2, isr, &s), 0);
	spawn(&s, "ll_thread2", 5, 2, false, kernel_runs_all, &s);
	run_idle(&s);
	/*
	 * PRID = core 2. CCOUNT at 1 ms = 442.368 MHz * 1 ms = 442368 (§1.7).
	 * irq_lock's key is the nesting depth before it (0). The raise is a
	 * scheduling point with the core unmasked again, so the ISR runs inside it.
	 */
	assert_string_equal(s.tr.text, "proc=2 cycles=442368 key=0 freed isr raise=0 granted=0 ");
	assert_int_equal(sofsim_fault_count(s.sim), 0);
	assert_false(sofsim_halted(s.sim));
	scene_close(&s);
}

/*
 * Kernel APIs that are not syscalls in Zephyr either (k_mem_domain_*,
 * k_thread_cpu_pin, the k_work queue calls): from user mode they run kernel
 * code that takes a spinlock (RSIL), so on the DSP they end in EXCCAUSE 8
 * like k_object_free (bug class 2: "every other kernel-internal API asserts
 * supervisor mode"). Scratch: dyn = a domain, blk[0] = a work queue,
 * t[0] = a thread not yet started, pages = two arena pages.
 */
#define PART(s, page) (&(struct sofsim_partition){ (uintptr_t)(s)->pages + (page) * PAGE, PAGE, SOFSIM_PART_RW, "p" })

static void gap_domain_create(struct scene *s) { sofsim_domain_create(s->sim, "u", &(struct sofsim_domain *){ 0 }); }
static void gap_add_partition(struct scene *s) { sofsim_domain_add_partition(s->dyn, PART(s, 1)); }
static void gap_remove_partition(struct scene *s) { sofsim_domain_remove_partition(s->dyn, PART(s, 0)); }
static void gap_add_thread(struct scene *s) { sofsim_domain_add_thread(s->dyn, s->t[0]); }
static void gap_cpu_pin(struct scene *s) { sofsim_thread_cpu_pin(s->t[0], 2); }
static void gap_workq_create(struct scene *s) { sofsim_workq_create(s->sim, "q", 1, 0, &(struct sofsim_workq *){ 0 }); }
static void gap_work_submit(struct scene *s) { sofsim_work_submit(s->blk[0], &g_work); }
static void gap_domain_destroy(struct scene *s) { sofsim_domain_destroy(s->dyn); }

static const struct priv_op gap_ops[] = {
	{ "sofsim_domain_create", gap_domain_create },   { "sofsim_domain_add_partition", gap_add_partition },
	{ "sofsim_domain_remove_partition", gap_remove_partition }, { "sofsim_domain_add_thread", gap_add_thread },
	{ "sofsim_thread_cpu_pin", gap_cpu_pin },        { "sofsim_workq_create", gap_workq_create },
	{ "sofsim_work_submit", gap_work_submit },       { "sofsim_domain_destroy", gap_domain_destroy },
};

static void work_nop(struct sofsim_work *w)
{
	(void)w;
}

static void sleep_forever(void *arg)
{
	sofsim_sleep(((struct scene *)arg)->sim, UINT64_MAX);
}

static void test_kernel_only_domain_pin_and_workq_apis_are_cause_8_in_user_mode(void **state)
{
	char missing[512] = "";
	struct scene s;
	void *p;

	open_scene(&s, state, SOFSIM_FAULT_KILL_THREAD);
	assert_int_equal(sofsim_arena_take(s.sim, SOFSIM_ARENA_DSP, 2 * PAGE, &p), 0);
	s.pages = p;
	assert_int_equal(sofsim_domain_create(s.sim, "ll", (struct sofsim_domain **)&s.dyn), 0);
	assert_int_equal(sofsim_domain_add_partition(s.dyn, PART(&s, 0)), 0);
	assert_int_equal(sofsim_workq_create(s.sim, "wq", 1, 0, (struct sofsim_workq **)&s.blk[0]), 0);
	sofsim_work_init(&g_work, work_nop);
	s.t[0] = spawn(&s, "other", 9, 0, true, sleep_forever, &s);
	for (size_t i = 0; i < sizeof(gap_ops) / sizeof(gap_ops[0]); i++) {
		struct sofsim_thread *t;
		struct sofsim_fault f;

		if (probe_user(&s, &gap_ops[i], &t, &f) != 1 || f.reason != SOFSIM_REASON_CPU_EXCEPTION ||
		    f.exccause != SOFSIM_EXCCAUSE_PRIVILEGED)
			snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing), " %s", gap_ops[i].keyword);
	}
	scene_close(&s); /* first, so the failure below leaks nothing */
	if (missing[0])
		fail_msg("no cause-8 fault from user mode for:%s", missing);
}

/* ---- kernel-only globals (cause 26) ---- */

static void global_reader(void *arg)
{
	struct scene *s = arg;

	if (!sofsim_thread_is_user(sofsim_thread_self(s->sim))) {
		trace_add(&s->tr, "kernel=%d", sofsim_kernel_global_read(s->sim, &g_sof, sizeof(g_sof)) == &g_sof);
		return;
	}
	trace_add(&s->tr, "user-global=%d", sofsim_kernel_global_read(s->sim, &g_user_global, 4) == &g_user_global);
	sofsim_kernel_global_read(s->sim, &g_sof.b, sizeof(g_sof.b));
	trace_add(&s->tr, "returned");
}

static void test_user_read_of_kernel_global_is_cause_26_at_its_address(void **state)
{
	struct sofsim_thread *t;
	struct sofsim_fault f;
	struct scene s;
	char vaddr[64];

	open_scene(&s, state, SOFSIM_FAULT_KILL_THREAD);
	assert_int_equal(sofsim_kernel_global_register(s.sim, "sof", &g_sof, sizeof(g_sof)), 0);
	assert_int_equal(sofsim_kernel_global_register(s.sim, "x", NULL, 4), -EINVAL);
	assert_int_equal(sofsim_kernel_global_register(s.sim, "x", &g_sof, 0), -EINVAL);
	spawn(&s, "ll_thread0", 5, 0, false, global_reader, &s);
	t = spawn(&s, "ll_user0", 6, 0, true, global_reader, &s);
	run_idle(&s);
	assert_string_equal(s.tr.text, "kernel=1 user-global=1 ");
	f = one_fault(&s, t);
	/* A load from a ring-0 page in ring 2: LoadStorePrivilege, EXCVADDR the address loaded (§1.5). */
	assert_int_equal(f.reason, SOFSIM_REASON_CPU_EXCEPTION);
	assert_int_equal(f.exccause, SOFSIM_EXCCAUSE_LOAD_STORE_RING);
	assert_int_equal(f.kind, SOFSIM_FAULT_KERNEL_GLOBAL);
	assert_true(f.excvaddr == (uintptr_t)&g_sof.b);
	assert_non_null(strstr(f.detail, "'sof'"));
	snprintf(vaddr, sizeof(vaddr), " **  VADDR %#lx\n", (unsigned long)(uintptr_t)&g_sof.b);
	assert_non_null(strstr(report_all(&s), vaddr));
	assert_non_null(strstr(report_all(&s), " ** CPU 0 EXCCAUSE 26 (load/store privilege)\n"));
	for (int i = 0; i < 15; i++) /* the table holds 16 */
		assert_int_equal(sofsim_kernel_global_register(s.sim, "fill", &g_user_global, 4), 0);
	assert_int_equal(sofsim_kernel_global_register(s.sim, "full", &g_user_global, 4), -ENOSPC);
	scene_close(&s);
}

/* ---- policies ---- */

static void faulter(void *arg)
{
	struct scene *s = arg;

	s->blk[0] = sofsim_heap_alloc(s->heap, 32, "u-buf");
	assert_int_equal(sofsim_thread_user_mode_enter(s->sim), 0);
	trace_add(&s->tr, "u-sleep");
	sofsim_sleep(s->sim, 1500 * SOFSIM_NSEC_PER_USEC);
	trace_add(&s->tr, "u-fault");
	sofsim_arch_proc_id(s->sim);
	trace_add(&s->tr, "u-after");
}

static void ticker(void *arg)
{
	struct scene *s = arg;

	if (s->heap)
		s->blk[1] = sofsim_heap_alloc(s->heap, 16, "w-buf");
	for (unsigned i = 1;; i++) {
		sofsim_sleep(s->sim, MS);
		trace_add(&s->tr, "w%u", i);
	}
}

static void blocked(void *arg)
{
	struct scene *s = arg;

	sofsim_sem_take(s->sem[0], SOFSIM_FOREVER);
	trace_add(&s->tr, "x-woke");
}

/* The heap's leak report: returns the leaked-block count, @text the lines (free it). */
static size_t leak_report(struct scene *s, char **text)
{
	size_t len = 0, n;
	FILE *f = open_memstream(text, &len);

	n = sofsim_heap_leak_report(s->heap, f);
	fclose(f);
	for (int i = 0; i < 2; i++)
		assert_int_equal(sofsim_heap_free(s->heap, s->blk[i]), 0);
	sofsim_heap_destroy(s->heap);
	return n;
}

static void test_halt_policy_stops_every_thread_for_good(void **state)
{
	struct sofsim_thread *u, *w;
	struct sofsim_event e;
	struct sofsim_fault f;
	struct scene s;
	uint64_t total;
	char *leaks;

	open_scene(&s, state, SOFSIM_FAULT_HALT); /* SOF's handler: k_fatal_halt (§1.4) */
	assert_int_equal(sofsim_heap_create(s.sim, "ll_heap", 4096, 0, &s.heap), 0);
	u = spawn(&s, "ll_user0", 5, 0, false, faulter, &s);
	w = spawn(&s, "ticker", 5, 1, false, ticker, &s);
	spawn(&s, "waiter", 9, 0, false, blocked, &s);
	assert_int_equal(sofsim_run_until(s.sim, 10 * MS), 0);
	/* The ticker ran at 1 ms; the fault at 1.5 ms halted everything, so no w2. */
	assert_string_equal(s.tr.text, "u-sleep w1 u-fault ");
	assert_true(sofsim_halted(s.sim));
	assert_int_equal(sofsim_now(s.sim), 10 * MS);
	assert_int_equal(sofsim_fault_count(s.sim), 1);
	assert_int_equal(sofsim_fault_get(s.sim, 0, &f), 0);
	assert_int_equal(f.t_ns, 1500 * SOFSIM_NSEC_PER_USEC);
	assert_false(f.expected);
	assert_false(sofsim_thread_ended(u)); /* parked, not ended */
	assert_false(sofsim_thread_ended(w));
	/* The fault is the last thing the DSP did. */
	total = sofsim_evlog_total(s.sim);
	assert_int_equal(sofsim_evlog_get(s.sim, sofsim_evlog_size(s.sim) - 1, &e), 0);
	assert_int_equal(e.kind, SOFSIM_EV_FAULT);
	assert_int_equal(e.a, SOFSIM_REASON_CPU_EXCEPTION);
	assert_int_equal(e.b, SOFSIM_EXCCAUSE_PRIVILEGED);
	/* Later runs only move time: the woken waiter never runs; not even a mark is recorded. */
	sofsim_sem_give(s.sem[0]);
	assert_int_equal(sofsim_run_until(s.sim, 20 * MS), 0);
	sofsim_evlog_mark(s.sim, 1, 2);
	assert_int_equal(sofsim_now(s.sim), 20 * MS);
	assert_int_equal(sofsim_evlog_total(s.sim), total);
	assert_string_equal(s.tr.text, "u-sleep w1 u-fault ");
	sofsim_fault_clear(s.sim); /* forgets the records, not the halt */
	assert_int_equal(sofsim_fault_count(s.sim), 0);
	assert_true(sofsim_halted(s.sim));
	/* Every thread of a halted DSP abandoned its memory; nothing counts as leaked. */
	assert_int_equal(leak_report(&s, &leaks), 0);
	assert_non_null(strstr(leaks, "ll_heap: abandoned 1 block(s), 32 bytes, owner u-buf"));
	assert_non_null(strstr(leaks, "ll_heap: abandoned 1 block(s), 16 bytes, owner w-buf"));
	assert_null(strstr(leaks, "leaked"));
	free(leaks);
	scene_close(&s); /* unwinds the parked threads */
}

static void periodic(void *arg)
{
	struct scene *s = arg;

	sofsim_timer_start(s->timer, MS, MS);
	for (;;) {
		sofsim_timer_status_sync(s->timer);
		s->wakeups += sofsim_fault_count(s->sim) > 0; /* counted from the fault on */
	}
}

static void test_kill_thread_policy_ends_only_the_faulting_thread(void **state)
{
	struct sofsim_thread *u, *w;
	struct scene s;
	char *leaks;

	open_scene(&s, state, SOFSIM_FAULT_KILL_THREAD); /* Zephyr's default handler (§1.4) */
	assert_int_equal(sofsim_heap_create(s.sim, "ll_heap", 4096, 0, &s.heap), 0);
	assert_int_equal(sofsim_timer_create(s.sim, 1, NULL, NULL, &s.timer), 0);
	s.blk[1] = sofsim_heap_alloc(s.heap, 16, "host-buf"); /* the host's: leaked if never freed */
	u = spawn(&s, "ll_user0", 5, 0, false, faulter, &s);
	w = spawn(&s, "ll_thread1", 5, 1, false, periodic, &s);
	assert_int_equal(sofsim_run_until(s.sim, 11 * MS + 500 * SOFSIM_NSEC_PER_USEC), 0);
	/* The fault at 1.5 ms ended u only; in the 10 ms after it the 1 ms timer on core 1 fired at 2..11 ms. */
	assert_string_equal(s.tr.text, "u-sleep u-fault ");
	assert_true(sofsim_thread_ended(u));
	assert_false(sofsim_thread_ended(w));
	assert_false(sofsim_halted(s.sim));
	assert_int_equal(s.wakeups, 10);
	assert_int_equal(sofsim_fault_count(s.sim), 1);
	assert_int_equal(leak_report(&s, &leaks), 1); /* the host's block */
	assert_non_null(strstr(leaks, "ll_heap: leaked 1 block(s), 16 bytes, owner host-buf"));
	assert_non_null(strstr(leaks, "ll_heap: abandoned 1 block(s), 32 bytes, owner u-buf"));
	assert_non_null(strstr(leaks, "(thread ll_user0 faulted)"));
	free(leaks);
	scene_close(&s);
}

/* ---- forked children: abort policy, SIGTRAP ---- */

static volatile sig_atomic_t g_traps;

static void on_trap(int sig)
{
	(void)sig;
	g_traps++;
}

/*
 * In a child: one user-mode PRID read under @policy (after registering an
 * expected fault if @expect), with SOFSIM_BREAK_ON_FAULT=1 if @brk and a
 * counting SIGTRAP handler if @handler. Exits 0 if the process lived on,
 * only the thread ended, and the handler (if any) ran once.
 */
static int fork_child(void **state, enum sofsim_fault_policy policy, bool expect, bool brk, bool handler)
{
	pid_t pid;
	int st = -1;

	fflush(NULL); /* the child must not flush the parent's buffers again */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit no_core = { 0, 0 };
		struct sofsim_config cfg;
		struct sofsim_thread_attr attr = { .name = "u", .prio = 5, .user = true, .stack_bytes = USER_STACK };
		struct scene s = { .probe = &priv_ops[0] };
		FILE *devnull = fopen("/dev/null", "w");
		struct sofsim_thread *t;
		int code;

		setrlimit(RLIMIT_CORE, &no_core); /* SIGABRT and SIGTRAP would dump core */
		if (brk)
			setenv("SOFSIM_BREAK_ON_FAULT", "1", 1);
		else
			unsetenv("SOFSIM_BREAK_ON_FAULT");
		signal(SIGTRAP, handler ? on_trap : SIG_DFL);
		sofsim_config_init(&cfg);
		cfg.threads = carrier_of(state);
		cfg.fault_policy = policy;
		if (sofsim_create(&s.sim, &cfg, NULL, 0))
			_exit(10);
		sofsim_set_report_stream(s.sim, devnull);
		if ((expect && sofsim_fault_expect(s.sim, SOFSIM_REASON_CPU_EXCEPTION, 0)) ||
		    sofsim_thread_create(s.sim, &attr, priv_probe, &s, &t))
			_exit(11);
		sofsim_run_until_idle(s.sim, SOFSIM_TIME_NEVER);
		code = sofsim_thread_ended(t) && !sofsim_halted(s.sim) && sofsim_fault_count(s.sim) == 1 &&
		       g_traps == (handler ? 1 : 0) ? 0 : 12;
		sofsim_destroy(s.sim); /* leak-free, or memcheck replaces the exit code */
		fclose(devnull);
		_exit(code);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return st;
}

static void test_abort_policy_aborts_the_process(void **state)
{
	int st = fork_child(state, SOFSIM_FAULT_ABORT, false, false, false);

	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGABRT);
	/* An expected fault kills only the thread, whatever the policy. */
	st = fork_child(state, SOFSIM_FAULT_ABORT, true, false, false);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

static void test_break_on_fault_raises_sigtrap(void **state)
{
	int st = fork_child(state, SOFSIM_FAULT_KILL_THREAD, false, true, true);

	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0); /* the handler saw one SIGTRAP and the run went on */
	st = fork_child(state, SOFSIM_FAULT_KILL_THREAD, false, true, false);
	assert_true(WIFSIGNALED(st)); /* no handler: SIGTRAP's default action ends the process */
	assert_int_equal(WTERMSIG(st), SIGTRAP);
	st = fork_child(state, SOFSIM_FAULT_KILL_THREAD, false, false, false);
	assert_true(WIFEXITED(st)); /* without the variable: no trap */
	assert_int_equal(WEXITSTATUS(st), 0);
}

/* ---- expected faults, records, reports ---- */

static void fault_now(void *arg)
{
	struct scene *s = arg;

	trace_add(&s->tr, "%s", sofsim_thread_name(sofsim_thread_self(s->sim)));
	sofsim_arch_proc_id(s->sim);
}

static void test_expected_fault_kills_only_its_thread_under_halt(void **state)
{
	struct sofsim_fault f;
	struct scene s;

	open_scene(&s, state, SOFSIM_FAULT_HALT);
	assert_false(sofsim_fault_expect_pending(s.sim));
	assert_int_equal(sofsim_fault_expect(s.sim, SOFSIM_REASON_CPU_EXCEPTION, SOFSIM_EXCCAUSE_PRIVILEGED), 0);
	assert_int_equal(sofsim_fault_expect(s.sim, SOFSIM_REASON_KERNEL_OOPS, 0), -EBUSY); /* one at a time */
	assert_true(sofsim_fault_expect_pending(s.sim));
	spawn(&s, "ticker", 5, 1, false, ticker, &s);
	spawn(&s, "boot_test", 5, 0, true, fault_now, &s);
	assert_int_equal(sofsim_run_until(s.sim, 2 * MS), 0);
	/* sof_boot_test_set_fault_valid(): the handler returns, only the thread dies (§1.4). */
	assert_string_equal(s.tr.text, "boot_test w1 w2 ");
	assert_false(sofsim_halted(s.sim));
	assert_false(sofsim_fault_expect_pending(s.sim));
	assert_int_equal(sofsim_fault_get(s.sim, 0, &f), 0);
	assert_true(f.expected);
	assert_non_null(strstr(report_all(&s), "Current thread: #1 (boot_test) [expected fault]\n"));
	/* An expectation with another cause does not match: the next fault halts. */
	assert_int_equal(sofsim_fault_expect(s.sim, SOFSIM_REASON_CPU_EXCEPTION, SOFSIM_EXCCAUSE_LOAD_STORE_RING), 0);
	spawn(&s, "second", 5, 0, true, fault_now, &s);
	assert_int_equal(sofsim_run_until(s.sim, 4 * MS), 0);
	assert_string_equal(s.tr.text, "boot_test w1 w2 second ");
	assert_true(sofsim_halted(s.sim));
	assert_true(sofsim_fault_expect_pending(s.sim));
	assert_int_equal(sofsim_fault_count(s.sim), 2);
	assert_int_equal(sofsim_fault_get(s.sim, 1, &f), 0);
	assert_false(f.expected);
	scene_close(&s);
}

static void test_fault_records_keep_the_last_64(void **state)
{
	struct sofsim_fault f;
	struct scene s;

	open_scene(&s, state, SOFSIM_FAULT_KILL_THREAD);
	assert_int_equal(sofsim_fault_count(s.sim), 0);
	assert_int_equal(sofsim_fault_get(s.sim, 0, &f), -ERANGE);
	for (int i = 0; i < 66; i++) {
		char name[8];

		snprintf(name, sizeof(name), "p%d", i);
		spawn(&s, name, 5, 0, true, fault_now, &s);
		run_idle(&s);
	}
	/* 66 faults, 64 kept: the oldest kept is the third (p2), the newest p65. */
	assert_int_equal(sofsim_fault_count(s.sim), 64);
	assert_int_equal(sofsim_fault_get(s.sim, 0, &f), 0);
	assert_string_equal(f.thread, "p2");
	assert_int_equal(sofsim_fault_get(s.sim, 63, &f), 0);
	assert_string_equal(f.thread, "p65");
	assert_int_equal(sofsim_fault_get(s.sim, 64, &f), -ERANGE);
	sofsim_fault_clear(s.sim);
	assert_int_equal(sofsim_fault_count(s.sim), 0);
	assert_int_equal(sofsim_fault_get(s.sim, 0, &f), -ERANGE);
	assert_string_equal(sofsim_fault_kind_name(SOFSIM_FAULT_PRIV_OP), "privileged operation in user mode");
	assert_string_equal(sofsim_fault_kind_name(SOFSIM_FAULT_KIND_COUNT), "?");
	scene_close(&s);
}

static void test_fault_print_has_zephyrs_shape(void **state)
{
	struct sofsim_fault f = {
		.t_ns = 1500 * SOFSIM_NSEC_PER_USEC, .kind = SOFSIM_FAULT_SYSCALL_CHECK,
		.reason = SOFSIM_REASON_KERNEL_OOPS, .tid = 4, .core = 1, .user = true,
		.thread = "ll_user0", .op = "z_vrfy_k_sem_give", .detail = "sem: k_sem 0x1000: access denied",
	};
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	(void)state;
	sofsim_fault_print(&f, out);
	f = (struct sofsim_fault){
		.t_ns = 2 * SOFSIM_NSEC_PER_SEC + 7 * SOFSIM_NSEC_PER_USEC, .kind = SOFSIM_FAULT_PRIV_OP,
		.reason = SOFSIM_REASON_CPU_EXCEPTION, .exccause = SOFSIM_EXCCAUSE_PRIVILEGED, .excvaddr = 0x2000,
		.tid = 2, .core = 3, .user = true, .expected = true, .thread = "ll_user3",
		.op = "rsr PRID", .detail = "privileged instruction in user mode",
	};
	sofsim_fault_print(&f, out);
	fclose(out);
	/* Zephyr's log prefix "[s.us] <err> os:" and the lines of kernel/fatal.c and vector_handlers.c (§1.4). */
	assert_string_equal(buf,
			    "[0.001500] <err> os: syscall z_vrfy_k_sem_give failed check: sem: k_sem 0x1000: access denied\n"
			    "[0.001500] <err> os: >>> ZEPHYR FATAL ERROR 3: Kernel oops on CPU 1\n"
			    "[0.001500] <err> os: Current thread: #4 (ll_user0)\n"
			    "[2.000007] <err> os:  ** FATAL EXCEPTION\n"
			    "[2.000007] <err> os:  ** CPU 3 EXCCAUSE 8 (privileged)\n"
			    "[2.000007] <err> os:  **  VADDR 0x2000\n"
			    "[2.000007] <err> os:  ** rsr PRID: privileged instruction in user mode\n"
			    "[2.000007] <err> os: >>> ZEPHYR FATAL ERROR 0: CPU exception on CPU 3\n"
			    "[2.000007] <err> os: Current thread: #2 (ll_user3) [expected fault]\n");
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CARRIER_TESTS(test_privileged_ops_in_user_mode_are_cause_8),
		CARRIER_TESTS(test_privileged_ops_are_fine_in_kernel_mode),
		CARRIER_TESTS(test_kernel_only_domain_pin_and_workq_apis_are_cause_8_in_user_mode),
		CARRIER_TESTS(test_user_read_of_kernel_global_is_cause_26_at_its_address),
		CARRIER_TESTS(test_halt_policy_stops_every_thread_for_good),
		CARRIER_TESTS(test_kill_thread_policy_ends_only_the_faulting_thread),
		CARRIER_TESTS(test_abort_policy_aborts_the_process),
		CARRIER_TESTS(test_break_on_fault_raises_sigtrap),
		CARRIER_TESTS(test_expected_fault_kills_only_its_thread_under_halt),
		CARRIER_TESTS(test_fault_records_keep_the_last_64),
		cmocka_unit_test(test_fault_print_has_zephyrs_shape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
