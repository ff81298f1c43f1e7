/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Faults: records kept on the context, printed in Zephyr's fatal-error
 * shape, then handled by the context's policy — halt every thread (SOF),
 * end only the faulting thread (Zephyr), or abort the process.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel_priv.h"

static const char *const kind_names[] = {
#define SOFSIM_FAULT_NAME(name, text) [SOFSIM_FAULT_##name] = text,
	SOFSIM_FAULT_KINDS(SOFSIM_FAULT_NAME)
#undef SOFSIM_FAULT_NAME
};

const char *sofsim_fault_kind_name(unsigned kind)
{
	return kind < SOFSIM_FAULT_KIND_COUNT ? kind_names[kind] : "?";
}

size_t sofsim_fault_count(const struct sofsim *sim)
{
	return sim->faults.total < SOFSIM_FAULT_RECORDS ? (size_t)sim->faults.total : SOFSIM_FAULT_RECORDS;
}

int sofsim_fault_get(const struct sofsim *sim, size_t index, struct sofsim_fault *out)
{
	size_t kept = sofsim_fault_count(sim);

	if (index >= kept)
		return -ERANGE;
	*out = sim->faults.rec[(sim->faults.total - kept + index) % SOFSIM_FAULT_RECORDS];
	return 0;
}

void sofsim_fault_clear(struct sofsim *sim)
{
	sim->faults.total = 0;
}

int sofsim_fault_expect(struct sofsim *sim, unsigned reason, unsigned exccause)
{
	if (sim->faults.expect_pending)
		return -EBUSY;
	sim->faults.expect_pending = true;
	sim->faults.expect_reason = reason;
	sim->faults.expect_cause = exccause;
	return 0;
}

bool sofsim_fault_expect_pending(const struct sofsim *sim)
{
	return sim->faults.expect_pending;
}

bool sofsim_halted(const struct sofsim *sim)
{
	return sim->halted;
}

void sofsim_set_report_stream(struct sofsim *sim, FILE *out)
{
	sim->report = out;
}

static const char *cause_name(unsigned cause)
{
	switch (cause) {
	case SOFSIM_EXCCAUSE_PRIVILEGED:
		return "privileged";
	case SOFSIM_EXCCAUSE_LOAD_STORE_RING:
		return "load/store privilege";
	case SOFSIM_EXCCAUSE_LOAD_PROHIBITED:
		return "load prohibited";
	case SOFSIM_EXCCAUSE_STORE_PROHIBITED:
		return "store prohibited";
	default:
		return "?";
	}
}

void sofsim_fault_print(const struct sofsim_fault *f, FILE *out)
{
	char stamp[40];

	snprintf(stamp, sizeof(stamp), "[%llu.%06llu] <err> os:", (unsigned long long)(f->t_ns / 1000000000u),
		 (unsigned long long)(f->t_ns / 1000u % 1000000u));
	if (f->reason == SOFSIM_REASON_CPU_EXCEPTION) {
		fprintf(out, "%s  ** FATAL EXCEPTION\n", stamp);
		fprintf(out, "%s  ** CPU %d EXCCAUSE %u (%s)\n", stamp, f->core, f->exccause, cause_name(f->exccause));
		fprintf(out, "%s  **  VADDR %#lx\n", stamp, (unsigned long)f->excvaddr);
		fprintf(out, "%s  ** %s: %s\n", stamp, f->op, f->detail);
		fprintf(out, "%s >>> ZEPHYR FATAL ERROR 0: CPU exception on CPU %d\n", stamp, f->core);
	} else {
		fprintf(out, "%s syscall %s failed check: %s\n", stamp, f->op, f->detail);
		fprintf(out, "%s >>> ZEPHYR FATAL ERROR %u: Kernel oops on CPU %d\n", stamp, f->reason, f->core);
	}
	fprintf(out, "%s Current thread: #%d (%s)%s\n", stamp, f->tid, f->thread,
		f->expected ? " [expected fault]" : "");
}

/* Park the faulting thread for good: it only ever runs again to be unwound at destroy. */
static void park(struct sofsim *sim, struct sofsim_thread *self)
{
	self->state = SOFSIM_T_BLOCKED;
	sim->core[self->core].current = NULL;
	sofsim__sched_point(sim);
}

void sofsim__fault(struct sofsim *sim, unsigned kind, unsigned reason, unsigned cause, uintptr_t vaddr,
		   const char *op, const char *fmt, ...)
{
	struct sofsim_thread *self = sim->running;
	struct sofsim__faults *fs = &sim->faults;
	struct sofsim_fault *f = &fs->rec[fs->total % SOFSIM_FAULT_RECORDS];
	va_list ap;

	sofsim__mmu_kernel(sim); /* enforce=mmu: the handler's view is the kernel's */
	self->in_syscall++; /* the exception handler runs with kernel rights */
	self->chk_on = SOFSIM__CHK_OFF;
	*f = (struct sofsim_fault){
		.t_ns = sim->now, .kind = kind, .reason = reason, .exccause = cause, .excvaddr = vaddr,
		.tid = self->id, .core = (int)self->core, .user = self->user,
	};
	snprintf(f->thread, sizeof(f->thread), "%s", self->name);
	snprintf(f->op, sizeof(f->op), "%s", op);
	va_start(ap, fmt);
	vsnprintf(f->detail, sizeof(f->detail), fmt, ap);
	va_end(ap);
	if (fs->expect_pending && fs->expect_reason == reason && (!fs->expect_cause || fs->expect_cause == cause)) {
		f->expected = true;
		fs->expect_pending = false;
	}
	fs->total++;
	sofsim__evlog_add(sim, SOFSIM_EV_FAULT, reason, cause);
	sofsim_fault_print(f, sofsim__report_stream(sim));
	if (sim->break_on_fault)
		raise(SIGTRAP);

	if (sim->cfg.fault_policy == SOFSIM_FAULT_ABORT && !f->expected) {
		fflush(NULL);
		abort();
	}
	self->faulted = true;
	if ((sim->cfg.fault_policy == SOFSIM_FAULT_HALT && !f->expected) || sofsim__mmu_halts(sim)) {
		if (sim->halt_hook)
			sim->halt_hook(sim, sim->halt_hook_arg, self->core);
		sim->halted = true;
		park(sim, self);
	}
	self->aborting = true;
	siglongjmp(self->unwind, 1);
}

void sofsim__set_halt_hook(struct sofsim *sim, void (*hook)(struct sofsim *sim, void *arg, unsigned core), void *arg)
{
	sim->halt_hook = hook;
	sim->halt_hook_arg = arg;
}
