/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file syscall.h
 * @brief The syscall gate, seen from outside: the table of syscalls with
 * their verdicts, per-syscall counters, and a raw entry for fuzzers.
 *
 * The functions of kernel.h, object.h and the other subsystems *are* the
 * syscalls: called from a kernel thread or the host they run the
 * implementation directly; called from a user thread they go through the
 * gate — the verifier checks every argument against the calling thread's
 * view (SOF's verdicts: most failures oops the thread), then the
 * implementation runs with kernel rights.
 */
#ifndef SOFSIM_SYSCALL_H
#define SOFSIM_SYSCALL_H

#include <stddef.h>
#include <stdint.h>

#include "sofsim/export.h"

struct sofsim;

/** Arguments a raw syscall carries. */
#define SOFSIM_SYSCALL_ARGS 6

/**
 * @brief Number of syscalls in the table.
 * @return Count.
 */
SOFSIM_API unsigned sofsim_syscall_count(void);

/**
 * @brief Name of syscall @p id (Zephyr/SOF style, e.g. "k_sem_take").
 * @param id Id.
 * @return Name, NULL if out of range.
 */
SOFSIM_API const char *sofsim_syscall_name(unsigned id);

/**
 * @brief What the verifier of syscall @p id checks and what it does on failure.
 * @param id Id.
 * @return Text, NULL if out of range.
 */
SOFSIM_API const char *sofsim_syscall_verdicts(unsigned id);

/**
 * @brief Find a syscall by name.
 * @param name Name.
 * @return Id, or -ENOENT.
 */
SOFSIM_API int sofsim_syscall_find(const char *name);

/**
 * @brief Times syscall @p id went through the gate.
 * @param sim Context.
 * @param id  Id.
 * @return Count (0 if out of range).
 */
SOFSIM_API uint64_t sofsim_syscall_calls(const struct sofsim *sim, unsigned id);

/**
 * @brief Enter the gate with raw arguments, as a user thread's trap would
 * (for fuzzers and tests). An id out of range oopses the caller ("bad
 * system call id"). From a kernel thread the verifier runs all the same.
 * @param sim  Context.
 * @param id   Syscall id.
 * @param args Arguments.
 * @return The syscall's return value as a uintptr_t; (uintptr_t)-EPERM
 *         when not called from an emulated thread.
 */
SOFSIM_API uintptr_t sofsim_syscall_raw(struct sofsim *sim, unsigned id, const uintptr_t args[SOFSIM_SYSCALL_ARGS]);

#endif /* SOFSIM_SYSCALL_H */
