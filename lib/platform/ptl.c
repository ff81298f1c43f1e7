/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Intel Panther Lake (ACE 3.0): the default profile, the one user-space LL
 * runs on. Provenance of every value: docs/model-fidelity.md, "Platform
 * profiles"; the comments below name the source in short.
 */
#include <sofsim/platform.h>

#include "platform_priv.h"

/* Audio modules run in the LL domain unless a topology says otherwise. */
#define PTL_BUILTIN_TYPE SOFSIM_MAN_TYPE_LOAD_TYPE_SET(SOFSIM_MAN_LOAD_BUILTIN)
#define PTL_LLEXT_TYPE (SOFSIM_MAN_TYPE_LOAD_TYPE_SET(SOFSIM_MAN_LOAD_LLEXT) | SOFSIM_MAN_TYPE_DOMAIN_LL)

/* Modules in sofsim's processing library; the real driver assigns lib ids at run time. */
#define PTL_PROC_LIB 1

#define PTL_LIB_ENTRY(nm, idx, uu, inst)                          \
	{                                                         \
		.name = (nm), .uuid = (uu),                       \
		.module_id = SOFSIM_MODULE_ID_PACK(PTL_PROC_LIB, idx), \
		.lib_id = PTL_PROC_LIB, .instance_max_count = (inst), \
		.type = PTL_LLEXT_TYPE, .verified = false,        \
	}

/*
 * Base manifest: only built-ins stay in the image (ABI §6.1, PTL bullet:
 * LIBRARY_DEFAULT_MODULAR=y). Order BRNGUP, COLD, BASEFW as in the MTL toml
 * (§6.1 derived table) followed by the one built-in audio module, so COPIER
 * gets id 3. Derived, never observed: no entry is verified.
 */
static const struct sofsim_module_entry ptl_modules[] = {
	{ .name = "BRNGUP", .uuid = "2b79e4f3-4675-f649-89df-3bc194a91aeb", .module_id = 0,
	  .lib_id = 0, .instance_max_count = 1, .type = PTL_BUILTIN_TYPE },
	{ .name = "COLD", .uuid = "d406d134-c3c1-402c-8aec-6821c0c2b0e6", .module_id = 1,
	  .lib_id = 0, .instance_max_count = 1, .type = PTL_BUILTIN_TYPE },
	{ .name = "BASEFW", .uuid = "0e398c32-5ade-ba4b-93b1-c50432280ee4", .module_id = 2,
	  .lib_id = 0, .instance_max_count = 1, .type = PTL_BUILTIN_TYPE },
	{ .name = "COPIER", .uuid = "9ba00c83-ca12-4a83-943c-1fa2e82f9dda", .module_id = 3,
	  .lib_id = 0, .instance_max_count = 32,
	  .type = PTL_BUILTIN_TYPE | SOFSIM_MAN_TYPE_DOMAIN_LL },

	/*
	 * Library 1, index order = the MTL toml include order (§6.1) for the
	 * modules in it, then the EQs and the rest. On hardware each module
	 * group is its own <UUID>.bin and lib ids follow first use (§6.1).
	 */
	PTL_LIB_ENTRY("MIXIN", 0, "39656eb2-3b71-4049-8d3f-f92cd5c43c09", 30),
	PTL_LIB_ENTRY("MIXOUT", 1, "3c56505a-24d7-418f-bddc-c1f5a3ac2ae0", 30),
	PTL_LIB_ENTRY("PEAKVOL", 2, "8a171323-94a3-4e1d-afe9-fe5dbaa4c393", 10),
	PTL_LIB_ENTRY("GAIN", 3, "61bca9a8-18d0-4a18-8e7b-2639219804b7", 40),
	PTL_LIB_ENTRY("ASRC", 4, "66b4402d-b468-42f2-81a7-b37121863dd4", 2),
	PTL_LIB_ENTRY("SRC", 5, "e61bb28d-149a-4c1f-b709-46823ef5f5ae", 10),
	PTL_LIB_ENTRY("SRC_LITE", 6, "33441051-44cd-466a-83a3-178478708aea", 10),
	PTL_LIB_ENTRY("MICSEL", 7, "32fe92c1-1e17-4fc2-9758-c7f3542e980a", 8),
	PTL_LIB_ENTRY("UPDWMIX", 8, "42f8060c-832f-4dbf-b247-51e961997b34", 15),
	PTL_LIB_ENTRY("MUX", 9, "64ce6e35-857a-4878-ace8-e2a2f42e3069", 15),
	PTL_LIB_ENTRY("EQIIR", 10, "5150c0e6-27f9-4ec8-8351-c705b642d12f", 40),
	PTL_LIB_ENTRY("EQFIR", 11, "43a90ce7-f3a5-41df-ac06-ba98651ae6a3", 40),
	PTL_LIB_ENTRY("TONE", 12, "04e3f894-2c5c-4f2e-8dc1-694eeaab53fa", 40),
	PTL_LIB_ENTRY("DRC", 13, "b36ee4da-006f-47f9-a06d-fecbe2d8b6ce", 40),
	PTL_LIB_ENTRY("DCBLOCK", 14, "b809efaf-5681-42b1-9ed6-04bb012dd384", 40),
	PTL_LIB_ENTRY("ARIA", 15, "99f7166d-372c-43ef-81f6-22007aa15f03", 8),
};

const struct sofsim_platform sofsim__platform_ptl = {
	.name = "ptl",
	.description = "Intel Panther Lake (ACE 3.0), user-space LL",
	.cores = 5,                 /* userspace §1.7 */
	.ll_period_us = 1000,       /* userspace §2.7: LL_TIMER_PERIOD_US */
	.sys_tick_hz = 12000,       /* userspace §1.7 */
	.ccount_hz = 442368000,     /* userspace §1.7 */
	.wallclock_hz = 38400000,   /* Zephyr ace30 dtsi sysclk */

	.has_mmu = true,            /* userspace §1.7 */
	.page_bytes = 4096,         /* userspace §1.2, CONFIG_MMU_PAGE_SIZE */
	.thread_index_limit = 24,   /* userspace §1.3: MAX_THREAD_BYTES 3 (overlay: 32) */
	.partition_limit = 32,      /* userspace §1.2: PTL board */
	.mmu_l2_tables = 128,       /* userspace §1.7: PTL board (overlay: 86) */
	.obj_pool_bytes = 8192,     /* userspace §1.3, §2.4: HEAP_MEM_POOL_SIZE */

	.ll_user_heap_bytes = 0x20000, /* userspace §2.4 (PR #10558 overlay: 0x80000) */
	.module_heap_bytes = 0x1000,   /* userspace §2.4 */
	.kernel_heap_bytes = 0x80000,  /* sim choice */
	.ll_stack_bytes = 8192,        /* userspace §2.5 */
	.ipc_user_stack_bytes = 8192,  /* userspace §2.1, §2.5 */
	.ll_thread_priority = -16,     /* userspace §2.1 */
	.ipc_user_priority = -1,       /* userspace §2.5 */

	.inbox_bytes = 8192,        /* ABI §8.4, MTL/LNL figure: unverified for PTL */
	.outbox_bytes = 4096,       /* ABI §8.4 */
	.fw_regs_bytes = 4096,      /* ABI §8.4 window 0 page 0; §10 struct is 0xA60 */
	.window0_bytes = 8192,      /* ABI §8.4 */
	.window2_bytes = 12 * 1024, /* ABI §8.4 */
	.host_max_msg_bytes = 4096, /* ABI §8.4: SOF_IPC4_MSG_MAX_SIZE */

	/* Host/link channels from the Zephyr ace30 dtsi; SSP/DMIC/ALH assumed. */
	.dma_channels = {
		[SOFSIM_GW_HOST_OUT] = 9,
		[SOFSIM_GW_HOST_IN] = 11,
		[SOFSIM_GW_HDA_LINK_OUT] = 9,
		[SOFSIM_GW_HDA_LINK_IN] = 11,
		[SOFSIM_GW_SSP] = 12,
		[SOFSIM_GW_DMIC] = 2,
		[SOFSIM_GW_ALH] = 16,
	},
	/* SOF src/platform/ace30 lib/dai.h; DMIC 2 per the GATEWAY_COUNT "+2". */
	.dai_count = {
		[SOFSIM_GW_HDA_LINK_OUT] = 9,
		[SOFSIM_GW_HDA_LINK_IN] = 11,
		[SOFSIM_GW_SSP] = 6,
		[SOFSIM_GW_DMIC] = 2,
		[SOFSIM_GW_ALH] = 0,
	},

	.modules = ptl_modules,
	.module_count = SOFSIM__ARRAY_SIZE(ptl_modules),

	.fw = {
		.fw_version = { 2, 14, 0, 0 }, /* assumed */
		.slow_clock_hz = 38400000,     /* assumed: WOVCRO */
		.fast_clock_hz = 442368000,    /* = CCOUNT, userspace §1.7 */
		SOFSIM__FW_CONFIG_SOF_CONSTANTS,
	},
	.hw = {
		.cavs_ver = 0x30000,           /* SOF ace_version.h ACE_VERSION_3_0 */
		.dsp_cores = 5,
		.mem_page_bytes = 4096,
		.total_phys_mem_pages = 32 * 128 * 1024 / 4096,
		.i2s_caps = 0x40000,           /* ABI §5: PTL I2S v3.0 */
		.gateway_count = 6 + 11 + 9 + 0 + 2,
		.hp_ebb_count = 4608 / 128,    /* dtsi sram0 4608 KiB / EBB */
		.lp_ebb_count = 64 / 128,      /* dtsi sram1 64 KiB / EBB, rounds to 0 */
		.ebb_size_bytes = 128 * 1024,
	},
};
