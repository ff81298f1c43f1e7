/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Built with the enforce instrumentation (sofsim_instrument): each function
 * does exactly one kind of access, the way module code running in a user
 * thread would, so test_check_matrix.c can prove that every kind the
 * compilers emit reaches the checker once. The volatile casts keep each
 * load and store the size its name says.
 *
 * The two planted globals are accessed directly by name. Neither compiler
 * instruments every such access (docs/model-fidelity.md, "enforce=check:
 * what the instrumentation sees"); the test asserts what each one does and
 * the build check (scripts/check-user-globals.sh) allows only these two.
 */
#include <stdint.h>
#include <string.h>

#include "matrix_bodies.h"

#include "sofsim/check.h"

/* Zero-initialised on purpose: it lands in .bss, the common case. */
static uint32_t matrix_static_global;

static SOFSIM_USER_DATA uint32_t matrix_user_data;

uint8_t mb_load1(const void *p)
{
	return *(const volatile uint8_t *)p;
}

uint16_t mb_load2(const void *p)
{
	return *(const volatile uint16_t *)p;
}

uint32_t mb_load4(const void *p)
{
	return *(const volatile uint32_t *)p;
}

uint64_t mb_load8(const void *p)
{
	return *(const volatile uint64_t *)p;
}

unsigned __int128 mb_load16(const void *p)
{
	return *(const volatile unsigned __int128 *)p;
}

void mb_store1(void *p, uint8_t v)
{
	*(volatile uint8_t *)p = v;
}

void mb_store2(void *p, uint16_t v)
{
	*(volatile uint16_t *)p = v;
}

void mb_store4(void *p, uint32_t v)
{
	*(volatile uint32_t *)p = v;
}

void mb_store8(void *p, uint64_t v)
{
	*(volatile uint64_t *)p = v;
}

void mb_store16(void *p, unsigned __int128 v)
{
	*(volatile unsigned __int128 *)p = v;
}

void mb_copy_n(struct mb_n *dst, const struct mb_n *src)
{
	*dst = *src;
}

void mb_copy_big(struct mb_big *dst, const struct mb_big *src)
{
	*dst = *src;
}

void mb_memcpy(void *dst, const void *src, size_t n)
{
	memcpy(dst, src, n);
}

void mb_memmove(void *dst, const void *src, size_t n)
{
	memmove(dst, src, n);
}

void mb_memset(void *dst, int c, size_t n)
{
	memset(dst, c, n);
}

void mb_strcpy(char *dst, const char *src)
{
	strcpy(dst, src);
}

int mb_atomic_add(int *p)
{
	return __atomic_fetch_add(p, 1, __ATOMIC_SEQ_CST);
}

uint32_t mb_ext_read(void)
{
	return matrix_ext_global;
}

void mb_ext_write(uint32_t v)
{
	matrix_ext_global = v;
}

uint32_t mb_static_read(void)
{
	return matrix_static_global;
}

void mb_static_write(uint32_t v)
{
	matrix_static_global = v;
}

uint32_t *mb_user_data_word(void)
{
	return &matrix_user_data;
}
