/* SPDX-License-Identifier: BSD-3-Clause */
/* The `sofsim demo` command. */
#ifndef SOFSIM_CLI_DEMO_H
#define SOFSIM_CLI_DEMO_H

#include <stdbool.h>
#include <stdint.h>

struct demo_options {
	const char *platform; /* NULL = default profile */
	uint64_t seed;
	bool pthreads;        /* pthread carrier instead of fibers */
	bool trace;           /* print the event log */
	bool plant_fault;     /* make the user IPC thread read PRID halfway through */
	unsigned ms;          /* virtual milliseconds to run */
	unsigned messages;    /* host messages to send over that time */
};

int demo_run(const struct demo_options *o);

#endif /* SOFSIM_CLI_DEMO_H */
