/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DMA data path ("Fake hardware II"): a 10-second stream goes host
 * buffer → host DMA → DSP ring → link DMA → file back end byte-exact;
 * positions follow rate × t within one period at 48 kHz and 44.1 kHz
 * (exactly 441,000 frames in 10 s); a consumer faster than its producer, a
 * stopped producer and a producer without consumer leave xrun events with
 * the right channel, direction and time.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim_test.h"

#include "sofsim/dai.h"
#include "sofsim/dma.h"
#include "sofsim/mem.h"

#define MS 1000000ull
#define SEC (1000ull * MS)
/* Xruns a test reads back (the device keeps the first 32). */
#define SOFSIM_DMA_XRUN_CHECK 32u

_Static_assert(sizeof(((struct sofsim_dma_status *)0)->total_copied) == 8, "total_copied is 64-bit");

struct pipe {
	struct sofsim *sim;
	struct sofsim_dma *host, *link;
	uint32_t hch, lch;
	uint8_t *dsp, *hbuf;
	size_t ring;
	struct sofsim_dai_backend *be;
	uint64_t t_host, t_link; /* start times */
	uint64_t written;        /* bytes of the pattern the "host" put in its buffer */
};

/* Byte @i of the stream: not periodic at any small period, so a slip shows. */
static uint8_t pattern(uint64_t i)
{
	uint64_t v = (i + 1) * 0x9e3779b97f4a7c15ull;

	return (uint8_t)(v >> 56 ^ v >> 29);
}

static void chan_cfg(struct sofsim_dma_config *cfg, struct sofsim_dma_block *b, uint32_t dir, uintptr_t src,
		     uintptr_t dst, size_t ring)
{
	memset(cfg, 0, sizeof(*cfg));
	for (unsigned i = 0; i < 2; i++) {
		b[i].source = src ? src + i * ring / 2 : 0;
		b[i].dest = dst ? dst + i * ring / 2 : 0;
		b[i].size = (uint32_t)(ring / 2);
		b[i].next = &b[(i + 1) % 2];
	}
	cfg->direction = dir;
	cfg->cyclic = 1;
	cfg->source_data_size = cfg->dest_data_size = 2;
	cfg->block_count = 2;
	cfg->head = &b[0];
}

/* Host DMA (host buffer → DSP ring) and, if @link_p, link DMA (DSP ring → @spec), configured, not started. */
static void pipe_init(struct pipe *p, void **state, size_t ring, const struct sofsim_pcm_params *host_p,
		      const struct sofsim_pcm_params *link_p, const char *spec)
{
	struct sofsim_config cfg;
	struct sofsim_dma_config dc;
	struct sofsim_dma_block b[2];
	char why[256];

	memset(p, 0, sizeof(*p));
	sofsim_config_init(&cfg);
	cfg.threads = carrier_of(state);
	assert_int_equal(sofsim_create(&p->sim, &cfg, NULL, 0), 0);
	assert_int_equal(sofsim_dma_init(p->sim), 0);
	p->ring = ring;
	assert_int_equal(sofsim_arena_take(p->sim, SOFSIM_ARENA_DSP, ring, (void **)&p->dsp), 0);
	assert_int_equal(sofsim_arena_take(p->sim, SOFSIM_ARENA_HOST, ring, (void **)&p->hbuf), 0);
	memset(p->dsp, 0, ring);
	for (p->written = 0; p->written < ring; p->written++)
		p->hbuf[p->written] = pattern(p->written);

	p->host = sofsim_dma_get(p->sim, SOFSIM_GW_HOST_OUT, 0);
	assert_non_null(p->host);
	p->hch = (uint32_t)sofsim_dma_request_channel(p->sim, p->host, SOFSIM_DMA_CHAN_ANY);
	assert_true(p->hch < sofsim_dma_channel_count(p->host));
	chan_cfg(&dc, b, SOFSIM_DMA_HOST_TO_MEM, (uintptr_t)p->hbuf, (uintptr_t)p->dsp, ring);
	assert_int_equal(sofsim_dma_config(p->sim, p->host, p->hch, &dc), 0);
	assert_int_equal(sofsim_dma_channel_stream(p->sim, p->host, p->hch, host_p), 0);
	if (!link_p)
		return;

	p->link = sofsim_dma_get(p->sim, SOFSIM_GW_HDA_LINK_OUT, 0);
	assert_non_null(p->link);
	assert_true(sofsim_dma_channel_count(p->link) > 1);
	p->lch = 1; /* not the host's number: channels are told apart by device and number */
	assert_int_equal(sofsim_dma_request_channel(p->sim, p->link, p->lch), (int)p->lch);
	chan_cfg(&dc, b, SOFSIM_DMA_MEM_TO_PERIPH, (uintptr_t)p->dsp, 0, ring);
	assert_int_equal(sofsim_dma_config(p->sim, p->link, p->lch, &dc), 0);
	/* Back-end calls need stream parameters first, and matching frames. */
	assert_int_equal(sofsim_dma_channel_dai(p->sim, p->link, p->lch, NULL), -EINVAL);
	assert_int_equal(sofsim_dma_channel_stream(p->sim, p->link, p->lch, link_p), 0);
	assert_int_equal(sofsim_dai_backend_open(p->sim, NULL, spec, SOFSIM_DAI_PLAYBACK, link_p, &p->be, why,
						 sizeof(why)),
			 0);
	assert_int_equal(sofsim_dma_channel_dai(p->sim, p->link, p->lch, p->be), 0);
}

/* Start the host channel, and one period later the link channel (SOF's prefill). */
static void pipe_start(struct pipe *p)
{
	p->t_host = sofsim_now(p->sim);
	assert_int_equal(sofsim_dma_start(p->sim, p->host, p->hch), 0);
	if (!p->link)
		return;
	assert_int_equal(sofsim_run_until(p->sim, p->t_host + MS), 0);
	p->t_link = sofsim_now(p->sim);
	assert_int_equal(sofsim_dma_start(p->sim, p->link, p->lch), 0);
}

static uint64_t copied(struct pipe *p, struct sofsim_dma *d, uint32_t ch)
{
	struct sofsim_dma_status st;

	assert_int_equal(sofsim_dma_get_status(p->sim, d, ch, &st), 0);
	return st.total_copied;
}

/* The host application: keep the cyclic host buffer one ring ahead of the host DMA. */
static void host_feed(struct pipe *p)
{
	uint64_t limit = copied(p, p->host, p->hch) + p->ring;

	for (; p->written < limit; p->written++)
		p->hbuf[p->written % p->ring] = pattern(p->written);
}

static void pipe_fini(struct pipe *p)
{
	if (p->be)
		sofsim_dai_backend_close(p->be);
	if (p->link) {
		assert_int_equal(sofsim_dma_release_channel(p->sim, p->link, p->lch), 0);
		sofsim_dma_put(p->sim, p->link);
	}
	assert_int_equal(sofsim_dma_release_channel(p->sim, p->host, p->hch), 0);
	sofsim_dma_put(p->sim, p->host);
	assert_int_equal(sofsim_arena_give(p->sim, p->dsp, p->ring), 0);
	assert_int_equal(sofsim_arena_give(p->sim, p->hbuf, p->ring), 0);
	sofsim_destroy(p->sim);
}

static const struct sofsim_pcm_params p48 = { 48000, 2, SOFSIM_FMT_S16_LE };
static const struct sofsim_pcm_params p441 = { 44100, 2, SOFSIM_FMT_S16_LE };

/* ---- 10 s host → link → file, byte-exact ---- */

static void test_ten_seconds_arrive_byte_exact(void **state)
{
	char dir[] = "/tmp/sofsim_dma_xfer_XXXXXX";
	char spec[128], path[96];
	struct pipe p;
	FILE *f;
	uint8_t buf[4096];
	uint64_t at = 0, bad = UINT64_MAX;
	size_t n;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out.raw", dir);
	snprintf(spec, sizeof(spec), "file:%s", path);
	pipe_init(&p, state, 32768, &p48, &p48, spec);
	pipe_start(&p);
	for (uint64_t t = 100 * MS; t <= 10 * SEC; t += 100 * MS) {
		host_feed(&p);
		assert_int_equal(sofsim_run_until(p.sim, p.t_link + t), 0);
	}
	assert_int_equal(copied(&p, p.link, p.lch), 480000ull * 4);
	assert_int_equal(sofsim_dma_xruns(p.sim, p.link, NULL, 0), 0);
	assert_int_equal(sofsim_dma_xruns(p.sim, p.host, NULL, 0), 0);
	sofsim_dai_backend_close(p.be);
	p.be = NULL;
	assert_int_equal(sofsim_dma_stop(p.sim, p.link, p.lch), 0);

	f = fopen(path, "rb");
	assert_non_null(f);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		for (size_t i = 0; i < n && bad == UINT64_MAX; i++)
			if (buf[i] != pattern(at + i))
				bad = at + i;
		at += n;
	}
	fclose(f);
	assert_int_equal(at, 480000ull * 4);
	assert_int_equal(bad, UINT64_MAX);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
	pipe_fini(&p);
}

/* ---- positions = rate × t within one period ---- */

static void positions_follow_rate(void **state, const struct sofsim_pcm_params *pp)
{
	struct pipe p;
	struct sofsim_dma_status st;
	uint64_t period = sofsim_frames_in(pp->rate_hz, MS) + 1;

	pipe_init(&p, state, 8192, pp, pp, "null");
	pipe_start(&p);
	for (uint64_t t = MS; t <= 10 * SEC; t += MS) {
		uint64_t want = sofsim_frames_in(pp->rate_hz, t);
		uint64_t link, host;

		assert_int_equal(sofsim_run_until(p.sim, p.t_link + t), 0);
		link = copied(&p, p.link, p.lch) / 4;
		host = copied(&p, p.host, p.hch) / 4;
		assert_true(link + period > want && link < want + period);
		/* The host started one period earlier. */
		want = sofsim_frames_in(pp->rate_hz, t + MS);
		assert_true(host + period > want && host < want + period);
	}
	assert_int_equal(copied(&p, p.link, p.lch) / 4, sofsim_frames_in(pp->rate_hz, 10 * SEC));
	assert_int_equal(sofsim_dma_get_status(p.sim, p.link, p.lch, &st), 0);
	assert_true(st.busy);
	assert_int_equal(st.read_pos, st.total_copied % p.ring);
	assert_int_equal(st.pending + st.free, p.ring);
	assert_int_equal(sofsim_dma_xruns(p.sim, p.link, NULL, 0), 0);
	pipe_fini(&p);
}

static void test_positions_48k(void **state)
{
	positions_follow_rate(state, &p48);
}

static void test_positions_44k1_exact(void **state)
{
	assert_int_equal(sofsim_frames_in(44100, 10 * SEC), 441000);
	positions_follow_rate(state, &p441);
}

/* ---- xruns ---- */

static void test_faster_consumer_underruns(void **state)
{
	struct sofsim_dma_xrun xr[SOFSIM_DMA_XRUN_CHECK];
	struct pipe p;
	uint64_t n, kept;

	pipe_init(&p, state, 8192, &p441, &p48, "null");
	pipe_start(&p);
	assert_int_equal(sofsim_run_until(p.sim, p.t_link + 100 * MS), 0);
	n = sofsim_dma_xruns(p.sim, p.link, xr, SOFSIM_DMA_XRUN_CHECK);
	assert_true(n > 0);
	kept = n < SOFSIM_DMA_XRUN_CHECK ? n : SOFSIM_DMA_XRUN_CHECK;
	for (uint64_t i = 0; i < kept; i++) {
		assert_int_equal(xr[i].channel, p.lch);
		assert_int_equal(xr[i].direction, SOFSIM_DMA_MEM_TO_PERIPH);
		assert_int_equal(xr[i].underrun, 1);
		assert_true(xr[i].short_by > 0 && xr[i].short_by <= 48 * 4);
		assert_true(xr[i].time_ns > p.t_link && xr[i].time_ns <= p.t_link + 100 * MS);
		assert_int_equal((xr[i].time_ns - p.t_link) % MS, 0);
		assert_true(i == 0 || xr[i].time_ns > xr[i - 1].time_ns);
	}
	/* 3.9 frames a millisecond short: the deficit reaches a period within a few periods. */
	assert_true(xr[0].time_ns <= p.t_link + 20 * MS);
	/* What the link took never exceeds what the host put. */
	assert_true(copied(&p, p.link, p.lch) <= copied(&p, p.host, p.hch));
	assert_int_equal(sofsim_dma_xruns(p.sim, p.host, NULL, 0), 0);
	pipe_fini(&p);
}

static void test_stopped_producer_underruns_every_period(void **state)
{
	struct sofsim_dma_xrun xr[SOFSIM_DMA_XRUN_CHECK];
	struct pipe p;
	uint64_t stop, n, before;

	pipe_init(&p, state, 8192, &p48, &p48, "null");
	pipe_start(&p);
	assert_int_equal(sofsim_run_until(p.sim, p.t_link + 50 * MS), 0);
	assert_int_equal(sofsim_dma_xruns(p.sim, p.link, NULL, 0), 0);
	stop = sofsim_now(p.sim);
	assert_int_equal(sofsim_dma_stop(p.sim, p.host, p.hch), 0);
	before = copied(&p, p.link, p.lch);
	assert_int_equal(sofsim_run_until(p.sim, stop + 10 * MS), 0);
	/* The ring held at most two periods: the link drains it, then every period is silence. */
	assert_true(copied(&p, p.link, p.lch) - before <= 2 * 192);
	n = sofsim_dma_xruns(p.sim, p.link, xr, SOFSIM_DMA_XRUN_CHECK);
	assert_true(n >= 8 && n <= 10);
	assert_int_equal(xr[n - 1].time_ns, stop + 10 * MS);
	assert_int_equal(xr[n - 1].short_by, 192);
	assert_int_equal(xr[n - 1].channel, p.lch);
	assert_int_equal(xr[n - 1].direction, SOFSIM_DMA_MEM_TO_PERIPH);
	assert_int_equal(xr[n - 1].underrun, 1);
	pipe_fini(&p);
}

static void test_producer_without_consumer_overruns(void **state)
{
	struct sofsim_dma_xrun xr[2];
	struct sofsim_dma_status st;
	struct pipe p;

	/* 4096 bytes: 21 periods of 192 and 64 over. */
	pipe_init(&p, state, 4096, &p48, NULL, NULL);
	pipe_start(&p);
	assert_int_equal(sofsim_run_until(p.sim, p.t_host + 23 * MS), 0);
	assert_int_equal(sofsim_dma_xruns(p.sim, p.host, xr, 2), 2);
	assert_int_equal(xr[0].time_ns, p.t_host + 22 * MS);
	assert_int_equal(xr[0].channel, p.hch);
	assert_int_equal(xr[0].direction, SOFSIM_DMA_HOST_TO_MEM);
	assert_int_equal(xr[0].underrun, 0);
	assert_int_equal(xr[0].short_by, 192 - 64);
	assert_int_equal(xr[1].time_ns, p.t_host + 23 * MS);
	assert_int_equal(xr[1].short_by, 192);
	assert_int_equal(sofsim_dma_get_status(p.sim, p.host, p.hch, &st), 0);
	assert_int_equal(st.pending, 4096);
	assert_int_equal(st.free, 0);
	assert_int_equal(st.total_copied, 4096);
	/* The ring's bytes are the host's. */
	for (size_t i = 0; i < 4096; i++)
		assert_int_equal(p.dsp[i], pattern(i));
	/* The firmware consumes 1000 bytes (reload): the next period fits again. */
	assert_int_equal(sofsim_dma_reload(p.sim, p.host, p.hch, 0, 0, 1000), 0);
	assert_int_equal(sofsim_run_until(p.sim, p.t_host + 24 * MS), 0);
	assert_int_equal(sofsim_dma_xruns(p.sim, p.host, NULL, 0), 2);
	assert_int_equal(sofsim_dma_get_status(p.sim, p.host, p.hch, &st), 0);
	assert_int_equal(st.total_copied, 4096 + 192);
	assert_int_equal(st.read_pos, 1000);
	assert_int_equal(st.write_pos, 192);
	pipe_fini(&p);
}

/* ---- snapshot and reset of a running stream ---- */

static void feed_run(struct pipe *p, uint64_t until)
{
	for (uint64_t t = sofsim_now(p->sim); t < until;) {
		t = t + 50 * MS < until ? t + 50 * MS : until;
		host_feed(p);
		assert_int_equal(sofsim_run_until(p->sim, t), 0);
	}
}

/* File bytes equal the stream's pattern from the first byte on; returns the count. */
static uint64_t check_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t buf[4096];
	uint64_t at = 0;
	size_t n;

	assert_non_null(f);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		for (size_t i = 0; i < n; i++)
			assert_int_equal(buf[i], pattern(at + i));
		at += n;
	}
	fclose(f);
	return at;
}

/*
 * Snapshot at 300 ms, run to 600 ms, reset, run to 600 ms again (twice): the
 * DMA state is in the arena and the file back end goes back to its length at
 * the snapshot, so the file holds one clean 600 ms stream, byte-exact.
 */
static void test_mid_stream_reset_reruns_byte_identically(void **state)
{
	char dir[] = "/tmp/sofsim_dma_reset_XXXXXX";
	char spec[128], path[96], why[160];
	struct pipe p;
	uint64_t written_at_snapshot, copied_after;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out.raw", dir);
	snprintf(spec, sizeof(spec), "file:%s", path);
	pipe_init(&p, state, 32768, &p48, &p48, spec);
	pipe_start(&p);
	feed_run(&p, 300 * MS);
	assert_int_equal(sofsim_snapshot(p.sim, why, sizeof(why)), 0);
	written_at_snapshot = p.written; /* the test's own feeding state is host memory */
	feed_run(&p, 600 * MS);
	copied_after = copied(&p, p.link, p.lch);
	for (int round = 0; round < 2; round++) {
		assert_int_equal(sofsim_reset(p.sim), 0);
		assert_int_equal(sofsim_now(p.sim), 300 * MS);
		p.written = written_at_snapshot;
		feed_run(&p, 600 * MS);
		assert_int_equal(copied(&p, p.link, p.lch), copied_after);
	}
	assert_int_equal(sofsim_dma_xruns(p.sim, p.link, NULL, 0), 0);
	sofsim_dai_backend_close(p.be);
	p.be = NULL;
	assert_int_equal(check_file(path), copied_after);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
	pipe_fini(&p);
}

/* A FLAC being encoded cannot be rewound: the snapshot says so, naming it. */
static void test_snapshot_refuses_a_flac_being_written(void **state)
{
	char dir[] = "/tmp/sofsim_dma_flac_XXXXXX";
	char spec[128], path[96], why[256] = "";
	struct sofsim *sim = test_sim_create(carrier_of(state), NULL, 1);
	struct sofsim_dai_backend *be;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out.flac", dir);
	snprintf(spec, sizeof(spec), "file:%s", path);
	assert_int_equal(sofsim_dai_backend_open(sim, NULL, spec, SOFSIM_DAI_PLAYBACK, &p48, &be, why, sizeof(why)), 0);
	assert_int_equal(sofsim_snapshot(sim, why, sizeof(why)), -EOPNOTSUPP);
	assert_non_null(strstr(why, path));
	sofsim_dai_backend_close(be);
	assert_int_equal(sofsim_snapshot(sim, why, sizeof(why)), 0);
	sofsim_destroy(sim);
	unlink(path);
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CARRIER_TESTS(test_ten_seconds_arrive_byte_exact),
		CARRIER_TESTS(test_positions_48k),
		CARRIER_TESTS(test_positions_44k1_exact),
		CARRIER_TESTS(test_faster_consumer_underruns),
		CARRIER_TESTS(test_stopped_producer_underruns_every_period),
		CARRIER_TESTS(test_producer_without_consumer_overruns),
		/* Snapshots need the fiber carrier. */
		cmocka_unit_test_prestate(test_mid_stream_reset_reruns_byte_identically,
					  (void *)(uintptr_t)SOFSIM_THREADS_FIBER),
		cmocka_unit_test_prestate(test_snapshot_refuses_a_flac_being_written,
					  (void *)(uintptr_t)SOFSIM_THREADS_FIBER),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
