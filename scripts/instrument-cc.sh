#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Compiler launcher for code checked under enforce=check (cmake/SofsimInstrument.cmake):
#   instrument-cc.sh <redefine-syms file> <compiler> <args...>
# Runs the compile, then renames the instrumentation callbacks and the
# memcpy/memset/str* calls of the object to the sofsim__chk_* checker, so
# explicit and compiler-made copies are checked too and the object links
# into ASan and libFuzzer binaries without clashing with their runtimes.
set -euo pipefail
syms=$1
shift
"$@"
out=
prev=
for arg in "$@"; do
	[[ $prev == -o ]] && out=$arg
	prev=$arg
done
if [[ $out == *.o ]]; then
	objcopy --redefine-syms="$syms" "$out"
fi
