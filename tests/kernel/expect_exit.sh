#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# expect_exit.sh <code> <command...>: run the command, pass its output
# through, and exit 0 only if it exited with <code>. The planted-error tests
# use it because CTest's PASS_REGULAR_EXPRESSION ignores the exit code: the
# line printed here on a wrong code is their FAIL_REGULAR_EXPRESSION.
set -u
want=$1
shift
"$@"
got=$?
if [[ $got == "$want" ]]; then
	exit 0
fi
echo "expect_exit: FAIL: '$1' exited with $got, wanted $want"
exit 1
