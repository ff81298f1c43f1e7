/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file export.h
 * @brief Symbol visibility: the library builds with hidden visibility and
 * marks its public entry points with SOFSIM_API.
 */
#ifndef SOFSIM_EXPORT_H
#define SOFSIM_EXPORT_H

#if defined(SOFSIM_BUILDING)
#define SOFSIM_API __attribute__((visibility("default")))
#else
#define SOFSIM_API
#endif

#endif /* SOFSIM_EXPORT_H */
