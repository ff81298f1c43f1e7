/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The syscall gate in verify mode: the table (unique names, a verdict for
 * each, no gaps), every object verdict of every k_sem/k_mutex/k_event/
 * k_timer/k_thread syscall both ways (granted user: runs; ungranted, not an
 * object, freed, wrong type, uninitialised: one oops naming the argument;
 * kernel thread or protection off: no checks), k_thread_create's copy-in
 * (and the TOCTOU hook proving the kernel uses its copy), cache
 * invalidation needing write access, cpu_get_id and uptime ticks from user
 * mode, futex and sys_mutex verdicts (-EACCES / -EINVAL, never an oops),
 * bad raw ids, and page-granular versus byte-exact memory checks.
 * Rules cited are from the userspace sheet (§1.3, §1.4, §1.6, §2.2).
 */
#include <errno.h>

#include "sofsim/arch.h"
#include "sofsim/syscall.h"

#include "kernel/kernel_priv.h" /* TOCTOU hook, verify_byte_exact, thread internals */
#include "user_test.h"

/* ---- the table ---- */

/*
 * Every syscall of lib/kernel/syscalls.def with a word its documented
 * verdict must contain. This file drives them all but k_object_* (driven in
 * test_object.c) and sof_heap_* (test_sof_alloc.c).
 */
static const struct {
	const char *name, *word;
} covered[] = {
	{ "k_sem_init", "oops" }, { "k_sem_give", "oops" }, { "k_sem_take", "oops" }, { "k_sem_reset", "oops" },
	{ "k_sem_count_get", "oops" }, { "k_mutex_init", "oops" }, { "k_mutex_lock", "oops" },
	{ "k_mutex_unlock", "oops" }, { "k_event_init", "oops" }, { "k_event_post", "oops" },
	{ "k_event_set", "oops" }, { "k_event_clear", "oops" }, { "k_event_wait", "oops" },
	{ "k_timer_start", "oops" }, { "k_timer_stop", "oops" }, { "k_timer_status_get", "oops" },
	{ "k_timer_status_sync", "oops" }, { "k_sleep", "no checks" }, { "k_yield", "no checks" },
	{ "k_uptime_ticks", "12 kHz" }, { "k_object_alloc", "-ENOMEM" }, { "k_object_access_grant", "oops" },
	{ "k_object_release", "oops" }, { "k_futex_wait", "-EACCES" }, { "k_futex_wake", "-EACCES" },
	{ "z_sys_mutex_kernel_lock", "-EINVAL" }, { "z_sys_mutex_kernel_unlock", "-EINVAL" },
	{ "k_thread_create", "-EPERM" }, { "k_thread_abort", "oops" }, { "k_thread_join", "oops" },
	{ "cpu_get_id", "no checks" }, { "sys_cache_data_invd_range", "write" }, { "sof_heap_alloc", "oops" },
	{ "sof_heap_free", "oops" },
};

static void test_syscall_table_has_unique_names_and_a_verdict_each(void **state)
{
	unsigned n = sofsim_syscall_count();

	(void)state;
	assert_true(n > 0);
	for (unsigned id = 0; id < n; id++) {
		const char *name = sofsim_syscall_name(id);
		const char *v = sofsim_syscall_verdicts(id);

		assert_non_null(name); /* no gaps: every id below the count is a syscall */
		assert_non_null(v);
		assert_true(name[0] != '\0' && v[0] != '\0');
		assert_int_equal(sofsim_syscall_find(name), (int)id); /* the first match is itself: unique */
		for (unsigned j = 0; j < id; j++)
			assert_string_not_equal(sofsim_syscall_name(j), name);
	}
	assert_null(sofsim_syscall_name(n));
	assert_null(sofsim_syscall_verdicts(n));
	assert_int_equal(sofsim_syscall_find("k_object_free"), -ENOENT); /* supervisor-only by design (§1.3) */
	assert_int_equal(sofsim_syscall_find(NULL), -ENOENT);
}

static void test_every_kernel_syscall_has_a_verdict_test(void **state)
{
	const char *at = strstr(__FILE__, "tests/kernel/test_syscall.c");
	char line[512];
	size_t seen = 0;
	FILE *def = NULL;

	(void)state;
	if (at) { /* lib/kernel/syscalls.def, found from this file's path */
		snprintf(line, sizeof(line), "%.*slib/kernel/syscalls.def", (int)(at - __FILE__), __FILE__);
		def = fopen(line, "r");
	}
	if (!def)
		skip(); /* built out of tree with the sources moved: nothing to read */
	while (fgets(line, sizeof(line), def)) {
		char name[64];
		bool listed = false;
		int id;

		if (sscanf(line, "SOFSIM_SYSCALL(%63[a-z0-9_],", name) != 1)
			continue;
		id = sofsim_syscall_find(name);
		assert_true(id >= 0); /* every fragment line reaches the table */
		for (size_t c = 0; c < sizeof(covered) / sizeof(covered[0]); c++) {
			if (strcmp(covered[c].name, name))
				continue;
			listed = true;
			seen++;
			assert_non_null(strstr(sofsim_syscall_verdicts((unsigned)id), covered[c].word));
		}
		/* A syscall added to the fragment without a verdict test fails here. */
		if (!listed)
			fail_msg("kernel syscall %s has no verdict test listed", name);
	}
	fclose(def);
	assert_int_equal(seen, sizeof(covered) / sizeof(covered[0])); /* and none listed has gone */
}

/* ---- object verdicts, both ways ---- */

enum variant { V_NOPERM, V_STACK, V_FREED, V_WRONG_TYPE, V_UNINIT, V_GRANTED, V_KERNEL, V_PROT_OFF };

struct op {
	const char *name; /* syscall */
	unsigned type;    /* type of its object argument */
	const char *arg;  /* the argument's name in the verifier */
	bool init;        /* K_SYSCALL_OBJ_INIT: an uninitialised object is fine */
	void (*prep)(void *obj);            /* where it runs: set the object up (its own syscalls) */
	int (*call)(void *obj);
	int ok;           /* what the call returns once through the verifier */
};

struct probe {
	struct sofsim *sim;
	const struct op *op;
	enum variant v;
	void *obj;        /* the object handed in (host-made) */
	void *used;       /* the address actually passed */
	int ret;
	bool returned;
};

static int c_sem_init(void *o) { return sofsim_sem_init(o, 0, 1); }
static int c_sem_give(void *o) { sofsim_sem_give(o); return 0; }
static int c_sem_take(void *o) { return sofsim_sem_take(o, SOFSIM_NO_WAIT); }
static int c_sem_reset(void *o) { sofsim_sem_reset(o); return 0; }
static int c_sem_count(void *o) { return (int)sofsim_sem_count_get(o); }
static int c_mutex_init(void *o) { return sofsim_mutex_init(o); }
static int c_mutex_lock(void *o) { return sofsim_mutex_lock(o, SOFSIM_NO_WAIT); }
static int c_mutex_unlock(void *o) { return sofsim_mutex_unlock(o); }
static void p_mutex_lock(void *o) { assert_int_equal(sofsim_mutex_lock(o, SOFSIM_NO_WAIT), 0); }
static int c_ev_init(void *o) { return sofsim_kevent_init(o); }
static int c_ev_post(void *o) { return (int)sofsim_kevent_post(o, 0x5); }
static int c_ev_set(void *o) { return (int)sofsim_kevent_set(o, 0x3); }
static int c_ev_clear(void *o) { return (int)sofsim_kevent_clear(o, 0x1); }
static int c_ev_wait(void *o) { return (int)sofsim_kevent_wait(o, 0x6, 0, SOFSIM_NO_WAIT); }
static void p_ev_post(void *o) { sofsim_kevent_post(o, 0x2); }
static int c_tm_start(void *o) { sofsim_timer_start(o, MS, 0); return 0; }
static int c_tm_stop(void *o) { sofsim_timer_stop(o); return 0; }
static int c_tm_get(void *o) { return (int)sofsim_timer_status_get(o); }
static int c_tm_sync(void *o) { return (int)sofsim_timer_status_sync(o); }
static void p_tm_start(void *o) { sofsim_timer_start(o, MS, 0); }
static int c_th_abort(void *o) { return sofsim_thread_abort(o); }
static int c_th_join(void *o) { return sofsim_thread_join(o, SOFSIM_FOREVER); }

/*
 * Expected results once through the verifier, from each primitive's rules:
 * host-made sems start at count 1 (take 0, count_get 1), events at 0 bits
 * (post/set/clear return the previous bits, 0; wait after post 0x2 for 0x6
 * returns 0x2), a timer started for 1 ms then synced has expired once, a
 * thread target ends by itself after 1 ms (abort or join: 0).
 */
static const struct op ops[] = {
	{ "k_sem_init", SOFSIM_OBJ_SEM, "sem", true, NULL, c_sem_init, 0 },
	{ "k_sem_give", SOFSIM_OBJ_SEM, "sem", false, NULL, c_sem_give, 0 },
	{ "k_sem_take", SOFSIM_OBJ_SEM, "sem", false, NULL, c_sem_take, 0 },
	{ "k_sem_reset", SOFSIM_OBJ_SEM, "sem", false, NULL, c_sem_reset, 0 },
	{ "k_sem_count_get", SOFSIM_OBJ_SEM, "sem", false, NULL, c_sem_count, 1 },
	{ "k_mutex_init", SOFSIM_OBJ_MUTEX, "mutex", true, NULL, c_mutex_init, 0 },
	{ "k_mutex_lock", SOFSIM_OBJ_MUTEX, "mutex", false, NULL, c_mutex_lock, 0 },
	{ "k_mutex_unlock", SOFSIM_OBJ_MUTEX, "mutex", false, p_mutex_lock, c_mutex_unlock, 0 },
	{ "k_event_init", SOFSIM_OBJ_EVENT, "event", true, NULL, c_ev_init, 0 },
	{ "k_event_post", SOFSIM_OBJ_EVENT, "event", false, NULL, c_ev_post, 0 },
	{ "k_event_set", SOFSIM_OBJ_EVENT, "event", false, NULL, c_ev_set, 0 },
	{ "k_event_clear", SOFSIM_OBJ_EVENT, "event", false, NULL, c_ev_clear, 0 },
	{ "k_event_wait", SOFSIM_OBJ_EVENT, "event", false, p_ev_post, c_ev_wait, 0x2 },
	{ "k_timer_start", SOFSIM_OBJ_TIMER, "timer", false, NULL, c_tm_start, 0 },
	{ "k_timer_stop", SOFSIM_OBJ_TIMER, "timer", false, NULL, c_tm_stop, 0 },
	{ "k_timer_status_get", SOFSIM_OBJ_TIMER, "timer", false, NULL, c_tm_get, 0 },
	{ "k_timer_status_sync", SOFSIM_OBJ_TIMER, "timer", false, p_tm_start, c_tm_sync, 1 },
	{ "k_thread_abort", SOFSIM_OBJ_THREAD, "thread", false, NULL, c_th_abort, 0 },
	{ "k_thread_join", SOFSIM_OBJ_THREAD, "thread", false, NULL, c_th_join, 0 },
};

static void probe_main(void *arg)
{
	struct probe *p = arg;
	unsigned char local[256] __attribute__((aligned(16)));
	void *obj = p->obj;

	memset(local, 0, sizeof(local));
	if (p->v == V_STACK)
		obj = local; /* a kernel struct on a stack is not a known object (§1.3) */
	if (p->v == V_FREED) {
		/* Allocated and freed with kernel rights; nothing allocates between here and the call. */
		assert_int_equal(sofsim_object_alloc(p->sim, p->op->type, &obj), 0);
		sofsim_object_free(p->sim, obj);
		assert_false(sofsim_object_known(p->sim, obj));
	}
	if (p->v != V_KERNEL)
		assert_int_equal(sofsim_thread_user_mode_enter(p->sim), 0);
	if (p->v == V_UNINIT) /* the k_object_alloc syscall: uninitialised, granted to the caller */
		assert_int_equal(sofsim_object_alloc(p->sim, p->op->type, &obj), 0);
	if (p->op->prep && (p->v == V_GRANTED || p->v == V_KERNEL || p->v == V_PROT_OFF))
		p->op->prep(obj);
	p->used = obj;
	p->ret = p->op->call(obj);
	p->returned = true;
}

static void sleep_1ms(void *arg)
{
	sofsim_sleep(arg, MS);
}

/* A fresh host-made (static, initialised, nobody granted) object of @type. */
static void *make_object(struct scene *s, unsigned type)
{
	void *o = NULL;

	if (type == SOFSIM_OBJ_SEM)
		assert_int_equal(sofsim_sem_create(s->sim, 1, 1, (struct sofsim_sem **)&o), 0);
	else if (type == SOFSIM_OBJ_MUTEX)
		assert_int_equal(sofsim_mutex_create(s->sim, (struct sofsim_mutex **)&o), 0);
	else if (type == SOFSIM_OBJ_EVENT)
		assert_int_equal(sofsim_kevent_create(s->sim, (struct sofsim_kevent **)&o), 0);
	else if (type == SOFSIM_OBJ_TIMER)
		assert_int_equal(sofsim_timer_create(s->sim, 0, NULL, NULL, (struct sofsim_timer **)&o), 0);
	else /* a user thread that ends by itself after 1 ms */
		o = spawn(s, "target", 10, 1, true, sleep_1ms, s->sim);
	return o;
}

static void run_variant(struct scene *s, const struct op *op, enum variant v)
{
	struct probe p = { .sim = s->sim, .op = op, .v = v };
	unsigned id = (unsigned)sofsim_syscall_find(op->name);
	uint64_t calls = sofsim_syscall_calls(s->sim, id);
	struct sofsim_thread *t;

	if (v == V_WRONG_TYPE) /* a sem, or for the sem syscalls a mutex */
		p.obj = make_object(s, op->type == SOFSIM_OBJ_SEM ? SOFSIM_OBJ_MUTEX : SOFSIM_OBJ_SEM);
	else if (v == V_NOPERM || v == V_GRANTED || v == V_KERNEL || v == V_PROT_OFF)
		p.obj = make_object(s, op->type);
	t = spawn(s, op->name, 5, 0, false, probe_main, &p);
	if (v == V_GRANTED || v == V_WRONG_TYPE) /* granted: the type alone is wrong */
		sofsim_object_grant(p.sim, p.obj, t);
	sofsim_fault_clear(s->sim);
	run_idle(s);

	switch (v) {
	case V_NOPERM: /* -EPERM from k_object_validate (§1.3) */
		assert_oops(s, t, op->name, op->arg, "access denied");
		break;
	case V_STACK:
	case V_FREED:
	case V_WRONG_TYPE: /* -EBADF: unknown or of another type (§1.3) */
		assert_oops(s, t, op->name, op->arg, "not a known kernel object");
		break;
	case V_UNINIT:
		if (!op->init) { /* -EINVAL: must be initialised for non-init syscalls (§1.3) */
			assert_oops(s, t, op->name, op->arg, "not initialised");
			break;
		}
		/* An init syscall accepts it: falls through to success. */
		__attribute__((fallthrough));
	default:
		assert_int_equal(sofsim_fault_count(s->sim), 0);
		assert_true(p.returned);
		assert_int_equal(p.ret, op->ok);
		break;
	}
	if (v != V_UNINIT || !op->init)
		assert_int_equal(p.returned, v >= V_GRANTED);
	if (v == V_STACK || v == V_FREED || v == V_WRONG_TYPE || v == V_NOPERM) {
		char ptr[32];

		snprintf(ptr, sizeof(ptr), "%p", p.used); /* the verifier names the address */
		assert_non_null(strstr(s->rep_buf, ptr));
	}
	/* User calls go through the gate (counted); kernel threads call the implementation directly. */
	assert_int_equal(sofsim_syscall_calls(s->sim, id), calls + (v == V_KERNEL ? 0 : 1));
}

static void run_ops(void **state, unsigned type)
{
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		const struct op *op = &ops[i];
		struct scene s;

		if (op->type != type)
			continue;
		scene_open(&s, state, SOFSIM_PROT_VERIFY, SOFSIM_FAULT_KILL_THREAD, false);
		for (enum variant v = V_NOPERM; v < V_PROT_OFF; v++) {
			/* Threads are never freed by k_object_free and are born initialised. */
			if (type == SOFSIM_OBJ_THREAD && (v == V_FREED || v == V_UNINIT))
				continue;
			run_variant(&s, op, v);
		}
		scene_close(&s);
		/* No verifier: the ungranted user call runs. */
		scene_open(&s, state, SOFSIM_PROT_OFF, SOFSIM_FAULT_KILL_THREAD, false);
		run_variant(&s, op, V_PROT_OFF);
		scene_close(&s);
	}
}

static void test_k_sem_syscall_verdicts_both_ways(void **state) { run_ops(state, SOFSIM_OBJ_SEM); }
static void test_k_mutex_syscall_verdicts_both_ways(void **state) { run_ops(state, SOFSIM_OBJ_MUTEX); }
static void test_k_event_syscall_verdicts_both_ways(void **state) { run_ops(state, SOFSIM_OBJ_EVENT); }
static void test_k_timer_syscall_verdicts_both_ways(void **state) { run_ops(state, SOFSIM_OBJ_TIMER); }
static void test_k_thread_syscall_verdicts_both_ways(void **state) { run_ops(state, SOFSIM_OBJ_THREAD); }

/* ---- k_thread_create from user mode ---- */

/* Words and sys_mutexes at offsets into the scene's pages (RW page 0, R page 1, page 2 in no partition). */
#define WORD(s, off) ((atomic_int *)((s)->pages + (off)))
#define SMX(s, off) ((struct sofsim_sys_mutex *)((s)->pages + (off)))

static struct sofsim_thread *g_out_in_bss; /* program .bss: in no user view */

static void child_main(void *arg)
{
	struct scene *s = arg;

	trace_add(&s->tr, "child:%s", sofsim_thread_name(sofsim_thread_self(s->sim)));
}

static void creator_ok(void *arg)
{
	struct scene *s = arg;
	char stack_name[8] = "stk";
	struct sofsim_thread_attr a = { .name = "lit", .prio = 10, .user = true, .stack_bytes = USER_STACK };
	struct sofsim_thread *out = NULL;

	strcpy((char *)s->pages + 64, "part");
	/* attr and out on the caller's stack, the name in .rodata (shared, readable by all: §1.2). */
	trace_add(&s->tr, "lit=%d", sofsim_thread_create(s->sim, &a, child_main, s, &out));
	a.name = (char *)s->pages + 64; /* a name in an RW partition of the domain */
	trace_add(&s->tr, "part=%d", sofsim_thread_create(s->sim, &a, child_main, s, &out));
	a.name = stack_name;
	trace_add(&s->tr, "stk=%d", sofsim_thread_create(s->sim, &a, child_main, s, &out));
	a.user = false; /* user threads create only user threads */
	trace_add(&s->tr, "kernel=%d", sofsim_thread_create(s->sim, &a, child_main, s, &out));
	a.user = true;
	a.prio = 99;
	trace_add(&s->tr, "prio=%d", sofsim_thread_create(s->sim, &a, child_main, s, &out));
}

static void creator_bad(void *arg)
{
	struct scene *s = arg;
	struct sofsim_thread_attr a = { .name = "x", .prio = 10, .user = true, .stack_bytes = USER_STACK };
	struct sofsim_thread_attr *host_attr = (struct sofsim_thread_attr *)s->host;
	struct sofsim_thread *out = NULL;

	if (s->count == 0) /* the name points into host memory */
		a.name = (const char *)s->host;
	if (s->count == 1) /* attr itself in host memory */
		*host_attr = a;
	sofsim_thread_create(s->sim, s->count == 1 ? host_attr : &a, child_main, s,
			     s->count == 2 ? (struct sofsim_thread **)(s->pages + PAGE) /* R-only partition */
			     : s->count == 3 ? &g_out_in_bss : &out);
	trace_add(&s->tr, "returned");
}

static void test_user_thread_create_copies_attr_and_name_in(void **state)
{
	static const char *const arg[] = { "attr->name", "attr", "out", "out" };
	static const char *const why[] = { "not readable", "read access denied", "write access denied",
					   "write access denied" };
	struct scene s;

	scene_open(&s, state, SOFSIM_PROT_VERIFY, SOFSIM_FAULT_KILL_THREAD, true);
	strcpy((char *)s.host, "host");
	spawn(&s, "creator", 5, 0, true, creator_ok, &s);
	run_idle(&s);
	/* -EPERM (1) for a kernel thread, -EINVAL (22) for prio 99; the children (prio 10) run after. */
	assert_string_equal(s.tr.text, "lit=0 part=0 stk=0 kernel=-1 prio=-22 child:lit child:part child:stk ");
	assert_int_equal(sofsim_fault_count(s.sim), 0);
	for (s.count = 0; s.count < 4; s.count++) {
		struct sofsim_thread *t;

		trace_reset(&s.tr);
		t = spawn(&s, "creator", 5, 0, true, creator_bad, &s);
		run_idle(&s);
		assert_oops(&s, t, "k_thread_create", arg[s.count], why[s.count]);
		assert_string_equal(s.tr.text, ""); /* neither returned nor created a child */
	}
	scene_close(&s);
}

/* The attr sits at the start of the RW page, its name right behind it. */
static void toctou_flip(void *arg)
{
	struct scene *s = arg;
	struct sofsim_thread_attr *a = (struct sofsim_thread_attr *)s->pages;

	s->wakeups++;
	a->prio = 99; /* invalid, were it read now */
	strcpy((char *)(a + 1), "evil");
}

static void toctou_creator(void *arg)
{
	struct scene *s = arg;
	struct sofsim_thread_attr *a = (struct sofsim_thread_attr *)s->pages;
	struct sofsim_thread *out = NULL; /* on the caller's stack: writable by it */

	strcpy((char *)(a + 1), "good");
	*a = (struct sofsim_thread_attr){ .name = (char *)(a + 1), .prio = 6, .user = true, .stack_bytes = USER_STACK };
	sofsim__set_toctou_hook(s->sim, toctou_flip, s);
	trace_add(&s->tr, "create=%d", sofsim_thread_create(s->sim, a, child_main, s, &out));
	sofsim__set_toctou_hook(s->sim, NULL, NULL);
	s->t[0] = out;
}

static void test_thread_create_uses_the_checked_copy_of_attr(void **state)
{
	struct scene s;

	scene_open(&s, state, SOFSIM_PROT_VERIFY, SOFSIM_FAULT_KILL_THREAD, true);
	spawn(&s, "creator", 7, 0, true, toctou_creator, &s);
	run_idle(&s);
	/*
	 * The hook ran once, between the copy-in check and the implementation,
	 * and flipped prio to 99 and the name to "evil" in user memory; the
	 * kernel works on its copy (conventions: copy in before validating), so
	 * the child has prio 6 and name "good" and, outranking its creator (7),
	 * runs inside the create call.
	 */
	assert_int_equal(s.wakeups, 1);
	assert_int_equal(((struct sofsim_thread_attr *)s.pages)->prio, 99);
	assert_string_equal(s.tr.text, "child:good create=0 ");
	assert_non_null(s.t[0]);
	assert_int_equal(s.t[0]->prio, 6);
	assert_int_equal(sofsim_fault_count(s.sim), 0);
	scene_close(&s);
}

/* ---- cache invalidation, cpu id, uptime ---- */

static void invd_probe(void *arg)
{
	struct scene *s = arg;

	if (!sofsim_thread_is_user(sofsim_thread_self(s->sim))) { /* kernel mode: any DSP memory */
		trace_add(&s->tr, "kernel=%d", sofsim_sys_cache_data_invd_range(s->sim, s->pages + PAGE, PAGE));
		return;
	}
	trace_add(&s->tr, "rw=%d", sofsim_sys_cache_data_invd_range(s->sim, s->pages, PAGE));
	trace_add(&s->tr, "rw-part=%d", sofsim_sys_cache_data_invd_range(s->sim, s->pages + 100, 50));
	if (s->count == 0)
		sofsim_sys_cache_data_invd_range(s->sim, s->pages + PAGE, 64); /* read-only partition */
	else
		sofsim_sys_cache_data_invd_range(s->sim, s->pages + PAGE - 16, 32); /* straddles RW into R */
	trace_add(&s->tr, "returned");
}

static void test_cache_invalidate_needs_write_access(void **state)
{
	struct scene s;

	scene_open(&s, state, SOFSIM_PROT_VERIFY, SOFSIM_FAULT_KILL_THREAD, true);
	for (s.count = 0; s.count < 2; s.count++) {
		struct sofsim_thread *t = spawn(&s, "ll_user0", 5, 0, true, invd_probe, &s);

		trace_reset(&s.tr);
		run_idle(&s);
		assert_string_equal(s.tr.text, "rw=0 rw-part=0 ");
		/* Invalidation needs write access (§1.7, §2.2): an R-only page oopses. */
		assert_oops(&s, t, "sys_cache_data_invd_range", "addr", "write access denied");
	}
	trace_reset(&s.tr);
	spawn(&s, "kernel", 5, 0, false, invd_probe, &s);
	run_idle(&s);
	assert_string_equal(s.tr.text, "kernel=0 ");
	assert_int_equal(sofsim_sys_cache_data_invd_range(s.sim, s.pages + PAGE, PAGE), 0); /* the host */
	assert_int_equal(sofsim_fault_count(s.sim), 0);
	scene_close(&s);
}

static void clock_probe(void *arg)
{
	static const uint64_t steps[] = { 0, 999999, 1, 83333, 1 };
	struct scene *s = arg;

	trace_add(&s->tr, "core=%u", sofsim_cpu_get_id(s->sim));
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		if (steps[i])
			sofsim_sleep(s->sim, steps[i]);
		trace_add(&s->tr, "%llu:%lld", (unsigned long long)sofsim_now(s->sim),
			  (long long)sofsim_uptime_ticks(s->sim));
	}
	sofsim_yield(s->sim);
}

static void test_cpu_id_and_uptime_ticks_work_in_user_mode(void **state)
{
	struct scene s;

	scene_open(&s, state, SOFSIM_PROT_VERIFY, SOFSIM_FAULT_KILL_THREAD, false);
	spawn(&s, "ll_user2", 5, 2, true, clock_probe, &s);
	run_idle(&s);
	/*
	 * ticks = floor(ns * 12000 / 1e9) (12 kHz, §1.7): 999,999 ns → 11.99 → 11;
	 * 1 ms → 12; 1,083,333 ns → 12.99996 → 12; 1,083,334 ns → 13.000008 → 13.
	 */
	assert_string_equal(s.tr.text, "core=2 0:0 999999:11 1000000:12 1083333:12 1083334:13 ");
	assert_int_equal(sofsim_fault_count(s.sim), 0);
	/* Each went through the gate: 1 cpu_get_id, 5 uptime reads, 4 sleeps, 1 yield. */
	assert_int_equal(sofsim_syscall_calls(s.sim, (unsigned)sofsim_syscall_find("cpu_get_id")), 1);
	assert_int_equal(sofsim_syscall_calls(s.sim, (unsigned)sofsim_syscall_find("k_uptime_ticks")), 5);
	assert_int_equal(sofsim_syscall_calls(s.sim, (unsigned)sofsim_syscall_find("k_sleep")), 4);
	assert_int_equal(sofsim_syscall_calls(s.sim, (unsigned)sofsim_syscall_find("k_yield")), 1);
	scene_close(&s);
}

/* ---- futex and sys_mutex: -EACCES and -EINVAL, never an oops ---- */

static void fx_waiter(void *arg)
{
	struct scene *s = arg;

	trace_add(&s->tr, "A-wait");
	trace_add(&s->tr, "A-woken=%d", sofsim_futex_wait(s->sim, WORD(s, 0), 0, SOFSIM_FOREVER));
}

static void fx_user(void *arg)
{
	struct scene *s = arg;
	struct sofsim *sim = s->sim;
	struct test_trace *tr = &s->tr;

	atomic_store(WORD(s, 0), 1);
	trace_add(tr, "B-wake=%d", sofsim_futex_wake(sim, WORD(s, 0), true));
	trace_add(tr, "ro=%d", sofsim_futex_wake(sim, WORD(s, PAGE), true));
	trace_add(tr, "kheap=%d", sofsim_futex_wake(sim, s->blk[0], true));
	trace_add(tr, "kheap-wait=%d", sofsim_futex_wait(sim, s->blk[0], 0, SOFSIM_FOREVER));
	trace_add(tr, "host=%d", sofsim_futex_wake(sim, (atomic_int *)s->host, false));
	trace_add(tr, "unreg=%d", sofsim_futex_wake(sim, WORD(s, 128), true));
	trace_add(tr, "unreg-wait=%d", sofsim_futex_wait(sim, WORD(s, 128), 0, SOFSIM_FOREVER));
	trace_add(tr, "lock=%d", sofsim_sys_mutex_lock(sim, SMX(s, 256), SOFSIM_FOREVER));
	trace_add(tr, "unlock=%d", sofsim_sys_mutex_unlock(sim, SMX(s, 256)));
	trace_add(tr, "lock-ro=%d", sofsim_sys_mutex_lock(sim, SMX(s, PAGE + 64), SOFSIM_FOREVER));
	trace_add(tr, "lock-unreg=%d", sofsim_sys_mutex_lock(sim, SMX(s, 512), SOFSIM_FOREVER));
	trace_add(tr, "unlock-unreg=%d", sofsim_sys_mutex_unlock(sim, SMX(s, 512)));
}

static void test_futex_from_user_needs_a_writable_registered_word(void **state)
{
	struct scene s;

	scene_open(&s, state, SOFSIM_PROT_VERIFY, SOFSIM_FAULT_KILL_THREAD, true);
	s.blk[0] = sofsim_heap_alloc(sofsim_kernel_heap(s.sim), sizeof(atomic_int), "test");
	assert_non_null(s.blk[0]);
	/* All but the words at 128 and 512 are registered: -EACCES can only come from the memory check. */
	assert_int_equal(sofsim_futex_define(s.sim, WORD(&s, 0)), 0);
	assert_int_equal(sofsim_futex_define(s.sim, WORD(&s, PAGE)), 0);
	assert_int_equal(sofsim_futex_define(s.sim, s.blk[0]), 0);
	assert_int_equal(sofsim_futex_define(s.sim, (atomic_int *)s.host), 0);
	assert_int_equal(sofsim_sys_mutex_define(s.sim, SMX(&s, 256)), 0);
	assert_int_equal(sofsim_sys_mutex_define(s.sim, SMX(&s, PAGE + 64)), 0);
	spawn(&s, "A", 5, 0, true, fx_waiter, &s);
	spawn(&s, "B", 6, 0, true, fx_user, &s);
	run_idle(&s);
	/*
	 * A (prio 5) waits; B wakes it and A preempts B inside the wake. Words
	 * outside B's writable view (R page, kernel heap, host) give -EACCES
	 * (13), unregistered ones -EINVAL (22) without blocking (§1.6); no oops.
	 */
	assert_string_equal(s.tr.text, "A-wait A-woken=0 B-wake=1 ro=-13 kheap=-13 kheap-wait=-13 host=-13 "
				       "unreg=-22 unreg-wait=-22 lock=0 unlock=0 lock-ro=-13 lock-unreg=-22 "
				       "unlock-unreg=-22 ");
	assert_int_equal(sofsim_fault_count(s.sim), 0);
	assert_int_equal(sofsim_heap_free(sofsim_kernel_heap(s.sim), s.blk[0]), 0);
	scene_close(&s);
}

/* ---- raw entry ---- */

static void raw_probe(void *arg)
{
	struct scene *s = arg;
	uintptr_t args[SOFSIM_SYSCALL_ARGS] = { 0 };

	if (s->count == 1)
		assert_int_equal(sofsim_thread_user_mode_enter(s->sim), 0);
	trace_add(&s->tr, "cpu=%u",
		  (unsigned)sofsim_syscall_raw(s->sim, (unsigned)sofsim_syscall_find("cpu_get_id"), args));
	sofsim_syscall_raw(s->sim, sofsim_syscall_count(), args);
	trace_add(&s->tr, "returned");
}

static void test_raw_syscall_with_bad_id_oopses(void **state)
{
	uintptr_t args[SOFSIM_SYSCALL_ARGS] = { 0 };
	struct scene s;
	char why[64];

	scene_open(&s, state, SOFSIM_PROT_VERIFY, SOFSIM_FAULT_KILL_THREAD, false);
	assert_int_equal(sofsim_syscall_raw(s.sim, 0, args), (uintptr_t)-EPERM); /* not from the host */
	snprintf(why, sizeof(why), "Bad system call id %u", sofsim_syscall_count());
	for (s.count = 0; s.count < 2; s.count++) { /* a kernel thread, then a user thread: the same trap */
		struct sofsim_thread *t = spawn(&s, "raw", 5, 3, false, raw_probe, &s);
		struct sofsim_fault f;

		trace_reset(&s.tr);
		run_idle(&s);
		assert_string_equal(s.tr.text, "cpu=3 ");
		f = one_fault(&s, t);
		assert_int_equal(f.reason, SOFSIM_REASON_KERNEL_OOPS); /* "Bad system call id" → oops (§1.4) */
		assert_int_equal(f.kind, SOFSIM_FAULT_BAD_SYSCALL);
		assert_non_null(strstr(f.detail, why));
		assert_int_equal(f.user, s.count == 1);
	}
	scene_close(&s);
}

/* ---- page-granular and byte-exact memory checks ---- */

static void edge_probe(void *arg)
{
	struct scene *s = arg;
	uint8_t *lo = sofsim_thread_self(s->sim)->stack_lo;
	size_t bytes = sofsim_thread_self(s->sim)->stack_bytes;

	trace_add(&s->tr, "last-rw=%d", sofsim_futex_wake(s->sim, WORD(s, PAGE - 4), true));
	trace_add(&s->tr, "past-rw=%d", sofsim_futex_wake(s->sim, WORD(s, 2 * PAGE), true));
	trace_add(&s->tr, "straddle=%d", sofsim_futex_wake(s->sim, WORD(s, PAGE - 2), true));
	trace_add(&s->tr, "stack-last=%d", sofsim_futex_wake(s->sim, (atomic_int *)(lo + bytes - 4), true));
	trace_add(&s->tr, "stack-tail=%d", sofsim_futex_wake(s->sim, (atomic_int *)(lo + bytes), true));
	trace_add(&s->tr, "stack-past=%d", sofsim_futex_wake(s->sim, (atomic_int *)(lo + 9 * PAGE), true));
}

static void run_edges(void **state, bool byte_exact, const char *expect)
{
	/* 8 pages + 100 bytes: the last page is mapped whole, but only 100 bytes of it are stack. */
	struct sofsim_thread_attr attr = { .name = "edge", .prio = 5, .user = true, .stack_bytes = 8 * PAGE + 100 };
	struct sofsim_thread *t;
	struct scene s;
	uintptr_t past;

	scene_open(&s, state, SOFSIM_PROT_VERIFY, SOFSIM_FAULT_KILL_THREAD, true);
	s.sim->verify_byte_exact = byte_exact;
	assert_int_equal(sofsim_futex_define(s.sim, WORD(&s, PAGE - 4)), 0);
	assert_int_equal(sofsim_futex_define(s.sim, WORD(&s, 2 * PAGE)), 0);
	assert_int_equal(sofsim_thread_create(s.sim, &attr, edge_probe, &s, &t), 0);
	assert_int_equal(sofsim_domain_add_thread(s.dom, t), 0);
	past = (uintptr_t)t->stack_lo + 9 * PAGE;
	assert_true((uintptr_t)t->stack_lo % PAGE == 0);
	assert_true(past <= (uintptr_t)s.pages || past >= (uintptr_t)s.pages + 3 * PAGE); /* not a partition */
	run_idle(&s);
	assert_string_equal(s.tr.text, expect);
	assert_int_equal(sofsim_fault_count(s.sim), 0);
	assert_true(sofsim_domain_allows(s.dom, (uintptr_t)s.pages, PAGE, true));
	assert_false(sofsim_domain_allows(s.dom, (uintptr_t)s.pages + PAGE - 1, 2, true));
	scene_close(&s);
}

static void test_page_granular_and_byte_exact_checks_differ_only_at_the_stack_tail(void **state)
{
	/*
	 * Page-granular (arch_buffer_validate on the Xtensa MMU, §1.4): a
	 * registered word on the RW page → 0 woken; on the page after the
	 * partitions → -EACCES; straddling into the R-only page → -EACCES.
	 * Partitions are page aligned, so at a partition edge rounding out adds
	 * nothing: both modes agree there. The stack is page aligned but its
	 * size need not be: the word just past 8 pages + 100 bytes is on the
	 * stack's last, mapped page — fine when rounding out (an unregistered
	 * word: -EINVAL), -EACCES byte-exact, the one place the modes differ.
	 */
	run_edges(state, false, "last-rw=0 past-rw=-13 straddle=-13 stack-last=-22 stack-tail=-22 stack-past=-13 ");
	run_edges(state, true, "last-rw=0 past-rw=-13 straddle=-13 stack-last=-22 stack-tail=-13 stack-past=-13 ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syscall_table_has_unique_names_and_a_verdict_each),
		cmocka_unit_test(test_every_kernel_syscall_has_a_verdict_test),
		CARRIER_TESTS(test_k_sem_syscall_verdicts_both_ways),
		CARRIER_TESTS(test_k_mutex_syscall_verdicts_both_ways),
		CARRIER_TESTS(test_k_event_syscall_verdicts_both_ways),
		CARRIER_TESTS(test_k_timer_syscall_verdicts_both_ways),
		CARRIER_TESTS(test_k_thread_syscall_verdicts_both_ways),
		CARRIER_TESTS(test_user_thread_create_copies_attr_and_name_in),
		CARRIER_TESTS(test_thread_create_uses_the_checked_copy_of_attr),
		CARRIER_TESTS(test_cache_invalidate_needs_write_access),
		CARRIER_TESTS(test_cpu_id_and_uptime_ticks_work_in_user_mode),
		CARRIER_TESTS(test_futex_from_user_needs_a_writable_registered_word),
		CARRIER_TESTS(test_raw_syscall_with_bad_id_oopses),
		CARRIER_TESTS(test_page_granular_and_byte_exact_checks_differ_only_at_the_stack_tail),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
