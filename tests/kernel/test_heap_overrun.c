/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The planted overrun: one byte written just past a block of the context's
 * LL user heap. It proves the heaps tell Valgrind (mempool) and ASan (poisoned
 * redzones) what they hand out: both tools must report this write, and
 * CTest passes only when they do (tests/kernel/CMakeLists.txt). Run on its
 * own it corrupts a redzone silently and exits 0.
 */
#include <stdio.h>

#include "sofsim/mem.h"
#include "sofsim/sim.h"

int main(void)
{
	struct sofsim_heap *user;
	struct sofsim *sim;
	volatile char *p;
	char why[256];

	if (sofsim_create(&sim, NULL, why, sizeof(why))) {
		fprintf(stderr, "sofsim_create: %s\n", why);
		return 2;
	}
	user = sofsim_ll_user_heap(sim);
	/* A multiple of 16, so no rounding slack hides the byte past the end. */
	p = sofsim_heap_alloc(user, 32, "planted");
	if (!p)
		return 2;
	p[32] = 1; /* the planted overrun */
	sofsim_heap_free(user, (void *)p);
	sofsim_destroy(sim);
	return 0;
}
