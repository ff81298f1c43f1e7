/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The context: configuration checks, creation and teardown.
 */
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel_priv.h"

#define SOFSIM_PAGE 4096u
#define SOFSIM_ARENA_MIN (1u << 20)
#define SOFSIM_ARENA_MAX ((size_t)1 << 32)
#define SOFSIM_STACK_DEFAULT (256 * 1024)
#define SOFSIM_EVLOG_DEFAULT 4096

void sofsim_config_init(struct sofsim_config *cfg)
{
	*cfg = (struct sofsim_config){
		.platform = NULL,
		.seed = 1,
		.protection = SOFSIM_PROT_VERIFY,
		.fault_policy = SOFSIM_FAULT_HALT,
		.arena_bytes = 16u << 20,
		.host_arena_bytes = 4u << 20,
		.threads = SOFSIM_THREADS_FIBER,
		.interleave = SOFSIM_INTERLEAVE_EVERY_POINT,
		.spin = 0,
		.pin_cpu = -1,
		.stack_bytes = SOFSIM_STACK_DEFAULT,
		.evlog_capacity = SOFSIM_EVLOG_DEFAULT,
		.livelock_points = 100000000,
	};
}

int sofsim__why(char *why, size_t len, int err, const char *fmt, ...)
{
	va_list ap;

	if (why && len) {
		va_start(ap, fmt);
		vsnprintf(why, len, fmt, ap);
		va_end(ap);
	}
	return err;
}

/* A config field refused. */
#define bad(why, len, ...) sofsim__why((why), (len), -EINVAL, __VA_ARGS__)

static int check_arena(const char *field, size_t bytes, char *why, size_t len)
{
	if (bytes < SOFSIM_ARENA_MIN || bytes > SOFSIM_ARENA_MAX || bytes % SOFSIM_PAGE)
		return bad(why, len, "config.%s: %zu bytes; want a multiple of 4096 from %u to %zu", field,
			   bytes, SOFSIM_ARENA_MIN, SOFSIM_ARENA_MAX);
	return 0;
}

/* The heaps every context makes, plus room for a few stacks. */
static size_t arena_need(const struct sofsim_platform *plat)
{
	return plat->kernel_heap_bytes + plat->ll_user_heap_bytes + (2u << 20);
}

int sofsim_config_check(const struct sofsim_config *cfg, char *why, size_t why_len)
{
	const struct sofsim_platform *plat;
	int ret;

	if (!cfg)
		return bad(why, why_len, "config: NULL");
	plat = cfg->platform ? sofsim_platform_find(cfg->platform) : sofsim_platform_default();
	if (!plat)
		return bad(why, why_len, "config.platform: unknown profile '%s'", cfg->platform);
	if (plat->cores == 0 || plat->cores > SOFSIM_MAX_CORES)
		return bad(why, why_len, "config.platform: profile '%s' has %u cores; the model supports 1 to %d",
			   plat->name, plat->cores, SOFSIM_MAX_CORES);
	if ((unsigned)cfg->protection > SOFSIM_PROT_ENFORCE_MMU)
		return bad(why, why_len, "config.protection: unknown mode %d", (int)cfg->protection);
	if ((unsigned)cfg->fault_policy > SOFSIM_FAULT_ABORT)
		return bad(why, why_len, "config.fault_policy: unknown policy %d", (int)cfg->fault_policy);
	if ((unsigned)cfg->threads > SOFSIM_THREADS_PTHREAD)
		return bad(why, why_len, "config.threads: unknown carrier %d", (int)cfg->threads);
	if ((unsigned)cfg->interleave > SOFSIM_INTERLEAVE_ON_BLOCK)
		return bad(why, why_len, "config.interleave: unknown policy %d", (int)cfg->interleave);
	ret = check_arena("arena_bytes", cfg->arena_bytes, why, why_len);
	if (ret)
		return ret;
	if (cfg->arena_bytes < arena_need(plat))
		return bad(why, why_len, "config.arena_bytes: %zu bytes; profile '%s' needs at least %zu "
			   "(kernel and LL user heaps, and room for stacks)", cfg->arena_bytes, plat->name,
			   arena_need(plat));
	ret = check_arena("host_arena_bytes", cfg->host_arena_bytes, why, why_len);
	if (ret)
		return ret;
	if (cfg->stack_bytes < 16 * 1024 || cfg->stack_bytes > (64u << 20))
		return bad(why, why_len, "config.stack_bytes: %zu; want 16 KiB to 64 MiB", cfg->stack_bytes);
	if (cfg->pin_cpu < -1 || cfg->pin_cpu >= CPU_SETSIZE)
		return bad(why, why_len, "config.pin_cpu: %d; want -1 or a host CPU number", cfg->pin_cpu);
	if (cfg->evlog_capacity > (1u << 26))
		return bad(why, why_len, "config.evlog_capacity: %zu entries; at most %u", cfg->evlog_capacity,
			   1u << 26);
	if (cfg->protection == SOFSIM_PROT_ENFORCE_MMU)
		return sofsim__mmu_config_check(cfg, why, why_len); /* where it cannot be sound */
	return 0;
}

int sofsim_create(struct sofsim **out, const struct sofsim_config *cfg, char *why, size_t why_len)
{
	struct sofsim_config defaults;
	struct sofsim *sim;
	int ret;

	if (!out)
		return bad(why, why_len, "sofsim_create: NULL out pointer");
	*out = NULL;
	if (!cfg) {
		sofsim_config_init(&defaults);
		cfg = &defaults;
	}
	ret = sofsim_config_check(cfg, why, why_len);
	if (ret)
		return ret;

	sim = calloc(1, sizeof(*sim));
	if (!sim)
		goto err_alloc;
	sim->cfg = *cfg;
	sim->plat = cfg->platform ? sofsim_platform_find(cfg->platform) : sofsim_platform_default();
	sim->cfg.platform = sim->plat->name;
	sim->cores = sim->plat->cores;
	sim->rng = cfg->seed;
	sim->carrier = cfg->threads == SOFSIM_THREADS_PTHREAD ? &sofsim__pthread_ops : &sofsim__fiber_ops;
	sofsim_list_init(&sim->threads);
	sofsim_list_init(&sim->timeouts);
	sofsim_list_init(&sim->futexes);
	sofsim_list_init(&sim->futex_regs);
	sofsim_list_init(&sim->views);
	sofsim_list_init(&sim->heaps);
	sofsim_list_init(&sim->sys_mutexes);
	sofsim_list_init(&sim->objects);
	for (unsigned c = 0; c < SOFSIM_MAX_CORES; c++)
		sofsim_list_init(&sim->core[c].ready);

	sim->host.sim = sim;
	sim->host.is_host = true;
	sim->host.started = true;
	sim->host.id = SOFSIM_TID_HOST;
	sim->host.prio = SOFSIM_PRIO_PREEMPT_MAX;
	snprintf(sim->host.name, sizeof(sim->host.name), "host");
	sofsim_list_init(&sim->host.node);
	sofsim_list_init(&sim->host.all_node);
	sofsim_list_init(&sim->host.timeout.node);
	sim->host.idx = -1;
	sim->running = &sim->host;
	sim->break_on_fault = getenv("SOFSIM_BREAK_ON_FAULT") && !strcmp(getenv("SOFSIM_BREAK_ON_FAULT"), "1");
	atomic_init(&sim->inside, 1);
	sim->stats.max_inside = 1;

	if (sofsim__arena_map(&sim->arena, SOFSIM_ARENA_DSP, cfg->arena_bytes))
		goto err_arena;
	if (sofsim__arena_map(&sim->host_arena, SOFSIM_ARENA_HOST, cfg->host_arena_bytes))
		goto err_host_arena;
	sim->fail_countdown = cfg->fail_alloc_nth;
	if (sofsim__kheap_create(sim))
		goto err_kheap;
	if (sofsim__evlog_init(sim, cfg->evlog_capacity))
		goto err_evlog;
	if (sofsim__syscall_stats_init(sim))
		goto err_syscalls;
	sofsim__rodata_refresh(sim);
	if (sim->carrier->init(sim))
		goto err_carrier;
	ret = sofsim__mmu_create(sim, why, why_len);
	if (ret) {
		sofsim_destroy(sim); /* everything else is built: the ordinary teardown undoes it */
		return ret;
	}
	*out = sim;
	return 0;

err_carrier:
	sofsim__kfree(sim, sim->syscall_calls);
err_syscalls:
	sofsim__evlog_fini(sim);
err_evlog:
	sofsim__kheap_destroy(sim);
err_kheap:
	sofsim__arena_unmap(&sim->host_arena);
err_host_arena:
	sofsim__arena_unmap(&sim->arena);
err_arena:
	free(sim);
err_alloc:
	bad(why, why_len, "sofsim_create: out of memory");
	return -ENOMEM;
}

static void free_futex_queues(struct sofsim *sim)
{
	struct sofsim_list *pos, *tmp;

	sofsim_list_for_each_safe(pos, tmp, &sim->futexes) {
		sofsim_list_remove(pos);
		sofsim__kfree(sim, SOFSIM_CONTAINER_OF(pos, struct sofsim__futexq, node));
	}
	sofsim_list_for_each_safe(pos, tmp, &sim->futex_regs) {
		sofsim_list_remove(pos);
		sofsim__kfree(sim, pos);
	}
	sofsim_list_for_each_safe(pos, tmp, &sim->sys_mutexes) {
		sofsim_list_remove(pos);
		sofsim__kfree(sim, SOFSIM_CONTAINER_OF(pos, struct sofsim__sysmutex, node));
	}
}

void sofsim_destroy(struct sofsim *sim)
{
	struct sofsim_list *pos, *tmp;

	if (!sim)
		return;
	/* Threads first: unwinding them may still touch the objects below. */
	sofsim__snapshot_free(sim);
	sofsim__threads_destroy(sim);
	free_futex_queues(sim);
	sofsim_list_for_each_safe(pos, tmp, &sim->objects)
		sofsim__kobj_delete(SOFSIM_CONTAINER_OF(pos, struct sofsim__kobj, node));
	sofsim__chk_views_free(sim);
	sofsim__mmu_destroy(sim);
	sim->carrier->fini(sim);
	sofsim__kfree(sim, sim->syscall_calls);
	sofsim__evlog_fini(sim);
	sofsim__kheap_destroy(sim);
	sofsim__arena_unmap(&sim->host_arena);
	sofsim__arena_unmap(&sim->arena);
	free(sim);
}

const struct sofsim_platform *sofsim_platform(const struct sofsim *sim)
{
	return sim->plat;
}

const struct sofsim_config *sofsim_config(const struct sofsim *sim)
{
	return &sim->cfg;
}

uint64_t sofsim_now(const struct sofsim *sim)
{
	return sim->now;
}

void sofsim_stats_get(const struct sofsim *sim, struct sofsim_stats *out)
{
	*out = sim->stats;
}
