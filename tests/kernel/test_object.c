/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Kernel objects with Zephyr's rules (userspace sheet §1.3, §1.6): grants
 * from supervisor and user mode, silently ignored supervisor grants,
 * revoke and release, dynamic objects freed with their last permission,
 * k_object_free being supervisor-only (bug class 2), the object pool
 * running out under the leak pattern and not under the fixed one (bug
 * class 1), thread indexes running out (bug class 18), unallocatable types,
 * and sys_sem / sys_mutex that silently stop synchronising when they are
 * not registered (bug class 4).
 */
#include <errno.h>

#include "kernel/kernel_priv.h" /* unregistered_sync_ops */
#include "user_test.h"

/* A KILL_THREAD context (a faulting probe ends alone) whose threads share a domain. */
static void open_scene(struct scene *s, void **state)
{
	scene_open(s, state, SOFSIM_PROT_VERIFY, SOFSIM_FAULT_KILL_THREAD, true);
}

static struct sofsim_object_stats stats(const struct scene *s)
{
	struct sofsim_object_stats st;

	sofsim_object_stats(s->sim, &st);
	return st;
}

/* ---- grants ---- */

static void taker(void *arg)
{
	struct scene *s = arg;

	trace_add(&s->tr, "take0=%d", sofsim_sem_take(s->sem[0], SOFSIM_NO_WAIT));
	trace_add(&s->tr, "take1=%d", sofsim_sem_take(s->sem[1], SOFSIM_NO_WAIT));
}

static void kernel_granter(void *arg)
{
	struct scene *s = arg;

	sofsim_object_grant(s->sim, s->sem[1], s->t[0]); /* supervisor mode: just sets the bit */
	trace_add(&s->tr, "granted");
}

static void test_supervisor_grant_gives_access(void **state)
{
	struct scene s;

	open_scene(&s, state);
	assert_int_equal(sofsim_sem_create(s.sim, 1, 1, &s.sem[0]), 0);
	assert_int_equal(sofsim_sem_create(s.sim, 1, 1, &s.sem[1]), 0);
	s.t[0] = spawn(&s, "ll_user", 5, 0, true, taker, &s);
	assert_false(sofsim_object_has_access(s.sim, s.sem[0], s.t[0]));
	sofsim_object_grant(s.sim, s.sem[0], s.t[0]); /* from the host */
	assert_true(sofsim_object_has_access(s.sim, s.sem[0], s.t[0]));
	spawn(&s, "ipc", 4, 0, false, kernel_granter, &s); /* from a kernel thread, before the user thread runs */
	run_idle(&s);
	assert_string_equal(s.tr.text, "granted take0=0 take1=0 ");
	assert_int_equal(sofsim_fault_count(s.sim), 0);
	assert_int_equal(stats(&s).unknown_grants, 0);
	scene_close(&s);
}

static void user_granter(void *arg)
{
	struct scene *s = arg;
	char not_an_object[64] = { 0 };

	switch (s->count) {
	case 0: /* permission on both */
	case 1: /* no permission on sem[1] */
		sofsim_object_grant(s->sim, s->sem[s->count], s->t[2]);
		break;
	case 2: /* permission on sem[0], none on thread t[1] */
		sofsim_object_grant(s->sim, s->sem[0], s->t[1]);
		break;
	case 3:
		sofsim_object_grant(s->sim, not_an_object, s->t[2]);
		break;
	default: /* no permission on either: Zephyr checks the thread first */
		sofsim_object_grant(s->sim, s->sem[1], s->t[1]);
		break;
	}
	trace_add(&s->tr, "returned%u", s->count);
}

static void sleep_forever(void *arg)
{
	sofsim_sleep(((struct scene *)arg)->sim, UINT64_MAX);
}

static void test_user_grant_needs_permission_on_object_and_thread(void **state)
{
	/* Zephyr checks the thread first, then the object (userspace_handler.c). */
	static const char *const arg[] = { "", "object", "thread", "object", "thread" };
	static const char *const why[] = { "", "access denied", "access denied", "not a known kernel object",
					   "access denied" };
	struct scene s;

	open_scene(&s, state);
	assert_int_equal(sofsim_sem_create(s.sim, 1, 1, &s.sem[0]), 0);
	assert_int_equal(sofsim_sem_create(s.sim, 1, 1, &s.sem[1]), 0);
	s.t[1] = spawn(&s, "other", 9, 0, true, sleep_forever, &s);
	s.t[2] = spawn(&s, "ll_user0", 9, 0, true, sleep_forever, &s);
	for (s.count = 0; s.count < 5; s.count++) {
		struct sofsim_thread *u = spawn(&s, "ipc_user", 5, 0, true, user_granter, &s);

		/* The caller may use sem[0] and the LL thread t[2], nothing else (§1.3). */
		sofsim_object_grant(s.sim, s.sem[0], u);
		sofsim_object_grant(s.sim, s.t[2], u);
		run_idle(&s);
		if (s.count == 0) {
			assert_int_equal(sofsim_fault_count(s.sim), 0);
			assert_true(sofsim_object_has_access(s.sim, s.sem[0], s.t[2]));
		} else {
			assert_oops(&s, u, "k_object_access_grant", arg[s.count], why[s.count]);
		}
	}
	assert_string_equal(s.tr.text, "returned0 ");
	assert_false(sofsim_object_has_access(s.sim, s.sem[1], s.t[2]));
	assert_false(sofsim_object_has_access(s.sim, s.sem[0], s.t[1]));
	assert_int_equal(stats(&s).unknown_grants, 0);
	scene_close(&s);
}

static void kernel_grants_unknown(void *arg)
{
	struct scene *s = arg;
	uint64_t fake_thread[64] = { 0 };

	sofsim_object_grant(s->sim, s->sem[0], (struct sofsim_thread *)fake_thread); /* not a known thread */
	sofsim_object_grant(s->sim, s->sem[0], s->t[1]);                            /* a thread that has ended */
	trace_add(&s->tr, "done");
}

static void nothing(void *arg)
{
	(void)arg;
}

static void test_supervisor_grant_of_unknowns_does_nothing_but_is_counted(void **state)
{
	struct scene s;
	int not_an_object = 0;

	open_scene(&s, state);
	assert_int_equal(sofsim_sem_create(s.sim, 1, 1, &s.sem[0]), 0);
	s.t[0] = spawn(&s, "ll_user", 5, 0, true, nothing, &s);
	s.t[1] = spawn(&s, "gone", 5, 0, true, nothing, &s);
	run_idle(&s);
	sofsim_object_grant(s.sim, &not_an_object, s.t[0]); /* host: an unknown object */
	assert_int_equal(stats(&s).unknown_grants, 1);
	spawn(&s, "ipc", 4, 0, false, kernel_grants_unknown, &s);
	run_idle(&s);
	/* Zephyr: a supervisor grant on an unknown object or thread silently does nothing (§1.3). */
	assert_string_equal(s.tr.text, "done ");
	assert_int_equal(stats(&s).unknown_grants, 3);
	assert_int_equal(count_events(s.sim, SOFSIM_EV_FLAG, 3, INT32_MIN), 3);
	assert_int_equal(sofsim_fault_count(s.sim), 0);
	scene_close(&s);
}

/* ---- revoke, release, automatic free ---- */

static void user_take0(void *arg)
{
	struct scene *s = arg;

	trace_add(&s->tr, "take=%d", sofsim_sem_take(s->sem[0], SOFSIM_NO_WAIT));
}

static void user_revokes(void *arg)
{
	struct scene *s = arg;

	sofsim_object_revoke(s->sim, s->sem[0], sofsim_thread_self(s->sim));
	trace_add(&s->tr, "revoked");
}

static void releaser(void *arg)
{
	struct scene *s = arg;
	int not_an_object = 0;

	if (s->count == 1) {
		sofsim_object_release(s->sim, &not_an_object);
		trace_add(&s->tr, "returned");
		return;
	}
	if (s->count == 2) { /* known, but not ours */
		sofsim_object_release(s->sim, s->sem[0]);
		trace_add(&s->tr, "returned");
		return;
	}
	sofsim_object_release(s->sim, s->sem[0]);
	trace_add(&s->tr, "access=%d", sofsim_object_has_access(s->sim, s->sem[0], sofsim_thread_self(s->sim)));
	sofsim_sem_take(s->sem[0], SOFSIM_NO_WAIT);
	trace_add(&s->tr, "returned");
}

static void test_revoke_and_release_drop_permission(void **state)
{
	struct scene s;
	struct sofsim_thread *u;
	struct sofsim_fault f;

	open_scene(&s, state);
	assert_int_equal(sofsim_sem_create(s.sim, 1, 1, &s.sem[0]), 0);
	u = spawn(&s, "ll_user", 5, 0, true, user_take0, &s);
	sofsim_object_grant(s.sim, s.sem[0], u);
	sofsim_object_revoke(s.sim, s.sem[0], u); /* supervisor revoke */
	assert_false(sofsim_object_has_access(s.sim, s.sem[0], u));
	run_idle(&s);
	assert_oops(&s, u, "k_sem_take", "sem", "access denied");

	/* Revoke is supervisor-only: from user mode it is a kernel-only API (cause 8). */
	u = spawn(&s, "ll_user", 5, 0, true, user_revokes, &s);
	sofsim_object_grant(s.sim, s.sem[0], u);
	run_idle(&s);
	f = one_fault(&s, u);
	assert_int_equal(f.reason, SOFSIM_REASON_CPU_EXCEPTION);
	assert_int_equal(f.exccause, SOFSIM_EXCCAUSE_PRIVILEGED);

	/* k_object_release drops the caller's own bit; the next use oopses. */
	s.count = 0;
	u = spawn(&s, "ll_user", 5, 0, true, releaser, &s);
	sofsim_object_grant(s.sim, s.sem[0], u);
	run_idle(&s);
	assert_oops(&s, u, "k_sem_take", "sem", "access denied");
	assert_true(sofsim_object_known(s.sim, s.sem[0])); /* static objects outlive their permissions */
	s.count = 1;
	u = spawn(&s, "ll_user", 5, 0, true, releaser, &s);
	run_idle(&s);
	assert_oops(&s, u, "k_object_release", "object", "not a known kernel object");
	/*
	 * Zephyr's z_vrfy_k_object_release validates with K_OBJ_ANY and
	 * _OBJ_INIT_ANY, which includes the permission check: releasing an
	 * object the caller holds no permission on oopses ("object %p access
	 * denied", kernel/userspace/userspace_handler.c).
	 */
	s.count = 2;
	u = spawn(&s, "ll_user", 5, 0, true, releaser, &s);
	run_idle(&s);
	assert_oops(&s, u, "k_object_release", "object", "access denied");
	assert_string_equal(s.tr.text, "access=0 ");
	scene_close(&s);
}

static void dyn_owner(void *arg)
{
	struct scene *s = arg;

	trace_add(&s->tr, "alloc=%d", sofsim_object_alloc(s->sim, SOFSIM_OBJ_SEM, &s->dyn));
	trace_add(&s->tr, "init=%d", sofsim_sem_init(s->dyn, 0, 1));
	sofsim_object_grant(s->sim, s->dyn, s->t[1]);
	sofsim_object_release(s->sim, s->dyn);
	trace_add(&s->tr, "released");
}

static void dyn_sharer(void *arg)
{
	struct scene *s = arg;

	sofsim_sem_take(s->sem[0], SOFSIM_FOREVER);
	sofsim_sem_give(s->dyn);
	trace_add(&s->tr, "used");
	sofsim_object_release(s->sim, s->dyn);
	trace_add(&s->tr, "released");
}

static void dyn_kernel(void *arg)
{
	struct scene *s = arg;

	assert_int_equal(sofsim_object_alloc(s->sim, s->count, &s->dyn), 0);
}

static void test_dynamic_object_is_freed_with_its_last_permission(void **state)
{
	struct scene s;
	struct sofsim_object_stats st;
	struct sofsim_thread *k;

	open_scene(&s, state);
	assert_int_equal(sofsim_sem_create(s.sim, 0, 1, &s.sem[0]), 0);
	st = stats(&s);
	assert_int_equal(st.pool_used, 0);
	assert_int_equal(st.live[SOFSIM_OBJ_SEM], 1); /* the static sem[0] */
	s.t[1] = spawn(&s, "ll_user", 6, 0, true, dyn_sharer, &s);
	sofsim_object_grant(s.sim, s.sem[0], s.t[1]);
	s.t[0] = spawn(&s, "ipc_user", 5, 0, true, dyn_owner, &s);
	sofsim_object_grant(s.sim, s.t[1], s.t[0]); /* so the owner may grant to it from user mode */
	run_idle(&s);
	/* One dynamic k_sem: 56 pool bytes (object.h); the sharer still holds it. */
	st = stats(&s);
	assert_true(sofsim_object_known(s.sim, s.dyn));
	assert_int_equal(st.live[SOFSIM_OBJ_SEM], 2);
	assert_int_equal(st.dynamic[SOFSIM_OBJ_SEM], 1);
	assert_int_equal(st.pool_used, 56);
	sofsim_sem_give(s.sem[0]);
	run_idle(&s);
	assert_string_equal(s.tr.text, "alloc=0 init=0 released used released ");
	st = stats(&s);
	assert_false(sofsim_object_known(s.sim, s.dyn));
	assert_int_equal(st.live[SOFSIM_OBJ_SEM], 1);
	assert_int_equal(st.dynamic[SOFSIM_OBJ_SEM], 0);
	assert_int_equal(st.pool_used, 0);
	assert_int_equal(st.pool_peak, 56);

	/* Revoke of the only holder frees it; so does the holder's exit (z_thread_perms_all_clear). */
	s.count = SOFSIM_OBJ_TIMER;
	k = spawn(&s, "ipc", 5, 0, false, dyn_kernel, &s);
	run_idle(&s);
	assert_int_equal(stats(&s).pool_used, 0); /* k ended: its timer went with it */
	assert_true(sofsim_thread_ended(k));
	assert_int_equal(sofsim_object_alloc(s.sim, SOFSIM_OBJ_EVENT, &s.dyn), 0); /* host: no holder */
	assert_int_equal(stats(&s).pool_used, 48);
	s.t[1] = spawn(&s, "holder", 5, 0, true, sleep_forever, &s);
	sofsim_object_grant(s.sim, s.dyn, s.t[1]);
	sofsim_object_revoke(s.sim, s.dyn, s.t[1]);
	assert_false(sofsim_object_known(s.sim, s.dyn));
	assert_int_equal(stats(&s).pool_used, 0);
	scene_close(&s);
}

static void user_frees(void *arg)
{
	struct scene *s = arg;

	assert_int_equal(sofsim_object_alloc(s->sim, SOFSIM_OBJ_SEM, &s->dyn), 0);
	sofsim_object_free(s->sim, s->dyn); /* not a syscall: kernel code in user mode (bug class 2) */
	trace_add(&s->tr, "returned");
}

static void kernel_frees(void *arg)
{
	struct scene *s = arg;

	assert_int_equal(sofsim_object_alloc(s->sim, SOFSIM_OBJ_SEM, &s->dyn), 0);
	sofsim_object_free(s->sim, s->dyn);
	trace_add(&s->tr, "freed known=%d", sofsim_object_known(s->sim, s->dyn));
}

static void test_object_free_is_supervisor_only(void **state)
{
	struct scene s;
	struct sofsim_thread *u;
	struct sofsim_fault f;

	open_scene(&s, state);
	u = spawn(&s, "ll_user", 5, 0, true, user_frees, &s);
	run_idle(&s);
	f = one_fault(&s, u);
	assert_int_equal(f.reason, SOFSIM_REASON_CPU_EXCEPTION);
	assert_int_equal(f.exccause, SOFSIM_EXCCAUSE_PRIVILEGED);
	assert_int_equal(f.kind, SOFSIM_FAULT_PRIV_OP);
	assert_non_null(strstr(f.op, "k_object_free"));
	assert_int_equal(stats(&s).pool_used, 0); /* the thread's end released its last permission */
	spawn(&s, "ipc", 5, 0, false, kernel_frees, &s);
	run_idle(&s);
	assert_string_equal(s.tr.text, "freed known=0 ");
	/*
	 * k_object_free only frees dynamic objects (it looks the address up
	 * among dyn_obj; kernel/userspace/userspace.c): a static object, like
	 * one made with sofsim_sem_create (K_SEM_DEFINE), stays.
	 */
	assert_int_equal(sofsim_sem_create(s.sim, 1, 1, &s.sem[0]), 0);
	sofsim_object_free(s.sim, s.sem[0]);
	assert_true(sofsim_object_known(s.sim, s.sem[0]));
	assert_int_equal(stats(&s).live[SOFSIM_OBJ_SEM], 1);
	assert_int_equal(sofsim_sem_take(s.sem[0], SOFSIM_NO_WAIT), 0);
	sofsim_sem_destroy(s.sem[0]);
	assert_int_equal(sofsim_fault_count(s.sim), 0);
	scene_close(&s);
}

/* ---- pool exhaustion (bug class 1) ---- */

/* The LL user thread runs each task on its semaphore, then "deletes" the task: it cannot free the sem. */
static void ll_user(void *arg)
{
	struct scene *s = arg;

	for (;;) {
		sofsim_sem_take(s->sem[0], SOFSIM_FOREVER); /* a task arrives */
		sofsim_sem_give(s->dyn);
		assert_int_equal(sofsim_sem_take(s->dyn, SOFSIM_NO_WAIT), 0);
		sofsim_object_release(s->sim, s->dyn); /* all it can do: drop its own bit */
		sofsim_sem_give(s->sem[1]);    /* task deleted */
	}
}

static void ipc_kernel(void *arg)
{
	struct scene *s = arg;
	bool fixed = s->count != 0;
	unsigned cycles = fixed ? 10000 : 1000;

	for (unsigned i = 1; i <= cycles; i++) {
		int ret = sofsim_object_alloc(s->sim, SOFSIM_OBJ_SEM, &s->dyn);

		if (ret) {
			s->err = ret;
			s->count = i;
			break;
		}
		assert_int_equal(sofsim_sem_init(s->dyn, 0, 1), 0);
		sofsim_object_grant(s->sim, s->dyn, s->t[0]);
		sofsim_sem_give(s->sem[0]);
		sofsim_sem_take(s->sem[1], SOFSIM_FOREVER);
		if (fixed) { /* zephyr_ll_task_sem_free: the kernel frees it (ffa52dfc24) */
			sofsim_object_free(s->sim, s->dyn);
			assert_int_equal(stats(s).pool_used, 0);
		}
	}
	if (!s->err)
		s->count = cycles + 1;
	/* The IPC thread lives on: its permissions keep what it leaked alive. */
	sofsim_sleep(s->sim, UINT64_MAX);
}

static void user_alloc_fails(void *arg)
{
	struct scene *s = arg;
	void *o;

	trace_add(&s->tr, "sem=%d", sofsim_object_alloc(s->sim, SOFSIM_OBJ_SEM, &o));
	trace_add(&s->tr, "event=%d", sofsim_object_alloc(s->sim, SOFSIM_OBJ_EVENT, &o));
}

static void run_pool(void **state, bool fixed)
{
	struct scene s;
	struct sofsim_object_stats st;

	open_scene(&s, state);
	assert_int_equal(sofsim_sem_create(s.sim, 0, 1, &s.sem[0]), 0);
	assert_int_equal(sofsim_sem_create(s.sim, 0, 1, &s.sem[1]), 0);
	st = stats(&s);
	assert_int_equal(st.pool_used, 0); /* no dynamic object at baseline */
	assert_int_equal(st.pool_budget, 8192);
	assert_int_equal(sofsim_object_cost(SOFSIM_OBJ_SEM), 56);
	s.t[0] = spawn(&s, "ll_user0", 5, 0, true, ll_user, &s);
	sofsim_object_grant(s.sim, s.sem[0], s.t[0]);
	sofsim_object_grant(s.sim, s.sem[1], s.t[0]);
	s.count = fixed;
	spawn(&s, "ipc", 4, 0, false, ipc_kernel, &s);
	run_idle(&s);
	st = stats(&s);
	assert_int_equal(sofsim_fault_count(s.sim), 0);
	if (fixed) {
		assert_int_equal(s.count, 10001);
		assert_int_equal(st.pool_used, 0);
		assert_int_equal(st.pool_peak, 56);
		assert_int_equal(st.dynamic[SOFSIM_OBJ_SEM], 0);
	} else {
		/* floor(8192 / 56) = 146 sems fit (8176 bytes); allocation 147 would need 8232. */
		assert_int_equal(s.count, 147);
		assert_int_equal(s.err, -ENOMEM);
		assert_int_equal(st.pool_used, 146 * 56);
		assert_int_equal(st.pool_peak, 146 * 56);
		assert_int_equal(st.dynamic[SOFSIM_OBJ_SEM], 146);
		/* 16 bytes are left: from user mode the k_object_alloc syscall fails too, even for a 48-byte k_event. */
		spawn(&s, "ll_user1", 5, 0, true, user_alloc_fails, &s);
		run_idle(&s);
		assert_string_equal(s.tr.text, "sem=-12 event=-12 ");
	}
	scene_close(&s);
}

static void test_leaked_task_sems_exhaust_the_pool_at_allocation_147(void **state) { run_pool(state, false); }
static void test_kernel_freed_task_sems_keep_the_pool_at_baseline(void **state) { run_pool(state, true); }

/* ---- thread indexes (bug class 18), unallocatable types ---- */

static void sleep_1ms(void *arg)
{
	sofsim_sleep(((struct scene *)arg)->sim, MS);
}

static void test_thread_indexes_run_out_at_the_profile_limit(void **state)
{
	struct sofsim_thread_attr attr = { .name = "t", .prio = 5, .stack_bytes = 16 * 1024 };
	struct sofsim_thread *t[24], *extra = NULL;
	struct scene s;

	open_scene(&s, state);
	assert_int_equal(stats(&s).thread_index_limit, 24); /* PTL: CONFIG_MAX_THREAD_BYTES 3 → 24 (§1.3) */
	assert_int_equal(stats(&s).thread_indexes_used, 0);
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < 24; i++)
			assert_int_equal(sofsim_thread_create(s.sim, &attr, sleep_1ms, &s, &t[i]), 0);
		assert_int_equal(stats(&s).thread_indexes_used, 24);
		assert_int_equal(sofsim_thread_create(s.sim, &attr, sleep_1ms, &s, &extra), -ENOMEM);
		/* One ends (aborted before it ran): its index is free again. */
		assert_int_equal(sofsim_thread_abort(t[0]), 0);
		assert_int_equal(sofsim_thread_create(s.sim, &attr, sleep_1ms, &s, &t[0]), 0);
		assert_int_equal(sofsim_thread_create(s.sim, &attr, sleep_1ms, &s, &extra), -ENOMEM);
		/* All end at 1 ms and give their indexes back. */
		assert_int_equal(sofsim_run_until(s.sim, sofsim_now(s.sim) + MS), 0);
		assert_int_equal(stats(&s).thread_indexes_used, 0);
	}
	scene_close(&s);
}

static void user_allocs_futex(void *arg)
{
	struct scene *s = arg;
	void *o = s;

	trace_add(&s->tr, "futex=%d", sofsim_object_alloc(s->sim, SOFSIM_OBJ_FUTEX, &o));
	trace_add(&s->tr, "null=%d", o == NULL);
}

static void test_object_alloc_refuses_types_that_cannot_be_allocated(void **state)
{
	/* Futexes and sys_mutexes live in user memory; threads, devices, domains are not k_object_alloc'able. */
	static const unsigned refused[] = { SOFSIM_OBJ_FUTEX, SOFSIM_OBJ_SYS_MUTEX, SOFSIM_OBJ_THREAD,
					    SOFSIM_OBJ_DRIVER_DMA, SOFSIM_OBJ_DRIVER_DAI, SOFSIM_OBJ_MEM_DOMAIN,
					    SOFSIM_OBJ_WORK_Q, SOFSIM_OBJ_TYPE_COUNT, 99 };
	static const unsigned allowed[] = { SOFSIM_OBJ_SEM, SOFSIM_OBJ_MUTEX, SOFSIM_OBJ_EVENT, SOFSIM_OBJ_TIMER };
	struct scene s;
	void *o[4];

	open_scene(&s, state);
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		void *x = &s;

		assert_int_equal(sofsim_object_alloc(s.sim, refused[i], &x), -EINVAL);
		assert_null(x);
	}
	assert_int_equal(sofsim_object_alloc(s.sim, SOFSIM_OBJ_SEM, NULL), -EINVAL);
	assert_int_equal(stats(&s).pool_used, 0);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(sofsim_object_alloc(s.sim, allowed[i], &o[i]), 0);
	assert_int_equal(stats(&s).pool_used, 56 + 56 + 48 + 88); /* costs listed in object.h */
	for (size_t i = 0; i < 4; i++)
		sofsim_object_free(s.sim, o[i]);
	assert_int_equal(stats(&s).pool_used, 0);
	spawn(&s, "ll_user", 5, 0, true, user_allocs_futex, &s);
	run_idle(&s);
	assert_string_equal(s.tr.text, "futex=-22 null=1 ");
	assert_int_equal(sofsim_fault_count(s.sim), 0);
	scene_close(&s);
}

/* ---- unregistered sys_sem / sys_mutex (bug class 4) ---- */

static void sys_sem_user(void *arg)
{
	struct scene *s = arg;
	struct sofsim_sys_sem *ss = (struct sofsim_sys_sem *)s->pages; /* on the "heap": user memory, never defined */
	uint64_t t0 = sofsim_now(s->sim);

	assert_int_equal(sofsim_sys_sem_init(ss, 1, 1), 0);
	trace_add(&s->tr, "take1=%d", sofsim_sys_sem_take(s->sim, ss, SOFSIM_FOREVER));
	trace_add(&s->tr, "take0=%d", sofsim_sys_sem_take(s->sim, ss, SOFSIM_FOREVER));
	trace_add(&s->tr, "dt=%llu", (unsigned long long)(sofsim_now(s->sim) - t0));
}

static void test_unregistered_sys_sem_take_returns_einval_without_blocking(void **state)
{
	struct scene s;
	struct sofsim_thread *u;

	open_scene(&s, state);
	u = spawn(&s, "ll_user", 5, 0, true, sys_sem_user, &s);
	assert_int_equal(sofsim_run_until(s.sim, 5 * MS), 0);
	/*
	 * Count 1: the atomic fast path, no syscall. Count 0: k_futex_wait on an
	 * unregistered word returns -EINVAL (22) at once (§1.6): no time passes,
	 * the thread never blocks, and the op is flagged once.
	 */
	assert_string_equal(s.tr.text, "take1=0 take0=-22 dt=0 ");
	assert_int_equal(count_events(s.sim, SOFSIM_EV_BLOCK, -1, sofsim_thread_id(u)), 0);
	assert_int_equal(count_events(s.sim, SOFSIM_EV_FLAG, 4, INT32_MIN), 1);
	assert_int_equal(s.sim->unregistered_sync_ops, 1);
	assert_int_equal(sofsim_fault_count(s.sim), 0);
	scene_close(&s);
}

static void mutex_user(void *arg)
{
	struct scene *s = arg;
	struct sofsim_sys_mutex *m = (struct sofsim_sys_mutex *)(s->pages + 64);
	const char *me = sofsim_thread_name(sofsim_thread_self(s->sim));

	trace_add(&s->tr, "%s-lock=%d", me, sofsim_sys_mutex_lock(s->sim, m, SOFSIM_FOREVER));
	trace_add(&s->tr, "%s-in", me);
	sofsim_sleep(s->sim, MS); /* inside the critical section */
	trace_add(&s->tr, "%s-out", me);
	trace_add(&s->tr, "%s-unlock=%d", me, sofsim_sys_mutex_unlock(s->sim, m));
}

static void run_mutex(void **state, bool define, const char *expect, unsigned flags)
{
	struct scene s;

	open_scene(&s, state);
	if (define)
		assert_int_equal(sofsim_sys_mutex_define(s.sim, (struct sofsim_sys_mutex *)(s.pages + 64)), 0);
	spawn(&s, "A", 5, 0, true, mutex_user, &s);
	spawn(&s, "B", 6, 0, true, mutex_user, &s);
	run_idle(&s);
	assert_string_equal(s.tr.text, expect);
	assert_int_equal(count_events(s.sim, SOFSIM_EV_FLAG, 4, INT32_MIN), flags);
	assert_int_equal(s.sim->unregistered_sync_ops, flags);
	assert_int_equal(sofsim_fault_count(s.sim), 0);
	scene_close(&s);
}

static void test_unregistered_sys_mutex_does_not_exclude(void **state)
{
	/*
	 * A (prio 5) and B (prio 6) share core 0. Unregistered: both locks
	 * return -EINVAL (22) without locking (§1.6), so B enters while A sleeps
	 * inside; four flags (two locks, two unlocks).
	 */
	run_mutex(state, false, "A-lock=-22 A-in B-lock=-22 B-in A-out A-unlock=-22 B-out B-unlock=-22 ", 4);
}

static void test_registered_sys_mutex_excludes(void **state)
{
	/* Defined: B blocks in lock until A unlocks at 1 ms, then holds it until 2 ms. */
	run_mutex(state, true, "A-lock=0 A-in A-out A-unlock=0 B-lock=0 B-in B-out B-unlock=0 ", 0);
}

/* ---- freeing twice ---- */

static void kernel_frees_twice(void *arg)
{
	struct scene *s = arg;

	assert_int_equal(sofsim_object_alloc(s->sim, SOFSIM_OBJ_SEM, &s->dyn), 0);
	sofsim_object_free(s->sim, s->dyn);
	sofsim_object_free(s->sim, s->dyn); /* no longer a dynamic object: nothing to do (Zephyr: dyn_object_find fails) */
	trace_add(&s->tr, "pool=%u", stats(s).pool_used);
}

/*
 * Freeing an address that is no longer an object, from a kernel thread or
 * the host, is a no-op: the context is given, the address only looked up.
 */
static void test_freeing_a_freed_object_again_is_a_noop(void **state)
{
	struct scene s;

	open_scene(&s, state);
	spawn(&s, "ipc", 5, 0, false, kernel_frees_twice, &s);
	run_idle(&s);
	assert_string_equal(s.tr.text, "pool=0 ");
	assert_int_equal(sofsim_object_alloc(s.sim, SOFSIM_OBJ_SEM, &s.dyn), 0);
	sofsim_object_free(s.sim, s.dyn);
	sofsim_object_free(s.sim, s.dyn); /* the host: the same must hold */
	assert_false(sofsim_object_known(s.sim, s.dyn));
	assert_int_equal(stats(&s).pool_used, 0);
	scene_close(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CARRIER_TESTS(test_supervisor_grant_gives_access),
		CARRIER_TESTS(test_user_grant_needs_permission_on_object_and_thread),
		CARRIER_TESTS(test_supervisor_grant_of_unknowns_does_nothing_but_is_counted),
		CARRIER_TESTS(test_revoke_and_release_drop_permission),
		CARRIER_TESTS(test_dynamic_object_is_freed_with_its_last_permission),
		CARRIER_TESTS(test_object_free_is_supervisor_only),
		CARRIER_TESTS(test_leaked_task_sems_exhaust_the_pool_at_allocation_147),
		CARRIER_TESTS(test_kernel_freed_task_sems_keep_the_pool_at_baseline),
		CARRIER_TESTS(test_thread_indexes_run_out_at_the_profile_limit),
		CARRIER_TESTS(test_object_alloc_refuses_types_that_cannot_be_allocated),
		CARRIER_TESTS(test_unregistered_sys_sem_take_returns_einval_without_blocking),
		CARRIER_TESTS(test_unregistered_sys_mutex_does_not_exclude),
		CARRIER_TESTS(test_registered_sys_mutex_excludes),
		CARRIER_TESTS(test_freeing_a_freed_object_again_is_a_noop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
