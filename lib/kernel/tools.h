/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What Valgrind and AddressSanitizer must be told about stacks the library
 * switches between. Each helper is a no-op when the tool is absent.
 */
#ifndef SOFSIM_KERNEL_TOOLS_H
#define SOFSIM_KERNEL_TOOLS_H

#include <stddef.h>

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

#endif /* SOFSIM_KERNEL_TOOLS_H */
