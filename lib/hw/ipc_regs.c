/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ACE IPC register file seen from both sides (ABI sheet §8.1–§8.3):
 * host IDR/IDDY are the DSP's TDR/TDD and the DSP's IDR/IDD are the host's
 * TDR/TDDY; clearing TDA bit 31 on one side raises DONE in the other side's
 * IDA; BUSY and DONE bits are write-1-to-clear. Every write is traced in the
 * event log, and every handshake rule is enforced with an error.
 */
#include <errno.h>

#include "hw/ipc_priv.h"

void sofsim__ipc_trace(struct sofsim_ipc *ipc, bool host, uint32_t off, uint32_t val)
{
	sofsim__evlog_add(ipc->sim, SOFSIM_EV_IPC_REG, (host ? 0x80000000u : 0) | off, val);
}

/* The DSP's interrupt for what is latched and enabled (CTL bit 0 TBIE: doorbell, bit 1 IDIE: DONE). */
static void update_dsp_irq(struct sofsim_ipc *ipc)
{
	if ((ipc->irq_doorbell && (ipc->dsp_ctl & 1u)) || (ipc->irq_done && (ipc->dsp_ctl & 2u)))
		sofsim__irq_pend(ipc->sim, SOFSIM_IPC_IRQ);
}

static void raise_dsp(struct sofsim_ipc *ipc, bool doorbell)
{
	if (doorbell)
		ipc->irq_doorbell = true;
	else
		ipc->irq_done = true;
	update_dsp_irq(ipc);
}

int sofsim_ipc_host_reg_read(struct sofsim_ipc *ipc, uint32_t off, uint32_t *val)
{
	switch (off) {
	case SOFSIM_IPC_HFIPCXTDR:
		*val = (ipc->d2h_busy ? SOFSIM_IPC_BUSY : 0) | ipc->d2h_primary;
		return 0;
	case SOFSIM_IPC_HFIPCXTDA:
		*val = ipc->host_unacked ? SOFSIM_IPC_BUSY : 0;
		return 0;
	case SOFSIM_IPC_HFIPCXIDR:
		*val = (ipc->h2d_busy ? SOFSIM_IPC_BUSY : 0) | ipc->h2d_primary;
		return 0;
	case SOFSIM_IPC_HFIPCXIDA:
		*val = ipc->h2d_done ? SOFSIM_IPC_DONE : 0;
		return 0;
	case SOFSIM_IPC_HFIPCXCTL:
		*val = ipc->host_ctl;
		return 0;
	case SOFSIM_IPC_HFIPCXTDDY:
		*val = ipc->d2h_ext;
		return 0;
	case SOFSIM_IPC_HFIPCXIDDY:
		*val = ipc->h2d_ext;
		return 0;
	default:
		return -EINVAL;
	}
}

static int host_ring(struct sofsim_ipc *ipc, uint32_t val)
{
	if (!(val & SOFSIM_IPC_BUSY))
		return -EINVAL;
	if (ipc->h2d_busy || ipc->h2d_in_flight)
		return -EBUSY;
	ipc->h2d_primary = val & SOFSIM_IPC_PRIMARY_MASK;
	ipc->h2d_busy = ipc->h2d_in_flight = true;
	ipc->h2d_latched = ipc->dsp_acked = ipc->h2d_done = false;
	raise_dsp(ipc, true);
	return 0;
}

/* The host acknowledges the DSP message on its doorbell: DONE for the DSP. */
static int host_ack(struct sofsim_ipc *ipc)
{
	if (!ipc->host_unacked)
		return -EPROTO;
	ipc->host_unacked = false;
	ipc->d2h_done = true;
	raise_dsp(ipc, false);
	return 0;
}

int sofsim_ipc_host_reg_write(struct sofsim_ipc *ipc, uint32_t off, uint32_t val)
{
	sofsim__ipc_trace(ipc, true, off, val);
	switch (off) {
	case SOFSIM_IPC_HFIPCXIDR:
		return host_ring(ipc, val);
	case SOFSIM_IPC_HFIPCXIDDY:
		ipc->h2d_ext = val;
		return 0;
	case SOFSIM_IPC_HFIPCXIDA:
		if (!(val & SOFSIM_IPC_DONE))
			return 0;
		if (!ipc->h2d_done)
			return -EPROTO;
		ipc->h2d_done = ipc->h2d_in_flight = false;
		return 0;
	case SOFSIM_IPC_HFIPCXTDR:
		if (!(val & SOFSIM_IPC_BUSY))
			return 0;
		if (!ipc->d2h_busy)
			return -EPROTO;
		ipc->d2h_busy = false;
		return 0;
	case SOFSIM_IPC_HFIPCXTDA:
		return (val & SOFSIM_IPC_BUSY) ? 0 : host_ack(ipc);
	case SOFSIM_IPC_HFIPCXCTL:
		ipc->host_ctl = val & 3u;
		return 0;
	default:
		return -EINVAL;
	}
}

int sofsim_ipc_dsp_reg_read(struct sofsim_ipc *ipc, uint32_t off, uint32_t *val)
{
	switch (off) {
	case SOFSIM_IPC_DSP_TDR:
		*val = (ipc->h2d_busy ? SOFSIM_IPC_BUSY : 0) | ipc->h2d_primary;
		return 0;
	case SOFSIM_IPC_DSP_TDA:
		*val = ipc->h2d_in_flight && !ipc->dsp_acked ? SOFSIM_IPC_BUSY : 0;
		return 0;
	case SOFSIM_IPC_DSP_TDD:
		*val = ipc->h2d_ext;
		return 0;
	case SOFSIM_IPC_DSP_IDR:
		*val = (ipc->d2h_busy ? SOFSIM_IPC_BUSY : 0) | ipc->d2h_primary;
		return 0;
	case SOFSIM_IPC_DSP_IDA:
		*val = ipc->d2h_done ? SOFSIM_IPC_DONE : 0;
		return 0;
	case SOFSIM_IPC_DSP_IDD:
		*val = ipc->d2h_ext;
		return 0;
	case SOFSIM_IPC_DSP_CTL:
		*val = ipc->dsp_ctl;
		return 0;
	default:
		return -EINVAL;
	}
}

/* The DSP acknowledges the host's request: DONE appears in the host's IDA. */
static int dsp_ack(struct sofsim_ipc *ipc)
{
	if (!ipc->h2d_in_flight || ipc->dsp_acked)
		return -EPROTO;
	ipc->dsp_acked = ipc->h2d_done = true;
	ipc->host->have_done = true;
	sofsim__ipc_host_event(ipc);
	return 0;
}

static int dsp_ring(struct sofsim_ipc *ipc, uint32_t val)
{
	if (!(val & SOFSIM_IPC_BUSY))
		return -EINVAL;
	if (ipc->d2h_busy || ipc->tx_ack_pending)
		return -EBUSY;
	ipc->d2h_primary = val & SOFSIM_IPC_PRIMARY_MASK;
	ipc->d2h_busy = ipc->tx_ack_pending = ipc->host_unacked = true;
	sofsim__ipc_host_receive(ipc);
	return 0;
}

int sofsim_ipc_dsp_reg_write(struct sofsim_ipc *ipc, uint32_t off, uint32_t val)
{
	sofsim__ipc_trace(ipc, false, off, val);
	switch (off) {
	case SOFSIM_IPC_DSP_TDR:
		if (!(val & SOFSIM_IPC_BUSY))
			return 0;
		if (!ipc->h2d_busy)
			return -EPROTO;
		ipc->h2d_busy = false;
		return 0;
	case SOFSIM_IPC_DSP_TDA:
		return (val & SOFSIM_IPC_BUSY) ? 0 : dsp_ack(ipc);
	case SOFSIM_IPC_DSP_IDR:
		return dsp_ring(ipc, val);
	case SOFSIM_IPC_DSP_IDD:
		ipc->d2h_ext = val;
		return 0;
	case SOFSIM_IPC_DSP_IDA:
		if (!(val & SOFSIM_IPC_DONE))
			return 0;
		if (!ipc->d2h_done)
			return -EPROTO;
		ipc->d2h_done = false;
		return 0;
	case SOFSIM_IPC_DSP_CTL:
		ipc->dsp_ctl = val & 3u;
		update_dsp_irq(ipc); /* a cause latched while masked fires now */
		return 0;
	default:
		return -EINVAL;
	}
}

int sofsim_ipc_dsp_done(struct sofsim_ipc *ipc)
{
	if (!ipc->h2d_in_flight || ipc->dsp_acked || ipc->done_deferred)
		return -EPROTO;
	if (ipc->cfg.reply_before_done && !ipc->host->have_reply) {
		ipc->done_deferred = true; /* raised when the reply goes out */
		return 0;
	}
	return sofsim_ipc_dsp_reg_write(ipc, SOFSIM_IPC_DSP_TDA, 0);
}

/* The DSP's IPC interrupt: a doorbell from the host, or the host's DONE for our message. */
static void ipc_isr(void *arg)
{
	struct sofsim_ipc *ipc = arg;

	if (ipc->irq_doorbell && (ipc->dsp_ctl & 1u)) {
		ipc->irq_doorbell = false;
		if (ipc->h2d_busy && !ipc->h2d_latched) {
			uint32_t primary = ipc->h2d_primary, ext = ipc->h2d_ext;

			ipc->h2d_latched = true;
			sofsim_ipc_dsp_reg_write(ipc, SOFSIM_IPC_DSP_TDR, SOFSIM_IPC_BUSY);
			if (ipc->rx)
				ipc->rx(ipc, primary, ext, ipc->rx_arg);
		}
	}
	if (ipc->irq_done && (ipc->dsp_ctl & 2u)) {
		ipc->irq_done = false;
		ipc->tx_ack_pending = false;
		sofsim_ipc_dsp_reg_write(ipc, SOFSIM_IPC_DSP_IDA, SOFSIM_IPC_DONE);
		sofsim__ipc_tx_kick(ipc);
	}
}

int sofsim__ipc_irq_connect(struct sofsim_ipc *ipc)
{
	return sofsim_irq_connect(ipc->sim, SOFSIM_IPC_IRQ, 0, ipc_isr, ipc);
}
