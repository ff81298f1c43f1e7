/* SPDX-License-Identifier: BSD-3-Clause */
/* Bitmaps of 64-bit words: page maps of the arenas and of snapshots. */
#ifndef SOFSIM_KERNEL_BITMAP_H
#define SOFSIM_KERNEL_BITMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

static inline bool sofsim__bit_test(const uint64_t *map, size_t i)
{
	return map[i / 64] >> (i % 64) & 1;
}

static inline void sofsim__bit_set(uint64_t *map, size_t i)
{
	map[i / 64] |= UINT64_C(1) << (i % 64);
}

static inline void sofsim__bit_clear(uint64_t *map, size_t i)
{
	map[i / 64] &= ~(UINT64_C(1) << (i % 64));
}

#endif
