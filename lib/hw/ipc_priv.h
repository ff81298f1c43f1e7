/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * State of the IPC block, shared by its register file (ipc_regs.c), the
 * DSP's TX queue (ipc_txq.c) and the host side (ipc_host.c). It lives in
 * the DSP arena's kernel heap, except the host's received messages, which
 * live in the host arena.
 */
#ifndef SOFSIM_HW_IPC_PRIV_H
#define SOFSIM_HW_IPC_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "sofsim/ipc.h"
#include "sofsim/kernel.h"

#include "kernel/kernel_priv.h"

/* The DSP's IPC interrupt line. */
#define SOFSIM_IPC_IRQ 24u
#define SOFSIM_IPC_NOTIFY_SLOTS 8u

struct sofsim__ipc_tx {
	struct sofsim_list node;
	uint32_t primary, ext, size;
	uint8_t data[];
};

/* What the host has received (host arena). */
struct sofsim__ipc_host {
	struct sofsim_ipc_msg reply;
	bool have_reply, have_done, waiting;
	struct sofsim_ipc_msg notify[SOFSIM_IPC_NOTIFY_SLOTS];
	unsigned notify_head, notify_count, notify_dropped;
};

struct sofsim_ipc {
	struct sofsim *sim;
	struct sofsim_ipc_config cfg;
	sofsim_ipc_rx_fn rx;
	void *rx_arg;

	/* host → DSP: host IDR/IDDY = DSP TDR/TDD; DONE in host IDA */
	uint32_t h2d_primary, h2d_ext;
	bool h2d_busy;      /* doorbell set, not yet cleared by the DSP */
	bool h2d_in_flight; /* rung, DONE not yet cleared by the host */
	bool h2d_latched;   /* the DSP ISR took the words */
	bool dsp_acked;     /* TDA written for this request */
	bool h2d_done;
	bool done_deferred; /* reply_before_done: DONE waits for the reply */

	/* DSP → host: DSP IDR/IDD = host TDR/TDDY; DONE in DSP IDA */
	uint32_t d2h_primary, d2h_ext, d2h_size;
	bool d2h_busy;       /* doorbell set, not yet cleared by the host */
	bool host_unacked;   /* the host has not written TDA */
	bool tx_ack_pending; /* sent, DONE from the host not yet seen by the DSP */
	bool d2h_done;
	bool irq_doorbell, irq_done;
	uint32_t host_ctl, dsp_ctl;

	uint8_t *win0; /* FW registers page, then the outbox */
	size_t win0_bytes, outbox_bytes;
	uint8_t *inbox;
	size_t inbox_bytes;

	struct sofsim_list txq;
	unsigned queued;
	bool emergency_pending;
	uint32_t em_primary, em_ext;
	struct sofsim_workq *wq;
	struct sofsim_work_delayable send_work;

	struct sofsim__ipc_host *host;
	size_t host_pages;
};

int sofsim__ipc_dsp_ring(struct sofsim_ipc *ipc, uint32_t primary, uint32_t ext, const void *data, uint32_t size);
void sofsim__ipc_host_receive(struct sofsim_ipc *ipc);
void sofsim__ipc_host_event(struct sofsim_ipc *ipc);
void sofsim__ipc_tx_kick(struct sofsim_ipc *ipc);
void sofsim__ipc_trace(struct sofsim_ipc *ipc, bool host, uint32_t off, uint32_t val);
int sofsim__ipc_irq_connect(struct sofsim_ipc *ipc);

#endif /* SOFSIM_HW_IPC_PRIV_H */
