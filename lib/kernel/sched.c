/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The scheduler: per-core ready queues with Zephyr's two priority classes,
 * one token across the context, interrupts and time advanced inline so the
 * common path needs no host context switch.
 */
#include <errno.h>

#include "kernel/syscall_priv.h"

bool sofsim__in_thread(const struct sofsim *sim)
{
	return sim->running != &sim->host && sim->isr_depth == 0;
}

/* splitmix64: small, and every seed (0 included) gives a good sequence. */
static uint64_t rng_next(struct sofsim *sim)
{
	uint64_t z = (sim->rng += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static struct sofsim_thread *node_thread(struct sofsim_list *n)
{
	return SOFSIM_CONTAINER_OF(n, struct sofsim_thread, node);
}

/*
 * Insert by priority: behind equal priorities (FIFO), or, for a preempted
 * thread, ahead of them so it resumes first.
 */
static void prio_insert(struct sofsim_list *head, struct sofsim_thread *t, bool ahead)
{
	struct sofsim_list *pos;

	sofsim_list_for_each(pos, head) {
		int p = node_thread(pos)->prio;

		if (ahead ? p >= t->prio : p > t->prio)
			break;
	}
	sofsim_list_insert_before(pos, &t->node);
}

void sofsim__make_ready(struct sofsim *sim, struct sofsim_thread *t)
{
	t->state = SOFSIM_T_READY;
	prio_insert(&sim->core[t->core].ready, t, false);
}

void sofsim__waitq_init(struct sofsim__waitq *wq)
{
	sofsim_list_init(&wq->threads);
}

struct sofsim_thread *sofsim__waitq_first(struct sofsim__waitq *wq)
{
	return sofsim_list_empty(&wq->threads) ? NULL : node_thread(wq->threads.next);
}

void sofsim__waitq_wake_all(struct sofsim *sim, struct sofsim__waitq *wq, int result)
{
	struct sofsim_thread *t;

	while ((t = sofsim__waitq_first(wq)))
		sofsim__wake(sim, t, result);
}

void sofsim__wake(struct sofsim *sim, struct sofsim_thread *t, int result)
{
	if (t->state != SOFSIM_T_BLOCKED)
		return;
	if (sofsim_list_linked(&t->node))
		sofsim_list_remove(&t->node);
	t->waitq = NULL;
	sofsim__timeout_cancel(&t->timeout);
	t->wait_result = result;
	sofsim__make_ready(sim, t);
	sofsim__evlog_add(sim, SOFSIM_EV_WAKE, (uint32_t)t->id, (uint32_t)result);
}

int sofsim__block(struct sofsim *sim, struct sofsim__waitq *wq, int64_t timeout)
{
	struct sofsim_thread *self = sim->running;

	self->state = SOFSIM_T_BLOCKED;
	self->wait_result = 0;
	self->waitq = wq;
	if (wq)
		prio_insert(&wq->threads, self, false);
	sim->core[self->core].current = NULL;
	if (timeout != SOFSIM_FOREVER) {
		uint64_t expiry = sim->now + (uint64_t)timeout;

		sofsim__timeout_arm(sim, &self->timeout, expiry < sim->now ? SOFSIM_TIME_NEVER - 1 : expiry);
	}
	sofsim__evlog_add(sim, SOFSIM_EV_BLOCK, 0, 0);
	sofsim__sched_point(sim);
	return self->wait_result;
}

/*
 * Settle each core's owner (a blocked owner was already cleared; a
 * preemptible owner gives way to a higher-priority ready thread), then pick
 * the core that runs next.
 */
static struct sofsim_thread *choose(struct sofsim *sim)
{
	unsigned cand[SOFSIM_MAX_CORES];
	unsigned n = 0;
	struct sofsim_thread *self = sim->running;

	for (unsigned c = 0; c < sim->cores; c++) {
		struct sofsim__core *core = &sim->core[c];
		struct sofsim_thread *cur = core->current;

		if (!sofsim_list_empty(&core->ready)) {
			struct sofsim_thread *head = node_thread(core->ready.next);

			if (!cur) {
				sofsim_list_remove(&head->node);
				core->current = cur = head;
			} else if (cur->prio >= 0 && head->prio < cur->prio && cur->irq_depth == 0) {
				sofsim_list_remove(&head->node);
				prio_insert(&core->ready, cur, true);
				core->current = cur = head;
			}
		}
		if (cur)
			cand[n++] = c;
	}
	if (n == 0)
		return NULL;
	if (n == 1)
		return sim->core[cand[0]].current;
	if (sim->cfg.interleave == SOFSIM_INTERLEAVE_ON_BLOCK && !self->is_host &&
	    sim->core[self->core].current == self)
		return self;
	return sim->core[cand[rng_next(sim) % n]].current;
}

static void advance(struct sofsim *sim, uint64_t t)
{
	if (sim->cfg.pace)
		sim->cfg.pace(sim->cfg.pace_arg, sim->now, t);
	sim->now = t;
	sim->points_this_instant = 0;
	sim->stats.time_jumps++;
}

struct sofsim_thread *sofsim__pick_next(struct sofsim *sim)
{
	for (;;) {
		struct sofsim_thread *t;
		uint64_t next;

		if (sim->halted)
			return &sim->host;
		sofsim__deliver_interrupts(sim);
		if (sim->host_wake)
			return &sim->host;
		t = choose(sim);
		if (t)
			return t;
		next = sofsim__next_expiry(sim);
		if (next == SOFSIM_TIME_NEVER || next > sim->limit)
			return &sim->host;
		advance(sim, next);
	}
}

void sofsim__switch(struct sofsim *sim, struct sofsim_thread *to)
{
	struct sofsim_thread *from = sim->running;

	sim->stats.switches++;
	sim->running = to;
	sofsim__evlog_add(sim, SOFSIM_EV_RUN, (uint32_t)from->id, 0);
	sofsim__mmu_switch_begin(sim, from);
	sim->carrier->switch_to(sim, from, to);
	sofsim__tls_self = from->is_host ? NULL : from;
	sofsim__mmu_switch_end(sim, from); /* enforce=mmu: @from's signal stack and view */
	if (from->user && sim->cfg.protection == SOFSIM_PROT_ENFORCE_CHECK)
		sofsim__chk_update(from); /* a view switch */
}

void sofsim__sched_point(struct sofsim *sim)
{
	struct sofsim_thread *self = sim->running;
	struct sofsim_thread *next;

	if (self->is_host || sim->isr_depth)
		return;
	sim->stats.sched_points++;
	if (++sim->points_this_instant == sim->cfg.livelock_points)
		sim->livelock = true;
	next = sim->livelock ? &sim->host : sofsim__pick_next(sim);
	if (next != self)
		sofsim__switch(sim, next);
	if (self->aborting)
		siglongjmp(self->unwind, 1);
}

void sofsim__note_inside(struct sofsim *sim)
{
	unsigned n = atomic_fetch_add_explicit(&sim->inside, 1, memory_order_acq_rel) + 1;

	if (n > sim->stats.max_inside)
		sim->stats.max_inside = n;
}

void sofsim__leave_inside(struct sofsim *sim)
{
	atomic_fetch_sub_explicit(&sim->inside, 1, memory_order_acq_rel);
}

/* Run from the host until nothing is runnable before @limit, or a host event. */
static int run(struct sofsim *sim, uint64_t limit)
{
	struct sofsim_thread *next;

	if (sim->running != &sim->host || sim->in_run)
		return -EPERM;
	sim->limit = limit < sim->now ? sim->now : limit;
	sim->in_run = true;
	next = sofsim__pick_next(sim);
	if (next != &sim->host)
		sofsim__switch(sim, next);
	sim->in_run = false;
	if (sim->livelock) {
		sim->livelock = false;
		sim->points_this_instant = 0;
		return -ELOOP;
	}
	if (sim->host_wake) {
		sim->host_wake = false;
		return 1;
	}
	return 0;
}

int sofsim_run_until(struct sofsim *sim, uint64_t t_ns)
{
	int ret = run(sim, t_ns);

	if (ret == 0 && sim->now < t_ns)
		advance(sim, t_ns);
	return ret;
}

int sofsim_run_until_idle(struct sofsim *sim, uint64_t limit_ns)
{
	int ret = run(sim, limit_ns);

	if (ret != 0)
		return ret;
	if (sofsim__next_expiry(sim) == SOFSIM_TIME_NEVER)
		return 0;
	if (sim->now < limit_ns)
		advance(sim, limit_ns);
	return -ETIMEDOUT;
}

int sofsim__run_host(struct sofsim *sim, uint64_t limit)
{
	return run(sim, limit);
}

void sofsim_host_wake(struct sofsim *sim)
{
	sim->host_wake = true;
}

static void impl_yield(struct sofsim *sim)
{
	struct sofsim_thread *self = sim->running;

	if (!sofsim__in_thread(sim))
		return;
	sim->core[self->core].current = NULL;
	sofsim__make_ready(sim, self);
	sofsim__evlog_add(sim, SOFSIM_EV_YIELD, 0, 0);
	sofsim__sched_point(sim);
}

void sofsim_yield(struct sofsim *sim)
{
	if (sofsim__from_user())
		sofsim__syscall(sim, SOFSIM_SYS_k_yield, SOFSIM_ARGS(0));
	else
		impl_yield(sim);
}

uintptr_t sofsim__mrsh_k_yield(struct sofsim *sim, const uintptr_t *a)
{
	(void)a;
	impl_yield(sim);
	return 0;
}

static int impl_sleep(struct sofsim *sim, uint64_t ns);

int sofsim_sleep(struct sofsim *sim, uint64_t ns)
{
	if (sofsim__from_user())
		return (int)sofsim__syscall(sim, SOFSIM_SYS_k_sleep, SOFSIM_ARGS(ns));
	return impl_sleep(sim, ns);
}

uintptr_t sofsim__mrsh_k_sleep(struct sofsim *sim, const uintptr_t *a)
{
	return (uintptr_t)impl_sleep(sim, a[0]);
}

static int impl_sleep(struct sofsim *sim, uint64_t ns)
{
	if (!sofsim__in_thread(sim))
		return -EBUSY;
	if (ns == 0) {
		impl_yield(sim);
		return 0;
	}
	sofsim__evlog_add(sim, SOFSIM_EV_SLEEP, (uint32_t)(ns / 1000), 0);
	sofsim__block(sim, NULL, ns > INT64_MAX ? SOFSIM_FOREVER : (int64_t)ns);
	return 0;
}
