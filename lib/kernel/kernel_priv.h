/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private state of the kernel model. Everything hangs off struct sofsim;
 * nothing here is process-global.
 */
#ifndef SOFSIM_KERNEL_PRIV_H
#define SOFSIM_KERNEL_PRIV_H

#include <setjmp.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "sofsim/kernel.h"
#include "sofsim/platform.h"
#include "sofsim/sim.h"

#include "kernel/list.h"
#include "kernel/mem_priv.h"

#define SOFSIM_MAX_CORES 8
#define SOFSIM_THREAD_NAME_MAX 32

enum sofsim__tstate {
	SOFSIM_T_READY = 0, /* runnable: a core's current or in its ready queue */
	SOFSIM_T_BLOCKED,   /* on a wait queue and/or a timeout */
	SOFSIM_T_DEAD,      /* ended (returned or aborted) */
};

/* A point in virtual time at which something expires: a timer or a blocked thread's timeout. */
struct sofsim__timeout {
	struct sofsim_list node; /* in sim->timeouts, sorted by (expiry, seq) */
	uint64_t expiry;
	uint64_t seq;
	unsigned core;
	void (*fire)(struct sofsim *sim, struct sofsim__timeout *to);
};

/* A list of blocked threads, ordered by priority then arrival. */
struct sofsim__waitq {
	struct sofsim_list threads;
};

struct sofsim__carrier; /* the backend's per-thread data */

struct sofsim_thread {
	struct sofsim *sim;
	struct sofsim_list node;      /* ready queue or wait queue */
	struct sofsim_list all_node;  /* sim->threads */
	struct sofsim__timeout timeout;
	struct sofsim__waitq joiners;
	struct sofsim__waitq *waitq;  /* the queue it blocks on, if any */
	enum sofsim__tstate state;
	int prio;
	unsigned core;
	int id;
	bool user;
	bool is_host;
	bool started;
	bool aborting;
	unsigned irq_depth;
	int wait_result;              /* set by whoever wakes it */
	uintptr_t wait_data;          /* primitive-specific (event bits wanted, ...) */
	unsigned wait_flags;
	struct sofsim_thread *abort_waiter; /* who is waiting synchronously for our unwind */
	sofsim_thread_fn entry;
	void *arg;
	jmp_buf unwind;
	void *stack;                  /* mapping incl. guard page */
	size_t stack_map_bytes;
	void *stack_lo;               /* usable stack [stack_lo, stack_lo + stack_bytes) */
	size_t stack_bytes;
	struct sofsim__carrier *carrier;
	bool faulted;                 /* ended by a fault: its memory is abandoned, not leaked */
	char name[SOFSIM_THREAD_NAME_MAX];
	struct sofsim_domain *domain;
};

struct sofsim__core {
	struct sofsim_thread *current; /* runnable thread owning the core, or NULL */
	struct sofsim_list ready;      /* other ready threads, by priority then FIFO */
};

struct sofsim__irq {
	sofsim_isr_fn isr;
	void *arg;
	unsigned core;
};

/* The thread carrier: how emulated threads get host execution (fibers or pthreads). */
struct sofsim__carrier_ops {
	const char *name;
	int (*init)(struct sofsim *sim);
	void (*fini)(struct sofsim *sim);
	int (*thread_init)(struct sofsim *sim, struct sofsim_thread *t);
	void (*thread_fini)(struct sofsim *sim, struct sofsim_thread *t);
	/* Hand the token from the running @from to @to; returns when @from holds it again. */
	void (*switch_to)(struct sofsim *sim, struct sofsim_thread *from, struct sofsim_thread *to);
	/* Hand the token from the ended @from to @to; never returns. */
	void (*exit_to)(struct sofsim *sim, struct sofsim_thread *from, struct sofsim_thread *to);
};

struct sofsim__evlog {
	struct sofsim_event *ring;
	size_t capacity;
	uint64_t total;
};

struct sofsim__futexq {
	struct sofsim_list node; /* sim->futexes */
	atomic_int *addr;
	struct sofsim__waitq waiters;
};

struct sofsim__sysmutex {
	struct sofsim_list node; /* sim->sys_mutexes */
	const struct sofsim_sys_mutex *addr;
	struct sofsim_mutex *kmutex;
};

struct sofsim {
	struct sofsim_config cfg;
	const struct sofsim_platform *plat;
	unsigned cores;
	const struct sofsim__carrier_ops *carrier;
	void *carrier_priv;

	uint64_t now;
	uint64_t limit;           /* the run's end time */
	uint64_t timeout_seq;
	uint64_t rng;
	bool in_run;
	bool host_wake;
	bool livelock;
	uint64_t points_this_instant;
	struct sofsim_thread *host_join; /* a thread the host waits for in sofsim_thread_join() */
	unsigned isr_depth;
	int isr_core;

	struct sofsim_thread host;   /* the caller's context */
	struct sofsim_thread *running; /* token holder: &host or an emulated thread */
	struct sofsim__core core[SOFSIM_MAX_CORES];
	struct sofsim_list threads;  /* every emulated thread, by creation */
	int next_tid;
	struct sofsim_list timeouts; /* armed, sorted by (expiry, seq) */

	uint32_t irq_pending;
	struct sofsim__irq irq[SOFSIM_IRQ_LINES];

	struct sofsim_list futexes;
	struct sofsim_list sys_mutexes;
	struct sofsim_list objects;  /* kernel objects still alive (freed at destroy) */

	struct sofsim__arena arena;      /* all emulated DSP memory */
	struct sofsim__arena host_arena; /* host-side buffers */
	struct sofsim_heap *kheap;       /* kernel-model structures */
	uint64_t fail_countdown;         /* global allocation-failure injection, 0 = off */
	FILE *report;                    /* leak and teardown reports */

	struct sofsim__evlog evlog;
	struct sofsim_stats stats;
	atomic_uint inside;          /* host threads inside emulated code (debug invariant) */
};

/* Header of every kernel object the context allocates for the caller. */
struct sofsim__kobj {
	struct sofsim_list node; /* sim->objects */
	struct sofsim *sim;
	void (*release)(struct sofsim__kobj *obj); /* frees resources beyond the object */
};

/* ---- allocation (one place, so the arena and failure injection can take over) ---- */
void *sofsim__kzalloc(struct sofsim *sim, size_t bytes);
void sofsim__kfree(struct sofsim *sim, void *p);
void *sofsim__kobj_new(struct sofsim *sim, size_t bytes, void (*release)(struct sofsim__kobj *));
void sofsim__kobj_delete(struct sofsim__kobj *obj);

/* ---- scheduler (sched.c) ---- */
void sofsim__sched_point(struct sofsim *sim);
int sofsim__block(struct sofsim *sim, struct sofsim__waitq *wq, int64_t timeout);
void sofsim__wake(struct sofsim *sim, struct sofsim_thread *t, int result);
void sofsim__make_ready(struct sofsim *sim, struct sofsim_thread *t);
struct sofsim_thread *sofsim__pick_next(struct sofsim *sim);
void sofsim__switch(struct sofsim *sim, struct sofsim_thread *to);
bool sofsim__in_thread(const struct sofsim *sim);
int sofsim__run_host(struct sofsim *sim, uint64_t limit);
void sofsim__note_inside(struct sofsim *sim);
void sofsim__leave_inside(struct sofsim *sim);

/* ---- wait queues ---- */
void sofsim__waitq_init(struct sofsim__waitq *wq);
struct sofsim_thread *sofsim__waitq_first(struct sofsim__waitq *wq);
void sofsim__waitq_wake_all(struct sofsim *sim, struct sofsim__waitq *wq, int result);

/* ---- threads (thread.c) ---- */
void sofsim__thread_main(struct sofsim_thread *t);
void sofsim__thread_timeout_fire(struct sofsim *sim, struct sofsim__timeout *to);
void sofsim__threads_destroy(struct sofsim *sim);

/* ---- timeouts and interrupts (timeout.c, irq.c) ---- */
void sofsim__timeout_arm(struct sofsim *sim, struct sofsim__timeout *to, uint64_t expiry);
void sofsim__timeout_cancel(struct sofsim__timeout *to);
bool sofsim__deliver_interrupts(struct sofsim *sim);
bool sofsim__fire_due_timeouts(struct sofsim *sim);
void sofsim__isr_enter(struct sofsim *sim, unsigned core);
void sofsim__isr_exit(struct sofsim *sim);
uint64_t sofsim__next_expiry(const struct sofsim *sim);
bool sofsim__core_masked(const struct sofsim *sim, unsigned core);

/* ---- timers (timer.c) ---- */
void sofsim__timer_set_core(struct sofsim_timer *timer, unsigned core);
bool sofsim__timer_armed(const struct sofsim_timer *timer);

/* ---- event log (evlog.c) ---- */
int sofsim__evlog_init(struct sofsim *sim, size_t capacity);
void sofsim__evlog_fini(struct sofsim *sim);
void sofsim__evlog_add(struct sofsim *sim, enum sofsim_event_kind kind, uint32_t a, uint32_t b);

/* ---- carriers ---- */
extern const struct sofsim__carrier_ops sofsim__fiber_ops;
extern const struct sofsim__carrier_ops sofsim__pthread_ops;
void *sofsim__stack_map(struct sofsim *sim, size_t bytes, size_t *map_bytes, void **lo);
void sofsim__stack_unmap(struct sofsim *sim, void *map, size_t map_bytes);

#endif /* SOFSIM_KERNEL_PRIV_H */
