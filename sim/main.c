/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The `sofsim` command-line program. It only parses arguments and calls the
 * library.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sofsim/version.h>

#include "demo.h"

/* Exit codes: 0 success, 1 a command failed, 2 the command line is wrong. */
#define CLI_EXIT_USAGE 2

static void print_usage(FILE *out)
{
	fprintf(out,
		"usage: sofsim [-h|--help] [-V|--version] <command> [args]\n"
		"\n"
		"commands:\n"
		"  demo           boot the SOF user-space LL thread layout and send host messages\n"
		"                 [--platform NAME] [--seed N] [--ms N] [--messages N]\n"
		"                 [--threads fiber|pthread] [--trace] [--plant-fault]\n"
		"\n"
		"options:\n"
		"  -h, --help     show this help and exit\n"
		"  -V, --version  print the library version and exit\n");
}

/* Report a command-line mistake the same way everywhere: message, usage, 2. */
static int usage_error(const char *what, const char *arg)
{
	fprintf(stderr, "sofsim: %s '%s'\n", what, arg);
	print_usage(stderr);
	return CLI_EXIT_USAGE;
}

static int is_option(const char *arg, const char *short_name, const char *long_name)
{
	return !strcmp(arg, short_name) || !strcmp(arg, long_name);
}

/* Parse a decimal number in [min, max]; false on anything else. */
static int parse_u64(const char *text, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!text || !*text || *text == '-')
		return 0;
	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno || *end || v < min || v > max)
		return 0;
	*out = v;
	return 1;
}

static int cmd_demo(int argc, char **argv)
{
	struct demo_options o = { .seed = 1, .ms = 100, .messages = 20 };
	uint64_t v;

	for (int i = 1; i < argc; i++) {
		const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(opt, "--trace")) {
			o.trace = true;
			continue;
		}
		if (!strcmp(opt, "--plant-fault")) {
			o.plant_fault = true;
			continue;
		}
		if (strcmp(opt, "--platform") && strcmp(opt, "--seed") && strcmp(opt, "--ms") &&
		    strcmp(opt, "--messages") && strcmp(opt, "--threads"))
			return usage_error("demo: unknown option", opt);
		if (!val)
			return usage_error("demo: missing value after", opt);
		i++;
		if (!strcmp(opt, "--platform")) {
			o.platform = val;
		} else if (!strcmp(opt, "--threads")) {
			if (strcmp(val, "fiber") && strcmp(val, "pthread"))
				return usage_error("demo: --threads wants fiber or pthread, not", val);
			o.pthreads = !strcmp(val, "pthread");
		} else if (!strcmp(opt, "--seed")) {
			if (!parse_u64(val, 0, UINT64_MAX, &o.seed))
				return usage_error("demo: --seed wants a number from 0 to 2^64-1, not", val);
		} else if (!parse_u64(val, 1, 100000, &v)) {
			return usage_error(!strcmp(opt, "--ms") ? "demo: --ms wants 1 to 100000, not"
							       : "demo: --messages wants 1 to 100000, not",
					   val);
		} else if (!strcmp(opt, "--ms")) {
			o.ms = (unsigned)v;
		} else {
			o.messages = (unsigned)v;
		}
	}
	if (o.messages > o.ms * 4)
		return usage_error("demo: more than 4 messages per virtual ms; raise --ms or lower --messages",
				   argv[0]);
	return demo_run(&o) ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *arg;

	if (argc < 2) {
		fprintf(stderr, "sofsim: no command given\n");
		print_usage(stderr);
		return CLI_EXIT_USAGE;
	}

	arg = argv[1];
	if (is_option(arg, "-h", "--help")) {
		if (argc > 2)
			return usage_error("unexpected argument", argv[2]);
		print_usage(stdout);
		return 0;
	}
	if (is_option(arg, "-V", "--version")) {
		if (argc > 2)
			return usage_error("unexpected argument", argv[2]);
		printf("sofsim %s\n", sofsim_version_string());
		return 0;
	}
	if (!strcmp(arg, "demo"))
		return cmd_demo(argc - 1, argv + 1);

	if (arg[0] == '-')
		return usage_error("unknown option", arg);
	return usage_error("unknown command", arg);
}
