/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Small helpers shared by the benchmarks: a monotonic clock, medians, and
 * the two output forms (a markdown row and a machine-readable line).
 */
#ifndef SOFSIM_BENCH_COMMON_H
#define SOFSIM_BENCH_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline uint64_t bench_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline int bench_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Median of @n samples (sorts them). */
static inline uint64_t bench_median(uint64_t *v, size_t n)
{
	qsort(v, n, sizeof(*v), bench_cmp_u64);
	return v[n / 2];
}

/* One table row and one "name value unit" line for scripts. */
static inline void bench_report(const char *bench, const char *name, const char *mode, double value,
				const char *unit, const char *target)
{
	printf("| %-34s | %-22s | %12.2f %-6s | %-14s |\n", name, mode, value, unit, target ? target : "");
	fprintf(stderr, "%s.%s.%s %.3f %s\n", bench, name, mode, value, unit);
}

static inline void bench_table_head(void)
{
	printf("| %-34s | %-22s | %19s | %-14s |\n", "figure", "mode", "value", "target");
	printf("|------------------------------------|------------------------|---------------------|----------------|\n");
}

#endif /* SOFSIM_BENCH_COMMON_H */
