/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DAI back ends (lib/hw/dai_*.c): PCM parameter checks, every spec
 * error, and each back end's round trip. Expected values are derived
 * independently: tone samples from the sine formula in long double (and a
 * hand-made table), files by reading their bytes back by hand (RIFF walk,
 * raw containers), loopback output from the written frames and the delay.
 * Files go to a mkdtemp() directory that each test removes.
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fail_sweep.h"
#include "sim_test.h"

#include "sofsim/dai.h"
#include "sofsim/mem.h"
#include "sofsim/sim.h"

#include "hw/dai_priv.h"

#define MAX_FRAMES 4096u

struct scene {
	struct sofsim *sim;
	struct sofsim_dai_loopbacks *lbs;
	char dir[256];
	char path[4][512]; /* rotating results of at() */
	unsigned next;
	char why[512];
};

static int setup(void **state)
{
	struct scene *s = calloc(1, sizeof(*s));
	const char *tmp = getenv("TMPDIR");

	assert_non_null(s);
	s->sim = test_sim_create(SOFSIM_THREADS_FIBER, NULL, 1);
	assert_int_equal(sofsim_dai_loopbacks_create(s->sim, &s->lbs), 0);
	snprintf(s->dir, sizeof(s->dir), "%s/sofsim-dai.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(s->dir));
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	struct scene *s = *state;
	struct sofsim_heap_owner_stats st;
	DIR *d = opendir(s->dir);
	struct dirent *e;
	char p[600];

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", s->dir, e->d_name);
		if (unlink(p) != 0)
			rmdir(p);
	}
	closedir(d);
	assert_int_equal(rmdir(s->dir), 0);
	sofsim_dai_loopbacks_destroy(s->lbs);
	/* Every back end the test opened was closed: nothing of the owner "dai" is left. */
	sofsim_heap_owner_stats(sofsim_kernel_heap(s->sim), SOFSIM__DAI_OWNER, &st);
	assert_int_equal(st.count, 0);
	sofsim_destroy(s->sim);
	free(s);
	return 0;
}

/* A path (or spec, with @prefix) naming @name in the test's directory. */
static const char *at(struct scene *s, const char *prefix, const char *name)
{
	char *p = s->path[s->next++ % 4];

	snprintf(p, sizeof(s->path[0]), "%s%s/%s", prefix, s->dir, name);
	return p;
}

static struct sofsim_pcm_params pcm(uint32_t rate, uint32_t ch, enum sofsim_pcm_format fmt)
{
	return (struct sofsim_pcm_params){ .rate_hz = rate, .channels = ch, .format = fmt };
}

static struct sofsim_dai_backend *open_ok(struct scene *s, const char *spec, enum sofsim_dai_dir dir,
					  struct sofsim_pcm_params p)
{
	struct sofsim_dai_backend *be = NULL;
	int ret = sofsim_dai_backend_open(s->sim, s->lbs, spec, dir, &p, &be, s->why, sizeof(s->why));

	if (ret)
		fail_msg("open %s: %d: %s", spec, ret, s->why);
	assert_non_null(be);
	return be;
}

/* Opening must fail with @err and exactly @msg (a prefix when @prefix_only). */
static void open_fails(struct scene *s, const char *spec, enum sofsim_dai_dir dir, struct sofsim_pcm_params p,
		       int err, const char *msg, bool prefix_only)
{
	struct sofsim_dai_backend *be = (void *)&be;

	s->why[0] = '\0';
	assert_int_equal(sofsim_dai_backend_open(s->sim, s->lbs, spec, dir, &p, &be, s->why, sizeof(s->why)), err);
	assert_null(be);
	if (prefix_only ? strncmp(s->why, msg, strlen(msg)) != 0 : strcmp(s->why, msg) != 0)
		fail_msg("open %s: message\n  '%s'\nwant%s\n  '%s'", spec, s->why, prefix_only ? " a prefix" : "",
			 msg);
}

static uint32_t rng_next(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/* @n frames of noise; S24_4LE gets a random top byte, which a back end must ignore. */
static void noise(uint8_t *buf, uint32_t n, struct sofsim_pcm_params p, uint32_t seed)
{
	size_t bytes = (size_t)n * sofsim_pcm_frame_bytes(&p);

	for (size_t i = 0; i < bytes; i++)
		buf[i] = (uint8_t)rng_next(&seed);
}

/* What a back end gives back for @in: S24_4LE sign-extended from bit 23. */
static void canonical(uint8_t *buf, uint32_t n, struct sofsim_pcm_params p)
{
	if (p.format != SOFSIM_FMT_S24_4LE)
		return;
	for (size_t i = 0; i < (size_t)n * p.channels; i++)
		buf[4 * i + 3] = (buf[4 * i + 2] & 0x80) ? 0xff : 0x00;
}

static int32_t sample_at(const uint8_t *buf, size_t i, enum sofsim_pcm_format fmt)
{
	const uint8_t *b = buf + i * sofsim_pcm_format_bytes(fmt);

	if (fmt == SOFSIM_FMT_S16_LE)
		return (int16_t)(b[0] | b[1] << 8);
	return (int32_t)((uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24);
}

static bool all_zero(const uint8_t *buf, size_t bytes)
{
	for (size_t i = 0; i < bytes; i++)
		if (buf[i])
			return false;
	return true;
}

static size_t file_bytes(const char *path, uint8_t *buf, size_t max)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, max, f);
	fclose(f);
	return n;
}

static void file_put(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
}

static uint32_t rd32(const uint8_t *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

/* The RIFF chunk @id of a WAV image: its offset (past the 8-byte header) and size; 0 when absent. */
static size_t wav_chunk(const uint8_t *img, size_t len, const char *id, uint32_t *size)
{
	size_t at = 12;

	assert_true(len >= 12 && memcmp(img, "RIFF", 4) == 0 && memcmp(img + 8, "WAVE", 4) == 0);
	while (at + 8 <= len) {
		*size = rd32(img + at + 4);
		if (memcmp(img + at, id, 4) == 0)
			return at + 8;
		at += 8 + *size + (*size & 1);
	}
	return 0;
}

/* ---- PCM parameters ---- */

static void test_params_check_accepts_the_limits(void **state)
{
	(void)state;
	for (unsigned f = SOFSIM_FMT_S16_LE; f <= SOFSIM_FMT_S32_LE; f++) {
		struct sofsim_pcm_params lo = pcm(8000, 1, f), hi = pcm(192000, 8, f);

		assert_int_equal(sofsim_pcm_params_check(&lo, NULL, 0), 0);
		assert_int_equal(sofsim_pcm_params_check(&hi, NULL, 0), 0);
	}
	assert_int_equal(sofsim_pcm_format_bytes(SOFSIM_FMT_S16_LE), 2);
	assert_int_equal(sofsim_pcm_format_bytes(SOFSIM_FMT_S24_4LE), 4);
	assert_int_equal(sofsim_pcm_format_bytes(SOFSIM_FMT_S32_LE), 4);
	assert_int_equal(sofsim_pcm_format_bytes((enum sofsim_pcm_format)3), 0);
	assert_string_equal(sofsim_pcm_format_name(SOFSIM_FMT_S24_4LE), "S24_4LE");
	assert_string_equal(sofsim_pcm_format_name((enum sofsim_pcm_format)3), "?");
}

static void test_params_check_names_the_bad_field(void **state)
{
	static const struct {
		struct sofsim_pcm_params p;
		const char *why;
	} bad[] = {
		{ { 7999, 2, SOFSIM_FMT_S16_LE }, "params.rate_hz: 7999; want 8000 to 192000" },
		{ { 192001, 2, SOFSIM_FMT_S16_LE }, "params.rate_hz: 192001; want 8000 to 192000" },
		{ { 48000, 0, SOFSIM_FMT_S16_LE }, "params.channels: 0; want 1 to 8" },
		{ { 48000, 9, SOFSIM_FMT_S16_LE }, "params.channels: 9; want 1 to 8" },
		{ { 48000, 2, (enum sofsim_pcm_format)3 }, "params.format: 3; want S16_LE, S24_4LE or S32_LE" },
	};
	char why[128];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(sofsim_pcm_params_check(&bad[i].p, why, sizeof(why)), -EINVAL);
		assert_string_equal(why, bad[i].why);
	}
	assert_int_equal(sofsim_pcm_params_check(NULL, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, "params: NULL");
}

/* ---- specs and the generic layer ---- */

static void test_bad_specs_are_refused_with_the_spec_named(void **state)
{
	struct scene *s = *state;
	struct sofsim_pcm_params p = pcm(48000, 2, SOFSIM_FMT_S16_LE);
	const enum sofsim_dai_dir C = SOFSIM_DAI_CAPTURE, P = SOFSIM_DAI_PLAYBACK;

	open_fails(s, "bogus:x", C, p, -EINVAL, "bogus:x: unknown back end 'bogus'; want null, file, tone, loopback or portaudio",
		   false);
	open_fails(s, "", C, p, -EINVAL, "dai: empty spec; want null, file:<path>, tone:<Hz>, loopback:<name> or portaudio:<device>",
		   false);
	open_fails(s, "null:x", C, p, -EINVAL, "null:x: null takes no argument", false);
	open_fails(s, "file:", C, p, -EINVAL, "file: no path given; want file:<path>[,end=silence|loop]", false);
	open_fails(s, "file:a.mp3", C, p, -EINVAL, "a.mp3: unknown file type; want .wav, .flac or .raw", false);
	open_fails(s, "file:o.wav,end=loop", P, p, -EINVAL, "o.wav: 'end=loop' applies to capture files only", false);
	open_fails(s, "file:i.wav,end=forever", C, p, -EINVAL,
		   "i.wav: unknown option 'end=forever'; want end=silence or end=loop", false);
	open_fails(s, "tone:", C, p, -EINVAL, "tone: no frequency given; want tone:<Hz>[@<dB>dBFS][,...]", false);
	open_fails(s, "tone:abc", C, p, -EINVAL, "tone:abc: 'abc' is not a frequency in Hz", false);
	open_fails(s, "tone:440", P, p, -EINVAL, "tone:440: a tone back end cannot be used for playback", false);
	open_fails(s, "tone:24000", C, p, -EINVAL,
		   "tone:24000: 24000 Hz is not between 0 and half the rate (24000 Hz)", false);
	open_fails(s, "tone:0", C, p, -EINVAL, "tone:0: 0 Hz is not between 0 and half the rate (24000 Hz)", false);
	open_fails(s, "tone:440@+3dBFS", C, p, -EINVAL, "tone:440@+3dBFS: +3dBFS is above full scale (at most 0 dBFS)",
		   false);
	open_fails(s, "tone:440@loud", C, p, -EINVAL, "tone:440@loud: 'loud' is not an amplitude in dBFS", false);
	open_fails(s, "tone:440,880,1000", C, p, -EINVAL, "tone:440,880,1000: more tones than the 2 channel(s)",
		   false);
	open_fails(s, "loopback:", C, p, -EINVAL, "loopback: no name given; want loopback:<name>[,delay=<frames>]",
		   false);
	open_fails(s, "loopback:a,delay=x", C, p, -EINVAL, "loopback:a,delay=x: bad option 'delay=x'; want "
		   ",delay=<frames>", false);
	open_fails(s, "loopback:a,delay=48001", C, p, -EINVAL,
		   "loopback:a,delay=48001: delay longer than one second (48000 frames)", false);
	p.channels = 9;
	open_fails(s, "null", C, p, -EINVAL, "params.channels: 9; want 1 to 8", false);
}

static void test_loopback_without_a_registry_is_refused(void **state)
{
	struct scene *s = *state;
	struct sofsim_pcm_params p = pcm(48000, 2, SOFSIM_FMT_S16_LE);
	struct sofsim_dai_backend *be = NULL;

	assert_int_equal(sofsim_dai_backend_open(s->sim, NULL, "loopback:a", SOFSIM_DAI_CAPTURE, &p, &be, s->why,
						 sizeof(s->why)), -EINVAL);
	assert_null(be);
	assert_string_equal(s->why, "loopback:a: a loopback needs a registry (sofsim_dai_loopbacks_create())");
}

static void test_wrong_direction_calls_are_refused(void **state)
{
	struct scene *s = *state;
	struct sofsim_dai_backend *play = open_ok(s, "null", SOFSIM_DAI_PLAYBACK, pcm(48000, 2, SOFSIM_FMT_S16_LE));
	struct sofsim_dai_backend *cap = open_ok(s, "tone:1000", SOFSIM_DAI_CAPTURE, pcm(48000, 2, SOFSIM_FMT_S16_LE));
	uint8_t buf[64];

	assert_string_equal(sofsim_dai_backend_error(play), "");
	assert_int_equal(sofsim_dai_backend_read(play, buf, 4), -EINVAL);
	assert_string_equal(sofsim_dai_backend_error(play), "null: a playback back end cannot be read");
	assert_int_equal(sofsim_dai_backend_write(cap, buf, 4), -EINVAL);
	assert_string_equal(sofsim_dai_backend_error(cap), "tone:1000: a capture back end cannot be written");
	assert_int_equal(sofsim_dai_backend_read(cap, NULL, 4), -EINVAL);
	assert_int_equal(sofsim_dai_backend_read(cap, NULL, 0), 0);
	assert_int_equal(sofsim_dai_backend_read(NULL, buf, 1), -EINVAL);
	assert_string_equal(sofsim_dai_backend_name(cap), "tone");
	sofsim_dai_backend_close(play);
	sofsim_dai_backend_close(cap);
	sofsim_dai_backend_close(NULL);
}

static int dummy_open(struct sofsim_dai_backend *be, const char *arg, char *why, size_t why_len)
{
	(void)be, (void)arg, (void)why, (void)why_len;
	return 0;
}

static void dummy_close(struct sofsim_dai_backend *be)
{
	(void)be;
}

static int dummy_read(struct sofsim_dai_backend *be, void *frames, uint32_t count)
{
	(void)be, (void)frames, (void)count;
	return 0;
}

static int dummy_write(struct sofsim_dai_backend *be, const void *frames, uint32_t count)
{
	(void)be, (void)frames, (void)count;
	return 0;
}

static void test_ops_tables_have_their_mandatory_ops(void **state)
{
	static const struct sofsim__dai_ops no_close = { .name = "x", .open = dummy_open, .read = dummy_read };
	static const struct sofsim__dai_ops no_io = { .name = "x", .open = dummy_open, .close = dummy_close };
	static const struct sofsim__dai_ops no_name = { .open = dummy_open, .close = dummy_close, .read = dummy_read };
	static const struct sofsim__dai_ops write_only = { .name = "x", .open = dummy_open, .close = dummy_close,
							   .write = dummy_write };

	(void)state;
	assert_int_equal(sofsim__dai_ops_check(&sofsim__dai_null_ops), 0);
	assert_int_equal(sofsim__dai_ops_check(&sofsim__dai_file_ops), 0);
	assert_int_equal(sofsim__dai_ops_check(&sofsim__dai_tone_ops), 0);
	assert_int_equal(sofsim__dai_ops_check(&sofsim__dai_loopback_ops), 0);
	assert_int_equal(sofsim__dai_ops_check(&no_close), -EINVAL);
	assert_int_equal(sofsim__dai_ops_check(&no_io), -EINVAL);
	assert_int_equal(sofsim__dai_ops_check(&no_name), -EINVAL);
	assert_int_equal(sofsim__dai_ops_check(NULL), -EINVAL);
	assert_int_equal(sofsim__dai_ops_check(&write_only), 0);
}

/* ---- null ---- */

static void test_null_discards_playback_and_captures_silence(void **state)
{
	struct scene *s = *state;
	struct sofsim_pcm_params p = pcm(48000, 8, SOFSIM_FMT_S32_LE);
	struct sofsim_dai_backend *play = open_ok(s, "null", SOFSIM_DAI_PLAYBACK, p);
	struct sofsim_dai_backend *cap = open_ok(s, "null", SOFSIM_DAI_CAPTURE, p);
	struct sofsim_dai_backend_state st;
	static uint8_t buf[256 * 32];

	noise(buf, 256, p, 7);
	assert_int_equal(sofsim_dai_backend_write(play, buf, 256), 0);
	assert_int_equal(sofsim_dai_backend_read(cap, buf, 256), 0);
	assert_true(all_zero(buf, sizeof(buf)));
	assert_int_equal(sofsim_dai_backend_snapshot(cap, &st), 0);
	assert_string_equal(st.backend, "null");
	assert_int_equal(sofsim_dai_backend_restore(cap, &st), 0);
	/* A state of another kind or direction is refused. */
	assert_int_equal(sofsim_dai_backend_restore(play, &st), -EINVAL);
	assert_string_equal(sofsim_dai_backend_error(play),
			    "null: state is from a null capture back end, not this playback one");
	/* Back-end records are in the kernel heap (the arena). */
	assert_true(sofsim_heap_contains(sofsim_kernel_heap(s->sim), play));
	sofsim_dai_backend_close(play);
	sofsim_dai_backend_close(cap);
}

/* ---- tone ---- */

/*
 * A 1 kHz tone at 48 kHz, S16_LE, 0 dBFS: sample k = round(32767 sin(2π k / 48)),
 * a step of 7.5°: sin 7.5° = 0.130526 → 4276.95; sin 15° = 0.258819 → 8480.72;
 * sin 22.5° = 0.382683 → 12539.39; sin 30° = 0.5 → 16383.5 (exactly halfway:
 * either neighbour); sin 37.5° = 0.608761 → 19947.29; sin 45° = 0.707107 →
 * 23169.77; sin 52.5° = 0.793353 → 25995.81; sin 60° = 0.866025 → 28377.05;
 * sin 67.5° = 0.923880 → 30272.76; sin 75° = 0.965926 → 31650.49;
 * sin 82.5° = 0.991445 → 32486.67; sin 90° = 1 → 32767; then it falls again.
 */
static void test_tone_first_samples_of_1khz_match_the_hand_table(void **state)
{
	static const int16_t want[] = { 0,     4277,  8481,  12539, 16384, 19947, 23170,
					25996, 28377, 30273, 31650, 32487, 32767, 32487 };
	struct scene *s = *state;
	struct sofsim_dai_backend *be = open_ok(s, "tone:1000", SOFSIM_DAI_CAPTURE, pcm(48000, 1, SOFSIM_FMT_S16_LE));
	uint8_t buf[sizeof(want)];

	assert_int_equal(sofsim_dai_backend_read(be, buf, sizeof(want) / 2), 0);
	for (size_t k = 0; k < sizeof(want) / 2; k++) {
		int32_t got = sample_at(buf, k, SOFSIM_FMT_S16_LE);

		if (k == 4 ? labs((long)got - want[k]) > 1 : got != want[k])
			fail_msg("sample %zu: %d, want %d", k, got, want[k]);
	}
	sofsim_dai_backend_close(be);
}

/* Each channel's samples against A sin(2π f n / rate) in long double, within ±1 LSB. */
static void expect_sines(const uint8_t *buf, uint32_t frames, struct sofsim_pcm_params p, const long double *hz,
			 const long double *db, uint32_t first)
{
	long double full = p.format == SOFSIM_FMT_S16_LE ? 32767.0L : p.format == SOFSIM_FMT_S24_4LE ? 8388607.0L
											: 2147483647.0L;
	const long double two_pi = 6.283185307179586476925286766559005768L;

	for (uint32_t n = 0; n < frames; n++) {
		for (uint32_t c = 0; c < p.channels; c++) {
			long double a = full * powl(10.0L, db[c] / 20.0L);
			long double phase = fmodl(hz[c] * (long double)(first + n), (long double)p.rate_hz);
			long double want = a * sinl(two_pi * phase / (long double)p.rate_hz);
			int32_t got = sample_at(buf, (size_t)n * p.channels + c, p.format);

			if (fabsl((long double)got - want) > 1.0L)
				fail_msg("frame %u channel %u: %d, want %.3Lf", first + n, c, got, want);
			if (p.format == SOFSIM_FMT_S24_4LE && (got < -8388608 || got > 8388607))
				fail_msg("frame %u channel %u: %d is not sign-extended", first + n, c, got);
		}
	}
}

static void test_tone_matches_the_sine_formula_per_channel(void **state)
{
	static const struct {
		const char *spec;
		uint32_t rate, ch;
		enum sofsim_pcm_format fmt;
		long double hz[8], db[8];
	} cases[] = {
		{ "tone:1000", 48000, 2, SOFSIM_FMT_S16_LE, { 1000, 1000 }, { 0, 0 } },
		{ "tone:440,880@-6dBFS", 44100, 2, SOFSIM_FMT_S24_4LE, { 440, 880 }, { 0, -6 } },
		{ "tone:440.5@-20", 8000, 1, SOFSIM_FMT_S32_LE, { 440.5L }, { -20 } },
		{ "tone:100,200,300@-3.5dBFS", 192000, 8, SOFSIM_FMT_S32_LE,
		  { 100, 200, 300, 300, 300, 300, 300, 300 }, { 0, 0, -3.5L, -3.5L, -3.5L, -3.5L, -3.5L, -3.5L } },
		{ "tone:3999.999", 8000, 1, SOFSIM_FMT_S24_4LE, { 3999.999L }, { 0 } },
	};
	struct scene *s = *state;
	static uint8_t buf[MAX_FRAMES * 32];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sofsim_pcm_params p = pcm(cases[i].rate, cases[i].ch, cases[i].fmt);
		struct sofsim_dai_backend *be = open_ok(s, cases[i].spec, SOFSIM_DAI_CAPTURE, p);
		uint32_t done = 0;

		/* Odd-sized reads: the phase must carry across calls. */
		for (uint32_t n = 1; done + n <= MAX_FRAMES; done += n, n = n * 3 % 1021 + 1) {
			assert_int_equal(sofsim_dai_backend_read(be, buf, n), 0);
			expect_sines(buf, n, p, cases[i].hz, cases[i].db, done);
		}
		sofsim_dai_backend_close(be);
	}
}

static void test_tone_is_reproducible_and_restore_repeats_samples(void **state)
{
	struct scene *s = *state;
	struct sofsim_pcm_params p = pcm(48000, 2, SOFSIM_FMT_S32_LE);
	struct sofsim_dai_backend *a = open_ok(s, "tone:997,1499@-1dBFS", SOFSIM_DAI_CAPTURE, p);
	struct sofsim_dai_backend *b = open_ok(s, "tone:997,1499@-1dBFS", SOFSIM_DAI_CAPTURE, p);
	struct sofsim_dai_backend_state st;
	static uint8_t x[1000 * 8], y[1000 * 8];

	assert_int_equal(sofsim_dai_backend_read(a, x, 333), 0);
	assert_int_equal(sofsim_dai_backend_snapshot(a, &st), 0);
	assert_int_equal(sofsim_dai_backend_read(a, x, 1000), 0);
	assert_int_equal(sofsim_dai_backend_restore(a, &st), 0);
	assert_int_equal(sofsim_dai_backend_read(a, y, 1000), 0);
	assert_memory_equal(x, y, sizeof(x));
	/* A second back end reaches the same samples bit for bit. */
	assert_int_equal(sofsim_dai_backend_read(b, y, 333), 0);
	assert_int_equal(sofsim_dai_backend_read(b, y, 1000), 0);
	assert_memory_equal(x, y, sizeof(x));
	st.u.tone.phase[1] = 48000u * 1000u;
	assert_int_equal(sofsim_dai_backend_restore(a, &st), -EINVAL);
	assert_string_equal(sofsim_dai_backend_error(a),
			    "tone:997,1499@-1dBFS: saved phase 48000000 of channel 1 is not below 48000000");
	sofsim_dai_backend_close(a);
	sofsim_dai_backend_close(b);
}

/* ---- file ---- */

/* The data chunk of a written WAV holds exactly the samples, packed to the file's width. */
static void expect_wav_bytes(const char *path, const uint8_t *want, uint32_t frames, struct sofsim_pcm_params p)
{
	static uint8_t img[MAX_FRAMES * 32 + 4096];
	size_t len = file_bytes(path, img, sizeof(img)), fmt, data;
	unsigned width = p.format == SOFSIM_FMT_S16_LE ? 2 : p.format == SOFSIM_FMT_S24_4LE ? 3 : 4;
	uint32_t size;

	fmt = wav_chunk(img, len, "fmt ", &size);
	assert_true(fmt && size >= 16);
	assert_int_equal(img[fmt + 2] | img[fmt + 3] << 8, p.channels);
	assert_int_equal(rd32(img + fmt + 4), p.rate_hz);
	assert_int_equal(img[fmt + 14] | img[fmt + 15] << 8, width * 8);
	data = wav_chunk(img, len, "data", &size);
	assert_true(data);
	assert_int_equal(size, (size_t)frames * p.channels * width);
	for (size_t i = 0; i < (size_t)frames * p.channels; i++) {
		int32_t v = sample_at(want, i, p.format);
		uint8_t le[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)((uint32_t)v >> 24) };

		if (memcmp(img + data + i * width, le, width) != 0)
			fail_msg("%s: sample %zu differs", path, i);
	}
}

static void round_trip(struct scene *s, const char *ext, struct sofsim_pcm_params p, uint32_t seed)
{
	static uint8_t in[MAX_FRAMES * 32], out[MAX_FRAMES * 32];
	const uint32_t frames = 300, fb = sofsim_pcm_frame_bytes(&p);
	char name[64];
	const char *spec, *path;
	struct sofsim_dai_backend *be;

	snprintf(name, sizeof(name), "rt-%u-%u-%d.%s", p.rate_hz, p.channels, (int)p.format, ext);
	spec = at(s, "file:", name);
	path = spec + 5;
	noise(in, frames, p, seed);
	be = open_ok(s, spec, SOFSIM_DAI_PLAYBACK, p);
	assert_int_equal(sofsim_dai_backend_write(be, in, 100), 0);
	assert_int_equal(sofsim_dai_backend_write(be, in + 100 * fb, frames - 100), 0);
	sofsim_dai_backend_close(be);

	canonical(in, frames, p);
	if (strcmp(ext, "raw") == 0) {
		assert_int_equal(file_bytes(path, out, sizeof(out)), (size_t)frames * fb);
		assert_memory_equal(out, in, (size_t)frames * fb);
	} else if (strcmp(ext, "wav") == 0) {
		expect_wav_bytes(path, in, frames, p);
	}
	be = open_ok(s, spec, SOFSIM_DAI_CAPTURE, p);
	memset(out, 0xa5, sizeof(out));
	assert_int_equal(sofsim_dai_backend_read(be, out, frames + 20), 0);
	if (memcmp(out, in, (size_t)frames * fb) != 0)
		fail_msg("%s: read back differs", path);
	assert_true(all_zero(out + (size_t)frames * fb, (size_t)20 * fb)); /* end=silence by default */
	sofsim_dai_backend_close(be);
}

static void test_file_round_trip_is_bit_exact(void **state)
{
	static const char *const ext[] = { "wav", "flac", "raw" };
	static const uint32_t ch[] = { 1, 2, 8 }, rate[] = { 8000, 192000 };
	struct scene *s = *state;
	uint32_t seed = 1;

	for (size_t e = 0; e < 3; e++)
		for (unsigned f = SOFSIM_FMT_S16_LE; f <= SOFSIM_FMT_S32_LE; f++)
			for (size_t c = 0; c < 3; c++)
				for (size_t r = 0; r < 2; r++) {
					if (e == 1 && f == SOFSIM_FMT_S32_LE)
						continue; /* refused, below */
					round_trip(s, ext[e], pcm(rate[r], ch[c], f), seed++);
				}
}

static void test_flac_refuses_s32(void **state)
{
	struct scene *s = *state;
	char msg[600];

	snprintf(msg, sizeof(msg), "%s: FLAC cannot hold S32_LE (use S16_LE or S24_4LE)", at(s, "", "out.flac"));
	open_fails(s, at(s, "file:", "out.flac"), SOFSIM_DAI_PLAYBACK, pcm(48000, 2, SOFSIM_FMT_S32_LE), -EOPNOTSUPP,
		   msg, false);
	assert_int_equal(access(at(s, "", "out.flac"), F_OK), -1); /* refused before the file was made */
}

/* A playback file of @frames frames of noise; returns the canonical samples in @in. */
static void make_file(struct scene *s, const char *spec, struct sofsim_pcm_params p, uint8_t *in, uint32_t frames)
{
	struct sofsim_dai_backend *be = open_ok(s, spec, SOFSIM_DAI_PLAYBACK, p);

	noise(in, frames, p, frames);
	assert_int_equal(sofsim_dai_backend_write(be, in, frames), 0);
	sofsim_dai_backend_close(be);
	canonical(in, frames, p);
}

static void test_capture_after_the_end_is_silence_or_the_file_again(void **state)
{
	struct scene *s = *state;
	struct sofsim_pcm_params p = pcm(48000, 2, SOFSIM_FMT_S16_LE);
	static uint8_t in[100 * 4], out[250 * 4];
	char spec[600];
	struct sofsim_dai_backend *be;

	make_file(s, at(s, "file:", "in.wav"), p, in, 100);
	snprintf(spec, sizeof(spec), "%s,end=loop", at(s, "file:", "in.wav"));
	be = open_ok(s, spec, SOFSIM_DAI_CAPTURE, p);
	assert_int_equal(sofsim_dai_backend_read(be, out, 250), 0);
	assert_memory_equal(out, in, sizeof(in));
	assert_memory_equal(out + 400, in, sizeof(in));
	assert_memory_equal(out + 800, in, 50 * 4);
	sofsim_dai_backend_close(be);

	snprintf(spec, sizeof(spec), "%s,end=silence", at(s, "file:", "in.wav"));
	be = open_ok(s, spec, SOFSIM_DAI_CAPTURE, p);
	assert_int_equal(sofsim_dai_backend_read(be, out, 99), 0);
	assert_int_equal(sofsim_dai_backend_read(be, out + 99 * 4, 151), 0);
	assert_memory_equal(out, in, sizeof(in));
	assert_true(all_zero(out + 400, 150 * 4));
	sofsim_dai_backend_close(be);
}

static void test_capture_file_must_match_rate_and_channels(void **state)
{
	struct scene *s = *state;
	static uint8_t in[10 * 8];
	char msg[600];

	make_file(s, at(s, "file:", "m.flac"), pcm(44100, 2, SOFSIM_FMT_S16_LE), in, 10);
	snprintf(msg, sizeof(msg), "%s: 44100 Hz, 2 channel(s) differ from the DAI's 48000 Hz, 2 channel(s)",
		 at(s, "", "m.flac"));
	open_fails(s, at(s, "file:", "m.flac"), SOFSIM_DAI_CAPTURE, pcm(48000, 2, SOFSIM_FMT_S16_LE), -EINVAL, msg,
		   false);
	snprintf(msg, sizeof(msg), "%s: 44100 Hz, 2 channel(s) differ from the DAI's 44100 Hz, 1 channel(s)",
		 at(s, "", "m.flac"));
	open_fails(s, at(s, "file:", "m.flac"), SOFSIM_DAI_CAPTURE, pcm(44100, 1, SOFSIM_FMT_S16_LE), -EINVAL, msg,
		   false);
}

static void test_capture_widens_a_16_bit_file_exactly(void **state)
{
	struct scene *s = *state;
	static uint8_t in[64 * 2 * 2], out[64 * 2 * 4];
	struct sofsim_dai_backend *be;

	make_file(s, at(s, "file:", "w.wav"), pcm(48000, 2, SOFSIM_FMT_S16_LE), in, 64);
	be = open_ok(s, at(s, "file:", "w.wav"), SOFSIM_DAI_CAPTURE, pcm(48000, 2, SOFSIM_FMT_S24_4LE));
	assert_int_equal(sofsim_dai_backend_read(be, out, 64), 0);
	for (size_t i = 0; i < 128; i++)
		assert_int_equal(sample_at(out, i, SOFSIM_FMT_S24_4LE), sample_at(in, i, SOFSIM_FMT_S16_LE) * 256);
	sofsim_dai_backend_close(be);
}

/* A raw S24_4LE file made elsewhere may carry junk in the top bytes: capture sign-extends bit 23. */
static void test_raw_s24_capture_ignores_the_top_byte(void **state)
{
	/* Little-endian containers: 0x123456 under 0xAB, -1 (0xffffff) under 0x00, -0x800000 under 0x7f. */
	static const uint8_t raw[] = { 0x56, 0x34, 0x12, 0xab, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x80, 0x7f };
	static const int32_t want[] = { 0x123456, -1, -0x800000 };
	struct scene *s = *state;
	struct sofsim_dai_backend *be;
	uint8_t out[sizeof(raw)];

	file_put(at(s, "", "junk.raw"), raw, sizeof(raw));
	be = open_ok(s, at(s, "file:", "junk.raw"), SOFSIM_DAI_CAPTURE, pcm(48000, 1, SOFSIM_FMT_S24_4LE));
	assert_int_equal(sofsim_dai_backend_read(be, out, 3), 0);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(sample_at(out, i, SOFSIM_FMT_S24_4LE), want[i]);
	sofsim_dai_backend_close(be);
}

static void test_bad_files_are_refused_with_the_path(void **state)
{
	/* An 8-bit WAV (made by hand): RIFF, fmt (PCM, 2 ch, 48 kHz, 96000 B/s, align 2, 8 bits), 4 data bytes. */
	static const uint8_t wav8[] = { 'R', 'I', 'F', 'F', 40, 0, 0, 0, 'W', 'A', 'V', 'E', 'f', 'm', 't', ' ',
					16, 0, 0, 0, 1, 0, 2, 0, 0x80, 0xbb, 0, 0, 0x00, 0x77, 0x01, 0,
					2, 0, 8, 0, 'd', 'a', 't', 'a', 4, 0, 0, 0, 0x80, 0x80, 0x80, 0x80 };
	struct scene *s = *state;
	struct sofsim_pcm_params p = pcm(48000, 2, SOFSIM_FMT_S16_LE);
	static uint8_t in[1000 * 4], img[16384];
	const char *path;
	char msg[700];
	size_t len, data;
	uint32_t size;

	path = at(s, "", "missing.wav");
	snprintf(msg, sizeof(msg), "%s: cannot open: No such file or directory", path);
	open_fails(s, at(s, "file:", "missing.wav"), SOFSIM_DAI_CAPTURE, p, -ENOENT, msg, false);

	/* A valid WAV cut inside its data chunk. */
	make_file(s, at(s, "file:", "cut.wav"), p, in, 100);
	path = at(s, "", "cut.wav");
	len = file_bytes(path, img, sizeof(img));
	data = wav_chunk(img, len, "data", &size);
	assert_int_equal(size, 400);
	assert_int_equal(truncate(path, (off_t)(data + 100)), 0);
	snprintf(msg, sizeof(msg), "%s: truncated: the data chunk declares 400 bytes, 100 are present", path);
	open_fails(s, at(s, "file:", "cut.wav"), SOFSIM_DAI_CAPTURE, p, -EIO, msg, false);

	/* A FLAC cut in half: its last frame cannot be decoded. */
	make_file(s, at(s, "file:", "cut.flac"), p, in, 1000);
	path = at(s, "", "cut.flac");
	len = file_bytes(path, img, sizeof(img));
	assert_int_equal(truncate(path, (off_t)(len / 2)), 0);
	snprintf(msg, sizeof(msg), "%s: truncated or corrupt: frame 999 of 1000 cannot be decoded (libsndfile: ",
		 path);
	open_fails(s, at(s, "file:", "cut.flac"), SOFSIM_DAI_CAPTURE, p, -EIO, msg, true);

	path = at(s, "", "text.wav");
	file_put(path, "this is text, not a WAV file\n", 29);
	snprintf(msg, sizeof(msg), "%s: not a valid WAV file (libsndfile: ", path);
	open_fails(s, at(s, "file:", "text.wav"), SOFSIM_DAI_CAPTURE, p, -EIO, msg, true);

	path = at(s, "", "u8.wav");
	file_put(path, wav8, sizeof(wav8));
	snprintf(msg, sizeof(msg), "%s: unsupported sample encoding (libsndfile subtype 0x5); want 16-, 24- or "
		 "32-bit integer PCM", path);
	open_fails(s, at(s, "file:", "u8.wav"), SOFSIM_DAI_CAPTURE, p, -EOPNOTSUPP, msg, false);

	/* A FLAC file under a .wav name. */
	make_file(s, at(s, "file:", "f.flac"), p, in, 10);
	assert_int_equal(rename(at(s, "", "f.flac"), at(s, "", "f.wav")), 0);
	snprintf(msg, sizeof(msg), "%s: not a WAV file (libsndfile reads it as major format 0x170000)",
		 at(s, "", "f.wav"));
	open_fails(s, at(s, "file:", "f.wav"), SOFSIM_DAI_CAPTURE, p, -EIO, msg, false);

	path = at(s, "", "odd.raw");
	file_put(path, "12345", 5);
	snprintf(msg, sizeof(msg), "%s: truncated: 5 bytes is not a whole number of 4-byte frames", path);
	open_fails(s, at(s, "file:", "odd.raw"), SOFSIM_DAI_CAPTURE, p, -EIO, msg, false);

	path = at(s, "", "sub.wav");
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(msg, sizeof(msg), "%s: not a regular file", path);
	open_fails(s, at(s, "file:", "sub.wav"), SOFSIM_DAI_CAPTURE, p, -EINVAL, msg, false);

	snprintf(msg, sizeof(msg), "%s/no/such/dir/o.wav: cannot open: No such file or directory", s->dir);
	open_fails(s, at(s, "file:", "no/such/dir/o.wav"), SOFSIM_DAI_PLAYBACK, p, -ENOENT, msg, false);
}

static void test_capture_file_restore_rereads_the_same_frames(void **state)
{
	static const char *const names[] = { "s.wav", "s.flac", "s.raw" };
	struct scene *s = *state;
	struct sofsim_pcm_params p = pcm(96000, 2, SOFSIM_FMT_S24_4LE);
	static uint8_t in[500 * 8], x[300 * 8], y[300 * 8];
	struct sofsim_dai_backend_state st;
	char spec[600];

	for (size_t i = 0; i < 3; i++) {
		struct sofsim_dai_backend *be;

		make_file(s, at(s, "file:", names[i]), p, in, 500);
		snprintf(spec, sizeof(spec), "%s,end=loop", at(s, "file:", names[i]));
		be = open_ok(s, spec, SOFSIM_DAI_CAPTURE, p);
		assert_int_equal(sofsim_dai_backend_read(be, x, 37), 0);
		assert_int_equal(sofsim_dai_backend_snapshot(be, &st), 0);
		assert_int_equal(st.u.file.frame, 37);
		assert_int_equal(sofsim_dai_backend_read(be, x, 300), 0);
		assert_int_equal(sofsim_dai_backend_read(be, y, 300), 0); /* past the end: loops */
		assert_int_equal(sofsim_dai_backend_restore(be, &st), 0);
		assert_int_equal(sofsim_dai_backend_read(be, y, 300), 0);
		assert_memory_equal(x, y, sizeof(x));
		assert_memory_equal(x, in + 37 * 8, sizeof(x));
		st.u.file.frame = 501;
		assert_int_equal(sofsim_dai_backend_restore(be, &st), -EINVAL);
		snprintf(spec, sizeof(spec), "%s: saved frame 501 is past the end (500 frames)", at(s, "", names[i]));
		assert_string_equal(sofsim_dai_backend_error(be), spec);
		sofsim_dai_backend_close(be);
	}
}

static void test_playback_file_restore_truncates_wav_and_raw_and_refuses_flac(void **state)
{
	static const char *const names[] = { "t.wav", "t.raw" };
	struct scene *s = *state;
	struct sofsim_pcm_params p = pcm(48000, 1, SOFSIM_FMT_S16_LE);
	static uint8_t a[150 * 2], b[30 * 2], out[200 * 2];
	struct sofsim_dai_backend_state st;
	struct sofsim_dai_backend *be;
	char msg[600];

	noise(a, 150, p, 3);
	noise(b, 30, p, 4);
	for (size_t i = 0; i < 2; i++) {
		be = open_ok(s, at(s, "file:", names[i]), SOFSIM_DAI_PLAYBACK, p);
		assert_int_equal(sofsim_dai_backend_write(be, a, 100), 0);
		assert_int_equal(sofsim_dai_backend_snapshot(be, &st), 0);
		assert_int_equal(sofsim_dai_backend_write(be, a + 200, 50), 0);
		assert_int_equal(sofsim_dai_backend_restore(be, &st), 0);
		assert_int_equal(sofsim_dai_backend_write(be, b, 30), 0);
		st.u.file.frame = 131;
		assert_int_equal(sofsim_dai_backend_restore(be, &st), -EOPNOTSUPP);
		snprintf(msg, sizeof(msg), "%s: cannot go forward to frame 131: the file holds 130",
			 at(s, "", names[i]));
		assert_string_equal(sofsim_dai_backend_error(be), msg);
		sofsim_dai_backend_close(be);

		be = open_ok(s, at(s, "file:", names[i]), SOFSIM_DAI_CAPTURE, p);
		memset(out, 0x5a, sizeof(out));
		assert_int_equal(sofsim_dai_backend_read(be, out, 200), 0);
		assert_memory_equal(out, a, 200);
		assert_memory_equal(out + 200, b, 60);
		assert_true(all_zero(out + 260, sizeof(out) - 260));
		sofsim_dai_backend_close(be);
	}
	be = open_ok(s, at(s, "file:", "t.flac"), SOFSIM_DAI_PLAYBACK, p);
	assert_int_equal(sofsim_dai_backend_snapshot(be, &st), -EOPNOTSUPP);
	snprintf(msg, sizeof(msg), "%s: a FLAC file being written cannot be rewound (the encoder streams); use WAV "
		 "or raw", at(s, "", "t.flac"));
	assert_string_equal(sofsim_dai_backend_error(be), msg);
	sofsim_dai_backend_close(be);
}

/* ---- loopback ---- */

static void test_loopback_delivers_after_exactly_delay_frames_of_silence(void **state)
{
	struct scene *s = *state;
	struct sofsim_pcm_params p = pcm(48000, 2, SOFSIM_FMT_S32_LE);
	struct sofsim_dai_backend *cap = open_ok(s, "loopback:a,delay=48", SOFSIM_DAI_CAPTURE, p);
	struct sofsim_dai_backend *play = open_ok(s, "loopback:a", SOFSIM_DAI_PLAYBACK, p);
	static uint8_t in[100 * 8], out[200 * 8];

	noise(in, 100, p, 9);
	assert_int_equal(sofsim_dai_backend_write(play, in, 60), 0);
	assert_int_equal(sofsim_dai_backend_write(play, in + 60 * 8, 40), 0);
	memset(out, 0xee, sizeof(out));
	assert_int_equal(sofsim_dai_backend_read(cap, out, 30), 0);
	assert_int_equal(sofsim_dai_backend_read(cap, out + 30 * 8, 170), 0);
	assert_true(all_zero(out, 48 * 8));
	assert_memory_equal(out + 48 * 8, in, sizeof(in));
	assert_true(all_zero(out + 148 * 8, 52 * 8)); /* nothing more written: silence */
	sofsim_dai_backend_close(play);
	sofsim_dai_backend_close(cap);
}

static void test_loopback_pairs_by_name(void **state)
{
	struct scene *s = *state;
	struct sofsim_pcm_params p = pcm(16000, 1, SOFSIM_FMT_S16_LE);
	struct sofsim_dai_backend *pa = open_ok(s, "loopback:a", SOFSIM_DAI_PLAYBACK, p);
	struct sofsim_dai_backend *pb = open_ok(s, "loopback:b,delay=2", SOFSIM_DAI_PLAYBACK, p);
	struct sofsim_dai_backend *cb = open_ok(s, "loopback:b,delay=2", SOFSIM_DAI_CAPTURE, p);
	struct sofsim_dai_backend *ca = open_ok(s, "loopback:a", SOFSIM_DAI_CAPTURE, p);
	const int16_t xa[3] = { 1, 2, 3 }, xb[3] = { -1, -2, -3 }, wa[3] = { 1, 2, 3 }, wb[5] = { 0, 0, -1, -2, -3 };
	int16_t got[5];

	assert_int_equal(sofsim_dai_backend_write(pb, xb, 3), 0);
	assert_int_equal(sofsim_dai_backend_write(pa, xa, 3), 0);
	assert_int_equal(sofsim_dai_backend_read(ca, got, 3), 0);
	assert_memory_equal(got, wa, sizeof(wa));
	assert_int_equal(sofsim_dai_backend_read(cb, got, 5), 0);
	assert_memory_equal(got, wb, sizeof(wb));
	sofsim_dai_backend_close(pa);
	sofsim_dai_backend_close(pb);
	sofsim_dai_backend_close(ca);
	sofsim_dai_backend_close(cb);
}

static void test_loopback_capture_without_partner_is_silence_until_one_joins(void **state)
{
	struct scene *s = *state;
	struct sofsim_pcm_params p = pcm(48000, 1, SOFSIM_FMT_S16_LE);
	struct sofsim_dai_backend *cap = open_ok(s, "loopback:x,delay=4", SOFSIM_DAI_CAPTURE, p);
	struct sofsim_dai_backend *play;
	const int16_t x[3] = { 7, 8, 9 };
	int16_t got[8];

	memset(got, 0x11, sizeof(got));
	assert_int_equal(sofsim_dai_backend_read(cap, got, 8), 0);
	assert_true(all_zero((uint8_t *)got, sizeof(got)));
	play = open_ok(s, "loopback:x", SOFSIM_DAI_PLAYBACK, p);
	assert_int_equal(sofsim_dai_backend_write(play, x, 3), 0);
	/* The delay was spent before the partner came: its frames come at once. */
	assert_int_equal(sofsim_dai_backend_read(cap, got, 3), 0);
	assert_memory_equal(got, x, sizeof(x));
	sofsim_dai_backend_close(play);
	sofsim_dai_backend_close(cap);

	/* A playback end alone discards; a capture end that joins starts with the delay. */
	play = open_ok(s, "loopback:y,delay=2", SOFSIM_DAI_PLAYBACK, p);
	assert_int_equal(sofsim_dai_backend_write(play, x, 3), 0);
	cap = open_ok(s, "loopback:y", SOFSIM_DAI_CAPTURE, p);
	assert_int_equal(sofsim_dai_backend_write(play, x + 2, 1), 0);
	assert_int_equal(sofsim_dai_backend_read(cap, got, 4), 0);
	assert_int_equal(got[0], 0);
	assert_int_equal(got[1], 0);
	assert_int_equal(got[2], 9);
	assert_int_equal(got[3], 0);
	sofsim_dai_backend_close(cap);
	sofsim_dai_backend_close(play);
}

static void test_loopback_ends_must_agree(void **state)
{
	struct scene *s = *state;
	struct sofsim_pcm_params p = pcm(48000, 2, SOFSIM_FMT_S16_LE);
	struct sofsim_dai_backend *cap = open_ok(s, "loopback:a,delay=10", SOFSIM_DAI_CAPTURE, p);

	open_fails(s, "loopback:a", SOFSIM_DAI_CAPTURE, p, -EBUSY,
		   "loopback:a: loopback 'a' already has a capture end", false);
	open_fails(s, "loopback:a,delay=11", SOFSIM_DAI_PLAYBACK, p, -EINVAL,
		   "loopback:a,delay=11: delay=11 differs from the pair's 10 (set by the end opened first)", false);
	open_fails(s, "loopback:a", SOFSIM_DAI_PLAYBACK, pcm(48000, 2, SOFSIM_FMT_S24_4LE), -EINVAL,
		   "loopback:a: 48000 Hz, 2 channel(s), S24_4LE differ from the other end's 48000 Hz, 2 channel(s), "
		   "S16_LE", false);
	sofsim_dai_backend_close(cap);
}

static void test_loopback_overrun_loses_the_excess(void **state)
{
	struct scene *s = *state;
	struct sofsim_pcm_params p = pcm(8000, 1, SOFSIM_FMT_S16_LE); /* ring: 20 ms = 160 frames */
	struct sofsim_dai_backend *cap = open_ok(s, "loopback:o", SOFSIM_DAI_CAPTURE, p);
	struct sofsim_dai_backend *play = open_ok(s, "loopback:o", SOFSIM_DAI_PLAYBACK, p);
	int16_t in[200], out[200];

	for (int i = 0; i < 200; i++)
		in[i] = (int16_t)(i + 1);
	assert_int_equal(sofsim_dai_backend_write(play, in, 200), 0);
	assert_int_equal(sofsim_dai_backend_read(cap, out, 200), 0);
	assert_memory_equal(out, in, 160 * 2);
	assert_true(all_zero((uint8_t *)(out + 160), 40 * 2));
	sofsim_dai_backend_close(play);
	sofsim_dai_backend_close(cap);
}

static void test_loopback_restore_repeats_until_the_ring_is_overwritten(void **state)
{
	struct scene *s = *state;
	struct sofsim_pcm_params p = pcm(8000, 1, SOFSIM_FMT_S16_LE);
	struct sofsim_dai_backend *cap = open_ok(s, "loopback:r,delay=5", SOFSIM_DAI_CAPTURE, p);
	struct sofsim_dai_backend *play = open_ok(s, "loopback:r", SOFSIM_DAI_PLAYBACK, p);
	struct sofsim_dai_backend_state st;
	int16_t in[200], x[50], y[50];

	for (int i = 0; i < 200; i++)
		in[i] = (int16_t)(1000 + i);
	assert_int_equal(sofsim_dai_backend_write(play, in, 100), 0);
	assert_int_equal(sofsim_dai_backend_read(cap, x, 10), 0);
	assert_int_equal(sofsim_dai_backend_snapshot(cap, &st), 0);
	assert_int_equal(st.u.loopback.written, 105);
	assert_int_equal(st.u.loopback.taken, 10);
	assert_int_equal(sofsim_dai_backend_read(cap, x, 50), 0);
	assert_int_equal(sofsim_dai_backend_restore(cap, &st), 0);
	assert_int_equal(sofsim_dai_backend_read(cap, y, 50), 0);
	assert_memory_equal(x, y, sizeof(x));
	assert_int_equal(y[0], 1005); /* frame 10 of the capture = written frame 5 */

	/* Drain and refill: the saved frames' slots now hold other frames. */
	assert_int_equal(sofsim_dai_backend_read(cap, x, 45), 0);
	assert_int_equal(sofsim_dai_backend_write(play, in + 100, 100), 0);
	assert_int_equal(sofsim_dai_backend_write(play, in, 60), 0);
	assert_int_equal(sofsim_dai_backend_restore(cap, &st), -EOPNOTSUPP);
	assert_string_equal(sofsim_dai_backend_error(cap), "loopback:r,delay=5: the ring of loopback 'r' has been "
			    "overwritten since the snapshot; restore the arena with it");
	sofsim_dai_backend_close(play);
	sofsim_dai_backend_close(cap);
}

static void test_loopback_pair_outlives_its_registry(void **state)
{
	struct scene *s = *state;
	struct sofsim_pcm_params p = pcm(8000, 1, SOFSIM_FMT_S16_LE);
	struct sofsim_dai_loopbacks *lbs;
	struct sofsim_dai_backend *cap, *play;
	const int16_t x[2] = { 5, 6 };
	int16_t got[2];

	assert_int_equal(sofsim_dai_loopbacks_create(s->sim, &lbs), 0);
	assert_int_equal(sofsim_dai_backend_open(s->sim, lbs, "loopback:z", SOFSIM_DAI_CAPTURE, &p, &cap, NULL, 0), 0);
	assert_int_equal(sofsim_dai_backend_open(s->sim, lbs, "loopback:z", SOFSIM_DAI_PLAYBACK, &p, &play, NULL, 0),
			 0);
	sofsim_dai_loopbacks_destroy(lbs);
	assert_int_equal(sofsim_dai_backend_write(play, x, 2), 0);
	assert_int_equal(sofsim_dai_backend_read(cap, got, 2), 0);
	assert_memory_equal(got, x, sizeof(x));
	sofsim_dai_backend_close(cap);
	sofsim_dai_backend_close(play);
	sofsim_dai_loopbacks_destroy(NULL);
}

/* ---- context snapshot and reset ---- */

/*
 * sofsim_reset() rolls the arena back: tone phases, loopback rings and file
 * positions come back with it; the file back end then re-seeks (capture)
 * or truncates (WAV being written) libsndfile's side, outside the arena.
 * A FLAC being written cannot be rewound, so while one is open
 * sofsim_snapshot() refuses and names it.
 */
static void test_backends_follow_a_context_reset(void **state)
{
	struct scene *s = *state;
	struct sofsim_pcm_params p = pcm(48000, 2, SOFSIM_FMT_S16_LE);
	static uint8_t in[500 * 4], x[300 * 4], y[300 * 4], tx[100 * 4], ty[100 * 4], lx[20 * 4], ly[20 * 4];
	struct sofsim_dai_backend *cap, *play, *flac, *tone, *lc, *lp;
	char spec[600], msg[600];

	make_file(s, at(s, "file:", "in.wav"), p, in, 500);
	snprintf(spec, sizeof(spec), "%s,end=loop", at(s, "file:", "in.wav"));
	cap = open_ok(s, spec, SOFSIM_DAI_CAPTURE, p);
	play = open_ok(s, at(s, "file:", "out.wav"), SOFSIM_DAI_PLAYBACK, p);
	flac = open_ok(s, at(s, "file:", "out.flac"), SOFSIM_DAI_PLAYBACK, p);
	tone = open_ok(s, "tone:1000,1500", SOFSIM_DAI_CAPTURE, p);
	lc = open_ok(s, "loopback:r,delay=3", SOFSIM_DAI_CAPTURE, p);
	lp = open_ok(s, "loopback:r", SOFSIM_DAI_PLAYBACK, p);
	assert_int_equal(sofsim_dai_backend_read(cap, x, 37), 0);
	assert_int_equal(sofsim_dai_backend_write(play, in, 100), 0);
	assert_int_equal(sofsim_dai_backend_write(flac, in, 10), 0);
	assert_int_equal(sofsim_dai_backend_read(tone, tx, 50), 0);
	assert_int_equal(sofsim_dai_backend_write(lp, in, 30), 0);
	assert_int_equal(sofsim_dai_backend_read(lc, lx, 10), 0);

	assert_int_equal(sofsim_snapshot(s->sim, s->why, sizeof(s->why)), -EOPNOTSUPP);
	snprintf(msg, sizeof(msg), "sofsim_snapshot: %s: a FLAC file being written cannot be rewound (the encoder "
		 "streams); use WAV or raw", at(s, "", "out.flac"));
	assert_string_equal(s->why, msg);
	assert_int_equal(sofsim_dai_backend_write(flac, in, 10), 0); /* the refusal left the writer working */
	sofsim_dai_backend_close(flac);

	assert_int_equal(sofsim_snapshot(s->sim, s->why, sizeof(s->why)), 0);
	assert_int_equal(sofsim_dai_backend_read(cap, x, 300), 0);
	assert_int_equal(sofsim_dai_backend_read(cap, y, 300), 0); /* through the end and around */
	assert_int_equal(sofsim_dai_backend_write(play, in + 400, 50), 0);
	assert_int_equal(sofsim_dai_backend_read(tone, tx, 100), 0);
	assert_int_equal(sofsim_dai_backend_read(lc, lx, 20), 0);
	assert_int_equal(sofsim_dai_backend_write(lp, in + 800, 20), 0);

	assert_int_equal(sofsim_reset(s->sim), 0);
	assert_int_equal(sofsim_dai_backend_read(cap, y, 300), 0);
	assert_memory_equal(x, y, sizeof(x));
	assert_int_equal(sofsim_dai_backend_read(tone, ty, 100), 0);
	assert_memory_equal(tx, ty, sizeof(tx));
	assert_int_equal(sofsim_dai_backend_read(lc, ly, 20), 0);
	assert_memory_equal(lx, ly, sizeof(lx));
	assert_int_equal(sofsim_dai_backend_write(play, in + 800, 30), 0);
	sofsim_dai_backend_close(play);

	/* The WAV holds the 100 frames from before the snapshot, then the 30 written after the reset. */
	play = open_ok(s, at(s, "file:", "out.wav"), SOFSIM_DAI_CAPTURE, p);
	assert_int_equal(sofsim_dai_backend_read(play, x, 140), 0);
	assert_memory_equal(x, in, 100 * 4);
	assert_memory_equal(x + 400, in + 800, 30 * 4);
	assert_true(all_zero(x + 520, 10 * 4));
	sofsim_dai_backend_close(play);
	sofsim_dai_backend_close(cap);
	sofsim_dai_backend_close(tone);
	sofsim_dai_backend_close(lc);
	sofsim_dai_backend_close(lp);
}

/* ---- allocation failures ---- */

struct sweep {
	struct scene *s;
	const char *spec[2];
	enum sofsim_dai_dir dir[2];
	struct sofsim_pcm_params p;
	struct sofsim_dai_backend *be[2];
};

static int sweep_open(struct sofsim *sim, void *arg)
{
	struct sweep *w = arg;
	int ret = 0;

	for (unsigned i = 0; i < 2 && w->spec[i] && !ret; i++)
		ret = sofsim_dai_backend_open(sim, w->s->lbs, w->spec[i], w->dir[i], &w->p, &w->be[i], NULL, 0);
	if (ret) {
		sofsim_dai_backend_close(w->be[0]);
		w->be[0] = NULL;
	}
	return ret;
}

static void sweep_close(struct sofsim *sim, void *arg)
{
	struct sweep *w = arg;

	(void)sim;
	sofsim_dai_backend_close(w->be[0]);
	sofsim_dai_backend_close(w->be[1]);
	w->be[0] = w->be[1] = NULL;
}

static int sweep_registry(struct sofsim *sim, void *arg)
{
	return sofsim_dai_loopbacks_create(sim, arg);
}

static void sweep_registry_undo(struct sofsim *sim, void *arg)
{
	(void)sim;
	sofsim_dai_loopbacks_destroy(*(struct sofsim_dai_loopbacks **)arg);
}

static void test_open_out_of_memory_returns_enomem_and_leaks_nothing(void **state)
{
	struct scene *s = *state;
	static uint8_t in[10 * 4];
	struct sofsim_dai_loopbacks *lbs;
	struct sweep w[] = {
		{ s, { "null" }, { SOFSIM_DAI_CAPTURE }, pcm(48000, 2, SOFSIM_FMT_S16_LE), { NULL } },
		{ s, { "tone:440" }, { SOFSIM_DAI_CAPTURE }, pcm(48000, 2, SOFSIM_FMT_S16_LE), { NULL } },
		{ s, { at(s, "file:", "sw.wav") }, { SOFSIM_DAI_PLAYBACK }, pcm(48000, 2, SOFSIM_FMT_S16_LE),
		  { NULL } },
		{ s, { at(s, "file:", "sw.flac") }, { SOFSIM_DAI_CAPTURE }, pcm(48000, 2, SOFSIM_FMT_S16_LE),
		  { NULL } },
		{ s, { "loopback:q,delay=3", "loopback:q" }, { SOFSIM_DAI_CAPTURE, SOFSIM_DAI_PLAYBACK },
		  pcm(48000, 2, SOFSIM_FMT_S16_LE), { NULL } },
	};

	/* Allocations: the record, then the kind's state (loopback: pair and ring, then the second record). */
	static const int allocs[] = { 1, 2, 2, 2, 4 };

	make_file(s, w[3].spec[0], w[3].p, in, 10);
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		assert_int_equal(fail_sweep(s->sim, sweep_open, sweep_close, &w[i], 16), allocs[i]);
	assert_int_equal(fail_sweep(s->sim, sweep_registry, sweep_registry_undo, &lbs, 4), 1);
}

/* Tests that need a context, a loopback registry and a temporary directory. */
#define WITH_DIR(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_params_check_accepts_the_limits),
		cmocka_unit_test(test_params_check_names_the_bad_field),
		cmocka_unit_test(test_ops_tables_have_their_mandatory_ops),
		WITH_DIR(test_bad_specs_are_refused_with_the_spec_named),
		WITH_DIR(test_loopback_without_a_registry_is_refused),
		WITH_DIR(test_wrong_direction_calls_are_refused),
		WITH_DIR(test_null_discards_playback_and_captures_silence),
		WITH_DIR(test_tone_first_samples_of_1khz_match_the_hand_table),
		WITH_DIR(test_tone_matches_the_sine_formula_per_channel),
		WITH_DIR(test_tone_is_reproducible_and_restore_repeats_samples),
		WITH_DIR(test_file_round_trip_is_bit_exact),
		WITH_DIR(test_flac_refuses_s32),
		WITH_DIR(test_capture_after_the_end_is_silence_or_the_file_again),
		WITH_DIR(test_capture_file_must_match_rate_and_channels),
		WITH_DIR(test_capture_widens_a_16_bit_file_exactly),
		WITH_DIR(test_raw_s24_capture_ignores_the_top_byte),
		WITH_DIR(test_bad_files_are_refused_with_the_path),
		WITH_DIR(test_capture_file_restore_rereads_the_same_frames),
		WITH_DIR(test_playback_file_restore_truncates_wav_and_raw_and_refuses_flac),
		WITH_DIR(test_loopback_delivers_after_exactly_delay_frames_of_silence),
		WITH_DIR(test_loopback_pairs_by_name),
		WITH_DIR(test_loopback_capture_without_partner_is_silence_until_one_joins),
		WITH_DIR(test_loopback_ends_must_agree),
		WITH_DIR(test_loopback_overrun_loses_the_excess),
		WITH_DIR(test_loopback_restore_repeats_until_the_ring_is_overwritten),
		WITH_DIR(test_loopback_pair_outlives_its_registry),
		WITH_DIR(test_backends_follow_a_context_reset),
		WITH_DIR(test_open_out_of_memory_returns_enomem_and_leaks_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
