#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Usage: test_cli.sh <path to sofsim> <expected version>
# Checks the command line contract: --help and --version succeed on stdout;
# a wrong command line exits 2 with the usage on stderr.
set -uo pipefail

sofsim=$1
version=$2
failures=0
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

# matches <file> <regex, or EMPTY for an empty file>
matches() {
	if [[ $2 == EMPTY ]]; then
		[[ ! -s $1 ]]
	else
		grep -Eq -- "$2" "$1"
	fi
}

# expect <exit code> <stdout regex> <stderr regex> -- <args...>
expect() {
	local want_rc=$1 want_out=$2 want_err=$3 rc
	shift 4
	"$sofsim" "$@" >"$out" 2>"$err"
	rc=$?
	if [[ $rc != "$want_rc" ]] || ! matches "$out" "$want_out" ||
		! matches "$err" "$want_err"; then
		echo "FAIL: sofsim $*: exit $rc (want $want_rc)"
		echo "  stdout: $(head -c 400 "$out")"
		echo "  stderr: $(head -c 400 "$err")"
		failures=$((failures + 1))
	else
		echo "ok: sofsim $* -> exit $rc"
	fi
}

v_re=${version//./\\.}
expect 0 "^sofsim $v_re\$" EMPTY -- --version
expect 0 "^sofsim $v_re\$" EMPTY -- -V
expect 0 '^usage: sofsim' EMPTY -- --help
expect 0 '^usage: sofsim' EMPTY -- -h
expect 2 EMPTY "no command given" --
expect 2 EMPTY "unknown option '--bogus'" -- --bogus
expect 2 EMPTY "unknown command 'bogus'" -- bogus
expect 2 EMPTY "unexpected argument 'extra'" -- --version extra
expect 2 EMPTY '^usage: sofsim' -- --bogus

if ((failures)); then
	echo "$failures check(s) failed"
	exit 1
fi
