/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Helpers for the user-mode tests (tests/kernel/test_syscall.c,
 * test_object.c, test_fault.c): a context with a protection mode and a
 * fault policy whose fault reports are captured in memory, an optional
 * memory domain over three DSP-arena pages (page 0 an RW partition, page 1
 * an R partition, page 2 in none) plus one host-arena page, spawning, and
 * checks of fault records and of the event log.
 */
#ifndef SOFSIM_TEST_USER_TEST_H
#define SOFSIM_TEST_USER_TEST_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sofsim/fault.h"
#include "sofsim/mem.h"
#include "sofsim/object.h"

#include "sim_test.h"

#define USER_STACK (64 * 1024)
#define PAGE SOFSIM_PAGE_BYTES
#define MS SOFSIM_NSEC_PER_MSEC

struct scene {
	struct sofsim *sim;
	FILE *rep; /* fault and teardown reports (memstream) */
	char *rep_buf;
	size_t rep_len, rep_seen;
	struct sofsim_domain *dom; /* NULL unless opened with memory */
	uint8_t *pages;            /* RW partition page, R partition page, page in no partition */
	uint8_t *host;             /* one host-arena page */
	struct test_trace tr;
	/* Scratch shared by a test and its emulated threads. */
	struct sofsim_sem *sem[3];
	struct sofsim_timer *timer;
	struct sofsim_heap *heap;
	struct sofsim_thread *t[3];
	void *dyn, *blk[2];
	const void *probe;
	unsigned count, wakeups;
	int err;
};

static inline void scene_partitions(const struct scene *s, struct sofsim_partition *rw, struct sofsim_partition *ro)
{
	*rw = (struct sofsim_partition){ (uintptr_t)s->pages, PAGE, SOFSIM_PART_RW, "rw" };
	*ro = (struct sofsim_partition){ (uintptr_t)s->pages + PAGE, PAGE, SOFSIM_PART_R, "ro" };
}

static inline void scene_open(struct scene *s, void **state, enum sofsim_protection prot,
			      enum sofsim_fault_policy policy, bool with_mem)
{
	struct sofsim_config cfg;
	struct sofsim_partition rw, ro;
	char why[256] = "";
	void *p, *h;

	memset(s, 0, sizeof(*s));
	sofsim_config_init(&cfg);
	cfg.threads = carrier_of(state);
	cfg.protection = prot;
	cfg.fault_policy = policy;
	cfg.evlog_capacity = 1 << 16;
	assert_int_equal(sofsim_create(&s->sim, &cfg, why, sizeof(why)), 0);
	s->rep = open_memstream(&s->rep_buf, &s->rep_len);
	assert_non_null(s->rep);
	sofsim_set_report_stream(s->sim, s->rep);
	if (!with_mem)
		return;
	assert_int_equal(sofsim_arena_take(s->sim, SOFSIM_ARENA_DSP, 3 * PAGE, &p), 0);
	assert_int_equal(sofsim_arena_take(s->sim, SOFSIM_ARENA_HOST, PAGE, &h), 0);
	s->pages = p;
	s->host = h;
	scene_partitions(s, &rw, &ro);
	assert_int_equal(sofsim_domain_create(s->sim, "user", &s->dom), 0);
	assert_int_equal(sofsim_domain_add_partition(s->dom, &rw), 0);
	assert_int_equal(sofsim_domain_add_partition(s->dom, &ro), 0);
}

static inline void scene_close(struct scene *s)
{
	if (s->dom) {
		struct sofsim_partition rw, ro;

		scene_partitions(s, &rw, &ro);
		assert_int_equal(sofsim_domain_remove_partition(s->dom, &rw), 0);
		assert_int_equal(sofsim_domain_remove_partition(s->dom, &ro), 0);
		assert_int_equal(sofsim_domain_destroy(s->dom), 0);
		assert_int_equal(sofsim_arena_give(s->sim, s->pages, 3 * PAGE), 0);
		assert_int_equal(sofsim_arena_give(s->sim, s->host, PAGE), 0);
	}
	sofsim_destroy(s->sim); /* blocked and parked threads are unwound here */
	fclose(s->rep);
	free(s->rep_buf);
}

/* The report text printed since the last call. */
static inline const char *report_new(struct scene *s)
{
	const char *tail;

	fflush(s->rep);
	tail = s->rep_buf + s->rep_seen;
	s->rep_seen = s->rep_len;
	return tail;
}

/* All report text so far. */
static inline const char *report_all(struct scene *s)
{
	fflush(s->rep);
	return s->rep_buf;
}

static inline void trace_reset(struct test_trace *tr)
{
	tr->len = 0;
	tr->text[0] = '\0';
}

/* A thread of @s (put in its domain, if any) with the test stack size. */
static inline struct sofsim_thread *spawn(struct scene *s, const char *name, int prio, unsigned core, bool user,
					  sofsim_thread_fn fn, void *arg)
{
	struct sofsim_thread_attr attr = { .name = name, .prio = prio, .core = core, .user = user,
					   .stack_bytes = USER_STACK };
	struct sofsim_thread *t = NULL;

	assert_int_equal(sofsim_thread_create(s->sim, &attr, fn, arg, &t), 0);
	if (s->dom)
		assert_int_equal(sofsim_domain_add_thread(s->dom, t), 0);
	return t;
}

static inline void run_idle(struct scene *s)
{
	assert_int_equal(sofsim_run_until_idle(s->sim, SOFSIM_TIME_NEVER), 0);
}

/* The only fault since the last clear, which ended @t; the records are cleared. */
static inline struct sofsim_fault one_fault(struct scene *s, const struct sofsim_thread *t)
{
	struct sofsim_fault f;

	assert_int_equal(sofsim_fault_count(s->sim), 1);
	assert_int_equal(sofsim_fault_get(s->sim, 0, &f), 0);
	assert_int_equal(f.tid, sofsim_thread_id(t));
	assert_false(f.expected);
	assert_true(sofsim_thread_ended(t));
	sofsim_fault_clear(s->sim);
	return f;
}

/*
 * The only fault since the last clear is an oops of @syscall by @t whose
 * detail starts with "@arg: " and says @why, printed as Zephyr logs it:
 * "syscall z_vrfy_<name> failed check: ...", then fatal error 3 (§1.4).
 */
static inline void assert_oops(struct scene *s, const struct sofsim_thread *t, const char *syscall, const char *arg,
			       const char *why)
{
	struct sofsim_fault f = one_fault(s, t);
	const char *rep = report_new(s);
	char op[64], prefix[32], line[160];

	snprintf(op, sizeof(op), "z_vrfy_%s", syscall);
	snprintf(prefix, sizeof(prefix), "%s: ", arg);
	assert_int_equal(f.reason, SOFSIM_REASON_KERNEL_OOPS);
	assert_int_equal(f.kind, SOFSIM_FAULT_SYSCALL_CHECK);
	assert_int_equal(f.exccause, 0);
	assert_string_equal(f.op, op);
	assert_int_equal(strncmp(f.detail, prefix, strlen(prefix)), 0);
	if (!strstr(f.detail, why))
		fail_msg("detail '%s' does not say '%s'", f.detail, why);
	snprintf(line, sizeof(line), "syscall %s failed check: %s", op, prefix);
	assert_non_null(strstr(rep, line));
	snprintf(line, sizeof(line), ">>> ZEPHYR FATAL ERROR 3: Kernel oops on CPU %d\n", f.core);
	assert_non_null(strstr(rep, line));
}

/* Kept events of @kind with a == @a (any when < 0) by thread @tid (any when INT32_MIN). */
static inline unsigned count_events(const struct sofsim *sim, unsigned kind, int64_t a, int tid)
{
	unsigned n = 0;

	for (size_t i = 0; i < sofsim_evlog_size(sim); i++) {
		struct sofsim_event e;

		assert_int_equal(sofsim_evlog_get(sim, i, &e), 0);
		if (e.kind == kind && (a < 0 || e.a == (uint32_t)a) && (tid == INT32_MIN || e.tid == tid))
			n++;
	}
	return n;
}

#endif /* SOFSIM_TEST_USER_TEST_H */
