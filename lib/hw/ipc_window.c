/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The mailbox windows: where each lies in the DSP arena, bounds-checked
 * copies in and out, and the partitions SOF's LL domain gets for them.
 */
#include <errno.h>
#include <string.h>

#include "sofsim/mem.h"

#include "hw/ipc_priv.h"

void *sofsim_ipc_window(struct sofsim_ipc *ipc, enum sofsim_ipc_window win, size_t *size)
{
	switch (win) {
	case SOFSIM_IPC_WIN_FW_REGS:
		*size = SOFSIM_PAGE_BYTES;
		return ipc->win0;
	case SOFSIM_IPC_WIN_OUTBOX:
		*size = ipc->outbox_bytes;
		return ipc->win0 + SOFSIM_PAGE_BYTES;
	case SOFSIM_IPC_WIN_INBOX:
		*size = ipc->inbox_bytes;
		return ipc->inbox;
	default:
		*size = 0;
		return NULL;
	}
}

static uint8_t *span(struct sofsim_ipc *ipc, enum sofsim_ipc_window win, size_t off, size_t n)
{
	size_t size;
	uint8_t *base = sofsim_ipc_window(ipc, win, &size);

	if (!base || off > size || n > size - off)
		return NULL;
	return base + off;
}

int sofsim_ipc_window_write(struct sofsim_ipc *ipc, enum sofsim_ipc_window win, size_t off, const void *data,
			    size_t n)
{
	uint8_t *p = span(ipc, win, off, n);

	if (!p)
		return -EINVAL;
	memcpy(p, data, n);
	sofsim__evlog_add(ipc->sim, SOFSIM_EV_IPC_MBOX, win, (uint32_t)n);
	return 0;
}

int sofsim_ipc_window_read(struct sofsim_ipc *ipc, enum sofsim_ipc_window win, size_t off, void *data, size_t n)
{
	const uint8_t *p = span(ipc, win, off, n);

	if (!p)
		return -EINVAL;
	memcpy(data, p, n);
	return 0;
}

void sofsim_ipc_user_partitions(struct sofsim_ipc *ipc, struct sofsim_partition *out)
{
	out[0] = (struct sofsim_partition){ (uintptr_t)ipc->win0, SOFSIM_PAGE_BYTES, SOFSIM_PART_RW, "sw_regs" };
	out[1] = (struct sofsim_partition){ (uintptr_t)ipc->inbox, ipc->inbox_bytes, SOFSIM_PART_R, "hostbox" };
}
