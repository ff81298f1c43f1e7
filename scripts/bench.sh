#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Usage: bench.sh <bench build dir>
# Run every bench_* program found there and let it print its table.
# Benchmarks never fail the build, but a benchmark that crashes is reported
# and makes this script exit 1 after all have run.
set -uo pipefail

dir=${1:?usage: bench.sh <bench build dir>}
mapfile -t benches < <(find "$dir" -maxdepth 2 -type f -name 'bench_*' -perm -u+x 2>/dev/null | sort)
if ((${#benches[@]} == 0)); then
	echo "bench: no bench_* programs in $dir yet"
	exit 0
fi

failed=0
for b in "${benches[@]}"; do
	printf '\n## %s\n\n' "$(basename "$b")"
	"$b"
	rc=$?
	if ((rc != 0)); then
		echo "bench: $(basename "$b") exited with status $rc" >&2
		failed=1
	fi
done
exit $failed
