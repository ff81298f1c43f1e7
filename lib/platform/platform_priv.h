/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private to lib/platform: the profile objects defined one per file and
 * gathered into the lookup table in platform.c.
 */
#ifndef SOFSIM_PLATFORM_PRIV_H
#define SOFSIM_PLATFORM_PRIV_H

#include <sofsim/platform.h>

/* Intel Panther Lake (ACE 3.0), the default profile; ptl.c. */
extern const struct sofsim_platform sofsim__platform_ptl;
/* Intel Meteor Lake (ACE 1.5), no MMU; mtl.c. */
extern const struct sofsim_platform sofsim__platform_mtl;

/* Element count of a true array. */
#define SOFSIM__ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * FW_CONFIG values that are SOF constants, the same on every ACE platform
 * (ABI §5); a profile adds its version and clocks.
 */
#define SOFSIM__FW_CONFIG_SOF_CONSTANTS                                                  \
		.memory_reclaimed = 1,                                                   \
		.alh_support_level = 0x10000,                                            \
		.dl_mailbox_bytes = 8192,                                                \
		.ul_mailbox_bytes = 4096,                                                \
		.trace_log_bytes = 0, /* no mtrace in the sim */                         \
		.max_ppl_count = 32,                                                     \
		.max_astate_count = 0,                                                   \
		.max_module_pin_count = 8,                                               \
		.modules_count = 5, /* hard-coded in SOF (ABI §11.9) */                  \
		.max_mod_inst_count = 256,                                               \
		.max_ll_tasks_per_pri = 16,                                              \
		.ll_pri_count = 8,                                                       \
		.max_dp_tasks_count = 16,                                                \
		.max_libs_count = 16,                                                    \
		.uaol_support = 0,                                                       \
		.fw_context_save = 0, /* the sim has no IMR context save */              \
		.min_host_buffer_periods = 2 /* assumed */

#endif /* SOFSIM_PLATFORM_PRIV_H */
