/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Platform profile registry, UUID text <-> memory conversion and manifest
 * lookups. Everything here works on constant data and keeps no state.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <sofsim/platform.h>

#include "platform_priv.h"

/* Registration order: the default profile comes first. */
static const struct sofsim_platform *const platforms[] = {
	&sofsim__platform_ptl,
	&sofsim__platform_mtl,
};

static const char *const gateway_kind_names[] = {
#define SOFSIM_GW_NAME_(e, s) [SOFSIM_GW_##e] = s,
	SOFSIM_GATEWAY_KINDS(SOFSIM_GW_NAME_)
#undef SOFSIM_GW_NAME_
};

_Static_assert(SOFSIM__ARRAY_SIZE(gateway_kind_names) == SOFSIM_GW_COUNT,
	       "every gateway kind needs a name");

size_t sofsim_platform_count(void)
{
	return SOFSIM__ARRAY_SIZE(platforms);
}

const struct sofsim_platform *sofsim_platform_at(size_t index)
{
	if (index >= SOFSIM__ARRAY_SIZE(platforms))
		return NULL;
	return platforms[index];
}

const struct sofsim_platform *sofsim_platform_find(const char *name)
{
	size_t i;

	if (!name)
		return NULL;
	for (i = 0; i < SOFSIM__ARRAY_SIZE(platforms); i++) {
		if (strcmp(platforms[i]->name, name) == 0)
			return platforms[i];
	}
	return NULL;
}

const struct sofsim_platform *sofsim_platform_default(void)
{
	return platforms[0];
}

const char *sofsim_gateway_kind_name(enum sofsim_gateway_kind kind)
{
	/* Compare as unsigned so that a negative value cast in is caught too. */
	if ((unsigned)kind >= (unsigned)SOFSIM_GW_COUNT)
		return "?";
	return gateway_kind_names[kind];
}

/* Value of one hex digit, or -1. Locale-independent on purpose. */
static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool is_dash_position(size_t pos)
{
	return pos == 8 || pos == 13 || pos == 18 || pos == 23;
}

/*
 * The text groups are 4-2-2-2-6 bytes. In memory (ABI §6.2) the first three
 * groups are little-endian integers, so their bytes are reversed relative
 * to the text; the last 8 bytes keep text order. memory_index[i] is where
 * the i-th byte of the text lands.
 */
static const uint8_t memory_index[SOFSIM_UUID_BYTES] = {
	3, 2, 1, 0, /* u32, little-endian */
	5, 4,       /* u16, little-endian */
	7, 6,       /* u16, little-endian */
	8, 9, 10, 11, 12, 13, 14, 15,
};

int sofsim_uuid_parse(const char *text, uint8_t out[SOFSIM_UUID_BYTES])
{
	uint8_t bytes[SOFSIM_UUID_BYTES];
	size_t pos, nbyte = 0;
	int hi, lo;

	if (!text || !out)
		return -EINVAL;
	/* strnlen keeps the scan inside 37 bytes even for a long string. */
	if (strnlen(text, SOFSIM_UUID_TEXT_LEN + 1) != SOFSIM_UUID_TEXT_LEN)
		return -EINVAL;

	for (pos = 0; pos < SOFSIM_UUID_TEXT_LEN;) {
		if (is_dash_position(pos)) {
			if (text[pos] != '-')
				return -EINVAL;
			pos++;
			continue;
		}
		/* A hex pair never straddles a dash: every group has an even length. */
		hi = hex_value(text[pos]);
		lo = hex_value(text[pos + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		bytes[memory_index[nbyte++]] = (uint8_t)((hi << 4) | lo);
		pos += 2;
	}

	memcpy(out, bytes, sizeof(bytes));
	return 0;
}

void sofsim_uuid_format(const uint8_t uuid[SOFSIM_UUID_BYTES], char out[SOFSIM_UUID_TEXT_LEN + 1])
{
	static const char digits[] = "0123456789abcdef";
	size_t pos = 0, nbyte;
	uint8_t b;

	for (nbyte = 0; nbyte < SOFSIM_UUID_BYTES; nbyte++) {
		if (is_dash_position(pos))
			out[pos++] = '-';
		b = uuid[memory_index[nbyte]];
		out[pos++] = digits[b >> 4];
		out[pos++] = digits[b & 0xf];
	}
	out[pos] = '\0';
}

const struct sofsim_module_entry *sofsim_platform_module_by_name(const struct sofsim_platform *plat,
								 const char *name)
{
	size_t i;

	if (!plat || !name)
		return NULL;
	for (i = 0; i < plat->module_count; i++) {
		if (strcmp(plat->modules[i].name, name) == 0)
			return &plat->modules[i];
	}
	return NULL;
}

const struct sofsim_module_entry *sofsim_platform_module_by_id(const struct sofsim_platform *plat,
							       uint32_t module_id)
{
	size_t i;

	if (!plat)
		return NULL;
	/*
	 * As ipc4_get_comp_drv() does: id 0 addresses the base firmware even
	 * though manifest entry 0 is BRNGUP (ABI §6.1).
	 */
	if (module_id == 0)
		return sofsim_platform_module_by_name(plat, "BASEFW");
	for (i = 0; i < plat->module_count; i++) {
		if (plat->modules[i].module_id == module_id)
			return &plat->modules[i];
	}
	return NULL;
}

const struct sofsim_module_entry *sofsim_platform_module_by_uuid(const struct sofsim_platform *plat,
								 const uint8_t uuid[SOFSIM_UUID_BYTES])
{
	uint8_t entry_uuid[SOFSIM_UUID_BYTES];
	size_t i;

	if (!plat || !uuid)
		return NULL;
	/*
	 * The tables hold text so they read like the registry; parsing on each
	 * lookup is cheap next to the IPC message that asks (INIT_INSTANCE).
	 */
	for (i = 0; i < plat->module_count; i++) {
		if (sofsim_uuid_parse(plat->modules[i].uuid, entry_uuid) != 0)
			continue;
		if (memcmp(entry_uuid, uuid, SOFSIM_UUID_BYTES) == 0)
			return &plat->modules[i];
	}
	return NULL;
}
