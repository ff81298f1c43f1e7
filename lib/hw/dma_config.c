/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The verifier of sof_dma_config: SOF's deep copy of a user DMA
 * configuration (zephyr/syscall/sof_dma.c; userspace sheet §2.2, bug
 * class 13). Why a copy: every field the kernel acts on must be read once,
 * from kernel memory, after it was checked; the user's list may change
 * under it (TOCTOU) or point anywhere.
 *
 * The rules, in order: the config is copied in (fault: oops); block_count
 * > 0; count × block size must not overflow the DSP's 32-bit size_t; the
 * kernel copy is allocated; exactly block_count nodes are walked from head,
 * each copied from user memory (an early NULL or an unreadable node is
 * refused) and its buffers checked for the direction; the last node's next
 * must be NULL or the user head (cyclic ring); the links are rewritten into
 * the copy. On any failure the copy is freed before the oops (bug class 25).
 * The kernel config is zeroed and carries only slot, direction, cyclic,
 * data sizes, bursts, block_count and head: a user callback never reaches
 * the channel. Host and FIFO addresses are not checked, as in SOF.
 */
#include <errno.h>
#include <string.h>

#include "sofsim/dma.h"

#include "kernel/syscall_priv.h"

#define ID SOFSIM_SYS_sof_dma_config

/* The DSP's size_t is 32 bits: the allocation size must fit there. */
#define DSP_SIZE_MAX UINT32_MAX

/* Free the kernel copy, then oops: nothing may stay allocated across K_OOPS.
 * The message arguments must not read the copy. */
#define REFUSE(sim, kblocks, ...)                     \
	do {                                          \
		sofsim__kfree((sim), (kblocks));      \
		sofsim__oops((sim), ID, __VA_ARGS__); \
	} while (0)

/* The per-direction buffer checks of one block (destination/source in DSP memory only). */
static const char *block_access(struct sofsim *sim, uint32_t direction, const struct sofsim_dma_block *b)
{
	bool need_src = false, need_dst = false;

	switch (direction) {
	case SOFSIM_DMA_MEM_TO_MEM:
		need_src = need_dst = true;
		break;
	case SOFSIM_DMA_MEM_TO_PERIPH:
	case SOFSIM_DMA_MEM_TO_HOST:
		need_src = true; /* the FIFO or host side is not checked (as in SOF) */
		break;
	case SOFSIM_DMA_PERIPH_TO_MEM:
	case SOFSIM_DMA_HOST_TO_MEM:
		need_dst = true;
		break;
	default:
		return "direction";
	}
	if (need_dst && !sofsim__user_can_write(sim, (void *)b->dest, b->size))
		return "dest";
	if (need_src && !sofsim__user_can_read(sim, (const void *)b->source, b->size))
		return "source";
	return NULL;
}

uintptr_t sofsim__mrsh_sof_dma_config(struct sofsim *sim, const uintptr_t *a)
{
	struct sofsim_dma *dma = (struct sofsim_dma *)a[0];
	uint32_t channel = (uint32_t)a[1];
	const struct sofsim_dma_config *ucfg = (const struct sofsim_dma_config *)a[2];
	struct sofsim_dma_config user, kcfg;
	struct sofsim_dma_block *kblocks;
	const struct sofsim_dma_block *unode;
	uint32_t n;
	int ret;

	if (!sofsim__verifying(sim)) {
		sofsim__toctou_point(sim);
		return (uintptr_t)sofsim_dma_config(sim, dma, channel, ucfg);
	}
	sofsim__vrfy_obj(sim, ID, dma, SOFSIM_OBJ_DRIVER_DMA, SOFSIM_KOBJ_MUST_INIT, "dma");
	if (sofsim__copy_from_user(sim, &user, ucfg, sizeof(user)))
		sofsim__oops(sim, ID, "config: Memory region %p (size %zu) read access denied", (const void *)ucfg,
			     sizeof(user));

	n = user.block_count;
	if (!n)
		sofsim__oops(sim, ID, "block_count: 0 blocks");
	if (n > DSP_SIZE_MAX / sizeof(struct sofsim_dma_block))
		sofsim__oops(sim, ID, "block_count: %u blocks overflow the allocation size", n);
	kblocks = sofsim__kzalloc(sim, (size_t)n * sizeof(*kblocks));
	if (!kblocks)
		sofsim__oops(sim, ID, "block_count: no kernel memory for %u blocks", n);

	unode = user.head;
	for (uint32_t i = 0; i < n; i++) {
		const char *bad;

		if (!unode)
			REFUSE(sim, kblocks, "head: list ends after %u of block_count %u blocks", i, n);
		if (sofsim__copy_from_user(sim, &kblocks[i], unode, sizeof(kblocks[i])))
			REFUSE(sim, kblocks, "head: block %u at %p is not readable", i, (const void *)unode);
		bad = block_access(sim, user.direction, &kblocks[i]);
		if (bad && !strcmp(bad, "direction"))
			REFUSE(sim, kblocks, "direction: %u is not supported", user.direction);
		if (bad) {
			/* Taken out of the copy before REFUSE frees it. */
			bool dst = !strcmp(bad, "dest");
			unsigned long addr = (unsigned long)(dst ? kblocks[i].dest : kblocks[i].source);
			uint32_t size = kblocks[i].size;

			REFUSE(sim, kblocks, "%s: block %u buffer %#lx (size %u) %s access denied", bad, i, addr, size,
			       dst ? "write" : "read");
		}
		unode = kblocks[i].next;
	}
	if (unode && unode != user.head)
		REFUSE(sim, kblocks, "next: last block's next %p is neither NULL nor the list head", (const void *)unode);
	for (uint32_t i = 0; i < n; i++)
		kblocks[i].next = i + 1 < n ? &kblocks[i + 1] : (unode ? &kblocks[0] : NULL);

	/* Only what the driver needs, from the checked copy: no callback, no user_data. */
	memset(&kcfg, 0, sizeof(kcfg));
	kcfg.slot = user.slot;
	kcfg.direction = user.direction;
	kcfg.cyclic = user.cyclic;
	kcfg.source_data_size = user.source_data_size;
	kcfg.dest_data_size = user.dest_data_size;
	kcfg.source_burst = user.source_burst;
	kcfg.dest_burst = user.dest_burst;
	kcfg.block_count = n;
	kcfg.head = kblocks;

	sofsim__toctou_point(sim);
	ret = sofsim_dma_config(sim, dma, channel, &kcfg); /* kernel rights now: the implementation */
	sofsim__kfree(sim, kblocks);
	return (uintptr_t)ret;
}
