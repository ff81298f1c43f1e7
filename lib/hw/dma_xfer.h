/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What dma.c (devices, channel state machine, syscalls) and dma_xfer.c (the
 * data path) share. Why a private header: the data path needs the channel's
 * stored configuration and state, and the state machine must tell the data
 * path when a channel starts, stops, is reconfigured or released; neither
 * belongs in the public API.
 */
#ifndef SOFSIM_HW_DMA_XFER_H
#define SOFSIM_HW_DMA_XFER_H

#include <stdbool.h>
#include <stdint.h>

#include "sofsim/dma.h"

#include "kernel/syscall_priv.h"

/* Xrun events a device keeps (the first ones; later ones are only counted). */
#define SOFSIM__DMA_XRUNS_KEPT 32u

enum sofsim__dma_chan_state { CH_RELEASED = 0, CH_REQUESTED, CH_CONFIGURED, CH_RUNNING, CH_SUSPENDED };

struct sofsim__dma_xfer; /* dma_xfer.c: a channel's data path, or NULL */

struct sofsim__dma_chan {
	uint8_t state;                   /* enum sofsim__dma_chan_state */
	struct sofsim_dma_config cfg;    /* head points into @blocks */
	struct sofsim_dma_block *blocks; /* the channel's own copy (kernel heap), or NULL */
	uint64_t total_bytes;            /* sum of the block sizes */
	struct sofsim__dma_xfer *xfer;   /* stream parameters given: the data path */
};

struct sofsim_dma {
	struct sofsim__kobj obj; /* first: the device is a kernel object */
	enum sofsim_gateway_kind kind;
	unsigned refs;
	unsigned nch;
	uint64_t nxruns;                                     /* xruns ever recorded */
	struct sofsim_dma_xrun xruns[SOFSIM__DMA_XRUNS_KEPT]; /* the first ones */
	struct sofsim__dma_chan ch[];
};

/* Channel @channel of @dma, or NULL when either is out of range. */
static inline struct sofsim__dma_chan *sofsim__dma_chan_of(struct sofsim_dma *dma, uint32_t channel)
{
	return dma && channel < dma->nch ? &dma->ch[channel] : NULL;
}

/* The device of @kind, or NULL (dma.c). */
struct sofsim_dma *sofsim__dma_find(struct sofsim *sim, unsigned kind);

/* Hooks of the state machine into the data path (dma_xfer.c); all accept a channel without one. */
void sofsim__dma_xfer_configured(struct sofsim__dma_chan *c); /* new buffer: positions restart */
void sofsim__dma_xfer_run(struct sofsim__dma_chan *c, bool run); /* started/resumed, or stopped/suspended */
void sofsim__dma_xfer_reload(struct sofsim__dma_chan *c, uint64_t bytes); /* firmware's side moved @bytes */
/* Fill @st's pending, free, positions and total; false when the channel has no data path. */
bool sofsim__dma_xfer_status(struct sofsim *sim, struct sofsim__dma_chan *c, struct sofsim_dma_status *st);
/* Released channel: timer and state go. @destroying: the context is going and deletes the timer itself. */
void sofsim__dma_xfer_free(struct sofsim *sim, struct sofsim__dma_chan *c, bool destroying);

#endif /* SOFSIM_HW_DMA_XFER_H */
