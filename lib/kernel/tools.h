/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What Valgrind and AddressSanitizer must be told about stacks the library
 * switches between and about the blocks the heaps hand out. Each helper is
 * a no-op when the tool is absent, so callers never need an #if.
 */
#ifndef SOFSIM_KERNEL_TOOLS_H
#define SOFSIM_KERNEL_TOOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#define SOFSIM_HAVE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SOFSIM_HAVE_ASAN 1
#endif
#endif

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define SOFSIM_HAVE_VALGRIND 1
#endif
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define SOFSIM_HAVE_MEMCHECK 1
#endif
#endif

#ifdef SOFSIM_HAVE_ASAN
void __sanitizer_start_switch_fiber(void **fake_stack_save, const void *bottom, size_t size);
void __sanitizer_finish_switch_fiber(void *fake_stack_save, const void **bottom_old, size_t *size_old);

static inline void sofsim__asan_start_switch(void **save, const void *bottom, size_t size)
{
	__sanitizer_start_switch_fiber(save, bottom, size);
}

static inline void sofsim__asan_finish_switch(void *save)
{
	__sanitizer_finish_switch_fiber(save, NULL, NULL);
}
#else
static inline void sofsim__asan_start_switch(void **save, const void *bottom, size_t size)
{
	(void)save;
	(void)bottom;
	(void)size;
}

static inline void sofsim__asan_finish_switch(void *save)
{
	(void)save;
}
#endif

#ifdef SOFSIM_HAVE_VALGRIND
static inline unsigned sofsim__vg_stack_register(void *lo, size_t bytes)
{
	return VALGRIND_STACK_REGISTER(lo, (char *)lo + bytes);
}

static inline void sofsim__vg_stack_deregister(unsigned id)
{
	VALGRIND_STACK_DEREGISTER(id);
}
#else
static inline unsigned sofsim__vg_stack_register(void *lo, size_t bytes)
{
	(void)lo;
	(void)bytes;
	return 0;
}

static inline void sofsim__vg_stack_deregister(unsigned id)
{
	(void)id;
}
#endif

/*
 * Heaps: a Valgrind mempool per heap (blocks are its chunks, so Memcheck
 * reports "bytes after a block" with the allocation stack) and ASan manual
 * poisoning of everything the heap has not handed out.
 */
#ifdef SOFSIM_HAVE_MEMCHECK
/* @redzone: bytes after each block Memcheck names as "bytes after a block". */
static inline void sofsim__vg_pool_create(const void *pool, size_t redzone)
{
	VALGRIND_CREATE_MEMPOOL(pool, redzone, 1);
}

static inline void sofsim__vg_pool_destroy(const void *pool)
{
	VALGRIND_DESTROY_MEMPOOL(pool);
}

static inline void sofsim__vg_pool_alloc(const void *pool, const void *p, size_t bytes)
{
	VALGRIND_MEMPOOL_ALLOC(pool, p, bytes);
}

static inline void sofsim__vg_pool_free(const void *pool, const void *p)
{
	VALGRIND_MEMPOOL_FREE(pool, p);
}

static inline void sofsim__vg_noaccess(const void *p, size_t bytes)
{
	VALGRIND_MAKE_MEM_NOACCESS(p, bytes);
}

static inline void sofsim__vg_defined(const void *p, size_t bytes)
{
	VALGRIND_MAKE_MEM_DEFINED(p, bytes);
}

static inline void sofsim__vg_undefined(const void *p, size_t bytes)
{
	VALGRIND_MAKE_MEM_UNDEFINED(p, bytes);
}
#else
static inline void sofsim__vg_pool_create(const void *pool, size_t redzone)
{
	(void)pool;
	(void)redzone;
}

static inline void sofsim__vg_pool_destroy(const void *pool)
{
	(void)pool;
}

static inline void sofsim__vg_pool_alloc(const void *pool, const void *p, size_t bytes)
{
	(void)pool;
	(void)p;
	(void)bytes;
}

static inline void sofsim__vg_pool_free(const void *pool, const void *p)
{
	(void)pool;
	(void)p;
}

static inline void sofsim__vg_noaccess(const void *p, size_t bytes)
{
	(void)p;
	(void)bytes;
}

static inline void sofsim__vg_defined(const void *p, size_t bytes)
{
	(void)p;
	(void)bytes;
}

static inline void sofsim__vg_undefined(const void *p, size_t bytes)
{
	(void)p;
	(void)bytes;
}
#endif

#ifdef SOFSIM_HAVE_ASAN
#include <sanitizer/asan_interface.h>

static inline void sofsim__asan_poison(const void *p, size_t bytes)
{
	ASAN_POISON_MEMORY_REGION(p, bytes);
}

static inline void sofsim__asan_unpoison(const void *p, size_t bytes)
{
	ASAN_UNPOISON_MEMORY_REGION(p, bytes);
}
#else
static inline void sofsim__asan_poison(const void *p, size_t bytes)
{
	(void)p;
	(void)bytes;
}

static inline void sofsim__asan_unpoison(const void *p, size_t bytes)
{
	(void)p;
	(void)bytes;
}
#endif

/*
 * Reading memory behind the tools' back (a snapshot copies pages whatever
 * the heaps told Valgrind and ASan about them): errors off for Valgrind, and
 * a plain word loop that ASan does not instrument.
 */
#ifdef SOFSIM_HAVE_VALGRIND
static inline void sofsim__vg_errors_off(void)
{
	VALGRIND_DISABLE_ERROR_REPORTING;
}

static inline void sofsim__vg_errors_on(void)
{
	VALGRIND_ENABLE_ERROR_REPORTING;
}

static inline bool sofsim__vg_pool_exists(const void *pool)
{
	return VALGRIND_MEMPOOL_EXISTS(pool);
}

static inline bool sofsim__running_on_valgrind(void)
{
	return RUNNING_ON_VALGRIND;
}
#else
static inline void sofsim__vg_errors_off(void)
{
}

static inline void sofsim__vg_errors_on(void)
{
}

static inline bool sofsim__vg_pool_exists(const void *pool)
{
	(void)pool;
	return false;
}

static inline bool sofsim__running_on_valgrind(void)
{
	return false;
}
#endif

/* Tell both tools that these bytes may be read and written, as fresh memory. */
static inline void sofsim__tools_open(const void *p, size_t bytes)
{
	sofsim__asan_unpoison(p, bytes);
	sofsim__vg_defined(p, bytes);
}

/* Whether Valgrind or ASan keeps a view of memory that the library must keep right. */
static inline bool sofsim__tools_watching(void)
{
#ifdef SOFSIM_HAVE_ASAN
	return true;
#else
	return sofsim__running_on_valgrind();
#endif
}

/*
 * Page compare and copy over bytes the tools may consider off limits
 * (poisoned heap, stacks). ASan intercepts memcmp/memcpy and would report,
 * so under ASan an unsanitised word loop runs; elsewhere libc's vector
 * versions are several times faster on the reset path. (Valgrind: callers
 * turn its reports off around compares, and copying undefined bytes is no
 * error to it.)
 */
#ifdef SOFSIM_HAVE_ASAN
__attribute__((no_sanitize_address)) static inline bool sofsim__blind_equal(const void *a, const void *b, size_t bytes)
{
	const volatile uint64_t *x = a, *y = b;
	uint64_t diff = 0;

	for (size_t i = 0; i < bytes / sizeof(*x); i++)
		diff |= x[i] ^ y[i];
	return diff == 0;
}

__attribute__((no_sanitize_address)) static inline void sofsim__blind_copy(void *dst, const void *src, size_t bytes)
{
	uint64_t *d = dst;
	const volatile uint64_t *s = src;

	for (size_t i = 0; i < bytes / sizeof(*d); i++)
		d[i] = s[i];
}
#else
static inline bool sofsim__blind_equal(const void *a, const void *b, size_t bytes)
{
	return memcmp(a, b, bytes) == 0;
}

static inline void sofsim__blind_copy(void *dst, const void *src, size_t bytes)
{
	memcpy(dst, src, bytes);
}
#endif

#endif /* SOFSIM_KERNEL_TOOLS_H */
