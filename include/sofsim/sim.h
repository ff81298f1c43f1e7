/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sim.h
 * @brief The simulation context: configuration, creation, running virtual
 * time, statistics and the event log.
 *
 * One `struct sofsim` owns every piece of simulated state. Several contexts
 * may live in one process; each is driven from one host thread at a time.
 */
#ifndef SOFSIM_SIM_H
#define SOFSIM_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sofsim/export.h"

struct sofsim;
struct sofsim_platform;

/** Wait forever (timeouts are in nanoseconds of virtual time). */
#define SOFSIM_FOREVER INT64_C(-1)
/** Do not wait. */
#define SOFSIM_NO_WAIT INT64_C(0)
/** A virtual time that is never reached. */
#define SOFSIM_TIME_NEVER UINT64_MAX

#define SOFSIM_NSEC_PER_USEC UINT64_C(1000)
#define SOFSIM_NSEC_PER_MSEC UINT64_C(1000000)
#define SOFSIM_NSEC_PER_SEC UINT64_C(1000000000)

/** Memory-protection mode (see docs/architecture.md). */
enum sofsim_protection {
	SOFSIM_PROT_OFF = 0,       /**< no checks at all */
	SOFSIM_PROT_VERIFY,        /**< syscall, object and privilege checks */
	SOFSIM_PROT_ENFORCE_CHECK, /**< verify + every user load/store checked by instrumentation */
	SOFSIM_PROT_ENFORCE_MMU,   /**< verify + real page protection */
};

/** What happens after a fault. */
enum sofsim_fault_policy {
	SOFSIM_FAULT_HALT = 0,    /**< SOF's behaviour: the whole DSP halts */
	SOFSIM_FAULT_KILL_THREAD, /**< Zephyr's default: only the faulting thread ends */
	SOFSIM_FAULT_ABORT,       /**< abort() the process (fuzzing) */
};

/** How emulated threads are carried by the host (docs/design-decisions.md). */
enum sofsim_threads {
	SOFSIM_THREADS_FIBER = 0, /**< user-space contexts on the caller's OS thread (default) */
	SOFSIM_THREADS_PTHREAD,   /**< one pthread each, a token handed with futexes */
};

/** When the scheduler may move the token to another emulated core. */
enum sofsim_interleave {
	SOFSIM_INTERLEAVE_EVERY_POINT = 0, /**< at every scheduling point, chosen by the seed */
	SOFSIM_INTERLEAVE_ON_BLOCK,        /**< only when the running core's thread blocks */
};

/**
 * @brief Wall-clock pacing hook, called before virtual time jumps forward.
 * @param arg      The hook's argument from the config.
 * @param from_ns  Virtual time now.
 * @param to_ns    Virtual time about to be reached.
 */
typedef void (*sofsim_pace_fn)(void *arg, uint64_t from_ns, uint64_t to_ns);

/** Context configuration; fill with sofsim_config_init() and override fields. */
struct sofsim_config {
	const char *platform;              /**< profile name ("ptl", "mtl"); NULL = default */
	uint64_t seed;                     /**< drives core interleaving (docs/determinism.md) */
	enum sofsim_protection protection; /**< protection mode */
	enum sofsim_fault_policy fault_policy; /**< fault policy */
	size_t arena_bytes;                /**< DSP arena size, page multiple */
	size_t host_arena_bytes;           /**< host arena size, page multiple */
	enum sofsim_threads threads;       /**< thread carrier */
	enum sofsim_interleave interleave; /**< core interleaving policy */
	unsigned spin;                     /**< pthread carrier: spins before a futex wait */
	int pin_cpu;                       /**< pthread carrier: host CPU for every emulated thread, -1 none */
	size_t stack_bytes;                /**< default emulated stack size */
	size_t evlog_capacity;             /**< event-log entries kept (ring); 0 disables the log */
	/** Scheduling points allowed at one virtual instant before a run stops as a livelock; 0 = no limit. */
	uint64_t livelock_points;
	sofsim_pace_fn pace;               /**< optional wall-clock pacing hook */
	void *pace_arg;                    /**< argument of @ref pace */
	/** Make the n-th heap allocation from creation on fail (1 = the first); 0 = never. */
	uint64_t fail_alloc_nth;
	/** Test hook: called in the middle of every token hand-off (pthread carrier). */
	void (*handoff_hook)(void *arg);
	void *handoff_hook_arg;            /**< argument of @ref handoff_hook */
};

/** Counters a scenario can read (and benchmarks print). */
struct sofsim_stats {
	uint64_t sched_points;   /**< scheduling points passed */
	uint64_t switches;       /**< token hand-offs between host contexts */
	uint64_t os_handoffs;    /**< hand-offs that needed the host OS scheduler */
	uint64_t isrs;           /**< interrupt service routines run */
	uint64_t timer_expiries; /**< timers and timeouts expired */
	uint64_t time_jumps;     /**< times the clock jumped to the next event */
	unsigned max_inside;     /**< most host threads ever inside emulated code at once */
	uint64_t mprotect_calls; /**< enforce=mmu: mprotect() calls made to change the applied view */
	/** enforce=check: kernel-mode reads of user-writable memory outside the copy-in helpers (bug class 14) */
	uint64_t kernel_user_reads;
	uint64_t view_switches;  /**< enforce=mmu: changes of the applied view (kernel view <-> a thread's) */
};

/**
 * @brief Fill a config with the defaults (ptl, seed 1, verify, halt, fibers).
 * @param cfg Config to fill.
 */
SOFSIM_API void sofsim_config_init(struct sofsim_config *cfg);

/**
 * @brief Check a config without creating anything.
 * @param cfg     Config to check.
 * @param why     Buffer for a message naming the bad field, or NULL.
 * @param why_len Size of @p why.
 * @retval 0           The config is valid.
 * @retval -EINVAL     A field is invalid; @p why names it.
 * @retval -EOPNOTSUPP SOFSIM_PROT_ENFORCE_MMU in a build or on a host where it
 *                     cannot be sound (an AddressSanitizer build, a host other
 *                     than x86-64 Linux); @p why says which.
 * @retval -EBUSY      SOFSIM_PROT_ENFORCE_MMU while another context of the
 *                     process uses it (mprotect() is process-wide).
 */
SOFSIM_API int sofsim_config_check(const struct sofsim_config *cfg, char *why, size_t why_len);

/**
 * @brief Create a context.
 * @param out     Receives the context.
 * @param cfg     Configuration (NULL = defaults).
 * @param why     Buffer for a message on failure, or NULL.
 * @param why_len Size of @p why.
 * @retval 0           Created.
 * @retval -EINVAL     Bad config; @p why names the field.
 * @retval -EOPNOTSUPP enforce=mmu refused here (see sofsim_config_check()).
 * @retval -EBUSY      enforce=mmu already in use by another context.
 * @retval -ENOMEM     Out of memory.
 */
SOFSIM_API int sofsim_create(struct sofsim **out, const struct sofsim_config *cfg, char *why,
			     size_t why_len);

/**
 * @brief Destroy a context: every emulated thread is aborted and unwound at
 * its blocking point, then all memory is released. Accepts NULL. Must be
 * called from the host, not from an emulated thread.
 * @param sim Context.
 */
SOFSIM_API void sofsim_destroy(struct sofsim *sim);

/**
 * @brief The platform profile of a context.
 * @param sim Context.
 * @return The profile (never NULL).
 */
SOFSIM_API const struct sofsim_platform *sofsim_platform(const struct sofsim *sim);

/**
 * @brief The config a context was created with.
 * @param sim Context.
 * @return The config.
 */
SOFSIM_API const struct sofsim_config *sofsim_config(const struct sofsim *sim);

/**
 * @brief Virtual time now.
 * @param sim Context.
 * @return Nanoseconds since creation.
 */
SOFSIM_API uint64_t sofsim_now(const struct sofsim *sim);

/**
 * @brief Run emulated threads until virtual time @p t_ns is reached with no
 * thread runnable, or until a host event stops the run early.
 * @param sim  Context (called from the host).
 * @param t_ns Absolute virtual time; earlier than now means "now".
 * @retval 0       Time @p t_ns reached.
 * @retval 1       Stopped early by a host event (sofsim_host_wake()).
 * @retval -ELOOP  Livelock: config.livelock_points scheduling points passed
 *                 without virtual time moving (a thread that never blocks).
 * @retval -EPERM  Called from an emulated thread.
 */
SOFSIM_API int sofsim_run_until(struct sofsim *sim, uint64_t t_ns);

/**
 * @brief Run until no thread is runnable and no timer is armed, or until
 * virtual time @p limit_ns.
 * @param sim      Context (called from the host).
 * @param limit_ns Absolute bound (SOFSIM_TIME_NEVER for none).
 * @retval 0          Idle; time stays where the last event left it.
 * @retval 1          Stopped early by a host event.
 * @retval -ETIMEDOUT Still busy at @p limit_ns (a periodic timer, say).
 * @retval -ELOOP     Livelock (see sofsim_run_until()).
 * @retval -EPERM     Called from an emulated thread.
 */
SOFSIM_API int sofsim_run_until_idle(struct sofsim *sim, uint64_t limit_ns);

/**
 * @brief Ask the running simulation to return to the host at the next
 * scheduling point (device models call it when the host has an event).
 * @param sim Context.
 */
SOFSIM_API void sofsim_host_wake(struct sofsim *sim);

/**
 * @brief Read the counters.
 * @param sim Context.
 * @param out Receives a copy.
 */
SOFSIM_API void sofsim_stats_get(const struct sofsim *sim, struct sofsim_stats *out);

/**
 * @brief Snapshot a booted context, to go back to it with sofsim_reset():
 * the arenas' pages in use, the context's state, the event log. Replaces an
 * earlier snapshot. Either thread carrier; not under enforce=mmu.
 * @param sim     Context (called from the host, between runs).
 * @param why     Buffer for a reason on failure, or NULL.
 * @param why_len Size of @p why.
 * @retval 0           Taken.
 * @retval -EBUSY      Called from an emulated thread or during a run.
 * @retval -EOPNOTSUPP enforce=mmu, or a device that cannot be rewound (@p why names it).
 * @retval -ENOMEM     Out of memory.
 */
SOFSIM_API int sofsim_snapshot(struct sofsim *sim, char *why, size_t why_len);

/**
 * @brief Put the context back exactly as it was at the snapshot: threads at
 * their park points, memory, heaps, objects, clock, RNG, event log, faults.
 * Threads created since are gone. The snapshot stays for further resets.
 * @param sim Context (called from the host, between runs).
 * @retval 0       Reset.
 * @retval -ENOENT No snapshot.
 * @retval -EBUSY  Called from an emulated thread or during a run.
 */
SOFSIM_API int sofsim_reset(struct sofsim *sim);

/**
 * @brief Pages the last reset copied back (those changed since the snapshot).
 * @param sim Context.
 * @return Count.
 */
SOFSIM_API uint64_t sofsim_reset_dirty_pages(const struct sofsim *sim);

/**
 * @brief How resets find the pages to copy back: "userfaultfd write-protect
 * + PAGEMAP_SCAN" where the kernel allows it, else "page compare" (also
 * under Valgrind); "none" without a snapshot.
 * @param sim Context.
 * @return A constant string.
 */
SOFSIM_API const char *sofsim_reset_tracking(const struct sofsim *sim);

/** Event kinds of the event log. */
#define SOFSIM_EVENT_KINDS(X)                                                   \
	X(THREAD_CREATE, "thread-create") X(RUN, "run") X(BLOCK, "block")       \
	X(WAKE, "wake") X(TIMEOUT, "timeout") X(EXIT, "exit") X(ABORT, "abort") \
	X(USER_MODE, "user-mode") X(YIELD, "yield") X(SLEEP, "sleep")           \
	X(ISR, "isr") X(TIMER, "timer") X(IRQ_RAISE, "irq-raise")               \
	X(SEM_GIVE, "sem-give") X(SEM_TAKE, "sem-take")                         \
	X(MUTEX_LOCK, "mutex-lock") X(MUTEX_UNLOCK, "mutex-unlock")             \
	X(EVENT_POST, "event-post") X(WORK, "work") X(MARK, "mark")            \
	X(FAULT, "fault") X(SYSCALL, "syscall") X(FLAG, "flag")                \
	X(IPC_REG, "ipc-reg") X(IPC_MBOX, "ipc-mbox")

/** Event kinds, from SOFSIM_EVENT_KINDS. */
enum sofsim_event_kind {
#define SOFSIM_EV_ENUM(name, text) SOFSIM_EV_##name,
	SOFSIM_EVENT_KINDS(SOFSIM_EV_ENUM)
#undef SOFSIM_EV_ENUM
	SOFSIM_EV_COUNT
};

/** Thread id used in events for the host and for interrupt context. */
#define SOFSIM_TID_HOST (-1)
#define SOFSIM_TID_ISR (-2)

/** One event-log record. Holds no host addresses, so logs compare across runs. */
struct sofsim_event {
	uint64_t t_ns;  /**< virtual time */
	int16_t core;   /**< emulated core, -1 for the host */
	int16_t tid;    /**< thread id (creation order), or SOFSIM_TID_* */
	uint16_t kind;  /**< enum sofsim_event_kind */
	uint16_t reserved;
	uint32_t a;     /**< kind-specific argument */
	uint32_t b;     /**< kind-specific argument */
};

/**
 * @brief Name of an event kind.
 * @param kind Kind.
 * @return Its name, or "?" when out of range.
 */
SOFSIM_API const char *sofsim_event_kind_name(unsigned kind);

/**
 * @brief Number of events recorded since creation (may exceed what is kept).
 * @param sim Context.
 * @return Count.
 */
SOFSIM_API uint64_t sofsim_evlog_total(const struct sofsim *sim);

/**
 * @brief Read one kept event.
 * @param sim   Context.
 * @param index Index among kept events, 0 = oldest kept.
 * @param out   Receives the event.
 * @retval 0       Read.
 * @retval -ERANGE No such kept event.
 */
SOFSIM_API int sofsim_evlog_get(const struct sofsim *sim, size_t index, struct sofsim_event *out);

/**
 * @brief Number of events kept (at most the configured capacity).
 * @param sim Context.
 * @return Count.
 */
SOFSIM_API size_t sofsim_evlog_size(const struct sofsim *sim);

/**
 * @brief Print the kept events, one line each, with thread names.
 * @param sim Context.
 * @param out Stream.
 * @retval 0    Printed.
 * @retval -EIO Write error.
 */
SOFSIM_API int sofsim_evlog_print(const struct sofsim *sim, FILE *out);

/**
 * @brief Record a caller-defined marker event (tests, traces).
 * @param sim Context.
 * @param a   First argument.
 * @param b   Second argument.
 */
SOFSIM_API void sofsim_evlog_mark(struct sofsim *sim, uint32_t a, uint32_t b);

/**
 * @brief Frames produced at @p rate_hz during @p ns (floor, exact).
 * @param rate_hz Sample rate.
 * @param ns      Duration.
 * @return Frames (10 s at 44,100 Hz = 441,000).
 */
SOFSIM_API uint64_t sofsim_frames_in(uint32_t rate_hz, uint64_t ns);

/**
 * @brief First virtual time at which @p frames frames have been produced at
 * @p rate_hz (ceiling, exact): sofsim_frames_in(rate, result) >= frames.
 * @param rate_hz Sample rate (> 0).
 * @param frames  Frame count.
 * @return Nanoseconds.
 */
SOFSIM_API uint64_t sofsim_ns_for_frames(uint32_t rate_hz, uint64_t frames);

#endif /* SOFSIM_SIM_H */
