/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Snapshot and reset: after a run that frees a snapshot-time allocation,
 * creates a thread and churns objects and allocations, a reset leaves the
 * context indistinguishable from the snapshot — clock, event log, heap and
 * object accounting, the next allocation's address, the freed block live
 * and readable again, a thread that ended during the run parked where it
 * was — and the same run then does exactly the same thing. 1,000 times in
 * a row with either thread carrier; the memcheck twin makes that
 * Valgrind-clean.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "sim_test.h"

#include "sofsim/mem.h"
#include "sofsim/object.h"

#include "kernel/kernel_priv.h"

#define MS SOFSIM_NSEC_PER_MSEC

struct scene {
	struct sofsim *sim;
	struct sofsim_sem *tick[2];
	struct sofsim_timer *timer[2];
	struct sofsim_sem *work;
	struct sofsim_sem *go;
	struct sofsim_thread *finisher; /* parked at the snapshot, ends and is released by the run */
	uint8_t *block;   /* allocated at boot, freed by the run */
	unsigned *passes; /* in the arena, so a reset puts it back too */
};

static void tick_isr(struct sofsim_timer *timer, void *arg)
{
	(void)timer;
	sofsim_sem_give(arg);
}

static void ll(void *arg)
{
	struct scene *s = arg;
	unsigned core = sofsim_thread_core(sofsim_thread_self(s->sim));

	for (;;) {
		sofsim_sem_take(s->tick[core], SOFSIM_FOREVER);
		(*s->passes)++;
		if (*s->passes % 3 == 0)
			sofsim_sem_give(s->work);
	}
}

/* Created after the snapshot: churns objects and both heaps, then ends. */
static void churn(void *arg)
{
	struct scene *s = arg;

	for (int i = 0; i < 4; i++) {
		void *obj = NULL;
		void *k = sofsim_heap_alloc(sofsim_kernel_heap(s->sim), 100 + i, "churn");
		void *u = sofsim_heap_alloc(sofsim_ll_user_heap(s->sim), 200 + i, "churn");

		assert_int_equal(sofsim_object_alloc(s->sim, SOFSIM_OBJ_SEM, &obj), 0);
		sofsim_sem_take(s->work, SOFSIM_FOREVER);
		sofsim_heap_free(sofsim_kernel_heap(s->sim), k);
		if (i % 2)
			sofsim_heap_free(sofsim_ll_user_heap(s->sim), u); /* half of them leak until the reset */
		sofsim_object_free(s->sim, obj);
	}
}

/* Alive at the snapshot: waits for the run, counts and ends. */
static void finisher(void *arg)
{
	struct scene *s = arg;

	sofsim_sem_take(s->go, SOFSIM_FOREVER);
	*s->passes += 100;
}

static void boot(struct scene *s, enum sofsim_threads carrier)
{
	struct sofsim_config cfg;
	struct sofsim_thread_attr fa = { .name = "finisher", .prio = 3, .core = 0 };
	struct sofsim_thread *t;

	sofsim_config_init(&cfg);
	cfg.threads = carrier;
	cfg.evlog_capacity = 1 << 12;
	cfg.stack_bytes = 64 * 1024;
	assert_int_equal(sofsim_create(&s->sim, &cfg, NULL, 0), 0);
	assert_int_equal(sofsim_sem_create(s->sim, 0, 8, &s->work), 0);
	for (unsigned c = 0; c < 2; c++) {
		struct sofsim_thread_attr a = { .name = c ? "ll_thread1" : "ll_thread0", .prio = -16, .core = c };

		assert_int_equal(sofsim_sem_create(s->sim, 0, 10, &s->tick[c]), 0);
		assert_int_equal(sofsim_timer_create(s->sim, c, tick_isr, s->tick[c], &s->timer[c]), 0);
		sofsim_timer_start(s->timer[c], MS, MS);
		assert_int_equal(sofsim_thread_create(s->sim, &a, ll, s, &t), 0);
	}
	s->block = sofsim_heap_alloc(sofsim_ll_user_heap(s->sim), 48, "boot");
	s->passes = sofsim_heap_alloc(sofsim_ll_user_heap(s->sim), sizeof(*s->passes), "boot");
	memset(s->block, 0xa5, 48);
	assert_int_equal(sofsim_sem_create(s->sim, 0, 1, &s->go), 0);
	assert_int_equal(sofsim_thread_create(s->sim, &fa, finisher, s, &s->finisher), 0);
	assert_int_equal(sofsim_run_until(s->sim, 3 * MS), 0);
}

/* What must be the same after every reset. */
struct fingerprint {
	uint64_t now, evlog_total;
	struct sofsim_event last;
	struct sofsim_heap_owner_stats kheap, uheap;
	struct sofsim_object_stats objects;
	struct sofsim_stats stats;
	unsigned passes;
};

static void take(struct scene *s, struct fingerprint *f)
{
	memset(f, 0, sizeof(*f));
	f->now = sofsim_now(s->sim);
	f->evlog_total = sofsim_evlog_total(s->sim);
	assert_int_equal(sofsim_evlog_get(s->sim, sofsim_evlog_size(s->sim) - 1, &f->last), 0);
	sofsim_heap_stats(sofsim_kernel_heap(s->sim), &f->kheap);
	sofsim_heap_stats(sofsim_ll_user_heap(s->sim), &f->uheap);
	sofsim_object_stats(s->sim, &f->objects);
	sofsim_stats_get(s->sim, &f->stats);
	f->passes = *s->passes;
}

/* The scripted run after the snapshot; returns the address the next LL-heap allocation got. */
static uintptr_t scripted_run(struct scene *s, struct fingerprint *after)
{
	struct sofsim_thread_attr a = { .name = "churn", .prio = 2, .core = 1 };
	struct sofsim_thread *t;
	void *probe = sofsim_heap_alloc(sofsim_ll_user_heap(s->sim), 32, "probe");
	uintptr_t addr = (uintptr_t)probe;

	sofsim_heap_free(sofsim_ll_user_heap(s->sim), probe);
	sofsim_heap_free(sofsim_ll_user_heap(s->sim), s->block);
	assert_int_equal(sofsim_thread_create(s->sim, &a, churn, s, &t), 0);
	sofsim_sem_give(s->go);
	assert_int_equal(sofsim_run_until(s->sim, sofsim_now(s->sim) + 15 * MS), 0);
	assert_true(sofsim_thread_ended(s->finisher));
	assert_int_equal(sofsim_thread_release(s->finisher), 0);
	take(s, after);
	return addr;
}

static void test_reset_is_indistinguishable_from_the_snapshot_1000_times(void **state)
{
	struct scene s = { 0 };
	struct fingerprint at_snap, now, first_after, after;
	uintptr_t first_addr;
	char why[128];

	boot(&s, carrier_of(state));
	assert_int_equal(sofsim_snapshot(s.sim, why, sizeof(why)), 0);
	take(&s, &at_snap);
	first_addr = scripted_run(&s, &first_after);
	/* The run did change things: time, log, objects. */
	assert_true(first_after.now > at_snap.now);
	assert_true(first_after.evlog_total > at_snap.evlog_total);
	assert_true(first_after.uheap.allocs > at_snap.uheap.allocs);
	assert_true(first_after.passes > at_snap.passes + 100); /* the finisher's 100, and LL ticks */
	/* Under the pthread carrier the run really handed the token between OS threads. */
	assert_int_equal(first_after.stats.os_handoffs > at_snap.stats.os_handoffs,
			 carrier_of(state) == SOFSIM_THREADS_PTHREAD);

	for (int i = 0; i < 1000; i++) {
		assert_int_equal(sofsim_reset(s.sim), 0);
		take(&s, &now);
		assert_memory_equal(&now, &at_snap, sizeof(now));
		/* The block freed by the run is live again, and its bytes are back. */
		for (int b = 0; b < 48; b++)
			assert_int_equal(s.block[b], 0xa5);
		assert_true(sofsim_heap_contains(sofsim_ll_user_heap(s.sim), s.block));
		assert_false(sofsim_thread_ended(s.finisher));
		/* The same run does the same thing, down to the next allocation's address. */
		assert_int_equal(scripted_run(&s, &after), first_addr);
		assert_memory_equal(&after, &first_after, sizeof(after));
		assert_true(sofsim_reset_dirty_pages(s.sim) > 0);
	}
	/* Back to the snapshot once more, where only the boot blocks live. */
	assert_int_equal(sofsim_reset(s.sim), 0);
	assert_int_equal(sofsim_heap_free(sofsim_ll_user_heap(s.sim), s.block), 0);
	assert_int_equal(sofsim_heap_free(sofsim_ll_user_heap(s.sim), s.passes), 0);
	sofsim_destroy(s.sim);
}

/*
 * The protection of the page at @addr in /proc/self/maps: "---" for
 * PROT_NONE, "rw-" for read-write, "?" when no mapping holds it.
 */
static const char *page_perms(uintptr_t addr, char out[4])
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];

	strcpy(out, "?");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char *end;
		unsigned long lo = strtoul(line, &end, 16);
		unsigned long hi = strtoul(end + 1, &end, 16);

		if (addr >= lo && addr < hi) {
			memcpy(out, end + 1, 3);
			out[3] = '\0';
			break;
		}
	}
	fclose(f);
	return out;
}

static void ends_at_once(void *arg)
{
	(void)arg;
}

/*
 * Guard pages follow a reset: every thread of the snapshot has its guard
 * page PROT_NONE again, including one released since (whose stack a newer
 * thread may have reused), and the guard of a thread created since is an
 * ordinary page once more unless a snapshot thread's guard is there.
 */
static void test_reset_puts_guard_pages_back(void **state)
{
	struct scene s = { 0 };
	struct sofsim_thread_attr da = { .name = "doomed", .prio = 1, .core = 0 };
	struct sofsim_thread_attr ca = { .name = "churn", .prio = 2, .core = 1 };
	struct sofsim_thread *doomed, *t;
	uintptr_t guards[8], churn_guard;
	unsigned n = 0;
	char perms[4], why[128];
	struct sofsim_list *pos;

	boot(&s, carrier_of(state));
	assert_int_equal(sofsim_thread_create(s.sim, &da, ends_at_once, NULL, &doomed), 0);
	assert_int_equal(sofsim_run_until(s.sim, sofsim_now(s.sim) + MS), 0);
	assert_true(sofsim_thread_ended(doomed));
	assert_int_equal(sofsim_snapshot(s.sim, why, sizeof(why)), 0);
	for (pos = s.sim->threads.next; pos != &s.sim->threads && n < 8; pos = pos->next)
		guards[n++] = (uintptr_t)SOFSIM_CONTAINER_OF(pos, struct sofsim_thread, all_node)->stack;
	assert_int_equal(n, 4);

	for (int round = 0; round < 3; round++) {
		bool churn_on_old_guard = false;

		assert_int_equal(sofsim_thread_release(doomed), 0);
		assert_int_equal(sofsim_thread_create(s.sim, &ca, churn, &s, &t), 0);
		churn_guard = (uintptr_t)t->stack;
		assert_string_equal(page_perms(churn_guard, perms), "---");
		assert_int_equal(sofsim_run_until(s.sim, sofsim_now(s.sim) + 15 * MS), 0);

		assert_int_equal(sofsim_reset(s.sim), 0);
		for (unsigned i = 0; i < n; i++) {
			assert_string_equal(page_perms(guards[i], perms), "---");
			churn_on_old_guard |= guards[i] == churn_guard;
		}
		if (!churn_on_old_guard)
			assert_string_equal(page_perms(churn_guard, perms), "rw-");
	}
	assert_int_equal(sofsim_heap_free(sofsim_ll_user_heap(s.sim), s.block), 0);
	assert_int_equal(sofsim_heap_free(sofsim_ll_user_heap(s.sim), s.passes), 0);
	sofsim_destroy(s.sim);
}

/*
 * Pages go hot (written since the last reset, left writable), cool over
 * quiet resets and go cold (protected) again, or at once while more pages
 * are hot than reset keeps writable, in every order: through phases of
 * many random writes (some with the snapshot's own bytes) and quiet
 * phases longer than a page stays hot, every page holds the snapshot's
 * bytes again after every reset, whichever way the reset found it.
 */
static void test_reset_restores_pages_in_every_history(void **state)
{
	enum { PAGES = 400, PHASE = 20 };
	struct sofsim *sim = test_sim_create(SOFSIM_THREADS_FIBER, NULL, 1);
	uint8_t *buf, *want = malloc(PAGES * SOFSIM_PAGE_BYTES);
	uint32_t rng = 12345;
	char why[128];

	(void)state;
	assert_non_null(want);
	assert_int_equal(sofsim_arena_take(sim, SOFSIM_ARENA_DSP, PAGES * SOFSIM_PAGE_BYTES, (void **)&buf), 0);
	for (size_t i = 0; i < PAGES * SOFSIM_PAGE_BYTES; i++)
		buf[i] = (uint8_t)(i * 7 + 3);
	memcpy(want, buf, PAGES * SOFSIM_PAGE_BYTES);
	assert_int_equal(sofsim_snapshot(sim, why, sizeof(why)), 0);

	for (int round = 0; round < 6 * PHASE; round++) {
		int writes = (round / PHASE) % 2 ? round % 3 : 150;

		for (int w = 0; w < writes; w++) {
			unsigned page, at;
			bool same;

			rng = rng * 1103515245u + 12345u;
			page = (rng >> 8) % PAGES;
			at = page * SOFSIM_PAGE_BYTES + (rng >> 12) % SOFSIM_PAGE_BYTES;
			same = (rng >> 28) % 4 == 0; /* a write that leaves the snapshot's byte */
			buf[at] = same ? want[at] : (uint8_t)(want[at] ^ (1 + (rng >> 20) % 255));
		}
		assert_int_equal(sofsim_reset(sim), 0);
		assert_memory_equal(buf, want, PAGES * SOFSIM_PAGE_BYTES);
	}
	free(want);
	sofsim_destroy(sim);
}

static void in_thread_snapshot(void *arg)
{
	struct scene *s = arg;

	assert_int_equal(sofsim_snapshot(s->sim, NULL, 0), -EBUSY);
	assert_int_equal(sofsim_reset(s->sim), -EBUSY);
}

static void test_snapshot_refusals(void **state)
{
	struct scene s = { 0 };
	struct sofsim_thread_attr a = { .name = "t", .prio = 1, .core = 0 };
	struct sofsim_thread *t;

	s.sim = test_sim_create(carrier_of(state), NULL, 1);
	assert_int_equal(sofsim_reset(s.sim), -ENOENT);
	assert_int_equal(sofsim_thread_create(s.sim, &a, in_thread_snapshot, &s, &t), 0);
	assert_int_equal(sofsim_run_until_idle(s.sim, SOFSIM_TIME_NEVER), 0);
	assert_true(sofsim_thread_ended(t));
	sofsim_destroy(s.sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CARRIER_TESTS(test_reset_is_indistinguishable_from_the_snapshot_1000_times),
		CARRIER_TESTS(test_reset_puts_guard_pages_back),
		cmocka_unit_test(test_reset_restores_pages_in_every_history),
		CARRIER_TESTS(test_snapshot_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
