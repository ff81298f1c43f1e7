/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The `sofsim` command-line program. It only parses arguments and calls the
 * library; this is a placeholder until the real subcommands exist.
 */
#include <stdio.h>
#include <string.h>

#include <sofsim/version.h>

/* Exit codes: 0 success, 1 a command failed, 2 the command line is wrong. */
#define CLI_EXIT_USAGE 2

static void print_usage(FILE *out)
{
	fprintf(out,
		"usage: sofsim [-h|--help] [-V|--version] <command> [args]\n"
		"\n"
		"commands:\n"
		"  demo           run the built-in demonstration\n"
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

static int cmd_demo(int argc, char **argv)
{
	if (argc > 1)
		return usage_error("demo: unexpected argument", argv[1]);
	printf("demo: not yet available\n");
	return 0;
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
