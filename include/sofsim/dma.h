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
 * No data is moved yet: status reports the configured buffer as all free and
 * nothing pending; host and FIFO addresses are stored, never resolved.
 *
 * Every `sofsim_dma_*` call except sofsim_dma_init() and
 * sofsim_dma_channel_config() is a syscall from user mode.
 */
#ifndef SOFSIM_DMA_H
#define SOFSIM_DMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
	uint32_t pending;      /**< bytes waiting to be moved (0 until data moves) */
	uint32_t free;         /**< free bytes (the whole configured size until data moves) */
	uint64_t total_copied; /**< bytes moved so far (0 until data moves) */
	uint32_t read_pos;     /**< read offset in the buffer */
	uint32_t write_pos;    /**< write offset in the buffer */
	bool busy;             /**< the channel is running */
};

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
 * @brief Announce @p size bytes moved (sof_dma_reload). No data moves yet.
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

#ifdef __cplusplus
}
#endif

#endif /* SOFSIM_DMA_H */
