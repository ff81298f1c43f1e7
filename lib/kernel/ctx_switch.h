/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A register-only context switch for the thread carriers: it saves and
 * loads what the x86-64 SysV ABI makes callee-saved (rbx, rbp, r12-r15,
 * MXCSR control bits, the x87 control word) on the stacks themselves, and
 * nothing else. Unlike swapcontext() it leaves the signal mask alone and
 * makes no system call (docs/design-decisions.md).
 */
#ifndef SOFSIM_KERNEL_CTX_SWITCH_H
#define SOFSIM_KERNEL_CTX_SWITCH_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/tools.h"

/* Save the running context's stack pointer to *save_sp and resume the one saved at load_sp. */
void sofsim__ctx_switch(void **save_sp, void *load_sp);

/* A context that, once switched to, calls entry(arg) on [stack_lo, stack_lo + bytes); entry never returns. */
void *sofsim__ctx_make(void *stack_lo, size_t bytes, void (*entry)(void *), void *arg);

/*
 * AddressSanitizer: the part of a stack below a saved context's stack
 * pointer holds no live frame, but its shadow may still carry the redzones
 * of frames that never returned (a thread ended on those pages, a reset put
 * back an older, shallower stack). Clear it before switching in.
 */
static inline void sofsim__ctx_asan_clear_dead(const void *stack_lo, const void *sp)
{
	if ((uintptr_t)sp > (uintptr_t)stack_lo)
		sofsim__asan_unpoison(stack_lo, (size_t)((uintptr_t)sp - (uintptr_t)stack_lo));
}

#endif
