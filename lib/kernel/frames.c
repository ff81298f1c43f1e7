/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Exact conversions between virtual time and frame counts. Splitting at
 * whole seconds keeps every product in 64 bits for any rate up to 4 GHz.
 */
#include "sofsim/sim.h"

uint64_t sofsim_frames_in(uint32_t rate_hz, uint64_t ns)
{
	uint64_t s = ns / SOFSIM_NSEC_PER_SEC;
	uint64_t r = ns % SOFSIM_NSEC_PER_SEC;

	return s * rate_hz + r * rate_hz / SOFSIM_NSEC_PER_SEC;
}

uint64_t sofsim_ns_for_frames(uint32_t rate_hz, uint64_t frames)
{
	uint64_t s, r;

	if (rate_hz == 0)
		return 0;
	s = frames / rate_hz;
	r = frames % rate_hz;
	return s * SOFSIM_NSEC_PER_SEC + (r * SOFSIM_NSEC_PER_SEC + rate_hz - 1) / rate_hz;
}
