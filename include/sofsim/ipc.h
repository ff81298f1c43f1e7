/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file ipc.h
 * @brief The ACE host IPC block (ABI sheet §8): doorbell registers seen
 * from both sides, the mailbox windows, and SOF's DSP-side TX queue.
 *
 * Header words travel in registers; payloads in the windows. Host → DSP:
 * the host writes the payload to the inbox (window 1), the extension to
 * HFIPCXIDDY and primary | BUSY to HFIPCXIDR, which raises the DSP's IPC
 * interrupt; the DSP acknowledges with DONE (TDA) when its IPC task is
 * done, and replies with a separate DSP → host message sent from its TX
 * queue (drained every 100 µs by the send work queue). DONE and the reply
 * are separate events; the host call returns when both arrived.
 */
#ifndef SOFSIM_IPC_H
#define SOFSIM_IPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sofsim/export.h"

struct sofsim;
struct sofsim_ipc;
struct sofsim_partition;

/** Host-side registers (offsets in BAR 4). */
#define SOFSIM_IPC_HFIPCXTDR 0x73200u  /**< DSP → host doorbell: BUSY | primary */
#define SOFSIM_IPC_HFIPCXTDA 0x73204u  /**< host ack of a DSP message: clear bit 31 */
#define SOFSIM_IPC_HFIPCXIDR 0x73210u  /**< host → DSP doorbell: BUSY | primary */
#define SOFSIM_IPC_HFIPCXIDA 0x73214u  /**< DONE (bit 31), write 1 to clear */
#define SOFSIM_IPC_HFIPCXCTL 0x73228u  /**< bit 0 BUSY irq enable, bit 1 DONE irq enable */
#define SOFSIM_IPC_HFIPCXTDDY 0x73300u /**< DSP → host extension */
#define SOFSIM_IPC_HFIPCXIDDY 0x73380u /**< host → DSP extension */

/** DSP-side registers (offsets in the DSP's IPC block). */
#define SOFSIM_IPC_DSP_TDR 0x00u  /**< incoming doorbell: BUSY | primary; write BUSY to clear */
#define SOFSIM_IPC_DSP_TDA 0x04u  /**< write 0 to bit 31: DONE for the host */
#define SOFSIM_IPC_DSP_IDR 0x10u  /**< outgoing doorbell: write primary | BUSY */
#define SOFSIM_IPC_DSP_IDA 0x14u  /**< DONE from the host (bit 31), write 1 to clear */
#define SOFSIM_IPC_DSP_CTL 0x28u  /**< bit 0 TBIE, bit 1 IDIE */
#define SOFSIM_IPC_DSP_TDD 0x100u /**< incoming extension */
#define SOFSIM_IPC_DSP_IDD 0x180u /**< outgoing extension */

#define SOFSIM_IPC_BUSY (1u << 31)
#define SOFSIM_IPC_DONE (1u << 31)
#define SOFSIM_IPC_PRIMARY_MASK 0x7fffffffu
/** Bit 29 of a DSP → host primary: a reply (else a notification). */
#define SOFSIM_IPC_REPLY_BIT (1u << 29)
/** EXCEPTION_CAUGHT notification primary (ABI §1.5); ext = core id. */
#define SOFSIM_IPC4_EXCEPTION_CAUGHT 0x1B0A0000u

/** Largest payload the host side (Linux) sends or reads. */
#define SOFSIM_IPC_HOST_MAX_PAYLOAD 4096u
/** How long the host model waits for a reply, in virtual time (Linux's default IPC timeout). */
#define SOFSIM_IPC_HOST_TIMEOUT_NS (500u * 1000u * 1000u)
/** The send work queue's period while messages wait (SOF's IPC_PERIOD_USEC). */
#define SOFSIM_IPC_TX_PERIOD_NS (100u * 1000u)

/** One message, either direction. */
struct sofsim_ipc_msg {
	uint32_t primary;  /**< bits 0–30 */
	uint32_t ext;      /**< extension word */
	uint32_t size;     /**< payload bytes */
	uint8_t data[SOFSIM_IPC_HOST_MAX_PAYLOAD]; /**< payload */
};

/** Options of the IPC block. */
struct sofsim_ipc_config {
	bool reply_before_done; /**< force the reply doorbell ahead of DONE (default: DONE first) */
	bool host_manual_ack;   /**< the host acknowledges DSP messages only when asked (default: at once) */
};

/** DSP-side receive callback: runs in the doorbell ISR with the latched words. */
typedef void (*sofsim_ipc_rx_fn)(struct sofsim_ipc *ipc, uint32_t primary, uint32_t ext, void *arg);

/**
 * @brief Create the IPC block of a context: windows in the DSP arena, the
 * doorbell interrupt on core 0, the send work queue, and the EXCEPTION_CAUGHT
 * notice sent when the DSP halts. One per context.
 * @param sim  Context.
 * @param cfg  Options (NULL = defaults).
 * @param rx   DSP-side receive callback (ISR context).
 * @param arg  Its argument.
 * @param out  Receives the block.
 * @retval 0       Created.
 * @retval -EBUSY  The context already has one.
 * @retval -ENOMEM Out of memory.
 */
SOFSIM_API int sofsim_ipc_create(struct sofsim *sim, const struct sofsim_ipc_config *cfg, sofsim_ipc_rx_fn rx,
				 void *arg, struct sofsim_ipc **out);

/** @brief Destroy the block; accepts NULL. @param ipc Block. */
SOFSIM_API void sofsim_ipc_destroy(struct sofsim_ipc *ipc);

/* ---- registers ---- */

/**
 * @brief Read a host-side register.
 * @param ipc Block.
 * @param off SOFSIM_IPC_HFIPCX*.
 * @param val Receives the value.
 * @retval 0       Read.
 * @retval -EINVAL Unknown offset.
 */
SOFSIM_API int sofsim_ipc_host_reg_read(struct sofsim_ipc *ipc, uint32_t off, uint32_t *val);

/**
 * @brief Write a host-side register with the hardware's semantics
 * (write-1-to-clear where the sheet says so).
 * @param ipc Block.
 * @param off SOFSIM_IPC_HFIPCX*.
 * @param val Value.
 * @retval 0       Written.
 * @retval -EINVAL Unknown or read-only offset.
 * @retval -EBUSY  A doorbell rung while the previous request is still in flight.
 * @retval -EPROTO An acknowledgement with nothing to acknowledge (double ack).
 */
SOFSIM_API int sofsim_ipc_host_reg_write(struct sofsim_ipc *ipc, uint32_t off, uint32_t val);

/**
 * @brief Read a DSP-side register (kernel code only).
 * @param ipc Block.
 * @param off SOFSIM_IPC_DSP_*.
 * @param val Receives the value.
 * @retval 0       Read.
 * @retval -EINVAL Unknown offset.
 */
SOFSIM_API int sofsim_ipc_dsp_reg_read(struct sofsim_ipc *ipc, uint32_t off, uint32_t *val);

/**
 * @brief Write a DSP-side register (kernel code only).
 * @param ipc Block.
 * @param off SOFSIM_IPC_DSP_*.
 * @param val Value.
 * @retval 0       Written.
 * @retval -EINVAL Unknown or read-only offset.
 * @retval -EBUSY  Doorbell rung while the host has not taken the previous message.
 * @retval -EPROTO DONE given twice for one request (double ack).
 */
SOFSIM_API int sofsim_ipc_dsp_reg_write(struct sofsim_ipc *ipc, uint32_t off, uint32_t val);

/* ---- windows ---- */

/** Windows of the IPC block. */
enum sofsim_ipc_window {
	SOFSIM_IPC_WIN_FW_REGS = 0, /**< window 0 + 0: FW registers (ABI §10), user RW */
	SOFSIM_IPC_WIN_OUTBOX,      /**< window 0 + 0x1000: DSP → host payloads, kernel-only */
	SOFSIM_IPC_WIN_INBOX,       /**< window 1: host → DSP payloads, user read-only */
};

/**
 * @brief The DSP address and size of a window.
 * @param ipc  Block.
 * @param win  Window.
 * @param size Receives its size.
 * @return Its first byte in the DSP arena, NULL for a bad window.
 */
SOFSIM_API void *sofsim_ipc_window(struct sofsim_ipc *ipc, enum sofsim_ipc_window win, size_t *size);

/**
 * @brief Copy into a window, bounds-checked against the window (not the host limit).
 * @param ipc  Block.
 * @param win  Window.
 * @param off  Offset.
 * @param data Bytes.
 * @param n    Count.
 * @retval 0       Copied.
 * @retval -EINVAL Outside the window.
 */
SOFSIM_API int sofsim_ipc_window_write(struct sofsim_ipc *ipc, enum sofsim_ipc_window win, size_t off,
				       const void *data, size_t n);

/**
 * @brief Copy out of a window, bounds-checked.
 * @param ipc  Block.
 * @param win  Window.
 * @param off  Offset.
 * @param data Destination.
 * @param n    Count.
 * @retval 0       Copied.
 * @retval -EINVAL Outside the window.
 */
SOFSIM_API int sofsim_ipc_window_read(struct sofsim_ipc *ipc, enum sofsim_ipc_window win, size_t off, void *data,
				      size_t n);

/**
 * @brief The partitions SOF's LL domain gets for the mailbox (userspace sheet
 * §2.3): the FW-registers page read-write and the inbox read-only. The
 * outbox is in none.
 * @param ipc Block.
 * @param out Receives two partitions (an array of 2).
 */
SOFSIM_API void sofsim_ipc_user_partitions(struct sofsim_ipc *ipc, struct sofsim_partition *out);

/* ---- the DSP side ---- */

/**
 * @brief Acknowledge the current request (TDA: DONE for the host).
 * @param ipc Block.
 * @retval 0       Done raised.
 * @retval -EPROTO No request to acknowledge (double ack).
 */
SOFSIM_API int sofsim_ipc_dsp_done(struct sofsim_ipc *ipc);

/**
 * @brief Queue a DSP → host message (SOF's ipc_msg_send): replies and other
 * high-priority messages go to the head of the queue, the rest to its tail;
 * the send work queue writes the head out every 100 µs while the doorbell is
 * free and the host has acknowledged the previous one.
 * @param ipc          Block.
 * @param primary      Primary word (bits 0–30).
 * @param ext          Extension word.
 * @param data         Payload (may be NULL when @p size is 0).
 * @param size         Payload bytes (≤ outbox size).
 * @param high_priority Put it at the head (replies).
 * @retval 0       Queued.
 * @retval -EINVAL Too large.
 * @retval -ENOMEM Out of memory.
 */
SOFSIM_API int sofsim_ipc_dsp_send(struct sofsim_ipc *ipc, uint32_t primary, uint32_t ext, const void *data,
				   uint32_t size, bool high_priority);

/**
 * @brief Emergency send (panic notification): bypass the queue; written at
 * once if the doorbell is free, else as soon as the host frees it.
 * @param ipc     Block.
 * @param primary Primary word.
 * @param ext     Extension word.
 * @retval 0 Sent or pending.
 */
SOFSIM_API int sofsim_ipc_dsp_send_emergency(struct sofsim_ipc *ipc, uint32_t primary, uint32_t ext);

/**
 * @brief Messages waiting in the TX queue.
 * @param ipc Block.
 * @return Count.
 */
SOFSIM_API unsigned sofsim_ipc_dsp_queued(const struct sofsim_ipc *ipc);

/* ---- the host side ---- */

/**
 * @brief Send a request: payload to the inbox, extension, then the doorbell.
 * @param ipc  Block.
 * @param msg  Message (size ≤ 4096).
 * @retval 0       Sent.
 * @retval -EINVAL Payload over 4096 bytes (Linux refuses it).
 * @retval -EBUSY  The previous request is not done.
 */
SOFSIM_API int sofsim_ipc_host_send(struct sofsim_ipc *ipc, const struct sofsim_ipc_msg *msg);

/**
 * @brief Run the simulation until the current request has both its DONE and
 * its reply, then return the reply.
 * @param ipc     Block.
 * @param reply   Receives the reply.
 * @param timeout Virtual-time bound (SOFSIM_IPC_HOST_TIMEOUT_NS is Linux's).
 * @retval 0          Both arrived.
 * @retval -ETIMEDOUT Not both within @p timeout (a halted DSP never answers).
 * @retval -EINVAL    No request in flight.
 */
SOFSIM_API int sofsim_ipc_host_wait(struct sofsim_ipc *ipc, struct sofsim_ipc_msg *reply, uint64_t timeout);

/**
 * @brief Send and wait (sofsim_ipc_host_send() + sofsim_ipc_host_wait()).
 * @param ipc   Block.
 * @param msg   Request.
 * @param reply Receives the reply.
 * @retval 0 Or the errors of the two calls.
 */
SOFSIM_API int sofsim_ipc_host_xfer(struct sofsim_ipc *ipc, const struct sofsim_ipc_msg *msg,
				    struct sofsim_ipc_msg *reply);

/**
 * @brief Take the oldest notification (a DSP → host message without bit 29)
 * the host has received.
 * @param ipc Block.
 * @param out Receives it.
 * @retval 0       Taken.
 * @retval -ENOENT None waiting.
 */
SOFSIM_API int sofsim_ipc_host_notification(struct sofsim_ipc *ipc, struct sofsim_ipc_msg *out);

/**
 * @brief With host_manual_ack: acknowledge the DSP message on the doorbell
 * (HFIPCXTDR BUSY cleared, HFIPCXTDA bit 31 cleared → DONE in the DSP's IDA).
 * @param ipc Block.
 * @retval 0       Acknowledged.
 * @retval -EPROTO Nothing to acknowledge (double ack).
 */
SOFSIM_API int sofsim_ipc_host_ack(struct sofsim_ipc *ipc);

/** The FW-registers window layout (ABI §10): packed, 0xA60 bytes. */
struct sofsim_fw_pipeline_reg {
	uint64_t stream_start_offset; /**< bytes; all-ones = invalid */
	uint64_t stream_end_offset;   /**< bytes; all-ones = invalid */
};

/** One LLP reading slot (ABI §10). */
struct sofsim_fw_llp_slot {
	uint32_t node_id; /**< DAI copier node id & 0x1fff, 0 = free */
	uint32_t llp_l;   /**< DMA total copied, low */
	uint32_t llp_u;   /**< DMA total copied, high */
	uint32_t wclk_l;  /**< wall clock, low */
	uint32_t wclk_u;  /**< wall clock, high */
};

/** Peak-volume registers of one PEAKVOL instance. */
struct sofsim_fw_peak_vol {
	uint32_t peak_meter[8];     /**< per channel */
	uint32_t current_volume[8]; /**< per channel */
	uint32_t target_volume[8];  /**< per channel */
};

/** struct ipc4_fw_registers. */
struct sofsim_fw_regs {
	uint32_t fsr;                /**< 0x000: state 0–27, module 28–30, running 31 */
	uint32_t last_error;         /**< 0x004 */
	uint32_t power_status;       /**< 0x008 */
	uint32_t last_native_error;  /**< 0x00C */
	uint32_t ltr;                /**< 0x010 */
	uint32_t reserved0;          /**< 0x014 */
	uint32_t rom_info;           /**< 0x018 */
	uint32_t abi_ver;            /**< 0x01C: 1 */
	uint8_t secondary_core_status[8]; /**< 0x020 */
	uint8_t reserved1[24];       /**< 0x028 */
	struct sofsim_fw_pipeline_reg pipeline_regs[16]; /**< 0x040, by host gateway v_index */
	struct sofsim_fw_peak_vol peak_vol_regs[16];     /**< 0x140, by PEAKVOL instance */
	struct sofsim_fw_llp_slot llp_gpdma_reading_slots[24]; /**< 0x740 */
	struct sofsim_fw_llp_slot llp_sndw_reading_slots[15];  /**< 0x920 */
	struct sofsim_fw_llp_slot llp_evad_reading_slot;       /**< 0xA4C */
} __attribute__((packed));

_Static_assert(sizeof(struct sofsim_fw_regs) == 0xA60, "ABI §10: ipc4_fw_registers is 0xA60 bytes");

#endif /* SOFSIM_IPC_H */
