/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Dirty-page tracking for reset: the arenas are write-protected with
 * userfaultfd in asynchronous mode (the kernel resolves a write itself and
 * marks the page written), PAGEMAP_SCAN lists the written pages, and
 * reset protects again the ones it does not keep writable (snapshot.c). Where that is missing (kernels before
 * 6.7, unprivileged users, Valgrind) reset compares every page instead.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kernel/kernel_priv.h"
#include "kernel/snapshot_priv.h"
#include "kernel/tools.h"

/* Linux 6.7 ABI (include/uapi/linux/userfaultfd.h, fs.h), absent from older headers. */
#ifndef UFFD_FEATURE_WP_ASYNC
#define UFFD_FEATURE_WP_UNPOPULATED (1 << 13)
#define UFFD_FEATURE_WP_ASYNC (1 << 15)
#endif
#ifndef PAGEMAP_SCAN
struct page_region {
	uint64_t start, end, categories;
};

struct pm_scan_arg {
	uint64_t size, flags, start, end, walk_end, vec, vec_len, max_pages;
	uint64_t category_inverted, category_mask, category_anyof_mask, return_mask;
};

#define PAGEMAP_SCAN _IOWR('f', 16, struct pm_scan_arg)
#define PM_SCAN_WP_MATCHING (1 << 0)
#define PM_SCAN_CHECK_WPASYNC (1 << 1)
#define PAGE_IS_WRITTEN (1 << 1)
#endif

#define SCAN_REGIONS 256

static int track_arena(struct sofsim__track *tr, const struct sofsim__arena *a)
{
	struct uffdio_register reg = { .range = { a->base, a->size }, .mode = UFFDIO_REGISTER_MODE_WP };

	/* Huge pages would make every write dirty 2 MiB. */
	madvise((void *)a->base, a->size, MADV_NOHUGEPAGE);
	if (ioctl(tr->uffd, UFFDIO_REGISTER, &reg))
		return -errno;
	return sofsim__track_protect(tr, a, 0, a->pages);
}

void sofsim__track_start(struct sofsim *sim, struct sofsim__track *tr)
{
	struct uffdio_api api = { .api = UFFD_API, .features = UFFD_FEATURE_WP_ASYNC | UFFD_FEATURE_WP_UNPOPULATED };

	tr->uffd = tr->pagemap = -1;
	if (sofsim__running_on_valgrind())
		return; /* Valgrind does not know these ioctls: compare instead */
	tr->uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	tr->pagemap = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (tr->uffd < 0 || tr->pagemap < 0 || ioctl(tr->uffd, UFFDIO_API, &api) ||
	    track_arena(tr, &sim->arena) || track_arena(tr, &sim->host_arena))
		sofsim__track_stop(tr);
}

void sofsim__track_stop(struct sofsim__track *tr)
{
	if (tr->uffd >= 0)
		close(tr->uffd);
	if (tr->pagemap >= 0)
		close(tr->pagemap);
	tr->uffd = tr->pagemap = -1;
}

bool sofsim__tracking(const struct sofsim__track *tr)
{
	return tr->uffd >= 0;
}

/*
 * Call @fn for each of the first @pages pages of @a written since it was
 * last protected. Returns 0, or a negative errno when the scan itself
 * fails.
 */
int sofsim__track_scan(struct sofsim__track *tr, const struct sofsim__arena *a, size_t pages,
		       void (*fn)(void *arg, size_t page), void *arg)
{
	struct page_region vec[SCAN_REGIONS];
	struct pm_scan_arg scan = {
		.size = sizeof(scan),
		.flags = PM_SCAN_CHECK_WPASYNC,
		.start = a->base,
		.end = a->base + pages * SOFSIM_PAGE_BYTES,
		.vec = (uintptr_t)vec,
		.vec_len = SCAN_REGIONS,
		.category_mask = PAGE_IS_WRITTEN,
		.return_mask = PAGE_IS_WRITTEN,
	};

	while (scan.start < scan.end) {
		long n = ioctl(tr->pagemap, PAGEMAP_SCAN, &scan);

		if (n < 0)
			return -errno;
		for (long i = 0; i < n; i++)
			for (uint64_t p = vec[i].start; p < vec[i].end; p += SOFSIM_PAGE_BYTES)
				fn(arg, (p - a->base) / SOFSIM_PAGE_BYTES);
		scan.start = scan.walk_end;
	}
	return 0;
}

int sofsim__track_protect(struct sofsim__track *tr, const struct sofsim__arena *a, size_t first, size_t pages)
{
	struct uffdio_writeprotect wp = {
		.range = { a->base + first * SOFSIM_PAGE_BYTES, pages * SOFSIM_PAGE_BYTES },
		.mode = UFFDIO_WRITEPROTECT_MODE_WP,
	};

	return ioctl(tr->uffd, UFFDIO_WRITEPROTECT, &wp) ? -errno : 0;
}
