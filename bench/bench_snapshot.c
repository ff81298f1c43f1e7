/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Kernel-model benchmark, part 3: the cost of sofsim_reset() on a booted
 * context with 4 threads, for 0/16/64/256 pages dirtied since the snapshot,
 * the writes timed with the reset (with write tracking, a write to a
 * protected page pays a fault). "dirty" rows write the same pages every
 * run, as LL ticks do; the "fresh" row writes 64 pages no earlier run
 * wrote, rotating over 256, so every page is a first write. Without
 * tracking (page compare) the cost is the compare of every page in use.
 * Prints a markdown table (stdout) and machine lines (stderr).
 */
#include <stdbool.h>
#include <string.h>

#include "sofsim/kernel.h"
#include "sofsim/mem.h"
#include "sofsim/sim.h"

#include "bench_common.h"

static void parked(void *arg)
{
	sofsim_sem_take(arg, SOFSIM_FOREVER);
}

int main(void)
{
	static const unsigned dirty[] = { 0, 16, 64, 256 };
	struct sofsim_config cfg;
	struct sofsim *sim;
	struct sofsim_sem *sem;
	struct sofsim_thread *t;
	uint8_t *pages;
	uint64_t samples[200];

	sofsim_config_init(&cfg);
	cfg.evlog_capacity = 1024;
	if (sofsim_create(&sim, &cfg, NULL, 0) || sofsim_sem_create(sim, 0, 1, &sem))
		return 1;
	for (unsigned c = 0; c < 4; c++) {
		struct sofsim_thread_attr a = { .name = "parked", .prio = 1, .core = c };

		if (sofsim_thread_create(sim, &a, parked, sem, &t))
			return 1;
	}
	if (sofsim_arena_take(sim, SOFSIM_ARENA_DSP, 256 * SOFSIM_PAGE_BYTES, (void **)&pages))
		return 1;
	memset(pages, 0, 256 * SOFSIM_PAGE_BYTES);
	sofsim_run_until(sim, 0);
	if (sofsim_snapshot(sim, NULL, 0))
		return 1;

	printf("Kernel model, part 3: reset with 4 parked threads (medians of 200 resets), dirty-page tracking: %s\n\n",
	       sofsim_reset_tracking(sim));
	bench_table_head();
	for (size_t d = 0; d <= sizeof(dirty) / sizeof(dirty[0]); d++) {
		bool fresh = d == sizeof(dirty) / sizeof(dirty[0]);
		unsigned n = fresh ? 64 : dirty[d];
		char mode[32];

		for (unsigned r = 0; r < 200; r++) {
			unsigned first = fresh ? (r % 4) * 64 : 0;
			uint64_t t0 = bench_ns();

			for (unsigned p = first; p < first + n; p++)
				pages[p * SOFSIM_PAGE_BYTES + r % 64] = (uint8_t)(r + 1);
			sofsim_reset(sim);
			samples[r] = bench_ns() - t0;
		}
		snprintf(mode, sizeof(mode), fresh ? "%u_fresh_pages" : "%u_dirty_pages", n);
		bench_report("bench_snapshot", "us_per_reset_tracking_included", mode,
			     (double)bench_median(samples, 200) / 1000.0, "us", n == 64 ? "<= 50 us" : NULL);
		bench_report("bench_snapshot", "pages_copied_back", mode, (double)sofsim_reset_dirty_pages(sim), "count",
			     NULL);
	}
	sofsim_destroy(sim);
	return 0;
}
