/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file check.h
 * @brief `enforce=check`: every load and store of instrumented code that
 * runs in a user thread is checked against that thread's memory view.
 *
 * Code that runs on emulated threads (modules, pipeline code, test bodies)
 * is compiled with the compiler's kernel-address instrumentation as outline
 * callbacks, whose symbols (and those of memcpy, memset and friends) are
 * renamed to the `sofsim__chk_*` functions below (CMake: sofsim_instrument()).
 * In kernel mode, from the host, or with another protection mode the checks
 * return at once; a denied access becomes a fault record (reason 0, EXCCAUSE
 * 26, 28 or 29, EXCVADDR the address) handled by the fault policy.
 */
#ifndef SOFSIM_CHECK_H
#define SOFSIM_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sofsim/export.h"

struct sofsim;
struct sofsim_partition;

/** Place a global in the user-data section: user threads whose domain holds sofsim_user_data_partition() may use it. */
#define SOFSIM_USER_DATA __attribute__((section("sofsim_user_data"), aligned(64)))

/**
 * @brief The partition covering the program's user-data section (the
 * analogue of SOF's sysuser partition), rounded out to whole pages.
 * @param out Receives it (RW).
 * @retval 0       Filled.
 * @retval -ENOENT The program declares no SOFSIM_USER_DATA global.
 */
SOFSIM_API int sofsim_user_data_partition(struct sofsim_partition *out);

/**
 * @brief Whether code on emulated threads of this context should run its
 * instrumented (checked) variant: true under SOFSIM_PROT_ENFORCE_CHECK.
 * @param sim Context.
 * @return true if checked.
 */
SOFSIM_API bool sofsim_checked(const struct sofsim *sim);

/**
 * @brief Number of accesses the checker looked at in user mode (all contexts
 * of this host thread; for benchmarks).
 * @return Count.
 */
SOFSIM_API uint64_t sofsim_check_count(void);

/* The renamed instrumentation callbacks. Not for direct use. */
#define SOFSIM_CHK_SIZES(X) X(1) X(2) X(4) X(8) X(16)
#define SOFSIM_CHK_DECL(n)                                   \
	SOFSIM_API void sofsim__chk_load##n(uintptr_t addr);  \
	SOFSIM_API void sofsim__chk_store##n(uintptr_t addr);
SOFSIM_CHK_SIZES(SOFSIM_CHK_DECL)
#undef SOFSIM_CHK_DECL
SOFSIM_API void sofsim__chk_loadN(uintptr_t addr, size_t size);
SOFSIM_API void sofsim__chk_storeN(uintptr_t addr, size_t size);
SOFSIM_API void *sofsim__chk_memcpy(void *dst, const void *src, size_t n);
SOFSIM_API void *sofsim__chk_memmove(void *dst, const void *src, size_t n);
SOFSIM_API void *sofsim__chk_memset(void *dst, int c, size_t n);
SOFSIM_API int sofsim__chk_memcmp(const void *a, const void *b, size_t n);
SOFSIM_API char *sofsim__chk_strcpy(char *dst, const char *src);
SOFSIM_API char *sofsim__chk_strncpy(char *dst, const char *src, size_t n);
SOFSIM_API char *sofsim__chk_strcat(char *dst, const char *src);
SOFSIM_API size_t sofsim__chk_strlen(const char *s);
SOFSIM_API int sofsim__chk_strcmp(const char *a, const char *b);
SOFSIM_API int sofsim__chk_strncmp(const char *a, const char *b, size_t n);

#endif /* SOFSIM_CHECK_H */
