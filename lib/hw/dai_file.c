/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The file back end: a DAI that plays into, or captures from, an audio
 * file through libsndfile, so a pipeline can be tested against recorded
 * signals and its output inspected with ordinary tools.
 *
 * Samples cross libsndfile as left-justified 32-bit ints (its integer
 * scaling: a 16-bit file sample v is v << 16), which makes every
 * widening exact; `shift` undoes the justification for the DAI's format.
 * A .raw file has no header: it holds the DAI's bytes as they are, so an
 * S24_4LE raw file is 32-bit containers read and written without a shift.
 *
 * The record and its bounce buffer are in the kernel heap, so a context
 * snapshot (sofsim_snapshot()) carries the position. libsndfile's handle and
 * buffers (and libFLAC's) are malloc'd outside the arena, with a companion
 * holding the handle, the descriptor and libsndfile's own position. A reset
 * rolls the record back but not the companion, so before each transfer the
 * file is brought back in line with the record: a capture file re-seeks, a
 * WAV or raw file being written is truncated. sofsim_dai_backend_restore()
 * does the same for a position saved with sofsim_dai_backend_snapshot().
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sndfile.h>

#include "hw/dai_priv.h"

/* Frames converted per libsndfile call. */
#define CHUNK 64u

enum ftype { FT_WAV, FT_FLAC, FT_RAW };

static const char *const type_name[] = { [FT_WAV] = "WAV", [FT_FLAC] = "FLAC", [FT_RAW] = "raw" };

/* Outside the arena: what a context reset must not roll back. */
struct file_host {
	SNDFILE *sf;
	int fd;
	uint64_t at; /* libsndfile's position: the next frame read, or the frames in the file written */
};

struct file_be {
	struct file_host *host;
	enum ftype type;
	bool loop;       /* capture: after the end, the file again (else silence) */
	unsigned shift;  /* libsndfile int = DAI sample << shift */
	uint64_t frames; /* capture: frames in the file */
	uint64_t pos;    /* capture: next frame to read; playback: frames written */
	int32_t bounce[CHUNK * SOFSIM_PCM_CHANNELS_MAX];
	char path[];
};

/* ---- what the spec asks for ---- */

static int type_of(const char *path, enum ftype *out)
{
	const char *dot = strrchr(path, '.');

	if (dot && strcasecmp(dot, ".wav") == 0)
		*out = FT_WAV;
	else if (dot && strcasecmp(dot, ".flac") == 0)
		*out = FT_FLAC;
	else if (dot && strcasecmp(dot, ".raw") == 0)
		*out = FT_RAW;
	else
		return -EINVAL;
	return 0;
}

/* "<path>[,end=silence|loop]": the path, then the options, each checked. */
static int parse(struct sofsim_dai_backend *be, const char *arg, struct file_be **out, char *why, size_t why_len)
{
	size_t n = strcspn(arg, ",");
	const char *opt = arg + n;
	struct file_be *f;
	bool loop = false;
	enum ftype type;

	if (n == 0)
		return sofsim__dai_msg(why, why_len, -EINVAL,
				       "file: no path given; want file:<path>[,end=silence|loop]");
	if (*opt && be->dir == SOFSIM_DAI_PLAYBACK)
		return sofsim__dai_msg(why, why_len, -EINVAL, "%.*s: '%s' applies to capture files only", (int)n, arg,
				       opt + 1);
	if (strcmp(opt, ",end=loop") == 0)
		loop = true;
	else if (*opt && strcmp(opt, ",end=silence") != 0)
		return sofsim__dai_msg(why, why_len, -EINVAL, "%.*s: unknown option '%s'; want end=silence or "
				       "end=loop", (int)n, arg, opt + 1);
	f = sofsim__dai_zalloc(be->sim, sizeof(*f) + n + 1);
	if (!f)
		return sofsim__dai_msg(why, why_len, -ENOMEM, "%.*s: out of kernel heap", (int)n, arg);
	memcpy(f->path, arg, n);
	f->loop = loop;
	if (type_of(f->path, &type)) {
		sofsim__dai_free(be->sim, f);
		return sofsim__dai_msg(why, why_len, -EINVAL, "%.*s: unknown file type; want .wav, .flac or .raw",
				       (int)n, arg);
	}
	f->type = type;
	*out = f;
	return 0;
}

/* The subtype a file of @type holds for the DAI's format, and the shift. */
static int subtype_for(const struct sofsim_dai_backend *be, enum ftype type, int *sub, unsigned *shift)
{
	switch (be->p.format) {
	case SOFSIM_FMT_S16_LE:
		*sub = SF_FORMAT_PCM_16;
		*shift = 16;
		return 0;
	case SOFSIM_FMT_S24_4LE:
		*sub = type == FT_RAW ? SF_FORMAT_PCM_32 : SF_FORMAT_PCM_24;
		*shift = type == FT_RAW ? 0 : 8;
		return 0;
	default:
		*sub = SF_FORMAT_PCM_32;
		*shift = 0;
		return type == FT_FLAC ? -EOPNOTSUPP : 0;
	}
}

static int major_of(enum ftype type)
{
	return type == FT_WAV ? SF_FORMAT_WAV : type == FT_FLAC ? SF_FORMAT_FLAC : SF_FORMAT_RAW | SF_ENDIAN_LITTLE;
}

/* ---- integrity checks of a capture file ---- */

static uint32_t le32(const uint8_t *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

/*
 * libsndfile quietly shortens a WAV whose data chunk runs past the end of
 * the file, so a cut file would just play short: walk the RIFF chunks to
 * the data chunk and compare its declared size with what is there.
 */
static int wav_check(const struct file_be *f, uint64_t file_bytes, char *why, size_t why_len)
{
	uint8_t h[12];
	uint64_t at = 12;

	if (pread(f->host->fd, h, sizeof(h), 0) != (ssize_t)sizeof(h) || memcmp(h, "RIFF", 4) != 0)
		return 0; /* RF64 and friends: libsndfile's own checks apply */
	for (unsigned i = 0; i < 64 && at + 8 <= file_bytes; i++) {
		uint64_t size;

		if (pread(f->host->fd, h, 8, (off_t)at) != 8)
			break;
		size = le32(h + 4);
		if (memcmp(h, "data", 4) != 0) {
			at += 8 + size + (size & 1);
			continue;
		}
		if (at + 8 + size <= file_bytes)
			return 0;
		return sofsim__dai_msg(why, why_len, -EIO, "%s: truncated: the data chunk declares %llu bytes, %llu "
				       "are present", f->path, (unsigned long long)size,
				       (unsigned long long)(file_bytes - at - 8));
	}
	return sofsim__dai_msg(why, why_len, -EIO, "%s: truncated or corrupt: no data chunk", f->path);
}

/* A FLAC file cut short still opens (STREAMINFO is at its head): decode its last frame. */
static int flac_check(struct file_be *f, char *why, size_t why_len)
{
	SNDFILE *sf = f->host->sf;

	if (!f->frames)
		return 0;
	if (sf_seek(sf, (sf_count_t)f->frames - 1, SEEK_SET) < 0 || sf_readf_int(sf, f->bounce, 1) != 1)
		return sofsim__dai_msg(why, why_len, -EIO, "%s: truncated or corrupt: frame %llu of %llu cannot be "
				       "decoded (libsndfile: %s)", f->path, (unsigned long long)f->frames - 1,
				       (unsigned long long)f->frames, sf_strerror(sf));
	if (sf_seek(sf, 0, SEEK_SET) != 0)
		return sofsim__dai_msg(why, why_len, -EIO, "%s: cannot seek back to the start (libsndfile: %s)",
				       f->path, sf_strerror(sf));
	return 0;
}

/* What libsndfile found, against what the name and the DAI want. */
static int check_info(const struct sofsim_dai_backend *be, const struct file_be *f, const SF_INFO *info,
		      char *why, size_t why_len)
{
	int major = info->format & SF_FORMAT_TYPEMASK, sub = info->format & SF_FORMAT_SUBMASK;
	bool wav = major == SF_FORMAT_WAV || major == SF_FORMAT_WAVEX || major == SF_FORMAT_RF64;

	if ((f->type == FT_WAV && !wav) || (f->type == FT_FLAC && major != SF_FORMAT_FLAC))
		return sofsim__dai_msg(why, why_len, -EIO, "%s: not a %s file (libsndfile reads it as major format "
				       "0x%x)", f->path, type_name[f->type], (unsigned)major);
	if (sub != SF_FORMAT_PCM_16 && sub != SF_FORMAT_PCM_24 && sub != SF_FORMAT_PCM_32)
		return sofsim__dai_msg(why, why_len, -EOPNOTSUPP, "%s: unsupported sample encoding (libsndfile "
				       "subtype 0x%x); want 16-, 24- or 32-bit integer PCM", f->path, (unsigned)sub);
	if ((uint32_t)info->samplerate != be->p.rate_hz || (uint32_t)info->channels != be->p.channels)
		return sofsim__dai_msg(why, why_len, -EINVAL, "%s: %d Hz, %d channel(s) differ from the DAI's %u Hz, "
				       "%u channel(s)", f->path, info->samplerate, info->channels, be->p.rate_hz,
				       be->p.channels);
	return 0;
}

/* ---- opening ---- */

static int open_capture(struct sofsim_dai_backend *be, struct file_be *f, char *why, size_t why_len)
{
	SF_INFO info = { 0 };
	struct stat st;
	int sub, ret;

	if (fstat(f->host->fd, &st) != 0 || !S_ISREG(st.st_mode))
		return sofsim__dai_msg(why, why_len, -EINVAL, "%s: not a regular file", f->path);
	subtype_for(be, f->type, &sub, &f->shift); /* libsndfile justifies any file's samples alike */
	if (f->type == FT_RAW) {
		if ((uint64_t)st.st_size % be->frame_bytes)
			return sofsim__dai_msg(why, why_len, -EIO, "%s: truncated: %lld bytes is not a whole number "
					       "of %u-byte frames", f->path, (long long)st.st_size, be->frame_bytes);
		info = (SF_INFO){ .samplerate = (int)be->p.rate_hz, .channels = (int)be->p.channels,
				  .format = major_of(FT_RAW) | sub };
	}
	f->host->sf = sf_open_fd(f->host->fd, SFM_READ, &info, SF_FALSE);
	if (!f->host->sf)
		return sofsim__dai_msg(why, why_len, -EIO, "%s: not a valid %s file (libsndfile: %s)", f->path,
				       type_name[f->type], sf_strerror(NULL));
	ret = check_info(be, f, &info, why, why_len);
	if (ret)
		return ret;
	f->frames = (uint64_t)info.frames;
	if (f->type == FT_WAV)
		return wav_check(f, (uint64_t)st.st_size, why, why_len);
	return f->type == FT_FLAC ? flac_check(f, why, why_len) : 0;
}

/* Everything that can be refused is refused before the file is created. */
static int check_playback(struct sofsim_dai_backend *be, struct file_be *f, SF_INFO *info, char *why,
			  size_t why_len)
{
	int sub;

	if (subtype_for(be, f->type, &sub, &f->shift) == -EOPNOTSUPP)
		return sofsim__dai_msg(why, why_len, -EOPNOTSUPP,
				       "%s: FLAC cannot hold S32_LE (use S16_LE or S24_4LE)", f->path);
	*info = (SF_INFO){ .samplerate = (int)be->p.rate_hz, .channels = (int)be->p.channels,
			   .format = major_of(f->type) | sub };
	if (!sf_format_check(info))
		return sofsim__dai_msg(why, why_len, -EOPNOTSUPP, "%s: %s cannot hold %u channel(s) of %s at %u Hz",
				       f->path, type_name[f->type], be->p.channels,
				       sofsim_pcm_format_name(be->p.format), be->p.rate_hz);
	return 0;
}

static void file_release(struct sofsim_dai_backend *be, struct file_be *f)
{
	if (f->host && f->host->sf && sf_close(f->host->sf) != 0)
		sofsim__dai_report(be, "dai: %s: closing failed (libsndfile: %s)\n", f->path, sf_strerror(NULL));
	if (f->host && f->host->fd >= 0)
		close(f->host->fd);
	free(f->host);
	sofsim__dai_free(be->sim, f);
}

static int file_open(struct sofsim_dai_backend *be, const char *arg, char *why, size_t why_len)
{
	bool capture = be->dir == SOFSIM_DAI_CAPTURE;
	SF_INFO info = { 0 };
	struct file_be *f = NULL;
	int ret;

	ret = parse(be, arg, &f, why, why_len);
	if (ret)
		return ret;
	f->host = malloc(sizeof(*f->host));
	if (!f->host) {
		ret = sofsim__dai_msg(why, why_len, -ENOMEM, "%s: out of memory", f->path);
		goto err;
	}
	*f->host = (struct file_host){ .fd = -1 };
	if (!capture) {
		ret = check_playback(be, f, &info, why, why_len);
		if (ret)
			goto err;
	}
	f->host->fd = open(f->path, capture ? O_RDONLY | O_CLOEXEC : O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (f->host->fd < 0) {
		ret = sofsim__dai_msg(why, why_len, -errno, "%s: cannot open: %s", f->path, strerror(errno));
		goto err;
	}
	if (capture) {
		ret = open_capture(be, f, why, why_len);
	} else {
		f->host->sf = sf_open_fd(f->host->fd, SFM_WRITE, &info, SF_FALSE);
		if (!f->host->sf)
			ret = sofsim__dai_msg(why, why_len, -EIO, "%s: cannot write a %s file (libsndfile: %s)",
					      f->path, type_name[f->type], sf_strerror(NULL));
	}
	if (ret)
		goto err;
	be->priv = f;
	return 0;

err:
	file_release(be, f);
	return ret;
}

static void file_close(struct sofsim_dai_backend *be)
{
	file_release(be, be->priv);
}

static int refuse_flac_rewind(struct sofsim_dai_backend *be, const struct file_be *f)
{
	return sofsim__dai_fail(be, -EOPNOTSUPP, "%s: a FLAC file being written cannot be rewound (the encoder "
				"streams); use WAV or raw", f->path);
}

/* Bring libsndfile back to the record's position (changed by a restore or a context reset). */
static int sync_position(struct sofsim_dai_backend *be, struct file_be *f)
{
	struct file_host *h = f->host;
	sf_count_t to = (sf_count_t)f->pos;

	if (h->at == f->pos)
		return 0;
	if (be->dir == SOFSIM_DAI_CAPTURE) {
		if (f->pos == f->frames)
			return 0; /* nothing is read here: the next read loops (seeking) or gives silence */
		if (sf_seek(h->sf, to, SEEK_SET) != to)
			return sofsim__dai_fail(be, -EIO, "%s: cannot seek to frame %llu (libsndfile: %s)", f->path,
						(unsigned long long)f->pos, sf_strerror(h->sf));
	} else {
		if (f->type == FT_FLAC)
			return refuse_flac_rewind(be, f);
		if (h->at < f->pos)
			return sofsim__dai_fail(be, -EIO, "%s: holds %llu frames, %llu were written", f->path,
						(unsigned long long)h->at, (unsigned long long)f->pos);
		if (sf_command(h->sf, SFC_FILE_TRUNCATE, &to, sizeof(to)) != 0)
			return sofsim__dai_fail(be, -EIO, "%s: cannot truncate to frame %llu (libsndfile: %s)",
						f->path, (unsigned long long)f->pos, sf_strerror(h->sf));
	}
	h->at = f->pos;
	return 0;
}

/* ---- moving frames ---- */

/* Up to @n frames from the file into @out (n ≤ CHUNK, n ≤ frames left). */
static int read_chunk(struct sofsim_dai_backend *be, struct file_be *f, uint8_t *out, uint32_t n)
{
	if (sf_readf_int(f->host->sf, f->bounce, n) != n)
		return sofsim__dai_fail(be, -EIO, "%s: read failed at frame %llu (libsndfile: %s)", f->path,
					(unsigned long long)f->pos, sf_strerror(f->host->sf));
	for (uint32_t i = 0; i < n * be->p.channels; i++, out += be->sample_bytes) {
		int32_t v = f->bounce[i] >> f->shift; /* arithmetic shift (gcc, clang) */

		if (be->p.format == SOFSIM_FMT_S24_4LE) /* a raw file's top byte is not trusted */
			v = sofsim__dai_sext24((uint32_t)v);
		sofsim__dai_put(out, be->p.format, v);
	}
	f->pos += n;
	f->host->at = f->pos;
	return 0;
}

static int file_read(struct sofsim_dai_backend *be, void *frames, uint32_t count)
{
	struct file_be *f = be->priv;
	uint8_t *out = frames;
	int ret = sync_position(be, f);

	while (!ret && count) {
		uint32_t n = count < CHUNK ? count : CHUNK;

		if (f->pos == f->frames && (!f->loop || !f->frames)) {
			memset(out, 0, (size_t)count * be->frame_bytes);
			return 0;
		}
		if (f->pos == f->frames) {
			if (sf_seek(f->host->sf, 0, SEEK_SET) != 0)
				return sofsim__dai_fail(be, -EIO, "%s: cannot seek back to the start (libsndfile: %s)",
							f->path, sf_strerror(f->host->sf));
			f->pos = f->host->at = 0;
		}
		if (n > f->frames - f->pos)
			n = (uint32_t)(f->frames - f->pos);
		ret = read_chunk(be, f, out, n);
		out += (size_t)n * be->frame_bytes;
		count -= n;
	}
	return ret;
}

static int file_write(struct sofsim_dai_backend *be, const void *frames, uint32_t count)
{
	struct file_be *f = be->priv;
	const uint8_t *in = frames;
	int ret = sync_position(be, f);

	while (!ret && count) {
		uint32_t n = count < CHUNK ? count : CHUNK;

		for (uint32_t i = 0; i < n * be->p.channels; i++, in += be->sample_bytes)
			f->bounce[i] = (int32_t)((uint32_t)sofsim__dai_get(in, be->p.format) << f->shift);
		if (sf_writef_int(f->host->sf, f->bounce, n) != n)
			return sofsim__dai_fail(be, -EIO, "%s: write failed at frame %llu (libsndfile: %s)", f->path,
						(unsigned long long)f->pos, sf_strerror(f->host->sf));
		f->pos += n;
		f->host->at = f->pos;
		count -= n;
	}
	return ret;
}

/* ---- snapshot ---- */

static int file_snapshot(struct sofsim_dai_backend *be, struct sofsim_dai_backend_state *st)
{
	struct file_be *f = be->priv;

	if (be->dir == SOFSIM_DAI_PLAYBACK && f->type == FT_FLAC)
		return refuse_flac_rewind(be, f);
	st->u.file.frame = f->pos;
	return 0;
}

/* Capture: seek. Playback: cut the file back to the saved length (libsndfile fixes the header at close). */
static int file_restore(struct sofsim_dai_backend *be, const struct sofsim_dai_backend_state *st)
{
	struct file_be *f = be->priv;
	uint64_t to = st->u.file.frame;

	if (be->dir == SOFSIM_DAI_PLAYBACK && f->type == FT_FLAC)
		return refuse_flac_rewind(be, f);
	if (be->dir == SOFSIM_DAI_PLAYBACK && to > f->host->at)
		return sofsim__dai_fail(be, -EOPNOTSUPP, "%s: cannot go forward to frame %llu: the file holds %llu",
					f->path, (unsigned long long)to, (unsigned long long)f->host->at);
	if (be->dir == SOFSIM_DAI_CAPTURE && to > f->frames)
		return sofsim__dai_fail(be, -EINVAL, "%s: saved frame %llu is past the end (%llu frames)", f->path,
					(unsigned long long)to, (unsigned long long)f->frames);
	f->pos = to;
	return sync_position(be, f);
}

const struct sofsim__dai_ops sofsim__dai_file_ops = {
	.name = "file",
	.open = file_open,
	.close = file_close,
	.read = file_read,
	.write = file_write,
	.snapshot = file_snapshot,
	.restore = file_restore,
};
