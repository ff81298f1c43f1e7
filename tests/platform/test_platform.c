/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Platform profiles: registry, UUID conversion, manifest lookups and the
 * values the fact sheets fix. Expected values are written out by hand with
 * the sheet section they come from ("ABI" = ../shared/spec/ipc4-abi.md,
 * "US" = ../shared/spec/userspace-model.md); none is read back from the
 * code under test.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <sofsim/platform.h>

static const struct sofsim_platform *ptl(void)
{
	const struct sofsim_platform *p = sofsim_platform_find("ptl");

	assert_non_null(p);
	return p;
}

static const struct sofsim_platform *mtl(void)
{
	const struct sofsim_platform *p = sofsim_platform_find("mtl");

	assert_non_null(p);
	return p;
}

/* ---- registry ---------------------------------------------------------- */

static void test_platform_default_is_ptl(void **state)
{
	assert_string_equal(sofsim_platform_default()->name, "ptl");
	assert_ptr_equal(sofsim_platform_default(), ptl());
}

static void test_platform_find_unknown_returns_null(void **state)
{
	assert_null(sofsim_platform_find("lnl"));
	assert_null(sofsim_platform_find(""));
	assert_null(sofsim_platform_find("PTL")); /* names are case-sensitive */
	assert_null(sofsim_platform_find("ptl "));
	assert_null(sofsim_platform_find(NULL));
}

static void test_platform_at_lists_each_profile_once(void **state)
{
	size_t n = sofsim_platform_count(), i, j;

	assert_int_equal(n, 2);
	for (i = 0; i < n; i++) {
		assert_non_null(sofsim_platform_at(i));
		assert_ptr_equal(sofsim_platform_find(sofsim_platform_at(i)->name), sofsim_platform_at(i));
		for (j = i + 1; j < n; j++)
			assert_string_not_equal(sofsim_platform_at(i)->name, sofsim_platform_at(j)->name);
	}
	assert_null(sofsim_platform_at(n));
	assert_null(sofsim_platform_at((size_t)-1));
}

static void test_gateway_kind_names(void **state)
{
	assert_string_equal(sofsim_gateway_kind_name(SOFSIM_GW_HOST_OUT), "host-out");
	assert_string_equal(sofsim_gateway_kind_name(SOFSIM_GW_ALH), "alh");
	assert_string_equal(sofsim_gateway_kind_name(SOFSIM_GW_COUNT), "?");
	assert_string_equal(sofsim_gateway_kind_name((enum sofsim_gateway_kind)-1), "?");
}

/* ---- UUIDs --------------------------------------------------------------- */

static void test_uuid_parse_copier_vector(void **state)
{
	/* ABI §6.2: copier in memory, u32/u16/u16 little-endian then 8 bytes. */
	static const uint8_t want[16] = { 0x83, 0x0c, 0xa0, 0x9b, 0x12, 0xca, 0x83, 0x4a,
					  0x94, 0x3c, 0x1f, 0xa2, 0xe8, 0x2f, 0x9d, 0xda };
	uint8_t got[16];
	char text[SOFSIM_UUID_TEXT_LEN + 1];

	assert_int_equal(sofsim_uuid_parse("9ba00c83-ca12-4a83-943c-1fa2e82f9dda", got), 0);
	assert_memory_equal(got, want, 16);
	/* Upper-case digits parse to the same bytes; formatting is lower case. */
	assert_int_equal(sofsim_uuid_parse("9BA00C83-CA12-4A83-943C-1FA2E82F9DDA", got), 0);
	assert_memory_equal(got, want, 16);
	sofsim_uuid_format(want, text);
	assert_string_equal(text, "9ba00c83-ca12-4a83-943c-1fa2e82f9dda");
}

static void test_uuid_parse_rejects_malformed_text(void **state)
{
	static const char *const bad[] = {
		"",
		"9ba00c83-ca12-4a83-943c-1fa2e82f9dd",   /* 35 characters */
		"9ba00c83-ca12-4a83-943c-1fa2e82f9dda0", /* 37 characters */
		"9ba00c83-ca12-4a83-943c-1fa2e82f9dda ", /* trailing space */
		"9ba00c83-ca12-4a83-943c-1fa2e82f9ddg",  /* non-hex at the end */
		"x9a00c83-ca12-4a83-943c-1fa2e82f9dda",  /* non-hex at the start */
		"9ba00c83-ca12-4a83-943c-1fa2e82f9d-a",  /* dash inside a group */
		"9ba00c830ca12-4a83-943c-1fa2e82f9dda",  /* first dash missing */
		"9ba00c83-ca1204a83-943c-1fa2e82f9dda",  /* second dash missing */
		"9ba00c83-ca12-4a830943c-1fa2e82f9dda",  /* third dash missing */
		"9ba00c83-ca12-4a83-943c01fa2e82f9dda",  /* fourth dash missing */
		"9ba00c8-3ca12-4a83-943c-1fa2e82f9dda",  /* dash one place early */
		"9ba00c83ca124a83943c1fa2e82f9dda",      /* no dashes at all */
		"{9ba00c83-ca12-4a83-943c-1fa2e82f9dd}", /* braces */
		"+ba00c83-ca12-4a83-943c-1fa2e82f9dda",  /* sign, as strtoul would take */
	};
	uint8_t out[16], untouched[16];
	size_t i;

	memset(out, 0xa5, sizeof(out));
	memset(untouched, 0xa5, sizeof(untouched));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(sofsim_uuid_parse(bad[i], out), -EINVAL);
		assert_memory_equal(out, untouched, 16);
	}
	assert_int_equal(sofsim_uuid_parse(NULL, out), -EINVAL);
	assert_int_equal(sofsim_uuid_parse("9ba00c83-ca12-4a83-943c-1fa2e82f9dda", NULL), -EINVAL);
}

static void test_uuid_format_all_byte_values(void **state)
{
	/* Bytes 0x00..0xff across the positions, then back through parse. */
	uint8_t in[16], back[16];
	char text[SOFSIM_UUID_TEXT_LEN + 1];
	unsigned base, i;

	for (base = 0; base < 256; base += 16) {
		for (i = 0; i < 16; i++)
			in[i] = (uint8_t)(base + i);
		sofsim_uuid_format(in, text);
		assert_int_equal(strlen(text), 36);
		assert_int_equal(sofsim_uuid_parse(text, back), 0);
		assert_memory_equal(in, back, 16);
	}
	/* Byte order by hand: memory 00 01 .. 0f prints as below (ABI §6.2). */
	for (i = 0; i < 16; i++)
		in[i] = (uint8_t)i;
	sofsim_uuid_format(in, text);
	assert_string_equal(text, "03020100-0504-0706-0809-0a0b0c0d0e0f");
}

/* ---- manifests, every profile ------------------------------------------- */

static void test_manifest_uuids_round_trip(void **state)
{
	char text[SOFSIM_UUID_TEXT_LEN + 1];
	uint8_t bin[16];
	size_t n, i;

	for (n = 0; n < sofsim_platform_count(); n++) {
		const struct sofsim_platform *p = sofsim_platform_at(n);

		assert_true(p->module_count > 0);
		for (i = 0; i < p->module_count; i++) {
			assert_int_equal(sofsim_uuid_parse(p->modules[i].uuid, bin), 0);
			sofsim_uuid_format(bin, text);
			assert_string_equal(text, p->modules[i].uuid);
			assert_ptr_equal(sofsim_platform_module_by_uuid(p, bin), &p->modules[i]);
		}
	}
}

static void test_manifest_ids_names_uuids_unique(void **state)
{
	size_t n, i, j;

	for (n = 0; n < sofsim_platform_count(); n++) {
		const struct sofsim_platform *p = sofsim_platform_at(n);

		for (i = 0; i < p->module_count; i++) {
			const struct sofsim_module_entry *a = &p->modules[i];

			/* The manifest name field is 8 bytes (ABI §5, offset 4). */
			assert_true(strlen(a->name) >= 1 && strlen(a->name) <= 8);
			assert_true(a->instance_max_count >= 1);
			for (j = i + 1; j < p->module_count; j++) {
				const struct sofsim_module_entry *b = &p->modules[j];

				assert_int_not_equal(a->module_id, b->module_id);
				assert_string_not_equal(a->name, b->name);
				assert_string_not_equal(a->uuid, b->uuid);
			}
		}
	}
}

static void test_manifest_lookups(void **state)
{
	/* Copier in memory, ABI §6.2. */
	static const uint8_t copier[16] = { 0x83, 0x0c, 0xa0, 0x9b, 0x12, 0xca, 0x83, 0x4a,
					    0x94, 0x3c, 0x1f, 0xa2, 0xe8, 0x2f, 0x9d, 0xda };
	static const uint8_t unknown[16] = { 0 };
	const struct sofsim_module_entry *e;

	e = sofsim_platform_module_by_name(mtl(), "COPIER");
	assert_non_null(e);
	assert_string_equal(e->uuid, "9ba00c83-ca12-4a83-943c-1fa2e82f9dda");
	assert_ptr_equal(sofsim_platform_module_by_uuid(mtl(), copier), e);
	assert_ptr_equal(sofsim_platform_module_by_id(mtl(), 4), e); /* sof#6723 */

	/* Gain by its §6.2 UUID text. */
	e = sofsim_platform_module_by_name(ptl(), "GAIN");
	assert_non_null(e);
	assert_string_equal(e->uuid, "61bca9a8-18d0-4a18-8e7b-2639219804b7");
	assert_ptr_equal(sofsim_platform_module_by_id(ptl(), e->module_id), e);

	assert_null(sofsim_platform_module_by_name(ptl(), "copier")); /* exact names */
	assert_null(sofsim_platform_module_by_name(ptl(), "NOSUCH"));
	assert_null(sofsim_platform_module_by_name(ptl(), NULL));
	assert_null(sofsim_platform_module_by_name(NULL, "COPIER"));
	assert_null(sofsim_platform_module_by_uuid(ptl(), unknown));
	assert_null(sofsim_platform_module_by_uuid(ptl(), NULL));
	assert_null(sofsim_platform_module_by_uuid(NULL, copier));
	assert_null(sofsim_platform_module_by_id(ptl(), 0xffff));
	assert_null(sofsim_platform_module_by_id(ptl(), 0x10000 | 3));
	assert_null(sofsim_platform_module_by_id(NULL, 3));
}

static void test_module_id_zero_is_basefw(void **state)
{
	/* ABI §6.1: id 0 maps to the BASEFW entry (entry 1, or 2 with COLD). */
	assert_string_equal(sofsim_platform_module_by_id(ptl(), 0)->name, "BASEFW");
	assert_string_equal(sofsim_platform_module_by_id(mtl(), 0)->name, "BASEFW");
	/* Manifest entry 0 is still BRNGUP in the listing (MODULES_INFO_GET). */
	assert_string_equal(ptl()->modules[0].name, "BRNGUP");
	assert_string_equal(mtl()->modules[0].name, "BRNGUP");
}

static void test_module_id_pack_macros(void **state)
{
	/* ABI §6.1 LIB_MANAGER_PACK_MODULE_ID: (lib_id << 12) | index. */
	assert_int_equal(SOFSIM_MODULE_ID_PACK(1, 0), 0x1000);
	assert_int_equal(SOFSIM_MODULE_ID_PACK(2, 5), 0x2005);
	assert_int_equal(SOFSIM_MODULE_ID_PACK(15, 0xfff), 0xffff);
	assert_int_equal(SOFSIM_MODULE_ID_LIB_GET(0x3007), 3);
	assert_int_equal(SOFSIM_MODULE_ID_INDEX_GET(0x3007), 7);
	/* Manifest type word, ABI §5: load_type bits 0-3, domain_ll bit 5. */
	assert_int_equal(SOFSIM_MAN_TYPE_LOAD_TYPE_GET(0x22), 2);
	assert_int_equal(SOFSIM_MAN_TYPE_DOMAIN_LL, 0x20);
	assert_int_equal(SOFSIM_MAN_TYPE_DOMAIN_DP, 0x40);
	assert_int_equal(SOFSIM_MAN_TYPE_INIT_CONFIG_SET(1), 0x100);
}

/* ---- ptl ------------------------------------------------------------------ */

static void test_ptl_manifest_layout(void **state)
{
	const struct sofsim_platform *p = ptl();
	const struct sofsim_module_entry *e;
	unsigned next_index[16] = { 0 };
	size_t i;

	/* ABI §6.1: PTL keeps BRNGUP, COLD, BASEFW and COPIER as built-ins. */
	assert_string_equal(p->modules[0].name, "BRNGUP");
	assert_string_equal(p->modules[1].name, "COLD");
	assert_string_equal(p->modules[2].name, "BASEFW");
	e = sofsim_platform_module_by_name(p, "COPIER");
	assert_non_null(e);
	assert_int_equal(e->lib_id, 0);
	assert_true(e->module_id < 4096);
	assert_int_equal(SOFSIM_MAN_TYPE_LOAD_TYPE_GET(e->type), SOFSIM_MAN_LOAD_BUILTIN);

	for (i = 0; i < p->module_count; i++) {
		e = &p->modules[i];
		assert_false(e->verified); /* nothing on PTL is observed yet */
		if (e->lib_id == 0) {
			/* Base image: id = manifest index (ABI §6.1). */
			assert_int_equal(e->module_id, i);
			continue;
		}
		/* Library: id = (lib_id << 12) | index, indexes dense from 0. */
		assert_true(e->lib_id < 16); /* MAX_LIBS_COUNT, ABI §5 */
		assert_int_equal(e->module_id, (e->lib_id << 12) | next_index[e->lib_id]);
		next_index[e->lib_id]++;
		assert_int_equal(SOFSIM_MAN_TYPE_LOAD_TYPE_GET(e->type), SOFSIM_MAN_LOAD_LLEXT);
	}

	/* The processing modules are library modules (ABI §6.1, §11.15). */
	static const char *const lib_mods[] = { "MIXIN", "MIXOUT", "GAIN", "PEAKVOL", "SRC",
						"ASRC", "EQIIR", "EQFIR", "TONE" };
	for (i = 0; i < sizeof(lib_mods) / sizeof(lib_mods[0]); i++) {
		e = sofsim_platform_module_by_name(p, lib_mods[i]);
		assert_non_null(e);
		assert_true(e->lib_id >= 1);
		assert_true(e->module_id >= 4096);
	}
	/* Documented layout (docs/model-fidelity.md): lib 1, MIXIN index 0, GAIN index 3. */
	assert_int_equal(sofsim_platform_module_by_name(p, "MIXIN")->module_id, 0x1000);
	assert_int_equal(sofsim_platform_module_by_name(p, "GAIN")->module_id, 0x1003);
}

static void test_ptl_instance_limits(void **state)
{
	/* ABI §6.2 instance_count table. */
	const struct sofsim_platform *p = ptl();

	assert_int_equal(sofsim_platform_module_by_name(p, "COPIER")->instance_max_count, 32);
	assert_int_equal(sofsim_platform_module_by_name(p, "MIXIN")->instance_max_count, 30);
	assert_int_equal(sofsim_platform_module_by_name(p, "MIXOUT")->instance_max_count, 30);
	assert_int_equal(sofsim_platform_module_by_name(p, "PEAKVOL")->instance_max_count, 10);
	assert_int_equal(sofsim_platform_module_by_name(p, "GAIN")->instance_max_count, 40);
	assert_int_equal(sofsim_platform_module_by_name(p, "ASRC")->instance_max_count, 2);
	assert_int_equal(sofsim_platform_module_by_name(p, "MICSEL")->instance_max_count, 8);
	assert_int_equal(sofsim_platform_module_by_name(p, "EQIIR")->instance_max_count, 40);
	assert_int_equal(sofsim_platform_module_by_name(p, "ARIA")->instance_max_count, 8);
}

static void test_ptl_core_values(void **state)
{
	const struct sofsim_platform *p = ptl();

	assert_int_equal(p->cores, 5);              /* US §1.7 */
	assert_int_equal(p->sys_tick_hz, 12000);    /* US §1.7 */
	assert_int_equal(p->ccount_hz, 442368000);  /* US §1.7 */
	assert_int_equal(p->ll_period_us, 1000);   /* US §2.7 */
	assert_true(p->has_mmu);                    /* US §1.7 */
	assert_int_equal(p->page_bytes, 4096);      /* US §1.2 */
	assert_int_equal(p->obj_pool_bytes, 8192);  /* US §1.3, §2.4 */
	assert_int_equal(p->partition_limit, 32);   /* US §1.2 */
	assert_int_equal(p->thread_index_limit, 3 * 8); /* US §1.3: MAX_THREAD_BYTES 3 */
	assert_int_equal(p->mmu_l2_tables, 128);    /* US §1.7 */
	assert_int_equal(p->ll_user_heap_bytes, 0x20000); /* US §2.1, §2.4 */
	assert_int_equal(p->module_heap_bytes, 0x1000);   /* US §2.4 */
	assert_int_equal(p->ll_stack_bytes, 8192);        /* US §2.5 */
	assert_int_equal(p->ipc_user_stack_bytes, 8192);  /* US §2.1 */
	assert_int_equal(p->ll_thread_priority, -16);     /* US §2.1 */
	assert_int_equal(p->ipc_user_priority, -1);       /* US §2.5 */
	assert_true(p->kernel_heap_bytes > 0);
}

static void test_ptl_hw_config(void **state)
{
	const struct sofsim_platform *p = ptl();

	assert_int_equal(p->hw.dsp_cores, 5);
	assert_int_equal(p->hw.i2s_caps, 0x40000); /* ABI §5: PTL I2S v3.0 */
	assert_int_equal(p->hw.cavs_ver, 0x30000); /* SOF ace_version.h ACE_VERSION_3_0 */
	/* SOF ace30 lib/dai.h: SSP 6 + HDA in 11 + HDA out 9 + ALH 0 + 2 = 28. */
	assert_int_equal(p->hw.gateway_count, 28);
	/* Zephyr ace30 dtsi: sram0 4608 KiB = 36 EBBs of 128 KiB. */
	assert_int_equal(p->hw.hp_ebb_count, 36);
	/* Zephyr ace30 dtsi dma-channels. */
	assert_int_equal(p->dma_channels[SOFSIM_GW_HOST_OUT], 9);
	assert_int_equal(p->dma_channels[SOFSIM_GW_HOST_IN], 11);
}

/* ---- values common to both profiles ------------------------------------- */

static void test_fw_config_matches_abi(void **state)
{
	size_t n;

	for (n = 0; n < sofsim_platform_count(); n++) {
		const struct sofsim_platform *p = sofsim_platform_at(n);

		/* ABI §5 FW_CONFIG table. */
		assert_int_equal(p->fw.memory_reclaimed, 1);
		assert_int_equal(p->fw.alh_support_level, 0x10000);
		assert_int_equal(p->fw.dl_mailbox_bytes, 8192);
		assert_int_equal(p->fw.ul_mailbox_bytes, 4096);
		assert_int_equal(p->fw.max_ppl_count, 32);
		assert_int_equal(p->fw.max_astate_count, 0);
		assert_int_equal(p->fw.max_module_pin_count, 8);
		assert_int_equal(p->fw.modules_count, 5);
		assert_int_equal(p->fw.max_mod_inst_count, 256);
		assert_int_equal(p->fw.max_ll_tasks_per_pri, 16);
		assert_int_equal(p->fw.ll_pri_count, 8);
		assert_int_equal(p->fw.max_dp_tasks_count, 16);
		assert_int_equal(p->fw.max_libs_count, 16);
		assert_true(p->fw.fw_context_save <= 1);
		assert_true(p->fw.min_host_buffer_periods >= 1);
		/* The firmware reports its own inbox in TLV 6 (ABI §8.4). */
		assert_int_equal(p->fw.dl_mailbox_bytes, p->inbox_bytes);
		assert_int_equal(p->fw.ul_mailbox_bytes, p->outbox_bytes);
		assert_int_equal(p->fw.fast_clock_hz, p->ccount_hz);
	}
}

static void test_hw_config_matches_abi(void **state)
{
	size_t n;

	for (n = 0; n < sofsim_platform_count(); n++) {
		const struct sofsim_platform *p = sofsim_platform_at(n);

		/* ABI §5 HW_CONFIG table. */
		assert_int_equal(p->hw.mem_page_bytes, 4096);
		assert_int_equal(p->hw.ebb_size_bytes, 128 * 1024);
		assert_int_equal(p->hw.total_phys_mem_pages, 32 * p->hw.ebb_size_bytes / 4096);
		assert_int_equal(p->hw.dsp_cores, p->cores);
		/* GATEWAY_COUNT = SSP + HDA in + HDA out + ALH links + 2 (DMIC). */
		assert_int_equal(p->hw.gateway_count,
				 p->dai_count[SOFSIM_GW_SSP] + p->dai_count[SOFSIM_GW_HDA_LINK_IN] +
					 p->dai_count[SOFSIM_GW_HDA_LINK_OUT] +
					 p->dai_count[SOFSIM_GW_ALH] + 2);
		assert_int_equal(p->dai_count[SOFSIM_GW_DMIC], 2);
	}
}

static void test_windows_match_abi(void **state)
{
	size_t n, k;

	for (n = 0; n < sofsim_platform_count(); n++) {
		const struct sofsim_platform *p = sofsim_platform_at(n);

		/* ABI §8.4. */
		assert_int_equal(p->inbox_bytes, 8192);
		assert_int_equal(p->outbox_bytes, 4096);
		assert_int_equal(p->host_max_msg_bytes, 4096);
		assert_int_equal(p->window0_bytes, 8192);
		assert_int_equal(p->window2_bytes, 12 * 1024);
		/* Window 0 = FW registers page + outbox; §10 struct is 0xA60 bytes. */
		assert_int_equal(p->fw_regs_bytes + p->outbox_bytes, p->window0_bytes);
		assert_true(p->fw_regs_bytes >= 0xA60);
		assert_int_equal(p->ll_period_us, 1000);   /* US §2.7 */
		/* Every gateway kind has some DMA to run on. */
		for (k = 0; k < SOFSIM_GW_COUNT; k++)
			assert_true(p->dma_channels[k] > 0);
	}
}

/* ---- mtl ------------------------------------------------------------------ */

static void test_mtl_observed_ids_verified(void **state)
{
	/* Real MTL NOCODEC log, SOF issue #6723 (quoted in ABI §6.1). */
	static const struct { const char *name; unsigned id; } seen[] = {
		{ "MIXIN", 2 }, { "MIXOUT", 3 }, { "COPIER", 4 }, { "GAIN", 6 },
	};
	const struct sofsim_platform *p = mtl();
	size_t i, j, verified = 0;

	for (i = 0; i < 4; i++) {
		const struct sofsim_module_entry *e = sofsim_platform_module_by_name(p, seen[i].name);

		assert_non_null(e);
		assert_int_equal(e->module_id, seen[i].id);
		assert_true(e->verified);
		assert_ptr_equal(sofsim_platform_module_by_id(p, seen[i].id), e);
	}
	for (j = 0; j < p->module_count; j++)
		verified += p->modules[j].verified;
	assert_int_equal(verified, 4); /* everything else is unverified */
	/* Those ids leave no room for a COLD entry before BASEFW. */
	assert_null(sofsim_platform_module_by_name(p, "COLD"));
}

static void test_mtl_has_no_mmu(void **state)
{
	const struct sofsim_platform *p = mtl();

	assert_false(p->has_mmu);   /* US §1.7 */
	assert_int_equal(p->mmu_l2_tables, 0);
	assert_int_equal(p->cores, 3);
	assert_int_equal(p->hw.i2s_caps, 0); /* ABI §5: TLV 4 only on ACE 3.0/4.0 */
	assert_int_equal(p->hw.cavs_ver, 0x10500); /* SOF ace_version.h ACE_VERSION_1_5 */
	/* Every module is built into the MTL image (ABI §6.1 table). */
	for (size_t i = 0; i < p->module_count; i++) {
		assert_int_equal(p->modules[i].lib_id, 0);
		assert_int_equal(p->modules[i].module_id, i);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_platform_default_is_ptl),
		cmocka_unit_test(test_platform_find_unknown_returns_null),
		cmocka_unit_test(test_platform_at_lists_each_profile_once),
		cmocka_unit_test(test_gateway_kind_names),
		cmocka_unit_test(test_uuid_parse_copier_vector),
		cmocka_unit_test(test_uuid_parse_rejects_malformed_text),
		cmocka_unit_test(test_uuid_format_all_byte_values),
		cmocka_unit_test(test_manifest_uuids_round_trip),
		cmocka_unit_test(test_manifest_ids_names_uuids_unique),
		cmocka_unit_test(test_manifest_lookups),
		cmocka_unit_test(test_module_id_zero_is_basefw),
		cmocka_unit_test(test_module_id_pack_macros),
		cmocka_unit_test(test_ptl_manifest_layout),
		cmocka_unit_test(test_ptl_instance_limits),
		cmocka_unit_test(test_ptl_core_values),
		cmocka_unit_test(test_ptl_hw_config),
		cmocka_unit_test(test_fw_config_matches_abi),
		cmocka_unit_test(test_hw_config_matches_abi),
		cmocka_unit_test(test_windows_match_abi),
		cmocka_unit_test(test_mtl_observed_ids_verified),
		cmocka_unit_test(test_mtl_has_no_mmu),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
