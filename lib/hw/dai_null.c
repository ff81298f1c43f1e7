/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The null back end: a DAI with nothing behind it. Playback is discarded,
 * capture is silence (all-zero bytes, which is silence in every signed
 * format). It has no state, so its snapshot holds nothing; it exists so a
 * topology can run a DAI without a file or device.
 */
#include <errno.h>
#include <string.h>

#include "hw/dai_priv.h"

static int null_open(struct sofsim_dai_backend *be, const char *arg, char *why, size_t why_len)
{
	if (arg[0] || strchr(be->spec, ':'))
		return sofsim__dai_msg(why, why_len, -EINVAL, "%s: null takes no argument", be->spec);
	return 0;
}

static void null_close(struct sofsim_dai_backend *be)
{
	(void)be;
}

static int null_read(struct sofsim_dai_backend *be, void *frames, uint32_t count)
{
	memset(frames, 0, (size_t)count * be->frame_bytes);
	return 0;
}

static int null_write(struct sofsim_dai_backend *be, const void *frames, uint32_t count)
{
	(void)be;
	(void)frames;
	(void)count;
	return 0;
}

static int null_snapshot(struct sofsim_dai_backend *be, struct sofsim_dai_backend_state *st)
{
	(void)be;
	(void)st;
	return 0;
}

static int null_restore(struct sofsim_dai_backend *be, const struct sofsim_dai_backend_state *st)
{
	(void)be;
	(void)st;
	return 0;
}

const struct sofsim__dai_ops sofsim__dai_null_ops = {
	.name = "null",
	.open = null_open,
	.close = null_close,
	.read = null_read,
	.write = null_write,
	.snapshot = null_snapshot,
	.restore = null_restore,
};
