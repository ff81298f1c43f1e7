/* SPDX-License-Identifier: BSD-3-Clause */
/* Instrumented access bodies (check_bodies.c). */
#ifndef SOFSIM_TEST_CHECK_BODIES_H
#define SOFSIM_TEST_CHECK_BODIES_H

#include <stddef.h>
#include <stdint.h>

void body_store1(void *p);
uint32_t body_load4(const void *p);
void body_memcpy(void *dst, const void *src, size_t n);

#endif
