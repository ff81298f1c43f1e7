/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file fault.h
 * @brief Faults: what a user thread did wrong, recorded as data and printed
 * the way Zephyr prints a fatal error on PTL.
 *
 * A fault is a CPU exception (reason 0: a privileged instruction, cause 8;
 * a ring violation, cause 26; a load or store to a page without the
 * attribute, 28 or 29) or a kernel oops (reason 3) from a failed syscall
 * check. What follows is the context's policy: halt the DSP (SOF), kill
 * the thread (Zephyr), or abort the process (fuzzing).
 */
#ifndef SOFSIM_FAULT_H
#define SOFSIM_FAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sofsim/export.h"

struct sofsim;

/** Zephyr's fatal error reasons (enum k_fatal_error_reason). */
#define SOFSIM_REASON_CPU_EXCEPTION 0u
#define SOFSIM_REASON_SPURIOUS_IRQ 1u
#define SOFSIM_REASON_STACK_CHK_FAIL 2u
#define SOFSIM_REASON_KERNEL_OOPS 3u
#define SOFSIM_REASON_KERNEL_PANIC 4u

/** Xtensa EXCCAUSE values the model raises. */
#define SOFSIM_EXCCAUSE_PRIVILEGED 8u       /**< privileged instruction in user mode */
#define SOFSIM_EXCCAUSE_LOAD_STORE_RING 26u /**< load/store to a ring-0 page */
#define SOFSIM_EXCCAUSE_LOAD_PROHIBITED 28u /**< load from a page without read */
#define SOFSIM_EXCCAUSE_STORE_PROHIBITED 29u /**< store to a page without write */

/** What the model caught, one X-macro list (names appear in reports and traces). */
#define SOFSIM_FAULT_KINDS(X)                                                     \
	X(PRIV_OP, "privileged operation in user mode")                           \
	X(KERNEL_GLOBAL, "user read of a kernel-only global")                     \
	X(SYSCALL_CHECK, "syscall argument check failed")                         \
	X(BAD_SYSCALL, "bad system call id")                                      \
	X(ACCESS, "user access outside its memory view")

/** Fault kinds, from SOFSIM_FAULT_KINDS. */
enum sofsim_fault_kind {
#define SOFSIM_FAULT_ENUM(name, text) SOFSIM_FAULT_##name,
	SOFSIM_FAULT_KINDS(SOFSIM_FAULT_ENUM)
#undef SOFSIM_FAULT_ENUM
	SOFSIM_FAULT_KIND_COUNT
};

/** One fault record. */
struct sofsim_fault {
	uint64_t t_ns;           /**< virtual time */
	unsigned kind;           /**< enum sofsim_fault_kind */
	unsigned reason;         /**< SOFSIM_REASON_* */
	unsigned exccause;       /**< SOFSIM_EXCCAUSE_* for reason 0, else 0 */
	uintptr_t excvaddr;      /**< faulting address where there is one */
	int tid;                 /**< thread id */
	int core;                /**< emulated core */
	bool user;               /**< the thread was in user mode */
	bool expected;           /**< matched a registered expectation */
	char thread[32];         /**< thread name */
	char op[48];             /**< the privileged operation or the syscall (z_vrfy_<name>) */
	char detail[160];        /**< the failed check, argument and partition */
};

/**
 * @brief Name of a fault kind.
 * @param kind Kind.
 * @return Its description, "?" if out of range.
 */
SOFSIM_API const char *sofsim_fault_kind_name(unsigned kind);

/**
 * @brief Number of faults recorded since creation or the last clear.
 * @param sim Context.
 * @return Count.
 */
SOFSIM_API size_t sofsim_fault_count(const struct sofsim *sim);

/**
 * @brief Read a fault record.
 * @param sim   Context.
 * @param index 0 = oldest.
 * @param out   Receives it.
 * @retval 0       Read.
 * @retval -ERANGE No such record.
 */
SOFSIM_API int sofsim_fault_get(const struct sofsim *sim, size_t index, struct sofsim_fault *out);

/**
 * @brief Forget the records (the halted state is not cleared).
 * @param sim Context.
 */
SOFSIM_API void sofsim_fault_clear(struct sofsim *sim);

/**
 * @brief Register an expected fault, as SOF's boot tests do with
 * sof_boot_test_set_fault_valid(): the next fault with this reason and
 * cause (0 = any cause) only kills the faulting thread, whatever the policy.
 * @param sim      Context.
 * @param reason   SOFSIM_REASON_*.
 * @param exccause SOFSIM_EXCCAUSE_* or 0.
 * @retval 0      Registered.
 * @retval -EBUSY One expectation is already pending.
 */
SOFSIM_API int sofsim_fault_expect(struct sofsim *sim, unsigned reason, unsigned exccause);

/**
 * @brief Whether a registered expectation is still waiting for its fault.
 * @param sim Context.
 * @return true if pending.
 */
SOFSIM_API bool sofsim_fault_expect_pending(const struct sofsim *sim);

/**
 * @brief Whether the DSP halted (policy `halt` after a fault).
 * @param sim Context.
 * @return true once halted.
 */
SOFSIM_API bool sofsim_halted(const struct sofsim *sim);

/**
 * @brief Print a fault in Zephyr's fatal-error shape.
 * @param f   Record.
 * @param out Stream.
 */
SOFSIM_API void sofsim_fault_print(const struct sofsim_fault *f, FILE *out);

/**
 * @brief Send fault and teardown reports to @p out instead of stderr.
 * @param sim Context.
 * @param out Stream (NULL = stderr).
 */
SOFSIM_API void sofsim_set_report_stream(struct sofsim *sim, FILE *out);

#endif /* SOFSIM_FAULT_H */
