/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The syscall gate, inside: the thread-local caller, the generated ids, and
 * the helpers verifiers are written with. A syscall is three functions:
 *   sofsim_foo()         public; from user mode enters the gate, else calls impl
 *   sofsim__mrsh_foo()   unpacks raw arguments, runs the verifier, calls impl
 *   sofsim__impl_foo()   does the work, trusting its (kernel) arguments
 * Each subsystem lists its syscalls in its own syscalls.def fragment; the
 * build gathers the fragments into sofsim_syscall_list.h.
 */
#ifndef SOFSIM_KERNEL_SYSCALL_PRIV_H
#define SOFSIM_KERNEL_SYSCALL_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "sofsim/syscall.h"

#include "kernel/kernel_priv.h"

enum sofsim__syscall_id {
#define SOFSIM_SYSCALL(name, verdicts) SOFSIM_SYS_##name,
#include "sofsim_syscall_list.h"
#undef SOFSIM_SYSCALL
	SOFSIM_SYS_COUNT
};

typedef uintptr_t (*sofsim__mrsh_fn)(struct sofsim *sim, const uintptr_t *args);

#define SOFSIM_SYSCALL(name, verdicts) uintptr_t sofsim__mrsh_##name(struct sofsim *sim, const uintptr_t *args);
#include "sofsim_syscall_list.h"
#undef SOFSIM_SYSCALL

/* The context of the calling emulated thread (only valid when sofsim__from_user()). */
static inline struct sofsim *sofsim__user_sim(void)
{
	return sofsim__tls_self->sim;
}

uintptr_t sofsim__syscall(struct sofsim *sim, unsigned id, const uintptr_t *args);

/* Whether verifiers run (every protection mode but off). */
static inline bool sofsim__verifying(const struct sofsim *sim)
{
	return sim->cfg.protection != SOFSIM_PROT_OFF;
}

/* Oops the calling thread for syscall @id: reason 3, "syscall z_vrfy_<name> failed check: ..." */
__attribute__((noreturn, format(printf, 3, 4))) void sofsim__oops(struct sofsim *sim, unsigned id,
								   const char *fmt, ...);

/* Object check (K_SYSCALL_OBJ and friends): oops naming the argument on failure. */
void sofsim__vrfy_obj(struct sofsim *sim, unsigned id, const void *ptr, unsigned type,
		      enum sofsim__kobj_init init, const char *arg);

/* Memory checks against the calling thread's view; false when denied. Overflow-safe. */
bool sofsim__user_can_read(struct sofsim *sim, const void *ptr, size_t size);
bool sofsim__user_can_write(struct sofsim *sim, const void *ptr, size_t size);
/* K_SYSCALL_MEMORY_READ/WRITE: oops naming the argument on failure. */
void sofsim__vrfy_read(struct sofsim *sim, unsigned id, const void *ptr, size_t size, const char *arg);
void sofsim__vrfy_write(struct sofsim *sim, unsigned id, const void *ptr, size_t size, const char *arg);
/* K_SYSCALL_MEMORY_ARRAY_*: count * size must not overflow. */
void sofsim__vrfy_array_read(struct sofsim *sim, unsigned id, const void *ptr, size_t n, size_t size, const char *arg);
void sofsim__vrfy_array_write(struct sofsim *sim, unsigned id, const void *ptr, size_t n, size_t size,
			      const char *arg);
/* k_usermode_from_copy: check readable, then copy into kernel memory; EFAULT (positive) when denied. */
int sofsim__copy_from_user(struct sofsim *sim, void *dst, const void *src, size_t n);
int sofsim__copy_to_user(struct sofsim *sim, void *dst, const void *src, size_t n);
/* Copy a NUL-terminated user string of at most max-1 characters; -EFAULT or -EINVAL (too long). */
int sofsim__copy_string_from_user(struct sofsim *sim, char *dst, const char *src, size_t max);

/* Called between verifier and implementation: the TOCTOU test hook runs here. */
void sofsim__toctou_point(struct sofsim *sim);


/* Pack arguments for the gate. */
#define SOFSIM_ARGS(...) ((const uintptr_t[SOFSIM_SYSCALL_ARGS]){ __VA_ARGS__ })
#define SOFSIM_ARG(x) ((uintptr_t)(x))

#endif /* SOFSIM_KERNEL_SYSCALL_PRIV_H */
