/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private to lib/platform: the profile objects defined one per file and
 * gathered into the lookup table in platform.c.
 */
#ifndef SOFSIM_PLATFORM_PRIV_H
#define SOFSIM_PLATFORM_PRIV_H

#include <sofsim/platform.h>

/* Intel Panther Lake (ACE 3.0), the default profile; ptl.c. */
extern const struct sofsim_platform sofsim__platform_ptl;
/* Intel Meteor Lake (ACE 1.5), no MMU; mtl.c. */
extern const struct sofsim_platform sofsim__platform_mtl;

/* Element count of a true array. */
#define SOFSIM__ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif /* SOFSIM_PLATFORM_PRIV_H */
