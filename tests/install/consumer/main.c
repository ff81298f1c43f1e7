/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A program outside the sofsim tree, built against an installed sofsim
 * (through find_package or pkg-config). It checks that the library it links
 * is the version it was compiled for.
 */
#include <stdio.h>
#include <string.h>

#include <sofsim/version.h>

#ifndef SOFSIM_EXPECTED_VERSION
#error "build with -DSOFSIM_EXPECTED_VERSION=\"x.y.z\""
#endif

int main(void)
{
	const char *got = sofsim_version_string();

	if (!got || strcmp(got, SOFSIM_EXPECTED_VERSION) != 0) {
		fprintf(stderr, "consumer: sofsim_version_string() is \"%s\", expected \"%s\"\n",
			got ? got : "(null)", SOFSIM_EXPECTED_VERSION);
		return 1;
	}
	printf("consumer: linked sofsim %s\n", got);
	return 0;
}
