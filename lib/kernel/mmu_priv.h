/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * enforce=mmu inside: the context's protection state, shared by the view
 * code (mmu.c) and the signal side (mmu_signal.c). It lives in malloc'd
 * memory, outside the DSP arena, because the SIGSEGV handler and the
 * syscall gate read it while a user view makes the kernel heap unreachable.
 */
#ifndef SOFSIM_KERNEL_MMU_PRIV_H
#define SOFSIM_KERNEL_MMU_PRIV_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/kernel_priv.h"

/* What a page is in the view being built (one byte per arena page). */
enum sofsim__mmu_code {
	SOFSIM_MMU_NONE = 0, /* not in the view: PROT_NONE */
	SOFSIM_MMU_R,        /* a read-only partition: PROT_READ */
	SOFSIM_MMU_RW,       /* writable: left as the kernel view has it */
	SOFSIM_MMU_GUARD,    /* a stack guard page: PROT_NONE in every view, never touched */
	SOFSIM_MMU_TCB,      /* the running thread's own record: PROT_READ for the model, not in the view */
};

/* A run of pages of one protection, as mprotect() takes it. */
struct sofsim__mmu_run {
	uint32_t first; /* arena page */
	uint32_t count;
	int prot;       /* PROT_NONE or PROT_READ */
};

struct sofsim__mmu {
	struct sofsim *sim;
	uintptr_t base;               /* the DSP arena */
	size_t pages;
	struct sofsim_thread *user;   /* whose user view is applied; NULL: the kernel view */
	bool force_halt;              /* the fault in progress was caught by the SIGSEGV handler */
	bool broken;                  /* an mprotect() failed: views are no longer applied */
	/* The user view last built, kept while its key holds (one per switch back is the common case). */
	struct sofsim__mmu_run *runs; /* room for one run per page */
	size_t nruns;
	uint8_t *codes;               /* enum sofsim__mmu_code per page, of that view */
	const struct sofsim_thread *key_thread;
	const struct sofsim_domain *key_domain;
	uint64_t key_generation;
	uint64_t key_layout;
	uint64_t layout;              /* bumped when stacks come and go or a domain is dropped */
	/* Fiber carrier: alternate signal stacks installed on the one host thread. */
	const void *cur_ss;           /* the emulated thread's stack installed now; NULL: the host's own */
	stack_t host_ss;              /* the host's own, saved when it hands the token to a fiber */
};

/* Bytes of each emulated thread's alternate signal stack (the handler prints and switches away). */
#define SOFSIM_MMU_ALTSTACK_BYTES (64u * 1024u)

/* ---- the view side (mmu.c), for the signal side ---- */

/* The state of @t's context, read from its record (readable in every view), or NULL. */
struct sofsim__mmu *sofsim__mmu_of(const struct sofsim_thread *t);
/*
 * A SIGSEGV at @addr in the arena while the running thread's user view is
 * applied: record the fault and halt (never returns), unless the view
 * allows the access, in which case it returns and the fault is not ours.
 */
void sofsim__mmu_user_fault(struct sofsim__mmu *m, uintptr_t addr, bool write);
/* A halt parks the thread inside the SIGSEGV handler: let the next context on this OS thread take SIGSEGV. */
void sofsim__mmu_unblock_segv(void);

/* ---- the signal side (mmu_signal.c), for the view side ---- */

/* Take the process-wide right to use enforce=mmu and install the handler; -EBUSY when taken. */
int sofsim__mmu_acquire(char *why, size_t why_len);
void sofsim__mmu_release(void);
/* An alternate signal stack outside the arena, registered with Valgrind; NULL when out of memory. */
void *sofsim__mmu_altstack_new(unsigned *vg_id);
void sofsim__mmu_altstack_free(void *base, unsigned vg_id);
/* Install @base (NULL: @saved) as this host thread's alternate signal stack. */
void sofsim__mmu_altstack_use(const void *base, const stack_t *saved);

#endif /* SOFSIM_KERNEL_MMU_PRIV_H */
