/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fake DMA devices with SOF's syscall shape (zephyr/syscall/sof_dma.c): one
 * device per gateway kind, each a kernel object (K_OBJ_DRIVER_DMA) that user
 * threads must be granted, and per channel Zephyr's state machine
 *   released -> requested -> configured -> running <-> suspended.
 * Why a kernel object and not SOF's dma_array: the "valid DMA" verifier then
 * is the registry's own check (known, right type, permission), and the
 * device's state lives in the kernel heap where user code cannot reach it
 * (SOF's table is user-writable: bug class 14).
 *
 * This file holds the devices, the channel state and every syscall but the
 * configuration verifier (dma_config.c). The channel keeps its own copy of
 * a configuration; a channel given stream parameters moves data in virtual
 * time (dma_xfer.c), told of every state change through the hooks of
 * dma_xfer.h. Other channels move nothing: their status reports the
 * configured size as free and nothing pending.
 */
#include <errno.h>
#include <string.h>

#include "sofsim/dma.h"

#include "dma_xfer.h"

#define dma_chan sofsim__dma_chan

static void chan_drop_config(struct sofsim *sim, struct dma_chan *c)
{
	if (c->blocks)
		sofsim__kfree(sim, c->blocks);
	c->blocks = NULL;
	memset(&c->cfg, 0, sizeof(c->cfg));
	c->total_bytes = 0;
}

static void dma_release(struct sofsim__kobj *obj)
{
	struct sofsim_dma *dma = (struct sofsim_dma *)obj;

	/* Only sofsim_destroy() deletes a device: it deletes the channels' timers itself. */
	for (unsigned i = 0; i < dma->nch; i++) {
		sofsim__dma_xfer_free(obj->sim, &dma->ch[i], true);
		chan_drop_config(obj->sim, &dma->ch[i]);
	}
	obj->sim->dma[dma->kind] = NULL;
}

/* The device of @kind: a table on the context, since the data path asks every period. */
struct sofsim_dma *sofsim__dma_find(struct sofsim *sim, unsigned kind)
{
	return kind < SOFSIM_GW_COUNT ? sim->dma[kind] : NULL;
}

int sofsim_dma_init(struct sofsim *sim)
{
	struct sofsim_dma *made[SOFSIM_GW_COUNT] = { 0 };

	sofsim__require_supervisor(sim, "sofsim_dma_init");
	if (sofsim__dma_find(sim, 0))
		return 0;
	for (unsigned k = 0; k < SOFSIM_GW_COUNT; k++) {
		unsigned n = sim->plat->dma_channels[k];

		made[k] = sofsim__kobj_new(sim, sizeof(struct sofsim_dma) + n * sizeof(struct dma_chan),
					   SOFSIM_OBJ_DRIVER_DMA, dma_release);
		if (!made[k]) {
			while (k--)
				sofsim__kobj_delete(&made[k]->obj);
			return -ENOMEM;
		}
		made[k]->kind = (enum sofsim_gateway_kind)k;
		made[k]->nch = n;
	}
	memcpy(sim->dma, made, sizeof(made));
	return 0;
}

unsigned sofsim_dma_channel_count(const struct sofsim_dma *dma)
{
	return dma ? dma->nch : 0;
}

/* ---- get / put ---- */

static struct sofsim_dma *impl_get(struct sofsim *sim, unsigned kind, uint32_t flags)
{
	struct sofsim_dma *dma = kind < SOFSIM_GW_COUNT ? sofsim__dma_find(sim, kind) : NULL;

	if (!dma || ((flags & SOFSIM_DMA_ACCESS_EXCLUSIVE) && dma->refs))
		return NULL;
	dma->refs++;
	return dma;
}

static void impl_put(struct sofsim_dma *dma)
{
	if (dma->refs)
		dma->refs--;
}

struct sofsim_dma *sofsim_dma_get(struct sofsim *sim, enum sofsim_gateway_kind kind, uint32_t flags)
{
	if (sofsim__from_user())
		return (struct sofsim_dma *)sofsim__syscall(sim, SOFSIM_SYS_sof_dma_get,
							    SOFSIM_ARGS(SOFSIM_ARG(kind), flags));
	return impl_get(sim, (unsigned)kind, flags);
}

uintptr_t sofsim__mrsh_sof_dma_get(struct sofsim *sim, const uintptr_t *a)
{
	/* SOF looks up first, then drops the reference of a caller without permission. */
	struct sofsim_dma *dma = impl_get(sim, (unsigned)a[0], (uint32_t)a[1]);

	if (dma && sofsim__verifying(sim) && !sofsim_object_has_access(sim, dma, sim->running)) {
		impl_put(dma);
		return 0;
	}
	return (uintptr_t)dma;
}

void sofsim_dma_put(struct sofsim *sim, struct sofsim_dma *dma)
{
	if (sofsim__from_user()) {
		sofsim__syscall(sim, SOFSIM_SYS_sof_dma_put, SOFSIM_ARGS(SOFSIM_ARG(dma)));
		return;
	}
	if (dma)
		impl_put(dma);
}

/* The "valid DMA" check every DMA verifier starts with. */
static void vrfy_dma(struct sofsim *sim, unsigned id, const struct sofsim_dma *dma)
{
	sofsim__vrfy_obj(sim, id, dma, SOFSIM_OBJ_DRIVER_DMA, SOFSIM_KOBJ_MUST_INIT, "dma");
}

uintptr_t sofsim__mrsh_sof_dma_put(struct sofsim *sim, const uintptr_t *a)
{
	struct sofsim_dma *dma = (struct sofsim_dma *)a[0];

	vrfy_dma(sim, SOFSIM_SYS_sof_dma_put, dma);
	sofsim__toctou_point(sim);
	impl_put(dma);
	return 0;
}

/* ---- channels ---- */

static int impl_request(struct sofsim_dma *dma, uint32_t channel)
{
	struct dma_chan *c;

	if (channel == SOFSIM_DMA_CHAN_ANY) {
		for (unsigned i = 0; dma && i < dma->nch; i++) {
			if (dma->ch[i].state == CH_RELEASED) {
				dma->ch[i].state = CH_REQUESTED;
				return (int)i;
			}
		}
		return -EBUSY;
	}
	c = sofsim__dma_chan_of(dma, channel);
	if (!c)
		return -EINVAL;
	if (c->state != CH_RELEASED)
		return -EBUSY;
	c->state = CH_REQUESTED;
	return (int)channel;
}

static int impl_release(struct sofsim *sim, struct sofsim_dma *dma, uint32_t channel)
{
	struct dma_chan *c = sofsim__dma_chan_of(dma, channel);

	if (!c)
		return -EINVAL;
	sofsim__dma_xfer_free(sim, c, false);
	chan_drop_config(sim, c);
	c->state = CH_RELEASED;
	return 0;
}

/*
 * Store a trusted configuration: a copy of exactly block_count blocks, its
 * links rewritten into the copy. From user mode the verifier has already
 * made @cfg a kernel copy without callback; a kernel caller's list is still
 * checked for shape (an error, not a fault).
 */
static int impl_config(struct sofsim *sim, struct sofsim_dma *dma, uint32_t channel,
		       const struct sofsim_dma_config *cfg)
{
	struct dma_chan *c = sofsim__dma_chan_of(dma, channel);
	const struct sofsim_dma_block *src;
	struct sofsim_dma_block *blocks;
	uint64_t total = 0;
	uint32_t n;

	if (!c || !cfg)
		return -EINVAL;
	if (c->state == CH_RUNNING || c->state == CH_SUSPENDED)
		return -EBUSY;
	if (c->state == CH_RELEASED)
		return -EINVAL;
	n = cfg->block_count;
	if (!n || n > UINT32_MAX / sizeof(*blocks) || cfg->direction > SOFSIM_DMA_MEM_TO_HOST ||
	    cfg->direction == SOFSIM_DMA_PERIPH_TO_PERIPH)
		return -EINVAL;
	blocks = sofsim__kzalloc(sim, (size_t)n * sizeof(*blocks));
	if (!blocks)
		return -ENOMEM;
	src = cfg->head;
	for (uint32_t i = 0; i < n; i++) {
		if (!src) {
			sofsim__kfree(sim, blocks);
			return -EINVAL;
		}
		blocks[i] = *src;
		total += src->size;
		src = src->next;
	}
	if (src && src != cfg->head) {
		sofsim__kfree(sim, blocks);
		return -EINVAL;
	}
	for (uint32_t i = 0; i < n; i++)
		blocks[i].next = i + 1 < n ? &blocks[i + 1] : (src ? &blocks[0] : NULL);
	chan_drop_config(sim, c);
	c->cfg = *cfg;
	c->cfg.head = blocks;
	c->blocks = blocks;
	c->total_bytes = total;
	c->state = CH_CONFIGURED;
	sofsim__dma_xfer_configured(c);
	return 0;
}

static int impl_start(struct sofsim_dma *dma, uint32_t channel)
{
	struct dma_chan *c = sofsim__dma_chan_of(dma, channel);

	if (!c)
		return -EINVAL;
	if (c->state == CH_RUNNING)
		return 0;
	if (c->state != CH_CONFIGURED)
		return -EINVAL;
	c->state = CH_RUNNING;
	sofsim__dma_xfer_run(c, true);
	return 0;
}

static int impl_stop(struct sofsim_dma *dma, uint32_t channel)
{
	struct dma_chan *c = sofsim__dma_chan_of(dma, channel);

	if (!c)
		return -EINVAL;
	if (c->state == CH_RUNNING || c->state == CH_SUSPENDED) {
		c->state = CH_CONFIGURED;
		sofsim__dma_xfer_run(c, false);
	}
	return 0; /* stopping a channel that does not run is allowed (Zephyr) */
}

static int impl_reload(struct sofsim_dma *dma, uint32_t channel, size_t size)
{
	struct dma_chan *c = sofsim__dma_chan_of(dma, channel);

	if (!c || c->state < CH_CONFIGURED)
		return -EINVAL;
	sofsim__dma_xfer_reload(c, size); /* the firmware's side of an unpaired DSP buffer */
	return 0;
}

static int impl_suspend(struct sofsim_dma *dma, uint32_t channel)
{
	struct dma_chan *c = sofsim__dma_chan_of(dma, channel);

	if (!c || c->state != CH_RUNNING)
		return -EINVAL;
	c->state = CH_SUSPENDED;
	sofsim__dma_xfer_run(c, false);
	return 0;
}

static int impl_resume(struct sofsim_dma *dma, uint32_t channel)
{
	struct dma_chan *c = sofsim__dma_chan_of(dma, channel);

	if (!c || c->state != CH_SUSPENDED)
		return -EINVAL;
	c->state = CH_RUNNING;
	sofsim__dma_xfer_run(c, true);
	return 0;
}

static int impl_status(struct sofsim *sim, struct sofsim_dma *dma, uint32_t channel, struct sofsim_dma_status *stat)
{
	struct dma_chan *c = sofsim__dma_chan_of(dma, channel);

	if (!c || c->state == CH_RELEASED || !stat)
		return -EINVAL;
	memset(stat, 0, sizeof(*stat));
	stat->busy = c->state == CH_RUNNING;
	if (sofsim__dma_xfer_status(sim, c, stat))
		return 0;
	/* A channel without a data path: the whole configured buffer is free, nothing pending. */
	stat->free = c->total_bytes > UINT32_MAX ? UINT32_MAX : (uint32_t)c->total_bytes;
	return 0;
}

/* Values of Zephyr's Intel ADSP HDA driver (the alignment SOF's DMA test reads is 128). */
static int impl_attribute(uint32_t type, uint32_t *value)
{
	static const uint32_t attr[] = {
		[SOFSIM_DMA_ATTR_BUFFER_ADDRESS_ALIGNMENT] = 128,
		[SOFSIM_DMA_ATTR_BUFFER_SIZE_ALIGNMENT] = 32,
		[SOFSIM_DMA_ATTR_COPY_ALIGNMENT] = 32,
		[SOFSIM_DMA_ATTR_MAX_BLOCK_COUNT] = 1,
	};

	if (type >= sizeof(attr) / sizeof(attr[0]) || !value)
		return -EINVAL;
	*value = attr[type];
	return 0;
}

/* A channel syscall: public function, and a marshaller that checks only "valid DMA". */
#define DMA_CHAN_SYSCALL(name, fn, call)                                                              \
	int sofsim_dma_##name(struct sofsim *sim, struct sofsim_dma *dma, uint32_t channel)            \
	{                                                                                             \
		if (sofsim__from_user())                                                              \
			return (int)sofsim__syscall(sim, SOFSIM_SYS_sof_dma_##fn,                     \
						    SOFSIM_ARGS(SOFSIM_ARG(dma), channel));           \
		return call;                                                                          \
	}                                                                                             \
	uintptr_t sofsim__mrsh_sof_dma_##fn(struct sofsim *sim, const uintptr_t *a)                   \
	{                                                                                             \
		struct sofsim_dma *dma = (struct sofsim_dma *)a[0];                                   \
		uint32_t channel = (uint32_t)a[1];                                                    \
                                                                                                      \
		vrfy_dma(sim, SOFSIM_SYS_sof_dma_##fn, dma);                                          \
		sofsim__toctou_point(sim);                                                            \
		return (uintptr_t)(call);                                                             \
	}

DMA_CHAN_SYSCALL(request_channel, request_channel, impl_request(dma, channel))
DMA_CHAN_SYSCALL(release_channel, release_channel, impl_release(sim, dma, channel))
DMA_CHAN_SYSCALL(start, start, impl_start(dma, channel))
DMA_CHAN_SYSCALL(stop, stop, impl_stop(dma, channel))
DMA_CHAN_SYSCALL(suspend, suspend, impl_suspend(dma, channel))
DMA_CHAN_SYSCALL(resume, resume, impl_resume(dma, channel))

int sofsim_dma_reload(struct sofsim *sim, struct sofsim_dma *dma, uint32_t channel, uintptr_t src, uintptr_t dst,
		      size_t size)
{
	if (sofsim__from_user())
		return (int)sofsim__syscall(sim, SOFSIM_SYS_sof_dma_reload,
					    SOFSIM_ARGS(SOFSIM_ARG(dma), channel, src, dst, size));
	return impl_reload(dma, channel, size);
}

uintptr_t sofsim__mrsh_sof_dma_reload(struct sofsim *sim, const uintptr_t *a)
{
	struct sofsim_dma *dma = (struct sofsim_dma *)a[0];

	vrfy_dma(sim, SOFSIM_SYS_sof_dma_reload, dma);
	sofsim__toctou_point(sim);
	return (uintptr_t)impl_reload(dma, (uint32_t)a[1], (size_t)a[4]);
}

/*
 * The configuration's public entry. From user mode the gate runs the
 * deep-copy verifier (dma_config.c), which calls back here with kernel
 * rights and its kernel copy.
 */
int sofsim_dma_config(struct sofsim *sim, struct sofsim_dma *dma, uint32_t channel,
		      const struct sofsim_dma_config *cfg)
{
	if (sofsim__from_user())
		return (int)sofsim__syscall(sim, SOFSIM_SYS_sof_dma_config,
					    SOFSIM_ARGS(SOFSIM_ARG(dma), channel, SOFSIM_ARG(cfg)));
	return impl_config(sim, dma, channel, cfg);
}

int sofsim_dma_get_status(struct sofsim *sim, struct sofsim_dma *dma, uint32_t channel,
			  struct sofsim_dma_status *stat)
{
	if (sofsim__from_user())
		return (int)sofsim__syscall(sim, SOFSIM_SYS_sof_dma_get_status,
					    SOFSIM_ARGS(SOFSIM_ARG(dma), channel, SOFSIM_ARG(stat)));
	return impl_status(sim, dma, channel, stat);
}

uintptr_t sofsim__mrsh_sof_dma_get_status(struct sofsim *sim, const uintptr_t *a)
{
	struct sofsim_dma *dma = (struct sofsim_dma *)a[0];
	struct sofsim_dma_status *stat = (struct sofsim_dma_status *)a[2];

	vrfy_dma(sim, SOFSIM_SYS_sof_dma_get_status, dma);
	if (sofsim__verifying(sim))
		sofsim__vrfy_write(sim, SOFSIM_SYS_sof_dma_get_status, stat, sizeof(*stat), "stat");
	sofsim__toctou_point(sim);
	return (uintptr_t)impl_status(sim, dma, (uint32_t)a[1], stat);
}

int sofsim_dma_get_attribute(struct sofsim *sim, struct sofsim_dma *dma, uint32_t type, uint32_t *value)
{
	if (sofsim__from_user())
		return (int)sofsim__syscall(sim, SOFSIM_SYS_sof_dma_get_attribute,
					    SOFSIM_ARGS(SOFSIM_ARG(dma), type, SOFSIM_ARG(value)));
	return impl_attribute(type, value);
}

uintptr_t sofsim__mrsh_sof_dma_get_attribute(struct sofsim *sim, const uintptr_t *a)
{
	struct sofsim_dma *dma = (struct sofsim_dma *)a[0];
	uint32_t *value = (uint32_t *)a[2];

	vrfy_dma(sim, SOFSIM_SYS_sof_dma_get_attribute, dma);
	if (sofsim__verifying(sim))
		sofsim__vrfy_write(sim, SOFSIM_SYS_sof_dma_get_attribute, value, sizeof(*value), "value");
	sofsim__toctou_point(sim);
	return (uintptr_t)impl_attribute((uint32_t)a[1], value);
}

int sofsim_dma_channel_config(struct sofsim *sim, struct sofsim_dma *dma, uint32_t channel,
			      struct sofsim_dma_config *out)
{
	struct dma_chan *c;

	sofsim__require_supervisor(sim, "sofsim_dma_channel_config");
	c = sofsim__dma_chan_of(dma, channel);
	if (!c || c->state < CH_CONFIGURED || !out)
		return -EINVAL;
	*out = c->cfg;
	return 0;
}
