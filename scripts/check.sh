#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The full test run behind `make check` and .ci/run. Passes, in order, each
# stopping the run on its first failure:
#   default   gcc -Werror build (preset default) and its tests
#   clang     clang -Werror build (preset clang) and its tests
#   memcheck  the Valgrind twins of the default build (test preset memcheck)
#   asan      ASan + UBSan build (preset asan) and its tests
#   skips     every test any pass skipped must be allowed in docs/testing.md
# Then it prints each pass's CTest summary, the wall time and a closing
# "N passed, N failed, N skipped" line. docs/testing.md explains it all.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
doc=docs/testing.md
jobs=${SOFSIM_JOBS:-2}
logdir=$root/build/check
mkdir -p "$logdir"

n_passed=0
n_failed=0
n_skipped=0
summaries=()
# Skips seen, one "pass<TAB>test<TAB>first line the test printed" each.
skips=()

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

t_start=$(now_ms)
pass_start=$t_start

# elapsed <start ms>: time since then, as 1m02.3s
elapsed() {
	local ms=$(($(now_ms) - $1))
	printf '%dm%02d.%ds' $((ms / 60000)) $((ms / 1000 % 60)) $((ms / 100 % 10))
}

banner() {
	pass_start=$(now_ms)
	printf '\n===== check: %s =====\n' "$*"
}

finish() {
	banner "summary"
	local line
	for line in "${summaries[@]}"; do
		echo "$line"
	done
	echo "total wall time: $(elapsed "$t_start")"
	echo "$n_passed passed, $n_failed failed, $n_skipped skipped"
}

die() {
	# A run that stops early has failed, whatever the tests so far said.
	((n_failed > 0)) || n_failed=1
	echo >&2
	echo "check: FAILED: $*" >&2
	finish
	exit 1
}

# doc_table <heading>: the body rows of the first markdown table under the
# "## <heading>" section of docs/testing.md, one per line, cells separated by
# tabs, trimmed, backticks removed. Fenced code blocks are ignored.
doc_table() {
	awk -v want="$1" '
		/^```/ { fence = !fence; next }
		fence { next }
		/^#+[ \t]/ {
			h = $0
			sub(/^#+[ \t]+/, "", h)
			sub(/[ \t]+$/, "", h)
			intable = (h == want)
			row = 0
			next
		}
		intable && /^[ \t]*\|/ {
			row++
			if (row == 1 || $0 ~ /^[ \t]*\|[ \t:|-]+$/)
				next
			line = $0
			sub(/^[ \t]*\|/, "", line)
			sub(/\|[ \t]*$/, "", line)
			n = split(line, cell, "|")
			out = ""
			for (i = 1; i <= n; i++) {
				c = cell[i]
				gsub(/`/, "", c)
				gsub(/^[ \t]+|[ \t]+$/, "", c)
				out = out (i > 1 ? "\t" : "") c
			}
			print out
		}
	' "$root/$doc"
}

# run_logged <log> <what> <command...>: run quietly into a log; on failure
# show the end of the log and stop the run.
run_logged() {
	local log=$1 what=$2
	shift 2
	echo "+ $*"
	if ! "$@" >"$log" 2>&1; then
		tail -n 150 "$log" >&2
		die "$what (full log: ${log#"$root"/})"
	fi
}

configure_and_build() {
	local preset=$1
	run_logged "$logdir/$preset-configure.log" "configure preset '$preset'" \
		cmake --preset "$preset"
	run_logged "$logdir/$preset-build.log" "build preset '$preset' (warnings are errors)" \
		cmake --build --preset "$preset" --parallel "$jobs"
}

# junit_counts <file>: "tests failures skipped disabled" from the testsuite tag.
junit_counts() {
	awk '
		/<testsuite[ \t>]/ { insuite = 1 }
		insuite {
			for (i = 1; i <= NF; i++) {
				if (match($i, /^(tests|failures|skipped|disabled)="[0-9]+"/)) {
					split($i, kv, "\"")
					key = substr($i, 1, index($i, "=") - 1)
					v[key] = kv[2]
				}
			}
			if ($0 ~ />/) { print v["tests"] + 0, v["failures"] + 0, v["skipped"] + 0, v["disabled"] + 0; exit }
		}
	' "$1"
}

# junit_skips <file>: "test<TAB>first output line" for each test that did not
# run (skipped by exit code 77, disabled, or missing a required file).
junit_skips() {
	awk '
		function unxml(s) {
			gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&quot;/, "\"", s)
			gsub(/&apos;/, "\047", s); gsub(/&amp;/, "\\&", s)
			return s
		}
		/<testcase / {
			name = $0
			sub(/.*<testcase name="/, "", name)
			sub(/".*/, "", name)
			notrun = ($0 ~ /status="(notrun|disabled)"/)
			why = ""
			next
		}
		notrun && /<skipped message="/ && why == "" {
			why = $0
			sub(/.*<skipped message="/, "", why)
			sub(/".*/, "", why)
			next
		}
		notrun && /<system-out>/ {
			out = $0
			sub(/.*<system-out>/, "", out)
			sub(/<\/system-out>.*/, "", out)
			if (out != "") why = out
			next
		}
		notrun && /<\/testcase>/ {
			print unxml(name) "\t" unxml(why)
			notrun = 0
		}
	' "$1"
}

# run_tests <pass> <test preset>: run CTest, record its summary and counts.
run_tests() {
	local pass=$1 preset=$2 rc junit log summary
	local tests failures skipped disabled line
	junit=$logdir/$pass-junit.xml
	log=$logdir/$pass-ctest.log
	rm -f "$junit"
	echo "+ ctest --preset $preset -j $jobs --output-junit ${junit#"$root"/}"
	set +e
	ctest --preset "$preset" -j "$jobs" --output-junit "$junit" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	set -e

	summary=$(grep -E '^[0-9]+% tests passed' "$log" | tail -n 1 || true)
	summaries+=("$(printf '%-9s %s (%s)' "$pass:" "${summary:-no CTest summary}" "$(elapsed "$pass_start")")")
	if [[ -f $junit ]]; then
		read -r tests failures skipped disabled < <(junit_counts "$junit")
		n_failed=$((n_failed + failures))
		n_skipped=$((n_skipped + skipped + disabled))
		n_passed=$((n_passed + tests - failures - skipped - disabled))
		while IFS= read -r line; do
			skips+=("$pass	$line")
		done < <(junit_skips "$junit")
	fi
	if ((rc != 0)); then
		[[ -f $junit ]] || n_failed=$((n_failed + 1))
		die "pass '$pass': CTest reported failures (log: ${log#"$root"/})"
	fi
}

# The default build's tests that have no memcheck/ twin, each with the
# reason docs/testing.md gives for leaving it out of the memcheck pass.
print_memcheck_exclusions() {
	local names name reason missing=0
	names=$(ctest --test-dir "$root/build/default" -N | sed -n 's/^ *Test *#[0-9]*: //p')
	local -A reasons=()
	while IFS=$'\t' read -r name reason _; do
		[[ -n $name ]] && reasons[$name]=$reason
	done < <(doc_table "Excluded from memcheck")

	echo "tests excluded from memcheck (reasons from $doc):"
	while IFS= read -r name; do
		[[ -z $name || $name == memcheck/* ]] && continue
		grep -qxF "memcheck/$name" <<<"$names" && continue
		reason=${reasons[$name]:-}
		if [[ -z $reason ]]; then
			echo "  $name: NO REASON in $doc"
			missing=1
		else
			echo "  $name: $reason"
		fi
	done <<<"$names"
	((missing == 0)) || die "a test without a memcheck twin is not listed under 'Excluded from memcheck' in $doc"
}

# A skip is allowed when a row of "Allowed skips" matches its test (a glob)
# and pass (a name, a comma-separated list, or *), and gives a reason.
check_skips() {
	local pass name why pat presets reason ok bad=0 p
	local -a allowed=()
	mapfile -t allowed < <(doc_table "Allowed skips")

	echo "skipped tests: ${#skips[@]}"
	for entry in "${skips[@]}"; do
		IFS=$'\t' read -r pass name why <<<"$entry"
		ok=
		for row in "${allowed[@]}"; do
			IFS=$'\t' read -r pat presets reason _ <<<"$row"
			[[ -n $reason ]] || continue
			# shellcheck disable=SC2053 # the table's test column is a glob
			[[ $name == $pat ]] || continue
			for p in ${presets//,/ }; do
				if [[ $p == "*" || $p == "$pass" ]]; then
					ok=$reason
					break
				fi
			done
			[[ -n $ok ]] && break
		done
		if [[ -n $ok ]]; then
			echo "  [$pass] $name: allowed: $ok (test said: ${why:-nothing})"
		else
			echo "  [$pass] $name: NOT ALLOWED (test said: ${why:-nothing})"
			bad=1
		fi
	done
	((bad == 0)) || die "a test skipped without an entry in the 'Allowed skips' table of $doc"
}

[[ -f $doc ]] || die "$doc is missing"

banner "pass 1/5: default (gcc, -Werror)"
configure_and_build default
run_tests default default

banner "pass 2/5: clang (-Werror)"
configure_and_build clang
run_tests clang clang

banner "pass 3/5: memcheck (Valgrind on the default build)"
print_memcheck_exclusions
run_tests memcheck memcheck

banner "pass 4/5: asan (ASan + UBSan)"
configure_and_build asan
run_tests asan asan

banner "pass 5/5: skips"
check_skips

finish
