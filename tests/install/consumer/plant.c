/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A third-party module, built outside the sofsim tree as a shared object
 * with the enforce instrumentation (sofsim_add_module, or the pkg-config
 * instrument_* variables) and loaded with dlopen(). It links no sofsim
 * library: the checker calls the compiler plants in it are resolved from
 * the program that loads it. Its one function stores where it is told, as
 * module code that trusts a bad pointer would.
 */
#include <stdint.h>

void plant_store(uint32_t *where, uint32_t value);

void plant_store(uint32_t *where, uint32_t value)
{
	*where = value;
}
