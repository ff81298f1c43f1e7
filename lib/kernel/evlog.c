/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The event log: a ring of fixed-size records stamped with virtual time,
 * core and thread id (never host addresses, so logs from two runs compare
 * byte for byte).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include "kernel/kernel_priv.h"

static const char *const kind_names[] = {
#define SOFSIM_EV_NAME(name, text) [SOFSIM_EV_##name] = text,
	SOFSIM_EVENT_KINDS(SOFSIM_EV_NAME)
#undef SOFSIM_EV_NAME
};

const char *sofsim_event_kind_name(unsigned kind)
{
	return kind < SOFSIM_EV_COUNT ? kind_names[kind] : "?";
}

int sofsim__evlog_init(struct sofsim *sim, size_t capacity)
{
	sim->evlog.capacity = capacity;
	sim->evlog.total = 0;
	if (!capacity)
		return 0;
	/* A trace of the model, not simulated state: it lives outside the arena. */
	sim->evlog.ring = calloc(capacity, sizeof(*sim->evlog.ring));
	return sim->evlog.ring ? 0 : -ENOMEM;
}

void sofsim__evlog_fini(struct sofsim *sim)
{
	free(sim->evlog.ring);
	sim->evlog.ring = NULL;
}

void sofsim__evlog_add(struct sofsim *sim, enum sofsim_event_kind kind, uint32_t a, uint32_t b)
{
	struct sofsim__evlog *log = &sim->evlog;
	struct sofsim_event *e;

	if (!log->capacity || sim->halted) /* a halted DSP does nothing more */
		return;
	e = &log->ring[log->total % log->capacity];
	log->total++;
	e->t_ns = sim->now;
	if (sim->isr_depth) {
		e->core = (int16_t)sim->isr_core;
		e->tid = SOFSIM_TID_ISR;
	} else if (sim->running->is_host) {
		e->core = -1;
		e->tid = SOFSIM_TID_HOST;
	} else {
		e->core = (int16_t)sim->running->core;
		e->tid = (int16_t)sim->running->id;
	}
	e->kind = (uint16_t)kind;
	e->reserved = 0;
	e->a = a;
	e->b = b;
}

void sofsim_evlog_mark(struct sofsim *sim, uint32_t a, uint32_t b)
{
	sofsim__evlog_add(sim, SOFSIM_EV_MARK, a, b);
}

uint64_t sofsim_evlog_total(const struct sofsim *sim)
{
	return sim->evlog.total;
}

size_t sofsim_evlog_size(const struct sofsim *sim)
{
	const struct sofsim__evlog *log = &sim->evlog;

	return log->total < log->capacity ? (size_t)log->total : log->capacity;
}

int sofsim_evlog_get(const struct sofsim *sim, size_t index, struct sofsim_event *out)
{
	const struct sofsim__evlog *log = &sim->evlog;
	size_t size = sofsim_evlog_size(sim);

	if (index >= size)
		return -ERANGE;
	*out = log->ring[(log->total - size + index) % log->capacity];
	return 0;
}

static const char *tid_name(const struct sofsim *sim, int tid)
{
	const struct sofsim_list *pos;

	if (tid == SOFSIM_TID_HOST)
		return "host";
	if (tid == SOFSIM_TID_ISR)
		return "isr";
	for (pos = sim->threads.next; pos != &sim->threads; pos = pos->next) {
		const struct sofsim_thread *t = SOFSIM_CONTAINER_OF(pos, struct sofsim_thread, all_node);

		if (t->id == tid)
			return t->name;
	}
	return "?";
}

int sofsim_evlog_print(const struct sofsim *sim, FILE *out)
{
	size_t size = sofsim_evlog_size(sim);
	struct sofsim_event e;

	for (size_t i = 0; i < size; i++) {
		sofsim_evlog_get(sim, i, &e);
		fprintf(out, "%10" PRIu64 ".%03u us c%-2d %-14s %-12s", e.t_ns / 1000,
			(unsigned)(e.t_ns % 1000), e.core, tid_name(sim, e.tid), sofsim_event_kind_name(e.kind));
		switch (e.kind) {
		case SOFSIM_EV_RUN:
			fprintf(out, " from=%s\n", tid_name(sim, (int)e.a));
			break;
		case SOFSIM_EV_WAKE:
			fprintf(out, " %s result=%d\n", tid_name(sim, (int)e.a), (int)e.b);
			break;
		case SOFSIM_EV_THREAD_CREATE:
			fprintf(out, " %s prio=%d\n", tid_name(sim, (int)e.a), (int)e.b);
			break;
		case SOFSIM_EV_TIMEOUT:
		case SOFSIM_EV_EXIT:
		case SOFSIM_EV_ABORT:
			fprintf(out, " %s\n", tid_name(sim, (int)e.a));
			break;
		default:
			fprintf(out, " %" PRIu32 " %" PRIu32 "\n", e.a, e.b);
			break;
		}
	}
	return ferror(out) ? -EIO : 0;
}
