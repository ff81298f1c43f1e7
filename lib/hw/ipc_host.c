/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The host side of the IPC block, as the Linux driver uses it: send a
 * request (payload, extension, doorbell), take DSP messages in its IRQ
 * thread (a reply completes the waiter, anything else is a notification)
 * and acknowledge them, and wait until both DONE and the reply arrived.
 */
#include <errno.h>
#include <string.h>

#include "hw/ipc_priv.h"

void sofsim__ipc_host_event(struct sofsim_ipc *ipc)
{
	if (ipc->host->waiting)
		sofsim_host_wake(ipc->sim);
}

/* Linux's IRQ thread: read the doorbell and payload, then acknowledge. */
void sofsim__ipc_host_receive(struct sofsim_ipc *ipc)
{
	struct sofsim__ipc_host *h = ipc->host;
	struct sofsim_ipc_msg *m;
	bool reply = ipc->d2h_primary & SOFSIM_IPC_REPLY_BIT;

	if (reply) {
		m = &h->reply;
		h->have_reply = true;
	} else if (h->notify_count == SOFSIM_IPC_NOTIFY_SLOTS) {
		h->notify_dropped++;
		m = NULL;
	} else {
		m = &h->notify[(h->notify_head + h->notify_count++) % SOFSIM_IPC_NOTIFY_SLOTS];
	}
	if (m) {
		m->primary = ipc->d2h_primary;
		m->ext = ipc->d2h_ext;
		m->size = ipc->d2h_size < SOFSIM_IPC_HOST_MAX_PAYLOAD ? ipc->d2h_size : SOFSIM_IPC_HOST_MAX_PAYLOAD;
		memcpy(m->data, ipc->win0 + SOFSIM_PAGE_BYTES, m->size);
	}
	if (reply && ipc->done_deferred) {
		ipc->done_deferred = false;
		sofsim_ipc_dsp_reg_write(ipc, SOFSIM_IPC_DSP_TDA, 0);
	}
	if (!ipc->cfg.host_manual_ack)
		sofsim_ipc_host_ack(ipc);
	sofsim__ipc_host_event(ipc);
}

int sofsim_ipc_host_ack(struct sofsim_ipc *ipc)
{
	int ret;

	if (!ipc->host_unacked)
		return -EPROTO;
	ret = sofsim_ipc_host_reg_write(ipc, SOFSIM_IPC_HFIPCXTDR, SOFSIM_IPC_BUSY);
	return ret ? ret : sofsim_ipc_host_reg_write(ipc, SOFSIM_IPC_HFIPCXTDA, 0);
}

int sofsim_ipc_host_send(struct sofsim_ipc *ipc, const struct sofsim_ipc_msg *msg)
{
	if (msg->size > SOFSIM_IPC_HOST_MAX_PAYLOAD)
		return -EINVAL;
	if (ipc->h2d_busy || ipc->h2d_in_flight)
		return -EBUSY;
	ipc->host->have_reply = ipc->host->have_done = false;
	if (msg->size)
		sofsim_ipc_window_write(ipc, SOFSIM_IPC_WIN_INBOX, 0, msg->data, msg->size);
	sofsim_ipc_host_reg_write(ipc, SOFSIM_IPC_HFIPCXIDDY, msg->ext);
	return sofsim_ipc_host_reg_write(ipc, SOFSIM_IPC_HFIPCXIDR, msg->primary | SOFSIM_IPC_BUSY);
}

int sofsim_ipc_host_wait(struct sofsim_ipc *ipc, struct sofsim_ipc_msg *reply, uint64_t timeout)
{
	struct sofsim__ipc_host *h = ipc->host;
	uint64_t deadline = sofsim_now(ipc->sim) + timeout;
	int ret = 0;

	if (!ipc->h2d_in_flight)
		return -EINVAL;
	h->waiting = true;
	while (!(h->have_done && h->have_reply) && ret >= 0) {
		ret = sofsim_run_until(ipc->sim, deadline);
		if (ret == 0 && sofsim_now(ipc->sim) >= deadline)
			break;
	}
	h->waiting = false;
	if (ret < 0)
		return ret;
	if (!(h->have_done && h->have_reply))
		return -ETIMEDOUT;
	*reply = h->reply;
	h->have_reply = h->have_done = false;
	return sofsim_ipc_host_reg_write(ipc, SOFSIM_IPC_HFIPCXIDA, SOFSIM_IPC_DONE);
}

int sofsim_ipc_host_xfer(struct sofsim_ipc *ipc, const struct sofsim_ipc_msg *msg, struct sofsim_ipc_msg *reply)
{
	int ret = sofsim_ipc_host_send(ipc, msg);

	return ret ? ret : sofsim_ipc_host_wait(ipc, reply, SOFSIM_IPC_HOST_TIMEOUT_NS);
}

int sofsim_ipc_host_notification(struct sofsim_ipc *ipc, struct sofsim_ipc_msg *out)
{
	struct sofsim__ipc_host *h = ipc->host;

	if (!h->notify_count)
		return -ENOENT;
	*out = h->notify[h->notify_head];
	h->notify_head = (h->notify_head + 1) % SOFSIM_IPC_NOTIFY_SLOTS;
	h->notify_count--;
	return 0;
}
