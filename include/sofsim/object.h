/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file object.h
 * @brief Kernel objects with Zephyr's rules: a registry of known objects,
 * per-thread permission bits, grants, and a finite pool for dynamic ones.
 *
 * Objects made with the `_create` calls of kernel.h are *static*: registered
 * at creation (like K_SEM_DEFINE), initialised, and free of pool cost.
 * sofsim_object_alloc() makes *dynamic* ones (k_object_alloc): uninitialised,
 * charged to the pool, granted to the caller, and freed when the last
 * permission on them goes.
 */
#ifndef SOFSIM_OBJECT_H
#define SOFSIM_OBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sofsim/export.h"

struct sofsim;
struct sofsim_thread;

/** Object types: name, Zephyr type name, pool cost in bytes (docs/model-fidelity.md). */
#define SOFSIM_OBJ_TYPES(X)                           \
	X(THREAD, "k_thread", 0)                      \
	X(SEM, "k_sem", 56)                           \
	X(MUTEX, "k_mutex", 56)                       \
	X(EVENT, "k_event", 48)                       \
	X(TIMER, "k_timer", 88)                       \
	X(FUTEX, "k_futex", 0)                        \
	X(SYS_MUTEX, "sys_mutex", 0)                  \
	X(DRIVER_DMA, "dma device", 0)                \
	X(DRIVER_DAI, "dai device", 0)                \
	X(MEM_DOMAIN, "k_mem_domain", 0)              \
	X(WORK_Q, "k_work_q", 0)

/** Object types, from SOFSIM_OBJ_TYPES. */
enum sofsim_obj_type {
#define SOFSIM_OBJ_ENUM(name, zname, cost) SOFSIM_OBJ_##name,
	SOFSIM_OBJ_TYPES(SOFSIM_OBJ_ENUM)
#undef SOFSIM_OBJ_ENUM
	SOFSIM_OBJ_TYPE_COUNT
};

/** Counters of the object registry and pool. */
struct sofsim_object_stats {
	unsigned live[SOFSIM_OBJ_TYPE_COUNT];   /**< live objects per type, static and dynamic */
	unsigned dynamic[SOFSIM_OBJ_TYPE_COUNT]; /**< of which dynamic */
	unsigned pool_used;                      /**< pool bytes in use */
	unsigned pool_budget;                    /**< the profile's budget */
	unsigned pool_peak;                      /**< high-water mark of @ref pool_used */
	unsigned thread_indexes_used;            /**< thread indexes in use */
	unsigned thread_index_limit;             /**< the profile's limit */
	unsigned unknown_grants;                 /**< supervisor grants on unknown objects (silently ignored) */
	unsigned objects_in_user_memory;         /**< objects found inside user-accessible memory */
};

/**
 * @brief Name of an object type (Zephyr's).
 * @param type Type.
 * @return Name, "?" if out of range.
 */
SOFSIM_API const char *sofsim_object_type_name(unsigned type);

/**
 * @brief Pool bytes one dynamic object of @p type costs.
 * @param type Type.
 * @return Bytes (0 for types that cannot be allocated).
 */
SOFSIM_API unsigned sofsim_object_cost(unsigned type);

/**
 * @brief Allocate a dynamic object (k_object_alloc; a syscall from user mode).
 * The object is uninitialised (call its `_init`), and the caller is granted.
 * @param sim  Context.
 * @param type SEM, MUTEX, EVENT or TIMER.
 * @param out  Receives the object.
 * @retval 0       Allocated.
 * @retval -EINVAL A type that cannot be allocated (futex, sys_mutex, devices, threads).
 * @retval -ENOMEM The pool budget is spent.
 */
SOFSIM_API int sofsim_object_alloc(struct sofsim *sim, unsigned type, void **out);

/**
 * @brief Free a dynamic kernel object (k_object_free). Supervisor only: from
 * user mode this is a privileged operation (CPU exception, cause 8). Static
 * objects and addresses that are no object (any more) are left alone.
 * @param sim Context.
 * @param obj Object.
 */
SOFSIM_API void sofsim_object_free(struct sofsim *sim, void *obj);

/**
 * @brief Grant @p t permission on @p obj (k_object_access_grant). From user
 * mode the caller needs permission on both the object and the thread, else
 * the call oopses; from supervisor mode an unknown object or thread is
 * silently ignored (and counted in the stats).
 * @param sim Context.
 * @param obj Object.
 * @param t   Thread.
 */
SOFSIM_API void sofsim_object_grant(struct sofsim *sim, void *obj, struct sofsim_thread *t);

/**
 * @brief Revoke @p t's permission (k_object_access_revoke; supervisor only).
 * A dynamic object whose last permission goes is freed.
 * @param sim Context.
 * @param obj Object.
 * @param t   Thread.
 */
SOFSIM_API void sofsim_object_revoke(struct sofsim *sim, void *obj, struct sofsim_thread *t);

/**
 * @brief Drop the calling thread's own permission (k_object_release; a
 * syscall: from user mode the caller must hold permission on the object,
 * else it oopses). A dynamic object whose last permission goes is freed.
 * @param sim Context.
 * @param obj Object.
 */
SOFSIM_API void sofsim_object_release(struct sofsim *sim, void *obj);

/**
 * @brief Whether @p t holds permission on @p obj.
 * @param sim Context.
 * @param obj Object.
 * @param t   Thread.
 * @return true if it does (an unknown object or thread: false).
 */
SOFSIM_API bool sofsim_object_has_access(const struct sofsim *sim, const void *obj, const struct sofsim_thread *t);

/**
 * @brief Whether @p obj is a known kernel object of the context.
 * @param sim Context.
 * @param obj Address.
 * @return true if registered.
 */
SOFSIM_API bool sofsim_object_known(const struct sofsim *sim, const void *obj);

/**
 * @brief Read the registry counters.
 * @param sim Context.
 * @param out Receives them.
 */
SOFSIM_API void sofsim_object_stats(const struct sofsim *sim, struct sofsim_object_stats *out);

#endif /* SOFSIM_OBJECT_H */
