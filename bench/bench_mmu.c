/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What enforce=mmu costs, for later decisions: a syscall round trip from a
 * user thread (each one two view changes) and a hand-off between two user
 * threads of different domains, each against verify in the same run (a
 * ratio), and the mprotect() calls per view change. Prints a markdown table
 * (stdout) and one "bench.figure.mode value unit" line per figure (stderr);
 * where the mode is refused (an ASan build) it says so and exits 0.
 */
#include <errno.h>
#include <stdlib.h>

#include "sofsim/kernel.h"
#include "sofsim/mem.h"
#include "sofsim/object.h"
#include "sofsim/sim.h"

#include "bench_common.h"

#define CALLS 20000u
#define ROUNDS 5000u
#define BATCHES 5u

struct scene {
	struct sofsim *sim;
	struct sofsim_domain *dom[2];
	struct sofsim_sem *a, *b;
	unsigned rounds;
	uint64_t ns;
};

static struct sofsim *make_sim(enum sofsim_threads carrier, enum sofsim_protection prot)
{
	struct sofsim_config cfg;
	struct sofsim *sim;

	sofsim_config_init(&cfg);
	cfg.threads = carrier;
	cfg.protection = prot;
	cfg.evlog_capacity = 0;
	if (sofsim_create(&sim, &cfg, NULL, 0))
		exit(1);
	return sim;
}

/* Two domains, each with the LL user heap: what a user thread needs besides its stack. */
static void scene_open(struct scene *s, enum sofsim_threads carrier, enum sofsim_protection prot)
{
	struct sofsim_partition p = { .attr = SOFSIM_PART_RW, .name = "ll" };

	*s = (struct scene){ .sim = make_sim(carrier, prot) };
	sofsim_heap_bounds(sofsim_ll_user_heap(s->sim), &p.start, &p.size);
	for (int i = 0; i < 2; i++)
		if (sofsim_domain_create(s->sim, i ? "b" : "a", &s->dom[i]) || sofsim_domain_add_partition(s->dom[i], &p))
			exit(1);
	if (sofsim_sem_create(s->sim, 0, 1, &s->a) || sofsim_sem_create(s->sim, 0, 1, &s->b))
		exit(1);
}

static void scene_close(struct scene *s)
{
	struct sofsim_partition p = { .attr = SOFSIM_PART_RW, .name = "ll" };

	sofsim_heap_bounds(sofsim_ll_user_heap(s->sim), &p.start, &p.size);
	for (int i = 0; i < 2; i++) {
		sofsim_domain_remove_partition(s->dom[i], &p);
		sofsim_domain_destroy(s->dom[i]);
	}
	sofsim_destroy(s->sim);
}

static struct sofsim_thread *spawn(struct scene *s, const char *name, int i, sofsim_thread_fn fn)
{
	struct sofsim_thread_attr attr = { .name = name, .prio = 1, .core = 0, .user = true };
	struct sofsim_thread *t;

	if (sofsim_thread_create(s->sim, &attr, fn, s, &t) || sofsim_domain_add_thread(s->dom[i], t))
		exit(1);
	sofsim_object_grant(s->sim, s->a, t);
	sofsim_object_grant(s->sim, s->b, t);
	return t;
}

/* ---- a syscall round trip: sem_give on a semaphore at its limit (no wake-up, no switch) ---- */

static void giver(void *arg)
{
	struct scene *s = arg;
	uint64_t t0 = bench_ns();

	for (unsigned i = 0; i < CALLS; i++)
		sofsim_sem_give(s->a);
	s->ns = bench_ns() - t0;
}

static double syscall_ns(enum sofsim_threads carrier, enum sofsim_protection prot, double *per_change)
{
	uint64_t v[BATCHES];
	struct sofsim_stats st;
	struct scene s;

	for (unsigned b = 0; b < BATCHES; b++) {
		scene_open(&s, carrier, prot);
		spawn(&s, "giver", 0, giver);
		sofsim_run_until_idle(s.sim, SOFSIM_TIME_NEVER);
		sofsim_stats_get(s.sim, &st);
		v[b] = s.ns;
		scene_close(&s);
	}
	*per_change = st.view_switches ? (double)st.mprotect_calls / (double)st.view_switches : 0;
	return (double)bench_median(v, BATCHES) / CALLS;
}

/* ---- a hand-off between user threads of two domains ---- */

static void ping(void *arg)
{
	struct scene *s = arg;

	for (unsigned i = 0; i < ROUNDS; i++) {
		sofsim_sem_give(s->b);
		sofsim_sem_take(s->a, SOFSIM_FOREVER);
	}
}

static void pong(void *arg)
{
	struct scene *s = arg;

	for (unsigned i = 0; i < ROUNDS; i++) {
		sofsim_sem_take(s->b, SOFSIM_FOREVER);
		sofsim_sem_give(s->a);
	}
}

static double handoff_ns(enum sofsim_threads carrier, enum sofsim_protection prot, double *per_change)
{
	struct sofsim_stats st;
	struct scene s;
	uint64_t t0, t1;

	scene_open(&s, carrier, prot);
	spawn(&s, "ping", 0, ping);
	spawn(&s, "pong", 1, pong);
	t0 = bench_ns();
	sofsim_run_until_idle(s.sim, SOFSIM_TIME_NEVER);
	t1 = bench_ns();
	sofsim_stats_get(s.sim, &st);
	scene_close(&s);
	*per_change = st.view_switches ? (double)st.mprotect_calls / (double)st.view_switches : 0;
	return (double)(t1 - t0) / (double)st.switches;
}

static void carrier_rows(enum sofsim_threads carrier, const char *name)
{
	double per_sys, per_hand, unused;
	double sys_v = syscall_ns(carrier, SOFSIM_PROT_VERIFY, &unused);
	double sys_m = syscall_ns(carrier, SOFSIM_PROT_ENFORCE_MMU, &per_sys);
	double hand_v = handoff_ns(carrier, SOFSIM_PROT_VERIFY, &unused);
	double hand_m = handoff_ns(carrier, SOFSIM_PROT_ENFORCE_MMU, &per_hand);
	char mode[40];

	snprintf(mode, sizeof(mode), "%s verify", name);
	bench_report("bench_mmu", "syscall_round_trip", mode, sys_v, "ns", NULL);
	bench_report("bench_mmu", "user_handoff", mode, hand_v, "ns", NULL);
	snprintf(mode, sizeof(mode), "%s mmu", name);
	bench_report("bench_mmu", "syscall_round_trip", mode, sys_m, "ns", NULL);
	bench_report("bench_mmu", "syscall_mmu_over_verify", mode, sys_m / sys_v, "x", NULL);
	bench_report("bench_mmu", "user_handoff", mode, hand_m, "ns", NULL);
	bench_report("bench_mmu", "user_handoff_mmu_over_verify", mode, hand_m / hand_v, "x", NULL);
	bench_report("bench_mmu", "mprotect_per_view_change_syscall", mode, per_sys, "count", NULL);
	bench_report("bench_mmu", "mprotect_per_view_change_handoff", mode, per_hand, "count", NULL);
}

int main(void)
{
	struct sofsim_config cfg;
	char why[256] = "";

	sofsim_config_init(&cfg);
	cfg.protection = SOFSIM_PROT_ENFORCE_MMU;
	if (sofsim_config_check(&cfg, why, sizeof(why))) {
		printf("bench_mmu: not measured here: %s\n", why);
		return 0;
	}
	bench_table_head();
	carrier_rows(SOFSIM_THREADS_FIBER, "fiber");
	carrier_rows(SOFSIM_THREADS_PTHREAD, "pthread");
	return 0;
}
