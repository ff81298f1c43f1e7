/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The library version. SOFSIM_VERSION comes from the CMake project version
 * (a compile definition on this file only, see lib/CMakeLists.txt), so there
 * is a single place where the version is written down.
 */
#include <sofsim/version.h>

#ifndef SOFSIM_VERSION
#error "SOFSIM_VERSION must be defined by the build"
#endif

const char *sofsim_version_string(void)
{
	return SOFSIM_VERSION;
}
