/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IPC block's life and the DSP's way out: creation (windows in the DSP
 * arena, the doorbell interrupt, SOF's ipc_send_wq), the TX queue drained
 * every 100 µs while the doorbell is free and the previous message was
 * acknowledged, the emergency path, and the EXCEPTION_CAUGHT notice the DSP
 * sends before it halts.
 */
#include <errno.h>
#include <string.h>

#include "sofsim/mem.h"

#include "hw/ipc_priv.h"

static struct sofsim_ipc *of_work(struct sofsim_work *w)
{
	return SOFSIM_CONTAINER_OF(w, struct sofsim_ipc, send_work.work);
}

int sofsim__ipc_dsp_ring(struct sofsim_ipc *ipc, uint32_t primary, uint32_t ext, const void *data, uint32_t size)
{
	if (ipc->d2h_busy || ipc->tx_ack_pending)
		return -EBUSY;
	if (size)
		memcpy(ipc->win0 + SOFSIM_PAGE_BYTES, data, size);
	sofsim__evlog_add(ipc->sim, SOFSIM_EV_IPC_MBOX, SOFSIM_IPC_WIN_OUTBOX, size);
	ipc->d2h_size = size;
	sofsim_ipc_dsp_reg_write(ipc, SOFSIM_IPC_DSP_IDD, ext);
	return sofsim_ipc_dsp_reg_write(ipc, SOFSIM_IPC_DSP_IDR, primary | SOFSIM_IPC_BUSY);
}

static void send_head(struct sofsim_work *w)
{
	struct sofsim_ipc *ipc = of_work(w);
	struct sofsim__ipc_tx *m;

	if (sofsim_list_empty(&ipc->txq))
		return;
	m = SOFSIM_CONTAINER_OF(ipc->txq.next, struct sofsim__ipc_tx, node);
	if (!ipc->emergency_pending && sofsim__ipc_dsp_ring(ipc, m->primary, m->ext, m->data, m->size) == 0) {
		sofsim_list_remove(&m->node);
		ipc->queued--;
		sofsim__kfree(ipc->sim, m);
	}
	if (!sofsim_list_empty(&ipc->txq))
		sofsim_work_schedule(ipc->wq, &ipc->send_work, SOFSIM_IPC_TX_PERIOD_NS);
}

void sofsim__ipc_tx_kick(struct sofsim_ipc *ipc)
{
	if (ipc->emergency_pending && sofsim__ipc_dsp_ring(ipc, ipc->em_primary, ipc->em_ext, NULL, 0) == 0)
		ipc->emergency_pending = false;
	if (!sofsim_list_empty(&ipc->txq))
		sofsim_work_schedule(ipc->wq, &ipc->send_work, SOFSIM_IPC_TX_PERIOD_NS);
}

int sofsim_ipc_dsp_send(struct sofsim_ipc *ipc, uint32_t primary, uint32_t ext, const void *data, uint32_t size,
			bool high_priority)
{
	struct sofsim__ipc_tx *m;

	if (size > ipc->outbox_bytes || (size && !data))
		return -EINVAL;
	m = sofsim__kzalloc(ipc->sim, sizeof(*m) + size);
	if (!m)
		return -ENOMEM;
	m->primary = primary & SOFSIM_IPC_PRIMARY_MASK;
	m->ext = ext;
	m->size = size;
	if (size)
		memcpy(m->data, data, size);
	if (high_priority)
		sofsim_list_insert_before(ipc->txq.next, &m->node); /* list prepend, as SOF does for replies */
	else
		sofsim_list_append(&ipc->txq, &m->node);
	ipc->queued++;
	sofsim_work_schedule(ipc->wq, &ipc->send_work, SOFSIM_IPC_TX_PERIOD_NS);
	return 0;
}

int sofsim_ipc_dsp_send_emergency(struct sofsim_ipc *ipc, uint32_t primary, uint32_t ext)
{
	if (sofsim__ipc_dsp_ring(ipc, primary, ext, NULL, 0) == 0)
		return 0;
	ipc->emergency_pending = true;
	ipc->em_primary = primary & SOFSIM_IPC_PRIMARY_MASK;
	ipc->em_ext = ext;
	return 0;
}

unsigned sofsim_ipc_dsp_queued(const struct sofsim_ipc *ipc)
{
	return ipc->queued;
}

/* SOF's fatal handler: tell the host, then the DSP halts (ABI §1.5). */
static void on_halt(struct sofsim *sim, void *arg, unsigned core)
{
	(void)sim;
	sofsim_ipc_dsp_send_emergency(arg, SOFSIM_IPC4_EXCEPTION_CAUGHT, core);
}

static int map_windows(struct sofsim_ipc *ipc)
{
	const struct sofsim_platform *plat = ipc->sim->plat;
	struct sofsim_fw_regs *regs;
	void *p;
	int ret;

	ipc->win0_bytes = plat->window0_bytes;
	ipc->outbox_bytes = plat->outbox_bytes;
	ipc->inbox_bytes = plat->inbox_bytes;
	ret = sofsim_arena_take(ipc->sim, SOFSIM_ARENA_DSP, ipc->win0_bytes, &p);
	if (ret)
		return ret;
	ipc->win0 = p;
	ret = sofsim_arena_take(ipc->sim, SOFSIM_ARENA_DSP, ipc->inbox_bytes, &p);
	if (ret) {
		sofsim_arena_give(ipc->sim, ipc->win0, ipc->win0_bytes);
		return ret;
	}
	ipc->inbox = p;
	memset(ipc->win0, 0, ipc->win0_bytes);
	memset(ipc->inbox, 0, ipc->inbox_bytes);
	regs = (struct sofsim_fw_regs *)ipc->win0;
	regs->abi_ver = 1; /* Linux turns off delay reporting below 1 (ABI §10) */
	memset(regs->pipeline_regs, 0xff, sizeof(regs->pipeline_regs)); /* "invalid" until a stream starts */
	return 0;
}

static void unmap_windows(struct sofsim_ipc *ipc)
{
	sofsim_arena_give(ipc->sim, ipc->inbox, ipc->inbox_bytes);
	sofsim_arena_give(ipc->sim, ipc->win0, ipc->win0_bytes);
}

int sofsim_ipc_create(struct sofsim *sim, const struct sofsim_ipc_config *cfg, sofsim_ipc_rx_fn rx, void *arg,
		      struct sofsim_ipc **out)
{
	struct sofsim_ipc *ipc;
	int ret;

	sofsim__require_supervisor(sim, "sofsim_ipc_create");
	if (!out)
		return -EINVAL;
	if (sim->halt_hook)
		return -EBUSY;
	ipc = sofsim__kzalloc(sim, sizeof(*ipc));
	if (!ipc)
		return -ENOMEM;
	ipc->sim = sim;
	ipc->cfg = cfg ? *cfg : (struct sofsim_ipc_config){ 0 };
	ipc->rx = rx;
	ipc->rx_arg = arg;
	ipc->host_ctl = ipc->dsp_ctl = 3u;
	sofsim_list_init(&ipc->txq);
	ipc->host_pages = (sizeof(*ipc->host) + SOFSIM_PAGE_BYTES - 1) & ~(size_t)(SOFSIM_PAGE_BYTES - 1);
	ret = sofsim_arena_take(sim, SOFSIM_ARENA_HOST, ipc->host_pages, (void **)&ipc->host);
	if (ret)
		goto err_host;
	memset(ipc->host, 0, sizeof(*ipc->host));
	ret = map_windows(ipc);
	if (ret)
		goto err_windows;
	ret = sofsim_work_delayable_init(sim, &ipc->send_work, send_head);
	if (ret)
		goto err_work;
	ret = sofsim_workq_create(sim, "ipc_send_wq", 1, 0, &ipc->wq);
	if (ret)
		goto err_wq;
	ret = sofsim__ipc_irq_connect(ipc);
	if (ret)
		goto err_irq;
	sofsim__set_halt_hook(sim, on_halt, ipc);
	*out = ipc;
	return 0;

err_irq:
	sofsim_workq_destroy(ipc->wq);
err_wq:
	sofsim_work_delayable_deinit(&ipc->send_work);
err_work:
	unmap_windows(ipc);
err_windows:
	sofsim_arena_give(sim, ipc->host, ipc->host_pages);
err_host:
	sofsim__kfree(sim, ipc);
	return ret;
}

void sofsim_ipc_destroy(struct sofsim_ipc *ipc)
{
	struct sofsim *sim;
	struct sofsim_list *pos, *tmp;

	if (!ipc)
		return;
	sim = ipc->sim;
	sofsim__set_halt_hook(sim, NULL, NULL);
	sofsim_irq_disconnect(sim, SOFSIM_IPC_IRQ);
	sofsim_workq_destroy(ipc->wq);
	sofsim_work_delayable_deinit(&ipc->send_work);
	sofsim_list_for_each_safe(pos, tmp, &ipc->txq) {
		sofsim_list_remove(pos);
		sofsim__kfree(sim, SOFSIM_CONTAINER_OF(pos, struct sofsim__ipc_tx, node));
	}
	unmap_windows(ipc);
	sofsim_arena_give(sim, ipc->host, ipc->host_pages);
	sofsim__kfree(sim, ipc);
}
