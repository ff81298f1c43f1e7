/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DAI back ends' public face: PCM parameter checks, the spec string
 * ("<kind>[:<arg>]") resolved to one ops table, and the generic calls that
 * check the caller's input once so each kind only does its work. Keeping
 * the dispatch here lets the DMA engine treat every back end the same way.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sofsim/mem.h"

#include "hw/dai_priv.h"
#include "kernel/kernel_priv.h"

static const struct sofsim__dai_ops *const kinds[] = {
	&sofsim__dai_null_ops,
	&sofsim__dai_file_ops,
	&sofsim__dai_tone_ops,
	&sofsim__dai_loopback_ops,
	&sofsim__dai_portaudio_ops,
};

#define KIND_COUNT (sizeof(kinds) / sizeof(kinds[0]))

int sofsim__dai_fail(struct sofsim_dai_backend *be, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(be->why, sizeof(be->why), fmt, ap);
	va_end(ap);
	return err;
}

void sofsim__dai_report(struct sofsim_dai_backend *be, const char *fmt, ...)
{
	FILE *out = sofsim__report_stream(be->sim);
	va_list ap;

	if (!out)
		return;
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
}

void sofsim__dai_free(struct sofsim *sim, void *p)
{
	sofsim_heap_free(sofsim_kernel_heap(sim), p);
}

int sofsim__dai_ops_check(const struct sofsim__dai_ops *ops)
{
	if (!ops || !ops->name || !ops->name[0] || !ops->open || !ops->close || (!ops->read && !ops->write))
		return -EINVAL;
	return 0;
}

/* ---- PCM parameters ---- */

uint32_t sofsim_pcm_format_bytes(enum sofsim_pcm_format fmt)
{
	switch (fmt) {
	case SOFSIM_FMT_S16_LE:
		return 2;
	case SOFSIM_FMT_S24_4LE:
	case SOFSIM_FMT_S32_LE:
		return 4;
	default:
		return 0;
	}
}

const char *sofsim_pcm_format_name(enum sofsim_pcm_format fmt)
{
	switch (fmt) {
	case SOFSIM_FMT_S16_LE:
		return "S16_LE";
	case SOFSIM_FMT_S24_4LE:
		return "S24_4LE";
	case SOFSIM_FMT_S32_LE:
		return "S32_LE";
	default:
		return "?";
	}
}

uint32_t sofsim_pcm_frame_bytes(const struct sofsim_pcm_params *p)
{
	return p->channels * sofsim_pcm_format_bytes(p->format);
}

int sofsim_pcm_params_check(const struct sofsim_pcm_params *p, char *why, size_t why_len)
{
	if (!p)
		return sofsim__dai_msg(why, why_len, -EINVAL, "params: NULL");
	if (p->rate_hz < SOFSIM_PCM_RATE_MIN || p->rate_hz > SOFSIM_PCM_RATE_MAX)
		return sofsim__dai_msg(why, why_len, -EINVAL, "params.rate_hz: %u; want %u to %u", p->rate_hz,
				       SOFSIM_PCM_RATE_MIN, SOFSIM_PCM_RATE_MAX);
	if (p->channels < 1 || p->channels > SOFSIM_PCM_CHANNELS_MAX)
		return sofsim__dai_msg(why, why_len, -EINVAL, "params.channels: %u; want 1 to %u", p->channels,
				       SOFSIM_PCM_CHANNELS_MAX);
	if (sofsim_pcm_format_bytes(p->format) == 0)
		return sofsim__dai_msg(why, why_len, -EINVAL, "params.format: %d; want S16_LE, S24_4LE or S32_LE",
				       (int)p->format);
	return 0;
}

/* ---- spec → kind ---- */

/* The kind named by the text before the first ':'; *arg gets the rest ("" for none). */
static const struct sofsim__dai_ops *find_kind(const char *spec, const char **arg)
{
	size_t n = strcspn(spec, ":");

	*arg = spec[n] == ':' ? spec + n + 1 : spec + n;
	for (size_t i = 0; i < KIND_COUNT; i++)
		if (strlen(kinds[i]->name) == n && memcmp(kinds[i]->name, spec, n) == 0)
			return kinds[i];
	return NULL;
}

static int check_open_args(struct sofsim *sim, const char *spec, enum sofsim_dai_dir dir,
			   const struct sofsim_pcm_params *p, struct sofsim_dai_backend **out, char *why,
			   size_t why_len)
{
	if (!sim || !out)
		return sofsim__dai_msg(why, why_len, -EINVAL, "dai: %s is NULL", sim ? "out" : "sim");
	if (!spec || !spec[0])
		return sofsim__dai_msg(why, why_len, -EINVAL, "dai: empty spec; want null, file:<path>, "
				       "tone:<Hz>, loopback:<name> or portaudio:<device>");
	if (dir != SOFSIM_DAI_PLAYBACK && dir != SOFSIM_DAI_CAPTURE)
		return sofsim__dai_msg(why, why_len, -EINVAL, "%s: unknown direction %d", spec, (int)dir);
	return sofsim_pcm_params_check(p, why, why_len);
}

/* sofsim_snapshot() asks every open back end whether it can be part of a snapshot. */
static int snapshot_check(void *arg, char *why, size_t why_len)
{
	struct sofsim_dai_backend *be = arg;
	struct sofsim_dai_backend_state st;

	if (sofsim_dai_backend_snapshot(be, &st) == 0)
		return 0;
	if (why && why_len)
		snprintf(why, why_len, "sofsim_snapshot: %s", sofsim_dai_backend_error(be));
	return -EOPNOTSUPP;
}

int sofsim_dai_backend_open(struct sofsim *sim, struct sofsim_dai_loopbacks *lbs, const char *spec,
			    enum sofsim_dai_dir dir, const struct sofsim_pcm_params *p,
			    struct sofsim_dai_backend **out, char *why, size_t why_len)
{
	const struct sofsim__dai_ops *ops;
	struct sofsim_dai_backend *be;
	const char *arg;
	int ret;

	if (out)
		*out = NULL;
	ret = check_open_args(sim, spec, dir, p, out, why, why_len);
	if (ret)
		return ret;
	ops = find_kind(spec, &arg);
	if (!ops)
		return sofsim__dai_msg(why, why_len, -EINVAL, "%s: unknown back end '%.*s'; want null, file, tone, "
				       "loopback or portaudio", spec, (int)strcspn(spec, ":"), spec);
	if (sofsim__dai_ops_check(ops))
		return sofsim__dai_msg(why, why_len, -EINVAL, "%s: back end '%s' lacks a mandatory op", spec,
				       ops->name);
	if ((dir == SOFSIM_DAI_CAPTURE && !ops->read) || (dir == SOFSIM_DAI_PLAYBACK && !ops->write))
		return sofsim__dai_msg(why, why_len, -EINVAL, "%s: a %s back end cannot be used for %s", spec,
				       ops->name, dir == SOFSIM_DAI_CAPTURE ? "capture" : "playback");
	be = sofsim__dai_zalloc(sim, sizeof(*be));
	if (!be)
		return sofsim__dai_msg(why, why_len, -ENOMEM, "%s: out of kernel heap", spec);
	be->sim = sim;
	be->ops = ops;
	be->lbs = lbs;
	be->dir = dir;
	be->p = *p;
	be->sample_bytes = sofsim_pcm_format_bytes(p->format);
	be->frame_bytes = sofsim_pcm_frame_bytes(p);
	snprintf(be->spec, sizeof(be->spec), "%s", spec);
	ret = ops->open(be, arg, why, why_len);
	if (ret) {
		sofsim__dai_free(sim, be);
		return ret;
	}
	if (sofsim__snapshot_hook_add(sim, snapshot_check, be)) {
		be->ops->close(be);
		sofsim__dai_free(sim, be);
		return sofsim__dai_msg(why, why_len, -ENOSPC, "%s: too many open back ends", spec);
	}
	*out = be;
	return 0;
}

void sofsim_dai_backend_close(struct sofsim_dai_backend *be)
{
	if (!be)
		return;
	sofsim__snapshot_hook_remove(be->sim, be);
	be->ops->close(be);
	sofsim__dai_free(be->sim, be);
}

int sofsim_dai_backend_write(struct sofsim_dai_backend *be, const void *frames, uint32_t count)
{
	if (!be || (!frames && count))
		return be ? sofsim__dai_fail(be, -EINVAL, "%s: write of NULL frames", be->spec) : -EINVAL;
	if (be->dir != SOFSIM_DAI_PLAYBACK)
		return sofsim__dai_fail(be, -EINVAL, "%s: a capture back end cannot be written", be->spec);
	if (!count)
		return 0;
	return be->ops->write(be, frames, count);
}

int sofsim_dai_backend_read(struct sofsim_dai_backend *be, void *frames, uint32_t count)
{
	if (!be || (!frames && count))
		return be ? sofsim__dai_fail(be, -EINVAL, "%s: read into NULL", be->spec) : -EINVAL;
	if (be->dir != SOFSIM_DAI_CAPTURE)
		return sofsim__dai_fail(be, -EINVAL, "%s: a playback back end cannot be read", be->spec);
	if (!count)
		return 0;
	return be->ops->read(be, frames, count);
}

int sofsim_dai_backend_snapshot(struct sofsim_dai_backend *be, struct sofsim_dai_backend_state *st)
{
	int ret;

	if (!be || !st)
		return be ? sofsim__dai_fail(be, -EINVAL, "%s: snapshot into NULL", be->spec) : -EINVAL;
	if (!be->ops->snapshot)
		return sofsim__dai_fail(be, -EOPNOTSUPP, "%s: back end %s has no snapshot", be->spec, be->ops->name);
	memset(st, 0, sizeof(*st));
	snprintf(st->backend, sizeof(st->backend), "%s", be->ops->name);
	st->dir = (uint32_t)be->dir;
	ret = be->ops->snapshot(be, st);
	if (ret)
		memset(st, 0, sizeof(*st));
	return ret;
}

int sofsim_dai_backend_restore(struct sofsim_dai_backend *be, const struct sofsim_dai_backend_state *st)
{
	if (!be || !st)
		return be ? sofsim__dai_fail(be, -EINVAL, "%s: restore from NULL", be->spec) : -EINVAL;
	if (!be->ops->restore)
		return sofsim__dai_fail(be, -EOPNOTSUPP, "%s: back end %s has no snapshot", be->spec, be->ops->name);
	if (strncmp(st->backend, be->ops->name, sizeof(st->backend)) != 0 || st->dir != (uint32_t)be->dir)
		return sofsim__dai_fail(be, -EINVAL, "%s: state is from a %.*s %s back end, not this %s one",
					be->spec, (int)strnlen(st->backend, sizeof(st->backend)), st->backend,
					st->dir == SOFSIM_DAI_PLAYBACK ? "playback" : "capture",
					be->dir == SOFSIM_DAI_PLAYBACK ? "playback" : "capture");
	return be->ops->restore(be, st);
}

const char *sofsim_dai_backend_name(const struct sofsim_dai_backend *be)
{
	return be ? be->ops->name : "?";
}

const char *sofsim_dai_backend_error(const struct sofsim_dai_backend *be)
{
	return be ? be->why : "";
}
