#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Usage: fuzz.sh <fuzz build dir> <corpus root>
# Replay each fuzz target's regression corpus: every fuzz_<name> program in
# the build runs each file of <corpus root>/fuzz_<name>/ once (libFuzzer runs
# the inputs given as files and exits). Fails if any input fails.
set -uo pipefail

dir=${1:?usage: fuzz.sh <fuzz build dir> <corpus root>}
corpora=${2:?usage: fuzz.sh <fuzz build dir> <corpus root>}
mapfile -t targets < <(find "$dir" -type f -name 'fuzz_*' -perm -u+x 2>/dev/null | sort)
if ((${#targets[@]} == 0)); then
	echo "fuzz: no fuzz_* targets in $dir yet"
	exit 0
fi

failed=0
for t in "${targets[@]}"; do
	name=$(basename "$t")
	corpus=$corpora/$name
	if [[ ! -d $corpus ]] || [[ -z $(find "$corpus" -type f -print -quit) ]]; then
		echo "fuzz: $name: no regression corpus in $corpus, nothing to replay"
		continue
	fi
	count=$(find "$corpus" -type f | wc -l)
	echo "fuzz: $name: replaying $count inputs from $corpus"
	if ! find "$corpus" -type f -print0 | sort -z | xargs -0 -r "$t" >"$dir/$name-replay.log" 2>&1; then
		tail -n 60 "$dir/$name-replay.log" >&2
		echo "fuzz: $name: FAILED on its regression corpus (log: $dir/$name-replay.log)" >&2
		failed=1
	fi
done
exit $failed
