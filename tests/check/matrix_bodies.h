/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The hole matrix's instrumented bodies (matrix_bodies.c): one function per
 * access kind, so a test can aim each kind at a kernel-heap page and count
 * the faults, plus the planted globals whose accesses the compilers may or
 * may not instrument.
 */
#ifndef SOFSIM_TEST_CHECK_MATRIX_BODIES_H
#define SOFSIM_TEST_CHECK_MATRIX_BODIES_H

#include <stddef.h>
#include <stdint.h>

/* Odd-sized copy (not a power of two: GCC checks it with loadN/storeN). */
struct mb_n {
	uint8_t bytes[40];
};

/* Struct assignment of at least 64 bytes. */
struct mb_big {
	uint8_t bytes[64];
};

uint8_t mb_load1(const void *p);
uint16_t mb_load2(const void *p);
uint32_t mb_load4(const void *p);
uint64_t mb_load8(const void *p);
unsigned __int128 mb_load16(const void *p);
void mb_store1(void *p, uint8_t v);
void mb_store2(void *p, uint16_t v);
void mb_store4(void *p, uint32_t v);
void mb_store8(void *p, uint64_t v);
void mb_store16(void *p, unsigned __int128 v);

/* *dst = *src, as compiled code does it (loadN/storeN or memcpy). */
void mb_copy_n(struct mb_n *dst, const struct mb_n *src);
void mb_copy_big(struct mb_big *dst, const struct mb_big *src);

void mb_memcpy(void *dst, const void *src, size_t n);
void mb_memmove(void *dst, const void *src, size_t n);
void mb_memset(void *dst, int c, size_t n);
void mb_strcpy(char *dst, const char *src);

/* __atomic_fetch_add(p, 1): one read-modify-write. */
int mb_atomic_add(int *p);

/*
 * Planted globals. matrix_ext_global is defined in the (not instrumented)
 * test file; the file-static one lives in matrix_bodies.c. Their accesses
 * are direct, by name, as module code would write them.
 */
extern uint32_t matrix_ext_global;
uint32_t mb_ext_read(void);
void mb_ext_write(uint32_t v);
uint32_t mb_static_read(void);
void mb_static_write(uint32_t v);

/* A SOFSIM_USER_DATA word (the sanctioned home of user-visible globals). */
uint32_t *mb_user_data_word(void);

#endif /* SOFSIM_TEST_CHECK_MATRIX_BODIES_H */
