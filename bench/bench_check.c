/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Kernel-model benchmark, part 2: what enforce=check costs. Each figure is
 * timed on an emulated user thread of a context, against a baseline from the
 * same run: the checked build of a loop (check_loops.c, instrumented) against
 * its plain build from the same source, and a syscall round trip under
 * enforce=check against verify. Prints a markdown table (stdout) and one
 * "bench.figure.mode value unit" line per figure (stderr).
 */
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "sofsim/check.h"
#include "sofsim/fault.h"
#include "sofsim/kernel.h"
#include "sofsim/mem.h"
#include "sofsim/object.h"
#include "sofsim/sim.h"
#include "sofsim/variant.h"

#include "bench_common.h"
#include "check_loops.h"

#define SAMPLES 21u          /* timed repetitions per figure; the median is reported */
#define PAGE_WORDS 1024u     /* one 4 KiB page of 4-byte words */
#define STORES (1u << 20)    /* stores per timed repetition */
#define FRAMES 96u           /* one 1 ms LL period at 96 kHz, or 2 channels at 48 kHz */
#define BLOCKS 2000u         /* gain blocks per timed repetition */
#define ROUND_TRIPS 20000u   /* sem give + take pairs per timed repetition */
#define GAIN_Q31 INT32_C(0x5a82799a) /* 0.7071 in Q31 (-3 dB) */

struct scene {
	struct sofsim *sim;
	struct sofsim_domain *dom;
	struct sofsim_partition part;
	uint32_t *page;      /* LL user heap */
	int32_t *in, *out;   /* LL user heap */
	struct sofsim_sem *sem;
};

/* One figure: a loop timed on a user thread, one repetition per thread. */
struct job {
	void (*fn)(struct job *j, unsigned rep);
	struct scene *s;
	const struct check_loops_ops *ops;
	unsigned rep;
	uint64_t ns[SAMPLES];
	uint64_t checks; /* checker calls over all repetitions */
};

static _Noreturn void die(const char *what)
{
	fprintf(stderr, "bench_check: %s\n", what);
	exit(1);
}

static void scene_init(struct scene *s, enum sofsim_protection prot)
{
	struct sofsim_config cfg;
	struct sofsim_heap *ll;

	memset(s, 0, sizeof(*s));
	sofsim_config_init(&cfg);
	cfg.protection = prot;
	cfg.evlog_capacity = 0;
	if (sofsim_create(&s->sim, &cfg, NULL, 0))
		die("sofsim_create failed");
	ll = sofsim_ll_user_heap(s->sim);
	s->page = sofsim_heap_alloc_aligned(ll, PAGE_WORDS * sizeof(uint32_t), 4096, "bench");
	s->in = sofsim_heap_alloc(ll, FRAMES * sizeof(int32_t), "bench");
	s->out = sofsim_heap_alloc(ll, FRAMES * sizeof(int32_t), "bench");
	if (!s->page || !s->in || !s->out)
		die("out of LL user heap");
	for (unsigned i = 0; i < FRAMES; i++)
		s->in[i] = (int32_t)((uint32_t)i * 0x02b0d3c5u); /* spread over the whole range, some negative */
	s->part = (struct sofsim_partition){ .attr = SOFSIM_PART_RW, .name = "ll_user_heap" };
	sofsim_heap_bounds(ll, &s->part.start, &s->part.size);
	if (sofsim_domain_create(s->sim, "ll", &s->dom) || sofsim_domain_add_partition(s->dom, &s->part))
		die("cannot set up the LL domain");
	if (sofsim_sem_create(s->sim, 0, 1, &s->sem))
		die("cannot create the semaphore");
}

static void scene_deinit(struct scene *s)
{
	struct sofsim_heap *ll = sofsim_ll_user_heap(s->sim);

	sofsim_sem_destroy(s->sem);
	sofsim_domain_remove_partition(s->dom, &s->part);
	sofsim_domain_destroy(s->dom);
	sofsim_heap_free(ll, s->out);
	sofsim_heap_free(ll, s->in);
	sofsim_heap_free(ll, s->page);
	sofsim_destroy(s->sim);
}

static void user_entry(void *arg)
{
	struct job *j = arg;
	uint64_t c0 = sofsim_check_count();

	j->fn(j, j->rep);
	j->checks += sofsim_check_count() - c0;
}

/* Run repetition @rep of @j on a new user thread of the scene's domain. */
static void run_rep(struct scene *s, struct job *j, unsigned rep)
{
	struct sofsim_thread_attr a = { .name = "ll_user0", .prio = -1, .core = 0, .user = true };
	struct sofsim_thread *t;

	j->s = s;
	j->rep = rep;
	if (sofsim_thread_create(s->sim, &a, user_entry, j, &t) || sofsim_domain_add_thread(s->dom, t))
		die("cannot create the user thread");
	sofsim_object_grant(s->sim, s->sem, t);
	if (sofsim_run_until_idle(s->sim, SOFSIM_TIME_NEVER) != 0 || !sofsim_thread_ended(t))
		die("the user thread did not end");
	if (sofsim_fault_count(s->sim))
		die("the user thread faulted");
}

static void time_stores(struct job *j, unsigned rep)
{
	uint64_t t0 = bench_ns();

	j->ops->store4(j->s->page, PAGE_WORDS, STORES);
	j->ns[rep] = bench_ns() - t0;
}

/* The same stores to the thread's own stack: the checker's fast path. */
static void time_stack_stores(struct job *j, unsigned rep)
{
	uint32_t local[PAGE_WORDS];
	uint64_t t0 = bench_ns();

	j->ops->store4(local, PAGE_WORDS, STORES);
	j->ns[rep] = bench_ns() - t0;
}

static void time_gain(struct job *j, unsigned rep)
{
	uint64_t t0 = bench_ns();

	for (unsigned b = 0; b < BLOCKS; b++)
		j->ops->gain(j->s->in, j->s->out, FRAMES, GAIN_Q31);
	j->ns[rep] = bench_ns() - t0;
}

static void time_syscalls(struct job *j, unsigned rep)
{
	uint64_t t0 = bench_ns();

	for (unsigned i = 0; i < ROUND_TRIPS; i++) {
		sofsim_sem_give(j->s->sem);
		if (sofsim_sem_take(j->s->sem, SOFSIM_NO_WAIT))
			die("sem take failed");
	}
	j->ns[rep] = bench_ns() - t0;
}

/* A figure against its baseline. */
struct pair {
	double base_ns, ns;  /* medians per repetition */
	double ratio;        /* median of the per-repetition ratios */
	double checks;       /* checker calls per repetition of the figure */
};

/*
 * Time @fn with @ops under @prot against @fn with @base_ops under
 * @base_prot, each in its own fresh context, alternating repetitions so
 * that both see the same host (the clock of a shared host drifts).
 */
static struct pair measure(void (*fn)(struct job *, unsigned), enum sofsim_protection base_prot,
			   const struct check_loops_ops *base_ops, enum sofsim_protection prot,
			   const struct check_loops_ops *ops)
{
	struct scene base_scene, scene;
	struct job base = { .fn = fn, .ops = base_ops }, job = { .fn = fn, .ops = ops };
	uint64_t ratios[SAMPLES]; /* ratio x 1e6 */
	struct pair p;

	scene_init(&base_scene, base_prot);
	scene_init(&scene, prot);
	for (unsigned r = 0; r < SAMPLES; r++) {
		run_rep(&base_scene, &base, r);
		run_rep(&scene, &job, r);
		ratios[r] = job.ns[r] * 1000000u / (base.ns[r] ? base.ns[r] : 1);
	}
	scene_deinit(&scene);
	scene_deinit(&base_scene);
	p.base_ns = (double)bench_median(base.ns, SAMPLES);
	p.ns = (double)bench_median(job.ns, SAMPLES);
	p.ratio = (double)bench_median(ratios, SAMPLES) / 1e6;
	p.checks = (double)job.checks / SAMPLES;
	return p;
}

/* The table a context would pick for @prot (SOFSIM_VARIANT_PICK on a throwaway context). */
static const struct check_loops_ops *picked(enum sofsim_protection prot)
{
	struct scene s;
	const struct check_loops_ops *ops;

	scene_init(&s, prot);
	ops = SOFSIM_VARIANT_PICK(s.sim, check_loops);
	scene_deinit(&s);
	return ops;
}

int main(void)
{
	const enum sofsim_protection check = SOFSIM_PROT_ENFORCE_CHECK, verify = SOFSIM_PROT_VERIFY;
	const struct check_loops_ops *plain = &check_loops_plain, *checked = &check_loops_checked;
	struct pair st, stack, idle, gain, sys;

	if (picked(check) != checked || picked(verify) != plain)
		die("SOFSIM_VARIANT_PICK chose the wrong table");

	printf("Kernel model, part 2: enforce=check (%ld host CPUs online; medians of %u runs)\n\n",
	       sysconf(_SC_NPROCESSORS_ONLN), SAMPLES);
	printf("Loops run on a user thread under enforce=check, storing into an LL user heap page.\n"
	       "plain and checked are the two builds of bench/check_loops.c; +own_stack: stores to the\n"
	       "thread's stack (the checker's fast path); +verify: under verify (the checker returns at once).\n"
	       "Ratios are medians of per-run ratios, the two sides timed alternately.\n\n");
	bench_table_head();

	st = measure(time_stores, check, plain, check, checked);
	stack = measure(time_stack_stores, check, plain, check, checked);
	idle = measure(time_stores, verify, plain, verify, checked);
	bench_report("bench_check", "ns_per_store4", "plain", st.base_ns / STORES, "ns", NULL);
	bench_report("bench_check", "ns_per_store4", "checked", st.ns / STORES, "ns", "<= 3 ns");
	bench_report("bench_check", "ns_added_per_checked_store4", "checked-plain", (st.ns - st.base_ns) / STORES, "ns",
		     NULL);
	bench_report("bench_check", "store4_checked_over_plain", "checked/plain", st.ratio, "x", NULL);
	bench_report("bench_check", "checker_calls_per_store4", "checked", st.checks / STORES, "count", "1");
	bench_report("bench_check", "ns_per_store4", "checked+own_stack", stack.ns / STORES, "ns", NULL);
	bench_report("bench_check", "ns_per_store4", "checked+verify", idle.ns / STORES, "ns", NULL);
	bench_report("bench_check", "store4_checked_over_plain", "verify", idle.ratio, "x", NULL);

	gain = measure(time_gain, check, plain, check, checked);
	bench_report("bench_check", "ns_per_gain_96", "plain", gain.base_ns / BLOCKS, "ns", NULL);
	bench_report("bench_check", "ns_per_gain_96", "checked", gain.ns / BLOCKS, "ns", NULL);
	bench_report("bench_check", "gain_96_checked_over_plain", "checked/plain", gain.ratio, "x", NULL);
	bench_report("bench_check", "checker_calls_per_gain_96", "checked", gain.checks / BLOCKS, "count", "192");

	sys = measure(time_syscalls, verify, NULL, check, NULL);
	bench_report("bench_check", "ns_per_sem_give_take", "verify", sys.base_ns / ROUND_TRIPS, "ns", NULL);
	bench_report("bench_check", "ns_per_sem_give_take", "enforce=check", sys.ns / ROUND_TRIPS, "ns", NULL);
	bench_report("bench_check", "sem_give_take_check_over_verify", "enforce=check/verify", sys.ratio, "x", "<= 2x");
	return 0;
}
