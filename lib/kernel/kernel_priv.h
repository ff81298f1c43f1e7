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

#include "sofsim/fault.h"
#include "sofsim/kernel.h"
#include "sofsim/object.h"
#include "sofsim/platform.h"
#include "sofsim/sim.h"

#include "kernel/list.h"
#include "kernel/mem_priv.h"

#define SOFSIM_MAX_CORES 8

/* The enforce=check callbacks, per thread: nothing, check user-mode accesses,
 * or (kernel rights inside a user thread's syscall) trace reads of user memory. */
#define SOFSIM__CHK_OFF 0u
#define SOFSIM__CHK_USER 1u
#define SOFSIM__CHK_TRACE 2u
#define SOFSIM_THREAD_NAME_MAX 32

#define SOFSIM_KOBJ_INIT (1u << 0)    /* initialised */
#define SOFSIM_KOBJ_DYNAMIC (1u << 1) /* from the pool; freed with its last permission */
#define SOFSIM_KOBJ_PUBLIC (1u << 2)  /* no permission check */
#define SOFSIM_KOBJ_BUCKETS 1024u

struct sofsim__kobj {
	struct sofsim_list node;     /* sim->objects */
	struct sofsim__kobj *hnext;  /* registry hash chain */
	struct sofsim *sim;
	void (*release)(struct sofsim__kobj *obj); /* frees resources beyond the object */
	uint8_t type;                /* enum sofsim_obj_type */
	uint8_t flags;               /* SOFSIM_KOBJ_* */
	uint32_t perms;              /* bit n: thread index n may use it */
};

/* What sofsim__kobj_validate() requires of the initialisation state. */
enum sofsim__kobj_init {
	SOFSIM_KOBJ_MUST_INIT,     /* K_SYSCALL_OBJ */
	SOFSIM_KOBJ_ANY_INIT,      /* K_SYSCALL_OBJ_INIT */
	SOFSIM_KOBJ_MUST_NOT_INIT, /* K_SYSCALL_OBJ_NEVER_INIT */
};

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
	struct sofsim__kobj obj;      /* first: the thread is a kernel object */
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
	sigjmp_buf unwind;            /* with the signal mask: enforce=mmu halts inside a SIGSEGV handler */
	void *stack;                  /* mapping incl. guard page */
	size_t stack_map_bytes;
	void *stack_lo;               /* usable stack [stack_lo, stack_lo + stack_bytes) */
	size_t stack_bytes;
	struct sofsim__carrier *carrier;
	bool faulted;                 /* ended by a fault: its memory is abandoned, not leaked */
	int idx;                      /* thread index for permission bits, -1 when none */
	unsigned in_syscall;          /* > 0 while running a syscall with kernel rights */
	unsigned syscall_id;          /* the syscall being run, for reports */
	size_t kheap_live_at_gate;    /* kernel blocks live when the current syscall entered (bug class 25) */
	uint8_t chk_on;               /* SOFSIM__CHK_*: what the enforce=check callbacks do for this thread */
	struct sofsim__view *chk_view; /* cached view of the domain */
	const uint8_t *chk_bits;      /* that view's page bits, as of the last view switch (NULL: no domain) */
	uintptr_t chk_base;           /* the DSP arena, for the checker's fast path */
	size_t chk_size;
	char name[SOFSIM_THREAD_NAME_MAX];
	struct sofsim_domain *domain;
	void *mmu_altstack;           /* enforce=mmu: its SIGSEGV handler's stack, outside the arena */
	unsigned mmu_altstack_vg;     /* Valgrind's id of that stack */
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
	/* After a reset put @t's memory back: redo what thread_init told the tools (optional). */
	void (*thread_restore)(struct sofsim *sim, struct sofsim_thread *t);
	/* Hand the token from the ended @from to @to; never returns. */
	void (*exit_to)(struct sofsim *sim, struct sofsim_thread *from, struct sofsim_thread *to);
	/* Optional: return once no other host thread of the context touches the arena (enforce=mmu). */
	void (*quiesce)(struct sofsim *sim);
	/* Optional: a snapshot was taken (@taken) or dropped; keep what a reset needs of the threads of now. */
	void (*snapshot)(struct sofsim *sim, bool taken);
};

struct sofsim__evlog {
	struct sofsim_event *ring;
	size_t capacity;
	uint64_t total;
};

#define SOFSIM_RODATA_RANGES 64

struct sofsim__range {
	uintptr_t start;
	size_t size;
};

#define SOFSIM_FAULT_RECORDS 64
#define SOFSIM_SNAPSHOT_HOOKS 32

/* State a snapshot cannot hold (a device, a file being encoded) says so through a hook. */
struct sofsim__snap_hook {
	int (*check)(void *arg, char *why, size_t why_len); /* 0, or -EOPNOTSUPP naming what */
	void *arg;
};
#define SOFSIM_KGLOBALS 16

struct sofsim__kglobal {
	const char *name;
	uintptr_t addr;
	size_t size;
};

struct sofsim__faults {
	struct sofsim_fault rec[SOFSIM_FAULT_RECORDS];
	uint64_t total;
	bool expect_pending;
	unsigned expect_reason, expect_cause;
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

struct sofsim_dma;

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

	struct sofsim_list futexes;      /* wait queues of futex words with waiters */
	struct sofsim_list futex_regs;   /* registered futex words */
	struct sofsim_list views;        /* enforce checker: page views per domain */
	unsigned unregistered_sync_ops;  /* futex/sys_mutex ops on unregistered addresses (bug class 4) */
	struct sofsim_list sys_mutexes;
	struct sofsim_list objects;  /* kernel objects still alive (freed at destroy) */
	struct sofsim__kobj *kobj_hash[SOFSIM_KOBJ_BUCKETS];
	unsigned pool_used, pool_peak;
	uint32_t thread_idx_used;
	unsigned unknown_grants;
	int last_alloc_error;           /* why the last k_object_alloc syscall returned NULL */
	unsigned obj_in_user_memory;
	unsigned obj_live[SOFSIM_OBJ_TYPE_COUNT], obj_dynamic[SOFSIM_OBJ_TYPE_COUNT];

	struct sofsim__arena arena;      /* all emulated DSP memory */
	struct sofsim__arena host_arena; /* host-side buffers */
	struct sofsim_heap *kheap;       /* kernel-model structures */
	struct sofsim_heap *ll_user_heap; /* SOF's LL user heap (sof_heap_alloc) */
	struct sofsim_list heaps;         /* every live heap */
	struct sofsim__snapshot *snapshot; /* sofsim_snapshot()'s record (malloc'd), or NULL */
	struct sofsim__snap_hook snap_hooks[SOFSIM_SNAPSHOT_HOOKS];
	unsigned snap_hooks_used;
	struct sofsim_dma *dma[SOFSIM_GW_COUNT]; /* DMA devices per gateway kind (sofsim_dma_init()), or NULL */
	uint64_t fail_countdown;         /* global allocation-failure injection, 0 = off */
	FILE *report;                    /* leak and teardown reports */

	struct sofsim__evlog evlog;
	struct sofsim__faults faults;
	void (*halt_hook)(struct sofsim *sim, void *arg, unsigned core); /* before the DSP halts */
	void *halt_hook_arg;
	uint64_t *syscall_calls;     /* per syscall id */
	struct sofsim__range rodata[SOFSIM_RODATA_RANGES]; /* readable by every user thread */
	unsigned rodata_count;
	struct sofsim__kglobal kglobals[SOFSIM_KGLOBALS];
	unsigned kglobals_used;
	void (*toctou_hook)(void *arg);
	void *toctou_arg;
	bool verify_byte_exact;
	bool halted;
	bool break_on_fault;
	struct sofsim_stats stats;
	struct sofsim__mmu *mmu;     /* enforce=mmu state (malloc'd, outside the arena), or NULL */
	atomic_uint inside;          /* host threads inside emulated code (debug invariant) */
};

/* Header of every kernel object the context allocates for the caller. */

/* The emulated thread running on this host thread (NULL on the host); set at every switch. */
extern _Thread_local struct sofsim_thread *sofsim__tls_self __attribute__((tls_model("initial-exec")));

/* True when the caller is an emulated thread in user mode outside a syscall: it must use the gate. */
static inline bool sofsim__from_user(void)
{
	const struct sofsim_thread *t = sofsim__tls_self;

	return t && t->user && !t->in_syscall && !t->sim->isr_depth;
}

/* A privileged instruction: from user mode a CPU exception (cause 8); else nothing. */
void sofsim__privileged(struct sofsim *sim, const char *op);
/* A kernel-only API called from user mode: CPU exception, cause 8 (bug class 2). */
void sofsim__require_supervisor(struct sofsim *sim, const char *api);
/* The same, for APIs whose arguments cannot be trusted to find the context. */
void sofsim__kernel_only(const char *api);

/* ---- allocation (one place, so the arena and failure injection can take over) ---- */
/* Kernel-model structures come from the context's kernel heap, in the DSP arena. */
void *sofsim__kzalloc_at(struct sofsim *sim, size_t bytes, const char *site);
#define sofsim__kzalloc(sim, bytes) sofsim__kzalloc_at((sim), (bytes), SOFSIM_SITE)
void sofsim__kfree(struct sofsim *sim, void *p);
int sofsim__kheap_create(struct sofsim *sim);
void sofsim__kheap_destroy(struct sofsim *sim);
/* Debug walk: every thread, object and queue record lies in the kernel heap (0), or -EFAULT. */
int sofsim__mem_walk_check(const struct sofsim *sim);
void *sofsim__kobj_new(struct sofsim *sim, size_t bytes, unsigned type, void (*release)(struct sofsim__kobj *));
int sofsim__kobj_alloc(struct sofsim *sim, size_t bytes, unsigned type, void (*release)(struct sofsim__kobj *),
		       struct sofsim__kobj **out);
void sofsim__kobj_delete(struct sofsim__kobj *obj);
void sofsim__kobj_register(struct sofsim *sim, struct sofsim__kobj *obj, unsigned type, unsigned flags);
void sofsim__kobj_unregister(struct sofsim__kobj *obj);
struct sofsim__kobj *sofsim__kobj_find(const struct sofsim *sim, const void *ptr);
int sofsim__kobj_validate(struct sofsim *sim, const void *ptr, unsigned type, enum sofsim__kobj_init init);
void sofsim__kobj_thread_gone(struct sofsim *sim, struct sofsim_thread *t);
/* Zephyr's rule: kernel objects never lie in user-accessible memory. Flag any inside @p. */
void sofsim__flag_objects_in_user_memory(struct sofsim *sim, const struct sofsim_partition *p);
int sofsim__thread_index_get(struct sofsim *sim, struct sofsim_thread *t);
/* Dynamic, uninitialised objects for k_object_alloc (each primitive's file). */
int sofsim__sem_alloc(struct sofsim *sim, struct sofsim__kobj **out);
int sofsim__mutex_alloc(struct sofsim *sim, struct sofsim__kobj **out);
int sofsim__kevent_alloc(struct sofsim *sim, struct sofsim__kobj **out);
int sofsim__timer_alloc(struct sofsim *sim, struct sofsim__kobj **out);

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
int sofsim__irq_pend(struct sofsim *sim, unsigned line);
void sofsim__isr_exit(struct sofsim *sim);
uint64_t sofsim__next_expiry(const struct sofsim *sim);
bool sofsim__core_masked(const struct sofsim *sim, unsigned core);

/* ---- timers (timer.c) ---- */
void sofsim__timer_set_core(struct sofsim_timer *timer, unsigned core);
bool sofsim__timer_armed(const struct sofsim_timer *timer);

/* ---- faults (fault.c): record, print, apply the policy; never returns ---- */
/* Write a message into @why (when it is not NULL and @len > 0); returns @err. */
__attribute__((format(printf, 4, 5))) int sofsim__why(char *why, size_t len, int err, const char *fmt, ...);

__attribute__((noreturn, format(printf, 7, 8))) void
sofsim__fault(struct sofsim *sim, unsigned kind, unsigned reason, unsigned cause, uintptr_t vaddr, const char *op,
	      const char *fmt, ...);

/* ---- the enforce checker (check.c) ---- */
void sofsim__chk_update(struct sofsim_thread *t);
void sofsim__chk_forget_domain(struct sofsim *sim, const struct sofsim_domain *d);
void sofsim__chk_views_free(struct sofsim *sim);
bool sofsim__heap_span_in_block(const struct sofsim_heap *h, uintptr_t addr, size_t size);
/* Page attributes of a domain's view, one byte per DSP-arena page (shared with enforce=mmu). */
#define SOFSIM__VIEW_R 1u
#define SOFSIM__VIEW_W 2u
/* The page view of @t's domain, current as of now: SOFSIM__VIEW_* per arena page; NULL without one. */
const uint8_t *sofsim__chk_view_bits(struct sofsim_thread *t);

/*
 * ---- enforce=mmu (mmu.c, mmu_signal.c) ----
 * The running view follows the token holder's rights: the kernel view (the
 * whole arena RW, stack guard pages PROT_NONE) for the host, kernel threads,
 * syscalls, ISRs and fault handling; the thread's own view in user code.
 * Each hook is a test of sim->mmu when the mode is off.
 */
struct sofsim__mmu;
int sofsim__mmu_config_check(const struct sofsim_config *cfg, char *why, size_t why_len);
int sofsim__mmu_create(struct sofsim *sim, char *why, size_t why_len);
void sofsim__mmu_destroy(struct sofsim *sim);
void sofsim__mmu_kernel_slow(struct sofsim *sim);
void sofsim__mmu_sync_slow(struct sofsim *sim);
int sofsim__mmu_thread_init(struct sofsim *sim, struct sofsim_thread *t);
void sofsim__mmu_thread_fini(struct sofsim *sim, struct sofsim_thread *t);
void sofsim__mmu_thread_start(struct sofsim_thread *t);
void sofsim__mmu_switch_begin(struct sofsim *sim, struct sofsim_thread *from);
void sofsim__mmu_switch_end(struct sofsim *sim, struct sofsim_thread *from);
/* A domain's view was dropped: no cached view may be reused. */
void sofsim__mmu_forget(struct sofsim *sim);
/* The fault in progress must halt the DSP whatever the policy (caught by the SIGSEGV handler). */
bool sofsim__mmu_halts(const struct sofsim *sim);
/* Carrier records that host threads poll while a user view is applied: outside the arena under mmu. */
void *sofsim__mmu_carrier_alloc(struct sofsim *sim, size_t bytes);
void sofsim__mmu_carrier_free(struct sofsim *sim, void *p);
/* Pthread carrier: first thing on a new emulated pthread (its signal stack and mask). */
void sofsim__mmu_pthread_enter(const void *altstack);
/* Pthread carrier: publish *@parked = 1 and wait on *@word, touching no other memory in between. */
void sofsim__mmu_futex_park(atomic_uint *parked, atomic_uint *word);

static inline bool sofsim__mmu_on(const struct sofsim *sim)
{
	return sim->cfg.protection == SOFSIM_PROT_ENFORCE_MMU;
}

/* Enter the kernel view (gate entry, ISR entry, fault entry, thread end). */
static inline void sofsim__mmu_kernel(struct sofsim *sim)
{
	if (sim->mmu)
		sofsim__mmu_kernel_slow(sim);
}

/* Apply the view the running thread's rights call for (gate exit, ISR exit, user-mode entry). */
static inline void sofsim__mmu_sync(struct sofsim *sim)
{
	if (sim->mmu)
		sofsim__mmu_sync_slow(sim);
}

/* ---- read-only data of loaded objects (rodata.c) ---- */
void sofsim__rodata_refresh(struct sofsim *sim);
bool sofsim__in_rodata(const struct sofsim *sim, uintptr_t addr, size_t size);

/* ---- snapshot and reset (snapshot.c) ---- */
void sofsim__snapshot_free(struct sofsim *sim);
/* Devices outside the kernel register a check run by every sofsim_snapshot(); -ENOSPC when full. */
int sofsim__snapshot_hook_add(struct sofsim *sim, int (*check)(void *arg, char *why, size_t why_len), void *arg);
void sofsim__snapshot_hook_remove(struct sofsim *sim, void *arg);

/* ---- syscalls (syscall.c) ---- */
size_t sofsim__heap_live_blocks(const struct sofsim_heap *h);
int sofsim__syscall_stats_init(struct sofsim *sim);
void sofsim__set_toctou_hook(struct sofsim *sim, void (*hook)(void *arg), void *arg);

/* Called by the fault path just before the DSP halts (the IPC block tells the host). */
void sofsim__set_halt_hook(struct sofsim *sim, void (*hook)(struct sofsim *sim, void *arg, unsigned core),
			   void *arg);

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
