/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DMA data path: frames move in virtual time at the stream rate, one
 * period per timer interrupt, between a channel's DSP ring (its cyclic block
 * list) and the host buffer (host channels) or the DAI back end (link
 * channels). Why a timer per channel and exact frame arithmetic: positions
 * a firmware reads must equal rate × t within one period for any duration
 * (44.1 kHz at 1 ms is 44.1 frames: a fixed period size would drift), and
 * xruns must show at the virtual time the period found them.
 *
 * The DSP ring's fill is not stored: it is the producer's total minus the
 * consumer's total, the producer and consumer being this channel and its
 * partner (the configured channel on any DMA device whose DSP ring has the
 * same base and size, found each period, so a released partner simply
 * disappears) or, without one, the bytes the firmware announced with
 * sofsim_dma_reload(). Host channels use the same offsets on both sides of
 * a block: the host buffer has the DSP ring's shape and is never full or
 * empty (the host keeps it fed; host-side xruns are ALSA's business).
 */
#include <errno.h>
#include <string.h>

#include "sofsim/dma.h"
#include "sofsim/kernel.h"
#include "sofsim/sim.h"

#include "dai_priv.h"
#include "dma_xfer.h"

struct sofsim__dma_xfer {
	struct sofsim *sim;
	struct sofsim_dma *dma;
	uint32_t channel;
	struct sofsim__dma_chan *c;
	struct sofsim_timer *timer;  /* period timer, core 0 */
	struct sofsim_dai_backend *be; /* link channels; not owned */
	uint32_t rate, frame_bytes;
	uint64_t ticks;  /* periods elapsed since configured (or given parameters) */
	uint64_t total;  /* DSP-side bytes this channel moved */
	uint64_t credit; /* firmware's side of an unpaired ring (sofsim_dma_reload) */
	uint8_t *bounce; /* one period of frames, for the back end */
	size_t bounce_bytes;
};

static bool producer(uint32_t dir)
{
	return dir == SOFSIM_DMA_HOST_TO_MEM || dir == SOFSIM_DMA_PERIPH_TO_MEM;
}

static bool consumer(uint32_t dir)
{
	return dir == SOFSIM_DMA_MEM_TO_HOST || dir == SOFSIM_DMA_MEM_TO_PERIPH;
}

static bool link_dir(uint32_t dir)
{
	return dir == SOFSIM_DMA_MEM_TO_PERIPH || dir == SOFSIM_DMA_PERIPH_TO_MEM;
}

/* The DSP-side address of a block (the other side is the host or the FIFO). */
static uintptr_t dsp_addr(uint32_t dir, const struct sofsim_dma_block *b)
{
	return producer(dir) ? b->dest : b->source;
}

static bool has_path(const struct sofsim__dma_chan *c)
{
	return c->xfer && c->state >= CH_CONFIGURED && c->blocks && c->total_bytes &&
	       (producer(c->cfg.direction) || consumer(c->cfg.direction));
}

/* The configured channel sharing @c's DSP ring from the other end, or NULL. */
static struct sofsim__dma_chan *partner(struct sofsim *sim, const struct sofsim__dma_chan *c)
{
	uintptr_t base = dsp_addr(c->cfg.direction, c->blocks);

	for (unsigned k = 0; k < SOFSIM_GW_COUNT; k++) {
		struct sofsim_dma *d = sofsim__dma_find(sim, k);

		for (unsigned i = 0; d && i < d->nch; i++) {
			struct sofsim__dma_chan *o = &d->ch[i];

			if (o != c && has_path(o) && producer(o->cfg.direction) != producer(c->cfg.direction) &&
			    o->total_bytes == c->total_bytes && dsp_addr(o->cfg.direction, o->blocks) == base)
				return o;
		}
	}
	return NULL;
}

/* Producer and consumer totals of @c's DSP ring; returns its fill, clamped to [0, size]. */
static uint64_t ring_fill(struct sofsim *sim, const struct sofsim__dma_chan *c, uint64_t *prod, uint64_t *cons)
{
	const struct sofsim__dma_xfer *x = c->xfer;
	const struct sofsim__dma_chan *o = partner(sim, c);
	uint64_t other = o ? o->xfer->total : x->credit;

	*prod = producer(c->cfg.direction) ? x->total : other;
	*cons = producer(c->cfg.direction) ? other : x->total;
	if (*prod <= *cons)
		return 0;
	return *prod - *cons > c->total_bytes ? c->total_bytes : *prod - *cons;
}

/*
 * Walk @n bytes of the ring from offset @pos (wrapping). For each piece:
 * to_ring: bounce → DSP; !to_ring: DSP → bounce; bounce NULL (host channel):
 * between the DSP side and the host side of the same block, in the
 * channel's direction.
 */
static void ring_move(const struct sofsim__dma_chan *c, uint64_t pos, uint8_t *bounce, uint64_t n, bool to_ring)
{
	const struct sofsim_dma_block *b = c->blocks;
	uint32_t dir = c->cfg.direction;
	uint64_t off = pos % c->total_bytes;

	while (off >= b->size) {
		off -= b->size;
		b = b->next;
	}
	while (n) {
		uint64_t len = b->size - off < n ? b->size - off : n;
		uint8_t *dsp = (uint8_t *)dsp_addr(dir, b) + off;

		if (!bounce) {
			if (dir == SOFSIM_DMA_HOST_TO_MEM)
				memmove(dsp, (const uint8_t *)b->source + off, (size_t)len);
			else
				memmove((uint8_t *)b->dest + off, dsp, (size_t)len);
		} else if (to_ring) {
			memcpy(dsp, bounce, (size_t)len);
			bounce += len;
		} else {
			memcpy(bounce, dsp, (size_t)len);
			bounce += len;
		}
		n -= len;
		off = 0;
		b = b->next ? b->next : c->blocks;
	}
}

static void xrun(struct sofsim__dma_xfer *x, bool underrun, uint64_t short_by)
{
	struct sofsim_dma *d = x->dma;

	if (d->nxruns < SOFSIM__DMA_XRUNS_KEPT) {
		struct sofsim_dma_xrun *e = &d->xruns[d->nxruns];

		e->time_ns = sofsim_now(x->sim);
		e->channel = x->channel;
		e->direction = x->c->cfg.direction;
		e->underrun = underrun;
		e->short_by = short_by > UINT32_MAX ? UINT32_MAX : (uint32_t)short_by;
	}
	d->nxruns++;
}

/* One period, in ISR context. */
static void period(struct sofsim_timer *timer, void *arg)
{
	struct sofsim__dma_xfer *x = arg;
	struct sofsim__dma_chan *c = x->c;
	uint32_t dir = c->cfg.direction;
	uint64_t frames, want, n, fill, prod, cons;
	bool lnk = link_dir(dir);

	(void)timer;
	if (c->state != CH_RUNNING || !has_path(c))
		return;
	frames = sofsim_frames_in(x->rate, (x->ticks + 1) * SOFSIM_DMA_PERIOD_NS) -
		 sofsim_frames_in(x->rate, x->ticks * SOFSIM_DMA_PERIOD_NS);
	x->ticks++;
	want = frames * x->frame_bytes;
	fill = ring_fill(x->sim, c, &prod, &cons);
	if (producer(dir)) {
		n = c->total_bytes - fill < want ? c->total_bytes - fill : want;
		n -= n % x->frame_bytes;
		if (lnk) {
			if (x->be)
				sofsim_dai_backend_read(x->be, x->bounce, (uint32_t)frames);
			else
				memset(x->bounce, 0, (size_t)want);
		}
		ring_move(c, prod, lnk ? x->bounce : NULL, n, true);
	} else {
		n = fill < want ? fill : want;
		n -= n % x->frame_bytes;
		if (lnk) {
			ring_move(c, cons, x->bounce, n, false);
			memset(x->bounce + n, 0, (size_t)(want - n)); /* underrun: the DAI plays silence */
			if (x->be)
				sofsim_dai_backend_write(x->be, x->bounce, (uint32_t)frames);
		} else {
			ring_move(c, cons, NULL, n, false);
		}
	}
	x->total += n;
	if (n < want)
		xrun(x, consumer(dir), want - n);
}

void sofsim__dma_xfer_configured(struct sofsim__dma_chan *c)
{
	if (!c->xfer)
		return;
	c->xfer->ticks = 0;
	c->xfer->total = 0;
	c->xfer->credit = 0;
}

void sofsim__dma_xfer_run(struct sofsim__dma_chan *c, bool run)
{
	if (!c->xfer)
		return;
	if (run)
		sofsim_timer_start(c->xfer->timer, SOFSIM_DMA_PERIOD_NS, SOFSIM_DMA_PERIOD_NS);
	else
		sofsim_timer_stop(c->xfer->timer);
}

void sofsim__dma_xfer_reload(struct sofsim__dma_chan *c, uint64_t bytes)
{
	if (c->xfer)
		c->xfer->credit += bytes;
}

bool sofsim__dma_xfer_status(struct sofsim *sim, struct sofsim__dma_chan *c, struct sofsim_dma_status *st)
{
	uint64_t fill, prod, cons;

	if (!has_path(c))
		return false;
	fill = ring_fill(sim, c, &prod, &cons);
	st->pending = (uint32_t)fill; /* fill <= ring size, which the verifier keeps in 32 bits */
	st->free = (uint32_t)(c->total_bytes - fill);
	st->read_pos = (uint32_t)(cons % c->total_bytes);
	st->write_pos = (uint32_t)(prod % c->total_bytes);
	st->total_copied = c->xfer->total;
	return true;
}

void sofsim__dma_xfer_free(struct sofsim *sim, struct sofsim__dma_chan *c, bool destroying)
{
	struct sofsim__dma_xfer *x = c->xfer;

	if (!x)
		return;
	if (!destroying)
		sofsim_timer_destroy(x->timer);
	sofsim__kfree(sim, x->bounce);
	sofsim__kfree(sim, x);
	c->xfer = NULL;
}

int sofsim_dma_channel_stream(struct sofsim *sim, struct sofsim_dma *dma, uint32_t channel,
			      const struct sofsim_pcm_params *p)
{
	struct sofsim__dma_chan *c;
	struct sofsim__dma_xfer *x;
	uint32_t fb;
	size_t bounce;
	uint8_t *nb;

	sofsim__require_supervisor(sim, "sofsim_dma_channel_stream");
	c = sofsim__dma_chan_of(dma, channel);
	if (!c || c->state == CH_RELEASED || c->state == CH_RUNNING || c->state == CH_SUSPENDED || !p ||
	    sofsim_pcm_params_check(p, NULL, 0))
		return -EINVAL;
	fb = sofsim_pcm_frame_bytes(p);
	x = c->xfer;
	if (x && x->be && x->be->frame_bytes != fb)
		return -EINVAL;
	bounce = (size_t)(sofsim_frames_in(p->rate_hz, SOFSIM_DMA_PERIOD_NS) + 1) * fb;
	if (!x) {
		x = sofsim__kzalloc(sim, sizeof(*x));
		if (!x)
			return -ENOMEM;
		if (sofsim_timer_create(sim, 0, period, x, &x->timer)) {
			sofsim__kfree(sim, x);
			return -ENOMEM;
		}
		x->sim = sim;
		x->dma = dma;
		x->channel = channel;
		x->c = c;
		c->xfer = x;
	}
	if (bounce != x->bounce_bytes) {
		nb = sofsim__kzalloc(sim, bounce);
		if (!nb)
			return -ENOMEM;
		sofsim__kfree(sim, x->bounce);
		x->bounce = nb;
		x->bounce_bytes = bounce;
	}
	x->rate = p->rate_hz;
	x->frame_bytes = fb;
	sofsim__dma_xfer_configured(c);
	return 0;
}

int sofsim_dma_channel_dai(struct sofsim *sim, struct sofsim_dma *dma, uint32_t channel,
			   struct sofsim_dai_backend *be)
{
	struct sofsim__dma_chan *c;

	sofsim__require_supervisor(sim, "sofsim_dma_channel_dai");
	c = sofsim__dma_chan_of(dma, channel);
	if (!c || !c->xfer || c->state == CH_RUNNING || c->state == CH_SUSPENDED ||
	    (be && be->frame_bytes != c->xfer->frame_bytes))
		return -EINVAL;
	c->xfer->be = be;
	return 0;
}

uint64_t sofsim_dma_xruns(struct sofsim *sim, const struct sofsim_dma *dma, struct sofsim_dma_xrun *out, size_t max)
{
	uint64_t kept;

	sofsim__require_supervisor(sim, "sofsim_dma_xruns");
	if (!dma)
		return 0;
	kept = dma->nxruns < SOFSIM__DMA_XRUNS_KEPT ? dma->nxruns : SOFSIM__DMA_XRUNS_KEPT;
	for (uint64_t i = 0; out && i < kept && i < max; i++)
		out[i] = dma->xruns[i];
	return dma->nxruns;
}
