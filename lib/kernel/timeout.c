/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The timeout queue: timers and blocked threads' timeouts, ordered by
 * (expiry, arming order) so ties resolve the same way in every run.
 */
#include "kernel/kernel_priv.h"

static struct sofsim__timeout *node_timeout(struct sofsim_list *n)
{
	return SOFSIM_CONTAINER_OF(n, struct sofsim__timeout, node);
}

void sofsim__timeout_arm(struct sofsim *sim, struct sofsim__timeout *to, uint64_t expiry)
{
	struct sofsim_list *pos;

	if (sofsim_list_linked(&to->node))
		sofsim_list_remove(&to->node);
	to->expiry = expiry;
	to->seq = ++sim->timeout_seq;
	/* New entries usually expire last: search from the tail. */
	for (pos = sim->timeouts.prev; pos != &sim->timeouts; pos = pos->prev)
		if (node_timeout(pos)->expiry <= expiry)
			break;
	sofsim_list_insert_before(pos->next, &to->node);
}

void sofsim__timeout_cancel(struct sofsim__timeout *to)
{
	if (sofsim_list_linked(&to->node))
		sofsim_list_remove(&to->node);
}

uint64_t sofsim__next_expiry(const struct sofsim *sim)
{
	if (sofsim_list_empty(&sim->timeouts))
		return SOFSIM_TIME_NEVER;
	return node_timeout(sim->timeouts.next)->expiry;
}

/* Fire every due timeout whose core is not masked; true if any fired. */
bool sofsim__fire_due_timeouts(struct sofsim *sim)
{
	bool any = false;
	struct sofsim_list *pos = sim->timeouts.next;

	while (pos != &sim->timeouts) {
		struct sofsim__timeout *to = node_timeout(pos);

		if (to->expiry > sim->now)
			break;
		if (sofsim__core_masked(sim, to->core)) {
			pos = pos->next;
			continue;
		}
		sofsim_list_remove(&to->node);
		sim->stats.timer_expiries++;
		to->fire(sim, to);
		any = true;
		pos = sim->timeouts.next; /* the callback may have changed the queue */
	}
	return any;
}
