/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * enforce=mmu: real page protection of the DSP arena, so that code nobody
 * instrumented (libc, prebuilt objects) is caught too. The applied view
 * follows the token holder's rights, as an MMU is reprogrammed at every
 * context switch: the kernel view (the whole arena RW, stack guard pages
 * PROT_NONE as stack.c left them) for the host, kernel threads, syscalls,
 * ISRs and faults; the thread's own view in user code, built from its
 * domain's page view (check.c) and its own stack. A view is a list of runs
 * of equal protection: applying it mprotect()s only the runs that differ
 * from the kernel view, leaving it puts those runs back to RW, so a view
 * change costs one call per run. The SIGSEGV side is mmu_signal.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "kernel/domain_priv.h"
#include "kernel/mmu_priv.h"

static int fail(char *why, size_t why_len, int err, const char *msg)
{
	if (why && why_len)
		snprintf(why, why_len, "%s", msg);
	return err;
}

static size_t page_of(const struct sofsim__mmu *m, uintptr_t a)
{
	return (a - m->base) / SOFSIM_PAGE_BYTES;
}

int sofsim__mmu_create(struct sofsim *sim, char *why, size_t why_len)
{
	struct sofsim__mmu *m;
	int ret;

	if (!sofsim__mmu_on(sim))
		return 0;
	ret = sofsim__mmu_acquire(why, why_len);
	if (ret)
		return ret;
	m = calloc(1, sizeof(*m));
	if (!m)
		goto err_state;
	m->sim = sim;
	m->base = sim->arena.base;
	m->pages = sim->arena.pages;
	m->runs = calloc(m->pages, sizeof(*m->runs));
	m->codes = calloc(m->pages, 1);
	if (!m->runs || !m->codes)
		goto err_views;
	sim->mmu = m;
	return 0;

err_views:
	free(m->codes);
	free(m->runs);
	free(m);
err_state:
	sofsim__mmu_release();
	return fail(why, why_len, -ENOMEM, "sofsim_create: out of memory (enforce=mmu views)");
}

static bool protect(struct sofsim__mmu *m, const struct sofsim__mmu_run *r, int prot)
{
	m->sim->stats.mprotect_calls++;
	return mprotect((void *)(m->base + (uintptr_t)r->first * SOFSIM_PAGE_BYTES),
			(size_t)r->count * SOFSIM_PAGE_BYTES, prot) == 0;
}

/* Back to the kernel view. Making pages accessible again never splits a mapping, so it cannot fail. */
static void to_kernel(struct sofsim__mmu *m)
{
	if (!m->user)
		return;
	for (size_t i = 0; i < m->nruns; i++)
		if (!protect(m, &m->runs[i], PROT_READ | PROT_WRITE))
			abort(); /* the kernel model could no longer reach its own memory */
	m->user = NULL;
	m->sim->stats.view_switches++;
}

static void apply(struct sofsim__mmu *m, struct sofsim_thread *t)
{
	size_t i;
	int err;

	for (i = 0; i < m->nruns; i++)
		if (!protect(m, &m->runs[i], m->runs[i].prot))
			goto err_protect;
	m->user = t;
	m->sim->stats.view_switches++;
	return;

err_protect:
	err = errno;
	while (i--)
		protect(m, &m->runs[i], PROT_READ | PROT_WRITE);
	m->broken = true; /* most likely vm.max_map_count: say so once and stop protecting */
	fprintf(sofsim__report_stream(m->sim), "enforce=mmu: mprotect failed (%s); user views are no longer applied\n",
		strerror(err));
}

/* ---- building a thread's view ---- */

static uint8_t code_of_bits(uint8_t bits)
{
	if (bits & SOFSIM__VIEW_W)
		return SOFSIM_MMU_RW;
	return (bits & SOFSIM__VIEW_R) ? SOFSIM_MMU_R : SOFSIM_MMU_NONE;
}

/* Give the arena pages of [lo, lo + bytes) @code; with @only_none, only pages not in the view yet. */
static void mark(struct sofsim__mmu *m, uintptr_t lo, size_t bytes, uint8_t code, bool only_none)
{
	size_t first, last;

	if (!bytes || lo < m->base || page_of(m, lo) >= m->pages)
		return;
	first = page_of(m, lo);
	last = page_of(m, lo + bytes - 1);
	for (size_t p = first; p <= last && p < m->pages; p++)
		if (!only_none || m->codes[p] == SOFSIM_MMU_NONE)
			m->codes[p] = code;
}

static void build_codes(struct sofsim__mmu *m, struct sofsim_thread *t)
{
	const uint8_t *bits = sofsim__chk_view_bits(t);
	struct sofsim_list *pos;

	for (size_t p = 0; p < m->pages; p++)
		m->codes[p] = bits ? code_of_bits(bits[p]) : SOFSIM_MMU_NONE;
	mark(m, (uintptr_t)t->stack_lo, t->stack_bytes, SOFSIM_MMU_RW, false);
	/* The model reads the running thread's record before it enters the gate (sofsim__from_user()). */
	mark(m, (uintptr_t)t, sizeof(*t), SOFSIM_MMU_TCB, true);
	sofsim_list_for_each(pos, &m->sim->threads) {
		const struct sofsim_thread *u = SOFSIM_CONTAINER_OF(pos, struct sofsim_thread, all_node);

		mark(m, (uintptr_t)u->stack, SOFSIM_PAGE_BYTES, SOFSIM_MMU_GUARD, false);
	}
}

/* Pages that mprotect() treats alike: 0 none, 1 read-only, 2 untouched (RW, guard pages apart). */
static int group_of(uint8_t code)
{
	switch (code) {
	case SOFSIM_MMU_NONE:
		return 0;
	case SOFSIM_MMU_R:
	case SOFSIM_MMU_TCB:
		return 1;
	case SOFSIM_MMU_GUARD:
		return 3;
	default:
		return 2;
	}
}

static void collect_runs(struct sofsim__mmu *m)
{
	m->nruns = 0;
	for (size_t p = 0, q; p < m->pages; p = q) {
		int g = group_of(m->codes[p]);

		for (q = p + 1; q < m->pages && group_of(m->codes[q]) == g; q++)
			;
		if (g < 2)
			m->runs[m->nruns++] = (struct sofsim__mmu_run){
				.first = (uint32_t)p, .count = (uint32_t)(q - p), .prot = g ? PROT_READ : PROT_NONE,
			};
	}
}

/* Rebuild the runs unless they were built for this thread, domain state and stack layout. */
static void ensure_view(struct sofsim__mmu *m, struct sofsim_thread *t)
{
	uint64_t gen = sofsim__domain_generation(t->domain);

	if (m->key_thread == t && m->key_domain == t->domain && m->key_generation == gen && m->key_layout == m->layout)
		return;
	build_codes(m, t);
	collect_runs(m);
	m->key_thread = t;
	m->key_domain = t->domain;
	m->key_generation = gen;
	m->key_layout = m->layout;
}

/* ---- when the view changes ---- */

static bool wants_user_view(const struct sofsim *sim, const struct sofsim_thread *t)
{
	return !t->is_host && t->user && !t->in_syscall && !sim->isr_depth && !sim->halted;
}

void sofsim__mmu_kernel_slow(struct sofsim *sim)
{
	to_kernel(sim->mmu);
}

void sofsim__mmu_sync_slow(struct sofsim *sim)
{
	struct sofsim__mmu *m = sim->mmu;
	struct sofsim_thread *t = sim->running;
	bool user = wants_user_view(sim, t);

	if (user && m->user == t)
		return;
	to_kernel(m);
	if (!user || m->broken)
		return;
	/* Other host threads of the context must be done with the arena before it closes. */
	if (sim->carrier->quiesce)
		sim->carrier->quiesce(sim);
	ensure_view(m, t);
	apply(m, t);
}

void sofsim__mmu_destroy(struct sofsim *sim)
{
	struct sofsim__mmu *m = sim->mmu;

	if (!m)
		return;
	to_kernel(m);
	sim->mmu = NULL;
	free(m->codes);
	free(m->runs);
	free(m);
	sofsim__mmu_release();
}

/* ---- threads ---- */

int sofsim__mmu_thread_init(struct sofsim *sim, struct sofsim_thread *t)
{
	if (!sim->mmu)
		return 0;
	t->mmu_altstack = sofsim__mmu_altstack_new(&t->mmu_altstack_vg);
	if (!t->mmu_altstack)
		return -ENOMEM;
	sim->mmu->layout++; /* a new guard page */
	return 0;
}

void sofsim__mmu_thread_fini(struct sofsim *sim, struct sofsim_thread *t)
{
	if (!t->mmu_altstack)
		return;
	sofsim__mmu_altstack_free(t->mmu_altstack, t->mmu_altstack_vg);
	t->mmu_altstack = NULL;
	if (sim->mmu)
		sim->mmu->layout++; /* its guard page goes */
}

/* Fiber carrier: every fiber has its own handler stack on the one host thread (a halt parks it there). */
static void use_altstack(struct sofsim__mmu *m, const void *base)
{
	if (m->cur_ss == base)
		return;
	sofsim__mmu_altstack_use(base, &m->host_ss);
	m->cur_ss = base;
}

static bool fibers(const struct sofsim *sim)
{
	return sim->carrier == &sofsim__fiber_ops;
}

void sofsim__mmu_thread_start(struct sofsim_thread *t)
{
	struct sofsim__mmu *m = t->sim->mmu;

	if (!m)
		return;
	if (fibers(t->sim))
		use_altstack(m, t->mmu_altstack);
	sofsim__mmu_sync_slow(t->sim);
}

void sofsim__mmu_switch_begin(struct sofsim *sim, struct sofsim_thread *from)
{
	struct sofsim__mmu *m = sim->mmu;

	if (m && fibers(sim) && from->is_host && !m->cur_ss)
		sigaltstack(NULL, &m->host_ss);
}

void sofsim__mmu_switch_end(struct sofsim *sim, struct sofsim_thread *from)
{
	struct sofsim__mmu *m = sim->mmu;

	if (!m)
		return;
	if (fibers(sim))
		use_altstack(m, from->is_host ? NULL : from->mmu_altstack);
	sofsim__mmu_sync_slow(sim);
}

void sofsim__mmu_forget(struct sofsim *sim)
{
	if (sim->mmu)
		sim->mmu->layout++;
}

bool sofsim__mmu_halts(const struct sofsim *sim)
{
	return sim->mmu && sim->mmu->force_halt;
}

void *sofsim__mmu_carrier_alloc(struct sofsim *sim, size_t bytes)
{
	return sofsim__mmu_on(sim) ? calloc(1, bytes) : sofsim__kzalloc(sim, bytes);
}

void sofsim__mmu_carrier_free(struct sofsim *sim, void *p)
{
	if (sofsim__mmu_on(sim))
		free(p);
	else
		sofsim__kfree(sim, p);
}

/* ---- faults ---- */

struct sofsim__mmu *sofsim__mmu_of(const struct sofsim_thread *t)
{
	return t->sim ? t->sim->mmu : NULL;
}

static const char *why_denied(uint8_t code, bool write)
{
	switch (code) {
	case SOFSIM_MMU_NONE:
		return "page not in the thread's view";
	case SOFSIM_MMU_GUARD:
		return "stack guard page";
	case SOFSIM_MMU_TCB:
		return "kernel page (thread records)";
	case SOFSIM_MMU_R:
		return write ? "read-only page of the thread's view" : NULL;
	default:
		return NULL; /* RW in the view */
	}
}

void sofsim__mmu_user_fault(struct sofsim__mmu *m, uintptr_t addr, bool write)
{
	uint8_t code = m->codes[page_of(m, addr)];
	const char *why = why_denied(code, write);
	unsigned cause = code == SOFSIM_MMU_R ? SOFSIM_EXCCAUSE_STORE_PROHIBITED : SOFSIM_EXCCAUSE_LOAD_STORE_RING;

	if (!why)
		return; /* the view allows it: not a protection fault of ours */
	to_kernel(m);
	/* The access may be deep in libc or a prebuilt object: nothing there can be unwound safely. */
	m->force_halt = true;
	sofsim__mmu_unblock_segv(); /* the halt leaves the handler by a switch, never by returning */
	sofsim__fault(m->sim, SOFSIM_FAULT_ACCESS, SOFSIM_REASON_CPU_EXCEPTION, cause, addr, write ? "store" : "load",
		      "%s at %#lx: %s, caught by enforce=mmu; handled as halt: not at a known unwind point",
		      write ? "store" : "load", (unsigned long)addr, why);
}
