/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Code compiled with the enforce instrumentation (sofsim_instrument): each
 * function does one kind of access to the address it is given, as module
 * code running in a user thread would.
 */
#include <stdint.h>
#include <string.h>

#include "check_bodies.h"

struct big {
	uint8_t bytes[96];
};

void body_store1(void *p)
{
	*(volatile uint8_t *)p = 1;
}

uint32_t body_load4(const void *p)
{
	return *(const volatile uint32_t *)p;
}

void body_memcpy(void *dst, const void *src, size_t n)
{
	memcpy(dst, src, n);
}
