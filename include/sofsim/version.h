/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file version.h
 * @brief The version of the sofsim library a program is running against.
 */
#ifndef SOFSIM_VERSION_H
#define SOFSIM_VERSION_H

#include <sofsim/export.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief Report the library's version.
 *
 * The string is the CMake project version the library was built from
 * ("MAJOR.MINOR.PATCH"), so a program can check at run time that it loaded
 * the library it was compiled against.
 *
 * @return A static, NUL-terminated string; never NULL, never to be freed.
 */
SOFSIM_API const char *sofsim_version_string(void);

#ifdef __cplusplus
}
#endif

#endif /* SOFSIM_VERSION_H */
