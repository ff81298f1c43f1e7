/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The portaudio DAI back end against a real PortAudio, on machines without
 * a sound card: HOME points at a temporary directory whose .asoundrc makes
 * ALSA's default PCM the file plugin over the null PCM, writing the raw
 * bytes it is given. 9,600 frames of tone:1000 go through the back end and
 * the file must hold exactly the frames a second, independent tone back end
 * produces. ALSA's null PCM has no clock (it takes frames as fast as the
 * CPU gives them), so the test is bounded by frames, never by time: all
 * 9,600 frames fit the back end's ring (at least 250 ms) before close
 * starts the stream, so the clockless device cannot underrun them.
 *
 * This must be its own executable: HOME has to be set before the first
 * Pa_Initialize() of the process, which reads ALSA's configuration. A
 * missing device fails the test; it does not skip. PortAudio's JACK probe
 * prints to stderr on machines without a JACK server, and ALSA's device
 * scan ("ALSA lib ... Unknown PCM cards.pcm.*") on machines without a card;
 * stderr is caught in a file around every PortAudio call and replayed
 * without those lines (their count is printed).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <portaudio.h>

#include "sim_test.h"

#include "sofsim/dai.h"
#include "sofsim/dai_portaudio.h"
#include "sofsim/sim.h"

#define FRAMES 9600u
#define CHUNK 480u
#define CHANNELS 2u
/* Most leading silence accepted: PortAudio's ALSA buffer is a few 10 ms periods. */
#define LEAD_MAX 4800u

/* What the run under the stderr catch saw; asserted once stderr is back. */
struct run {
	char dir[256];
	int pa_init;
	int dev;
	int host_type;
	int list_count;
	char list[4096];
	int nodev_ret;
	char nodev_why[512];
	int open_ret;
	char open_why[512];
	int snap_ret;
	char snap_why[256];
	int write_ret;
	char write_why[256];
	int16_t got_tone[FRAMES * CHANNELS];
};

static void path_in(char *out, size_t len, const char *dir, const char *name)
{
	snprintf(out, len, "%s/%s", dir, name);
}

static void write_asoundrc(const char *dir)
{
	char p[512];
	FILE *f;

	path_in(p, sizeof(p), dir, ".asoundrc");
	f = fopen(p, "w");
	assert_non_null(f);
	fprintf(f, "pcm.!default {\n"
		   "\ttype file\n"
		   "\tslave.pcm \"null\"\n"
		   "\tfile \"%s/out.raw\"\n"
		   "\tformat \"raw\"\n"
		   "}\n", dir);
	assert_int_equal(fclose(f), 0);
}

/* Replay the caught stderr without the JACK probe's lines. */
static void replay_stderr(const char *log)
{
	FILE *f = fopen(log, "r");
	char line[1024];
	unsigned dropped = 0;

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (strcasestr(line, "jack") || strstr(line, "Cannot connect to server") ||
		    strstr(line, "server socket") || strncmp(line, "ALSA lib ", 9) == 0)
			dropped++;
		else
			fputs(line, stderr);
	fclose(f);
	if (dropped)
		fprintf(stderr, "(%u line(s) of JACK and ALSA device-probe noise left out)\n", dropped);
}

/* Send stderr to <dir>/stderr.log; PortAudio's probes write there. */
static void catch_stderr(const char *dir, int *saved)
{
	char log[512];
	int fd;

	path_in(log, sizeof(log), dir, "stderr.log");
	fflush(stderr);
	*saved = dup(2);
	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(*saved >= 0 && fd >= 0);
	dup2(fd, 2);
	close(fd);
}

static void release_stderr(const char *dir, int saved)
{
	char log[512];

	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	path_in(log, sizeof(log), dir, "stderr.log");
	replay_stderr(log);
}

/* Everything that calls into PortAudio; no assertion here (stderr is a file). */
static void run_portaudio(struct run *r, struct sofsim *sim)
{
	const struct sofsim_pcm_params p = { 48000, CHANNELS, SOFSIM_FMT_S16_LE };
	struct sofsim_dai_backend *tone = NULL, *pa = NULL;
	struct sofsim_dai_backend_state st;
	char spec[64];
	FILE *list = fmemopen(r->list, sizeof(r->list) - 1, "w");

	r->pa_init = Pa_Initialize();
	r->dev = -1;
	for (int i = 0; r->pa_init == paNoError && i < Pa_GetDeviceCount(); i++) {
		const PaDeviceInfo *d = Pa_GetDeviceInfo(i);

		if (d && d->name && strcmp(d->name, "default") == 0)
			r->dev = i;
	}
	if (r->dev >= 0)
		r->host_type = Pa_GetHostApiInfo(Pa_GetDeviceInfo(r->dev)->hostApi)->type;
	r->list_count = list ? sofsim_dai_portaudio_list(list) : -ENOMEM;
	if (list)
		fclose(list);

	r->nodev_ret = sofsim_dai_backend_open(sim, NULL, "portaudio:no such card", SOFSIM_DAI_PLAYBACK, &p, &pa,
					       r->nodev_why, sizeof(r->nodev_why));
	snprintf(spec, sizeof(spec), "portaudio:%d", r->dev);
	r->open_ret = sofsim_dai_backend_open(sim, NULL, spec, SOFSIM_DAI_PLAYBACK, &p, &pa, r->open_why,
					      sizeof(r->open_why));
	r->write_ret = -1;
	if (r->open_ret == 0 &&
	    sofsim_dai_backend_open(sim, NULL, "tone:1000", SOFSIM_DAI_CAPTURE, &p, &tone, NULL, 0) == 0) {
		r->snap_ret = sofsim_dai_backend_snapshot(pa, &st);
		snprintf(r->snap_why, sizeof(r->snap_why), "%s", sofsim_dai_backend_error(pa));
		r->write_ret = 0;
		for (uint32_t done = 0; done < FRAMES && !r->write_ret; done += CHUNK) {
			int16_t buf[CHUNK * CHANNELS];

			r->write_ret = sofsim_dai_backend_read(tone, buf, CHUNK);
			if (!r->write_ret)
				r->write_ret = sofsim_dai_backend_write(pa, buf, CHUNK);
		}
		snprintf(r->write_why, sizeof(r->write_why), "%s", sofsim_dai_backend_error(pa));
	}
	sofsim_dai_backend_close(pa);
	sofsim_dai_backend_close(tone);
	if (r->pa_init == paNoError)
		Pa_Terminate();

	/* The reference: a second tone back end, read in one go. */
	tone = NULL;
	if (sofsim_dai_backend_open(sim, NULL, "tone:1000", SOFSIM_DAI_CAPTURE, &p, &tone, NULL, 0) == 0)
		sofsim_dai_backend_read(tone, r->got_tone, FRAMES);
	sofsim_dai_backend_close(tone);
}

static void test_tone_through_alsa_file_plugin(void **state)
{
	struct run *r = calloc(1, sizeof(*r));
	struct sofsim *sim;
	char raw[512];
	int saved;
	struct stat sb;
	FILE *f;
	int16_t *bytes;
	size_t lead;

	assert_non_null(r);
	snprintf(r->dir, sizeof(r->dir), "%s", (const char *)*state);
	sim = test_sim_create(SOFSIM_THREADS_FIBER, NULL, 1);
	catch_stderr(r->dir, &saved);
	run_portaudio(r, sim);
	release_stderr(r->dir, saved);
	sofsim_destroy(sim);

	assert_int_equal(r->pa_init, paNoError);
	assert_true(r->list_count >= 1);
	assert_non_null(strstr(r->list, "'default' ALSA"));
	assert_true(r->dev >= 0);                 /* no device: a failure, not a skip */
	assert_int_equal(r->host_type, paALSA);
	assert_int_equal(r->nodev_ret, -ENODEV);
	assert_true(strncmp(r->nodev_why, "portaudio:no such card: no such device (devices: ", 49) == 0);
	assert_non_null(strstr(r->nodev_why, "'default'"));
	if (r->open_ret)
		fail_msg("open: %d %s", r->open_ret, r->open_why);
	assert_int_equal(r->snap_ret, -EOPNOTSUPP);
	assert_non_null(strstr(r->snap_why, "portaudio"));
	if (r->write_ret)
		fail_msg("write: %d %s", r->write_ret, r->write_why);

	path_in(raw, sizeof(raw), r->dir, "out.raw");
	assert_int_equal(stat(raw, &sb), 0);
	/*
	 * PortAudio 19.6's ALSA host API writes a silenced device buffer
	 * before the first callback (paPrimeOutputBuffersUsingStreamCallback
	 * notwithstanding): at most a buffer of zero frames may lead. Nothing
	 * may trail: close plays out the ring and the callback completes.
	 */
	assert_true(sb.st_size >= (off_t)FRAMES * CHANNELS * 2);
	assert_true(sb.st_size <= (off_t)(FRAMES + LEAD_MAX) * CHANNELS * 2);
	bytes = malloc((size_t)sb.st_size);
	assert_non_null(bytes);
	f = fopen(raw, "rb");
	assert_non_null(f);
	assert_int_equal(fread(bytes, 1, (size_t)sb.st_size, f), (size_t)sb.st_size);
	fclose(f);
	assert_true(sb.st_size % (CHANNELS * 2) == 0);
	lead = (size_t)sb.st_size / (CHANNELS * 2) - FRAMES;
	/* The tone is not trivially zero, and the file is it, bit for bit, after the start's silence. */
	assert_int_not_equal(r->got_tone[1 * CHANNELS], 0);
	for (size_t i = 0; i < lead * CHANNELS; i++)
		assert_int_equal(bytes[i], 0);
	assert_memory_equal(bytes + lead * CHANNELS, r->got_tone, (size_t)FRAMES * CHANNELS * 2);
	free(bytes);

	free(r);
}

/* Play @frames of the tone; 0 or the back end's error. */
static int play(struct sofsim_dai_backend *tone, struct sofsim_dai_backend *pa, uint32_t frames)
{
	int ret = 0;

	for (uint32_t done = 0; done < frames && !ret; done += CHUNK) {
		int16_t buf[CHUNK * CHANNELS];

		ret = sofsim_dai_backend_read(tone, buf, CHUNK);
		if (!ret)
			ret = sofsim_dai_backend_write(pa, buf, CHUNK);
	}
	return ret;
}

/*
 * The pacing hook through a real context, and a write bigger than the
 * ring. 0.1 s of tone fits the ring, so nothing starts the stream but the
 * hook: sofsim_run_until() to 0.5 s must not return before the device has
 * taken 24,000 frames. Then 0.5 s of tone overfills the ring, so the write
 * starts waiting for room, and a run to 1 s needs 48,000 device frames.
 * Bounded by frames: the clockless null PCM takes them as fast as it can
 * (underrunning into silence once the ring is empty).
 */
static void test_pace_and_full_ring(void **state)
{
	const struct sofsim_pcm_params p = { 48000, CHANNELS, SOFSIM_FMT_S16_LE };
	const char *dir = *state;
	struct sofsim_dai_backend *slot = NULL, *pa = NULL, *tone = NULL, *done;
	struct sofsim_config cfg;
	struct sofsim *sim = NULL;
	char why[512] = "";
	int saved, open_ret, ret[4] = { -1, -1, -1, -1 };
	uint64_t dev[3] = { 0 }, xrun = 0;

	sofsim_config_init(&cfg);
	cfg.pace = sofsim_dai_portaudio_pace;
	cfg.pace_arg = &slot;
	assert_int_equal(sofsim_create(&sim, &cfg, why, sizeof(why)), 0);
	assert_int_equal(sofsim_dai_backend_open(sim, NULL, "tone:1000", SOFSIM_DAI_CAPTURE, &p, &tone, NULL, 0), 0);

	catch_stderr(dir, &saved);
	open_ret = sofsim_dai_backend_open(sim, NULL, "portaudio:default", SOFSIM_DAI_PLAYBACK, &p, &pa, why,
					   sizeof(why));
	if (!open_ret) {
		ret[0] = play(tone, pa, 4800);
		sofsim_dai_portaudio_counters(pa, &dev[0], NULL);
		slot = pa;
		ret[1] = sofsim_run_until(sim, 500000000ull);
		sofsim_dai_portaudio_counters(pa, &dev[1], NULL);
		ret[2] = play(tone, pa, 24000);
		if (ret[2])
			snprintf(why, sizeof(why), "%s", sofsim_dai_backend_error(pa));
		ret[3] = sofsim_run_until(sim, 1000000000ull);
		sofsim_dai_portaudio_counters(pa, &dev[2], &xrun);
		done = slot;
		slot = NULL;
		sofsim_dai_backend_close(done);
	}
	release_stderr(dir, saved);

	if (open_ret)
		fail_msg("open: %d %s", open_ret, why);
	assert_int_equal(ret[0], 0);
	assert_int_equal(dev[0], 0); /* the ring is not full: not started yet */
	assert_int_equal(ret[1], 0);
	assert_true(dev[1] >= 24000);
	if (ret[2])
		fail_msg("write: %d %s", ret[2], why);
	assert_int_equal(ret[3], 0);
	assert_true(dev[2] >= 48000);
	assert_true(xrun > 0);
	assert_int_equal(sofsim_now(sim), 1000000000ull);
	assert_int_equal(sofsim_dai_portaudio_counters(tone, NULL, NULL), -EINVAL);
	sofsim_dai_backend_close(tone);
	sofsim_destroy(sim);
}

/* HOME and ALSA's configuration before the first Pa_Initialize() of the process. */
static int group_setup(void **state)
{
	const char *tmp = getenv("TMPDIR");
	static char dir[256];

	snprintf(dir, sizeof(dir), "%s/sofsim-pa.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	write_asoundrc(dir);
	if (setenv("HOME", dir, 1) || setenv("XDG_CONFIG_HOME", dir, 1))
		return -1;
	/* No JACK server on CI, and none must be started for this test. */
	if (setenv("JACK_NO_START_SERVER", "1", 1))
		return -1;
	*state = dir;
	return 0;
}

static int group_teardown(void **state)
{
	const char *dir = *state;
	const char *names[] = { "out.raw", "stderr.log", ".asoundrc" };
	char p[512];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		path_in(p, sizeof(p), dir, names[i]);
		unlink(p);
	}
	return rmdir(dir) ? -1 : 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tone_through_alsa_file_plugin),
		cmocka_unit_test(test_pace_and_full_ring),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
