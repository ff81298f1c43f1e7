/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Kernel-model benchmark, part 3: the cost of sofsim_reset() on a booted
 * context with 4 threads, the writes since the snapshot timed with the
 * reset (with write tracking, a write to a protected page pays a fault).
 * Rows:
 * - "N_dirty_pages": the same N pages every run, as LL ticks write them;
 * - "64_of_256_rotating": 64 pages per run out of 256, each page written
 *   every 4th run, as fuzz inputs that take different paths do;
 * - "64_first_writes": 64 pages per run out of 1536, each page written
 *   every 24th run, after reset has protected it again: every write is a
 *   first write and pays the fault.
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

#define REGION_PAGES 1536

struct row {
	const char *mode;
	unsigned pages;  /* written per run */
	unsigned groups; /* runs before the same pages come back */
};

static const struct row rows[] = {
	{ "0_dirty_pages", 0, 1 },	   { "16_dirty_pages", 16, 1 },
	{ "64_dirty_pages", 64, 1 },	   { "256_dirty_pages", 256, 1 },
	{ "64_of_256_rotating", 64, 4 }, { "64_first_writes", 64, REGION_PAGES / 64 },
};

#define RUNS 200

/* Median µs per write-and-reset of one row; warm-up runs first so pages settle into their steady state. */
static double time_row(struct sofsim *sim, uint8_t *pages, const struct row *row)
{
	uint64_t samples[RUNS];

	for (unsigned r = 0; r < RUNS + 2 * REGION_PAGES / 64; r++) {
		unsigned first = (r % row->groups) * row->pages;
		uint64_t t0 = bench_ns();

		for (unsigned p = first; p < first + row->pages; p++)
			pages[p * SOFSIM_PAGE_BYTES + r % 64] = (uint8_t)(r + 1);
		sofsim_reset(sim);
		if (r >= 2 * REGION_PAGES / 64)
			samples[r - 2 * REGION_PAGES / 64] = bench_ns() - t0;
	}
	return (double)bench_median(samples, RUNS) / 1000.0;
}

int main(void)
{
	struct sofsim_config cfg;
	struct sofsim *sim;
	struct sofsim_sem *sem;
	struct sofsim_thread *t;
	uint8_t *pages;
	double dirty64 = 0;

	sofsim_config_init(&cfg);
	cfg.evlog_capacity = 1024;
	if (sofsim_create(&sim, &cfg, NULL, 0) || sofsim_sem_create(sim, 0, 1, &sem))
		return 1;
	for (unsigned c = 0; c < 4; c++) {
		struct sofsim_thread_attr a = { .name = "parked", .prio = 1, .core = c };

		if (sofsim_thread_create(sim, &a, parked, sem, &t))
			return 1;
	}
	if (sofsim_arena_take(sim, SOFSIM_ARENA_DSP, REGION_PAGES * SOFSIM_PAGE_BYTES, (void **)&pages))
		return 1;
	memset(pages, 0, REGION_PAGES * SOFSIM_PAGE_BYTES);
	sofsim_run_until(sim, 0);
	if (sofsim_snapshot(sim, NULL, 0))
		return 1;

	printf("Kernel model, part 3: reset with 4 parked threads (medians of %d resets), dirty-page tracking: %s\n\n",
	       RUNS, sofsim_reset_tracking(sim));
	bench_table_head();
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *row = &rows[i];
		double us = time_row(sim, pages, row);
		bool target = row->pages == 64 && row->groups <= 4;

		bench_report("bench_snapshot", "us_per_reset_tracking_included", row->mode, us, "us",
			     target ? "<= 50 us" : NULL);
		bench_report("bench_snapshot", "pages_copied_back", row->mode, (double)sofsim_reset_dirty_pages(sim),
			     "count", NULL);
		if (row->groups == 1 && row->pages == 64)
			dirty64 = us;
		if (row->groups == REGION_PAGES / 64)
			bench_report("bench_snapshot", "us_per_first_write", row->mode, (us - dirty64) / row->pages,
				     "us", NULL);
	}
	sofsim_destroy(sim);
	return 0;
}
