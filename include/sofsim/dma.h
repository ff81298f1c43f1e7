/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file dma.h
 * @brief Fake DMA devices with the shape of SOF's `sof_dma_*` syscalls
 * (userspace sheet §2.2, bug class 13): one device per gateway kind, a
 * kernel object user threads need a grant on, channels with Zephyr's state
 * machine, and a configuration that from user mode only ever reaches the
 * channel through SOF's deep-copy verifier.
 *
 * Why this exists before any data moves: the syscall surface and its
 * verifier are where SOF's user-space bugs were (list shape, allocation
 * overflow, unset fields, leaks on failure), so they are modelled first and
 * the data path is added later on top of the stored kernel configuration.
 *
 * Data moves only on channels given stream parameters
 * (sofsim_dma_channel_stream()): a period timer moves the frames of each
 * period in virtual time at the stream rate (see "DMA data movement" below).
 * Other channels move nothing: status reports the configured buffer as all
 * free and nothing pending.
 *
 * Every `sofsim_dma_*` call except sofsim_dma_init() and
 * sofsim_dma_channel_config() is a syscall from user mode.
 */
#ifndef SOFSIM_DMA_H
#define SOFSIM_DMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sofsim/dai.h"
#include "sofsim/export.h"
#include "sofsim/platform.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sofsim;

/** @brief A DMA device (opaque; a kernel object of type SOFSIM_OBJ_DRIVER_DMA). */
struct sofsim_dma;

/** @brief Transfer directions (Zephyr's values). */
enum sofsim_dma_direction {
	SOFSIM_DMA_MEM_TO_MEM = 0,       /**< both buffers in DSP memory */
	SOFSIM_DMA_MEM_TO_PERIPH = 1,    /**< DSP memory to a FIFO (DAI playback) */
	SOFSIM_DMA_PERIPH_TO_MEM = 2,    /**< FIFO to DSP memory (DAI capture) */
	SOFSIM_DMA_PERIPH_TO_PERIPH = 3, /**< not supported: the verifier refuses it */
	SOFSIM_DMA_HOST_TO_MEM = 4,      /**< host buffer to DSP memory (playback host gateway) */
	SOFSIM_DMA_MEM_TO_HOST = 5,      /**< DSP memory to a host buffer (capture host gateway) */
};

/** @brief One block of a transfer (Zephyr's dma_block_config, reduced). */
struct sofsim_dma_block {
	uintptr_t source;              /**< source address */
	uintptr_t dest;                /**< destination address */
	uint32_t size;                 /**< bytes */
	struct sofsim_dma_block *next; /**< next block; the last: NULL or the head (cyclic ring) */
};

/** @brief A channel configuration (Zephyr's dma_config, reduced). */
struct sofsim_dma_config {
	uint32_t slot;                 /**< DAI slot / stream */
	uint32_t direction;            /**< enum sofsim_dma_direction */
	uint32_t cyclic;               /**< non-zero: the transfer wraps */
	uint32_t source_data_size;     /**< bytes per source sample */
	uint32_t dest_data_size;       /**< bytes per destination sample */
	uint32_t source_burst;         /**< source burst length */
	uint32_t dest_burst;           /**< destination burst length */
	uint32_t block_count;          /**< blocks in the list at @ref head */
	struct sofsim_dma_block *head; /**< first block */
	void (*callback)(void *);      /**< completion callback (dropped for user callers) */
	void *user_data;               /**< its argument (dropped for user callers) */
};

/** @brief Channel status (Zephyr's dma_status, reduced). */
struct sofsim_dma_status {
	uint32_t pending;      /**< bytes in the DSP buffer not yet consumed (0 without stream parameters) */
	uint32_t free;         /**< free bytes in the DSP buffer (the whole configured size without a data path) */
	uint64_t total_copied; /**< bytes this channel moved since configured */
	uint32_t read_pos;     /**< consumer's offset in the DSP buffer */
	uint32_t write_pos;    /**< producer's offset in the DSP buffer */
	bool busy;             /**< the channel is running */
};

/** @brief An xrun of a channel (sofsim_dma_xruns()). */
struct sofsim_dma_xrun {
	uint64_t time_ns;   /**< virtual time of the period that found it */
	uint32_t channel;   /**< channel number on its device */
	uint32_t direction; /**< enum sofsim_dma_direction of the channel */
	uint32_t underrun;  /**< 1: too few bytes to consume; 0: too little space (overrun) */
	uint32_t short_by;  /**< bytes of the period that could not be moved */
};

/** @brief Default period of the data path's timer (SOF's 1 ms LL tick). */
#define SOFSIM_DMA_PERIOD_NS 1000000u

/** @brief Attribute types for sofsim_dma_get_attribute() (Zephyr's). */
enum sofsim_dma_attr {
	SOFSIM_DMA_ATTR_BUFFER_ADDRESS_ALIGNMENT = 0, /**< 128 bytes */
	SOFSIM_DMA_ATTR_BUFFER_SIZE_ALIGNMENT = 1,    /**< 32 bytes */
	SOFSIM_DMA_ATTR_COPY_ALIGNMENT = 2,           /**< 32 bytes */
	SOFSIM_DMA_ATTR_MAX_BLOCK_COUNT = 3,          /**< 1 */
};

/** @brief sofsim_dma_get() flag: fail if anyone else holds the device (SOF's DMA_ACCESS_EXCLUSIVE). */
#define SOFSIM_DMA_ACCESS_EXCLUSIVE 1u
/** @brief sofsim_dma_request_channel(): any free channel. */
#define SOFSIM_DMA_CHAN_ANY UINT32_MAX

/**
 * @brief Create the DMA devices, one per gateway kind, with the profile's
 * channel counts. Kernel only (from user mode: CPU exception, cause 8).
 * Idempotent. No thread has permission on them until granted.
 * @param sim Context.
 * @retval 0       Created (or already there).
 * @retval -ENOMEM The kernel heap is spent (nothing is left half made).
 */
SOFSIM_API int sofsim_dma_init(struct sofsim *sim);

/**
 * @brief Find and reference the device of @p kind (sof_dma_get). From user
 * mode, a caller without permission on the device gets NULL (no fault), as
 * SOF's verifier drops the reference it took.
 * @param sim   Context.
 * @param kind  Gateway kind.
 * @param flags 0 or SOFSIM_DMA_ACCESS_EXCLUSIVE.
 * @return The device, or NULL (no such kind, not initialised, no permission,
 *         or exclusive access while referenced).
 */
SOFSIM_API struct sofsim_dma *sofsim_dma_get(struct sofsim *sim, enum sofsim_gateway_kind kind, uint32_t flags);

/**
 * @brief Drop a reference taken by sofsim_dma_get() (sof_dma_put).
 * @param sim Context.
 * @param dma Device (user mode: a device the caller may use, else oops).
 */
SOFSIM_API void sofsim_dma_put(struct sofsim *sim, struct sofsim_dma *dma);

/**
 * @brief Claim a channel (sof_dma_request_channel).
 * @param sim     Context.
 * @param dma     Device (user mode: valid DMA, else oops).
 * @param channel Channel number, or SOFSIM_DMA_CHAN_ANY.
 * @return The channel number; -EINVAL out of range (the driver's check, no
 *         fault); -EBUSY taken (or, for ANY, none free).
 */
SOFSIM_API int sofsim_dma_request_channel(struct sofsim *sim, struct sofsim_dma *dma, uint32_t channel);

/**
 * @brief Give a channel back, stopping it and dropping its configuration.
 * @return 0, or -EINVAL out of range.
 */
SOFSIM_API int sofsim_dma_release_channel(struct sofsim *sim, struct sofsim_dma *dma, uint32_t channel);

/**
 * @brief Configure a requested channel (sof_dma_config). From user mode the
 * configuration is deep-copied and checked first (any failure: oops; see
 * docs/model-fidelity.md); the channel keeps its own copy either way.
 * @return 0; -EINVAL out of range, not requested, or a malformed list from a
 *         kernel caller; -EBUSY running or suspended; -ENOMEM.
 */
SOFSIM_API int sofsim_dma_config(struct sofsim *sim, struct sofsim_dma *dma, uint32_t channel,
				 const struct sofsim_dma_config *cfg);

/** @brief Start a configured channel. @return 0; -EINVAL out of range or not configured. */
SOFSIM_API int sofsim_dma_start(struct sofsim *sim, struct sofsim_dma *dma, uint32_t channel);
/** @brief Stop a channel. @return 0 (also when not running); -EINVAL out of range. */
SOFSIM_API int sofsim_dma_stop(struct sofsim *sim, struct sofsim_dma *dma, uint32_t channel);
/**
 * @brief Announce @p size bytes moved (sof_dma_reload). On a channel with a
 * data path whose DSP buffer has no partner channel, this is the firmware's
 * side: @p size bytes produced into it (MEM_TO_PERIPH, MEM_TO_HOST) or
 * consumed from it (PERIPH_TO_MEM, HOST_TO_MEM). Otherwise nothing moves.
 * @return 0; -EINVAL out of range or not configured.
 */
SOFSIM_API int sofsim_dma_reload(struct sofsim *sim, struct sofsim_dma *dma, uint32_t channel, uintptr_t src,
				 uintptr_t dst, size_t size);
/** @brief Suspend a running channel. @return 0; -EINVAL out of range or not running. */
SOFSIM_API int sofsim_dma_suspend(struct sofsim *sim, struct sofsim_dma *dma, uint32_t channel);
/** @brief Resume a suspended channel. @return 0; -EINVAL out of range or not suspended. */
SOFSIM_API int sofsim_dma_resume(struct sofsim *sim, struct sofsim_dma *dma, uint32_t channel);

/**
 * @brief Channel status (sof_dma_get_status). User mode: @p stat writable
 * by the caller, else oops naming "stat".
 * @return 0; -EINVAL out of range or released.
 */
SOFSIM_API int sofsim_dma_get_status(struct sofsim *sim, struct sofsim_dma *dma, uint32_t channel,
				     struct sofsim_dma_status *stat);

/**
 * @brief Device attribute (sof_dma_get_attribute). User mode: @p value
 * writable (4 bytes), else oops naming "value".
 * @return 0; -EINVAL unknown @p type.
 */
SOFSIM_API int sofsim_dma_get_attribute(struct sofsim *sim, struct sofsim_dma *dma, uint32_t type,
					uint32_t *value);

/**
 * @brief Read the configuration a channel stores (kernel only; for tests
 * and the later data path). @p out->head points into the channel's own copy.
 * @return 0; -EINVAL out of range or not configured.
 */
SOFSIM_API int sofsim_dma_channel_config(struct sofsim *sim, struct sofsim_dma *dma, uint32_t channel,
					 struct sofsim_dma_config *out);

/**
 * @brief Channels of a device (the profile's dma_channels[] for its kind);
 * reads the device, so from kernel code only.
 * @return Count, 0 for NULL.
 */
SOFSIM_API unsigned sofsim_dma_channel_count(const struct sofsim_dma *dma);

/* ---- DMA data movement (kernel only) ---- */

/*
 * A channel given stream parameters moves data once started: every
 * SOFSIM_DMA_PERIOD_NS of virtual time (its timer, in ISR context on core 0)
 * it moves the frames of that period, sofsim_frames_in(rate, k periods)
 * minus those of k - 1 periods, so that after k periods exactly
 * floor(rate × k × period) frames have moved (44.1 kHz: 44 or 45 a period).
 *
 * The configured cyclic block list is a ring (blocks in list order; their
 * DSP-side addresses; the other side for host channels is the host buffer,
 * read or written cyclically with the same block sizes). Directions:
 * HOST_TO_MEM and PERIPH_TO_MEM produce into the DSP ring, MEM_TO_HOST and
 * MEM_TO_PERIPH consume from it. Two configured channels whose DSP rings
 * start at the same address with the same size are partners: one's
 * production is the other's to consume (e.g. host DMA → DSP ring → link
 * DMA); a ring without a partner gets its other side from
 * sofsim_dma_reload(). Link channels (MEM_TO_PERIPH, PERIPH_TO_MEM) write to
 * or read from their DAI back end (none: discard / silence) a whole period
 * each time, as the DAI's clock demands.
 *
 * Xruns: a consumer that finds less than a period (underrun) takes what
 * there is (a link channel pads the back end with silence); a producer that
 * finds less space than a period (overrun) puts what fits (a link channel
 * drops the rest of what the back end gave). Each is recorded on the device
 * with its channel, direction and time; the channel keeps running.
 * MEM_TO_MEM channels move nothing.
 */

/**
 * @brief Give a channel stream parameters, making it move data once
 * started (kernel only). Allowed while the channel is requested or
 * configured, not running; again to change them.
 * @return 0; -EINVAL out of range, released, running or suspended, bad
 *         parameters, or not matching the channel's back end; -ENOMEM.
 */
SOFSIM_API int sofsim_dma_channel_stream(struct sofsim *sim, struct sofsim_dma *dma, uint32_t channel,
					 const struct sofsim_pcm_params *p);

/**
 * @brief Attach the DAI back end a link channel plays into or captures
 * from (kernel only; the caller keeps owning it, and must not close it
 * while the channel runs). NULL detaches it.
 * @return 0; -EINVAL out of range, no stream parameters yet, running, or
 *         a back end whose frame size differs from the stream's.
 */
SOFSIM_API int sofsim_dma_channel_dai(struct sofsim *sim, struct sofsim_dma *dma, uint32_t channel,
				      struct sofsim_dai_backend *be);

/**
 * @brief The xruns a device recorded (kernel only): copies the first
 * min(@p max, kept) of the first 32 kept, oldest first.
 * @param out Receives them (may be NULL when @p max is 0).
 * @return How many were ever recorded (may exceed those kept).
 */
SOFSIM_API uint64_t sofsim_dma_xruns(struct sofsim *sim, const struct sofsim_dma *dma, struct sofsim_dma_xrun *out,
				     size_t max);

#ifdef __cplusplus
}
#endif

#endif /* SOFSIM_DMA_H */
