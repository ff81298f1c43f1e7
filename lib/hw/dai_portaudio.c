/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The portaudio back end: a DAI whose far end is a real sound card. The
 * device's clock, not the simulator's, sets the pace, so the two meet in a
 * single-producer/single-consumer ring of whole frames that PortAudio's
 * callback thread drains (playback) or fills (capture) while the simulator
 * writes or reads it. The ring and everything the callback touches are
 * malloc()ed, outside the arena: the callback runs on a thread the
 * simulator does not schedule, and must never see arena pages that a
 * snapshot rewinds or enforce=mmu protects. The callback takes no lock;
 * waits on the simulator side are polls with a stall bound, so a device
 * that stops never hangs the caller (include/sofsim/dai_portaudio.h).
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <portaudio.h>

#include "sofsim/dai_portaudio.h"
#include "sofsim/sim.h"

#include "hw/dai_priv.h"

/* The ring holds at least this much audio: room for scheduling jitter on both sides. */
#define RING_MS 250u
/* Callback size: 10 ms, so a second of audio is a whole number of callbacks. */
#define CALLBACK_DIV 100u
/* A wait gives up when the device has moved no frame for this long. */
#define STALL_NS 2000000000ull
/* Poll interval of the simulator-side waits. */
#define POLL_NS 200000l

/*
 * PortAudio's library state is process-wide: Pa_Initialize() counts its
 * callers itself (each success matched by one Pa_Terminate()), so every
 * open back end and every device listing holds one count and sofsim keeps
 * no state of its own. PortAudio's initialisation is not thread-safe:
 * contexts on different host threads must not open or close portaudio
 * back ends at the same moment (dai_portaudio.h).
 */
/* PortAudio's text for @err, with the host API's own message when it has one. */
static const char *pa_reason(PaError err, char *buf, size_t len)
{
	const PaHostErrorInfo *host = err == paUnanticipatedHostError ? Pa_GetLastHostErrorInfo() : NULL;

	if (host && host->errorText && host->errorText[0])
		snprintf(buf, len, "%s (%s)", Pa_GetErrorText(err), host->errorText);
	else
		snprintf(buf, len, "%s", Pa_GetErrorText(err));
	return buf;
}

/*
 * Frames ever put in (head, by the producer) and ever taken out (tail, by
 * the consumer); the producer publishes data with a release store of head,
 * the consumer frees room with a release store of tail.
 */
struct ring {
	_Atomic uint64_t head;
	_Atomic uint64_t tail;
	uint32_t cap; /* frames, a power of two */
	uint32_t frame_bytes;
	uint8_t *data;
};

/* All the callback thread touches, and the stream: outside the arena. */
struct pa {
	struct ring ring;
	PaStream *stream;
	bool playback;
	bool started;                  /* simulator side only */
	_Atomic bool draining;         /* close asked for the rest, then paComplete */
	_Atomic bool finished;         /* the callback returned paComplete */
	_Atomic uint64_t dev_frames;   /* frames the callback moved to or from the device */
	_Atomic uint64_t xrun_frames;  /* silence played for want of data, or capture dropped */
	uint64_t origin_ns;            /* virtual time at open */
	PaSampleFormat dev_fmt;
	PaDeviceIndex dev;
	char dev_name[96];
};

/* Copy @n frames between the ring at frame @pos and @buf, in or out, across the wrap. */
static void ring_copy(struct ring *r, uint64_t pos, void *buf, uint32_t n, bool into_ring)
{
	uint32_t at = (uint32_t)(pos & (r->cap - 1));
	uint32_t first = n < r->cap - at ? n : r->cap - at;
	uint8_t *slot = r->data + (size_t)at * r->frame_bytes;
	uint8_t *b = buf;

	if (into_ring) {
		memcpy(slot, b, (size_t)first * r->frame_bytes);
		memcpy(r->data, b + (size_t)first * r->frame_bytes, (size_t)(n - first) * r->frame_bytes);
	} else {
		memcpy(b, slot, (size_t)first * r->frame_bytes);
		memcpy(b + (size_t)first * r->frame_bytes, r->data, (size_t)(n - first) * r->frame_bytes);
	}
}

/* PortAudio's callback thread: only atomics, memcpy and memset, no lock, no allocation. */
static int pa_callback(const void *input, void *output, unsigned long frame_count,
		       const PaStreamCallbackTimeInfo *time_info, PaStreamCallbackFlags flags, void *arg)
{
	struct pa *pa = arg;
	struct ring *r = &pa->ring;
	uint32_t want = (uint32_t)frame_count, n;

	(void)time_info;
	(void)flags;
	if (pa->playback) {
		uint64_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
		uint64_t head = atomic_load_explicit(&r->head, memory_order_acquire);
		bool draining = atomic_load_explicit(&pa->draining, memory_order_acquire);

		n = head - tail < want ? (uint32_t)(head - tail) : want;
		ring_copy(r, tail, output, n, false);
		atomic_store_explicit(&r->tail, tail + n, memory_order_release);
		memset((uint8_t *)output + (size_t)n * r->frame_bytes, 0, (size_t)(want - n) * r->frame_bytes);
		if (!draining)
			atomic_fetch_add_explicit(&pa->xrun_frames, want - n, memory_order_relaxed);
		atomic_fetch_add_explicit(&pa->dev_frames, want, memory_order_release);
		if (draining && tail + n == head) {
			atomic_store_explicit(&pa->finished, true, memory_order_release);
			return paComplete;
		}
		return paContinue;
	}
	{
		uint64_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
		uint64_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);
		uint64_t room = r->cap - (head - tail);

		n = room < want ? (uint32_t)room : want;
		ring_copy(r, head, (void *)input, n, true);
		atomic_store_explicit(&r->head, head + n, memory_order_release);
		atomic_fetch_add_explicit(&pa->xrun_frames, want - n, memory_order_relaxed);
		atomic_fetch_add_explicit(&pa->dev_frames, want, memory_order_release);
		return paContinue;
	}
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Progress watch of a simulator-side wait. */
struct stall {
	uint64_t frames, since_ns;
};

static void stall_init(struct pa *pa, struct stall *st)
{
	st->frames = atomic_load_explicit(&pa->dev_frames, memory_order_acquire);
	st->since_ns = mono_ns();
}

/* Sleep one poll; -ETIMEDOUT once the device has moved nothing for STALL_NS. */
static int stall_step(struct pa *pa, struct stall *st)
{
	struct timespec ts = { 0, POLL_NS };
	uint64_t now_frames;

	nanosleep(&ts, NULL);
	now_frames = atomic_load_explicit(&pa->dev_frames, memory_order_acquire);
	if (now_frames != st->frames) {
		st->frames = now_frames;
		st->since_ns = mono_ns();
		return 0;
	}
	return mono_ns() - st->since_ns >= STALL_NS ? -ETIMEDOUT : 0;
}

static int stall_fail(struct sofsim_dai_backend *be, const char *what)
{
	struct pa *pa = be->priv;

	return sofsim__dai_fail(be, -ETIMEDOUT, "%s: device '%s' moved no frame for %llu s while %s (stream %s)",
				be->spec, pa->dev_name, STALL_NS / 1000000000ull, what,
				Pa_IsStreamActive(pa->stream) == 1 ? "active" : "stopped");
}

static int pa_start(struct sofsim_dai_backend *be)
{
	struct pa *pa = be->priv;
	char reason[160];
	PaError err;

	if (pa->started)
		return 0;
	err = Pa_StartStream(pa->stream);
	if (err != paNoError)
		return sofsim__dai_fail(be, -EIO, "%s: cannot start '%s': %s", be->spec, pa->dev_name,
					pa_reason(err, reason, sizeof(reason)));
	pa->started = true;
	return 0;
}

/* "0 'name', 1 'name', ..." cut to fit @len. */
static void device_names(char *buf, size_t len)
{
	int count = Pa_GetDeviceCount();
	size_t used = 0;

	buf[0] = '\0';
	if (count <= 0) {
		snprintf(buf, len, "PortAudio has no devices");
		return;
	}
	for (int i = 0; i < count && used + 1 < len; i++) {
		const PaDeviceInfo *d = Pa_GetDeviceInfo(i);
		int w = snprintf(buf + used, len - used, "%s%d '%s'", i ? ", " : "devices: ", i,
				 d && d->name ? d->name : "?");

		if (w < 0 || (size_t)w >= len - used) {
			if (len > 4)
				memcpy(buf + len - 4, "...", 4);
			return;
		}
		used += (size_t)w;
	}
}

/* The device named by @arg: all digits → index, else the exact name. */
static int find_device(struct sofsim_dai_backend *be, const char *arg, PaDeviceIndex *out, char *why,
		       size_t why_len)
{
	int count = Pa_GetDeviceCount();
	char list[160];

	if (count < 0) {
		char reason[160];

		return sofsim__dai_msg(why, why_len, -EIO, "%s: cannot list devices: %s", be->spec,
				       pa_reason(count, reason, sizeof(reason)));
	}
	if (strspn(arg, "0123456789") == strlen(arg)) {
		long idx = strlen(arg) < 9 ? strtol(arg, NULL, 10) : -1;

		if (idx >= 0 && idx < count) {
			*out = (PaDeviceIndex)idx;
			return 0;
		}
	} else {
		for (int i = 0; i < count; i++) {
			const PaDeviceInfo *d = Pa_GetDeviceInfo(i);

			if (d && d->name && strcmp(d->name, arg) == 0) {
				*out = i;
				return 0;
			}
		}
	}
	device_names(list, sizeof(list));
	return sofsim__dai_msg(why, why_len, -ENODEV, "%s: no such device (%s)", be->spec, list);
}

static int open_stream(struct sofsim_dai_backend *be, struct pa *pa, char *why, size_t why_len)
{
	const PaDeviceInfo *d = Pa_GetDeviceInfo(pa->dev);
	const PaHostApiInfo *api = d ? Pa_GetHostApiInfo(d->hostApi) : NULL;
	PaStreamParameters sp = { 0 };
	PaStreamFlags flags = paDitherOff | paClipOff;
	int have = pa->playback ? d->maxOutputChannels : d->maxInputChannels;
	char reason[160];
	PaError err;

	snprintf(pa->dev_name, sizeof(pa->dev_name), "%s", d && d->name ? d->name : "?");
	if (have < (int)be->p.channels)
		return sofsim__dai_msg(why, why_len, -EINVAL, "%s: device %d '%s' has %d %s channel(s); the DAI "
				       "wants %u", be->spec, pa->dev, pa->dev_name, have,
				       pa->playback ? "output" : "input", be->p.channels);
	sp.device = pa->dev;
	sp.channelCount = (int)be->p.channels;
	sp.sampleFormat = pa->dev_fmt;
	sp.suggestedLatency = pa->playback ? d->defaultLowOutputLatency : d->defaultLowInputLatency;
	/*
	 * Prime with the callback where the host API honours it. PortAudio
	 * 19.6's ALSA one does not: it silences the device buffer at start,
	 * so playback begins with that much silence (docs/model-fidelity.md).
	 */
	if (pa->playback)
		flags |= paPrimeOutputBuffersUsingStreamCallback;
	err = Pa_OpenStream(&pa->stream, pa->playback ? NULL : &sp, pa->playback ? &sp : NULL, be->p.rate_hz,
			    be->p.rate_hz / CALLBACK_DIV, flags, pa_callback, pa);
	if (err != paNoError) {
		pa->stream = NULL;
		return sofsim__dai_msg(why, why_len, -EIO, "%s: cannot open device %d '%s' (%s) at %u Hz, %u ch, "
				       "%s: %s", be->spec, pa->dev, pa->dev_name, api ? api->name : "?",
				       be->p.rate_hz, be->p.channels, sofsim_pcm_format_name(be->p.format),
				       pa_reason(err, reason, sizeof(reason)));
	}
	return 0;
}

static void pa_free(struct pa *pa)
{
	if (!pa)
		return;
	free(pa->ring.data);
	free(pa);
}

static int pa_open(struct sofsim_dai_backend *be, const char *arg, char *why, size_t why_len)
{
	struct pa *pa;
	uint32_t cap = 1;
	char reason[160];
	PaError err;
	int ret;

	if (!arg[0])
		return sofsim__dai_msg(why, why_len, -EINVAL, "%s: no device given; want portaudio:<name or index>",
				       be->spec);
	pa = calloc(1, sizeof(*pa));
	if (!pa)
		return sofsim__dai_msg(why, why_len, -ENOMEM, "%s: out of memory", be->spec);
	pa->playback = be->dir == SOFSIM_DAI_PLAYBACK;
	pa->dev_fmt = be->p.format == SOFSIM_FMT_S16_LE ? paInt16 : paInt32;
	while (cap < be->p.rate_hz / (1000u / RING_MS))
		cap <<= 1;
	pa->ring.cap = cap;
	pa->ring.frame_bytes = be->frame_bytes; /* the device's containers are the DAI's: 2 or 4 bytes */
	pa->ring.data = malloc((size_t)cap * pa->ring.frame_bytes);
	if (!pa->ring.data) {
		pa_free(pa);
		return sofsim__dai_msg(why, why_len, -ENOMEM, "%s: out of memory for the ring", be->spec);
	}
	err = Pa_Initialize();
	if (err != paNoError) {
		pa_free(pa);
		return sofsim__dai_msg(why, why_len, -EIO, "%s: cannot initialise PortAudio: %s", be->spec,
				       pa_reason(err, reason, sizeof(reason)));
	}
	ret = find_device(be, arg, &pa->dev, why, why_len);
	if (!ret)
		ret = open_stream(be, pa, why, why_len);
	if (ret) {
		Pa_Terminate();
		pa_free(pa);
		return ret;
	}
	pa->origin_ns = sofsim_now(be->sim);
	be->priv = pa;
	return 0;
}

/* Playback: what is in the ring is played, then the stream completes; bounded by the stall rule. */
static void pa_drain(struct sofsim_dai_backend *be)
{
	struct pa *pa = be->priv;
	struct stall st;

	atomic_store_explicit(&pa->draining, true, memory_order_release);
	if (pa_start(be)) {
		sofsim__dai_report(be, "%s\n", be->why);
		return;
	}
	stall_init(pa, &st);
	while (!atomic_load_explicit(&pa->finished, memory_order_acquire)) {
		if (stall_step(pa, &st)) {
			sofsim__dai_report(be, "%s: device '%s' stalled with %llu frame(s) unplayed; dropped\n",
					   be->spec, pa->dev_name,
					   (unsigned long long)(atomic_load(&pa->ring.head) -
								atomic_load(&pa->ring.tail)));
			return;
		}
	}
}

static void pa_close(struct sofsim_dai_backend *be)
{
	struct pa *pa = be->priv;
	char reason[160];
	PaError err;

	if (pa->playback)
		pa_drain(be);
	if (pa->started) {
		/* After paComplete Pa_StopStream only waits for the device's own buffers. */
		err = atomic_load(&pa->finished) ? Pa_StopStream(pa->stream) : Pa_AbortStream(pa->stream);
		if (err != paNoError && err != paStreamIsStopped)
			sofsim__dai_report(be, "%s: stopping '%s': %s\n", be->spec, pa->dev_name,
					   pa_reason(err, reason, sizeof(reason)));
	}
	err = Pa_CloseStream(pa->stream);
	if (err != paNoError)
		sofsim__dai_report(be, "%s: closing '%s': %s\n", be->spec, pa->dev_name,
				   pa_reason(err, reason, sizeof(reason)));
	Pa_Terminate();
	pa_free(pa);
	be->priv = NULL;
}

/* One DAI sample to the device's container (S24_4LE left-justified in 32 bits). */
static void to_device(const struct sofsim_dai_backend *be, uint8_t *dst, const uint8_t *src, uint32_t n)
{
	size_t samples = (size_t)n * be->p.channels;

	if (be->p.format != SOFSIM_FMT_S24_4LE) {
		memcpy(dst, src, samples * be->sample_bytes);
		return;
	}
	for (size_t i = 0; i < samples; i++, src += 4, dst += 4) {
		uint32_t v = (uint32_t)sofsim__dai_get(src, SOFSIM_FMT_S24_4LE) << 8;

		memcpy(dst, &v, sizeof(v));
	}
}

static void from_device(const struct sofsim_dai_backend *be, uint8_t *dst, const uint8_t *src, uint32_t n)
{
	size_t samples = (size_t)n * be->p.channels;

	if (be->p.format != SOFSIM_FMT_S24_4LE) {
		memcpy(dst, src, samples * be->sample_bytes);
		return;
	}
	for (size_t i = 0; i < samples; i++, src += 4, dst += 4) {
		uint32_t v;

		memcpy(&v, src, sizeof(v));
		sofsim__dai_put(dst, SOFSIM_FMT_S24_4LE, sofsim__dai_sext24(v >> 8));
	}
}

static int pa_write(struct sofsim_dai_backend *be, const void *frames, uint32_t count)
{
	struct pa *pa = be->priv;
	struct ring *r = &pa->ring;
	const uint8_t *src = frames;
	struct stall st;
	int ret;

	stall_init(pa, &st);
	while (count) {
		uint64_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
		uint64_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);
		uint32_t room = r->cap - (uint32_t)(head - tail), at, n;

		if (!room) {
			/* A full ring is the start threshold, as ALSA's default one is. */
			ret = pa_start(be);
			if (ret)
				return ret;
			if (stall_step(pa, &st))
				return stall_fail(be, "waiting for room in the ring");
			continue;
		}
		at = (uint32_t)(head & (r->cap - 1));
		n = count < room ? count : room;
		if (n > r->cap - at)
			n = r->cap - at;
		to_device(be, r->data + (size_t)at * r->frame_bytes, src, n);
		atomic_store_explicit(&r->head, head + n, memory_order_release);
		src += (size_t)n * be->frame_bytes;
		count -= n;
	}
	return 0;
}

static int pa_read(struct sofsim_dai_backend *be, void *frames, uint32_t count)
{
	struct pa *pa = be->priv;
	struct ring *r = &pa->ring;
	uint8_t *dst = frames;
	struct stall st;
	int ret = pa_start(be);

	if (ret)
		return ret;
	stall_init(pa, &st);
	while (count) {
		uint64_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
		uint64_t head = atomic_load_explicit(&r->head, memory_order_acquire);
		uint32_t avail = (uint32_t)(head - tail), at, n;

		if (!avail) {
			if (stall_step(pa, &st))
				return stall_fail(be, "waiting for captured frames");
			continue;
		}
		at = (uint32_t)(tail & (r->cap - 1));
		n = count < avail ? count : avail;
		if (n > r->cap - at)
			n = r->cap - at;
		from_device(be, dst, r->data + (size_t)at * r->frame_bytes, n);
		atomic_store_explicit(&r->tail, tail + n, memory_order_release);
		dst += (size_t)n * be->frame_bytes;
		count -= n;
	}
	return 0;
}

void sofsim_dai_portaudio_pace(void *arg, uint64_t from_ns, uint64_t to_ns)
{
	struct sofsim_dai_backend *const *slot = arg;
	struct sofsim_dai_backend *be = slot ? *slot : NULL;
	struct pa *pa;
	struct stall st;
	uint64_t target;

	(void)from_ns;
	if (!be || be->ops != &sofsim__dai_portaudio_ops || !be->priv)
		return;
	pa = be->priv;
	if (to_ns <= pa->origin_ns)
		return;
	if (pa_start(be)) {
		sofsim__dai_report(be, "%s\n", be->why);
		return;
	}
	target = sofsim_frames_in(be->p.rate_hz, to_ns - pa->origin_ns);
	stall_init(pa, &st);
	while (atomic_load_explicit(&pa->dev_frames, memory_order_acquire) < target &&
	       !atomic_load_explicit(&pa->finished, memory_order_acquire)) {
		if (stall_step(pa, &st)) {
			stall_fail(be, "pacing virtual time");
			sofsim__dai_report(be, "%s\n", be->why);
			return;
		}
	}
}

int sofsim_dai_portaudio_counters(const struct sofsim_dai_backend *be, uint64_t *device_frames,
				  uint64_t *xrun_frames)
{
	struct pa *pa;

	if (!be || be->ops != &sofsim__dai_portaudio_ops || !be->priv)
		return -EINVAL;
	pa = be->priv;
	if (device_frames)
		*device_frames = atomic_load_explicit(&pa->dev_frames, memory_order_acquire);
	if (xrun_frames)
		*xrun_frames = atomic_load_explicit(&pa->xrun_frames, memory_order_relaxed);
	return 0;
}

int sofsim_dai_portaudio_list(FILE *out)
{
	char reason[160];
	PaError err;
	int count;

	if (!out)
		return -EINVAL;
	err = Pa_Initialize();
	if (err != paNoError) {
		fprintf(out, "portaudio: cannot initialise PortAudio: %s\n", pa_reason(err, reason, sizeof(reason)));
		return -EIO;
	}
	count = Pa_GetDeviceCount();
	if (count < 0) {
		fprintf(out, "portaudio: cannot list devices: %s\n", pa_reason(count, reason, sizeof(reason)));
		Pa_Terminate();
		return -EIO;
	}
	for (int i = 0; i < count; i++) {
		const PaDeviceInfo *d = Pa_GetDeviceInfo(i);
		const PaHostApiInfo *api = d ? Pa_GetHostApiInfo(d->hostApi) : NULL;

		if (d)
			fprintf(out, "%d '%s' %s in=%d out=%d\n", i, d->name ? d->name : "?",
				api && api->name ? api->name : "?", d->maxInputChannels, d->maxOutputChannels);
	}
	Pa_Terminate();
	return count;
}

const struct sofsim__dai_ops sofsim__dai_portaudio_ops = {
	.name = "portaudio",
	.open = pa_open,
	.close = pa_close,
	.read = pa_read,
	.write = pa_write,
	/* No snapshot: a device cannot be rewound; the default refuses, naming the back end. */
};
