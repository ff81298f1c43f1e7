/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the DAI back ends share: the generic record (dai_backend.c owns it),
 * the ops table each back end file provides, and small helpers for samples
 * and messages. Records live in the context's kernel heap, under the heap
 * owner "dai", so leaks show up in its report.
 */
#ifndef SOFSIM_HW_DAI_PRIV_H
#define SOFSIM_HW_DAI_PRIV_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sofsim/dai.h"
#include "sofsim/mem.h"

#include "kernel/kernel_priv.h"

/* Longest message a back end keeps for sofsim_dai_backend_error(). */
#define SOFSIM__DAI_WHY_BYTES 256u
/* How much of the spec a record keeps, for messages. */
#define SOFSIM__DAI_SPEC_BYTES 128u
/* Heap owner of every DAI allocation. */
#define SOFSIM__DAI_OWNER "dai"

struct sofsim_dai_backend;

/*
 * One back end kind. name, open and close are mandatory; a kind without
 * read cannot be opened for capture, one without write not for playback.
 * snapshot and restore are optional (the default refuses with -EOPNOTSUPP
 * naming the back end). open gets the text after "<name>:" ("" for none)
 * and fills be->priv; on failure it frees what it took and writes @why.
 */
struct sofsim__dai_ops {
	const char *name;
	int (*open)(struct sofsim_dai_backend *be, const char *arg, char *why, size_t why_len);
	void (*close)(struct sofsim_dai_backend *be);
	int (*read)(struct sofsim_dai_backend *be, void *frames, uint32_t count);
	int (*write)(struct sofsim_dai_backend *be, const void *frames, uint32_t count);
	int (*snapshot)(struct sofsim_dai_backend *be, struct sofsim_dai_backend_state *st);
	int (*restore)(struct sofsim_dai_backend *be, const struct sofsim_dai_backend_state *st);
};

struct sofsim_dai_backend {
	struct sofsim *sim;
	const struct sofsim__dai_ops *ops;
	struct sofsim_dai_loopbacks *lbs; /* registry given to open (loopback only uses it) */
	enum sofsim_dai_dir dir;
	struct sofsim_pcm_params p;
	uint32_t sample_bytes, frame_bytes;
	void *priv; /* the kind's own state, from the kernel heap */
	char spec[SOFSIM__DAI_SPEC_BYTES]; /* as given (cut to fit) */
	char why[SOFSIM__DAI_WHY_BYTES];
};

/* The kinds (one file each). */
extern const struct sofsim__dai_ops sofsim__dai_null_ops;
extern const struct sofsim__dai_ops sofsim__dai_file_ops;
extern const struct sofsim__dai_ops sofsim__dai_tone_ops;
extern const struct sofsim__dai_ops sofsim__dai_loopback_ops;
extern const struct sofsim__dai_ops sofsim__dai_portaudio_ops;

/* 0 when @ops has its mandatory ops, else -EINVAL. */
int sofsim__dai_ops_check(const struct sofsim__dai_ops *ops);

/* Kernel-heap allocation (zeroed) and free for back-end state. */
/* A zeroed kernel-heap block for a back end, accounted to "dai" at the caller's site. */
#define sofsim__dai_zalloc(sim, bytes) \
	sofsim_heap_alloc_at(sofsim_kernel_heap(sim), (bytes), 0, SOFSIM__DAI_OWNER, SOFSIM_SITE)
void sofsim__dai_free(struct sofsim *sim, void *p);

/* Format a message into @why (may be NULL) and return @err. */
#define sofsim__dai_msg sofsim__why
/* The same into the back end's last-error buffer. */
int sofsim__dai_fail(struct sofsim_dai_backend *be, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The context's report stream (for failures where no caller can be told). */
void sofsim__dai_report(struct sofsim_dai_backend *be, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The low 24 bits of @v as a signed value (bit 23 sign-extended, the top byte ignored). */
static inline int32_t sofsim__dai_sext24(uint32_t v)
{
	/* Flip bit 23, then subtract its weight: no shifts of negative values. */
	v = (v & 0x00ffffffu) ^ 0x00800000u;
	return (int32_t)(v - 0x00800000u);
}

/* One sample of a frame buffer in the DAI's format, as a signed value
 * (S24_4LE: bit 23 sign-extended, the top byte ignored). */
static inline int32_t sofsim__dai_get(const uint8_t *at, enum sofsim_pcm_format fmt)
{
	uint32_t v;

	if (fmt == SOFSIM_FMT_S16_LE)
		return (int16_t)(uint16_t)(at[0] | (unsigned)at[1] << 8);
	v = (uint32_t)at[0] | (uint32_t)at[1] << 8 | (uint32_t)at[2] << 16 | (uint32_t)at[3] << 24;
	return fmt == SOFSIM_FMT_S24_4LE ? sofsim__dai_sext24(v) : (int32_t)v;
}

/* Store one sample (S24_4LE: @v must lie in the 24-bit range; stored sign-extended). */
static inline void sofsim__dai_put(uint8_t *at, enum sofsim_pcm_format fmt, int32_t v)
{
	uint32_t u = (uint32_t)v;

	at[0] = (uint8_t)u;
	at[1] = (uint8_t)(u >> 8);
	if (fmt == SOFSIM_FMT_S16_LE)
		return;
	at[2] = (uint8_t)(u >> 16);
	at[3] = (uint8_t)(u >> 24);
}

/* Largest sample value of a format (the full-scale positive peak). */
static inline int32_t sofsim__dai_full_scale(enum sofsim_pcm_format fmt)
{
	return fmt == SOFSIM_FMT_S16_LE ? INT16_MAX : fmt == SOFSIM_FMT_S24_4LE ? 0x7fffff : INT32_MAX;
}

#endif /* SOFSIM_HW_DAI_PRIV_H */
