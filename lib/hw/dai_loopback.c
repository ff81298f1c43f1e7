/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The loopback back end: what one DAI plays, another captures, `delay`
 * frames later, as a codec's internal loopback or a cable does. Two ends
 * opened under one name form a pair that shares a FIFO ring of frames.
 * Pairs are found by name in a registry the caller owns (one per context,
 * usually the DMA engine's), so nothing here is process-global. The
 * registry, the pairs and their rings all live in the context's kernel
 * heap, i.e. in the arena.
 *
 * Counters are absolute frame numbers: frame k of the stream sits in ring
 * slot k mod cap; `written` - `taken` frames wait in the ring.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "hw/dai_priv.h"
#include "kernel/list.h"

#define NAME_BYTES 64u

struct sofsim_dai_loopbacks {
	struct sofsim *sim;
	struct sofsim_list pairs;
};

struct pair {
	struct sofsim_list node; /* in lbs->pairs; self-linked once the registry is gone */
	struct sofsim_dai_backend *ends[2]; /* by enum sofsim_dai_dir */
	struct sofsim_pcm_params p;
	uint32_t frame_bytes;
	uint64_t delay, cap; /* frames */
	uint64_t written, taken, underruns, overruns;
	uint8_t *ring;       /* cap frames */
	char name[NAME_BYTES];
};

int sofsim_dai_loopbacks_create(struct sofsim *sim, struct sofsim_dai_loopbacks **out)
{
	struct sofsim_dai_loopbacks *lbs;

	if (!sim || !out)
		return -EINVAL;
	*out = NULL;
	lbs = sofsim__dai_zalloc(sim, sizeof(*lbs));
	if (!lbs)
		return -ENOMEM;
	lbs->sim = sim;
	sofsim_list_init(&lbs->pairs);
	*out = lbs;
	return 0;
}

void sofsim_dai_loopbacks_destroy(struct sofsim_dai_loopbacks *lbs)
{
	struct sofsim_list *pos, *tmp;

	if (!lbs)
		return;
	/* Pairs with an open end outlive the registry; their last end frees them. */
	sofsim_list_for_each_safe(pos, tmp, &lbs->pairs)
		sofsim_list_remove(pos);
	sofsim__dai_free(lbs->sim, lbs);
}

/* ---- the ring ---- */

/* Put @n frames (NULL: silence) into the ring from absolute frame @at, wrapping. */
static void ring_put(struct pair *pr, uint64_t at, const uint8_t *src, uint64_t n)
{
	while (n) {
		uint64_t slot = at % pr->cap, run = pr->cap - slot < n ? pr->cap - slot : n;
		size_t bytes = (size_t)run * pr->frame_bytes;

		if (src) {
			memcpy(pr->ring + slot * pr->frame_bytes, src, bytes);
			src += bytes;
		} else {
			memset(pr->ring + slot * pr->frame_bytes, 0, bytes);
		}
		at += run;
		n -= run;
	}
}

/* Take @n frames out of the ring from absolute frame @at, wrapping. */
static void ring_get(const struct pair *pr, uint64_t at, uint8_t *dst, uint64_t n)
{
	while (n) {
		uint64_t slot = at % pr->cap, run = pr->cap - slot < n ? pr->cap - slot : n;
		size_t bytes = (size_t)run * pr->frame_bytes;

		memcpy(dst, pr->ring + slot * pr->frame_bytes, bytes);
		dst += bytes;
		at += run;
		n -= run;
	}
}

/* FNV-1a over the frames waiting in the ring (what a restore must find again). */
static uint64_t ring_hash(const struct pair *pr, uint64_t taken, uint64_t written)
{
	uint64_t h = 0xcbf29ce484222325u;

	for (uint64_t k = taken; k < written; k++) {
		const uint8_t *r = pr->ring + (k % pr->cap) * pr->frame_bytes;

		for (uint32_t i = 0; i < pr->frame_bytes; i++)
			h = (h ^ r[i]) * 0x100000001b3u;
	}
	return h;
}

/* A capture end starts listening: the ring restarts with `delay` frames of silence. */
static void capture_joins(struct pair *pr)
{
	pr->taken = pr->written;
	ring_put(pr, pr->written, NULL, pr->delay);
	pr->written += pr->delay;
}

/* ---- opening ---- */

static int parse(struct sofsim_dai_backend *be, const char *arg, char *name, bool *has_delay, uint64_t *delay,
		 char *why, size_t why_len)
{
	size_t n = strcspn(arg, ",");
	const char *opt = arg + n;

	if (n == 0)
		return sofsim__dai_msg(why, why_len, -EINVAL,
				       "loopback: no name given; want loopback:<name>[,delay=<frames>]");
	if (n >= NAME_BYTES)
		return sofsim__dai_msg(why, why_len, -EINVAL, "%s: name longer than %u characters", be->spec,
				       NAME_BYTES - 1);
	memcpy(name, arg, n);
	name[n] = '\0';
	*has_delay = false;
	*delay = 0;
	if (!*opt)
		return 0;
	if (strncmp(opt, ",delay=", 7) == 0 && opt[7] >= '0' && opt[7] <= '9') {
		const char *d = opt + 7;
		uint64_t v = 0;

		for (; *d >= '0' && *d <= '9'; d++)
			if (v <= be->p.rate_hz) /* past the limit it only has to stay past it */
				v = v * 10 + (uint64_t)(*d - '0');
		if (!*d && v > be->p.rate_hz)
			return sofsim__dai_msg(why, why_len, -EINVAL, "%s: delay longer than one second (%u frames)",
					       be->spec, be->p.rate_hz);
		if (!*d) {
			*has_delay = true;
			*delay = v;
			return 0;
		}
	}
	return sofsim__dai_msg(why, why_len, -EINVAL, "%s: bad option '%s'; want ,delay=<frames>", be->spec, opt + 1);
}

static struct pair *find(struct sofsim_dai_loopbacks *lbs, const char *name)
{
	struct sofsim_list *pos;

	sofsim_list_for_each(pos, &lbs->pairs) {
		struct pair *pr = SOFSIM_CONTAINER_OF(pos, struct pair, node);

		if (strcmp(pr->name, name) == 0)
			return pr;
	}
	return NULL;
}

static int pair_new(struct sofsim_dai_backend *be, const char *name, uint64_t delay, struct pair **out, char *why,
		    size_t why_len)
{
	struct pair *pr = sofsim__dai_zalloc(be->sim, sizeof(*pr));
	size_t ring_bytes;

	if (!pr)
		return sofsim__dai_msg(why, why_len, -ENOMEM, "%s: out of kernel heap", be->spec);
	pr->p = be->p;
	pr->frame_bytes = be->frame_bytes;
	pr->delay = delay;
	pr->cap = delay + (be->p.rate_hz + 49) / 50; /* + 20 ms */
	ring_bytes = (size_t)pr->cap * pr->frame_bytes;
	pr->ring = sofsim__dai_zalloc(be->sim, ring_bytes);
	if (!pr->ring) {
		sofsim__dai_free(be->sim, pr);
		return sofsim__dai_msg(why, why_len, -ENOMEM, "%s: out of kernel heap for a ring of %zu bytes",
				       be->spec, ring_bytes);
	}
	snprintf(pr->name, sizeof(pr->name), "%s", name);
	sofsim_list_append(&be->lbs->pairs, &pr->node);
	*out = pr;
	return 0;
}

static int pair_check(struct sofsim_dai_backend *be, const struct pair *pr, bool has_delay, uint64_t delay,
		      char *why, size_t why_len)
{
	if (pr->ends[be->dir])
		return sofsim__dai_msg(why, why_len, -EBUSY, "%s: loopback '%s' already has a %s end", be->spec,
				       pr->name, be->dir == SOFSIM_DAI_PLAYBACK ? "playback" : "capture");
	if (memcmp(&pr->p, &be->p, sizeof(pr->p)) != 0)
		return sofsim__dai_msg(why, why_len, -EINVAL, "%s: %u Hz, %u channel(s), %s differ from the other "
				       "end's %u Hz, %u channel(s), %s", be->spec, be->p.rate_hz, be->p.channels,
				       sofsim_pcm_format_name(be->p.format), pr->p.rate_hz, pr->p.channels,
				       sofsim_pcm_format_name(pr->p.format));
	if (has_delay && delay != pr->delay)
		return sofsim__dai_msg(why, why_len, -EINVAL, "%s: delay=%llu differs from the pair's %llu (set by "
				       "the end opened first)", be->spec, (unsigned long long)delay,
				       (unsigned long long)pr->delay);
	return 0;
}

static int lb_open(struct sofsim_dai_backend *be, const char *arg, char *why, size_t why_len)
{
	char name[NAME_BYTES];
	bool has_delay;
	uint64_t delay;
	struct pair *pr;
	int ret;

	if (!be->lbs)
		return sofsim__dai_msg(why, why_len, -EINVAL, "%s: a loopback needs a registry "
				       "(sofsim_dai_loopbacks_create())", be->spec);
	ret = parse(be, arg, name, &has_delay, &delay, why, why_len);
	if (ret)
		return ret;
	pr = find(be->lbs, name);
	ret = pr ? pair_check(be, pr, has_delay, delay, why, why_len) : pair_new(be, name, delay, &pr, why, why_len);
	if (ret)
		return ret;
	pr->ends[be->dir] = be;
	if (be->dir == SOFSIM_DAI_CAPTURE)
		capture_joins(pr);
	be->priv = pr;
	return 0;
}

static void lb_close(struct sofsim_dai_backend *be)
{
	struct pair *pr = be->priv;

	pr->ends[be->dir] = NULL;
	if (pr->ends[SOFSIM_DAI_PLAYBACK] || pr->ends[SOFSIM_DAI_CAPTURE])
		return;
	sofsim_list_remove(&pr->node);
	sofsim__dai_free(be->sim, pr->ring);
	sofsim__dai_free(be->sim, pr);
}

/* ---- moving frames ---- */

static int lb_read(struct sofsim_dai_backend *be, void *frames, uint32_t count)
{
	struct pair *pr = be->priv;
	uint64_t avail = pr->written - pr->taken, n = avail < count ? avail : count;

	ring_get(pr, pr->taken, frames, n);
	pr->taken += n;
	if (n < count) {
		memset((uint8_t *)frames + n * pr->frame_bytes, 0, (size_t)(count - n) * pr->frame_bytes);
		pr->underruns += count - n;
	}
	return 0;
}

static int lb_write(struct sofsim_dai_backend *be, const void *frames, uint32_t count)
{
	struct pair *pr = be->priv;
	uint64_t space = pr->cap - (pr->written - pr->taken), n = space < count ? space : count;

	if (!pr->ends[SOFSIM_DAI_CAPTURE])
		return 0; /* nobody listens */
	ring_put(pr, pr->written, frames, n);
	pr->written += n;
	pr->overruns += count - n;
	return 0;
}

/* ---- snapshot ---- */

static int lb_snapshot(struct sofsim_dai_backend *be, struct sofsim_dai_backend_state *st)
{
	const struct pair *pr = be->priv;

	st->u.loopback.written = pr->written;
	st->u.loopback.taken = pr->taken;
	st->u.loopback.underruns = pr->underruns;
	st->u.loopback.overruns = pr->overruns;
	st->u.loopback.ring_hash = ring_hash(pr, pr->taken, pr->written);
	return 0;
}

/*
 * The ring's bytes are not in the state (they are arena memory, which a
 * context snapshot carries): the counters come back only while the ring
 * still holds the same frames, which the hash proves.
 */
static int lb_restore(struct sofsim_dai_backend *be, const struct sofsim_dai_backend_state *st)
{
	struct pair *pr = be->priv;
	uint64_t w = st->u.loopback.written, t = st->u.loopback.taken;

	if (w < t || w - t > pr->cap)
		return sofsim__dai_fail(be, -EINVAL, "%s: saved counters (written %llu, taken %llu) do not fit a "
					"ring of %llu frames", be->spec, (unsigned long long)w, (unsigned long long)t,
					(unsigned long long)pr->cap);
	if (ring_hash(pr, t, w) != st->u.loopback.ring_hash)
		return sofsim__dai_fail(be, -EOPNOTSUPP, "%s: the ring of loopback '%s' has been overwritten since "
					"the snapshot; restore the arena with it", be->spec, pr->name);
	pr->written = w;
	pr->taken = t;
	pr->underruns = st->u.loopback.underruns;
	pr->overruns = st->u.loopback.overruns;
	return 0;
}

const struct sofsim__dai_ops sofsim__dai_loopback_ops = {
	.name = "loopback",
	.open = lb_open,
	.close = lb_close,
	.read = lb_read,
	.write = lb_write,
	.snapshot = lb_snapshot,
	.restore = lb_restore,
};
