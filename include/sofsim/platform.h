/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file platform.h
 * @brief Platform profiles: the constant facts about one DSP platform
 * (cores, timing, mailbox windows, DMA, module manifest, FW_CONFIG and
 * HW_CONFIG values, user-space limits and heap sizes).
 *
 * Profiles are plain read-only data owned by the library; callers never
 * free them. Where each value comes from (fact sheet, source file, real log
 * or assumption) is listed in docs/model-fidelity.md, "Platform profiles".
 */
#ifndef SOFSIM_PLATFORM_H
#define SOFSIM_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sofsim/export.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Bytes in a binary UUID (ABI sheet §6.2). */
#define SOFSIM_UUID_BYTES 16
/** @brief Characters in a UUID's text form, without the terminating NUL. */
#define SOFSIM_UUID_TEXT_LEN 36
/** @brief Longest module name in a manifest entry (8-byte field, ABI §5). */
#define SOFSIM_MODULE_NAME_MAX 8

/*
 * Module ids (ABI §6.1). A base-manifest module's id is its manifest index;
 * a library module's id packs the library id above a 12-bit index:
 *   bits 12..15 lib_id, bits 0..11 index in that library.
 */
/** @brief Shift of the library id inside a module id. */
#define SOFSIM_MODULE_ID_LIB_SHIFT 12
/** @brief Mask of the library id (after shifting). */
#define SOFSIM_MODULE_ID_LIB_MASK 0xfu
/** @brief Mask of the index inside the library. */
#define SOFSIM_MODULE_ID_INDEX_MASK 0xfffu
/** @brief Library id of a module id. */
#define SOFSIM_MODULE_ID_LIB_GET(id) \
	(((unsigned)(id) >> SOFSIM_MODULE_ID_LIB_SHIFT) & SOFSIM_MODULE_ID_LIB_MASK)
/** @brief Index inside its library of a module id. */
#define SOFSIM_MODULE_ID_INDEX_GET(id) ((unsigned)(id) & SOFSIM_MODULE_ID_INDEX_MASK)
/** @brief Module id of entry @p idx of library @p lib: (lib << 12) | idx. */
#define SOFSIM_MODULE_ID_PACK(lib, idx)                                           \
	((((unsigned)(lib) & SOFSIM_MODULE_ID_LIB_MASK) << SOFSIM_MODULE_ID_LIB_SHIFT) | \
	 ((unsigned)(idx) & SOFSIM_MODULE_ID_INDEX_MASK))

/*
 * Manifest entry `type` word (ABI §5, sof_man_module offset 28):
 *   bits 0..3  load_type (0 built-in, 1 module, 2 LLEXT, 3 LLEXT aux)
 *   bit  4     auto_start
 *   bit  5     domain_ll
 *   bit  6     domain_dp
 *   bit  7     lib_code
 *   bits 8..11 init_config (0 base cfg, 1 base cfg + ext)
 */
/** @brief Shift of load_type in the manifest type word. */
#define SOFSIM_MAN_TYPE_LOAD_TYPE_SHIFT 0
/** @brief Mask of load_type (after shifting). */
#define SOFSIM_MAN_TYPE_LOAD_TYPE_MASK 0xfu
/** @brief load_type of a manifest type word. */
#define SOFSIM_MAN_TYPE_LOAD_TYPE_GET(t) \
	(((uint32_t)(t) >> SOFSIM_MAN_TYPE_LOAD_TYPE_SHIFT) & SOFSIM_MAN_TYPE_LOAD_TYPE_MASK)
/** @brief load_type placed in a manifest type word. */
#define SOFSIM_MAN_TYPE_LOAD_TYPE_SET(v) \
	(((uint32_t)(v) & SOFSIM_MAN_TYPE_LOAD_TYPE_MASK) << SOFSIM_MAN_TYPE_LOAD_TYPE_SHIFT)
/** @brief load_type: linked into the base firmware image. */
#define SOFSIM_MAN_LOAD_BUILTIN 0u
/** @brief load_type: loadable module. */
#define SOFSIM_MAN_LOAD_MODULE 1u
/** @brief load_type: LLEXT module. */
#define SOFSIM_MAN_LOAD_LLEXT 2u
/** @brief load_type: LLEXT auxiliary code. */
#define SOFSIM_MAN_LOAD_LLEXT_AUX 3u
/** @brief Manifest type bit: started automatically at boot. */
#define SOFSIM_MAN_TYPE_AUTO_START (1u << 4)
/** @brief Manifest type bit: runs in the LL domain. */
#define SOFSIM_MAN_TYPE_DOMAIN_LL (1u << 5)
/** @brief Manifest type bit: runs in the DP domain (Linux sets INIT ext bit 28). */
#define SOFSIM_MAN_TYPE_DOMAIN_DP (1u << 6)
/** @brief Manifest type bit: library code. */
#define SOFSIM_MAN_TYPE_LIB_CODE (1u << 7)
/** @brief Shift of init_config in the manifest type word. */
#define SOFSIM_MAN_TYPE_INIT_CONFIG_SHIFT 8
/** @brief Mask of init_config (after shifting). */
#define SOFSIM_MAN_TYPE_INIT_CONFIG_MASK 0xfu
/** @brief init_config of a manifest type word. */
#define SOFSIM_MAN_TYPE_INIT_CONFIG_GET(t) \
	(((uint32_t)(t) >> SOFSIM_MAN_TYPE_INIT_CONFIG_SHIFT) & SOFSIM_MAN_TYPE_INIT_CONFIG_MASK)
/** @brief init_config placed in a manifest type word. */
#define SOFSIM_MAN_TYPE_INIT_CONFIG_SET(v) \
	(((uint32_t)(v) & SOFSIM_MAN_TYPE_INIT_CONFIG_MASK) << SOFSIM_MAN_TYPE_INIT_CONFIG_SHIFT)

/**
 * @brief Gateway kinds, one X(enum suffix, printed name) per kind.
 *
 * HOST_OUT is host→DSP (playback), HOST_IN DSP→host (capture); the HDA link
 * kinds are the link DMA engines that SSP, DMIC and ALH/SoundWire also use
 * on ACE.
 */
#define SOFSIM_GATEWAY_KINDS(X)       \
	X(HOST_OUT, "host-out")       \
	X(HOST_IN, "host-in")         \
	X(HDA_LINK_OUT, "hda-link-out") \
	X(HDA_LINK_IN, "hda-link-in") \
	X(SSP, "ssp")                 \
	X(DMIC, "dmic")               \
	X(ALH, "alh")

/** @brief A gateway kind (see SOFSIM_GATEWAY_KINDS). */
enum sofsim_gateway_kind {
#define SOFSIM_GW_ENUM_(e, s) SOFSIM_GW_##e,
	SOFSIM_GATEWAY_KINDS(SOFSIM_GW_ENUM_)
#undef SOFSIM_GW_ENUM_
	SOFSIM_GW_COUNT /**< number of kinds, not a kind */
};

/** @brief One entry of a platform's module manifest (sof_man_module, ABI §5/§6). */
struct sofsim_module_entry {
	const char *name;            /**< manifest name, at most 8 characters */
	const char *uuid;            /**< text UUID as printed by Linux (%pUL), lower case */
	uint16_t module_id;          /**< runtime module id used in IPC4 headers */
	uint8_t lib_id;              /**< 0 for the base image, else the library id */
	uint16_t instance_max_count; /**< instance limit from the module's toml */
	uint32_t type;               /**< manifest type word (SOFSIM_MAN_TYPE_*) */
	bool verified;               /**< module_id observed on real hardware */
};

/** @brief FW_CONFIG values (base firmware param 7 TLVs, ABI §5). */
struct sofsim_fw_config {
	uint16_t fw_version[4];            /**< TLV 0: major, minor, micro, build */
	uint32_t memory_reclaimed;         /**< TLV 1 */
	uint32_t slow_clock_hz;            /**< TLV 2 (Intel code emits it twice, §11) */
	uint32_t fast_clock_hz;            /**< TLV 3 */
	uint32_t alh_support_level;        /**< TLV 5 (vendor) */
	uint32_t dl_mailbox_bytes;         /**< TLV 6: host→DSP inbox size */
	uint32_t ul_mailbox_bytes;         /**< TLV 7: DSP→host outbox size */
	uint32_t trace_log_bytes;          /**< TLV 8: mtrace size, 0 = none */
	uint32_t max_ppl_count;            /**< TLV 9 (Linux needs > 0) */
	uint32_t max_astate_count;         /**< TLV 10 */
	uint32_t max_module_pin_count;     /**< TLV 11 */
	uint32_t modules_count;            /**< TLV 12 (hard-coded 5 in SOF) */
	uint32_t max_mod_inst_count;       /**< TLV 13 */
	uint32_t max_ll_tasks_per_pri;     /**< TLV 14 */
	uint32_t ll_pri_count;             /**< TLV 15 */
	uint32_t max_dp_tasks_count;       /**< TLV 16 */
	uint32_t max_libs_count;           /**< TLV 17 */
	uint32_t uaol_support;             /**< TLV 21 (vendor) */
	uint32_t fw_context_save;          /**< TLV 29: IMR context save, 0/1 */
	uint32_t min_host_buffer_periods;  /**< TLV 33 */
};

/** @brief HW_CONFIG values (base firmware param 8 TLVs, ABI §5). */
struct sofsim_hw_config {
	uint32_t cavs_ver;             /**< TLV 0: HW_CFG_VERSION */
	uint32_t dsp_cores;            /**< TLV 1 */
	uint32_t mem_page_bytes;       /**< TLV 2 */
	uint32_t total_phys_mem_pages; /**< TLV 3: 32 × EBB size / 4096 */
	uint32_t i2s_caps;             /**< TLV 4, 0 = not emitted (only ACE 3.0/4.0) */
	uint32_t gateway_count;        /**< TLV 6: SSP + HDA in + HDA out + ALH + 2 */
	uint32_t hp_ebb_count;         /**< TLV 7 */
	uint32_t lp_ebb_count;         /**< TLV 8 */
	uint32_t ebb_size_bytes;       /**< TLV 9 */
};

/** @brief A platform profile: constant data, shared by every context. */
struct sofsim_platform {
	const char *name;          /**< short name used to select it ("ptl") */
	const char *description;   /**< one line for humans */
	unsigned cores;            /**< DSP cores */
	unsigned ll_period_us;     /**< LL scheduler period */
	unsigned sys_tick_hz;      /**< Zephyr system tick rate */
	uint32_t ccount_hz;        /**< CPU cycle counter (CCOUNT) rate */
	uint32_t wallclock_hz;     /**< wall clock written to LLP slots (§10) */

	/* user space (userspace sheet §1.2, §1.3, §1.7) */
	bool has_mmu;                /**< MMU present; false = no user space */
	unsigned page_bytes;         /**< MMU page / partition granule */
	unsigned thread_index_limit; /**< kernel-object permission bitmap width */
	unsigned partition_limit;    /**< partitions per memory domain */
	unsigned mmu_l2_tables;      /**< Xtensa MMU L2 page-table pool, 0 without MMU */
	unsigned obj_pool_bytes;     /**< dynamic kernel-object budget (Zephyr system heap) */

	/* heaps and stacks (userspace sheet §2.4, §2.5) */
	size_t ll_user_heap_bytes;    /**< LL user heap */
	size_t module_heap_bytes;     /**< per-module private heap */
	size_t kernel_heap_bytes;     /**< SOF kernel heap (a sim choice) */
	size_t ll_stack_bytes;        /**< stack of each LL scheduler thread */
	size_t ipc_user_stack_bytes;  /**< stack of the user IPC thread */
	int ll_thread_priority;       /**< Zephyr priority of LL threads */
	int ipc_user_priority;        /**< Zephyr priority of the user IPC thread */

	/* host windows (ABI §8.4, §10) */
	size_t inbox_bytes;        /**< host→DSP mailbox (DL, window 1) */
	size_t outbox_bytes;       /**< DSP→host mailbox (UL, window 0 second page) */
	size_t fw_regs_bytes;      /**< FW-registers page at window 0 offset 0 */
	size_t window0_bytes;      /**< window 0: FW registers + outbox */
	size_t window2_bytes;      /**< window 2 */
	size_t host_max_msg_bytes; /**< largest payload the Linux driver sends */

	/* DMA and DAIs, indexed by enum sofsim_gateway_kind */
	unsigned dma_channels[SOFSIM_GW_COUNT]; /**< channels usable per gateway kind */
	unsigned dai_count[SOFSIM_GW_COUNT];    /**< DAIs the firmware counts per kind */

	/* module manifest */
	const struct sofsim_module_entry *modules; /**< manifest entries, base then libraries */
	size_t module_count;                       /**< entries in @c modules */

	struct sofsim_fw_config fw; /**< FW_CONFIG values */
	struct sofsim_hw_config hw; /**< HW_CONFIG values */
};

/**
 * @brief Number of built-in platform profiles.
 * @retval n the count (at least 1)
 */
SOFSIM_API size_t sofsim_platform_count(void);

/**
 * @brief Profile number @p index, in registration order (ptl first).
 * @param index 0 .. sofsim_platform_count() - 1
 * @retval profile the profile
 * @retval NULL @p index is out of range
 */
SOFSIM_API const struct sofsim_platform *sofsim_platform_at(size_t index);

/**
 * @brief Find a profile by its exact (case-sensitive) name.
 * @param name profile name such as "ptl" or "mtl"; may be NULL
 * @retval profile the profile
 * @retval NULL @p name is NULL or names no profile
 */
SOFSIM_API const struct sofsim_platform *sofsim_platform_find(const char *name);

/**
 * @brief The default profile (ptl).
 * @retval profile never NULL
 */
SOFSIM_API const struct sofsim_platform *sofsim_platform_default(void);

/**
 * @brief Printed name of a gateway kind.
 * @param kind a gateway kind
 * @retval name such as "host-out"
 * @retval "?" @p kind is out of range
 */
SOFSIM_API const char *sofsim_gateway_kind_name(enum sofsim_gateway_kind kind);

/**
 * @brief Parse a text UUID into its in-memory form (ABI §6.2): the first
 * three groups little-endian (u32, u16, u16), then 8 bytes in text order.
 * @param text exactly 36 characters "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
 *             hex digits in either case, NUL-terminated
 * @param out receives 16 bytes; untouched on error
 * @retval 0 parsed
 * @retval -EINVAL @p text or @p out is NULL, or @p text is malformed
 */
SOFSIM_API int sofsim_uuid_parse(const char *text, uint8_t out[SOFSIM_UUID_BYTES]);

/**
 * @brief Format an in-memory UUID (ABI §6.2 order) as lower-case text.
 * @param uuid 16 bytes
 * @param out receives 36 characters and a NUL
 */
SOFSIM_API void sofsim_uuid_format(const uint8_t uuid[SOFSIM_UUID_BYTES],
				   char out[SOFSIM_UUID_TEXT_LEN + 1]);

/**
 * @brief Find a manifest entry by its exact manifest name ("COPIER").
 * @param plat the profile; may be NULL
 * @param name the name; may be NULL
 * @retval entry the entry
 * @retval NULL no such entry, or a NULL argument
 */
SOFSIM_API const struct sofsim_module_entry *
sofsim_platform_module_by_name(const struct sofsim_platform *plat, const char *name);

/**
 * @brief Resolve a runtime module id the way the firmware does (ABI §6.1):
 * id 0 means the base firmware (the BASEFW entry, wherever it sits in the
 * manifest); any other id names the entry carrying that id.
 * @param plat the profile; may be NULL
 * @param module_id id from an IPC4 header
 * @retval entry the entry
 * @retval NULL no such id, or @p plat is NULL
 */
SOFSIM_API const struct sofsim_module_entry *
sofsim_platform_module_by_id(const struct sofsim_platform *plat, uint32_t module_id);

/**
 * @brief Find a manifest entry by its in-memory UUID.
 * @param plat the profile; may be NULL
 * @param uuid 16 bytes in ABI §6.2 order; may be NULL
 * @retval entry the entry
 * @retval NULL no such entry, or a NULL argument
 */
SOFSIM_API const struct sofsim_module_entry *
sofsim_platform_module_by_uuid(const struct sofsim_platform *plat,
			       const uint8_t uuid[SOFSIM_UUID_BYTES]);

#ifdef __cplusplus
}
#endif

#endif /* SOFSIM_PLATFORM_H */
