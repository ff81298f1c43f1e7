/* SPDX-License-Identifier: BSD-3-Clause */
/* Dirty-page tracking behind snapshot/reset (snapshot_track.c). */
#ifndef SOFSIM_KERNEL_SNAPSHOT_PRIV_H
#define SOFSIM_KERNEL_SNAPSHOT_PRIV_H

#include <stdbool.h>
#include <stddef.h>

struct sofsim;
struct sofsim__arena;

struct sofsim__track {
	int uffd;    /* userfaultfd in write-protect-async mode, -1 when not tracking */
	int pagemap; /* /proc/self/pagemap, for PAGEMAP_SCAN */
};

void sofsim__track_start(struct sofsim *sim, struct sofsim__track *tr);
void sofsim__track_stop(struct sofsim__track *tr);
bool sofsim__tracking(const struct sofsim__track *tr);
int sofsim__track_scan(struct sofsim__track *tr, const struct sofsim__arena *a, size_t pages,
		       void (*fn)(void *arg, size_t page), void *arg);
int sofsim__track_protect(struct sofsim__track *tr, const struct sofsim__arena *a, size_t first, size_t pages);

#endif /* SOFSIM_KERNEL_SNAPSHOT_PRIV_H */
