/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file dai_portaudio.h
 * @brief The `portaudio:<device>` DAI back end's extra calls: listing the
 * host's devices and pacing a context's virtual time to a device.
 *
 * A real sound card has its own clock, so the device, not the simulator,
 * decides how fast time may pass: the back end counts the frames its
 * PortAudio callback has moved, and sofsim_dai_portaudio_pace() (a
 * sofsim_pace_fn for struct sofsim_config's `pace`) holds each virtual
 * time jump until the device has caught up with it. Usage:
 *
 * @code
 * struct sofsim_dai_backend *pa = NULL;   // the hook reads this slot
 * cfg.pace = sofsim_dai_portaudio_pace;
 * cfg.pace_arg = &pa;                     // while NULL the hook does nothing
 * sofsim_create(&sim, &cfg, why, sizeof(why));
 * sofsim_dai_backend_open(sim, NULL, "portaudio:default", SOFSIM_DAI_PLAYBACK, &p, &pa, why, sizeof(why));
 * ... sofsim_run_until(sim, t) ...         // each jump waits for the device
 * struct sofsim_dai_backend *done = pa;
 * pa = NULL;                              // unhook before closing
 * sofsim_dai_backend_close(done);
 * @endcode
 *
 * Spec: `portaudio:<index>` (all digits: PortAudio's device index) or
 * `portaudio:<name>` (the device's exact name, as listed by
 * sofsim_dai_portaudio_list(); names may contain ':' and ',', so the
 * whole rest of the spec is the name). The stream is opened at the DAI's
 * rate and channel count, S16_LE as paInt16, S24_4LE and S32_LE as paInt32
 * (S24 left-justified), dithering and clipping off, 10 ms callbacks.
 *
 * Timing: frames cross between the callback thread and the simulator
 * through a lock-free ring of at least 250 ms outside the arena. Playback
 * starts the stream when the ring is first full, at the first pacing call,
 * or at close (which plays what is left, then stops); capture starts at
 * the first read or pacing call. A write that finds the ring full, a read
 * that finds it empty, and a pacing wait each wait for the callback; if
 * the device moves no frame for 2 s they give up (-ETIMEDOUT, or a line on
 * the report stream from the hook): never a hang. Playback underruns are
 * filled with silence, capture overruns dropped, as a real FIFO does.
 *
 * Snapshots: the device cannot be rewound, so sofsim_dai_backend_snapshot()
 * and _restore() refuse with -EOPNOTSUPP naming the back end.
 *
 * Threads: PortAudio's initialisation is process-wide and not thread-safe.
 * Opening or closing a portaudio back end, and sofsim_dai_portaudio_list(),
 * must not run at the same moment on two host threads (contexts driven
 * from different threads included).
 */
#ifndef SOFSIM_DAI_PORTAUDIO_H
#define SOFSIM_DAI_PORTAUDIO_H

#include <stdint.h>
#include <stdio.h>

#include "sofsim/export.h"

struct sofsim_dai_backend;

/**
 * @brief Print PortAudio's devices, one a line: index, name in quotes, host
 * API, input and output channels ("3 'default' ALSA in=32 out=32").
 * @param out Stream to print to.
 * @return The number of devices (0 or more).
 * @retval -EINVAL @p out is NULL.
 * @retval -EIO    PortAudio could not be initialised; a line on @p out says why.
 */
SOFSIM_API int sofsim_dai_portaudio_list(FILE *out);

/**
 * @brief Pacing hook (a sofsim_pace_fn): wait until the device has moved
 * the frames up to @p to_ns of virtual time, counted from the virtual time
 * at which the back end was opened. Starts the stream if it has not
 * started. Gives up after 2 s without device progress, printing why to the
 * context's report stream.
 * @param arg     A `struct sofsim_dai_backend **`: the slot holding an
 *                open portaudio back end; NULL, or a slot holding NULL or
 *                another kind of back end, makes the hook return at once.
 * @param from_ns Virtual time now (unused: the origin is the open time).
 * @param to_ns   Virtual time about to be reached.
 */
SOFSIM_API void sofsim_dai_portaudio_pace(void *arg, uint64_t from_ns, uint64_t to_ns);

/**
 * @brief Counters of a portaudio back end, for reports and tests.
 * @param be            An open portaudio back end.
 * @param device_frames Receives the frames the device has taken (playback) or given (capture), or NULL.
 * @param xrun_frames   Receives the silent frames played for want of data (playback) or the captured
 *                      frames dropped for want of room (capture), or NULL.
 * @retval 0       Done.
 * @retval -EINVAL @p be is NULL or not a portaudio back end.
 */
SOFSIM_API int sofsim_dai_portaudio_counters(const struct sofsim_dai_backend *be, uint64_t *device_frames,
					     uint64_t *xrun_frames);

#endif /* SOFSIM_DAI_PORTAUDIO_H */
