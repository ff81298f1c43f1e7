/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file dai.h
 * @brief PCM parameters and the DAI back ends: what stands at the far end
 * of a link (DAI) DMA instead of a codec.
 *
 * A back end is opened from a spec string for one direction and one set of
 * PCM parameters, then moves whole interleaved frames in the DAI's format:
 * the DMA engine writes what the DSP plays (SOFSIM_DAI_PLAYBACK) and reads
 * what the DSP captures (SOFSIM_DAI_CAPTURE). Specs:
 *
 * | spec | playback | capture |
 * | --- | --- | --- |
 * | `null` | discards | silence |
 * | `file:<path>[,end=silence\|loop]` | writes the file | reads it; then silence (default) or the file again |
 * | `tone:<f>[@<dB>dBFS][,<f>...]` | refused | a sine per channel |
 * | `loopback:<name>[,delay=<frames>]` | feeds the capture end of that name | `delay` frames of silence, then that |
 *
 * Files: `.wav` and `.flac` (libsndfile), `.raw` (headerless, the DAI's
 * own bytes). A path ends at the first ','.
 *
 * S24_4LE is SOF's 24-bit format: the sample is in the low 3 bytes of a
 * 32-bit little-endian container and the top byte repeats its sign bit.
 * Back ends ignore the top byte of what they are given (they sign-extend
 * bit 23, as SOF's processing does) and always produce it sign-extended.
 *
 * Back-end records live in the context's kernel heap; libsndfile's own
 * buffers live outside the arena (docs/model-fidelity.md, "DAI back ends").
 *
 * Snapshots: everything but libsndfile's side is in the arena, so a context
 * snapshot (sofsim_snapshot()/sofsim_reset()) carries tone phases, loopback
 * rings and file positions; a file back end then re-seeks (capture) or
 * truncates (WAV or raw being written) at its next transfer. A FLAC file
 * being written cannot be rewound: its next write after a reset fails with
 * -EOPNOTSUPP. Open back ends before the snapshot and close them after the
 * last reset: a reset does not reopen or close files.
 */
#ifndef SOFSIM_DAI_H
#define SOFSIM_DAI_H

#include <stddef.h>
#include <stdint.h>

#include "sofsim/export.h"

struct sofsim;
struct sofsim_dai_backend;
struct sofsim_dai_loopbacks;

/** Sample formats of a DAI (ALSA names; all little-endian, interleaved). */
enum sofsim_pcm_format {
	SOFSIM_FMT_S16_LE = 0, /**< 16-bit signed in 2 bytes */
	SOFSIM_FMT_S24_4LE,    /**< 24-bit signed in the low 3 bytes of 4, sign-extended */
	SOFSIM_FMT_S32_LE,     /**< 32-bit signed in 4 bytes */
};

/** Limits of struct sofsim_pcm_params. */
#define SOFSIM_PCM_RATE_MIN 8000u
#define SOFSIM_PCM_RATE_MAX 192000u
#define SOFSIM_PCM_CHANNELS_MAX 8u

/** The PCM parameters of a DAI. */
struct sofsim_pcm_params {
	uint32_t rate_hz;              /**< 8000 to 192000 */
	uint32_t channels;             /**< 1 to 8 */
	enum sofsim_pcm_format format; /**< sample format */
};

/** Direction of a DAI, seen from the DSP. */
enum sofsim_dai_dir {
	SOFSIM_DAI_PLAYBACK = 0, /**< DSP → back end: the back end consumes frames */
	SOFSIM_DAI_CAPTURE,      /**< back end → DSP: the back end produces frames */
};

/**
 * @brief Bytes of one sample in its container.
 * @param fmt Format.
 * @return 2 or 4; 0 for an unknown format.
 */
SOFSIM_API uint32_t sofsim_pcm_format_bytes(enum sofsim_pcm_format fmt);

/**
 * @brief ALSA name of a format.
 * @param fmt Format.
 * @return "S16_LE", "S24_4LE", "S32_LE"; "?" for an unknown format.
 */
SOFSIM_API const char *sofsim_pcm_format_name(enum sofsim_pcm_format fmt);

/**
 * @brief Bytes of one frame (all channels).
 * @param p Parameters (assumed valid).
 * @return channels × sample bytes.
 */
SOFSIM_API uint32_t sofsim_pcm_frame_bytes(const struct sofsim_pcm_params *p);

/**
 * @brief Check PCM parameters.
 * @param p       Parameters.
 * @param why     Buffer for a message naming the bad field ("params.rate_hz: 7999; want 8000 to 192000"), or NULL.
 * @param why_len Size of @p why.
 * @retval 0       Valid.
 * @retval -EINVAL A field is out of range or @p p is NULL; @p why names it.
 */
SOFSIM_API int sofsim_pcm_params_check(const struct sofsim_pcm_params *p, char *why, size_t why_len);

/* ---- loopback pairs ---- */

/**
 * @brief Create the registry in which `loopback:<name>` back ends find their
 * partner (kernel heap). The first end opened under a name creates the
 * pair; the other end joins it; the pair goes when both ends are closed.
 * @param sim Context.
 * @param out Receives the registry.
 * @retval 0       Created.
 * @retval -EINVAL @p sim or @p out is NULL.
 * @retval -ENOMEM Out of memory.
 */
SOFSIM_API int sofsim_dai_loopbacks_create(struct sofsim *sim, struct sofsim_dai_loopbacks **out);

/**
 * @brief Destroy a registry; accepts NULL. Pairs that still have an open
 * end keep working (and are freed by their last end); they can no longer
 * be joined.
 * @param lbs Registry.
 */
SOFSIM_API void sofsim_dai_loopbacks_destroy(struct sofsim_dai_loopbacks *lbs);

/* ---- back ends ---- */

/**
 * @brief Open a back end.
 *
 * File rules: a capture file's rate and channel count must equal the
 * DAI's (no resampling, no remixing); its samples must be 16-, 24- or
 * 32-bit integer PCM and are converted to the DAI's width by libsndfile's
 * integer scaling (left-justified: widening is exact, narrowing drops low
 * bits). A playback file gets the DAI's format: S16_LE → 16-bit,
 * S24_4LE → 24-bit, S32_LE → 32-bit (refused for FLAC). A `.raw` file is
 * the DAI's bytes as they are (S24_4LE in 4-byte containers); for capture
 * its size must be a whole number of frames.
 *
 * Loopback rules: both ends must have the same parameters. The end that
 * opens first creates the pair and sets its `delay` (default 0, at most
 * one second of frames); the other end may omit `delay` or must repeat
 * it. When a capture end opens, the pair's ring restarts with `delay`
 * frames of silence; the capture end then gets what the playback end
 * writes, in order. A capture end without a playback partner (yet, or any
 * more once the ring is drained) produces silence; a playback end without
 * a capture partner discards. The ring holds `delay` + 20 ms of frames: a
 * write that does not fit loses its excess (an overrun), a read that finds
 * too few frames is padded with silence (an underrun), which lengthens the
 * delay from then on, as a real FIFO's xrun does.
 *
 * @param sim     Context (records come from its kernel heap).
 * @param lbs     Loopback registry, needed only for `loopback:` specs (else may be NULL).
 * @param spec    What to open (see the file comment).
 * @param dir     Direction.
 * @param p       PCM parameters of the DAI.
 * @param out     Receives the back end.
 * @param why     Buffer for a message on failure, or NULL: "<path>: <what is wrong>" for files,
 *                "<spec>: ..." otherwise.
 * @param why_len Size of @p why.
 * @retval 0           Opened.
 * @retval -EINVAL     Bad spec, parameters, direction or option; a capture file whose rate or channels
 *                     differ, or that is not a regular file.
 * @retval -ENOENT     (or another errno of open(2)) The file cannot be opened.
 * @retval -EIO        The file is truncated, corrupt, or not of the type its name says.
 * @retval -EOPNOTSUPP The file's encoding, or the DAI's format in that container, is not supported.
 * @retval -EBUSY      A loopback name already has an end in that direction.
 * @retval -ENOMEM     Out of memory (kernel heap).
 */
SOFSIM_API int sofsim_dai_backend_open(struct sofsim *sim, struct sofsim_dai_loopbacks *lbs, const char *spec,
				       enum sofsim_dai_dir dir, const struct sofsim_pcm_params *p,
				       struct sofsim_dai_backend **out, char *why, size_t why_len);

/**
 * @brief Close a back end; accepts NULL. A file being written is finalised
 * (its header completed); a failure to do so is printed to the context's
 * report stream.
 * @param be Back end.
 */
SOFSIM_API void sofsim_dai_backend_close(struct sofsim_dai_backend *be);

/**
 * @brief Consume frames (playback).
 * @param be     Back end.
 * @param frames @p count interleaved frames in the DAI's format.
 * @param count  Frames.
 * @retval 0           Consumed.
 * @retval -EINVAL     A capture back end, or NULL arguments.
 * @retval -EIO        The file could not be written (sofsim_dai_backend_error() says why).
 * @retval -EOPNOTSUPP A FLAC file being written was rolled back by a context reset.
 */
SOFSIM_API int sofsim_dai_backend_write(struct sofsim_dai_backend *be, const void *frames, uint32_t count);

/**
 * @brief Produce frames (capture). Always fills all @p count frames:
 * after the end of a file with silence or the file again, from a loopback
 * with silence when the playback end has not written enough.
 * @param be     Back end.
 * @param frames Receives @p count interleaved frames in the DAI's format.
 * @param count  Frames.
 * @retval 0       Produced.
 * @retval -EINVAL A playback back end, or NULL arguments.
 * @retval -EIO    The file could not be read (sofsim_dai_backend_error() says why).
 */
SOFSIM_API int sofsim_dai_backend_read(struct sofsim_dai_backend *be, void *frames, uint32_t count);

/** What a back end's snapshot holds (caller memory; only the back end reads it). */
struct sofsim_dai_backend_state {
	char backend[16]; /**< name of the back end that made it */
	uint32_t dir;     /**< enum sofsim_dai_dir of that back end */
	union {
		struct {
			uint64_t frame; /**< frames written, or the read position in the file */
		} file;
		struct {
			uint64_t phase[SOFSIM_PCM_CHANNELS_MAX]; /**< per channel, in 1/(rate × 1000) of a cycle */
		} tone;
		struct {
			uint64_t written;   /**< frames ever put in the ring (the initial delay included) */
			uint64_t taken;     /**< frames ever taken out */
			uint64_t underruns; /**< silent frames the capture end got for want of data */
			uint64_t overruns;  /**< frames the playback end lost to a full ring */
			uint64_t ring_hash; /**< FNV-1a of the frames in the ring, checked by restore */
		} loopback;
	} u; /**< per back end */
};

/**
 * @brief Save a back end's position: null nothing; file the frame position
 * (capture) or the frames written (playback WAV and raw); tone the phase
 * of each channel; loopback the pair's counters (the ring's bytes are in
 * the kernel heap, i.e. in the arena).
 * @param be Back end.
 * @param st Receives the state.
 * @retval 0           Saved.
 * @retval -EINVAL     NULL arguments.
 * @retval -EOPNOTSUPP This back end cannot be rewound (a FLAC file being
 *                     written); sofsim_dai_backend_error() names it.
 */
SOFSIM_API int sofsim_dai_backend_snapshot(struct sofsim_dai_backend *be, struct sofsim_dai_backend_state *st);

/**
 * @brief Put a back end back where a snapshot of it was taken: a capture
 * file re-seeks; a playback file is truncated back to the saved length;
 * a tone resumes at the saved phases; a loopback pair gets its counters
 * back, refused when the ring has been overwritten since.
 * @param be Back end.
 * @param st A state from sofsim_dai_backend_snapshot() on a back end of the same kind and direction.
 * @retval 0           Restored.
 * @retval -EINVAL     NULL arguments, or @p st from another kind of back end, direction, or out of range.
 * @retval -EOPNOTSUPP The position cannot be restored (see above); sofsim_dai_backend_error() says why.
 * @retval -EIO        The file could not be seeked or truncated.
 */
SOFSIM_API int sofsim_dai_backend_restore(struct sofsim_dai_backend *be, const struct sofsim_dai_backend_state *st);

/**
 * @brief Name of a back end's kind.
 * @param be Back end.
 * @return "null", "file", "tone" or "loopback".
 */
SOFSIM_API const char *sofsim_dai_backend_name(const struct sofsim_dai_backend *be);

/**
 * @brief The message of the last failed call on a back end, in the same
 * form as sofsim_dai_backend_open()'s @p why.
 * @param be Back end.
 * @return The message; "" when no call has failed.
 */
SOFSIM_API const char *sofsim_dai_backend_error(const struct sofsim_dai_backend *be);

#endif /* SOFSIM_DAI_H */
