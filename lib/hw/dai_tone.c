/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The tone back end: a capture source giving one sine per channel, for
 * tests that need a known signal without a file. To be reproducible bit
 * for bit, the phase is an exact integer: channel c's phase counts
 * 1/(rate × 1000) of a cycle and advances by its frequency in mHz per
 * frame, so it never drifts and repeats exactly every period. Each sample
 * is round(amplitude × sin(2π × phase / (rate × 1000))).
 *
 * Spec: "tone:<f>[@<dB>[dBFS]][,<f>...]": frequencies in Hz (up to three
 * decimals, above 0 and below half the rate), amplitudes in dB relative
 * to full scale (at most 0; default 0 dBFS = the format's largest value).
 * One entry per channel in order; channels past the list repeat the last
 * entry; more entries than channels is an error.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "hw/dai_priv.h"

#define TWO_PI 6.283185307179586476925286766559

struct tone {
	uint64_t den;                            /* phase units per cycle: rate × 1000 */
	uint64_t inc[SOFSIM_PCM_CHANNELS_MAX];   /* frequency, mHz */
	uint64_t phase[SOFSIM_PCM_CHANNELS_MAX]; /* 0 ≤ phase < den */
	double amp[SOFSIM_PCM_CHANNELS_MAX];     /* peak, in LSBs */
};

/*
 * A decimal with at most three fraction digits, as thousandths; locale-free
 * (strtod would follow LC_NUMERIC). Returns the end, or NULL when there is
 * no number or it is too long to be meant.
 */
static const char *parse_milli(const char *s, int64_t *out)
{
	int64_t v = 0;
	int sign = 1, digits = 0, frac = 0;

	if (*s == '-' || *s == '+')
		sign = *s++ == '-' ? -1 : 1;
	for (; *s >= '0' && *s <= '9'; s++, digits++) {
		if (digits >= 9)
			return NULL;
		v = v * 10 + (*s - '0');
	}
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, frac++) {
			if (frac >= 3)
				return NULL;
			v = v * 10 + (*s - '0');
			digits++;
		}
	}
	if (!digits)
		return NULL;
	for (; frac < 3; frac++)
		v *= 10;
	*out = sign * v;
	return s;
}

/* One "<f>[@<dB>[dBFS]]" entry up to the next ',' or the end. */
static int parse_entry(struct sofsim_dai_backend *be, const char *s, const char **end, uint64_t *mhz, double *amp,
		       char *why, size_t why_len)
{
	int64_t f, mdb = 0;
	const char *at = parse_milli(s, &f);

	if (!at || (*at && *at != ',' && *at != '@'))
		return sofsim__dai_msg(why, why_len, -EINVAL, "%s: '%.*s' is not a frequency in Hz", be->spec,
				       (int)strcspn(s, ","), s);
	if (f <= 0 || (uint64_t)f * 2 >= (uint64_t)be->p.rate_hz * 1000u)
		return sofsim__dai_msg(why, why_len, -EINVAL, "%s: %.*s Hz is not between 0 and half the rate "
				       "(%u Hz)", be->spec, (int)(at - s), s, be->p.rate_hz / 2);
	if (*at == '@') {
		const char *db = at + 1;

		at = parse_milli(db, &mdb);
		if (at && strncmp(at, "dBFS", 4) == 0)
			at += 4;
		if (!at || (*at && *at != ','))
			return sofsim__dai_msg(why, why_len, -EINVAL, "%s: '%.*s' is not an amplitude in dBFS",
					       be->spec, (int)strcspn(db, ","), db);
		if (mdb > 0)
			return sofsim__dai_msg(why, why_len, -EINVAL, "%s: %.*s is above full scale (at most 0 dBFS)",
					       be->spec, (int)strcspn(db, ","), db);
	}
	*mhz = (uint64_t)f;
	*amp = (double)sofsim__dai_full_scale(be->p.format) * pow(10.0, (double)mdb / 20000.0);
	*end = at;
	return 0;
}

static int tone_parse(struct sofsim_dai_backend *be, struct tone *t, const char *arg, char *why, size_t why_len)
{
	const char *s = arg;
	unsigned n = 0;
	int ret;

	if (!arg[0])
		return sofsim__dai_msg(why, why_len, -EINVAL,
				       "tone: no frequency given; want tone:<Hz>[@<dB>dBFS][,...]");
	for (;;) {
		if (n == be->p.channels)
			return sofsim__dai_msg(why, why_len, -EINVAL, "%s: more tones than the %u channel(s)",
					       be->spec, be->p.channels);
		ret = parse_entry(be, s, &s, &t->inc[n], &t->amp[n], why, why_len);
		if (ret)
			return ret;
		n++;
		if (!*s)
			break;
		s++; /* ',' */
	}
	for (unsigned c = n; c < be->p.channels; c++) {
		t->inc[c] = t->inc[n - 1];
		t->amp[c] = t->amp[n - 1];
	}
	return 0;
}

static int tone_open(struct sofsim_dai_backend *be, const char *arg, char *why, size_t why_len)
{
	struct tone *t = sofsim__dai_zalloc(be->sim, sizeof(*t));
	int ret;

	if (!t)
		return sofsim__dai_msg(why, why_len, -ENOMEM, "%s: out of kernel heap", be->spec);
	t->den = (uint64_t)be->p.rate_hz * 1000u;
	ret = tone_parse(be, t, arg, why, why_len);
	if (ret) {
		sofsim__dai_free(be->sim, t);
		return ret;
	}
	be->priv = t;
	return 0;
}

static void tone_close(struct sofsim_dai_backend *be)
{
	sofsim__dai_free(be->sim, be->priv);
}

static int tone_read(struct sofsim_dai_backend *be, void *frames, uint32_t count)
{
	struct tone *t = be->priv;
	uint8_t *at = frames;

	for (uint32_t i = 0; i < count; i++) {
		for (uint32_t c = 0; c < be->p.channels; c++, at += be->sample_bytes) {
			double x = sin(TWO_PI * (double)t->phase[c] / (double)t->den);

			sofsim__dai_put(at, be->p.format, (int32_t)lround(t->amp[c] * x));
			t->phase[c] += t->inc[c];
			if (t->phase[c] >= t->den)
				t->phase[c] -= t->den;
		}
	}
	return 0;
}

static int tone_snapshot(struct sofsim_dai_backend *be, struct sofsim_dai_backend_state *st)
{
	const struct tone *t = be->priv;

	memcpy(st->u.tone.phase, t->phase, sizeof(t->phase));
	return 0;
}

static int tone_restore(struct sofsim_dai_backend *be, const struct sofsim_dai_backend_state *st)
{
	struct tone *t = be->priv;

	for (uint32_t c = 0; c < SOFSIM_PCM_CHANNELS_MAX; c++)
		if (st->u.tone.phase[c] >= t->den)
			return sofsim__dai_fail(be, -EINVAL, "%s: saved phase %llu of channel %u is not below %llu",
						be->spec, (unsigned long long)st->u.tone.phase[c], c,
						(unsigned long long)t->den);
	memcpy(t->phase, st->u.tone.phase, sizeof(t->phase));
	return 0;
}

const struct sofsim__dai_ops sofsim__dai_tone_ops = {
	.name = "tone",
	.open = tone_open,
	.close = tone_close,
	.read = tone_read,
	.snapshot = tone_snapshot,
	.restore = tone_restore,
};
