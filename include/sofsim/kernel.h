/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file kernel.h
 * @brief The model RTOS: emulated threads, interrupts, timers, work queues
 * and synchronisation, with Zephyr's semantics.
 *
 * Exactly one emulated thread runs at a time. Every call below that can
 * block is a scheduling point; calls made from the host (outside
 * sofsim_run_until()) or from an ISR must not block and return -EBUSY
 * instead of waiting. Timeouts are virtual nanoseconds, SOFSIM_NO_WAIT or
 * SOFSIM_FOREVER.
 */
#ifndef SOFSIM_KERNEL_H
#define SOFSIM_KERNEL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sofsim/export.h"
#include "sofsim/sim.h"

struct sofsim_thread;
struct sofsim_timer;
struct sofsim_sem;
struct sofsim_mutex;
struct sofsim_kevent;
struct sofsim_workq;

/** Highest cooperative priority (Zephyr's -CONFIG_NUM_COOP_PRIORITIES). */
#define SOFSIM_PRIO_COOP_MIN (-16)
/** Lowest preemptible priority. */
#define SOFSIM_PRIO_PREEMPT_MAX 15

/** Attributes of a new emulated thread. */
struct sofsim_thread_attr {
	const char *name;   /**< name, kept up to 31 characters */
	int prio;           /**< -16..-1 cooperative, 0..15 preemptible */
	unsigned core;      /**< emulated core it is pinned to */
	bool user;          /**< starts in user mode (K_USER) */
	size_t stack_bytes; /**< 0 = the context default */
};

/** Entry point of an emulated thread. */
typedef void (*sofsim_thread_fn)(void *arg);

/**
 * @brief Create an emulated thread; it becomes ready at once and runs from
 * the next scheduling point.
 * @param sim   Context.
 * @param attr  Attributes.
 * @param entry Entry point.
 * @param arg   Its argument.
 * @param out   Receives the thread (owned by the context).
 * @retval 0       Created.
 * @retval -EINVAL Bad priority, core, name or entry.
 * @retval -EPERM  A user thread asked for a kernel thread.
 * @retval -ENOMEM Out of memory.
 */
SOFSIM_API int sofsim_thread_create(struct sofsim *sim, const struct sofsim_thread_attr *attr,
				    sofsim_thread_fn entry, void *arg, struct sofsim_thread **out);

/**
 * @brief Wait for a thread to end. From an emulated thread this blocks; from
 * the host it runs the simulation until the thread ends.
 * @param t       Thread.
 * @param timeout Virtual-time bound.
 * @retval 0        The thread has ended.
 * @retval -EBUSY   Not ended and @p timeout is SOFSIM_NO_WAIT.
 * @retval -EAGAIN  Timed out.
 * @retval -EDEADLK A thread joining itself, or (host) nothing left that could end it.
 */
SOFSIM_API int sofsim_thread_join(struct sofsim_thread *t, int64_t timeout);

/**
 * @brief End a thread now. It is unwound at its blocking point (or at once
 * if it aborts itself, in which case this does not return).
 * @param t Thread.
 * @retval 0        Aborted (or had already ended).
 * @retval -EPERM   A user thread aborting another thread it does not own.
 */
SOFSIM_API int sofsim_thread_abort(struct sofsim_thread *t);

/**
 * @brief Give back an ended thread's stack and record (kernel-only). The
 * handle is invalid afterwards; threads not released are freed at context
 * destroy. Accepts NULL.
 * @param t Thread.
 * @retval 0      Released.
 * @retval -EBUSY The thread has not ended.
 */
SOFSIM_API int sofsim_thread_release(struct sofsim_thread *t);

/**
 * @brief Drop the calling thread to user mode; there is no way back.
 * @param sim Context.
 * @retval 0       Now in user mode.
 * @retval -EPERM  Not called from an emulated thread.
 */
SOFSIM_API int sofsim_thread_user_mode_enter(struct sofsim *sim);

/**
 * @brief The calling emulated thread.
 * @param sim Context.
 * @return The thread, or NULL from the host or an ISR.
 */
SOFSIM_API struct sofsim_thread *sofsim_thread_self(struct sofsim *sim);

/** @brief Name of a thread. @param t Thread. @return Its name. */
SOFSIM_API const char *sofsim_thread_name(const struct sofsim_thread *t);
/** @brief Id of a thread (creation order). @param t Thread. @return Id. */
SOFSIM_API int sofsim_thread_id(const struct sofsim_thread *t);
/** @brief Core of a thread. @param t Thread. @return Core. */
SOFSIM_API unsigned sofsim_thread_core(const struct sofsim_thread *t);
/** @brief Whether a thread runs in user mode. @param t Thread. @return true if user. */
SOFSIM_API bool sofsim_thread_is_user(const struct sofsim_thread *t);
/** @brief Whether a thread has ended. @param t Thread. @return true if ended. */
SOFSIM_API bool sofsim_thread_ended(const struct sofsim_thread *t);

/**
 * @brief Let ready threads of the same or higher priority on this core run.
 * @param sim Context (called from an emulated thread; elsewhere a no-op).
 */
SOFSIM_API void sofsim_yield(struct sofsim *sim);

/**
 * @brief Sleep for @p ns of virtual time.
 * @param sim Context.
 * @param ns  Duration.
 * @retval 0      Slept.
 * @retval -EBUSY Not called from an emulated thread.
 */
SOFSIM_API int sofsim_sleep(struct sofsim *sim, uint64_t ns);

/* ---- Interrupts ---- */

/** Number of interrupt lines. */
#define SOFSIM_IRQ_LINES 32

/** An interrupt service routine; runs in kernel context, must not block. */
typedef void (*sofsim_isr_fn)(void *arg);

/**
 * @brief Connect an ISR to a line and route the line to a core.
 * @param sim  Context.
 * @param line Line, < SOFSIM_IRQ_LINES.
 * @param core Core whose interrupt mask gates it.
 * @param isr  Routine.
 * @param arg  Its argument.
 * @retval 0       Connected.
 * @retval -EINVAL Bad line, core or NULL isr.
 * @retval -EBUSY  Line already connected.
 */
SOFSIM_API int sofsim_irq_connect(struct sofsim *sim, unsigned line, unsigned core,
				  sofsim_isr_fn isr, void *arg);

/**
 * @brief Disconnect a line (a pending request is dropped).
 * @param sim  Context.
 * @param line Line.
 * @retval 0       Disconnected.
 * @retval -EINVAL Bad or unconnected line.
 */
SOFSIM_API int sofsim_irq_disconnect(struct sofsim *sim, unsigned line);

/**
 * @brief Raise a line. The ISR runs at the next scheduling point at which
 * its core's interrupts are not masked.
 * @param sim  Context.
 * @param line Line.
 * @retval 0       Pending.
 * @retval -EINVAL Bad or unconnected line.
 */
SOFSIM_API int sofsim_irq_raise(struct sofsim *sim, unsigned line);

/**
 * @brief Mask interrupts of the calling thread's core (nestable).
 * @param sim Context.
 * @return Key for sofsim_irq_unlock().
 */
SOFSIM_API unsigned sofsim_irq_lock(struct sofsim *sim);

/**
 * @brief Restore the mask saved in @p key; unmasking is a scheduling point.
 * @param sim Context.
 * @param key Key from sofsim_irq_lock().
 */
SOFSIM_API void sofsim_irq_unlock(struct sofsim *sim, unsigned key);

/* ---- Timers (k_timer) ---- */

/** Timer expiry callback; runs in interrupt context on the timer's core. */
typedef void (*sofsim_timer_fn)(struct sofsim_timer *timer, void *arg);

/**
 * @brief Create a timer.
 * @param sim    Context.
 * @param core   Core whose interrupt it is.
 * @param expiry Callback (may be NULL).
 * @param arg    Its argument.
 * @param out    Receives the timer.
 * @retval 0       Created.
 * @retval -EINVAL Bad core.
 * @retval -ENOMEM Out of memory.
 */
SOFSIM_API int sofsim_timer_create(struct sofsim *sim, unsigned core, sofsim_timer_fn expiry,
				   void *arg, struct sofsim_timer **out);
/**
 * @brief Initialise a timer from sofsim_object_alloc() (k_timer_init; kernel-only).
 * @param timer  Timer.
 * @param core   Core whose interrupt it is.
 * @param expiry Callback (may be NULL).
 * @param arg    Its argument.
 * @retval 0       Initialised.
 * @retval -EINVAL Bad core.
 */
SOFSIM_API int sofsim_timer_init(struct sofsim_timer *timer, unsigned core, sofsim_timer_fn expiry, void *arg);

/** @brief Destroy a timer (stopped first); accepts NULL. @param timer Timer. */
SOFSIM_API void sofsim_timer_destroy(struct sofsim_timer *timer);

/**
 * @brief Start (or restart) a timer.
 * @param timer    Timer.
 * @param delay_ns First expiry after now.
 * @param period_ns Period after that, 0 for one-shot.
 */
SOFSIM_API void sofsim_timer_start(struct sofsim_timer *timer, uint64_t delay_ns, uint64_t period_ns);

/** @brief Stop a timer; threads in sofsim_timer_status_sync() wake. @param timer Timer. */
SOFSIM_API void sofsim_timer_stop(struct sofsim_timer *timer);

/**
 * @brief Expiries since the last read, and reset that count.
 * @param timer Timer.
 * @return Count.
 */
SOFSIM_API uint32_t sofsim_timer_status_get(struct sofsim_timer *timer);

/**
 * @brief Block until the timer expires or stops (k_timer_status_sync).
 * @param timer Timer.
 * @return Expiries since the last read (0 if it was stopped).
 */
SOFSIM_API uint32_t sofsim_timer_status_sync(struct sofsim_timer *timer);

/* ---- Semaphore (k_sem) ---- */

/**
 * @brief Create a counting semaphore.
 * @param sim     Context.
 * @param initial Initial count (<= limit).
 * @param limit   Maximum count (> 0).
 * @param out     Receives it.
 * @retval 0       Created.
 * @retval -EINVAL limit 0 or initial > limit.
 * @retval -ENOMEM Out of memory.
 */
SOFSIM_API int sofsim_sem_create(struct sofsim *sim, unsigned initial, unsigned limit,
				 struct sofsim_sem **out);
/**
 * @brief (Re)initialise a semaphore, e.g. one from sofsim_object_alloc() (k_sem_init).
 * @param sem     Semaphore.
 * @param initial Initial count.
 * @param limit   Limit.
 * @retval 0       Initialised.
 * @retval -EINVAL limit 0 or initial > limit.
 */
SOFSIM_API int sofsim_sem_init(struct sofsim_sem *sem, unsigned initial, unsigned limit);
/** @brief Destroy; waiters wake with -EAGAIN; accepts NULL. @param sem Semaphore. */
SOFSIM_API void sofsim_sem_destroy(struct sofsim_sem *sem);
/**
 * @brief Take.
 * @param sem     Semaphore.
 * @param timeout Bound.
 * @retval 0       Taken.
 * @retval -EBUSY  Count 0 and SOFSIM_NO_WAIT (or not in a thread).
 * @retval -EAGAIN Timed out (or the semaphore was reset/destroyed).
 */
SOFSIM_API int sofsim_sem_take(struct sofsim_sem *sem, int64_t timeout);
/** @brief Give: wake the first waiter, else count up to the limit. @param sem Semaphore. */
SOFSIM_API void sofsim_sem_give(struct sofsim_sem *sem);
/** @brief Reset the count to 0; waiters wake with -EAGAIN. @param sem Semaphore. */
SOFSIM_API void sofsim_sem_reset(struct sofsim_sem *sem);
/** @brief Current count. @param sem Semaphore. @return Count. */
SOFSIM_API unsigned sofsim_sem_count_get(const struct sofsim_sem *sem);

/* ---- Mutex (k_mutex, recursive) ---- */

/**
 * @brief Create a recursive mutex.
 * @param sim Context.
 * @param out Receives it.
 * @retval 0       Created.
 * @retval -ENOMEM Out of memory.
 */
SOFSIM_API int sofsim_mutex_create(struct sofsim *sim, struct sofsim_mutex **out);
/**
 * @brief (Re)initialise a mutex, e.g. one from sofsim_object_alloc() (k_mutex_init).
 * @param m Mutex.
 * @retval 0 Initialised.
 */
SOFSIM_API int sofsim_mutex_init(struct sofsim_mutex *m);
/** @brief Destroy; accepts NULL. @param m Mutex. */
SOFSIM_API void sofsim_mutex_destroy(struct sofsim_mutex *m);
/**
 * @brief Lock (the owner may lock again).
 * @param m       Mutex.
 * @param timeout Bound.
 * @retval 0       Locked.
 * @retval -EBUSY  Owned by another thread and SOFSIM_NO_WAIT (or not in a thread).
 * @retval -EAGAIN Timed out.
 */
SOFSIM_API int sofsim_mutex_lock(struct sofsim_mutex *m, int64_t timeout);
/**
 * @brief Unlock one level; at zero the first waiter becomes the owner.
 * @param m Mutex.
 * @retval 0       Unlocked.
 * @retval -EINVAL Not locked.
 * @retval -EPERM  Not the owner.
 */
SOFSIM_API int sofsim_mutex_unlock(struct sofsim_mutex *m);

/* ---- Event (k_event) ---- */

/** Wait flags of sofsim_kevent_wait(). */
#define SOFSIM_KEVENT_ALL (1u << 0)     /**< wait for all bits, not any */
#define SOFSIM_KEVENT_RESET (1u << 1)   /**< clear all events before waiting */
#define SOFSIM_KEVENT_CONSUME (1u << 2) /**< clear the matched events on return (k_event_wait_safe) */

/**
 * @brief Create an event object.
 * @param sim Context.
 * @param out Receives it.
 * @retval 0       Created.
 * @retval -ENOMEM Out of memory.
 */
SOFSIM_API int sofsim_kevent_create(struct sofsim *sim, struct sofsim_kevent **out);
/**
 * @brief (Re)initialise an event object, e.g. one from sofsim_object_alloc() (k_event_init).
 * @param ev Event.
 * @retval 0 Initialised.
 */
SOFSIM_API int sofsim_kevent_init(struct sofsim_kevent *ev);
/** @brief Destroy; waiters wake with no events; accepts NULL. @param ev Event. */
SOFSIM_API void sofsim_kevent_destroy(struct sofsim_kevent *ev);
/** @brief OR bits in. @param ev Event. @param bits Bits. @return Previous bits. */
SOFSIM_API uint32_t sofsim_kevent_post(struct sofsim_kevent *ev, uint32_t bits);
/** @brief Replace all bits. @param ev Event. @param bits Bits. @return Previous bits. */
SOFSIM_API uint32_t sofsim_kevent_set(struct sofsim_kevent *ev, uint32_t bits);
/** @brief Clear bits. @param ev Event. @param bits Bits. @return Previous bits. */
SOFSIM_API uint32_t sofsim_kevent_clear(struct sofsim_kevent *ev, uint32_t bits);
/**
 * @brief Wait for any (or all) of @p bits.
 * @param ev      Event.
 * @param bits    Bits wanted.
 * @param flags   SOFSIM_KEVENT_* flags.
 * @param timeout Bound.
 * @return The matching events, 0 on timeout.
 */
SOFSIM_API uint32_t sofsim_kevent_wait(struct sofsim_kevent *ev, uint32_t bits, unsigned flags,
				       int64_t timeout);

/* ---- Futex and user-memory primitives (sys_sem, sys_mutex) ---- */

/**
 * @brief Block while *@p addr == @p expected.
 * @param sim      Context.
 * @param addr     Futex word.
 * @param expected Value to sleep on.
 * @param timeout  Bound.
 * @retval 0          Woken.
 * @retval -EAGAIN     The value differed.
 * @retval -ETIMEDOUT  Timed out (or SOFSIM_NO_WAIT with a matching value).
 * @retval -EINVAL     Not a registered futex (sofsim_futex_define()).
 * @retval -EACCES     (user mode) the word is not writable by the caller.
 * @retval -EBUSY      Not called from an emulated thread.
 * @retval -ENOMEM     No memory for the wait queue.
 */
SOFSIM_API int sofsim_futex_wait(struct sofsim *sim, atomic_int *addr, int expected, int64_t timeout);
/**
 * @brief Wake one or all waiters on @p addr.
 * @param sim  Context.
 * @param addr Futex word.
 * @param all  Wake all.
 * @return Number woken, -EINVAL for an unregistered word, -EACCES (user
 *         mode) for a word the caller cannot write.
 */
SOFSIM_API int sofsim_futex_wake(struct sofsim *sim, atomic_int *addr, bool all);

/**
 * @brief Register a futex word (the analogue of a static K_FUTEX_DEFINE);
 * futex calls on unregistered words return -EINVAL. Kernel-only.
 * @param sim  Context.
 * @param addr Futex word.
 * @retval 0       Registered.
 * @retval -EINVAL NULL.
 * @retval -EEXIST Already registered.
 * @retval -ENOMEM Out of memory.
 */
SOFSIM_API int sofsim_futex_define(struct sofsim *sim, atomic_int *addr);

/** A semaphore in user memory (sys_sem): an atomic count and a limit. */
struct sofsim_sys_sem {
	atomic_int count; /**< futex word */
	int limit;        /**< maximum count */
};

/**
 * @brief Initialise a sys_sem.
 * @param s     Semaphore (caller memory).
 * @param count Initial count.
 * @param limit Limit (> 0, >= count).
 * @retval 0       Initialised.
 * @retval -EINVAL Bad count or limit.
 */
SOFSIM_API int sofsim_sys_sem_init(struct sofsim_sys_sem *s, int count, int limit);
/**
 * @brief Initialise and register a sys_sem (SYS_SEM_DEFINE): its count word
 * becomes a registered futex. A sys_sem only initialised with
 * sofsim_sys_sem_init() works until it must block, then returns -EINVAL
 * without blocking, as on hardware (bug class 4).
 * @param sim   Context.
 * @param s     Semaphore (caller memory).
 * @param count Initial count.
 * @param limit Limit.
 * @retval 0       Defined.
 * @retval -EINVAL Bad count or limit.
 * @retval -EEXIST Already registered.
 */
SOFSIM_API int sofsim_sys_sem_define(struct sofsim *sim, struct sofsim_sys_sem *s, int count, int limit);

/**
 * @brief Give: lock-free increment, futex wake when it was 0.
 * @param sim Context.
 * @param s   Semaphore.
 * @retval 0       Given.
 * @retval -EAGAIN The count is at its limit (nothing given, as in Zephyr).
 */
SOFSIM_API int sofsim_sys_sem_give(struct sofsim *sim, struct sofsim_sys_sem *s);
/**
 * @brief Take: lock-free fast path, futex wait when 0.
 * @param sim     Context.
 * @param s       Semaphore.
 * @param timeout Bound.
 * @retval 0       Taken.
 * @retval -EBUSY  Count 0 and SOFSIM_NO_WAIT.
 * @retval -EAGAIN Timed out.
 * @retval -EINVAL Count 0 and the sys_sem is not registered (does not block).
 */
SOFSIM_API int sofsim_sys_sem_take(struct sofsim *sim, struct sofsim_sys_sem *s, int64_t timeout);

/** A mutex in user memory (sys_mutex), backed by a kernel mutex found by address. */
struct sofsim_sys_mutex {
	uint32_t cookie; /**< set by sofsim_sys_mutex_define(); informative only */
};

/**
 * @brief Register a sys_mutex (the analogue of SYS_MUTEX_DEFINE): the kernel
 * records its address and backs it with a kernel mutex.
 * @param sim Context.
 * @param m   Mutex (caller memory).
 * @retval 0       Registered.
 * @retval -EEXIST Already registered.
 * @retval -ENOMEM Out of memory.
 */
SOFSIM_API int sofsim_sys_mutex_define(struct sofsim *sim, struct sofsim_sys_mutex *m);
/**
 * @brief Lock.
 * @param sim     Context.
 * @param m       Mutex.
 * @param timeout Bound.
 * @retval 0       Locked.
 * @retval -EINVAL Not registered (does not lock).
 * @retval -EBUSY  Busy and SOFSIM_NO_WAIT.
 * @retval -EAGAIN Timed out.
 */
SOFSIM_API int sofsim_sys_mutex_lock(struct sofsim *sim, struct sofsim_sys_mutex *m, int64_t timeout);
/**
 * @brief Unlock.
 * @param sim Context.
 * @param m   Mutex.
 * @retval 0       Unlocked.
 * @retval -EINVAL Not registered or not locked.
 * @retval -EPERM  Not the owner.
 */
SOFSIM_API int sofsim_sys_mutex_unlock(struct sofsim *sim, struct sofsim_sys_mutex *m);

/* ---- Work queues (k_work_q) ---- */

struct sofsim_work;
/** Work handler; runs on the work-queue thread. */
typedef void (*sofsim_work_fn)(struct sofsim_work *work);

/** A work item (caller memory). Fields are private to the library. */
struct sofsim_work {
	struct sofsim_work *next;    /**< queue link (private) */
	sofsim_work_fn handler;      /**< handler */
	struct sofsim_workq *queue;  /**< queue it is pending on (private) */
	bool pending;                /**< queued and not yet run (private) */
};

/** A delayable work item (caller memory). */
struct sofsim_work_delayable {
	struct sofsim_work work;     /**< the work submitted at expiry */
	struct sofsim_timer *timer;  /**< private */
	struct sofsim_workq *target; /**< private */
};

/**
 * @brief Create a work queue and its kernel thread.
 * @param sim  Context.
 * @param name Thread name.
 * @param prio Thread priority.
 * @param core Core.
 * @param out  Receives the queue.
 * @retval 0       Created.
 * @retval -EINVAL Bad priority or core.
 * @retval -ENOMEM Out of memory.
 */
SOFSIM_API int sofsim_workq_create(struct sofsim *sim, const char *name, int prio, unsigned core,
				   struct sofsim_workq **out);
/** @brief Stop a queue's thread and free it; accepts NULL. @param q Queue. */
SOFSIM_API void sofsim_workq_destroy(struct sofsim_workq *q);
/** @brief The thread of a queue. @param q Queue. @return Thread. */
SOFSIM_API struct sofsim_thread *sofsim_workq_thread(struct sofsim_workq *q);
/** @brief Initialise a work item. @param w Item. @param handler Handler. */
SOFSIM_API void sofsim_work_init(struct sofsim_work *w, sofsim_work_fn handler);
/**
 * @brief Queue a work item (no-op if already pending).
 * @param q Queue.
 * @param w Item.
 * @retval 1 Queued.
 * @retval 0 Was already pending.
 */
SOFSIM_API int sofsim_work_submit(struct sofsim_workq *q, struct sofsim_work *w);
/**
 * @brief Initialise a delayable work item.
 * @param sim     Context.
 * @param dw      Item.
 * @param handler Handler.
 * @retval 0       Initialised.
 * @retval -ENOMEM Out of memory.
 */
SOFSIM_API int sofsim_work_delayable_init(struct sofsim *sim, struct sofsim_work_delayable *dw,
					  sofsim_work_fn handler);
/** @brief Release a delayable item's timer (cancels it). @param dw Item. */
SOFSIM_API void sofsim_work_delayable_deinit(struct sofsim_work_delayable *dw);
/**
 * @brief Submit after @p delay_ns unless already scheduled or pending (k_work_schedule).
 * @param q        Queue.
 * @param dw       Item.
 * @param delay_ns Delay.
 * @retval 1 Scheduled.
 * @retval 0 Already scheduled or pending.
 */
SOFSIM_API int sofsim_work_schedule(struct sofsim_workq *q, struct sofsim_work_delayable *dw,
				   uint64_t delay_ns);
/** @brief Cancel a scheduled or pending item. @param dw Item. */
SOFSIM_API void sofsim_work_cancel_delayable(struct sofsim_work_delayable *dw);

#endif /* SOFSIM_KERNEL_H */
