/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Interrupt lines. A raised line is pending until a scheduling point at
 * which its core is not masked; its ISR then runs inline, in kernel
 * context, on whichever host context holds the token.
 */
#include <errno.h>

#include "kernel/kernel_priv.h"

bool sofsim__core_masked(const struct sofsim *sim, unsigned core)
{
	const struct sofsim_thread *cur = sim->core[core].current;

	return cur && cur->irq_depth > 0;
}

/* ISRs run in kernel mode on whichever thread holds the token: the checker steps aside. */
void sofsim__isr_enter(struct sofsim *sim, unsigned core)
{
	sofsim__mmu_kernel(sim); /* an ISR on a user thread's token runs with kernel rights */
	sim->isr_depth++;
	sim->isr_core = (int)core;
	if (!sim->running->is_host)
		sim->running->chk_on = SOFSIM__CHK_OFF;
}

void sofsim__isr_exit(struct sofsim *sim)
{
	sim->isr_depth--;
	if (!sim->running->is_host)
		sofsim__chk_update(sim->running);
	sofsim__mmu_sync(sim);
}

static bool deliver_lines(struct sofsim *sim)
{
	bool any = false;

	for (unsigned line = 0; line < SOFSIM_IRQ_LINES && sim->irq_pending; line++) {
		struct sofsim__irq *irq = &sim->irq[line];

		if (!(sim->irq_pending & (UINT32_C(1) << line)) || sofsim__core_masked(sim, irq->core))
			continue;
		sim->irq_pending &= ~(UINT32_C(1) << line);
		sim->stats.isrs++;
		sofsim__isr_enter(sim, irq->core);
		sofsim__evlog_add(sim, SOFSIM_EV_ISR, line, 0);
		irq->isr(irq->arg);
		sofsim__isr_exit(sim);
		any = true;
		line = (unsigned)-1; /* an ISR may raise a lower line: rescan */
	}
	return any;
}

bool sofsim__deliver_interrupts(struct sofsim *sim)
{
	bool any = false;

	if (sim->irq_pending)
		any |= deliver_lines(sim);
	if (sofsim__next_expiry(sim) <= sim->now)
		any |= sofsim__fire_due_timeouts(sim);
	return any;
}

int sofsim_irq_connect(struct sofsim *sim, unsigned line, unsigned core, sofsim_isr_fn isr, void *arg)
{
	sofsim__require_supervisor(sim, "sofsim_irq_connect");
	if (line >= SOFSIM_IRQ_LINES || core >= sim->cores || !isr)
		return -EINVAL;
	if (sim->irq[line].isr)
		return -EBUSY;
	sim->irq[line] = (struct sofsim__irq){ .isr = isr, .arg = arg, .core = core };
	return 0;
}

int sofsim_irq_disconnect(struct sofsim *sim, unsigned line)
{
	sofsim__require_supervisor(sim, "sofsim_irq_disconnect");
	if (line >= SOFSIM_IRQ_LINES || !sim->irq[line].isr)
		return -EINVAL;
	sim->irq_pending &= ~(UINT32_C(1) << line);
	sim->irq[line] = (struct sofsim__irq){ 0 };
	return 0;
}

/* A device raising a line: pending until the next scheduling point, which this is not. */
int sofsim__irq_pend(struct sofsim *sim, unsigned line)
{
	if (line >= SOFSIM_IRQ_LINES || !sim->irq[line].isr)
		return -EINVAL;
	sim->irq_pending |= UINT32_C(1) << line;
	sofsim__evlog_add(sim, SOFSIM_EV_IRQ_RAISE, line, 0);
	return 0;
}

int sofsim_irq_raise(struct sofsim *sim, unsigned line)
{
	int ret;

	sofsim__require_supervisor(sim, "sofsim_irq_raise");
	ret = sofsim__irq_pend(sim, line);
	if (!ret)
		sofsim__sched_point(sim);
	return ret;
}

unsigned sofsim_irq_lock(struct sofsim *sim)
{
	struct sofsim_thread *self = sim->running;
	unsigned key;

	sofsim__privileged(sim, "rsil (irq_lock)");
	if (!sofsim__in_thread(sim))
		return 0;
	key = self->irq_depth;
	self->irq_depth++;
	return key;
}

void sofsim_irq_unlock(struct sofsim *sim, unsigned key)
{
	struct sofsim_thread *self = sim->running;

	sofsim__privileged(sim, "wsr PS (irq_unlock)");
	if (!sofsim__in_thread(sim))
		return;
	self->irq_depth = key;
	if (key == 0)
		sofsim__sched_point(sim);
}
