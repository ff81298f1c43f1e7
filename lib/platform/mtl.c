/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Intel Meteor Lake (ACE 1.5): no MMU, hence no user space (userspace
 * sheet §1.7); pipelines can only run in kernel mode. Kept as a second
 * profile so the sim can be checked against the MTL logs the ABI sheet
 * quotes. Provenance: docs/model-fidelity.md, "Platform profiles".
 */
#include <sofsim/platform.h>

#include "platform_priv.h"

#define MTL_TYPE (SOFSIM_MAN_TYPE_LOAD_TYPE_SET(SOFSIM_MAN_LOAD_BUILTIN) | SOFSIM_MAN_TYPE_DOMAIN_LL)
#define MTL_CORE_TYPE SOFSIM_MAN_TYPE_LOAD_TYPE_SET(SOFSIM_MAN_LOAD_BUILTIN)

#define MTL_ENTRY(nm, id, uu, inst, seen)                                        \
	{                                                                        \
		.name = (nm), .uuid = (uu), .module_id = (id), .lib_id = 0,      \
		.instance_max_count = (inst), .type = MTL_TYPE, .verified = (seen), \
	}

/*
 * Everything is built in. Ids are the ABI §6.1 derived table without its
 * COLD entry, because the real MTL NOCODEC log (SOF issue #6723) shows
 * mixin 2, mixout 3, copier 4 and gain 6; only those four are verified.
 * Ids from 14 on are placeholders: real builds put cadence/detect_test
 * entries there first.
 */
static const struct sofsim_module_entry mtl_modules[] = {
	{ .name = "BRNGUP", .uuid = "2b79e4f3-4675-f649-89df-3bc194a91aeb", .module_id = 0,
	  .lib_id = 0, .instance_max_count = 1, .type = MTL_CORE_TYPE },
	{ .name = "BASEFW", .uuid = "0e398c32-5ade-ba4b-93b1-c50432280ee4", .module_id = 1,
	  .lib_id = 0, .instance_max_count = 1, .type = MTL_CORE_TYPE },
	MTL_ENTRY("MIXIN", 2, "39656eb2-3b71-4049-8d3f-f92cd5c43c09", 30, true),
	MTL_ENTRY("MIXOUT", 3, "3c56505a-24d7-418f-bddc-c1f5a3ac2ae0", 30, true),
	MTL_ENTRY("COPIER", 4, "9ba00c83-ca12-4a83-943c-1fa2e82f9dda", 32, true),
	MTL_ENTRY("PEAKVOL", 5, "8a171323-94a3-4e1d-afe9-fe5dbaa4c393", 10, false),
	MTL_ENTRY("GAIN", 6, "61bca9a8-18d0-4a18-8e7b-2639219804b7", 40, true),
	MTL_ENTRY("ASRC", 7, "66b4402d-b468-42f2-81a7-b37121863dd4", 2, false),
	MTL_ENTRY("SRC", 8, "e61bb28d-149a-4c1f-b709-46823ef5f5ae", 10, false),
	MTL_ENTRY("SRC_LITE", 9, "33441051-44cd-466a-83a3-178478708aea", 10, false),
	MTL_ENTRY("MICSEL", 10, "32fe92c1-1e17-4fc2-9758-c7f3542e980a", 8, false),
	MTL_ENTRY("UPDWMIX", 11, "42f8060c-832f-4dbf-b247-51e961997b34", 15, false),
	MTL_ENTRY("PROBE", 12, "7cad0808-ab10-cd23-ef45-12ab34cd56ef", 1, false),
	MTL_ENTRY("MUX", 13, "64ce6e35-857a-4878-ace8-e2a2f42e3069", 15, false),
	MTL_ENTRY("KPB", 14, "a8a0cb32-4a77-4db1-85c7-53d7ee07bce6", 1, false),
	MTL_ENTRY("EQIIR", 15, "5150c0e6-27f9-4ec8-8351-c705b642d12f", 40, false),
	MTL_ENTRY("EQFIR", 16, "43a90ce7-f3a5-41df-ac06-ba98651ae6a3", 40, false),
	MTL_ENTRY("ARIA", 17, "99f7166d-372c-43ef-81f6-22007aa15f03", 8, false),
	MTL_ENTRY("DRC", 18, "b36ee4da-006f-47f9-a06d-fecbe2d8b6ce", 40, false),
	MTL_ENTRY("TONE", 19, "04e3f894-2c5c-4f2e-8dc1-694eeaab53fa", 40, false),
	MTL_ENTRY("DCBLOCK", 20, "b809efaf-5681-42b1-9ed6-04bb012dd384", 40, false),
};

const struct sofsim_platform sofsim__platform_mtl = {
	.name = "mtl",
	.description = "Intel Meteor Lake (ACE 1.5), no MMU, kernel-mode LL only",
	.cores = 3,                 /* Zephyr ace15 dtsi: cpu0..cpu2 */
	.ll_period_us = 1000,
	.sys_tick_hz = 12000,       /* assumed: the PTL figure */
	.ccount_hz = 393216000,     /* assumed */
	.wallclock_hz = 38400000,   /* Zephyr ace15 dtsi sysclk */

	/* No MMU (userspace §1.7). The limits are Zephyr defaults, unused. */
	.has_mmu = false,
	.page_bytes = 4096,
	.thread_index_limit = 16,   /* assumed: Zephyr MAX_THREAD_BYTES default 2 */
	.partition_limit = 16,      /* userspace §1.2: Zephyr default */
	.mmu_l2_tables = 0,
	.obj_pool_bytes = 8192,     /* assumed: the PTL figure */

	/* Same sizes as ptl so that one topology fits both; see the docs. */
	.ll_user_heap_bytes = 0x20000,
	.module_heap_bytes = 0x1000,
	.kernel_heap_bytes = 0x80000,
	.ll_stack_bytes = 8192,
	.ipc_user_stack_bytes = 8192,
	.ll_thread_priority = -16,
	.ipc_user_priority = -1,

	.inbox_bytes = 8192,        /* ABI §8.4: MTL window 1 */
	.outbox_bytes = 4096,       /* ABI §8.4 */
	.fw_regs_bytes = 4096,      /* ABI §8.4, §10 */
	.window0_bytes = 8192,      /* ABI §8.4 */
	.window2_bytes = 12 * 1024, /* ABI §8.4 */
	.host_max_msg_bytes = 4096, /* ABI §8.4 */

	/* Host/link channels from the Zephyr ace15 dtsi; SSP/DMIC/ALH assumed. */
	.dma_channels = {
		[SOFSIM_GW_HOST_OUT] = 9,
		[SOFSIM_GW_HOST_IN] = 10,
		[SOFSIM_GW_HDA_LINK_OUT] = 9,
		[SOFSIM_GW_HDA_LINK_IN] = 10,
		[SOFSIM_GW_SSP] = 12,
		[SOFSIM_GW_DMIC] = 2,
		[SOFSIM_GW_ALH] = 16,
	},
	/* SOF src/platform/meteorlake lib/dai.h. */
	.dai_count = {
		[SOFSIM_GW_HDA_LINK_OUT] = 9,
		[SOFSIM_GW_HDA_LINK_IN] = 7,
		[SOFSIM_GW_SSP] = 6,
		[SOFSIM_GW_DMIC] = 2,
		[SOFSIM_GW_ALH] = 16,
	},

	.modules = mtl_modules,
	.module_count = SOFSIM__ARRAY_SIZE(mtl_modules),

	.fw = {
		.fw_version = { 2, 14, 0, 0 }, /* assumed */
		.slow_clock_hz = 38400000,     /* assumed: WOVCRO */
		.fast_clock_hz = 393216000,    /* assumed: = CCOUNT */
		SOFSIM__FW_CONFIG_SOF_CONSTANTS,
	},
	.hw = {
		.cavs_ver = 0x10500,           /* SOF ace_version.h ACE_VERSION_1_5 */
		.dsp_cores = 3,
		.mem_page_bytes = 4096,
		.total_phys_mem_pages = 32 * 128 * 1024 / 4096,
		.i2s_caps = 0,                 /* not emitted before ACE 3.0 */
		.gateway_count = 6 + 7 + 9 + 16 + 2,
		.hp_ebb_count = 2816 / 128,    /* dtsi sram0 2816 KiB / EBB */
		.lp_ebb_count = 64 / 128,      /* dtsi sram1 64 KiB / EBB, rounds to 0 */
		.ebb_size_bytes = 128 * 1024,
	},
};
