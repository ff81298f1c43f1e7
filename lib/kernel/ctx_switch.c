/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The carriers' context switch (ctx_switch.h). A saved context is its stack
 * pointer; the stack holds, from there upwards:
 *
 *   +0  MXCSR (4 bytes), x87 control word (2 bytes), padding
 *   +8  r15, r14, r13, r12, rbx, rbp
 *   +56 the return address
 *
 * Both sides of a switch have that layout, so one set of unwind notes
 * describes the frame before and after the stack pointer changes, and a
 * debugger walks a parked thread's stack through it.
 */
#include <stdint.h>

#include "kernel/ctx_switch.h"

#if !defined(__x86_64__)
#error "sofsim's context switch is written for x86-64"
#endif

__asm__(".text\n"
	".globl sofsim__ctx_switch\n"
	".hidden sofsim__ctx_switch\n"
	".type sofsim__ctx_switch, @function\n"
	".p2align 4\n"
	"sofsim__ctx_switch:\n"
	".cfi_startproc\n"
	"pushq %rbp\n"
	".cfi_adjust_cfa_offset 8\n"
	".cfi_rel_offset %rbp, 0\n"
	"pushq %rbx\n"
	".cfi_adjust_cfa_offset 8\n"
	".cfi_rel_offset %rbx, 0\n"
	"pushq %r12\n"
	".cfi_adjust_cfa_offset 8\n"
	".cfi_rel_offset %r12, 0\n"
	"pushq %r13\n"
	".cfi_adjust_cfa_offset 8\n"
	".cfi_rel_offset %r13, 0\n"
	"pushq %r14\n"
	".cfi_adjust_cfa_offset 8\n"
	".cfi_rel_offset %r14, 0\n"
	"pushq %r15\n"
	".cfi_adjust_cfa_offset 8\n"
	".cfi_rel_offset %r15, 0\n"
	"subq $8, %rsp\n"
	".cfi_adjust_cfa_offset 8\n"
	"stmxcsr (%rsp)\n"
	"fnstcw 4(%rsp)\n"
	"movq %rsp, (%rdi)\n"
	"movq %rsi, %rsp\n"
	"ldmxcsr (%rsp)\n"
	"fldcw 4(%rsp)\n"
	"addq $8, %rsp\n"
	".cfi_adjust_cfa_offset -8\n"
	"popq %r15\n"
	".cfi_adjust_cfa_offset -8\n"
	"popq %r14\n"
	".cfi_adjust_cfa_offset -8\n"
	"popq %r13\n"
	".cfi_adjust_cfa_offset -8\n"
	"popq %r12\n"
	".cfi_adjust_cfa_offset -8\n"
	"popq %rbx\n"
	".cfi_adjust_cfa_offset -8\n"
	"popq %rbp\n"
	".cfi_adjust_cfa_offset -8\n"
	"ret\n"
	".cfi_endproc\n"
	".size sofsim__ctx_switch, .-sofsim__ctx_switch\n"

	/* A new context's first return lands here: entry in r12, its argument in r13. */
	".globl sofsim__ctx_start\n"
	".hidden sofsim__ctx_start\n"
	".type sofsim__ctx_start, @function\n"
	".p2align 4\n"
	"sofsim__ctx_start:\n"
	".cfi_startproc\n"
	".cfi_undefined %rip\n" /* the outermost frame: unwinding stops here */
	"movq %r13, %rdi\n"
	"callq *%r12\n"
	"ud2\n"
	".cfi_endproc\n"
	".size sofsim__ctx_start, .-sofsim__ctx_start\n");

void sofsim__ctx_start(void);

enum { SLOT_FP, SLOT_R15, SLOT_R14, SLOT_R13, SLOT_R12, SLOT_RBX, SLOT_RBP, SLOT_RET, SLOTS };

void *sofsim__ctx_make(void *stack_lo, size_t bytes, void (*entry)(void *), void *arg)
{
	/* The entry is called with a 16-byte aligned stack pointer, as the ABI wants at a call. */
	uintptr_t top = ((uintptr_t)stack_lo + bytes) & ~(uintptr_t)15;
	uint64_t *frame = (uint64_t *)(top - 16 - SLOTS * sizeof(uint64_t));
	uint32_t mxcsr;
	uint16_t fpucw;

	/* The new context starts with the creator's floating-point control state. */
	__asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
	__asm__ volatile("fnstcw %0" : "=m"(fpucw));
	frame[SLOT_FP] = (uint64_t)mxcsr | (uint64_t)fpucw << 32;
	frame[SLOT_R15] = frame[SLOT_R14] = frame[SLOT_RBX] = 0;
	frame[SLOT_R13] = (uint64_t)(uintptr_t)arg;
	frame[SLOT_R12] = (uint64_t)(uintptr_t)entry;
	frame[SLOT_RBP] = 0; /* frame-pointer walks stop here too */
	frame[SLOT_RET] = (uint64_t)(uintptr_t)sofsim__ctx_start;
	return frame;
}

